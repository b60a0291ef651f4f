/*
 * UICC file commands of ETSI TS 102 221 §11.1 on the enabled profile's file
 * system: SELECT, STATUS, READ/UPDATE BINARY, READ/UPDATE/SEARCH RECORD,
 * INCREASE, ACTIVATE/DEACTIVATE FILE, with FCP templates per §11.1.1.3.
 * The command table at the end is the UICC application's (STYLE §5).
 */
#include <string.h>

#include "cat/cat.h"
#include "core/sw.h"
#include "fs/access.h"
#include "fs/pin_cmds.h"
#include "fs/uicc.h"
#include "usim/usim_cmds.h"
#include "util/tlv.h"
#include "store/store.h"

#define FS(card) (&(card)->prof->fs)

/* ---- FCP (TS 102 221 §11.1.1.3) ----------------------------------------- */

static uint8_t fdb(const struct eum_file *f)
{
	static const uint8_t base[EUM_FT_NUM] = {
	        [EUM_FT_MF] = 0x38,
	        [EUM_FT_DF] = 0x38,
	        [EUM_FT_ADF] = 0x38,
	        [EUM_FT_EF_TRANSPARENT] = 0x01,
	        [EUM_FT_EF_LINEAR_FIXED] = 0x02,
	        [EUM_FT_EF_CYCLIC] = 0x06,
	        [EUM_FT_EF_BER_TLV] = 0x39,
	};
	return (uint8_t)(base[f->type] | (f->shareable ? 0x40 : 0));
}

static uint32_t df_total_size(const struct eum_fs *fs, int32_t df)
{
	uint32_t total = 0;
	size_t i;

	for (i = 1; i < fs->n; i++) {
		int32_t p = fs->files[i].parent;
		while (p >= 0 && p != df)
			p = fs->files[p].parent;
		if (p == df)
			total += fs->files[i].size;
	}
	return total;
}

/* PIN status template DO (TS 102 221 §9.5.2): PS_DO bitmap, then key references. */
static void pin_status_template(const struct eum_card *card, const struct eum_file *f, struct eum_buf *b)
{
	static const uint8_t adf_refs[] = {EUM_KEYREF_PIN_APPL1, EUM_KEYREF_SECOND_PIN_APPL1, EUM_KEYREF_ADM1};
	static const uint8_t df_refs[] = {EUM_KEYREF_PIN_APPL1, EUM_KEYREF_UNIVERSAL_PIN, EUM_KEYREF_ADM1};
	const uint8_t *refs = f->type == EUM_FT_ADF ? adf_refs : df_refs;
	struct eum_pin_store *st = (struct eum_pin_store *)&card->prof->pins;
	uint8_t ps = 0, bit = 0x80;
	size_t mark, i;

	mark = eum_buf_ber_open(b, 0xC6);
	for (i = 0; i < 3; i++) {
		const struct eum_pin *p = eum_pin_find(st, refs[i]);
		if (!p)
			continue;
		if (p->enabled)
			ps |= bit;
		bit >>= 1;
	}
	eum_buf_ber_tlv(b, 0x90, &ps, 1);
	for (i = 0; i < 3; i++) {
		if (!eum_pin_find(st, refs[i]))
			continue;
		eum_buf_u8(b, 0x83);
		eum_buf_u8(b, 1);
		eum_buf_u8(b, refs[i]);
	}
	eum_buf_ber_close(b, mark);
}

