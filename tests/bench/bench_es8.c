/*
 * Benchmark: one full SGP.02 ES8 download of a ~12 KB TS.48 profile through APDUs — EstablishISDPKeySet
 * (3A01 certificate, 3A02 key agreement), SCP03t session (84 + 85) and the package in 86 segments, each
 * script in an SCP80 packet carried by concatenated SMS-PP ENVELOPEs, the installation and its commit —
 * next to the cryptography that cannot be avoided for it, measured in the same run with the card's own
 * crypto seam: the two ECDSA verifications (CI signature on the SM-DP certificate, SM-DP signature on
 * 3A02) and the ECDH of the key agreement. Prints both and their ratio.
 *
 * Usage: bench_es8 [N] [segment]   (default 20 runs, 975-byte segments). Uses the e2e helpers (cmocka asserts:
 * a failure aborts the run).
 */
#define _POSIX_C_SOURCE 200809L

#include <time.h>

#include "../e2e/es8_e2e.h"

#include "crypto/ecc.h"
#include "sgp02/cert.h"

#define DATE_2026 1767225600ull

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int card_rng(void *ctx, uint8_t *buf, size_t len)
{
	return es8_rng(ctx, buf, len);
}

int main(int argc, char **argv)
{
	static uint8_t der[32768];
	static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
	int runs = argc > 1 ? atoi(argv[1]) : 20, r;
	size_t seg = argc > 2 ? (size_t)atol(argv[2]) : 975;
	size_t len = es8_file("ts48/TS48V1-A-UNIQUE.der", der, sizeof(der));
	double t_full = 0, t_crypto = 0;
	uint8_t pk_ci[65], sk_ecasd[32], epk[65], esk[32], secret[32], d3a02[400], rc[16];
	struct eum_cert cert;
	size_t n3a02;
	uint64_t seed = 42;

	if (runs < 1 || seg < 1) {
		fprintf(stderr, "usage: bench_es8 [N] [segment]\n");
		return 2;
	}
	for (r = 0; r < runs; r++) {
		eum_host_euicc_response resp;
		eum_host_scp03t t;
		struct es8 x;
		double t0;

		es8_init(&x, DATE_2026);
		es8_create_isdp(&x, tar20);
		t0 = now_ns();
		es8_establish_keys(&x, 0);
		es8_scp03t_open(&x, &t, 1, 1);
		es8_download(&x, &t, der, len, seg, &resp);
		t_full += now_ns() - t0;
		if (!eum_host_euicc_response_ok(&resp)) {
			fprintf(stderr, "download refused\n");
			return 1;
		}
		eum_host_scp03t_free(&t);
		es8_free(&x);
	}

	/* the unavoidable crypto, same inputs as the card sees */
	{
		struct es8 x;
		uint8_t sig[64];
		memset(&x, 0, sizeof(x));
		x.cert_len = es8_file("pki/p256/smdp.cert", x.cert, sizeof(x.cert));
		es8_hexfile("p256", "smdp.sk.hex", x.sk_dp, 32);
		es8_hexfile("p256", "ci.pk.hex", pk_ci, 65);
		es8_hexfile("p256", "ecasd.sk.hex", sk_ecasd, 32);
		eum_host_smdp_crt_default(&x.crt);
		memset(rc, 0xA5, sizeof(rc));
		eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &seed, esk, epk);
		eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, x.sk_dp, &x.crt, epk, 0, rc, 16, es8_rng, &seed,
		                         d3a02, sizeof(d3a02), &n3a02);
		if (eum_cert_parse(x.cert, x.cert_len, &cert) != EUM_OK) {
			fprintf(stderr, "certificate\n");
			return 1;
		}
		/* 3A02 signed data: 3A02 L A6 || 7F49 L ePK || 00 85 10 RC; the signature is the last 64 bytes */
		{
			uint8_t signed_data[256];
			size_t a = 3 + d3a02[2], b = 3 + d3a02[a + 2];
			memcpy(signed_data, d3a02, a + b);
			memcpy(signed_data + a + b, "\x00\x85\x10", 3);
			memcpy(signed_data + a + b + 3, rc, 16);
			memcpy(sig, d3a02 + n3a02 - 64, 64);
			for (r = 0; r < runs; r++) {
				double t0 = now_ns();
				int ok = eum_ecdsa_verify(EUM_ECC_NIST_P256, pk_ci, 65, cert.signed_part.p,
				                          cert.signed_part.len, cert.sig, 64) == EUM_OK &&
				         eum_ecdsa_verify(EUM_ECC_NIST_P256, cert.pub, 65, signed_data, a + b + 19, sig,
				                          64) == EUM_OK &&
				         eum_ecdh(EUM_ECC_NIST_P256, sk_ecasd, epk, 65, secret, card_rng, &seed) ==
				                 EUM_OK;
				t_crypto += now_ns() - t0;
				if (!ok) {
					fprintf(stderr, "crypto check failed\n");
					return 1;
				}
			}
		}
	}
	printf("ES8 download of TS48V1-A-UNIQUE (%zu bytes, %zu-byte segments, %d runs)\n", len, seg, runs);
	printf("  full (key establishment + SCP03t + install, APDUs): %.2f ms\n", t_full / runs / 1e6);
	printf("  unavoidable crypto (2 ECDSA verify + 1 ECDH):        %.2f ms\n", t_crypto / runs / 1e6);
	printf("  ratio full / crypto: %.2f\n", t_full / t_crypto);
	return 0;
}
