/*
 * GlobalPlatform Card Specification v2.3 Amendment D (SCP03), card side, S8
 * mode: key derivation (§4.1.5), session establishment (§6.2.1-6.2.2,
 * §7.1.1 INITIALIZE UPDATE, §7.1.2 EXTERNAL AUTHENTICATE), C-MAC / C-DEC
 * checks (§6.2.4, §6.2.6) and R-MAC / R-ENC protection (§6.2.5, §6.2.7).
 * Byte-level details follow the project's SCP03 digest scp03.md (pySim,
 * asterix) and are pinned by tests/data/scp03/scp03.json.
 */
#include "gp/scp03.h"

#include <string.h>

#include "crypto/crypto.h"

/* ISO 7816-4 §5.1.3 status words used here. */
#define SW_OK                            0x9000
#define SW_WRONG_LENGTH                  0x6700
#define SW_AUTHENTICATION_FAILED         0x6300 /* GP: authentication of the host cryptogram failed */
#define SW_SECURITY_STATUS_NOT_SATISFIED 0x6982
#define SW_CONDITIONS_NOT_SATISFIED      0x6985
#define SW_INCORRECT_P1P2                0x6A86
#define SW_REFERENCED_DATA_NOT_FOUND     0x6A88
#define SW_NO_PRECISE_DIAGNOSIS          0x6F00

#define INS_GET_RESPONSE 0xC0
#define CLA_SM_FIRST     0x04 /* ISO 7816-4 §5.4.1: SM indication, first interindustry class */
#define CLA_SM_FURTHER   0x20 /* same, further interindustry class (b7 set) */
#define KDF_CONTEXT_MAX  48

static const char *const state_names[EUM_SCP03_STATE_NUM] = {
        [EUM_SCP03_STATE_NONE] = "NONE",
        [EUM_SCP03_STATE_INITIALIZED] = "INITIALIZED",
        [EUM_SCP03_STATE_AUTHENTICATED] = "AUTHENTICATED",
};

const char *eum_scp03_state_name(unsigned state)
{
	return state < EUM_SCP03_STATE_NUM ? state_names[state] : "?";
}

/* Session termination (GPCS secure channel rules): nothing of it may survive in memory. */
void eum_scp03_session_close(struct eum_scp03_session *s)
{
	if (s)
		eum_wipe(s, sizeof(*s));
}

static uint8_t cla_sm_bit(uint8_t cla)
{
	return (cla & 0x40) ? CLA_SM_FURTHER : CLA_SM_FIRST;
}

/* Amd D §6.2.4: for the C-MAC the logical channel number is set to zero, b4 to 0 and b3 to 1. */
static uint8_t mac_cla(uint8_t cla)
{
	return (uint8_t)((cla & 0xF0) | CLA_SM_FIRST);
}

/* Amd D §4.1.5 (NIST SP 800-108 counter mode, PRF = AES-CMAC, SCP03 field order). */
int eum_scp03_kdf(const uint8_t *key, size_t key_len, uint8_t constant, const uint8_t *context, size_t context_len,
                  uint8_t *out, size_t out_len)
{
	uint8_t in[16 + KDF_CONTEXT_MAX];
	uint8_t block[16];
	size_t done = 0;
	uint16_t bits;
	int rc = EUM_OK;

	if (!key || !out || out_len == 0 || out_len > 64 || context_len > KDF_CONTEXT_MAX || (context_len && !context))
		return EUM_ERR_INVALID_ARG;
	bits = (uint16_t)(out_len * 8);
	memset(in, 0, 11);
	in[11] = constant;
	in[12] = 0x00; /* separation indicator */
	in[13] = (uint8_t)(bits >> 8);
	in[14] = (uint8_t)bits;
	if (context_len)
		memcpy(in + 16, context, context_len);
	for (uint8_t i = 1; done < out_len; i++) {
		size_t n = out_len - done < 16 ? out_len - done : 16;

		in[15] = i;
		rc = eum_aes_cmac(key, key_len, in, 16 + context_len, block);
		if (rc != EUM_OK)
			break;
		memcpy(out + done, block, n);
		done += n;
	}
	eum_wipe(block, sizeof(block));
	eum_wipe(in, sizeof(in));
	if (rc != EUM_OK)
		eum_wipe(out, out_len);
	return rc;
}

