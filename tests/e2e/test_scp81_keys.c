/*
 * The ISD-R's SCP81 state (spec digest scp81-https.md §3.4, §5.4), driven as the SM-SR drives it:
 * - its TLS pre-shared keys (GP Amendment B, key type 85, KVN 40-4F): the test key of the default
 *   card, keys from eum_config and from the configuration file, PUT KEY of a PSK in an
 *   SCP80-secured ES5 script (key component under the KIK of the packet's key set). Ciphertexts
 *   and KCVs are golden values computed with an independent AES (Python cryptography);
 * - its default HTTPS administration session parameters, ES5 UpdateSMSRAddressingParameters
 *   3A07 { A3 { 83 ... } } (raw bytes and libeum-host's builder);
 * every refusal leaves the state byte-identical, and everything survives a reload from the flash.
 */
#define _POSIX_C_SOURCE 200809L

#include "es5_e2e.h"

#include <unistd.h>

#include "gp/gp.h"
#include "ota/scp81_params.h"
#include "sgp02/es5.h"

/* the default card's SCP81 test key (README "Test identity") */
#define TEST_PSK "404142434445464748494A4B4C4D4E4F"

/* KIK (key id 03) given to the ISD-R SCP80 key set KVN 3 that the test SM-SR uses */
static const uint8_t KIK[16] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
                                0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F};
/* PSKs 50..5F (16), 60..73 (20, zero-padded to 32 before encryption), 80..9F (32), under the KIK */
#define CT16  "B05159C3643927E54547E8A14721D1EB"
#define KCV16 "F2A8DF"
#define CT20  "2602F2F0A58CFBD1CD1A16CFD98BEE327E1DA318109C34D96FFF40C983DAE4C8"
#define CT32  "254B1C41800C8D3DF5FB5537BF3A961FB50F5016A7D9370D607DE4FD449F0D6C"
#define KCV32 "AC98F7"

static void psk_bytes(uint8_t first, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(first + i);
}

static void expect_psk(eum_card *card, uint8_t kvn, uint8_t kid, const uint8_t *want, size_t want_len)
{
	uint8_t psk[32];
	size_t len = 0;

	assert_int_equal(eum_isdr_scp81_psk(card, kvn, kid, psk, sizeof(psk), &len), EUM_OK);
	assert_int_equal(len, want_len);
	assert_memory_equal(psk, want, want_len);
}

static void expect_no_psk(eum_card *card, uint8_t kvn, uint8_t kid)
{
	uint8_t psk[32];
	size_t len = 0;

	assert_int_equal(eum_isdr_scp81_psk(card, kvn, kid, psk, sizeof(psk), &len), EUM_ERR_NOT_FOUND);
}

static void test_default_key(void **state)
{
	uint8_t want[16], psk[32];
	size_t len;
	eum_card *card;

	(void)state;
	es5_unhex(TEST_PSK, want, sizeof(want));
	assert_int_equal(eum_card_new(&card, NULL), EUM_OK);
	expect_psk(card, 0x40, 0x01, want, 16);
	expect_psk(card, 0, 0, want, 16); /* the first key */
	expect_psk(card, 0, 0x01, want, 16);
	expect_no_psk(card, 0x41, 0x01);
	expect_no_psk(card, 0x40, 0x02);
	assert_int_equal(eum_isdr_scp81_psk(card, 0x40, 1, psk, 15, &len), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_isdr_scp81_psk(card, 0x40, 1, NULL, 32, &len), EUM_ERR_INVALID_ARG);
	eum_card_free(card);
}

static void quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

