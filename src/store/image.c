/*
 * Card state image: the sections of every module's persistent table in
 * canonical order (base image), journal records of changed sections, and the
 * validated load of both (format in image.h).
 */
#include "store/image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "store/psections.h"
#include "store/store.h"

_Static_assert(EUM_MAX_ISDP <= EUM_STORE_SLOTS, "dirty bits per ISD-P slot");
_Static_assert(EUM_PS_NUM <= 32, "dirty bits fit a uint32_t");

static const uint8_t magic[8] = {'E', 'U', 'M', 'S', 'T', 'A', 'T', 'E'};
static const uint8_t jmagic[4] = {'E', 'U', 'M', 'J'};

#define MAX_FILES 4096
#define HDR_LEN   16 /* magic, version, reserved, payload length */

/* The sections of the image in canonical order: dirty bit, kind, table and
 * where its object is (platform: in ps; per slot: in the ISD-P or its profile). */
struct sec {
	uint8_t ps;   /* enum eum_ps */
	uint8_t kind; /* EUM_SEC_* */
	const struct eum_ptable *t;
};

/* clang-format off */
static const struct sec platform_secs[] = {
	{EUM_PS_ECASD,     EUM_SEC_ECASD,     &eum_pt_ecasd},
	{EUM_PS_ISDR,      EUM_SEC_ISDR,      &eum_pt_isdr},
	{EUM_PS_ISDR_CNTR, EUM_SEC_ISDR_CNTR, &eum_pt_isdr_cntr},
	{EUM_PS_ES5,       EUM_SEC_ES5,       &eum_pt_es5},
};
/* the profile's sections after its file system */
static const struct sec profile_secs[] = {
	{EUM_PS_PINS,      EUM_SEC_PINS,      &eum_pt_pins},
	{EUM_PS_AKA,       EUM_SEC_AKA,       &eum_pt_aka},
	{EUM_PS_SQN,       EUM_SEC_SQN,       &eum_pt_sqn},
	{EUM_PS_RFM,       EUM_SEC_RFM,       &eum_pt_rfm},
	{EUM_PS_OTA_KEYS,  EUM_SEC_OTA_KEYS,  &eum_pt_ota_keys},
	{EUM_PS_OTA_CNTR,  EUM_SEC_OTA_CNTR,  &eum_pt_ota_cntr},
	{EUM_PS_MNOSD,     EUM_SEC_MNOSD,     &eum_pt_mnosd},
};
/* clang-format on */
#define NPLAT (sizeof(platform_secs) / sizeof(platform_secs[0]))
#define NPROF (sizeof(profile_secs) / sizeof(profile_secs[0]))

static const void *plat_obj(const struct eum_pstate *ps, uint8_t kind)
{
	switch (kind) {
	case EUM_SEC_ECASD:
		return &ps->ecasd;
	case EUM_SEC_ES5:
		return &ps->isdr.es5;
	default:
		return &ps->isdr;
	}
}

static const void *prof_obj(const struct eum_profile *prof, uint8_t kind)
{
	switch (kind) {
	case EUM_SEC_PINS:
		return &prof->pins;
	case EUM_SEC_AKA:
		return &prof->aka;
	case EUM_SEC_SQN:
		return &prof->sqn;
	default:
		return prof; /* RFM, OTA, MNO-SD tables describe struct eum_profile members */
	}
}

/* ---- writing ------------------------------------------------------------- */

static size_t open_sec(struct eum_wb *w, uint8_t kind, uint8_t slot, uint16_t idx)
{
	eum_wb_u8(w, kind);
	eum_wb_u8(w, slot);
	eum_wb_u16(w, idx);
	eum_wb_u32(w, 0);
	return w->len;
}

static void close_sec(struct eum_wb *w, size_t mark)
{
	eum_wb_patch32(w, mark - 4, (uint32_t)(w->len - mark));
}

static void put_table(struct eum_wb *w, uint8_t kind, uint8_t slot, const struct eum_ptable *t, const void *obj)
{
	size_t m = open_sec(w, kind, slot, 0);
	eum_ptable_write(t, obj, w);
	close_sec(w, m);
}

