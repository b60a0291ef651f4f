/*
 * SGP.02 profile switches on the ISD-R (§7.2 EnableProfile steps 3-8, §7.3 DisableProfile, §9
 * fall-back and roll-back) and the network events that drive them.
 *
 * Ordering (digest §4 [IMPL]): a command that switches profiles only records the switch
 * (phase PENDING, persisted with the command). The switch itself runs in eum_es5_after_apdu(),
 * called by eum_card_transmit() once the terminal APDU that carried the command is complete —
 * for OTA, the ENVELOPE whose response (or SEND SHORT MESSAGE) holds the PoR. It disables the
 * old profile, enables the new one, queues REFRESH 04 (UICC reset) behind the PoR and waits for
 * the attach (phase WAIT_ATTACH). A card reloaded from an image in either phase carries on: a
 * PENDING switch runs after the first APDU, a WAIT_ATTACH one waits for the attach.
 *
 * Attach (location status "normal service" by ENVELOPE, or eum_card_network_event()) counts
 * only after the terminal reset the card since the switch; it raises the notification of the
 * switch (02 Enable, 05 Disable / fall-back, 03 roll-back). Failed attach events (policy
 * rollback_attach_failures) or the host-clock deadline (rollback_timeout_s) roll an Enable or
 * Disable back to the previous profile (03); a failed roll-back falls back to the fall-back
 * profile (05). Outside a switch, lost-connectivity events of a profile other than the
 * fall-back one (fallback_loss_events / fallback_timeout_s) start the fall-back mechanism.
 * Roll-back and fall-back ignore POL1 "disable not allowed" (§3.3, §9).
 *
 * The phases (NONE, PENDING, WAIT_ATTACH) and what each event does in each are ONE declarative
 * table, es5_rows[]: (phase, event, guard) -> (action, next phase), walked by es5_fsm(), like the
 * ISD-P life-cycle table of gp/lifecycle.c. Events come from the end of an APDU, the network
 * (eum_es5_network) and the host clock (timers).
 */
#include <string.h>

#include "cat/cat.h"
#include "sgp02/es5.h"
#include "sgp02/policy.h"
#include "store/store.h"

#define CAT_TYPE_REFRESH 0x01

void eum_es5_policy_defaults(eum_es5_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->smsr_ton_npi = 0x91;
	p->rollback_attach_failures = 3;
	p->rollback_timeout_s = 600;
	p->fallback_loss_events = 3;
	p->fallback_timeout_s = 0;
	p->notify_attempts = 5;
	p->notify_timeout_s = 300;
}

void eum_es5_init(struct eum_card *card, const eum_config *cfg)
{
	memset(card->es5, 0, sizeof(*card->es5));
	card->es5->policy = cfg->es5;
	card->es5->policy.smsr_address = NULL; /* borrowed: used at manufacture only */
}

int eum_es5_manufacture(struct eum_card *card, const eum_config *cfg)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	const char *d = cfg->es5.smsr_address;
	size_t n, i;

	memset(es, 0, sizeof(*es));
	es->sw_target = es->sw_prev = EUM_ES5_NO_SLOT;
	if (!d)
		return EUM_OK;
	n = strlen(d);
	if (n == 0 || n > 2 * EUM_ES5_ADDR_BCD_MAX || !(cfg->es5.smsr_ton_npi & 0x80))
		return EUM_ERR_CONFIG;
	memset(es->smsr_bcd, 0xFF, (n + 1) / 2);
	for (i = 0; i < n; i++) {
		uint8_t v;
		if (d[i] < '0' || d[i] > '9')
			return EUM_ERR_CONFIG;
		v = (uint8_t)(d[i] - '0');
		/* TS 23.040 §9.1.2.3: semi-octets, first digit in the low nibble, F filler */
		es->smsr_bcd[i / 2] =
		        (uint8_t)(i & 1 ? (es->smsr_bcd[i / 2] & 0x0F) | v << 4 : (es->smsr_bcd[i / 2] & 0xF0) | v);
	}
	es->smsr_ndigits = (uint8_t)n;
	es->smsr_ton_npi = cfg->es5.smsr_ton_npi;
	return EUM_OK;
}

static int slot_ok(int slot)
{
	return slot >= 0 && slot < EUM_MAX_ISDP;
}

