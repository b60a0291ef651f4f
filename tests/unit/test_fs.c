/*
 * The UICC file system model (src/fs/fs.h, ETSI TS 102 221 §8): building a tree, lookups by
 * FID / SFI / AID / path, record numbering of linear fixed and cyclic EFs (§8.3: in a cyclic
 * EF record 1 is the most recent), and the deep clone used for transactions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "fs/fs.h"

static const uint8_t usim_aid[] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
                                   0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00};
static const uint8_t isim_aid[] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04, 0xFF,
                                   0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00};

static struct eum_file df_tmpl(uint8_t type, uint16_t fid)
{
	struct eum_file f;

	memset(&f, 0, sizeof(f));
	f.type = type;
	f.fid = fid;
	f.lcs = EUM_LCS_OPERATIONAL_ACTIVATED;
	return f;
}

static struct eum_file ef_tmpl(uint8_t type, uint16_t fid, uint8_t sfi, uint16_t rec_len, uint16_t nrec, uint32_t size)
{
	struct eum_file f = df_tmpl(type, fid);

	f.sfi = sfi;
	f.rec_len = rec_len;
	f.nrec = nrec;
	f.size = size;
	return f;
}

/* Indices of the tree built by build(). */
enum { MF, ICCID, DIR, TELECOM, USIM, IMSI, CYC, ISIM, ISIM_EF, NFILES };

static void build(struct eum_fs *fs, int32_t idx[NFILES])
{
	struct eum_file f;

	eum_fs_init(fs);
	f = df_tmpl(EUM_FT_MF, EUM_FID_MF);
	idx[MF] = eum_fs_add(fs, -1, &f, NULL, 0);
	f = ef_tmpl(EUM_FT_EF_TRANSPARENT, 0x2FE2, 0x02, 0, 0, 10);
	idx[ICCID] = eum_fs_add(fs, idx[MF], &f, (const uint8_t *)"\x98\x88", 2);
	f = ef_tmpl(EUM_FT_EF_LINEAR_FIXED, EUM_FID_EF_DIR, 0x1E, 4, 3, 12);
	idx[DIR] = eum_fs_add(fs, idx[MF], &f, (const uint8_t *)"\x01\x01\x01\x01\x02\x02", 6);
	f = df_tmpl(EUM_FT_DF, 0x7F10);
	idx[TELECOM] = eum_fs_add(fs, idx[MF], &f, NULL, 0);
	f = df_tmpl(EUM_FT_ADF, 0x7FF0);
	memcpy(f.aid, usim_aid, sizeof(usim_aid));
	f.aid_len = sizeof(usim_aid);
	idx[USIM] = eum_fs_add(fs, idx[MF], &f, NULL, 0);
	f = ef_tmpl(EUM_FT_EF_TRANSPARENT, 0x6F07, 0x07, 0, 0, 9);
	idx[IMSI] = eum_fs_add(fs, idx[USIM], &f, NULL, 0);
	f = ef_tmpl(EUM_FT_EF_CYCLIC, 0x6F39, 0x05, 2, 3, 6);
	idx[CYC] = eum_fs_add(fs, idx[USIM], &f, (const uint8_t *)"\x11\x11\x22\x22\x33\x33", 6);
	f = df_tmpl(EUM_FT_ADF, 0x7FF1);
	memcpy(f.aid, isim_aid, sizeof(isim_aid));
	f.aid_len = sizeof(isim_aid);
	idx[ISIM] = eum_fs_add(fs, idx[MF], &f, NULL, 0);
	/* the same FID and SFI as EF.IMSI, in another ADF */
	f = ef_tmpl(EUM_FT_EF_TRANSPARENT, 0x6F07, 0x07, 0, 0, 1);
	idx[ISIM_EF] = eum_fs_add(fs, idx[ISIM], &f, NULL, 0);
}

