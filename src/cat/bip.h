/*
 * Bearer Independent Protocol, UICC side (ETSI TS 102 223 §6.4.27-§6.4.31 OPEN CHANNEL, CLOSE
 * CHANNEL, RECEIVE DATA, SEND DATA, GET CHANNEL STATUS; §7.5.10/§7.5.11 data available and channel
 * status events; §8.52-§8.59 the BIP data objects; 3GPP TS 31.111 §6.4.27). One TCP client channel
 * for the card's own use (the SCP81 admin agent, src/ota/scp81.c). Details and sources: spec digest
 * scp81-https.md §2.
 *
 * The channel state (struct eum_bip, card->bip) exists only while a channel is being opened, open
 * or closing: allocated by eum_bip_open(), freed when the channel is closed, on reset and power-off.
 * Data goes one proactive command at a time: SEND DATA in pieces of at most EUM_BIP_SEND_MAX
 * bytes (qualifier 00 "store", the last 01 "send immediately"), RECEIVE DATA of at most
 * EUM_BIP_RECV_MAX bytes while the terminal says more is waiting. Proactive commands go through
 * the CAT queue (eum_cat_queue) and its transaction: a failed commit drops them with the APDU.
 */
#ifndef EUM_CAT_BIP_H
#define EUM_CAT_BIP_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"

#define EUM_BIP_SEND_MAX 0xE6 /* channel data per SEND DATA (proactive command <= 255 bytes) */
#define EUM_BIP_RECV_MAX 0xE0 /* channel data length asked per RECEIVE DATA */
#define EUM_BIP_BUFFER   1024 /* buffer size asked in OPEN CHANNEL ([IMPL], digest §2.9) */
#define EUM_BIP_RX_MAX   4096 /* bytes received and not yet taken by the user */
#define EUM_BIP_TX_MAX   4096 /* bytes given to eum_bip_send() and not yet in a SEND DATA */

/* Terminal profile bits BIP needs (TS 102 223 §5.2, counted from 1). */
#define EUM_CAT_TP_EVENT_DATA_AVAILABLE 43
#define EUM_CAT_TP_EVENT_CHANNEL_STATUS 44
#define EUM_CAT_TP_OPEN_CHANNEL         89
#define EUM_CAT_TP_CLOSE_CHANNEL        90
#define EUM_CAT_TP_RECEIVE_DATA         91
#define EUM_CAT_TP_SEND_DATA            92
#define EUM_CAT_TP_GET_CHANNEL_STATUS   93
#define EUM_CAT_TP_TCP_CLIENT_REMOTE    129

/* What happened on the channel, told to its user. */
enum eum_bip_event {
	EUM_BIP_OPENED,      /* OPEN CHANNEL performed: the channel is usable */
	EUM_BIP_OPEN_FAILED, /* OPEN CHANNEL refused: result/info = general result (§8.12) and additional info */
	EUM_BIP_DATA,        /* received bytes wait in the Rx buffer (eum_bip_recv) */
	EUM_BIP_SENT,        /* everything given to eum_bip_send() went out in SEND DATA commands */
	EUM_BIP_CLOSED,      /* the channel is gone: closed by the card (result/info of the CLOSE
	                      * CHANNEL response), link dropped or closed by the terminal (channel status
	                      * event: result 00, info = its further info, 05 = link dropped), a
	                      * SEND/RECEIVE DATA failed (result/info), the terminal sent more channel
	                      * data than asked (not taken; closed by CLOSE CHANNEL), GET CHANNEL STATUS
	                      * without our channel (00/02), a command lost with its APDU's failed
	                      * commit, reset or power-off (00/00). card->bip is freed right after this
	                      * callback returns. */
};

struct eum_bip_user {
	/* Called inside the APDU that caused it (TERMINAL RESPONSE or ENVELOPE). May call eum_bip_send,
	 * eum_bip_recv and eum_bip_close; must not call eum_bip_open. */
	void (*event)(struct eum_card *card, void *ctx, enum eum_bip_event ev, uint8_t result, uint8_t info);
	void *ctx;
};

