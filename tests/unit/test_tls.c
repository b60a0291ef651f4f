/*
 * The card's PSK-TLS 1.2 client (src/crypto/tls.c, scp81-https.md §3) against libeum-host's server
 * (src/host/tls_host.c, written on its own mbedTLS calls), all in memory: handshakes with 00A8 and
 * 00AE, max_fragment_length 512, application data both ways, close_notify; the ClientHello parsed
 * byte by byte (RFC 5246 §7.4.1.2, RFC 6066 §4); wrong PSK, unknown identity, truncated, tampered
 * and garbage records; a whole session fed one byte at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/tls.h"
#include "eum/eum.h"
#include "host/tls_host.h"

static const uint8_t card_psk[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                     0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
static const uint8_t other_psk[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                      0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFE};
/* SGP.02 "Table 4" identity text (scp81-https.md §3.3): 90 characters */
static const char sgp02_id[] = "800102811089049032123451234512345678901235"
                               "4F10A0000005591010FFFFFFFF8900000100820101830140";

/* ---- deterministic randomness for both ends (the library takes the caller's rng) ----------- */
static int test_rng(void *ctx, uint8_t *buf, size_t len)
{
	uint32_t *s = ctx;

	for (size_t i = 0; i < len; i++) {
		*s ^= *s << 13, *s ^= *s >> 17, *s ^= *s << 5;
		buf[i] = (uint8_t)*s;
	}
	return 0;
}

/* ---- the SM-SR's key table: one identity, one key ------------------------------------------ */
struct keytab {
	const uint8_t *psk;
	size_t psk_len;
	int lookups;
};

static int host_psk(void *ctx, const uint8_t *id, size_t id_len, uint8_t *psk, size_t cap, size_t *psk_len)
{
	struct keytab *k = ctx;

	k->lookups++;
	if (id_len != strlen(sgp02_id) || memcmp(id, sgp02_id, id_len) != 0 || k->psk_len > cap)
		return -1;
	memcpy(psk, k->psk, k->psk_len);
	*psk_len = k->psk_len;
	return 0;
}

struct pair {
	eum_tls *card;
	eum_host_tls *host;
	struct keytab keys;
	uint32_t card_seed, host_seed;
	uint16_t suites[4];
	/* what each side sent during the handshake, flight by flight */
	uint8_t c2s[4][2048], s2c[4][2048];
	size_t c2s_len[4], s2c_len[4];
	int c2s_n, s2c_n;
	int card_rc, host_rc;
};

static void pair_open(struct pair *p, const uint16_t *suites, size_t n, uint16_t mfl, const uint8_t *key_of_card)
{
	struct eum_tls_config cc = {0};
	struct eum_host_tls_config hc = {0};

	memset(p, 0, sizeof(*p));
	p->card_seed = 0x12345678;
	p->host_seed = 0x9ABCDEF0;
	p->keys.psk = card_psk;
	p->keys.psk_len = sizeof(card_psk);
	memcpy(p->suites, suites, n * sizeof(*suites));
	cc.psk = key_of_card;
	cc.psk_len = 16;
	cc.identity = (const uint8_t *)sgp02_id;
	cc.identity_len = strlen(sgp02_id);
	cc.suites = p->suites;
	cc.n_suites = n;
	cc.max_fragment = mfl;
	cc.rng = test_rng;
	cc.rng_ctx = &p->card_seed;
	assert_int_equal(eum_tls_client_new(&p->card, &cc), EUM_OK);
	hc.psk = host_psk;
	hc.psk_ctx = &p->keys;
	hc.rng = test_rng;
	hc.rng_ctx = &p->host_seed;
	assert_int_equal(eum_host_tls_server_new(&p->host, &hc), EUM_OK);
}

static void pair_close(struct pair *p)
{
	eum_tls_free(p->card);
	eum_host_tls_free(p->host);
}

/* Move bytes card -> host, `piece` bytes at a time (0: all at once), driving the host after each. */
static size_t card_to_host(struct pair *p, size_t piece)
{
	uint8_t buf[4096];
	size_t n = eum_tls_output(p->card, buf, sizeof(buf)), off = 0;

	assert_int_equal(eum_tls_output_pending(p->card), 0);
	if (n && p->c2s_n < 4) {
		memcpy(p->c2s[p->c2s_n], buf, n);
		p->c2s_len[p->c2s_n++] = n;
	}
	while (off < n) {
		size_t k = piece && piece < n - off ? piece : n - off;

		assert_int_equal(eum_host_tls_input(p->host, buf + off, k), EUM_OK);
		off += k;
		p->host_rc = eum_host_tls_handshake(p->host);
		if (p->host_rc < 0)
			break;
	}
	return n;
}

