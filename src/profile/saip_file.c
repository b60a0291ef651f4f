/*
 * TCA eUICC Profile Package installer: creating one file from a template row and/or an Fcp
 * (PE_Definitions 3.3.1 Fcp, §4.2 templates, §4.4 file content; TS 102 221 §11.1.1 FCP,
 * TS 102 222 §6.3 CREATE FILE). Shared by the template PEs and genericFileManagement.
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "ProprietaryInfo.h"
#include "eum/eum.h"

/* Largest EF body the installer creates (READ BINARY offsets are 15 bits). */
#define FILE_MAX 0x8000u
/* Record numbers 1..254 (TS 102 221 §8.2.2). */
#define NREC_MAX 254u

/* TS 102 221 Table 11.5 file descriptor byte -> file type; -1 if not a valid FDB. */
int eum_saip_fdb_type(uint8_t fdb)
{
	unsigned kind = (fdb >> 3) & 7u, st = fdb & 7u;

	if (fdb & 0x80)
		return -1;
	if (kind == 7)
		return st == 0 ? EUM_FT_DF : st == 1 ? EUM_FT_EF_BER_TLV : -1;
	if (kind > 1)
		return -1;
	switch (st) {
	case 1:
		return EUM_FT_EF_TRANSPARENT;
	case 2:
		return EUM_FT_EF_LINEAR_FIXED;
	case 6:
		return EUM_FT_EF_CYCLIC;
	default:
		return -1;
	}
}

/* Merge the template row t (may be NULL) with the PE's Fcp (may be NULL) into a file description.
 * gfm: created by genericFileManagement (SFI from the FID when shortEFID is absent). */
/* A file description refused: why names the Fcp field (read by the caller's reason). */
static long spec_bad(struct eum_saip_fspec *s, const char *why)
{
	s->why = why;
	return EUM_SAIP_ST_BAD_VALUES;
}

