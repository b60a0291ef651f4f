/*
 * SGP.02 ES5 commands on the ISD-R (SM-SR → eUICC, §5, §7.2-§7.6, §7.10): EnableProfile (DGI
 * 3A03), DisableProfile (3A04), SetFallbackAttribute (3A05), UpdateSMSRAddressingParameters
 * (3A07 on the ISD-R), and the ES5 side of GP DELETE (DeleteProfile POL1, MasterDelete token).
 * HandleNotificationConfirmation (3A08) is in notify.c. The rules (states, POL1, fall-back)
 * come from the one table of policy.c; a switch only starts after the response has left
 * (es5_switch.c). Every handler validates everything before it changes anything.
 */
#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "ota/scp81_params.h"
#include "sgp02/es5.h"
#include "sgp02/policy.h"
#include "util/tlv.h"
#include "store/store.h"

#define TAG_AID 0x4F
/* SGP.02 §7.10 [IMPL]: A3 = SM-SR addressing parameters, 81 = the SM-SR's SMS destination, 83 = the
 * default HTTPS administration session parameters (GP Amd B Table 3-3 tag 83; design of issue 15,
 * spec digest scp81-https.md §5.4, UNCONFIRMED) */
#define TAG_SMSR_ADDRESSING  0xA3
#define TAG_CONNECTIVITY     0xA0
#define TAG_SMSR_SMS_ADDRESS 0x81
#define TAG_ADMIN_SESSION    0x83
/* SGP.02 §7.5: MasterDelete data */
#define TAG_TOKEN_DATA   0xB6
#define TAG_DELETE_TOKEN 0x9E
#define TOKEN_LEN        16

/* The value of a DGI 3A03/3A04/3A05: one 4F with an ISD-P AID. Returns the slot, or -1 with *sw. */
static int target_slot(const struct eum_card *card, const uint8_t *val, size_t len, uint16_t *sw)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t, extra;
	int slot;

	eum_tlv_reader_init(&rd, val, len);
	if (eum_ber_next(&rd, &t) != EUM_TLV_OK || t.tag != TAG_AID || t.len < 5 || t.len > 16 ||
	    eum_ber_next(&rd, &extra) != EUM_TLV_END) {
		*sw = EUM_SW_INCORRECT_DATA;
		return -1;
	}
	slot = eum_isdp_find(card, t.val, t.len);
	if (slot < 0)
		*sw = EUM_SW_REFERENCED_DATA_NOT_FOUND; /* SGP.02 §6: unknown AID */
	return slot;
}

/* EnableProfile, SGP.02 §7.2 (DGI 3A03): validation (changes nothing) */
uint16_t eum_es5_enable_profile_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                      size_t len)
{
	uint16_t sw = 0;
	int slot = target_slot(card, val, len, &sw);

	(void)ch;
	(void)isdp;
	return slot < 0 ? sw : eum_es5_check(card, EUM_ES5_CMD_ENABLE, slot);
}

/* EnableProfile, SGP.02 §7.2 (DGI 3A03) */
uint16_t eum_es5_enable_profile(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                                struct eum_rsp *r)
{
	uint16_t sw = eum_es5_enable_profile_check(card, ch, isdp, val, len);

	(void)r;
	if (sw)
		return sw;
	/* steps 3-5: 9000 now, the switch and REFRESH once this response has left */
	eum_es5_request_switch(card, EUM_ES5_KIND_ENABLE, target_slot(card, val, len, &sw));
	return EUM_SW_OK;
}

/* DisableProfile, SGP.02 §7.3 (DGI 3A04): validation; *fb_out = the fall-back slot that takes over */
static uint16_t disable_prepare(struct eum_card *card, const uint8_t *val, size_t len, int *fb_out)
{
	uint16_t sw = 0;
	int slot = target_slot(card, val, len, &sw), fb;

	if (slot < 0)
		return sw;
	sw = eum_es5_check(card, EUM_ES5_CMD_DISABLE, slot);
	if (sw)
		return sw;
	/* step 2: the fall-back profile takes over; without one there is nothing to enable */
	fb = eum_es5_fallback_slot(card);
	if (fb < 0 || fb == slot || card->ps->isdp[fb]->lcs != EUM_ISDP_DISABLED)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	*fb_out = fb;
	return 0;
}

