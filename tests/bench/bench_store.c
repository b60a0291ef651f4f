/*
 * Cost of the per-APDU commit (issue: persistence).
 *
 * 1. A state-changing APDU (UPDATE BINARY of EF.LOCI) on a card kept in a
 *    state file, against the baseline of a plain write()+fsync() of the same
 *    number of bytes in the same directory, measured in the same run.
 * 2. Bytes written per APDU of a typical modem session (boot, reads, PIN,
 *    AUTHENTICATE, location updates), through counting storage hooks.
 * 3. The same commit cost and session write volume for a card holding TWO
 *    installed TS.48 profiles besides the bootstrap one. How the card gets
 *    there (benchmark only): CreateISDP of ISD-Ps 000011 and 000012 through
 *    ES5 APDUs over SCP80, then the packages of tests/data/ts48 put into them
 *    with the internal installer API (eum_saip_install_file) and the ISD-P
 *    life-cycle table — es5_install_profile() of tests/e2e/es5_e2e.h — not
 *    through the ES8 download; the image is then loaded by a card with a
 *    state file. A commit appends a journal record of the sections it changed (the whole image
 *    only when the journal is folded into a new base image).
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

#include "../e2e/es5_e2e.h"
#include "core/card.h"
#include "eum/eum.h"
#include "eum/host/aka.h"
#include "util/hex.h"

#include "bench_util.h"

/* Commit cost: n UPDATE BINARY of EF.LOCI on a card with a state file; seconds per APDU. */
static double commit_cost(eum_card *card, int n)
{
	double t0;
	int i;

	send(card, "0020000108 31323334FFFFFFFF");
	send(card, "00A4040410 A0000000871002FFFFFFFF8907090000");
	send(card, "00A4000C02 6F7E");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		char apdu[64];
		snprintf(apdu, sizeof(apdu), "00D6000004 %08X", (unsigned)i);
		if (send(card, apdu) != 0x9000)
			exit(1);
	}
	return (now_s() - t0) / n;
}

/* Baseline: open, write len bytes, fsync, close, n times; seconds per write. */
static double baseline(const char *path, size_t len, int n)
{
	uint8_t *buf = malloc(len);
	double t0;
	int i, fd;

	if (!buf)
		exit(1);
	memset(buf, 0xA5, len);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, buf, len) != (ssize_t)len || fsync(fd) != 0)
			exit(1);
		close(fd);
	}
	free(buf);
	unlink(path);
	return (now_s() - t0) / n;
}

/* A typical modem session repeated `sessions` times: power on, TERMINAL PROFILE, reads of EF.DIR and
 * EF.ICCID, PIN, USIM selection, reads of IMSI and AD, one AUTHENTICATE (3G, fresh SQN, computed with
 * libeum-host from the enabled profile's K/OPc) with its GET RESPONSE, a location update (EF.LOCI),
 * STATUS. Counts APDUs, commits and bytes handed to the storage (journal records and folds). */
