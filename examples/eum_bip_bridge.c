/*
 * eum_bip_bridge — a modem that gives an emulated eUICC a real TCP connection (CAT BIP, ETSI TS
 * 102 223 §6.4.27-§6.4.31) and wakes it up like an SGP.02 SM-SR does: the push SMS with the
 * administration session triggering parameters (digest scp81-https.md §1) makes the card open a
 * channel to HOST:PORT, run PSK-TLS and POST to the SM-SR (GP Amd B); the bridge carries the bytes
 * and raises the data available / channel status events.
 *
 *   eum_bip_bridge --connect 127.0.0.1:PORT [--uri URI] [--host NAME] [--psk-id TEXT]
 *                  [--buffer N] [--no-cr] [--timeout S] [--quiet] [--apdus]
 *     --connect    where the card's channel goes (IPv4 literal and port; the trigger's 3C/3E)
 *     --uri        administration URI (trigger 8C, the first request target; default /smsr)
 *     --host       administration host (trigger 8A, the Host header; default the address)
 *     --psk-id     PSK identity the card sends (trigger 85 with KVN 40, key id 01); default: none in
 *                  the trigger, the card sends its SGP.02 identity (digest §3.3)
 *     --buffer     largest channel buffer the modem grants (default 1500)
 *     --no-cr      TERMINAL RESPONSE tags without the comprehension-required bit
 *     --timeout    give up after S seconds (default 30)
 *     --quiet      no bridge log;  --apdus  also print every APDU
 *
 * The card is the built-in test card (README "Test identity": ISD-R SCP80 key set KVN 3, AES; SCP81
 * PSK KVN 40 key id 01). Exit status: 0 when the card opened a channel and closed it itself after the
 * session (the link never dropped), 1 otherwise, 2 bad usage.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bip_bridge.h"
#include "eum/eum.h"
#include "eum/host/smsr.h"

struct modem {
	eum_card *card;
	struct bridge b;
	int show_apdus;
	unsigned apdus;
	unsigned sms_out; /* SEND SHORT MESSAGE served */
};

