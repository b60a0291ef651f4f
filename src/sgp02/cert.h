/*
 * GP Amendment E / SGP.02 v3 Table 76-77 certificates (tag 7F21), as sent in DGI 3A01 of ES8
 * EstablishISDPKeySet and ES5 SM-SR change, and as held by the ECASD (CERT.ECASD.ECKA).
 * Digest: sgp02-euicc.md §8.1 step 1.
 *
 * eum_cert_parse() only reads: the parsed fields point into the caller's buffer, which must
 * outlive the struct. Signature, key usage and validity are separate checks so that callers
 * can map each failure to its own status word.
 */
#ifndef EUM_SGP02_CERT_H
#define EUM_SGP02_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/ecc.h"

/* Discretionary data 73 / C8 certificate type (digest §8.1 step 1, njiwa "Table 23"). */
#define EUM_CERT_TYPE_CI   0x00
#define EUM_CERT_TYPE_SMDP 0x01
#define EUM_CERT_TYPE_SMSR 0x02
#define EUM_CERT_TYPE_EUM  0xC0
#define EUM_CERT_TYPE_NONE (-1) /* no C8 in 73 (e.g. CERT.ECASD.ECKA) */

/* What the certified key may be used for (checked against tag 95), see eum_cert_check_usage(). */
enum eum_cert_usage {
	EUM_CERT_USAGE_VERIFY = 0,        /* 1 byte, b8 set: 82 (njiwa) or 88 (whty) */
	EUM_CERT_USAGE_KEY_AGREEMENT = 1, /* 2 bytes, second byte b8 set: 00 80 */
	EUM_CERT_USAGE_NUM
};

struct eum_cert_field {
	const uint8_t *p; /* into the parsed buffer; NULL when absent */
	size_t len;
};

struct eum_cert {
	struct eum_cert_field serial;        /* 93 */
	struct eum_cert_field ca_id;         /* 42: issuer identification */
	struct eum_cert_field subject;       /* 5F20: subject identifier (the EID for CERT.ECASD.ECKA) */
	struct eum_cert_field key_usage;     /* 95 */
	uint32_t effective;                  /* 5F25 as decimal YYYYMMDD; 0 when absent */
	uint32_t expiration;                 /* 5F24 as decimal YYYYMMDD */
	struct eum_cert_field discretionary; /* 73 value */
	int cert_type;                       /* 73/C8 single byte, or EUM_CERT_TYPE_NONE */
	struct eum_cert_field auth_key_id;   /* 73/C9: issuer key identifier; p NULL when absent */
	uint8_t curve;                       /* 7F49/F0 key parameter reference */
	uint8_t pub[EUM_ECC_PUB_LEN];        /* 7F49/B0, validated on the curve */
	struct eum_cert_field signed_part;   /* every TLV inside 7F21 before 5F37 */
	uint8_t sig[EUM_ECC_SIG_LEN];        /* 5F37 as raw r || s (a DER signature is converted) */
};

/* Parse one 7F21 certificate that fills buf exactly (SGP.02 v3 Table 76-77; mandatory 93, 42, 5F20,
 * 95, 5F24, 7F49, 5F37 last; optional 5F25, 73; other tags are ignored but covered by the
 * signature). EUM_OK, EUM_ERR_PARSE (malformed, missing or duplicated field, bad date, 5F37 not
 * last, public key not on its curve) or EUM_ERR_UNSUPPORTED (curve reference not implemented). */
int eum_cert_parse(const uint8_t *buf, size_t len, struct eum_cert *out);

/* Verify 5F37: ECDSA-SHA256 by the issuer key over signed_part (digest §8.1 step 1.3).
 * EUM_OK or EUM_ERR_CRYPTO; EUM_ERR_UNSUPPORTED for an issuer curve not implemented. */
int eum_cert_verify_signature(const struct eum_cert *c, uint8_t issuer_curve,
                              const uint8_t issuer_pub[EUM_ECC_PUB_LEN]);

/* Check tag 95 against the usage the caller needs. EUM_OK or EUM_ERR_UNSUPPORTED (not usable for this). */
int eum_cert_check_usage(const struct eum_cert *c, enum eum_cert_usage usage);

/* Check 5F25 <= today <= 5F24, today = the UTC date of now (seconds since the Unix epoch).
 * The expiration date is the last valid day [IMPL]. EUM_OK or EUM_ERR_STATE. */
int eum_cert_check_validity(const struct eum_cert *c, uint64_t now);

/* The three checks above plus the certificate type (73/C8 must equal want_type unless
 * want_type is EUM_CERT_TYPE_NONE; mismatch: EUM_ERR_UNSUPPORTED). Returns the first failure's code,
 * checking in the order signature, type, usage, validity. */
int eum_cert_verify(const struct eum_cert *c, uint8_t issuer_curve, const uint8_t issuer_pub[EUM_ECC_PUB_LEN],
                    enum eum_cert_usage usage, int want_type, uint64_t now);

/* UTC date of a Unix time as decimal YYYYMMDD (proleptic Gregorian). */
uint32_t eum_cert_date_of(uint64_t now);

#endif
