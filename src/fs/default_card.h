/* The documented default test card (README "Default test card"), built from a table. */
#ifndef EUM_FS_DEFAULT_CARD_H
#define EUM_FS_DEFAULT_CARD_H

#include "core/card.h"

/* Fill an empty profile with the default test card's files and PINs. */
int eum_default_card_build(struct eum_profile *prof);

#endif
