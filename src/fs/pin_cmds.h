/* PIN commands, ETSI TS 102 221 §11.1.9 – §11.1.13. */
#ifndef EUM_FS_PIN_CMDS_H
#define EUM_FS_PIN_CMDS_H

#include "core/card.h"
#include "fs/fs.h"
#include "fs/pin.h"
#include "profile/profile.h"

uint16_t eum_cmd_verify_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_cmd_change_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_cmd_disable_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                             struct eum_rsp *r);
uint16_t eum_cmd_enable_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_cmd_unblock_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                             struct eum_rsp *r);

#endif
