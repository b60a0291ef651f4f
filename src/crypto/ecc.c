/*
 * Elliptic-curve part of the crypto seam over mbedTLS 2.28 and 3.x: ECDSA-SHA256 (FIPS 186-4),
 * ECKA-DH and public key validation (BSI TR-03111 §4.3.1, §3.2.2), X9.63 KDF (TR-03111 §4.3.3.1),
 * for the SGP.02 ES8 key establishment and GP Amendment E certificates.
 */
#include "crypto/ecc.h"

#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include "crypto/crypto.h"

#if MBEDTLS_VERSION_MAJOR < 3
#define ecc_sha256_starts(c)       mbedtls_sha256_starts_ret((c), 0)
#define ecc_sha256_update(c, m, l) mbedtls_sha256_update_ret((c), (m), (l))
#define ecc_sha256_finish(c, o)    mbedtls_sha256_finish_ret((c), (o))
#else
#define ecc_sha256_starts(c)       mbedtls_sha256_starts((c), 0)
#define ecc_sha256_update(c, m, l) mbedtls_sha256_update((c), (m), (l))
#define ecc_sha256_finish(c, o)    mbedtls_sha256_finish((c), (o))
#endif

/* The caller's eum_rng_fn adapted to mbedTLS's f_rng type without casting function pointers. */
struct ecc_rng {
	eum_rng_fn fn;
	void *ctx;
};

static int ecc_rng_call(void *p, unsigned char *buf, size_t len)
{
	const struct ecc_rng *r = p;

	return r->fn(r->ctx, buf, len) ? MBEDTLS_ERR_ECP_RANDOM_FAILED : 0;
}

static int ecc_group_id(uint8_t curve, mbedtls_ecp_group_id *id)
{
	switch (curve) {
	case EUM_ECC_NIST_P256:
		*id = MBEDTLS_ECP_DP_SECP256R1;
		return 1;
	case EUM_ECC_BRAINPOOL_P256R1:
		*id = MBEDTLS_ECP_DP_BP256R1;
		return 1;
	default:
		return 0;
	}
}

int eum_ecc_curve_supported(uint8_t curve)
{
	mbedtls_ecp_group_id id;

	return ecc_group_id(curve, &id);
}

/* Load the group; EUM_OK, EUM_ERR_UNSUPPORTED or EUM_ERR_CRYPTO. */
static int ecc_load(mbedtls_ecp_group *grp, uint8_t curve)
{
	mbedtls_ecp_group_id id;

	if (!ecc_group_id(curve, &id))
		return EUM_ERR_UNSUPPORTED;
	return mbedtls_ecp_group_load(grp, id) ? EUM_ERR_CRYPTO : EUM_OK;
}

/* Read and validate an uncompressed point (TR-03111 §3.2.2.1: on the curve, not infinity). */
static int ecc_read_point(const mbedtls_ecp_group *grp, mbedtls_ecp_point *pt, const uint8_t *pub, size_t len)
{
	if (!pub || len != EUM_ECC_PUB_LEN || pub[0] != 0x04)
		return EUM_ERR_CRYPTO;
	if (mbedtls_ecp_point_read_binary(grp, pt, pub, len))
		return EUM_ERR_CRYPTO;
	return mbedtls_ecp_check_pubkey(grp, pt) ? EUM_ERR_CRYPTO : EUM_OK;
}

static int ecc_read_priv(const mbedtls_ecp_group *grp, mbedtls_mpi *d, const uint8_t *priv)
{
	if (mbedtls_mpi_read_binary(d, priv, EUM_ECC_PRIV_LEN))
		return EUM_ERR_CRYPTO;
	return mbedtls_ecp_check_privkey(grp, d) ? EUM_ERR_CRYPTO : EUM_OK;
}

static int ecc_write_point(const mbedtls_ecp_group *grp, const mbedtls_ecp_point *pt, uint8_t pub[EUM_ECC_PUB_LEN])
{
	size_t olen = 0;

	if (mbedtls_ecp_point_write_binary(grp, pt, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, pub, EUM_ECC_PUB_LEN) ||
	    olen != EUM_ECC_PUB_LEN)
		return EUM_ERR_CRYPTO;
	return EUM_OK;
}

int eum_ecc_check_public(uint8_t curve, const uint8_t *pub, size_t pub_len)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point pt;
	int rc;

	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&pt);
	rc = ecc_load(&grp, curve);
	if (rc == EUM_OK)
		rc = ecc_read_point(&grp, &pt, pub, pub_len);
	mbedtls_ecp_point_free(&pt);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

int eum_ecc_check_private(uint8_t curve, const uint8_t priv[EUM_ECC_PRIV_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi d;
	int rc;

	if (!priv)
		return EUM_ERR_INVALID_ARG;
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&d);
	rc = ecc_load(&grp, curve);
	if (rc == EUM_OK)
		rc = ecc_read_priv(&grp, &d, priv);
	mbedtls_mpi_free(&d); /* mbedtls_mpi_free zeroizes the limbs */
	mbedtls_ecp_group_free(&grp);
	return rc;
}

