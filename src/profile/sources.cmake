list(APPEND EUM_CARD_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/profile.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_templates.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_install.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_result.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_file.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_pe_header.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_pe_template.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_pe_gfm.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_pe_pin.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_pe_aka.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_pe_sd.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_pe_rfm.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_pe_app.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_apply.c
  ${CMAKE_CURRENT_LIST_DIR}/bootstrap.c
  ${CMAKE_CURRENT_BINARY_DIR}/bootstrap_der.c)

# The default bootstrap profile, embedded at build time: tools/eum-mkprofile (defined in tools/)
# turns the readable examples/profiles/bootstrap.conf into the DER package and a C array of it.
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/bootstrap_der.c
  COMMAND eum-mkprofile ${PROJECT_SOURCE_DIR}/examples/profiles/bootstrap.conf
    ${CMAKE_CURRENT_BINARY_DIR}/bootstrap.der --c-array ${CMAKE_CURRENT_BINARY_DIR}/bootstrap_der.c eum_bootstrap_der
  DEPENDS eum-mkprofile ${PROJECT_SOURCE_DIR}/examples/profiles/bootstrap.conf
  COMMENT "Embedding the bootstrap profile (examples/profiles/bootstrap.conf)" VERBATIM)
