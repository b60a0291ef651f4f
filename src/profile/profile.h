/*
 * A profile (SGP.02 §1, TCA eUICC Profile Package v2.3): everything a modem
 * sees when it is enabled — the file system, PINs, the USIM's AKA keys and
 * SQN array, the MNO-SD's OTA and SCP03 key sets and its RFM instances. The
 * persistent state of one ISD-P's content; owned by the ISD-P
 * (src/gp/domains.h), installed by saip_install.c.
 */
#ifndef EUM_PROFILE_PROFILE_H
#define EUM_PROFILE_PROFILE_H

#include <stdint.h>

#include "fs/fs.h"
#include "fs/pin.h"
#include "gp/scp03.h"
#include "ota/scp80.h"
#include "usim/aka.h"

/* A remote file management instance of a profile (TS 102 226 §8, SAIP RFM PE). */
#define EUM_PROFILE_RFM         4
#define EUM_PROFILE_OTA_KEYSETS 8
#define EUM_MNOSD_KEYSETS       2
/* Access domains of an RFM instance (TS 102 226 §8.2.1.3.2.5): access parameter (ADP, first
 * byte: 00 full access, 02 UICC access mechanism + 3 bytes of access domain data, FF no access). */
#define EUM_RFM_AD_MAX       4
#define EUM_RFM_AD_UICC      0 /* uiccAccessDomain: the UICC file system (MF, DFs outside ADFs) */
#define EUM_RFM_AD_ADMIN     1 /* uiccAdminAccessDomain: its administrative operations */
#define EUM_RFM_AD_ADF       2 /* adfRFMAccess.adfAccessDomain: the ADF of adf_aid */
#define EUM_RFM_AD_ADF_ADMIN 3 /* adfRFMAccess.adfAdminAccessDomain */
#define EUM_RFM_AD_NUM       4
struct eum_rfm {
	uint8_t in_use;
	uint8_t tar[3];
	uint8_t msl;         /* minimum security level (TS 102 226 §8.2.1.3) */
	uint8_t adf_aid_len; /* 0: UICC RFM (the MF); else the ADF this TAR reaches */
	uint8_t adf_aid[EUM_AID_MAX];
	uint8_t ad_len[EUM_RFM_AD_NUM]; /* 0 = absent: no access */
	uint8_t ad[EUM_RFM_AD_NUM][EUM_RFM_AD_MAX];
};

/* A profile: everything a modem sees when it is enabled (persistent). */
struct eum_profile {
	struct eum_fs fs;
	struct eum_pin_store pins;
	struct eum_rfm rfm[EUM_PROFILE_RFM];
	/* OTA key sets of the profile's MNO-SD (SAIP securityDomain PE), used by its RFM TARs */
	struct eum_scp80_keyset ota_keys[EUM_PROFILE_OTA_KEYSETS];
	struct eum_scp80_counter ota_cntr[EUM_PROFILE_OTA_KEYSETS];
	/* the MNO-SD as a GP security domain: instance AID (0 = none) and SCP03 key sets (GP Amd D) */
	uint8_t mnosd_aid_len;
	uint8_t mnosd_aid[EUM_AID_MAX];
	struct eum_scp03_keyset mnosd_scp03[EUM_MNOSD_KEYSETS];
	struct eum_aka_params aka; /* the USIM's authentication keys and algorithm */
	struct eum_aka_sqn sqn;    /* TS 33.102 Annex C SQN array, updated by AUTHENTICATE */
};

/* An empty profile (an empty file system, no PINs, no keys). */
void eum_profile_init(struct eum_profile *p);
/* Free the profile's allocations (file bodies are wiped) and wipe its keys. */
void eum_profile_free(struct eum_profile *p);

#endif
