/*
 * The card's remote script engine (ETSI TS 102 226 §5, §8): one script (compact, AA or AE) run on
 * the virtual channel of a target application — the ISD-R, an ISD-P (SGP.02 ES5/ES8, with the
 * SCP03t TLVs 84/85/86) or an RFM instance of the enabled profile — whatever carried it: an SCP80
 * packet over SMS-PP (src/ota/ota.c) or an SCP81 HTTP body over BIP (src/ota/scp81.c). Both
 * transports call this one function; nothing of a transport is inside.
 */
#ifndef EUM_OTA_SCRIPT_H
#define EUM_OTA_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"
#include "ota/remote_apdu.h"

struct eum_rfm;

/* Response data of one C-APDU run on the virtual channel, held for GET RESPONSE (the engine's own
 * limit, EUM_RESP_MAX). The buffer exists for one script run only. */
#define EUM_SCRIPT_APDU_RSP_MAX 4096

enum eum_script_kind {
	EUM_SCRIPT_ISDR, /* the ISD-R (SGP.02 ES5) */
	EUM_SCRIPT_ISDP, /* an ISD-P (SGP.02 ES8): SCP03t TLVs are taken */
	EUM_SCRIPT_RFM,  /* an RFM instance of the enabled profile (TS 102 226 §8) */
	EUM_SCRIPT_KIND_NUM
};

/* Where a script runs. */
struct eum_script_target {
	enum eum_script_kind kind;
	uint8_t isdp;              /* ISD-P slot (EUM_SCRIPT_ISDP) */
	int32_t adf;               /* RFM: file index of the ADF the instance serves, -1 = the MF */
	const struct eum_rfm *rfm; /* RFM: the instance (its access domains apply for the script) */
};

/* Bytes of volatile memory one script run holds (the held response data and its state). */
size_t eum_ota_script_footprint(void);

/*
 * Run `script` (len octets) on the target's virtual channel and build its response in out (cap
 * octets): eum_rapdu_run() with the exec callback of the engine (each C-APDU through
 * eum_process_apdu with T=0 rules), the ES8 GP-sequence carry of a security domain from one script
 * to the next, and for an RFM target the instance's access domains instead of the terminal's PIN
 * states (saved and restored; an RFM target needs the SMS receiver, card->ota, to exist).
 * Returns EUM_OK (res filled, res->len octets in out), EUM_ERR_NO_MEMORY, EUM_ERR_STATE (RFM
 * without the receiver) or what eum_rapdu_run() returns.
 */
int eum_ota_run_script(struct eum_card *card, const struct eum_script_target *t, const uint8_t *script, size_t len,
                       uint8_t *out, size_t cap, struct eum_rapdu_result *res);

#endif
