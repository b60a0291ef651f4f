/*
 * OTA over SMS-PP, card side: 3GPP TS 31.111 §7.1.1 (SMS-PP data download), ETSI TS 102 225 /
 * 3GPP TS 31.115 (secured packets, proof of receipt), ETSI TS 102 226 (remote APDUs, RFM), with
 * the TARs of SGP.02 (ISD-R, ISD-Ps per Annex H) and of the enabled profile's RFM instances.
 *
 * Choices (the spec digests leave them open, scp80-ota.md §6.4):
 *  - Status words of the ENVELOPE: 9000 when accepted, with the PoR (UDH 02 71 00 + response
 *    packet) as response data when one goes back in the SMS-DELIVER-REPORT; the engine turns
 *    it into 61xx + GET RESPONSE under T=0 (onomondo, recorded real cards). A PoR with an error
 *    status is sent the same way (RP-ACK): 62xx/63xx (RP-ERROR) are not used. A packet that is
 *    refused without a PoR requested is dropped silently with 9000 (TS 102 225: the RE discards
 *    it). 91xx replaces 9000 whenever a proactive command (the PoR by SMS-SUBMIT) is pending.
 *    Malformed ENVELOPE / SMS / UDH: the SWs of eum_sms_pp_download() (6700, 6A80, 6A84).
 *    Storage failure while storing the counter: 6581, nothing executed.
 *  - PoR transport: SPI2 b6 = 1 -> proactive SEND SHORT MESSAGE to TP-OA (PID 7F, DCS F6,
 *    concatenated if needed) when the terminal profile has SEND SHORT MESSAGE (bit 26) and the
 *    queue has room, else (fallback) the PoR goes in the ENVELOPE response. SPI2 b6 = 0 but the
 *    PoR is longer than EUM_OTA_ENVELOPE_POR_MAX -> the PoR by SMS-SUBMIT and a PoR with status
 *    0B (no data) in the ENVELOPE response (TS 31.115 §7), if SEND SHORT MESSAGE is possible.
 *  - Status 07 (insufficient memory) when the response does not fit our PoR buffer; 08 and 0C
 *    are never produced (no MORE TIME, no USSD).
 *  - RFM access rights (TS 102 226 §8.2.1.3.2.5): the access domains of the RFM instance (SAIP PE-RFM
 *    uiccAccessDomain / uiccAdminAccessDomain / adfRFMAccess) replace the terminal's PIN states for
 *    the time of the script (src/fs/access.c): 00 full access (NEVER stays never), 02 the key
 *    references the access domain data lists, FF or absent nothing. The terminal's PIN states are
 *    saved and restored around the script: the OTA session neither uses nor changes them. ISD-R/ISD-P
 *    targets have no file system.
 *  - A remote script stays in its TAR's application: a SELECT that would make the virtual
 *    channel another application (ISD-R, ECASD, an ISD-P, or the UICC from a security domain)
 *    is answered 6A82 and leaves the channel as it was.
 */
#include "ota/ota.h"

#include <stdlib.h>
#include <string.h>

#include "cat/cat.h"
#include "core/sw.h"
#include "crypto/crypto.h"
#include "ota/remote_apdu.h"
#include "ota/scp80.h"
#include "gp/gp.h"
#include "sgp02/es8.h"
#include "sgp02/scp03t.h"
#include "store/store.h"

enum ota_kind { OTA_ISDR, OTA_ISDP, OTA_RFM };

/* What a TAR resolved to (filled by the lookup callback). */
struct ota_target {
	struct eum_card *card;
	enum ota_kind kind;
	uint8_t isdp;                   /* ISD-P slot (OTA_ISDP) */
	int32_t adf;                    /* RFM: file index of the ADF, -1 = the MF */
	const struct eum_rfm *rfm;      /* RFM: the instance the TAR names */
	struct eum_scp80_counter *cntr; /* where the counter of the key set in use is kept; NULL = none */
};

/* Remote script execution context: the virtual channel and its held response data. */
struct ota_run {
	struct eum_card *card;
	struct eum_vchannel vc; /* vc.ch: the virtual channel */
	uint8_t app, isdp;
	uint8_t scp03t_over; /* an SCP03t TLV was answered 9F4x: the script's later ones get no answer */
};