static size_t host_to_card(struct pair *p, size_t piece)
{
	uint8_t buf[4096];
	size_t n = eum_host_tls_output(p->host, buf, sizeof(buf)), off = 0;

	assert_int_equal(eum_host_tls_output_pending(p->host), 0);
	if (n && p->s2c_n < 4) {
		memcpy(p->s2c[p->s2c_n], buf, n);
		p->s2c_len[p->s2c_n++] = n;
	}
	while (off < n) {
		size_t k = piece && piece < n - off ? piece : n - off;

		assert_int_equal(eum_tls_input(p->card, buf + off, k), EUM_OK);
		off += k;
		p->card_rc = eum_tls_handshake(p->card);
		if (p->card_rc < 0)
			break;
	}
	return n;
}

/* Run the handshake to its end (or failure); returns the number of round trips. */
static int pair_handshake(struct pair *p, size_t piece)
{
	int rounds = 0;

	p->card_rc = eum_tls_handshake(p->card);
	p->host_rc = EUM_HOST_TLS_AGAIN;
	while (rounds < 10) {
		size_t moved = card_to_host(p, piece);

		moved += host_to_card(p, piece);
		rounds++;
		if (p->card_rc < 0 || p->host_rc < 0 || (p->card_rc == EUM_OK && p->host_rc == EUM_OK) || moved == 0)
			break;
	}
	return rounds;
}

/* The records of a byte stream: count, and the largest fragment length; asserts the framing. */
static size_t records(const uint8_t *d, size_t n, uint8_t type, size_t *max_frag)
{
	size_t off = 0, count = 0;

	*max_frag = 0;
	while (off < n) {
		size_t len;

		assert_true(n - off >= 5);
		assert_int_equal(d[off], type);
		assert_int_equal(d[off + 1], 3);
		assert_int_equal(d[off + 2], 3);
		len = (size_t)d[off + 3] << 8 | d[off + 4];
		assert_true(n - off - 5 >= len);
		if (len > *max_frag)
			*max_frag = len;
		off += 5 + len;
		count++;
	}
	return count;
}

/* ---- handshakes ---------------------------------------------------------------------------- */

