/*
 * Persistent fields of the USIM authentication (TS 31.102 §7.1, TS 33.102
 * Annex C; SAIP akaParameter PE) for the state image (src/store/ptable.h).
 * The SQN array is its own section: AUTHENTICATE rewrites it alone.
 */
#include <stddef.h>

#include "store/psections.h"
#include "usim/aka.h"

/* clang-format off */
static const struct eum_pfield aka_fields[] = {
	EUM_PF_U8R(struct eum_aka_params, algo, 0, EUM_AKA_ALGO_NUM - 1),
	EUM_PF_U8A(struct eum_aka_params, algo_options),
	EUM_PF_U8A(struct eum_aka_params, res_len),
	EUM_PF_U8A(struct eum_aka_params, sqn_options),
	EUM_PF_BYTESF(struct eum_aka_params, k, EUM_PF_SECRET),
	EUM_PF_BYTESF(struct eum_aka_params, opc, EUM_PF_SECRET),
	EUM_PF_BYTESF(struct eum_aka_params, mc.r, EUM_PF_HEX),
	EUM_PF_BYTESF(struct eum_aka_params, mc.c, 0),
	EUM_PF_BYTESF(struct eum_aka_params, sqn_delta, EUM_PF_HEX),
	EUM_PF_BYTESF(struct eum_aka_params, sqn_age_limit, EUM_PF_HEX),
};

static const struct eum_pfield sqn_fields[] = {
	EUM_PF_BYTESF(struct eum_aka_sqn, seq, 0),
};
/* clang-format on */

const struct eum_ptable eum_pt_aka = EUM_PT("AKA", aka_fields, NULL);
const struct eum_ptable eum_pt_sqn = EUM_PT("SQN array", sqn_fields, NULL);
