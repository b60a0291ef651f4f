/*
 * Persistent fields of the file system (ETSI TS 102 221 §8: files and their
 * FCP-derived attributes) and of the PINs/PUKs (§9), for the state image
 * (src/store/ptable.h). A file's body follows its table in the image.
 */
#include <stddef.h>

#include "fs/fs.h"
#include "fs/pin.h"
#include "store/psections.h"

/* the PIN's flags byte: b1 enabled, b2 DISABLE/ENABLE allowed (bit-fields of struct eum_pin) */
static uint64_t pin_flags_get(const void *obj)
{
	const struct eum_pin *p = obj;

	return (uint64_t)(p->enabled | p->can_disable << 1);
}

static void pin_flags_set(void *obj, uint64_t v)
{
	struct eum_pin *p = obj;

	p->enabled = v & 1;
	p->can_disable = v >> 1 & 1;
}

/* clang-format off */
static const struct eum_pfield file_fields[] = {
	EUM_PF_INT(struct eum_file, parent, EUM_PF_I32, (uint64_t)-1, INT32_MAX), /* -1: the MF only (loader) */
	EUM_PF_U16R(struct eum_file, fid, 0, 0xFFFF),
	EUM_PF_U8R(struct eum_file, type, 0, EUM_FT_NUM - 1),
	EUM_PF_U8R(struct eum_file, sfi, 0, 30),
	EUM_PF_U8A(struct eum_file, lcs),
	EUM_PF_U8R(struct eum_file, shareable, 0, 1),
	EUM_PF_VAR8F(struct eum_file, aid, aid_len, 0, EUM_PF_HEX),
	EUM_PF_VAR8F(struct eum_file, sec, sec_len, 0, EUM_PF_HEX),
	EUM_PF_U16R(struct eum_file, rec_len, 0, 0xFFFF),
	EUM_PF_U16R(struct eum_file, nrec, 0, 0xFFFF),
	EUM_PF_U16R(struct eum_file, cyc_head, 0, 0xFFFF),
	EUM_PF_U32R(struct eum_file, size, 0, 1u << 20),
};

static const struct eum_pfield pin_fields[] = {
	EUM_PF_U8R(struct eum_pin, in_use, 0, 1),
	EUM_PF_U8A(struct eum_pin, ref),
	EUM_PF_U8R(struct eum_pin, max_tries, 0, 15),
	EUM_PF_U8R(struct eum_pin, tries_left, 0, 15),
	EUM_PF_ACCESSOR("flags", EUM_PF_U8, 0, 3, pin_flags_get, pin_flags_set),
	EUM_PF_U8A(struct eum_pin, unblock_ref),
	EUM_PF_BYTESF(struct eum_pin, value, EUM_PF_SECRET),
};
/* clang-format on */

static const char *file_check(const void *obj)
{
	const struct eum_file *f = obj;

	if (EUM_FT_IS_RECORD(f->type) &&
	    (!f->rec_len || !f->nrec || f->cyc_head >= f->nrec || (uint32_t)f->rec_len * f->nrec != f->size))
		return "record structure inconsistent";
	return NULL;
}

static const char *pin_check(const void *obj)
{
	const struct eum_pin *p = obj;

	if (!p->in_use)
		return NULL;
	if (p->max_tries < 1 || p->tries_left > p->max_tries)
		return "try counter out of range";
	return NULL;
}

const struct eum_ptable eum_pt_file = EUM_PT("file", file_fields, file_check);
static const struct eum_ptable pt_pin = EUM_PT("PIN", pin_fields, pin_check);

static const struct eum_pfield pins_fields[] = {
        EUM_PF_ARRAY(struct eum_pin_store, pins, struct eum_pin, pt_pin),
        EUM_PF_ARRAY(struct eum_pin_store, puks, struct eum_pin, pt_pin),
};
const struct eum_ptable eum_pt_pins = EUM_PT("PINs", pins_fields, NULL);
