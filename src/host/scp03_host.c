/*
 * libeum-host: off-card side of GlobalPlatform Card Specification v2.3
 * Amendment D (SCP03), S8 mode. Written independently of the card's
 * src/gp/scp03.c (own KDF, own APDU parsing, mbedTLS through host_crypto.c)
 * so that the host can judge the card.
 */
#include "eum/host/scp03.h"

#include <string.h>

#include "host_crypto.h"

enum host_state {
	HS_NONE = 0,
	HS_KEYS,         /* static keys set */
	HS_IU_SENT,      /* INITIALIZE UPDATE built */
	HS_CARD_CHECKED, /* card cryptogram verified, session keys derived */
	HS_OPEN,         /* EXTERNAL AUTHENTICATE built */
};

/* Amd D Table 4-1 data derivation constants. */
#define DDC_CARD_CRYPTOGRAM 0x00
#define DDC_HOST_CRYPTOGRAM 0x01
#define DDC_CARD_CHALLENGE  0x02
#define DDC_S_ENC           0x04
#define DDC_S_MAC           0x06
#define DDC_S_RMAC          0x07

#define S8 EUM_HOST_SCP03_S8

static int key_len_ok(size_t n)
{
	return n == 16 || n == 24 || n == 32;
}

/* Amd D §4.1.5: 00×11 ‖ constant ‖ 00 ‖ L(2) ‖ i ‖ context, PRF = AES-CMAC. */
static int host_kdf(const uint8_t *key, size_t key_len, uint8_t constant, const uint8_t *context, size_t context_len,
                    uint8_t *out, size_t out_len)
{
	uint8_t label[16] = {0};
	uint8_t blk[16];
	struct eum_host_iov parts[2] = {{label, sizeof(label)}, {context, context_len}};
	size_t done = 0;
	int rc = EUM_OK;

	label[11] = constant;
	label[13] = (uint8_t)((out_len * 8) >> 8);
	label[14] = (uint8_t)(out_len * 8);
	for (uint8_t i = 1; done < out_len && rc == EUM_OK; i++) {
		size_t n = out_len - done > 16 ? 16 : out_len - done;

		label[15] = i;
		rc = eum_host_aes_cmac(key, key_len, parts, 2, blk);
		if (rc == EUM_OK) {
			memcpy(out + done, blk, n);
			done += n;
		}
	}
	eum_host_wipe(blk, sizeof(blk));
	return rc;
}

/* ISO 7816-4 §5.4.1: the logical channel in the CLA byte. */
static int channel_cla(uint8_t channel, uint8_t *cla)
{
	if (channel < 4)
		*cla = (uint8_t)(0x80 | channel);
	else if (channel < 20)
		*cla = (uint8_t)(0xC0 | (channel - 4));
	else
		return EUM_ERR_INVALID_ARG;
	return EUM_OK;
}

static uint8_t sm_bit(uint8_t cla)
{
	return (cla & 0x40) ? 0x20 : 0x04;
}

/* Amd D §6.2.6/§6.2.7: counter block encrypted with S-ENC (first byte 80 for responses). */
static int host_icv(const eum_host_scp03 *ctx, int response, uint8_t icv[16])
{
	uint8_t blk[16] = {0};

	for (int i = 0; i < 8; i++)
		blk[15 - i] = (uint8_t)(ctx->counter >> (8 * i));
	if (response)
		blk[0] = 0x80;
	return eum_host_aes_ecb_encrypt(ctx->s_enc, ctx->key_len, blk, icv);
}

void eum_host_scp03_init(eum_host_scp03 *ctx)
{
	if (ctx)
		memset(ctx, 0, sizeof(*ctx));
}

void eum_host_scp03_free(eum_host_scp03 *ctx)
{
	if (ctx)
		eum_host_wipe(ctx, sizeof(*ctx));
}

static void end_session(eum_host_scp03 *ctx)
{
	eum_host_wipe(ctx->s_enc, sizeof(ctx->s_enc));
	eum_host_wipe(ctx->s_mac, sizeof(ctx->s_mac));
	eum_host_wipe(ctx->s_rmac, sizeof(ctx->s_rmac));
	eum_host_wipe(ctx->mcv, sizeof(ctx->mcv));
	eum_host_wipe(ctx->host_cryptogram, sizeof(ctx->host_cryptogram));
	ctx->counter = 0;
	ctx->sl = 0;
	ctx->rsp_secured = 0;
	ctx->seq_counter = 0;
	if (ctx->state > HS_KEYS)
		ctx->state = HS_KEYS;
}

