/*
 * End to end, APDUs only: the SM-SR prepares a card for HTTPS admin sessions with libeum-host's builders
 * (src/host/smsr_scp81.c) in SCP80-secured ES5 scripts: PUT KEY of SCP81 PSKs under the KIK of the packet's
 * key set (16 and 20 bytes, add and replace; spec digest scp81-https.md §3.4) and UpdateSMSRAddressingParameters
 * carrying the default admin session parameters (3A07 A3 { 83 }, §5.4), read back through the ISD-R's own
 * accessors.
 */
#define _POSIX_C_SOURCE 200809L

#include "es5_e2e.h"

#include "crypto/crypto.h"
#include "gp/gp.h"
#include "ota/scp81_params.h"
#include "sgp02/es5.h"

static const uint8_t KIK[16] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
                                0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F};

/* A card on the es5 flash whose ISD-R SCP80 key set KVN 3 (the test SM-SR's) carries a KIK. */
static struct es5 *kik_card(void)
{
	struct es5 *t = es5_new();
	uint8_t kic[16], kid[16];
	eum_ota_keyset ks;
	eum_config cfg;

	eum_card_free(t->card);
	t->flash.len = 0;
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
	cfg.storage = &t->storage;
	cfg.isdr_msl = 0x06;
	cfg.isdr_ota_keys = &ks;
	cfg.n_isdr_ota_keys = 1;
	assert_int_equal(eum_card_new(&t->card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(t->card, 1, NULL, 0, NULL), EUM_OK);
	return t;
}

static void expect_psk(eum_card *card, uint8_t kvn, uint8_t kid, const uint8_t *want, size_t want_len)
{
	uint8_t psk[32];
	size_t len = 0;

	assert_int_equal(eum_isdr_scp81_psk(card, kvn, kid, psk, sizeof(psk), &len), EUM_OK);
	assert_int_equal(len, want_len);
	assert_memory_equal(psk, want, want_len);
}

static void test_put_psk(void **state)
{
	struct es5 *t = kik_card();
	struct eum_host_scp80_key kik;
	uint8_t p16[16], p20[20], apdu[80], psk[32], ones[16], kcv[16];
	size_t n, i, len;
	int has_kcv = -1;

	(void)state;
	memset(&kik, 0, sizeof(kik));
	kik.algo = EUM_HOST_SCP80_ALGO_AES;
	kik.len = 16;
	memcpy(kik.val, KIK, 16);
	for (i = 0; i < 20; i++)
		p20[i] = (uint8_t)(0xC0 + i);
	for (i = 0; i < 16; i++)
		p16[i] = (uint8_t)(0x90 + i);
	/* add KVN 41 key 01: the answer is the KVN and the card's KCV of the key, AES(PSK, 01..01) */
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x41, 0x01, p16, 16, &kik, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	memset(ones, 0x01, sizeof(ones));
	assert_int_equal(eum_aes_encrypt_block(p16, 16, ones, kcv), EUM_OK);
	assert_int_equal(t->res.data_len, 4);
	assert_int_equal(t->res.data[0], 0x41);
	assert_memory_equal(t->res.data + 1, kcv, 3);
	assert_int_equal(eum_host_smsr_put_psk_check(0x41, p16, 16, t->res.data, t->res.data_len, &has_kcv), EUM_OK);
	assert_int_equal(has_kcv, 1);
	expect_psk(t->card, 0x41, 0x01, p16, 16);
	/* replace it by KVN 42 with a 20-byte PSK (length-prefixed block) */
	assert_int_equal(eum_host_smsr_put_psk(0x41, 0x42, 0x01, p20, 20, &kik, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	assert_int_equal(eum_host_smsr_put_psk_check(0x42, p20, 20, t->res.data, t->res.data_len, &has_kcv), EUM_OK);
	assert_int_equal(has_kcv, 0); /* no KCV for a 20-byte key */
	expect_psk(t->card, 0x42, 0x01, p20, 20);
	assert_int_equal(eum_isdr_scp81_psk(t->card, 0x41, 0x01, psk, sizeof(psk), &len), EUM_ERR_NOT_FOUND);
	/* under a wrong KIK the card cannot know; what it stores is not our PSK, and its KCV tells the SM-SR */
	kik.val[0] ^= 1;
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x43, 0x01, p16, 16, &kik, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	assert_int_equal(eum_host_smsr_put_psk_check(0x43, p16, 16, t->res.data, t->res.data_len, &has_kcv),
	                 EUM_ERR_CRYPTO);
	assert_int_equal(eum_host_smsr_put_psk_check(0x44, p16, 16, t->res.data, t->res.data_len, NULL), EUM_ERR_PARSE);
	assert_int_equal(eum_isdr_scp81_psk(t->card, 0x43, 0x01, psk, sizeof(psk), &len), EUM_OK);
	assert_memory_not_equal(psk, p16, 16);
	es5_free(t);
}

static void test_update_admin_params(void **state)
{
	static const uint8_t ip[4] = {192, 168, 1, 1};
	struct es5 *t = es5_new();
	struct eum_host_smsr_admin_params p;
	struct eum_scp81_params got;
	uint8_t conn[32], apdu[300];
	size_t cn, n;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(eum_host_smsr_conn_tcp_ipv4(ip, 8080, 1024, conn, sizeof(conn), &cn), EUM_OK);
	p.conn = conn;
	p.conn_len = cn;
	p.has_security = 1;
	p.kvn = 0x40;
	p.kid = 0x01;
	p.has_retry = 1;
	p.retry_count = 2;
	p.retry_delay_s = 90;
	p.host = "10.0.0.1";
	p.agent = "smsr-agent";
	p.uri = "/adm?cmd=1";
	assert_int_equal(eum_host_smsr_update_admin_params(&p, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	memset(&got, 0, sizeof(got));
	assert_int_equal(eum_isdr_https_defaults(t->card, &got), EUM_OK);
	assert_int_equal(got.has_conn, 1);
	assert_int_equal(got.conn_len, cn);
	assert_memory_equal(got.conn, conn, cn);
	assert_int_equal(got.has_security, 1);
	assert_int_equal(got.psk_id_len, 0);
	assert_int_equal(got.kvn, 0x40);
	assert_int_equal(got.kid, 0x01);
	assert_int_equal(got.retry_count, 2);
	assert_int_equal(got.retry_delay_s, 90);
	assert_string_equal(got.host, "10.0.0.1");
	assert_string_equal(got.agent, "smsr-agent");
	assert_string_equal(got.uri, "/adm?cmd=1");
	/* they survive a reload from the flash */
	es5_reload(t);
	memset(&got, 0, sizeof(got));
	assert_int_equal(eum_isdr_https_defaults(t->card, &got), EUM_OK);
	assert_string_equal(got.uri, "/adm?cmd=1");
	es5_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_put_psk),
	        cmocka_unit_test(test_update_admin_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
