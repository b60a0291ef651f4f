/*
 * UICC file system model, ETSI TS 102 221 §8 (file types, identifiers,
 * selection relations) and TS 102 222 (file creation defaults).
 */
#include "fs/fs.h"

#include <stdlib.h>
#include <string.h>

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

void eum_fs_free(struct eum_fs *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		eum_wipe(fs->files[i].data, fs->files[i].size);
		free(fs->files[i].data);
	}
	free(fs->files);
	eum_fs_init(fs);
}

int eum_fs_clone(struct eum_fs *dst, const struct eum_fs *src)
{
	size_t i;

	eum_fs_init(dst);
	if (src->n == 0)
		return EUM_OK;
	dst->files = calloc(src->cap, sizeof(*dst->files));
	if (!dst->files)
		return EUM_ERR_NO_MEMORY;
	dst->cap = src->cap;
	for (i = 0; i < src->n; i++) {
		dst->files[i] = src->files[i];
		dst->files[i].data = NULL;
		if (src->files[i].size) {
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

uint8_t *eum_fs_record(const struct eum_fs *fs, int32_t ef, uint16_t recno)
{
	const struct eum_file *f = &fs->files[ef];
	uint16_t phys;

	if (!EUM_FT_IS_RECORD(f->type) || recno == 0 || recno > f->nrec)
		return NULL;
	phys = recno - 1;
	if (f->type == EUM_FT_EF_CYCLIC)
		phys = (uint16_t)((f->cyc_head + phys) % f->nrec);
	return f->data + (size_t)phys * f->rec_len;
}

uint8_t *eum_fs_cyclic_push(struct eum_fs *fs, int32_t ef)
{
	struct eum_file *f = &fs->files[ef];

	/* TS 102 221 §8.3.3: the oldest record becomes record 1. */
	f->cyc_head = (uint16_t)((f->cyc_head + f->nrec - 1) % f->nrec);
	return f->data + (size_t)f->cyc_head * f->rec_len;
}
