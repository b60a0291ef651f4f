/*
 * Volatile state of the card's OTA receiver (3GPP TS 31.111 §7.1.1 SMS-PP
 * download, ETSI TS 102 225 / TS 102 226 processing): the reassembly of
 * concatenated command packets and the work buffers of one secured packet.
 * Part of struct eum_card (src/core/card.h); nothing here is persistent.
 */
#ifndef EUM_OTA_OTA_STATE_H
#define EUM_OTA_OTA_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "ota/sms_pp.h"

struct eum_rfm;

/* Response of one remote command script (TS 102 226 §5): what a PoR can carry. A PoR by SMS-SUBMIT
 * spreads over at most EUM_CAT_QUEUE short messages of ~132 octets, so more would not leave the card. */
#define EUM_OTA_SCRIPT_RSP_MAX 480
/* A response packet: RPL .. CC, the script response and cipher padding. */
#define EUM_OTA_POR_MAX (EUM_OTA_SCRIPT_RSP_MAX + 64)

struct eum_ota_state {
	struct eum_sms_reasm reasm; /* concatenated command packet being collected (TS 23.040 §9.2.3.24.1) */
	uint8_t busy;               /* a secured packet is being processed: no nested ENVELOPE */
	/* the complete command packet (CPL ...) and its deciphered part: eum_sms_reasm_max(&reasm) octets
	 * each, allocated for one ENVELOPE, wiped and freed before it answers */
	uint8_t *pkt, *work;
	uint8_t rsp[EUM_OTA_SCRIPT_RSP_MAX]; /* the remote command script's response */
	uint8_t por[EUM_OTA_POR_MAX];        /* the response packet (RPL ...) */
	/* bit i: the ISD-R SCP80 key set in slot i (KIc or KID) secures the packet in progress; 0 outside a
	 * packet. A command of that packet must not remove it: its PoR is built with it (SGP.02 §7.11). */
	uint32_t isdr_sets_in_use;
	/* the RFM instance whose script is running: its access domains replace the terminal's PIN states
	 * in the access checks (src/fs/access.c, TS 102 226 §8.2.1.3.2.5); NULL outside RFM scripts */
	const struct eum_rfm *rfm;
};

#endif
