/*
 * Proactive command builders, ETSI TS 102 223 §6.6: REFRESH (§6.6.13), SEND SHORT MESSAGE
 * (§6.6.9) with the SMS-SUBMIT of 3GPP TS 23.040 §9.2.2.2 / TS 31.115 §4, and SET UP EVENT LIST
 * (§6.6.16). Each command is built as its COMPREHENSION-TLVs (§8) and handed to the queue of
 * cat.c; a command the TERMINAL PROFILE (§5.2) does not announce is never queued.
 */
#include <string.h>

#include "cat/cat.h"
#include "util/tlv.h"

/* TS 102 223 §9.4 type of command, §8.7 device identities. */
#define TYPE_REFRESH            0x01
#define TYPE_SET_UP_EVENT_LIST  0x05
#define TYPE_SEND_SHORT_MESSAGE 0x13
#define DEV_UICC                0x81
#define DEV_TERMINAL            0x82
#define DEV_NETWORK             0x83

/* COMPREHENSION-TLV tags with the comprehension required bit (§8, §9.3). */
#define TAG_COMMAND_DETAILS   0x81
#define TAG_DEVICE_IDENTITIES 0x82
#define TAG_ADDRESS           0x86
#define TAG_SMS_TPDU          0x8B
#define TAG_FILE_LIST         0x92
#define TAG_EVENT_LIST        0x99
#define TAG_AID               0xAF

/* Terminal profile bit of each event of the event list (TS 102 223 §5.2, bytes 5 and 6). */
static const uint8_t event_tp_bit[] = {
        [0x00] = 34, /* MT call */
        [0x01] = 35, /* call connected */
        [0x02] = 36, /* call disconnected */
        [0x03] = 37, /* location status */
        [0x04] = 38, /* user activity */
        [0x05] = 39, /* idle screen available */
        [0x06] = 40, /* card reader status */
        [0x07] = 41, /* language selection */
        [0x08] = 42, /* browser termination */
        [0x09] = 43, /* data available */
        [0x0A] = 44, /* channel status */
};

/* Command details and device identities that start every proactive command (§6.6). */
static void head(struct eum_buf *b, uint8_t type, uint8_t qualifier, uint8_t dest)
{
	const uint8_t details[3] = {0x00 /* number: filled in by eum_cat_queue */, type, qualifier};
	const uint8_t devs[2] = {DEV_UICC, dest};

	eum_buf_ctlv(b, TAG_COMMAND_DETAILS, details, sizeof(details));
	eum_buf_ctlv(b, TAG_DEVICE_IDENTITIES, devs, sizeof(devs));
}

