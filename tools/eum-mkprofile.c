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
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>
#include <mbedtls/aes.h>
#include <mbedtls/platform_util.h>

#include "FileManagement.h"
#include "KeyObject.h"
#include "PINConfiguration.h"
#include "PUKConfiguration.h"
#include "ProfileElement.h"

#define HEX_MAX 4096 /* longest hex value in the source (bytes) */

struct out {
	uint8_t *p;
	size_t len, cap;
};

static const char *src_name;

/* Report an error at the line of setting s (or without a line) and return -1. */
static int fail(const config_setting_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	if (s && config_setting_source_line(s))
		fprintf(stderr, "eum-mkprofile: %s:%u: ", src_name, config_setting_source_line(s));
	else
		fprintf(stderr, "eum-mkprofile: %s: ", src_name);
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
static long hex_decode(const char *s, uint8_t *out, size_t cap)
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
static long get_hex(const config_setting_t *s, const char *name, uint8_t *buf, size_t cap)
{
	const char *v;
	long n;

	if (!config_setting_lookup_string(s, name, &v))
		return config_setting_get_member(s, name) ? fail(s, "%s must be a hex string", name) : -2;
	n = hex_decode(v, buf, cap);
	if (n < 0)
		return fail(config_setting_get_member(s, name), "%s: bad hex or too long", name);
	return n;
}

static int os_set(OCTET_STRING_t *os, const uint8_t *b, size_t n)
{
	return OCTET_STRING_fromBuf(os, (const char *)b, (int)n) ? fail(NULL, "out of memory") : 0;
}

static OCTET_STRING_t *os_new(const uint8_t *b, size_t n)
{
	OCTET_STRING_t *os = calloc(1, sizeof(*os));

	if (!os || os_set(os, b, n)) {
		free(os);
		fail(NULL, "out of memory");
		return NULL;
	}
	return os;
}

/* Required hex member into an OCTET STRING of min..max bytes. */
static int req_hex_os(const config_setting_t *s, const char *name, OCTET_STRING_t *os, size_t min, size_t max)
{
	uint8_t buf[HEX_MAX];
	long n = get_hex(s, name, buf, sizeof(buf));

	if (n == -2)
		return fail(s, "missing %s", name);
	if (n < 0)
		return -1;
	if ((size_t)n < min || (size_t)n > max)
		return fail(config_setting_get_member(s, name), "%s: %ld bytes, expected %zu..%zu", name, n, min, max);
	return os_set(os, buf, (size_t)n);
}

static int get_int(const config_setting_t *s, const char *name, int *v, int dflt, int min, int max)
{
	if (!config_setting_lookup_int(s, name, v)) {
		if (config_setting_get_member(s, name))
			return fail(s, "%s must be an integer", name);
		*v = dflt;
	}
	if (*v < min || *v > max)
		return fail(config_setting_get_member(s, name), "%s out of range %d..%d", name, min, max);
	return 0;
}

static long *long_new(long v)
{
	long *p = malloc(sizeof(*p));

	if (p)
		*p = v;
	else
		fail(NULL, "out of memory");
	return p;
}

/* BCD digit string, nibble-swapped, F-padded (TS 102 221 §13.2 ICCID coding). */
static int bcd_swapped(const char *digits, uint8_t *out, size_t len)
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
static int imsi_content(const char *digits, uint8_t out[9])
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

static void *pe_new(ProfileElement_t **pe, ProfileElement_PR pr)
{
	*pe = calloc(1, sizeof(**pe));
	if (!*pe)
		return NULL;
	(*pe)->present = pr;
	return &(*pe)->choice;
}

static int set_header(PEHeader_t *h, const config_setting_t *s)
{
	int id;

	if (!config_setting_lookup_int(s, "id", &id) || id < 0 || id > 32767)
		return fail(s, "missing or bad PE id");
	h->identification = id;
	h->mandated = calloc(1, sizeof(*h->mandated));
	return h->mandated ? 0 : fail(NULL, "out of memory");
}

/* ---- files ------------------------------------------------------------------ */

/* One file's Fcp from its description (TS 102 222 conventions, profile-package.md §4.4). */
static int build_fcp(const config_setting_t *f, Fcp_t *fcp, int *is_ef, size_t *rec_len, size_t *size)
{
	static const struct {
		const char *name;
		uint8_t fdb;
		int record;
	} kinds[] = {{"MF", 0x78, 0}, {"DF", 0x78, 0}, {"ADF", 0x78, 0},
	             {"TR", 0x41, 0}, {"LF", 0x42, 1}, {"CY", 0x46, 1}};
	const char *st;
	uint8_t buf[64];
	size_t k;
	long n;
	int v, nrec;

	if (!config_setting_lookup_string(f, "structure", &st))
		return fail(f, "missing structure");
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strcmp(st, kinds[k].name))
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return fail(f, "unknown structure %s", st);
	*is_ef = k >= 3;
	*rec_len = 0;
	*size = 0;

	/* 82 file descriptor: FDB, data coding 21, [record length (2 bytes)] */
	buf[0] = kinds[k].fdb;
	buf[1] = 0x21;
	if (kinds[k].record) {
		if (get_int(f, "rec_len", &v, 0, 1, 255) || get_int(f, "nrec", &nrec, 0, 1, 254))
			return -1;
		if (!v || !nrec)
			return fail(f, "record file needs rec_len and nrec");
		buf[2] = 0;
		buf[3] = (uint8_t)v;
		*rec_len = (size_t)v;
		*size = (size_t)v * (size_t)nrec;
	} else if (*is_ef) {
		if (get_int(f, "size", &v, 0, 1, 0x7FFF))
			return -1;
		if (!v)
			return fail(f, "transparent file needs size");
		*size = (size_t)v;
	}
	if (!(fcp->fileDescriptor = os_new(buf, kinds[k].record ? 4 : 2)))
		return -1;
	n = get_hex(f, "fid", buf, 2);
	if (n != 2)
		return n == -1 ? -1 : fail(f, "missing or bad fid");
	if (!(fcp->fileID = os_new(buf, 2)))
		return -1;
	if (!strcmp(st, "ADF")) {
		n = get_hex(f, "aid", buf, 16);
		if (n < 5)
			return n == -1 ? -1 : fail(f, "an ADF needs an aid of 5..16 bytes");
		if (!(fcp->dfName = os_new(buf, (size_t)n)))
			return -1;
	}
	/* 8B: the record in the implicit EF.ARR (TCA: 2F06 / 6F06 by position) */
	if (get_int(f, "arr", &v, 0, 0, 254))
		return -1;
	if (v) {
		buf[0] = (uint8_t)v;
		if (!(fcp->securityAttributesReferenced = os_new(buf, 1)))
			return -1;
	}
	if (*is_ef) {
		/* 80 file size (2 bytes); 88 SFI in b8-b4, or empty = no SFI (else the FID would give one) */
		buf[0] = (uint8_t)(*size >> 8);
		buf[1] = (uint8_t)*size;
		if (!(fcp->efFileSize = os_new(buf, 2)))
			return -1;
		if (get_int(f, "sfi", &v, 0, 0, 30))
			return -1;
		buf[0] = (uint8_t)(v << 3);
		if (!(fcp->shortEFID = os_new(buf, v ? 1 : 0)))
			return -1;
	} else {
		n = get_hex(f, "pin_status", buf, sizeof(buf));
		if (n == -1)
			return -1;
		if (n >= 0 && !(fcp->pinStatusTemplateDO = os_new(buf, (size_t)n)))
			return -1;
	}
	return 0;
}

