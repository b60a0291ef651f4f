/*
 * Replay protection of the ISD-R and ISD-P TARs (ETSI TS 102 225 §5.1.1 counters, TS 102 226
 * §8.2.1.3.2.4.2 minimum security level), through ENVELOPEs as a modem delivers them, with the
 * packets built by libeum-host: the default MSL 16 (eum_config.isdr_msl) refuses a packet without
 * a higher counter, so the same packet never runs twice; the MSL is configurable.
 */
#include "ota_e2e.h"

static const uint8_t TAR_ISDR[3] = {0x00, 0x00, 0x01};
static const uint8_t TAR_ISDP1[3] = {0x00, 0x00, 0x10}; /* the bootstrap ISD-P (SGP.02 Annex H) */

/* GET STATUS of the ISD-Ps (GPCS §11.4, SGP.02 §4.1.1.8): executes on the ISD-R and the ISD-P alike. */
static const uint8_t get_status[] = {0x80, 0xF2, 0x40, 0x02, 0x02, 0x4F, 0x00}; /* compact: no Le */

static void params(struct eum_host_scp80_params *p, const struct ota_keys *k, const uint8_t tar[3], uint8_t spi1,
                   uint8_t cntr)
{
	memset(p, 0, sizeof(*p));
	p->spi[0] = spi1;
	p->spi[1] = 0x01; /* PoR always, in the DELIVER-REPORT, unsecured */
	p->kic = p->kid = (uint8_t)(k->kvn << 4 | k->nib);
	memcpy(p->tar, tar, 3);
	p->cntr[4] = cntr;
}

/* Send a packet; returns the PoR status, *executed = commands the script ran (0 when refused). */
static uint8_t send_pkt(eum_card *card, const struct ota_keys *k, const struct eum_host_scp80_params *p,
                        const uint8_t *pkt, size_t plen, unsigned *executed)
{
	struct eum_host_scp80_por por;
	struct eum_host_sms_script_response sr;
	struct ota_answer a;
	uint8_t work[1024];

	ota_send_packet(card, pkt, plen, &a);
	assert_int_equal(a.sw, 0x9000);
	assert_true(a.por_len > 0);
	assert_int_equal(ota_parse_por(k, p, &a, work, sizeof(work), &por), EUM_OK);
	*executed = 0;
	if (por.status == 0x00) {
		assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
		*executed = sr.executed;
	} else {
		assert_int_equal(por.data_len, 0);
	}
	return por.status;
}

static size_t build(const struct ota_keys *k, const struct eum_host_scp80_params *p, uint8_t *pkt, size_t cap)
{
	struct eum_host_scp80_keyset ks;
	size_t plen = 0;

	ota_host_keyset(k, &ks);
	assert_int_equal(eum_host_scp80_build_cmd(&ks, p, get_status, sizeof(get_status), pkt, cap, &plen), EUM_OK);
	return plen;
}

static eum_card *card_with_msl(int set, uint8_t msl)
{
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	if (set)
		cfg.isdr_msl = msl;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(card, NULL, 8);
	return card;
}

/* The same packet twice: the first runs, the replay is refused with "counter low" (02) for the
 * ISD-R and for an ISD-P reached through its keys; a packet without a counter is below the MSL (0A). */
static void test_default_msl_refuses_replay(void **state)
{
	static const uint8_t *const tars[] = {TAR_ISDR, TAR_ISDP1};
	const struct ota_keys *aes = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	uint8_t pkt[512];
	unsigned executed;
	size_t plen, i;

	(void)state;
	for (i = 0; i < 2; i++) {
		eum_card *card = card_with_msl(0, 0);
		/* the replayed packet of the issue: SPI1 06 (no counter), executed each time it came */
		params(&p, aes, tars[i], 0x06, 0);
		plen = build(aes, &p, pkt, sizeof(pkt));
		assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x0A);
		assert_int_equal(executed, 0);
		/* counter mode "no check" is below the MSL too */
		params(&p, aes, tars[i], 0x0E, 1);
		plen = build(aes, &p, pkt, sizeof(pkt));
		assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x0A);
		/* with a higher counter: runs once, the same bytes again are refused */
		params(&p, aes, tars[i], 0x16, 1);
		plen = build(aes, &p, pkt, sizeof(pkt));
		assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x00);
		assert_int_equal(executed, 1);
		assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x02);
		assert_int_equal(executed, 0);
		/* counter "exactly one higher" also meets the MSL (b5b4 11 >= 10) */
		params(&p, aes, tars[i], 0x1E, 2);
		plen = build(aes, &p, pkt, sizeof(pkt));
		assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x00);
		assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x02);
		eum_card_free(card);
	}
}

