/*
 * Bearer Independent Protocol, UICC side: ETSI TS 102 223 §6.4.27 OPEN CHANNEL, §6.4.28 CLOSE
 * CHANNEL, §6.4.29 RECEIVE DATA, §6.4.30 SEND DATA, §6.4.31 GET CHANNEL STATUS, §6.6.16 SET UP
 * EVENT LIST for §7.5.10 data available and §7.5.11 channel status, with the data objects of
 * §8.52-§8.59 (spec digest scp81-https.md §2; contract in bip.h). One TCP client channel, one
 * BIP proactive command in flight at a time ([IMPL], digest §2.5/§2.7).
 */
#include "cat/bip.h"

#include <stdlib.h>
#include <string.h>

#include "cat/bip_open.h"
#include "cat/cat.h"
#include "crypto/crypto.h"
#include "util/tlv.h"

/* TS 102 223 §9.4 type of command. */
#define TYPE_OPEN_CHANNEL       0x40
#define TYPE_CLOSE_CHANNEL      0x41
#define TYPE_RECEIVE_DATA       0x42
#define TYPE_SEND_DATA          0x43
#define TYPE_GET_CHANNEL_STATUS 0x44

/* §8.7 device identities: 21-27 = channel 1-7. */
#define DEV_UICC     0x81
#define DEV_TERMINAL 0x82
#define DEV_CHANNEL  0x20

/* COMPREHENSION-TLV tags without the CR bit (§9.3); CR is b8. */
#define CR                  0x80
#define CT_COMMAND_DETAILS  0x01
#define CT_DEVICES          0x02
#define CT_RESULT           0x03
#define CT_CHANNEL_DATA     0x36
#define CT_CHANNEL_DATA_LEN 0x37
#define CT_CHANNEL_STATUS   0x38
#define CT_BUFFER_SIZE      0x39

/* §8.12 general result: 0X = performed; §8.12.11 BIP error additional information. */
#define RESULT_PERFORMED_MAX 0x0F
#define RESULT_BIP_ERROR     0x3A
#define BIP_NO_CHANNEL       0x01
#define BIP_CHANNEL_CLOSED   0x02
#define BIP_BAD_CHANNEL_ID   0x03

/* §8.56 channel status: byte 1 b8 link established, b3-b1 channel id; byte 2 further info. */
#define STATUS_LINK_UP      0x80
#define STATUS_CHANNEL_MASK 0x07
#define STATUS_LINK_DROPPED 0x05

/* SEND DATA qualifier (§8.6): 00 store in the Tx buffer, 01 send immediately. */
#define SEND_STORE 0x00
#define SEND_NOW   0x01
/* §8.54 channel data length FF: at least 255 bytes. */
#define DATA_LEN_MANY 0xFF

enum bip_state {
	BIP_OPENING, /* OPEN CHANNEL queued or fetched, no TERMINAL RESPONSE yet */
	BIP_OPEN,    /* the channel carries data */
	BIP_CLOSING, /* the remaining Tx data, then CLOSE CHANNEL */
	BIP_CLOSED,  /* told the user; freed when the callback returns */
};

/* The channel state: allocated by eum_bip_open(), owned by the card (card->bip), wiped and freed
 * by eum_bip_free() (close, reset, power-off, card free). TLS records pass through rx/tx. */
struct eum_bip {
	struct eum_bip_user user;
	uint8_t state;       /* enum bip_state */
	uint8_t chan;        /* channel identifier the terminal gave (§8.56), 1-7 */
	uint8_t close_asked; /* eum_bip_close() while OPEN CHANNEL was in flight */
	uint8_t want_status; /* a GET CHANNEL STATUS is to be queued */
	uint16_t buf_size;   /* buffer size agreed (§8.55): asked, or less as the terminal said */
	/* the BIP command in flight (cmd_type 0 = none) */
	uint8_t cmd_type;
	uint8_t cmd_number;
	uint8_t cmd_qualifier;
	uint8_t cmd_len;  /* channel data in the SEND DATA / length asked by the RECEIVE DATA */
	size_t stored;    /* bytes the terminal keeps in its Tx buffer (SEND DATA 00 without 01 yet) */
	size_t peer_left; /* bytes the terminal holds for us (§8.54, FF = at least 255) */
	size_t rx_len;    /* received, not yet taken by eum_bip_recv() */
	size_t tx_len;    /* given to eum_bip_send(), not yet acknowledged by a SEND DATA */
	uint8_t rx[EUM_BIP_RX_MAX];
	uint8_t tx[EUM_BIP_TX_MAX];
};

