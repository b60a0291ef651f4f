/*
 * GlobalPlatform commands of the ISD-R and ISD-P (src/gp/gp_cmds.c,
 * gp_content.c, gp_keys.c, store_data.c), driven only through APDUs on a
 * fresh default card (eum_card_transmit, T=0 GET RESPONSE included), inside
 * SCP03 sessions opened by libeum-host: GET DATA, GET STATUS (with 6310
 * continuation), INSTALL, DELETE, SET STATUS, PUT KEY, STORE DATA routing,
 * SCP03 session errors, isolation of ISD-Ps. Every refused command must
 * leave the serialised state byte-identical.
 */
#include "gp_test.h"

#include "core/sw.h"

#define PFX   "A0000005591010FFFFFFFF89"
#define ISDR  PFX "00000100"
#define ECASD PFX "00000200"
#define ELF   PFX "00000D00"
#define MOD   PFX "00000E00"
#define BOOT  PFX "00001000"

/* Send CLA INS P1 P2 (hdr, 8 hex digits) with data (hex, Lc computed) and
 * optional Le 00; SCP03-wrapped when h is given. out: data + SW. */
static uint16_t cmd(eum_card *card, eum_host_scp03 *h, const char *hdr, const char *data, int le, uint8_t *out,
                    size_t *n)
{
	char hex[700];
	size_t dl = strlen(data) / 2;

	if (dl)
		snprintf(hex, sizeof(hex), "%s%02zX%s%s", hdr, dl, data, le ? "00" : "");
	else
		snprintf(hex, sizeof(hex), "%s%s", hdr, le ? "00" : "");
	return h ? gpt_sm_hex(card, h, hex, out, n) : gpt_xmit_hex(card, hex, out, n);
}

static void expect_data(const uint8_t *out, size_t n, const char *hex)
{
	uint8_t e[600];
	size_t en = gpt_hex(hex, e, sizeof(e));

	assert_int_equal(GPT_DLEN(n), en);
	assert_memory_equal(out, e, en);
}

/* INSTALL [for install and make selectable] of ISD-P TAR tar (6 hex digits). */
static uint16_t install(eum_card *card, eum_host_scp03 *h, const char *tar, const char *priv_lv, const char *params_lv,
                        uint8_t *out, size_t *n)
{
	char data[400];

	snprintf(data, sizeof(data), "10" ELF "10" MOD "10" PFX "%s00%s%s00", tar, priv_lv, params_lv);
	return cmd(card, h, "80E60C00", data, 1, out, n);
}

/* Value of a 1-3 byte sub-TLV of FF21. */
static size_t ff21_value(const uint8_t *d, size_t n, uint8_t tag)
{
	size_t i = 3, v = 0, k;

	assert_true(n >= 3 && d[0] == 0xFF && d[1] == 0x21 && d[2] == n - 3);
	while (i + 2 <= n) {
		size_t l = d[i + 1];
		assert_true(i + 2 + l <= n && l >= 1 && l <= 4);
		if (d[i] == tag) {
			assert_true(l == 1 || d[i + 2] != 0); /* shortest encoding */
			for (k = 0; k < l; k++)
				v = v << 8 | d[i + 2 + k];
			return v;
		}
		i += 2 + l;
	}
	fail_msg("tag %02X not in FF21", tag);
	return 0;
}

static size_t image_size(const eum_card *card)
{
	size_t n = 0;

	assert_int_equal(eum_card_save_image(card, NULL, 0, &n), EUM_OK);
	return n;
}

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
	/* E0: SCP80 KVN 1 (3DES, KIc/KID), KVN 3 (AES-128), SCP03 KVN 30 (AES-128 ENC/MAC/DEK) */
	assert_int_equal(gpt_xmit_hex(card, "80CA00E000", out, &n), 0x9000);
	expect_data(out, n,
	            "E02A C00401018010 C00402018010 C00401038810 C00402038810 C00401308810 C00402308810 "
	            "C00403308810");
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
	assert_int_equal(ff21_value(out, GPT_DLEN(n), 0x83),
	                 EUM_GP_VOLATILE_BUDGET - (sizeof(struct eum_card) - sizeof(struct eum_pstate)));
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
		card->ps.isdp[0].fallback = 0;
		card->ps.isdp[s].fallback = 1;
		card->ps.isdp[s].lcs = EUM_ISDP_DISABLED;
		before = gpt_snap(card);
		assert_int_equal(cmd(card, &h, "80E40000", "4F10" PFX "00001300", 0, out, &n), 0x6985);
		gpt_same(card, before);
		card->ps.isdp[s].fallback = 0;
		card->ps.isdp[0].fallback = 1;
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

