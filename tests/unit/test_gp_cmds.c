/*
 * GlobalPlatform commands of the ISD-R and ISD-P (src/gp/gp_cmds.c, gp_content.c), driven only
 * through APDUs on a fresh default card (eum_card_transmit, T=0 GET RESPONSE included), inside
 * SCP03 sessions opened by libeum-host: GET DATA, GET STATUS (with 6310 continuation), INSTALL,
 * DELETE, SET STATUS. Every refused command must leave the serialised state byte-identical.
 * PUT KEY, SCP03 session errors, STORE DATA routing and ISD-P isolation: test_gp_keys.c.
 */
#include "gp_cmds_test.h"

#include "core/sw.h"
#include "store/store.h"

/* ---- GET DATA in clear ------------------------------------------------------ */

static void test_get_data(void **state)
{
	eum_card *card = gpt_card();
	uint8_t out[300];
	size_t n;
	struct gpt_image before;

	(void)state;
	gpt_select_isdr(card, 0);
	before = gpt_snap(card);
	/* E0: SCP80 KVN 1 (3DES, KIc/KID), KVN 3 (AES-128), the SCP81 test PSK (key id 01, KVN 40, type 85,
	 * 16 bytes), SCP03 KVN 30 (AES-128 ENC/MAC/DEK) */
	assert_int_equal(gpt_xmit_hex(card, "80CA00E000", out, &n), 0x9000);
	expect_data(out, n,
	            "E030 C00401018010 C00402018010 C00401038810 C00402038810 C00401408510 C00401308810 "
	            "C00402308810 C00403308810");
	/* 66: card recognition data, GP 2.3, SCP03 i=70 */
	assert_int_equal(gpt_xmit_hex(card, "80CA006600", out, &n), 0x9000);
	expect_data(out, n,
	            "6630 732E 06072A864886FC6B01 600B06092A864886FC6B020203 630906072A864886FC6B03 "
	            "640B06092A864886FC6B040370");
	assert_int_equal(gpt_xmit_hex(card, "80CA004200", out, &n), 0x9000);
	expect_data(out, n, "420489049032");
	assert_int_equal(gpt_xmit_hex(card, "80CA004500", out, &n), 0x9000);
	expect_data(out, n, "451089049032000000000000000000001230");
	/* FF21: 3 applications (ISD-R, ECASD, the bootstrap ISD-P), real free memory */
	assert_int_equal(gpt_xmit_hex(card, "80CAFF2100", out, &n), 0x9000);
	assert_int_equal(ff21_value(out, GPT_DLEN(n), 0x81), 3);
	assert_int_equal(ff21_value(out, GPT_DLEN(n), 0x82), EUM_GP_NVM_CAPACITY - image_size(card));
	assert_int_equal(ff21_value(out, GPT_DLEN(n), 0x83), EUM_GP_VOLATILE_BUDGET - eum_card_volatile_size(card));
	/* the EID is the ECASD's (SGP.02 §2.3); unknown objects */
	assert_int_equal(gpt_xmit_hex(card, "80CA005A00", out, &n), 0x6A88);
	assert_int_equal(gpt_xmit_hex(card, "80CA9F7F00", out, &n), 0x6A88);
	gpt_same(card, before);
	eum_card_free(card);
}

