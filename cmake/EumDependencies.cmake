# Locate the third-party libraries eum builds on, as Debian 12 ships them.
#
# mbedTLS 2.28 on Debian has neither a CMake package nor a pkg-config file, so
# we try the upstream CMake package first (mbedTLS >= 3 installs one) and fall
# back to find_path/find_library, wrapping the result into imported targets
# with the upstream names: MbedTLS::mbedcrypto (the primitives, everything but
# the TLS code uses only it), MbedTLS::mbedtls (the TLS layer of the SCP81 PSK
# client and server) which links MbedTLS::mbedx509 and MbedTLS::mbedcrypto, as
# upstream's targets do (libmbedtls refers to X.509 symbols even when only PSK
# is used, which matters for static links).

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
if(NOT TARGET MbedTLS::mbedx509)
  find_library(EUM_MBEDX509_LIBRARY mbedx509 REQUIRED)
  add_library(MbedTLS::mbedx509 UNKNOWN IMPORTED)
  set_target_properties(MbedTLS::mbedx509 PROPERTIES
    IMPORTED_LOCATION "${EUM_MBEDX509_LIBRARY}"
    INTERFACE_LINK_LIBRARIES MbedTLS::mbedcrypto)
endif()
if(NOT TARGET MbedTLS::mbedtls)
  find_library(EUM_MBEDTLS_LIBRARY mbedtls REQUIRED)
  add_library(MbedTLS::mbedtls UNKNOWN IMPORTED)
  set_target_properties(MbedTLS::mbedtls PROPERTIES
    IMPORTED_LOCATION "${EUM_MBEDTLS_LIBRARY}"
    INTERFACE_LINK_LIBRARIES "MbedTLS::mbedx509;MbedTLS::mbedcrypto")
  message(STATUS "mbedTLS (TLS): ${EUM_MBEDTLS_LIBRARY}")
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
