/*
 * SGP.02 ES5 end to end (§7.1-§7.10, §9): a freshly manufactured card (bootstrap profile
 * enabled with the fall-back attribute) driven only through APDUs, as a modem (TERMINAL
 * PROFILE, FETCH, TERMINAL RESPONSE, event download, resets) and as an SM-SR (SCP80 SMS-PP
 * ENVELOPEs built by libeum-host's smsr.h): CreateISDP and its failures, enable with PoR,
 * REFRESH, re-attach, notification and confirmation, disable, delete, POL1 refusals, the
 * fall-back attribute, roll-back, fall-back, audit bytes, MasterDelete, notification retry and
 * persistence, and a reload in the middle of a switch. Every refused command leaves the state
 * image byte for byte as it was.
 */
#include "es5_e2e.h"

#include "sgp02/policy.h"

#define BOOT_AID ES5_AID_PFX "00001000"
#define B_AID    ES5_AID_PFX "00001100"
#define C_AID    ES5_AID_PFX "00001200"
#define EID      "89049032000000000000000000001230"
/* GET STATUS P1 40 lists the ECASD first: AID, LCS 0F, privileges 80 00 00 (no SGP.02 attributes) */
#define ECASD_E3 "E31B 4F10A0000005591010FFFFFFFF8900000200 9F70010F C503800000"
#define PKG_B    "TS48V2-SAIP2-3-NOBERTLV-UNIQUE.der"
#define PKG_C    "TS48V4-SAIP2-1B-NOBERTLV-UNIQUE.der"

/* ---- small helpers --------------------------------------------------------------------------- */

static uint16_t enable(struct es5 *t, const char *aid_hex)
{
	uint8_t aid[16], apdu[64];
	size_t n;

	es5_unhex(aid_hex, aid, 16);
	assert_int_equal(eum_host_smsr_enable_profile(aid, 16, apdu, sizeof(apdu), &n), EUM_OK);
	return es5_cmd_bytes(t, apdu, n);
}

static uint16_t disable(struct es5 *t, const char *aid_hex)
{
	uint8_t aid[16], apdu[64];
	size_t n;

	es5_unhex(aid_hex, aid, 16);
	assert_int_equal(eum_host_smsr_disable_profile(aid, 16, apdu, sizeof(apdu), &n), EUM_OK);
	return es5_cmd_bytes(t, apdu, n);
}

/* The proactive command behind sw must be REFRESH with qualifier 04 (UICC reset); answered. */
static void expect_refresh(struct es5 *t, uint16_t sw)
{
	uint8_t cmd[256];
	size_t len;

	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x01);
	/* D0 09 81 03 nn 01 04 82 02 81 82 */
	assert_int_equal(len, 11);
	assert_int_equal(cmd[6], 0x04);
	assert_memory_equal(cmd + 7, "\x82\x02\x81\x82", 4);
	assert_int_equal(es5_terminal_response(t, cmd, ES5_TR_OK), 0x9000);
}

/* The proactive command behind sw must be the SEND SHORT MESSAGE of a notification. */
static uint16_t expect_notification(struct es5 *t, uint16_t sw, uint8_t type, const char *aid_hex,
                                    struct eum_host_smsr_notification *nt, uint8_t tr_result)
{
	uint8_t cmd[256], eid[16], aid[16];
	size_t len;

	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x13);
	assert_int_equal(eum_host_smsr_parse_notification(&t->sr, cmd, len, nt), EUM_OK);
	es5_unhex(EID, eid, 16);
	es5_unhex(aid_hex, aid, 16);
	assert_memory_equal(nt->eid, eid, 16);
	assert_int_equal(nt->type, type);
	assert_int_equal(nt->aid_len, 16);
	assert_memory_equal(nt->aid, aid, 16);
	assert_string_equal(nt->da, "12345678");
	assert_int_equal(nt->da_ton_npi, 0x91);
	return es5_terminal_response(t, cmd, tr_result);
}

