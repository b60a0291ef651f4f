/*
 * UICC file system model, ETSI TS 102 221 §8 (file types, identifiers,
 * selection relations) and TS 102 222 (file creation defaults).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "fs/fs.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "crypto/crypto.h"
#include "eum/eum.h"

const char *const eum_file_type_names[EUM_FT_NUM] = {
        [EUM_FT_MF] = "MF",
        [EUM_FT_DF] = "DF",
        [EUM_FT_ADF] = "ADF",
        [EUM_FT_EF_TRANSPARENT] = "transparent EF",
        [EUM_FT_EF_LINEAR_FIXED] = "linear fixed EF",
        [EUM_FT_EF_CYCLIC] = "cyclic EF",
        [EUM_FT_EF_BER_TLV] = "BER-TLV EF",
};

void eum_fs_init(struct eum_fs *fs)
{
	memset(fs, 0, sizeof(*fs));
}

/* ---- shared, read-only file systems (copy-on-write) ---------------------------------------- */

struct eum_fs_pool {
	atomic_uint refs;
	struct eum_file *files; /* in map, read-only */
	size_t n;
	void *map; /* files[] then every body, one anonymous mapping made read-only once filled */
	size_t map_len;
	void (*gone)(void *ctx, struct eum_fs_pool *p);
	void *ctx;
};

int eum_fs_pool_new(struct eum_fs_pool **out, const struct eum_fs *src, void (*gone)(void *ctx, struct eum_fs_pool *p),
                    void *ctx)
{
	struct eum_fs_pool *p;
	size_t i, len = src->n * sizeof(struct eum_file), off;
	uint8_t *m;

	*out = NULL;
	if (src->n == 0)
		return EUM_ERR_INVALID_ARG;
	for (i = 0; i < src->n; i++)
		if (src->files[i].data)
			len += src->files[i].size;
	p = calloc(1, sizeof(*p)); /* owned by the references: freed by the last eum_fs_pool_unref */
	if (!p)
		return EUM_ERR_NO_MEMORY;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		free(p);
		return EUM_ERR_NO_MEMORY;
	}
	p->files = (struct eum_file *)(void *)m;
	p->n = src->n;
	off = src->n * sizeof(struct eum_file);
	for (i = 0; i < src->n; i++) {
		p->files[i] = src->files[i];
		if (src->files[i].data) {
			p->files[i].data = m + off;
			memcpy(m + off, src->files[i].data, src->files[i].size);
			off += src->files[i].size;
		}
		p->files[i].shared = 1;
	}
	if (mprotect(m, len, PROT_READ) != 0) {
		eum_wipe(m, len);
		munmap(m, len);
		free(p);
		return EUM_ERR_NO_MEMORY;
	}
	p->map = m;
	p->map_len = len;
	p->gone = gone;
	p->ctx = ctx;
	atomic_init(&p->refs, 1);
	*out = p;
	return EUM_OK;
}

int eum_fs_pool_tryref(struct eum_fs_pool *p)
{
	unsigned r = atomic_load(&p->refs);

	while (r != 0)
		if (atomic_compare_exchange_weak(&p->refs, &r, r + 1))
			return 1;
	return 0;
}

void eum_fs_pool_unref(struct eum_fs_pool *p)
{
	if (!p || atomic_fetch_sub(&p->refs, 1) != 1)
		return;
	if (p->gone)
		p->gone(p->ctx, p);
	/* EFs may hold keys: wiped like private bodies */
	if (mprotect(p->map, p->map_len, PROT_READ | PROT_WRITE) == 0)
		eum_wipe(p->map, p->map_len);
	munmap(p->map, p->map_len);
	free(p);
}

void eum_fs_use_pool(struct eum_fs *fs, struct eum_fs_pool *p)
{
	fs->files = p->files;
	fs->n = p->n;
	fs->cap = 0;
	fs->pool = p;
}

