/*
 * The ISD-R's SCP81 administration agent (GlobalPlatform Amendment B over PSK-TLS over CAT BIP, as
 * SGP.02 uses it for ES5 and ES8; spec digest scp81-https.md): a push SMS hands it the
 * administration session triggering parameters; it opens the BIP channel, runs the TLS handshake,
 * the HTTP POST loop, and runs the SM-SR's scripts through the shared script engine
 * (src/ota/script.h) on the ISD-R or the ISD-P named by X-Admin-Targeted-Application.
 *
 * The state (struct eum_scp81, card->scp81) exists only while a session runs, a session is to
 * start at the end of the APDU, or a retry is pending: allocated by eum_scp81_trigger(), freed
 * when nothing is left to do, on reset and power-off, and by eum_scp81_free().
 */
#ifndef EUM_OTA_SCP81_H
#define EUM_OTA_SCP81_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"

/* [IMPL] buffers of one session (design: HTTP body of one script up to 8 KB, AF response 2 KB). */
#define EUM_SCP81_BODY_MAX 8192
#define EUM_SCP81_RSP_MAX  2048

/*
 * GP Amd B §3 / SGP.02 push: the value of TLV 81 (administration session triggering parameters)
 * the ISD-R received in an SCP80 packet that passed its checks. Parses it (EUM_ERR_PARSE: no
 * session), and starts the session at the end of the APDU (after its commit and PoR), or keeps it
 * as the one pending trigger when a session runs ([IMPL]: a third trigger meanwhile is refused,
 * EUM_ERR_STATE). EUM_ERR_NO_MEMORY.
 */
int eum_scp81_trigger(struct eum_card *card, const uint8_t *val, size_t len);

/* Observers (src/card/card.c): after each APDU (start a session asked for, a retry that is due,
 * end a session whose APDU's commit failed); the APDU transaction's abort; reset / power-off (the
 * session, a pending trigger and a pending retry are volatile: all gone). */
void eum_scp81_after_apdu(struct eum_card *card);
void eum_scp81_txn_abort(struct eum_card *card);
void eum_scp81_reset(struct eum_card *card);
/* A session runs (channel being opened, open or closing). */
int eum_scp81_active(const struct eum_card *card);
/* Free everything (wiped), without touching the BIP channel. */
void eum_scp81_free(struct eum_card *card);

#endif