/* ---- helpers ------------------------------------------------------------------------------ */

/* Terminal profile of one TCP client channel, TS 102 223 §5.2 (digest §2.1) */
int eum_bip_supported(const struct eum_card *card)
{
	static const uint8_t bits[] = {
	        EUM_CAT_TP_SET_UP_EVENT_LIST, EUM_CAT_TP_EVENT_DATA_AVAILABLE, EUM_CAT_TP_EVENT_CHANNEL_STATUS,
	        EUM_CAT_TP_OPEN_CHANNEL,      EUM_CAT_TP_CLOSE_CHANNEL,        EUM_CAT_TP_RECEIVE_DATA,
	        EUM_CAT_TP_SEND_DATA,         EUM_CAT_TP_GET_CHANNEL_STATUS,   EUM_CAT_TP_TCP_CLIENT_REMOTE,
	};
	size_t i;

	if (!card || !card->cat->tp_received || card->cat->tp_len < 13)
		return 0;
	for (i = 0; i < sizeof(bits); i++)
		if (!eum_cat_tp_bit(card, bits[i]))
			return 0;
	/* byte 13 b8-b6: number of channels supported */
	return (card->cat->tp[12] >> 5) != 0;
}

/* Free the channel state, wiped (bip.h) */
void eum_bip_free(struct eum_card *card)
{
	if (!card || !card->bip)
		return;
	eum_wipe(card->bip, sizeof(*card->bip));
	free(card->bip);
	card->bip = NULL;
}

/* Tell the user, inside the APDU that caused it (bip.h; TS 102 223 §6.8 / §7.5 as the trigger). */
static void tell(struct eum_card *card, enum eum_bip_event ev, uint8_t result, uint8_t info)
{
	struct eum_bip *b = card->bip;

	if (b->user.event)
		b->user.event(card, b->user.ctx, ev, result, info);
}

/* The channel is gone, TS 102 223 §6.4.28 / §8.56 (bip.h EUM_BIP_CLOSED): told once, then freed. */
static void end(struct eum_card *card, uint8_t result, uint8_t info)
{
	card->bip->state = BIP_CLOSED;
	tell(card, EUM_BIP_CLOSED, result, info);
	eum_bip_free(card);
}

/* Command details and device identities of a BIP command (TS 102 223 §6.6.27-§6.6.31). */
static void head(struct eum_buf *b, uint8_t type, uint8_t qualifier, uint8_t dest)
{
	const uint8_t details[3] = {0x00 /* number: filled in by eum_cat_queue */, type, qualifier};
	const uint8_t devs[2] = {DEV_UICC, dest};

	eum_buf_ctlv(b, CR | CT_COMMAND_DETAILS, details, sizeof(details));
	eum_buf_ctlv(b, CR | CT_DEVICES, devs, sizeof(devs));
}

