/*
 * Unit test: asn1c (0.9.28) decoding of TCA eUICC Profile Packages, module PE_Definitions-3.3.1
 * (PEDefinitions version-three, AUTOMATIC TAGS). A Profile Package is DER ProfileElement values
 * concatenated with no outer SEQUENCE, header first and end last (spec digest profile-package.md §1).
 *
 * Data: tests/data/ts48/ holds the GSMA TS.48 test profiles and their pySim summaries (.json); the
 * decoded PE sequence, PE identifications, ICCID and version must match the summary, and damaged
 * copies (truncated, bit-flipped) must be rejected or decoded without crash or leak (run it under
 * -DEUM_SANITIZE=ON).
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

#define MAX_PES 128

/*
 * Every ProfileElement CHOICE alternative: ASN.1 identifier (as pySim names it in the .json),
 * asn1c's PR value, the DER tag derived in profile-package.md §2 and where asn1c puts the PEHeader
 * (the member name differs per PE type; the ProfileHeader and the PE-Dummy rfu* have none).
 */
struct pe_kind {
	const char *name;
	ProfileElement_PR pr;
	uint8_t tag[2];
	size_t tag_len;
	ptrdiff_t hdr_off;
};

#define PE_H(n, p, m, h, t)                                                                                            \
	{                                                                                                              \
		n, ProfileElement_PR_##p, {t, 0}, 1, (ptrdiff_t)offsetof(ProfileElement_t, choice.m.h)                 \
	}
#define PE_H2(n, p, m, h, t)                                                                                           \
	{                                                                                                              \
		n, ProfileElement_PR_##p, {0xbf, t}, 2, (ptrdiff_t)offsetof(ProfileElement_t, choice.m.h)              \
	}
#define PE_NOH(n, p, t)                                                                                                \
	{                                                                                                              \
		n, ProfileElement_PR_##p, {t, 0}, 1, -1                                                                \
	}

static const struct pe_kind pe_kinds[] = {
        PE_NOH("header", header, 0xa0),
        PE_H("genericFileManagement", genericFileManagement, genericFileManagement, gfm_header, 0xa1),
        PE_H("pinCodes", pinCodes, pinCodes, pin_Header, 0xa2),
        PE_H("pukCodes", pukCodes, pukCodes, puk_Header, 0xa3),
        PE_H("akaParameter", akaParameter, akaParameter, aka_header, 0xa4),
        PE_H("cdmaParameter", cdmaParameter, cdmaParameter, cdma_header, 0xa5),
        PE_H("securityDomain", securityDomain, securityDomain, sd_Header, 0xa6),
        PE_H("rfm", rfm, rfm, rfm_header, 0xa7),
        PE_H("application", application, application, app_Header, 0xa8),
        PE_H("nonStandard", nonStandard, nonStandard, nonStandard_header, 0xa9),
        PE_H("end", end, end, end_header, 0xaa),
        PE_NOH("rfu1", rfu1, 0xab),
        PE_NOH("rfu2", rfu2, 0xac),
        PE_NOH("rfu3", rfu3, 0xad),
        PE_NOH("rfu4", rfu4, 0xae),
        PE_NOH("rfu5", rfu5, 0xaf),
        PE_H("mf", mf, mf, mf_header, 0xb0),
        PE_H("cd", cd, cd, cd_header, 0xb1),
        PE_H("telecom", telecom, telecom, telecom_header, 0xb2),
        PE_H("usim", usim, usim, usim_header, 0xb3),
        PE_H("opt-usim", opt_usim, opt_usim, optusim_header, 0xb4),
        PE_H("isim", isim, isim, isim_header, 0xb5),
        PE_H("opt-isim", opt_isim, opt_isim, optisim_header, 0xb6),
        PE_H("phonebook", phonebook, phonebook, phonebook_header, 0xb7),
        PE_H("gsm-access", gsm_access, gsm_access, gsm_access_header, 0xb8),
        PE_H("csim", csim, csim, csim_header, 0xb9),
        PE_H("opt-csim", opt_csim, opt_csim, optcsim_header, 0xba),
        PE_H("eap", eap, eap, eap_header, 0xbb),
        PE_H("df-5gs", df_5gs, df_5gs, df_5gs_header, 0xbc),
        PE_H("df-saip", df_saip, df_saip, df_saip_header, 0xbd),
        PE_H("df-snpn", df_snpn, df_snpn, df_snpn_header, 0xbe),
        PE_H2("df-5gprose", df_5gprose, df_5gprose, df_5g_prose_header, 0x1f),
        PE_H2("iot", iot, iot, iot_header, 0x20),
        PE_H2("opt-iot", opt_iot, opt_iot, optiot_header, 0x21),
};

