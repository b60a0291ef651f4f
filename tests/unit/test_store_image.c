/*
 * The state image loader (src/store/image.c, format in image.h): images that are CRC-valid but break an
 * invariant the card relies on are refused with the reason (issue 16: no ENABLED profile, an enabled or
 * fall-back ISD-P without a profile, a bad MF parent, broken file-system links, dangling ES5 slot
 * references); load then save is byte-exact, also through a journal; a cut journal record is ignored;
 * a refused state file stops eum_card_new() with a log line naming the file and the reason; the image
 * fuzz corpora's regression seeds are refused for the reason they are kept for (not a stale layout).
 *
 * Bad images are built from a good one, either by changing the loaded state and writing it again (the
 * writer computes the CRC) or by changing bytes and fixing the CRC (fix_crc).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/card.h"
#include "store/image.h"
#include "util/hex.h"

static uint8_t good[65536];
static size_t good_len;

static void quiet(void *ctx, eum_log_level l, const char *m)
{
	(void)ctx;
	(void)l;
	(void)m;
}

/* every error line of the library's log, one after the other */
static char last_error[2048];
static void keep_error(void *ctx, eum_log_level l, const char *m)
{
	size_t n = strlen(last_error);

	(void)ctx;
	if (l == EUM_LOG_ERROR && n < sizeof(last_error))
		snprintf(last_error + n, sizeof(last_error) - n, "%s\n", m);
}

static uint16_t send(eum_card *card, const char *hex)
{
	uint8_t c[300], r[300];
	size_t rl;
	long n = eum_hex_decode(hex, c, sizeof(c));

	assert_true(n >= 4);
	assert_int_equal(eum_card_transmit(card, c, (size_t)n, r, sizeof(r), &rl), EUM_OK);
	return (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
}

static int setup(void **state)
{
	eum_config cfg;
	eum_card *card;

	(void)state;
	eum_config_init(&cfg);
	cfg.log = quiet;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_save_image(card, good, sizeof(good), &good_len), EUM_OK);
	eum_card_free(card);
	return 0;
}

/* The base image's CRC recomputed after a byte-level change. */
static void fix_crc(uint8_t *img, size_t len)
{
	uint32_t crc = eum_crc32c(img, len - 4);

	img[len - 4] = (uint8_t)(crc >> 24);
	img[len - 3] = (uint8_t)(crc >> 16);
	img[len - 2] = (uint8_t)(crc >> 8);
	img[len - 1] = (uint8_t)crc;
}

/* Offset of the value of section kind/slot/index in a base image; 0 if absent. */
static size_t find_sec(const uint8_t *img, size_t len, uint8_t kind, uint8_t slot, uint16_t idx)
{
	size_t off = 16;

	while (off + 8 <= len - 4) {
		size_t l = (size_t)img[off + 4] << 24 | (size_t)img[off + 5] << 16 | (size_t)img[off + 6] << 8 |
		           img[off + 7];
		if (img[off] == kind && img[off + 1] == slot && (img[off + 2] << 8 | img[off + 3]) == idx)
			return off + 8;
		off += 8 + l;
	}
	return 0;
}

/* Load the good image, let change() alter the state, write it again (valid CRC) and expect a refusal
 * whose reason contains `reason`. */
static void refused_after(void (*change)(struct eum_pstate *ps), const char *reason)
{
	struct eum_pstate *ps = malloc(sizeof(*ps));
	static uint8_t img[65536];
	size_t len;
	char why[200] = "";

	assert_non_null(ps);
	assert_int_equal(eum_image_read(ps, good, good_len, why, sizeof(why)), EUM_OK);
	change(ps);
	assert_int_equal(eum_image_write(ps, img, sizeof(img), &len), EUM_OK);
	eum_pstate_free(ps);
	assert_int_equal(eum_image_read(ps, img, len, why, sizeof(why)), EUM_ERR_CORRUPT);
	print_message("refused: %s\n", why);
	assert_non_null(strstr(why, reason));
	free(ps);
}

