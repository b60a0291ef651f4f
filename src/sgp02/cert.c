/*
 * GP Amendment E / SGP.02 v3 Table 76-77 certificates (7F21): parsing, CI/EUM signature
 * verification, key usage and validity checks. Digest: sgp02-euicc.md §8.1 step 1.
 */
#include "sgp02/cert.h"

#include <string.h>

#include "crypto/crypto.h"
#include "util/tlv.h"

/* Tags of SGP.02 v3 Table 77 (digest §8.1 step 1.1). */
#define TAG_CERT          0x7F21
#define TAG_SERIAL        0x93
#define TAG_CA_ID         0x42
#define TAG_SUBJECT       0x5F20
#define TAG_KEY_USAGE     0x95
#define TAG_EFFECTIVE     0x5F25
#define TAG_EXPIRATION    0x5F24
#define TAG_DISCRETIONARY 0x73
#define TAG_CERT_TYPE     0xC8
#define TAG_AUTH_KEY_ID   0xC9
#define TAG_PUBKEY        0x7F49
#define TAG_POINT         0xB0
#define TAG_KEY_PARAM_REF 0xF0
#define TAG_SIGNATURE     0x5F37

/* Decimal YYYYMMDD from 4 BCD bytes; 0 when not a plausible date. */
static uint32_t bcd_date(const struct eum_tlv *t)
{
	uint32_t v = 0;
	uint32_t month, day;
	size_t i;

	if (t->len != 4)
		return 0;
	for (i = 0; i < 4; i++) {
		uint8_t hi = t->val[i] >> 4, lo = t->val[i] & 0x0F;

		if (hi > 9 || lo > 9)
			return 0;
		v = v * 100 + hi * 10 + lo;
	}
	month = v / 100 % 100;
	day = v % 100;
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return 0;
	return v;
}

static int set_field(struct eum_cert_field *f, const struct eum_tlv *t)
{
	if (f->p)
		return EUM_ERR_PARSE; /* duplicated */
	f->p = t->val;
	f->len = t->len;
	return EUM_OK;
}

/* 73: C8 certificate type, C9 authority key identifier (digest §8.1 step 1.1). */
static int parse_discretionary(const struct eum_tlv *dd, struct eum_cert *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv t;
	int n;

	eum_tlv_reader_init(&r, dd->val, dd->len);
	while ((n = eum_ber_next(&r, &t)) == EUM_TLV_OK) {
		if (t.tag == TAG_CERT_TYPE) {
			if (t.len != 1 || out->cert_type != EUM_CERT_TYPE_NONE)
				return EUM_ERR_PARSE;
			out->cert_type = t.val[0];
		} else if (t.tag == TAG_AUTH_KEY_ID) {
			if (set_field(&out->auth_key_id, &t))
				return EUM_ERR_PARSE;
		}
	}
	return n == EUM_TLV_END ? EUM_OK : EUM_ERR_PARSE;
}

/* 7F49: B0 uncompressed point, F0 key parameter reference (digest §8.1 step 1.1). */
static int parse_pubkey(const struct eum_tlv *pk, struct eum_cert *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv t, point = {0};
	int n, have_ref = 0;

	eum_tlv_reader_init(&r, pk->val, pk->len);
	while ((n = eum_ber_next(&r, &t)) == EUM_TLV_OK) {
		if (t.tag == TAG_POINT) {
			if (point.val)
				return EUM_ERR_PARSE;
			point = t;
		} else if (t.tag == TAG_KEY_PARAM_REF) {
			if (t.len != 1 || have_ref)
				return EUM_ERR_PARSE;
			out->curve = t.val[0];
			have_ref = 1;
		}
	}
	if (n != EUM_TLV_END || !point.val || !have_ref)
		return EUM_ERR_PARSE;
	if (!eum_ecc_curve_supported(out->curve))
		return EUM_ERR_UNSUPPORTED;
	if (point.len != EUM_ECC_PUB_LEN || eum_ecc_check_public(out->curve, point.val, point.len) != EUM_OK)
		return EUM_ERR_PARSE;
	memcpy(out->pub, point.val, EUM_ECC_PUB_LEN);
	return EUM_OK;
}

