/*
 * SGP.02 §3.2 (fall-back attribute), §3.3 (POL1), §7.2-§7.6 (ES5 profile commands): the rules
 * the ISD-R enforces at the moment a command executes, as ONE declarative table.
 *
 * How to read the table (one row per ES5 command):
 *   states        the life-cycle states of the TARGET ISD-P in which the command is allowed;
 *                 any other state answers 6985 (conditions of use not satisfied). An unknown
 *                 AID answers 6A88 before the table is consulted.
 *   not_fallback  the target must not carry the fall-back attribute (6985): the fall-back
 *                 profile can be neither disabled by the SM-SR nor deleted nor master-deleted.
 *   idle_only     refused (6985) while a profile switch is still in progress (one at a time).
 *   pol1_target   POL1 rules OF THE TARGET that refuse the command (69E1).
 *   pol1_enabled  POL1 rules OF THE CURRENTLY ENABLED PROFILE that refuse it (69E1): a profile
 *                 that may not be disabled can neither be switched away from nor lose the
 *                 fall-back role to another profile (§3.3).
 *   token         a delete token (B6 + 9E) verified with the target's token key: 6985 when the
 *                 ISD-P has no token key, 6A80 when the token does not verify or is malformed
 *                 (GP DELETE status words, GPCS Table 11-23).
 *   profile       the target must hold a profile (6985): no ES5 command may leave the card with an
 *                 enabled or fall-back ISD-P it cannot run (the image loader refuses such a state).
 *   switches      the command leads to a profile switch: its response leaves first, then the
 *                 switch, REFRESH (04), and the notification `notif` once the new profile has
 *                 attached (src/sgp02/es5_switch.c).
 *   autodel       whose POL1 "delete when disabled" the ISD-R applies after the SM-SR confirmed
 *                 that notification (§7.9): the previously enabled profile (Enable) or the
 *                 target (Disable). Never during roll-back or fall-back (§9).
 * Checks run in the order: switch in progress, state, fall-back, profile, POL1 (enabled profile, then
 * target), token; the first refusal gives the SW.
 *
 * Not in the table because they are not rules of a command: exactly one profile is enabled
 * (the switch disables the old one in the same step), exactly one carries the fall-back
 * attribute (SetFallbackAttribute moves it), and the autonomous fall-back / roll-back ignore
 * POL1 "disable not allowed" (§3.3, §9).
 *
 * The POL1 bit map itself (policy.h) is UNCONFIRMED (spec digest §3.3).
 */
#include "sgp02/policy.h"

#include "core/sw.h"

#define ST_SEL  EUM_ES5_ST_SELECTABLE
#define ST_PER  EUM_ES5_ST_PERSONALIZED
#define ST_DIS  EUM_ES5_ST_DISABLED
#define ST_ENA  EUM_ES5_ST_ENABLED
#define P_NODIS EUM_POL1_DISABLE_NOT_ALLOWED
#define P_NODEL EUM_POL1_DELETE_NOT_ALLOWED

/* clang-format off */
static const struct eum_es5_rule rules[EUM_ES5_CMD_NUM] = {
	/* cmd                        name                    states                  not_fb idle pol1_target pol1_enabled token profile switch notif autodel */
	{EUM_ES5_CMD_ENABLE,        "EnableProfile",        ST_DIS,                 0,     1,   0,          P_NODIS,     0,    1,      1,     0x02, EUM_ES5_AUTODEL_PREVIOUS},
	{EUM_ES5_CMD_DISABLE,       "DisableProfile",       ST_ENA,                 1,     1,   P_NODIS,    0,           0,    0,      1,     0x05, EUM_ES5_AUTODEL_TARGET},
	{EUM_ES5_CMD_SET_FALLBACK,  "SetFallbackAttribute", ST_DIS | ST_ENA,        0,     0,   0,          P_NODIS,     0,    1,      0,     0x00, EUM_ES5_AUTODEL_NONE},
	{EUM_ES5_CMD_DELETE,        "DeleteProfile",        ST_SEL | ST_PER | ST_DIS, 1,   0,   P_NODEL,    0,           0,    0,      0,     0x00, EUM_ES5_AUTODEL_NONE},
	{EUM_ES5_CMD_MASTER_DELETE, "MasterDelete",         ST_SEL | ST_PER | ST_DIS, 1,   0,   0,          0,           1,    0,      0,     0x00, EUM_ES5_AUTODEL_NONE},
};
/* clang-format on */

const struct eum_es5_rule *eum_es5_rule(enum eum_es5_cmd cmd)
{
	return (unsigned)cmd < EUM_ES5_CMD_NUM ? &rules[cmd] : &rules[0];
}

static uint8_t state_bit(uint8_t lcs)
{
	switch (lcs) {
	case EUM_ISDP_SELECTABLE:
		return ST_SEL;
	case EUM_ISDP_PERSONALIZED:
		return ST_PER;
	case EUM_ISDP_DISABLED:
		return ST_DIS;
	case EUM_ISDP_ENABLED:
		return ST_ENA;
	default:
		return 0;
	}
}

int eum_es5_enabled_slot(const struct eum_card *card)
{
	int i;

	for (i = 0; i < EUM_MAX_ISDP; i++)
		if (card->ps->isdp[i]->in_use && card->ps->isdp[i]->lcs == EUM_ISDP_ENABLED)
			return i;
	return -1;
}

int eum_es5_fallback_slot(const struct eum_card *card)
{
	int i;

	for (i = 0; i < EUM_MAX_ISDP; i++)
		if (card->ps->isdp[i]->in_use && card->ps->isdp[i]->fallback)
			return i;
	return -1;
}

/* SGP.02 §7.2-§7.6: the table's verdict for one command on one ISD-P */
uint16_t eum_es5_check(const struct eum_card *card, enum eum_es5_cmd cmd, int slot)
{
	const struct eum_es5_rule *rule = eum_es5_rule(cmd);
	const struct eum_isdp *p = card->ps->isdp[slot];
	int en = eum_es5_enabled_slot(card);

	if (rule->idle_only && card->ps->isdr.es5.sw_phase != EUM_ES5_SW_NONE)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	if (!(state_bit(p->lcs) & rule->states))
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	if (rule->not_fallback && p->fallback)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	if (rule->profile && !p->has_profile)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	if (en >= 0 && (card->ps->isdp[en]->pol1 & rule->pol1_enabled))
		return EUM_SW_POLICY_NOT_SATISFIED;
	if (p->pol1 & rule->pol1_target)
		return EUM_SW_POLICY_NOT_SATISFIED;
	return 0;
}
