/*
 * The default bootstrap profile (SGP.02 §9), installed from the package embedded at build time
 * (examples/profiles/bootstrap.conf -> tools/eum-mkprofile -> bootstrap_der.c).
 *
 * Every default card starts with the same bootstrap profile, so the package is decoded once per
 * process, not once per card: its file system becomes a read-only pool (fs/fs.h) that the cards
 * share until one of them writes a file (copy-on-write per file), and the rest of the profile (PINs,
 * AKA keys, RFM, key sets: a small plain struct) is copied into each card. The pool lives as long as
 * a card uses it: the last card to let go frees it (then the next card decodes again).
 */
#include "profile/bootstrap.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "profile/saip_apply.h"

/* The process-wide decoded package, under boot_lock. pool is a weak pointer: boot_gone() clears it
 * before the pool is freed, and a card takes a reference only while the count is not 0. */
static pthread_mutex_t boot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	struct eum_fs_pool *pool;
	struct eum_profile tmpl; /* the installed profile but its file system (tmpl.fs stays empty) */
	uint8_t pol1;
	struct eum_saip_result res;
} boot;

static void boot_gone(void *ctx, struct eum_fs_pool *p)
{
	(void)ctx;
	pthread_mutex_lock(&boot_lock);
	if (boot.pool == p) {
		boot.pool = NULL;
		eum_wipe(&boot.tmpl, sizeof(boot.tmpl)); /* AKA keys, OTA keys, PINs */
	}
	pthread_mutex_unlock(&boot_lock);
}

/* Decode the package into boot (boot_lock held); the caller gets the pool's first reference. */
static int boot_decode(struct eum_saip_result *res)
{
	struct eum_profile *tmp = calloc(1, sizeof(*tmp)); /* transient: wiped and freed below */
	struct eum_fs_pool *p = NULL;
	uint8_t pol1 = 0;
	int rc;

	if (!tmp)
		return EUM_ERR_NO_MEMORY;
	eum_fs_init(&tmp->fs);
	/* SGP.02 §9: the bootstrap profile goes through the TCA installer like any other package. */
	rc = eum_saip_install_mem(tmp, eum_bootstrap_der, eum_bootstrap_der_len, &pol1, res);
	if (rc == EUM_OK)
		rc = eum_fs_pool_new(&p, &tmp->fs, boot_gone, NULL);
	eum_fs_free(&tmp->fs);
	if (rc == EUM_OK) {
		boot.tmpl = *tmp;
		boot.pol1 = pol1;
		boot.res = *res;
		boot.pool = p;
	}
	eum_wipe(tmp, sizeof(*tmp));
	free(tmp);
	return rc;
}

int eum_bootstrap_install(struct eum_profile *prof, uint8_t *pol1, struct eum_saip_result *res_out)
{
	struct eum_saip_result local, *res = res_out ? res_out : &local;
	int rc = EUM_OK;

	pthread_mutex_lock(&boot_lock);
	if (!boot.pool || !eum_fs_pool_tryref(boot.pool))
		rc = boot_decode(res);
	if (rc == EUM_OK) {
		*prof = boot.tmpl;
		eum_fs_use_pool(&prof->fs, boot.pool); /* the reference taken above */
		if (pol1)
			*pol1 = boot.pol1;
		*res = boot.res;
	}
	pthread_mutex_unlock(&boot_lock);
	return rc;
}
