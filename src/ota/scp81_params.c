/*
 * GlobalPlatform Amendment B administration session parameters (Amd B Table 3-3 as rebuilt in
 * spec digest scp81-https.md §1.2) and the SGP.02 PSK identity (digest §3.3).
 *
 * Decisions ([IMPL], digest §1.2 / §7 open points 3-4):
 * - Unknown tags are skipped at every level (82 SCWS URL, A5 extended security parameters, B3
 *   DNS resolution parameters included: a caller that wants to log B3 finds it with
 *   eum_ber_find); a malformed TLV, a repeated known tag, an over-long value or a text that is
 *   not printable ASCII refuses the whole set.
 * - 84 must be a sequence of COMPREHENSION-TLVs (any CR bit); empty 84 counts as absent.
 * - 85 = Lid | identity | 02 | KVN | KID [| one byte, ignored]; Lid 0 means "no identity given":
 *   the agent then sends the SGP.02 identity for that KVN/KID.
 * - 86 = counter (2) | timer value (COMPREHENSION-TLV 25/A5, 3 bytes hh mm ss) | [report failure].
 *   TS 102 223 §8.38 codes a timer value as swapped-nibble BCD (as TS 23.040's time stamps), but
 *   njiwa and whty write binary (e.g. 00 00 1E): when every nibble of the three bytes is <= 9 they
 *   are read as swapped BCD (00 10 00 = 1 minute), otherwise as binary hours, minutes, seconds.
 *   Any bytes after the timer (njiwa sends "87 00") set report_failure.
 */
#include "ota/scp81_params.h"

#include <string.h>

#include "eum/eum.h"
#include "util/hex.h"
#include "util/tlv.h"

static int text_field(char *dst, size_t cap, const struct eum_tlv *t, int allow_space)
{
	if (t->len == 0 || t->len > cap)
		return EUM_ERR_PARSE;
	for (size_t i = 0; i < t->len; i++) {
		uint8_t c = t->val[i];
		if (c < 0x20 || c > 0x7E || (c == ' ' && !allow_space))
			return EUM_ERR_PARSE;
	}
	memcpy(dst, t->val, t->len);
	dst[t->len] = 0;
	return EUM_OK;
}

/* Amd B §3.8.1 (digest §1.2): OPEN CHANNEL COMPREHENSION-TLVs. */
static int parse_conn(const struct eum_tlv *t, struct eum_scp81_params *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv c;
	int rc;

	if (t->len == 0)
		return EUM_OK;
	if (t->len > EUM_SCP81_CONN_MAX)
		return EUM_ERR_PARSE;
	eum_tlv_reader_init(&r, t->val, t->len);
	while ((rc = eum_ctlv_next(&r, &c)) == EUM_TLV_OK)
		;
	if (rc != EUM_TLV_END)
		return EUM_ERR_PARSE;
	memcpy(out->conn, t->val, t->len);
	out->conn_len = t->len;
	out->has_conn = 1;
	return EUM_OK;
}

/* Amd B §3.8.2 (digest §1.2, pySim SecurityParams): Lid | id | 02 | KVN | KID [| sha type]. */
static int parse_security(const struct eum_tlv *t, struct eum_scp81_params *out)
{
	const uint8_t *v = t->val;
	size_t lid, rest;

	if (t->len < 1)
		return EUM_ERR_PARSE;
	lid = v[0];
	if (lid > EUM_SCP81_PSKID_MAX || t->len < 1 + lid + 3)
		return EUM_ERR_PARSE;
	rest = t->len - 1 - lid;
	if (v[1 + lid] != 2 || rest > 4)
		return EUM_ERR_PARSE;
	memcpy(out->psk_id, v + 1, lid);
	out->psk_id_len = lid;
	out->kvn = v[1 + lid + 1];
	out->kid = v[1 + lid + 2];
	out->has_security = 1;
	return EUM_OK;
}

static int bcd_ok(uint8_t b)
{
	return (b & 0x0F) <= 9 && (b >> 4) <= 9;
}

/* swapped-nibble BCD (TS 23.040 §9.2.3.11 semi-octets): low nibble is the tens digit */
static unsigned bcd_swapped(uint8_t b)
{
	return (unsigned)(b & 0x0F) * 10 + (unsigned)(b >> 4);
}

/* Amd B §3.8.3 (digest §1.2): counter | timer value TLV | [report failure]. */
static int parse_retry(const struct eum_tlv *t, struct eum_scp81_params *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv timer;
	const uint8_t *d;

	if (t->len < 2 + 5)
		return EUM_ERR_PARSE;
	eum_tlv_reader_init(&r, t->val + 2, t->len - 2);
	/* TS 102 223 §8.38 timer value, tag 25 with or without CR */
	if (eum_ctlv_next(&r, &timer) != EUM_TLV_OK || timer.tag != 0x25 || timer.len != 3)
		return EUM_ERR_PARSE;
	d = timer.val;
	out->retry_count = (uint16_t)(t->val[0] << 8 | t->val[1]);
	if (bcd_ok(d[0]) && bcd_ok(d[1]) && bcd_ok(d[2]))
		out->retry_delay_s = bcd_swapped(d[0]) * 3600u + bcd_swapped(d[1]) * 60u + bcd_swapped(d[2]);
	else
		out->retry_delay_s = (uint32_t)d[0] * 3600u + (uint32_t)d[1] * 60u + d[2];
	out->report_failure = r.left > 0;
	out->has_retry = 1;
	return EUM_OK;
}

