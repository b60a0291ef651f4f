/*
 * The ISD-R application's command table (SGP.02 §4-§7, GP Card
 * Specification v2.3 §11): what the SM-SR may send to it.
 */
#include "gp/gp.h"

static const struct eum_cmd isdr_cmds[] = {
	{0x80, 0x50, EUM_CASE3 | EUM_CASE4, eum_gp_initialize_update, "INITIALIZE UPDATE", EUM_SEC_NONE},
	{0x80, 0x82, EUM_CASE3, eum_gp_external_authenticate, "EXTERNAL AUTHENTICATE", EUM_SEC_NONE},
};

const struct eum_cmd_table eum_isdr_cmd_table = {isdr_cmds, sizeof(isdr_cmds) / sizeof(isdr_cmds[0])};
