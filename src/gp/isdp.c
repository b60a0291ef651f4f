/*
 * The ISD-P application's command table (SGP.02 §8, ES8): what the SM-DP
 * may send to an ISD-P through the SM-SR.
 */
#include "gp/gp.h"

static const struct eum_cmd isdp_cmds[] = {
	{0x80, 0x50, EUM_CASE3 | EUM_CASE4, eum_gp_initialize_update, "INITIALIZE UPDATE", EUM_SEC_NONE},
	{0x80, 0x82, EUM_CASE3, eum_gp_external_authenticate, "EXTERNAL AUTHENTICATE", EUM_SEC_NONE},
};

const struct eum_cmd_table eum_isdp_cmd_table = {isdp_cmds, sizeof(isdp_cmds) / sizeof(isdp_cmds[0])};
