/*
 * SGP.02 ES8 EstablishISDPKeySet scenario #3 (ECKA-EG), card side: src/sgp02/ecka.c and the ECC part of
 * the crypto seam (src/crypto/ecc.c) against known-answer vectors.
 *
 * The vectors use the keys of tests/data/pki (SK.ECASD.ECKA = ecasd.sk.hex, ePK.DP.ECKA = smdp-eph.pk.hex,
 * SK.DP.ECDSA = smdp.sk.hex), RC = a0a1..af and DR = d0d1..df. They were computed by libeum-host
 * (src/host/smdp_keys.c) and confirmed independently (tests/data/pki/README.md, "Cross-checks"):
 * ShS with `openssl pkeyutl -derive` from both sides, KeyData with Python hashlib (X9.63: SHA-256 over
 * ShS || counter || SharedInfo), the receipts with `openssl mac ... CMAC`, the 3A02 signatures with
 * `openssl dgst -sha256 -verify`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "crypto/ecc.h"
#include "sgp02/ecka.h"
#include "util/tlv.h"

#include "pki_data.h"

struct ecka_vector {
	const char *name;
	const char *dir; /* tests/data/pki sub-directory */
	uint8_t curve;
	const char *sk;  /* SK.ECASD.ECKA */
	const char *epk; /* ePK.DP.ECKA */
	const char *crt; /* A6 TLV */
	const char *dr;  /* NULL: no DR */
	enum eum_ecka_receipt_variant variant;
	const char *shs;
	const char *shared_info;
	const char *keydata; /* receipt key || keys */
	const char *keys[3];
	const char *receipt;
	const char *data_3a02; /* what the SM-DP sends (bare-point 7F49), signed with RC = a0..af */
};

#define P256_SK "ffbd6fea5c47cb1824b617dd6e9ffc63be6c494c40ed08a3632a74ce572b8088"
#define P256_EPK                                                                                                       \
	"04df5ec06f0b20c87365608882098162a211ae7d39e82714bf4cd90209bde005b9babd37d8b27a2ce7ba9ba5167ca8bfc0442f67e8e8" \
	"dd"                                                                                                           \
	"626305d4eb9028512877"
#define P256_SHS "cdcd7cc509faff32a6956a0fd3d20fa69caba1cd17807d4d4823cde415adeab0"
#define BP_SK    "748b666a2edfda9063b9bf2e6015742cdfa6bc9361cc2375829c542b830b40ea"
#define BP_EPK                                                                                                         \
	"045fb756b5975de80c9f5a60aa87b7cc7a00b4e947b125a0157e7b03f0ea87c54251420454bea98ae656b6f00c52a241bb731ce44cd7" \
	"2958"                                                                                                         \
	"1480eebce274d2a34c"
#define BP_SHS      "11d72ed44b66c5f55bc13c3effa62ef23d8630c17879694bb5685d361a66044d"
#define DR          "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
#define CRT_WHTY    "a615900203099501108001888101108201018301309100" /* params 09: no DR */
#define CRT_DR      "a6159002030b9501108001888101108201018301309100" /* params 0B: DR */
#define CRT_ONE_KEY "a6159002030a95015c8001888101108201018301039100" /* njiwa-like: 5C, KVN 03, DR */

