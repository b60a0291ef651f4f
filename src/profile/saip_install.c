/*
 * TCA eUICC Profile Package installer (Profile interoperability specification,
 * PE_Definitions 3.3.1; spec digest profile-package.md §1 container, §4 what each
 * PE means, §5 result reporting, §6 checklist).
 *
 * Each PE is decoded with asn1c as soon as its last byte has arrived and then
 * executed into a scratch profile (file system, PINs, AKA parameters) plus the
 * plain data of the non-file PEs (struct eum_saip_extras). The caller's profile
 * is replaced only after `end`; a refused package leaves it untouched.
 *
 * Choices made where the specification leaves room (all [IMPL]):
 *  - record EFs: a fill/repeat pattern or template default applies to each
 *    record (TS 102 222 §6.3.2.2.2), not to the file as one byte string;
 *  - fillFileOffset skips bytes, which keep their initial (pattern) value;
 *  - GFM createFCP of a DF makes it the current DF (TS 102 222 CREATE FILE);
 *  - link files (Fcp linkPath) are created as a copy of their target and listed
 *    in the extras: the file system has no shared-body files yet;
 *  - PINs: one flat store (local PINs of several ADFs share a key reference;
 *    the last definition wins); pinAttributes gives each PIN its enabled state and
 *    whether DISABLE/ENABLE PIN is allowed (coding unconfirmed: see saip_pe_pin.c);
 *  - akaParameter binds to the NAA of the closest previous NAA PE: USIM into
 *    the profile, ISIM into the extras; TUAK and 32-byte keys are refused;
 *  - EF.UST / EF.IST are kept as given (services are not masked).
 */
#include "profile/saip_pe.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ProfileElement.h"
#include "eum/eum.h"

/*
 * This file: the DER stream (PEs cut from arbitrary pieces), the dispatch of one PE to its
 * executor (saip_pe_<pe>.c), and the installer's API. Statuses and the EUICCResponse:
 * saip_result.c; file creation shared by the file-system PEs: saip_file.c.
 */

/* ---- one PE ------------------------------------------------------------------ */

/* Abort at the stream level (no PE type known yet) with a reason naming the PE's position. */
static int stream_fail(struct eum_saip_installer *ctx, long status, const char *what)
{
	int rc;

	if (ctx->state == EUM_SAIP_FAILED)
		return EUM_ERR_PROFILE;
	rc = eum_saip_fail_at(ctx, status, -1, -1);
	snprintf(ctx->res.reason, sizeof(ctx->res.reason), "PE at index %zu (package offset %zu): %s (%s)",
	         ctx->pe_index, ctx->offset, what, eum_saip_status_name(status));
	return rc;
}