/* SGP.02 Annex H: an ISD-P's TAR is bytes 13-15 of its AID; only existing ISD-Ps answer. */
static int isdp_for_tar(const struct eum_card *card, const uint8_t tar[3])
{
	size_t i;

	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = card->ps->isdp[i];
		if (p->in_use && p->aid_len == 16 && memcmp(p->aid + 12, tar, 3) == 0)
			return (int)i;
	}
	return -1;
}

/* TS 102 225 Annex A: the key set with this KVN; KVN 0 = implicit: the SD's first key set. */
static int find_set(const struct eum_scp80_keyset *sets, size_t n, uint8_t kvn)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sets[i].kvn && (kvn == 0 || sets[i].kvn == kvn))
			return (int)i;
	return -1;
}

/* TS 102 225 §5.1 / TS 102 226 §8: key sets, counter and MSL of the entity a TAR names. */
static int lookup(void *ctx, const uint8_t tar[3], uint8_t kic_kvn, uint8_t kid_kvn, struct eum_scp80_tar_info *out)
{
	struct ota_target *t = ctx;
	struct eum_card *card = t->card;
	const struct eum_scp80_keyset *sets;
	struct eum_scp80_counter *cntrs;
	size_t n, i;
	int kic, kid, slot, is_isdr = memcmp(tar, card->ps->isdr.tar, 3) == 0;
	int isdp = is_isdr ? -1 : isdp_for_tar(card, tar);

	t->adf = -1;
	if (is_isdr || isdp >= 0) {
		/* the ISD-R, or an ISD-P reached through the SM-SR's channel: the ISD-R's SCP80 keys */
		t->kind = is_isdr ? OTA_ISDR : OTA_ISDP;
		t->isdp = is_isdr ? 0 : (uint8_t)isdp;
		sets = card->ps->isdr.scp80;
		cntrs = card->ps->isdr.scp80_cntr;
		n = EUM_ISDR_SCP80_KEYSETS;
		out->msl = card->ps->isdr.msl;
	} else {
		/* RFM instances of the ENABLED profile only: a disabled profile's TARs are unknown */
		struct eum_profile *p = card->prof;
		for (i = 0; i < EUM_PROFILE_RFM; i++)
			if (p->rfm[i].in_use && memcmp(p->rfm[i].tar, tar, 3) == 0)
				break;
		if (i == EUM_PROFILE_RFM)
			return EUM_ERR_NOT_FOUND;
		if (p->rfm[i].adf_aid_len) {
			t->adf = eum_fs_adf_by_aid(&p->fs, p->rfm[i].adf_aid, p->rfm[i].adf_aid_len);
			if (t->adf < 0)
				return EUM_ERR_NOT_FOUND; /* the application it serves is not in the profile */
		}
		t->kind = OTA_RFM;
		t->rfm = &p->rfm[i];
		sets = p->ota_keys;
		cntrs = p->ota_cntr;
		n = EUM_PROFILE_OTA_KEYSETS;
		out->msl = p->rfm[i].msl;
	}
	kic = find_set(sets, n, kic_kvn);
	kid = find_set(sets, n, kid_kvn);
	out->kic_set = kic >= 0 ? &sets[kic] : NULL;
	out->kid_set = kid >= 0 ? &sets[kid] : NULL;
	/* TS 102 225 §5.1.1: one counter per key set; the KID's set when there is one */
	slot = kid >= 0 ? kid : kic >= 0 ? kic : find_set(sets, n, 0);
	t->cntr = slot >= 0 ? &cntrs[slot] : NULL;
	memset(&out->cntr, 0, sizeof(out->cntr));
	if (t->cntr)
		out->cntr = *t->cntr;
	if (t->kind != OTA_RFM)
		card->ota->isdr_sets_in_use = (kic >= 0 ? 1u << kic : 0) | (kid >= 0 ? 1u << kid : 0);
	return EUM_OK;
}

/* ---- the virtual channel (TS 102 226 §5: commands run as if sent to the application) ---------- */

static uint16_t sw_with_len(uint16_t base, size_t n)
{
	return (uint16_t)(base | (n >= 256 ? 0 : n));
}

