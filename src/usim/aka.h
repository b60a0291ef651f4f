/*
 * Card side of the USIM AUTHENTICATE command (3GPP TS 31.102 §7.1), without
 * APDU framing: the 3G/EPS/5G security context (TS 33.102 §6.3.3, UMTS AKA)
 * with SQN freshness per TS 33.102 Annex C, and the GSM security context
 * (TS 33.102 §6.8.1.2, conversion functions c2/c3).
 *
 * Parameters follow the TCA profile package PE-AKAParameter / AlgoParameter
 * (PE_Definitions 3.3.1). Both structures are plain byte data (no pointers,
 * no padding, no host-endian integers) so a card image can store them as is.
 *
 * SQN management implemented (TS 33.102 Annex C, all values in SEQ units,
 * i.e. without IND, as the PE gives sqnDelta / sqnAgeLimit / sqnInit):
 *  - SQN = SEQ || IND with IND the 5 least significant bits and an array of
 *    32 SEQ_MS values (C.1.2, C.2.2; 32 = the size of PE sqnInit);
 *  - C.2.1 delta check: accept only if SEQ - SEQ_MS <= delta (sqnDelta),
 *    SEQ_MS being the highest SEQ anywhere in the array;
 *  - C.2.2 freshness: accept only if SEQ > SEQ_MS(IND), then SEQ_MS(IND) := SEQ;
 *  - C.2.2 age limit L: accept only if SEQ_MS - SEQ < L (sqnAgeLimit);
 *    a limit of zero means "no limit applied";
 *  - on failure of any of these: synchronisation failure with
 *    SQN_MS = SEQ_MS || IND_MS (highest entry, lowest index on ties) and
 *    AUTS = (SQN_MS xor AK*) || MAC-S, MAC-S computed with AMF = 0000
 *    (TS 33.102 §6.3.3, §6.3.5).
 * sqnOptions is kept as the PE gives it but none of its bits is interpreted:
 * their coding is not public (TS.48 documents its value '02' only as
 * "SQN wrap around"); SEQ arithmetic is plain 48-bit, with no wrap-around.
 * For the USIM test algorithm the PE says sqnOptions / sqnDelta /
 * sqnAgeLimit are ignored: the card then applies the PE defaults
 * (delta = age limit = '000010000000').
 *
 * Order of checks (TS 33.102 §6.3.3): MAC first (failure: SW 9862), then
 * SQN; the SQN array changes only when the whole command succeeds.
 */
#ifndef EUM_USIM_AKA_H
#define EUM_USIM_AKA_H

#include <stddef.h>
#include <stdint.h>

#include "usim/milenage.h"

/* Status words used here (TS 102 221 §10.2.1, TS 31.102 §7.3); guarded so a
 * shared sw.h can own them. */
#ifndef EUM_SW_OK
#define EUM_SW_OK 0x9000
#endif
#ifndef EUM_SW_WRONG_LENGTH
#define EUM_SW_WRONG_LENGTH 0x6700
#endif
#ifndef EUM_SW_INCORRECT_DATA
#define EUM_SW_INCORRECT_DATA 0x6A80
#endif
#ifndef EUM_SW_INCORRECT_P1P2
#define EUM_SW_INCORRECT_P1P2 0x6A86
#endif
#ifndef EUM_SW_TECHNICAL_PROBLEM
#define EUM_SW_TECHNICAL_PROBLEM 0x6F00
#endif
#ifndef EUM_SW_AUTH_MAC_FAIL
#define EUM_SW_AUTH_MAC_FAIL 0x9862 /* TS 31.102 §7.3: authentication error, incorrect MAC */
#endif
#ifndef EUM_SW_AUTH_CONTEXT_NOT_SUPPORTED
#define EUM_SW_AUTH_CONTEXT_NOT_SUPPORTED 0x9864 /* TS 31.102 §7.3: security context not supported */
#endif

/* AUTHENTICATE P2 (TS 31.102 §7.1.2 Table 1): b8 = specific reference data, b3-b1 = context. */
#define EUM_AKA_P2_GSM 0x80
#define EUM_AKA_P2_3G  0x81

