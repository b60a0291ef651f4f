/*
 * Tests of libeum-host's SM-SR helpers for HTTPS admin sessions (src/host/smsr_scp81.c, the push in
 * src/host/smsr_host.c): the administration session triggering parameters byte for byte (the 49-byte
 * example of spec digest scp81-https.md §1.3, security and retry parts), the push SMS opened again by the
 * card's own SMS-PP and SCP80 code, PUT KEY of an SCP81 PSK (deciphered with the card's crypto) and
 * UpdateSMSRAddressingParameters with tag 83.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "eum/eum.h"
#include "eum/host/smsr.h"
#include "ota/scp80.h"
#include "ota/scp81_params.h"
#include "ota/sms_pp.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[1]) {
		unsigned v;
		assert_true(n < cap);
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static void expect_hex(const uint8_t *got, size_t n, const char *hex)
{
	uint8_t want[600];
	size_t w = unhex(hex, want, sizeof(want));

	assert_int_equal(n, w);
	assert_memory_equal(got, want, w);
}

static const uint8_t ip[4] = {192, 168, 1, 1};

/* Digest §1.3: the minimal [IMPL] 49-byte trigger, byte for byte. */
static void test_trigger_example(void **state)
{
	struct eum_host_smsr_admin_params p;
	uint8_t conn[32], out[128];
	size_t cn, n;

	(void)state;
	assert_int_equal(eum_host_smsr_conn_tcp_ipv4(ip, 8080, 1024, conn, sizeof(conn), &cn), EUM_OK);
	expect_hex(conn, cn, "350103390204003C03021F903E0521C0A80101");
	assert_int_equal(eum_host_smsr_conn_tcp_ipv4(ip, 8080, 1024, conn, 18, &cn), EUM_ERR_BUFFER_TOO_SMALL);
	memset(&p, 0, sizeof(p));
	p.conn = conn;
	p.conn_len = 19;
	p.host = "10.0.0.1";
	p.uri = "/adm?cmd=1";
	assert_int_equal(eum_host_smsr_trigger_build(&p, out, sizeof(out), &n), EUM_OK);
	assert_int_equal(n, 49);
	expect_hex(
	        out, n,
	        "812F832D8413350103390204003C03021F903E0521C0A8010189168A0831302E302E302E318C0A2F61646D3F636D643D31");
	assert_int_equal(eum_host_smsr_trigger_build(&p, out, 48, &n), EUM_ERR_BUFFER_TOO_SMALL);
	/* no parameters: 81 00 (njiwa: the card's defaults) */
	assert_int_equal(eum_host_smsr_trigger_build(NULL, out, sizeof(out), &n), EUM_OK);
	expect_hex(out, n, "8100");
}

/* 85 with and without identity, 86 with swapped-BCD delay and report failure, 8B, long values. */
static void test_admin_params_parts(void **state)
{
	struct eum_host_smsr_admin_params p;
	uint8_t out[600];
	char agent[200];
	size_t n;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.has_security = 1;
	p.psk_id = (const uint8_t *)"ID";
	p.psk_id_len = 2;
	p.kvn = 0x40;
	p.kid = 0x01;
	p.has_retry = 1;
	p.retry_count = 3;
	p.retry_delay_s = 3600 + 2 * 60 + 45; /* 01:02:45 */
	p.report_failure = 1;
	p.agent = "a";
	assert_int_equal(eum_host_smsr_admin_params_build(&p, out, sizeof(out), &n), EUM_OK);
	expect_hex(out, n,
	           "8318"
	           "8506"
	           "024944024001"
	           "8609"
	           "0003A503102054"
	           "8700"
	           "8903"
	           "8B0161");
	/* no identity: Lid 00 (the card sends its SGP.02 identity); one minute is 00 10 00 as a live UICC has it */
	p.psk_id = NULL;
	p.psk_id_len = 0;
	p.retry_count = 1;
	p.retry_delay_s = 60;
	p.report_failure = 0;
	p.agent = NULL;
	assert_int_equal(eum_host_smsr_admin_params_build(&p, out, sizeof(out), &n), EUM_OK);
	expect_hex(out, n,
	           "830F"
	           "850400024001"
	           "86070001A5030010"
	           "00");
	/* a value over 127 bytes: BER 81 xx lengths at every level */
	memset(&p, 0, sizeof(p));
	memset(agent, 'x', 150);
	agent[150] = '\0';
	p.agent = agent;
	assert_int_equal(eum_host_smsr_trigger_build(&p, out, sizeof(out), &n), EUM_OK);
	assert_int_equal(n, 3 + 3 + 3 + 3 + 150);
	expect_hex(out, 12,
	           "81819F83819C898199"
	           "8B8196");
	/* bounds */
	p.agent = NULL;
	p.has_retry = 1;
	p.retry_delay_s = 100u * 3600u;
	assert_int_equal(eum_host_smsr_admin_params_build(&p, out, sizeof(out), &n), EUM_ERR_INVALID_ARG);
	p.has_retry = 0;
	p.conn_len = 3;
	assert_int_equal(eum_host_smsr_admin_params_build(&p, out, sizeof(out), &n), EUM_ERR_INVALID_ARG);
}

