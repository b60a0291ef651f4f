/*
 * The APDU engine: command APDU parsing (ISO/IEC 7816-3 §12.1, ISO/IEC
 * 7816-4 §5.1), class byte and logical channels (ETSI TS 102 221 §10.1.1),
 * T=0 response rules (ISO 7816-3 §12.2: 61xx / GET RESPONSE, 6Cxx), and
 * MANAGE CHANNEL (TS 102 221 §11.1.17). Handlers never see a malformed APDU:
 * case and class are checked here once, from the command tables.
 */
#include <stdlib.h>
#include <string.h>

#include "core/card.h"
#include "core/sw.h"
#include "crypto/crypto.h"

#define INS_GET_RESPONSE   0xC0
#define INS_MANAGE_CHANNEL 0x70
#define INS_SELECT         0xA4

struct cla_info {
	uint8_t base; /* 0x00 interindustry, 0x80 proprietary (TS 102 221 §10.1.1) */
	uint8_t chan;
	uint8_t sm;
	uint8_t chaining;
};

/* ISO 7816-4 §5.4.1 (first/further interindustry class), mirrored for the
 * TS 102 221 proprietary classes 8X/CX/EX. Returns 0 if the class is invalid. */
static int decode_cla(uint8_t cla, struct cla_info *ci)
{
	uint8_t rest = cla & 0x7F;

	ci->base = cla & 0x80;
	if (rest & 0x40) {
		ci->chan = (uint8_t)(4 + (rest & 0x0F));
		ci->sm = (rest & 0x20) != 0;
		ci->chaining = (rest & 0x10) != 0;
		return 1;
	}
	if (rest & 0x20) /* 2X, AX, BX: not a class TS 102 221 uses (A0 = GSM SIM) */
		return 0;
	ci->chan = rest & 0x03;
	ci->sm = (rest & 0x0C) != 0;
	ci->chaining = (rest & 0x10) != 0;
	return 1;
}

static const struct eum_cmd *find_cmd(const struct eum_cmd_table *tbl, uint8_t base, uint8_t ins, int *ins_known)
{
	size_t i;

	*ins_known = 0;
	for (i = 0; i < tbl->n; i++) {
		if (tbl->cmds[i].ins != ins)
			continue;
		*ins_known = 1;
		if (tbl->cmds[i].cla == base)
			return &tbl->cmds[i];
	}
	return NULL;
}

/* The registered application serving a channel (src/card/card.c registers them). */
static const struct eum_app_desc *app_of(const struct eum_card *card, const struct eum_channel *ch)
{
	const struct eum_engine *e = card->engine;

	return ch->app < e->n_apps && e->apps[ch->app] ? e->apps[ch->app] : e->apps[0];
}

/* ISO 7816-4 commands the engine serves itself, for every application: GET RESPONSE and
 * MANAGE CHANNEL never touch a secure channel; SELECT starts afresh (GPCS §10.2.3: selecting an
 * application ends its session). Their handlers are called by name below, not from this table. */
static const struct eum_cmd engine_cmds[] = {
        {0x00, INS_GET_RESPONSE, EUM_CASE2, NULL, "GET RESPONSE", EUM_SEC_NONE, EUM_CMD_SM_EXEMPT},
        {0x00, INS_MANAGE_CHANNEL, EUM_CASE1 | EUM_CASE2, NULL, "MANAGE CHANNEL", EUM_SEC_NONE, EUM_CMD_SM_EXEMPT},
        {0x00, INS_SELECT, EUM_CASE1 | EUM_CASE2 | EUM_CASE3 | EUM_CASE4, NULL, "SELECT", EUM_SEC_NONE,
         EUM_CMD_SC_RESTART},
};
static const struct eum_cmd_table engine_table = {engine_cmds, sizeof(engine_cmds) / sizeof(engine_cmds[0])};

/* Card-level commands are served on the basic channel whatever application is selected there
 * (as on a UICC), not on the virtual channel of a remote script. */
static int card_level(const struct eum_card *card, const struct eum_channel *ch, const struct eum_apdu *a)
{
	int known;

	return a->chan == 0 && !ch->ota && card->engine->card_cmds &&
	       find_cmd(card->engine->card_cmds, a->cla & 0x80, a->ins, &known) != NULL;
}

