/*
 * Tests of libeum-host's SM-SR HTTPS admin server over PSK-TLS (src/host/https_server.c with tls_host.c),
 * in memory against the card's TLS client (src/crypto/tls.c, used here only as a peer): a whole admin
 * session with the SGP.02 PSK identity (digest §3.3), both SGP.02 suites, 512-byte fragments with a 4 KB
 * script, the PSK callback, a wrong PSK, an unknown identity, a truncated answer, and a card that closes
 * mid-session. The end-to-end run with the card's admin agent over BIP is tests/e2e (agent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/tls.h"
#include "eum/eum.h"
#include "eum/host/https.h"

#define PROTO  "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
#define CT_CMD "Content-Type: application/vnd.globalplatform.card-content-mgt;version=1.0\r\n"

static const uint8_t eid[16] = {0x89, 0x04, 0x90, 0x32, 0x12, 0x34, 0x51, 0x23,
                                0x45, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x35};
static const uint8_t isdr[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
static const uint8_t psk[16] = {0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
                                0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F};
static const uint8_t af_9000[8] = {0xAF, 0x80, 0x23, 0x02, 0x90, 0x00, 0x00, 0x00};

static int rng(void *ctx, uint8_t *buf, size_t len)
{
	unsigned *c = ctx;
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(++*c * 131u + 7u);
	return 0;
}

struct pair {
	eum_tls *card;
	eum_host_https *srv;
	unsigned rc, rs;
	uint8_t id[128];
	size_t id_len;
	int card_rc; /* last eum_tls_handshake() result */
};

/* Move bytes both ways until neither side has anything to send. */
static void exchange(struct pair *p)
{
	uint8_t buf[20000];
	size_t n;
	int moved;

	do {
		moved = 0;
		while ((n = eum_tls_output(p->card, buf, sizeof(buf))) > 0) {
			eum_host_https_input(p->srv, buf, n);
			moved = 1;
		}
		while ((n = eum_host_https_output(p->srv, buf, 1000)) > 0) {
			assert_int_equal(eum_tls_input(p->card, buf, n), EUM_OK);
			moved = 1;
		}
		if (eum_tls_suite(p->card) == 0 || p->card_rc == EUM_TLS_AGAIN)
			p->card_rc = eum_tls_handshake(p->card);
	} while (moved);
}

static void open_pair(struct pair *p, const uint16_t *card_suites, size_t n_card, uint16_t max_frag,
                      const uint8_t *card_psk, const struct eum_host_https_config *cfg_in)
{
	struct eum_tls_config tc;
	struct eum_host_https_config cfg;
	struct eum_host_https_psk hp;

	memset(p, 0, sizeof(*p));
	assert_int_equal(eum_host_https_sgp02_identity(eid, isdr, 16, 0x01, 0x40, p->id, sizeof(p->id), &p->id_len),
	                 EUM_OK);
	memset(&tc, 0, sizeof(tc));
	tc.psk = card_psk;
	tc.psk_len = 16;
	tc.identity = p->id;
	tc.identity_len = p->id_len;
	tc.suites = card_suites;
	tc.n_suites = n_card;
	tc.max_fragment = max_frag;
	tc.rng = rng;
	tc.rng_ctx = &p->rc;
	assert_int_equal(eum_tls_client_new(&p->card, &tc), EUM_OK);
	if (cfg_in) {
		cfg = *cfg_in;
	} else {
		eum_host_https_config_init(&cfg);
		hp.identity = p->id;
		hp.identity_len = p->id_len;
		hp.psk = psk;
		hp.psk_len = sizeof(psk);
		cfg.psks = &hp;
		cfg.n_psks = 1;
	}
	cfg.rng = rng;
	cfg.rng_ctx = &p->rs;
	assert_int_equal(eum_host_https_new(&p->srv, &cfg), EUM_OK);
	assert_int_equal(eum_host_https_state(p->srv), EUM_HOST_HTTPS_HANDSHAKE);
	p->card_rc = eum_tls_handshake(p->card);
	assert_int_equal(p->card_rc, EUM_TLS_AGAIN);
	exchange(p);
}

static void close_pair(struct pair *p)
{
	eum_tls_free(p->card);
	eum_host_https_free(p->srv);
}