/* FCP template of a file; tag 62 (FCP) or 6F (FCI, same content objects). */
static void build_fcp(const struct eum_card *card, int32_t idx, uint32_t tag, struct eum_buf *b)
{
	const struct eum_fs *fs = FS(card);
	const struct eum_file *f = &fs->files[idx];
	uint8_t desc[5] = {fdb(f), 0x21, 0, 0, 0};
	uint8_t two[2];
	size_t mark = eum_buf_ber_open(b, tag);

	if (EUM_FT_IS_RECORD(f->type)) {
		desc[2] = (uint8_t)(f->rec_len >> 8);
		desc[3] = (uint8_t)f->rec_len;
		desc[4] = (uint8_t)f->nrec;
		eum_buf_ber_tlv(b, 0x82, desc, 5);
	} else {
		eum_buf_ber_tlv(b, 0x82, desc, 2);
	}
	two[0] = (uint8_t)(f->fid >> 8);
	two[1] = (uint8_t)f->fid;
	eum_buf_ber_tlv(b, 0x83, two, 2);
	if (f->type == EUM_FT_ADF)
		eum_buf_ber_tlv(b, 0x84, f->aid, f->aid_len);
	if (f->type == EUM_FT_MF) {
		/* A5: 80 UICC characteristics (TS 102 221 §11.1.1.4.6.1): clock stop
		 * allowed, no preferred level; supply voltage class A/B/C */
		static const uint8_t prop[] = {0x80, 0x01, 0x71};
		eum_buf_ber_tlv(b, 0xA5, prop, sizeof(prop));
	}
	eum_buf_ber_tlv(b, 0x8A, &f->lcs, 1);
	if (f->sec_len)
		eum_buf_put(b, f->sec, f->sec_len);
	if (EUM_FT_IS_DF(f->type)) {
		uint32_t total = df_total_size(fs, idx);
		pin_status_template(card, f, b);
		two[0] = (uint8_t)(total >> 8);
		two[1] = (uint8_t)total;
		eum_buf_ber_tlv(b, 0x81, two, 2);
	} else {
		two[0] = (uint8_t)(f->size >> 8);
		two[1] = (uint8_t)f->size;
		eum_buf_ber_tlv(b, 0x80, two, 2);
		if (f->sfi) {
			uint8_t sfi = (uint8_t)(f->sfi << 3);
			eum_buf_ber_tlv(b, 0x88, &sfi, 1);
		} else {
			eum_buf_ber_tlv(b, 0x88, NULL, 0);
		}
	}
	eum_buf_ber_close(b, mark);
}

static uint16_t put_fcp(const struct eum_card *card, int32_t idx, uint32_t tag, struct eum_rsp *r)
{
	struct eum_buf b;

	eum_buf_init(&b, r->data, r->cap);
	build_fcp(card, idx, tag, &b);
	if (b.overflow)
		return EUM_SW_TECHNICAL_PROBLEM;
	r->len = b.len;
	return EUM_SW_OK;
}

/* ---- SELECT (TS 102 221 §11.1.1, selection rules §8.4.1) ---------------- */

static int32_t select_by_fid(const struct eum_card *card, const struct eum_channel *ch, uint16_t fid)
{
	const struct eum_fs *fs = FS(card);
	int32_t cur = ch->sel->df, parent, f;

	if (fid == EUM_FID_MF)
		return 0;
	if (fid == EUM_FID_CURRENT_ADF)
		return ch->sel->adf;
	if (cur < 0)
		cur = 0;
	if (fs->files[cur].fid == fid && fs->files[cur].type != EUM_FT_ADF)
		return cur;
	f = eum_fs_child(fs, cur, fid);
	if (f >= 0)
		return f;
	parent = fs->files[cur].parent;
	if (parent >= 0) {
		if (fs->files[parent].fid == fid)
			return parent;
		f = eum_fs_child(fs, parent, fid);
		if (f >= 0 && EUM_FT_IS_DF(fs->files[f].type))
			return f;
	}
	return -1;
}

static void make_current(struct eum_channel *ch, const struct eum_fs *fs, int32_t idx)
{
	const struct eum_file *f = &fs->files[idx];

	if (EUM_FT_IS_DF(f->type)) {
		ch->sel->df = idx;
		ch->sel->ef = -1;
		if (f->type == EUM_FT_ADF)
			ch->sel->adf = idx;
	} else {
		ch->sel->df = f->parent;
		ch->sel->ef = idx;
	}
	ch->sel->rec = 0;
}

