/*
 * The card's BIP channel (src/cat/bip.c; ETSI TS 102 223 §6.4.27-§6.4.31, §7.5.10/§7.5.11, spec
 * digest scp81-https.md §2), driven the way a modem drives it: TERMINAL PROFILE, FETCH,
 * TERMINAL RESPONSE and ENVELOPE event downloads through eum_card_transmit(). The channel's user
 * is a small recorder standing in for the SCP81 admin agent. Every proactive command is compared
 * byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cat/bip.h"
#include "cat/cat.h"
#include "core/card.h"
#include "eum/eum.h"

#include "mem_storage.h"

/* TERMINAL PROFILE (TS 102 223 §5.2): SET UP EVENT LIST (byte 5 b1), data available and channel
 * status events (byte 6 b3/b4), OPEN/CLOSE CHANNEL, RECEIVE/SEND DATA, GET CHANNEL STATUS (byte
 * 12 b1-b5), one channel (byte 13 b8-b6 = 001), TCP client remote (byte 17 b1); REFRESH (byte 3
 * b8) for the queue-full test. */
#define TP_BIP       "8010000011 0000800001 0C00000000 001F200000 0001"
#define TP_BIP_2CH   "8010000011 0000800001 0C00000000 001F400000 0001"
#define TP_NO_TCP    "8010000011 0000800001 0C00000000 001F200000 0000"
#define TP_NO_CHAN   "8010000011 0000800001 0C00000000 001F000000 0001"
#define TP_NO_EVENTS "8010000011 0000800001 0000000000 001F200000 0001"

/* connection parameters as an SCP81 trigger carries them (digest §1.2: whty form, non-CR tags) */
static const uint8_t conn_whty[] = {0x35, 0x01, 0x03, 0x39, 0x02, 0x04, 0x00, 0x3C, 0x03, 0x02,
                                    0x1F, 0x90, 0x3E, 0x05, 0x21, 0x7F, 0x00, 0x00, 0x01};

