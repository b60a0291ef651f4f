# The eum command-line tool, driven by tests/cli/test_cli.sh (only when the examples are built).
if(TARGET eum_cli)
  add_test(NAME cli COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_cli.sh $<TARGET_FILE:eum_cli>)
  add_test(NAME cli_ts48 COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_ts48_cli.sh $<TARGET_FILE:eum_cli>)
  # The card in a PC/SC reader through pcscd + vsmartcard's vpcd, and traces decoded by tshark:
  # skipped (exit 77) only when pcscd / vsmartcard-vpcd / python3-pyscard or tshark are missing;
  # .ci/run and scripts/quickstart.sh test install them.
  add_test(NAME cli_vpcd COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_vpcd.sh $<TARGET_FILE:eum_cli>)
  add_test(NAME cli_trace_tshark COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/test_trace_tshark.sh $<TARGET_FILE:eum_cli>)
  set_tests_properties(cli_vpcd cli_trace_tshark PROPERTIES SKIP_RETURN_CODE 77)
  set_tests_properties(cli_vpcd PROPERTIES RESOURCE_LOCK eum_pcscd TIMEOUT 300)
  # eum vpcd's wire protocol against a stand-in for vpcd (python3's standard library only)
  find_program(EUM_PYTHON3 NAMES python3)
  if(EUM_PYTHON3)
    add_test(NAME cli_vpcd_protocol COMMAND ${EUM_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/test_vpcd_protocol.py
      $<TARGET_FILE:eum_cli>)
    set_tests_properties(cli_vpcd_protocol PROPERTIES TIMEOUT 120)
  endif()
endif()
# Issue 15 independence test: the card's PSK-TLS against OpenSSL's s_server (not mbedTLS) on loopback,
# the SM-SR's HTTP side played by the script behind it, the card's BIP channel carried by
# examples/eum_bip_bridge. Skipped (77) only when openssl is missing (.ci/run and quickstart.sh test
# install it). The PSK is the built-in card's SCP81 key (README "Test identity", KVN 40 key id 01).
if(TARGET eum_bip_bridge)
  find_program(EUM_PYTHON3_BIP NAMES python3)
  if(EUM_PYTHON3_BIP)
    set(_psk 404142434445464748494A4B4C4D4E4F)
    add_test(NAME bip_openssl_gcm COMMAND ${EUM_PYTHON3_BIP} ${CMAKE_CURRENT_LIST_DIR}/test_bip_openssl.py
      $<TARGET_FILE:eum_bip_bridge> ${_psk} PSK-AES128-GCM-SHA256)
    add_test(NAME bip_openssl_cbc COMMAND ${EUM_PYTHON3_BIP} ${CMAKE_CURRENT_LIST_DIR}/test_bip_openssl.py
      $<TARGET_FILE:eum_bip_bridge> ${_psk} PSK-AES128-CBC-SHA256 --psk-id smsr-test-identity --content-length
      --no-cr)
    add_test(NAME bip_openssl_drop COMMAND ${EUM_PYTHON3_BIP} ${CMAKE_CURRENT_LIST_DIR}/test_bip_openssl.py
      $<TARGET_FILE:eum_bip_bridge> ${_psk} PSK-AES128-GCM-SHA256 --drop)
    set_tests_properties(bip_openssl_gcm bip_openssl_cbc bip_openssl_drop PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
  endif()
endif()
