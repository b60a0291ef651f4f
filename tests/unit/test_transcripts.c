/*
 * APDU transcript tests: every tests/transcripts/<name>.apdu is replayed on a
 * freshly manufactured card. Format, one item per line:
 *   # comment            ignored (as are blank lines)
 *   reset                warm reset (the ATR is not checked)
 *   cold                 cold reset
 *   > C-APDU hex         sent to the card
 *   < R-APDU hex         the exact response expected ("..": any byte)
 * Every "> " must be followed by its "< ".
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"

#define TRANSCRIPT_DIR EUM_SOURCE_DIR "/tests/transcripts"
#define MAX_FILES      256

static char *names[MAX_FILES];

static int hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex with ".." wildcards (mask[i] = 0 for a wildcard byte). */
static long decode(const char *s, uint8_t *out, uint8_t *mask, size_t cap)
{
	size_t n = 0;

	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
			continue;
		}
		if (n >= cap || !s[1])
			return -1;
		if (s[0] == '.' && s[1] == '.') {
			out[n] = 0;
			mask[n++] = 0;
		} else {
			int hi = hexv(s[0]), lo = hexv(s[1]);
			if (hi < 0 || lo < 0)
				return -1;
			out[n] = (uint8_t)(hi << 4 | lo);
			mask[n++] = 1;
		}
		s += 2;
	}
	return (long)n;
}

static void quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

static void run_transcript(void **state)
{
	const char *name = *state;
	char path[1024], line[2048];
	eum_config cfg;
	eum_card *card;
	FILE *f;
	uint8_t capdu[300], rapdu[300], exp[300], mask[300];
	size_t rlen = 0;
	int pending = 0;
	unsigned lineno = 0;

	snprintf(path, sizeof(path), "%s/%s", TRANSCRIPT_DIR, name);
	f = fopen(path, "r");
	assert_non_null(f);
	eum_config_init(&cfg);
	cfg.log = quiet;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);

	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		long n;

		lineno++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0')
			continue;
		if (!strncmp(p, "reset", 5) || !strncmp(p, "cold", 4)) {
			if (pending)
				fail_msg("%s:%u: reset before the expected response", name, lineno);
			assert_int_equal(eum_card_reset(card, *p == 'c', NULL, 0, NULL), EUM_OK);
			continue;
		}
		if (p[0] == '>') {
			if (pending)
				fail_msg("%s:%u: C-APDU without an expected response before it", name, lineno);
			n = decode(p + 1, capdu, mask, sizeof(capdu));
			if (n < 0)
				fail_msg("%s:%u: malformed C-APDU", name, lineno);
			assert_int_equal(eum_card_transmit(card, capdu, (size_t)n, rapdu, sizeof(rapdu), &rlen),
			                 EUM_OK);
			pending = 1;
			continue;
		}
		if (p[0] == '<') {
			size_t i;
			int ok;
			if (!pending)
				fail_msg("%s:%u: response without a C-APDU", name, lineno);
			n = decode(p + 1, exp, mask, sizeof(exp));
			if (n < 0)
				fail_msg("%s:%u: malformed R-APDU", name, lineno);
			ok = (size_t)n == rlen;
			for (i = 0; ok && i < rlen; i++)
				ok = !mask[i] || exp[i] == rapdu[i];
			if (!ok) {
				char got[700];
				for (i = 0; i < rlen; i++)
					sprintf(got + 2 * i, "%02X", rapdu[i]);
				got[2 * rlen] = '\0';
				fail_msg("%s:%u: expected %s card answered %s", name, lineno, p + 1, got);
			}
			pending = 0;
			continue;
		}
		fail_msg("%s:%u: unknown line", name, lineno);
	}
	if (pending)
		fail_msg("%s: last C-APDU has no expected response", name);
	fclose(f);
	eum_card_free(card);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	struct CMUnitTest tests[MAX_FILES];
	DIR *d = opendir(TRANSCRIPT_DIR);
	struct dirent *e;
	size_t n = 0, i;
	int rc;

	if (!d) {
		fprintf(stderr, "no transcript directory %s\n", TRANSCRIPT_DIR);
		return 1;
	}
	while ((e = readdir(d)) && n < MAX_FILES) {
		size_t len = strlen(e->d_name);
		if (len > 5 && !strcmp(e->d_name + len - 5, ".apdu")) {
			names[n] = malloc(len + 1);
			memcpy(names[n], e->d_name, len + 1);
			n++;
		}
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (i = 0; i < n; i++) {
		tests[i] = (struct CMUnitTest){names[i], run_transcript, NULL, NULL, names[i]};
	}
	if (n == 0) {
		fprintf(stderr, "no transcripts found\n");
		return 1;
	}
	rc = _cmocka_run_group_tests("transcripts", tests, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	return rc;
}