/* Amd B Table 3-3 tag 89: HTTP POST parameters. */
static int parse_http(const struct eum_tlv *t, struct eum_scp81_params *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv c;
	int rc;

	eum_tlv_reader_init(&r, t->val, t->len);
	while ((rc = eum_ber_next(&r, &c)) == EUM_TLV_OK) {
		switch (c.tag) {
		case 0x8A: /* administration host -> Host */
			if (out->has_host || text_field(out->host, EUM_SCP81_TEXT_MAX, &c, 0) != EUM_OK)
				return EUM_ERR_PARSE;
			out->has_host = 1;
			break;
		case 0x8B: /* agent id -> X-Admin-From */
			if (out->has_agent || text_field(out->agent, EUM_SCP81_TEXT_MAX, &c, 1) != EUM_OK)
				return EUM_ERR_PARSE;
			out->has_agent = 1;
			break;
		case 0x8C: /* administration URI -> first request-target */
			if (out->has_uri || text_field(out->uri, EUM_HTTP_URI_MAX, &c, 0) != EUM_OK)
				return EUM_ERR_PARSE;
			out->has_uri = 1;
			break;
		default:
			break;
		}
	}
	return rc == EUM_TLV_END ? EUM_OK : EUM_ERR_PARSE;
}

/* Amd B Table 3-3 tag 83: security domain administration session parameters. */
static int parse_admin(const uint8_t *val, size_t len, struct eum_scp81_params *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv t;
	unsigned seen = 0;
	int rc;

	eum_tlv_reader_init(&r, val, len);
	while ((rc = eum_ber_next(&r, &t)) == EUM_TLV_OK) {
		unsigned bit;
		int (*fn)(const struct eum_tlv *, struct eum_scp81_params *);

		switch (t.tag) {
		case 0x84:
			bit = 1, fn = parse_conn;
			break;
		case 0x85:
			bit = 2, fn = parse_security;
			break;
		case 0x86:
			bit = 4, fn = parse_retry;
			break;
		case 0x89:
			bit = 8, fn = parse_http;
			break;
		default: /* A5 extended security parameters and anything newer: skipped */
			continue;
		}
		if ((seen & bit) || fn(&t, out) != EUM_OK)
			return EUM_ERR_PARSE;
		seen |= bit;
	}
	return rc == EUM_TLV_END ? EUM_OK : EUM_ERR_PARSE;
}

int eum_scp81_parse(const uint8_t *val, size_t len, int admin_only, struct eum_scp81_params *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv t;
	int rc, seen = 0;

	if (!out || (!val && len))
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (admin_only)
		rc = parse_admin(val, len, out);
	else {
		/* Amd B Table 3-3 tag 81: 82 (SCWS URL) and B3 (DNS) skipped, one 83 */
		eum_tlv_reader_init(&r, val, len);
		while ((rc = eum_ber_next(&r, &t)) == EUM_TLV_OK) {
			if (t.tag != 0x83)
				continue;
			if (seen++ || parse_admin(t.val, t.len, out) != EUM_OK) {
				rc = EUM_TLV_MALFORMED;
				break;
			}
		}
		rc = rc == EUM_TLV_END ? EUM_OK : EUM_ERR_PARSE;
	}
	if (rc != EUM_OK)
		memset(out, 0, sizeof(*out));
	return rc;
}

/* digest §1.4: "trigger wins" per field group. */
void eum_scp81_merge(const struct eum_scp81_params *defaults, const struct eum_scp81_params *trigger,
                     struct eum_scp81_params *out)
{
	struct eum_scp81_params m = *defaults, t = *trigger; /* out may alias either input */

	if (t.has_conn) {
		m.has_conn = 1;
		memcpy(m.conn, t.conn, sizeof(m.conn));
		m.conn_len = t.conn_len;
	}
	if (t.has_security) {
		m.has_security = 1;
		memcpy(m.psk_id, t.psk_id, sizeof(m.psk_id));
		m.psk_id_len = t.psk_id_len;
		m.kvn = t.kvn;
		m.kid = t.kid;
	}
	if (t.has_retry) {
		m.has_retry = 1;
		m.retry_count = t.retry_count;
		m.retry_delay_s = t.retry_delay_s;
		m.report_failure = t.report_failure;
	}
	if (t.has_host) {
		m.has_host = 1;
		memcpy(m.host, t.host, sizeof(m.host));
	}
	if (t.has_agent) {
		m.has_agent = 1;
		memcpy(m.agent, t.agent, sizeof(m.agent));
	}
	if (t.has_uri) {
		m.has_uri = 1;
		memcpy(m.uri, t.uri, sizeof(m.uri));
	}
	*out = m;
}

/* SGP.02 v4.1 Table 4 via njiwa makePskId (digest §3.3). */
int eum_scp81_sgp02_identity(const uint8_t eid[16], const uint8_t *isdr_aid, size_t aid_len, uint8_t kid, uint8_t kvn,
                             uint8_t *out, size_t cap, size_t *len)
{
	uint8_t raw[3 + 18 + 2 + 16 + 3 + 3];
	struct eum_buf b;
	static const uint8_t format[] = {0x02};

	if (!eid || !isdr_aid || !out || !len || aid_len < 5 || aid_len > 16)
		return EUM_ERR_INVALID_ARG;
	eum_buf_init(&b, raw, sizeof(raw));
	eum_buf_ber_tlv(&b, 0x80, format, 1);
	eum_buf_ber_tlv(&b, 0x81, eid, 16);
	eum_buf_ber_tlv(&b, 0x4F, isdr_aid, aid_len);
	eum_buf_ber_tlv(&b, 0x82, &kid, 1);
	eum_buf_ber_tlv(&b, 0x83, &kvn, 1);
	if (b.overflow)
		return EUM_ERR_INVALID_ARG;
	if (cap < 2 * b.len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	eum_hex_upper(raw, b.len, (char *)out);
	*len = 2 * b.len;
	return EUM_OK;
}
