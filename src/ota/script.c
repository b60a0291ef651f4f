/*
 * Remote script engine, card side: ETSI TS 102 226 §5 (remote APDU structures run on a virtual
 * channel), §8 (RFM), SGP.02 §4/§8.2 (SCP03t TLVs in ES8 scripts for an ISD-P). Shared by the SMS
 * path (SCP80, src/ota/ota.c) and the HTTPS path (SCP81, src/ota/scp81.c).
 *
 * Choices (moved here from ota.c unchanged):
 *  - RFM access rights (TS 102 226 §8.2.1.3.2.5): the access domains of the RFM instance (SAIP PE-RFM
 *    uiccAccessDomain / uiccAdminAccessDomain / adfRFMAccess) replace the terminal's PIN states for
 *    the time of the script (src/fs/access.c): 00 full access (NEVER stays never), 02 the key
 *    references the access domain data lists, FF or absent nothing. The terminal's PIN states are
 *    saved and restored around the script: the OTA session neither uses nor changes them. ISD-R/ISD-P
 *    targets have no file system.
 *  - A remote script stays in its target application: a SELECT that would make the virtual
 *    channel another application (ISD-R, ECASD, an ISD-P, or the UICC from a security domain)
 *    is answered 6A82 and leaves the channel as it was.
 *  - [IMPL] the response data held for GET RESPONSE on the virtual channel lives in a buffer
 *    allocated for one script run (wiped and freed at its end), so that neither transport keeps
 *    4 KB between scripts and the HTTPS path needs no SMS receiver.
 *
 * Transaction rule of a remote script (TS 102 226 §5.1.1, §5.2.1): each command of the script is
 * atomic on its own (it runs through eum_process_apdu() like a terminal's); the script is NOT.
 * Execution stops at the first command whose SW does not let it go on, and the commands that
 * completed before it stay completed: the response reports how many ran and the last SW. What the
 * completed commands changed is committed with the terminal APDU that carried the script (ENVELOPE
 * of an SMS, TERMINAL RESPONSE of the RECEIVE DATA that completed an HTTP response).
 */
#include "ota/script.h"

#include <stdlib.h>
#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "gp/gp.h"
#include "ota/ota_state.h"
#include "sgp02/es8.h"
#include "sgp02/scp03t.h"

/* Response data held on the virtual channel (T=0 rules), one script run. */
struct script_held {
	uint8_t data[EUM_SCRIPT_APDU_RSP_MAX];
	size_t len, off;
	uint16_t sw; /* status word given with the last held byte */
};

/* Remote script execution context: the virtual channel and its held response data. */
struct script_run {
	struct eum_card *card;
	struct eum_vchannel vc; /* vc.ch: the virtual channel */
	uint8_t app, isdp;
	uint8_t scp03t_over; /* an SCP03t TLV was answered 9F4x: the script's later ones get no answer */
	struct script_held *held;
};

size_t eum_ota_script_footprint(void)
{
	return sizeof(struct script_held);
}

static uint16_t sw_with_len(uint16_t base, size_t n)
{
	return (uint16_t)(base | (n >= 256 ? 0 : n));
}

static int same_app(const struct script_run *x)
{
	return x->vc.ch.app == x->app && (x->app != EUM_APP_ISDP || x->vc.ch.isdp == x->isdp);
}

/* ISO 7816-3 §12.2.2: GET RESPONSE of the data held on the virtual channel. */
static uint16_t held_get_response(struct script_held *h, const uint8_t *c, size_t len, uint8_t *rdata, size_t cap,
                                  size_t *rlen)
{
	size_t avail = h->len - h->off, n;

	if (len != 5)
		return EUM_SW_WRONG_LENGTH;
	if (avail == 0)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	if (c[2] || c[3])
		return EUM_SW_INCORRECT_P1P2;
	n = c[4] ? c[4] : 256;
	if (n > avail)
		return sw_with_len(EUM_SW_WRONG_LE, avail);
	memcpy(rdata, h->data + h->off, n < cap ? n : cap);
	*rlen = n;
	h->off += n;
	avail -= n;
	if (avail)
		return sw_with_len(EUM_SW_BYTES_AVAILABLE, avail);
	eum_wipe(h->data, h->len); /* fully read: wiped at once */
	h->len = h->off = 0;
	return h->sw;
}

/*
 * TS 102 226 §5.1.1 / §5.2.1: exec callback of eum_rapdu_run(): one C-APDU through the engine
 * (eum_process_apdu: the same tables, access checks and commit as for the terminal), with the
 * terminal's T=0 rules so that a script sees what a modem would (case 2: data or 6Cxx; data of
 * cases 1/3/4 held for GET RESPONSE behind 61xx), without the 91xx of the terminal interface.
 */
