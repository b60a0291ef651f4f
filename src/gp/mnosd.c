/*
 * The MNO-SD application's command table: the security domain a profile
 * package creates with its securityDomain PE (TCA PE_Definitions 3.3.1,
 * GP Card Specification v2.3 §7), selectable by the device while its
 * profile is enabled. It offers the GP Amendment D SCP03 session on its own
 * key sets and its key information; the SCP80 side of the same SD (RFM) is
 * reached over OTA (src/ota/).
 */
#include "gp/gp.h"

/* clang-format off */
static const struct eum_cmd mnosd_cmds[] = {
	/* GP Amd D §7.1: SCP03 session on the MNO-SD's key sets */
	{0x80, 0x50, EUM_CASE3 | EUM_CASE4, eum_gp_initialize_update, "INITIALIZE UPDATE", EUM_SEC_NONE, EUM_CMD_SC_RESTART},
	{0x80, 0x82, EUM_CASE3, eum_gp_external_authenticate, "EXTERNAL AUTHENTICATE", EUM_SEC_NONE, EUM_CMD_SC_OPEN},
	/* GPCS §11.3 GET DATA: E0 key information of the MNO-SD */
	{0x80, 0xCA, EUM_CASE1 | EUM_CASE2, eum_gp_get_data, "GET DATA", EUM_SEC_NONE, 0},
};
/* clang-format on */

const struct eum_cmd_table eum_mnosd_cmd_table = {mnosd_cmds, sizeof(mnosd_cmds) / sizeof(mnosd_cmds[0])};
