/*
 * End to end, through eum_card_transmit() only: what a logical channel opened
 * by MANAGE CHANNEL inherits (ETSI TS 102 221 §11.1.17.2: the selection, never
 * a secure channel — GP Amendment D §6.2.4 binds an SCP03 session to its
 * channel), so a C-MACed command cannot be replayed on another channel
 * (issue 16). The off-card SCP03 is libeum-host's; the security domain is the
 * bootstrap profile's MNO-SD (A000000151000000, KVN 30, 505152…5F).
 */
#include "../unit/gp_test.h"

static const uint8_t mnosd_aid[8] = {0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00, 0x00};
static const uint8_t key50[16] = {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
                                  0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F};

/* CLA byte of class base on logical channel chan (TS 102 221 §10.1.1). */
static uint8_t cla(uint8_t base, uint8_t chan)
{
	return (uint8_t)(chan < 4 ? base | chan : (base & 0x80) | 0x40 | (chan - 4));
}

/* The same C-APDU moved to logical channel chan 1..3 (the channel bits are not MACed, Amd D §6.2.4). */
static void move_to_channel(uint8_t *c, uint8_t chan)
{
	c[0] = (uint8_t)((c[0] & 0xFC) | chan);
}

/* Issue 16: a C-MACed GET DATA built for channel 1 is refused on channel 2 (opened from channel
 * 1 by MANAGE CHANNEL, with the MNO-SD still selected) and then accepted once on channel 1. */
static void test_manage_channel_copies_no_session(void **state)
{
	static const uint8_t hc[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t c[64], w[300], w2[300], r[300], out[300], sel[14] = {cla(0x00, 1), 0xA4, 0x04, 0x00, 0x08};
	size_t n = 0, rl = 0, wn = 0, ol = 0;

	(void)state;
	/* channel 1: the MNO-SD selected, an SCP03 session at security level 01 (C-MAC) */
	assert_int_equal(gpt_xmit_hex(card, "00700001", r, &rl), 0x9000);
	memcpy(sel + 5, mnosd_aid, sizeof(mnosd_aid));
	assert_int_equal(gpt_xmit(card, sel, 13, r, &rl), 0x9000);
	eum_host_scp03_init(&h);
	assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, key50, key50, key50, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_set_sd_aid(&h, mnosd_aid, sizeof(mnosd_aid)), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(&h, 1, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(&h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x01, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);

	/* MANAGE CHANNEL from channel 1 (in clear: a card-level command) opens channel 2 */
	assert_int_equal(gpt_xmit_hex(card, "01700002", r, &rl), 0x9000);

	/* the next C-MACed command of channel 1's session, replayed on channel 2: no session there */
	c[0] = cla(0x80, 1);
	c[1] = 0xCA;
	c[2] = 0x00;
	c[3] = 0xE0;
	c[4] = 0x00;
	assert_int_equal(eum_host_scp03_wrap_command(&h, c, 5, w, sizeof(w), &wn), EUM_OK);
	memcpy(w2, w, wn);
	move_to_channel(w2, 2);
	assert_int_equal(gpt_xmit(card, w2, wn, r, &rl), 0x6982);
	/* on its own channel it is accepted, once */
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_unwrap_response(&h, r, rl, out, sizeof(out), &ol), EUM_OK);
	assert_int_equal(out[0], 0xE0);
	assert_int_not_equal(gpt_xmit(card, w, wn, r, &rl), 0x9000);
	/* channel 2 inherited the selection only: the MNO-SD answers GET DATA E0 there in clear
	 * (in a copied C-MAC session it would be refused as a breach) */
	assert_int_equal(gpt_xmit_hex(card, "82CA00E000", r, &rl), 0x9000);
	assert_int_equal(r[0], 0xE0);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* A card whose SM-SR address is known: once the terminal profile arrives it asks for the
 * location status event (SET UP EVENT LIST), and the first attach raises the declaration
 * notification (SEND SHORT MESSAGE) — proactive traffic on the basic channel. */
static eum_card *card_with_smsr(void)
{
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.log_level = EUM_LOG_ERROR;
	cfg.es5.smsr_address = "12345678";
	/* the ISD-R is selectable by the terminal only with its SCP03 administration configured */
	cfg.isdr_scp03.kvn = 0x30;
	cfg.isdr_scp03.key_len = 16;
	cfg.isdr_scp03.enc = cfg.isdr_scp03.mac = cfg.isdr_scp03.dek = gpt_key40;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	return card;
}

/* TS 102 221 §10.1.1 / TS 102 223 §6: TERMINAL PROFILE, FETCH, TERMINAL RESPONSE and ENVELOPE are
 * card-level commands: they work on the basic channel whatever application is selected there. */
static void cat_on_basic_channel(const char *select_hex)
{
	static const uint8_t event_list[] = {0xD0, 0x0C, 0x81, 0x03, 0x01, 0x05, 0x00,
	                                     0x82, 0x02, 0x81, 0x82, 0x99, 0x01, 0x03};
	eum_card *card = card_with_smsr();
	uint8_t r[300], c[8] = {0x80, 0x12, 0x00, 0x00};
	size_t rl = 0;
	uint16_t sw;

	assert_int_equal(gpt_xmit_hex(card, select_hex, r, &rl), 0x9000);
	/* TERMINAL PROFILE (SET UP EVENT LIST, SEND SHORT MESSAGE, event download supported) */
	assert_int_equal(gpt_xmit_hex(card, "8010000008FFFFFFFFFFFFFFFF", r, &rl) & 0xFF00, 0x9100);
	/* FETCH: SET UP EVENT LIST (location status) */
	c[4] = sizeof(event_list);
	assert_int_equal(gpt_xmit(card, c, 5, r, &rl), 0x9000);
	assert_int_equal(rl - 2, sizeof(event_list));
	assert_memory_equal(r, event_list, sizeof(event_list));
	/* TERMINAL RESPONSE: performed successfully */
	assert_int_equal(gpt_xmit_hex(card, "801400000C810301050082028281830100", r, &rl), 0x9000);
	/* ENVELOPE event download, location status normal service: the first attach raises the
	 * declaration notification, a SEND SHORT MESSAGE (TS 102 223 §6.6.9) to FETCH */
	sw = gpt_xmit_hex(card, "80C200000CD60A990103820282819B0100", r, &rl);
	assert_int_equal(sw & 0xFF00, 0x9100);
	c[4] = (uint8_t)sw;
	assert_int_equal(gpt_xmit(card, c, 5, r, &rl), 0x9000);
	assert_int_equal(rl - 2, (uint8_t)sw);
	assert_int_equal(r[0], 0xD0);
	assert_int_equal(r[5], 0x13); /* type of command: SEND SHORT MESSAGE */
	/* the application selected on the basic channel is still the one it was */
	assert_int_not_equal(card->ch[0].app, EUM_APP_UICC);
	eum_card_free(card);
}

static void test_cat_after_select_ecasd(void **state)
{
	(void)state;
	cat_on_basic_channel("00A4040010A0000005591010FFFFFFFF8900000200");
}

static void test_cat_after_select_isdr(void **state)
{
	(void)state;
	cat_on_basic_channel("00A4040010A0000005591010FFFFFFFF8900000100");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_manage_channel_copies_no_session),
	        cmocka_unit_test(test_cat_after_select_ecasd),
	        cmocka_unit_test(test_cat_after_select_isdr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
