/*
 * The card state image: everything a card keeps in non-volatile memory (SGP.02
 * §10 lists what must survive), as a base image followed by a journal.
 *
 * Base image, all integers big-endian:
 *   "EUMSTATE"  magic (8 bytes)
 *   u16         format version (EUM_IMAGE_VERSION)
 *   u16         reserved, 0
 *   u32         payload length
 *   payload     sections in canonical order (below)
 *   u32         CRC-32C (Castagnoli) of everything before it
 * then zero or more journal records, each
 *   "EUMJ"      magic (4 bytes)
 *   u32         payload length
 *   payload     sections: the ones one commit changed
 *   u32         CRC-32C of the record before it
 *
 * A section is u8 kind, u8 ISD-P slot (0 for the platform's), u16 index (the
 * file's for EUM_SEC_FILE, else 0), u32 length, then its value: the fields of
 * the module's persistent table (src/store/ptable.h, tables in
 * src/store/psections.h), in table order. A later section replaces an earlier
 * one with the same kind, slot and index; EUM_SEC_ISDP_FREE drops everything
 * earlier of its slot; files at or past the EUM_SEC_FS count are dropped.
 *
 * Canonical order: the platform (ECASD, ISD-R, ISD-R counters, ES5), then for
 * each ISD-P slot in use its header and, when it holds a profile, its file
 * system (file count, then each file: table + body), PINs, AKA, SQN array,
 * RFM, OTA key sets, OTA counters, MNO-SD. A base image is canonical (sections
 * strictly in that order, each once), so loading then saving it gives the
 * same bytes.
 *
 * A journal record whose magic, length or CRC is wrong ends the journal (a
 * write cut by a power loss): the state is the one before that record.
 * Loading checks every length, range and cross-reference, and the invariants
 * the card relies on (exactly one ENABLED ISD-P holding a profile, ISD-P
 * states consistent with their content, at most one fall-back ISD-P and only
 * one holding a profile, file-system parent links, ES5 slot references); an
 * image of another format version, with an unknown section, a bad CRC or a
 * broken invariant is refused with the reason.
 */
#ifndef EUM_STORE_IMAGE_H
#define EUM_STORE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"
#include "gp/domains.h"
#include "store/store.h"

#define EUM_IMAGE_VERSION     3
#define EUM_IMAGE_MIN_VERSION 3 /* versions 1 and 2 (one monolithic image, rewritten whole) are refused */

/* Section kinds (u8 in the image). */
#define EUM_SEC_ECASD     0x01
#define EUM_SEC_ISDR      0x02
#define EUM_SEC_ISDR_CNTR 0x03
#define EUM_SEC_ES5       0x04
#define EUM_SEC_ISDP      0x20
#define EUM_SEC_ISDP_FREE 0x2F /* journal only: the ISD-P slot was deleted */
#define EUM_SEC_FS        0x30 /* u32 file count */
#define EUM_SEC_FILE      0x31
#define EUM_SEC_PINS      0x32
#define EUM_SEC_AKA       0x33
#define EUM_SEC_SQN       0x34
#define EUM_SEC_RFM       0x35
#define EUM_SEC_OTA_KEYS  0x36
#define EUM_SEC_OTA_CNTR  0x37
#define EUM_SEC_MNOSD     0x38

/* Serialise the whole state as a canonical base image. buf may be NULL to
 * measure; returns EUM_OK or EUM_ERR_BUFFER_TOO_SMALL (*len = size needed). */
int eum_image_write(const struct eum_pstate *ps, uint8_t *buf, size_t cap, size_t *len);
/* Serialise the sections d marks as one journal record (same conventions). */
int eum_image_journal(const struct eum_pstate *ps, const struct eum_dirty *d, uint8_t *buf, size_t cap, size_t *len);

/* What a load found besides the state. */
struct eum_image_info {
	unsigned version;
	size_t base_len;  /* bytes of the base image */
	size_t valid_len; /* bytes up to the end of the last intact journal record */
	unsigned records; /* intact journal records */
	int torn;         /* bytes after valid_len were ignored (a cut write) */
};

/* Validate and load an image (base + journal) into ps (overwritten; on
 * failure left empty and why says what was wrong). info may be NULL. */
int eum_image_load(struct eum_pstate *ps, const uint8_t *img, size_t len, struct eum_image_info *info, char *why,
                   size_t whycap);
int eum_image_read(struct eum_pstate *ps, const uint8_t *img, size_t len, char *why, size_t whycap);

/* Name the first section in which two base images differ (diagnostics); 0 if none. */
int eum_image_diff(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, char *out, size_t cap);

/* CRC-32C (Castagnoli) of p (src/store/crc32c.c). _update continues a CRC:
 * eum_crc32c_update(eum_crc32c(a), b) == CRC of a followed by b; start at 0. */
uint32_t eum_crc32c(const uint8_t *p, size_t len);
uint32_t eum_crc32c_update(uint32_t crc, const uint8_t *p, size_t len);
/* Slicing table k (0..7) of the CRC-32C, for the known-answer test. */
const uint32_t *eum_crc32c_table(unsigned k);

#endif
