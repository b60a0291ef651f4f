/*
 * Card state image: serialisation and validated loading (format in image.h).
 */
#include "store/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

static const uint8_t magic[8] = {'E', 'U', 'M', 'S', 'T', 'A', 'T', 'E'};

#define SEC_PLATFORM 0x01
#define SEC_ISDP     0x20
#define SEC_OTA      0x13
#define SEC_FS       0x10
#define SEC_PINS     0x11
#define SEC_AKA      0x12
#define MAX_FILES    4096
#define MAX_EF_SIZE  (1u << 20)

/* ---- writing ------------------------------------------------------------- */

struct w {
	uint8_t *p;
	size_t cap, len;
};

static void put(struct w *w, const void *d, size_t n)
{
	if (w->p && w->len + n <= w->cap && n)
		memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void u8(struct w *w, uint8_t v)
{
	put(w, &v, 1);
}

static void u16(struct w *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(w, b, 2);
}

static void u32(struct w *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	put(w, b, 4);
}

static void patch32(struct w *w, size_t at, uint32_t v)
{
	if (w->p && at + 4 <= w->cap) {
		w->p[at] = (uint8_t)(v >> 24);
		w->p[at + 1] = (uint8_t)(v >> 16);
		w->p[at + 2] = (uint8_t)(v >> 8);
		w->p[at + 3] = (uint8_t)v;
	}
}

static size_t open_section(struct w *w, uint8_t tag)
{
	u8(w, tag);
	u32(w, 0);
	return w->len;
}

static void close_section(struct w *w, size_t mark)
{
	patch32(w, mark - 4, (uint32_t)(w->len - mark));
}

static void put_pin(struct w *w, const struct eum_pin *p)
{
	u8(w, p->in_use);
	u8(w, p->ref);
	u8(w, p->max_tries);
	u8(w, p->tries_left);
	u8(w, (uint8_t)(p->enabled | p->can_disable << 1)); /* flags: b1 enabled, b2 DISABLE/ENABLE allowed */
	u8(w, p->unblock_ref);
	put(w, p->value, EUM_PIN_LEN);
}

static void put_scp80(struct w *w, const struct eum_scp80_keyset *k)
{
	u8(w, k->kvn);
	u8(w, k->kic.algo);
	put(w, k->kic.val, sizeof(k->kic.val));
	u8(w, k->kid.algo);
	put(w, k->kid.val, sizeof(k->kid.val));
}

static void u64(struct w *w, uint64_t v)
{
	u32(w, (uint32_t)(v >> 32));
	u32(w, (uint32_t)v);
}

/* SGP.02 ES5 state of the ISD-R (src/sgp02/es5_state.h), at the end of the platform section. */
static void put_es5(struct w *w, const struct eum_es5_pstate *e)
{
	size_t i;

	u8(w, e->smsr_ndigits);
	u8(w, e->smsr_ton_npi);
	put(w, e->smsr_bcd, sizeof(e->smsr_bcd));
	u16(w, e->seq);
	u8(w, e->declared);
	u8(w, e->sw_phase);
	u8(w, e->sw_kind);
	u8(w, e->sw_target);
	u8(w, e->sw_prev);
	u8(w, e->sw_failures);
	u64(w, e->sw_deadline);
	u8(w, e->loss_count);
	u64(w, e->loss_since);
	for (i = 0; i < EUM_ES5_NOTIF_MAX; i++) {
		const struct eum_es5_notif *n = &e->notif[i];
		u8(w, n->type);
		u8(w, n->state);
		u16(w, n->seq);
		u8(w, n->aid_len);
		put(w, n->aid, sizeof(n->aid));
		u8(w, n->sends);
		u8(w, n->rollback);
		u16(w, n->followup);
		u64(w, n->deadline);
	}
}

static void put_scp03(struct w *w, const struct eum_scp03_keyset *k)
{
	u8(w, k->kvn);
	u8(w, k->key_len);
	put(w, k->key_enc, sizeof(k->key_enc));
	put(w, k->key_mac, sizeof(k->key_mac));
	put(w, k->key_dek, sizeof(k->key_dek));
	u32(w, k->seq_counter);
}

static void write_profile(struct w *wp, const struct eum_profile *prof)
{
	struct w w = *wp;
	size_t i, k, mark;

	mark = open_section(&w, SEC_FS);
	u32(&w, (uint32_t)prof->fs.n);
	for (i = 0; i < prof->fs.n; i++) {
		const struct eum_file *f = &prof->fs.files[i];
		u32(&w, (uint32_t)f->parent);
		u16(&w, f->fid);
		u8(&w, f->type);
		u8(&w, f->sfi);
		u8(&w, f->lcs);
		u8(&w, f->shareable);
		u8(&w, f->aid_len);
		put(&w, f->aid, f->aid_len);
		u8(&w, f->sec_len);
		put(&w, f->sec, f->sec_len);
		u16(&w, f->rec_len);
		u16(&w, f->nrec);
		u16(&w, f->cyc_head);
		u32(&w, EUM_FT_IS_DF(f->type) ? 0 : f->size);
		if (!EUM_FT_IS_DF(f->type))
			put(&w, f->data, f->size);
	}
	close_section(&w, mark);

	mark = open_section(&w, SEC_PINS);
	for (i = 0; i < EUM_PIN_SLOTS; i++)
		put_pin(&w, &prof->pins.pins[i]);
	for (i = 0; i < EUM_PIN_SLOTS; i++)
		put_pin(&w, &prof->pins.puks[i]);
	close_section(&w, mark);

	mark = open_section(&w, SEC_AKA);
	u8(&w, prof->aka.algo);
	u8(&w, prof->aka.algo_options);
	u8(&w, prof->aka.res_len);
	u8(&w, prof->aka.sqn_options);
	put(&w, prof->aka.k, 16);
	put(&w, prof->aka.opc, 16);
	put(&w, prof->aka.mc.r, 5);
	put(&w, prof->aka.mc.c, 5 * 16);
	put(&w, prof->aka.sqn_delta, 6);
	put(&w, prof->aka.sqn_age_limit, 6);
	put(&w, prof->sqn.seq, sizeof(prof->sqn.seq));
	close_section(&w, mark);

	mark = open_section(&w, SEC_OTA);
	for (i = 0; i < EUM_PROFILE_RFM; i++) {
		const struct eum_rfm *f = &prof->rfm[i];
		u8(&w, f->in_use);
		put(&w, f->tar, 3);
		u8(&w, f->msl);
		u8(&w, f->adf_aid_len);
		put(&w, f->adf_aid, EUM_AID_MAX);
		for (k = 0; k < EUM_RFM_AD_NUM; k++) {
			u8(&w, f->ad_len[k]);
			put(&w, f->ad[k], EUM_RFM_AD_MAX);
		}
	}
	for (i = 0; i < EUM_PROFILE_OTA_KEYSETS; i++) {
		put_scp80(&w, &prof->ota_keys[i]);
		put(&w, prof->ota_cntr[i].v, EUM_SCP80_CNTR_LEN);
	}
	u8(&w, prof->mnosd_aid_len);
	put(&w, prof->mnosd_aid, EUM_AID_MAX);
	for (i = 0; i < EUM_MNOSD_KEYSETS; i++)
		put_scp03(&w, &prof->mnosd_scp03[i]);
	close_section(&w, mark);
	*wp = w;
}

int eum_image_write(const struct eum_pstate *ps, uint8_t *buf, size_t cap, size_t *len)
{
	struct w w = {buf, cap, 0};
	size_t i, k, mark;

	put(&w, magic, sizeof(magic));
	u16(&w, EUM_IMAGE_VERSION);
	u16(&w, 0);
	u32(&w, 0);

	mark = open_section(&w, SEC_PLATFORM);
	put(&w, ps->ecasd.eid, sizeof(ps->ecasd.eid));
	u8(&w, ps->ecasd.curve);
	put(&w, ps->ecasd.sk_ecka, sizeof(ps->ecasd.sk_ecka));
	put(&w, ps->ecasd.pk_ci, sizeof(ps->ecasd.pk_ci));
	u16(&w, ps->ecasd.cert_len);
	put(&w, ps->ecasd.cert, ps->ecasd.cert_len);
	put(&w, ps->isdr.tar, 3);
	u8(&w, ps->isdr.msl);
	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++) {
		put_scp80(&w, &ps->isdr.scp80[i]);
		put(&w, ps->isdr.scp80_cntr[i].v, EUM_SCP80_CNTR_LEN);
	}
	put_scp03(&w, &ps->isdr.scp03[0]);
	put_es5(&w, &ps->isdr.es5);
	close_section(&w, mark);

	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = &ps->isdp[i];
		if (!p->in_use)
			continue;
		mark = open_section(&w, SEC_ISDP);
		u8(&w, (uint8_t)i);
		u8(&w, p->aid_len);
		put(&w, p->aid, p->aid_len);
		u8(&w, p->lcs);
		u8(&w, p->fallback);
		u8(&w, p->pol1);
		u8(&w, p->has_profile);
		put(&w, p->privileges, sizeof(p->privileges));
		u32(&w, p->nvm_quota);
		for (k = 0; k < EUM_ISDP_KEYSETS; k++)
			put_scp03(&w, &p->scp03[k]);
		u8(&w, p->conn_len); /* Connectivity Parameters (SGP.02 §8.3) */
		put(&w, p->conn, p->conn_len);
		u8(&w, p->has_token_key); /* MasterDelete token key (SGP.02 §7.5) */
		put(&w, p->token_key, sizeof(p->token_key));
		close_section(&w, mark);
		if (p->has_profile)
			write_profile(&w, &p->prof);
	}

	patch32(&w, 12, (uint32_t)(w.len - 16));
	if (w.p && w.len + 4 <= w.cap)
		patch32(&w, w.len, eum_crc32c(w.p, w.len));
	w.len += 4;
	*len = w.len;
	return (!buf || w.len > cap) ? (buf ? EUM_ERR_BUFFER_TOO_SMALL : EUM_OK) : EUM_OK;
}

