/*
 * TLS 1.2 PSK client of the card (RFC 5246, RFC 4279; suites RFC 5487 00AE / RFC 5288-style 00A8,
 * RFC 4279 008C), the transport of GlobalPlatform Amendment B SCP81 as SGP.02 uses it (spec digest
 * scp81-https.md §3), over mbedTLS 2.28 (Debian 12) and 3.x. Byte-driven: the record layer talks to
 * two in-memory queues through mbedtls_ssl_set_bio(); the caller (the admin agent over BIP) moves
 * the bytes.
 *
 * ClientHello as configured here (scp81-https.md §3.2 [IMPL] choices):
 *  - TLS 1.2 only (min = max = 3.3): record and client_version 03 03, no fallback to 1.0/1.1.
 *  - cipher_suites: exactly the configured list, followed by mbedTLS's signalling value
 *    TLS_EMPTY_RENEGOTIATION_INFO_SCSV 00FF (RFC 5746 §3.4; mbedTLS always adds it to an initial
 *    ClientHello, it is not a suite and negotiates nothing).
 *  - empty session id, no session_ticket (0023), no encrypt_then_mac (0016: a live UICC that offered
 *    it failed when a server echoed it, §3.2), no SNI, no ALPN, no renegotiation.
 *  - extended_master_secret (0017, RFC 7627) NOT offered: its purpose is to bind the master secret to
 *    the handshake against the triple-handshake attack, which needs session resumption or
 *    renegotiation (both impossible here: no session id, no ticket, renegotiation off) and a peer
 *    authenticated by certificate; the PSK authenticates both ends of every session. Leaving it out
 *    keeps the ClientHello the one real cards send (pySim trace, §3.2), which deployed SM-SRs accept.
 *  - max_fragment_length (0001, RFC 6066 §4) when configured (a real card asks 01 = 512).
 *  - signature_algorithms (000D): mbedTLS 2.28 writes it whenever certificate key exchanges are
 *    compiled in; PSK uses no signature, so it is cut to the one pair list SHA-256 (2.28 only).
 */
#include "crypto/tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/version.h>
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#include "crypto/crypto.h"
#include "eum/eum.h"

/* One TLSCiphertext record at most: header + 2^14 + 2048 (RFC 5246 §6.2.3). */
#define TLS_IN_CAP (5 + 16384 + 2048)
/* Records produced and not yet taken by eum_tls_output(): a few KB in an admin session. */
#define TLS_OUT_CAP    (64 * 1024)
#define TLS_MAX_ID     512
#define TLS_MAX_SUITES 4

/* A byte queue: bytes [head, tail) of p are pending. */
struct tls_queue {
	uint8_t *p;
	size_t head, tail, cap;
};

struct eum_tls {
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	int suites[TLS_MAX_SUITES + 1]; /* mbedTLS keeps a pointer to it: lives as long as conf */
	int (*rng)(void *ctx, uint8_t *buf, size_t len);
	void *rng_ctx;
	struct tls_queue in, out;
	int established, failed, closed;
	char err[128];
};

static size_t queue_len(const struct tls_queue *q)
{
	return q->tail - q->head;
}

/* Append n bytes, growing the buffer up to limit. A replaced buffer is wiped before it is freed. */
static int queue_push(struct tls_queue *q, const uint8_t *d, size_t n, size_t limit)
{
	size_t used = queue_len(q);

	if (n > limit - used)
		return EUM_ERR_BUFFER_TOO_SMALL;
	if (q->cap - q->tail < n) {
		if (q->head > 0) {
			memmove(q->p, q->p + q->head, used);
			eum_wipe(q->p + used, q->cap - used);
			q->head = 0;
			q->tail = used;
		}
		if (q->cap - q->tail < n) {
			size_t cap = q->cap ? q->cap : 512;
			uint8_t *np;

			while (cap < used + n)
				cap *= 2;
			if (cap > limit)
				cap = limit;
			np = malloc(cap); /* owned by the queue, freed by queue_free() */
			if (np == NULL)
				return EUM_ERR_NO_MEMORY;
			if (used)
				memcpy(np, q->p, used);
			if (q->p) {
				eum_wipe(q->p, q->cap);
				free(q->p);
			}
			q->p = np;
			q->cap = cap;
		}
	}
	memcpy(q->p + q->tail, d, n);
	q->tail += n;
	return EUM_OK;
}

