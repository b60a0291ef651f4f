/*
 * SMS-PP data download and OTA short messages, card side: 3GPP TS 31.111 §7.1.1 / ETSI TS 102 223 §7.1
 * (ENVELOPE SMS-PP download), 3GPP TS 23.040 §9.2 (SMS-DELIVER, SMS-SUBMIT, User Data Header,
 * concatenation), 3GPP TS 23.038 §4 (data coding scheme), 3GPP TS 31.115 §4 (IEI 70/71).
 */
#include "ota/sms_pp.h"

#include <stdlib.h>
#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "eum/eum.h"
#include "util/tlv.h"

/* TS 102 223 §9.3 / TS 101 220 §7.2: BER tag of the SMS-PP download template, COMPREHENSION tags. */
#define TAG_SMS_PP_DOWNLOAD    0xD1
#define CTAG_DEVICE_IDENTITIES 0x02
#define CTAG_ADDRESS           0x06
#define CTAG_SMS_TPDU          0x0B

/* TS 23.040 §9.2.3.1: TP-MTI values (b2b1 of the first octet). */
#define MTI_MASK    0x03
#define MTI_DELIVER 0x00
#define MTI_SUBMIT  0x01
#define FO_UDHI     0x40

/* TS 31.115 §4.2: SPI2 b6 = PoR via SMS-SUBMIT; SPI2 is octet 4 of the SMS command packet. */
#define PKT_SPI2_OFFSET 4
#define SPI2_POR_SUBMIT 0x20

/* TS 23.038 §4. */
int eum_sms_dcs_alphabet(uint8_t dcs)
{
	switch (dcs >> 4) {
	case 0x0:
	case 0x1:
	case 0x2:
	case 0x3: /* general data coding */
	case 0x4:
	case 0x5:
	case 0x6:
	case 0x7:                                                           /* automatic deletion group: same layout */
		return ((dcs >> 2) & 0x03) == 0x03 ? 0 : (dcs >> 2) & 0x03; /* 11 reserved -> 7-bit */
	case 0xE:
		return 2; /* message waiting, UCS2 */
	case 0xF:
		return (dcs & 0x04) ? 1 : 0;
	default:
		return 0; /* message waiting (C, D) and reserved groups: GSM 7-bit default */
	}
}

int eum_sms_dcs_class(uint8_t dcs)
{
	if ((dcs >> 6) <= 1)
		return (dcs & 0x10) ? (dcs & 0x03) : -1;
	if ((dcs >> 4) == 0xF)
		return dcs & 0x03;
	return -1;
}

/* TS 23.040 §9.1.2.5: address-length (semi-octets), type of address, value. */
static int addr_parse(const uint8_t *p, size_t left, struct eum_sms_addr *a, size_t *used)
{
	size_t n;

	if (left < 2 || p[0] > EUM_SMS_ADDR_MAX_DIGITS)
		return EUM_ERR_PARSE;
	n = ((size_t)p[0] + 1) / 2;
	if (n > left - 2)
		return EUM_ERR_PARSE;
	memset(a, 0, sizeof(*a));
	a->ndigits = p[0];
	a->ton_npi = p[1];
	memcpy(a->value, p + 2, n);
	*used = 2 + n;
	return EUM_OK;
}

/* TS 23.040 §9.2.2.1: SMS-DELIVER. */
int eum_sms_deliver_parse(const uint8_t *tpdu, size_t len, struct eum_sms_deliver *out)
{
	size_t i = 0, used, ud_octets;

	if (!tpdu || !out || len < 1)
		return EUM_ERR_PARSE;
	memset(out, 0, sizeof(*out));
	out->first_octet = tpdu[i++];
	if ((out->first_octet & MTI_MASK) != MTI_DELIVER)
		return EUM_ERR_PARSE;
	if (addr_parse(tpdu + i, len - i, &out->oa, &used) != EUM_OK)
		return EUM_ERR_PARSE;
	i += used;
	/* PID, DCS, SCTS(7), UDL */
	if (len - i < 10)
		return EUM_ERR_PARSE;
	out->pid = tpdu[i++];
	out->dcs = tpdu[i++];
	memcpy(out->scts, tpdu + i, 7);
	i += 7;
	out->udl = tpdu[i++];
	if (eum_sms_dcs_alphabet(out->dcs) == 0) {
		if (out->udl > 160)
			return EUM_ERR_PARSE;
		ud_octets = ((size_t)out->udl * 7 + 7) / 8;
	} else {
		if (out->udl > EUM_SMS_UD_MAX)
			return EUM_ERR_PARSE;
		ud_octets = out->udl;
	}
	if (len - i != ud_octets)
		return EUM_ERR_PARSE;
	out->ud = tpdu + i;
	out->ud_len = ud_octets;
	return EUM_OK;
}

