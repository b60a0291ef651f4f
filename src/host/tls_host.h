/*
 * libeum-host's TLS 1.2 PSK server (RFC 5246, RFC 4279), the SM-SR's side of GlobalPlatform
 * Amendment B SCP81 sessions (spec digest scp81-https.md §3), with its own mbedTLS calls: it never
 * uses the card's src/crypto/ code, so card and host cannot share a bug. No sockets: the caller moves
 * the bytes, exactly like the card's src/crypto/tls.h in the server role.
 *
 *   eum_host_tls_server_new() -> feed peer bytes with eum_host_tls_input(), call
 *   eum_host_tls_handshake() (EUM_HOST_TLS_AGAIN while it needs peer bytes), send the
 *   eum_host_tls_output() bytes; then eum_host_tls_read() / eum_host_tls_write(),
 *   eum_host_tls_close_notify(), eum_host_tls_free().
 *
 * The PSK is looked up by the identity the client sends in its ClientKeyExchange (psk callback;
 * an unknown identity ends the handshake with an unknown_psk_identity alert). Suites: the list
 * given, else 00A8 (TLS_PSK_WITH_AES_128_GCM_SHA256) and 00AE (TLS_PSK_WITH_AES_128_CBC_SHA256).
 * Errors are EUM_ERR_* codes of eum/eum.h.
 */
#ifndef EUM_HOST_TLS_HOST_H
#define EUM_HOST_TLS_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

typedef struct eum_host_tls eum_host_tls;

/* Positive returns of eum_host_tls_handshake() / eum_host_tls_read(). */
#define EUM_HOST_TLS_AGAIN  1 /* more peer bytes are needed */
#define EUM_HOST_TLS_CLOSED 2 /* the peer sent close_notify */

/* PSK lookup: copy the key for identity (id_len bytes, not NUL-terminated) into psk (cap bytes, at
 * least 32) and set *psk_len; return 0 when found, anything else refuses the identity. The key
 * copy is wiped by the caller after use. */
typedef int (*eum_host_tls_psk_fn)(void *ctx, const uint8_t *identity, size_t id_len, uint8_t *psk, size_t cap,
                                   size_t *psk_len);

struct eum_host_tls_config {
	eum_host_tls_psk_fn psk; /* required */
	void *psk_ctx;
	const uint16_t *suites; /* accepted, in order of preference; NULL: 00A8, 00AE */
	size_t n_suites;        /* 1..8 when suites is set */
	eum_rng_fn rng;         /* randomness (server random, session id); NULL: an internal CTR_DRBG */
	void *rng_ctx;
};

/* EUM_OK, EUM_ERR_INVALID_ARG (no psk callback, a suite that is not plain PSK), EUM_ERR_NO_MEMORY,
 * EUM_ERR_CRYPTO (a suite this mbedTLS build lacks, DRBG seeding failed). */
int eum_host_tls_server_new(eum_host_tls **out, const struct eum_host_tls_config *cfg);
/* Bytes received from the client. EUM_OK or EUM_ERR_BUFFER_TOO_SMALL when more than one record's
 * worth (5 + 16384 + 2048 bytes) would wait unread. */
int eum_host_tls_input(eum_host_tls *t, const uint8_t *d, size_t n);
/* EUM_OK once established, EUM_HOST_TLS_AGAIN (send the output, feed input), EUM_ERR_CRYPTO (bad
 * Finished / bad_record_mac from a wrong PSK, unknown identity, alert, malformed record; a fatal
 * alert for the client may wait in the output). */
int eum_host_tls_handshake(eum_host_tls *t);
/* Bytes to send to the client, taken out of the context; returns how many were copied (<= cap). */
size_t eum_host_tls_output(eum_host_tls *t, uint8_t *buf, size_t cap);
size_t eum_host_tls_output_pending(const eum_host_tls *t);
/* Application data, cut into records of the negotiated fragment length: EUM_OK, EUM_ERR_STATE (not
 * established / closed), EUM_ERR_CRYPTO, EUM_ERR_NO_MEMORY (more than 256 KB of output waiting). */
int eum_host_tls_write(eum_host_tls *t, const uint8_t *d, size_t n);
/* EUM_OK with *n > 0, EUM_HOST_TLS_AGAIN (*n = 0), EUM_HOST_TLS_CLOSED (client close_notify),
 * EUM_ERR_STATE (not established), EUM_ERR_CRYPTO. */
int eum_host_tls_read(eum_host_tls *t, uint8_t *buf, size_t cap, size_t *n);
/* Queue a close_notify alert: EUM_OK, EUM_ERR_STATE (handshake not over: nothing queued). */
int eum_host_tls_close_notify(eum_host_tls *t);
/* Negotiated suite, 0 before the ServerHello. */
uint16_t eum_host_tls_suite(const eum_host_tls *t);
/* The PSK identity the client sent (NULL before its ClientKeyExchange); valid until free. */
const uint8_t *eum_host_tls_peer_identity(const eum_host_tls *t, size_t *len);
/* The last mbedTLS error as text (never key material). */
const char *eum_host_tls_error(const eum_host_tls *t);
/* Wipes and frees everything (session keys, PSK copies, buffers). NULL is ignored. */
void eum_host_tls_free(eum_host_tls *t);

#endif
