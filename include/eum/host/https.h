/**
 * \file https.h
 * \brief libeum-host: the SM-SR's HTTPS administration server (GlobalPlatform Amendment B "SCP81" as
 *        SGP.02 uses it; spec digest scp81-https.md §3, §4, §5) for ONE card connection, as a byte-driven
 *        state machine: network bytes in, network bytes out, no sockets, no threads.
 *
 * The card is the HTTP client: after the push SMS (smsr.h eum_host_smsr_push()) it opens a TCP
 * connection through the modem's BIP channel, runs a PSK-TLS 1.2 handshake and POSTs to the SM-SR.
 * This server answers each POST with the next queued remote command script (200), with nothing to do
 * yet (204 + X-Admin-Next-URI) or with the end of the session (204 without Next-URI), and hands every
 * POST (the card's script response and its X-Admin-Script-Status) to the caller in order.
 *
 * A harness plays the SM-SR like this:
 * \code
 * struct eum_host_https_config cfg;
 * struct eum_host_https_psk psk = {identity, identity_len, key, 16};
 * eum_host_https *srv;
 * struct eum_host_https_report rep;
 *
 * eum_host_https_config_init(&cfg);
 * cfg.psks = &psk;
 * cfg.n_psks = 1;
 * cfg.rng = my_rng;
 * eum_host_https_new(&srv, &cfg);
 * eum_host_https_queue(srv, script, script_len, isdp_aid, 16, 0, &id);   // AE 80 … 00 00
 * eum_host_https_finish(srv);                      // 204 without Next-URI once the queue is empty
 * while (eum_host_https_state(srv) < EUM_HOST_HTTPS_DONE) {
 *     n = read_from_tcp(buf);  eum_host_https_input(srv, buf, n);
 *     while (eum_host_https_poll(srv, &rep) == EUM_OK)
 *         handle(rep.script_id, rep.status, rep.body, rep.body_len);      // AF 80 … 00 00
 *     n = eum_host_https_output(srv, buf, sizeof(buf));  write_to_tcp(buf, n);
 * }
 * eum_host_https_free(srv);
 * \endcode
 *
 * What the server sends:
 * - 200 OK: `X-Admin-Protocol: globalplatform-remote-admin/1.0`, `X-Admin-Next-URI: <prefix><n>` (a fresh
 *   URI for every answer), `X-Admin-Targeted-Application: //aid/<RID>/<PIX>` when the script was queued
 *   with a target AID, `Content-Type: application/vnd.globalplatform.card-content-mgt;version=1.0`, then
 *   `Transfer-Encoding: chunked` (one chunk) or `Content-Length` (::eum_host_https_config.framing).
 *   A script queued with ::EUM_HOST_HTTPS_SCRIPT_FINAL goes without Next-URI: the card runs it, does not
 *   report, and the session is over.
 * - 204 No Content with X-Admin-Next-URI: nothing queued, the session stays open
 *   (::EUM_HOST_HTTPS_IDLE_NEXT); the card POSTs again without a body.
 * - 204 No Content without Next-URI: the session is over (after eum_host_https_finish() once the queue is
 *   empty, or at once with ::EUM_HOST_HTTPS_IDLE_END); with TLS a close_notify follows.
 * - With the default ::EUM_HOST_HTTPS_IDLE_HOLD, a POST that finds the queue empty is reported and its
 *   answer waits until the caller queues a script or calls eum_host_https_finish() (an SM-DP that
 *   computes its next script from the card's answer does exactly this).
 * - A malformed request: 400 Bad Request, then the session fails (::EUM_HOST_HTTPS_FAILED).
 *
 * What it accepts [IMPL, digest §4.1/§4.4]: `POST <target> HTTP/1.1`, header names in any case, optional
 * blanks around values, a body chunked (hex sizes in either case, extensions and trailers ignored) or
 * with Content-Length, or none. X-Admin-Protocol, X-Admin-From, X-Admin-Script-Status, X-Admin-Resume,
 * Host and Content-Type are reported as received (a missing X-Admin-Protocol is reported, not refused).
 *
 * X-Admin-Resume [IMPL, digest §4.1]: a POST with `X-Admin-Resume: true` and no body while the last
 * script sent is still unanswered gets that same response again (same bytes, same Next-URI); any other
 * Resume POST is handled like a normal one. eum_host_https_reconnect() keeps the queue, the unanswered
 * script and the URI counter for a new connection of the same admin session, so a card that lost its
 * channel can resume on the next one.
 *
 * Test knobs (produce bad server behaviour on purpose, for the card's bad-input tests; never set in
 * production): eum_host_https_inject() with ::EUM_HOST_HTTPS_FAULT_NO_ADMIN_PROTOCOL,
 * ::EUM_HOST_HTTPS_FAULT_500, ::EUM_HOST_HTTPS_FAULT_TRUNCATE.
 *
 * TLS: TLS 1.2 server with the PSK cipher suites (00A8, 00AE unless configured), no certificate; the PSK
 * is looked up by the identity the card sends in ClientKeyExchange: first among ::eum_host_https_config.psks
 * (exact match; the SGP.02 identity text comes from eum_host_https_sgp02_identity()), then through
 * ::eum_host_https_config.psk_fn. With ::eum_host_https_config.plaintext the HTTP bytes go in and out
 * as they are (tests, or a TLS terminator in front).
 *
 * Ownership: the session is allocated by eum_host_https_new() (its buffers and queue included) and
 * released by eum_host_https_free(), which wipes the PSKs it copied. Nothing else is allocated; the
 * caller's buffers are borrowed for the call. Errors: ::EUM_ERR_INVALID_ARG, ::EUM_ERR_NO_MEMORY,
 * ::EUM_ERR_BUFFER_TOO_SMALL, ::EUM_ERR_PARSE, ::EUM_ERR_CRYPTO, ::EUM_ERR_STATE,
 * ::EUM_ERR_NOT_FOUND.
 */