/* The row that will serve this command, for its flags and cases (NULL: none). */
static const struct eum_cmd *row_of(const struct eum_card *card, const struct eum_channel *ch, const struct eum_apdu *a)
{
	const struct eum_cmd *cmd;
	int known;

	cmd = find_cmd(&engine_table, a->cla & 0x80, a->ins, &known);
	if (cmd)
		return cmd;
	if (card_level(card, ch, a))
		return find_cmd(card->engine->card_cmds, a->cla & 0x80, a->ins, &known);
	return find_cmd(app_of(card, ch)->cmds, a->cla & 0x80, a->ins, &known);
}

static size_t put_sw(uint8_t *out, size_t pos, uint16_t sw)
{
	out[pos] = (uint8_t)(sw >> 8);
	out[pos + 1] = (uint8_t)sw;
	return pos + 2;
}

/* 9000 becomes 91xx while a proactive command waits (TS 102 221 §7.4.2.2). */
static uint16_t final_sw(const struct eum_card *card, uint16_t sw)
{
	size_t pending;

	if (sw != EUM_SW_OK)
		return sw;
	pending = card->engine->proactive_pending ? card->engine->proactive_pending(card) : 0;
	if (pending)
		return (uint16_t)(EUM_SW_PROACTIVE_PENDING | (pending & 0xFF));
	return sw;
}

static uint16_t sw61(size_t avail)
{
	return (uint16_t)(EUM_SW_BYTES_AVAILABLE | (avail >= 256 ? 0 : avail));
}

/* GET RESPONSE (TS 102 221 §11.1.13, ISO 7816-3 §12.2.2): hand out pending data. */
static size_t get_response(struct eum_card *card, const struct eum_apdu *a, uint8_t *out)
{
	size_t avail, n;

	if (a->cases != EUM_CASE2) /* GET RESPONSE is case 2: a 4-byte header has no Le */
		return put_sw(out, 0, EUM_SW_WRONG_LENGTH);
	if (card->resp_chan != (int8_t)a->chan || card->resp_off >= card->resp_len)
		return put_sw(out, 0, EUM_SW_CONDITIONS_NOT_SATISFIED);
	if (a->p1 != 0 || a->p2 != 0)
		return put_sw(out, 0, EUM_SW_INCORRECT_P1P2);
	avail = card->resp_len - card->resp_off;
	n = a->le;
	if (n > avail)
		return put_sw(out, 0, (uint16_t)(EUM_SW_WRONG_LE | (avail >= 256 ? 0 : avail)));
	memcpy(out, card->resp + card->resp_off, n);
	card->resp_off += n;
	avail -= n;
	if (avail)
		return put_sw(out, n, sw61(avail));
	card->resp_chan = -1;
	/* fully read: nothing of it (CK/IK of an AUTHENTICATE, keys, receipts) stays on the card */
	eum_wipe(card->resp, card->resp_len);
	card->resp_len = card->resp_off = 0;
	return put_sw(out, n, final_sw(card, card->resp_sw));
}

/* MANAGE CHANNEL (TS 102 221 §11.1.17, ISO 7816-4 §7.1.2). */
static uint16_t manage_channel(struct eum_card *card, const struct eum_apdu *a, struct eum_rsp *r)
{
	unsigned n;

	if (a->p1 == 0x00) {
		if (a->p2 == 0x00) {
			if (a->cases != EUM_CASE2)
				return EUM_SW_WRONG_LENGTH;
			for (n = 1; n < EUM_MAX_CHANNELS && card->ch[n].open; n++)
				;
			if (n == EUM_MAX_CHANNELS)
				return EUM_SW_FUNCTION_NOT_SUPPORTED;
		} else {
			if (a->cases != EUM_CASE1)
				return EUM_SW_WRONG_LENGTH;
			n = a->p2;
			if (n >= EUM_MAX_CHANNELS)
				return EUM_SW_INCORRECT_P1P2;
			if (card->ch[n].open)
				return EUM_SW_CONDITIONS_NOT_SATISFIED;
		}
		/* Opened from the basic channel: the MF is current; from another
		 * channel: its selection is inherited (TS 102 221 §11.1.17.2), and
		 * never its secure channel or command sequences. */
		if (eum_card_open_channel(card, n, a->chan) != EUM_OK) {
			eum_log(card, EUM_LOG_ERROR, "logical channel %u: no memory for its state", n);
			return EUM_SW_MEMORY_PROBLEM;
		}
		if (a->p2 == 0x00)
			r->data[r->len++] = (uint8_t)n;
		eum_log(card, EUM_LOG_DEBUG, "logical channel %u opened", n);
		return EUM_SW_OK;
	}
	if (a->p1 == 0x80) {
		if (a->cases != EUM_CASE1)
			return EUM_SW_WRONG_LENGTH;
		if (a->p2 == 0 || a->p2 >= EUM_MAX_CHANNELS)
			return EUM_SW_INCORRECT_P1P2;
		if (!card->ch[a->p2].open)
			return EUM_SW_LOGICAL_CHANNEL_NOT_SUPPORTED;
		eum_card_close_channel(card, a->p2);
		eum_log(card, EUM_LOG_DEBUG, "logical channel %u closed", a->p2);
		return EUM_SW_OK;
	}
	return EUM_SW_INCORRECT_P1P2;
}