void eum_es5_request_switch(struct eum_card *card, uint8_t kind, int target)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;

	es->sw_phase = EUM_ES5_SW_PENDING;
	es->sw_kind = kind;
	es->sw_target = (uint8_t)target;
	es->sw_prev = EUM_ES5_NO_SLOT;
	es->sw_failures = 0;
	es->sw_deadline = 0;
	eum_log(card, EUM_LOG_INFO, "ES5: switch to ISD-P slot %d accepted, runs after the response", target);
}

void eum_es5_forget_slot(struct eum_card *card, int slot)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	size_t i;

	if (es->sw_prev == slot)
		es->sw_prev = EUM_ES5_NO_SLOT; /* no roll-back to a deleted profile */
	for (i = 0; i < EUM_ES5_NOTIF_MAX; i++) {
		es->notif[i].followup &= (uint16_t) ~(1u << slot);
		if (es->notif[i].rollback == slot)
			es->notif[i].rollback = EUM_ES5_NO_SLOT;
	}
}

/* Queue the REFRESH of a switch (TS 102 223 §6.6.13, qualifier 04 UICC reset, SGP.02 §7.2 step 5). */
static int queue_refresh(struct eum_card *card)
{
	struct eum_es5_card *v = card->es5;
	int rc;

	if (!v->refresh_owed)
		return 0;
	rc = eum_cat_refresh(card, EUM_CAT_REFRESH_UICC_RESET);
	if (rc == EUM_ERR_STATE)
		return 0; /* queue full: queued after a later APDU */
	v->refresh_owed = 0;
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "ES5: no REFRESH (%s): the new profile is seen after the next reset",
		        eum_strerror(rc));
		return 0;
	}
	v->refresh_number = eum_cat_tail_number(card);
	return 1;
}

/* The switch itself: old ENABLED -> DISABLED, target -> ENABLED, REFRESH; the previous profile
 * becomes the roll-back target (SGP.02 §7.2 step 4). */
static void switch_now(struct eum_card *card, uint8_t kind, int target)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	struct eum_es5_card *v = card->es5;
	int cur = eum_es5_enabled_slot(card);
	uint32_t t = v->policy.rollback_timeout_s;
	size_t i;

	es->sw_phase = EUM_ES5_SW_NONE;
	if (cur == target || card->ps->isdp[target]->lcs != EUM_ISDP_DISABLED) {
		eum_log(card, EUM_LOG_WARN, "ES5: switch to ISD-P slot %d no longer possible", target);
		return;
	}
	if (cur >= 0 && eum_isdp_transition(card, cur, EUM_ISDP_EV_DISABLE) != EUM_OK)
		return;
	if (eum_isdp_transition(card, target, EUM_ISDP_EV_ENABLE) != EUM_OK) {
		if (cur >= 0)
			eum_isdp_transition(card, cur, EUM_ISDP_EV_ENABLE);
		return;
	}
	es->sw_phase = EUM_ES5_SW_WAIT_ATTACH;
	es->sw_kind = kind;
	es->sw_target = (uint8_t)target;
	es->sw_prev = cur >= 0 ? (uint8_t)cur : EUM_ES5_NO_SLOT;
	es->sw_failures = 0;
	es->sw_deadline = t ? eum_card_now(card) + t : 0;
	es->loss_count = 0;
	es->loss_since = 0;
	/* the terminal's selections and PIN states belonged to the old profile's file system */
	for (i = 0; i < EUM_MAX_CHANNELS; i++)
		if (card->ch[i].open && card->ch[i].app == EUM_APP_UICC)
			*card->ch[i].sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
	card->pin_verified = 0;
	v->reset_seen = 0;
	v->attached = 0;
	if (v->refresh_number && eum_cat_cancel(card, v->refresh_number) == EUM_OK)
		v->refresh_number = 0;
	v->refresh_owed = 1;
	eum_log(card, EUM_LOG_INFO, "ES5: profile switch (kind %u): ISD-P slot %d enabled, slot %d disabled", kind,
	        target, cur);
}

