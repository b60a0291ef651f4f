/*
 * Persistent fields of OTA (ETSI TS 102 225 key sets and replay counters,
 * TS 102 226 §8 RFM instances) for the state image (src/store/ptable.h).
 * Counters are sections of their own: an SCP80 packet rewrites them alone.
 */
#include <stddef.h>

#include "core/card.h"
#include "profile/profile.h"
#include "ota/scp80.h"
#include "store/psections.h"

/* clang-format off */
static const struct eum_pfield scp80_key_fields[] = {
	EUM_PF_U8R(struct eum_scp80_key, algo, 0, EUM_SCP80_ALGO_NUM - 1),
	EUM_PF_BYTESF(struct eum_scp80_key, val, EUM_PF_SECRET),
};
static const struct eum_ptable pt_scp80_key = EUM_PT("SCP80 key", scp80_key_fields, NULL);

static const struct eum_pfield scp80_keyset_fields[] = {
	EUM_PF_U8R(struct eum_scp80_keyset, kvn, 0, 15),
	EUM_PF_TABLEN(struct eum_scp80_keyset, kic, struct eum_scp80_key, 1, pt_scp80_key),
	EUM_PF_TABLEN(struct eum_scp80_keyset, kid, struct eum_scp80_key, 1, pt_scp80_key),
	EUM_PF_TABLEN(struct eum_scp80_keyset, kik, struct eum_scp80_key, 1, pt_scp80_key),
};

static const struct eum_pfield scp80_cntr_fields[] = {
	EUM_PF_BYTESF(struct eum_scp80_counter, v, EUM_PF_HEX),
};

static const struct eum_pfield rfm_inst_fields[] = {
	EUM_PF_U8R(struct eum_rfm, in_use, 0, 1),
	EUM_PF_BYTESF(struct eum_rfm, tar, EUM_PF_HEX),
	EUM_PF_U8A(struct eum_rfm, msl),
	EUM_PF_VAR8F(struct eum_rfm, adf_aid, adf_aid_len, 0, EUM_PF_HEX),
	/* access domains (TS 102 226 §8.2.1.3.2.5): UICC, ADF 1..3 as given in the PE-RFM */
	EUM_PF_VAR8F(struct eum_rfm, ad[0], ad_len[0], 0, EUM_PF_HEX),
	EUM_PF_VAR8F(struct eum_rfm, ad[1], ad_len[1], 0, EUM_PF_HEX),
	EUM_PF_VAR8F(struct eum_rfm, ad[2], ad_len[2], 0, EUM_PF_HEX),
	EUM_PF_VAR8F(struct eum_rfm, ad[3], ad_len[3], 0, EUM_PF_HEX),
};
_Static_assert(EUM_RFM_AD_NUM == 4, "one table line per access domain");
/* clang-format on */

const struct eum_ptable eum_pt_scp80_keyset = EUM_PT("SCP80 key set", scp80_keyset_fields, NULL);
const struct eum_ptable eum_pt_scp80_cntr = EUM_PT("SCP80 counter", scp80_cntr_fields, NULL);
static const struct eum_ptable pt_rfm_inst = EUM_PT("RFM", rfm_inst_fields, NULL);

static const struct eum_pfield rfm_fields[] = {
        EUM_PF_ARRAY(struct eum_profile, rfm, struct eum_rfm, pt_rfm_inst),
};
static const struct eum_pfield ota_keys_fields[] = {
        EUM_PF_ARRAY(struct eum_profile, ota_keys, struct eum_scp80_keyset, eum_pt_scp80_keyset),
};
static const struct eum_pfield ota_cntr_fields[] = {
        EUM_PF_ARRAY(struct eum_profile, ota_cntr, struct eum_scp80_counter, eum_pt_scp80_cntr),
};

const struct eum_ptable eum_pt_rfm = EUM_PT("RFM instances", rfm_fields, NULL);
const struct eum_ptable eum_pt_ota_keys = EUM_PT("OTA key sets", ota_keys_fields, NULL);
const struct eum_ptable eum_pt_ota_cntr = EUM_PT("OTA counters", ota_cntr_fields, NULL);
