# ctest bootstrap_der_reproducible: regenerate the bootstrap profile package from its readable
# source and compare it byte for byte with the committed examples/profiles/bootstrap.der.
# Usage: cmake -DTOOL=eum-mkprofile -DSRC=bootstrap.conf -DREF=bootstrap.der -DOUT=tmp.der -P check_bootstrap.cmake
execute_process(COMMAND ${TOOL} ${SRC} ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "eum-mkprofile failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${REF} RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "${REF} is not what ${SRC} gives: run `cmake --build <dir> --target eum-bootstrap-der`")
endif()
