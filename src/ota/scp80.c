/*
 * SCP80 secured packets, card side: ETSI TS 102 225 §5 (command and response
 * packets, counters, ciphering, RC/CC, status codes), 3GPP TS 31.115 §6-§7
 * (SMS dialect) and the TS 102 226 §8.2.1.3.2.4.2 minimum security level.
 * See scp80.h for the contract; the layout handled here is
 *   CPL(2) CHL(1) SPI(2) KIc(1) KID(1) TAR(3) | CNTR(5) PCNTR(1) RC/CC(n) data pad
 * with everything after TAR ciphered when SPI1 b3 is set.
 */
#include "ota/scp80.h"

#include <stddef.h>
#include <string.h>

#include "crypto/crypto.h"
#include "eum/eum.h"

#define CMD_CLEAR_LEN  10 /* CPL CHL SPI KIc KID TAR */
#define CMD_CHL_BASE   13 /* SPI(2) KIc KID TAR(3) CNTR(5) PCNTR, TS 31.115 §6.2 */
#define CMD_SECHDR_LEN 6  /* CNTR PCNTR */
#define POR_CLEAR_LEN  6  /* RPL(2) RHL TAR(3) */
#define POR_RHL_BASE   10 /* TAR(3) CNTR(5) PCNTR STATUS, TS 31.115 §7 */
#define POR_SECHDR_LEN 7  /* CNTR PCNTR STATUS */
#define IC_MAX         8

const uint8_t eum_scp80_rpi_udh[EUM_SCP80_RPI_UDH_LEN] = {0x02, 0x71, 0x00};

static const char *const status_names[EUM_SCP80_STATUS_NUM] = {
        [EUM_SCP80_POR_OK] = "PoR OK",
        [EUM_SCP80_RC_CC_DS_FAILED] = "RC/CC/DS failed",
        [EUM_SCP80_CNTR_LOW] = "CNTR low",
        [EUM_SCP80_CNTR_HIGH] = "CNTR high",
        [EUM_SCP80_CNTR_BLOCKED] = "CNTR blocked",
        [EUM_SCP80_CIPHERING_ERROR] = "ciphering error",
        [EUM_SCP80_UNIDENTIFIED_SECURITY_ERROR] = "unidentified security error",
        [EUM_SCP80_INSUFFICIENT_MEMORY] = "insufficient memory",
        [EUM_SCP80_MORE_TIME] = "more time needed",
        [EUM_SCP80_TAR_UNKNOWN] = "TAR unknown",
        [EUM_SCP80_INSUFFICIENT_SECURITY_LEVEL] = "insufficient security level",
        [EUM_SCP80_RESPONSE_VIA_SMS_SUBMIT] = "response data via SMS-SUBMIT",
        [EUM_SCP80_RESPONSE_VIA_USSD] = "response data via USSD",
};

const char *eum_scp80_status_name(uint8_t status)
{
	return status < EUM_SCP80_STATUS_NUM ? status_names[status] : "unknown";
}

size_t eum_scp80_algo_keylen(uint8_t algo)
{
	static const uint8_t keylen[EUM_SCP80_ALGO_NUM] = {
	        [EUM_SCP80_ALGO_DES] = 8,     [EUM_SCP80_ALGO_TDES2] = 16,  [EUM_SCP80_ALGO_TDES3] = 24,
	        [EUM_SCP80_ALGO_AES128] = 16, [EUM_SCP80_ALGO_AES192] = 24, [EUM_SCP80_ALGO_AES256] = 32,
	};

	return algo < EUM_SCP80_ALGO_NUM ? keylen[algo] : 0;
}

static int algo_is_aes(uint8_t algo)
{
	return algo == EUM_SCP80_ALGO_AES128 || algo == EUM_SCP80_ALGO_AES192 || algo == EUM_SCP80_ALGO_AES256;
}

static size_t algo_block(uint8_t algo)
{
	return algo_is_aes(algo) ? EUM_AES_BLOCK : EUM_DES_BLOCK;
}

