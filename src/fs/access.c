/*
 * Access rule evaluation, ETSI TS 102 221 §9.2 (security attributes) and
 * ISO/IEC 7816-4 §7.4.3 (access mode and security condition data objects).
 */
#include "fs/access.h"

#include <string.h>

#include "ota/ota.h"
#include "util/tlv.h"

#define AM_DO_BYTE   0x80 /* access mode byte */
#define SC_DO_ALWAYS 0x90
#define SC_DO_NEVER  0x97
#define SC_DO_BYTE   0x9E
#define SC_DO_CRT    0xA4 /* control reference template: 83 key reference, 95 usage qualifier */
#define SC_DO_OR     0xA0
#define SC_DO_AND    0xAF
#define SC_DO_NOT    0xA7

/*
 * TS 102 226 §8.2.1.3.2.5: while a remote file management script runs, the access domain of its RFM
 * instance stands in for the terminal's PIN states. ADP 00 "full access": every condition but NEVER;
 * FF "no access": none; 02 "UICC access mechanism": the key references whose bit is set in the 3
 * bytes of access domain data (§8.2.1.3.2.5.2). Bit positions: byte 2 b1 = ADM1 is what pySim's
 * SAIP encoder writes for "ADM1 access" (02 000100); the rest of the table from our reading of
 * TS 102 226 (UNCONFIRMED): byte 3 b1 ALW, b2..b8 PIN Appl 1..7; byte 2 b1..b5 ADM1..ADM5, b6 PIN
 * Appl 8, b8 Universal PIN; byte 1 b1..b5 ADM6..ADM10. Other references (second PINs) are never granted.
 */
#define REF_ALW 0x00 /* the ALW condition, as a pseudo key reference */

static int ad_bit(uint8_t ref, unsigned *byte, unsigned *bit)
{
	if (ref <= 0x07) { /* ALW, PIN Appl 1..7 */
		*byte = 3;
		*bit = ref;
	} else if (ref >= 0x0A && ref <= 0x0E) { /* ADM1..ADM5 */
		*byte = 2;
		*bit = (unsigned)(ref - 0x0A);
	} else if (ref == 0x08) {
		*byte = 2;
		*bit = 5;
	} else if (ref == EUM_KEYREF_UNIVERSAL_PIN) {
		*byte = 2;
		*bit = 7;
	} else if (ref >= 0x8A && ref <= 0x8E) { /* ADM6..ADM10 */
		*byte = 1;
		*bit = (unsigned)(ref - 0x8A);
	} else {
		return 0;
	}
	return 1;
}

static int ad_grants(const uint8_t *ad, uint8_t len, uint8_t ref)
{
	unsigned byte, bit;

	if (len == 1 && ad[0] == 0x00)
		return 1; /* full access */
	if (len != 4 || ad[0] != 0x02 || !ad_bit(ref, &byte, &bit))
		return 0; /* FF, absent, unknown: no access */
	return (ad[byte] >> bit) & 1;
}

/* The access domain that applies to an operation on a file during an RFM script: the ADF domains
 * inside the ADF the instance serves (adfRFMAccess), the UICC domains elsewhere, ADFs the instance
 * names no domain for included (our choice: a UICC RFM such as the bootstrap's on TAR B00010
 * reaches EF.IMSI; UNCONFIRMED whether TS 102 226 keeps other ADFs out of its reach); the admin
 * domain for administrative operations (TS 102 222: activate, deactivate, terminate, delete). */
static int rfm_domain(const struct eum_card *card, int32_t file, uint8_t am)
{
	const struct eum_rfm *r = eum_ota_rfm(card);
	const struct eum_fs *fs = &card->prof->fs;
	int admin = (am & (EUM_AM_EF_DEACTIVATE | EUM_AM_EF_ACTIVATE | EUM_AM_EF_TERMINATE | EUM_AM_EF_DELETE)) != 0;
	int32_t f = file;

	while (f >= 0 && fs->files[f].type != EUM_FT_ADF)
		f = fs->files[f].parent;
	if (f < 0)
		return admin ? EUM_RFM_AD_ADMIN : EUM_RFM_AD_UICC;
	if (r->adf_aid_len && fs->files[f].aid_len >= r->adf_aid_len &&
	    !memcmp(fs->files[f].aid, r->adf_aid, r->adf_aid_len))
		return admin ? EUM_RFM_AD_ADF_ADMIN : EUM_RFM_AD_ADF;
	return admin ? EUM_RFM_AD_ADMIN : EUM_RFM_AD_UICC;
}

