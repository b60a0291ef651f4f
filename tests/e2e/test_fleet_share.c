/*
 * Default cards share their bootstrap profile's files (decoded once per process, a read-only pool:
 * src/fs/fs.h, src/profile/bootstrap.c) until they write them: copy-on-write per file body and per
 * file table. Driven through APDUs only: a card's UPDATE BINARY, UPDATE RECORD, INCREASE and
 * DEACTIVATE FILE are seen by that card and by no other card (neither one created before nor one
 * created after), and a card's state image saved and reloaded is byte-exact.
 */
#include "test_aka_modem.h"

#define USIM_AID "A0000000871002FFFFFFFF8907090000"

struct flash {
	uint8_t img[256 * 1024];
	size_t len;
};

static int flash_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct flash *f = ctx;

	if (!f->len)
		return EUM_ERR_NOT_FOUND;
	*len = f->len;
	if (!buf || cap < f->len)
		return buf ? EUM_ERR_BUFFER_TOO_SMALL : EUM_OK;
	memcpy(buf, f->img, f->len);
	return EUM_OK;
}

static int flash_store(void *ctx, const uint8_t *img, size_t len)
{
	struct flash *f = ctx;

	if (len > sizeof(f->img))
		return EUM_ERR_STORAGE;
	memcpy(f->img, img, len);
	f->len = len;
	return EUM_OK;
}

/* The USIM selected, PIN1 verified (the files below need it). */
static void usim_session(eum_card *card)
{
	struct modem_rsp r;

	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	assert_int_equal(modem_hex(card, "00A4040410" USIM_AID "00", &r), 0x9000);
	assert_int_equal(modem_verify(card, 0x01, "1234"), 0x9000);
}

/* READ BINARY of EF.LI (6F05, 4 bytes) into out. */
static void read_li(eum_card *card, uint8_t out[4])
{
	struct modem_rsp r;

	assert_int_equal(modem_hex(card, "00A4000C026F05", &r), 0x9000);
	assert_int_equal(modem_hex(card, "00B0000004", &r), 0x9000);
	assert_int_equal(r.len, 4);
	memcpy(out, r.data, 4);
}

/* READ RECORD n of EF.MSISDN (6F40, 26-byte records). */
static void read_msisdn(eum_card *card, unsigned n, uint8_t out[26])
{
	struct modem_rsp r;
	char c[32];

	assert_int_equal(modem_hex(card, "00A4000C026F40", &r), 0x9000);
	snprintf(c, sizeof(c), "00B2%02X041A", n);
	assert_int_equal(modem_hex(card, c, &r), 0x9000);
	assert_int_equal(r.len, 26);
	memcpy(out, r.data, 26);
}

/* Record 1 of the cyclic EF.ACM (6F39, 3-byte records). */
static void read_acm(eum_card *card, uint8_t out[3])
{
	struct modem_rsp r;

	assert_int_equal(modem_hex(card, "00A4000C026F39", &r), 0x9000);
	assert_int_equal(modem_hex(card, "00B2010403", &r), 0x9000);
	assert_int_equal(r.len, 3);
	memcpy(out, r.data, 3);
}

/* Life cycle status of EF.LI: 04 when SELECT warns 6283 (TS 102 221 §10.2.1.2: selected file
 * deactivated), else the FCP's tag 8A. */
static uint8_t li_lcs(eum_card *card)
{
	struct modem_rsp r;
	const uint8_t *v;
	size_t n = 0;
	uint16_t sw = modem_hex(card, "00A40004026F0500", &r);

	if (sw == 0x6283)
		return 0x04;
	assert_int_equal(sw, 0x9000);
	v = fcp_find(&r, 0x8A, &n);
	assert_non_null(v);
	assert_int_equal(n, 1);
	return v[0];
}

/* What a default card holds in these files, read from a fresh card. */
struct view {
	uint8_t li[4], msisdn1[26], msisdn2[26], acm[3];
	uint8_t lcs;
};

static void read_view(eum_card *card, struct view *v)
{
	usim_session(card);
	read_li(card, v->li);
	read_msisdn(card, 1, v->msisdn1);
	read_msisdn(card, 2, v->msisdn2);
	read_acm(card, v->acm);
	v->lcs = li_lcs(card);
}

static void assert_view_equal(const struct view *a, const struct view *b)
{
	assert_memory_equal(a->li, b->li, 4);
	assert_memory_equal(a->msisdn1, b->msisdn1, 26);
	assert_memory_equal(a->msisdn2, b->msisdn2, 26);
	assert_memory_equal(a->acm, b->acm, 3);
	assert_int_equal(a->lcs, b->lcs);
}

static size_t save(eum_card *card, uint8_t *img, size_t cap)
{
	size_t len = 0;

	assert_int_equal(eum_card_save_image(card, img, cap, &len), EUM_OK);
	return len;
}

