/*
 * Proactive command builders (src/cat/proactive.c, ETSI TS 102 223 §6.6.13 REFRESH, §6.6.9 SEND
 * SHORT MESSAGE, §6.6.16 SET UP EVENT LIST) and ENVELOPE event download (src/cat/envelope.c,
 * §7.5): exact bytes fetched by the terminal, the TERMINAL PROFILE gate, the 91xx signalling
 * and the recorded events. The card is driven through eum_card_transmit(); the builders and the
 * recorded state are internal APIs for later SGP.02 work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cat/cat.h"
#include "core/card.h"
#include "eum/eum.h"

static uint16_t xmit(eum_card *card, const char *hex, uint8_t *out, size_t *out_len)
{
	uint8_t c[300], r[300];
	size_t n = 0, rlen = 0;

	while (*hex) {
		unsigned v;
		if (*hex == ' ') {
			hex++;
			continue;
		}
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		c[n++] = (uint8_t)v;
		hex += 2;
	}
	assert_int_equal(eum_card_transmit(card, c, n, r, sizeof(r), &rlen), EUM_OK);
	assert_true(rlen >= 2);
	if (out)
		memcpy(out, r, rlen - 2);
	if (out_len)
		*out_len = rlen - 2;
	return (uint16_t)(r[rlen - 2] << 8 | r[rlen - 1]);
}

static eum_card *card_with_tp(const char *tp_apdu)
{
	eum_card *card = NULL;

	assert_int_equal(eum_card_new(&card, NULL), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	if (tp_apdu)
		assert_int_equal(xmit(card, tp_apdu, NULL, NULL), 0x9000);
	return card;
}

/* FETCH the pending command (Le from 91xx), compare, answer with the given general result. */
static void fetch_and_answer(eum_card *card, uint16_t sw91, const uint8_t *expect, size_t len, uint8_t result)
{
	char apdu[64];
	uint8_t got[256];
	size_t n;

	assert_int_equal(sw91, 0x9100 | len);
	snprintf(apdu, sizeof(apdu), "80120000%02X", (unsigned)len);
	assert_int_equal(xmit(card, apdu, got, &n), 0x9000);
	assert_int_equal(n, len);
	assert_memory_equal(got, expect, len);
	snprintf(apdu, sizeof(apdu), "801400000C 8103%02X%02X%02X 82028281 8301%02X", got[4], got[5], got[6], result);
	/* TR 20 keeps the command for a retry (cat.c), anything else ends it */
	{
		uint16_t sw = xmit(card, apdu, NULL, NULL);
		if ((sw & 0xFF00) != (result == 0x20 ? 0x9100 : 0x9000))
			fail_msg("TERMINAL RESPONSE %s: SW %04X", apdu, sw);
	}
}

