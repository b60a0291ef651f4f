/*
 * libeum-host SCP80 sending entity: ETSI TS 102 225 §5.1-§5.2 secured command
 * and response packets in the SMS dialect of 3GPP TS 31.115 §6-§7. Written
 * independently of the card's src/ota/scp80.c (it is the other side of every
 * test) and on mbedTLS through host_crypto.c only.
 */
#include "eum/host/scp80.h"

#include <string.h>

#include "host_crypto.h"

#define H_CMD_CLEAR  10 /* CPL(2) CHL SPI(2) KIc KID TAR(3) */
#define H_CMD_SECHDR 6  /* CNTR(5) PCNTR */
#define H_POR_CLEAR  6  /* RPL(2) RHL TAR(3) */
#define H_POR_SECHDR 7  /* CNTR(5) PCNTR STATUS */
#define H_RHL_BASE   10 /* TAR CNTR PCNTR STATUS */
#define H_CHL_BASE   13 /* SPI KIc KID TAR CNTR PCNTR */

static const uint8_t h_rpi_udh[3] = {0x02, 0x71, 0x00};
static const uint8_t h_zero_iv[16];

enum h_ic { H_IC_NONE, H_IC_CRC16, H_IC_CRC32, H_IC_CC };

/* TS 102 225 §5.1.2/§5.1.3.1: KIc/KID algorithm nibble against the key. */
static int h_key_check(uint8_t nibble, const struct eum_host_scp80_key *k)
{
	int len_ok;

	switch (k->algo) {
	case EUM_HOST_SCP80_ALGO_DES:
		len_ok = k->len == 8;
		break;
	case EUM_HOST_SCP80_ALGO_TDES2:
		len_ok = k->len == 16;
		break;
	case EUM_HOST_SCP80_ALGO_TDES3:
		len_ok = k->len == 24;
		break;
	case EUM_HOST_SCP80_ALGO_AES:
		len_ok = k->len == 16 || k->len == 24 || k->len == 32;
		break;
	default:
		len_ok = 0;
	}
	if (!len_ok)
		return EUM_ERR_INVALID_ARG;
	switch (nibble) {
	case 0x0:
		return EUM_OK;
	case 0x1:
		return k->algo == EUM_HOST_SCP80_ALGO_DES ? EUM_OK : EUM_ERR_INVALID_ARG;
	case 0x5:
		return k->algo == EUM_HOST_SCP80_ALGO_TDES2 ? EUM_OK : EUM_ERR_INVALID_ARG;
	case 0x9:
		return k->algo == EUM_HOST_SCP80_ALGO_TDES3 ? EUM_OK : EUM_ERR_INVALID_ARG;
	case 0x2:
		return k->algo == EUM_HOST_SCP80_ALGO_AES ? EUM_OK : EUM_ERR_INVALID_ARG;
	default:
		return EUM_ERR_UNSUPPORTED;
	}
}

static size_t h_block(const struct eum_host_scp80_key *k)
{
	return k->algo == EUM_HOST_SCP80_ALGO_AES ? 16 : 8;
}

static int h_cipher(int encrypt, const struct eum_host_scp80_key *k, uint8_t *buf, size_t len)
{
	if (k->algo == EUM_HOST_SCP80_ALGO_AES)
		return eum_host_aes_cbc(encrypt, k->val, k->len, h_zero_iv, buf, len, buf);
	return eum_host_des_cbc(encrypt, k->val, k->len, h_zero_iv, buf, len, buf);
}

/* TS 102 225 §5.1.3.2: KID coding of an RC (1 = CRC16, 5 = CRC32, 0 taken as CRC32). */
static int h_rc_from_kid(uint8_t kid, enum h_ic *ic, size_t *len)
{
	switch (kid & 0x0F) {
	case 0x1:
		*ic = H_IC_CRC16;
		*len = 2;
		return EUM_OK;
	case 0x0:
	case 0x5:
		*ic = H_IC_CRC32;
		*len = 4;
		return EUM_OK;
	default:
		return EUM_ERR_UNSUPPORTED;
	}
}

/* CRC-16 of ISO/IEC 13239 (reflected 0x1021, init/xorout FFFF) and CRC-32
 * (reflected 0x04C11DB7, init/xorout FFFFFFFF), big-endian result. */
static void h_crc(enum h_ic ic, const struct eum_host_iov *parts, size_t n, uint8_t *out)
{
	uint32_t poly = ic == H_IC_CRC16 ? 0x8408u : 0xEDB88320u;
	uint32_t init = ic == H_IC_CRC16 ? 0xFFFFu : 0xFFFFFFFFu;
	uint32_t crc = init;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < parts[i].len; j++) {
			crc ^= parts[i].p[j];
			for (int b = 0; b < 8; b++)
				crc = (crc & 1) ? (crc >> 1) ^ poly : crc >> 1;
		}
	crc ^= init;
	if (ic == H_IC_CRC16) {
		out[0] = (uint8_t)(crc >> 8);
		out[1] = (uint8_t)crc;
	} else {
		out[0] = (uint8_t)(crc >> 24);
		out[1] = (uint8_t)(crc >> 16);
		out[2] = (uint8_t)(crc >> 8);
		out[3] = (uint8_t)crc;
	}
}

