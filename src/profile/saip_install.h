/*
 * On-card installer for TCA eUICC Profile Packages ("SAIP", PE_Definitions 3.3.1;
 * spec digest profile-package.md): decodes the DER ProfileElement stream one PE
 * at a time and executes each PE into a scratch profile, which replaces the
 * caller's profile only when the `end` PE has been processed.
 *
 * Streaming: eum_saip_installer_feed() takes the package in arbitrary pieces
 * (SGP.02 SCP03t segments) and executes every PE as soon as it is complete, so
 * no more than one PE (at most EUM_SAIP_PE_MAX bytes) is ever buffered.
 */
#ifndef EUM_PROFILE_SAIP_INSTALL_H
#define EUM_PROFILE_SAIP_INSTALL_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"
#include "profile/profile.h"

/* PEStatus.status values (PE_Definitions 3.3.1 PEStatus; ISO SWs 6xxx/9xxx as integers). */
#define EUM_SAIP_ST_OK                          0
#define EUM_SAIP_ST_PE_NOT_SUPPORTED            1
#define EUM_SAIP_ST_MEMORY_FAILURE              2
#define EUM_SAIP_ST_BAD_VALUES                  3
#define EUM_SAIP_ST_NOT_ENOUGH_MEMORY           4
#define EUM_SAIP_ST_INVALID_REQUEST_FORMAT      5
#define EUM_SAIP_ST_INVALID_PARAMETER           6
#define EUM_SAIP_ST_RUNTIME_NOT_SUPPORTED       7
#define EUM_SAIP_ST_LIB_NOT_SUPPORTED           8
#define EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED      9
#define EUM_SAIP_ST_FEATURE_NOT_SUPPORTED       10
#define EUM_SAIP_ST_PIN_CODE_MISSING            11
#define EUM_SAIP_ST_UNSUPPORTED_PROFILE_VERSION 31
#define EUM_SAIP_ST_FILE_EXISTS                 0x6A89 /* ISO SW 6A89 as a PEStatus integer */
#define EUM_SAIP_ST_FILE_NOT_FOUND              0x6A82 /* ISO SW 6A82 as a PEStatus integer */

/* Largest single PE accepted (the TS.48 packages' largest is under 3 KiB; a
 * Java Card load block would be larger, but no applet runtime exists here). */
#define EUM_SAIP_PE_MAX     (64u * 1024u)
#define EUM_SAIP_STATUS_MAX 16
#define EUM_SAIP_REASON_MAX 160

/* One PEStatus entry (-1 = component absent). */
struct eum_saip_pe_status {
	long status;
	long identification;
	long additional_information;
	long offset;
	size_t pe_index; /* 0-based position of the PE in the package (not encoded) */
};

/* Outcome of an installation; the statuses are what EUICCResponse reports. */
struct eum_saip_result {
	struct eum_saip_pe_status st[EUM_SAIP_STATUS_MAX];
	size_t n_st;
	int aborted;     /* profileInstallationAborted */
	size_t pe_count; /* PEs decoded (including the one that aborted) */
	/* the PE that aborted the installation (valid when aborted) */
	size_t pe_index;
	long status;
	long identification; /* -1: unknown (undecodable PE, or the header) */
	/* why it aborted, for logs: the PE (type and identification), the field and the status, e.g.
	 * "PE akaParameter #11: sqnInit value above 07FFFFFFFFFF (bad values)"; "" when not aborted */
	char reason[EUM_SAIP_REASON_MAX];
};

/* Name of a PEStatus.status value ("bad values", ...), for logs. */
const char *eum_saip_status_name(long status);

/* ---- data carried by non-file-system PEs, for later consumers ------------- */

#define EUM_SAIP_MAX_SD    4
#define EUM_SAIP_MAX_KEYS  16
#define EUM_SAIP_KEY_MAX   32
#define EUM_SAIP_MAX_PERSO 4
#define EUM_SAIP_PERSO_MAX 256
#define EUM_SAIP_PARAM_MAX 64
#define EUM_SAIP_MAX_RFM   8
#define EUM_SAIP_MAX_TARS  8
#define EUM_SAIP_MAX_APPS  8
#define EUM_SAIP_MAX_INST  4
#define EUM_SAIP_MAX_LINKS 32
#define EUM_SAIP_PATH_MAX  16

struct eum_saip_aid {
	uint8_t len; /* 0 = absent */
	uint8_t b[16];
};