/* TS 23.040 §9.2.3.24: walk the information elements of the UDH. */
int eum_sms_udh_parse(const uint8_t *ud, size_t ud_len, struct eum_sms_udh *out)
{
	size_t udhl, i;

	if (!ud || !out || ud_len < 1)
		return EUM_ERR_PARSE;
	memset(out, 0, sizeof(*out));
	udhl = ud[0];
	if (udhl > ud_len - 1)
		return EUM_ERR_PARSE;
	out->hdr_len = 1 + udhl;
	i = 1;
	while (i < 1 + udhl) {
		uint8_t iei, iedl;
		const uint8_t *v;

		if (1 + udhl - i < 2)
			return EUM_ERR_PARSE;
		iei = ud[i];
		iedl = ud[i + 1];
		if (iedl > 1 + udhl - i - 2)
			return EUM_ERR_PARSE;
		v = ud + i + 2;
		switch (iei) {
		case EUM_SMS_IEI_CPI:
			out->has_cpi = 1;
			break;
		case EUM_SMS_IEI_RPI:
			out->has_rpi = 1;
			break;
		case EUM_SMS_IEI_CONCAT8:
		case EUM_SMS_IEI_CONCAT16: {
			size_t reflen = iei == EUM_SMS_IEI_CONCAT8 ? 1 : 2;

			if (iedl != reflen + 2)
				return EUM_ERR_PARSE;
			/* §9.2.3.24.1: the last occurrence of a repeated IE is the one used */
			out->has_concat = 1;
			out->concat16 = reflen == 2;
			out->ref = reflen == 1 ? v[0] : (uint16_t)((v[0] << 8) | v[1]);
			out->total = v[reflen];
			out->seq = v[reflen + 1];
			if (out->total == 0 || out->seq == 0 || out->seq > out->total)
				return EUM_ERR_PARSE;
			break;
		}
		default:
			break; /* other IEs (e.g. port addressing) do not concern OTA */
		}
		i += 2 + (size_t)iedl;
	}
	return EUM_OK;
}

/* Reset (and release the buffer of) a set; the configured maximum stays. */
void eum_sms_reasm_init(struct eum_sms_reasm *r)
{
	size_t max = r->max;

	if (r->buf) {
		eum_wipe(r->buf, eum_sms_reasm_max(r));
		free(r->buf);
	}
	memset(r, 0, sizeof(*r));
	r->max = max;
}

size_t eum_sms_reasm_max(const struct eum_sms_reasm *r)
{
	return r->max ? r->max : EUM_SMS_REASM_MAX_BYTES;
}

int eum_sms_reasm_expire(struct eum_sms_reasm *r, uint64_t now, uint64_t max_age)
{
	if (!r || !r->active)
		return 0;
	if (now >= r->last && now - r->last < max_age)
		return 0;
	/* a clock that went backwards also ends the set: its age is unknown */
	eum_sms_reasm_init(r);
	return 1;
}

static int addr_equal(const struct eum_sms_addr *a, const struct eum_sms_addr *b)
{
	return a->ndigits == b->ndigits && a->ton_npi == b->ton_npi &&
	       memcmp(a->value, b->value, ((size_t)a->ndigits + 1) / 2) == 0;
}

