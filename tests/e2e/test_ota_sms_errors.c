/*
 * End-to-end OTA over SMS-PP (3GPP TS 31.111 §7.1.1, ETSI TS 102 225 / TS 31.115, TS 102 226), the
 * refusals and the transports: the card is driven only through eum_card_transmit() as a modem drives
 * it; the OTA server / SM-SR is libeum-host. Counter low/high, unknown TAR, unknown key version, bad
 * padding counter (clear and ciphered), truncated packet, concatenation out of order / duplicate /
 * missing part with expiry by the host clock, RFM access rights and isolation, PoR transports and
 * TERMINAL PROFILE fallbacks, ENVELOPE errors. The vectors and SPI combinations: test_ota_sms.c.
 */
#define _POSIX_C_SOURCE 200809L

#include "ota_e2e.h"
#include "ota_rfm_e2e.h"

#include <mbedtls/aes.h>

static const uint8_t TAR_ISDR[3] = {0x00, 0x00, 0x01};
static const uint8_t TAR_RFM[3] = {0xB0, 0x00, 0x10};

/* ---- targeted refusals -------------------------------------------------------------------------- */

static void base_params(struct eum_host_scp80_params *p, const struct ota_keys *k, const uint8_t tar[3], uint8_t spi1,
                        uint8_t spi2, uint8_t cntr)
{
	memset(p, 0, sizeof(*p));
	p->spi[0] = spi1;
	p->spi[1] = spi2;
	p->kic = p->kid = (uint8_t)(k->kvn << 4 | k->nib);
	memcpy(p->tar, tar, 3);
	p->cntr[4] = cntr;
}

