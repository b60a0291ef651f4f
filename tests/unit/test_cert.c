/*
 * GP Amendment E / SGP.02 v3 Table 76-77 certificates (src/sgp02/cert.c) against the reproducible test
 * PKI of tests/data/pki (CI -> EUM -> ECASD, CI -> SM-DP / SM-SR), both curves. The signatures of those
 * files were also checked with `openssl dgst -sha256 -verify` (tests/data/pki/README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/ecc.h"
#include "sgp02/cert.h"
#include "util/tlv.h"

#include "pki_data.h"

/* 2026-01-01T00:00:00Z, inside every certificate's 2025-01-01 .. 2045-12-31 validity. */
#define NOW 1767225600ull
/* 2045-12-31T23:59:59Z and 2046-01-01T00:00:00Z; 2024-12-31T23:59:59Z and 2025-01-01T00:00:00Z. */
#define LAST_VALID       2398377599ull
#define FIRST_EXPIRED    2398377600ull
#define BEFORE_EFFECTIVE 1735689599ull
#define FIRST_EFFECTIVE  1735689600ull

struct cert_case {
	const char *file;
	const char *issuer; /* certificate file of the issuer */
	enum eum_cert_usage usage;
	int type;
	const char *subject; /* NULL: the EID */
	uint8_t serial;
};

static const struct cert_case CERTS[] = {
        {"ci.cert", "ci.cert", EUM_CERT_USAGE_VERIFY, EUM_CERT_TYPE_CI, "eum-test-ci", 1},
        {"eum.cert", "ci.cert", EUM_CERT_USAGE_VERIFY, EUM_CERT_TYPE_EUM, "eum-test-eum", 2},
        {"ecasd.cert", "eum.cert", EUM_CERT_USAGE_KEY_AGREEMENT, EUM_CERT_TYPE_NONE, NULL, 3},
        {"smdp.cert", "ci.cert", EUM_CERT_USAGE_VERIFY, EUM_CERT_TYPE_SMDP, "eum-test-smdp", 4},
        {"smdp-ecka.cert", "ci.cert", EUM_CERT_USAGE_KEY_AGREEMENT, EUM_CERT_TYPE_SMDP, "eum-test-smdp", 5},
        {"smsr.cert", "ci.cert", EUM_CERT_USAGE_VERIFY, EUM_CERT_TYPE_SMSR, "eum-test-smsr", 6},
        {"smsr-ecka.cert", "ci.cert", EUM_CERT_USAGE_KEY_AGREEMENT, EUM_CERT_TYPE_SMSR, "eum-test-smsr", 7},
};
#define NCERTS (sizeof(CERTS) / sizeof(CERTS[0]))

static size_t load(const struct pki_curve *c, const char *file, uint8_t *buf, size_t cap)
{
	size_t n = pki_read(c->dir, file, buf, cap);

	assert_true(n > 0);
	return n;
}

/* Public key of the issuer, taken from its own (parsed) certificate. */
static void issuer_key(const struct pki_curve *c, const char *file, uint8_t pub[65])
{
	uint8_t buf[512];
	struct eum_cert ic;
	size_t n = load(c, file, buf, sizeof(buf));

	assert_int_equal(eum_cert_parse(buf, n, &ic), EUM_OK);
	memcpy(pub, ic.pub, 65);
}

