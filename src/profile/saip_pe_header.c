/*
 * TCA eUICC Profile Package installer: ProfileHeader and PE-End (PE_Definitions 3.3.1 §4.1, §4.11).
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "profile/saip_templates.h"

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

int eum_saip_pe_header(struct eum_saip_run *r, const ProfileHeader_t *h)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	const asn_TYPE_descriptor_t *td = &asn_DEF_ServicesList;
	int k;

	/* [IMPL] profile-package.md: major versions 2 and 3 */
	if (h->major_version != 2 && h->major_version != 3)
		return eum_saip_rfail(r, EUM_SAIP_ST_UNSUPPORTED_PROFILE_VERSION);
	if (h->minor_version < 0 || h->minor_version > 255 || h->iccid.size != 10 ||
	    (h->profileType && (h->profileType->size < 1 || h->profileType->size > 100)) ||
	    (h->pol && saip_copy_os(h->pol, x->pol, sizeof(x->pol), &x->pol_len)) ||
	    (h->connectivityParameters &&
	     saip_copy_os(h->connectivityParameters, x->connectivity, sizeof(x->connectivity), &x->connectivity_len)))
		return eum_saip_rfail(r, EUM_SAIP_ST_BAD_VALUES);
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
			return eum_saip_fail_at(r->ctx, EUM_SAIP_ST_FEATURE_NOT_SUPPORTED, r->id, k);
	for (k = 0; k < h->eUICC_Mandatory_GFSTEList.list.count; k++) {
		const OBJECT_IDENTIFIER_t *o = h->eUICC_Mandatory_GFSTEList.list.array[k];
		if (!eum_saip_template_find(o->buf, (size_t)o->size))
			return eum_saip_fail_at(r->ctx, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED, r->id, k);
	}
	/* no applet or library is pre-installed on this card */
	if (h->eUICC_Mandatory_AIDs && h->eUICC_Mandatory_AIDs->list.count > 0)
		return eum_saip_rfail(r, EUM_SAIP_ST_LIB_NOT_SUPPORTED);
	return 0;
}

int eum_saip_pe_end(struct eum_saip_run *r)
{
	struct eum_saip_installer *ctx = r->ctx;
	uint32_t svc = ctx->ext.services;
	static const uint8_t iccid_path[] = {0x2F, 0xE2};

	/* the profile must be usable: MF with EF.ICCID, and what the header made mandatory */
	if (ctx->prof.fs.n == 0 || eum_fs_walk(&ctx->prof.fs, 0, iccid_path, 2) < 0)
		return eum_saip_rfail(r, EUM_SAIP_ST_BAD_VALUES);
	if (((svc >> SVC_USIM & 1) && ctx->usim_adf < 0) || ((svc >> SVC_ISIM & 1) && ctx->isim_adf < 0) ||
	    ((svc >> SVC_CSIM & 1) && ctx->csim_adf < 0) || (ctx->usim_adf >= 0 && !ctx->have_usim_aka) ||
	    ((svc >> SVC_MILENAGE & 1) && !(ctx->aka_algos & (1u << EUM_AKA_ALGO_MILENAGE))) ||
	    ((svc >> SVC_USIM_TEST & 1) && !(ctx->aka_algos & (1u << EUM_AKA_ALGO_XOR))))
		return eum_saip_rfail(r, EUM_SAIP_ST_BAD_VALUES);
	eum_saip_add_status(&ctx->res, ctx->pe_index, EUM_SAIP_ST_OK, r->id, -1);
	ctx->state = EUM_SAIP_DONE;
	return 0;
}
