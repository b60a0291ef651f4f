/*
 * libeum-host's own crypto helpers over mbedTLS (the off-card side must not
 * reuse the card's src/crypto seam, so that card and host cannot share a bug).
 *
 * Shared by the host-side secure channels (SCP03, SCP80): add functions, do
 * not change existing ones. Every function returns EUM_OK, EUM_ERR_INVALID_ARG
 * or EUM_ERR_CRYPTO and never allocates. Key lengths are in bytes.
 */
#ifndef EUM_HOST_HOST_CRYPTO_H
#define EUM_HOST_HOST_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* One piece of a message assembled from several buffers. */
struct eum_host_iov {
	const uint8_t *p;
	size_t len;
};

/* AES-ECB single block encryption (FIPS 197); keylen 16, 24 or 32. */
int eum_host_aes_ecb_encrypt(const uint8_t *key, size_t keylen, const uint8_t in[16], uint8_t out[16]);

/* AES-CBC over len bytes (a multiple of 16; in == out allowed); iv is not updated. */
int eum_host_aes_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t iv[16], const uint8_t *in,
                     size_t len, uint8_t *out);

/* AES-CMAC (NIST SP 800-38B), full 16-byte tag, over the concatenation of n pieces. */
int eum_host_aes_cmac(const uint8_t *key, size_t keylen, const struct eum_host_iov *parts, size_t n, uint8_t mac[16]);

/* Wipe secrets (not elided by the compiler). */
void eum_host_wipe(void *p, size_t len);

/* Constant-time comparison: 0 when equal. */
int eum_host_ct_memcmp(const void *a, const void *b, size_t len);

/* DES / 3DES CBC (FIPS 46-3) by key length: 8 = single DES, 16 = two-key,
 * 24 = three-key 3DES. len is a multiple of 8; in == out allowed; iv is not updated. */
int eum_host_des_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t iv[8], const uint8_t *in, size_t len,
                     uint8_t *out);

/* DES / 3DES CBC-MAC (ISO/IEC 9797-1 MAC algorithm 1, IV zero, zero padding
 * only when the input is not block aligned) over the concatenation of n pieces;
 * the MAC is the last ciphertext block. */
int eum_host_des_cbc_mac(const uint8_t *key, size_t keylen, const struct eum_host_iov *parts, size_t n, uint8_t mac[8]);

/* ---- Elliptic curves, for the SM-DP side of SGP.02 ES8 (ECKA-EG) ---------
 * curve = GP key parameter reference: 0x00 NIST P-256, 0x03 brainpoolP256r1.
 * Public keys 04||X||Y (65 bytes), private scalars 32 bytes, signatures raw
 * r||s (64 bytes). Unlike the functions above these let mbedTLS allocate
 * bignums internally (freed before returning). rng only blinds scalar
 * multiplications; results never depend on it. */
typedef int (*eum_host_rng_fn)(void *ctx, uint8_t *buf, size_t len);

/* Q = d*G of a private scalar in [1, n-1]. */
int eum_host_ec_public(uint8_t curve, const uint8_t priv[32], uint8_t pub[65], eum_host_rng_fn rng, void *rng_ctx);

/* Fresh key pair from rng (BSI TR-03111 §4.1.1). */
int eum_host_ec_generate(uint8_t curve, eum_host_rng_fn rng, void *rng_ctx, uint8_t priv[32], uint8_t pub[65]);

/* ECDSA-SHA256 with RFC 6979 nonces over the concatenation of n pieces. */
int eum_host_ecdsa_sign(uint8_t curve, const uint8_t priv[32], const struct eum_host_iov *parts, size_t n,
                        uint8_t sig[64], eum_host_rng_fn rng, void *rng_ctx);

/* Verify a raw r||s ECDSA-SHA256 signature: EUM_OK or EUM_ERR_CRYPTO. */
int eum_host_ecdsa_verify(uint8_t curve, const uint8_t pub[65], const struct eum_host_iov *parts, size_t n,
                          const uint8_t sig[64]);

/* ECKA-DH (BSI TR-03111 §4.3.1): z = x-coordinate of priv*peer, peer validated first. */
int eum_host_ecdh(uint8_t curve, const uint8_t priv[32], const uint8_t peer[65], uint8_t z[32], eum_host_rng_fn rng,
                  void *rng_ctx);

/* ANSI X9.63 KDF with SHA-256 (TR-03111 §4.3.3.1): H(z||counter32||info) for counter = 1, 2, ... */
int eum_host_x963_kdf_sha256(const uint8_t *z, size_t z_len, const uint8_t *info, size_t info_len, uint8_t *out,
                             size_t out_len);

#endif