uint16_t eum_es5_disable_profile_check(struct eum_card *card, const struct eum_channel *ch, int isdp,
                                       const uint8_t *val, size_t len)
{
	int fb;

	(void)ch;
	(void)isdp;
	return disable_prepare(card, val, len, &fb);
}

/* DisableProfile, SGP.02 §7.3 (DGI 3A04) */
uint16_t eum_es5_disable_profile(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val,
                                 size_t len, struct eum_rsp *r)
{
	int fb = -1;
	uint16_t sw = disable_prepare(card, val, len, &fb);

	(void)ch;
	(void)isdp;
	(void)r;
	if (sw)
		return sw;
	eum_es5_request_switch(card, EUM_ES5_KIND_DISABLE, fb);
	return EUM_SW_OK;
}

/* SetFallbackAttribute, SGP.02 §7.6 (DGI 3A05): validation (changes nothing) */
uint16_t eum_es5_set_fallback_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                    size_t len)
{
	uint16_t sw = 0;
	int slot = target_slot(card, val, len, &sw);

	(void)ch;
	(void)isdp;
	return slot < 0 ? sw : eum_es5_check(card, EUM_ES5_CMD_SET_FALLBACK, slot);
}

/* SetFallbackAttribute, SGP.02 §7.6 (DGI 3A05) */
uint16_t eum_es5_set_fallback(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                              struct eum_rsp *r)
{
	uint16_t sw = eum_es5_set_fallback_check(card, ch, isdp, val, len);
	int slot, i;

	(void)r;
	if (sw)
		return sw;
	slot = target_slot(card, val, len, &sw);
	/* §3.2: exactly one profile carries it; setting it on B clears it on A */
	for (i = 0; i < EUM_MAX_ISDP; i++)
		if (card->ps->isdp[i]->fallback)
			card->ps->isdp[i]->fallback = 0; /* only slots that exist carry it (gp/domains.h) */
	card->ps->isdp[slot]->fallback = 1;
	eum_log(card, EUM_LOG_INFO, "ES5: fall-back attribute now on ISD-P slot %d", slot);
	return EUM_SW_OK;
}

/* A TS 23.040 §9.1.2.5 address: number of digits, type of address, semi-octets (F filler). */
static int parse_sms_address(const uint8_t *v, size_t len, struct eum_es5_pstate *out)
{
	size_t nd, i;

	if (len < 3)
		return 0;
	nd = v[0];
	if (nd == 0 || nd > 2 * EUM_ES5_ADDR_BCD_MAX || len != 2 + (nd + 1) / 2 || !(v[1] & 0x80))
		return 0;
	for (i = 0; i < nd; i++) {
		uint8_t d = (uint8_t)(i & 1 ? v[2 + i / 2] >> 4 : v[2 + i / 2] & 0x0F);
		if (d > 9)
			return 0;
	}
	if ((nd & 1) && (v[2 + nd / 2] >> 4) != 0x0F)
		return 0;
	out->smsr_ndigits = (uint8_t)nd;
	out->smsr_ton_npi = v[1];
	memset(out->smsr_bcd, 0, sizeof(out->smsr_bcd));
	memcpy(out->smsr_bcd, v + 2, len - 2);
	return 1;
}

/* The 83 TLV of A3: default admin session parameters, checked as a trigger's 83 would be. */
static uint16_t parse_admin_session(const struct eum_tlv *u, struct eum_es5_pstate *out)
{
	struct eum_scp81_params p;

	if (u->len > EUM_ES5_HTTPS_MAX)
		return EUM_SW_NOT_ENOUGH_MEMORY;
	if (eum_scp81_parse(u->val, u->len, 1, &p) != 0)
		return EUM_SW_INCORRECT_DATA;
	memset(out->https, 0, sizeof(out->https));
	memcpy(out->https, u->val, u->len);
	out->https_len = (uint8_t)u->len;
	return 0;
}

/* UpdateSMSRAddressingParameters, SGP.02 §7.10 (DGI 3A07 on the ISD-R): the new state in *next, or the SW.
 * A3 carries the SMS address (81) and/or the HTTPS defaults (83; 83 00 removes them). */
