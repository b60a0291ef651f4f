/*
 * Persistence: the state image survives reloads byte for byte, refuses
 * damage, commits once per changing APDU, rolls back on storage failure,
 * and — with power cut at every storage operation of a long scenario — a
 * reloaded card holds exactly the state before or after the interrupted
 * APDU (so counters never go backwards).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/card.h"
#include "store/image.h"
#include "store/store.h"
#include "util/hex.h"

#include "../e2e/persistence_scenario.h"
#include "mem_storage.h"

/* A scenario touching every kind of stored state: PIN tries (wrong, right,
 * blocked, unblocked), transparent and record updates, a cyclic INCREASE,
 * PIN change/disable, file deactivation. */
static const char *const scenario[] = {
        "0020000108 31313131FFFFFFFF", /* wrong PIN1: 63C2 */
        "0020000108 31323334FFFFFFFF", /* right PIN1 */
        "00A4040410 A0000000871002FFFFFFFF8907090000",
        "00A4000C02 6F7E",
        "00D6000004 01020304", /* UPDATE BINARY EF.LOCI */
        "00A4000C02 6F40",
        "00DC01041A 4142434445464748494A4B4C4D4E4F505152535455565758595A", /* UPDATE RECORD EF.MSISDN */
        "00A4000C02 6F39",
        "8032000003 000010",           /* INCREASE EF.ACM */
        "0020008108 31313131FFFFFFFF", /* wrong PIN2 x3: blocked */
        "0020008108 31313131FFFFFFFF",
        "0020008108 31313131FFFFFFFF",
        "002C008110 3837363534333231 35353535FFFFFFFF", /* UNBLOCK PIN2 with PUK2, new PIN2 5555 */
        "0024000110 31323334FFFFFFFF 39383736FFFFFFFF", /* CHANGE PIN1 */
        "0026000108 39383736FFFFFFFF",                  /* DISABLE PIN1 */
        "00A40004022F05",
        "0020000A08 3838383838383838", /* ADM1 */
        "0004000000",                  /* DEACTIVATE EF.PL */
};
#define NSTEPS (sizeof(scenario) / sizeof(scenario[0]))

static void quiet(void *ctx, eum_log_level l, const char *m)
{
	(void)ctx;
	(void)l;
	(void)m;
}

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/eum-persist-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/card.state", dir);
	return 0;
}

static int teardown(void **state)
{
	char tmp[160];
	(void)state;
	ps_tap_now = NULL; /* a failed scenario test leaves its tap behind */
	unlink(path);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	unlink(tmp);
	rmdir(dir);
	return 0;
}

static eum_card *open_card(const char *state_path)
{
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.state_path = state_path;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	return card;
}

