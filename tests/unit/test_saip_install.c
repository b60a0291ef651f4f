/*
 * Unit test: TCA eUICC Profile Package installer (src/profile/saip_install.c; PE_Definitions 3.3.1,
 * spec digest profile-package.md).
 *
 * Data: tests/data/ts48/ holds the GSMA TS.48 test profiles (DER) and their summaries decoded by osmocom
 * pySim (.json). Each package is installed into an empty profile and every item of the summary is looked
 * up in the result: ICCID, IMSI, every file (path, FID, SFI, type, size, records, EF.ARR reference,
 * content), PIN/PUK values, key references and retry counters, AKA parameters, security-domain keys, RFM
 * instances. Damaged and streamed packages: test_saip_damaged.c.
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

#include "test_saip_common.h"

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

static void load_json(const char *base, struct jv *out)
{
	size_t len;
	uint8_t *txt = load_file(base, ".json", &len);
	struct jp j = {(const char *)txt, (const char *)txt + len};
	jparse(&j, out);
	free(txt);
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
	        cmocka_unit_test(test_templates),
	        cmocka_unit_test(test_ts48_packages),

	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