/* No attach for a switch: roll back, else fall back, else give up (SGP.02 §7.2 step 8, §9). */
static void switch_failed(struct eum_card *card)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	uint8_t kind = es->sw_kind;
	int prev = es->sw_prev == EUM_ES5_NO_SLOT ? -1 : es->sw_prev;
	int fb = eum_es5_fallback_slot(card);

	es->sw_phase = EUM_ES5_SW_NONE;
	eum_log(card, EUM_LOG_INFO, "ES5: ISD-P slot %u did not attach", es->sw_target);
	if ((kind == EUM_ES5_KIND_ENABLE || kind == EUM_ES5_KIND_DISABLE) && slot_ok(prev) &&
	    card->ps->isdp[prev]->in_use && card->ps->isdp[prev]->lcs == EUM_ISDP_DISABLED) {
		switch_now(card, EUM_ES5_KIND_ROLLBACK, prev);
		return;
	}
	if (kind != EUM_ES5_KIND_FALLBACK && fb >= 0 && card->ps->isdp[fb]->lcs == EUM_ISDP_DISABLED) {
		switch_now(card, EUM_ES5_KIND_FALLBACK, fb);
		return;
	}
	eum_log(card, EUM_LOG_WARN, "ES5: no profile left to try; staying on ISD-P slot %u", es->sw_target);
}

/* POL1 "delete when disabled" of the profile a switch disabled, applied after confirmation (§3.3). */
static uint16_t autodelete(const struct eum_card *card, uint8_t kind, uint8_t disabled)
{
	const struct eum_es5_rule *rule;
	const struct eum_isdp *p;

	if (kind == EUM_ES5_KIND_ENABLE)
		rule = eum_es5_rule(EUM_ES5_CMD_ENABLE);
	else if (kind == EUM_ES5_KIND_DISABLE)
		rule = eum_es5_rule(EUM_ES5_CMD_DISABLE);
	else
		return 0; /* never during roll-back or fall-back (§9) */
	if (rule->autodel == EUM_ES5_AUTODEL_NONE || !slot_ok(disabled))
		return 0;
	p = card->ps->isdp[disabled];
	if (!p->in_use || p->fallback || !(p->pol1 & EUM_POL1_DELETE_WHEN_DISABLED))
		return 0;
	return (uint16_t)(1u << disabled);
}

static uint8_t notif_of(uint8_t kind)
{
	switch (kind) {
	case EUM_ES5_KIND_ENABLE:
		return eum_es5_rule(EUM_ES5_CMD_ENABLE)->notif;
	case EUM_ES5_KIND_DISABLE:
		return eum_es5_rule(EUM_ES5_CMD_DISABLE)->notif;
	case EUM_ES5_KIND_ROLLBACK:
		return EUM_ES5_NOTIF_CHANGE_ROLLBACK;
	default:
		return EUM_ES5_NOTIF_CHANGE_FALLBACK;
	}
}

/* ---- the switch state machine: (phase, event) -> (action, next phase) ---------------------- */

/* Events of the switch state machine: the end of an APDU and what the network and the host clock say. */
enum es5_event {
	EV_RESPONSE_SENT, /* the APDU that carried a switch command is complete (eum_es5_after_apdu) */
	EV_ATTACHED,      /* attach with the enabled profile (SGP.02 §7.2 step 6) */
	EV_FAILURE,       /* attach failed, or connectivity lost */
	EV_DEADLINE,      /* the switch's attach deadline passed (policy rollback_timeout_s) */
	EV_LOSS_TIMEOUT,  /* no connectivity for policy fallback_timeout_s (§9 fall-back mechanism) */
	EV_NUM
};

/* Conditions a row needs besides its phase and event; the first row that matches runs. */
enum es5_guard {
	G_ALWAYS,
	G_TARGET_PRESENT, /* the ISD-P the pending switch names still exists */
	G_BEFORE_RESET,   /* the terminal has not reset the card since the switch (old profile) */
};

#define NEXT_BY_ACTION 0xFF /* the action decides: a switch moves to WAIT_ATTACH, else NONE */

static int guard_ok(const struct eum_card *card, uint8_t guard)
{
	const struct eum_es5_pstate *es = &card->ps->isdr.es5;

	switch (guard) {
	case G_TARGET_PRESENT:
		return slot_ok(es->sw_target) && card->ps->isdp[es->sw_target]->in_use;
	case G_BEFORE_RESET:
		return !card->es5->reset_seen;
	default:
		return 1;
	}
}

/* Actions: each returns 1 when persistent state changed (commit), else 0. */

/* The response of the command that asked for it has left: switch now. */
static int act_switch(struct eum_card *card)
{
	const struct eum_es5_pstate *es = &card->ps->isdr.es5;

	switch_now(card, es->sw_kind, es->sw_target);
	return 1;
}

/* The pending switch names an ISD-P that is gone: forget it. */
static int act_drop(struct eum_card *card)
{
	(void)card;
	return 1;
}