/* Queue a built proactive command (TS 102 223 §6.6); the one in flight when track is set. */
static int queue(struct eum_card *card, const struct eum_buf *b, int track)
{
	struct eum_bip *bip = card->bip;
	int rc;

	if (b->overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	rc = eum_cat_queue(card, b->p, b->len);
	if (rc != EUM_OK || !track)
		return rc;
	bip->cmd_type = b->p[3];
	bip->cmd_qualifier = b->p[4];
	bip->cmd_number = eum_cat_tail_number(card);
	return EUM_OK;
}

/* CLOSE CHANNEL, TS 102 223 §6.6.28 (track = 0: releases a channel the card has given up). */
static int queue_close(struct eum_card *card, uint8_t chan, int track)
{
	uint8_t tlvs[16];
	struct eum_buf b;

	eum_buf_init(&b, tlvs, sizeof(tlvs));
	head(&b, TYPE_CLOSE_CHANNEL, 0x00, (uint8_t)(DEV_CHANNEL | chan));
	return queue(card, &b, track);
}

/* A channel the terminal still holds (dropped link, failed SEND/RECEIVE DATA) is released with a
 * CLOSE CHANNEL nobody waits for (TS 102 223 §6.4.28); its TERMINAL RESPONSE finds no state. */
static void release(struct eum_card *card, uint8_t chan)
{
	if (queue_close(card, chan, 0) != EUM_OK)
		eum_log(card, EUM_LOG_INFO, "BIP: channel %u not released: proactive queue full", chan);
}

/* SEND DATA, TS 102 223 §6.6.30: at most EUM_BIP_SEND_MAX bytes, 00 store / 01 send now; what the
 * terminal stores never exceeds the agreed buffer size (§8.55). */
static int queue_send(struct eum_card *card)
{
	struct eum_bip *bip = card->bip;
	uint8_t tlvs[255];
	struct eum_buf b;
	size_t n = bip->tx_len, room = bip->buf_size - bip->stored;
	uint8_t q;
	int rc;

	if (n > EUM_BIP_SEND_MAX)
		n = EUM_BIP_SEND_MAX;
	if (n > room)
		n = room;
	q = (n == bip->tx_len || bip->stored + n == bip->buf_size) ? SEND_NOW : SEND_STORE;
	eum_buf_init(&b, tlvs, sizeof(tlvs));
	head(&b, TYPE_SEND_DATA, q, (uint8_t)(DEV_CHANNEL | bip->chan));
	eum_buf_ctlv(&b, CR | CT_CHANNEL_DATA, bip->tx, n);
	rc = queue(card, &b, 1);
	eum_wipe(tlvs, sizeof(tlvs));
	if (rc == EUM_OK) {
		bip->cmd_len = (uint8_t)n;
		eum_log(card, EUM_LOG_DEBUG, "BIP: SEND DATA %zu bytes, qualifier %02X", n, q);
	}
	return rc;
}

/* RECEIVE DATA, TS 102 223 §6.6.29: ask at most EUM_BIP_RECV_MAX and no more than the Rx room. */
static int queue_receive(struct eum_card *card)
{
	struct eum_bip *bip = card->bip;
	size_t want = bip->peer_left, room = EUM_BIP_RX_MAX - bip->rx_len;
	uint8_t tlvs[16], w;
	struct eum_buf b;
	int rc;

	if (want > EUM_BIP_RECV_MAX)
		want = EUM_BIP_RECV_MAX;
	if (want > room)
		want = room;
	w = (uint8_t)want;
	eum_buf_init(&b, tlvs, sizeof(tlvs));
	head(&b, TYPE_RECEIVE_DATA, 0x00, (uint8_t)(DEV_CHANNEL | bip->chan));
	eum_buf_ctlv(&b, CR | CT_CHANNEL_DATA_LEN, &w, 1);
	rc = queue(card, &b, 1);
	if (rc == EUM_OK) {
		bip->cmd_len = w;
		eum_log(card, EUM_LOG_DEBUG, "BIP: RECEIVE DATA %u bytes", w);
	}
	return rc;
}

/* GET CHANNEL STATUS, TS 102 223 §6.6.31 */
static int queue_status(struct eum_card *card)
{
	uint8_t tlvs[16];
	struct eum_buf b;
	int rc;

	eum_buf_init(&b, tlvs, sizeof(tlvs));
	head(&b, TYPE_GET_CHANNEL_STATUS, 0x00, DEV_TERMINAL);
	rc = queue(card, &b, 1);
	if (rc == EUM_OK)
		card->bip->want_status = 0;
	return rc;
}

/* The next BIP command when none is in flight (one at a time, digest §2.5/§2.7 [IMPL]): received
 * data first (frees the terminal's buffer), then Tx data, then CLOSE CHANNEL or GET CHANNEL
 * STATUS. A full proactive queue leaves it to eum_bip_after_apdu(). */
static void pump(struct eum_card *card)
{
	struct eum_bip *bip = card->bip;
	int rc = EUM_OK;

	if (!bip || bip->cmd_type || bip->state == BIP_OPENING || bip->state == BIP_CLOSED)
		return;
	if (bip->state == BIP_OPEN && bip->peer_left && bip->rx_len < EUM_BIP_RX_MAX)
		rc = queue_receive(card);
	else if (bip->tx_len)
		rc = queue_send(card);
	else if (bip->state == BIP_CLOSING)
		rc = queue_close(card, bip->chan, 1);
	else if (bip->want_status)
		rc = queue_status(card);
	if (rc == EUM_ERR_STATE)
		eum_log(card, EUM_LOG_DEBUG, "BIP: proactive queue full, next command after this APDU");
	else if (rc != EUM_OK)
		eum_log(card, EUM_LOG_ERROR, "BIP: command not queued (%s)", eum_strerror(rc));
}

/* ---- OPEN CHANNEL ------------------------------------------------------------------------- */

/* OPEN CHANNEL with SET UP EVENT LIST first, TS 102 223 §6.4.27 / §6.4.16 (bip.h) */
int eum_bip_open(struct eum_card *card, const uint8_t *conn, size_t len, const struct eum_bip_user *user)
{
	uint8_t tlvs[252], events[EUM_CAT_EVENTS_MAX]; /* D0 81 L + 252 = the longest proactive command */
	struct eum_buf b;
	struct eum_bip *bip;
	size_t n_events, need;
	uint16_t asked = 0;
	int rc;

	if (!card || (len && !conn) || !user)
		return EUM_ERR_INVALID_ARG;
	if (!eum_bip_supported(card)) {
		eum_log(card, EUM_LOG_INFO, "BIP: the terminal profile does not announce a TCP client channel");
		return EUM_ERR_UNSUPPORTED;
	}
	if (card->bip)
		return EUM_ERR_STATE;
	eum_buf_init(&b, tlvs, sizeof(tlvs));
	rc = eum_bip_build_open(card, conn, len, &b, &asked);
	if (rc != EUM_OK)
		return rc;

	/* §6.6.16: the new list replaces the old one, so it keeps the events already asked for */
	n_events = card->cat->n_events;
	memcpy(events, card->cat->events, n_events);
	need = 0;
	if (!memchr(events, EUM_CAT_EVENT_DATA_AVAILABLE, n_events))
		need++;
	if (!memchr(events, EUM_CAT_EVENT_CHANNEL_STATUS, n_events))
		need++;
	if (n_events + need > EUM_CAT_EVENTS_MAX)
		return EUM_ERR_STATE;
	if (eum_cat_queue_space(card) < 1 + (need != 0)) {
		eum_log(card, EUM_LOG_INFO, "BIP: no room in the proactive queue for OPEN CHANNEL");
		return EUM_ERR_STATE;
	}
	bip = calloc(1, sizeof(*bip));
	if (!bip)
		return EUM_ERR_NO_MEMORY;
	if (need) {
		if (!memchr(events, EUM_CAT_EVENT_DATA_AVAILABLE, n_events))
			events[n_events++] = EUM_CAT_EVENT_DATA_AVAILABLE;
		if (!memchr(events, EUM_CAT_EVENT_CHANNEL_STATUS, n_events))
			events[n_events++] = EUM_CAT_EVENT_CHANNEL_STATUS;
		rc = eum_cat_set_up_event_list(card, events, n_events);
		if (rc != EUM_OK) {
			free(bip);
			return rc;
		}
	}
	card->bip = bip;
	bip->user = *user;
	bip->state = BIP_OPENING;
	bip->buf_size = asked;
	rc = queue(card, &b, 1);
	if (rc != EUM_OK) {
		eum_bip_free(card);
		return rc == EUM_ERR_STATE ? EUM_ERR_STATE : EUM_ERR_PARSE;
	}
	eum_log(card, EUM_LOG_INFO, "BIP: OPEN CHANNEL queued (buffer %u)", asked);
	return EUM_OK;
}

/* ---- the user's calls (bip.h) -------------------------------------------------------------- */

/* Data for SEND DATA, TS 102 223 §6.4.30 (bip.h) */
int eum_bip_send(struct eum_card *card, const uint8_t *data, size_t len)
{
	struct eum_bip *bip = card ? card->bip : NULL;

	if (!bip || bip->state != BIP_OPEN)
		return EUM_ERR_STATE;
	if (len && !data)
		return EUM_ERR_INVALID_ARG;
	if (len > EUM_BIP_TX_MAX - bip->tx_len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	if (len == 0)
		return EUM_OK;
	memcpy(bip->tx + bip->tx_len, data, len);
	bip->tx_len += len;
	pump(card);
	return EUM_OK;
}

/* Data received by RECEIVE DATA, TS 102 223 §6.4.29 (bip.h) */
size_t eum_bip_recv(struct eum_card *card, uint8_t *buf, size_t cap)
{
	struct eum_bip *bip = card ? card->bip : NULL;
	size_t n;

	if (!bip || !buf)
		return 0;
	n = bip->rx_len < cap ? bip->rx_len : cap;
	if (n == 0)
		return 0;
	memcpy(buf, bip->rx, n);
	memmove(bip->rx, bip->rx + n, bip->rx_len - n);
	eum_wipe(bip->rx + bip->rx_len - n, n);
	bip->rx_len -= n;
	pump(card); /* room again: the terminal may hold more */
	return n;
}

/* Rx buffer fill (bip.h) */
size_t eum_bip_rx_avail(const struct eum_card *card)
{
	return card && card->bip ? card->bip->rx_len : 0;
}

/* Tx data not yet acknowledged by a SEND DATA (bip.h) */
size_t eum_bip_tx_pending(const struct eum_card *card)
{
	return card && card->bip ? card->bip->tx_len : 0;
}

/* CLOSE CHANNEL after the Tx data, TS 102 223 §6.4.28 (bip.h) */
int eum_bip_close(struct eum_card *card)
{
	struct eum_bip *bip = card ? card->bip : NULL;

	if (!bip || bip->state == BIP_CLOSED)
		return EUM_ERR_STATE;
	if (bip->state == BIP_OPENING) {
		bip->close_asked = 1; /* closed as soon as the terminal says it is open */
		return EUM_OK;
	}
	if (bip->state == BIP_OPEN) {
		bip->state = BIP_CLOSING;
		bip->peer_left = 0;
	}
	pump(card);
	return EUM_OK;
}

/* A channel exists (bip.h) */
int eum_bip_active(const struct eum_card *card)
{
	return card && card->bip;
}

/* ---- TERMINAL RESPONSE (TS 102 223 §6.8) ----------------------------------------------------- */

/* TS 102 223 §6.8: the TERMINAL RESPONSE's command details name the BIP command in flight. */
static int ours(const struct eum_bip *bip, uint8_t type, const uint8_t *tr, size_t len)
{
	struct eum_tlv d;

	return bip && bip->cmd_type == type && eum_ctlv_find(tr, len, CT_COMMAND_DETAILS, &d) == EUM_TLV_OK &&
	       d.len == 3 && d.val[0] == bip->cmd_number;
}

/* Checks of a BIP TERMINAL RESPONSE before it ends its command, TS 102 223 §6.8 with §8.54-§8.56
 * (see bip.h): every TLV well formed (B6 length BER), the channel status of OPEN CHANNEL naming a
 * channel the terminal has, lengths of the data objects. */
int eum_bip_check_terminal_response(const struct eum_card *card, uint8_t type, uint8_t general, const uint8_t *tr,
                                    size_t len)
{
	const struct eum_bip *bip = card->bip;
	struct eum_tlv_reader r;
	struct eum_tlv t;
	unsigned chans;
	int rc;

	eum_tlv_reader_init(&r, tr, len);
	while ((rc = eum_ctlv_next(&r, &t)) == EUM_TLV_OK) {
		if ((t.tag == CT_CHANNEL_DATA_LEN && t.len != 1) || (t.tag == CT_CHANNEL_STATUS && t.len != 2) ||
		    (t.tag == CT_BUFFER_SIZE && t.len != 2)) {
			eum_log(card, EUM_LOG_INFO, "BIP: TERMINAL RESPONSE %02X: data object %02X of %zu bytes", type,
			        (unsigned)t.tag, t.len);
			return EUM_ERR_PARSE;
		}
	}
	if (rc != EUM_TLV_END) {
		eum_log(card, EUM_LOG_INFO, "BIP: TERMINAL RESPONSE %02X malformed (truncated data object)", type);
		return EUM_ERR_PARSE;
	}
	if (!ours(bip, type, tr, len) || general > RESULT_PERFORMED_MAX || type != TYPE_OPEN_CHANNEL)
		return EUM_OK;
	/* §6.4.27: a channel opened names its identifier, one of the terminal's channels (§5.2 byte 13) */
	chans = card->cat->tp[12] >> 5;
	if (eum_ctlv_find(tr, len, CT_CHANNEL_STATUS, &t) != EUM_TLV_OK || (t.val[0] & STATUS_CHANNEL_MASK) == 0 ||
	    (t.val[0] & STATUS_CHANNEL_MASK) > chans) {
		eum_log(card, EUM_LOG_INFO, "BIP: OPEN CHANNEL performed without a valid channel identifier");
		return EUM_ERR_PARSE;
	}
	if (eum_ctlv_find(tr, len, CT_BUFFER_SIZE, &t) == EUM_TLV_OK && (t.val[0] | t.val[1]) == 0) {
		eum_log(card, EUM_LOG_INFO, "BIP: OPEN CHANNEL performed with buffer size 0");
		return EUM_ERR_PARSE;
	}
	return EUM_OK;
}

/* The terminal failed a SEND/RECEIVE DATA: the channel is given up (bip.h EUM_BIP_CLOSED) and,
 * unless the terminal says it has none, released (§8.12.11). */
static void fail_channel(struct eum_card *card, const char *what, uint8_t general, uint8_t info)
{
	eum_log(card, EUM_LOG_INFO, "BIP: %s failed (result %02X %02X): channel %u closed", what, general, info,
	        card->bip->chan);
	if (!(general == RESULT_BIP_ERROR &&
	      (info == BIP_NO_CHANNEL || info == BIP_CHANNEL_CLOSED || info == BIP_BAD_CHANNEL_ID)))
		release(card, card->bip->chan);
	end(card, general, info);
}

/* TERMINAL RESPONSE to OPEN CHANNEL, TS 102 223 §6.4.27 (buffer size §8.55, channel status §8.56) */
static void on_open(struct eum_card *card, uint8_t general, uint8_t info, const uint8_t *tr, size_t len)
{
	struct eum_bip *bip = card->bip;
	struct eum_tlv t;

	if (general > RESULT_PERFORMED_MAX) {
		eum_log(card, EUM_LOG_INFO, "BIP: OPEN CHANNEL refused (result %02X %02X)", general, info);
		bip->state = BIP_CLOSED;
		tell(card, EUM_BIP_OPEN_FAILED, general, info);
		eum_bip_free(card);
		return;
	}
	/* presence and range checked by eum_bip_check_terminal_response() */
	if (eum_ctlv_find(tr, len, CT_CHANNEL_STATUS, &t) == EUM_TLV_OK)
		bip->chan = t.val[0] & STATUS_CHANNEL_MASK;
	/* result 07 "performed with modification": a smaller buffer; never more than asked */
	if (eum_ctlv_find(tr, len, CT_BUFFER_SIZE, &t) == EUM_TLV_OK) {
		uint16_t got = (uint16_t)(t.val[0] << 8 | t.val[1]);
		if (got < bip->buf_size)
			bip->buf_size = got;
	}
	eum_log(card, EUM_LOG_INFO, "BIP: channel %u open (buffer %u, result %02X)", bip->chan, bip->buf_size, general);
	if (bip->close_asked) {
		bip->state = BIP_CLOSING;
		return;
	}
	bip->state = BIP_OPEN;
	tell(card, EUM_BIP_OPENED, general, info);
}

/* TERMINAL RESPONSE to SEND DATA, TS 102 223 §6.4.30 */
static void on_send(struct eum_card *card, uint8_t general, uint8_t info)
{
	struct eum_bip *bip = card->bip;
	size_t n = bip->cmd_len;

	if (general > RESULT_PERFORMED_MAX) {
		fail_channel(card, "SEND DATA", general, info);
		return;
	}
	memmove(bip->tx, bip->tx + n, bip->tx_len - n);
	eum_wipe(bip->tx + bip->tx_len - n, n);
	bip->tx_len -= n;
	bip->stored = bip->cmd_qualifier == SEND_NOW ? 0 : bip->stored + n;
	if (bip->tx_len == 0 && bip->state == BIP_OPEN)
		tell(card, EUM_BIP_SENT, general, info);
}

/* TERMINAL RESPONSE to RECEIVE DATA, TS 102 223 §6.4.29 (channel data §8.53, length §8.54) */
static void on_receive(struct eum_card *card, uint8_t general, uint8_t info, const uint8_t *tr, size_t len)
{
	struct eum_bip *bip = card->bip;
	struct eum_tlv data, left;
	size_t n = 0;

	if (general > RESULT_PERFORMED_MAX) {
		fail_channel(card, "RECEIVE DATA", general, info);
		return;
	}
	if (eum_ctlv_find(tr, len, CT_CHANNEL_DATA, &data) == EUM_TLV_OK)
		n = data.len;
	if (n > bip->cmd_len || n > EUM_BIP_RX_MAX - bip->rx_len) {
		/* the stream is broken: none of it is taken, the channel is closed */
		eum_log(card, EUM_LOG_INFO,
		        "BIP: RECEIVE DATA gave %zu bytes for %u asked: data refused, channel %u closed", n,
		        bip->cmd_len, bip->chan);
		bip->state = BIP_CLOSING;
		bip->peer_left = 0;
		eum_wipe(bip->tx, bip->tx_len);
		bip->tx_len = 0;
		return;
	}
	if (n)
		memcpy(bip->rx + bip->rx_len, data.val, n);
	bip->rx_len += n;
	bip->peer_left = eum_ctlv_find(tr, len, CT_CHANNEL_DATA_LEN, &left) == EUM_TLV_OK ? left.val[0] : 0;
	if (n && bip->state == BIP_OPEN)
		tell(card, EUM_BIP_DATA, general, info);
}

/* TERMINAL RESPONSE to GET CHANNEL STATUS, TS 102 223 §6.4.31: one channel status per channel */
static void on_status(struct eum_card *card, const uint8_t *tr, size_t len)
{
	struct eum_bip *bip = card->bip;
	struct eum_tlv_reader r;
	struct eum_tlv t;

	eum_tlv_reader_init(&r, tr, len);
	while (eum_ctlv_next(&r, &t) == EUM_TLV_OK)
		if (t.tag == CT_CHANNEL_STATUS && (t.val[0] & STATUS_CHANNEL_MASK) == bip->chan &&
		    (t.val[0] & STATUS_LINK_UP))
			return;
	eum_log(card, EUM_LOG_INFO, "BIP: GET CHANNEL STATUS: channel %u is not established", bip->chan);
	end(card, 0x00, BIP_CHANNEL_CLOSED);
}

/* A final TERMINAL RESPONSE of a BIP command, TS 102 223 §6.8 (bip.h, called by cat.c) */
void eum_bip_on_terminal_response(struct eum_card *card, uint8_t type, uint8_t general, const uint8_t *tr, size_t len)
{
	struct eum_bip *bip = card->bip;
	struct eum_tlv res;
	uint8_t info = 0;

	if (!ours(bip, type, tr, len)) {
		eum_log(card, EUM_LOG_DEBUG, "BIP: TERMINAL RESPONSE %02X for no command in flight", type);
		return;
	}
	if (eum_ctlv_find(tr, len, CT_RESULT, &res) == EUM_TLV_OK && res.len > 1)
		info = res.val[1];
	bip->cmd_type = 0;
	switch (type) {
	case TYPE_OPEN_CHANNEL:
		on_open(card, general, info, tr, len);
		break;
	case TYPE_SEND_DATA:
		on_send(card, general, info);
		break;
	case TYPE_RECEIVE_DATA:
		on_receive(card, general, info, tr, len);
		break;
	case TYPE_CLOSE_CHANNEL:
		eum_log(card, EUM_LOG_INFO, "BIP: channel %u closed (result %02X)", bip->chan, general);
		end(card, general, info);
		break;
	case TYPE_GET_CHANNEL_STATUS:
		if (general <= RESULT_PERFORMED_MAX)
			on_status(card, tr, len);
		break;
	default:
		break;
	}
	pump(card);
}

/* ---- events (TS 102 223 §7.5) --------------------------------------------------------------- */

/* Data available event, TS 102 223 §7.5.10 (bip.h, called by envelope.c) */
void eum_bip_on_data_available(struct eum_card *card, const uint8_t chan_status[2], uint8_t len)
{
	struct eum_bip *bip = card->bip;

	if (!bip || bip->state != BIP_OPEN)
		return;
	if ((chan_status[0] & STATUS_CHANNEL_MASK) != bip->chan) {
		/* another channel than ours: ask the terminal how ours is */
		eum_log(card, EUM_LOG_INFO, "BIP: data available on channel %u, ours is %u", chan_status[0] & 0x07,
		        bip->chan);
		bip->want_status = 1;
	} else {
		bip->peer_left = len;
	}
	pump(card);
}

/* Channel status event, TS 102 223 §7.5.11 with §8.56 (bip.h, called by envelope.c) */
void eum_bip_on_channel_status(struct eum_card *card, const uint8_t chan_status[2])
{
	struct eum_bip *bip = card->bip;
	int in_flight_close;

	if (!bip || bip->state == BIP_OPENING || (chan_status[0] & STATUS_CHANNEL_MASK) != bip->chan)
		return;
	if ((chan_status[0] & STATUS_LINK_UP) && chan_status[1] != STATUS_LINK_DROPPED)
		return;
	eum_log(card, EUM_LOG_INFO, "BIP: channel %u %s", bip->chan,
	        chan_status[1] == STATUS_LINK_DROPPED ? "link dropped" : "closed by the terminal");
	/* a command not fetched yet never goes out; a fetched one's TERMINAL RESPONSE finds no state */
	in_flight_close = bip->cmd_type == TYPE_CLOSE_CHANNEL;
	if (bip->cmd_type && eum_cat_cancel(card, bip->cmd_number) == EUM_OK)
		in_flight_close = 0;
	/* §8.56: a dropped link keeps its channel until the UICC closes it */
	if (chan_status[1] == STATUS_LINK_DROPPED && !in_flight_close)
		release(card, bip->chan);
	end(card, 0x00, chan_status[1]);
}

/* ---- card life (observers in src/card/card.c) ---------------------------------------------- */

/* After each APDU (bip.h): a command dropped with its APDU (failed commit, 6581) ends the channel;
 * otherwise queue what waited for room in the proactive queue. */
void eum_bip_after_apdu(struct eum_card *card)
{
	struct eum_bip *bip = card->bip;

	if (!bip)
		return;
	if (bip->cmd_type && !eum_cat_queued(card, bip->cmd_number, bip->cmd_type)) {
		eum_log(card, EUM_LOG_INFO, "BIP: command %02X dropped with its APDU: channel given up", bip->cmd_type);
		if (bip->state != BIP_OPENING) /* the terminal holds the channel (a lost CLOSE too) */
			release(card, bip->chan);
		end(card, 0x00, 0x00);
		return;
	}
	pump(card);
}

/* Reset / power-off, TS 102 221 §6.2 (bip.h): no channel survives the card session. */
void eum_bip_reset(struct eum_card *card)
{
	struct eum_bip *bip = card->bip;

	if (!bip)
		return;
	/* a warm reset keeps the proactive queue: the command in flight must not go out */
	if (bip->cmd_type)
		(void)eum_cat_cancel(card, bip->cmd_number);
	eum_log(card, EUM_LOG_INFO, "BIP: channel ended by reset");
	end(card, 0x00, 0x00);
}