/* TS 102 225 §5.1.2 / §5.1.3.1: does the low nibble of KIc (or of KID for a
 * CC) name this key's algorithm? 0 = implicit (known by the RE). DES-ECB (D),
 * proprietary (3) and reserved codings are refused. */
static int algo_matches(uint8_t nibble, const struct eum_scp80_key *k)
{
	if (eum_scp80_algo_keylen(k->algo) == 0)
		return 0;
	switch (nibble) {
	case 0x0:
		return 1;
	case 0x1:
		return k->algo == EUM_SCP80_ALGO_DES;
	case 0x5:
		return k->algo == EUM_SCP80_ALGO_TDES2;
	case 0x9:
		return k->algo == EUM_SCP80_ALGO_TDES3;
	case 0x2:
		return algo_is_aes(k->algo);
	default:
		return 0;
	}
}

/* TS 102 225 §5.1.2: DES/3DES CBC or AES CBC, IV zero, in place. */
static int cipher_in_place(int encrypt, const struct eum_scp80_key *k, uint8_t *buf, size_t len)
{
	static const uint8_t zero_iv[EUM_AES_BLOCK];
	size_t klen = eum_scp80_algo_keylen(k->algo);

	if (algo_is_aes(k->algo))
		return eum_aes_cbc(encrypt, k->val, klen, zero_iv, buf, len, buf);
	return eum_des_cbc(encrypt, k->val, klen, zero_iv, buf, len, buf);
}

/* ---- RC / CC computed incrementally over the pieces of the packet -------- */

enum ic_kind { IC_KIND_NONE, IC_KIND_CRC16, IC_KIND_CRC32, IC_KIND_CC };

struct ic_ctx {
	enum ic_kind kind;
	const struct eum_scp80_key *key;
	int rc;
	int cmac_live; /* the AES-CMAC context holds state to release */
	uint32_t crc;
	size_t n;         /* bytes pending in buf (DES CBC-MAC) */
	uint8_t chain[8]; /* DES CBC-MAC chaining value */
	uint8_t buf[8];
	eum_cmac_ctx cmac; /* AES-CMAC */
};

/* DES/3DES CBC-MAC (ISO/IEC 9797-1 algorithm 1, TS 102 225 §5.1.3.1) over whole blocks. */
static void des_mac_blocks(struct ic_ctx *c, const uint8_t *p, size_t len)
{
	uint8_t tmp[128];
	size_t klen = eum_scp80_algo_keylen(c->key->algo);

	while (len && c->rc == EUM_OK) {
		size_t k = len > sizeof(tmp) ? sizeof(tmp) : len;

		c->rc = eum_des_cbc(1, c->key->val, klen, c->chain, p, k, tmp);
		if (c->rc == EUM_OK)
			memcpy(c->chain, tmp + k - 8, 8);
		p += k;
		len -= k;
	}
	eum_wipe(tmp, sizeof(tmp));
}

static void ic_start(struct ic_ctx *c, enum ic_kind kind, const struct eum_scp80_key *key)
{
	memset(c, 0, offsetof(struct ic_ctx, cmac));
	c->kind = kind;
	c->key = key;
	if (kind == IC_KIND_CRC16)
		c->crc = 0xFFFF;
	else if (kind == IC_KIND_CRC32)
		c->crc = 0xFFFFFFFFu;
	else if (kind == IC_KIND_CC && algo_is_aes(key->algo)) {
		c->rc = eum_aes_cmac_start(&c->cmac, key->val, eum_scp80_algo_keylen(key->algo));
		c->cmac_live = c->rc == EUM_OK;
	}
}

