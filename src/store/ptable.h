/*
 * Persistent field tables: each module describes its persistent state once,
 * as a table of fields (name, offset in its struct, kind and size, valid
 * range, the format version that introduced it). One engine walks a table to
 * serialise, to parse and validate, and to describe (eum info) the state, so
 * a new persistent field is one line in its module's table.
 *
 * Encoding of a table (all integers big-endian): its fields in table order;
 * BYTES as they are; VAR8/VAR16 as a u8/u16 length then that many bytes;
 * TABLE fields as their elements one after the other.
 */
#ifndef EUM_STORE_PTABLE_H
#define EUM_STORE_PTABLE_H

#include <stddef.h>
#include <stdint.h>

enum eum_pf_kind {
	EUM_PF_U8,
	EUM_PF_U16,
	EUM_PF_U32,
	EUM_PF_U64,
	EUM_PF_I32,   /* signed 32-bit (file parent: -1 for the MF) */
	EUM_PF_BYTES, /* fixed-size byte array */
	EUM_PF_VAR8,  /* byte array of capacity size whose length is the uint8_t at len_off */
	EUM_PF_VAR16, /* idem, uint16_t length */
	EUM_PF_TABLE, /* array of size elements described by sub, stride bytes apart */
	EUM_PF_KIND_NUM
};

#define EUM_PF_SECRET 0x01 /* a key or PIN value: eum info shows its size only */
#define EUM_PF_HEX    0x02 /* eum info shows the bytes in hex (identifiers: AIDs, TARs, EID) */

/* Format version that introduced the tables (store/image.h: EUM_IMAGE_VERSION). */
#define EUM_PF_V3 3

struct eum_ptable;

struct eum_pfield {
	const char *name;
	uint32_t off;                 /* offsetof() in the described struct */
	uint8_t kind;                 /* enum eum_pf_kind */
	uint8_t flags;                /* EUM_PF_SECRET, EUM_PF_HEX */
	uint8_t since;                /* format version that introduced the field */
	uint32_t size;                /* BYTES: length; VAR8/VAR16: capacity; TABLE: element count */
	uint32_t len_off;             /* VAR8/VAR16: offsetof() of the length member */
	uint64_t min, max;            /* integers: valid range, inclusive; VAR: min/max length (max <= size) */
	const struct eum_ptable *sub; /* TABLE: element table */
	uint32_t stride;              /* TABLE: sizeof(element) */
	/* integers: accessors instead of off, for a value that is not one member (bit-fields) */
	uint64_t (*get)(const void *obj);
	void (*set)(void *obj, uint64_t v);
};

struct eum_ptable {
	const char *name;
	const struct eum_pfield *f;
	size_t n;
	/* Cross-field rule checked after parsing, NULL if none: returns NULL when
	 * obj is valid, else what is wrong (a static string). */
	const char *(*check)(const void *obj);
};

#define EUM_PT(name_, fields_, check_)                                                                                 \
	{                                                                                                              \
		name_, fields_, sizeof(fields_) / sizeof((fields_)[0]), check_                                         \
	}

