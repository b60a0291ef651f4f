/*
 * The persistent state of the eUICC's security domains (SGP.02 §1-§4):
 * ECASD, ISD-R and ISD-P slots, from empty to freed.
 */
#include "gp/domains.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

/* Every never-used slot of every card: read-only (a write that skipped eum_pstate_slot faults). */
static const struct eum_isdp no_isdp;

static int slot_allocated(const struct eum_isdp *p)
{
	return p && p != &no_isdp;
}

void eum_pstate_init(struct eum_pstate *ps)
{
	size_t i;

	memset(ps, 0, sizeof(*ps));
	for (i = 0; i < EUM_MAX_ISDP; i++)
		ps->isdp[i] = (struct eum_isdp *)&no_isdp; /* never written through: see eum_pstate_slot */
}

struct eum_isdp *eum_pstate_slot(struct eum_pstate *ps, size_t slot)
{
	struct eum_isdp *p;

	if (slot >= EUM_MAX_ISDP)
		return NULL;
	if (slot_allocated(ps->isdp[slot]))
		return ps->isdp[slot];
	p = calloc(1, sizeof(*p)); /* owned by ps: freed by eum_pstate_free */
	if (!p)
		return NULL;
	eum_profile_init(&p->prof);
	ps->isdp[slot] = p;
	return p;
}

void eum_pstate_free(struct eum_pstate *ps)
{
	size_t i;

	for (i = 0; i < EUM_MAX_ISDP; i++) {
		if (!slot_allocated(ps->isdp[i]))
			continue;
		eum_profile_free(&ps->isdp[i]->prof);
		eum_wipe(ps->isdp[i], sizeof(*ps->isdp[i]));
		free(ps->isdp[i]);
	}
	eum_wipe(ps, sizeof(*ps));
	eum_pstate_init(ps); /* freed = empty: every slot readable again */
}