/* ---- APDU helpers -------------------------------------------------------------------------- */

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*hex) {
		unsigned v;
		if (*hex == ' ') {
			hex++;
			continue;
		}
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		assert_true(n < cap);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

static uint16_t xmit_bytes(eum_card *card, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len)
{
	uint8_t r[300];
	size_t rlen = 0;

	assert_int_equal(eum_card_transmit(card, c, n, r, sizeof(r), &rlen), EUM_OK);
	assert_true(rlen >= 2);
	if (out)
		memcpy(out, r, rlen - 2);
	if (out_len)
		*out_len = rlen - 2;
	return (uint16_t)(r[rlen - 2] << 8 | r[rlen - 1]);
}

static uint16_t xmit(eum_card *card, const char *hex)
{
	uint8_t c[300];
	size_t n = unhex(hex, c, sizeof(c));

	return xmit_bytes(card, c, n, NULL, NULL);
}

/* A case 3 toolkit APDU (80 INS 00 00 Lc data): TERMINAL RESPONSE 14, ENVELOPE C2. */
static uint16_t send_data(eum_card *card, uint8_t ins, const uint8_t *d, size_t n)
{
	uint8_t c[261];

	assert_true(n > 0 && n <= 255);
	c[0] = 0x80;
	c[1] = ins;
	c[2] = c[3] = 0;
	c[4] = (uint8_t)n;
	memcpy(c + 5, d, n);
	return xmit_bytes(card, c, n + 5, NULL, NULL);
}

static uint16_t tr_hex(eum_card *card, const char *hex)
{
	uint8_t d[255];
	size_t n = unhex(hex, d, sizeof(d));

	return send_data(card, 0x14, d, n);
}

static uint16_t envelope_hex(eum_card *card, const char *hex)
{
	uint8_t d[255];
	size_t n = unhex(hex, d, sizeof(d));

	return send_data(card, 0xC2, d, n);
}

/* FETCH the command announced by sw (91xx); returns its length. */
static size_t fetch(eum_card *card, uint16_t sw, uint8_t *out)
{
	uint8_t c[5] = {0x80, 0x12, 0x00, 0x00, 0x00};
	size_t n = 0;

	if ((sw & 0xFF00) != 0x9100)
		fail_msg("expected 91xx, got %04X", sw);
	c[4] = (uint8_t)sw;
	assert_int_equal(xmit_bytes(card, c, sizeof(c), out, &n), 0x9000);
	assert_int_equal(n, sw & 0xFF);
	return n;
}

/* FETCH and compare with the expected command given in hex ("nn" = the command number, returned). */
static uint8_t fetch_expect(eum_card *card, uint16_t sw, const char *hex)
{
	uint8_t want[300], got[300];
	size_t n = 0, i, k = 0;
	const char *p = hex;
	long num_at = -1;

	while (*p) {
		unsigned v;
		if (*p == ' ') {
			p++;
			continue;
		}
		if (p[0] == 'n' && p[1] == 'n') {
			num_at = (long)k;
			want[k++] = 0;
		} else {
			assert_int_equal(sscanf(p, "%2x", &v), 1);
			want[k++] = (uint8_t)v;
		}
		p += 2;
	}
	n = fetch(card, sw, got);
	if (num_at >= 0)
		want[num_at] = got[num_at];
	if (n != k)
		fail_msg("fetched %zu bytes, expected %zu", n, k);
	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("fetched byte %zu is %02X, expected %02X", i, got[i], want[i]);
	return num_at >= 0 ? got[num_at] : 0;
}

/* ---- the channel's user: records what bip tells it ------------------------------------------ */

struct rec {
	int n;
	enum eum_bip_event ev[32];
	uint8_t result[32], info[32];
	int recv_on_data; /* take the received bytes inside the EUM_BIP_DATA callback */
	int fail_on_data; /* answer inside EUM_BIP_DATA, then fail the APDU's commit (a script's store) */
	uint8_t got[8192];
	size_t got_len;
};

static void on_event(struct eum_card *card, void *ctx, enum eum_bip_event ev, uint8_t result, uint8_t info)
{
	struct rec *r = ctx;

	assert_true(r->n < 32);
	r->ev[r->n] = ev;
	r->result[r->n] = result;
	r->info[r->n] = info;
	r->n++;
	if (ev == EUM_BIP_DATA && r->recv_on_data)
		r->got_len += eum_bip_recv(card, r->got + r->got_len, sizeof(r->got) - r->got_len);
	if (ev == EUM_BIP_DATA && r->fail_on_data) {
		static const uint8_t answer[] = {0x17, 0x03, 0x03};
		if (r->fail_on_data == 2)
			assert_int_equal(eum_bip_close(card), EUM_OK);
		else
			assert_int_equal(eum_bip_send(card, answer, sizeof(answer)), EUM_OK);
		card->txn_failed = 1; /* what the store sets when a write of this APDU failed */
	}
}

/* What the cards logged (info and above), for the tests that check a refusal says why. */
static char logbuf[16384];

static void log_hook(void *ctx, eum_log_level level, const char *msg)
{
	size_t n = strlen(logbuf);

	(void)ctx;
	if (level <= EUM_LOG_INFO && n + strlen(msg) + 2 < sizeof(logbuf))
		snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

static eum_card *card_with_tp(const char *tp)
{
	eum_card *card = NULL;
	eum_config cfg;

	eum_config_init(&cfg);
	cfg.log = log_hook;
	cfg.log_level = EUM_LOG_INFO;
	logbuf[0] = 0;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	if (tp)
		assert_int_equal(xmit(card, tp), 0x9000);
	return card;
}

static uint16_t pending_sw(eum_card *card)
{
	size_t n = eum_card_proactive_pending(card);

	return n ? (uint16_t)(0x9100 | n) : 0x9000;
}

/* Open a channel the honest way: SET UP EVENT LIST, OPEN CHANNEL, TERMINAL RESPONSE ok with
 * channel 1 and the buffer asked. */
static eum_card *open_channel_on(eum_card *card, struct rec *r)
{
	struct eum_bip_user u = {on_event, r};
	uint8_t n;

	assert_int_equal(eum_bip_open(card, conn_whty, sizeof(conn_whty), &u), EUM_OK);
	n = fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
	assert_int_equal(n, 1);
	assert_int_equal(tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00"), 0x911E);
	assert_int_equal(fetch_expect(card, 0x911E,
	                              "D0 1C 81 03 02 40 03 82 02 81 82 35 01 03 39 02 04 00 3C 03 02 1F 90 3E 05 21 "
	                              "7F 00 00 01"),
	                 0);
	assert_int_equal(tr_hex(card, "81 03 02 40 03 82 02 82 81 83 01 00 B8 02 81 00 B9 02 04 00"), 0x9000);
	assert_int_equal(r->n, 1);
	assert_int_equal(r->ev[0], EUM_BIP_OPENED);
	assert_true(eum_bip_active(card));
	return card;
}

static eum_card *open_channel(struct rec *r)
{
	return open_channel_on(card_with_tp(TP_BIP), r);
}

/* ---- tests ------------------------------------------------------------------------------------ */

/* TS 102 223 §5.2: no session without every BIP bit, a TCP client and a channel */
static void test_terminal_profile_gate(void **state)
{
	static const char *const lacking[] = {NULL, TP_NO_TCP, TP_NO_CHAN, TP_NO_EVENTS};
	struct rec r = {0};
	struct eum_bip_user u = {on_event, &r};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(lacking) / sizeof(lacking[0]); i++) {
		eum_card *card = card_with_tp(lacking[i]);
		assert_false(eum_bip_supported(card));
		assert_int_equal(eum_bip_open(card, conn_whty, sizeof(conn_whty), &u), EUM_ERR_UNSUPPORTED);
		assert_non_null(strstr(logbuf, "BIP: the terminal profile does not announce a TCP client channel"));
		assert_false(eum_bip_active(card));
		assert_int_equal(eum_card_proactive_pending(card), 0);
		eum_card_free(card);
	}
	{
		eum_card *card = card_with_tp(TP_BIP);
		assert_true(eum_bip_supported(card));
		eum_card_free(card);
	}
	assert_int_equal(r.n, 0);
}

/* §6.6.16 + §6.6.27: the exact SET UP EVENT LIST and OPEN CHANNEL; OPENED after the TR */
static void test_open_bytes(void **state)
{
	struct rec r = {0};
	eum_card *card;
	(void)state;

	card = open_channel(&r);
	assert_int_equal(card->cat->n_events, 2);
	/* a second channel is refused while one exists */
	{
		struct eum_bip_user u = {on_event, &r};
		assert_int_equal(eum_bip_open(card, conn_whty, sizeof(conn_whty), &u), EUM_ERR_STATE);
	}
	eum_card_free(card);
}

/* CR-bit tags kept, default bearer and buffer inserted, the event list kept when it has both events */
static void test_open_defaults_and_cr_tags(void **state)
{
	static const uint8_t conn[] = {0xBC, 0x03, 0x02, 0x1F, 0x90, 0xBE, 0x05, 0x21, 0x0A, 0x00, 0x00, 0x02};
	static const uint8_t events[] = {EUM_CAT_EVENT_DATA_AVAILABLE, EUM_CAT_EVENT_CHANNEL_STATUS};
	struct rec r = {0};
	struct eum_bip_user u = {on_event, &r};
	eum_card *card = card_with_tp(TP_BIP);
	(void)state;

	/* the list asked already: no SET UP EVENT LIST from bip */
	assert_int_equal(eum_cat_set_up_event_list(card, events, 2), EUM_OK);
	fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
	assert_int_equal(tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00"), 0x9000);
	assert_int_equal(eum_bip_open(card, conn, sizeof(conn), &u), EUM_OK);
	fetch_expect(card, pending_sw(card),
	             "D0 1C 81 03 nn 40 03 82 02 81 82 35 01 03 39 02 04 00 BC 03 02 1F 90 BE 05 21 0A 00 00 02");
	eum_card_free(card);
}

/* bad connection parameters: no transport, no address, UDP, malformed, unknown tag, three addresses */
static void test_open_bad_conn(void **state)
{
	static const char *const bad[] = {
	        "35 01 03 3E 05 21 7F 00 00 01",                   /* no transport level */
	        "35 01 03 3C 03 02 1F 90",                         /* no destination */
	        "3C 03 01 1F 90 3E 05 21 7F 00 00 01",             /* UDP */
	        "3C 03 02 1F 90 3E 05 21 7F 00 00",                /* truncated */
	        "3C 03 02 1F 90 3E 04 21 7F 00 00",                /* address of 3 bytes */
	        "3C 03 02 1F 90 3E 05 21 7F 00 00 01 50 01 00",    /* unknown tag */
	        "39 02 00 00 3C 03 02 1F 90 3E 05 21 7F 00 00 01", /* buffer 0 */
	        "3E 05 21 01 01 01 01 3E 05 21 02 02 02 02 3C 03 02 1F 90 3E 05 21 7F 00 00 01", /* 3 addrs */
	};
	struct rec r = {0};
	struct eum_bip_user u = {on_event, &r};
	eum_card *card = card_with_tp(TP_BIP);
	uint8_t conn[64];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = unhex(bad[i], conn, sizeof(conn));
		if (eum_bip_open(card, conn, n, &u) != EUM_ERR_PARSE)
			fail_msg("connection parameters %zu accepted", i);
		assert_false(eum_bip_active(card));
		assert_int_equal(eum_card_proactive_pending(card), 0);
	}
	/* local + destination address is fine: both kept in order */
	{
		size_t n = unhex("3E 05 21 0A 0A 0A 0A 3C 03 02 1F 90 3E 05 21 7F 00 00 01", conn, sizeof(conn));
		assert_int_equal(eum_bip_open(card, conn, n, &u), EUM_OK);
		fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
		assert_int_equal(tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00"), 0x9125);
		fetch_expect(
		        card, 0x9125,
		        "D0 23 81 03 nn 40 03 82 02 81 82 35 01 03 39 02 04 00 3E 05 21 0A 0A 0A 0A 3C 03 02 1F 90 "
		        "3E 05 21 7F 00 00 01");
	}
	eum_card_free(card);
}

/* an OPEN CHANNEL longer than one proactive command is refused before anything is queued */
static void test_open_too_long(void **state)
{
	struct rec r = {0};
	struct eum_bip_user u = {on_event, &r};
	eum_card *card = card_with_tp(TP_BIP);
	(void)state;

	{
		uint8_t big[260];
		size_t n = 0;
		big[n++] = 0x05; /* alpha identifier of 230 bytes */
		big[n++] = 0x81;
		big[n++] = 230;
		memset(big + n, 'a', 230);
		n += 230;
		n += unhex("3C 03 02 1F 90 3E 05 21 7F 00 00 01", big + n, sizeof(big) - n);
		assert_int_equal(eum_bip_open(card, big, n, &u), EUM_ERR_PARSE);
		assert_int_equal(eum_card_proactive_pending(card), 0);
		/* 9 bytes less fits exactly: D0 81 FC + 252 */
		big[2] = 221;
		memmove(big + 3 + 221, big + 3 + 230, n - 3 - 230);
		n -= 9;
		assert_int_equal(eum_bip_open(card, big, n, &u), EUM_OK);
		fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
		assert_int_equal(tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00"), 0x91FF);
		fetch(card, 0x91FF, big);
		assert_int_equal(big[0], 0xD0);
		assert_int_equal(big[1], 0x81);
		assert_int_equal(big[2], 0xFC);
		assert_int_equal(big[6], 0x40);
	}
	eum_card_free(card);
}

/* §6.4.27: refused OPEN CHANNEL -> OPEN_FAILED with result and additional information, freed */
static void test_open_failed(void **state)
{
	struct rec r = {0};
	struct eum_bip_user u = {on_event, &r};
	eum_card *card = card_with_tp(TP_BIP);
	uint8_t n;
	char tr[120];
	(void)state;

	assert_int_equal(eum_bip_open(card, conn_whty, sizeof(conn_whty), &u), EUM_OK);
	fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
	assert_int_equal(tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00"), 0x911E);
	n = fetch_expect(card, 0x911E,
	                 "D0 1C 81 03 nn 40 03 82 02 81 82 35 01 03 39 02 04 00 3C 03 02 1F 90 3E 05 21 "
	                 "7F 00 00 01");
	snprintf(tr, sizeof(tr), "81 03 %02X 40 03 82 02 82 81 83 02 3A 07 35 01 03 39 02 04 00", n);
	assert_int_equal(tr_hex(card, tr), 0x9000);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0], EUM_BIP_OPEN_FAILED);
	assert_int_equal(r.result[0], 0x3A);
	assert_int_equal(r.info[0], 0x07);
	assert_false(eum_bip_active(card));
	assert_null(card->bip);
	eum_card_free(card);
}

/* cat.c's 20/21 retry: the OPEN CHANNEL comes again; the final 20 ends it as OPEN_FAILED */
static void test_open_terminal_busy(void **state)
{
	struct rec r = {0};
	struct eum_bip_user u = {on_event, &r};
	eum_card *card = card_with_tp(TP_BIP);
	uint16_t sw;
	char tr[120];
	int i;
	(void)state;

	assert_int_equal(eum_bip_open(card, conn_whty, sizeof(conn_whty), &u), EUM_OK);
	fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
	sw = tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00");
	for (i = 0; i < 4; i++) {
		uint8_t n = fetch_expect(card, sw,
		                         "D0 1C 81 03 nn 40 03 82 02 81 82 35 01 03 39 02 04 00 3C 03 02 1F 90 "
		                         "3E 05 21 7F 00 00 01");
		assert_int_equal(n, 2);
		snprintf(tr, sizeof(tr), "81 03 %02X 40 03 82 02 82 81 83 02 20 04", n);
		sw = tr_hex(card, tr);
		if (i < 3) {
			assert_int_equal(r.n, 0);
			assert_true(eum_bip_active(card));
		}
	}
	assert_int_equal(sw, 0x9000);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0], EUM_BIP_OPEN_FAILED);
	assert_int_equal(r.result[0], 0x20);
	assert_int_equal(r.info[0], 0x04);
	assert_false(eum_bip_active(card));
	eum_card_free(card);
}

/* one SEND DATA as fetched: qualifier, device 21, B6 length BER, the bytes; TR ok, next SW back */
static uint16_t expect_send(eum_card *card, uint16_t sw, uint8_t q, const uint8_t *data, size_t len,
                            const char *tr_tail)
{
	uint8_t got[300];
	size_t n = fetch(card, sw, got), hdr = len > 127 ? 3 : 2, off = 2 + (n - 2 > 127);
	char tr[120];

	assert_int_equal(n, off + 5 + 4 + 1 + hdr - 1 + len);
	assert_int_equal(got[0], 0xD0);
	assert_int_equal(got[off], 0x81);
	assert_int_equal(got[off + 3], 0x43);
	assert_int_equal(got[off + 4], q);
	assert_memory_equal(got + off + 5, "\x82\x02\x81\x21\xB6", 5);
	if (len > 127) {
		assert_int_equal(got[off + 10], 0x81);
		assert_int_equal(got[off + 11], len);
	} else {
		assert_int_equal(got[off + 10], len);
	}
	assert_memory_equal(got + off + 9 + hdr, data, len);
	snprintf(tr, sizeof(tr), "81 03 %02X 43 %02X 82 02 82 81 83 01 00 %s", got[off + 2], q, tr_tail);
	return tr_hex(card, tr);
}

/* §6.4.30: 600 bytes -> SEND DATA 230 (00), 230 (00), 140 (01); SENT after the last */
static void test_send_600(void **state)
{
	struct rec r = {0};
	uint8_t data[600];
	eum_card *card;
	uint16_t sw;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	card = open_channel(&r);
	assert_int_equal(eum_bip_send(card, data, sizeof(data)), EUM_OK);
	assert_int_equal(eum_bip_tx_pending(card), 600);
	sw = pending_sw(card);
	assert_int_equal(sw, 0x91F5); /* D0 81 F2 + 242 */
	sw = expect_send(card, sw, 0x00, data, 230, "B7 01 FF");
	assert_int_equal(eum_bip_tx_pending(card), 370);
	assert_int_equal(r.n, 1);
	sw = expect_send(card, sw, 0x00, data + 230, 230, "37 01 FF"); /* B7 without CR bit */
	assert_int_equal(sw, 0x919B);
	sw = expect_send(card, sw, 0x01, data + 460, 140, "B7 01 FF");
	assert_int_equal(sw, 0x9000);
	assert_int_equal(eum_bip_tx_pending(card), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1], EUM_BIP_SENT);
	/* nothing over EUM_BIP_TX_MAX is taken */
	{
		static uint8_t big[EUM_BIP_TX_MAX + 1];
		assert_int_equal(eum_bip_send(card, big, sizeof(big)), EUM_ERR_BUFFER_TOO_SMALL);
		assert_int_equal(eum_bip_tx_pending(card), 0);
		assert_int_equal(eum_card_proactive_pending(card), 0);
	}
	eum_card_free(card);
}

