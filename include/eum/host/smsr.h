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
#include "eum/host/smdp.h"
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

/* ---- SM-SR change (§7.11): EstablishISDRKeySet / FinaliseISDRhandover (src/host/smsr_handover.c) -------- */

/**
 * \brief SM-SR change, as the new SM-SR (SM-SR 2) plays it through the old one (SM-SR 1), which relays the
 *        C-APDUs to the ISD-R in its own ES5 scripts:
 * \code
 * eum_host_smdp_crt crt;
 * eum_host_smsr_handover_crt(&crt, 0x02);                          // the new ISD-R SCP80 KVN
 * eum_host_smsr_establish_cert(sr2_cert, sr2_cert_len, apdu, sizeof(apdu), &n);   // 3A01 -> 85 10 RC
 * eum_host_smdp_parse_rc(resp, resp_len, rc, sizeof(rc), &rc_len);
 * eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, rng, rng_ctx, esk, epk);
 * eum_host_smsr_establish_keys(EUM_HOST_SMDP_CURVE_P256, sk_sr, &crt, epk, rc, rc_len, rng, rng_ctx,
 *                              apdu, sizeof(apdu), &n);             // 3A02 -> 86 10 receipt
 * eum_host_smsr_establish_finish(EUM_HOST_SMDP_CURVE_P256, esk, pk_ecasd, &crt, EUM_HOST_SMDP_RECEIPT_CMAC,
 *                                rng, rng_ctx, resp, resp_len, &new_keys);   // receipt checked
 * eum_host_smsr_init(&sr2, &new_keys, 0x22, 0x22, isdr_tar);     // SM-SR 2 owns the card now
 * eum_host_smsr_finalise_handover(0x03, apdu, sizeof(apdu), &n); // delete SM-SR 1's key set KVN 3
 * \endcode
 * The certificate, CRT, ePK, signature and key derivation are those of the SM-DP's ES8 key establishment
 * (smdp.h, digest §8.1): only the certificate (type 02, CERT.SR.ECDSA) and the CRT differ.
 */

/**
 * \brief The CRT of the public whty SM-SR 2 for the ISD-R (digest §7.11 step 2):
 *        A6 15 { 90 02 03 09, 95 01 10, 80 01 88, 81 01 10, 82 01 01, 83 01 <kvn>, 91 00 }, i.e.
 *        eum_host_smdp_crt_default() with the SCP80 key version \p kvn (01-0F).
 * \param crt the template to fill; must not be NULL. \param kvn the new ISD-R key set's KVN.
 */
EUM_API void eum_host_smsr_handover_crt(eum_host_smdp_crt *crt, uint8_t kvn);

/**
 * \brief EstablishISDRKeySet step 1: STORE DATA `80 E2 09 00 Lc 3A01 L <CERT.SR.ECDSA> 00` (block 00, more
 *        follow, response expected: the card answers `85 10 RC`, read it with eum_host_smdp_parse_rc()).
 * \param cert the SM-SR certificate (7F21 …); \param cert_len its length.
 * \param apdu receives the C-APDU; \param cap its capacity; \param len receives its length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG (the data does not fit one short APDU) or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_smsr_establish_cert(const uint8_t *cert, size_t cert_len, uint8_t *apdu, size_t cap, size_t *len);

/**
 * \brief EstablishISDRKeySet step 2: STORE DATA `80 E2 89 01 Lc <3A02 A6-CRT, 7F49 ePK.SR.ECKA, 5F37 sig> 00`,
 *        the data of eum_host_smdp_build_3a02() signed with SK.SR.ECDSA (bare 7F49 point, as whty).
 * \param curve curve of \p sk_sr and \p epk. \param sk_sr SK.SR.ECDSA (32 bytes). \param crt the CRT.
 * \param epk ePK.SR.ECKA (65 bytes). \param rc the card's RC; \param rc_len its length.
 * \param rng blinding only; \param rng_ctx its context.
 * \param apdu receives the C-APDU; \param cap its capacity; \param len receives its length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smsr_establish_keys(uint8_t curve, const uint8_t sk_sr[32], const eum_host_smdp_crt *crt,
                                         const uint8_t epk[65], const uint8_t *rc, size_t rc_len, eum_rng_fn rng,
                                         void *rng_ctx, uint8_t *apdu, size_t cap, size_t *len);

/**
 * \brief Check the card's receipt (`[85 L DR] 86 10 receipt`, the response data of step 2 without SW) with
 *        eum_host_smdp_finish() and give the new ISD-R SCP80 key set: AES-128 KIc = KeyData key 1, KID = key 2
 *        (the KIK, key 3, is not part of an SCP80 key set and is wiped).
 * \param curve curve of the ECASD key. \param esk eSK.SR.ECKA. \param pk_ecasd PK.ECASD.ECKA (65 bytes).
 * \param crt the CRT that was sent (three keys). \param variant receipt formula (CMAC unless the card was
 *        built with the njiwa variant). \param rng blinding only; \param rng_ctx its context.
 * \param resp the response data; \param resp_len its length. \param keys receives the key set (use KIc/KID
 *        byte `kvn << 4 | 2`).
 * \return ::EUM_OK, ::EUM_ERR_PARSE, ::EUM_ERR_CRYPTO (receipt mismatch; \p keys wiped) or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_smsr_establish_finish(uint8_t curve, const uint8_t esk[32], const uint8_t pk_ecasd[65],
                                           const eum_host_smdp_crt *crt, eum_host_smdp_receipt variant, eum_rng_fn rng,
                                           void *rng_ctx, const uint8_t *resp, size_t resp_len,
                                           struct eum_host_scp80_keyset *keys);

/**
 * \brief FinaliseISDRhandover (digest §7.11 step 4, njiwa): DELETE `80 E4 00 00 05 F2 03 <kvn> 01 03`, the
 *        ISD-R key set \p kvn (keys 01 KIc … 03 KIK). The new SM-SR sends it with its own keys.
 * \param kvn key version to delete. \param apdu receives the C-APDU; \param cap its capacity;
 * \param len receives its length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_smsr_finalise_handover(uint8_t kvn, uint8_t *apdu, size_t cap, size_t *len);

/* ---- HTTPS admin sessions (SCP81, digest scp81-https.md §1, §3.4, §5.4): src/host/smsr_scp81.c ----------- */