static const struct ecka_vector VECTORS[] = {
        {"p256/whty",
         "p256",
         EUM_ECC_NIST_P256,
         P256_SK,
         P256_EPK,
         CRT_WHTY,
         NULL,
         EUM_ECKA_RECEIPT_CMAC,
         P256_SHS,
         "108810",
         "edc4790782dd158a2e8a3c01f79002b01f180dbb40b30e7d03652627bae6d9e32ee641707380d4af5fd20f1008cb5ad9d8d8990be44dc"
         "af1"
         "f1ff4e40ea2737a8",
         {"1f180dbb40b30e7d03652627bae6d9e3", "2ee641707380d4af5fd20f1008cb5ad9", "d8d8990be44dcaf1f1ff4e40ea2737a8"},
         "c00161dbdbc4b9d8a9be8d087b1e00a1",
         "3a0217a6159002030995011080018881011082010183013091007f494104df5ec06f0b20c87365608882098162a211ae7d39e82714bf4"
         "c"
         "d90209bde005b9babd37d8b27a2ce7ba9ba5167ca8bfc0442f67e8e8dd626305d4eb90285128775f3740e73e6d177224ec594f73cbdc2"
         "5"
         "5bc5185fc0c822cf3977ae825929b8a6d606fa602b8f1cb9284652315639abc98474bf4c872bfafbc8c109885253aa9302cf01"},
        {"p256/dr",
         "p256",
         EUM_ECC_NIST_P256,
         P256_SK,
         P256_EPK,
         CRT_DR,
         DR,
         EUM_ECKA_RECEIPT_CMAC,
         P256_SHS,
         "108810" DR,
         "08aa66fe53e9160e4f142b7bc8e3a67a7686eba069c30cf3eb333119976fc9c857eb282a50b402b115e3a80f6b61991a0be054fea5e98"
         "3cc"
         "f80c693d74b4b487",
         {"7686eba069c30cf3eb333119976fc9c8", "57eb282a50b402b115e3a80f6b61991a", "0be054fea5e983ccf80c693d74b4b487"},
         "c559b7d7e4f5917aa1142d8d74b1b0eb",
         "3a0217a6159002030b95011080018881011082010183013091007f494104df5ec06f0b20c87365608882098162a211ae7d39e82714bf4"
         "c"
         "d90209bde005b9babd37d8b27a2ce7ba9ba5167ca8bfc0442f67e8e8dd626305d4eb90285128775f3740a360de1be92851944ec366add"
         "7"
         "10b787aa416a30a6b7a5b97bdb9685a0eb0604e2af54b56dfd7558d72685284ba8a5cfdf019aee91fc5fa40103b0c06e7a9381"},
        {"p256/one-key-njiwa-receipt",
         "p256",
         EUM_ECC_NIST_P256,
         P256_SK,
         P256_EPK,
         CRT_ONE_KEY,
         DR,
         EUM_ECKA_RECEIPT_NJIWA_PREPAD,
         P256_SHS,
         "5c8810" DR,
         "75ce6c9eb95cdbb995fc8376ad363c752fec51cd826717b70bb1584dca3e1c93",
         {"2fec51cd826717b70bb1584dca3e1c93", NULL, NULL},
         "32f356471f1ee4bb8a7d5fd8dfbd01d0",
         "3a0217a6159002030a95015c80018881011082010183010391007f494104df5ec06f0b20c87365608882098162a211ae7d39e82714bf4"
         "c"
         "d90209bde005b9babd37d8b27a2ce7ba9ba5167ca8bfc0442f67e8e8dd626305d4eb90285128775f37404990f42136a0e0fad6f6c119c"
         "7"
         "b3f254445428fae836c765da4942d8635f805c5a8299304797bd4e4f373ce3c300791cb30c732e413a1194c68673f0539bba5a"},
        {"bp256r1/whty",
         "bp256r1",
         EUM_ECC_BRAINPOOL_P256R1,
         BP_SK,
         BP_EPK,
         CRT_WHTY,
         NULL,
         EUM_ECKA_RECEIPT_CMAC,
         BP_SHS,
         "108810",
         "6636b8787f1619607b35bbd0b0bf31d48aae52d17fe35079d2bd64b3f99472e647719dfb6eb11b504e766a65561a444829098361b64e8"
         "673"
         "e2066a3d46df9690",
         {"8aae52d17fe35079d2bd64b3f99472e6", "47719dfb6eb11b504e766a65561a4448", "29098361b64e8673e2066a3d46df9690"},
         "f809e6a984cbf274ece22c4b5e97df3d",
         "3a0217a6159002030995011080018881011082010183013091007f4941045fb756b5975de80c9f5a60aa87b7cc7a00b4e947b125a0157"
         "e"
         "7b03f0ea87c54251420454bea98ae656b6f00c52a241bb731ce44cd729581480eebce274d2a34c5f374097648d0d7bae10290ee9d4683"
         "e"
         "f4e94743d9b656578e7cbef24fb594bdcee18832492dacd5539b971925e43b8734f4179581b7e53f2814b889201f9de95cab42"},
        {"bp256r1/dr",
         "bp256r1",
         EUM_ECC_BRAINPOOL_P256R1,
         BP_SK,
         BP_EPK,
         CRT_DR,
         DR,
         EUM_ECKA_RECEIPT_CMAC,
         BP_SHS,
         "108810" DR,
         "d4d4946a510896660bf8319a310acf29c74c81bdc70ef33e72d532ffd8e7fa0ede20eca9869d7c70df7763cfca26c6f9dae82353e8004"
         "2fa"
         "536fdf4a75c74cd3",
         {"c74c81bdc70ef33e72d532ffd8e7fa0e", "de20eca9869d7c70df7763cfca26c6f9", "dae82353e80042fa536fdf4a75c74cd3"},
         "9e0cd2dcc6f3b0ad7789b4336e273aaa",
         "3a0217a6159002030b95011080018881011082010183013091007f4941045fb756b5975de80c9f5a60aa87b7cc7a00b4e947b125a0157"
         "e"
         "7b03f0ea87c54251420454bea98ae656b6f00c52a241bb731ce44cd729581480eebce274d2a34c5f37403460648b14779535fbd731e5b"
         "0"
         "fc9cec75d28e092cf38b90ba8d3f534e9e631c46ab803d87ec75259f4659074a391f06e0fd5520c9c77136fae0b8dd57aa1fe1"},
        {"bp256r1/one-key-njiwa-receipt",
         "bp256r1",
         EUM_ECC_BRAINPOOL_P256R1,
         BP_SK,
         BP_EPK,
         CRT_ONE_KEY,
         DR,
         EUM_ECKA_RECEIPT_NJIWA_PREPAD,
         BP_SHS,
         "5c8810" DR,
         "1974ffdec2c58c64ad670dd0f60202becb2b51d803d314d05a6a0bc9047c7915",
         {"cb2b51d803d314d05a6a0bc9047c7915", NULL, NULL},
         "1d91338982ea5fa25cf41c78a5088a1e",
         "3a0217a6159002030a95015c80018881011082010183010391007f4941045fb756b5975de80c9f5a60aa87b7cc7a00b4e947b125a0157"
         "e"
         "7b03f0ea87c54251420454bea98ae656b6f00c52a241bb731ce44cd729581480eebce274d2a34c5f37408bf13094bf7342caa95b2d746"
         "d"
         "9bfcbf4fdf16801d53cb8e192f9f4d9483a55c80612ec6ebe09db71649bec4a4ad40c866011f77cf23984db5e7f6b375abaed5"},
};
#define NVEC (sizeof(VECTORS) / sizeof(VECTORS[0]))