/* SGP.02 v3 Table 76-77: the certificate data object. */
int eum_cert_parse(const uint8_t *buf, size_t len, struct eum_cert *out)
{
	struct eum_tlv_reader r;
	struct eum_tlv cert, t;
	int n = EUM_TLV_END, rc = EUM_OK, have_sig = 0, have_pk = 0, have_dd = 0;

	if (!buf || !out)
		return EUM_ERR_INVALID_ARG;
	memset(out, 0, sizeof(*out));
	out->cert_type = EUM_CERT_TYPE_NONE;

	eum_tlv_reader_init(&r, buf, len);
	if (eum_ber_next(&r, &cert) != EUM_TLV_OK || cert.tag != TAG_CERT || r.left != 0)
		return EUM_ERR_PARSE;

	eum_tlv_reader_init(&r, cert.val, cert.len);
	while (rc == EUM_OK && (n = eum_ber_next(&r, &t)) == EUM_TLV_OK) {
		if (have_sig) { /* the signature closes the certificate */
			rc = EUM_ERR_PARSE;
			break;
		}
		switch (t.tag) {
		case TAG_SERIAL:
			rc = set_field(&out->serial, &t);
			break;
		case TAG_CA_ID:
			rc = set_field(&out->ca_id, &t);
			break;
		case TAG_SUBJECT:
			rc = set_field(&out->subject, &t);
			break;
		case TAG_KEY_USAGE:
			rc = (t.len >= 1 && t.len <= 2) ? set_field(&out->key_usage, &t) : EUM_ERR_PARSE;
			break;
		case TAG_EFFECTIVE:
			if (out->effective)
				rc = EUM_ERR_PARSE;
			else if (!(out->effective = bcd_date(&t)))
				rc = EUM_ERR_PARSE;
			break;
		case TAG_EXPIRATION:
			if (out->expiration)
				rc = EUM_ERR_PARSE;
			else if (!(out->expiration = bcd_date(&t)))
				rc = EUM_ERR_PARSE;
			break;
		case TAG_DISCRETIONARY:
			rc = have_dd++ ? EUM_ERR_PARSE : set_field(&out->discretionary, &t);
			if (rc == EUM_OK)
				rc = parse_discretionary(&t, out);
			break;
		case TAG_PUBKEY:
			rc = have_pk++ ? EUM_ERR_PARSE : parse_pubkey(&t, out);
			break;
		case TAG_SIGNATURE:
			out->signed_part.p = cert.val;
			out->signed_part.len = cert.len - r.left - t.raw_len;
			/* raw r || s (whty) or DER (njiwa), digest §8.1 step 1.4 [IMPL] */
			rc = eum_ecdsa_sig_normalise(t.val, t.len, out->sig) == EUM_OK ? EUM_OK : EUM_ERR_PARSE;
			have_sig = 1;
			break;
		default: /* unknown data objects are tolerated; the signature covers them */
			break;
		}
	}
	if (rc == EUM_OK && n != EUM_TLV_END)
		rc = EUM_ERR_PARSE;
	if (rc == EUM_OK && (!out->serial.p || !out->ca_id.p || !out->subject.p || !out->key_usage.p ||
	                     !out->expiration || !have_pk || !have_sig))
		rc = EUM_ERR_PARSE;
	if (rc != EUM_OK) {
		memset(out, 0, sizeof(*out));
		out->cert_type = EUM_CERT_TYPE_NONE;
	}
	return rc;
}

/* Digest §8.1 step 1.3: ECDSA with SHA-256 over every TLV preceding 5F37 (njiwa makeCertSigningData). */
int eum_cert_verify_signature(const struct eum_cert *c, uint8_t issuer_curve, const uint8_t issuer_pub[EUM_ECC_PUB_LEN])
{
	if (!c || !issuer_pub || !c->signed_part.p)
		return EUM_ERR_INVALID_ARG;
	if (!eum_ecc_curve_supported(issuer_curve))
		return EUM_ERR_UNSUPPORTED;
	return eum_ecdsa_verify(issuer_curve, issuer_pub, EUM_ECC_PUB_LEN, c->signed_part.p, c->signed_part.len, c->sig,
	                        EUM_ECC_SIG_LEN) == EUM_OK
	               ? EUM_OK
	               : EUM_ERR_CRYPTO;
}

/* Tag 95 (digest §8.1 step 1.1): 82/88 for signature-verification keys, 0080 for the ECASD key-agreement key.
 * [IMPL] only the b8 "verification" / "key agreement" bit is checked, since the sources disagree on the rest. */
int eum_cert_check_usage(const struct eum_cert *c, enum eum_cert_usage usage)
{
	if (!c || !c->key_usage.p)
		return EUM_ERR_INVALID_ARG;
	switch (usage) {
	case EUM_CERT_USAGE_VERIFY:
		return (c->key_usage.len == 1 && (c->key_usage.p[0] & 0x80)) ? EUM_OK : EUM_ERR_UNSUPPORTED;
	case EUM_CERT_USAGE_KEY_AGREEMENT:
		return (c->key_usage.len == 2 && (c->key_usage.p[1] & 0x80)) ? EUM_OK : EUM_ERR_UNSUPPORTED;
	default:
		return EUM_ERR_INVALID_ARG;
	}
}

uint32_t eum_cert_date_of(uint64_t now)
{
	/* Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil inverse, public domain algorithm). */
	uint64_t z = now / 86400 + 719468;
	uint64_t era = z / 146097;
	uint64_t doe = z - era * 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t y = yoe + era * 400;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint64_t mp = (5 * doy + 2) / 153;
	uint64_t d = doy - (153 * mp + 2) / 5 + 1;
	uint64_t m = mp < 10 ? mp + 3 : mp - 9;

	y += m <= 2;
	if (y > 9999)
		return 99991231;
	return (uint32_t)(y * 10000 + m * 100 + d);
}

/* 5F25 effective / 5F24 expiration (digest §8.1 step 1.1), compared as calendar dates in UTC. */
int eum_cert_check_validity(const struct eum_cert *c, uint64_t now)
{
	uint32_t today;

	if (!c || !c->expiration)
		return EUM_ERR_INVALID_ARG;
	today = eum_cert_date_of(now);
	if (c->effective && today < c->effective)
		return EUM_ERR_STATE;
	return today <= c->expiration ? EUM_OK : EUM_ERR_STATE;
}

int eum_cert_verify(const struct eum_cert *c, uint8_t issuer_curve, const uint8_t issuer_pub[EUM_ECC_PUB_LEN],
                    enum eum_cert_usage usage, int want_type, uint64_t now)
{
	int rc = eum_cert_verify_signature(c, issuer_curve, issuer_pub);

	if (rc != EUM_OK)
		return rc;
	if (want_type != EUM_CERT_TYPE_NONE && c->cert_type != want_type)
		return EUM_ERR_UNSUPPORTED;
	rc = eum_cert_check_usage(c, usage);
	if (rc != EUM_OK)
		return rc;
	return eum_cert_check_validity(c, now);
}
