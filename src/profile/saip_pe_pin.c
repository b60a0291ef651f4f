/*
 * TCA eUICC Profile Package installer: PE-PINCodes and PE-PUKCodes (PE_Definitions 3.3.1 §4.5;
 * TS 102 221 §9.5 PIN and key references).
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "PINConfiguration.h"
#include "PUKConfiguration.h"

/*
 * PINConfiguration.pinAttributes (UInt8, ASN.1 DEFAULT 7): the one table of its bit coding.
 *
 * Source: NOT CONFIRMED by specification text. The clause of the TCA "eUICC Profile Package:
 * Interoperable Format Technical Specification" that defines these bits was not found (searched:
 * TCA/SIMalliance specification text, pySim's SAIP code, public issue threads; the spec digest
 * profile-package.md §4.5 marks the meaning UNCONFIRMED). The coding below is the one every public
 * data point agrees with:
 *  - GSMA TS.48 Generic Test Profiles v1, v2, v4 (tests/data/ts48, pySim summaries): PIN1 06,
 *    ADM1/ADM2 03, PIN2 07 (v1) or 03 (v2, v4); the TS.48 test profiles are used with PIN1 disabled;
 *  - osmocom pySim, pySim/esim/saip/__init__.py ProfileElementPin: default PIN1 06, ADM 03,
 *    add_pin() default 07 (no bit meanings given there);
 *  - ADM keys can never be disabled (TS 102 221 §9.5.1) and all of them carry 03: b3 clear.
 * b1 = PIN enabled (verification required); b3 = DISABLE/ENABLE PIN allowed. b2 is set in every
 * observed value and not interpreted; b4..b8 are not interpreted.
 */
static const struct {
	uint8_t mask;
	uint8_t what; /* enum below */
	const char *meaning;
} pin_attr_coding[] = {
        {0x01, 0, "PIN enabled"},
        {0x04, 1, "DISABLE/ENABLE PIN allowed"},
};

void eum_saip_pin_attributes(uint8_t v, struct eum_saip_pin_attr *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < sizeof(pin_attr_coding) / sizeof(pin_attr_coding[0]); i++) {
		int set = (v & pin_attr_coding[i].mask) != 0;
		if (pin_attr_coding[i].what == 0)
			out->enabled = set;
		else
			out->can_disable = set;
	}
}

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
		if (c->keyReference < 1 || c->keyReference > 0x88)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "PUK keyReference %ld", c->keyReference);
		if (c->pukValue.size != EUM_PIN_LEN || attempts(a, &max, &left))
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "PUK %02lX: %s", c->keyReference,
			                       c->pukValue.size != EUM_PIN_LEN ? "pukValue is not 8 bytes"
			                                                       : "maxNumOfAttemps-retryNumLeft");
		rc = eum_pin_set(&r->ctx->prof.pins, 1, (uint8_t)c->keyReference, c->pukValue.buf, EUM_PIN_LEN, max,
		                 left, 1, 0);
		saip_wipe_os(&c->pukValue);
		if (rc)
			return eum_saip_refuse(
			        r, rc == EUM_ERR_NO_MEMORY ? EUM_SAIP_ST_NOT_ENOUGH_MEMORY : EUM_SAIP_ST_BAD_VALUES,
			        "PUK %02lX: %s", c->keyReference,
			        rc == EUM_ERR_NO_MEMORY ? "no free PUK slot" : "not stored");
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
		return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "pinCodes of an unknown kind");
	for (i = 0; i < p->pinCodes.choice.pinconfig.list.count; i++) {
		PINConfiguration_t *c = p->pinCodes.choice.pinconfig.list.array[i];
		long a = c->maxNumOfAttemps_retryNumLeft ? *c->maxNumOfAttemps_retryNumLeft : 0x33;
		struct eum_saip_pin_attr pa;
		uint8_t max, left, unblock = 0;
		long attr;
		int rc;
		if (c->keyReference < 1 || c->keyReference > 0x8E)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "PIN keyReference %ld", c->keyReference);
		if (c->pinValue.size != EUM_PIN_LEN || attempts(a, &max, &left))
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "PIN %02lX: %s", c->keyReference,
			                       c->pinValue.size != EUM_PIN_LEN ? "pinValue is not 8 bytes"
			                                                       : "maxNumOfAttemps-retryNumLeft");
		if (c->unblockingPINReference) {
			/* the PUK must have been defined by an earlier pukCodes PE */
			if (*c->unblockingPINReference < 1 || *c->unblockingPINReference > 0x88 ||
			    !eum_puk_find(st, (uint8_t)*c->unblockingPINReference))
				return eum_saip_refuse(
				        r, EUM_SAIP_ST_PIN_CODE_MISSING,
				        "PIN %02lX: unblockingPINReference %ld is not a PUK defined before",
				        c->keyReference, *c->unblockingPINReference);
			unblock = (uint8_t)*c->unblockingPINReference;
		}
		attr = c->pinAttributes ? *c->pinAttributes : 7; /* ASN.1 DEFAULT */
		if (attr < 0 || attr > 255)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "PIN %02lX: pinAttributes %ld",
			                       c->keyReference, attr);
		eum_saip_pin_attributes((uint8_t)attr, &pa);
		/* an ADM key is never disabled (TS 102 221 §9.5.1); its b3 is moot (eum_pin_set) */
		if (EUM_KEYREF_IS_ADM(c->keyReference) && !pa.enabled)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
			                       "PIN %02lX: pinAttributes %02lX disables an ADM key", c->keyReference,
			                       attr);
		rc = eum_pin_set(st, 0, (uint8_t)c->keyReference, c->pinValue.buf, EUM_PIN_LEN, max, left, pa.enabled,
		                 unblock);
		saip_wipe_os(&c->pinValue);
		if (rc)
			return eum_saip_refuse(
			        r, rc == EUM_ERR_NO_MEMORY ? EUM_SAIP_ST_NOT_ENOUGH_MEMORY : EUM_SAIP_ST_BAD_VALUES,
			        "PIN %02lX: %s", c->keyReference,
			        rc == EUM_ERR_NO_MEMORY ? "no free PIN slot" : "not stored");
		if (!pa.can_disable)
			eum_pin_find(st, (uint8_t)c->keyReference)->can_disable = 0;
	}
	return 0;
}
