/*
 * End to end, APDUs only: SGP.02 ES8 EstablishISDPKeySet scenario #3 (digest sgp02-euicc.md §8.1) on an
 * ISD-P created by INSTALL over OTA, with the SM-SR (SCP80, SMS-PP) and the SM-DP (certificate, ECKA-EG)
 * played by libeum-host. Transport: see es8_e2e.h (one SCP80 packet per script, concatenated SMS).
 * Every refusal is checked to leave the state image byte for byte as it was (no key stored, ISD-P still
 * SELECTABLE). The known-answer case checks the card against tests/data/es8/keyest_vectors.txt, computed
 * independently (Python cryptography / hashlib, see tests/data/es8/README.md).
 */
#define _POSIX_C_SOURCE 200809L

#include "es8_e2e.h"

#include "core/card.h"
#include "gp/gp.h"

#define DATE_2026 1767225600ull /* 2026-01-01 */
#define DATE_2046 2398377600ull /* 2046-01-01: after every test certificate */
#define DATE_2024 1704067200ull /* 2024-01-01: before them */

static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
static uint8_t img0[OTA_IMG_MAX], img1[OTA_IMG_MAX];
static struct eum_scp80_counter cntr0[EUM_ISDR_SCP80_KEYSETS];
static size_t img0_len;

/* The state image before a command that must be refused. */
static void snapshot(struct es8 *x)
{
	struct eum_card *c = (struct eum_card *)x->card;

	img0_len = es8_image(x, img0);
	memcpy(cntr0, c->ps->isdr.scp80_cntr, sizeof(cntr0));
}

/* After it: the image is byte for byte the snapshot, except that the SCP80 counter of the packet that
 * carried the command moved (TS 102 225 §5.1.1: it is stored before the script runs): it is compared
 * with the counters of the snapshot put back for the time of the image. */
static void unchanged(struct es8 *x)
{
	struct eum_card *c = (struct eum_card *)x->card;
	struct eum_scp80_counter now[EUM_ISDR_SCP80_KEYSETS];
	size_t n;

	memcpy(now, c->ps->isdr.scp80_cntr, sizeof(now));
	assert_memory_not_equal(now, cntr0, sizeof(now)); /* the packet was accepted */
	memcpy(c->ps->isdr.scp80_cntr, cntr0, sizeof(cntr0));
	n = es8_image(x, img1);
	memcpy(c->ps->isdr.scp80_cntr, now, sizeof(now));
	assert_int_equal(n, img0_len);
	assert_memory_equal(img0, img1, n);
}

static const struct eum_isdp *isdp_of(struct es8 *x)
{
	int slot = eum_isdp_find((const struct eum_card *)x->card, x->isdp_aid, 16);

	assert_true(slot >= 0);
	return ((const struct eum_card *)x->card)->ps->isdp[slot];
}

/* The ISD-P key set KVN 30 holds the keys the SM-DP derived. */
static void check_keys_stored(struct es8 *x)
{
	const struct eum_isdp *p = isdp_of(x);

	assert_int_equal(p->lcs, EUM_ISDP_PERSONALIZED);
	assert_int_equal(p->scp03[0].kvn, 0x30);
	assert_int_equal(p->scp03[0].key_len, 16);
	assert_memory_equal(p->scp03[0].key_enc, x->keys.key[0], 16);
	assert_memory_equal(p->scp03[0].key_mac, x->keys.key[1], 16);
	assert_memory_equal(p->scp03[0].key_dek, x->keys.key[2], 16);
}

/* The keys work: an SCP03t session opens with them (84 then 85 in the same script). */
static void check_keys_work(struct es8 *x)
{
	eum_host_scp03t t;

	es8_scp03t_open(x, &t, 1, 1);
	eum_host_scp03t_free(&t);
}

static void test_keyest_isdp_tar(void **state)
{
	struct es8 x;

	(void)state;
	es8_init(&x, DATE_2026);
	es8_create_isdp(&x, tar20);
	assert_int_equal(isdp_of(&x)->lcs, EUM_ISDP_SELECTABLE);
	es8_establish_keys(&x, 0);
	check_keys_stored(&x);
	check_keys_work(&x);
	es8_free(&x);
}

