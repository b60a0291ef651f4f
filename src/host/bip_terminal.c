/*
 * libeum-host, the terminal's side of the Bearer Independent Protocol (ETSI TS 102 223 §6.4.27
 * OPEN CHANNEL, §6.4.28 CLOSE CHANNEL, §6.4.29 RECEIVE DATA, §6.4.30 SEND DATA, §6.4.31 GET
 * CHANNEL STATUS, §6.4.16 SET UP EVENT LIST, §7.5.10/§7.5.11 data available / channel status
 * events, §8.52-§8.59 BIP data objects; formats of digest scp81-https.md §2). Written independently
 * of the card's src/cat (it is the other side of the tests).
 */
#include "eum/host/bip.h"

#include <stdio.h>
#include <string.h>

#include "host_wr.h"

/* COMPREHENSION-TLV tags without the CR bit (TS 102 223 §9.3). */
enum {
	T_CMD_DETAILS = 0x01,
	T_DEVICE_IDS = 0x02,
	T_RESULT = 0x03,
	T_TEXT_STRING = 0x0D,
	T_EVENT_LIST = 0x19,
	T_BEARER = 0x35,
	T_CHANNEL_DATA = 0x36,
	T_CHANNEL_DATA_LEN = 0x37,
	T_CHANNEL_STATUS = 0x38,
	T_BUFFER_SIZE = 0x39,
	T_TRANSPORT = 0x3C,
	T_OTHER_ADDRESS = 0x3E,
	T_NAN = 0x47,
};

/* Device identities (TS 102 223 §8.7). */
#define DEV_UICC     0x81
#define DEV_TERMINAL 0x82
#define DEV_CHANNEL1 0x21

/* General results (TS 102 223 §8.12). */
#define RES_OK             0x00
#define RES_MISSING_INFO   0x02
#define RES_MODIFIED       0x07
#define RES_BEYOND_CAPS    0x30
#define RES_NOT_UNDERSTOOD 0x32
#define RES_VALUES_MISSING 0x36
#define RES_BIP_ERROR      0x3A

/* One COMPREHENSION-TLV (TS 102 223 Annex C): 1-byte tag (the 7F three-byte form is not used by
 * BIP), length 00-7F or 81 80-FF. */
static int rd_ctlv(const uint8_t **p, size_t *left, uint8_t *tag, const uint8_t **val, size_t *vlen)
{
	size_t h = 2, n;

	if (*left < 2 || (*p)[0] == 0x00 || (*p)[0] == 0xFF || (*p)[0] == 0x7F)
		return EUM_ERR_PARSE;
	*tag = (uint8_t)((*p)[0] & 0x7F);
	n = (*p)[1];
	if (n == 0x81) {
		if (*left < 3 || (*p)[2] < 0x80)
			return EUM_ERR_PARSE;
		n = (*p)[2];
		h = 3;
	} else if (n > 0x7F) {
		return EUM_ERR_PARSE;
	}
	if (n > *left - h)
		return EUM_ERR_PARSE;
	*val = *p + h;
	*vlen = n;
	*p += h + n;
	*left -= h + n;
	return EUM_OK;
}

void eum_host_bip_init(struct eum_host_bip_terminal *t, uint16_t buffer_cap)
{
	if (!t)
		return;
	memset(t, 0, sizeof(*t));
	t->buffer_cap = buffer_cap == 0 || buffer_cap > EUM_HOST_BIP_BUFFER_MAX ? EUM_HOST_BIP_BUFFER_MAX : buffer_cap;
	t->cr = 1;
	t->state = EUM_HOST_BIP_CLOSED;
}

const char *eum_host_bip_what_name(enum eum_host_bip_what what)
{
	static const char *const names[EUM_HOST_BIP_WHAT_NUM] = {"not BIP", "reply", "connect", "send", "close"};

	return (unsigned)what < EUM_HOST_BIP_WHAT_NUM ? names[what] : "?";
}

