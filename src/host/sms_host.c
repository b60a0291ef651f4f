/*
 * libeum-host, OTA over SMS-PP from the network side: SMS-PP download ENVELOPEs (3GPP TS 31.111
 * §7.1.1, ETSI TS 102 223 §7.1), SMS-DELIVER / SMS-SUBMIT TPDUs and their User Data Header
 * (3GPP TS 23.040 §9.2, IEI 70/71 of 3GPP TS 31.115 §4), the proactive SEND SHORT MESSAGE
 * (TS 102 223 §6.6.9), and ETSI TS 102 226 §5 remote command scripts and responses.
 * Written independently of the card's src/ota code (it is the other side of the tests).
 */
#include "eum/host/sms.h"

#include <string.h>

#include "host_wr.h"

static size_t len_size(size_t n)
{
	return n > 0xFF ? 3 : n > 0x7F ? 2 : 1;
}

/* One BER-TLV with a 1-byte tag (all tags used here are); lengths up to 82 xx xx. */
static int rd_tlv(const uint8_t **p, size_t *left, uint8_t *tag, const uint8_t **val, size_t *vlen)
{
	size_t i = 2, n;

	if (*left < 2)
		return EUM_ERR_PARSE;
	*tag = (*p)[0];
	n = (*p)[1];
	if (n == 0x81 || n == 0x82) {
		size_t k = n - 0x80;

		if (*left < 2 + k)
			return EUM_ERR_PARSE;
		n = k == 1 ? (*p)[2] : ((size_t)(*p)[2] << 8) | (*p)[3];
		i += k;
	} else if (n > 0x7F) {
		return EUM_ERR_PARSE;
	}
	if (n > *left - i)
		return EUM_ERR_PARSE;
	*val = *p + i;
	*vlen = n;
	*p += i + n;
	*left -= i + n;
	return EUM_OK;
}

/* TS 23.040 §9.1.2.3: semi-octet of a digit character. */
static int digit_code(char c)
{
	static const char map[] = "0123456789*#abc";
	const char *q;

	if (c >= 'A' && c <= 'C')
		c = (char)(c - 'A' + 'a');
	q = c ? strchr(map, c) : NULL;
	return q ? (int)(q - map) : -1;
}

/* Write the BCD value of a digit string (nibble-swapped, F filler); returns the octet count or -1. */
static int put_bcd(struct eum_host_wr *w, const char *digits)
{
	size_t n = strlen(digits), i;

	for (i = 0; i < n; i += 2) {
		int lo = digit_code(digits[i]);
		int hi = i + 1 < n ? digit_code(digits[i + 1]) : 0xF;

		if (lo < 0 || hi < 0)
			return -1;
		eum_host_wr_u8(w, (uint8_t)((hi << 4) | lo));
	}
	return (int)((n + 1) / 2);
}

void eum_host_sms_deliver_params_init(struct eum_host_sms_deliver_params *p)
{
	static const uint8_t scts[7] = {0x22, 0x70, 0x52, 0x00, 0x00, 0x00, 0x00};

	memset(p, 0, sizeof(*p));
	p->oa = "12345678";
	p->oa_ton_npi = 0x91;
	p->smsc = "4477";
	p->smsc_ton_npi = 0x91;
	p->pid = 0x7F;
	p->dcs = 0xF6;
	memcpy(p->scts, scts, sizeof(scts));
}

/* Payload octets per SMS: single UDH 02 70 00; first part UDHL + 70 00 + concat IE; later parts UDHL + concat IE. */
static size_t first_max(const struct eum_host_sms_deliver_params *p)
{
	return EUM_HOST_SMS_UD_MAX - (p->concat16 ? 9 : 8);
}

static size_t next_max(const struct eum_host_sms_deliver_params *p)
{
	return EUM_HOST_SMS_UD_MAX - (p->concat16 ? 7 : 6);
}

int eum_host_sms_envelope_count(const struct eum_host_sms_deliver_params *p, size_t pkt_len, size_t *count)
{
	size_t n;

	if (!p || !count)
		return EUM_ERR_INVALID_ARG;
	if (pkt_len + 3 <= EUM_HOST_SMS_UD_MAX) {
		*count = 1;
		return EUM_OK;
	}
	n = 1 + (pkt_len - first_max(p) + next_max(p) - 1) / next_max(p);
	if (n > 255)
		return EUM_ERR_INVALID_ARG;
	*count = n;
	return EUM_OK;
}

