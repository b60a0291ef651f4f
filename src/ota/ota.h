/*
 * The card's OTA receiver: SMS-PP data download (3GPP TS 31.111 §7.1.1) of SCP80 secured
 * packets (ETSI TS 102 225, TS 31.115), remote command scripts (ETSI TS 102 226) on the TAR's
 * application, and the proof of receipt. Glue between src/ota/sms_pp.c, scp80.c, remote_apdu.c,
 * the APDU engine and the proactive queue (src/cat/).
 */
#ifndef EUM_OTA_OTA_H
#define EUM_OTA_OTA_H

#include <stddef.h>

#include "core/card.h"
#include "ota/ota_state.h"

/* Largest PoR (with its UDH 02 71 00) returned as ENVELOPE response data, i.e. in the user data
 * of the SMS-DELIVER-REPORT. UNCONFIRMED: our reading of TS 31.111 §7.1.1 (RP-ACK user data);
 * a larger PoR goes by SMS-SUBMIT with a status 0B PoR in the ENVELOPE response. */
#define EUM_OTA_ENVELOPE_POR_MAX 128

/*
 * ENVELOPE (SMS-PP download), TS 31.111 §7.1.1.2: data = D1 L ... as received. Reassembles
 * concatenated parts (expiry by the host clock), unwraps the command packet with the key sets of
 * its TAR, stores a moved counter before anything runs, executes the secured data as a remote
 * command script and answers with the PoR that SPI2 asks for (see ota.c for the status words).
 */
uint16_t eum_ota_sms_pp_download(struct eum_card *card, const uint8_t *data, size_t len, struct eum_rsp *r);

/* The RFM instance whose remote script is running (its access domains apply), NULL outside one. */
const struct eum_rfm *eum_ota_rfm(const struct eum_card *card);
/* Bit i: the ISD-R SCP80 key set in slot i secures the packet in progress (0 outside a packet). */
uint32_t eum_ota_isdr_sets_in_use(const struct eum_card *card);
/* Free the OTA receiver (wiped) if the card has one. */
void eum_ota_free(struct eum_card *card);

#endif