static uint16_t smsr_addressing_parse(struct eum_card *card, const uint8_t *val, size_t len,
                                      struct eum_es5_pstate *next, unsigned *what)
{
	struct eum_tlv_reader rd, in;
	struct eum_tlv t, u;
	int rc, irc;
	uint16_t sw;

	*next = card->ps->isdr.es5;
	*what = 0;
	eum_tlv_reader_init(&rd, val, len);
	while ((rc = eum_ber_next(&rd, &t)) == EUM_TLV_OK) {
		if (t.tag == TAG_CONNECTIVITY)
			continue; /* [IMPL] connectivity parameters for the ISD-R's own bearer: not used by this card */
		if (t.tag != TAG_SMSR_ADDRESSING)
			return EUM_SW_INCORRECT_DATA;
		eum_tlv_reader_init(&in, t.val, t.len);
		while ((irc = eum_ber_next(&in, &u)) == EUM_TLV_OK) {
			if (u.tag == TAG_SMSR_SMS_ADDRESS) {
				if ((*what & 1) || !parse_sms_address(u.val, u.len, next))
					return EUM_SW_INCORRECT_DATA;
				*what |= 1;
			} else if (u.tag == TAG_ADMIN_SESSION) {
				if (*what & 2)
					return EUM_SW_INCORRECT_DATA;
				if ((sw = parse_admin_session(&u, next)) != 0)
					return sw;
				*what |= 2;
			}
			/* other addressing parameters (CAT_TP, DNS) are not used: kept out */
		}
		if (irc != EUM_TLV_END)
			return EUM_SW_INCORRECT_DATA;
	}
	if (rc != EUM_TLV_END || !*what)
		return EUM_SW_INCORRECT_DATA;
	return 0;
}

uint16_t eum_es5_update_smsr_addressing_check(struct eum_card *card, const struct eum_channel *ch, int isdp,
                                              const uint8_t *val, size_t len)
{
	struct eum_es5_pstate next;
	unsigned what;

	(void)ch;
	(void)isdp;
	return smsr_addressing_parse(card, val, len, &next, &what);
}

/* UpdateSMSRAddressingParameters, SGP.02 §7.10 (DGI 3A07 on the ISD-R) */
uint16_t eum_es5_update_smsr_addressing(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val,
                                        size_t len, struct eum_rsp *r)
{
	struct eum_es5_pstate next;
	unsigned what;
	uint16_t sw = smsr_addressing_parse(card, val, len, &next, &what);

	(void)ch;
	(void)isdp;
	(void)r;
	if (sw)
		return sw;
	card->ps->isdr.es5 = next;
	if (what & 1)
		eum_log(card, EUM_LOG_INFO, "ES5: SM-SR SMS address updated (%u digits)", next.smsr_ndigits);
	if (what & 2)
		eum_log(card, EUM_LOG_INFO, "ES5: HTTPS administration session defaults %s (%u bytes)",
		        next.https_len ? "updated" : "removed", next.https_len);
	return EUM_SW_OK;
}

/* The ISD-R's default HTTPS admin session parameters for the SCP81 agent (digest scp81-https.md §1.4). */
int eum_isdr_https_defaults(const struct eum_card *card, struct eum_scp81_params *out)
{
	const struct eum_es5_pstate *e;

	if (!card || !out)
		return EUM_ERR_INVALID_ARG;
	e = &card->ps->isdr.es5;
	return eum_scp81_parse(e->https, e->https_len, 1, out);
}

/* SGP.02 §7.5: the delete token is AES-CMAC(token key, P1 P2 Lc' ‖ 4F… ‖ B6…), 16 bytes, where
 * Lc' counts the 4F and B6 TLVs (whty MasterDeleteApduHandler; UNCONFIRMED, single source).
 * Status words: those of GP DELETE (GPCS §11.2.3.2, Table 11-23: 6581, 6A88, 6A82, 6A80, 6985), which
 * MasterDelete is: a token that does not verify is "incorrect values in command data" 6A80, an ISD-P
 * without a token key cannot be master-deleted now, "conditions of use not satisfied" 6985. */
