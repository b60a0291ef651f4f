/*
 * The persistent state of the eUICC's security domains (SGP.02 §1-§4):
 * the ECASD (identity), the ISD-R (the SM-SR's agent) and the ISD-Ps (one
 * profile each) with their GlobalPlatform life-cycle states. Owned by the
 * GP module (src/gp/); the card holds it as an opaque pointer.
 */
#ifndef EUM_GP_DOMAINS_H
#define EUM_GP_DOMAINS_H

#include <stdint.h>

#include "gp/scp03.h"
#include "ota/scp80.h"
#include "profile/profile.h"
#include "sgp02/es5_state.h"

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
/* SCP81 (GP Amd B) TLS pre-shared keys of the ISD-R (spec digest scp81-https.md §3.4): KVN 40-4F,
 * key type 85, 16..32 bytes; key id 01 is the one SGP.02's PSK identity names. */
#define EUM_ISDR_SCP81_KEYS 4
#define EUM_SCP81_KVN_MIN   0x40
#define EUM_SCP81_KVN_MAX   0x4F
#define EUM_SCP81_KEY_TYPE  0x85 /* GPCS Table 11-16 "TLS pre-shared key" (pySim KeyType.tls_psk) */
#define EUM_SCP81_PSK_MIN   16
#define EUM_SCP81_PSK_MAX   32
struct eum_scp81_psk {
	uint8_t kvn;  /* 0 = empty slot */
	uint8_t kid;  /* key identifier, 01..7F */
	uint8_t type; /* EUM_SCP81_KEY_TYPE */
	uint8_t len;  /* EUM_SCP81_PSK_MIN..MAX */
	uint8_t psk[EUM_SCP81_PSK_MAX];
};
struct eum_isdr {
	uint8_t tar[3]; /* SCP80 TAR (UNCONFIRMED default 000001, SGP.02 digest §2.2) */
	uint8_t msl;    /* minimum security level of its TAR (TS 102 226) */
	struct eum_scp80_keyset scp80[EUM_ISDR_SCP80_KEYSETS]; /* kvn 0 = empty slot */
	struct eum_scp80_counter scp80_cntr[EUM_ISDR_SCP80_KEYSETS];
	struct eum_scp03_keyset scp03[1];                /* optional eUICC-vendor administration key set */
	struct eum_scp81_psk scp81[EUM_ISDR_SCP81_KEYS]; /* HTTPS admin sessions (src/gp/gp_keys.c) */
	struct eum_es5_pstate es5; /* SM-SR addressing, notifications, switch in progress (src/sgp02/) */
};

/* Everything the card keeps in non-volatile memory. */
struct eum_pstate {
	struct eum_ecasd ecasd;
	struct eum_isdr isdr;
	/* ISD-P slots. A slot never used points to one shared, read-only, all-zero slot (not in use, no
	 * profile): reading any slot is always valid, and memory is spent only on slots that exist
	 * (an ISD-P is ~2 KB). Before writing a slot that may never have been used, make it with
	 * eum_pstate_slot() (eum_isdp_transition(EUM_ISDP_EV_CREATE) and the image loader do). */
	struct eum_isdp *isdp[EUM_MAX_ISDP];
};

/* An empty persistent state (no ISD-P, no identity). */
void eum_pstate_init(struct eum_pstate *ps);
/* Slot `slot` made writable (allocated, empty, if it was never used). NULL: out of memory or out of range. */
struct eum_isdp *eum_pstate_slot(struct eum_pstate *ps, size_t slot);
/* Free every allocation of a persistent state (file bodies are wiped) and wipe it; it is left empty
 * (as eum_pstate_init() makes it). */
void eum_pstate_free(struct eum_pstate *ps);

#endif
