/*
 * End-to-end OTA over SMS-PP (3GPP TS 31.111 §7.1.1, ETSI TS 102 225 / TS 31.115, TS 102 226):
 * the card is driven only through eum_card_transmit() as a modem drives it; the OTA server /
 * SM-SR is libeum-host. Checks:
 *  - every scp80.json cases[] entry for TAR 000001 (ISD-R) or B00010 (the default card's RFM),
 *    replayed as its own ENVELOPE APDU (tests/data/sms/scp80_sms_vectors.txt) on a fresh card:
 *    accepted, the PoR (in the ENVELOPE response or by SEND SHORT MESSAGE, as SPI2 asks)
 *    decodes and verifies with the host parser, status 00, and for RFM the compact response
 *    equals what the same APDUs give on the terminal interface of a fresh card;
 *  - every negative[] entry answers its status code in a PoR and leaves the card image byte
 *    identical (except the counter of the accepted first step of the replay sequence);
 *  - every SPI / KIc / KID combination round-trips (host builder -> ENVELOPE -> card -> PoR ->
 *    host parser), the ISD-R's minimum security level answered with 0A;
 *  - refusals, concatenation, RFM rights and PoR transports: test_ota_sms_errors.c.
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r */

#include "ota_e2e.h"
#include "ota_rfm_e2e.h"

static const uint8_t TAR_ISDR[3] = {0x00, 0x00, 0x01};
static const uint8_t TAR_RFM[3] = {0xB0, 0x00, 0x10};

/* ---- data files ------------------------------------------------------------------------------ */

#define MAX_RECS   64
#define MAX_FIELDS 20

struct rec {
	char kind[16];
	int n;
	char *key[MAX_FIELDS];
	char *val[MAX_FIELDS];
	char line[4096];
};

static struct rec recs[MAX_RECS];
static int nrecs;

static void load_scp80_data(void)
{
	char path[512], line[4096];
	FILE *f;

	if (nrecs)
		return;
	snprintf(path, sizeof(path), "%s/scp80/scp80.data", EUM_TEST_DATA_DIR);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct rec *r;
		char *p, *save = NULL;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(nrecs < MAX_RECS);
		r = &recs[nrecs++];
		memcpy(r->line, line, sizeof(line));
		r->line[strcspn(r->line, "\n")] = 0;
		p = strtok_r(r->line, " ", &save);
		snprintf(r->kind, sizeof(r->kind), "%s", p);
		while ((p = strtok_r(NULL, " ", &save)) != NULL) {
			char *eq = strchr(p, '=');
			assert_non_null(eq);
			assert_true(r->n < MAX_FIELDS);
			*eq = 0;
			r->key[r->n] = p;
			r->val[r->n++] = eq + 1;
		}
	}
	fclose(f);
}

static const char *field(const struct rec *r, const char *key)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->key[i], key))
			return r->val[i];
	return NULL;
}

/* The envelope_apdu of a cases[] entry, from tests/data/sms/scp80_sms_vectors.txt. */
static size_t vector_envelope(const char *name, uint8_t *out, size_t cap)
{
	char path[512], line[4096];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sms/scp80_sms_vectors.txt", EUM_TEST_DATA_DIR);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *tok[6], *save = NULL;
		int k = 0;

		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = 0;
		for (tok[k] = strtok_r(line, " ", &save); tok[k] && k < 5; tok[++k] = strtok_r(NULL, " ", &save))
			;
		if (k == 5 && !strcmp(tok[0], name)) {
			n = ota_unhex(tok[4], out, cap);
			break;
		}
	}
	fclose(f);
	assert_true(n > 0);
	return n;
}

/* Split "a,b,c" hex APDUs. */
static size_t split_apdus(const char *list, uint8_t apdus[][OTA_MAX_APDU], size_t *lens, size_t max)
{
	char buf[1024], *p, *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		assert_true(n < max);
		lens[n] = ota_unhex(p, apdus[n], OTA_MAX_APDU);
		n++;
	}
	return n;
}

static void params_from(const struct rec *r, const struct ota_keys *k, struct eum_host_scp80_params *p)
{
	memset(p, 0, sizeof(*p));
	ota_unhex(field(r, "spi"), p->spi, 2);
	ota_unhex(field(r, "kic"), &p->kic, 1);
	ota_unhex(field(r, "kid"), &p->kid, 1);
	ota_unhex(field(r, "tar"), p->tar, 3);
	ota_unhex(field(r, "cntr"), p->cntr, 5);
	(void)k;
}

/* TS 102 226 §5: the status words that let a script go on (warnings included). */
static int sw_continues(uint16_t sw)
{
	uint8_t s1 = (uint8_t)(sw >> 8);

	return sw == 0x9000 || s1 == 0x91 || s1 == 0x92 || s1 == 0x61 || s1 == 0x9F || s1 == 0x62 || s1 == 0x63;
}