/* Amd D §6.2.2.1: pseudo-random card challenge from the sequence counter and the SD AID. */
int eum_scp03_pseudo_random_challenge(const struct eum_scp03_keyset *ks, uint32_t seq_counter, const uint8_t *aid,
                                      size_t aid_len, uint8_t out[EUM_SCP03_S8])
{
	uint8_t ctx[3 + 16];

	if (!ks || !out || aid_len > 16 || (aid_len && !aid) || seq_counter > EUM_SCP03_SEQ_MAX)
		return EUM_ERR_INVALID_ARG;
	ctx[0] = (uint8_t)(seq_counter >> 16);
	ctx[1] = (uint8_t)(seq_counter >> 8);
	ctx[2] = (uint8_t)seq_counter;
	if (aid_len)
		memcpy(ctx + 3, aid, aid_len);
	return eum_scp03_kdf(ks->key_enc, ks->key_len, EUM_SCP03_DDC_CARD_CHALLENGE, ctx, 3 + aid_len, out,
	                     EUM_SCP03_S8);
}

/* Amd D §6.2.1 (session keys) and §6.2.2.2-6.2.2.3 (card and host cryptograms). */
int eum_scp03_derive_session(struct eum_scp03_session *s, const struct eum_scp03_keyset *ks,
                             uint8_t card_cryptogram[EUM_SCP03_S8], uint8_t host_cryptogram[EUM_SCP03_S8])
{
	uint8_t ctx[2 * EUM_SCP03_S8];
	int rc;

	if (!s || !ks || (ks->key_len != 16 && ks->key_len != 24 && ks->key_len != 32))
		return EUM_ERR_INVALID_ARG;
	memcpy(ctx, s->host_challenge, EUM_SCP03_S8);
	memcpy(ctx + EUM_SCP03_S8, s->card_challenge, EUM_SCP03_S8);
	s->key_len = ks->key_len;
	rc = eum_scp03_kdf(ks->key_enc, ks->key_len, EUM_SCP03_DDC_S_ENC, ctx, sizeof(ctx), s->s_enc, ks->key_len);
	if (rc == EUM_OK)
		rc = eum_scp03_kdf(ks->key_mac, ks->key_len, EUM_SCP03_DDC_S_MAC, ctx, sizeof(ctx), s->s_mac,
		                   ks->key_len);
	if (rc == EUM_OK)
		rc = eum_scp03_kdf(ks->key_mac, ks->key_len, EUM_SCP03_DDC_S_RMAC, ctx, sizeof(ctx), s->s_rmac,
		                   ks->key_len);
	if (rc == EUM_OK && card_cryptogram)
		rc = eum_scp03_kdf(s->s_mac, s->key_len, EUM_SCP03_DDC_CARD_CRYPTOGRAM, ctx, sizeof(ctx),
		                   card_cryptogram, EUM_SCP03_S8);
	if (rc == EUM_OK && host_cryptogram)
		rc = eum_scp03_kdf(s->s_mac, s->key_len, EUM_SCP03_DDC_HOST_CRYPTOGRAM, ctx, sizeof(ctx),
		                   host_cryptogram, EUM_SCP03_S8);
	return rc;
}