/* TS 23.040 §9.2.3.24.1: collect the parts of one concatenated message. */
enum eum_sms_reasm_rc eum_sms_reasm_add(struct eum_sms_reasm *r, const struct eum_sms_addr *oa,
                                        const struct eum_sms_udh *h, const uint8_t *payload, size_t len, uint64_t now,
                                        uint8_t *out, size_t cap, size_t *out_len, int *first_cpi)
{
	size_t i, total_len;

	if (!r || !oa || !h || !h->has_concat || (len && !payload))
		return EUM_SMS_REASM_INCONSISTENT;
	if (r->active && (r->ref != h->ref || r->concat16 != h->concat16 || !addr_equal(&r->oa, oa)))
		eum_sms_reasm_init(r); /* a new message: the incomplete one is abandoned */
	if (r->active && r->total != h->total) {
		eum_sms_reasm_init(r);
		return EUM_SMS_REASM_INCONSISTENT;
	}
	if (len > EUM_SMS_UD_MAX) { /* every total (1..255) fits the part table */
		eum_sms_reasm_init(r);
		return EUM_SMS_REASM_TOO_BIG;
	}
	if (!r->active) {
		r->buf = malloc(eum_sms_reasm_max(r));
		if (!r->buf)
			return EUM_SMS_REASM_TOO_BIG;
		r->active = 1;
		r->ref = h->ref;
		r->concat16 = h->concat16;
		r->total = h->total;
		r->oa = *oa;
	}
	for (i = 0; i < r->have; i++) {
		if (r->seg[i].seq != h->seq)
			continue;
		if (r->seg[i].len == len && memcmp(r->buf + r->seg[i].off, payload, len) == 0) {
			r->last = now;
			return EUM_SMS_REASM_DUPLICATE;
		}
		eum_sms_reasm_init(r);
		return EUM_SMS_REASM_INCONSISTENT;
	}
	if (len > eum_sms_reasm_max(r) - r->used) {
		eum_sms_reasm_init(r);
		return EUM_SMS_REASM_TOO_BIG;
	}
	if (len)
		memcpy(r->buf + r->used, payload, len);
	r->seg[r->have].seq = h->seq;
	r->seg[r->have].len = (uint8_t)len;
	r->seg[r->have].off = (uint16_t)r->used;
	r->have++;
	r->used += len;
	r->last = now;
	if (h->seq == 1)
		r->first_cpi = h->has_cpi;
	if (r->have < r->total)
		return EUM_SMS_REASM_STORED;

	/* complete: every part 1..total is held exactly once (duplicates never enter the table) */
	total_len = r->used;
	if (!out || total_len > cap) {
		eum_sms_reasm_init(r);
		return EUM_SMS_REASM_TOO_BIG;
	}
	*out_len = 0;
	for (uint8_t seq = 1; seq <= r->total; seq++) {
		for (i = 0; i < r->have; i++) {
			if (r->seg[i].seq == seq) {
				memcpy(out + *out_len, r->buf + r->seg[i].off, r->seg[i].len);
				*out_len += r->seg[i].len;
				break;
			}
		}
	}
	if (first_cpi)
		*first_cpi = r->first_cpi;
	eum_sms_reasm_init(r);
	return EUM_SMS_REASM_COMPLETE;
}

/* TS 102 223 §7.1 / TS 31.111 §7.1.1: pick the objects of the SMS-PP download template. */
static uint16_t parse_template(const uint8_t *data, size_t len, struct eum_tlv *tpdu, struct eum_sms_pp_msg *msg)
{
	struct eum_tlv_reader r;
	struct eum_tlv t, top;
	int rc, have_dev = 0, have_tpdu = 0;

	if (len < 2)
		return EUM_SW_WRONG_LENGTH;
	eum_tlv_reader_init(&r, data, len);
	rc = eum_ber_next(&r, &top);
	if (rc != EUM_TLV_OK) {
		/* the template's own length runs past the data: Lc does not match it */
		return data[0] == TAG_SMS_PP_DOWNLOAD ? EUM_SW_WRONG_LENGTH : EUM_SW_INCORRECT_DATA;
	}
	if (top.tag != TAG_SMS_PP_DOWNLOAD)
		return EUM_SW_INCORRECT_DATA;
	if (r.left != 0)
		return EUM_SW_WRONG_LENGTH;

	eum_tlv_reader_init(&r, top.val, top.len);
	while ((rc = eum_ctlv_next(&r, &t)) == EUM_TLV_OK) {
		switch (t.tag) {
		case CTAG_DEVICE_IDENTITIES:
			if (have_dev || t.len != 2 || t.val[0] != EUM_SMS_DEV_NETWORK || t.val[1] != EUM_SMS_DEV_UICC)
				return EUM_SW_INCORRECT_DATA;
			have_dev = 1;
			break;
		case CTAG_ADDRESS:
			if (msg->smsc_len || t.len < 1 || t.len > EUM_SMS_SMSC_MAX)
				return EUM_SW_INCORRECT_DATA;
			memcpy(msg->smsc, t.val, t.len);
			msg->smsc_len = (uint8_t)t.len;
			break;
		case CTAG_SMS_TPDU:
			if (have_tpdu)
				return EUM_SW_INCORRECT_DATA;
			*tpdu = t;
			have_tpdu = 1;
			break;
		default:
			/* TS 102 223 §6.10.x: an unknown object with the comprehension-required flag cannot
			 * be skipped; others can */
			if (t.raw[0] & 0x80)
				return EUM_SW_INCORRECT_DATA;
			break;
		}
	}
	if (rc != EUM_TLV_END || !have_dev || !have_tpdu)
		return EUM_SW_INCORRECT_DATA;
	return EUM_SW_OK;
}

