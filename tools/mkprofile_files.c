/*
 * eum-mkprofile: the file-system PEs (template PEs mf / usim with their File members by name, and
 * genericFileManagement; PE_Definitions 3.3.1, profile-package.md §4.2-§4.4).
 */
#include "mkprofile.h"

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
		return mkp_fail(f, "missing structure");
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strcmp(st, kinds[k].name))
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return mkp_fail(f, "unknown structure %s", st);
	*is_ef = k >= 3;
	*rec_len = 0;
	*size = 0;

	/* 82 file descriptor: FDB, data coding 21, [record length (2 bytes)] */
	buf[0] = kinds[k].fdb;
	buf[1] = 0x21;
	if (kinds[k].record) {
		if (mkp_get_int(f, "rec_len", &v, 0, 1, 255) || mkp_get_int(f, "nrec", &nrec, 0, 1, 254))
			return -1;
		if (!v || !nrec)
			return mkp_fail(f, "record file needs rec_len and nrec");
		buf[2] = 0;
		buf[3] = (uint8_t)v;
		*rec_len = (size_t)v;
		*size = (size_t)v * (size_t)nrec;
	} else if (*is_ef) {
		if (mkp_get_int(f, "size", &v, 0, 1, 0x7FFF))
			return -1;
		if (!v)
			return mkp_fail(f, "transparent file needs size");
		*size = (size_t)v;
	}
	if (!(fcp->fileDescriptor = mkp_os_new(buf, kinds[k].record ? 4 : 2)))
		return -1;
	n = mkp_get_hex(f, "fid", buf, 2);
	if (n != 2)
		return n == -1 ? -1 : mkp_fail(f, "missing or bad fid");
	if (!(fcp->fileID = mkp_os_new(buf, 2)))
		return -1;
	if (!strcmp(st, "ADF")) {
		n = mkp_get_hex(f, "aid", buf, 16);
		if (n < 5)
			return n == -1 ? -1 : mkp_fail(f, "an ADF needs an aid of 5..16 bytes");
		if (!(fcp->dfName = mkp_os_new(buf, (size_t)n)))
			return -1;
	}
	/* 8B: the record in the implicit EF.ARR (TCA: 2F06 / 6F06 by position) */
	if (mkp_get_int(f, "arr", &v, 0, 0, 254))
		return -1;
	if (v) {
		buf[0] = (uint8_t)v;
		if (!(fcp->securityAttributesReferenced = mkp_os_new(buf, 1)))
			return -1;
	}
	if (*is_ef) {
		/* 80 file size (2 bytes); 88 SFI in b8-b4, or empty = no SFI (else the FID would give one) */
		buf[0] = (uint8_t)(*size >> 8);
		buf[1] = (uint8_t)*size;
		if (!(fcp->efFileSize = mkp_os_new(buf, 2)))
			return -1;
		if (mkp_get_int(f, "sfi", &v, 0, 0, 30))
			return -1;
		buf[0] = (uint8_t)(v << 3);
		if (!(fcp->shortEFID = mkp_os_new(buf, v ? 1 : 0)))
			return -1;
	} else {
		n = mkp_get_hex(f, "pin_status", buf, sizeof(buf));
		if (n == -1)
			return -1;
		if (n >= 0 && !(fcp->pinStatusTemplateDO = mkp_os_new(buf, (size_t)n)))
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
		return mkp_fail(NULL, "out of memory");
	if (recs) {
		int i, cnt = config_setting_length(recs);
		if (!rec_len || config_setting_type(recs) != CONFIG_TYPE_ARRAY || (size_t)cnt * rec_len > size) {
			rc = mkp_fail(recs, "records need a record file and at most nrec entries");
			goto out;
		}
		for (i = 0; i < cnt; i++) {
			const char *hex = config_setting_get_string_elem(recs, i);
			n = hex ? mkp_hex_decode(hex, fl->data, rec_len) : -1;
			if (n < 0) {
				rc = mkp_fail(recs, "record %d: bad hex or longer than the record", i + 1);
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
		if (size != 9 || mkp_imsi_content(imsi, fl->data)) {
			rc = mkp_fail(f, "bad imsi (6..15 digits, 9-byte file)");
			goto out;
		}
		fl->n = 9;
		rc = fn(ctx, fl);
		goto out;
	}
	n = mkp_get_hex(f, "content", fl->data, sizeof(fl->data));
	if (n == -1)
		goto out;
	if (n == -2 && iccid && config_setting_lookup_string(f, "fid", &fid) && !strcmp(fid, "2FE2")) {
		memcpy(fl->data, iccid, 10); /* EF.ICCID: the header's ICCID */
		n = 10;
	}
	if (n >= 0) {
		if ((size_t)n > size || rec_len) {
			rc = mkp_fail(f, "content longer than the file, or given for a record file (use records)");
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
		return mkp_fail(NULL, "out of memory");
	}
	if (fl->offset) {
		m->present = File__Member_PR_fillFileOffset;
		m->choice.fillFileOffset = (long)fl->n;
		return 0;
	}
	m->present = File__Member_PR_fillFileContent;
	return mkp_os_set(&m->choice.fillFileContent, fl->data, fl->n);
}

static int fill_fm(void *ctx, const struct fill *fl)
{
	FileManagement_t *fm = ctx;
	struct FileManagement__Member *m = calloc(1, sizeof(*m));

	if (!m || ASN_SEQUENCE_ADD(&fm->list, m)) {
		free(m);
		return mkp_fail(NULL, "out of memory");
	}
	if (fl->offset) {
		m->present = FileManagement__Member_PR_fillFileOffset;
		m->choice.fillFileOffset = (long)fl->n;
		return 0;
	}
	m->present = FileManagement__Member_PR_fillFileContent;
	return mkp_os_set(&m->choice.fillFileContent, fl->data, fl->n);
}

/* A File member of a template PE: doNotCreate, or Fcp then content. */
static int build_file(const config_setting_t *f, File_t *file, const uint8_t *iccid)
{
	struct File__Member *m = calloc(1, sizeof(*m));
	size_t rec_len, size;
	int dnc = 0, is_ef;

	if (!m)
		return mkp_fail(NULL, "out of memory");
	if (ASN_SEQUENCE_ADD(&file->list, m)) {
		free(m);
		return mkp_fail(NULL, "out of memory");
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
int mkp_build_template_pe(const config_setting_t *s, ProfileElement_PR pr, ProfileElement_t **pe, const uint8_t *iccid)
{
	const asn_TYPE_descriptor_t *td = asn_DEF_ProfileElement.elements[pr - 1].type;
	const config_setting_t *files = config_setting_get_member(s, "files");
	char *body = mkp_pe_new(pe, pr);
	const char *oid;
	long arcs[16];
	int i, n, k;

	if (!body)
		return mkp_fail(NULL, "out of memory");
	/* members 0 and 1 of every template PE type: PEHeader, templateID */
	if (mkp_set_header((PEHeader_t *)(body + td->elements[0].memb_offset), s))
		return -1;
	if (!config_setting_lookup_string(s, "template", &oid) ||
	    (n = OBJECT_IDENTIFIER_parse_arcs(oid, -1, arcs, 16, NULL)) < 2 || n > 16 ||
	    OBJECT_IDENTIFIER_set_arcs((OBJECT_IDENTIFIER_t *)(body + td->elements[1].memb_offset), arcs,
	                               sizeof(arcs[0]), (unsigned)n))
		return mkp_fail(s, "missing or bad template OID");
	if (!files || !config_setting_is_list(files))
		return mkp_fail(s, "missing files list");
	for (i = 0; i < config_setting_length(files); i++) {
		const config_setting_t *f = config_setting_get_elem(files, (unsigned)i);
		const char *name;
		File_t *file;
		if (!config_setting_lookup_string(f, "member", &name))
			return mkp_fail(f, "missing member");
		for (k = 2; k < td->elements_count; k++)
			if (!strcmp(td->elements[k].name, name) && td->elements[k].type == &asn_DEF_File)
				break;
		if (k == td->elements_count)
			return mkp_fail(f, "%s has no File member %s", td->name, name);
		if (td->elements[k].flags & ATF_POINTER) {
			File_t **pp = (File_t **)(body + td->elements[k].memb_offset);
			if (*pp)
				return mkp_fail(f, "member %s given twice", name);
			if (!(*pp = calloc(1, sizeof(**pp))))
				return mkp_fail(NULL, "out of memory");
			file = *pp;
		} else {
			file = (File_t *)(body + td->elements[k].memb_offset);
			if (file->list.count)
				return mkp_fail(f, "member %s given twice", name);
		}
		if (build_file(f, file, iccid))
			return -1;
	}
	return 0;
}

int mkp_build_gfm(const config_setting_t *s, ProfileElement_t **pe, const uint8_t *iccid)
{
	PE_GenericFileManagement_t *g = mkp_pe_new(pe, ProfileElement_PR_genericFileManagement);
	const config_setting_t *cmds = config_setting_get_member(s, "commands");
	int i, j;

	if (!g)
		return mkp_fail(NULL, "out of memory");
	if (mkp_set_header(&g->gfm_header, s))
		return -1;
	if (!cmds || !config_setting_is_list(cmds))
		return mkp_fail(s, "missing commands list");
	for (i = 0; i < config_setting_length(cmds); i++) {
		const config_setting_t *c = config_setting_get_elem(cmds, (unsigned)i);
		const config_setting_t *files = config_setting_get_member(c, "files");
		FileManagement_t *fm = calloc(1, sizeof(*fm));
		struct FileManagement__Member *m;
		uint8_t path[16];
		long n;
		if (!fm || ASN_SEQUENCE_ADD(&g->fileManagementCMD.list, fm)) {
			free(fm);
			return mkp_fail(NULL, "out of memory");
		}
		/* filePath: the DF the following files are created in (empty = MF) */
		n = mkp_get_hex(c, "path", path, sizeof(path));
		if (n < 0 || n % 2)
			return n == -1 ? -1 : mkp_fail(c, "missing or bad path");
		if (!(m = calloc(1, sizeof(*m))) || ASN_SEQUENCE_ADD(&fm->list, m)) {
			free(m);
			return mkp_fail(NULL, "out of memory");
		}
		m->present = FileManagement__Member_PR_filePath;
		if (mkp_os_set(&m->choice.filePath, path, (size_t)n))
			return -1;
		if (!files || !config_setting_is_list(files))
			return mkp_fail(c, "missing files list");
		for (j = 0; j < config_setting_length(files); j++) {
			const config_setting_t *f = config_setting_get_elem(files, (unsigned)j);
			size_t rec_len, size;
			int is_ef;
			if (!(m = calloc(1, sizeof(*m))) || ASN_SEQUENCE_ADD(&fm->list, m)) {
				free(m);
				return mkp_fail(NULL, "out of memory");
			}
			m->present = FileManagement__Member_PR_createFCP;
			if (build_fcp(f, &m->choice.createFCP, &is_ef, &rec_len, &size))
				return -1;
			if (is_ef && file_content(f, rec_len, size, iccid, fill_fm, fm))
				return -1;
			/* TS 102 222: a created DF becomes the current DF, so files after it go inside it */
			if (!is_ef && j + 1 < config_setting_length(files))
				return mkp_fail(
				        f, "a DF must be the last file of its command (start a new one with path)");
		}
	}
	return 0;
}
