/*
 * TCA eUICC Profile Package installer: the template-based file-system PEs (mf, cd, telecom, usim,
 * opt-usim, isim, ..., df-5gs, iot; PE_Definitions 3.3.1 §4.2 and the templates of Annex A).
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "ProfileElement.h"
#include "profile/saip_templates.h"

/* Execute one File value of a template PE; *created = index or -1 (doNotCreate / skipped). */
static int exec_file(struct eum_saip_run *r, const struct eum_saip_template *tp, const struct eum_saip_tfile *t,
                     const File_t *file, int32_t parent, int32_t *created)
{
	const Fcp_t *fcp = NULL;
	struct eum_saip_fspec s;
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
					return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
					                       "%s: doNotCreate with other members", t->name);
				if (tp->base != EUM_SAIP_BASE_MF)
					return 0;
			} else if (m->present == File__Member_PR_fileDescriptor) {
				if (i != 0)
					return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
					                       "%s: fileDescriptor is not the first member", t->name);
				fcp = &m->choice.fileDescriptor;
			}
		}
	}
	if (t->type == EUM_SAIP_FT_NONE) {
		/* no template geometry (CSIM): only a complete descriptor creates the file */
		int complete = fcp && fcp->fileID &&
		               (fcp->dfName || (fcp->fileDescriptor && fcp->fileDescriptor->size >= 1 &&
		                                (fcp->efFileSize || (fcp->linkPath && fcp->linkPath->size) ||
		                                 eum_saip_fdb_type(fcp->fileDescriptor->buf[0]) == EUM_FT_DF)));
		if (!complete) {
			r->ctx->ext.skipped_files++;
			return 0;
		}
	}
	st = eum_saip_build_spec(&r->ctx->prof.fs, parent, t, fcp, 0, &s);
	if (st)
		return eum_saip_refuse(r, st, "%s: %s", t->name, s.why ? s.why : "invalid");
	idx = eum_saip_create_file(r, parent, &s);
	if (idx < 0)
		return idx;
	*created = idx;
	if (!file)
		return 0;
	for (i = 0; i < file->list.count; i++) {
		const struct File__Member *m = file->list.array[i];
		if (m->present == File__Member_PR_fillFileOffset)
			rc = eum_saip_fill_offset(r, idx, &pos, m->choice.fillFileOffset);
		else if (m->present == File__Member_PR_fillFileContent)
			rc = eum_saip_fill_content(r, idx, &pos, &m->choice.fillFileContent);
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

int eum_saip_pe_template(struct eum_saip_run *r, ProfileElement_PR pr, const asn_TYPE_descriptor_t *td, const void *pe)
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
		return eum_saip_refuse(r, EUM_SAIP_ST_PE_NOT_SUPPORTED, "not a template PE");
	oid = (const OBJECT_IDENTIFIER_t *)((const char *)pe + td->elements[1].memb_offset);
	tp = eum_saip_template_find(oid->buf, (size_t)oid->size);
	if (!tp || tp->pe != (int)pr || tp->n != (size_t)td->elements_count - 2 || tp->n > 160)
		return eum_saip_refuse(r, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED,
		                       "templateID unknown, or not of this PE type");
	if (ctx->prof.fs.n == 0 && tp->base != EUM_SAIP_BASE_MF)
		return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "the MF must come first");
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
		return eum_saip_refuse(r, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED, "template base unknown");
	}
	if (tp->base >= EUM_SAIP_BASE_IN_USIM && base < 0)
		return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
		                       "PE before the NAA it extends"); /* opt-* / sub-DF PE before its NAA */

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
				return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
				                       "%s: its DF was not created", t->name);
			}
		} else {
			parent = tp->base >= EUM_SAIP_BASE_EXTENDS_USIM ? base : created[0];
			if (parent < 0)
				return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
				                       "%s: the template DF was not created", t->name);
		}
		rc = exec_file(r, tp, t, file, parent, &created[i]);
		if (rc)
			return rc;
		if (i == 0 && created[0] < 0 && tp->base <= EUM_SAIP_BASE_IN_USIM)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "%s: the template's own DF is not created",
			                       t->name); /* the template's own DF must exist */
	}
	switch (pr) {
	case ProfileElement_PR_usim:
		ctx->usim_adf = created[0];
		ctx->last_naa = EUM_SAIP_NAA_USIM;
		break;
	case ProfileElement_PR_isim:
		ctx->isim_adf = created[0];
		ctx->last_naa = EUM_SAIP_NAA_ISIM;
		break;
	case ProfileElement_PR_csim:
		ctx->csim_adf = created[0];
		ctx->last_naa = EUM_SAIP_NAA_CSIM;
		break;
	default:
		break;
	}
	return 0;
}
