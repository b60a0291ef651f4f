/*
 * ISD-P life-cycle transition table (src/gp/lifecycle.c, SGP.02 §3.1): every
 * event from every state, against an expected matrix written from the spec
 * digest; the fall-back guard on DELETE; side effects (slot freed, profile
 * memory released, enabled profile re-derived, channel references dropped).
 */
#include "gp_test.h"

#define X 0xFF /* refused */

static const uint8_t states[] = {EUM_ISDP_NONE, EUM_ISDP_SELECTABLE, EUM_ISDP_PERSONALIZED, EUM_ISDP_DISABLED,
                                 EUM_ISDP_ENABLED};

/* expected[event][state index] = resulting state, X = refused (SGP.02 §3.1 diagram, GPCS §5.3.2) */
static const uint8_t expected[EUM_ISDP_EV_NUM][5] = {
        /*                             none  07    0F    1F    3F */
        [EUM_ISDP_EV_CREATE] = {0x07, X, X, X, X},           [EUM_ISDP_EV_KEYS_ESTABLISHED] = {X, 0x0F, X, X, X},
        [EUM_ISDP_EV_SET_PERSONALIZED] = {X, 0x0F, X, X, X}, [EUM_ISDP_EV_PROFILE_INSTALLED] = {X, X, 0x1F, X, X},
        [EUM_ISDP_EV_ENABLE] = {X, X, X, 0x3F, X},           [EUM_ISDP_EV_DISABLE] = {X, X, X, X, 0x1F},
        [EUM_ISDP_EV_DELETE] = {X, 0x00, 0x00, 0x00, X},     [EUM_ISDP_EV_SET_LOCKED] = {X, X, X, X, X},
};

/* Put slot 5 into a state directly (the bootstrap ISD-P 0 is disabled out of the way). */
static void force(eum_card *card, uint8_t lcs)
{
	struct eum_isdp *p = eum_pstate_slot(card->ps, 5);

	card->ps->isdp[0]->lcs = EUM_ISDP_DISABLED;
	eum_fs_free(&p->prof.fs);
	memset(p, 0, sizeof(*p));
	if (lcs == EUM_ISDP_NONE) {
		eum_card_sync_enabled(card);
		return;
	}
	p->in_use = 1;
	p->aid_len = 16;
	eum_isdp_aid_for_tar((const uint8_t[3]){0x00, 0x00, 0x55}, p->aid);
	p->lcs = lcs;
	p->has_profile = lcs == EUM_ISDP_DISABLED || lcs == EUM_ISDP_ENABLED;
	eum_card_sync_enabled(card);
}

static void test_matrix(void **state)
{
	unsigned ev, s;

	(void)state;
	for (ev = 0; ev < EUM_ISDP_EV_NUM; ev++) {
		for (s = 0; s < sizeof(states); s++) {
			eum_card *card = gpt_card();
			struct eum_isdp *p = eum_pstate_slot(card->ps, 5);
			int rc;

			force(card, states[s]);
			print_message("%s from %s\n", eum_isdp_event_name(ev), eum_isdp_state_name(states[s]));
			rc = eum_isdp_transition_allowed(card, 5, (enum eum_isdp_event)ev);
			assert_int_equal(rc, expected[ev][s] == X ? EUM_ERR_STATE : EUM_OK);
			rc = eum_isdp_transition(card, 5, (enum eum_isdp_event)ev);
			if (expected[ev][s] == X) {
				assert_int_equal(rc, EUM_ERR_STATE);
				assert_int_equal(p->in_use ? p->lcs : EUM_ISDP_NONE, states[s]);
			} else {
				assert_int_equal(rc, EUM_OK);
				assert_int_equal(p->in_use ? p->lcs : EUM_ISDP_NONE, expected[ev][s]);
			}
			/* card->prof follows the enabled ISD-P */
			if (p->in_use && p->lcs == EUM_ISDP_ENABLED)
				assert_ptr_equal(card->prof, &p->prof);
			else
				assert_ptr_not_equal(card->prof, &p->prof);
			eum_card_free(card);
		}
	}
}

/* DELETE refuses the fall-back ISD-P in every state the table would otherwise allow. */
static void test_fallback_guard(void **state)
{
	static const uint8_t deletable[] = {EUM_ISDP_SELECTABLE, EUM_ISDP_PERSONALIZED, EUM_ISDP_DISABLED};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(deletable); i++) {
		eum_card *card = gpt_card();
		force(card, deletable[i]);
		card->ps->isdp[0]->fallback = 0;
		card->ps->isdp[5]->fallback = 1;
		assert_int_equal(eum_isdp_transition(card, 5, EUM_ISDP_EV_DELETE), EUM_ERR_STATE);
		assert_true(card->ps->isdp[5]->in_use);
		card->ps->isdp[5]->fallback = 0;
		assert_int_equal(eum_isdp_transition(card, 5, EUM_ISDP_EV_DELETE), EUM_OK);
		assert_false(card->ps->isdp[5]->in_use);
		eum_card_free(card);
	}
}

/* DELETE releases the profile's memory and every volatile reference to the slot. */
static void test_delete_side_effects(void **state)
{
	eum_card *card = gpt_card();
	struct eum_isdp *p = card->ps->isdp[0];
	static const uint8_t zero[sizeof(struct eum_isdp)];

	(void)state;
	/* disable the bootstrap profile and make it deletable */
	assert_int_equal(eum_isdp_transition(card, 0, EUM_ISDP_EV_DISABLE), EUM_OK);
	assert_ptr_equal(card->prof, card->noprof);
	p->fallback = 0;
	assert_true(p->prof.fs.n > 0);
	/* channels other than the basic one have their own state once opened (src/card/card.c) */
	assert_int_equal(eum_card_open_channel(card, 3, 0), EUM_OK);
	assert_int_equal(eum_card_open_channel(card, 2, 0), EUM_OK);
	card->ch[3].app = EUM_APP_ISDP;
	card->ch[3].isdp = 0;
	card->ch[3].scp03->state = EUM_SCP03_STATE_AUTHENTICATED;
	card->ch[2].app = EUM_APP_ISDR;
	card->ch[2].gp->perso_active = 1;
	card->ch[2].gp->perso_isdp = 0;
	assert_int_equal(eum_isdp_transition(card, 0, EUM_ISDP_EV_DELETE), EUM_OK);
	assert_memory_equal(p, zero, sizeof(*p)); /* keys, AID and file system pointers wiped */
	assert_int_equal(card->ch[3].app, EUM_APP_UICC);
	assert_int_equal(card->ch[3].scp03->state, EUM_SCP03_STATE_NONE);
	assert_int_equal(card->ch[2].gp->perso_active, 0);
	assert_int_equal(eum_isdp_find(card,
	                               (const uint8_t[]){0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF,
	                                                 0xFF, 0x89, 0x00, 0x00, 0x10, 0x00},
	                               16),
	                 -1);
	eum_card_free(card);
}

static void test_bad_args(void **state)
{
	eum_card *card = gpt_card();

	(void)state;
	assert_int_equal(eum_isdp_transition(card, -1, EUM_ISDP_EV_CREATE), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_isdp_transition(card, EUM_MAX_ISDP, EUM_ISDP_EV_CREATE), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_isdp_transition(card, 1, EUM_ISDP_EV_NUM), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_isdp_transition(NULL, 1, EUM_ISDP_EV_CREATE), EUM_ERR_INVALID_ARG);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_matrix),
	        cmocka_unit_test(test_fallback_guard),
	        cmocka_unit_test(test_delete_side_effects),
	        cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
