/*
 * libeum-host: the SM-DP side of SGP.02 SCP03t (SGP.02 §4.1.3.3; digest sgp02-euicc.md §8.2, scp03.md §6):
 * 84 / 85 / 86 command TLVs over a DER Profile Package and the check of the card's answers. GP Amendment D
 * KDF, cryptograms, C-MAC chaining and counter ICVs, written here again on mbedTLS (host_crypto.c) so that
 * the card's SCP03 engine is checked by independent code.
 */
#include <string.h>

#include "eum/host/smdp.h"
#include "host_crypto.h"

#define S8                  8
#define SL_33               0x33
#define IU_RSP              32
#define I_PARAM             0x70
#define SCP_ID              0x03
#define DDC_CARD_CRYPTOGRAM 0x00
#define DDC_HOST_CRYPTOGRAM 0x01
#define DDC_CARD_CHALLENGE  0x02
#define DDC_S_ENC           0x04
#define DDC_S_MAC           0x06
#define DDC_S_RMAC          0x07

/* GP Amd D §4.1.5: CMAC(K, 00×11 ‖ constant ‖ 00 ‖ L(16) ‖ i ‖ context), blocks concatenated. */
static int kdf(const uint8_t *key, size_t key_len, uint8_t constant, const uint8_t *context, size_t context_len,
               uint8_t *out, size_t out_len)
{
	uint8_t label[16], block[16];
	size_t done = 0;
	uint8_t i = 1;
	int rc = EUM_OK;

	memset(label, 0, sizeof(label));
	label[11] = constant;
	label[13] = (uint8_t)((out_len * 8) >> 8);
	label[14] = (uint8_t)(out_len * 8);
	while (done < out_len && rc == EUM_OK) {
		struct eum_host_iov parts[2] = {{label, 16}, {context, context_len}};
		size_t k = out_len - done < 16 ? out_len - done : 16;
		label[15] = i++;
		rc = eum_host_aes_cmac(key, key_len, parts, 2, block);
		if (rc == EUM_OK)
			memcpy(out + done, block, k);
		done += k;
	}
	eum_host_wipe(block, sizeof(block));
	return rc;
}

static size_t ber_len(uint8_t *p, size_t len)
{
	if (len < 0x80) {
		p[0] = (uint8_t)len;
		return 1;
	}
	if (len < 0x100) {
		p[0] = 0x81;
		p[1] = (uint8_t)len;
		return 2;
	}
	p[0] = 0x82;
	p[1] = (uint8_t)(len >> 8);
	p[2] = (uint8_t)len;
	return 3;
}

/* One BER TLV at p (1-byte tag, or 9F xx): its tag, value and total length. 0 when malformed. */
static int read_tlv(const uint8_t *p, size_t n, uint16_t *tag, const uint8_t **v, size_t *vl)
{
	size_t h = 1, l;

	if (n < 2)
		return 0;
	*tag = p[0];
	if ((p[0] & 0x1F) == 0x1F) {
		*tag = (uint16_t)(p[0] << 8 | p[1]);
		h = 2;
	}
	if (n < h + 1)
		return 0;
	l = p[h++];
	if (l == 0x81 || l == 0x82) {
		size_t k = l == 0x81 ? 1 : 2;
		if (n < h + k)
			return 0;
		l = k == 1 ? p[h] : ((size_t)p[h] << 8 | p[h + 1]);
		h += k;
	} else if (l > 0x80) {
		return 0;
	}
	if (l != n - h)
		return 0;
	*v = p + h;
	*vl = l;
	return 1;
}

/* A 9F4x 01 xx answer: remember it. */
static int check_error(eum_host_scp03t *ctx, uint16_t tag, const uint8_t *v, size_t vl)
{
	if ((tag & 0xFFF0) != 0x9F40 || vl != 1)
		return EUM_ERR_PARSE;
	ctx->last_error = (uint16_t)((tag & 0xFF) << 8 | v[0]);
	ctx->state = 0;
	return EUM_ERR_STATE;
}

int eum_host_scp03t_init(eum_host_scp03t *ctx, uint8_t kvn, uint8_t kid, const uint8_t *key_enc, const uint8_t *key_mac,
                         size_t key_len)
{
	if (!ctx || !key_enc || !key_mac || (key_len != 16 && key_len != 24 && key_len != 32))
		return EUM_ERR_INVALID_ARG;
	memset(ctx, 0, sizeof(*ctx));
	ctx->kvn = kvn;
	ctx->kid = kid;
	ctx->key_len = (uint8_t)key_len;
	memcpy(ctx->key_enc, key_enc, key_len);
	memcpy(ctx->key_mac, key_mac, key_len);
	return EUM_OK;
}

