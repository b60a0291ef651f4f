/*
 * Configuration items of issue 16 through APDUs (eum_config; the file syntax is test_config.c's):
 * the CI key identifier a certificate's 73/C9 must name, the ES8 receipt variant, the bootstrap ISD-P
 * AID, different algorithms for the KIc and the KID of an ISD-R SCP80 key set, its KIK. The SMS-PP reassembly
 * bound is test_ota_replay.c's.
 */
#include "es8_e2e.h"

static const uint8_t tar20[3] = {0x00, 0x00, 0x20};

/* The CI key identifier: by default SHA-1 of PK.CI (what the test PKI writes in C9), so the test
 * SM-DP certificate passes; configured to another key's identifier, the same certificate is refused
 * (6982) and no RC is given. */
static void test_ci_key_id(void **state)
{
	static const uint8_t other[20] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA,
	                                  0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x12, 0x34, 0x56, 0x78};
	struct es8 x;
	eum_config cfg;
	uint8_t rc[16];

	(void)state;
	eum_config_init(&cfg);
	es8_init_cfg(&x, 1767225600ull, &cfg);
	es8_create_isdp(&x, tar20);
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, ES8_ROUTE_ISDP, rc), 0x9000);
	es8_free(&x);

	eum_config_init(&cfg);
	cfg.ci_key_id = other;
	cfg.ci_key_id_len = sizeof(other);
	es8_init_cfg(&x, 1767225600ull, &cfg);
	es8_create_isdp(&x, tar20);
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, ES8_ROUTE_ISDP, rc), 0x6982);
	es8_free(&x);

	eum_config_init(&cfg);
	cfg.ci_key_id = other;
	cfg.ci_key_id_len = 0;
	assert_int_equal(eum_card_new(&x.card, &cfg), EUM_ERR_CONFIG);
}

/* Key establishment with receipt variant v on the card; the SM-DP computes it with host_v. */
static int keyest(uint8_t v, int host_v)
{
	struct es8 x;
	eum_config cfg;
	uint8_t rc[16], esk[32], epk[65], d[400];
	const uint8_t *data;
	size_t n, dlen;
	int r;

	eum_config_init(&cfg);
	cfg.ecka_receipt = v;
	es8_init_cfg(&x, 1767225600ull, &cfg);
	es8_create_isdp(&x, tar20);
	assert_int_equal(es8_step1(&x, x.cert, x.cert_len, ES8_ROUTE_ISDP, rc), 0x9000);
	assert_int_equal(eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &x.rng, esk, epk), EUM_OK);
	assert_int_equal(eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, x.sk_dp, &x.crt, epk, 0, rc, 16, es8_rng,
	                                          &x.rng, d, sizeof(d), &n),
	                 EUM_OK);
	assert_int_equal(es8_step2_raw(&x, d, n, ES8_ROUTE_ISDP, es8_sd_89, &data, &dlen), 0x9000);
	r = eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, x.pk_ecasd, &x.crt, NULL, 0,
	                         (eum_host_smdp_receipt)host_v, es8_rng, &x.rng, data, dlen, &x.keys);
	memset(esk, 0, sizeof(esk));
	es8_free(&x);
	return r;
}

/* eum_config.ecka_receipt: the card answers with the receipt variant it is configured for. */
static void test_receipt_variant(void **state)
{
	eum_config cfg;
	eum_card *card = NULL;

	(void)state;
	assert_int_equal(keyest(0, EUM_HOST_SMDP_RECEIPT_CMAC), EUM_OK);
	assert_int_equal(keyest(1, EUM_HOST_SMDP_RECEIPT_NJIWA_PREPAD), EUM_OK);
	assert_int_not_equal(keyest(1, EUM_HOST_SMDP_RECEIPT_CMAC), EUM_OK);
	assert_int_not_equal(keyest(0, EUM_HOST_SMDP_RECEIPT_NJIWA_PREPAD), EUM_OK);
	eum_config_init(&cfg);
	cfg.ecka_receipt = 2;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
}

