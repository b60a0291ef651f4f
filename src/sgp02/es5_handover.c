/*
 * SGP.02 ES5 SM-SR change on the ISD-R (digest sgp02-euicc.md §7.11): the ISD-R SCP80 key set that
 * EstablishISDRKeySet creates (the DGI 3A01/3A02 flow itself is shared with ES8, src/sgp02/es8_isdp.c)
 * and FinaliseISDRhandover, the deletion of the previous SM-SR's key set (GP DELETE tag F2).
 *
 * Choices [IMPL] (the digest leaves them open):
 *  - whty's CRT for the ISD-R is the documented one: A6 { 90 02 03 09, 95 01 10, 80 01 88, 81 01 10,
 *    82 01 01, 83 01 <KVN>, 91 00 }: three AES-128 keys in KeyData order KIc, KID, KIK (ENC/MAC/DEK).
 *    The card keeps KIc and KID as an SCP80 AES key set (TS 102 225 KIc/KID nibble 2) and the KIK with
 *    them (listed in GET DATA E0 as key id 03); no command of this card uses the KIK (there is no PUT
 *    KEY to the ISD-R over SCP80 with ciphered keys).
 *  - njiwa's CRT (96 00, 91 05 <counter>) parses the same way; its scenario parameter 01 reading
 *    ("delete existing keys when no free KVN") is EUM_ES5_HANDOVER_NJIWA_REPLACE (off).
 *  - A CRT naming a KVN the ISD-R holds replaces that key set (as ES8 does for an ISD-P), unless it
 *    secures the packet in progress (6985): the PoR of that packet is built with it.
 *  - The initial counter of the new key set is the 91 value right-aligned in the 5-byte SCP80 counter
 *    (TS 102 225 §5.1.1), zero when 91 is absent or empty.
 *  - FinaliseISDRhandover removes a whole key set (KIc 01 and KID 02, with or without KIK 03), never
 *    the one securing the command and never the last one.
 */
#include "sgp02/es5_handover.h"
#include "ota/ota.h"

#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "util/tlv.h"

#define TAG_DELETE_KEY 0xF2 /* njiwa FinaliseISDRhandover: F2 03 <KVN> <first key id> <last key id> */
#define KVN_MIN        0x01 /* TS 102 225 Annex A: SCP80 KVNs 1..15 */
#define KVN_MAX        0x0F
#define KID_KIC        0x01 /* TS 102 225 §5.1.2: key id 1 = KIc, 2 = KID, 3 = KIK */
#define KID_KID        0x02
#define KID_KIK        0x03

static int in_use(const struct eum_card *card, size_t slot)
{
	return (eum_ota_isdr_sets_in_use(card) >> slot) & 1u;
}

/* The 91 value as the 5-byte SCP80 counter (TS 102 225 §5.1.1). 0 when it does not fit. */
static int initial_counter(const struct eum_ecka_crt *crt, struct eum_scp80_counter *c)
{
	const struct eum_ecka_field *f = &crt->seq_counter;
	size_t i, skip;

	memset(c, 0, sizeof(*c));
	if (!f->p || f->len == 0)
		return 1;
	skip = f->len > EUM_SCP80_CNTR_LEN ? f->len - EUM_SCP80_CNTR_LEN : 0;
	for (i = 0; i < skip; i++)
		if (f->p[i])
			return 0;
	memcpy(c->v + EUM_SCP80_CNTR_LEN - (f->len - skip), f->p + skip, f->len - skip);
	return 1;
}

/* EstablishISDRKeySet step 2 checks, SGP.02 §7.11 (digest §7.11 step 2) */
uint16_t eum_es5_isdr_keyset_prepare(const struct eum_card *card, const struct eum_ecka_crt *crt, int *slot)
{
	const struct eum_isdr *d = &card->ps->isdr;
	struct eum_scp80_counter c;
	size_t i;

	*slot = -1;
	if (crt->key_usage != EUM_ECKA_KUQ_THREE_KEYS || crt->kvn < KVN_MIN || crt->kvn > KVN_MAX ||
	    crt->kid != KID_KIC || !initial_counter(crt, &c)) {
		eum_log(card, EUM_LOG_INFO, "ES5 3A02: CRT does not describe an ISD-R SCP80 key set");
		return EUM_SW_INCORRECT_DATA;
	}
	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++) {
		if (d->scp80[i].kvn == crt->kvn) {
			if (in_use(card, i)) {
				eum_log(card, EUM_LOG_INFO, "ES5 3A02: KVN %02X secures this packet", crt->kvn);
				return EUM_SW_CONDITIONS_NOT_SATISFIED;
			}
			*slot = (int)i;
			return 0;
		}
	}
	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++) {
		if (!d->scp80[i].kvn) {
			*slot = (int)i;
			return 0;
		}
	}
	if (EUM_ES5_HANDOVER_NJIWA_REPLACE && (crt->params & EUM_ES5_HANDOVER_PARAM_DELETE_KEYS)) {
		for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++) {
			if (!in_use(card, i)) {
				*slot = (int)i;
				return 0;
			}
		}
	}
	eum_log(card, EUM_LOG_INFO, "ES5 3A02: no free ISD-R key set slot");
	return EUM_SW_NOT_ENOUGH_MEMORY;
}