static void none_enabled(struct eum_pstate *ps)
{
	ps->isdp[0]->lcs = EUM_ISDP_DISABLED;
}

static void enabled_without_profile(struct eum_pstate *ps)
{
	ps->isdp[0]->has_profile = 0;
}

static void fallback_without_profile(struct eum_pstate *ps)
{
	ps->isdp[0]->fallback = 0;
	assert_non_null(eum_pstate_slot(ps, 1));
	*ps->isdp[1] = *ps->isdp[0];
	memset(&ps->isdp[1]->prof, 0, sizeof(ps->isdp[1]->prof));
	ps->isdp[1]->aid[15] ^= 1;
	ps->isdp[1]->lcs = EUM_ISDP_SELECTABLE;
	ps->isdp[1]->has_profile = 0;
	ps->isdp[1]->fallback = 1;
}

static void two_enabled(struct eum_pstate *ps)
{
	assert_non_null(eum_pstate_slot(ps, 1));
	*ps->isdp[1] = *ps->isdp[0];
	eum_fs_init(&ps->isdp[1]->prof.fs);
	assert_int_equal(eum_fs_clone(&ps->isdp[1]->prof.fs, &ps->isdp[0]->prof.fs), EUM_OK);
	ps->isdp[1]->aid[15] ^= 1;
	ps->isdp[1]->fallback = 0;
}

static void switch_to_nowhere(struct eum_pstate *ps)
{
	ps->isdr.es5.sw_phase = EUM_ES5_SW_WAIT_ATTACH;
	ps->isdr.es5.sw_kind = EUM_ES5_KIND_ENABLE;
	ps->isdr.es5.sw_target = 5;
	ps->isdr.es5.sw_prev = EUM_ES5_NO_SLOT;
}

static void cyclic_head_out_of_range(struct eum_pstate *ps)
{
	size_t i;

	for (i = 0; i < ps->isdp[0]->prof.fs.n; i++)
		if (ps->isdp[0]->prof.fs.files[i].type == EUM_FT_EF_CYCLIC) {
			ps->isdp[0]->prof.fs.files[i].cyc_head = ps->isdp[0]->prof.fs.files[i].nrec;
			return;
		}
	fail_msg("no cyclic EF in the bootstrap profile");
}

static void pin_tries_above_max(struct eum_pstate *ps)
{
	ps->isdp[0]->prof.pins.pins[0].tries_left = (uint8_t)(ps->isdp[0]->prof.pins.pins[0].max_tries + 1);
}

static void test_state_invariants(void **state)
{
	(void)state;
	refused_after(none_enabled, "0 profiles ENABLED");
	refused_after(enabled_without_profile, "without a profile");
	refused_after(fallback_without_profile, "fall-back attribute but no profile");
	refused_after(two_enabled, "2 profiles ENABLED");
	refused_after(switch_to_nowhere, "names an ISD-P that does not exist");
	refused_after(cyclic_head_out_of_range, "record structure inconsistent");
	refused_after(pin_tries_above_max, "try counter out of range");
}