/* Content commands of a file: fillFileContent / fillFileOffset pairs (profile-package.md §4.2). */
struct fill {
	int offset; /* 1: fillFileOffset of n bytes; 0: fillFileContent of data[0..n) */
	size_t n;
	uint8_t data[HEX_MAX];
};

typedef int (*fill_fn)(void *ctx, const struct fill *fl);

static int file_content(const config_setting_t *f, size_t rec_len, size_t size, const uint8_t *iccid, fill_fn fn,
                        void *ctx)
{
	const config_setting_t *recs = config_setting_get_member(f, "records");
	struct fill *fl = calloc(1, sizeof(*fl));
	const char *imsi, *fid;
	int rc = -1;
	long n;

	if (!fl)
		return fail(NULL, "out of memory");
	if (recs) {
		int i, cnt = config_setting_length(recs);
		if (!rec_len || config_setting_type(recs) != CONFIG_TYPE_ARRAY || (size_t)cnt * rec_len > size) {
			rc = fail(recs, "records need a record file and at most nrec entries");
			goto out;
		}
		for (i = 0; i < cnt; i++) {
			const char *hex = config_setting_get_string_elem(recs, i);
			n = hex ? hex_decode(hex, fl->data, rec_len) : -1;
			if (n < 0) {
				rc = fail(recs, "record %d: bad hex or longer than the record", i + 1);
				goto out;
			}
			/* the whole record: its bytes, then FF */
			memset(fl->data + n, 0xFF, rec_len - (size_t)n);
			fl->offset = 0;
			fl->n = rec_len;
			if (fn(ctx, fl))
				goto out;
		}
		rc = 0;
		goto out;
	}
	if (config_setting_lookup_string(f, "imsi", &imsi)) {
		if (size != 9 || imsi_content(imsi, fl->data)) {
			rc = fail(f, "bad imsi (6..15 digits, 9-byte file)");
			goto out;
		}
		fl->n = 9;
		rc = fn(ctx, fl);
		goto out;
	}
	n = get_hex(f, "content", fl->data, sizeof(fl->data));
	if (n == -1)
		goto out;
	if (n == -2 && iccid && config_setting_lookup_string(f, "fid", &fid) && !strcmp(fid, "2FE2")) {
		memcpy(fl->data, iccid, 10); /* EF.ICCID: the header's ICCID */
		n = 10;
	}
	if (n >= 0) {
		if ((size_t)n > size || rec_len) {
			rc = fail(f, "content longer than the file, or given for a record file (use records)");
			goto out;
		}
		fl->n = (size_t)n;
		if (fn(ctx, fl))
			goto out;
	}
	rc = 0;
out:
	free(fl);
	return rc;
}