/* The compact response the terminal interface gives for the same T=0 APDUs: number of commands,
 * SW of the last (61xx when its data waits for GET RESPONSE), its data (case 2). */
static size_t reference_compact(uint8_t apdus[][OTA_MAX_APDU], const size_t *lens, size_t n, uint8_t *out)
{
	struct ota_clock clk = {1000};
	eum_card *card = ota_card_new(&clk);
	uint8_t data[300];
	size_t dlen = 0, i;
	uint16_t sw = 0;

	for (i = 0; i < n; i++) {
		sw = ota_xmit(card, apdus[i], lens[i], data, &dlen);
		if (!sw_continues(sw)) {
			i++;
			break;
		}
	}
	eum_card_free(card);
	out[0] = (uint8_t)i;
	out[1] = (uint8_t)(sw >> 8);
	out[2] = (uint8_t)sw;
	memcpy(out + 3, data, dlen);
	return 3 + dlen;
}

/* ---- cases[] ---------------------------------------------------------------------------------- */

static void test_vector_cases(void **state)
{
	static uint8_t img0[OTA_IMG_MAX], img1[OTA_IMG_MAX];
	int i, ran = 0;

	(void)state;
	load_scp80_data();
	for (i = 0; i < nrecs; i++) {
		const struct rec *r = &recs[i];
		const struct ota_keys *k;
		struct eum_host_scp80_params p;
		struct eum_host_scp80_por por;
		struct eum_host_sms_script_response sr;
		struct ota_answer a;
		struct ota_clock clk = {1000};
		uint8_t env[OTA_MAX_APDU], apdus[8][OTA_MAX_APDU], ref[300], work[1024];
		size_t lens[8], napdu, elen, l0, l1, rlen;
		uint8_t cmode, por_mode;
		eum_card *card;

		if (strcmp(r->kind, "case") != 0)
			continue;
		if (strcmp(field(r, "tar"), "000001") != 0 && strcmp(field(r, "tar"), "b00010") != 0)
			continue;
		k = ota_keys_by_name(field(r, "keyset"));
		assert_non_null(k);
		params_from(r, k, &p);
		napdu = split_apdus(field(r, "apdus"), apdus, lens, 8);
		elen = vector_envelope(field(r, "name"), env, sizeof(env));
		cmode = (p.spi[0] >> 3) & 3;
		por_mode = p.spi[1] & 3;

		/* the vectors carry any SPI: a card whose TARs accept them all (MSL 00) */
		card = ota_card_new_rfm(&clk, 0x00, 0x00, 0x00, 0x00);
		ota_terminal_profile(card, NULL, 8);
		if (cmode == 3) {
			/* "exactly one higher": the card must stand one below the vector's counter */
			uint8_t below[5];
			int j;
			memcpy(below, p.cntr, 5);
			for (j = 4; j >= 0 && below[j]-- == 0; j--)
				;
			ota_prime_counter(card, k, p.tar, below);
		}
		l0 = ota_image(card, img0);
		{
			size_t order[1] = {0};
			uint8_t e[1][OTA_MAX_APDU];
			memcpy(e[0], env, elen);
			ota_deliver(card, e, &elen, order, 1, &a);
		}
		if (por_mode == 0) {
			print_message("%s: no PoR\n", field(r, "name"));
			assert_int_equal(a.sw, 0x9000);
			assert_int_equal(a.por_len, 0);
		} else {
			assert_true(a.por_len > 0);
			/* SPI2 b6 says where the PoR goes */
			assert_int_equal(a.by_submit, (p.spi[1] & 0x20) != 0);
			if (a.by_submit) {
				assert_string_equal(a.sm_da, "12345678"); /* TP-OA of the vector's SMS-DELIVER */
				assert_int_equal(a.sm_pid, 0x7F);
				assert_int_equal(a.sm_dcs, 0xF6);
				assert_int_equal(a.env_len, 0);
			}
			assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
			assert_int_equal(por.status, 0x00);
			assert_memory_equal(por.tar, p.tar, 3);
			assert_memory_equal(por.cntr, p.cntr, 5);
			assert_int_equal(por.secured, 1);
			assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
			if (!memcmp(p.tar, TAR_RFM, 3)) {
				rlen = reference_compact(apdus, lens, napdu, ref);
				assert_int_equal(por.data_len, rlen);
				assert_memory_equal(por.data, ref, rlen);
				assert_int_equal(sr.executed, napdu);
			} else {
				/* ISD-R: the script ran on the ISD-R (what GET STATUS answers is the ISD-R's business)
				 */
				assert_true(sr.executed >= 1);
			}
			print_message("%s: PoR status 00, %u command(s), last SW %04X\n", field(r, "name"), sr.executed,
			              sr.last_sw);
		}
		/* persistent state: only a checked counter moves (modes 10 / 11) */
		l1 = ota_image(card, img1);
		if (cmode >= 2) {
			struct ota_answer again;
			size_t order[1] = {0};
			uint8_t e[1][OTA_MAX_APDU];
			assert_false(l0 == l1 && !memcmp(img0, img1, l0));
			/* the same packet again is a replay: refused, nothing moves */
			memcpy(e[0], env, elen);
			ota_deliver(card, e, &elen, order, 1, &again);
			l0 = ota_image(card, img0);
			assert_int_equal(l0, l1);
			assert_memory_equal(img0, img1, l0);
			if (por_mode != 0) {
				assert_int_equal(ota_parse_por(k, &p, &again, work, sizeof(work), &por), EUM_OK);
				assert_int_equal(por.status, 0x02);
			}
		} else {
			assert_int_equal(l0, l1);
			assert_memory_equal(img0, img1, l0);
		}
		eum_card_free(card);
		ran++;
	}
	assert_int_equal(ran, 12); /* all cases but the two on TARs the default card does not have */
}

