/*
 * Unit test: PINConfiguration.pinAttributes of the profile package (src/profile/saip_pe_pin.c, the
 * coding table; PE_Definitions 3.3.1 PINConfiguration) and what the installer makes of it in the
 * PIN store (src/fs/pin.h: enabled, can_disable), for a minimal package built here.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "fs/pin.h"
#include "profile/saip_install.h"

/* The values the public data points give (ASN.1 DEFAULT 07; TS.48: PIN1 06, ADM 03, PIN2 07/03),
 * and those that switch one bit off, with the state each one must give. */
static void test_coding_table(void **state)
{
	static const struct {
		uint8_t v;
		int enabled, can_disable;
	} cases[] = {
	        {0x07, 1, 1},               /* ASN.1 DEFAULT: enabled, may be disabled */
	        {0x06, 0, 1},               /* TS.48 PIN1: disabled, may be enabled again */
	        {0x03, 1, 0},               /* TS.48 ADM1/ADM2/PIN2: enabled for good */
	        {0x02, 0, 0},               /* disabled for good */
	        {0x05, 1, 1},               /* b2 is not interpreted */
	        {0x00, 0, 0}, {0xF8, 0, 0}, /* b4..b8 are not interpreted */
	        {0xFF, 1, 1},
	};
	struct eum_saip_pin_attr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&a, 0xA5, sizeof(a));
		eum_saip_pin_attributes(cases[i].v, &a);
		if (a.enabled != cases[i].enabled || a.can_disable != cases[i].can_disable)
			fail_msg("pinAttributes %02X: enabled %d can_disable %d, expected %d %d", cases[i].v, a.enabled,
			         a.can_disable, cases[i].enabled, cases[i].can_disable);
	}
}

/*
 * A minimal package: header (USIM not mandated), mf (template defaults), pinCodes with the given
 * attribute for key reference ref (omitted when attr < 0), end. Built as DER by hand:
 *   A0 header { 80 major 02, 81 minor 03, 83 iccid (10), A5 eUICC-Mandatory-services {}, A6 GFSTEList {} }
 *   B0 mf { A0 { 81 id 01 }, 81 templateID 2.23.143.1.2.1, A2 mf {}, A4 ef-iccid {},
 *           A5 ef-dir and A6 ef-arr { A1 fileDescriptor { 82 42 21 20 (linear fixed, 32-byte records), 80 0040 } } }
 *   A2 pinCodes { A0 { 81 id 02 }, A1 { A0 pinconfig { 30 { 80 ref, 81 value, [83 attr] } } } }
 *   AA end { A0 { 81 id 03 } }
 */
static size_t build_package(uint8_t *out, uint8_t ref, int attr)
{
	static const uint8_t head[] = {0xA0, 0x16, 0x80, 0x01, 0x02, 0x81, 0x01, 0x03, 0x83, 0x0A, 0x89, 0x00,
	                               0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xA5, 0x00, 0xA6, 0x00};
	static const uint8_t mf[] = {0xB0, 0x29, 0xA0, 0x03, 0x81, 0x01, 0x01, 0x81, 0x06, 0x67, 0x81,
	                             0x0F, 0x01, 0x02, 0x01, 0xA2, 0x00, 0xA4, 0x00, 0xA5, 0x0A, 0xA1,
	                             0x08, 0x82, 0x03, 0x42, 0x21, 0x20, 0x80, 0x01, 0x40, 0xA6, 0x0A,
	                             0xA1, 0x08, 0x82, 0x03, 0x42, 0x21, 0x20, 0x80, 0x01, 0x40};
	static const uint8_t end[] = {0xAA, 0x05, 0xA0, 0x03, 0x81, 0x01, 0x03};
	uint8_t cfg[32];
	size_t n = 0, c = 0;

	cfg[c++] = 0x80; /* INTEGER: a leading 00 keeps 81..8E positive */
	if (ref & 0x80) {
		cfg[c++] = 0x02;
		cfg[c++] = 0x00;
	} else {
		cfg[c++] = 0x01;
	}
	cfg[c++] = ref;
	cfg[c++] = 0x81;
	cfg[c++] = 0x08;
	memcpy(cfg + c, "1234\xFF\xFF\xFF\xFF", 8);
	c += 8;
	if (attr >= 0) {
		cfg[c++] = 0x83;
		cfg[c++] = 0x01;
		cfg[c++] = (uint8_t)attr;
	}
	memcpy(out + n, head, sizeof(head));
	n += sizeof(head);
	memcpy(out + n, mf, sizeof(mf));
	n += sizeof(mf);
	/* A2 L { A0 03 81 01 02, A1 L { A0 L { 30 c cfg } } } */
	out[n++] = 0xA2;
	out[n++] = (uint8_t)(5 + 2 + 2 + 2 + c);
	memcpy(out + n, "\xA0\x03\x81\x01\x02", 5);
	n += 5;
	out[n++] = 0xA1;
	out[n++] = (uint8_t)(2 + 2 + c);
	out[n++] = 0xA0;
	out[n++] = (uint8_t)(2 + c);
	out[n++] = 0x30;
	out[n++] = (uint8_t)c;
	memcpy(out + n, cfg, c);
	n += c;
	memcpy(out + n, end, sizeof(end));
	n += sizeof(end);
	return n;
}

