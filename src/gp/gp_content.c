/*
 * GlobalPlatform card content management by the ISD-R (GP Card
 * Specification v2.3 §11.5 INSTALL, §11.2 DELETE, §11.10 SET STATUS) as
 * SGP.02 uses it: CreateISDP (§7.1), DeleteProfile (§7.4), and the
 * personalisation routing of ES8 commands (digest §4). Every life-cycle
 * change goes through the transition table of lifecycle.c.
 */
#include <string.h>

#include "core/sw.h"
#include "gp/gp.h"
#include "sgp02/es5.h"
#include "sgp02/es5_handover.h"
#include "util/tlv.h"
#include "store/store.h"

/* SGP.02 Annex H: the ISD-P instance AIDs and their TAR range. */
#define ISDP_TAR_MIN 0x000010u
#define ISDP_TAR_MAX 0x00FFFFu
/* CreateISDP install parameters C9 { 81 02 <SCP> <i> } (SGP.02 §7.1): SCP03, i = 70. */
#define ISDP_SCP_ID 0x03
#define ISDP_SCP_I  0x70

/* The 1-byte-length fields of an INSTALL data field (GPCS Tables 11-41, 11-47). */
struct lv_reader {
	const uint8_t *d;
	size_t n, off;
};

static int lv_next(struct lv_reader *lv, const uint8_t **v, size_t *len)
{
	size_t l;

	if (lv->off >= lv->n)
		return 0;
	l = lv->d[lv->off];
	if (l > lv->n - lv->off - 1)
		return 0;
	*v = lv->d + lv->off + 1;
	*len = l;
	lv->off += 1 + l;
	return 1;
}

static int is_isdp_instance_aid(const uint8_t *aid, size_t len)
{
	uint32_t tar;

	if (len != 16 || memcmp(aid, eum_aid_isdr, 12) != 0 || aid[15] != 0x00)
		return 0;
	tar = (uint32_t)aid[12] << 16 | (uint32_t)aid[13] << 8 | aid[14];
	return tar >= ISDP_TAR_MIN && tar <= ISDP_TAR_MAX;
}

/* An unsigned quota value of 1-4 bytes. */
static int quota_value(const struct eum_tlv *t, uint32_t *v)
{
	size_t i;

	if (t->len < 1 || t->len > 4)
		return 0;
	*v = 0;
	for (i = 0; i < t->len; i++)
		*v = *v << 8 | t->val[i];
	return 1;
}

/* Install parameters (GPCS Table 11-49): C9 application specific parameters
 * with the SCP to use (SGP.02 §7.1), optional EF system specific parameters
 * with memory quotas. Returns 0 or the SW; *nvm = largest NVM reservation. */
static uint16_t parse_install_params(const uint8_t *p, size_t n, uint32_t *nvm)
{
	struct eum_tlv_reader rd, in;
	struct eum_tlv t, u;
	int rc, irc, seen_c9 = 0;
	uint32_t v;

	*nvm = 0;
	eum_tlv_reader_init(&rd, p, n);
	while ((rc = eum_ber_next(&rd, &t)) == EUM_TLV_OK) {
		if (t.tag == 0xC9 && !seen_c9) {
			seen_c9 = 1;
			eum_tlv_reader_init(&in, t.val, t.len);
			while ((irc = eum_ber_next(&in, &u)) == EUM_TLV_OK) {
				/* UICC SD parameter 81: SCP identifier and i (GP UICC Configuration) */
				if (u.tag == 0x81 && (u.len != 2 || u.val[0] != ISDP_SCP_ID || u.val[1] != ISDP_SCP_I))
					return EUM_SW_INCORRECT_DATA;
			}
			if (irc != EUM_TLV_END)
				return EUM_SW_INCORRECT_DATA;
		} else if (t.tag == 0xEF) {
			/* [IMPL] 83 (njiwa, SGP.02 §4.1.1), C8 / D8 (GP) reserve NVM; C6/C7/D7 checked, unused */
			eum_tlv_reader_init(&in, t.val, t.len);
			while ((irc = eum_ber_next(&in, &u)) == EUM_TLV_OK) {
				if (u.tag != 0x83 && u.tag != 0xC6 && u.tag != 0xC7 && u.tag != 0xC8 && u.tag != 0xD7 &&
				    u.tag != 0xD8)
					continue; /* unknown system parameters are ignored (SGP.02 digest §7.1) */
				if (!quota_value(&u, &v))
					return EUM_SW_INCORRECT_DATA;
				if ((u.tag == 0x83 || u.tag == 0xC8 || u.tag == 0xD8) && v > *nvm)
					*nvm = v;
			}
			if (irc != EUM_TLV_END)
				return EUM_SW_INCORRECT_DATA;
		} else {
			return EUM_SW_INCORRECT_DATA;
		}
	}
	/* GPCS §11.5.2.3.7: C9 is mandatory (may be empty) */
	if (rc != EUM_TLV_END || !seen_c9)
		return EUM_SW_INCORRECT_DATA;
	return 0;
}

