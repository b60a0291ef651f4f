/*
 * Benchmark: a fleet of default cards in one process (the harness that simulates thousands of meters or
 * cars). Creates N cards (memory only, built-in bootstrap profile), runs each through a modem attach
 * (cold reset, TERMINAL PROFILE, SELECT + READ BINARY EF.ICCID, VERIFY PIN1 when the PIN is enabled,
 * SELECT of the USIM ADF, READ BINARY EF.IMSI, AUTHENTICATE with a network challenge from libeum-host's
 * AKA, checked against XRES/CK/IK) and reports, all from the same run:
 *  - heap (mallinfo2) and RSS per card, after creation, after reset + one SELECT, after the attach;
 *  - creation cost / AUTHENTICATE cost: in wall time (each creation and each card's first AUTHENTICATE
 *    timed, less the clock reads), and in CPU time (getrusage around the creation loop and around a
 *    pass of one more AUTHENTICATE per card), which a shared machine's other jobs do not skew;
 *  - attach throughput with 2 threads / with 1 thread (one thread per card at a time);
 *  - for P cards (default 1,000): a full provisioning each (SGP.02 CreateISDP over SCP80, ES8 key
 *    establishment + SCP03t download of a TS.48 package, ES5 EnableProfile, REFRESH, the new ICCID read
 *    back) / the crypto floor of that work (2 ECDSA verifications + 1 ECDH per card, card's crypto seam).
 *
 * Usage: bench_fleet [N] [P]   (defaults 100000 and 1000; P = 0 skips the provisioning).
 * Exits non-zero when any card does not attach exactly (SWs, ICCID, IMSI, RES/CK/IK) or a provisioning
 * step fails (the e2e helpers' cmocka asserts abort the run).
 */
#define _GNU_SOURCE

#include <malloc.h>
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../e2e/es5_e2e.h"
#include "../e2e/es8_e2e.h"
#include "../e2e/modem_t0.h"
#include "../e2e/test_aka_modem.h"

#include "crypto/ecc.h"
#include "eum/host/aka.h"
#include "sgp02/cert.h"

#define DATE_2026 1767225600ull

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* What one timed interval adds to what it times (the two clock reads around nothing), measured in the
 * same run: creation and AUTHENTICATE are both sums of N such intervals, each corrected by it. The
 * lowest of 50 batch averages: a batch the scheduler interrupted would over-correct both. */
static double clock_overhead_ns(void)
{
	double best = 1e9;
	int b, i;

	for (b = 0; b < 50; b++) {
		double t = 0;
		for (i = 0; i < 2000; i++) {
			double t0 = now_ns();
			t += now_ns() - t0;
		}
		if (t / 2000 < best)
			best = t / 2000;
	}
	return best;
}

/* CPU time of the process so far (user, system), in ns: what the creation loop ran, against its wall time
 * (the split between the two is tick-sampled: only the sum is reported). */
static void cpu_ns(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = (double)ru.ru_utime.tv_sec * 1e9 + (double)ru.ru_utime.tv_usec * 1e3;
	*sys = (double)ru.ru_stime.tv_sec * 1e9 + (double)ru.ru_stime.tv_usec * 1e3;
}