/* SGP.02 digest §8.1: script 1 to the ISD-P's TAR with INSTALL [for personalization] naming the
 * ISD-P itself, then STORE DATA 3A01; script 2 (3A02) to the ISD-P. Another ISD-P's AID in the INSTALL
 * is not found from this ISD-P (6A88): an ISD-P never personalises another. */
static void test_keyest_isdp_tar_with_install(void **state)
{
	static const uint8_t tar21[3] = {0x00, 0x00, 0x21};
	struct es8 x;
	struct es8_script s;
	uint8_t perso[3 + 16 + 3] = {0x00, 0x00, 0x10};

	(void)state;
	es8_init(&x, DATE_2026);
	es8_create_isdp(&x, tar21);
	es8_create_isdp(&x, tar20);
	es8_establish_keys(&x, ES8_ROUTE_ISDP_INSTALL);
	check_keys_stored(&x);
	check_keys_work(&x);
	/* ISD-P 000020 naming ISD-P 000021 */
	memcpy(perso + 3, x.isdp_aid, 16);
	perso[3 + 14] = 0x21;
	es8_script_begin(&s);
	es8_script_apdu(&s, (const uint8_t *)"\x80\xE6\x20\x00", perso, sizeof(perso), 1);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_int_equal(es8_rsp_sw(&x, 0, NULL, NULL), 0x6A88);
	/* other INSTALL variants are not the ISD-P's to run */
	perso[3 + 14] = 0x20;
	es8_script_begin(&s);
	es8_script_apdu(&s, (const uint8_t *)"\x80\xE6\x0C\x00", perso, sizeof(perso), 1);
	es8_script_end(&s);
	es8_send(&x, x.isdp_tar, &s);
	assert_int_equal(es8_rsp_sw(&x, 0, NULL, NULL), 0x6A86);
	es8_free(&x);
}

static void test_keyest_via_isdr(void **state)
{
	struct es8 x;

	(void)state;
	es8_init(&x, DATE_2026);
	es8_create_isdp(&x, tar20);
	es8_establish_keys(&x, 1);
	check_keys_stored(&x);
	check_keys_work(&x);
	es8_free(&x);
}

/* Step 1 refused with sw: no RC, nothing stored. */
static void step1_refused(struct es8 *x, const uint8_t *cert, size_t len, uint16_t sw)
{
	uint8_t rc[16];

	snapshot(x);
	assert_int_equal(es8_step1(x, cert, len, 0, rc), sw);
	unchanged(x);
	assert_int_equal(isdp_of(x)->lcs, EUM_ISDP_SELECTABLE);
}

static void test_certificate_refusals(void **state)
{
	uint8_t cert[ES8_PKI_MAX];
	size_t n;
	struct es8 x;

	(void)state;
	es8_init(&x, DATE_2026);
	es8_create_isdp(&x, tar20);
	/* an SM-SR certificate (73/C8 = 02), valid and signed by the CI: wrong type */
	n = es8_file("pki/p256/smsr.cert", cert, sizeof(cert));
	step1_refused(&x, cert, n, 0x6A80);
	/* an EUM certificate (C0) */
	n = es8_file("pki/p256/eum.cert", cert, sizeof(cert));
	step1_refused(&x, cert, n, 0x6A80);
	/* the SM-DP's key agreement certificate (usage 0080, not signature verification) */
	n = es8_file("pki/p256/smdp-ecka.cert", cert, sizeof(cert));
	step1_refused(&x, cert, n, 0x6A80);
	/* the SM-DP certificate with one bit of the CI signature flipped */
	memcpy(cert, x.cert, x.cert_len);
	cert[x.cert_len - 1] ^= 0x01;
	step1_refused(&x, cert, x.cert_len, 0x6982);
	/* one bit of the signed part flipped (the subject) */
	memcpy(cert, x.cert, x.cert_len);
	cert[12] ^= 0x20;
	step1_refused(&x, cert, x.cert_len, 0x6982);
	/* the brainpoolP256r1 SM-DP certificate: another curve than the ECASD's */
	n = es8_file("pki/bp256r1/smdp.cert", cert, sizeof(cert));
	step1_refused(&x, cert, n, 0x6A80);
	/* malformed: truncated */
	step1_refused(&x, x.cert, x.cert_len - 10, 0x6A80);
	/* expired (valid until 2045-12-31) and not yet valid (from 2025-01-01) */
	x.clk.now = DATE_2046;
	step1_refused(&x, x.cert, x.cert_len, 0x6985);
	x.clk.now = DATE_2024;
	step1_refused(&x, x.cert, x.cert_len, 0x6985);
	/* and the genuine one still works afterwards */
	x.clk.now = DATE_2026;
	es8_establish_keys(&x, 0);
	check_keys_stored(&x);
	es8_free(&x);
}

