/*
 * Card non-volatile memory (store.h): dirty marking, commits that write a
 * journal record of what changed or a whole base image, rollback on storage
 * failure, and the verify mode that checks the marking.
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/card.h"
#include "crypto/crypto.h"
#include "store/file_store.h"
#include "store/image.h"

/* The journal is folded into a new base image once it is twice as long as the
 * base image (and at least JOURNAL_MIN long): a fold then costs, spread over
 * the records before it, half a record's bytes whatever the image size, and
 * loading stays proportional to the state (at most three times the base). */
#define JOURNAL_MIN 16384

/* ---- dirty marking ---------------------------------------------------------- */

void eum_store_dirty(struct eum_card *card, enum eum_ps sec)
{
	card->store->dirty.plat |= 1u << sec;
	card->store->dirty.any = 1;
}

void eum_store_dirty_isdp(struct eum_card *card, unsigned slot, enum eum_ps sec)
{
	if (slot >= EUM_MAX_ISDP)
		return;
	card->store->dirty.slot[slot] |= 1u << sec;
	card->store->dirty.any = 1;
}

void eum_store_dirty_slot(struct eum_card *card, unsigned slot)
{
	if (slot >= EUM_MAX_ISDP)
		return;
	card->store->dirty.slot[slot] |= EUM_PS_SLOT_ALL;
	card->store->dirty.any = 1;
}

static int prof_slot(const struct eum_card *card, const struct eum_profile *prof)
{
	size_t i;

	for (i = 0; i < EUM_MAX_ISDP; i++)
		if (&card->ps->isdp[i]->prof == prof)
			return (int)i;
	return -1; /* the placeholder of a card without an enabled profile */
}

void eum_store_dirty_prof(struct eum_card *card, const struct eum_profile *prof, enum eum_ps sec)
{
	int slot = prof_slot(card, prof);

	if (slot >= 0)
		eum_store_dirty_isdp(card, (unsigned)slot, sec);
}

void eum_store_dirty_file(struct eum_card *card, const struct eum_profile *prof, int32_t idx)
{
	struct eum_dirty *d = &card->store->dirty;
	int slot = prof_slot(card, prof);
	size_t k;

	if (slot < 0 || idx < 0)
		return;
	d->any = 1;
	for (k = 0; k < d->nfiles; k++)
		if (d->files[k].slot == slot && d->files[k].idx == idx)
			return;
	if (d->nfiles == EUM_DIRTY_FILES || idx > 0xFFFF) {
		d->slot[slot] |= 1u << EUM_PS_FS; /* many files: the whole file system */
		return;
	}
	d->files[d->nfiles].slot = (uint8_t)slot;
	d->files[d->nfiles].idx = (uint16_t)idx;
	d->nfiles++;
}

void eum_store_dirty_admin(struct eum_card *card)
{
	size_t i;

	eum_store_dirty(card, EUM_PS_ISDR);
	eum_store_dirty(card, EUM_PS_ISDR_CNTR);
	eum_store_dirty(card, EUM_PS_ES5);
	for (i = 0; i < EUM_MAX_ISDP; i++)
		if (card->ps->isdp[i]->in_use)
			eum_store_dirty_isdp(card, (unsigned)i, EUM_PS_ISDP);
}

void eum_store_dirty_all(struct eum_card *card)
{
	card->store->dirty.all = 1;
	card->store->dirty.any = 1;
}

/* ---- the verify mode's memory backend --------------------------------------- */

static int reserve(uint8_t **p, size_t *cap, size_t need)
{
	uint8_t *np;

	if (*cap >= need)
		return EUM_OK;
	need += need / 4 + 1024;
	np = malloc(need);
	if (!np)
		return EUM_ERR_NO_MEMORY;
	if (*p) {
		memcpy(np, *p, *cap);
		eum_wipe(*p, *cap);
		free(*p);
	}
	*p = np;
	*cap = need;
	return EUM_OK;
}

static int mem_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct eum_store *st = ctx;

	if (!st->mem_len)
		return EUM_ERR_NOT_FOUND;
	*len = st->mem_len;
	if (!buf)
		return EUM_OK;
	if (cap < st->mem_len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(buf, st->mem, st->mem_len);
	return EUM_OK;
}

static int mem_store(void *ctx, const uint8_t *img, size_t len)
{
	struct eum_store *st = ctx;

	if (reserve(&st->mem, &st->mem_cap, len))
		return EUM_ERR_STORAGE;
	memcpy(st->mem, img, len);
	st->mem_len = len;
	return EUM_OK;
}

static int mem_append(void *ctx, const uint8_t *rec, size_t len)
{
	struct eum_store *st = ctx;

	if (reserve(&st->mem, &st->mem_cap, st->mem_len + len))
		return EUM_ERR_STORAGE;
	memcpy(st->mem + st->mem_len, rec, len);
	st->mem_len += len;
	return EUM_OK;
}

/* ---- opening ------------------------------------------------------------------ */

