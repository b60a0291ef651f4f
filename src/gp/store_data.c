/*
 * GlobalPlatform STORE DATA (GP Card Specification v2.3 §11.11) as SGP.02
 * §5 uses it: numbered blocks (P2) of one sequence, ended by P1 b8, are
 * assembled in a bounded buffer, then each DGI (or BER-TLV) of the sequence
 * is handed to its handler from ONE table. The receiving SD is the one named
 * by INSTALL [for personalization] on this channel, else the channel's own.
 */
#include <stdlib.h>
#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "gp/gp.h"
#include "sgp02/es5.h"
#include "sgp02/es8.h"
#include "util/tlv.h"
#include "store/store.h"

/* P1 coding, GPCS Table 11-89 */
#define P1_LAST         0x80
#define P1_ENC_MASK     0x60
#define P1_ENC_RFU      0x40
#define P1_ENC_DEK      0x60
#define P1_STRUCT_SHIFT 3
#define P1_STRUCT_MASK  0x18
#define P1_SEQ_MASK     (P1_ENC_MASK | P1_STRUCT_MASK) /* must stay the same over a sequence */
#define P1_RSP_EXPECTED 0x01 /* b1: response data expected (SGP.02 digest §5: 09 = more blocks, answer now) */

/*
 * The DGIs the platform knows, with the SD each is defined for. SGP.02 §5:
 * ES5 (ISD-R) 3A03 enable, 3A04 disable, 3A05 fall-back, 3A07 SM-SR
 * addressing, 3A08 notification confirmation, 3A01/3A02 SM-SR change; ES8
 * (ISD-P) 3A01 certificate, 3A02 key agreement, 3A07 connectivity
 * parameters. Their handlers come with the ES5 / ES8 work; a DGI without a
 * row answers 6A88.
 */
static const struct eum_gp_dgi_handler dgi_rows[] = {
        EUM_ES5_DGI_ROWS                   /* SGP.02 ES5: src/sgp02/es5.h */
                EUM_ES8_DGI_ROWS           /* SGP.02 ES8: src/sgp02/es8.h */
        {0, 0, 0, NULL, NULL, NULL, 0, 0}, /* end marker, so the array is never empty; tag 0 never matches */
};

const struct eum_gp_dgi_table eum_gp_dgi_table = {dgi_rows, sizeof(dgi_rows) / sizeof(dgi_rows[0])};

static const struct eum_gp_dgi_handler *lookup(const struct eum_gp_dgi_table *tbl, uint8_t format, uint32_t tag,
                                               uint8_t app)
{
	size_t i;

	for (i = 0; i < tbl->n; i++) {
		const struct eum_gp_dgi_handler *h = &tbl->rows[i];
		if (h->fn && h->format == format && h->tag == tag && h->app == app)
			return h;
	}
	return NULL;
}

/* One unit of the assembled data: a DGI (2-byte tag, length 00-FE or FF xxxx,
 * GPCS §11.11.2.3) or a BER-TLV. Returns 1, 0 at the end, -1 malformed. */
static int next_unit(uint8_t format, const uint8_t *buf, size_t n, size_t *off, uint32_t *tag, const uint8_t **val,
                     size_t *len)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t;
	int rc;

	if (*off >= n)
		return 0;
	eum_tlv_reader_init(&rd, buf + *off, n - *off);
	rc = format == EUM_GP_SD_FORMAT_BER ? eum_ber_next(&rd, &t) : eum_dgi_next(&rd, &t);
	if (rc != EUM_TLV_OK)
		return -1;
	*tag = t.tag;
	*val = t.val;
	*len = t.len;
	*off += t.raw_len;
	return 1;
}

/* 1 when buf holds only complete units (a block may be handled before the sequence ends). */
static int whole_units(uint8_t format, const uint8_t *buf, size_t n)
{
	size_t off = 0, len;
	const uint8_t *val;
	uint32_t tag;
	int rc;

	while ((rc = next_unit(format, buf, n, &off, &tag, &val, &len)) == 1)
		;
	return rc == 0 && n > 0;
}

static void end_sequence(struct eum_card *card, struct eum_channel *ch)
{
	ch->gp->sd_active = 0;
	if (ch->gp->sd_token == card->gp->sd_token) {
		/* the assembled data may carry key material (GPCS §11.11.2.2) */
		if (card->gp->sd_buf)
			eum_wipe(card->gp->sd_buf, EUM_GP_STORE_DATA_MAX);
		card->gp->sd_len = 0;
	}
}

