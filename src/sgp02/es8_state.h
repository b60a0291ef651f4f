/*
 * Volatile ES8 state of the card (SGP.02 §8, digest sgp02-euicc.md §8.1-§8.2): what the ISD-P side
 * remembers between the commands of EstablishISDPKeySet (the RC of DGI 3A01 and the SM-DP's
 * certificate key, used once by DGI 3A02), the SCP03t download session with its streaming profile
 * installer, and the GP command state of an ISD-P's remote scripts (a STORE DATA sequence spans
 * scripts: 3A01 and 3A02 are blocks 00 and 01 of one sequence). Part of struct eum_card; nothing
 * here is persistent: a power cut ends all of it (no profile, keys kept).
 */
#ifndef EUM_SGP02_ES8_STATE_H
#define EUM_SGP02_ES8_STATE_H

#include <stdint.h>

#include "crypto/ecc.h"
#include "gp/gp_state.h"

#define EUM_ES8_RC_LEN 16 /* digest §8.1 step 1.4: 85 10 RC ([C] whty) */

/* Between DGI 3A01 and DGI 3A02 (digest §8.1, and §7.11 on the ISD-R): set by an accepted certificate,
 * cleared by any 3A02. */
struct eum_es8_keyest {
	uint8_t active;  /* an RC is outstanding */
	uint8_t isdr;    /* for the ISD-R (ES5 SM-SR change, digest §7.11) rather than an ISD-P */
	uint8_t isdp;    /* for this ISD-P slot (isdr = 0) */
	uint8_t aid[16]; /* and this ISD-P instance (a deleted and re-created slot does not inherit it) */
	uint8_t curve;   /* of PK.DP.ECDSA / PK.SR.ECDSA (= the ECASD curve) */
	uint8_t rc[EUM_ES8_RC_LEN];
	uint8_t pk_dp[EUM_ECC_PUB_LEN]; /* PK.DP.ECDSA (or PK.SR.ECDSA) from the verified certificate */
	/* the 7F49 and 5F37 DGIs following a 3A02 were consumed by its handler (reset per 3A02) */
	uint8_t took_7f49, took_5f37;
};

/* GP command state carried from one remote script to the next one for the same SD (ota.c). */
struct eum_es8_gp_carry {
	uint8_t valid;
	uint8_t app;  /* enum eum_app of the script's target */
	uint8_t isdp; /* its ISD-P slot */
	struct eum_gp_chan gp;
};

struct eum_scp03t;

struct eum_es8_state {
	/* configuration (eum_config, applied at every eum_card_new; not persistent) */
	uint8_t receipt_variant; /* enum eum_ecka_receipt_variant (eum_config.ecka_receipt) */
	uint8_t ci_kid_len;      /* the CI key identifier a certificate's 73/C9 must name */
	uint8_t ci_kid[32];
	struct eum_es8_keyest ke;
	struct eum_es8_gp_carry carry;
	struct eum_scp03t *dl; /* SCP03t session + installer in progress (heap, owned; NULL = none) */
};

#endif
