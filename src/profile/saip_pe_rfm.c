/*
 * TCA eUICC Profile Package installer: PE-RFM (PE_Definitions 3.3.1 §4.8; TS 102 226 remote file
 * management instance parameters).
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "ADFRFMAccess.h"

int eum_saip_pe_rfm(struct eum_saip_run *r, const PE_RFM_t *p)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	struct eum_saip_rfm *f;
	int i;

	if (x->n_rfm == EUM_SAIP_MAX_RFM)
		return eum_saip_refuse(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "more than %d rfm PEs", EUM_SAIP_MAX_RFM);
	f = &x->rfm[x->n_rfm];
	memset(f, 0, sizeof(*f));
	f->identification = r->id;
	if (saip_copy_aid(&p->instanceAID, &f->instance) ||
	    (p->securityDomainAID && saip_copy_aid(p->securityDomainAID, &f->sd)) ||
	    p->minimumSecurityLevel.size != 1 ||
	    saip_copy_os(&p->uiccAccessDomain, f->access, sizeof(f->access), &f->access_len) ||
	    saip_copy_os(&p->uiccAdminAccessDomain, f->admin, sizeof(f->admin), &f->admin_len))
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
		                       "instanceAID, securityDomainAID, minimumSecurityLevel or access domain length");
	f->msl = p->minimumSecurityLevel.buf[0];
	for (i = 0; p->tarList && i < p->tarList->list.count; i++) {
		const OCTET_STRING_t *t = p->tarList->list.array[i];
		if (f->n_tars == EUM_SAIP_MAX_TARS)
			return eum_saip_refuse(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "more than %d TARs",
			                       EUM_SAIP_MAX_TARS);
		if (t->size != 3)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "tarList entry is %d bytes, not 3", t->size);
		memcpy(f->tars[f->n_tars++], t->buf, 3);
	}
	if (p->adfRFMAccess) {
		f->has_adf = 1;
		if (saip_copy_aid(&p->adfRFMAccess->adfAID, &f->adf) ||
		    saip_copy_os(&p->adfRFMAccess->adfAccessDomain, f->adf_access, sizeof(f->adf_access),
		                 &f->adf_access_len) ||
		    saip_copy_os(&p->adfRFMAccess->adfAdminAccessDomain, f->adf_admin, sizeof(f->adf_admin),
		                 &f->adf_admin_len))
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "adfRFMAccess AID or access domain length");
	}
	x->n_rfm++;
	return 0;
}