/* RC or CC over the pieces; the first len bytes go to out. */
static int h_ic_compute(enum h_ic ic, const struct eum_host_scp80_key *kid, const struct eum_host_iov *parts, size_t n,
                        uint8_t *out, size_t len)
{
	uint8_t mac[16];
	int rc = EUM_OK;

	memset(mac, 0, sizeof(mac));
	if (ic == H_IC_CRC16 || ic == H_IC_CRC32)
		h_crc(ic, parts, n, mac);
	else if (ic == H_IC_CC && kid->algo == EUM_HOST_SCP80_ALGO_AES)
		rc = eum_host_aes_cmac(kid->val, kid->len, parts, n, mac); /* AES-CMAC, leftmost bytes */
	else if (ic == H_IC_CC)
		rc = eum_host_des_cbc_mac(kid->val, kid->len, parts, n, mac);
	if (rc == EUM_OK)
		memcpy(out, mac, len);
	eum_host_wipe(mac, sizeof(mac));
	return rc;
}

/* The command's integrity: kind and length (TS 102 225 §5.1.1 SPI1 b2-b1, CHL). */
static int h_cmd_ic(const struct eum_host_scp80_params *p, enum h_ic *ic, size_t *len)
{
	switch (p->spi[0] & 3) {
	case 0:
		*ic = H_IC_NONE;
		*len = 0;
		return EUM_OK;
	case 1:
		return h_rc_from_kid(p->kid, ic, len);
	case 2:
		*ic = H_IC_CC;
		*len = p->cc_len ? p->cc_len : 8;
		return (*len == 4 || *len == 8) ? EUM_OK : EUM_ERR_INVALID_ARG;
	default:
		return EUM_ERR_UNSUPPORTED;
	}
}

/* The PoR's integrity as SPI2 b4-b3 asks; same conventions as the card
 * (CRC named by KID only when the command had an RC, else CRC32; CC length
 * of the command's CC, else 8). */
static int h_por_ic(const struct eum_host_scp80_params *p, enum h_ic *ic, size_t *len)
{
	switch ((p->spi[1] >> 2) & 3) {
	case 0:
		*ic = H_IC_NONE;
		*len = 0;
		return EUM_OK;
	case 1:
		if ((p->spi[0] & 3) == 1)
			return h_rc_from_kid(p->kid, ic, len);
		*ic = H_IC_CRC32;
		*len = 4;
		return EUM_OK;
	case 2:
		*ic = H_IC_CC;
		*len = (p->spi[0] & 3) == 2 && p->cc_len ? p->cc_len : 8;
		return EUM_OK;
	default:
		return EUM_ERR_UNSUPPORTED;
	}
}

int eum_host_scp80_build_cmd(const struct eum_host_scp80_keyset *ks, const struct eum_host_scp80_params *p,
                             const uint8_t *data, size_t data_len, uint8_t *out, size_t cap, size_t *out_len)
{
	int ciphered, rc;
	enum h_ic ic;
	size_t ic_len, pad = 0, total;

	if (!ks || !p || !out || !out_len || (data_len && !data))
		return EUM_ERR_INVALID_ARG;
	*out_len = 0;
	ciphered = (p->spi[0] & 0x04) != 0;
	rc = h_cmd_ic(p, &ic, &ic_len);
	if (rc == EUM_OK && ciphered)
		rc = h_key_check(p->kic & 0x0F, &ks->kic);
	if (rc == EUM_OK && ic == H_IC_CC)
		rc = h_key_check(p->kid & 0x0F, &ks->kid);
	if (rc != EUM_OK)
		return rc;
	if (ciphered) {
		size_t bs = h_block(&ks->kic);

		pad = (bs - (H_CMD_SECHDR + ic_len + data_len) % bs) % bs;
	}
	total = H_CMD_CLEAR + H_CMD_SECHDR + ic_len + data_len + pad;
	if (total - 2 > 0xFFFF)
		return EUM_ERR_INVALID_ARG;
	if (cap < total)
		return EUM_ERR_BUFFER_TOO_SMALL;

	out[0] = (uint8_t)((total - 2) >> 8);
	out[1] = (uint8_t)(total - 2);
	out[2] = (uint8_t)(H_CHL_BASE + ic_len);
	out[3] = p->spi[0];
	out[4] = p->spi[1];
	out[5] = p->kic;
	out[6] = p->kid;
	memcpy(out + 7, p->tar, 3);
	memcpy(out + H_CMD_CLEAR, p->cntr, EUM_HOST_SCP80_CNTR_LEN);
	out[15] = (uint8_t)pad;
	memset(out + 16, 0, ic_len);
	if (data_len)
		memmove(out + 16 + ic_len, data, data_len);
	memset(out + total - pad, 0, pad);

	if (ic != H_IC_NONE) {
		/* TS 31.115 §6.2: CPL..PCNTR then the data with padding; no UDH for commands. */
		struct eum_host_iov parts[2] = {{out, 16}, {out + 16 + ic_len, data_len + pad}};

		rc = h_ic_compute(ic, &ks->kid, parts, 2, out + 16, ic_len);
	}
	if (rc == EUM_OK && ciphered)
		rc = h_cipher(1, &ks->kic, out + H_CMD_CLEAR, total - H_CMD_CLEAR);
	if (rc != EUM_OK) {
		eum_host_wipe(out, total);
		return EUM_ERR_CRYPTO;
	}
	*out_len = total;
	return EUM_OK;
}

