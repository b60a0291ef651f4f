/*
 * Fuzz target: the card's BIP channel (src/cat/bip.c, ETSI TS 102 223 §6.4.27-§6.4.31, §7.5.10,
 * §7.5.11): TERMINAL RESPONSEs of OPEN CHANNEL / SEND DATA / RECEIVE DATA / CLOSE CHANNEL / GET
 * CHANNEL STATUS and the data available / channel status event downloads.
 *
 * Prefix (honest): a default card on the emulated flash, a TERMINAL PROFILE announcing BIP with
 * two channels, eum_bip_open() with fixed connection parameters (the whty form of digest §1.2),
 * SET UP EVENT LIST answered "performed", and OPEN CHANNEL fetched. The channel's user (standing
 * in for the SCP81 agent) takes received bytes and, as the input asks, echoes them back, sends
 * more or closes, from inside the callbacks as the agent does.
 *
 * Input: a flags byte (b1: answer OPEN CHANNEL honestly before the records), then records
 * `op || L || L bytes`:
 *   op % 6 = 0  TERMINAL RESPONSE: command details of the command fetched last (number, type,
 *               qualifier), device identities 82 81, then the bytes (result, B6, B7, B8, B9 ...)
 *            1  TERMINAL RESPONSE, the bytes as they are
 *            2  ENVELOPE D6 { 99 01 09, 82 02 82 81, bytes }   (data available)
 *            3  ENVELOPE D6 { 99 01 0A, 82 02 82 81, bytes }   (channel status)
 *            4  ENVELOPE, the bytes as they are
 *            5  the user / the terminal: bytes[0] % 6 = send bytes[1..] / take the Rx data /
 *               close / warm reset / power cycle / open again (with a new TERMINAL PROFILE)
 * After every record the pending proactive command (91xx) is FETCHed, as a terminal does.
 * Oracles: the channel's buffers never exceed their bounds, and the card's image checks
 * (fuzz_check_image).
 */
#include "fuzz.h"

#include "cat/bip.h"
#include "core/card.h"

static const uint8_t tp_bip[] = {0x80, 0x10, 0x00, 0x00, 0x11, 0x00, 0x00, 0x80, 0x00, 0x01, 0x0C,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F, 0x40, 0x00, 0x00, 0x00, 0x01};
static const uint8_t conn[] = {0x35, 0x01, 0x03, 0x39, 0x02, 0x04, 0x00, 0x3C, 0x03, 0x02,
                               0x1F, 0x90, 0x3E, 0x05, 0x21, 0x7F, 0x00, 0x00, 0x01};

struct user {
	uint8_t echo; /* send back what arrives */
	uint8_t close_on_data;
	unsigned events;
};

static void on_event(struct eum_card *card, void *ctx, enum eum_bip_event ev, uint8_t result, uint8_t info)
{
	struct user *u = ctx;
	uint8_t buf[EUM_BIP_RX_MAX];
	size_t n;

	(void)result;
	(void)info;
	u->events++;
	if (ev == EUM_BIP_OPENED && u->echo)
		(void)eum_bip_send(card, conn, sizeof(conn));
	if (ev != EUM_BIP_DATA)
		return;
	n = eum_bip_recv(card, buf, sizeof(buf));
	fuzz_check(n <= EUM_BIP_RX_MAX, "recv gave %zu", n);
	if (u->echo)
		(void)eum_bip_send(card, buf, n);
	if (u->close_on_data)
		(void)eum_bip_close(card);
}

/* The command fetched last: its details (number, type, qualifier). */
struct fetched {
	int valid;
	uint8_t details[3];
};

/* FETCH what the card announced (91xx), as a terminal does after any APDU. */
static void fetch_pending(eum_card *card, uint16_t sw, struct fetched *f)
{
	uint8_t c[5] = {0x80, 0x12, 0x00, 0x00, 0x00};
	uint8_t d[FUZZ_RAPDU_MAX];
	size_t n = 0, off;

	if ((sw & 0xFF00) != 0x9100)
		return;
	c[4] = (uint8_t)sw;
	if (fuzz_xmit(card, c, sizeof(c), d, &n) != 0x9000 || n < 7)
		return;
	off = d[1] == 0x81 ? 3 : 2;
	if (off + 5 <= n && (d[off] & 0x7F) == 0x01 && d[off + 1] == 0x03) {
		memcpy(f->details, d + off + 2, 3);
		f->valid = 1;
	}
}

static uint16_t toolkit(eum_card *card, uint8_t ins, const uint8_t *d, size_t n)
{
	uint8_t c[5 + 255];

	if (n == 0 || n > 255)
		return 0;
	c[0] = 0x80;
	c[1] = ins;
	c[2] = c[3] = 0x00;
	c[4] = (uint8_t)n;
	memcpy(c + 5, d, n);
	return fuzz_xmit(card, c, n + 5, NULL, NULL);
}

/* TERMINAL RESPONSE echoing the fetched command's details, then the given data objects. */
static uint16_t terminal_response(eum_card *card, const struct fetched *f, const uint8_t *p, size_t n)
{
	uint8_t tr[255];
	size_t k = 0;

	tr[k++] = 0x81;
	tr[k++] = 0x03;
	memcpy(tr + k, f->details, 3);
	k += 3;
	memcpy(tr + k, "\x82\x02\x82\x81", 4);
	k += 4;
	if (n > sizeof(tr) - k)
		n = sizeof(tr) - k;
	memcpy(tr + k, p, n);
	return toolkit(card, 0x14, tr, k + n);
}

