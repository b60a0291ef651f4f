/*
 * The ISD-P application's command table (SGP.02 §8, ES8): what the SM-DP
 * may send to an ISD-P through the SM-SR. Each handler acts on this
 * channel's ISD-P only (SGP.02 §1: ISD-Ps are isolated from each other);
 * content management (INSTALL, DELETE, SET STATUS, GET STATUS) is the
 * ISD-R's.
 */
#include "gp/gp.h"

/* clang-format off */
static const struct eum_cmd isdp_cmds[] = {
	/* GP Amd D §7.1: SCP03 session with the SM-DP */
	{0x80, 0x50, EUM_CASE3 | EUM_CASE4, eum_gp_initialize_update, "INITIALIZE UPDATE", EUM_SEC_NONE},
	{0x80, 0x82, EUM_CASE3, eum_gp_external_authenticate, "EXTERNAL AUTHENTICATE", EUM_SEC_NONE},
	/* GPCS §11.3 GET DATA: E0 key information of this ISD-P */
	{0x80, 0xCA, EUM_CASE1 | EUM_CASE2, eum_gp_get_data, "GET DATA", EUM_SEC_NONE},
	/* GPCS §11.8 PUT KEY: this ISD-P's SCP03 key sets (Amd D §7.2) */
	{0x80, 0xD8, EUM_CASE3 | EUM_CASE4, eum_gp_put_key, "PUT KEY", EUM_SEC_SECURE},
	/* GPCS §11.11 STORE DATA: the ES8 DGIs (SGP.02 §5, §8) */
	{0x80, 0xE2, EUM_CASE3 | EUM_CASE4, eum_gp_store_data, "STORE DATA", EUM_SEC_SECURE},
};
/* clang-format on */

const struct eum_cmd_table eum_isdp_cmd_table = {isdp_cmds, sizeof(isdp_cmds) / sizeof(isdp_cmds[0])};