static void put_file(struct eum_wb *w, uint8_t slot, const struct eum_fs *fs, size_t i)
{
	const struct eum_file *f = &fs->files[i];
	size_t m = open_sec(w, EUM_SEC_FILE, slot, (uint16_t)i);

	eum_ptable_write(&eum_pt_file, f, w);
	if (!EUM_FT_IS_DF(f->type))
		eum_wb_put(w, f->data, f->size);
	close_sec(w, m);
}

static void put_fs(struct eum_wb *w, uint8_t slot, const struct eum_fs *fs)
{
	size_t m = open_sec(w, EUM_SEC_FS, slot, 0), i;

	eum_wb_u32(w, (uint32_t)fs->n);
	close_sec(w, m);
	for (i = 0; i < fs->n; i++)
		put_file(w, slot, fs, i);
}

/* The sections of one slot that bits (and the single files of d) select. */
static void put_slot(struct eum_wb *w, const struct eum_pstate *ps, unsigned slot, uint32_t bits,
                     const struct eum_dirty *d)
{
	const struct eum_isdp *p = ps->isdp[slot];
	size_t k;

	/* in the journal, a slot deleted or rewritten whole first drops everything stored of it */
	if (d && (!p->in_use || (bits & EUM_PS_SLOT_ALL) == EUM_PS_SLOT_ALL)) {
		size_t m = open_sec(w, EUM_SEC_ISDP_FREE, (uint8_t)slot, 0);
		close_sec(w, m);
	}
	if (!p->in_use)
		return;
	if (bits & (1u << EUM_PS_ISDP))
		put_table(w, EUM_SEC_ISDP, (uint8_t)slot, &eum_pt_isdp, p);
	if (!p->has_profile)
		return;
	if (bits & (1u << EUM_PS_FS)) {
		put_fs(w, (uint8_t)slot, &p->prof.fs);
	} else if (d) {
		for (k = 0; k < d->nfiles; k++)
			if (d->files[k].slot == slot && d->files[k].idx < p->prof.fs.n)
				put_file(w, (uint8_t)slot, &p->prof.fs, d->files[k].idx);
	}
	for (k = 0; k < NPROF; k++)
		if (bits & (1u << profile_secs[k].ps))
			put_table(w, profile_secs[k].kind, (uint8_t)slot, profile_secs[k].t,
			          prof_obj(&p->prof, profile_secs[k].kind));
}

static int finish(struct eum_wb *w, uint8_t *buf, size_t cap, size_t *len)
{
	*len = w->len;
	if (!buf)
		return EUM_OK;
	return w->len > cap ? EUM_ERR_BUFFER_TOO_SMALL : EUM_OK;
}

int eum_image_write(const struct eum_pstate *ps, uint8_t *buf, size_t cap, size_t *len)
{
	struct eum_wb w = {buf, cap, 0};
	size_t i;

	eum_wb_put(&w, magic, sizeof(magic));
	eum_wb_u16(&w, EUM_IMAGE_VERSION);
	eum_wb_u16(&w, 0);
	eum_wb_u32(&w, 0);
	for (i = 0; i < NPLAT; i++)
		put_table(&w, platform_secs[i].kind, 0, platform_secs[i].t, plat_obj(ps, platform_secs[i].kind));
	for (i = 0; i < EUM_MAX_ISDP; i++)
		if (ps->isdp[i]->in_use)
			put_slot(&w, ps, (unsigned)i, EUM_PS_SLOT_ALL, NULL);
	eum_wb_patch32(&w, 12, (uint32_t)(w.len - HDR_LEN));
	if (w.p && w.len + 4 <= w.cap)
		eum_wb_patch32(&w, w.len, eum_crc32c(w.p, w.len));
	w.len += 4;
	return finish(&w, buf, cap, len);
}

int eum_image_journal(const struct eum_pstate *ps, const struct eum_dirty *d, uint8_t *buf, size_t cap, size_t *len)
{
	struct eum_wb w = {buf, cap, 0};
	size_t i, k;

	eum_wb_put(&w, jmagic, sizeof(jmagic));
	eum_wb_u32(&w, 0);
	for (i = 0; i < NPLAT; i++)
		if (d->plat & (1u << platform_secs[i].ps))
			put_table(&w, platform_secs[i].kind, 0, platform_secs[i].t,
			          plat_obj(ps, platform_secs[i].kind));
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		int files = 0;
		for (k = 0; k < d->nfiles; k++)
			files |= d->files[k].slot == i;
		if (d->slot[i] || files)
			put_slot(&w, ps, (unsigned)i, d->slot[i], d);
	}
	eum_wb_patch32(&w, 4, (uint32_t)(w.len - 8));
	if (w.p && w.len + 4 <= w.cap)
		eum_wb_patch32(&w, w.len, eum_crc32c(w.p, w.len));
	w.len += 4;
	return finish(&w, buf, cap, len);
}

