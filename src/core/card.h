/*
 * The card object (private): configuration, hooks, the persistent state of
 * the enabled profile and the volatile state of the current card session
 * (logical channels, PIN states, pending response data).
 */
#ifndef EUM_CORE_CARD_H
#define EUM_CORE_CARD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"
#include "fs/fs.h"
#include "fs/pin.h"
#include "cat/cat_state.h"
#include "gp/gp_state.h"
#include "gp/scp03.h"
#include "ota/ota_state.h"
#include "ota/scp80.h"
#include "sgp02/es5_state.h"
#include "sgp02/es8_state.h"
#include "store/store.h"
#include "usim/aka.h"

/* ETSI TS 102 221 §10.1.1: basic channel + 19 logical channels. */
#define EUM_MAX_CHANNELS 20
/* Longest command APDU: short APDU with Lc 255 and Le, plus room for SCP03 unwrapping. */
#define EUM_APDU_MAX 261
/* Response data the card may hold for GET RESPONSE (served 256 bytes at a time). */
#define EUM_RESP_MAX 4096

/* APDU cases (ISO 7816-3 §12.1), as bits for command tables. */
#define EUM_CASE1 0x01 /* no data, no Le */
#define EUM_CASE2 0x02 /* Le only */
#define EUM_CASE3 0x04 /* Lc + data */
#define EUM_CASE4 0x08 /* Lc + data + Le (over T=0: Lc + data, then 61xx) */

/* Which application answers on a logical channel. */
enum eum_app {
	EUM_APP_UICC,  /* the enabled profile's file system and NAAs (TS 102 221, TS 31.102) */
	EUM_APP_ISDR,  /* the ISD-R: platform management for the SM-SR (SGP.02 ES5) */
	EUM_APP_ECASD, /* the ECASD: the card's identity (SGP.02 §1) */
	EUM_APP_ISDP,  /* an ISD-P (channel.isdp): profile management for the SM-DP (SGP.02 ES8) */
	EUM_APP_MNOSD, /* the enabled profile's MNO-SD (SAIP securityDomain PE; GPCS security domain) */
	EUM_APP_NUM
};

/* Security a command needs (struct eum_cmd.sec), checked by the dispatcher. */
#define EUM_SEC_NONE   0 /* clear access allowed */
#define EUM_SEC_SECURE 1 /* inside the SD's secured channel: an SCP80 packet for its TAR, or SCP03 with C-MAC */

struct eum_apdu {
	uint8_t cla, ins, p1, p2;
	uint8_t chan;        /* logical channel from CLA */
	uint8_t cases;       /* the single EUM_CASEx this APDU has */
	const uint8_t *data; /* Lc bytes; NULL when lc == 0 */
	size_t lc;
	size_t le;          /* Ne: 1..256 (Le 00 = 256), 0 = absent */
	uint8_t sm;         /* the command arrived with secure messaging (SCP03-unwrapped) */
	const uint8_t *raw; /* the APDU as received (before any unwrapping) */
	size_t raw_len;
};

/* Response data a handler produces (the dispatcher adds the SW). */
struct eum_rsp {
	uint8_t *data;
	size_t cap;
	size_t len;
};

struct eum_channel {
	uint8_t open;
	uint8_t app;  /* enum eum_app */
	uint8_t isdp; /* ISD-P slot when app == EUM_APP_ISDP */
	uint8_t ota;  /* the commands arrive inside an SCP80-secured packet for this SD (a virtual channel) */
	struct eum_fs_sel sel;
	struct eum_scp03_session scp03; /* GlobalPlatform secure channel of this channel */
	struct eum_gp_chan gp;          /* GP command sequences in progress (src/gp/gp_state.h) */
};

struct eum_card;
typedef uint16_t (*eum_cmd_fn)(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                               struct eum_rsp *r);

/* One row of an application's command table (STYLE §5). */
struct eum_cmd {
	uint8_t cla; /* class after removing channel and SM bits: 0x00 or 0x80 */
	uint8_t ins;
	uint8_t cases; /* allowed EUM_CASEx bits */
	eum_cmd_fn fn;
	const char *name; /* for logs */
	uint8_t sec;      /* EUM_SEC_*: what the dispatcher requires before calling fn */
};

