/*
 * End to end, APDUs only: SGP.02 ES8 profile download (digest sgp02-euicc.md §8.2) — CreateISDP by INSTALL
 * over OTA, EstablishISDPKeySet, SCP03t (84 / 85 / 86 TLVs in remote scripts) carrying a TS.48 Profile
 * Package cut into segments of 1, 100, 255 and 975 bytes (the largest one SCP80 packet of 8 concatenated
 * SMS can carry; 1000+ byte segments are tested in tests/unit/test_scp03t.c), then the modem's view of
 * the installed profile (ICCID, IMSI). Transport: es8_e2e.h. The switch to the new profile uses the
 * life-cycle table directly (eum_isdp_transition + eum_card_sync_enabled) — ES5 EnableProfile is
 * tested by its own suite.
 */
#define _POSIX_C_SOURCE 200809L

#include "es8_e2e.h"

#include "core/card.h"
#include "gp/gp.h"
#include "sgp02/es8.h"
#include "sgp02/scp03t.h"

#define DATE_2026 1767225600ull

static const char *const profiles[] = {
        "TS48V1-A-UNIQUE",
        "TS48V2-SAIP2-3-NOBERTLV-UNIQUE",
        "TS48V4-SAIP2-1B-NOBERTLV-UNIQUE",
};

static uint8_t der[32768];
static char json[100000];

static size_t load_der(const char *name)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "ts48/%s.der", name);
	return es8_file(rel, der, sizeof(der));
}

static void load_json(const char *name)
{
	char rel[128];
	size_t n;

	snprintf(rel, sizeof(rel), "ts48/%s.json", name);
	n = es8_file(rel, (uint8_t *)json, sizeof(json) - 1);
	json[n] = 0;
}

/* The string value of the first "key": "..." at or after `from` in the summary. */
static void json_str(const char *from, const char *key, char *out, size_t cap)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = strstr(from, pat);
	assert_non_null(p);
	p += strlen(pat);
	e = strchr(p, '"');
	assert_non_null(e);
	assert_true((size_t)(e - p) < cap);
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = 0;
}

static struct eum_card *C(struct es8 *x)
{
	return (struct eum_card *)x->card;
}

static int slot_of(struct es8 *x)
{
	int slot = eum_isdp_find(C(x), x->isdp_aid, 16);

	assert_true(slot >= 0);
	return slot;
}

/* A fresh card with ISD-P 000020 holding keys (established over route, es8_e2e.h), and an open SCP03t
 * session. */
static void ready_via(struct es8 *x, eum_host_scp03t *t, int together, int route)
{
	static const uint8_t tar20[3] = {0x00, 0x00, 0x20};

	es8_init(x, DATE_2026);
	es8_create_isdp(x, tar20);
	es8_establish_keys(x, route);
	es8_scp03t_open(x, t, together, 1);
}

static void ready(struct es8 *x, eum_host_scp03t *t, int together)
{
	ready_via(x, t, together, ES8_ROUTE_ISDP);
}

/* The modem: SELECT (T=0, fetching the FCP), READ BINARY. */
static void read_ef(struct es8 *x, const char *select_hex, size_t len, uint8_t *out)
{
	uint8_t c[64], r[300];
	size_t n = ota_unhex(select_hex, c, sizeof(c)), rl;

	assert_int_equal(ota_xmit_get(x->card, c, n, r, &rl), 0x9000);
	c[0] = 0x00;
	c[1] = 0xB0;
	c[2] = c[3] = 0x00;
	c[4] = (uint8_t)len;
	assert_int_equal(ota_xmit(x->card, c, 5, out, &rl), 0x9000);
	assert_int_equal(rl, len);
}

