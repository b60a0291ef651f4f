/*
 * SGP.02 ES5 over HTTPS (GP Amd B SCP81 over PSK-TLS over CAT BIP; digest scp81-https.md §1-§5), end to
 * end: the card is driven only through APDUs by a modem with BIP (libeum-host eum/host/bip.h) whose TCP
 * connection reaches the SM-SR's HTTPS admin server (libeum-host eum/host/https.h, mbedTLS server side),
 * and by the SM-SR's push SMS. Checked: the push's PoR, the POST requests as the server received them
 * (target, Host, X-Admin-From, status, content type, body bytes), the script run by the same engine as
 * over SMS (same response bytes as the SMS path for the same command), the end of the session
 * (close_notify, CLOSE CHANNEL, agent state freed), several scripts and 204 + Next-URI in one session,
 * and X-Admin-Targeted-Application (ISD-R AID = absent, an ISD-P, unknown, not a security domain).
 */
#include "https_e2e.h"

#include "core/card.h"
#include "gp/gp.h"
#include "ota/scp81.h"

#define ISDR_FROM "//se-id/eid/89049032000000000000000000001230;//aa-id/aid/A000000559/1010FFFFFFFF8900000100"
#define CT_RSP    "application/vnd.globalplatform.card-content-mgt-response;version=1.0"

static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
static const uint8_t aid20[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                  0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x20, 0x00};

/* AE 80 22 L <apdu> ... 00 00 */
static size_t script_of(const uint8_t *const *apdus, const size_t *lens, size_t n, uint8_t *out, size_t cap)
{
	size_t off = 2, i;

	out[0] = 0xAE;
	out[1] = 0x80;
	for (i = 0; i < n; i++) {
		assert_true(off + 3 + lens[i] + 2 <= cap && lens[i] < 0x100);
		out[off++] = 0x22;
		if (lens[i] >= 0x80)
			out[off++] = 0x81;
		out[off++] = (uint8_t)lens[i];
		memcpy(out + off, apdus[i], lens[i]);
		off += lens[i];
	}
	out[off++] = 0x00;
	out[off++] = 0x00;
	return off;
}

static size_t script_hex(const char *hex, uint8_t *out, size_t cap)
{
	uint8_t a[300];
	size_t n = es5_unhex(hex, a, sizeof(a));
	const uint8_t *ap = a;

	return script_of(&ap, &n, 1, out, cap);
}

static size_t create_isdp_script(uint8_t *out, size_t cap)
{
	uint8_t apdu[128];
	size_t n = 0;
	const uint8_t *ap = apdu;

	assert_int_equal(eum_host_smsr_create_isdp(tar20, 0, apdu, sizeof(apdu), &n), EUM_OK);
	return script_of(&ap, &n, 1, out, cap);
}

/* Push, then let modem and server run until both are quiet. */
static void push_and_run(struct https *h)
{
	uint8_t trig[128];
	size_t n = https_trigger(trig, sizeof(trig), 0);
	uint16_t sw;

	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	sw = https_push(h, trig, n);
	/* the PoR of the push: status 00, nothing executed, no data (digest §1.1 [IMPL]) */
	assert_int_equal(h->e->res.status, 0x00);
	assert_int_equal(h->e->res.executed, 0);
	assert_int_equal(h->e->res.data_len, 0);
	/* the session starts after the ENVELOPE: its first command waits behind 91xx */
	assert_int_equal(sw & 0xFF00, 0x9100);
	https_pump(h, sw);
}

static void expect_first_post(const struct https_srv *v)
{
	const struct eum_host_https_report *r = &v->rep[0];

	assert_true(v->n_rep >= 1);
	assert_int_equal(r->post, 1);
	assert_string_equal(r->uri, "/adm");
	assert_string_equal(r->host, "127.0.0.1");
	assert_string_equal(r->from, ISDR_FROM);
	assert_int_equal(r->admin_protocol, 1);
	assert_int_equal(r->status, EUM_HOST_HTTPS_STATUS_NONE);
	assert_int_equal(r->body_len, 0);
	assert_int_equal(r->resume, 0);
}