/* eum_config.isdr_msl: an issuer that wants the old behaviour (MSL 06) gets it, an MSL with
 * reserved bits is refused at manufacture. */
static void test_msl_configurable(void **state)
{
	const struct ota_keys *aes = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	eum_config cfg;
	eum_card *card;
	uint8_t pkt[512];
	unsigned executed;
	size_t plen;

	(void)state;
	card = card_with_msl(1, 0x06);
	params(&p, aes, TAR_ISDR, 0x06, 0);
	plen = build(aes, &p, pkt, sizeof(pkt));
	assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x00);
	assert_int_equal(executed, 1);
	/* CC without ciphering stays below 06 */
	params(&p, aes, TAR_ISDR, 0x02, 0);
	plen = build(aes, &p, pkt, sizeof(pkt));
	assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x0A);
	eum_card_free(card);

	/* counter "exactly +1" required: "higher" is not enough */
	card = card_with_msl(1, 0x1E);
	params(&p, aes, TAR_ISDR, 0x16, 1);
	plen = build(aes, &p, pkt, sizeof(pkt));
	assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x0A);
	params(&p, aes, TAR_ISDR, 0x1E, 1);
	plen = build(aes, &p, pkt, sizeof(pkt));
	assert_int_equal(send_pkt(card, aes, &p, pkt, plen, &executed), 0x00);
	eum_card_free(card);

	eum_config_init(&cfg);
	assert_int_equal(cfg.isdr_msl, 0x16);
	cfg.isdr_msl = 0x26;
	card = NULL;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
	assert_null(card);
}

/* A command packet of 1,431 octets (eleven concatenated SMS): over the old fixed 1,024-octet bound
 * (6A84), within the default eum_config.sms_reassembly_max (4096); a card configured with 1,024
 * refuses it with 6A84 again. */
static void run_big_packet(size_t max, uint16_t want_sw)
{
	const struct ota_keys *aes = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	struct eum_host_scp80_keyset ks;
	struct eum_host_sms_deliver_params dp;
	struct eum_host_scp80_por por;
	struct eum_host_sms_script_response sr;
	static uint8_t script[1400], pkt[2048], env[16][OTA_MAX_APDU], out[512], work[1024];
	size_t slen = 0, plen = 0, n = 0, elen, i, olen = 0;
	uint16_t sw = 0;
	eum_config cfg;
	eum_card *card = NULL;

	for (i = 0; i < 200; i++, slen += sizeof(get_status))
		memcpy(script + slen, get_status, sizeof(get_status));
	eum_config_init(&cfg);
	if (max)
		cfg.sms_reassembly_max = max;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(card, NULL, 8);
	params(&p, aes, TAR_ISDR, 0x16, 1);
	ota_host_keyset(aes, &ks);
	assert_int_equal(eum_host_scp80_build_cmd(&ks, &p, script, slen, pkt, sizeof(pkt), &plen), EUM_OK);
	assert_true(plen > 1024);
	eum_host_sms_deliver_params_init(&dp);
	assert_int_equal(eum_host_sms_envelope_count(&dp, plen, &n), EUM_OK);
	assert_true(n > 8 && n <= 16);
	for (i = 0; i < n; i++) {
		assert_int_equal(eum_host_sms_build_envelope(&dp, pkt, plen, i, env[i], OTA_MAX_APDU, &elen), EUM_OK);
		sw = ota_xmit_get(card, env[i], elen, out, &olen);
		if (sw != 0x9000)
			break; /* the part that no longer fits is refused (6A84) and the set dropped */
		if (i + 1 < n)
			assert_int_equal(olen, 0);
	}
	assert_int_equal(sw, want_sw);
	if (want_sw == 0x9000) {
		struct ota_answer a;
		memset(&a, 0, sizeof(a));
		assert_true(olen > 3);
		memcpy(a.por, out + 3, olen - 3);
		a.por_len = olen - 3;
		assert_int_equal(ota_parse_por(aes, &p, &a, work, sizeof(work), &por), EUM_OK);
		assert_int_equal(por.status, 0x00);
		assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
		assert_int_equal(sr.executed, 200);
	}
	eum_card_free(card);
}

static void test_big_concatenated_packet(void **state)
{
	eum_config cfg;
	eum_card *card = NULL;

	(void)state;
	run_big_packet(0, 0x9000);
	run_big_packet(1024, 0x6A84);
	eum_config_init(&cfg);
	assert_int_equal(cfg.sms_reassembly_max, 4096);
	cfg.sms_reassembly_max = 100;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
	cfg.sms_reassembly_max = 70000;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_default_msl_refuses_replay),
	        cmocka_unit_test(test_msl_configurable),
	        cmocka_unit_test(test_big_concatenated_packet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