#ifndef EUM_HOST_HTTPS_H
#define EUM_HOST_HTTPS_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief Largest script one 200 carries (the card's body buffer, design doc: 8 KB). */
#define EUM_HOST_HTTPS_SCRIPT_MAX 8192
/** \brief Largest request body (script response) accepted from the card. */
#define EUM_HOST_HTTPS_BODY_MAX 4096
/** \brief Longest request target / X-Admin-From kept in a report (longer ones are refused: 400). */
#define EUM_HOST_HTTPS_URI_MAX 256
/** \brief Most scripts waiting in the queue. */
#define EUM_HOST_HTTPS_QUEUE_MAX 64
/** \brief Reports kept until polled; while they are all taken the next POST waits unanswered. */
#define EUM_HOST_HTTPS_REPORTS_MAX 8
/** \brief Most entries of ::eum_host_https_config.psks (they are copied). */
#define EUM_HOST_HTTPS_PSKS_MAX 4
/** \brief Longest PSK identity. */
#define EUM_HOST_HTTPS_PSK_ID_MAX 128
/** \brief Longest PSK. */
#define EUM_HOST_HTTPS_PSK_MAX 32

/** \brief Opaque server session (one card connection). */
typedef struct eum_host_https eum_host_https;

/**
 * \brief PSK lookup callback.
 * \param ctx ::eum_host_https_config.psk_ctx. \param identity the identity the card sent; \param id_len its length.
 * \param psk receives the key; \param cap its capacity; \param psk_len receives its length.
 * \return 0 when found, anything else to refuse (the handshake fails).
 */
typedef int (*eum_host_https_psk_fn)(void *ctx, const uint8_t *identity, size_t id_len, uint8_t *psk, size_t cap,
                                     size_t *psk_len);

/** \brief One accepted PSK identity and its key (copied by eum_host_https_new()). */
struct eum_host_https_psk {
	const uint8_t *identity; /**< identity as the card sends it */
	size_t identity_len;     /**< its length (1..::EUM_HOST_HTTPS_PSK_ID_MAX) */
	const uint8_t *psk;      /**< the key */
	size_t psk_len;          /**< its length (1..::EUM_HOST_HTTPS_PSK_MAX) */
};

