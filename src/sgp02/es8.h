/*
 * SGP.02 ES8 on the ISD-P (SM-DP → eUICC, tunnelled by the SM-SR): the DGI handlers plugged into
 * STORE DATA (es8_isdp.c) — EstablishISDPKeySet scenario #3 (DGI 3A01 certificate, DGI 3A02 key
 * agreement followed by the 7F49 and 5F37 DGIs) and UpdateConnectivityParameters (DGI 3A07) — and the
 * SCP03t download (scp03t.h). Digest: sgp02-euicc.md §8.
 *
 * The same 3A01/3A02 handlers run on the ISD-R for ES5 EstablishISDRKeySet (SM-SR change, digest §7.11):
 * an SM-SR certificate (73/C8 = 02) there, and an ISD-R SCP80 key set (src/sgp02/es5_handover.h, which
 * adds its own status words).
 *
 * Status words of the key establishment (SGP.02 values UNCONFIRMED, digest §8.1; our choice):
 *   6A80  certificate or 3A02 content malformed; certificate not of an SM-DP (73/C8 ≠ 01; on the ISD-R
 *         not of an SM-SR, ≠ 02), key usage not signature verification, curve other than the ECASD's;
 *         CRT unsupported; ePK not on the curve
 *   6982  CI signature over the certificate, or SM-DP (SM-SR) signature over 3A02 || 7F49 || 0085 RC, invalid;
 *         3A07 without an SCP03 session with C-MAC on this ISD-P's own channel
 *   6985  certificate outside its validity period (eum_card_now()); no RC outstanding for this ISD-P (ISD-R)
 *         (3A02 without an accepted 3A01, or replayed: an RC serves one 3A02, accepted or not);
 *         ISD-P in a state that takes no keys (not SELECTABLE / PERSONALIZED, or holding a profile)
 *   6A84  no free SCP03 key set slot for the CRT's KVN
 * A refused command changes no persistent state.
 */
#ifndef EUM_SGP02_ES8_H
#define EUM_SGP02_ES8_H

#include "gp/gp.h"
#include "sgp02/es8_state.h"

/* DGI 3A01: CERT.DP.ECDSA (7F21), answered 85 10 RC (SGP.02 §4.1.3.1 / digest §8.1 step 1). */
uint16_t eum_es8_dgi_3a01(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r);
/* DGI 3A02: A6 CRT, with the DGIs 7F49 (ePK.DP.ECKA) and 5F37 (SM-DP signature) that follow it in the
 * same STORE DATA data; answered [85 L DR] 86 10 receipt (digest §8.1 step 2). */
uint16_t eum_es8_dgi_3a02(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r);
/* DGIs 7F49 and 5F37: accepted only as the two DGIs a 3A02 handler has just consumed. */
uint16_t eum_es8_dgi_7f49(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r);
uint16_t eum_es8_dgi_5f37(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r);
/* DGI 3A07: UpdateConnectivityParameters (SGP.02 §4.1.3.4 / digest §8.3), in an SCP03 session. */
uint16_t eum_es8_dgi_3a07(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                          struct eum_rsp *r);

/* Validation halves (eum_gp_dgi_check_fn) of 3A01, 3A02 and 3A07: the same checks, changing nothing (the
 * 3A02 check leaves the RC outstanding; the handler consumes it, accepted or not). */
uint16_t eum_es8_dgi_3a01_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                size_t len);
uint16_t eum_es8_dgi_3a02_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                size_t len);
uint16_t eum_es8_dgi_3a07_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                size_t len);

/* Rows of the STORE DATA DGI table (src/gp/store_data.c) for ES8 on the ISD-P (SGP.02 §5), and the same
 * key establishment DGIs on the ISD-R for ES5 EstablishISDRKeySet (SM-SR change, digest §7.11: isdp = -1).
 * 7F49 and 5F37 are continuations: valid only right after 3A02 / 7F49, which consume them. */
/* clang-format off */
#define EUM_ES8_DGI_ROWS                                                                           \
	{EUM_GP_SD_FORMAT_DGI, 0x3A01, EUM_APP_ISDP, eum_es8_dgi_3a01, "ES8 EstablishISDPKeySet certificate", \
	 eum_es8_dgi_3a01_check, 0, 0},                                                            \
	{EUM_GP_SD_FORMAT_DGI, 0x3A02, EUM_APP_ISDP, eum_es8_dgi_3a02,                             \
	 "ES8 EstablishISDPKeySet key agreement", eum_es8_dgi_3a02_check, 0, 0},                   \
	{EUM_GP_SD_FORMAT_DGI, 0x7F49, EUM_APP_ISDP, eum_es8_dgi_7f49, "ES8 ePK.DP.ECKA", NULL, 0x3A02, 0}, \
	{EUM_GP_SD_FORMAT_DGI, 0x5F37, EUM_APP_ISDP, eum_es8_dgi_5f37, "ES8 SM-DP signature", NULL, 0x7F49, 0}, \
	{EUM_GP_SD_FORMAT_DGI, 0x3A07, EUM_APP_ISDP, eum_es8_dgi_3a07, "ES8 UpdateConnectivityParameters", \
	 eum_es8_dgi_3a07_check, 0, 0},                                                            \
	{EUM_GP_SD_FORMAT_DGI, 0x3A01, EUM_APP_ISDR, eum_es8_dgi_3a01, "ES5 EstablishISDRKeySet certificate", \
	 eum_es8_dgi_3a01_check, 0, 0},                                                            \
	{EUM_GP_SD_FORMAT_DGI, 0x3A02, EUM_APP_ISDR, eum_es8_dgi_3a02,                             \
	 "ES5 EstablishISDRKeySet key agreement", eum_es8_dgi_3a02_check, 0, 0},                   \
	{EUM_GP_SD_FORMAT_DGI, 0x7F49, EUM_APP_ISDR, eum_es8_dgi_7f49, "ES5 ePK.SR.ECKA", NULL, 0x3A02, 0}, \
	{EUM_GP_SD_FORMAT_DGI, 0x5F37, EUM_APP_ISDR, eum_es8_dgi_5f37, "ES5 SM-SR signature", NULL, 0x7F49, 0},
/* clang-format on */

/* Forget the volatile ES8 state (outstanding RC, SCP03t session and installation, carried GP state):
 * a power cut or a card reset. */
void eum_es8_session_reset(struct eum_card *card);

#endif