/* Every certificate parses, chains to its issuer and passes the type / usage / validity checks. */
static void test_parse_and_verify_all(void **state)
{
	size_t ci, i;

	(void)state;
	for (ci = 0; ci < PKI_NCURVES; ci++) {
		const struct pki_curve *c = &PKI_CURVES[ci];

		for (i = 0; i < NCERTS; i++) {
			const struct cert_case *cc = &CERTS[i];
			uint8_t buf[512], ipub[65], pk[65], pkfile[65];
			struct eum_cert cert;
			size_t n = load(c, cc->file, buf, sizeof(buf));
			char pkname[64];

			print_message("%s/%s\n", c->dir, cc->file);
			assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
			issuer_key(c, cc->issuer, ipub);
			assert_int_equal(eum_cert_verify_signature(&cert, c->ref, ipub), EUM_OK);
			assert_int_equal(eum_cert_verify(&cert, c->ref, ipub, cc->usage, cc->type, NOW), EUM_OK);

			assert_int_equal(cert.curve, c->ref);
			assert_int_equal(cert.cert_type, cc->type);
			assert_int_equal(cert.serial.len, 1);
			assert_int_equal(cert.serial.p[0], cc->serial);
			assert_int_equal(cert.effective, 20250101);
			assert_int_equal(cert.expiration, 20451231);
			if (cc->subject) {
				assert_int_equal(cert.subject.len, strlen(cc->subject));
				assert_memory_equal(cert.subject.p, cc->subject, cert.subject.len);
			} else {
				assert_int_equal(cert.subject.len, 16);
				assert_memory_equal(cert.subject.p, PKI_EID, 16);
			}
			/* C9 only where an issuer other than oneself signed */
			if (strcmp(cc->file, "ci.cert") == 0)
				assert_null(cert.auth_key_id.p);
			else
				assert_int_equal(cert.auth_key_id.len, 20);
			/* the certified key is the one in <name>.pk.hex */
			snprintf(pkname, sizeof(pkname), "%.*s.pk.hex", (int)(strlen(cc->file) - 5), cc->file);
			assert_int_equal(pki_read_hex(c->dir, pkname, pkfile, sizeof(pkfile)), 65);
			memcpy(pk, cert.pub, 65);
			assert_memory_equal(pk, pkfile, 65);
			/* signed part = everything inside 7F21 before 5F37 40 r||s */
			assert_int_equal(cert.signed_part.len + 3 + 64, n - (n > 0x83 ? 4 : 3));
		}
	}
}

/* A certificate verified with a key other than its issuer's is refused. */
static void test_wrong_issuer(void **state)
{
	size_t ci;

	(void)state;
	for (ci = 0; ci < PKI_NCURVES; ci++) {
		const struct pki_curve *c = &PKI_CURVES[ci];
		uint8_t buf[512], eum_pub[65], ci_pub[65], other[65];
		struct eum_cert cert;
		size_t n;

		issuer_key(c, "eum.cert", eum_pub);
		issuer_key(c, "ci.cert", ci_pub);
		n = load(c, "smdp.cert", buf, sizeof(buf));
		assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
		assert_int_equal(eum_cert_verify_signature(&cert, c->ref, eum_pub), EUM_ERR_CRYPTO);
		assert_int_equal(
		        eum_cert_verify(&cert, c->ref, eum_pub, EUM_CERT_USAGE_VERIFY, EUM_CERT_TYPE_SMDP, NOW),
		        EUM_ERR_CRYPTO);
		n = load(c, "ecasd.cert", buf, sizeof(buf));
		assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
		assert_int_equal(eum_cert_verify_signature(&cert, c->ref, ci_pub), EUM_ERR_CRYPTO);
		/* the right key on the wrong curve */
		assert_int_equal(eum_cert_verify_signature(&cert, c->ref ^ 0x03, eum_pub), EUM_ERR_CRYPTO);
		/* the same issuer key of the other curve's PKI */
		issuer_key(&PKI_CURVES[1 - ci], "eum.cert", other);
		assert_int_equal(eum_cert_verify_signature(&cert, PKI_CURVES[1 - ci].ref, other), EUM_ERR_CRYPTO);
		assert_int_equal(eum_cert_verify_signature(&cert, 0x05, eum_pub), EUM_ERR_UNSUPPORTED);
	}
}

