/*
 * The store's built-in file backend (file_store.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "store/file_store.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eum/eum.h"

struct eum_file_store {
	char *path;
	char *tmp;
	int afd;       /* descriptor open for appending, -1 = none (reopened after a replace) */
	long fault_at; /* 0 = off; else the operation number that "loses power" */
	long ops;
	char err[192];
};

/* One primitive step; 0 = go on, -1 = the power is cut (fault injection). */
static int step(struct eum_file_store *fs)
{
	fs->ops++;
	if (fs->fault_at && fs->ops >= fs->fault_at) {
		snprintf(fs->err, sizeof(fs->err), "%s: power cut injected at operation %ld", fs->path, fs->ops);
		return -1;
	}
	return 0;
}

static int fail(struct eum_file_store *fs, const char *what, const char *file, int err)
{
	snprintf(fs->err, sizeof(fs->err), "%s %s: %s", what, file, strerror(err));
	return EUM_ERR_STORAGE;
}

const char *eum_file_store_path(const struct eum_file_store *fs)
{
	return fs->path;
}

const char *eum_file_store_error(const struct eum_file_store *fs)
{
	return fs->err[0] ? fs->err : "no error";
}

int eum_file_store_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct eum_file_store *fs = ctx;
	FILE *f = fopen(fs->path, "rb");
	long size;

	if (!f) {
		if (errno == ENOENT)
			return EUM_ERR_NOT_FOUND;
		return fail(fs, "open", fs->path, errno);
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		int e = errno;
		fclose(f);
		return fail(fs, "seek", fs->path, e);
	}
	*len = (size_t)size;
	if (!buf || cap < (size_t)size) {
		fclose(f);
		return buf ? EUM_ERR_BUFFER_TOO_SMALL : EUM_OK;
	}
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		int e = ferror(f) ? errno : EIO;
		fclose(f);
		return fail(fs, "read", fs->path, e);
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

/* write all of p in steps of at most 512 bytes (each a cut point) */
static int write_all(struct eum_file_store *fs, int fd, const uint8_t *p, size_t len, const char *file)
{
	size_t off = 0;

	while (off < len) {
		size_t n = len - off < 512 ? len - off : 512;
		ssize_t k;
		if (step(fs))
			return EUM_ERR_STORAGE;
		k = write(fd, p + off, n);
		if (k <= 0)
			return fail(fs, "write", file, k < 0 ? errno : EIO);
		off += (size_t)k;
	}
	return EUM_OK;
}

int eum_file_store_replace(void *ctx, const uint8_t *img, size_t len)
{
	struct eum_file_store *fs = ctx;
	int fd;

	if (fs->afd >= 0) {
		close(fs->afd);
		fs->afd = -1;
	}
	fd = open(fs->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return fail(fs, "open", fs->tmp, errno);
	if (write_all(fs, fd, img, len, fs->tmp)) {
		close(fd);
		return EUM_ERR_STORAGE;
	}
	if (step(fs)) {
		close(fd);
		return EUM_ERR_STORAGE;
	}
	if (fsync(fd) != 0) {
		int e = errno;
		close(fd);
		return fail(fs, "fsync", fs->tmp, e);
	}
	close(fd);
	if (step(fs))
		return EUM_ERR_STORAGE;
	if (rename(fs->tmp, fs->path) != 0)
		return fail(fs, "rename to", fs->path, errno);
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

int eum_file_store_append(void *ctx, const uint8_t *rec, size_t len)
{
	struct eum_file_store *fs = ctx;
	off_t end;
	int rc;

	if (fs->afd >= 0) {
		/* the descriptor must still be the file at path (another process may have replaced it) */
		struct stat a, b;
		if (fstat(fs->afd, &a) != 0 || stat(fs->path, &b) != 0 || a.st_ino != b.st_ino ||
		    a.st_dev != b.st_dev) {
			close(fs->afd);
			fs->afd = -1;
		}
	}
	if (fs->afd < 0) {
		fs->afd = open(fs->path, O_WRONLY | O_APPEND);
		if (fs->afd < 0)
			return fail(fs, "open", fs->path, errno);
	}
	end = lseek(fs->afd, 0, SEEK_END);
	if (end < 0) {
		rc = fail(fs, "seek", fs->path, errno);
		goto out;
	}
	rc = write_all(fs, fs->afd, rec, len, fs->path);
	if (rc)
		goto out; /* a partial record: any load ignores it (CRC) */
	/* The last byte written completes the record: from here any later load
	 * reads it, so the commit has happened (as the rename of a whole image).
	 * A power cut before the fsync may still lose it — the state before, the
	 * other allowed outcome; a failing fsync is undone by cutting the record
	 * off again, so that file and card agree on the state before. */
	if (step(fs))
		return EUM_OK;
	if (fsync(fs->afd) != 0) {
		rc = fail(fs, "fsync", fs->path, errno);
		/* best effort: the store writes a whole image at its next commit either way */
		if (ftruncate(fs->afd, end) == 0)
			(void)fsync(fs->afd);
	}
out:
	if (rc != EUM_OK) {
		/* the store writes a whole image at its next commit */
		close(fs->afd);
		fs->afd = -1;
	}
	return rc;
}

struct eum_file_store *eum_file_store_new(const char *path)
{
	struct eum_file_store *fs = calloc(1, sizeof(*fs));
	size_t n = strlen(path);

	if (!fs)
		return NULL;
	fs->afd = -1;
	fs->path = malloc(n + 1);
	fs->tmp = malloc(n + 5);
	if (!fs->path || !fs->tmp) {
		eum_file_store_free(fs);
		return NULL;
	}
	memcpy(fs->path, path, n + 1);
	memcpy(fs->tmp, path, n);
	memcpy(fs->tmp + n, ".new", 5);
	return fs;
}

void eum_file_store_free(struct eum_file_store *fs)
{
	if (!fs)
		return;
	if (fs->afd >= 0)
		close(fs->afd);
	free(fs->path);
	free(fs->tmp);
	free(fs);
}

long eum_file_store_fault(struct eum_file_store *fs, long n)
{
	long done = fs->ops;

	fs->ops = 0;
	fs->fault_at = n;
	return done;
}