/* SELECT, TS 102 221 §11.1.1 */
static uint16_t cmd_select(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	const struct eum_fs *fs = FS(card);
	int32_t idx = -1;
	uint16_t sw;
	int want_fcp;

	/* P2 (§11.1.1.2): 04 return FCP, 0C no data, 00 FCI (ISO 7816-4) */
	switch (a->p2 & 0xFC) {
	case 0x04:
		want_fcp = 1;
		break;
	case 0x0C:
		want_fcp = 0;
		break;
	case 0x00:
		want_fcp = 2;
		break;
	default:
		return EUM_SW_INCORRECT_P1P2;
	}
	if ((a->p2 & 0x03) && a->p1 != 0x04)
		return EUM_SW_INCORRECT_P1P2;
	if ((a->p2 & 0x03) != 0x00) /* only "first or only occurrence" */
		return EUM_SW_FUNCTION_NOT_SUPPORTED;

	switch (a->p1) {
	case 0x00:
		if (a->lc != 2)
			return a->lc == 0 ? EUM_SW_WRONG_LENGTH : EUM_SW_LC_INCONSISTENT_WITH_P1P2;
		idx = select_by_fid(card, ch, (uint16_t)((a->data[0] << 8) | a->data[1]));
		break;
	case 0x03:
		if (a->lc != 0)
			return EUM_SW_LC_INCONSISTENT_WITH_P1P2;
		idx = ch->sel->df >= 0 ? fs->files[ch->sel->df].parent : -1;
		break;
	case 0x04:
		if (a->lc == 0 || a->lc > EUM_AID_MAX)
			return EUM_SW_WRONG_LENGTH;
		idx = eum_fs_adf_by_aid(fs, a->data, a->lc);
		break;
	case 0x08:
	case 0x09:
		if (a->lc == 0)
			return EUM_SW_WRONG_LENGTH;
		if (a->lc % 2) /* a path is whole FIDs */
			return EUM_SW_LC_INCONSISTENT_WITH_P1P2;
		/* a path from the MF must not begin with 3F00 (§8.4.2) */
		if (a->data[0] == 0x3F && a->data[1] == 0x00)
			return EUM_SW_INCORRECT_DATA;
		idx = eum_fs_walk(fs, a->p1 == 0x08 ? 0 : (ch->sel->df >= 0 ? ch->sel->df : 0), a->data, a->lc);
		break;
	default:
		return EUM_SW_INCORRECT_P1P2;
	}
	if (idx < 0) {
		eum_log(card, EUM_LOG_DEBUG, "SELECT: file not found");
		return EUM_SW_FILE_NOT_FOUND;
	}
	make_current(ch, fs, idx);
	sw = EUM_SW_OK;
	if (want_fcp) {
		sw = put_fcp(card, idx, want_fcp == 1 ? 0x62 : 0x6F, r);
		if (sw != EUM_SW_OK)
			return sw;
	}
	if (fs->files[idx].lcs == EUM_LCS_OPERATIONAL_DEACTIVATED)
		return EUM_SW_WARN_FILE_DEACTIVATED;
	return EUM_SW_OK;
}

/* STATUS, TS 102 221 §11.1.2 */
static uint16_t cmd_status(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	const struct eum_fs *fs = FS(card);
	int32_t df = ch->sel->df >= 0 ? ch->sel->df : 0;

	if (a->p1 > 0x02)
		return EUM_SW_INCORRECT_P1P2;
	switch (a->p2) {
	case 0x00:
		return put_fcp(card, df, 0x62, r);
	case 0x01:
		if (ch->sel->adf < 0)
			return EUM_SW_OK;
		r->data[0] = 0x84;
		r->data[1] = fs->files[ch->sel->adf].aid_len;
		memcpy(r->data + 2, fs->files[ch->sel->adf].aid, fs->files[ch->sel->adf].aid_len);
		r->len = 2u + fs->files[ch->sel->adf].aid_len;
		return EUM_SW_OK;
	case 0x0C: /* no data returned; modems send it with and without P3 */
		return EUM_SW_OK;
	default:
		return EUM_SW_INCORRECT_P1P2;
	}
}

