/*
 * SGP.02 ES8 EstablishISDPKeySet scenario #3 (ECKA-EG; GP Amendment E, BSI TR-03111), card side:
 * CRT parsing, ePK.DP.ECKA decoding, SM-DP signature check, ShS, X9.63 KDF, SCP03 key split and the
 * receipt. Digest: sgp02-euicc.md §8.1 step 2.
 */
#include "sgp02/ecka.h"

#include <string.h>

#include "crypto/crypto.h"

#define TAG_CRT           0xA6
#define TAG_SCENARIO      0x90
#define TAG_KEY_USAGE     0x95
#define TAG_KEY_ACCESS    0x96
#define TAG_KEY_TYPE      0x80
#define TAG_KEY_LEN       0x81
#define TAG_KID           0x82
#define TAG_KVN           0x83
#define TAG_SEQ_COUNTER   0x91
#define TAG_SDIN          0x45
#define TAG_HOST_ID       0x84
#define TAG_DR            0x85
#define TAG_RECEIPT       0x86
#define TAG_POINT         0xB0
#define TAG_KEY_PARAM_REF 0xF0

/* Upper bound of the data the SM-DP signs in 3A02 (a CRT, a 65-byte point, RC and headers fit easily). */
#define SIGNED_DATA_MAX 1024

static int crt_byte(const struct eum_tlv *t, uint8_t *v, unsigned *seen, unsigned bit)
{
	if (t->len != 1 || (*seen & bit))
		return EUM_ERR_PARSE;
	*seen |= bit;
	*v = t->val[0];
	return EUM_OK;
}

static int crt_field(const struct eum_tlv *t, struct eum_ecka_field *f)
{
	if (f->p)
		return EUM_ERR_PARSE;
	f->p = t->val ? t->val : (const uint8_t *)""; /* present-but-empty (91 00) stays distinguishable */
	f->len = t->len;
	return EUM_OK;
}