static double loadavg1(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static size_t heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

static size_t rss_bytes(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%lu %lu", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* ---- a modem, without cmocka (runs on several threads): tests/e2e/modem_t0.h ------------------- */

/* What every fresh default card must answer (README "Default test card"). */
static const uint8_t usim_aid[16] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00};
static const uint8_t iccid_bcd[10] = {0x98, 0x88, 0x12, 0x01, 0x00,
                                      0x00, 0x00, 0x00, 0x10, 0xF1};                      /* 8988211000000000011 */
static const uint8_t imsi_ef[9] = {0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98}; /* 001010123456789 */

/* AUTHENTICATE (TS 31.102 §7.1.2) with its GET RESPONSE on the selected USIM; 0 when RES/CK/IK are the
 * network's. */
static int authenticate(eum_card *card, const struct eum_host_aka_vector *v)
{
	uint8_t c[40], r[512];
	struct eum_host_aka_response ar;
	size_t n;

	memcpy(c, "\x00\x88\x00\x81\x22\x10", 6);
	memcpy(c + 6, v->rand, 16);
	c[22] = 0x10;
	memcpy(c + 23, v->autn, 16);
	c[39] = 0x00;
	if (t0_xfer(card, c, 40, r, sizeof(r), &n) != 0x9000 || eum_host_aka_parse_response(r, n, &ar) != EUM_OK ||
	    ar.sync_failure || ar.res_len != v->res_len || memcmp(ar.res, v->res, v->res_len) ||
	    memcmp(ar.ck, v->ck, 16) || memcmp(ar.ik, v->ik, 16))
		return -1;
	return 0;
}

/* The modem attach of one card (ETSI TS 102 221 §6, TS 31.102 §5.1.1, TS 31.102 §7.1.2); returns 0 when
 * every answer is the expected one. *t_auth receives the time of the AUTHENTICATE exchange. */
static int attach(eum_card *card, const struct eum_host_aka_vector *v, double *t_auth)
{
	static const uint8_t tp[] = {0x80, 0x10, 0x00, 0x00, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	static const uint8_t sel_iccid[] = {0x00, 0xA4, 0x08, 0x04, 0x02, 0x2F, 0xE2, 0x00};
	static const uint8_t read10[] = {0x00, 0xB0, 0x00, 0x00, 0x0A};
	static const uint8_t pin_status[] = {0x00, 0x20, 0x00, 0x01};
	static const uint8_t verify1[] = {0x00, 0x20, 0x00, 0x01, 0x08, '1', '2', '3', '4', 0xFF, 0xFF, 0xFF, 0xFF};
	static const uint8_t sel_imsi[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07, 0x00};
	static const uint8_t read9[] = {0x00, 0xB0, 0x00, 0x00, 0x09};
	uint8_t c[64], r[512];
	size_t n;
	uint16_t sw;
	double t0;

	if (eum_card_reset(card, 1, NULL, 0, NULL) != EUM_OK)
		return -1;
	if (t0_drain_proactive(card, t0_xfer(card, tp, sizeof(tp), r, sizeof(r), &n)) != 0x9000)
		return -2;
	if (t0_xfer(card, sel_iccid, sizeof(sel_iccid), r, sizeof(r), &n) != 0x9000 || n < 2 || r[0] != 0x62)
		return -3;
	if (t0_xfer(card, read10, sizeof(read10), r, sizeof(r), &n) != 0x9000 || n != 10 || memcmp(r, iccid_bcd, 10))
		return -4;
	sw = t0_xfer(card, pin_status, sizeof(pin_status), r, sizeof(r), &n);
	if ((sw & 0xFFF0) == 0x63C0) {
		if (t0_xfer(card, verify1, sizeof(verify1), r, sizeof(r), &n) != 0x9000)
			return -5;
	} else if (sw != 0x9000) {
		return -5;
	}
	memcpy(c, "\x00\xA4\x04\x04\x10", 5);
	memcpy(c + 5, usim_aid, 16);
	c[21] = 0x00;
	if (t0_xfer(card, c, 22, r, sizeof(r), &n) != 0x9000 || n < 2 || r[0] != 0x62)
		return -6;
	if (t0_xfer(card, sel_imsi, sizeof(sel_imsi), r, sizeof(r), &n) != 0x9000)
		return -7;
	if (t0_xfer(card, read9, sizeof(read9), r, sizeof(r), &n) != 0x9000 || n != 9 || memcmp(r, imsi_ef, 9))
		return -8;
	t0 = now_ns();
	sw = authenticate(card, v);
	*t_auth += now_ns() - t0;
	return sw ? -9 : 0;
}

/* The network side: the bootstrap profile's Milenage subscription (README "Default test card"). */
static void make_vector(unsigned seq, struct eum_host_aka_vector *v)
{
	static const uint8_t k[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	                              0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
	static const uint8_t op[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	                               0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
	static const uint8_t amf[2] = {0x80, 0x00};
	const uint8_t seq0[6] = {0};
	struct eum_host_aka_key key;
	uint8_t rand[16], sqn[6];
	int i;

	for (i = 0; i < 16; i++)
		rand[i] = (uint8_t)(0x3C ^ (i * 7) ^ seq);
	make_sqn(seq0, seq, 0, sqn); /* SEQ = seq, IND 0: fresh for a card that accepted seq - 1 */
	if (eum_host_aka_key_milenage(&key, k, op, 0) != EUM_OK || eum_host_aka_generate(&key, rand, sqn, amf, v)) {
		fprintf(stderr, "AKA vector\n");
		exit(1);
	}
	eum_host_aka_key_wipe(&key);
}

struct worker {
	pthread_t th;
	eum_card **cards;
	size_t from, to;
	const struct eum_host_aka_vector *v;
	double t_auth;
	size_t failed;
	int first_err;
};

static void *attach_range(void *arg)
{
	struct worker *w = arg;
	size_t i;

	for (i = w->from; i < w->to; i++) {
		int e = attach(w->cards[i], w->v, &w->t_auth);
		if (e && !w->failed++)
			w->first_err = e;
	}
	return NULL;
}

/* Attach cards[0..n) on `threads` threads (contiguous halves); returns the wall time. */
static double attach_all(eum_card **cards, size_t n, unsigned threads, const struct eum_host_aka_vector *v,
                         double *t_auth, size_t *failed)
{
	struct worker w[2];
	unsigned i;
	double t0 = now_ns();

	*t_auth = 0;
	*failed = 0;
	for (i = 0; i < threads; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].cards = cards;
		w[i].from = n * i / threads;
		w[i].to = n * (i + 1) / threads;
		w[i].v = v;
		if (threads > 1) {
			if (pthread_create(&w[i].th, NULL, attach_range, &w[i])) {
				fprintf(stderr, "pthread_create\n");
				exit(1);
			}
		} else {
			attach_range(&w[i]);
		}
	}
	for (i = 0; i < threads; i++) {
		if (threads > 1)
			pthread_join(w[i].th, NULL);
		*t_auth += w[i].t_auth;
		if (w[i].failed)
			fprintf(stderr, "  %zu cards failed to attach (first error %d)\n", w[i].failed, w[i].first_err);
		*failed += w[i].failed;
	}
	return now_ns() - t0;
}

/* ---- provisioning (single thread: the e2e helpers keep static buffers) -------------------------- */

static void provision(const uint8_t *der, size_t len, const uint8_t iccid[10])
{
	static const uint8_t tar[3] = {0x00, 0x00, 0x20};
	struct es5 *t = es5_new_with(1); /* the default card, memory only, as in the fleet */
	eum_host_euicc_response resp;
	eum_host_scp03t st;
	struct es8 x;
	uint8_t apdu[64], cmd[256], got[16];
	size_t n, clen;
	uint16_t sw;

	/* the SM-DP / SM-SR side of es8_init() on this card */
	memset(&x, 0, sizeof(x));
	x.card = t->card;
	x.clk.now = DATE_2026;
	x.rng = 0x0123456789ABCDEFull;
	ota_terminal_profile(x.card, NULL, 20);
	x.cert_len = es8_file("pki/p256/smdp.cert", x.cert, sizeof(x.cert));
	es8_hexfile("p256", "smdp.sk.hex", x.sk_dp, 32);
	es8_hexfile("p256", "ecasd.pk.hex", x.pk_ecasd, 65);
	eum_host_smdp_crt_default(&x.crt);

	es8_create_isdp(&x, tar);
	es8_establish_keys(&x, 0);
	es8_scp03t_open(&x, &st, 1, 1);
	es8_download(&x, &st, der, len, 975, &resp);
	assert_true(eum_host_euicc_response_ok(&resp));
	eum_host_scp03t_free(&st);

	/* ES5 EnableProfile through the ISD-R (same key set KVN 3: the SM-SR continues the counter) */
	memcpy(t->sr.params.cntr, x.cntr, 5);
	assert_int_equal(eum_host_smsr_enable_profile(x.isdp_aid, 16, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	/* the PoR went back first; REFRESH (UICC reset) behind it */
	sw = t->env_sw;
	assert_int_equal(es5_fetch(t, sw, cmd, &clen), 0x01);
	assert_int_equal(es5_terminal_response(t, cmd, ES5_TR_OK), 0x9000);
	es5_reset(t);
	assert_int_equal(es5_hex(t, "00A4000C022FE2", NULL, NULL), 0x9000);
	assert_int_equal(es5_hex(t, "00B000000A", got, &n), 0x9000);
	assert_int_equal(n, 10);
	assert_memory_equal(got, iccid, 10);
	eum_host_smdp_keys_wipe(&x.keys);
	es5_free(t);
}

static int card_rng(void *ctx, uint8_t *buf, size_t len)
{
	return es8_rng(ctx, buf, len);
}

/* The unavoidable crypto of one provisioning, same inputs as the card sees: CI signature on the SM-DP
 * certificate, SM-DP signature on 3A02, ECDH of the key agreement (SGP.02 §4.1.3.1). */
static double crypto_floor(int runs)
{
	uint8_t pk_ci[65], sk_ecasd[32], epk[65], esk[32], secret[32], d3a02[400], rc[16], sig[64], signed_data[256];
	uint8_t cert_der[ES8_PKI_MAX], sk_dp[32];
	eum_host_smdp_crt crt;
	struct eum_cert cert;
	size_t n3a02, cert_len, a, b;
	uint64_t seed = 42;
	double t = 0;
	int r;

	cert_len = es8_file("pki/p256/smdp.cert", cert_der, sizeof(cert_der));
	es8_hexfile("p256", "smdp.sk.hex", sk_dp, 32);
	es8_hexfile("p256", "ci.pk.hex", pk_ci, 65);
	es8_hexfile("p256", "ecasd.sk.hex", sk_ecasd, 32);
	eum_host_smdp_crt_default(&crt);
	memset(rc, 0xA5, sizeof(rc));
	eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &seed, esk, epk);
	eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, sk_dp, &crt, epk, 0, rc, 16, es8_rng, &seed, d3a02,
	                         sizeof(d3a02), &n3a02);
	if (eum_cert_parse(cert_der, cert_len, &cert) != EUM_OK) {
		fprintf(stderr, "certificate\n");
		exit(1);
	}
	/* 3A02 signed data: 3A02 L A6 || 7F49 L ePK || 00 85 10 RC; the signature is the last 64 bytes */
	a = 3 + d3a02[2];
	b = 3 + d3a02[a + 2];
	memcpy(signed_data, d3a02, a + b);
	memcpy(signed_data + a + b, "\x00\x85\x10", 3);
	memcpy(signed_data + a + b + 3, rc, 16);
	memcpy(sig, d3a02 + n3a02 - 64, 64);
	for (r = 0; r < runs; r++) {
		double t0 = now_ns();
		int ok =
		        eum_ecdsa_verify(EUM_ECC_NIST_P256, pk_ci, 65, cert.signed_part.p, cert.signed_part.len,
		                         cert.sig, 64) == EUM_OK &&
		        eum_ecdsa_verify(EUM_ECC_NIST_P256, cert.pub, 65, signed_data, a + b + 19, sig, 64) == EUM_OK &&
		        eum_ecdh(EUM_ECC_NIST_P256, sk_ecasd, epk, 65, secret, card_rng, &seed) == EUM_OK;
		t += now_ns() - t0;
		if (!ok) {
			fprintf(stderr, "crypto check failed\n");
			exit(1);
		}
	}
	return t / runs;
}

static void quiet_log(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

int main(int argc, char **argv)
{
	static const uint8_t sel_mf[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00, 0x00};
	long n_arg = argc > 1 ? atol(argv[1]) : 100000, p_arg = argc > 2 ? atol(argv[2]) : 1000;
	size_t n = (size_t)n_arg, p = (size_t)p_arg, i, failed, h0, r0, h1, r1, h2, r2, h3, r3, h4;
	struct eum_host_aka_vector v1, v2, v3, v4;
	double t_new = 0, t_auth1, t_auth, w1, w2, t_clk, load0, u0, s0, u1, s1, u2, s2, u3, s3, wa;
	eum_card **cards;
	eum_config cfg;
	int bad = 0;

	if (n_arg < 2 || p_arg < 0) {
		fprintf(stderr, "usage: bench_fleet [N >= 2] [P >= 0]\n");
		return 2;
	}
	cards = calloc(n, sizeof(*cards));
	if (!cards)
		return 1;
	make_vector(1, &v1);
	make_vector(2, &v2);
	make_vector(3, &v3);
	make_vector(4, &v4);
	eum_config_init(&cfg);
	cfg.log = quiet_log;

	/* a first card outside the measurement: one-time process costs (lazy tables, page faults of code) */
	{
		eum_card *warm = NULL;
		double unused = 0;
		if (eum_card_new(&warm, &cfg) != EUM_OK || attach(warm, &v1, &unused)) {
			fprintf(stderr, "the first card does not attach\n");
			return 1;
		}
		eum_card_free(warm);
	}
	malloc_trim(0);
	load0 = loadavg1();
	t_clk = clock_overhead_ns();
	h0 = heap_used();
	r0 = rss_bytes();
	cpu_ns(&u0, &s0);
	for (i = 0; i < n; i++) {
		double t0 = now_ns();
		int rc = eum_card_new(&cards[i], &cfg);
		t_new += now_ns() - t0;
		if (rc != EUM_OK) {
			fprintf(stderr, "card %zu: eum_card_new: %s\n", i, eum_strerror(rc));
			return 1;
		}
	}
	cpu_ns(&u1, &s1);
	h1 = heap_used();
	r1 = rss_bytes();
	/* the "default card": after a cold reset and one SELECT */
	for (i = 0; i < n; i++) {
		uint8_t r[300];
		size_t rl;
		if (eum_card_reset(cards[i], 1, NULL, 0, NULL) != EUM_OK ||
		    t0_xfer(cards[i], sel_mf, sizeof(sel_mf), r, sizeof(r), &rl) != 0x9000) {
			fprintf(stderr, "card %zu: reset + SELECT MF failed\n", i);
			return 1;
		}
	}
	h2 = heap_used();
	r2 = rss_bytes();

	/* first attach of every card (what its memory looks like afterwards), then the timed passes: one
	 * thread, then two, each with the next SQN */
	attach_all(cards, n, 1, &v1, &t_auth1, &failed);
	bad |= failed != 0;
	/* both are sums of n timed intervals (one per card): without what the clock reads add */
	t_new -= n * t_clk;
	t_auth1 -= n * t_clk;
	h3 = heap_used();
	r3 = rss_bytes();
	w1 = attach_all(cards, n, 1, &v2, &t_auth, &failed);
	bad |= failed != 0;
	w2 = attach_all(cards, n, 2, &v3, &t_auth, &failed);
	bad |= failed != 0;
	/* AUTHENTICATE alone, every card in turn (its USIM is still selected), timed as a whole in wall and CPU
	 * time: the CPU ratio below does not depend on when the shared machine's other jobs ran */
	failed = 0;
	cpu_ns(&u2, &s2);
	wa = now_ns();
	for (i = 0; i < n; i++)
		failed += authenticate(cards[i], &v4) != 0;
	wa = now_ns() - wa;
	cpu_ns(&u3, &s3);
	if (failed)
		fprintf(stderr, "  %zu cards failed the fourth AUTHENTICATE\n", failed);
	bad |= failed != 0;

	printf("fleet of %zu default cards (memory only, built-in bootstrap profile)\n", n);
	printf("  heap per card:  %8.0f B after eum_card_new, %8.0f B after reset + SELECT, %8.0f B after attach\n",
	       (double)(h1 - h0) / n, (double)(h2 - h0) / n, (double)(h3 - h0) / n);
	printf("  RSS per card:   %8.0f B after eum_card_new, %8.0f B after reset + SELECT, %8.0f B after attach\n",
	       (double)(r1 - r0) / n, (double)(r2 - r0) / n, (double)(r3 - r0) / n);
	printf("  process RSS:    %.1f MiB (all %zu cards attached)\n", (double)rss_bytes() / 1048576.0, n);
	printf("  load average (1 min) before the run: %.2f; clock read pair: %.0f ns (subtracted below)\n", load0,
	       t_clk);
	printf("  eum_card_new:   %8.2f us per card (wall, each creation timed, first card of the process excluded)\n",
	       t_new / n / 1e3);
	printf("                  %8.2f us CPU per card (user + system, getrusage around the creation loop)\n",
	       (u1 - u0 + s1 - s0) / n / 1e3);
	printf("  AUTHENTICATE:   %8.2f us per card (wall, each card's first, with GET RESPONSE)\n", t_auth1 / n / 1e3);
	printf("  ratio creation / AUTHENTICATE: %.2f\n", t_new / t_auth1);
	printf("  AUTHENTICATE pass alone: %.2f us wall, %.2f us CPU per card (4th AUTHENTICATE of each card)\n",
	       wa / n / 1e3, (u3 - u2 + s3 - s2) / n / 1e3);
	printf("  ratio creation / AUTHENTICATE in CPU time (both loops): %.2f\n",
	       (u1 - u0 + s1 - s0) / (u3 - u2 + s3 - s2));
	printf("  attach, 1 thread:  %9.0f cards/s\n", n / (w1 / 1e9));
	printf("  attach, 2 threads: %9.0f cards/s\n", n / (w2 / 1e9));
	printf("  ratio 2 threads / 1 thread: %.2f\n", w1 / w2);
	printf("  all %zu cards attached three times and authenticated a fourth: %s\n", n, bad ? "NO" : "yes");

	for (i = 0; i < n; i++)
		eum_card_free(cards[i]);
	free(cards);
	h4 = heap_used();
	printf("  heap after freeing every card: %+ld B against the start\n", (long)h4 - (long)h0);

	if (p) {
		static uint8_t der[32768];
		uint8_t iccid[10];
		char hex[64];
		size_t len = es8_file("ts48/TS48V1-A-UNIQUE.der", der, sizeof(der));
		double t_prov = 0, t_floor;
		char *json = slurp(EUM_TEST_DATA_DIR "/ts48/TS48V1-A-UNIQUE.json", NULL);

		assert_non_null(json_str_after(json, "iccid_raw", hex, sizeof(hex)));
		unhex_n(hex, iccid, 10);
		for (i = 0; i < 10; i++) /* EF.ICCID holds the digits nibble-swapped (TS 102 221 §13.2) */
			iccid[i] = (uint8_t)(iccid[i] << 4 | iccid[i] >> 4);
		free(json);
		for (i = 0; i < p; i++) {
			double t0 = now_ns();
			provision(der, len, iccid);
			t_prov += now_ns() - t0;
		}
		t_floor = crypto_floor((int)(p < 20 ? 20 : p));
		printf("provisioning of %zu cards (CreateISDP, ES8 download of TS48V1-A-UNIQUE %zu B, enable)\n", p,
		       len);
		printf("  full, per card (card creation included): %8.2f ms\n", t_prov / p / 1e6);
		printf("  crypto floor (2 ECDSA verify + 1 ECDH):   %8.2f ms\n", t_floor / 1e6);
		printf("  ratio provisioning / crypto floor: %.2f\n", t_prov / p / t_floor);
	}
	eum_host_aka_vector_wipe(&v1);
	eum_host_aka_vector_wipe(&v2);
	eum_host_aka_vector_wipe(&v3);
	eum_host_aka_vector_wipe(&v4);
	return bad ? 1 : 0;
}
