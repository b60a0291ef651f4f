/*
 * The GlobalPlatform side of the eUICC (SGP.02 §1-§2, GP Card Specification
 * v2.3): the ISD-R, ECASD and ISD-P applications, their AIDs and selection.
 */
#ifndef EUM_GP_GP_H
#define EUM_GP_GP_H

#include "core/card.h"
#include "fs/fs.h"
#include "gp/domains.h"
#include "gp/gp_state.h"
#include "gp/scp03.h"

/* A channel that is not one of the card's logical channels (the virtual channel of an OTA
 * script, a stand-in for SCP03t) together with the storage of its per-channel module state. */
struct eum_vchannel {
	struct eum_channel ch;
	struct eum_fs_sel sel;
	struct eum_scp03_session scp03;
	struct eum_gp_chan gp;
};
/* A closed, empty channel whose pointers refer to v's own storage. */
void eum_vchannel_init(struct eum_vchannel *v);
/* dst becomes a copy of src (its own storage, the same content). */
void eum_vchannel_copy(struct eum_vchannel *dst, const struct eum_vchannel *src);

/* The GP applications as the engine sees them (registered by src/card/card.c), and the
 * secure channel they accept: SCP03 per logical channel (GP Amd D). */
extern const struct eum_sc_ops eum_gp_scp03_ops;
extern const struct eum_app_desc eum_app_isdr;
extern const struct eum_app_desc eum_app_ecasd;
extern const struct eum_app_desc eum_app_isdp;
extern const struct eum_app_desc eum_app_mnosd;
/* command tables */
extern const struct eum_cmd_table eum_isdr_cmd_table;
extern const struct eum_cmd_table eum_ecasd_cmd_table;
extern const struct eum_cmd_table eum_isdp_cmd_table;
extern const struct eum_cmd_table eum_mnosd_cmd_table;

/* SGP.02 Annex H AIDs (16 bytes). */
extern const uint8_t eum_aid_isdr[16];
extern const uint8_t eum_aid_ecasd[16];
extern const uint8_t eum_aid_isdp_elf[16];    /* ISD-P executable load file */
extern const uint8_t eum_aid_isdp_module[16]; /* ISD-P executable module */
/* ISD-P instance AID for a TAR (SGP.02 Annex H: A0000005591010FFFFFFFF89 TAR(3) 00). */
void eum_isdp_aid_for_tar(const uint8_t tar[3], uint8_t aid[16]);

/* SELECT by DF name for a platform AID (ISD-R, ECASD, or an ISD-P over OTA):
 * makes it the channel's application and answers its FCI. Returns 0 when
 * the AID is not a platform AID (the channel's own application handles the
 * SELECT), else the SW. A SELECT other than by DF name on a platform
 * channel returns the channel to the UICC application (returns 0). */
uint16_t eum_gp_route_select(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                             struct eum_rsp *r);

/* ISD-P slot with this AID, or -1. */
int eum_isdp_find(const struct eum_card *card, const uint8_t *aid, size_t len);

/* Fill the ECASD and ISD-R with the documented test identity (README). */
void eum_gp_default_identity(struct eum_pstate *ps);

/* INITIALIZE UPDATE / EXTERNAL AUTHENTICATE for the SD on this channel
 * (GP Amd D §7.1), shared by the ISD-R and ISD-P command tables. */
uint16_t eum_gp_initialize_update(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                  struct eum_rsp *r);
uint16_t eum_gp_external_authenticate(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                      struct eum_rsp *r);

/* The SCP03 key sets of the SD a channel addresses (the ISD-R's vendor set,
 * the ISD-P's sets or the enabled profile's MNO-SD sets), their number in *n
 * and the SD's instance AID (16 bytes, or card->prof->mnosd_aid_len for the MNO-SD). */
struct eum_scp03_keyset *eum_gp_sd_keysets(struct eum_card *card, const struct eum_channel *ch, size_t *n,
                                           const uint8_t **aid);

/* Non-zero when aid is the instance AID of the ENABLED profile's MNO-SD. */
int eum_gp_mnosd_matches(const struct eum_card *card, const uint8_t *aid, size_t len);

/* ---- ISD-P life-cycle (lifecycle.c): the one transition table ------------ */

#define EUM_ISDP_NONE 0x00 /* pseudo-state: the slot holds no ISD-P */

enum eum_isdp_event {
	EUM_ISDP_EV_CREATE,            /* INSTALL [for install and make selectable] (SGP.02 §7.1) */
	EUM_ISDP_EV_KEYS_ESTABLISHED,  /* ES8 EstablishISDPKeySet done (SGP.02 §8.1) */
	EUM_ISDP_EV_SET_PERSONALIZED,  /* SET STATUS P2 0F (GPCS §11.10) */
	EUM_ISDP_EV_PROFILE_INSTALLED, /* ES8 download completed (SGP.02 §8.2) */
	EUM_ISDP_EV_ENABLE,            /* ES5 EnableProfile, fall-back, roll-back (SGP.02 §7.2, §9) */
	EUM_ISDP_EV_DISABLE,           /* ES5 DisableProfile or enabling another (SGP.02 §7.2-§7.3) */
	EUM_ISDP_EV_DELETE,            /* DELETE (SGP.02 §7.4) */
	EUM_ISDP_EV_SET_LOCKED,        /* SET STATUS with b8 (LOCKED): no transition in SGP.02 (§3.1) */
	EUM_ISDP_EV_NUM
};