/* Management commands in clear: 6982, nothing changes. */
static void test_secure_channel_required(void **state)
{
	static const char *const cmds[] = {
	        "80F28002024F0000",
	        "80E60C003F10" ELF "10" MOD "10" PFX "000013000380C00006C904810203700000",
	        "80E4004012"
	        "4F10" PFX "0000100000",
	        "80F0400F10" BOOT,
	        "80D8308146"
	        "31881110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03"
	        "840de58811101445ad3442be8a465148c5667f6022c5035eaada00",
	        "80E2880004123401AA",
	        "80E6200016000010" BOOT "00000000",
	};
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n, i;

	(void)state;
	gpt_select_isdr(card, 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct gpt_image before = gpt_snap(card);
		print_message("%s\n", cmds[i]);
		assert_int_equal(gpt_xmit_hex(card, cmds[i], out, &n), 0x6982);
		gpt_same(card, before);
	}
	/* a session at level 00 (no C-MAC) is not a secured channel either */
	gpt_open(card, &h, 0, 0x00);
	assert_int_equal(gpt_xmit_hex(card, cmds[0], out, &n), 0x6982);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- GET STATUS ----------------------------------------------------------------- */

static void test_get_status(void **state)
{
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n;
	struct gpt_image before;

	(void)state;
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x01);
	before = gpt_snap(card);
	assert_int_equal(cmd(card, &h, "80F28002", "4F00", 1, out, &n), 0x9000);
	expect_data(out, n, "E31B 4F10" ISDR "9F70010F C5039EFE80");
	/* applications and SDs: the ECASD, then the bootstrap ISD-P (ENABLED, fall-back) */
	assert_int_equal(cmd(card, &h, "80F24002", "4F00", 1, out, &n), 0x9000);
	expect_data(out, n,
	            "E31B 4F10" ECASD "9F70010F C503800000 E324 4F10" BOOT "9F70013F 530101 8F0100 910100 C50380C000");
	/* the njiwa AuditEIS form: one ISD-P by AID */
	assert_int_equal(cmd(card, &h, "80F24002", "4F10" BOOT, 1, out, &n), 0x9000);
	expect_data(out, n, "E324 4F10" BOOT "9F70013F 530101 8F0100 910100 C50380C000");
	/* a 5C tag list, in its order, unknown tags skipped */
	assert_int_equal(cmd(card, &h, "80F24002", "4F10" BOOT "5C07CCC5DF019F704F", 1, out, &n), 0x9000);
	expect_data(out, n, "E32D CC10" ISDR "C50380C000 9F70013F 4F10" BOOT);
	/* load files, and load files with their modules */
	assert_int_equal(cmd(card, &h, "80F22002", "4F00", 1, out, &n), 0x9000);
	expect_data(out, n, "E328 4F10" ELF "9F700101 CC10" ISDR);
	assert_int_equal(cmd(card, &h, "80F21002", "4F00", 1, out, &n), 0x9000);
	expect_data(out, n, "E33A 4F10" ELF "9F700101 CC10" ISDR "8410" MOD);
	/* partial AID: every platform SD */
	assert_int_equal(cmd(card, &h, "80F24002", "4F05A000000559", 1, out, &n), 0x9000);
	assert_int_equal(GPT_DLEN(n), 0x1D + 0x26);
	/* errors */
	assert_int_equal(cmd(card, &h, "80F24002", "4F10" PFX "00001100", 1, out, &n), 0x6A88);
	assert_int_equal(cmd(card, &h, "80F24000", "4F00", 1, out, &n), 0x6A86); /* legacy format */
	assert_int_equal(cmd(card, &h, "80F20802", "4F00", 1, out, &n), 0x6A86);
	assert_int_equal(cmd(card, &h, "80F24003", "4F00", 1, out, &n), 0x6985); /* next without a 6310 */
	assert_int_equal(cmd(card, &h, "80F24002", "5C014F", 1, out, &n), 0x6A80);
	assert_int_equal(cmd(card, &h, "80F24002", "4F05A0000005", 1, out, &n), 0x6A80);
	/* the session survived all of it */
	assert_int_equal(cmd(card, &h, "80F28002", "4F00", 1, out, &n), 0x9000);
	gpt_same(card, before);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* 16 ISD-Ps do not fit one response: 6310, then P2 03 for the rest. */
static void test_get_status_more_data(void **state)
{
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300], all[1200];
	size_t n, total = 0, k, entries = 0;
	char tar[8];
	uint16_t sw;
	int rounds = 0;

	(void)state;
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x13);
	for (k = 0; k < EUM_MAX_ISDP - 1; k++) {
		snprintf(tar, sizeof(tar), "0000%02zX", 0x20 + k);
		assert_int_equal(install(card, &h, tar, "0380C000", "06C90481020370", out, &n), 0x9000);
	}
	/* the 17th is refused: no free slot */
	{
		struct gpt_image before = gpt_snap(card);
		assert_int_equal(install(card, &h, "000099", "0380C000", "06C90481020370", out, &n), 0x6A84);
		gpt_same(card, before);
	}
	sw = cmd(card, &h, "80F24002", "4F00", 1, out, &n);
	for (;;) {
		rounds++;
		assert_true(GPT_DLEN(n) <= EUM_GP_GET_STATUS_MAX);
		memcpy(all + total, out, GPT_DLEN(n));
		total += GPT_DLEN(n);
		if (sw != 0x6310)
			break;
		sw = cmd(card, &h, "80F24003", "4F00", 1, out, &n);
	}
	assert_int_equal(sw, 0x9000);
	assert_true(rounds >= 2);
	/* 17 templates, the ECASD first, no AID twice */
	for (k = 0; k < total; k += 2 + all[k + 1]) {
		size_t j;
		assert_int_equal(all[k], 0xE3);
		assert_int_equal(all[k + 2], 0x4F);
		if (entries == 0)
			assert_int_equal(all[k + 2 + 2 + 14], 0x02);
		for (j = 0; j < k; j += 2 + all[j + 1])
			assert_memory_not_equal(all + j + 4, all + k + 4, 16);
		entries++;
	}
	assert_int_equal(entries, 1 + EUM_MAX_ISDP);
	/* the continuation is over */
	assert_int_equal(cmd(card, &h, "80F24003", "4F00", 1, out, &n), 0x6985);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- INSTALL --------------------------------------------------------------------- */