static void test_config_keys(void **state)
{
	uint8_t p16[16], p32[32];
	eum_scp81_key_cfg k[5];
	eum_config cfg;
	eum_card *card;

	(void)state;
	psk_bytes(0x50, 16, p16);
	psk_bytes(0x80, 32, p32);
	k[0] = (eum_scp81_key_cfg){0x4F, 0x01, p16, 16};
	k[1] = (eum_scp81_key_cfg){0x41, 0x02, p32, 32};
	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.isdr_scp81_keys = k;
	cfg.n_isdr_scp81_keys = 2;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	expect_psk(card, 0x4F, 0x01, p16, 16);
	expect_psk(card, 0x41, 0x02, p32, 32);
	expect_psk(card, 0, 0, p16, 16);
	expect_no_psk(card, 0x40, 0x01); /* the test key is replaced */
	eum_card_free(card);

	/* refused configurations */
	static const struct {
		uint8_t kvn, kid;
		size_t len;
	} bad[] = {{0x3F, 1, 16}, {0x50, 1, 16}, {0x40, 0, 16}, {0x40, 0x80, 16}, {0x40, 1, 15}, {0x40, 1, 33}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t big[33] = {0};
		k[0] = (eum_scp81_key_cfg){bad[i].kvn, bad[i].kid, big, bad[i].len};
		cfg.n_isdr_scp81_keys = 1;
		assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
	}
	k[0] = (eum_scp81_key_cfg){0x41, 0x02, p16, 16}; /* same KVN and key id as k[1] */
	cfg.n_isdr_scp81_keys = 2;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
	for (size_t i = 0; i < 5; i++)
		k[i] = (eum_scp81_key_cfg){(uint8_t)(0x40 + i), 1, p16, 16};
	cfg.n_isdr_scp81_keys = 5;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
	cfg.isdr_scp81_keys = NULL;
	cfg.n_isdr_scp81_keys = 1;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
}

static int load_conf(const char *text, eum_config *cfg)
{
	char path[] = "/tmp/eum-scp81-XXXXXX";
	int fd = mkstemp(path), rc;
	char err[200] = "";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	eum_config_init(cfg);
	rc = eum_config_load_file(cfg, path, err, sizeof(err));
	unlink(path);
	if (rc != EUM_OK)
		print_message("config: %s\n", err);
	return rc;
}

static void test_config_file(void **state)
{
	uint8_t p16[16], p32[32];
	eum_config cfg;
	eum_card *card;

	(void)state;
	psk_bytes(0x50, 16, p16);
	psk_bytes(0x80, 32, p32);
	assert_int_equal(load_conf("isdr = { scp81_keys = (\n"
	                           "  { kvn = 0x41; kid = 2; psk = \"505152535455565758595a5b5c5d5e5f\"; },\n"
	                           "  { kvn = 0x42; psk = \"808182838485868788898A8B8C8D8E8F"
	                           "909192939495969798999A9B9C9D9E9F\"; }\n"
	                           "); };\n",
	                           &cfg),
	                 EUM_OK);
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	expect_psk(card, 0x41, 0x02, p16, 16);
	expect_psk(card, 0x42, 0x01, p32, 32); /* kid defaults to 1 */
	eum_card_free(card);
	eum_config_clear(&cfg);

	static const char *bad[] = {
	        "isdr = { scp81_keys = ( { kvn = 0x50; psk = \"505152535455565758595a5b5c5d5e5f\"; } ); };\n",
	        "isdr = { scp81_keys = ( { kvn = 0x40; kid = 0; psk = \"505152535455565758595a5b5c5d5e5f\"; } ); };\n",
	        "isdr = { scp81_keys = ( { kvn = 0x40; psk = \"505152535455565758595a5b5c5d5e\"; } ); };\n",
	        "isdr = { scp81_keys = ( { kvn = 0x40; } ); };\n",
	        "isdr = { scp81_keys = ( { kvn = 0x40; psk = \"50515253545556575859zz5b5c5d5e5f\"; } ); };\n",
	        "isdr = { scp81_keys = ( {kvn=0x40;psk=\"00000000000000000000000000000000\";},"
	        "{kvn=0x41;psk=\"00000000000000000000000000000000\";},{kvn=0x42;psk="
	        "\"00000000000000000000000000000000\";},"
	        "{kvn=0x43;psk=\"00000000000000000000000000000000\";},{kvn=0x44;psk="
	        "\"00000000000000000000000000000000\";}"
	        " ); };\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(load_conf(bad[i], &cfg), EUM_ERR_CONFIG);
		eum_config_clear(&cfg);
	}
}

