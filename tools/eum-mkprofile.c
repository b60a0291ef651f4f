/*
 * eum-mkprofile: writes a TCA eUICC Profile Package (PE_Definitions 3.3.1, DER; spec digest
 * profile-package.md) from a readable libconfig description (examples/profiles/bootstrap.conf
 * documents the format). Each profile element is built as the asn1c structure of its type and
 * DER-encoded with der_encode(), so the package is exactly what the ASN.1 module defines.
 *
 * PEs supported: header, mf / usim (template PEs: File members by name), genericFileManagement,
 * pukCodes, pinCodes, akaParameter (Milenage with OP or OPc, or the test algorithm), securityDomain
 * (SCP80 and SCP03 key sets), rfm, end. Every PE is marked mandated.
 *
 * Build tool, not part of the card: it uses mbedTLS (OPc = E_K(OP) xor OP, TS 35.206 §4.1) and
 * libconfig directly and shares no code with src/. The output depends only on the input.
 * Usage: eum-mkprofile SOURCE.conf OUT.der [--c-array OUT.c SYMBOL]
 *   --c-array also writes OUT.c defining `const uint8_t SYMBOL[]` and `const size_t SYMBOL_len`
 *   (how the build embeds the bootstrap profile in libeum).
 */
#include "mkprofile.h"

#include <mbedtls/platform_util.h>

const char *mkp_src_name;