void eum_host_scp03t_free(eum_host_scp03t *ctx)
{
	if (ctx)
		eum_host_wipe(ctx, sizeof(*ctx));
}

int eum_host_scp03t_build_84(eum_host_scp03t *ctx, const uint8_t host_challenge[8], uint8_t *out, size_t cap,
                             size_t *out_len)
{
	if (!ctx || !host_challenge || !out || !out_len || !ctx->key_len)
		return EUM_ERR_INVALID_ARG;
	if (cap < 12)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(ctx->host_challenge, host_challenge, S8);
	out[0] = EUM_HOST_SCP03T_TAG_INIT_UPDATE;
	out[1] = 0x0A;
	out[2] = ctx->kvn;
	out[3] = ctx->kid;
	memcpy(out + 4, host_challenge, S8);
	*out_len = 12;
	ctx->state = 1;
	ctx->last_error = 0;
	return EUM_OK;
}

/* Amd D §6.2.1-6.2.2: session keys from the two challenges; card cryptogram into cc (may be NULL). */
static int derive(eum_host_scp03t *ctx, uint8_t cc[S8])
{
	uint8_t context[2 * S8];
	int rc;

	memcpy(context, ctx->host_challenge, S8);
	memcpy(context + S8, ctx->card_challenge, S8);
	rc = kdf(ctx->key_enc, ctx->key_len, DDC_S_ENC, context, 16, ctx->s_enc, ctx->key_len);
	if (rc == EUM_OK)
		rc = kdf(ctx->key_mac, ctx->key_len, DDC_S_MAC, context, 16, ctx->s_mac, ctx->key_len);
	if (rc == EUM_OK)
		rc = kdf(ctx->key_mac, ctx->key_len, DDC_S_RMAC, context, 16, ctx->s_rmac, ctx->key_len);
	if (rc == EUM_OK && cc)
		rc = kdf(ctx->s_mac, ctx->key_len, DDC_CARD_CRYPTOGRAM, context, 16, cc, S8);
	return rc;
}

static int challenge_for(const eum_host_scp03t *ctx, uint32_t seq, const uint8_t *aid, size_t aid_len, uint8_t out[S8])
{
	uint8_t context[3 + 16];

	if (aid_len > 16)
		return EUM_ERR_INVALID_ARG;
	context[0] = (uint8_t)(seq >> 16);
	context[1] = (uint8_t)(seq >> 8);
	context[2] = (uint8_t)seq;
	memcpy(context + 3, aid, aid_len);
	return kdf(ctx->key_enc, ctx->key_len, DDC_CARD_CHALLENGE, context, 3 + aid_len, out, S8);
}

int eum_host_scp03t_predict(eum_host_scp03t *ctx, uint32_t seq_counter, const uint8_t *sd_aid, size_t aid_len)
{
	int rc;

	if (!ctx || !sd_aid || aid_len == 0 || seq_counter > 0xFFFFFF)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state != 1)
		return EUM_ERR_STATE;
	rc = challenge_for(ctx, seq_counter, sd_aid, aid_len, ctx->card_challenge);
	if (rc == EUM_OK)
		rc = derive(ctx, NULL);
	if (rc != EUM_OK)
		return rc;
	ctx->seq_counter = seq_counter;
	ctx->state = 2;
	return EUM_OK;
}