int eum_host_scp03_set_keys(eum_host_scp03 *ctx, uint8_t kvn, const uint8_t *key_enc, const uint8_t *key_mac,
                            const uint8_t *key_dek, size_t key_len)
{
	if (!ctx || !key_enc || !key_mac || !key_len_ok(key_len))
		return EUM_ERR_INVALID_ARG;
	end_session(ctx);
	memset(ctx->key_dek, 0, sizeof(ctx->key_dek));
	memcpy(ctx->key_enc, key_enc, key_len);
	memcpy(ctx->key_mac, key_mac, key_len);
	if (key_dek)
		memcpy(ctx->key_dek, key_dek, key_len);
	ctx->key_len = (uint8_t)key_len;
	ctx->kvn = kvn;
	ctx->state = HS_KEYS;
	return EUM_OK;
}

int eum_host_scp03_set_sd_aid(eum_host_scp03 *ctx, const uint8_t *aid, size_t aid_len)
{
	if (!ctx)
		return EUM_ERR_INVALID_ARG;
	if (!aid) {
		ctx->sd_aid_len = 0;
		return EUM_OK;
	}
	if (aid_len < 5 || aid_len > sizeof(ctx->sd_aid))
		return EUM_ERR_INVALID_ARG;
	memcpy(ctx->sd_aid, aid, aid_len);
	ctx->sd_aid_len = (uint8_t)aid_len;
	return EUM_OK;
}

int eum_host_scp03_initialize_update(eum_host_scp03 *ctx, uint8_t channel, const uint8_t host_challenge[S8],
                                     uint8_t *apdu, size_t cap, size_t *apdu_len)
{
	uint8_t cla;

	if (!ctx || !host_challenge || !apdu || !apdu_len || channel_cla(channel, &cla) != EUM_OK)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state < HS_KEYS)
		return EUM_ERR_STATE;
	if (cap < 6 + S8)
		return EUM_ERR_BUFFER_TOO_SMALL;
	end_session(ctx);
	apdu[0] = cla;
	apdu[1] = 0x50;
	apdu[2] = ctx->kvn;
	apdu[3] = 0x00;
	apdu[4] = S8;
	memcpy(apdu + 5, host_challenge, S8);
	apdu[5 + S8] = 0x00;
	*apdu_len = 6 + S8;
	memcpy(ctx->host_challenge, host_challenge, S8);
	ctx->channel = channel;
	ctx->state = HS_IU_SENT;
	return EUM_OK;
}

int eum_host_scp03_check_init_update_response(eum_host_scp03 *ctx, const uint8_t *rsp, size_t len)
{
	uint8_t context[2 * S8], card_cryptogram[S8], chal[S8], seqctx[3 + 16];
	int rc = EUM_OK;

	if (!ctx || !rsp)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state != HS_IU_SENT)
		return EUM_ERR_STATE;
	/* Amd D §7.1.1.6: div data(10) KVN(1) 03 i(1) card challenge card cryptogram [seq(3)] */
	if (len != 13 + 2 * S8 && len != 16 + 2 * S8)
		goto parse_err;
	if (rsp[11] != 0x03 || (ctx->kvn != 0 && rsp[10] != ctx->kvn))
		goto parse_err;
	/* The sequence counter is present exactly when the challenge is pseudo-random. */
	if (((rsp[12] & 0x10) != 0) != (len == 16 + 2 * S8))
		goto parse_err;
	ctx->kvn_used = rsp[10];
	ctx->i_param = rsp[12];
	memcpy(ctx->card_challenge, rsp + 13, S8);
	ctx->seq_counter = 0;
	if (len == 16 + 2 * S8) {
		const uint8_t *q = rsp + 13 + 2 * S8;

		ctx->seq_counter = (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
		if (ctx->sd_aid_len) {
			memcpy(seqctx, q, 3);
			memcpy(seqctx + 3, ctx->sd_aid, ctx->sd_aid_len);
			rc = host_kdf(ctx->key_enc, ctx->key_len, DDC_CARD_CHALLENGE, seqctx, 3u + ctx->sd_aid_len,
			              chal, S8);
			if (rc == EUM_OK && eum_host_ct_memcmp(chal, ctx->card_challenge, S8))
				rc = EUM_ERR_CRYPTO;
		}
	}
	memcpy(context, ctx->host_challenge, S8);
	memcpy(context + S8, ctx->card_challenge, S8);
	/* Amd D §6.2.1 session keys, §6.2.2.2/§6.2.2.3 cryptograms. */
	if (rc == EUM_OK)
		rc = host_kdf(ctx->key_enc, ctx->key_len, DDC_S_ENC, context, sizeof(context), ctx->s_enc,
		              ctx->key_len);
	if (rc == EUM_OK)
		rc = host_kdf(ctx->key_mac, ctx->key_len, DDC_S_MAC, context, sizeof(context), ctx->s_mac,
		              ctx->key_len);
	if (rc == EUM_OK)
		rc = host_kdf(ctx->key_mac, ctx->key_len, DDC_S_RMAC, context, sizeof(context), ctx->s_rmac,
		              ctx->key_len);
	if (rc == EUM_OK)
		rc = host_kdf(ctx->s_mac, ctx->key_len, DDC_CARD_CRYPTOGRAM, context, sizeof(context), card_cryptogram,
		              S8);
	if (rc == EUM_OK && eum_host_ct_memcmp(card_cryptogram, rsp + 13 + S8, S8))
		rc = EUM_ERR_CRYPTO;
	if (rc == EUM_OK)
		rc = host_kdf(ctx->s_mac, ctx->key_len, DDC_HOST_CRYPTOGRAM, context, sizeof(context),
		              ctx->host_cryptogram, S8);
	eum_host_wipe(card_cryptogram, sizeof(card_cryptogram));
	eum_host_wipe(chal, sizeof(chal));
	if (rc != EUM_OK) {
		end_session(ctx);
		return rc;
	}
	ctx->state = HS_CARD_CHECKED;
	return EUM_OK;

parse_err:
	end_session(ctx);
	return EUM_ERR_PARSE;
}

