/**
 * \file scp03.h
 * \brief libeum-host: the off-card side of GlobalPlatform SCP03 (GPC v2.3 Amendment D), S8 mode.
 *
 * Opens a secure channel session with a security domain (INITIALIZE UPDATE,
 * card cryptogram check, EXTERNAL AUTHENTICATE) and then protects command
 * APDUs and checks response APDUs at security level 00, 01, 03, 11, 13 or 33.
 * The library sends nothing itself: the caller carries the APDUs to the card.
 *
 * Typical use:
 * \code
 * eum_host_scp03 sc;
 * eum_host_scp03_init(&sc);
 * eum_host_scp03_set_keys(&sc, 0x30, enc, mac, dek, 16);
 * eum_host_scp03_initialize_update(&sc, 0, host_challenge, apdu, sizeof(apdu), &n);
 * // send apdu, receive data + 9000
 * eum_host_scp03_check_init_update_response(&sc, data, data_len);
 * eum_host_scp03_external_authenticate(&sc, 0x33, apdu, sizeof(apdu), &n);
 * // send apdu, expect 9000
 * eum_host_scp03_wrap_command(&sc, plain, plain_len, apdu, sizeof(apdu), &n);
 * // send apdu, receive rapdu (data + SW)
 * eum_host_scp03_unwrap_response(&sc, rapdu, rapdu_len, out, sizeof(out), &out_len);
 * eum_host_scp03_free(&sc);
 * \endcode
 *
 * Ownership: the context is allocated by the caller (stack or heap) and holds
 * copies of the static and session keys; eum_host_scp03_free() wipes it. All
 * buffers passed to the functions are borrowed for the duration of the call.
 * A context is used by one thread at a time.
 *
 * Errors: ::EUM_ERR_INVALID_ARG (bad argument or APDU), ::EUM_ERR_STATE (call
 * out of order), ::EUM_ERR_BUFFER_TOO_SMALL, ::EUM_ERR_PARSE (malformed card
 * answer), ::EUM_ERR_CRYPTO (a cryptogram or R-MAC did not verify, or a
 * primitive failed). After ::EUM_ERR_CRYPTO from a response check the session
 * must be considered closed.
 */
#ifndef EUM_HOST_SCP03_H
#define EUM_HOST_SCP03_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief Largest static key (AES-256). */
#define EUM_HOST_SCP03_KEY_MAX 32
/** \brief Challenge, cryptogram and MAC length in S8 mode. */
#define EUM_HOST_SCP03_S8 8

/** \brief Security level bits (EXTERNAL AUTHENTICATE P1, Amd D §7.1.2). */
#define EUM_HOST_SCP03_SL_CMAC 0x01
#define EUM_HOST_SCP03_SL_CDEC 0x02
#define EUM_HOST_SCP03_SL_RMAC 0x10
#define EUM_HOST_SCP03_SL_RENC 0x20

/**
 * \brief Host-side SCP03 context.
 *
 * Caller-allocated; initialise with eum_host_scp03_init(). The fields are
 * readable (tests compare the session keys with published vectors) but must
 * only be changed through the functions below.
 */
typedef struct eum_host_scp03 {
	uint8_t state;       /**< 0 none, 1 keys set, 2 INITIALIZE UPDATE sent, 3 card checked, 4 open */
	uint8_t kvn;         /**< key version requested (00 = card's choice) */
	uint8_t kvn_used;    /**< key version the card answered with */
	uint8_t key_len;     /**< 16, 24 or 32 */
	uint8_t i_param;     /**< the card's i parameter */
	uint8_t sl;          /**< security level of the open session */
	uint8_t channel;     /**< logical channel of INITIALIZE UPDATE / EXTERNAL AUTHENTICATE */
	uint8_t rsp_secured; /**< the last wrapped command expects a protected response */
	uint8_t key_enc[EUM_HOST_SCP03_KEY_MAX];
	uint8_t key_mac[EUM_HOST_SCP03_KEY_MAX];
	uint8_t key_dek[EUM_HOST_SCP03_KEY_MAX];
	uint8_t s_enc[EUM_HOST_SCP03_KEY_MAX];  /**< session S-ENC */
	uint8_t s_mac[EUM_HOST_SCP03_KEY_MAX];  /**< session S-MAC */
	uint8_t s_rmac[EUM_HOST_SCP03_KEY_MAX]; /**< session S-RMAC */
	uint8_t mcv[16];                        /**< MAC chaining value */
	uint64_t counter;                       /**< encryption counter */
	uint8_t host_challenge[EUM_HOST_SCP03_S8];
	uint8_t card_challenge[EUM_HOST_SCP03_S8];
	uint8_t host_cryptogram[EUM_HOST_SCP03_S8];
	uint32_t seq_counter; /**< the card's sequence counter (pseudo-random mode), else 0 */
	uint8_t sd_aid[16];   /**< SD AID for checking a pseudo-random challenge */
	uint8_t sd_aid_len;   /**< 0 = do not check the challenge */
} eum_host_scp03;

/**
 * \brief Initialise (zero) a context.
 * \param ctx context to initialise; must not be NULL.
 */
EUM_API void eum_host_scp03_init(eum_host_scp03 *ctx);

/**
 * \brief Wipe every key and chaining value held by a context.
 * \param ctx context; NULL is accepted. The context may be reused after eum_host_scp03_init().
 */
EUM_API void eum_host_scp03_free(eum_host_scp03 *ctx);

