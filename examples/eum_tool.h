/*
 * The eum tool's pieces shared by its commands (examples/eum*.c): the card options every command
 * that runs a card takes, and the trace sinks (GSMTAP over UDP, pcap file) fed by the library's
 * trace hook (eum_config.trace).
 */
#ifndef EUM_TOOL_H
#define EUM_TOOL_H

#include <stdint.h>
#include <stdio.h>

#include "eum/eum.h"

/* Options that make and trace a card: --config, --state, --bootstrap-profile, --gsmtap, --pcap. */
struct eum_tool_card_opts {
	const char *config;
	const char *state;
	const char *profile;
	const char *gsmtap; /* HOST[:PORT] */
	const char *pcap;   /* FILE */
};

/* Help text of the options above, for the commands' usage. */
extern const char eum_tool_card_opts_help[];

/* If argv[*i] is one of the card options, store its value (argv[*i + 1]) and advance *i.
 * Returns 1 when consumed, 0 when argv[*i] is not a card option, -1 (message printed) when its
 * value is missing. */
int eum_tool_card_option(const char *cmd, int argc, char **argv, int *i, struct eum_tool_card_opts *o);

/* Where the trace goes: a GSMTAP UDP socket and/or a pcap file (both optional). */
struct eum_tool_trace {
	int udp;    /* connected UDP socket for GSMTAP; -1 = none */
	FILE *pcap; /* open capture file; NULL = none */
	uint8_t cmd[261];
	size_t cmd_len; /* C-APDU waiting for its response; 0 = none */
};

/* Create the card the options describe (library messages logged while it is made are printed
 * with the reason when it is refused) and wire the trace sinks; the card is left powered off.
 * Returns 0 or the exit status to use (2), with a message printed. */
int eum_tool_card_open(const char *cmd, const struct eum_tool_card_opts *o, struct eum_tool_trace *t, eum_card **card);
/* Free the card and close the trace sinks. */
void eum_tool_card_close(eum_card *card, struct eum_tool_trace *t);

/* Trace sinks (eum_trace.c). open: 0, or -1 with a message in err. */
int eum_tool_trace_open(struct eum_tool_trace *t, const char *gsmtap, const char *pcap_path, char *err, size_t errcap);
void eum_tool_trace_hook(void *ctx, eum_trace_kind kind, eum_trace_dir dir, unsigned channel, const uint8_t *data,
                         size_t len);
void eum_tool_trace_close(struct eum_tool_trace *t);

/* eum vpcd (eum_vpcd.c) */
int eum_tool_run_vpcd(int argc, char **argv);
void eum_tool_vpcd_usage(FILE *f);

#endif
