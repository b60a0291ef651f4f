/*
 * The card's C entry points around the APDU engine (include/eum/eum.h): argument checking of
 * eum_card_transmit(), the power state, the ATR (ISO/IEC 7816-3 §8.2, checked here with an
 * independent parser), what cold and warm resets clear (ETSI TS 102 221 §6: logical channels,
 * PIN verification, pending response data; not the non-volatile content), and the 91xx rule
 * of TS 102 221 §7.4.2.2 for a pending proactive command.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cat/cat.h"
#include "eum/eum.h"
#include "util/hex.h"

static void quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

static eum_card *new_card(const uint8_t *atr, size_t atr_len)
{
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.atr = atr;
	cfg.atr_len = atr_len;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_non_null(card);
	return card;
}

/* Send hex, return the R-APDU as uppercase hex in out. */
static void xfer(eum_card *card, const char *capdu_hex, char *out)
{
	uint8_t c[300], r[300];
	size_t rlen = 0;
	long n = eum_hex_decode(capdu_hex, c, sizeof(c));

	assert_true(n >= 0);
	assert_int_equal(eum_card_transmit(card, c, (size_t)n, r, sizeof(r), &rlen), EUM_OK);
	assert_true(rlen >= 2);
	eum_hex_encode(r, rlen, out);
}

static void expect(eum_card *card, const char *capdu_hex, const char *want)
{
	char got[700];

	xfer(card, capdu_hex, got);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got %s, expected %s", capdu_hex, got, want);
}

static void test_transmit_arguments(void **state)
{
	static const uint8_t select_mf[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};
	uint8_t r[300];
	size_t rlen = 12345;
	eum_card *card = new_card(NULL, 0);

	(void)state;
	/* manufactured but never reset: not powered */
	assert_int_equal(eum_card_transmit(card, select_mf, sizeof(select_mf), r, sizeof(r), &rlen),
	                 EUM_ERR_NOT_POWERED);
	assert_int_equal(eum_card_reset(NULL, 1, NULL, 0, NULL), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);

	assert_int_equal(eum_card_transmit(NULL, select_mf, sizeof(select_mf), r, sizeof(r), &rlen),
	                 EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_card_transmit(card, NULL, sizeof(select_mf), r, sizeof(r), &rlen), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_card_transmit(card, select_mf, sizeof(select_mf), NULL, sizeof(r), &rlen),
	                 EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_card_transmit(card, select_mf, sizeof(select_mf), r, sizeof(r), NULL),
	                 EUM_ERR_INVALID_ARG);
	/* the caller's buffer must hold 256 bytes + SW */
	assert_int_equal(eum_card_transmit(card, select_mf, sizeof(select_mf), r, 257, &rlen),
	                 EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_card_transmit(card, select_mf, sizeof(select_mf), r, 258, &rlen), EUM_OK);
	assert_int_equal(rlen, 2);
	assert_memory_equal(r, "\x90\x00", 2);
	/* a malformed APDU is a card answer, not a C error */
	assert_int_equal(eum_card_transmit(card, select_mf, 2, r, sizeof(r), &rlen), EUM_OK);
	assert_int_equal(rlen, 2);
	assert_memory_equal(r, "\x67\x00", 2);

	/* power off: refused until the next reset */
	eum_card_power_off(card);
	assert_int_equal(eum_card_transmit(card, select_mf, sizeof(select_mf), r, sizeof(r), &rlen),
	                 EUM_ERR_NOT_POWERED);
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
	assert_int_equal(eum_card_transmit(card, select_mf, sizeof(select_mf), r, sizeof(r), &rlen), EUM_OK);
	eum_card_power_off(NULL);
	eum_card_free(card);
	eum_card_free(NULL);
	assert_int_equal(eum_card_new(NULL, NULL), EUM_ERR_INVALID_ARG);
}

/*
 * ISO/IEC 7816-3 §8.2 parser: TS, T0 (Y1, K), interface bytes chained by TDi, K historical
 * bytes, TCK when any T other than 0 is indicated. Returns the expected length or 0.
 */
