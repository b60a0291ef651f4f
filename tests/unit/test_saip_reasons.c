/*
 * Unit test: a refused profile package says why (src/profile/saip_result.c eum_saip_refuse): the PE
 * (type and identification), the field and the SAIP status (PE_Definitions 3.3.1 PEStatus), in
 * eum_saip_result.reason and in the library log when the card's bootstrap profile is refused.
 * The packages are the TS.48 Generic Test Profile v1 (tests/data/ts48) with one corruption each.
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
#include "profile/saip_install.h"

#define PKG EUM_TEST_DATA_DIR "/ts48/TS48V1-A-UNIQUE.der"

/* Offsets in TS48V1-A-UNIQUE.der (top-level PE walk): the akaParameter PE #11 (0B), 55 bytes. */
#define AKA_OFF 6159u
#define AKA_LEN 55u

static uint8_t *load(size_t *len)
{
	FILE *f = fopen(PKG, "rb");
	uint8_t *b;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	b = malloc((size_t)n + 512);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void refused_with(const uint8_t *der, size_t len, const char *reason)
{
	struct eum_saip_result res;
	struct eum_profile p;

	memset(&p, 0, sizeof(p));
	eum_fs_init(&p.fs);
	memset(&res, 0, sizeof(res));
	assert_int_equal(eum_saip_install(&p, der, len, &res), EUM_ERR_PROFILE);
	assert_true(res.aborted);
	assert_string_equal(res.reason, reason);
	eum_saip_profile_clear(&p);
}

/* The akaParameter PE given an sqnInit (A5: 32 x 04 06) whose first value is 08 00 00 00 00 00. */
static size_t with_bad_sqn_init(const uint8_t *der, size_t len, uint8_t *out)
{
	size_t n = 0, i;

	assert_int_equal(der[AKA_OFF], 0xA4);
	assert_int_equal(der[AKA_OFF + 1], AKA_LEN - 2);
	memcpy(out, der, AKA_OFF);
	n = AKA_OFF;
	/* A4 82 0139 { old content (53), A5 82 0100 { 32 x 04 06 SQN } } */
	out[n++] = 0xA4;
	out[n++] = 0x82;
	out[n++] = 0x01;
	out[n++] = 0x39;
	memcpy(out + n, der + AKA_OFF + 2, AKA_LEN - 2);
	n += AKA_LEN - 2;
	out[n++] = 0xA5;
	out[n++] = 0x82;
	out[n++] = 0x01;
	out[n++] = 0x00;
	for (i = 0; i < 32; i++) {
		out[n++] = 0x04;
		out[n++] = 0x06;
		memset(out + n, 0, 6);
		if (i == 0)
			out[n] = 0x08;
		n += 6;
	}
	memcpy(out + n, der + AKA_OFF + AKA_LEN, len - AKA_OFF - AKA_LEN);
	return n + len - AKA_OFF - AKA_LEN;
}

static void test_aka_sqn_init(void **state)
{
	size_t len, n;
	uint8_t *der = load(&len), *bad = malloc(len + 512);

	(void)state;
	assert_non_null(bad);
	n = with_bad_sqn_init(der, len, bad);
	refused_with(bad, n, "PE akaParameter #11: sqnInit value above 07FFFFFFFFFF (bad values)");
	/* the same sqnInit with a valid first value installs: the test corrupts only that value */
	bad[AKA_OFF + 4 + AKA_LEN - 2 + 4 + 2] = 0x07;
	{
		struct eum_profile p;
		memset(&p, 0, sizeof(p));
		eum_fs_init(&p.fs);
		assert_int_equal(eum_saip_install(&p, bad, n, NULL), EUM_OK);
		eum_saip_profile_clear(&p);
	}
	free(bad);
	free(der);
}

/* ADM1 (0A) given pinAttributes 02 (disabled) in the pinCodes PE #2. */
static void test_adm_disabled(void **state)
{
	static const uint8_t adm1[] = {0x80, 0x01, 0x0A, 0x81, 0x08, '5',  '5',  '5',
	                               '5',  '5',  '5',  '5',  '5',  0x83, 0x01, 0x03};
	size_t len, i;
	uint8_t *der = load(&len);

	(void)state;
	for (i = 0; i + sizeof(adm1) <= len && memcmp(der + i, adm1, sizeof(adm1)); i++)
		;
	assert_true(i + sizeof(adm1) <= len);
	der[i + sizeof(adm1) - 1] = 0x02;
	refused_with(der, len, "PE pinCodes #2: PIN 0A: pinAttributes 02 disables an ADM key (bad values)");
	free(der);
}

static void test_header_version(void **state)
{
	size_t len;
	uint8_t *der = load(&len);

	(void)state;
	/* A0 81 89 { 80 01 02 ...: major-version at offset 5 */
	assert_int_equal(der[3], 0x80);
	der[5] = 9;
	refused_with(der, len, "PE header: major-version 9 (2 and 3 are read) (unsupported profile version)");
	free(der);
}

static void test_truncated(void **state)
{
	size_t len;
	uint8_t *der = load(&len);

	(void)state;
	/* the rfm PE at index 26 (0-based) starts at 11697; the package stops 3 bytes into it */
	assert_int_equal(der[11697], 0xA7);
	refused_with(der, 11700,
	             "PE at index 26 (package offset 11697): the package ends inside this PE (invalid request format)");
	free(der);
}

/* The library log of a card whose bootstrap profile is refused carries the reason. */
struct logbuf {
	char text[2048];
};

static void log_hook(void *ctx, eum_log_level level, const char *msg)
{
	struct logbuf *l = ctx;
	size_t n = strlen(l->text);

	if (level == EUM_LOG_ERROR)
		snprintf(l->text + n, sizeof(l->text) - n, "%s\n", msg);
}

static void test_card_log(void **state)
{
	char path[] = "/tmp/eum_saip_reasonsXXXXXX";
	struct logbuf log;
	eum_config cfg;
	eum_card *card = NULL;
	size_t len, n;
	uint8_t *der = load(&len), *bad = malloc(len + 512);
	int fd;

	(void)state;
	assert_non_null(bad);
	n = with_bad_sqn_init(der, len, bad);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bad, n), (ssize_t)n);
	close(fd);
	memset(&log, 0, sizeof(log));
	eum_config_init(&cfg);
	cfg.bootstrap_profile_path = path;
	cfg.log = log_hook;
	cfg.log_ctx = &log;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_PROFILE);
	assert_null(card);
	assert_non_null(strstr(log.text, "PE akaParameter #11: sqnInit value above 07FFFFFFFFFF (bad values)"));
	assert_non_null(strstr(log.text, path));
	unlink(path);
	free(bad);
	free(der);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_aka_sqn_init),   cmocka_unit_test(test_adm_disabled),
	        cmocka_unit_test(test_header_version), cmocka_unit_test(test_truncated),
	        cmocka_unit_test(test_card_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