static void test_refresh(void **state)
{
	static const uint8_t uicc_reset[] = {0xD0, 0x09, 0x81, 0x03, 0x01, 0x01, 0x04, 0x82, 0x02, 0x81, 0x82};
	static const uint8_t profile_change[] = {0xD0, 0x09, 0x81, 0x03, 0x02, 0x01, 0x09, 0x82, 0x02, 0x81, 0x82};
	static const uint8_t fcn[] = {0xD0, 0x10, 0x81, 0x03, 0x03, 0x01, 0x01, 0x82, 0x02,
	                              0x81, 0x82, 0x92, 0x05, 0x01, 0x3F, 0x00, 0x2F, 0xE2};
	eum_card *card;

	(void)state;
	/* no TERMINAL PROFILE yet / REFRESH bit (24 = byte 3 b8) absent: nothing is queued */
	card = card_with_tp(NULL);
	assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_UICC_RESET), EUM_ERR_UNSUPPORTED);
	assert_int_equal(xmit(card, "80100000 03 FFFF7F", NULL, NULL), 0x9000);
	assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_UICC_RESET), EUM_ERR_UNSUPPORTED);
	assert_int_equal(eum_card_proactive_pending(card), 0);
	assert_int_equal(xmit(card, "00A4000C023F00", NULL, NULL), 0x9000);
	eum_card_free(card);

	card = card_with_tp("80100000 03 FFFFFF");
	assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_UICC_RESET), EUM_OK);
	assert_int_equal(eum_card_proactive_pending(card), sizeof(uicc_reset));
	/* any 9000 becomes 91xx: here a SELECT MF without data */
	fetch_and_answer(card, xmit(card, "00A4000C023F00", NULL, NULL), uicc_reset, sizeof(uicc_reset), 0x00);
	assert_int_equal(eum_card_proactive_pending(card), 0);
	/* the profile state change qualifier, and a terminal that is busy once (retry kept) */
	assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_EUICC_PROFILE_STATE_CHANGE), EUM_OK);
	fetch_and_answer(card, xmit(card, "00A4000C023F00", NULL, NULL), profile_change, sizeof(profile_change), 0x20);
	fetch_and_answer(card, xmit(card, "00A4000C023F00", NULL, NULL), profile_change, sizeof(profile_change), 0x00);
	/* file change notification needs its file list */
	assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_FCN), EUM_ERR_INVALID_ARG);
	assert_int_equal(
	        eum_cat_refresh_files(card, EUM_CAT_REFRESH_FCN, (const uint8_t *)"\x01\x3F\x00\x2F\xE2", 5, NULL, 0),
	        EUM_OK);
	fetch_and_answer(card, xmit(card, "00A4000C023F00", NULL, NULL), fcn, sizeof(fcn), 0x00);
	assert_int_equal(eum_cat_refresh(card, 0x08), EUM_ERR_INVALID_ARG);
	/* a full queue refuses */
	while (eum_cat_queue_space(card))
		assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_NAA_INIT), EUM_OK);
	assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_NAA_INIT), EUM_ERR_STATE);
	eum_card_free(card);
}

static void test_set_up_event_list_and_events(void **state)
{
	static const uint8_t list[] = {0xD0, 0x0E, 0x81, 0x03, 0x01, 0x05, 0x00, 0x82,
	                               0x02, 0x81, 0x82, 0x99, 0x03, 0x03, 0x09, 0x0A};
	const uint8_t events[] = {EUM_CAT_EVENT_LOCATION_STATUS, EUM_CAT_EVENT_DATA_AVAILABLE,
	                          EUM_CAT_EVENT_CHANNEL_STATUS};
	eum_card *card;

	(void)state;
	/* SET UP EVENT LIST (bit 33) without the data available event (bit 43 = byte 6 b3) */
	card = card_with_tp("80100000 06 FFFFFFFFFFFB");
	assert_int_equal(eum_cat_set_up_event_list(card, events, 3), EUM_ERR_UNSUPPORTED);
	assert_int_equal(eum_cat_set_up_event_list(card, events, 1), EUM_OK);
	eum_card_free(card);

	card = card_with_tp("80100000 08 FFFFFFFFFFFFFFFF");
	assert_int_equal(eum_cat_set_up_event_list(card, (const uint8_t *)"\x0B", 1), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_cat_set_up_event_list(card, events, 3), EUM_OK);
	assert_int_equal(card->cat->n_events, 3);
	fetch_and_answer(card, xmit(card, "00A4000C023F00", NULL, NULL), list, sizeof(list), 0x00);

	/* location status: normal service (D6 { 99 03, 82 82 81, 9B 00 }) */
	assert_false(card->cat->loc_status_valid);
	assert_int_equal(xmit(card, "80C200000C D60A 990103 82028281 9B0100", NULL, NULL), 0x9000);
	assert_true(card->cat->loc_status_valid);
	assert_int_equal(card->cat->loc_status, 0x00);
	assert_int_equal(xmit(card, "80C200000C D60A 990103 82028281 1B0102", NULL, NULL), 0x9000);
	assert_int_equal(card->cat->loc_status, 0x02);
	/* data available: channel status 81 00 (channel 1, link established), 32 bytes */
	assert_int_equal(xmit(card, "80C2000010 D60E 990109 82028281 B8028100 B70120", NULL, NULL), 0x9000);
	assert_true(card->cat->data_avail_valid);
	assert_memory_equal(card->cat->data_avail_chan, "\x81\x00", 2);
	assert_int_equal(card->cat->data_avail_len, 0x20);
	/* channel status: link dropped (01 05) */
	assert_int_equal(xmit(card, "80C200000D D60B 99010A 82028281 B8020105", NULL, NULL), 0x9000);
	assert_true(card->cat->chan_status_valid);
	assert_memory_equal(card->cat->chan_status, "\x01\x05", 2);
	/* malformed: no event list, location status without its object, bad length */
	assert_int_equal(xmit(card, "80C2000006 D604 82028281", NULL, NULL), 0x6A80);
	assert_int_equal(xmit(card, "80C2000009 D607 990103 82028281", NULL, NULL), 0x6A80);
	assert_int_equal(xmit(card, "80C200000A D607 990103 82028281 00", NULL, NULL), 0x6700);
	/* an event the card does not use is acknowledged */
	assert_int_equal(xmit(card, "80C2000009 D607 990105 82028281", NULL, NULL), 0x9000);
	/* the hook later SGP.02 code calls directly */
	eum_cat_on_location_status(card, 0x01);
	assert_int_equal(card->cat->loc_status, 0x01);
	/* a UICC reset forgets the list and the events */
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
	assert_int_equal(card->cat->n_events, 0);
	assert_false(card->cat->loc_status_valid);
	eum_card_free(card);
}