static void card_send(struct pair *p, const char *txt, const uint8_t *body, size_t body_len)
{
	assert_int_equal(eum_tls_write(p->card, (const uint8_t *)txt, strlen(txt)), EUM_OK);
	if (body_len)
		assert_int_equal(eum_tls_write(p->card, body, body_len), EUM_OK);
	exchange(p);
}

/* Everything the card can read now; returns the read result of the last call. */
static int card_read(struct pair *p, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = 0;
	int rc;

	*len = 0;
	do {
		rc = eum_tls_read(p->card, out + *len, cap - *len, &n);
		if (rc == EUM_OK)
			*len += n;
	} while (rc == EUM_OK && *len < cap);
	return rc;
}

static void run_session(const uint16_t *suites, size_t n_suites, uint16_t max_frag, size_t script_len,
                        uint16_t want_suite)
{
	static uint8_t script[4096 + 4], got[6000], want[6000];
	struct pair p;
	struct eum_host_https_report r;
	const uint8_t *pid;
	size_t n, w, plen, i;
	int rc;

	open_pair(&p, suites, n_suites, max_frag, psk, NULL);
	assert_int_equal(p.card_rc, EUM_OK);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_OPEN);
	assert_int_equal(eum_host_https_suite(p.srv), want_suite);
	assert_int_equal(eum_tls_suite(p.card), want_suite);
	pid = eum_host_https_peer_identity(p.srv, &plen);
	assert_non_null(pid);
	assert_int_equal(plen, 90);
	assert_memory_equal(pid, p.id, 90);

	/* a script of script_len bytes: AE 80 22 82 xx xx <filler> 00 00 (only the bytes matter here) */
	memset(script, 0x5A, sizeof(script));
	script[0] = 0xAE;
	script[1] = 0x80;
	script[script_len - 2] = script[script_len - 1] = 0x00;
	assert_int_equal(eum_host_https_queue(p.srv, script, script_len, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_finish(p.srv), EUM_OK);
	card_send(&p, "POST /adm?cmd=1 HTTP/1.1\r\nHost: 10.0.0.1\r\n" PROTO "\r\n", NULL, 0);
	rc = card_read(&p, got, sizeof(got), &n);
	assert_int_equal(rc, EUM_TLS_AGAIN);
	w = (size_t)snprintf((char *)want, sizeof(want),
	                     "HTTP/1.1 200 OK\r\n" PROTO "X-Admin-Next-URI: /smsr/1\r\n" CT_CMD
	                     "Transfer-Encoding: chunked\r\n\r\n%zX\r\n",
	                     script_len);
	memcpy(want + w, script, script_len);
	w += script_len;
	memcpy(want + w, "\r\n0\r\n\r\n", 7);
	w += 7;
	assert_int_equal(n, w);
	assert_memory_equal(got, want, w);

	card_send(&p,
	          "POST /smsr/1 HTTP/1.1\r\nHost: 10.0.0.1\r\n" PROTO
	          "X-Admin-Script-Status: ok\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n",
	          NULL, 0);
	assert_int_equal(eum_tls_write(p.card, af_9000, 8), EUM_OK);
	card_send(&p, "\r\n0\r\n\r\n", NULL, 0);
	/* the final 204, then the server's close_notify */
	rc = card_read(&p, got, sizeof(got), &n);
	assert_int_equal(rc, EUM_TLS_CLOSED);
	w = strlen("HTTP/1.1 204 No Content\r\n" PROTO "\r\n");
	assert_int_equal(n, w);
	assert_memory_equal(got, "HTTP/1.1 204 No Content\r\n" PROTO "\r\n", w);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_DONE);
	/* the card's own close_notify after the end is accepted and ignored */
	assert_int_equal(eum_tls_close_notify(p.card), EUM_OK);
	n = eum_tls_output(p.card, got, sizeof(got));
	assert_true(n > 0);
	assert_int_equal(eum_host_https_input(p.srv, got, n), EUM_OK);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_DONE);

	for (i = 1; i <= 2; i++) {
		assert_int_equal(eum_host_https_poll(p.srv, &r), EUM_OK);
		assert_int_equal(r.post, i);
	}
	assert_int_equal(r.script_id, 1);
	assert_int_equal(r.status, EUM_HOST_HTTPS_STATUS_OK);
	assert_int_equal(r.body_len, 8);
	assert_memory_equal(r.body, af_9000, 8);
	assert_string_equal(eum_host_https_error(p.srv), "");
	close_pair(&p);
}

