/**
 * \file aka.h
 * \brief libeum-host: the network side of UMTS AKA (3GPP TS 33.102 §6.3) for test harnesses —
 *        authentication vectors (RAND, AUTN, XRES, CK, IK, and the GSM Kc / SRES conversions)
 *        and resynchronisation (AUTS verification), for Milenage (3GPP TS 35.206) and the test
 *        algorithm of 3GPP TS 34.108 §8.1.2 ("XOR", TCA usim-test-algorithm).
 *
 * Written independently of the card's USIM code so that the two can check each other.
 *
 * Typical use:
 * \code
 * struct eum_host_aka_key key;
 * struct eum_host_aka_vector v;
 * eum_host_aka_key_milenage(&key, k, op, 0);        // or eum_host_aka_key_xor(&key, k, 16)
 * eum_host_aka_generate(&key, rand, sqn, amf, &v);
 * // send 00 88 00 81 22 10 RAND 10 AUTN 00; the card answers DB.. (check with
 * // eum_host_aka_parse_response) or DC 0E AUTS:
 * eum_host_aka_resync(&key, rand, auts, sqn_ms);    // EUM_OK when AUTS is genuine
 * eum_host_aka_key_wipe(&key);
 * \endcode
 *
 * Ownership: every structure is plain caller-owned data; buffers are borrowed for the call.
 * Nothing is allocated and no state is kept between calls. Keys and results are secrets:
 * wipe them with eum_host_aka_key_wipe() / eum_host_aka_vector_wipe().
 *
 * Errors: ::EUM_ERR_INVALID_ARG, ::EUM_ERR_CRYPTO (AES failed, or an AUTS whose MAC-S does
 * not verify), ::EUM_ERR_PARSE (a malformed AUTHENTICATE response).
 */
#ifndef EUM_HOST_AKA_H
#define EUM_HOST_AKA_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief Algorithms, numbered as TCA AlgoParameter.algorithmID. */
enum eum_host_aka_algo {
	EUM_HOST_AKA_MILENAGE = 1, /**< 3GPP TS 35.206 */
	EUM_HOST_AKA_XOR = 3       /**< 3GPP TS 34.108 §8.1.2 test algorithm */
};

/** \brief The subscriber's key material as the network (HSS/AuC) holds it. */
struct eum_host_aka_key {
	uint8_t algo;     /**< ::eum_host_aka_algo */
	uint8_t res_len;  /**< RES length in bytes: 8 for Milenage; 4..16 for the test algorithm */
	uint8_t k[16];    /**< subscriber key K */
	uint8_t opc[16];  /**< Milenage OPc (unused by the test algorithm) */
	uint8_t r[5];     /**< Milenage rotation constants r1..r5 in bits (TS 35.206 §4.1; default 64 0 32 64 96) */
	uint8_t c[5][16]; /**< Milenage XOR constants c1..c5 (default 0, ..01, ..02, ..04, ..08) */
};

/** \brief One authentication vector (TS 33.102 §6.3.2) with its GSM conversions (§6.8.1.2). */
struct eum_host_aka_vector {
	uint8_t rand[16];
	uint8_t autn[16]; /**< (SQN xor AK) || AMF || MAC-A */
	uint8_t res[16];  /**< expected RES (XRES), res_len bytes */
	size_t res_len;
	uint8_t ck[16];
	uint8_t ik[16];
	uint8_t kc[8];   /**< c3(CK, IK) */
	uint8_t sres[4]; /**< c2(XRES) */
};

/** \brief Every output of the algorithm for one RAND / SQN / AMF (for known-answer tests). */
struct eum_host_aka_outputs {
	uint8_t mac_a[8]; /**< f1 */
	uint8_t mac_s[8]; /**< f1* (the test algorithm: f1 over the same inputs) */
	uint8_t res[16];  /**< f2, res_len bytes significant */
	uint8_t ck[16];   /**< f3 */
	uint8_t ik[16];   /**< f4 */
	uint8_t ak[6];    /**< f5 */
	uint8_t ak_s[6];  /**< f5* (the test algorithm: f5) */
};

/** \brief A card's answer to AUTHENTICATE in the 3G context (TS 31.102 §7.1.2.1). */
struct eum_host_aka_response {
	int sync_failure; /**< 1: DC (synchronisation failure, auts valid); 0: DB (success) */
	uint8_t res[16];
	size_t res_len;
	uint8_t ck[16];
	uint8_t ik[16];
	int has_kc; /**< the card sent Kc (service n27 GSM access) */
	uint8_t kc[8];
	uint8_t auts[14];
};

/**
 * \brief Milenage key material; OPc derived from OP (TS 35.206 §4.1) or taken as given.
 * \param key receives the key (default constants).
 * \param k K (16 bytes).
 * \param op OP, or OPc when \p op_is_opc is non-zero (16 bytes).
 * \param op_is_opc 0: \p op is OP; 1: it is OPc.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_aka_key_milenage(struct eum_host_aka_key *key, const uint8_t k[16], const uint8_t op[16],
                                      int op_is_opc);

/**
 * \brief Test-algorithm key material.
 * \param key receives the key.
 * \param k K (16 bytes).
 * \param res_len RES length in bytes, 4..16 (the TS.48 profiles: 16).
 * \return ::EUM_OK or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_aka_key_xor(struct eum_host_aka_key *key, const uint8_t k[16], size_t res_len);

/**
 * \brief Run the algorithm's functions f1..f5, f1*, f5* on one input.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_aka_functions(const struct eum_host_aka_key *key, const uint8_t rand[16], const uint8_t sqn[6],
                                   const uint8_t amf[2], struct eum_host_aka_outputs *out);

/**
 * \brief Build an authentication vector (TS 33.102 §6.3.2): AUTN, XRES, CK, IK, Kc, SRES.
 * \param key the subscriber's key.
 * \param rand the challenge (16 bytes).
 * \param sqn the sequence number to send (48 bits, big-endian).
 * \param amf the authentication management field.
 * \param v receives the vector.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_aka_generate(const struct eum_host_aka_key *key, const uint8_t rand[16], const uint8_t sqn[6],
                                  const uint8_t amf[2], struct eum_host_aka_vector *v);

/**
 * \brief Verify an AUTS (TS 33.102 §6.3.5) and recover the card's SQN_MS.
 * \param key the subscriber's key.
 * \param rand the RAND of the refused challenge.
 * \param auts the card's AUTS: (SQN_MS xor AK*) || MAC-S, MAC-S over AMF 0000.
 * \param sqn_ms receives SQN_MS (also when MAC-S fails, for diagnostics).
 * \return ::EUM_OK when MAC-S verifies, ::EUM_ERR_CRYPTO when not, ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_aka_resync(const struct eum_host_aka_key *key, const uint8_t rand[16], const uint8_t auts[14],
                                uint8_t sqn_ms[6]);

/**
 * \brief Parse the response data of AUTHENTICATE in the 3G context:
 *        DB L RES 10 CK 10 IK [08 Kc], or DC 0E AUTS.
 * \return ::EUM_OK, ::EUM_ERR_PARSE or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_aka_parse_response(const uint8_t *data, size_t len, struct eum_host_aka_response *r);

/** \brief Wipe key material. */
EUM_API void eum_host_aka_key_wipe(struct eum_host_aka_key *key);

/** \brief Wipe a vector. */
EUM_API void eum_host_aka_vector_wipe(struct eum_host_aka_vector *v);

#ifdef __cplusplus
}
#endif

#endif