/* ---- EF access helpers --------------------------------------------------- */

/* Resolve the EF for a command with an optional SFI; it becomes current
 * (TS 102 221 §8.4.3). Returns 0 and *out, or the SW. */
static uint16_t target_ef(struct eum_card *card, struct eum_channel *ch, uint8_t sfi, int32_t *out)
{
	const struct eum_fs *fs = FS(card);
	int32_t ef;

	if (sfi) {
		ef = eum_fs_child_sfi(fs, ch->sel->df >= 0 ? ch->sel->df : 0, sfi);
		if (ef < 0)
			return EUM_SW_FILE_NOT_FOUND;
		if (ch->sel->ef != ef) {
			ch->sel->ef = ef;
			ch->sel->rec = 0;
		}
	} else {
		ef = ch->sel->ef;
		if (ef < 0)
			return EUM_SW_NO_CURRENT_EF;
	}
	/* A deactivated EF refuses access (TS 102 221 §11.1.14); 6283 is a SELECT/STATUS
	 * warning only (Table 10.16), the access itself is "conditions of use not satisfied". */
	if (fs->files[ef].lcs == EUM_LCS_OPERATIONAL_DEACTIVATED)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	*out = ef;
	return 0;
}

static uint16_t check_access(struct eum_card *card, int32_t ef, uint8_t am, uint8_t ins)
{
	if (eum_access_allowed(card, ef, am, ins))
		return 0;
	eum_log(card, EUM_LOG_INFO, "access to EF %04X denied", FS(card)->files[ef].fid);
	return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
}

/* TS 102 221 §8.4.3, §11.1.14: an EF referenced by SFI, or by the data of DEACTIVATE / ACTIVATE
 * FILE, becomes the current EF with the command; a command that is refused (any SW but 9000 and
 * the 62xx / 63xx warnings) leaves the channel's selection and record pointer as they were
 * (issue 12: a refused command changes no volatile state either). */
static uint16_t
sel_on_success(uint16_t (*fn)(struct eum_card *, struct eum_channel *, const struct eum_apdu *, struct eum_rsp *),
               struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_fs_sel was = *ch->sel;
	uint16_t sw = fn(card, ch, a, r);

	if (sw != EUM_SW_OK && (sw >> 8) != 0x62 && (sw >> 8) != 0x63)
		*ch->sel = was;
	return sw;
}

