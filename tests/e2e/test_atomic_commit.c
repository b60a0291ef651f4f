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
 *    PIN both answer 6581 and the try counter is unchanged (no oracle by tearing).
 */
#include "ota_e2e.h"

static const uint8_t TAR_RFM[3] = {0xB0, 0x00, 0x10};

struct mem {
	uint8_t img[OTA_IMG_MAX];
	size_t len;
	int have;
	int stores;  /* successful writes */
	int fail_at; /* 0 = off; else the write number (from when it was set) that fails */
};

static int mem_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct mem *m = ctx;

	if (!m->have)
		return EUM_ERR_NOT_FOUND;
	*len = m->len;
	if (!buf)
		return EUM_OK;
	if (cap < m->len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(buf, m->img, m->len);
	return EUM_OK;
}

static int mem_store(void *ctx, const uint8_t *img, size_t len)
{
	struct mem *m = ctx;

	if (m->fail_at && --m->fail_at == 0)
		return EUM_ERR_STORAGE;
	assert_true(len <= sizeof(m->img));
	memcpy(m->img, img, len);
	m->len = len;
	m->have = 1;
	m->stores++;
	return EUM_OK;
}

static void quiet(void *ctx, eum_log_level l, const char *msg)
{
	(void)ctx;
	(void)l;
	(void)msg;
}

static struct ota_clock clk = {1000};

static eum_card *hook_card(struct mem *m)
{
	eum_storage hooks = {mem_load, mem_store, m};
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.storage = &hooks;
	cfg.clock = ota_clock_fn;
	cfg.clock_ctx = &clk;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(card, NULL, 8);
	return card;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_failed_final_store_drops_por),
	        cmocka_unit_test(test_failed_counter_store_runs_nothing),
	        cmocka_unit_test(test_pin_try_stored_before_comparison),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
