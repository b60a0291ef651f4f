/*
 * Unit test: TCA eUICC Profile Package installer (src/profile/saip_install.c; PE_Definitions 3.3.1,
 * spec digest profile-package.md).
 *
 * Data: tests/data/ts48/ holds the GSMA TS.48 test profiles (DER) and their summaries decoded by osmocom
 * pySim (.json). Each package is installed into an empty profile and every item of the summary is looked
 * up in the result: ICCID, IMSI, every file (path, FID, SFI, type, size, records, EF.ARR reference,
 * content), PIN/PUK values, key references and retry counters, AKA parameters, security-domain keys, RFM
 * instances. Damaged packages (truncated, reordered, duplicated PEs, bit flips) must be refused with a
 * PE status and leave the caller's profile as it was (run under -DEUM_SANITIZE=ON for leaks).
 *
 * Where the pySim summary and the card legitimately differ, the difference is listed in summary_quirks[]
 * with its cause; everything else must match byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ProfileElement.h"
#include "profile/bootstrap.h"
#include "profile/saip_install.h"
#include "profile/saip_templates.h"

static const char *const packages[] = {
        "TS48V1-A-UNIQUE",
        "TS48V2-SAIP2-3-NOBERTLV-UNIQUE",
        "TS48V4-SAIP2-1B-NOBERTLV-UNIQUE",
};
#define N_PACKAGES (sizeof(packages) / sizeof(packages[0]))

/* ---- a minimal JSON reader (the summaries only) --------------------------------------------- */

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	int t;
	long n;
	char *s;         /* J_STR */
	struct jv *kids; /* J_ARR / J_OBJ values */
	char **keys;     /* J_OBJ */
	size_t len;
};

struct jp {
	const char *p, *end;
};

static void jskip(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

static int jparse(struct jp *j, struct jv *v);

static char *jstring(struct jp *j)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	assert_true(j->p < j->end && *j->p == '"');
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;
		if (c == '\\') {
			assert_true(j->p < j->end);
			c = *j->p++;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'u') {
				assert_true(j->end - j->p >= 4);
				j->p += 4;
				c = '?';
			}
		}
		if (n + 2 > cap) {
			cap *= 2;
			s = realloc(s, cap);
			assert_non_null(s);
		}
		s[n++] = c;
	}
	assert_true(j->p < j->end);
	j->p++;
	s[n] = '\0';
	return s;
}

static int jparse(struct jp *j, struct jv *v)
{
	memset(v, 0, sizeof(*v));
	jskip(j);
	assert_true(j->p < j->end);
	if (*j->p == '{' || *j->p == '[') {
		int obj = *j->p == '{';
		size_t cap = 8;
		v->t = obj ? J_OBJ : J_ARR;
		v->kids = calloc(cap, sizeof(*v->kids));
		v->keys = obj ? calloc(cap, sizeof(*v->keys)) : NULL;
		j->p++;
		jskip(j);
		if (*j->p == (obj ? '}' : ']')) {
			j->p++;
			return 0;
		}
		for (;;) {
			if (v->len == cap) {
				cap *= 2;
				v->kids = realloc(v->kids, cap * sizeof(*v->kids));
				if (obj)
					v->keys = realloc(v->keys, cap * sizeof(*v->keys));
			}
			jskip(j);
			if (obj) {
				v->keys[v->len] = jstring(j);
				jskip(j);
				assert_int_equal(*j->p, ':');
				j->p++;
			}
			jparse(j, &v->kids[v->len++]);
			jskip(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			assert_int_equal(*j->p, obj ? '}' : ']');
			j->p++;
			return 0;
		}
	}
	if (*j->p == '"') {
		v->t = J_STR;
		v->s = jstring(j);
		return 0;
	}
	if (!strncmp(j->p, "null", 4)) {
		j->p += 4;
		return 0;
	}
	if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
		v->t = J_BOOL;
		v->n = *j->p == 't';
		j->p += v->n ? 4 : 5;
		return 0;
	}
	v->t = J_NUM;
	char *e;
	v->n = strtol(j->p, &e, 10);
	assert_true(e > j->p);
	j->p = e;
	if (j->p < j->end && *j->p == '.') /* no fractions in the summaries that matter */
		while (j->p < j->end && strchr(".0123456789eE+-", *j->p))
			j->p++;
	return 0;
}

static void jfree(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->len; i++) {
		jfree(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->s);
}

static const struct jv *jget(const struct jv *o, const char *key)
{
	size_t i;

	assert_int_equal(o->t, J_OBJ);
	for (i = 0; i < o->len; i++)
		if (!strcmp(o->keys[i], key))
			return &o->kids[i];
	return NULL;
}

static const char *jstr(const struct jv *o, const char *key)
{
	const struct jv *v = jget(o, key);
	return v && v->t == J_STR ? v->s : NULL;
}

