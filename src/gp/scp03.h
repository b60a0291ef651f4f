/*
 * GlobalPlatform Card Specification v2.3 Amendment D (SCP03), card side:
 * static key sets, per-channel sessions, INITIALIZE UPDATE / EXTERNAL
 * AUTHENTICATE, command unwrapping and response wrapping.
 *
 * A pure engine: it neither parses the whole APDU stream nor sends anything.
 * The dispatcher routes INITIALIZE UPDATE and EXTERNAL AUTHENTICATE to the
 * handlers below, calls eum_scp03_unwrap() on every other command addressed to
 * the security domain that owns the session, and eum_scp03_wrap_response() on
 * the full response (before any T=0 61xx chunking). The primitives at the end
 * (KDF, chained C-MAC, R-MAC, counter ICVs) are what SGP.02 SCP03t reuses.
 *
 * S8 mode only (8-byte challenges, cryptograms and MACs); S16 is not offered.
 */
#ifndef EUM_GP_SCP03_H
#define EUM_GP_SCP03_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

#define EUM_SCP03_KEY_MAX      32        /* AES-256 */
#define EUM_SCP03_S8           8         /* challenge / cryptogram / MAC length in S8 mode */
#define EUM_SCP03_DIV_DATA_LEN 10        /* key diversification data in the INITIALIZE UPDATE response */
#define EUM_SCP03_IU_RSP_MAX   32        /* INITIALIZE UPDATE response with sequence counter (Amd D §7.1.1.6) */
#define EUM_SCP03_SEQ_MAX      0xFFFFFFu /* the sequence counter is 3 bytes (Amd D §6.2.2.1) */

/* Amd D §7.1.1: i parameter bits. */
#define EUM_SCP03_I_PSEUDO_RANDOM 0x10 /* pseudo-random card challenge + sequence counter */
#define EUM_SCP03_I_RMAC          0x20 /* R-MAC supported */
#define EUM_SCP03_I_RENC          0x40 /* R-ENCRYPTION supported (with R-MAC) */

/* Amd D §7.1.2: security level bits (EXTERNAL AUTHENTICATE P1). */
#define EUM_SCP03_SL_CMAC 0x01
#define EUM_SCP03_SL_CDEC 0x02
#define EUM_SCP03_SL_RMAC 0x10
#define EUM_SCP03_SL_RENC 0x20

/* Amd D Table 4-1: data derivation constants. */
#define EUM_SCP03_DDC_CARD_CRYPTOGRAM 0x00
#define EUM_SCP03_DDC_HOST_CRYPTOGRAM 0x01
#define EUM_SCP03_DDC_CARD_CHALLENGE  0x02
#define EUM_SCP03_DDC_S_ENC           0x04
#define EUM_SCP03_DDC_S_MAC           0x06
#define EUM_SCP03_DDC_S_RMAC          0x07

/*
 * One static SCP03 key set (Amd D §4.1.1): persistent plain data, no
 * pointers, so the store can save it as bytes. key_len 0 marks an empty slot.
 * seq_counter is the 24-bit sequence counter of §6.2.2.1; it holds the value
 * used by the last INITIALIZE UPDATE (0 = never used).
 */
struct eum_scp03_keyset {
	uint8_t kvn;
	uint8_t key_len; /* 16, 24 or 32 */
	uint8_t key_enc[EUM_SCP03_KEY_MAX];
	uint8_t key_mac[EUM_SCP03_KEY_MAX];
	uint8_t key_dek[EUM_SCP03_KEY_MAX];
	uint32_t seq_counter;
};

/*
 * What the security domain owning the key sets contributes to INITIALIZE
 * UPDATE. Borrowed for the call only.
 */
struct eum_scp03_sd {
	const uint8_t *aid; /* instance AID of the SD: context of the pseudo-random challenge (§6.2.2.1) */
	size_t aid_len;
	uint8_t div_data[EUM_SCP03_DIV_DATA_LEN]; /* key diversification data returned as is */
	uint8_t i_param;                          /* EUM_SCP03_I_* bits */
	eum_rng_fn rng;                           /* random card challenge when i lacks PSEUDO_RANDOM */
	void *rng_ctx;
};

