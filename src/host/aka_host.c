/*
 * libeum-host: network side of UMTS AKA (3GPP TS 33.102 §6.3.2 vector generation, §6.3.5
 * resynchronisation, §6.8.1.2 GSM conversions c2/c3) over Milenage (3GPP TS 35.206 §4.1) and the
 * test algorithm of 3GPP TS 34.108 §8.1.2. Written from the specifications on the host's own AES
 * (host_crypto.c), sharing nothing with the card's src/usim.
 */
#include "eum/host/aka.h"

#include <string.h>

#include "host_crypto.h"

/* TS 35.206 §4.1 default rotation constants (bits) */
static const uint8_t milenage_r[5] = {64, 0, 32, 64, 96};

/* x rotated left by r bits (TS 35.206 §4.1 rot(x, r)), 128-bit values */
static void rot128(const uint8_t x[16], unsigned r, uint8_t out[16])
{
	unsigned bytes = (r / 8) % 16, bits = r % 8, i;

	for (i = 0; i < 16; i++) {
		uint8_t a = x[(i + bytes) % 16], b = x[(i + bytes + 1) % 16];
		out[i] = bits ? (uint8_t)(a << bits | b >> (8 - bits)) : a;
	}
}

static void xor16(uint8_t *d, const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 16; i++)
		d[i] = a[i] ^ b[i];
}

/* TS 35.206 §4.1: the kernel function on TEMP / IN1 for f1 (k = 0, in1 given) or f2..f5 (k = 1..4). */
static int milenage_out(const struct eum_host_aka_key *key, const uint8_t temp[16], const uint8_t *in1, unsigned k,
                        uint8_t out[16])
{
	uint8_t x[16], y[16];
	int rc;

	if (in1) {
		/* OUT1 = E_K[TEMP xor rot(IN1 xor OPc, r1) xor c1] xor OPc */
		xor16(x, in1, key->opc);
		rot128(x, key->r[0], y);
		xor16(y, y, temp);
	} else {
		/* OUTk = E_K[rot(TEMP xor OPc, rk) xor ck] xor OPc */
		xor16(x, temp, key->opc);
		rot128(x, key->r[k], y);
	}
	xor16(y, y, key->c[k]);
	rc = eum_host_aes_ecb_encrypt(key->k, 16, y, out);
	xor16(out, out, key->opc);
	eum_host_wipe(x, sizeof(x));
	eum_host_wipe(y, sizeof(y));
	return rc;
}

static int milenage(const struct eum_host_aka_key *key, const uint8_t rand[16], const uint8_t sqn[6],
                    const uint8_t amf[2], struct eum_host_aka_outputs *o)
{
	uint8_t temp[16], in1[16], out[16];
	int rc;

	/* TEMP = E_K[RAND xor OPc]; IN1 = SQN || AMF || SQN || AMF */
	xor16(in1, rand, key->opc);
	rc = eum_host_aes_ecb_encrypt(key->k, 16, in1, temp);
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, in1, 8);
	rc |= milenage_out(key, temp, in1, 0, out);
	memcpy(o->mac_a, out, 8);
	memcpy(o->mac_s, out + 8, 8);
	rc |= milenage_out(key, temp, NULL, 1, out);
	memcpy(o->ak, out, 6);
	memset(o->res, 0, sizeof(o->res));
	memcpy(o->res, out + 8, 8);
	rc |= milenage_out(key, temp, NULL, 2, o->ck);
	rc |= milenage_out(key, temp, NULL, 3, o->ik);
	rc |= milenage_out(key, temp, NULL, 4, out);
	memcpy(o->ak_s, out, 6);
	eum_host_wipe(temp, sizeof(temp));
	eum_host_wipe(in1, sizeof(in1));
	eum_host_wipe(out, sizeof(out));
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

/* TS 34.108 §8.1.2: XDOUT = K xor RAND; RES = XDOUT[0..n); CK = XDOUT <<< 8 bits; IK = XDOUT <<< 16 bits;
 * AK = XDOUT bits 24..71; MAC = XDOUT bits 0..63 xor (SQN || AMF). The test algorithm has no f1* / f5*:
 * resynchronisation uses f1 (with the AMF given, 0000 for AUTS) and f5. */