static const uint8_t RC[16] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                               0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};

/* Blinding randomness for the scalar multiplications (results do not depend on it). */
static int test_rng(void *ctx, uint8_t *buf, size_t len)
{
	uint32_t *s = ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		*s = *s * 1103515245u + 12345u;
		buf[i] = (uint8_t)(*s >> 16);
	}
	return 0;
}

static size_t hex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = pki_unhex(h, out, cap);

	assert_true(n != (size_t)-1);
	return n;
}

static void assert_hex(const uint8_t *got, size_t n, const char *want)
{
	uint8_t w[256];
	size_t wn = hex(want, w, sizeof(w));

	assert_int_equal(n, wn);
	assert_memory_equal(got, w, n);
}

/* The vectors' private/public keys are the ones of tests/data/pki. */
static void test_vectors_match_pki(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NVEC; i++) {
		const struct ecka_vector *v = &VECTORS[i];
		uint8_t f[65];

		assert_int_equal(pki_read_hex(v->dir, "ecasd.sk.hex", f, sizeof(f)), 32);
		assert_hex(f, 32, v->sk);
		assert_int_equal(pki_read_hex(v->dir, "smdp-eph.pk.hex", f, sizeof(f)), 65);
		assert_hex(f, 65, v->epk);
	}
}

/* Digest §8.1 step 2.4-2.10, value by value. */
static void test_known_answers(void **state)
{
	uint32_t seed = 1;
	size_t i, k;

	(void)state;
	for (i = 0; i < NVEC; i++) {
		const struct ecka_vector *v = &VECTORS[i];
		uint8_t sk[32], epk[65], crt_raw[64], dr[16], shs[32], kd[64], info_mem[64], rsp[64];
		size_t crt_len = hex(v->crt, crt_raw, sizeof(crt_raw)), kd_len;
		struct eum_ecka_crt crt;
		struct eum_ecka_keys keys;
		struct eum_ecka_input in;
		struct eum_buf info, r;

		print_message("vector %s\n", v->name);
		hex(v->sk, sk, sizeof(sk));
		hex(v->epk, epk, sizeof(epk));
		if (v->dr)
			hex(v->dr, dr, sizeof(dr));
		assert_int_equal(eum_ecka_crt_parse(crt_raw, crt_len, &crt), EUM_OK);
		assert_int_equal(eum_ecka_wants_dr(&crt), v->dr != NULL);

		/* ShS */
		assert_int_equal(eum_ecdh(v->curve, sk, epk, 65, shs, test_rng, &seed), EUM_OK);
		assert_hex(shs, 32, v->shs);
		/* SharedInfo */
		eum_buf_init(&info, info_mem, sizeof(info_mem));
		assert_int_equal(eum_ecka_shared_info(&crt, v->dr ? dr : NULL, v->dr ? 16 : 0, NULL, 0, &info), EUM_OK);
		assert_hex(info_mem, info.len, v->shared_info);
		/* KDF */
		kd_len = hex(v->keydata, kd, sizeof(kd));
		assert_int_equal(eum_x963_kdf_sha256(shs, 32, info_mem, info.len, kd, kd_len), EUM_OK);
		assert_hex(kd, kd_len, v->keydata);

		/* the whole derivation */
		memset(&in, 0, sizeof(in));
		in.curve = v->curve;
		in.sk_ecasd = sk;
		in.epk = epk;
		in.crt = &crt;
		in.dr = v->dr ? dr : NULL;
		in.dr_len = v->dr ? 16 : 0;
		in.receipt_variant = v->variant;
		in.rng = test_rng;
		in.rng_ctx = &seed;
		assert_int_equal(eum_ecka_derive(&in, &keys), EUM_OK);
		assert_int_equal(keys.nkeys, v->keys[1] ? 3 : 1);
		for (k = 0; k < keys.nkeys; k++)
			assert_hex(keys.key[k], 16, v->keys[k]);
		assert_hex(keys.receipt, 16, v->receipt);

		/* the other receipt formula gives another receipt: the switch matters */
		in.receipt_variant =
		        v->variant == EUM_ECKA_RECEIPT_CMAC ? EUM_ECKA_RECEIPT_NJIWA_PREPAD : EUM_ECKA_RECEIPT_CMAC;
		{
			struct eum_ecka_keys other;

			assert_int_equal(eum_ecka_derive(&in, &other), EUM_OK);
			assert_memory_equal(other.key, keys.key, sizeof(keys.key));
			assert_memory_not_equal(other.receipt, keys.receipt, 16);
		}

		/* response data: [85 10 DR] 86 10 receipt */
		eum_buf_init(&r, rsp, sizeof(rsp));
		eum_ecka_response(&keys, in.dr, in.dr_len, &r);
		assert_false(r.overflow);
		if (v->dr) {
			assert_int_equal(r.len, 36);
			assert_memory_equal(rsp, "\x85\x10", 2);
			assert_memory_equal(rsp + 2, dr, 16);
		} else {
			assert_int_equal(r.len, 18);
		}
		assert_memory_equal(rsp + r.len - 18, "\x86\x10", 2);
		assert_memory_equal(rsp + r.len - 16, keys.receipt, 16);
		eum_ecka_keys_wipe(&keys);
		for (k = 0; k < sizeof(keys); k++)
			assert_int_equal(((uint8_t *)&keys)[k], 0);
	}
}