/* result 07 with a smaller buffer: the smaller size bounds what the terminal stores before 01 */
static void test_buffer_modified(void **state)
{
	struct rec r = {0};
	struct eum_bip_user u = {on_event, &r};
	eum_card *card = card_with_tp(TP_BIP);
	uint8_t data[600];
	uint16_t sw;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ 0x5A);
	assert_int_equal(eum_bip_send(card, data, 10), EUM_ERR_STATE); /* no channel */
	assert_int_equal(eum_bip_open(card, conn_whty, sizeof(conn_whty), &u), EUM_OK);
	assert_int_equal(eum_bip_send(card, data, 10), EUM_ERR_STATE); /* not open yet */
	fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
	assert_int_equal(tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00"), 0x911E);
	fetch(card, 0x911E, data + 0); /* scratch; bytes checked in test_open_bytes */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ 0x5A);
	assert_int_equal(tr_hex(card, "81 03 02 40 03 82 02 82 81 83 01 07 38 02 81 00 39 02 01 00"), 0x9000);
	assert_int_equal(r.ev[0], EUM_BIP_OPENED);
	assert_int_equal(r.result[0], 0x07);
	assert_int_equal(eum_bip_send(card, data, sizeof(data)), EUM_OK);
	/* 256-byte buffer: 230 stored + 26 sent with it, twice, then the last 88 */
	sw = expect_send(card, pending_sw(card), 0x00, data, 230, "B7 01 1A");
	sw = expect_send(card, sw, 0x01, data + 230, 26, "B7 01 FF");
	sw = expect_send(card, sw, 0x00, data + 256, 230, "B7 01 1A");
	sw = expect_send(card, sw, 0x01, data + 486, 26, "B7 01 FF");
	sw = expect_send(card, sw, 0x01, data + 512, 88, "B7 01 FF");
	assert_int_equal(sw, 0x9000);
	assert_int_equal(r.ev[r.n - 1], EUM_BIP_SENT);
	eum_card_free(card);
}