static void note_packet(struct eum_sms_pp_msg *msg, const uint8_t *pkt, size_t len)
{
	msg->kind = EUM_SMS_PP_COMMAND_PACKET;
	msg->pkt_len = len;
	msg->por_via_submit = len > PKT_SPI2_OFFSET && (pkt[PKT_SPI2_OFFSET] & SPI2_POR_SUBMIT);
}

/* 3GPP TS 31.111 §7.1.1.2: SMS-PP data download carrying an OTA command packet (TS 31.115 §4). */
uint16_t eum_sms_pp_download(struct eum_sms_reasm *r, const uint8_t *data, size_t len, uint64_t now, uint8_t *pkt,
                             size_t cap, struct eum_sms_pp_msg *msg)
{
	struct eum_tlv tpdu_tlv;
	struct eum_sms_deliver d;
	struct eum_sms_udh h;
	const uint8_t *payload;
	size_t payload_len, out_len = 0;
	int first_cpi = 0;
	uint16_t sw;

	if (!r || !data || !msg)
		return EUM_SW_TECHNICAL_PROBLEM;
	memset(msg, 0, sizeof(*msg));
	sw = parse_template(data, len, &tpdu_tlv, msg);
	if (sw != EUM_SW_OK)
		return sw;
	if (eum_sms_deliver_parse(tpdu_tlv.val, tpdu_tlv.len, &d) != EUM_OK)
		return EUM_SW_INCORRECT_DATA;
	msg->oa = d.oa;
	msg->pid = d.pid;
	msg->dcs = d.dcs;
	msg->kind = EUM_SMS_PP_NOT_OTA;

	/* TS 31.115 §4: OTA packets travel with TP-PID 7F, class 2 8-bit data and a UDH */
	if (d.pid != EUM_SMS_PID_SIM_DATA_DOWNLOAD || eum_sms_dcs_alphabet(d.dcs) != 1 ||
	    eum_sms_dcs_class(d.dcs) != 2 || !(d.first_octet & FO_UDHI))
		return EUM_SW_OK;
	if (eum_sms_udh_parse(d.ud, d.ud_len, &h) != EUM_OK)
		return EUM_SW_INCORRECT_DATA;
	payload = d.ud + h.hdr_len;
	payload_len = d.ud_len - h.hdr_len;

	if (!h.has_concat) {
		if (!h.has_cpi)
			return EUM_SW_OK;
		if (!pkt || payload_len > cap)
			return EUM_SW_NOT_ENOUGH_MEMORY;
		memcpy(pkt, payload, payload_len);
		note_packet(msg, pkt, payload_len);
		return EUM_SW_OK;
	}

	/* TS 31.115 §4: only the first part of a concatenated command packet carries IEI 70; later
	 * parts carry the concatenation IE alone, so every 7F/class-2 part is collected */
	switch (eum_sms_reasm_add(r, &d.oa, &h, payload, payload_len, now, pkt, cap, &out_len, &first_cpi)) {
	case EUM_SMS_REASM_STORED:
		msg->kind = EUM_SMS_PP_SEGMENT_STORED;
		return EUM_SW_OK;
	case EUM_SMS_REASM_DUPLICATE:
		msg->kind = EUM_SMS_PP_DUPLICATE;
		return EUM_SW_OK;
	case EUM_SMS_REASM_COMPLETE:
		if (first_cpi)
			note_packet(msg, pkt, out_len);
		return EUM_SW_OK;
	case EUM_SMS_REASM_TOO_BIG:
		return EUM_SW_NOT_ENOUGH_MEMORY;
	default:
		return EUM_SW_INCORRECT_DATA;
	}
}