/* Step 2 refused with sw (block 01 after an accepted step 1): nothing stored. */
static void step2_refused(struct es8 *x, const uint8_t *d, size_t n, uint16_t sw)
{
	snapshot(x);
	assert_int_equal(es8_step2_raw(x, d, n, 0, es8_sd_89, NULL, NULL), sw);
	unchanged(x);
	assert_int_equal(isdp_of(x)->lcs, EUM_ISDP_SELECTABLE);
	assert_int_equal(isdp_of(x)->scp03[0].key_len, 0);
}

static size_t build_3a02(struct es8 *x, const uint8_t *sk, const uint8_t epk[65], const uint8_t rc[16], uint8_t *d,
                         size_t cap)
{
	size_t n;

	assert_int_equal(eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, sk, &x->crt, epk, 0, rc, 16, es8_rng,
	                                          &x->rng, d, cap, &n),
	                 EUM_OK);
	return n;
}

static void test_key_agreement_refusals(void **state)
{
	uint8_t rc[16], rc_other[16], esk[32], epk[65], bad[65], sk_sr[32], d[400];
	size_t n;
	struct es8 x;

	(void)state;
	es8_init(&x, DATE_2026);
	es8_create_isdp(&x, tar20);
	assert_int_equal(eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &x.rng, esk, epk), EUM_OK);
	assert_int_equal(es8_hexfile("p256", "smsr.sk.hex", sk_sr, 32), 32);

	/* step 2 without step 1 (block 00, last): no RC outstanding */
	memset(rc, 0xA5, sizeof(rc));
	n = build_3a02(&x, x.sk_dp, epk, rc, d, sizeof(d));
	snapshot(&x);
	assert_int_equal(es8_step2_raw(&x, d, n, 0, (const uint8_t *)"\x80\xE2\x89\x00", NULL, NULL), 0x6985);
	unchanged(&x);

	/* ePK off the curve (Y + 1) */
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
	memcpy(bad, epk, 65);
	bad[64] ^= 0x01;
	n = build_3a02(&x, x.sk_dp, bad, rc, d, sizeof(d));
	step2_refused(&x, d, n, 0x6A80);

	/* signed with another key (the SM-SR's) than the certificate's */
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
	n = build_3a02(&x, sk_sr, epk, rc, d, sizeof(d));
	step2_refused(&x, d, n, 0x6982);

	/* a bit of the CRT flipped after signing (KVN 30 -> 31) */
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
	n = build_3a02(&x, x.sk_dp, epk, rc, d, sizeof(d));
	assert_int_equal(d[3 + 20], 0x30); /* 3A02 L A6 15 90 02 03 09 95 01 10 80 01 88 81 01 10 82 01 01 83 01 [30] */
	d[3 + 20] ^= 0x01;
	step2_refused(&x, d, n, 0x6982);

	/* signed over another RC than the card's */
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
	memcpy(rc_other, rc, 16);
	rc_other[0] ^= 0x80;
	n = build_3a02(&x, x.sk_dp, epk, rc_other, d, sizeof(d));
	step2_refused(&x, d, n, 0x6982);

	/* the RC is used once: a refused 3A02 consumes it, the genuine one after it is refused too */
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
	n = build_3a02(&x, sk_sr, epk, rc, d, sizeof(d));
	step2_refused(&x, d, n, 0x6982);
	n = build_3a02(&x, x.sk_dp, epk, rc, d, sizeof(d));
	/* as block 01: the sequence ended with the refusal (6A86); as a new sequence: no RC (6985) */
	snapshot(&x);
	assert_int_equal(es8_step2_raw(&x, d, n, 0, es8_sd_89, NULL, NULL), 0x6A86);
	assert_int_equal(es8_step2_raw(&x, d, n, 0, (const uint8_t *)"\x80\xE2\x89\x00", NULL, NULL), 0x6985);
	unchanged(&x);

	/* a successful step 2 replayed: refused, the key set unchanged */
	es8_establish_keys(&x, 0);
	check_keys_stored(&x);
	{
		uint8_t keep[400];
		size_t kn;
		assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
		kn = build_3a02(&x, x.sk_dp, epk, rc, keep, sizeof(keep));
		assert_int_equal(es8_step2_raw(&x, keep, kn, 0, es8_sd_89, NULL, NULL), 0x9000);
		snapshot(&x);
		assert_int_equal(es8_step2_raw(&x, keep, kn, 0, es8_sd_89, NULL, NULL), 0x6A86);
		assert_int_equal(es8_step2_raw(&x, keep, kn, 0, (const uint8_t *)"\x80\xE2\x89\x00", NULL, NULL),
		                 0x6985);
		unchanged(&x);
	}
	es8_free(&x);
}

