/*
 * Access conditions of ETSI TS 102 221 §9.2: security attributes in compact
 * (8C), expanded (AB) and referenced-to-EF.ARR (8B) format, evaluated
 * against the PIN verification states of the card session.
 */
#ifndef EUM_FS_ACCESS_H
#define EUM_FS_ACCESS_H

#include <stdint.h>

#include "core/card.h"
#include "fs/fs.h"
#include "profile/profile.h"

/* Access mode bits for EFs (ISO 7816-4 Table 17, TS 102 221 §9.2.2). */
#define EUM_AM_EF_READ       0x01
#define EUM_AM_EF_UPDATE     0x02
#define EUM_AM_EF_DEACTIVATE 0x08
#define EUM_AM_EF_ACTIVATE   0x10
#define EUM_AM_EF_TERMINATE  0x20
#define EUM_AM_EF_DELETE     0x40

/* Whether the operation (access mode bit, or INS for command-specific rules
 * such as INCREASE) is allowed on the file in this session. */
int eum_access_allowed(const struct eum_card *card, int32_t file, uint8_t am, uint8_t ins);

/* Whether key reference ref is satisfied: verified in this session, or a PIN
 * whose verification is disabled. */
int eum_keyref_satisfied(const struct eum_card *card, uint8_t ref);

#endif
