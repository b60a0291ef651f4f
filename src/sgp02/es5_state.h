/*
 * State of SGP.02 ES5 on the ISD-R (SGP.02 §7.2-§7.10, §9, digest §10): what survives a reset
 * (struct eum_es5_pstate, part of the ISD-R record in the state image) and what lives only for
 * the card session (struct eum_es5_card). Plain data, no pointers; all-zero is the state of a
 * freshly manufactured card before its first attach.
 */
#ifndef EUM_SGP02_ES5_STATE_H
#define EUM_SGP02_ES5_STATE_H

#include <stdint.h>

#include "eum/eum.h"

/* Pending notifications kept by the ISD-R (SGP.02 §7.8); the oldest is the one in flight. */
#define EUM_ES5_NOTIF_MAX 4
/* TS 23.040 §9.1.2.5: at most 20 address digits = 10 octets of semi-octets. */
#define EUM_ES5_ADDR_BCD_MAX 10
/* ISD-R default HTTPS administration session parameters kept from 3A07 A3 { 83 } (value of 83) */
#define EUM_ES5_HTTPS_MAX 255
/* "no ISD-P slot" in slot-valued fields */
#define EUM_ES5_NO_SLOT 0xFF

/* Notification types, SGP.02 §7.8 (njiwa NotificationMessage.Type). */
#define EUM_ES5_NOTIF_DECLARATION     0x01 /* first network attachment after manufacture */
#define EUM_ES5_NOTIF_CHANGE_OK       0x02 /* profile change succeeded */
#define EUM_ES5_NOTIF_CHANGE_ROLLBACK 0x03 /* profile change failed and roll-back performed */
#define EUM_ES5_NOTIF_CHANGE_FALLBACK 0x05 /* profile change after fall-back (or after Disable) */

/* Where a notification is in its delivery (SGP.02 §7.8 "Delivery"). */
#define EUM_ES5_NT_SEND         1 /* to be sent by SEND SHORT MESSAGE (first time or again) */
#define EUM_ES5_NT_WAIT_CONFIRM 2 /* the terminal sent it (TERMINAL RESPONSE 0x): waiting for 3A08 */

/* Profile switch in progress (SGP.02 §7.2-§7.3, §9). */
#define EUM_ES5_SW_NONE        0
#define EUM_ES5_SW_PENDING     1 /* command accepted: the switch runs once its response has left */
#define EUM_ES5_SW_WAIT_ATTACH 2 /* switched, REFRESH queued: waiting for the new profile to attach */

/* Why a switch happens; decides the notification and what a failure leads to. */
#define EUM_ES5_KIND_ENABLE   1 /* ES5 EnableProfile: success 02, failure -> roll-back */
#define EUM_ES5_KIND_DISABLE  2 /* ES5 DisableProfile (to the fall-back profile): success 05, failure -> roll-back */
#define EUM_ES5_KIND_ROLLBACK 3 /* back to the previous profile: success 03, failure -> fall-back */
#define EUM_ES5_KIND_FALLBACK 4 /* fall-back mechanism: success 05, failure -> nothing left to try */

struct eum_es5_notif {
	uint8_t type;    /* EUM_ES5_NOTIF_*; 0 = free entry */
	uint8_t state;   /* EUM_ES5_NT_* */
	uint16_t seq;    /* sequence number (tag 4E), echoed by the confirmation */
	uint8_t aid_len; /* ISD-P enabled when it was raised (tag 2F) */
	uint8_t aid[16];
	uint8_t sends;     /* SEND SHORT MESSAGE attempts so far */
	uint8_t rollback;  /* type 02: slot to roll back to when delivery fails (SGP.02 §7.2 step 8) */
	uint16_t followup; /* bit i: ISD-P slot i to delete on confirmation (POL1 "delete when disabled") */
	uint64_t deadline; /* host clock: WAIT_CONFIRM ends (resend or give up) at this time */
};

/* Persistent ES5 state of the ISD-R (digest §10). */
struct eum_es5_pstate {
	/* SM-SR addressing parameters (SGP.02 §7.10): the SMS destination of notifications as a
	 * TS 23.040 §9.1.2.5 address; ndigits 0 = none known yet */
	uint8_t smsr_ndigits;
	uint8_t smsr_ton_npi;
	uint8_t smsr_bcd[EUM_ES5_ADDR_BCD_MAX];
	/* default administration session parameters of the HTTPS transport (GP Amd B Table 3-3 tag 83
	 * value, spec digest scp81-https.md §1.4, §5.4), as the SM-SR gave them; https_len 0 = none */
	uint8_t https_len;
	uint8_t https[EUM_ES5_HTTPS_MAX];
	uint16_t seq;     /* last notification sequence number used (the first one is 0001) */
	uint8_t declared; /* notification 01 raised (it is sent once in the card's life) */
	/* profile switch in progress */
	uint8_t sw_phase;     /* EUM_ES5_SW_* */
	uint8_t sw_kind;      /* EUM_ES5_KIND_* */
	uint8_t sw_target;    /* slot being enabled */
	uint8_t sw_prev;      /* roll-back target: the slot enabled before, EUM_ES5_NO_SLOT = none */
	uint8_t sw_failures;  /* failed attach events since the switch */
	uint64_t sw_deadline; /* host clock: no attach by then counts as failure (0 = no limit) */
	/* connectivity of the enabled profile, for the fall-back mechanism (SGP.02 §9) */
	uint8_t loss_count;  /* lost-network events since the last attach */
	uint64_t loss_since; /* host clock of the first of them (valid when loss_count > 0) */
	struct eum_es5_notif notif[EUM_ES5_NOTIF_MAX];
};

/* Session (volatile) ES5 state, part of struct eum_card. */
struct eum_es5_card {
	eum_es5_policy policy;  /* copied from eum_config at creation */
	uint8_t attached;       /* the terminal reported normal service in this session */
	uint8_t reset_seen;     /* the terminal reset the card since the last switch */
	uint8_t refresh_owed;   /* a REFRESH for the last switch still has to be queued */
	uint8_t refresh_number; /* command number of our queued REFRESH, 0 = none */
	uint8_t nt_number;      /* command number of the SEND SHORT MESSAGE of a notification, 0 = none */
	uint16_t nt_seq;        /* which notification that SEND SHORT MESSAGE carries */
	uint8_t done_seen;      /* card->cat->done_seq already looked at */
	uint8_t evlist_asked;   /* SET UP EVENT LIST (location status) tried in this session */
	uint8_t has_imei;
	uint8_t imei[8]; /* TS 102 223 §8.20 IMEI given by the host (tag 14 of notifications) */
	uint8_t busy;    /* re-entrancy guard of the ES5 engine */
};

#endif
