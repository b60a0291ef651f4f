/*
 * The persistent field tables of every module (each defined next to its
 * module: src/fs/fs_persist.c, src/usim/aka_persist.c, src/ota/ota_persist.c,
 * src/gp/gp_persist.c, src/sgp02/es5_persist.c). src/store/image.c maps them
 * to the sections of the state image.
 */
#ifndef EUM_STORE_PSECTIONS_H
#define EUM_STORE_PSECTIONS_H

#include "store/ptable.h"

/* file system (struct eum_file; the body follows the table), PINs/PUKs (struct eum_pin_store) */
extern const struct eum_ptable eum_pt_file;
extern const struct eum_ptable eum_pt_pins;
/* USIM authentication (struct eum_aka_params) and the SQN array (struct eum_aka_sqn) */
extern const struct eum_ptable eum_pt_aka;
extern const struct eum_ptable eum_pt_sqn;
/* a profile's RFM instances, OTA key sets, their counters (all over struct eum_profile) */
extern const struct eum_ptable eum_pt_rfm;
extern const struct eum_ptable eum_pt_ota_keys;
extern const struct eum_ptable eum_pt_ota_cntr;
/* SCP80 key set and counter, shared by the ISD-R and the profiles (src/ota/) */
extern const struct eum_ptable eum_pt_scp80_keyset;
extern const struct eum_ptable eum_pt_scp80_cntr;
/* GlobalPlatform: SCP03 key set, ECASD, ISD-R (keys; counters), ISD-P header, MNO-SD (over struct eum_profile) */
extern const struct eum_ptable eum_pt_scp03_keyset;
extern const struct eum_ptable eum_pt_ecasd;
extern const struct eum_ptable eum_pt_isdr;
extern const struct eum_ptable eum_pt_isdr_cntr;
extern const struct eum_ptable eum_pt_isdp;
extern const struct eum_ptable eum_pt_mnosd;
/* SGP.02 ES5 state of the ISD-R (struct eum_es5_pstate) */
extern const struct eum_ptable eum_pt_es5;

#endif