/* A RECEIVE DATA TERMINAL RESPONSE: B6 (BER length) with the data, B7 with what is left. */
static uint16_t receive_tr(eum_card *card, uint8_t number, const uint8_t *d, size_t n, uint8_t left, int cr)
{
	uint8_t tr[255];
	size_t k = 0;

	memcpy(tr, "\x81\x03\x00\x42\x00\x82\x02\x82\x81\x83\x01\x00", 12);
	tr[2] = number;
	k = 12;
	tr[k++] = cr ? 0xB6 : 0x36;
	if (n > 127)
		tr[k++] = 0x81;
	tr[k++] = (uint8_t)n;
	memcpy(tr + k, d, n);
	k += n;
	tr[k++] = cr ? 0xB7 : 0x37;
	tr[k++] = 1;
	tr[k++] = left;
	return send_data(card, 0x14, tr, k);
}

/* §7.5.10 data available -> RECEIVE DATA; B7 != 0 -> another RECEIVE DATA; DATA to the user */
static void test_receive(void **state)
{
	struct rec r = {0};
	uint8_t data[300];
	eum_card *card;
	uint16_t sw;
	uint8_t n;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13 + 5);
	card = open_channel(&r);
	sw = envelope_hex(card, "D6 0E 99 01 09 82 02 82 81 B8 02 81 00 B7 01 FF");
	assert_int_equal(sw, 0x910E);
	n = fetch_expect(card, sw, "D0 0C 81 03 nn 42 00 82 02 81 21 B7 01 E0");
	sw = receive_tr(card, n, data, 0xE0, 0x2C, 1);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1], EUM_BIP_DATA);
	assert_int_equal(eum_bip_rx_avail(card), 0xE0);
	n = fetch_expect(card, sw, "D0 0C 81 03 nn 42 00 82 02 81 21 B7 01 2C");
	sw = receive_tr(card, n, data + 0xE0, 0x2C, 0x00, 0); /* tags without the CR bit */
	assert_int_equal(sw, 0x9000);
	assert_int_equal(eum_bip_rx_avail(card), 0x10C);
	{
		uint8_t got[400];
		assert_int_equal(eum_bip_recv(card, got, 100), 100);
		assert_int_equal(eum_bip_recv(card, got + 100, sizeof(got) - 100), 0x10C - 100);
		assert_memory_equal(got, data, 0x10C);
		assert_int_equal(eum_bip_rx_avail(card), 0);
	}
	/* a data available event for a small amount asks exactly that */
	r.recv_on_data = 1;
	sw = envelope_hex(card, "D6 0E 99 01 09 82 02 82 81 B8 02 81 00 B7 01 05");
	n = fetch_expect(card, sw, "D0 0C 81 03 nn 42 00 82 02 81 21 B7 01 05");
	assert_int_equal(receive_tr(card, n, data + 7, 5, 0, 1), 0x9000);
	assert_int_equal(r.got_len, 5);
	assert_memory_equal(r.got, data + 7, 5);
	eum_card_free(card);
}

