/*
 * Private to the profile package installer (src/profile/saip_*.c): what the executor of one PE
 * needs (the installer context, status reporting, the small OCTET STRING decoders) and the
 * executors themselves, one file per PE type (PE_Definitions 3.3.1; spec digest profile-package.md §4).
 *
 * saip_install.c  DER stream, dispatch of one PE, API
 * saip_result.c   PE statuses, EUICCResponse encoding (§5)
 * saip_file.c     one file from a template row and/or an Fcp (shared by the file-system PEs)
 * saip_pe_*.c     one executor per PE type
 */
#ifndef EUM_PROFILE_SAIP_PE_H
#define EUM_PROFILE_SAIP_PE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ProfileElement.h"
#include "crypto/crypto.h"
#include "profile/saip_install.h"
#include "profile/saip_templates.h"

/* The NAA PE most recently executed (akaParameter binds to it). */
enum { EUM_SAIP_NAA_NONE, EUM_SAIP_NAA_USIM, EUM_SAIP_NAA_ISIM, EUM_SAIP_NAA_CSIM };

/* What one PE's execution needs to report a status. */
struct eum_saip_run {
	struct eum_saip_installer *ctx;
	long id; /* PEHeader identification, -1 for the ProfileHeader */
	int mandated;
	const char *pe; /* PE type as the ASN.1 names it ("akaParameter"), for refusal reasons */
};

/* The process-wide lock around every asn1c codec call (saip_install.c: why). */
void eum_saip_asn1_lock(void);
void eum_saip_asn1_unlock(void);

/* ---- statuses (saip_result.c) ---------------------------------------------- */

/* Append a PEStatus for the PE at pe_index (dropped when the list is full). */
void eum_saip_add_status(struct eum_saip_result *res, size_t pe_index, long status, long id, long add);
/* Abort the installation at the current PE. Returns EUM_ERR_PROFILE. */
int eum_saip_fail_at(struct eum_saip_installer *ctx, long status, long id, long add);
/* Abort at the PE r is executing, saying why: the reason becomes "PE <type> #<id>: <what> (<status>)".
 * what is a printf format naming the field and what is wrong with it. Returns EUM_ERR_PROFILE. */
int eum_saip_refuse(struct eum_saip_run *r, long status, const char *what, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 3, 4)))
#endif
        ;

/* ---- small decoders -------------------------------------------------------- */

/* Big-endian unsigned value of a 1..4 byte OCTET STRING. */
static inline int saip_os_uint(const OCTET_STRING_t *os, uint32_t *v)
{
	int i;

	if (!os || os->size < 1 || os->size > 4)
		return -1;
	*v = 0;
	for (i = 0; i < os->size; i++)
		*v = (*v << 8) | os->buf[i];
	return 0;
}

static inline int saip_copy_os(const OCTET_STRING_t *os, uint8_t *dst, size_t cap, uint8_t *len)
{
	if (!os || (size_t)os->size > cap)
		return -1;
	memcpy(dst, os->buf, (size_t)os->size);
	*len = (uint8_t)os->size;
	return 0;
}

static inline int saip_copy_aid(const OCTET_STRING_t *os, struct eum_saip_aid *aid)
{
	if (!os || os->size < 5 || os->size > 16)
		return -1;
	return saip_copy_os(os, aid->b, sizeof(aid->b), &aid->len);
}

/* Wipe an OCTET STRING's buffer content in a decoded PE (secrets) before asn1c frees it. */
static inline void saip_wipe_os(OCTET_STRING_t *os)
{
	if (os && os->buf)
		eum_wipe(os->buf, (size_t)os->size);
}

/* ---- file creation (saip_file.c) ------------------------------------------- */

/* One file to create: the template row merged with the PE's Fcp. */
struct eum_saip_fspec {
	struct eum_file f;
	const uint8_t *pat; /* fill/repeat pattern of the Fcp */
	size_t pat_len;
	int pat_repeat;
	const struct eum_saip_tfile *t;
	const OCTET_STRING_t *link;
	const char *why; /* set by eum_saip_build_spec() with a refusal: the Fcp field and its fault */
};

/* TS 102 221 Table 11.5 file descriptor byte -> file type; -1 if not a valid FDB. */
int eum_saip_fdb_type(uint8_t fdb);
/* Merge the template row t (may be NULL) with the PE's Fcp (may be NULL) into a file description.
 * gfm: created by genericFileManagement (SFI from the FID when shortEFID is absent).
 * Returns EUM_SAIP_ST_OK or the PEStatus to report. */
long eum_saip_build_spec(const struct eum_fs *fs, int32_t parent, const struct eum_saip_tfile *t, const Fcp_t *fcp,
                         int gfm, struct eum_saip_fspec *s);
/* Create the file of s under parent (-1: the MF) with its initial content. Returns the index or a
 * negative eum_err (after the status has been recorded). */
int eum_saip_create_file(struct eum_saip_run *r, int32_t parent, struct eum_saip_fspec *s);
/* fillFileOffset / fillFileContent at *pos of file idx (§4.4). 0 or a negative eum_err. */
int eum_saip_fill_offset(struct eum_saip_run *r, int32_t idx, size_t *pos, long n);
int eum_saip_fill_content(struct eum_saip_run *r, int32_t idx, size_t *pos, const OCTET_STRING_t *c);

/* ---- one executor per PE type: 0, or a negative eum_err after the status was recorded ---- */

int eum_saip_pe_header(struct eum_saip_run *r, const ProfileHeader_t *h);
int eum_saip_pe_end(struct eum_saip_run *r);
int eum_saip_pe_template(struct eum_saip_run *r, ProfileElement_PR pr, const asn_TYPE_descriptor_t *td, const void *pe);
int eum_saip_pe_gfm(struct eum_saip_run *r, const PE_GenericFileManagement_t *g);
int eum_saip_pe_puks(struct eum_saip_run *r, PE_PUKCodes_t *p);
int eum_saip_pe_pins(struct eum_saip_run *r, PE_PINCodes_t *p);
int eum_saip_pe_aka(struct eum_saip_run *r, PE_AKAParameter_t *p);
int eum_saip_pe_cdma(struct eum_saip_run *r, PE_CDMAParameter_t *p);
int eum_saip_pe_sd(struct eum_saip_run *r, PE_SecurityDomain_t *p);
int eum_saip_pe_rfm(struct eum_saip_run *r, const PE_RFM_t *p);
int eum_saip_pe_app(struct eum_saip_run *r, const PE_Application_t *p);

#endif
