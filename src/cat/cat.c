/*
 * Proactive UICC session: ETSI TS 102 221 §7.4.2 (91xx, FETCH), §11.2
 * (TERMINAL PROFILE, FETCH, TERMINAL RESPONSE) and ETSI TS 102 223 §6.8
 * (command details and result of a TERMINAL RESPONSE).
 */
#include "cat/cat.h"

#include <string.h>

#include "cat/bip.h"

#include "core/sw.h"
#include "util/tlv.h"

#define TAG_COMMAND_DETAILS 0x01
#define TAG_RESULT          0x03

size_t eum_cat_pending_len(const struct eum_card *card)
{
	const struct eum_cat *c = card->cat;

	if (!c->tp_received || c->count == 0 || c->fetched)
		return 0;
	return c->q[c->head].len;
}

void eum_cat_session_reset(struct eum_card *card)
{
	struct eum_cat *c = card->cat;

	memset(c->tp, 0, sizeof(c->tp));
	c->tp_len = 0;
	c->tp_received = 0;
	c->fetched = 0;
	/* TS 102 223 §6.6.16: the event list does not survive a UICC reset */
	memset(c->events, 0, sizeof(c->events));
	c->n_events = 0;
	c->loc_status_valid = c->data_avail_valid = c->chan_status_valid = 0;
}

void eum_cat_power_cycle(struct eum_card *card)
{
	struct eum_cat *c = card->cat;

	/* RAM does not survive a power cycle: what was queued is gone, and the
	 * command numbers start again, exactly as on a card reloaded from its
	 * state (persistent work, such as SGP.02 notifications, is queued again
	 * by its owner on reset) */
	memset(c->q, 0, sizeof(c->q));
	c->head = c->count = 0;
	c->next_number = 0;
}

size_t eum_cat_queue_space(const struct eum_card *card)
{
	return EUM_CAT_QUEUE - card->cat->count;
}

/* Number and type of a queued command: D0 L [81] 81 03 <number> <type> <qualifier> ... */
static uint8_t cmd_number(const struct eum_cat_cmd *cmd)
{
	return cmd->buf[(cmd->buf[1] == 0x81 ? 3 : 2) + 2];
}

static uint8_t cmd_type(const struct eum_cat_cmd *cmd)
{
	return cmd->buf[(cmd->buf[1] == 0x81 ? 3 : 2) + 3];
}

uint8_t eum_cat_tail_number(const struct eum_card *card)
{
	const struct eum_cat *c = card->cat;

	if (c->count == 0)
		return 0;
	return cmd_number(&c->q[(c->head + c->count - 1) % EUM_CAT_QUEUE]);
}

int eum_cat_queued(const struct eum_card *card, uint8_t number, uint8_t type)
{
	const struct eum_cat *c = card->cat;
	unsigned i;

	for (i = 0; i < c->count; i++) {
		const struct eum_cat_cmd *cmd = &c->q[(c->head + i) % EUM_CAT_QUEUE];
		if (cmd_number(cmd) == number && cmd_type(cmd) == type)
			return 1;
	}
	return 0;
}

int eum_cat_cancel(struct eum_card *card, uint8_t number)
{
	struct eum_cat *c = card->cat;
	unsigned i, k;

	for (i = 0; i < c->count; i++) {
		unsigned at = (c->head + i) % EUM_CAT_QUEUE;
		if (cmd_number(&c->q[at]) != number)
			continue;
		if (i == 0 && c->fetched)
			return EUM_ERR_STATE;
		/* close the gap: later commands move up one place, in order */
		for (k = i; k + 1 < c->count; k++)
			c->q[(c->head + k) % EUM_CAT_QUEUE] = c->q[(c->head + k + 1) % EUM_CAT_QUEUE];
		memset(&c->q[(c->head + c->count - 1) % EUM_CAT_QUEUE], 0, sizeof(c->q[0]));
		c->count--;
		return EUM_OK;
	}
	return EUM_ERR_NOT_FOUND;
}

/* TS 102 221 §11.2: the toolkit commands pass between the terminal and the UICC; a remote command
 * script (TS 102 226) runs on a virtual channel and does not speak for the terminal. */
static int from_remote_script(const struct eum_channel *ch)
{
	return ch->ota != 0;
}

