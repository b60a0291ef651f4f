/*
 * TCA eUICC Profile Package installer: recording PE statuses and encoding the EUICCResponse
 * (PE_Definitions 3.3.1 PEStatus / EUICCResponse; spec digest profile-package.md §5).
 */
#include "profile/saip_pe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "EUICCResponse.h"
#include "PEStatus.h"

void eum_saip_add_status(struct eum_saip_result *res, size_t pe_index, long status, long id, long add)
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
int eum_saip_fail_at(struct eum_saip_installer *ctx, long status, long id, long add)
{
	if (ctx->state == EUM_SAIP_FAILED)
		return EUM_ERR_PROFILE;
	eum_saip_add_status(&ctx->res, ctx->pe_index, status, id, add);
	ctx->res.aborted = 1;
	ctx->res.pe_index = ctx->pe_index;
	ctx->res.status = status;
	ctx->res.identification = id;
	ctx->state = EUM_SAIP_FAILED;
	/* callers that know more overwrite this (eum_saip_refuse) */
	snprintf(ctx->res.reason, sizeof(ctx->res.reason), "PE at index %zu (package offset %zu): %s", ctx->pe_index,
	         ctx->offset, eum_saip_status_name(status));
	return EUM_ERR_PROFILE;
}

const char *eum_saip_status_name(long status)
{
	/* PEStatus.status names, PE_Definitions 3.3.1 */
	static const struct {
		long v;
		const char *name;
	} names[] = {
	        {EUM_SAIP_ST_OK, "ok"},
	        {EUM_SAIP_ST_PE_NOT_SUPPORTED, "PE not supported"},
	        {EUM_SAIP_ST_MEMORY_FAILURE, "memory failure"},
	        {EUM_SAIP_ST_BAD_VALUES, "bad values"},
	        {EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "not enough memory"},
	        {EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "invalid request format"},
	        {EUM_SAIP_ST_INVALID_PARAMETER, "invalid parameter"},
	        {EUM_SAIP_ST_RUNTIME_NOT_SUPPORTED, "runtime not supported"},
	        {EUM_SAIP_ST_LIB_NOT_SUPPORTED, "lib not supported"},
	        {EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED, "template not supported"},
	        {EUM_SAIP_ST_FEATURE_NOT_SUPPORTED, "feature not supported"},
	        {EUM_SAIP_ST_PIN_CODE_MISSING, "pin code missing"},
	        {EUM_SAIP_ST_UNSUPPORTED_PROFILE_VERSION, "unsupported profile version"},
	        {EUM_SAIP_ST_FILE_EXISTS, "file already exists, 6A89"},
	        {EUM_SAIP_ST_FILE_NOT_FOUND, "file not found, 6A82"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].v == status)
			return names[i].name;
	return "status unknown to this card";
}

/* "PE <type> #<id>: " or "PE header: " */
static int pe_prefix(const struct eum_saip_run *r, char *out, size_t cap)
{
	if (r->id < 0)
		return snprintf(out, cap, "PE %s: ", r->pe ? r->pe : "header");
	return snprintf(out, cap, "PE %s #%ld: ", r->pe ? r->pe : "?", r->id);
}

int eum_saip_refuse(struct eum_saip_run *r, long status, const char *what, ...)
{
	struct eum_saip_installer *ctx = r->ctx;
	char *m = ctx->res.reason;
	size_t cap = sizeof(ctx->res.reason);
	int n, rc;
	va_list ap;

	if (ctx->state == EUM_SAIP_FAILED)
		return EUM_ERR_PROFILE;
	rc = eum_saip_fail_at(ctx, status, r->id, -1);
	n = pe_prefix(r, m, cap);
	if (n > 0 && (size_t)n < cap) {
		va_start(ap, what);
		n += vsnprintf(m + n, cap - (size_t)n, what, ap);
		va_end(ap);
	}
	if (n > 0 && (size_t)n < cap)
		snprintf(m + n, cap - (size_t)n, " (%s)", eum_saip_status_name(status));
	return rc;
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
	eum_saip_asn1_lock(); /* asn1c's descriptors are written by its codecs (saip_install.c) */
	er = der_encode(&asn_DEF_EUICCResponse, &resp, count_cb, &need);
	if (er.encoded < 0) {
		rc = EUM_ERR_INVALID_ARG;
	} else {
		*len = need;
		if (need > cap) {
			rc = EUM_ERR_BUFFER_TOO_SMALL;
		} else {
			er = der_encode_to_buffer(&asn_DEF_EUICCResponse, &resp, out, cap);
			rc = (er.encoded < 0 || (size_t)er.encoded != need) ? EUM_ERR_INVALID_ARG : EUM_OK;
		}
	}
	eum_saip_asn1_unlock();
out:
	eum_saip_asn1_lock();
	ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_EUICCResponse, &resp);
	eum_saip_asn1_unlock();
	return rc;
}
