/*
 * libeum-host: the SM-DP's ES8 over HTTPS (SGP.02 with GP Amendment B; spec digest scp81-https.md §4.3 script
 * bodies, §5.2 the targeted ISD-P, §5.3 SCP03t segments): expanded indefinite remote command scripts
 * (TS 102 226 §5.2, AE 80 … 00 00) for EstablishISDPKeySet and the SCP03t download with segments sized by the
 * caller, and the reading of the card's response scripts (AF 80 … 00 00: 23 R-APDUs, 84/85/86 answers, 9F4x
 * errors). The cryptography is smdp_keys.c / smdp_scp03t.c's.
 */
#include <string.h>

#include "eum/host/smdp.h"
#include "host_crypto.h"
#include "host_wr.h"

#define SEG_MAX 8000 /* the card takes bodies of 8 KB (design doc) */

static void x_put(eum_host_xscript *x, const void *d, size_t n)
{
	if (x->err)
		return;
	if (n > x->cap - x->len) {
		x->err = EUM_ERR_BUFFER_TOO_SMALL;
		return;
	}
	if (n)
		memcpy(x->buf + x->len, d, n);
	x->len += n;
}

void eum_host_xscript_begin(eum_host_xscript *x, uint8_t *buf, size_t cap)
{
	if (!x)
		return;
	x->buf = buf;
	x->cap = buf ? cap : 0;
	x->len = 0;
	x->err = buf ? EUM_OK : EUM_ERR_INVALID_ARG;
	x_put(x, "\xAE\x80", 2);
}

int eum_host_xscript_apdu(eum_host_xscript *x, const uint8_t *capdu, size_t len)
{
	uint8_t h[4];
	struct eum_host_wr w = {h, sizeof(h), 0, 0};

	if (!x)
		return EUM_ERR_INVALID_ARG;
	if (!capdu || len < 4 || len > 0xFFFF) {
		if (!x->err)
			x->err = EUM_ERR_INVALID_ARG;
		return x->err;
	}
	/* TS 102 226 §5.2.1: command TLV 22, BER length */
	eum_host_wr_u8(&w, 0x22);
	eum_host_wr_ber_len(&w, len);
	x_put(x, h, w.len);
	x_put(x, capdu, len);
	return x->err;
}

int eum_host_xscript_tlv(eum_host_xscript *x, const uint8_t *tlv, size_t len)
{
	if (!x)
		return EUM_ERR_INVALID_ARG;
	if (!tlv || len < 2) {
		if (!x->err)
			x->err = EUM_ERR_INVALID_ARG;
		return x->err;
	}
	x_put(x, tlv, len);
	return x->err;
}

int eum_host_xscript_end(eum_host_xscript *x, size_t *len)
{
	if (!x || !len)
		return EUM_ERR_INVALID_ARG;
	x_put(x, "\x00\x00", 2);
	if (x->err)
		return x->err;
	*len = x->len;
	return EUM_OK;
}

/* One STORE DATA `80 E2 p1 p2 Lc data 00` in a script of its own. */
static int store_data_script(uint8_t p1, uint8_t p2, const uint8_t *data, size_t dlen, uint8_t *out, size_t cap,
                             size_t *len)
{
	uint8_t apdu[5 + 255 + 1];
	eum_host_xscript x;

	if (!data || !dlen || dlen > 255 || !out || !len)
		return EUM_ERR_INVALID_ARG;
	apdu[0] = 0x80;
	apdu[1] = 0xE2;
	apdu[2] = p1;
	apdu[3] = p2;
	apdu[4] = (uint8_t)dlen;
	memcpy(apdu + 5, data, dlen);
	apdu[5 + dlen] = 0x00; /* Le: the card answers 85 RC / 86 receipt */
	eum_host_xscript_begin(&x, out, cap);
	eum_host_xscript_apdu(&x, apdu, dlen + 6);
	return eum_host_xscript_end(&x, len);
}

int eum_host_smdp_https_keyest1(const uint8_t *cert, size_t cert_len, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t d[300];
	size_t n = 0;
	int rc;

	if (!cert || !out || !len)
		return EUM_ERR_INVALID_ARG;
	rc = eum_host_smdp_build_3a01(cert, cert_len, d, sizeof(d), &n);
	if (rc)
		return rc == EUM_ERR_BUFFER_TOO_SMALL ? EUM_ERR_INVALID_ARG : rc;
	/* SGP.02 §4.1.3.1 (digest sgp02-euicc.md §8.1): block 00, more blocks follow, response expected */
	return store_data_script(0x09, 0x00, d, n, out, cap, len);
}

