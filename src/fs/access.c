/*
 * Access rule evaluation, ETSI TS 102 221 §9.2 (security attributes) and
 * ISO/IEC 7816-4 §7.4.3 (access mode and security condition data objects).
 */
#include "fs/access.h"

#include "util/tlv.h"

#define AM_DO_BYTE   0x80 /* access mode byte */
#define SC_DO_ALWAYS 0x90
#define SC_DO_NEVER  0x97
#define SC_DO_BYTE   0x9E
#define SC_DO_CRT    0xA4 /* control reference template: 83 key reference, 95 usage qualifier */
#define SC_DO_OR     0xA0
#define SC_DO_AND    0xAF
#define SC_DO_NOT    0xA7

int eum_keyref_satisfied(const struct eum_card *card, uint8_t ref)
{
	const struct eum_pin_store *st = &card->prof->pins;
	int idx = eum_pin_index(st, ref);

	if (idx < 0)
		return 0;
	if (!st->pins[idx].enabled)
		return 1;
	return (card->pin_verified >> idx) & 1;
}

/* Compact security condition byte (ISO 7816-4 §7.4.3.1): 00 always, FF never;
 * any other value names a user verification, which eum maps to ADM1. */
static int sc_byte_ok(const struct eum_card *card, uint8_t sc)
{
	if (sc == 0x00)
		return 1;
	if (sc == 0xFF)
		return 0;
	return eum_keyref_satisfied(card, EUM_KEYREF_ADM1);
}

static int sc_do_ok(const struct eum_card *card, const struct eum_tlv *sc, int depth);

static int sc_list(const struct eum_card *card, const uint8_t *p, size_t len, int all, int depth)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t;
	int rc, any = 0;

	eum_tlv_reader_init(&rd, p, len);
	while ((rc = eum_ber_next(&rd, &t)) == EUM_TLV_OK) {
		int ok = sc_do_ok(card, &t, depth + 1);
		if (all && !ok)
			return 0;
		if (!all && ok)
			return 1;
		any = 1;
	}
	if (rc != EUM_TLV_END)
		return 0;
	return all && any;
}

static int sc_do_ok(const struct eum_card *card, const struct eum_tlv *sc, int depth)
{
	struct eum_tlv kr;

	if (depth > 4)
		return 0;
	switch (sc->tag) {
	case SC_DO_ALWAYS:
		return 1;
	case SC_DO_NEVER:
		return 0;
	case SC_DO_BYTE:
		return sc->len == 1 && sc_byte_ok(card, sc->val[0]);
	case SC_DO_CRT:
		if (eum_ber_find(sc->val, sc->len, 0x83, &kr) != EUM_TLV_OK || kr.len != 1)
			return 0;
		return eum_keyref_satisfied(card, kr.val[0]);
	case SC_DO_OR:
		return sc_list(card, sc->val, sc->len, 0, depth);
	case SC_DO_AND:
		return sc_list(card, sc->val, sc->len, 1, depth);
	case SC_DO_NOT:
		return !sc_list(card, sc->val, sc->len, 1, depth);
	default:
		return 0;
	}
}

/* Expanded format (TS 102 221 §9.2.4): AM_DO followed by SC_DOs (alternatives).
 * A matching AM_DO whose conditions hold grants access; none matching means NEVER. */
static int expanded_ok(const struct eum_card *card, const uint8_t *p, size_t len, uint8_t am, uint8_t ins)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t;
	int matching = 0, matched_any = 0, granted = 0;

	eum_tlv_reader_init(&rd, p, len);
	while (eum_ber_next_skip_padding(&rd, &t) == EUM_TLV_OK) {
		if (t.tag == AM_DO_BYTE) {
			matching = t.len == 1 && (t.val[0] & am) && !(t.val[0] & 0x80);
			matched_any |= matching;
		} else if (t.tag >= 0x81 && t.tag <= 0x8F) {
			/* command header description: b4 CLA, b3 INS, b2 P1, b1 P2 present */
			size_t off = (t.tag & 0x08) ? 1 : 0;
			matching = (t.tag & 0x04) && t.len > off && t.val[off] == ins;
			matched_any |= matching;
		} else if (matching && sc_do_ok(card, &t, 0)) {
			granted = 1;
		}
	}
	(void)matched_any;
	return granted;
}

/* The EF.ARR a referenced attribute points to: searched in the file's DF,
 * then its parents up to the MF (TS 102 221 §9.2.6). */
static int32_t find_arr(const struct eum_fs *fs, int32_t file, uint16_t fid)
{
	int32_t df = EUM_FT_IS_DF(fs->files[file].type) ? file : fs->files[file].parent;

	while (df >= 0) {
		int32_t f = eum_fs_child(fs, df, fid);
		if (f >= 0 && fs->files[f].type == EUM_FT_EF_LINEAR_FIXED)
			return f;
		df = fs->files[df].parent;
	}
	return -1;
}

int eum_access_allowed(const struct eum_card *card, int32_t file, uint8_t am, uint8_t ins)
{
	const struct eum_fs *fs = &card->prof->fs;
	const struct eum_file *f = &fs->files[file];
	struct eum_tlv t;
	struct eum_tlv_reader rd;

	if (f->sec_len == 0)
		return 1; /* no security attributes: TS 102 222 leaves the file unrestricted */
	eum_tlv_reader_init(&rd, f->sec, f->sec_len);
	if (eum_ber_next(&rd, &t) != EUM_TLV_OK)
		return 0;
	switch (t.tag) {
	case 0x8C: { /* compact: AM byte, then one SC byte per set AM bit b7..b1 */
		uint8_t amb, bit;
		size_t k = 1;
		if (t.len < 1)
			return 0;
		amb = t.val[0];
		for (bit = 0x40; bit; bit >>= 1) {
			if (!(amb & bit))
				continue;
			if (k >= t.len)
				return 0;
			if (bit == am)
				return sc_byte_ok(card, t.val[k]);
			k++;
		}
		return 0;
	}
	case 0xAB:
		return expanded_ok(card, t.val, t.len, am, ins);
	case 0x8B: { /* EF.ARR FID + record number, or FID + (SEID, record) pairs */
		int32_t arr;
		uint8_t recno;
		const uint8_t *rec;
		uint16_t fid;
		if (t.len < 3)
			return 0;
		fid = (uint16_t)((t.val[0] << 8) | t.val[1]);
		if (t.len == 3) {
			recno = t.val[2];
		} else {
			/* SE01 is the security environment of the application PIN (TS 102 221 §9.2.6) */
			size_t k;
			recno = t.val[3];
			for (k = 2; k + 1 < t.len; k += 2)
				if (t.val[k] == 0x01)
					recno = t.val[k + 1];
		}
		arr = find_arr(fs, file, fid);
		if (arr < 0)
			return 0;
		rec = eum_fs_record(fs, arr, recno);
		if (!rec)
			return 0;
		return expanded_ok(card, rec, fs->files[arr].rec_len, am, ins);
	}
	default:
		return 0;
	}
}