/* Report an error at the line of setting s (or without a line) and return -1. */
int mkp_fail(const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	if (s && config_setting_source_line(s))
		fprintf(stderr, "eum-mkprofile: %s:%u: ", mkp_src_name, config_setting_source_line(s));
	else
		fprintf(stderr, "eum-mkprofile: %s: ", mkp_src_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* ---- values -------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits (spaces allowed between byte pairs) into out[0..cap); -1 if malformed. */
long mkp_hex_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		int hi, lo;
		if (*s == ' ') {
			s++;
			continue;
		}
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0 || n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (long)n;
}

/* Optional hex member `name` of s into buf; returns its length, -2 when absent, -1 on error. */
long mkp_get_hex(const config_setting_t *s, const char *name, uint8_t *buf, size_t cap)
{
	const char *v;
	long n;

	if (!config_setting_lookup_string(s, name, &v))
		return config_setting_get_member(s, name) ? mkp_fail(s, "%s must be a hex string", name) : -2;
	n = mkp_hex_decode(v, buf, cap);
	if (n < 0)
		return mkp_fail(config_setting_get_member(s, name), "%s: bad hex or too long", name);
	return n;
}

int mkp_os_set(OCTET_STRING_t *os, const uint8_t *b, size_t n)
{
	return OCTET_STRING_fromBuf(os, (const char *)b, (int)n) ? mkp_fail(NULL, "out of memory") : 0;
}

OCTET_STRING_t *mkp_os_new(const uint8_t *b, size_t n)
{
	OCTET_STRING_t *os = calloc(1, sizeof(*os));

	if (!os || mkp_os_set(os, b, n)) {
		free(os);
		mkp_fail(NULL, "out of memory");
		return NULL;
	}
	return os;
}

/* Required hex member into an OCTET STRING of min..max bytes. */
int mkp_req_hex_os(const config_setting_t *s, const char *name, OCTET_STRING_t *os, size_t min, size_t max)
{
	uint8_t buf[HEX_MAX];
	long n = mkp_get_hex(s, name, buf, sizeof(buf));

	if (n == -2)
		return mkp_fail(s, "missing %s", name);
	if (n < 0)
		return -1;
	if ((size_t)n < min || (size_t)n > max)
		return mkp_fail(config_setting_get_member(s, name), "%s: %ld bytes, expected %zu..%zu", name, n, min,
		                max);
	return mkp_os_set(os, buf, (size_t)n);
}

int mkp_get_int(const config_setting_t *s, const char *name, int *v, int dflt, int min, int max)
{
	if (!config_setting_lookup_int(s, name, v)) {
		if (config_setting_get_member(s, name))
			return mkp_fail(s, "%s must be an integer", name);
		*v = dflt;
	}
	if (*v < min || *v > max)
		return mkp_fail(config_setting_get_member(s, name), "%s out of range %d..%d", name, min, max);
	return 0;
}

long *mkp_long_new(long v)
{
	long *p = malloc(sizeof(*p));

	if (p)
		*p = v;
	else
		mkp_fail(NULL, "out of memory");
	return p;
}

/* BCD digit string, nibble-swapped, F-padded (TS 102 221 §13.2 ICCID coding). */
int mkp_bcd_swapped(const char *digits, uint8_t *out, size_t len)
{
	size_t i, n = strlen(digits);

	if (n > 2 * len)
		return -1;
	memset(out, 0xFF, len);
	for (i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return -1;
		if (i & 1)
			out[i / 2] = (uint8_t)((out[i / 2] & 0x0F) | (digits[i] - '0') << 4);
		else
			out[i / 2] = (uint8_t)(0xF0 | (digits[i] - '0'));
	}
	return 0;
}

/* EF.IMSI content (TS 31.102 §4.2.2): length, then parity nibble and the digits, nibble-swapped. */
int mkp_imsi_content(const char *digits, uint8_t out[9])
{
	size_t i, n = strlen(digits);

	if (n < 6 || n > 15)
		return -1;
	memset(out, 0xFF, 9);
	out[0] = (uint8_t)((n + 2) / 2);
	out[1] = (uint8_t)(((digits[0] - '0') << 4) | (n & 1 ? 0x09 : 0x01));
	for (i = 1; i < n; i++) {
		uint8_t d = (uint8_t)(digits[i] - '0');
		size_t b = 1 + (i + 1) / 2;
		if (digits[i] < '0' || digits[i] > '9' || digits[0] < '0' || digits[0] > '9')
			return -1;
		out[b] = (i & 1) ? (uint8_t)((out[b] & 0xF0) | d) : (uint8_t)((out[b] & 0x0F) | d << 4);
	}
	return 0;
}

void *mkp_pe_new(ProfileElement_t **pe, ProfileElement_PR pr)
{
	*pe = calloc(1, sizeof(**pe));
	if (!*pe)
		return NULL;
	(*pe)->present = pr;
	return &(*pe)->choice;
}

int mkp_set_header(PEHeader_t *h, const config_setting_t *s)
{
	int id;

	if (!config_setting_lookup_int(s, "id", &id) || id < 0 || id > 32767)
		return mkp_fail(s, "missing or bad PE id");
	h->identification = id;
	h->mandated = calloc(1, sizeof(*h->mandated));
	return h->mandated ? 0 : mkp_fail(NULL, "out of memory");
}

static int build_header(const config_setting_t *s, ProfileElement_t **pe, uint8_t iccid[10])
{
	ProfileHeader_t *h = mkp_pe_new(pe, ProfileElement_PR_header);
	const asn_TYPE_descriptor_t *sl = &asn_DEF_ServicesList;
	const config_setting_t *l;
	const char *v;
	int i, k, major, minor;

	if (!h)
		return mkp_fail(NULL, "out of memory");
	if (!s)
		return mkp_fail(NULL, "missing header");
	if (mkp_get_int(s, "major_version", &major, 2, 1, 255) || mkp_get_int(s, "minor_version", &minor, 3, 0, 255))
		return -1;
	h->major_version = major;
	h->minor_version = minor;
	if (config_setting_lookup_string(s, "profile_type", &v) &&
	    !(h->profileType = OCTET_STRING_new_fromBuf(&asn_DEF_UTF8String, v, -1)))
		return mkp_fail(NULL, "out of memory");
	if (!config_setting_lookup_string(s, "iccid", &v) || strlen(v) < 18 || mkp_bcd_swapped(v, iccid, 10))
		return mkp_fail(s, "missing or bad iccid (18..20 digits)");
	if (mkp_os_set(&h->iccid, iccid, 10))
		return -1;
	l = config_setting_get_member(s, "mandatory_services");
	for (i = 0; l && i < config_setting_length(l); i++) {
		const char *name = config_setting_get_string_elem(l, i);
		for (k = 0; name && k < sl->elements_count; k++)
			if (!strcmp(sl->elements[k].name, name))
				break;
		if (!name || k == sl->elements_count)
			return mkp_fail(l, "unknown service %s", name ? name : "?");
		if (!(*(NULL_t **)((char *)&h->eUICC_Mandatory_services + sl->elements[k].memb_offset) =
		              calloc(1, sizeof(NULL_t))))
			return mkp_fail(NULL, "out of memory");
	}
	l = config_setting_get_member(s, "mandatory_templates");
	for (i = 0; l && i < config_setting_length(l); i++) {
		const char *oid = config_setting_get_string_elem(l, i);
		OBJECT_IDENTIFIER_t *o = calloc(1, sizeof(*o));
		long arcs[16];
		int n;
		if (!o || ASN_SEQUENCE_ADD(&h->eUICC_Mandatory_GFSTEList.list, o)) {
			free(o);
			return mkp_fail(NULL, "out of memory");
		}
		if (!oid || (n = OBJECT_IDENTIFIER_parse_arcs(oid, -1, arcs, 16, NULL)) < 2 || n > 16 ||
		    OBJECT_IDENTIFIER_set_arcs(o, arcs, sizeof(arcs[0]), (unsigned)n))
			return mkp_fail(l, "bad template OID");
	}
	return 0;
}

/* ---- output ------------------------------------------------------------------ */

static int out_cb(const void *buf, size_t size, void *key)
{
	struct out *o = key;

	if (o->len + size > o->cap) {
		size_t ncap = (o->cap ? o->cap * 2 : 4096) + size;
		uint8_t *p = realloc(o->p, ncap);
		if (!p)
			return -1;
		o->p = p;
		o->cap = ncap;
	}
	memcpy(o->p + o->len, buf, size);
	o->len += size;
	return 0;
}

static int encode_pe(ProfileElement_t *pe, struct out *o, const config_setting_t *s)
{
	asn_enc_rval_t er = der_encode(&asn_DEF_ProfileElement, pe, out_cb, o);

	if (er.encoded < 0)
		return mkp_fail(s, "DER encoding failed in %s", er.failed_type ? er.failed_type->name : "?");
	return 0;
}

static int build_package(const config_t *cfg, struct out *o)
{
	const config_setting_t *els = config_lookup(cfg, "elements");
	ProfileElement_t *pe = NULL;
	uint8_t iccid[10];
	int i, rc;

	rc = build_header(config_lookup(cfg, "header"), &pe, iccid);
	if (!rc)
		rc = encode_pe(pe, o, NULL);
	ASN_STRUCT_FREE(asn_DEF_ProfileElement, pe);
	if (rc)
		return rc;
	if (!els || !config_setting_is_list(els))
		return mkp_fail(NULL, "missing elements list");
	for (i = 0; i < config_setting_length(els); i++) {
		const config_setting_t *s = config_setting_get_elem(els, (unsigned)i);
		const char *type;
		pe = NULL;
		if (!config_setting_lookup_string(s, "pe", &type))
			return mkp_fail(s, "missing pe");
		if (!strcmp(type, "mf"))
			rc = mkp_build_template_pe(s, ProfileElement_PR_mf, &pe, iccid);
		else if (!strcmp(type, "usim"))
			rc = mkp_build_template_pe(s, ProfileElement_PR_usim, &pe, iccid);
		else if (!strcmp(type, "genericFileManagement"))
			rc = mkp_build_gfm(s, &pe, iccid);
		else if (!strcmp(type, "pukCodes"))
			rc = mkp_build_puks(s, &pe);
		else if (!strcmp(type, "pinCodes"))
			rc = mkp_build_pins(s, &pe);
		else if (!strcmp(type, "akaParameter"))
			rc = mkp_build_aka(s, &pe);
		else if (!strcmp(type, "securityDomain"))
			rc = mkp_build_sd(s, &pe);
		else if (!strcmp(type, "rfm"))
			rc = mkp_build_rfm(s, &pe);
		else if (!strcmp(type, "end"))
			rc = mkp_build_end(s, &pe);
		else
			rc = mkp_fail(s, "unsupported pe %s", type);
		if (!rc)
			rc = encode_pe(pe, o, s);
		if (pe)
			ASN_STRUCT_FREE(asn_DEF_ProfileElement, pe);
		if (rc)
			return rc;
	}
	return 0;
}

static int write_file(const char *path, const char *mode, const void *p, size_t n)
{
	FILE *f = fopen(path, mode);

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "eum-mkprofile: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

/* The package as a C array (no xxd needed). */
static int write_c_array(const char *path, const char *sym, const struct out *o)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f) {
		fprintf(stderr, "eum-mkprofile: cannot write %s\n", path);
		return -1;
	}
	fprintf(f, "/* Generated by tools/eum-mkprofile from %s: do not edit. */\n", mkp_src_name);
	fprintf(f, "#include <stddef.h>\n#include <stdint.h>\n\n");
	fprintf(f, "extern const uint8_t %s[];\nextern const size_t %s_len;\n\n", sym, sym);
	fprintf(f, "const uint8_t %s[] = {", sym);
	for (i = 0; i < o->len; i++)
		fprintf(f, "%s0x%02x,", i % 12 ? " " : "\n\t", o->p[i]);
	fprintf(f, "\n};\nconst size_t %s_len = sizeof(%s);\n", sym, sym);
	if (fclose(f) != 0) {
		fprintf(stderr, "eum-mkprofile: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct out o = {NULL, 0, 0};
	config_t cfg;
	int rc = 1;

	if (argc != 3 && !(argc == 6 && !strcmp(argv[3], "--c-array"))) {
		fprintf(stderr, "usage: eum-mkprofile SOURCE.conf OUT.der [--c-array OUT.c SYMBOL]\n");
		return 2;
	}
	/* the name printed in messages and in the generated file: without the directory */
	mkp_src_name = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	config_init(&cfg);
	if (!config_read_file(&cfg, argv[1])) {
		fprintf(stderr, "eum-mkprofile: %s:%d: %s\n", argv[1], config_error_line(&cfg),
		        config_error_text(&cfg));
		goto out;
	}
	if (build_package(&cfg, &o) || write_file(argv[2], "wb", o.p, o.len) ||
	    (argc == 6 && write_c_array(argv[4], argv[5], &o)))
		goto out;
	rc = 0;
out:
	config_destroy(&cfg);
	if (o.p)
		mbedtls_platform_zeroize(o.p, o.cap); /* the package holds keys */
	free(o.p);
	return rc;
}
