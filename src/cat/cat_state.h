/* SIM toolkit session state (ETSI TS 102 223 §6): volatile per card session. */
#ifndef EUM_CAT_CAT_STATE_H
#define EUM_CAT_CAT_STATE_H

#include <stdint.h>

#define EUM_CAT_QUEUE 4
#define EUM_CAT_TP_MAX 64

struct eum_cat_cmd {
	uint8_t len;
	uint8_t tries; /* TERMINAL RESPONSEs "temporarily unable" received */
	uint8_t buf[255]; /* the whole proactive command, D0 L ... */
};

struct eum_cat {
	uint8_t tp[EUM_CAT_TP_MAX]; /* TERMINAL PROFILE as received */
	uint8_t tp_len;
	uint8_t tp_received;
	uint8_t fetched;    /* the head command was FETCHed and awaits its TERMINAL RESPONSE */
	uint8_t head, count;
	uint8_t next_number; /* command number for the next queued command (01..FE) */
	struct eum_cat_cmd q[EUM_CAT_QUEUE];
};

#endif
