/*
 * OPEN CHANNEL, ETSI TS 102 223 §6.6.27, for the card's TCP client channel (bip.c): the
 * connection parameters of an SCP81 trigger (GP Amd B, the OPEN CHANNEL COMPREHENSION-TLVs with
 * or without the CR bit, spec digest scp81-https.md §1.2) checked and placed in the clause's
 * order, with the defaults of digest §2.3 / §2.9.
 */
#include "cat/bip_open.h"

#include <string.h>

#include "cat/bip.h"

/* TS 102 223 §9.4 type of command, §8.6 qualifier: b1 immediate link, b2 automatic reconnection. */
#define TYPE_OPEN_CHANNEL 0x40
#define OPEN_QUALIFIER    0x03
/* §8.7 device identities. */
#define DEV_UICC     0x81
#define DEV_TERMINAL 0x82

/* COMPREHENSION-TLV tags without the CR bit (§9.3); CR is b8. */
#define CR                 0x80
#define CT_COMMAND_DETAILS 0x01
#define CT_DEVICES         0x02
#define CT_ALPHA           0x05
#define CT_TEXT_STRING     0x0D
#define CT_ICON            0x1E
#define CT_BEARER          0x35
#define CT_BUFFER_SIZE     0x39
#define CT_TRANSPORT       0x3C
#define CT_ADDRESS         0x3E
#define CT_NETWORK_ACCESS  0x47

/* §8.59 transport level: TCP, UICC in client mode, remote connection. §8.58 address types. */
#define TRANSPORT_TCP_CLIENT_REMOTE 0x02
#define ADDRESS_IPV4                0x21
#define ADDRESS_IPV6                0x57

/* The connection parameters sorted into the places OPEN CHANNEL gives them (TS 102 223 §6.6.27). */
struct conn {
	struct eum_tlv alpha, icon, bearer, buffer, nan, local, login, password, transport, dest;
};

/* §6.6.27: each data object once (two text strings: login, then password). */
static int set_once(struct eum_card *card, struct eum_tlv *slot, const struct eum_tlv *t)
{
	if (slot->raw) {
		eum_log(card, EUM_LOG_INFO, "BIP: connection parameter %02X given twice", (unsigned)t->tag);
		return EUM_ERR_PARSE;
	}
	*slot = *t;
	return EUM_OK;
}

/* The COMPREHENSION-TLVs of OPEN CHANNEL for a default bearer / packet data service, TS 102 223
 * §6.6.27 (digest §2.3): bearer 35, buffer 39, APN 47, local address 3E, login/password 0D,
 * transport 3C (TCP client, remote), destination address 3E (IPv4 or IPv6). */
static int parse_conn(struct eum_card *card, const uint8_t *p, size_t len, struct conn *c)
{
	struct eum_tlv_reader r;
	struct eum_tlv t;
	int rc;

	memset(c, 0, sizeof(*c));
	eum_tlv_reader_init(&r, p, len);
	while ((rc = eum_ctlv_next(&r, &t)) == EUM_TLV_OK) {
		switch (t.tag) {
		case CT_ALPHA:
			rc = set_once(card, &c->alpha, &t);
			break;
		case CT_ICON:
			rc = set_once(card, &c->icon, &t);
			break;
		case CT_BEARER:
			rc = t.len ? set_once(card, &c->bearer, &t) : EUM_ERR_PARSE;
			break;
		case CT_BUFFER_SIZE:
			rc = (t.len == 2 && (t.val[0] | t.val[1])) ? set_once(card, &c->buffer, &t) : EUM_ERR_PARSE;
			break;
		case CT_NETWORK_ACCESS:
			rc = t.len ? set_once(card, &c->nan, &t) : EUM_ERR_PARSE;
			break;
		case CT_TEXT_STRING:
			rc = set_once(card, c->login.raw ? &c->password : &c->login, &t);
			break;
		case CT_TRANSPORT:
			rc = (t.len == 3 && t.val[0] == TRANSPORT_TCP_CLIENT_REMOTE) ? set_once(card, &c->transport, &t)
			                                                             : EUM_ERR_PARSE;
			break;
		case CT_ADDRESS:
			/* §6.6.27: other address (local) and data destination address; one alone is the
			 * destination, the second follows the first */
			rc = c->dest.raw ? set_once(card, &c->local, &c->dest) : EUM_OK;
			c->dest = t;
			break;
		default:
			eum_log(card, EUM_LOG_INFO, "BIP: connection parameter %02X not known", (unsigned)t.tag);
			return EUM_ERR_PARSE;
		}
		if (rc != EUM_OK) {
			eum_log(card, EUM_LOG_INFO, "BIP: connection parameter %02X refused", (unsigned)t.tag);
			return EUM_ERR_PARSE;
		}
	}
	if (rc != EUM_TLV_END) {
		eum_log(card, EUM_LOG_INFO, "BIP: connection parameters malformed");
		return EUM_ERR_PARSE;
	}
	if (!c->transport.raw || !c->dest.raw) {
		eum_log(card, EUM_LOG_INFO,
		        "BIP: connection parameters without transport level or destination address");
		return EUM_ERR_PARSE;
	}
	if (!((c->dest.len == 5 && c->dest.val[0] == ADDRESS_IPV4) ||
	      (c->dest.len == 17 && c->dest.val[0] == ADDRESS_IPV6))) {
		eum_log(card, EUM_LOG_INFO, "BIP: destination address is not an IPv4 or IPv6 address");
		return EUM_ERR_PARSE;
	}
	return EUM_OK;
}

