/*
 * Life-cycle of ISD-Ps (SGP.02 §3.1 / v3 Table 1, GP Card Specification
 * v2.3 §5.3.2 security domain life cycle) as ONE declarative table: which
 * event may move an ISD-P from which state to which. Every command that
 * creates, personalises, enables, disables or deletes an ISD-P goes through
 * eum_isdp_transition(); nothing else writes isdp[]->lcs or in_use.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "gp/gp.h"
#include "store/store.h"

/* A rule that is not a state: DELETE must not remove the fall-back profile (SGP.02 §3.2, §7.4). */
#define GUARD_NONE         0
#define GUARD_NOT_FALLBACK 1

struct transition {
	uint8_t event; /* enum eum_isdp_event */
	uint8_t from;  /* EUM_ISDP_* or EUM_ISDP_NONE (slot free) */
	uint8_t to;
	uint8_t guard;
};

/* clang-format off */
static const struct transition transitions[] = {
	/* ES5 CreateISDP = INSTALL [for install and make selectable] (SGP.02 §7.1; INSTALLED 03 is skipped) */
	{EUM_ISDP_EV_CREATE,            EUM_ISDP_NONE,         EUM_ISDP_SELECTABLE,   GUARD_NONE},
	/* ES8 EstablishISDPKeySet (SGP.02 §8.1) */
	{EUM_ISDP_EV_KEYS_ESTABLISHED,  EUM_ISDP_SELECTABLE,   EUM_ISDP_PERSONALIZED, GUARD_NONE},
	/* GP SET STATUS to PERSONALIZED by the ISD-R (Authorized Management, GPCS §11.10) */
	{EUM_ISDP_EV_SET_PERSONALIZED,  EUM_ISDP_SELECTABLE,   EUM_ISDP_PERSONALIZED, GUARD_NONE},
	/* end of a successful ES8 profile download (SGP.02 §8.2) */
	{EUM_ISDP_EV_PROFILE_INSTALLED, EUM_ISDP_PERSONALIZED, EUM_ISDP_DISABLED,     GUARD_NONE},
	/* ES5 EnableProfile, fall-back, roll-back (SGP.02 §7.2, §9) */
	{EUM_ISDP_EV_ENABLE,            EUM_ISDP_DISABLED,     EUM_ISDP_ENABLED,      GUARD_NONE},
	/* ES5 DisableProfile, implicit disable by enabling another (SGP.02 §7.2, §7.3) */
	{EUM_ISDP_EV_DISABLE,           EUM_ISDP_ENABLED,      EUM_ISDP_DISABLED,     GUARD_NONE},
	/* ES5 DeleteProfile = GP DELETE: never the ENABLED one nor the fall-back (SGP.02 §7.4) */
	{EUM_ISDP_EV_DELETE,            EUM_ISDP_SELECTABLE,   EUM_ISDP_NONE,         GUARD_NOT_FALLBACK},
	{EUM_ISDP_EV_DELETE,            EUM_ISDP_PERSONALIZED, EUM_ISDP_NONE,         GUARD_NOT_FALLBACK},
	{EUM_ISDP_EV_DELETE,            EUM_ISDP_DISABLED,     EUM_ISDP_NONE,         GUARD_NOT_FALLBACK},
	/* SET STATUS to SELECTABLE or LOCKED has no row: GP forbids going back, SGP.02 has no LOCKED (§3.1) */
};
/* clang-format on */

static const char *const event_names[EUM_ISDP_EV_NUM] = {
        [EUM_ISDP_EV_CREATE] = "create",
        [EUM_ISDP_EV_KEYS_ESTABLISHED] = "keys established",
        [EUM_ISDP_EV_SET_PERSONALIZED] = "SET STATUS personalized",
        [EUM_ISDP_EV_PROFILE_INSTALLED] = "profile installed",
        [EUM_ISDP_EV_ENABLE] = "enable",
        [EUM_ISDP_EV_DISABLE] = "disable",
        [EUM_ISDP_EV_DELETE] = "delete",
        [EUM_ISDP_EV_SET_LOCKED] = "SET STATUS locked",
};

const char *eum_isdp_event_name(unsigned ev)
{
	return ev < EUM_ISDP_EV_NUM && event_names[ev] ? event_names[ev] : "?";
}

const char *eum_isdp_state_name(unsigned lcs)
{
	switch (lcs) {
	case EUM_ISDP_NONE:
		return "none";
	case EUM_ISDP_SELECTABLE:
		return "SELECTABLE";
	case EUM_ISDP_PERSONALIZED:
		return "PERSONALIZED";
	case EUM_ISDP_DISABLED:
		return "DISABLED";
	case EUM_ISDP_ENABLED:
		return "ENABLED";
	default:
		return "?";
	}
}