static void test_install(void **state)
{
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n, free0, img0;
	struct gpt_image before;

	(void)state;
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x03);
	img0 = image_size(card);
	assert_int_equal(cmd(card, &h, "80CAFF21", "", 1, out, &n), 0x9000);
	free0 = ff21_value(out, GPT_DLEN(n), 0x82);
	/* the whty worked example of SGP.02 §7.1, byte for byte */
	assert_int_equal(gpt_sm_hex(card, &h,
	                            "80E60C003F10A0000005591010FFFFFFFF8900000D0010A0000005591010FFFFFFFF8900000E0010A"
	                            "0000005591010FFFFFFFF89000013000380C00006C904810203700000",
	                            out, &n),
	                 0x9000);
	expect_data(out, n, "00");
	assert_int_equal(cmd(card, &h, "80F24002", "4F10" PFX "00001300", 1, out, &n), 0x9000);
	expect_data(out, n, "E324 4F10" PFX "00001300 9F700107 530100 8F0100 910100 C50380C000");
	/* FF21: one application more, the free NVM shrank by exactly the new record */
	assert_int_equal(cmd(card, &h, "80CAFF21", "", 1, out, &n), 0x9000);
	assert_int_equal(ff21_value(out, GPT_DLEN(n), 0x81), 4);
	assert_int_equal(ff21_value(out, GPT_DLEN(n), 0x82), free0 - (image_size(card) - img0));
	/* njiwa's 2-byte privileges, no Le: no response data */
	assert_int_equal(
	        gpt_sm_hex(card, &h, "80E60C003E10" ELF "10" MOD "10" PFX "000014000280C006C9048102037000", out, &n),
	        0x9000);
	assert_int_equal(GPT_DLEN(n), 0);
	/* a memory reservation (EF 83, njiwa) is accounted until a profile arrives */
	img0 = image_size(card);
	assert_int_equal(cmd(card, &h, "80CAFF21", "", 1, out, &n), 0x9000);
	free0 = ff21_value(out, GPT_DLEN(n), 0x82);
	assert_int_equal(install(card, &h, "000015", "0180", "0EC90481020370EF06830400010000", out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80CAFF21", "", 1, out, &n), 0x9000);
	assert_int_equal(ff21_value(out, GPT_DLEN(n), 0x82), free0 - (image_size(card) - img0) - 0x10000);

	/* refusals: each leaves the state as it was */
	static const struct {
		const char *apdu;
		uint16_t sw;
	} bad[] = {
	        {"80E60C003F10" PFX "00000C00"
	         "10" MOD "10" PFX "000016000380C00006C904810203700000",
	         0x6A88},
	        {"80E60C003F10" ELF "10" PFX "00000D00"
	         "10" PFX "000016000380C00006C904810203700000",
	         0x6A88},
	        {"80E60C003F10" ELF "10" MOD "10" PFX "000013000380C00006C904810203700000", 0x6A80}, /* in use */
	        {"80E60C003F10" ELF "10" MOD "10" PFX "00000F000380C00006C904810203700000", 0x6A80}, /* TAR range */
	        {"80E60C003F10" ELF "10" MOD "10" PFX "010000000380C00006C904810203700000", 0x6A80},
	        {"80E60C003F10" ELF "10" MOD "10" PFX "000016010380C00006C904810203700000", 0x6A80},
	        {"80E60C003F10" ELF "10" MOD "10" PFX "000016000340C00006C904810203700000", 0x6A80}, /* not an SD */
	        {"80E60C004010" ELF "10" MOD "10" PFX "00001600048000000006C904810203700000", 0x6A80},
	        {"80E60C003F10" ELF "10" MOD "10" PFX "000016000380C00006C904810203100000", 0x6A80},   /* i = 10 */
	        {"80E60C003F10" ELF "10" MOD "10" PFX "000016000380C00006CA04810203700000", 0x6A80},   /* no C9 */
	        {"80E60C004010" ELF "10" MOD "10" PFX "000016000380C00006C90481020370010100", 0x6A80}, /* token */
	        {"80E60C003E10" ELF "10" MOD "10" PFX "000016000380C00006C9048102037000", 0x6A80},     /* truncated */
	        {"80E60C004710" ELF "10" MOD "10" PFX "000016000380C0000EC90481020370EF0683047FFFFFFF0000", 0x6A84},
	        {"80E604003F10" ELF "10" MOD "10" PFX "000016000380C00006C904810203700000", 0x6A86},
	        {"80E60C013F10" ELF "10" MOD "10" PFX "000016000380C00006C904810203700000", 0x6A86},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i].apdu);
		before = gpt_snap(card);
		assert_int_equal(gpt_sm_hex(card, &h, bad[i].apdu, out, &n), bad[i].sw);
		gpt_same(card, before);
	}
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- DELETE ---------------------------------------------------------------------- */