uint16_t eum_dispatch(struct eum_card *card, struct eum_channel *ch, const struct eum_cmd_table *tbl,
                      const struct eum_apdu *a, struct eum_rsp *r)
{
	const struct eum_sc_ops *sc = app_of(card, ch)->sc;
	const struct eum_cmd *cmd;
	int ins_known;

	cmd = find_cmd(tbl, a->cla & 0x80, a->ins, &ins_known);
	if (!cmd)
		return ins_known ? EUM_SW_CLA_NOT_SUPPORTED : EUM_SW_INS_NOT_SUPPORTED;
	if (!(cmd->cases & a->cases)) {
		eum_log(card, EUM_LOG_INFO, "%s: APDU case %u not allowed", cmd->name, (unsigned)a->cases);
		return EUM_SW_WRONG_LENGTH;
	}
	/* GPCS §10.2 / SGP.02 §4: management commands only inside the SD's secured channel */
	if (cmd->sec == EUM_SEC_SECURE && !ch->ota && !(a->sm && sc && sc->active(ch))) {
		eum_log(card, EUM_LOG_INFO, "%s refused: no secure channel", cmd->name);
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	}
	return cmd->fn(card, ch, a, r);
}

/*
 * Work out the APDU case from its length and the command's allowed cases
 * (ISO 7816-3 §12.1.3). A 5-byte APDU is case 2 for commands that return
 * data, case 1 with P3 = 00 for those that do not (a T=0 header always
 * carries P3). Returns 0 on success or the SW to answer.
 */
static uint16_t parse_body(const uint8_t *capdu, size_t len, uint8_t allowed, struct eum_apdu *a)
{
	size_t lc;

	a->data = NULL;
	a->lc = 0;
	a->le = 0;
	if (len == 4) {
		a->cases = EUM_CASE1;
		return 0;
	}
	if (len == 5) {
		if (allowed & EUM_CASE2) {
			a->cases = EUM_CASE2;
			a->le = capdu[4] ? capdu[4] : 256;
			return 0;
		}
		if (capdu[4] == 0x00 && (allowed & EUM_CASE1)) {
			a->cases = EUM_CASE1;
			return 0;
		}
		return EUM_SW_WRONG_LENGTH;
	}
	if (len == 7 && capdu[4] == 0x00 && (allowed & EUM_CASE2)) {
		/* extended Le (ISO 7816-4 §5.1): tolerated where real modems send it */
		size_t ne = ((size_t)capdu[5] << 8) | capdu[6];
		a->cases = EUM_CASE2;
		a->le = ne == 0 || ne > 256 ? 256 : ne;
		return 0;
	}
	lc = capdu[4];
	if (lc == 0)
		return EUM_SW_WRONG_LENGTH;
	a->data = capdu + 5;
	a->lc = lc;
	if (len == 5 + lc) {
		a->cases = EUM_CASE3;
		return 0;
	}
	if (len == 6 + lc) {
		a->cases = EUM_CASE4;
		a->le = capdu[5 + lc] ? capdu[5 + lc] : 256;
		return 0;
	}
	return EUM_SW_WRONG_LENGTH;
}

static uint8_t allowed_cases(const struct eum_card *card, const struct eum_channel *ch, const struct eum_apdu *a)
{
	const struct eum_cmd *cmd;

	/* MANAGE CHANNEL: open with card-assigned number is case 2 (Le = 01),
	 * open of a given number and close are case 1 */
	if ((a->cla & 0x80) == 0x00 && a->ins == INS_MANAGE_CHANNEL)
		return a->p1 == 0x00 && a->p2 == 0x00 ? EUM_CASE2 : EUM_CASE1;
	cmd = row_of(card, ch, a);
	return cmd ? cmd->cases : (EUM_CASE1 | EUM_CASE2 | EUM_CASE3 | EUM_CASE4);
}

