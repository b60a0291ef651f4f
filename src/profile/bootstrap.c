/*
 * The default bootstrap profile (SGP.02 §9), installed from the package embedded at build time
 * (examples/profiles/bootstrap.conf -> tools/eum-mkprofile -> bootstrap_der.c).
 */
#include "profile/bootstrap.h"

#include "profile/saip_apply.h"

/* SGP.02 §9: the bootstrap profile goes through the TCA installer like any other package. */
int eum_bootstrap_install(struct eum_profile *prof, uint8_t *pol1, struct eum_saip_result *res)
{
	return eum_saip_install_mem(prof, eum_bootstrap_der, eum_bootstrap_der_len, pol1, res);
}