static void ic_update(struct ic_ctx *c, const uint8_t *p, size_t len)
{
	size_t i;
	int b;

	if (c->rc != EUM_OK || len == 0)
		return;
	switch (c->kind) {
	case IC_KIND_CRC16:
		/* ISO/IEC 13239 FCS-16, reflected polynomial 0x8408 (TS 102 225 §5.1.3.2). */
		for (i = 0; i < len; i++) {
			c->crc ^= p[i];
			for (b = 0; b < 8; b++)
				c->crc = (c->crc & 1) ? (c->crc >> 1) ^ 0x8408 : c->crc >> 1;
		}
		break;
	case IC_KIND_CRC32:
		/* ISO/IEC 13239 CRC-32, reflected polynomial 0xEDB88320 (as zlib crc32). */
		for (i = 0; i < len; i++) {
			c->crc ^= p[i];
			for (b = 0; b < 8; b++)
				c->crc = (c->crc & 1) ? (c->crc >> 1) ^ 0xEDB88320u : c->crc >> 1;
		}
		break;
	case IC_KIND_CC:
		if (algo_is_aes(c->key->algo)) {
			c->rc = eum_aes_cmac_update(&c->cmac, p, len);
			break;
		}
		if (c->n) {
			size_t take = 8 - c->n < len ? 8 - c->n : len;

			memcpy(c->buf + c->n, p, take);
			c->n += take;
			p += take;
			len -= take;
			if (c->n < 8)
				break;
			des_mac_blocks(c, c->buf, 8);
			c->n = 0;
		}
		des_mac_blocks(c, p, len & ~(size_t)7);
		memcpy(c->buf, p + (len & ~(size_t)7), len & 7);
		c->n = len & 7;
		break;
	case IC_KIND_NONE:
		break;
	}
}

/* Write the first out_len bytes of the RC/CC; always releases the context. */
static int ic_finish(struct ic_ctx *c, uint8_t *out, size_t out_len)
{
	uint8_t mac[16];
	int rc;

	memset(mac, 0, sizeof(mac));
	switch (c->kind) {
	case IC_KIND_CRC16:
		c->crc ^= 0xFFFF;
		mac[0] = (uint8_t)(c->crc >> 8);
		mac[1] = (uint8_t)c->crc;
		break;
	case IC_KIND_CRC32:
		c->crc ^= 0xFFFFFFFFu;
		mac[0] = (uint8_t)(c->crc >> 24);
		mac[1] = (uint8_t)(c->crc >> 16);
		mac[2] = (uint8_t)(c->crc >> 8);
		mac[3] = (uint8_t)c->crc;
		break;
	case IC_KIND_CC:
		if (algo_is_aes(c->key->algo)) {
			/* A failed start already released the context. */
			if (c->cmac_live) {
				rc = eum_aes_cmac_finish(&c->cmac, mac);
				c->cmac_live = 0;
				if (c->rc == EUM_OK)
					c->rc = rc;
			}
		} else {
			/* Zero padding only when the input is not block aligned (TS 102 225 §5.1.3.1). */
			if (c->n) {
				memset(c->buf + c->n, 0, 8 - c->n);
				des_mac_blocks(c, c->buf, 8);
			}
			memcpy(mac, c->chain, 8);
		}
		break;
	case IC_KIND_NONE:
		break;
	}
	if (out_len)
		memcpy(out, mac, out_len);
	rc = c->rc;
	eum_wipe(mac, sizeof(mac));
	eum_wipe(c->chain, sizeof(c->chain));
	eum_wipe(c->buf, sizeof(c->buf));
	return rc;
}

/* TS 102 225 §5.1.3.2: KID coding for an RC. 1 = CRC16 (2 bytes), 5 = CRC32
 * (4 bytes); 0 (implicit) is taken as CRC32. */
static int rc_kind(uint8_t kid, enum ic_kind *kind, uint8_t *len)
{
	switch (kid & 0x0F) {
	case 0x1:
		*kind = IC_KIND_CRC16;
		*len = 2;
		return 1;
	case 0x0:
	case 0x5:
		*kind = IC_KIND_CRC32;
		*len = 4;
		return 1;
	default:
		return 0;
	}
}

/* TS 102 226 §8.2.1.3.2.4.2: the MSL is coded like SPI1; the command must
 * reach it in each part (counter b5-b4 and RC/CC/DS b2-b1 by their order,
 * ciphering b3 when required). The ordering of the counter codes is our
 * reading (spec digest §9.3: UNCONFIRMED). */