/* The push: the card's SMS-PP and SCP80 code open the ENVELOPE and find exactly the bare 81 TLV. */
static struct eum_scp80_keyset card_ks;

static int lookup(void *ctx, const uint8_t tar[3], uint8_t kic_kvn, uint8_t kid_kvn, struct eum_scp80_tar_info *out)
{
	(void)ctx;
	if (memcmp(tar, "\x00\x00\x01", 3) != 0)
		return EUM_ERR_NOT_FOUND;
	memset(out, 0, sizeof(*out));
	out->kic_set = kic_kvn == card_ks.kvn ? &card_ks : NULL;
	out->kid_set = kid_kvn == card_ks.kvn ? &card_ks : NULL;
	return EUM_OK;
}

static void test_push(void **state)
{
	static const uint8_t tar[3] = {0x00, 0x00, 0x01};
	struct eum_host_scp80_keyset ks;
	struct eum_host_smsr sr;
	struct eum_host_smsr_envelopes env;
	struct eum_host_smsr_admin_params p;
	static struct eum_sms_reasm reasm;
	struct eum_sms_pp_msg msg;
	struct eum_scp80_cmd cmd;
	uint8_t conn[32], trig[128], pkt[2048], work[2048];
	size_t cn, tn, i;

	(void)state;
	memset(&ks, 0, sizeof(ks));
	ks.kic.algo = ks.kid.algo = EUM_HOST_SCP80_ALGO_AES;
	ks.kic.len = ks.kid.len = 16;
	for (i = 0; i < 16; i++) {
		ks.kic.val[i] = (uint8_t)(0x11 * i);
		ks.kid.val[i] = (uint8_t)(0x22 + i);
	}
	memset(&card_ks, 0, sizeof(card_ks));
	card_ks.kvn = 1;
	card_ks.kic.algo = card_ks.kid.algo = EUM_SCP80_ALGO_AES128;
	memcpy(card_ks.kic.val, ks.kic.val, 16);
	memcpy(card_ks.kid.val, ks.kid.val, 16);
	eum_host_smsr_init(&sr, &ks, 0x12, 0x12, tar);

	memset(&p, 0, sizeof(p));
	assert_int_equal(eum_host_smsr_conn_tcp_ipv4(ip, 8080, 1024, conn, sizeof(conn), &cn), EUM_OK);
	p.conn = conn;
	p.conn_len = cn;
	p.host = "10.0.0.1";
	p.uri = "/adm?cmd=1";
	assert_int_equal(eum_host_smsr_trigger_build(&p, trig, sizeof(trig), &tn), EUM_OK);
	/* not a bare 81 TLV */
	assert_int_equal(eum_host_smsr_push(&sr, trig, tn - 1, &env), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_smsr_push(&sr, (const uint8_t *)"\xAE\x80\x00\x00", 4, &env), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_smsr_push(&sr, trig, tn, &env), EUM_OK);
	assert_int_equal(env.n, 1); /* 49 bytes fit one SMS with AES (digest §6 step 1) */
	assert_memory_equal(env.apdu[0], "\x80\xC2\x00\x00", 4);
	assert_int_equal(sr.params.cntr[4], 1);

	memset(&reasm, 0, sizeof(reasm));
	eum_sms_reasm_init(&reasm);
	assert_int_equal(eum_sms_pp_download(&reasm, env.apdu[0] + 5, env.len[0] - 5, 0, pkt, sizeof(pkt), &msg),
	                 0x9000);
	assert_int_equal(msg.kind, EUM_SMS_PP_COMMAND_PACKET);
	assert_int_equal(eum_scp80_unwrap(pkt, msg.pkt_len, lookup, NULL, work, sizeof(work), &cmd), EUM_OK);
	assert_int_equal(cmd.status, 0x00);
	assert_memory_equal(cmd.tar, tar, 3);
	assert_memory_equal(cmd.spi, "\x16\x19", 2); /* PoR as the SM-SR's parameters say */
	assert_int_equal(cmd.cntr[4], 1);
	assert_int_equal(cmd.data_len, tn);
	assert_memory_equal(cmd.data, trig, tn);
	eum_sms_reasm_init(&reasm);
}