/* Split the 3A02 data the way the APDU layer will (DGI headers with 1-byte lengths here). */
static void split_3a02(const uint8_t *d, size_t n, size_t *dgi_len, size_t *pk_off, size_t *pk_len, size_t *sig_off,
                       size_t *sig_len)
{
	assert_true(n > 3 && d[0] == 0x3A && d[1] == 0x02);
	*dgi_len = 3 + (size_t)d[2];
	*pk_off = *dgi_len;
	assert_true(d[*pk_off] == 0x7F && d[*pk_off + 1] == 0x49);
	*pk_len = 3 + (size_t)d[*pk_off + 2];
	*sig_off = *pk_off + *pk_len;
	assert_true(d[*sig_off] == 0x5F && d[*sig_off + 1] == 0x37);
	*sig_len = d[*sig_off + 2];
	assert_int_equal(*sig_off + 3 + *sig_len, n);
}

/* Digest §8.1 step 2.3: the SM-DP signature over 3A02 || 7F49 || 0085 10 RC, with PK.DP.ECDSA. */
static void test_dp_signature(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NVEC; i++) {
		const struct ecka_vector *v = &VECTORS[i];
		uint8_t d[300], pk[65], der[80], raw[64], epk[65], rc2[16];
		size_t n = hex(v->data_3a02, d, sizeof(d)), dl, po, pl, so, sl, dn;
		struct eum_ecka_crt crt;

		assert_int_equal(pki_read_hex(v->dir, "smdp.pk.hex", pk, sizeof(pk)), 65);
		split_3a02(d, n, &dl, &po, &pl, &so, &sl);
		assert_int_equal(eum_ecka_crt_parse(d + 3, dl - 3, &crt), EUM_OK);
		assert_int_equal(eum_ecka_parse_epk(v->curve, d + po + 3, pl - 3, epk), EUM_OK);
		assert_hex(epk, 65, v->epk);
		assert_int_equal(eum_ecka_verify_dp_signature(v->curve, pk, d, dl, d + po, pl, RC, 16, d + so + 3, sl),
		                 EUM_OK);
		/* another RC, a flipped CRT byte, a flipped signature byte: refused */
		memcpy(rc2, RC, 16);
		rc2[15] ^= 1;
		assert_int_equal(eum_ecka_verify_dp_signature(v->curve, pk, d, dl, d + po, pl, rc2, 16, d + so + 3, sl),
		                 EUM_ERR_CRYPTO);
		d[10] ^= 0x01;
		assert_int_equal(eum_ecka_verify_dp_signature(v->curve, pk, d, dl, d + po, pl, RC, 16, d + so + 3, sl),
		                 EUM_ERR_CRYPTO);
		d[10] ^= 0x01;
		d[so + 3 + 40] ^= 0x80;
		assert_int_equal(eum_ecka_verify_dp_signature(v->curve, pk, d, dl, d + po, pl, RC, 16, d + so + 3, sl),
		                 EUM_ERR_CRYPTO);
		d[so + 3 + 40] ^= 0x80;
		/* the same signature DER-encoded (njiwa) is accepted: SEQUENCE { INTEGER r, INTEGER s } */
		memcpy(raw, d + so + 3, 64);
		dn = 0;
		der[dn++] = 0x30;
		der[dn++] = 0;
		for (size_t h = 0; h < 2; h++) {
			const uint8_t *x = raw + 32 * h;
			size_t skip = 0;

			while (skip < 31 && x[skip] == 0)
				skip++;
			der[dn++] = 0x02;
			der[dn++] = (uint8_t)(32 - skip + (x[skip] & 0x80 ? 1 : 0));
			if (x[skip] & 0x80)
				der[dn++] = 0;
			memcpy(der + dn, x + skip, 32 - skip);
			dn += 32 - skip;
		}
		der[1] = (uint8_t)(dn - 2);
		assert_int_equal(eum_ecka_verify_dp_signature(v->curve, pk, d, dl, d + po, pl, RC, 16, der, dn),
		                 EUM_OK);
		assert_int_equal(eum_ecdsa_sig_der_to_raw(der, dn, raw), EUM_OK);
		assert_memory_equal(raw, d + so + 3, 64);
		/* trailing garbage after the DER SEQUENCE */
		der[dn] = 0;
		assert_int_not_equal(eum_ecka_verify_dp_signature(v->curve, pk, d, dl, d + po, pl, RC, 16, der, dn + 1),
		                     EUM_OK);
	}
}