/* ---- reading ------------------------------------------------------------- */

struct ent {
	uint32_t key; /* canonical position: group (0 platform, 1 + slot), rank, index */
	uint32_t seq; /* 0: base image, n: n-th journal record */
	uint8_t kind, slot;
	uint16_t idx;
	const uint8_t *p;
	uint32_t len;
};

struct loader {
	struct ent *e;
	size_t n, cap;
	char *why;
	size_t whycap;
};

static int refuse(struct loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(struct loader *L, const char *fmt, ...)
{
	va_list ap;

	if (L->why && L->whycap) {
		va_start(ap, fmt);
		vsnprintf(L->why, L->whycap, fmt, ap);
		va_end(ap);
	}
	return EUM_ERR_CORRUPT;
}

/* rank of a kind inside its group; -1 = unknown kind */
static int rank(uint8_t kind, int *per_slot)
{
	static const uint8_t order[] = {EUM_SEC_ECASD, EUM_SEC_ISDR, EUM_SEC_ISDR_CNTR, EUM_SEC_ES5};
	static const uint8_t slot_order[] = {EUM_SEC_ISDP_FREE, EUM_SEC_ISDP,     EUM_SEC_FS,   EUM_SEC_FILE,
	                                     EUM_SEC_PINS,      EUM_SEC_AKA,      EUM_SEC_SQN,  EUM_SEC_RFM,
	                                     EUM_SEC_OTA_KEYS,  EUM_SEC_OTA_CNTR, EUM_SEC_MNOSD};
	size_t i;

	for (i = 0; i < sizeof(order); i++)
		if (order[i] == kind) {
			*per_slot = 0;
			return (int)i;
		}
	for (i = 0; i < sizeof(slot_order); i++)
		if (slot_order[i] == kind) {
			*per_slot = 1;
			return (int)i;
		}
	return -1;
}

/* Collect the sections of one payload. */
static int collect(struct loader *L, const uint8_t *p, size_t len, uint32_t seq)
{
	struct eum_rb r = {p, len, 0};

	while (r.left) {
		struct ent e;
		int per_slot, rk;
		e.kind = eum_rb_u8(&r);
		e.slot = eum_rb_u8(&r);
		e.idx = eum_rb_u16(&r);
		e.len = eum_rb_u32(&r);
		if (r.bad || e.len > r.left)
			return refuse(L, "section 0x%02X truncated", e.kind);
		rk = rank(e.kind, &per_slot);
		if (rk < 0)
			return refuse(L, "unknown section 0x%02X (image from another build?)", e.kind);
		if (per_slot ? e.slot >= EUM_MAX_ISDP : e.slot != 0)
			return refuse(L, "section 0x%02X: ISD-P slot %u out of range", e.kind, e.slot);
		if (e.kind != EUM_SEC_FILE && e.idx)
			return refuse(L, "section 0x%02X: index %u on a section without one", e.kind, e.idx);
		if (e.kind == EUM_SEC_ISDP_FREE && (!seq || e.len))
			return refuse(L, "ISD-P deletion record outside the journal or not empty");
		e.key = (uint32_t)(per_slot ? 1u + e.slot : 0u) << 24 | (uint32_t)rk << 16 | e.idx;
		e.seq = seq;
		e.p = r.p;
		eum_rb_take(&r, NULL, e.len);
		if (!seq && L->n && L->e[L->n - 1].key >= e.key)
			return refuse(L, "base image not in canonical order at section 0x%02X", e.kind);
		if (L->n == L->cap) {
			size_t nc = L->cap ? L->cap * 2 : 256;
			struct ent *ne = realloc(L->e, nc * sizeof(*ne));
			if (!ne)
				return EUM_ERR_NO_MEMORY;
			L->e = ne;
			L->cap = nc;
		}
		L->e[L->n++] = e;
	}
	return EUM_OK;
}

static int by_key_seq(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Keep the latest section of each key, minus what a later deletion of its slot drops. */
static void reduce(struct loader *L)
{
	uint32_t freed[EUM_STORE_SLOTS] = {0};
	size_t i, o = 0;

	for (i = 0; i < L->n; i++)
		if (L->e[i].kind == EUM_SEC_ISDP_FREE && L->e[i].seq > freed[L->e[i].slot])
			freed[L->e[i].slot] = L->e[i].seq;
	if (L->n > 1) /* an image without sections has no array at all (qsort's base must not be NULL) */
		qsort(L->e, L->n, sizeof(*L->e), by_key_seq);
	for (i = 0; i < L->n; i++) {
		const struct ent *e = &L->e[i];
		if (i + 1 < L->n && L->e[i + 1].key == e->key)
			continue; /* replaced by a later one */
		if (e->kind == EUM_SEC_ISDP_FREE || (e->key >> 24 && e->seq < freed[e->slot]))
			continue;
		L->e[o++] = *e;
	}
	L->n = o;
}

static int parse_table(struct loader *L, const struct ent *e, const struct eum_ptable *t, void *obj, int slot)
{
	struct eum_rb r = {e->p, e->len, 0};
	char sub[160];

	if (eum_ptable_read(t, obj, &r, sub, sizeof(sub)))
		return slot < 0 ? refuse(L, "%s", sub) : refuse(L, "ISD-P slot %d: %s", slot, sub);
	if (r.left)
		return refuse(L, "%s section has %zu trailing bytes", t->name, r.left);
	return EUM_OK;
}

static int parse_file(struct loader *L, const struct ent *e, struct eum_fs *fs)
{
	struct eum_rb r = {e->p, e->len, 0};
	struct eum_file f;
	char sub[160];
	size_t body;
	int rc;

	if (e->idx != fs->n)
		return refuse(L, "ISD-P slot %u: file %zu missing", e->slot, fs->n);
	memset(&f, 0, sizeof(f));
	if (eum_ptable_read(&eum_pt_file, &f, &r, sub, sizeof(sub)))
		return refuse(L, "ISD-P slot %u: file %u: %s", e->slot, e->idx, sub);
	body = EUM_FT_IS_DF(f.type) ? 0 : f.size;
	if (r.left != body)
		return refuse(L, "ISD-P slot %u: file %u: body of %zu bytes, %zu expected", e->slot, e->idx, r.left,
		              body);
	/* the card walks these links: the MF first with parent -1 exactly, every
	 * other file under an earlier DF */
	if ((e->idx == 0) != (f.type == EUM_FT_MF) || (e->idx == 0) != (f.parent == -1))
		return refuse(L, "ISD-P slot %u: file %u: type %u with parent %d (only file 0 is the MF, parent -1)",
		              e->slot, e->idx, f.type, (int)f.parent);
	if (e->idx && (f.parent >= (int32_t)e->idx || !EUM_FT_IS_DF(fs->files[f.parent].type)))
		return refuse(L, "ISD-P slot %u: file %u: parent %d is not an earlier DF", e->slot, e->idx,
		              (int)f.parent);
	rc = eum_fs_add(fs, f.parent, &f, r.p, body);
	if (rc < 0)
		return refuse(L, "ISD-P slot %u: file %u: %s", e->slot, e->idx, eum_strerror(rc));
	fs->files[rc].cyc_head = f.cyc_head;
	return EUM_OK;
}

static int slot_ok(const struct eum_pstate *ps, uint8_t slot, int none_ok)
{
	if (slot == EUM_ES5_NO_SLOT)
		return none_ok;
	return slot < EUM_MAX_ISDP && ps->isdp[slot]->in_use;
}

/* The invariants the card relies on once the state is loaded. */
static int check_state(struct loader *L, const struct eum_pstate *ps)
{
	const struct eum_es5_pstate *e = &ps->isdr.es5;
	unsigned enabled = 0, fallback = 0, used = 0;
	size_t i, k;

	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = ps->isdp[i];
		if (!p->in_use)
			continue;
		used++;
		enabled += p->lcs == EUM_ISDP_ENABLED;
		fallback += p->fallback;
		if (p->fallback && !p->has_profile)
			return refuse(L, "ISD-P slot %zu has the fall-back attribute but no profile", i);
	}
	if (!used)
		return refuse(L, "image holds no ISD-P");
	if (enabled != 1)
		return refuse(L, "%u profiles ENABLED (exactly one must be)", enabled);
	if (fallback > 1)
		return refuse(L, "%u ISD-Ps with the fall-back attribute", fallback);
	if (e->sw_phase && (!slot_ok(ps, e->sw_target, 0) || !slot_ok(ps, e->sw_prev, 1)))
		return refuse(L, "ISD-R ES5 state: the switch in progress names an ISD-P that does not exist");
	for (i = 0; i < EUM_ES5_NOTIF_MAX && e->notif[i].type; i++) {
		if (!slot_ok(ps, e->notif[i].rollback, 1))
			return refuse(L, "ISD-R ES5 state: notification %zu names an ISD-P that does not exist", i);
		for (k = 0; k < EUM_MAX_ISDP; k++)
			if ((e->notif[i].followup >> k & 1) && !ps->isdp[k]->in_use)
				return refuse(L, "ISD-R ES5 state: notification %zu names an ISD-P that does not exist",
				              i);
	}
	return EUM_OK;
}

/* Build ps from the reduced, canonically ordered sections. */
static int build(struct loader *L, struct eum_pstate *ps)
{
	uint32_t seen_plat = 0, seen[EUM_STORE_SLOTS] = {0}, count[EUM_STORE_SLOTS] = {0};
	size_t i, k;
	int rc;

	for (i = 0; i < L->n; i++) {
		const struct ent *e = &L->e[i];
		struct eum_isdp *p = ps->isdp[e->slot];
		if (!(e->key >> 24)) {
			for (k = 0; k < NPLAT && platform_secs[k].kind != e->kind; k++)
				;
			rc = parse_table(L, e, platform_secs[k].t, (void *)plat_obj(ps, e->kind), -1);
			if (rc)
				return rc;
			seen_plat |= 1u << platform_secs[k].ps;
			continue;
		}
		if (e->kind == EUM_SEC_ISDP) {
			p = eum_pstate_slot(ps, e->slot); /* a slot exists once its header is read (gp/domains.h) */
			if (!p)
				return EUM_ERR_NO_MEMORY;
			rc = parse_table(L, e, &eum_pt_isdp, p, e->slot);
			if (rc)
				return rc;
			p->in_use = 1;
			seen[e->slot] |= 1u << EUM_PS_ISDP;
			continue;
		}
		if (!p->in_use)
			return refuse(L, "section 0x%02X of ISD-P slot %u, which does not exist", e->kind, e->slot);
		if (!p->has_profile) {
			if (!e->seq)
				return refuse(L, "section 0x%02X of ISD-P slot %u, which holds no profile", e->kind,
				              e->slot);
			continue; /* left from a profile the journal removed */
		}
		if (e->kind == EUM_SEC_FS) {
			struct eum_rb r = {e->p, e->len, 0};
			count[e->slot] = eum_rb_u32(&r);
			if (r.bad || r.left || count[e->slot] == 0 || count[e->slot] > MAX_FILES)
				return refuse(L, "ISD-P slot %u: file count invalid", e->slot);
			eum_fs_init(&p->prof.fs);
			seen[e->slot] |= 1u << EUM_PS_FS;
			continue;
		}
		if (e->kind == EUM_SEC_FILE) {
			if (!(seen[e->slot] & (1u << EUM_PS_FS)))
				return refuse(L, "ISD-P slot %u: file without a file system", e->slot);
			if (e->idx >= count[e->slot]) {
				if (!e->seq)
					return refuse(L, "ISD-P slot %u: file %u past the file count", e->slot, e->idx);
				continue;
			}
			rc = parse_file(L, e, &p->prof.fs);
			if (rc)
				return rc;
			continue;
		}
		for (k = 0; k < NPROF && profile_secs[k].kind != e->kind; k++)
			;
		rc = parse_table(L, e, profile_secs[k].t, (void *)prof_obj(&p->prof, e->kind), e->slot);
		if (rc)
			return rc;
		seen[e->slot] |= 1u << profile_secs[k].ps;
	}
	if (seen_plat != EUM_PS_PLATFORM)
		return refuse(L, "a platform section is missing");
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = ps->isdp[i];
		if (!p->in_use && seen[i])
			return refuse(L, "ISD-P slot %zu has sections but no header", i);
		if (p->in_use && p->has_profile && (seen[i] != EUM_PS_SLOT_ALL || p->prof.fs.n != count[i]))
			return refuse(L, "ISD-P slot %zu: its profile is incomplete (a section or file is missing)", i);
	}
	return check_state(L, ps);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int eum_image_load(struct eum_pstate *ps, const uint8_t *img, size_t len, struct eum_image_info *info, char *why,
                   size_t whycap)
{
	struct loader L = {NULL, 0, 0, why, whycap};
	struct eum_image_info inf;
	uint32_t payload, seq = 0;
	size_t off;
	int rc;

	eum_pstate_init(ps);
	memset(&inf, 0, sizeof(inf));
	if (len < HDR_LEN + 4 || memcmp(img, magic, sizeof(magic)) != 0) {
		rc = refuse(&L, "not an eum state image (magic)");
		goto out;
	}
	inf.version = (unsigned)img[8] << 8 | img[9];
	if (inf.version < EUM_IMAGE_MIN_VERSION || inf.version > EUM_IMAGE_VERSION) {
		rc = refuse(&L, "image format version %u is %s; this build reads version %u", inf.version,
		            inf.version > EUM_IMAGE_VERSION ? "newer" : "older", EUM_IMAGE_VERSION);
		goto out;
	}
	if (img[10] || img[11]) {
		rc = refuse(&L, "reserved header field is not zero");
		goto out;
	}
	payload = be32(img + 12);
	if (payload > len - HDR_LEN - 4) {
		rc = refuse(&L, "image length %zu too short for the header's %u payload bytes", len, payload);
		goto out;
	}
	inf.base_len = HDR_LEN + (size_t)payload + 4;
	if (be32(img + inf.base_len - 4) != eum_crc32c(img, inf.base_len - 4)) {
		rc = refuse(&L, "integrity check (CRC-32C) of the base image failed");
		goto out;
	}
	rc = collect(&L, img + HDR_LEN, payload, 0);
	if (rc)
		goto out;
	/* the journal: records up to the first one that is not intact */
	for (off = inf.base_len; off < len; off += 12 + (size_t)be32(img + off + 4)) {
		if (len - off < 12 || memcmp(img + off, jmagic, 4) != 0 || be32(img + off + 4) > len - off - 12 ||
		    be32(img + off + 8 + be32(img + off + 4)) != eum_crc32c(img + off, 8 + (size_t)be32(img + off + 4)))
			break;
		rc = collect(&L, img + off + 8, be32(img + off + 4), ++seq);
		if (rc)
			goto out;
	}
	inf.valid_len = off;
	inf.records = seq;
	inf.torn = off < len;
	reduce(&L);
	rc = build(&L, ps);
out:
	free(L.e);
	if (rc)
		eum_pstate_free(ps);
	if (info)
		*info = inf;
	return rc;
}

int eum_image_read(struct eum_pstate *ps, const uint8_t *img, size_t len, char *why, size_t whycap)
{
	return eum_image_load(ps, img, len, NULL, why, whycap);
}

int eum_image_diff(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, char *out, size_t cap)
{
	size_t oa = HDR_LEN, ob = HDR_LEN;

	while (oa + 8 <= alen - 4 && ob + 8 <= blen - 4) {
		size_t la = be32(a + oa + 4), lb = be32(b + ob + 4);
		if (la != lb || memcmp(a + oa, b + ob, 8 + la) != 0) {
			snprintf(out, cap,
			         "section 0x%02X slot %u index %u (%zu bytes) vs 0x%02X slot %u index %u (%zu bytes)",
			         a[oa], a[oa + 1], (unsigned)(a[oa + 2] << 8 | a[oa + 3]), la, b[ob], b[ob + 1],
			         (unsigned)(b[ob + 2] << 8 | b[ob + 3]), lb);
			return 1;
		}
		oa += 8 + la;
		ob += 8 + lb;
	}
	snprintf(out, cap, "%s", alen == blen ? "no section differs" : "one image has more sections");
	return alen != blen;
}