/* fill callbacks: append to a template File or to a GFM FileManagement command list */
static int fill_file(void *ctx, const struct fill *fl)
{
	File_t *file = ctx;
	struct File__Member *m = calloc(1, sizeof(*m));

	if (!m || ASN_SEQUENCE_ADD(&file->list, m)) {
		free(m);
		return fail(NULL, "out of memory");
	}
	if (fl->offset) {
		m->present = File__Member_PR_fillFileOffset;
		m->choice.fillFileOffset = (long)fl->n;
		return 0;
	}
	m->present = File__Member_PR_fillFileContent;
	return os_set(&m->choice.fillFileContent, fl->data, fl->n);
}

static int fill_fm(void *ctx, const struct fill *fl)
{
	FileManagement_t *fm = ctx;
	struct FileManagement__Member *m = calloc(1, sizeof(*m));

	if (!m || ASN_SEQUENCE_ADD(&fm->list, m)) {
		free(m);
		return fail(NULL, "out of memory");
	}
	if (fl->offset) {
		m->present = FileManagement__Member_PR_fillFileOffset;
		m->choice.fillFileOffset = (long)fl->n;
		return 0;
	}
	m->present = FileManagement__Member_PR_fillFileContent;
	return os_set(&m->choice.fillFileContent, fl->data, fl->n);
}

/* A File member of a template PE: doNotCreate, or Fcp then content. */
static int build_file(const config_setting_t *f, File_t *file, const uint8_t *iccid)
{
	struct File__Member *m = calloc(1, sizeof(*m));
	size_t rec_len, size;
	int dnc = 0, is_ef;

	if (!m)
		return fail(NULL, "out of memory");
	if (ASN_SEQUENCE_ADD(&file->list, m)) {
		free(m);
		return fail(NULL, "out of memory");
	}
	if (config_setting_lookup_bool(f, "do_not_create", &dnc) && dnc) {
		m->present = File__Member_PR_doNotCreate;
		return 0;
	}
	m->present = File__Member_PR_fileDescriptor;
	if (build_fcp(f, &m->choice.fileDescriptor, &is_ef, &rec_len, &size))
		return -1;
	return is_ef ? file_content(f, rec_len, size, iccid, fill_file, file) : 0;
}