static int exec_pe(struct eum_saip_installer *ctx, ProfileElement_t *pe)
{
	const asn_TYPE_descriptor_t *td;
	struct eum_saip_run r = {ctx, -1, 0, NULL};
	void *body = &pe->choice;

	if (pe->present <= ProfileElement_PR_NOTHING || (int)pe->present > asn_DEF_ProfileElement.elements_count)
		return stream_fail(ctx, EUM_SAIP_ST_PE_NOT_SUPPORTED, "PE type unknown to this card"); /* extension */
	td = asn_DEF_ProfileElement.elements[pe->present - 1].type;
	r.pe = asn_DEF_ProfileElement.elements[pe->present - 1].name;
	if (pe->present == ProfileElement_PR_header) {
		if (ctx->pe_index != 0)
			return eum_saip_refuse(&r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "a second header");
		return eum_saip_pe_header(&r, &pe->choice.header);
	}
	if (ctx->pe_index == 0)
		return stream_fail(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
		                   "the package does not start with the header");
	if (td->elements_count < 1 || td->elements[0].type != &asn_DEF_PEHeader)
		return eum_saip_refuse(&r, EUM_SAIP_ST_PE_NOT_SUPPORTED, "reserved PE type"); /* rfu PE-Dummy */
	{
		const PEHeader_t *h = (const PEHeader_t *)((const char *)body + td->elements[0].memb_offset);
		r.id = h->identification;
		r.mandated = h->mandated != NULL;
		if (r.id < 0 || r.id > 32767)
			return stream_fail(ctx, EUM_SAIP_ST_BAD_VALUES, "PEHeader identification out of range");
		/* identifications are unique in a package (§6.2) */
		if (ctx->ids[r.id >> 3] & (1u << (r.id & 7)))
			return eum_saip_refuse(&r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "identification used twice");
		ctx->ids[r.id >> 3] |= (uint8_t)(1u << (r.id & 7));
	}
	switch (pe->present) {
	case ProfileElement_PR_genericFileManagement:
		return eum_saip_pe_gfm(&r, &pe->choice.genericFileManagement);
	case ProfileElement_PR_pinCodes:
		return eum_saip_pe_pins(&r, &pe->choice.pinCodes);
	case ProfileElement_PR_pukCodes:
		return eum_saip_pe_puks(&r, &pe->choice.pukCodes);
	case ProfileElement_PR_akaParameter:
		return eum_saip_pe_aka(&r, &pe->choice.akaParameter);
	case ProfileElement_PR_cdmaParameter:
		return eum_saip_pe_cdma(&r, &pe->choice.cdmaParameter);
	case ProfileElement_PR_securityDomain:
		return eum_saip_pe_sd(&r, &pe->choice.securityDomain);
	case ProfileElement_PR_rfm:
		return eum_saip_pe_rfm(&r, &pe->choice.rfm);
	case ProfileElement_PR_application:
		return eum_saip_pe_app(&r, &pe->choice.application);
	case ProfileElement_PR_nonStandard:
		/* §4.10: unknown issuers are ignored unless mandated */
		if (r.mandated)
			return eum_saip_refuse(&r, EUM_SAIP_ST_PE_NOT_SUPPORTED,
			                       "mandated nonStandard PE of an unknown issuer");
		eum_saip_add_status(&ctx->res, ctx->pe_index, EUM_SAIP_ST_PE_NOT_SUPPORTED, r.id, -1);
		return 0;
	case ProfileElement_PR_end:
		return eum_saip_pe_end(&r);
	case ProfileElement_PR_mf:
	case ProfileElement_PR_cd:
	case ProfileElement_PR_telecom:
	case ProfileElement_PR_usim:
	case ProfileElement_PR_opt_usim:
	case ProfileElement_PR_isim:
	case ProfileElement_PR_opt_isim:
	case ProfileElement_PR_phonebook:
	case ProfileElement_PR_gsm_access:
	case ProfileElement_PR_csim:
	case ProfileElement_PR_opt_csim:
	case ProfileElement_PR_eap:
	case ProfileElement_PR_df_5gs:
	case ProfileElement_PR_df_saip:
	case ProfileElement_PR_df_snpn:
	case ProfileElement_PR_df_5gprose:
	case ProfileElement_PR_iot:
	case ProfileElement_PR_opt_iot:
		return eum_saip_pe_template(&r, pe->present, td, body);
	default:
		return eum_saip_refuse(&r, EUM_SAIP_ST_PE_NOT_SUPPORTED, "PE type not supported");
	}
}

/*
 * asn1c 0.9.28's runtime is not thread-safe as generated: the codec functions of a constrained
 * type (UInt8, ApplicationIdentifier, ...) first copy their base type's function pointers into the
 * shared, global asn_DEF_* descriptor ("inherit_TYPE_descriptor"), on every call. Cards on
 * different threads may decode or encode at the same time, so every asn1c codec call of the
 * card goes through this one process-wide lock (the generated code stays untouched). The
 * critical sections are one PE's decode or free, or one EUICCResponse encode: short.
 */
static pthread_mutex_t asn1_lock = PTHREAD_MUTEX_INITIALIZER;

void eum_saip_asn1_lock(void)
{
	pthread_mutex_lock(&asn1_lock);
}

void eum_saip_asn1_unlock(void)
{
	pthread_mutex_unlock(&asn1_lock);
}

