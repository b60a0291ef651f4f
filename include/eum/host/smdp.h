/**
 * \file smdp.h
 * \brief libeum-host: the SM-DP side of SGP.02 ES8 EstablishISDPKeySet, scenario #3 (ECKA-EG).
 *
 * Builds what the SM-DP sends in the second STORE DATA (DGI 3A02: the A6 CRT, the
 * ephemeral key ePK.DP.ECKA and the SM-DP's signature), derives the ISD-P's SCP03 keys the
 * card will derive, and checks the card's receipt. Independent of the card's code on purpose.
 *
 * Typical use (the first STORE DATA, DGI 3A01 = the SM-DP certificate, answered by 85 10 RC):
 * \code
 * eum_host_smdp_crt crt;
 * eum_host_smdp_crt_default(&crt);
 * eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, rng, rng_ctx, esk, epk);
 * eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, sk_dp_ecdsa, &crt, epk, 0, rc, 16, rng, rng_ctx,
 *                          data, sizeof(data), &n);
 * // send 80 E2 89 01 Lc data, receive [85 L DR] 86 10 receipt 90 00
 * eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, pk_ecasd, &crt, NULL, 0, EUM_HOST_SMDP_RECEIPT_CMAC,
 *                      rng, rng_ctx, resp, resp_len, &keys);
 * eum_host_smdp_keys_wipe(&keys);  // after storing them
 * \endcode
 *
 * Keys are bytes: public keys 04||X||Y (65), private scalars (32), signatures raw r||s (64).
 * All buffers are borrowed for the call only; the caller wipes esk and the keys when done.
 */
#ifndef EUM_HOST_SMDP_H
#define EUM_HOST_SMDP_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** GP key parameter references (the F0 byte of a 7F49 key). */
#define EUM_HOST_SMDP_CURVE_P256 0x00
/** brainpoolP256r1 */
#define EUM_HOST_SMDP_CURVE_BP256R1 0x03

/** \brief Receipt formulas seen in public SM-DPs (the SGP.02 table itself is not public).
 *  CMAC = AES-CMAC(receipt key, A6 CRT || [85 L DR]) (whty, default);
 *  NJIWA_PREPAD = the same input padded with 80 00.. to a block multiple first (njiwa). */
typedef enum eum_host_smdp_receipt {
	EUM_HOST_SMDP_RECEIPT_CMAC = 0,
	EUM_HOST_SMDP_RECEIPT_NJIWA_PREPAD = 1,
	EUM_HOST_SMDP_RECEIPT_NUM
} eum_host_smdp_receipt;

/** \brief Contents of the A6 control reference template. */
typedef struct eum_host_smdp_crt {
	uint8_t params;             /**< 90 byte 2: 01/02 (DR)/04 (HostID+SDIN)/08 (certificate) bits */
	uint8_t key_usage;          /**< 95: 10 = three keys (ENC, MAC, DEK), 5C = one base key */
	uint8_t kid;                /**< 82: first key identifier */
	uint8_t kvn;                /**< 83: key version number */
	int key_access;             /**< 96 value, or -1 to leave 96 out */
	int send_seq_counter;       /**< 1: send 91 (empty when seq_counter_len is 0) */
	const uint8_t *seq_counter; /**< 91 value (0, 2, 3, 5 or 8 bytes) */
	size_t seq_counter_len;
	const uint8_t *sdin; /**< 45 value, sent only with params bit 04 */
	size_t sdin_len;
	const uint8_t *host_id; /**< 84 value, sent only with params bit 04 */
	size_t host_id_len;
} eum_host_smdp_crt;

/** \brief Derived key set. */
typedef struct eum_host_smdp_keys {
	uint8_t nkeys;       /**< 3 or 1 */
	uint8_t key[3][16];  /**< Key-ENC, Key-MAC, Key-DEK (or key[0] = the one base key) */
	uint8_t receipt[16]; /**< the receipt the card must send */
} eum_host_smdp_keys;

