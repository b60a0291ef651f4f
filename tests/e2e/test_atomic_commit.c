/*
 * Atomic APDUs and what leaves the card (issue 12 point 1; src/core/apdu.c eum_process_apdu): a card
 * driven through eum_card_transmit() with storage hooks that fail the n-th write, and an OTA server
 * played with libeum-host. Checks:
 *  - an ENVELOPE whose final store fails answers 6581, queues no SEND SHORT MESSAGE (no PoR saying
 *    "1 command, 9000" leaves), and its script's effects are gone; the SCP80 counter, stored before
 *    the script ran (TS 102 225 §5.1.1), stays moved: the same packet is refused as a replay;
 *  - an ENVELOPE whose counter store fails answers 6581, runs nothing and leaves no PoR; the counter
 *    did not move, so the packet is still good;
 *  - a PIN try is stored before the value is compared: when that store fails, a right and a wrong
 *    PIN both answer 6581 and the try counter is unchanged (no oracle by tearing);
 *  - an SCP03t INITIALIZE UPDATE (SGP.02 ES8) whose sequence counter cannot be stored answers 6581
 *    and no card challenge leaves; the next one gets the same counter, whose challenge is then the
 *    first to leave (no challenge is ever used twice).
 */
#include "es8_e2e.h"

#define MEM_IMG_MAX OTA_IMG_MAX
#include "../unit/mem_storage.h"

static const uint8_t TAR_RFM[3] = {0xB0, 0x00, 0x10};

static void quiet(void *ctx, eum_log_level l, const char *msg)
{
	(void)ctx;
	(void)l;
	(void)msg;
}

static struct ota_clock clk = {1000};

static eum_card *hook_card_at(struct mem *m, struct ota_clock *c, size_t tp_len)
{
	eum_storage hooks = {mem_load, mem_store, m};
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.storage = &hooks;
	cfg.clock = ota_clock_fn;
	cfg.clock_ctx = c;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(card, NULL, tp_len);
	return card;
}

static eum_card *hook_card(struct mem *m)
{
	return hook_card_at(m, &clk, 8);
}

/* RFM of EF.PL (TS 102 226 §8): SELECT MF, SELECT 2F05, UPDATE BINARY "enfr". */
static const uint8_t script[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00, 0x00, 0xA4, 0x00, 0x0C, 0x02,
                                 0x2F, 0x05, 0x00, 0xD6, 0x00, 0x00, 0x04, 0x65, 0x6E, 0x66, 0x72};

/* Counter mode "higher", ciphered, CC; PoR by SMS-SUBMIT (SPI2 39) with CC. */
static void params(struct eum_host_scp80_params *p, const struct ota_keys *k, uint8_t cntr)
{
	memset(p, 0, sizeof(*p));
	p->spi[0] = 0x16;
	p->spi[1] = 0x39;
	p->kic = p->kid = (uint8_t)(k->kvn << 4 | k->nib);
	memcpy(p->tar, TAR_RFM, 3);
	p->cntr[4] = cntr;
}

/* EF.PL as the terminal reads it. */
static void read_pl(eum_card *card, uint8_t out[4])
{
	size_t n = 0;

	assert_int_equal(ota_xmit_hex(card, "00A4000C022F05", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, "00B0000004", out, &n), 0x9000);
	assert_int_equal(n, 4);
}

static void expect_nothing_to_fetch(eum_card *card)
{
	uint16_t sw = ota_xmit_hex(card, "8012000010", NULL, NULL);

	assert_true(sw != 0x9000 && (sw & 0xFF00) != 0x9100);
}

static void test_failed_final_store_drops_por(void **state)
{
	static struct mem m;
	const struct ota_keys *k = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por por;
	struct ota_answer a;
	uint8_t pl0[4], pl[4], work[1024];
	eum_card *card;

	(void)state;
	memset(&m, 0, sizeof(m));
	card = hook_card(&m);
	read_pl(card, pl0);
	assert_memory_not_equal(pl0, "enfr", 4);

	/* the counter is written (1st store), then the script's UPDATE BINARY fails to store (2nd) */
	params(&p, k, 1);
	m.fail_at = 2;
	ota_send(card, k, &p, script, sizeof(script), &a);
	assert_int_equal(a.sw, 0x6581);
	assert_int_equal(a.env_len, 0);
	assert_int_equal(a.por_len, 0); /* no SEND SHORT MESSAGE was announced (no 91xx) */
	expect_nothing_to_fetch(card);
	read_pl(card, pl);
	assert_memory_equal(pl, pl0, 4);

	/* the counter stayed at 1, in memory and in storage: the same packet is a replay (PoR 02) */
	m.fail_at = 0;
	ota_send(card, k, &p, script, sizeof(script), &a);
	assert_int_equal(a.sw & 0xFF00, 0x9100); /* the PoR waits in a SEND SHORT MESSAGE */
	assert_int_equal(a.by_submit, 1);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0x02);
	read_pl(card, pl);
	assert_memory_equal(pl, pl0, 4);
	eum_card_free(card);
	card = hook_card(&m); /* reloaded from storage */
	ota_send(card, k, &p, script, sizeof(script), &a);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0x02);

	/* the next counter runs the script and its PoR leaves */
	params(&p, k, 2);
	ota_send(card, k, &p, script, sizeof(script), &a);
	assert_int_equal(a.by_submit, 1);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0x00);
	read_pl(card, pl);
	assert_memory_equal(pl, "enfr", 4);
	eum_card_free(card);
}

