/*
 * SGP.02 ES8 EstablishISDPKeySet scenario #3 end to end between libeum-host's SM-DP side
 * (include/eum/host/smdp.h) and the card's pure functions (src/sgp02/cert.c, src/sgp02/ecka.c), which
 * share no code but mbedTLS: host builds DGI 3A02, card verifies the SM-DP certificate and signature,
 * derives keys and receipt, host checks the receipt. Both must hold the same three SCP03 keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "eum/host/smdp.h"

#include "crypto/crypto.h"
#include "crypto/ecc.h"
#include "sgp02/cert.h"
#include "sgp02/ecka.h"
#include "util/tlv.h"

#include "pki_data.h"

#define NOW 1767225600ull /* 2026-01-01 */

/* test_ecka.c's p256/whty vector: 3A02 data for SK.DP.ECDSA = smdp.sk.hex, ePK = smdp-eph.pk.hex, RC = a0..af. */
#define P256_WHTY_3A02                                                                                                 \
	"3a0217a6159002030995011080018881011082010183013091007f494104df5ec06f0b20c87365608882098162a211ae7d39e82714bf" \
	"4c"                                                                                                           \
	"d90209bde005b9babd37d8b27a2ce7ba9ba5167ca8bfc0442f67e8e8dd626305d4eb90285128775f3740e73e6d177224ec594f73cbdc" \
	"25"                                                                                                           \
	"5bc5185fc0c822cf3977ae825929b8a6d606fa602b8f1cb9284652315639abc98474bf4c872bfafbc8c109885253aa9302cf01"

struct party_keys {
	uint8_t ci_pub[65];
	uint8_t ecasd_sk[32], ecasd_pub[65];
	uint8_t dp_sk[32];
	uint8_t dp_cert[512];
	size_t dp_cert_len;
};

static void load_keys(const struct pki_curve *c, struct party_keys *k)
{
	uint8_t buf[512];
	struct eum_cert ci, ecasd;
	size_t n;

	n = pki_read(c->dir, "ci.cert", buf, sizeof(buf));
	assert_int_equal(eum_cert_parse(buf, n, &ci), EUM_OK);
	memcpy(k->ci_pub, ci.pub, 65);
	n = pki_read(c->dir, "ecasd.cert", buf, sizeof(buf));
	assert_int_equal(eum_cert_parse(buf, n, &ecasd), EUM_OK);
	memcpy(k->ecasd_pub, ecasd.pub, 65); /* what the SM-DP learns from CERT.ECASD.ECKA */
	assert_int_equal(pki_read_hex(c->dir, "ecasd.sk.hex", k->ecasd_sk, 32), 32);
	assert_int_equal(pki_read_hex(c->dir, "smdp.sk.hex", k->dp_sk, 32), 32);
	k->dp_cert_len = pki_read(c->dir, "smdp.cert", k->dp_cert, sizeof(k->dp_cert));
	assert_true(k->dp_cert_len > 0);
}

/* One DGI (2-byte tag, length 00-FE or FF xxxx) from d at *off. */
static void next_dgi(const uint8_t *d, size_t n, size_t *off, uint16_t want, size_t *start, size_t *total,
                     size_t *val_off, size_t *val_len)
{
	size_t o = *off, l;

	assert_true(n - o >= 3);
	assert_int_equal((d[o] << 8) | d[o + 1], want);
	*start = o;
	o += 2;
	if (d[o] == 0xFF) {
		assert_true(n - o >= 3);
		l = (size_t)d[o + 1] << 8 | d[o + 2];
		o += 3;
	} else {
		l = d[o++];
	}
	assert_true(n - o >= l);
	*val_off = o;
	*val_len = l;
	*total = o + l - *start;
	*off = o + l;
}

/* What the ISD-P/ECASD will do with DGI 3A01 and 3A02 (digest §8.1), with the pure functions. Returns the
 * derivation result; fills resp with the response data. */