#define N_KINDS (sizeof(pe_kinds) / sizeof(pe_kinds[0]))

static const struct pe_kind *kind_by_pr(ProfileElement_PR pr)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (pe_kinds[i].pr == pr)
			return &pe_kinds[i];
	return NULL;
}

static const struct pe_kind *kind_by_name(const char *name)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (strcmp(pe_kinds[i].name, name) == 0)
			return &pe_kinds[i];
	return NULL;
}

/* ---- test data ----------------------------------------------------------------------------- */

/* Reads a whole file into a NUL-terminated heap buffer (owned by the caller). */
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
	fclose(f);
	buf[sz] = 0;
	*len = (size_t)sz;
	return buf;
}

/*
 * What we need from the pySim summary. The .json is pretty-printed by Python's json module, so a
 * few strstr()s suffice: the top-level keys come before any nested object, and pe_sequence is an
 * array of flat objects (no nested '[').
 */
struct expect_pe {
	const struct pe_kind *kind;
	long id; /* -1: null (the ProfileHeader carries no PEHeader) */
};

struct expect {
	size_t size;
	long major, minor;
	uint8_t iccid[10];
	size_t n_pes;
	struct expect_pe pes[MAX_PES];
};

static const char *json_value(const char *json, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	const char *p = strstr(json, pat);
	if (!p)
		fail_msg("key %s missing from the .json", key);
	return p + strlen(pat);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void parse_expect(const char *json, struct expect *e)
{
	char *endp;
	memset(e, 0, sizeof(*e));

	e->size = strtoul(json_value(json, "size"), &endp, 10);

	const char *v = json_value(json, "saip_version");
	assert_int_equal(*v, '"');
	e->major = strtol(v + 1, &endp, 10);
	assert_int_equal(*endp, '.');
	e->minor = strtol(endp + 1, &endp, 10);

	v = json_value(json, "iccid_raw");
	assert_int_equal(*v++, '"');
	for (size_t i = 0; i < sizeof(e->iccid); i++) {
		int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);
		assert_true(hi >= 0 && lo >= 0);
		e->iccid[i] = (uint8_t)(hi << 4 | lo);
	}
	assert_int_equal(v[2 * sizeof(e->iccid)], '"');

	const char *p = json_value(json, "pe_sequence");
	assert_int_equal(*p, '[');
	const char *end = strchr(p, ']');
	assert_non_null(end);
	assert_null(memchr(p + 1, '[', (size_t)(end - p - 1)));
	for (;;) {
		const char *t = strstr(p, "\"type\": \"");
		if (!t || t > end)
			break;
		t += strlen("\"type\": \"");
		const char *q = strchr(t, '"');
		char name[32];
		assert_true(q && (size_t)(q - t) < sizeof(name));
		memcpy(name, t, (size_t)(q - t));
		name[q - t] = 0;
		assert_true(e->n_pes < MAX_PES);
		struct expect_pe *ep = &e->pes[e->n_pes++];
		ep->kind = kind_by_name(name);
		if (!ep->kind)
			fail_msg("unknown PE type '%s' in .json", name);
		const char *idv = strstr(q, "\"identification\": ");
		assert_true(idv && idv < end);
		idv += strlen("\"identification\": ");
		if (strncmp(idv, "null", 4) == 0) {
			ep->id = -1;
			p = idv + 4;
		} else {
			ep->id = strtol(idv, &endp, 10);
			assert_true(endp != idv);
			p = endp;
		}
	}
	assert_true(e->n_pes >= 2);
}

