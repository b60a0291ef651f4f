/*
 * STORE DATA mechanism (src/gp/store_data.c, GPCS §11.11, SGP.02 §5) with a
 * test DGI table: block numbering, assembly of DGIs split over blocks (short
 * and FF-extended lengths), BER-TLV structure, all units looked up before any
 * handler runs, response data of several handlers, the bounded buffer, one
 * sequence per card buffer (another channel takes it over), the receiving SD.
 */
#include "gp_test.h"

#include "core/sw.h"

struct call {
	uint32_t tag;
	int isdp;
	size_t len;
	uint8_t first, last;
};
static struct call calls[8];
static size_t n_calls;

static uint16_t rec(uint32_t tag, int isdp, const uint8_t *val, size_t len, struct eum_rsp *r)
{
	assert_true(n_calls < 8);
	calls[n_calls++] = (struct call){tag, isdp, len, len ? val[0] : 0, len ? val[len - 1] : 0};
	if (r->cap >= 2) { /* answer the DGI's tag low byte and its length */
		r->data[0] = (uint8_t)tag;
		r->data[1] = (uint8_t)len;
		r->len = 2;
	}
	return EUM_SW_OK;
}

static uint16_t h_a001(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                       struct eum_rsp *r)
{
	(void)card;
	(void)ch;
	return rec(0xA001, isdp, val, len, r);
}

static uint16_t h_a002(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                       struct eum_rsp *r)
{
	(void)card;
	(void)ch;
	return rec(0xA002, isdp, val, len, r);
}

static uint16_t h_fail(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                       struct eum_rsp *r)
{
	(void)card;
	(void)ch;
	rec(0xA0FF, isdp, val, len, r);
	return EUM_SW_CONDITIONS_NOT_SATISFIED;
}

static uint16_t h_ber(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                      struct eum_rsp *r)
{
	(void)card;
	(void)ch;
	return rec(0x7F21, isdp, val, len, r);
}

static const struct eum_gp_dgi_handler rows[] = {
        {EUM_GP_SD_FORMAT_DGI, 0xA001, EUM_APP_ISDR, h_a001, "A001"},
        {EUM_GP_SD_FORMAT_DGI, 0xA002, EUM_APP_ISDR, h_a002, "A002"},
        {EUM_GP_SD_FORMAT_DGI, 0xA002, EUM_APP_ISDP, h_a002, "A002 (ISD-P)"},
        {EUM_GP_SD_FORMAT_DGI, 0xA0FF, EUM_APP_ISDR, h_fail, "A0FF"},
        {EUM_GP_SD_FORMAT_BER, 0x7F21, EUM_APP_ISDR, h_ber, "7F21"},
};
static const struct eum_gp_dgi_table tbl = {rows, sizeof(rows) / sizeof(rows[0])};

static uint8_t rbuf[EUM_RESP_MAX];

/* One STORE DATA block on a channel, straight to the mechanism. */
static uint16_t sd(eum_card *card, struct eum_channel *ch, uint8_t p1, uint8_t p2, const uint8_t *d, size_t n,
                   size_t *rlen)
{
	struct eum_apdu a = {0};
	struct eum_rsp r = {rbuf, sizeof(rbuf), 0};
	uint16_t sw;

	a.cla = 0x80;
	a.ins = 0xE2;
	a.p1 = p1;
	a.p2 = p2;
	a.data = d;
	a.lc = n;
	a.cases = EUM_CASE3;
	sw = eum_gp_store_data_with(card, ch, &a, &r, &tbl);
	if (rlen)
		*rlen = r.len;
	return sw;
}

static struct eum_channel isdr_channel(void)
{
	struct eum_channel ch = {0};

	ch.open = 1;
	ch.app = EUM_APP_ISDR;
	return ch;
}

/* A01 split over three blocks, with an FF-coded length of 300, then A002. */
static void test_assembly(void **state)
{
	eum_card *card = gpt_card();
	struct eum_channel ch = isdr_channel();
	uint8_t blk[255], all[320];
	size_t i, total = 0, off = 0, rl = 0;
	uint8_t p2 = 0;

	(void)state;
	n_calls = 0;
	all[total++] = 0xA0;
	all[total++] = 0x01;
	all[total++] = 0xFF;
	all[total++] = 0x01;
	all[total++] = 0x2C; /* 300 */
	for (i = 0; i < 300; i++)
		all[total++] = (uint8_t)(i + 1);
	all[total++] = 0xA0;
	all[total++] = 0x02;
	all[total++] = 0x02;
	all[total++] = 0x55;
	all[total++] = 0x66;
	while (off < total) {
		size_t k = total - off > 120 ? 120 : total - off;
		int last = off + k == total;
		memcpy(blk, all + off, k);
		assert_int_equal(sd(card, &ch, last ? 0x88 : 0x08, p2++, blk, k, &rl), 0x9000);
		if (!last) {
			assert_int_equal(n_calls, 0); /* nothing handled before the last block */
			assert_int_equal(rl, 0);
		}
		off += k;
	}
	assert_int_equal(n_calls, 2);
	assert_int_equal(calls[0].tag, 0xA001);
	assert_int_equal(calls[0].len, 300);
	assert_int_equal(calls[0].first, 0x01);
	assert_int_equal(calls[0].last, (uint8_t)300);
	assert_int_equal(calls[0].isdp, -1);
	assert_int_equal(calls[1].tag, 0xA002);
	assert_int_equal(calls[1].len, 2);
	/* both handlers' answers, in order */
	assert_int_equal(rl, 4);
	assert_memory_equal(rbuf, "\x01\x2C\x02\x02", 4);
	/* the sequence is over: the buffer is wiped, block 01 is out of sequence */
	assert_int_equal(card->gp.sd_len, 0);
	assert_int_equal(sd(card, &ch, 0x88, 0x01, (const uint8_t *)"\xA0\x02\x00", 3, NULL), 0x6A86);
	eum_card_free(card);
}