static int act_ignore(struct eum_card *card)
{
	(void)card;
	return 0;
}

static int act_ignore_early_attach(struct eum_card *card)
{
	eum_log(card, EUM_LOG_INFO, "ES5: attach before the reset of the switch ignored (old profile)");
	return 0;
}

/* Network attach (SGP.02 §9 notification 01, once per card). */
static int act_attached(struct eum_card *card)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;

	card->es5->attached = 1;
	es->loss_count = 0;
	es->loss_since = 0;
	if (!es->declared) {
		es->declared = 1;
		eum_es5_notify_raise(card, EUM_ES5_NOTIF_DECLARATION, EUM_ES5_NO_SLOT, 0);
	}
	return 1;
}

/* Attach after the switch's reset: the switch is confirmed; its notification (02, 05, 03) is raised
 * (SGP.02 §7.2 step 6). */
static int act_confirm(struct eum_card *card)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	uint8_t rb = es->sw_kind == EUM_ES5_KIND_ENABLE ? es->sw_prev : EUM_ES5_NO_SLOT;

	act_attached(card);
	eum_es5_notify_raise(card, notif_of(es->sw_kind), rb, autodelete(card, es->sw_kind, es->sw_prev));
	return 1;
}

/* A failed attach of the new profile: after policy rollback_attach_failures of them, roll back. */
static int act_count_failure(struct eum_card *card)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	const struct eum_es5_card *v = card->es5;

	if (es->sw_failures < 0xFF)
		es->sw_failures++;
	if (v->policy.rollback_attach_failures && es->sw_failures >= v->policy.rollback_attach_failures)
		switch_failed(card);
	return 1;
}

/* Connectivity lost outside a switch: count, and start the fall-back mechanism at the policy's limits. */
static int act_loss(struct eum_card *card)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	struct eum_es5_card *v = card->es5;
	uint64_t now = eum_card_now(card);
	int en, fb;

	v->attached = 0;
	en = eum_es5_enabled_slot(card);
	fb = eum_es5_fallback_slot(card);
	if (en < 0 || fb < 0 || en == fb)
		return 0; /* the fall-back profile is on already (or there is none) */
	if (es->loss_count == 0)
		es->loss_since = now;
	if (es->loss_count < 0xFF)
		es->loss_count++;
	if ((v->policy.fallback_loss_events && es->loss_count >= v->policy.fallback_loss_events) ||
	    (v->policy.fallback_timeout_s && now - es->loss_since >= v->policy.fallback_timeout_s)) {
		eum_log(card, EUM_LOG_INFO, "ES5: connectivity lost: fall-back mechanism");
		switch_now(card, EUM_ES5_KIND_FALLBACK, fb);
	}
	return 1;
}

static int act_deadline(struct eum_card *card)
{
	eum_log(card, EUM_LOG_INFO, "ES5: attach deadline passed");
	switch_failed(card);
	return 1;
}

static int act_loss_timeout(struct eum_card *card)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	int fb = eum_es5_fallback_slot(card), en = eum_es5_enabled_slot(card);

	if (fb >= 0 && fb != en) {
		eum_log(card, EUM_LOG_INFO, "ES5: no connectivity for too long: fall-back mechanism");
		switch_now(card, EUM_ES5_KIND_FALLBACK, fb);
	} else {
		es->loss_count = 0;
	}
	return 1;
}

struct es5_row {
	uint8_t phase; /* EUM_ES5_SW_* */
	uint8_t event; /* enum es5_event */
	uint8_t guard; /* enum es5_guard */
	int (*action)(struct eum_card *card);
	uint8_t next; /* EUM_ES5_SW_*, set before the action runs; NEXT_BY_ACTION: the action sets it */
};

/* SGP.02 §7.2 (EnableProfile steps 3-8), §7.3 (DisableProfile), §9 (fall-back, roll-back).
 * A (phase, event) pair without a row is ignored (returns "nothing changed"). */
