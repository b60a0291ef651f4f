/* USIM application commands (3GPP TS 31.102 §7) added to the UICC command table. */
#ifndef EUM_USIM_USIM_CMDS_H
#define EUM_USIM_USIM_CMDS_H

#include "core/card.h"

#define EUM_USIM_COMMANDS

#endif
