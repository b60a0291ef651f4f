/*
 * Card non-volatile memory: per-APDU commit of the state image, rollback on
 * storage failure, and the built-in file backend (write aside, fsync,
 * rename, fsync of the directory: POSIX rename() replaces the name
 * atomically, so a crash leaves the old or the new image, whole).
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/card.h"
#include "crypto/crypto.h"
#include "store/image.h"

struct eum_file_store {
	char *path;
	char *tmp;
	long fault_at; /* 0 = off; else the operation number that "loses power" */
	long ops;
};

/* One primitive step of the file backend; 0 = go on, -1 = the power is cut. */
static int step(struct eum_file_store *fs)
{
	fs->ops++;
	return fs->fault_at && fs->ops >= fs->fault_at ? -1 : 0;
}

static int file_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct eum_file_store *fs = ctx;
	FILE *f = fopen(fs->path, "rb");
	long size;

	if (!f)
		return errno == ENOENT ? EUM_ERR_NOT_FOUND : EUM_ERR_STORAGE;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return EUM_ERR_STORAGE;
	}
	*len = (size_t)size;
	if (!buf || cap < (size_t)size) {
		fclose(f);
		return buf ? EUM_ERR_BUFFER_TOO_SMALL : EUM_OK;
	}
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		return EUM_ERR_STORAGE;
	}
	fclose(f);
	return EUM_OK;
}

static int fsync_dir(const char *path)
{
	char *dir = malloc(strlen(path) + 2);
	char *slash;
	int fd, rc;

	if (!dir)
		return -1;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	else
		strcpy(dir, ".");
	fd = open(dir, O_RDONLY);
	free(dir);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int file_store(void *ctx, const uint8_t *img, size_t len)
{
	struct eum_file_store *fs = ctx;
	size_t off = 0;
	int fd;

	fd = open(fs->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return EUM_ERR_STORAGE;
	while (off < len) {
		size_t n = len - off < 512 ? len - off : 512;
		ssize_t k;
		if (step(fs)) {
			close(fd);
			return EUM_ERR_STORAGE;
		}
		k = write(fd, img + off, n);
		if (k <= 0) {
			close(fd);
			return EUM_ERR_STORAGE;
		}
		off += (size_t)k;
	}
	if (step(fs) || fsync(fd) != 0) {
		close(fd);
		return EUM_ERR_STORAGE;
	}
	close(fd);
	if (step(fs) || rename(fs->tmp, fs->path) != 0)
		return EUM_ERR_STORAGE;
	/* From the rename on, the new image is the one any later load reads: the
	 * commit has happened and must not be reported as failed (the card would
	 * roll back in memory while the file keeps the new image, and its next
	 * commit would write counters that went backwards). The rename is durable
	 * once the directory is: until then a crash may still show the old image,
	 * the other allowed outcome, so a failing directory fsync changes nothing. */
	if (!step(fs))
		(void)fsync_dir(fs->path);
	return EUM_OK;
}

static struct eum_file_store *file_store_new(const char *path)
{
	struct eum_file_store *fs = calloc(1, sizeof(*fs));
	size_t n = strlen(path);

	if (!fs)
		return NULL;
	fs->path = malloc(n + 1);
	fs->tmp = malloc(n + 5);
	if (!fs->path || !fs->tmp) {
		free(fs->path);
		free(fs->tmp);
		free(fs);
		return NULL;
	}
	memcpy(fs->path, path, n + 1);
	memcpy(fs->tmp, path, n);
	memcpy(fs->tmp + n, ".new", 5);
	return fs;
}

long eum_store_file_fault(struct eum_card *card, long n)
{
	struct eum_file_store *fs = card->store.file;
	long done;

	if (!fs)
		return -1;
	done = fs->ops;
	fs->ops = 0;
	fs->fault_at = n;
	return done;
}

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

int eum_store_open(struct eum_card *card, const eum_config *cfg, int *loaded)
{
	struct eum_store *st = &card->store;
	char why[160] = "";
	size_t len = 0;
	int rc;

	*loaded = 0;
	memset(st, 0, sizeof(*st));
	if (cfg->state_path) {
		st->file = file_store_new(cfg->state_path);
		if (!st->file)
			return EUM_ERR_NO_MEMORY;
		st->hooks = (eum_storage){file_load, file_store, st->file};
	} else if (cfg->storage) {
		if (!cfg->storage->load || !cfg->storage->store)
			return EUM_ERR_CONFIG;
		st->hooks = *cfg->storage;
	} else {
		return EUM_OK; /* memory only */
	}
	st->enabled = 1;
	rc = st->hooks.load(st->hooks.ctx, NULL, 0, &len);
	if (rc == EUM_ERR_NOT_FOUND)
		return EUM_OK;
	if (rc != EUM_OK && rc != EUM_ERR_BUFFER_TOO_SMALL)
		return EUM_ERR_STORAGE;
	rc = reserve(&st->img, &st->img_cap, len);
	if (rc)
		return rc;
	rc = st->hooks.load(st->hooks.ctx, st->img, st->img_cap, &len);
	if (rc)
		return EUM_ERR_STORAGE;
	st->img_len = len;
	rc = eum_image_read(&card->ps, st->img, len, why, sizeof(why));
	if (rc) {
		eum_log(card, EUM_LOG_ERROR, "stored card image refused: %s", why);
		return rc;
	}
	*loaded = 1;
	return EUM_OK;
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
	struct eum_store *st = &card->store;
	size_t len;
	uint8_t *tmp;
	size_t tcap;
	int rc;

	if (!st->enabled)
		return EUM_OK;
	eum_image_write(&card->ps, NULL, 0, &len);
	rc = reserve(&st->next, &st->next_cap, len);
	if (rc)
		return rc;
	eum_image_write(&card->ps, st->next, st->next_cap, &len);
	if (len == st->img_len && memcmp(st->next, st->img, len) == 0)
		return EUM_OK; /* nothing changed: no write at all */
	rc = st->hooks.store(st->hooks.ctx, st->next, len);
	if (rc != EUM_OK) {
		struct eum_pstate *old = malloc(sizeof(*old)); /* transient; moved into the card */
		eum_log(card, EUM_LOG_ERROR, "storage failed: the APDU's changes are rolled back");
		if (card->txn_depth)
			card->txn_failed = 1; /* the APDU answers 6581 and releases no output (apdu.c) */
		if (old && st->img_len && eum_image_read(old, st->img, st->img_len, NULL, 0) == EUM_OK) {
			eum_pstate_free(&card->ps);
			card->ps = *old;
			eum_card_sync_enabled(card);
		}
		if (old) {
			eum_wipe(old, sizeof(*old));
			free(old);
		}
		return EUM_ERR_STORAGE;
	}
	/* the new image becomes the committed one */
	tmp = st->img;
	tcap = st->img_cap;
	st->img = st->next;
	st->img_cap = st->next_cap;
	st->img_len = len;
	st->next = tmp;
	st->next_cap = tcap;
	st->commits++;
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
	if (st->file) {
		free(st->file->path);
		free(st->file->tmp);
		free(st->file);
	}
	memset(st, 0, sizeof(*st));
}