static void handshake_with(uint16_t suite, uint16_t mfl, size_t piece)
{
	static const char post[] = "POST /adm HTTP/1.1\r\nHost: 10.0.0.1\r\n"
	                           "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n\r\n";
	uint8_t big[2000], got[2100], wire[8192];
	size_t n, total, frag, id_len;
	struct pair p;
	const uint8_t *id;

	pair_open(&p, &suite, 1, mfl, card_psk);
	assert_int_equal(eum_tls_suite(p.card), 0);
	pair_handshake(&p, piece);
	assert_int_equal(p.card_rc, EUM_OK);
	assert_int_equal(p.host_rc, EUM_OK);
	assert_int_equal(eum_tls_suite(p.card), suite);
	assert_int_equal(eum_host_tls_suite(p.host), suite);
	assert_int_equal(p.keys.lookups, 1);
	id = eum_host_tls_peer_identity(p.host, &id_len);
	assert_int_equal(id_len, strlen(sgp02_id));
	assert_memory_equal(id, sgp02_id, id_len);
	/* flights: ClientHello; ServerHello..Done; CKE+CCS+Finished; CCS+Finished */
	assert_int_equal(p.c2s_n, 2);
	assert_int_equal(p.s2c_n, 2);
	print_message("suite %04X mfl %u: ClientHello record %zu B, server flight %zu B, client flight %zu B, "
	              "server finish %zu B\n",
	              suite, mfl, p.c2s_len[0], p.s2c_len[0], p.c2s_len[1], p.s2c_len[1]);
	/* client flight = ClientKeyExchange (4 + 2 + 90 identity) + CCS (1) + Finished (AEAD/CBC) */
	assert_int_equal(p.c2s[1][0], 0x16);
	assert_int_equal((p.c2s[1][3] << 8) | p.c2s[1][4], 4 + 2 + strlen(sgp02_id));
	assert_int_equal(p.c2s[1][5 + 4 + 2 + 90], 0x14);
	assert_int_equal(p.c2s_len[1], 5 + 96 + 6 + 5 + (suite == 0x00A8 ? 8 + 16 + 16 : 16 + 16 + 32 + 16));

	/* card -> host: one HTTP request */
	assert_int_equal(eum_tls_write(p.card, (const uint8_t *)post, strlen(post)), EUM_OK);
	total = eum_tls_output(p.card, wire, sizeof(wire));
	assert_int_equal(records(wire, total, 0x17, &frag), 1);
	for (size_t off = 0; off < total;) {
		size_t k = piece && piece < total - off ? piece : total - off;

		assert_int_equal(eum_host_tls_input(p.host, wire + off, k), EUM_OK);
		off += k;
	}
	assert_int_equal(eum_host_tls_read(p.host, got, sizeof(got), &n), EUM_OK);
	assert_int_equal(n, strlen(post));
	assert_memory_equal(got, post, n);
	assert_int_equal(eum_host_tls_read(p.host, got, sizeof(got), &n), EUM_HOST_TLS_AGAIN);
	assert_int_equal(n, 0);

	/* host -> card: 2000 bytes, cut into records of the negotiated fragment length */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(eum_host_tls_write(p.host, big, sizeof(big)), EUM_OK);
	total = eum_host_tls_output(p.host, wire, sizeof(wire));
	n = records(wire, total, 0x17, &frag);
	if (mfl == 512) {
		assert_int_equal(n, 4); /* 512 + 512 + 512 + 464 */
		assert_true(frag <= 512 + 64);
	} else {
		assert_int_equal(n, 1);
	}
	for (size_t off = 0; off < total;) {
		size_t k = piece && piece < total - off ? piece : total - off;

		assert_int_equal(eum_tls_input(p.card, wire + off, k), EUM_OK);
		off += k;
	}
	total = 0;
	while (total < sizeof(big)) {
		int rc = eum_tls_read(p.card, got + total, sizeof(got) - total, &n);

		assert_int_equal(rc, EUM_OK);
		assert_true(n > 0 && n <= (mfl ? mfl : 16384));
		total += n;
	}
	assert_int_equal(total, sizeof(big));
	assert_memory_equal(got, big, sizeof(big));
	assert_int_equal(eum_tls_read(p.card, got, sizeof(got), &n), EUM_TLS_AGAIN);

	/* card -> host, larger than a fragment */
	assert_int_equal(eum_tls_write(p.card, big, 1500), EUM_OK);
	total = eum_tls_output(p.card, wire, sizeof(wire));
	assert_int_equal(records(wire, total, 0x17, &frag), mfl == 512 ? 3 : 1);
	assert_int_equal(eum_host_tls_input(p.host, wire, total), EUM_OK);
	total = 0;
	while (total < 1500) {
		assert_int_equal(eum_host_tls_read(p.host, got + total, sizeof(got) - total, &n), EUM_OK);
		total += n;
	}
	assert_memory_equal(got, big, 1500);

	/* close_notify: an encrypted alert record from the card, CLOSED at the host, and back */
	assert_int_equal(eum_tls_close_notify(p.card), EUM_OK);
	total = eum_tls_output(p.card, wire, sizeof(wire));
	assert_int_equal(records(wire, total, 0x15, &frag), 1);
	assert_int_equal(frag, suite == 0x00A8 ? 8 + 2 + 16 : 16 + 16 + 32 /* IV + pad(2+32 MAC) */);
	assert_int_equal(eum_host_tls_input(p.host, wire, total), EUM_OK);
	assert_int_equal(eum_host_tls_read(p.host, got, sizeof(got), &n), EUM_HOST_TLS_CLOSED);
	assert_int_equal(eum_host_tls_close_notify(p.host), EUM_OK);
	total = eum_host_tls_output(p.host, wire, sizeof(wire));
	assert_int_equal(eum_tls_input(p.card, wire, total), EUM_OK);
	assert_int_equal(eum_tls_read(p.card, got, sizeof(got), &n), EUM_TLS_CLOSED);
	assert_int_equal(eum_tls_read(p.card, got, sizeof(got), &n), EUM_TLS_CLOSED);
	assert_int_equal(eum_tls_write(p.card, big, 1), EUM_ERR_STATE);
	assert_string_equal(eum_tls_error(p.card), "no error");
	pair_close(&p);
}