static uint16_t process(struct eum_card *card, struct eum_channel *ch, const uint8_t *capdu, size_t len,
                        struct eum_rsp *r, uint8_t *cases)
{
	const struct eum_sc_ops *sc = app_of(card, ch)->sc;
	const struct eum_cmd *row;
	uint8_t plain[EUM_APDU_MAX], flags;
	struct eum_apdu a;
	struct cla_info ci;
	uint16_t sw;

	*cases = 0;
	r->len = 0;
	if (len < 4 || len > EUM_APDU_MAX)
		return EUM_SW_WRONG_LENGTH;
	memset(&a, 0, sizeof(a));
	a.raw = capdu;
	a.raw_len = len;
	if (!decode_cla(capdu[0], &ci) || capdu[0] == 0xFF)
		return EUM_SW_CLA_NOT_SUPPORTED;
	/* ISO 7816-4 §5.1.2: INS 6X and 9X are invalid. */
	if ((capdu[1] & 0xF0) == 0x60 || (capdu[1] & 0xF0) == 0x90)
		return EUM_SW_INS_NOT_SUPPORTED;
	if (ci.chaining)
		return EUM_SW_CHAINING_NOT_SUPPORTED;
	/* the row's flags decide what the channel's secure channel does with the command */
	a.cla = ci.base;
	a.chan = ci.chan;
	a.ins = capdu[1];
	a.p1 = capdu[2];
	a.p2 = capdu[3];
	row = row_of(card, ch, &a);
	flags = row ? row->flags : 0;
	if (ci.sm) {
		/* GP Amd D §6.2: secure messaging belongs to the application's secure channel; the
		 * command that opens it (EXTERNAL AUTHENTICATE) carries its own C-MAC */
		if (!sc)
			return EUM_SW_SECURE_MESSAGING_NOT_SUPPORTED;
		if (!(flags & EUM_CMD_SC_OPEN)) {
			size_t plen = len;
			memcpy(plain, capdu, len);
			sw = sc->unwrap(ch, plain, &plen);
			if (sw != EUM_SW_OK) {
				eum_log(card, EUM_LOG_INFO,
				        "secure messaging: command refused (SW %04X), session closed", sw);
				return sw;
			}
			capdu = plain;
			len = plen;
			a.sm = 1;
			if (!decode_cla(capdu[0], &ci))
				return EUM_SW_CLA_NOT_SUPPORTED;
		}
	} else if (sc && sc->active(ch) && !(flags & EUM_CMD_SM_EXEMPT)) {
		/* Amd D §6.2.4: in a C-MAC session a command without it ends the session;
		 * INITIALIZE UPDATE and SELECT start afresh (GPCS §10.2.3) */
		size_t plen = len;
		if (flags & EUM_CMD_SC_RESTART) {
			sc->close(ch);
		} else {
			memcpy(plain, capdu, len);
			sw = sc->unwrap(ch, plain, &plen);
			if (sw != EUM_SW_OK)
				return sw;
		}
	}
	a.cla = ci.base;
	a.chan = ci.chan;
	a.ins = capdu[1];
	a.p1 = capdu[2];
	a.p2 = capdu[3];

	/* SELECT by DF name reaches the registered AIDs first (the platform's security domains) */
	if (a.cla == 0x00 && a.ins == INS_SELECT && card->engine->route_select) {
		sw = parse_body(capdu, len, EUM_CASE1 | EUM_CASE2 | EUM_CASE3 | EUM_CASE4, &a);
		if (sw)
			return sw;
		*cases = a.cases;
		sw = card->engine->route_select(card, ch, &a, r);
		if (sw)
			goto done;
	}
	sw = parse_body(capdu, len, allowed_cases(card, ch, &a), &a);
	if (sw)
		return sw;
	*cases = a.cases;
	if (ci.base == 0x00 && a.ins == INS_MANAGE_CHANNEL && !ch->ota)
		sw = manage_channel(card, &a, r);
	else if (card_level(card, ch, &a))
		sw = eum_dispatch(card, ch, card->engine->card_cmds, &a, r);
	else
		sw = eum_dispatch(card, ch, app_of(card, ch)->cmds, &a, r);
done:
	/* the application may have changed (SELECT): its secure channel wraps the response */
	sc = app_of(card, ch)->sc;
	if (sc && sc->wrap(ch, r->data, &r->len, r->cap, sw) != EUM_OK) {
		r->len = 0;
		sw = EUM_SW_TECHNICAL_PROBLEM;
	}
	return sw;
}

