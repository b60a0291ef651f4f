/*
 * Bad input on the HTTPS transport (issue 15 "Deliver" 6; digest scp81-https.md §1.5, §3, §4), end to end
 * through APDUs (modem with BIP: libeum-host eum/host/bip.h; SM-SR: eum/host/https.h): a wrong PSK, a
 * TLS record cut by the link, an HTTP response without the admin headers, a 500, an answer cut short by the
 * server's close_notify, a channel closed by the
 * modem mid-session, a failed commit of the APDU that ran the script. Each ends the session cleanly
 * (CLOSE CHANNEL or the channel already gone, the agent's state freed), leaves the stored state as the
 * atomicity rules say (the image compared byte for byte where nothing may change), and is retried or not
 * as the trigger's retry policy (86) says.
 */
#include "https_e2e.h"

#include "core/card.h"
#include "gp/gp.h"

static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
static const uint8_t aid20[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                  0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x20, 0x00};

static size_t create_isdp_script(uint8_t *out, size_t cap)
{
	uint8_t apdu[128];
	size_t n = 0;

	assert_int_equal(eum_host_smsr_create_isdp(tar20, 0, apdu, sizeof(apdu), &n), EUM_OK);
	assert_true(n + 6 <= cap);
	out[0] = 0xAE;
	out[1] = 0x80;
	out[2] = 0x22;
	out[3] = (uint8_t)n;
	memcpy(out + 4, apdu, n);
	out[4 + n] = out[5 + n] = 0x00;
	return n + 6;
}

struct snap {
	uint8_t *img;
	size_t len;
};

static void snap_take(struct https *h, struct snap *s)
{
	s->img = malloc(ES5_IMG_MAX);
	assert_non_null(s->img);
	s->len = es5_image(h->e, s->img);
}

static void snap_same(struct https *h, const struct snap *s)
{
	struct snap now;

	snap_take(h, &now);
	assert_int_equal(now.len, s->len);
	assert_memory_equal(now.img, s->img, s->len);
	free(now.img);
}

/* TERMINAL PROFILE with BIP and the push with `retry` retries; returns the push's SW (the PoR checked). */
static uint16_t push(struct https *h, unsigned retry)
{
	uint8_t trig[128];
	size_t n = https_trigger(trig, sizeof(trig), retry);
	uint16_t sw;

	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	sw = https_push(h, trig, n);
	assert_int_equal(h->e->res.status, 0x00);
	assert_int_equal(sw & 0xFF00, 0x9100);
	return sw;
}

/* The card's session state is gone (and so is its channel). */
static void expect_no_session(struct https *h)
{
	assert_int_equal(h->connected, 0);
	assert_null(h->e->card->bip);
	assert_int_equal(eum_card_proactive_pending(h->e->card), 0);
}

/* A later APDU once the retry delay is over: the card opens the channel again. */
static uint16_t after_delay(struct https *h, unsigned seconds)
{
	h->e->now += seconds;
	return https_terminal_profile(h, 1);
}

/* Wrong PSK: the handshake fails (the server's Finished/alert), the card closes the channel; retried once
 * after 30 s (86: one retry), fails again, then gives up. Nothing stored but the push's counter. */
static void test_wrong_psk(void **state)
{
	static const uint8_t wrong[16] = {0x01};
	struct https *h = https_new();
	struct eum_host_https_config cfg;
	struct eum_host_https_psk psk;
	struct https_srv *v;
	struct snap s0;
	uint8_t ident[128];
	size_t il = 0;
	uint8_t script[128];
	size_t n = create_isdp_script(script, sizeof(script));

	(void)state;
	eum_host_https_config_init(&cfg);
	assert_int_equal(
	        eum_host_https_sgp02_identity((const uint8_t *)"\x89\x04\x90\x32\x00\x00\x00\x00\x00\x00\x00\x00"
	                                                       "\x00\x00\x12\x30",
	                                      (const uint8_t *)"\xA0\x00\x00\x05\x59\x10\x10\xFF\xFF\xFF\xFF\x89"
	                                                       "\x00\x00\x01\x00",
	                                      16, 0x01, 0x40, ident, sizeof(ident), &il),
	        EUM_OK);
	psk.identity = ident;
	psk.identity_len = il;
	psk.psk = wrong;
	psk.psk_len = sizeof(wrong);
	cfg.psks = &psk;
	cfg.n_psks = 1;
	v = https_srv_new(h, &cfg);
	assert_int_equal(eum_host_https_queue(v->s, script, n, NULL, 0, 0, NULL), EUM_OK);
	https_pump(h, push(h, 1));
	snap_take(h, &s0);
	assert_int_equal(h->n_open, 1);
	assert_int_equal(h->n_close, 1);
	assert_int_equal(eum_host_https_state(v->s), EUM_HOST_HTTPS_FAILED);
	assert_int_equal(v->n_rep, 0);
	assert_true(https_logged(h, "SCP81: TLS handshake failed"));
	assert_true(https_logged(h, "SCP81: session failed (handshake): retry in 30 s, 0 more after it"));
	expect_no_session(h);
	assert_non_null(h->e->card->scp81); /* the retry waits */
	/* the retry: a second connection, the same failure, then no more */
	assert_int_equal(eum_host_https_reconnect(v->s), EUM_OK);
	https_pump(h, after_delay(h, 30));
	assert_int_equal(h->n_open, 2);
	assert_int_equal(h->n_close, 2);
	assert_true(https_logged(h, "SCP81: session failed (handshake): retries exhausted"));
	expect_no_session(h);
	assert_null(h->e->card->scp81);
	assert_int_equal(eum_isdp_find(h->e->card, aid20, 16), -1);
	snap_same(h, &s0);
	free(s0.img);
	https_srv_free(v);
	https_free(h);
}