static int install(uint8_t ref, int attr, struct eum_profile *p, struct eum_saip_result *res)
{
	uint8_t der[256];
	size_t n = build_package(der, ref, attr);

	memset(p, 0, sizeof(*p));
	eum_fs_init(&p->fs);
	return eum_saip_install(p, der, n, res);
}

static void test_installed_state(void **state)
{
	static const struct {
		uint8_t ref;
		int attr;
		int enabled, can_disable;
	} cases[] = {
	        {0x01, -1, 1, 1},   /* absent: DEFAULT 7 */
	        {0x01, 0x06, 0, 1}, /* TS.48 PIN1 */
	        {0x01, 0x03, 1, 0}, {0x81, 0x07, 1, 1},
	        {0x81, 0x03, 1, 0}, {0x0A, 0x03, 1, 0}, /* ADM1: enabled; DISABLE never applies */
	        {0x0A, -1, 1, 0},                       /* ADM1 with DEFAULT 7: b3 is moot for an ADM key */
	};
	struct eum_saip_result res;
	struct eum_profile p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct eum_pin *pin;
		if (install(cases[i].ref, cases[i].attr, &p, &res) != EUM_OK)
			fail_msg("ref %02X attr %d: refused at PE %zu, status %ld", cases[i].ref, cases[i].attr,
			         res.pe_index, res.status);
		pin = eum_pin_find(&p.pins, cases[i].ref);
		assert_non_null(pin);
		assert_int_equal(pin->enabled, cases[i].enabled);
		assert_int_equal(pin->can_disable, cases[i].can_disable);
		eum_saip_profile_clear(&p);
	}
}

/* An ADM key the package would disable is refused: bad values at the pinCodes PE (#2). */
static void test_disabled_adm_refused(void **state)
{
	struct eum_saip_result res;
	struct eum_profile p;

	(void)state;
	assert_int_equal(install(0x0A, 0x06, &p, &res), EUM_ERR_PROFILE);
	assert_true(res.aborted);
	assert_int_equal(res.status, EUM_SAIP_ST_BAD_VALUES);
	assert_int_equal(res.identification, 2);
	assert_int_equal(install(0x8B, 0x02, &p, &res), EUM_ERR_PROFILE);
	assert_int_equal(res.status, EUM_SAIP_ST_BAD_VALUES);
	/* PIN1 disabled for good is a valid choice */
	assert_int_equal(install(0x01, 0x02, &p, &res), EUM_OK);
	eum_saip_profile_clear(&p);
}

static uint16_t xfer(eum_card *card, const uint8_t *c, size_t n)
{
	uint8_t r[258];
	size_t rl;

	assert_int_equal(eum_card_transmit(card, c, n, r, sizeof(r), &rl), EUM_OK);
	assert_true(rl >= 2);
	return (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
}

/* The PIN states the package gave survive a reload of the card's state file: TS.48 v2 (PIN1 06,
 * PIN2 03), reopened from its image, still has PIN1 disabled and refuses DISABLE of PIN2. */
static void test_states_persist(void **state)
{
	static const uint8_t status_pin1[] = {0x00, 0x20, 0x00, 0x01};
	static const uint8_t disable_pin2[] = {0x00, 0x26, 0x00, 0x81, 0x08, '9', '9',
	                                       '9',  '9',  0xFF, 0xFF, 0xFF, 0xFF};
	char path[] = "/tmp/eum_saip_pinXXXXXX";
	eum_config cfg;
	eum_card *card;
	int fd, round;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path); /* no file: the first card is manufactured and writes it */
	for (round = 0; round < 2; round++) {
		eum_config_init(&cfg);
		cfg.bootstrap_profile_path = EUM_TEST_DATA_DIR "/ts48/TS48V2-SAIP2-3-NOBERTLV-UNIQUE.der";
		cfg.state_path = path;
		assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
		assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
		assert_int_equal(xfer(card, status_pin1, sizeof(status_pin1)), 0x9000); /* disabled */
		assert_int_equal(xfer(card, disable_pin2, sizeof(disable_pin2)), 0x6985);
		eum_card_free(card);
		assert_int_equal(access(path, F_OK), 0);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_coding_table),
	        cmocka_unit_test(test_installed_state),
	        cmocka_unit_test(test_disabled_adm_refused),
	        cmocka_unit_test(test_states_persist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
