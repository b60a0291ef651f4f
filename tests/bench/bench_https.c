/*
 * Benchmark (issue 15): the ES8 download of a TS.48 package (~12 KB) over HTTPS vs. over SMS, in one run.
 *
 * Both ways do the same steps on a fresh default card: CreateISDP on the ISD-R, EstablishISDPKeySet
 * (3A01, 3A02), the SCP03t session (84 + 85 in one script) and the package in 86 segments, with the
 * e2e helpers of tests/e2e/es8_e2e.h:
 *   - SMS (the baseline): every script in one SCP80 packet in concatenated SMS-PP ENVELOPEs, PoR back,
 *     segments of 975 bytes packed as bench_es8 does;
 *   - HTTPS: one push SMS (the trigger), then the card's BIP channel is carried by libeum-host's terminal
 *     (include/eum/host/bip.h) to libeum-host's SM-SR HTTPS admin server (include/eum/host/https.h) in
 *     memory (no sockets: the time is the card's and the two libraries' work), PSK-TLS 1.2, every script
 *     answered in the next POST, one 86 segment of SEGMENT bytes per script.
 * Printed: APDUs and wall time of each way and their ratios, and the share of the HTTPS time spent in the
 * TLS handshake: from OPEN CHANNEL until the card's first POST reaches the server (all APDUs in between
 * included; the push SMS and the server's set-up are not). APDUs are counted at
 * eum_card_transmit (linked with --wrap). No assertion on time.
 *
 * Usage: bench_https [N] [segment]   (default 5 runs, 2000-byte segments over HTTPS)
 */
#define _POSIX_C_SOURCE 200809L

#include <time.h>

#include "../e2e/es8_e2e.h"

#include "eum/host/bip.h"
#include "eum/host/https.h"
#include "eum/host/smsr.h"

#define DATE_2026  1767225600ull
#define SCRIPT_CAP 8192

/* ---- APDU count: every eum_card_transmit of this program ------------------------------------------ */

static unsigned long n_apdus;

int __real_eum_card_transmit(eum_card *card, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t cap,
                             size_t *rlen);
int __wrap_eum_card_transmit(eum_card *card, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t cap,
                             size_t *rlen);

