/*
 * TCA eUICC Profile Package installer: PE-Application (PE_Definitions 3.3.1 §4.9). Recorded only:
 * there is no Java Card runtime on this card.
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "ApplicationLoadPackage.h"

int eum_saip_pe_app(struct eum_saip_run *r, const PE_Application_t *p)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	struct eum_saip_app *a;
	int i;

	if (x->n_app == EUM_SAIP_MAX_APPS)
		return eum_saip_refuse(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "more than %d application PEs",
		                       EUM_SAIP_MAX_APPS);
	a = &x->app[x->n_app];
	memset(a, 0, sizeof(*a));
	a->identification = r->id;
	if (p->loadBlock && saip_copy_aid(&p->loadBlock->loadPackageAID, &a->load_package))
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "loadBlock loadPackageAID length");
	for (i = 0; p->instanceList && i < p->instanceList->list.count; i++) {
		if (a->n_instances == EUM_SAIP_MAX_INST)
			return eum_saip_refuse(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "more than %d instances",
			                       EUM_SAIP_MAX_INST);
		if (saip_copy_aid(&p->instanceList->list.array[i]->instanceAID, &a->instances[a->n_instances++]))
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "instanceList instanceAID length");
	}
	x->n_app++;
	if (p->loadBlock) {
		/* §4.9 [IMPL]: no Java Card runtime to load the package into */
		if (r->mandated)
			return eum_saip_refuse(r, EUM_SAIP_ST_RUNTIME_NOT_SUPPORTED,
			                       "mandated loadBlock: no Java Card runtime on this card");
		eum_saip_add_status(&r->ctx->res, r->ctx->pe_index, EUM_SAIP_ST_PE_NOT_SUPPORTED, r->id, -1);
	}
	return 0;
}