/* The link drops in the middle of the TLS record that carries the script: the card sees part of a record,
 * then the channel status event "link dropped"; the session ends, the script never ran, nothing stored;
 * the retry (86) runs the whole session on a new connection and the script then runs once. */
static void test_truncated_record_then_retry(void **state)
{
	struct https *h = https_new();
	struct https_srv *v = https_srv_new(h, NULL);
	uint8_t script[128];
	size_t n = create_isdp_script(script, sizeof(script));
	struct snap s0;
	uint16_t sw;

	(void)state;
	assert_int_equal(eum_host_https_queue(v->s, script, n, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_finish(v->s), EUM_OK);
	sw = push(h, 1);
	snap_take(h, &s0);
	/* up to the server's receipt of the first POST: its answer (the script) is next on the wire */
	sw = https_pump_until(h, sw, &v->n_rep, 1);
	h->cut_down_after = h->to_card + 20;
	https_pump(h, sw);
	assert_true(https_logged(h, "SCP81: channel closed by the terminal in state posted"));
	assert_true(https_logged(h, "SCP81: session failed (posted): retry in 30 s, 0 more after it"));
	expect_no_session(h);
	assert_int_equal(eum_isdp_find(h->e->card, aid20, 16), -1);
	snap_same(h, &s0);
	/* the retry: the server still holds the unanswered script for the admin session (reconnect) */
	https_pump(h, after_delay(h, 30));
	assert_int_equal(h->n_open, 2);
	assert_true(eum_isdp_find(h->e->card, aid20, 16) >= 0);
	assert_true(https_logged(h, "SCP81: session ended: "));
	assert_null(h->e->card->scp81);
	free(s0.img);
	https_srv_free(v);
	https_free(h);
}

/* A response without X-Admin-Protocol (GP Amd B: not an admin server answer): the card does not run the
 * script, ends the session (close_notify, CLOSE CHANNEL); no retry policy in the trigger: reported in the
 * log only. A 500 likewise. */
static void run_bad_answer(unsigned fault, const char *why)
{
	struct https *h = https_new();
	struct https_srv *v = https_srv_new(h, NULL);
	uint8_t script[128];
	size_t n = create_isdp_script(script, sizeof(script));
	struct snap s0;
	uint16_t sw;

	assert_int_equal(eum_host_https_queue(v->s, script, n, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_inject(v->s, fault, 1, 0), EUM_OK);
	sw = push(h, 0);
	snap_take(h, &s0);
	https_pump(h, sw);
	assert_true(https_logged(h, why));
	assert_true(https_logged(h, "SCP81: session failed (posted), no retry policy"));
	assert_int_equal(h->n_open, 1);
	assert_int_equal(h->n_close, 1);
	expect_no_session(h);
	assert_null(h->e->card->scp81);
	assert_int_equal(eum_isdp_find(h->e->card, aid20, 16), -1);
	snap_same(h, &s0);
	free(s0.img);
	https_srv_free(v);
	https_free(h);
}

static void test_no_admin_headers(void **state)
{
	(void)state;
	run_bad_answer(EUM_HOST_HTTPS_FAULT_NO_ADMIN_PROTOCOL, "HTTP response without X-Admin-Protocol");
}

static void test_http_500(void **state)
{
	(void)state;
	run_bad_answer(EUM_HOST_HTTPS_FAULT_500, "HTTP status 500");
}

/* The server sends half of its answer, then close_notify (TLS records intact, the HTTP response cut): the
 * card does not run the half script and ends the session. */
static void test_truncated_answer(void **state)
{
	(void)state;
	run_bad_answer(EUM_HOST_HTTPS_FAULT_TRUNCATE, "server sent close_notify before its response");
}

/* The modem loses the link after the script ran and its report is on the way: the script's effects stay
 * (its APDU committed), the session ends, the retry (86) reconnects and the session goes on to its end. */
static void test_link_dropped_after_script(void **state)
{
	struct https *h = https_new();
	struct https_srv *v = https_srv_new(h, NULL);
	uint8_t script[128];
	size_t n = create_isdp_script(script, sizeof(script));
	uint16_t sw;

	(void)state;
	assert_int_equal(eum_host_https_queue(v->s, script, n, NULL, 0, 0, NULL), EUM_OK);
	sw = push(h, 2);
	/* up to the report of the script (second POST): then the link drops */
	sw = https_pump_until(h, sw, &v->n_rep, 2);
	assert_int_equal(v->rep[1].status, EUM_HOST_HTTPS_STATUS_OK);
	h->connected = 0;
	h->down_len = 0;
	eum_host_https_eof(v->s);
	assert_int_equal(eum_host_bip_link_dropped(&h->term), EUM_OK);
	https_pump(h, sw);
	assert_true(https_logged(h, "SCP81: channel closed by the terminal in state posted"));
	assert_true(https_logged(h, "SCP81: session failed (posted): retry in 30 s, 1 more after it"));
	expect_no_session(h);
	assert_true(eum_isdp_find(h->e->card, aid20, 16) >= 0);
	/* the retry: a new connection, the server has nothing more: 204 without Next-URI ends it */
	assert_int_equal(eum_host_https_finish(v->s), EUM_OK);
	https_pump(h, after_delay(h, 30));
	assert_int_equal(h->n_open, 2);
	assert_true(https_logged(h, "SCP81: 204 without X-Admin-Next-URI: administration session complete"));
	assert_null(h->e->card->scp81);
	expect_no_session(h);
	https_srv_free(v);
	https_free(h);
}

/* The APDU that ran the script fails its commit (storage error: 6581): the script's effects are rolled
 * back with it and its proactive commands dropped; the card ends the session (CLOSE CHANNEL at the next
 * occasion) without a card-side retry: the SM-SR got no report and retries itself (design §6). */
static void test_commit_failure(void **state)
{
	struct https *h = https_new();
	struct https_srv *v = https_srv_new(h, NULL);
	uint8_t script[128];
	size_t n = create_isdp_script(script, sizeof(script));
	struct snap s0;
	uint16_t sw;

	(void)state;
	assert_int_equal(eum_host_https_queue(v->s, script, n, NULL, 0, 0, NULL), EUM_OK);
	sw = push(h, 2);
	sw = https_pump_until(h, sw, &v->n_rep, 1);
	snap_take(h, &s0);
	h->e->flash.fail_from = h->e->flash.stores ? h->e->flash.stores : 1; /* every store from now on fails */
	sw = https_pump(h, sw);
	h->e->flash.fail_from = 0;
	assert_true(https_logged(h, "SCP81: ending the session in state posted: the command's commit failed"));
	/* the modem sees the card's next command at its next APDU (a STATUS) */
	sw = https_xmit(h, (const uint8_t *)"\x80\xF2\x00\x0C", 4, NULL, NULL);
	assert_int_equal(sw & 0xFF00, 0x9100);
	sw = https_pump(h, sw);
	assert_true(https_logged(h, "SCP81: session ended after a failed commit, no card retry"));
	assert_int_equal(h->n_close, 1);
	expect_no_session(h);
	assert_null(h->e->card->scp81);
	assert_int_equal(eum_isdp_find(h->e->card, aid20, 16), -1);
	snap_same(h, &s0);
	/* no retry: nothing happens later */
	https_pump(h, after_delay(h, 3600));
	assert_int_equal(h->n_open, 1);
	free(s0.img);
	https_srv_free(v);
	https_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_wrong_psk),        cmocka_unit_test(test_truncated_record_then_retry),
	        cmocka_unit_test(test_no_admin_headers), cmocka_unit_test(test_http_500),
	        cmocka_unit_test(test_truncated_answer), cmocka_unit_test(test_link_dropped_after_script),
	        cmocka_unit_test(test_commit_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
