/*
 * Elliptic-curve part of the crypto seam (STYLE §7): ECDSA with SHA-256 (FIPS 186-4 / ANSI X9.62),
 * ECDH / ECKA-DH (BSI TR-03111 §4.3.1), point validation (TR-03111 §3.2.2), key generation and the
 * ANSI X9.63 key derivation function with SHA-256 (TR-03111 §4.3.3), as used by SGP.02 ES8
 * EstablishISDPKeySet and the GP Amendment E certificates.
 *
 * Curves are named by their GP key parameter reference (the F0 byte of a 7F49 public key,
 * SGP.02 digest §8.1): only the 256-bit ones are implemented. Keys cross this interface as bytes:
 * public keys uncompressed 04 || X || Y (65 bytes), private scalars big-endian (32 bytes),
 * signatures raw r || s (64 bytes). mbedTLS allocates its bignums on the heap inside each call and
 * frees them before returning; no allocation survives a call and every intermediate secret is
 * wiped. None of these functions is on the AUTHENTICATE / SCP80 hot path.
 */
#ifndef EUM_CRYPTO_ECC_H
#define EUM_CRYPTO_ECC_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

/* GP key parameter references (GP Amd E / SGP.02; digest §8.1 table). */
#define EUM_ECC_NIST_P256        0x00
#define EUM_ECC_BRAINPOOL_P256R1 0x03

#define EUM_ECC_PUB_LEN    65 /* 04 || X || Y */
#define EUM_ECC_PRIV_LEN   32 /* big-endian scalar */
#define EUM_ECC_SIG_LEN    64 /* r || s */
#define EUM_ECC_SECRET_LEN 32 /* ECDH x-coordinate */

/* 1 when the key parameter reference names a curve this build implements, else 0. */
int eum_ecc_curve_supported(uint8_t curve);

/* Check that pub is a valid uncompressed point on the curve, not the point at infinity
 * (TR-03111 §3.2.2.1 public key validation). EUM_OK, EUM_ERR_CRYPTO (invalid point) or
 * EUM_ERR_UNSUPPORTED (curve). */
int eum_ecc_check_public(uint8_t curve, const uint8_t *pub, size_t pub_len);

/* Check that priv is a scalar in [1, n-1]. */
int eum_ecc_check_private(uint8_t curve, const uint8_t priv[EUM_ECC_PRIV_LEN]);

/* Export: the public key Q = d * G of a private scalar. rng is used only for side-channel
 * blinding (the result does not depend on it) and must not be NULL. */
int eum_ecc_public_from_private(uint8_t curve, const uint8_t priv[EUM_ECC_PRIV_LEN], uint8_t pub[EUM_ECC_PUB_LEN],
                                eum_rng_fn rng, void *rng_ctx);

/* Generate a key pair from the caller's randomness. */
int eum_ecc_generate(uint8_t curve, eum_rng_fn rng, void *rng_ctx, uint8_t priv[EUM_ECC_PRIV_LEN],
                     uint8_t pub[EUM_ECC_PUB_LEN]);

/* ECDSA over SHA-256(msg), deterministic nonce (RFC 6979), raw r || s. rng blinds only. */
int eum_ecdsa_sign(uint8_t curve, const uint8_t priv[EUM_ECC_PRIV_LEN], const uint8_t *msg, size_t len,
                   uint8_t sig[EUM_ECC_SIG_LEN], eum_rng_fn rng, void *rng_ctx);

/* Verify a raw r || s ECDSA signature over SHA-256(msg). EUM_OK when valid, EUM_ERR_CRYPTO when the
 * signature or the key is wrong, EUM_ERR_INVALID_ARG for a wrong length. */
int eum_ecdsa_verify(uint8_t curve, const uint8_t *pub, size_t pub_len, const uint8_t *msg, size_t len,
                     const uint8_t *sig, size_t sig_len);

/* Convert a DER ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }, X9.62) to raw r || s.
 * The whole input must be the one SEQUENCE. EUM_OK or EUM_ERR_PARSE. */
int eum_ecdsa_sig_der_to_raw(const uint8_t *der, size_t der_len, uint8_t raw[EUM_ECC_SIG_LEN]);

/* Accept a signature in either encoding the SGP.02 sources use (digest §8.1 step 1.4 [IMPL]): raw r || s
 * (whty) or DER (njiwa). A 64-byte value is raw unless it starts with 30 and parses as DER exactly;
 * any other length must be DER. EUM_OK or EUM_ERR_PARSE. */
int eum_ecdsa_sig_normalise(const uint8_t *sig, size_t sig_len, uint8_t raw[EUM_ECC_SIG_LEN]);

/* ECKA-DH (TR-03111 §4.3.1): shared secret = x-coordinate of priv * peer (the peer point is validated
 * first; an invalid point gives EUM_ERR_CRYPTO). rng blinds only. */
int eum_ecdh(uint8_t curve, const uint8_t priv[EUM_ECC_PRIV_LEN], const uint8_t *peer_pub, size_t peer_len,
             uint8_t secret[EUM_ECC_SECRET_LEN], eum_rng_fn rng, void *rng_ctx);

/* ANSI X9.63 KDF with SHA-256 (TR-03111 §4.3.3.1):
 * out = SHA-256(z || 00000001 || info) || SHA-256(z || 00000002 || info) || ..., truncated to out_len. */
int eum_x963_kdf_sha256(const uint8_t *z, size_t z_len, const uint8_t *info, size_t info_len, uint8_t *out,
                        size_t out_len);

#endif