static int queue_built(struct eum_card *card, const struct eum_buf *b, const char *what)
{
	int rc;

	if (b->overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	rc = eum_cat_queue(card, b->p, b->len);
	if (rc == EUM_OK)
		eum_log(card, EUM_LOG_INFO, "proactive %s queued (%zu bytes)", what, b->len);
	return rc;
}

/* REFRESH, TS 102 223 §6.6.13 */
int eum_cat_refresh_files(struct eum_card *card, uint8_t qualifier, const uint8_t *files, size_t files_len,
                          const uint8_t *aid, size_t aid_len)
{
	uint8_t tlvs[253];
	struct eum_buf b;

	if (!card || (files_len && !files) || (aid_len && !aid) || aid_len > 16)
		return EUM_ERR_INVALID_ARG;
	if (qualifier > EUM_CAT_REFRESH_EUICC_PROFILE_STATE_CHANGE || qualifier == 0x08)
		return EUM_ERR_INVALID_ARG;
	/* §6.6.13: the file change notification modes name the files */
	if ((qualifier == EUM_CAT_REFRESH_FCN || qualifier == EUM_CAT_REFRESH_NAA_INIT_FCN) && files_len == 0)
		return EUM_ERR_INVALID_ARG;
	if (!eum_cat_tp_bit(card, EUM_CAT_TP_REFRESH)) {
		eum_log(card, EUM_LOG_INFO, "REFRESH %02X not queued: the terminal does not support it", qualifier);
		return EUM_ERR_UNSUPPORTED;
	}
	if (eum_cat_queue_space(card) == 0)
		return EUM_ERR_STATE;
	eum_buf_init(&b, tlvs, sizeof(tlvs));
	head(&b, TYPE_REFRESH, qualifier, DEV_TERMINAL);
	if (files_len)
		eum_buf_ctlv(&b, TAG_FILE_LIST, files, files_len);
	if (aid_len)
		eum_buf_ctlv(&b, TAG_AID, aid, aid_len);
	return queue_built(card, &b, "REFRESH");
}

/* REFRESH without file list, TS 102 223 §6.6.13 (e.g. 04 UICC reset, 09 eUICC profile state change) */
int eum_cat_refresh(struct eum_card *card, uint8_t qualifier)
{
	return eum_cat_refresh_files(card, qualifier, NULL, 0, NULL, 0);
}

/* SET UP EVENT LIST, TS 102 223 §6.6.16 */
int eum_cat_set_up_event_list(struct eum_card *card, const uint8_t *events, size_t n)
{
	uint8_t tlvs[64];
	struct eum_buf b;
	size_t i;
	int rc;

	if (!card || (n && !events) || n > EUM_CAT_EVENTS_MAX)
		return EUM_ERR_INVALID_ARG;
	for (i = 0; i < n; i++)
		if (events[i] >= sizeof(event_tp_bit))
			return EUM_ERR_INVALID_ARG;
	if (!eum_cat_tp_bit(card, EUM_CAT_TP_SET_UP_EVENT_LIST))
		return EUM_ERR_UNSUPPORTED;
	for (i = 0; i < n; i++) {
		if (!eum_cat_tp_bit(card, event_tp_bit[events[i]])) {
			eum_log(card, EUM_LOG_INFO, "event %02X not supported by the terminal", events[i]);
			return EUM_ERR_UNSUPPORTED;
		}
	}
	if (eum_cat_queue_space(card) == 0)
		return EUM_ERR_STATE;
	eum_buf_init(&b, tlvs, sizeof(tlvs));
	head(&b, TYPE_SET_UP_EVENT_LIST, 0x00, DEV_TERMINAL);
	eum_buf_ctlv(&b, TAG_EVENT_LIST, events, n);
	rc = queue_built(card, &b, "SET UP EVENT LIST");
	if (rc == EUM_OK) {
		memset(card->cat->events, 0, sizeof(card->cat->events));
		if (n)
			memcpy(card->cat->events, events, n);
		card->cat->n_events = (uint8_t)n;
	}
	return rc;
}

/* SEND SHORT MESSAGE, TS 102 223 §6.6.9 */
int eum_cat_send_short_message(struct eum_card *card, const uint8_t *tpdu, size_t tpdu_len, const uint8_t *smsc,
                               size_t smsc_len)
{
	uint8_t tlvs[253];
	struct eum_buf b;

	if (!card || !tpdu || tpdu_len == 0 || (smsc_len && !smsc))
		return EUM_ERR_INVALID_ARG;
	if (!eum_cat_tp_bit(card, EUM_CAT_TP_SEND_SM))
		return EUM_ERR_UNSUPPORTED;
	if (eum_cat_queue_space(card) == 0)
		return EUM_ERR_STATE;
	eum_buf_init(&b, tlvs, sizeof(tlvs));
	/* qualifier 00: packing not required (the TPDU is 8-bit data already) */
	head(&b, TYPE_SEND_SHORT_MESSAGE, 0x00, DEV_NETWORK);
	if (smsc_len)
		eum_buf_ctlv(&b, TAG_ADDRESS, smsc, smsc_len);
	eum_buf_ctlv(&b, TAG_SMS_TPDU, tpdu, tpdu_len);
	return queue_built(card, &b, "SEND SHORT MESSAGE");
}

/* A packet by SMS-SUBMIT: TS 31.115 §4 (UDH IEI 70/71), TS 23.040 §9.2.3.24.1 (concatenation) */
int eum_cat_send_packet(struct eum_card *card, const struct eum_sms_addr *da, uint8_t iei, const uint8_t *pkt,
                        size_t len)
{
	uint8_t tpdu[176];
	size_t parts, i, tlen;
	uint8_t ref;
	int rc;

	if (!card || !da || !pkt || len == 0)
		return EUM_ERR_INVALID_ARG;
	parts = eum_sms_submit_count(len);
	if (parts == 0)
		return EUM_ERR_INVALID_ARG;
	if (!eum_cat_tp_bit(card, EUM_CAT_TP_SEND_SM))
		return EUM_ERR_UNSUPPORTED;
	/* all parts or none: a partial set would be useless to the receiver */
	if (eum_cat_queue_space(card) < parts)
		return EUM_ERR_STATE;
	ref = card->cat->sm_ref;
	for (i = 0; i < parts; i++) {
		rc = eum_sms_submit_build(da, iei, pkt, len, ref, i, tpdu, sizeof(tpdu), &tlen);
		if (rc == EUM_OK)
			rc = eum_cat_send_short_message(card, tpdu, tlen, NULL, 0);
		if (rc != EUM_OK)
			return rc; /* cannot happen after the checks above: space and sizes were verified */
	}
	if (parts > 1)
		card->cat->sm_ref++;
	return EUM_OK;
}