static const char *where(const struct eum_store *st)
{
	return st->file ? eum_file_store_path(st->file) : st->internal_hooks ? "(verify memory)" : "(host storage)";
}

static void log_failure(struct eum_card *card, const char *what)
{
	struct eum_store *st = card->store;

	if (st->file)
		eum_log(card, EUM_LOG_ERROR, "storage: %s failed: %s", what, eum_file_store_error(st->file));
	else
		eum_log(card, EUM_LOG_ERROR, "storage: %s failed in the host's storage hook", what);
}

int eum_store_open(struct eum_card *card, const eum_config *cfg, int *loaded)
{
	struct eum_store *st = card->store;
	struct eum_image_info info;
	const char *env = getenv("EUM_STORE_VERIFY");
	char why[200] = "";
	size_t len = 0;
	int rc;

	*loaded = 0;
	memset(st, 0, sizeof(*st));
	st->verify = env && env[0] == '1';
	if (cfg->state_path) {
		st->file = eum_file_store_new(cfg->state_path);
		if (!st->file)
			return EUM_ERR_NO_MEMORY;
		st->hooks = (eum_storage){eum_file_store_load, eum_file_store_replace, st->file};
		st->append = eum_file_store_append;
	} else if (cfg->storage) {
		if (!cfg->storage->load || !cfg->storage->store)
			return EUM_ERR_CONFIG;
		st->hooks = *cfg->storage;
		st->append = cfg->storage_append;
	} else if (st->verify) {
		st->hooks = (eum_storage){mem_load, mem_store, st};
		st->append = mem_append;
		st->internal_hooks = 1;
	} else {
		return EUM_OK; /* memory only */
	}
	st->enabled = 1;
	st->dirty.all = st->dirty.any = 1; /* a new card: its first commit writes everything */
	rc = st->hooks.load(st->hooks.ctx, NULL, 0, &len);
	if (rc == EUM_ERR_NOT_FOUND)
		return EUM_OK;
	if (rc != EUM_OK && rc != EUM_ERR_BUFFER_TOO_SMALL) {
		log_failure(card, "reading the stored image");
		return EUM_ERR_STORAGE;
	}
	rc = reserve(&st->img, &st->img_cap, len);
	if (rc)
		return rc;
	rc = st->hooks.load(st->hooks.ctx, st->img, st->img_cap, &len);
	if (rc) {
		log_failure(card, "reading the stored image");
		return EUM_ERR_STORAGE;
	}
	rc = eum_image_load(card->ps, st->img, len, &info, why, sizeof(why));
	if (rc) {
		eum_log(card, EUM_LOG_ERROR, "stored card image %s refused: %s", where(st), why);
		return rc;
	}
	if (info.torn) {
		/* a record cut by a power loss: its APDU never answered; the next
		 * commit replaces the file rather than append after the partial bytes */
		eum_log(card, EUM_LOG_WARN, "stored card image %s: ignored %zu bytes of an incomplete journal record",
		        where(st), len - info.valid_len);
		st->need_base = 1;
	}
	st->img_len = info.valid_len;
	st->base_len = info.base_len;
	memset(&st->dirty, 0, sizeof(st->dirty));
	*loaded = 1;
	return EUM_OK;
}

/* ---- committing --------------------------------------------------------------- */

/* EUM_STORE_VERIFY: what is stored must load to exactly the card's state.
 * A state that breaks the loader's invariants by itself (tests that set one up
 * by hand) is not a marking error and is not checked. */
static void verify(struct eum_card *card)
{
	struct eum_store *st = card->store;
	struct eum_pstate *ps = malloc(sizeof(*ps)); /* transient */
	uint8_t *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	char why[200] = "";
	int loaded;

	if (!ps)
		return;
	eum_image_write(card->ps, NULL, 0, &alen);
	a = malloc(alen);
	if (!a)
		goto out;
	eum_image_write(card->ps, a, alen, &alen);
	loaded = eum_image_load(ps, st->img, st->img_len, NULL, why, sizeof(why)) == EUM_OK;
	if (!loaded) {
		char self[200] = "";
		if (eum_image_load(ps, a, alen, NULL, self, sizeof(self)) != EUM_OK) {
			/* the state itself is refused (a test that set one up by hand, or a command that
			 * should not have made it): not a marking error; said loudly, not compared */
			eum_log(card, EUM_LOG_ERROR, "store verify: the card's state would be refused on reload: %s",
			        self);
			goto out;
		}
		eum_pstate_free(ps);
		eum_log(card, EUM_LOG_ERROR, "store verify: the stored image does not load: %s", why);
		abort();
	}
	eum_image_write(ps, NULL, 0, &blen);
	b = malloc(blen);
	if (b) {
		eum_image_write(ps, b, blen, &blen);
		if (eum_image_diff(a, alen, b, blen, why, sizeof(why))) {
			eum_log(card, EUM_LOG_ERROR,
			        "store verify: after reload the state differs (card vs stored): %s; a change was not "
			        "marked (eum_store_dirty*)",
			        why);
			abort();
		}
	}
	eum_pstate_free(ps);
out:
	if (a)
		eum_wipe(a, alen);
	if (b)
		eum_wipe(b, blen);
	free(a);
	free(b);
	eum_wipe(ps, sizeof(*ps));
	free(ps);
}