int eum_scp80_msl_ok(uint8_t msl, uint8_t spi1)
{
	if ((msl & EUM_SCP80_SPI1_CIPHER) && !(spi1 & EUM_SCP80_SPI1_CIPHER))
		return 0;
	if (EUM_SCP80_SPI_IC(spi1) < EUM_SCP80_SPI_IC(msl))
		return 0;
	return EUM_SCP80_SPI1_CNTR(spi1) >= EUM_SCP80_SPI1_CNTR(msl);
}

/* The PoR that SPI2 asks for must be producible with the keys at hand
 * (TS 102 225 §5.1.1 SPI2); DS is not supported. */
static int por_keys_ok(const struct eum_scp80_cmd *cmd, const struct eum_scp80_tar_info *ti)
{
	uint8_t spi2 = cmd->spi[1];

	if (EUM_SCP80_SPI2_POR(spi2) == EUM_SCP80_POR_NONE)
		return 1;
	if ((spi2 & EUM_SCP80_SPI2_POR_CIPHER) && (!ti->kic_set || !algo_matches(cmd->kic & 0x0F, &ti->kic_set->kic)))
		return 0;
	switch (EUM_SCP80_SPI2_POR_IC(spi2)) {
	case EUM_SCP80_IC_CC:
		if (!ti->kid_set)
			return 0;
		/* KID names the CC algorithm only when the command itself carries a CC. */
		if (EUM_SCP80_SPI_IC(cmd->spi[0]) == EUM_SCP80_IC_CC)
			return algo_matches(cmd->kid & 0x0F, &ti->kid_set->kid);
		return eum_scp80_algo_keylen(ti->kid_set->kid.algo) != 0;
	case EUM_SCP80_IC_DS:
		return 0;
	default:
		return 1;
	}
}

static int cntr_is_blocked(const uint8_t c[EUM_SCP80_CNTR_LEN])
{
	size_t i;

	for (i = 0; i < EUM_SCP80_CNTR_LEN; i++)
		if (c[i] != 0xFF)
			return 0;
	return 1;
}

/* TS 102 225 §5.1.1 SPI1 b5-b4 and §5.1.4: counter policy. Returns the status. */
static uint8_t check_counter(struct eum_scp80_cmd *cmd, const struct eum_scp80_counter *stored)
{
	uint8_t next[EUM_SCP80_CNTR_LEN];
	int i, cmp;

	cmd->new_cntr = *stored;
	switch (EUM_SCP80_SPI1_CNTR(cmd->spi[0])) {
	case EUM_SCP80_CNTR_HIGHER:
		if (cntr_is_blocked(stored->v))
			return EUM_SCP80_CNTR_BLOCKED;
		if (memcmp(cmd->cntr, stored->v, EUM_SCP80_CNTR_LEN) <= 0)
			return EUM_SCP80_CNTR_LOW;
		break;
	case EUM_SCP80_CNTR_ONE_HIGHER:
		if (cntr_is_blocked(stored->v))
			return EUM_SCP80_CNTR_BLOCKED;
		memcpy(next, stored->v, sizeof(next));
		for (i = EUM_SCP80_CNTR_LEN - 1; i >= 0 && ++next[i] == 0; i--)
			;
		cmp = memcmp(cmd->cntr, next, EUM_SCP80_CNTR_LEN);
		if (cmp < 0)
			return EUM_SCP80_CNTR_LOW;
		if (cmp > 0)
			return EUM_SCP80_CNTR_HIGH;
		break;
	default:
		/* 00: no counter; 01: counter available, not checked. The stored value stays. */
		return EUM_SCP80_POR_OK;
	}
	memcpy(cmd->new_cntr.v, cmd->cntr, EUM_SCP80_CNTR_LEN);
	cmd->cntr_update = 1;
	return EUM_SCP80_POR_OK;
}