static uint16_t send(eum_card *card, const char *hex)
{
	uint8_t c[300], r[300];
	size_t rl;
	long n = eum_hex_decode(hex, c, sizeof(c));

	assert_true(n >= 4);
	assert_int_equal(eum_card_transmit(card, c, (size_t)n, r, sizeof(r), &rl), EUM_OK);
	return (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
}

static uint8_t *image_of(eum_card *card, size_t *len)
{
	uint8_t *img;

	assert_int_equal(eum_card_save_image(card, NULL, 0, len), EUM_OK);
	img = malloc(*len);
	assert_non_null(img);
	assert_int_equal(eum_card_save_image(card, img, *len, len), EUM_OK);
	return img;
}

/* A card saved, reloaded and driven further equals one never reloaded. */
static void test_reload_is_transparent(void **state)
{
	eum_card *ref, *card;
	uint8_t *a, *b;
	size_t al, bl, i;
	(void)state;

	unlink(path);
	ref = open_card(NULL);
	card = open_card(path);
	for (i = 0; i < NSTEPS; i++) {
		uint16_t s1 = send(ref, scenario[i]);
		uint16_t s2 = send(card, scenario[i]);
		assert_int_equal(s1, s2);
		if (i == NSTEPS / 2) {
			/* power cycle: the process "dies" and a new one loads the file;
			 * the reference sees the same cold reset */
			eum_card_free(card);
			card = open_card(path);
			eum_card_reset(ref, 1, NULL, 0, NULL);
			send(ref, "0020000108 31323334FFFFFFFF");
			send(card, "0020000108 31323334FFFFFFFF");
			send(ref, "00A4040410 A0000000871002FFFFFFFF8907090000");
			send(card, "00A4040410 A0000000871002FFFFFFFF8907090000");
		}
	}
	a = image_of(ref, &al);
	b = image_of(card, &bl);
	assert_int_equal(al, bl);
	assert_memory_equal(a, b, al);
	free(a);
	free(b);
	eum_card_free(ref);
	eum_card_free(card);
}

/* ---- the long scenario, reloaded at every phase ------------------------------------------------------- */

/* Card A (never reloaded, memory only) is the one the scenario drives; every APDU and reset goes to B (a
 * state file) too and must get the same answer. Between phases B's process "dies" and a new one loads
 * the file; A sees the same cold reset (the next phase starts with one). */
struct mirror {
	struct ps_tap tap;
	eum_card *a, *b;
	struct ps_rng rng_b;
	const char *path;
	unsigned long apdus, reloads, renumbered;
	uint8_t num_a, num_b; /* command number of the last proactive command fetched from A and B */
};

/* Offset of the command number in a proactive command (D0 L 81 03 nr ...), or 0. */
static size_t cmd_number_at(const uint8_t *p, size_t len)
{
	size_t at = len > 1 && p[1] == 0x81 ? 3 : 2;

	return len > at + 2 && p[0] == 0xD0 && (p[at] & 0x7F) == 0x01 && p[at + 1] == 0x03 ? at + 2 : 0;
}

static int mirror_transmit(struct ps_tap *tap, eum_card *card, const uint8_t *c, size_t len, uint8_t *r, size_t cap,
                           size_t *rlen)
{
	struct mirror *m = (struct mirror *)tap;
	uint8_t rb[1024], cb[300];
	size_t rbl = 0, at;
	int rc;

	assert_ptr_equal(card, m->a);
	assert_true(len <= sizeof(cb));
	rc = ps_real_transmit(m->a, c, len, r, cap, rlen);
	/* the proactive command number is volatile and not reset by a cold reset (see the report): the
	 * TERMINAL RESPONSE names B's own number, which is the only byte allowed to differ */
	memcpy(cb, c, len);
	if (len > 7 && c[1] == 0x14 && (c[5] & 0x7F) == 0x01 && c[6] == 0x03 && c[7] == m->num_a)
		cb[7] = m->num_b;
	assert_int_equal(ps_real_transmit(m->b, cb, len, rb, cap < sizeof(rb) ? cap : sizeof(rb), &rbl), rc);
	if (rc == EUM_OK) {
		if (len > 1 && c[1] == 0x12 && rbl == *rlen && (at = cmd_number_at(r, *rlen - 2)) != 0) {
			m->num_a = r[at];
			m->num_b = rb[at];
			rb[at] = r[at];
			m->renumbered += m->num_a != m->num_b;
		}
		if (rbl != *rlen || memcmp(rb, r, rbl) != 0)
			print_message("APDU %lu after %lu reloads: the reloaded card answers differently\n", m->apdus,
			              m->reloads);
		assert_int_equal(rbl, *rlen);
		assert_memory_equal(rb, r, rbl);
	}
	m->apdus++;
	return rc;
}

static int mirror_reset(struct ps_tap *tap, eum_card *card, int cold, uint8_t *atr, size_t cap, size_t *atr_len)
{
	struct mirror *m = (struct mirror *)tap;
	int rc;

	assert_ptr_equal(card, m->a);
	rc = ps_real_reset(m->a, cold, atr, cap, atr_len);
	assert_int_equal(ps_real_reset(m->b, cold, NULL, 0, NULL), rc);
	return rc;
}

/* Between phases: B's host process dies; a new one loads the state file. */
static void mirror_between(void *ctx, struct es5 *t, int phase)
{
	struct mirror *m = ctx;
	eum_config cfg;
	uint8_t *ia, *ib;
	size_t al, bl;

	(void)t;
	(void)phase;
	eum_card_free(m->b);
	m->b = NULL;
	ps_config(&cfg, &m->rng_b);
	cfg.state_path = m->path;
	assert_int_equal(eum_card_new(&m->b, &cfg), EUM_OK);
	m->reloads++;
	/* what was loaded is what A holds */
	ia = image_of(m->a, &al);
	ib = image_of(m->b, &bl);
	assert_int_equal(al, bl);
	assert_memory_equal(ia, ib, al);
	free(ia);
	free(ib);
}

static void test_reload_is_transparent_long(void **state)
{
	struct mirror m;
	struct ps_rng rng_a = {PS_RNG_SEED};
	eum_config cfg;
	struct es5 *t;
	uint8_t *a, *b;
	size_t al, bl;
	(void)state;

	unlink(path);
	memset(&m, 0, sizeof(m));
	m.tap.transmit = mirror_transmit;
	m.tap.reset = mirror_reset;
	m.rng_b.s = PS_RNG_SEED;
	m.path = path;
	ps_config(&cfg, &rng_a);
	assert_int_equal(eum_card_new(&m.a, &cfg), EUM_OK);
	ps_config(&cfg, &m.rng_b);
	cfg.state_path = path;
	assert_int_equal(eum_card_new(&m.b, &cfg), EUM_OK);
	t = ps_driver_new(m.a);
	ps_tap_now = &m.tap;
	ps_run_scenario(t, mirror_between, &m);
	ps_tap_now = NULL;
	ps_driver_free(t);
	a = image_of(m.a, &al);
	b = image_of(m.b, &bl);
	assert_int_equal(al, bl);
	assert_memory_equal(a, b, al);
	print_message("reload transparency: %lu APDUs compared byte for byte across %lu reloads (%lu proactive "
	              "commands numbered differently)\n",
	              m.apdus, m.reloads, m.renumbered);
	assert_int_equal(m.reloads, PS_PH_NUM - 1);
	assert_true(m.apdus > 100);
	free(a);
	free(b);
	eum_card_free(m.a);
	eum_card_free(m.b);
}

/* Every image a card commits, in order (storage hooks): an APDU that stores a security counter
 * ahead of its end (a PIN try, src/fs/pin.c) commits more than once. */
#define MAX_IMAGES 64
struct rec_store {
	uint8_t *img[MAX_IMAGES];
	size_t len[MAX_IMAGES];
	size_t n;
};

static int rec_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	(void)ctx;
	(void)buf;
	(void)cap;
	(void)len;
	return EUM_ERR_NOT_FOUND;
}

