/*
 * The persistent state of the eUICC's security domains (SGP.02 §1-§4):
 * ECASD, ISD-R and ISD-P slots, from empty to freed.
 */
#include "gp/domains.h"

#include <string.h>

#include "crypto/crypto.h"

void eum_pstate_init(struct eum_pstate *ps)
{
	size_t i;

	memset(ps, 0, sizeof(*ps));
	for (i = 0; i < EUM_MAX_ISDP; i++)
		eum_profile_init(&ps->isdp[i].prof);
}

void eum_pstate_free(struct eum_pstate *ps)
{
	size_t i;

	for (i = 0; i < EUM_MAX_ISDP; i++)
		eum_profile_free(&ps->isdp[i].prof);
	eum_wipe(ps, sizeof(*ps));
}
