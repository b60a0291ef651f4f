/*
 * libeum-host crypto helpers over mbedTLS 2.28 / 3.x: AES (FIPS 197),
 * AES-CBC, AES-CMAC (NIST SP 800-38B). Kept apart from the card's seam
 * (src/crypto) on purpose: the host is the independent side of every test.
 */
#include "host_crypto.h"

#include <string.h>

#include <mbedtls/aes.h>
#include <mbedtls/cipher.h>
#include <mbedtls/cmac.h>
#include <mbedtls/des.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include "eum/eum.h"

static int host_aes_keylen_ok(size_t keylen)
{
	return keylen == 16 || keylen == 24 || keylen == 32;
}

int eum_host_aes_ecb_encrypt(const uint8_t *key, size_t keylen, const uint8_t in[16], uint8_t out[16])
{
	mbedtls_aes_context ctx;
	int rc;

	if (!key || !in || !out || !host_aes_keylen_ok(keylen))
		return EUM_ERR_INVALID_ARG;
	mbedtls_aes_init(&ctx);
	rc = mbedtls_aes_setkey_enc(&ctx, key, (unsigned)keylen * 8);
	if (rc == 0)
		rc = mbedtls_aes_crypt_ecb(&ctx, MBEDTLS_AES_ENCRYPT, in, out);
	mbedtls_aes_free(&ctx);
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_host_aes_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t iv[16], const uint8_t *in,
                     size_t len, uint8_t *out)
{
	mbedtls_aes_context ctx;
	uint8_t ivc[16];
	int rc;

	if (!key || !iv || !host_aes_keylen_ok(keylen) || len % 16)
		return EUM_ERR_INVALID_ARG;
	if (len == 0)
		return EUM_OK;
	memcpy(ivc, iv, 16);
	mbedtls_aes_init(&ctx);
	rc = encrypt ? mbedtls_aes_setkey_enc(&ctx, key, (unsigned)keylen * 8)
	             : mbedtls_aes_setkey_dec(&ctx, key, (unsigned)keylen * 8);
	if (rc == 0)
		rc = mbedtls_aes_crypt_cbc(&ctx, encrypt ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT, len, ivc, in,
		                           out);
	mbedtls_aes_free(&ctx);
	mbedtls_platform_zeroize(ivc, sizeof(ivc));
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_host_aes_cmac(const uint8_t *key, size_t keylen, const struct eum_host_iov *parts, size_t n, uint8_t mac[16])
{
	const mbedtls_cipher_info_t *info;
	mbedtls_cipher_context_t ctx;
	int rc;

	if (!key || !mac || (n && !parts))
		return EUM_ERR_INVALID_ARG;
	switch (keylen) {
	case 16:
		info = mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_128_ECB);
		break;
	case 24:
		info = mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_192_ECB);
		break;
	case 32:
		info = mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_256_ECB);
		break;
	default:
		return EUM_ERR_INVALID_ARG;
	}
	mbedtls_cipher_init(&ctx);
	rc = mbedtls_cipher_setup(&ctx, info);
	if (rc == 0)
		rc = mbedtls_cipher_cmac_starts(&ctx, key, keylen * 8);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (parts[i].len)
			rc = mbedtls_cipher_cmac_update(&ctx, parts[i].p, parts[i].len);
	}
	if (rc == 0)
		rc = mbedtls_cipher_cmac_finish(&ctx, mac);
	/* mbedtls_cipher_free() zeroises the key schedule and the CMAC state. */
	mbedtls_cipher_free(&ctx);
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

void eum_host_wipe(void *p, size_t len)
{
	if (p && len)
		mbedtls_platform_zeroize(p, len);
}

int eum_host_ct_memcmp(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a;
	const volatile uint8_t *y = b;
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= (uint8_t)(x[i] ^ y[i]);
	return diff != 0;
}

/* One DES/3DES context, either direction, set up from the key length. */
struct host_des {
	int triple;
	mbedtls_des_context des;
	mbedtls_des3_context des3;
};

