/*
 * SGP.02 ES8 on the ISD-P: EstablishISDPKeySet scenario #3 (ECKA-EG; GP Amendment E, BSI TR-03111) as
 * STORE DATA DGIs 3A01 / 3A02 (+ 7F49, 5F37), and UpdateConnectivityParameters (DGI 3A07).
 * Digest sgp02-euicc.md §8.1, §8.3. The same 3A01/3A02 flow serves the ISD-R for ES5 EstablishISDRKeySet
 * of the SM-SR change (digest §7.11): SM-SR certificate instead of SM-DP, an SCP80 key set of the ISD-R
 * (src/sgp02/es5_handover.c) instead of an SCP03 key set of the ISD-P. The computations are
 * src/sgp02/cert.c and ecka.c; this file keeps the RC between the two commands (volatile, card->es8->ke),
 * stores the derived key set and moves an ISD-P to PERSONALIZED through the life-cycle table.
 */
#include "sgp02/es8.h"

#include <stdint.h>
#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "sgp02/cert.h"
#include "sgp02/ecka.h"
#include "sgp02/es5_handover.h"
#include "sgp02/scp03t.h"
#include "util/tlv.h"

#define DGI_3A02 0x3A02
#define DGI_EPK  0x7F49
#define DGI_SIG  0x5F37

static void ke_clear(struct eum_card *card)
{
	eum_wipe(&card->es8->ke, sizeof(card->es8->ke));
}

void eum_es8_session_reset(struct eum_card *card)
{
	ke_clear(card);
	eum_wipe(&card->es8->carry, sizeof(card->es8->carry));
	eum_scp03t_end(card);
}

/* Key establishment is for an ISD-P without a profile, before or after its first key set (SGP.02 §8.1). */
static int takes_keys(const struct eum_isdp *p)
{
	return (p->lcs == EUM_ISDP_SELECTABLE || p->lcs == EUM_ISDP_PERSONALIZED) && !p->has_profile;
}

/*
 * The security domain a 3A01/3A02 is for. The scenario #3 flow is one for both: an ISD-P (ES8
 * EstablishISDPKeySet, SM-DP certificate, SCP03 key set) and the ISD-R (ES5 EstablishISDRKeySet of the
 * SM-SR change, SM-SR certificate, SCP80 key set; digest §7.11 "same ECKA scenario as §8.1"). The STORE
 * DATA table hands the ISD-R's DGIs over with isdp = -1.
 */
struct keyest_sd {
	int isdr;           /* the ISD-R (else the ISD-P in slot isdp) */
	int isdp;           /* ISD-P slot */
	const uint8_t *aid; /* the SD instance an RC is bound to */
	int cert_type;      /* 73/C8 the counterpart's certificate must carry */
	const char *name;   /* for logs */
};

/* Resolve the target; 0 or the SW. */
static uint16_t keyest_sd(const struct eum_card *card, int isdp, struct keyest_sd *sd)
{
	memset(sd, 0, sizeof(*sd));
	if (isdp < 0) {
		sd->isdr = 1;
		sd->aid = eum_aid_isdr;
		sd->cert_type = EUM_CERT_TYPE_SMSR; /* digest §7.11: CERT.SR.ECDSA, C8 01 02 */
		sd->name = "ES5 EstablishISDRKeySet";
		return 0;
	}
	if (isdp >= EUM_MAX_ISDP)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	sd->isdp = isdp;
	sd->aid = card->ps->isdp[isdp]->aid;
	sd->cert_type = EUM_CERT_TYPE_SMDP; /* digest §8.1 step 1.2: C8 01 01 */
	sd->name = "ES8 EstablishISDPKeySet";
	return 0;
}

/* DGI 3A01 validation: the target takes keys and the certificate verifies. Changes nothing. */
static uint16_t cert_check(struct eum_card *card, int isdp, const uint8_t *val, size_t len, struct keyest_sd *sd,
                           struct eum_cert *c)
{
	const struct eum_ecasd *e = &card->ps->ecasd;
	uint16_t sw;
	int rc;