static int cmac3(const uint8_t *key, size_t key_len, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                 const uint8_t *c, size_t c_len, uint8_t mac[16])
{
	eum_cmac_ctx ctx;
	int rc, rc2;

	rc = eum_aes_cmac_start(&ctx, key, key_len);
	if (rc != EUM_OK)
		return rc;
	rc = eum_aes_cmac_update(&ctx, a, a_len);
	if (rc == EUM_OK)
		rc = eum_aes_cmac_update(&ctx, b, b_len);
	if (rc == EUM_OK)
		rc = eum_aes_cmac_update(&ctx, c, c_len);
	/* finish also releases (and wipes) the context when an update failed */
	rc2 = eum_aes_cmac_finish(&ctx, mac);
	return rc != EUM_OK ? rc : rc2;
}

/* Amd D §6.2.4: C-MAC over MCV ‖ message; the full result becomes the new MCV. */
int eum_scp03_cmac_chain(struct eum_scp03_session *s, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                         uint8_t mac[16])
{
	uint8_t m[16];
	int rc;

	if (!s || (a_len && !a) || (b_len && !b))
		return EUM_ERR_INVALID_ARG;
	rc = cmac3(s->s_mac, s->key_len, s->mcv, sizeof(s->mcv), a, a_len, b, b_len, m);
	if (rc == EUM_OK) {
		memcpy(s->mcv, m, 16);
		if (mac)
			memcpy(mac, m, 16);
	}
	eum_wipe(m, sizeof(m));
	return rc;
}

/* Amd D §6.2.5: R-MAC over MCV ‖ response data ‖ SW with S-RMAC; MCV unchanged. */
int eum_scp03_rmac(const struct eum_scp03_session *s, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                   uint8_t mac[16])
{
	if (!s || !mac || (a_len && !a) || (b_len && !b))
		return EUM_ERR_INVALID_ARG;
	return cmac3(s->s_rmac, s->key_len, s->mcv, sizeof(s->mcv), a, a_len, b, b_len, mac);
}

/* Amd D §6.2.6 (command ICV) and §6.2.7 (response ICV: first byte of the counter block 80). */
int eum_scp03_icv(const struct eum_scp03_session *s, int response, uint8_t icv[16])
{
	uint8_t blk[16] = {0};

	if (!s || !icv)
		return EUM_ERR_INVALID_ARG;
	for (int i = 0; i < 8; i++)
		blk[15 - i] = (uint8_t)(s->enc_counter >> (8 * i));
	if (response)
		blk[0] = 0x80;
	return eum_aes_encrypt_block(s->s_enc, s->key_len, blk, icv);
}

/* Amd D §6.2.6/§6.2.7 with GPCS §B.2.3 padding (ISO 9797-1 method 2). */
int eum_scp03_encrypt(const struct eum_scp03_session *s, int response, uint8_t *buf, size_t *len, size_t cap)
{
	uint8_t icv[16];
	size_t padded;
	int rc;

	if (!s || !buf || !len)
		return EUM_ERR_INVALID_ARG;
	padded = (*len / 16 + 1) * 16;
	if (padded > cap)
		return EUM_ERR_BUFFER_TOO_SMALL;
	buf[*len] = 0x80;
	memset(buf + *len + 1, 0, padded - *len - 1);
	rc = eum_scp03_icv(s, response, icv);
	if (rc == EUM_OK)
		rc = eum_aes_cbc(1, s->s_enc, s->key_len, icv, buf, padded, buf);
	eum_wipe(icv, sizeof(icv));
	if (rc == EUM_OK)
		*len = padded;
	return rc;
}

/* Amd D §6.2.6/§6.2.7: decryption and strict removal of the 80 00… padding. */
int eum_scp03_decrypt(const struct eum_scp03_session *s, int response, uint8_t *buf, size_t *len)
{
	uint8_t icv[16];
	size_t n = 0;
	int rc, found = 0;

	if (!s || !buf || !len)
		return EUM_ERR_INVALID_ARG;
	if (*len == 0 || *len % 16)
		return EUM_ERR_PARSE;
	rc = eum_scp03_icv(s, response, icv);
	if (rc == EUM_OK)
		rc = eum_aes_cbc(0, s->s_enc, s->key_len, icv, buf, *len, buf);
	eum_wipe(icv, sizeof(icv));
	if (rc != EUM_OK)
		return rc;
	/* Padding is 1 to 16 bytes: 80 followed only by zeros, inside the last block. */
	for (n = 0; n < 16; n++) {
		uint8_t b = buf[*len - 1 - n];

		if (b == 0x80) {
			found = 1;
			break;
		}
		if (b != 0x00)
			break;
	}
	if (!found)
		return EUM_ERR_PARSE;
	*len -= n + 1;
	return EUM_OK;
}