/* TS 23.040 §9.2.2.1: one SMS-DELIVER carrying part `index` of the packet. */
static int build_deliver(const struct eum_host_sms_deliver_params *p, const uint8_t *pkt, size_t pkt_len, size_t n,
                         size_t index, struct eum_host_wr *w)
{
	uint8_t udh[12];
	size_t udh_len = 0, off, chunk;

	if (n == 1) {
		off = 0;
		chunk = pkt_len;
	} else if (index == 0) {
		off = 0;
		chunk = first_max(p);
	} else {
		off = first_max(p) + (index - 1) * next_max(p);
		chunk = pkt_len - off < next_max(p) ? pkt_len - off : next_max(p);
	}
	if (index == 0) {
		udh[udh_len++] = 0x70; /* TS 31.115 §4: command packet identifier, first part only */
		udh[udh_len++] = 0x00;
	}
	if (n > 1) {
		if (p->concat16) {
			udh[udh_len++] = 0x08;
			udh[udh_len++] = 4;
			udh[udh_len++] = (uint8_t)(p->concat_ref >> 8);
		} else {
			udh[udh_len++] = 0x00;
			udh[udh_len++] = 3;
		}
		udh[udh_len++] = (uint8_t)p->concat_ref;
		udh[udh_len++] = (uint8_t)n;
		udh[udh_len++] = (uint8_t)(index + 1);
	}

	eum_host_wr_u8(w, (uint8_t)((p->first_octet & ~0x43) | 0x40)); /* TP-MTI 00 (DELIVER), TP-UDHI */
	eum_host_wr_u8(w, (uint8_t)strlen(p->oa));
	eum_host_wr_u8(w, p->oa_ton_npi);
	if (put_bcd(w, p->oa) < 0)
		return EUM_ERR_INVALID_ARG;
	eum_host_wr_u8(w, p->pid);
	eum_host_wr_u8(w, p->dcs);
	eum_host_wr_put(w, p->scts, sizeof(p->scts));
	eum_host_wr_u8(w, (uint8_t)(1 + udh_len + chunk));
	eum_host_wr_u8(w, (uint8_t)udh_len);
	eum_host_wr_put(w, udh, udh_len);
	eum_host_wr_put(w, pkt + off, chunk);
	return EUM_OK;
}

