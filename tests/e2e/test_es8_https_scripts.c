/*
 * libeum-host's SM-DP helpers for ES8 over HTTPS (src/host/smdp_https.c) against a real card: the scripts they
 * build (EstablishISDPKeySet steps 1 and 2, SCP03t 84+85, download scripts of several 86 segments) are the
 * bodies an HTTPS 200 carries to the ISD-P; here they travel the SMS path (es8_e2e.h, one SCP80 packet to the
 * ISD-P's TAR) because the card runs every script with the same engine whatever the transport, and the card's
 * AF answers are read with eum_host_af_get() / eum_host_smdp_https_check_segments(). Byte-for-byte equality
 * with the scripts of tests/e2e/es8_e2e.h, a whole TS.48 download, a damaged segment (9F46), and the AF reader
 * on hand-made answers (2-byte tags, definite forms, malformed).
 */
#define _POSIX_C_SOURCE 200809L

#include "es8_e2e.h"

#include "core/card.h"
#include "gp/gp.h"

#define DATE_2026 1767225600ull

static uint8_t der[32768];

static void send_script(struct es8 *x, const uint8_t *b, size_t n)
{
	static struct es8_script s;

	assert_true(n <= ES8_SCRIPT_MAX);
	memcpy(s.b, b, n);
	s.n = n;
	es8_send(x, x->isdp_tar, &s);
}

/* Keys over the helpers' scripts; each script equals es8_e2e.h's (route ES8_ROUTE_ISDP). */
static void establish(struct es8 *x)
{
	static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
	struct es8_script ref;
	eum_host_af_item it;
	uint8_t script[1024], d[400], rc[16], esk[32], epk[65];
	size_t n, dn, rl;

	es8_init(x, DATE_2026);
	es8_create_isdp(x, tar20);
	assert_int_equal(eum_host_smdp_https_keyest1(x->cert, x->cert_len, script, sizeof(script), &n), EUM_OK);
	assert_int_equal(eum_host_smdp_build_3a01(x->cert, x->cert_len, d, sizeof(d), &dn), EUM_OK);
	es8_script_begin(&ref);
	es8_script_apdu(&ref, es8_sd_09, d, dn, 1);
	es8_script_end(&ref);
	assert_int_equal(n, ref.n);
	assert_memory_equal(script, ref.b, n);
	send_script(x, script, n);
	assert_int_equal(eum_host_af_get(x->rsp, x->rsp_len, 0, &it), EUM_OK);
	assert_int_equal(it.tag, 0x23);
	assert_int_equal(it.sw, 0x9000);
	assert_int_equal(eum_host_smdp_parse_rc(it.val, it.val_len - 2, rc, sizeof(rc), &rl), EUM_OK);
	assert_int_equal(rl, 16);

	assert_int_equal(eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &x->rng, esk, epk), EUM_OK);
	assert_int_equal(eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, x->sk_dp, &x->crt, epk, 0, rc, 16, es8_rng,
	                                          &x->rng, d, sizeof(d), &dn),
	                 EUM_OK);
	assert_int_equal(eum_host_smdp_https_keyest2(d, dn, script, sizeof(script), &n), EUM_OK);
	es8_script_begin(&ref);
	es8_script_apdu(&ref, es8_sd_89, d, dn, 1);
	es8_script_end(&ref);
	assert_int_equal(n, ref.n);
	assert_memory_equal(script, ref.b, n);
	send_script(x, script, n);
	assert_int_equal(eum_host_af_get(x->rsp, x->rsp_len, 0, &it), EUM_OK);
	assert_int_equal(it.sw, 0x9000);
	assert_int_equal(eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, x->pk_ecasd, &x->crt, NULL, 0,
	                                      EUM_HOST_SMDP_RECEIPT_CMAC, es8_rng, &x->rng, it.val, it.val_len - 2,
	                                      &x->keys),
	                 EUM_OK);
	memset(esk, 0, sizeof(esk));
}