static struct eum_scp03_keyset *pick_keyset(struct eum_scp03_keyset *keysets, size_t n, uint8_t kvn, size_t *index)
{
	for (size_t i = 0; keysets && i < n; i++) {
		struct eum_scp03_keyset *ks = &keysets[i];

		if (ks->key_len != 16 && ks->key_len != 24 && ks->key_len != 32)
			continue;
		/* Amd D §7.1.1: KVN 00 references the first available key set. */
		if (kvn == 0 || ks->kvn == kvn) {
			*index = i;
			return ks;
		}
	}
	return NULL;
}

/* Amd D §7.1.1 INITIALIZE UPDATE (card challenge §6.2.2.1, cryptogram §6.2.2.2). */
uint16_t eum_scp03_initialize_update(struct eum_scp03_session *s, struct eum_scp03_keyset *keysets, size_t n_keysets,
                                     const struct eum_scp03_sd *sd, const uint8_t *apdu, size_t apdu_len, uint8_t *rsp,
                                     size_t cap, size_t *rsp_len, size_t *keyset_index, int *counter_changed)
{
	struct eum_scp03_keyset *ks;
	uint8_t cryptogram[EUM_SCP03_S8];
	size_t idx = 0, off;
	int pseudo;

	if (counter_changed)
		*counter_changed = 0;
	if (rsp_len)
		*rsp_len = 0;
	if (!s)
		return SW_NO_PRECISE_DIAGNOSIS;
	/* A new INITIALIZE UPDATE ends whatever session this channel had (GPCS session rules). */
	eum_scp03_session_close(s);
	if (!sd || !apdu || !rsp || !rsp_len || cap < EUM_SCP03_IU_RSP_MAX)
		return SW_NO_PRECISE_DIAGNOSIS;
	if (apdu_len < 5 || apdu[4] != EUM_SCP03_S8 || (apdu_len != 5u + EUM_SCP03_S8 && apdu_len != 6u + EUM_SCP03_S8))
		return SW_WRONG_LENGTH;
	if (apdu[3] != 0x00)
		return SW_INCORRECT_P1P2;
	ks = pick_keyset(keysets, n_keysets, apdu[2], &idx);
	if (!ks)
		return SW_REFERENCED_DATA_NOT_FOUND;
	memcpy(s->host_challenge, apdu + 5, EUM_SCP03_S8);

	pseudo = (sd->i_param & EUM_SCP03_I_PSEUDO_RANDOM) != 0;
	if (pseudo) {
		/* scp03.md §3.2: increment, then use and return the new value; never reuse one. */
		if (ks->seq_counter >= EUM_SCP03_SEQ_MAX)
			return SW_CONDITIONS_NOT_SATISFIED;
		ks->seq_counter++;
		if (counter_changed)
			*counter_changed = 1;
		if (eum_scp03_pseudo_random_challenge(ks, ks->seq_counter, sd->aid, sd->aid_len, s->card_challenge))
			goto fail;
	} else if (!sd->rng || sd->rng(sd->rng_ctx, s->card_challenge, EUM_SCP03_S8) != 0) {
		goto fail;
	}
	if (eum_scp03_derive_session(s, ks, cryptogram, NULL) != EUM_OK)
		goto fail;

	/* Amd D §7.1.1.6 Table 7-3: the response data field. */
	memcpy(rsp, sd->div_data, EUM_SCP03_DIV_DATA_LEN);
	off = EUM_SCP03_DIV_DATA_LEN;
	rsp[off++] = ks->kvn;
	rsp[off++] = 0x03;
	rsp[off++] = sd->i_param;
	memcpy(rsp + off, s->card_challenge, EUM_SCP03_S8);
	off += EUM_SCP03_S8;
	memcpy(rsp + off, cryptogram, EUM_SCP03_S8);
	off += EUM_SCP03_S8;
	if (pseudo) {
		rsp[off++] = (uint8_t)(ks->seq_counter >> 16);
		rsp[off++] = (uint8_t)(ks->seq_counter >> 8);
		rsp[off++] = (uint8_t)ks->seq_counter;
	}
	*rsp_len = off;
	if (keyset_index)
		*keyset_index = idx;
	s->kvn = ks->kvn;
	s->i_param = sd->i_param;
	s->state = EUM_SCP03_STATE_INITIALIZED;
	eum_wipe(cryptogram, sizeof(cryptogram));
	return SW_OK;

fail:
	eum_wipe(cryptogram, sizeof(cryptogram));
	eum_scp03_session_close(s);
	if (keyset_index)
		*keyset_index = idx;
	return SW_NO_PRECISE_DIAGNOSIS;
}