static void test_delete(void **state)
{
	static const struct {
		const char *hdr, *data;
		uint16_t sw;
	} bad[] = {
	        {"80E40040", "4F10" ISDR, 0x6985}, /* GPCS: the ISD cannot be deleted */
	        {"80E40040", "4F10" ECASD, 0x6985},
	        {"80E40080", "4F10" ELF, 0x6985},
	        {"80E40040", "4F10" BOOT, 0x6985}, /* ENABLED and fall-back */
	        {"80E40040", "4F10" PFX "00003300", 0x6A88},
	        {"80E40140", "4F10" PFX "00001300", 0x6A86},
	        {"80E40020", "4F10" PFX "00001300", 0x6A86},
	        {"80E40040", "D00101", 0x6A80},                                    /* key deletion not offered */
	        {"80E40040", "4F10" PFX "00001300B6034201019E0400000000", 0x6985}, /* MasterDelete, no token key */
	};
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n, i;
	struct gpt_image before, pristine;

	(void)state;
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x33);
	pristine = gpt_snap(card);
	assert_int_equal(install(card, &h, "000013", "0380C000", "06C90481020370", out, &n), 0x9000);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s %s\n", bad[i].hdr, bad[i].data);
		before = gpt_snap(card);
		assert_int_equal(cmd(card, &h, bad[i].hdr, bad[i].data, 1, out, &n), bad[i].sw);
		gpt_same(card, before);
	}
	/* DeleteProfile (SGP.02 §7.4): 00 with Le; the card is as before the INSTALL */
	assert_int_equal(cmd(card, &h, "80E40040", "4F10" PFX "00001300", 1, out, &n), 0x9000);
	expect_data(out, n, "00");
	gpt_same(card, pristine);
	assert_int_equal(cmd(card, &h, "80F24002", "4F10" PFX "00001300", 1, out, &n), 0x6A88);
	/* a DISABLED ISD-P carrying the fall-back attribute stays */
	assert_int_equal(install(card, &h, "000013", "0380C000", "06C90481020370", out, &n), 0x9000);
	{
		int s = eum_isdp_find(card,
		                      (const uint8_t[16]){0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF,
		                                          0xFF, 0x89, 0x00, 0x00, 0x13, 0x00},
		                      16);
		assert_true(s > 0);
		card->ps->isdp[0]->fallback = 0;
		card->ps->isdp[s]->fallback = 1;
		card->ps->isdp[s]->lcs = EUM_ISDP_DISABLED;
		eum_store_dirty_all(card); /* state set by hand: the store must know (EUM_STORE_VERIFY) */
		before = gpt_snap(card);
		assert_int_equal(cmd(card, &h, "80E40000", "4F10" PFX "00001300", 0, out, &n), 0x6985);
		gpt_same(card, before);
		card->ps->isdp[s]->fallback = 0;
		card->ps->isdp[0]->fallback = 1;
		eum_store_dirty_all(card);
		assert_int_equal(cmd(card, &h, "80E40000", "4F10" PFX "00001300", 0, out, &n), 0x9000);
		assert_int_equal(GPT_DLEN(n), 0);
	}
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- SET STATUS ------------------------------------------------------------------ */

