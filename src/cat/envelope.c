/*
 * ENVELOPE, ETSI TS 102 221 §11.2.2, with the BER-TLV templates of ETSI TS 102 223 §7:
 * SMS-PP data download (D1, §7.1 / 3GPP TS 31.111 §7.1.1, handed to the OTA receiver the card registered), event
 * download (D6, §7.5: location status, data available, channel status), and the call control /
 * MO short message control templates (D4/D5, §7.3), which this card does not act upon.
 */
#include <string.h>

#include "cat/bip.h"
#include "cat/cat.h"
#include "core/sw.h"
#include "util/tlv.h"

/* TS 102 223 §9.1 BER-TLV tags of the ENVELOPE templates. */
#define TAG_SMS_PP_DOWNLOAD 0xD1
#define TAG_CALL_CONTROL    0xD4
#define TAG_MO_SM_CONTROL   0xD5
#define TAG_EVENT_DOWNLOAD  0xD6

/* COMPREHENSION-TLV tags without the CR bit (§9.3). */
#define CTAG_DEVICE_IDENTITIES   0x02
#define CTAG_EVENT_LIST          0x19
#define CTAG_LOCATION_STATUS     0x1B
#define CTAG_CHANNEL_DATA_LENGTH 0x37
#define CTAG_CHANNEL_STATUS      0x38

/* Location status event, TS 102 223 §7.5.4 (hook for the SGP.02 network attach trigger) */
void eum_cat_on_location_status(struct eum_card *card, uint8_t status)
{
	card->cat->loc_status = status;
	card->cat->loc_status_valid = 1;
	eum_log(card, EUM_LOG_INFO, "event: location status %02X (%s)", status,
	        status == 0x00   ? "normal service"
	        : status == 0x01 ? "limited service"
	                         : "no service");
	eum_notify(card, EUM_EV_LOCATION_STATUS, &status); /* e.g. the SGP.02 network attach trigger */
}

/* Data available event, TS 102 223 §7.5.10 (BIP: src/cat/bip.c) */
void eum_cat_on_data_available(struct eum_card *card, const uint8_t chan_status[2], uint8_t len)
{
	memcpy(card->cat->data_avail_chan, chan_status, 2);
	card->cat->data_avail_len = len;
	card->cat->data_avail_valid = 1;
	eum_log(card, EUM_LOG_INFO, "event: data available on channel %u, %u bytes", chan_status[0] & 0x07, len);
	eum_bip_on_data_available(card, chan_status, len); /* the card's BIP channel (src/cat/bip.c) */
}

/* Channel status event, TS 102 223 §7.5.11 (BIP: src/cat/bip.c) */
void eum_cat_on_channel_status(struct eum_card *card, const uint8_t chan_status[2])
{
	memcpy(card->cat->chan_status, chan_status, 2);
	card->cat->chan_status_valid = 1;
	eum_log(card, EUM_LOG_INFO, "event: channel %u status %02X%02X", chan_status[0] & 0x07, chan_status[0],
	        chan_status[1]);
	eum_bip_on_channel_status(card, chan_status); /* the card's BIP channel (src/cat/bip.c) */
}

static int in_event_list(const struct eum_card *card, uint8_t ev)
{
	return memchr(card->cat->events, ev, card->cat->n_events) != NULL;
}

/* Event download, TS 102 223 §7.5: D6 { 99 event list (one event), 82 device identities, data } */
static uint16_t event_download(struct eum_card *card, const uint8_t *v, size_t len)
{
	struct eum_tlv ev, devs, t, t2;
	uint8_t e;

	if (eum_ctlv_find(v, len, CTAG_EVENT_LIST, &ev) != EUM_TLV_OK || ev.len != 1 ||
	    eum_ctlv_find(v, len, CTAG_DEVICE_IDENTITIES, &devs) != EUM_TLV_OK || devs.len != 2)
		return EUM_SW_INCORRECT_DATA;
	e = ev.val[0];
	/* §7.5: the terminal reports only events of the current list; an unlisted one is logged and
	 * still recorded (the card lost nothing it asked for). */
	if (!in_event_list(card, e))
		eum_log(card, EUM_LOG_DEBUG, "event %02X downloaded without being in the event list", e);
	switch (e) {
	case EUM_CAT_EVENT_LOCATION_STATUS:
		if (eum_ctlv_find(v, len, CTAG_LOCATION_STATUS, &t) != EUM_TLV_OK || t.len != 1)
			return EUM_SW_INCORRECT_DATA;
		eum_cat_on_location_status(card, t.val[0]);
		return EUM_SW_OK;
	case EUM_CAT_EVENT_DATA_AVAILABLE:
		if (eum_ctlv_find(v, len, CTAG_CHANNEL_STATUS, &t) != EUM_TLV_OK || t.len != 2 ||
		    eum_ctlv_find(v, len, CTAG_CHANNEL_DATA_LENGTH, &t2) != EUM_TLV_OK || t2.len != 1)
			return EUM_SW_INCORRECT_DATA;
		eum_cat_on_data_available(card, t.val, t2.val[0]);
		return EUM_SW_OK;
	case EUM_CAT_EVENT_CHANNEL_STATUS:
		if (eum_ctlv_find(v, len, CTAG_CHANNEL_STATUS, &t) != EUM_TLV_OK || t.len != 2)
			return EUM_SW_INCORRECT_DATA;
		eum_cat_on_channel_status(card, t.val);
		return EUM_SW_OK;
	default:
		eum_log(card, EUM_LOG_DEBUG, "event %02X ignored", e);
		return EUM_SW_OK;
	}
}

/* ENVELOPE, TS 102 221 §11.2.2 */
uint16_t eum_cat_envelope(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t;

	/* a remote command script does not speak for the terminal (and must not nest OTA) */
	if (ch->ota)
		return EUM_SW_INS_NOT_SUPPORTED;
	if (a->p1 || a->p2)
		return EUM_SW_INCORRECT_P1P2;
	if (a->data[0] == TAG_SMS_PP_DOWNLOAD)
		return card->engine->sms_pp_download ? card->engine->sms_pp_download(card, a->data, a->lc, r)
		                                     : EUM_SW_FUNCTION_NOT_SUPPORTED;
	eum_tlv_reader_init(&rd, a->data, a->lc);
	if (eum_ber_next(&rd, &t) != EUM_TLV_OK)
		return EUM_SW_INCORRECT_DATA;
	if (t.raw_len != a->lc)
		return EUM_SW_WRONG_LENGTH;
	switch (t.tag) {
	case TAG_EVENT_DOWNLOAD:
		return event_download(card, t.val, t.len);
	case TAG_CALL_CONTROL:
	case TAG_MO_SM_CONTROL:
		/* §7.3.1.6 / §7.4.1.2: no response data = allowed, no modification */
		return EUM_SW_OK;
	default:
		eum_log(card, EUM_LOG_INFO, "ENVELOPE template %02X not supported", (unsigned)t.tag);
		return EUM_SW_INCORRECT_DATA;
	}
}