int eum_host_smdp_https_keyest2(const uint8_t *data, size_t data_len, uint8_t *out, size_t cap, size_t *len)
{
	/* block 01, the last, response expected */
	return store_data_script(0x89, 0x01, data, data_len, out, cap, len);
}

int eum_host_smdp_https_scp03t_open(eum_host_scp03t *t, const uint8_t host_challenge[8], const uint8_t *isdp_aid,
                                    size_t aid_len, uint32_t predicted_seq, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t tlv[48];
	size_t n = 0;
	eum_host_xscript x;
	int rc;

	if (!t || !host_challenge || !out || !len || (predicted_seq && !isdp_aid))
		return EUM_ERR_INVALID_ARG;
	eum_host_xscript_begin(&x, out, cap);
	rc = eum_host_scp03t_build_84(t, host_challenge, tlv, sizeof(tlv), &n);
	if (rc)
		return rc;
	eum_host_xscript_tlv(&x, tlv, n);
	if (predicted_seq) {
		/* whty (digest §5.3): 84 and 85 in one script, the card challenge predicted */
		rc = eum_host_scp03t_predict(t, predicted_seq, isdp_aid, aid_len);
		if (rc == EUM_OK)
			rc = eum_host_scp03t_build_85(t, tlv, sizeof(tlv), &n);
		if (rc)
			return rc;
		eum_host_xscript_tlv(&x, tlv, n);
	}
	rc = eum_host_xscript_end(&x, len);
	eum_host_wipe(tlv, sizeof(tlv));
	return rc;
}

int eum_host_smdp_https_segments(eum_host_scp03t *t, const uint8_t *der, size_t der_len, size_t seg,
                                 size_t max_segments, size_t *offset, eum_host_scp03t *after, uint8_t *out, size_t cap,
                                 size_t *len, size_t *n_segments)
{
	eum_host_xscript x;
	size_t k = 0;

	if (!t || !der || !seg || seg > SEG_MAX || !max_segments || !offset || *offset >= der_len || !after || !out ||
	    !len || !n_segments)
		return EUM_ERR_INVALID_ARG;
	*n_segments = 0;
	eum_host_xscript_begin(&x, out, cap);
	while (k < max_segments && *offset < der_len) {
		size_t plain = der_len - *offset < seg ? der_len - *offset : seg, n = 0;
		/* 86 82 LL LL, ciphertext padded to whole blocks (80 00..), 8-byte C-MAC; then the closing 00 00 */
		size_t need = 4 + (plain / 16 + 1) * 16 + 8;
		int rc;

		if (need + 2 > x.cap - x.len)
			break;
		rc = eum_host_scp03t_next_segment(t, der, der_len, seg, offset, out + x.len, x.cap - x.len - 2, &n);
		if (rc)
			return rc;
		x.len += n;
		after[k++] = *t;
	}
	if (!k)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*n_segments = k;
	return eum_host_xscript_end(&x, len);
}

/* TLV header at p (1- or 2-byte tag, BER length): 0 on success. */
static int tlv_at(const uint8_t *p, size_t n, uint16_t *tag, size_t *hl, size_t *vl)
{
	size_t h = 1, l;

	if (n < 2)
		return -1;
	*tag = p[0];
	if ((p[0] & 0x1F) == 0x1F) {
		*tag = (uint16_t)(p[0] << 8 | p[1]);
		h = 2;
	}
	if (n < h + 1)
		return -1;
	l = p[h++];
	if (l == 0x81 || l == 0x82) {
		size_t b = l - 0x80;
		if (n < h + b)
			return -1;
		l = b == 1 ? p[h] : ((size_t)p[h] << 8 | p[h + 1]);
		h += b;
	} else if (l > 0x80) {
		return -1;
	}
	if (l > n - h)
		return -1;
	*hl = h;
	*vl = l;
	return 0;
}

