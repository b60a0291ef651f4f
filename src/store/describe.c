/*
 * Human-readable summary of a card state image (eum info): identities,
 * files, PIN counters and SQN state, then every persistent field as the
 * modules' tables describe it (src/store/psections.h). Never keys or PIN
 * values: the tables mark them secret and only their size is shown.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "gp/gp.h"
#include "store/image.h"
#include "store/psections.h"
#include "usim/aka.h"

struct out {
	char *p;
	size_t cap, len;
};

static void say(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->p + (o->len < o->cap ? o->len : o->cap), o->len < o->cap ? o->cap - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void bcd(struct out *o, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((p[i] & 0x0F) <= 9)
			say(o, "%u", p[i] & 0x0F);
		if ((p[i] >> 4) <= 9)
			say(o, "%u", p[i] >> 4);
	}
}

static void describe_profile(struct out *o, const struct eum_profile *prof)
{
	int32_t ef, adf;
	size_t i, n_ef = 0, bytes = 0;
	unsigned used = 0;

	ef = eum_fs_child(&prof->fs, 0, 0x2FE2);
	if (ef >= 0) {
		say(o, "  ICCID      ");
		bcd(o, prof->fs.files[ef].data, prof->fs.files[ef].size);
		say(o, "\n");
	}
	adf = eum_fs_adf_by_aid(&prof->fs, (const uint8_t *)"\xA0\x00\x00\x00\x87\x10\x02", 7);
	if (adf >= 0) {
		ef = eum_fs_child(&prof->fs, adf, 0x6F07);
		if (ef >= 0 && prof->fs.files[ef].size == 9) {
			char digits[20];
			struct out d = {digits, sizeof(digits), 0};
			bcd(&d, prof->fs.files[ef].data + 1, 8);
			say(o, "  IMSI       %s\n", digits + 1);
		}
	}
	for (i = 0; i < prof->fs.n; i++) {
		if (!EUM_FT_IS_DF(prof->fs.files[i].type)) {
			n_ef++;
			bytes += prof->fs.files[i].size;
		}
	}
	say(o, "  files      %zu (%zu EFs, %zu bytes of content)\n", prof->fs.n, n_ef, bytes);
	for (i = 0; i < EUM_PIN_SLOTS; i++) {
		const struct eum_pin *p = &prof->pins.pins[i];
		if (p->in_use)
			say(o, "  PIN %02X     %u of %u tries left, %s\n", p->ref, p->tries_left, p->max_tries,
			    p->enabled ? "enabled" : "disabled");
	}
	for (i = 0; i < EUM_PIN_SLOTS; i++) {
		const struct eum_pin *p = &prof->pins.puks[i];
		if (p->in_use)
			say(o, "  PUK %02X     %u of %u tries left\n", p->ref, p->tries_left, p->max_tries);
	}
	for (i = 0; i < EUM_AKA_SQN_ARRAY; i++) {
		static const uint8_t zero[EUM_AKA_SEQ_LEN];
		used += memcmp(prof->sqn.seq[i], zero, EUM_AKA_SEQ_LEN) != 0;
	}
	say(o, "  AKA        %s, SQN array %u of %u entries used\n", eum_aka_algo_name(prof->aka.algo), used,
	    (unsigned)EUM_AKA_SQN_ARRAY);
}

static void fields(struct out *o, const struct eum_ptable *t, const void *obj, const char *prefix)
{
	size_t len = o->len;

	eum_ptable_describe(t, obj, prefix, o->p, o->cap, &len);
	o->len = len;
}

int eum_image_describe(const uint8_t *image, size_t len, char *text, size_t cap)
{
	struct eum_pstate *ps;
	struct eum_image_info info;
	struct out o = {text, cap, 0};
	char why[200], prefix[48];
	size_t i, k;
	int rc;

	if (!image || !text || !cap)
		return EUM_ERR_INVALID_ARG;
	ps = malloc(sizeof(*ps)); /* transient, freed below */
	if (!ps)
		return EUM_ERR_NO_MEMORY;
	rc = eum_image_load(ps, image, len, &info, why, sizeof(why));
	if (rc) {
		snprintf(text, cap, "image refused: %s\n", why);
		free(ps);
		return rc;
	}
	say(&o, "eum card state image, format version %u, %zu bytes (base image %zu, %u journal records%s)\n",
	    info.version, len, info.base_len, info.records, info.torn ? ", then an incomplete record, ignored" : "");
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = ps->isdp[i];
		if (!p->in_use)
			continue;
		say(&o, "ISD-P ");
		for (k = 0; k < p->aid_len; k++)
			say(&o, "%02X", p->aid[k]);
		say(&o, "  %s (%02X)%s, POL1 %02X\n", eum_isdp_state_name(p->lcs), p->lcs,
		    p->fallback ? ", fall-back" : "", p->pol1);
		if (p->has_profile)
			describe_profile(&o, &p->prof);
	}
	say(&o, "\nfields (from the persistent tables; secrets by size only)\n");
	fields(&o, &eum_pt_ecasd, &ps->ecasd, "ecasd.");
	fields(&o, &eum_pt_isdr, &ps->isdr, "isdr.");
	fields(&o, &eum_pt_isdr_cntr, &ps->isdr, "isdr.");
	fields(&o, &eum_pt_es5, &ps->isdr.es5, "isdr.es5.");
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = ps->isdp[i];
		if (!p->in_use)
			continue;
		snprintf(prefix, sizeof(prefix), "isdp[%zu]->", i);
		fields(&o, &eum_pt_isdp, p, prefix);
		if (!p->has_profile)
			continue;
		snprintf(prefix, sizeof(prefix), "isdp[%zu]->profile.", i);
		fields(&o, &eum_pt_pins, &p->prof.pins, prefix);
		fields(&o, &eum_pt_aka, &p->prof.aka, prefix);
		fields(&o, &eum_pt_rfm, &p->prof, prefix);
		fields(&o, &eum_pt_ota_keys, &p->prof, prefix);
		fields(&o, &eum_pt_ota_cntr, &p->prof, prefix);
		fields(&o, &eum_pt_mnosd, &p->prof, prefix);
	}
	eum_pstate_free(ps);
	free(ps);
	return o.len < cap ? EUM_OK : EUM_ERR_BUFFER_TOO_SMALL;
}