/* clang-format off */
static const struct es5_row es5_rows[] = {
	/* a switch recorded by its command runs once the response has left */
	{EUM_ES5_SW_PENDING,     EV_RESPONSE_SENT, G_TARGET_PRESENT, act_switch,              NEXT_BY_ACTION},
	{EUM_ES5_SW_PENDING,     EV_RESPONSE_SENT, G_ALWAYS,         act_drop,                EUM_ES5_SW_NONE},
	/* attach */
	{EUM_ES5_SW_NONE,        EV_ATTACHED,      G_ALWAYS,         act_attached,            EUM_ES5_SW_NONE},
	{EUM_ES5_SW_PENDING,     EV_ATTACHED,      G_ALWAYS,         act_attached,            EUM_ES5_SW_PENDING},
	{EUM_ES5_SW_WAIT_ATTACH, EV_ATTACHED,      G_BEFORE_RESET,   act_ignore_early_attach, EUM_ES5_SW_WAIT_ATTACH},
	{EUM_ES5_SW_WAIT_ATTACH, EV_ATTACHED,      G_ALWAYS,         act_confirm,             EUM_ES5_SW_NONE},
	/* attach failed / connectivity lost */
	{EUM_ES5_SW_NONE,        EV_FAILURE,       G_ALWAYS,         act_loss,                NEXT_BY_ACTION},
	{EUM_ES5_SW_PENDING,     EV_FAILURE,       G_ALWAYS,         act_ignore,              EUM_ES5_SW_PENDING},
	{EUM_ES5_SW_WAIT_ATTACH, EV_FAILURE,       G_BEFORE_RESET,   act_ignore,              EUM_ES5_SW_WAIT_ATTACH},
	{EUM_ES5_SW_WAIT_ATTACH, EV_FAILURE,       G_ALWAYS,         act_count_failure,       NEXT_BY_ACTION},
	/* host clock */
	{EUM_ES5_SW_WAIT_ATTACH, EV_DEADLINE,      G_ALWAYS,         act_deadline,            NEXT_BY_ACTION},
	{EUM_ES5_SW_NONE,        EV_LOSS_TIMEOUT,  G_ALWAYS,         act_loss_timeout,        NEXT_BY_ACTION},
};
/* clang-format on */

/* The engine: the first row of the current phase for the event whose guard holds. */
static int es5_fsm(struct eum_card *card, unsigned ev)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	size_t i;

	for (i = 0; i < sizeof(es5_rows) / sizeof(es5_rows[0]); i++) {
		const struct es5_row *row = &es5_rows[i];
		if (row->phase != es->sw_phase || row->event != ev || !guard_ok(card, row->guard))
			continue;
		if (row->next != NEXT_BY_ACTION)
			es->sw_phase = row->next;
		return row->action(card);
	}
	return 0;
}

int eum_es5_network(struct eum_card *card, eum_net_event ev)
{
	switch (ev) {
	case EUM_NET_ATTACHED:
		return es5_fsm(card, EV_ATTACHED);
	case EUM_NET_ATTACH_FAILED:
	case EUM_NET_LOST:
		return es5_fsm(card, EV_FAILURE);
	default:
		return 0;
	}
}

/* Location status event, TS 102 223 §7.5.4: 00 normal service = attached, else not. */
void eum_es5_on_location_status(struct eum_card *card, uint8_t status)
{
	struct eum_es5_pstate before = card->ps->isdr.es5;
	int en = eum_es5_enabled_slot(card);

	if (!eum_es5_network(card, status == 0x00        ? EUM_NET_ATTACHED
	                           : card->es5->attached ? EUM_NET_LOST
	                                                 : EUM_NET_ATTACH_FAILED))
		return;
	/* committed with the ENVELOPE: the ES5 state, or the administrative state after a switch */
	if (eum_es5_enabled_slot(card) != en)
		eum_store_dirty_admin(card);
	else if (memcmp(&before, &card->ps->isdr.es5, sizeof(before)) != 0)
		eum_store_dirty(card, EUM_PS_ES5);
}

void eum_es5_on_reset(struct eum_card *card)
{
	struct eum_es5_card *v = card->es5;

	v->reset_seen = 1;
	v->attached = 0;
	v->refresh_owed = 0; /* the reset is what the REFRESH asked for */
	v->evlist_asked = 0;
	/* what we queued for the terminal is not fetched again by a new session */
	if (v->refresh_number)
		eum_cat_cancel(card, v->refresh_number);
	v->refresh_number = 0;
	if (v->nt_number)
		eum_cat_cancel(card, v->nt_number);
	v->nt_number = 0;
}