	sw = keyest_sd(card, isdp, sd);
	if (sw)
		return sw;
	if (!sd->isdr && !takes_keys(card->ps->isdp[isdp]))
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	rc = eum_cert_parse(val, len, c);
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "%s 3A01: certificate refused (%s)", sd->name, eum_strerror(rc));
		return EUM_SW_INCORRECT_DATA;
	}
	if (c->curve != e->curve) {
		eum_log(card, EUM_LOG_INFO, "%s 3A01: certificate curve %02X, ECASD curve %02X", sd->name, c->curve,
		        e->curve);
		return EUM_SW_INCORRECT_DATA;
	}
	/* 73/C9 names the key that signed the certificate: it must be the configured CI's
	 * (eum_config.ci_key_id); absent, the signature check alone decides */
	if (c->auth_key_id.p && (c->auth_key_id.len != card->es8->ci_kid_len ||
	                         memcmp(c->auth_key_id.p, card->es8->ci_kid, c->auth_key_id.len))) {
		eum_log(card, EUM_LOG_INFO, "%s 3A01: certificate refused: issued under another CI key (C9)", sd->name);
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	}
	rc = eum_cert_verify(c, e->curve, e->pk_ci, EUM_CERT_USAGE_VERIFY, sd->cert_type, eum_card_now(card));
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "%s 3A01: certificate refused: %s", sd->name,
		        rc == EUM_ERR_CRYPTO  ? "CI signature invalid"
		        : rc == EUM_ERR_STATE ? "outside its validity period"
		                              : "not a signature certificate of the expected type");
		return rc == EUM_ERR_CRYPTO  ? EUM_SW_SECURITY_STATUS_NOT_SATISFIED
		       : rc == EUM_ERR_STATE ? EUM_SW_CONDITIONS_NOT_SATISFIED
		                             : EUM_SW_INCORRECT_DATA;
	}
	return 0;
}

uint16_t eum_es8_dgi_3a01_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                size_t len)
{
	struct keyest_sd sd;
	struct eum_cert c;

	(void)ch;
	return cert_check(card, isdp, val, len, &sd, &c);
}

/* DGI 3A01, SGP.02 §4.1.3.1 EstablishISDPKeySet step 1 (digest §8.1 step 1) / §7.11 step 1 on the ISD-R */
uint16_t eum_es8_dgi_3a01(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r)
{
	struct eum_es8_keyest *ke = &card->es8->ke;
	struct keyest_sd sd;
	struct eum_cert c;
	uint16_t sw;

	(void)ch;
	/* a new certificate cancels any outstanding RC */
	ke_clear(card);
	sw = cert_check(card, isdp, val, len, &sd, &c);
	if (sw)
		return sw;
	if (r->cap < 2 + EUM_ES8_RC_LEN || eum_card_random(card, ke->rc, EUM_ES8_RC_LEN) != EUM_OK) {
		ke_clear(card);
		return EUM_SW_TECHNICAL_PROBLEM;
	}
	ke->active = 1;
	ke->isdr = (uint8_t)sd.isdr;
	ke->isdp = (uint8_t)sd.isdp;
	memcpy(ke->aid, sd.aid, sizeof(ke->aid));
	ke->curve = c.curve;
	memcpy(ke->pk_dp, c.pub, sizeof(ke->pk_dp));
	/* 85 10 RC (digest §8.1 step 1.4) */
	r->data[0] = 0x85;
	r->data[1] = EUM_ES8_RC_LEN;
	memcpy(r->data + 2, ke->rc, EUM_ES8_RC_LEN);
	r->len = 2 + EUM_ES8_RC_LEN;
	if (sd.isdr)
		eum_log(card, EUM_LOG_INFO, "%s 3A01: SM-SR certificate accepted", sd.name);
	else
		eum_log(card, EUM_LOG_INFO, "%s 3A01: SM-DP certificate accepted for ISD-P %d", sd.name, isdp);
	return EUM_SW_OK;
}

/* One DGI of the assembled STORE DATA data at *off (GPCS §11.11.2.3 lengths). 1, 0 at the end, -1 bad. */
static int dgi_at(const uint8_t *buf, size_t n, size_t *off, uint16_t *tag, const uint8_t **raw, size_t *raw_len,
                  const uint8_t **v, size_t *vl)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t;
	int rc;

	if (*off >= n)
		return 0;
	eum_tlv_reader_init(&rd, buf + *off, n - *off);
	rc = eum_dgi_next(&rd, &t);
	if (rc != EUM_TLV_OK)
		return -1;
	*tag = (uint16_t)t.tag;
	*raw = t.raw;
	*raw_len = t.raw_len;
	*v = t.val;
	*vl = t.len;
	*off += t.raw_len;
	return 1;
}

/* Where the handled DGI sits in the card's STORE DATA buffer (the handlers get pointers into it): the
 * offset of its header, so that the DGI can be signed-checked exactly as received. -1 if not there. */