static void test_add_and_lookup(void **state)
{
	struct eum_fs fs;
	int32_t idx[NFILES];
	int i;

	(void)state;
	build(&fs, idx);
	for (i = 0; i < NFILES; i++)
		assert_int_equal(idx[i], i); /* appended in order */
	assert_int_equal(fs.n, NFILES);
	assert_int_equal(fs.files[MF].parent, -1);
	assert_int_equal(fs.files[IMSI].parent, USIM);
	assert_null(fs.files[MF].data); /* DFs have no body */
	/* the body is the content, then FF (TS 102 222 default) */
	assert_memory_equal(fs.files[ICCID].data, "\x98\x88\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 10);
	assert_memory_equal(fs.files[IMSI].data, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 9);

	/* by FID: children of the given DF only */
	assert_int_equal(eum_fs_child(&fs, MF, 0x2FE2), ICCID);
	assert_int_equal(eum_fs_child(&fs, MF, 0x7FF0), USIM);
	assert_int_equal(eum_fs_child(&fs, USIM, 0x6F07), IMSI);
	assert_int_equal(eum_fs_child(&fs, ISIM, 0x6F07), ISIM_EF);
	assert_int_equal(eum_fs_child(&fs, MF, 0x6F07), -1);
	assert_int_equal(eum_fs_child(&fs, USIM, 0x2FE2), -1);
	assert_int_equal(eum_fs_child(&fs, MF, EUM_FID_MF), -1); /* the MF is nobody's child */

	/* by SFI: EF children only; SFI 0 means "none" */
	assert_int_equal(eum_fs_child_sfi(&fs, MF, 0x02), ICCID);
	assert_int_equal(eum_fs_child_sfi(&fs, MF, 0x1E), DIR);
	assert_int_equal(eum_fs_child_sfi(&fs, USIM, 0x07), IMSI);
	assert_int_equal(eum_fs_child_sfi(&fs, ISIM, 0x07), ISIM_EF);
	assert_int_equal(eum_fs_child_sfi(&fs, USIM, 0x02), -1);
	assert_int_equal(eum_fs_child_sfi(&fs, MF, 0x00), -1);
	assert_int_equal(eum_fs_child_sfi(&fs, USIM, 0x00), -1);

	/* by AID: full or right-truncated */
	assert_int_equal(eum_fs_adf_by_aid(&fs, usim_aid, sizeof(usim_aid)), USIM);
	assert_int_equal(eum_fs_adf_by_aid(&fs, isim_aid, sizeof(isim_aid)), ISIM);
	assert_int_equal(eum_fs_adf_by_aid(&fs, usim_aid, 7), USIM);
	assert_int_equal(eum_fs_adf_by_aid(&fs, isim_aid, 7), ISIM);
	assert_int_equal(eum_fs_adf_by_aid(&fs, usim_aid, 5), USIM); /* the first ADF that matches */
	assert_int_equal(eum_fs_adf_by_aid(&fs, (const uint8_t *)"\xA0\x00\x00\x00\x88", 5), -1);
	assert_int_equal(eum_fs_adf_by_aid(&fs, usim_aid, 0), -1);
	{
		uint8_t longer[17];
		memcpy(longer, usim_aid, 16);
		longer[16] = 0x01;
		assert_int_equal(eum_fs_adf_by_aid(&fs, longer, 17), -1);
	}

	/* the DF a file lives in */
	assert_int_equal(eum_fs_df_of(&fs, IMSI), USIM);
	assert_int_equal(eum_fs_df_of(&fs, USIM), USIM);
	assert_int_equal(eum_fs_df_of(&fs, MF), MF);
	assert_int_equal(eum_fs_df_of(&fs, -1), -1);
	eum_fs_free(&fs);
	assert_int_equal(fs.n, 0);
	assert_null(fs.files);
}

static void test_walk(void **state)
{
	static const struct {
		int32_t from;
		const char *path;
		size_t len;
		int32_t want;
	} cases[] = {
	        {MF, "\x7F\xF0\x6F\x07", 4, IMSI},
	        {MF, "\x3F\x00\x7F\xF0\x6F\x07", 6, IMSI}, /* 3F00 first = from the MF */
	        {ISIM, "\x3F\x00\x7F\xF0", 4, USIM},
	        {USIM, "\x6F\x07", 2, IMSI},
	        {ISIM, "\x6F\x07", 2, ISIM_EF},
	        {MF, "\x3F\x00", 2, MF},
	        {MF, "\x2F\xE2", 2, ICCID},
	        {MF, "\x6F\x07", 2, -1},         /* not a child of the MF */
	        {MF, "\x2F\xE2\x6F\x07", 4, -1}, /* cannot walk through an EF */
	        {MF, "\x7F\xF0\x6F", 3, -1},     /* odd length */
	        {MF, "", 0, -1},                 /* empty */
	        {MF, "\x7F\xF0\x3F\x00", 4, -1}, /* 3F00 only counts at the start */
	        {MF, "\x7F\x10\x7F\xF0", 4, -1},
	};
	struct eum_fs fs;
	int32_t idx[NFILES];
	size_t i;

	(void)state;
	build(&fs, idx);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t got = eum_fs_walk(&fs, cases[i].from, (const uint8_t *)cases[i].path, cases[i].len);
		if (got != cases[i].want)
			fail_msg("walk case %zu: got %d, expected %d", i, got, cases[i].want);
	}
	eum_fs_free(&fs);
	/* an empty file system has nothing to walk */
	eum_fs_init(&fs);
	assert_int_equal(eum_fs_walk(&fs, 0, (const uint8_t *)"\x3F\x00", 2), -1);
}