/* PUT KEY of a TLS PSK: header, key type 85, ciphered block that the card's crypto deciphers back. */
static void test_put_psk(void **state)
{
	static const uint8_t iv0[16];
	struct eum_host_scp80_key kik;
	uint8_t psk[32], apdu[80], plain[48];
	size_t n, i;

	(void)state;
	for (i = 0; i < sizeof(psk); i++)
		psk[i] = (uint8_t)(0xA0 + i);
	memset(&kik, 0, sizeof(kik));
	kik.algo = EUM_HOST_SCP80_ALGO_AES;
	kik.len = 16;
	memset(kik.val, 0x5A, 16);
	/* 16 bytes: Table 11-71, the ciphertext alone */
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x40, 0x01, psk, 16, &kik, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(n, 5 + 1 + 2 + 16 + 1 + 1);
	expect_hex(apdu, 5, "80D8000114");
	assert_int_equal(apdu[5], 0x40);
	assert_int_equal(apdu[6], 0x85);
	assert_int_equal(apdu[7], 16);
	assert_int_equal(apdu[24], 0x00); /* no KCV */
	assert_int_equal(apdu[25], 0x00); /* Le */
	assert_int_equal(eum_aes_cbc(0, kik.val, 16, iv0, apdu + 8, 16, plain), EUM_OK);
	assert_memory_equal(plain, psk, 16);
	assert_memory_not_equal(apdu + 8, psk, 16);
	/* 20 bytes replacing KVN 41: Table 11-70, length byte then 32 ciphered bytes (padding 00) */
	assert_int_equal(eum_host_smsr_put_psk(0x41, 0x41, 0x01, psk, 20, &kik, apdu, sizeof(apdu), &n), EUM_OK);
	expect_hex(apdu, 9, "80D841012541852114");
	assert_int_equal(n, 5 + 0x25 + 1);
	assert_int_equal(eum_aes_cbc(0, kik.val, 16, iv0, apdu + 9, 32, plain), EUM_OK);
	assert_memory_equal(plain, psk, 20);
	for (i = 20; i < 32; i++)
		assert_int_equal(plain[i], 0);
	/* 3DES KIK, 16-byte PSK: two 8-byte blocks */
	kik.algo = EUM_HOST_SCP80_ALGO_TDES2;
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x4F, 0x01, psk, 16, &kik, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(apdu[7], 16);
	assert_int_equal(eum_des_cbc(0, kik.val, 16, iv0, apdu + 8, 16, plain), EUM_OK);
	assert_memory_equal(plain, psk, 16);
	/* bounds: KVN outside 40-4F, short PSK, no KEK, small buffer */
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x30, 0x01, psk, 16, &kik, apdu, sizeof(apdu), &n),
	                 EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x40, 0x01, psk, 15, &kik, apdu, sizeof(apdu), &n),
	                 EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x40, 0x01, psk, 16, NULL, apdu, sizeof(apdu), &n),
	                 EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x40, 0x01, psk, 16, &kik, apdu, 25, &n),
	                 EUM_ERR_BUFFER_TOO_SMALL);
}

/* UpdateSMSRAddressingParameters with the default admin session parameters: 3A07 { A3 { 83 … } }. */
static void test_update_admin_params(void **state)
{
	struct eum_host_smsr_admin_params p;
	uint8_t conn[32], apdu[300];
	char agent[260];
	size_t cn, n;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(eum_host_smsr_conn_tcp_ipv4(ip, 8080, 1024, conn, sizeof(conn), &cn), EUM_OK);
	p.conn = conn;
	p.conn_len = cn;
	p.host = "10.0.0.1";
	p.uri = "/adm?cmd=1";
	assert_int_equal(eum_host_smsr_update_admin_params(&p, apdu, sizeof(apdu), &n), EUM_OK);
	expect_hex(apdu, n,
	           "80E2880034"
	           "3A0731"
	           "A32F"
	           "832D8413350103390204003C03021F903E0521C0A8010189168A0831302E302E302E318C0A2F61646D3F636D643D31");
	/* too large for one STORE DATA block */
	memset(agent, 'y', 250);
	agent[250] = '\0';
	p.agent = agent;
	assert_int_equal(eum_host_smsr_update_admin_params(&p, apdu, sizeof(apdu), &n), EUM_ERR_INVALID_ARG);
}

