/*
 * Volatile GlobalPlatform command state (GP Card Specification v2.3):
 * what a logical channel remembers between two commands of a GP sequence —
 * the INSTALL [for personalization] target (§11.5.2.3.6), the STORE DATA
 * block sequence (§11.11.2.2) and the GET STATUS "next occurrence" cursor
 * (§11.4.2.2) — plus the one card-wide STORE DATA assembly buffer.
 * All-zero is the idle state; nothing here is persistent.
 */
#ifndef EUM_GP_GP_STATE_H
#define EUM_GP_GP_STATE_H

#include <stdint.h>

/* Largest STORE DATA sequence assembled before its DGIs are handled (a
 * certificate DGI 3A01 plus a key agreement DGI 3A02 fit with room to spare). */
#define EUM_GP_STORE_DATA_MAX 1024
/* GET STATUS search criteria kept for a continuation. */
#define EUM_GP_STATUS_AID_MAX  16
#define EUM_GP_STATUS_TAGS_MAX 16

struct eum_gp_chan {
	/* INSTALL [for personalization]: the ISD-P slot receiving the following STORE DATA */
	uint8_t perso_active;
	uint8_t perso_isdp;
	/* STORE DATA sequence in progress on this channel */
	uint8_t sd_active;
	uint8_t sd_next_block; /* P2 the next block must carry */
	uint8_t sd_p1;         /* structure and encryption bits (P1 b7-b4) of the sequence */
	uint32_t sd_token;     /* must equal eum_gp_card.sd_token: the card buffer holds this sequence */
	/* GET STATUS continuation (6310, then P2 b1 = 1) */
	uint8_t gs_active;
	uint8_t gs_p1;
	uint8_t gs_next; /* index of the next registry entry to report */
	uint8_t gs_aid_len;
	uint8_t gs_aid[EUM_GP_STATUS_AID_MAX];
	uint8_t gs_tags_len; /* 0 = default tag list */
	uint8_t gs_tags[EUM_GP_STATUS_TAGS_MAX];
};

/* Card-wide: one STORE DATA assembly buffer, owned by the channel whose
 * sd_token matches (a new sequence on another channel takes it over). */
struct eum_gp_card {
	uint32_t sd_token; /* last token handed out; 0 = none */
	uint16_t sd_len;
	uint8_t *sd_buf; /* EUM_GP_STORE_DATA_MAX bytes, allocated by the first STORE DATA; NULL before */
};

/* Wipe and free the STORE DATA buffer (the card's end). */
void eum_gp_card_free(struct eum_gp_card *g);

#endif
