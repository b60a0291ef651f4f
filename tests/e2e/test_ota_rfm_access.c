/*
 * Remote file management honours its minimum security level and its access domains (ETSI TS 102 226
 * §8.2.1.3.2.4.2 MSL, §8.2.1.3.2.5 access domains; SAIP PE-RFM uiccAccessDomain /
 * uiccAdminAccessDomain), through ENVELOPEs as a modem delivers them, packets built by libeum-host.
 *
 * The reproduction of issue 16: a modem that cannot UPDATE EF.IMSI (6982 after PIN1) sent an
 * unsecured ENVELOPE (SPI 0000) to the bootstrap RFM TAR B00010 and the update ran, because the RFM's
 * MSL was 00 and every script ran with every PIN treated as verified.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp (ota_rfm_e2e.h) */
#include "ota_e2e.h"
#include "ota_rfm_e2e.h"

#include "core/card.h"
#include "profile/profile.h"
#include "store/store.h"

static const uint8_t TAR_RFM[3] = {0xB0, 0x00, 0x10};
static const char IMSI_NEW[] = "0809101010325476FF"; /* 9 bytes, differs from the default IMSI */
static const char IMSI_OLD[] = "080910101032547698";

#define SEL_USIM "00A4040C10A0000000871002FFFFFFFF8907090000"
#define SEL_IMSI "00A4000C026F07"

struct rfm {
	eum_card *card;
	uint8_t cntr;
};

/* A secured packet (SPI 16 01: higher counter, ciphered, CC; PoR always) with a compact script;
 * returns the PoR status, the script's executed count and last SW. */
static uint8_t rfm_run(struct rfm *t, const char *script_hex, unsigned *executed, uint16_t *last_sw)
{
	const struct ota_keys *k = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por por;
	struct eum_host_sms_script_response sr;
	struct ota_answer a;
	uint8_t script[256], work[1024];
	size_t slen = ota_unhex(script_hex, script, sizeof(script));

	memset(&p, 0, sizeof(p));
	p.spi[0] = 0x16;
	p.spi[1] = 0x01;
	p.kic = p.kid = (uint8_t)(k->kvn << 4 | k->nib);
	memcpy(p.tar, TAR_RFM, 3);
	p.cntr[4] = ++t->cntr;
	ota_send(t->card, k, &p, script, slen, &a);
	assert_true(a.por_len > 0);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	*executed = 0;
	*last_sw = 0;
	if (por.status == 0) {
		assert_int_equal(eum_host_sms_script_parse_response(por.data, por.data_len, 0, &sr), EUM_OK);
		*executed = sr.executed;
		*last_sw = sr.last_sw;
	}
	return por.status;
}

/* EF.IMSI as the modem reads it (after VERIFY PIN1 "1234"). */
static void imsi_is(eum_card *card, const char *hex)
{
	uint8_t want[9], got[9];
	size_t n = 0;

	ota_unhex(hex, want, sizeof(want));
	assert_int_equal(ota_xmit_hex(card, "0020000108 31323334FFFFFFFF", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, SEL_USIM, NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, SEL_IMSI, NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, "00B0000009", got, &n), 0x9000);
	assert_int_equal(n, 9);
	assert_memory_equal(got, want, 9);
}

/* The reproduction: the modem cannot update EF.IMSI itself, nor through an unsecured packet. */
static void test_unsecured_envelope_refused(void **state)
{
	static const char script[] = SEL_USIM SEL_IMSI "00D6000009"
	                                               "0809101010325476FF";
	struct eum_host_scp80_params p;
	struct eum_host_scp80_keyset ks;
	struct ota_answer a;
	uint8_t s[128], pkt[256];
	size_t slen, plen = 0;
	eum_card *card = ota_card_new(NULL);

	(void)state;
	ota_terminal_profile(card, NULL, 8);
	assert_int_equal(ota_xmit_hex(card, "0020000108 31323334FFFFFFFF", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, SEL_USIM, NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, SEL_IMSI, NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, "00D6000009 0809101010325476FF", NULL, NULL), 0x6982);
	/* SPI 00 00, KIc/KID 00, TAR B00010: no security, no PoR */
	memset(&p, 0, sizeof(p));
	memcpy(p.tar, TAR_RFM, 3);
	memset(&ks, 0, sizeof(ks));
	slen = ota_unhex(script, s, sizeof(s));
	assert_int_equal(eum_host_scp80_build_cmd(&ks, &p, s, slen, pkt, sizeof(pkt), &plen), EUM_OK);
	ota_send_packet(card, pkt, plen, &a);
	assert_int_equal(a.sw, 0x9000); /* TS 102 225: discarded, no PoR asked for */
	assert_int_equal(a.por_len, 0);
	imsi_is(card, IMSI_OLD);
	/* with a PoR requested: status 0A (below the minimum security level) */
	p.spi[1] = 0x01;
	assert_int_equal(eum_host_scp80_build_cmd(&ks, &p, s, slen, pkt, sizeof(pkt), &plen), EUM_OK);
	ota_send_packet(card, pkt, plen, &a);
	assert_true(a.por_len > 12);
	assert_int_equal(a.por[12], 0x0A); /* RPL(2) RHL(1) TAR(3) CNTR(5) PCNTR(1), status */
	imsi_is(card, IMSI_OLD);
	eum_card_free(card);
}

/* A packet that meets the MSL runs with the access domain of the instance: 00 (the bootstrap's) can
 * update EF.IMSI (UPDATE condition ADM1, which the modem never verified). */
