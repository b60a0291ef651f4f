/*
 * Shared helpers of the libFuzzer targets (tests/fuzz/fuzz_*.c): a deterministic card (the same
 * input always takes the same path: randomness and clock come from the harness, never the OS), a
 * storage hook in memory, and an APDU exchange that tolerates whatever the card answers — the
 * fuzzers look for crashes, leaks and sanitizer reports, not for particular status words.
 *
 * Every target defines LLVMFuzzerTestOneInput(); with -DEUM_FUZZ=ON it is linked with libFuzzer,
 * and in every build with replay_main.c, which ctest uses to replay the committed corpora.
 */
#ifndef EUM_FUZZ_FUZZ_H
#define EUM_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eum/eum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_RAPDU_MAX 300

/* xorshift64: the card's randomness, restarted for every input by fuzz_config(). */
static uint64_t fuzz_rng_state;

static inline int fuzz_rng(void *ctx, uint8_t *buf, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < len; i++) {
		fuzz_rng_state ^= fuzz_rng_state << 13;
		fuzz_rng_state ^= fuzz_rng_state >> 7;
		fuzz_rng_state ^= fuzz_rng_state << 17;
		buf[i] = (uint8_t)(fuzz_rng_state >> 24);
	}
	return 0;
}

/* The card's log: quiet, but printed to stderr under EUM_FUZZ_TRACE (below), e.g. to see why an
 * image is refused. */
static inline void fuzz_quiet(void *ctx, eum_log_level level, const char *msg)
{
	static int on = -1;

	(void)ctx;
	if (on < 0)
		on = getenv("EUM_FUZZ_TRACE") != NULL;
	if (on)
		fprintf(stderr, "log %d: %s\n", (int)level, msg);
}

/* The host's non-volatile memory, emulated: the stored bytes (base image and journal records,
 * src/store/image.h) that load hands back, store replaces and append extends — a flash that
 * never fails. An empty one (len 0, !present) makes the card manufacture itself. */
#define FUZZ_FLASH_MAX (1024 * 1024)

struct fuzz_mem {
	uint8_t *b; /* FUZZ_FLASH_MAX bytes, owned (fuzz_mem_init / fuzz_mem_free) */
	size_t len;
	int present;
};

static inline void fuzz_mem_init(struct fuzz_mem *m, const uint8_t *img, size_t len)
{
	m->b = malloc(FUZZ_FLASH_MAX);
	if (!m->b || len > FUZZ_FLASH_MAX)
		abort();
	if (len)
		memcpy(m->b, img, len);
	m->len = len;
	m->present = img != NULL;
}

static inline void fuzz_mem_free(struct fuzz_mem *m)
{
	free(m->b);
	m->b = NULL;
}

static inline int fuzz_mem_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct fuzz_mem *m = ctx;

	if (!m->present)
		return EUM_ERR_NOT_FOUND;
	*len = m->len;
	if (!buf)
		return EUM_OK;
	if (cap < m->len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	if (m->len)
		memcpy(buf, m->b, m->len);
	return EUM_OK;
}

static inline int fuzz_mem_store(void *ctx, const uint8_t *image, size_t len)
{
	struct fuzz_mem *m = ctx;

	if (len > FUZZ_FLASH_MAX)
		return EUM_ERR_STORAGE;
	memcpy(m->b, image, len);
	m->len = len;
	m->present = 1;
	return EUM_OK;
}

static inline int fuzz_mem_append(void *ctx, const uint8_t *record, size_t len)
{
	struct fuzz_mem *m = ctx;

	if (!m->present || len > FUZZ_FLASH_MAX - m->len)
		return EUM_ERR_STORAGE;
	memcpy(m->b + m->len, record, len);
	m->len += len;
	return EUM_OK;
}

/* The default configuration, made deterministic and quiet. */
static inline void fuzz_config(eum_config *cfg)
{
	eum_config_init(cfg);
	fuzz_rng_state = 0x9E3779B97F4A7C15ull;
	cfg->rng = fuzz_rng;
	cfg->log = fuzz_quiet;
	cfg->log_level = EUM_LOG_DEBUG; /* the log paths are code too */
}

/* Attach the emulated flash to a configuration (st must outlive eum_card_new()). */
static inline void fuzz_config_mem(eum_config *cfg, eum_storage *st, struct fuzz_mem *mem)
{
	memset(st, 0, sizeof(*st));
	st->load = fuzz_mem_load;
	st->store = fuzz_mem_store;
	st->ctx = mem;
	cfg->storage = st;
	cfg->storage_append = fuzz_mem_append;
}

/* A card from the default configuration on the emulated flash `mem` (empty: manufactured),
 * reset. NULL when the card refused to come up (a refused image, for instance). */
static inline eum_card *fuzz_card(struct fuzz_mem *mem)
{
	eum_config cfg;
	eum_storage st;
	eum_card *card = NULL;

	fuzz_config(&cfg);
	fuzz_config_mem(&cfg, &st, mem);
	if (eum_card_new(&card, &cfg) != EUM_OK)
		return NULL;
	if (eum_card_reset(card, 1, NULL, 0, NULL) != EUM_OK) {
		eum_card_free(card);
		return NULL;
	}
	return card;
}

/* EUM_FUZZ_TRACE=1 in the environment prints every exchange of fuzz_xmit() and the card's log lines to stderr (to see
 * how deep an input gets when writing seeds; never while fuzzing). */
