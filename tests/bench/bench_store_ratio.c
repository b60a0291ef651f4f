/*
 * What persistence costs the card (issue 12 point 6), as ratios measured in one run:
 *
 * 1. read-only APDUs (STATUS, READ BINARY of EF.ICCID) on a card with a state file ÷ the same card with
 *    storage off (memory only), with the bootstrap profile only ("0 TS.48") and with two TS.48 profiles
 *    installed besides it ("2 TS.48"); target <= 1.2;
 * 2. AUTHENTICATE (3G, a new SQN each time, so each one stores the SQN array) with 2 TS.48 profiles ÷ with
 *    none, state file in both; target <= 1.5 (cost independent of the image size); bytes handed to the
 *    storage per AUTHENTICATE (journal records, plus the folds of the journal into a new base image,
 *    spread over the AUTHENTICATEs that caused them);
 * 3. a modem session (cold reset, TERMINAL PROFILE, EF.DIR/EF.ICCID, USIM, PIN, IMSI/AD, AUTHENTICATE +
 *    GET RESPONSE, 10 x STATUS) with a state file ÷ memory only.
 *
 * "Memory only" is the same card with its store switched off after loading (card->store->enabled = 0, a
 * benchmark-only shortcut), so both sides run the same profile and state. Times are the best of 3
 * alternating rounds (CLOCK_MONOTONIC: fsync is included on the storage side). The two TS.48 profiles are
 * put into ISD-Ps 000011 and 000012 as in bench_store.c (es5_install_profile of tests/e2e/es5_e2e.h).
 *
 *   bench_store_ratio [N]   N APDUs per measurement (default 2000; AUTHENTICATE: N / 4)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../e2e/es5_e2e.h"
#include "core/card.h"
#include "eum/eum.h"
#include "eum/host/aka.h"
#include "util/hex.h"

#include "bench_util.h"

/* Host storage in memory (load / store / append into one buffer, no fsync): what the store costs the
 * CPU, without the disk. */
struct memst {
	uint8_t *b;
	size_t len, cap;
};

static int ms_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct memst *m = ctx;

	*len = m->len;
	if (!buf)
		return EUM_OK;
	if (cap < m->len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(buf, m->b, m->len);
	return EUM_OK;
}

static int ms_append(void *ctx, const uint8_t *rec, size_t len)
{
	struct memst *m = ctx;

	if (m->len + len > m->cap) {
		uint8_t *nb = realloc(m->b, 2 * (m->len + len));
		if (!nb)
			return EUM_ERR_STORAGE;
		m->b = nb;
		m->cap = 2 * (m->len + len);
	}
	memcpy(m->b + m->len, rec, len);
	m->len += len;
	return EUM_OK;
}

static int ms_store(void *ctx, const uint8_t *img, size_t len)
{
	((struct memst *)ctx)->len = 0;
	return ms_append(ctx, img, len);
}

static eum_card *open_mem_card(const char *path, struct memst *m, eum_storage *hooks)
{
	eum_config cfg;
	eum_card *card;
	FILE *f = fopen(path, "rb");

	m->cap = 1u << 20;
	m->b = malloc(m->cap);
	if (!f || !m->b)
		exit(1);
	m->len = fread(m->b, 1, m->cap, f);
	fclose(f);
	*hooks = (eum_storage){ms_load, ms_store, m};
	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.storage = hooks;
	cfg.storage_append = ms_append;
	if (eum_card_new(&card, &cfg) || eum_card_reset(card, 1, NULL, 0, NULL))
		exit(1);
	return card;
}

static eum_card *open_card(const char *path)
{
	eum_config cfg;
	eum_card *card;

	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.state_path = path;
	if (eum_card_new(&card, &cfg) || eum_card_reset(card, 1, NULL, 0, NULL))
		exit(1);
	return card;
}

/* seconds per APDU of n x hex (answered 9000, or 91xx when a proactive command waits) */
static double repeat(eum_card *card, const char *hex, int n)
{
	double t0 = now_s();
	int i;

	for (i = 0; i < n; i++) {
		unsigned short sw = send(card, hex);
		if (sw != 0x9000 && sw >> 8 != 0x91) {
			fprintf(stderr, "%s: %04X\n", hex, sw);
			exit(1);
		}
	}
	return (now_s() - t0) / n;
}

struct auth {
	struct eum_host_aka_key key;
	unsigned seq;
};