int eum_host_scp03t_check_84(eum_host_scp03t *ctx, const uint8_t *tlv, size_t len, const uint8_t *sd_aid,
                             size_t aid_len)
{
	uint8_t cc[S8], ch[S8];
	const uint8_t *v;
	size_t vl;
	uint16_t tag;
	uint32_t seq;
	int rc, predicted;

	if (!ctx || !tlv || (aid_len && !sd_aid))
		return EUM_ERR_INVALID_ARG;
	if (!read_tlv(tlv, len, &tag, &v, &vl))
		return EUM_ERR_PARSE;
	if (tag != EUM_HOST_SCP03T_TAG_INIT_UPDATE)
		return check_error(ctx, tag, v, vl);
	if (ctx->state != 1 && ctx->state != 2 && ctx->state != 3)
		return EUM_ERR_STATE;
	if (vl != IU_RSP || v[11] != SCP_ID || v[12] != I_PARAM || (ctx->kvn && v[10] != ctx->kvn))
		return EUM_ERR_PARSE;
	seq = (uint32_t)v[29] << 16 | (uint32_t)v[30] << 8 | v[31];
	predicted = ctx->state >= 2;
	if (predicted && (seq != ctx->seq_counter || memcmp(ctx->card_challenge, v + 13, S8) != 0))
		return EUM_ERR_CRYPTO; /* the card used another counter than the one predicted */
	if (aid_len) {
		rc = challenge_for(ctx, seq, sd_aid, aid_len, ch);
		if (rc != EUM_OK)
			return rc;
		if (memcmp(ch, v + 13, S8) != 0)
			return EUM_ERR_CRYPTO;
	}
	memcpy(ctx->card_challenge, v + 13, S8);
	rc = derive(ctx, cc);
	if (rc == EUM_OK && eum_host_ct_memcmp(cc, v + 21, S8) != 0)
		rc = EUM_ERR_CRYPTO;
	eum_host_wipe(cc, sizeof(cc));
	if (rc != EUM_OK)
		return rc;
	ctx->seq_counter = seq;
	if (ctx->state == 1)
		ctx->state = 2;
	return EUM_OK;
}

int eum_host_scp03t_build_85(eum_host_scp03t *ctx, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t context[2 * S8], hcrypt[S8], mac[16];
	struct eum_host_iov parts[2];
	int rc;

	if (!ctx || !out || !out_len)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state != 2)
		return EUM_ERR_STATE;
	if (cap < 19)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(context, ctx->host_challenge, S8);
	memcpy(context + S8, ctx->card_challenge, S8);
	rc = kdf(ctx->s_mac, ctx->key_len, DDC_HOST_CRYPTOGRAM, context, 16, hcrypt, S8);
	if (rc != EUM_OK)
		return rc;
	out[0] = EUM_HOST_SCP03T_TAG_EXT_AUTH;
	out[1] = 0x11;
	out[2] = SL_33;
	memcpy(out + 3, hcrypt, S8);
	/* MCV0 = 16 x 00 ‖ 85 11 33 hcrypt */
	memset(ctx->mcv, 0, sizeof(ctx->mcv));
	parts[0] = (struct eum_host_iov){ctx->mcv, 16};
	parts[1] = (struct eum_host_iov){out, 3 + S8};
	rc = eum_host_aes_cmac(ctx->s_mac, ctx->key_len, parts, 2, mac);
	if (rc != EUM_OK)
		return rc;
	memcpy(ctx->mcv, mac, 16);
	memcpy(out + 3 + S8, mac, S8);
	*out_len = 3 + 2 * S8;
	ctx->counter = 0;
	ctx->state = 3;
	eum_host_wipe(mac, sizeof(mac));
	return EUM_OK;
}

/* Amd D §6.2.6: ICV = AES(S-ENC, counter block), first byte 80 for responses. */
static int icv(const eum_host_scp03t *ctx, int response, uint8_t out[16])
{
	uint8_t blk[16];
	uint64_t c = ctx->counter;
	int i;

	memset(blk, 0, sizeof(blk));
	for (i = 15; i >= 8; i--, c >>= 8)
		blk[i] = (uint8_t)c;
	if (response)
		blk[0] = 0x80;
	return eum_host_aes_ecb_encrypt(ctx->s_enc, ctx->key_len, blk, out);
}