/* mf / usim: File members by ASN.1 name; templateID from `template`. */
static int build_template_pe(const config_setting_t *s, ProfileElement_PR pr, ProfileElement_t **pe,
                             const uint8_t *iccid)
{
	const asn_TYPE_descriptor_t *td = asn_DEF_ProfileElement.elements[pr - 1].type;
	const config_setting_t *files = config_setting_get_member(s, "files");
	char *body = pe_new(pe, pr);
	const char *oid;
	long arcs[16];
	int i, n, k;

	if (!body)
		return fail(NULL, "out of memory");
	/* members 0 and 1 of every template PE type: PEHeader, templateID */
	if (set_header((PEHeader_t *)(body + td->elements[0].memb_offset), s))
		return -1;
	if (!config_setting_lookup_string(s, "template", &oid) ||
	    (n = OBJECT_IDENTIFIER_parse_arcs(oid, -1, arcs, 16, NULL)) < 2 || n > 16 ||
	    OBJECT_IDENTIFIER_set_arcs((OBJECT_IDENTIFIER_t *)(body + td->elements[1].memb_offset), arcs,
	                               sizeof(arcs[0]), (unsigned)n))
		return fail(s, "missing or bad template OID");
	if (!files || !config_setting_is_list(files))
		return fail(s, "missing files list");
	for (i = 0; i < config_setting_length(files); i++) {
		const config_setting_t *f = config_setting_get_elem(files, (unsigned)i);
		const char *name;
		File_t *file;
		if (!config_setting_lookup_string(f, "member", &name))
			return fail(f, "missing member");
		for (k = 2; k < td->elements_count; k++)
			if (!strcmp(td->elements[k].name, name) && td->elements[k].type == &asn_DEF_File)
				break;
		if (k == td->elements_count)
			return fail(f, "%s has no File member %s", td->name, name);
		if (td->elements[k].flags & ATF_POINTER) {
			File_t **pp = (File_t **)(body + td->elements[k].memb_offset);
			if (*pp)
				return fail(f, "member %s given twice", name);
			if (!(*pp = calloc(1, sizeof(**pp))))
				return fail(NULL, "out of memory");
			file = *pp;
		} else {
			file = (File_t *)(body + td->elements[k].memb_offset);
			if (file->list.count)
				return fail(f, "member %s given twice", name);
		}
		if (build_file(f, file, iccid))
			return -1;
	}
	return 0;
}

static int build_gfm(const config_setting_t *s, ProfileElement_t **pe, const uint8_t *iccid)
{
	PE_GenericFileManagement_t *g = pe_new(pe, ProfileElement_PR_genericFileManagement);
	const config_setting_t *cmds = config_setting_get_member(s, "commands");
	int i, j;

	if (!g)
		return fail(NULL, "out of memory");
	if (set_header(&g->gfm_header, s))
		return -1;
	if (!cmds || !config_setting_is_list(cmds))
		return fail(s, "missing commands list");
	for (i = 0; i < config_setting_length(cmds); i++) {
		const config_setting_t *c = config_setting_get_elem(cmds, (unsigned)i);
		const config_setting_t *files = config_setting_get_member(c, "files");
		FileManagement_t *fm = calloc(1, sizeof(*fm));
		struct FileManagement__Member *m;
		uint8_t path[16];
		long n;
		if (!fm || ASN_SEQUENCE_ADD(&g->fileManagementCMD.list, fm)) {
			free(fm);
			return fail(NULL, "out of memory");
		}
		/* filePath: the DF the following files are created in (empty = MF) */
		n = get_hex(c, "path", path, sizeof(path));
		if (n < 0 || n % 2)
			return n == -1 ? -1 : fail(c, "missing or bad path");
		if (!(m = calloc(1, sizeof(*m))) || ASN_SEQUENCE_ADD(&fm->list, m)) {
			free(m);
			return fail(NULL, "out of memory");
		}
		m->present = FileManagement__Member_PR_filePath;
		if (os_set(&m->choice.filePath, path, (size_t)n))
			return -1;
		if (!files || !config_setting_is_list(files))
			return fail(c, "missing files list");
		for (j = 0; j < config_setting_length(files); j++) {
			const config_setting_t *f = config_setting_get_elem(files, (unsigned)j);
			size_t rec_len, size;
			int is_ef;
			if (!(m = calloc(1, sizeof(*m))) || ASN_SEQUENCE_ADD(&fm->list, m)) {
				free(m);
				return fail(NULL, "out of memory");
			}
			m->present = FileManagement__Member_PR_createFCP;
			if (build_fcp(f, &m->choice.createFCP, &is_ef, &rec_len, &size))
				return -1;
			if (is_ef && file_content(f, rec_len, size, iccid, fill_fm, fm))
				return -1;
			/* TS 102 222: a created DF becomes the current DF, so files after it go inside it */
			if (!is_ef && j + 1 < config_setting_length(files))
				return fail(f, "a DF must be the last file of its command (start a new one with path)");
		}
	}
	return 0;
}

/* ---- PINs, PUKs, AKA, SD, RFM ---------------------------------------------- */

static int pin_value(const config_setting_t *p, OCTET_STRING_t *os)
{
	const char *v;
	uint8_t b[8];
	size_t n;

	if (!config_setting_lookup_string(p, "value", &v) || (n = strlen(v)) < 1 || n > 8)
		return fail(p, "missing or bad value (1..8 characters)");
	memset(b, 0xFF, sizeof(b));
	memcpy(b, v, n); /* ASCII digits, FF padded (TS 102 221 §9.5.1) */
	return os_set(os, b, sizeof(b));
}