/**
 * \brief Fill \p crt with the values of the public whty SM-DP: params 09, three AES-128 keys,
 *        KID 01, KVN 30, empty 91, no 96.
 * \param crt the template to fill; must not be NULL.
 */
EUM_API void eum_host_smdp_crt_default(eum_host_smdp_crt *crt);

/**
 * \brief Encode the A6 CRT: 90 02 03 params, 95, [96], 80 01 88, 81 01 10, 82, 83, [91], [45, 84].
 * \param crt contents.
 * \param out buffer for the TLV; \param cap its capacity; \param out_len receives the length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_smdp_build_crt(const eum_host_smdp_crt *crt, uint8_t *out, size_t cap, size_t *out_len);

/**
 * \brief Generate the ephemeral key pair eSK.DP.ECKA / ePK.DP.ECKA.
 * \param curve the curve of the card's ECASD key.
 * \param rng randomness (eum_rng_fn semantics); \param rng_ctx its context.
 * \param esk receives the 32-byte private scalar (the caller wipes it after eum_host_smdp_finish()).
 * \param epk receives the 65-byte public point.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smdp_gen_epk(uint8_t curve, eum_rng_fn rng, void *rng_ctx, uint8_t esk[32], uint8_t epk[65]);

/**
 * \brief Build the data field of the second STORE DATA: DGI 3A02 L A6-CRT, 7F49 L ePK, 5F37 40 signature,
 *        where the signature by SK.DP.ECDSA covers 3A02 L A6-CRT || 7F49 L ePK || 00 85 L RC.
 *        DGI lengths are one byte below FF, else FF xx xx.
 * \param curve curve of the SM-DP's ECDSA key and of \p epk.
 * \param sk_dp_ecdsa SK.DP.ECDSA (32 bytes).
 * \param crt the CRT contents.
 * \param epk ePK.DP.ECKA (65 bytes).
 * \param epk_nested 0: 7F49 holds the bare point (whty); 1: B0 point + F0 curve (njiwa).
 * \param rc the card's RC from the 85 answer to DGI 3A01; \param rc_len its length (at most 255).
 * \param rng randomness for blinding only (RFC 6979 signatures); \param rng_ctx its context.
 * \param out buffer; \param cap its capacity; \param out_len receives the length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smdp_build_3a02(uint8_t curve, const uint8_t sk_dp_ecdsa[32], const eum_host_smdp_crt *crt,
                                     const uint8_t epk[65], int epk_nested, const uint8_t *rc, size_t rc_len,
                                     eum_rng_fn rng, void *rng_ctx, uint8_t *out, size_t cap, size_t *out_len);

/**
 * \brief Derive what the card derives: ShS = x(eSK * PK.ECASD.ECKA), KeyData = X9.63-KDF-SHA256(ShS,
 *        SharedInfo = key usage || 88 || 10 || [DR] || [L HostID || [L SIN || SIN || L SDIN || SDIN]]),
 *        receipt key = KeyData[0..15], then the keys, and the expected receipt.
 * \param curve curve of the ECASD key.
 * \param esk eSK.DP.ECKA; \param pk_ecasd PK.ECASD.ECKA from CERT.ECASD.ECKA (65 bytes).
 * \param crt the CRT that was sent.
 * \param dr the card's DR, or NULL when the CRT did not ask for one; \param dr_len its length.
 * \param sin the card's SIN for params bit 04, or NULL; \param sin_len its length.
 * \param variant receipt formula.
 * \param rng blinding only; \param rng_ctx its context.
 * \param out receives the keys.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smdp_derive(uint8_t curve, const uint8_t esk[32], const uint8_t pk_ecasd[65],
                                 const eum_host_smdp_crt *crt, const uint8_t *dr, size_t dr_len, const uint8_t *sin,
                                 size_t sin_len, eum_host_smdp_receipt variant, eum_rng_fn rng, void *rng_ctx,
                                 eum_host_smdp_keys *out);

/**
 * \brief Parse the card's answer to DGI 3A02 ([85 L DR] 86 10 receipt, without SW), derive the keys and
 *        check the receipt in constant time.
 * \param resp the response data; \param resp_len its length.
 * \return ::EUM_OK (keys in \p out), ::EUM_ERR_PARSE (layout, or DR present/absent against the CRT),
 *         ::EUM_ERR_CRYPTO (receipt mismatch; \p out is wiped) or ::EUM_ERR_INVALID_ARG.
 * Other parameters as eum_host_smdp_derive().
 */