/* INSTALL [for install and make selectable], GPCS §11.5.2.3.1 / SGP.02 §7.1 CreateISDP */
static uint16_t install_isdp(struct eum_card *card, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct lv_reader lv = {a->data, a->lc, 0};
	const uint8_t *elf, *mod, *aid, *priv, *params, *token;
	size_t elf_len, mod_len, aid_len, priv_len, params_len, token_len;
	uint32_t quota;
	uint16_t sw;
	int slot, i;

	if (!lv_next(&lv, &elf, &elf_len) || !lv_next(&lv, &mod, &mod_len) || !lv_next(&lv, &aid, &aid_len) ||
	    !lv_next(&lv, &priv, &priv_len) || !lv_next(&lv, &params, &params_len) ||
	    !lv_next(&lv, &token, &token_len) || lv.off != lv.n)
		return EUM_SW_INCORRECT_DATA;
	/* 1. only the ISD-P load file and module can be instantiated (SGP.02 §7.1: 6A88) */
	if (elf_len != 16 || memcmp(elf, eum_aid_isdp_elf, 16) != 0 || mod_len != 16 ||
	    memcmp(mod, eum_aid_isdp_module, 16) != 0)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	/* an instance AID of Annex H, not in use (6A80, UNCONFIRMED exact SW) */
	if (!is_isdp_instance_aid(aid, aid_len) || eum_isdp_find(card, aid, aid_len) >= 0)
		return EUM_SW_INCORRECT_DATA;
	/* privileges: 1 to 3 bytes (GPCS §11.1.2), an ISD-P is a Security Domain */
	if (priv_len < 1 || priv_len > 3 || !(priv[0] & 0x80))
		return EUM_SW_INCORRECT_DATA;
	sw = parse_install_params(params, params_len, &quota);
	if (sw)
		return sw;
	/* the ISD-R has Authorized Management: no install token (GPCS §C.4.2) */
	if (token_len != 0)
		return EUM_SW_INCORRECT_DATA;
	for (slot = 0; slot < EUM_MAX_ISDP && card->ps->isdp[slot]->in_use; slot++)
		;
	if (slot == EUM_MAX_ISDP)
		return EUM_SW_NOT_ENOUGH_MEMORY;

	/* 2. SELECTABLE, no keys, attributes clear */
	if (eum_isdp_transition(card, slot, EUM_ISDP_EV_CREATE) != EUM_OK)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	memcpy(card->ps->isdp[slot]->aid, aid, 16);
	card->ps->isdp[slot]->aid_len = 16;
	for (i = 0; i < (int)priv_len; i++)
		card->ps->isdp[slot]->privileges[i] = priv[i];
	card->ps->isdp[slot]->nvm_quota = quota;
	if (eum_gp_free_nvm(card) == 0) {
		/* the record plus its reservation does not fit (at least one byte must stay
		 * free): undo, a fresh slot deletes without a trace */
		eum_isdp_transition(card, slot, EUM_ISDP_EV_DELETE);
		return EUM_SW_NOT_ENOUGH_MEMORY;
	}
	eum_log(card, EUM_LOG_INFO, "ISD-P created in slot %d (TAR %02X%02X%02X)", slot, aid[12], aid[13], aid[14]);
	/* 3. [IMPL] GPCS: a one-byte 00 response when Le is present (SGP.02 §7.1 step 3) */
	if (a->le)
		r->data[r->len++] = 0x00;
	return EUM_SW_OK;
}

