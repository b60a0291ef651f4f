/*
 * Milenage f1, f1*, f2, f3, f4, f5, f5* (3GPP TS 35.206 §4) over the AES
 * block of the crypto seam, with TCA-configurable r1..r5 / c1..c5.
 * Conformance data: TS 35.207 §4 / TS 35.208 §4 (tests/unit/test_milenage.c).
 */
#include "usim/milenage.h"

#include <stddef.h>
#include <string.h>

#include "crypto/crypto.h"
#include "eum/eum.h"

const struct eum_milenage_consts eum_milenage_default_consts = {
        .r = {64, 0, 32, 64, 96},
        .c =
                {
                        {0},
                        {[15] = 0x01},
                        {[15] = 0x02},
                        {[15] = 0x04},
                        {[15] = 0x08},
                },
};

static void xor16(uint8_t *out, const uint8_t *a, const uint8_t *b)
{
	for (size_t i = 0; i < 16; i++)
		out[i] = a[i] ^ b[i];
}

/* TS 35.206 §4.1: rot(x, r) cyclically rotates the 128-bit x by r bit
 * positions towards the most significant bit. */
static void rot128(uint8_t out[16], const uint8_t in[16], unsigned r)
{
	unsigned bytes = (r % 128) / 8;
	unsigned bits = r % 8;

	for (unsigned i = 0; i < 16; i++) {
		uint8_t hi = in[(i + bytes) % 16];
		uint8_t lo = in[(i + bytes + 1) % 16];

		out[i] = bits ? (uint8_t)((hi << bits) | (lo >> (8 - bits))) : hi;
	}
}

static int aes(const uint8_t k[16], const uint8_t in[16], uint8_t out[16])
{
	return eum_aes_encrypt_block(k, EUM_MILENAGE_K_LEN, in, out) == EUM_OK ? EUM_OK : EUM_ERR_CRYPTO;
}

/* TS 35.206 §4.1: OPc = E_K(OP) xor OP. */
int eum_milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16])
{
	uint8_t t[16];
	int rc;

	if (!k || !op || !opc)
		return EUM_ERR_INVALID_ARG;
	rc = aes(k, op, t);
	if (rc == EUM_OK)
		xor16(opc, t, op);
	eum_wipe(t, sizeof(t));
	return rc;
}

/* TS 35.206 §4.1: TEMP = E_K(RAND xor OPc). */
static int milenage_temp(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16], uint8_t temp[16])
{
	uint8_t in[16];
	int rc;

	xor16(in, rand, opc);
	rc = aes(k, in, temp);
	eum_wipe(in, sizeof(in));
	return rc;
}

/* TS 35.206 §4.1 f1 / f1*: OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc,
 * IN1 = SQN || AMF || SQN || AMF; MAC-A = OUT1[0..63], MAC-S = OUT1[64..127]. */
int eum_milenage_f1(const struct eum_milenage_consts *mc, const uint8_t k[16], const uint8_t opc[16],
                    const uint8_t rand[16], const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8],
                    uint8_t mac_s[8])
{
	uint8_t temp[16], in1[16], t[16], out[16];
	int rc;

	if (!k || !opc || !rand || !sqn || !amf)
		return EUM_ERR_INVALID_ARG;
	if (!mc)
		mc = &eum_milenage_default_consts;

	rc = milenage_temp(k, opc, rand, temp);
	if (rc != EUM_OK)
		goto out;
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, sqn, 6);
	memcpy(in1 + 14, amf, 2);
	xor16(t, in1, opc);
	rot128(in1, t, mc->r[0]);
	xor16(t, in1, temp);
	xor16(t, t, mc->c[0]);
	rc = aes(k, t, out);
	if (rc != EUM_OK)
		goto out;
	xor16(out, out, opc);
	if (mac_a)
		memcpy(mac_a, out, 8);
	if (mac_s)
		memcpy(mac_s, out + 8, 8);
out:
	eum_wipe(temp, sizeof(temp));
	eum_wipe(in1, sizeof(in1));
	eum_wipe(t, sizeof(t));
	eum_wipe(out, sizeof(out));
	return rc;
}

/* TS 35.206 §4.1: OUTn = E_K(rot(TEMP xor OPc, rn) xor cn) xor OPc for n = 2..5. */
static int milenage_out(const struct eum_milenage_consts *mc, unsigned n, const uint8_t k[16], const uint8_t opc[16],
                        const uint8_t temp[16], uint8_t out[16])
{
	uint8_t a[16], b[16];
	int rc;

	xor16(a, temp, opc);
	rot128(b, a, mc->r[n - 1]);
	xor16(b, b, mc->c[n - 1]);
	rc = aes(k, b, out);
	if (rc == EUM_OK)
		xor16(out, out, opc);
	eum_wipe(a, sizeof(a));
	eum_wipe(b, sizeof(b));
	return rc;
}

/* TS 35.206 §4.1 f2..f5*: RES = OUT2[64..127], AK = OUT2[0..47], CK = OUT3, IK = OUT4, AK* = OUT5[0..47]. */
int eum_milenage_f2345(const struct eum_milenage_consts *mc, const uint8_t k[16], const uint8_t opc[16],
                       const uint8_t rand[16], uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6],
                       uint8_t ak_star[6])
{
	uint8_t temp[16], out[16];
	int rc;

	if (!k || !opc || !rand)
		return EUM_ERR_INVALID_ARG;
	if (!mc)
		mc = &eum_milenage_default_consts;

	rc = milenage_temp(k, opc, rand, temp);
	if (rc != EUM_OK)
		goto out;
	if (res || ak) {
		rc = milenage_out(mc, 2, k, opc, temp, out);
		if (rc != EUM_OK)
			goto out;
		if (res)
			memcpy(res, out + 8, 8);
		if (ak)
			memcpy(ak, out, 6);
	}
	if (ck) {
		rc = milenage_out(mc, 3, k, opc, temp, ck);
		if (rc != EUM_OK)
			goto out;
	}
	if (ik) {
		rc = milenage_out(mc, 4, k, opc, temp, ik);
		if (rc != EUM_OK)
			goto out;
	}
	if (ak_star) {
		rc = milenage_out(mc, 5, k, opc, temp, out);
		if (rc != EUM_OK)
			goto out;
		memcpy(ak_star, out, 6);
	}
out:
	eum_wipe(temp, sizeof(temp));
	eum_wipe(out, sizeof(out));
	return rc;
}