static uint16_t script_exec(void *ctx, const uint8_t *capdu, size_t len, uint8_t *rdata, size_t cap, size_t *rlen)
{
	struct script_run *x = ctx;
	struct eum_card *card = x->card;
	struct script_held *h = x->held;
	struct eum_vchannel before;
	struct eum_rsp r;
	uint8_t cases;
	uint16_t sw;

	*rlen = 0;
	if (len >= 4 && !(capdu[0] & 0x80) && capdu[1] == 0xC0)
		return held_get_response(h, capdu, len, rdata, cap, rlen);
	/* any other command discards held data (ISO 7816-3 §12.2.2), wiped */
	eum_wipe(h->data, h->len);
	h->len = h->off = 0;
	eum_vchannel_copy(&before, &x->vc);
	r.data = h->data;
	r.cap = sizeof(h->data);
	r.len = 0;
	sw = eum_process_apdu(card, &x->vc.ch, capdu, len, &r, &cases);
	if (!same_app(x)) {
		eum_scp03_session_close(&x->vc.scp03);
		eum_vchannel_copy(&x->vc, &before);
		eum_wipe(&before, sizeof(before));
		eum_wipe(h->data, r.len);
		eum_log(card, EUM_LOG_INFO, "OTA: SELECT of another application refused in a remote script");
		return EUM_SW_FILE_NOT_FOUND;
	}
	eum_wipe(&before, sizeof(before));
	if (r.len == 0)
		return sw;
	if (cases == EUM_CASE2) {
		size_t le = len == 7 ? (((size_t)capdu[5] << 8) | capdu[6]) : capdu[4];
		if (le == 0 || le > 256)
			le = 256;
		if (le != r.len)
			return sw_with_len(EUM_SW_WRONG_LE, r.len);
		memcpy(rdata, h->data, r.len < cap ? r.len : cap);
		*rlen = r.len;
		eum_wipe(h->data, r.len);
		return sw;
	}
	h->len = r.len;
	h->off = 0;
	h->sw = sw;
	return sw_with_len(EUM_SW_BYTES_AVAILABLE, r.len);
}

/* TS 102 226 §5.2 other TLVs: SGP.02 SCP03t (84 / 85 / 86) in a script for an ISD-P (digest §4, §8.2).
 * After a 9F4x the session is over and the script's remaining SCP03t TLVs are taken without an answer
 * (digest §8.2 [IMPL]). */
static int script_other(void *ctx, uint8_t tag, const uint8_t *val, size_t len, uint8_t *rsp, size_t cap, size_t *rlen)
{
	struct script_run *x = ctx;
	int rc;

	*rlen = 0;
	if (x->scp03t_over)
		return tag >= EUM_SCP03T_TAG_INIT_UPDATE && tag <= EUM_SCP03T_TAG_SEGMENT ? 0 : -1;
	rc = eum_scp03t_tlv(x->card, x->isdp, tag, val, len, rsp, cap, rlen);
	if (rc == EUM_SCP03T_FATAL)
		x->scp03t_over = 1;
	return rc == EUM_SCP03T_UNKNOWN ? -1 : 0;
}

/* TS 102 226 §5 / §8: run the script on the target's virtual channel (see script.h). */
int eum_ota_run_script(struct eum_card *card, const struct eum_script_target *t, const uint8_t *script, size_t len,
                       uint8_t *out, size_t cap, struct eum_rapdu_result *res)
{
	struct eum_rapdu_ops ops;
	struct script_run x;
	uint32_t pins = card->pin_verified;
	int rc;

	memset(res, 0, sizeof(*res));
	if (t->kind == EUM_SCRIPT_RFM && !card->ota)
		return EUM_ERR_STATE; /* the access domains are announced through the receiver (eum_ota_rfm) */
	memset(&x, 0, sizeof(x));
	x.held = calloc(1, sizeof(*x.held));
	if (!x.held) {
		eum_log(card, EUM_LOG_ERROR, "OTA: no memory for a remote script");
		return EUM_ERR_NO_MEMORY;
	}
	eum_vchannel_init(&x.vc);
	x.card = card;
	x.vc.ch.open = 1;
	x.vc.ch.ota = 1;
	x.vc.sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
	switch (t->kind) {
	case EUM_SCRIPT_ISDR:
		x.app = EUM_APP_ISDR;
		break;
	case EUM_SCRIPT_ISDP:
		x.app = EUM_APP_ISDP;
		x.isdp = t->isdp;
		break;
	case EUM_SCRIPT_RFM:
	default:
		x.app = EUM_APP_UICC;
		if (t->adf >= 0)
			x.vc.sel = (struct eum_fs_sel){.df = t->adf, .ef = -1, .adf = t->adf, .rec = 0};
		/* the instance's access domains for the time of the script (file comment) */
		card->ota->rfm = t->rfm;
		break;
	}
	x.vc.ch.app = x.app;
	x.vc.ch.isdp = x.isdp;
	memset(&ops, 0, sizeof(ops));
	ops.exec = script_exec;
	ops.ctx = &x;
	if (t->kind == EUM_SCRIPT_ISDP)
		ops.other = script_other;
	/* a security domain keeps its GP sequence (INSTALL [for personalization], STORE DATA blocks) from one
	 * script to the next: SGP.02 ES8 sends DGI 3A01 and 3A02 as blocks 00 and 01 in two scripts (§8.1) */
	if (t->kind != EUM_SCRIPT_RFM && card->es8->carry.valid && card->es8->carry.app == x.app &&
	    card->es8->carry.isdp == x.isdp)
		x.vc.gp = card->es8->carry.gp;
	rc = eum_rapdu_run(script, len, &ops, EUM_RAPDU_FLAGS_DEFAULT, out, cap, res);
	if (t->kind != EUM_SCRIPT_RFM) {
		card->es8->carry.valid = 1;
		card->es8->carry.app = x.app;
		card->es8->carry.isdp = x.isdp;
		card->es8->carry.gp = x.vc.gp;
	}
	card->pin_verified = pins;
	if (card->ota)
		card->ota->rfm = NULL;
	eum_scp03_session_close(&x.vc.scp03);
	eum_wipe(x.held, sizeof(*x.held));
	free(x.held);
	eum_wipe(&x, sizeof(x));
	return rc;
}
