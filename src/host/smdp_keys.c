/*
 * libeum-host: SM-DP side of SGP.02 ES8 EstablishISDPKeySet scenario #3 (ECKA-EG, GP Amendment E,
 * BSI TR-03111). Digest: sgp02-euicc.md §8.1 step 2. Written apart from the card's src/sgp02/ecka.c
 * and src/crypto on purpose: the two sides of every key-establishment test share no code but mbedTLS.
 */
#include "eum/host/smdp.h"

#include <string.h>

#include "host_crypto.h"
#include "host_wr.h"

#define KEY_LEN 16

static int curve_ok(uint8_t curve)
{
	return curve == EUM_HOST_SMDP_CURVE_P256 || curve == EUM_HOST_SMDP_CURVE_BP256R1;
}

void eum_host_smdp_crt_default(eum_host_smdp_crt *crt)
{
	/* digest §8.1 step 2.1: A6 15 { 90 02 03 09, 95 01 10, 80 01 88, 81 01 10, 82 01 01, 83 01 30, 91 00 } */
	memset(crt, 0, sizeof(*crt));
	crt->params = 0x09;
	crt->key_usage = 0x10;
	crt->kid = 0x01;
	crt->kvn = 0x30;
	crt->key_access = -1;
	crt->send_seq_counter = 1;
}