int eum_cat_tp_bit(const struct eum_card *card, unsigned n)
{
	unsigned byte = (n - 1) / 8;

	if (n == 0 || byte >= card->cat->tp_len)
		return 0;
	return (card->cat->tp[byte] >> ((n - 1) % 8)) & 1;
}

int eum_cat_queue(struct eum_card *card, const uint8_t *tlvs, size_t len)
{
	struct eum_cat *c = card->cat;
	struct eum_cat_cmd *cmd;
	struct eum_buf b;

	if (c->count == EUM_CAT_QUEUE)
		return EUM_ERR_STATE;
	if (len < 5 || (tlvs[0] & 0x7F) != TAG_COMMAND_DETAILS || tlvs[1] != 3)
		return EUM_ERR_INVALID_ARG;
	cmd = &c->q[(c->head + c->count) % EUM_CAT_QUEUE];
	eum_buf_init(&b, cmd->buf, sizeof(cmd->buf));
	eum_buf_u8(&b, 0xD0);
	if (len >= 0x80)
		eum_buf_u8(&b, 0x81);
	eum_buf_u8(&b, (uint8_t)len);
	eum_buf_put(&b, tlvs, len);
	if (b.overflow || len > 0xFF)
		return EUM_ERR_BUFFER_TOO_SMALL;
	/* TS 102 223 §8.6: command number 01..FE, unique among commands in flight */
	if (c->next_number == 0 || c->next_number == 0xFF)
		c->next_number = 1;
	cmd->buf[b.len - len + 2] = c->next_number++;
	cmd->len = (uint8_t)b.len;
	cmd->tries = 0;
	c->count++;
	return EUM_OK;
}

/* TERMINAL PROFILE, TS 102 221 §11.2.1 */
uint16_t eum_cat_terminal_profile(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                  struct eum_rsp *r)
{
	struct eum_cat *c = card->cat;
	size_t n = a->lc < sizeof(c->tp) ? a->lc : sizeof(c->tp);

	if (from_remote_script(ch))
		return EUM_SW_INS_NOT_SUPPORTED;
	if (a->p1 || a->p2)
		return EUM_SW_INCORRECT_P1P2;
	memset(c->tp, 0, sizeof(c->tp));
	memcpy(c->tp, a->data, n);
	c->tp_len = (uint8_t)n;
	c->tp_received = 1;
	c->fetched = 0;
	return EUM_SW_OK;
}

/* FETCH, TS 102 221 §11.2.3 */
uint16_t eum_cat_fetch(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_cat *c = card->cat;
	const struct eum_cat_cmd *cmd;

	if (from_remote_script(ch))
		return EUM_SW_INS_NOT_SUPPORTED;
	if (a->p1 || a->p2)
		return EUM_SW_INCORRECT_P1P2;
	if (!eum_cat_pending_len(card))
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	cmd = &c->q[c->head];
	memcpy(r->data, cmd->buf, cmd->len);
	r->len = cmd->len;
	/* Only a FETCH whose Le matched hands the command over; the engine
	 * answers 6Cxx otherwise and the command stays pending. */
	if (a->le == cmd->len)
		c->fetched = 1;
	return EUM_SW_OK;
}

static void pop(struct eum_cat *c)
{
	memset(&c->q[c->head], 0, sizeof(c->q[c->head]));
	c->head = (uint8_t)((c->head + 1) % EUM_CAT_QUEUE);
	c->count--;
	c->fetched = 0;
}

/* The APDU transaction's abort (src/card/card.c, after a failed commit: 6581): the proactive queue as it
 * was before the APDU, so that the commands it queued never leave, except that a command its TERMINAL
 * RESPONSE ended stays ended: the terminal had that response answered and does not send it again (TS 102
 * 223 §6.8), and a command left "fetched" would block the queue until the next reset. */
void eum_cat_txn_restore(struct eum_card *card, const struct eum_cat *held)
{
	struct eum_cat *c = card->cat;
	uint8_t ended = c->done_seq != held->done_seq, seq = c->done_seq, num = c->done_number, type = c->done_type,
	        result = c->done_result;

	*c = *held;
	if (ended && c->fetched && c->count) {
		pop(c);
		c->done_seq = seq;
		c->done_number = num;
		c->done_type = type;
		c->done_result = result;
	}
}

