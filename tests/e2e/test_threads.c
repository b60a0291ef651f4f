/*
 * The threading contract of include/eum/eum.h: cards are independent objects; any number of threads may
 * use different cards at the same time (creation and destruction included), and a card may move from
 * one thread to another between calls as long as one thread uses it at a time.
 *
 * THREADS workers share CARDS default cards, in rounds: in each round a worker plays one modem session on
 * each of its cards (cold reset, TERMINAL PROFILE, SELECT/READ EF.ICCID, VERIFY PIN1,
 * SELECT USIM, READ EF.IMSI, AUTHENTICATE with the next SQN, STATUS, an RFM read of EF.ICCID over
 * SMS-PP/SCP80 with its PoR); the next round gives the card to another worker. The first session of a
 * card creates it, the last frees it.
 * Every answer is checked against what one card alone answers. ctest runs it in every build; CI also
 * runs it under ThreadSanitizer (EUM_TSAN, .ci/run), where any data race fails the run.
 *
 * Workers never call cmocka (its asserts longjmp on the test's thread): they record the first failure
 * of a card, and the test thread asserts after joining them.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t */
#include <pthread.h>

#include "modem_t0.h"
#include "test_aka_modem.h"

#include "eum/host/smsr.h"

#define THREADS 4
#define CARDS   8
#define ROUNDS  3

static const uint8_t usim_aid[16] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00};
static const uint8_t iccid_bcd[10] = {0x98, 0x88, 0x12, 0x01, 0x00, 0x00, 0x00, 0x00, 0x10, 0xF1};
static const uint8_t imsi_ef[9] = {0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98};

struct slot {
	eum_card *card;
	int rounds;    /* sessions done */
	int failed_at; /* 0 = fine, else the step of the first failure (see session()) */
	int failed_round;
	uint16_t failed_sw;
	struct eum_host_smsr rfm; /* the OTA server of this card's RFM TAR (its counter moves with the card) */
};

struct fleet {
	pthread_barrier_t barrier;
	struct slot slot[CARDS];
	struct eum_host_aka_vector v[ROUNDS]; /* round r: SQN with SEQ r + 1, fresh for every card */
};

#define STEP(n, cond)                                                                                                  \
	do {                                                                                                           \
		if (!(cond)) {                                                                                         \
			s->failed_sw = sw;                                                                             \
			return (n);                                                                                    \
		}                                                                                                      \
	} while (0)

