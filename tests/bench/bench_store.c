/*
 * Cost of the per-APDU commit (issue: persistence).
 *
 * 1. A state-changing APDU (UPDATE BINARY of EF.LOCI) on a card kept in a
 *    state file, against the baseline of a plain write()+fsync() of the same
 *    number of bytes in the same directory, measured in the same run.
 * 2. Bytes written per APDU of a typical modem session (boot, reads, PIN,
 *    AUTHENTICATE, location updates), through counting storage hooks.
 *
 *   bench_store [N]     N state-changing APDUs (default 200)
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eum/eum.h"
#include "util/hex.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void quiet(void *ctx, eum_log_level l, const char *m)
{
	(void)ctx;
	(void)l;
	(void)m;
}

static unsigned short send(eum_card *card, const char *hex)
{
	uint8_t c[300], r[300];
	size_t rl;
	long n = eum_hex_decode(hex, c, sizeof(c));

	if (n < 4 || eum_card_transmit(card, c, (size_t)n, r, sizeof(r), &rl) != EUM_OK)
		exit(1);
	return (unsigned short)(r[rl - 2] << 8 | r[rl - 1]);
}

struct counting {
	uint8_t img[1 << 20];
	size_t len;
	unsigned long stores, bytes;
};

static int c_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	(void)ctx;
	(void)buf;
	(void)cap;
	(void)len;
	return EUM_ERR_NOT_FOUND;
}

static int c_store(void *ctx, const uint8_t *img, size_t len)
{
	struct counting *c = ctx;
	memcpy(c->img, img, len);
	c->len = len;
	c->stores++;
	c->bytes += len;
	return EUM_OK;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, i;
	char dir[] = "/tmp/eum-bench-XXXXXX", path[64], base[64];
	static struct counting cnt;
	eum_storage hooks = {c_load, c_store, &cnt};
	eum_config cfg;
	eum_card *card;
	size_t img_len;
	uint8_t *buf;
	double t0, t_commit, t_base;
	unsigned long apdus = 0, stores0;
	int fd;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/card.state", dir);
	snprintf(base, sizeof(base), "%s/baseline", dir);

	/* 1. commit cost with the file backend */
	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.state_path = path;
	if (eum_card_new(&card, &cfg) || eum_card_reset(card, 1, NULL, 0, NULL))
		return 1;
	eum_card_save_image(card, NULL, 0, &img_len);
	send(card, "0020000108 31323334FFFFFFFF");
	send(card, "00A4040410 A0000000871002FFFFFFFF8907090000");
	send(card, "00A4000C02 6F7E");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		char apdu[64];
		snprintf(apdu, sizeof(apdu), "00D6000004 %08X", (unsigned)i);
		send(card, apdu);
	}
	t_commit = (now_s() - t0) / n;
	eum_card_free(card);

	buf = malloc(img_len);
	memset(buf, 0xA5, img_len);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		fd = open(base, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, buf, img_len) != (ssize_t)img_len || fsync(fd) != 0)
			return 1;
		close(fd);
	}
	t_base = (now_s() - t0) / n;
	free(buf);

	/* 2. bytes written per APDU of a typical modem session */
	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.storage = &hooks;
	if (eum_card_new(&card, &cfg) || eum_card_reset(card, 1, NULL, 0, NULL))
		return 1;
	stores0 = cnt.stores;
	cnt.bytes = 0;
	for (i = 0; i < 10; i++) {
		static const char *const session[] = {
		        "801000000AFFFFFFFF7F0000DFFF00",
		        "00A40004022F00",
		        "00B2010420",
		        "00A40004022FE2",
		        "00B000000A",
		        "00A4040410A0000000871002FFFFFFFF8907090000",
		        "002000010831323334FFFFFFFF",
		        "00A40004026F07",
		        "00B0000009",
		        "00A40004026FAD",
		        "00B0000004",
		        "00A40004026F7E",
		        "00D600000B FFFFFFFF00F110000100FF",
		        "80F2000C",
		};
		size_t k;
		for (k = 0; k < sizeof(session) / sizeof(session[0]); k++, apdus++)
			send(card, session[k]);
		eum_card_reset(card, 1, NULL, 0, NULL);
	}
	printf("state image: %zu bytes (default card)\n", img_len);
	printf("commit (file backend, state-changing APDU): %.1f us per APDU\n", t_commit * 1e6);
	printf("baseline write+fsync of %zu bytes:          %.1f us\n", img_len, t_base * 1e6);
	printf("ratio commit / baseline:                     %.2f\n", t_commit / t_base);
	printf("typical modem session: %lu APDUs, %lu images stored, %.1f bytes written per APDU\n", apdus,
	       cnt.stores - stores0, (double)cnt.bytes / (double)apdus);
	eum_card_free(card);
	unlink(path);
	unlink(base);
	rmdir(dir);
	return 0;
}