static int attempts(const config_setting_t *p, int dflt_max, long **out)
{
	int max, left;

	if (get_int(p, "max_attempts", &max, dflt_max, 1, 15) || get_int(p, "retries_left", &left, max, 0, max))
		return -1;
	*out = long_new(max << 4 | left);
	return *out ? 0 : -1;
}

static int build_puks(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_PUKCodes_t *p = pe_new(pe, ProfileElement_PR_pukCodes);
	const config_setting_t *l = config_setting_get_member(s, "puks");
	int i, ref;

	if (!p)
		return fail(NULL, "out of memory");
	if (set_header(&p->puk_Header, s))
		return -1;
	if (!l || !config_setting_is_list(l))
		return fail(s, "missing puks list");
	for (i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
		PUKConfiguration_t *c = calloc(1, sizeof(*c));
		if (!c || ASN_SEQUENCE_ADD(&p->pukCodes.list, c)) {
			free(c);
			return fail(NULL, "out of memory");
		}
		if (get_int(e, "ref", &ref, 0, 1, 0x88) || !ref)
			return fail(e, "missing or bad ref");
		c->keyReference = ref;
		if (pin_value(e, &c->pukValue) || attempts(e, 10, &c->maxNumOfAttemps_retryNumLeft))
			return -1;
	}
	return 0;
}

static int build_pins(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_PINCodes_t *p = pe_new(pe, ProfileElement_PR_pinCodes);
	const config_setting_t *l = config_setting_get_member(s, "pins");
	int i, ref, v;

	if (!p)
		return fail(NULL, "out of memory");
	if (set_header(&p->pin_Header, s))
		return -1;
	if (!l || !config_setting_is_list(l))
		return fail(s, "missing pins list");
	p->pinCodes.present = PE_PINCodes__pinCodes_PR_pinconfig;
	for (i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
		PINConfiguration_t *c = calloc(1, sizeof(*c));
		if (!c || ASN_SEQUENCE_ADD(&p->pinCodes.choice.pinconfig.list, c)) {
			free(c);
			return fail(NULL, "out of memory");
		}
		if (get_int(e, "ref", &ref, 0, 1, 0x8E) || !ref)
			return fail(e, "missing or bad ref");
		c->keyReference = ref;
		if (pin_value(e, &c->pinValue) || attempts(e, 3, &c->maxNumOfAttemps_retryNumLeft))
			return -1;
		if (get_int(e, "unblock_ref", &v, 0, 0, 0x88))
			return -1;
		if (v && !(c->unblockingPINReference = long_new(v)))
			return -1;
		if (get_int(e, "attributes", &v, -1, -1, 255))
			return -1;
		if (v >= 0 && !(c->pinAttributes = long_new(v)))
			return -1;
	}
	return 0;
}

/* TS 35.206 §4.1: OPc = E_K(OP) xor OP. */
static int derive_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16])
{
	mbedtls_aes_context aes;
	int i, rc;

	mbedtls_aes_init(&aes);
	rc = mbedtls_aes_setkey_enc(&aes, k, 128) || mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, op, opc);
	mbedtls_aes_free(&aes);
	for (i = 0; i < 16; i++)
		opc[i] ^= op[i];
	return rc ? fail(NULL, "AES failed") : 0;
}

