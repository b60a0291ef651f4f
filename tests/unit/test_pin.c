/*
 * PINs of ETSI TS 102 221 §9.5: the PIN store (src/fs/pin.h: slots, key references, retry
 * counters, FF padding) and, through APDUs, the parts the transcripts cannot see: the retry
 * counters are non-volatile (they survive resets and power cycles) while the verification
 * state is not, and no PIN or PUK value ever reaches the log hook.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "fs/pin.h"
#include "util/hex.h"

static void test_store_set_find(void **state)
{
	struct eum_pin_store st;
	struct eum_pin *p;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_null(eum_pin_find(&st, 0x01));
	assert_int_equal(eum_pin_index(&st, 0x01), -1);

	assert_int_equal(eum_pin_set(&st, 0, 0x01, (const uint8_t *)"1234", 4, 3, 3, 1, 0x01), EUM_OK);
	assert_int_equal(eum_pin_set(&st, 0, 0x81, (const uint8_t *)"5678", 4, 3, 2, 0, 0x81), EUM_OK);
	assert_int_equal(eum_pin_set(&st, 1, 0x01, (const uint8_t *)"12345678", 8, 10, 10, 0, 0), EUM_OK);

	p = eum_pin_find(&st, 0x01);
	assert_non_null(p);
	assert_int_equal(p->ref, 0x01);
	assert_int_equal(p->max_tries, 3);
	assert_int_equal(p->tries_left, 3);
	assert_int_equal(p->enabled, 1);
	assert_int_equal(p->unblock_ref, 0x01);
	/* the value is kept padded with FF to 8 bytes (§9.5.1) */
	assert_memory_equal(p->value, "1234\xFF\xFF\xFF\xFF", EUM_PIN_LEN);
	p = eum_pin_find(&st, 0x81);
	assert_non_null(p);
	assert_int_equal(p->tries_left, 2);
	assert_int_equal(p->enabled, 0);
	/* PINs and PUKs are separate name spaces; a PUK is always enabled */
	p = eum_puk_find(&st, 0x01);
	assert_non_null(p);
	assert_ptr_not_equal(p, eum_pin_find(&st, 0x01));
	assert_int_equal(p->enabled, 1);
	assert_memory_equal(p->value, "12345678", EUM_PIN_LEN);
	assert_null(eum_puk_find(&st, 0x81));
	assert_int_equal(eum_pin_index(&st, 0x01), 0);
	assert_int_equal(eum_pin_index(&st, 0x81), 1);
	assert_int_equal(eum_pin_index(&st, 0x0A), -1);

	/* setting an existing reference replaces it in place */
	assert_int_equal(eum_pin_set(&st, 0, 0x01, (const uint8_t *)"99999", 5, 5, 1, 1, 0x01), EUM_OK);
	assert_int_equal(eum_pin_index(&st, 0x01), 0);
	p = eum_pin_find(&st, 0x01);
	assert_memory_equal(p->value, "99999\xFF\xFF\xFF", EUM_PIN_LEN);
	assert_int_equal(p->max_tries, 5);
	assert_int_equal(p->tries_left, 1);
}

static void test_store_refuses(void **state)
{
	static const struct {
		size_t len;
		uint8_t max, left;
	} bad[] = {
	        {0, 3, 3},  /* empty value */
	        {9, 3, 3},  /* longer than 8 bytes */
	        {4, 0, 0},  /* no tries at all */
	        {4, 16, 3}, /* more than 15 tries (one nibble) */
	        {4, 3, 4},  /* more left than allowed */
	};
	struct eum_pin_store st;
	size_t i;
	uint8_t ref;

	(void)state;
	memset(&st, 0, sizeof(st));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(eum_pin_set(&st, 0, 0x01, (const uint8_t *)"123456789", bad[i].len, bad[i].max,
		                             bad[i].left, 1, 0),
		                 EUM_ERR_INVALID_ARG);
	assert_null(eum_pin_find(&st, 0x01));
	/* 16 slots, then full */
	for (ref = 1; ref <= EUM_PIN_SLOTS; ref++)
		assert_int_equal(eum_pin_set(&st, 0, ref, (const uint8_t *)"0000", 4, 3, 3, 1, 0), EUM_OK);
	assert_int_equal(eum_pin_set(&st, 0, 0x81, (const uint8_t *)"0000", 4, 3, 3, 1, 0), EUM_ERR_NO_MEMORY);
	/* a full table still accepts replacing an existing reference */
	assert_int_equal(eum_pin_set(&st, 0, 0x05, (const uint8_t *)"5555", 4, 3, 3, 1, 0), EUM_OK);
	/* the PUK table is separate */
	assert_int_equal(eum_pin_set(&st, 1, 0x81, (const uint8_t *)"00000000", 8, 10, 10, 1, 0), EUM_OK);
}