static void test_handshake_gcm(void **state)
{
	(void)state;
	handshake_with(EUM_TLS_PSK_AES128_GCM_SHA256, 0, 0);
}

static void test_handshake_cbc(void **state)
{
	(void)state;
	handshake_with(EUM_TLS_PSK_AES128_CBC_SHA256, 0, 0);
}

static void test_handshake_gcm_mfl512(void **state)
{
	(void)state;
	handshake_with(EUM_TLS_PSK_AES128_GCM_SHA256, 512, 0);
}

static void test_handshake_cbc_mfl512(void **state)
{
	(void)state;
	handshake_with(EUM_TLS_PSK_AES128_CBC_SHA256, 512, 0);
}

/* Every byte in both directions arrives alone (a terminal handing over RECEIVE DATA in pieces). */
static void test_one_byte_pieces(void **state)
{
	(void)state;
	handshake_with(EUM_TLS_PSK_AES128_GCM_SHA256, 512, 1);
	handshake_with(EUM_TLS_PSK_AES128_CBC_SHA256, 0, 1);
}

/* Both suites offered: the server's preference (00A8 first in its default list) wins. */
static void test_two_suites_offered(void **state)
{
	static const uint16_t both[] = {EUM_TLS_PSK_AES128_CBC_SHA256, EUM_TLS_PSK_AES128_GCM_SHA256};
	struct pair p;

	(void)state;
	pair_open(&p, both, 2, 512, card_psk);
	pair_handshake(&p, 0);
	assert_int_equal(p.card_rc, EUM_OK);
	assert_int_equal(p.host_rc, EUM_OK);
	assert_int_equal(eum_tls_suite(p.card), EUM_TLS_PSK_AES128_GCM_SHA256);
	pair_close(&p);
}

/* ---- the ClientHello, byte by byte (RFC 5246 §7.4.1.2) --------------------------------------- */

static void check_client_hello(const uint16_t *suites, size_t n_suites, uint16_t mfl)
{
	struct pair p;
	const uint8_t *h;
	size_t len, off, ext_end, n_ext = 0;
	int seen_mfl = 0, seen_sigalg = 0;

	pair_open(&p, suites, n_suites, mfl, card_psk);
	assert_int_equal(eum_tls_handshake(p.card), EUM_TLS_AGAIN);
	len = eum_tls_output(p.card, p.c2s[0], sizeof(p.c2s[0]));
	h = p.c2s[0];
	/* record: handshake (22), TLS 1.2, one record holding the whole message */
	assert_true(len > 5 + 4 + 38);
	assert_int_equal(h[0], 0x16);
	assert_int_equal(h[1], 0x03);
	assert_int_equal(h[2], 0x03);
	assert_int_equal((size_t)(h[3] << 8 | h[4]), len - 5);
	/* handshake header: client_hello (1), 24-bit length */
	assert_int_equal(h[5], 0x01);
	assert_int_equal((size_t)(h[6] << 16 | h[7] << 8 | h[8]), len - 9);
	assert_int_equal(h[9], 0x03); /* client_version 3.3 */
	assert_int_equal(h[10], 0x03);
	off = 11 + 32;               /* random */
	assert_int_equal(h[off], 0); /* empty session id: no resumption */
	off++;
	/* cipher suites: the configured ones in order, then only the RFC 5746 signalling value */
	assert_int_equal(h[off] << 8 | h[off + 1], 2 * (n_suites + 1));
	off += 2;
	for (size_t i = 0; i < n_suites; i++, off += 2)
		assert_int_equal(h[off] << 8 | h[off + 1], suites[i]);
	assert_int_equal(h[off] << 8 | h[off + 1], 0x00FF);
	off += 2;
	assert_int_equal(h[off], 1); /* compression: null only */
	assert_int_equal(h[off + 1], 0);
	off += 2;
	ext_end = off + 2 + (size_t)(h[off] << 8 | h[off + 1]);
	assert_int_equal(ext_end, len);
	off += 2;
	while (off < ext_end) {
		uint16_t type = (uint16_t)(h[off] << 8 | h[off + 1]);
		size_t elen = (size_t)(h[off + 2] << 8 | h[off + 3]);

		assert_true(off + 4 + elen <= ext_end);
		assert_int_not_equal(type, 0x0016); /* encrypt_then_mac */
		assert_int_not_equal(type, 0x0023); /* session_ticket */
		assert_int_not_equal(type, 0x0017); /* extended_master_secret: not offered (tls.c) */
		assert_int_not_equal(type, 0xFF01); /* renegotiation_info (the SCSV says it) */
		assert_int_not_equal(type, 0x0000); /* server_name */
		if (type == 0x0001) {
			assert_int_equal(elen, 1);
			assert_int_equal(h[off + 4], mfl == 512 ? 1 : mfl == 1024 ? 2 : mfl == 2048 ? 3 : 4);
			seen_mfl++;
		} else if (type == 0x000D) {
			/* signature_algorithms: mbedTLS 2.28 always writes it; cut to SHA-256 pairs */
			seen_sigalg++;
		} else {
			fail_msg("unexpected extension %04X", type);
		}
		off += 4 + elen;
		n_ext++;
	}
	assert_int_equal(seen_mfl, mfl ? 1 : 0);
	assert_true(seen_sigalg <= 1);
	print_message("ClientHello with %zu suite(s), mfl %u: %zu bytes, %zu extension(s)\n", n_suites, mfl, len,
	              n_ext);
	pair_close(&p);
}

