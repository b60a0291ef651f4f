/*
 * SGP.02 push and the SCP81 admin agent's start (digest scp81-https.md §1, §2.1, §1.5), end to end:
 * the card driven only through APDUs as a modem with BIP (libeum-host eum/host/bip.h) and an SM-SR
 * sending SCP80 SMS. What is checked here needs no TLS peer: the PoR of a push (status 00, no
 * data), "no BIP, no session" (no OPEN CHANNEL, a log line, the trigger's retry policy driven by
 * the host clock), OPEN CHANNEL with the trigger's connection parameters and its refusal by the
 * terminal, the bare 81 TLV and the AA/AE-wrapped forms, a malformed trigger, a second trigger
 * during a session, and reset ending everything.
 */
#include "https_e2e.h"

/* 84: OPEN CHANNEL TLVs: default bearer, buffer 1024, TCP 8080, IPv4 127.0.0.1 */
#define CONN                                                                                                           \
	"8413"                                                                                                         \
	"350103"                                                                                                       \
	"39020400"                                                                                                     \
	"3C03021F90"                                                                                                   \
	"3E05217F000001"
/* 89: Host "127.0.0.1", URI "/adm" */
#define HTTP                                                                                                           \
	"8911"                                                                                                         \
	"8A09"                                                                                                         \
	"3132372E302E302E31"                                                                                           \
	"8C04"                                                                                                         \
	"2F61646D"
/* 86: retry counter 2, timer 00:00:30 (binary: a nibble above 9) */
#define RETRY                                                                                                          \
	"8607"                                                                                                         \
	"0002"                                                                                                         \
	"A50300001E"

static size_t trigger(uint8_t *out, size_t cap, int with_retry)
{
	char hex[512];

	if (with_retry)
		snprintf(hex, sizeof(hex),
		         "8133"
		         "8331" CONN RETRY HTTP);
	else
		snprintf(hex, sizeof(hex),
		         "812A"
		         "8328" CONN HTTP);
	return es5_unhex(hex, out, cap);
}

/* The push is answered with a PoR of status 00 and no response data (digest §1.1 [IMPL]). */
static void expect_push_por(struct https *h, uint16_t sw)
{
	assert_int_equal(h->e->res.status, 0x00);
	assert_int_equal(h->e->res.executed, 0);
	assert_int_equal(h->e->res.data_len, 0);
	(void)sw;
}

static void test_no_bip_no_session(void **state)
{
	struct https *h = https_new();
	uint8_t trig[128];
	size_t n = trigger(trig, sizeof(trig), 0);
	uint16_t sw;

	(void)state;
	assert_int_equal(https_terminal_profile(h, 0), 0x9000);
	sw = https_push_raw(h, trig, n);
	expect_push_por(h, sw);
	/* no proactive command at all: no SET UP EVENT LIST, no OPEN CHANNEL */
	assert_int_equal(sw, 0x9000);
	assert_int_equal(eum_card_proactive_pending(h->e->card), 0);
	assert_true(https_logged(h, "SCP81: the terminal profile announces no BIP TCP client: no session"));
	assert_true(https_logged(h, "SCP81: session failed (no BIP), no retry policy"));
	https_free(h);
}

/* Tag 86: the failure counts against the retry policy; the retry comes at the first APDU once the host
 * clock passed the delay, at most `counter` times. */
