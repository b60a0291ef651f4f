/*
 * Shared by the profile package installer tests (test_saip_install.c, test_saip_damaged.c): the GSMA
 * TS.48 test packages of tests/data/ts48 and small helpers.
 */
#ifndef EUM_TEST_SAIP_COMMON_H
#define EUM_TEST_SAIP_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "profile/saip_install.h"

static const char *const packages[] = {
        "TS48V1-A-UNIQUE",
        "TS48V2-SAIP2-3-NOBERTLV-UNIQUE",
        "TS48V4-SAIP2-1B-NOBERTLV-UNIQUE",
};
#define N_PACKAGES (sizeof(packages) / sizeof(packages[0]))

/* A file of tests/data/ts48 (base name + extension), NUL-terminated, on the heap. */
static inline uint8_t *load_file(const char *base, const char *ext, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/ts48/%s%s", EUM_TEST_DATA_DIR, base, ext);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long sz = ftell(f);
	assert_true(sz > 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	uint8_t *buf = malloc((size_t)sz + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	buf[sz] = 0;
	fclose(f);
	*len = (size_t)sz;
	return buf;
}

static inline void profile_init(struct eum_profile *p)
{
	memset(p, 0, sizeof(*p));
	eum_fs_init(&p->fs);
}

#endif
