/**
 * \file smsr.h
 * \brief libeum-host: the SM-SR side of SGP.02 ES5 over SMS — builds ES5 commands for the ISD-R
 *        as SCP80 SMS-PP ENVELOPEs, checks their PoRs, opens the card's notifications and builds
 *        their confirmation.
 *
 * It composes the other host modules (scp80.h for the secured packets, sms.h for SMS framing and
 * TS 102 226 scripts) and shares no code with the card. A harness plays the SM-SR like this:
 * \code
 * struct eum_host_smsr sr;
 * struct eum_host_smsr_envelopes env;
 * struct eum_host_smsr_result res;
 * uint8_t apdu[64], work[512];
 * size_t n;
 *
 * eum_host_smsr_init(&sr, &isdr_keys, 0x32, 0x32, isdr_tar);        // KVN 3, AES
 * eum_host_smsr_enable_profile(aid, 16, apdu, sizeof(apdu), &n);
 * eum_host_smsr_script(&sr, (const uint8_t *[]){apdu}, &n, 1, &env);
 * // send env.apdu[0] to the card; the PoR comes in the ENVELOPE response or a SEND SHORT MESSAGE
 * eum_host_smsr_parse_por(&sr, por, por_len, work, sizeof(work), &res);   // res.last_sw == 0x9000
 * // later: FETCH gives a SEND SHORT MESSAGE with the notification
 * struct eum_host_smsr_notification nt;
 * eum_host_smsr_parse_notification(&sr, fetch, fetch_len, &nt);           // nt.type == 0x02
 * eum_host_smsr_confirm(nt.seq, apdu, sizeof(apdu), &n);                   // then script + send
 * \endcode
 *
 * Ownership: struct eum_host_smsr is caller-owned plain data holding key material (wipe it when
 * done); buffers are borrowed for the call; parsed results point into the caller's buffers where
 * stated. No allocation, no global state. Errors: ::EUM_ERR_INVALID_ARG,
 * ::EUM_ERR_BUFFER_TOO_SMALL, ::EUM_ERR_PARSE, ::EUM_ERR_CRYPTO.
 */
#ifndef EUM_HOST_SMSR_H
#define EUM_HOST_SMSR_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"
#include "eum/host/scp80.h"
#include "eum/host/sms.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief Most ENVELOPEs one script is split into. */
#define EUM_HOST_SMSR_ENVELOPES_MAX 4

/** \brief The SM-SR's view of one card's ISD-R. */
struct eum_host_smsr {
	struct eum_host_scp80_keyset keys;      /**< the ISD-R SCP80 key set named by params.kic / params.kid */
	struct eum_host_scp80_params params;    /**< SPI, KIc, KID, TAR; cntr = counter of the last packet built */
	struct eum_host_sms_deliver_params sms; /**< SMS-DELIVER framing (TP-OA = the SM-SR's own address) */
	enum eum_host_sms_script_format format; /**< script format; default expanded definite (AA) */
};

/**
 * \brief Set up an SM-SR for one card.
 * \param s state to fill.
 * \param keys the ISD-R key set (copied).
 * \param kic KIc byte (KVN in b8-b5, algorithm in b4-b1), \param kid KID byte.
 * \param tar the ISD-R TAR (3 bytes, copied).
 *
 * Defaults: SPI 16 19 (counter higher, ciphered, CC; PoR always, with CC, ciphered, in the
 * SMS-DELIVER-REPORT unless it is too long), CNTR 0 (the first script uses 1), SMS framing of
 * eum_host_sms_deliver_params_init(), expanded definite scripts.
 */
EUM_API void eum_host_smsr_init(struct eum_host_smsr *s, const struct eum_host_scp80_keyset *keys, uint8_t kic,
                                uint8_t kid, const uint8_t tar[3]);

/** \brief The ENVELOPE APDUs carrying one command packet. */
struct eum_host_smsr_envelopes {
	size_t n;                                       /**< number of ENVELOPEs */
	size_t len[EUM_HOST_SMSR_ENVELOPES_MAX];        /**< length of each */
	uint8_t apdu[EUM_HOST_SMSR_ENVELOPES_MAX][261]; /**< the ENVELOPE APDUs, in order */
};

/**
 * \brief Build the SMS-PP ENVELOPE(s) of one ES5 script: the C-APDUs as a TS 102 226 script in
 *        an SCP80 command packet with the next counter value.
 * \param s SM-SR state; its counter is incremented.
 * \param apdus C-APDUs (ISO 7816-4 form, Le where a response is wanted), \param lens their
 *        lengths, \param n their number.
 * \param out receives the ENVELOPEs.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_BUFFER_TOO_SMALL (more than
 *         ::EUM_HOST_SMSR_ENVELOPES_MAX ENVELOPEs) or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smsr_script(struct eum_host_smsr *s, const uint8_t *const *apdus, const size_t *lens, size_t n,
                                 struct eum_host_smsr_envelopes *out);

/** \brief A checked PoR of the last script. */
struct eum_host_smsr_result {
	uint8_t status;      /**< TS 102 225 response status (00 = the script ran) */
	unsigned executed;   /**< commands executed */
	uint16_t last_sw;    /**< status word of the last command */
	const uint8_t *data; /**< response data of the last command (points into the work buffer) */
	size_t data_len;     /**< its length */
};

