/*
 * Non-volatile memory of the card: the state image of src/store/image.h,
 * kept current by commits that write only what changed.
 *
 * The modules that change persistent state mark what they changed with the
 * eum_store_dirty* helpers below, per section (and per file for the file
 * system). An APDU that marked nothing costs the store nothing: no
 * serialisation, no CRC, no write. At the end of an APDU (or at
 * eum_store_commit_now() for a security counter) the marked sections are
 * serialised as one journal record and appended (host append hook or the
 * file backend: write + fsync); the journal is folded into a new base image
 * (write aside, fsync, rename, directory fsync) when it grows past the base
 * image, after a failed append, when a section of everything is marked, and
 * with host hooks that cannot append. Storage comes from the host's hooks or
 * the built-in file backend (src/store/file_store.c).
 *
 * Forgetting a mark would lose a change on reload: with the environment
 * variable EUM_STORE_VERIFY=1 (set for the test suite), every commit —
 * including a memory-only card's, through an internal memory backend —
 * reloads what is stored and compares it with the card's state, logging the
 * first differing section and aborting.
 */
#ifndef EUM_STORE_STORE_H
#define EUM_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

struct eum_card;
struct eum_profile;
struct eum_file_store;

/* Persistent sections, as dirty bits (1u << EUM_PS_*). */
enum eum_ps {
	/* the platform */
	EUM_PS_ECASD,
	EUM_PS_ISDR,      /* TAR, MSL, key sets */
	EUM_PS_ISDR_CNTR, /* SCP80 counters of the ISD-R */
	EUM_PS_ES5,
	/* per ISD-P slot */
	EUM_PS_ISDP, /* header: AID, state, attributes, SCP03 key sets (and their counters), token key */
	EUM_PS_FS,   /* the whole file system (file count + every file) */
	EUM_PS_PINS,
	EUM_PS_AKA,
	EUM_PS_SQN,
	EUM_PS_RFM,
	EUM_PS_OTA_KEYS,
	EUM_PS_OTA_CNTR,
	EUM_PS_MNOSD,
	EUM_PS_NUM
};
#define EUM_PS_PLATFORM ((1u << EUM_PS_ECASD) | (1u << EUM_PS_ISDR) | (1u << EUM_PS_ISDR_CNTR) | (1u << EUM_PS_ES5))
#define EUM_PS_SLOT_ALL (((1u << EUM_PS_NUM) - 1) & ~EUM_PS_PLATFORM)

#define EUM_STORE_SLOTS 16 /* >= EUM_MAX_ISDP (checked in image.c) */
#define EUM_DIRTY_FILES 16

/* What changed since the last commit. */
struct eum_dirty {
	uint8_t any;                    /* something below is set */
	uint8_t all;                    /* everything: the next commit writes a whole base image */
	uint8_t nfiles;                 /* files[] entries in use */
	uint32_t plat;                  /* EUM_PS_PLATFORM bits */
	uint32_t slot[EUM_STORE_SLOTS]; /* EUM_PS_SLOT_ALL bits per ISD-P slot */
	struct {
		uint8_t slot;
		uint16_t idx;
	} files[EUM_DIRTY_FILES]; /* single files rewritten (more: EUM_PS_FS of the slot) */
};

struct eum_store {
	uint8_t enabled;
	uint8_t verify;         /* EUM_STORE_VERIFY: check every commit against a reload */
	uint8_t need_base;      /* the next commit writes a base image (after a failed append, a torn tail) */
	uint8_t internal_hooks; /* hooks are the verify mode's memory backend (mem below) */
	eum_storage hooks;
	eum_storage_append_fn append; /* NULL: whole images only */
	struct eum_file_store *file;  /* owned; the built-in backend when a path was configured */
	uint8_t *img;                 /* owned: what is stored (base image + journal) */
	size_t img_len, img_cap;
	size_t base_len; /* bytes of the base image at the start of img */
	uint8_t *next;   /* owned: scratch for the next record or base image */
	size_t next_cap;
	struct eum_dirty dirty;
	uint8_t *mem; /* owned: the verify mode's memory backend of a memory-only card */
	size_t mem_len, mem_cap;
	unsigned long commits;       /* commits that wrote (statistics) */
	unsigned long bytes_written; /* bytes handed to the storage (statistics, benchmarks) */
};

/* Set up storage from the configuration and load the stored image into
 * card->ps if there is one (*loaded = 1). */
int eum_store_open(struct eum_card *card, const eum_config *cfg, int *loaded);
/* After an APDU: write what it changed. While an APDU is being processed
 * (card->txn_depth > 0) the commit is deferred to its end, so one APDU is
 * one transaction. On a storage failure the card's persistent state is rolled
 * back to what is stored and EUM_ERR_STORAGE is returned (the APDU then
 * answers 6581). */
int eum_store_commit(struct eum_card *card);
/* Write the state now, even inside an APDU: for the security counters that must be stored before
 * the response depending on them leaves (SCP80 CNTR, SCP03t sequence counter, PIN try counters).
 * On failure the state is rolled back as above, EUM_ERR_STORAGE is returned, and the APDU in
 * progress answers 6581 without any output (card->txn_failed). */
int eum_store_commit_now(struct eum_card *card);
void eum_store_close(struct eum_store *st);

/* ---- marking what changed (one call per change of persistent state) ------- */

/* A platform section (EUM_PS_ECASD .. EUM_PS_ES5). */
void eum_store_dirty(struct eum_card *card, enum eum_ps sec);
/* A section of ISD-P slot (EUM_PS_ISDP .. EUM_PS_MNOSD); EUM_PS_SLOT_ALL
 * bits via eum_store_dirty_slot for a slot created, filled or deleted. */
void eum_store_dirty_isdp(struct eum_card *card, unsigned slot, enum eum_ps sec);
void eum_store_dirty_slot(struct eum_card *card, unsigned slot);
/* A section of the ISD-P holding profile prof (the enabled one: card->prof);
 * nothing for the card's empty placeholder profile. */
void eum_store_dirty_prof(struct eum_card *card, const struct eum_profile *prof, enum eum_ps sec);
/* One file of prof's file system (content, life cycle, cyclic head). */
void eum_store_dirty_file(struct eum_card *card, const struct eum_profile *prof, int32_t idx);
/* Everything (manufacture, a whole-state rollback). */
void eum_store_dirty_all(struct eum_card *card);
/* The administrative state: the ISD-R (keys, counters), its ES5 state and every ISD-P's header — what
 * an SGP.02 ES5/ES8 STORE DATA may change besides a profile's content (a new profile marks its slot,
 * gp/lifecycle.c marks created and deleted slots). */
void eum_store_dirty_admin(struct eum_card *card);

/* Test hook (fault injection): the file backend stops — as at a power cut —
 * at its n-th primitive operation (a write of up to 512 bytes, an fsync, the
 * rename, the directory fsync) from now; 0 disables. Returns the operations
 * done since the last call. */
long eum_store_file_fault(struct eum_card *card, long n);

#endif
