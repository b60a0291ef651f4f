/*
 * No global mutable state (helper brief, STYLE §2): two cards in one process never see each
 * other's PIN counters and verification, selections, logical channels, pending response data
 * or file content. Also eum_strerror() for every eum_err code and for values outside the
 * enumeration (STYLE §4: one strerror, never NULL).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "util/hex.h"

static void quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

static eum_card *powered_card(void)
{
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.log = quiet;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	return card;
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

#define SELECT_USIM "00A4040C10A0000000871002FFFFFFFF8907090000"

static void test_pin_state(void **state)
{
	eum_card *a = powered_card(), *b = powered_card();

	(void)state;
	/* A: two wrong PINs, B untouched */
	expect(a, "002000010830303030FFFFFFFF", "63C2");
	expect(a, "002000010830303030FFFFFFFF", "63C1");
	expect(b, "00200001", "63C3");
	/* B verifies; A still is not verified and still has one try */
	expect(b, "002000010831323334FFFFFFFF", "9000");
	expect(a, "00200001", "63C1");
	expect(a, SELECT_USIM, "9000");
	expect(b, SELECT_USIM, "9000");
	expect(a, "00B0870009", "6982");
	expect(b, "00B0870009", "0809101010325476989000");
	/* A blocked, B fine; disabling on B does not disable on A */
	expect(a, "002000010830303030FFFFFFFF", "63C0");
	expect(b, "002600010831323334FFFFFFFF", "9000");
	expect(a, "00200001", "6983");
	expect(b, "00200001", "9000");
	/* a reset of B leaves A alone and the other way round */
	assert_int_equal(eum_card_reset(b, 1, NULL, 0, NULL), EUM_OK);
	expect(a, "00B0870009", "6982");
	expect(a,
	       "002C0001103132333435363738"
	       "31323334FFFFFFFF",
	       "9000");
	expect(a, "00B0870009", "0809101010325476989000");
	assert_int_equal(eum_card_reset(a, 0, NULL, 0, NULL), EUM_OK);
	expect(b, "00200001", "9000"); /* still disabled on B */
	expect(a, "00200001", "63C3");
	eum_card_free(a);
	eum_card_free(b);
}

static void test_selection_channels_data(void **state)
{
	eum_card *a = powered_card(), *b = powered_card();

	(void)state;
	/* selection */
	expect(a, SELECT_USIM, "9000");
	expect(b, "80F2000000", "6C26"); /* B still on the MF */
	expect(a, "80F2000000", "6C36");
	expect(a, "00A4000C026FAD", "9000");
	expect(b, "00B0000004", "6986");
	expect(a, "00B0000004", "000000029000");
	/* channels: A opens 1 and 2, B opens 1 only */
	expect(a, "0070000001", "019000");
	expect(a, "0070000001", "029000");
	expect(b, "0070000001", "019000");
	expect(b, "02A4000C023F00", "6881");
	expect(a, "02A4000C023F00", "9000");
	expect(b, "00708001", "9000");
	expect(a, "01A4000C023F00", "9000");
	/* pending response data */
	expect(a, "00A40004023F00", "6126");
	expect(b, "00C0000026", "6985");
	expect(a, "00C0000002", "62246124");
	eum_card_free(a);
	eum_card_free(b);
}

static void test_file_content(void **state)
{
	eum_card *a = powered_card(), *b = powered_card();

	(void)state;
	/* A updates EF.PL and a cyclic record; B's copies keep the manufactured content */
	expect(a, "002000010831323334FFFFFFFF", "9000");
	expect(a, "00D6850002 6465", "9000");
	expect(b, "00B0850004", "656EFFFF9000");
	expect(a, "00B0850004", "6465FFFF9000");
	expect(a, SELECT_USIM, "9000");
	expect(a, "00A4000C026F39", "9000");
	expect(a, "8032000003000005", "6106");
	expect(a, "00C0000006", "0000050000059000");
	expect(b, "002000010831323334FFFFFFFF", "9000");
	expect(b, SELECT_USIM, "9000");
	expect(b, "00A4000C026F39", "9000");
	expect(b, "00B2010403", "0000009000");
	/* ADM on A deactivates EF.AD; B's EF.AD stays active */
	expect(a, "0020000A083838383838383838", "9000");
	expect(a, "00040000026FAD", "9000");
	expect(a, "00A4000C026FAD", "6283");
	expect(b, "00A4000C026FAD", "9000");
	/* freeing A leaves B working */
	eum_card_free(a);
	expect(b, "00B0000004", "000000029000");
	eum_card_free(b);
}

static void test_strerror(void **state)
{
	static const int outside[] = {1, 2, 100, EUM_ERR_NUM, EUM_ERR_NUM - 1, -1000, INT_MAX, INT_MIN};
	const char *seen[-EUM_ERR_NUM];
	int e, i;

	(void)state;
	for (e = 0; e > EUM_ERR_NUM; e--) {
		const char *s = eum_strerror(e);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, "unknown error");
		/* every code has its own text */
		for (i = 0; i < -e; i++)
			assert_string_not_equal(s, seen[i]);
		seen[-e] = s;
	}
	assert_string_equal(eum_strerror(EUM_OK), "success");
	for (i = 0; i < (int)(sizeof(outside) / sizeof(outside[0])); i++) {
		const char *s = eum_strerror(outside[i]);
		assert_non_null(s);
		assert_string_equal(s, "unknown error");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pin_state),
	        cmocka_unit_test(test_selection_channels_data),
	        cmocka_unit_test(test_file_content),
	        cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
