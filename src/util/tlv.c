/*
 * Bounded TLV codecs: BER-TLV (ISO/IEC 8825-1, ISO 7816-4 §5.2.2),
 * COMPREHENSION-TLV (ETSI TS 102 223 §7.1.1), SIMPLE-TLV (ISO 7816-4 §5.2.1).
 */
#include "util/tlv.h"

#include <string.h>

void eum_tlv_reader_init(struct eum_tlv_reader *r, const uint8_t *buf, size_t len)
{
	r->p = buf;
	r->left = buf ? len : 0;
}

static int finish(struct eum_tlv_reader *r, struct eum_tlv *t, size_t hdr, size_t len)
{
	if (len > r->left - hdr)
		return EUM_TLV_MALFORMED;
	t->len = len;
	t->val = r->p + hdr;
	t->raw = r->p;
	t->raw_len = hdr + len;
	r->p += hdr + len;
	r->left -= hdr + len;
	return EUM_TLV_OK;
}

int eum_ber_next(struct eum_tlv_reader *r, struct eum_tlv *t)
{
	size_t i = 0, len, n;
	uint32_t tag;

	if (r->left == 0)
		return EUM_TLV_END;
	tag = r->p[i++];
	if ((tag & 0x1F) == 0x1F) {
		/* multi-byte tag: subsequent bytes have b8 set while more follow; at most 3 bytes in all */
		do {
			if (i >= r->left || i >= 3)
				return EUM_TLV_MALFORMED;
			tag = (tag << 8) | r->p[i];
		} while (r->p[i++] & 0x80);
	}
	if (i >= r->left)
		return EUM_TLV_MALFORMED;
	len = r->p[i++];
	if (len & 0x80) {
		n = len & 0x7F;
		if (n == 0 || n > 3 || n > r->left - i)
			return EUM_TLV_MALFORMED;
		len = 0;
		while (n--)
			len = (len << 8) | r->p[i++];
	}
	t->tag = tag;
	return finish(r, t, i, len);
}

int eum_ber_next_skip_padding(struct eum_tlv_reader *r, struct eum_tlv *t)
{
	while (r->left && (r->p[0] == 0x00 || r->p[0] == 0xFF)) {
		r->p++;
		r->left--;
	}
	return eum_ber_next(r, t);
}

int eum_ctlv_next(struct eum_tlv_reader *r, struct eum_tlv *t)
{
	size_t i = 0, len;

	if (r->left == 0)
		return EUM_TLV_END;
	if (r->p[0] == 0x7F) {
		if (r->left < 3)
			return EUM_TLV_MALFORMED;
		t->tag = ((uint32_t)(r->p[1] & 0x7F) << 8) | r->p[2];
		i = 3;
	} else {
		if (r->p[0] == 0x00 || r->p[0] == 0x80 || r->p[0] == 0xFF)
			return EUM_TLV_MALFORMED;
		t->tag = r->p[0] & 0x7F;
		i = 1;
	}
	if (i >= r->left)
		return EUM_TLV_MALFORMED;
	len = r->p[i++];
	if (len == 0x81) {
		if (i >= r->left)
			return EUM_TLV_MALFORMED;
		len = r->p[i++];
		if (len < 0x80)
			return EUM_TLV_MALFORMED;
	} else if (len == 0x82) {
		if (r->left - i < 2)
			return EUM_TLV_MALFORMED;
		len = ((size_t)r->p[i] << 8) | r->p[i + 1];
		i += 2;
	} else if (len > 0x7F) {
		return EUM_TLV_MALFORMED;
	}
	return finish(r, t, i, len);
}

int eum_stlv_next(struct eum_tlv_reader *r, struct eum_tlv *t)
{
	size_t i = 0, len;

	if (r->left == 0)
		return EUM_TLV_END;
	if (r->p[0] == 0x00 || r->p[0] == 0xFF || r->left < 2)
		return EUM_TLV_MALFORMED;
	t->tag = r->p[i++];
	len = r->p[i++];
	if (len == 0xFF) {
		if (r->left - i < 2)
			return EUM_TLV_MALFORMED;
		len = ((size_t)r->p[i] << 8) | r->p[i + 1];
		i += 2;
	}
	return finish(r, t, i, len);
}

int eum_dgi_next(struct eum_tlv_reader *r, struct eum_tlv *t)
{
	size_t i = 3, len;

	if (r->left == 0)
		return EUM_TLV_END;
	if (r->left < 3)
		return EUM_TLV_MALFORMED;
	t->tag = (uint32_t)r->p[0] << 8 | r->p[1];
	len = r->p[2];
	if (len == 0xFF) {
		if (r->left < 5)
			return EUM_TLV_MALFORMED;
		len = (size_t)r->p[3] << 8 | r->p[4];
		i = 5;
	}
	return finish(r, t, i, len);
}

int eum_ber_find(const uint8_t *buf, size_t len, uint32_t tag, struct eum_tlv *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv t;
	int rc;

	eum_tlv_reader_init(&r, buf, len);
	while ((rc = eum_ber_next(&r, &t)) == EUM_TLV_OK) {
		if (t.tag == tag) {
			*out = t;
			return EUM_TLV_OK;
		}
	}
	return rc;
}