int eum_host_scp03t_build_86(eum_host_scp03t *ctx, const uint8_t *plain, size_t len, uint8_t *out, size_t cap,
                             size_t *out_len)
{
	uint8_t iv[16], hdr[4], mac[16];
	struct eum_host_iov parts[3];
	size_t ct_len, hl;
	int rc;

	if (!ctx || !plain || !len || !out || !out_len)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state != 3)
		return EUM_ERR_STATE;
	ct_len = (len / 16 + 1) * 16; /* 80 00.. always at least one byte */
	if (ct_len + S8 > 0xFFFF)
		return EUM_ERR_INVALID_ARG;
	hdr[0] = EUM_HOST_SCP03T_TAG_SEGMENT;
	hl = 1 + ber_len(hdr + 1, ct_len + S8);
	if (cap < hl + ct_len + S8)
		return EUM_ERR_BUFFER_TOO_SMALL;
	ctx->counter++;
	memcpy(out, hdr, hl);
	memmove(out + hl, plain, len);
	out[hl + len] = 0x80;
	memset(out + hl + len + 1, 0, ct_len - len - 1);
	rc = icv(ctx, 0, iv);
	if (rc == EUM_OK)
		rc = eum_host_aes_cbc(1, ctx->s_enc, ctx->key_len, iv, out + hl, ct_len, out + hl);
	if (rc == EUM_OK) {
		parts[0] = (struct eum_host_iov){ctx->mcv, 16};
		parts[1] = (struct eum_host_iov){hdr, hl};
		parts[2] = (struct eum_host_iov){out + hl, ct_len};
		rc = eum_host_aes_cmac(ctx->s_mac, ctx->key_len, parts, 3, mac);
	}
	if (rc != EUM_OK)
		return rc;
	memcpy(ctx->mcv, mac, 16);
	memcpy(out + hl + ct_len, mac, S8);
	*out_len = hl + ct_len + S8;
	eum_host_wipe(iv, sizeof(iv));
	return EUM_OK;
}

int eum_host_scp03t_next_segment(eum_host_scp03t *ctx, const uint8_t *der, size_t der_len, size_t seg, size_t *offset,
                                 uint8_t *out, size_t cap, size_t *out_len)
{
	size_t k;
	int rc;

	if (!der || !offset || !seg || *offset >= der_len)
		return EUM_ERR_INVALID_ARG;
	k = der_len - *offset < seg ? der_len - *offset : seg;
	rc = eum_host_scp03t_build_86(ctx, der + *offset, k, out, cap, out_len);
	if (rc == EUM_OK)
		*offset += k;
	return rc;
}

int eum_host_scp03t_check_86(eum_host_scp03t *ctx, const uint8_t *tlv, size_t len, uint8_t *out, size_t cap,
                             size_t *out_len)
{
	uint8_t iv[16], mac[16], hdr[4];
	struct eum_host_iov parts[3];
	const uint8_t *v;
	size_t vl, ct_len, i, hl;
	uint16_t tag;
	int rc;

	if (!ctx || !tlv || !out_len || (cap && !out))
		return EUM_ERR_INVALID_ARG;
	*out_len = 0;
	if (!read_tlv(tlv, len, &tag, &v, &vl))
		return EUM_ERR_PARSE;
	if (tag != EUM_HOST_SCP03T_TAG_SEGMENT)
		return check_error(ctx, tag, v, vl);
	if (ctx->state != 3)
		return EUM_ERR_STATE;
	if (vl == 0)
		return EUM_OK; /* 86 00: nothing to report */
	if (vl < 16 + S8 || (vl - S8) % 16)
		return EUM_ERR_PARSE;
	ct_len = vl - S8;
	hl = (size_t)(v - tlv);
	memcpy(hdr, tlv, hl);
	if (ctx->rmac_input == EUM_HOST_SCP03T_RMAC_TLV) {
		parts[0] = (struct eum_host_iov){ctx->mcv, 16};
		parts[1] = (struct eum_host_iov){hdr, hl};
		parts[2] = (struct eum_host_iov){v, ct_len};
	} else {
		parts[0] = (struct eum_host_iov){ctx->mcv, 16};
		parts[1] = (struct eum_host_iov){v, ct_len};
		parts[2] = (struct eum_host_iov){(const uint8_t *)"\x90\x00", 2};
	}
	rc = eum_host_aes_cmac(ctx->s_rmac, ctx->key_len, parts, 3, mac);
	if (rc != EUM_OK)
		return rc;
	if (eum_host_ct_memcmp(mac, v + ct_len, S8) != 0)
		return EUM_ERR_CRYPTO;
	if (cap < ct_len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	rc = icv(ctx, ctx->renc_icv == EUM_HOST_SCP03T_RENC_ICV_GP, iv);
	if (rc == EUM_OK)
		rc = eum_host_aes_cbc(0, ctx->s_enc, ctx->key_len, iv, v, ct_len, out);
	if (rc != EUM_OK)
		return rc;
	for (i = ct_len; i > ct_len - 16 && out[i - 1] == 0x00; i--)
		;
	if (i == ct_len - 16 || out[i - 1] != 0x80)
		return EUM_ERR_CRYPTO;
	*out_len = i - 1;
	return EUM_OK;
}
