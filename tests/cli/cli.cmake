# The eum command-line tool, driven by tests/cli/test_cli.sh (only when the examples are built).
if(TARGET eum_cli)
  add_test(NAME cli COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_cli.sh $<TARGET_FILE:eum_cli>)
  add_test(NAME cli_ts48 COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_ts48_cli.sh $<TARGET_FILE:eum_cli>)
endif()
