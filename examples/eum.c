/*
 * eum — drive an emulated eUICC from the command line.
 *
 *   eum apdu [--config FILE] [--state FILE] [--bootstrap-profile FILE.der] [SCRIPT]
 *
 * Reads C-APDUs in hex, one per line (spaces allowed, '#' starts a comment,
 * blank lines ignored; a line "reset" warm-resets the card and prints the
 * ATR) from SCRIPT or standard input, and prints one line per C-APDU: the
 * card's raw R-APDU in uppercase hex, data then SW, exactly as the card
 * answered (no automatic GET RESPONSE). Each answer is flushed as soon as
 * its line is read, so another program can drive the card over a pipe.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eum/eum.h"

static void usage(FILE *f)
{
	fputs("usage: eum apdu [--config FILE] [--state FILE] [--bootstrap-profile FILE.der] [SCRIPT]\n"
	      "       eum info --state FILE\n"
	      "       eum --help\n"
	      "\n"
	      "apdu   run C-APDUs (hex, one per line; '#' comments; 'reset' prints the ATR)\n"
	      "       from SCRIPT or standard input; prints each R-APDU (data then SW) in hex;\n"
	      "       --state FILE keeps the card in FILE (created on first use)\n"
	      "info   print a summary of a stored card (identities, counters; never keys)\n",
	      f);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void print_hex(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
	putchar('\n');
	fflush(stdout);
}

/* Strip comment and blanks; decode hex. Returns the byte count, -1 if the
 * line is empty, -2 for a malformed line. */
static long parse_line(char *line, uint8_t *out, size_t cap, int *is_reset)
{
	char *hash = strchr(line, '#');
	size_t n = 0;
	int hi = -1;
	char *p, *start, *end;

	if (hash)
		*hash = '\0';
	for (start = line; *start == ' ' || *start == '\t'; start++)
		;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	*is_reset = strcmp(start, "reset") == 0 || strcmp(start, "cold") == 0;
	if (*is_reset)
		return 0;
	/* the transcript format of tests/transcripts: "> C-APDU" is sent, "< R-APDU" skipped */
	if (*start == '<')
		return -1;
	if (*start == '>')
		start++;
	if (*start == '\0')
		return -1;
	for (p = start; *p; p++) {
		int v;
		if (*p == ' ' || *p == '\t')
			continue;
		v = hexval(*p);
		if (v < 0 || (hi >= 0 && n >= cap))
			return -2;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi >= 0 ? -2 : (long)n;
}

/* eum info --state FILE: a readable summary of a stored card (never keys). */
static int run_info(int argc, char **argv)
{
	static char text[8192];
	uint8_t *img;
	long size;
	FILE *f;
	int rc;

	if (argc != 2 || strcmp(argv[0], "--state") != 0) {
		fprintf(stderr, "usage: eum info --state FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "eum info: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	img = malloc(size > 0 ? (size_t)size : 1);
	if (!img || size < 0 || fread(img, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "eum info: %s: cannot read\n", argv[1]);
		fclose(f);
		free(img);
		return 2;
	}
	fclose(f);
	rc = eum_image_describe(img, (size_t)size, text, sizeof(text));
	free(img);
	if (rc) {
		fprintf(stderr, "eum info: %s: %s", argv[1], text);
		return 1;
	}
	fputs(text, stdout);
	return 0;
}

static int run_apdu(int argc, char **argv)
{
	const char *script = NULL, *config = NULL, *state = NULL, *profile = NULL;
	eum_config cfg;
	eum_card *card = NULL;
	FILE *in = stdin;
	char line[4096];
	unsigned long lineno = 0;
	uint8_t capdu[300], rapdu[300];
	size_t rlen, atr_len;
	int i, rc, status = 0;

	for (i = 0; i < argc; i++) {
		const char **slot = NULL;
		if (!strcmp(argv[i], "--config"))
			slot = &config;
		else if (!strcmp(argv[i], "--state"))
			slot = &state;
		else if (!strcmp(argv[i], "--bootstrap-profile"))
			slot = &profile;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "eum apdu: unknown option %s\n", argv[i]);
			return 2;
		} else if (!script) {
			script = argv[i];
			continue;
		} else {
			fprintf(stderr, "eum apdu: more than one script given\n");
			return 2;
		}
		if (++i == argc) {
			fprintf(stderr, "eum apdu: %s needs a value\n", argv[i - 1]);
			return 2;
		}
		*slot = argv[i];
	}

	eum_config_init(&cfg);
	if (config) {
		char err[512] = "";
		rc = eum_config_load_file(&cfg, config, err, sizeof(err));
		if (rc) {
			fprintf(stderr, "eum apdu: %s: %s\n", eum_strerror(rc), err);
			eum_config_clear(&cfg);
			return 2;
		}
	}
	if (state)
		cfg.state_path = state;
	if (profile)
		cfg.bootstrap_profile_path = profile;
	rc = eum_card_new(&card, &cfg);
	if (rc) {
		if (rc == EUM_ERR_CORRUPT)
			fprintf(stderr, "eum apdu: %s: the state file is damaged or not an eum card image\n",
			        cfg.state_path ? cfg.state_path : "storage");
		else if ((rc == EUM_ERR_PROFILE || rc == EUM_ERR_IO) && cfg.bootstrap_profile_path)
			fprintf(stderr, "eum apdu: %s: %s\n", cfg.bootstrap_profile_path,
			        rc == EUM_ERR_IO ? "cannot read the profile package" : "profile package refused");
		else
			fprintf(stderr, "eum apdu: cannot create the card: %s\n", eum_strerror(rc));
		eum_config_clear(&cfg);
		return 2;
	}
	eum_config_clear(&cfg);
	eum_card_reset(card, 1, NULL, 0, NULL);

	if (script && strcmp(script, "-") != 0) {
		in = fopen(script, "r");
		if (!in) {
			fprintf(stderr, "eum apdu: %s: %s\n", script, strerror(errno));
			eum_card_free(card);
			return 2;
		}
	}
	while (fgets(line, sizeof(line), in)) {
		int is_reset;
		long n;

		lineno++;
		if (!strchr(line, '\n') && !feof(in)) {
			fprintf(stderr, "eum apdu: line %lu: line too long\n", lineno);
			status = 1;
			break;
		}
		n = parse_line(line, capdu, sizeof(capdu), &is_reset);
		if (n == -1)
			continue;
		if (is_reset) {
			uint8_t atr[EUM_ATR_MAX];
			eum_card_reset(card, 0, atr, sizeof(atr), &atr_len);
			print_hex(atr, atr_len);
			continue;
		}
		if (n == -2 || n < 4 || n > 261) {
			fprintf(stderr, "eum apdu: line %lu: not a C-APDU in hex (4 to 261 bytes)\n", lineno);
			status = 1;
			break;
		}
		rc = eum_card_transmit(card, capdu, (size_t)n, rapdu, sizeof(rapdu), &rlen);
		if (rc) {
			fprintf(stderr, "eum apdu: line %lu: %s\n", lineno, eum_strerror(rc));
			status = 1;
			break;
		}
		print_hex(rapdu, rlen);
	}
	if (in != stdin)
		fclose(in);
	eum_card_free(card);
	return status;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "apdu"))
		return run_apdu(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "info"))
		return run_info(argc - 2, argv + 2);
	usage(stderr);
	return 2;
}