static inline void fuzz_trace(const char *dir, const uint8_t *b, size_t n)
{
	static int on = -1;
	size_t i;

	if (on < 0)
		on = getenv("EUM_FUZZ_TRACE") != NULL;
	if (!on)
		return;
	fputs(dir, stderr);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%02X", b[i]);
	fputc('\n', stderr);
}

/* Send one APDU; returns its SW (0 when the card refused the call itself), data in out. */
static inline uint16_t fuzz_xmit(eum_card *card, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len)
{
	uint8_t r[FUZZ_RAPDU_MAX];
	size_t rl = 0;

	if (out_len)
		*out_len = 0;
	fuzz_trace("> ", c, n);
	if (eum_card_transmit(card, c, n, r, sizeof(r), &rl) != EUM_OK || rl < 2)
		return 0;
	fuzz_trace("< ", r, rl);
	if (out && out_len) {
		memcpy(out, r, rl - 2);
		*out_len = rl - 2;
	}
	return (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
}

/* The same, fetching 61xx data with GET RESPONSE as a T=0 terminal does. */
static inline uint16_t fuzz_xmit_get(eum_card *card, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len)
{
	uint8_t gr[5] = {0x00, 0xC0, 0x00, 0x00, 0x00};
	uint16_t sw = fuzz_xmit(card, c, n, out, out_len);

	if ((sw & 0xFF00) != 0x6100)
		return sw;
	gr[0] = (uint8_t)(c[0] & 0x03); /* the same basic-range logical channel */
	gr[4] = (uint8_t)sw;
	return fuzz_xmit(card, gr, sizeof(gr), out, out_len);
}

/* Answer pending proactive commands (91xx) as a terminal that performs them all: FETCH, then
 * TERMINAL RESPONSE "command performed successfully" echoing the command details. At most
 * `max` rounds; returns the last SW. */
static inline uint16_t fuzz_drain_proactive(eum_card *card, uint16_t sw, unsigned max)
{
	while ((sw & 0xFF00) == 0x9100 && max--) {
		uint8_t fetch[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw};
		uint8_t tr[] = {0x80, 0x14, 0x00, 0x00, 0x0C, 0x81, 0x03, 0x01, 0x13,
		                0x00, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00};
		uint8_t d[FUZZ_RAPDU_MAX];
		size_t n = 0, off;

		if (fuzz_xmit(card, fetch, sizeof(fetch), d, &n) != 0x9000 || n < 2)
			return 0;
		/* D0 L [81 L2] 81 03 number type qualifier (TS 102 223 §6.6, §8.6) */
		off = d[1] == 0x81 ? 3 : 2;
		if (off + 5 <= n && (d[off] & 0x7F) == 0x01 && d[off + 1] == 0x03)
			memcpy(tr + 7, d + off + 2, 3);
		sw = fuzz_xmit(card, tr, sizeof(tr), NULL, NULL);
	}
	return sw;
}

/* Abort with a message: an oracle of a target failed (reported by libFuzzer as a crash). */
#define fuzz_check(c, ...)                                                                                             \
	do {                                                                                                           \
		if (!(c)) {                                                                                            \
			fprintf(stderr, "fuzz oracle failed: %s: ", #c);                                               \
			fprintf(stderr, __VA_ARGS__);                                                                  \
			fputc('\n', stderr);                                                                           \
			abort();                                                                                       \
		}                                                                                                      \
	} while (0)

/*
 * Oracles, after every input of the card-driving targets:
 *  - the image the card saves (its whole persistent state, canonical) loads again;
 *  - what the card committed to its storage (base image + journal records) loads into exactly
 *    that state: a card made from the stored bytes saves the same image. A persistent field
 *    changed without being committed (or journalled), or a journal that replays differently,
 *    fails here.
 */
static inline void fuzz_check_image(const eum_card *card, const struct fuzz_mem *mem)
{
	static uint8_t img[512 * 1024], img2[512 * 1024];
	static char why[64 * 1024];
	size_t len = 0, len2 = 0;
	int rc = eum_card_save_image(card, img, sizeof(img), &len);

	fuzz_check(rc == EUM_OK, "save: %s", eum_strerror(rc));
	rc = eum_image_describe(img, len, why, sizeof(why));
	fuzz_check(rc != EUM_ERR_CORRUPT, "the card's own image is refused: %s", why);
	if (getenv("EUM_FUZZ_TRACE"))
		fprintf(stderr, "%s\n", why);
	if (getenv("EUM_FUZZ_SAVE_FINAL")) {
		/* seed writer (tests/fuzz/README.md): the stored bytes after the input */
		FILE *o = fopen(getenv("EUM_FUZZ_SAVE_FINAL"), "wb");
		fuzz_check(mem != NULL, "no storage to save");
		fuzz_check(o && fwrite(mem->b, 1, mem->len, o) == mem->len && fclose(o) == 0, "cannot write the image");
	}
	if (mem && mem->present) {
		struct fuzz_mem copy;
		eum_card *again;
		fuzz_mem_init(&copy, mem->b, mem->len);
		again = fuzz_card(&copy);
		fuzz_check(again != NULL, "the card's stored bytes (%zu) are refused", mem->len);
		rc = eum_card_save_image(again, img2, sizeof(img2), &len2);
		fuzz_check(rc == EUM_OK, "save: %s", eum_strerror(rc));
		fuzz_check(len == len2 && memcmp(img, img2, len) == 0,
		           "the stored bytes load into another state than the card's (%zu vs %zu bytes)", len2, len);
		eum_card_free(again);
		fuzz_mem_free(&copy);
	}
}

#endif