static void test_session_gcm(void **state)
{
	static const uint16_t s[] = {0x00A8, 0x00AE};

	(void)state;
	run_session(s, 2, 0, 32, 0x00A8);
}

/* CBC-SHA256, 512-byte records: a 4 KB script crosses many records in both directions. */
static void test_session_cbc_fragments(void **state)
{
	static const uint16_t s[] = {0x00AE};

	(void)state;
	run_session(s, 1, 512, 4096, 0x00AE);
}

static int cb_calls;

static int psk_cb(void *ctx, const uint8_t *identity, size_t id_len, uint8_t *out, size_t cap, size_t *len)
{
	(void)ctx;
	cb_calls++;
	if (id_len != 90 || memcmp(identity, "800102", 6) != 0 || cap < 16)
		return -1;
	memcpy(out, psk, 16);
	*len = 16;
	return 0;
}

/* The PSK from the callback when the table has no entry for the identity. */
static void test_psk_callback(void **state)
{
	static const uint16_t s[] = {0x00A8};
	struct eum_host_https_config cfg;
	struct pair p;

	(void)state;
	eum_host_https_config_init(&cfg);
	cfg.psk_fn = psk_cb;
	cb_calls = 0;
	open_pair(&p, s, 1, 0, psk, &cfg);
	assert_int_equal(p.card_rc, EUM_OK);
	assert_int_equal(cb_calls, 1);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_OPEN);
	close_pair(&p);
}

/* A wrong PSK and an unknown identity: the handshake fails on both sides, the server says why. */
static void test_wrong_psk_unknown_identity(void **state)
{
	static const uint16_t s[] = {0x00A8};
	static const uint8_t other[16] = {1};
	struct eum_host_https_config cfg;
	struct pair p;

	(void)state;
	open_pair(&p, s, 1, 0, other, NULL);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_FAILED);
	assert_non_null(strstr(eum_host_https_error(p.srv), "TLS handshake"));
	assert_true(p.card_rc < 0);
	assert_int_equal(eum_host_https_input(p.srv, (const uint8_t *)"x", 1), EUM_ERR_STATE);
	close_pair(&p);

	eum_host_https_config_init(&cfg); /* no PSK at all */
	open_pair(&p, s, 1, 0, psk, &cfg);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_FAILED);
	assert_true(p.card_rc < 0);
	close_pair(&p);
}

/* The truncation knob over TLS: part of the answer, then close_notify. */
static void test_truncated_answer(void **state)
{
	static const uint16_t s[] = {0x00A8};
	uint8_t got[2000];
	struct pair p;
	size_t n;

	(void)state;
	open_pair(&p, s, 1, 0, psk, NULL);
	assert_int_equal(eum_host_https_queue(p.srv, af_9000, 8, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_inject(p.srv, EUM_HOST_HTTPS_FAULT_TRUNCATE, 1, 30), EUM_OK);
	card_send(&p, "POST /adm HTTP/1.1\r\n" PROTO "\r\n", NULL, 0);
	assert_int_equal(card_read(&p, got, sizeof(got), &n), EUM_TLS_CLOSED);
	assert_int_equal(n, 30);
	assert_memory_equal(got, "HTTP/1.1 200 OK\r\nX-Admin-Proto", 30);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_DONE);
	close_pair(&p);
}

/* The card ends the TLS session while the server waits for its result: the session failed. */
static void test_card_closes_mid_session(void **state)
{
	static const uint16_t s[] = {0x00AE};
	uint8_t got[2000];
	struct pair p;
	size_t n;

	(void)state;
	open_pair(&p, s, 1, 0, psk, NULL);
	assert_int_equal(eum_host_https_queue(p.srv, af_9000, 8, NULL, 0, 0, NULL), EUM_OK);
	card_send(&p, "POST /adm HTTP/1.1\r\n" PROTO "\r\n", NULL, 0);
	assert_int_equal(card_read(&p, got, sizeof(got), &n), EUM_TLS_AGAIN);
	assert_true(n > 0);
	assert_int_equal(eum_tls_close_notify(p.card), EUM_OK);
	exchange(&p);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_FAILED);
	assert_non_null(strstr(eum_host_https_error(p.srv), "close_notify"));
	close_pair(&p);
}

