/*
 * SGP.02 notifications of the ISD-R: HandleDefaultNotification (§7.8, card → SM-SR) and
 * HandleNotificationConfirmation (§7.9, DGI 3A08).
 *
 * A notification is kept in the ISD-R's persistent state from the moment it is raised until
 * the SM-SR confirms it, so it survives resets and reloads. It is sent as an MO short message
 * by proactive SEND SHORT MESSAGE (TS 102 223 §6.6.9) to the SM-SR address of the addressing
 * parameters: UDH 02 70 00 + an SCP80 COMMAND packet (TS 102 225 §5.1, TS 31.115 §6) whose
 * secured data is the E1 TLV itself (no remote command wrapper: njiwa, whty). Security [IMPL,
 * digest §7.8]: SPI 06 00 = no counter (CNTR 00 00 00 00 00), ciphered, 8-byte CC, no PoR;
 * KIc/KID name the ISD-R's first AES key set (else its first key set); TAR = the ISD-R's TAR
 * (UNCONFIRMED). Delivery: sent again when the TERMINAL RESPONSE is not "performed" or no
 * confirmation came within notify_timeout_s of the host clock, at most notify_attempts times;
 * then given up (a type 02 is then rolled back, §7.2 step 8). Only the oldest notification is in
 * flight; the others wait behind it.
 */
#include <string.h>

#include "cat/cat.h"
#include "core/sw.h"
#include "crypto/crypto.h"
#include "ota/sms_pp.h"
#include "sgp02/es5.h"
#include "sgp02/policy.h"
#include "util/tlv.h"

/* §7.8 tags */
#define TAG_NOTIFICATION 0xE1
#define TAG_EID          0x4C
#define TAG_TYPE         0x4D
#define TAG_SEQ          0x4E
#define TAG_ISDP_AID     0x2F
#define TAG_IMEI         0x14
/* §7.9: the list of ISD-Ps deleted as follow-up */
#define TAG_DELETED_LIST 0x80
#define TAG_AID          0x4F

/* TS 102 225 §5.1.1 SPI of a notification: no counter, ciphered, CC; no PoR */
#define NOTIF_SPI1     0x06
#define NOTIF_SPI2     0x00
#define CC_LEN         8
#define CLEAR_LEN      10 /* CPL(2) CHL SPI(2) KIc KID TAR(3) */
#define SECHDR_LEN     6  /* CNTR(5) PCNTR */
#define NOTIF_DATA_MAX 64
#define PKT_MAX        (CLEAR_LEN + SECHDR_LEN + CC_LEN + NOTIF_DATA_MAX + 16)

/* The key set notifications are secured with: the first AES set, else the first set. */
static const struct eum_scp80_keyset *notif_keyset(const struct eum_card *card)
{
	const struct eum_scp80_keyset *ks = card->ps->isdr.scp80;
	size_t i;

	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++)
		if (ks[i].kvn && ks[i].kic.algo >= EUM_SCP80_ALGO_AES128 && ks[i].kid.algo >= EUM_SCP80_ALGO_AES128)
			return &ks[i];
	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++)
		if (ks[i].kvn)
			return &ks[i];
	return NULL;
}

static int is_aes(uint8_t algo)
{
	return algo == EUM_SCP80_ALGO_AES128 || algo == EUM_SCP80_ALGO_AES192 || algo == EUM_SCP80_ALGO_AES256;
}

/* TS 102 225 §5.1.2 / §5.1.3.1: algorithm coding of the KIc / KID low nibble. */
static uint8_t algo_nibble(uint8_t algo)
{
	switch (algo) {
	case EUM_SCP80_ALGO_DES:
		return 0x1;
	case EUM_SCP80_ALGO_TDES2:
		return 0x5;
	case EUM_SCP80_ALGO_TDES3:
		return 0x9;
	default:
		return 0x2; /* AES */
	}
}