/* ---- negative[] ------------------------------------------------------------------------------- */

static void test_vector_negative(void **state)
{
	static uint8_t img0[OTA_IMG_MAX], img1[OTA_IMG_MAX];
	struct ota_clock clk = {1000};
	eum_card *card = NULL;
	int i, ran = 0;

	(void)state;
	load_scp80_data();
	for (i = 0; i < nrecs; i++) {
		const struct rec *r = &recs[i];
		const struct ota_keys *k;
		const char *name, *stored, *hash;
		struct eum_host_scp80_params p;
		struct eum_host_scp80_por por;
		struct ota_answer a;
		uint8_t pkt[512], work[1024], status;
		size_t plen, l0, l1;

		if (strcmp(r->kind, "negative") != 0)
			continue;
		name = field(r, "name");
		k = ota_keys_by_name(field(r, "keyset"));
		assert_non_null(k);
		plen = ota_unhex(field(r, "packet"), pkt, sizeof(pkt));
		ota_unhex(field(r, "status"), &status, 1);
		hash = strchr(name, '#');
		/* a sequence (name#n) runs its steps on one card */
		if (!hash || !strcmp(hash, "#1")) {
			if (card)
				eum_card_free(card);
			card = ota_card_new_rfm(&clk, 0x00, 0x00, 0x00, 0x00); /* any SPI, as above */
			ota_terminal_profile(card, NULL, 8);
			stored = field(r, "stored");
			if (strcmp(stored, "-") != 0) {
				uint8_t v[5];
				ota_unhex(stored, v, 5);
				ota_prime_counter(card, k, TAR_RFM, v);
			}
		}
		memset(&p, 0, sizeof(p));
		memcpy(p.spi, pkt + 3, 2);
		p.kic = pkt[5];
		p.kid = pkt[6];
		memcpy(p.tar, pkt + 7, 3);
		l0 = ota_image(card, img0);
		ota_send_packet(card, pkt, plen, &a);
		assert_true(a.por_len > 0); /* every negative case asks for a PoR (SPI2 b2b1 = 01) */
		assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
		print_message("%s: PoR status %02X (expected %02X), secured %d\n", name, por.status, status,
		              por.secured);
		assert_int_equal(por.status, status);
		assert_memory_equal(por.tar, p.tar, 3);
		l1 = ota_image(card, img1);
		if (status == 0x00) {
			/* the accepted step of the sequence moves the counter, and only that */
			assert_int_equal(l0, l1);
			assert_false(!memcmp(img0, img1, l0));
		} else {
			assert_int_equal(l0, l1);
			assert_memory_equal(img0, img1, l0);
			assert_int_equal(por.data_len, 0);
		}
		ran++;
	}
	if (card)
		eum_card_free(card);
	assert_int_equal(ran, 7);
}

/* ---- every SPI / KIc / KID combination ---------------------------------------------------------- */