static uint16_t verify_token(const struct eum_card *card, const struct eum_apdu *a, int slot)
{
	const struct eum_isdp *p = card->ps->isdp[slot];
	struct eum_tlv_reader rd;
	struct eum_tlv aid, b6, tok, extra;
	uint8_t head[3], mac[16];
	eum_cmac_ctx ctx;
	size_t covered;
	int ok;

	if (!p->has_token_key) {
		/* no token key provisioned for this ISD-P: MasterDelete is not possible (6985) */
		eum_log(card, EUM_LOG_INFO, "MasterDelete: ISD-P slot %d has no token key", slot);
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	}
	eum_tlv_reader_init(&rd, a->data, a->lc);
	if (eum_ber_next(&rd, &aid) != EUM_TLV_OK || aid.tag != TAG_AID || eum_ber_next(&rd, &b6) != EUM_TLV_OK ||
	    b6.tag != TAG_TOKEN_DATA || eum_ber_next(&rd, &tok) != EUM_TLV_OK || tok.tag != TAG_DELETE_TOKEN ||
	    tok.len != TOKEN_LEN || eum_ber_next(&rd, &extra) != EUM_TLV_END)
		return EUM_SW_INCORRECT_DATA;
	covered = aid.raw_len + b6.raw_len;
	if (covered > 0xFF)
		return EUM_SW_INCORRECT_DATA;
	head[0] = a->p1;
	head[1] = a->p2;
	head[2] = (uint8_t)covered;
	ok = eum_aes_cmac_start(&ctx, p->token_key, sizeof(p->token_key)) == EUM_OK &&
	     eum_aes_cmac_update(&ctx, head, sizeof(head)) == EUM_OK &&
	     eum_aes_cmac_update(&ctx, a->data, covered) == EUM_OK && eum_aes_cmac_finish(&ctx, mac) == EUM_OK;
	ok = ok && eum_ct_memcmp(mac, tok.val, TOKEN_LEN) == 0;
	eum_wipe(mac, sizeof(mac));
	if (!ok) {
		eum_log(card, EUM_LOG_INFO, "MasterDelete: delete token refused");
		return EUM_SW_INCORRECT_DATA;
	}
	return 0;
}

/* DeleteProfile / MasterDelete policy, SGP.02 §7.4 step 1 / §7.5 */
uint16_t eum_es5_delete_check(struct eum_card *card, const struct eum_apdu *a, int slot, int has_token)
{
	uint16_t sw;

	sw = eum_es5_check(card, has_token ? EUM_ES5_CMD_MASTER_DELETE : EUM_ES5_CMD_DELETE, slot);
	if (!sw && has_token)
		sw = verify_token(card, a, slot);
	return sw; /* changes nothing: the DELETE handler forgets the slot once everything is checked */
}

/* ---- host API ---------------------------------------------------------------------------------- */

int eum_card_set_delete_token_key(eum_card *card, const uint8_t *isdp_aid, size_t aid_len, const uint8_t *key)
{
	struct eum_isdp *p;
	int slot;

	if (!card || !isdp_aid || aid_len < 5 || aid_len > 16)
		return EUM_ERR_INVALID_ARG;
	slot = eum_isdp_find(card, isdp_aid, aid_len);
	if (slot < 0)
		return EUM_ERR_NOT_FOUND;
	p = card->ps->isdp[slot];
	if (key) {
		memcpy(p->token_key, key, sizeof(p->token_key));
		p->has_token_key = 1;
	} else {
		eum_wipe(p->token_key, sizeof(p->token_key));
		p->has_token_key = 0;
	}
	eum_store_dirty_isdp(card, (unsigned)slot, EUM_PS_ISDP);
	return eum_store_commit(card);
}

int eum_card_set_imei(eum_card *card, const uint8_t *imei)
{
	if (!card)
		return EUM_ERR_INVALID_ARG;
	card->es5->has_imei = imei != NULL;
	if (imei)
		memcpy(card->es5->imei, imei, sizeof(card->es5->imei));
	else
		memset(card->es5->imei, 0, sizeof(card->es5->imei));
	return EUM_OK;
}