void eum_gp_card_free(struct eum_gp_card *g)
{
	if (g->sd_buf) {
		eum_wipe(g->sd_buf, EUM_GP_STORE_DATA_MAX);
		free(g->sd_buf);
		g->sd_buf = NULL;
	}
	g->sd_len = 0;
}

#define MAX_UNITS 16 /* units of one list (a 1024-byte buffer of 3-byte DGIs holds more: refused) */

/*
 * Handle every unit of a complete sequence, all or nothing (issue 12 "every command is atomic"):
 *  1. every unit is looked up (6A88 for one without a handler) and the list is well formed (6A80);
 *     [IMPL] the same DGI twice in one list, or a continuation DGI (7F49, 5F37) not right after the
 *     DGI it belongs to, is refused with 6A80: each SGP.02 function is one DGI of its command (§5);
 *     so is a list of two units with the same non-zero `exclusive` (e.g. EnableProfile and
 *     SetFallbackAttribute: both change which profile is enabled or the fall-back one), since the
 *     second would be checked against a state the first changes;
 *  2. every unit is validated by its row's check against the state before the command;
 *  3. only then is every unit applied, in order.
 * A list of one unit (with its continuations) skips step 2: its handler validates before it changes
 * anything, so nothing is done twice (the signature checks of ES8 are the costly part).
 */
static uint16_t dispatch(struct eum_card *card, struct eum_channel *ch, uint8_t format, int isdp, struct eum_rsp *r,
                         const struct eum_gp_dgi_table *tbl)
{
	const struct eum_gp_dgi_handler *h[MAX_UNITS];
	const uint8_t *buf = card->gp->sd_buf, *val[MAX_UNITS];
	size_t n = card->gp->sd_len, off = 0, len[MAX_UNITS], k = 0, i, j, mains = 0;
	uint8_t app = isdp >= 0 ? EUM_APP_ISDP : EUM_APP_ISDR;
	uint32_t tag;
	int rc;
	uint16_t sw;

	while ((rc = next_unit(format, buf, n, &off, &tag, &val[k], &len[k])) == 1) {
		h[k] = lookup(tbl, format, tag, app);
		if (!h[k]) {
			eum_log(card, EUM_LOG_INFO, "STORE DATA: no handler for %s %04X on the %s",
			        format == EUM_GP_SD_FORMAT_DGI ? "DGI" : "tag", (unsigned)tag,
			        isdp >= 0 ? "ISD-P" : "ISD-R");
			return EUM_SW_REFERENCED_DATA_NOT_FOUND;
		}
		if (++k == MAX_UNITS)
			break;
	}
	if (rc < 0 || n == 0 || (rc == 1 && off < n))
		return EUM_SW_INCORRECT_DATA;
	for (i = 0; i < k; i++) {
		for (j = 0; j < i; j++)
			if (h[j] == h[i]) {
				eum_log(card, EUM_LOG_INFO, "STORE DATA: %s twice in one command", h[i]->name);
				return EUM_SW_INCORRECT_DATA;
			}
		if (h[i]->follows && (i == 0 || h[i - 1]->tag != h[i]->follows)) {
			eum_log(card, EUM_LOG_INFO, "STORE DATA: %s out of place", h[i]->name);
			return EUM_SW_INCORRECT_DATA;
		}
		for (j = 0; j < i && h[i]->exclusive; j++)
			if (h[j]->exclusive == h[i]->exclusive) {
				eum_log(card, EUM_LOG_INFO, "STORE DATA: %s and %s in one command (one per command)",
				        h[j]->name, h[i]->name);
				return EUM_SW_INCORRECT_DATA;
			}
		mains += !h[i]->follows;
	}
	for (i = 0; i < k && mains > 1; i++) {
		sw = h[i]->check ? h[i]->check(card, ch, isdp, val[i], len[i]) : 0;
		if (sw) {
			eum_log(card, EUM_LOG_INFO, "STORE DATA: %s refused: SW %04X, nothing applied", h[i]->name, sw);
			return sw;
		}
	}
	/* SGP.02 ES5/ES8 functions change the ISD-R, its ES5 state and ISD-P headers (a new profile and
	 * created or deleted ISD-Ps mark their slots themselves) */
	eum_store_dirty_admin(card);
	for (i = 0; i < k; i++) {
		struct eum_rsp sub = {r->data + r->len, r->cap - r->len, 0};
		sw = h[i]->fn(card, ch, isdp, val[i], len[i], &sub);
		if (sw != EUM_SW_OK) {
			/* after steps 1 and 2 only a technical failure (random numbers, crypto) gets here; the
			 * units before it stay applied: logged as an error */
			eum_log(card, i ? EUM_LOG_ERROR : EUM_LOG_INFO, "STORE DATA: %s refused: SW %04X%s", h[i]->name,
			        sw, i ? " after earlier units were applied" : "");
			r->len = 0;
			return sw;
		}
		r->len += sub.len;
	}
	return EUM_SW_OK;
}

