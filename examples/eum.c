/*
 * eum — drive an emulated eUICC from the command line.
 *
 *   eum apdu [CARD OPTIONS] [SCRIPT]      C-APDUs from a script or a pipe
 *   eum vpcd [CARD OPTIONS] [--host H] [--port P]   the card in a PC/SC reader (eum_vpcd.c)
 *   eum info --state FILE                 what a stored card holds
 *
 * eum apdu reads C-APDUs in hex, one per line (spaces allowed, '#' starts a comment, blank lines
 * ignored; a line "reset" warm-resets the card and prints the ATR) from SCRIPT or standard input,
 * and prints one line per C-APDU: the card's raw R-APDU in uppercase hex, data then SW, exactly as
 * the card answered (no automatic GET RESPONSE). Each answer is flushed as soon as its line is
 * read, so another program can drive the card over a pipe.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eum/eum.h"
#include "eum_tool.h"

#ifndef EUM_TOOL_VERSION
#define EUM_TOOL_VERSION "unknown"
#endif

const char eum_tool_card_opts_help[] =
        "  --config FILE              card configuration file (libconfig syntax, see eum.conf)\n"
        "  --state FILE               keep the card in FILE (created on first use)\n"
        "  --bootstrap-profile FILE   manufacture the card with this TCA profile package (DER)\n"
        "                             instead of the built-in test card\n"
        "  --gsmtap HOST[:PORT]       send every ATR and APDU as GSMTAP (type SIM) over UDP\n"
        "                             (default port 4729), as Osmocom SIMtrace2 does\n"
        "  --pcap FILE                write the same GSMTAP messages to a pcap file Wireshark opens\n";

static void usage(FILE *f)
{
	fputs("usage: eum apdu [CARD OPTIONS] [SCRIPT]\n"
	      "       eum vpcd [CARD OPTIONS] [--host HOST] [--port PORT]\n"
	      "       eum info --state FILE\n"
	      "       eum --help | --version | COMMAND --help\n"
	      "\n"
	      "apdu   run C-APDUs (hex, one per line; '#' comments; 'reset' prints the ATR)\n"
	      "       from SCRIPT or standard input; prints each R-APDU (data then SW) in hex\n"
	      "vpcd   put the card in a PC/SC reader slot through vsmartcard's vpcd driver of pcscd\n"
	      "info   print a summary of a stored card (identities, counters; never keys)\n"
	      "\n"
	      "card options (apdu, vpcd):\n",
	      f);
	fputs(eum_tool_card_opts_help, f);
}

static void usage_apdu(FILE *f)
{
	fputs("usage: eum apdu [CARD OPTIONS] [SCRIPT | -]\n"
	      "\n"
	      "Runs C-APDUs in hex, one per line, from SCRIPT or standard input ('-'), and prints\n"
	      "each R-APDU in uppercase hex (data then SW1 SW2) as soon as the card answers.\n"
	      "Spaces are allowed, '#' starts a comment; a line 'reset' warm-resets the card and\n"
	      "prints the ATR; transcripts ('> C-APDU' sent, '< R-APDU' skipped) run too.\n"
	      "The card is cold-reset before the first line; with T=0 semantics (61xx: GET RESPONSE).\n"
	      "\n"
	      "card options:\n",
	      f);
	fputs(eum_tool_card_opts_help, f);
	fputs("\nexit status: 0 done, 1 malformed input line, 2 bad usage or the card could not be made\n", f);
}

static void usage_info(FILE *f)
{
	fputs("usage: eum info --state FILE\n"
	      "\n"
	      "Prints a summary of the card stored in FILE (identities, profiles, counters;\n"
	      "never keys or PINs). A damaged or foreign file is refused with the reason.\n"
	      "\n"
	      "exit status: 0 done, 1 the image was refused, 2 bad usage or the file cannot be read\n",
	      f);
}

static int is_help(const char *a)
{
	return !strcmp(a, "--help") || !strcmp(a, "-h");
}

int eum_tool_card_option(const char *cmd, int argc, char **argv, int *i, struct eum_tool_card_opts *o)
{
	const char **slot;
	const char *a = argv[*i];

	if (!strcmp(a, "--config"))
		slot = &o->config;
	else if (!strcmp(a, "--state"))
		slot = &o->state;
	else if (!strcmp(a, "--bootstrap-profile"))
		slot = &o->profile;
	else if (!strcmp(a, "--gsmtap"))
		slot = &o->gsmtap;
	else if (!strcmp(a, "--pcap"))
		slot = &o->pcap;
	else
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "eum %s: %s needs a value\n", cmd, a);
		return -1;
	}
	*slot = argv[++*i];
	return 1;
}

/* The library's log: printed to stderr, except while a card is being made, when the messages are
 * kept so that a refusal is reported with the library's reason. One card per process. */