int eum_host_scp80_parse_por(const struct eum_host_scp80_keyset *ks, const struct eum_host_scp80_params *p,
                             const uint8_t *por, size_t len, uint8_t *work, size_t work_cap,
                             struct eum_host_scp80_por *out)
{
	enum h_ic ic;
	size_t ic_len, rhl, body, dlen;
	int ciphered, secured, rc;
	uint8_t mac[8];
	uint8_t *w;

	if (!ks || !p || !por || !work || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (work_cap < len + sizeof(h_rpi_udh))
		return EUM_ERR_BUFFER_TOO_SMALL;
	rc = h_por_ic(p, &ic, &ic_len);
	if (rc != EUM_OK)
		return rc;
	ciphered = (p->spi[1] & 0x10) != 0;
	if (len < H_POR_CLEAR + H_POR_SECHDR || ((size_t)por[0] << 8 | por[1]) != len - 2)
		return EUM_ERR_PARSE;
	rhl = por[2];
	if (memcmp(por + 3, p->tar, 3) != 0)
		return EUM_ERR_PARSE;
	body = len - H_POR_CLEAR;

	/* Secured as SPI2 asks, or an error PoR in clear (RHL without RC/CC, or a
	 * length that cannot be ciphertext). */
	if (rhl == H_RHL_BASE + ic_len) {
		secured = 1;
		if (ciphered && body % h_block(&ks->kic) != 0) {
			if (ic_len)
				return EUM_ERR_PARSE;
			secured = 0;
		}
	} else if (rhl == H_RHL_BASE && ic_len) {
		secured = 0;
	} else {
		return EUM_ERR_PARSE;
	}
	if (secured && ciphered && (rc = h_key_check(p->kic & 0x0F, &ks->kic)) != EUM_OK)
		return rc;
	if (secured && ic == H_IC_CC &&
	    (rc = h_key_check((p->spi[0] & 3) == 2 ? (p->kid & 0x0F) : 0, &ks->kid)) != EUM_OK)
		return rc;
	if (!secured)
		ic_len = 0;
	if (body < H_POR_SECHDR + ic_len)
		return EUM_ERR_PARSE;

	w = work + sizeof(h_rpi_udh);
	memcpy(work, h_rpi_udh, sizeof(h_rpi_udh));
	memcpy(w, por, len);
	if (secured && ciphered && h_cipher(0, &ks->kic, w + H_POR_CLEAR, body) != EUM_OK)
		goto crypto_fail;
	if (secured && ic != H_IC_NONE) {
		/* TS 31.115 §7: UDH, RPL..STATUS, then the data with padding. */
		struct eum_host_iov parts[2] = {
		        {work, 3 + H_POR_CLEAR + H_POR_SECHDR},
		        {w + H_POR_CLEAR + H_POR_SECHDR + ic_len, body - H_POR_SECHDR - ic_len}};

		if (h_ic_compute(ic, &ks->kid, parts, 2, mac, ic_len) != EUM_OK)
			goto crypto_fail;
		if (eum_host_ct_memcmp(mac, w + H_POR_CLEAR + H_POR_SECHDR, ic_len) != 0)
			goto crypto_fail;
	}
	memcpy(out->tar, w + 3, 3);
	memcpy(out->cntr, w + H_POR_CLEAR, EUM_HOST_SCP80_CNTR_LEN);
	out->pcntr = w[11];
	out->status = w[12];
	out->secured = (uint8_t)secured;
	/* A PoR OK must carry the protection SPI2 asked for. */
	if (!secured && out->status == 0x00) {
		eum_host_wipe(work, len + sizeof(h_rpi_udh));
		memset(out, 0, sizeof(*out));
		return EUM_ERR_CRYPTO;
	}
	dlen = body - H_POR_SECHDR - ic_len;
	if (out->pcntr > dlen) {
		eum_host_wipe(work, len + sizeof(h_rpi_udh));
		memset(out, 0, sizeof(*out));
		return EUM_ERR_PARSE;
	}
	out->data = w + H_POR_CLEAR + H_POR_SECHDR + ic_len;
	out->data_len = dlen - out->pcntr;
	eum_host_wipe(mac, sizeof(mac));
	return EUM_OK;

crypto_fail:
	eum_host_wipe(work, len + sizeof(h_rpi_udh));
	eum_host_wipe(mac, sizeof(mac));
	return EUM_ERR_CRYPTO;
}