static void auth_init(struct auth *a, eum_card *card)
{
	const struct eum_profile *prof = card->prof;

	if (eum_host_aka_key_milenage(&a->key, prof->aka.k, prof->aka.opc, 1) != EUM_OK)
		exit(1);
	memcpy(a->key.r, prof->aka.mc.r, 5);
	memcpy(a->key.c, prof->aka.mc.c, sizeof(a->key.c));
	a->seq = 0;
}

/* One AUTHENTICATE with the next SQN (SEQ + 1, IND 0); its GET RESPONSE when get_response. */
static void authenticate(eum_card *card, struct auth *a, int get_response)
{
	struct eum_host_aka_vector v;
	uint8_t rnd[16], sqn[6] = {0}, amf[2] = {0x80, 0x00}, cmd[40], r[300];
	size_t rl;
	unsigned seq = ++a->seq;

	sqn[5] = (uint8_t)(seq << 5);
	sqn[4] = (uint8_t)(seq >> 3);
	sqn[3] = (uint8_t)(seq >> 11);
	memset(rnd, (int)(seq & 0xFF), sizeof(rnd));
	if (eum_host_aka_generate(&a->key, rnd, sqn, amf, &v) != EUM_OK)
		exit(1);
	memcpy(cmd, "\x00\x88\x00\x81\x22\x10", 6);
	memcpy(cmd + 6, v.rand, 16);
	cmd[22] = 0x10;
	memcpy(cmd + 23, v.autn, 16);
	if (eum_card_transmit(card, cmd, 39, r, sizeof(r), &rl) != EUM_OK || r[rl - 2] != 0x61) {
		fprintf(stderr, "AUTHENTICATE refused: %02X%02X\n", r[rl - 2], r[rl - 1]);
		exit(1);
	}
	if (get_response) {
		memcpy(cmd, "\x00\xC0\x00\x00", 4);
		cmd[4] = r[rl - 1];
		if (eum_card_transmit(card, cmd, 5, r, sizeof(r), &rl) != EUM_OK || r[0] != 0xDB)
			exit(1);
	}
	eum_host_aka_vector_wipe(&v);
}

static void usim_ready(eum_card *card)
{
	send(card, "00A4040410 A0000000871002FFFFFFFF8907090000");
	send(card, "0020000108 31323334FFFFFFFF");
}

/* seconds per AUTHENTICATE (with its GET RESPONSE), n of them; bytes handed to the storage per one */
static double auth_cost(eum_card *card, struct auth *a, int n, double *bytes)
{
	unsigned long b0 = card->store->bytes_written;
	double t0 = now_s();
	int i;

	for (i = 0; i < n; i++)
		authenticate(card, a, 1);
	*bytes = (double)(card->store->bytes_written - b0) / n;
	return (now_s() - t0) / n;
}

