/*
 * Remote APDU structures, card side: ETSI TS 102 226 §5.1 (compact remote command / response)
 * and §5.2 (expanded format: command scripting templates AA/AE, response scripting templates
 * AB/AF). See remote_apdu.h for the status-word rule and the GET RESPONSE policy.
 */
#include "ota/remote_apdu.h"

#include <string.h>

#include "core/sw.h"
#include "eum/eum.h"
#include "util/tlv.h"

#define SHORT_APDU_MAX 261 /* CLA INS P1 P2 Lc 255 Le */
#define MAX_EXECUTED   255 /* the executed-commands count is one octet */

/* TS 102 226 §5.1.1 / §5.2.1: SWs after which the script goes on (see remote_apdu.h). */
int eum_rapdu_sw_continues(uint16_t sw)
{
	uint8_t sw1 = (uint8_t)(sw >> 8);

	if (sw == EUM_SW_OK || sw1 == 0x91 || sw1 == 0x92 || sw1 == 0x61 || sw1 == 0x9F)
		return 1;
	if (EUM_RAPDU_WARNINGS_CONTINUE && (sw1 == 0x62 || sw1 == 0x63))
		return 1;
	return 0;
}

enum eum_rapdu_format eum_rapdu_detect(const uint8_t *script, size_t len)
{
	if (script && len >= 1 && script[0] == EUM_RAPDU_TAG_CMD_SCRIPT)
		return EUM_RAPDU_EXPANDED_DEFINITE;
	if (script && len >= 1 && script[0] == EUM_RAPDU_TAG_CMD_SCRIPT_INDEF)
		return EUM_RAPDU_EXPANDED_INDEFINITE;
	return EUM_RAPDU_COMPACT;
}

/* TS 102 221 §10.1.2 / GlobalPlatform: instructions whose T=0 P3 is Le (case 2: no command data). */
static const struct {
	uint8_t cla_mask, cla, ins;
} case2_table[] = {
        {0x00, 0x00, 0xB0}, /* READ BINARY */
        {0x00, 0x00, 0xB2}, /* READ RECORD */
        {0x00, 0x00, 0xC0}, /* GET RESPONSE */
        {0x00, 0x00, 0x84}, /* GET CHALLENGE */
        {0x00, 0x00, 0xCA}, /* GET DATA (ISO 7816-4, GlobalPlatform) */
        {0x00, 0x00, 0x70}, /* MANAGE CHANNEL (open: Le = 01; close: P3 = 00) */
        {0x80, 0x80, 0x12}, /* FETCH */
};

static int compact_is_case2(const uint8_t *hdr)
{
	size_t i;

	for (i = 0; i < sizeof(case2_table) / sizeof(case2_table[0]); i++)
		if ((hdr[0] & case2_table[i].cla_mask) == case2_table[i].cla && hdr[1] == case2_table[i].ins)
			return 1;
	/* 80 F2: STATUS (TS 102 221 §11.1.2, P1 00..02, case 2) vs GlobalPlatform GET STATUS (P1 10..80,
	 * command data) */
	return (hdr[0] & 0x80) && hdr[1] == 0xF2 && hdr[2] <= 0x02;
}

/* ISO 7816-4 §5.4.1 class byte of GET RESPONSE on the command's logical channel. */
static uint8_t get_response_cla(uint8_t cla)
{
	return (cla & 0x40) ? (uint8_t)(0x40 | (cla & 0x0F)) : (uint8_t)(cla & 0x03);
}

/* Position of Le in a short APDU (expanded: ISO form; compact: T=0 form), or len when absent. */
static size_t le_pos(const uint8_t *c, size_t len, int compact)
{
	if (len == 5)
		return 4; /* case 2 (or the T=0 P3) */
	if (!compact && len > 5 && len == 6 + (size_t)c[4])
		return len - 1; /* case 4 */
	return len;
}

/*
 * Execute one C-APDU; with `fetch`, follow 6Cxx once and 61xx/9Fxx with GET RESPONSE.
 * Writes at most cap data octets; *dlen = octets written, *trunc = 1 if more were produced.
 */
