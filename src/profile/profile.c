/*
 * A profile's state (TCA eUICC Profile Package v2.3, SGP.02 §1): its life
 * from empty to freed. The content is installed by saip_install.c.
 */
#include "profile/profile.h"

#include <string.h>

#include "crypto/crypto.h"

void eum_profile_init(struct eum_profile *p)
{
	memset(p, 0, sizeof(*p));
	eum_fs_init(&p->fs);
}

void eum_profile_free(struct eum_profile *p)
{
	eum_fs_free(&p->fs);
	/* PINs, OTA and SCP03 keys, K/OPc */
	eum_wipe(p, sizeof(*p));
}
