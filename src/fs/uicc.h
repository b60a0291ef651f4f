/*
 * The UICC application (ETSI TS 102 221 file system, PINs, and the NAAs of TS 31.102) as the
 * engine sees it: its command table (uicc_cmds.c), registered by src/card/card.c.
 */
#ifndef EUM_FS_UICC_H
#define EUM_FS_UICC_H

#include "core/card.h"

extern const struct eum_cmd_table eum_uicc_cmd_table;
extern const struct eum_app_desc eum_app_uicc;

#endif