static size_t atr_expected_len(const uint8_t *atr, size_t len, int *needs_tck, uint8_t *first_t)
{
	size_t i = 1, k;
	uint8_t y, td;
	int more = 1, seen_td = 0;

	*needs_tck = 0;
	*first_t = 0;
	if (len < 2 || (atr[0] != 0x3B && atr[0] != 0x3F))
		return 0;
	y = atr[1] >> 4;
	k = atr[1] & 0x0F;
	i = 2;
	while (more) {
		i += ((y >> 0) & 1) + ((y >> 1) & 1) + ((y >> 2) & 1); /* TA, TB, TC */
		more = (y >> 3) & 1;                                   /* TD */
		if (more) {
			if (i >= len)
				return 0;
			td = atr[i++];
			if (!seen_td) /* TD1 names the first protocol offered */
				*first_t = td & 0x0F;
			seen_td = 1;
			if ((td & 0x0F) != 0)
				*needs_tck = 1;
			y = td >> 4;
		}
	}
	return i + k + (*needs_tck ? 1 : 0);
}

static void test_atr(void **state)
{
	static const uint8_t hist[] = {0x80, 0x31, 0xE0, 0x73, 0xFE, 0x21, 0x1F, 0x67,
	                               0x65, 0x75, 0x6D, 0x20, 0x30, 0x2E, 0x31};
	uint8_t atr[EUM_ATR_MAX], x = 0;
	size_t len = 0, i, want;
	int needs_tck;
	uint8_t first_t;
	eum_card *card = new_card(NULL, 0);

	(void)state;
	assert_int_equal(eum_card_reset(card, 1, atr, 5, &len), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_card_reset(card, 1, atr, sizeof(atr), &len), EUM_OK);
	want = atr_expected_len(atr, len, &needs_tck, &first_t);
	assert_int_equal(want, len);
	assert_int_equal(atr[0], 0x3B); /* direct convention */
	assert_int_equal(first_t, 0);   /* T=0 first offered (TD1) */
	/* T=15 is indicated (TD2 = 1F), so TCK is present: T0..TCK XOR to zero */
	assert_true(needs_tck);
	for (i = 1; i < len; i++)
		x ^= atr[i];
	assert_int_equal(x, 0);
	assert_int_equal(atr[len - 1], 0xA6);
	/* TA3 after T=15 (TS 102 221 §6.3): clock stop supported, classes A, B and C */
	assert_int_equal(atr[4], 0x1F);
	assert_int_equal(atr[5], 0xC7);
	/* 15 historical bytes, compact-TLV (ISO 7816-4 §8.1.1): 31 card service data, 73 card
	 * capabilities (third byte 1F: channels assigned by card and by terminal, 8 or more) */
	assert_int_equal(atr[1] & 0x0F, sizeof(hist));
	assert_memory_equal(atr + len - 1 - sizeof(hist), hist, sizeof(hist));
	/* NULL output and length pointers are allowed */
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
	eum_card_free(card);

	/* a configured ATR is given back verbatim on every reset */
	{
		static const uint8_t mine[] = {0x3B, 0x02, 0x14, 0x50};
		card = new_card(mine, sizeof(mine));
		assert_int_equal(eum_card_reset(card, 1, atr, sizeof(atr), &len), EUM_OK);
		assert_int_equal(len, sizeof(mine));
		assert_memory_equal(atr, mine, sizeof(mine));
		assert_int_equal(eum_card_reset(card, 0, atr, sizeof(mine), &len), EUM_OK);
		assert_memory_equal(atr, mine, sizeof(mine));
		eum_card_free(card);
	}
	/* out-of-range ATR lengths are configuration errors */
	{
		uint8_t big[EUM_ATR_MAX + 1];
		eum_config cfg;
		memset(big, 0x3B, sizeof(big));
		eum_config_init(&cfg);
		cfg.log = quiet;
		cfg.atr = big;
		cfg.atr_len = 1;
		card = (eum_card *)&cfg; /* must be overwritten with NULL */
		assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
		assert_null(card);
		cfg.atr_len = sizeof(big);
		assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
		cfg.atr_len = EUM_ATR_MAX;
		assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
		eum_card_free(card);
	}
}