/* MCV := CMAC(S-MAC, MCV ‖ header ‖ data) (Amd D §6.2.4). */
static int host_cmac_chain(eum_host_scp03 *ctx, const uint8_t hdr[5], const uint8_t *data, size_t dlen)
{
	struct eum_host_iov parts[3] = {{ctx->mcv, 16}, {hdr, 5}, {data, dlen}};
	uint8_t m[16];
	int rc = eum_host_aes_cmac(ctx->s_mac, ctx->key_len, parts, 3, m);

	if (rc == EUM_OK)
		memcpy(ctx->mcv, m, 16);
	eum_host_wipe(m, sizeof(m));
	return rc;
}

int eum_host_scp03_external_authenticate(eum_host_scp03 *ctx, uint8_t sl, uint8_t *apdu, size_t cap, size_t *apdu_len)
{
	uint8_t cla;
	int rc;

	if (!ctx || !apdu || !apdu_len || channel_cla(ctx->channel, &cla) != EUM_OK)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state != HS_CARD_CHECKED)
		return EUM_ERR_STATE;
	switch (sl) {
	case 0x00:
	case 0x01:
	case 0x03:
		break;
	case 0x11:
	case 0x13:
		if (!(ctx->i_param & 0x20))
			return EUM_ERR_INVALID_ARG;
		break;
	case 0x33:
		if ((ctx->i_param & 0x60) != 0x60)
			return EUM_ERR_INVALID_ARG;
		break;
	default:
		return EUM_ERR_INVALID_ARG;
	}
	if (cap < 5 + 2 * S8)
		return EUM_ERR_BUFFER_TOO_SMALL;
	apdu[0] = (uint8_t)(cla | sm_bit(cla));
	apdu[1] = 0x82;
	apdu[2] = sl;
	apdu[3] = 0x00;
	apdu[4] = 2 * S8;
	memcpy(apdu + 5, ctx->host_cryptogram, S8);
	memset(ctx->mcv, 0, sizeof(ctx->mcv));
	{
		/* Amd D §6.2.4: MAC CLA has the channel zeroed and b3 set. */
		uint8_t hdr[5] = {(uint8_t)((apdu[0] & 0xF0) | 0x04), apdu[1], apdu[2], apdu[3], apdu[4]};

		rc = host_cmac_chain(ctx, hdr, ctx->host_cryptogram, S8);
	}
	if (rc != EUM_OK)
		return rc;
	memcpy(apdu + 5 + S8, ctx->mcv, S8);
	*apdu_len = 5 + 2 * S8;
	ctx->sl = sl;
	ctx->counter = 0;
	ctx->rsp_secured = 0;
	ctx->state = HS_OPEN;
	return EUM_OK;
}