/**
 * \brief Set the static key set (Amd D §4.1.1) used for the next session.
 * \param ctx initialised context.
 * \param kvn key version number to request; 00 lets the card choose.
 * \param key_enc Key-ENC, \p key_len bytes (copied).
 * \param key_mac Key-MAC, \p key_len bytes (copied).
 * \param key_dek Key-DEK, \p key_len bytes (copied), or NULL.
 * \param key_len 16, 24 or 32.
 * \return ::EUM_OK or ::EUM_ERR_INVALID_ARG. Ends any session of \p ctx.
 */
EUM_API int eum_host_scp03_set_keys(eum_host_scp03 *ctx, uint8_t kvn, const uint8_t *key_enc, const uint8_t *key_mac,
                                    const uint8_t *key_dek, size_t key_len);

/**
 * \brief Ask for the pseudo-random card challenge to be checked (Amd D §6.2.2.1).
 * \param ctx context with keys set.
 * \param aid instance AID of the security domain (copied), or NULL to stop checking.
 * \param aid_len 5 to 16 bytes.
 * \return ::EUM_OK or ::EUM_ERR_INVALID_ARG.
 *
 * When set and the card announces a pseudo-random challenge, the challenge
 * must equal KDF(Key-ENC, 02, sequence counter ‖ AID).
 */
EUM_API int eum_host_scp03_set_sd_aid(eum_host_scp03 *ctx, const uint8_t *aid, size_t aid_len);

/**
 * \brief Build INITIALIZE UPDATE (Amd D §7.1.1): `CLA 50 KVN 00 08 host_challenge 00`.
 * \param ctx context with keys set; any open session ends.
 * \param channel logical channel 0-19 (CLA 80-83 or C0-CF).
 * \param host_challenge 8 bytes chosen by the caller (random in real use).
 * \param apdu receives the command APDU (14 bytes).
 * \param cap capacity of \p apdu.
 * \param apdu_len receives the APDU length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_STATE (no keys) or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_scp03_initialize_update(eum_host_scp03 *ctx, uint8_t channel,
                                             const uint8_t host_challenge[EUM_HOST_SCP03_S8], uint8_t *apdu, size_t cap,
                                             size_t *apdu_len);

/**
 * \brief Check the card's answer to INITIALIZE UPDATE and derive the session keys.
 * \param ctx context after eum_host_scp03_initialize_update().
 * \param rsp response data field only (29 or 32 bytes, without SW; the caller checked 9000).
 * \param len length of \p rsp.
 * \return ::EUM_OK; ::EUM_ERR_PARSE (length, SCP id, KVN or i parameter wrong);
 *         ::EUM_ERR_CRYPTO (card cryptogram or pseudo-random challenge wrong);
 *         ::EUM_ERR_STATE. On error the session attempt is abandoned.
 */
EUM_API int eum_host_scp03_check_init_update_response(eum_host_scp03 *ctx, const uint8_t *rsp, size_t len);

/**
 * \brief Build EXTERNAL AUTHENTICATE (Amd D §7.1.2): `84 82 SL 00 10 host_cryptogram C-MAC`.
 * \param ctx context whose INITIALIZE UPDATE response was accepted.
 * \param sl security level: 00, 01, 03, 11, 13 or 33 (R bits only if the card's i allows them).
 * \param apdu receives the command APDU (21 bytes).
 * \param cap capacity of \p apdu.
 * \param apdu_len receives the APDU length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_STATE or ::EUM_ERR_BUFFER_TOO_SMALL.
 *
 * The context then considers the session open; if the card does not answer
 * 9000, call eum_host_scp03_free() or start again with INITIALIZE UPDATE.
 */
EUM_API int eum_host_scp03_external_authenticate(eum_host_scp03 *ctx, uint8_t sl, uint8_t *apdu, size_t cap,
                                                 size_t *apdu_len);

/**
 * \brief Protect one command APDU (Amd D §6.2.4 C-MAC, §6.2.6 C-ENC).
 * \param ctx context with an open session.
 * \param capdu plain short command APDU, ISO cases 1-4 (CLA without the SM bit).
 * \param len length of \p capdu.
 * \param out receives the protected APDU: CLA|SM INS P1 P2 Lc data C-MAC [00];
 *            Le is sent as 00 for cases 2 and 4. May not overlap \p capdu.
 * \param cap capacity of \p out (len + 25 always suffices).
 * \param out_len receives the protected APDU length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG (malformed APDU or Lc over 255 after
 *         protection), ::EUM_ERR_STATE or ::EUM_ERR_BUFFER_TOO_SMALL.
 *
 * Every call advances the MAC chain and the encryption counter, so commands
 * must be sent in the order they were wrapped. At level 00 the APDU is copied.
 */
EUM_API int eum_host_scp03_wrap_command(eum_host_scp03 *ctx, const uint8_t *capdu, size_t len, uint8_t *out, size_t cap,
                                        size_t *out_len);

/**
 * \brief Check and strip the protection of the response to the last wrapped command (Amd D §6.2.5, §6.2.7).
 * \param ctx context with an open session.
 * \param rapdu the response APDU as received: data then SW1 SW2.
 * \param len length of \p rapdu (at least 2).
 * \param out receives the plain response: data then SW1 SW2. May equal \p rapdu.
 * \param cap capacity of \p out (len suffices).
 * \param out_len receives the plain response length.
 * \return ::EUM_OK; ::EUM_ERR_CRYPTO when the R-MAC or the R-ENC padding is
 *         wrong; ::EUM_ERR_PARSE when a protected response is too short;
 *         ::EUM_ERR_STATE; ::EUM_ERR_BUFFER_TOO_SMALL.
 *
 * Error SWs (anything but 9000, 62xx, 63xx) carry no protection and are returned as received.
 */
EUM_API int eum_host_scp03_unwrap_response(eum_host_scp03 *ctx, const uint8_t *rapdu, size_t len, uint8_t *out,
                                           size_t cap, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif /* EUM_HOST_SCP03_H */
