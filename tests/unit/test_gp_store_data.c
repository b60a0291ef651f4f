/*
 * STORE DATA mechanism (src/gp/store_data.c, GPCS §11.11, SGP.02 §5) with a
 * test DGI table: block numbering, assembly of DGIs split over blocks (short
 * and FF-extended lengths), BER-TLV structure, all units looked up before any
 * handler runs, response data of several handlers, the bounded buffer, one
 * sequence per card buffer (another channel takes it over), the receiving SD;
 * and with the card's own table: a list refused by one DGI applies none (the
 * card image is byte-identical after the refused command).
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

/* Validation halves: A0FF refuses, the others accept; each check is counted. */
static unsigned n_checks;

static uint16_t c_ok(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val, size_t len)
{
	(void)card;
	(void)ch;
	(void)isdp;
	(void)val;
	(void)len;
	n_checks++;
	return 0;
}

static uint16_t c_fail(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val, size_t len)
{
	c_ok(card, ch, isdp, val, len);
	return EUM_SW_CONDITIONS_NOT_SATISFIED;
}

static const struct eum_gp_dgi_handler rows[] = {
        {EUM_GP_SD_FORMAT_DGI, 0xA001, EUM_APP_ISDR, h_a001, "A001", c_ok, 0, 0},
        {EUM_GP_SD_FORMAT_DGI, 0xA002, EUM_APP_ISDR, h_a002, "A002", c_ok, 0, 0},
        {EUM_GP_SD_FORMAT_DGI, 0xA002, EUM_APP_ISDP, h_a002, "A002 (ISD-P)", c_ok, 0, 0},
        {EUM_GP_SD_FORMAT_DGI, 0xA0FF, EUM_APP_ISDR, h_fail, "A0FF", c_fail, 0, 0},
        {EUM_GP_SD_FORMAT_BER, 0x7F21, EUM_APP_ISDR, h_ber, "7F21", c_ok, 0, 0},
        {EUM_GP_SD_FORMAT_DGI, 0xA003, EUM_APP_ISDR, h_a001, "A003 (after A001)", NULL, 0xA001, 0},
        /* two units changing the same state (struct eum_gp_dgi_handler.exclusive) */
        {EUM_GP_SD_FORMAT_DGI, 0xA004, EUM_APP_ISDR, h_a001, "A004 (exclusive 1)", c_ok, 0, 1},
        {EUM_GP_SD_FORMAT_DGI, 0xA005, EUM_APP_ISDR, h_a002, "A005 (exclusive 1)", c_ok, 0, 1},
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

static struct eum_channel *isdr_channel(struct eum_vchannel *v)
{
	eum_vchannel_init(v);
	v->ch.open = 1;
	v->ch.app = EUM_APP_ISDR;
	return &v->ch;
}

/* A01 split over three blocks, with an FF-coded length of 300, then A002. */
static void test_assembly(void **state)
{
	eum_card *card = gpt_card();
	struct eum_vchannel vch;
	struct eum_channel *ch = isdr_channel(&vch);
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
		assert_int_equal(sd(card, ch, last ? 0x88 : 0x08, p2++, blk, k, &rl), 0x9000);
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
	assert_int_equal(card->gp->sd_len, 0);
	assert_int_equal(sd(card, ch, 0x88, 0x01, (const uint8_t *)"\xA0\x02\x00", 3, NULL), 0x6A86);
	eum_card_free(card);
}

static void test_lookup_before_dispatch(void **state)
{
	eum_card *card = gpt_card();
	struct eum_vchannel vch;
	struct eum_channel *ch = isdr_channel(&vch);
	size_t rl;

	(void)state;
	/* A001 is known, B000 is not: no handler runs at all */
	n_calls = 0;
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x01\x01\x00\xB0\x00\x00", 7, &rl), 0x6A88);
	assert_int_equal(n_calls, 0);
	/* a unit refused by its check: its SW, no data, and no handler ran at all (A001 before it is
	 * not applied: a command is all or nothing) */
	n_calls = n_checks = 0;
	assert_int_equal(sd(card, ch, 0x89, 0x00, (const uint8_t *)"\xA0\x01\x01\x00\xA0\xFF\x00", 7, &rl), 0x6985);
	assert_int_equal(n_checks, 2);
	assert_int_equal(n_calls, 0);
	assert_int_equal(rl, 0);
	/* one unit alone validates in its handler: no separate check */
	n_calls = n_checks = 0;
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\xFF\x00", 3, &rl), 0x6985);
	assert_int_equal(n_checks, 0);
	assert_int_equal(n_calls, 1);
	/* the same DGI twice, a continuation out of place: 6A80, nothing runs */
	n_calls = n_checks = 0;
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x01\x00\xA0\x01\x00", 6, &rl), 0x6A80);
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x03\x00\xA0\x01\x00", 6, &rl), 0x6A80);
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x02\x00\xA0\x03\x00", 6, &rl), 0x6A80);
	assert_int_equal(n_calls + n_checks, 0);
	/* two units of the same exclusive group: 6A80, nothing runs (the second would be checked against
	 * the state before the first changed it); each alone, or with another unit, is accepted */
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x04\x00\xA0\x05\x00", 6, &rl), 0x6A80);
	assert_int_equal(n_calls + n_checks, 0);
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x04\x00\xA0\x01\x00", 6, &rl), 0x9000);
	assert_int_equal(n_calls, 2);
	n_calls = n_checks = 0;
	/* a continuation right after its unit: the list counts as one unit */
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x01\x00\xA0\x03\x00", 6, &rl), 0x9000);
	assert_int_equal(n_checks, 0);
	assert_int_equal(n_calls, 2);
	/* truncated DGI, empty FF length */
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x01\x05\x00", 4, &rl), 0x6A80);
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\xA0\x01\xFF\x00", 4, &rl), 0x6A80);
	/* BER-TLV structure dispatches on the tag */
	n_calls = 0;
	assert_int_equal(sd(card, ch, 0x90, 0x00, (const uint8_t *)"\x7F\x21\x02\xAA\xBB", 5, &rl), 0x9000);
	assert_int_equal(n_calls, 1);
	assert_int_equal(calls[0].tag, 0x7F21);
	/* the same bytes as a DGI are another (unknown) unit */
	assert_int_equal(sd(card, ch, 0x88, 0x00, (const uint8_t *)"\x7F\x21\x02\xAA\xBB", 5, &rl), 0x6A88);
	eum_card_free(card);
}

static void test_bounds_and_takeover(void **state)
{
	eum_card *card = gpt_card();
	struct eum_vchannel va, vb;
	struct eum_channel *a = isdr_channel(&va), *b = isdr_channel(&vb);
	uint8_t blk[255];
	unsigned i;

	(void)state;
	memset(blk, 0x11, sizeof(blk));
	/* more than the buffer holds: 6A84, the sequence is gone */
	for (i = 0; i * sizeof(blk) + sizeof(blk) <= EUM_GP_STORE_DATA_MAX; i++)
		assert_int_equal(sd(card, a, 0x08, (uint8_t)i, blk, sizeof(blk), NULL), 0x9000);
	assert_int_equal(sd(card, a, 0x08, (uint8_t)i, blk, sizeof(blk), NULL), 0x6A84);
	assert_int_equal(sd(card, a, 0x08, (uint8_t)(i + 1), blk, 3, NULL), 0x6A86);
	/* channel b starts a sequence: a's sequence lost the buffer */
	assert_int_equal(sd(card, a, 0x08, 0x00, (const uint8_t *)"\xA0\x01", 2, NULL), 0x9000);
	assert_int_equal(sd(card, b, 0x08, 0x00, (const uint8_t *)"\xA0\x02", 2, NULL), 0x9000);
	assert_int_equal(sd(card, a, 0x88, 0x01, (const uint8_t *)"\x00", 1, NULL), 0x6A86);
	n_calls = 0;
	assert_int_equal(sd(card, b, 0x88, 0x01, (const uint8_t *)"\x00", 1, NULL), 0x9000);
	assert_int_equal(n_calls, 1);
	assert_int_equal(calls[0].tag, 0xA002);
	eum_card_free(card);
}

/* The receiving SD: the ISD-P's own channel, or the INSTALL [for personalization] target. */
static void test_target(void **state)
{
	eum_card *card = gpt_card();
	struct eum_vchannel vr, vp;
	struct eum_channel *r = isdr_channel(&vr), *p = &vp.ch;

	(void)state;
	eum_vchannel_init(&vp);
	p->open = 1;
	p->ota = 1;
	p->app = EUM_APP_ISDP;
	p->isdp = 0;
	n_calls = 0;
	assert_int_equal(sd(card, p, 0x88, 0x00, (const uint8_t *)"\xA0\x02\x00", 3, NULL), 0x9000);
	assert_int_equal(calls[0].isdp, 0);
	/* A001 is the ISD-R's only */
	assert_int_equal(sd(card, p, 0x88, 0x00, (const uint8_t *)"\xA0\x01\x00", 3, NULL), 0x6A88);
	r->gp->perso_active = 1;
	r->gp->perso_isdp = 0;
	assert_int_equal(sd(card, r, 0x08, 0x00, (const uint8_t *)"\xA0\x02", 2, NULL), 0x9000);
	assert_int_equal(r->gp->perso_active, 1); /* until the last block */
	assert_int_equal(sd(card, r, 0x88, 0x01, (const uint8_t *)"\x00", 1, NULL), 0x9000);
	assert_int_equal(calls[1].isdp, 0);
	assert_int_equal(r->gp->perso_active, 0);
	assert_int_equal(sd(card, r, 0x88, 0x00, (const uint8_t *)"\xA0\x02\x00", 3, NULL), 0x9000);
	assert_int_equal(calls[2].isdp, -1);
	eum_card_free(card);
}

static size_t image(eum_card *card, uint8_t *img, size_t cap)
{
	size_t len = 0;

	assert_int_equal(eum_card_save_image(card, img, cap, &len), EUM_OK);
	return len;
}

/* SGP.02 ES5 on the ISD-R: [3A07 SM-SR address][3A05 unknown AID] answers 6A88 and changes nothing. */
static void test_card_list_all_or_nothing(void **state)
{
	static uint8_t img0[1 << 16], img1[1 << 16];
	static const uint8_t addr[] = {0x3A, 0x07, 0x08, 0xA3, 0x06, 0x81, 0x04, 0x04, 0x91, 0x21, 0x43};
	uint8_t list[64];
	eum_card *card = gpt_card();
	struct eum_vchannel vch;
	struct eum_channel *ch = isdr_channel(&vch);
	struct eum_apdu a = {0};
	struct eum_rsp r = {rbuf, sizeof(rbuf), 0};
	size_t l0, l1, n = 0;

	(void)state;
	ch->ota = 1; /* as inside the ISD-R's SCP80 packet */
	memcpy(list, addr, sizeof(addr));
	n = sizeof(addr);
	memcpy(list + n, "\x3A\x05\x12\x4F\x10", 5);
	n += 5;
	memset(list + n, 0xEE, 16); /* no such ISD-P */
	n += 16;
	a.cla = 0x80;
	a.ins = 0xE2;
	a.p1 = 0x88;
	a.data = list;
	a.lc = n;
	a.cases = EUM_CASE3;
	l0 = image(card, img0, sizeof(img0));
	assert_int_equal(eum_gp_store_data_with(card, ch, &a, &r, &eum_gp_dgi_table), 0x6A88);
	l1 = image(card, img1, sizeof(img1));
	assert_int_equal(l0, l1);
	assert_memory_equal(img0, img1, l0);
	assert_int_equal(card->ps->isdr.es5.smsr_ndigits, 0);
	/* the 3A07 alone is accepted and does change the image: the comparison above can fail */
	a.lc = sizeof(addr);
	assert_int_equal(eum_gp_store_data_with(card, ch, &a, &r, &eum_gp_dgi_table), 0x9000);
	assert_int_equal(card->ps->isdr.es5.smsr_ndigits, 4);
	l1 = image(card, img1, sizeof(img1));
	assert_true(l0 != l1 || memcmp(img0, img1, l0) != 0);
	eum_card_free(card);
}

/* SGP.02 §5.3/§5.4: SetFallbackAttribute and DisableProfile of the same ISD-P in one STORE DATA:
 * 6A80 before anything is checked or applied, the image unchanged. */
static void test_card_two_profile_state_functions(void **state)
{
	static uint8_t img0[1 << 16], img1[1 << 16];
	static const uint8_t boot[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x10, 0x00};
	uint8_t list[64];
	eum_card *card = gpt_card();
	struct eum_vchannel vch;
	struct eum_channel *ch = isdr_channel(&vch);
	struct eum_apdu a = {0};
	struct eum_rsp r = {rbuf, sizeof(rbuf), 0};
	size_t l0, l1, n = 0;

	(void)state;
	ch->ota = 1; /* as inside the ISD-R's SCP80 packet */
	memcpy(list, "\x3A\x05\x12\x4F\x10", 5);
	memcpy(list + 5, boot, 16);
	memcpy(list + 21, "\x3A\x04\x12\x4F\x10", 5);
	memcpy(list + 26, boot, 16);
	n = 42;
	a.cla = 0x80;
	a.ins = 0xE2;
	a.p1 = 0x88;
	a.data = list;
	a.lc = n;
	a.cases = EUM_CASE3;
	l0 = image(card, img0, sizeof(img0));
	assert_int_equal(eum_gp_store_data_with(card, ch, &a, &r, &eum_gp_dgi_table), 0x6A80);
	assert_int_equal(r.len, 0);
	l1 = image(card, img1, sizeof(img1));
	assert_int_equal(l0, l1);
	assert_memory_equal(img0, img1, l0);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_assembly),
	        cmocka_unit_test(test_lookup_before_dispatch),
	        cmocka_unit_test(test_bounds_and_takeover),
	        cmocka_unit_test(test_target),
	        cmocka_unit_test(test_card_list_all_or_nothing),
	        cmocka_unit_test(test_card_two_profile_state_functions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