static uint16_t event(eum_card *card, uint8_t ev, const uint8_t *p, size_t n)
{
	uint8_t env[255];
	size_t k = 0;

	if (n > sizeof(env) - 9)
		n = sizeof(env) - 9;
	env[k++] = 0xD6;
	env[k++] = (uint8_t)(7 + n);
	memcpy(env + k, "\x99\x01", 2);
	k += 2;
	env[k++] = ev;
	memcpy(env + k, "\x82\x02\x82\x81", 4);
	k += 4;
	memcpy(env + k, p, n);
	return toolkit(card, 0xC2, env, k + n);
}

static void open_channel(eum_card *card, struct user *u, struct fetched *f)
{
	static const uint8_t ok[] = {0x83, 0x01, 0x00};
	struct eum_bip_user bu = {on_event, u};
	uint16_t sw;

	sw = fuzz_xmit(card, tp_bip, sizeof(tp_bip), NULL, NULL);
	if (sw != 0x9000 && (sw & 0xFF00) != 0x9100)
		abort(); /* the default card takes a TERMINAL PROFILE (91xx: commands still queued) */
	if (eum_bip_open(card, conn, sizeof(conn), &bu) != EUM_OK)
		return;
	f->valid = 0;
	sw = eum_card_proactive_pending(card) ? (uint16_t)(0x9100 | eum_card_proactive_pending(card)) : 0x9000;
	fetch_pending(card, sw, f); /* SET UP EVENT LIST, unless the card has the events listed already */
	if (f->valid && f->details[1] == 0x05) {
		sw = terminal_response(card, f, ok, sizeof(ok));
		f->valid = 0;
		fetch_pending(card, sw, f); /* OPEN CHANNEL */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t open_ok[] = {0x83, 0x01, 0x00, 0xB8, 0x02, 0x81, 0x00, 0xB9, 0x02, 0x04, 0x00};
	struct fuzz_mem mem;
	struct user u = {0};
	struct fetched f = {0};
	eum_card *card;
	size_t off = 1;

	if (size < 1)
		return 0;
	fuzz_mem_init(&mem, NULL, 0);
	card = fuzz_card(&mem);
	if (!card)
		abort(); /* the default card always comes up */
	u.echo = (data[0] >> 1) & 1;
	u.close_on_data = (data[0] >> 2) & 1;
	open_channel(card, &u, &f);
	if (!eum_bip_active(card) || !f.valid || f.details[1] != 0x40)
		abort(); /* the prefix is honest: OPEN CHANNEL is fetched */
	if (data[0] & 1) {
		uint16_t sw = terminal_response(card, &f, open_ok, sizeof(open_ok));
		f.valid = 0;
		fetch_pending(card, sw, &f);
	}
	while (off + 2 <= size) {
		uint8_t op = data[off], len = data[off + 1];
		const uint8_t *p = data + off + 2;
		uint16_t sw = 0;

		off += 2;
		if (len > size - off)
			len = (uint8_t)(size - off);
		off += len;
		switch (op % 6) {
		case 0:
			if (f.valid)
				sw = terminal_response(card, &f, p, len);
			else
				sw = toolkit(card, 0x14, p, len);
			break;
		case 1:
			sw = toolkit(card, 0x14, p, len);
			break;
		case 2:
			sw = event(card, 0x09, p, len);
			break;
		case 3:
			sw = event(card, 0x0A, p, len);
			break;
		case 4:
			sw = toolkit(card, 0xC2, p, len);
			break;
		default:
			switch (len ? p[0] % 6 : 0) {
			case 0:
				if (len > 1)
					(void)eum_bip_send(card, p + 1, len - 1u);
				break;
			case 1: {
				uint8_t buf[64];
				while (eum_bip_recv(card, buf, sizeof(buf)))
					;
				break;
			}
			case 2:
				(void)eum_bip_close(card);
				break;
			case 3:
				f.valid = 0;
				eum_card_reset(card, 0, NULL, 0, NULL);
				fuzz_check(!eum_bip_active(card), "channel survived a warm reset");
				break;
			case 4:
				f.valid = 0;
				eum_card_power_off(card);
				fuzz_check(!eum_bip_active(card), "channel survived power-off");
				eum_card_reset(card, 1, NULL, 0, NULL);
				break;
			default:
				if (!eum_bip_active(card))
					open_channel(card, &u, &f);
				break;
			}
			sw = (uint16_t)(eum_card_proactive_pending(card) ? 0x9100 | eum_card_proactive_pending(card)
			                                                 : 0);
			break;
		}
		/* a TERMINAL RESPONSE taken ends the fetched command (a refused one leaves it waiting);
		 * the next one announced is fetched */
		if (op % 6 < 2 && (sw == 0x9000 || (sw & 0xFF00) == 0x9100))
			f.valid = 0;
		fetch_pending(card, sw, &f);
		fuzz_check(eum_bip_rx_avail(card) <= EUM_BIP_RX_MAX, "Rx %zu", eum_bip_rx_avail(card));
		fuzz_check(eum_bip_tx_pending(card) <= EUM_BIP_TX_MAX, "Tx %zu", eum_bip_tx_pending(card));
	}
	fuzz_check_image(card, &mem);
	eum_card_free(card);
	fuzz_mem_free(&mem);
	return 0;
}