static void test_client_hello_bytes(void **state)
{
	static const uint16_t sgp02[] = {EUM_TLS_PSK_AES128_GCM_SHA256, EUM_TLS_PSK_AES128_CBC_SHA256};
	static const uint16_t three[] = {EUM_TLS_PSK_AES128_CBC_SHA256, EUM_TLS_PSK_AES128_CBC_SHA,
	                                 EUM_TLS_PSK_AES128_GCM_SHA256};
	static const uint16_t one[] = {EUM_TLS_PSK_AES128_CBC_SHA256};

	(void)state;
	check_client_hello(sgp02, 2, 512);
	check_client_hello(sgp02, 2, 0);
	check_client_hello(three, 3, 1024);
	check_client_hello(one, 1, 4096);
}

/* ---- failures ---------------------------------------------------------------------------- */

/* A wrong PSK on the card: the server's Finished check fails (bad_record_mac, RFC 5246 §7.2.2), both
 * ends fail, no application data crosses. */
static void test_wrong_psk(void **state)
{
	static const uint8_t bad_record_mac[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x14};
	const uint16_t suites[] = {EUM_TLS_PSK_AES128_GCM_SHA256, EUM_TLS_PSK_AES128_CBC_SHA256};
	uint8_t buf[64];
	size_t n;
	struct pair p;

	(void)state;
	for (size_t s = 0; s < 2; s++) {
		pair_open(&p, &suites[s], 1, 512, other_psk);
		pair_handshake(&p, 0);
		assert_int_equal(p.host_rc, EUM_ERR_CRYPTO);
		assert_int_equal(p.card_rc, EUM_ERR_CRYPTO);
		/* the server's fatal alert, in clear (its write side never switched), reached the card */
		assert_int_equal(p.s2c_n, 2);
		assert_int_equal(p.s2c_len[1], sizeof(bad_record_mac));
		assert_memory_equal(p.s2c[1], bad_record_mac, sizeof(bad_record_mac));
		assert_non_null(strstr(eum_tls_error(p.card), "alert"));
		assert_int_equal(eum_tls_handshake(p.card), EUM_ERR_CRYPTO);
		assert_int_equal(eum_host_tls_handshake(p.host), EUM_ERR_CRYPTO);
		assert_int_equal(eum_tls_write(p.card, buf, 4), EUM_ERR_CRYPTO);
		assert_int_equal(eum_tls_read(p.card, buf, sizeof(buf), &n), EUM_ERR_CRYPTO);
		assert_int_equal(n, 0);
		assert_int_equal(eum_host_tls_write(p.host, buf, 4), EUM_ERR_CRYPTO);
		assert_int_equal(eum_host_tls_read(p.host, buf, sizeof(buf), &n), EUM_ERR_CRYPTO);
		assert_int_equal(n, 0);
		assert_int_equal(eum_tls_close_notify(p.card), EUM_ERR_CRYPTO);
		assert_int_equal(eum_tls_output_pending(p.card), 0);
		pair_close(&p);
	}
}