void eum_host_bip_channel_status(const struct eum_host_bip_terminal *t, uint8_t status[2])
{
	/* TS 102 223 §8.56: byte 1 b8 link established, b3-b1 channel id; byte 2 05 = link dropped */
	status[0] = status[1] = 0x00;
	if (!t)
		return;
	switch (t->state) {
	case EUM_HOST_BIP_OPEN:
		status[0] = 0x80 | EUM_HOST_BIP_CHANNEL_ID;
		break;
	case EUM_HOST_BIP_OPENING:
		status[0] = EUM_HOST_BIP_CHANNEL_ID;
		break;
	case EUM_HOST_BIP_DROPPED:
		status[0] = EUM_HOST_BIP_CHANNEL_ID;
		status[1] = 0x05;
		break;
	default:
		break;
	}
}

/* A refusal decided while decoding: the TERMINAL RESPONSE carries it whatever the caller reports. */
static void refuse(struct eum_host_bip_action *a, uint8_t result, uint8_t info)
{
	a->what = EUM_HOST_BIP_REPLY;
	a->result = result;
	a->info = info;
}

/* Network access name (TS 102 223 §8.70, TS 23.003 §9.1 labels) as dotted text; 0 when malformed. */
static int apn_text(const uint8_t *v, size_t n, char *out, size_t cap)
{
	size_t i = 0, k = 0;

	while (i < n) {
		size_t l = v[i++];
		if (l == 0 || l > n - i || k + l + 2 > cap)
			return 0;
		if (k)
			out[k++] = '.';
		memcpy(out + k, v + i, l);
		k += l;
		i += l;
	}
	out[k] = '\0';
	return 1;
}

/* OPEN CHANNEL, UICC in client mode, packet data service (TS 102 223 §6.4.27.5, §6.6.27). */
static void decode_open(struct eum_host_bip_terminal *t, struct eum_host_bip_action *a, const uint8_t *p, size_t left)
{
	int have_bearer = 0, have_buffer = 0, have_transport = 0, have_addr = 0, bad = 0;
	uint8_t tag;
	const uint8_t *v;
	size_t vl;

	while (left && !bad) {
		if (rd_ctlv(&p, &left, &tag, &v, &vl)) {
			bad = 1;
			break;
		}
		switch (tag) {
		case T_BEARER: /* §8.52 */
			if (vl < 1 || vl > sizeof(a->bearer)) {
				bad = 1;
				break;
			}
			memcpy(a->bearer, v, vl);
			a->bearer_len = vl;
			have_bearer = 1;
			break;
		case T_BUFFER_SIZE: /* §8.55 */
			if (vl != 2) {
				bad = 1;
				break;
			}
			a->buffer_asked = (uint16_t)(v[0] << 8 | v[1]);
			have_buffer = 1;
			break;
		case T_NAN: /* §8.70 */
			if (!apn_text(v, vl, a->apn, sizeof(a->apn)))
				bad = 1;
			break;
		case T_TEXT_STRING: /* §8.15: user login, then user password */
			if (!a->login) {
				a->login = v;
				a->login_len = vl;
			} else if (!a->password) {
				a->password = v;
				a->password_len = vl;
			}
			break;
		case T_TRANSPORT: /* §8.59 */
			if (vl != 3) {
				bad = 1;
				break;
			}
			a->transport = v[0];
			a->port = (uint16_t)(v[1] << 8 | v[2]);
			have_transport = 1;
			break;
		case T_OTHER_ADDRESS: /* §8.58: before the transport level the local address, after it the destination
		                       */
			if (!have_transport)
				break;
			if (vl == 5 && v[0] == 0x21) {
				snprintf(a->addr_text, sizeof(a->addr_text), "%u.%u.%u.%u", v[1], v[2], v[3], v[4]);
			} else if (vl == 17 && v[0] == 0x57) {
				size_t i, k = 0;
				for (i = 0; i < 16; i += 2)
					k += (size_t)snprintf(a->addr_text + k, sizeof(a->addr_text) - k, "%s%x",
					                      i ? ":" : "", (unsigned)(v[1 + i] << 8 | v[2 + i]));
			} else {
				a->addr_type = vl ? v[0] : 0;
				have_addr = -1;
				break;
			}
			a->addr_type = v[0];
			a->addr_len = vl - 1;
			memcpy(a->addr, v + 1, vl - 1);
			have_addr = 1;
			break;
		default: /* alpha identifier 05, icon 1E, ...: nothing for the terminal to do */
			break;
		}
	}
	a->buffer_granted = a->buffer_asked < t->buffer_cap ? a->buffer_asked : t->buffer_cap;
	if (bad)
		return refuse(a, RES_NOT_UNDERSTOOD, 0);
	if (!have_bearer || !have_buffer || !have_transport || !have_addr)
		return refuse(a, RES_VALUES_MISSING, 0);
	if ((a->transport != 0x01 && a->transport != 0x02) || have_addr < 0)
		return refuse(a, RES_BEYOND_CAPS, 0);
	if (t->state != EUM_HOST_BIP_CLOSED)
		return refuse(a, RES_BIP_ERROR, 0x01);
	if (a->buffer_granted == 0)
		return refuse(a, RES_BIP_ERROR, 0x04);
	/* [IMPL] an on-demand link (qualifier b1 = 0) is set up at once too; DNS (b4) is not offered */
	a->what = EUM_HOST_BIP_CONNECT;
	a->result = a->buffer_granted < a->buffer_asked ? RES_MODIFIED : RES_OK;
	t->state = EUM_HOST_BIP_OPENING;
}

