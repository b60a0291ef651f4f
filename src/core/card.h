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

/*
 * The engine knows no application's state: every module owns its state behind
 * its own header (src/MODULE/...h) and the card holds it through the opaque
 * pointers below (allocated and freed by card.c through the modules'
 * init/free functions). No header of src/core includes an application folder.
 */
struct eum_fs_sel;        /* src/fs/fs.h: a channel's file selection */
struct eum_scp03_session; /* src/gp/scp03.h: a channel's GP secure channel */
struct eum_gp_chan;       /* src/gp/gp_state.h: a channel's GP command sequences */
struct eum_gp_card;       /* src/gp/gp_state.h: STORE DATA assembly buffer */
struct eum_pstate;        /* src/gp/domains.h: ECASD, ISD-R, ISD-Ps (persistent) */
struct eum_profile;       /* src/profile/profile.h */
struct eum_store;         /* src/store/store.h */
struct eum_cat;           /* src/cat/cat_state.h */
struct eum_ota_state;     /* src/ota/ota_state.h */
struct eum_es5_card;      /* src/sgp02/es5_state.h */
struct eum_es8_state;     /* src/sgp02/es8_state.h */
struct eum_bip;           /* src/cat/bip.c: the card's BIP channel */
struct eum_scp81;         /* src/ota/scp81.c */

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
	/* per-channel module state; storage owned by the card (card->ch[]) or by whoever
	 * builds a virtual channel (OTA scripts, SCP03t), never shared between channels */
	struct eum_fs_sel *sel;          /* file selection */
	struct eum_scp03_session *scp03; /* GlobalPlatform secure channel of this channel */
	struct eum_gp_chan *gp;          /* GP command sequences in progress */
};

struct eum_card;
typedef uint16_t (*eum_cmd_fn)(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                               struct eum_rsp *r);

/* What a command row tells the engine about secure messaging (struct eum_cmd.flags). */
#define EUM_CMD_SM_EXEMPT  0x01 /* card-level: served whatever session the channel has, never unwrapped */
#define EUM_CMD_SC_OPEN    0x02 /* opens the secure channel and carries its own MAC (GP EXTERNAL AUTHENTICATE) */
#define EUM_CMD_SC_RESTART 0x04 /* starts afresh: in clear, it ends the channel's session first (GPCS §10.2.3) */

/* One row of an application's command table (STYLE §5). */
struct eum_cmd {
	uint8_t cla; /* class after removing channel and SM bits: 0x00 or 0x80 */
	uint8_t ins;
	uint8_t cases; /* allowed EUM_CASEx bits */
	eum_cmd_fn fn;
	const char *name; /* for logs */
	uint8_t sec;      /* EUM_SEC_*: what the dispatcher requires before calling fn */
	uint8_t flags;    /* EUM_CMD_* */
};

struct eum_cmd_table {
	const struct eum_cmd *cmds;
	size_t n;
};

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

	/* persistent state, and where it is kept (module state: owned, never NULL
	 * between eum_card_new and eum_card_free) */
	struct eum_pstate *ps;   /* src/gp/domains.h */
	struct eum_store *store; /* src/store/store.h */
	unsigned txn_depth;      /* APDUs being processed (nested: remote scripts); commits wait for depth 0 */
	uint8_t txn_failed;      /* a storage write failed during the APDU at depth 0: it answers 6581 */
	/* the enabled ISD-P's profile (derived from ps by eum_card_sync_enabled);
	 * an empty profile (noprof) when none is enabled */
	struct eum_profile *prof;
	struct eum_profile *noprof;

	/* volatile state of the card session */
	int powered;
	struct eum_channel ch[EUM_MAX_CHANNELS];
	struct eum_cat *cat;       /* SIM toolkit session: terminal profile, proactive queue */
	struct eum_gp_card *gp;    /* STORE DATA assembly buffer */
	struct eum_ota_state *ota; /* SMS-PP download / SCP80 receiver: allocated by the first OTA
	                            * packet (src/ota/ota.c), NULL before */
	size_t sms_reasm_max;      /* eum_config.sms_reassembly_max for the receiver (0 = its default) */
	struct eum_es5_card *es5;  /* ES5 session state and policies (src/sgp02/es5_switch.c) */
	struct eum_es8_state *es8; /* ES8 key establishment and SCP03t download in progress */
	struct eum_bip *bip;       /* BIP channel (src/cat/bip.c): allocated by eum_bip_open(), freed when
	                            * the channel ends, on reset and power-off; NULL without a channel */
	struct eum_scp81 *scp81;   /* SCP81 admin agent: allocated during an HTTPS session, a pending trigger or
	                            * retry (src/ota/scp81.c), NULL otherwise */
	uint32_t pin_verified;     /* bit i = prof.pins.pins[i] verified in this session */
	/* T=0 response data waiting for GET RESPONSE: resp_cap bytes, allocated by the first APDU that
	 * leaves data and grown to the largest such answer (a modem's are tens of bytes; at most
	 * EUM_RESP_MAX), NULL before. The APDU in progress writes its answer on the stack (apdu.c). */
	uint8_t *resp;
	size_t resp_len, resp_off, resp_cap;
	uint16_t resp_sw;                /* status word to give with the last chunk */
	int8_t resp_chan;                /* channel the pending data belongs to; -1 = none */
	void *mods;                      /* card.c: the allocation holding the module state above */
	const struct eum_engine *engine; /* the applications and hooks (src/card/card.c) */
};