/* The session's end: server done, one CLOSE CHANNEL, the card's agent and channel state freed. */
static void expect_clean_end(struct https *h, struct https_srv *v)
{
	assert_int_equal(eum_host_https_state(v->s), EUM_HOST_HTTPS_DONE);
	assert_int_equal(v->input_rc, EUM_OK);
	assert_int_equal(h->n_open, 1);
	assert_int_equal(h->n_close, 1);
	assert_int_equal(h->connected, 0);
	assert_null(h->e->card->scp81);
	assert_null(h->e->card->bip);
	assert_int_equal(eum_card_proactive_pending(h->e->card), 0);
}

/* CreateISDP (SGP.02 §7.1) over HTTPS: the POSTs byte for byte as the server saw them, the script's
 * response equal to what the SMS path answers to the same command, the ISD-P created. */
static void test_create_isdp_over_https(void **state)
{
	struct https *h = https_new();
	struct https_srv *v = https_srv_new(h, NULL);
	struct eum_host_sms_script_response sr;
	uint8_t script[300];
	size_t n = create_isdp_script(script, sizeof(script));
	unsigned id = 0;

	(void)state;
	assert_int_equal(eum_host_https_queue(v->s, script, n, NULL, 0, 0, &id), EUM_OK);
	assert_int_equal(eum_host_https_finish(v->s), EUM_OK);
	push_and_run(h);
	assert_int_equal(eum_host_https_suite(v->s), 0x00A8);
	assert_int_equal(v->n_rep, 2);
	expect_first_post(v);
	assert_int_equal(v->rep[1].post, 2);
	assert_int_equal(v->rep[1].script_id, id);
	assert_string_equal(v->rep[1].uri, "/smsr/1");
	assert_int_equal(v->rep[1].status, EUM_HOST_HTTPS_STATUS_OK);
	assert_string_equal(v->rep[1].content_type, CT_RSP);
	assert_int_equal(v->rep[1].chunked, 1);
	/* INSTALL [for install and make selectable] answers 00 9000: AF 80 23 03 00 90 00 00 00 */
	assert_int_equal(v->rep[1].body_len, 9);
	assert_memory_equal(v->rep[1].body, "\xAF\x80\x23\x03\x00\x90\x00\x00\x00", 9);
	assert_int_equal(eum_host_sms_script_parse_response(v->rep[1].body, v->rep[1].body_len, 1, &sr), EUM_OK);
	assert_int_equal(sr.executed, 1);
	assert_int_equal(sr.last_sw, 0x9000);
	expect_clean_end(h, v);
	assert_true(eum_isdp_find(h->e->card, aid20, 16) >= 0);
	assert_true(https_logged(h, "SCP81: TLS established, suite 00A8"));
	assert_true(https_logged(h, "SCP81: 1 command(s) run on the ISD-R, last SW 9000"));
	assert_true(https_logged(h, "SCP81: 204 without X-Admin-Next-URI: administration session complete"));
	assert_true(https_logged(h, "SCP81: session ended: 2 POST(s), 1 script(s)"));
	/* the PSK (KVN 40 key 01 = 40..4F, i.e. "@ABCDEFGHIJKLMNO") never appears in the debug log */
	assert_false(https_logged(h, "404142434445464748494A4B4C4D4E4F"));
	assert_false(https_logged(h, "404142434445464748494a4b4c4d4e4f"));
	assert_false(https_logged(h, "@ABCDEFGHIJKLMNO"));
	/* the same command over SMS on the ISD-R answers the same R-APDU (one script engine) */
	{
		struct https *g = https_new();
		uint8_t apdu[128];
		size_t an = 0;
		assert_int_equal(eum_host_smsr_create_isdp(tar20, 0, apdu, sizeof(apdu), &an), EUM_OK);
		g->e->sr.format = EUM_HOST_SMS_SCRIPT_INDEFINITE;
		assert_int_equal(es5_cmd_bytes(g->e, apdu, an), 0x9000);
		assert_int_equal(g->e->res.data_len, sr.last_data_len);
		assert_memory_equal(g->e->res.data, sr.last_data, sr.last_data_len);
		https_free(g);
	}
	https_srv_free(v);
	https_free(h);
}