/* A record damaged in transit: bad_record_mac, the session failed. */
static void test_damaged_record(void **state)
{
	static const uint16_t s[] = {0x00A8};
	uint8_t buf[2000];
	struct pair p;
	size_t n;

	(void)state;
	open_pair(&p, s, 1, 0, psk, NULL);
	assert_int_equal(eum_tls_write(p.card, (const uint8_t *)"POST /adm HTTP/1.1\r\n\r\n", 22), EUM_OK);
	n = eum_tls_output(p.card, buf, sizeof(buf));
	assert_true(n > 30);
	buf[n - 1] ^= 0x01;
	assert_int_equal(eum_host_https_input(p.srv, buf, n), EUM_ERR_CRYPTO);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_FAILED);
	close_pair(&p);
}

/* The card lost its channel after the 200: a new connection of the same admin session (reconnect), a new
 * handshake, and X-Admin-Resume gets the same answer again; then the result ends the session. */
static void test_resume_on_new_connection(void **state)
{
	static const uint16_t s[] = {0x00A8};
	static const uint8_t script[8] = {0xAE, 0x80, 0x22, 0x02, 0x80, 0xCA, 0x00, 0x00};
	struct eum_tls_config tc;
	struct eum_host_https_report r;
	uint8_t first[2000], again[2000];
	struct pair p;
	size_t n1, n2;

	(void)state;
	open_pair(&p, s, 1, 0, psk, NULL);
	assert_int_equal(eum_host_https_queue(p.srv, script, sizeof(script), NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_finish(p.srv), EUM_OK);
	card_send(&p, "POST /adm HTTP/1.1\r\n" PROTO "\r\n", NULL, 0);
	assert_int_equal(card_read(&p, first, sizeof(first), &n1), EUM_TLS_AGAIN);
	assert_true(n1 > 100);
	/* the channel is gone: no close_notify, a new TCP connection */
	eum_host_https_eof(p.srv);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_FAILED);
	assert_int_equal(eum_host_https_reconnect(p.srv), EUM_OK);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_HANDSHAKE);
	assert_string_equal(eum_host_https_error(p.srv), "");
	eum_tls_free(p.card);
	memset(&tc, 0, sizeof(tc));
	tc.psk = psk;
	tc.psk_len = 16;
	tc.identity = p.id;
	tc.identity_len = p.id_len;
	tc.suites = s;
	tc.n_suites = 1;
	tc.rng = rng;
	tc.rng_ctx = &p.rc;
	assert_int_equal(eum_tls_client_new(&p.card, &tc), EUM_OK);
	p.card_rc = eum_tls_handshake(p.card);
	exchange(&p);
	assert_int_equal(p.card_rc, EUM_OK);
	card_send(&p, "POST /adm HTTP/1.1\r\n" PROTO "X-Admin-Resume: true\r\n\r\n", NULL, 0);
	assert_int_equal(card_read(&p, again, sizeof(again), &n2), EUM_TLS_AGAIN);
	assert_int_equal(n2, n1);
	assert_memory_equal(again, first, n1);
	card_send(&p, "POST /smsr/1 HTTP/1.1\r\n" PROTO "X-Admin-Script-Status: ok\r\nContent-Length: 8\r\n\r\n",
	          af_9000, 8);
	assert_int_equal(card_read(&p, again, sizeof(again), &n2), EUM_TLS_CLOSED);
	assert_int_equal(eum_host_https_state(p.srv), EUM_HOST_HTTPS_DONE);
	assert_int_equal(eum_host_https_poll(p.srv, &r), EUM_OK);
	assert_int_equal(eum_host_https_poll(p.srv, &r), EUM_OK);
	assert_int_equal(r.resent, 1);
	assert_int_equal(eum_host_https_poll(p.srv, &r), EUM_OK);
	assert_int_equal(r.script_id, 1);
	assert_int_equal(r.body_len, 8);
	close_pair(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_session_gcm),      cmocka_unit_test(test_session_cbc_fragments),
	        cmocka_unit_test(test_psk_callback),     cmocka_unit_test(test_wrong_psk_unknown_identity),
	        cmocka_unit_test(test_truncated_answer), cmocka_unit_test(test_card_closes_mid_session),
	        cmocka_unit_test(test_damaged_record),   cmocka_unit_test(test_resume_on_new_connection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