static uint16_t exec_one(const struct eum_rapdu_ops *ops, int fetch, int compact, const uint8_t *capdu, size_t clen,
                         uint8_t *rdata, size_t cap, size_t *dlen, int *trunc)
{
	size_t rlen = 0, rounds;
	uint16_t sw;

	*dlen = 0;
	*trunc = 0;
	if (clen < 4 || clen > SHORT_APDU_MAX)
		return EUM_SW_WRONG_LENGTH;
	sw = ops->exec(ops->ctx, capdu, clen, rdata, cap, &rlen);
	if (fetch && (sw & 0xFF00) == 0x6C00 && clen >= 5) {
		/* ISO 7816-3 §10.3.3: re-send the same command with the Le the card asked for */
		uint8_t again[SHORT_APDU_MAX + 1];
		size_t pos = le_pos(capdu, clen, compact);

		memcpy(again, capdu, clen);
		again[pos] = (uint8_t)sw;
		rlen = 0;
		sw = ops->exec(ops->ctx, again, pos == clen ? clen + 1 : clen, rdata, cap, &rlen);
	}
	if (rlen > cap) {
		*trunc = 1;
		rlen = cap;
	}
	*dlen = rlen;
	for (rounds = 0; fetch && !*trunc && rounds < EUM_RAPDU_MAX_FETCH; rounds++) {
		uint8_t gr[5];

		if ((sw & 0xFF00) != 0x6100 && (sw & 0xFF00) != 0x9F00)
			break;
		gr[0] = get_response_cla(capdu[0]);
		gr[1] = 0xC0;
		gr[2] = 0x00;
		gr[3] = 0x00;
		gr[4] = (uint8_t)sw;
		rlen = 0;
		sw = ops->exec(ops->ctx, gr, sizeof(gr), rdata + *dlen, cap - *dlen, &rlen);
		if (rlen > cap - *dlen) {
			*trunc = 1;
			rlen = cap - *dlen;
		}
		*dlen += rlen;
	}
	return sw;
}

/* TS 102 226 §5.1.1 / §5.1.2: compact script and response. */
static int run_compact(const uint8_t *script, size_t len, const struct eum_rapdu_ops *ops, unsigned flags, uint8_t *out,
                       size_t cap, struct eum_rapdu_result *res)
{
	size_t pos = 0, dlen = 0;
	int fetch = (flags & EUM_RAPDU_FETCH_COMPACT) != 0;

	while (pos < len) {
		size_t left = len - pos, clen;
		int trunc = 0;
		uint16_t sw;

		if (res->executed == MAX_EXECUTED) {
			res->truncated = 1;
			break;
		}
		clen = left < 5 ? left + 1 : 5 + (compact_is_case2(script + pos) ? 0 : (size_t)script[pos + 4]);
		if (clen > left) {
			/* a command cut short: answered as the APDU layer would, and the script ends */
			res->executed++;
			res->last_sw = EUM_SW_WRONG_LENGTH;
			res->stopped = 1;
			dlen = 0;
			break;
		}
		sw = exec_one(ops, fetch, 1, script + pos, clen, out + 3, cap - 3, &dlen, &trunc);
		res->executed++;
		res->last_sw = sw;
		pos += clen;
		if (trunc) {
			res->truncated = 1;
			break;
		}
		if (!eum_rapdu_sw_continues(sw)) {
			res->stopped = 1;
			break;
		}
	}
	out[0] = (uint8_t)res->executed;
	out[1] = (uint8_t)(res->last_sw >> 8);
	out[2] = (uint8_t)res->last_sw;
	res->len = 3 + (res->executed ? dlen : 0);
	return EUM_OK;
}

struct xctx {
	const struct eum_rapdu_ops *ops;
	int fetch;
	struct eum_buf b;
	size_t reserve; /* octets kept free for what closes the response */
	const uint8_t *err_act;
	size_t err_act_len;
	struct eum_rapdu_result *res;
};

static size_t room(const struct xctx *x)
{
	size_t used = x->b.len + x->reserve;

	return used >= x->b.cap ? 0 : x->b.cap - used;
}