static const struct transition *find(const struct eum_card *card, int slot, unsigned ev)
{
	const struct eum_isdp *p = card->ps->isdp[slot];
	uint8_t from = p->in_use ? p->lcs : EUM_ISDP_NONE;
	size_t i;

	for (i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++) {
		const struct transition *t = &transitions[i];
		if (t->event != ev || t->from != from)
			continue;
		if (t->guard == GUARD_NOT_FALLBACK && p->fallback)
			return NULL;
		return t;
	}
	return NULL;
}

int eum_isdp_transition_allowed(const struct eum_card *card, int slot, enum eum_isdp_event ev)
{
	if (!card || slot < 0 || slot >= EUM_MAX_ISDP || (unsigned)ev >= EUM_ISDP_EV_NUM)
		return EUM_ERR_INVALID_ARG;
	return find(card, slot, ev) ? EUM_OK : EUM_ERR_STATE;
}

/* Forget every volatile reference to a slot that is being released. */
static void forget_slot(struct eum_card *card, int slot)
{
	size_t i;

	for (i = 0; i < EUM_MAX_CHANNELS; i++) {
		struct eum_channel *ch = &card->ch[i];
		if (ch->gp->perso_active && ch->gp->perso_isdp == slot)
			ch->gp->perso_active = 0;
		if (ch->app == EUM_APP_ISDP && ch->isdp == slot) {
			eum_scp03_session_close(ch->scp03);
			memset(ch->gp, 0, sizeof(*ch->gp));
			ch->app = EUM_APP_UICC;
			*ch->sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
		}
	}
}

/* The enabled profile changes: channels on its MNO-SD lose their application
 * (a disabled profile's SD is not reachable, SGP.02 §3.1). */
static void forget_mnosd(struct eum_card *card)
{
	size_t i;

	for (i = 0; i < EUM_MAX_CHANNELS; i++) {
		struct eum_channel *ch = &card->ch[i];
		if (ch->app == EUM_APP_MNOSD) {
			eum_scp03_session_close(ch->scp03);
			memset(ch->gp, 0, sizeof(*ch->gp));
			ch->app = EUM_APP_UICC;
			*ch->sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
		}
	}
}

int eum_isdp_transition(struct eum_card *card, int slot, enum eum_isdp_event ev)
{
	const struct transition *t;
	struct eum_isdp *p;
	uint8_t from;

	if (!card || slot < 0 || slot >= EUM_MAX_ISDP || (unsigned)ev >= EUM_ISDP_EV_NUM)
		return EUM_ERR_INVALID_ARG;
	p = card->ps->isdp[slot];
	from = p->in_use ? p->lcs : EUM_ISDP_NONE;
	t = find(card, slot, ev);
	if (!t) {
		eum_log(card, EUM_LOG_INFO, "ISD-P slot %d: %s refused in state %s", slot, eum_isdp_event_name(ev),
		        eum_isdp_state_name(from));
		return EUM_ERR_STATE;
	}
	if (from == EUM_ISDP_NONE && !(p = eum_pstate_slot(card->ps, (size_t)slot)))
		return EUM_ERR_NO_MEMORY; /* a slot never used is made on creation (gp/domains.h) */
	if (t->to == EUM_ISDP_NONE) {
		/* deletion: the ISD-P, its keys and its whole profile go (SGP.02 §7.4 step 2) */
		forget_slot(card, slot);
		eum_fs_free(&p->prof.fs);
		eum_wipe(p, sizeof(*p));
	} else {
		if (from == EUM_ISDP_NONE) {
			/* a fresh container: no keys, no profile, no attributes (SGP.02 §7.1 step 2) */
			eum_fs_free(&p->prof.fs);
			memset(p, 0, sizeof(*p));
			eum_fs_init(&p->prof.fs);
			p->in_use = 1;
		}
		p->lcs = t->to;
	}
	/* created, deleted or filled: the whole slot; else its header (the state) */
	if (from == EUM_ISDP_NONE || t->to == EUM_ISDP_NONE || ev == EUM_ISDP_EV_PROFILE_INSTALLED)
		eum_store_dirty_slot(card, (unsigned)slot);
	else
		eum_store_dirty_isdp(card, (unsigned)slot, EUM_PS_ISDP);
	if (from == EUM_ISDP_ENABLED || t->to == EUM_ISDP_ENABLED) {
		forget_mnosd(card);
		eum_notify(card, EUM_EV_PROFILE_SWITCHED, NULL);
	}
	eum_log(card, EUM_LOG_INFO, "ISD-P slot %d: %s, %s -> %s", slot, eum_isdp_event_name(ev),
	        eum_isdp_state_name(from), eum_isdp_state_name(t->to));
	return EUM_OK;
}
