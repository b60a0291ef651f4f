# libFuzzer targets (tests/fuzz/fuzz_<name>.c, one per entry point of the card) and the replay
# of their committed corpora (tests/fuzz/corpus/<name>/).
#
# In every build each target is linked with replay_main.c into fuzz_<name>_replay and ctest
# replays its corpus (test fuzz_corpus_<name>), so the seeds and every regression input run
# with the normal suite (and with ASan+UBSan under -DEUM_SANITIZE=ON). With -DEUM_FUZZ=ON
# (clang only; the whole project is then instrumented, see the top-level CMakeLists.txt) each
# target is also linked with libFuzzer into fuzz_<name>; .ci/fuzz.sh runs them for a bounded time.
#
# A target may be built twice from one source with a compile definition (name:source:DEF).
set(EUM_FUZZ_TARGETS
  apdu:fuzz_apdu
  bip:fuzz_bip
  envelope:fuzz_envelope
  envelope_raw:fuzz_envelope:FUZZ_ENVELOPE_RAW
  es8:fuzz_es8
  scp03t:fuzz_scp03t
  scp03:fuzz_scp03
  profile:fuzz_profile
  image:fuzz_image
  image_crc:fuzz_image:FUZZ_IMAGE_FIX_CRC
  config:fuzz_config
  http:fuzz_http)

set(EUM_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
add_library(eum_fuzz_support INTERFACE)
target_link_libraries(eum_fuzz_support INTERFACE eum_internal eum_build_flags)
if(TARGET eum_host_static)
  target_link_libraries(eum_fuzz_support INTERFACE eum_host_static)
endif()
# shim/ first: the e2e helpers the targets reuse for their honest prefixes include <cmocka.h>
target_include_directories(eum_fuzz_support INTERFACE ${EUM_FUZZ_DIR}/shim ${EUM_FUZZ_DIR})
target_compile_definitions(eum_fuzz_support INTERFACE EUM_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
  EUM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

add_custom_target(eum_fuzz_all)
foreach(spec ${EUM_FUZZ_TARGETS})
  string(REPLACE ":" ";" parts ${spec})
  list(GET parts 0 name)
  list(GET parts 1 src)
  list(LENGTH parts nparts)
  set(defs "")
  if(nparts GREATER 2)
    list(GET parts 2 defs)
  endif()
  if(NOT EXISTS ${EUM_FUZZ_DIR}/${src}.c)
    continue()
  endif()
  add_executable(fuzz_${name}_replay ${EUM_FUZZ_DIR}/${src}.c ${EUM_FUZZ_DIR}/replay_main.c)
  target_link_libraries(fuzz_${name}_replay PRIVATE eum_fuzz_support)
  target_compile_definitions(fuzz_${name}_replay PRIVATE ${defs})
  add_test(NAME fuzz_corpus_${name} COMMAND fuzz_${name}_replay ${EUM_FUZZ_DIR}/corpus/${name})
  # the one known leak outside our code (libconfig's lexer, see lsan.supp)
  set_tests_properties(fuzz_corpus_${name} PROPERTIES ENVIRONMENT "LSAN_OPTIONS=suppressions=${EUM_FUZZ_DIR}/lsan.supp")
  add_dependencies(eum_fuzz_all fuzz_${name}_replay)
  if(EUM_FUZZ)
    add_executable(fuzz_${name} ${EUM_FUZZ_DIR}/${src}.c)
    target_link_libraries(fuzz_${name} PRIVATE eum_fuzz_support)
    target_compile_definitions(fuzz_${name} PRIVATE ${defs} EUM_FUZZ_LIBFUZZER)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    add_dependencies(eum_fuzz_all fuzz_${name})
  endif()
endforeach()