/* Hex string -> bytes (caller's buffer); returns the length. */
static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = strlen(h) / 2, i;

	assert_true(strlen(h) % 2 == 0);
	assert_true(n <= cap);
	for (i = 0; i < n; i++) {
		unsigned b;
		assert_int_equal(sscanf(h + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

/* ---- test data ------------------------------------------------------------------------------- */

static uint8_t *load_file(const char *base, const char *ext, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/ts48/%s%s", EUM_TEST_DATA_DIR, base, ext);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long sz = ftell(f);
	assert_true(sz > 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	uint8_t *buf = malloc((size_t)sz + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	buf[sz] = 0;
	fclose(f);
	*len = (size_t)sz;
	return buf;
}

static void load_json(const char *base, struct jv *out)
{
	size_t len;
	uint8_t *txt = load_file(base, ".json", &len);
	struct jp j = {(const char *)txt, (const char *)txt + len};
	jparse(&j, out);
	free(txt);
}

static void profile_init(struct eum_profile *p)
{
	memset(p, 0, sizeof(*p));
	eum_fs_init(&p->fs);
}

/* Resolve "3f00/7fd0/6f07" in the installed file system. */
static int32_t find_path(const struct eum_fs *fs, const char *path)
{
	uint8_t fids[32];
	size_t n = 0;
	const char *p = path;

	while (*p) {
		unsigned v;
		assert_int_equal(sscanf(p, "%4x", &v), 1);
		fids[n++] = (uint8_t)(v >> 8);
		fids[n++] = (uint8_t)v;
		p += 4;
		if (*p == '/')
			p++;
	}
	if (n == 2)
		return fs->n && fs->files[0].fid == 0x3F00 ? 0 : -1;
	return eum_fs_walk(fs, 0, fids, n);
}

/*
 * Differences between the pySim summary and a correct installation, per file:
 *  nrec: the package's efFileSize gives more records than the summary, which keeps the template's
 *        record count (pySim File.from_fileDescriptor only computes nb_rec when the template has none);
 *  ff_for_00: bytes the summary shows as 00 and the card holds as FF: pySim writes the content into an
 *        empty io.BytesIO and a fillFileOffset past its end zero-fills the gap, whereas skipped bytes keep
 *        the file's initial value (ASN.1 comment: same effect as create then UPDATE) - FF here;
 *  00_for_ff: bytes the summary shows as FF and the card holds as 00: pySim expands a template default
 *        such as '00FF...FF' once over the whole file, the card per record (TS 102 222 §6.3.2.2.2).
 */
struct quirk {
	const char *package; /* NULL = every package */
	const char *path;
	unsigned nrec;
	unsigned ff_for_00;
	unsigned zero_for_ff;
};

static const struct quirk summary_quirks[] = {
#include "test_saip_install_quirks.h"
        {NULL, NULL, 0, 0, 0},
};

static const struct quirk *quirk_for(const char *pkg, const char *path)
{
	size_t i;

	for (i = 0; summary_quirks[i].path; i++)
		if ((!summary_quirks[i].package || !strcmp(summary_quirks[i].package, pkg)) &&
		    !strcmp(summary_quirks[i].path, path))
			return &summary_quirks[i];
	return NULL;
}

static int type_of(const char *t)
{
	static const char *const names[] = {"MF", "DF", "ADF", "TR", "LF", "CY", "BT"};
	int i;

	for (i = 0; i < 7; i++)
		if (!strcmp(t, names[i]))
			return i; /* same order as enum eum_file_type */
	fail_msg("unknown file type %s", t);
	return -1;
}

static int is_link(const struct eum_saip_extras *x, const struct eum_fs *fs, int32_t idx)
{
	uint8_t path[32];
	size_t n = 0, i;
	int32_t k;

	for (k = idx; k > 0; k = fs->files[k].parent)
		n += 2;
	for (k = idx, i = n; k > 0; k = fs->files[k].parent) {
		path[--i] = (uint8_t)fs->files[k].fid;
		path[--i] = (uint8_t)(fs->files[k].fid >> 8);
	}
	for (i = 0; i < x->n_links; i++)
		if (x->links[i].path_len == n && !memcmp(x->links[i].path, path, n))
			return 1;
	return 0;
}

static void check_file(const char *pkg, const struct eum_saip_extras *x, const struct eum_fs *fs, const struct jv *jf,
                       int report)
{
	const char *path = jstr(jf, "path");
	const struct quirk *q = quirk_for(pkg, path);
	int32_t idx = find_path(fs, path);
	const struct eum_file *f;
	uint8_t exp[4096];
	const struct jv *v;
	unsigned ff00 = 0, zff = 0;
	size_t n, i;
	unsigned fid;

	if (idx < 0)
		fail_msg("%s: %s not installed", pkg, path);
	f = &fs->files[idx];
	assert_int_equal(sscanf(jstr(jf, "fid"), "%x", &fid), 1);
	assert_int_equal(f->fid, fid);
	assert_int_equal(f->type, type_of(jstr(jf, "file_type")));
	/* EF.ARR reference: 8B 03 <ARR FID> <record> */
	if (jstr(jf, "arr")) {
		assert_int_equal(f->sec_len, 5);
		assert_int_equal(f->sec[0], 0x8B);
		assert_int_equal(unhex(jstr(jf, "arr"), exp, sizeof(exp)), 3);
		if (memcmp(f->sec + 2, exp, 3))
			fail_msg("%s: %s ARR %02X%02X%02X, summary %s", pkg, path, f->sec[2], f->sec[3], f->sec[4],
			         jstr(jf, "arr"));
	}
	/* SFI: the summary prints the template value, or the PE's shortEFID byte (SFI in b8-b4) */
	if (jstr(jf, "sfi")) {
		unsigned s;
		assert_int_equal(sscanf(jstr(jf, "sfi"), "%x", &s), 1);
		if (f->sfi != s && (unsigned)f->sfi << 3 != s)
			fail_msg("%s: %s SFI %02X, summary %s", pkg, path, f->sfi, jstr(jf, "sfi"));
	} else if (f->sfi && !(!strcmp(jstr(jf, "pe_type"), "genericFileManagement") && f->sfi == (f->fid & 0x1F))) {
		/* a GFM file created without shortEFID gets the 5 low bits of its FID (TS 102 221
		 * §11.1.1.4.8, ASN.1 comment on shortEFID); the summary does not derive it */
		fail_msg("%s: %s has SFI %02X, summary none", pkg, path, f->sfi);
	}
	if (EUM_FT_IS_DF(f->type))
		return;
	v = jget(jf, "rec_len");
	if (v && v->t == J_NUM)
		assert_int_equal(f->rec_len, v->n);
	v = jget(jf, "size");
	if (is_link(x, fs, idx)) {
		/* link files have no size or content of their own in the summary (null, or 0 for transparent) */
		assert_true(v->t == J_NULL || v->n == 0);
		return;
	}
	assert_int_equal(v->t, J_NUM);
	unsigned qn = 0;
	if (report && EUM_FT_IS_RECORD(f->type) && f->nrec != jget(jf, "nb_rec")->n)
		qn = f->nrec;
	if (q && q->nrec) {
		assert_int_equal(f->nrec, q->nrec);
	} else if (!qn) {
		if (f->size != (uint32_t)v->n)
			fail_msg("%s: %s size %u, summary %ld", pkg, path, (unsigned)f->size, v->n);
		if (EUM_FT_IS_RECORD(f->type))
			assert_int_equal(f->nrec, jget(jf, "nb_rec")->n);
	}
	n = unhex(jstr(jf, "content"), exp, sizeof(exp));
	if (n > f->size) {
		/* only where the summary kept a larger template record count */
		if (!qn && !(q && q->nrec))
			fail_msg("%s: %s summary content %zu > size %u", pkg, path, n, (unsigned)f->size);
		n = f->size;
	}
	for (i = 0; i < f->size; i++) {
		uint8_t e = i < n ? exp[i] : 0xFF; /* beyond the summary's content: the FF of creation */
		if (f->data[i] == e)
			continue;
		if (e == 0x00 && f->data[i] == 0xFF)
			ff00++;
		else if (e == 0xFF && f->data[i] == 0x00)
			zff++;
		else
			fail_msg("%s: %s byte %zu is %02X, summary %02X", pkg, path, i, f->data[i], e);
	}
	if (report) {
		if (ff00 || zff || qn)
			printf("\t{\"%s\", \"%s\", %u, %u, %u},\n", pkg, path, qn, ff00, zff);
		return;
	}
	assert_int_equal(ff00, q ? q->ff_for_00 : 0);
	assert_int_equal(zff, q ? q->zero_for_ff : 0);
}

static void check_aka(const struct jv *ja, const struct eum_aka_params *p, const struct eum_aka_sqn *sq)
{
	uint8_t b[128];
	size_t i;

	assert_int_equal(jget(ja, "algorithm_id")->n, 3); /* TS.48: USIM test algorithm */
	assert_int_equal(p->algo, EUM_AKA_ALGO_XOR);
	assert_int_equal(unhex(jstr(ja, "k"), b, sizeof(b)), 16);
	assert_memory_equal(p->k, b, 16);
	unhex(jstr(ja, "algorithm_options"), b, sizeof(b));
	assert_int_equal(p->algo_options, b[0]);
	unhex(jstr(ja, "sqnOptions"), b, sizeof(b));
	assert_int_equal(p->sqn_options, b[0]);
	assert_int_equal(unhex(jstr(ja, "sqnDelta"), b, sizeof(b)), 6);
	assert_memory_equal(p->sqn_delta, b, 6);
	assert_int_equal(unhex(jstr(ja, "sqnAgeLimit"), b, sizeof(b)), 6);
	assert_memory_equal(p->sqn_age_limit, b, 6);
	assert_int_equal(unhex(jstr(ja, "rotationConstants"), b, sizeof(b)), 5);
	assert_memory_equal(p->mc.r, b, 5);
	assert_int_equal(unhex(jstr(ja, "xoringConstants"), b, sizeof(b)), 80);
	assert_memory_equal(p->mc.c, b, 80);
	assert_true(jget(ja, "sqnInit_all_equal")->n);
	assert_int_equal(jget(ja, "sqnInit_count")->n, 32);
	unhex(jget(ja, "sqnInit")->kids[0].s, b, sizeof(b));
	for (i = 0; i < 32; i++)
		assert_memory_equal(sq->seq[i], b, 6);
}

/* What the TS.48 packages' pinAttributes values mean for the card (the values these packages use,
 * spelled out here rather than taken from the installer's coding table): 07 enabled and may be
 * disabled, 06 disabled and may be enabled again, 03 enabled for good; an ADM key is never
 * disabled and DISABLE/ENABLE never applies to it. */
static void check_pin_state(const struct eum_pin *p, int attr)
{
	int adm = (p->ref & 0x7F) >= 0x0A && (p->ref & 0x7F) <= 0x0E;

	switch (attr) {
	case 7:
		assert_int_equal(p->enabled, 1);
		assert_int_equal(p->can_disable, !adm);
		break;
	case 6:
		assert_false(adm);
		assert_int_equal(p->enabled, 0);
		assert_int_equal(p->can_disable, 1);
		break;
	case 3:
		assert_int_equal(p->enabled, 1);
		assert_int_equal(p->can_disable, 0);
		break;
	default:
		fail_msg("pinAttributes %d: not a value this test knows", attr);
	}
}

static void check_pins(const struct jv *arr, struct eum_pin_store *st, int puk)
{
	size_t i, k;
	uint8_t b[16];

	for (i = 0; i < arr->len; i++) {
		const struct jv *jp = &arr->kids[i];
		unsigned ref;
		int later = 0;
		assert_int_equal(sscanf(jstr(jp, "key_reference"), "%x", &ref), 1);
		/* one flat PIN store: a later definition of the same reference wins */
		for (k = i + 1; k < arr->len; k++)
			later |= !strcmp(jstr(&arr->kids[k], "key_reference"), jstr(jp, "key_reference"));
		if (later)
			continue;
		struct eum_pin *p = puk ? eum_puk_find(st, (uint8_t)ref) : eum_pin_find(st, (uint8_t)ref);
		assert_non_null(p);
		assert_int_equal(unhex(jstr(jp, puk ? "puk_value" : "pin_value"), b, sizeof(b)), 8);
		assert_memory_equal(p->value, b, 8);
		assert_int_equal(p->max_tries, jget(jget(jp, "attempts"), "max_attempts")->n);
		assert_int_equal(p->tries_left, jget(jget(jp, "attempts"), "retries_left")->n);
		if (!puk) {
			const char *u = jstr(jp, "unblocking_pin_reference");
			unsigned uref = 0;
			if (u)
				assert_int_equal(sscanf(u, "%x", &uref), 1);
			assert_int_equal(p->unblock_ref, uref);
			check_pin_state(p, (int)jget(jp, "pin_attributes")->n);
		}
	}
}

static void check_aid(const struct eum_saip_aid *a, const char *hex)
{
	uint8_t b[32];
	size_t n = unhex(hex, b, sizeof(b));
	assert_int_equal(a->len, n);
	assert_memory_equal(a->b, b, n);
}

static void check_sd_rfm(const struct jv *js, const struct eum_saip_extras *x)
{
	const struct jv *sds = jget(js, "security_domains"), *rfms = jget(js, "rfm");
	uint8_t b[512];
	size_t i, k;

	assert_int_equal(x->n_sd, sds->len);
	for (i = 0; i < sds->len; i++) {
		const struct jv *s = &sds->kids[i];
		const struct eum_saip_sd *sd = &x->sd[i];
		const struct jv *keys = jget(s, "keys"), *perso = jget(s, "perso_data");
		assert_int_equal(sd->identification, jget(s, "pe_identification")->n);
		check_aid(&sd->instance, jstr(s, "instance_aid"));
		check_aid(&sd->class_aid, jstr(s, "class_aid"));
		check_aid(&sd->load_package, jstr(s, "load_package_aid"));
		assert_int_equal(unhex(jstr(s, "privileges"), b, sizeof(b)), sd->privileges_len);
		assert_memory_equal(sd->privileges, b, sd->privileges_len);
		unhex(jstr(s, "lifecycle"), b, sizeof(b));
		assert_int_equal(sd->lcs, b[0]);
		assert_int_equal(unhex(jstr(s, "c9_params"), b, sizeof(b)), sd->c9_len);
		assert_memory_equal(sd->c9, b, sd->c9_len);
		assert_int_equal(
		        unhex(jstr(jget(s, "application_parameters"), "uiccToolkitApplicationSpecificParametersField"),
		              b, sizeof(b)),
		        sd->toolkit_len);
		assert_memory_equal(sd->toolkit, b, sd->toolkit_len);
		assert_int_equal(sd->n_keys, keys->len); /* one component per key in TS.48 */
		for (k = 0; k < keys->len; k++) {
			const struct jv *jk = &keys->kids[k], *c = &jget(jk, "components")->kids[0];
			const struct eum_saip_key *ky = &sd->keys[k];
			unhex(jstr(jk, "kvn"), b, sizeof(b));
			assert_int_equal(ky->kvn, b[0]);
			unhex(jstr(jk, "key_id"), b, sizeof(b));
			assert_int_equal(ky->kid, b[0]);
			assert_int_equal(unhex(jstr(jk, "usage_qualifier"), b, sizeof(b)), ky->usage_len);
			assert_memory_equal(ky->usage, b, ky->usage_len);
			unhex(jstr(jk, "key_access"), b, sizeof(b));
			assert_int_equal(ky->access, b[0]);
			unhex(jstr(c, "type"), b, sizeof(b));
			assert_int_equal(ky->type, b[0]);
			assert_int_equal(unhex(jstr(c, "data"), b, sizeof(b)), ky->len);
			assert_memory_equal(ky->data, b, ky->len);
			assert_int_equal(ky->mac_len, jget(c, "mac_length")->n);
		}
		assert_int_equal(sd->n_perso, perso->len);
		for (k = 0; k < perso->len; k++) {
			assert_int_equal(unhex(perso->kids[k].s, b, sizeof(b)), sd->perso[k].len);
			assert_memory_equal(sd->perso[k].b, b, sd->perso[k].len);
		}
	}
	assert_int_equal(x->n_rfm, rfms->len);
	for (i = 0; i < rfms->len; i++) {
		const struct jv *r = &rfms->kids[i];
		const struct eum_saip_rfm *f = &x->rfm[i];
		const struct jv *tars = jget(r, "tar_list");
		assert_int_equal(f->identification, jget(r, "pe_identification")->n);
		check_aid(&f->instance, jstr(r, "instance_aid"));
		assert_int_equal(f->n_tars, tars->len);
		for (k = 0; k < tars->len; k++) {
			assert_int_equal(unhex(tars->kids[k].s, b, sizeof(b)), 3);
			assert_memory_equal(f->tars[k], b, 3);
		}
		unhex(jstr(r, "msl"), b, sizeof(b));
		assert_int_equal(f->msl, b[0]);
		assert_int_equal(unhex(jstr(r, "uicc_access_domain"), b, sizeof(b)), f->access_len);
		assert_memory_equal(f->access, b, f->access_len);
		assert_int_equal(unhex(jstr(r, "uicc_admin_access_domain"), b, sizeof(b)), f->admin_len);
		assert_memory_equal(f->admin, b, f->admin_len);
		assert_int_equal(f->has_adf, jstr(r, "adf_aid") != NULL);
		if (f->has_adf) {
			check_aid(&f->adf, jstr(r, "adf_aid"));
			assert_int_equal(unhex(jstr(r, "adf_access_domain"), b, sizeof(b)), f->adf_access_len);
			assert_memory_equal(f->adf_access, b, f->adf_access_len);
		}
	}
	assert_int_equal(x->n_app, jget(js, "applications")->len);
}

/* The whole summary of one package against its installation. */
static void check_package(const char *pkg, int report)
{
	struct eum_saip_extras *x = calloc(1, sizeof(*x));
	struct eum_saip_result res;
	struct eum_profile prof;
	struct jv js;
	uint8_t b[64];
	size_t len, i;
	uint8_t *der = load_file(pkg, ".der", &len);
	const struct jv *seq, *files;

	assert_non_null(x);
	load_json(pkg, &js);
	profile_init(&prof);
	assert_int_equal(eum_saip_install_ex(&prof, x, der, len, 0, &res), EUM_OK);
	assert_false(res.aborted);
	seq = jget(&js, "pe_sequence");
	assert_int_equal(res.pe_count, seq->len);
	/* one final ok for `end`; the TS.48 packages have no PE this card skips */
	assert_int_equal(res.n_st, 1);
	assert_int_equal(res.st[0].status, EUM_SAIP_ST_OK);
	assert_int_equal(res.st[0].identification, jget(&seq->kids[seq->len - 1], "identification")->n);

	/* header */
	assert_int_equal(unhex(jstr(&js, "iccid_raw"), b, sizeof(b)), 10);
	assert_memory_equal(x->iccid, b, 10);
	assert_string_equal(x->profile_type, jstr(&js, "profile_type"));
	assert_int_equal(x->major_version, jstr(&js, "saip_version")[0] - '0');
	assert_int_equal(x->minor_version, jstr(&js, "saip_version")[2] - '0');
	/* EF.ICCID and EF.IMSI */
	int32_t iccid = find_path(&prof.fs, "3f00/2fe2");
	assert_true(iccid > 0);
	assert_int_equal(unhex(jstr(&js, "ef_iccid_content"), b, sizeof(b)), prof.fs.files[iccid].size);
	assert_memory_equal(prof.fs.files[iccid].data, b, 10);
	const struct jv *naa = &jget(&js, "naas")->kids[1];
	assert_string_equal(jstr(naa, "naa"), "usim");
	unhex(jstr(naa, "adf_aid"), b, sizeof(b));
	int32_t adf = eum_fs_adf_by_aid(&prof.fs, b, strlen(jstr(naa, "adf_aid")) / 2);
	assert_true(adf > 0);
	int32_t imsi = eum_fs_child(&prof.fs, adf, 0x6F07);
	assert_true(imsi > 0);
	assert_int_equal(unhex(jstr(&js, "ef_imsi_content"), b, sizeof(b)), prof.fs.files[imsi].size);
	assert_memory_equal(prof.fs.files[imsi].data, b, prof.fs.files[imsi].size);
	{
		/* EF.IMSI digits (TS 31.102 §4.2.2): length, parity nibble, then BCD nibble-swapped */
		const uint8_t *d = prof.fs.files[imsi].data;
		char digits[20];
		size_t nd = 0;
		digits[nd++] = (char)('0' + (d[1] >> 4));
		for (i = 2; i <= d[0]; i++) {
			digits[nd++] = (char)('0' + (d[i] & 0x0F));
			if ((d[i] >> 4) != 0x0F)
				digits[nd++] = (char)('0' + (d[i] >> 4));
		}
		digits[nd] = '\0';
		assert_string_equal(digits, jstr(&js, "imsi"));
	}

	/* every file */
	files = jget(&js, "files");
	assert_int_equal(files->len, jget(&js, "file_count")->n);
	for (i = 0; i < files->len; i++)
		check_file(pkg, x, &prof.fs, &files->kids[i], report);

	/* PINs, PUKs, AKA, SD, RFM */
	check_pins(jget(&js, "pins"), &prof.pins, 0);
	check_pins(jget(&js, "puks"), &prof.pins, 1);
	const struct jv *aka = jget(&js, "aka_parameters");
	assert_int_equal(aka->len, 2);
	check_aka(&aka->kids[0], &prof.aka, &prof.sqn);
	assert_true(x->has_isim_aka);
	check_aka(&aka->kids[1], &x->isim_aka, &x->isim_sqn);
	check_sd_rfm(&js, x);

	eum_saip_profile_clear(&prof);
	eum_saip_extras_wipe(x);
	free(x);
	jfree(&js);
	free(der);
}

static void test_ts48_packages(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < N_PACKAGES; i++)
		check_package(packages[i], getenv("EUM_SAIP_REPORT") != NULL);
}

/* ---- damaged packages ------------------------------------------------------------------------ */

/* Offsets of the PEs of a package (independent of the installer: DER definite lengths). */
static size_t pe_offsets(const uint8_t *der, size_t len, size_t *off, size_t cap)
{
	size_t n = 0, p = 0;

	while (p < len) {
		size_t h = (der[p] & 0x1F) == 0x1F ? 2 : 1, l = der[p + h], nl = 0, k;
		if (l & 0x80) {
			nl = l & 0x7F;
			for (l = 0, k = 0; k < nl; k++)
				l = (l << 8) | der[p + h + 1 + k];
		}
		assert_true(n < cap);
		off[n++] = p;
		p += h + 1 + nl + l;
	}
	assert_int_equal(p, len);
	off[n] = len;
	return n;
}

/* A package made of the listed PEs of der (by index), in that order. */
static uint8_t *assemble(const uint8_t *der, const size_t *off, const int *order, size_t n_order, size_t *len)
{
	uint8_t *out = malloc(off[0] + 100000);
	size_t i, o = 0;

	assert_non_null(out);
	for (i = 0; i < n_order; i++) {
		size_t a = off[order[i]], b = off[order[i] + 1];
		memcpy(out + o, der + a, b - a);
		o += b - a;
	}
	*len = o;
	return out;
}

static void snapshot(struct eum_profile *dst, const struct eum_profile *src)
{
	*dst = *src;
	assert_int_equal(eum_fs_clone(&dst->fs, &src->fs), EUM_OK);
}

static void assert_profile_equal(const struct eum_profile *a, const struct eum_profile *b)
{
	size_t i;

	assert_int_equal(a->fs.n, b->fs.n);
	for (i = 0; i < a->fs.n; i++) {
		struct eum_file fa = a->fs.files[i], fb = b->fs.files[i];
		if (fa.size) {
			assert_non_null(fa.data);
			assert_non_null(fb.data);
			assert_memory_equal(fa.data, fb.data, fa.size);
		}
		fa.data = fb.data = NULL;
		assert_memory_equal(&fa, &fb, sizeof(fa));
	}
	assert_memory_equal(&a->pins, &b->pins, sizeof(a->pins));
	assert_memory_equal(&a->aka, &b->aka, sizeof(a->aka));
	assert_memory_equal(&a->sqn, &b->sqn, sizeof(a->sqn));
}

/* A caller's profile that must survive every refused package: the default test card. */
static void default_profile(struct eum_profile *p)
{
	uint8_t pol1;

	profile_init(p);
	assert_int_equal(eum_bootstrap_install(p, &pol1, NULL), EUM_OK);
}

/* Install a damaged package; it must be refused at pe_index with status, *out untouched. */
static void expect_refused(const uint8_t *der, size_t len, size_t pe_index, long status, long id)
{
	struct eum_profile out, snap;
	struct eum_saip_result res;

	default_profile(&out);
	snapshot(&snap, &out);
	assert_int_equal(eum_saip_install(&out, der, len, &res), EUM_ERR_PROFILE);
	assert_true(res.aborted);
	assert_int_equal(res.pe_index, pe_index);
	assert_int_equal(res.status, status);
	assert_int_equal(res.identification, id);
	assert_true(res.n_st >= 1);
	assert_int_equal(res.st[res.n_st - 1].status, status);
	assert_profile_equal(&out, &snap);
	eum_saip_profile_clear(&out);
	eum_saip_profile_clear(&snap);
}

static void test_truncated(void **state)
{
	size_t len, off[64], n, cut, k;
	uint8_t *der = load_file(packages[1], ".der", &len);
	(void)state;

	n = pe_offsets(der, len, off, 63);
	for (cut = 0; cut < len; cut += cut < 64 ? 1 : 29) {
		/* the PE the cut falls in (or the missing one after the last complete PE) */
		for (k = 0; off[k + 1] <= cut; k++)
			;
		expect_refused(der, cut, k, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	}
	for (k = 1; k < n; k++)
		expect_refused(der, off[k], k, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	free(der);
}

static void test_reordered_and_duplicated(void **state)
{
	size_t len, off[64], n, plen, i;
	uint8_t *der = load_file(packages[1], ".der", &len), *pkg;
	int order[80];
	(void)state;

	/* TS48V2: 0 header, 1 mf (id 4), 2 pukCodes (5), 3 pinCodes (2), 4 telecom (7), ..., 7 usim (8),
	 * 8 opt-usim (9), ..., n-1 end (31) */
	n = pe_offsets(der, len, off, 63);
	assert_int_equal(n, 30);

	/* end first */
	order[0] = (int)n - 1;
	for (i = 0; i + 1 < n; i++)
		order[i + 1] = (int)i;
	pkg = assemble(der, off, order, n, &plen);
	expect_refused(pkg, plen, 0, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	free(pkg);

	/* header not first (mf and header swapped) */
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	order[0] = 1;
	order[1] = 0;
	pkg = assemble(der, off, order, n, &plen);
	expect_refused(pkg, plen, 0, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	free(pkg);

	/* end after the MF: the mandatory USIM is missing */
	int early_end[] = {0, 1, (int)n - 1};
	pkg = assemble(der, off, early_end, 3, &plen);
	expect_refused(pkg, plen, 2, EUM_SAIP_ST_BAD_VALUES, 31);
	free(pkg);

	/* PIN before the PUK that unblocks it */
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	order[2] = 3;
	order[3] = 2;
	pkg = assemble(der, off, order, n, &plen);
	expect_refused(pkg, plen, 2, EUM_SAIP_ST_PIN_CODE_MISSING, 2);
	free(pkg);

	/* opt-usim before usim */
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	order[7] = 8;
	order[8] = 7;
	pkg = assemble(der, off, order, n, &plen);
	expect_refused(pkg, plen, 7, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, 9);
	free(pkg);

	/* a PE twice (same identification): mf, pinCodes, and the header */
	static const int dup[][2] = {{1, 4}, {3, 2}, {0, -1}};
	for (size_t d = 0; d < 3; d++) {
		size_t m = 0;
		for (i = 0; i < n; i++) {
			order[m++] = (int)i;
			if ((int)i == dup[d][0])
				order[m++] = (int)i;
		}
		pkg = assemble(der, off, order, m, &plen);
		expect_refused(pkg, plen, (size_t)dup[d][0] + 1, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, dup[d][1]);
		free(pkg);
	}

	/* anything after end */
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	order[n] = (int)n - 1;
	pkg = assemble(der, off, order, n + 1, &plen);
	expect_refused(pkg, plen, n, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	free(pkg);
	free(der);
}

static const uint8_t *find_bytes(const uint8_t *h, size_t hl, const uint8_t *nd, size_t nl)
{
	size_t i;

	for (i = 0; i + nl <= hl; i++)
		if (!memcmp(h + i, nd, nl))
			return h + i;
	return NULL;
}

static void test_refusal_codes(void **state)
{
	size_t len;
	uint8_t *der = load_file(packages[1], ".der", &len);
	uint8_t *p;
	static const uint8_t mf_oid[] = {0x81, 0x06, 0x67, 0x81, 0x0F, 0x01, 0x02, 0x01};
	static const uint8_t usim_svc[] = {0xA5, 0x0E, 0x81, 0x00};
	(void)state;

	/* header: major-version 80 01 02 right after the header's tag and length (A0 81 9D) */
	assert_memory_equal(der, "\xA0\x81\x9D\x80\x01\x02", 6);
	der[5] = 7;
	expect_refused(der, len, 0, EUM_SAIP_ST_UNSUPPORTED_PROFILE_VERSION, -1);
	der[5] = 2;
	/* an unknown template OID in the MF PE (id 4) */
	p = (uint8_t *)find_bytes(der, len, mf_oid, sizeof(mf_oid));
	assert_non_null(p);
	p[7] = 0x7F;
	expect_refused(der, len, 1, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED, 4);
	p[7] = 0x01;
	/* eUICC-Mandatory-services: usim (81 00) turned into contactless (80 00), not supported */
	p = (uint8_t *)find_bytes(der, len, usim_svc, sizeof(usim_svc));
	assert_non_null(p);
	p[2] = 0x80;
	{
		struct eum_profile out;
		struct eum_saip_result res;
		profile_init(&out);
		assert_int_equal(eum_saip_install(&out, der, len, &res), EUM_ERR_PROFILE);
		assert_int_equal(res.status, EUM_SAIP_ST_FEATURE_NOT_SUPPORTED);
		assert_int_equal(res.st[0].additional_information, 0); /* ServicesList member 0: contactless */
		assert_int_equal(out.fs.n, 0);
	}
	p[2] = 0x81;
	free(der);
}

static void test_bit_flips(void **state)
{
	size_t len, pos, refused = 0, installed = 0, k, off[64], n;
	uint8_t *der = load_file(packages[1], ".der", &len);
	struct eum_profile out, snap;
	struct eum_saip_result res;
	(void)state;

	n = pe_offsets(der, len, off, 63);
	default_profile(&out);
	snapshot(&snap, &out);
	for (pos = 0; pos < len; pos += 5) {
		uint8_t bit = (uint8_t)(1u << (pos % 8));
		int rc;
		der[pos] ^= bit;
		rc = eum_saip_install(&out, der, len, &res);
		der[pos] ^= bit;
		if (rc == EUM_OK) {
			/* a flip inside file content or a value still makes a valid package */
			assert_false(res.aborted);
			installed++;
			eum_saip_profile_clear(&out);
			default_profile(&out);
			continue;
		}
		assert_int_equal(rc, EUM_ERR_PROFILE);
		assert_true(res.aborted);
		for (k = 0; off[k + 1] <= pos; k++)
			;
		/* refused at the damaged PE, or later (a flip that shifts a length, or a check at end) */
		assert_true(res.pe_index >= (k ? k - 1 : 0) && res.pe_index <= n);
		assert_true(res.status > 0);
		assert_profile_equal(&out, &snap);
		refused++;
	}
	assert_true(refused > 0 && installed > 0);
	eum_saip_profile_clear(&out);
	eum_saip_profile_clear(&snap);
	free(der);
}

/* The same package fed in pieces of any size gives the same profile. */
static void test_streaming(void **state)
{
	static const size_t chunks[] = {1, 2, 3, 7, 64, 1000, 5000};
	size_t len, c;
	uint8_t *der = load_file(packages[2], ".der", &len);
	struct eum_profile ref;
	struct eum_saip_installer *ctx = malloc(sizeof(*ctx));
	(void)state;

	assert_non_null(ctx);
	profile_init(&ref);
	assert_int_equal(eum_saip_install(&ref, der, len, NULL), EUM_OK);
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct eum_profile out;
		struct eum_saip_result res;
		size_t o;
		profile_init(&out);
		assert_int_equal(eum_saip_installer_init(ctx, 0), EUM_OK);
		for (o = 0; o < len; o += chunks[c])
			assert_int_equal(
			        eum_saip_installer_feed(ctx, der + o, len - o < chunks[c] ? len - o : chunks[c]),
			        EUM_OK);
		assert_int_equal(eum_saip_installer_finish(ctx, &out, NULL, &res), EUM_OK);
		eum_saip_installer_free(ctx);
		assert_false(res.aborted);
		assert_profile_equal(&out, &ref);
		eum_saip_profile_clear(&out);
	}
	/* a refused stream keeps refusing */
	assert_int_equal(eum_saip_installer_init(ctx, 0), EUM_OK);
	assert_int_equal(eum_saip_installer_feed(ctx, der + 1, 100), EUM_ERR_PROFILE);
	assert_int_equal(eum_saip_installer_feed(ctx, der, len), EUM_ERR_PROFILE);
	eum_saip_installer_free(ctx);
	free(ctx);
	eum_saip_profile_clear(&ref);
	free(der);
}

/* EUICCResponse DER (PE_Definitions 3.3.1, AUTOMATIC TAGS; profile-package.md §5). */
static void test_encode_result(void **state)
{
	size_t len, elen;
	uint8_t *der = load_file(packages[1], ".der", &len);
	struct eum_profile out;
	struct eum_saip_result res;
	uint8_t enc[64];
	/* 30 { A0 { 30 { 80 status=0, 81 identification=31 } } } */
	static const uint8_t ok[] = {0x30, 0x0A, 0xA0, 0x08, 0x30, 0x06, 0x80, 0x01, 0x00, 0x81, 0x01, 0x1F};
	/* 30 { A0 { 30 { 80 status=31 } }, 81 00 profileInstallationAborted } */
	static const uint8_t ko[] = {0x30, 0x09, 0xA0, 0x05, 0x30, 0x03, 0x80, 0x01, 0x1F, 0x81, 0x00};
	(void)state;

	profile_init(&out);
	assert_int_equal(eum_saip_install(&out, der, len, &res), EUM_OK);
	assert_int_equal(eum_saip_encode_result(&res, enc, sizeof(enc), &elen), EUM_OK);
	assert_int_equal(elen, sizeof(ok));
	assert_memory_equal(enc, ok, sizeof(ok));
	assert_int_equal(eum_saip_encode_result(&res, enc, 5, &elen), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(elen, sizeof(ok));
	eum_saip_profile_clear(&out);

	der[5] = 9; /* major-version 9 */
	assert_int_equal(eum_saip_install(&out, der, len, &res), EUM_ERR_PROFILE);
	assert_int_equal(eum_saip_encode_result(&res, enc, sizeof(enc), &elen), EUM_OK);
	assert_int_equal(elen, sizeof(ko));
	assert_memory_equal(enc, ko, sizeof(ko));
	free(der);
}

/* Every template row names the PE member it stands for; parents are earlier DF rows. */
static void test_templates(void **state)
{
	size_t i, k;
	uint8_t b[16];
	(void)state;

	for (i = 0; i < eum_saip_templates_n; i++) {
		const struct eum_saip_template *t = &eum_saip_templates[i];
		const asn_TYPE_descriptor_t *td = asn_DEF_ProfileElement.elements[t->pe - 1].type;
		assert_int_equal(t->n, (size_t)td->elements_count - 2);
		assert_ptr_equal(eum_saip_template_find(t->oid, t->oid_len), t);
		for (k = 0; k < t->n; k++) {
			const struct eum_saip_tfile *f = &t->files[k];
			assert_string_equal(f->name, td->elements[k + 2].name);
			if (f->parent >= 0) {
				assert_true((size_t)f->parent < k);
				assert_true(EUM_FT_IS_DF(t->files[f->parent].type));
			}
			if (f->def) {
				size_t n = EUM_FT_IS_RECORD(f->type) ? f->rec_len : f->size;
				if (n)
					assert_int_equal(eum_saip_expand_default(f->def, f->repeat, b,
					                                         n < sizeof(b) ? n : sizeof(b)),
					                 EUM_OK);
			}
		}
	}
	/* Annex A default value notation */
	memset(b, 0xAA, sizeof(b));
	assert_int_equal(eum_saip_expand_default("07FF...FF", 0, b, 5), EUM_OK);
	assert_memory_equal(b, "\x07\xFF\xFF\xFF\xFF\xAA", 6);
	assert_int_equal(eum_saip_expand_default("FF...FF07", 0, b, 4), EUM_OK);
	assert_memory_equal(b, "\xFF\xFF\xFF\x07", 4);
	assert_int_equal(eum_saip_expand_default("FFFFFF0000", 1, b, 12), EUM_OK);
	assert_memory_equal(b, "\xFF\xFF\xFF\x00\x00\xFF\xFF\xFF\x00\x00\xFF\xFF", 12);
	assert_int_equal(eum_saip_expand_default("FF...FF0000000001FFFF", 0, b, 5), EUM_OK);
	assert_memory_equal(b, "\xFF\xFF\x00\x00\x00", 5); /* suffix "FF0000000001FFFF", cut */
	memset(b, 0xAA, sizeof(b));
	assert_int_equal(eum_saip_expand_default("0A", 0, b, 3), EUM_OK);
	assert_memory_equal(b, "\x0A\xAA\xAA", 3);
	assert_int_equal(eum_saip_expand_default("0G", 0, b, 3), EUM_ERR_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_templates),     cmocka_unit_test(test_ts48_packages),
	        cmocka_unit_test(test_streaming),     cmocka_unit_test(test_encode_result),
	        cmocka_unit_test(test_truncated),     cmocka_unit_test(test_reordered_and_duplicated),
	        cmocka_unit_test(test_refusal_codes), cmocka_unit_test(test_bit_flips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