/* Amd D §7.1.2 (P1): the security levels a session may be opened with (scp03.md §3.4). */
static int sl_allowed(uint8_t sl, uint8_t i_param)
{
	switch (sl) {
	case 0x00:
	case 0x01:
	case 0x03:
		return 1;
	case 0x11:
	case 0x13:
		return (i_param & EUM_SCP03_I_RMAC) != 0;
	case 0x33:
		return (i_param & EUM_SCP03_I_RMAC) && (i_param & EUM_SCP03_I_RENC);
	default:
		return 0;
	}
}

static uint16_t ext_auth_fail(struct eum_scp03_session *s, uint16_t sw)
{
	eum_scp03_session_close(s);
	return sw;
}

/* Amd D §7.1.2 EXTERNAL AUTHENTICATE (host cryptogram §6.2.2.3, C-MAC §6.2.4). */
uint16_t eum_scp03_external_authenticate(struct eum_scp03_session *s, const uint8_t *apdu, size_t apdu_len)
{
	uint8_t expected[EUM_SCP03_S8];
	uint8_t ctx[2 * EUM_SCP03_S8];
	uint8_t hdr[5];
	uint8_t mac[16];
	int bad;

	if (!s)
		return SW_NO_PRECISE_DIAGNOSIS;
	/* No INITIALIZE UPDATE just before (including a replay in an open session). */
	if (s->state != EUM_SCP03_STATE_INITIALIZED)
		return ext_auth_fail(s, SW_CONDITIONS_NOT_SATISFIED);
	if (!apdu || apdu_len < 5 || apdu[4] != 2 * EUM_SCP03_S8 ||
	    (apdu_len != 5u + 2 * EUM_SCP03_S8 && apdu_len != 6u + 2 * EUM_SCP03_S8))
		return ext_auth_fail(s, SW_WRONG_LENGTH);
	if (!(apdu[0] & cla_sm_bit(apdu[0])))
		return ext_auth_fail(s, SW_SECURITY_STATUS_NOT_SATISFIED);
	if (apdu[3] != 0x00 || !sl_allowed(apdu[2], s->i_param))
		return ext_auth_fail(s, SW_INCORRECT_P1P2);

	memcpy(ctx, s->host_challenge, EUM_SCP03_S8);
	memcpy(ctx + EUM_SCP03_S8, s->card_challenge, EUM_SCP03_S8);
	if (eum_scp03_kdf(s->s_mac, s->key_len, EUM_SCP03_DDC_HOST_CRYPTOGRAM, ctx, sizeof(ctx), expected,
	                  EUM_SCP03_S8) != EUM_OK) {
		eum_wipe(ctx, sizeof(ctx));
		return ext_auth_fail(s, SW_NO_PRECISE_DIAGNOSIS);
	}
	eum_wipe(ctx, sizeof(ctx));
	bad = eum_ct_memcmp(expected, apdu + 5, EUM_SCP03_S8);
	eum_wipe(expected, sizeof(expected));
	if (bad)
		return ext_auth_fail(s, SW_AUTHENTICATION_FAILED);

	/* §6.2.4: MCV0 = 00…00; the command is MACed but never encrypted. */
	memset(s->mcv, 0, sizeof(s->mcv));
	hdr[0] = mac_cla(apdu[0]);
	memcpy(hdr + 1, apdu + 1, 4);
	if (eum_scp03_cmac_chain(s, hdr, sizeof(hdr), apdu + 5, EUM_SCP03_S8, mac) != EUM_OK)
		return ext_auth_fail(s, SW_NO_PRECISE_DIAGNOSIS);
	bad = eum_ct_memcmp(mac, apdu + 5 + EUM_SCP03_S8, EUM_SCP03_S8);
	eum_wipe(mac, sizeof(mac));
	if (bad)
		return ext_auth_fail(s, SW_SECURITY_STATUS_NOT_SATISFIED);

	s->sl = apdu[2];
	s->enc_counter = 0;
	s->rsp_pending = 0;
	s->state = EUM_SCP03_STATE_AUTHENTICATED;
	return SW_OK;
}