/* The RC belongs to the ISD-P of step 1 and to the card session (a reset forgets it). */
static void test_rc_scope(void **state)
{
	uint8_t rc[16], esk[32], epk[65], d[400], aid20[16];
	const uint8_t tar21[3] = {0x00, 0x00, 0x21};
	size_t n;
	struct es8 x;

	(void)state;
	es8_init(&x, DATE_2026);
	es8_create_isdp(&x, tar21);
	es8_create_isdp(&x, tar20);
	memcpy(aid20, x.isdp_aid, 16);
	assert_int_equal(eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &x.rng, esk, epk), EUM_OK);
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
	n = build_3a02(&x, x.sk_dp, epk, rc, d, sizeof(d));
	/* step 2 to another ISD-P: no RC for it */
	memcpy(x.isdp_tar, tar21, 3);
	x.isdp_aid[14] = 0x21;
	snapshot(&x);
	assert_int_equal(es8_step2_raw(&x, d, n, 0, (const uint8_t *)"\x80\xE2\x89\x00", NULL, NULL), 0x6985);
	unchanged(&x);
	assert_int_equal(isdp_of(&x)->scp03[0].key_len, 0);

	/* a reset between the two steps */
	memcpy(x.isdp_tar, tar20, 3);
	memcpy(x.isdp_aid, aid20, 16);
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
	n = build_3a02(&x, x.sk_dp, epk, rc, d, sizeof(d));
	assert_int_equal(eum_card_reset(x.card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(x.card, NULL, 20);
	snapshot(&x);
	assert_int_equal(es8_step2_raw(&x, d, n, 0, (const uint8_t *)"\x80\xE2\x89\x00", NULL, NULL), 0x6985);
	unchanged(&x);
	assert_int_equal(isdp_of(&x)->lcs, EUM_ISDP_SELECTABLE);
	es8_free(&x);
}

/* ---- known-answer vectors (tests/data/es8/keyest_vectors.txt) ------------------------------------ */

/* The card's randomness in this test: every request is answered A0 A1 .. AF A0 .. (RC = DR = A0..AF). */
static int fixed_rng(void *ctx, uint8_t *buf, size_t len)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(0xA0 + (i % 16));
	return 0;
}

struct vec {
	char name[64];
	char val[1024];
};

static size_t read_vectors(struct vec *v, size_t max)
{
	static char txt[16384];
	size_t n = es8_file("es8/keyest_vectors.txt", (uint8_t *)txt, sizeof(txt) - 1), k = 0;
	char *line, *save = NULL;

	txt[n] = 0;
	for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq;
		if (line[0] == '#' || !(eq = strchr(line, '=')))
			continue;
		assert_true(k < max);
		*eq = 0;
		snprintf(v[k].name, sizeof(v[k].name), "%s", line);
		snprintf(v[k].val, sizeof(v[k].val), "%s", eq + 1);
		k++;
	}
	return k;
}

static size_t vec_hex(const struct vec *v, size_t n, const char *case_name, const char *field, uint8_t *out, size_t cap)
{
	char key[64];
	size_t i;

	snprintf(key, sizeof(key), "%s.%s", case_name, field);
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, key))
			return ota_unhex(v[i].val, out, cap);
	fail_msg("vector %s missing", key);
	return 0;
}

