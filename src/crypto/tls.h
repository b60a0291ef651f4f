/*
 * TLS 1.2 client with pre-shared keys (RFC 5246, RFC 4279, RFC 5487 / RFC 5288 suites), the card's
 * side of GlobalPlatform Amendment B SCP81 (spec digest scp81-https.md §3), behind the crypto seam:
 * only src/crypto/ talks to mbedTLS. No sockets: the caller moves the bytes (over BIP).
 *
 *   eum_tls_client_new() -> eum_tls_handshake() (returns EUM_TLS_AGAIN while it needs peer bytes)
 *   loop: send eum_tls_output() bytes to the peer; give peer bytes to eum_tls_input(); call again.
 *   then eum_tls_write() / eum_tls_read() application data, eum_tls_close_notify(), eum_tls_free().
 *
 * Offers only the suites configured (SGP.02: TLS_PSK_WITH_AES_128_GCM_SHA256 00A8 and/or
 * TLS_PSK_WITH_AES_128_CBC_SHA256 00AE), no session id / resumption, no session ticket, no
 * encrypt-then-MAC, no extended master secret (why: src/crypto/tls.c); max_fragment_length when
 * asked (a real card asks 512). The context exists only
 * for one session (mbedTLS allocates its record buffers); eum_tls_free() wipes and frees it.
 */
#ifndef EUM_CRYPTO_TLS_H
#define EUM_CRYPTO_TLS_H

#include <stddef.h>
#include <stdint.h>

#define EUM_TLS_PSK_AES128_GCM_SHA256 0x00A8
#define EUM_TLS_PSK_AES128_CBC_SHA256 0x00AE
#define EUM_TLS_PSK_AES128_CBC_SHA    0x008C

/* Positive return of eum_tls_handshake() / eum_tls_read(): more peer bytes are needed. */
#define EUM_TLS_AGAIN 1
/* Positive return of eum_tls_read(): the peer sent close_notify. */
#define EUM_TLS_CLOSED 2

typedef struct eum_tls eum_tls;

struct eum_tls_config {
	const uint8_t *psk; /* 16..32 bytes; copied */
	size_t psk_len;
	const uint8_t *identity; /* PSK identity as sent in ClientKeyExchange; copied */
	size_t identity_len;
	const uint16_t *suites; /* offered, in order of preference; 1..4 of the EUM_TLS_PSK_* values */
	size_t n_suites;
	uint16_t max_fragment;                           /* 0 = no extension, else 512, 1024, 2048 or 4096 */
	int (*rng)(void *ctx, uint8_t *buf, size_t len); /* the card's randomness: 0 on success */
	void *rng_ctx;
};

/* EUM_OK, EUM_ERR_INVALID_ARG, EUM_ERR_NO_MEMORY, EUM_ERR_CRYPTO. */
int eum_tls_client_new(eum_tls **out, const struct eum_tls_config *cfg);
/* Bytes received from the peer (buffered until the TLS layer reads them). EUM_OK or
 * EUM_ERR_BUFFER_TOO_SMALL when more than one record's worth waits unread. */
int eum_tls_input(eum_tls *t, const uint8_t *data, size_t len);
/* Drive the handshake: EUM_OK once established, EUM_TLS_AGAIN when it waits for peer bytes (send
 * eum_tls_output() first), EUM_ERR_CRYPTO on failure (bad PSK = bad Finished / bad_record_mac,
 * alert, malformed record; a fatal alert for the peer may wait in the output). */
int eum_tls_handshake(eum_tls *t);
/* Bytes to send to the peer, taken out of the context: returns how many were copied (<= cap). */
size_t eum_tls_output(eum_tls *t, uint8_t *buf, size_t cap);
size_t eum_tls_output_pending(const eum_tls *t);
/* Application data (records of at most the negotiated fragment length): EUM_OK, EUM_ERR_STATE
 * (not established), EUM_ERR_CRYPTO. */
int eum_tls_write(eum_tls *t, const uint8_t *data, size_t len);
/* Read application data: EUM_OK with *n > 0, EUM_TLS_AGAIN (*n = 0, needs more input),
 * EUM_TLS_CLOSED (peer close_notify), EUM_ERR_STATE (not established), EUM_ERR_CRYPTO (bad record,
 * alert; a fatal alert for the peer may wait in the output). */
int eum_tls_read(eum_tls *t, uint8_t *buf, size_t cap, size_t *n);
/* Queue a close_notify alert in the output: EUM_OK, EUM_ERR_STATE (handshake not over: nothing
 * queued), EUM_ERR_CRYPTO (the session already failed). */
int eum_tls_close_notify(eum_tls *t);
/* Negotiated suite (0 before the ServerHello). */
uint16_t eum_tls_suite(const eum_tls *t);
/* The last mbedTLS error as text for logs (never secrets). */
const char *eum_tls_error(const eum_tls *t);
void eum_tls_free(eum_tls *t);

#endif