/* ---- decoding ------------------------------------------------------------------------------ */

struct seen_pe {
	ProfileElement_PR pr;
	long id; /* -1 when the PE type has no PEHeader */
	size_t off, len;
};

enum stream_stop { STOP_END, STOP_WMORE, STOP_FAIL, STOP_NO_PROGRESS, STOP_TOO_MANY };

struct stream {
	size_t n;
	struct seen_pe pes[MAX_PES];
	enum stream_stop stop;
	/* From the first ProfileHeader decoded, if any. */
	int have_header;
	long major, minor;
	uint8_t iccid[10];
	size_t iccid_len;
};

static void note_header(struct stream *s, const ProfileHeader_t *h)
{
	if (s->have_header)
		return;
	s->have_header = 1;
	s->major = h->major_version;
	s->minor = h->minor_version;
	/* asn1c's OCTET_STRING_t.size is an int. */
	s->iccid_len = h->iccid.size < 0 ? 0 : (size_t)h->iccid.size;
	if (s->iccid_len <= sizeof(s->iccid))
		memcpy(s->iccid, h->iccid.buf, s->iccid_len);
}

/*
 * Decodes buf as back-to-back ProfileElements, each ber_decode() bounded by the bytes left, and
 * frees every decoded (or partially decoded) structure. Stops at the end or the first failure.
 */
static void decode_stream(const uint8_t *buf, size_t len, struct stream *s)
{
	size_t off = 0;
	memset(s, 0, sizeof(*s));
	s->stop = STOP_END;
	while (off < len) {
		ProfileElement_t *pe = NULL;
		asn_dec_rval_t rv = ber_decode(NULL, &asn_DEF_ProfileElement, (void **)&pe, buf + off, len - off);
		if (rv.code == RC_OK && rv.consumed > 0 && s->n == MAX_PES) {
			s->stop = STOP_TOO_MANY;
		} else if (rv.code == RC_OK && rv.consumed > 0) {
			const struct pe_kind *k = kind_by_pr(pe->present);
			struct seen_pe *sp = &s->pes[s->n++];
			sp->pr = pe->present;
			sp->id = -1;
			if (k && k->hdr_off >= 0)
				sp->id = ((const PEHeader_t *)(const void *)((const char *)pe + k->hdr_off))
				                 ->identification;
			if (pe->present == ProfileElement_PR_header)
				note_header(s, &pe->choice.header);
			sp->off = off;
			sp->len = rv.consumed;
			off += rv.consumed;
		} else {
			s->stop = rv.code == RC_WMORE ? STOP_WMORE : rv.code == RC_FAIL ? STOP_FAIL : STOP_NO_PROGRESS;
		}
		ASN_STRUCT_FREE(asn_DEF_ProfileElement, pe);
		if (s->stop != STOP_END)
			return;
	}
}

/* ---- tests --------------------------------------------------------------------------------- */

/* Our PE table (names, PR values, derived tags) agrees with what asn1c compiled from the module. */
static void test_pe_table_matches_asn1c(void **state)
{
	(void)state;
	assert_int_equal(asn_DEF_ProfileElement.elements_count, N_KINDS);
	for (size_t i = 0; i < N_KINDS; i++) {
		const struct pe_kind *k = &pe_kinds[i];
		/* CHOICE PR values are the alternative's position + 1 (0 = PR_NOTHING). */
		assert_int_equal(k->pr, i + 1);
		const asn_TYPE_member_t *m = &asn_DEF_ProfileElement.elements[k->pr - 1];
		assert_string_equal(m->name, k->name);
		unsigned number = k->tag_len == 1 ? (k->tag[0] & 0x1fu) : k->tag[1];
		assert_int_equal(BER_TAG_CLASS(m->tag), ASN_TAG_CLASS_CONTEXT);
		assert_int_equal(BER_TAG_VALUE(m->tag), number);
	}
}

