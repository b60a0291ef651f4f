/*
 * The card configuration file (eum_config_load_file, libconfig syntax, documented by
 * examples/eum.conf): the shipped example loads, every setting is read, malformed files are
 * refused with a message naming the line, and eum_config_clear() frees what loading
 * allocated (the ASan build checks for leaks) and restores the defaults.
 */
#define _POSIX_C_SOURCE 200809L
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

/* Write text to a fresh temporary file; path receives its name (removed by the caller). */
static void write_tmp(char *path, size_t cap, const char *text)
{
	int fd;
	FILE *f;

	snprintf(path, cap, "/tmp/eum_test_config_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_example_file(void **state)
{
	eum_config cfg;
	char err[256] = "";

	(void)state;
	eum_config_init(&cfg);
	/* start from non-default values so the test shows the file was read */
	cfg.log_level = EUM_LOG_DEBUG;
	cfg.clock_fixed = 5;
	assert_int_equal(eum_config_load_file(&cfg, EUM_SOURCE_DIR "/examples/eum.conf", err, sizeof(err)), EUM_OK);
	assert_string_equal(err, "");
	assert_int_equal(cfg.log_level, EUM_LOG_WARN);
	assert_int_equal(cfg.clock_fixed, 1767225600u);
	/* the rest is commented out in the example: defaults */
	assert_null(cfg.atr);
	assert_null(cfg.state_path);
	assert_null(cfg.bootstrap_profile_path);
	eum_config_clear(&cfg);
	assert_null(cfg.owned_);
}

static void test_every_setting(void **state)
{
	static const uint8_t atr[] = {0x3B, 0x02, 0x14, 0x50};
	char path[64], path2[64], err[256];
	eum_config cfg, def;
	eum_card *card;
	uint8_t got[EUM_ATR_MAX];
	size_t len;

	(void)state;
	write_tmp(path, sizeof(path),
	          "# all settings\n"
	          "log_level = \"debug\";\n"
	          "atr = \"3B02 1450\";\n"
	          "clock_fixed = 42;\n"
	          "state_file = \"card.state\";\n"
	          "bootstrap_profile = \"boot.der\";\n");
	eum_config_init(&cfg);
	assert_int_equal(eum_config_load_file(&cfg, path, err, sizeof(err)), EUM_OK);
	assert_int_equal(cfg.log_level, EUM_LOG_DEBUG);
	assert_non_null(cfg.atr);
	assert_int_equal(cfg.atr_len, sizeof(atr));
	assert_memory_equal(cfg.atr, atr, sizeof(atr));
	assert_int_equal(cfg.clock_fixed, 42);
	assert_string_equal(cfg.state_path, "card.state");
	assert_string_equal(cfg.bootstrap_profile_path, "boot.der");
	assert_non_null(cfg.owned_);

	/* loading a second file into the same configuration replaces the strings (the first
	 * ones are freed: ASan reports a leak otherwise) and keeps what the file does not name */
	write_tmp(path2, sizeof(path2), "state_file = \"other.state\";\nlog_level = \"error\";\n");
	assert_int_equal(eum_config_load_file(&cfg, path2, err, sizeof(err)), EUM_OK);
	assert_string_equal(cfg.state_path, "other.state");
	assert_string_equal(cfg.bootstrap_profile_path, "boot.der");
	assert_int_equal(cfg.log_level, EUM_LOG_ERROR);
	assert_int_equal(cfg.clock_fixed, 42);

	/* the configuration drives a card: the ATR from the file comes back on reset */
	cfg.state_path = NULL;
	cfg.bootstrap_profile_path = NULL;
	cfg.log_level = EUM_LOG_ERROR;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, got, sizeof(got), &len), EUM_OK);
	assert_int_equal(len, sizeof(atr));
	assert_memory_equal(got, atr, sizeof(atr));
	eum_card_free(card);

	/* clear frees and restores every default */
	eum_config_clear(&cfg);
	eum_config_init(&def);
	assert_memory_equal(&cfg, &def, sizeof(cfg));
	eum_config_clear(&cfg); /* twice is harmless */
	eum_config_clear(NULL);
	remove(path);
	remove(path2);
}

static void test_malformed_files_name_the_line(void **state)
{
	static const struct {
		const char *text;
		int rc;
		const char *needle; /* must appear in the message */
	} bad[] = {
	        /* libconfig syntax error on line 3 */
	        {"log_level = \"warn\";\n\nclock_fixed = ;\n", EUM_ERR_CONFIG, ":3:"},
	        {"# a comment\nlog_level = \"warn\";\natr = \"3B00\" \"\" = 1;\n", EUM_ERR_CONFIG, ":3:"},
	        /* values libconfig accepts but eum does not */
	        {"\n\n\nlog_level = \"loud\";\n", EUM_ERR_CONFIG, "line 4"},
	        {"\natr = \"3B0\";\n", EUM_ERR_CONFIG, "line 2"},
	        {"atr = \"3B\";\n", EUM_ERR_CONFIG, "line 1"},
	        {"atr = \"xyz\";\n", EUM_ERR_CONFIG, "line 1"},
	        {"atr = \"3B9F96801FC78031E073FE211F6765756D20302E31A6000000000000000000000000\";\n", EUM_ERR_CONFIG,
	         "line 1"},
	        {"log_level = \"warn\";\n\n\n\nclock_fixed = -1;\n", EUM_ERR_CONFIG, "line 5"},
	};
	char path[64], err[256];
	eum_config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;
		write_tmp(path, sizeof(path), bad[i].text);
		eum_config_init(&cfg);
		err[0] = '\0';
		rc = eum_config_load_file(&cfg, path, err, sizeof(err));
		if (rc != bad[i].rc || !strstr(err, bad[i].needle))
			fail_msg("case %zu: rc %d, message \"%s\" (wanted %d and \"%s\")", i, rc, err, bad[i].rc,
			         bad[i].needle);
		/* the same file without a message buffer fails the same way */
		assert_int_equal(eum_config_load_file(&cfg, path, NULL, 0), bad[i].rc);
		/* a tiny buffer still gets a terminated (truncated) message */
		memset(err, 'x', sizeof(err));
		assert_int_equal(eum_config_load_file(&cfg, path, err, 4), bad[i].rc);
		assert_true(strlen(err) <= 3);
		eum_config_clear(&cfg);
		remove(path);
	}
}