/* Decode and execute one complete PE of len bytes. */
static int process_pe(struct eum_saip_installer *ctx, const uint8_t *der, size_t len)
{
	ProfileElement_t *pe = NULL;
	asn_dec_rval_t rv;
	int rc;

	ctx->res.pe_count++;
	if (ctx->state == EUM_SAIP_DONE)
		return stream_fail(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
		                   "a PE after end"); /* `end` is the last PE */
	eum_saip_asn1_lock();
	rv = ber_decode(NULL, &asn_DEF_ProfileElement, (void **)&pe, der, len);
	eum_saip_asn1_unlock();
	if (rv.code != RC_OK || rv.consumed != len)
		rc = stream_fail(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "not a DER ProfileElement");
	else
		rc = exec_pe(ctx, pe);
	eum_saip_asn1_lock();
	ASN_STRUCT_FREE(asn_DEF_ProfileElement, pe);
	eum_saip_asn1_unlock();
	ctx->pe_index++;
	ctx->offset += len;
	return rc;
}

/* DER header of the next PE: 1- or 2-byte tag, definite length of up to 4 bytes.
 * Returns 1 and *total (header + value) when known, 0 when more bytes are needed, -1 if malformed. */
static int pe_header(const uint8_t *p, size_t n, size_t *total)
{
	size_t h = 1, len = 0, nl, i;

	if (n < 1)
		return 0;
	if ((p[0] & 0x1F) == 0x1F) {
		if (n < 2)
			return 0;
		if (p[1] & 0x80)
			return -1;
		h = 2;
	}
	if (n < h + 1)
		return 0;
	if (p[h] < 0x80) {
		len = p[h];
		h += 1;
	} else {
		nl = p[h] & 0x7Fu;
		if (nl == 0 || nl > 4)
			return -1;
		if (n < h + 1 + nl)
			return 0;
		for (i = 0; i < nl; i++)
			len = (len << 8) | p[h + 1 + i];
		h += 1 + nl;
	}
	if (len > EUM_SAIP_PE_MAX)
		return -1;
	*total = h + len;
	return 1;
}

/* ---- API -------------------------------------------------------------------- */

int eum_saip_installer_init(struct eum_saip_installer *ctx, uint32_t opts)
{
	if (!ctx)
		return EUM_ERR_INVALID_ARG;
	memset(ctx, 0, sizeof(*ctx));
	ctx->opts = opts;
	eum_fs_init(&ctx->prof.fs);
	ctx->usim_adf = ctx->isim_adf = ctx->csim_adf = -1;
	ctx->res.identification = -1;
	return EUM_OK;
}

int eum_saip_installer_feed(struct eum_saip_installer *ctx, const uint8_t *bytes, size_t n)
{
	size_t total;
	int h;

	if (!ctx || (!bytes && n))
		return EUM_ERR_INVALID_ARG;
	while (n > 0) {
		if (ctx->state == EUM_SAIP_FAILED)
			return EUM_ERR_PROFILE;
		if (ctx->buf_len == 0) {
			/* fast path: the whole PE is in the caller's bytes */
			h = pe_header(bytes, n, &total);
			if (h < 0)
				return stream_fail(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
				                   "PE tag or length malformed");
			if (h > 0 && total <= n) {
				if (process_pe(ctx, bytes, total) && ctx->state == EUM_SAIP_FAILED)
					return EUM_ERR_PROFILE;
				bytes += total;
				n -= total;
				continue;
			}
		}
		/* keep the partial PE: first its header, then exactly the rest of it */
		h = pe_header(ctx->buf, ctx->buf_len, &total);
		if (h < 0)
			return stream_fail(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "PE tag or length malformed");
		{
			size_t want = h > 0 ? total - ctx->buf_len : 1;
			size_t take = want < n ? want : n;
			size_t need = ctx->buf_len + take;
			if (need > ctx->buf_cap) {
				size_t ncap = h > 0 ? total : 16;
				uint8_t *nb = malloc(ncap);
				if (!nb)
					return stream_fail(ctx, EUM_SAIP_ST_NOT_ENOUGH_MEMORY, "no memory for the PE");
				if (ctx->buf) {
					memcpy(nb, ctx->buf, ctx->buf_len);
					eum_wipe(ctx->buf, ctx->buf_cap);
					free(ctx->buf);
				}
				ctx->buf = nb;
				ctx->buf_cap = ncap;
			}
			memcpy(ctx->buf + ctx->buf_len, bytes, take);
			ctx->buf_len += take;
			bytes += take;
			n -= take;
		}
		h = pe_header(ctx->buf, ctx->buf_len, &total);
		if (h < 0)
			return stream_fail(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, "PE tag or length malformed");
		if (h > 0 && ctx->buf_len == total) {
			int rc = process_pe(ctx, ctx->buf, total);
			eum_wipe(ctx->buf, ctx->buf_len);
			ctx->buf_len = 0;
			if (rc && ctx->state == EUM_SAIP_FAILED)
				return EUM_ERR_PROFILE;
		}
	}
	return ctx->state == EUM_SAIP_FAILED ? EUM_ERR_PROFILE : EUM_OK;
}