struct eum_file *eum_fs_file_w(struct eum_fs *fs, int32_t idx)
{
	if (idx < 0 || (size_t)idx >= fs->n)
		return NULL;
	if (fs->cap == 0 && fs->pool) {
		/* the array leaves the pool (bodies stay shared until written) */
		struct eum_file *own = malloc(fs->n * sizeof(*own)); /* owned by fs */
		if (!own)
			return NULL;
		memcpy(own, fs->files, fs->n * sizeof(*own));
		fs->files = own;
		fs->cap = fs->n;
	}
	return &fs->files[idx];
}

uint8_t *eum_fs_body_w(struct eum_fs *fs, int32_t idx)
{
	struct eum_file *f = eum_fs_file_w(fs, idx);
	uint8_t *body;

	if (!f || !f->data)
		return NULL;
	if (!f->shared)
		return f->data;
	body = malloc(f->size); /* owned by fs from now on */
	if (!body)
		return NULL;
	memcpy(body, f->data, f->size);
	f->data = body;
	f->shared = 0;
	return body;
}

/* ---- private file systems ------------------------------------------------------------------ */

void eum_fs_free(struct eum_fs *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (fs->files[i].shared)
			continue;
		eum_wipe(fs->files[i].data, fs->files[i].size);
		free(fs->files[i].data);
	}
	if (fs->cap)
		free(fs->files);
	eum_fs_pool_unref(fs->pool);
	eum_fs_init(fs);
}

int eum_fs_clone(struct eum_fs *dst, const struct eum_fs *src)
{
	size_t i;

	eum_fs_init(dst);
	if (src->n == 0)
		return EUM_OK;
	dst->files = calloc(src->n, sizeof(*dst->files));
	if (!dst->files)
		return EUM_ERR_NO_MEMORY;
	dst->cap = src->n;
	for (i = 0; i < src->n; i++) {
		dst->files[i] = src->files[i];
		dst->files[i].data = NULL;
		dst->files[i].shared = 0;
		if (src->files[i].data) {
			dst->files[i].data = malloc(src->files[i].size);
			if (!dst->files[i].data) {
				dst->n = i;
				eum_fs_free(dst);
				return EUM_ERR_NO_MEMORY;
			}
			memcpy(dst->files[i].data, src->files[i].data, src->files[i].size);
		}
		dst->n = i + 1;
	}
	return EUM_OK;
}

int eum_fs_add(struct eum_fs *fs, int32_t parent, const struct eum_file *tmpl, const uint8_t *content,
               size_t content_len)
{
	struct eum_file *f;

	if ((parent < 0) != (fs->n == 0) || (parent >= 0 && (size_t)parent >= fs->n))
		return EUM_ERR_INVALID_ARG;
	if (parent >= 0 && !EUM_FT_IS_DF(fs->files[parent].type))
		return EUM_ERR_INVALID_ARG;
	if (tmpl->type >= EUM_FT_NUM || content_len > tmpl->size)
		return EUM_ERR_INVALID_ARG;
	if (EUM_FT_IS_RECORD(tmpl->type) &&
	    (tmpl->rec_len == 0 || tmpl->nrec == 0 || (uint32_t)tmpl->rec_len * tmpl->nrec != tmpl->size))
		return EUM_ERR_INVALID_ARG;
	if (fs->pool && fs->n && !eum_fs_file_w(fs, 0))
		return EUM_ERR_NO_MEMORY;
	if (fs->n == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 64;
		struct eum_file *nf = realloc(fs->files, ncap * sizeof(*nf));
		if (!nf)
			return EUM_ERR_NO_MEMORY;
		fs->files = nf;
		fs->cap = ncap;
	}
	f = &fs->files[fs->n];
	*f = *tmpl;
	f->parent = parent;
	f->data = NULL;
	f->shared = 0;
	f->cyc_head = 0;
	if (!EUM_FT_IS_DF(f->type) && f->size) {
		f->data = malloc(f->size);
		if (!f->data)
			return EUM_ERR_NO_MEMORY;
		memset(f->data, 0xFF, f->size);
		if (content_len)
			memcpy(f->data, content, content_len);
	} else if (EUM_FT_IS_DF(f->type)) {
		f->data = NULL;
	}
	return (int)fs->n++;
}