/* The channel a SEND/RECEIVE DATA or CLOSE CHANNEL names (device identities destination 21-27). */
static int channel_ok(const struct eum_host_bip_terminal *t, struct eum_host_bip_action *a, uint8_t dest)
{
	if (dest != DEV_CHANNEL1 || t->state == EUM_HOST_BIP_CLOSED || t->state == EUM_HOST_BIP_OPENING) {
		refuse(a, RES_BIP_ERROR, 0x03);
		return 0;
	}
	return 1;
}

/* SEND DATA (§6.4.30): qualifier b1 = 0 store in the Tx buffer, 1 send immediately. */
static void decode_send(struct eum_host_bip_terminal *t, struct eum_host_bip_action *a, uint8_t dest, const uint8_t *p,
                        size_t left)
{
	const uint8_t *data = NULL, *v;
	size_t n = 0, vl;
	uint8_t tag;

	while (left) {
		if (rd_ctlv(&p, &left, &tag, &v, &vl))
			return refuse(a, RES_NOT_UNDERSTOOD, 0);
		if (tag == T_CHANNEL_DATA && !data) {
			data = v;
			n = vl;
		}
	}
	if (!data)
		return refuse(a, RES_VALUES_MISSING, 0);
	if (!channel_ok(t, a, dest))
		return;
	if (t->state == EUM_HOST_BIP_DROPPED)
		return refuse(a, RES_BIP_ERROR, 0x02);
	if (n > t->buffer - t->tx_len)
		return refuse(a, RES_BIP_ERROR, 0x00);
	memcpy(t->tx + t->tx_len, data, n);
	t->tx_len += n;
	a->result = RES_OK;
	if (a->qualifier & 0x01) {
		a->what = EUM_HOST_BIP_SEND;
		a->data = t->tx;
		a->len = t->tx_len;
	} else {
		a->what = EUM_HOST_BIP_REPLY;
	}
}

/* RECEIVE DATA (§6.4.29): channel data length = bytes the card asks for. */
static void decode_receive(struct eum_host_bip_terminal *t, struct eum_host_bip_action *a, uint8_t dest,
                           const uint8_t *p, size_t left)
{
	const uint8_t *v;
	size_t vl;
	uint8_t tag;
	int have = 0;

	while (left) {
		if (rd_ctlv(&p, &left, &tag, &v, &vl))
			return refuse(a, RES_NOT_UNDERSTOOD, 0);
		if (tag == T_CHANNEL_DATA_LEN && vl == 1 && !have) {
			a->len = v[0];
			have = 1;
		}
	}
	if (!have)
		return refuse(a, RES_VALUES_MISSING, 0);
	if (!channel_ok(t, a, dest))
		return;
	if (t->state == EUM_HOST_BIP_DROPPED && t->rx_len == 0)
		return refuse(a, RES_BIP_ERROR, 0x02);
	a->what = EUM_HOST_BIP_REPLY;
	/* §6.4.29: fewer bytes than asked -> "performed with missing information" */
	a->result = a->len <= t->rx_len && a->len <= EUM_HOST_BIP_RECV_CLAMP ? RES_OK : RES_MISSING_INFO;
}