static void test_no_bip_retry_policy(void **state)
{
	struct https *h = https_new();
	uint8_t trig[128];
	size_t n = trigger(trig, sizeof(trig), 1);

	(void)state;
	assert_int_equal(https_terminal_profile(h, 0), 0x9000);
	assert_int_equal(https_push_raw(h, trig, n), 0x9000);
	expect_push_por(h, 0x9000);
	assert_true(https_logged(h, "SCP81: session failed (no BIP): retry in 30 s, 1 more after it"));
	/* not yet due: nothing */
	h->e->now += 29;
	h->log_len = 0;
	h->log[0] = 0;
	assert_int_equal(https_terminal_profile(h, 0), 0x9000);
	assert_false(https_logged(h, "retry due"));
	/* due: second attempt, fails the same way */
	h->e->now += 1;
	assert_int_equal(https_terminal_profile(h, 0), 0x9000);
	assert_true(https_logged(h, "SCP81: retry due"));
	assert_true(https_logged(h, "SCP81: session failed (no BIP): retry in 30 s, 0 more after it"));
	/* last attempt */
	h->e->now += 30;
	h->log_len = 0;
	h->log[0] = 0;
	assert_int_equal(https_terminal_profile(h, 0), 0x9000);
	assert_true(https_logged(h, "SCP81: session failed (no BIP): retries exhausted"));
	/* nothing more */
	h->e->now += 3600;
	h->log_len = 0;
	h->log[0] = 0;
	assert_int_equal(https_terminal_profile(h, 0), 0x9000);
	assert_false(https_logged(h, "SCP81"));
	https_free(h);
}

/* With BIP: SET UP EVENT LIST (data available, channel status) then OPEN CHANNEL with the trigger's
 * connection parameters; the terminal cannot reach the server: the attempt fails, retried per 86. */
static void test_open_channel_refused(void **state)
{
	struct https *h = https_new();
	uint8_t trig[128], cmd[300];
	size_t n = trigger(trig, sizeof(trig), 1), len = 0;
	struct eum_host_bip_action act;
	uint16_t sw;

	(void)state;
	sw = https_terminal_profile(h, 1);
	assert_int_equal(sw, 0x9000);
	sw = https_push_raw(h, trig, n);
	expect_push_por(h, sw);
	/* the PoR went in the ENVELOPE response; the session's commands wait behind 91xx */
	assert_int_equal(sw & 0xFF00, 0x9100);
	assert_int_equal(es5_fetch(h->e, sw, cmd, &len), 0x05);
	assert_int_equal(eum_host_bip_fetch(&h->term, cmd, len, &act), EUM_OK);
	/* the event list keeps location status (ES5) and adds data available, channel status */
	assert_int_equal(act.n_events, 3);
	assert_memory_equal(act.events, "\x03\x09\x0A", 3);
	{
		uint8_t tr[64];
		size_t tl = 0;
		assert_int_equal(eum_host_bip_response(&h->term, 0, tr, sizeof(tr), &tl), EUM_OK);
		sw = https_xmit(h, tr, tl, NULL, NULL);
	}
	assert_int_equal(es5_fetch(h->e, sw, cmd, &len), 0x40);
	assert_int_equal(eum_host_bip_fetch(&h->term, cmd, len, &act), EUM_OK);
	assert_int_equal(act.what, EUM_HOST_BIP_CONNECT);
	assert_int_equal(act.transport, 0x02);
	assert_int_equal(act.port, 8080);
	assert_string_equal(act.addr_text, "127.0.0.1");
	assert_int_equal(act.buffer_asked, 1024);
	{
		uint8_t tr[64];
		size_t tl = 0;
		assert_int_equal(
		        eum_host_bip_response(&h->term, EUM_HOST_BIP_ERR_REMOTE_UNREACHABLE, tr, sizeof(tr), &tl),
		        EUM_OK);
		sw = https_xmit(h, tr, tl, NULL, NULL);
	}
	assert_int_equal(sw, 0x9000);
	assert_true(https_logged(h, "SCP81: OPEN CHANNEL refused (result 3A, info 07)"));
	assert_true(https_logged(h, "SCP81: session failed (opening): retry in 30 s, 1 more after it"));
	/* the retry: a new OPEN CHANNEL once due */
	h->e->now += 30;
	h->refuse_connect = 1;
	sw = https_pump(h, https_terminal_profile(h, 1));
	assert_int_equal(h->n_open, 1);
	assert_true(https_logged(h, "SCP81: session failed (opening): retry in 30 s, 0 more after it"));
	https_free(h);
}

/* The trigger wrapped in an expanded script (AA definite, AE indefinite) is a push too; a compact
 * script is not, and an 81 TLV with junk after it runs as a script (not a trigger). */