static void test_set_status(void **state)
{
	static const struct {
		const char *hdr, *data;
		uint16_t sw;
	} bad[] = {
	        {"80F0400F", PFX "00001300", 0x6985}, /* already PERSONALIZED */
	        {"80F04007", PFX "00001300", 0x6985}, /* GP: no way back */
	        {"80F0403F", PFX "00001300", 0x6985}, /* enable is ES5's */
	        {"80F0401F", PFX "00001300", 0x6985},
	        {"80F0408F", PFX "00001300", 0x6985}, /* LOCKED: not in SGP.02 */
	        {"80F04055", PFX "00001300", 0x6A86},
	        {"80F0400F", ISDR, 0x6985},
	        {"80F0400F", ECASD, 0x6985},
	        {"80F0400F", PFX "00003300", 0x6A88},
	        {"80F0807F", "", 0x6985}, /* card life cycle */
	        {"80F0200F", PFX "00001300", 0x6A86},
	};
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n, i;
	struct gpt_image before;

	(void)state;
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x01);
	assert_int_equal(install(card, &h, "000013", "0380C000", "06C90481020370", out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80F0400F", PFX "00001300", 0, out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80F24002", "4F10" PFX "00001300", 1, out, &n), 0x9000);
	expect_data(out, n, "E324 4F10" PFX "00001300 9F70010F 530100 8F0100 910100 C50380C000");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char hex[100];
		print_message("%s %s\n", bad[i].hdr, bad[i].data);
		before = gpt_snap(card);
		if (bad[i].data[0])
			assert_int_equal(cmd(card, &h, bad[i].hdr, bad[i].data, 0, out, &n), bad[i].sw);
		else {
			snprintf(hex, sizeof(hex), "%s", bad[i].hdr);
			assert_int_equal(gpt_sm_hex(card, &h, hex, out, &n), bad[i].sw);
		}
		gpt_same(card, before);
	}
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_get_data),   cmocka_unit_test(test_secure_channel_required),
	        cmocka_unit_test(test_get_status), cmocka_unit_test(test_get_status_more_data),
	        cmocka_unit_test(test_install),    cmocka_unit_test(test_delete),
	        cmocka_unit_test(test_set_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