/* HandleNotificationConfirmation; the response data must be exactly `expect` (hex). */
static void confirm(struct es5 *t, uint16_t seq, const char *expect)
{
	uint8_t apdu[32], want[300];
	size_t n, wn = es5_unhex(expect, want, sizeof(want));

	assert_int_equal(eum_host_smsr_confirm(seq, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	assert_int_equal(t->res.data_len, wn);
	assert_memory_equal(t->res.data, want, wn);
}

/* First attach after manufacture: notification 01 about the bootstrap profile, confirmed. */
static void declare(struct es5 *t)
{
	struct eum_host_smsr_notification nt;
	uint16_t sw = es5_boot_and_attach(t);

	assert_int_equal(expect_notification(t, sw, 0x01, BOOT_AID, &nt, ES5_TR_OK), 0x9000);
	assert_int_equal(nt.seq, 1);
	confirm(t, nt.seq, "8000");
}

/* EF.ICCID of the profile the modem sees (changes with the enabled profile). */
static void read_iccid(struct es5 *t, uint8_t iccid[10])
{
	size_t n;

	assert_int_equal(es5_hex(t, "00A4000C023F00", NULL, NULL), 0x9000);
	assert_int_equal(es5_hex(t, "00A4000C022FE2", NULL, NULL), 0x9000);
	assert_int_equal(es5_hex(t, "00B000000A", iccid, &n), 0x9000);
	assert_int_equal(n, 10);
}

/* RFM (TS 102 226 §8) of EF.ICCID through the bootstrap profile's RFM TAR B00010 with its OTA
 * key set KVN 1 (3DES two-key, the default card's): returns the PoR status; iccid gets the data
 * when the script ran. */
static uint8_t rfm_read_iccid(struct es5 *t, struct eum_host_smsr *rfm, uint8_t iccid[10])
{
	static const char *const script[] = {"00A4000C023F00", "00A4000C022FE2", "00B000000A"};
	struct eum_host_smsr saved = t->sr;
	uint8_t status;

	t->sr = *rfm;
	es5_script_n(t, 3, script);
	*rfm = t->sr;
	t->sr = saved;
	status = t->res.status;
	if (status == 0x00 && t->res.last_sw == 0x9000 && t->res.data_len == 10)
		memcpy(iccid, t->res.data, 10);
	return status;
}

static void rfm_init(struct eum_host_smsr *rfm)
{
	struct eum_host_scp80_keyset ks;

	memset(&ks, 0, sizeof(ks));
	ks.kic.algo = ks.kid.algo = EUM_HOST_SCP80_ALGO_TDES2;
	ks.kic.len = (uint8_t)es5_unhex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", ks.kic.val, 32);
	ks.kid.len = (uint8_t)es5_unhex("0123456789abcdeffedcba9876543210", ks.kid.val, 32);
	eum_host_smsr_init(rfm, &ks, 0x15, 0x15, (const uint8_t *)"\xB0\x00\x10");
}

/* Enable aid, REFRESH, re-attach, notification 02, confirmation answered with `deleted`. */
static uint16_t enable_flow(struct es5 *t, const char *aid_hex, const char *deleted)
{
	struct eum_host_smsr_notification nt;
	uint16_t sw;

	assert_int_equal(enable(t, aid_hex), 0x9000);
	/* the PoR went back first; the REFRESH waits behind it */
	expect_refresh(t, t->env_sw);
	sw = es5_boot_and_attach(t);
	assert_int_equal(expect_notification(t, sw, 0x02, aid_hex, &nt, ES5_TR_OK), 0x9000);
	confirm(t, nt.seq, deleted);
	return nt.seq;
}

/* ---- tests ------------------------------------------------------------------------------------- */

/* SGP.02 §7.7: GET DATA FF21 and GET STATUS on a fresh card, byte by byte. */
static void test_audit_fresh_card(void **state)
{
	struct es5 *t = es5_new();
	uint8_t want[64];
	size_t wn;

	(void)state;
	/* E3 { 4F AID, 9F70 LCS 3F, 53 attributes 01 (fall-back), C5 privileges } */
	assert_int_equal(es5_cmd(t, "80F24002 12 4F10" BOOT_AID " 00"), 0x9000);
	wn = es5_unhex("E324 4F10" BOOT_AID " 9F70013F 530101 8F0100 910100 C50380C000", want, sizeof(want));
	assert_int_equal(t->res.data_len, wn);
	assert_memory_equal(t->res.data, want, wn);
	/* FF21: 81 installed applications (ISD-R, ECASD, one ISD-P = 3), 82 free NVM, 83 free RAM */
	assert_int_equal(es5_cmd(t, "80CAFF2100"), 0x9000);
	assert_true(t->res.data_len >= 11);
	assert_memory_equal(t->res.data, "\xFF\x21", 2);
	assert_memory_equal(t->res.data + 3, "\x81\x01\x03\x82", 4);
	es5_free(t);
}

/* SGP.02 §4: ES5 commands only inside the ISD-R's secured channel. */
static void test_es5_needs_secure_channel(void **state)
{
	struct es5 *t = es5_new();

	(void)state;
	assert_int_equal(es5_hex(t, "0070000001", NULL, NULL), 0x9000);
	/* the default card gives the ISD-R no SCP03 key set: the device cannot even select it */
	assert_int_equal(es5_hex(t, "01A4040010A0000005591010FFFFFFFF8900000100", NULL, NULL), 0x6A82);
	assert_int_equal(es5_hex(t, "81E2880014 3A0312 4F10" BOOT_AID, NULL, NULL), 0x6D00);
	es5_free(t);
}

/* No ES5 command makes an ISD-P without a profile the enabled or the fall-back one (SGP.02 §3.2, §7.2,
 * §7.6): such a state could not run (the image loader refuses it). An ISD-P in DISABLED without a
 * profile is not reachable through APDUs; it is made here by hand to show the rule holds anyway. */
static void test_no_empty_enabled_or_fallback(void **state)
{
	struct es5 *t = es5_new();
	int b;

	(void)state;
	b = es5_install_profile(t, "000011", PKG_B, 0);
	t->card->ps->isdp[b]->has_profile = 0;
	assert_int_equal(es5_refused(t, "80E2880015 3A0512 4F10" B_AID), 0x6985);
	assert_int_equal(es5_refused(t, "80E2880015 3A0312 4F10" B_AID), 0x6985);
	assert_int_equal(t->card->ps->isdp[0]->fallback, 1);
	t->card->ps->isdp[b]->has_profile = 1;
	assert_int_equal(es5_cmd(t, "80E2880015 3A0512 4F10" B_AID), 0x9000);
	assert_int_equal(t->card->ps->isdp[b]->fallback, 1);
	es5_free(t);
}

/* With an ISD-R SCP03 key set in the configuration the device can select the ISD-R (a warning is
 * logged), and ES5 still needs the SCP03 session: 6982 in clear. */
static int warned;
static void catch_warning(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	if (level == EUM_LOG_WARN && strstr(msg, "ISD-R has an SCP03 key set"))
		warned = 1;
}

static void test_isdr_scp03_only_when_configured(void **state)
{
	static const uint8_t key[16] = {0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
	                                0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F};
	static const uint8_t sel[] = {0x00, 0xA4, 0x04, 0x00, 0x10, 0xA0, 0x00, 0x00, 0x05, 0x59, 0x10,
	                              0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	static const uint8_t iu[] = {0x80, 0x50, 0x30, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00};
	uint8_t r[300];
	size_t rlen;
	eum_config cfg;
	eum_card *card;

	(void)state;
	/* default: no warning, no ISD-R for the device */
	eum_config_init(&cfg);
	cfg.log = catch_warning;
	cfg.log_level = EUM_LOG_DEBUG;
	warned = 0;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(warned, 0);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	assert_int_equal(eum_card_transmit(card, sel, sizeof(sel), r, sizeof(r), &rlen), EUM_OK);
	assert_int_equal(rlen, 2);
	assert_memory_equal(r, "\x6A\x82", 2);
	eum_card_free(card);
	/* configured: selectable, INITIALIZE UPDATE answers, ES5 in clear refused */
	cfg.isdr_scp03.kvn = 0x30;
	cfg.isdr_scp03.key_len = 16;
	cfg.isdr_scp03.enc = cfg.isdr_scp03.mac = cfg.isdr_scp03.dek = key;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(warned, 1);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	assert_int_equal(eum_card_transmit(card, sel, sizeof(sel), r, sizeof(r), &rlen), EUM_OK);
	assert_true(r[rlen - 2] == 0x61 || (r[rlen - 2] == 0x90 && r[rlen - 1] == 0x00));
	assert_int_equal(eum_card_transmit(card, iu, sizeof(iu), r, sizeof(r), &rlen), EUM_OK);
	assert_int_equal(r[rlen - 2], 0x61);
	{
		uint8_t c[64];
		size_t n = es5_unhex("80E2880014 3A0312 4F10" BOOT_AID, c, sizeof(c));
		assert_int_equal(eum_card_transmit(card, c, n, r, sizeof(r), &rlen), EUM_OK);
		assert_int_equal(rlen, 2);
		assert_memory_equal(r, "\x69\x82", 2);
	}
	eum_card_free(card);
}

/* SGP.02 §7.1: CreateISDP and its refusals (bad ELF, AID in use, memory). */
static void test_create_isdp(void **state)
{
	struct es5 *t = es5_new();
	static const uint8_t tar[3] = {0x00, 0x00, 0x11};
	uint8_t apdu[128];
	size_t n;
	char hex[300];
	int i;

	(void)state;
	assert_int_equal(eum_host_smsr_create_isdp(tar, 0, apdu, sizeof(apdu), &n), EUM_OK);
	/* whty's worked example with TAR 000011 */
	assert_int_equal(n, 0x3F + 6);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	/* the same AID again: 6A80 */
	for (i = 0; i < (int)n; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	assert_int_equal(es5_refused(t, hex), 0x6A80);
	/* not the ISD-P load file: 6A88 */
	assert_int_equal(es5_refused(t,
	                             "80E60C003F 10A0000005591010FFFFFFFF8900000C00 10A0000005591010FFFFFFFF8900000E00 "
	                             "10" ES5_AID_PFX "00001200 0380C000 06C90481020370 00 00"),
	                 0x6A88);
	/* an AID outside Annex H: 6A80 */
	assert_int_equal(es5_refused(t,
	                             "80E60C003F 10A0000005591010FFFFFFFF8900000D00 10A0000005591010FFFFFFFF8900000E00 "
	                             "10A0000005591010FFFFFFFF89000002FF 0380C000 06C90481020370 00 00"),
	                 0x6A80);
	/* more memory than the card has: 6A84 */
	assert_int_equal(eum_host_smsr_create_isdp((const uint8_t *)"\x00\x00\x12", 0x7FFFFFFF, apdu, sizeof(apdu), &n),
	                 EUM_OK);
	for (i = 0; i < (int)n; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	assert_int_equal(es5_refused(t, hex), 0x6A84);
	/* every slot used: 6A84 */
	for (i = 2; i < EUM_MAX_ISDP; i++) {
		uint8_t tr[3] = {0x00, 0x00, (uint8_t)(0x11 + i)};
		assert_int_equal(eum_host_smsr_create_isdp(tr, 0, apdu, sizeof(apdu), &n), EUM_OK);
		assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	}
	assert_int_equal(eum_host_smsr_create_isdp((const uint8_t *)"\x00\x00\x40", 0, apdu, sizeof(apdu), &n), EUM_OK);
	for (i = 0; i < (int)n; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	assert_int_equal(es5_refused(t, hex), 0x6A84);
	es5_free(t);
}

/* SGP.02 §7.2, §7.8, §7.9: enable with PoR, REFRESH 04, re-attach, notification 02, confirmation;
 * a disabled profile's file system and OTA keys are out of reach. */
static void test_enable_flow(void **state)
{
	struct es5 *t = es5_new();
	uint8_t boot_iccid[10], b_iccid[10], rfm_iccid[10];
	struct eum_host_smsr rfm;
	uint16_t seq;

	(void)state;
	declare(t);
	read_iccid(t, boot_iccid);
	/* the enabled bootstrap profile answers RFM with its own keys */
	rfm_init(&rfm);
	memset(rfm_iccid, 0, sizeof(rfm_iccid));
	assert_int_equal(rfm_read_iccid(t, &rfm, rfm_iccid), 0x00);
	assert_memory_equal(rfm_iccid, boot_iccid, 10);
	es5_install_profile(t, "000011", PKG_B, 0);
	/* the installed profile is DISABLED, not the fall-back one */
	assert_int_equal(es5_cmd(t, "80F24002 12 4F10" B_AID " 00"), 0x9000);
	assert_memory_equal(t->res.data + 20, "\x9F\x70\x01\x1F\x53\x01\x00", 7);

	seq = enable_flow(t, B_AID, "8000");
	assert_int_equal(seq, 2);
	read_iccid(t, b_iccid);
	assert_memory_not_equal(b_iccid, boot_iccid, 10);
	/* audit: B enabled, the bootstrap disabled and still the fall-back profile */
	assert_int_equal(es5_cmd(t, "80F24002 02 4F00 00"), 0x9000);
	{
		uint8_t want[256];
		size_t wn = es5_unhex(ECASD_E3 "E324 4F10" BOOT_AID " 9F70011F 530101 8F0100 910100 C50380C000"
		                               "E324 4F10" B_AID " 9F70013F 530100 8F0100 910100 C50380C000",
		                      want, sizeof(want));
		assert_int_equal(t->res.data_len, wn);
		assert_memory_equal(t->res.data, want, wn);
	}
	/* the disabled bootstrap profile's files, RFM instance and OTA keys are out of reach: the
	 * same RFM packet is refused (the TAR or the keys are B's now) and never reads its ICCID */
	memset(rfm_iccid, 0, sizeof(rfm_iccid));
	assert_int_not_equal(rfm_read_iccid(t, &rfm, rfm_iccid), 0x00);
	assert_memory_not_equal(rfm_iccid, boot_iccid, 10);
	assert_int_equal(t->card->ps->isdp[0]->lcs, EUM_ISDP_DISABLED);
	/* a confirmed notification cannot be confirmed twice */
	{
		uint8_t apdu[32];
		size_t n;
		char hex[80];
		size_t i;
		assert_int_equal(eum_host_smsr_confirm(seq, apdu, sizeof(apdu), &n), EUM_OK);
		for (i = 0; i < n; i++)
			sprintf(hex + 2 * i, "%02X", apdu[i]);
		assert_int_equal(es5_refused(t, hex), 0x6A88);
	}
	es5_free(t);
}

/* SGP.02 §7.3, §7.4, §3.3: disable to the fall-back profile (notification 05), delete, POL1. */
static void test_disable_delete_pol1(void **state)
{
	struct es5 *t = es5_new();
	struct eum_host_smsr_notification nt;
	uint16_t sw;
	int b;

	(void)state;
	declare(t);
	b = es5_install_profile(t, "000011", PKG_B, 0);
	es5_install_profile(t, "000012", PKG_C, EUM_POL1_DELETE_NOT_ALLOWED);
	/* enabling an ENABLED profile, disabling a DISABLED one, unknown AIDs, bad data */
	assert_int_equal(es5_refused(t, "80E2880015 3A0312 4F10" BOOT_AID), 0x6985);
	assert_int_equal(es5_refused(t, "80E2880015 3A0412 4F10" B_AID), 0x6985);
	assert_int_equal(es5_refused(t, "80E2880015 3A0312 4F10" ES5_AID_PFX "00003300"), 0x6A88);
	assert_int_equal(es5_refused(t, "80E2880006 3A0303 4F0112"), 0x6A80);
	/* the fall-back profile cannot be disabled (nothing to fall back to) nor deleted */
	assert_int_equal(es5_refused(t, "80E2880015 3A0412 4F10" BOOT_AID), 0x6985);
	assert_int_equal(es5_refused(t, "80E4004012 4F10" BOOT_AID " 00"), 0x6985);
	/* POL1 "deletion not allowed" of C */
	assert_int_equal(es5_refused(t, "80E4004012 4F10" C_AID " 00"), 0x69E1);

	enable_flow(t, B_AID, "8000");
	/* the ENABLED profile cannot be deleted */
	assert_int_equal(es5_refused(t, "80E4004012 4F10" B_AID " 00"), 0x6985);
	/* DisableProfile: the fall-back profile comes back, notification 05 */
	assert_int_equal(disable(t, B_AID), 0x9000);
	expect_refresh(t, t->env_sw);
	sw = es5_boot_and_attach(t);
	assert_int_equal(expect_notification(t, sw, 0x05, BOOT_AID, &nt, ES5_TR_OK), 0x9000);
	confirm(t, nt.seq, "8000");
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_DISABLED);
	/* DeleteProfile of the disabled B: 00 with Le, then it is gone */
	assert_int_equal(es5_cmd(t, "80E4004012 4F10" B_AID " 00"), 0x9000);
	assert_int_equal(t->res.data_len, 1);
	assert_int_equal(es5_refused(t, "80F24002 12 4F10" B_AID " 00"), 0x6A88);
	assert_int_equal(es5_refused(t, "80E4004012 4F10" B_AID " 00"), 0x6A88);
	es5_free(t);
}

/* SGP.02 §3.3: POL1 "disable not allowed" of the enabled profile refuses Enable of another,
 * its Disable and moving the fall-back attribute; SetFallbackAttribute moves the single flag. */
static void test_pol1_disable_not_allowed_and_fallback_attribute(void **state)
{
	struct es5 *t = es5_new();
	uint8_t want[256];
	size_t wn;
	int b, c;

	(void)state;
	declare(t);
	b = es5_install_profile(t, "000011", PKG_B, EUM_POL1_DISABLE_NOT_ALLOWED);
	c = es5_install_profile(t, "000012", PKG_C, 0);
	/* SetFallbackAttribute to C: one flag, moved */
	assert_int_equal(es5_cmd(t, "80E2880015 3A0512 4F10" C_AID), 0x9000);
	assert_int_equal(es5_cmd(t, "80F24002 02 4F00 00"), 0x9000);
	wn = es5_unhex(ECASD_E3 "E324 4F10" BOOT_AID " 9F70013F 530100 8F0100 910100 C50380C000"
	                        "E324 4F10" B_AID " 9F70011F 530100 8F0100 910100 C50380C000"
	                        "E324 4F10" C_AID " 9F70011F 530101 8F0100 910100 C50380C000",
	               want, sizeof(want));
	assert_int_equal(t->res.data_len, wn);
	assert_memory_equal(t->res.data, want, wn);
	/* and back to the bootstrap profile */
	assert_int_equal(es5_cmd(t, "80E2880015 3A0512 4F10" BOOT_AID), 0x9000);
	assert_int_equal(t->card->ps->isdp[c]->fallback, 0);
	assert_int_equal(t->card->ps->isdp[0]->fallback, 1);

	enable_flow(t, B_AID, "8000");
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_ENABLED);
	assert_int_equal(es5_refused(t, "80E2880015 3A0312 4F10" C_AID), 0x69E1);
	assert_int_equal(es5_refused(t, "80E2880015 3A0412 4F10" B_AID), 0x69E1);
	assert_int_equal(es5_refused(t, "80E2880015 3A0512 4F10" C_AID), 0x69E1);
	es5_free(t);
}

/* SGP.02 §3.3 / §7.9: POL1 "delete when disabled" is applied after the confirmation and the
 * deleted ISD-P is listed in its response. */
static void test_pol1_delete_when_disabled(void **state)
{
	struct es5 *t = es5_new();

	(void)state;
	declare(t);
	es5_install_profile(t, "000011", PKG_B, EUM_POL1_DELETE_WHEN_DISABLED);
	es5_install_profile(t, "000012", PKG_C, 0);
	enable_flow(t, B_AID, "8000"); /* the bootstrap has no such rule */
	enable_flow(t, C_AID, "8012 4F10" B_AID);
	assert_int_equal(es5_refused(t, "80F24002 12 4F10" B_AID " 00"), 0x6A88);
	es5_free(t);
}

/* SGP.02 §7.5: MasterDelete with a good and a bad token; POL1 does not stop it. */
static void test_master_delete(void **state)
{
	static const uint8_t key[16] = {0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
	                                0x78, 0x79, 0x7A, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F};
	static const uint8_t b6[] = {0x42, 0x01, 0x01, 0x45, 0x01, 0x02, 0x5F, 0x20, 0x01, 0x03, 0x93, 0x01, 0x04};
	struct es5 *t = es5_new();
	uint8_t aid[16], boot[16], apdu[128], bad_key[16];
	char hex[300];
	size_t n, i;

	(void)state;
	es5_install_profile(t, "000011", PKG_B, EUM_POL1_DELETE_NOT_ALLOWED);
	es5_unhex(B_AID, aid, 16);
	es5_unhex(BOOT_AID, boot, 16);
	/* no token key yet: MasterDelete not possible (GP DELETE status words: 6985) */
	assert_int_equal(eum_host_smsr_master_delete(aid, 16, b6, sizeof(b6), key, apdu, sizeof(apdu), &n), EUM_OK);
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	assert_int_equal(es5_refused(t, hex), 0x6985);
	assert_int_equal(eum_card_set_delete_token_key(t->card, aid, 16, key), EUM_OK);
	assert_int_equal(eum_card_set_delete_token_key(t->card, boot, 16, key), EUM_OK);
	/* a token made with another key */
	memcpy(bad_key, key, 16);
	bad_key[15] ^= 1;
	assert_int_equal(eum_host_smsr_master_delete(aid, 16, b6, sizeof(b6), bad_key, apdu, sizeof(apdu), &n), EUM_OK);
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	assert_int_equal(es5_refused(t, hex), 0x6A80); /* GPCS Table 11-23: incorrect values */
	/* a token over other B6 data (one byte changed after signing) */
	assert_int_equal(eum_host_smsr_master_delete(aid, 16, b6, sizeof(b6), key, apdu, sizeof(apdu), &n), EUM_OK);
	apdu[5 + 18 + 4] ^= 0x01;
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	assert_int_equal(es5_refused(t, hex), 0x6A80);
	/* the fall-back profile: 6985 even with a good token */
	assert_int_equal(eum_host_smsr_master_delete(boot, 16, b6, sizeof(b6), key, apdu, sizeof(apdu), &n), EUM_OK);
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	assert_int_equal(es5_refused(t, hex), 0x6985);
	/* POL1 forbids DeleteProfile, MasterDelete ignores it */
	assert_int_equal(es5_refused(t, "80E4004012 4F10" B_AID " 00"), 0x69E1);
	assert_int_equal(eum_host_smsr_master_delete(aid, 16, b6, sizeof(b6), key, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	assert_int_equal(es5_refused(t, "80F24002 12 4F10" B_AID " 00"), 0x6A88);
	es5_free(t);
}

/* SGP.02 §7.2 step 8: the new profile does not attach: roll-back with notification 03; the
 * attach deadline of the host clock does the same. */
static void test_rollback(void **state)
{
	struct es5 *t = es5_new();
	struct eum_host_smsr_notification nt;
	uint8_t cmd[256];
	size_t len;
	uint16_t sw;
	int b;

	(void)state;
	declare(t);
	b = es5_install_profile(t, "000011", PKG_B, 0);
	assert_int_equal(enable(t, B_AID), 0x9000);
	expect_refresh(t, t->env_sw);
	assert_int_equal(eum_card_reset(t->card, 0, NULL, 0, NULL), EUM_OK);
	sw = es5_terminal_profile(t);
	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x05);
	assert_int_equal(es5_terminal_response(t, cmd, ES5_TR_OK), 0x9000);
	/* no service twice: still waiting; the third failure rolls back */
	assert_int_equal(es5_location(t, 0x02), 0x9000);
	assert_int_equal(es5_location(t, 0x01), 0x9000);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_ENABLED);
	sw = es5_location(t, 0x02);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_DISABLED);
	assert_int_equal(t->card->ps->isdp[0]->lcs, EUM_ISDP_ENABLED);
	expect_refresh(t, sw);
	sw = es5_boot_and_attach(t);
	assert_int_equal(expect_notification(t, sw, 0x03, BOOT_AID, &nt, ES5_TR_OK), 0x9000);
	confirm(t, nt.seq, "8000");

	/* the host clock: no attach within rollback_timeout_s */
	assert_int_equal(enable(t, B_AID), 0x9000);
	expect_refresh(t, t->env_sw);
	assert_int_equal(eum_card_reset(t->card, 0, NULL, 0, NULL), EUM_OK);
	t->now += 599;
	assert_int_equal(es5_hex(t, "80F2000C00", NULL, NULL) & 0xFF00, 0x9000 & 0xFF00);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_ENABLED);
	t->now += 1;
	sw = es5_terminal_profile(t);
	assert_int_equal(t->card->ps->isdp[0]->lcs, EUM_ISDP_ENABLED);
	expect_refresh(t, sw);
	sw = es5_boot_and_attach(t);
	assert_int_equal(expect_notification(t, sw, 0x03, BOOT_AID, &nt, ES5_TR_OK), 0x9000);
	confirm(t, nt.seq, "8000");
	es5_free(t);
}

/* SGP.02 §9: the enabled profile loses connectivity: fall-back (notification 05), even when
 * its POL1 forbids disabling it. */
static void test_fallback(void **state)
{
	struct es5 *t = es5_new();
	struct eum_host_smsr_notification nt;
	uint16_t sw;
	int b;

	(void)state;
	declare(t);
	b = es5_install_profile(t, "000011", PKG_B, EUM_POL1_DISABLE_NOT_ALLOWED);
	enable_flow(t, B_AID, "8000");
	assert_int_equal(eum_card_network_event(t->card, EUM_NET_LOST), EUM_OK);
	assert_int_equal(eum_card_network_event(t->card, EUM_NET_LOST), EUM_OK);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_ENABLED);
	assert_int_equal(eum_card_network_event(t->card, EUM_NET_LOST), EUM_OK);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_DISABLED);
	assert_int_equal(t->card->ps->isdp[0]->lcs, EUM_ISDP_ENABLED);
	assert_true(eum_card_proactive_pending(t->card) > 0);
	expect_refresh(t, (uint16_t)(0x9100 | eum_card_proactive_pending(t->card)));
	sw = es5_boot_and_attach(t);
	assert_int_equal(expect_notification(t, sw, 0x05, BOOT_AID, &nt, ES5_TR_OK), 0x9000);
	confirm(t, nt.seq, "8000");
	/* the fall-back profile losing the network has nowhere to go */
	assert_int_equal(eum_card_network_event(t->card, EUM_NET_LOST), EUM_OK);
	assert_int_equal(eum_card_network_event(t->card, EUM_NET_LOST), EUM_OK);
	assert_int_equal(eum_card_network_event(t->card, EUM_NET_LOST), EUM_OK);
	assert_int_equal(t->card->ps->isdp[0]->lcs, EUM_ISDP_ENABLED);
	assert_int_equal(eum_card_proactive_pending(t->card), 0);
	assert_int_equal(eum_card_network_event(t->card, EUM_NET_NUM), EUM_ERR_INVALID_ARG);
	es5_free(t);
}