struct eum_cmd_table {
	const struct eum_cmd *cmds;
	size_t n;
};

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

/* GlobalPlatform life-cycle states of an ISD-P (SGP.02 §3.1). */
#define EUM_ISDP_SELECTABLE   0x07
#define EUM_ISDP_PERSONALIZED 0x0F
#define EUM_ISDP_DISABLED     0x1F
#define EUM_ISDP_ENABLED      0x3F

#define EUM_MAX_ISDP      16
#define EUM_ISDP_KEYSETS  2
#define EUM_ISDP_CONN_MAX 128 /* Connectivity Parameters kept per ISD-P (SGP.02 §8.3) */

/* An ISD-P: the container of one profile (SGP.02 §1). */
struct eum_isdp {
	uint8_t in_use;
	uint8_t aid_len;
	uint8_t aid[EUM_AID_MAX];
	uint8_t lcs;           /* EUM_ISDP_* */
	uint8_t fallback;      /* the fall-back attribute (exactly one ISD-P has it) */
	uint8_t pol1;          /* POL1 bit map (SGP.02 §3.3, UNCONFIRMED coding) */
	uint8_t has_profile;   /* prof holds an installed profile */
	uint8_t privileges[3]; /* GP privileges granted by INSTALL (GPCS §6.6.1) */
	uint32_t nvm_quota;    /* non-volatile memory reserved by INSTALL (EF 83/C8/D8) until a profile arrives */
	struct eum_scp03_keyset scp03[EUM_ISDP_KEYSETS]; /* established by ES8 (SGP.02 §8) */
	uint8_t has_token_key; /* MasterDelete token key provisioned (SGP.02 §7.5, src/sgp02/es5_isdr.c) */
	uint8_t token_key[16]; /* AES-128 key of the delete token (AES-CMAC) */
	/* Connectivity Parameters (SGP.02 §8.3: ES8 3A07, else the profile header's): BER-TLVs A0.. as given */
	uint8_t conn_len;
	uint8_t conn[EUM_ISDP_CONN_MAX];
	struct eum_profile prof;
};

/* The ECASD: the card's identity (SGP.02 §1, §2.3). */
#define EUM_ECASD_CERT_MAX 512
struct eum_ecasd {
	uint8_t eid[16];     /* BCD */
	uint8_t curve;       /* EUM_ECC_* of the keys below */
	uint8_t sk_ecka[32]; /* SK.ECASD.ECKA: never leaves the card */
	uint8_t pk_ci[65];   /* PK.CI.ECDSA: the root of trust */
	uint16_t cert_len;
	uint8_t cert[EUM_ECASD_CERT_MAX]; /* CERT.ECASD.ECKA (7F21) */
};

/* The ISD-R: the SM-SR's agent (SGP.02 §1, §4). */
#define EUM_ISDR_SCP80_KEYSETS 8
/* Default MSL of the ISD-R TAR (eum_config.isdr_msl): SPI1 16 = counter must be higher (b5b4 10),
 * ciphering, CC. SGP.02 §2.4.3 (ES5 over SMS secured by SCP80 with replay protection; clause
 * number UNCONFIRMED) and the public SM-SR njiwa, which secures its ISD-R packets with SPI1 16
 * (scp80-ota.md §3); our SM-SR helper (eum_host_smsr_init) sends the same. A packet without a
 * higher counter is refused with PoR status 0A, so none runs twice. */
#define EUM_ISDR_MSL_DEFAULT 0x16
struct eum_isdr {
	uint8_t tar[3]; /* SCP80 TAR (UNCONFIRMED default 000001, SGP.02 digest §2.2) */
	uint8_t msl;    /* minimum security level of its TAR (TS 102 226) */
	struct eum_scp80_keyset scp80[EUM_ISDR_SCP80_KEYSETS]; /* kvn 0 = empty slot */
	struct eum_scp80_counter scp80_cntr[EUM_ISDR_SCP80_KEYSETS];
	struct eum_scp03_keyset scp03[1]; /* optional eUICC-vendor administration key set */
	struct eum_es5_pstate es5;        /* SM-SR addressing, notifications, switch in progress (src/sgp02/) */
};