/* Digest §8.1 step 2.2 and TR-03111 §3.2.2.1: ePK must be a valid point of the ECASD curve. */
static void test_epk_refused(void **state)
{
	size_t c;

	(void)state;
	for (c = 0; c < 2; c++) {
		const struct ecka_vector *v = &VECTORS[c == 0 ? 0 : 3];
		const struct ecka_vector *o = &VECTORS[c == 0 ? 3 : 0]; /* the other curve */
		uint8_t sk[32], epk[65], bad[65], out[65], shs[32], nested[80], crt_raw[64];
		uint32_t seed = 7;
		struct eum_ecka_crt crt;
		struct eum_ecka_keys keys;
		struct eum_ecka_input in;
		struct eum_buf b;

		hex(v->sk, sk, sizeof(sk));
		hex(v->epk, epk, sizeof(epk));
		assert_int_equal(eum_ecc_check_public(v->curve, epk, 65), EUM_OK);

		/* off the curve: Y + 1 */
		memcpy(bad, epk, 65);
		bad[64] ^= 0x01;
		assert_int_equal(eum_ecc_check_public(v->curve, bad, 65), EUM_ERR_CRYPTO);
		assert_int_equal(eum_ecka_parse_epk(v->curve, bad, 65, out), EUM_ERR_CRYPTO);
		assert_int_equal(eum_ecdh(v->curve, sk, bad, 65, shs, test_rng, &seed), EUM_ERR_CRYPTO);
		hex(v->crt, crt_raw, sizeof(crt_raw));
		assert_int_equal(eum_ecka_crt_parse(crt_raw, strlen(v->crt) / 2, &crt), EUM_OK);
		memset(&in, 0, sizeof(in));
		in.curve = v->curve;
		in.sk_ecasd = sk;
		in.epk = bad;
		in.crt = &crt;
		in.rng = test_rng;
		in.rng_ctx = &seed;
		memset(&keys, 0xEE, sizeof(keys));
		assert_int_equal(eum_ecka_derive(&in, &keys), EUM_ERR_CRYPTO);
		for (size_t k = 0; k < sizeof(keys); k++)
			assert_int_equal(((uint8_t *)&keys)[k], 0);

		/* the other curve's point, the point at infinity / zeros, a compressed prefix, x = p-ish */
		hex(o->epk, bad, sizeof(bad));
		assert_int_equal(eum_ecka_parse_epk(v->curve, bad, 65, out), EUM_ERR_CRYPTO);
		memset(bad, 0, 65);
		bad[0] = 0x04;
		assert_int_equal(eum_ecka_parse_epk(v->curve, bad, 65, out), EUM_ERR_CRYPTO);
		memset(bad + 1, 0xFF, 64);
		assert_int_equal(eum_ecc_check_public(v->curve, bad, 65), EUM_ERR_CRYPTO);
		memcpy(bad, epk, 65);
		bad[0] = 0x02;
		assert_int_equal(eum_ecc_check_public(v->curve, bad, 65), EUM_ERR_CRYPTO);
		assert_int_equal(eum_ecka_parse_epk(v->curve, epk, 64, out), EUM_ERR_PARSE);

		/* njiwa's nested form B0 + F0 */
		eum_buf_init(&b, nested, sizeof(nested));
		eum_buf_ber_tlv(&b, 0xB0, epk, 65);
		eum_buf_ber_tlv(&b, 0xF0, &v->curve, 1);
		memset(out, 0, sizeof(out));
		assert_int_equal(eum_ecka_parse_epk(v->curve, nested, b.len, out), EUM_OK);
		assert_memory_equal(out, epk, 65);
		assert_int_equal(eum_ecka_parse_epk(o->curve, nested, b.len, out), EUM_ERR_PARSE); /* F0 mismatch */
		assert_int_equal(eum_ecka_parse_epk(v->curve, nested, 67, out), EUM_OK);           /* B0 alone */
		for (size_t l = 0; l < b.len; l++)
			if (l != 67)
				assert_int_not_equal(eum_ecka_parse_epk(v->curve, nested, l, out), EUM_OK);
	}
}