/* EstablishISDRKeySet commit with the receipt, SGP.02 §7.11 (digest §7.11 steps 2-3) */
void eum_es5_isdr_keyset_store(struct eum_card *card, int slot, const struct eum_ecka_crt *crt,
                               const struct eum_ecka_keys *keys)
{
	struct eum_isdr *d = &card->ps->isdr;
	struct eum_scp80_keyset ks;
	struct eum_scp80_counter c;

	memset(&ks, 0, sizeof(ks));
	ks.kvn = crt->kvn;
	ks.kic.algo = EUM_SCP80_ALGO_AES128;
	memcpy(ks.kic.val, keys->key[0], EUM_ECKA_KEY_LEN);
	ks.kid.algo = EUM_SCP80_ALGO_AES128;
	memcpy(ks.kid.val, keys->key[1], EUM_ECKA_KEY_LEN);
	if (keys->nkeys >= 3) { /* the KIK (key id 3) stays with its key set */
		ks.kik.algo = EUM_SCP80_ALGO_AES128;
		memcpy(ks.kik.val, keys->key[2], EUM_ECKA_KEY_LEN);
	}
	(void)initial_counter(crt, &c); /* checked by eum_es5_isdr_keyset_prepare() */
	d->scp80[slot] = ks;
	d->scp80_cntr[slot] = c;
	eum_wipe(&ks, sizeof(ks));
	eum_log(card, EUM_LOG_INFO, "ES5 3A02: ISD-R SCP80 key set %02X established (SM-SR change)", crt->kvn);
}

/* FinaliseISDRhandover, SGP.02 §4.1.1.9 as cited by njiwa (digest §7.11 step 4): DELETE key set */
uint16_t eum_es5_finalise_handover(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                   struct eum_rsp *r)
{
	struct eum_isdr *d = &card->ps->isdr;
	struct eum_tlv_reader rd;
	struct eum_tlv t, extra;
	size_t i, held = 0;
	int slot = -1;

	(void)ch;
	eum_tlv_reader_init(&rd, a->data, a->lc);
	if (eum_ber_next(&rd, &t) != EUM_TLV_OK || t.tag != TAG_DELETE_KEY || t.len != 3 ||
	    eum_ber_next(&rd, &extra) != EUM_TLV_END || t.val[0] < KVN_MIN || t.val[0] > KVN_MAX ||
	    t.val[1] != KID_KIC || (t.val[2] != KID_KID && t.val[2] != KID_KIK))
		return EUM_SW_INCORRECT_DATA;
	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++) {
		if (!d->scp80[i].kvn)
			continue;
		held++;
		if (d->scp80[i].kvn == t.val[0])
			slot = (int)i;
	}
	if (slot < 0)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	if (in_use(card, (size_t)slot) || held == 1) {
		eum_log(card, EUM_LOG_INFO, "ES5 FinaliseISDRhandover: key set %02X %s", t.val[0],
		        held == 1 ? "is the last one" : "secures this packet");
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	}
	eum_wipe(&d->scp80[slot], sizeof(d->scp80[slot]));
	eum_wipe(&d->scp80_cntr[slot], sizeof(d->scp80_cntr[slot]));
	eum_log(card, EUM_LOG_INFO, "ES5 FinaliseISDRhandover: ISD-R key set %02X deleted", t.val[0]);
	/* [IMPL] one-byte 00 confirmation when Le is present, as DeleteProfile (GPCS §11.2.3) */
	if (a->le)
		r->data[r->len++] = 0x00;
	return EUM_SW_OK;
}