static int card_side(const struct pki_curve *c, const struct party_keys *k, const uint8_t rc[16], const uint8_t *data,
                     size_t n, enum eum_ecka_receipt_variant variant, const uint8_t *sin, size_t sin_len,
                     struct eum_ecka_keys *keys, uint8_t *resp, size_t resp_cap, size_t *resp_len, eum_drbg *drbg)
{
	struct eum_cert dp;
	struct eum_ecka_crt crt;
	struct eum_ecka_input in;
	struct eum_buf r;
	uint8_t epk[65], dr[EUM_ECKA_DR_LEN];
	size_t off = 0, s1, t1, v1, l1, s2, t2, v2, l2, s3, t3, v3, l3;
	int rc_;

	/* step 1: the SM-DP certificate */
	assert_int_equal(eum_cert_parse(k->dp_cert, k->dp_cert_len, &dp), EUM_OK);
	assert_int_equal(eum_cert_verify(&dp, c->ref, k->ci_pub, EUM_CERT_USAGE_VERIFY, EUM_CERT_TYPE_SMDP, NOW),
	                 EUM_OK);

	/* step 2 */
	next_dgi(data, n, &off, 0x3A02, &s1, &t1, &v1, &l1);
	next_dgi(data, n, &off, 0x7F49, &s2, &t2, &v2, &l2);
	next_dgi(data, n, &off, 0x5F37, &s3, &t3, &v3, &l3);
	assert_int_equal(off, n);
	rc_ = eum_ecka_verify_dp_signature(c->ref, dp.pub, data + s1, t1, data + s2, t2, rc, 16, data + v3, l3);
	if (rc_ != EUM_OK)
		return rc_;
	assert_int_equal(eum_ecka_crt_parse(data + v1, l1, &crt), EUM_OK);
	assert_int_equal(eum_ecka_parse_epk(dp.curve, data + v2, l2, epk), EUM_OK);
	if (eum_ecka_wants_dr(&crt))
		assert_int_equal(eum_drbg_random(drbg, dr, sizeof(dr)), 0);
	memset(&in, 0, sizeof(in));
	in.curve = c->ref;
	in.sk_ecasd = k->ecasd_sk;
	in.epk = epk;
	in.crt = &crt;
	in.dr = eum_ecka_wants_dr(&crt) ? dr : NULL;
	in.dr_len = in.dr ? sizeof(dr) : 0;
	in.sin = sin;
	in.sin_len = sin_len;
	in.receipt_variant = variant;
	in.rng = eum_drbg_random;
	in.rng_ctx = drbg;
	rc_ = eum_ecka_derive(&in, keys);
	if (rc_ != EUM_OK)
		return rc_;
	eum_buf_init(&r, resp, resp_cap);
	eum_ecka_response(keys, in.dr, in.dr_len, &r);
	assert_false(r.overflow);
	*resp_len = r.len;
	return EUM_OK;
}

struct flow_case {
	const char *name;
	uint8_t params, key_usage, kvn;
	int epk_nested;
	int with_hostid;
	enum eum_ecka_receipt_variant variant;
};

static const struct flow_case FLOWS[] = {
        {"whty defaults", 0x09, 0x10, 0x30, 0, 0, EUM_ECKA_RECEIPT_CMAC},
        {"DR requested", 0x0B, 0x10, 0x30, 0, 0, EUM_ECKA_RECEIPT_CMAC},
        {"njiwa one key, nested ePK, pre-padded receipt", 0x0A, 0x5C, 0x03, 1, 0, EUM_ECKA_RECEIPT_NJIWA_PREPAD},
        {"HostID + SDIN + SIN", 0x0E, 0x10, 0x31, 1, 1, EUM_ECKA_RECEIPT_CMAC},
};

