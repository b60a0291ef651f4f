/*
 * The UICC file system model (ETSI TS 102 221 §8): MF, DFs, ADFs and EFs
 * (transparent, linear fixed, cyclic, BER-TLV) held as a flat array with
 * parent indices, so a profile's whole file system is plain data that the
 * persistence layer can serialise and the profile installer can fill.
 */
#ifndef EUM_FS_FS_H
#define EUM_FS_FS_H

#include <stddef.h>
#include <stdint.h>

enum eum_file_type {
	EUM_FT_MF,
	EUM_FT_DF,
	EUM_FT_ADF,
	EUM_FT_EF_TRANSPARENT,
	EUM_FT_EF_LINEAR_FIXED,
	EUM_FT_EF_CYCLIC,
	EUM_FT_EF_BER_TLV,
	EUM_FT_NUM
};

extern const char *const eum_file_type_names[EUM_FT_NUM];

#define EUM_FT_IS_DF(t)     ((t) == EUM_FT_MF || (t) == EUM_FT_DF || (t) == EUM_FT_ADF)
#define EUM_FT_IS_RECORD(t) ((t) == EUM_FT_EF_LINEAR_FIXED || (t) == EUM_FT_EF_CYCLIC)

/* Life cycle status integer, TS 102 221 §11.1.1.4.9 (tag 8A). */
#define EUM_LCS_CREATION                0x01
#define EUM_LCS_INITIALISATION          0x03
#define EUM_LCS_OPERATIONAL_DEACTIVATED 0x04
#define EUM_LCS_OPERATIONAL_ACTIVATED   0x05
#define EUM_LCS_TERMINATED              0x0C

#define EUM_FID_MF          0x3F00
#define EUM_FID_CURRENT_ADF 0x7FFF
#define EUM_FID_EF_DIR      0x2F00
#define EUM_FID_EF_ARR_MF   0x2F06
#define EUM_FID_EF_ARR_DF   0x6F06

#define EUM_AID_MAX      16
#define EUM_SEC_ATTR_MAX 64

struct eum_file {
	int32_t parent; /* index of the parent DF; -1 for the MF */
	uint16_t fid;
	uint8_t type;      /* enum eum_file_type */
	uint8_t sfi;       /* short file identifier 1..30; 0 = none */
	uint8_t lcs;       /* EUM_LCS_* */
	uint8_t shareable; /* FDB b7 */
	uint8_t aid_len;   /* ADF only */
	uint8_t sec_len;   /* length of sec[] */
	uint8_t aid[EUM_AID_MAX];
	uint8_t sec[EUM_SEC_ATTR_MAX]; /* security attributes as a TLV: 8B (referenced), 8C (compact) or AB (expanded)
	                                */
	uint16_t rec_len;              /* record EFs */
	uint16_t nrec;                 /* record EFs */
	uint16_t cyc_head;             /* cyclic EF: index of record number 1 (the most recent) */
	uint8_t shared;                /* data is the pool's body (read-only): copied before the first write */
	uint32_t size;                 /* EF body size (records: rec_len * nrec); DF: reserved size for 81 */
	uint8_t *data;                 /* EF body; owned by the file system (malloc), or the pool's when shared */
};

/*
 * An immutable file system shared read-only by the cards created from the same profile package
 * (profile/bootstrap.c), so that a card holds only what it changed. Refcounted; its files and
 * bodies live in one read-only mapping (a write that skipped eum_fs_file_w / eum_fs_body_w faults
 * instead of changing another card's files). Thread-safe: references are atomic.
 */
struct eum_fs_pool;

struct eum_fs {
	struct eum_file *files; /* files[0] is the MF; owned, or the pool's (read-only) while cap == 0 */
	size_t n;
	size_t cap;               /* 0 while files is the pool's array */
	struct eum_fs_pool *pool; /* one reference while any file (or the array) is the pool's; else NULL */
};

/* Selection state of one logical channel (TS 102 221 §8.2): indices into fs->files, -1 = none. */
struct eum_fs_sel {
	int32_t df;  /* current DF (MF, DF or ADF) */
	int32_t ef;  /* current EF */
	int32_t adf; /* current application (ADF) */
	int32_t rec; /* current record number (1-based) of the current EF; 0 = none */
};

void eum_fs_init(struct eum_fs *fs);
/* Free every file body (wiped: EFs may hold keys) and the array. */
void eum_fs_free(struct eum_fs *fs);
/* Deep copy, for transactions. Returns EUM_OK or EUM_ERR_NO_MEMORY. */
int eum_fs_clone(struct eum_fs *dst, const struct eum_fs *src);

/* Copy-on-write: a pool made of src's files (src unchanged), one reference for the caller. gone (may be
 * NULL) is called with ctx when the last reference goes, before the pool is freed. */
int eum_fs_pool_new(struct eum_fs_pool **out, const struct eum_fs *src, void (*gone)(void *ctx, struct eum_fs_pool *p),
                    void *ctx);
/* Take a reference unless the pool is already going (its count reached 0): 1 = taken. */
int eum_fs_pool_tryref(struct eum_fs_pool *p);
void eum_fs_pool_unref(struct eum_fs_pool *p);
/* Make an empty fs a view of the pool; takes over one reference held by the caller. */
void eum_fs_use_pool(struct eum_fs *fs, struct eum_fs_pool *p);
/* The file entry for writing (its array copied out of the pool first). NULL = out of memory. */
struct eum_file *eum_fs_file_w(struct eum_fs *fs, int32_t idx);
/* The file's body for writing (copied out of the pool first). NULL = out of memory or no body. */
uint8_t *eum_fs_body_w(struct eum_fs *fs, int32_t idx);

/* Add a file under parent (-1 only for the MF). The body is allocated and
 * filled with 0xFF (TS 102 222 default), then content (if any) copied in.
 * Returns the new index (>= 0) or a negative eum_err. */
int eum_fs_add(struct eum_fs *fs, int32_t parent, const struct eum_file *tmpl, const uint8_t *content,
               size_t content_len);

/* Child of DF with this FID, or -1. */
int32_t eum_fs_child(const struct eum_fs *fs, int32_t df, uint16_t fid);
/* EF child of DF with this SFI, or -1. */
int32_t eum_fs_child_sfi(const struct eum_fs *fs, int32_t df, uint8_t sfi);
/* ADF whose AID starts with aid[0..len) (right-truncated match), or -1. */
int32_t eum_fs_adf_by_aid(const struct eum_fs *fs, const uint8_t *aid, size_t len);
/* Resolve a path of FIDs (2 bytes each) from a DF; 3F00 at the start means
 * the MF. Returns the index or -1. */
int32_t eum_fs_walk(const struct eum_fs *fs, int32_t from, const uint8_t *path, size_t len);
/* Nearest DF containing the file (the file itself for DFs). */
int32_t eum_fs_df_of(const struct eum_fs *fs, int32_t idx);

/* Record i (1-based, as numbered for READ RECORD; cyclic order applied), for reading. NULL if out of range. */
const uint8_t *eum_fs_record(const struct eum_fs *fs, int32_t ef, uint16_t recno);
/* The same record for writing (copy-on-write). NULL if out of range or out of memory. */
uint8_t *eum_fs_record_w(struct eum_fs *fs, int32_t ef, uint16_t recno);
/* Cyclic EF: make the oldest record the new record 1 and return it for writing. NULL = out of memory
 * (nothing changed). */
uint8_t *eum_fs_cyclic_push(struct eum_fs *fs, int32_t ef);

#endif
