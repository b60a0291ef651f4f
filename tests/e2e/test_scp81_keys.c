/*
 * The ISD-R's SCP81 TLS pre-shared keys (GP Amendment B, key type 85, KVN 40-4F; spec digest
 * scp81-https.md §3.4): the test key of the default card, keys from eum_config and from the
 * configuration file, PUT KEY of a PSK by the SM-SR in an SCP80-secured ES5 script (key component
 * under the KIK of the packet's key set), every refusal leaving the state byte-identical, and the
 * keys surviving a reload from the flash. Ciphertexts and KCVs are golden values computed with an
 * independent AES (Python cryptography).
 */
#define _POSIX_C_SOURCE 200809L

#include "es5_e2e.h"

#include <unistd.h>

#include "gp/gp.h"

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

/* A card on the es5 flash, manufactured with the KVN 3 key set carrying a KIK. */
static struct es5 *kik_card(void)
{
	struct es5 *t = es5_new();
	uint8_t kic[16], kid[16];
	eum_ota_keyset ks;
	eum_config cfg;

	eum_card_free(t->card);
	t->flash.len = 0; /* manufacture again */
	es5_unhex("000102030405060708090a0b0c0d0e0f", kic, sizeof(kic));
	es5_unhex("101112131415161718191a1b1c1d1e1f", kid, sizeof(kid));
	ks = (eum_ota_keyset){.kvn = 3, .algorithm = "aes128", .kic = kic, .kic_len = 16, .kid = kid, .kid_len = 16};
	ks.kik = KIK;
	ks.kik_len = sizeof(KIK);
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

/* The default card's SCP80 key sets have no KIK: nothing can carry a PSK to it over SMS. */
static void test_put_key_without_kik(void **state)
{
	struct es5 *t = es5_new();

	(void)state;
	assert_int_equal(es5_refused(t, "80D8000117 41 8510" CT16 "03" KCV16), 0x6982);
	expect_no_psk(t->card, 0x41, 0x01);
	es5_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_default_key),         cmocka_unit_test(test_config_keys),
	        cmocka_unit_test(test_config_file),         cmocka_unit_test(test_put_key_over_scp80),
	        cmocka_unit_test(test_put_key_without_kik),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