EUM_API int eum_host_smdp_finish(uint8_t curve, const uint8_t esk[32], const uint8_t pk_ecasd[65],
                                 const eum_host_smdp_crt *crt, const uint8_t *sin, size_t sin_len,
                                 eum_host_smdp_receipt variant, eum_rng_fn rng, void *rng_ctx, const uint8_t *resp,
                                 size_t resp_len, eum_host_smdp_keys *out);

/** \brief Wipe a key set. \param keys may be NULL. */
EUM_API void eum_host_smdp_keys_wipe(eum_host_smdp_keys *keys);

/* ---- EstablishISDPKeySet step 1 (DGI 3A01) ------------------------------------------------------- */

/**
 * \brief Build the data field of the first STORE DATA: DGI 3A01 L CERT.DP.ECDSA (the 7F21 TLV as given).
 *        Sent as `80 E2 09 00 Lc data` (more blocks follow, response expected: the card answers 85 10 RC).
 * \param cert the SM-DP certificate (7F21 ...); \param cert_len its length (at most 0xFFFF).
 * \param out buffer; \param cap its capacity; \param out_len receives the length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_smdp_build_3a01(const uint8_t *cert, size_t cert_len, uint8_t *out, size_t cap, size_t *out_len);

/**
 * \brief Take the RC out of the card's answer to DGI 3A01 (response data `85 L RC`, without SW).
 * \param resp the response data; \param resp_len its length.
 * \param rc receives the RC; \param cap its capacity; \param rc_len receives its length.
 * \return ::EUM_OK, ::EUM_ERR_PARSE, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_smdp_parse_rc(const uint8_t *resp, size_t resp_len, uint8_t *rc, size_t cap, size_t *rc_len);

/* ---- SCP03t: the profile download (SGP.02 §4.1.3.3; digest sgp02-euicc.md §8.2, scp03.md §6) ---------- */

/** \brief SCP03t command and answer tags. */
#define EUM_HOST_SCP03T_TAG_INIT_UPDATE 0x84
/** \brief EXTERNAL AUTHENTICATE TLV tag. */
#define EUM_HOST_SCP03T_TAG_EXT_AUTH 0x85
/** \brief Profile package segment TLV tag. */
#define EUM_HOST_SCP03T_TAG_SEGMENT 0x86

/** \brief R-ENC ICV of the card's 86 answer: GP (counter block with first byte 80, default) or the command ICV. */
#define EUM_HOST_SCP03T_RENC_ICV_GP 0
/** \brief whty's decoder: the command's ICV. */
#define EUM_HOST_SCP03T_RENC_ICV_CMD 1
/** \brief R-MAC input of the card's 86 answer: MCV || 86 || L || ct (whty, default). */
#define EUM_HOST_SCP03T_RMAC_TLV 0
/** \brief The APDU rule: MCV || ct || 90 00. */
#define EUM_HOST_SCP03T_RMAC_DATA_SW 1

/**
 * \brief SM-DP side of one SCP03t session (S8, security level 33, AES keys of the ISD-P key set).
 *
 * Caller-allocated; eum_host_scp03t_init() sets the keys, eum_host_scp03t_free() wipes everything.
 * Fields are readable for tests; change them only through the functions (except the two variant fields).
 */