void eum_notify(struct eum_card *card, enum eum_event ev, const void *arg)
{
	size_t i;

	for (i = 0; i < card->engine->n_observers; i++)
		if (card->engine->observers[i].ev == ev)
			card->engine->observers[i].fn(card, ev, arg);
}

/* Which logical channels are open, as a bitmap. */
static uint32_t open_channels(const struct eum_card *card)
{
	uint32_t m = 0;
	unsigned n;

	for (n = 0; n < EUM_MAX_CHANNELS; n++)
		if (card->ch[n].open)
			m |= 1u << n;
	return m;
}

/* ISO 7816-3 §12.2.2: 6Cxx asks the terminal to re-issue the same command with P3 = xx, so a
 * case 2 command answered 6Cxx must leave no trace: the channel's selection and record
 * pointer come back and a channel it opened (MANAGE CHANNEL, Le not 01) is closed again. */
static void undo_case2(struct eum_card *card, unsigned chan, uint32_t was_open)
{
	unsigned n;

	card->engine->sel_restore(card, chan);
	for (n = 0; n < EUM_MAX_CHANNELS; n++)
		if (card->ch[n].open && !((was_open >> n) & 1))
			eum_card_close_channel(card, n);
}

/*
 * One transaction per APDU (as a card's transaction mechanism): everything the
 * APDU changed — including what the commands of a remote script inside an
 * ENVELOPE changed — is committed together, once, before its response leaves.
 * Commits requested while an APDU is being processed are deferred to this
 * point (eum_store_commit()). Output produced inside the APDU — proactive
 * commands, a PoR by SEND SHORT MESSAGE — is released only when the commit
 * succeeded: a failed commit discards it and the APDU answers 6581.
 *
 * Security counters, each committed in one place before the answer that
 * depends on it leaves:
 *  - PIN/PUK try counters: stored before the value is compared (pin.c present());
 *  - SCP80 CNTR: stored once the packet authenticated, before the script runs
 *    (ota.c process_packet());
 *  - SCP03t sequence counter: stored before the card challenge leaves
 *    (scp03t.c init_update());
 *  - SCP03 sequence counter (INITIALIZE UPDATE) and the AKA SQN array
 *    (AUTHENTICATE): they move only when the command succeeds, and are stored
 *    here, before its response (with the challenge or RES) leaves;
 *  - ES5 notification sequence numbers: stored by eum_es5_after_apdu() before
 *    the SEND SHORT MESSAGE carrying them is announced (es5_switch.c settle()).
 * The first three use eum_store_commit_now(), which writes even inside an APDU.
 */
uint16_t eum_process_apdu(struct eum_card *card, struct eum_channel *ch, const uint8_t *capdu, size_t len,
                          struct eum_rsp *r, uint8_t *cases)
{
	const struct eum_engine *e = card->engine;
	int outer = card->txn_depth == 0;
	uint16_t sw;

	if (outer) {
		card->txn_failed = 0;
		e->txn_begin(card); /* the outputs of this APDU wait for its commit */
	}
	card->txn_depth++;
	sw = process(card, ch, capdu, len, r, cases);
	card->txn_depth--;
	if (outer && (e->txn_commit(card) != EUM_OK || card->txn_failed)) {
		r->len = 0;
		sw = EUM_SW_MEMORY_PROBLEM;
		e->txn_abort(card);
		card->txn_failed = 0;
	}
	return sw;
}