static int host_des_setup(struct host_des *d, int encrypt, const uint8_t *key, size_t keylen)
{
	mbedtls_des_init(&d->des);
	mbedtls_des3_init(&d->des3);
	d->triple = keylen != 8;
	switch (keylen) {
	case 8:
		return encrypt ? mbedtls_des_setkey_enc(&d->des, key) : mbedtls_des_setkey_dec(&d->des, key);
	case 16:
		return encrypt ? mbedtls_des3_set2key_enc(&d->des3, key) : mbedtls_des3_set2key_dec(&d->des3, key);
	case 24:
		return encrypt ? mbedtls_des3_set3key_enc(&d->des3, key) : mbedtls_des3_set3key_dec(&d->des3, key);
	default:
		return -1;
	}
}

static int host_des_cbc_run(struct host_des *d, int encrypt, uint8_t iv[8], const uint8_t *in, size_t len, uint8_t *out)
{
	int mode = encrypt ? MBEDTLS_DES_ENCRYPT : MBEDTLS_DES_DECRYPT;

	return d->triple ? mbedtls_des3_crypt_cbc(&d->des3, mode, len, iv, in, out)
	                 : mbedtls_des_crypt_cbc(&d->des, mode, len, iv, in, out);
}

static void host_des_free(struct host_des *d)
{
	/* The mbedTLS free functions zeroise the key schedules. */
	mbedtls_des_free(&d->des);
	mbedtls_des3_free(&d->des3);
}