typedef struct eum_host_scp03t {
	uint8_t state;   /**< 0 keys set, 1 84 built, 2 session keys known, 3 open (85 built) */
	uint8_t kvn;     /**< key version number sent in 84 (00 = the card's first key set) */
	uint8_t kid;     /**< key identifier sent in 84 */
	uint8_t key_len; /**< 16, 24 or 32 */
	uint8_t key_enc[32], key_mac[32];
	uint8_t s_enc[32], s_mac[32], s_rmac[32];
	uint8_t mcv[16];
	uint64_t counter; /**< encryption counter: 1 for the first 86 */
	uint8_t host_challenge[8], card_challenge[8];
	uint32_t seq_counter; /**< the card's sequence counter (from its answer or predicted) */
	uint8_t renc_icv;     /**< EUM_HOST_SCP03T_RENC_ICV_* (default GP) */
	uint8_t rmac_input;   /**< EUM_HOST_SCP03T_RMAC_* (default TLV) */
	uint16_t last_error;  /**< 9F4x 01 xx answer seen: (4x << 8) | xx, else 0 */
} eum_host_scp03t;

/**
 * \brief Prepare a session with the ISD-P's static keys (from EstablishISDPKeySet).
 * \param ctx context; \param kvn key version (00 = any); \param kid key identifier to send (00 as whty).
 * \param key_enc Key-ENC; \param key_mac Key-MAC; \param key_len 16, 24 or 32 (both copied).
 * \return ::EUM_OK or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_scp03t_init(eum_host_scp03t *ctx, uint8_t kvn, uint8_t kid, const uint8_t *key_enc,
                                 const uint8_t *key_mac, size_t key_len);

/** \brief Wipe a context. \param ctx may be NULL. */
EUM_API void eum_host_scp03t_free(eum_host_scp03t *ctx);

/**
 * \brief Build `84 0A KVN KID host_challenge`.
 * \param ctx context after init; \param host_challenge 8 bytes.
 * \param out, cap, out_len output TLV (12 bytes).
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_STATE or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_scp03t_build_84(eum_host_scp03t *ctx, const uint8_t host_challenge[8], uint8_t *out, size_t cap,
                                     size_t *out_len);

/**
 * \brief Check the card's `84 20` answer (div data, KVN, 03, i = 70, card challenge, card cryptogram,
 *        sequence counter), derive the session keys.
 * \param ctx context after eum_host_scp03t_build_84(); \param tlv the answer TLV; \param len its length.
 * \param sd_aid the ISD-P AID: when given, the pseudo-random card challenge is checked; \param aid_len its length.
 * \return ::EUM_OK; ::EUM_ERR_STATE (a 9F44 answer: see last_error, or out of order); ::EUM_ERR_PARSE;
 *         ::EUM_ERR_CRYPTO (card cryptogram or challenge wrong).
 */
EUM_API int eum_host_scp03t_check_84(eum_host_scp03t *ctx, const uint8_t *tlv, size_t len, const uint8_t *sd_aid,
                                     size_t aid_len);

/**
 * \brief Predict the card challenge from the sequence counter the card will use (its last value + 1) and the
 *        ISD-P AID, and derive the session keys without waiting for the 84 answer (whty sends 84 and 85 in one
 *        script). Check the answer afterwards with eum_host_scp03t_check_84().
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_STATE or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_scp03t_predict(eum_host_scp03t *ctx, uint32_t seq_counter, const uint8_t *sd_aid, size_t aid_len);

/**
 * \brief Build `85 11 33 host_cryptogram C-MAC` (the MAC chain starts here).
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_STATE or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_scp03t_build_85(eum_host_scp03t *ctx, uint8_t *out, size_t cap, size_t *out_len);

/**
 * \brief Protect one chunk of the Profile Package as `86 L ct C-MAC` (counter + 1, ICV = AES(S-ENC, counter),
 *        padding 80 00.., C-MAC over MCV || 86 || L || ct).
 * \param plain the chunk (1 byte or more); \param len its length.
 * \param out, cap, out_len the TLV (len + 29 bytes always suffice).
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_STATE, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_scp03t_build_86(eum_host_scp03t *ctx, const uint8_t *plain, size_t len, uint8_t *out, size_t cap,
                                     size_t *out_len);

/**
 * \brief Packetiser: the next segment of a DER Profile Package, `seg` plain bytes from *offset (fewer for the
 *        last), as an 86 TLV; *offset advances.
 * \return as eum_host_scp03t_build_86(); ::EUM_ERR_INVALID_ARG when nothing is left or seg is 0.
 */