/* the Rx buffer bounds what is asked: full, nothing is asked; room again, RECEIVE DATA asks that much */
static void test_receive_rx_full(void **state)
{
	struct rec r = {0};
	uint8_t data[EUM_BIP_RECV_MAX], got[EUM_BIP_RX_MAX];
	eum_card *card;
	uint16_t sw;
	uint8_t n;
	size_t total = 0, i;
	(void)state;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i + 3);
	card = open_channel(&r);
	sw = envelope_hex(card, "D6 0E 99 01 09 82 02 82 81 B8 02 81 00 B7 01 FF");
	/* 18 x 224 bytes, then the last 64 bytes of room */
	while (total < EUM_BIP_RX_MAX) {
		size_t want = EUM_BIP_RX_MAX - total < EUM_BIP_RECV_MAX ? EUM_BIP_RX_MAX - total : EUM_BIP_RECV_MAX;
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "D0 0C 81 03 nn 42 00 82 02 81 21 B7 01 %02X", (unsigned)want);
		n = fetch_expect(card, sw, cmd);
		sw = receive_tr(card, n, data, want, 0xFF, 1);
		total += want;
	}
	assert_int_equal(sw, 0x9000); /* no room: nothing asked although the terminal holds more */
	assert_int_equal(eum_bip_rx_avail(card), EUM_BIP_RX_MAX);
	assert_int_equal(eum_card_proactive_pending(card), 0);
	assert_int_equal(eum_bip_recv(card, got, 100), 100);
	assert_memory_equal(got, data, 100);
	fetch_expect(card, pending_sw(card), "D0 0C 81 03 nn 42 00 82 02 81 21 B7 01 64");
	eum_card_free(card);
}

/* more channel data than asked: none of it taken, the channel closed (log line) */
static void test_receive_too_long(void **state)
{
	struct rec r = {0};
	uint8_t data[32] = {0};
	eum_card *card;
	uint16_t sw;
	uint8_t n;
	(void)state;

	card = open_channel(&r);
	sw = envelope_hex(card, "D6 0E 99 01 09 82 02 82 81 B8 02 81 00 B7 01 10");
	n = fetch_expect(card, sw, "D0 0C 81 03 nn 42 00 82 02 81 21 B7 01 10");
	sw = receive_tr(card, n, data, 0x11, 0, 1);
	assert_int_equal(eum_bip_rx_avail(card), 0);
	assert_non_null(strstr(logbuf, "BIP: RECEIVE DATA gave 17 bytes for 16 asked: data refused, channel 1 closed"));
	assert_int_equal(r.n, 1); /* no DATA */
	assert_int_equal(eum_bip_send(card, data, 1), EUM_ERR_STATE);
	n = fetch_expect(card, sw, "D0 09 81 03 nn 41 00 82 02 81 21");
	{
		char tr[80];
		snprintf(tr, sizeof(tr), "81 03 %02X 41 00 82 02 82 81 83 01 00", n);
		assert_int_equal(tr_hex(card, tr), 0x9000);
	}
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1], EUM_BIP_CLOSED);
	assert_false(eum_bip_active(card));
	eum_card_free(card);
}