/* Digest §8.1 step 2.1: CRT layout checks. */
static void test_crt_parse(void **state)
{
	static const struct {
		const char *crt;
		int rc;
	} cases[] = {
	        {CRT_WHTY, EUM_OK},
	        {"a613900203099501108001888101108201018301309100" /* wrong outer length */, EUM_ERR_PARSE},
	        {"a6159002020995011080018881011082010183013091009000", EUM_ERR_PARSE},      /* trailing bytes */
	        {"a615900202099501108001888101108201018301309100", EUM_ERR_UNSUPPORTED},    /* scenario 2 */
	        {"a615900203099501208001888101108201018301309100", EUM_ERR_UNSUPPORTED},    /* usage 20 */
	        {"a615900203099501108001808101108201018301309100", EUM_ERR_UNSUPPORTED},    /* key type 80 */
	        {"a615900203099501108001888101208201018301309100", EUM_ERR_UNSUPPORTED},    /* 32-byte keys */
	        {"a612900203099501108001888101108201019100", EUM_ERR_PARSE},                /* no 83 */
	        {"a618900203099501108001888101108201018301309103010203", EUM_OK},           /* 91 of 3 */
	        {"a61b90020309950110800188810110820101830130910401020304", EUM_ERR_PARSE},  /* 91 of 4 */
	        {"a618900203099501108001888101108201018301308301309100", EUM_ERR_PARSE},    /* 83 twice */
	        {"a615900203049501108001888101108201018301309100", EUM_ERR_PARSE},          /* bit 04 without 84/45 */
	        {"a6189002030995011096010080018881011082010183013091 00", EUM_OK},          /* with 96 */
	        {"a6159002030995011080018881011082010183013099 00", EUM_ERR_PARSE},         /* unknown tag 99 */
	        {"a61d9002030d95011080018881011082010183013091004501aa8403010203", EUM_OK}, /* 45 + 84 */
	};
	uint8_t buf[64];
	struct eum_ecka_crt crt;
	size_t i, n, l;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = hex(cases[i].crt, buf, sizeof(buf));
		print_message("crt case %zu\n", i);
		assert_int_equal(eum_ecka_crt_parse(buf, n, &crt), cases[i].rc);
	}
	n = hex(CRT_WHTY, buf, sizeof(buf));
	assert_int_equal(eum_ecka_crt_parse(buf, n, &crt), EUM_OK);
	assert_int_equal(crt.scenario, 3);
	assert_int_equal(crt.params, 0x09);
	assert_int_equal(crt.key_usage, 0x10);
	assert_int_equal(crt.key_access, -1);
	assert_int_equal(crt.kid, 0x01);
	assert_int_equal(crt.kvn, 0x30);
	assert_non_null(crt.seq_counter.p);
	assert_int_equal(crt.seq_counter.len, 0);
	assert_null(crt.host_id.p);
	assert_ptr_equal(crt.raw.p, buf);
	assert_int_equal(crt.raw.len, n);
	/* every truncation is refused */
	for (l = 0; l < n; l++)
		assert_int_equal(eum_ecka_crt_parse(buf, l, &crt), EUM_ERR_PARSE);
}

