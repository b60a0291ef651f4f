/*
 * Proactive UICC (ETSI TS 102 221 §7.4.2, ETSI TS 102 223 §6): TERMINAL
 * PROFILE, the proactive command queue behind 91xx, FETCH and TERMINAL
 * RESPONSE.
 */
#ifndef EUM_CAT_CAT_H
#define EUM_CAT_CAT_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"
#include "cat/cat_state.h"
#include "ota/sms_pp.h"

/* Length of the proactive command waiting for FETCH (0 = none). */
size_t eum_cat_pending_len(const struct eum_card *card);
/* Clear the toolkit session (reset): terminal profile and commands in flight.
 * Queued commands survive a reset only where the caller re-queues them. */
void eum_cat_session_reset(struct eum_card *card);
/* Cold reset / power-off: drop the proactive commands in flight and restart numbering. */
void eum_cat_power_cycle(struct eum_card *card);
/* TERMINAL PROFILE, FETCH, TERMINAL RESPONSE, ENVELOPE as card-level commands (cat.c). */
extern const struct eum_cmd_table eum_cat_card_cmd_table;
/* Terminal profile bit n (TS 102 223 §5.2, counted from 1) as the terminal sent it. */
int eum_cat_tp_bit(const struct eum_card *card, unsigned n);
/* Queue a proactive command given as its COMPREHENSION-TLVs (command details
 * first, without the D0 wrapper; the command number is filled in).
 * Returns EUM_OK, EUM_ERR_STATE (queue full) or EUM_ERR_BUFFER_TOO_SMALL. */
int eum_cat_queue(struct eum_card *card, const uint8_t *tlvs, size_t len);

/* After a failed commit (src/card/card.c): the queue as held before the APDU, a command its TERMINAL
 * RESPONSE ended staying ended. */
void eum_cat_txn_restore(struct eum_card *card, const struct eum_cat *held);

/* Free entries in the proactive command queue. */
size_t eum_cat_queue_space(const struct eum_card *card);
/* Command number of the command queued last (0 when the queue is empty). */
uint8_t eum_cat_tail_number(const struct eum_card *card);
/* The command with this number and type is in the queue (fetched or not). */
int eum_cat_queued(const struct eum_card *card, uint8_t number, uint8_t type);
/* Take the queued command with this number out of the queue, unless the terminal fetched it
 * already (it then ends with its TERMINAL RESPONSE). Returns EUM_OK, EUM_ERR_NOT_FOUND or
 * EUM_ERR_STATE (fetched). */
int eum_cat_cancel(struct eum_card *card, uint8_t number);

/* ---- proactive command builders (proactive.c, TS 102 223 §6.6) ----------------------------
 * Each checks the TERMINAL PROFILE first and queues nothing the terminal cannot do:
 * EUM_ERR_UNSUPPORTED when the terminal did not announce the command (or no TERMINAL PROFILE
 * came yet), EUM_ERR_STATE when the queue has no room, EUM_ERR_INVALID_ARG for bad arguments.
 * The host sees the command through 91xx and eum_card_proactive_pending(). */

/* Terminal profile bits (TS 102 223 §5.2, counted from 1 as eum_cat_tp_bit() takes them). */
#define EUM_CAT_TP_SMS_PP_DOWNLOAD   2
#define EUM_CAT_TP_REFRESH           24
#define EUM_CAT_TP_SEND_SM           26
#define EUM_CAT_TP_SET_UP_EVENT_LIST 33

/* REFRESH qualifiers (TS 102 223 §8.6). 01/04 confirmed by sources, the rest UNCONFIRMED (spec
 * digest uicc-usim.md §7.3). */
#define EUM_CAT_REFRESH_NAA_INIT_FULL_FCN          0x00
#define EUM_CAT_REFRESH_FCN                        0x01
#define EUM_CAT_REFRESH_NAA_INIT_FCN               0x02
#define EUM_CAT_REFRESH_NAA_INIT                   0x03
#define EUM_CAT_REFRESH_UICC_RESET                 0x04
#define EUM_CAT_REFRESH_NAA_APP_RESET              0x05
#define EUM_CAT_REFRESH_NAA_SESSION_RESET          0x06
#define EUM_CAT_REFRESH_STEERING_OF_ROAMING        0x07
#define EUM_CAT_REFRESH_EUICC_PROFILE_STATE_CHANGE 0x09

/* Event list values (TS 102 223 §8.25). */
#define EUM_CAT_EVENT_LOCATION_STATUS 0x03
#define EUM_CAT_EVENT_DATA_AVAILABLE  0x09
#define EUM_CAT_EVENT_CHANNEL_STATUS  0x0A

/* REFRESH, TS 102 223 §6.6.13, for the qualifiers that need no file list (all but 01 and 02). */
int eum_cat_refresh(struct eum_card *card, uint8_t qualifier);
/* REFRESH with an optional file list (value of the file list object §8.18: number of files, then
 * the paths) and an optional AID (§8.60); qualifiers 01 and 02 require the file list. */
int eum_cat_refresh_files(struct eum_card *card, uint8_t qualifier, const uint8_t *files, size_t files_len,
                          const uint8_t *aid, size_t aid_len);
/* SET UP EVENT LIST, TS 102 223 §6.6.16: events (values §8.25), n = 0 removes the list. Every event
 * must also be announced in the terminal profile. Records the list in card->cat->events. */
int eum_cat_set_up_event_list(struct eum_card *card, const uint8_t *events, size_t n);
/* SEND SHORT MESSAGE, TS 102 223 §6.6.9, for one SMS-SUBMIT TPDU (qualifier 00: packing not
 * required); smsc (TON/NPI + BCD, §8.1) may be NULL: the terminal's default SMSC. */
int eum_cat_send_short_message(struct eum_card *card, const uint8_t *tpdu, size_t tpdu_len, const uint8_t *smsc,
                               size_t smsc_len);
/* A response or command packet by SMS-SUBMIT (TS 31.115 §4 / TS 23.040 §9.2.3.24.1): one SEND
 * SHORT MESSAGE per part, all queued or none. iei: EUM_SMS_IEI_RPI (PoR) or EUM_SMS_IEI_CPI. */
int eum_cat_send_packet(struct eum_card *card, const struct eum_sms_addr *da, uint8_t iei, const uint8_t *pkt,
                        size_t len);

/* ---- ENVELOPE (envelope.c, TS 102 221 §11.2.2, TS 102 223 §7) ------------------------------ */

/* ENVELOPE: D1 SMS-PP download (to src/ota/ota.c), D6 event download; D4/D5 call control and
 * MO short message control are answered "allowed, no modification" (no data). */
uint16_t eum_cat_envelope(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);

/* Event download hooks (TS 102 223 §7.5): called by the ENVELOPE handler, callable by later SGP.02
 * code (network attach triggers, BIP). For now they record the event in card->cat and log it. */
void eum_cat_on_location_status(struct eum_card *card, uint8_t status);
void eum_cat_on_data_available(struct eum_card *card, const uint8_t chan_status[2], uint8_t len);
void eum_cat_on_channel_status(struct eum_card *card, const uint8_t chan_status[2]);

uint16_t eum_cat_terminal_profile(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                  struct eum_rsp *r);
uint16_t eum_cat_fetch(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r);
uint16_t eum_cat_terminal_response(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                   struct eum_rsp *r);

#endif
