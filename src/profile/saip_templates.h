/*
 * TCA eUICC Profile Package file-structure templates (Profile interoperability
 * specification, Annex A "File Structure Templates Definition", template OIDs
 * 2.23.143.1.2.x): for each template-based PE type, one row per File member of
 * the PE in ASN.1 declaration order, giving the file the template creates
 * (FID, type, size or record geometry, SFI, EF.ARR record, default content).
 *
 * Plain static tables; the installer (saip_pe_template.c) walks a PE's members in
 * lockstep with a row array, so row i describes member i + 2 of the PE type
 * (members 0 and 1 are the PEHeader and the templateID).
 */
#ifndef EUM_PROFILE_SAIP_TEMPLATES_H
#define EUM_PROFILE_SAIP_TEMPLATES_H

#include <stddef.h>
#include <stdint.h>

/* Row type for a PE member that this template version does not define: the
 * file can only be created from a complete file descriptor in the PE. */
#define EUM_SAIP_FT_NONE 0xFF

/* One file of a template. */
struct eum_saip_tfile {
	const char *name; /* ASN.1 member name of the File in the PE type, e.g. "ef-imsi" */
	uint16_t fid;     /* 0: given by the PE (ADF temporary FID, DF.EAP) */
	uint16_t size;    /* transparent / BER-TLV EF body size; 0 = given by the PE */
	int8_t parent;    /* row index of the template DF holding this file; -1 = the template's base DF */
	uint8_t type;     /* enum eum_file_type, or EUM_SAIP_FT_NONE */
	uint8_t sfi;      /* short file identifier; 0 = none */
	uint8_t arr;      /* record number in the applicable EF.ARR (TCA §9.9 rules) */
	uint16_t rec_len; /* record EFs; 0 = given by the PE */
	uint16_t nrec;    /* record EFs; 0 = given by the PE */
	const char *def;  /* default value, Annex A notation ("07FF...FF"), NULL = none (file filled with FF) */
	uint8_t repeat;   /* def is a repeat pattern */
};

/* Where the files of a template go. */
enum eum_saip_base {
	EUM_SAIP_BASE_MF,           /* the template creates the MF itself (first row) */
	EUM_SAIP_BASE_UNDER_MF,     /* first row is a DF/ADF created under the MF */
	EUM_SAIP_BASE_IN_USIM,      /* first row is a DF created in the USIM ADF of the closest previous usim PE */
	EUM_SAIP_BASE_EXTENDS_USIM, /* no own DF: files go into the USIM ADF of the closest previous usim PE */
	EUM_SAIP_BASE_EXTENDS_ISIM, /* same for the ISIM ADF */
	EUM_SAIP_BASE_EXTENDS_CSIM, /* same for the CSIM ADF */
	EUM_SAIP_BASE_NUM
};

struct eum_saip_template {
	const char *name; /* dotted OID, for logs */
	uint8_t oid[8];   /* DER content octets of the OID */
	uint8_t oid_len;
	int pe;             /* ProfileElement_PR of the PE type using it */
	uint8_t base;       /* enum eum_saip_base */
	uint8_t by_default; /* "created by default": absent members are created from the row */
	const struct eum_saip_tfile *files;
	size_t n; /* = number of File members of the PE type */
};

extern const struct eum_saip_template eum_saip_templates[];
extern const size_t eum_saip_templates_n;

/* Template for a templateID (DER content octets of the OID), or NULL. */
const struct eum_saip_template *eum_saip_template_find(const uint8_t *oid, size_t len);

/*
 * Expand a default value in Annex A notation into out[0..len): "AB...CD" =
 * AB, then the last byte of the prefix repeated, then CD (the whole string cut
 * to len if longer); a value without "..." is copied (repeated when repeat is
 * set) and the rest of out left as it is. Returns EUM_OK or EUM_ERR_INVALID_ARG.
 */
int eum_saip_expand_default(const char *def, int repeat, uint8_t *out, size_t len);

#endif