EUM_API int eum_host_scp03t_next_segment(eum_host_scp03t *ctx, const uint8_t *der, size_t der_len, size_t seg,
                                         size_t *offset, uint8_t *out, size_t cap, size_t *out_len);

/**
 * \brief Check the card's answer to the last 86: `86 00` (nothing to report: *out_len = 0) or
 *        `86 L R-ENC(EUICCResponse) R-MAC` (the DER EUICCResponse goes to out).
 * \return ::EUM_OK; ::EUM_ERR_STATE (a 9F4x answer: see last_error); ::EUM_ERR_PARSE; ::EUM_ERR_CRYPTO (R-MAC
 *         or padding wrong); ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_scp03t_check_86(eum_host_scp03t *ctx, const uint8_t *tlv, size_t len, uint8_t *out, size_t cap,
                                     size_t *out_len);

/* ---- ES8 over HTTPS (SGP.02 with GP Amd B; spec digest scp81-https.md §4.3, §5.2, §5.3): smdp_https.c ------- */

/**
 * \brief Writer of one expanded remote command script in the indefinite form `AE 80 … 00 00` (TS 102 226 §5.2),
 *        the body of an HTTPS 200 (eum_host_https_queue() with the ISD-P AID as X-Admin-Targeted-Application).
 *
 * The SM-DP side of a download over HTTPS:
 * \code
 * eum_host_smdp_https_keyest1(cert, cert_len, s, sizeof(s), &n);        // queue(s, n, isdp_aid) -> AF: 23 {85 10 RC
 * 9000} eum_host_af_get(af, af_len, 0, &it);  eum_host_smdp_parse_rc(it.val, it.val_len - 2, rc, 16, &rc_len);
 * eum_host_smdp_https_keyest2(data_3a02, n3, s, sizeof(s), &n);         // -> AF: 23 {[85 DR] 86 10 receipt 9000}
 * eum_host_smdp_https_scp03t_open(&t, hc, isdp_aid, 16, 1, s, sizeof(s), &n);  // 84 + 85 -> AF: 84 20 …, 85 00
 * while (off < der_len) {
 *     eum_host_smdp_https_segments(&t, der, der_len, 1536, 4, &off, after, s, sizeof(s), &n, &k);
 *     // queue, get the AF, then:
 *     eum_host_smdp_https_check_segments(after, k, af, af_len, resp, sizeof(resp), &resp_len, &final);
 * }
 * \endcode
 */
typedef struct eum_host_xscript {
	uint8_t *buf; /**< the caller's buffer */
	size_t cap;   /**< its capacity */
	size_t len;   /**< bytes written */
	int err;      /**< first error (sticky) */
} eum_host_xscript;

/** \brief Start a script (writes `AE 80`). \param x writer. \param buf output; \param cap its capacity. */
EUM_API void eum_host_xscript_begin(eum_host_xscript *x, uint8_t *buf, size_t cap);
/** \brief Append `22 L C-APDU` (BER length). \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL. */
EUM_API int eum_host_xscript_apdu(eum_host_xscript *x, const uint8_t *capdu, size_t len);
/** \brief Append an encoded TLV as it is (SCP03t 84 / 85 / 86). \return as eum_host_xscript_apdu(). */
EUM_API int eum_host_xscript_tlv(eum_host_xscript *x, const uint8_t *tlv, size_t len);
/**
 * \brief Close the script (`00 00`).
 * \param x writer. \param len receives the script length.
 * \return ::EUM_OK or the first error met since begin.
 */