/* TS 102 223 §9.4: OPEN CHANNEL 40 .. GET CHANNEL STATUS 44, the commands of src/cat/bip.c */
static int is_bip(uint8_t type)
{
	return type >= 0x40 && type <= 0x44;
}

/* TERMINAL RESPONSE, TS 102 221 §11.2.4 with TS 102 223 §6.8 */
uint16_t eum_cat_terminal_response(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                   struct eum_rsp *r)
{
	struct eum_cat *c = card->cat;
	struct eum_tlv details, result;
	const struct eum_cat_cmd *cmd;
	uint8_t general, type;

	if (from_remote_script(ch))
		return EUM_SW_INS_NOT_SUPPORTED;
	if (a->p1 || a->p2)
		return EUM_SW_INCORRECT_P1P2;
	if (!c->fetched || c->count == 0) {
		eum_log(card, EUM_LOG_INFO, "TERMINAL RESPONSE without a fetched proactive command");
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	}
	if (eum_ctlv_find(a->data, a->lc, TAG_COMMAND_DETAILS, &details) != EUM_TLV_OK || details.len != 3 ||
	    eum_ctlv_find(a->data, a->lc, TAG_RESULT, &result) != EUM_TLV_OK || result.len < 1) {
		eum_log(card, EUM_LOG_INFO, "TERMINAL RESPONSE lacks command details or result");
		return EUM_SW_INCORRECT_DATA;
	}
	cmd = &c->q[c->head];
	/* command details must echo the fetched command (number, type) */
	if (memcmp(details.val, cmd->buf + (cmd->buf[1] == 0x81 ? 5 : 4), 2) != 0) {
		eum_log(card, EUM_LOG_INFO, "TERMINAL RESPONSE for another command");
		return EUM_SW_INCORRECT_DATA;
	}
	general = result.val[0];
	type = details.val[1];
	/* a BIP command's data objects are checked before the response ends it (src/cat/bip.c) */
	if (is_bip(type) && eum_bip_check_terminal_response(card, type, general, a->data, a->lc) != EUM_OK)
		return EUM_SW_INCORRECT_DATA;
	/* TS 102 223 §8.12: 0X = performed; 20 (terminal currently unable) and
	 * 21 (network currently unable) are worth a retry; others end the command. */
	if ((general == 0x20 || general == 0x21) && c->q[c->head].tries < 3) {
		c->q[c->head].tries++;
		c->fetched = 0;
		eum_log(card, EUM_LOG_INFO, "proactive command deferred (result %02X), retry %u", general,
		        c->q[c->head].tries);
		return EUM_SW_OK;
	}
	if (general >= 0x10)
		eum_log(card, EUM_LOG_INFO, "proactive command ended with result %02X", general);
	c->done_number = cmd_number(cmd);
	c->done_type = cmd_type(cmd);
	c->done_result = general;
	c->done_seq++;
	pop(c);
	if (is_bip(type))
		eum_bip_on_terminal_response(card, type, general, a->data, a->lc);
	return EUM_SW_OK;
}

/* The card-level commands of the proactive UICC (TS 102 221 §10.1.1, TS 102 223 §6): the engine
 * serves them on the basic channel whatever application is selected there, in or out of a
 * secure channel session (registered by src/card/card.c). */
static const struct eum_cmd cat_card_cmds[] = {
        {0x80, 0x10, EUM_CASE3, eum_cat_terminal_profile, "TERMINAL PROFILE", EUM_SEC_NONE, EUM_CMD_SM_EXEMPT},
        {0x80, 0x12, EUM_CASE2, eum_cat_fetch, "FETCH", EUM_SEC_NONE, EUM_CMD_SM_EXEMPT},
        {0x80, 0x14, EUM_CASE3, eum_cat_terminal_response, "TERMINAL RESPONSE", EUM_SEC_NONE, EUM_CMD_SM_EXEMPT},
        {0x80, 0xC2, EUM_CASE3 | EUM_CASE4, eum_cat_envelope, "ENVELOPE", EUM_SEC_NONE, EUM_CMD_SM_EXEMPT},
};
const struct eum_cmd_table eum_cat_card_cmd_table = {cat_card_cmds, sizeof(cat_card_cmds) / sizeof(cat_card_cmds[0])};
