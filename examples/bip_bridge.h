/*
 * The modem's BIP channel over a real TCP connection (examples; used by eum_bip_bridge and the demo):
 * the terminal of libeum-host (include/eum/host/bip.h) decides what the card's OPEN CHANNEL / SEND
 * DATA / RECEIVE DATA / CLOSE CHANNEL mean and builds the TERMINAL RESPONSEs and events; this part
 * does the socket work: a non-blocking connect (waited for with poll before the TERMINAL RESPONSE, as
 * a modem answers OPEN CHANNEL once the link is up), writes of what the card sends, reads of at most
 * what the Rx buffer holds (back-pressure), and the end of stream that drops the link.
 *
 * The caller owns the APDU side (its T=0 layer and proactive loop) and the poll loop:
 *
 *   bridge_proactive()  for each FETCHed command: 1 = BIP, the TERMINAL RESPONSE is in tr
 *   bridge_pollfd() / bridge_io()   in the caller's poll set
 *   bridge_event()      when the card is idle: the next event ENVELOPE to send, if any
 */
#ifndef EUM_BIP_BRIDGE_H
#define EUM_BIP_BRIDGE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "eum/host/bip.h"

#define BRIDGE_OUT_MAX 16384 /* bytes the card sent that the socket has not taken yet */

struct bridge {
	struct eum_host_bip_terminal term;
	int fd;                 /* the channel's socket, -1 = none */
	int connect_timeout_ms; /* how long OPEN CHANNEL waits for the link (default 5000) */
	int verbose;            /* print one line per BIP command / event / socket event */
	const char *prefix;     /* of those lines (default "  bridge ") */
	uint8_t out[BRIDGE_OUT_MAX];
	size_t out_len;
	/* statistics */
	unsigned opens, commands, events;
	unsigned long tcp_out, tcp_in; /* bytes written to / read from the socket */
	int closed_by_card;            /* the card's CLOSE CHANNEL ended the last channel */
	int dropped;                   /* the link of the last channel was lost */
};

/* Start with no channel; buffer_cap = largest buffer size granted (0: the terminal's maximum). */
void bridge_init(struct bridge *b, uint16_t buffer_cap);
/* A proactive command the modem FETCHed (data without SW). Returns 1 when it was a BIP command (or
 * SET UP EVENT LIST): the TERMINAL RESPONSE APDU is in tr; 0 when it is not BIP (the caller serves
 * it); -1 when it is not a proactive command at all (message printed). */
int bridge_proactive(struct bridge *b, const uint8_t *cmd, size_t len, uint8_t *tr, size_t cap, size_t *tr_len);
/* The socket for the caller's poll set (events: POLLIN while the Rx buffer has room, POLLOUT while
 * bytes wait); 0 when there is no socket. */
int bridge_pollfd(const struct bridge *b, struct pollfd *p);
/* Act on what poll said about that socket: write, read into the Rx buffer, end of stream / error
 * -> link dropped (the socket is closed). */
void bridge_io(struct bridge *b, short revents);
/* The next event ENVELOPE due (data available, channel status); 1 when apdu holds one. */
int bridge_event(struct bridge *b, uint8_t *apdu, size_t cap, size_t *len);
/* A channel exists (opening, open or dropped and not closed by the card yet). */
int bridge_active(const struct bridge *b);
/* The card was reset (TS 102 223 §6.4.16, TS 102 221 §6.2): no channel, no event subscribed; the
 * socket is closed. Statistics stay. */
void bridge_reset(struct bridge *b);
/* Close the socket, if any. */
void bridge_close(struct bridge *b);

#endif
