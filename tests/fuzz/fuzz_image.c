/*
 * Fuzz target: the state image a card is loaded from (src/store/image.h), through the public
 * API — eum_card_new() with a host storage hook that hands out the input — then the commands a
 * modem sends first after power-up, which walk what the loader accepted: STATUS, SELECT MF /
 * DF.TELECOM / ADF.USIM, READ BINARY, AUTHENTICATE, GET STATUS on the ISD-R, an ES5 location
 * event. Oracles: a loaded card's own image loads again.
 *
 * Built twice: fuzz_image mutates the image as is (the CRC check and the header parser);
 * fuzz_image_crc (FUZZ_IMAGE_FIX_CRC) recomputes the checksum after mutation (image_fix.h), so
 * that the section parsers and the loader's invariants see the mutations.
 *
 * Seed writers (tests/fuzz/gen_card_seeds.sh), from a current image given as the input, so that the
 * regression seeds follow the format: EUM_FUZZ_SAVE_NO_ENABLED=f writes the input's state with every
 * ENABLED ISD-P made DISABLED (to be refused by the exactly-one-ENABLED invariant),
 * EUM_FUZZ_SAVE_NO_SECTIONS=f the input's header with an empty payload. Each checks that the loader
 * refuses what it wrote for the reason the seed is kept for, not an earlier one.
 */
#include "fuzz.h"
#include "gp/domains.h"
#include "image_fix.h"

static const char *const after_load[] = {
        "80F2000000",                                 /* STATUS (TS 102 221 §11.1.2) */
        "00A40004023F00",                             /* SELECT MF */
        "00A40004027F10",                             /* SELECT DF.TELECOM */
        "00A40004022FE2",                             /* SELECT EF.ICCID */
        "00B000000A",                                 /* READ BINARY */
        "00A4040410A0000000871002FFFFFFFF8907090000", /* SELECT ADF.USIM by AID */
        "00A40004026F07",                             /* SELECT EF.IMSI */
        "00B0000009",                                 /* READ BINARY */
        "0088008122"
        "10000102030405060708090A0B0C0D0E0F" /* AUTHENTICATE 3G context */
        "10000102030405060708090A0B0C0D0E0F",
        "80F2000000",                                 /* STATUS again, on the ADF */
        "00A4040010A0000005591010FFFFFFFF8900000100", /* SELECT ISD-R */
        "80F24002024F0000",                           /* GET STATUS */
        "8010000008FFFFFFFFFFFFFFFF",                 /* TERMINAL PROFILE */
        "80C200000CD60A99010382028281 9B0100",        /* ENVELOPE location status: normal service */
};

#if defined(FUZZ_IMAGE_FIX_CRC) && defined(EUM_FUZZ_LIBFUZZER)
/*
 * libFuzzer only: a mutator that knows where the sections are. Half of the mutations change one
 * byte in the header or near the start of a random section (where the life-cycle states, flags, counts and
 * lengths live) to a value the card branches on; the other half are libFuzzer's own. Without it
 * a byte that matters (an ISD-P's life-cycle state) is one of thousands and rarely hit.
 */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static const uint8_t values[] = {0x00, 0x01, 0x02, 0x03, 0x07, 0x0F, 0x1F, 0x3F, 0x83, 0x7F, 0x80, 0xFF};
	static size_t val[1024], val_len[1024];
	size_t n, s, pos, span;

	if (seed & 1)
		return LLVMFuzzerMutate(data, size, max_size);
	n = fuzz_image_sections(data, size, val, val_len, 1024);
	if (n == 0 || size > max_size)
		return LLVMFuzzerMutate(data, size, max_size);
	seed >>= 1;
	s = seed % n;
	seed /= (unsigned)n;
	/* the section's header (kind, slot, index, length) or the first bytes of its value */
	span = FUZZ_SECTION_HDR + (val_len[s] < 64 ? val_len[s] : 64);
	pos = val[s] - FUZZ_SECTION_HDR + seed % span;
	seed /= 128;
	data[pos] = values[seed % sizeof(values)];
	return size;
}
#endif

