/* SGP.02 ES8 on the ISD-P (SM-DP → eUICC): DGI handlers plugged into STORE DATA. */
#ifndef EUM_SGP02_ES8_H
#define EUM_SGP02_ES8_H

#include "gp/gp.h"

/* Rows of the STORE DATA DGI table (src/gp/store_data.c) for ES8. */
#define EUM_ES8_DGI_ROWS

#endif