static struct {
	int keeping;
	char lines[8][256];
	size_t n;
} tool_log;

static void log_hook(void *ctx, eum_log_level level, const char *msg)
{
	static const char *const names[EUM_LOG_NUM] = {"error", "warning", "info", "debug"};

	(void)ctx;
	if (tool_log.keeping && level <= EUM_LOG_WARN) {
		if (tool_log.n < sizeof(tool_log.lines) / sizeof(tool_log.lines[0]))
			snprintf(tool_log.lines[tool_log.n++], sizeof(tool_log.lines[0]), "%s", msg);
		return;
	}
	fprintf(stderr, "eum: %s: %s\n", names[level < EUM_LOG_NUM ? level : EUM_LOG_DEBUG], msg);
}

int eum_tool_card_open(const char *cmd, const struct eum_tool_card_opts *o, struct eum_tool_trace *t, eum_card **card)
{
	eum_config cfg;
	char err[512] = "";
	size_t k;
	int rc;

	*card = NULL;
	eum_config_init(&cfg);
	if (o->config) {
		rc = eum_config_load_file(&cfg, o->config, err, sizeof(err));
		if (rc) {
			fprintf(stderr, "eum %s: %s: %s\n", cmd, eum_strerror(rc), err);
			eum_config_clear(&cfg);
			return 2;
		}
	}
	if (o->state)
		cfg.state_path = o->state;
	if (o->profile) {
		FILE *f = fopen(o->profile, "rb"); /* the system's reason, before the library's */

		if (!f) {
			fprintf(stderr, "eum %s: %s: %s\n", cmd, o->profile, strerror(errno));
			eum_config_clear(&cfg);
			return 2;
		}
		fclose(f);
		cfg.bootstrap_profile_path = o->profile;
	}
	if (eum_tool_trace_open(t, o->gsmtap, o->pcap, err, sizeof(err)) != 0) {
		fprintf(stderr, "eum %s: %s\n", cmd, err);
		eum_config_clear(&cfg);
		return 2;
	}
	if (t->udp >= 0 || t->pcap) {
		cfg.trace = eum_tool_trace_hook;
		cfg.trace_ctx = t;
	}
	cfg.log = log_hook;
	cfg.log_ctx = NULL;
	tool_log.keeping = 1;
	tool_log.n = 0;
	rc = eum_card_new(card, &cfg);
	tool_log.keeping = 0;
	if (rc) {
		const char *what = cfg.state_path ? cfg.state_path : cfg.bootstrap_profile_path;

		/* the library's own words say why; the last line names the file and the error class */
		for (k = 0; k < tool_log.n; k++)
			fprintf(stderr, "eum %s: %s\n", cmd, tool_log.lines[k]);
		if (rc == EUM_ERR_PROFILE && cfg.bootstrap_profile_path)
			what = cfg.bootstrap_profile_path;
		if (what)
			fprintf(stderr, "eum %s: %s: cannot create the card: %s\n", cmd, what, eum_strerror(rc));
		else
			fprintf(stderr, "eum %s: cannot create the card: %s\n", cmd, eum_strerror(rc));
		eum_config_clear(&cfg);
		eum_tool_trace_close(t);
		return 2;
	}
	for (k = 0; k < tool_log.n; k++) /* warnings of a card that was made after all */
		fprintf(stderr, "eum: warning: %s\n", tool_log.lines[k]);
	eum_config_clear(&cfg);
	return 0;
}