/* Evaluation context: the card, and the access domain in force (-1 = the terminal's PIN states). */
struct ac {
	const struct eum_card *card;
	int dom; /* EUM_RFM_AD_* during an RFM script */
};

static int ref_ok(const struct ac *x, uint8_t ref)
{
	const struct eum_rfm *r = eum_ota_rfm(x->card);

	if (x->dom == -1)
		return ref == REF_ALW || eum_keyref_satisfied(x->card, ref);
	if (x->dom < 0)
		return 0;
	return ad_grants(r->ad[x->dom], r->ad_len[x->dom], ref);
}

int eum_keyref_satisfied(const struct eum_card *card, uint8_t ref)
{
	const struct eum_pin_store *st = &card->prof->pins;
	int idx;

	if (eum_ota_rfm(card)) {
		/* outside a file operation (VERIFY status, AUTHENTICATE): the domain of the script's target */
		const struct eum_rfm *r = eum_ota_rfm(card);
		int k = r->adf_aid_len ? EUM_RFM_AD_ADF : EUM_RFM_AD_UICC;
		return ad_grants(r->ad[k], r->ad_len[k], ref);
	}
	idx = eum_pin_index(st, ref);
	if (idx < 0)
		return 0;
	if (!st->pins[idx].enabled)
		return 1;
	return (card->pin_verified >> idx) & 1;
}

/* Compact security condition byte (ISO 7816-4 §7.4.3.1): 00 always, FF never;
 * any other value names a user verification, which eum maps to ADM1. */
static int sc_byte_ok(const struct ac *x, uint8_t sc)
{
	if (sc == 0x00)
		return ref_ok(x, REF_ALW);
	if (sc == 0xFF)
		return 0;
	return ref_ok(x, EUM_KEYREF_ADM1);
}

static int sc_do_ok(const struct ac *x, const struct eum_tlv *sc, int depth);

static int sc_list(const struct ac *x, const uint8_t *p, size_t len, int all, int depth)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t;
	int rc, any = 0;

	eum_tlv_reader_init(&rd, p, len);
	while ((rc = eum_ber_next(&rd, &t)) == EUM_TLV_OK) {
		int ok = sc_do_ok(x, &t, depth + 1);
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

static int sc_do_ok(const struct ac *x, const struct eum_tlv *sc, int depth)
{
	struct eum_tlv kr;

	if (depth > 4)
		return 0;
	switch (sc->tag) {
	case SC_DO_ALWAYS:
		return ref_ok(x, REF_ALW);
	case SC_DO_NEVER:
		return 0;
	case SC_DO_BYTE:
		return sc->len == 1 && sc_byte_ok(x, sc->val[0]);
	case SC_DO_CRT:
		if (eum_ber_find(sc->val, sc->len, 0x83, &kr) != EUM_TLV_OK || kr.len != 1)
			return 0;
		return ref_ok(x, kr.val[0]);
	case SC_DO_OR:
		return sc_list(x, sc->val, sc->len, 0, depth);
	case SC_DO_AND:
		return sc_list(x, sc->val, sc->len, 1, depth);
	case SC_DO_NOT:
		return !sc_list(x, sc->val, sc->len, 1, depth);
	default:
		return 0;
	}
}

/* Expanded format (TS 102 221 §9.2.4): AM_DO followed by SC_DOs (alternatives).
 * A matching AM_DO whose conditions hold grants access; none matching means NEVER. */
static int expanded_ok(const struct ac *x, const uint8_t *p, size_t len, uint8_t am, uint8_t ins)
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
		} else if (matching && sc_do_ok(x, &t, 0)) {
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
	struct ac x = {card, -1};

	if (eum_ota_rfm(card)) {
		x.dom = rfm_domain(card, file, am);
	}
	if (f->sec_len == 0)
		return ref_ok(&x, REF_ALW); /* no security attributes: TS 102 222 leaves the file unrestricted */
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
				return sc_byte_ok(&x, t.val[k]);
			k++;
		}
		return 0;
	}
	case 0xAB:
		return expanded_ok(&x, t.val, t.len, am, ins);
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
		return expanded_ok(&x, rec, fs->files[arr].rec_len, am, ins);
	}
	default:
		return 0;
	}
}
