/*
 * Persistent fields of the ISD-R's SGP.02 ES5 state (src/sgp02/es5_state.h:
 * SM-SR addressing §7.10, notifications §5.1.1, the profile switch in
 * progress and the fall-back connectivity watch §9) for the state image
 * (src/store/ptable.h). Slot references are checked by the image loader once
 * the ISD-Ps are known.
 */
#include <stddef.h>

#include "ota/scp81_params.h"
#include "sgp02/es5_state.h"
#include "store/psections.h"

/* clang-format off */
static const struct eum_pfield notif_fields[] = {
	EUM_PF_U8R(struct eum_es5_notif, type, 0, EUM_ES5_NOTIF_CHANGE_FALLBACK),
	EUM_PF_U8A(struct eum_es5_notif, state),
	EUM_PF_U16R(struct eum_es5_notif, seq, 0, 0xFFFF),
	EUM_PF_VAR8F(struct eum_es5_notif, aid, aid_len, 5, EUM_PF_HEX),
	EUM_PF_U8A(struct eum_es5_notif, sends),
	EUM_PF_U8A(struct eum_es5_notif, rollback),
	EUM_PF_U16R(struct eum_es5_notif, followup, 0, 0xFFFF),
	EUM_PF_U64A(struct eum_es5_notif, deadline),
};
/* clang-format on */

static const char *notif_check(const void *obj)
{
	const struct eum_es5_notif *n = obj;

	if (!n->type)
		return NULL;
	if (n->type == 0x04)
		return "unknown notification type";
	if (n->state != EUM_ES5_NT_SEND && n->state != EUM_ES5_NT_WAIT_CONFIRM)
		return "unknown notification state";
	return NULL;
}

static const struct eum_ptable pt_notif = EUM_PT("notification", notif_fields, notif_check);

/* clang-format off */
static const struct eum_pfield es5_fields[] = {
	EUM_PF_U8R(struct eum_es5_pstate, smsr_ndigits, 0, 2 * EUM_ES5_ADDR_BCD_MAX),
	EUM_PF_U8A(struct eum_es5_pstate, smsr_ton_npi),
	EUM_PF_BYTESF(struct eum_es5_pstate, smsr_bcd, EUM_PF_HEX),
	EUM_PF_VAR8F(struct eum_es5_pstate, https, https_len, 0, EUM_PF_HEX),
	EUM_PF_U16R(struct eum_es5_pstate, seq, 0, 0xFFFF),
	EUM_PF_U8R(struct eum_es5_pstate, declared, 0, 1),
	EUM_PF_U8R(struct eum_es5_pstate, sw_phase, 0, EUM_ES5_SW_WAIT_ATTACH),
	EUM_PF_U8R(struct eum_es5_pstate, sw_kind, 0, EUM_ES5_KIND_FALLBACK),
	EUM_PF_U8A(struct eum_es5_pstate, sw_target),
	EUM_PF_U8A(struct eum_es5_pstate, sw_prev),
	EUM_PF_U8A(struct eum_es5_pstate, sw_failures),
	EUM_PF_U64A(struct eum_es5_pstate, sw_deadline),
	EUM_PF_U8A(struct eum_es5_pstate, loss_count),
	EUM_PF_U64A(struct eum_es5_pstate, loss_since),
	EUM_PF_ARRAY(struct eum_es5_pstate, notif, struct eum_es5_notif, pt_notif),
};
/* clang-format on */

static const char *es5_check(const void *obj)
{
	const struct eum_es5_pstate *e = obj;
	size_t i;
	int free_seen = 0;

	struct eum_scp81_params hp;

	if (e->sw_phase && !e->sw_kind)
		return "switch in progress of no kind";
	/* what 3A07 accepted (es5_isdr.c) */
	if (e->https_len && eum_scp81_parse(e->https, e->https_len, 1, &hp) != 0)
		return "HTTPS administration parameters malformed";
	/* pending notifications are kept oldest first, without gaps */
	for (i = 0; i < EUM_ES5_NOTIF_MAX; i++) {
		if (!e->notif[i].type)
			free_seen = 1;
		else if (free_seen)
			return "gap in the notification list";
	}
	return NULL;
}

const struct eum_ptable eum_pt_es5 = EUM_PT("ES5", es5_fields, es5_check);