static int same_app(const struct ota_run *x)
{
	return x->vc.ch.app == x->app && (x->app != EUM_APP_ISDP || x->vc.ch.isdp == x->isdp);
}

/* ISO 7816-3 §12.2.2: GET RESPONSE of the data held on the virtual channel. */
static uint16_t held_get_response(struct eum_ota_state *o, const uint8_t *c, size_t len, uint8_t *rdata, size_t cap,
                                  size_t *rlen)
{
	size_t avail = o->apdu_len - o->apdu_off, n;

	if (len != 5)
		return EUM_SW_WRONG_LENGTH;
	if (avail == 0)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	if (c[2] || c[3])
		return EUM_SW_INCORRECT_P1P2;
	n = c[4] ? c[4] : 256;
	if (n > avail)
		return sw_with_len(EUM_SW_WRONG_LE, avail);
	memcpy(rdata, o->apdu + o->apdu_off, n < cap ? n : cap);
	*rlen = n;
	o->apdu_off += n;
	avail -= n;
	if (avail)
		return sw_with_len(EUM_SW_BYTES_AVAILABLE, avail);
	eum_wipe(o->apdu, o->apdu_len); /* fully read: wiped at once */
	o->apdu_len = o->apdu_off = 0;
	return o->apdu_sw;
}

/*
 * exec callback of eum_rapdu_run(): one C-APDU through the engine (eum_process_apdu: the same
 * tables, access checks and commit as for the terminal), with the terminal's T=0 rules so that a
 * script sees what a modem would (case 2: data or 6Cxx; data of cases 1/3/4 held for GET
 * RESPONSE behind 61xx), without the 91xx of the terminal interface.
 */
static uint16_t ota_exec(void *ctx, const uint8_t *capdu, size_t len, uint8_t *rdata, size_t cap, size_t *rlen)
{
	struct ota_run *x = ctx;
	struct eum_card *card = x->card;
	struct eum_ota_state *o = card->ota;
	struct eum_vchannel before;
	struct eum_rsp r;
	uint8_t cases;
	uint16_t sw;

	*rlen = 0;
	if (len >= 4 && !(capdu[0] & 0x80) && capdu[1] == 0xC0)
		return held_get_response(o, capdu, len, rdata, cap, rlen);
	/* any other command discards held data (ISO 7816-3 §12.2.2), wiped */
	eum_wipe(o->apdu, o->apdu_len);
	o->apdu_len = o->apdu_off = 0;
	eum_vchannel_copy(&before, &x->vc);
	r.data = o->apdu;
	r.cap = sizeof(o->apdu);
	r.len = 0;
	sw = eum_process_apdu(card, &x->vc.ch, capdu, len, &r, &cases);
	if (!same_app(x)) {
		eum_scp03_session_close(&x->vc.scp03);
		eum_vchannel_copy(&x->vc, &before);
		eum_wipe(&before, sizeof(before));
		eum_wipe(o->apdu, r.len);
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
		memcpy(rdata, o->apdu, r.len < cap ? r.len : cap);
		*rlen = r.len;
		eum_wipe(o->apdu, r.len);
		return sw;
	}
	o->apdu_len = r.len;
	o->apdu_off = 0;
	o->apdu_sw = sw;
	return sw_with_len(EUM_SW_BYTES_AVAILABLE, r.len);
}

/* TS 102 226 §5.2 other TLVs: SGP.02 SCP03t (84 / 85 / 86) in a script for an ISD-P (digest §4, §8.2).
 * After a 9F4x the session is over and the script's remaining SCP03t TLVs are taken without an answer
 * (digest §8.2 [IMPL]). */
static int ota_other(void *ctx, uint8_t tag, const uint8_t *val, size_t len, uint8_t *rsp, size_t cap, size_t *rlen)
{
	struct ota_run *x = ctx;
	int rc;

	*rlen = 0;
	if (x->scp03t_over)
		return tag >= EUM_SCP03T_TAG_INIT_UPDATE && tag <= EUM_SCP03T_TAG_SEGMENT ? 0 : -1;
	rc = eum_scp03t_tlv(x->card, x->isdp, tag, val, len, rsp, cap, rlen);
	if (rc == EUM_SCP03T_FATAL)
		x->scp03t_over = 1;
	return rc == EUM_SCP03T_UNKNOWN ? -1 : 0;
}

