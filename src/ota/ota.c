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
 *  - Push (SGP.02, GP Amd B; digest scp81-https.md §1.1 [IMPL]): an ISD-R packet whose secured data
 *    is exactly one 81 TLV (administration session triggering parameters), or an AA/AE script whose
 *    first TLV is 81, goes to the SCP81 admin agent (src/ota/scp81.c) after the SCP80 checks and the
 *    counter store, instead of running as a script; its PoR has status 00 and no data, whatever the
 *    agent makes of the parameters (a malformed trigger is logged and starts nothing).
 *  - The script runs on the TAR's application through the shared remote script engine
 *    (src/ota/script.c: virtual channel, T=0 rules, RFM access domains, ES8 carry), the same one the
 *    HTTPS admin agent (src/ota/scp81.c) uses.
 */
#include "ota/ota.h"

#include <stdlib.h>
#include <string.h>

#include "cat/cat.h"
#include "core/sw.h"
#include "crypto/crypto.h"
#include "ota/remote_apdu.h"
#include "ota/scp80.h"
#include "ota/scp81.h"
#include "ota/script.h"
#include "gp/gp.h"
#include "store/store.h"
#include "util/tlv.h"

/* What a TAR resolved to (filled by the lookup callback). */
struct ota_target {
	struct eum_card *card;
	struct eum_script_target s;     /* where the script runs */
	struct eum_scp80_counter *cntr; /* where the counter of the key set in use is kept; NULL = none */
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

	t->s.adf = -1;
	if (is_isdr || isdp >= 0) {
		/* the ISD-R, or an ISD-P reached through the SM-SR's channel: the ISD-R's SCP80 keys */
		t->s.kind = is_isdr ? EUM_SCRIPT_ISDR : EUM_SCRIPT_ISDP;
		t->s.isdp = is_isdr ? 0 : (uint8_t)isdp;
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
			t->s.adf = eum_fs_adf_by_aid(&p->fs, p->rfm[i].adf_aid, p->rfm[i].adf_aid_len);
			if (t->s.adf < 0)
				return EUM_ERR_NOT_FOUND; /* the application it serves is not in the profile */
		}
		t->s.kind = EUM_SCRIPT_RFM;
		t->s.rfm = &p->rfm[i];
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
	if (t->s.kind != EUM_SCRIPT_RFM)
		card->ota->isdr_sets_in_use = (kic >= 0 ? 1u << kic : 0) | (kid >= 0 ? 1u << kid : 0);
	return EUM_OK;
}

/* ---- the remote script (TS 102 226 §5 / §8, the shared engine src/ota/script.c) ------------------ */

/* TS 102 226 §5: run the secured data on the TAR's virtual channel. Returns the length of the
 * response script in o->rsp. The script's effects are committed with the ENVELOPE at the end of its
 * APDU, together with the counter stored before the script ran; if that final store fails, the whole
 * ENVELOPE answers 6581, its PoR is not released, and none of the script's effects remain (the
 * counter does: the packet cannot be replayed). */
static size_t run_script(struct eum_card *card, const struct ota_target *t, const struct eum_scp80_cmd *cmd)
{
	struct eum_ota_state *o = card->ota;
	struct eum_rapdu_result res;

	if (eum_ota_run_script(card, &t->s, cmd->data, cmd->data_len, o->rsp, sizeof(o->rsp), &res) != EUM_OK)
		return 0;
	eum_log(card, EUM_LOG_INFO, "OTA: %u command(s) run on TAR %02X%02X%02X, last SW %04X%s", res.executed,
	        cmd->tar[0], cmd->tar[1], cmd->tar[2], res.last_sw, res.truncated ? " (response cut)" : "");
	return res.len;
}

/* Digest scp81-https.md §1.1 [IMPL]: the secured data is the administration session triggering
 * parameters when it is exactly one BER-TLV 81, or an expanded script (AA, AE) whose first TLV is 81.
 * Anything else (a compact script whose first CLA is 81 included) runs as a script, as before. */
static int push_trigger(const struct eum_scp80_cmd *cmd, const uint8_t **val, size_t *len)
{
	struct eum_tlv_reader rd;
	struct eum_tlv tl;

	if (cmd->data_len < 2)
		return 0;
	if (cmd->data[0] == EUM_RAPDU_TAG_IMMEDIATE_ACTION) {
		eum_tlv_reader_init(&rd, cmd->data, cmd->data_len);
		if (eum_ber_next(&rd, &tl) != EUM_TLV_OK || rd.left != 0)
			return 0;
	} else if (cmd->data[0] == EUM_RAPDU_TAG_CMD_SCRIPT) {
		eum_tlv_reader_init(&rd, cmd->data, cmd->data_len);
		if (eum_ber_next(&rd, &tl) != EUM_TLV_OK)
			return 0;
		eum_tlv_reader_init(&rd, tl.val, tl.len);
		if (eum_ber_next(&rd, &tl) != EUM_TLV_OK || tl.tag != 0x81)
			return 0;
	} else if (cmd->data[0] == EUM_RAPDU_TAG_CMD_SCRIPT_INDEF && cmd->data[1] == 0x80) {
		eum_tlv_reader_init(&rd, cmd->data + 2, cmd->data_len - 2);
		if (eum_ber_next(&rd, &tl) != EUM_TLV_OK || tl.tag != 0x81)
			return 0;
	} else {
		return 0;
	}
	*val = tl.val;
	*len = tl.len;
	return 1;
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
	const uint8_t *trig = NULL;
	size_t rsp_len = 0, trig_len = 0;
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
		if (t.s.kind == EUM_SCRIPT_RFM)
			eum_store_dirty_prof(card, card->prof, EUM_PS_OTA_CNTR);
		else
			eum_store_dirty(card, EUM_PS_ISDR_CNTR);
		if (eum_store_commit_now(card) != EUM_OK) {
			eum_wipe(o->work, eum_sms_reasm_max(&o->reasm));
			return EUM_SW_MEMORY_PROBLEM;
		}
	}
	if (t.s.kind == EUM_SCRIPT_ISDR && push_trigger(&cmd, &trig, &trig_len)) {
		/* SGP.02 push / GP Amd B (digest scp81-https.md §1.1): the admin agent takes it; PoR 00, no data */
		eum_log(card, EUM_LOG_INFO, "OTA: administration session trigger for the ISD-R");
		eum_scp81_trigger(card, trig, trig_len);
		eum_wipe(o->work, eum_sms_reasm_max(&o->reasm));
		return deliver_por(card, &t, &cmd, msg, EUM_SCP80_POR_OK, NULL, 0, r);
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