/* Every single-bit change anywhere in a certificate is refused by parse or by verify, without crash. */
static void test_bit_flips(void **state)
{
	size_t ci, i, bit;

	(void)state;
	for (ci = 0; ci < PKI_NCURVES; ci++) {
		const struct pki_curve *c = &PKI_CURVES[ci];
		uint8_t buf[512], ipub[65];
		struct eum_cert cert;
		size_t n = load(c, "smdp.cert", buf, sizeof(buf));

		issuer_key(c, "ci.cert", ipub);
		for (i = 0; i < n; i++)
			for (bit = 0; bit < 8; bit++) {
				buf[i] ^= (uint8_t)(1u << bit);
				if (eum_cert_parse(buf, n, &cert) == EUM_OK)
					assert_int_not_equal(eum_cert_verify_signature(&cert, c->ref, ipub), EUM_OK);
				buf[i] ^= (uint8_t)(1u << bit);
			}
		/* and explicitly: a flipped signature byte */
		buf[n - 1] ^= 0x01;
		assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
		assert_int_equal(eum_cert_verify_signature(&cert, c->ref, ipub), EUM_ERR_CRYPTO);
	}
}

/* Truncation at every length (and extension by a byte) is refused, without crash. */
static void test_truncated(void **state)
{
	size_t ci, i, l;

	(void)state;
	for (ci = 0; ci < PKI_NCURVES; ci++) {
		for (i = 0; i < NCERTS; i++) {
			uint8_t buf[512];
			struct eum_cert cert;
			size_t n = load(&PKI_CURVES[ci], CERTS[i].file, buf, sizeof(buf) - 1);

			for (l = 0; l < n; l++) {
				/* a fresh heap copy of exactly l bytes, so ASan sees any over-read */
				uint8_t *t = malloc(l ? l : 1);

				assert_non_null(t);
				memcpy(t, buf, l);
				assert_int_equal(eum_cert_parse(t, l, &cert), EUM_ERR_PARSE);
				assert_null(cert.signed_part.p);
				free(t);
			}
			buf[n] = 0x00;
			assert_int_equal(eum_cert_parse(buf, n + 1, &cert), EUM_ERR_PARSE);
		}
	}
}

/* 5F25 / 5F24 against the caller's time, boundaries included (the expiration day is still valid). */
static void test_validity(void **state)
{
	uint8_t buf[512], ipub[65];
	struct eum_cert cert;
	size_t n;

	(void)state;
	n = load(&PKI_CURVES[0], "smdp.cert", buf, sizeof(buf));
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
	issuer_key(&PKI_CURVES[0], "ci.cert", ipub);
	assert_int_equal(eum_cert_check_validity(&cert, NOW), EUM_OK);
	assert_int_equal(eum_cert_check_validity(&cert, LAST_VALID), EUM_OK);
	assert_int_equal(eum_cert_check_validity(&cert, FIRST_EXPIRED), EUM_ERR_STATE);
	assert_int_equal(eum_cert_check_validity(&cert, FIRST_EFFECTIVE), EUM_OK);
	assert_int_equal(eum_cert_check_validity(&cert, BEFORE_EFFECTIVE), EUM_ERR_STATE);
	assert_int_equal(eum_cert_check_validity(&cert, 0), EUM_ERR_STATE);
	assert_int_equal(eum_cert_check_validity(&cert, UINT64_MAX), EUM_ERR_STATE);
	assert_int_equal(eum_cert_verify(&cert, 0x00, ipub, EUM_CERT_USAGE_VERIFY, EUM_CERT_TYPE_SMDP, FIRST_EXPIRED),
	                 EUM_ERR_STATE);

	assert_int_equal(eum_cert_date_of(0), 19700101);
	assert_int_equal(eum_cert_date_of(NOW), 20260101);
	assert_int_equal(eum_cert_date_of(951782400ull), 20000229); /* leap day */
	assert_int_equal(eum_cert_date_of(LAST_VALID), 20451231);
	assert_int_equal(eum_cert_date_of(FIRST_EXPIRED), 20460101);
}

