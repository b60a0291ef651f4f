/*
 * The trace hook of eum_config (include/eum/eum.h): every ATR, C-APDU and R-APDU, in order, with
 * its direction and logical channel (ISO 7816-4 §5.4.1), exactly the bytes that crossed the
 * interface; a card without a hook answers the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "util/hex.h"

struct event {
	eum_trace_kind kind;
	eum_trace_dir dir;
	unsigned channel;
	char hex[600];
};

struct log {
	struct event ev[24];
	size_t n;
};

static void record(void *ctx, eum_trace_kind kind, eum_trace_dir dir, unsigned channel, const uint8_t *data, size_t len)
{
	struct log *l = ctx;

	assert_true(l->n < 24);
	assert_true(len < 300);
	l->ev[l->n].kind = kind;
	l->ev[l->n].dir = dir;
	l->ev[l->n].channel = channel;
	eum_hex_encode(data, len, l->ev[l->n].hex);
	l->n++;
}

static void quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

static void send(eum_card *card, const char *capdu_hex, char *got)
{
	uint8_t c[300], r[300];
	size_t rlen = 0;
	long n = eum_hex_decode(capdu_hex, c, sizeof(c));

	assert_true(n >= 0);
	assert_int_equal(eum_card_transmit(card, c, (size_t)n, r, sizeof(r), &rlen), EUM_OK);
	eum_hex_encode(r, rlen, got);
}

static void check(const struct event *e, eum_trace_kind kind, eum_trace_dir dir, unsigned channel, const char *hex)
{
	assert_int_equal(e->kind, kind);
	assert_int_equal(e->dir, dir);
	assert_int_equal(e->channel, channel);
	assert_string_equal(e->hex, hex);
}

static void test_trace_sequence(void **state)
{
	static const char *const cmds[] = {
	        "00A40004023F00", /* SELECT MF, basic channel */
	        "0070000001",     /* MANAGE CHANNEL open -> channel 1 */
	        "01A4000C022FE2", /* SELECT EF.ICCID on channel 1 */
	        "01B000000A",     /* READ BINARY on channel 1 */
	        "0070000400",     /* MANAGE CHANNEL open channel 4 */
	        "40A4000C022FE2", /* SELECT EF.ICCID on channel 4 (further interindustry class) */
	        "40B000000A",     /* READ BINARY on channel 4 */
	        "0070800100",     /* MANAGE CHANNEL close channel 1, on the basic channel */
	};
	static const unsigned chans[] = {0, 0, 1, 1, 0, 4, 4, 0};
	const size_t ncmds = sizeof(cmds) / sizeof(cmds[0]);
	struct log l = {.n = 0};
	eum_config cfg;
	eum_card *traced = NULL, *plain = NULL;
	uint8_t atr[EUM_ATR_MAX];
	size_t atr_len, i;
	char atr_hex[80], got[600], want[600];

	(void)state;
	eum_config_init(&cfg);
	assert_null(cfg.trace); /* default: no trace */
	cfg.log = quiet;
	assert_int_equal(eum_card_new(&plain, &cfg), EUM_OK);
	cfg.trace = record;
	cfg.trace_ctx = &l;
	assert_int_equal(eum_card_new(&traced, &cfg), EUM_OK);
	assert_int_equal(l.n, 0); /* manufacturing is not traced */

	assert_int_equal(eum_card_reset(traced, 1, atr, sizeof(atr), &atr_len), EUM_OK);
	assert_int_equal(eum_card_reset(plain, 1, NULL, 0, NULL), EUM_OK);
	eum_hex_encode(atr, atr_len, atr_hex);
	assert_string_equal(atr_hex, "3B9F96801FC78031E073FE211F6765756D20302E31A6");
	assert_int_equal(l.n, 1);
	check(&l.ev[0], EUM_TRACE_ATR, EUM_TRACE_FROM_CARD, 0, atr_hex);

	for (i = 0; i < ncmds; i++) {
		send(traced, cmds[i], got);
		send(plain, cmds[i], want);
		assert_string_equal(got, want); /* tracing changes nothing the card answers */
		assert_int_equal(l.n, 1 + 2 * (i + 1));
		check(&l.ev[1 + 2 * i], EUM_TRACE_COMMAND, EUM_TRACE_TO_CARD, chans[i], cmds[i]);
		check(&l.ev[2 + 2 * i], EUM_TRACE_RESPONSE, EUM_TRACE_FROM_CARD, chans[i], got);
	}
	/* the bytes themselves, not only "the same as the untraced card" */
	assert_string_equal(l.ev[4].hex, "019000");
	assert_string_equal(l.ev[8].hex, "988812010000000010F1"
	                                 "9000");
	assert_string_equal(l.ev[14].hex, "988812010000000010F1"
	                                  "9000");

	/* a warm reset is traced too; power-off is not an exchange */
	eum_card_power_off(traced);
	assert_int_equal(l.n, 1 + 2 * ncmds);
	assert_int_equal(eum_card_reset(traced, 0, NULL, 0, NULL), EUM_OK);
	assert_int_equal(l.n, 2 + 2 * ncmds);
	check(&l.ev[1 + 2 * ncmds], EUM_TRACE_ATR, EUM_TRACE_FROM_CARD, 0, atr_hex);
	eum_card_free(traced);
	eum_card_free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_trace_sequence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