uint16_t eum_gp_store_data_with(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                struct eum_rsp *r, const struct eum_gp_dgi_table *tbl)
{
	uint8_t format = (uint8_t)((a->p1 & P1_STRUCT_MASK) >> P1_STRUCT_SHIFT);
	int isdp;
	uint16_t sw;

	if ((format != EUM_GP_SD_FORMAT_DGI && format != EUM_GP_SD_FORMAT_BER) || (a->p1 & P1_ENC_MASK) == P1_ENC_RFU ||
	    (a->p1 & P1_ENC_MASK) == P1_ENC_DEK) {
		/* [IMPL] SGP.02 DGIs are DGI-structured and not DEK-encrypted (SGP.02 §5) */
		end_sequence(card, ch);
		return EUM_SW_INCORRECT_P1P2;
	}
	if (!a->data)
		return EUM_SW_WRONG_LENGTH;
	if (a->p2 == 0x00) {
		/* block 00 starts a sequence (and abandons an unfinished one) */
		end_sequence(card, ch);
		if (!card->gp->sd_buf) { /* the card's first STORE DATA sequence: its buffer from now on */
			card->gp->sd_buf = malloc(EUM_GP_STORE_DATA_MAX);
			if (!card->gp->sd_buf) {
				eum_log(card, EUM_LOG_ERROR, "STORE DATA: no memory for the assembly buffer");
				return EUM_SW_NOT_ENOUGH_MEMORY;
			}
		}
		if (++card->gp->sd_token == 0)
			card->gp->sd_token = 1;
		card->gp->sd_len = 0;
		ch->gp->sd_token = card->gp->sd_token;
		ch->gp->sd_active = 1;
		ch->gp->sd_p1 = a->p1 & P1_SEQ_MASK;
	} else if (!ch->gp->sd_active || ch->gp->sd_token != card->gp->sd_token || a->p2 != ch->gp->sd_next_block ||
	           (a->p1 & P1_SEQ_MASK) != ch->gp->sd_p1) {
		/* GPCS §11.11.2.2: blocks are numbered 00, 01, … without gaps; [IMPL] 6A86 otherwise */
		end_sequence(card, ch);
		return EUM_SW_INCORRECT_P1P2;
	}
	if (a->lc > (size_t)EUM_GP_STORE_DATA_MAX - card->gp->sd_len) {
		end_sequence(card, ch);
		return EUM_SW_NOT_ENOUGH_MEMORY;
	}
	memcpy(card->gp->sd_buf + card->gp->sd_len, a->data, a->lc);
	card->gp->sd_len = (uint16_t)(card->gp->sd_len + a->lc);
	ch->gp->sd_next_block = (uint8_t)(a->p2 + 1);
	/* the receiving SD: the personalisation target, else the channel's own SD */
	if (ch->gp->perso_active)
		isdp = ch->gp->perso_isdp;
	else
		isdp = ch->app == EUM_APP_ISDP ? ch->isdp : -1;
	if (!(a->p1 & P1_LAST)) {
		if (a->p2 == 0xFF) { /* no block number left for the next one */
			end_sequence(card, ch);
			return EUM_SW_INCORRECT_P1P2;
		}
		/* SGP.02 ES8 EstablishISDPKeySet sends DGI 3A01 as block 00 with P1 09 (more blocks, response
		 * expected: the RC is due now) and 3A02 as block 01 (digest §8.1): a block asking for its response
		 * whose data are complete DGIs is handled on arrival; the sequence goes on */
		if ((a->p1 & P1_RSP_EXPECTED) && whole_units(format, card->gp->sd_buf, card->gp->sd_len)) {
			sw = dispatch(card, ch, format, isdp, r, tbl);
			eum_wipe(card->gp->sd_buf, card->gp->sd_len);
			card->gp->sd_len = 0;
			if (sw != EUM_SW_OK)
				end_sequence(card, ch);
			return sw;
		}
		return EUM_SW_OK;
	}

	ch->gp->perso_active = 0; /* a personalisation ends with its last STORE DATA block */
	sw = dispatch(card, ch, format, isdp, r, tbl);
	end_sequence(card, ch);
	return sw;
}

/* STORE DATA, GPCS §11.11 (SGP.02 §5) */
uint16_t eum_gp_store_data(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	return eum_gp_store_data_with(card, ch, a, r, &eum_gp_dgi_table);
}
