/*
 * eum vpcd — the card in a PC/SC reader slot, through the vpcd driver of vsmartcard
 * (Debian package vsmartcard-vpcd, a reader driver of pcscd).
 *
 * vpcd listens on a TCP port (its reader.conf: DEVICENAME /dev/null:0x8C7B = port 35963 for the
 * first slot) and a virtual card connects to it as a client. Every message either way is a 2-byte
 * big-endian length followed by that many bytes. From vpcd, a 1-byte message is a control code —
 * 0 power off, 1 power on, 2 reset, 4 "send the ATR" (also used to poll whether a card is
 * present) — and anything longer a C-APDU. The card answers "send the ATR" and each C-APDU with
 * one message (the ATR, the R-APDU); power off/on and reset get no answer. These codes are those
 * of vsmartcard's virtualsmartcard/src/vpcd/vpcd.h.
 *
 * Power on is the card's cold reset, reset its warm reset, power off its power off. When the
 * connection ends (pcscd stopped or restarted) the card is powered off, as a card taken out of a
 * reader, and the tool connects again with a growing delay (0.1 s doubling up to 5 s) until
 * SIGINT or SIGTERM.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "eum_tool.h"

#define VPCD_DEFAULT_HOST "127.0.0.1"
#define VPCD_DEFAULT_PORT "35963"
#define VPCD_CTRL_OFF     0
#define VPCD_CTRL_ON      1
#define VPCD_CTRL_RESET   2
#define VPCD_CTRL_ATR     4
#define RETRY_FIRST_MS    100
#define RETRY_MAX_MS      5000

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void eum_tool_vpcd_usage(FILE *f)
{
	fputs("usage: eum vpcd [CARD OPTIONS] [--host HOST] [--port PORT]\n"
	      "\n"
	      "Connects the card to vsmartcard's vpcd reader driver of pcscd (Debian packages\n"
	      "pcscd and vsmartcard-vpcd), so that every PC/SC application sees it in the\n"
	      "reader \"Virtual PCD 00 00\". Power on/off and reset from the reader are the card's\n"
	      "cold reset, power off and warm reset. When pcscd goes away the tool reconnects\n"
	      "(retrying with a growing delay, up to 5 s) until it is stopped (SIGINT, SIGTERM).\n"
	      "\n"
	      "  --host HOST                vpcd's address (default " VPCD_DEFAULT_HOST ")\n"
	      "  --port PORT                vpcd's port (default " VPCD_DEFAULT_PORT ", vpcd's first slot;\n"
	      "                             the next slots are 35964...)\n"
	      "\n"
	      "card options:\n",
	      f);
	fputs(eum_tool_card_opts_help, f);
	fputs("\nexit status: 0 stopped by a signal, 2 bad usage or the card could not be made\n", f);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL); /* a signal ends it early: the caller checks stop_requested */
}

/* Connect to vpcd; -1 with errno-style reason in why when it is not there. */
static int vpcd_connect(const char *host, const char *port, char *why, size_t whycap)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1, rc, err = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		snprintf(why, whycap, "%s", gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(why, whycap, "%s", strerror(err));
	return fd;
}

/* Read exactly n bytes; 0 done, -1 connection ended or stop requested. */
static int read_full(int fd, uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r = recv(fd, p, n, 0);
		if (r > 0) {
			p += r;
			n -= (size_t)r;
		} else if (r < 0 && errno == EINTR && !stop_requested) {
			continue;
		} else {
			return -1;
		}
	}
	return 0;
}