static void test_add_refused(void **state)
{
	struct eum_fs fs;
	struct eum_file f;
	int32_t idx[NFILES];

	(void)state;
	eum_fs_init(&fs);
	/* the first file must be the root, with parent -1 */
	f = ef_tmpl(EUM_FT_EF_TRANSPARENT, 0x2FE2, 0, 0, 0, 4);
	assert_int_equal(eum_fs_add(&fs, 0, &f, NULL, 0), EUM_ERR_INVALID_ARG);
	eum_fs_free(&fs);

	build(&fs, idx);
	/* only one root */
	f = df_tmpl(EUM_FT_MF, EUM_FID_MF);
	assert_int_equal(eum_fs_add(&fs, -1, &f, NULL, 0), EUM_ERR_INVALID_ARG);
	/* parent out of range, parent an EF */
	f = ef_tmpl(EUM_FT_EF_TRANSPARENT, 0x6F99, 0, 0, 0, 4);
	assert_int_equal(eum_fs_add(&fs, NFILES, &f, NULL, 0), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_fs_add(&fs, ICCID, &f, NULL, 0), EUM_ERR_INVALID_ARG);
	/* content longer than the file */
	assert_int_equal(eum_fs_add(&fs, MF, &f, (const uint8_t *)"12345", 5), EUM_ERR_INVALID_ARG);
	/* record EFs: size must be rec_len * nrec, both non-zero */
	f = ef_tmpl(EUM_FT_EF_LINEAR_FIXED, 0x6F98, 0, 4, 3, 13);
	assert_int_equal(eum_fs_add(&fs, MF, &f, NULL, 0), EUM_ERR_INVALID_ARG);
	f = ef_tmpl(EUM_FT_EF_CYCLIC, 0x6F98, 0, 0, 3, 0);
	assert_int_equal(eum_fs_add(&fs, MF, &f, NULL, 0), EUM_ERR_INVALID_ARG);
	f = ef_tmpl(EUM_FT_EF_LINEAR_FIXED, 0x6F98, 0, 4, 0, 0);
	assert_int_equal(eum_fs_add(&fs, MF, &f, NULL, 0), EUM_ERR_INVALID_ARG);
	/* an unknown type */
	f = ef_tmpl(EUM_FT_NUM, 0x6F98, 0, 0, 0, 1);
	assert_int_equal(eum_fs_add(&fs, MF, &f, NULL, 0), EUM_ERR_INVALID_ARG);
	/* none of that added anything */
	assert_int_equal(fs.n, NFILES);
	eum_fs_free(&fs);
}

static void test_many_files_grow(void **state)
{
	struct eum_fs fs;
	struct eum_file f;
	int i;

	(void)state;
	eum_fs_init(&fs);
	f = df_tmpl(EUM_FT_MF, EUM_FID_MF);
	assert_int_equal(eum_fs_add(&fs, -1, &f, NULL, 0), 0);
	for (i = 1; i < 300; i++) {
		uint8_t v = (uint8_t)i;
		f = ef_tmpl(EUM_FT_EF_TRANSPARENT, (uint16_t)(0x6000 + i), 0, 0, 0, 1);
		assert_int_equal(eum_fs_add(&fs, 0, &f, &v, 1), i);
	}
	for (i = 1; i < 300; i++) {
		int32_t k = eum_fs_child(&fs, 0, (uint16_t)(0x6000 + i));
		assert_int_equal(k, i);
		assert_int_equal(fs.files[k].data[0], (uint8_t)i);
	}
	eum_fs_free(&fs);
}

static void test_records_linear(void **state)
{
	struct eum_fs fs;
	int32_t idx[NFILES];

	(void)state;
	build(&fs, idx);
	assert_ptr_equal(eum_fs_record(&fs, DIR, 1), fs.files[DIR].data);
	assert_ptr_equal(eum_fs_record(&fs, DIR, 2), fs.files[DIR].data + 4);
	assert_ptr_equal(eum_fs_record(&fs, DIR, 3), fs.files[DIR].data + 8);
	assert_memory_equal(eum_fs_record(&fs, DIR, 2), "\x02\x02\xFF\xFF", 4);
	assert_null(eum_fs_record(&fs, DIR, 0));
	assert_null(eum_fs_record(&fs, DIR, 4));
	assert_null(eum_fs_record(&fs, ICCID, 1)); /* not a record EF */
	eum_fs_free(&fs);
}

