/*
 * The ISD-R application's command table (SGP.02 §4-§7, GP Card
 * Specification v2.3 §11): what the SM-SR may send to it. The management
 * commands need the ISD-R's secured channel (SGP.02 §4: an SCP80 packet for
 * its TAR, or an SCP03 session with C-MAC); GET DATA answers in clear, as
 * hosts read the key information and card data before opening a session.
 */
#include "gp/gp.h"

/* clang-format off */
static const struct eum_cmd isdr_cmds[] = {
	/* GP Amd D §7.1: SCP03 session */
	{0x80, 0x50, EUM_CASE3 | EUM_CASE4, eum_gp_initialize_update, "INITIALIZE UPDATE", EUM_SEC_NONE, EUM_CMD_SC_RESTART},
	{0x80, 0x82, EUM_CASE3, eum_gp_external_authenticate, "EXTERNAL AUTHENTICATE", EUM_SEC_NONE, EUM_CMD_SC_OPEN},
	/* GPCS §11.3 GET DATA: FF21, 42, 45, 66, E0 (SGP.02 §7.7) */
	{0x80, 0xCA, EUM_CASE1 | EUM_CASE2, eum_gp_get_data, "GET DATA", EUM_SEC_NONE, 0},
	/* GPCS §11.4 GET STATUS (SGP.02 §7.7 AuditEIS) */
	{0x80, 0xF2, EUM_CASE3 | EUM_CASE4, eum_gp_get_status, "GET STATUS", EUM_SEC_SECURE, 0},
	/* GPCS §11.5 INSTALL: CreateISDP (SGP.02 §7.1), [for personalization] (digest §4) */
	{0x80, 0xE6, EUM_CASE3 | EUM_CASE4, eum_gp_install, "INSTALL", EUM_SEC_SECURE, 0},
	/* GPCS §11.2 DELETE: DeleteProfile (SGP.02 §7.4) */
	{0x80, 0xE4, EUM_CASE3 | EUM_CASE4, eum_gp_delete, "DELETE", EUM_SEC_SECURE, 0},
	/* GPCS §11.10 SET STATUS */
	{0x80, 0xF0, EUM_CASE1 | EUM_CASE3 | EUM_CASE4, eum_gp_set_status, "SET STATUS", EUM_SEC_SECURE, 0},
	/* GPCS §11.8 PUT KEY (Amd D §7.2) */
	{0x80, 0xD8, EUM_CASE3 | EUM_CASE4, eum_gp_put_key, "PUT KEY", EUM_SEC_SECURE, 0},
	/* GPCS §11.11 STORE DATA: the ES5 DGIs (SGP.02 §5) */
	{0x80, 0xE2, EUM_CASE3 | EUM_CASE4, eum_gp_store_data, "STORE DATA", EUM_SEC_SECURE, 0},
};
/* clang-format on */

const struct eum_cmd_table eum_isdr_cmd_table = {isdr_cmds, sizeof(isdr_cmds) / sizeof(isdr_cmds[0])};
