/*
 * The ECASD application (SGP.02 §1, §2.3): GET DATA of the EID (tag 5A) and
 * of CERT.ECASD.ECKA (tag 7F21), GP Card Specification §11.3.
 */
#include <string.h>

#include "core/sw.h"
#include "gp/gp.h"
#include "util/tlv.h"

/* GET DATA, GPCS §11.3 (SGP.02 §2.3: EID in tag 5A) */
static uint16_t ecasd_get_data(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                               struct eum_rsp *r)
{
	const struct eum_ecasd *e = &card->ps->ecasd;
	uint16_t tag = (uint16_t)(a->p1 << 8 | a->p2);
	struct eum_buf b;

	eum_buf_init(&b, r->data, r->cap);
	switch (tag) {
	case 0x005A:
		eum_buf_ber_tlv(&b, 0x5A, e->eid, sizeof(e->eid));
		break;
	case 0x7F21:
		if (e->cert_len == 0)
			return EUM_SW_REFERENCED_DATA_NOT_FOUND;
		eum_buf_put(&b, e->cert, e->cert_len); /* the certificate is itself the 7F21 TLV */
		break;
	default:
		eum_log(card, EUM_LOG_DEBUG, "ECASD GET DATA %04X: no such data object", tag);
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	}
	if (b.overflow)
		return EUM_SW_TECHNICAL_PROBLEM;
	r->len = b.len;
	return EUM_SW_OK;
}

static const struct eum_cmd ecasd_cmds[] = {
        {0x80, 0xCA, EUM_CASE1 | EUM_CASE2, ecasd_get_data, "GET DATA", EUM_SEC_NONE, 0},
};

const struct eum_cmd_table eum_ecasd_cmd_table = {ecasd_cmds, sizeof(ecasd_cmds) / sizeof(ecasd_cmds[0])};
