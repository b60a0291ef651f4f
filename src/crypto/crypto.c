/*
 * The crypto seam over mbedTLS 2.28 (Debian 12) and 3.x.
 * Block ciphers: FIPS 197 (AES), FIPS 46-3 (DES/3DES); CMAC: NIST SP 800-38B;
 * SHA-256: FIPS 180-4; DRBG: NIST SP 800-90A CTR_DRBG.
 */
#define _DEFAULT_SOURCE /* getrandom(2) */
#include "crypto/crypto.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/aes.h>
#include <mbedtls/cipher.h>
#include <mbedtls/cmac.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/des.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>
#include <sys/random.h>
#include <sys/types.h>

#include "eum/eum.h"

#if MBEDTLS_VERSION_MAJOR < 3
#define eum_sha256_full(m, l, o) mbedtls_sha256_ret((m), (l), (o), 0)
#define eum_sha1_full(m, l, o)   mbedtls_sha1_ret((m), (l), (o))
#else
#define eum_sha256_full(m, l, o) mbedtls_sha256((m), (l), (o), 0)
#define eum_sha1_full(m, l, o)   mbedtls_sha1((m), (l), (o))
#endif

static void crypto_init(void)
{
	static const uint8_t zero[32];
	mbedtls_aes_context ctx;

	/* the first AES key schedule generates the process-wide tables (aes_gen_tables) and probes AES-NI */
	mbedtls_aes_init(&ctx);
	(void)mbedtls_aes_setkey_enc(&ctx, zero, 128);
	(void)mbedtls_aes_setkey_dec(&ctx, zero, 256);
	mbedtls_aes_free(&ctx);
}

void eum_crypto_once(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, crypto_init);
}

static int aes_keybits_ok(size_t keylen)
{
	return keylen == 16 || keylen == 24 || keylen == 32;
}

int eum_aes_encrypt_block(const uint8_t *key, size_t keylen, const uint8_t in[16], uint8_t out[16])
{
	mbedtls_aes_context ctx;
	int rc;

	if (!key || !aes_keybits_ok(keylen))
		return EUM_ERR_INVALID_ARG;
	mbedtls_aes_init(&ctx);
	rc = mbedtls_aes_setkey_enc(&ctx, key, (unsigned)keylen * 8);
	if (rc == 0)
		rc = mbedtls_aes_crypt_ecb(&ctx, MBEDTLS_AES_ENCRYPT, in, out);
	mbedtls_aes_free(&ctx);
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_aes_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t iv[16], const uint8_t *in, size_t len,
                uint8_t *out)
{
	mbedtls_aes_context ctx;
	uint8_t ivc[16];
	int rc;

	if (!key || !aes_keybits_ok(keylen) || len % 16)
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
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

_Static_assert(sizeof(mbedtls_cipher_context_t) <= sizeof(((eum_cmac_ctx *)0)->opaque),
               "eum_cmac_ctx too small for mbedtls_cipher_context_t");

static const mbedtls_cipher_info_t *cmac_info(size_t keylen)
{
	switch (keylen) {
	case 16:
		return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_128_ECB);
	case 24:
		return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_192_ECB);
	case 32:
		return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_256_ECB);
	default:
		return NULL;
	}
}

int eum_aes_cmac_start(eum_cmac_ctx *c, const uint8_t *key, size_t keylen)
{
	mbedtls_cipher_context_t *ctx = (mbedtls_cipher_context_t *)c->opaque;
	const mbedtls_cipher_info_t *info = cmac_info(keylen);

	if (!info || !key)
		return EUM_ERR_INVALID_ARG;
	mbedtls_cipher_init(ctx);
	if (mbedtls_cipher_setup(ctx, info) != 0 || mbedtls_cipher_cmac_starts(ctx, key, keylen * 8) != 0) {
		mbedtls_cipher_free(ctx);
		return EUM_ERR_CRYPTO;
	}
	return EUM_OK;
}