/** \brief What a POST gets when no script is queued and eum_host_https_finish() was not called. */
enum eum_host_https_idle {
	EUM_HOST_HTTPS_IDLE_HOLD = 0, /**< default: report it, answer when a script is queued or finish() */
	EUM_HOST_HTTPS_IDLE_NEXT,     /**< answer 204 + X-Admin-Next-URI: the card POSTs again */
	EUM_HOST_HTTPS_IDLE_END,      /**< answer 204 without Next-URI: session over */
	EUM_HOST_HTTPS_IDLE_NUM
};

/** \brief Framing of the 200 bodies. */
enum eum_host_https_framing {
	EUM_HOST_HTTPS_CHUNKED = 0,    /**< default: Transfer-Encoding: chunked, one chunk (SGP.02, njiwa) */
	EUM_HOST_HTTPS_CONTENT_LENGTH, /**< Content-Length */
	EUM_HOST_HTTPS_FRAMING_NUM
};

/** \brief Session configuration (read by eum_host_https_new(); nothing is kept by reference). */
struct eum_host_https_config {
	int plaintext;                         /**< 1: no TLS, HTTP bytes in/out as they are */
	const struct eum_host_https_psk *psks; /**< accepted identities (copied), may be NULL */
	size_t n_psks;                         /**< their number (at most ::EUM_HOST_HTTPS_PSKS_MAX) */
	eum_host_https_psk_fn psk_fn;          /**< asked when no entry of psks matches; may be NULL */
	void *psk_ctx;                         /**< its context */
	const uint16_t *suites;                /**< TLS suites in preference order (copied); NULL: 00A8, 00AE */
	size_t n_suites;                       /**< their number (at most 8) */
	eum_rng_fn rng;                        /**< randomness for TLS; NULL: tls_host's own CTR_DRBG */
	void *rng_ctx;                         /**< its context */
	const char *next_uri_prefix;           /**< X-Admin-Next-URI is prefix + decimal number; NULL: "/smsr/" */
	enum eum_host_https_framing framing;   /**< 200 body framing */
	enum eum_host_https_idle idle;         /**< empty-queue policy */
	size_t queue_bytes;                    /**< room for queued scripts; 0: 64 KiB */
};

/** \brief Fill \p cfg with the defaults (TLS, no PSK, chunked, IDLE_HOLD, "/smsr/"). \param cfg must not be NULL. */
EUM_API void eum_host_https_config_init(struct eum_host_https_config *cfg);

/**
 * \brief Create a session waiting for the card's first bytes (ClientHello, or the first POST in plaintext).
 * \param out receives the session. \param cfg configuration.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_NO_MEMORY or ::EUM_ERR_CRYPTO (TLS set-up).
 */
EUM_API int eum_host_https_new(eum_host_https **out, const struct eum_host_https_config *cfg);

/** \brief Wipe and free a session. \param s may be NULL. */
EUM_API void eum_host_https_free(eum_host_https *s);

/** \brief Session states, in order. */
enum eum_host_https_state {
	EUM_HOST_HTTPS_HANDSHAKE = 0, /**< TLS handshake running */
	EUM_HOST_HTTPS_OPEN,          /**< HTTP dialogue */
	EUM_HOST_HTTPS_CLOSING,       /**< over: the last bytes (and close_notify) wait in the output */
	EUM_HOST_HTTPS_DONE,          /**< over and everything was output */
	EUM_HOST_HTTPS_FAILED,        /**< aborted: see eum_host_https_error() */
	EUM_HOST_HTTPS_STATE_NUM
};

/** \brief Current state. \param s session. */
EUM_API enum eum_host_https_state eum_host_https_state(const eum_host_https *s);

/** \brief Why the session failed or ended early (empty string when it did not). \param s session. */
EUM_API const char *eum_host_https_error(const eum_host_https *s);