static void decode_event_list(struct eum_host_bip_terminal *t, struct eum_host_bip_action *a, const uint8_t *p,
                              size_t left)
{
	const uint8_t *v;
	size_t vl, i;
	uint8_t tag;
	int found = 0;

	while (left) {
		if (rd_ctlv(&p, &left, &tag, &v, &vl))
			return refuse(a, RES_NOT_UNDERSTOOD, 0);
		if (tag == T_EVENT_LIST && !found) {
			if (vl > sizeof(a->events))
				return refuse(a, RES_BEYOND_CAPS, 0);
			memcpy(a->events, v, vl);
			a->n_events = vl;
			found = 1;
		}
	}
	if (!found)
		return refuse(a, RES_VALUES_MISSING, 0);
	/* §6.4.16: the new list replaces the current one (an empty list removes them all) */
	t->sub_data_available = t->sub_channel_status = 0;
	for (i = 0; i < a->n_events; i++) {
		if (a->events[i] == EUM_HOST_BIP_EVENT_DATA_AVAILABLE)
			t->sub_data_available = 1;
		if (a->events[i] == EUM_HOST_BIP_EVENT_CHANNEL_STATUS)
			t->sub_channel_status = 1;
	}
	a->what = EUM_HOST_BIP_REPLY;
	a->result = RES_OK;
}

int eum_host_bip_fetch(struct eum_host_bip_terminal *t, const uint8_t *cmd, size_t len, struct eum_host_bip_action *act)
{
	const uint8_t *p = cmd, *body, *v;
	size_t left = len, blen, vl;
	uint8_t tag, dest = 0;
	struct eum_host_bip_action *a;

	if (!t || !cmd || !act)
		return EUM_ERR_INVALID_ARG;
	a = &t->cur;
	if (t->pending && a->what == EUM_HOST_BIP_CONNECT) /* an OPEN CHANNEL left without response */
		t->state = EUM_HOST_BIP_CLOSED;
	t->pending = 0;
	memset(a, 0, sizeof(*a));
	/* TS 102 223 §6.6: D0 L { command details, device identities, ... } (BER-TLV, length 81 xx above 7F) */
	if (left < 2 || p[0] != 0xD0)
		return EUM_ERR_PARSE;
	blen = p[1];
	body = p + 2;
	if (blen == 0x81 && left >= 3) {
		blen = p[2];
		body = p + 3;
	} else if (blen > 0x7F) {
		return EUM_ERR_PARSE;
	}
	if (blen > len - (size_t)(body - cmd))
		return EUM_ERR_PARSE;
	p = body;
	left = blen;
	if (rd_ctlv(&p, &left, &tag, &v, &vl) || tag != T_CMD_DETAILS || vl != 3)
		return EUM_ERR_PARSE;
	a->number = v[0];
	a->type = v[1];
	a->qualifier = v[2];
	switch (a->type) {
	case EUM_HOST_BIP_SET_UP_EVENT_LIST:
	case EUM_HOST_BIP_OPEN_CHANNEL:
	case EUM_HOST_BIP_CLOSE_CHANNEL:
	case EUM_HOST_BIP_RECEIVE_DATA:
	case EUM_HOST_BIP_SEND_DATA:
	case EUM_HOST_BIP_GET_CHANNEL_STATUS:
		break;
	default:
		a->what = EUM_HOST_BIP_NOT_BIP;
		*act = *a;
		return EUM_OK;
	}
	t->pending = 1;
	t->n_commands++;
	if (rd_ctlv(&p, &left, &tag, &v, &vl) || tag != T_DEVICE_IDS || vl != 2 || v[0] != DEV_UICC) {
		refuse(a, RES_NOT_UNDERSTOOD, 0);
		*act = *a;
		return EUM_OK;
	}
	dest = v[1];
	switch (a->type) {
	case EUM_HOST_BIP_SET_UP_EVENT_LIST:
		decode_event_list(t, a, p, left);
		break;
	case EUM_HOST_BIP_OPEN_CHANNEL:
		if (dest != DEV_TERMINAL)
			refuse(a, RES_NOT_UNDERSTOOD, 0);
		else
			decode_open(t, a, p, left);
		break;
	case EUM_HOST_BIP_CLOSE_CHANNEL:
		if (channel_ok(t, a, dest)) {
			a->what = EUM_HOST_BIP_CLOSE;
			a->result = RES_OK;
		}
		break;
	case EUM_HOST_BIP_RECEIVE_DATA:
		decode_receive(t, a, dest, p, left);
		break;
	case EUM_HOST_BIP_SEND_DATA:
		decode_send(t, a, dest, p, left);
		break;
	default: /* GET CHANNEL STATUS */
		a->what = EUM_HOST_BIP_REPLY;
		a->result = dest == DEV_TERMINAL ? RES_OK : RES_NOT_UNDERSTOOD;
		break;
	}
	*act = *a;
	return EUM_OK;
}