/* One key component of a KeyObject (PE-SecurityDomain keyList; GP Card Spec §11.1.9 usage). */
struct eum_saip_key {
	uint8_t kvn;      /* keyVersionNumber */
	uint8_t kid;      /* keyIdentifier */
	uint8_t usage[2]; /* keyUsageQualifier, usage_len bytes */
	uint8_t usage_len;
	uint8_t access;      /* keyAccess, default 00 */
	uint8_t type;        /* keyType (80 DES, 88 AES, ...) */
	uint8_t mac_len;     /* default 8 */
	uint8_t counter_len; /* keyCounterValue, 0 = absent */
	uint8_t counter[8];
	uint8_t len;
	uint8_t data[EUM_SAIP_KEY_MAX]; /* secret: wiped by eum_saip_extras_wipe() */
};

struct eum_saip_blob {
	uint16_t len;
	uint8_t b[EUM_SAIP_PERSO_MAX];
};

/* PE-SecurityDomain (MNO-SD or supplementary SD). */
struct eum_saip_sd {
	long identification;
	struct eum_saip_aid load_package, class_aid, instance;
	uint8_t privileges[3];
	uint8_t privileges_len;
	uint8_t lcs;                    /* default 07 */
	uint8_t c9[EUM_SAIP_PARAM_MAX]; /* applicationSpecificParametersC9 (GP install params) */
	uint8_t c9_len;
	uint8_t toolkit[EUM_SAIP_PARAM_MAX]; /* EA uiccToolkitApplicationSpecificParametersField */
	uint8_t toolkit_len;
	struct eum_saip_key keys[EUM_SAIP_MAX_KEYS];
	size_t n_keys;
	struct eum_saip_blob perso[EUM_SAIP_MAX_PERSO]; /* sdPersoData: STORE DATA payloads, as given */
	size_t n_perso;
	int has_cat_tp;
	uint16_t cat_tp_max_sdu, cat_tp_max_pdu;
};

/* PE-RFM (TS 102 226 remote file management instance). */
struct eum_saip_rfm {
	long identification;
	struct eum_saip_aid instance, sd;
	uint8_t tars[EUM_SAIP_MAX_TARS][3];
	size_t n_tars;                 /* 0: tarList absent (TAR derived from the AID) */
	uint8_t msl;                   /* minimumSecurityLevel */
	uint8_t access[8], access_len; /* uiccAccessDomain */
	uint8_t admin[8], admin_len;   /* uiccAdminAccessDomain */
	int has_adf;
	struct eum_saip_aid adf; /* adfRFMAccess.adfAID */
	uint8_t adf_access[8], adf_access_len;
	uint8_t adf_admin[8], adf_admin_len;
};

/* PE-Application (recorded only: there is no Java Card runtime). */
struct eum_saip_app {
	long identification;
	struct eum_saip_aid load_package; /* loadBlock.loadPackageAID, len 0 = no load block */
	struct eum_saip_aid instances[EUM_SAIP_MAX_INST];
	size_t n_instances;
};

/* A link file (Fcp linkPath): created as a copy of its target at install time. */
struct eum_saip_link {
	uint8_t path[EUM_SAIP_PATH_MAX]; /* FIDs from the MF (without 3F00) */
	uint8_t path_len;
	uint8_t target[EUM_SAIP_PATH_MAX]; /* linkPath as given */
	uint8_t target_len;
};

struct eum_saip_extras {
	uint8_t major_version, minor_version;
	uint8_t iccid[10];      /* ProfileHeader iccid, as given */
	char profile_type[101]; /* NUL-terminated, may be empty */
	uint32_t services;      /* bit i = member i of ServicesList mandated */
	uint8_t pol[8], pol_len;
	uint8_t connectivity[64], connectivity_len;
	struct eum_saip_sd sd[EUM_SAIP_MAX_SD];
	size_t n_sd;
	struct eum_saip_rfm rfm[EUM_SAIP_MAX_RFM];
	size_t n_rfm;
	struct eum_saip_app app[EUM_SAIP_MAX_APPS];
	size_t n_app;
	int has_isim_aka; /* akaParameter following the isim PE */
	struct eum_aka_params isim_aka;
	struct eum_aka_sqn isim_sqn;
	int has_cdma; /* cdmaParameter (CAVE is not implemented) */
	uint8_t cdma_akey[8];
	uint8_t cdma_ssd[16], cdma_ssd_len;
	struct eum_saip_link links[EUM_SAIP_MAX_LINKS];
	size_t n_links;
	size_t skipped_files; /* template files without geometry (CSIM), not created */
};

/* Wipe the secrets (keys, AKA) and zero the structure. */
void eum_saip_extras_wipe(struct eum_saip_extras *x);