/**
 * \brief Check and open the PoR of the last script built by eum_host_smsr_script().
 * \param s SM-SR state. \param por response packet (RPL … end, after the `02 71 00` UDH).
 * \param len its length. \param work buffer of at least len + 3 bytes; \param work_cap its size.
 * \param out receives the result; out->data points into \p work.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_PARSE or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smsr_parse_por(const struct eum_host_smsr *s, const uint8_t *por, size_t len, uint8_t *work,
                                    size_t work_cap, struct eum_host_smsr_result *out);

/** \brief An SGP.02 §7.8 notification as the SM-SR receives it. */
struct eum_host_smsr_notification {
	uint8_t eid[16];                      /**< tag 4C */
	uint8_t type;                         /**< tag 4D: 01 declaration, 02 change ok, 03 roll-back, 05 fall-back */
	uint16_t seq;                         /**< tag 4E */
	uint8_t aid[16];                      /**< tag 2F: the ISD-P enabled now */
	size_t aid_len;                       /**< its length (0 when absent) */
	int has_imei;                         /**< tag 14 present */
	uint8_t imei[8];                      /**< its value */
	char da[EUM_HOST_SMS_DIGITS_MAX + 1]; /**< where the card sent it (TP-DA digits) */
	uint8_t da_ton_npi;                   /**< its type of address */
};

/**
 * \brief Open a notification: the data of a FETCH response holding the card's SEND SHORT MESSAGE
 *        (one part), with UDH `02 70 00` and an SCP80 command packet secured with the ISD-R key set
 *        (ciphered, 8-byte CC, no counter). The packet is checked by rebuilding it with
 *        eum_host_scp80_build_cmd() from its deciphered content: every byte must match.
 * \param s SM-SR state (its keys and TAR). \param fetch FETCH response data. \param len its length.
 * \param out receives the fields.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_PARSE (not a notification, other TAR or key
 *         set, malformed E1) or ::EUM_ERR_CRYPTO (the packet does not verify).
 */
EUM_API int eum_host_smsr_parse_notification(const struct eum_host_smsr *s, const uint8_t *fetch, size_t len,
                                             struct eum_host_smsr_notification *out);

/** \brief ES5 C-APDUs for the ISD-R (SGP.02 §7). Each returns ::EUM_OK, ::EUM_ERR_INVALID_ARG or
 *         ::EUM_ERR_BUFFER_TOO_SMALL; \p apdu/\p cap/\p len receive the APDU. */

/** \brief CreateISDP (§7.1): INSTALL [for install and make selectable] of ISD-P `…89 <tar> 00`; nvm > 0 adds EF 83. */
EUM_API int eum_host_smsr_create_isdp(const uint8_t tar[3], uint32_t nvm, uint8_t *apdu, size_t cap, size_t *len);
/** \brief EnableProfile (§7.2): STORE DATA `80 E2 88 00` DGI 3A03 `4F <aid>`. */
EUM_API int eum_host_smsr_enable_profile(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len);
/** \brief DisableProfile (§7.3): DGI 3A04. */
EUM_API int eum_host_smsr_disable_profile(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len);
/** \brief SetFallbackAttribute (§7.6): DGI 3A05. */
EUM_API int eum_host_smsr_set_fallback(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len);
/** \brief DeleteProfile (§7.4): DELETE `80 E4 00 40` `4F <aid>` with Le. */
EUM_API int eum_host_smsr_delete_profile(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len);
/**
 * \brief MasterDelete (§7.5): DELETE `80 E4 00 40` `4F <aid> B6 <token data> 9E 10 <token>` with
 *        token = AES-CMAC(token_key, `00 40 Lc'` ‖ 4F… ‖ B6…) (whty; UNCONFIRMED).
 * \param b6 value of the B6 template (42 SIN, 45 SDIN, 5F20 provider id, 93 token id), \param b6_len its length.
 * \param token_key 16-byte key.
 */
EUM_API int eum_host_smsr_master_delete(const uint8_t *aid, size_t aid_len, const uint8_t *b6, size_t b6_len,
                                        const uint8_t token_key[16], uint8_t *apdu, size_t cap, size_t *len);
/** \brief HandleNotificationConfirmation (§7.9): STORE DATA `80 E2 89 00` DGI 3A08 `4E 02 <seq>` with Le. */
EUM_API int eum_host_smsr_confirm(uint16_t seq, uint8_t *apdu, size_t cap, size_t *len);
/** \brief UpdateSMSRAddressingParameters (§7.10): DGI 3A07 `A3 { 81 <TS 23.040 address> }`. */
EUM_API int eum_host_smsr_update_address(const char *digits, uint8_t ton_npi, uint8_t *apdu, size_t cap, size_t *len);
/** \brief Audit (§7.7): GET STATUS `80 F2 40 02` `4F <aid>` (aid_len 0 = all) with Le. */
EUM_API int eum_host_smsr_get_status(const uint8_t *aid, size_t aid_len, uint8_t *apdu, size_t cap, size_t *len);

/**
 * \brief The ISD-Ps a confirmation response names as deleted (`80 L { 4F L AID }*`, §7.9).
 * \param data response data. \param len its length.
 * \param index which AID (0-based). \param aid receives a pointer into \p data. \param aid_len its length.
 * \return ::EUM_OK, ::EUM_ERR_NOT_FOUND (no AID at index) or ::EUM_ERR_PARSE.
 */
EUM_API int eum_host_smsr_deleted_aid(const uint8_t *data, size_t len, size_t index, const uint8_t **aid,
                                      size_t *aid_len);

#ifdef __cplusplus
}
#endif

#endif /* EUM_HOST_SMSR_H */
