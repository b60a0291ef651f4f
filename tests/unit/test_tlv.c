/*
 * Bounded TLV codecs (src/util/tlv.h): BER-TLV as ISO/IEC 8825-1 / ISO 7816-4 §5.2.2 use it,
 * COMPREHENSION-TLV (ETSI TS 102 223 §7.1.1), SIMPLE-TLV (ISO 7816-4 §5.2.1), and the eum_buf
 * writer. Reader vectors are one line each: input hex, expected result, and for EUM_TLV_OK the
 * tag, value length and header length. Every truncation of every well-formed vector is
 * replayed and must be refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/hex.h"
#include "util/tlv.h"

enum kind { BER, CTLV, STLV };

struct rd_vec {
	enum kind kind;
	const char *hex; /* the whole input; a value shorter than 300 bytes is given in full */
	size_t pad;      /* this many extra value bytes (00) appended after hex */
	int rc;
	uint32_t tag;
	size_t len;
	size_t hdr;
};

static const struct rd_vec rd_vecs[] = {
        /* BER-TLV */
        {BER, "", 0, EUM_TLV_END, 0, 0, 0},
        {BER, "8001AA", 0, EUM_TLV_OK, 0x80, 1, 2},
        {BER, "8000", 0, EUM_TLV_OK, 0x80, 0, 2},
        {BER, "5F2001AA", 0, EUM_TLV_OK, 0x5F20, 1, 3},       /* two-byte tag */
        {BER, "9F810102AABB", 0, EUM_TLV_OK, 0x9F8101, 2, 4}, /* three-byte tag */
        {BER, "7F4900", 0, EUM_TLV_OK, 0x7F49, 0, 3},
        {BER, "9F81818100", 0, EUM_TLV_MALFORMED, 0, 0, 0},     /* four-byte tag: beyond what we accept */
        {BER, "1F", 0, EUM_TLV_MALFORMED, 0, 0, 0},             /* multi-byte tag cut after the first byte */
        {BER, "9F81", 0, EUM_TLV_MALFORMED, 0, 0, 0},           /* cut inside the tag */
        {BER, "80", 0, EUM_TLV_MALFORMED, 0, 0, 0},             /* no length */
        {BER, "8080", 0, EUM_TLV_MALFORMED, 0, 0, 0},           /* indefinite length */
        {BER, "808400000001AA", 0, EUM_TLV_MALFORMED, 0, 0, 0}, /* four length bytes */
        {BER, "8081", 0, EUM_TLV_MALFORMED, 0, 0, 0},           /* long form without its byte */
        {BER, "808201", 0, EUM_TLV_MALFORMED, 0, 0, 0},         /* long form cut */
        {BER, "800201", 0, EUM_TLV_MALFORMED, 0, 0, 0},         /* value cut */
        {BER, "8081FF", 0xFF, EUM_TLV_OK, 0x80, 0xFF, 3},
        {BER, "80820100", 0x100, EUM_TLV_OK, 0x80, 0x100, 4},
        {BER, "8083010000", 0x10000, EUM_TLV_OK, 0x80, 0x10000, 5},
        {BER, "8083010000", 0xFFFF, EUM_TLV_MALFORMED, 0, 0, 0}, /* one byte short */
        {BER, "A5038001718A0105", 0, EUM_TLV_OK, 0xA5, 3, 2},    /* first of two */
        /* COMPREHENSION-TLV: CR bit cleared in the tag */
        {CTLV, "", 0, EUM_TLV_END, 0, 0, 0},
        {CTLV, "8103011300", 0, EUM_TLV_OK, 0x01, 3, 2},
        {CTLV, "0103011300", 0, EUM_TLV_OK, 0x01, 3, 2},
        {CTLV, "7F800102AABB", 0, EUM_TLV_OK, 0x0001, 2, 4}, /* three-byte tag, CR set */
        {CTLV, "7F000102AABB", 0, EUM_TLV_OK, 0x0001, 2, 4}, /* three-byte tag, CR clear */
        {CTLV, "7F80", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {CTLV, "0000", 0, EUM_TLV_MALFORMED, 0, 0, 0}, /* 00, 80 and FF are not tags */
        {CTLV, "8000", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {CTLV, "FF00", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {CTLV, "01", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {CTLV, "018180", 0x80, EUM_TLV_OK, 0x01, 0x80, 3},
        {CTLV, "01817F", 0x7F, EUM_TLV_MALFORMED, 0, 0, 0}, /* 81 is for 80-FF only */
        {CTLV, "0181", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {CTLV, "01820100", 0x100, EUM_TLV_OK, 0x01, 0x100, 4},
        {CTLV, "018201", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {CTLV, "0183000001", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {CTLV, "0102AA", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        /* SIMPLE-TLV */
        {STLV, "", 0, EUM_TLV_END, 0, 0, 0},
        {STLV, "0102AABB", 0, EUM_TLV_OK, 0x01, 2, 2},
        {STLV, "FE00", 0, EUM_TLV_OK, 0xFE, 0, 2},
        {STLV, "0002AABB", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {STLV, "FF02AABB", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {STLV, "01", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {STLV, "01FE", 0xFE, EUM_TLV_OK, 0x01, 0xFE, 2},
        {STLV, "01FF0100", 0x100, EUM_TLV_OK, 0x01, 0x100, 4},
        {STLV, "01FF01", 0, EUM_TLV_MALFORMED, 0, 0, 0},
        {STLV, "0103AA", 0, EUM_TLV_MALFORMED, 0, 0, 0},
};

static int next_of(enum kind k, struct eum_tlv_reader *r, struct eum_tlv *t)
{
	switch (k) {
	case BER:
		return eum_ber_next(r, t);
	case CTLV:
		return eum_ctlv_next(r, t);
	default:
		return eum_stlv_next(r, t);
	}
}

/* Decode a vector into a fresh heap buffer of exactly its length (so ASan sees over-reads). */
static uint8_t *vec_bytes(const struct rd_vec *v, size_t *n)
{
	size_t hlen = strlen(v->hex) / 2;
	uint8_t *b = malloc(hlen + v->pad + 1);

	assert_non_null(b);
	assert_int_equal(eum_hex_decode(v->hex, b, hlen + 1), (long)hlen);
	memset(b + hlen, 0x00, v->pad);
	*n = hlen + v->pad;
	return b;
}

static void test_reader_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rd_vecs) / sizeof(rd_vecs[0]); i++) {
		const struct rd_vec *v = &rd_vecs[i];
		struct eum_tlv_reader r;
		struct eum_tlv t;
		size_t n;
		uint8_t *b = vec_bytes(v, &n);
		int rc;

		memset(&t, 0, sizeof(t));
		eum_tlv_reader_init(&r, b, n);
		rc = next_of(v->kind, &r, &t);
		if (rc != v->rc)
			fail_msg("vector %zu (%s): rc %d, expected %d", i, v->hex, rc, v->rc);
		if (rc == EUM_TLV_OK) {
			assert_int_equal(t.tag, v->tag);
			assert_int_equal(t.len, v->len);
			assert_ptr_equal(t.raw, b);
			assert_int_equal(t.raw_len, v->hdr + v->len);
			assert_ptr_equal(t.val, b + v->hdr);
			/* the reader moved past exactly this TLV */
			assert_ptr_equal(r.p, b + v->hdr + v->len);
			assert_int_equal(r.left, n - v->hdr - v->len);
		} else {
			/* a refused TLV consumes nothing */
			assert_ptr_equal(r.p, b);
			assert_int_equal(r.left, n);
		}
		free(b);
	}
}

/* Every strict prefix of a well-formed TLV is truncated: MALFORMED (END when empty). For long
 * values the cuts inside the value body are sampled (first bytes and the last one). */
static void test_reader_every_truncation(void **state)
{
	size_t i, cut;

	(void)state;
	for (i = 0; i < sizeof(rd_vecs) / sizeof(rd_vecs[0]); i++) {
		const struct rd_vec *v = &rd_vecs[i];
		size_t n, whole;
		uint8_t *b;

		if (v->rc != EUM_TLV_OK)
			continue;
		b = vec_bytes(v, &n);
		whole = v->hdr + v->len;
		for (cut = 0; cut < whole; cut++) {
			/* long values: every cut in the header and the first value bytes, then the last one */
			if (cut > v->hdr + 2 && cut < whole - 1)
				continue;
			struct eum_tlv_reader r;
			struct eum_tlv t;
			uint8_t *p = malloc(cut ? cut : 1); /* exact size: ASan catches a read past the cut */
			int rc;

			assert_non_null(p);
			memcpy(p, b, cut);
			eum_tlv_reader_init(&r, p, cut);
			rc = next_of(v->kind, &r, &t);
			if (rc != (cut == 0 ? EUM_TLV_END : EUM_TLV_MALFORMED))
				fail_msg("vector %zu (%s) cut to %zu bytes: rc %d", i, v->hex, cut, rc);
			free(p);
		}
		free(b);
	}
}

static void test_reader_sequence_and_find(void **state)
{
	/* an FCP-like sequence: 82 02 4121, 83 02 2FE2, 8A 01 05, 88 00 */
	static const uint8_t seq[] = {0x82, 0x02, 0x41, 0x21, 0x83, 0x02, 0x2F, 0xE2, 0x8A, 0x01, 0x05, 0x88, 0x00};
	static const uint32_t tags[] = {0x82, 0x83, 0x8A, 0x88};
	static const uint8_t bad[] = {0x82, 0x02, 0x41, 0x21, 0x83, 0x05, 0x2F};
	static const uint8_t padded[] = {0x00, 0xFF, 0x00, 0x80, 0x01, 0xAA, 0xFF, 0x81, 0x00, 0x00};
	static const uint8_t ctlv[] = {0x81, 0x03, 0x01, 0x13, 0x00, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00};
	struct eum_tlv_reader r;
	struct eum_tlv t;
	size_t i;

	(void)state;
	eum_tlv_reader_init(&r, seq, sizeof(seq));
	for (i = 0; i < 4; i++) {
		assert_int_equal(eum_ber_next(&r, &t), EUM_TLV_OK);
		assert_int_equal(t.tag, tags[i]);
	}
	assert_int_equal(t.len, 0);
	assert_int_equal(eum_ber_next(&r, &t), EUM_TLV_END);
	assert_int_equal(eum_ber_next(&r, &t), EUM_TLV_END);

	assert_int_equal(eum_ber_find(seq, sizeof(seq), 0x8A, &t), EUM_TLV_OK);
	assert_int_equal(t.len, 1);
	assert_int_equal(t.val[0], 0x05);
	assert_ptr_equal(t.raw, seq + 8);
	assert_int_equal(eum_ber_find(seq, sizeof(seq), 0x84, &t), EUM_TLV_END);
	assert_int_equal(eum_ber_find(bad, sizeof(bad), 0x8A, &t), EUM_TLV_MALFORMED);
	/* a tag found before the damage is still found */
	assert_int_equal(eum_ber_find(bad, sizeof(bad), 0x82, &t), EUM_TLV_OK);

	assert_true(eum_ber_well_formed(seq, sizeof(seq)));
	assert_true(eum_ber_well_formed(seq, 0));
	assert_false(eum_ber_well_formed(seq, sizeof(seq) - 1));
	assert_false(eum_ber_well_formed(bad, sizeof(bad)));

	/* padding 00/FF between TLVs is skipped only on request */
	eum_tlv_reader_init(&r, padded, sizeof(padded));
	assert_int_equal(eum_ber_next_skip_padding(&r, &t), EUM_TLV_OK);
	assert_int_equal(t.tag, 0x80);
	assert_int_equal(t.val[0], 0xAA);
	assert_int_equal(eum_ber_next_skip_padding(&r, &t), EUM_TLV_OK);
	assert_int_equal(t.tag, 0x81);
	assert_int_equal(eum_ber_next_skip_padding(&r, &t), EUM_TLV_END);
	eum_tlv_reader_init(&r, padded, sizeof(padded));
	/* without skipping, 00 FF reads as tag 00 with a long-form length of 7F bytes: refused */
	assert_int_equal(eum_ber_next(&r, &t), EUM_TLV_MALFORMED);

	/* COMPREHENSION-TLV find ignores the CR bit */
	assert_int_equal(eum_ctlv_find(ctlv, sizeof(ctlv), 0x03, &t), EUM_TLV_OK);
	assert_int_equal(t.len, 1);
	assert_int_equal(t.val[0], 0x00);
	assert_int_equal(eum_ctlv_find(ctlv, sizeof(ctlv), 0x05, &t), EUM_TLV_END);
	assert_int_equal(eum_ctlv_find(ctlv, sizeof(ctlv) - 1, 0x03, &t), EUM_TLV_MALFORMED);

	/* a NULL buffer reads as empty */
	eum_tlv_reader_init(&r, NULL, 10);
	assert_int_equal(r.left, 0);
	assert_int_equal(eum_ber_next(&r, &t), EUM_TLV_END);
}

/* ---- writer ---------------------------------------------------------------------------------- */

static void expect_hex(const struct eum_buf *b, const char *hex)
{
	uint8_t want[512];
	long n = eum_hex_decode(hex, want, sizeof(want));

	assert_true(n >= 0);
	assert_false(b->overflow);
	assert_int_equal(b->len, (size_t)n);
	assert_memory_equal(b->p, want, (size_t)n);
}

static void test_writer_primitives(void **state)
{
	static const struct {
		size_t len;
		size_t size;
		const char *hex;
	} lens[] = {
	        {0, 1, "00"},         {0x7F, 1, "7F"},       {0x80, 2, "8180"},        {0xFF, 2, "81FF"},
	        {0x100, 3, "820100"}, {0xFFFF, 3, "82FFFF"}, {0x10000, 4, "83010000"}, {0xFFFFFF, 4, "83FFFFFF"},
	};
	uint8_t out[64];
	struct eum_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		assert_int_equal(eum_ber_len_size(lens[i].len), lens[i].size);
		eum_buf_init(&b, out, sizeof(out));
		eum_buf_ber_len(&b, lens[i].len);
		expect_hex(&b, lens[i].hex);
	}
	eum_buf_init(&b, out, sizeof(out));
	eum_buf_ber_tag(&b, 0x80);
	eum_buf_ber_tag(&b, 0x5F20);
	eum_buf_ber_tag(&b, 0x9F8101);
	eum_buf_u16(&b, 0x1234);
	eum_buf_u8(&b, 0xAB);
	eum_buf_ber_tlv(&b, 0x83, "\x3F\x00", 2);
	eum_buf_ber_tlv(&b, 0x88, NULL, 0);
	eum_buf_ctlv(&b, 0x81, "\x01\x13\x00", 3);
	expect_hex(&b, "805F209F81011234AB83023F008800810301130"
	               "0");
}

static void test_writer_nested_widening(void **state)
{
	uint8_t out[600], body[300];
	struct eum_buf b;
	struct eum_tlv_reader r;
	struct eum_tlv t, inner;
	size_t outer, mid;

	(void)state;
	memset(body, 0x5A, sizeof(body));
	/* 62 { 82 02 7821, A5 { 200 bytes } }: A5 widens to 81 C8, 62 then to 81 CF */
	eum_buf_init(&b, out, sizeof(out));
	outer = eum_buf_ber_open(&b, 0x62);
	eum_buf_ber_tlv(&b, 0x82, "\x78\x21", 2);
	mid = eum_buf_ber_open(&b, 0xA5);
	eum_buf_put(&b, body, 200);
	eum_buf_ber_close(&b, mid);
	eum_buf_ber_close(&b, outer);
	assert_false(b.overflow);
	assert_int_equal(b.len, 3 + 4 + 3 + 200);
	assert_memory_equal(out, "\x62\x81\xCF\x82\x02\x78\x21\xA5\x81\xC8", 10);
	assert_memory_equal(out + 10, body, 200);
	/* and it reads back */
	eum_tlv_reader_init(&r, out, b.len);
	assert_int_equal(eum_ber_next(&r, &t), EUM_TLV_OK);
	assert_int_equal(t.tag, 0x62);
	assert_int_equal(t.len, 0xCF);
	assert_int_equal(eum_ber_find(t.val, t.len, 0xA5, &inner), EUM_TLV_OK);
	assert_int_equal(inner.len, 200);
	assert_int_equal(eum_ber_next(&r, &t), EUM_TLV_END);

	/* 300 bytes: the length widens to 82 01 2C */
	eum_buf_init(&b, out, sizeof(out));
	outer = eum_buf_ber_open(&b, 0x7F49);
	eum_buf_put(&b, body, 300);
	eum_buf_ber_close(&b, outer);
	assert_false(b.overflow);
	assert_int_equal(b.len, 2 + 3 + 300);
	assert_memory_equal(out, "\x7F\x49\x82\x01\x2C", 5);
	assert_memory_equal(out + 5, body, 300);

	/* short content keeps the one reserved length byte; empty too */
	eum_buf_init(&b, out, sizeof(out));
	outer = eum_buf_ber_open(&b, 0xA0);
	mid = eum_buf_ber_open(&b, 0x30);
	eum_buf_ber_close(&b, mid);
	eum_buf_ber_close(&b, outer);
	expect_hex(&b, "A0023000");

	/* COMPREHENSION-TLV open/close: 1 or 2 length bytes, never more */
	eum_buf_init(&b, out, sizeof(out));
	outer = eum_buf_ctlv_open(&b, 0xD0);
	eum_buf_put(&b, body, 0x80);
	eum_buf_ctlv_close(&b, outer);
	assert_false(b.overflow);
	assert_int_equal(b.len, 3 + 0x80);
	assert_memory_equal(out, "\xD0\x81\x80", 3);
	eum_buf_init(&b, out, sizeof(out));
	outer = eum_buf_ctlv_open(&b, 0xD0);
	eum_buf_put(&b, body, 0x100);
	eum_buf_ctlv_close(&b, outer);
	assert_true(b.overflow);
}

static void test_writer_big_widening(void **state)
{
	size_t n = 0x10000 + 10, mark;
	uint8_t *out = malloc(n + 16);
	struct eum_buf b;
	struct eum_tlv_reader r;
	struct eum_tlv t;

	(void)state;
	assert_non_null(out);
	eum_buf_init(&b, out, n + 16);
	mark = eum_buf_ber_open(&b, 0x80);
	memset(out + b.len, 0x11, n);
	b.len += n; /* content written in place */
	eum_buf_ber_close(&b, mark);
	assert_false(b.overflow);
	assert_int_equal(b.len, 1 + 4 + n);
	assert_memory_equal(out, "\x80\x83\x01\x00\x0A", 5);
	eum_tlv_reader_init(&r, out, b.len);
	assert_int_equal(eum_ber_next(&r, &t), EUM_TLV_OK);
	assert_int_equal(t.len, n);
	assert_int_equal(t.val[n - 1], 0x11);
	free(out);
}

static void test_writer_overflow(void **state)
{
	uint8_t out[8], body[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct eum_buf b;
	size_t mark;

	(void)state;
	/* a put that does not fit writes nothing, and nothing after it is written */
	eum_buf_init(&b, out, 4);
	memset(out, 0xEE, sizeof(out));
	eum_buf_put(&b, body, 3);
	eum_buf_put(&b, body, 2);
	assert_true(b.overflow);
	assert_int_equal(b.len, 3);
	eum_buf_u8(&b, 0x99);
	assert_int_equal(b.len, 3);
	assert_int_equal(out[3], 0xEE);

	/* exactly full is fine */
	eum_buf_init(&b, out, 4);
	eum_buf_u16(&b, 0x0102);
	eum_buf_u16(&b, 0x0304);
	assert_false(b.overflow);
	assert_int_equal(b.len, 4);

	/* a close that needs a wider length field than the room left overflows */
	{
		uint8_t big[0x83];
		memset(big, 0, sizeof(big));
		eum_buf_init(&b, big, sizeof(big));
		mark = eum_buf_ber_open(&b, 0x80);
		while (b.len < sizeof(big))
			eum_buf_u8(&b, 0x42);
		assert_false(b.overflow);
		eum_buf_ber_close(&b, mark);
		assert_true(b.overflow);
	}
	/* a close after an overflow leaves the flag set */
	eum_buf_init(&b, out, 3);
	mark = eum_buf_ber_open(&b, 0x30);
	eum_buf_put(&b, body, 4);
	eum_buf_ber_close(&b, mark);
	assert_true(b.overflow);

	/* a NULL buffer has no room at all */
	eum_buf_init(&b, NULL, 100);
	assert_int_equal(b.cap, 0);
	eum_buf_u8(&b, 1);
	assert_true(b.overflow);
	assert_int_equal(b.len, 0);
}

/* DGIs (GPCS §11.11.2.3): one-byte length, FF + two-byte length, and every truncation refused. */
static void test_dgi_reader(void **state)
{
	uint8_t buf[3 + 3 + 5 + 0x100];
	struct eum_tlv_reader r;
	struct eum_tlv t;
	size_t cut;

	(void)state;
	memcpy(buf, "\x3A\x01\x03\x01\x02\x03\x3A\x02\xFF\x01\x00", 11);
	memset(buf + 11, 0xAB, 0x100);
	eum_tlv_reader_init(&r, buf, sizeof(buf));
	assert_int_equal(eum_dgi_next(&r, &t), EUM_TLV_OK);
	assert_int_equal(t.tag, 0x3A01);
	assert_int_equal(t.len, 3);
	assert_ptr_equal(t.val, buf + 3);
	assert_int_equal(t.raw_len, 6);
	assert_int_equal(eum_dgi_next(&r, &t), EUM_TLV_OK);
	assert_int_equal(t.tag, 0x3A02);
	assert_int_equal(t.len, 0x100);
	assert_ptr_equal(t.val, buf + 11);
	assert_int_equal(t.raw_len, 5 + 0x100);
	assert_int_equal(eum_dgi_next(&r, &t), EUM_TLV_END);
	for (cut = 1; cut < 6; cut++) {
		eum_tlv_reader_init(&r, buf, cut);
		assert_int_equal(eum_dgi_next(&r, &t), EUM_TLV_MALFORMED);
	}
	for (cut = 7; cut < sizeof(buf); cut++) {
		eum_tlv_reader_init(&r, buf, cut);
		assert_int_equal(eum_dgi_next(&r, &t), EUM_TLV_OK);
		assert_int_equal(eum_dgi_next(&r, &t), EUM_TLV_MALFORMED);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_reader_vectors),           cmocka_unit_test(test_reader_every_truncation),
	        cmocka_unit_test(test_reader_sequence_and_find), cmocka_unit_test(test_writer_primitives),
	        cmocka_unit_test(test_writer_nested_widening),   cmocka_unit_test(test_writer_big_widening),
	        cmocka_unit_test(test_writer_overflow),          cmocka_unit_test(test_dgi_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