static void test_writes_stay_private(void **state)
{
	static uint8_t img_a[256 * 1024], img_b[256 * 1024], img_c[256 * 1024], img_r[256 * 1024];
	static struct flash fl;
	eum_card *a = modem_card(NULL), *b = modem_card(NULL), *c, *r;
	struct view fresh, va, vb, vc, vr;
	struct modem_rsp rsp;
	eum_config cfg;
	eum_storage st = {flash_load, flash_store, &fl};
	size_t la, lb, lc, lr;

	(void)state;
	read_view(b, &fresh);
	assert_memory_equal(fresh.li, "\x65\x6E\xFF\xFF", 4); /* "en", examples/profiles/bootstrap.conf */
	assert_memory_equal(fresh.acm, "\x00\x00\x00", 3);
	assert_int_equal(fresh.lcs, 0x05);

	/* card a writes four ways: a transparent body, a record, a cyclic EF, a file's life cycle */
	usim_session(a);
	assert_int_equal(modem_hex(a, "00A4000C026F05", &rsp), 0x9000);
	assert_int_equal(modem_hex(a, "00D6000004 6465FFFF", &rsp), 0x9000); /* TS 102 221 §11.1.4 */
	assert_int_equal(modem_hex(a, "00A4000C026F40", &rsp), 0x9000);
	assert_int_equal(modem_hex(a,
	                           "00DC01041A 11111111111111111111111111111111111111111111111111"
	                           "11",
	                           &rsp),
	                 0x9000); /* §11.1.6, record 1 absolute */
	assert_int_equal(modem_hex(a, "00A4000C026F39", &rsp), 0x9000);
	assert_int_equal(modem_hex(a, "803200000301020300", &rsp), 0x9000); /* INCREASE §11.1.8 by 010203 */
	assert_int_equal(modem_verify(a, 0x0A, "88888888"), 0x9000);
	assert_int_equal(modem_hex(a, "00040000026F05", &rsp), 0x9000); /* DEACTIVATE FILE §11.1.14 */

	/* a sees its writes */
	assert_int_equal(li_lcs(a), 0x04);
	assert_int_equal(modem_hex(a, "00A4000C026F05", &rsp), 0x6283);
	assert_int_equal(modem_hex(a, "00440000026F05", &rsp), 0x9000); /* ACTIVATE FILE again */
	read_view(a, &va);
	assert_memory_equal(va.li, "\x64\x65\xFF\xFF", 4);
	assert_memory_equal(va.msisdn1, "\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11\x11", 13);
	assert_memory_equal(va.msisdn2, fresh.msisdn2, 26);
	assert_memory_equal(va.acm, "\x01\x02\x03", 3);
	assert_int_equal(va.lcs, 0x05);
	assert_int_equal(modem_verify(a, 0x0A, "88888888"), 0x9000);
	assert_int_equal(modem_hex(a, "00040000026F05", &rsp), 0x9000);
	assert_int_equal(li_lcs(a), 0x04);

	/* b (created before the writes) and c (after) never see them */
	read_view(b, &vb);
	assert_view_equal(&vb, &fresh);
	c = modem_card(NULL);
	read_view(c, &vc);
	assert_view_equal(&vc, &fresh);

	/* persistence: b's and c's images are a fresh card's; a's reloads byte-exact, with a's files */
	la = save(a, img_a, sizeof(img_a));
	lb = save(b, img_b, sizeof(img_b));
	lc = save(c, img_c, sizeof(img_c));
	assert_int_equal(lb, lc);
	assert_memory_equal(img_b, img_c, lb);
	assert_true(la != lb || memcmp(img_a, img_b, la) != 0);
	memcpy(fl.img, img_a, la);
	fl.len = la;
	eum_config_init(&cfg);
	cfg.storage = &st;
	assert_int_equal(eum_card_new(&r, &cfg), EUM_OK);
	lr = save(r, img_r, sizeof(img_r));
	assert_int_equal(lr, la);
	assert_memory_equal(img_r, img_a, la);
	usim_session(r);
	assert_int_equal(li_lcs(r), 0x04);

	/* the cards go in any order; the shared files outlive a and b for c */
	eum_card_free(a);
	eum_card_free(b);
	read_view(c, &vc);
	assert_view_equal(&vc, &fresh);
	eum_card_free(c);
	/* every default card gone: the next one decodes the package again, same files */
	c = modem_card(NULL);
	read_view(c, &vc);
	assert_view_equal(&vc, &fresh);
	eum_card_free(c);
	usim_session(r);
	read_msisdn(r, 1, vr.msisdn1);
	assert_memory_equal(vr.msisdn1, va.msisdn1, 26);
	read_acm(r, vr.acm);
	assert_memory_equal(vr.acm, va.acm, 3);
	eum_card_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_writes_stay_private),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