/* An identity the SM-SR does not know: unknown_psk_identity (RFC 4279 §2), the card fails too. */
static void test_unknown_identity(void **state)
{
	static const uint8_t unknown_id[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x73};
	const uint16_t suite = EUM_TLS_PSK_AES128_GCM_SHA256;
	struct eum_tls_config cc = {0};
	struct pair p;

	(void)state;
	pair_open(&p, &suite, 1, 0, card_psk);
	eum_tls_free(p.card);
	cc.psk = card_psk;
	cc.psk_len = 16;
	cc.identity = (const uint8_t *)"someone-else";
	cc.identity_len = 12;
	cc.suites = &suite;
	cc.n_suites = 1;
	cc.rng = test_rng;
	cc.rng_ctx = &p.card_seed;
	assert_int_equal(eum_tls_client_new(&p.card, &cc), EUM_OK);
	pair_handshake(&p, 0);
	assert_int_equal(p.host_rc, EUM_ERR_CRYPTO);
	assert_int_equal(p.card_rc, EUM_ERR_CRYPTO);
	assert_int_equal(p.s2c_len[1], sizeof(unknown_id));
	assert_memory_equal(p.s2c[1], unknown_id, sizeof(unknown_id));
	pair_close(&p);
}

/* What the card sent after a failure: exactly one plaintext fatal alert record. */
static void assert_fatal_alert(eum_tls *t, const uint8_t alert[7])
{
	uint8_t out[64];

	assert_int_equal(eum_tls_output(t, out, sizeof(out)), 7);
	assert_memory_equal(out, alert, 7);
}

/* The server flight with its first record cut short, or garbage instead of it. */
static void test_truncated_and_garbage(void **state)
{
	static const uint8_t unexpected[7] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0A}; /* fatal unexpected_message */
	static const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
	static const uint8_t huge[] = {0x16, 0x03, 0x03, 0xFF, 0xFF, 0x02};
	const uint16_t suite = EUM_TLS_PSK_AES128_GCM_SHA256;
	uint8_t flight[2048], cut[2048];
	size_t n, rlen;
	struct pair p;

	(void)state;
	/* the genuine server flight, taken once */
	pair_open(&p, &suite, 1, 512, card_psk);
	assert_int_equal(eum_tls_handshake(p.card), EUM_TLS_AGAIN);
	card_to_host(&p, 0);
	assert_int_equal(p.host_rc, EUM_HOST_TLS_AGAIN);
	n = eum_host_tls_output(p.host, flight, sizeof(flight));
	assert_true(n > 5);
	rlen = (size_t)flight[3] << 8 | flight[4];
	pair_close(&p);

	/* 1. only part of the record arrives (the channel then closes): still waiting, not established */
	pair_open(&p, &suite, 1, 512, card_psk);
	assert_int_equal(eum_tls_handshake(p.card), EUM_TLS_AGAIN);
	assert_int_equal(eum_tls_input(p.card, flight, 5 + rlen / 2), EUM_OK);
	assert_int_equal(eum_tls_handshake(p.card), EUM_TLS_AGAIN);
	assert_int_equal(eum_tls_suite(p.card), 0);
	assert_int_equal(eum_tls_close_notify(p.card), EUM_ERR_STATE);
	pair_close(&p);

	/* 2. the ServerHello record shortened by 10 bytes (its header says so): the card refuses it */
	pair_open(&p, &suite, 1, 512, card_psk);
	assert_int_equal(eum_tls_handshake(p.card), EUM_TLS_AGAIN);
	assert_true(eum_tls_output(p.card, cut, sizeof(cut)) > 0); /* the ClientHello, sent */
	memcpy(cut, flight, n);
	cut[3] = (uint8_t)((rlen - 10) >> 8);
	cut[4] = (uint8_t)(rlen - 10);
	memmove(cut + 5 + rlen - 10, flight + 5 + rlen, n - 5 - rlen);
	assert_int_equal(eum_tls_input(p.card, cut, n - 10), EUM_OK);
	assert_int_equal(eum_tls_handshake(p.card), EUM_ERR_CRYPTO);
	assert_int_equal(eum_tls_handshake(p.card), EUM_ERR_CRYPTO);
	print_message("shortened ServerHello: %s\n", eum_tls_error(p.card));
	assert_fatal_alert(p.card, unexpected);
	pair_close(&p);

	/* 3. not TLS at all */
	pair_open(&p, &suite, 1, 512, card_psk);
	assert_int_equal(eum_tls_handshake(p.card), EUM_TLS_AGAIN);
	assert_true(eum_tls_output(p.card, cut, sizeof(cut)) > 0);
	assert_int_equal(eum_tls_input(p.card, (const uint8_t *)http, strlen(http)), EUM_OK);
	assert_int_equal(eum_tls_handshake(p.card), EUM_ERR_CRYPTO);
	print_message("HTTP instead of TLS: %s\n", eum_tls_error(p.card));
	assert_fatal_alert(p.card, unexpected);
	pair_close(&p);

	/* 4. a record header announcing 65535 bytes (over the 2^14 + 2048 limit) */
	pair_open(&p, &suite, 1, 512, card_psk);
	assert_int_equal(eum_tls_handshake(p.card), EUM_TLS_AGAIN);
	assert_true(eum_tls_output(p.card, cut, sizeof(cut)) > 0);
	assert_int_equal(eum_tls_input(p.card, huge, sizeof(huge)), EUM_OK);
	assert_int_equal(eum_tls_handshake(p.card), EUM_ERR_CRYPTO);
	assert_fatal_alert(p.card, unexpected);
	pair_close(&p);

	/* 5. the host fed garbage instead of a ClientHello */
	pair_open(&p, &suite, 1, 512, card_psk);
	assert_int_equal(eum_host_tls_input(p.host, (const uint8_t *)http, strlen(http)), EUM_OK);
	assert_int_equal(eum_host_tls_handshake(p.host), EUM_ERR_CRYPTO);
	pair_close(&p);
}