static void test_keyest_vectors(void **state)
{
	static struct vec v[64];
	static const char *const cases[] = {"whty", "dr"};
	size_t nv = read_vectors(v, 64), c;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		uint8_t esk[32], epk[65], rc[16], rc_exp[16], d[400], exp[128], crt_exp[64], keys[48], got_crt[64];
		const uint8_t *data;
		size_t n, dlen, elen, clen;
		eum_config cfg;
		struct es8 x;
		const struct eum_isdp *p;

		memset(&x, 0, sizeof(x));
		x.clk.now = DATE_2026;
		x.rng = 1;
		eum_config_init(&cfg);
		cfg.clock = ota_clock_fn;
		cfg.clock_ctx = &x.clk;
		cfg.rng = fixed_rng;
		assert_int_equal(eum_card_new(&x.card, &cfg), EUM_OK);
		assert_int_equal(eum_card_reset(x.card, 1, NULL, 0, NULL), EUM_OK);
		ota_terminal_profile(x.card, NULL, 20);
		x.cert_len = es8_file("pki/p256/smdp.cert", x.cert, sizeof(x.cert));
		assert_int_equal(es8_hexfile("p256", "smdp.sk.hex", x.sk_dp, 32), 32);
		assert_int_equal(es8_hexfile("p256", "ecasd.pk.hex", x.pk_ecasd, 65), 65);
		eum_host_smdp_crt_default(&x.crt);
		if (c == 1)
			x.crt.params = 0x0B; /* DR generated by the card and included */
		es8_create_isdp(&x, tar20);

		assert_int_equal(vec_hex(v, nv, cases[c], "esk", esk, 32), 32);
		assert_int_equal(vec_hex(v, nv, cases[c], "epk", epk, 65), 65);
		assert_int_equal(vec_hex(v, nv, cases[c], "rc", rc_exp, 16), 16);
		assert_int_equal(es8_step1(&x, x.cert, x.cert_len, 0, rc), 0x9000);
		assert_memory_equal(rc, rc_exp, 16);
		n = build_3a02(&x, x.sk_dp, epk, rc, d, sizeof(d));
		/* the CRT sent is the vector's */
		clen = vec_hex(v, nv, cases[c], "crt", crt_exp, sizeof(crt_exp));
		assert_true(n > 3 + clen);
		memcpy(got_crt, d + 3, clen);
		assert_memory_equal(got_crt, crt_exp, clen);
		assert_int_equal(es8_step2_raw(&x, d, n, 0, es8_sd_89, &data, &dlen), 0x9000);
		/* the card's answer: [85 10 DR] 86 10 receipt, byte for byte */
		elen = vec_hex(v, nv, cases[c], "response", exp, sizeof(exp));
		assert_int_equal(dlen, elen);
		assert_memory_equal(data, exp, elen);
		/* the stored key set: ENC, MAC, DEK = KeyData[16..63] */
		assert_int_equal(vec_hex(v, nv, cases[c], "keys", keys, sizeof(keys)), 48);
		p = isdp_of(&x);
		assert_int_equal(p->lcs, EUM_ISDP_PERSONALIZED);
		assert_int_equal(p->scp03[0].kvn, 0x30);
		assert_memory_equal(p->scp03[0].key_enc, keys, 16);
		assert_memory_equal(p->scp03[0].key_mac, keys + 16, 16);
		assert_memory_equal(p->scp03[0].key_dek, keys + 32, 16);
		/* and the host side agrees */
		assert_int_equal(eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, x.pk_ecasd, &x.crt, NULL, 0,
		                                      EUM_HOST_SMDP_RECEIPT_CMAC, es8_rng, &x.rng, data, dlen, &x.keys),
		                 EUM_OK);
		assert_memory_equal(x.keys.key[0], keys, 16);
		es8_free(&x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_keyest_isdp_tar),
	        cmocka_unit_test(test_keyest_via_isdr),
	        cmocka_unit_test(test_keyest_isdp_tar_with_install),
	        cmocka_unit_test(test_certificate_refusals),
	        cmocka_unit_test(test_key_agreement_refusals),
	        cmocka_unit_test(test_rc_scope),
	        cmocka_unit_test(test_keyest_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
