/*
 * A default card whose bootstrap RFM instance has another minimum security level or access domain
 * (tests/e2e/test_ota_*.c). Include after ota_e2e.h, in a file that defines _POSIX_C_SOURCE
 * (mkstemp).
 */
#ifndef EUM_TESTS_OTA_RFM_E2E_H
#define EUM_TESTS_OTA_RFM_E2E_H

#include "ota_e2e.h"

/* A card like ota_card_new()'s with ISD-R MSL isdr_msl, whose bootstrap RFM instance (TAR B00010) has
 * minimum security level msl and UICC access domain (ADP) ad, admin access domain admin: the built-in package
 * examples/profiles/bootstrap.der with the PE-RFM's fields patched in a copy (81 01 <msl>, then the
 * uiccAccessDomain and uiccAdminAccessDomain OCTET STRINGs 04 01 <adp>). The vector tests use MSL 00
 * because their packets (tests/data/scp80) carry any SPI. */
static inline eum_card *ota_card_new_rfm(struct ota_clock *clk, uint8_t isdr_msl, uint8_t msl, uint8_t ad,
                                         uint8_t admin)
{
	static const uint8_t pat[] = {0xB0, 0x00, 0x10, 0x81, 0x01, 0x16, 0x04, 0x01, 0x00, 0x04, 0x01, 0x00};
	char path[] = "/tmp/eum_ota_rfm_XXXXXX";
	static uint8_t der[16384];
	eum_config cfg;
	eum_card *card = NULL;
	size_t n, i;
	FILE *f = fopen(EUM_SOURCE_DIR "/examples/profiles/bootstrap.der", "rb");
	int fd;

	assert_non_null(f);
	n = fread(der, 1, sizeof(der), f);
	fclose(f);
	for (i = 0; i + sizeof(pat) <= n && memcmp(der + i, pat, sizeof(pat)); i++)
		;
	assert_true(i + sizeof(pat) <= n); /* the PE-RFM of bootstrap.conf */
	der[i + 5] = msl;
	der[i + 8] = ad;
	der[i + 11] = admin;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(der, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	eum_config_init(&cfg);
	cfg.bootstrap_profile_path = path;
	cfg.isdr_msl = isdr_msl;
	if (clk) {
		cfg.clock = ota_clock_fn;
		cfg.clock_ctx = clk;
	}
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	remove(path);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	return card;
}

#endif