/* One modem session of round `round` on the slot's card; returns 0 or the failed step. */
static int session(struct fleet *f, struct slot *s, int round)
{
	static const uint8_t tp[] = {0x80, 0x10, 0x00, 0x00, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	static const uint8_t sel_iccid[] = {0x00, 0xA4, 0x08, 0x04, 0x02, 0x2F, 0xE2, 0x00};
	static const uint8_t read10[] = {0x00, 0xB0, 0x00, 0x00, 0x0A};
	static const uint8_t pin_status[] = {0x00, 0x20, 0x00, 0x01};
	static const uint8_t verify1[] = {0x00, 0x20, 0x00, 0x01, 0x08, '1', '2', '3', '4', 0xFF, 0xFF, 0xFF, 0xFF};
	static const uint8_t sel_imsi[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x6F, 0x07, 0x00};
	static const uint8_t read9[] = {0x00, 0xB0, 0x00, 0x00, 0x09};
	static const uint8_t status[] = {0x80, 0xF2, 0x00, 0x00, 0x00};
	static const uint8_t rfm1[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};
	static const uint8_t rfm2[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x2F, 0xE2};
	static const uint8_t rfm3[] = {0x00, 0xB0, 0x00, 0x00, 0x0A};
	const uint8_t *script[3] = {rfm1, rfm2, rfm3};
	const size_t script_len[3] = {sizeof(rfm1), sizeof(rfm2), sizeof(rfm3)};
	const struct eum_host_aka_vector *v = &f->v[round];
	struct eum_host_smsr_envelopes env;
	struct eum_host_smsr_result res;
	struct eum_host_aka_response ar;
	uint8_t c[64], r[1024], work[1024];
	size_t n = 0, i;
	uint16_t sw = 0;
	int k;

	if (!s->card) {
		eum_config cfg;
		eum_config_init(&cfg);
		STEP(1, eum_card_new(&s->card, &cfg) == EUM_OK);
	}
	STEP(2, eum_card_reset(s->card, 1, NULL, 0, NULL) == EUM_OK);
	sw = t0_drain_proactive(s->card, t0_xfer(s->card, tp, sizeof(tp), r, sizeof(r), &n));
	STEP(3, sw == 0x9000);
	sw = t0_xfer(s->card, sel_iccid, sizeof(sel_iccid), r, sizeof(r), &n);
	STEP(4, sw == 0x9000 && n > 2 && r[0] == 0x62);
	sw = t0_xfer(s->card, read10, sizeof(read10), r, sizeof(r), &n);
	STEP(5, sw == 0x9000 && n == 10 && !memcmp(r, iccid_bcd, 10));
	sw = t0_xfer(s->card, pin_status, sizeof(pin_status), r, sizeof(r), &n);
	STEP(6, sw == 0x63C3); /* PIN1 enabled, 3 tries left, not verified after the reset */
	sw = t0_xfer(s->card, verify1, sizeof(verify1), r, sizeof(r), &n);
	STEP(7, sw == 0x9000);
	memcpy(c, "\x00\xA4\x04\x04\x10", 5);
	memcpy(c + 5, usim_aid, 16);
	c[21] = 0x00;
	sw = t0_xfer(s->card, c, 22, r, sizeof(r), &n);
	STEP(8, sw == 0x9000 && n > 2 && r[0] == 0x62);
	sw = t0_xfer(s->card, sel_imsi, sizeof(sel_imsi), r, sizeof(r), &n);
	STEP(9, sw == 0x9000);
	sw = t0_xfer(s->card, read9, sizeof(read9), r, sizeof(r), &n);
	STEP(10, sw == 0x9000 && n == 9 && !memcmp(r, imsi_ef, 9));
	memcpy(c, "\x00\x88\x00\x81\x22\x10", 6);
	memcpy(c + 6, v->rand, 16);
	c[22] = 0x10;
	memcpy(c + 23, v->autn, 16);
	c[39] = 0x00;
	sw = t0_xfer(s->card, c, 40, r, sizeof(r), &n);
	STEP(11, sw == 0x9000 && eum_host_aka_parse_response(r, n, &ar) == EUM_OK && !ar.sync_failure &&
	                 ar.res_len == v->res_len && !memcmp(ar.res, v->res, v->res_len) && !memcmp(ar.ck, v->ck, 16) &&
	                 !memcmp(ar.ik, v->ik, 16));
	for (k = 0; k < 3; k++) {
		sw = t0_xfer(s->card, status, sizeof(status), r, sizeof(r), &n);
		STEP(12, sw == 0x9000 && n > 2 && r[0] == 0x62); /* the USIM's FCP */
	}
	/* RFM (TS 102 226) of EF.ICCID through the bootstrap profile's TAR B00010, PoR in the ENVELOPE response */
	STEP(13, eum_host_smsr_script(&s->rfm, script, script_len, 3, &env) == EUM_OK);
	for (i = 0; i < env.n; i++)
		sw = t0_xfer(s->card, env.apdu[i], env.len[i], r, sizeof(r), &n);
	STEP(14, sw == 0x9000 && n > 3 && !memcmp(r, "\x02\x71\x00", 3));
	STEP(15, eum_host_smsr_parse_por(&s->rfm, r + 3, n - 3, work, sizeof(work), &res) == EUM_OK &&
	                 res.status == 0x00 && res.executed == 3 && res.last_sw == 0x9000 && res.data_len == 10 &&
	                 !memcmp(res.data, iccid_bcd, 10));
	if (round == ROUNDS - 1) {
		eum_card_free(s->card);
		s->card = NULL;
	}
	return 0;
}

struct worker {
	pthread_t th;
	struct fleet *f;
	int t;
};

/* Round r: worker t runs the cards c with c % THREADS == (t + r) % THREADS, so every card changes
 * thread from one round to the next; the barrier is the hand-over. Within a round nothing orders
 * the workers: ThreadSanitizer flags any state two cards share without a lock. */
static void *worker(void *arg)
{
	struct worker *w = arg;
	struct fleet *f = w->f;
	int r, c;

	for (r = 0; r < ROUNDS; r++) {
		pthread_barrier_wait(&f->barrier);
		for (c = 0; c < CARDS; c++) {
			struct slot *s = &f->slot[c];
			int e;
			if (c % THREADS != (w->t + r) % THREADS || s->failed_at)
				continue;
			e = session(f, s, r);
			if (e) {
				s->failed_at = e;
				s->failed_round = r;
			}
			s->rounds++;
		}
	}
	return NULL;
}

static void test_cards_on_threads(void **state)
{
	static const uint8_t k[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	                              0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
	static const uint8_t op[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	                               0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
	static const uint8_t amf[2] = {0x80, 0x00};
	static const uint8_t seq0[6] = {0};
	struct fleet *f = calloc(1, sizeof(*f));
	struct eum_host_scp80_keyset ks;
	struct eum_host_aka_key key;
	struct worker w[THREADS];
	uint8_t rand[16], sqn[6];
	int i;

	(void)state;
	assert_non_null(f);
	assert_int_equal(pthread_barrier_init(&f->barrier, NULL, THREADS), 0);
	assert_int_equal(eum_host_aka_key_milenage(&key, k, op, 0), EUM_OK);
	for (i = 0; i < ROUNDS; i++) {
		memset(rand, 0x40 + i, sizeof(rand));
		make_sqn(seq0, (uint64_t)i + 1, 0, sqn);
		assert_int_equal(eum_host_aka_generate(&key, rand, sqn, amf, &f->v[i]), EUM_OK);
	}
	eum_host_aka_key_wipe(&key);
	/* the bootstrap profile's RFM key set KVN 1, 3DES two-key (README "Default test card") */
	memset(&ks, 0, sizeof(ks));
	ks.kic.algo = ks.kid.algo = EUM_HOST_SCP80_ALGO_TDES2;
	ks.kic.len = (uint8_t)unhex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", ks.kic.val, sizeof(ks.kic.val));
	ks.kid.len = (uint8_t)unhex("0123456789abcdeffedcba9876543210", ks.kid.val, sizeof(ks.kid.val));
	for (i = 0; i < CARDS; i++)
		eum_host_smsr_init(&f->slot[i].rfm, &ks, 0x15, 0x15, (const uint8_t *)"\xB0\x00\x10");

	for (i = 0; i < THREADS; i++) {
		w[i].f = f;
		w[i].t = i;
		assert_int_equal(pthread_create(&w[i].th, NULL, worker, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(w[i].th, NULL), 0);

	for (i = 0; i < CARDS; i++) {
		const struct slot *s = &f->slot[i];
		if (s->failed_at)
			fail_msg("card %d, round %d: step %d failed (SW %04X)", i, s->failed_round, s->failed_at,
			         s->failed_sw);
		assert_int_equal(s->rounds, ROUNDS);
		assert_null(s->card); /* freed by its last session */
	}
	pthread_barrier_destroy(&f->barrier);
	for (i = 0; i < ROUNDS; i++)
		eum_host_aka_vector_wipe(&f->v[i]);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cards_on_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