static int build_aka(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_AKAParameter_t *p = pe_new(pe, ProfileElement_PR_akaParameter);
	AlgoParameter_t *a;
	uint8_t k[16], op[16], opc[16], opt;
	const char *algo;
	long nk, nop, nopc;
	int v, rc = -1;

	if (!p)
		return fail(NULL, "out of memory");
	if (set_header(&p->aka_header, s))
		return -1;
	p->algoConfiguration.present = PE_AKAParameter__algoConfiguration_PR_algoParameter;
	a = &p->algoConfiguration.choice.algoParameter;
	if (!config_setting_lookup_string(s, "algorithm", &algo))
		return fail(s, "missing algorithm");
	if (!strcmp(algo, "milenage"))
		a->algorithmID = AlgoParameter__algorithmID_milenage;
	else if (!strcmp(algo, "usim-test-algorithm"))
		a->algorithmID = AlgoParameter__algorithmID_usim_test_algorithm;
	else
		return fail(s, "algorithm must be milenage or usim-test-algorithm");
	if (get_int(s, "algorithm_options", &v, 0, 0, 255))
		return -1;
	opt = (uint8_t)v;
	nk = get_hex(s, "k", k, sizeof(k));
	nop = get_hex(s, "op", op, sizeof(op));
	nopc = get_hex(s, "opc", opc, sizeof(opc));
	if (nk != 16) {
		fail(s, "k must be 16 bytes");
		goto out;
	}
	if (a->algorithmID == AlgoParameter__algorithmID_milenage) {
		if ((nop == 16) == (nopc == 16) || (nop != 16 && nop != -2) || (nopc != 16 && nopc != -2)) {
			fail(s, "milenage needs exactly one of op / opc (16 bytes)");
			goto out;
		}
		if (nop == 16 && derive_opc(k, op, opc))
			goto out;
	} else if (nopc != -2 || nop != -2) {
		fail(s, "the test algorithm has no OP / OPc");
		goto out;
	} else {
		memset(opc, 0, sizeof(opc)); /* opc is not optional in AlgoParameter */
	}
	rc = os_set(&a->algorithmOptions, &opt, 1) || os_set(&a->key, k, 16) || os_set(&a->opc, opc, 16) ? -1 : 0;
out:
	mbedtls_platform_zeroize(k, sizeof(k));
	mbedtls_platform_zeroize(op, sizeof(op));
	mbedtls_platform_zeroize(opc, sizeof(opc));
	return rc;
}

static int add_key(PE_SecurityDomain_t *p, uint8_t kvn, uint8_t id, uint8_t usage, uint8_t type, const uint8_t *key,
                   size_t len)
{
	KeyObject_t *ko = calloc(1, sizeof(*ko));
	struct KeyObject__keyComponents__Member *c = calloc(1, sizeof(*c));

	if (!ko || !c || ASN_SEQUENCE_ADD(&p->keyList->list, ko)) {
		free(ko);
		free(c);
		return fail(NULL, "out of memory");
	}
	if (ASN_SEQUENCE_ADD(&ko->keyComponents.list, c)) {
		free(c);
		return fail(NULL, "out of memory");
	}
	return os_set(&ko->keyUsageQualifier, &usage, 1) || os_set(&ko->keyIdentifier, &id, 1) ||
	                       os_set(&ko->keyVersionNumber, &kvn, 1) || os_set(&c->keyType, &type, 1) ||
	                       os_set(&c->keyData, key, len)
	               ? -1
	               : 0;
}

