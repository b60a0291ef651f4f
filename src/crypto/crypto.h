/*
 * The crypto seam: the only place that talks to mbedTLS (STYLE §7).
 *
 * Every function returns EUM_OK or EUM_ERR_CRYPTO / EUM_ERR_INVALID_ARG and
 * never allocates on the heap, so the AUTHENTICATE and SCP80 paths stay
 * allocation-free. Key lengths are in bytes.
 */
#ifndef EUM_CRYPTO_CRYPTO_H
#define EUM_CRYPTO_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define EUM_AES_BLOCK 16
#define EUM_DES_BLOCK 8

/* AES-ECB single block (FIPS 197); keylen 16, 24 or 32. */
int eum_aes_encrypt_block(const uint8_t *key, size_t keylen, const uint8_t in[16], uint8_t out[16]);

/* AES-CBC over len bytes (a multiple of 16); iv is not updated. encrypt: 1/0. */
int eum_aes_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t iv[16], const uint8_t *in, size_t len,
                uint8_t *out);

/* AES-CMAC (NIST SP 800-38B), full 16-byte tag. */
int eum_aes_cmac(const uint8_t *key, size_t keylen, const uint8_t *msg, size_t len, uint8_t mac[16]);

/* Incremental AES-CMAC for messages built from several pieces. The context
 * is opaque storage sized for mbedTLS; wiped by eum_aes_cmac_finish(). */
typedef struct eum_cmac_ctx {
	_Alignas(16) uint8_t opaque[512];
} eum_cmac_ctx;
int eum_aes_cmac_start(eum_cmac_ctx *ctx, const uint8_t *key, size_t keylen);
int eum_aes_cmac_update(eum_cmac_ctx *ctx, const uint8_t *msg, size_t len);
int eum_aes_cmac_finish(eum_cmac_ctx *ctx, uint8_t mac[16]);

/* DES / 3DES CBC (FIPS 46-3, ISO 9797-1) by key length: 8 = single DES,
 * 16 = two-key 3DES, 24 = three-key 3DES. len is a multiple of 8. */
int eum_des_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t iv[8], const uint8_t *in, size_t len,
                uint8_t *out);

/* SHA-256 (FIPS 180-4). */
int eum_sha256(const uint8_t *msg, size_t len, uint8_t out[32]);
/* SHA-1 (FIPS 180-4), for key identifiers only (RFC 5280 §4.2.1.2 method 1). */
int eum_sha1(const uint8_t *msg, size_t len, uint8_t out[20]);

/* Wipe secrets; the compiler may not elide it. */
void eum_wipe(void *p, size_t len);

/* Constant-time comparison: 0 when equal. */
int eum_ct_memcmp(const void *a, const void *b, size_t len);

/* Process-wide one-time set-up of the crypto library, idempotent and thread-safe (pthread_once):
 * mbedTLS 2.28 builds its AES tables and probes AES-NI lazily, on first use, without a lock.
 * eum_card_new() calls it, so cards created and used on several threads never race there. */
void eum_crypto_once(void);

/* Default randomness: a CTR_DRBG per owner, seeded from the OS entropy source. */
typedef struct eum_drbg eum_drbg;
int eum_drbg_new(eum_drbg **out, const uint8_t *personalisation, size_t plen);
int eum_drbg_random(void *drbg, uint8_t *buf, size_t len);
void eum_drbg_free(eum_drbg *drbg);

#endif