/* Enable the downloaded profile (life-cycle table), reset, and read ICCID and IMSI as a modem does. */
static void enable_and_check(struct es8 *x, const char *name)
{
	char want[64], aid[40], pin[20], hex[128];
	uint8_t got[16], exp[16], c[32], fcp[300];
	int slot = slot_of(x), i;
	size_t n;

	for (i = 0; i < EUM_MAX_ISDP; i++)
		if (C(x)->ps->isdp[i]->in_use && C(x)->ps->isdp[i]->lcs == EUM_ISDP_ENABLED)
			assert_int_equal(eum_isdp_transition(C(x), i, EUM_ISDP_EV_DISABLE), EUM_OK);
	assert_int_equal(eum_isdp_transition(C(x), slot, EUM_ISDP_EV_ENABLE), EUM_OK);
	eum_card_sync_enabled(C(x));
	assert_int_equal(eum_card_reset(x->card, 1, NULL, 0, NULL), EUM_OK);

	load_json(name);
	/* EF.ICCID under the MF */
	json_str(json, "ef_iccid_content", want, sizeof(want));
	n = ota_unhex(want, exp, sizeof(exp));
	read_ef(x, "00A4000402 2FE2", n, got);
	assert_memory_equal(got, exp, n);
	/* PIN1, then EF.IMSI of the USIM */
	json_str(strstr(json, "\"key_reference\": \"01\""), "pin_value", pin, sizeof(pin));
	snprintf(hex, sizeof(hex), "0020000108%s", pin);
	n = ota_unhex(hex, c, sizeof(c));
	assert_int_equal(ota_xmit(x->card, c, n, NULL, NULL), 0x9000);
	json_str(strstr(json, "\"adf_aid\": \"a0000000871002"), "adf_aid", aid, sizeof(aid));
	snprintf(hex, sizeof(hex), "00A40404%02X%s", (unsigned)(strlen(aid) / 2), aid);
	n = ota_unhex(hex, c, sizeof(c));
	assert_int_equal(ota_xmit_get(x->card, c, n, fcp, &n), 0x9000);
	json_str(json, "ef_imsi_content", want, sizeof(want));
	n = ota_unhex(want, exp, sizeof(exp));
	read_ef(x, "00A4000402 6F07", n, got);
	assert_memory_equal(got, exp, n);
}

/* After a successful download: ISD-P DISABLED with its profile, POL1 from the header, keys kept. */
static void check_installed(struct es8 *x, const eum_host_euicc_response *resp)
{
	const struct eum_isdp *p = C(x)->ps->isdp[slot_of(x)];

	assert_false(resp->aborted);
	assert_true(resp->n_st >= 1);
	assert_true(eum_host_euicc_response_ok(resp));
	assert_int_equal(p->lcs, EUM_ISDP_DISABLED);
	assert_int_equal(p->has_profile, 1);
	assert_int_equal(p->scp03[0].kvn, 0x30);
	assert_true(p->prof.fs.n > 0);
}

/* The whole download, keys established over route (es8_e2e.h), then the profile enabled and read. */
static void run_segments(size_t seg, int together, int route)
{
	eum_host_euicc_response resp;
	eum_host_scp03t t;
	struct es8 x;
	size_t len = load_der(profiles[0]), scripts;

	ready_via(&x, &t, together, route);
	scripts = es8_download(&x, &t, der, len, seg, &resp);
	/* every segment went: each 86 TLV is at least header + one padded block + C-MAC */
	assert_true(scripts * ES8_SCRIPT_MAX >= ((len + seg - 1) / seg) * (2 + (seg / 16 + 1) * 16 + 8));
	check_installed(&x, &resp);
	enable_and_check(&x, profiles[0]);
	eum_host_scp03t_free(&t);
	es8_free(&x);
}

static void test_segments_1(void **state)
{
	(void)state;
	run_segments(1, 1, ES8_ROUTE_ISDP);
}

static void test_segments_100(void **state)
{
	(void)state;
	run_segments(100, 0, ES8_ROUTE_ISDP_INSTALL); /* script 1 to the ISD-P with INSTALL */
}

static void test_segments_255(void **state)
{
	(void)state;
	run_segments(255, 1, ES8_ROUTE_ISDR); /* through the ISD-R */
}

static void test_segments_975(void **state)
{
	(void)state;
	run_segments(975, 0, ES8_ROUTE_ISDP);
}

/* Every TS.48 package of tests/data/ts48, each into a new ISD-P, then read through APDUs. */
static void test_all_ts48(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		eum_host_euicc_response resp;
		eum_host_scp03t t;
		struct es8 x;
		size_t len = load_der(profiles[i]);

		ready(&x, &t, 1);
		es8_download(&x, &t, der, len, 500 + 111 * i, &resp);
		check_installed(&x, &resp);
		/* the profile's POL1 (header pol) is the ISD-P's */
		enable_and_check(&x, profiles[i]);
		eum_host_scp03t_free(&t);
		es8_free(&x);
	}
}