static int rec_store(void *ctx, const uint8_t *img, size_t len)
{
	struct rec_store *R = ctx;

	assert_true(R->n < MAX_IMAGES);
	R->img[R->n] = malloc(len);
	assert_non_null(R->img[R->n]);
	memcpy(R->img[R->n], img, len);
	R->len[R->n++] = len;
	return EUM_OK;
}

/* Power cut at every storage operation of every APDU of the scenario: the reloaded card holds the
 * image before the APDU or one the APDU committed (the last one being the image after it). */
static void test_fault_injection(void **state)
{
	static struct rec_store R;
	eum_storage hooks = {rec_load, rec_store, &R};
	size_t first[NSTEPS + 1];
	unsigned long cuts = 0, multi = 0;
	eum_config cfg;
	eum_card *ref = NULL;
	size_t k;
	(void)state;

	/* reference: every image committed, and where each step's images start */
	memset(&R, 0, sizeof(R));
	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.storage = &hooks;
	assert_int_equal(eum_card_new(&ref, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(ref, 1, NULL, 0, NULL), EUM_OK);
	for (k = 0; k < NSTEPS; k++) {
		first[k] = R.n;
		send(ref, scenario[k]);
		multi += R.n - first[k] > 1;
	}
	first[NSTEPS] = R.n;
	eum_card_free(ref);
	assert_true(multi > 0); /* PIN tries are stored before the comparison */

	for (k = 0; k < NSTEPS; k++) {
		long n;
		for (n = 1;; n++) {
			eum_card *card, *back;
			uint8_t *got;
			size_t got_len, i;
			long ops;
			int ok;

			unlink(path);
			card = open_card(path);
			for (i = 0; i < k; i++)
				send(card, scenario[i]);
			eum_store_file_fault(card, n);
			send(card, scenario[k]);
			ops = eum_store_file_fault(card, 0);
			eum_card_free(card); /* the host process dies here */

			back = open_card(path);
			got = image_of(back, &got_len);
			/* the last image stored before step k, or one stored by it */
			for (i = first[k] ? first[k] - 1 : 0, ok = 0; i < first[k + 1] && !ok; i++)
				ok = got_len == R.len[i] && !memcmp(got, R.img[i], got_len);
			if (!ok)
				fail_msg("step %zu, cut at operation %ld: reloaded state is not one stored before or "
				         "by it",
				         k, n);
			free(got);
			eum_card_free(back);
			if (ops < n) /* the APDU completed before the cut point: all cut points done */
				break;
			cuts++;
		}
	}
	print_message("fault injection: %lu cut points over %zu APDUs (%lu storing more than once), all "
	              "before, between or after\n",
	              cuts, (size_t)NSTEPS, multi);
	assert_true(cuts > NSTEPS);
	for (k = 0; k < R.n; k++)
		free(R.img[k]);
}

/* ---- host storage hooks --------------------------------------------------- */

static eum_card *hook_card(struct mem *m, int expect)
{
	eum_storage hooks = {mem_load, mem_store, m};
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.storage = &hooks;
	assert_int_equal(eum_card_new(&card, &cfg), expect);
	if (card)
		eum_card_reset(card, 1, NULL, 0, NULL);
	return card;
}

static void test_hooks_commit_only_changes(void **state)
{
	static struct mem m;
	eum_card *card;
	int before;
	(void)state;

	memset(&m, 0, sizeof(m));
	card = hook_card(&m, EUM_OK);
	assert_int_equal(m.stores, 1); /* manufacture */
	before = m.stores;
	assert_int_equal(send(card, "00A40004022FE2"), 0x6119);
	assert_int_equal(send(card, "00B000000A"), 0x9000);
	assert_int_equal(send(card, "80F2000C"), 0x9000);
	assert_int_equal(m.stores, before); /* reads change nothing: no write */
	assert_int_equal(send(card, "0020000108 31313131FFFFFFFF"), 0x63C2);
	assert_int_equal(m.stores, before + 1); /* a PIN try is stored before the answer */

	/* storage failure: 6581 and the try counter rolled back */
	m.fail_at = 1;
	assert_int_equal(send(card, "0020000108 31313131FFFFFFFF"), 0x6581);
	assert_int_equal(send(card, "00200001"), 0x63C2);
	eum_card_free(card);

	/* reload through the hooks */
	card = hook_card(&m, EUM_OK);
	assert_int_equal(send(card, "00200001"), 0x63C2);
	eum_card_free(card);
}

/* eum_store_commit_now() stores a change while an APDU is in progress (what
 * the handlers of security counters use); a failure makes the APDU's final
 * commit fail too and rolls everything back. */
static void test_commit_now(void **state)
{
	static struct mem m;
	struct eum_pin *pin;
	eum_card *card;
	int before;
	(void)state;

	memset(&m, 0, sizeof(m));
	card = hook_card(&m, EUM_OK);
	before = m.stores;
	pin = eum_pin_find(&card->prof->pins, 0x01);
	assert_non_null(pin);
	assert_int_equal(pin->tries_left, 3);

	card->txn_depth = 1; /* as inside an APDU */
	pin->tries_left = 2;
	eum_store_dirty_prof(card, card->prof, EUM_PS_PINS); /* what pin.c does with every change */
	assert_int_equal(eum_store_commit(card), EUM_OK);
	assert_int_equal(m.stores, before); /* deferred to the end of the APDU */
	assert_int_equal(eum_store_commit_now(card), EUM_OK);
	assert_int_equal(m.stores, before + 1); /* ... unless asked for now */
	card->txn_depth = 0;
	assert_int_equal(eum_store_commit(card), EUM_OK);
	assert_int_equal(m.stores, before + 1); /* nothing left to write */

	/* a failed immediate commit rolls back at once and fails the APDU (txn_failed) */
	card->txn_depth = 1;
	pin->tries_left = 1;
	eum_store_dirty_prof(card, card->prof, EUM_PS_PINS);
	m.fail_at = 1;
	assert_int_equal(eum_store_commit_now(card), EUM_ERR_STORAGE);
	assert_int_equal(card->txn_failed, 1);
	assert_int_equal(eum_pin_find(&card->prof->pins, 0x01)->tries_left, 2);
	card->txn_depth = 0;
	card->txn_failed = 0;
	assert_int_equal(send(card, "00200001"), 0x63C2); /* the next APDU works normally */
	eum_card_free(card);
	card = hook_card(&m, EUM_OK);
	assert_int_equal(send(card, "00200001"), 0x63C2);
	eum_card_free(card);
}

static void test_damaged_images_refused(void **state)
{
	static struct mem m;
	eum_card *card;
	static uint8_t good[65536];
	size_t len, i;
	static char text[65536];
	(void)state;

	memset(&m, 0, sizeof(m));
	card = hook_card(&m, EUM_OK);
	eum_card_free(card);
	len = m.len;
	memcpy(good, m.img, len);
	assert_int_equal(eum_image_describe(good, len, text, sizeof(text)), EUM_OK);
	assert_non_null(strstr(text, "  ICCID      8988211000000000011"));
	assert_null(strstr(text, "31323334")); /* no PIN values */

	/* every single-bit flip, in a sample of positions, and every truncation */
	for (i = 0; i < len; i += (i < 64 ? 1 : 37)) {
		memcpy(m.img, good, len);
		m.img[i] ^= 0x10;
		assert_null(hook_card(&m, EUM_ERR_CORRUPT));
	}
	for (i = 0; i < len; i += (i < 64 ? 1 : 101)) {
		memcpy(m.img, good, len);
		m.len = i;
		assert_null(hook_card(&m, EUM_ERR_CORRUPT));
	}
	/* an older and a newer format version with a valid CRC are refused explicitly */
	for (i = EUM_IMAGE_VERSION - 1; i <= EUM_IMAGE_VERSION + 1; i += 2) {
		uint32_t crc;
		memcpy(m.img, good, len);
		m.len = len;
		m.img[9] = (uint8_t)i;
		crc = eum_crc32c(m.img, len - 4);
		m.img[len - 4] = (uint8_t)(crc >> 24);
		m.img[len - 3] = (uint8_t)(crc >> 16);
		m.img[len - 2] = (uint8_t)(crc >> 8);
		m.img[len - 1] = (uint8_t)crc;
		assert_int_equal(eum_image_describe(m.img, len, text, sizeof(text)), EUM_ERR_CORRUPT);
		assert_non_null(strstr(text, i < EUM_IMAGE_VERSION ? "is older" : "is newer"));
		assert_null(hook_card(&m, EUM_ERR_CORRUPT));
	}
}

/* CRC-32C known answers: the check value of "123456789" (E3069283) and the
 * five vectors of RFC 3720 Appendix B.4, each at every split point of
 * eum_crc32c_update (so the 8-byte steps and the byte tail both run). */
static void test_crc32c(void **state)
{
	static const uint8_t pdu[48] = {0x01, 0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0,
	                                0x14, 0,    0, 0, 0, 0, 4, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x18,
	                                0x28, 0,    0, 0, 0, 0, 0, 0, 2, 0, 0, 0,    0, 0, 0, 0};
	struct {
		uint8_t d[48];
		size_t n;
		uint32_t crc;
	} v[5];
	size_t i, k, cut;
	uint32_t ref[256];

	(void)state;
	assert_int_equal(eum_crc32c((const uint8_t *)"123456789", 9), 0xE3069283u);
	memset(v, 0, sizeof(v));
	for (i = 0; i < 32; i++) {
		v[1].d[i] = 0xFF;
		v[2].d[i] = (uint8_t)i;
		v[3].d[i] = (uint8_t)(31 - i);
	}
	memcpy(v[4].d, pdu, sizeof(pdu));
	v[0].n = v[1].n = v[2].n = v[3].n = 32;
	v[4].n = 48;
	v[0].crc = 0x8A9136AAu;
	v[1].crc = 0x62A8AB43u;
	v[2].crc = 0x46DD794Eu;
	v[3].crc = 0x113FDB5Cu;
	v[4].crc = 0xD9963A56u;
	for (i = 0; i < 5; i++) {
		assert_int_equal(eum_crc32c(v[i].d, v[i].n), v[i].crc);
		for (cut = 0; cut <= v[i].n; cut++)
			assert_int_equal(eum_crc32c_update(eum_crc32c(v[i].d, cut), v[i].d + cut, v[i].n - cut),
			                 v[i].crc);
	}
	/* the generated slicing tables match their definition */
	for (i = 0; i < 256; i++) {
		uint32_t c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
		ref[i] = c;
		assert_int_equal(eum_crc32c_table(0)[i], c);
	}
	for (k = 1; k < 8; k++)
		for (i = 0; i < 256; i++)
			assert_int_equal(eum_crc32c_table((unsigned)k)[i],
			                 (eum_crc32c_table((unsigned)k - 1)[i] >> 8) ^
			                         ref[eum_crc32c_table((unsigned)k - 1)[i] & 0xFF]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_crc32c),
	        cmocka_unit_test_setup_teardown(test_reload_is_transparent, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_reload_is_transparent_long, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_fault_injection, setup, teardown),
	        cmocka_unit_test(test_hooks_commit_only_changes),
	        cmocka_unit_test(test_commit_now),
	        cmocka_unit_test(test_damaged_images_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
