/* SIM toolkit session state (ETSI TS 102 223 §6): volatile per card session. */
#ifndef EUM_CAT_CAT_STATE_H
#define EUM_CAT_CAT_STATE_H

#include <stdint.h>

#define EUM_CAT_QUEUE      4
#define EUM_CAT_TP_MAX     64
#define EUM_CAT_EVENTS_MAX 16

struct eum_cat_cmd {
	uint8_t len;
	uint8_t tries;    /* TERMINAL RESPONSEs "temporarily unable" received */
	uint8_t buf[255]; /* the whole proactive command, D0 L ... */
};

struct eum_cat {
	uint8_t tp[EUM_CAT_TP_MAX]; /* TERMINAL PROFILE as received */
	uint8_t tp_len;
	uint8_t tp_received;
	uint8_t fetched; /* the head command was FETCHed and awaits its TERMINAL RESPONSE */
	uint8_t head, count;
	uint8_t next_number; /* command number for the next queued command (01..FE) */
	struct eum_cat_cmd q[EUM_CAT_QUEUE];
	uint8_t sm_ref; /* concatenation reference of the next multi-part SEND SHORT MESSAGE */

	/* event list of the last SET UP EVENT LIST queued (TS 102 223 §6.6.16), and what the
	 * terminal reported by event download (§7.5); reset with the toolkit session */
	uint8_t events[EUM_CAT_EVENTS_MAX];
	uint8_t n_events;
	uint8_t loc_status_valid;
	uint8_t loc_status; /* TS 102 223 §8.27: 00 normal, 01 limited, 02 no service */
	uint8_t data_avail_valid;
	uint8_t data_avail_chan[2]; /* channel status (§8.56) of the last data available event */
	uint8_t data_avail_len;     /* channel data length (§8.54) reported with it */
	uint8_t chan_status_valid;
	uint8_t chan_status[2]; /* channel status of the last channel status event */

	/* the last proactive command that ended with a TERMINAL RESPONSE (§6.8), for the card
	 * code that queued it (SGP.02 notifications wait for "sent"); done_seq counts endings */
	uint8_t done_seq;
	uint8_t done_number; /* its command number */
	uint8_t done_type;   /* its type of command */
	uint8_t done_result; /* general result of the final TERMINAL RESPONSE */
};

#endif