int eum_apdu_transmit(eum_card *card, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t cap, size_t *rlen)
{
	uint32_t open_before;
	struct cla_info ci;
	struct eum_apdu a;
	struct eum_rsp r;
	uint8_t cases, scratch[EUM_RESP_MAX];
	uint16_t sw;
	uint8_t *out;

	if (!card || !capdu || !rapdu || !rlen)
		return EUM_ERR_INVALID_ARG;
	if (!card->powered)
		return EUM_ERR_NOT_POWERED;
	if (cap < 258)
		return EUM_ERR_BUFFER_TOO_SMALL;
	out = rapdu;
	*rlen = 0;

	if (len < 4 || len > 261) {
		eum_log(card, EUM_LOG_INFO, "APDU of %zu bytes refused", len);
		*rlen = put_sw(out, 0, EUM_SW_WRONG_LENGTH);
		return EUM_OK;
	}
	if (!decode_cla(capdu[0], &ci) || capdu[0] == 0xFF) {
		*rlen = put_sw(out, 0, EUM_SW_CLA_NOT_SUPPORTED);
		return EUM_OK;
	}
	if (ci.chan >= EUM_MAX_CHANNELS || !card->ch[ci.chan].open) {
		*rlen = put_sw(out, 0, EUM_SW_LOGICAL_CHANNEL_NOT_SUPPORTED);
		return EUM_OK;
	}
	if (ci.base == 0x00 && capdu[1] == INS_GET_RESPONSE && !ci.sm && !ci.chaining) {
		memset(&a, 0, sizeof(a));
		a.chan = ci.chan;
		a.p1 = capdu[2];
		a.p2 = capdu[3];
		sw = parse_body(capdu, len, EUM_CASE2, &a);
		if (sw) {
			*rlen = put_sw(out, 0, sw);
			return EUM_OK;
		}
		*rlen = get_response(card, &a, out);
		return EUM_OK;
	}
	/* Any other command discards data not fetched (ISO 7816-3 §12.2.2), wiped. */
	card->resp_chan = -1;
	eum_wipe(card->resp, card->resp_len);
	card->resp_len = card->resp_off = 0;
	r.data = scratch; /* this APDU's answer: on the stack, wiped before returning */
	r.cap = EUM_RESP_MAX;
	r.len = 0;
	card->engine->sel_save(card, ci.chan);
	open_before = open_channels(card);
	sw = eum_process_apdu(card, &card->ch[ci.chan], capdu, len, &r, &cases);
	/* e.g. SGP.02: a profile switch runs once the APDU that asked for it is complete */
	eum_notify(card, EUM_EV_AFTER_APDU, NULL);

	if (r.len == 0) {
		eum_wipe(scratch, sizeof(scratch)); /* what a refused handler may have left */
		*rlen = put_sw(out, 0, final_sw(card, sw));
		return EUM_OK;
	}
	if (cases == EUM_CASE2 && (len == 5 || len == 7)) {
		/* T=0 case 2 on the wire (an SCP03-wrapped case 2 travels as case 4): the
		 * data goes out now if Le matches, else 6Cxx. */
		size_t le = len == 7 ? (((size_t)capdu[5] << 8) | capdu[6]) : capdu[4];
		if (le == 0 || le > 256)
			le = 256;
		if (le != r.len) {
			undo_case2(card, ci.chan, open_before);
			eum_wipe(scratch, sizeof(scratch));
			*rlen = put_sw(out, 0, (uint16_t)(EUM_SW_WRONG_LE | (r.len >= 256 ? 0 : r.len)));
			return EUM_OK;
		}
		memcpy(out, r.data, r.len);
		eum_wipe(scratch, sizeof(scratch));
		*rlen = put_sw(out, r.len, final_sw(card, sw));
		return EUM_OK;
	}
	/* Cases 1, 3 and 4 over T=0: the data waits for GET RESPONSE (in resp only: the scratch copy
	 * is wiped now, resp once read or discarded). resp grows to the largest answer so far (owned
	 * by the card): no allocation once a modem's usual answers have been seen. */
	if (r.len > card->resp_cap) {
		size_t ncap = (r.len + 255) & ~(size_t)255;
		uint8_t *nb = malloc(ncap);
		if (!nb) {
			eum_wipe(scratch, sizeof(scratch));
			*rlen = put_sw(out, 0, EUM_SW_MEMORY_PROBLEM);
			return EUM_OK;
		}
		if (card->resp) {
			eum_wipe(card->resp, card->resp_cap);
			free(card->resp);
		}
		card->resp = nb;
		card->resp_cap = ncap;
	}
	memcpy(card->resp, r.data, r.len);
	eum_wipe(scratch, sizeof(scratch));
	card->resp_len = r.len;
	card->resp_off = 0;
	card->resp_sw = sw;
	card->resp_chan = (int8_t)ci.chan;
	*rlen = put_sw(out, 0, sw61(r.len));
	return EUM_OK;
}
