/*
 * The one place that knows how a state image is framed and checksummed (src/store/image.h), for
 * the image fuzz target's "checksum fixed after mutation" variant and its mutator: without it
 * nearly every mutation dies at a CRC check and the loader's field validation and invariants are
 * never reached. Adapt this helper, and only this helper, when the image format changes.
 *
 * Format version 3: a base image "EUMSTATE" u16 version, u16 reserved, u32 payload length,
 * payload, u32 CRC-32C of everything before it; then journal records "EUMJ" u32 payload length,
 * payload, u32 CRC-32C of the record before it. A payload is sections: u8 kind, u8 ISD-P slot,
 * u16 index, u32 length, value. All integers big-endian.
 */
#ifndef EUM_FUZZ_IMAGE_FIX_H
#define EUM_FUZZ_IMAGE_FIX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/image.h"

#define FUZZ_IMG_HDR     16 /* magic, version, reserved, payload length */
#define FUZZ_REC_HDR     8  /* "EUMJ", payload length */
#define FUZZ_SECTION_HDR 8  /* kind, slot, index, length */

static inline size_t fuzz_be32(const uint8_t *p)
{
	return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

static inline void fuzz_put_crc(uint8_t *at, const uint8_t *from, size_t n)
{
	uint32_t crc = eum_crc32c(from, n);

	at[0] = (uint8_t)(crc >> 24);
	at[1] = (uint8_t)(crc >> 16);
	at[2] = (uint8_t)(crc >> 8);
	at[3] = (uint8_t)crc;
}

/* Call fn(ctx, payload offset, payload length) for the base image and each framed journal record;
 * returns the offset after the last one. */
static inline size_t fuzz_image_frames(const uint8_t *img, size_t len,
                                       void (*fn)(void *ctx, size_t frame, size_t hdr, size_t plen), void *ctx)
{
	size_t off, plen;

	if (len < FUZZ_IMG_HDR + 4)
		return 0;
	plen = fuzz_be32(img + 12);
	if (plen > len - FUZZ_IMG_HDR - 4)
		return 0;
	fn(ctx, 0, FUZZ_IMG_HDR, plen);
	off = FUZZ_IMG_HDR + plen + 4;
	while (off + FUZZ_REC_HDR + 4 <= len && memcmp(img + off, "EUMJ", 4) == 0) {
		plen = fuzz_be32(img + off + 4);
		if (plen > len - off - FUZZ_REC_HDR - 4)
			break;
		fn(ctx, off, FUZZ_REC_HDR, plen);
		off += FUZZ_REC_HDR + plen + 4;
	}
	return off;
}

static inline void fuzz_fix_frame(void *ctx, size_t frame, size_t hdr, size_t plen)
{
	uint8_t *img = ctx;

	fuzz_put_crc(img + frame + hdr + plen, img + frame, hdr + plen);
}

/* Recompute every CRC of img in place: the base image's and each journal record's. An image whose
 * base length field does not fit gets a CRC over all but its last 4 bytes, as a base would. */
static inline void fuzz_image_fix_crc(uint8_t *img, size_t len)
{
	if (fuzz_image_frames(img, len, fuzz_fix_frame, img) == 0 && len >= 4)
		fuzz_put_crc(img + len - 4, img, len - 4);
}

/* The custom mutator's view: where the sections' values are. */
struct fuzz_sections {
	const uint8_t *img;
	size_t n, max;
	size_t *val, *val_len;
};

static inline void fuzz_frame_sections(void *ctx, size_t frame, size_t hdr, size_t plen)
{
	struct fuzz_sections *s = ctx;
	size_t off = frame + hdr, end = frame + hdr + plen;

	while (off + FUZZ_SECTION_HDR <= end && s->n < s->max) {
		size_t l = fuzz_be32(s->img + off + 4);
		if (l > end - off - FUZZ_SECTION_HDR)
			break;
		s->val[s->n] = off + FUZZ_SECTION_HDR;
		s->val_len[s->n] = l;
		s->n++;
		off += FUZZ_SECTION_HDR + l;
	}
}

/* Offsets and lengths of the section values of img (base and journal), at most max; returns
 * how many were found. */
static inline size_t fuzz_image_sections(const uint8_t *img, size_t len, size_t *val, size_t *val_len, size_t max)
{
	struct fuzz_sections s = {img, 0, max, val, val_len};

	fuzz_image_frames(img, len, fuzz_frame_sections, &s);
	return s.n;
}

#endif