static long dgi_header_offset(const struct eum_card *card, uint16_t tag, const uint8_t *val, size_t len)
{
	const uint8_t *b = card->gp->sd_buf;
	uintptr_t vb = (uintptr_t)val, bb = (uintptr_t)b;
	size_t o;

	if (vb < bb || vb - bb > card->gp->sd_len || len > card->gp->sd_len - (vb - bb))
		return -1;
	o = vb - bb;
	if (len < 0xFF && o >= 3 && b[o - 3] == (uint8_t)(tag >> 8) && b[o - 2] == (uint8_t)tag && b[o - 1] == len)
		return (long)(o - 3);
	if (o >= 5 && b[o - 5] == (uint8_t)(tag >> 8) && b[o - 4] == (uint8_t)tag && b[o - 3] == 0xFF &&
	    (((size_t)b[o - 2] << 8) | b[o - 1]) == len)
		return (long)(o - 5);
	return -1;
}

/* The key set slot for kvn: the one with this KVN (replaced), else a free one; -1 when full. */
static int keyset_slot(const struct eum_isdp *p, uint8_t kvn)
{
	size_t i;

	for (i = 0; i < EUM_ISDP_KEYSETS; i++)
		if (p->scp03[i].key_len && p->scp03[i].kvn == kvn)
			return (int)i;
	for (i = 0; i < EUM_ISDP_KEYSETS; i++)
		if (!p->scp03[i].key_len)
			return (int)i;
	return -1;
}

/* Where the new key set goes, decided before anything is derived: 0 (*slot set) or the SW. Changes nothing. */
static uint16_t keyest_prepare(struct eum_card *card, const struct keyest_sd *sd, const struct eum_ecka_crt *crt,
                               int *slot)
{
	const struct eum_isdp *p;

	if (sd->isdr)
		return eum_es5_isdr_keyset_prepare(card, crt, slot); /* digest §7.11: an ISD-R SCP80 key set */
	p = card->ps->isdp[sd->isdp];
	if (!takes_keys(p))
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	*slot = keyset_slot(p, crt->kvn);
	if (*slot < 0)
		return EUM_SW_NOT_ENOUGH_MEMORY;
	if (p->lcs == EUM_ISDP_SELECTABLE &&
	    eum_isdp_transition_allowed(card, sd->isdp, EUM_ISDP_EV_KEYS_ESTABLISHED) != EUM_OK)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	return 0;
}

/* Store the derived keys in the slot keyest_prepare() chose (the commit point, with the receipt). */
static uint16_t keyest_store(struct eum_card *card, const struct keyest_sd *sd, const struct eum_ecka_crt *crt,
                             const struct eum_ecka_keys *keys, int slot)
{
	struct eum_scp03_keyset nks;
	struct eum_isdp *p;

	if (sd->isdr) {
		eum_es5_isdr_keyset_store(card, slot, crt, keys);
		return 0;
	}
	p = card->ps->isdp[sd->isdp];
	/* step 2.10: the key set under the CRT's KVN; one base key (95 5C) serves as ENC, MAC and DEK (njiwa) */
	memset(&nks, 0, sizeof(nks));
	nks.kvn = crt->kvn;
	nks.key_len = EUM_ECKA_KEY_LEN;
	memcpy(nks.key_enc, keys->key[0], EUM_ECKA_KEY_LEN);
	memcpy(nks.key_mac, keys->key[keys->nkeys == 3 ? 1 : 0], EUM_ECKA_KEY_LEN);
	memcpy(nks.key_dek, keys->key[keys->nkeys == 3 ? 2 : 0], EUM_ECKA_KEY_LEN);
	if (p->lcs == EUM_ISDP_SELECTABLE &&
	    eum_isdp_transition(card, sd->isdp, EUM_ISDP_EV_KEYS_ESTABLISHED) != EUM_OK) {
		eum_wipe(&nks, sizeof(nks));
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	}
	p->scp03[slot] = nks;
	eum_wipe(&nks, sizeof(nks));
	eum_log(card, EUM_LOG_INFO, "ES8 3A02: SCP03 key set %02X established for ISD-P %d (%s)", crt->kvn, sd->isdp,
	        eum_isdp_state_name(p->lcs));
	return 0;
}

/* What a verified 3A02 leads to. */
struct keyest_plan {
	struct keyest_sd sd;
	struct eum_ecka_crt crt;
	uint8_t epk[EUM_ECC_PUB_LEN];
	int slot;
};

/* DGI 3A02 validation against the RC and certificate key in *ke (the card's, or a copy the handler
 * took before consuming the RC): the 7F49 and 5F37 DGIs follow, CRT and ePK parse, the signature
 * verifies, a key set slot is free. Changes nothing. */