/* SGP.02 §9 with the time policy: no connectivity for fallback_timeout_s of the host clock. */
static void test_fallback_by_time(void **state)
{
	struct es5 *t = es5_new();
	struct eum_host_smsr_notification nt;
	uint16_t sw;
	int b;

	(void)state;
	declare(t);
	b = es5_install_profile(t, "000011", PKG_B, 0);
	enable_flow(t, B_AID, "8000");
	t->card->es5->policy.fallback_loss_events = 0;
	t->card->es5->policy.fallback_timeout_s = 60;
	assert_int_equal(es5_location(t, 0x02), 0x9000); /* lost */
	t->now += 59;
	assert_int_equal(es5_hex(t, "80F2000C00", NULL, NULL), 0x9000);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_ENABLED);
	t->now += 1;
	sw = es5_hex(t, "80F2000C00", NULL, NULL);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_DISABLED);
	expect_refresh(t, sw);
	sw = es5_boot_and_attach(t);
	assert_int_equal(expect_notification(t, sw, 0x05, BOOT_AID, &nt, ES5_TR_OK), 0x9000);
	confirm(t, nt.seq, "8000");
	es5_free(t);
}

/* SGP.02 §7.8: a notification is sent again after a failed TERMINAL RESPONSE and after the
 * confirmation timeout, survives a reload, and carries the IMEI once the host gave it; the
 * address comes from UpdateSMSRAddressingParameters. */