/* A package the installer refuses: the EUICCResponse says aborted, nothing of it stays, keys are kept. */
static void test_refused_package(void **state)
{
	eum_host_euicc_response resp;
	eum_host_scp03t t;
	struct es8 x;
	size_t len = load_der(profiles[0]), i;
	const struct eum_isdp *p;
	int bad = 0;

	(void)state;
	/* the header's major version (tag 80 inside A0) made 9: unsupported-profile-version */
	for (i = 0; i + 3 < 16 && !bad; i++)
		if (der[i] == 0x80 && der[i + 1] == 0x01) {
			der[i + 2] = 0x09;
			bad = 1;
		}
	assert_true(bad);
	ready(&x, &t, 1);
	es8_download(&x, &t, der, len, 400, &resp);
	assert_true(resp.aborted);
	assert_false(eum_host_euicc_response_ok(&resp));
	for (i = 0, bad = 0; i < resp.n_st; i++)
		bad |= resp.st[i].status == 31;
	assert_true(bad);
	p = C(&x)->ps->isdp[slot_of(&x)];
	assert_int_equal(p->lcs, EUM_ISDP_PERSONALIZED);
	assert_int_equal(p->has_profile, 0);
	assert_int_equal(p->scp03[0].kvn, 0x30);
	assert_null(C(&x)->es8->dl->inst); /* the installer is released with the answer */
	eum_host_scp03t_free(&t);
	es8_free(&x);
}