/* ---- through the card ---------------------------------------------------------------------- */

struct logbuf {
	char text[16384];
	size_t len;
};

static void capture(void *ctx, eum_log_level level, const char *msg)
{
	struct logbuf *lb = ctx;
	int n = snprintf(lb->text + lb->len, sizeof(lb->text) - lb->len, "%d %s\n", (int)level, msg);

	if (n > 0 && (size_t)n < sizeof(lb->text) - lb->len)
		lb->len += (size_t)n;
}

static void expect(eum_card *card, const char *capdu_hex, const char *want)
{
	uint8_t c[300], r[300];
	char got[700];
	size_t rlen = 0;
	long n = eum_hex_decode(capdu_hex, c, sizeof(c));

	assert_true(n >= 0);
	assert_int_equal(eum_card_transmit(card, c, (size_t)n, r, sizeof(r), &rlen), EUM_OK);
	eum_hex_encode(r, rlen, got);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got %s, expected %s", capdu_hex, got, want);
}

static void test_counters_are_persistent(void **state)
{
	eum_card *card;
	eum_config cfg;
	struct logbuf lb;

	(void)state;
	memset(&lb, 0, sizeof(lb));
	eum_config_init(&cfg);
	cfg.log = capture;
	cfg.log_ctx = &lb;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	expect(card, "002000010830303030FFFFFFFF", "63C2");
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	expect(card, "00200001", "63C2");
	expect(card, "002000010830303030FFFFFFFF", "63C1");
	eum_card_power_off(card);
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
	expect(card, "00200001", "63C1");
	/* blocked survives a reset; only UNBLOCK clears it */
	expect(card, "002000010830303030FFFFFFFF", "63C0");
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	expect(card, "002000010831323334FFFFFFFF", "6983");
	expect(card,
	       "002C0001103132333435363738"
	       "31323334FFFFFFFF",
	       "9000");
	/* PUK counter used up partly, also persistent */
	expect(card,
	       "002C0001103030303030303030"
	       "31323334FFFFFFFF",
	       "63C9");
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	expect(card, "002C0001", "63C9");
	/* the PIN unblocked to 1234 is not verified after a reset, but its counter is full */
	expect(card, "00200001", "63C3");
	eum_card_free(card);
}

static void test_no_secret_in_logs(void **state)
{
	static const char *const secrets[] = {
	        "1234",     "31323334",         "12345678", "3132333435363738", "5678", "35363738",
	        "87654321", "3837363534333231", "88888888", "3838383838383838", "9753", "39373533",
	        "2468",     "32343638",
	};
	eum_card *card;
	eum_config cfg;
	struct logbuf lb;
	size_t i;

	(void)state;
	memset(&lb, 0, sizeof(lb));
	eum_config_init(&cfg);
	cfg.log = capture;
	cfg.log_ctx = &lb;
	cfg.log_level = EUM_LOG_DEBUG;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	/* wrong and right presentations of every kind */
	expect(card, "002000010839373533FFFFFFFF", "63C2");
	expect(card, "002000010831323334FFFFFFFF", "9000");
	expect(card, "002400011031323334FFFFFFFF32343638FFFFFFFF", "9000");
	expect(card, "002400011039373533FFFFFFFF31323334FFFFFFFF", "63C2");
	expect(card, "002600010832343638FFFFFFFF", "9000");
	expect(card, "002800010832343638FFFFFFFF", "9000");
	expect(card, "002000810835363738FFFFFFFF", "9000");
	expect(card, "0020000A083838383838383838", "9000");
	expect(card, "002000010839373533FFFFFFFF", "63C2");
	expect(card, "002000010839373533FFFFFFFF", "63C1");
	expect(card, "002000010839373533FFFFFFFF", "63C0");
	expect(card,
	       "002C0001103837363534333231"
	       "31323334FFFFFFFF",
	       "63C9");
	expect(card,
	       "002C0001103132333435363738"
	       "31323334FFFFFFFF",
	       "9000");
	expect(card,
	       "002C0081103030303030303030"
	       "39373533FFFFFFFF",
	       "63C9");
	expect(card,
	       "002C0081103837363534333231"
	       "39373533FFFFFFFF",
	       "9000");
	eum_card_free(card);
	/* something was logged (the test would be empty otherwise), but no value */
	assert_true(lb.len > 0);
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		if (strstr(lb.text, secrets[i]))
			fail_msg("log contains \"%s\":\n%s", secrets[i], lb.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_store_set_find),
	        cmocka_unit_test(test_store_refuses),
	        cmocka_unit_test(test_counters_are_persistent),
	        cmocka_unit_test(test_no_secret_in_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