static void test_records_cyclic(void **state)
{
	struct eum_fs fs;
	int32_t idx[NFILES];
	uint8_t *rec;

	(void)state;
	build(&fs, idx);
	/* as created: record i is the i-th stored record */
	assert_memory_equal(eum_fs_record(&fs, CYC, 1), "\x11\x11", 2);
	assert_memory_equal(eum_fs_record(&fs, CYC, 3), "\x33\x33", 2);
	assert_null(eum_fs_record(&fs, CYC, 4));
	assert_null(eum_fs_record(&fs, CYC, 0));
	/* a push reuses the oldest record (record 3) as the new record 1 */
	rec = eum_fs_cyclic_push(&fs, CYC);
	assert_ptr_equal(rec, eum_fs_record(&fs, CYC, 1));
	assert_memory_equal(rec, "\x33\x33", 2); /* still holds the old bytes until written */
	memcpy(rec, "\x44\x44", 2);
	assert_memory_equal(eum_fs_record(&fs, CYC, 1), "\x44\x44", 2);
	assert_memory_equal(eum_fs_record(&fs, CYC, 2), "\x11\x11", 2);
	assert_memory_equal(eum_fs_record(&fs, CYC, 3), "\x22\x22", 2);
	/* three more pushes go all the way round */
	memcpy(eum_fs_cyclic_push(&fs, CYC), "\x55\x55", 2);
	memcpy(eum_fs_cyclic_push(&fs, CYC), "\x66\x66", 2);
	memcpy(eum_fs_cyclic_push(&fs, CYC), "\x77\x77", 2);
	assert_memory_equal(eum_fs_record(&fs, CYC, 1), "\x77\x77", 2);
	assert_memory_equal(eum_fs_record(&fs, CYC, 2), "\x66\x66", 2);
	assert_memory_equal(eum_fs_record(&fs, CYC, 3), "\x55\x55", 2);
	/* every record pointer stays inside the body */
	assert_true(eum_fs_record(&fs, CYC, 3) >= fs.files[CYC].data &&
	            eum_fs_record(&fs, CYC, 3) + 2 <= fs.files[CYC].data + fs.files[CYC].size);
	eum_fs_free(&fs);
}

static void test_clone_is_deep(void **state)
{
	struct eum_fs fs, copy, empty, copy2;
	int32_t idx[NFILES];

	(void)state;
	build(&fs, idx);
	memcpy(eum_fs_cyclic_push(&fs, CYC), "\x44\x44", 2);
	assert_int_equal(eum_fs_clone(&copy, &fs), EUM_OK);
	assert_int_equal(copy.n, fs.n);
	assert_true(copy.files != fs.files);
	/* same content, own bodies */
	assert_true(copy.files[ICCID].data != fs.files[ICCID].data);
	assert_memory_equal(copy.files[ICCID].data, fs.files[ICCID].data, 10);
	assert_int_equal(copy.files[CYC].cyc_head, fs.files[CYC].cyc_head);
	assert_memory_equal(eum_fs_record(&copy, CYC, 1), "\x44\x44", 2);
	assert_null(copy.files[USIM].data);
	assert_memory_equal(copy.files[USIM].aid, usim_aid, sizeof(usim_aid));
	/* changes to the copy never show in the original, and the other way round */
	copy.files[ICCID].data[0] = 0x00;
	memcpy(eum_fs_cyclic_push(&copy, CYC), "\x99\x99", 2);
	copy.files[IMSI].lcs = EUM_LCS_OPERATIONAL_DEACTIVATED;
	assert_int_equal(fs.files[ICCID].data[0], 0x98);
	assert_memory_equal(eum_fs_record(&fs, CYC, 1), "\x44\x44", 2);
	assert_int_equal(fs.files[IMSI].lcs, EUM_LCS_OPERATIONAL_ACTIVATED);
	fs.files[IMSI].data[0] = 0x08;
	assert_int_equal(copy.files[IMSI].data[0], 0xFF);
	/* the copy can grow on its own */
	{
		struct eum_file f = ef_tmpl(EUM_FT_EF_TRANSPARENT, 0x2F05, 0x05, 0, 0, 4);
		assert_int_equal(eum_fs_add(&copy, MF, &f, NULL, 0), NFILES);
		assert_int_equal(eum_fs_child(&fs, MF, 0x2F05), -1);
	}
	/* freeing one leaves the other intact (ASan would flag a shared body) */
	eum_fs_free(&copy);
	assert_int_equal(fs.files[ICCID].data[1], 0x88);
	eum_fs_free(&fs);

	/* an empty file system clones to an empty one */
	eum_fs_init(&empty);
	assert_int_equal(eum_fs_clone(&copy2, &empty), EUM_OK);
	assert_int_equal(copy2.n, 0);
	assert_null(copy2.files);
	eum_fs_free(&copy2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_add_and_lookup), cmocka_unit_test(test_walk),
	        cmocka_unit_test(test_add_refused),    cmocka_unit_test(test_many_files_grow),
	        cmocka_unit_test(test_records_linear), cmocka_unit_test(test_records_cyclic),
	        cmocka_unit_test(test_clone_is_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