/* GP Amd E / SGP.02 A6 CRT for scenario #3 (digest §8.1 step 2.1). */
int eum_ecka_crt_parse(const uint8_t *buf, size_t len, struct eum_ecka_crt *crt)
{
	enum { S_SCEN = 1, S_KUQ = 2, S_TYPE = 4, S_LEN = 8, S_KID = 16, S_KVN = 32, S_ACC = 64 };
	struct eum_tlv_reader r;
	struct eum_tlv a6, t;
	unsigned seen = 0;
	uint8_t acc = 0;
	int n = EUM_TLV_END, rc = EUM_OK;

	if (!buf || !crt)
		return EUM_ERR_INVALID_ARG;
	memset(crt, 0, sizeof(*crt));
	crt->key_access = -1;
	eum_tlv_reader_init(&r, buf, len);
	if (eum_ber_next(&r, &a6) != EUM_TLV_OK || a6.tag != TAG_CRT || r.left != 0)
		return EUM_ERR_PARSE;
	crt->raw.p = a6.raw;
	crt->raw.len = a6.raw_len;

	eum_tlv_reader_init(&r, a6.val, a6.len);
	while (rc == EUM_OK && (n = eum_ber_next(&r, &t)) == EUM_TLV_OK) {
		switch (t.tag) {
		case TAG_SCENARIO:
			if (t.len != 2 || (seen & S_SCEN)) {
				rc = EUM_ERR_PARSE;
				break;
			}
			seen |= S_SCEN;
			crt->scenario = t.val[0];
			crt->params = t.val[1];
			break;
		case TAG_KEY_USAGE:
			rc = crt_byte(&t, &crt->key_usage, &seen, S_KUQ);
			break;
		case TAG_KEY_ACCESS:
			rc = crt_byte(&t, &acc, &seen, S_ACC);
			crt->key_access = acc;
			break;
		case TAG_KEY_TYPE:
			rc = crt_byte(&t, &crt->key_type, &seen, S_TYPE);
			break;
		case TAG_KEY_LEN:
			rc = crt_byte(&t, &crt->key_len, &seen, S_LEN);
			break;
		case TAG_KID:
			rc = crt_byte(&t, &crt->kid, &seen, S_KID);
			break;
		case TAG_KVN:
			rc = crt_byte(&t, &crt->kvn, &seen, S_KVN);
			break;
		case TAG_SEQ_COUNTER: /* lengths 0, 2, 3, 5, 8 (njiwa makeA6CRT comment) */
			if (t.len != 0 && t.len != 2 && t.len != 3 && t.len != 5 && t.len != 8)
				rc = EUM_ERR_PARSE;
			else
				rc = crt_field(&t, &crt->seq_counter);
			break;
		case TAG_SDIN:
			rc = crt_field(&t, &crt->sdin);
			break;
		case TAG_HOST_ID:
			rc = crt_field(&t, &crt->host_id);
			break;
		default:
			rc = EUM_ERR_PARSE;
			break;
		}
	}
	if (rc == EUM_OK && n != EUM_TLV_END)
		rc = EUM_ERR_PARSE;
	if (rc == EUM_OK && (seen & (S_SCEN | S_KUQ | S_TYPE | S_LEN | S_KID | S_KVN)) !=
	                            (S_SCEN | S_KUQ | S_TYPE | S_LEN | S_KID | S_KVN))
		rc = EUM_ERR_PARSE;
	if (rc == EUM_OK && (crt->params & EUM_ECKA_PARAM_HOSTID) && (!crt->host_id.p || !crt->sdin.p))
		rc = EUM_ERR_PARSE;
	if (rc == EUM_OK && (crt->scenario != EUM_ECKA_SCENARIO_3 ||
	                     (crt->key_usage != EUM_ECKA_KUQ_THREE_KEYS && crt->key_usage != EUM_ECKA_KUQ_ONE_KEY) ||
	                     crt->key_type != EUM_ECKA_KEY_TYPE_AES || crt->key_len != EUM_ECKA_KEY_LEN))
		rc = EUM_ERR_UNSUPPORTED;
	if (rc != EUM_OK) {
		memset(crt, 0, sizeof(*crt));
		crt->key_access = -1;
	}
	return rc;
}

int eum_ecka_wants_dr(const struct eum_ecka_crt *crt)
{
	return crt && (crt->params & EUM_ECKA_PARAM_DR) ? 1 : 0;
}

/* Digest §8.1 step 2.2: 7F49 holds the bare point (whty) or B0 [+ F0] (njiwa). */
int eum_ecka_parse_epk(uint8_t curve, const uint8_t *val, size_t len, uint8_t epk[EUM_ECC_PUB_LEN])
{
	struct eum_tlv_reader r;
	struct eum_tlv t, point = {0};
	int n, have_ref = 0;

	if (!val || !epk || len == 0)
		return EUM_ERR_PARSE;
	if (val[0] == 0x04) {
		point.val = val;
		point.len = len;
	} else {
		eum_tlv_reader_init(&r, val, len);
		while ((n = eum_ber_next(&r, &t)) == EUM_TLV_OK) {
			if (t.tag == TAG_POINT && !point.val) {
				point = t;
			} else if (t.tag == TAG_KEY_PARAM_REF && t.len == 1 && !have_ref) {
				if (t.val[0] != curve)
					return EUM_ERR_PARSE;
				have_ref = 1;
			} else {
				return EUM_ERR_PARSE;
			}
		}
		if (n != EUM_TLV_END || !point.val)
			return EUM_ERR_PARSE;
	}
	if (point.len != EUM_ECC_PUB_LEN)
		return EUM_ERR_PARSE;
	if (eum_ecc_check_public(curve, point.val, point.len) != EUM_OK)
		return EUM_ERR_CRYPTO;
	memcpy(epk, point.val, EUM_ECC_PUB_LEN);
	return EUM_OK;
}