/* Several exchanges in one session: a script, 204 + Next-URI (the card POSTs again without a body), a
 * second script that fails mid-way (the command before it stays done, the response reports the failing
 * SW, status ok: GP Amd B "ok" = the script was executed), then the end. */
static void test_scripts_and_204_next(void **state)
{
	struct https *h = https_new();
	struct eum_host_https_config cfg;
	struct https_srv *v;
	uint8_t s1[300], s2[300], a1[128];
	size_t n1, n2, an = 0, i;
	const uint8_t *ap[3];
	size_t al[3];
	uint8_t a3[] = {0x80, 0xCA, 0x00, 0x99, 0x00}; /* GET DATA 0099: 6A88, the script stops */
	uint8_t a4[] = {0x80, 0xCA, 0x00, 0x45, 0x00}; /* never run */
	struct eum_host_sms_script_response sr;
	unsigned id1 = 0, id2 = 0;
	uint16_t sw;

	(void)state;
	eum_host_https_config_init(&cfg);
	cfg.idle = EUM_HOST_HTTPS_IDLE_NEXT;
	v = https_srv_new(h, &cfg);
	n1 = create_isdp_script(s1, sizeof(s1));
	assert_int_equal(eum_host_smsr_create_isdp((const uint8_t[]){0x00, 0x00, 0x21}, 0, a1, sizeof(a1), &an),
	                 EUM_OK);
	ap[0] = a1;
	al[0] = an;
	ap[1] = a3;
	al[1] = sizeof(a3);
	ap[2] = a4;
	al[2] = sizeof(a4);
	n2 = script_of(ap, al, 3, s2, sizeof(s2));
	assert_int_equal(eum_host_https_queue(v->s, s1, n1, NULL, 0, 0, &id1), EUM_OK);
	/* first POST -> s1; second POST (its report) -> 204 + Next-URI (queue empty, IDLE_NEXT); the card
	 * POSTs again without a body, and keeps doing so while the server has nothing: stopped after 3 POSTs */
	{
		uint8_t trig[128];
		size_t tn = https_trigger(trig, sizeof(trig), 0);
		assert_int_equal(https_terminal_profile(h, 1), 0x9000);
		sw = https_pump_until(h, https_push(h, trig, tn), &v->n_rep, 4);
	}
	assert_true(v->n_rep >= 4);
	assert_int_equal(v->rep[1].status, EUM_HOST_HTTPS_STATUS_OK);
	assert_int_equal(v->rep[2].status, EUM_HOST_HTTPS_STATUS_NONE);
	assert_string_equal(v->rep[2].uri, "/smsr/2");
	assert_int_equal(v->rep[3].status, EUM_HOST_HTTPS_STATUS_NONE);
	assert_string_equal(v->rep[3].uri, "/smsr/3");
	assert_int_equal(v->rep[2].status, EUM_HOST_HTTPS_STATUS_NONE);
	assert_int_equal(v->rep[2].body_len, 0);
	assert_int_equal(eum_host_https_queue(v->s, s2, n2, NULL, 0, 0, &id2), EUM_OK);
	assert_int_equal(eum_host_https_finish(v->s), EUM_OK);
	https_pump(h, sw);
	for (i = 0; i < v->n_rep && v->rep[i].script_id != id2; i++)
		;
	assert_true(i < v->n_rep);
	assert_int_equal(v->rep[i].status, EUM_HOST_HTTPS_STATUS_OK);
	assert_int_equal(eum_host_sms_script_parse_response(v->rep[i].body, v->rep[i].body_len, 1, &sr), EUM_OK);
	assert_int_equal(sr.executed, 2);
	assert_int_equal(sr.last_sw, 0x6A88);
	expect_clean_end(h, v);
	/* the first command of the failing script stays done */
	assert_true(eum_isdp_find(h->e->card,
	                          (const uint8_t[]){0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF,
	                                            0x89, 0x00, 0x00, 0x21, 0x00},
	                          16) >= 0);
	https_srv_free(v);
	https_free(h);
}

/* X-Admin-Targeted-Application (digest §4.2, §5.2): the ISD-R's own AID = absent; an existing ISD-P runs
 * the script; an unknown AID and a non-SD (the USIM) are reported without running anything. */
