/*
 * libeum-host SM-SR side of SGP.02 ES5 over SMS (SGP.02 §4, §7): ES5 C-APDUs for the ISD-R,
 * the SCP80 SMS-PP ENVELOPEs carrying them (ETSI TS 102 225 / 3GPP TS 31.115 via scp80_host.c,
 * TS 31.111 / TS 23.040 / TS 102 226 via sms_host.c), their PoRs, and the card's MO
 * notifications (§7.8). Independent of the card's src/sgp02 and src/ota code.
 */
#include "eum/host/smsr.h"

#include <string.h>

#include "host_crypto.h"

/* SGP.02 Annex H */
static const uint8_t isdp_elf[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x0D, 0x00};
static const uint8_t isdp_module[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                        0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x0E, 0x00};

#define SCRIPT_MAX  1024
#define PKT_MAX     (SCRIPT_MAX + 64)
#define NOTIF_CLEAR 10 /* CPL(2) CHL SPI(2) KIc KID TAR(3) */
#define NOTIF_SEC   14 /* CNTR(5) PCNTR CC(8) */

void eum_host_smsr_init(struct eum_host_smsr *s, const struct eum_host_scp80_keyset *keys, uint8_t kic, uint8_t kid,
                        const uint8_t tar[3])
{
	memset(s, 0, sizeof(*s));
	if (keys)
		s->keys = *keys;
	s->params.spi[0] = 0x16; /* counter must be higher, ciphered, CC */
	s->params.spi[1] = 0x19; /* PoR always, CC, ciphered, in the DELIVER-REPORT */
	s->params.kic = kic;
	s->params.kid = kid;
	if (tar)
		memcpy(s->params.tar, tar, 3);
	s->params.cc_len = 8;
	eum_host_sms_deliver_params_init(&s->sms);
	s->format = EUM_HOST_SMS_SCRIPT_DEFINITE;
}

/* One SCP80 command packet with the next counter value, as SMS-PP ENVELOPE(s). */
static int smsr_packet(struct eum_host_smsr *s, const uint8_t *data, size_t dlen, struct eum_host_smsr_envelopes *out)
{
	uint8_t pkt[PKT_MAX];
	size_t plen = 0, count = 0, i;
	int rc, k;

	memset(out, 0, sizeof(*out));
	/* TS 102 225 §5.1.1: each packet carries a higher counter */
	for (k = EUM_HOST_SCP80_CNTR_LEN - 1; k >= 0 && ++s->params.cntr[k] == 0; k--)
		;
	rc = eum_host_scp80_build_cmd(&s->keys, &s->params, data, dlen, pkt, sizeof(pkt), &plen);
	if (rc == EUM_OK)
		rc = eum_host_sms_envelope_count(&s->sms, plen, &count);
	if (rc == EUM_OK && count > EUM_HOST_SMSR_ENVELOPES_MAX)
		rc = EUM_ERR_BUFFER_TOO_SMALL;
	for (i = 0; rc == EUM_OK && i < count; i++)
		rc = eum_host_sms_build_envelope(&s->sms, pkt, plen, i, out->apdu[i], sizeof(out->apdu[i]),
		                                 &out->len[i]);
	if (rc == EUM_OK)
		out->n = count;
	return rc;
}

int eum_host_smsr_script(struct eum_host_smsr *s, const uint8_t *const *apdus, const size_t *lens, size_t n,
                         struct eum_host_smsr_envelopes *out)
{
	uint8_t script[SCRIPT_MAX];
	size_t slen = 0;
	int rc;