/* INSTALL [for personalization], GPCS §11.5.2.3.6 (SGP.02 digest §4: ES8 routing through the ISD-R) */
static uint16_t install_perso(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                              struct eum_rsp *r)
{
	struct lv_reader lv = {a->data, a->lc, 0};
	const uint8_t *v[6];
	size_t l[6], i;
	int slot;

	for (i = 0; i < 6; i++)
		if (!lv_next(&lv, &v[i], &l[i]))
			return EUM_SW_INCORRECT_DATA;
	/* 00 00 <len> <AID> 00 00 00: no load file, module, privileges, parameters or token */
	if (lv.off != lv.n || l[0] || l[1] || l[3] || l[4] || l[5])
		return EUM_SW_INCORRECT_DATA;
	slot = eum_isdp_find(card, v[2], l[2]);
	if (slot < 0)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	/* a new personalisation ends any STORE DATA sequence of this channel */
	ch->gp->sd_active = 0;
	ch->gp->perso_active = 1;
	ch->gp->perso_isdp = (uint8_t)slot;
	if (a->le)
		r->data[r->len++] = 0x00;
	return EUM_SW_OK;
}

/* INSTALL, GPCS §11.5 */
uint16_t eum_gp_install(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	/* administration: the ISD-R, its ES5 state and ISD-P headers may change (gp/lifecycle.c marks the
	 * slots it creates or deletes whole) */
	eum_store_dirty_admin(card);
	if (a->p2 != 0x00)
		return EUM_SW_INCORRECT_P1P2;
	switch (a->p1) {
	case 0x0C: /* for install and make selectable */
		return install_isdp(card, a, r);
	case 0x20: /* for personalization */
		return install_perso(card, ch, a, r);
	default: /* load, install only, make selectable, extradition, registry update: not offered (SGP.02 §3.1) */
		return EUM_SW_INCORRECT_P1P2;
	}
}

/*
 * ES5 hook for DELETE (SGP.02 §7.4 step 1, §7.5): POL1 "deletion not
 * allowed" (69E1) and the MasterDelete token (B6 + 9E, verified with the
 * ISD-P's token key, 6982) are decided by the ES5 rules table
 * (src/sgp02/policy.c, src/sgp02/es5_isdr.c).
 */
static uint16_t es5_delete_policy_hook(struct eum_card *card, const struct eum_apdu *a, int slot, int has_token)
{
	return eum_es5_delete_check(card, a, slot, has_token);
}