/* ---- PUT KEY --------------------------------------------------------------------- */

/* New KVN 31, AES-128 ENC 10..1F, MAC 20..2F, DEK 30..3F, each DEK(404142…4F)-encrypted in the
 * Amd D length-prefixed form 88 11 10 <16> 03 <KCV> (golden values from an independent AES). */
#define PUT128                                                                                                         \
	"31881110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03840de5"               \
	"8811101445ad3442be8a465148c5667f6022c5035eaada"
/* New KVN 32, AES-256 ENC 50..6F, MAC 70..8F, DEK 90..AF, form 88 20 <32> 03 <KCV>. */
#define PUT256                                                                                                         \
	"328820c62e5212589b9eaf19ae940d03c3b7c21b9a031dfac164c660d7648a2f12eca30389b493882079f5ecff0ce8"               \
	"e1a75d3b57985cc42099deadab6f7b54c820cc2b491ce18f382603f71be58820648fc0715f36d341b7c7a2a418f7bd"               \
	"fc4ae19ed5a209e91e7ba91b658b08ca4d03cae6f4"

static void test_put_key(void **state)
{
	static const struct {
		const char *hdr, *data;
		uint16_t sw;
	} bad[] = {
	        {"80D83081",
	         "31881110790accda858b997029fa9ae50c9cd028030138098811108caa7f589aa0ceb6350a45e70a6e435b03840d"
	         "e58811101445ad3442be8a465148c5667f6022c5035eaada",
	         0x9485}, /* KCV */
	        {"80D83081",
	         "31801110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03840d"
	         "e58811101445ad3442be8a465148c5667f6022c5035eaada",
	         0x9484},                     /* DES type */
	        {"80D83381", PUT128, 0x6A88}, /* no key set 33 */
	        {"80D80081", PUT128, 0x6A84}, /* the ISD-R holds one SCP03 key set */
	        {"80D83001", PUT128, 0x6A86},
	        {"80D8B081", PUT128, 0x6A86},
	        {"80D83081",
	         "00881110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03840d"
	         "e58811101445ad3442be8a465148c5667f6022c5035eaada",
	         0x6A80}, /* KVN 00 */
	        {"80D83081",
	         "31881110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03840d"
	         "e5",
	         0x6A80}, /* two keys only */
	};
	static const uint8_t e2[32] = {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A,
	                               0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65,
	                               0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F};
	uint8_t m2[32], d2[32], e1[16], m1[16], d1[16];
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n, i;
	struct gpt_image before;

	(void)state;
	for (i = 0; i < 32; i++) {
		m2[i] = (uint8_t)(0x70 + i);
		d2[i] = (uint8_t)(0x90 + i);
	}
	for (i = 0; i < 16; i++) {
		e1[i] = (uint8_t)(0x10 + i);
		m1[i] = (uint8_t)(0x20 + i);
		d1[i] = (uint8_t)(0x30 + i);
	}
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x33);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i].hdr);
		before = gpt_snap(card);
		assert_int_equal(cmd(card, &h, bad[i].hdr, bad[i].data, 1, out, &n), bad[i].sw);
		gpt_same(card, before);
	}
	/* replace KVN 30 by an AES-256 set 32: the answer is KVN + the three KCVs */
	assert_int_equal(cmd(card, &h, "80D83081", PUT256, 1, out, &n), 0x9000);
	expect_data(out, n, "32 89b493 f71be5 cae6f4");
	assert_int_equal(card->ps.isdr.scp03[0].kvn, 0x32);
	assert_int_equal(card->ps.isdr.scp03[0].key_len, 32);
	assert_memory_equal(card->ps.isdr.scp03[0].key_enc, e2, 32);
	assert_memory_equal(card->ps.isdr.scp03[0].key_dek, d2, 32);
	assert_int_equal(card->ps.isdr.scp03[0].seq_counter, 0);
	/* the running session keeps its session keys */
	assert_int_equal(cmd(card, &h, "80F28002", "4F00", 1, out, &n), 0x9000);
	eum_host_scp03_free(&h);
	/* a new session needs the new keys; the new DEK then carries the next PUT KEY */
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK); /* ends the session */
	gpt_select_isdr(card, 0);
	gpt_open_keys(card, &h, 0, gpt_aid_isdr, e2, m2, d2, 32, 0x32, 0x13);
	assert_int_equal(cmd(card, &h, "80F28002", "4F00", 1, out, &n), 0x9000);
	/* data not encrypted under this session's DEK (90..AF) decrypts to other keys: the KCVs tell */
	assert_int_equal(cmd(card, &h, "80D83281", PUT128, 1, out, &n), 0x9485);
	eum_host_scp03_free(&h);

	/* on a fresh card: the length-prefixed AES-128 form, then a session with it */
	eum_card_free(card);
	card = gpt_card();
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x01);
	assert_int_equal(cmd(card, &h, "80D83081", PUT128, 1, out, &n), 0x9000);
	expect_data(out, n, "31 013808 840de5 5eaada");
	eum_host_scp03_free(&h);
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
	gpt_select_isdr(card, 0);
	gpt_open_keys(card, &h, 0, gpt_aid_isdr, e1, m1, d1, 16, 0x31, 0x33);
	assert_int_equal(cmd(card, &h, "80F28002", "4F00", 1, out, &n), 0x9000);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- SCP03 session errors ---------------------------------------------------------- */

