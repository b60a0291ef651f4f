/*
 * The default bootstrap profile (SGP.02 §9: the profile a card leaves the factory with): a TCA
 * profile package generated at build time by tools/eum-mkprofile from the readable source
 * examples/profiles/bootstrap.conf and embedded here as bytes, so the library needs no file at run
 * time. It is installed by the same installer as any downloaded package (profile/saip_apply.h).
 */
#ifndef EUM_PROFILE_BOOTSTRAP_H
#define EUM_PROFILE_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"
#include "profile/saip_install.h"

/* The package (DER, PEs back to back), defined in the generated bootstrap_der.c. */
extern const uint8_t eum_bootstrap_der[];
extern const size_t eum_bootstrap_der_len;

/* Install the embedded bootstrap package into an empty profile (RFM TARs and MNO-SD OTA keys
 * applied); *pol1 receives its POL1 byte. Same contract as eum_saip_install_mem(). */
int eum_bootstrap_install(struct eum_profile *prof, uint8_t *pol1, struct eum_saip_result *res);

#endif