/* TS 102 226 §5 / §8: run the secured data on the target's virtual channel. Returns the length
 * of the response script in o->rsp.
 *
 * Transaction rule of a remote script (TS 102 226 §5.1.1, §5.2.1): each command of the script is
 * atomic on its own (it runs through eum_process_apdu() like a terminal's); the script is NOT.
 * Execution stops at the first command whose SW does not let it go on, and the commands that
 * completed before it stay completed: the PoR reports how many ran and the last SW, and the SM-SR
 * relies on that count. What the completed commands changed is committed with the ENVELOPE at the
 * end of its APDU, together with the counter stored before the script ran; if that final store
 * fails, the whole ENVELOPE answers 6581, its PoR is not released, and none of the script's effects
 * remain (the counter does: the packet cannot be replayed). */
static size_t run_script(struct eum_card *card, const struct ota_target *t, const struct eum_scp80_cmd *cmd)
{
	struct eum_ota_state *o = card->ota;
	struct eum_rapdu_result res;
	struct eum_rapdu_ops ops;
	struct ota_run x;
	uint32_t pins = card->pin_verified;
	int rc;

	memset(&x, 0, sizeof(x));
	eum_vchannel_init(&x.vc);
	x.card = card;
	x.vc.ch.open = 1;
	x.vc.ch.ota = 1;
	x.vc.sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
	switch (t->kind) {
	case OTA_ISDR:
		x.app = EUM_APP_ISDR;
		break;
	case OTA_ISDP:
		x.app = EUM_APP_ISDP;
		x.isdp = t->isdp;
		break;
	case OTA_RFM:
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
	ops.exec = ota_exec;
	ops.ctx = &x;
	if (t->kind == OTA_ISDP)
		ops.other = ota_other;
	/* a security domain keeps its GP sequence (INSTALL [for personalization], STORE DATA blocks) from one
	 * script to the next: SGP.02 ES8 sends DGI 3A01 and 3A02 as blocks 00 and 01 in two scripts (§8.1) */
	if (t->kind != OTA_RFM && card->es8->carry.valid && card->es8->carry.app == x.app &&
	    card->es8->carry.isdp == x.isdp)
		x.vc.gp = card->es8->carry.gp;
	o->apdu_len = o->apdu_off = 0;
	memset(&res, 0, sizeof(res));
	rc = eum_rapdu_run(cmd->data, cmd->data_len, &ops, EUM_RAPDU_FLAGS_DEFAULT, o->rsp, sizeof(o->rsp), &res);
	if (t->kind != OTA_RFM) {
		card->es8->carry.valid = 1;
		card->es8->carry.app = x.app;
		card->es8->carry.isdp = x.isdp;
		card->es8->carry.gp = x.vc.gp;
	}
	card->pin_verified = pins;
	card->ota->rfm = NULL;
	eum_scp03_session_close(&x.vc.scp03);
	eum_wipe(&x, sizeof(x));
	eum_wipe(o->apdu, sizeof(o->apdu));
	o->apdu_len = o->apdu_off = 0;
	if (rc != EUM_OK)
		return 0;
	eum_log(card, EUM_LOG_INFO, "OTA: %u command(s) run on TAR %02X%02X%02X, last SW %04X%s", res.executed,
	        cmd->tar[0], cmd->tar[1], cmd->tar[2], res.last_sw, res.truncated ? " (response cut)" : "");
	return res.len;
}

/* ---- proof of receipt (TS 102 225 §5.2, TS 31.115 §7) ------------------------------------------ */

/* The PoR as ENVELOPE response data (TS 31.111 §7.1.1.2: SMS-DELIVER-REPORT user data). */
static uint16_t por_in_response(struct eum_card *card, size_t por_len, struct eum_rsp *r)
{
	if (eum_sms_pp_por_response(card->ota->por, por_len, r->data, r->cap, &r->len) != EUM_OK) {
		r->len = 0;
		return EUM_SW_TECHNICAL_PROBLEM;
	}
	return EUM_SW_OK;
}

static uint16_t deliver_por(struct eum_card *card, struct ota_target *t, const struct eum_scp80_cmd *cmd,
                            const struct eum_sms_pp_msg *msg, uint8_t status, const uint8_t *data, size_t dlen,
                            struct eum_rsp *r)
{
	struct eum_ota_state *o = card->ota;
	int by_submit = (cmd->spi[1] & EUM_SCP80_SPI2_POR_SUBMIT) != 0;
	size_t por_len = 0;
	int rc;

	if (!eum_scp80_por_wanted(cmd, status))
		return EUM_SW_OK;
	rc = eum_scp80_build_por(cmd, lookup, t, status, data, dlen, EUM_SCP80_ERROR_POR, o->por, sizeof(o->por),
	                         &por_len);
	if (rc == EUM_ERR_BUFFER_TOO_SMALL) {
		status = EUM_SCP80_INSUFFICIENT_MEMORY;
		rc = eum_scp80_build_por(cmd, lookup, t, status, NULL, 0, EUM_SCP80_ERROR_POR, o->por, sizeof(o->por),
		                         &por_len);
	}
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_WARN, "OTA: PoR could not be built (%s)", eum_strerror(rc));
		return EUM_SW_OK;
	}
	if (!by_submit && EUM_SCP80_RPI_UDH_LEN + por_len <= EUM_OTA_ENVELOPE_POR_MAX)
		return por_in_response(card, por_len, r);
	/* TS 31.115 §4.2: by SMS-SUBMIT, i.e. a proactive SEND SHORT MESSAGE to the sender */
	rc = eum_cat_send_packet(card, &msg->oa, EUM_SMS_IEI_RPI, o->por, por_len);
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "OTA: PoR by SMS-SUBMIT not possible (%s): sent in the ENVELOPE response",
		        eum_strerror(rc));
		return por_in_response(card, por_len, r);
	}
	if (by_submit)
		return EUM_SW_OK;
	/* asked for in the DELIVER-REPORT but too long: there, a PoR saying where the data went */
	rc = eum_scp80_build_por(cmd, lookup, t, EUM_SCP80_RESPONSE_VIA_SMS_SUBMIT, NULL, 0, EUM_SCP80_ERROR_POR,
	                         o->por, sizeof(o->por), &por_len);
	if (rc != EUM_OK)
		return EUM_SW_OK;
	return por_in_response(card, por_len, r);
}