/* A card on the es5 flash, manufactured with one ISD-R key set carrying a KIK: KVN 3 AES-128 (as the
 * test identity's) with an AES KIK, or (des) KVN 1 3DES two-key (as the test identity's) with a 3DES
 * KIK; the SM-SR then uses that key set. */
static struct es5 *kik_card_with(int des)
{
	static const uint8_t tar[3] = {0x00, 0x00, 0x01};
	struct es5 *t = es5_new();
	struct eum_host_scp80_keyset hk;
	uint8_t kic[16], kid[16];
	eum_ota_keyset ks;
	eum_config cfg;

	eum_card_free(t->card);
	t->flash.len = 0; /* manufacture again */
	es5_unhex(des ? "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf" : "000102030405060708090a0b0c0d0e0f", kic, sizeof(kic));
	es5_unhex(des ? "0123456789abcdeffedcba9876543210" : "101112131415161718191a1b1c1d1e1f", kid, sizeof(kid));
	ks = (eum_ota_keyset){.kvn = des ? 1 : 3,
	                      .algorithm = des ? "3des2" : "aes128",
	                      .kic = kic,
	                      .kic_len = 16,
	                      .kid = kid,
	                      .kid_len = 16};
	ks.kik = KIK;
	ks.kik_len = sizeof(KIK);
	if (des) {
		memset(&hk, 0, sizeof(hk));
		hk.kic.algo = hk.kid.algo = EUM_HOST_SCP80_ALGO_TDES2;
		hk.kic.len = hk.kid.len = 16;
		memcpy(hk.kic.val, kic, 16);
		memcpy(hk.kid.val, kid, 16);
		eum_host_smsr_init(&t->sr, &hk, 0x15, 0x15, tar);
	}
	eum_config_init(&cfg);
	cfg.clock = es5_clock;
	cfg.clock_ctx = t;
	cfg.log = es5_quiet;
	cfg.log_ctx = t;
	cfg.log_level = EUM_LOG_DEBUG;
	cfg.storage = &t->storage;
	cfg.isdr_msl = 0x06; /* as es5_open: es5_refused() needs packets without a counter */
	cfg.isdr_ota_keys = &ks;
	cfg.n_isdr_ota_keys = 1;
	assert_int_equal(eum_card_new(&t->card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(t->card, 1, NULL, 0, NULL), EUM_OK);
	return t;
}

static struct es5 *kik_card(void)
{
	return kik_card_with(0);
}

static void expect_rsp(struct es5 *t, const char *hex)
{
	uint8_t want[16];
	size_t n = es5_unhex(hex, want, sizeof(want));

	assert_int_equal(t->res.data_len, n);
	assert_memory_equal(t->res.data, want, n);
}

/* GPCS §11.8 PUT KEY with key type 85 in an ES5 script over SCP80 (the SM-SR's way) */
static void test_put_key_over_scp80(void **state)
{
	struct es5 *t = kik_card();
	uint8_t p16[16], p20[20], p32[32], test_psk[16];

	(void)state;
	psk_bytes(0x50, 16, p16);
	psk_bytes(0x60, 20, p20);
	psk_bytes(0x80, 32, p32);
	es5_unhex(TEST_PSK, test_psk, sizeof(test_psk));

	/* add KVN 41 key 01 (16 bytes, KCV): the answer is the KVN and the KCV */
	assert_int_equal(es5_cmd(t, "80D8000117 41 8510" CT16 "03" KCV16), 0x9000);
	expect_rsp(t, "41" KCV16);
	expect_psk(t->card, 0x41, 0x01, p16, 16);
	expect_psk(t->card, 0x40, 0x01, test_psk, 16); /* the test key is still there */
	/* replace KVN 41 by KVN 42 (32 bytes) */
	assert_int_equal(es5_cmd(t, "80D8410127 42 8520" CT32 "03" KCV32), 0x9000);
	expect_rsp(t, "42" KCV32);
	expect_no_psk(t->card, 0x41, 0x01);
	expect_psk(t->card, 0x42, 0x01, p32, 32);
	/* add KVN 43 key 02: 20 bytes in the length-prefixed form, no KCV (answer: the KVN alone) */
	assert_int_equal(es5_cmd(t, "80D8000225 43 852114" CT20 "00"), 0x9000);
	expect_rsp(t, "43");
	expect_psk(t->card, 0x43, 0x02, p20, 20);

	/* refusals change nothing */
	static const struct {
		const char *apdu;
		uint16_t sw;
	} bad[] = {
	        {"80D8000117 44 8510" CT16 "03F2A8DE", 0x9485},          /* KCV */
	        {"80D8000117 44 8810" CT16 "03" KCV16, 0x9484},          /* key type AES, not 85 */
	        {"80D8420117 50 8510" CT16 "03" KCV16, 0x6A80},          /* new KVN outside 40-4F */
	        {"80D84E0117 44 8510" CT16 "03" KCV16, 0x6A88},          /* no KVN 4E to replace */
	        {"80D8420217 44 8510" CT16 "03" KCV16, 0x6A88},          /* KVN 42 has no key 02 */
	        {"80D8000017 44 8510" CT16 "03" KCV16, 0x6A86},          /* key id 0 */
	        {"80D8C20117 44 8510" CT16 "03" KCV16, 0x6A86},          /* P1 b8 */
	        {"80D8000117 42 8510" CT16 "03" KCV16, 0x6A80},          /* KVN 42 key 01 exists */
	        {"80D800011A 44 8510" CT16 "03" KCV16 "850100", 0x6A80}, /* a second key */
	        {"80D8000115 44 85110F" CT16 "00", 0x6A80},              /* 15 bytes */
	        {"80D8000128 44 852114" CT20 "03" KCV16, 0x6A80},        /* KCV of a 20-byte key */
	        {"80D8000116 44 8510" CT16 "03"
	         "F2A8",
	         0x6A80}, /* KCV cut */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i].apdu);
		assert_int_equal(es5_refused(t, bad[i].apdu), bad[i].sw);
	}
	/* four keys fill the table: a fifth is refused */
	assert_int_equal(es5_cmd(t, "80D8000117 44 8510" CT16 "03" KCV16), 0x9000);
	assert_int_equal(es5_refused(t, "80D8000117 45 8510" CT16 "03" KCV16), 0x6A84);

	/* the keys are persistent */
	es5_reload(t);
	expect_psk(t->card, 0x40, 0x01, test_psk, 16);
	expect_psk(t->card, 0x42, 0x01, p32, 32);
	expect_psk(t->card, 0x43, 0x02, p20, 20);
	expect_psk(t->card, 0x44, 0x01, p16, 16);
	es5_free(t);
}

