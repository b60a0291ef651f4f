/*
 * TCA eUICC Profile Package installer: recording PE statuses and encoding the EUICCResponse
 * (PE_Definitions 3.3.1 PEStatus / EUICCResponse; spec digest profile-package.md §5).
 */
#include "profile/saip_pe.h"

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
	return EUM_ERR_PROFILE;
}

int eum_saip_rfail(struct eum_saip_run *r, long status)
{
	return eum_saip_fail_at(r->ctx, status, r->id, -1);
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