static void test_algorithm(const struct eum_host_aka_key *key, const uint8_t rand[16], const uint8_t sqn[6],
                           const uint8_t amf[2], struct eum_host_aka_outputs *o)
{
	uint8_t xd[16];
	int i;

	xor16(xd, key->k, rand);
	memcpy(o->res, xd, 16);
	for (i = 0; i < 16; i++) {
		o->ck[i] = xd[(i + 1) % 16];
		o->ik[i] = xd[(i + 2) % 16];
	}
	memcpy(o->ak, xd + 3, 6);
	memcpy(o->ak_s, xd + 3, 6);
	for (i = 0; i < 8; i++)
		o->mac_a[i] = xd[i] ^ (i < 6 ? sqn[i] : amf[i - 6]);
	memcpy(o->mac_s, o->mac_a, 8);
	eum_host_wipe(xd, sizeof(xd));
}

int eum_host_aka_functions(const struct eum_host_aka_key *key, const uint8_t rand[16], const uint8_t sqn[6],
                           const uint8_t amf[2], struct eum_host_aka_outputs *out)
{
	if (!key || !rand || !sqn || !amf || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	if (key->algo == EUM_HOST_AKA_MILENAGE)
		return milenage(key, rand, sqn, amf, out);
	if (key->algo == EUM_HOST_AKA_XOR) {
		test_algorithm(key, rand, sqn, amf, out);
		return EUM_OK;
	}
	return EUM_ERR_INVALID_ARG;
}

int eum_host_aka_key_milenage(struct eum_host_aka_key *key, const uint8_t k[16], const uint8_t op[16], int op_is_opc)
{
	int i;

	if (!key || !k || !op)
		return EUM_ERR_INVALID_ARG;
	memset(key, 0, sizeof(*key));
	key->algo = EUM_HOST_AKA_MILENAGE;
	key->res_len = 8;
	memcpy(key->k, k, 16);
	memcpy(key->r, milenage_r, sizeof(milenage_r));
	/* c1 = 0, c2..c5 = 1, 2, 4, 8 in the last byte */
	for (i = 1; i < 5; i++)
		key->c[i][15] = (uint8_t)(1u << (i - 1));
	if (op_is_opc) {
		memcpy(key->opc, op, 16);
		return EUM_OK;
	}
	/* OPc = OP xor E_K[OP] */
	if (eum_host_aes_ecb_encrypt(k, 16, op, key->opc) != EUM_OK) {
		eum_host_aka_key_wipe(key);
		return EUM_ERR_CRYPTO;
	}
	xor16(key->opc, key->opc, op);
	return EUM_OK;
}

int eum_host_aka_key_xor(struct eum_host_aka_key *key, const uint8_t k[16], size_t res_len)
{
	if (!key || !k || res_len < 4 || res_len > 16)
		return EUM_ERR_INVALID_ARG;
	memset(key, 0, sizeof(*key));
	key->algo = EUM_HOST_AKA_XOR;
	key->res_len = (uint8_t)res_len;
	memcpy(key->k, k, 16);
	return EUM_OK;
}

int eum_host_aka_generate(const struct eum_host_aka_key *key, const uint8_t rand[16], const uint8_t sqn[6],
                          const uint8_t amf[2], struct eum_host_aka_vector *v)
{
	struct eum_host_aka_outputs o;
	uint8_t padded[16];
	int i, rc;

	if (!v || !key || key->res_len < 4 || key->res_len > 16)
		return EUM_ERR_INVALID_ARG;
	memset(v, 0, sizeof(*v));
	rc = eum_host_aka_functions(key, rand, sqn, amf, &o);
	if (rc == EUM_OK) {
		memcpy(v->rand, rand, 16);
		/* AUTN = SQN xor AK || AMF || MAC-A (TS 33.102 §6.3.2) */
		for (i = 0; i < 6; i++)
			v->autn[i] = sqn[i] ^ o.ak[i];
		memcpy(v->autn + 6, amf, 2);
		memcpy(v->autn + 8, o.mac_a, 8);
		v->res_len = key->res_len;
		memcpy(v->res, o.res, v->res_len);
		memcpy(v->ck, o.ck, 16);
		memcpy(v->ik, o.ik, 16);
		/* c3: Kc = CK1 xor CK2 xor IK1 xor IK2 (64-bit halves) */
		for (i = 0; i < 8; i++)
			v->kc[i] = o.ck[i] ^ o.ck[i + 8] ^ o.ik[i] ^ o.ik[i + 8];
		/* c2: SRES = XRES*1 xor .. xor XRES*4, XRES zero-padded to 128 bits in 32-bit words */
		memset(padded, 0, sizeof(padded));
		memcpy(padded, v->res, v->res_len);
		for (i = 0; i < 4; i++)
			v->sres[i] = padded[i] ^ padded[i + 4] ^ padded[i + 8] ^ padded[i + 12];
		eum_host_wipe(padded, sizeof(padded));
	}
	eum_host_wipe(&o, sizeof(o));
	return rc;
}

int eum_host_aka_resync(const struct eum_host_aka_key *key, const uint8_t rand[16], const uint8_t auts[14],
                        uint8_t sqn_ms[6])
{
	static const uint8_t amf0[2] = {0, 0};
	static const uint8_t zero[6] = {0};
	struct eum_host_aka_outputs o;
	int i, rc;

	if (!key || !rand || !auts || !sqn_ms)
		return EUM_ERR_INVALID_ARG;
	/* AK* does not depend on SQN: recover SQN_MS first, then MAC-S = f1*(SQN_MS, RAND, AMF 0000) */
	rc = eum_host_aka_functions(key, rand, zero, amf0, &o);
	if (rc == EUM_OK) {
		for (i = 0; i < 6; i++)
			sqn_ms[i] = auts[i] ^ o.ak_s[i];
		rc = eum_host_aka_functions(key, rand, sqn_ms, amf0, &o);
	}
	if (rc == EUM_OK && eum_host_ct_memcmp(o.mac_s, auts + 6, 8) != 0)
		rc = EUM_ERR_CRYPTO;
	eum_host_wipe(&o, sizeof(o));
	return rc;
}

int eum_host_aka_parse_response(const uint8_t *data, size_t len, struct eum_host_aka_response *r)
{
	size_t off;

	if (!data || !r)
		return EUM_ERR_INVALID_ARG;
	memset(r, 0, sizeof(*r));
	if (len == 16 && data[0] == 0xDC && data[1] == 14) {
		r->sync_failure = 1;
		memcpy(r->auts, data + 2, 14);
		return EUM_OK;
	}
	/* DB, then LV-coded RES (4..16), CK (16), IK (16) and optionally Kc (8) */
	if (len < 2 || data[0] != 0xDB || data[1] < 4 || data[1] > 16)
		return EUM_ERR_PARSE;
	r->res_len = data[1];
	off = 2 + r->res_len;
	if (len < off + 34 || data[off] != 16 || data[off + 17] != 16)
		return EUM_ERR_PARSE;
	memcpy(r->res, data + 2, r->res_len);
	memcpy(r->ck, data + off + 1, 16);
	memcpy(r->ik, data + off + 18, 16);
	off += 34;
	if (len == off)
		return EUM_OK;
	if (len != off + 9 || data[off] != 8) {
		eum_host_wipe(r, sizeof(*r));
		return EUM_ERR_PARSE;
	}
	r->has_kc = 1;
	memcpy(r->kc, data + off + 1, 8);
	return EUM_OK;
}

void eum_host_aka_key_wipe(struct eum_host_aka_key *key)
{
	if (key)
		eum_host_wipe(key, sizeof(*key));
}

void eum_host_aka_vector_wipe(struct eum_host_aka_vector *v)
{
	if (v)
		eum_host_wipe(v, sizeof(*v));
}
