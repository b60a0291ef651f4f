/*
 * The ISD-P application's command table (SGP.02 §8, ES8): what the SM-DP
 * may send to an ISD-P through the SM-SR. Each handler acts on this
 * channel's ISD-P only (SGP.02 §1: ISD-Ps are isolated from each other);
 * content management (INSTALL for install, DELETE, SET STATUS, GET STATUS)
 * is the ISD-R's.
 */
#include <string.h>

#include "core/sw.h"
#include "gp/gp.h"

/* INSTALL [for personalization], GPCS §11.5.2.3.6, in a script addressed to the ISD-P itself: the key
 * establishment's script 1 as SGP.02 describes it (digest §8.1: INSTALL [for personalization] + STORE
 * DATA 3A01 to the ISD-P; njiwa, whty). The ISD-P may only name itself; another ISD-P's AID is not
 * found from here (6A88), any other INSTALL is the ISD-R's (6A86). */
static uint16_t isdp_install(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	const struct eum_isdp *p = card->ps->isdp[ch->isdp];

	if (a->p1 != 0x20 || a->p2 != 0x00)
		return EUM_SW_INCORRECT_P1P2;
	/* 00 00 <len> <AID> 00 00 00 (the full check is eum_gp_install's) */
	if (a->lc < 3 || a->data[2] != p->aid_len || a->lc < 3u + p->aid_len ||
	    memcmp(a->data + 3, p->aid, p->aid_len) != 0)
		return a->lc >= 3 && a->lc >= 3u + a->data[2] ? EUM_SW_REFERENCED_DATA_NOT_FOUND
		                                              : EUM_SW_INCORRECT_DATA;
	return eum_gp_install(card, ch, a, r);
}

/* clang-format off */
static const struct eum_cmd isdp_cmds[] = {
	/* GP Amd D §7.1: SCP03 session with the SM-DP */
	{0x80, 0x50, EUM_CASE3 | EUM_CASE4, eum_gp_initialize_update, "INITIALIZE UPDATE", EUM_SEC_NONE, EUM_CMD_SC_RESTART},
	{0x80, 0x82, EUM_CASE3, eum_gp_external_authenticate, "EXTERNAL AUTHENTICATE", EUM_SEC_NONE, EUM_CMD_SC_OPEN},
	/* GPCS §11.3 GET DATA: E0 key information of this ISD-P */
	{0x80, 0xCA, EUM_CASE1 | EUM_CASE2, eum_gp_get_data, "GET DATA", EUM_SEC_NONE, 0},
	/* GPCS §11.8 PUT KEY: this ISD-P's SCP03 key sets (Amd D §7.2) */
	{0x80, 0xD8, EUM_CASE3 | EUM_CASE4, eum_gp_put_key, "PUT KEY", EUM_SEC_SECURE, 0},
	/* GPCS §11.5.2.3.6 INSTALL [for personalization] of this ISD-P (SGP.02 digest §8.1 script 1) */
	{0x80, 0xE6, EUM_CASE3 | EUM_CASE4, isdp_install, "INSTALL", EUM_SEC_SECURE, 0},
	/* GPCS §11.11 STORE DATA: the ES8 DGIs (SGP.02 §5, §8) */
	{0x80, 0xE2, EUM_CASE3 | EUM_CASE4, eum_gp_store_data, "STORE DATA", EUM_SEC_SECURE, 0},
};
/* clang-format on */

const struct eum_cmd_table eum_isdp_cmd_table = {isdp_cmds, sizeof(isdp_cmds) / sizeof(isdp_cmds[0])};