/* ---- incremental installer ---------------------------------------------- */

/* Option: the PE's opc field holds OP, not OPc; the installer derives OPc (TS 35.206 §4.1). */
#define EUM_SAIP_OPT_OPC_IS_OP 0x01u

enum eum_saip_state {
	EUM_SAIP_RUNNING,
	EUM_SAIP_DONE,   /* end PE processed */
	EUM_SAIP_FAILED, /* aborted: see result */
	EUM_SAIP_STATE_NUM
};

/* Installer context (caller-allocated, ~40 KiB: put it on the heap). */
struct eum_saip_installer {
	uint32_t opts;
	uint8_t state;           /* enum eum_saip_state */
	struct eum_profile prof; /* scratch profile being built (owned) */
	struct eum_saip_extras ext;
	struct eum_saip_result res;
	/* stream: the bytes of the PE not yet complete */
	uint8_t *buf; /* owned, wiped when released */
	size_t buf_len, buf_cap;
	size_t pe_index; /* index of the next PE */
	size_t offset;   /* stream offset of the next PE */
	/* PE sequence state */
	int32_t usim_adf, isim_adf, csim_adf; /* fs indices of the NAA ADFs, -1 = none */
	uint8_t last_naa;                     /* 0 none, 1 usim, 2 isim, 3 csim */
	uint8_t have_usim_aka;
	uint8_t aka_algos; /* bit per enum eum_aka_algo seen */
	uint8_t ids[4096]; /* bitmap of PEHeader identifications seen (UInt15) */
};

/* Prepare an installer (opts: EUM_SAIP_OPT_*). Returns EUM_OK. */
int eum_saip_installer_init(struct eum_saip_installer *ctx, uint32_t opts);

/*
 * Feed the next n bytes of the package; every PE completed by them is executed.
 * Returns EUM_OK (more bytes welcome, or `end` reached), EUM_ERR_PROFILE when
 * the package is refused (ctx->res tells which PE and why; later calls keep
 * failing), EUM_ERR_INVALID_ARG.
 */
int eum_saip_installer_feed(struct eum_saip_installer *ctx, const uint8_t *bytes, size_t n);

/*
 * Finish: if the package ended with `end`, the built profile replaces *out
 * (whose previous content is released) and the extras are moved to *extras
 * (may be NULL). Otherwise *out is left untouched and EUM_ERR_PROFILE is
 * returned. res (may be NULL) receives the result either way.
 */
int eum_saip_installer_finish(struct eum_saip_installer *ctx, struct eum_profile *out, struct eum_saip_extras *extras,
                              struct eum_saip_result *res);

/* Release everything the installer holds (wiped). Safe after finish. */
void eum_saip_installer_free(struct eum_saip_installer *ctx);

/* ---- one-shot ------------------------------------------------------------- */

/*
 * Install a whole package (DER, PEs back to back) into *out: on EUM_OK *out
 * holds the new profile (previous content released); on EUM_ERR_PROFILE (the
 * package was refused; res says which PE and why), EUM_ERR_NO_MEMORY or
 * EUM_ERR_INVALID_ARG, *out is unchanged. res may be NULL.
 */
int eum_saip_install(struct eum_profile *out, const uint8_t *der, size_t len, struct eum_saip_result *res);

/* Same, also returning what the security-domain, RFM, application and other PEs carry. */
int eum_saip_install_ex(struct eum_profile *out, struct eum_saip_extras *extras, const uint8_t *der, size_t len,
                        uint32_t opts, struct eum_saip_result *res);

/*
 * Encode res as the DER EUICCResponse (PE_Definitions 3.3.1: peStatus, and
 * profileInstallationAborted when aborted) into out[0..cap).
 * Returns EUM_OK, EUM_ERR_BUFFER_TOO_SMALL (*len = size needed) or EUM_ERR_INVALID_ARG.
 */
int eum_saip_encode_result(const struct eum_saip_result *res, uint8_t *out, size_t cap, size_t *len);

/* PINConfiguration.pinAttributes decoded (coding table and its sources: saip_pe_pin.c). */
struct eum_saip_pin_attr {
	int enabled;     /* verification required */
	int can_disable; /* DISABLE / ENABLE PIN allowed */
};
void eum_saip_pin_attributes(uint8_t v, struct eum_saip_pin_attr *out);

/* Release a profile's content (file bodies wiped, PINs and keys wiped); leaves it empty. */
void eum_saip_profile_clear(struct eum_profile *p);

#endif
