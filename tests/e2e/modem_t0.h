/*
 * A modem's T=0 exchange without cmocka, so it can run on several threads (tests/e2e/test_threads.c,
 * tests/bench/bench_fleet.c): 61xx answered with GET RESPONSE, 6Cxx repeated with Le = xx
 * (ISO 7816-3 §12.2), and pending proactive commands answered "performed successfully"
 * (TS 102 223 §6.8). Header-only: each program gets its own static copy.
 */
#ifndef EUM_TESTS_MODEM_T0_H
#define EUM_TESTS_MODEM_T0_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "eum/eum.h"

/* One APDU; returns the final SW, 0 on a transport error; data in out (cap bytes), its length in
 * *out_len. */
static inline uint16_t t0_xfer(eum_card *card, const uint8_t *capdu, size_t len, uint8_t *out, size_t cap,
                               size_t *out_len)
{
	uint8_t cmd[261], rb[258];
	size_t rl, cl = len, got = 0;
	uint16_t sw;

	if (len > sizeof(cmd))
		return 0;
	memcpy(cmd, capdu, len);
	for (;;) {
		if (eum_card_transmit(card, cmd, cl, rb, sizeof(rb), &rl) != EUM_OK || rl < 2 || got + rl - 2 > cap)
			return 0;
		sw = (uint16_t)(rb[rl - 2] << 8 | rb[rl - 1]);
		memcpy(out + got, rb, rl - 2);
		got += rl - 2;
		if ((sw >> 8) == 0x61) {
			const uint8_t gr[5] = {(uint8_t)(capdu[0] & 0x03), 0xC0, 0x00, 0x00, (uint8_t)sw};
			memcpy(cmd, gr, 5);
			cl = 5;
			continue;
		}
		if ((sw >> 8) == 0x6C && cl >= 5) {
			cmd[cl - 1] = (uint8_t)sw;
			continue;
		}
		*out_len = got;
		return sw;
	}
}

/* FETCH + TERMINAL RESPONSE "performed successfully" for every pending proactive command; returns the
 * last SW, 0 on an error. */
static inline uint16_t t0_drain_proactive(eum_card *card, uint16_t sw)
{
	uint8_t cmd[300];
	size_t n;

	while ((sw >> 8) == 0x91) {
		const uint8_t fetch[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw};
		uint8_t tr[] = {0x80, 0x14, 0x00, 0x00, 0x0C, 0x81, 0x03, 0x00, 0x00,
		                0x00, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00};
		size_t off;
		if (t0_xfer(card, fetch, sizeof(fetch), cmd, sizeof(cmd), &n) != 0x9000 || n < 8)
			return 0;
		off = cmd[1] == 0x81 ? 3 : 2;
		memcpy(tr + 7, cmd + off + 2, 3); /* command details echoed */
		sw = t0_xfer(card, tr, sizeof(tr), cmd, sizeof(cmd), &n);
	}
	return sw;
}

#endif