#define SEL_ON_SUCCESS(name)                                                                                           \
	static uint16_t name(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,                  \
	                     struct eum_rsp *r)                                                                        \
	{                                                                                                              \
		return sel_on_success(name##_body, card, ch, a, r);                                                    \
	}

/* READ BINARY / UPDATE BINARY P1-P2 (TS 102 221 §11.1.3.1): b8 of P1 set = SFI in b5-b1. */
static uint16_t binary_target(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, int32_t *ef,
                              uint32_t *off)
{
	uint16_t sw;

	if (a->p1 & 0x80) {
		if (a->p1 & 0x60)
			return EUM_SW_INCORRECT_P1P2;
		sw = target_ef(card, ch, a->p1 & 0x1F, ef);
		*off = a->p2;
	} else {
		sw = target_ef(card, ch, 0, ef);
		*off = ((uint32_t)a->p1 << 8) | a->p2;
	}
	if (sw)
		return sw;
	if (FS(card)->files[*ef].type != EUM_FT_EF_TRANSPARENT)
		return EUM_SW_INCOMPATIBLE_FILE_STRUCTURE;
	return 0;
}

/* READ BINARY, TS 102 221 §11.1.3 */
static uint16_t cmd_read_binary_body(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                     struct eum_rsp *r)
{
	const struct eum_file *f;
	uint32_t off;
	int32_t ef;
	uint16_t sw;
	size_t n;

	sw = binary_target(card, ch, a, &ef, &off);
	if (sw)
		return sw;
	sw = check_access(card, ef, EUM_AM_EF_READ, a->ins);
	if (sw)
		return sw;
	f = &FS(card)->files[ef];
	if (off >= f->size)
		return EUM_SW_WRONG_P1P2;
	n = f->size - off < a->le ? f->size - off : a->le;
	memcpy(r->data, f->data + off, n);
	r->len = n;
	return EUM_SW_OK;
}

/* UPDATE BINARY, TS 102 221 §11.1.4 */
static uint16_t cmd_update_binary_body(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                       struct eum_rsp *r)
{
	const struct eum_file *f;
	uint8_t *body;
	uint32_t off;
	int32_t ef;
	uint16_t sw;

	sw = binary_target(card, ch, a, &ef, &off);
	if (sw)
		return sw;
	sw = check_access(card, ef, EUM_AM_EF_UPDATE, a->ins);
	if (sw)
		return sw;
	f = &FS(card)->files[ef];
	if (off >= f->size)
		return EUM_SW_WRONG_P1P2;
	if (a->lc > f->size - off)
		return EUM_SW_WRONG_LENGTH;
	body = eum_fs_body_w(FS(card), ef); /* copy-on-write of a shared body (fs/fs.h) */
	if (!body)
		return EUM_SW_MEMORY_PROBLEM;
	memcpy(body + off, a->data, a->lc);
	eum_store_dirty_file(card, card->prof, ef);
	return EUM_SW_OK;
}

/* Record addressing (TS 102 221 §11.1.5.1): P2 b8-b4 SFI, b3-b1 mode. */
#define REC_NEXT     0x02
#define REC_PREVIOUS 0x03
#define REC_ABSOLUTE 0x04

static uint16_t record_target(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, int32_t *ef)
{
	uint16_t sw;
	uint8_t mode = a->p2 & 0x07, sfi = a->p2 >> 3;

	if (mode != REC_NEXT && mode != REC_PREVIOUS && mode != REC_ABSOLUTE)
		return EUM_SW_INCORRECT_P1P2;
	if (sfi == 0x1F)
		return EUM_SW_INCORRECT_P1P2;
	sw = target_ef(card, ch, sfi, ef);
	if (sw)
		return sw;
	if (!EUM_FT_IS_RECORD(FS(card)->files[*ef].type))
		return EUM_SW_INCOMPATIBLE_FILE_STRUCTURE;
	return 0;
}

/* Record number for READ RECORD; updates the record pointer for next/previous. */
static uint16_t pick_record(struct eum_channel *ch, const struct eum_file *f, uint8_t p1, uint8_t mode, uint16_t *recno)
{
	uint16_t cur = (uint16_t)ch->sel->rec;

	switch (mode) {
	case REC_ABSOLUTE:
		if (p1 == 0) {
			if (cur == 0)
				return EUM_SW_RECORD_NOT_FOUND;
			*recno = cur;
		} else {
			if (p1 > f->nrec)
				return EUM_SW_RECORD_NOT_FOUND;
			*recno = p1;
		}
		return 0;
	case REC_NEXT:
		if (p1 != 0)
			return EUM_SW_INCORRECT_P1P2;
		if (cur == 0)
			*recno = 1;
		else if (cur < f->nrec)
			*recno = (uint16_t)(cur + 1);
		else if (f->type == EUM_FT_EF_CYCLIC)
			*recno = 1;
		else
			return EUM_SW_RECORD_NOT_FOUND;
		ch->sel->rec = *recno;
		return 0;
	case REC_PREVIOUS:
		if (p1 != 0)
			return EUM_SW_INCORRECT_P1P2;
		if (cur == 0)
			*recno = f->nrec;
		else if (cur > 1)
			*recno = (uint16_t)(cur - 1);
		else if (f->type == EUM_FT_EF_CYCLIC)
			*recno = f->nrec;
		else
			return EUM_SW_RECORD_NOT_FOUND;
		ch->sel->rec = *recno;
		return 0;
	default:
		return EUM_SW_INCORRECT_P1P2;
	}
}

/* READ RECORD, TS 102 221 §11.1.5 */
static uint16_t cmd_read_record_body(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                     struct eum_rsp *r)
{
	const struct eum_file *f;
	uint16_t sw, recno;
	int32_t ef;

	sw = record_target(card, ch, a, &ef);
	if (sw)
		return sw;
	sw = check_access(card, ef, EUM_AM_EF_READ, a->ins);
	if (sw)
		return sw;
	f = &FS(card)->files[ef];
	sw = pick_record(ch, f, a->p1, a->p2 & 0x07, &recno);
	if (sw)
		return sw;
	memcpy(r->data, eum_fs_record(FS(card), ef, recno), f->rec_len);
	r->len = f->rec_len;
	return EUM_SW_OK;
}

/* UPDATE RECORD, TS 102 221 §11.1.6 */
static uint16_t cmd_update_record_body(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                       struct eum_rsp *r)
{
	const struct eum_file *f;
	uint16_t sw, recno;
	uint8_t mode = a->p2 & 0x07;
	int32_t ef;
	uint8_t *rec;

	sw = record_target(card, ch, a, &ef);
	if (sw)
		return sw;
	sw = check_access(card, ef, EUM_AM_EF_UPDATE, a->ins);
	if (sw)
		return sw;
	f = &FS(card)->files[ef];
	if (a->lc != f->rec_len)
		return EUM_SW_WRONG_LENGTH;
	if (f->type == EUM_FT_EF_CYCLIC) {
		/* §11.1.6: a cyclic EF is updated in previous mode only; the
		 * oldest record becomes record 1 */
		if (mode != REC_PREVIOUS || a->p1 != 0)
			return EUM_SW_INCORRECT_P1P2;
		rec = eum_fs_cyclic_push(FS(card), ef);
		if (!rec)
			return EUM_SW_MEMORY_PROBLEM;
		ch->sel->rec = 1;
	} else {
		sw = pick_record(ch, f, a->p1, mode, &recno);
		if (sw)
			return sw;
		rec = eum_fs_record_w(FS(card), ef, recno); /* copy-on-write of a shared body (fs/fs.h) */
		if (!rec)
			return EUM_SW_MEMORY_PROBLEM;
	}
	memcpy(rec, a->data, a->lc);
	eum_store_dirty_file(card, card->prof, ef);
	return EUM_SW_OK;
}

/* SEARCH RECORD (simple search), TS 102 221 §11.1.7: records beginning with the pattern. */
static uint16_t cmd_search_record_body(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                       struct eum_rsp *r)
{
	const struct eum_file *f;
	uint8_t mode = a->p2 & 0x07, sfi = a->p2 >> 3;
	int32_t ef;
	uint16_t sw, start, i;

	if (mode != 0x04 && mode != 0x05)
		return EUM_SW_INCORRECT_P1P2;
	sw = target_ef(card, ch, sfi == 0x1F ? 0 : sfi, &ef);
	if (sw)
		return sw;
	f = &FS(card)->files[ef];
	if (!EUM_FT_IS_RECORD(f->type))
		return EUM_SW_INCOMPATIBLE_FILE_STRUCTURE;
	sw = check_access(card, ef, EUM_AM_EF_READ, a->ins);
	if (sw)
		return sw;
	if (a->lc > f->rec_len)
		return EUM_SW_WRONG_LENGTH;
	/* P1 00 = from the current record (Table 11.11), which may not exist yet */
	start = a->p1 ? a->p1 : (uint16_t)ch->sel->rec;
	if (start == 0 || start > f->nrec)
		return EUM_SW_RECORD_NOT_FOUND;
	for (i = start; i >= 1 && i <= f->nrec; i = (uint16_t)(mode == 0x04 ? i + 1 : i - 1)) {
		if (memcmp(eum_fs_record(FS(card), ef, i), a->data, a->lc) == 0) {
			if (r->len == 0)
				ch->sel->rec = i; /* first match becomes the current record */
			r->data[r->len++] = (uint8_t)i;
		}
	}
	return EUM_SW_OK;
}

/* INCREASE, TS 102 221 §11.1.8: add to record 1 of a cyclic EF, store as the new record 1. */
static uint16_t cmd_increase(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	const struct eum_file *f;
	uint8_t sum[256], *rec;
	unsigned carry = 0;
	int32_t ef;
	uint16_t sw;
	size_t i, n;

	if (a->p1 || a->p2)
		return EUM_SW_INCORRECT_P1P2;
	sw = target_ef(card, ch, 0, &ef);
	if (sw)
		return sw;
	f = &FS(card)->files[ef];
	if (f->type != EUM_FT_EF_CYCLIC)
		return EUM_SW_INCOMPATIBLE_FILE_STRUCTURE;
	if (!eum_access_allowed(card, ef, 0, a->ins) && !eum_access_allowed(card, ef, EUM_AM_EF_UPDATE, a->ins))
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	n = f->rec_len;
	if (a->lc > n)
		return EUM_SW_WRONG_LENGTH;
	memcpy(sum, eum_fs_record(FS(card), ef, 1), n);
	for (i = 0; i < n; i++) {
		size_t k = n - 1 - i;
		unsigned add = i < a->lc ? a->data[a->lc - 1 - i] : 0;
		unsigned v = sum[k] + add + carry;
		sum[k] = (uint8_t)v;
		carry = v >> 8;
	}
	if (carry)
		return EUM_SW_INCREASE_MAX_REACHED;
	rec = eum_fs_cyclic_push(FS(card), ef);
	if (!rec)
		return EUM_SW_MEMORY_PROBLEM;
	memcpy(rec, sum, n);
	eum_store_dirty_file(card, card->prof, ef);
	ch->sel->rec = 1;
	memcpy(r->data, sum, n);
	memcpy(r->data + n, a->data, a->lc);
	r->len = n + a->lc;
	return EUM_SW_OK;
}

/* DEACTIVATE FILE / ACTIVATE FILE, TS 102 221 §11.1.14 / §11.1.15 */
static uint16_t cmd_file_lifecycle_body(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                        struct eum_rsp *r)
{
	int activate = a->ins == 0x44;
	struct eum_fs *fs = FS(card);
	struct eum_file *f;
	int32_t idx;

	if (a->p2 != 0x00)
		return EUM_SW_INCORRECT_P1P2;
	if (a->lc == 0) {
		if (a->p1 != 0x00)
			return EUM_SW_INCORRECT_P1P2;
		/* no data: the current EF; none is 6986 (TS 102 221 Table 10.16) */
		idx = ch->sel->ef;
	} else {
		/* the file is selected as SELECT would with the same P1 (FID or path) */
		if (a->p1 != 0x00 && a->p1 != 0x08 && a->p1 != 0x09)
			return EUM_SW_INCORRECT_P1P2;
		if ((a->p1 == 0x00 && a->lc != 2) || a->lc % 2)
			return EUM_SW_LC_INCONSISTENT_WITH_P1P2;
		if (a->p1 == 0x00)
			idx = select_by_fid(card, ch, (uint16_t)((a->data[0] << 8) | a->data[1]));
		else
			idx = eum_fs_walk(fs, a->p1 == 0x08 ? 0 : ch->sel->df, a->data, a->lc);
		if (idx < 0)
			return EUM_SW_FILE_NOT_FOUND;
		make_current(ch, fs, idx);
	}
	if (idx < 0)
		return EUM_SW_NO_CURRENT_EF;
	if (!eum_access_allowed(card, idx, activate ? EUM_AM_EF_ACTIVATE : EUM_AM_EF_DEACTIVATE, a->ins))
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	f = eum_fs_file_w(fs, idx); /* copy-on-write of a shared file table (fs/fs.h) */
	if (!f)
		return EUM_SW_MEMORY_PROBLEM;
	f->lcs = activate ? EUM_LCS_OPERATIONAL_ACTIVATED : EUM_LCS_OPERATIONAL_DEACTIVATED;
	eum_store_dirty_file(card, card->prof, idx);
	return EUM_SW_OK;
}

SEL_ON_SUCCESS(cmd_read_binary)
SEL_ON_SUCCESS(cmd_update_binary)
SEL_ON_SUCCESS(cmd_read_record)
SEL_ON_SUCCESS(cmd_update_record)
SEL_ON_SUCCESS(cmd_search_record)
SEL_ON_SUCCESS(cmd_file_lifecycle)

/* ---- the UICC application's command table ------------------------------- */

#define C1 EUM_CASE1
#define C2 EUM_CASE2
#define C3 EUM_CASE3
#define C4 EUM_CASE4

static const struct eum_cmd uicc_cmds[] = {
        {0x00, 0xA4, C1 | C2 | C3 | C4, cmd_select, "SELECT", EUM_SEC_NONE, 0},
        {0x80, 0xF2, C1 | C2, cmd_status, "STATUS", EUM_SEC_NONE, 0},
        {0x00, 0xB0, C2, cmd_read_binary, "READ BINARY", EUM_SEC_NONE, 0},
        {0x00, 0xD6, C3, cmd_update_binary, "UPDATE BINARY", EUM_SEC_NONE, 0},
        {0x00, 0xB2, C2, cmd_read_record, "READ RECORD", EUM_SEC_NONE, 0},
        {0x00, 0xDC, C3, cmd_update_record, "UPDATE RECORD", EUM_SEC_NONE, 0},
        {0x00, 0xA2, C3 | C4, cmd_search_record, "SEARCH RECORD", EUM_SEC_NONE, 0},
        {0x80, 0x32, C3 | C4, cmd_increase, "INCREASE", EUM_SEC_NONE, 0},
        {0x00, 0x04, C1 | C3, cmd_file_lifecycle, "DEACTIVATE FILE", EUM_SEC_NONE, 0},
        {0x00, 0x44, C1 | C3, cmd_file_lifecycle, "ACTIVATE FILE", EUM_SEC_NONE, 0},
        {0x00, 0x20, C1 | C3, eum_cmd_verify_pin, "VERIFY PIN", EUM_SEC_NONE, 0},
        {0x00, 0x24, C3, eum_cmd_change_pin, "CHANGE PIN", EUM_SEC_NONE, 0},
        {0x00, 0x26, C3, eum_cmd_disable_pin, "DISABLE PIN", EUM_SEC_NONE, 0},
        {0x00, 0x28, C3, eum_cmd_enable_pin, "ENABLE PIN", EUM_SEC_NONE, 0},
        {0x00, 0x2C, C1 | C3, eum_cmd_unblock_pin, "UNBLOCK PIN", EUM_SEC_NONE, 0},
        {0x80, 0x10, C3, eum_cat_terminal_profile, "TERMINAL PROFILE", EUM_SEC_NONE, 0},
        {0x80, 0x12, C2, eum_cat_fetch, "FETCH", EUM_SEC_NONE, 0},
        {0x80, 0x14, C3, eum_cat_terminal_response, "TERMINAL RESPONSE", EUM_SEC_NONE, 0},
        {0x80, 0xC2, C3 | C4, eum_cat_envelope, "ENVELOPE", EUM_SEC_NONE, 0},
        EUM_USIM_COMMANDS};

const struct eum_cmd_table eum_uicc_cmd_table = {uicc_cmds, sizeof(uicc_cmds) / sizeof(uicc_cmds[0])};

/* no secure messaging of its own (TS 102 221 §10.1.1: SM bits unused) */
const struct eum_app_desc eum_app_uicc = {"UICC", &eum_uicc_cmd_table, NULL};