/* Key usage (95) and certificate type (73/C8) checks. */
static void test_usage_and_type(void **state)
{
	uint8_t buf[512], ipub[65];
	struct eum_cert cert;
	size_t n;

	(void)state;
	issuer_key(&PKI_CURVES[0], "ci.cert", ipub);
	n = load(&PKI_CURVES[0], "smdp.cert", buf, sizeof(buf));
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
	assert_int_equal(eum_cert_check_usage(&cert, EUM_CERT_USAGE_VERIFY), EUM_OK);
	assert_int_equal(eum_cert_check_usage(&cert, EUM_CERT_USAGE_KEY_AGREEMENT), EUM_ERR_UNSUPPORTED);
	assert_int_equal(eum_cert_verify(&cert, 0x00, ipub, EUM_CERT_USAGE_VERIFY, EUM_CERT_TYPE_SMSR, NOW),
	                 EUM_ERR_UNSUPPORTED);
	assert_int_equal(eum_cert_verify(&cert, 0x00, ipub, EUM_CERT_USAGE_KEY_AGREEMENT, EUM_CERT_TYPE_SMDP, NOW),
	                 EUM_ERR_UNSUPPORTED);
	n = load(&PKI_CURVES[0], "ecasd.cert", buf, sizeof(buf));
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
	assert_int_equal(eum_cert_check_usage(&cert, EUM_CERT_USAGE_KEY_AGREEMENT), EUM_OK);
	assert_int_equal(eum_cert_check_usage(&cert, EUM_CERT_USAGE_VERIFY), EUM_ERR_UNSUPPORTED);
}

/* Find a byte sequence in buf (test helper). */
static size_t find(const uint8_t *buf, size_t n, const uint8_t *pat, size_t pn)
{
	size_t i;

	for (i = 0; i + pn <= n; i++)
		if (memcmp(buf + i, pat, pn) == 0)
			return i;
	fail_msg("pattern not found");
	return 0;
}

/* F0 key parameter reference: unknown curves are refused as unsupported; a P-256 point announced as
 * brainpoolP256r1 is not on that curve and is refused by parse. */
static void test_wrong_curve(void **state)
{
	static const uint8_t f0_p256[] = {0xF0, 0x01, 0x00};
	uint8_t buf[512];
	struct eum_cert cert;
	size_t n, at;

	(void)state;
	n = load(&PKI_CURVES[0], "smdp.cert", buf, sizeof(buf));
	at = find(buf, n, f0_p256, sizeof(f0_p256));
	buf[at + 2] = 0x05; /* brainpoolP384r1: not implemented */
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_ERR_UNSUPPORTED);
	buf[at + 2] = 0x01; /* P-384 */
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_ERR_UNSUPPORTED);
	buf[at + 2] = 0x03; /* brainpoolP256r1: the point is not on it */
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_ERR_PARSE);
}

/* Build a certificate from parts with the tag list in a given order (test-side writer). */
static size_t rebuild(const struct eum_cert *src, const uint8_t *sig, size_t sig_len, int sig_first, uint8_t *out,
                      size_t cap)
{
	struct eum_buf b;
	size_t m;

	eum_buf_init(&b, out, cap);
	m = eum_buf_ber_open(&b, 0x7F21);
	if (sig_first)
		eum_buf_ber_tlv(&b, 0x5F37, sig, sig_len);
	eum_buf_put(&b, src->signed_part.p, src->signed_part.len);
	if (!sig_first)
		eum_buf_ber_tlv(&b, 0x5F37, sig, sig_len);
	eum_buf_ber_close(&b, m);
	assert_false(b.overflow);
	return b.len;
}