/* ---- ENVELOPE (SMS-PP download) ------------------------------------------------------------------ */

/* TS 102 225 §5.1 for one complete command packet in card->ota->pkt. */
static uint16_t process_packet(struct eum_card *card, const struct eum_sms_pp_msg *msg, struct eum_rsp *r)
{
	struct eum_ota_state *o = card->ota;
	struct eum_scp80_cmd cmd;
	struct ota_target t;
	size_t rsp_len = 0;
	uint16_t sw;
	int rc;

	memset(&t, 0, sizeof(t));
	t.card = card;
	rc = eum_scp80_unwrap(o->pkt, msg->pkt_len, lookup, &t, o->work, eum_sms_reasm_max(&o->reasm), &cmd);
	if (rc != EUM_OK)
		eum_log(card, EUM_LOG_INFO, "OTA: packet unwrap failed (%s)", eum_strerror(rc));
	if (!cmd.header_ok) {
		eum_log(card, EUM_LOG_INFO, "OTA: command packet too short, discarded");
		return EUM_SW_OK;
	}
	if (cmd.status != EUM_SCP80_POR_OK) {
		/* refused: nothing persistent moved, nothing runs (TS 102 225 §5.1.4) */
		eum_log(card, EUM_LOG_INFO, "OTA: packet for TAR %02X%02X%02X refused: %s", cmd.tar[0], cmd.tar[1],
		        cmd.tar[2], eum_scp80_status_name(cmd.status));
		return deliver_por(card, &t, &cmd, msg, cmd.status, NULL, 0, r);
	}
	if (cmd.cntr_update && t.cntr) {
		/* TS 102 225 §5.1.1: the new counter is stored before the secured data runs — written now,
		 * inside the APDU, so that it stays moved whatever happens to the script and its PoR */
		*t.cntr = cmd.new_cntr;
		if (t.kind == OTA_RFM)
			eum_store_dirty_prof(card, card->prof, EUM_PS_OTA_CNTR);
		else
			eum_store_dirty(card, EUM_PS_ISDR_CNTR);
		if (eum_store_commit_now(card) != EUM_OK) {
			eum_wipe(o->work, sizeof(o->work));
			return EUM_SW_MEMORY_PROBLEM;
		}
	}
	rsp_len = run_script(card, &t, &cmd);
	eum_wipe(o->work, eum_sms_reasm_max(&o->reasm));
	sw = deliver_por(card, &t, &cmd, msg, EUM_SCP80_POR_OK, o->rsp, rsp_len, r);
	eum_wipe(o->rsp, sizeof(o->rsp));
	return sw;
}