/* malformed TERMINAL RESPONSEs are refused with 6A80 and change nothing; the right one then works */
static void test_malformed_tr(void **state)
{
	struct rec r = {0};
	struct eum_bip_user u = {on_event, &r};
	uint8_t data[200] = {1, 2, 3};
	eum_card *card = card_with_tp(TP_BIP);
	uint16_t sw;
	uint8_t n, tr[255];
	(void)state;

	assert_int_equal(eum_bip_open(card, conn_whty, sizeof(conn_whty), &u), EUM_OK);
	fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
	assert_int_equal(tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00"), 0x911E);
	fetch(card, 0x911E, tr);
	/* channel 2 while the terminal profile announces one channel; channel 0; no channel status */
	assert_int_equal(tr_hex(card, "81 03 02 40 03 82 02 82 81 83 01 00 B8 02 82 00 B9 02 04 00"), 0x6A80);
	assert_non_null(strstr(logbuf, "BIP: OPEN CHANNEL performed without a valid channel identifier"));
	assert_int_equal(tr_hex(card, "81 03 02 40 03 82 02 82 81 83 01 00 B8 02 80 00 B9 02 04 00"), 0x6A80);
	assert_int_equal(tr_hex(card, "81 03 02 40 03 82 02 82 81 83 01 00 B9 02 04 00"), 0x6A80);
	assert_int_equal(tr_hex(card, "81 03 02 40 03 82 02 82 81 83 01 00 B8 01 81 B9 02 04 00"), 0x6A80);
	assert_int_equal(tr_hex(card, "81 03 02 40 03 82 02 82 81 83 01 00 B8 02 81 00 B9 02 00 00"), 0x6A80);
	assert_int_equal(r.n, 0);
	assert_true(eum_bip_active(card));
	assert_int_equal(eum_card_proactive_pending(card), 0); /* still fetched, awaiting its response */
	assert_int_equal(tr_hex(card, "81 03 02 40 03 82 02 82 81 83 01 00 B8 02 81 00 B9 02 04 00"), 0x9000);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0], EUM_BIP_OPENED);

	sw = envelope_hex(card, "D6 0E 99 01 09 82 02 82 81 B8 02 81 00 B7 01 C8");
	n = fetch_expect(card, sw, "D0 0C 81 03 nn 42 00 82 02 81 21 B7 01 C8");
	/* B6 81 C8 with 10 bytes of data (truncated), then a B7 of two bytes */
	memcpy(tr, "\x81\x03\x00\x42\x00\x82\x02\x82\x81\x83\x01\x00\xB6\x81\xC8", 15);
	tr[2] = n;
	memcpy(tr + 15, data, 10);
	logbuf[0] = 0;
	assert_int_equal(send_data(card, 0x14, tr, 25), 0x6A80);
	assert_non_null(strstr(logbuf, "BIP: TERMINAL RESPONSE 42 malformed (truncated data object)"));
	/* B6 81 05: a long form for a short length is not BER-minimal */
	memcpy(tr + 12, "\xB6\x81\x05\x01\x02\x03\x04\x05", 8);
	assert_int_equal(send_data(card, 0x14, tr, 20), 0x6A80);
	memcpy(tr + 12, "\xB6\x01\x07\xB7\x02\x00\x00", 7);
	assert_int_equal(send_data(card, 0x14, tr, 19), 0x6A80);
	assert_int_equal(eum_bip_rx_avail(card), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(eum_card_proactive_pending(card), 0);
	/* the honest response is taken */
	assert_int_equal(receive_tr(card, n, data, 0xC8, 0, 1), 0x9000);
	assert_int_equal(eum_bip_rx_avail(card), 0xC8);
	assert_int_equal(r.ev[1], EUM_BIP_DATA);
	eum_card_free(card);
}

/* §7.5.11 link dropped: CLOSED (info 05), the terminal's channel released by CLOSE CHANNEL */
static void test_link_dropped(void **state)
{
	struct rec r = {0};
	uint8_t data[10] = {0};
	eum_card *card;
	uint16_t sw;
	uint8_t n;
	char tr[80];
	(void)state;

	card = open_channel(&r);
	/* status of another channel, and "link up" on ours: nothing happens */
	assert_int_equal(envelope_hex(card, "D6 0B 99 01 0A 82 02 82 81 B8 02 02 05"), 0x9000);
	assert_int_equal(envelope_hex(card, "D6 0B 99 01 0A 82 02 82 81 B8 02 81 00"), 0x9000);
	assert_true(eum_bip_active(card));
	/* a SEND DATA queued, not fetched, is withdrawn */
	assert_int_equal(eum_bip_send(card, data, sizeof(data)), EUM_OK);
	assert_int_equal(eum_card_proactive_pending(card), 5 + 4 + 2 + 10 + 2);
	sw = envelope_hex(card, "D6 0B 99 01 0A 82 02 82 81 B8 02 01 05");
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1], EUM_BIP_CLOSED);
	assert_int_equal(r.info[1], 0x05);
	assert_false(eum_bip_active(card));
	assert_null(card->bip);
	n = fetch_expect(card, sw, "D0 09 81 03 nn 41 00 82 02 81 21");
	snprintf(tr, sizeof(tr), "81 03 %02X 41 00 82 02 82 81 83 01 00", n);
	assert_int_equal(tr_hex(card, tr), 0x9000);
	assert_int_equal(r.n, 2);
	eum_card_free(card);
}

