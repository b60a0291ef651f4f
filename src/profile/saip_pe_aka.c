/*
 * TCA eUICC Profile Package installer: PE-AKAParameter and PE-CDMAParameter (PE_Definitions 3.3.1
 * §4.6; MILENAGE TS 35.206, test algorithm TS 34.108 §8.1.2).
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "crypto/crypto.h"
#include "usim/milenage.h"

static int seq6_ok(const OCTET_STRING_t *os)
{
	/* sqnDelta / sqnAgeLimit / sqnInit values: 6 bytes, at most 07FFFFFFFFFF */
	return os && os->size == 6 && os->buf[0] <= 0x07;
}

int eum_saip_pe_aka(struct eum_saip_run *r, PE_AKAParameter_t *p)
{
	struct eum_saip_installer *ctx = r->ctx;
	struct eum_aka_params ap;
	struct eum_aka_sqn sq;
	enum eum_aka_algo algo;
	int i, rc = 0;

	memset(&sq, 0, sizeof(sq));
	if (ctx->last_naa != EUM_SAIP_NAA_USIM && ctx->last_naa != EUM_SAIP_NAA_ISIM)
		return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "no USIM or ISIM PE before it");
	if ((ctx->last_naa == EUM_SAIP_NAA_USIM && ctx->have_usim_aka) ||
	    (ctx->last_naa == EUM_SAIP_NAA_ISIM && ctx->ext.has_isim_aka))
		return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "a second akaParameter for the %s",
		                       ctx->last_naa == EUM_SAIP_NAA_USIM ? "USIM" : "ISIM");
	if (p->algoConfiguration.present == PE_AKAParameter__algoConfiguration_PR_mappingParameter) {
		/* reuse the key set of another NAA: only the USIM's can be referenced here */
		const MappingParameter_t *mp = &p->algoConfiguration.choice.mappingParameter;
		const struct eum_file *adf = ctx->usim_adf >= 0 ? &ctx->prof.fs.files[ctx->usim_adf] : NULL;
		if (ctx->last_naa != EUM_SAIP_NAA_ISIM || !ctx->have_usim_aka || !adf ||
		    mp->mappingSource.size != adf->aid_len ||
		    memcmp(mp->mappingSource.buf, adf->aid, adf->aid_len) != 0)
			return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
			                       "mappingParameter mappingSource is not the USIM AID of this package");
		ctx->ext.isim_aka = ctx->prof.aka;
		ctx->ext.isim_sqn = ctx->prof.sqn;
		ctx->ext.has_isim_aka = 1;
		return 0;
	}
	if (p->algoConfiguration.present != PE_AKAParameter__algoConfiguration_PR_algoParameter)
		return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "algoConfiguration of an unknown kind");
	AlgoParameter_t *a = &p->algoConfiguration.choice.algoParameter;
	if (eum_aka_algo_from_tca(a->algorithmID, &algo) != EUM_OK) {
		rc = eum_saip_refuse(r, EUM_SAIP_ST_FEATURE_NOT_SUPPORTED, "algorithmID %ld not supported",
		                     a->algorithmID); /* TUAK, unknown algorithms */
		goto out;
	}
	eum_aka_params_default(&ap, algo);
	{
		const char *why =
		        a->algorithmOptions.size != 1                               ? "algorithmOptions is not 1 byte"
		        : a->key.size != 16                                         ? "key is not 16 bytes"
		        : (algo == EUM_AKA_ALGO_MILENAGE && a->opc.size != 16)      ? "opc is not 16 bytes"
		        : (a->rotationConstants && a->rotationConstants->size != 5) ? "rotationConstants is not 5 bytes"
		        : (a->xoringConstants && a->xoringConstants->size != 80)    ? "xoringConstants is not 80 bytes"
		        : (p->sqnOptions && p->sqnOptions->size != 1)               ? "sqnOptions is not 1 byte"
		        : (p->sqnDelta && !seq6_ok(p->sqnDelta))       ? "sqnDelta value above 07FFFFFFFFFF"
		        : (p->sqnAgeLimit && !seq6_ok(p->sqnAgeLimit)) ? "sqnAgeLimit value above 07FFFFFFFFFF"
		                                                       : NULL;
		if (why) {
			rc = eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "%s", why);
			goto out;
		}
	}
	ap.algo_options = a->algorithmOptions.buf[0];
	memcpy(ap.k, a->key.buf, 16);
	if (algo == EUM_AKA_ALGO_MILENAGE) {
		if (ctx->opts & EUM_SAIP_OPT_OPC_IS_OP) {
			if (eum_milenage_opc(ap.k, a->opc.buf, ap.opc) != EUM_OK) {
				rc = eum_saip_refuse(r, EUM_SAIP_ST_MEMORY_FAILURE, "OPc derivation failed");
				goto out;
			}
		} else {
			memcpy(ap.opc, a->opc.buf, 16);
		}
		if (a->rotationConstants)
			memcpy(ap.mc.r, a->rotationConstants->buf, 5);
		if (a->xoringConstants)
			memcpy(ap.mc.c, a->xoringConstants->buf, 80);
	}
	if (algo == EUM_AKA_ALGO_MILENAGE) {
		/* "ignored in case of usim-test-algorithm": the defaults stay */
		if (p->sqnOptions)
			ap.sqn_options = p->sqnOptions->buf[0];
		if (p->sqnDelta)
			memcpy(ap.sqn_delta, p->sqnDelta->buf, 6);
		if (p->sqnAgeLimit)
			memcpy(ap.sqn_age_limit, p->sqnAgeLimit->buf, 6);
	} else if (p->sqnOptions) {
		ap.sqn_options = p->sqnOptions->buf[0]; /* kept as given, not interpreted (aka.h) */
	}
	if (p->sqnInit) {
		if (p->sqnInit->list.count != (int)EUM_AKA_SQN_ARRAY) {
			rc = eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "sqnInit has %d entries, not %u",
			                     p->sqnInit->list.count, (unsigned)EUM_AKA_SQN_ARRAY);
			goto out;
		}
		for (i = 0; i < p->sqnInit->list.count; i++) {
			if (!seq6_ok(p->sqnInit->list.array[i])) {
				rc = eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "sqnInit value above 07FFFFFFFFFF");
				goto out;
			}
			memcpy(sq.seq[i], p->sqnInit->list.array[i]->buf, 6);
		}
	}
	ctx->aka_algos |= (uint8_t)(1u << algo);
	if (ctx->last_naa == EUM_SAIP_NAA_USIM) {
		ctx->prof.aka = ap;
		ctx->prof.sqn = sq;
		ctx->have_usim_aka = 1;
	} else {
		ctx->ext.isim_aka = ap;
		ctx->ext.isim_sqn = sq;
		ctx->ext.has_isim_aka = 1;
	}
out:
	eum_wipe(&ap, sizeof(ap));
	saip_wipe_os(&a->key);
	saip_wipe_os(&a->opc);
	return rc;
}

int eum_saip_pe_cdma(struct eum_saip_run *r, PE_CDMAParameter_t *p)
{
	struct eum_saip_extras *x = &r->ctx->ext;
	int rc = 0;

	if (p->authenticationKey.size != 8 || (p->ssd && p->ssd->size != 16)) {
		rc = eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES, "authenticationKey or ssd length");
	} else {
		memcpy(x->cdma_akey, p->authenticationKey.buf, 8);
		if (p->ssd)
			saip_copy_os(p->ssd, x->cdma_ssd, sizeof(x->cdma_ssd), &x->cdma_ssd_len);
		x->has_cdma = 1;
	}
	saip_wipe_os(&p->authenticationKey);
	saip_wipe_os(p->ssd);
	return rc;
}
