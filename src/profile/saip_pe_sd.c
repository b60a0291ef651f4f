/*
 * TCA eUICC Profile Package installer: PE-SecurityDomain (PE_Definitions 3.3.1 §4.7;
 * GlobalPlatform Card Spec §11.1.9 key usage, §11.5 INSTALL parameters).
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "KeyObject.h"
#include "UICCApplicationParameters.h"

int eum_saip_pe_sd(struct eum_saip_run *r, PE_SecurityDomain_t *p)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	struct eum_saip_sd *sd;
	ApplicationInstance_t *in = &p->instance;
	int i, j, rc = 0;

	if (x->n_sd == EUM_SAIP_MAX_SD)
		return eum_saip_refuse(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "more than %d securityDomain PEs",
		                       EUM_SAIP_MAX_SD);
	sd = &x->sd[x->n_sd];
	memset(sd, 0, sizeof(*sd));
	sd->identification = r->id;
	sd->lcs = 0x07;
	if (saip_copy_aid(&in->applicationLoadPackageAID, &sd->load_package) ||
	    saip_copy_aid(&in->classAID, &sd->class_aid) || saip_copy_aid(&in->instanceAID, &sd->instance) ||
	    saip_copy_os(&in->applicationPrivileges, sd->privileges, sizeof(sd->privileges), &sd->privileges_len) ||
	    saip_copy_os(&in->applicationSpecificParametersC9, sd->c9, sizeof(sd->c9), &sd->c9_len) ||
	    (in->lifeCycleState && in->lifeCycleState->size != 1))
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
		                       "instance AIDs, applicationPrivileges, C9 parameters or lifeCycleState length");
	if (in->lifeCycleState)
		sd->lcs = in->lifeCycleState->buf[0];
	if (in->applicationParameters && in->applicationParameters->uiccToolkitApplicationSpecificParametersField &&
	    saip_copy_os(in->applicationParameters->uiccToolkitApplicationSpecificParametersField, sd->toolkit,
	                 sizeof(sd->toolkit), &sd->toolkit_len))
		return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
		                       "uiccToolkitApplicationSpecificParametersField longer than %zu bytes",
		                       sizeof(sd->toolkit));
	for (i = 0; p->keyList && i < p->keyList->list.count; i++) {
		KeyObject_t *k = p->keyList->list.array[i];
		for (j = 0; j < k->keyComponents.list.count; j++) {
			struct KeyObject__keyComponents__Member *c = k->keyComponents.list.array[j];
			struct eum_saip_key *ky;
			if (sd->n_keys == EUM_SAIP_MAX_KEYS) {
				rc = eum_saip_refuse(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "more than %d key components",
				                     EUM_SAIP_MAX_KEYS);
				goto out;
			}
			ky = &sd->keys[sd->n_keys];
			if (k->keyIdentifier.size != 1 || k->keyVersionNumber.size != 1 ||
			    k->keyUsageQualifier.size < 1 || k->keyUsageQualifier.size > 2 ||
			    (k->keyAccess && k->keyAccess->size != 1) || c->keyType.size != 1 || c->keyData.size < 1 ||
			    c->keyData.size > EUM_SAIP_KEY_MAX ||
			    (k->keyCounterValue && k->keyCounterValue->size > 8) ||
			    (c->macLength && (*c->macLength < 0 || *c->macLength > 255))) {
				rc = eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
				                     "keyList key %d component %d: identifier, version, usage, access, "
				                     "type, data, counter or macLength",
				                     i, j);
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
				saip_copy_os(k->keyCounterValue, ky->counter, sizeof(ky->counter), &ky->counter_len);
			memcpy(ky->data, c->keyData.buf, (size_t)c->keyData.size);
			ky->len = (uint8_t)c->keyData.size;
			sd->n_keys++;
		}
	}
	for (i = 0; p->sdPersoData && i < p->sdPersoData->list.count; i++) {
		const OCTET_STRING_t *d = p->sdPersoData->list.array[i];
		if (sd->n_perso == EUM_SAIP_MAX_PERSO || d->size > EUM_SAIP_PERSO_MAX) {
			rc = eum_saip_refuse(r, EUM_SAIP_ST_NOT_ENOUGH_MEMORY,
			                     "sdPersoData %d: more than %d entries or longer than %d bytes", i,
			                     EUM_SAIP_MAX_PERSO, EUM_SAIP_PERSO_MAX);
			goto out;
		}
		memcpy(sd->perso[sd->n_perso].b, d->buf, (size_t)d->size);
		sd->perso[sd->n_perso++].len = (uint16_t)d->size;
	}
	if (p->catTpParameters) {
		if (p->catTpParameters->catTpMaxSduSize < 0 || p->catTpParameters->catTpMaxSduSize > 0xFFFF ||
		    p->catTpParameters->catTpMaxPduSize < 0 || p->catTpParameters->catTpMaxPduSize > 0xFFFF) {
			rc = eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "catTpParameters SDU/PDU size above 65535");
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
			saip_wipe_os(&p->keyList->list.array[i]->keyComponents.list.array[j]->keyData);
	if (rc)
		eum_wipe(sd, sizeof(*sd));
	return rc;
}