/* The TERMINAL PROFILE announces what one TCP client channel needs: SET UP EVENT LIST (33), the
 * data available and channel status events (43, 44), OPEN/CLOSE CHANNEL, RECEIVE/SEND DATA, GET
 * CHANNEL STATUS (89-93), TCP client remote (129) and at least one channel (byte 13 b8-b6). */
int eum_bip_supported(const struct eum_card *card);

/*
 * Open the card's TCP client channel: queues SET UP EVENT LIST (data available, channel status)
 * when the current event list lacks them, then OPEN CHANNEL (qualifier 03: immediate link,
 * automatic reconnection) with the COMPREHENSION-TLVs in conn (bearer description 35, buffer size
 * 39, network access name 47, text strings 0D for login/password, transport level 3C, data
 * destination address 3E; with or without the CR bit, as the SCP81 trigger's connection
 * parameters carry them; a missing buffer size becomes EUM_BIP_BUFFER).
 * Returns EUM_OK (the outcome comes as EUM_BIP_OPENED / EUM_BIP_OPEN_FAILED), EUM_ERR_UNSUPPORTED
 * (terminal profile), EUM_ERR_STATE (a channel exists already, or no room in the proactive queue),
 * EUM_ERR_PARSE (conn malformed or without transport level / address), EUM_ERR_NO_MEMORY.
 */
int eum_bip_open(struct eum_card *card, const uint8_t *conn, size_t len, const struct eum_bip_user *user);
/* Append data to what goes out (copied). EUM_OK, EUM_ERR_STATE (no open channel),
 * EUM_ERR_BUFFER_TOO_SMALL (more than EUM_BIP_TX_MAX would be waiting; nothing taken). */
int eum_bip_send(struct eum_card *card, const uint8_t *data, size_t len);
/* Take up to cap received bytes; returns how many. */
size_t eum_bip_recv(struct eum_card *card, uint8_t *buf, size_t cap);
/* Bytes waiting in the Rx buffer / not yet sent. */
size_t eum_bip_rx_avail(const struct eum_card *card);
size_t eum_bip_tx_pending(const struct eum_card *card);
/* Close the channel (CLOSE CHANNEL after the data already given is sent); EUM_BIP_CLOSED follows
 * with its TERMINAL RESPONSE. EUM_ERR_STATE when no channel exists. */
int eum_bip_close(struct eum_card *card);
/* A channel exists (opening, open or closing). */
int eum_bip_active(const struct eum_card *card);

/* Called by the CAT module (cat.c) with every TERMINAL RESPONSE of a BIP command (types 40-44)
 * before it ends the command: EUM_OK, or EUM_ERR_PARSE when the response is malformed (a
 * truncated data object, channel data length / status / buffer size of a wrong length, an OPEN
 * CHANNEL performed without a channel identifier the terminal has): cat.c then answers 6A80 and
 * nothing changes (the command stays fetched, awaiting a correct TERMINAL RESPONSE). */
int eum_bip_check_terminal_response(const struct eum_card *card, uint8_t type, uint8_t general, const uint8_t *tr,
                                    size_t len);
/* Called by the CAT module (cat.c) with every final TERMINAL RESPONSE of a BIP command (types
 * 40-44): the whole TERMINAL RESPONSE data, its type, qualifier and general result. */
void eum_bip_on_terminal_response(struct eum_card *card, uint8_t type, uint8_t general, const uint8_t *tr, size_t len);
/* Called by envelope.c for the data available (§7.5.10) and channel status (§7.5.11) events. */
void eum_bip_on_data_available(struct eum_card *card, const uint8_t chan_status[2], uint8_t len);
void eum_bip_on_channel_status(struct eum_card *card, const uint8_t chan_status[2]);
/* Observer (src/card/card.c): after each APDU, queue the next SEND/RECEIVE DATA or CLOSE CHANNEL
 * when the proactive queue had no room before; reset / power-off end the channel. */
void eum_bip_after_apdu(struct eum_card *card);
void eum_bip_reset(struct eum_card *card);
/* Free the channel state (wiped) without telling the user. */
void eum_bip_free(struct eum_card *card);

#endif