/* An application record altered on the way: bad_record_mac at the card, nothing delivered. */
static void test_tampered_record(void **state)
{
	const uint16_t suites[] = {EUM_TLS_PSK_AES128_GCM_SHA256, EUM_TLS_PSK_AES128_CBC_SHA256};
	uint8_t wire[256], got[64];
	size_t n, len, frag;
	struct pair p;

	(void)state;
	for (size_t s = 0; s < 2; s++) {
		pair_open(&p, &suites[s], 1, 512, card_psk);
		pair_handshake(&p, 0);
		assert_int_equal(p.card_rc, EUM_OK);
		assert_int_equal(eum_host_tls_write(p.host, (const uint8_t *)"HTTP/1.1 204 No Content\r\n\r\n", 27),
		                 EUM_OK);
		len = eum_host_tls_output(p.host, wire, sizeof(wire));
		wire[len - 3] ^= 0x01;
		assert_int_equal(eum_tls_input(p.card, wire, len), EUM_OK);
		assert_int_equal(eum_tls_read(p.card, got, sizeof(got), &n), EUM_ERR_CRYPTO);
		assert_int_equal(n, 0);
		/* the card's fatal bad_record_mac alert, encrypted under the session keys */
		len = eum_tls_output(p.card, wire, sizeof(wire));
		assert_int_equal(records(wire, len, 0x15, &frag), 1);
		assert_int_equal(frag, s == 0 ? 8 + 2 + 16 : 16 + 48);
		assert_int_equal(eum_host_tls_input(p.host, wire, len), EUM_OK);
		assert_int_equal(eum_host_tls_read(p.host, got, sizeof(got), &n), EUM_ERR_CRYPTO);
		pair_close(&p);
	}
}

/* ---- configuration and API misuse ---------------------------------------------------------- */