/* Digest §8.1 step 2.3: SM-DP signature over 3A02 || 7F49 || 0085 L RC (whty, njiwa "Table 81"). */
int eum_ecka_verify_dp_signature(uint8_t curve, const uint8_t pk_dp[EUM_ECC_PUB_LEN], const uint8_t *dgi_3a02,
                                 size_t dgi_len, const uint8_t *epk_tlv, size_t epk_len, const uint8_t *rc,
                                 size_t rc_len, const uint8_t *sig, size_t sig_len)
{
	uint8_t data[SIGNED_DATA_MAX], raw[EUM_ECC_SIG_LEN];
	struct eum_buf b;

	if (!pk_dp || !dgi_3a02 || !epk_tlv || !rc || !sig || rc_len > 0xFF)
		return EUM_ERR_INVALID_ARG;
	if (eum_ecdsa_sig_normalise(sig, sig_len, raw) != EUM_OK)
		return EUM_ERR_CRYPTO;
	eum_buf_init(&b, data, sizeof(data));
	eum_buf_put(&b, dgi_3a02, dgi_len);
	eum_buf_put(&b, epk_tlv, epk_len);
	eum_buf_u16(&b, 0x0085);
	eum_buf_u8(&b, (uint8_t)rc_len);
	eum_buf_put(&b, rc, rc_len);
	if (b.overflow)
		return EUM_ERR_INVALID_ARG;
	return eum_ecdsa_verify(curve, pk_dp, EUM_ECC_PUB_LEN, data, b.len, raw, sizeof(raw)) == EUM_OK
	               ? EUM_OK
	               : EUM_ERR_CRYPTO;
}

/* GP Amd A Table 3-28 SharedInfo as njiwa computeSharedInfo (digest §8.1 step 2.7). */
int eum_ecka_shared_info(const struct eum_ecka_crt *crt, const uint8_t *dr, size_t dr_len, const uint8_t *sin,
                         size_t sin_len, struct eum_buf *out)
{
	if (!crt || !out || (!dr && dr_len) || (!sin && sin_len))
		return EUM_ERR_INVALID_ARG;
	eum_buf_u8(out, crt->key_usage);
	eum_buf_u8(out, crt->key_type);
	eum_buf_u8(out, crt->key_len);
	if (dr)
		eum_buf_put(out, dr, dr_len);
	if (crt->host_id.p) {
		eum_buf_ber_len(out, crt->host_id.len);
		eum_buf_put(out, crt->host_id.p, crt->host_id.len);
	}
	if (sin && crt->sdin.p) {
		eum_buf_ber_len(out, sin_len);
		eum_buf_put(out, sin, sin_len);
		eum_buf_ber_len(out, crt->sdin.len);
		eum_buf_put(out, crt->sdin.p, crt->sdin.len);
	}
	return out->overflow ? EUM_ERR_BUFFER_TOO_SMALL : EUM_OK;
}

/* Digest §8.1 step 2.9: receipt over the A6 TLV as received and the DR data object. */
int eum_ecka_receipt(const uint8_t key[EUM_ECKA_KEY_LEN], const struct eum_ecka_crt *crt, const uint8_t *dr,
                     size_t dr_len, enum eum_ecka_receipt_variant variant, uint8_t receipt[EUM_ECKA_RECEIPT_LEN])
{
	static const uint8_t pad[EUM_AES_BLOCK] = {0x80};
	uint8_t hdr[4];
	struct eum_buf h;
	eum_cmac_ctx ctx;
	size_t total;
	int rc;

	if (!key || !crt || !crt->raw.p || !receipt || (!dr && dr_len) || dr_len > 0xFFFF ||
	    variant >= EUM_ECKA_RECEIPT_NUM)
		return EUM_ERR_INVALID_ARG;
	eum_buf_init(&h, hdr, sizeof(hdr));
	if (dr) {
		eum_buf_u8(&h, TAG_DR);
		eum_buf_ber_len(&h, dr_len);
	}
	rc = eum_aes_cmac_start(&ctx, key, EUM_ECKA_KEY_LEN);
	if (rc != EUM_OK)
		return rc; /* start released the context itself */
	rc = eum_aes_cmac_update(&ctx, crt->raw.p, crt->raw.len);
	if (rc == EUM_OK && dr)
		rc = eum_aes_cmac_update(&ctx, hdr, h.len);
	if (rc == EUM_OK && dr)
		rc = eum_aes_cmac_update(&ctx, dr, dr_len);
	total = crt->raw.len + (dr ? h.len + dr_len : 0);
	/* NJIWA_PREPAD: ISO 9797-1 method 2 padding added before the CMAC (always at least the 80). */
	if (rc == EUM_OK && variant == EUM_ECKA_RECEIPT_NJIWA_PREPAD)
		rc = eum_aes_cmac_update(&ctx, pad, EUM_AES_BLOCK - total % EUM_AES_BLOCK);
	/* finish also releases the context after a failed update */
	if (eum_aes_cmac_finish(&ctx, receipt) != EUM_OK)
		rc = EUM_ERR_CRYPTO;
	if (rc != EUM_OK)
		eum_wipe(receipt, EUM_ECKA_RECEIPT_LEN);
	return rc;
}