/* ENVELOPE (SMS-PP download), TS 31.111 §7.1.1.2 */
uint16_t eum_ota_sms_pp_download(struct eum_card *card, const uint8_t *data, size_t len, struct eum_rsp *r)
{
	struct eum_ota_state *o;
	struct eum_sms_pp_msg msg;
	uint64_t now = eum_card_now(card);
	uint16_t sw;
	size_t cap;

	if (!card->ota) {
		/* the receiver's buffers (~8 KB) exist once the card has seen an OTA packet */
		card->ota = calloc(1, sizeof(*card->ota));
		if (!card->ota) {
			eum_log(card, EUM_LOG_ERROR, "OTA: no memory for the receiver");
			return EUM_SW_TECHNICAL_PROBLEM;
		}
		card->ota->reasm.max = card->sms_reasm_max; /* eum_config.sms_reassembly_max */
	}
	o = card->ota;
	if (o->busy)
		return EUM_SW_TOOLKIT_BUSY;
	/* TS 23.040 leaves the wait for missing parts to the receiver: the host clock drives it */
	if (eum_sms_reasm_expire(&o->reasm, now, EUM_SMS_REASM_TIMEOUT_S))
		eum_log(card, EUM_LOG_INFO, "OTA: incomplete concatenated packet expired");
	memset(&msg, 0, sizeof(msg));
	/* the packet buffers exist for this ENVELOPE only (eum_config.sms_reassembly_max octets each) */
	cap = eum_sms_reasm_max(&o->reasm);
	o->pkt = malloc(cap);
	o->work = malloc(cap);
	if (!o->pkt || !o->work) {
		free(o->pkt);
		free(o->work);
		o->pkt = o->work = NULL;
		return EUM_SW_MEMORY_PROBLEM;
	}
	sw = eum_sms_pp_download(&o->reasm, data, len, now, o->pkt, cap, &msg);
	if (sw == EUM_SW_OK && msg.kind == EUM_SMS_PP_COMMAND_PACKET) {
		o->busy = 1;
		sw = process_packet(card, &msg, r);
		o->busy = 0;
		o->isdr_sets_in_use = 0;
	} else if (sw != EUM_SW_OK) {
		eum_log(card, EUM_LOG_INFO, "OTA: SMS-PP download refused (SW %04X)", sw);
	} else if (msg.kind == EUM_SMS_PP_SEGMENT_STORED) {
		eum_log(card, EUM_LOG_DEBUG, "OTA: concatenated part stored");
	} else if (msg.kind == EUM_SMS_PP_DUPLICATE) {
		eum_log(card, EUM_LOG_DEBUG, "OTA: duplicate part ignored");
	} else {
		eum_log(card, EUM_LOG_DEBUG, "OTA: short message is not a command packet, ignored");
	}
	eum_wipe(o->pkt, cap);
	eum_wipe(o->work, cap);
	free(o->pkt);
	free(o->work);
	o->pkt = o->work = NULL;
	return sw;
}

const struct eum_rfm *eum_ota_rfm(const struct eum_card *card)
{
	return card->ota ? card->ota->rfm : NULL;
}

uint32_t eum_ota_isdr_sets_in_use(const struct eum_card *card)
{
	return card->ota ? card->ota->isdr_sets_in_use : 0;
}

void eum_ota_free(struct eum_card *card)
{
	if (!card->ota)
		return;
	eum_sms_reasm_init(&card->ota->reasm); /* a concatenated packet being collected */
	eum_wipe(card->ota, sizeof(*card->ota));
	free(card->ota);
	card->ota = NULL;
}
