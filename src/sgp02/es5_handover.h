/*
 * SGP.02 ES5 SM-SR change on the ISD-R (digest sgp02-euicc.md §7.11): the ISD-R side of
 * EstablishISDRKeySet — where the SCP80 key set derived by the shared ECKA-EG flow of DGI 3A01/3A02
 * (src/sgp02/es8_isdp.c, the same code as ES8 EstablishISDPKeySet) goes — and FinaliseISDRhandover
 * (GP DELETE of an ISD-R key set, tag F2, from src/gp/gp_content.c).
 *
 * Status words (SGP.02 values UNCONFIRMED, our choice, in the family of es8.h):
 *   6A80  CRT not for an SCP80 key set (key usage other than 10 = KIc/KID/KIK, KVN outside 01-0F, a 91
 *         initial counter that does not fit 5 bytes); DELETE data other than F2 03 <KVN> 01 <02|03>
 *   6985  the CRT's KVN, or the key set to delete, secures the packet in progress; deleting the last
 *         ISD-R SCP80 key set
 *   6A84  no free ISD-R SCP80 key set slot
 *   6A88  DELETE of a KVN the ISD-R does not hold
 */
#ifndef EUM_SGP02_ES5_HANDOVER_H
#define EUM_SGP02_ES5_HANDOVER_H

#include "gp/gp.h"
#include "sgp02/ecka.h"

/* CRT 90 byte 2 bit 01: "delete existing keys when no free KVN" per a njiwa comment only (digest §7.11
 * step 2). whty sets it in every CRT it sends (params 09), so reading it that way would make 6A84
 * unreachable: by default the card ignores it and answers 6A84 when the ISD-R is full. Setting
 * EUM_ES5_HANDOVER_NJIWA_REPLACE to 1 is the njiwa alternative: with bit 01 and no free slot, the first
 * key set that does not secure the packet in progress is replaced. */
#define EUM_ES5_HANDOVER_PARAM_DELETE_KEYS 0x01
#define EUM_ES5_HANDOVER_NJIWA_REPLACE     0

/* EstablishISDRKeySet step 2 before anything is derived (digest §7.11 step 2): can the ISD-R take the
 * SCP80 key set this CRT describes? 0 with *slot = where it goes, or the SW. Changes nothing. */
uint16_t eum_es5_isdr_keyset_prepare(const struct eum_card *card, const struct eum_ecka_crt *crt, int *slot);

/* The commit of EstablishISDRKeySet (with the receipt): the new SCP80 key set (AES-128 KIc = key 1, KID =
 * key 2) under the CRT's KVN in *slot from eum_es5_isdr_keyset_prepare(), its counter = the CRT's 91
 * value (zero when 91 is absent or empty). */
void eum_es5_isdr_keyset_store(struct eum_card *card, int slot, const struct eum_ecka_crt *crt,
                               const struct eum_ecka_keys *keys);

/* FinaliseISDRhandover (digest §7.11 step 4): DELETE 80 E4 00 00 F2 03 <KVN> 01 03 on the ISD-R. */
uint16_t eum_es5_finalise_handover(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                   struct eum_rsp *r);

#endif