/* Send, expect a PoR in the ENVELOPE response with this status, and an unchanged image. */
static void expect_refusal(eum_card *card, const struct ota_keys *k, const struct eum_host_scp80_params *p,
                           const uint8_t *pkt, size_t plen, uint8_t status)
{
	static uint8_t img0[OTA_IMG_MAX], img1[OTA_IMG_MAX];
	struct eum_host_scp80_por por;
	struct ota_answer a;
	uint8_t work[1024];
	size_t l0 = ota_image(card, img0), l1;

	ota_send_packet(card, pkt, plen, &a);
	assert_int_equal(a.sw, 0x9000);
	assert_true(a.por_len > 0);
	assert_int_equal(ota_parse_por(k, p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, status);
	assert_int_equal(por.data_len, 0);
	l1 = ota_image(card, img1);
	assert_int_equal(l0, l1);
	assert_memory_equal(img0, img1, l0);
}

static size_t build(const struct ota_keys *k, const struct eum_host_scp80_params *p, const uint8_t *s, size_t slen,
                    uint8_t *pkt, size_t cap)
{
	struct eum_host_scp80_keyset ks;
	size_t plen = 0;

	ota_host_keyset(k, &ks);
	assert_int_equal(eum_host_scp80_build_cmd(&ks, p, s, slen, pkt, cap, &plen), EUM_OK);
	return plen;
}

static const uint8_t sel_mf[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};

static void test_counter_and_keys(void **state)
{
	const struct ota_keys *aes = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	struct ota_clock clk = {1000};
	eum_card *card = ota_card_new(&clk);
	uint8_t pkt[512], five[5] = {0, 0, 0, 0, 5};
	size_t plen;

	(void)state;
	ota_terminal_profile(card, NULL, 8);
	ota_prime_counter(card, aes, TAR_RFM, five);
	/* counter higher: 3 < 5 -> 02; 5 = 5 -> 02 */
	base_params(&p, aes, TAR_RFM, 0x16, 0x01, 3);
	plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
	expect_refusal(card, aes, &p, pkt, plen, 0x02);
	base_params(&p, aes, TAR_RFM, 0x16, 0x01, 5);
	plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
	expect_refusal(card, aes, &p, pkt, plen, 0x02);
	/* exactly one higher: 7 -> 03 (high), 5 -> 02 (low) */
	base_params(&p, aes, TAR_RFM, 0x1E, 0x01, 7);
	plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
	expect_refusal(card, aes, &p, pkt, plen, 0x03);
	base_params(&p, aes, TAR_RFM, 0x1E, 0x01, 5);
	plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
	expect_refusal(card, aes, &p, pkt, plen, 0x02);
	/* unknown TAR (no ISD-P 000020, no RFM instance) -> 09 */
	base_params(&p, aes, (const uint8_t *)"\x00\x00\x20", 0x16, 0x01, 9);
	plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
	expect_refusal(card, aes, &p, pkt, plen, 0x09);
	/* the ISD-R below its MSL (CC only, no ciphering) -> 0A */
	base_params(&p, aes, TAR_ISDR, 0x12, 0x01, 9);
	plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
	expect_refusal(card, aes, &p, pkt, plen, 0x0A);
	/* key version 7 is not provisioned: the card cannot decipher -> 06 (TS 102 225: unidentified) */
	{
		struct ota_keys k7 = *aes;
		k7.kvn = 7;
		base_params(&p, &k7, TAR_RFM, 0x16, 0x01, 9);
		plen = build(&k7, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
		expect_refusal(card, &k7, &p, pkt, plen, 0x06);
	}
	/* the ISD-R's key sets are not the RFM's: RFM keys on the ISD-R TAR fail the CC -> 01 */
	{
		struct ota_keys wrong = *ota_keys_by_name("aes256");
		wrong.kvn = 3; /* a key set number the ISD-R has, with other keys */
		base_params(&p, &wrong, TAR_ISDR, 0x16, 0x01, 9);
		plen = build(&wrong, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
		expect_refusal(card, &wrong, &p, pkt, plen, 0x01);
	}
	/* blocked counter: FFFFFFFFFF stored -> 04 */
	{
		uint8_t ff[5] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
		ota_prime_counter(card, aes, TAR_RFM, ff);
		base_params(&p, aes, TAR_RFM, 0x16, 0x01, 9);
		memset(p.cntr, 0xFF, 5);
		plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
		expect_refusal(card, aes, &p, pkt, plen, 0x04);
	}
	eum_card_free(card);
}

static void test_bad_padding_and_truncation(void **state)
{
	const struct ota_keys *aes = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	struct ota_clock clk = {1000};
	/* unsecured and unciphered packets reach the padding checks only below an RFM MSL 00 */
	eum_card *card = ota_card_new_rfm(&clk, 0x16, 0x00, 0x00, 0x00);
	uint8_t pkt[512];
	size_t plen;

	(void)state;
	ota_terminal_profile(card, NULL, 8);
	/* no security at all, PCNTR larger than the data -> 06 */
	base_params(&p, aes, TAR_RFM, 0x00, 0x01, 0);
	plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
	assert_int_equal(pkt[2], 0x0D);
	pkt[15] = 0x40; /* PCNTR */
	expect_refusal(card, aes, &p, pkt, plen, 0x06);
	/* ciphered without CC, PCNTR larger than the data (re-enciphered here with the AES key) -> 05 */
	{
		mbedtls_aes_context ctx;
		uint8_t key[16], iv[16] = {0}, plain[32], body[32];
		size_t blen = 32;

		/* CNTR(5) PCNTR(1) data(7) pad: 32 bytes */
		memset(plain, 0, sizeof(plain));
		plain[5] = 0x30;
		memcpy(plain + 6, sel_mf, sizeof(sel_mf));
		ota_unhex(aes->kic, key, sizeof(key));
		mbedtls_aes_init(&ctx);
		assert_int_equal(mbedtls_aes_setkey_enc(&ctx, key, 128), 0);
		assert_int_equal(mbedtls_aes_crypt_cbc(&ctx, MBEDTLS_AES_ENCRYPT, blen, iv, plain, body), 0);
		mbedtls_aes_free(&ctx);
		memcpy(pkt, "\x00\x2D\x0D\x04\x01\x32\x32\xB0\x00\x10", 10);
		memcpy(pkt + 10, body, blen);
		plen = 10 + blen;
		pkt[1] = (uint8_t)(plen - 2);
		base_params(&p, aes, TAR_RFM, 0x04, 0x01, 0);
		expect_refusal(card, aes, &p, pkt, plen, 0x05);
	}
	/* truncated packet: the last byte lost, CPL no longer matches -> 06 in a clear PoR */
	base_params(&p, aes, TAR_RFM, 0x16, 0x01, 1);
	plen = build(aes, &p, sel_mf, sizeof(sel_mf), pkt, sizeof(pkt));
	expect_refusal(card, aes, &p, pkt, plen - 1, 0x06);
	/* too short for a header: no PoR can be addressed, dropped with 9000 */
	{
		struct ota_answer a;
		ota_send_packet(card, pkt, 8, &a);
		assert_int_equal(a.sw, 0x9000);
		assert_int_equal(a.por_len, 0);
	}
	eum_card_free(card);
}

/* ---- concatenation ------------------------------------------------------------------------------ */

/* A script too long for one SMS: 22 x SELECT MF, then SELECT EF.ICCID and READ BINARY. */
static size_t long_script(uint8_t *s)
{
	size_t n = 0, i;

	for (i = 0; i < 22; i++) {
		memcpy(s + n, sel_mf, sizeof(sel_mf));
		n += sizeof(sel_mf);
	}
	memcpy(s + n, "\x00\xA4\x00\x0C\x02\x2F\xE2\x00\xB0\x00\x00\x0A", 12);
	return n + 12;
}

static void check_long_por(const struct ota_keys *k, const struct eum_host_scp80_params *p, const struct ota_answer *a)
{
	struct eum_host_scp80_por por;
	struct eum_host_sms_script_response sr;
	uint8_t work[1024];

	assert_true(a->por_len > 0);
	assert_int_equal(ota_parse_por(k, p, a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0x00);
	assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
	assert_int_equal(sr.executed, 24);
	assert_int_equal(sr.last_sw, 0x9000);
	assert_int_equal(sr.last_data_len, 10);
}

static void test_concatenation(void **state)
{
	static uint8_t env[8][OTA_MAX_APDU];
	const struct ota_keys *k = ota_keys_by_name("3des2");
	struct eum_host_scp80_params p;
	struct eum_host_scp80_keyset ks;
	struct ota_clock clk = {1000};
	struct ota_answer a;
	uint8_t script[256], pkt[512];
	size_t env_len[8], n, slen, plen = 0;
	eum_card *card = ota_card_new(&clk);

	(void)state;
	ota_terminal_profile(card, NULL, 8);
	slen = long_script(script);
	base_params(&p, k, TAR_RFM, 0x16, 0x19, 1);
	ota_host_keyset(k, &ks);
	assert_int_equal(eum_host_scp80_build_cmd(&ks, &p, script, slen, pkt, sizeof(pkt), &plen), EUM_OK);
	n = ota_envelopes(pkt, plen, env, env_len, 8, 0x42);
	assert_int_equal(n, 2);

	/* out of order: part 2 first */
	{
		size_t order[2] = {1, 0};
		ota_deliver(card, env, env_len, order, 2, &a);
		check_long_por(k, &p, &a);
	}
	/* duplicate part: 1, 1, 2 -> the copy is ignored, the packet runs once (counter 2) */
	p.cntr[4] = 2;
	assert_int_equal(eum_host_scp80_build_cmd(&ks, &p, script, slen, pkt, sizeof(pkt), &plen), EUM_OK);
	n = ota_envelopes(pkt, plen, env, env_len, 8, 0x43);
	{
		size_t order[3] = {0, 0, 1};
		ota_deliver(card, env, env_len, order, 3, &a);
		check_long_por(k, &p, &a);
	}
	/* missing part: part 1 only, then its partner after the expiry -> never runs; a complete
	 * set later runs (counter 3) */
	p.cntr[4] = 3;
	assert_int_equal(eum_host_scp80_build_cmd(&ks, &p, script, slen, pkt, sizeof(pkt), &plen), EUM_OK);
	n = ota_envelopes(pkt, plen, env, env_len, 8, 0x44);
	{
		static uint8_t img0[OTA_IMG_MAX], img1[OTA_IMG_MAX];
		size_t one[1] = {0}, two[1] = {1}, l0, l1;
		uint8_t d[300];
		size_t dl;

		l0 = ota_image(card, img0);
		assert_int_equal(ota_xmit_get(card, env[0], env_len[0], d, &dl), 0x9000);
		assert_int_equal(dl, 0);
		clk.now += 301; /* beyond the reassembly timeout (EUM_SMS_REASM_TIMEOUT_S = 300) */
		assert_int_equal(ota_xmit_get(card, env[1], env_len[1], d, &dl), 0x9000);
		assert_int_equal(dl, 0);
		assert_int_equal(eum_card_proactive_pending(card), 0);
		l1 = ota_image(card, img1);
		assert_int_equal(l0, l1);
		assert_memory_equal(img0, img1, l0); /* nothing ran: the counter did not move */
		/* the orphan part 2 expires as well; a fresh complete set runs */
		clk.now += 301;
		ota_deliver(card, env, env_len, one, 1, &a);
		assert_int_equal(a.por_len, 0);
		ota_deliver(card, env, env_len, two, 1, &a);
		check_long_por(k, &p, &a);
	}
	eum_card_free(card);
}

/* ---- RFM rights, isolation, transports ---------------------------------------------------------- */

static void test_rfm_access_and_isolation(void **state)
{
	/* SELECT ADF.USIM by AID, EF.IMSI (read: PIN1), READ BINARY 9 */
	static const char *imsi_script = "00A4040C10A0000000871002FFFFFFFF8907090000"
	                                 "00A4000C026F07"
	                                 "00B0000009";
	static const char *isdr_script = "00A4040010A0000005591010FFFFFFFF8900000100";
	const struct ota_keys *k = ota_keys_by_name("3des2");
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por por;
	struct eum_host_sms_script_response sr;
	struct ota_clock clk = {1000};
	struct ota_answer a;
	uint8_t s[128], work[1024];
	size_t slen;
	eum_card *card = ota_card_new(&clk);

	(void)state;
	ota_terminal_profile(card, NULL, 8);
	/* the terminal cannot read EF.IMSI without PIN1 */
	assert_int_equal(ota_xmit_hex(card, "00A4040C10A0000000871002FFFFFFFF8907090000", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, "00A4000C026F07", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, "00B0000009", NULL, NULL), 0x6982);
	/* RFM (full access) can */
	slen = ota_unhex(imsi_script, s, sizeof(s));
	base_params(&p, k, TAR_RFM, 0x16, 0x19, 1);
	ota_send(card, k, &p, s, slen, &a);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0);
	assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
	assert_int_equal(sr.executed, 3);
	assert_int_equal(sr.last_sw, 0x9000);
	assert_int_equal(sr.last_data_len, 9);
	assert_memory_equal(sr.last_data, "\x08\x09\x10\x10\x10\x32\x54\x76\x98", 9);
	/* ... and the terminal's session is as it was: still no PIN1, its selection unchanged */
	assert_int_equal(ota_xmit_hex(card, "00B0000009", NULL, NULL), 0x6982);
	/* a remote script stays in its application: selecting the ISD-R from RFM -> 6A82 */
	slen = ota_unhex(isdr_script, s, sizeof(s));
	base_params(&p, k, TAR_RFM, 0x16, 0x19, 2);
	ota_send(card, k, &p, s, slen, &a);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
	assert_int_equal(sr.executed, 1);
	assert_int_equal(sr.last_sw, 0x6A82);
	/* toolkit commands from a remote script are not the terminal's: FETCH / ENVELOPE -> 6D00 */
	slen = ota_unhex("8012000010", s, sizeof(s));
	base_params(&p, k, TAR_RFM, 0x16, 0x19, 3);
	ota_send(card, k, &p, s, slen, &a);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
	assert_int_equal(sr.last_sw, 0x6D00);
	/* an ISD-P TAR (bootstrap ISD-P ...0010..): reached with the ISD-R's keys */
	base_params(&p, k, (const uint8_t *)"\x00\x00\x10", 0x16, 0x19, 4);
	ota_send(card, k, &p, sel_mf, sizeof(sel_mf), &a);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0);
	eum_card_free(card);
}

static void test_por_transport_fallbacks(void **state)
{
	const struct ota_keys *k = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por por;
	struct ota_clock clk = {1000};
	struct ota_answer a;
	uint8_t work[1024], tp[8];
	eum_card *card = ota_card_new(&clk);

	(void)state;
	/* a terminal without SEND SHORT MESSAGE (bit 26): the PoR asked by SMS-SUBMIT comes back in
	 * the ENVELOPE response */
	memset(tp, 0xFF, sizeof(tp));
	tp[3] &= (uint8_t)~0x02;
	ota_terminal_profile(card, tp, sizeof(tp));
	base_params(&p, k, TAR_RFM, 0x16, 0x39, 1);
	ota_send(card, k, &p, sel_mf, sizeof(sel_mf), &a);
	assert_int_equal(a.by_submit, 0);
	assert_true(a.env_len > 0);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0);
	/* with SEND SHORT MESSAGE: a PoR asked in the DELIVER-REPORT that does not fit there goes by
	 * SMS-SUBMIT, and the ENVELOPE response carries a PoR with status 0B */
	ota_terminal_profile(card, NULL, 8);
	base_params(&p, k, TAR_RFM, 0x16, 0x19, 2);
	{
		/* an expanded script keeps every R-APDU: SELECT EF.DIR and four READ RECORDs of 32
		 * bytes make a response of ~150 bytes */
		uint8_t ex[256];
		size_t n = 0, i;
		ex[n++] = 0xAA;
		ex[n++] = 0;
		ex[n++] = 0x22;
		ex[n++] = 7;
		memcpy(ex + n, "\x00\xA4\x00\x0C\x02\x2F\x00", 7);
		n += 7;
		for (i = 0; i < 4; i++) {
			ex[n++] = 0x22;
			ex[n++] = 5;
			memcpy(ex + n, "\x00\xB2\x01\x04\x20", 5);
			n += 5;
		}
		ex[1] = (uint8_t)(n - 2);
		ota_send(card, k, &p, ex, n, &a);
	}
	/* the ENVELOPE response said 0B ... */
	assert_true(a.env_len > 0);
	{
		struct ota_answer short_por = a;
		memcpy(short_por.por, a.env_data + 3, a.env_len - 3);
		short_por.por_len = a.env_len - 3;
		assert_int_equal(ota_parse_por(k, &p, &short_por, work, sizeof(work), &por), EUM_OK);
		assert_int_equal(por.status, 0x0B);
		assert_int_equal(por.data_len, 0);
	}
	/* ... and the full PoR came by SEND SHORT MESSAGE */
	assert_int_equal(a.by_submit, 1);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0x00);
	assert_true(por.data_len > 128);
	assert_int_equal(por.data[0], 0xAB);
	eum_card_free(card);
}

