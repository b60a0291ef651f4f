/*
 * The OPEN CHANNEL command of the card's BIP channel (ETSI TS 102 223 §6.6.27) built from the
 * connection parameters an SCP81 trigger carries (GP Amd B: OPEN CHANNEL COMPREHENSION-TLVs, spec
 * digest scp81-https.md §1.2, §2.3). Private to src/cat (bip.c).
 */
#ifndef EUM_CAT_BIP_OPEN_H
#define EUM_CAT_BIP_OPEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"
#include "util/tlv.h"

/* Write OPEN CHANNEL's COMPREHENSION-TLVs (command details with number 00, qualifier 03, device
 * identities 81 82, then the parameters) into b; *asked = the buffer size asked. EUM_OK or
 * EUM_ERR_PARSE (malformed, unknown or repeated data object, no TCP client transport level, no
 * IPv4/IPv6 destination, too long for one proactive command), with a log line. */
int eum_bip_build_open(struct eum_card *card, const uint8_t *conn, size_t len, struct eum_buf *b, uint16_t *asked);

#endif