/* TS 102 225 §5.1 / TS 31.115 §6: a command packet with the secured data in clear `data`. */
static int build_packet(const struct eum_card *card, const uint8_t *data, size_t dlen, uint8_t *pkt, size_t *len)
{
	static const uint8_t zero_iv[16];
	const struct eum_scp80_keyset *ks = notif_keyset(card);
	uint8_t mac_in[PKT_MAX + 8], mac_out[PKT_MAX + 8], cc[16];
	size_t block, body, pad, total, n;
	int rc;

	if (!ks)
		return EUM_ERR_STATE;
	if (dlen > NOTIF_DATA_MAX)
		return EUM_ERR_INVALID_ARG;
	block = is_aes(ks->kic.algo) ? 16 : 8;
	body = SECHDR_LEN + CC_LEN + dlen;
	pad = (block - body % block) % block;
	total = CLEAR_LEN + body + pad;
	memset(pkt, 0, total);
	pkt[0] = (uint8_t)((total - 2) >> 8);
	pkt[1] = (uint8_t)(total - 2);
	pkt[2] = 13 + CC_LEN; /* CHL: SPI .. PCNTR and the CC */
	pkt[3] = NOTIF_SPI1;
	pkt[4] = NOTIF_SPI2;
	pkt[5] = (uint8_t)(ks->kvn << 4 | algo_nibble(ks->kic.algo));
	pkt[6] = (uint8_t)(ks->kvn << 4 | algo_nibble(ks->kid.algo));
	memcpy(pkt + 7, card->ps->isdr.tar, 3);
	/* CNTR 00 00 00 00 00 (no counter), PCNTR */
	pkt[CLEAR_LEN + 5] = (uint8_t)pad;
	memcpy(pkt + CLEAR_LEN + SECHDR_LEN + CC_LEN, data, dlen);

	/* CC over CPL..PCNTR and the data with its padding, without the CC field (TS 31.115 §6.2) */
	n = 0;
	memcpy(mac_in, pkt, CLEAR_LEN + SECHDR_LEN);
	n = CLEAR_LEN + SECHDR_LEN;
	memcpy(mac_in + n, pkt + CLEAR_LEN + SECHDR_LEN + CC_LEN, dlen + pad);
	n += dlen + pad;
	if (is_aes(ks->kid.algo)) {
		rc = eum_aes_cmac(ks->kid.val, eum_scp80_algo_keylen(ks->kid.algo), mac_in, n, cc);
	} else {
		/* DES/3DES CBC-MAC, zero IV, zero padding to the block (TS 102 225 §5.1.3.1) */
		size_t m = (n + 7) & ~(size_t)7;
		memset(mac_in + n, 0, m - n);
		rc = eum_des_cbc(1, ks->kid.val, eum_scp80_algo_keylen(ks->kid.algo), zero_iv, mac_in, m, mac_out);
		if (rc == EUM_OK)
			memcpy(cc, mac_out + m - 8, 8);
	}
	if (rc == EUM_OK) {
		memcpy(pkt + CLEAR_LEN + SECHDR_LEN, cc, CC_LEN);
		/* everything after the TAR is ciphered, IV zero (TS 102 225 §5.1.2) */
		if (is_aes(ks->kic.algo))
			rc = eum_aes_cbc(1, ks->kic.val, eum_scp80_algo_keylen(ks->kic.algo), zero_iv, pkt + CLEAR_LEN,
			                 total - CLEAR_LEN, pkt + CLEAR_LEN);
		else
			rc = eum_des_cbc(1, ks->kic.val, eum_scp80_algo_keylen(ks->kic.algo), zero_iv, pkt + CLEAR_LEN,
			                 total - CLEAR_LEN, pkt + CLEAR_LEN);
	}
	eum_wipe(mac_in, sizeof(mac_in));
	eum_wipe(mac_out, sizeof(mac_out));
	eum_wipe(cc, sizeof(cc));
	if (rc != EUM_OK)
		return EUM_ERR_CRYPTO;
	*len = total;
	return EUM_OK;
}

/* The E1 message, SGP.02 §7.8 */
static size_t build_e1(const struct eum_card *card, const struct eum_es5_notif *n, uint8_t *out, size_t cap)
{
	uint8_t seq[2] = {(uint8_t)(n->seq >> 8), (uint8_t)n->seq};
	struct eum_buf b;
	size_t m;

	eum_buf_init(&b, out, cap);
	m = eum_buf_ber_open(&b, TAG_NOTIFICATION);
	eum_buf_ber_tlv(&b, TAG_EID, card->ps->ecasd.eid, sizeof(card->ps->ecasd.eid));
	eum_buf_ber_tlv(&b, TAG_TYPE, &n->type, 1);
	eum_buf_ber_tlv(&b, TAG_SEQ, seq, sizeof(seq));
	if (n->aid_len)
		eum_buf_ber_tlv(&b, TAG_ISDP_AID, n->aid, n->aid_len);
	if (card->es5->has_imei)
		eum_buf_ber_tlv(&b, TAG_IMEI, card->es5->imei, sizeof(card->es5->imei));
	eum_buf_ber_close(&b, m);
	return b.overflow ? 0 : b.len;
}

static int count(const struct eum_es5_pstate *es)
{
	int i;

	for (i = 0; i < EUM_ES5_NOTIF_MAX && es->notif[i].type; i++)
		;
	return i;
}