static void test_send_short_message(void **state)
{
	/* D0 L 81 03 01 13 00 82 02 81 83 8B 05 <tpdu> */
	static const uint8_t expect[] = {0xD0, 0x10, 0x81, 0x03, 0x01, 0x13, 0x00, 0x82, 0x02,
	                                 0x81, 0x83, 0x8B, 0x05, 0x01, 0x00, 0x00, 0x7F, 0xF6};
	static const uint8_t tpdu[] = {0x01, 0x00, 0x00, 0x7F, 0xF6};
	struct eum_sms_addr da = {8, 0x91, {0x21, 0x43, 0x65, 0x87}};
	uint8_t big[400];
	eum_card *card;

	(void)state;
	/* SEND SHORT MESSAGE is bit 26 (byte 4 b2) */
	card = card_with_tp("80100000 04 FFFFFFFD");
	assert_int_equal(eum_cat_send_short_message(card, tpdu, sizeof(tpdu), NULL, 0), EUM_ERR_UNSUPPORTED);
	eum_card_free(card);
	card = card_with_tp("80100000 04 FFFFFFFF");
	assert_int_equal(eum_cat_send_short_message(card, tpdu, sizeof(tpdu), NULL, 0), EUM_OK);
	fetch_and_answer(card, xmit(card, "00A4000C023F00", NULL, NULL), expect, sizeof(expect), 0x00);
	/* a packet of 400 bytes needs 3 SMS: all queued at once, or none when the queue is short */
	memset(big, 0x5A, sizeof(big));
	assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_NAA_INIT), EUM_OK);
	assert_int_equal(eum_cat_refresh(card, EUM_CAT_REFRESH_NAA_INIT), EUM_OK);
	assert_int_equal(eum_cat_send_packet(card, &da, 0x71, big, sizeof(big)), EUM_ERR_STATE);
	assert_int_equal(eum_cat_queue_space(card), 2);
	eum_card_free(card);
	card = card_with_tp("80100000 04 FFFFFFFF");
	assert_int_equal(eum_cat_send_packet(card, &da, 0x71, big, sizeof(big)), EUM_OK);
	assert_int_equal(eum_cat_queue_space(card), 1);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_refresh),
	        cmocka_unit_test(test_set_up_event_list_and_events),
	        cmocka_unit_test(test_send_short_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
