/*
 * Storage hooks of the tests (test_bip.c, test_persistence.c, e2e/test_atomic_commit.c): the card's
 * non-volatile memory kept in RAM, counting the writes that succeeded and failing one on request.
 * Static functions only; a test program needing a larger image defines MEM_IMG_MAX before including it.
 */
#ifndef EUM_TESTS_MEM_STORAGE_H
#define EUM_TESTS_MEM_STORAGE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"

#ifndef MEM_IMG_MAX
#define MEM_IMG_MAX (64 * 1024)
#endif

struct mem {
	uint8_t img[MEM_IMG_MAX];
	size_t len;
	int have;
	int stores;  /* successful writes */
	int fail_at; /* 0 = off; else the write number (from when it was set) that fails, the later ones succeed */
};

static inline int mem_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct mem *m = ctx;

	if (!m->have)
		return EUM_ERR_NOT_FOUND;
	*len = m->len;
	if (!buf)
		return EUM_OK;
	if (cap < m->len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(buf, m->img, m->len);
	return EUM_OK;
}

static inline int mem_store(void *ctx, const uint8_t *img, size_t len)
{
	struct mem *m = ctx;

	if (m->fail_at && --m->fail_at == 0)
		return EUM_ERR_STORAGE;
	assert_true(len <= sizeof(m->img));
	memcpy(m->img, img, len);
	m->len = len;
	m->have = 1;
	m->stores++;
	return EUM_OK;
}

#endif