#define EUM_PF_MEMBER_SIZE(T, m) sizeof(((T *)0)->m)
/* clang-format off */
/* integer fields with their valid range */
#define EUM_PF_INT(T, m, kind_, lo, hi) \
	{.name = #m, .off = offsetof(T, m), .kind = kind_, .since = EUM_PF_V3, .min = lo, .max = hi}
#define EUM_PF_U8R(T, m, lo, hi)  EUM_PF_INT(T, m, EUM_PF_U8, lo, hi)
#define EUM_PF_U8A(T, m)          EUM_PF_INT(T, m, EUM_PF_U8, 0, 0xFF)
#define EUM_PF_U16R(T, m, lo, hi) EUM_PF_INT(T, m, EUM_PF_U16, lo, hi)
#define EUM_PF_U32R(T, m, lo, hi) EUM_PF_INT(T, m, EUM_PF_U32, lo, hi)
#define EUM_PF_U64A(T, m)         EUM_PF_INT(T, m, EUM_PF_U64, 0, UINT64_MAX)
/* an integer computed by get / stored by set (name_ is what eum info calls it) */
#define EUM_PF_ACCESSOR(name_, kind_, lo, hi, get_, set_) \
	{.name = name_, .kind = kind_, .since = EUM_PF_V3, .min = lo, .max = hi, .get = get_, .set = set_}
/* byte arrays (flags: EUM_PF_SECRET / EUM_PF_HEX / 0) */
#define EUM_PF_BYTESF(T, m, flags_) \
	{.name = #m, .off = offsetof(T, m), .kind = EUM_PF_BYTES, .flags = flags_, .since = EUM_PF_V3, \
	 .size = EUM_PF_MEMBER_SIZE(T, m)}
#define EUM_PF_VARF(T, m, lenm, kind_, lo, flags_) \
	{.name = #m, .off = offsetof(T, m), .kind = kind_, .flags = flags_, .since = EUM_PF_V3, \
	 .size = EUM_PF_MEMBER_SIZE(T, m), .len_off = offsetof(T, lenm), .min = lo, .max = EUM_PF_MEMBER_SIZE(T, m)}
#define EUM_PF_VAR8F(T, m, lenm, lo, flags_)  EUM_PF_VARF(T, m, lenm, EUM_PF_VAR8, lo, flags_)
#define EUM_PF_VAR16F(T, m, lenm, lo, flags_) EUM_PF_VARF(T, m, lenm, EUM_PF_VAR16, lo, flags_)
/* n structs described by table sub_, starting at member m */
#define EUM_PF_TABLEN(T, m, ET, n_, sub_) \
	{.name = #m, .off = offsetof(T, m), .kind = EUM_PF_TABLE, .since = EUM_PF_V3, .size = n_, .sub = &(sub_), \
	 .stride = sizeof(ET)}
/* an array of structs described by table sub_ */
#define EUM_PF_ARRAY(T, m, ET, sub_) EUM_PF_TABLEN(T, m, ET, EUM_PF_MEMBER_SIZE(T, m) / sizeof(ET), sub_)
/* clang-format on */

/* ---- byte writer / bounded reader ---------------------------------------- */

/* Writer: with p == NULL it only counts (len is the size needed). */
struct eum_wb {
	uint8_t *p;
	size_t cap, len;
};

void eum_wb_put(struct eum_wb *w, const void *d, size_t n);
void eum_wb_u8(struct eum_wb *w, uint8_t v);
void eum_wb_u16(struct eum_wb *w, uint16_t v);
void eum_wb_u32(struct eum_wb *w, uint32_t v);
void eum_wb_u64(struct eum_wb *w, uint64_t v);
void eum_wb_patch32(struct eum_wb *w, size_t at, uint32_t v);

/* Reader: any read past the end sets bad and yields zeros. */
struct eum_rb {
	const uint8_t *p;
	size_t left;
	int bad;
};

void eum_rb_take(struct eum_rb *r, void *out, size_t n);
uint8_t eum_rb_u8(struct eum_rb *r);
uint16_t eum_rb_u16(struct eum_rb *r);
uint32_t eum_rb_u32(struct eum_rb *r);
uint64_t eum_rb_u64(struct eum_rb *r);

/* ---- the engine ----------------------------------------------------------- */

/* Serialise obj as table t describes it. */
void eum_ptable_write(const struct eum_ptable *t, const void *obj, struct eum_wb *w);
/* Parse and validate obj (fields not in the input keep their value); 0 when
 * valid, else -1 with why naming the table, field and reason. */
int eum_ptable_read(const struct eum_ptable *t, void *obj, struct eum_rb *r, char *why, size_t whycap);
/* Append a description of obj (never secrets) to text: one "name value" per
 * field, nested tables as name[i].field, all-zero array elements left out. */
void eum_ptable_describe(const struct eum_ptable *t, const void *obj, const char *prefix, char *text, size_t cap,
                         size_t *len);

#endif
