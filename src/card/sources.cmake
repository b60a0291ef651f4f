# The card as a whole (composition root): creates the engine's card object and every module's
# state, wires them together. It includes every folder; no folder includes it.
list(APPEND EUM_CARD_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/card.c)