enum eum_scp03_state {
	EUM_SCP03_STATE_NONE = 0,      /* no secure channel session */
	EUM_SCP03_STATE_INITIALIZED,   /* INITIALIZE UPDATE answered, waiting for EXTERNAL AUTHENTICATE */
	EUM_SCP03_STATE_AUTHENTICATED, /* session open at security level sl */
	EUM_SCP03_STATE_NUM
};

/*
 * One secure channel session, per logical channel; volatile. All-zero is a
 * valid closed session. eum_scp03_session_close() wipes it.
 */
struct eum_scp03_session {
	uint8_t state; /* enum eum_scp03_state */
	uint8_t sl;    /* current security level (EUM_SCP03_SL_* bits) */
	uint8_t kvn;   /* key set in use */
	uint8_t i_param;
	uint8_t key_len;     /* session key length = static key length */
	uint8_t rsp_pending; /* the last unwrapped command expects a wrapped response */
	uint8_t s_enc[EUM_SCP03_KEY_MAX];
	uint8_t s_mac[EUM_SCP03_KEY_MAX];
	uint8_t s_rmac[EUM_SCP03_KEY_MAX];
	uint8_t mcv[16];      /* MAC chaining value (§6.2.4) */
	uint64_t enc_counter; /* encryption counter (§6.2.6); 1 for the first command after EXTERNAL AUTHENTICATE */
	uint8_t host_challenge[EUM_SCP03_S8];
	uint8_t card_challenge[EUM_SCP03_S8];
};

/* Name of a session state for logs; never NULL. */
const char *eum_scp03_state_name(unsigned state);

/* Amd D §6.2.4 / GPCS §10.2.3: end the session and wipe every key and chaining value. */
void eum_scp03_session_close(struct eum_scp03_session *s);

/* ---- APDU-level procedures ---------------------------------------------- */

/*
 * Amd D §7.1.1 INITIALIZE UPDATE: `80 50 KVN 00 08 host_challenge [Le]`.
 * Closes any session open on s first, picks the key set (KVN 00 = the first
 * non-empty one), derives the session keys and writes the response data
 * (29 bytes, or 32 with the sequence counter) to rsp (cap >= 32).
 * In pseudo-random mode the chosen key set's seq_counter is incremented IN
 * PLACE and *counter_changed is set to 1: the caller must persist that key set
 * (keysets[*keyset_index]) BEFORE the response leaves the card, and must not
 * send the response if persisting fails. Returns 9000 or an error SW
 * (6A88 no such key set, 6700 wrong length, 6A86 wrong P2, 6985 counter
 * exhausted, 6F00 rng/crypto failure); on error the session is closed.
 */
uint16_t eum_scp03_initialize_update(struct eum_scp03_session *s, struct eum_scp03_keyset *keysets, size_t n_keysets,
                                     const struct eum_scp03_sd *sd, const uint8_t *apdu, size_t apdu_len, uint8_t *rsp,
                                     size_t cap, size_t *rsp_len, size_t *keyset_index, int *counter_changed);

/*
 * Amd D §7.1.2 EXTERNAL AUTHENTICATE: `84 82 SL 00 10 host_cryptogram C-MAC`.
 * Needs state INITIALIZED (else 6985: replay / no INITIALIZE UPDATE). Checks
 * the host cryptogram (6300) then the C-MAC (6982); 6A86 for a security level
 * not allowed by i, 6700 for a wrong length. On success the session is
 * AUTHENTICATED at level SL with the counter at 0 and the MCV set; the 9000
 * carries no R-MAC. Any error closes the session.
 */
uint16_t eum_scp03_external_authenticate(struct eum_scp03_session *s, const uint8_t *apdu, size_t apdu_len);

/*
 * Amd D §6.2.4-6.2.6: unwrap one command in place. On 9000, apdu holds a plain
 * short APDU (CLA with the SM bit cleared, INS P1 P2 [Lc data] [Le]) and
 * *apdu_len its length. Commands without the SM bit pass unchanged when no
 * session is authenticated (or for GET RESPONSE); in an authenticated session
 * with C-MAC they are refused. Any failure (bad C-MAC, bad padding, bad
 * length, SM where none is expected) returns 6982 (6700 for a length that
 * does not parse) and closes the session.
 */