/* Byte-level changes with the CRC fixed: file-system links and section structure. */
static void test_file_links(void **state)
{
	static uint8_t img[65536];
	struct eum_pstate *ps = malloc(sizeof(*ps));
	char why[200];
	size_t mf, f1, off;
	static const struct {
		size_t which; /* 0: MF, 1: file 1 */
		uint8_t parent[4];
		const char *reason;
	} cases[] = {
	        {0, {0xFF, 0xFF, 0xFF, 0xFE}, "out of range"},      /* MF parent -2: only -1 is the MF's */
	        {0, {0x00, 0x00, 0x00, 0x00}, "parent 0"},          /* MF under itself */
	        {1, {0xFF, 0xFF, 0xFF, 0xFF}, "parent -1"},         /* a second root */
	        {1, {0x00, 0x00, 0x00, 0x01}, "not an earlier DF"}, /* its own parent */
	};
	size_t i;

	(void)state;
	assert_non_null(ps);
	mf = find_sec(good, good_len, EUM_SEC_FILE, 0, 0);
	f1 = find_sec(good, good_len, EUM_SEC_FILE, 0, 1);
	assert_true(mf && f1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(img, good, good_len);
		off = cases[i].which ? f1 : mf;
		memcpy(img + off, cases[i].parent, 4);
		fix_crc(img, good_len);
		assert_int_equal(eum_image_read(ps, img, good_len, why, sizeof(why)), EUM_ERR_CORRUPT);
		print_message("refused: %s\n", why);
		assert_non_null(strstr(why, cases[i].reason));
	}
	/* an unknown section kind */
	memcpy(img, good, good_len);
	img[mf - 8] = 0x7E;
	fix_crc(img, good_len);
	assert_int_equal(eum_image_read(ps, img, good_len, why, sizeof(why)), EUM_ERR_CORRUPT);
	assert_non_null(strstr(why, "unknown section 0x7E"));
	/* sections out of canonical order (file 0 and the file count swapped would need a rewrite: a
	 * repeated platform section is enough) */
	memcpy(img, good, good_len);
	img[16 + 8 + ((size_t)good[20] << 24 | (size_t)good[21] << 16 | (size_t)good[22] << 8 | good[23])] =
	        EUM_SEC_ECASD;
	fix_crc(img, good_len);
	assert_int_equal(eum_image_read(ps, img, good_len, why, sizeof(why)), EUM_ERR_CORRUPT);
	assert_non_null(strstr(why, "canonical order"));
	free(ps);
}

/* Load then save gives the same bytes; a card's state file with a journal loads to the card's state. */
static void test_byte_exact_and_journal(void **state)
{
	static uint8_t again[65536], file[131072], mine[65536];
	struct eum_pstate *ps = malloc(sizeof(*ps));
	char dir[] = "/tmp/eum-img-XXXXXX", path[128], tmp[160];
	struct eum_image_info info;
	eum_config cfg;
	eum_card *card;
	size_t len, flen, mlen;
	FILE *f;

	(void)state;
	assert_non_null(ps);
	assert_int_equal(eum_image_read(ps, good, good_len, NULL, 0), EUM_OK);
	assert_int_equal(eum_image_write(ps, again, sizeof(again), &len), EUM_OK);
	assert_int_equal(len, good_len);
	assert_memory_equal(again, good, len);
	eum_pstate_free(ps);

	/* a card on a state file: reads write nothing, changes append journal records */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/card.state", dir);
	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.state_path = path;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	assert_int_equal(send(card, "00A40004022FE2"), 0x6119);
	assert_int_equal(card->store->commits, 1); /* manufacture only */
	assert_int_equal(send(card, "0020000108 31313131FFFFFFFF"), 0x63C2);
	assert_int_equal(send(card, "0020000108 31323334FFFFFFFF"), 0x9000);
	(void)send(card, "00A4040410 A0000000871002FFFFFFFF8907090000");
	assert_int_equal(send(card, "00A4000C02 6F7E"), 0x9000);
	assert_int_equal(send(card, "00D6000004 01020304"), 0x9000);
	assert_int_equal(send(card, "00B0000004"), 0x9000);
	assert_true(card->store->commits >= 4);
	assert_int_equal(eum_card_save_image(card, mine, sizeof(mine), &mlen), EUM_OK);
	f = fopen(path, "rb");
	assert_non_null(f);
	flen = fread(file, 1, sizeof(file), f);
	fclose(f);
	assert_int_equal(eum_image_load(ps, file, flen, &info, NULL, 0), EUM_OK);
	assert_int_equal(info.records, card->store->commits - 1);
	assert_false(info.torn);
	assert_true(flen - info.base_len < 600 * info.records); /* records of a section, not whole images */
	assert_true(info.base_len > 4000);
	assert_int_equal(eum_image_write(ps, again, sizeof(again), &len), EUM_OK);
	assert_int_equal(len, mlen);
	assert_memory_equal(again, mine, len);
	eum_pstate_free(ps);

	/* the last record cut short: ignored, the state before it */
	assert_int_equal(eum_image_load(ps, file, flen - 3, &info, NULL, 0), EUM_OK);
	assert_int_equal(info.records, card->store->commits - 2);
	assert_true(info.torn);
	eum_pstate_free(ps);
	eum_card_free(card);

	/* a damaged state file stops the card, the log names the file and the reason */
	file[20] ^= 0x01;
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(file, 1, flen, f), flen);
	fclose(f);
	cfg.log = keep_error;
	last_error[0] = '\0';
	card = NULL;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CORRUPT);
	assert_null(card);
	print_message("%s\n", last_error);
	assert_non_null(strstr(last_error, path));
	assert_non_null(strstr(last_error, "CRC-32C"));

	unlink(path);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	unlink(tmp);
	rmdir(dir);
	free(ps);
}