int eum_host_scp03_wrap_command(eum_host_scp03 *ctx, const uint8_t *capdu, size_t len, uint8_t *out, size_t cap,
                                size_t *out_len)
{
	size_t lc = 0, dlen, padded, n;
	int has_le = 0, rc;
	uint8_t hdr[5], icv[16];

	if (!ctx || !capdu || !out || !out_len || len < 4)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state != HS_OPEN)
		return EUM_ERR_STATE;
	/* ISO 7816-4 §5.1: short cases 1 (4), 2 (5), 3 (5+Lc), 4 (6+Lc). */
	if (len == 5) {
		has_le = 1;
	} else if (len > 5) {
		lc = capdu[4];
		if (lc == 0 || (len != 5 + lc && len != 6 + lc))
			return EUM_ERR_INVALID_ARG;
		has_le = len == 6 + lc;
	}
	if (capdu[0] & sm_bit(capdu[0]))
		return EUM_ERR_INVALID_ARG;
	if (!(ctx->sl & EUM_HOST_SCP03_SL_CMAC)) {
		if (cap < len)
			return EUM_ERR_BUFFER_TOO_SMALL;
		memmove(out, capdu, len);
		*out_len = len;
		ctx->rsp_secured = 0;
		return EUM_OK;
	}
	dlen = lc;
	padded = (ctx->sl & EUM_HOST_SCP03_SL_CDEC) && lc ? (lc / 16 + 1) * 16 : lc;
	if (padded + S8 > 255)
		return EUM_ERR_INVALID_ARG;
	n = 5 + padded + S8 + (has_le ? 1 : 0);
	if (cap < n)
		return EUM_ERR_BUFFER_TOO_SMALL;
	/* Amd D §6.2.6: the counter moves for every command, with or without data. */
	ctx->counter++;
	memcpy(out + 5, capdu + 5, lc);
	if (padded != lc) {
		out[5 + lc] = 0x80;
		memset(out + 6 + lc, 0, padded - lc - 1);
		rc = host_icv(ctx, 0, icv);
		if (rc == EUM_OK)
			rc = eum_host_aes_cbc(1, ctx->s_enc, ctx->key_len, icv, out + 5, padded, out + 5);
		eum_host_wipe(icv, sizeof(icv));
		if (rc != EUM_OK)
			return rc;
		dlen = padded;
	}
	out[0] = (uint8_t)(capdu[0] | sm_bit(capdu[0]));
	memcpy(out + 1, capdu + 1, 3);
	out[4] = (uint8_t)(dlen + S8);
	hdr[0] = (uint8_t)((out[0] & 0xF0) | 0x04);
	memcpy(hdr + 1, out + 1, 4);
	rc = host_cmac_chain(ctx, hdr, out + 5, dlen);
	if (rc != EUM_OK)
		return rc;
	memcpy(out + 5 + dlen, ctx->mcv, S8);
	/* The response grows by the R-MAC and padding, so ask for everything (Le = 00). */
	if (has_le)
		out[5 + dlen + S8] = 0x00;
	*out_len = n;
	ctx->rsp_secured = 1;
	return EUM_OK;
}

int eum_host_scp03_unwrap_response(eum_host_scp03 *ctx, const uint8_t *rapdu, size_t len, uint8_t *out, size_t cap,
                                   size_t *out_len)
{
	uint8_t sw1, sw2, mac[16], icv[16];
	size_t dlen;
	int rc = EUM_OK, secured;

	if (!ctx || !rapdu || !out || !out_len || len < 2)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state != HS_OPEN)
		return EUM_ERR_STATE;
	if (cap < len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	secured = ctx->rsp_secured;
	ctx->rsp_secured = 0;
	sw1 = rapdu[len - 2];
	sw2 = rapdu[len - 1];
	dlen = len - 2;
	/* Amd D §6.2.5: no protection on error SWs, nor below R-MAC level. */
	if (!secured || !(ctx->sl & EUM_HOST_SCP03_SL_RMAC) ||
	    !((sw1 == 0x90 && sw2 == 0x00) || sw1 == 0x62 || sw1 == 0x63)) {
		memmove(out, rapdu, len);
		*out_len = len;
		return EUM_OK;
	}
	if (dlen < S8)
		return EUM_ERR_PARSE;
	dlen -= S8;
	{
		uint8_t swb[2] = {sw1, sw2};
		struct eum_host_iov parts[3] = {{ctx->mcv, 16}, {rapdu, dlen}, {swb, 2}};

		rc = eum_host_aes_cmac(ctx->s_rmac, ctx->key_len, parts, 3, mac);
	}
	if (rc == EUM_OK && eum_host_ct_memcmp(mac, rapdu + dlen, S8))
		rc = EUM_ERR_CRYPTO;
	eum_host_wipe(mac, sizeof(mac));
	if (rc != EUM_OK)
		return rc;
	memmove(out, rapdu, dlen);
	if ((ctx->sl & EUM_HOST_SCP03_SL_RENC) && dlen > 0) {
		size_t k;

		if (dlen % 16)
			return EUM_ERR_CRYPTO;
		rc = host_icv(ctx, 1, icv);
		if (rc == EUM_OK)
			rc = eum_host_aes_cbc(0, ctx->s_enc, ctx->key_len, icv, out, dlen, out);
		eum_host_wipe(icv, sizeof(icv));
		if (rc != EUM_OK)
			return rc;
		/* Padding 80 00…: 1 to 16 bytes inside the last block. */
		for (k = 1; k <= 16 && out[dlen - k] == 0x00; k++)
			;
		if (k > 16 || out[dlen - k] != 0x80) {
			eum_host_wipe(out, dlen);
			return EUM_ERR_CRYPTO;
		}
		dlen -= k;
	}
	out[dlen] = sw1;
	out[dlen + 1] = sw2;
	*out_len = dlen + 2;
	return EUM_OK;
}