/* The TLVs of a response script: AF 80 … 00 00 (indefinite) or AF/AB L … (definite). */
static int af_body(const uint8_t *af, size_t len, const uint8_t **body, size_t *blen)
{
	uint16_t tag;
	size_t hl, vl;

	if (!af || len < 2 || (af[0] != 0xAF && af[0] != 0xAB))
		return EUM_ERR_PARSE;
	if (af[0] == 0xAF && af[1] == 0x80) {
		if (len < 4 || af[len - 2] != 0x00 || af[len - 1] != 0x00)
			return EUM_ERR_PARSE;
		*body = af + 2;
		*blen = len - 4;
		return EUM_OK;
	}
	if (tlv_at(af, len, &tag, &hl, &vl) || hl + vl != len)
		return EUM_ERR_PARSE;
	*body = af + hl;
	*blen = vl;
	return EUM_OK;
}

int eum_host_af_get(const uint8_t *af, size_t len, size_t index, eum_host_af_item *out)
{
	const uint8_t *p;
	size_t left, i = 0;

	if (!af || !out)
		return EUM_ERR_INVALID_ARG;
	if (af_body(af, len, &p, &left))
		return EUM_ERR_PARSE;
	while (left) {
		uint16_t tag;
		size_t hl, vl;

		if (tlv_at(p, left, &tag, &hl, &vl))
			return EUM_ERR_PARSE;
		if (tag == 0x23 && vl < 2)
			return EUM_ERR_PARSE;
		if (i++ == index) {
			memset(out, 0, sizeof(*out));
			out->tag = tag;
			out->tlv = p;
			out->tlv_len = hl + vl;
			out->val = p + hl;
			out->val_len = vl;
			if (tag == 0x23)
				out->sw = (uint16_t)(p[hl + vl - 2] << 8 | p[hl + vl - 1]);
			return EUM_OK;
		}
		p += hl + vl;
		left -= hl + vl;
	}
	return EUM_ERR_NOT_FOUND;
}

int eum_host_af_count(const uint8_t *af, size_t len, size_t *n)
{
	eum_host_af_item it;
	size_t i = 0;
	int rc;

	if (!af || !n)
		return EUM_ERR_INVALID_ARG;
	while ((rc = eum_host_af_get(af, len, i, &it)) == EUM_OK)
		i++;
	if (rc != EUM_ERR_NOT_FOUND)
		return rc;
	*n = i;
	return EUM_OK;
}

uint16_t eum_host_af_scp03t_error(const uint8_t *af, size_t len)
{
	eum_host_af_item it;
	size_t i;

	/* SGP.02 §4.1.3.3 (digest sgp02-euicc.md §8.2): 9F44 / 9F45 / 9F46 01 <reason> */
	for (i = 0; eum_host_af_get(af, len, i, &it) == EUM_OK; i++)
		if ((it.tag & 0xFFF0) == 0x9F40 && it.val_len == 1)
			return (uint16_t)((it.tag & 0xFF) << 8 | it.val[0]);
	return 0;
}

int eum_host_smdp_https_check_segments(eum_host_scp03t *after, size_t n_segments, const uint8_t *af, size_t af_len,
                                       uint8_t *resp, size_t cap, size_t *resp_len, int *final)
{
	eum_host_af_item it;
	size_t i, count = 0, plen = 0;
	int rc;

	if (!after || !n_segments || !af || !resp_len || !final || (cap && !resp))
		return EUM_ERR_INVALID_ARG;
	*resp_len = 0;
	*final = 0;
	rc = eum_host_af_count(af, af_len, &count);
	if (rc)
		return rc;
	if (!count || count > n_segments)
		return EUM_ERR_PARSE;
	for (i = 0; i < count; i++) {
		if (eum_host_af_get(af, af_len, i, &it) != EUM_OK)
			return EUM_ERR_PARSE;
		/* each answer against the MAC chain of the segment it answers (an early EUICCResponse answers one
		 * in the middle and ends the script) */
		rc = eum_host_scp03t_check_86(&after[i], it.tlv, it.tlv_len, resp, cap, &plen);
		if (rc)
			return rc;
		if (plen) {
			if (i != count - 1)
				return EUM_ERR_PARSE;
			*resp_len = plen;
			*final = 1;
		}
	}
	return count == n_segments || *final ? EUM_OK : EUM_ERR_PARSE;
}