int eum_aes_cmac_update(eum_cmac_ctx *c, const uint8_t *msg, size_t len)
{
	mbedtls_cipher_context_t *ctx = (mbedtls_cipher_context_t *)c->opaque;

	if (len == 0)
		return EUM_OK;
	return mbedtls_cipher_cmac_update(ctx, msg, len) ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_aes_cmac_finish(eum_cmac_ctx *c, uint8_t mac[16])
{
	mbedtls_cipher_context_t *ctx = (mbedtls_cipher_context_t *)c->opaque;
	int rc = mbedtls_cipher_cmac_finish(ctx, mac);

	/* mbedtls_cipher_free() zeroises the key schedule and CMAC state. */
	mbedtls_cipher_free(ctx);
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_aes_cmac(const uint8_t *key, size_t keylen, const uint8_t *msg, size_t len, uint8_t mac[16])
{
	eum_cmac_ctx ctx;
	int rc = eum_aes_cmac_start(&ctx, key, keylen);

	if (rc)
		return rc;
	rc = eum_aes_cmac_update(&ctx, msg, len);
	if (rc) {
		uint8_t scratch[16];
		eum_aes_cmac_finish(&ctx, scratch);
		return rc;
	}
	return eum_aes_cmac_finish(&ctx, mac);
}

int eum_des_cbc(int encrypt, const uint8_t *key, size_t keylen, const uint8_t iv[8], const uint8_t *in, size_t len,
                uint8_t *out)
{
	uint8_t ivc[8];
	int rc;

	if (!key || len % 8)
		return EUM_ERR_INVALID_ARG;
	if (len == 0)
		return EUM_OK;
	memcpy(ivc, iv, 8);
	if (keylen == 8) {
		mbedtls_des_context ctx;
		mbedtls_des_init(&ctx);
		rc = encrypt ? mbedtls_des_setkey_enc(&ctx, key) : mbedtls_des_setkey_dec(&ctx, key);
		if (rc == 0)
			rc = mbedtls_des_crypt_cbc(&ctx, encrypt ? MBEDTLS_DES_ENCRYPT : MBEDTLS_DES_DECRYPT, len, ivc,
			                           in, out);
		mbedtls_des_free(&ctx);
	} else if (keylen == 16 || keylen == 24) {
		mbedtls_des3_context ctx;
		mbedtls_des3_init(&ctx);
		if (keylen == 16)
			rc = encrypt ? mbedtls_des3_set2key_enc(&ctx, key) : mbedtls_des3_set2key_dec(&ctx, key);
		else
			rc = encrypt ? mbedtls_des3_set3key_enc(&ctx, key) : mbedtls_des3_set3key_dec(&ctx, key);
		if (rc == 0)
			rc = mbedtls_des3_crypt_cbc(&ctx, encrypt ? MBEDTLS_DES_ENCRYPT : MBEDTLS_DES_DECRYPT, len, ivc,
			                            in, out);
		mbedtls_des3_free(&ctx);
	} else {
		return EUM_ERR_INVALID_ARG;
	}
	return rc ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_sha256(const uint8_t *msg, size_t len, uint8_t out[32])
{
	return eum_sha256_full(msg, len, out) ? EUM_ERR_CRYPTO : EUM_OK;
}

int eum_sha1(const uint8_t *msg, size_t len, uint8_t out[20])
{
	return eum_sha1_full(msg, len, out) ? EUM_ERR_CRYPTO : EUM_OK;
}

void eum_wipe(void *p, size_t len)
{
	if (p && len)
		mbedtls_platform_zeroize(p, len);
}

int eum_ct_memcmp(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff != 0;
}

/*
 * The default per-card DRBG: an mbedTLS CTR_DRBG (NIST SP 800-90A) seeded
 * from the operating system's entropy source (getrandom(2)), with no
 * mbedTLS entropy context per card: that context is ~38 KB and Debian's
 * build polls HAVEGE when it is set up (about a million instructions), which
 * dominated the cost and the memory of creating a card. The kernel source is
 * thread-safe and process-wide, so cards stay independent and unpredictable
 * without any global state in the library.
 */
struct eum_drbg {
	mbedtls_ctr_drbg_context drbg;
};

static int os_entropy(void *ctx, unsigned char *buf, size_t len)
{
	(void)ctx;
	while (len) {
		ssize_t n = getrandom(buf, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int eum_drbg_new(eum_drbg **out, const uint8_t *pers, size_t plen)
{
	eum_drbg *d = calloc(1, sizeof(*d));

	if (!d)
		return EUM_ERR_NO_MEMORY;
	mbedtls_ctr_drbg_init(&d->drbg);
	if (mbedtls_ctr_drbg_seed(&d->drbg, os_entropy, NULL, pers, plen) != 0) {
		eum_drbg_free(d);
		return EUM_ERR_CRYPTO;
	}
	*out = d;
	return EUM_OK;
}

int eum_drbg_random(void *drbg, uint8_t *buf, size_t len)
{
	eum_drbg *d = drbg;

	while (len) {
		size_t n = len > MBEDTLS_CTR_DRBG_MAX_REQUEST ? MBEDTLS_CTR_DRBG_MAX_REQUEST : len;
		if (mbedtls_ctr_drbg_random(&d->drbg, buf, n) != 0)
			return EUM_ERR_CRYPTO;
		buf += n;
		len -= n;
	}
	return EUM_OK;
}

void eum_drbg_free(eum_drbg *d)
{
	if (!d)
		return;
	mbedtls_ctr_drbg_free(&d->drbg);
	free(d);
}
