# Benchmarks (EUM_BUILD_BENCH): every tests/bench/bench_<name>.c is one plain program (its own
# main(), no cmocka) built against the static library, so internal symbols and the private headers
# under src/ are reachable like in the unit tests. They are not ctest tests: run them by hand.
# Test data (tests/data/) is reachable through the EUM_TEST_DATA_DIR string macro.
file(GLOB EUM_BENCH_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/bench_*.c)
foreach(src ${EUM_BENCH_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE eum_internal eum_build_flags)
  if(TARGET eum_host_static)
    target_link_libraries(${name} PRIVATE eum_host_static)
  endif()
  # benches that drive the card like the end-to-end tests reuse their helpers (tests/e2e/*.h: cmocka asserts)
  if(TARGET eum_cmocka)
    target_link_libraries(${name} PRIVATE eum_cmocka)
  endif()
  target_compile_definitions(${name} PRIVATE EUM_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
endforeach()
# bench_https counts the APDUs of both ways at the card's interface
if(TARGET bench_https)
  target_link_options(bench_https PRIVATE -Wl,--wrap=eum_card_transmit)
endif()