int eum_ecc_public_from_private(uint8_t curve, const uint8_t priv[EUM_ECC_PRIV_LEN], uint8_t pub[EUM_ECC_PUB_LEN],
                                eum_rng_fn rng, void *rng_ctx)
{
	struct ecc_rng r = {rng, rng_ctx};
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	int rc;

	if (!priv || !pub || !rng)
		return EUM_ERR_INVALID_ARG;
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&d);
	rc = ecc_load(&grp, curve);
	if (rc == EUM_OK)
		rc = ecc_read_priv(&grp, &d, priv);
	if (rc == EUM_OK && mbedtls_ecp_mul(&grp, &q, &d, &grp.G, ecc_rng_call, &r))
		rc = EUM_ERR_CRYPTO;
	if (rc == EUM_OK)
		rc = ecc_write_point(&grp, &q, pub);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

int eum_ecc_generate(uint8_t curve, eum_rng_fn rng, void *rng_ctx, uint8_t priv[EUM_ECC_PRIV_LEN],
                     uint8_t pub[EUM_ECC_PUB_LEN])
{
	struct ecc_rng r = {rng, rng_ctx};
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	int rc;

	if (!priv || !pub || !rng)
		return EUM_ERR_INVALID_ARG;
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&d);
	rc = ecc_load(&grp, curve);
	if (rc == EUM_OK && mbedtls_ecp_gen_keypair(&grp, &d, &q, ecc_rng_call, &r))
		rc = EUM_ERR_CRYPTO;
	if (rc == EUM_OK && mbedtls_mpi_write_binary(&d, priv, EUM_ECC_PRIV_LEN))
		rc = EUM_ERR_CRYPTO;
	if (rc == EUM_OK)
		rc = ecc_write_point(&grp, &q, pub);
	if (rc != EUM_OK)
		eum_wipe(priv, EUM_ECC_PRIV_LEN);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

int eum_ecdsa_sign(uint8_t curve, const uint8_t priv[EUM_ECC_PRIV_LEN], const uint8_t *msg, size_t len,
                   uint8_t sig[EUM_ECC_SIG_LEN], eum_rng_fn rng, void *rng_ctx)
{
	struct ecc_rng r = {rng, rng_ctx};
	mbedtls_ecp_group grp;
	mbedtls_mpi d, rr, ss;
	uint8_t hash[32];
	int rc;

	if (!priv || (!msg && len) || !sig || !rng)
		return EUM_ERR_INVALID_ARG;
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&rr);
	mbedtls_mpi_init(&ss);
	rc = ecc_load(&grp, curve);
	if (rc == EUM_OK)
		rc = ecc_read_priv(&grp, &d, priv);
	if (rc == EUM_OK)
		rc = eum_sha256(msg, len, hash);
	/* RFC 6979 nonce: the signature is a function of key and message only. */
	if (rc == EUM_OK &&
	    mbedtls_ecdsa_sign_det_ext(&grp, &rr, &ss, &d, hash, sizeof(hash), MBEDTLS_MD_SHA256, ecc_rng_call, &r))
		rc = EUM_ERR_CRYPTO;
	if (rc == EUM_OK && (mbedtls_mpi_write_binary(&rr, sig, 32) || mbedtls_mpi_write_binary(&ss, sig + 32, 32)))
		rc = EUM_ERR_CRYPTO;
	mbedtls_mpi_free(&d);
	mbedtls_mpi_free(&rr);
	mbedtls_mpi_free(&ss);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

int eum_ecdsa_verify(uint8_t curve, const uint8_t *pub, size_t pub_len, const uint8_t *msg, size_t len,
                     const uint8_t *sig, size_t sig_len)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi rr, ss;
	uint8_t hash[32];
	int rc;

	if (!pub || (!msg && len) || !sig || sig_len != EUM_ECC_SIG_LEN)
		return EUM_ERR_INVALID_ARG;
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&rr);
	mbedtls_mpi_init(&ss);
	rc = ecc_load(&grp, curve);
	if (rc == EUM_OK)
		rc = ecc_read_point(&grp, &q, pub, pub_len);
	if (rc == EUM_OK && (mbedtls_mpi_read_binary(&rr, sig, 32) || mbedtls_mpi_read_binary(&ss, sig + 32, 32)))
		rc = EUM_ERR_CRYPTO;
	if (rc == EUM_OK)
		rc = eum_sha256(msg, len, hash);
	/* mbedtls_ecdsa_verify checks 1 <= r, s < n itself. */
	if (rc == EUM_OK && mbedtls_ecdsa_verify(&grp, hash, sizeof(hash), &q, &rr, &ss))
		rc = EUM_ERR_CRYPTO;
	mbedtls_mpi_free(&rr);
	mbedtls_mpi_free(&ss);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