static uint16_t verify_3a02(struct eum_card *card, int isdp, const uint8_t *val, size_t len,
                            const struct eum_es8_keyest *ke, struct keyest_plan *k)
{
	const uint8_t *raw_crt, *raw_epk, *raw_sig, *epk_v, *sig_v, *b = card->gp->sd_buf;
	size_t raw_crt_len, raw_epk_len, raw_sig_len, epk_l, sig_l, off;
	uint16_t t1 = 0, t2 = 0, sw;
	long h;

	sw = keyest_sd(card, isdp, &k->sd);
	if (sw || !ke->active || ke->isdr != k->sd.isdr || ke->isdp != k->sd.isdp ||
	    memcmp(ke->aid, k->sd.aid, sizeof(ke->aid)) != 0) {
		eum_log(card, EUM_LOG_INFO, "3A02: no RC outstanding for this %s", isdp < 0 ? "ISD-R" : "ISD-P");
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	}
	/* 3A02 as received, then the 7F49 and 5F37 DGIs that must follow it */
	h = dgi_header_offset(card, DGI_3A02, val, len);
	if (h < 0)
		return EUM_SW_INCORRECT_DATA;
	raw_crt = b + h;
	raw_crt_len = (size_t)(val - raw_crt) + len;
	off = (size_t)h + raw_crt_len;
	if (dgi_at(b, card->gp->sd_len, &off, &t1, &raw_epk, &raw_epk_len, &epk_v, &epk_l) != 1 || t1 != DGI_EPK ||
	    dgi_at(b, card->gp->sd_len, &off, &t2, &raw_sig, &raw_sig_len, &sig_v, &sig_l) != 1 || t2 != DGI_SIG) {
		eum_log(card, EUM_LOG_INFO, "%s 3A02: not followed by the 7F49 and 5F37 DGIs", k->sd.name);
		return EUM_SW_INCORRECT_DATA;
	}
	(void)raw_sig;
	(void)raw_sig_len;
	if (!k->sd.isdr && !takes_keys(card->ps->isdp[isdp]))
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	if (eum_ecka_crt_parse(val, len, &k->crt) != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "%s 3A02: CRT refused", k->sd.name);
		return EUM_SW_INCORRECT_DATA;
	}
	if (eum_ecka_parse_epk(ke->curve, epk_v, epk_l, k->epk) != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "%s 3A02: ePK refused (layout or not on the curve)", k->sd.name);
		return EUM_SW_INCORRECT_DATA;
	}
	if (eum_ecka_verify_dp_signature(ke->curve, ke->pk_dp, raw_crt, raw_crt_len, raw_epk, raw_epk_len, ke->rc,
	                                 sizeof(ke->rc), sig_v, sig_l) != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "%s 3A02: signature invalid", k->sd.name);
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	}
	return keyest_prepare(card, &k->sd, &k->crt, &k->slot);
}

uint16_t eum_es8_dgi_3a02_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                size_t len)
{
	struct keyest_plan k;
	uint16_t sw;

	(void)ch;
	memset(&k, 0, sizeof(k));
	sw = verify_3a02(card, isdp, val, len, &card->es8->ke, &k);
	eum_wipe(&k, sizeof(k));
	return sw;
}