/* DELETE [card content], GPCS §11.2 / SGP.02 §7.4 DeleteProfile */
uint16_t eum_gp_delete(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t, aid = {0};
	int rc, slot, has_aid = 0, has_token = 0;
	uint16_t sw;

	/* administration: the ISD-R, its ES5 state and ISD-P headers may change (gp/lifecycle.c marks the
	 * slots it creates or deletes whole) */
	eum_store_dirty_admin(card);
	/* P1 b8 = 0: last (only) DELETE; P2 00 / 40 / 80 treated alike (SGP.02 §7.4 [IMPL]) */
	if (a->p1 != 0x00 || (a->p2 != 0x00 && a->p2 != 0x40 && a->p2 != 0x80))
		return EUM_SW_INCORRECT_P1P2;
	/* SGP.02 §7.11 FinaliseISDRhandover: F2 names an ISD-R key set to delete (src/sgp02/es5_handover.c) */
	if (ch->app == EUM_APP_ISDR && a->lc > 0 && a->data[0] == 0xF2)
		return eum_es5_finalise_handover(card, ch, a, r);
	eum_tlv_reader_init(&rd, a->data, a->lc);
	while ((rc = eum_ber_next(&rd, &t)) == EUM_TLV_OK) {
		if (t.tag == 0x4F && !has_aid) {
			aid = t;
			has_aid = 1;
		} else if ((t.tag == 0xB6 || t.tag == 0x9E) && has_aid) {
			has_token = 1; /* MasterDelete (SGP.02 §7.5) */
		} else {
			return EUM_SW_INCORRECT_DATA; /* key deletion (D0/D2) is not offered */
		}
	}
	if (rc != EUM_TLV_END || !has_aid || aid.len < 5 || aid.len > 16)
		return EUM_SW_INCORRECT_DATA;
	/* GPCS §11.2.2.1: the ISD cannot be deleted; nor can the ECASD or the ISD-P load file */
	if (aid.len == 16 &&
	    (memcmp(aid.val, eum_aid_isdr, 16) == 0 || memcmp(aid.val, eum_aid_ecasd, 16) == 0 ||
	     memcmp(aid.val, eum_aid_isdp_elf, 16) == 0 || memcmp(aid.val, eum_aid_isdp_module, 16) == 0))
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	slot = eum_isdp_find(card, aid.val, aid.len);
	if (slot < 0)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	/* ENABLED or fall-back: 6985 (the transition table's DELETE rows) */
	if (eum_isdp_transition_allowed(card, slot, EUM_ISDP_EV_DELETE) != EUM_OK)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	sw = es5_delete_policy_hook(card, a, slot, has_token);
	if (sw)
		return sw;
	/* everything checked: now the changes (the transition was allowed above, it cannot fail) */
	eum_es5_forget_slot(card, slot);
	if (ch->gp->perso_active && ch->gp->perso_isdp == slot)
		ch->gp->perso_active = 0;
	if (eum_isdp_transition(card, slot, EUM_ISDP_EV_DELETE) != EUM_OK)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	/* [IMPL] one-byte 00 confirmation when Le is present (SGP.02 §7.4 step 4) */
	if (a->le)
		r->data[r->len++] = 0x00;
	return EUM_SW_OK;
}

/* SET STATUS, GPCS §11.10 (security domain life cycle, §5.3.2) */
uint16_t eum_gp_set_status(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	enum eum_isdp_event ev;
	int slot;

	/* administration: the ISD-R, its ES5 state and ISD-P headers may change (gp/lifecycle.c marks the
	 * slots it creates or deletes whole) */
	eum_store_dirty_admin(card);
	(void)ch;
	(void)r;
	if (a->p1 == 0x80 || a->p1 == 0xC0) {
		/* the card life cycle (lock / terminate the eUICC): not offered to the SM-SR [IMPL] */
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	}
	if (a->p1 != 0x40)
		return EUM_SW_INCORRECT_P1P2;
	if (!a->data || a->lc < 5 || a->lc > 16)
		return EUM_SW_INCORRECT_DATA;
	if (a->lc == 16 && (memcmp(a->data, eum_aid_isdr, 16) == 0 || memcmp(a->data, eum_aid_ecasd, 16) == 0))
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	slot = eum_isdp_find(card, a->data, a->lc);
	if (slot < 0)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	/* P2 = the requested SD state (GPCS Table 11-6); ENABLED/DISABLED are ES5's, not SET STATUS's */
	if (a->p2 == EUM_ISDP_PERSONALIZED)
		ev = EUM_ISDP_EV_SET_PERSONALIZED;
	else if ((a->p2 & 0x80) && (a->p2 & 0x7F) == (card->ps->isdp[slot]->lcs & 0x7F))
		ev = EUM_ISDP_EV_SET_LOCKED; /* GPCS §5.3.2: LOCKED sets b8 of the current state */
	else if (a->p2 == EUM_ISDP_SELECTABLE || a->p2 == EUM_ISDP_DISABLED || a->p2 == EUM_ISDP_ENABLED)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	else
		return EUM_SW_INCORRECT_P1P2;
	if (eum_isdp_transition(card, slot, ev) != EUM_OK)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	return EUM_SW_OK;
}