static void test_full_access_domain(void **state)
{
	struct rfm t = {NULL, 0};
	unsigned n;
	uint16_t sw;

	(void)state;
	t.card = ota_card_new(NULL);
	ota_terminal_profile(t.card, NULL, 8);
	assert_int_equal(rfm_run(&t,
	                         SEL_USIM SEL_IMSI "00D6000009"
	                                           "0809101010325476FF",
	                         &n, &sw),
	                 0x00);
	assert_int_equal(n, 3);
	assert_int_equal(sw, 0x9000);
	imsi_is(t.card, IMSI_NEW);
	eum_card_free(t.card);
}

/* Access domain FF (no access), from the profile package: nothing is read or written, even ALW. */
static void test_no_access_domain(void **state)
{
	struct rfm t = {NULL, 0};
	unsigned n;
	uint16_t sw;

	(void)state;
	t.card = ota_card_new_rfm(NULL, 0x16, 0x16, 0xFF, 0xFF);
	ota_terminal_profile(t.card, NULL, 8);
	assert_int_equal(rfm_run(&t,
	                         SEL_USIM SEL_IMSI "00D6000009"
	                                           "0809101010325476FF",
	                         &n, &sw),
	                 0x00);
	assert_int_equal(n, 3);
	assert_int_equal(sw, 0x6982);
	assert_int_equal(rfm_run(&t, "00A4000C022FE2 00B000000A", &n, &sw), 0x00); /* EF.ICCID: READ ALW */
	assert_int_equal(n, 2);
	assert_int_equal(sw, 0x6982);
	imsi_is(t.card, IMSI_OLD);
	/* the modem's own access is untouched by the script */
	assert_int_equal(ota_xmit_hex(t.card, "00A4000C023F00", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(t.card, "00A4000C022FE2", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(t.card, "00B000000A", NULL, NULL), 0x9000);
	eum_card_free(t.card);
}

/* Set the bootstrap RFM instance's access domains (the card's stored profile; as the installer
 * writes them from a PE-RFM, see test_bootstrap.c / test_saip_install.c). */
static void set_domains(eum_card *card, const char *uicc_hex, const char *admin_hex)
{
	struct eum_rfm *r = &card->prof->rfm[0];

	assert_true(r->in_use);
	r->ad_len[EUM_RFM_AD_UICC] = (uint8_t)ota_unhex(uicc_hex, r->ad[EUM_RFM_AD_UICC], EUM_RFM_AD_MAX);
	r->ad_len[EUM_RFM_AD_ADMIN] = (uint8_t)ota_unhex(admin_hex, r->ad[EUM_RFM_AD_ADMIN], EUM_RFM_AD_MAX);
	eum_store_dirty_prof(card, card->prof, EUM_PS_RFM); /* state set by hand: the store must know */
}

/* Access domain 02 (UICC access mechanism): only the key references the data lists. EF.IMSI reads
 * with PIN1 and updates with ADM1 (bootstrap EF.ARR record 3), EF.ICCID reads ALW. */
static void test_uicc_access_mechanism(void **state)
{
	struct rfm t = {NULL, 0};
	unsigned n;
	uint16_t sw;

	(void)state;
	t.card = ota_card_new(NULL);
	ota_terminal_profile(t.card, NULL, 8);

	/* ADM1 only (pySim's "ADM1 access" 02 000100) */
	set_domains(t.card, "02000100", "02000100");
	assert_int_equal(rfm_run(&t, SEL_USIM SEL_IMSI "00B0000009", &n, &sw), 0x00);
	assert_int_equal(sw, 0x6982); /* READ needs PIN1 */
	assert_int_equal(rfm_run(&t, "00A4000C022FE2 00B000000A", &n, &sw), 0x00);
	assert_int_equal(sw, 0x6982); /* ALW is not in the domain */
	assert_int_equal(rfm_run(&t,
	                         SEL_USIM SEL_IMSI "00D6000009"
	                                           "0809101010325476FF",
	                         &n, &sw),
	                 0x00);
	assert_int_equal(n, 3);
	assert_int_equal(sw, 0x9000);
	imsi_is(t.card, IMSI_NEW);

	/* ALW and PIN Appl 1: read, no update */
	set_domains(t.card, "02000003", "02000003");
	assert_int_equal(rfm_run(&t, SEL_USIM SEL_IMSI "00B0000009", &n, &sw), 0x00);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(rfm_run(&t, "00A4000C022FE2 00B000000A", &n, &sw), 0x00);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(rfm_run(&t,
	                         SEL_USIM SEL_IMSI "00D6000009"
	                                           "080910101032547698",
	                         &n, &sw),
	                 0x00);
	assert_int_equal(sw, 0x6982);
	imsi_is(t.card, IMSI_NEW);

	/* the admin domain governs DEACTIVATE FILE (TS 102 222): ADM1 for access, none for admin */
	set_domains(t.card, "02000100", "FF");
	assert_int_equal(rfm_run(&t, SEL_USIM SEL_IMSI "0004000000", &n, &sw), 0x00);
	assert_int_equal(sw, 0x6982);
	set_domains(t.card, "FF", "02000100");
	assert_int_equal(rfm_run(&t, SEL_USIM SEL_IMSI "0004000000", &n, &sw), 0x00);
	assert_int_equal(sw, 0x9000);
	assert_int_equal(rfm_run(&t, SEL_USIM SEL_IMSI "0044000000", &n, &sw), 0x00);
	assert_int_equal(sw, 0x9000);
	eum_card_free(t.card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_unsecured_envelope_refused),
	        cmocka_unit_test(test_full_access_domain),
	        cmocka_unit_test(test_no_access_domain),
	        cmocka_unit_test(test_uicc_access_mechanism),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