/* One C-APDU TLV -> one R-APDU TLV (TS 102 226 §5.2.1 / §5.2.2). Returns 0 to go on. */
static int expanded_capdu(struct xctx *x, const struct eum_tlv *t)
{
	size_t mark, avail, dlen = 0;
	int trunc = 0;
	uint16_t sw;

	if (x->res->executed == MAX_EXECUTED) {
		x->res->truncated = 1;
		return 1;
	}
	/* 23 + up to 3 length octets + SW1 SW2 must fit besides the data */
	avail = room(x);
	if (avail < 1 + 3 + 2) {
		x->res->truncated = 1;
		return 1;
	}
	mark = eum_buf_ber_open(&x->b, EUM_RAPDU_TAG_RAPDU);
	avail -= 1 + 3 + 2;
	sw = exec_one(x->ops, x->fetch, 0, t->val, t->len, x->b.p + x->b.len, avail, &dlen, &trunc);
	x->b.len += dlen;
	eum_buf_u16(&x->b, sw);
	eum_buf_ber_close(&x->b, mark);
	x->res->executed++;
	x->res->last_sw = sw;
	if (trunc) {
		x->res->truncated = 1;
		return 1;
	}
	if (!eum_rapdu_sw_continues(sw)) {
		x->res->stopped = 1;
		if (x->ops->error_action)
			x->ops->error_action(x->ops->ctx, x->err_act, x->err_act_len, sw);
		return 1;
	}
	return 0;
}

/* Immediate action (tag 81) or another TLV handed to a hook; the hook's answer is appended. */
static int expanded_hook(struct xctx *x, const struct eum_tlv *t)
{
	size_t rlen = 0, avail = room(x), mark;
	int rc;

	if (t->tag == EUM_RAPDU_TAG_IMMEDIATE_ACTION) {
		if (!x->ops->immediate)
			return 0;
		if (avail < 1 + 3) {
			x->res->truncated = 1;
			return 1;
		}
		mark = eum_buf_ber_open(&x->b, EUM_RAPDU_TAG_IMMEDIATE_ACTION);
		rc = x->ops->immediate(x->ops->ctx, t->val, t->len, x->b.p + x->b.len, avail - 4, &rlen);
		if (rc != 0 || rlen == 0 || rlen > avail - 4) {
			x->b.len = mark - 2; /* nothing to report: drop the opened TLV */
			if (rc != 0)
				x->res->stopped = 1;
			else if (rlen > avail - 4)
				x->res->truncated = 1;
			return rc != 0 || rlen > avail - 4;
		}
		x->b.len += rlen;
		eum_buf_ber_close(&x->b, mark);
		return 0;
	}
	if (!x->ops->other || t->tag > 0xFF)
		return -1;
	if (x->ops->other(x->ops->ctx, (uint8_t)t->tag, t->val, t->len, x->b.p + x->b.len, avail, &rlen) != 0)
		return -1;
	if (rlen > avail) {
		x->res->truncated = 1;
		return 1;
	}
	x->b.len += rlen;
	return 0;
}

static void bad_format(struct xctx *x, uint8_t code)
{
	uint8_t v = code;

	x->res->bad_format = code;
	x->reserve -= 3; /* the 3 octets were kept for this TLV */
	eum_buf_ber_tlv(&x->b, EUM_RAPDU_TAG_BAD_FORMAT, &v, 1);
}

/* TS 102 226 §5.2.1: walk the TLVs of a command scripting template. */
static void expanded_walk(struct xctx *x, const uint8_t *p, size_t len, int indefinite)
{
	struct eum_tlv_reader r;
	struct eum_tlv t;
	int first = 1, rc;

	eum_tlv_reader_init(&r, p, len);
	for (;;) {
		rc = eum_ber_next(&r, &t);
		if (rc == EUM_TLV_END) {
			if (indefinite) /* end-of-contents 00 00 missing */
				bad_format(x, EUM_RAPDU_BAD_WRONG_LENGTH);
			return;
		}
		if (rc != EUM_TLV_OK) {
			/* only a tag left: the length is missing; else the length runs past the script */
			bad_format(x, r.left == 1 ? EUM_RAPDU_BAD_LENGTH_MISSING : EUM_RAPDU_BAD_WRONG_LENGTH);
			return;
		}
		if (indefinite && t.tag == 0x00 && t.len == 0)
			return; /* end-of-contents */
		switch (t.tag) {
		case EUM_RAPDU_TAG_CAPDU:
			if (expanded_capdu(x, &t))
				return;
			break;
		case EUM_RAPDU_TAG_ERROR_ACTION:
			x->err_act = t.val;
			x->err_act_len = t.len;
			break;
		case EUM_RAPDU_TAG_SCRIPT_CHAINING:
			if (!first) {
				bad_format(x, EUM_RAPDU_BAD_UNKNOWN_TAG);
				return;
			}
			if (t.len != 1) {
				bad_format(x, EUM_RAPDU_BAD_WRONG_LENGTH);
				return;
			}
			x->res->chaining = t.val[0];
			break;
		default:
			rc = expanded_hook(x, &t);
			if (rc < 0)
				bad_format(x, EUM_RAPDU_BAD_UNKNOWN_TAG);
			if (rc != 0)
				return;
			break;
		}
		first = 0;
	}
}