int32_t eum_fs_child(const struct eum_fs *fs, int32_t df, uint16_t fid)
{
	size_t i;

	for (i = 1; i < fs->n; i++)
		if (fs->files[i].parent == df && fs->files[i].fid == fid)
			return (int32_t)i;
	return -1;
}

int32_t eum_fs_child_sfi(const struct eum_fs *fs, int32_t df, uint8_t sfi)
{
	size_t i;

	if (sfi == 0)
		return -1;
	for (i = 1; i < fs->n; i++)
		if (fs->files[i].parent == df && fs->files[i].sfi == sfi && !EUM_FT_IS_DF(fs->files[i].type))
			return (int32_t)i;
	return -1;
}

int32_t eum_fs_adf_by_aid(const struct eum_fs *fs, const uint8_t *aid, size_t len)
{
	size_t i;

	if (len == 0 || len > EUM_AID_MAX)
		return -1;
	for (i = 1; i < fs->n; i++) {
		const struct eum_file *f = &fs->files[i];
		if (f->type == EUM_FT_ADF && f->aid_len >= len && memcmp(f->aid, aid, len) == 0)
			return (int32_t)i;
	}
	return -1;
}

int32_t eum_fs_walk(const struct eum_fs *fs, int32_t from, const uint8_t *path, size_t len)
{
	int32_t cur = from;
	size_t off = 0;

	if (len == 0 || len % 2 || fs->n == 0)
		return -1;
	if (path[0] == 0x3F && path[1] == 0x00) {
		cur = 0;
		off = 2;
	}
	for (; off < len; off += 2) {
		uint16_t fid = (uint16_t)((path[off] << 8) | path[off + 1]);
		if (cur < 0 || !EUM_FT_IS_DF(fs->files[cur].type))
			return -1;
		cur = eum_fs_child(fs, cur, fid);
		if (cur < 0)
			return -1;
	}
	return cur;
}

int32_t eum_fs_df_of(const struct eum_fs *fs, int32_t idx)
{
	if (idx < 0)
		return -1;
	return EUM_FT_IS_DF(fs->files[idx].type) ? idx : fs->files[idx].parent;
}

/* Offset of record recno in the body, or -1. */
static long record_off(const struct eum_file *f, uint16_t recno)
{
	uint16_t phys;

	if (!EUM_FT_IS_RECORD(f->type) || recno == 0 || recno > f->nrec)
		return -1;
	phys = recno - 1;
	if (f->type == EUM_FT_EF_CYCLIC)
		phys = (uint16_t)((f->cyc_head + phys) % f->nrec);
	return (long)phys * f->rec_len;
}

const uint8_t *eum_fs_record(const struct eum_fs *fs, int32_t ef, uint16_t recno)
{
	long off = record_off(&fs->files[ef], recno);

	return off < 0 ? NULL : fs->files[ef].data + off;
}

uint8_t *eum_fs_record_w(struct eum_fs *fs, int32_t ef, uint16_t recno)
{
	long off = record_off(&fs->files[ef], recno);
	uint8_t *body;

	if (off < 0 || !(body = eum_fs_body_w(fs, ef)))
		return NULL;
	return body + off;
}

uint8_t *eum_fs_cyclic_push(struct eum_fs *fs, int32_t ef)
{
	uint8_t *body = eum_fs_body_w(fs, ef);
	struct eum_file *f = &fs->files[ef];

	if (!body)
		return NULL;
	/* TS 102 221 §8.3.3: the oldest record becomes record 1. */
	f->cyc_head = (uint16_t)((f->cyc_head + f->nrec - 1) % f->nrec);
	return body + (size_t)f->cyc_head * f->rec_len;
}