#define EUM_AKA_IND_BITS  5
#define EUM_AKA_SQN_ARRAY (1u << EUM_AKA_IND_BITS) /* = PE sqnInit SIZE(32) */
#define EUM_AKA_SEQ_LEN   6
#define EUM_AKA_RES_MAX   16
#define EUM_AKA_RESP_MAX  61 /* DB 10 RES(16) 10 CK 10 IK 08 Kc */

/* Authentication algorithm. The TCA algorithmID values are milenage(1),
 * tuak(2), usim-test-algorithm(3); TUAK is not supported. */
enum eum_aka_algo {
	EUM_AKA_ALGO_MILENAGE = 0,
	EUM_AKA_ALGO_XOR = 1, /* TS 34.108 §8.1.2 test algorithm */
	EUM_AKA_ALGO_NUM
};

/* TCA PE-AKAParameter defaults (PE_Definitions 3.3.1). */
#define EUM_AKA_DEFAULT_SQN_OPTIONS 0x02
/* sqnDelta = sqnAgeLimit = '000010000000' (2^28 SEQ steps), see eum_aka_params_default(). */

struct eum_aka_params {
	uint8_t algo;         /* enum eum_aka_algo */
	uint8_t algo_options; /* PE algorithmOptions, kept as given, not interpreted */
	uint8_t res_len;      /* XOR: RES length in bytes, 4..16 (TS.48: 16); Milenage: ignored (always 8) */
	uint8_t sqn_options;  /* PE sqnOptions, kept as given, not interpreted (see above) */
	uint8_t k[16];
	uint8_t opc[16];               /* Milenage OPc; unused by XOR */
	struct eum_milenage_consts mc; /* PE rotationConstants (r1..r5 in bits) / xoringConstants */
	uint8_t sqn_delta[6];          /* PE sqnDelta, big-endian, SEQ units */
	uint8_t sqn_age_limit[6];      /* PE sqnAgeLimit, big-endian, SEQ units; zero = no limit */
};

/* The persistent SQN state: SEQ_MS(i), big-endian 48-bit, without IND (as PE sqnInit). */
struct eum_aka_sqn {
	uint8_t seq[EUM_AKA_SQN_ARRAY][EUM_AKA_SEQ_LEN];
};

/*
 * Fill p with the TCA defaults for algo (constants, sqnOptions, delta, age
 * limit; res_len 16 for XOR, 8 for Milenage); K and OPc zero.
 * Returns EUM_OK or EUM_ERR_INVALID_ARG.
 */
int eum_aka_params_default(struct eum_aka_params *p, enum eum_aka_algo algo);

/* Map a TCA algorithmID to the enum: EUM_OK, or EUM_ERR_UNSUPPORTED (TUAK, unknown). */
int eum_aka_algo_from_tca(long algorithm_id, enum eum_aka_algo *out);

/* Name for logs ("milenage", "xor"); "unknown" for out-of-range values. */
const char *eum_aka_algo_name(unsigned algo);

/*
 * TS 31.102 §7.1: run AUTHENTICATE (EVEN INS) for the command data (Lc bytes).
 *   p2 0x81 (3G/EPS/5G): data 10 RAND 10 AUTN ->
 *        success  DB L RES 10 CK 10 IK [08 Kc]  SW 9000 (Kc when with_kc)
 *        SQN      DC 0E AUTS                     SW 9000
 *        MAC      (no data)                      SW 9862
 *   p2 0x80 (GSM): data 10 RAND -> 04 SRES 08 Kc, SW 9000; needs with_kc (service n27 "GSM access"),
 *        otherwise SW 9864.
 *   Other defined contexts (VGCS/VBS, GBA, MBMS, local key) -> SW 9864; RFU P2 codings -> SW 6A86.
 *   Data not exactly the LV structure the context needs -> 6700; right structure but a RAND/AUTN
 *   length other than 16 -> 6A80.
 * with_kc: service n27 (GSM access) is available in EF UST.
 * sqn is updated only when the 3G context succeeds; the caller persists it.
 * resp/cap: output buffer (EUM_AKA_RESP_MAX bytes always suffice); *rlen = response length (0 unless SW 9000).
 * A bad argument, invalid params or a too small buffer give SW 6F00 with nothing written.
 */
uint16_t eum_aka_authenticate(const struct eum_aka_params *p, struct eum_aka_sqn *sqn, uint8_t p2, const uint8_t *data,
                              size_t len, int with_kc, uint8_t *resp, size_t cap, size_t *rlen);

#endif