/* Host-clock deadlines of the switch and of the fall-back policy: the clock raises the events. */
static int timers(struct eum_card *card)
{
	const struct eum_es5_pstate *es = &card->ps->isdr.es5;
	const struct eum_es5_card *v = card->es5;
	uint64_t now = eum_card_now(card);

	/* an event no row of the current phase takes changes nothing: the next one is tried */
	if (es->sw_deadline && now >= es->sw_deadline && es5_fsm(card, EV_DEADLINE))
		return 1;
	if (es->loss_count && v->policy.fallback_timeout_s && now - es->loss_since >= v->policy.fallback_timeout_s)
		return es5_fsm(card, EV_LOSS_TIMEOUT);
	return 0;
}

/* TERMINAL RESPONSEs to what ES5 queued (TS 102 223 §6.8). */
static int consume_done(struct eum_card *card)
{
	struct eum_es5_card *v = card->es5;
	const struct eum_cat *c = card->cat;
	int changed = 0;

	if (c->done_seq == v->done_seen)
		return 0;
	v->done_seen = c->done_seq;
	if (v->refresh_number && c->done_number == v->refresh_number && c->done_type == CAT_TYPE_REFRESH) {
		v->refresh_number = 0;
		eum_log(card, EUM_LOG_INFO, "ES5: REFRESH answered with result %02X", c->done_result);
	}
	if (v->nt_number && c->done_number == v->nt_number) {
		v->nt_number = 0;
		changed = eum_es5_notify_sent(card, v->nt_seq, c->done_result);
	}
	return changed;
}

/* [IMPL] While the ISD-R waits for an attach (a switch, or a notification to deliver), it asks
 * the terminal for location status events (SET UP EVENT LIST, TS 102 223 §6.6.16). */
static void ask_for_events(struct eum_card *card)
{
	const struct eum_es5_pstate *es = &card->ps->isdr.es5;
	struct eum_es5_card *v = card->es5;
	static const uint8_t loc[] = {EUM_CAT_EVENT_LOCATION_STATUS};
	int waiting;

	if (v->evlist_asked || !card->cat->tp_received || memchr(card->cat->events, loc[0], card->cat->n_events))
		return;
	if (v->refresh_owed || v->refresh_number || (es->sw_phase == EUM_ES5_SW_WAIT_ATTACH && !v->reset_seen))
		return; /* this session ends with the switch's reset; the next one asks */
	waiting = es->sw_phase == EUM_ES5_SW_WAIT_ATTACH ||
	          (es->smsr_ndigits && !v->attached && (!es->declared || es->notif[0].type));
	if (!waiting)
		return;
	v->evlist_asked = 1;
	if (eum_cat_set_up_event_list(card, loc, 1) != EUM_OK)
		eum_log(card, EUM_LOG_DEBUG, "ES5: location status events not available from this terminal");
}

/* Everything that follows an event or an APDU; commits when persistent state changed. */
static int settle(struct eum_card *card, int changed)
{
	struct eum_es5_card *v = card->es5;
	uint8_t refresh_before = v->refresh_number, nt_before = v->nt_number;
	int rc = EUM_OK;

	changed |= consume_done(card);
	changed |= timers(card);
	queue_refresh(card);
	ask_for_events(card);
	changed |= eum_es5_notify_pump(card);
	if (changed) {
		/* a switch or a notification touches ISD-P states and the ES5 state */
		eum_store_dirty_admin(card);
		rc = eum_store_commit(card);
		if (rc != EUM_OK) {
			/* the state went back to the last stored image: what was queued for it goes too */
			if (v->refresh_number && v->refresh_number != refresh_before)
				eum_cat_cancel(card, v->refresh_number);
			if (v->nt_number && v->nt_number != nt_before)
				eum_cat_cancel(card, v->nt_number);
			v->refresh_number = refresh_before;
			v->nt_number = nt_before;
			v->refresh_owed = 0;
		}
	}
	return rc;
}

void eum_es5_after_apdu(struct eum_card *card)
{
	struct eum_es5_card *v = card->es5;

	if (v->busy)
		return;
	v->busy = 1;
	settle(card, es5_fsm(card, EV_RESPONSE_SENT));
	v->busy = 0;
}

int eum_card_network_event(eum_card *card, eum_net_event ev)
{
	int rc;

	if (!card || (unsigned)ev >= EUM_NET_NUM)
		return EUM_ERR_INVALID_ARG;
	if (card->es5->busy)
		return EUM_ERR_STATE;
	card->es5->busy = 1;
	rc = settle(card, eum_es5_network(card, ev));
	card->es5->busy = 0;
	return rc;
}
