/*
 * TCA eUICC Profile Package installer: PE-PINCodes and PE-PUKCodes (PE_Definitions 3.3.1 §4.5;
 * TS 102 221 §9.5 PIN and key references).
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "PINConfiguration.h"
#include "PUKConfiguration.h"

/* Attempts byte: high nibble max attempts, low nibble retries left. */
static int attempts(long v, uint8_t *max, uint8_t *left)
{
	if (v < 0 || v > 255)
		return -1;
	*max = (uint8_t)(v >> 4);
	*left = (uint8_t)(v & 0x0F);
	return (*max == 0 || *left > *max) ? -1 : 0;
}

int eum_saip_pe_puks(struct eum_saip_run *r, PE_PUKCodes_t *p)
{
	int i;

	for (i = 0; i < p->pukCodes.list.count; i++) {
		PUKConfiguration_t *c = p->pukCodes.list.array[i];
		uint8_t max, left;
		long a = c->maxNumOfAttemps_retryNumLeft ? *c->maxNumOfAttemps_retryNumLeft : 0xAA;
		int rc;
		if (c->keyReference < 1 || c->keyReference > 0x88 || c->pukValue.size != EUM_PIN_LEN ||
		    attempts(a, &max, &left))
			return eum_saip_rfail(r, EUM_SAIP_ST_BAD_VALUES);
		rc = eum_pin_set(&r->ctx->prof.pins, 1, (uint8_t)c->keyReference, c->pukValue.buf, EUM_PIN_LEN, max,
		                 left, 1, 0);
		saip_wipe_os(&c->pukValue);
		if (rc)
			return eum_saip_rfail(r, rc == EUM_ERR_NO_MEMORY ? EUM_SAIP_ST_NOT_ENOUGH_MEMORY
			                                                 : EUM_SAIP_ST_BAD_VALUES);
	}
	return 0;
}

int eum_saip_pe_pins(struct eum_saip_run *r, PE_PINCodes_t *p)
{
	struct eum_pin_store *st = &r->ctx->prof.pins;
	int i;

	if (p->pinCodes.present == PE_PINCodes__pinCodes_PR_filePath)
		return 0; /* PINs shared with another DF/ADF: one flat store already shares them */
	if (p->pinCodes.present != PE_PINCodes__pinCodes_PR_pinconfig)
		return eum_saip_rfail(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
	for (i = 0; i < p->pinCodes.choice.pinconfig.list.count; i++) {
		PINConfiguration_t *c = p->pinCodes.choice.pinconfig.list.array[i];
		long a = c->maxNumOfAttemps_retryNumLeft ? *c->maxNumOfAttemps_retryNumLeft : 0x33;
		uint8_t max, left, unblock = 0;
		int rc;
		if (c->keyReference < 1 || c->keyReference > 0x8E || c->pinValue.size != EUM_PIN_LEN ||
		    attempts(a, &max, &left))
			return eum_saip_rfail(r, EUM_SAIP_ST_BAD_VALUES);
		if (c->unblockingPINReference) {
			/* the PUK must have been defined by an earlier pukCodes PE */
			if (*c->unblockingPINReference < 1 || *c->unblockingPINReference > 0x88 ||
			    !eum_puk_find(st, (uint8_t)*c->unblockingPINReference))
				return eum_saip_rfail(r, EUM_SAIP_ST_PIN_CODE_MISSING);
			unblock = (uint8_t)*c->unblockingPINReference;
		}
		rc = eum_pin_set(st, 0, (uint8_t)c->keyReference, c->pinValue.buf, EUM_PIN_LEN, max, left, 1, unblock);
		saip_wipe_os(&c->pinValue);
		if (rc)
			return eum_saip_rfail(r, rc == EUM_ERR_NO_MEMORY ? EUM_SAIP_ST_NOT_ENOUGH_MEMORY
			                                                 : EUM_SAIP_ST_BAD_VALUES);
	}
	return 0;
}
