/*
 * libeum-host TLS 1.2 PSK server (RFC 5246 §7, RFC 4279 §2; suites 00A8 / 00AE of RFC 5487 and
 * SGP.02, scp81-https.md §3.1) for the SM-SR's SCP81 admin server. Written on its own mbedTLS calls,
 * independently of the card's src/crypto/tls.c (it is the peer of every card TLS test). Two byte
 * buffers stand in for the socket (mbedtls_ssl_set_bio); nothing here blocks.
 */
#include "tls_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/version.h>
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#define HT_IN_MAX     (5 + 16384 + 2048) /* one TLSCiphertext (RFC 5246 §6.2.3) */
#define HT_OUT_MAX    (256 * 1024)
#define HT_MAX_SUITES 8
#define HT_PSK_MAX    64

/* Growable byte buffer; the unread bytes are data[0 .. len). */
struct ht_bytes {
	uint8_t *data;
	size_t len, size;
};

struct eum_host_tls {
	mbedtls_ssl_context ssl;
	mbedtls_ssl_config conf;
	int suite_ids[HT_MAX_SUITES + 1]; /* referenced by conf */
	eum_host_tls_psk_fn psk;
	void *psk_ctx;
	eum_rng_fn rng;
	void *rng_ctx;
	mbedtls_entropy_context entropy; /* the internal DRBG when no rng is given */
	mbedtls_ctr_drbg_context drbg;
	int own_drbg;
	struct ht_bytes rx, tx;
	uint8_t *peer_id; /* copy of the client's PSK identity */
	size_t peer_id_len;
	int up, dead, peer_closed;
	char errtext[128];
};

