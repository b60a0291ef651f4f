/*
 * libeum-host's octet writer (off-card side; independent of the card's
 * src/util): records overflow instead of writing past the end, with BER-TLV
 * (ISO/IEC 8825-1) and GlobalPlatform DGI (GPCS §11.11.2.3) encoders.
 */
#ifndef EUM_HOST_HOST_WR_H
#define EUM_HOST_HOST_WR_H

#include <stddef.h>
#include <stdint.h>

struct eum_host_wr {
	uint8_t *p;
	size_t cap, len;
	int overflow; /* set once anything did not fit; check once at the end */
};

void eum_host_wr_put(struct eum_host_wr *w, const void *d, size_t n);
void eum_host_wr_u8(struct eum_host_wr *w, uint8_t v);
/* BER definite length, up to 65535 (82 xx xx). */
void eum_host_wr_ber_len(struct eum_host_wr *w, size_t n);
/* BER-TLV with a one-byte tag. */
void eum_host_wr_tlv1(struct eum_host_wr *w, uint8_t tag, const void *v, size_t n);
/* DGI: 2-byte tag, length one byte below FF, else FF xx xx. */
void eum_host_wr_dgi(struct eum_host_wr *w, uint16_t tag, const void *v, size_t n);

#endif