/* A GET STATUS packet (SPI 16 01) to tar with the ISD-R's KVN 3 keys; the PoR status. */
static uint8_t probe(eum_card *card, const struct eum_host_scp80_keyset *ks, uint8_t kic, uint8_t kid,
                     const uint8_t tar[3])
{
	static const uint8_t gs[] = {0x80, 0xF2, 0x40, 0x02, 0x02, 0x4F, 0x00};
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por por;
	struct ota_answer a;
	uint8_t pkt[256], work[1024];
	size_t plen = 0;

	memset(&p, 0, sizeof(p));
	p.spi[0] = 0x16;
	p.spi[1] = 0x01;
	p.kic = kic;
	p.kid = kid;
	memcpy(p.tar, tar, 3);
	p.cntr[4] = 1;
	assert_int_equal(eum_host_scp80_build_cmd(ks, &p, gs, sizeof(gs), pkt, sizeof(pkt), &plen), EUM_OK);
	ota_send_packet(card, pkt, plen, &a);
	assert_true(a.por_len > 0);
	assert_int_equal(eum_host_scp80_parse_por(ks, &p, a.por, a.por_len, work, sizeof(work), &por), EUM_OK);
	return por.status;
}

/* eum_config.bootstrap_isdp_aid: the bootstrap ISD-P answers on the TAR of its AID (SGP.02 Annex H). */
static void test_bootstrap_isdp_aid(void **state)
{
	static const uint8_t aid11[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                  0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x11, 0x00};
	static const uint8_t bad[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	const struct ota_keys *aes = ota_keys_by_name("aes128");
	struct eum_host_scp80_keyset ks;
	eum_config cfg;
	eum_card *card = NULL;
	uint8_t out[300];
	size_t n;

	(void)state;
	ota_host_keyset(aes, &ks);
	eum_config_init(&cfg);
	cfg.bootstrap_isdp_aid = aid11;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(card, NULL, 8);
	assert_int_equal(probe(card, &ks, 0x32, 0x32, (const uint8_t *)"\x00\x00\x11"), 0x00);
	assert_int_equal(probe(card, &ks, 0x32, 0x32, (const uint8_t *)"\x00\x00\x10"), 0x09); /* unknown TAR */
	/* the modem still gets the bootstrap profile */
	assert_int_equal(ota_xmit_hex(card, "00A4000C022FE2", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, "00B000000A", out, &n), 0x9000);
	assert_int_equal(n, 10);
	eum_card_free(card);
	/* the ISD-R's TAR is not an ISD-P's */
	cfg.bootstrap_isdp_aid = bad;
	card = NULL;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
	assert_null(card);
}

/* eum_ota_keyset.kid_algorithm: KIc AES-128 and KID 3DES two-key in one ISD-R key set (TS 102 225
 * §5.1.2: KIc and KID name their algorithms separately). */
static void test_kid_algorithm(void **state)
{
	static const uint8_t kic[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	                                0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
	static const uint8_t kid[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
	                                0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10};
	eum_ota_keyset set;
	struct eum_host_scp80_keyset ks;
	eum_config cfg;
	eum_card *card = NULL;

	(void)state;
	memset(&set, 0, sizeof(set));
	set.kvn = 2;
	set.algorithm = "aes128";
	set.kid_algorithm = "3des2";
	set.kic = kic;
	set.kic_len = 16;
	set.kid = kid;
	set.kid_len = 16;
	eum_config_init(&cfg);
	cfg.isdr_ota_keys = &set;
	cfg.n_isdr_ota_keys = 1;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(card, NULL, 8);
	memset(&ks, 0, sizeof(ks));
	ks.kic.algo = EUM_HOST_SCP80_ALGO_AES;
	ks.kic.len = 16;
	memcpy(ks.kic.val, kic, 16);
	ks.kid.algo = EUM_HOST_SCP80_ALGO_TDES2;
	ks.kid.len = 16;
	memcpy(ks.kid.val, kid, 16);
	/* KIc 22 (KVN 2, AES), KID 25 (KVN 2, 3DES two-key CBC MAC) */
	assert_int_equal(probe(card, &ks, 0x22, 0x25, (const uint8_t *)"\x00\x00\x01"), 0x00);
	eum_card_free(card);
	/* a KID algorithm the card does not know, or a KID of the wrong length, is refused */
	set.kid_algorithm = "3des9";
	card = NULL;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
	set.kid_algorithm = "aes256";
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
}

/* GET DATA E0 in a compact script to the ISD-R with KIc/KID 32 (KVN 3); the R-APDU data in out. */
static uint16_t isdr_get_e0(eum_card *card, uint8_t cntr, uint8_t le, uint8_t *out, size_t *out_len)
{
	const struct ota_keys *aes = ota_keys_by_name("aes128");
	uint8_t gd[5] = {0x80, 0xCA, 0x00, 0xE0, le}, pkt[256], work[1024];
	struct eum_host_scp80_keyset ks;
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por por;
	struct eum_host_sms_script_response sr;
	struct ota_answer a;
	size_t plen = 0;

	ota_host_keyset(aes, &ks);
	memset(&p, 0, sizeof(p));
	p.spi[0] = 0x16;
	p.spi[1] = 0x39; /* PoR by SMS-SUBMIT: it may be long */
	p.kic = p.kid = 0x32;
	memcpy(p.tar, "\x00\x00\x01", 3);
	p.cntr[4] = cntr;
	assert_int_equal(eum_host_scp80_build_cmd(&ks, &p, gd, sizeof(gd), pkt, sizeof(pkt), &plen), EUM_OK);
	ota_send_packet(card, pkt, plen, &a);
	assert_true(a.por_len > 0);
	assert_int_equal(eum_host_scp80_parse_por(&ks, &p, a.por, a.por_len, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0x00);
	assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
	memcpy(out, sr.last_data, sr.last_data_len);
	*out_len = sr.last_data_len;
	return sr.last_sw;
}

/* eum_ota_keyset.kik: the KIK (key id 3) is kept with its key set and listed by GET DATA E0. */
static void test_kik(void **state)
{
	static const uint8_t kic[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	                                0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
	static const uint8_t kid[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	                                0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F};
	static const uint8_t kik[16] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
	                                0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F};
	eum_ota_keyset set;
	eum_config cfg;
	eum_card *card = NULL;
	uint8_t out[300];
	size_t n, i;
	uint16_t sw;
	int found = 0;

	(void)state;
	memset(&set, 0, sizeof(set));
	set.kvn = 3;
	set.algorithm = "aes128";
	set.kic = kic;
	set.kic_len = 16;
	set.kid = kid;
	set.kid_len = 16;
	set.kik = kik;
	set.kik_len = 16;
	eum_config_init(&cfg);
	cfg.isdr_ota_keys = &set;
	cfg.n_isdr_ota_keys = 1;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(card, NULL, 8);
	sw = isdr_get_e0(card, 1, 0x00, out, &n);
	assert_int_equal(sw & 0xFF00, 0x6C00); /* case 2 on the virtual channel: the exact Le */
	assert_int_equal(isdr_get_e0(card, 2, (uint8_t)sw, out, &n), 0x9000);
	/* E0 { C0 04 <key id> <KVN> <type> <length> ... }: key id 03 of KVN 03, AES (88), 16 bytes */
	for (i = 2; i + 6 <= n; i += 6)
		if (out[i] == 0xC0 && out[i + 2] == 0x03 && out[i + 3] == 0x03 && out[i + 4] == 0x88 &&
		    out[i + 5] == 16)
			found = 1;
	assert_true(found);
	eum_card_free(card);
	/* a KIK of another length than the KIc is refused */
	set.kik_len = 8;
	card = NULL;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ci_key_id),
	        cmocka_unit_test(test_receipt_variant),
	        cmocka_unit_test(test_bootstrap_isdp_aid),
	        cmocka_unit_test(test_kid_algorithm),
	        cmocka_unit_test(test_kik),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