/* One 86 with a wrong C-MAC: 9F46 01 02, session over, no profile; a new session then installs it. */
static void test_mac_error_then_retry(void **state)
{
	static uint8_t tlv[1100];
	eum_host_euicc_response resp;
	eum_host_scp03t t;
	struct es8 x;
	struct es8_script s;
	size_t len = load_der(profiles[0]), off = 0, n;
	uint16_t tag = 0;
	const uint8_t *raw = NULL, *v = NULL;
	size_t rl = 0, vl = 0;

	(void)state;
	ready(&x, &t, 1);
	/* two good segments */
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_next_segment(&t, der, len, 300, &off, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	assert_int_equal(eum_host_scp03t_next_segment(&t, der, len, 300, &off, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_int_equal(es8_rsp_count(&x), 2);
	/* a third with its MAC broken, and a fourth in the same script: one 9F46 answer, then nothing */
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_next_segment(&t, der, len, 300, &off, tlv, sizeof(tlv), &n), EUM_OK);
	tlv[n - 1] ^= 0x01;
	es8_script_raw(&s, tlv, n);
	assert_int_equal(eum_host_scp03t_next_segment(&t, der, len, 300, &off, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_int_equal(es8_rsp_count(&x), 1);
	assert_true(es8_rsp_tlv(&x, 0, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(tag, 0x9F46);
	assert_int_equal(vl, 1);
	assert_int_equal(v[0], 0x02);
	assert_null(C(&x)->es8->dl);
	assert_int_equal(C(&x)->ps->isdp[slot_of(&x)]->has_profile, 0);
	assert_int_equal(C(&x)->ps->isdp[slot_of(&x)]->lcs, EUM_ISDP_PERSONALIZED);
	/* a later 86 without a session */
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_next_segment(&t, der, len, 300, &off, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_true(es8_rsp_tlv(&x, 0, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(tag, 0x9F46);
	/* the keys were kept: a new session (sequence counter 2) downloads the whole package */
	eum_host_scp03t_free(&t);
	es8_scp03t_open(&x, &t, 0, 2);
	es8_download(&x, &t, der, len, 900, &resp);
	check_installed(&x, &resp);
	eum_host_scp03t_free(&t);
	es8_free(&x);
}

/* A power cut in the middle of a download: no profile, the keys stay, the download starts again. */
static void test_power_cut(void **state)
{
	static uint8_t tlv[1100];
	eum_host_euicc_response resp;
	eum_host_scp03t t;
	struct es8 x;
	struct es8_script s;
	size_t len = load_der(profiles[1]), off = 0, n, i;
	uint16_t tag = 0;
	const uint8_t *raw = NULL, *v = NULL;
	size_t rl = 0, vl = 0;

	(void)state;
	ready(&x, &t, 0);
	for (i = 0; i < 6; i++) {
		es8_script_begin(&s);
		assert_int_equal(eum_host_scp03t_next_segment(&t, der, len, 900, &off, tlv, sizeof(tlv), &n), EUM_OK);
		es8_script_raw(&s, tlv, n);
		es8_script_end(&s);
		es8_send(&x, x.isdp_tar, &s);
		assert_true(es8_rsp_tlv(&x, 0, &tag, &raw, &rl, &v, &vl));
		assert_int_equal(tag, 0x86);
		assert_int_equal(vl, 0);
	}
	assert_non_null(C(&x)->es8->dl);
	eum_card_power_off(x.card);
	assert_null(C(&x)->es8->dl);
	assert_int_equal(eum_card_reset(x.card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(x.card, NULL, 20);
	assert_int_equal(C(&x)->ps->isdp[slot_of(&x)]->has_profile, 0);
	/* the SM-DP carries on: no session any more */
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_next_segment(&t, der, len, 900, &off, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_true(es8_rsp_tlv(&x, 0, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(tag, 0x9F46);
	assert_int_equal(v[0], 0x02);
	eum_host_scp03t_free(&t);
	es8_scp03t_open(&x, &t, 1, 2);
	es8_download(&x, &t, der, len, 900, &resp);
	check_installed(&x, &resp);
	enable_and_check(&x, profiles[1]);
	eum_host_scp03t_free(&t);
	es8_free(&x);
}

/* An ISD-P that already holds a profile takes no second one: EUICCResponse 6985, aborted. */
static void test_second_download_refused(void **state)
{
	eum_host_euicc_response resp;
	eum_host_scp03t t;
	struct es8 x;
	size_t len = load_der(profiles[2]), n0, n1;
	static uint8_t a[OTA_IMG_MAX], b[OTA_IMG_MAX];

	(void)state;
	ready(&x, &t, 1);
	es8_download(&x, &t, der, len, 975, &resp);
	check_installed(&x, &resp);
	eum_host_scp03t_free(&t);
	es8_scp03t_open(&x, &t, 1, 2);
	n0 = es8_image(&x, a);
	es8_download(&x, &t, der, len, 975, &resp);
	assert_true(resp.aborted);
	assert_int_equal(resp.n_st, 1);
	assert_int_equal(resp.st[0].status, 0x6985);
	/* nothing but counters moved: the ISD-P record and its profile are as they were */
	n1 = es8_image(&x, b);
	assert_int_equal(n0, n1);
	assert_int_equal(C(&x)->ps->isdp[slot_of(&x)]->lcs, EUM_ISDP_DISABLED);
	eum_host_scp03t_free(&t);
	es8_free(&x);
}

/* SCP03t session errors: 9F44 for an unknown key set, 9F45 for a wrong host cryptogram / C-MAC. */
static void test_session_errors(void **state)
{
	static const uint8_t hc[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	eum_host_scp03t t;
	struct es8 x;
	struct es8_script s;
	uint8_t tlv[40], k2[16];
	size_t n;
	uint16_t tag = 0;
	const uint8_t *raw = NULL, *v = NULL;
	size_t rl = 0, vl = 0;

	(void)state;
	ready(&x, &t, 1);
	eum_host_scp03t_free(&t);
	/* KVN 31: no such key set */
	assert_int_equal(eum_host_scp03t_init(&t, 0x31, 0, x.keys.key[0], x.keys.key[1], 16), EUM_OK);
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_build_84(&t, hc, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_true(es8_rsp_tlv(&x, 0, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(eum_host_scp03t_check_84(&t, raw, rl, NULL, 0), EUM_ERR_STATE);
	assert_int_equal(t.last_error, 0x4403);
	/* 84 of a wrong length */
	es8_script_begin(&s);
	es8_script_tlv(&s, 0x84, hc, 8);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_true(es8_rsp_tlv(&x, 0, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(tag, 0x9F44);
	assert_int_equal(v[0], 0x01);
	/* wrong MAC key: the host cryptogram is wrong (9F45 01 02); the 86 after it in the script: no answer */
	memcpy(k2, x.keys.key[1], 16);
	k2[0] ^= 1;
	eum_host_scp03t_free(&t);
	assert_int_equal(eum_host_scp03t_init(&t, 0x30, 0, x.keys.key[0], k2, 16), EUM_OK);
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_build_84(&t, hc, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	assert_int_equal(eum_host_scp03t_predict(&t, 3, x.isdp_aid, 16), EUM_OK);
	assert_int_equal(eum_host_scp03t_build_85(&t, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	assert_int_equal(eum_host_scp03t_build_86(&t, (const uint8_t *)"\xA0", 1, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_int_equal(es8_rsp_count(&x), 2);
	assert_true(es8_rsp_tlv(&x, 0, &tag, &raw, &rl, &v, &vl));
	/* the 84 answer was computed with the true MAC key: its card cryptogram does not match ours */
	assert_int_equal(eum_host_scp03t_check_84(&t, raw, rl, x.isdp_aid, 16), EUM_ERR_CRYPTO);
	assert_true(es8_rsp_tlv(&x, 1, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(tag, 0x9F45);
	assert_int_equal(v[0], 0x02);
	assert_null(C(&x)->es8->dl);
	eum_host_scp03t_free(&t);
	es8_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_segments_1),
	        cmocka_unit_test(test_segments_100),
	        cmocka_unit_test(test_segments_255),
	        cmocka_unit_test(test_segments_975),
	        cmocka_unit_test(test_all_ts48),
	        cmocka_unit_test(test_refused_package),
	        cmocka_unit_test(test_mac_error_then_retry),
	        cmocka_unit_test(test_power_cut),
	        cmocka_unit_test(test_second_download_refused),
	        cmocka_unit_test(test_session_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