EUM_API int eum_host_xscript_end(eum_host_xscript *x, size_t *len);

/**
 * \brief EstablishISDPKeySet step 1 as an HTTPS script for the ISD-P: `AE 80 22 L {80 E2 09 00 Lc <3A01 cert>
 *        00} 00 00` (the script runs on the ISD-P named by X-Admin-Targeted-Application, no INSTALL [for
 *        personalization] needed). The answer is `23 {85 10 RC 90 00}`.
 * \param cert CERT.DP.ECDSA; \param cert_len its length (the 3A01 data must fit one short APDU).
 * \param out receives the script; \param cap its capacity; \param len its length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_smdp_https_keyest1(const uint8_t *cert, size_t cert_len, uint8_t *out, size_t cap, size_t *len);

/**
 * \brief EstablishISDPKeySet step 2: `AE 80 22 L {80 E2 89 01 Lc <data> 00} 00 00` with the data of
 *        eum_host_smdp_build_3a02(). The answer is `23 {[85 L DR] 86 10 receipt 90 00}`.
 * \return as eum_host_smdp_https_keyest1().
 */
EUM_API int eum_host_smdp_https_keyest2(const uint8_t *data, size_t data_len, uint8_t *out, size_t cap, size_t *len);

/**
 * \brief Open SCP03t: `AE 80 84 … [85 …] 00 00`. With \p predicted_seq non-zero the card challenge is predicted
 *        from that sequence counter (eum_host_scp03t_predict(), as whty) and 85 follows in the same script;
 *        with 0 only 84 is sent: check the answer with eum_host_scp03t_check_84(), then send 85 with
 *        eum_host_scp03t_build_85() in the next script.
 * \param t context after eum_host_scp03t_init(). \param host_challenge 8 bytes.
 * \param isdp_aid the ISD-P AID (for the prediction); \param aid_len its length.
 * \param predicted_seq the sequence counter the card will use, or 0.
 * \param out receives the script; \param cap its capacity; \param len its length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_STATE, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smdp_https_scp03t_open(eum_host_scp03t *t, const uint8_t host_challenge[8],
                                            const uint8_t *isdp_aid, size_t aid_len, uint32_t predicted_seq,
                                            uint8_t *out, size_t cap, size_t *len);

/**
 * \brief The next download script: `AE 80 (86 …){1..max_segments} 00 00`, segments of \p seg plain bytes of the
 *        Profile Package from *offset (the last one shorter), as many as \p max_segments and \p cap allow (at
 *        least one). Over HTTPS a segment may be as large as the card's body buffer allows (e.g. 1024-2048).
 * \param t open SCP03t context (85 built). \param der the Profile Package; \param der_len its length.
 * \param seg segment size (1..8000). \param max_segments most segments in this script.
 * \param offset where the next segment starts; advanced.
 * \param after receives the context after each segment (max_segments entries): the card's answer to segment i
 *        is checked against after[i] (eum_host_smdp_https_check_segments()); wipe them with
 *        eum_host_scp03t_free() when done.
 * \param out receives the script; \param cap its capacity; \param len its length.
 * \param n_segments receives how many segments the script carries.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG (nothing left, seg 0), ::EUM_ERR_STATE, ::EUM_ERR_BUFFER_TOO_SMALL (not
 *         even one segment fits) or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smdp_https_segments(eum_host_scp03t *t, const uint8_t *der, size_t der_len, size_t seg,
                                         size_t max_segments, size_t *offset, eum_host_scp03t *after, uint8_t *out,
                                         size_t cap, size_t *len, size_t *n_segments);

/**
 * \brief Check the card's answer (AF body) to a download script: one `86` per segment (`86 00`, or the
 *        R-MAC-protected EUICCResponse as the last answer, possibly early), or a `9F4x 01 xx` error.
 * \param after the contexts recorded by eum_host_smdp_https_segments(); \param n_segments their number.
 * \param af the card's response script; \param af_len its length.
 * \param resp receives the DER EUICCResponse when there is one; \param cap its capacity;
 * \param resp_len receives its length (0: none yet). \param final set to 1 when the EUICCResponse came.
 * \return ::EUM_OK, ::EUM_ERR_STATE (a 9F4x answer: the code is in after[i].last_error, the session is over),
 *         ::EUM_ERR_PARSE (not an AF script, more answers than segments, fewer without an EUICCResponse),
 *         ::EUM_ERR_CRYPTO (R-MAC), ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_smdp_https_check_segments(eum_host_scp03t *after, size_t n_segments, const uint8_t *af,
                                               size_t af_len, uint8_t *resp, size_t cap, size_t *resp_len, int *final);

/** \brief One TLV of a response script (`AF 80 … 00 00` or `AB L …`). */
typedef struct eum_host_af_item {
	uint16_t tag;       /**< 23 (R-APDU), 84 / 85 / 86 (SCP03t), 9F44-9F46 (SCP03t errors), 80, 90, … */
	const uint8_t *tlv; /**< the whole TLV (what eum_host_scp03t_check_84/_86() take) */
	size_t tlv_len;     /**< its length */
	const uint8_t *val; /**< its value */
	size_t val_len;     /**< its length */
	uint16_t sw;        /**< for 23: the status word (last two bytes of the value), else 0 */
} eum_host_af_item;