int eum_host_des_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t iv[8], const uint8_t *in, size_t len,
                     uint8_t *out)
{
	struct host_des d;
	uint8_t ivc[8];
	int rc;

	if (!key || !iv || (len && (!in || !out)) || len % 8 || (keylen != 8 && keylen != 16 && keylen != 24))
		return EUM_ERR_INVALID_ARG;
	if (len == 0)
		return EUM_OK;
	memcpy(ivc, iv, 8);
	rc = host_des_setup(&d, encrypt, key, keylen);
	if (rc == 0)
		rc = host_des_cbc_run(&d, encrypt, ivc, in, len, out);
	host_des_free(&d);
	mbedtls_platform_zeroize(ivc, sizeof(ivc));
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_host_des_cbc_mac(const uint8_t *key, size_t keylen, const struct eum_host_iov *parts, size_t n, uint8_t mac[8])
{
	struct host_des d;
	uint8_t chain[8] = {0}, block[8];
	size_t fill = 0, total = 0;
	int rc;

	if (!key || !mac || (n && !parts) || (keylen != 8 && keylen != 16 && keylen != 24))
		return EUM_ERR_INVALID_ARG;
	rc = host_des_setup(&d, 1, key, keylen);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		for (size_t j = 0; rc == 0 && j < parts[i].len; j++) {
			block[fill++] = parts[i].p[j];
			total++;
			if (fill == 8) {
				rc = host_des_cbc_run(&d, 1, chain, block, 8, block);
				fill = 0;
			}
		}
	}
	if (rc == 0 && (fill || total == 0)) {
		memset(block + fill, 0, 8 - fill);
		rc = host_des_cbc_run(&d, 1, chain, block, 8, block);
	}
	if (rc == 0)
		memcpy(mac, chain, 8);
	host_des_free(&d);
	mbedtls_platform_zeroize(chain, sizeof(chain));
	mbedtls_platform_zeroize(block, sizeof(block));
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

/* ---- Elliptic curves for the SM-DP side of SGP.02 ES8: ECDSA-SHA256 (FIPS 186-4, RFC 6979),
 * ECKA-DH and X9.63 KDF (BSI TR-03111 §4.3). ---------------------------------------------- */

#if MBEDTLS_VERSION_MAJOR < 3
#define host_sha256_starts(c)       mbedtls_sha256_starts_ret((c), 0)
#define host_sha256_update(c, m, l) mbedtls_sha256_update_ret((c), (m), (l))
#define host_sha256_finish(c, o)    mbedtls_sha256_finish_ret((c), (o))
#else
#define host_sha256_starts(c)       mbedtls_sha256_starts((c), 0)
#define host_sha256_update(c, m, l) mbedtls_sha256_update((c), (m), (l))
#define host_sha256_finish(c, o)    mbedtls_sha256_finish((c), (o))
#endif

struct host_ec_rng {
	eum_host_rng_fn fn;
	void *ctx;
};

static int host_ec_rng_call(void *p, unsigned char *buf, size_t len)
{
	const struct host_ec_rng *r = p;

	return r->fn(r->ctx, buf, len) ? MBEDTLS_ERR_ECP_RANDOM_FAILED : 0;
}

struct host_ec {
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d, r, s;
};

static int host_ec_setup(struct host_ec *e, uint8_t curve)
{
	mbedtls_ecp_group_id id = curve == 0x00   ? MBEDTLS_ECP_DP_SECP256R1
	                          : curve == 0x03 ? MBEDTLS_ECP_DP_BP256R1
	                                          : MBEDTLS_ECP_DP_NONE;

	mbedtls_ecp_group_init(&e->grp);
	mbedtls_ecp_point_init(&e->q);
	mbedtls_mpi_init(&e->d);
	mbedtls_mpi_init(&e->r);
	mbedtls_mpi_init(&e->s);
	if (id == MBEDTLS_ECP_DP_NONE || mbedtls_ecp_group_load(&e->grp, id))
		return EUM_ERR_INVALID_ARG;
	return EUM_OK;
}

static void host_ec_free(struct host_ec *e)
{
	mbedtls_mpi_free(&e->d); /* zeroizes */
	mbedtls_mpi_free(&e->r);
	mbedtls_mpi_free(&e->s);
	mbedtls_ecp_point_free(&e->q);
	mbedtls_ecp_group_free(&e->grp);
}

static int host_ec_load_priv(struct host_ec *e, const uint8_t priv[32])
{
	return mbedtls_mpi_read_binary(&e->d, priv, 32) || mbedtls_ecp_check_privkey(&e->grp, &e->d) ? EUM_ERR_CRYPTO
	                                                                                             : EUM_OK;
}

static int host_ec_load_pub(struct host_ec *e, const uint8_t pub[65])
{
	if (pub[0] != 0x04)
		return EUM_ERR_CRYPTO;
	return mbedtls_ecp_point_read_binary(&e->grp, &e->q, pub, 65) || mbedtls_ecp_check_pubkey(&e->grp, &e->q)
	               ? EUM_ERR_CRYPTO
	               : EUM_OK;
}

static int host_sha256_iov(const struct eum_host_iov *parts, size_t n, uint8_t h[32])
{
	mbedtls_sha256_context c;
	size_t i;
	int rc;

	mbedtls_sha256_init(&c);
	rc = host_sha256_starts(&c);
	for (i = 0; rc == 0 && i < n; i++)
		if (parts[i].len)
			rc = host_sha256_update(&c, parts[i].p, parts[i].len);
	if (rc == 0)
		rc = host_sha256_finish(&c, h);
	mbedtls_sha256_free(&c);
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_host_ec_public(uint8_t curve, const uint8_t priv[32], uint8_t pub[65], eum_host_rng_fn rng, void *rng_ctx)
{
	struct host_ec_rng r = {rng, rng_ctx};
	struct host_ec e;
	size_t olen;
	int rc;

	if (!priv || !pub || !rng)
		return EUM_ERR_INVALID_ARG;
	rc = host_ec_setup(&e, curve);
	if (rc == EUM_OK)
		rc = host_ec_load_priv(&e, priv);
	if (rc == EUM_OK &&
	    (mbedtls_ecp_mul(&e.grp, &e.q, &e.d, &e.grp.G, host_ec_rng_call, &r) ||
	     mbedtls_ecp_point_write_binary(&e.grp, &e.q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub, 65) || olen != 65))
		rc = EUM_ERR_CRYPTO;
	host_ec_free(&e);
	return rc;
}

int eum_host_ec_generate(uint8_t curve, eum_host_rng_fn rng, void *rng_ctx, uint8_t priv[32], uint8_t pub[65])
{
	struct host_ec_rng r = {rng, rng_ctx};
	struct host_ec e;
	size_t olen;
	int rc;

	if (!priv || !pub || !rng)
		return EUM_ERR_INVALID_ARG;
	rc = host_ec_setup(&e, curve);
	if (rc == EUM_OK &&
	    (mbedtls_ecp_gen_keypair(&e.grp, &e.d, &e.q, host_ec_rng_call, &r) ||
	     mbedtls_mpi_write_binary(&e.d, priv, 32) ||
	     mbedtls_ecp_point_write_binary(&e.grp, &e.q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub, 65) || olen != 65))
		rc = EUM_ERR_CRYPTO;
	if (rc != EUM_OK)
		mbedtls_platform_zeroize(priv, 32);
	host_ec_free(&e);
	return rc;
}

int eum_host_ecdsa_sign(uint8_t curve, const uint8_t priv[32], const struct eum_host_iov *parts, size_t n,
                        uint8_t sig[64], eum_host_rng_fn rng, void *rng_ctx)
{
	struct host_ec_rng r = {rng, rng_ctx};
	struct host_ec e;
	uint8_t h[32];
	int rc;

	if (!priv || (!parts && n) || !sig || !rng)
		return EUM_ERR_INVALID_ARG;
	rc = host_ec_setup(&e, curve);
	if (rc == EUM_OK)
		rc = host_ec_load_priv(&e, priv);
	if (rc == EUM_OK)
		rc = host_sha256_iov(parts, n, h);
	if (rc == EUM_OK &&
	    (mbedtls_ecdsa_sign_det_ext(&e.grp, &e.r, &e.s, &e.d, h, 32, MBEDTLS_MD_SHA256, host_ec_rng_call, &r) ||
	     mbedtls_mpi_write_binary(&e.r, sig, 32) || mbedtls_mpi_write_binary(&e.s, sig + 32, 32)))
		rc = EUM_ERR_CRYPTO;
	host_ec_free(&e);
	return rc;
}

int eum_host_ecdsa_verify(uint8_t curve, const uint8_t pub[65], const struct eum_host_iov *parts, size_t n,
                          const uint8_t sig[64])
{
	struct host_ec e;
	uint8_t h[32];
	int rc;

	if (!pub || (!parts && n) || !sig)
		return EUM_ERR_INVALID_ARG;
	rc = host_ec_setup(&e, curve);
	if (rc == EUM_OK)
		rc = host_ec_load_pub(&e, pub);
	if (rc == EUM_OK)
		rc = host_sha256_iov(parts, n, h);
	if (rc == EUM_OK && (mbedtls_mpi_read_binary(&e.r, sig, 32) || mbedtls_mpi_read_binary(&e.s, sig + 32, 32) ||
	                     mbedtls_ecdsa_verify(&e.grp, h, 32, &e.q, &e.r, &e.s)))
		rc = EUM_ERR_CRYPTO;
	host_ec_free(&e);
	return rc;
}

int eum_host_ecdh(uint8_t curve, const uint8_t priv[32], const uint8_t peer[65], uint8_t z[32], eum_host_rng_fn rng,
                  void *rng_ctx)
{
	struct host_ec_rng r = {rng, rng_ctx};
	struct host_ec e;
	int rc;

	if (!priv || !peer || !z || !rng)
		return EUM_ERR_INVALID_ARG;
	rc = host_ec_setup(&e, curve);
	if (rc == EUM_OK)
		rc = host_ec_load_pub(&e, peer);
	if (rc == EUM_OK)
		rc = host_ec_load_priv(&e, priv);
	/* e.r receives the shared x-coordinate */
	if (rc == EUM_OK && (mbedtls_ecdh_compute_shared(&e.grp, &e.r, &e.q, &e.d, host_ec_rng_call, &r) ||
	                     mbedtls_mpi_write_binary(&e.r, z, 32)))
		rc = EUM_ERR_CRYPTO;
	if (rc != EUM_OK)
		mbedtls_platform_zeroize(z, 32);
	host_ec_free(&e);
	return rc;
}

int eum_host_x963_kdf_sha256(const uint8_t *z, size_t z_len, const uint8_t *info, size_t info_len, uint8_t *out,
                             size_t out_len)
{
	uint8_t h[32];
	uint32_t counter;
	size_t done = 0;
	int rc = EUM_OK;

	if (!z || (!info && info_len) || (!out && out_len))
		return EUM_ERR_INVALID_ARG;
	for (counter = 1; rc == EUM_OK && done < out_len; counter++) {
		uint8_t cb[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16), (uint8_t)(counter >> 8),
		                 (uint8_t)counter};
		struct eum_host_iov parts[3] = {{z, z_len}, {cb, 4}, {info, info_len}};
		size_t take = out_len - done < 32 ? out_len - done : 32;

		rc = host_sha256_iov(parts, 3, h);
		if (rc == EUM_OK)
			memcpy(out + done, h, take);
		done += take;
	}
	mbedtls_platform_zeroize(h, sizeof(h));
	if (rc != EUM_OK && out_len)
		mbedtls_platform_zeroize(out, out_len);
	return rc;
}