/* reset (warm and cold) and power-off end the channel: CLOSED, the command in flight withdrawn */
static void test_reset(void **state)
{
	int kind;
	(void)state;

	for (kind = 0; kind < 3; kind++) {
		struct rec r = {0};
		eum_card *card = open_channel(&r);
		uint8_t d[4] = {1, 2, 3, 4};
		assert_int_equal(eum_bip_send(card, d, sizeof(d)), EUM_OK);
		assert_true(eum_card_proactive_pending(card) > 0);
		if (kind == 2)
			eum_card_power_off(card);
		assert_int_equal(eum_card_reset(card, kind != 0, NULL, 0, NULL), EUM_OK);
		assert_int_equal(r.n, 2);
		assert_int_equal(r.ev[1], EUM_BIP_CLOSED);
		assert_false(eum_bip_active(card));
		assert_int_equal(xmit(card, TP_BIP), 0x9000);
		assert_int_equal(eum_card_proactive_pending(card), 0);
		eum_card_free(card);
	}
}

/* §6.4.28: close after the Tx data went out; CLOSED with the TR */
static void test_close(void **state)
{
	struct rec r = {0};
	uint8_t data[20];
	eum_card *card;
	uint16_t sw;
	uint8_t n;
	char tr[80];
	(void)state;

	memset(data, 0xA5, sizeof(data));
	card = open_channel(&r);
	assert_int_equal(eum_bip_send(card, data, sizeof(data)), EUM_OK);
	assert_int_equal(eum_bip_close(card), EUM_OK);
	assert_int_equal(eum_bip_send(card, data, 1), EUM_ERR_STATE);
	sw = expect_send(card, pending_sw(card), 0x01, data, sizeof(data), "B7 01 FF");
	n = fetch_expect(card, sw, "D0 09 81 03 nn 41 00 82 02 81 21");
	assert_true(eum_bip_active(card));
	snprintf(tr, sizeof(tr), "81 03 %02X 41 00 82 02 82 81 83 01 00", n);
	assert_int_equal(tr_hex(card, tr), 0x9000);
	assert_int_equal(r.n, 2); /* no SENT while closing */
	assert_int_equal(r.ev[1], EUM_BIP_CLOSED);
	assert_false(eum_bip_active(card));
	assert_int_equal(eum_bip_close(card), EUM_ERR_STATE);
	eum_card_free(card);
}

/* SEND DATA failing ends the channel with the terminal's result; the channel is released */
static void test_send_failed(void **state)
{
	struct rec r = {0};
	uint8_t data[3] = {9, 8, 7};
	eum_card *card;
	uint16_t sw;
	uint8_t n;
	char tr[80];
	(void)state;

	card = open_channel(&r);
	assert_int_equal(eum_bip_send(card, data, sizeof(data)), EUM_OK);
	n = fetch_expect(card, pending_sw(card), "D0 0E 81 03 nn 43 01 82 02 81 21 B6 03 09 08 07");
	snprintf(tr, sizeof(tr), "81 03 %02X 43 01 82 02 82 81 83 02 3A 07", n);
	sw = tr_hex(card, tr);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1], EUM_BIP_CLOSED);
	assert_int_equal(r.result[1], 0x3A);
	assert_int_equal(r.info[1], 0x07);
	fetch_expect(card, sw, "D0 09 81 03 nn 41 00 82 02 81 21");
	eum_card_free(card);
}

/* a full proactive queue: the SEND DATA waits and goes after a later APDU (eum_bip_after_apdu) */
static void test_queue_full(void **state)
{
	static const uint8_t refresh[] = {0x81, 0x03, 0x00, 0x01, 0x04, 0x82, 0x02, 0x81, 0x82};
	struct rec r = {0};
	uint8_t data[5] = {1, 2, 3, 4, 5};
	eum_card *card;
	uint16_t sw;
	int i;
	(void)state;

	card = open_channel(&r);
	for (i = 0; i < EUM_CAT_QUEUE; i++)
		assert_int_equal(eum_cat_queue(card, refresh, sizeof(refresh)), EUM_OK);
	assert_int_equal(eum_bip_send(card, data, sizeof(data)), EUM_OK);
	assert_int_equal(eum_bip_tx_pending(card), 5);
	sw = pending_sw(card);
	for (i = 0; i < EUM_CAT_QUEUE; i++) {
		char tr[80];
		uint8_t n = fetch_expect(card, sw, "D0 09 81 03 nn 01 04 82 02 81 82");
		snprintf(tr, sizeof(tr), "81 03 %02X 01 04 82 02 82 81 83 01 00", n);
		sw = tr_hex(card, tr);
		/* queued after the first TERMINAL RESPONSE made room, behind the other REFRESHes */
		assert_int_equal(card->cat->count, EUM_CAT_QUEUE - 1 - i + 1);
	}
	sw = expect_send(card, sw, 0x01, data, sizeof(data), "B7 01 FF");
	assert_int_equal(sw, 0x9000);
	assert_int_equal(r.ev[r.n - 1], EUM_BIP_SENT);
	eum_card_free(card);
}