uint16_t eum_scp03_unwrap(struct eum_scp03_session *s, uint8_t *apdu, size_t *apdu_len);

/*
 * Amd D §6.2.5/§6.2.7: protect the response to the last unwrapped command in
 * place: R-ENC of the data (when SL has it and data is present), then the
 * R-MAC over MCV ‖ data ‖ SW appended. Nothing is applied for error SWs
 * (anything but 9000/62xx/63xx) or when the last command was not secured.
 * data has *len bytes and room for cap. Returns EUM_OK,
 * EUM_ERR_BUFFER_TOO_SMALL (nothing changed; may be retried with more room)
 * or EUM_ERR_CRYPTO (the session is then closed).
 */
int eum_scp03_wrap_response(struct eum_scp03_session *s, uint8_t *data, size_t *len, size_t cap, uint16_t sw);

/* ---- primitives shared with SGP.02 SCP03t --------------------------------- */

/*
 * Amd D §4.1.5: KDF in counter mode (NIST SP 800-108) with AES-CMAC; input
 * block = 00×11 ‖ constant ‖ 00 ‖ L(16 bits, BE) ‖ i ‖ context. out_len bytes
 * (L = 8·out_len bits, at most 64 bytes); context up to 48 bytes.
 */
int eum_scp03_kdf(const uint8_t *key, size_t key_len, uint8_t constant, const uint8_t *context, size_t context_len,
                  uint8_t *out, size_t out_len);

/*
 * Amd D §6.2.2.1: the pseudo-random card challenge
 * KDF(Key-ENC, 02, 64 bits, seq_counter(3) ‖ SD AID).
 */
int eum_scp03_pseudo_random_challenge(const struct eum_scp03_keyset *ks, uint32_t seq_counter, const uint8_t *aid,
                                      size_t aid_len, uint8_t out[EUM_SCP03_S8]);

/*
 * Amd D §6.2.1-6.2.2: derive S-ENC/S-MAC/S-RMAC from ks and the two challenges
 * already in s, store them in s and write the card and host cryptograms
 * (either pointer may be NULL).
 */
int eum_scp03_derive_session(struct eum_scp03_session *s, const struct eum_scp03_keyset *ks,
                             uint8_t card_cryptogram[EUM_SCP03_S8], uint8_t host_cryptogram[EUM_SCP03_S8]);

/*
 * Amd D §6.2.4: MCV := CMAC(S-MAC, MCV ‖ a ‖ b); writes the new 16-byte MCV to
 * mac (may be NULL); the first 8 bytes are the transmitted C-MAC.
 */
int eum_scp03_cmac_chain(struct eum_scp03_session *s, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                         uint8_t mac[16]);

/* Amd D §6.2.5: R-MAC = CMAC(S-RMAC, MCV ‖ a ‖ b); the MCV is not updated. */
int eum_scp03_rmac(const struct eum_scp03_session *s, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                   uint8_t mac[16]);

/*
 * Amd D §6.2.6/§6.2.7: ICV = AES(S-ENC, enc_counter as a 16-byte big-endian
 * block), with the first byte forced to 80 when response is non-zero.
 */
int eum_scp03_icv(const struct eum_scp03_session *s, int response, uint8_t icv[16]);

/*
 * Amd D §6.2.6/§6.2.7: pad buf (ISO 9797-1 method 2: 80 00…, always at least
 * one byte) and AES-CBC encrypt it in place with the command (response == 0)
 * or response ICV of the current counter. *len is updated; cap is the room.
 */
int eum_scp03_encrypt(const struct eum_scp03_session *s, int response, uint8_t *buf, size_t *len, size_t cap);

/*
 * Inverse of eum_scp03_encrypt(): decrypt in place and strip the padding,
 * strictly (len a non-zero multiple of 16, last non-zero byte 80 within the
 * last block). Returns EUM_OK or EUM_ERR_PARSE for bad length/padding.
 */
int eum_scp03_decrypt(const struct eum_scp03_session *s, int response, uint8_t *buf, size_t *len);

#endif
