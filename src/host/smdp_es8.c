/*
 * libeum-host: the SM-DP side of SGP.02 ES8 around the key agreement (smdp_keys.c) and SCP03t
 * (smdp_scp03t.c): DGI 3A01 with the SM-DP certificate and its RC answer (digest sgp02-euicc.md §8.1
 * step 1), and decoding of the EUICCResponse the card returns after a download (PE_Definitions 3.3.1,
 * digest profile-package.md §5), with a small DER reader of its own.
 */
#include <string.h>

#include "eum/host/smdp.h"

int eum_host_smdp_build_3a01(const uint8_t *cert, size_t cert_len, uint8_t *out, size_t cap, size_t *out_len)
{
	size_t h = cert_len < 0xFF ? 3 : 5;

	if (!cert || !cert_len || cert_len > 0xFFFF || !out || !out_len)
		return EUM_ERR_INVALID_ARG;
	if (cap < h + cert_len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	out[0] = 0x3A;
	out[1] = 0x01;
	if (h == 3) {
		out[2] = (uint8_t)cert_len;
	} else {
		out[2] = 0xFF;
		out[3] = (uint8_t)(cert_len >> 8);
		out[4] = (uint8_t)cert_len;
	}
	memcpy(out + h, cert, cert_len);
	*out_len = h + cert_len;
	return EUM_OK;
}

int eum_host_smdp_parse_rc(const uint8_t *resp, size_t resp_len, uint8_t *rc, size_t cap, size_t *rc_len)
{
	if (!resp || !rc || !rc_len)
		return EUM_ERR_INVALID_ARG;
	if (resp_len < 2 || resp[0] != 0x85 || resp[1] == 0 || resp[1] >= 0x80 || (size_t)resp[1] + 2 != resp_len)
		return EUM_ERR_PARSE;
	if (cap < resp[1])
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(rc, resp + 2, resp[1]);
	*rc_len = resp[1];
	return EUM_OK;
}

/* ---- a small DER reader ----------------------------------------------------------------------------- */

struct der {
	const uint8_t *p;
	size_t n;
};

/* Next TLV (1-byte tag, definite length up to 3 bytes). 1 ok, 0 end, -1 malformed. */
static int der_next(struct der *d, uint8_t *tag, struct der *val)
{
	size_t h = 2, l;

	if (d->n == 0)
		return 0;
	if (d->n < 2 || (d->p[0] & 0x1F) == 0x1F)
		return -1;
	*tag = d->p[0];
	l = d->p[1];
	if (l & 0x80) {
		size_t k = l & 0x7F, i;
		if (k == 0 || k > 3 || d->n < 2 + k)
			return -1;
		for (l = 0, i = 0; i < k; i++)
			l = l << 8 | d->p[2 + i];
		h = 2 + k;
	}
	if (l > d->n - h)
		return -1;
	val->p = d->p + h;
	val->n = l;
	d->p += h + l;
	d->n -= h + l;
	return 1;
}

/* A non-negative INTEGER of up to 4 bytes. */
static int der_uint(const struct der *v, long *out)
{
	size_t i;
	unsigned long x = 0;

	if (v->n < 1 || v->n > 5 || (v->p[0] & 0x80) || (v->n == 5 && v->p[0] != 0))
		return 0;
	for (i = 0; i < v->n; i++)
		x = x << 8 | v->p[i];
	*out = (long)x;
	return 1;
}

int eum_host_euicc_response_decode(const uint8_t *der, size_t len, eum_host_euicc_response *out)
{
	struct der top = {der, len}, seq, list, item, f;
	uint8_t tag;
	int rc;

	if (!der || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (der_next(&top, &tag, &seq) != 1 || tag != 0x30 || top.n)
		return EUM_ERR_PARSE;
	/* peStatus [0] SEQUENCE OF PEStatus */
	if (der_next(&seq, &tag, &list) != 1 || tag != 0xA0)
		return EUM_ERR_PARSE;
	while ((rc = der_next(&list, &tag, &item)) == 1) {
		eum_host_pe_status *st;
		long *fields[4];
		uint8_t last = 0x7F;
		if (tag != 0x30)
			return EUM_ERR_PARSE;
		if (out->n_st == EUM_HOST_EUICC_RESPONSE_MAX)
			return EUM_ERR_UNSUPPORTED;
		st = &out->st[out->n_st++];
		st->status = st->identification = st->additional_information = st->offset = -1;
		fields[0] = &st->status;
		fields[1] = &st->identification;
		fields[2] = &st->additional_information;
		fields[3] = &st->offset;
		while ((rc = der_next(&item, &tag, &f)) == 1) {
			/* [0] status, [1] identification, [2] additional-information, [3] offset, in order */
			if (tag < 0x80 || tag > 0x83 || (last != 0x7F && tag <= last) ||
			    !der_uint(&f, fields[tag - 0x80]))
				return EUM_ERR_PARSE;
			last = tag;
		}
		if (rc < 0 || st->status < 0)
			return EUM_ERR_PARSE;
	}
	if (rc < 0)
		return EUM_ERR_PARSE;
	/* profileInstallationAborted [1] NULL, statusMessage [2] UTF8String (2..64) */
	while ((rc = der_next(&seq, &tag, &f)) == 1) {
		if (tag == 0x81 && f.n == 0 && !out->aborted && !out->status_message[0]) {
			out->aborted = 1;
		} else if (tag == 0x82 && f.n >= 2 && f.n < sizeof(out->status_message) && !out->status_message[0]) {
			memcpy(out->status_message, f.p, f.n);
			out->status_message[f.n] = 0;
		} else {
			return EUM_ERR_PARSE;
		}
	}
	return rc < 0 ? EUM_ERR_PARSE : EUM_OK;
}

int eum_host_euicc_response_ok(const eum_host_euicc_response *r)
{
	size_t i;

	if (!r || r->aborted)
		return 0;
	for (i = 0; i < r->n_st; i++)
		if (r->st[i].status != 0)
			return 0;
	return 1;
}