static uint16_t unwrap_fail(struct eum_scp03_session *s, uint16_t sw)
{
	eum_scp03_session_close(s);
	return sw;
}

/* Amd D §6.2.4 (C-MAC verification) and §6.2.6 (C-DECRYPTION) of one command. */
uint16_t eum_scp03_unwrap(struct eum_scp03_session *s, uint8_t *apdu, size_t *apdu_len)
{
	uint8_t hdr[5], mac[16];
	size_t len, lc, dlen;
	uint8_t sm, le = 0;
	int has_le, bad;

	if (!s || !apdu || !apdu_len || *apdu_len < 4)
		return SW_WRONG_LENGTH;
	len = *apdu_len;
	sm = cla_sm_bit(apdu[0]);

	if (s->state != EUM_SCP03_STATE_AUTHENTICATED) {
		/* [IMPL] anything but EXTERNAL AUTHENTICATE after INITIALIZE UPDATE abandons the initiation. */
		if (s->state == EUM_SCP03_STATE_INITIALIZED)
			eum_scp03_session_close(s);
		return (apdu[0] & sm) ? SW_SECURITY_STATUS_NOT_SATISFIED : SW_OK;
	}
	s->rsp_pending = 0;
	if (!(apdu[0] & sm)) {
		/* scp03.md §4 step 7: GET RESPONSE is neither MACed nor counted. */
		if (apdu[1] == INS_GET_RESPONSE || !(s->sl & EUM_SCP03_SL_CMAC))
			return SW_OK;
		/* Amd D §6.2.4: a command below the session's security level ends the session. */
		return unwrap_fail(s, SW_SECURITY_STATUS_NOT_SATISFIED);
	}
	if (!(s->sl & EUM_SCP03_SL_CMAC))
		return unwrap_fail(s, SW_SECURITY_STATUS_NOT_SATISFIED);
	/* A C-MAC means a data field: cases 3 and 4, short APDUs only (scp03.md §4 [IMPL]). */
	if (len <= 5)
		return unwrap_fail(s, SW_SECURITY_STATUS_NOT_SATISFIED);
	lc = apdu[4];
	if (lc == 0)
		return unwrap_fail(s, SW_WRONG_LENGTH);
	if (len == 5 + lc)
		has_le = 0;
	else if (len == 6 + lc)
		has_le = 1;
	else
		return unwrap_fail(s, SW_WRONG_LENGTH);
	if (lc < EUM_SCP03_S8)
		return unwrap_fail(s, SW_SECURITY_STATUS_NOT_SATISFIED);
	if (has_le)
		le = apdu[5 + lc];
	dlen = lc - EUM_SCP03_S8;

	/* §6.2.6: the counter moves for every command, with or without data. */
	s->enc_counter++;
	hdr[0] = mac_cla(apdu[0]);
	memcpy(hdr + 1, apdu + 1, 4);
	if (eum_scp03_cmac_chain(s, hdr, sizeof(hdr), apdu + 5, dlen, mac) != EUM_OK)
		return unwrap_fail(s, SW_NO_PRECISE_DIAGNOSIS);
	bad = eum_ct_memcmp(mac, apdu + 5 + dlen, EUM_SCP03_S8);
	eum_wipe(mac, sizeof(mac));
	if (bad)
		return unwrap_fail(s, SW_SECURITY_STATUS_NOT_SATISFIED);
	if ((s->sl & EUM_SCP03_SL_CDEC) && dlen > 0) {
		if (eum_scp03_decrypt(s, 0, apdu + 5, &dlen) != EUM_OK)
			return unwrap_fail(s, SW_SECURITY_STATUS_NOT_SATISFIED);
	}

	/* Rebuild the plain command in place: CLA without SM, data without MAC/padding, Le kept. */
	apdu[0] = (uint8_t)(apdu[0] & ~sm);
	if (dlen > 0) {
		apdu[4] = (uint8_t)dlen;
		len = 5 + dlen;
		if (has_le)
			apdu[len++] = le;
	} else if (has_le) {
		apdu[4] = le;
		len = 5;
	} else {
		len = 4;
	}
	memset(apdu + len, 0, *apdu_len - len);
	*apdu_len = len;
	s->rsp_pending = 1;
	return SW_OK;
}

