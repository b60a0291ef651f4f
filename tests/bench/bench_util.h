/*
 * Small helpers the store benchmarks share (bench_store.c, bench_store_ratio.c): a monotonic clock, a
 * silent log hook, and one APDU from hex returning its SW (the program exits on a transport error).
 */
#ifndef EUM_BENCH_UTIL_H
#define EUM_BENCH_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "eum/eum.h"
#include "util/hex.h"

static inline double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void quiet(void *ctx, eum_log_level l, const char *m)
{
	(void)ctx;
	(void)l;
	(void)m;
}

static inline unsigned short send(eum_card *card, const char *hex)
{
	uint8_t c[300], r[300];
	size_t rl;
	long n = eum_hex_decode(hex, c, sizeof(c));

	if (n < 4 || eum_card_transmit(card, c, (size_t)n, r, sizeof(r), &rl) != EUM_OK)
		exit(1);
	return (unsigned short)(r[rl - 2] << 8 | r[rl - 1]);
}

#endif