/* TS 102 225 §5.1 / TS 31.115 §6: receive a command packet. */
int eum_scp80_unwrap(const uint8_t *pkt, size_t len, eum_scp80_lookup_fn lookup, void *lookup_ctx, uint8_t *work,
                     size_t work_cap, struct eum_scp80_cmd *cmd)
{
	struct eum_scp80_tar_info ti;
	struct ic_ctx ic;
	enum ic_kind kind = IC_KIND_NONE;
	uint8_t ic_len = 0, cc_rx[IC_MAX], cc_calc[IC_MAX];
	size_t body_len = 0, dlen;
	int ciphered, rc = EUM_OK;
	uint8_t status;

	if (!cmd)
		return EUM_ERR_INVALID_ARG;
	memset(cmd, 0, sizeof(*cmd));
	cmd->status = EUM_SCP80_UNIDENTIFIED_SECURITY_ERROR;
	if ((!pkt && len) || !lookup || (!work && work_cap))
		return EUM_ERR_INVALID_ARG;
	if (len < CMD_CLEAR_LEN)
		return EUM_OK; /* not even a TAR: nobody to answer */
	memcpy(cmd->spi, pkt + 3, 2);
	cmd->kic = pkt[5];
	cmd->kid = pkt[6];
	memcpy(cmd->tar, pkt + 7, 3);
	cmd->header_ok = 1;
	body_len = len - CMD_CLEAR_LEN;
	if (work_cap < body_len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	ciphered = (cmd->spi[0] & EUM_SCP80_SPI1_CIPHER) != 0;

	/* CPL counts what follows it; CHL covers SPI..RC/CC/DS (TS 31.115 §6.2). */
	if (((size_t)pkt[0] << 8 | pkt[1]) != len - 2)
		return EUM_OK;
	switch (EUM_SCP80_SPI_IC(cmd->spi[0])) {
	case EUM_SCP80_IC_RC:
		if (!rc_kind(cmd->kid, &kind, &ic_len))
			return EUM_OK;
		break;
	case EUM_SCP80_IC_CC:
		/* 4- or 8-byte CC as coded by CHL (TS 102 225 §5.1.3.1). */
		kind = IC_KIND_CC;
		ic_len = (uint8_t)(pkt[2] - CMD_CHL_BASE);
		if (pkt[2] < CMD_CHL_BASE || (ic_len != 4 && ic_len != 8))
			return EUM_OK;
		break;
	case EUM_SCP80_IC_DS:
		return EUM_OK; /* digital signatures are not supported */
	default:
		break;
	}
	if (pkt[2] != CMD_CHL_BASE + ic_len)
		return EUM_OK;
	cmd->ic_len = ic_len;

	memset(&ti, 0, sizeof(ti));
	rc = lookup(lookup_ctx, cmd->tar, cmd->kic >> 4, cmd->kid >> 4, &ti);
	if (rc == EUM_ERR_NOT_FOUND) {
		cmd->status = EUM_SCP80_TAR_UNKNOWN;
		return EUM_OK;
	}
	if (rc != EUM_OK)
		return rc;
	if (!eum_scp80_msl_ok(ti.msl, cmd->spi[0])) {
		cmd->status = EUM_SCP80_INSUFFICIENT_SECURITY_LEVEL;
		return EUM_OK;
	}
	if ((ciphered && (!ti.kic_set || !algo_matches(cmd->kic & 0x0F, &ti.kic_set->kic))) ||
	    (kind == IC_KIND_CC && (!ti.kid_set || !algo_matches(cmd->kid & 0x0F, &ti.kid_set->kid))) ||
	    !por_keys_ok(cmd, &ti))
		return EUM_OK;

	/* TS 102 225 §5.1.2: everything after TAR is ciphered, whole blocks, IV 0. */
	memcpy(work, pkt + CMD_CLEAR_LEN, body_len);
	status = ciphered ? EUM_SCP80_CIPHERING_ERROR : EUM_SCP80_UNIDENTIFIED_SECURITY_ERROR;
	if (ciphered) {
		if (body_len == 0 || body_len % algo_block(ti.kic_set->kic.algo))
			goto reject;
		rc = cipher_in_place(0, &ti.kic_set->kic, work, body_len);
		if (rc != EUM_OK)
			goto reject;
	}
	if (body_len < CMD_SECHDR_LEN + (size_t)ic_len)
		goto reject;
	memcpy(cmd->cntr, work, EUM_SCP80_CNTR_LEN);
	cmd->pcntr = work[5];
	cmd->keys_ok = 1;
	memcpy(cc_rx, work + CMD_SECHDR_LEN, ic_len);
	dlen = body_len - CMD_SECHDR_LEN - ic_len;

	/* TS 31.115 §6.2: RC/CC over CPL..PCNTR (without the RC/CC field) and the data with padding. */
	if (kind != IC_KIND_NONE) {
		ic_start(&ic, kind, kind == IC_KIND_CC ? &ti.kid_set->kid : NULL);
		ic_update(&ic, pkt, CMD_CLEAR_LEN);
		ic_update(&ic, work, CMD_SECHDR_LEN);
		ic_update(&ic, work + CMD_SECHDR_LEN + ic_len, dlen);
		rc = ic_finish(&ic, cc_calc, ic_len);
		if (rc != EUM_OK)
			goto reject;
		if (eum_ct_memcmp(cc_calc, cc_rx, ic_len) != 0) {
			status = EUM_SCP80_RC_CC_DS_FAILED;
			goto reject;
		}
	}
	status = check_counter(cmd, &ti.cntr);
	if (status != EUM_SCP80_POR_OK)
		goto reject;
	/* TS 102 225 §5.1.1: PCNTR padding bytes end the secured data. */
	if (cmd->pcntr > dlen) {
		status = ciphered ? EUM_SCP80_CIPHERING_ERROR : EUM_SCP80_UNIDENTIFIED_SECURITY_ERROR;
		goto reject;
	}
	cmd->data = work + CMD_SECHDR_LEN + ic_len;
	cmd->data_len = dlen - cmd->pcntr;
	cmd->status = EUM_SCP80_POR_OK;
	eum_wipe(cc_rx, sizeof(cc_rx));
	eum_wipe(cc_calc, sizeof(cc_calc));
	return EUM_OK;

reject:
	cmd->status = status;
	cmd->cntr_update = 0;
	cmd->new_cntr = ti.cntr;
	eum_wipe(work, body_len);
	eum_wipe(cc_rx, sizeof(cc_rx));
	eum_wipe(cc_calc, sizeof(cc_calc));
	return rc == EUM_OK ? EUM_OK : EUM_ERR_CRYPTO;
}

int eum_scp80_por_wanted(const struct eum_scp80_cmd *cmd, uint8_t status)
{
	if (!cmd || !cmd->header_ok)
		return 0;
	switch (EUM_SCP80_SPI2_POR(cmd->spi[1])) {
	case EUM_SCP80_POR_ALWAYS:
		return 1;
	case EUM_SCP80_POR_ON_ERROR:
		return status != EUM_SCP80_POR_OK;
	default:
		return 0;
	}
}

/* TS 102 225 §5.2 / TS 31.115 §7: build the response packet. */
int eum_scp80_build_por(const struct eum_scp80_cmd *cmd, eum_scp80_lookup_fn lookup, void *lookup_ctx, uint8_t status,
                        const uint8_t *data, size_t data_len, enum eum_scp80_error_por error_por, uint8_t *out,
                        size_t cap, size_t *out_len)
{
	struct eum_scp80_tar_info ti;
	struct ic_ctx ic;
	enum ic_kind kind = IC_KIND_NONE;
	uint8_t ic_len = 0, spi2, mac[IC_MAX];
	const struct eum_scp80_key *kic = NULL;
	size_t pad = 0, rpl, total, enc_len;
	int secured, rc;

	if (!cmd || !out || !out_len || !cmd->header_ok || (data_len && !data))
		return EUM_ERR_INVALID_ARG;
	*out_len = 0;
	spi2 = cmd->spi[1];
	secured = cmd->keys_ok && (status == EUM_SCP80_POR_OK || error_por == EUM_SCP80_ERROR_POR_AS_SPI2);
	memset(&ti, 0, sizeof(ti));
	if (secured && (EUM_SCP80_SPI2_POR_IC(spi2) == EUM_SCP80_IC_CC || (spi2 & EUM_SCP80_SPI2_POR_CIPHER))) {
		rc = lookup ? lookup(lookup_ctx, cmd->tar, cmd->kic >> 4, cmd->kid >> 4, &ti) : EUM_ERR_INVALID_ARG;
		if (rc != EUM_OK)
			return rc;
		if (!por_keys_ok(cmd, &ti))
			return EUM_ERR_STATE;
	}
	if (secured) {
		switch (EUM_SCP80_SPI2_POR_IC(spi2)) {
		case EUM_SCP80_IC_RC:
			/* The command's KID names the CRC only when it carried an RC itself. */
			if (EUM_SCP80_SPI_IC(cmd->spi[0]) != EUM_SCP80_IC_RC || !rc_kind(cmd->kid, &kind, &ic_len)) {
				kind = IC_KIND_CRC32;
				ic_len = 4;
			}
			break;
		case EUM_SCP80_IC_CC:
			kind = IC_KIND_CC;
			ic_len = EUM_SCP80_SPI_IC(cmd->spi[0]) == EUM_SCP80_IC_CC ? cmd->ic_len : 8;
			break;
		default:
			break;
		}
		if (spi2 & EUM_SCP80_SPI2_POR_CIPHER) {
			size_t bs;

			kic = &ti.kic_set->kic;
			bs = algo_block(kic->algo);
			pad = (bs - (POR_SECHDR_LEN + ic_len + data_len) % bs) % bs;
		}
	}
	rpl = 1 + POR_RHL_BASE + ic_len + data_len + pad;
	if (rpl > 0xFFFF)
		return EUM_ERR_INVALID_ARG;
	total = 2 + rpl;
	if (cap < total)
		return EUM_ERR_BUFFER_TOO_SMALL;

	out[0] = (uint8_t)(rpl >> 8);
	out[1] = (uint8_t)rpl;
	out[2] = (uint8_t)(POR_RHL_BASE + ic_len);
	memcpy(out + 3, cmd->tar, 3);
	memcpy(out + POR_CLEAR_LEN, cmd->cntr, EUM_SCP80_CNTR_LEN);
	out[11] = (uint8_t)pad; /* pad bytes are 00, spec digest §6.2 */
	out[12] = status;
	memset(out + POR_CLEAR_LEN + POR_SECHDR_LEN, 0, ic_len);
	if (data_len)
		memmove(out + POR_CLEAR_LEN + POR_SECHDR_LEN + ic_len, data, data_len);
	memset(out + total - pad, 0, pad);

	if (kind != IC_KIND_NONE) {
		/* TS 31.115 §7: the RPI UDH (02 71 00) is part of the RC/CC input of a PoR. */
		ic_start(&ic, kind, kind == IC_KIND_CC ? &ti.kid_set->kid : NULL);
		ic_update(&ic, eum_scp80_rpi_udh, EUM_SCP80_RPI_UDH_LEN);
		ic_update(&ic, out, POR_CLEAR_LEN + POR_SECHDR_LEN);
		ic_update(&ic, out + POR_CLEAR_LEN + POR_SECHDR_LEN + ic_len, data_len + pad);
		rc = ic_finish(&ic, mac, ic_len);
		if (rc == EUM_OK)
			memcpy(out + POR_CLEAR_LEN + POR_SECHDR_LEN, mac, ic_len);
		eum_wipe(mac, sizeof(mac));
		if (rc != EUM_OK)
			goto fail;
	}
	if (kic) {
		enc_len = total - POR_CLEAR_LEN;
		rc = cipher_in_place(1, kic, out + POR_CLEAR_LEN, enc_len);
		if (rc != EUM_OK)
			goto fail;
	}
	*out_len = total;
	return EUM_OK;

fail:
	eum_wipe(out, total);
	return EUM_ERR_CRYPTO;
}
