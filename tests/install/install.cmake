# Packaging test: install to a temporary prefix, move it, build tests/install/consumer.c against
# it with find_package(eum) and pkg-config (shared and static) and run it.
add_test(NAME install_consumer COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_install.sh ${CMAKE_COMMAND}
  ${PROJECT_BINARY_DIR} ${CMAKE_C_COMPILER} ${EUM_SANITIZE})
set_tests_properties(install_consumer PROPERTIES TIMEOUT 300)
