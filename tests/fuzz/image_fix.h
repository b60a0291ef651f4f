/*
 * The one place that knows how a state image is checksummed (src/store/image.h), for the image
 * fuzz target's "checksum fixed after mutation" variant: without it nearly every mutation dies
 * at the CRC check and the loader's field validation is never reached. Adapt this helper, and
 * only this helper, when the image format changes.
 *
 * Format version 1: "EUMSTATE" u16 version, u16 reserved, u32 payload length, payload, then a
 * CRC-32C of everything before it (big-endian).
 */
#ifndef EUM_FUZZ_IMAGE_FIX_H
#define EUM_FUZZ_IMAGE_FIX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/image.h"

/* Recompute the trailing CRC-32C of img in place (images shorter than a CRC are left alone). */
static inline void fuzz_image_fix_crc(uint8_t *img, size_t len)
{
	uint32_t crc;

	if (len < 4)
		return;
	crc = eum_crc32c(img, len - 4);
	img[len - 4] = (uint8_t)(crc >> 24);
	img[len - 3] = (uint8_t)(crc >> 16);
	img[len - 2] = (uint8_t)(crc >> 8);
	img[len - 1] = (uint8_t)crc;
}

/* The section walker of the custom mutator: offsets of the value of each section (tag u8,
 * length u32) of a format-1 image, at most max; returns how many were found. */
static inline size_t fuzz_image_sections(const uint8_t *img, size_t len, size_t *val, size_t *val_len, size_t max)
{
	size_t off = 16, end, n = 0;

	if (len < 20 || memcmp(img, "EUMSTATE", 8) != 0)
		return 0;
	end = len - 4;
	while (off + 5 <= end && n < max) {
		size_t l = (size_t)img[off + 1] << 24 | (size_t)img[off + 2] << 16 | (size_t)img[off + 3] << 8 |
		           img[off + 4];
		if (l > end - off - 5)
			break;
		val[n] = off + 5;
		val_len[n] = l;
		n++;
		off += 5 + l;
	}
	return n;
}

#endif