/**
 * \brief The index-th TLV of a response script (0-based; a leading `80 01 nn` counts like any TLV).
 * \return ::EUM_OK, ::EUM_ERR_NOT_FOUND (fewer TLVs), ::EUM_ERR_PARSE (malformed; a 23 shorter than an SW) or
 *         ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_af_get(const uint8_t *af, size_t len, size_t index, eum_host_af_item *out);

/** \brief Number of TLVs of a response script. \return ::EUM_OK, ::EUM_ERR_PARSE or ::EUM_ERR_INVALID_ARG. */
EUM_API int eum_host_af_count(const uint8_t *af, size_t len, size_t *n);

/**
 * \brief The first SCP03t error of a response script: `(4x << 8) | xx` for `9F4x 01 xx`, 0 when there is none
 *        (or the script is malformed).
 */
EUM_API uint16_t eum_host_af_scp03t_error(const uint8_t *af, size_t len);

/* ---- EUICCResponse (PE_Definitions 3.3.1; digest profile-package.md §5) ---------------------------- */

/** \brief Largest number of PEStatus entries decoded. */
#define EUM_HOST_EUICC_RESPONSE_MAX 32

/** \brief One PEStatus (-1 = component absent). */
typedef struct eum_host_pe_status {
	long status;
	long identification;
	long additional_information;
	long offset;
} eum_host_pe_status;

/** \brief A decoded EUICCResponse. */
typedef struct eum_host_euicc_response {
	eum_host_pe_status st[EUM_HOST_EUICC_RESPONSE_MAX];
	size_t n_st;
	int aborted;             /**< profileInstallationAborted present */
	char status_message[65]; /**< statusMessage (UTF-8, NUL-terminated), empty when absent */
} eum_host_euicc_response;

/**
 * \brief Decode `30 { A0 { 30 {80 status [81 id] [82 info] [83 offset]} ... } [81 00] [82 message] }`.
 * \return ::EUM_OK, ::EUM_ERR_PARSE, ::EUM_ERR_UNSUPPORTED (more than EUM_HOST_EUICC_RESPONSE_MAX statuses)
 *         or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_euicc_response_decode(const uint8_t *der, size_t len, eum_host_euicc_response *out);

/** \brief 1 when the response reports success: not aborted and every status is ok (0). \param r decoded response. */
EUM_API int eum_host_euicc_response_ok(const eum_host_euicc_response *r);

#ifdef __cplusplus
}
#endif

#endif