long eum_saip_build_spec(const struct eum_fs *fs, int32_t parent, const struct eum_saip_tfile *t, const Fcp_t *fcp,
                         int gfm, struct eum_saip_fspec *s)
{
	int type = t ? t->type : EUM_SAIP_FT_NONE;
	uint16_t rec_len = t ? t->rec_len : 0;
	uint32_t v, arr_fid;
	int have_size = 0;

	memset(s, 0, sizeof(*s));
	s->t = t;
	s->f.shareable = 1; /* template files are shareable (TCA Annex A) */
	if (fcp && fcp->fileDescriptor) {
		const OCTET_STRING_t *fd = fcp->fileDescriptor;
		int ft;
		if (fd->size < 2 || fd->size > 4)
			return spec_bad(s, "fileDescriptor is not 2..4 bytes");
		ft = eum_saip_fdb_type(fd->buf[0]);
		if (ft < 0)
			return spec_bad(s, "fileDescriptor byte is not a file type");
		if (ft == EUM_FT_DF)
			ft = (t && t->type != EUM_SAIP_FT_NONE && EUM_FT_IS_DF(t->type)) ? t->type
			     : fcp->dfName                                               ? EUM_FT_ADF
			                                                                 : EUM_FT_DF;
		type = ft;
		s->f.shareable = (fd->buf[0] & 0x40) ? 1 : 0;
		if (fd->size == 4)
			rec_len = (uint16_t)(fd->buf[2] << 8 | fd->buf[3]);
		else if (fd->size == 3)
			rec_len = fd->buf[2];
	}
	if (type == EUM_SAIP_FT_NONE && fcp && fcp->dfName)
		type = EUM_FT_ADF; /* an ADF's Fcp may carry no file descriptor */
	if (type == EUM_SAIP_FT_NONE || type >= EUM_FT_NUM)
		return spec_bad(s, "no file type (fileDescriptor)");
	s->f.type = (uint8_t)type;

	if (fcp && fcp->fileID) {
		if (fcp->fileID->size != 2)
			return spec_bad(s, "fileID is not 2 bytes");
		s->f.fid = (uint16_t)(fcp->fileID->buf[0] << 8 | fcp->fileID->buf[1]);
	} else if (t) {
		s->f.fid = t->fid;
	}
	if (s->f.fid == 0 || (type == EUM_FT_MF) != (s->f.fid == EUM_FID_MF))
		return spec_bad(s, "fileID missing, or the MF's is not 3F00");

	if (fcp && fcp->linkPath && fcp->linkPath->size > 0) {
		if (EUM_FT_IS_DF(type) || fcp->linkPath->size % 2 || fcp->linkPath->size > EUM_SAIP_PATH_MAX)
			return spec_bad(s, "linkPath on a DF, odd or too long");
		s->link = fcp->linkPath;
	}

	/* geometry */
	if (!EUM_FT_IS_DF(type) && !s->link) {
		if (fcp && type == EUM_FT_EF_BER_TLV && fcp->proprietaryEFInfo &&
		    fcp->proprietaryEFInfo->maximumFileSize) {
			if (saip_os_uint(fcp->proprietaryEFInfo->maximumFileSize, &v))
				return spec_bad(s, "maximumFileSize");
			have_size = 1;
		} else if (fcp && fcp->efFileSize) {
			if (saip_os_uint(fcp->efFileSize, &v))
				return spec_bad(s, "efFileSize");
			have_size = 1;
		}
		if (EUM_FT_IS_RECORD(type)) {
			uint32_t nrec;
			if (rec_len == 0 || rec_len > 255)
				return spec_bad(s, "record length 0 or above 255");
			if (have_size) {
				if (v % rec_len)
					return spec_bad(s, "efFileSize is not a multiple of the record length");
				nrec = v / rec_len;
			} else {
				nrec = t ? t->nrec : 0;
			}
			if (nrec == 0 || nrec > NREC_MAX)
				return spec_bad(s, "number of records 0 or above 254");
			s->f.rec_len = rec_len;
			s->f.nrec = (uint16_t)nrec;
			s->f.size = (uint32_t)rec_len * nrec;
		} else {
			s->f.size = have_size ? v : (t ? t->size : 0);
		}
		if (s->f.size > FILE_MAX)
			return spec_bad(s, "file size above 32768");
	}

	/* SFI (ASN.1 comment on Fcp.shortEFID) */
	if (!EUM_FT_IS_DF(type)) {
		if (fcp && fcp->shortEFID) {
			if (fcp->shortEFID->size > 1)
				return spec_bad(s, "shortEFID is not 1 byte");
			if (fcp->shortEFID->size == 1) {
				uint8_t b = fcp->shortEFID->buf[0];
				if ((b & 7) || (b >> 3) == 0x1F)
					return spec_bad(s, "shortEFID value");
				s->f.sfi = (uint8_t)(b >> 3);
			}
		} else if (t && t->type != EUM_SAIP_FT_NONE) {
			s->f.sfi = t->sfi;
		} else if (gfm) {
			/* TS 102 222 §6.3: no tag 88 -> SFI = 5 least significant bits of the FID */
			uint8_t sfi = s->f.fid & 0x1F;
			s->f.sfi = (sfi >= 1 && sfi <= 30) ? sfi : 0;
		}
	}

	s->f.lcs = EUM_LCS_OPERATIONAL_ACTIVATED;
	if (fcp && fcp->lcsi) {
		if (fcp->lcsi->size != 1)
			return spec_bad(s, "lcsi is not 1 byte");
		s->f.lcs = fcp->lcsi->buf[0];
	}

	if (type == EUM_FT_ADF) {
		struct eum_saip_aid aid;
		if (!fcp || saip_copy_aid(fcp->dfName, &aid))
			return spec_bad(s, "dfName is not an AID");
		memcpy(s->f.aid, aid.b, aid.len);
		s->f.aid_len = aid.len;
	}

	/* securityAttributesReferenced: implicit EF.ARR 2F06 for the MF, files under the MF and ADFs */
	arr_fid = (type == EUM_FT_MF || type == EUM_FT_ADF || parent == 0) ? EUM_FID_EF_ARR_MF : EUM_FID_EF_ARR_DF;
	(void)fs;
	if (fcp && fcp->securityAttributesReferenced) {
		const OCTET_STRING_t *sa = fcp->securityAttributesReferenced;
		if (sa->size == 1) {
			uint8_t sec[] = {0x8B, 0x03, (uint8_t)(arr_fid >> 8), (uint8_t)arr_fid, sa->buf[0]};
			memcpy(s->f.sec, sec, sizeof(sec));
		} else if (sa->size == 3) {
			uint8_t sec[] = {0x8B, 0x03, sa->buf[0], sa->buf[1], sa->buf[2]};
			memcpy(s->f.sec, sec, sizeof(sec));
		} else {
			return spec_bad(s, "securityAttributesReferenced is not 1 or 3 bytes");
		}
		s->f.sec_len = 5;
	} else if (t && t->type != EUM_SAIP_FT_NONE) {
		uint8_t sec[] = {0x8B, 0x03, (uint8_t)(arr_fid >> 8), (uint8_t)arr_fid, t->arr};
		memcpy(s->f.sec, sec, sizeof(sec));
		s->f.sec_len = 5;
	}

	if (fcp && fcp->proprietaryEFInfo) {
		const ProprietaryInfo_t *pi = fcp->proprietaryEFInfo;
		if (pi->fillPattern && pi->repeatPattern)
			return spec_bad(s, "fillPattern and repeatPattern together");
		if (pi->fillPattern || pi->repeatPattern) {
			const OCTET_STRING_t *p = pi->fillPattern ? pi->fillPattern : pi->repeatPattern;
			if (p->size < 1)
				return spec_bad(s, "empty fill or repeat pattern");
			s->pat = p->buf;
			s->pat_len = (size_t)p->size;
			s->pat_repeat = pi->repeatPattern != NULL;
		}
	}
	return EUM_SAIP_ST_OK;
}