/* Host and card derive the same keys and the host accepts the card's receipt. */
static void test_flows(void **state)
{
	static const uint8_t host_id[16] = "eum-test-host-id";
	static const uint8_t sdin[4] = {0x01, 0x02, 0x03, 0x04};
	static const uint8_t sin[5] = {0x89, 0x04, 0x90, 0x32, 0x00};
	eum_drbg *drbg;
	size_t ci, f, i;

	(void)state;
	assert_int_equal(eum_drbg_new(&drbg, (const uint8_t *)"test_host_smdp", 14), EUM_OK);
	for (ci = 0; ci < PKI_NCURVES; ci++) {
		const struct pki_curve *c = &PKI_CURVES[ci];
		struct party_keys k;

		load_keys(c, &k);
		for (f = 0; f < sizeof(FLOWS) / sizeof(FLOWS[0]); f++) {
			const struct flow_case *fc = &FLOWS[f];
			eum_host_smdp_crt crt;
			eum_host_smdp_keys hk;
			struct eum_ecka_keys ck;
			uint8_t esk[32], epk[65], rc[16], data[400], resp[64];
			size_t n, rlen;

			print_message("%s: %s\n", c->dir, fc->name);
			eum_host_smdp_crt_default(&crt);
			crt.params = fc->params;
			crt.key_usage = fc->key_usage;
			crt.kvn = fc->kvn;
			if (fc->with_hostid) {
				crt.host_id = host_id;
				crt.host_id_len = sizeof(host_id);
				crt.sdin = sdin;
				crt.sdin_len = sizeof(sdin);
			}
			assert_int_equal(eum_host_smdp_gen_epk(c->ref, eum_drbg_random, drbg, esk, epk), EUM_OK);
			assert_int_equal(eum_drbg_random(drbg, rc, sizeof(rc)), 0);
			assert_int_equal(eum_host_smdp_build_3a02(c->ref, k.dp_sk, &crt, epk, fc->epk_nested, rc, 16,
			                                          eum_drbg_random, drbg, data, sizeof(data), &n),
			                 EUM_OK);
			assert_int_equal(card_side(c, &k, rc, data, n, fc->variant, fc->with_hostid ? sin : NULL,
			                           fc->with_hostid ? sizeof(sin) : 0, &ck, resp, sizeof(resp), &rlen,
			                           drbg),
			                 EUM_OK);
			assert_int_equal(eum_host_smdp_finish(
			                         c->ref, esk, k.ecasd_pub, &crt, fc->with_hostid ? sin : NULL,
			                         fc->with_hostid ? sizeof(sin) : 0, (eum_host_smdp_receipt)fc->variant,
			                         eum_drbg_random, drbg, resp, rlen, &hk),
			                 EUM_OK);
			assert_int_equal(hk.nkeys, ck.nkeys);
			assert_int_equal(hk.nkeys, fc->key_usage == 0x10 ? 3 : 1);
			for (i = 0; i < hk.nkeys; i++)
				assert_memory_equal(hk.key[i], ck.key[i], 16);
			assert_memory_equal(hk.receipt, ck.receipt, 16);

			/* a flipped receipt bit, or the other receipt formula, is refused by the host */
			resp[rlen - 1] ^= 0x01;
			assert_int_equal(eum_host_smdp_finish(
			                         c->ref, esk, k.ecasd_pub, &crt, fc->with_hostid ? sin : NULL,
			                         fc->with_hostid ? sizeof(sin) : 0, (eum_host_smdp_receipt)fc->variant,
			                         eum_drbg_random, drbg, resp, rlen, &hk),
			                 EUM_ERR_CRYPTO);
			resp[rlen - 1] ^= 0x01;
			assert_int_equal(eum_host_smdp_finish(c->ref, esk, k.ecasd_pub, &crt,
			                                      fc->with_hostid ? sin : NULL,
			                                      fc->with_hostid ? sizeof(sin) : 0,
			                                      (eum_host_smdp_receipt)(1 - fc->variant), eum_drbg_random,
			                                      drbg, resp, rlen, &hk),
			                 EUM_ERR_CRYPTO);
			/* a response missing the DR the CRT asked for (or carrying one it did not) */
			if (fc->params & 0x02)
				assert_int_equal(eum_host_smdp_finish(c->ref, esk, k.ecasd_pub, &crt, NULL, 0,
				                                      (eum_host_smdp_receipt)fc->variant,
				                                      eum_drbg_random, drbg, resp + rlen - 18, 18, &hk),
				                 EUM_ERR_PARSE);

			/* the card refuses a 3A02 signed over another RC */
			rc[0] ^= 0xFF;
			assert_int_equal(card_side(c, &k, rc, data, n, fc->variant, NULL, 0, &ck, resp, sizeof(resp),
			                           &rlen, drbg),
			                 EUM_ERR_CRYPTO);
			eum_ecka_keys_wipe(&ck);
			eum_host_smdp_keys_wipe(&hk);
			eum_wipe(esk, sizeof(esk));
		}
	}
	eum_drbg_free(drbg);
}