/* ---- reading ------------------------------------------------------------- */

struct r {
	const uint8_t *p;
	size_t left;
	int bad;
};

static void take(struct r *r, void *out, size_t n)
{
	if (r->bad || n > r->left) {
		r->bad = 1;
		if (out && n)
			memset(out, 0, n);
		return;
	}
	if (out && n)
		memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
}

static uint8_t g8(struct r *r)
{
	uint8_t v;
	take(r, &v, 1);
	return v;
}

static uint16_t g16(struct r *r)
{
	uint8_t b[2];
	take(r, b, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t g32(struct r *r)
{
	uint8_t b[4];
	take(r, b, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

#define REFUSE(...)                                                                                                    \
	do {                                                                                                           \
		if (why && whycap)                                                                                     \
			snprintf(why, whycap, __VA_ARGS__);                                                            \
		goto fail;                                                                                             \
	} while (0)

static int section(struct r *r, uint8_t tag, struct r *sec)
{
	uint32_t n;

	if (g8(r) != tag)
		return 0;
	n = g32(r);
	if (r->bad || n > r->left)
		return 0;
	sec->p = r->p;
	sec->left = n;
	sec->bad = 0;
	take(r, NULL, n);
	return 1;
}

static int get_pin(struct r *r, struct eum_pin *p)
{
	uint8_t flags;

	p->in_use = g8(r);
	p->ref = g8(r);
	p->max_tries = g8(r);
	p->tries_left = g8(r);
	flags = g8(r);
	p->enabled = flags & 1;
	p->can_disable = flags >> 1 & 1;
	p->unblock_ref = g8(r);
	take(r, p->value, EUM_PIN_LEN);
	if (r->bad || p->in_use > 1 || flags > 3)
		return 0;
	return !p->in_use || (p->max_tries >= 1 && p->max_tries <= 15 && p->tries_left <= p->max_tries);
}

static int get_scp80(struct r *r, struct eum_scp80_keyset *k)
{
	k->kvn = g8(r);
	k->kic.algo = g8(r);
	take(r, k->kic.val, sizeof(k->kic.val));
	k->kid.algo = g8(r);
	take(r, k->kid.val, sizeof(k->kid.val));
	return !r->bad && k->kvn <= 15 && k->kic.algo < EUM_SCP80_ALGO_NUM && k->kid.algo < EUM_SCP80_ALGO_NUM;
}

static uint64_t g64(struct r *r)
{
	uint64_t hi = g32(r);
	return hi << 32 | g32(r);
}

/* The ES5 state: ranges here, references to ISD-P slots once they are loaded (es5_refs_ok). */
static int get_es5(struct r *r, struct eum_es5_pstate *e)
{
	size_t i;
	int free_seen = 0;

	e->smsr_ndigits = g8(r);
	e->smsr_ton_npi = g8(r);
	take(r, e->smsr_bcd, sizeof(e->smsr_bcd));
	e->seq = g16(r);
	e->declared = g8(r);
	e->sw_phase = g8(r);
	e->sw_kind = g8(r);
	e->sw_target = g8(r);
	e->sw_prev = g8(r);
	e->sw_failures = g8(r);
	e->sw_deadline = g64(r);
	e->loss_count = g8(r);
	e->loss_since = g64(r);
	if (e->smsr_ndigits > 2 * EUM_ES5_ADDR_BCD_MAX || e->declared > 1 || e->sw_phase > EUM_ES5_SW_WAIT_ATTACH ||
	    (e->sw_phase && (e->sw_kind < EUM_ES5_KIND_ENABLE || e->sw_kind > EUM_ES5_KIND_FALLBACK)))
		return 0;
	for (i = 0; i < EUM_ES5_NOTIF_MAX; i++) {
		struct eum_es5_notif *n = &e->notif[i];
		n->type = g8(r);
		n->state = g8(r);
		n->seq = g16(r);
		n->aid_len = g8(r);
		take(r, n->aid, sizeof(n->aid));
		n->sends = g8(r);
		n->rollback = g8(r);
		n->followup = g16(r);
		n->deadline = g64(r);
		if (!n->type) {
			free_seen = 1;
			continue;
		}
		/* pending notifications are kept oldest first, without gaps */
		if (free_seen || n->type > EUM_ES5_NOTIF_CHANGE_FALLBACK || n->type == 0x04 ||
		    (n->state != EUM_ES5_NT_SEND && n->state != EUM_ES5_NT_WAIT_CONFIRM) ||
		    (n->aid_len && (n->aid_len < 5 || n->aid_len > 16)))
			return 0;
	}
	return !r->bad;
}

static int es5_slot_ok(const struct eum_pstate *ps, uint8_t slot, int none_ok)
{
	if (slot == EUM_ES5_NO_SLOT)
		return none_ok;
	return slot < EUM_MAX_ISDP && ps->isdp[slot].in_use;
}

static int es5_refs_ok(const struct eum_pstate *ps)
{
	const struct eum_es5_pstate *e = &ps->isdr.es5;
	size_t i, k;

	if (e->sw_phase && (!es5_slot_ok(ps, e->sw_target, 0) || !es5_slot_ok(ps, e->sw_prev, 1)))
		return 0;
	for (i = 0; i < EUM_ES5_NOTIF_MAX && e->notif[i].type; i++) {
		if (!es5_slot_ok(ps, e->notif[i].rollback, 1))
			return 0;
		for (k = 0; k < EUM_MAX_ISDP; k++)
			if ((e->notif[i].followup >> k & 1) && !ps->isdp[k].in_use)
				return 0;
	}
	return 1;
}

static int get_scp03(struct r *r, struct eum_scp03_keyset *k)
{
	k->kvn = g8(r);
	k->key_len = g8(r);
	take(r, k->key_enc, sizeof(k->key_enc));
	take(r, k->key_mac, sizeof(k->key_mac));
	take(r, k->key_dek, sizeof(k->key_dek));
	k->seq_counter = g32(r);
	return !r->bad && (k->key_len == 0 || k->key_len == 16 || k->key_len == 24 || k->key_len == 32) &&
	       k->seq_counter <= 0xFFFFFF;
}

static int read_profile(struct r *rp, struct eum_profile *prof, char *why, size_t whycap)
{
	struct r r = *rp, s;
	uint32_t n, i, k;
	int rc;

	eum_fs_init(&prof->fs);
	if (!section(&r, SEC_FS, &s))
		REFUSE("file system section missing or truncated");
	n = g32(&s);
	if (n == 0 || n > MAX_FILES)
		REFUSE("file count %u out of range", n);
	for (i = 0; i < n; i++) {
		struct eum_file f;
		int32_t parent;
		memset(&f, 0, sizeof(f));
		parent = (int32_t)g32(&s);
		f.fid = g16(&s);
		f.type = g8(&s);
		f.sfi = g8(&s);
		f.lcs = g8(&s);
		f.shareable = g8(&s);
		f.aid_len = g8(&s);
		if (f.aid_len > EUM_AID_MAX)
			REFUSE("file %u: AID length %u", i, f.aid_len);
		take(&s, f.aid, f.aid_len);
		f.sec_len = g8(&s);
		if (f.sec_len > EUM_SEC_ATTR_MAX)
			REFUSE("file %u: security attributes too long", i);
		take(&s, f.sec, f.sec_len);
		f.rec_len = g16(&s);
		f.nrec = g16(&s);
		f.cyc_head = g16(&s);
		f.size = g32(&s);
		if (s.bad)
			REFUSE("file %u truncated", i);
		if (f.type >= EUM_FT_NUM || (i == 0) != (f.type == EUM_FT_MF) || (i == 0) != (parent < 0))
			REFUSE("file %u: type %u or parent %d invalid", i, f.type, (int)parent);
		if (i > 0 && (parent >= (int32_t)i || !EUM_FT_IS_DF(prof->fs.files[parent].type)))
			REFUSE("file %u: parent %d is not an earlier DF", i, (int)parent);
		if (f.sfi > 30 || f.size > MAX_EF_SIZE || (EUM_FT_IS_DF(f.type) && f.size))
			REFUSE("file %u: SFI or size out of range", i);
		if (EUM_FT_IS_RECORD(f.type) &&
		    (!f.rec_len || !f.nrec || f.cyc_head >= f.nrec || (uint32_t)f.rec_len * f.nrec != f.size))
			REFUSE("file %u: record structure inconsistent", i);
		if (f.size > s.left)
			REFUSE("file %u: body truncated", i);
		rc = eum_fs_add(&prof->fs, i ? parent : -1, &f, s.p, f.size);
		if (rc < 0)
			REFUSE("file %u: %s", i, eum_strerror(rc));
		prof->fs.files[rc].cyc_head = f.cyc_head;
		take(&s, NULL, f.size);
	}
	if (s.left)
		REFUSE("file system section has %zu trailing bytes", s.left);

	if (!section(&r, SEC_PINS, &s))
		REFUSE("PIN section missing or truncated");
	for (i = 0; i < EUM_PIN_SLOTS; i++)
		if (!get_pin(&s, &prof->pins.pins[i]))
			REFUSE("PIN slot %u invalid", i);
	for (i = 0; i < EUM_PIN_SLOTS; i++)
		if (!get_pin(&s, &prof->pins.puks[i]))
			REFUSE("PUK slot %u invalid", i);
	if (s.left)
		REFUSE("PIN section has trailing bytes");

	if (!section(&r, SEC_AKA, &s))
		REFUSE("AKA section missing or truncated");
	prof->aka.algo = g8(&s);
	prof->aka.algo_options = g8(&s);
	prof->aka.res_len = g8(&s);
	prof->aka.sqn_options = g8(&s);
	take(&s, prof->aka.k, 16);
	take(&s, prof->aka.opc, 16);
	take(&s, prof->aka.mc.r, 5);
	take(&s, prof->aka.mc.c, 5 * 16);
	take(&s, prof->aka.sqn_delta, 6);
	take(&s, prof->aka.sqn_age_limit, 6);
	take(&s, prof->sqn.seq, sizeof(prof->sqn.seq));
	if (s.bad || s.left || prof->aka.algo >= EUM_AKA_ALGO_NUM)
		REFUSE("AKA section invalid");

	if (!section(&r, SEC_OTA, &s))
		REFUSE("OTA section missing or truncated");
	for (i = 0; i < EUM_PROFILE_RFM; i++) {
		struct eum_rfm *f = &prof->rfm[i];
		f->in_use = g8(&s);
		take(&s, f->tar, 3);
		f->msl = g8(&s);
		f->adf_aid_len = g8(&s);
		take(&s, f->adf_aid, EUM_AID_MAX);
		if (f->in_use > 1 || f->adf_aid_len > EUM_AID_MAX)
			REFUSE("RFM %u invalid", i);
		for (k = 0; k < EUM_RFM_AD_NUM; k++) {
			f->ad_len[k] = g8(&s);
			take(&s, f->ad[k], EUM_RFM_AD_MAX);
			if (f->ad_len[k] > EUM_RFM_AD_MAX)
				REFUSE("RFM %u access domain %u invalid", i, k);
		}
	}
	for (i = 0; i < EUM_PROFILE_OTA_KEYSETS; i++) {
		if (!get_scp80(&s, &prof->ota_keys[i]))
			REFUSE("OTA key set %u invalid", i);
		take(&s, prof->ota_cntr[i].v, EUM_SCP80_CNTR_LEN);
	}
	prof->mnosd_aid_len = g8(&s);
	take(&s, prof->mnosd_aid, EUM_AID_MAX);
	if (prof->mnosd_aid_len > EUM_AID_MAX || (prof->mnosd_aid_len && prof->mnosd_aid_len < 5))
		REFUSE("MNO-SD AID length %u invalid", prof->mnosd_aid_len);
	for (i = 0; i < EUM_MNOSD_KEYSETS; i++)
		if (!get_scp03(&s, &prof->mnosd_scp03[i]))
			REFUSE("MNO-SD SCP03 key set %u invalid", i);
	if (s.bad || s.left)
		REFUSE("OTA section invalid");
	*rp = r;
	return EUM_OK;
fail:
	return EUM_ERR_CORRUPT;
}

int eum_image_read(struct eum_pstate *ps, const uint8_t *img, size_t len, char *why, size_t whycap)
{
	struct r r, s;
	uint32_t n, payload, crc;
	unsigned enabled, fallback;

	memset(ps, 0, sizeof(*ps));
	if (len < 20 || memcmp(img, magic, sizeof(magic)) != 0)
		REFUSE("not an eum state image (magic)");
	r = (struct r){img + 8, len - 8, 0};
	n = g16(&r);
	if (n != EUM_IMAGE_VERSION)
		REFUSE("image format version %u; this build reads version %u", n, EUM_IMAGE_VERSION);
	if (g16(&r) != 0)
		REFUSE("reserved header field is not zero");
	payload = g32(&r);
	if ((size_t)payload + 20 != len)
		REFUSE("image length %zu does not match the header (%u payload bytes)", len, payload);
	crc = (uint32_t)img[len - 4] << 24 | (uint32_t)img[len - 3] << 16 | (uint32_t)img[len - 2] << 8 | img[len - 1];
	if (crc != eum_crc32c(img, len - 4))
		REFUSE("integrity check (CRC-32C) failed");
	r.left = payload;
	if (!section(&r, SEC_PLATFORM, &s))
		REFUSE("platform section missing or truncated");
	take(&s, ps->ecasd.eid, sizeof(ps->ecasd.eid));
	ps->ecasd.curve = g8(&s);
	take(&s, ps->ecasd.sk_ecka, sizeof(ps->ecasd.sk_ecka));
	take(&s, ps->ecasd.pk_ci, sizeof(ps->ecasd.pk_ci));
	ps->ecasd.cert_len = g16(&s);
	if (ps->ecasd.cert_len > EUM_ECASD_CERT_MAX)
		REFUSE("ECASD certificate too long");
	take(&s, ps->ecasd.cert, ps->ecasd.cert_len);
	take(&s, ps->isdr.tar, 3);
	ps->isdr.msl = g8(&s);
	for (n = 0; n < EUM_ISDR_SCP80_KEYSETS; n++) {
		if (!get_scp80(&s, &ps->isdr.scp80[n]))
			REFUSE("ISD-R SCP80 key set %u invalid", n);
		take(&s, ps->isdr.scp80_cntr[n].v, EUM_SCP80_CNTR_LEN);
	}
	if (!get_scp03(&s, &ps->isdr.scp03[0]) || s.bad)
		REFUSE("platform section invalid");
	if (!get_es5(&s, &ps->isdr.es5) || s.left)
		REFUSE("ISD-R ES5 state invalid");
	if (r.left == 0)
		REFUSE("image holds no ISD-P");
	enabled = fallback = 0;
	while (r.left) {
		struct eum_isdp *p;
		unsigned idx;
		if (!section(&r, SEC_ISDP, &s))
			REFUSE("unknown or truncated section 0x%02X (image from another build?)", r.left ? r.p[0] : 0);
		idx = g8(&s);
		if (s.bad || idx >= EUM_MAX_ISDP || ps->isdp[idx].in_use)
			REFUSE("ISD-P slot %u invalid or repeated", idx);
		p = &ps->isdp[idx];
		p->aid_len = g8(&s);
		if (p->aid_len < 5 || p->aid_len > EUM_AID_MAX)
			REFUSE("ISD-P %u: AID length %u", idx, p->aid_len);
		take(&s, p->aid, p->aid_len);
		p->lcs = g8(&s);
		p->fallback = g8(&s);
		p->pol1 = g8(&s);
		p->has_profile = g8(&s);
		take(&s, p->privileges, sizeof(p->privileges));
		p->nvm_quota = g32(&s);
		for (n = 0; n < EUM_ISDP_KEYSETS; n++)
			if (!get_scp03(&s, &p->scp03[n]))
				REFUSE("ISD-P %u: SCP03 key set %u invalid", idx, n);
		p->conn_len = g8(&s);
		if (p->conn_len > EUM_ISDP_CONN_MAX)
			REFUSE("ISD-P %u: connectivity parameters too long", idx);
		take(&s, p->conn, p->conn_len);
		p->has_token_key = g8(&s);
		take(&s, p->token_key, sizeof(p->token_key));
		if (s.bad || s.left || p->fallback > 1 || p->has_profile > 1 || p->has_token_key > 1)
			REFUSE("ISD-P %u: record invalid", idx);
		if (p->lcs != EUM_ISDP_SELECTABLE && p->lcs != EUM_ISDP_PERSONALIZED && p->lcs != EUM_ISDP_DISABLED &&
		    p->lcs != EUM_ISDP_ENABLED)
			REFUSE("ISD-P %u: life-cycle state %02X", idx, p->lcs);
		if (p->lcs == EUM_ISDP_ENABLED && !p->has_profile)
			REFUSE("ISD-P %u: enabled without a profile", idx);
		enabled += p->lcs == EUM_ISDP_ENABLED;
		fallback += p->fallback;
		p->in_use = 1;
		if (p->has_profile && read_profile(&r, &p->prof, why, whycap) != EUM_OK)
			goto fail_quiet;
	}
	if (enabled > 1 || fallback > 1)
		REFUSE("%u profiles enabled, %u with the fall-back attribute", enabled, fallback);
	if (!es5_refs_ok(ps))
		REFUSE("ISD-R ES5 state names an ISD-P that does not exist");
	return EUM_OK;
fail:
fail_quiet:
	eum_pstate_free(ps);
	return EUM_ERR_CORRUPT;
}