/* data available on another channel: GET CHANNEL STATUS; ours not listed as established -> CLOSED */
static void test_channel_status_query(void **state)
{
	struct rec r = {0};
	eum_card *card;
	uint16_t sw;
	uint8_t n;
	char tr[120];
	(void)state;

	card = open_channel(&r);
	sw = envelope_hex(card, "D6 0E 99 01 09 82 02 82 81 B8 02 83 00 B7 01 10");
	n = fetch_expect(card, sw, "D0 09 81 03 nn 44 00 82 02 81 82");
	snprintf(tr, sizeof(tr), "81 03 %02X 44 00 82 02 82 81 83 01 00 B8 02 81 00 B8 02 83 00", n);
	assert_int_equal(tr_hex(card, tr), 0x9000);
	assert_true(eum_bip_active(card));
	assert_int_equal(r.n, 1);
	sw = envelope_hex(card, "D6 0E 99 01 09 82 02 82 81 B8 02 83 00 B7 01 10");
	n = fetch_expect(card, sw, "D0 09 81 03 nn 44 00 82 02 81 82");
	snprintf(tr, sizeof(tr), "81 03 %02X 44 00 82 02 82 81 83 01 00 B8 02 01 00 B8 02 83 00", n);
	assert_int_equal(tr_hex(card, tr), 0x9000);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1], EUM_BIP_CLOSED);
	assert_false(eum_bip_active(card));
	eum_card_free(card);
}

/* the callback may send from inside OPENED; the TERMINAL RESPONSE answers 91xx with the SEND DATA */
static void send_on_open(struct eum_card *card, void *ctx, enum eum_bip_event ev, uint8_t result, uint8_t info)
{
	static const uint8_t hello[] = {0x16, 0x03, 0x01};
	on_event(card, ctx, ev, result, info);
	if (ev == EUM_BIP_OPENED)
		assert_int_equal(eum_bip_send(card, hello, sizeof(hello)), EUM_OK);
}

static void test_send_from_callback(void **state)
{
	struct rec r = {0};
	struct eum_bip_user u = {send_on_open, &r};
	eum_card *card = card_with_tp(TP_BIP_2CH);
	uint16_t sw;
	(void)state;

	assert_int_equal(eum_bip_open(card, conn_whty, sizeof(conn_whty), &u), EUM_OK);
	fetch_expect(card, pending_sw(card), "D0 0D 81 03 nn 05 00 82 02 81 82 99 02 09 0A");
	assert_int_equal(tr_hex(card, "81 03 01 05 00 82 02 82 81 83 01 00"), 0x911E);
	fetch(card, 0x911E, (uint8_t[300]){0});
	/* two channels announced: channel 2 is valid; later commands name device 22 */
	sw = tr_hex(card, "01 03 02 40 03 02 02 82 81 03 01 00 38 02 82 00 39 02 04 00");
	fetch_expect(card, sw, "D0 0E 81 03 nn 43 01 82 02 81 22 B6 03 16 03 01");
	eum_card_free(card);
}

/* design §6: a failed commit drops the APDU's proactive commands; the SEND DATA the user queued
 * inside it is gone, so the channel is given up (CLOSED) and released after that APDU */
static void commit_failure(int mode)
{
	static struct mem m;
	eum_storage hooks = {mem_load, mem_store, &m};
	struct rec r = {0};
	uint8_t data[16] = {0x17};
	eum_config cfg;
	eum_card *card = NULL;
	uint16_t sw;
	uint8_t n;

	memset(&m, 0, sizeof(m));
	eum_config_init(&cfg);
	cfg.storage = &hooks;
	cfg.log_level = EUM_LOG_ERROR;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	assert_int_equal(xmit(card, TP_BIP), 0x9000);
	open_channel_on(card, &r);
	r.fail_on_data = mode;
	sw = envelope_hex(card, "D6 0E 99 01 09 82 02 82 81 B8 02 81 00 B7 01 10");
	n = fetch_expect(card, sw, "D0 0C 81 03 nn 42 00 82 02 81 21 B7 01 10");
	assert_int_equal(receive_tr(card, n, data, 0x10, 0, 1), 0x6581);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ev[1], EUM_BIP_DATA);
	assert_int_equal(r.ev[2], EUM_BIP_CLOSED);
	assert_false(eum_bip_active(card));
	/* the RECEIVE DATA stays ended (cat.c eum_cat_txn_restore); the CLOSE CHANNEL releasing the
	 * terminal's channel waits for the terminal's next FETCH */
	r.fail_on_data = 0;
	assert_int_equal(eum_card_proactive_pending(card), 11);
	fetch_expect(card, 0x910B, "D0 09 81 03 nn 41 00 82 02 81 21");
	assert_int_equal(r.n, 3);
	eum_card_free(card);
}

static void test_commit_failure(void **state)
{
	(void)state;
	commit_failure(1); /* the SEND DATA of the answer is lost */
	commit_failure(2); /* the CLOSE CHANNEL is lost: queued again to release the channel */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_terminal_profile_gate),
	        cmocka_unit_test(test_open_bytes),
	        cmocka_unit_test(test_open_defaults_and_cr_tags),
	        cmocka_unit_test(test_open_bad_conn),
	        cmocka_unit_test(test_open_too_long),
	        cmocka_unit_test(test_open_failed),
	        cmocka_unit_test(test_open_terminal_busy),
	        cmocka_unit_test(test_send_600),
	        cmocka_unit_test(test_buffer_modified),
	        cmocka_unit_test(test_receive),
	        cmocka_unit_test(test_receive_rx_full),
	        cmocka_unit_test(test_receive_too_long),
	        cmocka_unit_test(test_malformed_tr),
	        cmocka_unit_test(test_link_dropped),
	        cmocka_unit_test(test_reset),
	        cmocka_unit_test(test_close),
	        cmocka_unit_test(test_send_failed),
	        cmocka_unit_test(test_queue_full),
	        cmocka_unit_test(test_channel_status_query),
	        cmocka_unit_test(test_send_from_callback),
	        cmocka_unit_test(test_commit_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