/* The card's parser (src/ota/scp81_params.c, written independently) reads back every field the builder wrote. */
static void test_card_parses_trigger(void **state)
{
	struct eum_host_smsr_admin_params p;
	struct eum_scp81_params got;
	uint8_t conn[32], out[300];
	size_t cn, n;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(eum_host_smsr_conn_tcp_ipv4(ip, 8080, 1024, conn, sizeof(conn), &cn), EUM_OK);
	p.conn = conn;
	p.conn_len = cn;
	p.has_security = 1;
	p.psk_id = (const uint8_t *)"my-identity";
	p.psk_id_len = 11;
	p.kvn = 0x41;
	p.kid = 0x01;
	p.has_retry = 1;
	p.retry_count = 5;
	p.retry_delay_s = 2 * 3600 + 34 * 60 + 56;
	p.report_failure = 1;
	p.host = "smsr.example";
	p.agent = "//se-id/eid/89049032123451234512345678901235;//aa-id/aid/A000000559/1010FFFFFFFF8900000100";
	p.uri = "/adm?cmd=1";
	assert_int_equal(eum_host_smsr_trigger_build(&p, out, sizeof(out), &n), EUM_OK);
	assert_true(n > 127); /* 81 81 xx */
	assert_int_equal(out[1], 0x81);
	memset(&got, 0, sizeof(got));
	assert_int_equal(eum_scp81_parse(out + 3, n - 3, 0, &got), EUM_OK);
	assert_int_equal(got.has_conn, 1);
	assert_int_equal(got.conn_len, cn);
	assert_memory_equal(got.conn, conn, cn);
	assert_int_equal(got.has_security, 1);
	assert_int_equal(got.psk_id_len, 11);
	assert_memory_equal(got.psk_id, "my-identity", 11);
	assert_int_equal(got.kvn, 0x41);
	assert_int_equal(got.kid, 0x01);
	assert_int_equal(got.has_retry, 1);
	assert_int_equal(got.retry_count, 5);
	assert_int_equal(got.retry_delay_s, 2 * 3600 + 34 * 60 + 56);
	assert_int_equal(got.report_failure, 1);
	assert_string_equal(got.host, p.host);
	assert_string_equal(got.agent, p.agent);
	assert_string_equal(got.uri, p.uri);
	/* the ISD-R defaults form (83 alone) */
	assert_int_equal(eum_host_smsr_admin_params_build(&p, out, sizeof(out), &n), EUM_OK);
	assert_int_equal(out[0], 0x83);
	memset(&got, 0, sizeof(got));
	assert_int_equal(eum_scp81_parse(out + 3, n - 3, 1, &got), EUM_OK);
	assert_int_equal(got.retry_delay_s, 2 * 3600 + 34 * 60 + 56);
	assert_string_equal(got.uri, p.uri);
}

/* PUT KEY ciphertexts equal the golden values tests/e2e/test_scp81_keys.c feeds the card (independent AES). */
static void test_put_psk_golden(void **state)
{
	struct eum_host_scp80_key kik;
	uint8_t psk[20], apdu[80];
	size_t n, i;

	(void)state;
	memset(&kik, 0, sizeof(kik));
	kik.algo = EUM_HOST_SCP80_ALGO_AES;
	kik.len = 16;
	for (i = 0; i < 16; i++)
		kik.val[i] = (uint8_t)(0x20 + i);
	for (i = 0; i < 16; i++)
		psk[i] = (uint8_t)(0x50 + i);
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x41, 0x01, psk, 16, &kik, apdu, sizeof(apdu), &n), EUM_OK);
	expect_hex(apdu, n, "80D8000114418510B05159C3643927E54547E8A14721D1EB0000");
	for (i = 0; i < 20; i++)
		psk[i] = (uint8_t)(0x60 + i);
	assert_int_equal(eum_host_smsr_put_psk(0x00, 0x43, 0x02, psk, 20, &kik, apdu, sizeof(apdu), &n), EUM_OK);
	expect_hex(apdu, n, "80D8000225438521142602F2F0A58CFBD1CD1A16CFD98BEE327E1DA318109C34D96FFF40C983DAE4C80000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_trigger_example),
	        cmocka_unit_test(test_admin_params_parts),
	        cmocka_unit_test(test_push),
	        cmocka_unit_test(test_put_psk),
	        cmocka_unit_test(test_update_admin_params),
	        cmocka_unit_test(test_card_parses_trigger),
	        cmocka_unit_test(test_put_psk_golden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
