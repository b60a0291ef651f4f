/*
 * Persistent fields of the GlobalPlatform security domains (SGP.02 §1: the
 * ECASD, the ISD-R, the ISD-Ps and the profiles' MNO-SD; GP Amd D SCP03 key
 * sets) for the state image (src/store/ptable.h). The ISD-R's SCP80
 * counters are a section of their own: an ES5 packet rewrites them alone.
 */
#include <stddef.h>

#include "core/card.h"
#include "gp/domains.h"
#include "crypto/ecc.h"
#include "gp/scp03.h"
#include "store/psections.h"

/* clang-format off */
static const struct eum_pfield scp03_fields[] = {
	EUM_PF_U8A(struct eum_scp03_keyset, kvn),
	EUM_PF_U8R(struct eum_scp03_keyset, key_len, 0, EUM_SCP03_KEY_MAX),
	EUM_PF_BYTESF(struct eum_scp03_keyset, key_enc, EUM_PF_SECRET),
	EUM_PF_BYTESF(struct eum_scp03_keyset, key_mac, EUM_PF_SECRET),
	EUM_PF_BYTESF(struct eum_scp03_keyset, key_dek, EUM_PF_SECRET),
	EUM_PF_U32R(struct eum_scp03_keyset, seq_counter, 0, 0xFFFFFF),
};

static const struct eum_pfield ecasd_fields[] = {
	EUM_PF_BYTESF(struct eum_ecasd, eid, EUM_PF_HEX),
	EUM_PF_U8R(struct eum_ecasd, curve, 0, 0xFF),
	EUM_PF_BYTESF(struct eum_ecasd, sk_ecka, EUM_PF_SECRET),
	EUM_PF_BYTESF(struct eum_ecasd, pk_ci, 0),
	EUM_PF_VAR16F(struct eum_ecasd, cert, cert_len, 0, 0),
};
/* clang-format on */

static const char *scp03_check(const void *obj)
{
	const struct eum_scp03_keyset *k = obj;

	return k->key_len == 0 || k->key_len == 16 || k->key_len == 24 || k->key_len == 32 ? NULL
	                                                                                   : "key length invalid";
}

static const char *ecasd_check(const void *obj)
{
	const struct eum_ecasd *e = obj;

	return e->curve == EUM_ECC_NIST_P256 || e->curve == EUM_ECC_BRAINPOOL_P256R1 ? NULL : "unknown curve";
}

/* clang-format off */
static const struct eum_pfield scp81_fields[] = {
	EUM_PF_U8R(struct eum_scp81_psk, kvn, 0, EUM_SCP81_KVN_MAX),
	EUM_PF_U8R(struct eum_scp81_psk, kid, 0, 0x7F),
	EUM_PF_U8A(struct eum_scp81_psk, type),
	EUM_PF_VAR8F(struct eum_scp81_psk, psk, len, EUM_SCP81_PSK_MIN, EUM_PF_SECRET),
};
/* clang-format on */

/* An empty slot holds nothing; a used one a TLS PSK of KVN 40-4F (spec digest scp81-https.md §3.4). */
static const char *scp81_check(const void *obj)
{
	const struct eum_scp81_psk *k = obj;

	if (k->kvn == 0)
		return k->kid || k->type || k->len ? "empty SCP81 slot holds a key" : NULL;
	if (k->kvn < EUM_SCP81_KVN_MIN || k->kid == 0 || k->type != EUM_SCP81_KEY_TYPE || k->len < EUM_SCP81_PSK_MIN)
		return "SCP81 key invalid";
	return NULL;
}

static const struct eum_ptable pt_scp81_psk = EUM_PT("SCP81 PSK", scp81_fields, scp81_check);
const struct eum_ptable eum_pt_scp03_keyset = EUM_PT("SCP03 key set", scp03_fields, scp03_check);
const struct eum_ptable eum_pt_ecasd = EUM_PT("ECASD", ecasd_fields, ecasd_check);

/* clang-format off */
static const struct eum_pfield isdr_fields[] = {
	EUM_PF_BYTESF(struct eum_isdr, tar, EUM_PF_HEX),
	EUM_PF_U8A(struct eum_isdr, msl),
	EUM_PF_ARRAY(struct eum_isdr, scp80, struct eum_scp80_keyset, eum_pt_scp80_keyset),
	EUM_PF_ARRAY(struct eum_isdr, scp03, struct eum_scp03_keyset, eum_pt_scp03_keyset),
	EUM_PF_ARRAY(struct eum_isdr, scp81, struct eum_scp81_psk, pt_scp81_psk),
};

static const struct eum_pfield isdr_cntr_fields[] = {
	EUM_PF_ARRAY(struct eum_isdr, scp80_cntr, struct eum_scp80_counter, eum_pt_scp80_cntr),
};

static const struct eum_pfield isdp_fields[] = {
	EUM_PF_VAR8F(struct eum_isdp, aid, aid_len, 5, EUM_PF_HEX),
	EUM_PF_U8A(struct eum_isdp, lcs),
	EUM_PF_U8R(struct eum_isdp, fallback, 0, 1),
	EUM_PF_U8A(struct eum_isdp, pol1),
	EUM_PF_U8R(struct eum_isdp, has_profile, 0, 1),
	EUM_PF_BYTESF(struct eum_isdp, privileges, EUM_PF_HEX),
	EUM_PF_U32R(struct eum_isdp, nvm_quota, 0, UINT32_MAX),
	EUM_PF_ARRAY(struct eum_isdp, scp03, struct eum_scp03_keyset, eum_pt_scp03_keyset),
	EUM_PF_VAR8F(struct eum_isdp, conn, conn_len, 0, EUM_PF_HEX),
	EUM_PF_U8R(struct eum_isdp, has_token_key, 0, 1),
	EUM_PF_BYTESF(struct eum_isdp, token_key, EUM_PF_SECRET),
};

static const struct eum_pfield mnosd_fields[] = {
	EUM_PF_VAR8F(struct eum_profile, mnosd_aid, mnosd_aid_len, 5, EUM_PF_HEX),
	EUM_PF_ARRAY(struct eum_profile, mnosd_scp03, struct eum_scp03_keyset, eum_pt_scp03_keyset),
};
/* clang-format on */

/* SGP.02 §3.1: the four states an ISD-P can be in, and the profile each one implies */
static const char *isdp_check(const void *obj)
{
	const struct eum_isdp *p = obj;

	switch (p->lcs) {
	case EUM_ISDP_SELECTABLE:
	case EUM_ISDP_PERSONALIZED:
		return p->has_profile ? "holds a profile before its download ended" : NULL;
	case EUM_ISDP_DISABLED:
	case EUM_ISDP_ENABLED:
		return p->has_profile ? NULL : "DISABLED or ENABLED without a profile";
	default:
		return "unknown life-cycle state";
	}
}

const struct eum_ptable eum_pt_isdr = EUM_PT("ISD-R", isdr_fields, NULL);
const struct eum_ptable eum_pt_isdr_cntr = EUM_PT("ISD-R counters", isdr_cntr_fields, NULL);
const struct eum_ptable eum_pt_isdp = EUM_PT("ISD-P", isdp_fields, isdp_check);
const struct eum_ptable eum_pt_mnosd = EUM_PT("MNO-SD", mnosd_fields, NULL);
