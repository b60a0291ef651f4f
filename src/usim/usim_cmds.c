/*
 * USIM commands of 3GPP TS 31.102 §7: AUTHENTICATE (§7.1.2) on the USIM
 * ADF of the enabled profile, with the profile's AKA parameters and SQN
 * array (the algorithm itself is in aka.c).
 */
#include "usim/usim_cmds.h"

#include <string.h>

#include "core/sw.h"
#include "fs/access.h"
#include "usim/aka.h"
#include "store/store.h"

#define USIM_AID_PREFIX_LEN 7
static const uint8_t usim_aid_prefix[USIM_AID_PREFIX_LEN] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02};

/* Service n27 "GSM access" of EF.UST (6F38) decides whether Kc is returned (TS 31.102 §7.1.2.1). */
static int gsm_access(const struct eum_card *card, int32_t adf)
{
	const struct eum_fs *fs = &card->prof->fs;
	int32_t ust = eum_fs_child(fs, adf, 0x6F38);

	return ust >= 0 && fs->files[ust].size >= 4 && (fs->files[ust].data[3] & 0x04);
}

/* AUTHENTICATE, TS 31.102 §7.1.2 */
uint16_t eum_cmd_authenticate(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                              struct eum_rsp *r)
{
	const struct eum_fs *fs = &card->prof->fs;
	struct eum_aka_sqn before;
	uint16_t sw;

	if (a->p1 != 0x00)
		return EUM_SW_INCORRECT_P1P2;
	if (ch->sel->adf < 0 || fs->files[ch->sel->adf].aid_len < USIM_AID_PREFIX_LEN ||
	    memcmp(fs->files[ch->sel->adf].aid, usim_aid_prefix, USIM_AID_PREFIX_LEN) != 0) {
		eum_log(card, EUM_LOG_INFO, "AUTHENTICATE outside the USIM");
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	}
	/* §7.1.2: access condition PIN (the application PIN, when enabled) */
	if (!eum_keyref_satisfied(card, EUM_KEYREF_PIN_APPL1))
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	before = card->prof->sqn;
	sw = eum_aka_authenticate(&card->prof->aka, &card->prof->sqn, a->p2, a->data, a->lc,
	                          gsm_access(card, ch->sel->adf), r->data, r->cap, &r->len);
	if (memcmp(&before, &card->prof->sqn, sizeof(before)) != 0)
		eum_store_dirty_prof(card, card->prof, EUM_PS_SQN); /* a new SQN accepted (TS 33.102 Annex C) */
	if (sw == EUM_SW_AUTH_MAC_FAIL)
		eum_log(card, EUM_LOG_INFO, "AUTHENTICATE: MAC failure");
	return sw;
}