/* DR required by the CRT but not given (or given but not asked for): refused before any computation. */
static void test_dr_handling(void **state)
{
	uint8_t sk[32], epk[65], crt_raw[64], dr[16] = {0};
	uint32_t seed = 3;
	struct eum_ecka_crt crt;
	struct eum_ecka_keys keys;
	struct eum_ecka_input in;

	(void)state;
	hex(P256_SK, sk, sizeof(sk));
	hex(P256_EPK, epk, sizeof(epk));
	memset(&in, 0, sizeof(in));
	in.curve = EUM_ECC_NIST_P256;
	in.sk_ecasd = sk;
	in.epk = epk;
	in.crt = &crt;
	in.rng = test_rng;
	in.rng_ctx = &seed;
	assert_int_equal(eum_ecka_crt_parse(crt_raw, hex(CRT_DR, crt_raw, sizeof(crt_raw)), &crt), EUM_OK);
	assert_int_equal(eum_ecka_derive(&in, &keys), EUM_ERR_INVALID_ARG);
	in.dr = dr;
	in.dr_len = sizeof(dr);
	assert_int_equal(eum_ecka_derive(&in, &keys), EUM_OK);
	assert_int_equal(eum_ecka_crt_parse(crt_raw, hex(CRT_WHTY, crt_raw, sizeof(crt_raw)), &crt), EUM_OK);
	assert_int_equal(eum_ecka_derive(&in, &keys), EUM_ERR_INVALID_ARG);
	in.receipt_variant = EUM_ECKA_RECEIPT_NUM;
	in.dr = NULL;
	in.dr_len = 0;
	assert_int_not_equal(eum_ecka_derive(&in, &keys), EUM_OK);
}