static size_t queue_pop(struct tls_queue *q, uint8_t *d, size_t cap)
{
	size_t n = queue_len(q);

	if (n > cap)
		n = cap;
	if (n == 0)
		return 0;
	memcpy(d, q->p + q->head, n);
	q->head += n;
	if (q->head == q->tail)
		q->head = q->tail = 0;
	return n;
}

static void queue_free(struct tls_queue *q)
{
	if (q->p) {
		eum_wipe(q->p, q->cap);
		free(q->p);
	}
	memset(q, 0, sizeof(*q));
}

/* mbedTLS transport callbacks over the queues: records out, peer bytes in. */
static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct eum_tls *t = ctx;

	if (queue_push(&t->out, buf, len, TLS_OUT_CAP) != EUM_OK)
		return MBEDTLS_ERR_SSL_ALLOC_FAILED;
	return (int)len;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct eum_tls *t = ctx;

	if (queue_len(&t->in) == 0)
		return MBEDTLS_ERR_SSL_WANT_READ;
	return (int)queue_pop(&t->in, buf, len);
}

static int tls_rng(void *ctx, unsigned char *buf, size_t len)
{
	struct eum_tls *t = ctx;

	return t->rng(t->rng_ctx, buf, len) == 0 ? 0 : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

/* Record a fatal mbedTLS error: every later call fails. The text names the error, never data. */
static int tls_fail(struct eum_tls *t, int ret)
{
	char msg[100];

	t->failed = 1;
	mbedtls_strerror(ret, msg, sizeof(msg));
	snprintf(t->err, sizeof(t->err), "mbedTLS -0x%04X: %s", (unsigned)-ret, msg);
	return EUM_ERR_CRYPTO;
}

/* A failure while reading the peer's records. RFC 5246 §7.2.2: the side that detects a fatal
 * condition sends the alert before closing. mbedTLS 2.28 sends one for some conditions (bad MAC,
 * bad handshake messages) but not for a malformed record header or a handshake message split over
 * records; then the card sends unexpected_message itself, so the SM-SR's log says why the card
 * left. Nothing is sent back for an alert received from the peer. out_before: output length before
 * the mbedTLS call (unchanged = mbedTLS sent nothing). */
static int tls_fail_read(struct eum_tls *t, int ret, size_t out_before)
{
	if (ret != MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && ret != MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY &&
	    queue_len(&t->out) == out_before)
		(void)mbedtls_ssl_send_alert_message(&t->ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
		                                     MBEDTLS_SSL_ALERT_MSG_UNEXPECTED_MESSAGE);
	return tls_fail(t, ret);
}

static int suite_allowed(uint16_t s)
{
	return s == EUM_TLS_PSK_AES128_GCM_SHA256 || s == EUM_TLS_PSK_AES128_CBC_SHA256 ||
	       s == EUM_TLS_PSK_AES128_CBC_SHA;
}

static int check_config(const struct eum_tls_config *cfg)
{
	size_t i, j;

	if (cfg->psk == NULL || cfg->psk_len < 16 || cfg->psk_len > 32 || cfg->identity == NULL ||
	    cfg->identity_len == 0 || cfg->identity_len > TLS_MAX_ID || cfg->suites == NULL || cfg->n_suites == 0 ||
	    cfg->n_suites > TLS_MAX_SUITES || cfg->rng == NULL)
		return EUM_ERR_INVALID_ARG;
	if (cfg->max_fragment != 0 && cfg->max_fragment != 512 && cfg->max_fragment != 1024 &&
	    cfg->max_fragment != 2048 && cfg->max_fragment != 4096)
		return EUM_ERR_INVALID_ARG;
	for (i = 0; i < cfg->n_suites; i++) {
		if (!suite_allowed(cfg->suites[i]))
			return EUM_ERR_INVALID_ARG;
		for (j = 0; j < i; j++)
			if (cfg->suites[j] == cfg->suites[i])
				return EUM_ERR_INVALID_ARG;
	}
	return EUM_OK;
}

#if MBEDTLS_VERSION_MAJOR < 3 && defined(MBEDTLS_KEY_EXCHANGE_WITH_CERT_ENABLED)
static const int tls_sig_hashes[] = {MBEDTLS_MD_SHA256, MBEDTLS_MD_NONE};
#endif

static int configure(struct eum_tls *t, const struct eum_tls_config *cfg)
{
	size_t i;
	int ret;

	ret = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
	                                  MBEDTLS_SSL_PRESET_DEFAULT);
	if (ret != 0)
		return ret;
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
	mbedtls_ssl_conf_min_tls_version(&t->conf, MBEDTLS_SSL_VERSION_TLS1_2);
	mbedtls_ssl_conf_max_tls_version(&t->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
	mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_max_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
	for (i = 0; i < cfg->n_suites; i++) {
		if (mbedtls_ssl_ciphersuite_from_id(cfg->suites[i]) == NULL)
			return MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE; /* not in this mbedTLS build */
		t->suites[i] = cfg->suites[i];
	}
	t->suites[i] = 0;
	mbedtls_ssl_conf_ciphersuites(&t->conf, t->suites);
	mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_NONE);
	mbedtls_ssl_conf_rng(&t->conf, tls_rng, t);
#if defined(MBEDTLS_SSL_ENCRYPT_THEN_MAC)
	mbedtls_ssl_conf_encrypt_then_mac(&t->conf, MBEDTLS_SSL_ETM_DISABLED);
#endif
#if defined(MBEDTLS_SSL_EXTENDED_MASTER_SECRET)
	mbedtls_ssl_conf_extended_master_secret(&t->conf, MBEDTLS_SSL_EXTENDED_MS_DISABLED);
#endif
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
	mbedtls_ssl_conf_session_tickets(&t->conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
#if defined(MBEDTLS_SSL_RENEGOTIATION)
	mbedtls_ssl_conf_renegotiation(&t->conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
#endif
#if MBEDTLS_VERSION_MAJOR < 3 && defined(MBEDTLS_KEY_EXCHANGE_WITH_CERT_ENABLED)
	mbedtls_ssl_conf_sig_hashes(&t->conf, tls_sig_hashes);
#endif
	if (cfg->max_fragment != 0) {
#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
		unsigned char code = cfg->max_fragment == 512    ? MBEDTLS_SSL_MAX_FRAG_LEN_512
		                     : cfg->max_fragment == 1024 ? MBEDTLS_SSL_MAX_FRAG_LEN_1024
		                     : cfg->max_fragment == 2048 ? MBEDTLS_SSL_MAX_FRAG_LEN_2048
		                                                 : MBEDTLS_SSL_MAX_FRAG_LEN_4096;
		ret = mbedtls_ssl_conf_max_frag_len(&t->conf, code);
		if (ret != 0)
			return ret;
#else
		return MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
#endif
	}
	/* mbedTLS keeps its own copies of the key and the identity; mbedtls_ssl_config_free wipes them */
	ret = mbedtls_ssl_conf_psk(&t->conf, cfg->psk, cfg->psk_len, cfg->identity, cfg->identity_len);
	if (ret != 0)
		return ret;
	ret = mbedtls_ssl_setup(&t->ssl, &t->conf);
	if (ret != 0)
		return ret;
	mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
	return 0;
}

int eum_tls_client_new(eum_tls **out, const struct eum_tls_config *cfg)
{
	struct eum_tls *t;
	int ret, err;

	if (out == NULL)
		return EUM_ERR_INVALID_ARG;
	*out = NULL;
	if (cfg == NULL)
		return EUM_ERR_INVALID_ARG;
	err = check_config(cfg);
	if (err != EUM_OK)
		return err;
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
	if (psa_crypto_init() != PSA_SUCCESS)
		return EUM_ERR_CRYPTO;
#endif
	eum_crypto_once();
	t = calloc(1, sizeof(*t)); /* owned by the caller until eum_tls_free() */
	if (t == NULL)
		return EUM_ERR_NO_MEMORY;
	mbedtls_ssl_init(&t->ssl);
	mbedtls_ssl_config_init(&t->conf);
	t->rng = cfg->rng;
	t->rng_ctx = cfg->rng_ctx;
	ret = configure(t, cfg);
	if (ret != 0) {
		err = ret == MBEDTLS_ERR_SSL_ALLOC_FAILED ? EUM_ERR_NO_MEMORY : EUM_ERR_CRYPTO;
		eum_tls_free(t);
		return err;
	}
	*out = t;
	return EUM_OK;
}

int eum_tls_input(eum_tls *t, const uint8_t *data, size_t len)
{
	if (t == NULL || (data == NULL && len != 0))
		return EUM_ERR_INVALID_ARG;
	if (len == 0)
		return EUM_OK;
	return queue_push(&t->in, data, len, TLS_IN_CAP);
}

int eum_tls_handshake(eum_tls *t)
{
	size_t out_before;
	int ret;

	if (t == NULL)
		return EUM_ERR_INVALID_ARG;
	if (t->failed)
		return EUM_ERR_CRYPTO;
	if (t->established)
		return EUM_OK;
	out_before = queue_len(&t->out);
	ret = mbedtls_ssl_handshake(&t->ssl);
	if (ret == 0) {
		t->established = 1;
		return EUM_OK;
	}
	if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
		return EUM_TLS_AGAIN;
	return tls_fail_read(t, ret, out_before);
}

size_t eum_tls_output(eum_tls *t, uint8_t *buf, size_t cap)
{
	if (t == NULL || buf == NULL)
		return 0;
	return queue_pop(&t->out, buf, cap);
}

size_t eum_tls_output_pending(const eum_tls *t)
{
	return t ? queue_len(&t->out) : 0;
}

int eum_tls_write(eum_tls *t, const uint8_t *data, size_t len)
{
	size_t off = 0;
	int ret;

	if (t == NULL || (data == NULL && len != 0))
		return EUM_ERR_INVALID_ARG;
	if (t->failed)
		return EUM_ERR_CRYPTO;
	if (!t->established || t->closed)
		return EUM_ERR_STATE;
	/* mbedtls_ssl_write() takes at most one record (the negotiated fragment length) per call */
	while (off < len) {
		ret = mbedtls_ssl_write(&t->ssl, data + off, len - off);
		if (ret <= 0)
			return tls_fail(t, ret == 0 ? MBEDTLS_ERR_SSL_INTERNAL_ERROR : ret);
		off += (size_t)ret;
	}
	return EUM_OK;
}

int eum_tls_read(eum_tls *t, uint8_t *buf, size_t cap, size_t *n)
{
	size_t out_before;
	int ret;

	if (n != NULL)
		*n = 0;
	if (t == NULL || buf == NULL || cap == 0 || n == NULL)
		return EUM_ERR_INVALID_ARG;
	if (t->failed)
		return EUM_ERR_CRYPTO;
	if (!t->established)
		return EUM_ERR_STATE;
	if (t->closed)
		return EUM_TLS_CLOSED;
	out_before = queue_len(&t->out);
	ret = mbedtls_ssl_read(&t->ssl, buf, cap);
	if (ret > 0) {
		*n = (size_t)ret;
		return EUM_OK;
	}
	if (ret == 0 || ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
		return EUM_TLS_AGAIN;
	if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
		t->closed = 1;
		return EUM_TLS_CLOSED;
	}
	return tls_fail_read(t, ret, out_before);
}

int eum_tls_close_notify(eum_tls *t)
{
	int ret;

	if (t == NULL)
		return EUM_ERR_INVALID_ARG;
	if (t->failed)
		return EUM_ERR_CRYPTO;
	if (!t->established)
		return EUM_ERR_STATE;
	ret = mbedtls_ssl_close_notify(&t->ssl);
	if (ret != 0 && ret != MBEDTLS_ERR_SSL_WANT_WRITE)
		return tls_fail(t, ret);
	return EUM_OK;
}

uint16_t eum_tls_suite(const eum_tls *t)
{
	const char *name;

	if (t == NULL)
		return 0;
#if MBEDTLS_VERSION_MAJOR < 3
	/* during the handshake (and after its failure) the suite the ServerHello chose */
	if (t->ssl.session_negotiate != NULL)
		return (uint16_t)t->ssl.session_negotiate->ciphersuite;
#endif
	name = mbedtls_ssl_get_ciphersuite(&t->ssl);
	return name ? (uint16_t)mbedtls_ssl_get_ciphersuite_id(name) : 0;
}

const char *eum_tls_error(const eum_tls *t)
{
	if (t == NULL)
		return "no TLS context";
	return t->err[0] ? t->err : "no error";
}

void eum_tls_free(eum_tls *t)
{
	if (t == NULL)
		return;
	mbedtls_ssl_free(&t->ssl);         /* wipes the session keys and the record buffers */
	mbedtls_ssl_config_free(&t->conf); /* wipes mbedTLS's copy of the PSK and the identity */
	queue_free(&t->in);
	queue_free(&t->out);
	eum_wipe(t, sizeof(*t));
	free(t);
}