static void remove_at(struct eum_card *card, int i)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	struct eum_es5_card *v = card->es5;

	if (v->nt_number && v->nt_seq == es->notif[i].seq) {
		eum_cat_cancel(card, v->nt_number); /* if the terminal has it already, it just goes out */
		v->nt_number = 0;
	}
	memmove(&es->notif[i], &es->notif[i + 1], (size_t)(EUM_ES5_NOTIF_MAX - 1 - i) * sizeof(es->notif[0]));
	memset(&es->notif[EUM_ES5_NOTIF_MAX - 1], 0, sizeof(es->notif[0]));
}

/* SGP.02 §7.8: a new notification about the profile enabled now */
void eum_es5_notify_raise(struct eum_card *card, uint8_t type, uint8_t rollback, uint16_t followup)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	struct eum_es5_notif *n;
	int en = eum_es5_enabled_slot(card), k = count(es);

	if (k == EUM_ES5_NOTIF_MAX) {
		/* [IMPL] the oldest unconfirmed one makes room (the SM-SR can still audit the card) */
		eum_log(card, EUM_LOG_WARN, "ES5: notification %04X dropped, too many pending", es->notif[0].seq);
		remove_at(card, 0);
		k--;
	}
	n = &es->notif[k];
	memset(n, 0, sizeof(*n));
	es->seq++; /* 16-bit, wraps (UNCONFIRMED) */
	n->type = type;
	n->state = EUM_ES5_NT_SEND;
	n->seq = es->seq;
	n->rollback = rollback;
	n->followup = followup;
	if (en >= 0) {
		n->aid_len = card->ps->isdp[en]->aid_len;
		memcpy(n->aid, card->ps->isdp[en]->aid, n->aid_len);
	}
	eum_log(card, EUM_LOG_INFO, "ES5: notification type %02X raised, sequence %04X", type, n->seq);
}

static struct eum_es5_notif *find_seq(struct eum_card *card, uint16_t seq, int *at)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	int i;

	for (i = 0; i < EUM_ES5_NOTIF_MAX && es->notif[i].type; i++) {
		if (es->notif[i].seq == seq) {
			if (at)
				*at = i;
			return &es->notif[i];
		}
	}
	return NULL;
}

int eum_es5_notify_sent(struct eum_card *card, uint16_t seq, uint8_t result)
{
	struct eum_es5_notif *n = find_seq(card, seq, NULL);
	uint32_t t = card->es5->policy.notify_timeout_s;

	if (!n)
		return 0;
	if (result >= 0x10) {
		/* TS 102 223 §8.12: not sent; the pump sends it again within the attempt budget */
		eum_log(card, EUM_LOG_INFO, "ES5: notification %04X not sent (result %02X)", seq, result);
		return 0;
	}
	n->state = EUM_ES5_NT_WAIT_CONFIRM;
	n->deadline = t ? eum_card_now(card) + t : 0;
	eum_log(card, EUM_LOG_INFO, "ES5: notification %04X sent, waiting for its confirmation", seq);
	return 1;
}

/* Delivery failed for good: SGP.02 §7.2 step 8 for a 02, else just forgotten. */
static void give_up(struct eum_card *card)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	struct eum_es5_notif n = es->notif[0];
	int en = eum_es5_enabled_slot(card);

	eum_log(card, EUM_LOG_WARN, "ES5: notification %04X (type %02X) given up", n.seq, n.type);
	remove_at(card, 0);
	if (n.type == EUM_ES5_NOTIF_CHANGE_OK && n.rollback != EUM_ES5_NO_SLOT && es->sw_phase == EUM_ES5_SW_NONE &&
	    en >= 0 && card->ps->isdp[en]->aid_len == n.aid_len &&
	    memcmp(card->ps->isdp[en]->aid, n.aid, n.aid_len) == 0 && card->ps->isdp[n.rollback]->in_use &&
	    card->ps->isdp[n.rollback]->lcs == EUM_ISDP_DISABLED) {
		/* through the same path as a switch: it runs in eum_es5_after_apdu / settle */
		eum_es5_request_switch(card, EUM_ES5_KIND_ROLLBACK, n.rollback);
	}
}

