/*
 * SGP.02 SCP03t, card side (digest sgp02-euicc.md §8.2, scp03.md §6): the SM-DP's tunnelled SCP03
 * session with an ISD-P, carried as BER-TLVs in ES8 remote scripts — 84 INITIALIZE UPDATE, 85 EXTERNAL
 * AUTHENTICATE (security level 33), 86 profile package segments — and the download of the DER Profile
 * Package they carry into the ISD-P through the streaming installer (src/profile/saip_install.h).
 *
 * State machine [IMPL] (scp03.md §6):
 *   IDLE --84 ok--> INIT_DONE --85 ok--> OPEN --86*--> OPEN ... --(EUICCResponse sent)--> DONE
 *   (in DONE, further 86 TLVs — the rest of a script whose package was refused early — get no answer)
 *   any length / MAC / padding / sequence error: 9F44/9F45/9F46 01 xx, the session ends (IDLE) and the
 *   partial installation is discarded.
 * The session and the installation in progress are volatile state of the card (card->es8->dl, heap):
 * a power cut ends them (no profile, the ISD-P keeps its keys). One session per card: a new 84 replaces
 * the one in progress. Segments may have any size and need not follow PE boundaries; each is decrypted
 * and fed to the installer as it arrives (only the installer's current PE is buffered).
 *
 * Crypto reuses the SCP03 engine (src/gp/scp03.h): session keys and pseudo-random card challenge of the
 * ISD-P's key set (INITIALIZE UPDATE of the GP layer, so the sequence counter moves and is committed
 * before the 84 answer leaves), C-MAC chain over MCV || 86 || BER length(ct + 8) || ct, ICV = AES(S-ENC,
 * counter), the counter incremented before each 86, R-ENC / R-MAC on the 86 that carries the
 * EUICCResponse. UNCONFIRMED points are the two switches below.
 */
#ifndef EUM_SGP02_SCP03T_H
#define EUM_SGP02_SCP03T_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"
#include "profile/saip_install.h"

/* Command TLV tags (digest §8.2) and the error tag rule 9F || (tag - 40). */
#define EUM_SCP03T_TAG_INIT_UPDATE 0x84
#define EUM_SCP03T_TAG_EXT_AUTH    0x85
#define EUM_SCP03T_TAG_SEGMENT     0x86
#define EUM_SCP03T_ERR_LENGTH      0x01 /* wrong length / structure of the command data */
#define EUM_SCP03T_ERR_SECURITY    0x02 /* cryptogram, MAC or padding wrong; no session */
#define EUM_SCP03T_ERR_NOT_FOUND   0x03 /* referenced data not found (no key set with this KVN) */
#define EUM_SCP03T_SL              0x33 /* C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION (SGP.02) */

/* R-ENC ICV of the 86 response (scp03.md §6): GP = AES(S-ENC, counter block with first byte 80), as for
 * APDU responses; CMD = the command's ICV (whty's decoder). UNCONFIRMED: this is the one switch. */
enum eum_scp03t_renc_icv { EUM_SCP03T_RENC_ICV_GP = 0, EUM_SCP03T_RENC_ICV_CMD = 1, EUM_SCP03T_RENC_ICV_NUM };
#ifndef EUM_SCP03T_RENC_ICV
#define EUM_SCP03T_RENC_ICV EUM_SCP03T_RENC_ICV_GP
#endif
/* R-MAC input of the 86 response (scp03.md §6): TLV = MCV || 86 || L || ct (whty; L = BER length of
 * ct + 8); DATA_SW = the APDU rule MCV || ct || 90 00. UNCONFIRMED (single source): the one switch. */
enum eum_scp03t_rmac_input { EUM_SCP03T_RMAC_TLV = 0, EUM_SCP03T_RMAC_DATA_SW = 1, EUM_SCP03T_RMAC_NUM };
#ifndef EUM_SCP03T_RMAC_INPUT
#define EUM_SCP03T_RMAC_INPUT EUM_SCP03T_RMAC_TLV
#endif

enum eum_scp03t_state {
	EUM_SCP03T_IDLE = 0,
	EUM_SCP03T_INIT_DONE, /* 84 answered, waiting for 85 */
	EUM_SCP03T_OPEN,      /* 85 accepted: segments are welcome */
	EUM_SCP03T_DONE,      /* the EUICCResponse went out; the session takes nothing more */
	EUM_SCP03T_STATE_NUM
};

/* One SCP03t session and the installation it feeds (heap, owned by card->es8->dl). */
struct eum_scp03t {
	uint8_t state; /* enum eum_scp03t_state */
	uint8_t isdp;  /* ISD-P slot */
	uint8_t aid[16];
	struct eum_scp03_session s;
	struct eum_saip_installer *inst; /* from the first 86 until the EUICCResponse (heap, owned) */
	struct eum_saip_extras *ext;     /* what the installer hands over at the end (heap, owned) */
	size_t segments;                 /* 86 commands accepted */
	size_t bytes;                    /* plain package bytes fed to the installer */
};

/* Return values of eum_scp03t_tlv(). */
#define EUM_SCP03T_CONSUMED 0  /* answered (or nothing to answer) */
#define EUM_SCP03T_FATAL    1  /* answered 9F4x: the session is over; the rest of the script is skipped */
#define EUM_SCP03T_UNKNOWN  -1 /* not an SCP03t tag */

/*
 * SGP.02 §4.1.3.3 / digest §8.2: one SCP03t command TLV (tag, value) of a remote script addressed to the
 * ISD-P in slot isdp. Writes the answer TLV (84 20 ..., 85 00, 86 00, 86 L R-ENC(EUICCResponse) R-MAC,
 * or 9F4x 01 code) to rsp when it fits in cap; *rlen = its length (larger than cap: nothing written).
 * May commit the persistent state (the sequence counter on 84, the installed profile on the last 86).
 */
int eum_scp03t_tlv(struct eum_card *card, int isdp, uint8_t tag, const uint8_t *val, size_t len, uint8_t *rsp,
                   size_t cap, size_t *rlen);

/* End the card's SCP03t session, if any: keys wiped, the installation in progress discarded. */
void eum_scp03t_end(struct eum_card *card);

#endif