int __wrap_eum_card_transmit(eum_card *card, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t cap, size_t *rlen)
{
	n_apdus++;
	return __real_eum_card_transmit(card, capdu, len, rapdu, cap, rlen);
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- the modem and the network in memory -------------------------------------------------------------- */

struct link {
	struct eum_host_bip_terminal term;
	eum_host_https *srv;
	uint64_t rng;
	uint8_t down[65536]; /* server -> card bytes not yet in the terminal's Rx buffer */
	size_t down_len;
	/* the POST waited for */
	unsigned want_post, want_script;
	int got;
	uint8_t body[EUM_HOST_HTTPS_BODY_MAX];
	size_t body_len;
	/* handshake timing */
	double t_connect, t_handshake;
	unsigned long apdus_handshake0, apdus_handshake;
	unsigned posts;
	unsigned long bytes;
};

static const uint8_t test_psk[16] = {0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
                                     0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F};

/* The SM-SR knows the card (bench: whatever identity it names) and its SCP81 PSK (README "Test identity"). */
static int psk_any(void *ctx, const uint8_t *identity, size_t id_len, uint8_t *psk, size_t cap, size_t *psk_len)
{
	(void)ctx;
	(void)identity;
	if (!id_len || cap < sizeof(test_psk))
		return -1;
	memcpy(psk, test_psk, sizeof(test_psk));
	*psk_len = sizeof(test_psk);
	return 0;
}

static int srv_rng(void *ctx, uint8_t *buf, size_t len)
{
	return es8_rng(ctx, buf, len);
}

static void srv_input(struct link *l, const uint8_t *d, size_t n)
{
	struct eum_host_https_report rep;

	l->bytes += n;
	assert_int_equal(eum_host_https_input(l->srv, d, n), EUM_OK);
	while (eum_host_https_poll(l->srv, &rep) == EUM_OK) {
		l->posts++;
		if (rep.post == 1) {
			/* the card finished its handshake (it checked the server's Finished) and sent its first POST */
			l->t_handshake = now_ns();
			l->apdus_handshake = n_apdus - l->apdus_handshake0;
		}
		if ((l->want_post && rep.post == l->want_post) || (l->want_script && rep.script_id == l->want_script)) {
			assert_int_equal(rep.status,
			                 l->want_script ? EUM_HOST_HTTPS_STATUS_OK : EUM_HOST_HTTPS_STATUS_NONE);
			assert_true(rep.body_len <= sizeof(l->body));
			memcpy(l->body, rep.body, rep.body_len);
			l->body_len = rep.body_len;
			l->got = 1;
		}
	}
}

static void connect_srv(struct link *l)
{
	struct eum_host_https_config cfg;

	eum_host_https_config_init(&cfg);
	cfg.psk_fn = psk_any;
	cfg.rng = srv_rng;
	cfg.rng_ctx = &l->rng;
	assert_null(l->srv);
	assert_int_equal(eum_host_https_new(&l->srv, &cfg), EUM_OK);
	l->t_connect = now_ns();
	l->apdus_handshake0 = n_apdus;
}

/* One proactive command: FETCH, the terminal, TERMINAL RESPONSE. */
static uint16_t serve(struct es8 *x, struct link *l, uint16_t sw)
{
	uint8_t fetch[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw}, cmd[300], tr[300];
	size_t len = 0, tl = 0;
	struct eum_host_bip_action act;

	assert_int_equal(ota_xmit_get(x->card, fetch, sizeof(fetch), cmd, &len), 0x9000);
	assert_int_equal(eum_host_bip_fetch(&l->term, cmd, len, &act), EUM_OK);
	if (act.what == EUM_HOST_BIP_NOT_BIP) {
		/* SEND SHORT MESSAGE & co: "done" (nothing of this bench needs them) */
		size_t off = cmd[1] == 0x81 ? 3 : 2;
		memcpy(tr, "\x80\x14\x00\x00\x0C\x81\x03", 7);
		memcpy(tr + 7, cmd + off + 2, 3);
		memcpy(tr + 10, "\x82\x02\x82\x81\x83\x01\x00", 7);
		return ota_xmit_get(x->card, tr, 17, cmd, &len);
	}
	if (act.what == EUM_HOST_BIP_CONNECT)
		connect_srv(l);
	else if (act.what == EUM_HOST_BIP_SEND)
		srv_input(l, act.data, act.len);
	assert_int_equal(eum_host_bip_response(&l->term, 0, tr, sizeof(tr), &tl), EUM_OK);
	return ota_xmit_get(x->card, tr, tl, cmd, &len);
}

/* Until the card is idle and nothing waits on the network: proactive commands, server bytes, events. */
static void pump(struct es8 *x, struct link *l, uint16_t sw)
{
	uint8_t env[64], r[300];
	size_t el, rl, room, n;
	unsigned guard = 0;

	for (;;) {
		assert_true(++guard < 1000000);
		if ((sw >> 8) == 0x91) {
			sw = serve(x, l, sw);
			continue;
		}
		assert_int_equal(sw, 0x9000);
		if (l->srv && l->term.state == EUM_HOST_BIP_OPEN) {
			l->down_len +=
			        eum_host_https_output(l->srv, l->down + l->down_len, sizeof(l->down) - l->down_len);
			room = eum_host_bip_rx_room(&l->term);
			n = l->down_len < room ? l->down_len : room;
			if (n) {
				l->bytes += n;
				assert_int_equal(eum_host_bip_received(&l->term, l->down, n), EUM_OK);
				memmove(l->down, l->down + n, l->down_len - n);
				l->down_len -= n;
			}
		}
		if (eum_host_bip_event(&l->term, env, sizeof(env), &el) == EUM_OK) {
			sw = ota_xmit_get(x->card, env, el, r, &rl);
			continue;
		}
		return;
	}
}

/* es8_e2e.h transport: the script goes in the SM-SR's queue (targeted at the ISD-P unless it is for the
 * ISD-R) and its answer is the card's next POST. */
static void https_transport(struct es8 *x, const uint8_t tar[3], const uint8_t *script, size_t len)
{
	struct link *l = x->transport_ctx;
	int isdr = !memcmp(tar, es8_isdr_tar, 3);
	unsigned id = 0;
	uint8_t aid[16];

	memcpy(aid, "\xA0\x00\x00\x05\x59\x10\x10\xFF\xFF\xFF\xFF\x89", 12);
	memcpy(aid + 12, tar, 3);
	aid[15] = 0x00;
	assert_int_equal(eum_host_https_queue(l->srv, script, len, isdr ? NULL : aid, isdr ? 0 : 16, 0, &id), EUM_OK);
	l->want_script = id;
	l->got = 0;
	while (!l->got)
		pump(x, l, 0x9000);
	l->want_script = 0;
	assert_true(l->body_len <= sizeof(x->rsp) && l->body_len >= 4);
	memcpy(x->rsp, l->body, l->body_len);
	x->rsp_len = l->body_len;
}

/* The push SMS (trigger: TCP to 127.0.0.1:4433, the address is never used) and the session's first POST. */
static void https_open(struct es8 *x, struct link *l)
{
	static const uint8_t lo[4] = {127, 0, 0, 1};
	const struct ota_keys *k = ota_keys_by_name("aes128");
	struct eum_host_scp80_keyset ks;
	struct eum_host_smsr sr;
	struct eum_host_smsr_admin_params ap;
	struct eum_host_smsr_envelopes env;
	uint8_t conn[32], trig[128], r[300];
	size_t cn = 0, tn = 0, rl = 0, i;

	ota_host_keyset(k, &ks);
	eum_host_smsr_init(&sr, &ks, (uint8_t)(k->kvn << 4 | k->nib), (uint8_t)(k->kvn << 4 | k->nib), es8_isdr_tar);
	memcpy(sr.params.cntr, x->cntr, sizeof(x->cntr));
	memset(&ap, 0, sizeof(ap));
	assert_int_equal(eum_host_smsr_conn_tcp_ipv4(lo, 4433, 1024, conn, sizeof(conn), &cn), EUM_OK);
	ap.conn = conn;
	ap.conn_len = cn;
	ap.host = "smsr.example";
	ap.uri = "/smsr";
	assert_int_equal(eum_host_smsr_trigger_build(&ap, trig, sizeof(trig), &tn), EUM_OK);
	assert_int_equal(eum_host_smsr_push(&sr, trig, tn, &env), EUM_OK);
	memcpy(x->cntr, sr.params.cntr, sizeof(x->cntr));
	memset(&sr, 0, sizeof(sr));
	l->want_post = 1;
	l->got = 0;
	for (i = 0; i < env.n; i++)
		pump(x, l, ota_xmit_get(x->card, env.apdu[i], env.len[i], r, &rl));
	assert_non_null(l->srv); /* the card opened its channel */
	while (!l->got)
		pump(x, l, 0x9000);
	l->want_post = 0;
}

static void https_close(struct es8 *x, struct link *l)
{
	unsigned guard = 0;

	assert_int_equal(eum_host_https_finish(l->srv), EUM_OK);
	while (eum_host_https_state(l->srv) < EUM_HOST_HTTPS_DONE || l->term.state != EUM_HOST_BIP_CLOSED) {
		assert_true(++guard < 100000);
		assert_true(eum_host_https_state(l->srv) != EUM_HOST_HTTPS_FAILED);
		pump(x, l, 0x9000);
	}
}

/* The download over the session: one 86 segment per script. */
static void https_download(struct es8 *x, eum_host_scp03t *t, const uint8_t *der, size_t len, size_t seg,
                           eum_host_euicc_response *resp)
{
	static uint8_t tlv[SCRIPT_CAP], script[SCRIPT_CAP + 4];
	uint8_t plain[512];
	size_t off = 0, n = 0, plen = 0, rl = 0, vl = 0;
	const uint8_t *raw = NULL, *v = NULL;
	uint16_t tag = 0;

	while (off < len && !plen) {
		assert_int_equal(eum_host_scp03t_next_segment(t, der, len, seg, &off, tlv, sizeof(tlv), &n), EUM_OK);
		script[0] = 0xAE;
		script[1] = 0x80;
		memcpy(script + 2, tlv, n);
		script[2 + n] = script[3 + n] = 0x00;
		https_transport(x, x->isdp_tar, script, n + 4);
		assert_true(es8_rsp_tlv(x, 0, &tag, &raw, &rl, &v, &vl));
		assert_int_equal(eum_host_scp03t_check_86(t, raw, rl, plain, sizeof(plain), &plen), EUM_OK);
	}
	assert_true(plen && off == len);
	assert_int_equal(eum_host_euicc_response_decode(plain, plen, resp), EUM_OK);
}

struct way {
	double ns;
	unsigned long apdus;
};

int main(int argc, char **argv)
{
	static uint8_t der[32768];
	static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
	static struct link l;
	int runs = argc > 1 ? atoi(argv[1]) : 5, r;
	size_t seg = argc > 2 ? (size_t)atol(argv[2]) : 2000;
	size_t len = es8_file("ts48/TS48V1-A-UNIQUE.der", der, sizeof(der));
	struct way sms = {0, 0}, https = {0, 0};
	double hs_ns = 0;
	unsigned long hs_apdus = 0, bytes = 0;
	unsigned posts = 0;

	if (runs < 1 || seg < 16 || seg > 4000) {
		fprintf(stderr, "usage: bench_https [N] [segment 16..4000]\n");
		return 2;
	}
	/* run -1 is a warm-up of both ways (one-time set-up of the test identity, the PKI, mbedTLS): not counted */
	for (r = -1; r < runs; r++) {
		eum_host_euicc_response resp;
		eum_host_scp03t t;
		struct es8 x;
		double t0;
		unsigned long a0;

		/* SMS */
		es8_init(&x, DATE_2026);
		t0 = now_ns();
		a0 = n_apdus;
		es8_create_isdp(&x, tar20);
		es8_establish_keys(&x, 0);
		es8_scp03t_open(&x, &t, 1, 1);
		es8_download(&x, &t, der, len, 975, &resp);
		if (r >= 0) {
			sms.ns += now_ns() - t0;
			sms.apdus += n_apdus - a0;
		}
		if (!eum_host_euicc_response_ok(&resp)) {
			fprintf(stderr, "download over SMS refused\n");
			return 1;
		}
		eum_host_scp03t_free(&t);
		es8_free(&x);

		/* HTTPS */
		es8_init(&x, DATE_2026);
		memset(&l, 0, sizeof(l));
		eum_host_bip_init(&l.term, EUM_HOST_BIP_BUFFER_DEFAULT);
		l.rng = 0x5EED0000u + (uint64_t)(r + 1);
		x.transport = https_transport;
		x.transport_ctx = &l;
		t0 = now_ns();
		a0 = n_apdus;
		https_open(&x, &l);
		es8_create_isdp(&x, tar20);
		es8_establish_keys(&x, 0);
		es8_scp03t_open(&x, &t, 1, 1);
		https_download(&x, &t, der, len, seg, &resp);
		https_close(&x, &l);
		if (r >= 0) {
			https.ns += now_ns() - t0;
			https.apdus += n_apdus - a0;
			hs_ns += l.t_handshake - l.t_connect;
			hs_apdus += l.apdus_handshake;
			posts += l.posts;
			bytes += l.bytes;
		}
		if (!eum_host_euicc_response_ok(&resp)) {
			fprintf(stderr, "download over HTTPS refused\n");
			return 1;
		}
		eum_host_scp03t_free(&t);
		eum_host_https_free(l.srv);
		es8_free(&x);
	}
	printf("TS.48 package %zu bytes: CreateISDP + EstablishISDPKeySet + SCP03t download, %d runs\n", len, runs);
	printf("  over SMS   (975-byte segments): %8.2f ms/run, %6lu APDUs/run\n", sms.ns / runs / 1e6,
	       sms.apdus / runs);
	printf("  over HTTPS (%zu-byte segments): %8.2f ms/run, %6lu APDUs/run (%u POSTs, %lu TCP bytes per run)\n",
	       seg, https.ns / runs / 1e6, https.apdus / runs, posts / (unsigned)runs, bytes / (unsigned long)runs);
	printf("  HTTPS/SMS: APDUs %.2f, time %.2f\n", (double)https.apdus / (double)sms.apdus, https.ns / sms.ns);
	printf("  TLS handshake (OPEN CHANNEL to the first POST, %lu APDUs/run): %.1f%% of the HTTPS time\n",
	       hs_apdus / (unsigned long)runs, 100.0 * hs_ns / https.ns);
	return 0;
}