static void check_roundtrip(eum_card *card, const struct ota_keys *k, const uint8_t tar[3], uint8_t msl,
                            uint8_t stored[5], unsigned *count)
{
	/* SELECT EF.ICCID (no response data) + READ BINARY: a PoR with data */
	static const uint8_t script[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x2F, 0xE2, 0x00, 0xB0, 0x00, 0x00, 0x0A};
	unsigned cm, ciph, ic, pm, pic, pciph, psub;

	for (cm = 0; cm < 4; cm++)
		for (ciph = 0; ciph < 2; ciph++)
			for (ic = 0; ic < 3; ic++)
				for (pm = 0; pm < 3; pm++)
					for (pic = 0; pic < 3; pic++)
						for (pciph = 0; pciph < 2; pciph++)
							for (psub = 0; psub < 2; psub++) {
								struct eum_host_scp80_params p;
								struct eum_host_scp80_por por;
								struct eum_host_sms_script_response sr;
								struct ota_answer a;
								uint8_t work[1024], expect;
								int j, msl_ok;

								/* an RC on the PoR is produced with the command's RC
								 * coding; keep RC with RC */
								if (pic == 1 && ic != 1)
									continue;
								memset(&p, 0, sizeof(p));
								p.spi[0] = (uint8_t)(cm << 3 | ciph << 2 | ic);
								p.spi[1] = (uint8_t)(psub << 5 | pciph << 4 | pic << 2 |
								                     pm);
								p.kic = (uint8_t)(k->kvn << 4 | k->nib);
								p.kid = ic == 1 ? (uint8_t)(k->kvn << 4 |
								                            0x5) /* CRC32 */
								                : (uint8_t)(k->kvn << 4 | k->nib);
								memcpy(p.tar, tar, 3);
								memcpy(p.cntr, stored, 5);
								for (j = 4; j >= 0 && ++p.cntr[j] == 0; j--)
									;
								msl_ok = (!(msl & 4) || ciph) && ic >= (msl & 3) &&
								         cm >= ((msl >> 3) & 3);
								expect = msl_ok ? 0x00 : 0x0A;
								ota_send(card, k, &p, script, sizeof(script), &a);
								(*count)++;
								if (!(pm == 1 || (pm == 2 && expect != 0))) {
									assert_int_equal(a.por_len, 0);
									assert_int_equal(a.sw, 0x9000);
								} else {
									assert_true(a.por_len > 0);
									if (expect == 0)
										assert_int_equal(a.by_submit, psub);
									if (ota_parse_por(k, &p, &a, work, sizeof(work),
									                  &por) != EUM_OK)
										fail_msg("%s SPI %02X%02X: PoR does "
										         "not verify",
										         k->name, p.spi[0], p.spi[1]);
									assert_int_equal(por.status, expect);
									if (expect == 0) {
										/* the counter is echoed (a refused
										 * packet may not have been deciphered)
										 */
										assert_memory_equal(por.cntr, p.cntr,
										                    5);
										assert_int_equal(por.secured, 1);
										assert_int_equal(
										        eum_host_sms_script_parse_response(
										                por.data, por.data_len,
										                0, &sr),
										        EUM_OK);
										if (!memcmp(tar, TAR_RFM, 3)) {
											assert_int_equal(sr.executed,
											                 2);
											assert_int_equal(sr.last_sw,
											                 0x9000);
											assert_int_equal(
											        sr.last_data_len, 10);
											/* EF.ICCID of the default card:
											 * 8988211000000000011 */
											assert_memory_equal(
											        sr.last_data,
											        "\x98\x88\x12\x01\x00"
											        "\x00\x00\x00\x10\xF1",
											        10);
										}
									} else {
										assert_int_equal(por.data_len, 0);
									}
								}
								/* the counter moved iff it was checked and the packet
								 * accepted */
								if (expect == 0 && cm >= 2)
									memcpy(stored, p.cntr, 5);
							}
}

static void test_all_spi_combinations(void **state)
{
	static const char *rfm_sets[] = {"3des2", "3des3", "aes128", "aes256", "des"};
	static const char *isdr_sets[] = {"3des2", "aes128"};
	unsigned count = 0;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rfm_sets) / sizeof(rfm_sets[0]); i++) {
		struct ota_clock clk = {1000};
		eum_card *card = ota_card_new(&clk);
		uint8_t stored[5] = {0};
		ota_terminal_profile(card, NULL, 8);
		/* the bootstrap RFM's minimum security level is 16 (examples/profiles/bootstrap.conf) */
		check_roundtrip(card, ota_keys_by_name(rfm_sets[i]), TAR_RFM, 0x16, stored, &count);
		eum_card_free(card);
	}
	for (i = 0; i < sizeof(isdr_sets) / sizeof(isdr_sets[0]); i++) {
		struct ota_clock clk = {1000};
		eum_card *card = ota_card_new(&clk);
		uint8_t stored[5] = {0};
		ota_terminal_profile(card, NULL, 8);
		/* the ISD-R's default minimum security level is 16: higher counter, ciphering and CC */
		check_roundtrip(card, ota_keys_by_name(isdr_sets[i]), TAR_ISDR, 0x16, stored, &count);
		eum_card_free(card);
	}
	print_message("%u packets round-tripped\n", count);
	assert_true(count > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_vector_cases),
	        cmocka_unit_test(test_vector_negative),
	        cmocka_unit_test(test_all_spi_combinations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