/* logging: never pass secrets */
void eum_log(const struct eum_card *card, eum_log_level level, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

int eum_card_random(struct eum_card *card, uint8_t *buf, size_t len);
uint64_t eum_card_now(const struct eum_card *card);

/* the APDU engine (apdu.c) */
uint16_t eum_dispatch(struct eum_card *card, struct eum_channel *ch, const struct eum_cmd_table *tbl,
                      const struct eum_apdu *a, struct eum_rsp *r);

/* A secure channel an application accepts (e.g. GP SCP03, src/gp/gp.c), per logical channel. */
struct eum_sc_ops {
	/* a session whose commands carry a C-MAC is open on the channel */
	int (*active)(const struct eum_channel *ch);
	/* check and remove the command's secure messaging in place (ends the session on failure) */
	uint16_t (*unwrap)(struct eum_channel *ch, uint8_t *apdu, size_t *len);
	/* protect the response (R-MAC/R-ENC) when the last command asked for it; EUM_OK or an eum_err */
	int (*wrap)(struct eum_channel *ch, uint8_t *data, size_t *len, size_t cap, uint16_t sw);
	void (*close)(struct eum_channel *ch);
};

/* An application the engine serves on a channel (its channel.app value indexes the registry). */
struct eum_app_desc {
	const char *name;
	const struct eum_cmd_table *cmds;
	const struct eum_sc_ops *sc; /* the secure channel it accepts; NULL = no secure messaging */
};

/* Events between modules (announced by whoever sees them, handled by subscribers). */
enum eum_event {
	EUM_EV_AFTER_APDU,       /* an APDU's response is complete (eum_card_transmit) */
	EUM_EV_RESET,            /* the terminal reset the card (arg: const int *cold) */
	EUM_EV_POWER_OFF,        /* the card lost power */
	EUM_EV_LOCATION_STATUS,  /* TS 102 223 §7.5.4 location status event (arg: const uint8_t *status) */
	EUM_EV_PROFILE_SWITCHED, /* which ISD-P is enabled may have changed (life cycle, state reloaded) */
	EUM_EV_NUM
};
typedef void (*eum_observer_fn)(struct eum_card *card, enum eum_event ev, const void *arg);
struct eum_observer {
	uint8_t ev; /* enum eum_event */
	eum_observer_fn fn;
};

/*
 * Everything the engine knows of the outside, one static const object set by the card's
 * composition root (src/card/card.c): the registered applications (indexed by enum eum_app),
 * the card-level commands served on the basic channel whatever application is selected there
 * (TS 102 221 / TS 102 223: TERMINAL PROFILE, ENVELOPE, FETCH, TERMINAL RESPONSE), the routing of
 * SELECT by DF name, the proactive queue's length, where an SMS-PP download goes, and the
 * observers in the order they run.
 */
struct eum_engine {
	const struct eum_app_desc *const *apps;
	size_t n_apps;
	const struct eum_cmd_table *card_cmds;
	/* SELECT by DF name of a registered AID: makes it the channel's application and answers;
	 * returns 0 when the AID is not one it knows (the channel's application handles the SELECT) */
	uint16_t (*route_select)(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
	                         struct eum_rsp *r);
	size_t (*proactive_pending)(const struct eum_card *card);
	/* the transaction of one terminal APDU (eum_process_apdu at depth 0): begin keeps what the
	 * APDU's outputs would replace (the proactive queue); commit stores what changed (EUM_OK or
	 * the APDU answers 6581); abort drops the APDU's outputs after a failed commit */
	void (*txn_begin)(struct eum_card *card);
	int (*txn_commit)(struct eum_card *card);
	void (*txn_abort)(struct eum_card *card);
	/* keep / restore the file selection of a channel (a case 2 answered 6Cxx leaves no trace) */
	void (*sel_save)(struct eum_card *card, unsigned chan);
	void (*sel_restore)(struct eum_card *card, unsigned chan);
	/* ENVELOPE (SMS-PP download), 3GPP TS 31.111 §7.1.1: the receiver of secured packets (OTA) */
	uint16_t (*sms_pp_download)(struct eum_card *card, const uint8_t *data, size_t len, struct eum_rsp *r);
	const struct eum_observer *observers;
	size_t n_observers;
};

/* Tell every subscriber of ev, in registration order (no allocation). */
void eum_notify(struct eum_card *card, enum eum_event ev, const void *arg);

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
/* Open logical channel n (closed) from channel from (open): it inherits the
 * selection of from, or the MF and the UICC application when from is the
 * basic channel (TS 102 221 §11.1.17.2), and nothing else (no secure channel).
 * The state of a channel other than the basic one is allocated on its first
 * opening: EUM_OK or EUM_ERR_NO_MEMORY (the channel stays closed). */
int eum_card_open_channel(struct eum_card *card, unsigned n, unsigned from);
/* Bytes of volatile memory a card object holds (GET DATA FF21). */
size_t eum_card_volatile_size(const struct eum_card *card);

#endif
