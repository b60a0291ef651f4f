/*
 * The one place that knows how a state image is checksummed (src/store/image.h), for the image
 * fuzz target's "checksum fixed after mutation" variant: without it nearly every mutation dies
 * at the CRC check and the loader's field validation is never reached. Adapt this helper, and
 * only this helper, when the image format changes.
 *
 * Format version 3: a base image "EUMSTATE" u16 version, u16 reserved, u32 payload length,
 * payload, CRC-32C of everything before it (big-endian); then journal records "EUMJ", u32 payload
 * length, payload, CRC-32C of the record. A payload is sections: u8 kind, u8 slot, u16 index,
 * u32 length, value.
 */
#ifndef EUM_FUZZ_IMAGE_FIX_H
#define EUM_FUZZ_IMAGE_FIX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/image.h"

static inline uint32_t fuzz_image_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void fuzz_image_put_crc(uint8_t *img, size_t len)
{
	uint32_t crc = eum_crc32c(img, len - 4);

	img[len - 4] = (uint8_t)(crc >> 24);
	img[len - 3] = (uint8_t)(crc >> 16);
	img[len - 2] = (uint8_t)(crc >> 8);
	img[len - 1] = (uint8_t)crc;
}

/* Recompute the CRC-32C of the base image and of every journal record that fits in place (an image
 * whose base length does not fit gets its trailing CRC fixed instead). */
static inline void fuzz_image_fix_crc(uint8_t *img, size_t len)
{
	size_t base, off;

	if (len < 20)
		return;
	base = 20 + (size_t)fuzz_image_be32(img + 12);
	if (base > len || base < 20) {
		fuzz_image_put_crc(img, len);
		return;
	}
	fuzz_image_put_crc(img, base);
	for (off = base; len - off >= 12; off += 12 + (size_t)fuzz_image_be32(img + off + 4)) {
		size_t l = fuzz_image_be32(img + off + 4);
		if (l > len - off - 12)
			break;
		fuzz_image_put_crc(img + off, 12 + l);
	}
}

/* The section walker of the custom mutator: offsets of the value of each section (8-byte header:
 * kind, slot, index, u32 length) of the base image, at most max; returns how many were found. */
static inline size_t fuzz_image_sections(const uint8_t *img, size_t len, size_t *val, size_t *val_len, size_t max)
{
	size_t off = 16, end, n = 0;

	if (len < 20 || memcmp(img, "EUMSTATE", 8) != 0)
		return 0;
	end = 16 + (size_t)fuzz_image_be32(img + 12);
	if (end > len - 4)
		end = len - 4;
	while (off + 8 <= end && n < max) {
		size_t l = fuzz_image_be32(img + off + 4);
		if (l > end - off - 8)
			break;
		val[n] = off + 8;
		val_len[n] = l;
		n++;
		off += 8 + l;
	}
	return n;
}

#endif