/* Everything the card keeps in non-volatile memory. */
struct eum_pstate {
	struct eum_ecasd ecasd;
	struct eum_isdr isdr;
	struct eum_isdp isdp[EUM_MAX_ISDP];
};

/* Free every allocation of a persistent state (file bodies are wiped). */
void eum_pstate_free(struct eum_pstate *ps);

struct eum_card {
	/* configuration and hooks (copied at creation) */
	uint8_t atr[EUM_ATR_MAX];
	size_t atr_len;
	eum_rng_fn rng;
	void *rng_ctx;
	void *drbg; /* default rng state when the host gave none */
	eum_log_fn log;
	void *log_ctx;
	eum_log_level log_level;
	eum_trace_fn trace; /* NULL = no trace */
	void *trace_ctx;
	eum_clock_fn clock;
	void *clock_ctx;
	uint64_t clock_fixed;

	/* persistent state, and where it is kept */
	struct eum_pstate ps;
	struct eum_store store;
	unsigned txn_depth; /* APDUs being processed (nested: remote scripts); commits wait for depth 0 */
	uint8_t txn_failed; /* a storage write failed during the APDU at depth 0: it answers 6581 */
	/* the enabled ISD-P's profile (derived from ps by eum_card_sync_enabled);
	 * an empty profile when none is enabled */
	struct eum_profile *prof;
	struct eum_profile noprof;

	/* volatile state of the card session */
	int powered;
	struct eum_channel ch[EUM_MAX_CHANNELS];
	struct eum_cat cat;         /* SIM toolkit session: terminal profile, proactive queue */
	struct eum_gp_card gp;      /* STORE DATA assembly buffer (src/gp/gp_state.h) */
	struct eum_ota_state ota;   /* SMS-PP download / SCP80 receiver (src/ota/ota.c) */
	struct eum_es5_card es5;    /* ES5 session state and policies (src/sgp02/es5_switch.c) */
	struct eum_es8_state es8;   /* ES8 key establishment and SCP03t download in progress (src/sgp02/es8_state.h) */
	uint32_t pin_verified;      /* bit i = prof.pins.pins[i] verified in this session */
	uint8_t resp[EUM_RESP_MAX]; /* data waiting for GET RESPONSE */
	size_t resp_len, resp_off;
	uint16_t resp_sw; /* status word to give with the last chunk */
	int8_t resp_chan; /* channel the pending data belongs to; -1 = none */
	uint8_t scratch[EUM_RESP_MAX];
};

/* logging: never pass secrets */
void eum_log(const struct eum_card *card, eum_log_level level, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

int eum_card_random(struct eum_card *card, uint8_t *buf, size_t len);
uint64_t eum_card_now(const struct eum_card *card);

/* the APDU engine (apdu.c) */
uint16_t eum_dispatch(struct eum_card *card, struct eum_channel *ch, const struct eum_cmd_table *tbl,
                      const struct eum_apdu *a, struct eum_rsp *r);

/* application command tables */
extern const struct eum_cmd_table eum_uicc_cmd_table;
extern const struct eum_cmd_table eum_isdr_cmd_table;
extern const struct eum_cmd_table eum_ecasd_cmd_table;
extern const struct eum_cmd_table eum_isdp_cmd_table;
extern const struct eum_cmd_table eum_mnosd_cmd_table;

/* T=0 transmission of one terminal APDU (apdu.c); eum_card_transmit() (card.c) wraps it with the trace hook. */
int eum_apdu_transmit(struct eum_card *card, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t cap,
                      size_t *rlen);

/* Process one APDU on a channel without T=0 framing (used for OTA scripts
 * and by eum_card_transmit): class, SCP03 unwrap, case, dispatch, commit,
 * SCP03 wrap. Response data in r; returns the SW. */
uint16_t eum_process_apdu(struct eum_card *card, struct eum_channel *ch, const uint8_t *capdu, size_t len,
                          struct eum_rsp *r, uint8_t *cases);

/* Reset the volatile session state (channels, PIN states, pending data). */
void eum_card_session_reset(struct eum_card *card);
/* Point card->prof at the enabled ISD-P's profile (after any change of state). */
void eum_card_sync_enabled(struct eum_card *card);
/* Close logical channel n (its selection and sessions end). */
void eum_card_close_channel(struct eum_card *card, unsigned n);

#endif