static void test_lookup_before_dispatch(void **state)
{
	eum_card *card = gpt_card();
	struct eum_channel ch = isdr_channel();
	size_t rl;

	(void)state;
	/* A001 is known, B000 is not: no handler runs at all */
	n_calls = 0;
	assert_int_equal(sd(card, &ch, 0x88, 0x00, (const uint8_t *)"\xA0\x01\x01\x00\xB0\x00\x00", 7, &rl), 0x6A88);
	assert_int_equal(n_calls, 0);
	/* a handler refusing: its SW, no data */
	n_calls = 0;
	assert_int_equal(sd(card, &ch, 0x89, 0x00, (const uint8_t *)"\xA0\x01\x01\x00\xA0\xFF\x00", 7, &rl), 0x6985);
	assert_int_equal(n_calls, 2);
	assert_int_equal(rl, 0);
	/* truncated DGI, empty FF length */
	assert_int_equal(sd(card, &ch, 0x88, 0x00, (const uint8_t *)"\xA0\x01\x05\x00", 4, &rl), 0x6A80);
	assert_int_equal(sd(card, &ch, 0x88, 0x00, (const uint8_t *)"\xA0\x01\xFF\x00", 4, &rl), 0x6A80);
	/* BER-TLV structure dispatches on the tag */
	n_calls = 0;
	assert_int_equal(sd(card, &ch, 0x90, 0x00, (const uint8_t *)"\x7F\x21\x02\xAA\xBB", 5, &rl), 0x9000);
	assert_int_equal(n_calls, 1);
	assert_int_equal(calls[0].tag, 0x7F21);
	/* the same bytes as a DGI are another (unknown) unit */
	assert_int_equal(sd(card, &ch, 0x88, 0x00, (const uint8_t *)"\x7F\x21\x02\xAA\xBB", 5, &rl), 0x6A88);
	eum_card_free(card);
}

static void test_bounds_and_takeover(void **state)
{
	eum_card *card = gpt_card();
	struct eum_channel a = isdr_channel(), b = isdr_channel();
	uint8_t blk[255];
	unsigned i;

	(void)state;
	memset(blk, 0x11, sizeof(blk));
	/* more than the buffer holds: 6A84, the sequence is gone */
	for (i = 0; i * sizeof(blk) + sizeof(blk) <= EUM_GP_STORE_DATA_MAX; i++)
		assert_int_equal(sd(card, &a, 0x08, (uint8_t)i, blk, sizeof(blk), NULL), 0x9000);
	assert_int_equal(sd(card, &a, 0x08, (uint8_t)i, blk, sizeof(blk), NULL), 0x6A84);
	assert_int_equal(sd(card, &a, 0x08, (uint8_t)(i + 1), blk, 3, NULL), 0x6A86);
	/* channel b starts a sequence: a's sequence lost the buffer */
	assert_int_equal(sd(card, &a, 0x08, 0x00, (const uint8_t *)"\xA0\x01", 2, NULL), 0x9000);
	assert_int_equal(sd(card, &b, 0x08, 0x00, (const uint8_t *)"\xA0\x02", 2, NULL), 0x9000);
	assert_int_equal(sd(card, &a, 0x88, 0x01, (const uint8_t *)"\x00", 1, NULL), 0x6A86);
	n_calls = 0;
	assert_int_equal(sd(card, &b, 0x88, 0x01, (const uint8_t *)"\x00", 1, NULL), 0x9000);
	assert_int_equal(n_calls, 1);
	assert_int_equal(calls[0].tag, 0xA002);
	eum_card_free(card);
}

/* The receiving SD: the ISD-P's own channel, or the INSTALL [for personalization] target. */
static void test_target(void **state)
{
	eum_card *card = gpt_card();
	struct eum_channel r = isdr_channel(), p = {0};

	(void)state;
	p.open = 1;
	p.ota = 1;
	p.app = EUM_APP_ISDP;
	p.isdp = 0;
	n_calls = 0;
	assert_int_equal(sd(card, &p, 0x88, 0x00, (const uint8_t *)"\xA0\x02\x00", 3, NULL), 0x9000);
	assert_int_equal(calls[0].isdp, 0);
	/* A001 is the ISD-R's only */
	assert_int_equal(sd(card, &p, 0x88, 0x00, (const uint8_t *)"\xA0\x01\x00", 3, NULL), 0x6A88);
	r.gp.perso_active = 1;
	r.gp.perso_isdp = 0;
	assert_int_equal(sd(card, &r, 0x08, 0x00, (const uint8_t *)"\xA0\x02", 2, NULL), 0x9000);
	assert_int_equal(r.gp.perso_active, 1); /* until the last block */
	assert_int_equal(sd(card, &r, 0x88, 0x01, (const uint8_t *)"\x00", 1, NULL), 0x9000);
	assert_int_equal(calls[1].isdp, 0);
	assert_int_equal(r.gp.perso_active, 0);
	assert_int_equal(sd(card, &r, 0x88, 0x00, (const uint8_t *)"\xA0\x02\x00", 3, NULL), 0x9000);
	assert_int_equal(calls[2].isdp, -1);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_assembly),
	        cmocka_unit_test(test_lookup_before_dispatch),
	        cmocka_unit_test(test_bounds_and_takeover),
	        cmocka_unit_test(test_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