static void test_notification_retry_and_persistence(void **state)
{
	static const uint8_t imei[8] = {0x33, 0x55, 0x11, 0x22, 0x33, 0x44, 0x55, 0x06};
	struct es5 *t = es5_new();
	struct eum_host_smsr_notification nt;
	uint8_t cmd[256], apdu[64];
	size_t len, n;
	uint16_t sw, seq;

	(void)state;
	sw = es5_boot_and_attach(t);
	/* the terminal cannot send it: "network currently unable" three times, then a failure */
	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x13);
	sw = es5_terminal_response(t, cmd, 0x21);
	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x13);
	sw = es5_terminal_response(t, cmd, 0x21);
	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x13);
	sw = es5_terminal_response(t, cmd, 0x21);
	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x13);
	sw = es5_terminal_response(t, cmd, 0x35); /* SMS RP-ERROR: the card's next attempt */
	assert_int_equal(expect_notification(t, sw, 0x01, BOOT_AID, &nt, ES5_TR_OK), 0x9000);
	seq = nt.seq;
	assert_int_equal(nt.has_imei, 0);
	/* power loss before the confirmation: the notification is still there */
	es5_reload(t);
	assert_int_equal(eum_card_set_imei(t->card, imei), EUM_OK);
	sw = es5_boot_and_attach(t);
	assert_int_equal(sw, 0x9000); /* waits for its confirmation (time has not run out) */
	/* the SM-SR moves (UpdateSMSRAddressingParameters); a malformed address is refused */
	assert_int_equal(eum_host_smsr_update_address("4915", 0x91, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	assert_int_equal(es5_refused(t, "80E288000B 3A0708 A306 8104 03910201"), 0x6A80);
	/* no confirmation within notify_timeout_s: the third and last attempt, to the new address */
	t->now += 300;
	sw = es5_hex(t, "80F2000C00", NULL, NULL);
	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x13);
	assert_int_equal(eum_host_smsr_parse_notification(&t->sr, cmd, len, &nt), EUM_OK);
	assert_int_equal(nt.type, 0x01);
	assert_int_equal(nt.seq, seq);
	assert_string_equal(nt.da, "4915");
	assert_int_equal(nt.has_imei, 1);
	assert_memory_equal(nt.imei, imei, 8);
	assert_int_equal(es5_terminal_response(t, cmd, ES5_TR_OK), 0x9000);
	/* the attempt budget (3) is spent: given up after the next timeout */
	t->now += 300;
	assert_int_equal(es5_hex(t, "80F2000C00", NULL, NULL), 0x9000);
	assert_int_equal(t->card->ps->isdr.es5.notif[0].type, 0);
	es5_free(t);
}