/* Amd D §6.2.7 (R-ENCRYPTION) then §6.2.5 (R-MAC) of one response. */
int eum_scp03_wrap_response(struct eum_scp03_session *s, uint8_t *data, size_t *len, size_t cap, uint16_t sw)
{
	uint8_t swb[2] = {(uint8_t)(sw >> 8), (uint8_t)sw};
	uint8_t mac[16];
	size_t need;
	int rc = EUM_OK;

	if (!s || !len || (*len && !data) || *len > cap)
		return EUM_ERR_INVALID_ARG;
	if (s->state != EUM_SCP03_STATE_AUTHENTICATED || !s->rsp_pending)
		return EUM_OK;
	/* §6.2.5: error SWs (all but 9000, 62xx, 63xx) go out bare. */
	if (sw != 0x9000 && swb[0] != 0x62 && swb[0] != 0x63) {
		s->rsp_pending = 0;
		return EUM_OK;
	}
	need = *len;
	if ((s->sl & EUM_SCP03_SL_RENC) && *len > 0)
		need = (*len / 16 + 1) * 16;
	if (s->sl & EUM_SCP03_SL_RMAC)
		need += EUM_SCP03_S8;
	/* Nothing consumed: the caller may retry with a larger buffer. */
	if (need > cap)
		return EUM_ERR_BUFFER_TOO_SMALL;
	s->rsp_pending = 0;
	if ((s->sl & EUM_SCP03_SL_RENC) && *len > 0)
		rc = eum_scp03_encrypt(s, 1, data, len, cap);
	if (rc == EUM_OK && (s->sl & EUM_SCP03_SL_RMAC)) {
		rc = eum_scp03_rmac(s, data, *len, swb, sizeof(swb), mac);
		if (rc == EUM_OK) {
			memcpy(data + *len, mac, EUM_SCP03_S8);
			*len += EUM_SCP03_S8;
		}
		eum_wipe(mac, sizeof(mac));
	}
	if (rc != EUM_OK) {
		eum_scp03_session_close(s);
		return EUM_ERR_CRYPTO;
	}
	return EUM_OK;
}