/* SCP03t opened with 84 and 85 in one script; both answers read from the AF. */
static void open_scp03t(struct es8 *x, eum_host_scp03t *t)
{
	static const uint8_t hc[8] = {0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8};
	eum_host_af_item it;
	uint8_t script[128];
	size_t n, cnt;

	assert_int_equal(eum_host_scp03t_init(t, x->crt.kvn, 0x00, x->keys.key[0], x->keys.key[1], 16), EUM_OK);
	assert_int_equal(eum_host_smdp_https_scp03t_open(t, hc, x->isdp_aid, 16, 1, script, sizeof(script), &n),
	                 EUM_OK);
	assert_memory_equal(script, "\xAE\x80\x84\x0A", 4);
	assert_int_equal(script[14], 0x85);
	assert_memory_equal(script + n - 2, "\x00\x00", 2);
	send_script(x, script, n);
	assert_int_equal(eum_host_af_count(x->rsp, x->rsp_len, &cnt), EUM_OK);
	assert_int_equal(cnt, 2);
	assert_int_equal(eum_host_af_get(x->rsp, x->rsp_len, 0, &it), EUM_OK);
	assert_int_equal(it.tag, 0x84);
	assert_int_equal(eum_host_scp03t_check_84(t, it.tlv, it.tlv_len, x->isdp_aid, 16), EUM_OK);
	assert_int_equal(eum_host_af_get(x->rsp, x->rsp_len, 1, &it), EUM_OK);
	assert_int_equal(it.tag, 0x85);
	assert_int_equal(it.val_len, 0);
	assert_int_equal(eum_host_af_scp03t_error(x->rsp, x->rsp_len), 0);
}

static size_t load_der(void)
{
	return es8_file("ts48/TS48V1-A-UNIQUE.der", der, sizeof(der));
}

/* A TS.48 profile in scripts of three 300-byte segments (what one SMS packet holds; over HTTPS 1-2 KB each). */
static void test_download(void **state)
{
	static eum_host_scp03t after[3];
	static uint8_t script[1024], resp[512];
	eum_host_euicc_response er;
	eum_host_scp03t t;
	struct es8 x;
	size_t len = load_der(), off = 0, n, k, scripts = 0, rlen = 0, segs = 0;
	int final = 0, slot;

	(void)state;
	establish(&x);
	open_scp03t(&x, &t);
	while (off < len && !final) {
		assert_int_equal(
		        eum_host_smdp_https_segments(&t, der, len, 300, 3, &off, after, script, ES8_SCRIPT_MAX, &n, &k),
		        EUM_OK);
		assert_true(k >= 1 && k <= 3);
		assert_true(n <= ES8_SCRIPT_MAX);
		assert_memory_equal(script, "\xAE\x80\x86", 3);
		segs += k;
		send_script(&x, script, n);
		scripts++;
		assert_int_equal(eum_host_smdp_https_check_segments(after, k, x.rsp, x.rsp_len, resp, sizeof(resp),
		                                                    &rlen, &final),
		                 EUM_OK);
	}
	assert_true(final);
	assert_int_equal(segs, (len + 299) / 300);
	assert_int_equal(scripts, (segs + 2) / 3);
	assert_int_equal(eum_host_euicc_response_decode(resp, rlen, &er), EUM_OK);
	assert_true(eum_host_euicc_response_ok(&er));
	slot = eum_isdp_find((struct eum_card *)x.card, x.isdp_aid, 16);
	assert_true(slot >= 0);
	assert_int_equal(((struct eum_card *)x.card)->ps->isdp[slot]->has_profile, 1);
	eum_host_scp03t_free(&t);
	for (k = 0; k < 3; k++)
		eum_host_scp03t_free(&after[k]);
	es8_free(&x);
}

/* A segment whose C-MAC was damaged: 9F46 01 02, the checker says EUM_ERR_STATE with the code. */
static void test_damaged_segment(void **state)
{
	static uint8_t script[1024], resp[64];
	eum_host_scp03t t, after[1];
	struct es8 x;
	size_t len = load_der(), off = 0, n, k, rlen;
	int final;

	(void)state;
	establish(&x);
	open_scp03t(&x, &t);
	assert_int_equal(
	        eum_host_smdp_https_segments(&t, der, len, 200, 1, &off, after, script, ES8_SCRIPT_MAX, &n, &k),
	        EUM_OK);
	assert_int_equal(k, 1);
	script[n - 3] ^= 0x01; /* last C-MAC byte, before 00 00 */
	send_script(&x, script, n);
	assert_int_equal(eum_host_af_scp03t_error(x.rsp, x.rsp_len), 0x4602);
	assert_int_equal(
	        eum_host_smdp_https_check_segments(after, 1, x.rsp, x.rsp_len, resp, sizeof(resp), &rlen, &final),
	        EUM_ERR_STATE);
	assert_int_equal(after[0].last_error, 0x4602);
	assert_false(final);
	eum_host_scp03t_free(&t);
	eum_host_scp03t_free(&after[0]);
	es8_free(&x);
}

