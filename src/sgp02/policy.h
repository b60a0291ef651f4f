/*
 * SGP.02 §3.2-§3.3, §7.2-§7.6: the card-side rules of the ES5 profile commands (which ISD-P
 * states allow a command, which POL1 rules and fall-back constraints refuse it) as ONE table,
 * src/sgp02/policy.c. The POL1 bit map is UNCONFIRMED (spec digest §3.3): the constants below
 * are the only place that knows it.
 */
#ifndef EUM_SGP02_POLICY_H
#define EUM_SGP02_POLICY_H

#include <stdint.h>

#include "core/card.h"
#include "gp/gp.h"

/* POL1 bit map (SGP.02 §3.3, UNCONFIRMED coding: b1, b2, b3 of the profile header's POL1 byte). */
#define EUM_POL1_DISABLE_NOT_ALLOWED  0x01 /* "Disabling of this Profile not allowed" */
#define EUM_POL1_DELETE_NOT_ALLOWED   0x02 /* "Deletion of this Profile not allowed" */
#define EUM_POL1_DELETE_WHEN_DISABLED 0x04 /* "Profile deletion is mandatory when its state is changed to Disabled" */

/* The ES5 commands the table governs. */
enum eum_es5_cmd {
	EUM_ES5_CMD_ENABLE,        /* STORE DATA 3A03 EnableProfile (§7.2) */
	EUM_ES5_CMD_DISABLE,       /* STORE DATA 3A04 DisableProfile (§7.3) */
	EUM_ES5_CMD_SET_FALLBACK,  /* STORE DATA 3A05 SetFallbackAttribute (§7.6) */
	EUM_ES5_CMD_DELETE,        /* DELETE 4F DeleteProfile (§7.4) */
	EUM_ES5_CMD_MASTER_DELETE, /* DELETE 4F + B6 + 9E MasterDelete (§7.5) */
	EUM_ES5_CMD_NUM
};

/* Target ISD-P states, as bits of eum_es5_rule.states. */
#define EUM_ES5_ST_SELECTABLE   0x01
#define EUM_ES5_ST_PERSONALIZED 0x02
#define EUM_ES5_ST_DISABLED     0x04
#define EUM_ES5_ST_ENABLED      0x08

/* Whose POL1 "delete when disabled" is applied once the switch's notification is confirmed. */
#define EUM_ES5_AUTODEL_NONE     0
#define EUM_ES5_AUTODEL_PREVIOUS 1 /* the profile that was enabled before (Enable) */
#define EUM_ES5_AUTODEL_TARGET   2 /* the target itself (Disable) */

struct eum_es5_rule {
	uint8_t cmd; /* enum eum_es5_cmd */
	const char *name;
	uint8_t states;       /* EUM_ES5_ST_* the target may be in; otherwise 6985 */
	uint8_t not_fallback; /* 1: a target with the fall-back attribute is refused (6985) */
	uint8_t idle_only;    /* 1: refused (6985) while a profile switch is in progress */
	uint8_t pol1_target;  /* POL1 bits of the target that refuse the command (69E1) */
	uint8_t pol1_enabled; /* POL1 bits of the ENABLED profile that refuse the command (69E1) */
	uint8_t token;        /* 1: a delete token verified with the ISD-P's token key (6985 no key, 6A80 bad) */
	uint8_t profile;      /* 1: the target must hold a profile (6985): never a fall-back or enabled empty ISD-P */
	uint8_t switches;     /* 1: a profile switch follows the response (REFRESH, notification) */
	uint8_t notif;        /* notification type once the switched-to profile attached; 0 = none */
	uint8_t autodel;      /* EUM_ES5_AUTODEL_*: POL1 "delete when disabled" after the confirmation */
};

/* The row of a command (never NULL for a valid cmd). */
const struct eum_es5_rule *eum_es5_rule(enum eum_es5_cmd cmd);

/*
 * Check cmd against the table for the ISD-P in slot (which must exist): 0 when allowed, else the
 * SW (6985 state / fall-back / switch in progress, 69E1 POL1). The order of the checks decides
 * the SW when several rules refuse: switch in progress, state, fall-back, POL1. The token is
 * the caller's (es5_isdr.c), after these checks. Never changes anything.
 */
uint16_t eum_es5_check(const struct eum_card *card, enum eum_es5_cmd cmd, int slot);

/* Slot of the ENABLED ISD-P / of the one with the fall-back attribute, or -1. */
int eum_es5_enabled_slot(const struct eum_card *card);
int eum_es5_fallback_slot(const struct eum_card *card);

#endif