	if (!s || !apdus || !lens || !n || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	rc = eum_host_sms_script_build(s->format, apdus, lens, n, script, sizeof(script), &slen);
	if (rc)
		return rc;
	rc = smsr_packet(s, script, slen, out);
	eum_host_wipe(script, sizeof(script));
	return rc;
}

int eum_host_smsr_push(struct eum_host_smsr *s, const uint8_t *trigger, size_t len, struct eum_host_smsr_envelopes *out)
{
	size_t vl, h = 2;

	if (!s || !trigger || !out || len < 2 || len > SCRIPT_MAX || trigger[0] != 0x81)
		return EUM_ERR_INVALID_ARG;
	/* digest §1.1: the secured data is the bare 81 TLV, nothing before or after it */
	vl = trigger[1];
	if (vl == 0x81 && len >= 3) {
		vl = trigger[2];
		h = 3;
	} else if (vl == 0x82 && len >= 4) {
		vl = (size_t)trigger[2] << 8 | trigger[3];
		h = 4;
	} else if (vl > 0x7F) {
		return EUM_ERR_INVALID_ARG;
	}
	if (h + vl != len)
		return EUM_ERR_INVALID_ARG;
	return smsr_packet(s, trigger, len, out);
}

int eum_host_smsr_parse_por(const struct eum_host_smsr *s, const uint8_t *por, size_t len, uint8_t *work,
                            size_t work_cap, struct eum_host_smsr_result *out)
{
	struct eum_host_scp80_por p;
	struct eum_host_sms_script_response sr;
	int rc;

	if (!s || !por || !work || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	rc = eum_host_scp80_parse_por(&s->keys, &s->params, por, len, work, work_cap, &p);
	if (rc)
		return rc;
	out->status = p.status;
	if (p.status != 0x00 || p.data_len == 0)
		return EUM_OK;
	rc = eum_host_sms_script_parse_response(p.data, p.data_len, s->format != EUM_HOST_SMS_SCRIPT_COMPACT, &sr);
	if (rc)
		return rc;
	out->executed = sr.executed;
	out->last_sw = sr.last_sw;
	out->data = sr.last_data;
	out->data_len = sr.last_data_len;
	return EUM_OK;
}

/* One BER-TLV with a 1-byte tag (the E1 content uses only those). */
static int tlv1(const uint8_t **p, size_t *left, uint8_t *tag, const uint8_t **val, size_t *vlen)
{
	size_t l, h = 2;

	if (*left < 2)
		return EUM_ERR_PARSE;
	*tag = (*p)[0];
	l = (*p)[1];
	if (l == 0x81) {
		if (*left < 3)
			return EUM_ERR_PARSE;
		l = (*p)[2];
		h = 3;
	} else if (l > 0x80) {
		return EUM_ERR_PARSE;
	}
	if (l > *left - h)
		return EUM_ERR_PARSE;
	*val = *p + h;
	*vlen = l;
	*p += h + l;
	*left -= h + l;
	return EUM_OK;
}

/* SGP.02 §7.8: E1 { 4C EID, 4D type, 4E seq, 2F AID, [14 IMEI], ... } */
static int parse_e1(const uint8_t *d, size_t len, struct eum_host_smsr_notification *out)
{
	const uint8_t *p = d, *v, *in;
	size_t left = len, vl, il;
	uint8_t tag;
	int seen = 0;

	if (tlv1(&p, &left, &tag, &in, &il) || tag != 0xE1 || left != 0)
		return EUM_ERR_PARSE;
	while (il) {
		if (tlv1(&in, &il, &tag, &v, &vl))
			return EUM_ERR_PARSE;
		switch (tag) {
		case 0x4C:
			if (vl != 16)
				return EUM_ERR_PARSE;
			memcpy(out->eid, v, 16);
			seen |= 1;
			break;
		case 0x4D:
			if (vl != 1)
				return EUM_ERR_PARSE;
			out->type = v[0];
			seen |= 2;
			break;
		case 0x4E:
			if (vl != 2)
				return EUM_ERR_PARSE;
			out->seq = (uint16_t)(v[0] << 8 | v[1]);
			seen |= 4;
			break;
		case 0x2F:
		case 0xAF:
			if (vl < 5 || vl > 16)
				return EUM_ERR_PARSE;
			memcpy(out->aid, v, vl);
			out->aid_len = vl;
			break;
		case 0x14:
		case 0x94:
			if (vl != 8)
				return EUM_ERR_PARSE;
			memcpy(out->imei, v, 8);
			out->has_imei = 1;
			break;
		default: /* MEID (6D) and later additions are skipped */
			break;
		}
	}
	return seen == 7 ? EUM_OK : EUM_ERR_PARSE;
}

int eum_host_smsr_parse_notification(const struct eum_host_smsr *s, const uint8_t *fetch, size_t len,
                                     struct eum_host_smsr_notification *out)
{
	static const uint8_t zero_iv[16];
	struct eum_host_sms_submit sm;
	struct eum_host_scp80_params p;
	const struct eum_host_scp80_key *kic;
	uint8_t plain[PKT_MAX], rebuilt[PKT_MAX];
	const uint8_t *pkt;
	size_t plen, body, dlen, rlen = 0, block;
	int rc;

	if (!s || !fetch || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	rc = eum_host_sms_parse_send_sm(fetch, len, &sm);
	if (rc)
		return rc;
	if (!sm.has_cpi || sm.concat)
		return EUM_ERR_PARSE;
	pkt = sm.payload;
	plen = sm.payload_len;
	if (plen < NOTIF_CLEAR + NOTIF_SEC || plen > sizeof(plain) || ((size_t)pkt[0] << 8 | pkt[1]) != plen - 2)
		return EUM_ERR_PARSE;
	/* the ISD-R's TAR and our key set; SGP.02 §7.8 [IMPL]: ciphered, 8-byte CC */
	if (memcmp(pkt + 7, s->params.tar, 3) != 0 || (pkt[5] >> 4) != (s->params.kic >> 4) ||
	    (pkt[6] >> 4) != (s->params.kid >> 4) || !(pkt[3] & 0x04) || (pkt[3] & 0x03) != 0x02 || pkt[2] != 13 + 8)
		return EUM_ERR_PARSE;
	kic = &s->keys.kic;
	block = kic->algo == EUM_HOST_SCP80_ALGO_AES ? 16 : 8;
	body = plen - NOTIF_CLEAR;
	if (body % block)
		return EUM_ERR_CRYPTO;
	if (kic->algo == EUM_HOST_SCP80_ALGO_AES)
		rc = eum_host_aes_cbc(0, kic->val, kic->len, zero_iv, pkt + NOTIF_CLEAR, body, plain);
	else
		rc = eum_host_des_cbc(0, kic->val, kic->len, zero_iv, pkt + NOTIF_CLEAR, body, plain);
	if (rc)
		return EUM_ERR_CRYPTO;
	if (plain[5] > body - NOTIF_SEC) {
		eum_host_wipe(plain, sizeof(plain));
		return EUM_ERR_CRYPTO;
	}
	dlen = body - NOTIF_SEC - plain[5];
	/* rebuild the packet from what it says: every byte, the CC included, must come out the same */
	memset(&p, 0, sizeof(p));
	memcpy(p.spi, pkt + 3, 2);
	p.kic = pkt[5];
	p.kid = pkt[6];
	memcpy(p.tar, pkt + 7, 3);
	memcpy(p.cntr, plain, 5);
	p.cc_len = 8;
	rc = eum_host_scp80_build_cmd(&s->keys, &p, plain + NOTIF_SEC, dlen, rebuilt, sizeof(rebuilt), &rlen);
	if (rc || rlen != plen || eum_host_ct_memcmp(rebuilt, pkt, plen) != 0)
		rc = EUM_ERR_CRYPTO;
	else
		rc = parse_e1(plain + NOTIF_SEC, dlen, out);
	if (rc == EUM_OK) {
		memcpy(out->da, sm.da, sizeof(out->da));
		out->da_ton_npi = sm.da_ton_npi;
	}
	eum_host_wipe(plain, sizeof(plain));
	eum_host_wipe(rebuilt, sizeof(rebuilt));
	return rc;
}

/* ---- C-APDUs ----------------------------------------------------------------------------------- */

struct apdu_w {
	uint8_t *p;
	size_t cap, len;
	int over;
};

static void w_put(struct apdu_w *w, const void *d, size_t n)
{
	if (w->len + n > w->cap) {
		w->over = 1;
		return;
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void w_u8(struct apdu_w *w, uint8_t v)
{
	w_put(w, &v, 1);
}

/* Finish a case 3/4 APDU: patch Lc (at offset 4), add Le 00 when asked. */
static int w_done(struct apdu_w *w, int le, size_t *len)
{
	if (le)
		w_u8(w, 0x00);
	if (w->over || w->len < 5 || w->len - 5 - (le ? 1 : 0) > 255)
		return w->over ? EUM_ERR_BUFFER_TOO_SMALL : EUM_ERR_INVALID_ARG;
	w->p[4] = (uint8_t)(w->len - 5 - (le ? 1 : 0));
	*len = w->len;
	return EUM_OK;
}

static int aid_ok(const uint8_t *aid, size_t len)
{
	return aid && len >= 5 && len <= 16;
}

int eum_host_smsr_create_isdp(const uint8_t tar[3], uint32_t nvm, uint8_t *apdu, size_t cap, size_t *len)
{
	static const uint8_t hdr[5] = {0x80, 0xE6, 0x0C, 0x00, 0x00};
	static const uint8_t priv[4] = {0x03, 0x80, 0xC0, 0x00};
	static const uint8_t c9[6] = {0xC9, 0x04, 0x81, 0x02, 0x03, 0x70};
	struct apdu_w w = {apdu, cap, 0, 0};
	uint8_t aid[16];

	if (!tar || !apdu || !len)
		return EUM_ERR_INVALID_ARG;
	memcpy(aid, isdp_elf, 12);
	memcpy(aid + 12, tar, 3);
	aid[15] = 0x00;
	w_put(&w, hdr, sizeof(hdr));
	w_u8(&w, 16);
	w_put(&w, isdp_elf, 16);
	w_u8(&w, 16);
	w_put(&w, isdp_module, 16);
	w_u8(&w, 16);
	w_put(&w, aid, 16);
	w_put(&w, priv, sizeof(priv));
	w_u8(&w, (uint8_t)(sizeof(c9) + (nvm ? 8 : 0)));
	w_put(&w, c9, sizeof(c9));
	if (nvm) {
		const uint8_t ef[8] = {
		        0xEF,        0x06, 0x83, 0x04, (uint8_t)(nvm >> 24), (uint8_t)(nvm >> 16), (uint8_t)(nvm >> 8),
		        (uint8_t)nvm};
		w_put(&w, ef, sizeof(ef));
	}
	w_u8(&w, 0x00); /* install token: none */
	return w_done(&w, 1, len);
}

/* STORE DATA (GPCS §11.11), one block, DGI structure: 80 E2 88|89 00 Lc DGI L value [00]. */
static int store_data(uint16_t dgi, const uint8_t *val, size_t vlen, int le, uint8_t *apdu, size_t cap, size_t *len)
{
	const uint8_t hdr[5] = {0x80, 0xE2, (uint8_t)(le ? 0x89 : 0x88), 0x00, 0x00};
	struct apdu_w w = {apdu, cap, 0, 0};

	if (!apdu || !len || vlen > 0xFE - 3)
		return EUM_ERR_INVALID_ARG;
	w_put(&w, hdr, sizeof(hdr));
	w_u8(&w, (uint8_t)(dgi >> 8));
	w_u8(&w, (uint8_t)dgi);
	w_u8(&w, (uint8_t)vlen);
	w_put(&w, val, vlen);
	return w_done(&w, le, len);
}

static int aid_dgi(uint16_t dgi, const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len)
{
	uint8_t v[18];

	if (!aid_ok(aid, aid_len))
		return EUM_ERR_INVALID_ARG;
	v[0] = 0x4F;
	v[1] = (uint8_t)aid_len;
	memcpy(v + 2, aid, aid_len);
	return store_data(dgi, v, 2 + aid_len, 0, apdu, cap, len);
}

int eum_host_smsr_enable_profile(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len)
{
	return aid_dgi(0x3A03, aid, aid_len, apdu, cap, len);
}

int eum_host_smsr_disable_profile(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len)
{
	return aid_dgi(0x3A04, aid, aid_len, apdu, cap, len);
}

int eum_host_smsr_set_fallback(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len)
{
	return aid_dgi(0x3A05, aid, aid_len, apdu, cap, len);
}

int eum_host_smsr_confirm(uint16_t seq, uint8_t *apdu, size_t cap, size_t *len)
{
	const uint8_t v[4] = {0x4E, 0x02, (uint8_t)(seq >> 8), (uint8_t)seq};

	return store_data(0x3A08, v, sizeof(v), 1, apdu, cap, len);
}

int eum_host_smsr_update_address(const char *digits, uint8_t ton_npi, uint8_t *apdu, size_t cap, size_t *len)
{
	uint8_t v[4 + 2 + 10];
	size_t n, i;

	if (!digits)
		return EUM_ERR_INVALID_ARG;
	n = strlen(digits);
	if (n == 0 || n > 20)
		return EUM_ERR_INVALID_ARG;
	/* A3 { 81 { <digit count> <TON/NPI> <semi-octets, F filler> } } (SGP.02 §7.10, whty) */
	v[0] = 0xA3;
	v[1] = (uint8_t)(2 + 2 + (n + 1) / 2);
	v[2] = 0x81;
	v[3] = (uint8_t)(2 + (n + 1) / 2);
	v[4] = (uint8_t)n;
	v[5] = ton_npi;
	memset(v + 6, 0xFF, (n + 1) / 2);
	for (i = 0; i < n; i++) {
		uint8_t d;
		if (digits[i] < '0' || digits[i] > '9')
			return EUM_ERR_INVALID_ARG;
		d = (uint8_t)(digits[i] - '0');
		v[6 + i / 2] = (uint8_t)(i & 1 ? (v[6 + i / 2] & 0x0F) | d << 4 : (v[6 + i / 2] & 0xF0) | d);
	}
	return store_data(0x3A07, v, 6 + (n + 1) / 2, 0, apdu, cap, len);
}

int eum_host_smsr_delete_profile(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len)
{
	static const uint8_t hdr[5] = {0x80, 0xE4, 0x00, 0x40, 0x00};
	struct apdu_w w = {apdu, cap, 0, 0};

	if (!aid_ok(aid, aid_len) || !apdu || !len)
		return EUM_ERR_INVALID_ARG;
	w_put(&w, hdr, sizeof(hdr));
	w_u8(&w, 0x4F);
	w_u8(&w, (uint8_t)aid_len);
	w_put(&w, aid, aid_len);
	return w_done(&w, 1, len);
}

int eum_host_smsr_master_delete(const uint8_t *aid, size_t aid_len, const uint8_t *b6, size_t b6_len,
                                const uint8_t token_key[16], uint8_t *apdu, size_t cap, size_t *len)
{
	static const uint8_t hdr[5] = {0x80, 0xE4, 0x00, 0x40, 0x00};
	struct apdu_w w = {apdu, cap, 0, 0};
	struct eum_host_iov parts[2];
	uint8_t head[3], token[16];
	size_t covered;
	int rc;

	if (!aid_ok(aid, aid_len) || (!b6 && b6_len) || b6_len > 0x7F || !token_key || !apdu || !len)
		return EUM_ERR_INVALID_ARG;
	w_put(&w, hdr, sizeof(hdr));
	w_u8(&w, 0x4F);
	w_u8(&w, (uint8_t)aid_len);
	w_put(&w, aid, aid_len);
	w_u8(&w, 0xB6);
	w_u8(&w, (uint8_t)b6_len);
	w_put(&w, b6, b6_len);
	if (w.over)
		return EUM_ERR_BUFFER_TOO_SMALL;
	/* SGP.02 §7.5 (whty): token = AES-CMAC(key, P1 P2 Lc' || 4F... B6...) */
	covered = w.len - 5;
	head[0] = 0x00;
	head[1] = 0x40;
	head[2] = (uint8_t)covered;
	parts[0] = (struct eum_host_iov){head, sizeof(head)};
	parts[1] = (struct eum_host_iov){apdu + 5, covered};
	rc = eum_host_aes_cmac(token_key, 16, parts, 2, token);
	if (rc)
		return rc;
	w_u8(&w, 0x9E);
	w_u8(&w, 16);
	w_put(&w, token, sizeof(token));
	return w_done(&w, 1, len);
}

int eum_host_smsr_get_status(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len)
{
	static const uint8_t hdr[5] = {0x80, 0xF2, 0x40, 0x02, 0x00};
	struct apdu_w w = {apdu, cap, 0, 0};

	if ((aid_len && !aid_ok(aid, aid_len)) || !apdu || !len)
		return EUM_ERR_INVALID_ARG;
	w_put(&w, hdr, sizeof(hdr));
	w_u8(&w, 0x4F);
	w_u8(&w, (uint8_t)aid_len);
	if (aid_len)
		w_put(&w, aid, aid_len);
	return w_done(&w, 1, len);
}

int eum_host_smsr_deleted_aid(const uint8_t *data, size_t len, size_t index, const uint8_t **aid, size_t *aid_len)
{
	const uint8_t *p = data, *in, *v;
	size_t left = len, il, vl, i = 0;
	uint8_t tag;

	if (!data || !aid || !aid_len)
		return EUM_ERR_INVALID_ARG;
	if (tlv1(&p, &left, &tag, &in, &il) || tag != 0x80 || left != 0)
		return EUM_ERR_PARSE;
	while (il) {
		if (tlv1(&in, &il, &tag, &v, &vl) || tag != 0x4F)
			return EUM_ERR_PARSE;
		if (i++ == index) {
			*aid = v;
			*aid_len = vl;
			return EUM_OK;
		}
	}
	return EUM_ERR_NOT_FOUND;
}