/* Persistence: the power goes right after the ENVELOPE that accepted a switch (its own commit
 * fails): the reloaded card runs the pending switch; a reload while the new profile waits for
 * its attach carries on with notification 02. */
static void test_reload_in_the_middle_of_a_switch(void **state)
{
	struct es5 *t = es5_new();
	struct eum_host_smsr_notification nt;
	uint8_t cmd[256];
	size_t len;
	uint16_t sw;
	int b;

	(void)state;
	declare(t);
	b = es5_install_profile(t, "000011", PKG_B, 0);
	/* the ENVELOPE stores its SCP80 counter before the script runs, then the accepted STORE DATA
	 * (two stores); the switch's own store fails */
	t->flash.fail_from = t->flash.stores + 2;
	assert_int_equal(enable(t, B_AID), 0x9000);
	assert_int_equal(t->env_sw, 0x9000); /* no REFRESH for a switch that did not happen */
	t->flash.fail_from = 0;
	es5_reload(t);
	assert_int_equal(t->card->ps->isdr.es5.sw_phase, EUM_ES5_SW_PENDING);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_DISABLED);
	/* the first APDU of the new session completes: the switch runs, REFRESH follows */
	sw = es5_terminal_profile(t);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_ENABLED);
	expect_refresh(t, sw);
	/* the terminal resets; the power goes again before the attach */
	assert_int_equal(eum_card_reset(t->card, 0, NULL, 0, NULL), EUM_OK);
	es5_reload(t);
	assert_int_equal(t->card->ps->isdr.es5.sw_phase, EUM_ES5_SW_WAIT_ATTACH);
	sw = es5_boot_and_attach(t);
	assert_int_equal(expect_notification(t, sw, 0x02, B_AID, &nt, ES5_TR_OK), 0x9000);
	confirm(t, nt.seq, "8000");
	/* and nothing is left over */
	assert_int_equal(es5_hex(t, "80F2000C00", NULL, NULL), 0x9000);
	(void)cmd;
	(void)len;
	es5_free(t);
}

