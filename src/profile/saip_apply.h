/* What a profile package's security-domain and RFM PEs mean to the card's OTA layer. */
#ifndef EUM_PROFILE_SAIP_APPLY_H
#define EUM_PROFILE_SAIP_APPLY_H

#include "core/card.h"
#include "profile/saip_install.h"

/* Fill prof->rfm and prof->ota_keys from the installer's extras (RFM PEs:
 * TARs, MSL, ADF; the MNO-SD's key sets). Returns EUM_OK. */
int eum_saip_apply_extras(struct eum_profile *prof, const struct eum_saip_extras *x);

/* Install a package held in memory into an empty profile and apply its extras (what
 * eum_saip_install_file() does after reading the file); *pol1 receives the header's POL1 byte
 * (0 when absent). Returns EUM_OK, EUM_ERR_PROFILE (res says why), EUM_ERR_NO_MEMORY. */
int eum_saip_install_mem(struct eum_profile *prof, const uint8_t *der, size_t len, uint8_t *pol1,
                         struct eum_saip_result *res);

/* Install a package from a file into an empty profile and apply its extras;
 * *pol1 receives the header's POL1 byte (0 when absent). */
int eum_saip_install_file(struct eum_profile *prof, const char *path, uint8_t *pol1, struct eum_saip_result *res);

#endif
