/*
 * Proactive UICC (ETSI TS 102 221 §7.4.2, ETSI TS 102 223 §6): TERMINAL
 * PROFILE, the proactive command queue behind 91xx, FETCH and TERMINAL
 * RESPONSE.
 */
#ifndef EUM_CAT_CAT_H
#define EUM_CAT_CAT_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"

/* Length of the proactive command waiting for FETCH (0 = none). */
size_t eum_cat_pending_len(const struct eum_card *card);
/* Clear the toolkit session (reset): terminal profile and commands in flight.
 * Queued commands survive a reset only where the caller re-queues them. */
void eum_cat_session_reset(struct eum_card *card);
/* Terminal profile bit n (TS 102 223 §5.2, counted from 1) as the terminal sent it. */
int eum_cat_tp_bit(const struct eum_card *card, unsigned n);
/* Queue a proactive command given as its COMPREHENSION-TLVs (command details
 * first, without the D0 wrapper; the command number is filled in).
 * Returns EUM_OK, EUM_ERR_STATE (queue full) or EUM_ERR_BUFFER_TOO_SMALL. */
int eum_cat_queue(struct eum_card *card, const uint8_t *tlvs, size_t len);

uint16_t eum_cat_terminal_profile(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
				  struct eum_rsp *r);
uint16_t eum_cat_fetch(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_cat_terminal_response(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
				   struct eum_rsp *r);

#endif