/* Apply ev to the ISD-P in slot when the table allows it: EUM_OK, or
 * EUM_ERR_STATE (not allowed from the current state; nothing changed) or
 * EUM_ERR_INVALID_ARG. CREATE fills a free slot with an empty SELECTABLE
 * ISD-P (the caller then sets AID and privileges); DELETE frees the slot,
 * its keys and its profile and forgets channel references to it; entering
 * or leaving ENABLED re-derives card->prof. */
int eum_isdp_transition(struct eum_card *card, int slot, enum eum_isdp_event ev);
/* Same check without any change. */
int eum_isdp_transition_allowed(const struct eum_card *card, int slot, enum eum_isdp_event ev);
const char *eum_isdp_event_name(unsigned ev);
const char *eum_isdp_state_name(unsigned lcs);

/* ---- card resources (GPCS §H.4 extended card resources, GET DATA FF21) ---- */

/* Non-volatile memory the card offers for the persistent state image. */
#define EUM_GP_NVM_CAPACITY (256u * 1024u)
/* RAM budget of one card object; what it holds whatever its state
 * (eum_card_volatile_size) is taken from it. */
#define EUM_GP_VOLATILE_BUDGET (64u * 1024u)

/* Free NVM: capacity - serialised state size - quotas reserved by INSTALL for
 * ISD-Ps that hold no profile yet (0 when exhausted). */
size_t eum_gp_free_nvm(const struct eum_card *card);
size_t eum_gp_free_volatile(const struct eum_card *card);

/* ---- GP command handlers (gp_cmds.c, gp_content.c, gp_keys.c, store_data.c) ---- */

uint16_t eum_gp_get_data(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_gp_get_status(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_gp_install(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_gp_delete(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_gp_set_status(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_gp_put_key(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
/* The ISD-R SCP81 TLS PSK with this KVN (40-4F) and key id (spec digest scp81-https.md §3.4); 0 for
 * either = the first key in use that matches the other. Copies the key into psk (cap bytes; the
 * caller wipes it). EUM_OK, EUM_ERR_NOT_FOUND, EUM_ERR_BUFFER_TOO_SMALL or EUM_ERR_INVALID_ARG. */
int eum_isdr_scp81_psk(const struct eum_card *card, uint8_t kvn, uint8_t kid, uint8_t *psk, size_t cap, size_t *len);
uint16_t eum_gp_store_data(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);

/* GET STATUS answers at most this many data bytes per command (then 6310):
 * room for SCP03 R-ENC padding and R-MAC within a 256-byte response. */
#ifndef EUM_GP_GET_STATUS_MAX
#define EUM_GP_GET_STATUS_MAX 232
#endif
/* SGP.02 §7.7: tag of the ISD-P attribute TLV in GET STATUS (b1 fall-back). UNCONFIRMED. */
#define EUM_GP_TAG_SGP02_ATTRIBUTES 0x53

/* ---- STORE DATA: DGI / BER-TLV handler table (store_data.c) ---------------- */

#define EUM_GP_SD_FORMAT_DGI 1 /* P1 b5-b4 = 01 */
#define EUM_GP_SD_FORMAT_BER 2 /* P1 b5-b4 = 10 */

/* A handler for one DGI (or BER-TLV tag) of an assembled STORE DATA
 * sequence. isdp: the receiving ISD-P slot, or -1 for the ISD-R. val/len:
 * the DGI value. May write response data to r (appended after earlier
 * DGIs'). Returns a status word; validates before changing anything. */
typedef uint16_t (*eum_gp_dgi_fn)(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val,
                                  size_t len, struct eum_rsp *r);
/* The validation half of a handler: every check fn makes, against the state
 * before the command, changing nothing (not even volatile state). Returns 0
 * when fn would accept the unit, else the SW fn would answer. STORE DATA
 * runs the checks of every unit of a list before it applies any (store_data.c). */
typedef uint16_t (*eum_gp_dgi_check_fn)(struct eum_card *card, const struct eum_channel *ch, int isdp,
                                        const uint8_t *val, size_t len);

struct eum_gp_dgi_handler {
	uint8_t format; /* EUM_GP_SD_FORMAT_* */
	uint32_t tag;   /* DGI (2 bytes) or BER tag */
	uint8_t app;    /* EUM_APP_ISDR or EUM_APP_ISDP: the SD the DGI is defined for */
	eum_gp_dgi_fn fn;
	const char *name;
	eum_gp_dgi_check_fn check; /* required, except for a continuation (follows != 0) */
	uint32_t follows;          /* non-zero: a continuation, valid only right after a unit with this tag, which
	                            * consumes it (its fn cannot fail once that unit was applied) */
	uint8_t exclusive;         /* non-zero: changes state that other units of the same value also change
	                            * (e.g. which profile is enabled or the fall-back one): at most one such
	                            * unit per command, so no unit is checked against a state an earlier
	                            * unit of the same command changes */
};

struct eum_gp_dgi_table {
	const struct eum_gp_dgi_handler *rows;
	size_t n;
};

/* The card's DGI table (SGP.02 §5: ES5/ES8 DGIs 3A01-3A08 are added here). */
extern const struct eum_gp_dgi_table eum_gp_dgi_table;

/* STORE DATA (GPCS §11.11) against a given DGI table: block sequence,
 * assembly, then dispatch. eum_gp_store_data() uses eum_gp_dgi_table. */
uint16_t eum_gp_store_data_with(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                struct eum_rsp *r, const struct eum_gp_dgi_table *tbl);

#endif