static void test_session_errors(void **state)
{
	static const uint8_t hc[8] = {8, 7, 6, 5, 4, 3, 2, 1};
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t c[300], r[300], w[300];
	size_t n, rl, wn;
	struct gpt_image before;

	(void)state;
	gpt_select_isdr(card, 0);

	/* wrong key version: 6A88 */
	before = gpt_snap(card);
	assert_int_equal(gpt_xmit_hex(card, "8050310008010203040506070800", r, &rl), 0x6A88);
	gpt_same(card, before);

	/* wrong host cryptogram: 6300, no session */
	eum_host_scp03_init(&h);
	assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, gpt_key40, gpt_key40, gpt_key40, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(&h, 0, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(&h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x01, c, sizeof(c), &n), EUM_OK);
	c[5] ^= 0x01;
	before = gpt_snap(card);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x6300);
	gpt_same(card, before);
	gpt_xmit(card, (const uint8_t *)"\x80\xF2\x80\x02\x02\x4F\x00\x00", 8, r, &rl);
	before = gpt_snap(card);
	assert_int_equal(eum_host_scp03_wrap_command(&h, (const uint8_t *)"\x80\xF2\x80\x02\x02\x4F\x00\x00", 8, w,
	                                             sizeof(w), &wn),
	                 EUM_OK);
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x6982);
	gpt_same(card, before);
	eum_host_scp03_free(&h);

	/* replayed EXTERNAL AUTHENTICATE: 6985, and the open session ends */
	eum_host_scp03_init(&h);
	assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, gpt_key40, gpt_key40, gpt_key40, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(&h, 0, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(&h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x01, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	before = gpt_snap(card);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x6985);
	assert_int_equal(eum_host_scp03_wrap_command(&h, (const uint8_t *)"\x80\xF2\x80\x02\x02\x4F\x00\x00", 8, w,
	                                             sizeof(w), &wn),
	                 EUM_OK);
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x6982);
	gpt_same(card, before);
	eum_host_scp03_free(&h);

	/* missing C-MAC in a C-MAC session: 6982 and the session is closed */
	gpt_open(card, &h, 0, 0x01);
	before = gpt_snap(card);
	assert_int_equal(gpt_xmit_hex(card, "80F28002024F0000", r, &rl), 0x6982);
	assert_int_equal(card->ch[0].scp03.state, EUM_SCP03_STATE_NONE);
	assert_int_equal(eum_host_scp03_wrap_command(&h, (const uint8_t *)"\x80\xF2\x80\x02\x02\x4F\x00\x00", 8, w,
	                                             sizeof(w), &wn),
	                 EUM_OK);
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x6982);
	gpt_same(card, before);
	eum_host_scp03_free(&h);

	/* invalid C-MAC on a management command: 6982, nothing installed, session closed */
	gpt_open(card, &h, 0, 0x01);
	before = gpt_snap(card);
	n = gpt_hex("80E60C003F10" ELF "10" MOD "10" PFX "000013000380C00006C904810203700000", c, sizeof(c));
	assert_int_equal(eum_host_scp03_wrap_command(&h, c, n, w, sizeof(w), &wn), EUM_OK);
	w[wn - 2] ^= 0x80; /* last C-MAC byte (Le follows) */
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x6982);
	assert_int_equal(card->ch[0].scp03.state, EUM_SCP03_STATE_NONE);
	gpt_same(card, before);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- STORE DATA and INSTALL [for personalization] through APDUs ---------------------- */

