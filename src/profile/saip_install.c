/*
 * TCA eUICC Profile Package installer (Profile interoperability specification,
 * PE_Definitions 3.3.1; spec digest profile-package.md §1 container, §4 what each
 * PE means, §5 result reporting, §6 checklist).
 *
 * Each PE is decoded with asn1c as soon as its last byte has arrived and then
 * executed into a scratch profile (file system, PINs, AKA parameters) plus the
 * plain data of the non-file PEs (struct eum_saip_extras). The caller's profile
 * is replaced only after `end`; a refused package leaves it untouched.
 *
 * Choices made where the specification leaves room (all [IMPL]):
 *  - record EFs: a fill/repeat pattern or template default applies to each
 *    record (TS 102 222 §6.3.2.2.2), not to the file as one byte string;
 *  - fillFileOffset skips bytes, which keep their initial (pattern) value;
 *  - GFM createFCP of a DF makes it the current DF (TS 102 222 CREATE FILE);
 *  - link files (Fcp linkPath) are created as a copy of their target and listed
 *    in the extras: the file system has no shared-body files yet;
 *  - PINs: one flat store (local PINs of several ADFs share a key reference;
 *    the last definition wins); pinAttributes is not interpreted (its bit
 *    meanings are unconfirmed) and every PIN starts enabled;
 *  - akaParameter binds to the NAA of the closest previous NAA PE: USIM into
 *    the profile, ISIM into the extras; TUAK and 32-byte keys are refused;
 *  - EF.UST / EF.IST are kept as given (services are not masked).
 */
#include "profile/saip_install.h"

#include <stdlib.h>
#include <string.h>

#include "ADFRFMAccess.h"
#include "ApplicationLoadPackage.h"
#include "EUICCResponse.h"
#include "FileManagement.h"
#include "KeyObject.h"
#include "PEStatus.h"
#include "PINConfiguration.h"
#include "PUKConfiguration.h"
#include "ProfileElement.h"
#include "ProprietaryInfo.h"
#include "UICCApplicationParameters.h"
#include "crypto/crypto.h"
#include "eum/eum.h"
#include "profile/saip_templates.h"
#include "usim/milenage.h"

/* Largest EF body the installer creates (READ BINARY offsets are 15 bits). */
#define FILE_MAX 0x8000u
/* Record numbers 1..254 (TS 102 221 §8.2.2). */
#define NREC_MAX 254u

/* ServicesList members (asn1c element order) this card accepts in eUICC-Mandatory-services.
 * Implemented: usim(1) isim(2) milenage(4) usim-test-algorithm(17) ber-tlv(18).
 * Accepted without an implementation behind them, so that the TS.48 test profiles install:
 * csim(3) (files only), javacard(11) (no applet runtime: application PEs with a load block
 * are refused one by one), get-identity(21), profile-a-x25519(22), profile-b-p256(23)
 * (SUCI calculation belongs to the terminal in these profiles). */
#define SERVICES_ACCEPTED                                                                                              \
	((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 11) | (1u << 17) | (1u << 18) | (1u << 21) |           \
	 (1u << 22) | (1u << 23))
#define SVC_USIM      1
#define SVC_ISIM      2
#define SVC_CSIM      3
#define SVC_MILENAGE  4
#define SVC_USIM_TEST 17

/* TCA algorithmID values */
#define TCA_ALGO_MILENAGE 1
#define TCA_ALGO_XOR      3

enum { NAA_NONE, NAA_USIM, NAA_ISIM, NAA_CSIM };

/* What one PE's execution needs to report a status. */
struct run {
	struct eum_saip_installer *ctx;
	long id; /* PEHeader identification, -1 for the ProfileHeader */
	int mandated;
};

static void add_status(struct eum_saip_result *res, size_t pe_index, long status, long id, long add)
{
	struct eum_saip_pe_status *s;

	if (res->n_st == EUM_SAIP_STATUS_MAX)
		return;
	s = &res->st[res->n_st++];
	s->status = status;
	s->identification = id;
	s->additional_information = add;
	s->offset = -1;
	s->pe_index = pe_index;
}

/* Abort the installation at the current PE. */
static int fail_at(struct eum_saip_installer *ctx, long status, long id, long add)
{
	if (ctx->state == EUM_SAIP_FAILED)
		return EUM_ERR_PROFILE;
	add_status(&ctx->res, ctx->pe_index, status, id, add);
	ctx->res.aborted = 1;
	ctx->res.pe_index = ctx->pe_index;
	ctx->res.status = status;
	ctx->res.identification = id;
	ctx->state = EUM_SAIP_FAILED;
	return EUM_ERR_PROFILE;
}

static int rfail(struct run *r, long status)
{
	return fail_at(r->ctx, status, r->id, -1);
}

/* ---- small decoders ------------------------------------------------------- */

/* Big-endian unsigned value of a 1..4 byte OCTET STRING. */
static int os_uint(const OCTET_STRING_t *os, uint32_t *v)
{
	int i;

	if (!os || os->size < 1 || os->size > 4)
		return -1;
	*v = 0;
	for (i = 0; i < os->size; i++)
		*v = (*v << 8) | os->buf[i];
	return 0;
}

static int copy_os(const OCTET_STRING_t *os, uint8_t *dst, size_t cap, uint8_t *len)
{
	if (!os || (size_t)os->size > cap)
		return -1;
	memcpy(dst, os->buf, (size_t)os->size);
	*len = (uint8_t)os->size;
	return 0;
}

static int copy_aid(const OCTET_STRING_t *os, struct eum_saip_aid *aid)
{
	if (!os || os->size < 5 || os->size > 16)
		return -1;
	return copy_os(os, aid->b, sizeof(aid->b), &aid->len);
}

/* Wipe then free an OCTET STRING's buffer content in a decoded PE (secrets). */
static void wipe_os(OCTET_STRING_t *os)
{
	if (os && os->buf)
		eum_wipe(os->buf, (size_t)os->size);
}

/* ---- file creation (§4.2, §4.4) -------------------------------------------- */

struct fspec {
	struct eum_file f;
	const uint8_t *pat; /* fill/repeat pattern of the Fcp */
	size_t pat_len;
	int pat_repeat;
	const struct eum_saip_tfile *t;
	const OCTET_STRING_t *link;
};