/* seconds per modem session */
static double sessions(eum_card *card, struct auth *a, int n)
{
	static const char *const steps[] = {
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
	};
	double t0 = now_s();
	size_t k;
	int i, j;

	for (i = 0; i < n; i++) {
		eum_card_reset(card, 1, NULL, 0, NULL);
		for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
			send(card, steps[k]);
		authenticate(card, a, 1);
		for (j = 0; j < 10; j++)
			send(card, "80F2000C");
	}
	return (now_s() - t0) / n;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

/* A card with two TS.48 profiles installed, written to path. */
static void two_profile_state(const char *path)
{
	struct es5 *t = es5_new();
	uint8_t *img = malloc(ES5_IMG_MAX);
	size_t len;
	FILE *f;

	if (!img)
		exit(1);
	es5_install_profile(t, "000011", "TS48V2-SAIP2-3-NOBERTLV-UNIQUE.der", 0);
	es5_install_profile(t, "000012", "TS48V4-SAIP2-1B-NOBERTLV-UNIQUE.der", 0);
	len = es5_image(t, img);
	f = fopen(path, "wb");
	if (!f || fwrite(img, 1, len, f) != len || fclose(f) != 0)
		exit(1);
	free(img);
	es5_free(t);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000, na, round, c;
	char dir[] = "/tmp/eum-bench-XXXXXX", path[2][64];
	static const char *const names[2] = {"0 TS.48", "2 TS.48"};
	double st_on[2][2], st_off[2][2], au[2], au_bytes[2], se_on[2], se_off[2], au_m[2], se_m[2];
	size_t img[2];
	eum_card *card[2], *mcard[2];
	struct auth a[2], am[2];
	struct memst ms[2];
	eum_storage hooks[2];

	if (getenv("EUM_STORE_VERIFY"))
		unsetenv("EUM_STORE_VERIFY"); /* the verify mode reloads the image at every commit */
	if (n < 40 || !mkdtemp(dir))
		return 1;
	na = n / 4;
	snprintf(path[0], sizeof(path[0]), "%s/card0.state", dir);
	snprintf(path[1], sizeof(path[1]), "%s/card2.state", dir);
	two_profile_state(path[1]);
	for (c = 0; c < 2; c++) {
		card[c] = open_card(path[c]);
		eum_card_save_image(card[c], NULL, 0, &img[c]);
		usim_ready(card[c]);
		auth_init(&a[c], card[c]);
		mcard[c] = open_mem_card(path[c], &ms[c], &hooks[c]);
		usim_ready(mcard[c]);
		auth_init(&am[c], mcard[c]);
		am[c].seq = 100000; /* its own SQN range: the memory card started from the same state */
		st_on[c][0] = st_on[c][1] = st_off[c][0] = st_off[c][1] = au[c] = se_on[c] = se_off[c] = 1e9;
		au_m[c] = se_m[c] = 1e9;
	}
	for (round = 0; round < 3; round++) {
		for (c = 0; c < 2; c++) {
			double b;
			/* 1. read-only APDUs, storage on then off (same card, same state) */
			usim_ready(card[c]);
			send(card[c], "00A40004026F07");
			st_on[c][0] = min2(st_on[c][0], repeat(card[c], "80F2000C", n));
			st_on[c][1] = min2(st_on[c][1], repeat(card[c], "00B0000009", n));
			card[c]->store->enabled = 0;
			st_off[c][0] = min2(st_off[c][0], repeat(card[c], "80F2000C", n));
			st_off[c][1] = min2(st_off[c][1], repeat(card[c], "00B0000009", n));
			card[c]->store->enabled = 1;
			/* 2. AUTHENTICATE with the state file */
			au[c] = min2(au[c], auth_cost(card[c], &a[c], na, &b));
			au_bytes[c] = b;
			au_m[c] = min2(au_m[c], auth_cost(mcard[c], &am[c], na, &b));
			/* 3. modem sessions, storage on then off */
			se_on[c] = min2(se_on[c], sessions(card[c], &a[c], na / 10 + 1));
			card[c]->store->enabled = 0;
			se_off[c] = min2(se_off[c], sessions(card[c], &a[c], na / 10 + 1));
			card[c]->store->enabled = 1;
			se_m[c] = min2(se_m[c], sessions(mcard[c], &am[c], na / 10 + 1));
		}
	}
	printf("eum store costs, best of 3 rounds, %d read-only APDUs / %d AUTHENTICATEs per measurement\n", n, na);
	printf("%-8s %9s | %-27s | %-27s | %s\n", "card", "image B", "STATUS us: file/mem = ratio",
	       "READ BINARY us: file/mem = r", "AUTHENTICATE us, B written");
	for (c = 0; c < 2; c++)
		printf("%-8s %9zu | %8.3f / %8.3f = %5.2f | %8.3f / %8.3f = %5.2f | %8.1f us, %7.1f B\n", names[c],
		       img[c], st_on[c][0] * 1e6, st_off[c][0] * 1e6, st_on[c][0] / st_off[c][0], st_on[c][1] * 1e6,
		       st_off[c][1] * 1e6, st_on[c][1] / st_off[c][1], au[c] * 1e6, au_bytes[c]);
	printf("AUTHENTICATE with 2 TS.48 / with 0: %.2f (target <= 1.5)\n", au[1] / au[0]);
	for (c = 0; c < 2; c++)
		printf("modem session (%s): file %.1f us / memory %.1f us = %.2f\n", names[c], se_on[c] * 1e6,
		       se_off[c] * 1e6, se_on[c] / se_off[c]);
	printf("host storage in memory (no disk: the store's own CPU cost):\n");
	printf("  AUTHENTICATE: 0 TS.48 %.2f us, 2 TS.48 %.2f us, ratio %.2f\n", au_m[0] * 1e6, au_m[1] * 1e6,
	       au_m[1] / au_m[0]);
	for (c = 0; c < 2; c++)
		printf("  modem session (%s): %.1f us / memory only %.1f us = %.2f\n", names[c], se_m[c] * 1e6,
		       se_off[c] * 1e6, se_m[c] / se_off[c]);
	for (c = 0; c < 2; c++) {
		eum_card_free(card[c]);
		eum_card_free(mcard[c]);
		free(ms[c].b);
	}
	unlink(path[0]);
	unlink(path[1]);
	rmdir(dir);
	return 0;
}
