/*
 * TCA eUICC Profile Package installer: ProfileHeader and PE-End (PE_Definitions 3.3.1 §4.1, §4.11).
 */
#include "profile/saip_pe.h"

#include <stdio.h>
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
		return eum_saip_refuse(r, EUM_SAIP_ST_UNSUPPORTED_PROFILE_VERSION,
		                       "major-version %ld (2 and 3 are read)", h->major_version);
	if (h->minor_version < 0 || h->minor_version > 255)
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "minor-version %ld", h->minor_version);
	if (h->iccid.size != 10)
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "iccid is %d bytes, not 10", h->iccid.size);
	if (h->profileType && (h->profileType->size < 1 || h->profileType->size > 100))
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "profileType length %d", h->profileType->size);
	if (h->pol && saip_copy_os(h->pol, x->pol, sizeof(x->pol), &x->pol_len))
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "pol longer than %zu bytes", sizeof(x->pol));
	if (h->connectivityParameters &&
	    saip_copy_os(h->connectivityParameters, x->connectivity, sizeof(x->connectivity), &x->connectivity_len))
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "connectivityParameters longer than %zu bytes",
		                       sizeof(x->connectivity));
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
		if ((x->services >> k & 1) && !(SERVICES_ACCEPTED >> k & 1)) {
			eum_saip_fail_at(r->ctx, EUM_SAIP_ST_FEATURE_NOT_SUPPORTED, r->id, k);
			snprintf(r->ctx->res.reason, sizeof(r->ctx->res.reason),
			         "PE header: eUICC-Mandatory-services %s not supported (feature not supported)",
			         k < td->elements_count ? td->elements[k].name : "?");
			return EUM_ERR_PROFILE;
		}
	for (k = 0; k < h->eUICC_Mandatory_GFSTEList.list.count; k++) {
		const OBJECT_IDENTIFIER_t *o = h->eUICC_Mandatory_GFSTEList.list.array[k];
		if (!eum_saip_template_find(o->buf, (size_t)o->size)) {
			eum_saip_fail_at(r->ctx, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED, r->id, k);
			snprintf(r->ctx->res.reason, sizeof(r->ctx->res.reason),
			         "PE header: eUICC-Mandatory-GFSTEList entry %d: template unknown (template not "
			         "supported)",
			         k);
			return EUM_ERR_PROFILE;
		}
	}
	/* no applet or library is pre-installed on this card */
	if (h->eUICC_Mandatory_AIDs && h->eUICC_Mandatory_AIDs->list.count > 0)
		return eum_saip_refuse(r, EUM_SAIP_ST_LIB_NOT_SUPPORTED,
		                       "eUICC-Mandatory-AIDs: no applet or library here");
	return 0;
}

int eum_saip_pe_end(struct eum_saip_run *r)
{
	struct eum_saip_installer *ctx = r->ctx;
	uint32_t svc = ctx->ext.services;
	static const uint8_t iccid_path[] = {0x2F, 0xE2};

	/* the profile must be usable: MF with EF.ICCID, and what the header made mandatory */
	if (ctx->prof.fs.n == 0 || eum_fs_walk(&ctx->prof.fs, 0, iccid_path, 2) < 0)
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "the package created no MF with EF.ICCID");
	{
		const char *why = ((svc >> SVC_USIM & 1) && ctx->usim_adf < 0)   ? "usim mandated, no USIM created"
		                  : ((svc >> SVC_ISIM & 1) && ctx->isim_adf < 0) ? "isim mandated, no ISIM created"
		                  : ((svc >> SVC_CSIM & 1) && ctx->csim_adf < 0) ? "csim mandated, no CSIM created"
		                  : (ctx->usim_adf >= 0 && !ctx->have_usim_aka)  ? "USIM without akaParameter"
		                  : ((svc >> SVC_MILENAGE & 1) && !(ctx->aka_algos & (1u << EUM_AKA_ALGO_MILENAGE)))
		                          ? "milenage mandated, no akaParameter uses it"
		                  : ((svc >> SVC_USIM_TEST & 1) && !(ctx->aka_algos & (1u << EUM_AKA_ALGO_XOR)))
		                          ? "usim-test-algorithm mandated, no akaParameter uses it"
		                          : NULL;
		if (why)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "%s", why);
	}
	eum_saip_add_status(&ctx->res, ctx->pe_index, EUM_SAIP_ST_OK, r->id, -1);
	ctx->state = EUM_SAIP_DONE;
	return 0;
}