/**
 * \brief Administration session parameters (GP Amd B Table 3-3 as digest §1.2 rebuilds it), the content of
 *        tag 83 in a push trigger (81 { 83 … }) and in the ISD-R's defaults (3A07 A3 { 83 … }). Every part is
 *        optional: what is left out the card takes from its stored defaults (digest §1.4).
 *
 * The push SMS of an SM-SR that wakes the card up over HTTPS:
 * \code
 * struct eum_host_smsr_admin_params ap = {0};
 * uint8_t conn[32], trig[160];
 * size_t cn, tn;
 * eum_host_smsr_conn_tcp_ipv4((const uint8_t[]){192, 168, 1, 1}, 8080, 1024, conn, sizeof(conn), &cn);
 * ap.conn = conn; ap.conn_len = cn; ap.host = "10.0.0.1"; ap.uri = "/adm?cmd=1";
 * eum_host_smsr_trigger_build(&ap, trig, sizeof(trig), &tn);          // 81 2F 83 2D 84 13 … (49 bytes)
 * eum_host_smsr_push(&sr, trig, tn, &env);                            // ENVELOPE(s) to the ISD-R TAR
 * \endcode
 */
struct eum_host_smsr_admin_params {
	const uint8_t *conn;    /**< 84: connection parameters (OPEN CHANNEL COMPREHENSION-TLVs), NULL: omitted */
	size_t conn_len;        /**< their length */
	int has_security;       /**< add 85: Lid ‖ PSK identity ‖ 02 ‖ KVN ‖ KID */
	const uint8_t *psk_id;  /**< 85 PSK identity (NULL/0: Lid 00, the card sends its SGP.02 identity) */
	size_t psk_id_len;      /**< its length (at most 127) */
	uint8_t kvn;            /**< 85: key version of the SCP81 key set (40-4F) */
	uint8_t kid;            /**< 85: key identifier of the PSK (01) */
	int has_retry;          /**< add 86: counter ‖ A5 03 hh mm ss ‖ [87 00] */
	uint16_t retry_count;   /**< 86: retries after a failed attempt */
	uint32_t retry_delay_s; /**< 86: waiting delay in seconds (below 100 hours), coded as swapped-nibble BCD */
	int report_failure;     /**< 86: append 87 00 (report when the retries are exhausted) */
	const char *host;       /**< 89/8A administration host (Host header), NULL: omitted */
	const char *agent;      /**< 89/8B agent id (X-Admin-From), NULL: omitted */
	const char *uri;        /**< 89/8C administration URI (first request target), NULL: omitted */
};

/**
 * \brief Connection parameters for a TCP client channel to an IPv4 address (digest §2.3, without CR bits as
 *        whty sends them): `35 01 03` (default bearer) `39 02 <buffer>` `3C 03 02 <port>` `3E 05 21 <IPv4>`.
 * \param ipv4 the SM-SR's address (4 bytes). \param port its TCP port. \param buffer the buffer size asked.
 * \param out receives the TLVs (19 bytes); \param cap its capacity; \param len receives their length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_smsr_conn_tcp_ipv4(const uint8_t ipv4[4], uint16_t port, uint16_t buffer, uint8_t *out, size_t cap,
                                        size_t *len);

/**
 * \brief The 83 TLV of \p p: `83 L { [84] [85] [86] [89 { [8A] [8B] [8C] }] }` (BER lengths).
 * \param p the parameters. \param out receives the TLV; \param cap its capacity; \param len its length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG (a value too long, retry delay of 100 hours or more) or
 *         ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_smsr_admin_params_build(const struct eum_host_smsr_admin_params *p, uint8_t *out, size_t cap,
                                             size_t *len);

/**
 * \brief The administration session triggering parameters of a push (digest §1.2): `81 L { 83 … }`, or
 *        `81 00` ("use the card's defaults", njiwa) when \p p is NULL.
 * \return as eum_host_smsr_admin_params_build().
 */