/* A storage failure says which file and which system error (never data). */
static void test_storage_error_says_why(void **state)
{
	eum_config cfg;
	eum_card *card = NULL;

	(void)state;
	eum_config_init(&cfg);
	cfg.log = keep_error;
	cfg.state_path = "/nonexistent-eum-dir/card.state";
	last_error[0] = '\0';
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_STORAGE);
	assert_null(card);
	print_message("%s\n", last_error);
	assert_non_null(strstr(last_error, "/nonexistent-eum-dir/card.state.new"));
	assert_non_null(strstr(last_error, "No such file or directory"));
}

/* The image fuzz corpora (tests/fuzz/corpus/image*): the fresh seed loads and each regression seed is
 * refused for the invariant it is kept for, not at an earlier section a format change made it fail;
 * else the replay no longer reaches that invariant: rerun tests/fuzz/gen_card_seeds.sh. */
static void test_fuzz_regress_seeds(void **state)
{
	static const struct {
		const char *name, *reason; /* NULL: loads */
	} seeds[] = {
	        {"fresh", NULL},
	        {"regress-no-enabled-profile", "0 profiles ENABLED (exactly one must be)"},
	        {"regress-no-sections", "a platform section is missing"},
	};
	static const char *const corpora[] = {"image", "image_crc"};
	static uint8_t img[65536];
	struct eum_pstate *ps = malloc(sizeof(*ps));
	char path[512], why[200];
	size_t i, k, len;
	FILE *f;

	(void)state;
	assert_non_null(ps);
	for (k = 0; k < sizeof(corpora) / sizeof(corpora[0]); k++)
		for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
			snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/%s/%s", EUM_SOURCE_DIR, corpora[k],
			         seeds[i].name);
			f = fopen(path, "rb");
			assert_non_null(f);
			len = fread(img, 1, sizeof(img), f);
			fclose(f);
			assert_true(len < sizeof(img));
			why[0] = '\0';
			if (eum_image_read(ps, img, len, why, sizeof(why)) == EUM_OK) {
				eum_pstate_free(ps);
				why[0] = '\0';
			}
			if (seeds[i].reason ? !strstr(why, seeds[i].reason) : why[0] != '\0')
				fail_msg("%s: refused for \"%s\", expected %s%s%s; stale seed? rerun "
				         "tests/fuzz/gen_card_seeds.sh",
				         path, why, seeds[i].reason ? "\"" : "",
				         seeds[i].reason ? seeds[i].reason : "a load", seeds[i].reason ? "\"" : "");
		}
	free(ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_state_invariants, setup),
	        cmocka_unit_test_setup(test_file_links, setup),
	        cmocka_unit_test_setup(test_byte_exact_and_journal, setup),
	        cmocka_unit_test(test_storage_error_says_why),
	        cmocka_unit_test(test_fuzz_regress_seeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
