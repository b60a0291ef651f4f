/*
 * Bounded TLV reading and writing: BER-TLV (ISO/IEC 8825-1 as used by
 * ISO 7816-4 and GlobalPlatform), COMPREHENSION-TLV (ETSI TS 102 223 §7.1.1)
 * and SIMPLE-TLV (ISO 7816-4 §5.2.1). Every read is checked against the
 * remaining length; nothing outside this file does pointer arithmetic on
 * TLV data (STYLE §6).
 */
#ifndef EUM_UTIL_TLV_H
#define EUM_UTIL_TLV_H

#include <stddef.h>
#include <stdint.h>

struct eum_tlv {
	uint32_t tag;       /* BER: the tag bytes big-endian (e.g. 0x7F21, 0x9F70); COMPREHENSION: CR bit cleared */
	size_t len;         /* value length */
	const uint8_t *val; /* points into the reader's buffer */
	size_t raw_len;     /* tag + length + value */
	const uint8_t *raw; /* start of the whole TLV */
};

struct eum_tlv_reader {
	const uint8_t *p;
	size_t left;
};

/* Results of the *_next functions. */
#define EUM_TLV_END       0  /* no more data */
#define EUM_TLV_OK        1  /* *t holds the next TLV */
#define EUM_TLV_MALFORMED -1 /* truncated or over-long tag/length/value */

void eum_tlv_reader_init(struct eum_tlv_reader *r, const uint8_t *buf, size_t len);
/* BER-TLV: tags of up to 3 bytes, definite lengths 00-7F, 81 xx, 82 xxxx, 83 xxxxxx.
 * Padding bytes 00 and FF between TLVs are NOT skipped (callers that allow them
 * say so with eum_ber_next_skip_padding). */
int eum_ber_next(struct eum_tlv_reader *r, struct eum_tlv *t);
int eum_ber_next_skip_padding(struct eum_tlv_reader *r, struct eum_tlv *t);
/* COMPREHENSION-TLV: 1-byte tags (CR = b8, cleared in t->tag) and 3-byte tags
 * 7F xx xx (CR = b16 of the 2-byte value); lengths 00-7F or 81 80-FF. */
int eum_ctlv_next(struct eum_tlv_reader *r, struct eum_tlv *t);
/* SIMPLE-TLV: 1-byte tag (not 00/FF), length 00-FE or FF xxxx. */
int eum_stlv_next(struct eum_tlv_reader *r, struct eum_tlv *t);

/* DGI (GlobalPlatform Card Specification §11.11.2.3, STORE DATA): 2-byte tag,
 * length 00-FE in one byte or FF followed by 2 bytes. */
int eum_dgi_next(struct eum_tlv_reader *r, struct eum_tlv *t);

/* First top-level BER-TLV with this tag. Returns EUM_TLV_OK, EUM_TLV_END (absent)
 * or EUM_TLV_MALFORMED (the data before it did not parse). */
int eum_ber_find(const uint8_t *buf, size_t len, uint32_t tag, struct eum_tlv *out);
/* Same for COMPREHENSION-TLV (tag given without CR bit). */
int eum_ctlv_find(const uint8_t *buf, size_t len, uint32_t tag, struct eum_tlv *out);
/* Check that buf is exactly a sequence of well-formed BER-TLVs. */
int eum_ber_well_formed(const uint8_t *buf, size_t len);

/* ---- writing ------------------------------------------------------------- */

/* An output buffer that records overflow instead of writing past cap; check
 * b->overflow once at the end. */
struct eum_buf {
	uint8_t *p;
	size_t cap;
	size_t len;
	int overflow;
};

void eum_buf_init(struct eum_buf *b, uint8_t *p, size_t cap);
void eum_buf_put(struct eum_buf *b, const void *data, size_t n);
void eum_buf_u8(struct eum_buf *b, uint8_t v);
void eum_buf_u16(struct eum_buf *b, uint16_t v); /* big-endian */
/* BER tag (1-3 bytes as given by the tag value) and definite length. */
void eum_buf_ber_tag(struct eum_buf *b, uint32_t tag);
void eum_buf_ber_len(struct eum_buf *b, size_t len);
void eum_buf_ber_tlv(struct eum_buf *b, uint32_t tag, const void *val, size_t len);
/* Nested constructed TLVs: open returns a mark; close fixes the length
 * (moving the value when it needs a longer length field). */
size_t eum_buf_ber_open(struct eum_buf *b, uint32_t tag);
void eum_buf_ber_close(struct eum_buf *b, size_t mark);
/* COMPREHENSION-TLV with one-byte tag (CR bit as given) and 1/2-byte length. */
void eum_buf_ctlv(struct eum_buf *b, uint8_t tag, const void *val, size_t len);
size_t eum_buf_ctlv_open(struct eum_buf *b, uint8_t tag);
void eum_buf_ctlv_close(struct eum_buf *b, size_t mark);

/* Encoded size of a BER length field for len. */
size_t eum_ber_len_size(size_t len);

#endif