static void test_config_checks(void **state)
{
	const uint16_t ok[] = {EUM_TLS_PSK_AES128_GCM_SHA256}, rsa[] = {0x002F}, dup[] = {0x00A8, 0x00A8};
	const uint16_t five[] = {0x00A8, 0x00AE, 0x008C, 0x00A8, 0x00AE};
	uint32_t seed = 1;
	struct eum_tls_config c = {card_psk, 16, (const uint8_t *)"id", 2, ok, 1, 512, test_rng, &seed};
	struct eum_tls_config b;
	eum_tls *t = (eum_tls *)&seed;
	uint8_t buf[32];
	size_t n;

	(void)state;
	assert_int_equal(eum_tls_client_new(&t, NULL), EUM_ERR_INVALID_ARG);
	assert_null(t);
	assert_int_equal(eum_tls_client_new(NULL, &c), EUM_ERR_INVALID_ARG);
#define REFUSED(field, value)                                                                                          \
	do {                                                                                                           \
		b = c;                                                                                                 \
		b.field = value;                                                                                       \
		assert_int_equal(eum_tls_client_new(&t, &b), EUM_ERR_INVALID_ARG);                                     \
		assert_null(t);                                                                                        \
	} while (0)
	REFUSED(psk_len, 15);
	REFUSED(psk_len, 33);
	REFUSED(psk, NULL);
	REFUSED(identity_len, 0);
	REFUSED(identity, NULL);
	REFUSED(n_suites, 0);
	REFUSED(suites, rsa);
	REFUSED(max_fragment, 300);
	REFUSED(rng, NULL);
	b = c;
	b.suites = five;
	b.n_suites = 5;
	assert_int_equal(eum_tls_client_new(&t, &b), EUM_ERR_INVALID_ARG);
	b.suites = dup;
	b.n_suites = 2;
	assert_int_equal(eum_tls_client_new(&t, &b), EUM_ERR_INVALID_ARG);
#undef REFUSED
	/* a valid context before its handshake */
	assert_int_equal(eum_tls_client_new(&t, &c), EUM_OK);
	assert_int_equal(eum_tls_write(t, buf, 1), EUM_ERR_STATE);
	assert_int_equal(eum_tls_read(t, buf, sizeof(buf), &n), EUM_ERR_STATE);
	assert_int_equal(eum_tls_close_notify(t), EUM_ERR_STATE);
	assert_int_equal(eum_tls_output(t, buf, sizeof(buf)), 0);
	assert_int_equal(eum_tls_input(t, buf, 0), EUM_OK);
	/* more than one record's worth of unread input is refused, nothing is taken */
	{
		static uint8_t flood[5 + 16384 + 2048 + 1];

		assert_int_equal(eum_tls_input(t, flood, sizeof(flood)), EUM_ERR_BUFFER_TOO_SMALL);
		assert_int_equal(eum_tls_input(t, flood, sizeof(flood) - 1), EUM_OK);
		assert_int_equal(eum_tls_input(t, flood, 1), EUM_ERR_BUFFER_TOO_SMALL);
	}
	eum_tls_free(t);
	eum_tls_free(NULL);
	assert_int_equal(eum_tls_suite(NULL), 0);

	/* the host refuses what it cannot serve */
	{
		struct eum_host_tls_config hc = {host_psk, NULL, rsa, 1, test_rng, &seed};
		eum_host_tls *h = NULL;

		assert_int_equal(eum_host_tls_server_new(&h, &hc), EUM_ERR_INVALID_ARG); /* not a PSK suite */
		assert_null(h);
		hc.suites = ok, hc.n_suites = 0;
		assert_int_equal(eum_host_tls_server_new(&h, &hc), EUM_ERR_INVALID_ARG);
		hc.psk = NULL, hc.n_suites = 1;
		assert_int_equal(eum_host_tls_server_new(&h, &hc), EUM_ERR_INVALID_ARG);
		hc.psk = host_psk, hc.rng = NULL; /* internal DRBG */
		assert_int_equal(eum_host_tls_server_new(&h, &hc), EUM_OK);
		assert_int_equal(eum_host_tls_write(h, buf, 1), EUM_ERR_STATE);
		assert_int_equal(eum_host_tls_close_notify(h), EUM_ERR_STATE);
		assert_null(eum_host_tls_peer_identity(h, &n));
		assert_int_equal(n, 0);
		eum_host_tls_free(h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_handshake_gcm),        cmocka_unit_test(test_handshake_cbc),
	        cmocka_unit_test(test_handshake_gcm_mfl512), cmocka_unit_test(test_handshake_cbc_mfl512),
	        cmocka_unit_test(test_one_byte_pieces),      cmocka_unit_test(test_two_suites_offered),
	        cmocka_unit_test(test_client_hello_bytes),   cmocka_unit_test(test_wrong_psk),
	        cmocka_unit_test(test_unknown_identity),     cmocka_unit_test(test_truncated_and_garbage),
	        cmocka_unit_test(test_tampered_record),      cmocka_unit_test(test_config_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