/* Digest §8.1 step 2.1 (njiwa makeA6CRT / whty SecondStoreDataForISDPApdu order). */
int eum_host_smdp_build_crt(const eum_host_smdp_crt *crt, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t body[300];
	struct eum_host_wr b = {body, sizeof(body), 0, 0}, o = {out, cap, 0, 0};
	const uint8_t scen[2] = {0x03, crt ? crt->params : 0};

	if (!crt || !out || !out_len || (crt->key_usage != 0x10 && crt->key_usage != 0x5C) ||
	    (!crt->seq_counter && crt->seq_counter_len))
		return EUM_ERR_INVALID_ARG;
	if ((crt->params & 0x04) && (!crt->sdin || !crt->host_id))
		return EUM_ERR_INVALID_ARG;
	eum_host_wr_tlv1(&b, 0x90, scen, 2);
	eum_host_wr_tlv1(&b, 0x95, &crt->key_usage, 1);
	if (crt->key_access >= 0) {
		uint8_t acc = (uint8_t)crt->key_access;

		eum_host_wr_tlv1(&b, 0x96, &acc, 1);
	}
	eum_host_wr_tlv1(&b, 0x80, (const uint8_t[]){0x88}, 1); /* AES */
	eum_host_wr_tlv1(&b, 0x81, (const uint8_t[]){KEY_LEN}, 1);
	eum_host_wr_tlv1(&b, 0x82, &crt->kid, 1);
	eum_host_wr_tlv1(&b, 0x83, &crt->kvn, 1);
	if (crt->send_seq_counter)
		eum_host_wr_tlv1(&b, 0x91, crt->seq_counter, crt->seq_counter_len);
	if (crt->params & 0x04) {
		eum_host_wr_tlv1(&b, 0x45, crt->sdin, crt->sdin_len);
		eum_host_wr_tlv1(&b, 0x84, crt->host_id, crt->host_id_len);
	}
	if (b.overflow)
		return EUM_ERR_INVALID_ARG;
	eum_host_wr_tlv1(&o, 0xA6, body, b.len);
	if (o.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*out_len = o.len;
	return EUM_OK;
}

int eum_host_smdp_gen_epk(uint8_t curve, eum_rng_fn rng, void *rng_ctx, uint8_t esk[32], uint8_t epk[65])
{
	if (!curve_ok(curve))
		return EUM_ERR_INVALID_ARG;
	return eum_host_ec_generate(curve, rng, rng_ctx, esk, epk);
}

/* Digest §8.1 step 2.2-2.3: data field of STORE DATA 80 E2 89 01 and the SM-DP signature. */
int eum_host_smdp_build_3a02(uint8_t curve, const uint8_t sk_dp_ecdsa[32], const eum_host_smdp_crt *crt,
                             const uint8_t epk[65], int epk_nested, const uint8_t *rc, size_t rc_len, eum_rng_fn rng,
                             void *rng_ctx, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t crt_tlv[320], pk[80], rcdgi[260], sig[64];
	struct eum_host_wr o = {out, cap, 0, 0}, k = {pk, sizeof(pk), 0, 0}, r = {rcdgi, sizeof(rcdgi), 0, 0};
	size_t crt_len, dgi_len, pk_start, pk_len;
	int err;

	if (!curve_ok(curve) || !sk_dp_ecdsa || !epk || !rc || rc_len > 0xFF || !out || !out_len)
		return EUM_ERR_INVALID_ARG;
	err = eum_host_smdp_build_crt(crt, crt_tlv, sizeof(crt_tlv), &crt_len);
	if (err != EUM_OK)
		return err;
	if (epk_nested) {
		eum_host_wr_tlv1(&k, 0xB0, epk, 65);
		eum_host_wr_tlv1(&k, 0xF0, &curve, 1);
	} else {
		eum_host_wr_put(&k, epk, 65);
	}
	eum_host_wr_dgi(&o, 0x3A02, crt_tlv, crt_len);
	dgi_len = o.len;
	pk_start = o.len;
	eum_host_wr_dgi(&o, 0x7F49, pk, k.len);
	pk_len = o.len - pk_start;
	eum_host_wr_dgi(&r, 0x0085, rc, rc_len);
	if (o.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	{
		const struct eum_host_iov parts[3] = {{out, dgi_len}, {out + pk_start, pk_len}, {rcdgi, r.len}};

		err = eum_host_ecdsa_sign(curve, sk_dp_ecdsa, parts, 3, sig, rng, rng_ctx);
	}
	if (err != EUM_OK)
		return err;
	eum_host_wr_dgi(&o, 0x5F37, sig, sizeof(sig));
	if (o.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*out_len = o.len;
	return EUM_OK;
}

/* Digest §8.1 step 2.4-2.9. */
int eum_host_smdp_derive(uint8_t curve, const uint8_t esk[32], const uint8_t pk_ecasd[65], const eum_host_smdp_crt *crt,
                         const uint8_t *dr, size_t dr_len, const uint8_t *sin, size_t sin_len,
                         eum_host_smdp_receipt variant, eum_rng_fn rng, void *rng_ctx, eum_host_smdp_keys *out)
{
	uint8_t crt_tlv[320], info[320], z[32], keydata[4 * KEY_LEN], drhdr[4], pad[16] = {0x80};
	struct eum_host_wr si = {info, sizeof(info), 0, 0}, dh = {drhdr, sizeof(drhdr), 0, 0};
	size_t crt_len, nkeys, i, total;
	int err;

	if (!out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!curve_ok(curve) || !esk || !pk_ecasd || !crt ||
	    (variant != EUM_HOST_SMDP_RECEIPT_CMAC && variant != EUM_HOST_SMDP_RECEIPT_NJIWA_PREPAD) ||
	    ((crt->params & 0x02) != 0) != (dr != NULL) || (!sin && sin_len) || dr_len > 0xFFFF)
		return EUM_ERR_INVALID_ARG;
	err = eum_host_smdp_build_crt(crt, crt_tlv, sizeof(crt_tlv), &crt_len);
	if (err != EUM_OK)
		return err;
	nkeys = crt->key_usage == 0x10 ? 3 : 1;

	/* SharedInfo, GP Amd A Table 3-28 as njiwa computeSharedInfo */
	eum_host_wr_u8(&si, crt->key_usage);
	eum_host_wr_u8(&si, 0x88);
	eum_host_wr_u8(&si, KEY_LEN);
	if (dr)
		eum_host_wr_put(&si, dr, dr_len);
	if (crt->params & 0x04) {
		eum_host_wr_ber_len(&si, crt->host_id_len);
		eum_host_wr_put(&si, crt->host_id, crt->host_id_len);
		if (sin) {
			eum_host_wr_ber_len(&si, sin_len);
			eum_host_wr_put(&si, sin, sin_len);
			eum_host_wr_ber_len(&si, crt->sdin_len);
			eum_host_wr_put(&si, crt->sdin, crt->sdin_len);
		}
	}
	if (si.overflow)
		return EUM_ERR_INVALID_ARG;

	err = eum_host_ecdh(curve, esk, pk_ecasd, z, rng, rng_ctx);
	if (err == EUM_OK)
		err = eum_host_x963_kdf_sha256(z, sizeof(z), info, si.len, keydata, KEY_LEN * (1 + nkeys));
	if (err == EUM_OK) {
		struct eum_host_iov parts[4];
		size_t n = 0;

		out->nkeys = (uint8_t)nkeys;
		for (i = 0; i < nkeys; i++)
			memcpy(out->key[i], keydata + KEY_LEN * (1 + i), KEY_LEN);
		parts[n++] = (struct eum_host_iov){crt_tlv, crt_len};
		total = crt_len;
		if (dr) {
			eum_host_wr_u8(&dh, 0x85);
			eum_host_wr_ber_len(&dh, dr_len);
			parts[n++] = (struct eum_host_iov){drhdr, dh.len};
			parts[n++] = (struct eum_host_iov){dr, dr_len};
			total += dh.len + dr_len;
		}
		if (variant == EUM_HOST_SMDP_RECEIPT_NJIWA_PREPAD)
			parts[n++] = (struct eum_host_iov){pad, 16 - total % 16};
		err = eum_host_aes_cmac(keydata, KEY_LEN, parts, n, out->receipt);
	}
	eum_host_wipe(z, sizeof(z));
	eum_host_wipe(keydata, sizeof(keydata));
	eum_host_wipe(info, sizeof(info));
	if (err != EUM_OK)
		eum_host_smdp_keys_wipe(out);
	return err;
}

/* One BER TLV with a one-byte tag from resp[*off]; lengths 00-7F and 81 xx. */
static int rd_tlv(const uint8_t *p, size_t len, size_t *off, uint8_t *tag, const uint8_t **val, size_t *vlen)
{
	size_t o = *off, l;

	if (len - o < 2)
		return -1;
	*tag = p[o++];
	l = p[o++];
	if (l == 0x81) {
		if (o >= len)
			return -1;
		l = p[o++];
	} else if (l > 0x80) {
		return -1;
	}
	if (len - o < l)
		return -1;
	*val = p + o;
	*vlen = l;
	*off = o + l;
	return 0;
}

/* Digest §8.1 step 2.10: [85 L DR] 86 10 receipt. */
int eum_host_smdp_finish(uint8_t curve, const uint8_t esk[32], const uint8_t pk_ecasd[65], const eum_host_smdp_crt *crt,
                         const uint8_t *sin, size_t sin_len, eum_host_smdp_receipt variant, eum_rng_fn rng,
                         void *rng_ctx, const uint8_t *resp, size_t resp_len, eum_host_smdp_keys *out)
{
	const uint8_t *dr = NULL, *v, *receipt = NULL;
	size_t off = 0, dr_len = 0, vlen;
	uint8_t tag;
	int err;

	if (!crt || !resp || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	while (off < resp_len) {
		if (rd_tlv(resp, resp_len, &off, &tag, &v, &vlen))
			return EUM_ERR_PARSE;
		if (tag == 0x85 && !dr && !receipt && vlen) {
			dr = v;
			dr_len = vlen;
		} else if (tag == 0x86 && !receipt && vlen == 16) {
			receipt = v;
		} else {
			return EUM_ERR_PARSE;
		}
	}
	if (!receipt || ((crt->params & 0x02) != 0) != (dr != NULL))
		return EUM_ERR_PARSE;
	err = eum_host_smdp_derive(curve, esk, pk_ecasd, crt, dr, dr_len, sin, sin_len, variant, rng, rng_ctx, out);
	if (err != EUM_OK)
		return err;
	if (eum_host_ct_memcmp(out->receipt, receipt, 16)) {
		eum_host_smdp_keys_wipe(out);
		return EUM_ERR_CRYPTO;
	}
	return EUM_OK;
}

void eum_host_smdp_keys_wipe(eum_host_smdp_keys *keys)
{
	if (keys)
		eum_host_wipe(keys, sizeof(*keys));
}
