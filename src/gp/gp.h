/*
 * The GlobalPlatform side of the eUICC (SGP.02 §1-§2, GP Card Specification
 * v2.3): the ISD-R, ECASD and ISD-P applications, their AIDs and selection.
 */
#ifndef EUM_GP_GP_H
#define EUM_GP_GP_H

#include "core/card.h"

/* SGP.02 Annex H AIDs (16 bytes). */
extern const uint8_t eum_aid_isdr[16];
extern const uint8_t eum_aid_ecasd[16];
extern const uint8_t eum_aid_isdp_elf[16];    /* ISD-P executable load file */
extern const uint8_t eum_aid_isdp_module[16]; /* ISD-P executable module */
/* ISD-P instance AID for a TAR (SGP.02 Annex H: A0000005591010FFFFFFFF89 TAR(3) 00). */
void eum_isdp_aid_for_tar(const uint8_t tar[3], uint8_t aid[16]);

/* SELECT by DF name for a platform AID (ISD-R, ECASD, or an ISD-P over OTA):
 * makes it the channel's application and answers its FCI. Returns 0 when
 * the AID is not a platform AID (the channel's own application handles the
 * SELECT), else the SW. A SELECT other than by DF name on a platform
 * channel returns the channel to the UICC application (returns 0). */
uint16_t eum_gp_route_select(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
			     struct eum_rsp *r);

/* ISD-P slot with this AID, or -1. */
int eum_isdp_find(const struct eum_card *card, const uint8_t *aid, size_t len);

/* Fill the ECASD and ISD-R with the documented test identity (README). */
void eum_gp_default_identity(struct eum_pstate *ps);

/* INITIALIZE UPDATE / EXTERNAL AUTHENTICATE for the SD on this channel
 * (GP Amd D §7.1), shared by the ISD-R and ISD-P command tables. */
uint16_t eum_gp_initialize_update(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
				  struct eum_rsp *r);
uint16_t eum_gp_external_authenticate(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
				      struct eum_rsp *r);

#endif
