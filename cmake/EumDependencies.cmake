# Locate the third-party libraries eum builds on, as Debian 12 ships them.
#
# mbedTLS 2.28 on Debian has neither a CMake package nor a pkg-config file, so
# we try the upstream CMake package first (mbedTLS >= 3 installs one) and fall
# back to find_path/find_library, wrapping the result into imported targets
# with the upstream names (MbedTLS::mbedcrypto).

find_package(MbedTLS CONFIG QUIET)
if(NOT TARGET MbedTLS::mbedcrypto)
  find_path(EUM_MBEDTLS_INCLUDE_DIR mbedtls/aes.h REQUIRED)
  find_library(EUM_MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
  add_library(MbedTLS::mbedcrypto UNKNOWN IMPORTED)
  set_target_properties(MbedTLS::mbedcrypto PROPERTIES
    IMPORTED_LOCATION "${EUM_MBEDCRYPTO_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${EUM_MBEDTLS_INCLUDE_DIR}")
  message(STATUS "mbedTLS: ${EUM_MBEDCRYPTO_LIBRARY}")
endif()

# libconfig: the card configuration file parser (Debian: libconfig-dev).
find_package(PkgConfig REQUIRED)
pkg_check_modules(EUM_LIBCONFIG REQUIRED IMPORTED_TARGET libconfig)

if(EUM_BUILD_TESTS)
  # cmocka 1.1.5 ships a CMake package without an imported target.
  find_package(cmocka CONFIG REQUIRED)
  if(NOT TARGET eum_cmocka)
    add_library(eum_cmocka INTERFACE)
    target_include_directories(eum_cmocka INTERFACE ${CMOCKA_INCLUDE_DIR})
    target_link_libraries(eum_cmocka INTERFACE ${CMOCKA_LIBRARIES})
  endif()
endif()