void eum_tool_card_close(eum_card *card, struct eum_tool_trace *t)
{
	eum_card_free(card);
	eum_tool_trace_close(t);
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
	static char text[65536]; /* eum_image_describe: summary and every non-secret field */
	uint8_t *img;
	long size;
	FILE *f;
	int rc;

	if (argc >= 1 && is_help(argv[0])) {
		usage_info(stdout);
		return 0;
	}
	if (argc != 2 || strcmp(argv[0], "--state") != 0) {
		if (argc >= 1 && strcmp(argv[0], "--state") != 0)
			fprintf(stderr, "eum info: unexpected argument %s\n", argv[0]);
		else
			fprintf(stderr, "eum info: --state FILE is required\n");
		usage_info(stderr);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "eum info: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "eum info: %s: %s\n", argv[1], strerror(errno));
		fclose(f);
		return 2;
	}
	img = malloc(size > 0 ? (size_t)size : 1);
	if (!img || fread(img, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "eum info: %s: cannot read: %s\n", argv[1], img ? strerror(errno) : "out of memory");
		fclose(f);
		free(img);
		return 2;
	}
	fclose(f);
	rc = eum_image_describe(img, (size_t)size, text, sizeof(text));
	free(img);
	if (rc) {
		fprintf(stderr, "eum info: %s: %s", argv[1], text);
		if (text[0] == '\0' || text[strlen(text) - 1] != '\n')
			fputc('\n', stderr);
		return 1;
	}
	fputs(text, stdout);
	return 0;
}

static int run_apdu(int argc, char **argv)
{
	struct eum_tool_card_opts o = {0};
	struct eum_tool_trace t;
	const char *script = NULL;
	eum_card *card = NULL;
	FILE *in = stdin;
	char line[4096];
	unsigned long lineno = 0;
	uint8_t capdu[300], rapdu[300];
	size_t rlen, atr_len;
	int i, rc, status = 0;

	for (i = 0; i < argc; i++) {
		if (is_help(argv[i])) {
			usage_apdu(stdout);
			return 0;
		}
		rc = eum_tool_card_option("apdu", argc, argv, &i, &o);
		if (rc < 0)
			return 2;
		if (rc > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "eum apdu: unknown option %s (eum apdu --help lists them)\n", argv[i]);
			return 2;
		}
		if (script) {
			fprintf(stderr, "eum apdu: more than one script given (%s, %s)\n", script, argv[i]);
			return 2;
		}
		script = argv[i];
	}
	if (script && strcmp(script, "-") != 0) {
		in = fopen(script, "r");
		if (!in) {
			fprintf(stderr, "eum apdu: %s: %s\n", script, strerror(errno));
			return 2;
		}
	}
	rc = eum_tool_card_open("apdu", &o, &t, &card);
	if (rc) {
		if (in != stdin)
			fclose(in);
		return rc;
	}
	eum_card_reset(card, 1, NULL, 0, NULL);

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
	eum_tool_card_close(card, &t);
	return status;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && is_help(argv[1])) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("eum %s\n", EUM_TOOL_VERSION);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "apdu"))
		return run_apdu(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "info"))
		return run_info(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "vpcd"))
		return eum_tool_run_vpcd(argc - 2, argv + 2);
	if (argc >= 2)
		fprintf(stderr, "eum: unknown command %s\n", argv[1]);
	else
		fprintf(stderr, "eum: a command is needed\n");
	usage(stderr);
	return 2;
}