static void load_vector(const char *base, uint8_t **der, size_t *der_len, struct expect *e)
{
	size_t json_len;
	uint8_t *json = load_file(base, ".json", &json_len);
	parse_expect((const char *)json, e);
	free(json);
	*der = load_file(base, ".der", der_len);
	assert_int_equal(*der_len, e->size);
}

/* The whole package decodes PE by PE into exactly the sequence pySim reports. */
static void test_decode_matches_summary(void **state)
{
	const char *base = *state;
	uint8_t *der;
	size_t len;
	struct expect e;
	struct stream s;
	load_vector(base, &der, &len, &e);

	decode_stream(der, len, &s);
	assert_int_equal(s.stop, STOP_END);
	assert_int_equal(s.n, e.n_pes);
	size_t off = 0;
	for (size_t i = 0; i < s.n; i++) {
		const struct pe_kind *k = kind_by_pr(s.pes[i].pr);
		assert_non_null(k);
		if (k != e.pes[i].kind)
			fail_msg("%s: PE %zu is %s, summary says %s", base, i, k->name, e.pes[i].kind->name);
		assert_int_equal(s.pes[i].id, e.pes[i].id);
		/* PEs are back to back and start with the derived context tag (constructed). */
		assert_int_equal(s.pes[i].off, off);
		assert_memory_equal(der + off, k->tag, k->tag_len);
		off += s.pes[i].len;
	}
	assert_int_equal(off, len);
	assert_int_equal(s.pes[0].pr, ProfileElement_PR_header);
	assert_int_equal(s.pes[s.n - 1].pr, ProfileElement_PR_end);

	assert_true(s.have_header);
	assert_int_equal(s.major, e.major);
	assert_int_equal(s.minor, e.minor);
	assert_int_equal(s.iccid_len, sizeof(e.iccid));
	assert_memory_equal(s.iccid, e.iccid, sizeof(e.iccid));
	free(der);
}

/*
 * Every prefix of a PE is incomplete DER: the decoder must ask for more (RC_WMORE), never accept
 * it, and leave nothing behind once freed. Every cut of PEs up to FULL_CUT_MAX bytes (the
 * ProfileHeader, PE-MF, PIN/PUK, ...); larger PEs every CUT_STRIDE-th cut plus their last bytes.
 */
#define FULL_CUT_MAX 800
#define CUT_STRIDE   13

static void test_truncated_pe_rejected(void **state)
{
	const char *base = *state;
	uint8_t *der;
	size_t len;
	struct expect e;
	struct stream s;
	load_vector(base, &der, &len, &e);
	decode_stream(der, len, &s);
	assert_int_equal(s.stop, STOP_END);

	for (size_t i = 0; i < s.n; i++) {
		size_t n = s.pes[i].len;
		for (size_t cut = 0; cut < n; cut++) {
			if (n > FULL_CUT_MAX && cut % CUT_STRIDE != 0 && cut < n - 32)
				continue;
			ProfileElement_t *pe = NULL;
			asn_dec_rval_t rv =
			        ber_decode(NULL, &asn_DEF_ProfileElement, (void **)&pe, der + s.pes[i].off, cut);
			if (rv.code != RC_WMORE)
				fail_msg("%s: PE %zu cut at %zu/%zu gave code %d", base, i, cut, n, (int)rv.code);
			ASN_STRUCT_FREE(asn_DEF_ProfileElement, pe);
		}
	}
	free(der);
}