static uint8_t tg(const struct eum_host_bip_terminal *t, uint8_t tag)
{
	return t->cr ? (uint8_t)(tag | 0x80) : tag;
}

static void wr_result(struct eum_host_wr *w, const struct eum_host_bip_terminal *t, uint8_t result, uint8_t info)
{
	eum_host_wr_u8(w, tg(t, T_RESULT));
	if (result == RES_BIP_ERROR) {
		eum_host_wr_u8(w, 2);
		eum_host_wr_u8(w, result);
		eum_host_wr_u8(w, info);
	} else {
		eum_host_wr_u8(w, 1);
		eum_host_wr_u8(w, result);
	}
}

static void wr_u8_tlv(struct eum_host_wr *w, uint8_t tag, uint8_t v)
{
	eum_host_wr_u8(w, tag);
	eum_host_wr_u8(w, 1);
	eum_host_wr_u8(w, v);
}

int eum_host_bip_response(struct eum_host_bip_terminal *t, unsigned bip_error, uint8_t *apdu, size_t cap, size_t *len)
{
	struct eum_host_bip_action *a;
	struct eum_host_wr w;
	uint8_t result, info, st[2];
	size_t n = 0;

	if (!t || !apdu || !len)
		return EUM_ERR_INVALID_ARG;
	a = &t->cur;
	if (!t->pending || a->what == EUM_HOST_BIP_NOT_BIP)
		return EUM_ERR_STATE;
	if (cap < 5)
		return EUM_ERR_BUFFER_TOO_SMALL;
	result = a->result;
	info = a->info;
	w.p = apdu + 5;
	w.cap = cap - 5 < 255 ? cap - 5 : 255;
	w.len = 0;
	w.overflow = 0;
	/* TS 102 223 §6.8: command details as fetched, device identities terminal -> UICC */
	eum_host_wr_u8(&w, tg(t, T_CMD_DETAILS));
	eum_host_wr_u8(&w, 3);
	eum_host_wr_u8(&w, a->number);
	eum_host_wr_u8(&w, a->type);
	eum_host_wr_u8(&w, a->qualifier);
	eum_host_wr_u8(&w, tg(t, T_DEVICE_IDS));
	eum_host_wr_u8(&w, 2);
	eum_host_wr_u8(&w, DEV_TERMINAL);
	eum_host_wr_u8(&w, DEV_UICC);

	switch (a->what) {
	case EUM_HOST_BIP_CONNECT: /* §6.4.27: channel status, bearer description, buffer size */
		if (bip_error) {
			t->state = EUM_HOST_BIP_CLOSED;
			result = RES_BIP_ERROR;
			info = (uint8_t)bip_error;
		} else {
			t->state = EUM_HOST_BIP_OPEN;
			t->buffer = a->buffer_granted;
			memcpy(t->bearer, a->bearer, a->bearer_len);
			t->bearer_len = a->bearer_len;
			t->tx_len = t->rx_off = t->rx_len = 0;
			t->rx_signalled = t->status_due = 0;
		}
		wr_result(&w, t, result, info);
		if (!bip_error) {
			eum_host_bip_channel_status(t, st);
			eum_host_wr_tlv1(&w, tg(t, T_CHANNEL_STATUS), st, 2);
		}
		eum_host_wr_tlv1(&w, tg(t, T_BEARER), a->bearer, a->bearer_len);
		st[0] = (uint8_t)(a->buffer_granted >> 8);
		st[1] = (uint8_t)a->buffer_granted;
		eum_host_wr_tlv1(&w, tg(t, T_BUFFER_SIZE), st, 2);
		break;
	case EUM_HOST_BIP_SEND: /* §6.4.30: the Tx buffer went out (or could not) */
		t->bytes_sent += bip_error ? 0 : t->tx_len;
		t->tx_len = 0;
		if (bip_error) {
			result = RES_BIP_ERROR;
			info = (uint8_t)bip_error;
		}
		wr_result(&w, t, result, info);
		if (!bip_error)
			wr_u8_tlv(&w, tg(t, T_CHANNEL_DATA_LEN), t->buffer > 0xFF ? 0xFF : (uint8_t)t->buffer);
		break;
	case EUM_HOST_BIP_CLOSE: /* §6.4.28 */
		t->state = EUM_HOST_BIP_CLOSED;
		t->tx_len = t->rx_off = t->rx_len = 0;
		t->rx_signalled = t->status_due = 0;
		wr_result(&w, t, result, info);
		break;
	default: /* EUM_HOST_BIP_REPLY */
		wr_result(&w, t, result, info);
		if (result != RES_OK && result != RES_MISSING_INFO)
			break;
		if (a->type == EUM_HOST_BIP_SEND_DATA) {
			size_t free_tx = t->buffer - t->tx_len;
			wr_u8_tlv(&w, tg(t, T_CHANNEL_DATA_LEN), free_tx > 0xFF ? 0xFF : (uint8_t)free_tx);
		} else if (a->type == EUM_HOST_BIP_RECEIVE_DATA) {
			n = a->len < t->rx_len ? a->len : t->rx_len;
			if (n > EUM_HOST_BIP_RECV_CLAMP)
				n = EUM_HOST_BIP_RECV_CLAMP;
			/* §8.53: the channel data length is BER (B6 81 xx above 127) */
			eum_host_wr_tlv1(&w, tg(t, T_CHANNEL_DATA), t->rx + t->rx_off, n);
			wr_u8_tlv(&w, tg(t, T_CHANNEL_DATA_LEN),
			          t->rx_len - n > 0xFF ? 0xFF : (uint8_t)(t->rx_len - n));
		} else if (a->type == EUM_HOST_BIP_GET_CHANNEL_STATUS) {
			eum_host_bip_channel_status(t, st);
			eum_host_wr_tlv1(&w, tg(t, T_CHANNEL_STATUS), st, 2);
		}
		break;
	}
	if (w.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	if (n) { /* the bytes leave the Rx buffer only with a response that carries them */
		t->rx_off += n;
		t->rx_len -= n;
		t->bytes_recv += n;
		if (!t->rx_len) {
			t->rx_off = 0;
			t->rx_signalled = 0;
		}
	}
	apdu[0] = 0x80;
	apdu[1] = 0x14;
	apdu[2] = apdu[3] = 0x00;
	apdu[4] = (uint8_t)w.len;
	*len = 5 + w.len;
	t->pending = 0;
	return EUM_OK;
}

size_t eum_host_bip_rx_room(const struct eum_host_bip_terminal *t)
{
	if (!t || t->state != EUM_HOST_BIP_OPEN)
		return 0;
	return t->buffer - t->rx_len;
}

int eum_host_bip_received(struct eum_host_bip_terminal *t, const uint8_t *data, size_t n)
{
	if (!t || (!data && n))
		return EUM_ERR_INVALID_ARG;
	if (t->state != EUM_HOST_BIP_OPEN)
		return EUM_ERR_STATE;
	if (n > eum_host_bip_rx_room(t))
		return EUM_ERR_BUFFER_TOO_SMALL;
	if (t->rx_off + t->rx_len + n > sizeof(t->rx)) {
		memmove(t->rx, t->rx + t->rx_off, t->rx_len);
		t->rx_off = 0;
	}
	if (n)
		memcpy(t->rx + t->rx_off + t->rx_len, data, n);
	t->rx_len += n;
	return EUM_OK;
}

int eum_host_bip_link_dropped(struct eum_host_bip_terminal *t)
{
	if (!t)
		return EUM_ERR_INVALID_ARG;
	if (t->state != EUM_HOST_BIP_OPEN)
		return EUM_ERR_STATE;
	t->state = EUM_HOST_BIP_DROPPED;
	t->tx_len = 0;
	t->status_due = t->sub_channel_status;
	return EUM_OK;
}

/* ENVELOPE (event download, TS 102 223 §7.5): D6 { 99 01 event, 82 02 82 81 (terminal -> UICC),
 * B8 02 channel status, extra TLVs } */
static int event_envelope(uint8_t event, const uint8_t st[2], const uint8_t *extra, size_t extra_len, uint8_t *apdu,
                          size_t cap, size_t *len)
{
	size_t body = 3 + 4 + 4 + extra_len, n = 0;

	if (cap < 5 + 2 + body)
		return EUM_ERR_BUFFER_TOO_SMALL;
	apdu[n++] = 0x80;
	apdu[n++] = 0xC2;
	apdu[n++] = 0x00;
	apdu[n++] = 0x00;
	apdu[n++] = (uint8_t)(2 + body);
	apdu[n++] = 0xD6;
	apdu[n++] = (uint8_t)body;
	apdu[n++] = 0x99;
	apdu[n++] = 0x01;
	apdu[n++] = event;
	apdu[n++] = 0x82;
	apdu[n++] = 0x02;
	apdu[n++] = 0x82;
	apdu[n++] = 0x81;
	apdu[n++] = 0xB8;
	apdu[n++] = 0x02;
	apdu[n++] = st[0];
	apdu[n++] = st[1];
	if (extra_len)
		memcpy(apdu + n, extra, extra_len);
	*len = n + extra_len;
	return EUM_OK;
}

int eum_host_bip_event(struct eum_host_bip_terminal *t, uint8_t *apdu, size_t cap, size_t *len)
{
	uint8_t st[2];
	int rc;

	if (!t || !apdu || !len)
		return EUM_ERR_INVALID_ARG;
	eum_host_bip_channel_status(t, st);
	if (t->sub_data_available && t->rx_len && !t->rx_signalled &&
	    (t->state == EUM_HOST_BIP_OPEN || t->state == EUM_HOST_BIP_DROPPED)) {
		/* §7.5.10 data available: event 09, channel status, channel data length (FF = 255 or more) */
		const uint8_t length[3] = {0xB7, 0x01, t->rx_len > 0xFF ? 0xFF : (uint8_t)t->rx_len};
		rc = event_envelope(0x09, st, length, sizeof(length), apdu, cap, len);
		if (rc != EUM_OK)
			return rc;
		t->rx_signalled = 1;
		t->n_events++;
		return EUM_OK;
	}
	if (t->status_due && (t->rx_len == 0 || !t->sub_data_available)) {
		/* §7.5.11 channel status: event 0A, channel status */
		rc = event_envelope(0x0A, st, NULL, 0, apdu, cap, len);
		if (rc != EUM_OK)
			return rc;
		t->status_due = 0;
		t->n_events++;
		return EUM_OK;
	}
	return EUM_ERR_NOT_FOUND;
}

int eum_host_bip_profile(const uint8_t *base, size_t base_len, uint8_t *apdu, size_t cap, size_t *len)
{
	/* TS 102 223 §5.2, counted from 1 (digest §2.1) */
	static const unsigned bits[] = {33, 43, 44, 89, 90, 91, 92, 93, 98, 129, 130};
	uint8_t tp[32];
	size_t n, i;

	if ((!base && base_len) || base_len > sizeof(tp) || !apdu || !len)
		return EUM_ERR_INVALID_ARG;
	memset(tp, 0, sizeof(tp));
	if (base_len)
		memcpy(tp, base, base_len);
	n = base_len < 17 ? 17 : base_len;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		tp[(bits[i] - 1) / 8] |= (uint8_t)(1u << ((bits[i] - 1) % 8));
	tp[12] = (uint8_t)((tp[12] & 0x1F) | 0x20); /* byte 13 b8-b6: number of channels = 1 */
	if (cap < 5 + n)
		return EUM_ERR_BUFFER_TOO_SMALL;
	apdu[0] = 0x80;
	apdu[1] = 0x10;
	apdu[2] = apdu[3] = 0x00;
	apdu[4] = (uint8_t)n;
	memcpy(apdu + 5, tp, n);
	*len = 5 + n;
	return EUM_OK;
}