/* Digest §8.1 step 2.4-2.9. */
int eum_ecka_derive(const struct eum_ecka_input *in, struct eum_ecka_keys *out)
{
	uint8_t shs[EUM_ECC_SECRET_LEN];
	uint8_t keydata[EUM_ECKA_KEY_LEN * 4];
	uint8_t info_mem[300];
	struct eum_buf info;
	size_t nkeys, i;
	int rc;

	if (!in || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (!in->sk_ecasd || !in->epk || !in->crt || !in->crt->raw.p || !in->rng ||
	    eum_ecka_wants_dr(in->crt) != (in->dr != NULL) || (in->dr && in->dr_len == 0))
		return EUM_ERR_INVALID_ARG;
	nkeys = in->crt->key_usage == EUM_ECKA_KUQ_THREE_KEYS ? 3 : 1;

	eum_buf_init(&info, info_mem, sizeof(info_mem));
	rc = eum_ecka_shared_info(in->crt, in->dr, in->dr_len, in->sin, in->sin_len, &info);
	if (rc == EUM_OK)
		rc = eum_ecdh(in->curve, in->sk_ecasd, in->epk, EUM_ECC_PUB_LEN, shs, in->rng, in->rng_ctx);
	if (rc == EUM_OK)
		rc = eum_x963_kdf_sha256(shs, sizeof(shs), info_mem, info.len, keydata, EUM_ECKA_KEY_LEN * (1 + nkeys));
	if (rc == EUM_OK) {
		/* Digest §8.1 step 2.8: receipt key first, then ENC, MAC, DEK (or the one base key). */
		out->nkeys = (uint8_t)nkeys;
		for (i = 0; i < nkeys; i++)
			memcpy(out->key[i], keydata + EUM_ECKA_KEY_LEN * (1 + i), EUM_ECKA_KEY_LEN);
		rc = eum_ecka_receipt(keydata, in->crt, in->dr, in->dr_len, in->receipt_variant, out->receipt);
	}
	eum_wipe(shs, sizeof(shs));
	eum_wipe(keydata, sizeof(keydata));
	eum_wipe(info_mem, sizeof(info_mem));
	if (rc != EUM_OK)
		eum_ecka_keys_wipe(out);
	return rc;
}

/* Digest §8.1 step 2.10: [85 L DR] 86 10 receipt. */
void eum_ecka_response(const struct eum_ecka_keys *keys, const uint8_t *dr, size_t dr_len, struct eum_buf *out)
{
	if (dr)
		eum_buf_ber_tlv(out, TAG_DR, dr, dr_len);
	eum_buf_ber_tlv(out, TAG_RECEIPT, keys->receipt, EUM_ECKA_RECEIPT_LEN);
}

void eum_ecka_keys_wipe(struct eum_ecka_keys *keys)
{
	if (keys)
		eum_wipe(keys, sizeof(*keys));
}