static void test_store_data_apdus(void **state)
{
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n;
	struct gpt_image before;

	(void)state;
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x03);
	before = gpt_snap(card);
	/* a DGI no handler knows, split over two blocks: the first is taken, the last answers 6A88 */
	assert_int_equal(cmd(card, &h, "80E20800", "7FF0", 0, out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80E28801", "02AABB", 0, out, &n), 0x6A88);
	/* block numbering: 01 without 00, a gap, a format change */
	assert_int_equal(cmd(card, &h, "80E28801", "7FF000", 0, out, &n), 0x6A86);
	assert_int_equal(cmd(card, &h, "80E20800", "7FF0", 0, out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80E28802", "00", 0, out, &n), 0x6A86);
	assert_int_equal(cmd(card, &h, "80E20800", "7FF0", 0, out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80E29001", "00", 0, out, &n), 0x6A86);
	/* DEK-encrypted or unstructured data is not an SGP.02 format */
	assert_int_equal(cmd(card, &h, "80E2E800", "7FF000", 0, out, &n), 0x6A86);
	assert_int_equal(cmd(card, &h, "80E28000", "7FF000", 0, out, &n), 0x6A86);
	/* a malformed DGI */
	assert_int_equal(cmd(card, &h, "80E28800", "7FF005AA", 0, out, &n), 0x6A80);
	/* INSTALL [for personalization] of an unknown / known ISD-P */
	assert_int_equal(cmd(card, &h, "80E62000", "000010" PFX "0000330000000000", 1, out, &n), 0x6A80);
	assert_int_equal(cmd(card, &h, "80E62000", "000010" PFX "00003300000000", 1, out, &n), 0x6A88);
	assert_int_equal(cmd(card, &h, "80E62000", "000010" BOOT "000000", 1, out, &n), 0x9000);
	expect_data(out, n, "00");
	assert_int_equal(card->ch[0].gp.perso_active, 1);
	assert_int_equal(card->ch[0].gp.perso_isdp, 0);
	/* the personalisation ends with the last STORE DATA block */
	assert_int_equal(cmd(card, &h, "80E28800", "7FF000", 0, out, &n), 0x6A88);
	assert_int_equal(card->ch[0].gp.perso_active, 0);
	gpt_same(card, before);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- isolation of ISD-Ps ---------------------------------------------------------- */

/* APDUs on a virtual OTA channel (as an SCP80 script reaches an SD). */
static uint16_t vx(eum_card *card, struct eum_channel *ch, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len)
{
	uint8_t buf[EUM_RESP_MAX];
	struct eum_rsp r = {buf, sizeof(buf), 0};
	uint8_t cases;
	uint16_t sw = eum_process_apdu(card, ch, c, n, &r, &cases);

	assert_true(r.len + 2 <= 300);
	memcpy(out, buf, r.len);
	out[r.len] = (uint8_t)(sw >> 8);
	out[r.len + 1] = (uint8_t)sw;
	*out_len = r.len + 2;
	return sw;
}

static uint16_t vx_hex(eum_card *card, struct eum_channel *ch, const char *hex, uint8_t *out, size_t *n)
{
	uint8_t c[300];
	size_t cn = gpt_hex(hex, c, sizeof(c));

	return vx(card, ch, c, cn, out, n);
}

/* Open SCP03 on a virtual channel to an ISD-P. */
static void vopen(eum_card *card, struct eum_channel *ch, eum_host_scp03 *h, const uint8_t aid[16],
                  const uint8_t key[16], uint8_t kvn)
{
	static const uint8_t hc[8] = {1, 1, 2, 2, 3, 3, 4, 4};
	uint8_t c[64], r[300];
	size_t n = 0, rl = 0;

	eum_host_scp03_init(h);
	assert_int_equal(eum_host_scp03_set_keys(h, kvn, key, key, key, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_set_sd_aid(h, aid, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(h, 0, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(vx(card, ch, c, n, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(h, 0x01, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(vx(card, ch, c, n, r, &rl), 0x9000);
}

static int seen_isdp = -2;
static uint16_t record_dgi(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                           struct eum_rsp *r)
{
	(void)card;
	(void)ch;
	(void)val;
	(void)len;
	(void)r;
	seen_isdp = isdp;
	return EUM_SW_OK;
}

static void test_isolation(void **state)
{
	static const struct eum_gp_dgi_handler rows[] = {
	        {EUM_GP_SD_FORMAT_DGI, 0x7FF0, EUM_APP_ISDP, record_dgi, "test", NULL, 0},
	};
	static const struct eum_gp_dgi_table tbl = {rows, 1};
	const uint8_t *ka = gpt_key40; /* A's key set: the DEK the golden PUT KEY data was encrypted with */
	static const uint8_t kb[16] = {0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8,
	                               0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF, 0xB0};
	uint8_t aid_a[16], aid_b[16], out[300];
	struct eum_channel va = {0}, vb = {0};
	struct eum_isdp copy_b;
	eum_card *card = gpt_card();
	eum_host_scp03 h, hr;
	struct eum_apdu a = {0};
	struct eum_rsp r = {out, sizeof(out), 0};
	int sa = 0, sb;
	size_t n;

	(void)state;
	eum_isdp_aid_for_tar((const uint8_t[3]){0x00, 0x00, 0x10}, aid_a);
	eum_isdp_aid_for_tar((const uint8_t[3]){0x00, 0x00, 0x13}, aid_b);
	/* ISD-Ps are reached on OTA channels only: a SELECT on a logical channel goes elsewhere */
	assert_int_equal(gpt_xmit_hex(card, "0070000001", out, &n), 0x9000);
	assert_int_not_equal(gpt_xmit_hex(card, "01A4040010" PFX "00001000", out, &n), 0x9000);
	assert_int_not_equal(card->ch[1].app, EUM_APP_ISDP);
	gpt_select_isdr(card, 0);
	gpt_open(card, &hr, 0, 0x01);
	assert_int_equal(install(card, &hr, "000013", "0380C000", "06C90481020370", out, &n), 0x9000);
	sb = eum_isdp_find(card, aid_b, 16);
	assert_true(sb > 0);
	/* key sets as ES8 would have established them (internal access) */
	card->ps.isdp[sa].scp03[0] = (struct eum_scp03_keyset){.kvn = 0x30, .key_len = 16};
	memcpy(card->ps.isdp[sa].scp03[0].key_enc, ka, 16);
	memcpy(card->ps.isdp[sa].scp03[0].key_mac, ka, 16);
	memcpy(card->ps.isdp[sa].scp03[0].key_dek, ka, 16);
	card->ps.isdp[sb].scp03[0] = (struct eum_scp03_keyset){.kvn = 0x30, .key_len = 16};
	card->ps.isdp[sb].scp03[1] = (struct eum_scp03_keyset){.kvn = 0x31, .key_len = 16};
	memcpy(card->ps.isdp[sb].scp03[0].key_enc, kb, 16);
	memcpy(card->ps.isdp[sb].scp03[0].key_mac, kb, 16);
	memcpy(card->ps.isdp[sb].scp03[0].key_dek, kb, 16);

	va.open = vb.open = 1;
	va.ota = vb.ota = 1;
	assert_int_equal(vx_hex(card, &va, "00A4040010" PFX "00001000", out, &n), 0x9000);
	assert_int_equal(vx_hex(card, &vb, "00A4040010" PFX "00001300", out, &n), 0x9000);
	assert_int_equal(va.app, EUM_APP_ISDP);
	assert_int_equal(va.isdp, sa);
	assert_int_equal(vb.isdp, sb);

	/* A's key information shows A's key set only */
	assert_int_equal(vx_hex(card, &va, "80CA00E000", out, &n), 0x9000);
	expect_data(out, n, "E012 C00401308810 C00402308810 C00403308810");
	/* B's keys do not open A; B's second key version is unknown to A */
	{
		static const uint8_t hc[8] = {0};
		uint8_t c[64], rr[300];
		size_t cn, rl;
		eum_host_scp03_init(&h);
		assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, kb, kb, kb, 16), EUM_OK);
		assert_int_equal(eum_host_scp03_initialize_update(&h, 0, hc, c, sizeof(c), &cn), EUM_OK);
		assert_int_equal(vx(card, &va, c, cn, rr, &rl), 0x9000);
		assert_int_equal(eum_host_scp03_check_init_update_response(&h, rr, rl - 2), EUM_ERR_CRYPTO);
		eum_host_scp03_free(&h);
		assert_int_equal(vx_hex(card, &va, "8050310008000000000000000000", out, &n), 0x6A88);
	}
	/* a new key set put into A lands in A's free slot; B is untouched */
	copy_b = card->ps.isdp[sb];
	vopen(card, &va, &h, aid_a, ka, 0x30);
	{
		uint8_t c[300], w[300], rr[300];
		size_t cn = gpt_hex("80D80081"
		                    "46" PUT128 "00",
		                    c, sizeof(c)),
		       wn, rl;
		assert_int_equal(eum_host_scp03_wrap_command(&h, c, cn, w, sizeof(w), &wn), EUM_OK);
		assert_int_equal(vx(card, &va, w, wn, rr, &rl), 0x9000);
		assert_int_equal(eum_host_scp03_unwrap_response(&h, rr, rl, out, sizeof(out), &n), EUM_OK);
		expect_data(out, n, "31 013808 840de5 5eaada");
	}
	assert_int_equal(card->ps.isdp[sa].scp03[1].kvn, 0x31);
	assert_memory_equal(&card->ps.isdp[sb], &copy_b, sizeof(copy_b));
	eum_host_scp03_free(&h);

	/* STORE DATA through A's channel reaches A; through B's, B; via the ISD-R's
	 * INSTALL [for personalization], the ISD-P it names */
	a.cla = 0x80;
	a.ins = 0xE2;
	a.p1 = 0x88;
	a.p2 = 0x00;
	a.data = (const uint8_t *)"\x7F\xF0\x01\x00";
	a.lc = 4;
	a.cases = EUM_CASE3;
	assert_int_equal(eum_gp_store_data_with(card, &va, &a, &r, &tbl), 0x9000);
	assert_int_equal(seen_isdp, sa);
	assert_int_equal(eum_gp_store_data_with(card, &vb, &a, &r, &tbl), 0x9000);
	assert_int_equal(seen_isdp, sb);
	assert_int_equal(cmd(card, &hr, "80E62000", "000010" PFX "00001300000000", 1, out, &n), 0x9000);
	assert_int_equal(eum_gp_store_data_with(card, &card->ch[0], &a, &r, &tbl), 0x9000);
	assert_int_equal(seen_isdp, sb);
	/* without a personalisation the ISD-R receives it: no ISD-R row for this DGI */
	seen_isdp = -2;
	assert_int_equal(eum_gp_store_data_with(card, &card->ch[0], &a, &r, &tbl), 0x6A88);
	assert_int_equal(seen_isdp, -2);
	/* content management is the ISD-R's: A cannot delete, install or list B */
	memset(&va, 0, sizeof(va));
	va.open = va.ota = 1;
	assert_int_equal(vx_hex(card, &va, "00A4040010" PFX "00001000", out, &n), 0x9000);
	assert_int_equal(vx_hex(card, &va,
	                        "80E4000012"
	                        "4F10" PFX "00001300",
	                        out, &n),
	                 0x6D00);
	assert_int_equal(vx_hex(card, &va, "80F24002024F0000", out, &n), 0x6D00);
	assert_int_equal(vx_hex(card, &va, "80F0400F10" PFX "00001300", out, &n), 0x6D00);
	eum_host_scp03_free(&hr);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_get_data),       cmocka_unit_test(test_secure_channel_required),
	        cmocka_unit_test(test_get_status),     cmocka_unit_test(test_get_status_more_data),
	        cmocka_unit_test(test_install),        cmocka_unit_test(test_delete),
	        cmocka_unit_test(test_set_status),     cmocka_unit_test(test_put_key),
	        cmocka_unit_test(test_session_errors), cmocka_unit_test(test_store_data_apdus),
	        cmocka_unit_test(test_isolation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