static void test_targeted_application(void **state)
{
	static const uint8_t isdr[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	static const uint8_t unknown[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                    0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x77, 0x00};
	static const uint8_t usim[7] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02};
	struct https *h = https_new();
	struct https_srv *v = https_srv_new(h, NULL);
	uint8_t s1[300], s2[300], s3[300];
	size_t n1 = create_isdp_script(s1, sizeof(s1)), n2, n3;
	unsigned id[5];
	const struct eum_host_https_report *r;

	(void)state;
	/* GET DATA 42 (IIN): the ISD-R has it, an ISD-P does not (6A88): shows where the script ran */
	n2 = script_hex("80CA004200", s2, sizeof(s2));
	/* SET STATUS: would change state if it ran anywhere */
	n3 = script_hex("80F0400000", s3, sizeof(s3));
	assert_int_equal(eum_host_https_queue(v->s, s1, n1, isdr, 16, 0, &id[0]), EUM_OK);
	assert_int_equal(eum_host_https_queue(v->s, s2, n2, aid20, 16, 0, &id[1]), EUM_OK);
	assert_int_equal(eum_host_https_queue(v->s, s3, n3, unknown, 16, 0, &id[2]), EUM_OK);
	assert_int_equal(eum_host_https_queue(v->s, s3, n3, usim, sizeof(usim), 0, &id[3]), EUM_OK);
	assert_int_equal(eum_host_https_queue(v->s, s2, n2, NULL, 0, 0, &id[4]), EUM_OK);
	assert_int_equal(eum_host_https_finish(v->s), EUM_OK);
	push_and_run(h);
	assert_int_equal(v->n_rep, 6);
	/* ISD-R AID: run on the ISD-R */
	r = &v->rep[1];
	assert_int_equal(r->script_id, id[0]);
	assert_int_equal(r->status, EUM_HOST_HTTPS_STATUS_OK);
	assert_int_equal(r->body_len, 9);
	assert_memory_equal(r->body, "\xAF\x80\x23\x03\x00\x90\x00\x00\x00", 9);
	/* the new ISD-P answers for itself */
	r = &v->rep[2];
	assert_int_equal(r->script_id, id[1]);
	assert_int_equal(r->status, EUM_HOST_HTTPS_STATUS_OK);
	assert_int_equal(r->body_len, 8);
	assert_memory_equal(r->body, "\xAF\x80\x23\x02\x6A\x88\x00\x00", 8);
	/* unknown AID, not a security domain: no body, nothing run */
	r = &v->rep[3];
	assert_int_equal(r->script_id, id[2]);
	assert_int_equal(r->status, EUM_HOST_HTTPS_STATUS_UNKNOWN_APPLICATION);
	assert_string_equal(r->status_text, "unknown-application");
	assert_int_equal(r->body_len, 0);
	r = &v->rep[4];
	assert_int_equal(r->script_id, id[3]);
	assert_int_equal(r->status, EUM_HOST_HTTPS_STATUS_NOT_A_SECURITY_DOMAIN);
	assert_string_equal(r->status_text, "not-a-security-domain");
	assert_int_equal(r->body_len, 0);
	/* no target: the ISD-R, IIN 42 04 89049032 */
	r = &v->rep[5];
	assert_int_equal(r->script_id, id[4]);
	assert_int_equal(r->body_len, 14);
	assert_memory_equal(r->body, "\xAF\x80\x23\x08\x42\x04\x89\x04\x90\x32\x90\x00\x00\x00", 14);
	assert_true(https_logged(h, "SCP81: targeted application unknown"));
	assert_true(https_logged(h, "SCP81: targeted application is not a security domain"));
	assert_true(https_logged(h, "SCP81: session ended: 6 POST(s), 3 script(s)"));
	expect_clean_end(h, v);
	https_srv_free(v);
	https_free(h);
}

/* One session at a time (digest §1.5.2 [IMPL]): a push during a session is kept and starts a new session once
 * the running one has closed its channel; a third push meanwhile is refused (log); each push still gets its
 * PoR 00. */