static void test_trigger_forms(void **state)
{
	struct https *h = https_new();
	uint8_t trig[128], wrapped[160];
	size_t n = trigger(trig, sizeof(trig), 0);

	(void)state;
	assert_int_equal(https_terminal_profile(h, 0), 0x9000);
	/* AA L 81 ... */
	wrapped[0] = 0xAA;
	wrapped[1] = (uint8_t)n;
	memcpy(wrapped + 2, trig, n);
	assert_int_equal(https_push_raw(h, wrapped, n + 2), 0x9000);
	expect_push_por(h, 0x9000);
	assert_true(https_logged(h, "OTA: administration session trigger for the ISD-R"));
	/* AE 80 81 ... 00 00 */
	h->log_len = 0;
	h->log[0] = 0;
	wrapped[0] = 0xAE;
	wrapped[1] = 0x80;
	memcpy(wrapped + 2, trig, n);
	wrapped[n + 2] = wrapped[n + 3] = 0;
	assert_int_equal(https_push_raw(h, wrapped, n + 4), 0x9000);
	expect_push_por(h, 0x9000);
	assert_true(https_logged(h, "OTA: administration session trigger for the ISD-R"));
	/* 81 TLV followed by more bytes: a compact script (its first command CLA 81), run as before */
	h->log_len = 0;
	h->log[0] = 0;
	memcpy(wrapped, trig, n);
	wrapped[n] = 0x00;
	h->e->sr.format = EUM_HOST_SMS_SCRIPT_COMPACT; /* how the SM-SR reads the PoR */
	assert_int_equal(https_push_raw(h, wrapped, n + 1), 0x9000);
	assert_int_equal(h->e->res.status, 0x00);
	assert_int_equal(h->e->res.executed, 1);
	assert_false(https_logged(h, "administration session trigger"));
	https_free(h);
}

/* A malformed trigger: PoR 00 (the packet passed its checks), no session, a log line, nothing stored
 * but the counter. */
static void test_malformed_trigger(void **state)
{
	struct https *h = https_new();
	uint8_t bad[] = {0x81, 0x04, 0x83, 0x02, 0x84, 0x05};
	uint16_t sw;

	(void)state;
	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	sw = https_push_raw(h, bad, sizeof(bad));
	expect_push_por(h, sw);
	assert_int_equal(sw, 0x9000);
	assert_true(https_logged(h, "SCP81: administration session triggering parameters malformed: no session"));
	https_free(h);
}

/* A push whose PoR goes by SMS-SUBMIT (SPI2 b6): the PoR's SEND SHORT MESSAGE is the first proactive command,
 * the session's SET UP EVENT LIST and OPEN CHANNEL follow it (digest §1.5.3: the answer to the push first). */
static void test_por_by_sms_first(void **state)
{
	struct https *h = https_new();
	uint8_t trig[128], cmd[300];
	size_t n = trigger(trig, sizeof(trig), 0), len = 0;
	uint16_t sw;

	(void)state;
	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	h->e->sr.params.spi[1] |= 0x20;
	sw = https_push_raw(h, trig, n);
	assert_int_equal(sw & 0xFF00, 0x9100);
	assert_int_equal(h->e->res.status, 0xFF); /* nothing in the ENVELOPE response */
	assert_int_equal(es5_fetch(h->e, sw, cmd, &len), 0x13);
	sw = es5_terminal_response(h->e, cmd, ES5_TR_OK);
	assert_int_equal(es5_fetch(h->e, sw, cmd, &len), 0x05);
	sw = es5_terminal_response(h->e, cmd, ES5_TR_OK);
	assert_int_equal(es5_fetch(h->e, sw, cmd, &len), 0x40);
	https_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_no_bip_no_session),    cmocka_unit_test(test_no_bip_retry_policy),
	        cmocka_unit_test(test_open_channel_refused), cmocka_unit_test(test_trigger_forms),
	        cmocka_unit_test(test_malformed_trigger),    cmocka_unit_test(test_por_by_sms_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