/* TS 102 221 Table 11.5 file descriptor byte -> file type; -1 if not a valid FDB. */
static int fdb_type(uint8_t fdb)
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
static long build_spec(const struct eum_fs *fs, int32_t parent, const struct eum_saip_tfile *t, const Fcp_t *fcp,
                       int gfm, struct fspec *s)
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
			return EUM_SAIP_ST_BAD_VALUES;
		ft = fdb_type(fd->buf[0]);
		if (ft < 0)
			return EUM_SAIP_ST_BAD_VALUES;
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
		return EUM_SAIP_ST_BAD_VALUES;
	s->f.type = (uint8_t)type;

	if (fcp && fcp->fileID) {
		if (fcp->fileID->size != 2)
			return EUM_SAIP_ST_BAD_VALUES;
		s->f.fid = (uint16_t)(fcp->fileID->buf[0] << 8 | fcp->fileID->buf[1]);
	} else if (t) {
		s->f.fid = t->fid;
	}
	if (s->f.fid == 0 || (type == EUM_FT_MF) != (s->f.fid == EUM_FID_MF))
		return EUM_SAIP_ST_BAD_VALUES;

	if (fcp && fcp->linkPath && fcp->linkPath->size > 0) {
		if (EUM_FT_IS_DF(type) || fcp->linkPath->size % 2 || fcp->linkPath->size > EUM_SAIP_PATH_MAX)
			return EUM_SAIP_ST_BAD_VALUES;
		s->link = fcp->linkPath;
	}

	/* geometry */
	if (!EUM_FT_IS_DF(type) && !s->link) {
		if (fcp && type == EUM_FT_EF_BER_TLV && fcp->proprietaryEFInfo &&
		    fcp->proprietaryEFInfo->maximumFileSize) {
			if (os_uint(fcp->proprietaryEFInfo->maximumFileSize, &v))
				return EUM_SAIP_ST_BAD_VALUES;
			have_size = 1;
		} else if (fcp && fcp->efFileSize) {
			if (os_uint(fcp->efFileSize, &v))
				return EUM_SAIP_ST_BAD_VALUES;
			have_size = 1;
		}
		if (EUM_FT_IS_RECORD(type)) {
			uint32_t nrec;
			if (rec_len == 0 || rec_len > 255)
				return EUM_SAIP_ST_BAD_VALUES;
			if (have_size) {
				if (v % rec_len)
					return EUM_SAIP_ST_BAD_VALUES;
				nrec = v / rec_len;
			} else {
				nrec = t ? t->nrec : 0;
			}
			if (nrec == 0 || nrec > NREC_MAX)
				return EUM_SAIP_ST_BAD_VALUES;
			s->f.rec_len = rec_len;
			s->f.nrec = (uint16_t)nrec;
			s->f.size = (uint32_t)rec_len * nrec;
		} else {
			s->f.size = have_size ? v : (t ? t->size : 0);
		}
		if (s->f.size > FILE_MAX)
			return EUM_SAIP_ST_BAD_VALUES;
	}

	/* SFI (ASN.1 comment on Fcp.shortEFID) */
	if (!EUM_FT_IS_DF(type)) {
		if (fcp && fcp->shortEFID) {
			if (fcp->shortEFID->size > 1)
				return EUM_SAIP_ST_BAD_VALUES;
			if (fcp->shortEFID->size == 1) {
				uint8_t b = fcp->shortEFID->buf[0];
				if ((b & 7) || (b >> 3) == 0x1F)
					return EUM_SAIP_ST_BAD_VALUES;
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
			return EUM_SAIP_ST_BAD_VALUES;
		s->f.lcs = fcp->lcsi->buf[0];
	}

	if (type == EUM_FT_ADF) {
		struct eum_saip_aid aid;
		if (!fcp || copy_aid(fcp->dfName, &aid))
			return EUM_SAIP_ST_BAD_VALUES;
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
			return EUM_SAIP_ST_BAD_VALUES;
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
			return EUM_SAIP_ST_BAD_VALUES;
		if (pi->fillPattern || pi->repeatPattern) {
			const OCTET_STRING_t *p = pi->fillPattern ? pi->fillPattern : pi->repeatPattern;
			if (p->size < 1)
				return EUM_SAIP_ST_BAD_VALUES;
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
static int create_file(struct run *r, int32_t parent, struct fspec *s)
{
	struct eum_fs *fs = &r->ctx->prof.fs;
	int32_t target = -1;
	struct eum_file *f;
	int idx;

	if (parent < 0 ? fs->n != 0 : eum_fs_child(fs, parent, s->f.fid) >= 0)
		return rfail(r, EUM_SAIP_ST_FILE_EXISTS);
	if (s->link) {
		/* linkPath: FIDs from the MF, ADFs by temporary FID */
		target = eum_fs_walk(fs, 0, s->link->buf, (size_t)s->link->size);
		if (target < 0)
			return rfail(r, EUM_SAIP_ST_FILE_NOT_FOUND);
		if (EUM_FT_IS_DF(fs->files[target].type) || fs->files[target].type != s->f.type)
			return rfail(r, EUM_SAIP_ST_BAD_VALUES);
		s->f.rec_len = fs->files[target].rec_len;
		s->f.nrec = fs->files[target].nrec;
		s->f.size = fs->files[target].size;
	}
	idx = eum_fs_add(fs, parent, &s->f, NULL, 0);
	if (idx < 0)
		return rfail(r, idx == EUM_ERR_NO_MEMORY ? EUM_SAIP_ST_NOT_ENOUGH_MEMORY : EUM_SAIP_ST_BAD_VALUES);
	f = &fs->files[idx];
	if (!f->data || f->type == EUM_FT_EF_BER_TLV)
		return idx;
	if (target >= 0) {
		struct eum_saip_extras *x = &r->ctx->ext;
		memcpy(f->data, fs->files[target].data, f->size);
		if (x->n_links == EUM_SAIP_MAX_LINKS)
			return rfail(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
		int pl = path_of(fs, idx, x->links[x->n_links].path, EUM_SAIP_PATH_MAX);
		if (pl < 0)
			return rfail(r, EUM_SAIP_ST_BAD_VALUES);
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
				return rfail(r, EUM_SAIP_ST_BAD_VALUES);
		}
	}
	return idx;
}

/* fillFileOffset: advance the write position (relative). */
static int fill_offset(struct run *r, int32_t idx, size_t *pos, long n)
{
	const struct eum_file *f = &r->ctx->prof.fs.files[idx];

	if (n < 0 || (uint64_t)*pos + (uint64_t)n > f->size || EUM_FT_IS_DF(f->type))
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	*pos += (size_t)n;
	return 0;
}

/* fillFileContent: write at the position (same effect as UPDATE after creation). */
static int fill_content(struct run *r, int32_t idx, size_t *pos, const OCTET_STRING_t *c)
{
	struct eum_file *f = &r->ctx->prof.fs.files[idx];

	if (c->size < 0 || (uint64_t)*pos + (uint64_t)c->size > f->size || EUM_FT_IS_DF(f->type) ||
	    f->type == EUM_FT_EF_BER_TLV)
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	memcpy(f->data + *pos, c->buf, (size_t)c->size);
	*pos += (size_t)c->size;
	return 0;
}

/* ---- template-based file-system PEs (§4.2) --------------------------------- */

/* Execute one File value of a template PE; *created = index or -1 (doNotCreate / skipped). */
static int exec_file(struct run *r, const struct eum_saip_template *tp, const struct eum_saip_tfile *t,
                     const File_t *file, int32_t parent, int32_t *created)
{
	const Fcp_t *fcp = NULL;
	struct fspec s;
	size_t pos = 0;
	long st;
	int i, idx, rc;

	*created = -1;
	if (file) {
		for (i = 0; i < file->list.count; i++) {
			const struct File__Member *m = file->list.array[i];
			if (m->present == File__Member_PR_doNotCreate) {
				/* no effect for the MF-level files (ASN.1 comment on doNotCreate) */
				if (file->list.count != 1)
					return rfail(r, EUM_SAIP_ST_BAD_VALUES);
				if (tp->base != EUM_SAIP_BASE_MF)
					return 0;
			} else if (m->present == File__Member_PR_fileDescriptor) {
				if (i != 0)
					return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
				fcp = &m->choice.fileDescriptor;
			}
		}
	}
	if (t->type == EUM_SAIP_FT_NONE) {
		/* no template geometry (CSIM): only a complete descriptor creates the file */
		int complete = fcp && fcp->fileID &&
		               (fcp->dfName || (fcp->fileDescriptor && fcp->fileDescriptor->size >= 1 &&
		                                (fcp->efFileSize || (fcp->linkPath && fcp->linkPath->size) ||
		                                 fdb_type(fcp->fileDescriptor->buf[0]) == EUM_FT_DF)));
		if (!complete) {
			r->ctx->ext.skipped_files++;
			return 0;
		}
	}
	st = build_spec(&r->ctx->prof.fs, parent, t, fcp, 0, &s);
	if (st)
		return rfail(r, st);
	idx = create_file(r, parent, &s);
	if (idx < 0)
		return idx;
	*created = idx;
	if (!file)
		return 0;
	for (i = 0; i < file->list.count; i++) {
		const struct File__Member *m = file->list.array[i];
		if (m->present == File__Member_PR_fillFileOffset)
			rc = fill_offset(r, idx, &pos, m->choice.fillFileOffset);
		else if (m->present == File__Member_PR_fillFileContent)
			rc = fill_content(r, idx, &pos, &m->choice.fillFileContent);
		else
			rc = 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* The File_t of member k of a PE structure (NULL if an absent OPTIONAL member). */
static const File_t *member_file(const asn_TYPE_descriptor_t *td, const void *pe, int k)
{
	const asn_TYPE_member_t *el = &td->elements[k];
	const char *p = (const char *)pe + el->memb_offset;

	if (el->type != &asn_DEF_File)
		return NULL;
	if (el->flags & ATF_POINTER)
		return *(const File_t *const *)p;
	return (const File_t *)p;
}

static int exec_template_pe(struct run *r, ProfileElement_PR pr, const asn_TYPE_descriptor_t *td, const void *pe)
{
	struct eum_saip_installer *ctx = r->ctx;
	const OBJECT_IDENTIFIER_t *oid;
	const struct eum_saip_template *tp;
	int32_t created[160];
	int32_t base = -1;
	size_t i;
	int rc;

	/* members 0 and 1: PEHeader, templateID */
	if (td->elements_count < 3 || td->elements[1].type != &asn_DEF_OBJECT_IDENTIFIER)
		return rfail(r, EUM_SAIP_ST_PE_NOT_SUPPORTED);
	oid = (const OBJECT_IDENTIFIER_t *)((const char *)pe + td->elements[1].memb_offset);
	tp = eum_saip_template_find(oid->buf, (size_t)oid->size);
	if (!tp || tp->pe != (int)pr || tp->n != (size_t)td->elements_count - 2 || tp->n > 160)
		return rfail(r, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED);
	if (ctx->prof.fs.n == 0 && tp->base != EUM_SAIP_BASE_MF)
		return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
	switch (tp->base) {
	case EUM_SAIP_BASE_MF:
	case EUM_SAIP_BASE_UNDER_MF:
		break;
	case EUM_SAIP_BASE_IN_USIM:
	case EUM_SAIP_BASE_EXTENDS_USIM:
		base = ctx->usim_adf;
		break;
	case EUM_SAIP_BASE_EXTENDS_ISIM:
		base = ctx->isim_adf;
		break;
	case EUM_SAIP_BASE_EXTENDS_CSIM:
		base = ctx->csim_adf;
		break;
	default:
		return rfail(r, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED);
	}
	if (tp->base >= EUM_SAIP_BASE_IN_USIM && base < 0)
		return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT); /* opt-* / sub-DF PE before its NAA */

	for (i = 0; i < tp->n; i++) {
		const struct eum_saip_tfile *t = &tp->files[i];
		const File_t *file = member_file(td, pe, (int)i + 2);
		int32_t parent;

		created[i] = -1;
		if (!file && !(tp->by_default && t->type != EUM_SAIP_FT_NONE && t->fid &&
		               (t->size || t->nrec || EUM_FT_IS_DF(t->type))))
			continue;
		if (i == 0 && tp->base <= EUM_SAIP_BASE_IN_USIM) {
			parent = tp->base == EUM_SAIP_BASE_MF ? -1 : tp->base == EUM_SAIP_BASE_UNDER_MF ? 0 : base;
		} else if (t->parent >= 0) {
			parent = created[t->parent];
			if (parent < 0) {
				if (!file)
					continue; /* default file of a DF that was not created */
				return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
			}
		} else {
			parent = tp->base >= EUM_SAIP_BASE_EXTENDS_USIM ? base : created[0];
			if (parent < 0)
				return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
		}
		rc = exec_file(r, tp, t, file, parent, &created[i]);
		if (rc)
			return rc;
		if (i == 0 && created[0] < 0 && tp->base <= EUM_SAIP_BASE_IN_USIM)
			return rfail(r, EUM_SAIP_ST_BAD_VALUES); /* the template's own DF must exist */
	}
	switch (pr) {
	case ProfileElement_PR_usim:
		ctx->usim_adf = created[0];
		ctx->last_naa = NAA_USIM;
		break;
	case ProfileElement_PR_isim:
		ctx->isim_adf = created[0];
		ctx->last_naa = NAA_ISIM;
		break;
	case ProfileElement_PR_csim:
		ctx->csim_adf = created[0];
		ctx->last_naa = NAA_CSIM;
		break;
	default:
		break;
	}
	return 0;
}

/* ---- genericFileManagement (§4.3) ----------------------------------------- */

static int exec_gfm(struct run *r, const PE_GenericFileManagement_t *g)
{
	struct eum_fs *fs = &r->ctx->prof.fs;
	int32_t cur_df = 0, cur_file = -1;
	size_t pos = 0;
	int i, j, rc;

	if (fs->n == 0)
		return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
	for (i = 0; i < g->fileManagementCMD.list.count; i++) {
		const FileManagement_t *fm = g->fileManagementCMD.list.array[i];
		for (j = 0; j < fm->list.count; j++) {
			const struct FileManagement__Member *m = fm->list.array[j];
			switch (m->present) {
			case FileManagement__Member_PR_filePath: {
				const OCTET_STRING_t *p = &m->choice.filePath;
				int32_t d = 0;
				if (p->size % 2 || p->size > EUM_SAIP_PATH_MAX)
					return rfail(r, EUM_SAIP_ST_BAD_VALUES);
				if (p->size > 0)
					d = eum_fs_walk(fs, 0, p->buf, (size_t)p->size);
				if (d < 0)
					return rfail(r, EUM_SAIP_ST_FILE_NOT_FOUND);
				if (!EUM_FT_IS_DF(fs->files[d].type))
					return rfail(r, EUM_SAIP_ST_BAD_VALUES);
				cur_df = d;
				cur_file = -1;
				break;
			}
			case FileManagement__Member_PR_createFCP: {
				struct fspec s;
				long st = build_spec(fs, cur_df, NULL, &m->choice.createFCP, 1, &s);
				int idx;
				if (st)
					return rfail(r, st);
				idx = create_file(r, cur_df, &s);
				if (idx < 0)
					return idx;
				cur_file = idx;
				pos = 0;
				/* TS 102 222 §6.3: a created DF becomes the current DF */
				if (EUM_FT_IS_DF(fs->files[idx].type))
					cur_df = idx;
				break;
			}
			case FileManagement__Member_PR_fillFileOffset:
			case FileManagement__Member_PR_fillFileContent:
				if (cur_file < 0)
					return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
				rc = m->present == FileManagement__Member_PR_fillFileOffset
				             ? fill_offset(r, cur_file, &pos, m->choice.fillFileOffset)
				             : fill_content(r, cur_file, &pos, &m->choice.fillFileContent);
				if (rc)
					return rc;
				break;
			default:
				return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
			}
		}
	}
	return 0;
}

/* ---- PINs and PUKs (§4.5) ------------------------------------------------- */

/* Attempts byte: high nibble max attempts, low nibble retries left. */
static int attempts(long v, uint8_t *max, uint8_t *left)
{
	if (v < 0 || v > 255)
		return -1;
	*max = (uint8_t)(v >> 4);
	*left = (uint8_t)(v & 0x0F);
	return (*max == 0 || *left > *max) ? -1 : 0;
}

static int exec_puks(struct run *r, PE_PUKCodes_t *p)
{
	int i;

	for (i = 0; i < p->pukCodes.list.count; i++) {
		PUKConfiguration_t *c = p->pukCodes.list.array[i];
		uint8_t max, left;
		long a = c->maxNumOfAttemps_retryNumLeft ? *c->maxNumOfAttemps_retryNumLeft : 0xAA;
		int rc;
		if (c->keyReference < 1 || c->keyReference > 0x88 || c->pukValue.size != EUM_PIN_LEN ||
		    attempts(a, &max, &left))
			return rfail(r, EUM_SAIP_ST_BAD_VALUES);
		rc = eum_pin_set(&r->ctx->prof.pins, 1, (uint8_t)c->keyReference, c->pukValue.buf, EUM_PIN_LEN, max,
		                 left, 1, 0);
		wipe_os(&c->pukValue);
		if (rc)
			return rfail(r,
			             rc == EUM_ERR_NO_MEMORY ? EUM_SAIP_ST_NOT_ENOUGH_MEMORY : EUM_SAIP_ST_BAD_VALUES);
	}
	return 0;
}

static int exec_pins(struct run *r, PE_PINCodes_t *p)
{
	struct eum_pin_store *st = &r->ctx->prof.pins;
	int i;

	if (p->pinCodes.present == PE_PINCodes__pinCodes_PR_filePath)
		return 0; /* PINs shared with another DF/ADF: one flat store already shares them */
	if (p->pinCodes.present != PE_PINCodes__pinCodes_PR_pinconfig)
		return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
	for (i = 0; i < p->pinCodes.choice.pinconfig.list.count; i++) {
		PINConfiguration_t *c = p->pinCodes.choice.pinconfig.list.array[i];
		long a = c->maxNumOfAttemps_retryNumLeft ? *c->maxNumOfAttemps_retryNumLeft : 0x33;
		uint8_t max, left, unblock = 0;
		int rc;
		if (c->keyReference < 1 || c->keyReference > 0x8E || c->pinValue.size != EUM_PIN_LEN ||
		    attempts(a, &max, &left))
			return rfail(r, EUM_SAIP_ST_BAD_VALUES);
		if (c->unblockingPINReference) {
			/* the PUK must have been defined by an earlier pukCodes PE */
			if (*c->unblockingPINReference < 1 || *c->unblockingPINReference > 0x88 ||
			    !eum_puk_find(st, (uint8_t)*c->unblockingPINReference))
				return rfail(r, EUM_SAIP_ST_PIN_CODE_MISSING);
			unblock = (uint8_t)*c->unblockingPINReference;
		}
		rc = eum_pin_set(st, 0, (uint8_t)c->keyReference, c->pinValue.buf, EUM_PIN_LEN, max, left, 1, unblock);
		wipe_os(&c->pinValue);
		if (rc)
			return rfail(r,
			             rc == EUM_ERR_NO_MEMORY ? EUM_SAIP_ST_NOT_ENOUGH_MEMORY : EUM_SAIP_ST_BAD_VALUES);
	}
	return 0;
}

/* ---- akaParameter (§4.6) --------------------------------------------------- */

static int seq6_ok(const OCTET_STRING_t *os)
{
	/* sqnDelta / sqnAgeLimit / sqnInit values: 6 bytes, at most 07FFFFFFFFFF */
	return os && os->size == 6 && os->buf[0] <= 0x07;
}

static int exec_aka(struct run *r, PE_AKAParameter_t *p)
{
	struct eum_saip_installer *ctx = r->ctx;
	struct eum_aka_params ap;
	struct eum_aka_sqn sq;
	enum eum_aka_algo algo;
	int i, rc = 0;

	memset(&sq, 0, sizeof(sq));
	if (ctx->last_naa != NAA_USIM && ctx->last_naa != NAA_ISIM)
		return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
	if ((ctx->last_naa == NAA_USIM && ctx->have_usim_aka) || (ctx->last_naa == NAA_ISIM && ctx->ext.has_isim_aka))
		return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
	if (p->algoConfiguration.present == PE_AKAParameter__algoConfiguration_PR_mappingParameter) {
		/* reuse the key set of another NAA: only the USIM's can be referenced here */
		const MappingParameter_t *mp = &p->algoConfiguration.choice.mappingParameter;
		const struct eum_file *adf = ctx->usim_adf >= 0 ? &ctx->prof.fs.files[ctx->usim_adf] : NULL;
		if (ctx->last_naa != NAA_ISIM || !ctx->have_usim_aka || !adf ||
		    mp->mappingSource.size != adf->aid_len ||
		    memcmp(mp->mappingSource.buf, adf->aid, adf->aid_len) != 0)
			return rfail(r, EUM_SAIP_ST_BAD_VALUES);
		ctx->ext.isim_aka = ctx->prof.aka;
		ctx->ext.isim_sqn = ctx->prof.sqn;
		ctx->ext.has_isim_aka = 1;
		return 0;
	}
	if (p->algoConfiguration.present != PE_AKAParameter__algoConfiguration_PR_algoParameter)
		return rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
	AlgoParameter_t *a = &p->algoConfiguration.choice.algoParameter;
	if (eum_aka_algo_from_tca(a->algorithmID, &algo) != EUM_OK) {
		rc = rfail(r, EUM_SAIP_ST_FEATURE_NOT_SUPPORTED); /* TUAK, unknown algorithms */
		goto out;
	}
	eum_aka_params_default(&ap, algo);
	if (a->algorithmOptions.size != 1 || a->key.size != 16 ||
	    (algo == EUM_AKA_ALGO_MILENAGE && a->opc.size != 16) ||
	    (a->rotationConstants && a->rotationConstants->size != 5) ||
	    (a->xoringConstants && a->xoringConstants->size != 80) || (p->sqnOptions && p->sqnOptions->size != 1) ||
	    (p->sqnDelta && !seq6_ok(p->sqnDelta)) || (p->sqnAgeLimit && !seq6_ok(p->sqnAgeLimit))) {
		rc = rfail(r, EUM_SAIP_ST_BAD_VALUES);
		goto out;
	}
	ap.algo_options = a->algorithmOptions.buf[0];
	memcpy(ap.k, a->key.buf, 16);
	if (algo == EUM_AKA_ALGO_MILENAGE) {
		if (ctx->opts & EUM_SAIP_OPT_OPC_IS_OP) {
			if (eum_milenage_opc(ap.k, a->opc.buf, ap.opc) != EUM_OK) {
				rc = rfail(r, EUM_SAIP_ST_MEMORY_FAILURE);
				goto out;
			}
		} else {
			memcpy(ap.opc, a->opc.buf, 16);
		}
		if (a->rotationConstants)
			memcpy(ap.mc.r, a->rotationConstants->buf, 5);
		if (a->xoringConstants)
			memcpy(ap.mc.c, a->xoringConstants->buf, 80);
	}
	if (algo == EUM_AKA_ALGO_MILENAGE) {
		/* "ignored in case of usim-test-algorithm": the defaults stay */
		if (p->sqnOptions)
			ap.sqn_options = p->sqnOptions->buf[0];
		if (p->sqnDelta)
			memcpy(ap.sqn_delta, p->sqnDelta->buf, 6);
		if (p->sqnAgeLimit)
			memcpy(ap.sqn_age_limit, p->sqnAgeLimit->buf, 6);
	} else if (p->sqnOptions) {
		ap.sqn_options = p->sqnOptions->buf[0]; /* kept as given, not interpreted (aka.h) */
	}
	if (p->sqnInit) {
		if (p->sqnInit->list.count != (int)EUM_AKA_SQN_ARRAY) {
			rc = rfail(r, EUM_SAIP_ST_BAD_VALUES);
			goto out;
		}
		for (i = 0; i < p->sqnInit->list.count; i++) {
			if (!seq6_ok(p->sqnInit->list.array[i])) {
				rc = rfail(r, EUM_SAIP_ST_BAD_VALUES);
				goto out;
			}
			memcpy(sq.seq[i], p->sqnInit->list.array[i]->buf, 6);
		}
	}
	ctx->aka_algos |= (uint8_t)(1u << algo);
	if (ctx->last_naa == NAA_USIM) {
		ctx->prof.aka = ap;
		ctx->prof.sqn = sq;
		ctx->have_usim_aka = 1;
	} else {
		ctx->ext.isim_aka = ap;
		ctx->ext.isim_sqn = sq;
		ctx->ext.has_isim_aka = 1;
	}
out:
	eum_wipe(&ap, sizeof(ap));
	wipe_os(&a->key);
	wipe_os(&a->opc);
	return rc;
}

/* ---- securityDomain, rfm, application, cdma (§4.7 - §4.9) ------------------ */

static int exec_sd(struct run *r, PE_SecurityDomain_t *p)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	struct eum_saip_sd *sd;
	ApplicationInstance_t *in = &p->instance;
	int i, j, rc = 0;

	if (x->n_sd == EUM_SAIP_MAX_SD)
		return rfail(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
	sd = &x->sd[x->n_sd];
	memset(sd, 0, sizeof(*sd));
	sd->identification = r->id;
	sd->lcs = 0x07;
	if (copy_aid(&in->applicationLoadPackageAID, &sd->load_package) || copy_aid(&in->classAID, &sd->class_aid) ||
	    copy_aid(&in->instanceAID, &sd->instance) ||
	    copy_os(&in->applicationPrivileges, sd->privileges, sizeof(sd->privileges), &sd->privileges_len) ||
	    copy_os(&in->applicationSpecificParametersC9, sd->c9, sizeof(sd->c9), &sd->c9_len) ||
	    (in->lifeCycleState && in->lifeCycleState->size != 1))
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	if (in->lifeCycleState)
		sd->lcs = in->lifeCycleState->buf[0];
	if (in->applicationParameters && in->applicationParameters->uiccToolkitApplicationSpecificParametersField &&
	    copy_os(in->applicationParameters->uiccToolkitApplicationSpecificParametersField, sd->toolkit,
	            sizeof(sd->toolkit), &sd->toolkit_len))
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	for (i = 0; p->keyList && i < p->keyList->list.count; i++) {
		KeyObject_t *k = p->keyList->list.array[i];
		for (j = 0; j < k->keyComponents.list.count; j++) {
			struct KeyObject__keyComponents__Member *c = k->keyComponents.list.array[j];
			struct eum_saip_key *ky;
			if (sd->n_keys == EUM_SAIP_MAX_KEYS) {
				rc = rfail(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
				goto out;
			}
			ky = &sd->keys[sd->n_keys];
			if (k->keyIdentifier.size != 1 || k->keyVersionNumber.size != 1 ||
			    k->keyUsageQualifier.size < 1 || k->keyUsageQualifier.size > 2 ||
			    (k->keyAccess && k->keyAccess->size != 1) || c->keyType.size != 1 || c->keyData.size < 1 ||
			    c->keyData.size > EUM_SAIP_KEY_MAX ||
			    (k->keyCounterValue && k->keyCounterValue->size > 8) ||
			    (c->macLength && (*c->macLength < 0 || *c->macLength > 255))) {
				rc = rfail(r, EUM_SAIP_ST_BAD_VALUES);
				goto out;
			}
			ky->kid = k->keyIdentifier.buf[0];
			ky->kvn = k->keyVersionNumber.buf[0];
			memcpy(ky->usage, k->keyUsageQualifier.buf, (size_t)k->keyUsageQualifier.size);
			ky->usage_len = (uint8_t)k->keyUsageQualifier.size;
			ky->access = k->keyAccess ? k->keyAccess->buf[0] : 0x00;
			ky->type = c->keyType.buf[0];
			ky->mac_len = c->macLength ? (uint8_t)*c->macLength : 8;
			if (k->keyCounterValue)
				copy_os(k->keyCounterValue, ky->counter, sizeof(ky->counter), &ky->counter_len);
			memcpy(ky->data, c->keyData.buf, (size_t)c->keyData.size);
			ky->len = (uint8_t)c->keyData.size;
			sd->n_keys++;
		}
	}
	for (i = 0; p->sdPersoData && i < p->sdPersoData->list.count; i++) {
		const OCTET_STRING_t *d = p->sdPersoData->list.array[i];
		if (sd->n_perso == EUM_SAIP_MAX_PERSO || d->size > EUM_SAIP_PERSO_MAX) {
			rc = rfail(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
			goto out;
		}
		memcpy(sd->perso[sd->n_perso].b, d->buf, (size_t)d->size);
		sd->perso[sd->n_perso++].len = (uint16_t)d->size;
	}
	if (p->catTpParameters) {
		if (p->catTpParameters->catTpMaxSduSize < 0 || p->catTpParameters->catTpMaxSduSize > 0xFFFF ||
		    p->catTpParameters->catTpMaxPduSize < 0 || p->catTpParameters->catTpMaxPduSize > 0xFFFF) {
			rc = rfail(r, EUM_SAIP_ST_BAD_VALUES);
			goto out;
		}
		sd->has_cat_tp = 1;
		sd->cat_tp_max_sdu = (uint16_t)p->catTpParameters->catTpMaxSduSize;
		sd->cat_tp_max_pdu = (uint16_t)p->catTpParameters->catTpMaxPduSize;
	}
	x->n_sd++;
out:
	for (i = 0; p->keyList && i < p->keyList->list.count; i++)
		for (j = 0; j < p->keyList->list.array[i]->keyComponents.list.count; j++)
			wipe_os(&p->keyList->list.array[i]->keyComponents.list.array[j]->keyData);
	if (rc)
		eum_wipe(sd, sizeof(*sd));
	return rc;
}

static int exec_rfm(struct run *r, const PE_RFM_t *p)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	struct eum_saip_rfm *f;
	int i;

	if (x->n_rfm == EUM_SAIP_MAX_RFM)
		return rfail(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
	f = &x->rfm[x->n_rfm];
	memset(f, 0, sizeof(*f));
	f->identification = r->id;
	if (copy_aid(&p->instanceAID, &f->instance) ||
	    (p->securityDomainAID && copy_aid(p->securityDomainAID, &f->sd)) || p->minimumSecurityLevel.size != 1 ||
	    copy_os(&p->uiccAccessDomain, f->access, sizeof(f->access), &f->access_len) ||
	    copy_os(&p->uiccAdminAccessDomain, f->admin, sizeof(f->admin), &f->admin_len))
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	f->msl = p->minimumSecurityLevel.buf[0];
	for (i = 0; p->tarList && i < p->tarList->list.count; i++) {
		const OCTET_STRING_t *t = p->tarList->list.array[i];
		if (f->n_tars == EUM_SAIP_MAX_TARS)
			return rfail(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
		if (t->size != 3)
			return rfail(r, EUM_SAIP_ST_BAD_VALUES);
		memcpy(f->tars[f->n_tars++], t->buf, 3);
	}
	if (p->adfRFMAccess) {
		f->has_adf = 1;
		if (copy_aid(&p->adfRFMAccess->adfAID, &f->adf) ||
		    copy_os(&p->adfRFMAccess->adfAccessDomain, f->adf_access, sizeof(f->adf_access),
		            &f->adf_access_len) ||
		    copy_os(&p->adfRFMAccess->adfAdminAccessDomain, f->adf_admin, sizeof(f->adf_admin),
		            &f->adf_admin_len))
			return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	}
	x->n_rfm++;
	return 0;
}

static int exec_app(struct run *r, const PE_Application_t *p)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	struct eum_saip_app *a;
	int i;

	if (x->n_app == EUM_SAIP_MAX_APPS)
		return rfail(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
	a = &x->app[x->n_app];
	memset(a, 0, sizeof(*a));
	a->identification = r->id;
	if (p->loadBlock && copy_aid(&p->loadBlock->loadPackageAID, &a->load_package))
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	for (i = 0; p->instanceList && i < p->instanceList->list.count; i++) {
		if (a->n_instances == EUM_SAIP_MAX_INST)
			return rfail(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
		if (copy_aid(&p->instanceList->list.array[i]->instanceAID, &a->instances[a->n_instances++]))
			return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	}
	x->n_app++;
	if (p->loadBlock) {
		/* §4.9 [IMPL]: no Java Card runtime to load the package into */
		if (r->mandated)
			return rfail(r, EUM_SAIP_ST_RUNTIME_NOT_SUPPORTED);
		add_status(&r->ctx->res, r->ctx->pe_index, EUM_SAIP_ST_PE_NOT_SUPPORTED, r->id, -1);
	}
	return 0;
}

static int exec_cdma(struct run *r, PE_CDMAParameter_t *p)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	int rc = 0;

	if (p->authenticationKey.size != 8 || (p->ssd && p->ssd->size != 16)) {
		rc = rfail(r, EUM_SAIP_ST_BAD_VALUES);
	} else {
		memcpy(x->cdma_akey, p->authenticationKey.buf, 8);
		if (p->ssd)
			copy_os(p->ssd, x->cdma_ssd, sizeof(x->cdma_ssd), &x->cdma_ssd_len);
		x->has_cdma = 1;
	}
	wipe_os(&p->authenticationKey);
	wipe_os(p->ssd);
	return rc;
}

/* ---- header and end (§4.1, §4.11) ------------------------------------------ */

static int exec_header(struct run *r, const ProfileHeader_t *h)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	const asn_TYPE_descriptor_t *td = &asn_DEF_ServicesList;
	int k;

	/* [IMPL] profile-package.md: major versions 2 and 3 */
	if (h->major_version != 2 && h->major_version != 3)
		return rfail(r, EUM_SAIP_ST_UNSUPPORTED_PROFILE_VERSION);
	if (h->minor_version < 0 || h->minor_version > 255 || h->iccid.size != 10 ||
	    (h->profileType && (h->profileType->size < 1 || h->profileType->size > 100)) ||
	    (h->pol && copy_os(h->pol, x->pol, sizeof(x->pol), &x->pol_len)) ||
	    (h->connectivityParameters &&
	     copy_os(h->connectivityParameters, x->connectivity, sizeof(x->connectivity), &x->connectivity_len)))
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	x->major_version = (uint8_t)h->major_version;
	x->minor_version = (uint8_t)h->minor_version;
	memcpy(x->iccid, h->iccid.buf, 10);
	if (h->profileType)
		memcpy(x->profile_type, h->profileType->buf, (size_t)h->profileType->size);
	for (k = 0; k < td->elements_count && k < 32; k++) {
		const char *p = (const char *)&h->eUICC_Mandatory_services + td->elements[k].memb_offset;
		if (*(const void *const *)p)
			x->services |= 1u << k;
	}
	for (k = 0; k < 32; k++)
		if ((x->services >> k & 1) && !(SERVICES_ACCEPTED >> k & 1))
			return fail_at(r->ctx, EUM_SAIP_ST_FEATURE_NOT_SUPPORTED, r->id, k);
	for (k = 0; k < h->eUICC_Mandatory_GFSTEList.list.count; k++) {
		const OBJECT_IDENTIFIER_t *o = h->eUICC_Mandatory_GFSTEList.list.array[k];
		if (!eum_saip_template_find(o->buf, (size_t)o->size))
			return fail_at(r->ctx, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED, r->id, k);
	}
	/* no applet or library is pre-installed on this card */
	if (h->eUICC_Mandatory_AIDs && h->eUICC_Mandatory_AIDs->list.count > 0)
		return rfail(r, EUM_SAIP_ST_LIB_NOT_SUPPORTED);
	return 0;
}

static int exec_end(struct run *r)
{
	struct eum_saip_installer *ctx = r->ctx;
	uint32_t svc = ctx->ext.services;
	static const uint8_t iccid_path[] = {0x2F, 0xE2};

	/* the profile must be usable: MF with EF.ICCID, and what the header made mandatory */
	if (ctx->prof.fs.n == 0 || eum_fs_walk(&ctx->prof.fs, 0, iccid_path, 2) < 0)
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	if (((svc >> SVC_USIM & 1) && ctx->usim_adf < 0) || ((svc >> SVC_ISIM & 1) && ctx->isim_adf < 0) ||
	    ((svc >> SVC_CSIM & 1) && ctx->csim_adf < 0) || (ctx->usim_adf >= 0 && !ctx->have_usim_aka) ||
	    ((svc >> SVC_MILENAGE & 1) && !(ctx->aka_algos & (1u << EUM_AKA_ALGO_MILENAGE))) ||
	    ((svc >> SVC_USIM_TEST & 1) && !(ctx->aka_algos & (1u << EUM_AKA_ALGO_XOR))))
		return rfail(r, EUM_SAIP_ST_BAD_VALUES);
	add_status(&ctx->res, ctx->pe_index, EUM_SAIP_ST_OK, r->id, -1);
	ctx->state = EUM_SAIP_DONE;
	return 0;
}

/* ---- one PE ------------------------------------------------------------------ */

static int exec_pe(struct eum_saip_installer *ctx, ProfileElement_t *pe)
{
	const asn_TYPE_descriptor_t *td;
	struct run r = {ctx, -1, 0};
	void *body = &pe->choice;

	if (pe->present <= ProfileElement_PR_NOTHING || (int)pe->present > asn_DEF_ProfileElement.elements_count)
		return fail_at(ctx, EUM_SAIP_ST_PE_NOT_SUPPORTED, -1, -1); /* unknown extension */
	td = asn_DEF_ProfileElement.elements[pe->present - 1].type;
	if (pe->present == ProfileElement_PR_header) {
		if (ctx->pe_index != 0)
			return fail_at(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1, -1);
		return exec_header(&r, &pe->choice.header);
	}
	if (ctx->pe_index == 0)
		return fail_at(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1, -1); /* header first (§1) */
	if (td->elements_count < 1 || td->elements[0].type != &asn_DEF_PEHeader)
		return fail_at(ctx, EUM_SAIP_ST_PE_NOT_SUPPORTED, -1, -1); /* rfu PE-Dummy */
	{
		const PEHeader_t *h = (const PEHeader_t *)((const char *)body + td->elements[0].memb_offset);
		r.id = h->identification;
		r.mandated = h->mandated != NULL;
		if (r.id < 0 || r.id > 32767)
			return fail_at(ctx, EUM_SAIP_ST_BAD_VALUES, -1, -1);
		/* identifications are unique in a package (§6.2) */
		if (ctx->ids[r.id >> 3] & (1u << (r.id & 7)))
			return rfail(&r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
		ctx->ids[r.id >> 3] |= (uint8_t)(1u << (r.id & 7));
	}
	switch (pe->present) {
	case ProfileElement_PR_genericFileManagement:
		return exec_gfm(&r, &pe->choice.genericFileManagement);
	case ProfileElement_PR_pinCodes:
		return exec_pins(&r, &pe->choice.pinCodes);
	case ProfileElement_PR_pukCodes:
		return exec_puks(&r, &pe->choice.pukCodes);
	case ProfileElement_PR_akaParameter:
		return exec_aka(&r, &pe->choice.akaParameter);
	case ProfileElement_PR_cdmaParameter:
		return exec_cdma(&r, &pe->choice.cdmaParameter);
	case ProfileElement_PR_securityDomain:
		return exec_sd(&r, &pe->choice.securityDomain);
	case ProfileElement_PR_rfm:
		return exec_rfm(&r, &pe->choice.rfm);
	case ProfileElement_PR_application:
		return exec_app(&r, &pe->choice.application);
	case ProfileElement_PR_nonStandard:
		/* §4.10: unknown issuers are ignored unless mandated */
		if (r.mandated)
			return rfail(&r, EUM_SAIP_ST_PE_NOT_SUPPORTED);
		add_status(&ctx->res, ctx->pe_index, EUM_SAIP_ST_PE_NOT_SUPPORTED, r.id, -1);
		return 0;
	case ProfileElement_PR_end:
		return exec_end(&r);
	case ProfileElement_PR_mf:
	case ProfileElement_PR_cd:
	case ProfileElement_PR_telecom:
	case ProfileElement_PR_usim:
	case ProfileElement_PR_opt_usim:
	case ProfileElement_PR_isim:
	case ProfileElement_PR_opt_isim:
	case ProfileElement_PR_phonebook:
	case ProfileElement_PR_gsm_access:
	case ProfileElement_PR_csim:
	case ProfileElement_PR_opt_csim:
	case ProfileElement_PR_eap:
	case ProfileElement_PR_df_5gs:
	case ProfileElement_PR_df_saip:
	case ProfileElement_PR_df_snpn:
	case ProfileElement_PR_df_5gprose:
	case ProfileElement_PR_iot:
	case ProfileElement_PR_opt_iot:
		return exec_template_pe(&r, pe->present, td, body);
	default:
		return rfail(&r, EUM_SAIP_ST_PE_NOT_SUPPORTED);
	}
}

/* Decode and execute one complete PE of len bytes. */
static int process_pe(struct eum_saip_installer *ctx, const uint8_t *der, size_t len)
{
	ProfileElement_t *pe = NULL;
	asn_dec_rval_t rv;
	int rc;

	ctx->res.pe_count++;
	if (ctx->state == EUM_SAIP_DONE)
		return fail_at(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1, -1); /* `end` is the last PE */
	rv = ber_decode(NULL, &asn_DEF_ProfileElement, (void **)&pe, der, len);
	if (rv.code != RC_OK || rv.consumed != len)
		rc = fail_at(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1, -1);
	else
		rc = exec_pe(ctx, pe);
	ASN_STRUCT_FREE(asn_DEF_ProfileElement, pe);
	ctx->pe_index++;
	ctx->offset += len;
	return rc;
}

/* DER header of the next PE: 1- or 2-byte tag, definite length of up to 4 bytes.
 * Returns 1 and *total (header + value) when known, 0 when more bytes are needed, -1 if malformed. */
static int pe_header(const uint8_t *p, size_t n, size_t *total)
{
	size_t h = 1, len = 0, nl, i;

	if (n < 1)
		return 0;
	if ((p[0] & 0x1F) == 0x1F) {
		if (n < 2)
			return 0;
		if (p[1] & 0x80)
			return -1;
		h = 2;
	}
	if (n < h + 1)
		return 0;
	if (p[h] < 0x80) {
		len = p[h];
		h += 1;
	} else {
		nl = p[h] & 0x7Fu;
		if (nl == 0 || nl > 4)
			return -1;
		if (n < h + 1 + nl)
			return 0;
		for (i = 0; i < nl; i++)
			len = (len << 8) | p[h + 1 + i];
		h += 1 + nl;
	}
	if (len > EUM_SAIP_PE_MAX)
		return -1;
	*total = h + len;
	return 1;
}

/* ---- API -------------------------------------------------------------------- */

int eum_saip_installer_init(struct eum_saip_installer *ctx, uint32_t opts)
{
	if (!ctx)
		return EUM_ERR_INVALID_ARG;
	memset(ctx, 0, sizeof(*ctx));
	ctx->opts = opts;
	eum_fs_init(&ctx->prof.fs);
	ctx->usim_adf = ctx->isim_adf = ctx->csim_adf = -1;
	ctx->res.identification = -1;
	return EUM_OK;
}

int eum_saip_installer_feed(struct eum_saip_installer *ctx, const uint8_t *bytes, size_t n)
{
	size_t total;
	int h;

	if (!ctx || (!bytes && n))
		return EUM_ERR_INVALID_ARG;
	while (n > 0) {
		if (ctx->state == EUM_SAIP_FAILED)
			return EUM_ERR_PROFILE;
		if (ctx->buf_len == 0) {
			/* fast path: the whole PE is in the caller's bytes */
			h = pe_header(bytes, n, &total);
			if (h < 0)
				return fail_at(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1, -1);
			if (h > 0 && total <= n) {
				if (process_pe(ctx, bytes, total) && ctx->state == EUM_SAIP_FAILED)
					return EUM_ERR_PROFILE;
				bytes += total;
				n -= total;
				continue;
			}
		}
		/* keep the partial PE: first its header, then exactly the rest of it */
		h = pe_header(ctx->buf, ctx->buf_len, &total);
		if (h < 0)
			return fail_at(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1, -1);
		{
			size_t want = h > 0 ? total - ctx->buf_len : 1;
			size_t take = want < n ? want : n;
			size_t need = ctx->buf_len + take;
			if (need > ctx->buf_cap) {
				size_t ncap = h > 0 ? total : 16;
				uint8_t *nb = malloc(ncap);
				if (!nb)
					return fail_at(ctx, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, -1, -1);
				if (ctx->buf) {
					memcpy(nb, ctx->buf, ctx->buf_len);
					eum_wipe(ctx->buf, ctx->buf_cap);
					free(ctx->buf);
				}
				ctx->buf = nb;
				ctx->buf_cap = ncap;
			}
			memcpy(ctx->buf + ctx->buf_len, bytes, take);
			ctx->buf_len += take;
			bytes += take;
			n -= take;
		}
		h = pe_header(ctx->buf, ctx->buf_len, &total);
		if (h < 0)
			return fail_at(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1, -1);
		if (h > 0 && ctx->buf_len == total) {
			int rc = process_pe(ctx, ctx->buf, total);
			eum_wipe(ctx->buf, ctx->buf_len);
			ctx->buf_len = 0;
			if (rc && ctx->state == EUM_SAIP_FAILED)
				return EUM_ERR_PROFILE;
		}
	}
	return ctx->state == EUM_SAIP_FAILED ? EUM_ERR_PROFILE : EUM_OK;
}

void eum_saip_profile_clear(struct eum_profile *p)
{
	eum_fs_free(&p->fs);
	eum_wipe(&p->pins, sizeof(p->pins));
	eum_wipe(&p->aka, sizeof(p->aka));
	eum_wipe(&p->sqn, sizeof(p->sqn));
}

void eum_saip_extras_wipe(struct eum_saip_extras *x)
{
	if (x)
		eum_wipe(x, sizeof(*x));
}

int eum_saip_installer_finish(struct eum_saip_installer *ctx, struct eum_profile *out, struct eum_saip_extras *extras,
                              struct eum_saip_result *res)
{
	int rc = EUM_ERR_PROFILE;

	if (!ctx || !out)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state == EUM_SAIP_RUNNING)
		/* the package ended without `end` (possibly inside a PE) */
		fail_at(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1, -1);
	if (ctx->state == EUM_SAIP_DONE) {
		eum_saip_profile_clear(out);
		*out = ctx->prof; /* move: the installer no longer owns the file system */
		memset(&ctx->prof, 0, sizeof(ctx->prof));
		eum_fs_init(&ctx->prof.fs);
		if (extras)
			*extras = ctx->ext;
		rc = EUM_OK;
	}
	if (res)
		*res = ctx->res;
	return rc;
}

void eum_saip_installer_free(struct eum_saip_installer *ctx)
{
	if (!ctx)
		return;
	eum_saip_profile_clear(&ctx->prof);
	if (ctx->buf) {
		eum_wipe(ctx->buf, ctx->buf_cap);
		free(ctx->buf);
	}
	ctx->buf = NULL;
	ctx->buf_len = ctx->buf_cap = 0;
	eum_saip_extras_wipe(&ctx->ext);
}

int eum_saip_install_ex(struct eum_profile *out, struct eum_saip_extras *extras, const uint8_t *der, size_t len,
                        uint32_t opts, struct eum_saip_result *res)
{
	struct eum_saip_installer *ctx;
	int rc;

	if (!out || (!der && len))
		return EUM_ERR_INVALID_ARG;
	ctx = malloc(sizeof(*ctx)); /* owned here, ~40 KiB: too large for small stacks */
	if (!ctx)
		return EUM_ERR_NO_MEMORY;
	eum_saip_installer_init(ctx, opts);
	eum_saip_installer_feed(ctx, der, len);
	rc = eum_saip_installer_finish(ctx, out, extras, res);
	eum_saip_installer_free(ctx);
	free(ctx);
	return rc;
}

int eum_saip_install(struct eum_profile *out, const uint8_t *der, size_t len, struct eum_saip_result *res)
{
	return eum_saip_install_ex(out, NULL, der, len, 0, res);
}

/* asn1c output callback: count only (sizing pass). */
static int count_cb(const void *buf, size_t size, void *key)
{
	(void)buf;
	*(size_t *)key += size;
	return 0;
}

int eum_saip_encode_result(const struct eum_saip_result *res, uint8_t *out, size_t cap, size_t *len)
{
	EUICCResponse_t resp;
	asn_enc_rval_t er;
	size_t need = 0, i;
	int rc = EUM_ERR_NO_MEMORY;

	if (!res || !len || (!out && cap) || res->n_st > EUM_SAIP_STATUS_MAX)
		return EUM_ERR_INVALID_ARG;
	memset(&resp, 0, sizeof(resp));
	for (i = 0; i < res->n_st; i++) {
		const struct eum_saip_pe_status *s = &res->st[i];
		PEStatus_t *ps = calloc(1, sizeof(*ps));
		if (!ps)
			goto out;
		ps->status = s->status;
		if (ASN_SEQUENCE_ADD(&resp.peStatus.list, ps)) {
			free(ps);
			goto out;
		}
		if (s->identification >= 0 && !(ps->identification = malloc(sizeof(*ps->identification))))
			goto out;
		if (ps->identification)
			*ps->identification = s->identification;
		if (s->additional_information >= 0 &&
		    !(ps->additional_information = malloc(sizeof(*ps->additional_information))))
			goto out;
		if (ps->additional_information)
			*ps->additional_information = s->additional_information;
		if (s->offset >= 0 && !(ps->offset = malloc(sizeof(*ps->offset))))
			goto out;
		if (ps->offset)
			*ps->offset = s->offset;
	}
	if (res->aborted && !(resp.profileInstallationAborted = calloc(1, sizeof(NULL_t))))
		goto out;
	er = der_encode(&asn_DEF_EUICCResponse, &resp, count_cb, &need);
	if (er.encoded < 0) {
		rc = EUM_ERR_INVALID_ARG;
		goto out;
	}
	*len = need;
	if (need > cap) {
		rc = EUM_ERR_BUFFER_TOO_SMALL;
		goto out;
	}
	er = der_encode_to_buffer(&asn_DEF_EUICCResponse, &resp, out, cap);
	rc = (er.encoded < 0 || (size_t)er.encoded != need) ? EUM_ERR_INVALID_ARG : EUM_OK;
out:
	ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_EUICCResponse, &resp);
	return rc;
}