/* The whole package cut short: every PE before the cut decodes, the cut one asks for more. */
static void test_truncated_package(void **state)
{
	const char *base = *state;
	uint8_t *der;
	size_t len;
	struct expect e;
	struct stream full, s;
	load_vector(base, &der, &len, &e);
	decode_stream(der, len, &full);
	assert_int_equal(full.stop, STOP_END);

	for (size_t k = 0; k <= 8; k++) {
		size_t cut = k == 8 ? len - 1 : len * k / 8;
		size_t complete = 0;
		int on_boundary = cut == 0;
		for (size_t i = 0; i < full.n; i++) {
			if (full.pes[i].off + full.pes[i].len <= cut)
				complete++;
			if (full.pes[i].off + full.pes[i].len == cut)
				on_boundary = 1;
		}
		decode_stream(der, cut, &s);
		assert_int_equal(s.n, complete);
		assert_int_equal(s.stop, on_boundary ? STOP_END : STOP_WMORE);
		for (size_t i = 0; i < s.n; i++) {
			assert_int_equal(s.pes[i].pr, full.pes[i].pr);
			assert_int_equal(s.pes[i].id, full.pes[i].id);
		}
	}
	free(der);
}

/* Index of the PE holding byte `pos`. */
static size_t pe_at(const struct stream *s, size_t pos)
{
	for (size_t i = 0; i < s->n; i++)
		if (pos < s->pes[i].off + s->pes[i].len)
			return i;
	fail_msg("position %zu beyond the package", pos);
	return 0;
}

/*
 * Flips one bit of the package and decodes the damaged copy as a stream, up to `limit` bytes
 * (the whole copy, or a window ending a little after the damaged PE to keep exhaustive runs cheap).
 */
static void flip_and_check(const char *base, uint8_t *copy, size_t limit, const struct stream *full, size_t bit)
{
	struct stream s;
	size_t pos = bit / 8, hit = pe_at(full, pos);
	copy[pos] ^= (uint8_t)(1u << (bit % 8));
	decode_stream(copy, limit, &s);
	copy[pos] ^= (uint8_t)(1u << (bit % 8));
	/* The PEs before the damaged one are untouched and must still decode identically. */
	if (s.n < hit)
		fail_msg("%s: bit %zu (PE %zu) stopped decoding at PE %zu", base, bit, hit, s.n);
	for (size_t i = 0; i < hit; i++) {
		assert_int_equal(s.pes[i].pr, full->pes[i].pr);
		assert_int_equal(s.pes[i].id, full->pes[i].id);
	}
	assert_true(s.stop != STOP_NO_PROGRESS);
}

/*
 * Single bit flips: every bit of the ProfileHeader (decoded up to the end of the third PE after it)
 * and a fixed pseudo-random set across the package (decoded to the end). Each damaged copy is decoded as a stream;
 * whatever the decoder makes of it, it must stop cleanly (ASan/UBSan/LSan in the sanitizer build).
 */
static void test_bit_flips(void **state)
{
	const char *base = *state;
	uint8_t *der;
	size_t len;
	struct expect e;
	struct stream full;
	load_vector(base, &der, &len, &e);
	decode_stream(der, len, &full);
	assert_int_equal(full.stop, STOP_END);
	assert_true(full.n >= 4);
	size_t first_bits = 8 * full.pes[0].len;
	size_t window = full.pes[3].off + full.pes[3].len;
	for (size_t bit = 0; bit < first_bits; bit++)
		flip_and_check(base, der, window, &full, bit);

	uint32_t x = 0x2545f491u; /* xorshift32, fixed seed: the same bits every run */
	for (int i = 0; i < 300; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		flip_and_check(base, der, len, &full, x % (8 * len));
	}
	free(der);
}

/*
 * One cmocka test per (check, profile), named "check/profile"; the state is the base name of the
 * files in tests/data/ts48/.
 */
#define T(fn, name)                                                                                                    \
	{                                                                                                              \
#fn "/" name, fn, NULL, NULL, (void *)name                                                             \
	}
#define PER_VECTOR(i)                                                                                                  \
	T(test_decode_matches_summary, i), T(test_truncated_pe_rejected, i), T(test_truncated_package, i),             \
	        T(test_bit_flips, i)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pe_table_matches_asn1c),
	        PER_VECTOR("TS48V1-A-UNIQUE"),
	        PER_VECTOR("TS48V2-SAIP2-3-NOBERTLV-UNIQUE"),
	        PER_VECTOR("TS48V4-SAIP2-1B-NOBERTLV-UNIQUE"),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