EUM_API int eum_host_smsr_trigger_build(const struct eum_host_smsr_admin_params *p, uint8_t *out, size_t cap,
                                        size_t *len);

/**
 * \brief The push (digest §1.1): one SCP80 command packet to the ISD-R TAR (\p s's TAR) whose secured data is the
 *        bare trigger TLV (no script, no C-APDU), with the next counter value, as SMS-PP ENVELOPE(s). The PoR is
 *        requested as s->params.spi[1] says; the card answers status 00 without data, which
 *        eum_host_smsr_parse_por() reads (executed 0).
 * \param s SM-SR state; its counter is incremented. \param trigger the 81 TLV (e.g. from
 *        eum_host_smsr_trigger_build()); \param len its length. \param out receives the ENVELOPEs.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG (not an 81 TLV), ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smsr_push(struct eum_host_smsr *s, const uint8_t *trigger, size_t len,
                               struct eum_host_smsr_envelopes *out);

/**
 * \brief PUT KEY of an SCP81 PSK to the ISD-R (GPCS §11.8, key type 85 "TLS PSK", digest §3.4):
 *        `80 D8 <old KVN | 00> <KID> Lc <KVN> 85 L <key component block> 00 00` (Le 00; no KCV is sent, GP
 *        defines none for a PSK; eum's card answers KVN and the first 3 bytes of AES(PSK, 01…01) when the PSK
 *        has an AES key length). The key component block is the PSK ciphered with \p kek in CBC mode with a zero
 *        ICV: the ciphertext alone when the PSK fills whole blocks (GPCS Table 11-71), else its length byte then
 *        the ciphertext of the PSK padded with 00 (Table 11-70). Over ES5 (SCP80) the KEK is the KIK (key id 03)
 *        of the ISD-R key set that secures the packet (TS 102 226 §8.2.1.3.2) [IMPL].
 * \param old_kvn 00 to add a key set, else the KVN replaced. \param kvn the new key version (40-4F).
 * \param kid the key identifier (01). \param psk the PSK; \param psk_len its length (16..32).
 * \param kek AES (16/24/32) or 3DES (16/24) key ciphering the PSK.
 * \param apdu receives the C-APDU; \param cap its capacity; \param len receives its length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_smsr_put_psk(uint8_t old_kvn, uint8_t kvn, uint8_t kid, const uint8_t *psk, size_t psk_len,
                                  const struct eum_host_scp80_key *kek, uint8_t *apdu, size_t cap, size_t *len);

/**
 * \brief Check the answer to eum_host_smsr_put_psk(): `KVN [‖ KCV(3)]` (GPCS §11.8.3.1). When a KCV is there it
 *        must be the first 3 bytes of AES(PSK, 01…01) (GP Amd D §7.2 applied to the PSK): a card that deciphered
 *        the key block with another KEK than the SM-SR's (nothing in a PSK PUT KEY lets it notice) answers another.
 * \param kvn the KVN sent. \param psk the PSK sent; \param psk_len its length.
 * \param rsp the response data (without SW); \param rsp_len its length.
 * \param has_kcv receives 1 when the card sent a KCV (and it matched), 0 when it sent the KVN alone; may be NULL.
 * \return ::EUM_OK, ::EUM_ERR_PARSE (other KVN, bad length), ::EUM_ERR_CRYPTO (KCV mismatch) or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_smsr_put_psk_check(uint8_t kvn, const uint8_t *psk, size_t psk_len, const uint8_t *rsp,
                                        size_t rsp_len, int *has_kcv);

/**
 * \brief UpdateSMSRAddressingParameters (§7.10) carrying the ISD-R's default administration session parameters:
 *        STORE DATA `80 E2 88 00` DGI 3A07 `A3 { 83 <p> }` [IMPL, design doc; tag 83 inside A3 UNCONFIRMED].
 * \param p the defaults. \param apdu receives the C-APDU; \param cap its capacity; \param len its length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG (more than one short APDU) or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_smsr_update_admin_params(const struct eum_host_smsr_admin_params *p, uint8_t *apdu, size_t cap,
                                              size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* EUM_HOST_SMSR_H */
