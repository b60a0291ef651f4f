/*
 * The test algorithm for authentication of 3GPP TS 34.108 §8.1.2 (the "XOR"
 * algorithm of test USIMs; TCA AlgoParameter algorithmID 3
 * usim-test-algorithm, used by the GSMA TS.48 test profiles).
 *
 * Definition (TS 34.108 §8.1.2.1 steps 1-4, §8.1.2.2 for resynchronisation):
 *   XDOUT = K xor RAND                       (128 bits)
 *   RES   = XDOUT[bits 0..n-1]               (the first res_len bytes)
 *   CK    = XDOUT rotated left by 8 bits     (XDOUT[1..15] || XDOUT[0])
 *   IK    = XDOUT rotated left by 16 bits    (XDOUT[2..15] || XDOUT[0..1])
 *   AK    = XDOUT[bits 24..71]               (XDOUT[3..8])
 *   CDOUT = SQN || AMF                       (64 bits)
 *   MAC   = XDOUT[bits 0..63] xor CDOUT      (XMAC, and MAC-S with AMF = 0000)
 * The algorithm has no separate f1* / f5*: MAC-S uses f1, AUTS conceals
 * SQN_MS with the same AK.
 *
 * Pure functions; outputs passed as NULL are not computed; temporaries wiped.
 */
#ifndef EUM_USIM_AUTH_XOR_H
#define EUM_USIM_AUTH_XOR_H

#include <stdint.h>

#define EUM_XOR_K_LEN   16
#define EUM_XOR_RES_MAX 16

/* TS 34.108 §8.1.2.1 steps 1-2: RES (all 16 bytes of XDOUT; the caller keeps
 * its first res_len bytes), CK, IK and AK from K and RAND. */
void eum_xor_f2345(const uint8_t k[16], const uint8_t rand[16], uint8_t res[16], uint8_t ck[16], uint8_t ik[16],
                   uint8_t ak[6]);

/* TS 34.108 §8.1.2.1 steps 3-4 (and §8.1.2.2 for MAC-S): MAC = XDOUT[0..7] xor (SQN || AMF). */
void eum_xor_f1(const uint8_t k[16], const uint8_t rand[16], const uint8_t sqn[6], const uint8_t amf[2],
                uint8_t mac[8]);

#endif
