/* USIM application commands (3GPP TS 31.102 §7) added to the UICC command table. */
#ifndef EUM_USIM_USIM_CMDS_H
#define EUM_USIM_USIM_CMDS_H

#include "core/card.h"
#include "profile/profile.h"

uint16_t eum_cmd_authenticate(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                              struct eum_rsp *r);

#define EUM_USIM_COMMANDS {0x00, 0x88, EUM_CASE3 | EUM_CASE4, eum_cmd_authenticate, "AUTHENTICATE", EUM_SEC_NONE, 0},

#endif
