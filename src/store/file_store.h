/*
 * The built-in file backend of the store: one file holding the base image
 * and its journal (src/store/image.h). Replacing writes aside, fsyncs,
 * renames and fsyncs the directory (POSIX rename() replaces the name
 * atomically: a crash leaves the old file or the new one, whole); appending
 * writes at the end of the file and fsyncs it (a crash may leave part of the
 * record, which the loader recognises by its CRC and ignores).
 */
#ifndef EUM_STORE_FILE_STORE_H
#define EUM_STORE_FILE_STORE_H

#include <stddef.h>
#include <stdint.h>

struct eum_file_store;

struct eum_file_store *eum_file_store_new(const char *path);
void eum_file_store_free(struct eum_file_store *fs);
/* eum_storage hooks (ctx = the file store) */
int eum_file_store_load(void *ctx, uint8_t *buf, size_t cap, size_t *len);
int eum_file_store_replace(void *ctx, const uint8_t *img, size_t len);
int eum_file_store_append(void *ctx, const uint8_t *rec, size_t len);
const char *eum_file_store_path(const struct eum_file_store *fs);
/* Why the last operation failed: the file and the system error (strerror); never data. */
const char *eum_file_store_error(const struct eum_file_store *fs);
/* Fault injection (store.h: eum_store_file_fault). */
long eum_file_store_fault(struct eum_file_store *fs, long n);

#endif