int eum_es5_notify_pump(struct eum_card *card)
{
	struct eum_es5_pstate *es = &card->ps->isdr.es5;
	struct eum_es5_card *v = card->es5;
	struct eum_es5_notif *n = &es->notif[0];
	uint8_t e1[NOTIF_DATA_MAX], pkt[PKT_MAX];
	struct eum_sms_addr da;
	size_t e1_len, pkt_len = 0;
	int rc, changed = 0;

	if (!n->type)
		return 0;
	if (n->state == EUM_ES5_NT_WAIT_CONFIRM) {
		if (!n->deadline || eum_card_now(card) < n->deadline)
			return 0;
		eum_log(card, EUM_LOG_INFO, "ES5: no confirmation of notification %04X in time", n->seq);
		n->state = EUM_ES5_NT_SEND;
		changed = 1;
	}
	if (v->nt_number)
		return changed; /* in the proactive queue already */
	if (n->sends >= v->policy.notify_attempts) {
		give_up(card);
		return 1;
	}
	if (!v->attached || !es->smsr_ndigits || !eum_cat_tp_bit(card, EUM_CAT_TP_SEND_SM) ||
	    eum_cat_queue_space(card) == 0)
		return changed;
	e1_len = build_e1(card, n, e1, sizeof(e1));
	rc = e1_len ? build_packet(card, e1, e1_len, pkt, &pkt_len) : EUM_ERR_BUFFER_TOO_SMALL;
	memset(&da, 0, sizeof(da));
	da.ndigits = es->smsr_ndigits;
	da.ton_npi = es->smsr_ton_npi;
	memcpy(da.value, es->smsr_bcd,
	       sizeof(da.value) < sizeof(es->smsr_bcd) ? sizeof(da.value) : sizeof(es->smsr_bcd));
	if (rc == EUM_OK)
		rc = eum_cat_send_packet(card, &da, EUM_SMS_IEI_CPI, pkt, pkt_len);
	eum_wipe(pkt, sizeof(pkt));
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "ES5: notification %04X not queued (%s)", n->seq, eum_strerror(rc));
		return changed;
	}
	v->nt_number = eum_cat_tail_number(card);
	v->nt_seq = n->seq;
	n->sends++;
	eum_log(card, EUM_LOG_INFO, "ES5: notification %04X queued (attempt %u)", n->seq, n->sends);
	return 1;
}

/* HandleNotificationConfirmation, SGP.02 §7.9 (DGI 3A08): validation (changes nothing) */
uint16_t eum_es5_notification_confirmation_check(struct eum_card *card, const struct eum_channel *ch, int isdp,
                                                 const uint8_t *val, size_t len)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t, extra;

	(void)ch;
	(void)isdp;
	eum_tlv_reader_init(&rd, val, len);
	if (eum_ber_next(&rd, &t) != EUM_TLV_OK || t.tag != TAG_SEQ || t.len != 2 ||
	    eum_ber_next(&rd, &extra) != EUM_TLV_END)
		return EUM_SW_INCORRECT_DATA;
	if (!find_seq(card, (uint16_t)(t.val[0] << 8 | t.val[1]), NULL))
		return EUM_SW_REFERENCED_DATA_NOT_FOUND; /* UNCONFIRMED SW (digest §7.9) */
	return 0;
}

/* HandleNotificationConfirmation, SGP.02 §7.9 (DGI 3A08) */
uint16_t eum_es5_notification_confirmation(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val,
                                           size_t len, struct eum_rsp *r)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t, extra;
	struct eum_es5_notif *n;
	struct eum_buf b;
	uint16_t seq, followup;
	size_t m;
	int at = 0, i;

	(void)ch;
	(void)isdp;
	eum_tlv_reader_init(&rd, val, len);
	if (eum_ber_next(&rd, &t) != EUM_TLV_OK || t.tag != TAG_SEQ || t.len != 2 ||
	    eum_ber_next(&rd, &extra) != EUM_TLV_END)
		return EUM_SW_INCORRECT_DATA;
	seq = (uint16_t)(t.val[0] << 8 | t.val[1]);
	n = find_seq(card, seq, &at);
	if (!n) /* UNCONFIRMED SW (digest §7.9) */
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	followup = n->followup;
	/* the response names each ISD-P deleted as a follow-up: 80 L { 4F 10 AID }* */
	eum_buf_init(&b, r->data, r->cap);
	m = eum_buf_ber_open(&b, TAG_DELETED_LIST);
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = card->ps->isdp[i];
		if ((followup >> i & 1) && p->in_use && p->lcs == EUM_ISDP_DISABLED && !p->fallback &&
		    (p->pol1 & EUM_POL1_DELETE_WHEN_DISABLED))
			eum_buf_ber_tlv(&b, TAG_AID, p->aid, p->aid_len);
	}
	eum_buf_ber_close(&b, m);
	if (b.overflow)
		return EUM_SW_TECHNICAL_PROBLEM;
	/* validated: now the changes */
	remove_at(card, at);
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = card->ps->isdp[i];
		if ((followup >> i & 1) && p->in_use && p->lcs == EUM_ISDP_DISABLED && !p->fallback &&
		    (p->pol1 & EUM_POL1_DELETE_WHEN_DISABLED)) {
			eum_es5_forget_slot(card, i);
			eum_isdp_transition(card, i, EUM_ISDP_EV_DELETE);
			eum_log(card, EUM_LOG_INFO, "ES5: ISD-P slot %d deleted (POL1 delete when disabled)", i);
		}
	}
	r->len = b.len;
	eum_log(card, EUM_LOG_INFO, "ES5: notification %04X confirmed", seq);
	return EUM_SW_OK;
}