static void test_envelope_errors(void **state)
{
	struct ota_clock clk = {1000};
	eum_card *card = ota_card_new(&clk);

	(void)state;
	/* P1-P2 must be 0000 */
	assert_int_equal(ota_xmit_hex(card, "80C2000109D60799010382028281", NULL, NULL), 0x6A86);
	/* unknown template */
	assert_int_equal(ota_xmit_hex(card, "80C2000004E0020000", NULL, NULL), 0x6A80);
	/* D1 without SMS TPDU */
	assert_int_equal(ota_xmit_hex(card, "80C2000006D104820283 81", NULL, NULL), 0x6A80);
	/* call control: allowed, no modification */
	assert_int_equal(ota_xmit_hex(card, "80C2000009D4078202828186020000", NULL, NULL), 0x9000);
	/* a well-formed SMS-PP download that is no OTA packet (PID 00): acknowledged */
	assert_int_equal(ota_xmit_hex(card,
	                              "80C2000023D1218202838186039144778B160008912143658700042270520000000005"
	                              "48656C6C6F",
	                              NULL, NULL),
	                 0x9000);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_counter_and_keys),        cmocka_unit_test(test_bad_padding_and_truncation),
	        cmocka_unit_test(test_concatenation),           cmocka_unit_test(test_rfm_access_and_isolation),
	        cmocka_unit_test(test_por_transport_fallbacks), cmocka_unit_test(test_envelope_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