/* TS 102 226 §5.2: expanded script (AA definite / AE indefinite) and its response (AB / AF). */
static int run_expanded(const uint8_t *script, size_t len, const struct eum_rapdu_ops *ops, unsigned flags,
                        uint8_t *out, size_t cap, struct eum_rapdu_result *res)
{
	struct xctx x;
	size_t mark = 0, count_pos = 0;
	int indefinite = res->format == EUM_RAPDU_EXPANDED_INDEFINITE;
	const uint8_t *body = NULL;
	size_t body_len = 0;
	int header_bad = 0;

	memset(&x, 0, sizeof(x));
	x.ops = ops;
	x.fetch = (flags & EUM_RAPDU_FETCH_EXPANDED) != 0;
	x.res = res;
	eum_buf_init(&x.b, out, cap);
	/* kept free until the end: bad format TLV (3), plus 00 00 (indefinite) or the AB length
	 * growing from 1 to 3 octets (definite) */
	x.reserve = 3 + (indefinite ? 2 : 3);

	if (indefinite) {
		eum_buf_u8(&x.b, EUM_RAPDU_TAG_RSP_SCRIPT_INDEF);
		eum_buf_u8(&x.b, 0x80);
		if (len < 2 || script[1] != 0x80)
			header_bad = EUM_RAPDU_BAD_LENGTH_MISSING;
		else {
			body = script + 2;
			body_len = len - 2;
		}
	} else {
		struct eum_tlv_reader r;
		struct eum_tlv t;

		mark = eum_buf_ber_open(&x.b, EUM_RAPDU_TAG_RSP_SCRIPT);
		count_pos = x.b.len + 2;
		eum_buf_u8(&x.b, EUM_RAPDU_TAG_NUM_EXECUTED);
		eum_buf_u8(&x.b, 1);
		eum_buf_u8(&x.b, 0);
		eum_tlv_reader_init(&r, script, len);
		if (eum_ber_next(&r, &t) != EUM_TLV_OK)
			header_bad = len < 2 ? EUM_RAPDU_BAD_LENGTH_MISSING : EUM_RAPDU_BAD_WRONG_LENGTH;
		else if (r.left != 0)
			header_bad = EUM_RAPDU_BAD_WRONG_LENGTH;
		else {
			body = t.val;
			body_len = t.len;
		}
	}
	if (x.b.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;

	if (header_bad)
		bad_format(&x, (uint8_t)header_bad);
	else
		expanded_walk(&x, body, body_len, indefinite);

	if (indefinite) {
		eum_buf_u8(&x.b, 0x00);
		eum_buf_u8(&x.b, 0x00);
	} else {
		out[count_pos] = (uint8_t)res->executed;
		eum_buf_ber_close(&x.b, mark);
	}
	if (x.b.overflow) /* cannot happen: the reserve covers the closing octets */
		return EUM_ERR_BUFFER_TOO_SMALL;
	res->len = x.b.len;
	return EUM_OK;
}

/* TS 102 226 §5: run a remote command script (format from the first octet). */
int eum_rapdu_run(const uint8_t *script, size_t len, const struct eum_rapdu_ops *ops, unsigned flags, uint8_t *out,
                  size_t cap, struct eum_rapdu_result *res)
{
	if ((!script && len) || !ops || !ops->exec || !out || !res)
		return EUM_ERR_INVALID_ARG;
	memset(res, 0, sizeof(*res));
	res->format = eum_rapdu_detect(script, len);
	if (res->format == EUM_RAPDU_COMPACT) {
		if (cap < 3)
			return EUM_ERR_BUFFER_TOO_SMALL;
		return run_compact(script, len, ops, flags, out, cap, res);
	}
	/* AB 05 80 01 00 90 01 xx needs 8; AF 80 90 01 xx 00 00 needs 7: demand the larger */
	if (cap < 8 + 3)
		return EUM_ERR_BUFFER_TOO_SMALL;
	return run_expanded(script, len, ops, flags, out, cap, res);
}