/* TS 102 222 §6.3.2.2.2: fill pattern = pattern then its last byte repeated; repeat pattern = pattern repeated. */
static void expand_pattern(uint8_t *out, size_t n, const uint8_t *pat, size_t plen, int repeat)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = i < plen ? pat[i] : repeat ? pat[i % plen] : pat[plen - 1];
}

/* Build the 2-byte-FID path of idx from the MF (without 3F00). Returns its length or -1. */
static int path_of(const struct eum_fs *fs, int32_t idx, uint8_t *out, size_t cap)
{
	uint16_t fids[EUM_SAIP_PATH_MAX / 2];
	size_t n = 0, i;

	while (idx > 0) {
		if (n == EUM_SAIP_PATH_MAX / 2)
			return -1;
		fids[n++] = fs->files[idx].fid;
		idx = fs->files[idx].parent;
	}
	if (2 * n > cap)
		return -1;
	for (i = 0; i < n; i++) {
		out[2 * i] = (uint8_t)(fids[n - 1 - i] >> 8);
		out[2 * i + 1] = (uint8_t)fids[n - 1 - i];
	}
	return (int)(2 * n);
}

/* Create the file of s under parent and give it its initial content. Returns the index or a negative eum_err
 * (after the status has been recorded). */
int eum_saip_create_file(struct eum_saip_run *r, int32_t parent, struct eum_saip_fspec *s)
{
	struct eum_fs *fs = &r->ctx->prof.fs;
	int32_t target = -1;
	struct eum_file *f;
	int idx;

	if (parent < 0 ? fs->n != 0 : eum_fs_child(fs, parent, s->f.fid) >= 0)
		return eum_saip_refuse(r, EUM_SAIP_ST_FILE_EXISTS, "file %04X exists already", s->f.fid);
	if (s->link) {
		/* linkPath: FIDs from the MF, ADFs by temporary FID */
		target = eum_fs_walk(fs, 0, s->link->buf, (size_t)s->link->size);
		if (target < 0)
			return eum_saip_refuse(r, EUM_SAIP_ST_FILE_NOT_FOUND, "file %04X: linkPath target not found",
			                       s->f.fid);
		if (EUM_FT_IS_DF(fs->files[target].type) || fs->files[target].type != s->f.type)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
			                       "file %04X: linkPath target is a DF or of another structure", s->f.fid);
		s->f.rec_len = fs->files[target].rec_len;
		s->f.nrec = fs->files[target].nrec;
		s->f.size = fs->files[target].size;
	}
	idx = eum_fs_add(fs, parent, &s->f, NULL, 0);
	if (idx < 0)
		return eum_saip_refuse(
		        r, idx == EUM_ERR_NO_MEMORY ? EUM_SAIP_ST_NOT_ENOUGH_MEMORY : EUM_SAIP_ST_BAD_VALUES,
		        "file %04X: %s", s->f.fid,
		        idx == EUM_ERR_NO_MEMORY ? "file system full" : "not accepted by the file system");
	f = &fs->files[idx];
	if (!f->data || f->type == EUM_FT_EF_BER_TLV)
		return idx;
	if (target >= 0) {
		struct eum_saip_extras *x = &r->ctx->ext;
		memcpy(f->data, fs->files[target].data, f->size);
		if (x->n_links == EUM_SAIP_MAX_LINKS)
			return eum_saip_refuse(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "more than %d link files",
			                       EUM_SAIP_MAX_LINKS);
		int pl = path_of(fs, idx, x->links[x->n_links].path, EUM_SAIP_PATH_MAX);
		if (pl < 0)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "file %04X: path deeper than %d bytes",
			                       s->f.fid, EUM_SAIP_PATH_MAX);
		x->links[x->n_links].path_len = (uint8_t)pl;
		memcpy(x->links[x->n_links].target, s->link->buf, (size_t)s->link->size);
		x->links[x->n_links].target_len = (uint8_t)s->link->size;
		x->n_links++;
		return idx;
	}
	if (s->pat || (s->t && s->t->def)) {
		/* per record for record EFs, else over the whole body */
		size_t unit = EUM_FT_IS_RECORD(f->type) ? f->rec_len : f->size;
		size_t off;
		for (off = 0; off + unit <= f->size && unit; off += unit) {
			if (s->pat)
				expand_pattern(f->data + off, unit, s->pat, s->pat_len, s->pat_repeat);
			else if (eum_saip_expand_default(s->t->def, s->t->repeat, f->data + off, unit))
				return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
				                       "file %04X: template default value does not fit", f->fid);
		}
	}
	return idx;
}

/* fillFileOffset: advance the write position (relative). */
int eum_saip_fill_offset(struct eum_saip_run *r, int32_t idx, size_t *pos, long n)
{
	const struct eum_file *f = &r->ctx->prof.fs.files[idx];

	if (n < 0 || (uint64_t)*pos + (uint64_t)n > f->size || EUM_FT_IS_DF(f->type))
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "file %04X: fillFileOffset %ld beyond the file",
		                       f->fid, n);
	*pos += (size_t)n;
	return 0;
}

/* fillFileContent: write at the position (same effect as UPDATE after creation). */
int eum_saip_fill_content(struct eum_saip_run *r, int32_t idx, size_t *pos, const OCTET_STRING_t *c)
{
	struct eum_file *f = &r->ctx->prof.fs.files[idx];

	if (c->size < 0 || (uint64_t)*pos + (uint64_t)c->size > f->size || EUM_FT_IS_DF(f->type) ||
	    f->type == EUM_FT_EF_BER_TLV)
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
		                       "file %04X: fillFileContent beyond the file, or into a DF or BER-TLV EF",
		                       f->fid);
	memcpy(f->data + *pos, c->buf, (size_t)c->size);
	*pos += (size_t)c->size;
	return 0;
}