/* The host's CRT encoding of the whty defaults is the byte string of the public whty SM-DP
 * (digest §8.1 step 2.1), and the 3A02 layout is DGI 3A02 | DGI 7F49 | DGI 5F37 40. */
static void test_host_encodings(void **state)
{
	static const uint8_t whty_crt[] = {0xA6, 0x15, 0x90, 0x02, 0x03, 0x09, 0x95, 0x01, 0x10, 0x80, 0x01, 0x88,
	                                   0x81, 0x01, 0x10, 0x82, 0x01, 0x01, 0x83, 0x01, 0x30, 0x91, 0x00};
	eum_host_smdp_crt crt;
	uint8_t out[400], out2[400], expect[400], sk[32], epk[65], rc[16];
	size_t n, n2, i;
	eum_drbg *drbg;

	(void)state;
	eum_host_smdp_crt_default(&crt);
	assert_int_equal(eum_host_smdp_build_crt(&crt, out, sizeof(out), &n), EUM_OK);
	assert_int_equal(n, sizeof(whty_crt));
	assert_memory_equal(out, whty_crt, n);
	assert_int_equal(eum_host_smdp_build_crt(&crt, out, n - 1, &n), EUM_ERR_BUFFER_TOO_SMALL);
	crt.params = 0x0D; /* HostID required but absent */
	assert_int_equal(eum_host_smdp_build_crt(&crt, out, sizeof(out), &n), EUM_ERR_INVALID_ARG);

	eum_host_smdp_crt_default(&crt);
	assert_int_equal(pki_read_hex("p256", "smdp.sk.hex", sk, 32), 32);
	assert_int_equal(pki_read_hex("p256", "smdp-eph.pk.hex", epk, 65), 65);
	for (i = 0; i < 16; i++)
		rc[i] = (uint8_t)(0xA0 + i);
	assert_int_equal(eum_drbg_new(&drbg, NULL, 0), EUM_OK);
	assert_int_equal(
	        eum_host_smdp_build_3a02(0x00, sk, &crt, epk, 0, rc, 16, eum_drbg_random, drbg, out, sizeof(out), &n),
	        EUM_OK);
	assert_int_equal(n, 3 + 23 + 3 + 65 + 3 + 64);
	assert_memory_equal(out, "\x3A\x02\x17", 3);
	assert_memory_equal(out + 3, whty_crt, sizeof(whty_crt));
	assert_memory_equal(out + 26, "\x7F\x49\x41", 3);
	assert_memory_equal(out + 29, epk, 65);
	assert_memory_equal(out + 94, "\x5F\x37\x40", 3);
	/* RFC 6979: the signature is reproducible; this is test_ecka.c's openssl-checked p256/whty vector */
	assert_int_equal(pki_unhex(P256_WHTY_3A02, expect, sizeof(expect)), n);
	assert_memory_equal(out, expect, n);
	/* njiwa's nested form: 7F49 46 { B0 41 point, F0 01 00 } */
	assert_int_equal(eum_host_smdp_build_3a02(0x00, sk, &crt, epk, 1, rc, 16, eum_drbg_random, drbg, out2,
	                                          sizeof(out2), &n2),
	                 EUM_OK);
	assert_memory_equal(out2 + 26, "\x7F\x49\x46\xB0\x41", 5);
	assert_memory_equal(out2 + 31 + 65, "\xF0\x01\x00", 3);
	assert_int_equal(
	        eum_host_smdp_build_3a02(0x00, sk, &crt, epk, 0, rc, 16, eum_drbg_random, drbg, out, n - 1, &n),
	        EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(
	        eum_host_smdp_build_3a02(0x01, sk, &crt, epk, 0, rc, 16, eum_drbg_random, drbg, out, sizeof(out), &n),
	        EUM_ERR_INVALID_ARG);
	eum_drbg_free(drbg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_flows),
	        cmocka_unit_test(test_host_encodings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