/* Seam: generated keys, sign/verify round trip, X9.63 with a 1-block and an odd length. */
static void test_ecc_seam(void **state)
{
	size_t c;

	(void)state;
	for (c = 0; c < 2; c++) {
		uint8_t curve = c ? EUM_ECC_BRAINPOOL_P256R1 : EUM_ECC_NIST_P256;
		uint8_t a_sk[32], a_pk[65], b_sk[32], b_pk[65], pk2[65], z1[32], z2[32], sig[64], sig2[64];
		uint32_t seed = 11 + (uint32_t)c;
		static const uint8_t msg[] = "EstablishISDPKeySet";

		assert_int_equal(eum_ecc_generate(curve, test_rng, &seed, a_sk, a_pk), EUM_OK);
		assert_int_equal(eum_ecc_generate(curve, test_rng, &seed, b_sk, b_pk), EUM_OK);
		assert_memory_not_equal(a_sk, b_sk, 32);
		assert_int_equal(eum_ecc_check_private(curve, a_sk), EUM_OK);
		assert_int_equal(eum_ecc_public_from_private(curve, a_sk, pk2, test_rng, &seed), EUM_OK);
		assert_memory_equal(pk2, a_pk, 65);
		assert_int_equal(eum_ecdh(curve, a_sk, b_pk, 65, z1, test_rng, &seed), EUM_OK);
		assert_int_equal(eum_ecdh(curve, b_sk, a_pk, 65, z2, test_rng, &seed), EUM_OK);
		assert_memory_equal(z1, z2, 32);
		assert_int_equal(eum_ecdsa_sign(curve, a_sk, msg, sizeof(msg), sig, test_rng, &seed), EUM_OK);
		assert_int_equal(eum_ecdsa_sign(curve, a_sk, msg, sizeof(msg), sig2, test_rng, &seed), EUM_OK);
		assert_memory_equal(sig, sig2, 64); /* RFC 6979: deterministic */
		assert_int_equal(eum_ecdsa_verify(curve, a_pk, 65, msg, sizeof(msg), sig, 64), EUM_OK);
		assert_int_equal(eum_ecdsa_verify(curve, b_pk, 65, msg, sizeof(msg), sig, 64), EUM_ERR_CRYPTO);
		assert_int_equal(eum_ecdsa_verify(curve, a_pk, 65, msg, sizeof(msg) - 1, sig, 64), EUM_ERR_CRYPTO);
		assert_int_equal(eum_ecdsa_verify(curve, a_pk, 65, msg, sizeof(msg), sig, 63), EUM_ERR_INVALID_ARG);
		memset(sig2, 0, 64);
		assert_int_equal(eum_ecdsa_verify(curve, a_pk, 65, msg, sizeof(msg), sig2, 64), EUM_ERR_CRYPTO);
		memset(a_sk, 0, 32);
		assert_int_equal(eum_ecc_check_private(curve, a_sk), EUM_ERR_CRYPTO);
		memset(a_sk, 0xFF, 32); /* >= n */
		assert_int_equal(eum_ecc_check_private(curve, a_sk), EUM_ERR_CRYPTO);
	}
	assert_int_equal(eum_ecc_curve_supported(0x01), 0);
	assert_int_equal(eum_ecc_check_public(0x01, (const uint8_t *)"\x04", 1), EUM_ERR_UNSUPPORTED);
	{
		/* KDF output is a prefix-consistent stream: 20 bytes = the first 20 of 45 */
		uint8_t z[32] = {1}, a[45], b[20];

		assert_int_equal(eum_x963_kdf_sha256(z, 32, (const uint8_t *)"\x10\x88\x10", 3, a, sizeof(a)), EUM_OK);
		assert_int_equal(eum_x963_kdf_sha256(z, 32, (const uint8_t *)"\x10\x88\x10", 3, b, sizeof(b)), EUM_OK);
		assert_memory_equal(a, b, sizeof(b));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_vectors_match_pki), cmocka_unit_test(test_known_answers),
	        cmocka_unit_test(test_dp_signature),      cmocka_unit_test(test_epk_refused),
	        cmocka_unit_test(test_crt_parse),         cmocka_unit_test(test_dr_handling),
	        cmocka_unit_test(test_ecc_seam),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
