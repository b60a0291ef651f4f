/*
 * libeum-host: the SM-SR's side of SGP.02 HTTPS admin sessions outside the TLS tunnel (spec digest
 * scp81-https.md §1 push and triggering parameters, §3.4 the SCP81 PSK key set, §5.4 the ISD-R's default
 * administration parameters): GP Amendment B Table 3-3 TLVs, PUT KEY of a TLS PSK (GPCS §11.8, key type 85)
 * and UpdateSMSRAddressingParameters with tag 83. The push itself is eum_host_smsr_push() (smsr_host.c).
 */
#include <string.h>

#include "eum/host/smsr.h"
#include "host_crypto.h"
#include "host_wr.h"

#define ADMIN_MAX 512

/* BER-TLV header: 1-byte tag, definite length in 1, 2 or 3 bytes. */
static void tw_hdr(struct eum_host_wr *w, uint8_t tag, size_t len)
{
	eum_host_wr_u8(w, tag);
	eum_host_wr_ber_len(w, len);
}

int eum_host_smsr_conn_tcp_ipv4(const uint8_t ipv4[4], uint16_t port, uint16_t buffer, uint8_t *out, size_t cap,
                                size_t *len)
{
	struct eum_host_wr w = {out, cap, 0, 0};

	if (!ipv4 || !out || !len || !buffer)
		return EUM_ERR_INVALID_ARG;
	/* TS 102 223 §8.52 bearer description: 03 = default bearer for the requested transport layer */
	eum_host_wr_put(&w, "\x35\x01\x03", 3);
	/* §8.55 buffer size */
	eum_host_wr_put(&w, "\x39\x02", 2);
	eum_host_wr_u8(&w, (uint8_t)(buffer >> 8));
	eum_host_wr_u8(&w, (uint8_t)buffer);
	/* §8.59 UICC/terminal interface transport level: 02 = TCP, UICC in client mode, remote connection */
	eum_host_wr_put(&w, "\x3C\x03\x02", 3);
	eum_host_wr_u8(&w, (uint8_t)(port >> 8));
	eum_host_wr_u8(&w, (uint8_t)port);
	/* §8.58 other address: 21 = IPv4 */
	eum_host_wr_put(&w, "\x3E\x05\x21", 3);
	eum_host_wr_put(&w, ipv4, 4);
	if (w.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*len = w.len;
	return EUM_OK;
}

/* Two decimal digits as swapped-nibble BCD (TS 102 223 §8.38 timer value, TS 23.040 semi-octets). */
static uint8_t bcd_swapped(unsigned v)
{
	return (uint8_t)((v % 10) << 4 | (v / 10));
}

/* The value of 83 (without its header). */
static int admin_value(const struct eum_host_smsr_admin_params *p, uint8_t *out, size_t cap, size_t *len)
{
	struct eum_host_wr w = {out, cap, 0, 0};
	size_t hl = p->host ? strlen(p->host) : 0, al = p->agent ? strlen(p->agent) : 0,
	       ul = p->uri ? strlen(p->uri) : 0;

	if ((p->conn_len && !p->conn) || p->conn_len > 255 || (p->psk_id_len && !p->psk_id) || p->psk_id_len > 127 ||
	    hl > 255 || al > 255 || ul > 255 || (p->has_retry && p->retry_delay_s >= 100u * 3600u))
		return EUM_ERR_INVALID_ARG;
	if (p->conn_len)
		eum_host_wr_tlv1(&w, 0x84, p->conn, p->conn_len);
	if (p->has_security) {
		/* digest §1.2: Lid ‖ PSK identity ‖ 02 ‖ KVN ‖ KID (njiwa; KVN ‖ KID order as pySim) */
		tw_hdr(&w, 0x85, 1 + p->psk_id_len + 3);
		eum_host_wr_u8(&w, (uint8_t)p->psk_id_len);
		eum_host_wr_put(&w, p->psk_id, p->psk_id_len);
		eum_host_wr_u8(&w, 0x02);
		eum_host_wr_u8(&w, p->kvn);
		eum_host_wr_u8(&w, p->kid);
	}
	if (p->has_retry) {
		/* digest §1.2: counter(2) ‖ timer value A5 03 hh mm ss ‖ [report failure 87 00] */
		unsigned s = (unsigned)p->retry_delay_s;
		tw_hdr(&w, 0x86, 7 + (p->report_failure ? 2 : 0));
		eum_host_wr_u8(&w, (uint8_t)(p->retry_count >> 8));
		eum_host_wr_u8(&w, (uint8_t)p->retry_count);
		eum_host_wr_put(&w, "\xA5\x03", 2);
		eum_host_wr_u8(&w, bcd_swapped(s / 3600));
		eum_host_wr_u8(&w, bcd_swapped(s / 60 % 60));
		eum_host_wr_u8(&w, bcd_swapped(s % 60));
		if (p->report_failure)
			eum_host_wr_put(&w, "\x87\x00", 2);
	}
	if (p->host || p->agent || p->uri) {
		size_t in = 0;
		if (p->host)
			in += (hl >= 0x80 ? 3 : 2) + hl;
		if (p->agent)
			in += (al >= 0x80 ? 3 : 2) + al;
		if (p->uri)
			in += (ul >= 0x80 ? 3 : 2) + ul;
		tw_hdr(&w, 0x89, in);
		if (p->host)
			eum_host_wr_tlv1(&w, 0x8A, p->host, hl);
		if (p->agent)
			eum_host_wr_tlv1(&w, 0x8B, p->agent, al);
		if (p->uri)
			eum_host_wr_tlv1(&w, 0x8C, p->uri, ul);
	}
	if (w.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*len = w.len;
	return EUM_OK;
}

int eum_host_smsr_admin_params_build(const struct eum_host_smsr_admin_params *p, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t v[ADMIN_MAX];
	size_t vl = 0;
	struct eum_host_wr w = {out, cap, 0, 0};
	int rc;

	if (!p || !out || !len)
		return EUM_ERR_INVALID_ARG;
	rc = admin_value(p, v, sizeof(v), &vl);
	if (rc)
		return rc == EUM_ERR_BUFFER_TOO_SMALL ? EUM_ERR_INVALID_ARG : rc;
	eum_host_wr_tlv1(&w, 0x83, v, vl);
	if (w.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*len = w.len;
	return EUM_OK;
}

int eum_host_smsr_trigger_build(const struct eum_host_smsr_admin_params *p, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t v[ADMIN_MAX + 4];
	size_t vl = 0;
	struct eum_host_wr w = {out, cap, 0, 0};
	int rc;

	if (!out || !len)
		return EUM_ERR_INVALID_ARG;
	if (p) {
		rc = eum_host_smsr_admin_params_build(p, v, sizeof(v), &vl);
		if (rc)
			return rc;
	}
	/* GP Amd B Table 3-3 (digest §1.2): 81 administration session triggering parameters { 83 … } */
	eum_host_wr_tlv1(&w, 0x81, v, vl);
	if (w.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*len = w.len;
	return EUM_OK;
}

int eum_host_smsr_put_psk(uint8_t old_kvn, uint8_t kvn, uint8_t kid, const uint8_t *psk, size_t psk_len,
                          const struct eum_host_scp80_key *kek, uint8_t *apdu, size_t cap, size_t *len)
{
	static const uint8_t zero_iv[16];
	uint8_t plain[48], ct[48];
	size_t block, padded;
	struct eum_host_wr w = {apdu, cap, 0, 0};
	int rc, aes;

	if (!psk || psk_len < 16 || psk_len > 32 || !kek || !apdu || !len || kvn < 0x40 || kvn > 0x4F || !kid ||
	    kid > 0x7F || (old_kvn && (old_kvn < 0x40 || old_kvn > 0x4F)))
		return EUM_ERR_INVALID_ARG;
	aes = kek->algo == EUM_HOST_SCP80_ALGO_AES;
	if (!aes && kek->algo != EUM_HOST_SCP80_ALGO_TDES2 && kek->algo != EUM_HOST_SCP80_ALGO_TDES3)
		return EUM_ERR_INVALID_ARG;
	block = aes ? 16 : 8;
	padded = (psk_len + block - 1) / block * block;
	memset(plain, 0, sizeof(plain));
	memcpy(plain, psk, psk_len);
	if (aes)
		rc = eum_host_aes_cbc(1, kek->val, kek->len, zero_iv, plain, padded, ct);
	else
		rc = eum_host_des_cbc(1, kek->val, kek->len, zero_iv, plain, padded, ct);
	eum_host_wipe(plain, sizeof(plain));
	if (rc) {
		eum_host_wipe(ct, sizeof(ct));
		return rc == EUM_ERR_INVALID_ARG ? EUM_ERR_INVALID_ARG : EUM_ERR_CRYPTO;
	}
	/* GPCS §11.8.2: CLA INS, P1 = KVN replaced (00: new set), P2 = key identifier (b8 0: one key) */
	eum_host_wr_put(&w, "\x80\xD8", 2);
	eum_host_wr_u8(&w, old_kvn);
	eum_host_wr_u8(&w, kid);
	eum_host_wr_u8(&w, 0x00);
	eum_host_wr_u8(&w, kvn);
	/* Table 11-68: key type 85 (TLS PSK), key component block (Table 11-70 / 11-71), KCV length 00 */
	eum_host_wr_u8(&w, 0x85);
	if (padded == psk_len) {
		eum_host_wr_u8(&w, (uint8_t)padded);
	} else {
		eum_host_wr_u8(&w, (uint8_t)(padded + 1));
		eum_host_wr_u8(&w, (uint8_t)psk_len);
	}
	eum_host_wr_put(&w, ct, padded);
	eum_host_wr_u8(&w, 0x00);
	eum_host_wipe(ct, sizeof(ct));
	if (w.overflow) {
		eum_host_wipe(apdu, cap);
		return EUM_ERR_BUFFER_TOO_SMALL;
	}
	apdu[4] = (uint8_t)(w.len - 5);
	eum_host_wr_u8(&w, 0x00); /* Le: the card answers KVN (and KCVs) */
	if (w.overflow) {
		eum_host_wipe(apdu, cap);
		return EUM_ERR_BUFFER_TOO_SMALL;
	}
	*len = w.len;
	return EUM_OK;
}

int eum_host_smsr_put_psk_check(uint8_t kvn, const uint8_t *psk, size_t psk_len, const uint8_t *rsp, size_t rsp_len,
                                int *has_kcv)
{
	uint8_t ones[16], out[16];
	int rc;

	if (!psk || !psk_len || !rsp)
		return EUM_ERR_INVALID_ARG;
	if (has_kcv)
		*has_kcv = 0;
	if ((rsp_len != 1 && rsp_len != 4) || rsp[0] != kvn ||
	    (rsp_len == 4 && psk_len != 16 && psk_len != 24 && psk_len != 32))
		return EUM_ERR_PARSE;
	if (rsp_len == 1)
		return EUM_OK;
	memset(ones, 0x01, sizeof(ones));
	rc = eum_host_aes_ecb_encrypt(psk, psk_len, ones, out);
	if (rc == EUM_OK && eum_host_ct_memcmp(out, rsp + 1, 3) != 0)
		rc = EUM_ERR_CRYPTO;
	else if (rc == EUM_OK && has_kcv)
		*has_kcv = 1;
	eum_host_wipe(out, sizeof(out));
	return rc == EUM_OK || rc == EUM_ERR_CRYPTO ? rc : EUM_ERR_CRYPTO;
}

int eum_host_smsr_update_admin_params(const struct eum_host_smsr_admin_params *p, uint8_t *apdu, size_t cap,
                                      size_t *len)
{
	uint8_t a83[ADMIN_MAX + 4], a3[ADMIN_MAX + 8];
	size_t n83 = 0;
	struct eum_host_wr v = {a3, sizeof(a3), 0, 0}, w = {apdu, cap, 0, 0};
	int rc;

	if (!p || !apdu || !len)
		return EUM_ERR_INVALID_ARG;
	rc = eum_host_smsr_admin_params_build(p, a83, sizeof(a83), &n83);
	if (rc)
		return rc;
	/* SGP.02 §7.10 DGI 3A07 { A3 { 83 <admin session parameters> } } [IMPL, design doc] */
	eum_host_wr_tlv1(&v, 0xA3, a83, n83);
	if (v.overflow || v.len > 0xFE - 3)
		return EUM_ERR_INVALID_ARG; /* one STORE DATA block with a 1-byte DGI length */
	eum_host_wr_put(&w, "\x80\xE2\x88\x00", 4);
	eum_host_wr_u8(&w, (uint8_t)(3 + v.len));
	eum_host_wr_put(&w, "\x3A\x07", 2);
	eum_host_wr_u8(&w, (uint8_t)v.len);
	eum_host_wr_put(&w, a3, v.len);
	if (w.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*len = w.len;
	return EUM_OK;
}