int eum_ctlv_find(const uint8_t *buf, size_t len, uint32_t tag, struct eum_tlv *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv t;
	int rc;

	eum_tlv_reader_init(&r, buf, len);
	while ((rc = eum_ctlv_next(&r, &t)) == EUM_TLV_OK) {
		if (t.tag == tag) {
			*out = t;
			return EUM_TLV_OK;
		}
	}
	return rc;
}

int eum_ber_well_formed(const uint8_t *buf, size_t len)
{
	struct eum_tlv_reader r;
	struct eum_tlv t;
	int rc;

	eum_tlv_reader_init(&r, buf, len);
	while ((rc = eum_ber_next(&r, &t)) == EUM_TLV_OK)
		;
	return rc == EUM_TLV_END;
}

/* ---- writing ------------------------------------------------------------- */

void eum_buf_init(struct eum_buf *b, uint8_t *p, size_t cap)
{
	b->p = p;
	b->cap = p ? cap : 0;
	b->len = 0;
	b->overflow = 0;
}

void eum_buf_put(struct eum_buf *b, const void *data, size_t n)
{
	if (b->overflow || n > b->cap - b->len) {
		b->overflow = 1;
		return;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

void eum_buf_u8(struct eum_buf *b, uint8_t v)
{
	eum_buf_put(b, &v, 1);
}

void eum_buf_u16(struct eum_buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	eum_buf_put(b, x, 2);
}

void eum_buf_ber_tag(struct eum_buf *b, uint32_t tag)
{
	if (tag > 0xFFFF)
		eum_buf_u8(b, (uint8_t)(tag >> 16));
	if (tag > 0xFF)
		eum_buf_u8(b, (uint8_t)(tag >> 8));
	eum_buf_u8(b, (uint8_t)tag);
}

size_t eum_ber_len_size(size_t len)
{
	return len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 4;
}

void eum_buf_ber_len(struct eum_buf *b, size_t len)
{
	if (len >= 0x10000) {
		eum_buf_u8(b, 0x83);
		eum_buf_u8(b, (uint8_t)(len >> 16));
		eum_buf_u16(b, (uint16_t)len);
	} else if (len >= 0x100) {
		eum_buf_u8(b, 0x82);
		eum_buf_u16(b, (uint16_t)len);
	} else if (len >= 0x80) {
		eum_buf_u8(b, 0x81);
		eum_buf_u8(b, (uint8_t)len);
	} else {
		eum_buf_u8(b, (uint8_t)len);
	}
}

void eum_buf_ber_tlv(struct eum_buf *b, uint32_t tag, const void *val, size_t len)
{
	eum_buf_ber_tag(b, tag);
	eum_buf_ber_len(b, len);
	eum_buf_put(b, val, len);
}

size_t eum_buf_ber_open(struct eum_buf *b, uint32_t tag)
{
	eum_buf_ber_tag(b, tag);
	eum_buf_u8(b, 0); /* one length byte reserved; widened on close */
	return b->len;
}

static void close_len(struct eum_buf *b, size_t mark, size_t lsize, int ctlv)
{
	size_t vlen, extra;

	if (b->overflow)
		return;
	vlen = b->len - mark;
	extra = lsize - 1;
	if (extra) {
		if (extra > b->cap - b->len) {
			b->overflow = 1;
			return;
		}
		memmove(b->p + mark + extra, b->p + mark, vlen);
		b->len += extra;
	}
	if (lsize == 1) {
		b->p[mark - 1] = (uint8_t)vlen;
	} else if (lsize == 2) {
		b->p[mark - 1] = 0x81;
		b->p[mark] = (uint8_t)vlen;
	} else if (lsize == 3) {
		b->p[mark - 1] = 0x82;
		b->p[mark] = (uint8_t)(vlen >> 8);
		b->p[mark + 1] = (uint8_t)vlen;
	} else if (!ctlv) {
		b->p[mark - 1] = 0x83;
		b->p[mark] = (uint8_t)(vlen >> 16);
		b->p[mark + 1] = (uint8_t)(vlen >> 8);
		b->p[mark + 2] = (uint8_t)vlen;
	} else {
		b->overflow = 1;
	}
}

void eum_buf_ber_close(struct eum_buf *b, size_t mark)
{
	if (!b->overflow)
		close_len(b, mark, eum_ber_len_size(b->len - mark), 0);
}

void eum_buf_ctlv(struct eum_buf *b, uint8_t tag, const void *val, size_t len)
{
	eum_buf_u8(b, tag);
	if (len >= 0x80)
		eum_buf_u8(b, 0x81);
	eum_buf_u8(b, (uint8_t)len);
	eum_buf_put(b, val, len);
}

size_t eum_buf_ctlv_open(struct eum_buf *b, uint8_t tag)
{
	eum_buf_u8(b, tag);
	eum_buf_u8(b, 0);
	return b->len;
}

void eum_buf_ctlv_close(struct eum_buf *b, size_t mark)
{
	size_t vlen;

	if (b->overflow)
		return;
	vlen = b->len - mark;
	if (vlen > 0xFF) {
		b->overflow = 1;
		return;
	}
	close_len(b, mark, vlen < 0x80 ? 1 : 2, 1);
}