static int write_base(struct eum_card *card)
{
	struct eum_store *st = card->store;
	uint8_t *tmp;
	size_t len, tcap;
	int rc;

	eum_image_write(card->ps, NULL, 0, &len);
	rc = reserve(&st->next, &st->next_cap, len);
	if (rc)
		return rc;
	eum_image_write(card->ps, st->next, st->next_cap, &len);
	if (st->hooks.store(st->hooks.ctx, st->next, len) != EUM_OK) {
		log_failure(card, "writing the state image");
		return EUM_ERR_STORAGE;
	}
	tmp = st->img;
	tcap = st->img_cap;
	st->img = st->next;
	st->img_cap = st->next_cap;
	st->img_len = st->base_len = len;
	st->next = tmp;
	st->next_cap = tcap;
	st->need_base = 0;
	st->bytes_written += len;
	return EUM_OK;
}

static int write_record(struct eum_card *card)
{
	struct eum_store *st = card->store;
	size_t len;
	int rc;

	eum_image_journal(card->ps, &st->dirty, NULL, 0, &len);
	rc = reserve(&st->next, &st->next_cap, len);
	if (rc == EUM_OK)
		rc = reserve(&st->img, &st->img_cap, st->img_len + len);
	if (rc)
		return rc;
	eum_image_journal(card->ps, &st->dirty, st->next, st->next_cap, &len);
	if (st->append(st->hooks.ctx, st->next, len) != EUM_OK) {
		log_failure(card, "appending to the state image");
		st->need_base = 1; /* the store may end in part of the record */
		return EUM_ERR_STORAGE;
	}
	memcpy(st->img + st->img_len, st->next, len);
	st->img_len += len;
	st->bytes_written += len;
	return EUM_OK;
}

/* Write what changed since the last commit. */
static int write_changes(struct eum_card *card)
{
	struct eum_store *st = card->store;
	size_t journal = st->img_len - st->base_len;
	int rc;

	if (!st->dirty.any && !st->need_base)
		return EUM_OK;
	if (st->dirty.all || st->need_base || !st->append || !st->img_len ||
	    (journal > JOURNAL_MIN && journal > 2 * st->base_len))
		rc = write_base(card);
	else
		rc = write_record(card);
	if (rc)
		return rc;
	memset(&st->dirty, 0, sizeof(st->dirty));
	st->commits++;
	return EUM_OK;
}

/* Back to what is stored (after a failed write). */
static void roll_back(struct eum_card *card)
{
	struct eum_store *st = card->store;
	struct eum_pstate *old = malloc(sizeof(*old)); /* transient; moved into the card */

	eum_log(card, EUM_LOG_ERROR, "storage failed: the APDU's changes are rolled back");
	if (old && st->img_len && eum_image_load(old, st->img, st->img_len, NULL, NULL, 0) == EUM_OK) {
		eum_pstate_free(card->ps);
		*card->ps = *old;
		eum_notify(card, EUM_EV_PROFILE_SWITCHED, NULL);
		st->dirty.any = st->dirty.all = 0;
		memset(&st->dirty, 0, sizeof(st->dirty));
	}
	if (old) {
		eum_wipe(old, sizeof(*old));
		free(old);
	}
}

int eum_store_commit(struct eum_card *card)
{
	/* inside an APDU: committed with everything else it changes, at its end */
	if (card->txn_depth)
		return EUM_OK;
	return eum_store_commit_now(card);
}

int eum_store_commit_now(struct eum_card *card)
{
	struct eum_store *st = card->store;

	if (!st->enabled) {
		memset(&st->dirty, 0, sizeof(st->dirty));
		return EUM_OK;
	}
	if (write_changes(card) != EUM_OK) {
		if (card->txn_depth)
			card->txn_failed = 1; /* the APDU answers 6581 and releases no output (apdu.c) */
		roll_back(card);
		return EUM_ERR_STORAGE;
	}
	if (st->verify)
		verify(card);
	return EUM_OK;
}

void eum_store_close(struct eum_store *st)
{
	if (st->img) {
		eum_wipe(st->img, st->img_cap);
		free(st->img);
	}
	if (st->next) {
		eum_wipe(st->next, st->next_cap);
		free(st->next);
	}
	if (st->mem) {
		eum_wipe(st->mem, st->mem_cap);
		free(st->mem);
	}
	eum_file_store_free(st->file);
	memset(st, 0, sizeof(*st));
}

long eum_store_file_fault(struct eum_card *card, long n)
{
	if (!card->store->file)
		return -1;
	return eum_file_store_fault(card->store->file, n);
}