/* Settings of the security review (issue 16): the ISD-R MSL. */
static void test_security_settings(void **state)
{
	char path[64], err[256];
	eum_config cfg;

	(void)state;
	eum_config_init(&cfg);
	assert_int_equal(cfg.isdr_msl, 0x16); /* default: counter higher, ciphering, CC */
	write_tmp(path, sizeof(path), "isdr = {\n  msl = 0x06;\n};\n");
	assert_int_equal(eum_config_load_file(&cfg, path, err, sizeof(err)), EUM_OK);
	assert_int_equal(cfg.isdr_msl, 0x06);
	eum_config_clear(&cfg);
	remove(path);
	write_tmp(path, sizeof(path), "isdr = {\n  msl = 0x40;\n};\n");
	assert_int_equal(eum_config_load_file(&cfg, path, err, sizeof(err)), EUM_ERR_CONFIG);
	assert_non_null(strstr(err, "isdr.msl"));
	eum_config_clear(&cfg);
	remove(path);

	/* CI key identifier, receipt variant, bootstrap ISD-P AID, SMS-PP bound, KID algorithm */
	write_tmp(path, sizeof(path),
	          "ecasd = { ci_key_id = \"0102030405\"; };\n"
	          "ecka_receipt = \"njiwa\";\n"
	          "bootstrap_isdp_aid = \"A0000005591010FFFFFFFF8900001100\";\n"
	          "sms_reassembly_max = 8192;\n"
	          "isdr = { ota_keys = ( { kvn = 2; algorithm = \"aes128\"; kid_algorithm = \"3des2\";\n"
	          "  kic = \"000102030405060708090a0b0c0d0e0f\"; kid = \"0123456789abcdeffedcba9876543210\";\n"
	          "  kik = \"202122232425262728292a2b2c2d2e2f\"; } ); };\n");
	assert_int_equal(eum_config_load_file(&cfg, path, err, sizeof(err)), EUM_OK);
	assert_int_equal(cfg.ci_key_id_len, 5);
	assert_memory_equal(cfg.ci_key_id, "\x01\x02\x03\x04\x05", 5);
	assert_int_equal(cfg.ecka_receipt, 1);
	assert_non_null(cfg.bootstrap_isdp_aid);
	assert_int_equal(cfg.bootstrap_isdp_aid[14], 0x11);
	assert_int_equal(cfg.sms_reassembly_max, 8192);
	assert_int_equal(cfg.n_isdr_ota_keys, 1);
	assert_string_equal(cfg.isdr_ota_keys[0].kid_algorithm, "3des2");
	assert_int_equal(cfg.isdr_ota_keys[0].kik_len, 16);
	assert_int_equal(cfg.isdr_ota_keys[0].kik[15], 0x2F);
	eum_config_clear(&cfg);
	remove(path);
	{
		static const char *const bad[] = {"ecka_receipt = \"other\";\n", "sms_reassembly_max = 70000;\n",
		                                  "bootstrap_isdp_aid = \"A000000559\";\n",
		                                  "ecasd = { ci_key_id = \"zz\"; };\n"};
		size_t i;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			write_tmp(path, sizeof(path), bad[i]);
			assert_int_equal(eum_config_load_file(&cfg, path, err, sizeof(err)), EUM_ERR_CONFIG);
			assert_non_null(strstr(err, "line 1"));
			eum_config_clear(&cfg);
			remove(path);
		}
	}
}

static void test_io_and_arguments(void **state)
{
	char err[256] = "";
	eum_config cfg;

	(void)state;
	eum_config_init(&cfg);
	assert_int_equal(eum_config_load_file(&cfg, "/nonexistent/dir/eum.conf", err, sizeof(err)), EUM_ERR_IO);
	assert_non_null(strstr(err, "/nonexistent/dir/eum.conf"));
	assert_int_equal(eum_config_load_file(NULL, "x", err, sizeof(err)), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_config_load_file(&cfg, NULL, err, sizeof(err)), EUM_ERR_INVALID_ARG);
	eum_config_clear(&cfg);
	eum_config_init(NULL); /* accepted, does nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_example_file),
	        cmocka_unit_test(test_every_setting),
	        cmocka_unit_test(test_malformed_files_name_the_line),
	        cmocka_unit_test(test_security_settings),
	        cmocka_unit_test(test_io_and_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