static int send_frame(int fd, const uint8_t *p, size_t n)
{
	uint8_t buf[2 + 300];
	size_t off = 0;

	if (n > sizeof(buf) - 2)
		return -1;
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, p, n);
	n += 2;
	while (off < n) {
		ssize_t w = send(fd, buf + off, n - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR && !stop_requested)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* Serve one vpcd connection until it ends. */
static void serve(int fd, eum_card *card, uint8_t *atr, size_t *atr_len)
{
	static uint8_t msg[0xFFFF];
	uint8_t hdr[2], rapdu[300];
	size_t len, rlen;
	int rc;

	while (!stop_requested) {
		if (read_full(fd, hdr, 2) != 0)
			return;
		len = (size_t)hdr[0] << 8 | hdr[1];
		if (read_full(fd, msg, len) != 0)
			return;
		if (len == 1) {
			switch (msg[0]) {
			case VPCD_CTRL_OFF:
				eum_card_power_off(card);
				break;
			case VPCD_CTRL_ON:
				eum_card_reset(card, 1, atr, EUM_ATR_MAX, atr_len);
				break;
			case VPCD_CTRL_RESET:
				eum_card_reset(card, 0, atr, EUM_ATR_MAX, atr_len);
				break;
			case VPCD_CTRL_ATR: /* also vpcd's presence poll: the card is in the slot */
				if (send_frame(fd, atr, *atr_len) != 0)
					return;
				break;
			default:
				fprintf(stderr, "eum vpcd: unknown control code %u from vpcd, ignored\n", msg[0]);
				break;
			}
			continue;
		}
		if (len == 0)
			continue;
		rc = eum_card_transmit(card, msg, len, rapdu, sizeof(rapdu), &rlen);
		if (rc != EUM_OK) {
			/* not powered: a card that does not answer. An empty answer is vpcd's "no card
			 * response"; it drops the connection and we connect again. */
			fprintf(stderr, "eum vpcd: APDU not processed: %s\n", eum_strerror(rc));
			rlen = 0;
		}
		if (send_frame(fd, rapdu, rlen) != 0)
			return;
	}
}

int eum_tool_run_vpcd(int argc, char **argv)
{
	struct eum_tool_card_opts o = {0};
	struct eum_tool_trace t;
	const char *host = VPCD_DEFAULT_HOST, *port = VPCD_DEFAULT_PORT;
	struct sigaction sa;
	eum_card *card = NULL;
	uint8_t atr[EUM_ATR_MAX];
	size_t atr_len = 0;
	unsigned delay = RETRY_FIRST_MS;
	int i, rc, reported = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			eum_tool_vpcd_usage(stdout);
			return 0;
		}
		rc = eum_tool_card_option("vpcd", argc, argv, &i, &o);
		if (rc < 0)
			return 2;
		if (rc > 0)
			continue;
		if ((!strcmp(argv[i], "--host") || !strcmp(argv[i], "--port")) && i + 1 < argc) {
			if (argv[i][2] == 'h')
				host = argv[++i];
			else
				port = argv[++i];
			continue;
		}
		if (!strcmp(argv[i], "--host") || !strcmp(argv[i], "--port"))
			fprintf(stderr, "eum vpcd: %s needs a value\n", argv[i]);
		else
			fprintf(stderr, "eum vpcd: unexpected argument %s (eum vpcd --help lists the options)\n",
			        argv[i]);
		return 2;
	}
	rc = eum_tool_card_open("vpcd", &o, &t, &card);
	if (rc)
		return rc;
	/* the ATR vpcd asks for before it powers the card: the one this card answers a reset with */
	eum_card_reset(card, 1, atr, sizeof(atr), &atr_len);
	eum_card_power_off(card);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocking connect/recv returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!stop_requested) {
		char why[128];
		int fd = vpcd_connect(host, port, why, sizeof(why));

		if (fd < 0) {
			if (!reported)
				fprintf(stderr, "eum vpcd: vpcd at %s:%s: %s; retrying (is pcscd running with vpcd?)\n",
				        host, port, why);
			reported = 1;
			sleep_ms(delay);
			delay = delay * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : delay * 2;
			continue;
		}
		fprintf(stderr, "eum vpcd: connected to vpcd at %s:%s\n", host, port);
		reported = 0;
		delay = RETRY_FIRST_MS;
		serve(fd, card, atr, &atr_len);
		close(fd);
		eum_card_power_off(card); /* out of the reader */
		if (!stop_requested)
			fprintf(stderr, "eum vpcd: vpcd closed the connection; reconnecting\n");
	}
	fprintf(stderr, "eum vpcd: stopped\n");
	eum_tool_card_close(card, &t);
	return 0;
}