void eum_saip_profile_clear(struct eum_profile *p)
{
	eum_fs_free(&p->fs);
	eum_wipe(&p->pins, sizeof(p->pins));
	eum_wipe(&p->aka, sizeof(p->aka));
	eum_wipe(&p->sqn, sizeof(p->sqn));
}

void eum_saip_extras_wipe(struct eum_saip_extras *x)
{
	if (x)
		eum_wipe(x, sizeof(*x));
}

int eum_saip_installer_finish(struct eum_saip_installer *ctx, struct eum_profile *out, struct eum_saip_extras *extras,
                              struct eum_saip_result *res)
{
	int rc = EUM_ERR_PROFILE;

	if (!ctx || !out)
		return EUM_ERR_INVALID_ARG;
	if (ctx->state == EUM_SAIP_RUNNING)
		/* the package ended without `end` (possibly inside a PE) */
		stream_fail(ctx, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
		            ctx->buf_len ? "the package ends inside this PE" : "the package ends without end");
	if (ctx->state == EUM_SAIP_DONE) {
		eum_saip_profile_clear(out);
		*out = ctx->prof; /* move: the installer no longer owns the file system */
		memset(&ctx->prof, 0, sizeof(ctx->prof));
		eum_fs_init(&ctx->prof.fs);
		if (extras)
			*extras = ctx->ext;
		rc = EUM_OK;
	}
	if (res)
		*res = ctx->res;
	return rc;
}

void eum_saip_installer_free(struct eum_saip_installer *ctx)
{
	if (!ctx)
		return;
	eum_saip_profile_clear(&ctx->prof);
	if (ctx->buf) {
		eum_wipe(ctx->buf, ctx->buf_cap);
		free(ctx->buf);
	}
	ctx->buf = NULL;
	ctx->buf_len = ctx->buf_cap = 0;
	eum_saip_extras_wipe(&ctx->ext);
}

int eum_saip_install_ex(struct eum_profile *out, struct eum_saip_extras *extras, const uint8_t *der, size_t len,
                        uint32_t opts, struct eum_saip_result *res)
{
	struct eum_saip_installer *ctx;
	int rc;

	if (!out || (!der && len))
		return EUM_ERR_INVALID_ARG;
	ctx = malloc(sizeof(*ctx)); /* owned here, ~40 KiB: too large for small stacks */
	if (!ctx)
		return EUM_ERR_NO_MEMORY;
	eum_saip_installer_init(ctx, opts);
	eum_saip_installer_feed(ctx, der, len);
	rc = eum_saip_installer_finish(ctx, out, extras, res);
	eum_saip_installer_free(ctx);
	free(ctx);
	return rc;
}

int eum_saip_install(struct eum_profile *out, const uint8_t *der, size_t len, struct eum_saip_result *res)
{
	return eum_saip_install_ex(out, NULL, der, len, 0, res);
}