int eum_ecdsa_sig_der_to_raw(const uint8_t *der, size_t der_len, uint8_t raw[EUM_ECC_SIG_LEN])
{
	unsigned char *p = (unsigned char *)der; /* mbedtls_asn1_get_* only read through p */
	const unsigned char *end;
	mbedtls_mpi rr, ss;
	size_t len;
	int rc = EUM_ERR_PARSE;

	if (!der || !raw)
		return EUM_ERR_INVALID_ARG;
	end = der + der_len;
	mbedtls_mpi_init(&rr);
	mbedtls_mpi_init(&ss);
	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) == 0 &&
	    p + len == end && mbedtls_asn1_get_mpi(&p, end, &rr) == 0 && mbedtls_asn1_get_mpi(&p, end, &ss) == 0 &&
	    p == end && mbedtls_mpi_size(&rr) <= 32 && mbedtls_mpi_size(&ss) <= 32 &&
	    mbedtls_mpi_write_binary(&rr, raw, 32) == 0 && mbedtls_mpi_write_binary(&ss, raw + 32, 32) == 0)
		rc = EUM_OK;
	mbedtls_mpi_free(&rr);
	mbedtls_mpi_free(&ss);
	return rc;
}

int eum_ecdsa_sig_normalise(const uint8_t *sig, size_t sig_len, uint8_t raw[EUM_ECC_SIG_LEN])
{
	if (!sig || !raw)
		return EUM_ERR_INVALID_ARG;
	if (sig_len == EUM_ECC_SIG_LEN && (sig[0] != 0x30 || eum_ecdsa_sig_der_to_raw(sig, sig_len, raw) != EUM_OK)) {
		memcpy(raw, sig, EUM_ECC_SIG_LEN);
		return EUM_OK;
	}
	return eum_ecdsa_sig_der_to_raw(sig, sig_len, raw);
}

int eum_ecdh(uint8_t curve, const uint8_t priv[EUM_ECC_PRIV_LEN], const uint8_t *peer_pub, size_t peer_len,
             uint8_t secret[EUM_ECC_SECRET_LEN], eum_rng_fn rng, void *rng_ctx)
{
	struct ecc_rng r = {rng, rng_ctx};
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d, z;
	int rc;

	if (!priv || !peer_pub || !secret || !rng)
		return EUM_ERR_INVALID_ARG;
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&z);
	rc = ecc_load(&grp, curve);
	if (rc == EUM_OK)
		rc = ecc_read_point(&grp, &q, peer_pub, peer_len);
	if (rc == EUM_OK)
		rc = ecc_read_priv(&grp, &d, priv);
	if (rc == EUM_OK && mbedtls_ecdh_compute_shared(&grp, &z, &q, &d, ecc_rng_call, &r))
		rc = EUM_ERR_CRYPTO;
	/* TR-03111 §4.3.1: ZAB = x-coordinate, as a field-size octet string (leading zeros kept). */
	if (rc == EUM_OK && mbedtls_mpi_write_binary(&z, secret, EUM_ECC_SECRET_LEN))
		rc = EUM_ERR_CRYPTO;
	if (rc != EUM_OK && secret)
		eum_wipe(secret, EUM_ECC_SECRET_LEN);
	mbedtls_mpi_free(&d);
	mbedtls_mpi_free(&z);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

int eum_x963_kdf_sha256(const uint8_t *z, size_t z_len, const uint8_t *info, size_t info_len, uint8_t *out,
                        size_t out_len)
{
	mbedtls_sha256_context ctx;
	uint8_t block[32];
	uint32_t counter = 1;
	size_t done = 0;
	int rc = EUM_OK;

	if (!z || (!info && info_len) || (!out && out_len))
		return EUM_ERR_INVALID_ARG;
	mbedtls_sha256_init(&ctx);
	while (rc == EUM_OK && done < out_len) {
		const uint8_t cnt[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16), (uint8_t)(counter >> 8),
		                        (uint8_t)counter};
		size_t n = out_len - done < sizeof(block) ? out_len - done : sizeof(block);

		if (ecc_sha256_starts(&ctx) || ecc_sha256_update(&ctx, z, z_len) || ecc_sha256_update(&ctx, cnt, 4) ||
		    (info_len && ecc_sha256_update(&ctx, info, info_len)) || ecc_sha256_finish(&ctx, block)) {
			rc = EUM_ERR_CRYPTO;
			break;
		}
		memcpy(out + done, block, n);
		done += n;
		counter++;
	}
	mbedtls_sha256_free(&ctx);
	eum_wipe(block, sizeof(block));
	if (rc != EUM_OK && out_len)
		eum_wipe(out, out_len);
	return rc;
}