static int ht_append(struct ht_bytes *b, const uint8_t *d, size_t n, size_t max)
{
	if (n > max - b->len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	if (b->size - b->len < n) {
		size_t size = b->size < 1024 ? 1024 : b->size;
		uint8_t *p;

		while (size - b->len < n)
			size *= 2;
		if (size > max)
			size = max;
		p = malloc(size); /* owned by the buffer */
		if (p == NULL)
			return EUM_ERR_NO_MEMORY;
		if (b->len)
			memcpy(p, b->data, b->len);
		if (b->data) {
			mbedtls_platform_zeroize(b->data, b->size);
			free(b->data);
		}
		b->data = p;
		b->size = size;
	}
	memcpy(b->data + b->len, d, n);
	b->len += n;
	return EUM_OK;
}

static size_t ht_take(struct ht_bytes *b, uint8_t *d, size_t cap)
{
	size_t n = b->len < cap ? b->len : cap;

	if (n == 0)
		return 0;
	memcpy(d, b->data, n);
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	mbedtls_platform_zeroize(b->data + b->len, n);
	return n;
}

static void ht_release(struct ht_bytes *b)
{
	if (b->data) {
		mbedtls_platform_zeroize(b->data, b->size);
		free(b->data);
	}
	b->data = NULL;
	b->len = b->size = 0;
}

static int ht_send(void *ctx, const unsigned char *buf, size_t len)
{
	eum_host_tls *t = ctx;

	return ht_append(&t->tx, buf, len, HT_OUT_MAX) == EUM_OK ? (int)len : MBEDTLS_ERR_SSL_ALLOC_FAILED;
}

static int ht_recv(void *ctx, unsigned char *buf, size_t len)
{
	eum_host_tls *t = ctx;

	if (t->rx.len == 0)
		return MBEDTLS_ERR_SSL_WANT_READ;
	return (int)ht_take(&t->rx, buf, len);
}

static int ht_rng(void *ctx, unsigned char *buf, size_t len)
{
	eum_host_tls *t = ctx;

	if (t->own_drbg)
		return mbedtls_ctr_drbg_random(&t->drbg, buf, len);
	return t->rng(t->rng_ctx, buf, len) == 0 ? 0 : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

/* RFC 4279 §2: the server finds the PSK from the identity in the ClientKeyExchange. */
static int ht_psk_lookup(void *ctx, mbedtls_ssl_context *ssl, const unsigned char *id, size_t id_len)
{
	eum_host_tls *t = ctx;
	uint8_t key[HT_PSK_MAX];
	size_t key_len = 0;
	int ret;

	free(t->peer_id);
	t->peer_id = NULL;
	t->peer_id_len = 0;
	if (id_len > 0) {
		t->peer_id = malloc(id_len); /* owned by t, freed by eum_host_tls_free() */
		if (t->peer_id == NULL)
			return -1;
		memcpy(t->peer_id, id, id_len);
		t->peer_id_len = id_len;
	}
	if (t->psk(t->psk_ctx, id, id_len, key, sizeof(key), &key_len) != 0 || key_len == 0 || key_len > sizeof(key)) {
		mbedtls_platform_zeroize(key, sizeof(key));
		return -1; /* mbedTLS answers unknown_psk_identity */
	}
	ret = mbedtls_ssl_set_hs_psk(ssl, key, key_len); /* copied into the handshake, wiped by mbedTLS */
	mbedtls_platform_zeroize(key, sizeof(key));
	return ret == 0 ? 0 : -1;
}

static int ht_error(eum_host_tls *t, int ret)
{
	char text[100];

	t->dead = 1;
	mbedtls_strerror(ret, text, sizeof(text));
	snprintf(t->errtext, sizeof(t->errtext), "mbedTLS -0x%04X: %s", (unsigned)-ret, text);
	return EUM_ERR_CRYPTO;
}

static int ht_setup(eum_host_tls *t, const struct eum_host_tls_config *cfg)
{
	static const uint16_t default_suites[] = {0x00A8, 0x00AE};
	const uint16_t *suites = cfg->suites ? cfg->suites : default_suites;
	size_t n = cfg->suites ? cfg->n_suites : 2, i;
	int ret;

	for (i = 0; i < n; i++)
		t->suite_ids[i] = suites[i];
	t->suite_ids[n] = 0;
	if (cfg->rng == NULL) {
		static const unsigned char pers[] = "eum-host tls";

		t->own_drbg = 1;
		ret = mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func, &t->entropy, pers, sizeof(pers) - 1);
		if (ret != 0)
			return ret;
	}
	ret = mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
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
	mbedtls_ssl_conf_ciphersuites(&t->conf, t->suite_ids);
	mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_NONE);
	mbedtls_ssl_conf_rng(&t->conf, ht_rng, t);
	mbedtls_ssl_conf_psk_cb(&t->conf, ht_psk_lookup, t);
#if defined(MBEDTLS_SSL_RENEGOTIATION)
	mbedtls_ssl_conf_renegotiation(&t->conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
#endif
	/* no session cache and no ticket callbacks: an SCP81 session is never resumed */
	ret = mbedtls_ssl_setup(&t->ssl, &t->conf);
	if (ret != 0)
		return ret;
	mbedtls_ssl_set_bio(&t->ssl, t, ht_send, ht_recv, NULL);
	return 0;
}

/* A plain PSK suite (RFC 4279 §2) this mbedTLS build has: 1; not PSK: 0; unknown to the build: -1. */
static int ht_psk_suite(uint16_t id)
{
	const mbedtls_ssl_ciphersuite_t *cs = mbedtls_ssl_ciphersuite_from_id(id);

	if (cs == NULL)
		return -1;
#if MBEDTLS_VERSION_MAJOR < 3
	return cs->key_exchange == MBEDTLS_KEY_EXCHANGE_PSK;
#else
	return cs->MBEDTLS_PRIVATE(key_exchange) == MBEDTLS_KEY_EXCHANGE_PSK;
#endif
}

int eum_host_tls_server_new(eum_host_tls **out, const struct eum_host_tls_config *cfg)
{
	eum_host_tls *t;
	size_t i;
	int ret;

	if (out == NULL)
		return EUM_ERR_INVALID_ARG;
	*out = NULL;
	if (cfg == NULL || cfg->psk == NULL ||
	    (cfg->suites != NULL && (cfg->n_suites == 0 || cfg->n_suites > HT_MAX_SUITES)))
		return EUM_ERR_INVALID_ARG;
	for (i = 0; cfg->suites != NULL && i < cfg->n_suites; i++) {
		int psk = ht_psk_suite(cfg->suites[i]);

		if (psk <= 0)
			return psk == 0 ? EUM_ERR_INVALID_ARG : EUM_ERR_CRYPTO;
	}
#if MBEDTLS_VERSION_MAJOR >= 3 && defined(MBEDTLS_PSA_CRYPTO_C)
	if (psa_crypto_init() != PSA_SUCCESS)
		return EUM_ERR_CRYPTO;
#endif
	t = calloc(1, sizeof(*t)); /* owned by the caller until eum_host_tls_free() */
	if (t == NULL)
		return EUM_ERR_NO_MEMORY;
	mbedtls_ssl_init(&t->ssl);
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_entropy_init(&t->entropy);
	mbedtls_ctr_drbg_init(&t->drbg);
	t->psk = cfg->psk;
	t->psk_ctx = cfg->psk_ctx;
	t->rng = cfg->rng;
	t->rng_ctx = cfg->rng_ctx;
	ret = ht_setup(t, cfg);
	if (ret != 0) {
		eum_host_tls_free(t);
		return ret == MBEDTLS_ERR_SSL_ALLOC_FAILED ? EUM_ERR_NO_MEMORY : EUM_ERR_CRYPTO;
	}
	*out = t;
	return EUM_OK;
}

int eum_host_tls_input(eum_host_tls *t, const uint8_t *d, size_t n)
{
	if (t == NULL || (d == NULL && n > 0))
		return EUM_ERR_INVALID_ARG;
	return n ? ht_append(&t->rx, d, n, HT_IN_MAX) : EUM_OK;
}

int eum_host_tls_handshake(eum_host_tls *t)
{
	int ret;

	if (t == NULL)
		return EUM_ERR_INVALID_ARG;
	if (t->dead)
		return EUM_ERR_CRYPTO;
	if (t->up)
		return EUM_OK;
	ret = mbedtls_ssl_handshake(&t->ssl);
	switch (ret) {
	case 0:
		t->up = 1;
		return EUM_OK;
	case MBEDTLS_ERR_SSL_WANT_READ:
	case MBEDTLS_ERR_SSL_WANT_WRITE:
		return EUM_HOST_TLS_AGAIN;
	default:
		return ht_error(t, ret);
	}
}

size_t eum_host_tls_output(eum_host_tls *t, uint8_t *buf, size_t cap)
{
	return t && buf ? ht_take(&t->tx, buf, cap) : 0;
}

size_t eum_host_tls_output_pending(const eum_host_tls *t)
{
	return t ? t->tx.len : 0;
}

int eum_host_tls_write(eum_host_tls *t, const uint8_t *d, size_t n)
{
	int ret;

	if (t == NULL || (d == NULL && n > 0))
		return EUM_ERR_INVALID_ARG;
	if (t->dead)
		return EUM_ERR_CRYPTO;
	if (!t->up || t->peer_closed)
		return EUM_ERR_STATE;
	while (n > 0) {
		ret = mbedtls_ssl_write(&t->ssl, d, n); /* one record per call */
		if (ret == MBEDTLS_ERR_SSL_ALLOC_FAILED) {
			t->dead = 1;
			snprintf(t->errtext, sizeof(t->errtext), "more than %d bytes of TLS output waiting",
			         HT_OUT_MAX);
			return EUM_ERR_NO_MEMORY;
		}
		if (ret <= 0)
			return ht_error(t, ret ? ret : MBEDTLS_ERR_SSL_INTERNAL_ERROR);
		d += ret;
		n -= (size_t)ret;
	}
	return EUM_OK;
}

int eum_host_tls_read(eum_host_tls *t, uint8_t *buf, size_t cap, size_t *n)
{
	int ret;

	if (n == NULL || t == NULL || buf == NULL || cap == 0) {
		if (n)
			*n = 0;
		return EUM_ERR_INVALID_ARG;
	}
	*n = 0;
	if (t->dead)
		return EUM_ERR_CRYPTO;
	if (!t->up)
		return EUM_ERR_STATE;
	if (t->peer_closed)
		return EUM_HOST_TLS_CLOSED;
	ret = mbedtls_ssl_read(&t->ssl, buf, cap);
	if (ret > 0) {
		*n = (size_t)ret;
		return EUM_OK;
	}
	switch (ret) {
	case 0:
	case MBEDTLS_ERR_SSL_WANT_READ:
	case MBEDTLS_ERR_SSL_WANT_WRITE:
		return EUM_HOST_TLS_AGAIN;
	case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
		t->peer_closed = 1;
		return EUM_HOST_TLS_CLOSED;
	default:
		return ht_error(t, ret);
	}
}

int eum_host_tls_close_notify(eum_host_tls *t)
{
	int ret;

	if (t == NULL)
		return EUM_ERR_INVALID_ARG;
	if (t->dead)
		return EUM_ERR_CRYPTO;
	if (!t->up)
		return EUM_ERR_STATE;
	ret = mbedtls_ssl_close_notify(&t->ssl);
	return ret == 0 || ret == MBEDTLS_ERR_SSL_WANT_WRITE ? EUM_OK : ht_error(t, ret);
}

uint16_t eum_host_tls_suite(const eum_host_tls *t)
{
	const char *name;

	if (t == NULL)
		return 0;
#if MBEDTLS_VERSION_MAJOR < 3
	if (t->ssl.session_negotiate != NULL)
		return (uint16_t)t->ssl.session_negotiate->ciphersuite;
#endif
	name = mbedtls_ssl_get_ciphersuite(&t->ssl);
	return name ? (uint16_t)mbedtls_ssl_get_ciphersuite_id(name) : 0;
}

const uint8_t *eum_host_tls_peer_identity(const eum_host_tls *t, size_t *len)
{
	if (len)
		*len = t ? t->peer_id_len : 0;
	return t ? t->peer_id : NULL;
}

const char *eum_host_tls_error(const eum_host_tls *t)
{
	if (t == NULL)
		return "no TLS context";
	return t->errtext[0] ? t->errtext : "no error";
}

void eum_host_tls_free(eum_host_tls *t)
{
	if (t == NULL)
		return;
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_ctr_drbg_free(&t->drbg);
	mbedtls_entropy_free(&t->entropy);
	ht_release(&t->rx);
	ht_release(&t->tx);
	free(t->peer_id);
	mbedtls_platform_zeroize(t, sizeof(*t));
	free(t);
}
