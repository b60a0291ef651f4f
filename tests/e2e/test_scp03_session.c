/*
 * End to end: an SM-SR-like host (libeum-host SCP03, GP Amd D) drives the
 * ISD-R of a fresh card only through eum_card_transmit() with T=0 framing
 * (61xx + GET RESPONSE): INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, wrapped
 * GET STATUS at security levels 01, 03, 13 and 33 on the basic channel and on
 * an extended logical channel, CreateISDP (INSTALL) and the new ISD-P in
 * GET STATUS as SELECTABLE, a 6310 continuation whose protected responses
 * stay within one short response, and DeleteProfile.
 */
#include "../unit/gp_test.h"

#define PFX "A0000005591010FFFFFFFF89"

static uint16_t wrapped(eum_card *card, eum_host_scp03 *h, uint8_t chan, const char *hex, uint8_t *out, size_t *n,
                        size_t *wire_len)
{
	uint8_t c[300], w[300], r[300];
	size_t cn = gpt_hex(hex, c, sizeof(c)), wn = 0, rl = 0;

	/* the logical channel goes into the class byte (TS 102 221 §10.1.1) */
	c[0] = (uint8_t)(chan < 4 ? (c[0] & 0xFC) | chan : 0xC0 | (chan - 4));
	assert_int_equal(eum_host_scp03_wrap_command(h, c, cn, w, sizeof(w), &wn), EUM_OK);
	gpt_xmit(card, w, wn, r, &rl);
	if (wire_len)
		*wire_len = rl;
	assert_int_equal(eum_host_scp03_unwrap_response(h, r, rl, out, 300, n), EUM_OK);
	return (uint16_t)(out[*n - 2] << 8 | out[*n - 1]);
}

static void session_at(uint8_t chan, uint8_t sl)
{
	static const char isdr_entry[] = "E31B4F10" PFX "000001009F70010FC5039EFE80";
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300], exp[300];
	size_t n, en, wire;
	char tar[8];
	unsigned k;
	uint16_t sw;

	print_message("channel %u, security level %02X\n", chan, sl);
	if (chan) {
		char mc[16];
		snprintf(mc, sizeof(mc), "0070%04X", chan);
		assert_int_equal(gpt_xmit_hex(card, mc, out, &n), 0x9000);
	}
	gpt_select_isdr(card, chan);
	gpt_open(card, &h, chan, sl);
	assert_int_equal(card->ch[chan].scp03->state, EUM_SCP03_STATE_AUTHENTICATED);
	assert_int_equal(card->ch[chan].scp03->sl, sl);

	/* GET STATUS of the ISD */
	assert_int_equal(wrapped(card, &h, chan, "80F28002024F0000", out, &n, &wire), 0x9000);
	en = gpt_hex(isdr_entry, exp, sizeof(exp));
	assert_int_equal(n - 2, en);
	assert_memory_equal(out, exp, en);
	/* R-MAC (and R-ENC) travel on the wire */
	assert_int_equal(wire, (sl & 0x10) ? ((sl & 0x20) ? 32 + 8 + 2 : en + 8 + 2) : en + 2);

	/* CreateISDP, then the ISD-P is SELECTABLE */
	assert_int_equal(wrapped(card, &h, chan,
	                         "80E60C003F10" PFX "00000D0010" PFX "00000E0010" PFX
	                         "000013000380C00006C904810203700000",
	                         out, &n, NULL),
	                 0x9000);
	assert_int_equal(n, 3);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(wrapped(card, &h, chan,
	                         "80F2400212"
	                         "4F10" PFX "0000130000",
	                         out, &n, NULL),
	                 0x9000);
	en = gpt_hex("E3244F10" PFX "000013009F7001075301008F0100910100C50380C000", exp, sizeof(exp));
	assert_int_equal(n - 2, en);
	assert_memory_equal(out, exp, en);

	/* fill the card, list everything through 6310 continuations */
	for (k = 0; k < EUM_MAX_ISDP - 2; k++) {
		char apdu[200];
		snprintf(tar, sizeof(tar), "0000%02X", 0x20 + k);
		snprintf(apdu, sizeof(apdu),
		         "80E60C003F10" PFX "00000D0010" PFX "00000E0010" PFX "%s000380C00006C904810203700000", tar);
		assert_int_equal(wrapped(card, &h, chan, apdu, out, &n, NULL), 0x9000);
	}
	sw = wrapped(card, &h, chan, "80F24002024F0000", out, &n, &wire);
	k = 0;
	while (sw == 0x6310) {
		assert_true(wire <= 256 + 2); /* data, R-MAC and padding fit one short response */
		k++;
		sw = wrapped(card, &h, chan, "80F24003024F0000", out, &n, &wire);
	}
	assert_int_equal(sw, 0x9000);
	assert_true(k >= 1);

	/* DeleteProfile of the new ISD-P */
	assert_int_equal(wrapped(card, &h, chan,
	                         "80E4004012"
	                         "4F10" PFX "0000130000",
	                         out, &n, NULL),
	                 0x9000);
	assert_int_equal(wrapped(card, &h, chan,
	                         "80F2400212"
	                         "4F10" PFX "0000130000",
	                         out, &n, NULL),
	                 0x6A88);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

static void test_levels_basic_channel(void **state)
{
	static const uint8_t levels[] = {0x01, 0x03, 0x13, 0x33};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(levels); i++)
		session_at(0, levels[i]);
}

static void test_levels_logical_channels(void **state)
{
	(void)state;
	session_at(2, 0x33);
	session_at(7, 0x13);
}

/* The sequence counter moves with every INITIALIZE UPDATE and is kept in the state. */
static void test_sequence_counter(void **state)
{
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	unsigned i;

	(void)state;
	for (i = 1; i <= 3; i++) {
		assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
		gpt_select_isdr(card, 0);
		gpt_open(card, &h, 0, 0x01);
		assert_int_equal(h.seq_counter, i);
		assert_int_equal(card->ps->isdr.scp03[0].seq_counter, i);
		eum_host_scp03_free(&h);
	}
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_levels_basic_channel),
	        cmocka_unit_test(test_levels_logical_channels),
	        cmocka_unit_test(test_sequence_counter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
