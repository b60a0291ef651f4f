/*
 * Fuzz target: the card configuration file (libconfig syntax, examples/eum.conf) through the
 * public API — eum_config_load_file() — and, when it is accepted, manufacturing a card from it
 * (eum_card_new() validates what the loader let through: keys, certificate, ES5 policy...).
 *
 * Input: the file's text, written to a private temporary file (the API reads paths only). The
 * card never writes a state file here: state_file and bootstrap_profile are dropped after
 * loading, so an input cannot make the fuzzer write or parse files of its choosing.
 */
#define _POSIX_C_SOURCE 200809L

#include <unistd.h>

#include "fuzz.h"

static char path[64];

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eum_config cfg;
	eum_card *card = NULL;
	char err[256];
	FILE *f;

	if (!path[0]) {
		int fd;
		strcpy(path, "/tmp/eum-fuzz-config-XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		close(fd);
		atexit(cleanup);
	}
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	eum_config_init(&cfg);
	if (eum_config_load_file(&cfg, path, err, sizeof(err)) == EUM_OK) {
		cfg.state_path = NULL;
		cfg.storage = NULL;
		cfg.bootstrap_profile_path = NULL;
		fuzz_rng_state = 0x9E3779B97F4A7C15ull;
		cfg.rng = fuzz_rng;
		cfg.log = fuzz_quiet;
		if (eum_card_new(&card, &cfg) == EUM_OK) {
			if (eum_card_reset(card, 1, NULL, 0, NULL) == EUM_OK) {
				static const uint8_t status[] = {0x80, 0xF2, 0x00, 0x00, 0x00};
				uint8_t r[FUZZ_RAPDU_MAX];
				size_t rl = 0;
				(void)eum_card_transmit(card, status, sizeof(status), r, sizeof(r), &rl);
			}
			eum_card_free(card);
		}
	}
	eum_config_clear(&cfg);
	return 0;
}