static void modem_sessions(eum_card *card, int sessions, unsigned long *apdus, unsigned long *commits,
                           unsigned long *bytes)
{
	static const char *const before_auth[] = {
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
	static const char *const after_auth[] = {
	        "00A40004026F7E",
	        "00D600000B FFFFFFFF00F110000100FF",
	        "80F2000C",
	};
	struct eum_card *c = card;
	const struct eum_profile *prof = c->prof;
	struct eum_host_aka_key key;
	struct eum_host_aka_vector v;
	unsigned long c0 = c->store->commits, b0 = c->store->bytes_written;
	uint8_t rnd[16], sqn[6] = {0}, amf[2] = {0x80, 0x00}, cmd[40], r[300];
	size_t k, rl;
	int s;

	if (eum_host_aka_key_milenage(&key, prof->aka.k, prof->aka.opc, 1) != EUM_OK)
		exit(1);
	memcpy(key.r, prof->aka.mc.r, 5);
	memcpy(key.c, prof->aka.mc.c, sizeof(key.c));
	for (s = 0; s < sessions; s++) {
		eum_card_reset(card, 1, NULL, 0, NULL);
		for (k = 0; k < sizeof(before_auth) / sizeof(before_auth[0]); k++, (*apdus)++)
			send(card, before_auth[k]);
		/* SQN = SEQ || IND 0, SEQ = 1, 2, ... (TS 33.102 Annex C) */
		sqn[5] = (uint8_t)((s + 1) << 5);
		sqn[4] = (uint8_t)((s + 1) >> 3);
		memset(rnd, 0x30 + s, sizeof(rnd));
		if (eum_host_aka_generate(&key, rnd, sqn, amf, &v) != EUM_OK)
			exit(1);
		memcpy(cmd, "\x00\x88\x00\x81\x22\x10", 6);
		memcpy(cmd + 6, v.rand, 16);
		cmd[22] = 0x10;
		memcpy(cmd + 23, v.autn, 16);
		if (eum_card_transmit(card, cmd, 39, r, sizeof(r), &rl) != EUM_OK || r[rl - 2] != 0x61) {
			fprintf(stderr, "AUTHENTICATE refused: %02X%02X\n", r[rl - 2], r[rl - 1]);
			exit(1);
		}
		(*apdus)++;
		memcpy(cmd, "\x00\xC0\x00\x00", 4);
		cmd[4] = r[rl - 1];
		if (eum_card_transmit(card, cmd, 5, r, sizeof(r), &rl) != EUM_OK || r[0] != 0xDB)
			exit(1);
		(*apdus)++;
		for (k = 0; k < sizeof(after_auth) / sizeof(after_auth[0]); k++, (*apdus)++)
			send(card, after_auth[k]);
	}
	*commits = c->store->commits - c0;
	*bytes = c->store->bytes_written - b0;
	eum_host_aka_key_wipe(&key);
	eum_host_aka_vector_wipe(&v);
}

/* A card with two TS.48 profiles installed (see the header), written to `path`; returns its image length. */
static size_t two_profile_state(const char *path)
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
	return len;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	char dir[] = "/tmp/eum-bench-XXXXXX", path[64], path2[64], base[64];
	eum_config cfg;
	eum_card *card;
	size_t img_len, img2_len;
	double t_commit, t_base, t_commit2, t_base2;
	unsigned long apdus = 0, commits = 0, bytes = 0, apdus2 = 0, commits2 = 0, bytes2 = 0;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/card.state", dir);
	snprintf(path2, sizeof(path2), "%s/card2.state", dir);
	snprintf(base, sizeof(base), "%s/baseline", dir);

	/* 1. commit cost of the default card with the file backend, and its baseline */
	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.state_path = path;
	if (eum_card_new(&card, &cfg) || eum_card_reset(card, 1, NULL, 0, NULL))
		return 1;
	eum_card_save_image(card, NULL, 0, &img_len);
	t_commit = commit_cost(card, n);
	t_base = baseline(base, img_len, n);
	/* 2. typical modem sessions on it */
	modem_sessions(card, 10, &apdus, &commits, &bytes);
	eum_card_free(card);

	/* 3. the same with two installed TS.48 profiles */
	img2_len = two_profile_state(path2);
	cfg.state_path = path2;
	if (eum_card_new(&card, &cfg) || eum_card_reset(card, 1, NULL, 0, NULL))
		return 1;
	t_commit2 = commit_cost(card, n);
	t_base2 = baseline(base, img2_len, n);
	modem_sessions(card, 10, &apdus2, &commits2, &bytes2);
	eum_card_free(card);

	printf("commit = one state-changing APDU (UPDATE BINARY EF.LOCI) on a card with a state file, %d APDUs;\n"
	       "baseline = open + write + fsync + close of the same number of bytes, same directory, same run\n",
	       n);
	printf("%-34s %10s %12s %14s %7s\n", "card", "image (B)", "commit (us)", "baseline (us)", "ratio");
	printf("%-34s %10zu %12.1f %14.1f %7.2f\n", "default (bootstrap profile)", img_len, t_commit * 1e6,
	       t_base * 1e6, t_commit / t_base);
	printf("%-34s %10zu %12.1f %14.1f %7.2f\n", "+ two installed TS.48 profiles", img2_len, t_commit2 * 1e6,
	       t_base2 * 1e6, t_commit2 / t_base2);
	printf("typical modem session (power on, TERMINAL PROFILE, EF.DIR/ICCID, PIN, USIM, IMSI/AD, AUTHENTICATE +\n"
	       "GET RESPONSE, location update EF.LOCI, STATUS), 10 sessions:\n");
	printf("  default card:        %lu APDUs, %lu commits, %lu bytes, %.1f bytes per APDU\n", apdus, commits, bytes,
	       (double)bytes / (double)apdus);
	printf("  two TS.48 profiles:  %lu APDUs, %lu commits, %lu bytes, %.1f bytes per APDU\n", apdus2, commits2,
	       bytes2, (double)bytes2 / (double)apdus2);
	unlink(path);
	unlink(path2);
	rmdir(dir);
	return 0;
}