/* DGI 3A02 (+ 7F49 + 5F37), SGP.02 §4.1.3.1 EstablishISDPKeySet step 2 (digest §8.1 step 2) / §7.11 step 2 */
uint16_t eum_es8_dgi_3a02(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r)
{
	struct eum_es8_keyest held = card->es8->ke;
	uint8_t dr[EUM_ECKA_DR_LEN];
	struct eum_ecka_input in;
	struct eum_ecka_keys keys;
	struct keyest_plan k;
	struct eum_buf out;
	uint16_t sw;
	int have_dr = 0;

	(void)ch;
	memset(&keys, 0, sizeof(keys));
	memset(&k, 0, sizeof(k));
	/* the RC serves this one 3A02, accepted or not (digest §8.1: replay protection) */
	ke_clear(card);
	sw = verify_3a02(card, isdp, val, len, &held, &k);
	if (sw)
		goto out;
	if (eum_ecka_wants_dr(&k.crt)) {
		if (eum_card_random(card, dr, sizeof(dr)) != EUM_OK) {
			sw = EUM_SW_TECHNICAL_PROBLEM;
			goto out;
		}
		have_dr = 1;
	}
	memset(&in, 0, sizeof(in));
	in.curve = card->ps->ecasd.curve;
	in.sk_ecasd = card->ps->ecasd.sk_ecka;
	in.epk = k.epk;
	in.crt = &k.crt;
	in.dr = have_dr ? dr : NULL;
	in.dr_len = have_dr ? sizeof(dr) : 0;
	in.receipt_variant = (enum eum_ecka_receipt_variant)card->es8->receipt_variant; /* eum_config.ecka_receipt */
	in.rng = card->rng;
	in.rng_ctx = card->rng_ctx;
	if (eum_ecka_derive(&in, &keys) != EUM_OK) {
		sw = EUM_SW_TECHNICAL_PROBLEM;
		goto out;
	}
	/* [85 L DR] 86 10 receipt (digest §8.1 step 2.10) */
	eum_buf_init(&out, r->data, r->cap);
	eum_ecka_response(&keys, have_dr ? dr : NULL, have_dr ? sizeof(dr) : 0, &out);
	if (out.overflow) {
		sw = EUM_SW_TECHNICAL_PROBLEM;
		goto out;
	}
	sw = keyest_store(card, &k.sd, &k.crt, &keys, k.slot);
	if (sw)
		goto out;
	sw = EUM_SW_OK;
	r->len = out.len;
	card->es8->ke.took_7f49 = card->es8->ke.took_5f37 = 1;
out:
	eum_wipe(&held, sizeof(held));
	eum_wipe(&k, sizeof(k));
	eum_wipe(dr, sizeof(dr));
	eum_ecka_keys_wipe(&keys);
	if (sw != EUM_SW_OK)
		r->len = 0;
	return sw;
}

/* DGI 7F49 of EstablishISDPKeySet: consumed by the 3A02 before it (digest §8.1 step 2.2) */
uint16_t eum_es8_dgi_7f49(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r)
{
	(void)ch;
	(void)isdp;
	(void)val;
	(void)len;
	(void)r;
	if (!card->es8->ke.took_7f49)
		return EUM_SW_INCORRECT_DATA;
	card->es8->ke.took_7f49 = 0;
	return EUM_SW_OK;
}

/* DGI 5F37 of EstablishISDPKeySet: consumed by the 3A02 before it (digest §8.1 step 2.3) */
uint16_t eum_es8_dgi_5f37(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r)
{
	(void)ch;
	(void)isdp;
	(void)val;
	(void)len;
	(void)r;
	if (!card->es8->ke.took_5f37 || card->es8->ke.took_7f49)
		return EUM_SW_INCORRECT_DATA;
	card->es8->ke.took_5f37 = 0;
	return EUM_SW_OK;
}

/* DGI 3A07 validation: in an SCP03 session of the SM-DP with this ISD-P, well-formed containers */
uint16_t eum_es8_dgi_3a07_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                size_t len)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t;
	int rc;

	(void)card;
	if (isdp < 0 || isdp >= EUM_MAX_ISDP)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	/* inside an SCP03 session of the SM-DP with this ISD-P (its keys, its channel) */
	if (ch->app != EUM_APP_ISDP || ch->isdp != isdp || ch->scp03->state != EUM_SCP03_STATE_AUTHENTICATED ||
	    !(ch->scp03->sl & EUM_SCP03_SL_CMAC))
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	/* BER-TLV containers (A0 SMS parameters; A1.. UNCONFIRMED): constructed, context-specific */
	if (len == 0 || len > EUM_ISDP_CONN_MAX || !eum_ber_well_formed(val, len))
		return EUM_SW_INCORRECT_DATA;
	eum_tlv_reader_init(&rd, val, len);
	while ((rc = eum_ber_next(&rd, &t)) == EUM_TLV_OK)
		if (t.tag < 0xA0 || t.tag > 0xBE)
			return EUM_SW_INCORRECT_DATA;
	return rc == EUM_TLV_END ? 0 : EUM_SW_INCORRECT_DATA;
}

/* DGI 3A07 UpdateConnectivityParameters, SGP.02 §4.1.3.4 (digest §8.3) */
uint16_t eum_es8_dgi_3a07(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r)
{
	struct eum_isdp *p;
	uint16_t sw = eum_es8_dgi_3a07_check(card, ch, isdp, val, len);

	(void)r;
	if (sw)
		return sw;
	p = card->ps->isdp[isdp];
	memcpy(p->conn, val, len);
	p->conn_len = (uint8_t)len;
	eum_log(card, EUM_LOG_INFO, "ES8 3A07: connectivity parameters of ISD-P %d updated (%zu bytes)", isdp, len);
	return EUM_SW_OK;
}
