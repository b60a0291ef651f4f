/*
 * TCA eUICC Profile Package file-structure templates (Profile interoperability specification v3.3.1
 * Annex A, template OIDs 2.23.143.1.2.x; spec digest profile-package.md §3, uicc-usim.md §4.4).
 *
 * The rows are facts transcribed from the Annex A tables as published in osmocom pySim
 * (pySim/esim/saip/templates.py), put in ASN.1 member order of each PE type (PE_Definitions-3.3.1):
 * row i = File member i + 2. Corrections against the 3GPP/ETSI file definitions where the transcription
 * has a typo: EF.ICCID 2FE2 (TS 102 221 §13.2; not 2F02), DF.5GS 5FC0 and DF.SAIP 5FD0 (TS 31.102 §4.4.11,
 * §4.4.13 as used by TS.48; not 6FC0/6FD0), EF.EXT7 6FCC, EF.MMSSMODE 4F22, EF.MudMidCfgData 6FFE
 * (TS 31.102 §4.2). The SFI of EF.ICCID and EF.ARR at MF level is left empty as in the Annex A
 * transcription (TS 102 221 assigns 02 and 06); a PE gives shortEFID when it wants one.
 *
 * ADF.CSIM (2.10, 2.10.2) and its optional files (2.11, 2.11.2): no public source of the Annex A
 * geometry was available, so these rows carry only the member names (EUM_SAIP_FT_NONE): a CSIM file is
 * created when its PE gives a complete file descriptor (FID, descriptor, size), and skipped otherwise
 * (counted in eum_saip_extras.skipped_files). IoT minimal templates (2.17, 2.18) are not supported.
 */
#include "profile/saip_templates.h"

#include <string.h>