/* Write n bytes to the file named by env var `var`, after checking that the loader refuses them
 * with a reason containing `reason`. */
static void save_refused(const char *var, const uint8_t *img, size_t n, const char *reason)
{
	struct eum_pstate *ps = malloc(sizeof(*ps));
	char why[256] = "";
	FILE *o;
	int rc;

	fuzz_check(ps != NULL, "out of memory");
	rc = eum_image_read(ps, img, n, why, sizeof(why));
	free(ps);
	fuzz_check(rc == EUM_ERR_CORRUPT && strstr(why, reason), "%s: refused for \"%s\", not \"%s\"", var, why,
	           reason);
	o = fopen(getenv(var), "wb");
	fuzz_check(o && fwrite(img, 1, n, o) == n && fclose(o) == 0, "cannot write %s", getenv(var));
}

static void save_seeds(const uint8_t *data, size_t size)
{
	static uint8_t out[512 * 1024];
	size_t n, i;

	if (getenv("EUM_FUZZ_SAVE_NO_ENABLED")) {
		struct eum_pstate *ps = malloc(sizeof(*ps));
		char why[256] = "";
		fuzz_check(ps != NULL, "out of memory");
		fuzz_check(eum_image_read(ps, data, size, why, sizeof(why)) == EUM_OK, "input refused: %s", why);
		for (i = 0; i < EUM_MAX_ISDP; i++)
			if (ps->isdp[i]->in_use && ps->isdp[i]->lcs == EUM_ISDP_ENABLED)
				ps->isdp[i]->lcs = EUM_ISDP_DISABLED;
		fuzz_check(eum_image_write(ps, out, sizeof(out), &n) == EUM_OK, "cannot write the image");
		eum_pstate_free(ps);
		free(ps);
		save_refused("EUM_FUZZ_SAVE_NO_ENABLED", out, n, "0 profiles ENABLED");
	}
	if (getenv("EUM_FUZZ_SAVE_NO_SECTIONS")) {
		fuzz_check(size >= FUZZ_IMG_HDR, "input shorter than an image header");
		memcpy(out, data, FUZZ_IMG_HDR);
		memset(out + FUZZ_IMG_HDR - 4, 0, 4); /* payload length: none */
		fuzz_put_crc(out + FUZZ_IMG_HDR, out, FUZZ_IMG_HDR);
		save_refused("EUM_FUZZ_SAVE_NO_SECTIONS", out, FUZZ_IMG_HDR + 4, "a platform section is missing");
	}
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[1] && n < cap) {
		unsigned v;
		if (s[0] == ' ') {
			s++;
			continue;
		}
		if (sscanf(s, "%2x", &v) != 1)
			abort();
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_mem mem;
	uint8_t *img = malloc(size ? size : 1);
	eum_card *card;
	size_t i;

	if (!img)
		abort();
	memcpy(img, data, size);
	save_seeds(data, size);
#ifdef FUZZ_IMAGE_FIX_CRC
	fuzz_image_fix_crc(img, size);
#endif
	fuzz_mem_init(&mem, img, size);
	card = fuzz_card(&mem);
	if (card) {
		for (i = 0; i < sizeof(after_load) / sizeof(after_load[0]); i++) {
			uint8_t c[FUZZ_RAPDU_MAX], out[FUZZ_RAPDU_MAX];
			size_t n = unhex(after_load[i], c, sizeof(c)), ol = 0;
			uint16_t sw = fuzz_xmit_get(card, c, n, out, &ol);
			fuzz_drain_proactive(card, sw, 4);
		}
		fuzz_check_image(card, &mem);
		eum_card_free(card);
	}
	fuzz_mem_free(&mem);
	free(img);
	return 0;
}