/* A storage failure of the switch's own commit: the command stays accepted (PENDING) and the
 * switch runs after the next APDU. */
static void test_switch_commit_failure(void **state)
{
	struct es5 *t = es5_new();
	uint16_t sw;
	int b;

	(void)state;
	declare(t);
	b = es5_install_profile(t, "000011", PKG_B, 0);
	/* the ENVELOPE's two stores (SCP80 counter, then the command) pass, the switch's fails */
	t->flash.fail_from = t->flash.stores + 2;
	assert_int_equal(enable(t, B_AID), 0x9000);
	assert_int_equal(t->env_sw, 0x9000);
	assert_int_equal(t->card->ps->isdr.es5.sw_phase, EUM_ES5_SW_PENDING);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_DISABLED);
	/* still no storage: still pending */
	assert_int_equal(es5_hex(t, "80F2000C00", NULL, NULL), 0x9000);
	assert_int_equal(t->card->ps->isdr.es5.sw_phase, EUM_ES5_SW_PENDING);
	t->flash.fail_from = 0;
	sw = es5_hex(t, "80F2000C00", NULL, NULL);
	assert_int_equal(t->card->ps->isdp[b]->lcs, EUM_ISDP_ENABLED);
	expect_refresh(t, sw);
	es5_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_audit_fresh_card),
	        cmocka_unit_test(test_es5_needs_secure_channel),
	        cmocka_unit_test(test_isdr_scp03_only_when_configured),
	        cmocka_unit_test(test_no_empty_enabled_or_fallback),
	        cmocka_unit_test(test_create_isdp),
	        cmocka_unit_test(test_enable_flow),
	        cmocka_unit_test(test_disable_delete_pol1),
	        cmocka_unit_test(test_pol1_disable_not_allowed_and_fallback_attribute),
	        cmocka_unit_test(test_pol1_delete_when_disabled),
	        cmocka_unit_test(test_master_delete),
	        cmocka_unit_test(test_rollback),
	        cmocka_unit_test(test_fallback),
	        cmocka_unit_test(test_fallback_by_time),
	        cmocka_unit_test(test_notification_retry_and_persistence),
	        cmocka_unit_test(test_reload_in_the_middle_of_a_switch),
	        cmocka_unit_test(test_switch_commit_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