/* §6.6.27: a data object as the caller gave it (tag with or without CR, §7.1.1). */
static void put_raw(struct eum_buf *b, const struct eum_tlv *t)
{
	if (t->raw)
		eum_buf_put(b, t->raw, t->raw_len);
}

/* OPEN CHANNEL, TS 102 223 §6.6.27: the caller's TLVs as given (CR bit kept), in the order of the
 * clause; default bearer 35 01 03 and buffer size EUM_BIP_BUFFER when absent (digest §2.3, §2.9). */
static int build(struct eum_card *card, const struct conn *c, struct eum_buf *b, uint16_t *asked)
{
	static const uint8_t default_bearer[] = {CT_BEARER, 0x01, 0x03};
	const uint8_t buffer[] = {CT_BUFFER_SIZE, 0x02, EUM_BIP_BUFFER >> 8, EUM_BIP_BUFFER & 0xFF};
	const uint8_t details[3] = {0x00 /* number: filled in by eum_cat_queue */, TYPE_OPEN_CHANNEL, OPEN_QUALIFIER};
	const uint8_t devs[2] = {DEV_UICC, DEV_TERMINAL};

	eum_buf_ctlv(b, CR | CT_COMMAND_DETAILS, details, sizeof(details));
	eum_buf_ctlv(b, CR | CT_DEVICES, devs, sizeof(devs));
	put_raw(b, &c->alpha);
	put_raw(b, &c->icon);
	if (c->bearer.raw)
		put_raw(b, &c->bearer);
	else
		eum_buf_put(b, default_bearer, sizeof(default_bearer));
	if (c->buffer.raw) {
		put_raw(b, &c->buffer);
		*asked = (uint16_t)(c->buffer.val[0] << 8 | c->buffer.val[1]);
	} else {
		eum_buf_put(b, buffer, sizeof(buffer));
		*asked = EUM_BIP_BUFFER;
	}
	put_raw(b, &c->nan);
	put_raw(b, &c->local);
	put_raw(b, &c->login);
	put_raw(b, &c->password);
	put_raw(b, &c->transport);
	put_raw(b, &c->dest);
	if (b->overflow) {
		eum_log(card, EUM_LOG_INFO, "BIP: connection parameters too long for OPEN CHANNEL");
		return EUM_ERR_PARSE;
	}
	return EUM_OK;
}

/* OPEN CHANNEL for the card's channel, TS 102 223 §6.6.27 (bip_open.h) */
int eum_bip_build_open(struct eum_card *card, const uint8_t *conn, size_t len, struct eum_buf *b, uint16_t *asked)
{
	struct conn c;
	int rc = parse_conn(card, conn, len, &c);

	return rc == EUM_OK ? build(card, &c, b, asked) : rc;
}