static void test_trigger_during_session(void **state)
{
	struct https *h = https_new();
	struct https_srv *v = https_srv_new(h, NULL);
	uint8_t script[300], trig[128];
	size_t n = create_isdp_script(script, sizeof(script)), tn = https_trigger(trig, sizeof(trig), 0);
	uint16_t sw;

	(void)state;
	assert_int_equal(eum_host_https_queue(v->s, script, n, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	/* session 1 runs the script, then the server holds its answer to the report (IDLE_HOLD) */
	sw = https_pump(h, https_push(h, trig, tn));
	assert_int_equal(v->n_rep, 2);
	assert_true(eum_scp81_active(h->e->card));
	/* push 2: kept; push 3: refused; both PoR 00 */
	sw = https_push(h, trig, tn);
	assert_int_equal(h->e->res.status, 0x00);
	assert_true(https_logged(h, "SCP81: a session runs: trigger kept until it ends"));
	sw = https_push(h, trig, tn);
	assert_int_equal(h->e->res.status, 0x00);
	assert_true(https_logged(h, "SCP81: a session runs and a trigger is pending: trigger refused"));
	/* the server ends session 1; session 2 follows on a new connection, finds nothing and ends */
	assert_int_equal(eum_host_https_finish(v->s), EUM_OK);
	https_pump(h, sw);
	assert_int_equal(h->n_open, 2);
	assert_int_equal(h->n_close, 2);
	assert_int_equal(v->n_conn, 2);
	assert_null(h->e->card->scp81);
	assert_null(h->e->card->bip);
	https_srv_free(v);
	https_free(h);
}

/* A reset ends the session, and a pending retry with it (volatile state, design §7). */
static void test_reset_ends_session(void **state)
{
	struct https *h = https_new();
	struct https_srv *v = https_srv_new(h, NULL);
	uint8_t trig[128];
	size_t tn = https_trigger(trig, sizeof(trig), 3);
	uint16_t sw;

	(void)state;
	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	sw = https_push(h, trig, tn);
	sw = https_pump_until(h, sw, &v->n_rep, 1);
	assert_true(eum_scp81_active(h->e->card));
	assert_int_equal(eum_card_reset(h->e->card, 0, NULL, 0, NULL), EUM_OK);
	assert_true(https_logged(h, "SCP81: reset: session, pending trigger and retry gone"));
	assert_null(h->e->card->scp81);
	assert_null(h->e->card->bip);
	/* the modem starts over; no retry comes, whatever the time */
	eum_host_bip_init(&h->term, EUM_HOST_BIP_BUFFER_DEFAULT);
	h->connected = 0;
	h->e->now += 3600;
	https_terminal_profile(h, 1);
	assert_int_equal(h->n_open, 1);
	assert_null(h->e->card->scp81);
	(void)sw;
	https_srv_free(v);
	https_free(h);
}

/* Trigger tag 85 (digest §1.2, §3.3): its PSK identity is sent as is and its KVN / key id select the PSK; a
 * key set the ISD-R does not have: no session (log), nothing opened. */
static void test_security_parameters(void **state)
{
	static const uint8_t ident[] = "smsr-card-7";
	static uint8_t key[16];
	struct https *h = https_new();
	struct eum_host_https_config cfg;
	struct eum_host_https_psk psk;
	struct eum_host_smsr_admin_params ap;
	struct https_srv *v;
	uint8_t conn[32], trig[160], script[300];
	size_t cn = 0, tn = 0, n = create_isdp_script(script, sizeof(script)), il = 0, i;
	const uint8_t *got;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x40 + i);
	eum_host_https_config_init(&cfg);
	psk.identity = ident;
	psk.identity_len = sizeof(ident) - 1;
	psk.psk = key;
	psk.psk_len = sizeof(key);
	cfg.psks = &psk;
	cfg.n_psks = 1;
	v = https_srv_new(h, &cfg);
	assert_int_equal(eum_host_https_queue(v->s, script, n, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_finish(v->s), EUM_OK);
	memset(&ap, 0, sizeof(ap));
	assert_int_equal(
	        eum_host_smsr_conn_tcp_ipv4((const uint8_t[]){127, 0, 0, 1}, 8080, 1024, conn, sizeof(conn), &cn),
	        EUM_OK);
	ap.conn = conn;
	ap.conn_len = cn;
	ap.uri = "/adm";
	ap.has_security = 1;
	ap.psk_id = ident;
	ap.psk_id_len = sizeof(ident) - 1;
	ap.kvn = 0x40;
	ap.kid = 0x01;
	assert_int_equal(eum_host_smsr_trigger_build(&ap, trig, sizeof(trig), &tn), EUM_OK);
	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	https_pump(h, https_push(h, trig, tn));
	got = eum_host_https_peer_identity(v->s, &il);
	assert_int_equal(il, sizeof(ident) - 1);
	assert_memory_equal(got, ident, il);
	assert_int_equal(v->n_rep, 2);
	/* no 8A: Host is the dotted address of the connection parameters */
	assert_string_equal(v->rep[0].host, "127.0.0.1");
	expect_clean_end(h, v);
	https_srv_free(v);
	/* KVN 41: not a key set of the ISD-R */
	h->log_len = 0;
	h->log[0] = 0;
	ap.kvn = 0x41;
	assert_int_equal(eum_host_smsr_trigger_build(&ap, trig, sizeof(trig), &tn), EUM_OK);
	https_pump(h, https_push(h, trig, tn));
	assert_true(https_logged(h, "SCP81: no PSK key set KVN 41 key 01"));
	assert_true(https_logged(h, "SCP81: session failed (no PSK), no retry policy"));
	assert_int_equal(h->n_open, 1);
	assert_null(h->e->card->scp81);
	https_free(h);
}

/* The ISD-R's defaults (ES5 UpdateSMSRAddressingParameters 3A07 A3 { 83 }, over SMS) complete a trigger
 * field by field, the trigger winning (digest §1.4): `81 00` uses them all; a trigger with only a URI takes
 * the rest from them. */
static void test_isdr_defaults(void **state)
{
	struct https *h = https_new();
	struct eum_host_https_config cfg;
	struct eum_host_smsr_admin_params ap;
	struct https_srv *v;
	uint8_t conn[32], apdu[261], trig[160];
	size_t cn = 0, n = 0, tn = 0;

	(void)state;
	eum_host_https_config_init(&cfg);
	cfg.idle = EUM_HOST_HTTPS_IDLE_END; /* nothing queued: 204 without Next-URI at once */
	v = https_srv_new(h, &cfg);
	memset(&ap, 0, sizeof(ap));
	assert_int_equal(
	        eum_host_smsr_conn_tcp_ipv4((const uint8_t[]){127, 0, 0, 1}, 8080, 1024, conn, sizeof(conn), &cn),
	        EUM_OK);
	ap.conn = conn;
	ap.conn_len = cn;
	ap.host = "smsr.example";
	ap.uri = "/default";
	assert_int_equal(eum_host_smsr_update_admin_params(&ap, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	assert_int_equal(es5_cmd_bytes(h->e, apdu, n), 0x9000);
	/* 81 00: everything from the defaults */
	assert_int_equal(eum_host_smsr_trigger_build(NULL, trig, sizeof(trig), &tn), EUM_OK);
	assert_int_equal(tn, 2);
	https_pump(h, https_push(h, trig, tn));
	assert_int_equal(v->n_rep, 1);
	assert_string_equal(v->rep[0].uri, "/default");
	assert_string_equal(v->rep[0].host, "smsr.example");
	assert_string_equal(v->rep[0].from, ISDR_FROM);
	assert_null(h->e->card->scp81);
	/* a trigger with a URI only */
	memset(&ap, 0, sizeof(ap));
	ap.uri = "/trig?x=1";
	assert_int_equal(eum_host_smsr_trigger_build(&ap, trig, sizeof(trig), &tn), EUM_OK);
	https_pump(h, https_push(h, trig, tn));
	assert_int_equal(h->n_open, 2);
	assert_int_equal(v->n_rep, 2);
	assert_string_equal(v->rep[1].uri, "/trig?x=1");
	assert_string_equal(v->rep[1].host, "smsr.example");
	https_srv_free(v);
	https_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_create_isdp_over_https), cmocka_unit_test(test_scripts_and_204_next),
	        cmocka_unit_test(test_targeted_application),   cmocka_unit_test(test_trigger_during_session),
	        cmocka_unit_test(test_reset_ends_session),     cmocka_unit_test(test_security_parameters),
	        cmocka_unit_test(test_isdr_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