static void hexdump(const char *prefix, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s", prefix);
	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
	printf("\n");
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (s[0] && s[1] && n < cap && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* One command over T=0 (TS 102 221 §7.3.1): 61xx GET RESPONSE, 6Cxx repeated with Le. Returns the
 * final SW (0 on a library error); the response data joined in out. */
static uint16_t t0(struct modem *m, const uint8_t *capdu, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t cmd[261], r[258];
	size_t cl = len, rl = 0, got = 0;
	uint16_t sw;

	if (len > sizeof(cmd))
		return 0;
	memcpy(cmd, capdu, len);
	for (;;) {
		if (m->show_apdus)
			hexdump("      > ", cmd, cl);
		if (eum_card_transmit(m->card, cmd, cl, r, sizeof(r), &rl) != EUM_OK || rl < 2)
			return 0;
		m->apdus++;
		if (m->show_apdus)
			hexdump("      < ", r, rl);
		sw = (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
		if (got + rl - 2 > cap)
			return 0;
		memcpy(out + got, r, rl - 2);
		got += rl - 2;
		if ((sw >> 8) == 0x61) {
			uint8_t gr[5] = {(uint8_t)(capdu[0] & 0x03), 0xC0, 0x00, 0x00, (uint8_t)sw};
			memcpy(cmd, gr, sizeof(gr));
			cl = sizeof(gr);
			continue;
		}
		if ((sw >> 8) == 0x6C && cl >= 5) {
			cmd[cl - 1] = (uint8_t)sw;
			continue;
		}
		*out_len = got;
		return sw;
	}
}

/* A command, then the proactive session it opens (TS 102 223 §6): FETCH, the bridge or a plain
 * answer, TERMINAL RESPONSE, while the card says 91xx. Returns the command's SW (91xx -> 9000 when
 * the session went through), 0 on failure. */
static uint16_t modem_cmd(struct modem *m, const uint8_t *c, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
	uint16_t sw = t0(m, c, n, out, cap, out_len), first = sw;

	while ((sw >> 8) == 0x91) {
		uint8_t fetch[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw}, cmd[300], tr[300];
		size_t len = 0, trl = 0, off;
		int rc;

		if (t0(m, fetch, sizeof(fetch), cmd, sizeof(cmd), &len) != 0x9000)
			return 0;
		rc = bridge_proactive(&m->b, cmd, len, tr, sizeof(tr), &trl);
		if (rc < 0)
			return 0;
		if (rc == 0) {
			/* not BIP: SEND SHORT MESSAGE is "sent", anything else is beyond this modem */
			static const uint8_t hdr[] = {0x80, 0x14, 0x00, 0x00, 0x0C};
			off = cmd[1] == 0x81 ? 3 : 2;
			memcpy(tr, hdr, sizeof(hdr));
			memcpy(tr + 5, "\x81\x03", 2);
			memcpy(tr + 7, cmd + off + 2, 3);
			memcpy(tr + 10, "\x82\x02\x82\x81\x83\x01", 6);
			tr[16] = cmd[off + 3] == 0x13 ? 0x00 : 0x30;
			trl = 17;
			if (cmd[off + 3] == 0x13)
				m->sms_out++;
			if (m->b.verbose && cmd[off + 3] == 0x13)
				printf("%sSEND SHORT MESSAGE (not delivered anywhere)\n", m->b.prefix);
			else if (m->b.verbose)
				printf("%sproactive command %02X: beyond this modem\n", m->b.prefix, cmd[off + 3]);
		}
		sw = t0(m, tr, trl, cmd, sizeof(cmd), &len);
	}
	return (first >> 8) == 0x91 ? (sw == 0x9000 ? 0x9000 : sw) : sw;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: eum_bip_bridge --connect IPV4:PORT [--uri URI] [--host NAME] [--psk-id TEXT]\n"
	                "                      [--buffer N] [--no-cr] [--timeout S] [--quiet] [--apdus]\n");
	return 2;
}

int main(int argc, char **argv)
{
	/* bits of TS 102 223 §5.2 the demo's modem announces (SMS-PP download, SEND SHORT MESSAGE, ...) */
	static const uint8_t base_tp[10] = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0xDF, 0xFF, 0x00};
	static const uint8_t isdr_tar[3] = {0x00, 0x00, 0x01};
	static struct modem m;
	static struct eum_host_smsr sr;
	static struct eum_host_smsr_envelopes env;
	struct eum_host_scp80_keyset ks;
	struct eum_host_smsr_admin_params ap;
	struct eum_host_smsr_result res;
	const char *connect_to = NULL, *uri = "/smsr", *host = NULL, *psk_id = NULL;
	uint8_t ip[4], conn[64], trig[400], apdu[300], r[1024], work[1100];
	size_t cn = 0, tn = 0, n = 0, i;
	unsigned long port = 0, buffer = EUM_HOST_BIP_BUFFER_DEFAULT, timeout = 30;
	char addr[64], *colon;
	int cr = 1, quiet = 0, rc;
	double t_end;
	uint16_t sw;
	eum_config cfg;

	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i], *v = i + 1 < (size_t)argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--no-cr")) {
			cr = 0;
		} else if (!strcmp(a, "--quiet")) {
			quiet = 1;
		} else if (!strcmp(a, "--apdus")) {
			m.show_apdus = 1;
		} else if (v && !strcmp(a, "--connect")) {
			connect_to = v, i++;
		} else if (v && !strcmp(a, "--uri")) {
			uri = v, i++;
		} else if (v && !strcmp(a, "--host")) {
			host = v, i++;
		} else if (v && !strcmp(a, "--psk-id")) {
			psk_id = v, i++;
		} else if (v && !strcmp(a, "--buffer")) {
			buffer = strtoul(v, NULL, 0), i++;
		} else if (v && !strcmp(a, "--timeout")) {
			timeout = strtoul(v, NULL, 0), i++;
		} else {
			return usage();
		}
	}
	if (!connect_to || strlen(connect_to) >= sizeof(addr) || buffer == 0 || buffer > EUM_HOST_BIP_BUFFER_MAX)
		return usage();
	strcpy(addr, connect_to);
	colon = strrchr(addr, ':');
	if (!colon)
		return usage();
	*colon = '\0';
	port = strtoul(colon + 1, NULL, 10);
	if (port == 0 || port > 65535 || inet_pton(AF_INET, addr, ip) != 1)
		return usage();

	/* the card and its modem */
	eum_config_init(&cfg);
	rc = eum_card_new(&m.card, &cfg);
	if (rc != EUM_OK) {
		fprintf(stderr, "eum_bip_bridge: cannot make the card: %s\n", eum_strerror(rc));
		return 1;
	}
	bridge_init(&m.b, (uint16_t)buffer);
	m.b.term.cr = cr;
	m.b.verbose = !quiet;
	rc = eum_card_reset(m.card, 1, NULL, 0, NULL);
	if (rc == EUM_OK)
		rc = eum_host_bip_profile(base_tp, sizeof(base_tp), apdu, sizeof(apdu), &n);
	if (rc != EUM_OK || modem_cmd(&m, apdu, n, r, sizeof(r), &n) != 0x9000) {
		fprintf(stderr, "eum_bip_bridge: the card refused its power-up / TERMINAL PROFILE\n");
		eum_card_free(m.card);
		return 1;
	}

	/* the SM-SR's push: ISD-R key set KVN 3, AES-128 (README "Test identity") */
	memset(&ks, 0, sizeof(ks));
	ks.kic.algo = ks.kid.algo = EUM_HOST_SCP80_ALGO_AES;
	ks.kic.len = (uint8_t)unhex("000102030405060708090A0B0C0D0E0F", ks.kic.val, 16);
	ks.kid.len = (uint8_t)unhex("101112131415161718191A1B1C1D1E1F", ks.kid.val, 16);
	eum_host_smsr_init(&sr, &ks, 0x32, 0x32, isdr_tar);
	memset(&ks, 0, sizeof(ks));
	memset(&ap, 0, sizeof(ap));
	rc = eum_host_smsr_conn_tcp_ipv4(ip, (uint16_t)port, 1024, conn, sizeof(conn), &cn);
	ap.conn = conn;
	ap.conn_len = cn;
	ap.host = host ? host : addr;
	ap.uri = uri;
	if (psk_id) {
		ap.has_security = 1;
		ap.psk_id = (const uint8_t *)psk_id;
		ap.psk_id_len = strlen(psk_id);
		ap.kvn = 0x40;
		ap.kid = 0x01;
	}
	if (rc == EUM_OK)
		rc = eum_host_smsr_trigger_build(&ap, trig, sizeof(trig), &tn);
	if (rc == EUM_OK)
		rc = eum_host_smsr_push(&sr, trig, tn, &env);
	if (rc != EUM_OK) {
		fprintf(stderr, "eum_bip_bridge: push SMS: %s\n", eum_strerror(rc));
		eum_card_free(m.card);
		return 1;
	}
	if (!quiet)
		printf("SM-SR -> card: push SMS (%zu SMS-PP ENVELOPE%s), trigger: channel to %s:%lu, POST %s\n", env.n,
		       env.n == 1 ? "" : "s", addr, port, uri);
	for (i = 0; i < env.n; i++) {
		n = 0;
		sw = modem_cmd(&m, env.apdu[i], env.len[i], r, sizeof(r), &n);
		if (sw != 0x9000 && (sw >> 8) != 0x91) {
			fprintf(stderr, "eum_bip_bridge: the push ENVELOPE got %04X\n", sw);
			eum_card_free(m.card);
			return 1;
		}
	}
	/* the PoR in the SMS-DELIVER-REPORT: UDH 02 71 00, then the response packet (TS 31.115 §7) */
	if (n > 3 && !memcmp(r, "\x02\x71\x00", 3) &&
	    eum_host_smsr_parse_por(&sr, r + 3, n - 3, work, sizeof(work), &res) == EUM_OK && !quiet)
		printf("card -> SM-SR: PoR status %02X\n", res.status);

	/* the bridge: socket I/O and events until the card closes its channel */
	t_end = now_s() + (double)timeout;
	while (bridge_active(&m.b) && now_s() < t_end) {
		struct pollfd p;
		size_t el;

		while (bridge_event(&m.b, apdu, sizeof(apdu), &el)) {
			sw = modem_cmd(&m, apdu, el, r, sizeof(r), &n);
			if (sw != 0x9000) {
				fprintf(stderr, "eum_bip_bridge: event ENVELOPE got %04X\n", sw);
				break;
			}
		}
		if (!bridge_active(&m.b))
			break;
		if (bridge_pollfd(&m.b, &p)) {
			if (poll(&p, 1, 100) > 0)
				bridge_io(&m.b, p.revents);
		} else {
			/* no socket (link dropped): the card has to close the channel */
			struct timespec ts = {0, 10000000};
			nanosleep(&ts, NULL);
		}
	}
	if (!quiet)
		printf("session: %u APDUs, %u BIP commands, %u events, %lu bytes sent, %lu received; channel %s\n",
		       m.apdus, m.b.commands, m.b.events, m.b.tcp_out, m.b.tcp_in,
		       !m.b.opens                          ? "never opened"
		       : m.b.closed_by_card && m.b.dropped ? "closed by the card after the link dropped"
		       : m.b.closed_by_card                ? "closed by the card"
		       : bridge_active(&m.b)               ? "still open (timeout)"
		                                           : "ended");
	rc = m.b.opens && m.b.closed_by_card && !m.b.dropped && !bridge_active(&m.b) ? 0 : 1;
	bridge_close(&m.b);
	memset(&sr, 0, sizeof(sr));
	eum_card_free(m.card);
	return rc;
}
