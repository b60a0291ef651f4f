/* SGP.02 ES5 on the ISD-R (SM-SR → eUICC): DGI handlers plugged into STORE DATA. */
#ifndef EUM_SGP02_ES5_H
#define EUM_SGP02_ES5_H

#include "gp/gp.h"

/* Rows of the STORE DATA DGI table (src/gp/store_data.c) for ES5. */
#define EUM_ES5_DGI_ROWS

#endif