/**
 * \brief Feed bytes received from the card (TLS records, or HTTP in plaintext). Processes whatever they
 *        complete: handshake, requests, reports, answers.
 * \param s session. \param data bytes; \param len their number (0 is allowed: just process).
 * \return ::EUM_OK (also when the bytes complete nothing yet, and for bytes arriving after the end of the
 *         session, e.g. the card's close_notify: they are ignored), ::EUM_ERR_STATE (the session failed
 *         before), ::EUM_ERR_CRYPTO (TLS failure: wrong PSK or unknown identity, bad record, alert; the
 *         session failed and a fatal alert for the card may wait in the output), ::EUM_ERR_PARSE (malformed
 *         request: a 400 is queued and the session failed), ::EUM_ERR_BUFFER_TOO_SMALL (more TLS input than
 *         one record waiting) or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_https_input(eum_host_https *s, const uint8_t *data, size_t len);

/**
 * \brief The card's side closed the connection (TCP end of stream). A session that was not over fails.
 * \param s session.
 */
EUM_API void eum_host_https_eof(eum_host_https *s);

/**
 * \brief Take bytes to send to the card.
 * \param s session. \param buf receives them; \param cap its capacity.
 * \return the number of bytes written (0: nothing pending).
 */
EUM_API size_t eum_host_https_output(eum_host_https *s, uint8_t *buf, size_t cap);

/** \brief Number of bytes waiting for eum_host_https_output(). \param s session. */
EUM_API size_t eum_host_https_output_pending(const eum_host_https *s);

/** \brief Flags of eum_host_https_queue(). */
#define EUM_HOST_HTTPS_SCRIPT_FINAL 0x01u /**< 200 without X-Admin-Next-URI: no report, session over after it */

/**
 * \brief Queue a remote command script (`AE 80 … 00 00` or `AA L …`, sent as given) for the card.
 * \param s session. \param script the script (copied); \param len its length (1..::EUM_HOST_HTTPS_SCRIPT_MAX).
 * \param target_aid AID for X-Admin-Targeted-Application (an ISD-P, SGP.02 ES8), NULL for the SD that ran
 *        PSK-TLS (the ISD-R); \param aid_len its length (5..16).
 * \param flags 0 or ::EUM_HOST_HTTPS_SCRIPT_FINAL. \param id receives the script's id (1, 2, …; reports
 *        name it), may be NULL.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_BUFFER_TOO_SMALL (queue full) or ::EUM_ERR_STATE
 *         (after finish() or a FINAL script, or the session is over).
 */
EUM_API int eum_host_https_queue(eum_host_https *s, const uint8_t *script, size_t len, const uint8_t *target_aid,
                                 size_t aid_len, unsigned flags, unsigned *id);

/** \brief Number of scripts queued and not sent yet. \param s session. */
EUM_API size_t eum_host_https_queued(const eum_host_https *s);

/**
 * \brief End the session once the queue is empty: the next POST that finds nothing to run gets 204
 *        without Next-URI (at once if a POST is waiting).
 * \param s session. \return ::EUM_OK or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_https_finish(eum_host_https *s);

/** \brief X-Admin-Script-Status as received (GP Amd B; values other than ok UNCONFIRMED, digest §4.1). */
enum eum_host_https_script_status {
	EUM_HOST_HTTPS_STATUS_NONE = 0,              /**< header absent (first POST, after a 204) */
	EUM_HOST_HTTPS_STATUS_OK,                    /**< ok */
	EUM_HOST_HTTPS_STATUS_UNKNOWN_APPLICATION,   /**< unknown-application */
	EUM_HOST_HTTPS_STATUS_NOT_A_SECURITY_DOMAIN, /**< not-a-security-domain */
	EUM_HOST_HTTPS_STATUS_SECURITY_ERROR,        /**< security-error */
	EUM_HOST_HTTPS_STATUS_OTHER,                 /**< anything else: see status_text */
	EUM_HOST_HTTPS_STATUS_NUM
};