static int build_sd(const config_setting_t *s, ProfileElement_t **pe)
{
	static const struct {
		const char *name;
		uint8_t type; /* GP key type: 80 DES family, 88 AES */
		uint8_t len;
	} algos[] = {{"des", 0x80, 8},     {"3des2", 0x80, 16},  {"3des3", 0x80, 24},
	             {"aes128", 0x88, 16}, {"aes192", 0x88, 24}, {"aes256", 0x88, 32}};
	PE_SecurityDomain_t *p = pe_new(pe, ProfileElement_PR_securityDomain);
	const config_setting_t *l = config_setting_get_member(s, "scp80_keysets");
	const config_setting_t *l3 = config_setting_get_member(s, "scp03_keysets");
	ApplicationInstance_t *in;
	uint8_t lcs[4], kic[32], kid[32];
	int i, rc = 0;
	size_t k;
	long n;

	if (!p)
		return fail(NULL, "out of memory");
	in = &p->instance;
	if (set_header(&p->sd_Header, s) || req_hex_os(s, "load_package_aid", &in->applicationLoadPackageAID, 5, 16) ||
	    req_hex_os(s, "class_aid", &in->classAID, 5, 16) ||
	    req_hex_os(s, "instance_aid", &in->instanceAID, 5, 16) ||
	    req_hex_os(s, "privileges", &in->applicationPrivileges, 3, 3) ||
	    req_hex_os(s, "c9", &in->applicationSpecificParametersC9, 0, 255))
		return -1;
	n = get_hex(s, "lifecycle", lcs, sizeof(lcs));
	if (n == -1 || (n >= 0 && n != 1))
		return fail(s, "lifecycle must be 1 byte");
	if (n == 1 && !(in->lifeCycleState = os_new(lcs, 1)))
		return -1;
	if (!l && !l3)
		return 0;
	if (!(p->keyList = calloc(1, sizeof(*p->keyList))))
		return fail(NULL, "out of memory");
	for (i = 0; l && i < config_setting_length(l) && !rc; i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
		const char *algo = "";
		int kvn;
		if (get_int(e, "kvn", &kvn, 0, 1, 15) || !kvn || !config_setting_lookup_string(e, "algorithm", &algo)) {
			rc = fail(e, "missing kvn (1..15) or algorithm");
			break;
		}
		for (k = 0; k < sizeof(algos) / sizeof(algos[0]); k++)
			if (!strcmp(algo, algos[k].name))
				break;
		if (k == sizeof(algos) / sizeof(algos[0]))
			rc = fail(e, "unknown algorithm %s", algo);
		else if (get_hex(e, "kic", kic, sizeof(kic)) != algos[k].len ||
		         get_hex(e, "kid", kid, sizeof(kid)) != algos[k].len)
			rc = fail(e, "kic and kid must be %u bytes", algos[k].len);
		/* GP key usage: 18 = secure messaging command + confidentiality (KIc), 14 = + checksum (KID) */
		else if (add_key(p, (uint8_t)kvn, 1, 0x18, algos[k].type, kic, algos[k].len) ||
		         add_key(p, (uint8_t)kvn, 2, 0x14, algos[k].type, kid, algos[k].len))
			rc = -1;
	}
	/* SCP03 key sets (GP Amendment D §4.1.1): AES keys, key id 1 Key-ENC, 2 Key-MAC, 3 Key-DEK; GP key
	 * usage 38 = SM command + response + confidentiality, 34 = + checksum, 48 = computation + confidentiality */
	for (i = 0; l3 && i < config_setting_length(l3) && !rc; i++) {
		static const char *const names[3] = {"enc", "mac", "dek"};
		static const uint8_t usage[3] = {0x38, 0x34, 0x48};
		const config_setting_t *e = config_setting_get_elem(l3, (unsigned)i);
		long len = 0;
		int kvn;
		if (get_int(e, "kvn", &kvn, 0, 0x30, 0x3F) || !kvn) {
			rc = fail(e, "missing kvn (0x30..0x3F)");
			break;
		}
		for (k = 0; k < 3 && !rc; k++) {
			long m = get_hex(e, names[k], kic, sizeof(kic));
			if ((m != 16 && m != 24 && m != 32) || (k && m != len))
				rc = fail(e, "%s must be an AES key (16, 24 or 32 bytes) like enc", names[k]);
			else if (add_key(p, (uint8_t)kvn, (uint8_t)(k + 1), usage[k], 0x88, kic, (size_t)m))
				rc = -1;
			len = m;
		}
	}
	mbedtls_platform_zeroize(kic, sizeof(kic));
	mbedtls_platform_zeroize(kid, sizeof(kid));
	return rc;
}

static int build_rfm(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_RFM_t *p = pe_new(pe, ProfileElement_PR_rfm);
	const config_setting_t *l = config_setting_get_member(s, "tars");
	uint8_t b[16];
	long n;
	int i, msl;

	if (!p)
		return fail(NULL, "out of memory");
	if (set_header(&p->rfm_header, s) || req_hex_os(s, "instance_aid", &p->instanceAID, 5, 16) ||
	    req_hex_os(s, "uicc_access_domain", &p->uiccAccessDomain, 0, 8) ||
	    req_hex_os(s, "uicc_admin_access_domain", &p->uiccAdminAccessDomain, 0, 8) ||
	    get_int(s, "msl", &msl, 0, 0, 255))
		return -1;
	b[0] = (uint8_t)msl;
	if (os_set(&p->minimumSecurityLevel, b, 1))
		return -1;
	n = get_hex(s, "sd_aid", b, sizeof(b));
	if (n == -1 || (n >= 0 && n < 5))
		return fail(s, "bad sd_aid");
	if (n >= 5 && !(p->securityDomainAID = os_new(b, (size_t)n)))
		return -1;
	if (!l)
		return 0;
	if (!(p->tarList = calloc(1, sizeof(*p->tarList))))
		return fail(NULL, "out of memory");
	for (i = 0; i < config_setting_length(l); i++) {
		const char *t = config_setting_get_string_elem(l, i);
		OCTET_STRING_t *os;
		if (!t || hex_decode(t, b, sizeof(b)) != 3)
			return fail(l, "a TAR is 3 bytes");
		if (!(os = os_new(b, 3)))
			return -1;
		if (ASN_SEQUENCE_ADD(&p->tarList->list, os)) {
			ASN_STRUCT_FREE(asn_DEF_OCTET_STRING, os);
			return fail(NULL, "out of memory");
		}
	}
	return 0;
}