#include "ProfileElement.h"
#include "eum/eum.h"
#include "fs/fs.h"
#include "util/hex.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* 2.23.143.1.2.1 (PE-MF) */
static const struct eum_saip_tfile t_2_1[] = {
	{"mf", 0x3F00, 0, -1, EUM_FT_MF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-pl", 0x2F05, 2, -1, EUM_FT_EF_TRANSPARENT, 0x05, 1, 0, 0, "FF...FF", 0},
	{"ef-iccid", 0x2FE2, 10, -1, EUM_FT_EF_TRANSPARENT, 0x00, 11, 0, 0, NULL, 0},
	{"ef-dir", 0x2F00, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x1E, 10, 0, 0, NULL, 0},
	{"ef-arr", 0x2F06, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 10, 0, 0, NULL, 0},
	{"ef-umpc", 0x2F08, 5, -1, EUM_FT_EF_TRANSPARENT, 0x08, 10, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.2 (PE-CD) */
static const struct eum_saip_tfile t_2_2[] = {
	{"df-cd", 0x7F11, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-launchpad", 0x6F01, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-icon", 0x6F40, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.3 (PE-TELECOM) */
static const struct eum_saip_tfile t_2_3[] = {
	{"df-telecom", 0x7F10, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-arr", 0x6F06, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 10, 0, 0, NULL, 0},
	{"ef-rma", 0x6F53, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 3, 0, 0, NULL, 0},
	{"ef-sume", 0x6F54, 22, -1, EUM_FT_EF_TRANSPARENT, 0x00, 3, 0, 0, NULL, 0},
	{"ef-ice-dn", 0x6FE0, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 9, 24, 50, "FF...FF", 0},
	{"ef-ice-ff", 0x6FE1, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 9, 0, 0, "FF...FF", 0},
	{"ef-psismsc", 0x6FE5, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, NULL, 0},
	{"df-graphics", 0x5F50, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-img", 0x4F20, 0, 7, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "00FF...FF", 0},
	{"ef-iidf", 0x4F40, 0, 7, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ice-graphics", 0x4F21, 0, 7, EUM_FT_EF_BER_TLV, 0x00, 9, 0, 0, NULL, 0},
	{"ef-launch-scws", 0x4F01, 0, 7, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-icon", 0x4F80, 0, 7, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"df-phonebook", 0x5F3A, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-pbr", 0x4F30, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-ext1", 0x4F38, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 0, "00FF...FF", 0},
	{"ef-aas", 0x4F40, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-gas", 0x4F48, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-psc", 0x4F22, 4, 13, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "00000000", 0},
	{"ef-cc", 0x4F23, 2, 13, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "0000", 0},
	{"ef-puid", 0x4F24, 2, 13, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "0000", 0},
	{"ef-iap", 0x4F50, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-adn", 0x4F58, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-pbc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-anr", 0x4F68, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-puri", 0x4F70, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, NULL, 0},
	{"ef-email", 0x4F78, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-sne", 0x4F80, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-uid", 0x4F88, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 2, 0, "0000", 0},
	{"ef-grp", 0x4F90, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "00...00", 0},
	{"ef-ccp1", 0x4F98, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"df-multimedia", 0x5F3B, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-mml", 0x4F47, 0, 31, EUM_FT_EF_BER_TLV, 0x00, 5, 0, 0, NULL, 0},
	{"ef-mmdf", 0x4F48, 0, 31, EUM_FT_EF_BER_TLV, 0x00, 5, 0, 0, NULL, 0},
	{"df-mmss", 0x5F3C, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-mlpl", 0x4F20, 0, 34, EUM_FT_EF_TRANSPARENT, 0x01, 2, 0, 0, NULL, 0},
	{"ef-mspl", 0x4F21, 0, 34, EUM_FT_EF_TRANSPARENT, 0x02, 2, 0, 0, NULL, 0},
	{"ef-mmssmode", 0x4F22, 1, 34, EUM_FT_EF_TRANSPARENT, 0x03, 2, 0, 0, NULL, 0},
	{"df-mcs", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mst", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mcs-config", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"df-v2x", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-vst", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-v2x-config", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-v2xp-pc5", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-v2xp-Uu", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.3.2 (PE-TELECOM) */
static const struct eum_saip_tfile t_2_3_2[] = {
	{"df-telecom", 0x7F10, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-arr", 0x6F06, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 10, 0, 0, NULL, 0},
	{"ef-rma", 0x6F53, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 3, 0, 0, NULL, 0},
	{"ef-sume", 0x6F54, 22, -1, EUM_FT_EF_TRANSPARENT, 0x00, 3, 0, 0, NULL, 0},
	{"ef-ice-dn", 0x6FE0, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 9, 24, 50, "FF...FF", 0},
	{"ef-ice-ff", 0x6FE1, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 9, 0, 0, "FF...FF", 0},
	{"ef-psismsc", 0x6FE5, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, NULL, 0},
	{"df-graphics", 0x5F50, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-img", 0x4F20, 0, 7, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "00FF...FF", 0},
	{"ef-iidf", 0x4F40, 0, 7, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ice-graphics", 0x4F21, 0, 7, EUM_FT_EF_BER_TLV, 0x00, 9, 0, 0, NULL, 0},
	{"ef-launch-scws", 0x4F01, 0, 7, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-icon", 0x4F80, 0, 7, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"df-phonebook", 0x5F3A, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-pbr", 0x4F30, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-ext1", 0x4F38, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 0, "00FF...FF", 0},
	{"ef-aas", 0x4F40, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-gas", 0x4F48, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-psc", 0x4F22, 4, 13, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "00000000", 0},
	{"ef-cc", 0x4F23, 2, 13, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "0000", 0},
	{"ef-puid", 0x4F24, 2, 13, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "0000", 0},
	{"ef-iap", 0x4F50, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-adn", 0x4F58, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-pbc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-anr", 0x4F68, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-puri", 0x4F70, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, NULL, 0},
	{"ef-email", 0x4F78, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-sne", 0x4F80, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-uid", 0x4F88, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 2, 0, "0000", 0},
	{"ef-grp", 0x4F90, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "00...00", 0},
	{"ef-ccp1", 0x4F98, 0, 13, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"df-multimedia", 0x5F3B, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-mml", 0x4F47, 0, 31, EUM_FT_EF_BER_TLV, 0x00, 5, 0, 0, NULL, 0},
	{"ef-mmdf", 0x4F48, 0, 31, EUM_FT_EF_BER_TLV, 0x00, 5, 0, 0, NULL, 0},
	{"df-mmss", 0x5F3C, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-mlpl", 0x4F20, 0, 34, EUM_FT_EF_TRANSPARENT, 0x01, 2, 0, 0, NULL, 0},
	{"ef-mspl", 0x4F21, 0, 34, EUM_FT_EF_TRANSPARENT, 0x02, 2, 0, 0, NULL, 0},
	{"ef-mmssmode", 0x4F22, 1, 34, EUM_FT_EF_TRANSPARENT, 0x03, 2, 0, 0, NULL, 0},
	{"df-mcs", 0x5F3D, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-mst", 0x4F01, 0, 38, EUM_FT_EF_TRANSPARENT, 0x01, 2, 0, 0, NULL, 0},
	{"ef-mcs-config", 0x4F02, 0, 38, EUM_FT_EF_BER_TLV, 0x02, 2, 0, 0, NULL, 0},
	{"df-v2x", 0x5F3E, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-vst", 0x4F01, 0, 41, EUM_FT_EF_TRANSPARENT, 0x01, 2, 0, 0, NULL, 0},
	{"ef-v2x-config", 0x4F02, 0, 41, EUM_FT_EF_BER_TLV, 0x02, 2, 0, 0, NULL, 0},
	{"ef-v2xp-pc5", 0x4F03, 0, 41, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-v2xp-Uu", 0x4F04, 0, 41, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.4 (PE-USIM) */
static const struct eum_saip_tfile t_2_4[] = {
	{"adf-usim", 0x0000, 0, -1, EUM_FT_ADF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-imsi", 0x6F07, 9, -1, EUM_FT_EF_TRANSPARENT, 0x07, 2, 0, 0, NULL, 0},
	{"ef-arr", 0x6F06, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x17, 10, 0, 0, NULL, 0},
	{"ef-keys", 0x6F08, 33, -1, EUM_FT_EF_TRANSPARENT, 0x08, 5, 0, 0, "07FF...FF", 0},
	{"ef-keysPS", 0x6F09, 33, -1, EUM_FT_EF_TRANSPARENT, 0x09, 5, 0, 0, "07FF...FF", 0},
	{"ef-hpplmn", 0x6F31, 1, -1, EUM_FT_EF_TRANSPARENT, 0x12, 2, 0, 0, "0A", 0},
	{"ef-ust", 0x6F38, 14, -1, EUM_FT_EF_TRANSPARENT, 0x04, 2, 0, 0, NULL, 0},
	{"ef-fdn", 0x6F3B, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 26, 20, "FF...FF", 0},
	{"ef-sms", 0x6F3C, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 176, 10, "00FF...FF", 0},
	{"ef-smsp", 0x6F42, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 38, 1, "FF...FF", 0},
	{"ef-smss", 0x6F43, 2, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FFFF", 0},
	{"ef-spn", 0x6F46, 17, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-est", 0x6F56, 1, -1, EUM_FT_EF_TRANSPARENT, 0x05, 8, 0, 0, NULL, 0},
	{"ef-start-hfn", 0x6F5B, 6, -1, EUM_FT_EF_TRANSPARENT, 0x0F, 5, 0, 0, "F00000F00000", 0},
	{"ef-threshold", 0x6F5C, 3, -1, EUM_FT_EF_TRANSPARENT, 0x10, 2, 0, 0, "FFFFFF", 0},
	{"ef-psloci", 0x6F73, 14, -1, EUM_FT_EF_TRANSPARENT, 0x0C, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFF0000FF01", 0},
	{"ef-acc", 0x6F78, 2, -1, EUM_FT_EF_TRANSPARENT, 0x06, 2, 0, 0, NULL, 0},
	{"ef-fplmn", 0x6F7B, 12, -1, EUM_FT_EF_TRANSPARENT, 0x0D, 5, 0, 0, "FF...FF", 0},
	{"ef-loci", 0x6F7E, 11, -1, EUM_FT_EF_TRANSPARENT, 0x0B, 5, 0, 0, "FFFFFFFFFFFFFF0000FF01", 0},
	{"ef-ad", 0x6FAD, 4, -1, EUM_FT_EF_TRANSPARENT, 0x03, 10, 0, 0, "00000002", 0},
	{"ef-ecc", 0x6FB7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x01, 10, 4, 1, NULL, 0},
	{"ef-netpar", 0x6FC4, 128, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-epsloci", 0x6FE3, 18, -1, EUM_FT_EF_TRANSPARENT, 0x1E, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000001", 0},
	{"ef-epsnsc", 0x6FE4, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x18, 5, 80, 1, "FF...FF", 0},
};

/* 2.23.143.1.2.4.2 (PE-USIM) */
static const struct eum_saip_tfile t_2_4_2[] = {
	{"adf-usim", 0x0000, 0, -1, EUM_FT_ADF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-imsi", 0x6F07, 9, -1, EUM_FT_EF_TRANSPARENT, 0x07, 2, 0, 0, NULL, 0},
	{"ef-arr", 0x6F06, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x17, 10, 0, 0, NULL, 0},
	{"ef-keys", 0x6F08, 33, -1, EUM_FT_EF_TRANSPARENT, 0x08, 5, 0, 0, "07FF...FF", 0},
	{"ef-keysPS", 0x6F09, 33, -1, EUM_FT_EF_TRANSPARENT, 0x09, 5, 0, 0, "07FF...FF", 0},
	{"ef-hpplmn", 0x6F31, 1, -1, EUM_FT_EF_TRANSPARENT, 0x12, 2, 0, 0, "0A", 0},
	{"ef-ust", 0x6F38, 17, -1, EUM_FT_EF_TRANSPARENT, 0x04, 2, 0, 0, NULL, 0},
	{"ef-fdn", 0x6F3B, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 26, 20, "FF...FF", 0},
	{"ef-sms", 0x6F3C, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 176, 10, "00FF...FF", 0},
	{"ef-smsp", 0x6F42, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 38, 1, "FF...FF", 0},
	{"ef-smss", 0x6F43, 2, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FFFF", 0},
	{"ef-spn", 0x6F46, 17, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-est", 0x6F56, 1, -1, EUM_FT_EF_TRANSPARENT, 0x05, 8, 0, 0, NULL, 0},
	{"ef-start-hfn", 0x6F5B, 6, -1, EUM_FT_EF_TRANSPARENT, 0x0F, 5, 0, 0, "F00000F00000", 0},
	{"ef-threshold", 0x6F5C, 3, -1, EUM_FT_EF_TRANSPARENT, 0x10, 2, 0, 0, "FFFFFF", 0},
	{"ef-psloci", 0x6F73, 14, -1, EUM_FT_EF_TRANSPARENT, 0x0C, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFF0000FF01", 0},
	{"ef-acc", 0x6F78, 2, -1, EUM_FT_EF_TRANSPARENT, 0x06, 2, 0, 0, NULL, 0},
	{"ef-fplmn", 0x6F7B, 12, -1, EUM_FT_EF_TRANSPARENT, 0x0D, 5, 0, 0, "FF...FF", 0},
	{"ef-loci", 0x6F7E, 11, -1, EUM_FT_EF_TRANSPARENT, 0x0B, 5, 0, 0, "FFFFFFFFFFFFFF0000FF01", 0},
	{"ef-ad", 0x6FAD, 4, -1, EUM_FT_EF_TRANSPARENT, 0x03, 10, 0, 0, "00000002", 0},
	{"ef-ecc", 0x6FB7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x01, 10, 4, 1, NULL, 0},
	{"ef-netpar", 0x6FC4, 128, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-epsloci", 0x6FE3, 18, -1, EUM_FT_EF_TRANSPARENT, 0x1E, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000001", 0},
	{"ef-epsnsc", 0x6FE4, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x18, 5, 80, 1, "FF...FF", 0},
};

/* 2.23.143.1.2.5 (PE-OPT-USIM) */
static const struct eum_saip_tfile t_2_5[] = {
	{"ef-li", 0x6F05, 6, -1, EUM_FT_EF_TRANSPARENT, 0x02, 1, 0, 0, "FF...FF", 0},
	{"ef-acmax", 0x6F37, 3, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "000000", 0},
	{"ef-acm", 0x6F39, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-gid1", 0x6F3E, 8, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-gid2", 0x6F3F, 8, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-msisdn", 0x6F40, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 24, 1, "FF...FF", 0},
	{"ef-puct", 0x6F41, 5, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FFFFFF0000", 0},
	{"ef-cbmi", 0x6F45, 10, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-cbmid", 0x6F48, 10, -1, EUM_FT_EF_TRANSPARENT, 0x0E, 2, 0, 0, "FF...FF", 0},
	{"ef-sdn", 0x6F49, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 24, 10, "FF...FF", 0},
	{"ef-ext2", 0x6F4B, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 13, 10, "00FF...FF", 0},
	{"ef-ext3", 0x6F4C, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 13, 10, "00FF...FF", 0},
	{"ef-cbmir", 0x6F50, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-plmnwact", 0x6F60, 40, -1, EUM_FT_EF_TRANSPARENT, 0x0A, 5, 0, 0, "FFFFFF0000", 1},
	{"ef-oplmnwact", 0x6F61, 40, -1, EUM_FT_EF_TRANSPARENT, 0x11, 2, 0, 0, "FFFFFF0000", 1},
	{"ef-hplmnwact", 0x6F62, 5, -1, EUM_FT_EF_TRANSPARENT, 0x13, 2, 0, 0, "FFFFFF0000", 1},
	{"ef-dck", 0x6F2C, 16, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-cnl", 0x6F32, 30, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-smsr", 0x6F47, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 30, 10, "00FF...FF", 0},
	{"ef-bdn", 0x6F4D, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 25, 10, "FF...FF", 0},
	{"ef-ext5", 0x6F4E, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-ccp2", 0x6F4F, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x16, 5, 15, 5, "FF...FF", 0},
	{"ef-ext4", 0x6F55, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 13, 10, "00FF...FF", 0},
	{"ef-acl", 0x6F57, 101, -1, EUM_FT_EF_TRANSPARENT, 0x00, 8, 0, 0, "00FF...FF", 0},
	{"ef-cmi", 0x6F58, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 11, 10, "FF...FF", 0},
	{"ef-ici", 0x6F80, 0, -1, EUM_FT_EF_CYCLIC, 0x14, 5, 38, 20, "FF...FF0000000001FFFF", 0},
	{"ef-oci", 0x6F81, 0, -1, EUM_FT_EF_CYCLIC, 0x15, 5, 37, 20, "FF...FF00000001FFFF", 0},
	{"ef-ict", 0x6F82, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-oct", 0x6F83, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-vgcs", 0x6FB1, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-vgcss", 0x6FB2, 7, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, NULL, 0},
	{"ef-vbs", 0x6FB3, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-vbss", 0x6FB4, 7, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, NULL, 0},
	{"ef-emlpp", 0x6FB5, 2, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-aaem", 0x6FB6, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "00", 0},
	{"ef-hiddenkey", 0x6FC3, 4, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-pnn", 0x6FC5, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x19, 10, 16, 10, NULL, 0},
	{"ef-opl", 0x6FC6, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x1A, 10, 8, 5, NULL, 0},
	{"ef-mbdn", 0x6FC7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 24, 3, NULL, 0},
	{"ef-ext6", 0x6FC8, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-mbi", 0x6FC9, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 5, 10, NULL, 0},
	{"ef-mwis", 0x6FCA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 6, 10, "00...00", 0},
	{"ef-cfis", 0x6FCB, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 16, 10, "0100FF...FF", 0},
	{"ef-ext7", 0x6FCC, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-spdi", 0x6FCD, 17, -1, EUM_FT_EF_TRANSPARENT, 0x1B, 2, 0, 0, NULL, 0},
	{"ef-mmsn", 0x6FCE, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 6, 10, "000000FF...FF", 0},
	{"ef-ext8", 0x6FCF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-mmsicp", 0x6FD0, 100, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-mmsup", 0x6FD1, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-mmsucp", 0x6FD2, 100, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-nia", 0x6FD3, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 11, 5, "FF...FF", 0},
	{"ef-vgcsca", 0x6FD4, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00...00", 0},
	{"ef-vbsca", 0x6FD5, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00...00", 0},
	{"ef-gbabp", 0x6FD6, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-msk", 0x6FD7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-muk", 0x6FD8, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ehplmn", 0x6FD9, 15, -1, EUM_FT_EF_TRANSPARENT, 0x1D, 2, 0, 0, "FF...FF", 0},
	{"ef-gbanl", 0x6FDA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ehplmnpi", 0x6FDB, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-lrplmnsi", 0x6FDC, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-nafkca", 0x6FDD, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-spni", 0x6FDE, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, "00FF...FF", 0},
	{"ef-pnni", 0x6FDF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 10, 0, 0, "00FF...FF", 0},
	{"ef-ncp-ip", 0x6FE2, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-ufc", 0x6FE6, 30, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, "801E60C01E900080040000000000000000F0000000004000000000000080", 0},
	{"ef-nasconfig", 0x6FE8, 18, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-uicciari", 0x6FE7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-pws", 0x6FEC, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-fdnuri", 0x6FED, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 0, 0, "FF...FF", 0},
	{"ef-bdnuri", 0x6FEE, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 0, 0, "FF...FF", 0},
	{"ef-sdnuri", 0x6FEF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ial", 0x6FF0, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 3, 0, 0, "FF...FF", 0},
	{"ef-ips", 0x6FF1, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 10, 4, 0, "FF...FF", 0},
	{"ef-ipd", 0x6FF2, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 3, 0, 0, "FF...FF", 0},
	{"ef-epdgid", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-epdgselection", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-epdgidem", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-epdgselectionem", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-frompreferred", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-imsconfigdata", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-3gpppsdataoff", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-3gpppsdataoffservicelist", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-xcapconfigdata", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-earfcnlist", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mudmidconfigdata", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-eaka", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.5.2 (PE-OPT-USIM) */
static const struct eum_saip_tfile t_2_5_2[] = {
	{"ef-li", 0x6F05, 6, -1, EUM_FT_EF_TRANSPARENT, 0x02, 1, 0, 0, "FF...FF", 0},
	{"ef-acmax", 0x6F37, 3, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "000000", 0},
	{"ef-acm", 0x6F39, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-gid1", 0x6F3E, 8, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-gid2", 0x6F3F, 8, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-msisdn", 0x6F40, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 24, 1, "FF...FF", 0},
	{"ef-puct", 0x6F41, 5, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FFFFFF0000", 0},
	{"ef-cbmi", 0x6F45, 10, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-cbmid", 0x6F48, 10, -1, EUM_FT_EF_TRANSPARENT, 0x0E, 2, 0, 0, "FF...FF", 0},
	{"ef-sdn", 0x6F49, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 24, 10, "FF...FF", 0},
	{"ef-ext2", 0x6F4B, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 13, 10, "00FF...FF", 0},
	{"ef-ext3", 0x6F4C, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 13, 10, "00FF...FF", 0},
	{"ef-cbmir", 0x6F50, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-plmnwact", 0x6F60, 40, -1, EUM_FT_EF_TRANSPARENT, 0x0A, 5, 0, 0, "FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000", 0},
	{"ef-oplmnwact", 0x6F61, 40, -1, EUM_FT_EF_TRANSPARENT, 0x11, 2, 0, 0, "FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000", 0},
	{"ef-hplmnwact", 0x6F62, 5, -1, EUM_FT_EF_TRANSPARENT, 0x13, 2, 0, 0, "FFFFFF0000", 0},
	{"ef-dck", 0x6F2C, 16, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-cnl", 0x6F32, 30, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-smsr", 0x6F47, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 30, 10, "00FF...FF", 0},
	{"ef-bdn", 0x6F4D, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 25, 10, "FF...FF", 0},
	{"ef-ext5", 0x6F4E, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-ccp2", 0x6F4F, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x16, 5, 15, 5, "FF...FF", 0},
	{"ef-ext4", 0x6F55, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 13, 10, "00FF...FF", 0},
	{"ef-acl", 0x6F57, 101, -1, EUM_FT_EF_TRANSPARENT, 0x00, 8, 0, 0, "00FF...FF", 0},
	{"ef-cmi", 0x6F58, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 11, 10, "FF...FF", 0},
	{"ef-ici", 0x6F80, 0, -1, EUM_FT_EF_CYCLIC, 0x14, 5, 38, 20, "FF...FF0000000001FFFF", 0},
	{"ef-oci", 0x6F81, 0, -1, EUM_FT_EF_CYCLIC, 0x15, 5, 37, 20, "FF...FF00000001FFFF", 0},
	{"ef-ict", 0x6F82, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-oct", 0x6F83, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-vgcs", 0x6FB1, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-vgcss", 0x6FB2, 7, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, NULL, 0},
	{"ef-vbs", 0x6FB3, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-vbss", 0x6FB4, 7, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, NULL, 0},
	{"ef-emlpp", 0x6FB5, 2, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-aaem", 0x6FB6, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "00", 0},
	{"ef-hiddenkey", 0x6FC3, 4, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-pnn", 0x6FC5, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x19, 10, 16, 10, NULL, 0},
	{"ef-opl", 0x6FC6, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x1A, 10, 8, 5, NULL, 0},
	{"ef-mbdn", 0x6FC7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 24, 3, NULL, 0},
	{"ef-ext6", 0x6FC8, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-mbi", 0x6FC9, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 5, 10, NULL, 0},
	{"ef-mwis", 0x6FCA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 6, 10, "00...00", 0},
	{"ef-cfis", 0x6FCB, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 16, 10, "0100FF...FF", 0},
	{"ef-ext7", 0x6FCC, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-spdi", 0x6FCD, 17, -1, EUM_FT_EF_TRANSPARENT, 0x1B, 2, 0, 0, NULL, 0},
	{"ef-mmsn", 0x6FCE, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 6, 10, "000000FF...FF", 0},
	{"ef-ext8", 0x6FCF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-mmsicp", 0x6FD0, 100, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-mmsup", 0x6FD1, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-mmsucp", 0x6FD2, 100, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-nia", 0x6FD3, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 11, 5, "FF...FF", 0},
	{"ef-vgcsca", 0x6FD4, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00...00", 0},
	{"ef-vbsca", 0x6FD5, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00...00", 0},
	{"ef-gbabp", 0x6FD6, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-msk", 0x6FD7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-muk", 0x6FD8, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ehplmn", 0x6FD9, 15, -1, EUM_FT_EF_TRANSPARENT, 0x1D, 2, 0, 0, "FF...FF", 0},
	{"ef-gbanl", 0x6FDA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ehplmnpi", 0x6FDB, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-lrplmnsi", 0x6FDC, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-nafkca", 0x6FDD, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-spni", 0x6FDE, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, "00FF...FF", 0},
	{"ef-pnni", 0x6FDF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 10, 0, 0, "00FF...FF", 0},
	{"ef-ncp-ip", 0x6FE2, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-ufc", 0x6FE6, 30, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, "801E60C01E900080040000000000000000F0000000004000000000000080", 0},
	{"ef-nasconfig", 0x6FE8, 18, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-uicciari", 0x6FE7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-pws", 0x6FEC, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-fdnuri", 0x6FED, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 0, 0, "FF...FF", 0},
	{"ef-bdnuri", 0x6FEE, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 0, 0, "FF...FF", 0},
	{"ef-sdnuri", 0x6FEF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ial", 0x6FF0, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 3, 0, 0, "FF...FF", 0},
	{"ef-ips", 0x6FF1, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 10, 4, 0, "FF...FF", 0},
	{"ef-ipd", 0x6FF2, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 3, 0, 0, "FF...FF", 0},
	{"ef-epdgid", 0x6FF3, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-epdgselection", 0x6FF4, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-epdgidem", 0x6FF5, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-epdgselectionem", 0x6FF6, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-frompreferred", 0x6FF7, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-imsconfigdata", 0x6FF8, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-3gpppsdataoff", 0x6FF9, 4, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-3gpppsdataoffservicelist", 0x6FFA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-xcapconfigdata", 0x6FFC, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-earfcnlist", 0x6FFD, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-mudmidconfigdata", 0x6FFE, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-eaka", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.5.3 (PE-OPT-USIM) */
static const struct eum_saip_tfile t_2_5_3[] = {
	{"ef-li", 0x6F05, 6, -1, EUM_FT_EF_TRANSPARENT, 0x02, 1, 0, 0, "FF...FF", 0},
	{"ef-acmax", 0x6F37, 3, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "000000", 0},
	{"ef-acm", 0x6F39, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-gid1", 0x6F3E, 8, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-gid2", 0x6F3F, 8, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-msisdn", 0x6F40, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 24, 1, "FF...FF", 0},
	{"ef-puct", 0x6F41, 5, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FFFFFF0000", 0},
	{"ef-cbmi", 0x6F45, 10, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-cbmid", 0x6F48, 10, -1, EUM_FT_EF_TRANSPARENT, 0x0E, 2, 0, 0, "FF...FF", 0},
	{"ef-sdn", 0x6F49, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 24, 10, "FF...FF", 0},
	{"ef-ext2", 0x6F4B, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 13, 10, "00FF...FF", 0},
	{"ef-ext3", 0x6F4C, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 13, 10, "00FF...FF", 0},
	{"ef-cbmir", 0x6F50, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-plmnwact", 0x6F60, 40, -1, EUM_FT_EF_TRANSPARENT, 0x0A, 5, 0, 0, "FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000", 0},
	{"ef-oplmnwact", 0x6F61, 40, -1, EUM_FT_EF_TRANSPARENT, 0x11, 2, 0, 0, "FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000FFFFFF0000", 0},
	{"ef-hplmnwact", 0x6F62, 5, -1, EUM_FT_EF_TRANSPARENT, 0x13, 2, 0, 0, "FFFFFF0000", 0},
	{"ef-dck", 0x6F2C, 16, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-cnl", 0x6F32, 30, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-smsr", 0x6F47, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 30, 10, "00FF...FF", 0},
	{"ef-bdn", 0x6F4D, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 25, 10, "FF...FF", 0},
	{"ef-ext5", 0x6F4E, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-ccp2", 0x6F4F, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x16, 5, 15, 5, "FF...FF", 0},
	{"ef-ext4", 0x6F55, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 13, 10, "00FF...FF", 0},
	{"ef-acl", 0x6F57, 101, -1, EUM_FT_EF_TRANSPARENT, 0x00, 8, 0, 0, "00FF...FF", 0},
	{"ef-cmi", 0x6F58, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 11, 10, "FF...FF", 0},
	{"ef-ici", 0x6F80, 0, -1, EUM_FT_EF_CYCLIC, 0x14, 5, 38, 20, "FF...FF0000000001FFFF", 0},
	{"ef-oci", 0x6F81, 0, -1, EUM_FT_EF_CYCLIC, 0x15, 5, 37, 20, "FF...FF00000001FFFF", 0},
	{"ef-ict", 0x6F82, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-oct", 0x6F83, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 7, 3, 1, "000000", 0},
	{"ef-vgcs", 0x6FB1, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-vgcss", 0x6FB2, 7, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, NULL, 0},
	{"ef-vbs", 0x6FB3, 20, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-vbss", 0x6FB4, 7, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, NULL, 0},
	{"ef-emlpp", 0x6FB5, 2, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-aaem", 0x6FB6, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "00", 0},
	{"ef-hiddenkey", 0x6FC3, 4, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-pnn", 0x6FC5, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x19, 10, 16, 10, NULL, 0},
	{"ef-opl", 0x6FC6, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x1A, 10, 8, 5, NULL, 0},
	{"ef-mbdn", 0x6FC7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 24, 3, NULL, 0},
	{"ef-ext6", 0x6FC8, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-mbi", 0x6FC9, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 5, 10, NULL, 0},
	{"ef-mwis", 0x6FCA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 6, 10, "00...00", 0},
	{"ef-cfis", 0x6FCB, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 16, 10, "0100FF...FF", 0},
	{"ef-ext7", 0x6FCC, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-spdi", 0x6FCD, 17, -1, EUM_FT_EF_TRANSPARENT, 0x1B, 2, 0, 0, NULL, 0},
	{"ef-mmsn", 0x6FCE, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 6, 10, "000000FF...FF", 0},
	{"ef-ext8", 0x6FCF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 10, "00FF...FF", 0},
	{"ef-mmsicp", 0x6FD0, 100, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-mmsup", 0x6FD1, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-mmsucp", 0x6FD2, 100, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-nia", 0x6FD3, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 11, 5, "FF...FF", 0},
	{"ef-vgcsca", 0x6FD4, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00...00", 0},
	{"ef-vbsca", 0x6FD5, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00...00", 0},
	{"ef-gbabp", 0x6FD6, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-msk", 0x6FD7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-muk", 0x6FD8, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ehplmn", 0x6FD9, 15, -1, EUM_FT_EF_TRANSPARENT, 0x1D, 2, 0, 0, "FF...FF", 0},
	{"ef-gbanl", 0x6FDA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ehplmnpi", 0x6FDB, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-lrplmnsi", 0x6FDC, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-nafkca", 0x6FDD, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-spni", 0x6FDE, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, "00FF...FF", 0},
	{"ef-pnni", 0x6FDF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 10, 0, 0, "00FF...FF", 0},
	{"ef-ncp-ip", 0x6FE2, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-ufc", 0x6FE6, 30, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, "801E60C01E900080040000000000000000F0000000004000000000000080", 0},
	{"ef-nasconfig", 0x6FE8, 18, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-uicciari", 0x6FE7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-pws", 0x6FEC, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-fdnuri", 0x6FED, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 0, 0, "FF...FF", 0},
	{"ef-bdnuri", 0x6FEE, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 8, 0, 0, "FF...FF", 0},
	{"ef-sdnuri", 0x6FEF, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-ial", 0x6FF0, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 3, 0, 0, "FF...FF", 0},
	{"ef-ips", 0x6FF1, 0, -1, EUM_FT_EF_CYCLIC, 0x00, 10, 4, 0, "FF...FF", 0},
	{"ef-ipd", 0x6FF2, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 3, 0, 0, "FF...FF", 0},
	{"ef-epdgid", 0x6FF3, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-epdgselection", 0x6FF4, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-epdgidem", 0x6FF5, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-epdgselectionem", 0x6FF6, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-frompreferred", 0x6FF7, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-imsconfigdata", 0x6FF8, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-3gpppsdataoff", 0x6FF9, 4, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-3gpppsdataoffservicelist", 0x6FFA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-xcapconfigdata", 0x6FFC, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-earfcnlist", 0x6FFD, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
	{"ef-mudmidconfigdata", 0x6FFE, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-eaka", 0x6F01, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 3, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.6 (PE-PHONEBOOK) */
static const struct eum_saip_tfile t_2_6[] = {
	{"df-phonebook", 0x5F3A, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-pbr", 0x4F30, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-ext1", 0x4F38, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 13, 0, "00FF...FF", 0},
	{"ef-aas", 0x4F40, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-gas", 0x4F48, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-psc", 0x4F22, 4, 0, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "00000000", 0},
	{"ef-cc", 0x4F23, 2, 0, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "0000", 0},
	{"ef-puid", 0x4F24, 2, 0, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "0000", 0},
	{"ef-iap", 0x4F50, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-adn", 0x4F58, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-pbc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-anr", 0x4F68, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-puri", 0x4F70, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, NULL, 0},
	{"ef-email", 0x4F78, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-sne", 0x4F80, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-uid", 0x4F88, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 2, 0, "0000", 0},
	{"ef-grp", 0x4F90, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "00...00", 0},
	{"ef-ccp1", 0x4F98, 0, 0, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 0, 0, "FF...FF", 0},
};

/* 2.23.143.1.2.7 (PE-GSM-ACCESS) */
static const struct eum_saip_tfile t_2_7[] = {
	{"df-gsm-access", 0x5F3B, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-kc", 0x4F20, 9, -1, EUM_FT_EF_TRANSPARENT, 0x01, 5, 0, 0, "FF...FF07", 0},
	{"ef-kcgprs", 0x4F52, 9, -1, EUM_FT_EF_TRANSPARENT, 0x02, 5, 0, 0, "FF...FF07", 0},
	{"ef-cpbcch", 0x4F63, 10, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-invscan", 0x4F64, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
};

/* 2.23.143.1.2.8 (PE-ISIM) */
static const struct eum_saip_tfile t_2_8[] = {
	{"adf-isim", 0x0000, 0, -1, EUM_FT_ADF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-impi", 0x6F02, 0, -1, EUM_FT_EF_TRANSPARENT, 0x02, 2, 0, 0, NULL, 0},
	{"ef-impu", 0x6F04, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x04, 2, 0, 1, NULL, 0},
	{"ef-domain", 0x6F03, 0, -1, EUM_FT_EF_TRANSPARENT, 0x05, 2, 0, 0, NULL, 0},
	{"ef-ist", 0x6F07, 14, -1, EUM_FT_EF_TRANSPARENT, 0x07, 2, 0, 0, NULL, 0},
	{"ef-ad", 0x6FAD, 3, -1, EUM_FT_EF_TRANSPARENT, 0x03, 10, 0, 0, "000000", 0},
	{"ef-arr", 0x6F06, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x06, 10, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.9 (PE-OPT-ISIM) */
static const struct eum_saip_tfile t_2_9[] = {
	{"ef-pcscf", 0x6F09, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 1, NULL, 0},
	{"ef-sms", 0x6F3C, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 176, 10, "00FF...FF", 0},
	{"ef-smsp", 0x6F42, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 38, 1, "FF...FF", 0},
	{"ef-smss", 0x6F43, 2, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FFFF", 0},
	{"ef-smsr", 0x6F47, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 30, 10, "00FF...FF", 0},
	{"ef-gbabp", 0x6FD5, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-gbanl", 0x6FD7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-nafkca", 0x6FDD, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-uicciari", 0x6FE7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-frompreferred", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-imsconfigdata", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-xcapconfigdata", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-webrtcuri", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mudmidconfigdata", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.9.2 (PE-OPT-ISIM) */
static const struct eum_saip_tfile t_2_9_2[] = {
	{"ef-pcscf", 0x6F09, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 1, NULL, 0},
	{"ef-sms", 0x6F3C, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 176, 10, "00FF...FF", 0},
	{"ef-smsp", 0x6F42, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 38, 1, "FF...FF", 0},
	{"ef-smss", 0x6F43, 2, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FFFF", 0},
	{"ef-smsr", 0x6F47, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 5, 30, 10, "00FF...FF", 0},
	{"ef-gbabp", 0x6FD5, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-gbanl", 0x6FD7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-nafkca", 0x6FDD, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, "FF...FF", 0},
	{"ef-uicciari", 0x6FE7, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-frompreferred", 0x6FF7, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-imsconfigdata", 0x6FF8, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-xcapconfigdata", 0x6FFC, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-webrtcuri", 0x6FFA, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x00, 2, 0, 0, NULL, 0},
	{"ef-mudmidconfigdata", 0x6FFA, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.12 (PE-EAP) */
static const struct eum_saip_tfile t_2_12[] = {
	{"df-eap", 0x0000, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-eapkeys", 0x4F01, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-eapstatus", 0x4F02, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, "00", 0},
	{"ef-puid", 0x4F03, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 2, 0, 0, NULL, 0},
	{"ef-ps", 0x4F04, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-curid", 0x4F20, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, "FF...FF", 0},
	{"ef-reid", 0x4F21, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, NULL, 0},
	{"ef-realm", 0x4F22, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 5, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.13 (PE-DF-5GS) */
static const struct eum_saip_tfile t_2_13[] = {
	{"df-df-5gs", 0x5FC0, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-5gs3gpploci", 0x4F01, 20, -1, EUM_FT_EF_TRANSPARENT, 0x01, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000001", 0},
	{"ef-5gsn3gpploci", 0x4F02, 20, -1, EUM_FT_EF_TRANSPARENT, 0x02, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000001", 0},
	{"ef-5gs3gppnsc", 0x4F03, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x03, 5, 57, 1, "FF...FF", 0},
	{"ef-5gsn3gppnsc", 0x4F04, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x04, 5, 57, 1, "FF...FF", 0},
	{"ef-5gauthkeys", 0x4F05, 110, -1, EUM_FT_EF_TRANSPARENT, 0x05, 5, 0, 0, NULL, 0},
	{"ef-uac-aic", 0x4F06, 4, -1, EUM_FT_EF_TRANSPARENT, 0x06, 2, 0, 0, NULL, 0},
	{"ef-suci-calc-info", 0x4F07, 0, -1, EUM_FT_EF_TRANSPARENT, 0x07, 2, 0, 0, "FF...FF", 0},
	{"ef-opl5g", 0x4F08, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x08, 10, 10, 0, "FF...FF", 0},
	{"ef-supinai", 0x4F09, 0, -1, EUM_FT_EF_TRANSPARENT, 0x09, 2, 0, 0, NULL, 0},
	{"ef-routing-indicator", 0x4F0A, 4, -1, EUM_FT_EF_TRANSPARENT, 0x0A, 2, 0, 0, "F0FFFFFF", 0},
	{"ef-ursp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-tn3gppsnn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-cag", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sor-cmci", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-dri", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-5gsedrx", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-5gnswo-conf", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mchpplmn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-kausf-derivation", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.13.2 (PE-DF-5GS) */
static const struct eum_saip_tfile t_2_13_2[] = {
	{"df-df-5gs", 0x5FC0, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-5gs3gpploci", 0x4F01, 20, -1, EUM_FT_EF_TRANSPARENT, 0x01, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000001", 0},
	{"ef-5gsn3gpploci", 0x4F02, 20, -1, EUM_FT_EF_TRANSPARENT, 0x02, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000001", 0},
	{"ef-5gs3gppnsc", 0x4F03, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x03, 5, 57, 1, "FF...FF", 0},
	{"ef-5gsn3gppnsc", 0x4F04, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x04, 5, 57, 1, "FF...FF", 0},
	{"ef-5gauthkeys", 0x4F05, 110, -1, EUM_FT_EF_TRANSPARENT, 0x05, 5, 0, 0, NULL, 0},
	{"ef-uac-aic", 0x4F06, 4, -1, EUM_FT_EF_TRANSPARENT, 0x06, 2, 0, 0, NULL, 0},
	{"ef-suci-calc-info", 0x4F07, 0, -1, EUM_FT_EF_TRANSPARENT, 0x07, 2, 0, 0, "FF...FF", 0},
	{"ef-opl5g", 0x4F08, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x08, 10, 10, 0, "FF...FF", 0},
	{"ef-supinai", 0x4F09, 0, -1, EUM_FT_EF_TRANSPARENT, 0x09, 2, 0, 0, NULL, 0},
	{"ef-routing-indicator", 0x4F0A, 4, -1, EUM_FT_EF_TRANSPARENT, 0x0A, 2, 0, 0, "F0FFFFFF", 0},
	{"ef-ursp", 0x4F0B, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-tn3gppsnn", 0x4F0C, 1, -1, EUM_FT_EF_TRANSPARENT, 0x0C, 2, 0, 0, "00", 0},
	{"ef-cag", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sor-cmci", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-dri", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-5gsedrx", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-5gnswo-conf", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mchpplmn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-kausf-derivation", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.13.3 (PE-DF-5GS) */
static const struct eum_saip_tfile t_2_13_3[] = {
	{"df-df-5gs", 0x5FC0, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-5gs3gpploci", 0x4F01, 20, -1, EUM_FT_EF_TRANSPARENT, 0x01, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000001", 0},
	{"ef-5gsn3gpploci", 0x4F02, 20, -1, EUM_FT_EF_TRANSPARENT, 0x02, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000001", 0},
	{"ef-5gs3gppnsc", 0x4F03, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x03, 5, 62, 2, "FF...FF", 0},
	{"ef-5gsn3gppnsc", 0x4F04, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x04, 5, 62, 2, "FF...FF", 0},
	{"ef-5gauthkeys", 0x4F05, 110, -1, EUM_FT_EF_TRANSPARENT, 0x05, 5, 0, 0, NULL, 0},
	{"ef-uac-aic", 0x4F06, 4, -1, EUM_FT_EF_TRANSPARENT, 0x06, 2, 0, 0, NULL, 0},
	{"ef-suci-calc-info", 0x4F07, 0, -1, EUM_FT_EF_TRANSPARENT, 0x07, 2, 0, 0, "FF...FF", 0},
	{"ef-opl5g", 0x4F08, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x08, 10, 10, 0, "FF...FF", 0},
	{"ef-supinai", 0x4F09, 0, -1, EUM_FT_EF_TRANSPARENT, 0x09, 2, 0, 0, NULL, 0},
	{"ef-routing-indicator", 0x4F0A, 4, -1, EUM_FT_EF_TRANSPARENT, 0x0A, 2, 0, 0, "F0FFFFFF", 0},
	{"ef-ursp", 0x4F0B, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-tn3gppsnn", 0x4F0C, 1, -1, EUM_FT_EF_TRANSPARENT, 0x0C, 2, 0, 0, "00", 0},
	{"ef-cag", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sor-cmci", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-dri", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-5gsedrx", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-5gnswo-conf", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mchpplmn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-kausf-derivation", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.13.4 (PE-DF-5GS) */
static const struct eum_saip_tfile t_2_13_4[] = {
	{"df-df-5gs", 0x5FC0, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-5gs3gpploci", 0x4F01, 20, -1, EUM_FT_EF_TRANSPARENT, 0x01, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000001", 0},
	{"ef-5gsn3gpploci", 0x4F02, 20, -1, EUM_FT_EF_TRANSPARENT, 0x02, 5, 0, 0, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000001", 0},
	{"ef-5gs3gppnsc", 0x4F03, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x03, 5, 62, 2, "FF...FF", 0},
	{"ef-5gsn3gppnsc", 0x4F04, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x04, 5, 62, 2, "FF...FF", 0},
	{"ef-5gauthkeys", 0x4F05, 110, -1, EUM_FT_EF_TRANSPARENT, 0x05, 5, 0, 0, NULL, 0},
	{"ef-uac-aic", 0x4F06, 4, -1, EUM_FT_EF_TRANSPARENT, 0x06, 2, 0, 0, NULL, 0},
	{"ef-suci-calc-info", 0x4F07, 0, -1, EUM_FT_EF_TRANSPARENT, 0x07, 2, 0, 0, "FF...FF", 0},
	{"ef-opl5g", 0x4F08, 0, -1, EUM_FT_EF_LINEAR_FIXED, 0x08, 10, 10, 0, "FF...FF", 0},
	{"ef-supinai", 0x4F09, 0, -1, EUM_FT_EF_TRANSPARENT, 0x09, 2, 0, 0, NULL, 0},
	{"ef-routing-indicator", 0x4F0A, 4, -1, EUM_FT_EF_TRANSPARENT, 0x0A, 2, 0, 0, "F0FF0000", 0},
	{"ef-ursp", 0x4F0B, 0, -1, EUM_FT_EF_BER_TLV, 0x00, 2, 0, 0, NULL, 0},
	{"ef-tn3gppsnn", 0x4F0C, 1, -1, EUM_FT_EF_TRANSPARENT, 0x0C, 2, 0, 0, "00", 0},
	{"ef-cag", 0x4F0D, 2, -1, EUM_FT_EF_TRANSPARENT, 0x0D, 2, 0, 0, NULL, 0},
	{"ef-sor-cmci", 0x4F0E, 0, -1, EUM_FT_EF_TRANSPARENT, 0x0E, 2, 0, 0, NULL, 0},
	{"ef-dri", 0x4F0F, 7, -1, EUM_FT_EF_TRANSPARENT, 0x0F, 2, 0, 0, NULL, 0},
	{"ef-5gsedrx", 0x4F10, 2, -1, EUM_FT_EF_TRANSPARENT, 0x10, 2, 0, 0, NULL, 0},
	{"ef-5gnswo-conf", 0x4F11, 1, -1, EUM_FT_EF_TRANSPARENT, 0x11, 2, 0, 0, NULL, 0},
	{"ef-mchpplmn", 0x4F15, 1, -1, EUM_FT_EF_TRANSPARENT, 0x15, 2, 0, 0, NULL, 0},
	{"ef-kausf-derivation", 0x4F16, 1, -1, EUM_FT_EF_TRANSPARENT, 0x16, 2, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.14 (PE-DF-SAIP) */
static const struct eum_saip_tfile t_2_14[] = {
	{"df-df-saip", 0x5FD0, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-suci-calc-info-usim", 0x4F01, 0, -1, EUM_FT_EF_TRANSPARENT, 0x00, 3, 0, 0, "FF...FF", 0},
};

/* 2.23.143.1.2.15 (PE-DF-SNPN) */
static const struct eum_saip_tfile t_2_15[] = {
	{"df-df-snpn", 0x5FE0, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-pws-snpn", 0x4F01, 1, -1, EUM_FT_EF_TRANSPARENT, 0x00, 10, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.16 (PE-DF-5GPROSE) */
static const struct eum_saip_tfile t_2_16[] = {
	{"df-df-5g-prose", 0x5FF0, 0, -1, EUM_FT_DF, 0x00, 14, 0, 0, NULL, 0},
	{"ef-5g-prose-st", 0x4F01, 1, -1, EUM_FT_EF_TRANSPARENT, 0x01, 2, 0, 0, NULL, 0},
	{"ef-5g-prose-dd", 0x4F02, 26, -1, EUM_FT_EF_TRANSPARENT, 0x02, 2, 0, 0, NULL, 0},
	{"ef-5g-prose-dc", 0x4F03, 12, -1, EUM_FT_EF_TRANSPARENT, 0x03, 2, 0, 0, NULL, 0},
	{"ef-5g-prose-u2nru", 0x4F04, 32, -1, EUM_FT_EF_TRANSPARENT, 0x04, 2, 0, 0, NULL, 0},
	{"ef-5g-prose-ru", 0x4F05, 29, -1, EUM_FT_EF_TRANSPARENT, 0x05, 2, 0, 0, NULL, 0},
	{"ef-5g-prose-uir", 0x4F06, 32, -1, EUM_FT_EF_TRANSPARENT, 0x06, 2, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.10 and its v2 (PE-CSIM): member names only, see the file comment */
static const struct eum_saip_tfile t_2_10[] = {
	{"adf-csim", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-arr", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-call-count", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-imsi-m", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-imsi-t", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-tmsi", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ah", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-aop", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-aloc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-cdmahome", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-znregi", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-snregi", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-distregi", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-accolc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-term", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-acp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-prl", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ruimid", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-csim-st", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-spc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-otapaspc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-namlock", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ota", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-esn-meid-me", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-li", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-usgind", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ad", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-max-prl", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-spcs", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mecrp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-home-tag", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-group-tag", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-specific-tag", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-call-prompt", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

/* 2.23.143.1.2.11 and its v2 (PE-OPT-CSIM): member names only, see the file comment */
static const struct eum_saip_tfile t_2_11[] = {
	{"ef-ssci", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-fdn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sms", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-smsp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-smss", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ssfc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-spn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mdn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ecc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-me3gpdopc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-3gpdopm", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sipcap", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mipcap", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sipupp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mipupp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sipsp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mipsp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sippapss", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-puzl", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-maxpuzl", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-hrpdcap", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-hrpdupp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-csspr", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-atc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-eprl", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-bcsmscfg", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-bcsmspref", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-bcsmstable", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-bcsmsp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-bakpara", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-upbakpara", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mmsn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ext8", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mmsicp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mmsup", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mmsucp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-auth-capability", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-3gcik", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-dck", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-gid1", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-gid2", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-cdmacnl", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sf-euimid", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-est", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-hidden-key", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-lcsver", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-lcscp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-sdn", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ext2", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ext3", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ici", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-oci", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ext5", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ccp2", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-applabels", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-model", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-rc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-smscap", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mipflags", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-3gpduppext", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-ipv6cap", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-tcpconfig", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-dgc", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-wapbrowsercp", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-wapbrowserbm", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-mmsconfig", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
	{"ef-jdl", 0, 0, -1, EUM_SAIP_FT_NONE, 0, 0, 0, 0, NULL, 0},
};

const struct eum_saip_template eum_saip_templates[] = {
	{"2.23.143.1.2.1", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x01}, 6, ProfileElement_PR_mf, EUM_SAIP_BASE_MF, 1, t_2_1, ARRAY_SIZE(t_2_1)},
	{"2.23.143.1.2.2", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x02}, 6, ProfileElement_PR_cd, EUM_SAIP_BASE_UNDER_MF, 0, t_2_2, ARRAY_SIZE(t_2_2)},
	{"2.23.143.1.2.3", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x03}, 6, ProfileElement_PR_telecom, EUM_SAIP_BASE_UNDER_MF, 0, t_2_3, ARRAY_SIZE(t_2_3)},
	{"2.23.143.1.2.3.2", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x03, 0x02}, 7, ProfileElement_PR_telecom, EUM_SAIP_BASE_UNDER_MF, 0, t_2_3_2, ARRAY_SIZE(t_2_3_2)},
	{"2.23.143.1.2.4", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x04}, 6, ProfileElement_PR_usim, EUM_SAIP_BASE_UNDER_MF, 1, t_2_4, ARRAY_SIZE(t_2_4)},
	{"2.23.143.1.2.4.2", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x04, 0x02}, 7, ProfileElement_PR_usim, EUM_SAIP_BASE_UNDER_MF, 1, t_2_4_2, ARRAY_SIZE(t_2_4_2)},
	{"2.23.143.1.2.5", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x05}, 6, ProfileElement_PR_opt_usim, EUM_SAIP_BASE_EXTENDS_USIM, 0, t_2_5, ARRAY_SIZE(t_2_5)},
	{"2.23.143.1.2.5.2", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x05, 0x02}, 7, ProfileElement_PR_opt_usim, EUM_SAIP_BASE_EXTENDS_USIM, 0, t_2_5_2, ARRAY_SIZE(t_2_5_2)},
	{"2.23.143.1.2.5.3", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x05, 0x03}, 7, ProfileElement_PR_opt_usim, EUM_SAIP_BASE_EXTENDS_USIM, 0, t_2_5_3, ARRAY_SIZE(t_2_5_3)},
	{"2.23.143.1.2.6", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x06}, 6, ProfileElement_PR_phonebook, EUM_SAIP_BASE_IN_USIM, 0, t_2_6, ARRAY_SIZE(t_2_6)},
	{"2.23.143.1.2.7", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x07}, 6, ProfileElement_PR_gsm_access, EUM_SAIP_BASE_IN_USIM, 0, t_2_7, ARRAY_SIZE(t_2_7)},
	{"2.23.143.1.2.8", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x08}, 6, ProfileElement_PR_isim, EUM_SAIP_BASE_UNDER_MF, 1, t_2_8, ARRAY_SIZE(t_2_8)},
	{"2.23.143.1.2.9", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x09}, 6, ProfileElement_PR_opt_isim, EUM_SAIP_BASE_EXTENDS_ISIM, 0, t_2_9, ARRAY_SIZE(t_2_9)},
	{"2.23.143.1.2.9.2", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x09, 0x02}, 7, ProfileElement_PR_opt_isim, EUM_SAIP_BASE_EXTENDS_ISIM, 0, t_2_9_2, ARRAY_SIZE(t_2_9_2)},
	{"2.23.143.1.2.10", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0A}, 6, ProfileElement_PR_csim, EUM_SAIP_BASE_UNDER_MF, 1, t_2_10, ARRAY_SIZE(t_2_10)},
	{"2.23.143.1.2.10.2", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0A, 0x02}, 7, ProfileElement_PR_csim, EUM_SAIP_BASE_UNDER_MF, 1, t_2_10, ARRAY_SIZE(t_2_10)},
	{"2.23.143.1.2.11", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0B}, 6, ProfileElement_PR_opt_csim, EUM_SAIP_BASE_EXTENDS_CSIM, 0, t_2_11, ARRAY_SIZE(t_2_11)},
	{"2.23.143.1.2.11.2", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0B, 0x02}, 7, ProfileElement_PR_opt_csim, EUM_SAIP_BASE_EXTENDS_CSIM, 0, t_2_11, ARRAY_SIZE(t_2_11)},
	{"2.23.143.1.2.12", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0C}, 6, ProfileElement_PR_eap, EUM_SAIP_BASE_UNDER_MF, 0, t_2_12, ARRAY_SIZE(t_2_12)},
	{"2.23.143.1.2.13", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0D}, 6, ProfileElement_PR_df_5gs, EUM_SAIP_BASE_IN_USIM, 0, t_2_13, ARRAY_SIZE(t_2_13)},
	{"2.23.143.1.2.13.2", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0D, 0x02}, 7, ProfileElement_PR_df_5gs, EUM_SAIP_BASE_IN_USIM, 0, t_2_13_2, ARRAY_SIZE(t_2_13_2)},
	{"2.23.143.1.2.13.3", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0D, 0x03}, 7, ProfileElement_PR_df_5gs, EUM_SAIP_BASE_IN_USIM, 0, t_2_13_3, ARRAY_SIZE(t_2_13_3)},
	{"2.23.143.1.2.13.4", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0D, 0x04}, 7, ProfileElement_PR_df_5gs, EUM_SAIP_BASE_IN_USIM, 0, t_2_13_4, ARRAY_SIZE(t_2_13_4)},
	{"2.23.143.1.2.14", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0E}, 6, ProfileElement_PR_df_saip, EUM_SAIP_BASE_IN_USIM, 0, t_2_14, ARRAY_SIZE(t_2_14)},
	{"2.23.143.1.2.15", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x0F}, 6, ProfileElement_PR_df_snpn, EUM_SAIP_BASE_IN_USIM, 0, t_2_15, ARRAY_SIZE(t_2_15)},
	{"2.23.143.1.2.16", {0x67, 0x81, 0x0F, 0x01, 0x02, 0x10}, 6, ProfileElement_PR_df_5gprose, EUM_SAIP_BASE_IN_USIM, 0, t_2_16, ARRAY_SIZE(t_2_16)},
};

const size_t eum_saip_templates_n = ARRAY_SIZE(eum_saip_templates);

const struct eum_saip_template *eum_saip_template_find(const uint8_t *oid, size_t len)
{
	size_t i;

	for (i = 0; i < eum_saip_templates_n; i++)
		if (eum_saip_templates[i].oid_len == len && memcmp(eum_saip_templates[i].oid, oid, len) == 0)
			return &eum_saip_templates[i];
	return NULL;
}

/* Decode n hex digits pairs of s into out (at most cap bytes); returns the byte count or -1. */
static long hex_part(const char *s, size_t n, uint8_t *out, size_t cap)
{
	char tmp[128];

	if (n >= sizeof(tmp) || n % 2)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return n ? eum_hex_decode(tmp, out, cap) : 0;
}

int eum_saip_expand_default(const char *def, int repeat, uint8_t *out, size_t len)
{
	uint8_t pre[64], suf[64];
	const char *dots = strstr(def, "...");
	long np, ns;
	size_t i;

	if (!dots) {
		np = hex_part(def, strlen(def), pre, sizeof(pre));
		if (np <= 0)
			return EUM_ERR_INVALID_ARG;
		for (i = 0; i < len && (repeat || i < (size_t)np); i++)
			out[i] = pre[i % (size_t)np];
		return EUM_OK;
	}
	np = hex_part(def, (size_t)(dots - def), pre, sizeof(pre));
	ns = hex_part(dots + 3, strlen(dots + 3), suf, sizeof(suf));
	if (np <= 0 || ns < 0)
		return EUM_ERR_INVALID_ARG;
	/* prefix, then its last byte repeated, then the suffix; cut to len */
	for (i = 0; i < len; i++) {
		size_t from_end = len - i;
		if (i < (size_t)np && (size_t)np + (size_t)ns <= len)
			out[i] = pre[i];
		else if ((size_t)np + (size_t)ns > len)
			out[i] = i < (size_t)np ? pre[i] : suf[i - (size_t)np];
		else if (from_end <= (size_t)ns)
			out[i] = suf[(size_t)ns - from_end];
		else
			out[i] = pre[np - 1];
	}
	return EUM_OK;
}
