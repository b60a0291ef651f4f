list(APPEND EUM_CARD_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/saip_templates.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_install.c
  ${CMAKE_CURRENT_LIST_DIR}/saip_apply.c)
