/*
 * Fuzz targets only: the handful of cmocka assertions the end-to-end helpers use
 * (tests/e2e/ota_e2e.h, es8_e2e.h), so that a fuzz target can drive its honest prefix
 * (key establishment, session opening) with the very code the tests use. Outside a cmocka
 * runner a failed assertion means the prefix itself broke: print it and abort, which the
 * fuzzer and the corpus replay both report as a crash.
 */
#ifndef EUM_FUZZ_SHIM_CMOCKA_H
#define EUM_FUZZ_SHIM_CMOCKA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define fuzz_prefix_fail_(what)                                                                                        \
	do {                                                                                                           \
		fprintf(stderr, "%s:%d: honest prefix failed: %s\n", __FILE__, __LINE__, what);                        \
		abort();                                                                                               \
	} while (0)
#define assert_true(c)                                                                                                 \
	do {                                                                                                           \
		if (!(c))                                                                                              \
			fuzz_prefix_fail_(#c);                                                                         \
	} while (0)
#define assert_false(c)              assert_true(!(c))
#define assert_non_null(p)           assert_true((p) != NULL)
#define assert_null(p)               assert_true((p) == NULL)
#define assert_int_equal(a, b)       assert_true((long long)(a) == (long long)(b))
#define assert_int_not_equal(a, b)   assert_true((long long)(a) != (long long)(b))
#define assert_memory_equal(a, b, n) assert_true(memcmp((a), (b), (n)) == 0)
#define fail_msg(...)                                                                                                  \
	do {                                                                                                           \
		fprintf(stderr, __VA_ARGS__);                                                                          \
		fuzz_prefix_fail_("fail_msg");                                                                         \
	} while (0)
#define print_message(...) ((void)0)

#endif