/* What any reset clears, and what it keeps (run for cold and warm). */
static void check_reset(int cold)
{
	eum_card *card = new_card(NULL, 0);

	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	/* open two channels, verify PIN1, select the USIM, leave response data pending, and
	 * change a non-volatile file (EF.PL, update PIN1) */
	expect(card, "0070000001", "019000");
	expect(card, "00700007", "9000");
	expect(card, "002000010831323334FFFFFFFF", "9000");
	expect(card, "00A4000C022F05", "9000");
	expect(card, "00D6000002 6465", "9000");
	expect(card, "00A4040C10A0000000871002FFFFFFFF8907090000", "9000");
	expect(card, "00A40004026F07", "6119");

	assert_int_equal(eum_card_reset(card, cold, NULL, 0, NULL), EUM_OK);
	/* channels closed */
	expect(card, "01A4000C023F00", "6881");
	expect(card, "43A4000C023F00", "6881");
	/* the pending data is gone */
	expect(card, "00C0000019", "6985");
	/* PIN1 is no longer verified (3 tries left: the counter was reset by the right PIN) */
	expect(card, "00200001", "63C3");
	/* the basic channel is back at the MF, no EF, no application */
	expect(card, "00B0000001", "6986");
	expect(card, "00A4000C027FFF", "6A82");
	/* channel numbers are handed out from 1 again */
	expect(card, "0070000001", "019000");
	/* the file content is non-volatile */
	expect(card, "00A4000C023F00", "9000");
	expect(card, "00B0850004", "6465FFFF9000");
	/* and so is a PIN retry counter */
	expect(card, "002000010830303030FFFFFFFF", "63C2");
	assert_int_equal(eum_card_reset(card, cold, NULL, 0, NULL), EUM_OK);
	expect(card, "00200001", "63C2");
	eum_card_power_off(card);
	assert_int_equal(eum_card_reset(card, cold, NULL, 0, NULL), EUM_OK);
	expect(card, "00200001", "63C2");
	eum_card_free(card);
}

static void test_cold_reset(void **state)
{
	(void)state;
	check_reset(1);
}

static void test_warm_reset(void **state)
{
	(void)state;
	check_reset(0);
}

/* DISPLAY TEXT "Hello": command details (number filled in by the queue), device identities, text */
static const uint8_t display_text[] = {0x81, 0x03, 0x00, 0x21, 0x00, 0x82, 0x02, 0x81, 0x02,
                                       0x8D, 0x06, 0x04, 0x48, 0x65, 0x6C, 0x6C, 0x6F};

static void test_proactive_sw(void **state)
{
	eum_card *card = new_card(NULL, 0);

	(void)state;
	assert_int_equal(eum_card_proactive_pending(NULL), 0);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	assert_int_equal(eum_cat_queue(card, display_text, sizeof(display_text)), EUM_OK);
	/* nothing is announced before the terminal sent its TERMINAL PROFILE */
	assert_int_equal(eum_card_proactive_pending(card), 0);
	expect(card, "80F2000C", "9000");
	/* D0 11 + 17 bytes = 0x13: from now on 9000 becomes 9113 (TS 102 221 §7.4.2.2) */
	expect(card, "8010000003FFFFFF", "9113");
	assert_int_equal(eum_card_proactive_pending(card), 0x13);
	expect(card, "80F2000C", "9113");
	/* errors are not rewritten */
	expect(card, "00B0000001", "6986");
	/* 61xx first; the 91xx comes with the last GET RESPONSE */
	expect(card, "00A40004022FE2", "6119");
	expect(card, "00C0000019", "62178202412183022FE28A01058B032F06018002000A8801109113");
	/* FETCH with a wrong Le: 6C13, still pending */
	expect(card, "8012000010", "6C13");
	assert_int_equal(eum_card_proactive_pending(card), 0x13);
	expect(card, "8012000013",
	       "D0118103012100820281028D0604"
	       "48656C6C6F9000");
	assert_int_equal(eum_card_proactive_pending(card), 0);
	/* a TERMINAL RESPONSE for another command is refused; the right one ends it */
	expect(card, "801400000C810301130082028281830100", "6A80");
	expect(card, "801400000C810301210082028281830100", "9000");
	expect(card, "801400000C810301210082028281830100", "6985");
	expect(card, "80F2000C", "9000");
	/* a reset ends the toolkit session: the terminal must send its profile again */
	assert_int_equal(eum_cat_queue(card, display_text, sizeof(display_text)), EUM_OK);
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
	expect(card, "80F2000C", "9000");
	expect(card, "8010000001FF", "9113");
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_transmit_arguments), cmocka_unit_test(test_atr),
	        cmocka_unit_test(test_cold_reset),         cmocka_unit_test(test_warm_reset),
	        cmocka_unit_test(test_proactive_sw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