/** \brief One POST of the card, in arrival order. */
struct eum_host_https_report {
	unsigned post;                            /**< 1 for the session's first POST, then 2, 3, … */
	unsigned script_id;                       /**< id of the script this POST answers (0: none was outstanding) */
	int resume;                               /**< X-Admin-Resume: true */
	int resent;                               /**< this Resume POST got the outstanding script again */
	int admin_protocol;                       /**< X-Admin-Protocol: globalplatform-remote-admin/1.0 present */
	enum eum_host_https_script_status status; /**< X-Admin-Script-Status */
	char status_text[48];                     /**< its value as received (truncated), empty when absent */
	char uri[EUM_HOST_HTTPS_URI_MAX + 1];     /**< request target */
	char from[EUM_HOST_HTTPS_URI_MAX + 1];    /**< X-Admin-From, empty when absent */
	char host[EUM_HOST_HTTPS_URI_MAX + 1];    /**< Host, empty when absent */
	char content_type[96];                    /**< Content-Type (truncated), empty when absent */
	int chunked;                              /**< the body came chunked */
	const uint8_t *body; /**< the body de-chunked (script response); valid until the next poll or free */
	size_t body_len;     /**< its length (0: no body) */
};

/**
 * \brief Take the oldest report not taken yet.
 * \param s session. \param out receives it (its body points into the session).
 * \return ::EUM_OK, ::EUM_ERR_NOT_FOUND (none waiting) or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_https_poll(eum_host_https *s, struct eum_host_https_report *out);

/**
 * \brief Start over on a new connection of the same admin session: TLS and HTTP state, pending input and
 *        output are dropped; the queue, the unanswered script, the URI counter and untaken reports stay.
 * \param s session. \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_CRYPTO.
 */
EUM_API int eum_host_https_reconnect(eum_host_https *s);

/** \brief TLS suite negotiated (0 before the end of the handshake or in plaintext). \param s session. */
EUM_API uint16_t eum_host_https_suite(const eum_host_https *s);

/**
 * \brief PSK identity the card used. \param s session. \param len receives its length (0: none yet).
 * \return the identity (owned by the session), NULL when there is none.
 */
EUM_API const uint8_t *eum_host_https_peer_identity(const eum_host_https *s, size_t *len);

/** \brief Test knob: answer without X-Admin-Protocol (the script is still sent and counted as outstanding). */
#define EUM_HOST_HTTPS_FAULT_NO_ADMIN_PROTOCOL 0x01u
/** \brief Test knob: answer `500 Internal Server Error` with a short text body, then end the connection (the
 *         queued script stays queued). */
#define EUM_HOST_HTTPS_FAULT_500 0x02u
/** \brief Test knob: send only the first truncate_at bytes of the answer (default: half), then end the
 *         connection (close_notify with TLS). */
#define EUM_HOST_HTTPS_FAULT_TRUNCATE 0x04u

/**
 * \brief Test knob: spoil one answer of the session on purpose.
 * \param s session. \param faults EUM_HOST_HTTPS_FAULT_* bits (0 clears).
 * \param answer which answer (1 = the answer to the first POST; 0 = the next one).
 * \param truncate_at for ::EUM_HOST_HTTPS_FAULT_TRUNCATE: bytes of the answer kept (0 = half).
 * \return ::EUM_OK or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_https_inject(eum_host_https *s, unsigned faults, unsigned answer, size_t truncate_at);

/**
 * \brief The SGP.02 PSK identity text (digest §3.3): uppercase hex of `80 01 02 | 81 10 EID | 4F L ISD-R AID |
 *        82 01 KID | 83 01 KVN` (90 characters with a 16-byte AID), no terminator written past \p len.
 * \param eid the EID (16 bytes). \param isdr_aid the ISD-R AID; \param aid_len its length (5..16).
 * \param kid key identifier of the PSK (01). \param kvn key version of the SCP81 key set (40-4F).
 * \param out receives the text; \param cap its capacity (a NUL is added when there is room).
 * \param len receives the text length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_https_sgp02_identity(const uint8_t eid[16], const uint8_t *isdr_aid, size_t aid_len, uint8_t kid,
                                          uint8_t kvn, uint8_t *out, size_t cap, size_t *len);

/**
 * \brief X-Admin-Targeted-Application value for an AID: `//aid/<RID as 10 hex>/<PIX hex>` (uppercase).
 * \param aid the AID; \param aid_len its length (5..16). \param out receives the text with a NUL;
 * \param cap its capacity (at least 2 * aid_len + 8).
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_https_aid_uri(const uint8_t *aid, size_t aid_len, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* EUM_HOST_HTTPS_H */