/* A 3DES KIK: the SM-SR's builder (libeum-host, eum_host_smsr_put_psk, its own 3DES) ciphers the PSK
 * in 8-byte blocks; 24 bytes fill whole blocks, 20 are sent with their length byte. */
static void test_put_key_3des_kik(void **state)
{
	struct es5 *t = kik_card_with(1);
	struct eum_host_scp80_key kek = {.algo = EUM_HOST_SCP80_ALGO_TDES2, .len = 16};
	uint8_t p20[20], p24[24], apdu[80];
	size_t n;

	(void)state;
	memcpy(kek.val, KIK, sizeof(KIK));
	psk_bytes(0x60, 20, p20);
	psk_bytes(0xA0, 24, p24);
	assert_int_equal(eum_host_smsr_put_psk(0, 0x41, 0x01, p24, 24, &kek, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(apdu[7], 24); /* 85 18 <24> */
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	expect_rsp(t, "41 EDF70D"); /* a 24-byte key has an AES KCV (independent AES) */
	expect_psk(t->card, 0x41, 0x01, p24, 24);
	assert_int_equal(eum_host_smsr_put_psk(0x41, 0x42, 0x01, p20, 20, &kek, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(apdu[7], 25); /* 85 19 14 <24> */
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	expect_rsp(t, "42");
	expect_no_psk(t->card, 0x41, 0x01);
	expect_psk(t->card, 0x42, 0x01, p20, 20);
	es5_free(t);
}

/* The default card's SCP80 key sets have no KIK: nothing can carry a PSK to it over SMS. */
static void test_put_key_without_kik(void **state)
{
	struct es5 *t = es5_new();

	(void)state;
	assert_int_equal(es5_refused(t, "80D8000117 41 8510" CT16 "03" KCV16), 0x6982);
	expect_no_psk(t->card, 0x41, 0x01);
	es5_free(t);
}

/* digest §1.3: the 83 of the minimal trigger (TCP 8080 to 192.168.1.1, Host 10.0.0.1, /adm?cmd=1) */
#define ADM83 "832D8413350103390204003C03021F903E0521C0A8010189168A0831302E302E302E318C0A2F61646D3F636D643D31"

static void test_https_defaults(void **state)
{
	struct es5 *t = es5_new();
	struct eum_scp81_params p;
	struct eum_es5_pstate before;

	(void)state;
	/* none at manufacture */
	assert_int_equal(eum_isdr_https_defaults(t->card, &p), EUM_OK);
	assert_int_equal(p.has_conn | p.has_security | p.has_retry | p.has_host | p.has_agent | p.has_uri, 0);
	before = t->card->ps->isdr.es5;

	/* 3A07 { A3 { 83 } } alone: the SMS address stays */
	assert_int_equal(es5_cmd(t, "80E2880034 3A0731 A32F" ADM83), 0x9000);
	assert_int_equal(eum_isdr_https_defaults(t->card, &p), EUM_OK);
	assert_int_equal(p.conn_len, 19);
	assert_memory_equal(p.conn, "\x35\x01\x03\x39\x02\x04\x00", 7);
	assert_string_equal(p.host, "10.0.0.1");
	assert_string_equal(p.uri, "/adm?cmd=1");
	assert_int_equal(t->card->ps->isdr.es5.smsr_ndigits, before.smsr_ndigits);
	assert_memory_equal(t->card->ps->isdr.es5.smsr_bcd, before.smsr_bcd, sizeof(before.smsr_bcd));
	assert_int_equal(t->card->ps->isdr.es5.https_len, 0x2D);

	/* refused, nothing changes */
	static const struct {
		const char *apdu;
		uint16_t sw;
	} bad[] = {
	        {"80E288000A 3A0707 A305 8303840135", 0x6A80},                 /* 84 not COMPREHENSION-TLVs */
	        {"80E288000A 3A0707 A305 8303840235", 0x6A80},                 /* 84 truncated */
	        {"80E288000C 3A0709 A307 8305 89038A0100", 0x6A80},            /* 8A with a control byte */
	        {"80E288000B 3A0708 A306 8300 83028400", 0x6A80},              /* two 83 */
	        {"80E2880006 3A0703 A30183", 0x6A80},                          /* 83 malformed */
	        {"80E2880005 3A0702 A300", 0x6A80},                            /* neither 81 nor 83 */
	        {"80E2880011 3A070E A30C 8300 81060791214365F7 8300", 0x6A80}, /* 83, 81, 83 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i].apdu);
		assert_int_equal(es5_refused(t, bad[i].apdu), bad[i].sw);
	}
	/* more than the card keeps (the check half, as a long STORE DATA sequence would reach it): an 83 of
	 * 256 bytes (one unknown TLV C1 inside) is refused, one of 255 taken */
	{
		uint8_t v[264] = {0xA3, 0x82, 0x01, 0x04, 0x83, 0x82, 0x01, 0x00, 0xC1, 0x81, 0xFD};
		static const uint8_t h255[] = {0xA3, 0x82, 0x01, 0x02, 0x83, 0x81, 0xFF, 0xC1, 0x81, 0xFC};
		assert_int_equal(eum_es5_update_smsr_addressing_check(t->card, NULL, -1, v, sizeof(v)), 0x6A84);
		memset(v, 0, sizeof(v));
		memcpy(v, h255, sizeof(h255));
		assert_int_equal(eum_es5_update_smsr_addressing_check(t->card, NULL, -1, v, 262), 0);
	}

	/* the SM-SR's builder (libeum-host), with the SMS address too: both change */
	{
		struct eum_host_smsr_admin_params ap = {0};
		uint8_t conn[32], apdu[300], sec_id[4] = {0xDE, 0xAD, 0xBE, 0xEF};
		size_t cn, n;
		assert_int_equal(
		        eum_host_smsr_conn_tcp_ipv4((const uint8_t[]){10, 1, 2, 3}, 443, 1024, conn, sizeof(conn), &cn),
		        EUM_OK);
		ap.conn = conn;
		ap.conn_len = cn;
		ap.has_security = 1;
		ap.psk_id = sec_id;
		ap.psk_id_len = sizeof(sec_id);
		ap.kvn = 0x41;
		ap.kid = 0x01;
		ap.has_retry = 1;
		ap.retry_count = 3;
		ap.retry_delay_s = 90;
		ap.report_failure = 1;
		ap.host = "smsr.example";
		ap.agent = "agent-1";
		ap.uri = "/admin";
		assert_int_equal(eum_host_smsr_update_admin_params(&ap, apdu, sizeof(apdu), &n), EUM_OK);
		assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	}
	assert_int_equal(eum_isdr_https_defaults(t->card, &p), EUM_OK);
	assert_int_equal(p.conn_len, 19);
	assert_int_equal(p.conn[p.conn_len - 1], 3); /* 3E 05 21 0A 01 02 03 */
	assert_int_equal(p.psk_id_len, 4);
	assert_int_equal(p.kvn, 0x41);
	assert_int_equal(p.retry_count, 3);
	assert_int_equal(p.retry_delay_s, 90);
	assert_int_equal(p.report_failure, 1);
	assert_string_equal(p.host, "smsr.example");
	assert_string_equal(p.agent, "agent-1");
	assert_string_equal(p.uri, "/admin");
	/* 81 and 83 together: the SMS address is replaced too (1234567, TON/NPI 91) */
	assert_int_equal(es5_cmd(t, "80E288003C 3A0739 A337 81060791214365F7" ADM83), 0x9000);
	assert_int_equal(t->card->ps->isdr.es5.smsr_ndigits, 0x07);
	assert_int_equal(eum_isdr_https_defaults(t->card, &p), EUM_OK);
	assert_string_equal(p.uri, "/adm?cmd=1");

	/* persistent */
	es5_reload(t);
	assert_int_equal(eum_isdr_https_defaults(t->card, &p), EUM_OK);
	assert_string_equal(p.host, "10.0.0.1");
	assert_string_equal(p.uri, "/adm?cmd=1");
	/* 83 00 removes them */
	assert_int_equal(es5_cmd(t, "80E2880007 3A0704 A3028300"), 0x9000);
	assert_int_equal(eum_isdr_https_defaults(t->card, &p), EUM_OK);
	assert_int_equal(p.has_conn | p.has_host | p.has_uri, 0);
	es5_reload(t);
	assert_int_equal(t->card->ps->isdr.es5.https_len, 0);
	es5_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_default_key),         cmocka_unit_test(test_config_keys),
	        cmocka_unit_test(test_config_file),         cmocka_unit_test(test_put_key_over_scp80),
	        cmocka_unit_test(test_put_key_without_kik), cmocka_unit_test(test_put_key_3des_kik),
	        cmocka_unit_test(test_https_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
