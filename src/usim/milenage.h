/*
 * Milenage, the example 3GPP authentication and key generation functions
 * f1, f1*, f2, f3, f4, f5 and f5* (3GPP TS 35.206 §4), with the operator
 * variant constants r1..r5 / c1..c5 that the TCA profile package lets a
 * profile override (AlgoParameter rotationConstants / xoringConstants).
 *
 * Pure functions: no allocation, no state; every temporary holding key
 * material is wiped before return. Outputs passed as NULL are not computed.
 */
#ifndef EUM_USIM_MILENAGE_H
#define EUM_USIM_MILENAGE_H

#include <stdint.h>

#define EUM_MILENAGE_K_LEN    16
#define EUM_MILENAGE_RAND_LEN 16
#define EUM_MILENAGE_SQN_LEN  6
#define EUM_MILENAGE_AMF_LEN  2
#define EUM_MILENAGE_MAC_LEN  8
#define EUM_MILENAGE_RES_LEN  8
#define EUM_MILENAGE_AK_LEN   6

/*
 * Rotation and xoring constants (TS 35.206 §4.1), in the TCA encoding:
 * r[0..4] = r1..r5 as a number of bits (rotate towards the most significant
 * bit, taken modulo 128), c[0..4] = c1..c5 as 128-bit big-endian values.
 * Plain data, so it can sit inside a serialised card image.
 */
struct eum_milenage_consts {
	uint8_t r[5];
	uint8_t c[5][16];
};

/* TS 35.206 §4.1 defaults (= TCA defaults '4000204060' and c1=0, c2..c5 = 1, 2, 4, 8). */
extern const struct eum_milenage_consts eum_milenage_default_consts;

/* TS 35.206 §4.1: OPc = E_K(OP) xor OP. Returns EUM_OK or EUM_ERR_CRYPTO. */
int eum_milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16]);

/*
 * TS 35.206 §4.1 f1 / f1*: MAC-A and MAC-S over SQN, RAND, AMF.
 * mc NULL = default constants; mac_a or mac_s may be NULL.
 * Returns EUM_OK, EUM_ERR_INVALID_ARG or EUM_ERR_CRYPTO.
 */
int eum_milenage_f1(const struct eum_milenage_consts *mc, const uint8_t k[16], const uint8_t opc[16],
                    const uint8_t rand[16], const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8],
                    uint8_t mac_s[8]);

/*
 * TS 35.206 §4.1 f2 (RES), f3 (CK), f4 (IK), f5 (AK) and f5* (AK*) from RAND.
 * mc NULL = default constants; any output may be NULL.
 * Returns EUM_OK, EUM_ERR_INVALID_ARG or EUM_ERR_CRYPTO.
 */
int eum_milenage_f2345(const struct eum_milenage_consts *mc, const uint8_t k[16], const uint8_t opc[16],
                       const uint8_t rand[16], uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6],
                       uint8_t ak_star[6]);

#endif