/* The AF reader on hand-made answers, and the script writer's limits. */
static void test_af_reader_and_writer(void **state)
{
	static const uint8_t af[] = {0xAF,
	                             0x80,
	                             0x80,
	                             0x01,
	                             0x02,
	                             0x23,
	                             0x04,
	                             0x85,
	                             0x00,
	                             0x90,
	                             0x00,
	                             0x9F,
	                             0x46,
	                             0x01,
	                             0x03,
	                             0x86,
	                             0x81,
	                             0x80,
	                             [18 + 128] = 0x00,
	                             0x00};
	static const uint8_t ab[] = {0xAB, 0x05, 0x23, 0x03, 0x01, 0x6A, 0x88};
	static const uint8_t bad[][8] = {
	        {0xAF, 0x80, 0x23, 0x01, 0x90, 0x00, 0x00}, /* 23 shorter than an SW */
	        {0xAF, 0x80, 0x23, 0x05, 0x90, 0x00, 0x00}, /* length past the end */
	        {0xAE, 0x80, 0x00, 0x00, 0, 0, 0},          /* a command script */
	};
	eum_host_af_item it;
	eum_host_xscript x;
	uint8_t buf[16], apdu[300];
	size_t n, i;

	(void)state;
	assert_int_equal(eum_host_af_count(af, sizeof(af), &n), EUM_OK);
	assert_int_equal(n, 4);
	assert_int_equal(eum_host_af_get(af, sizeof(af), 0, &it), EUM_OK);
	assert_int_equal(it.tag, 0x80);
	assert_int_equal(eum_host_af_get(af, sizeof(af), 1, &it), EUM_OK);
	assert_int_equal(it.tag, 0x23);
	assert_int_equal(it.sw, 0x9000);
	assert_int_equal(it.val_len, 4);
	assert_int_equal(eum_host_af_get(af, sizeof(af), 2, &it), EUM_OK);
	assert_int_equal(it.tag, 0x9F46);
	assert_int_equal(it.tlv_len, 4);
	assert_int_equal(eum_host_af_get(af, sizeof(af), 3, &it), EUM_OK);
	assert_int_equal(it.tag, 0x86);
	assert_int_equal(it.val_len, 128);
	assert_int_equal(it.tlv_len, 131);
	assert_int_equal(eum_host_af_get(af, sizeof(af), 4, &it), EUM_ERR_NOT_FOUND);
	assert_int_equal(eum_host_af_scp03t_error(af, sizeof(af)), 0x4603);
	assert_int_equal(eum_host_af_get(ab, sizeof(ab), 0, &it), EUM_OK);
	assert_int_equal(it.sw, 0x6A88);
	assert_int_equal(it.val_len, 3);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(eum_host_af_count(bad[i], 7, &n), EUM_ERR_PARSE);

	/* writer: BER lengths, sticky overflow */
	memset(apdu, 0xEE, sizeof(apdu));
	eum_host_xscript_begin(&x, apdu, sizeof(apdu));
	assert_int_equal(eum_host_xscript_apdu(&x, apdu + 150, 130), EUM_OK);
	assert_int_equal(eum_host_xscript_end(&x, &n), EUM_OK);
	assert_int_equal(n, 2 + 3 + 130 + 2);
	assert_memory_equal(apdu, "\xAE\x80\x22\x81\x82", 5);
	eum_host_xscript_begin(&x, buf, 12);
	assert_int_equal(eum_host_xscript_apdu(&x, (const uint8_t *)"\x80\xCA\x00\x85\x00", 5), EUM_OK);
	assert_int_equal(eum_host_xscript_apdu(&x, (const uint8_t *)"\x80\xCA\x00\x85\x00", 5),
	                 EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_host_xscript_end(&x, &n), EUM_ERR_BUFFER_TOO_SMALL);
	eum_host_xscript_begin(&x, buf, 11);
	assert_int_equal(eum_host_xscript_apdu(&x, (const uint8_t *)"\x80\xCA\x00\x85\x00", 5), EUM_OK);
	assert_int_equal(eum_host_xscript_end(&x, &n), EUM_OK);
	assert_int_equal(n, 11);
	assert_memory_equal(buf, "\xAE\x80\x22\x05\x80\xCA\x00\x85\x00\x00\x00", 11); /* digest §4.3 3311 trace */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_download),
	        cmocka_unit_test(test_damaged_segment),
	        cmocka_unit_test(test_af_reader_and_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