static void test_failed_counter_store_runs_nothing(void **state)
{
	static struct mem m;
	const struct ota_keys *k = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por por;
	struct ota_answer a;
	uint8_t pl0[4], pl[4], work[1024];
	eum_card *card;
	int stores;

	(void)state;
	memset(&m, 0, sizeof(m));
	card = hook_card(&m);
	read_pl(card, pl0);
	stores = m.stores;
	params(&p, k, 1);
	m.fail_at = 1;
	ota_send(card, k, &p, script, sizeof(script), &a);
	assert_int_equal(a.sw, 0x6581);
	assert_int_equal(a.por_len, 0);
	assert_int_equal(m.stores, stores);
	expect_nothing_to_fetch(card);
	read_pl(card, pl);
	assert_memory_equal(pl, pl0, 4);
	/* nothing moved: the same packet is accepted now */
	ota_send(card, k, &p, script, sizeof(script), &a);
	assert_int_equal(a.by_submit, 1);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0x00);
	read_pl(card, pl);
	assert_memory_equal(pl, "enfr", 4);
	eum_card_free(card);
}

static void test_pin_try_stored_before_comparison(void **state)
{
	static struct mem m;
	eum_card *card;
	int stores;

	(void)state;
	memset(&m, 0, sizeof(m));
	card = hook_card(&m);
	assert_int_equal(ota_xmit_hex(card, "00200001", NULL, NULL), 0x63C3);
	/* the try cannot be stored: right and wrong values answer alike, the counter is unchanged */
	m.fail_at = 1;
	assert_int_equal(ota_xmit_hex(card, "0020000108 31323334FFFFFFFF", NULL, NULL), 0x6581);
	m.fail_at = 1;
	assert_int_equal(ota_xmit_hex(card, "0020000108 31313131FFFFFFFF", NULL, NULL), 0x6581);
	assert_int_equal(ota_xmit_hex(card, "00200001", NULL, NULL), 0x63C3);
	/* a right value: the try is stored, then given back (two writes) */
	stores = m.stores;
	assert_int_equal(ota_xmit_hex(card, "0020000108 31323334FFFFFFFF", NULL, NULL), 0x9000);
	assert_int_equal(m.stores, stores + 2);
	/* power lost after the first of them: the reloaded card has one try fewer, never more */
	m.fail_at = 2;
	assert_int_equal(ota_xmit_hex(card, "0020000108 31323334FFFFFFFF", NULL, NULL), 0x6581);
	eum_card_free(card);
	card = hook_card(&m);
	assert_int_equal(ota_xmit_hex(card, "00200001", NULL, NULL), 0x63C2);
	eum_card_free(card);
}

/* SGP.02 ES8 over SCP03t: the card challenge of INITIALIZE UPDATE (84) leaves only once its
 * sequence counter is stored (GP Amd D §6.2.2.1). */
static void test_scp03t_challenge_after_counter_store(void **state)
{
	static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
	static const uint8_t hc[8] = {0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8};
	static struct mem m;
	static struct ota_answer a;
	const struct ota_keys *k = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	eum_host_scp03t t;
	struct es8_script s;
	struct es8 x;
	uint8_t tlv[40];
	size_t n;
	int j;

	(void)state;
	memset(&m, 0, sizeof(m));
	es8_init(&x, 1767225600u); /* 2026-01-01: inside the test certificates' validity */
	eum_card_free(x.card);
	x.card = hook_card_at(&m, &x.clk, 20);
	es8_create_isdp(&x, tar20);
	es8_establish_keys(&x, 0);

	/* INITIALIZE UPDATE in an SCP80 packet: the SCP80 counter is stored (1st write), the SCP03t
	 * sequence counter is not (2nd write fails) */
	assert_int_equal(eum_host_scp03t_init(&t, x.crt.kvn, 0x00, x.keys.key[0], x.keys.key[1], 16), EUM_OK);
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_build_84(&t, hc, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	for (j = 4; j >= 0 && ++x.cntr[j] == 0; j--)
		;
	memset(&p, 0, sizeof(p));
	p.spi[0] = 0x16;
	p.spi[1] = 0x39; /* PoR by SMS-SUBMIT (SEND SHORT MESSAGE) */
	p.kic = p.kid = (uint8_t)(k->kvn << 4 | k->nib);
	memcpy(p.tar, x.isdp_tar, 3);
	memcpy(p.cntr, x.cntr, 5);
	m.fail_at = 2;
	ota_send(x.card, k, &p, s.b, s.n, &a);
	assert_int_equal(m.fail_at, 0); /* the failing write was reached */
	assert_int_equal(a.sw, 0x6581);
	assert_int_equal(a.por_len, 0); /* no PoR, so no card challenge */
	expect_nothing_to_fetch(x.card);
	eum_host_scp03t_free(&t);

	/* the next session gets sequence counter 1: its challenge is the first one to leave */
	es8_scp03t_open(&x, &t, 0, 1);
	eum_host_scp03t_free(&t);
	/* reloaded from storage, the counter is not behind: the next session gets 2 */
	eum_card_free(x.card);
	x.card = hook_card_at(&m, &x.clk, 20);
	es8_scp03t_open(&x, &t, 0, 2);
	eum_host_scp03t_free(&t);
	es8_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_failed_final_store_drops_por),
	        cmocka_unit_test(test_failed_counter_store_runs_nothing),
	        cmocka_unit_test(test_pin_try_stored_before_comparison),
	        cmocka_unit_test(test_scp03t_challenge_after_counter_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
