/* libeum-host's octet writer: BER-TLV (ISO/IEC 8825-1 §8.1.3) and GP DGI (GPCS §11.11.2.3). */
#include "host_wr.h"

#include <string.h>

void eum_host_wr_put(struct eum_host_wr *w, const void *d, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = 1;
		return;
	}
	if (n)
		memcpy(w->p + w->len, d, n);
	w->len += n;
}

void eum_host_wr_u8(struct eum_host_wr *w, uint8_t v)
{
	eum_host_wr_put(w, &v, 1);
}

void eum_host_wr_ber_len(struct eum_host_wr *w, size_t n)
{
	if (n > 0xFF) {
		eum_host_wr_u8(w, 0x82);
		eum_host_wr_u8(w, (uint8_t)(n >> 8));
	} else if (n > 0x7F) {
		eum_host_wr_u8(w, 0x81);
	}
	eum_host_wr_u8(w, (uint8_t)n);
}

void eum_host_wr_tlv1(struct eum_host_wr *w, uint8_t tag, const void *v, size_t n)
{
	eum_host_wr_u8(w, tag);
	eum_host_wr_ber_len(w, n);
	eum_host_wr_put(w, v, n);
}

void eum_host_wr_dgi(struct eum_host_wr *w, uint16_t tag, const void *v, size_t n)
{
	eum_host_wr_u8(w, (uint8_t)(tag >> 8));
	eum_host_wr_u8(w, (uint8_t)tag);
	if (n < 0xFF) {
		eum_host_wr_u8(w, (uint8_t)n);
	} else {
		eum_host_wr_u8(w, 0xFF);
		eum_host_wr_u8(w, (uint8_t)(n >> 8));
		eum_host_wr_u8(w, (uint8_t)n);
	}
	eum_host_wr_put(w, v, n);
}