/* TS 31.115 §4.2: PoR returned in the ENVELOPE response (SMS-DELIVER-REPORT user data). */
int eum_sms_pp_por_response(const uint8_t *rsp_pkt, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	static const uint8_t udh[3] = {0x02, EUM_SMS_IEI_RPI, 0x00};

	if ((!rsp_pkt && len) || !out || !out_len)
		return EUM_ERR_INVALID_ARG;
	if (cap < sizeof(udh) || len > cap - sizeof(udh))
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(out, udh, sizeof(udh));
	if (len)
		memcpy(out + sizeof(udh), rsp_pkt, len);
	*out_len = sizeof(udh) + len;
	return EUM_OK;
}

/* Payload octets per part: single (UDH 02 7x 00), first of many (07 7x 00 00 03 ref n i), others (05 00 03 ...). */
#define SUBMIT_SINGLE_MAX (EUM_SMS_UD_MAX - 3)
#define SUBMIT_FIRST_MAX  (EUM_SMS_UD_MAX - 8)
#define SUBMIT_NEXT_MAX   (EUM_SMS_UD_MAX - 6)

size_t eum_sms_submit_count(size_t pkt_len)
{
	size_t n;

	if (pkt_len <= SUBMIT_SINGLE_MAX)
		return 1;
	n = 1 + (pkt_len - SUBMIT_FIRST_MAX + SUBMIT_NEXT_MAX - 1) / SUBMIT_NEXT_MAX;
	return n > 255 ? 0 : n;
}

/* TS 23.040 §9.2.2.2: SMS-SUBMIT with UDH (TS 31.115 §4 IEI 70/71, §9.2.3.24.1 concatenation). */
int eum_sms_submit_build(const struct eum_sms_addr *da, uint8_t iei, const uint8_t *pkt, size_t pkt_len, uint8_t ref,
                         size_t index, uint8_t *out, size_t cap, size_t *out_len)
{
	struct eum_buf b;
	size_t n, off, chunk, udh_len;

	if (!da || (!pkt && pkt_len) || !out || !out_len || da->ndigits > EUM_SMS_ADDR_MAX_DIGITS)
		return EUM_ERR_INVALID_ARG;
	n = eum_sms_submit_count(pkt_len);
	if (n == 0 || index >= n)
		return EUM_ERR_INVALID_ARG;
	if (n == 1) {
		off = 0;
		chunk = pkt_len;
		udh_len = 2;
	} else if (index == 0) {
		off = 0;
		chunk = SUBMIT_FIRST_MAX;
		udh_len = 7;
	} else {
		off = SUBMIT_FIRST_MAX + (index - 1) * SUBMIT_NEXT_MAX;
		chunk = pkt_len - off < SUBMIT_NEXT_MAX ? pkt_len - off : SUBMIT_NEXT_MAX;
		udh_len = 5;
	}

	eum_buf_init(&b, out, cap);
	eum_buf_u8(&b, MTI_SUBMIT | FO_UDHI); /* no TP-VP, no status report, no reply path */
	eum_buf_u8(&b, 0x00);                 /* TP-MR: set by the terminal (TS 102 223 §6.4.10) */
	eum_buf_u8(&b, da->ndigits);
	eum_buf_u8(&b, da->ton_npi);
	eum_buf_put(&b, da->value, ((size_t)da->ndigits + 1) / 2);
	eum_buf_u8(&b, EUM_SMS_PID_SIM_DATA_DOWNLOAD);
	eum_buf_u8(&b, EUM_SMS_DCS_CLASS2_8BIT);
	eum_buf_u8(&b, (uint8_t)(1 + udh_len + chunk));
	eum_buf_u8(&b, (uint8_t)udh_len);
	if (index == 0) {
		eum_buf_u8(&b, iei);
		eum_buf_u8(&b, 0x00);
	}
	if (n > 1) {
		eum_buf_u8(&b, EUM_SMS_IEI_CONCAT8);
		eum_buf_u8(&b, 3);
		eum_buf_u8(&b, ref);
		eum_buf_u8(&b, (uint8_t)n);
		eum_buf_u8(&b, (uint8_t)(index + 1));
	}
	eum_buf_put(&b, pkt ? pkt + off : NULL, chunk);
	if (b.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*out_len = b.len;
	return EUM_OK;
}