static int build_end(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_End_t *p = pe_new(pe, ProfileElement_PR_end);

	if (!p)
		return fail(NULL, "out of memory");
	return set_header(&p->end_header, s);
}

/* ProfileHeader (profile-package.md §4.1); iccid receives the coded ICCID for EF.ICCID. */
static int build_header(const config_setting_t *s, ProfileElement_t **pe, uint8_t iccid[10])
{
	ProfileHeader_t *h = pe_new(pe, ProfileElement_PR_header);
	const asn_TYPE_descriptor_t *sl = &asn_DEF_ServicesList;
	const config_setting_t *l;
	const char *v;
	int i, k, major, minor;

	if (!h)
		return fail(NULL, "out of memory");
	if (!s)
		return fail(NULL, "missing header");
	if (get_int(s, "major_version", &major, 2, 1, 255) || get_int(s, "minor_version", &minor, 3, 0, 255))
		return -1;
	h->major_version = major;
	h->minor_version = minor;
	if (config_setting_lookup_string(s, "profile_type", &v) &&
	    !(h->profileType = OCTET_STRING_new_fromBuf(&asn_DEF_UTF8String, v, -1)))
		return fail(NULL, "out of memory");
	if (!config_setting_lookup_string(s, "iccid", &v) || strlen(v) < 18 || bcd_swapped(v, iccid, 10))
		return fail(s, "missing or bad iccid (18..20 digits)");
	if (os_set(&h->iccid, iccid, 10))
		return -1;
	l = config_setting_get_member(s, "mandatory_services");
	for (i = 0; l && i < config_setting_length(l); i++) {
		const char *name = config_setting_get_string_elem(l, i);
		for (k = 0; name && k < sl->elements_count; k++)
			if (!strcmp(sl->elements[k].name, name))
				break;
		if (!name || k == sl->elements_count)
			return fail(l, "unknown service %s", name ? name : "?");
		if (!(*(NULL_t **)((char *)&h->eUICC_Mandatory_services + sl->elements[k].memb_offset) =
		              calloc(1, sizeof(NULL_t))))
			return fail(NULL, "out of memory");
	}
	l = config_setting_get_member(s, "mandatory_templates");
	for (i = 0; l && i < config_setting_length(l); i++) {
		const char *oid = config_setting_get_string_elem(l, i);
		OBJECT_IDENTIFIER_t *o = calloc(1, sizeof(*o));
		long arcs[16];
		int n;
		if (!o || ASN_SEQUENCE_ADD(&h->eUICC_Mandatory_GFSTEList.list, o)) {
			free(o);
			return fail(NULL, "out of memory");
		}
		if (!oid || (n = OBJECT_IDENTIFIER_parse_arcs(oid, -1, arcs, 16, NULL)) < 2 || n > 16 ||
		    OBJECT_IDENTIFIER_set_arcs(o, arcs, sizeof(arcs[0]), (unsigned)n))
			return fail(l, "bad template OID");
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
		return fail(s, "DER encoding failed in %s", er.failed_type ? er.failed_type->name : "?");
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
		return fail(NULL, "missing elements list");
	for (i = 0; i < config_setting_length(els); i++) {
		const config_setting_t *s = config_setting_get_elem(els, (unsigned)i);
		const char *type;
		pe = NULL;
		if (!config_setting_lookup_string(s, "pe", &type))
			return fail(s, "missing pe");
		if (!strcmp(type, "mf"))
			rc = build_template_pe(s, ProfileElement_PR_mf, &pe, iccid);
		else if (!strcmp(type, "usim"))
			rc = build_template_pe(s, ProfileElement_PR_usim, &pe, iccid);
		else if (!strcmp(type, "genericFileManagement"))
			rc = build_gfm(s, &pe, iccid);
		else if (!strcmp(type, "pukCodes"))
			rc = build_puks(s, &pe);
		else if (!strcmp(type, "pinCodes"))
			rc = build_pins(s, &pe);
		else if (!strcmp(type, "akaParameter"))
			rc = build_aka(s, &pe);
		else if (!strcmp(type, "securityDomain"))
			rc = build_sd(s, &pe);
		else if (!strcmp(type, "rfm"))
			rc = build_rfm(s, &pe);
		else if (!strcmp(type, "end"))
			rc = build_end(s, &pe);
		else
			rc = fail(s, "unsupported pe %s", type);
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
	fprintf(f, "/* Generated by tools/eum-mkprofile from %s: do not edit. */\n", src_name);
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
	src_name = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
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