/* 5F37 may be DER (njiwa) as well as raw r||s (whty) [digest §8.1 step 1.4]; it must come last. */
static void test_signature_encodings(void **state)
{
	uint8_t buf[512], out[600], der[80], ipub[65];
	struct eum_cert cert, again;
	size_t n, dn = 0, h, on;

	(void)state;
	issuer_key(&PKI_CURVES[1], "ci.cert", ipub);
	n = load(&PKI_CURVES[1], "smsr.cert", buf, sizeof(buf));
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
	der[dn++] = 0x30;
	der[dn++] = 0;
	for (h = 0; h < 2; h++) {
		const uint8_t *x = cert.sig + 32 * h;
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
	on = rebuild(&cert, der, dn, 0, out, sizeof(out));
	assert_int_equal(eum_cert_parse(out, on, &again), EUM_OK);
	assert_memory_equal(again.sig, cert.sig, 64);
	assert_int_equal(eum_cert_verify_signature(&again, 0x03, ipub), EUM_OK);
	/* a DER signature with a bad inner length is refused */
	der[3] ^= 0x01;
	on = rebuild(&cert, der, dn, 0, out, sizeof(out));
	assert_int_equal(eum_cert_parse(out, on, &again), EUM_ERR_PARSE);
	/* 5F37 not last */
	on = rebuild(&cert, cert.sig, 64, 1, out, sizeof(out));
	assert_int_equal(eum_cert_parse(out, on, &again), EUM_ERR_PARSE);
	/* a raw signature of the wrong length */
	on = rebuild(&cert, cert.sig, 63, 0, out, sizeof(out));
	assert_int_equal(eum_cert_parse(out, on, &again), EUM_ERR_PARSE);
}

/* Structural refusals: a missing mandatory field, a duplicate, a bad BCD date, another outer tag. */
static void test_structure(void **state)
{
	static const uint8_t exp_tlv[] = {0x5F, 0x24, 0x04, 0x20, 0x45, 0x12, 0x31};
	uint8_t buf[512], out[600];
	struct eum_cert cert;
	struct eum_buf b;
	size_t n, at, m;

	(void)state;
	n = load(&PKI_CURVES[0], "eum.cert", buf, sizeof(buf));
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
	at = find(buf, n, exp_tlv, sizeof(exp_tlv));

	/* drop 5F24 */
	eum_buf_init(&b, out, sizeof(out));
	m = eum_buf_ber_open(&b, 0x7F21);
	eum_buf_put(&b, cert.signed_part.p, at - (size_t)(cert.signed_part.p - buf));
	eum_buf_put(&b, buf + at + sizeof(exp_tlv), n - at - sizeof(exp_tlv));
	eum_buf_ber_close(&b, m);
	assert_int_equal(eum_cert_parse(out, b.len, &cert), EUM_ERR_PARSE);

	/* 5F24 twice */
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
	eum_buf_init(&b, out, sizeof(out));
	m = eum_buf_ber_open(&b, 0x7F21);
	eum_buf_put(&b, exp_tlv, sizeof(exp_tlv));
	eum_buf_put(&b, cert.signed_part.p, n - (size_t)(cert.signed_part.p - buf));
	eum_buf_ber_close(&b, m);
	assert_int_equal(eum_cert_parse(out, b.len, &cert), EUM_ERR_PARSE);

	/* month 13, non-BCD digit */
	buf[at + 5] = 0x13;
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_ERR_PARSE);
	buf[at + 5] = 0x1A;
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_ERR_PARSE);
	buf[at + 5] = 0x12;
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_OK);
	/* outer tag 7F22 */
	buf[1] = 0x22;
	assert_int_equal(eum_cert_parse(buf, n, &cert), EUM_ERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_and_verify_all),
	        cmocka_unit_test(test_wrong_issuer),
	        cmocka_unit_test(test_bit_flips),
	        cmocka_unit_test(test_truncated),
	        cmocka_unit_test(test_validity),
	        cmocka_unit_test(test_usage_and_type),
	        cmocka_unit_test(test_wrong_curve),
	        cmocka_unit_test(test_signature_encodings),
	        cmocka_unit_test(test_structure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