/* TS 31.111 §7.1.1.1: ENVELOPE (SMS-PP download). */
int eum_host_sms_build_envelope(const struct eum_host_sms_deliver_params *p, const uint8_t *pkt, size_t pkt_len,
                                size_t index, uint8_t *apdu, size_t cap, size_t *apdu_len)
{
	uint8_t tpdu[200];
	struct eum_host_wr t = {tpdu, sizeof(tpdu), 0, 0};
	struct eum_host_wr w = {apdu, cap, 0, 0};
	size_t n, smsc_len = 0, body;
	int rc;

	if (!p || !p->oa || (!pkt && pkt_len) || !apdu || !apdu_len || strlen(p->oa) > EUM_HOST_SMS_DIGITS_MAX ||
	    (p->smsc && strlen(p->smsc) > EUM_HOST_SMS_DIGITS_MAX))
		return EUM_ERR_INVALID_ARG;
	rc = eum_host_sms_envelope_count(p, pkt_len, &n);
	if (rc != EUM_OK)
		return rc;
	if (index >= n)
		return EUM_ERR_INVALID_ARG;
	rc = build_deliver(p, pkt, pkt_len, n, index, &t);
	if (rc != EUM_OK)
		return rc;
	if (t.overflow)
		return EUM_ERR_INVALID_ARG;
	if (p->smsc)
		smsc_len = 1 + (strlen(p->smsc) + 1) / 2;

	body = 4 + (p->smsc ? 2 + smsc_len : 0) + 1 + len_size(t.len) + t.len;
	if (1 + len_size(body) + body > 255)
		return EUM_ERR_INVALID_ARG;
	eum_host_wr_u8(&w, 0x80);
	eum_host_wr_u8(&w, 0xC2);
	eum_host_wr_u8(&w, 0x00);
	eum_host_wr_u8(&w, 0x00);
	eum_host_wr_u8(&w, (uint8_t)(1 + len_size(body) + body));
	eum_host_wr_u8(&w, 0xD1);
	eum_host_wr_ber_len(&w, body);
	/* device identities: network -> UICC */
	eum_host_wr_u8(&w, 0x82);
	eum_host_wr_u8(&w, 0x02);
	eum_host_wr_u8(&w, 0x83);
	eum_host_wr_u8(&w, 0x81);
	if (p->smsc) {
		eum_host_wr_u8(&w, 0x86);
		eum_host_wr_u8(&w, (uint8_t)smsc_len);
		eum_host_wr_u8(&w, p->smsc_ton_npi);
		if (put_bcd(&w, p->smsc) < 0)
			return EUM_ERR_INVALID_ARG;
	}
	eum_host_wr_u8(&w, 0x8B);
	eum_host_wr_ber_len(&w, t.len);
	eum_host_wr_put(&w, tpdu, t.len);
	if (w.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*apdu_len = w.len;
	return EUM_OK;
}

/* TS 23.038 §4: 8-bit data? (general groups 00xx/01xx with alphabet 01, or group F with b3 set) */
static int dcs_8bit(uint8_t dcs)
{
	if ((dcs >> 6) <= 1)
		return ((dcs >> 2) & 3) == 1;
	return (dcs >> 4) == 0xF && (dcs & 0x04);
}

/* TS 23.040 §9.2.2.2: SMS-SUBMIT. */
static int parse_submit(const uint8_t *s, size_t len, struct eum_host_sms_submit *o)
{
	static const char digits[] = "0123456789*#abc?";
	size_t i = 0, nd, k, vp, udl;

	if (len < 2 || (s[0] & 0x03) != 0x01)
		return EUM_ERR_PARSE;
	o->first_octet = s[i++];
	o->mr = s[i++];
	if (len - i < 2 || s[i] > EUM_HOST_SMS_DIGITS_MAX)
		return EUM_ERR_PARSE;
	nd = s[i];
	o->da_ton_npi = s[i + 1];
	i += 2;
	if (len - i < (nd + 1) / 2)
		return EUM_ERR_PARSE;
	for (k = 0; k < nd; k++) {
		uint8_t b = s[i + k / 2];

		o->da[k] = digits[(k & 1) ? (b >> 4) : (b & 0x0F)];
	}
	o->da[nd] = '\0';
	i += (nd + 1) / 2;
	/* TP-VPF (b5b4): none, enhanced (7), relative (1), absolute (7) */
	vp = ((o->first_octet >> 3) & 3) == 0 ? 0 : ((o->first_octet >> 3) & 3) == 2 ? 1 : 7;
	if (len - i < 2 + vp + 1)
		return EUM_ERR_PARSE;
	o->pid = s[i++];
	o->dcs = s[i++];
	i += vp;
	udl = s[i++];
	if (!dcs_8bit(o->dcs) || udl > EUM_HOST_SMS_UD_MAX || len - i != udl)
		return EUM_ERR_PARSE;
	o->payload = s + i;
	o->payload_len = udl;
	if (o->first_octet & 0x40) {
		const uint8_t *h = s + i;
		size_t udhl, j = 1;

		if (udl < 1 || h[0] > udl - 1)
			return EUM_ERR_PARSE;
		udhl = h[0];
		while (j < 1 + udhl) {
			uint8_t iei, l;

			if (1 + udhl - j < 2 || h[j + 1] > 1 + udhl - j - 2)
				return EUM_ERR_PARSE;
			iei = h[j];
			l = h[j + 1];
			if (iei == 0x70)
				o->has_cpi = 1;
			else if (iei == 0x71)
				o->has_rpi = 1;
			else if ((iei == 0x00 && l == 3) || (iei == 0x08 && l == 4)) {
				const uint8_t *v = h + j + 2;
				size_t r = l - 2;

				o->concat = 1;
				o->ref = r == 1 ? v[0] : (uint16_t)((v[0] << 8) | v[1]);
				o->total = v[r];
				o->seq = v[r + 1];
				if (!o->total || !o->seq || o->seq > o->total)
					return EUM_ERR_PARSE;
			} else if (iei == 0x00 || iei == 0x08) {
				return EUM_ERR_PARSE;
			}
			j += 2 + (size_t)l;
		}
		o->payload = h + 1 + udhl;
		o->payload_len = udl - 1 - udhl;
	}
	return EUM_OK;
}

/* TS 102 223 §6.6.9: SEND SHORT MESSAGE. */
int eum_host_sms_parse_send_sm(const uint8_t *fetch, size_t len, struct eum_host_sms_submit *out)
{
	const uint8_t *p = fetch, *v, *tpdu = NULL;
	size_t left = len, vl, tpdu_len = 0;
	uint8_t tag;
	int cmd_ok = 0;

	if (!fetch || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (rd_tlv(&p, &left, &tag, &v, &vl) != EUM_OK || tag != 0xD0 || left != 0)
		return EUM_ERR_PARSE;
	p = v;
	left = vl;
	while (left) {
		if (rd_tlv(&p, &left, &tag, &v, &vl) != EUM_OK)
			return EUM_ERR_PARSE;
		switch (tag & 0x7F) {
		case 0x01: /* command details: number, type 13 (SEND SHORT MESSAGE), qualifier */
			if (vl != 3 || v[1] != 0x13)
				return EUM_ERR_PARSE;
			cmd_ok = 1;
			break;
		case 0x02: /* device identities: UICC -> network */
			if (vl != 2 || v[0] != 0x81 || v[1] != 0x83)
				return EUM_ERR_PARSE;
			break;
		case 0x0B:
			tpdu = v;
			tpdu_len = vl;
			break;
		default:
			break;
		}
	}
	if (!cmd_ok || !tpdu)
		return EUM_ERR_PARSE;
	return parse_submit(tpdu, tpdu_len, out);
}

int eum_host_sms_join(const struct eum_host_sms_submit *parts, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t seq, i, len = 0;

	if (!parts || !n || !out || !out_len)
		return EUM_ERR_INVALID_ARG;
	if (n == 1 && !parts[0].concat) {
		if (parts[0].payload_len > cap)
			return EUM_ERR_BUFFER_TOO_SMALL;
		memcpy(out, parts[0].payload, parts[0].payload_len);
		*out_len = parts[0].payload_len;
		return EUM_OK;
	}
	for (i = 0; i < n; i++)
		if (!parts[i].concat || parts[i].ref != parts[0].ref || parts[i].total != parts[0].total ||
		    parts[0].total != n)
			return EUM_ERR_PARSE;
	for (seq = 1; seq <= n; seq++) {
		const struct eum_host_sms_submit *hit = NULL;

		for (i = 0; i < n; i++) {
			if (parts[i].seq != seq)
				continue;
			if (hit)
				return EUM_ERR_PARSE;
			hit = &parts[i];
		}
		if (!hit)
			return EUM_ERR_PARSE;
		if (hit->payload_len > cap - len)
			return EUM_ERR_BUFFER_TOO_SMALL;
		memcpy(out + len, hit->payload, hit->payload_len);
		len += hit->payload_len;
	}
	*out_len = len;
	return EUM_OK;
}

/* TS 102 226 §5.1.1 (compact) and §5.2.1 (command scripting templates AA / AE). */
int eum_host_sms_script_build(enum eum_host_sms_script_format format, const uint8_t *const *apdus, const size_t *lens,
                              size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
	struct eum_host_wr w = {out, cap, 0, 0};
	size_t i, body = 0;

	if ((n && (!apdus || !lens)) || !out || !out_len || format > EUM_HOST_SMS_SCRIPT_INDEFINITE)
		return EUM_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		if (!apdus[i] || lens[i] < 4 || lens[i] > 261)
			return EUM_ERR_INVALID_ARG;
		body += format == EUM_HOST_SMS_SCRIPT_COMPACT ? lens[i] : 1 + len_size(lens[i]) + lens[i];
	}
	if (format == EUM_HOST_SMS_SCRIPT_DEFINITE) {
		if (body > 0xFFFF)
			return EUM_ERR_INVALID_ARG;
		eum_host_wr_u8(&w, 0xAA);
		eum_host_wr_ber_len(&w, body);
	} else if (format == EUM_HOST_SMS_SCRIPT_INDEFINITE) {
		eum_host_wr_u8(&w, 0xAE);
		eum_host_wr_u8(&w, 0x80);
	}
	for (i = 0; i < n; i++) {
		if (format != EUM_HOST_SMS_SCRIPT_COMPACT) {
			eum_host_wr_u8(&w, 0x22);
			eum_host_wr_ber_len(&w, lens[i]);
		}
		eum_host_wr_put(&w, apdus[i], lens[i]);
	}
	if (format == EUM_HOST_SMS_SCRIPT_INDEFINITE) {
		eum_host_wr_u8(&w, 0x00);
		eum_host_wr_u8(&w, 0x00);
	}
	if (w.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*out_len = w.len;
	return EUM_OK;
}

/* Body of an expanded response: the TLVs inside AB, or inside AF up to the end-of-contents. */
static int rsp_body(const uint8_t *rsp, size_t len, const uint8_t **body, size_t *body_len, int *indef)
{
	const uint8_t *p = rsp, *v;
	size_t left = len, vl;
	uint8_t tag;

	if (len >= 2 && rsp[0] == 0xAF && rsp[1] == 0x80) {
		if (len < 4 || rsp[len - 1] != 0x00 || rsp[len - 2] != 0x00)
			return EUM_ERR_PARSE;
		*body = rsp + 2;
		*body_len = len - 4;
		*indef = 1;
		return EUM_OK;
	}
	if (rd_tlv(&p, &left, &tag, &v, &vl) != EUM_OK || tag != 0xAB || left != 0)
		return EUM_ERR_PARSE;
	*body = v;
	*body_len = vl;
	*indef = 0;
	return EUM_OK;
}

/* TS 102 226 §5.1.2 (compact response) and §5.2.2 (response scripting templates AB / AF). */
int eum_host_sms_script_parse_response(const uint8_t *rsp, size_t len, int expanded,
                                       struct eum_host_sms_script_response *out)
{
	const uint8_t *p, *v;
	size_t left, vl;
	uint8_t tag;
	int indef, have_count = 0;

	if (!rsp || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!expanded) {
		/* number of commands | SW1 SW2 of the last | its data */
		if (len < 3)
			return EUM_ERR_PARSE;
		out->format = EUM_HOST_SMS_SCRIPT_COMPACT;
		out->executed = rsp[0];
		out->last_sw = (uint16_t)((rsp[1] << 8) | rsp[2]);
		out->last_data = rsp + 3;
		out->last_data_len = len - 3;
		out->rapdus = rsp[0] ? 1 : 0;
		return EUM_OK;
	}
	if (rsp_body(rsp, len, &p, &left, &indef) != EUM_OK)
		return EUM_ERR_PARSE;
	out->format = indef ? EUM_HOST_SMS_SCRIPT_INDEFINITE : EUM_HOST_SMS_SCRIPT_DEFINITE;
	while (left) {
		if (rd_tlv(&p, &left, &tag, &v, &vl) != EUM_OK)
			return EUM_ERR_PARSE;
		if (tag == 0x80) {
			if (vl != 1 || have_count || out->rapdus)
				return EUM_ERR_PARSE;
			out->executed = v[0];
			have_count = 1;
		} else if (tag == 0x23) {
			if (vl < 2)
				return EUM_ERR_PARSE;
			out->rapdus++;
			out->last_sw = (uint16_t)((v[vl - 2] << 8) | v[vl - 1]);
			out->last_data = v;
			out->last_data_len = vl - 2;
		} else if (tag == 0x90) {
			if (vl != 1)
				return EUM_ERR_PARSE;
			out->bad_format = v[0];
		}
		/* 81 (immediate action response) and others: skipped */
	}
	if (!have_count)
		out->executed = (unsigned)out->rapdus;
	return EUM_OK;
}

int eum_host_sms_script_rapdu(const uint8_t *rsp, size_t len, size_t index, const uint8_t **rapdu, size_t *rapdu_len)
{
	const uint8_t *p, *v;
	size_t left, vl, k = 0;
	uint8_t tag;
	int indef;

	if (!rsp || !rapdu || !rapdu_len)
		return EUM_ERR_INVALID_ARG;
	if (rsp_body(rsp, len, &p, &left, &indef) != EUM_OK)
		return EUM_ERR_PARSE;
	while (left) {
		if (rd_tlv(&p, &left, &tag, &v, &vl) != EUM_OK)
			return EUM_ERR_PARSE;
		if (tag != 0x23)
			continue;
		if (vl < 2)
			return EUM_ERR_PARSE;
		if (k++ == index) {
			*rapdu = v;
			*rapdu_len = vl;
			return EUM_OK;
		}
	}
	return EUM_ERR_NOT_FOUND;
}
