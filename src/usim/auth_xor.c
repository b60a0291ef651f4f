/*
 * USIM test algorithm for authentication (3GPP TS 34.108 §8.1.2), the
 * algorithm of TCA usim-test-algorithm / GSMA TS.48 test profiles.
 * Definition confirmed against the TS 34.108 §8.1.2 text proposal
 * (TSG-T1 SIG T1S-000110) and libosmocore src/gsm/auth_xor.c (network side);
 * known answers in tests/data/milenage/xor.data.
 */
#include "usim/auth_xor.h"

#include <stddef.h>
#include <string.h>

#include "crypto/crypto.h"

/* TS 34.108 §8.1.2.1 step 1: XDOUT = K xor RAND. */
static void xdout_calc(const uint8_t k[16], const uint8_t rand[16], uint8_t xdout[16])
{
	for (size_t i = 0; i < 16; i++)
		xdout[i] = k[i] ^ rand[i];
}

/* TS 34.108 §8.1.2.1 step 2: RES, CK, IK, AK extracted from XDOUT. */
void eum_xor_f2345(const uint8_t k[16], const uint8_t rand[16], uint8_t res[16], uint8_t ck[16], uint8_t ik[16],
                   uint8_t ak[6])
{
	uint8_t xdout[16];

	xdout_calc(k, rand, xdout);
	if (res)
		memcpy(res, xdout, 16);
	if (ck) {
		memcpy(ck, xdout + 1, 15);
		ck[15] = xdout[0];
	}
	if (ik) {
		memcpy(ik, xdout + 2, 14);
		memcpy(ik + 14, xdout, 2);
	}
	if (ak)
		memcpy(ak, xdout + 3, 6);
	eum_wipe(xdout, sizeof(xdout));
}

/* TS 34.108 §8.1.2.1 steps 3-4: CDOUT = SQN || AMF, MAC = XDOUT[0..7] xor CDOUT. */
void eum_xor_f1(const uint8_t k[16], const uint8_t rand[16], const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac[8])
{
	uint8_t xdout[16];

	xdout_calc(k, rand, xdout);
	for (size_t i = 0; i < 6; i++)
		mac[i] = xdout[i] ^ sqn[i];
	mac[6] = xdout[6] ^ amf[0];
	mac[7] = xdout[7] ^ amf[1];
	eum_wipe(xdout, sizeof(xdout));
}
