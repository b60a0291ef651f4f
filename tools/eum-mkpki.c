/*
 * eum-mkpki: the reproducible SGP.02 test PKI under tests/data/pki (see its README.md).
 *
 * Derives every key from a fixed label (private scalar = SHA-256(label [|| counter]) while out of
 * [1, n-1]) and signs with deterministic ECDSA (RFC 6979), so re-running the tool reproduces every file
 * byte for byte. Certificates follow GP Amendment E / SGP.02 v3 Table 76-77 (7F21; digest
 * sgp02-euicc.md §8.1 step 1): 93 serial, 42 CA-ID, 5F20 subject, 95 key usage, 5F25, 5F24,
 * 73 {C8 type, C9 issuer key id}, 7F49 {B0 point, F0 curve}, 5F37 raw r || s over the TLVs before it.
 *
 * Build tool, not part of the card: it uses mbedTLS directly and shares no code with src/.
 * Usage: eum-mkpki <output directory>   (creates <dir>/p256 and <dir>/bp256r1)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#if MBEDTLS_VERSION_MAJOR < 3
#define MKPKI_SHA256(m, l, o) mbedtls_sha256_ret((m), (l), (o), 0)
#define MKPKI_SHA1(m, l, o)   mbedtls_sha1_ret((m), (l), (o))
#else
#define MKPKI_SHA256(m, l, o) mbedtls_sha256((m), (l), (o), 0)
#define MKPKI_SHA1(m, l, o)   mbedtls_sha1((m), (l), (o))
#endif
#ifndef MBEDTLS_PRIVATE
#define MBEDTLS_PRIVATE(x) x
#endif

/* The test EID (SGP.02 §2.3 digest: 32 digits, 89 prefix, mod-97 check digits "30"). */
static const char TEST_EID[] = "89049032000000000000000000001230";

struct curve {
	const char *dir; /* output sub-directory and label part */
	mbedtls_ecp_group_id id;
	unsigned char ref; /* GP key parameter reference (F0) */
};

static const struct curve CURVES[] = {
        {"p256", MBEDTLS_ECP_DP_SECP256R1, 0x00},
        {"bp256r1", MBEDTLS_ECP_DP_BP256R1, 0x03},
};

enum { ROLE_NONE = -1 };

/* One entity of the PKI. issuer = index into ENTITIES (self for the CI); cert_type < 0 = no C8. */
struct entity {
	const char *name;
	const char *subject; /* NULL = the EID in BCD */
	int issuer;
	unsigned char serial;
	const unsigned char *usage;
	size_t usage_len;
	int cert_type;
	int has_cert;
};

static const unsigned char USAGE_VERIFY[] = {0x82};      /* signature verification (njiwa) */
static const unsigned char USAGE_AGREE[] = {0x00, 0x80}; /* key agreement (ECASD) */

enum { E_CI, E_EUM, E_ECASD, E_SMDP, E_SMDP_ECKA, E_SMSR, E_SMSR_ECKA, E_SMDP_EPH, E_NUM };

static const struct entity ENTITIES[E_NUM] = {
        [E_CI] = {"ci", "eum-test-ci", E_CI, 0x01, USAGE_VERIFY, 1, 0x00, 1},
        [E_EUM] = {"eum", "eum-test-eum", E_CI, 0x02, USAGE_VERIFY, 1, 0xC0, 1},
        [E_ECASD] = {"ecasd", NULL, E_EUM, 0x03, USAGE_AGREE, 2, ROLE_NONE, 1},
        [E_SMDP] = {"smdp", "eum-test-smdp", E_CI, 0x04, USAGE_VERIFY, 1, 0x01, 1},
        [E_SMDP_ECKA] = {"smdp-ecka", "eum-test-smdp", E_CI, 0x05, USAGE_AGREE, 2, 0x01, 1},
        [E_SMSR] = {"smsr", "eum-test-smsr", E_CI, 0x06, USAGE_VERIFY, 1, 0x02, 1},
        [E_SMSR_ECKA] = {"smsr-ecka", "eum-test-smsr", E_CI, 0x07, USAGE_AGREE, 2, 0x02, 1},
        /* The SM-DP's ephemeral ECKA key of the known-answer tests: a key only, never certified. */
        [E_SMDP_EPH] = {"smdp-eph", NULL, E_CI, 0, NULL, 0, ROLE_NONE, 0},
};

/* Validity of every certificate (5F25 / 5F24, BCD YYYYMMDD). */
static const unsigned char EFFECTIVE[] = {0x20, 0x25, 0x01, 0x01};
static const unsigned char EXPIRATION[] = {0x20, 0x45, 0x12, 0x31};

struct key {
	mbedtls_mpi d;
	mbedtls_ecp_point q;
	unsigned char pub[65];
};

static mbedtls_ecp_group grp;

static void die(const char *what)
{
	fprintf(stderr, "eum-mkpki: %s\n", what);
	exit(1);
}

/* Blinding randomness only (RFC 6979 makes the signatures independent of it): a counter hashed. */
static int blind_rng(void *p, unsigned char *buf, size_t len)
{
	unsigned long *ctr = p;
	unsigned char in[sizeof(*ctr)], h[32];

	while (len) {
		size_t n = len < sizeof(h) ? len : sizeof(h);

		memcpy(in, ctr, sizeof(in));
		(*ctr)++;
		if (MKPKI_SHA256(in, sizeof(in), h))
			return -1;
		memcpy(buf, h, n);
		buf += n;
		len -= n;
	}
	return 0;
}

static unsigned long blind_ctr;

/* d = SHA-256(label), then SHA-256(label || 01), ... until 1 <= d < n. */
static void derive_key(const char *label, struct key *k)
{
	unsigned char buf[128], h[32];
	size_t l = strlen(label);
	unsigned char ctr = 0;

	if (l + 1 > sizeof(buf))
		die("label too long");
	memcpy(buf, label, l);
	mbedtls_mpi_init(&k->d);
	mbedtls_ecp_point_init(&k->q);
	for (;;) {
		size_t n = l;

		if (ctr)
			buf[n++] = ctr;
		if (MKPKI_SHA256(buf, n, h) || mbedtls_mpi_read_binary(&k->d, h, sizeof(h)))
			die("hash");
		if (mbedtls_ecp_check_privkey(&grp, &k->d) == 0)
			break;
		if (++ctr == 0)
			die("no scalar in range");
	}
	size_t olen;
	if (mbedtls_ecp_mul(&grp, &k->q, &k->d, &grp.G, blind_rng, &blind_ctr) ||
	    mbedtls_ecp_point_write_binary(&grp, &k->q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, k->pub, sizeof(k->pub)) ||
	    olen != 65)
		die("public key");
}

/* ---- a tiny BER-TLV writer --------------------------------------------- */

struct out {
	unsigned char b[2048];
	size_t len;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->len + n > sizeof(o->b))
		die("buffer");
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void put_tag(struct out *o, unsigned tag)
{
	unsigned char t[2] = {(unsigned char)(tag >> 8), (unsigned char)tag};

	if (tag > 0xFF)
		put(o, t, 2);
	else
		put(o, t + 1, 1);
}

static void put_len(struct out *o, size_t len)
{
	unsigned char l[3];

	if (len < 0x80) {
		l[0] = (unsigned char)len;
		put(o, l, 1);
	} else if (len < 0x100) {
		l[0] = 0x81;
		l[1] = (unsigned char)len;
		put(o, l, 2);
	} else {
		l[0] = 0x82;
		l[1] = (unsigned char)(len >> 8);
		l[2] = (unsigned char)len;
		put(o, l, 3);
	}
}

static void put_tlv(struct out *o, unsigned tag, const void *v, size_t n)
{
	put_tag(o, tag);
	put_len(o, n);
	put(o, v, n);
}

/* ---- files --------------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *ext, const unsigned char *p, size_t n)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		die(path);
}

static void write_hex(const char *dir, const char *name, const char *ext, const unsigned char *p, size_t n)
{
	char hex[4200];
	size_t i;

	if (2 * n + 2 > sizeof(hex))
		die("hex");
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", p[i]);
	hex[2 * n] = '\n';
	write_file(dir, name, ext, (const unsigned char *)hex, 2 * n + 1);
}

/* SEC1 ECPrivateKey and SubjectPublicKeyInfo DER, for openssl cross-checks. */
static void write_der_keys(const char *dir, const char *name, const struct key *k, mbedtls_ecp_group_id gid)
{
	mbedtls_pk_context pk;
	mbedtls_ecp_keypair *kp;
	unsigned char buf[512];
	int n;

	mbedtls_pk_init(&pk);
	if (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)))
		die("pk setup");
	kp = mbedtls_pk_ec(pk);
	if (mbedtls_ecp_group_load(&kp->MBEDTLS_PRIVATE(grp), gid) ||
	    mbedtls_mpi_copy(&kp->MBEDTLS_PRIVATE(d), &k->d) || mbedtls_ecp_copy(&kp->MBEDTLS_PRIVATE(Q), &k->q))
		die("pk copy");
	/* both writers fill the END of buf */
	n = mbedtls_pk_write_key_der(&pk, buf, sizeof(buf));
	if (n <= 0)
		die("key der");
	write_file(dir, name, ".key.der", buf + sizeof(buf) - n, (size_t)n);
	n = mbedtls_pk_write_pubkey_der(&pk, buf, sizeof(buf));
	if (n <= 0)
		die("pub der");
	write_file(dir, name, ".pub.der", buf + sizeof(buf) - n, (size_t)n);
	mbedtls_pk_free(&pk);
}

static void sign_raw(const struct key *k, const unsigned char *msg, size_t len, unsigned char sig[64])
{
	unsigned char h[32];
	mbedtls_mpi r, s;

	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if (MKPKI_SHA256(msg, len, h) ||
	    mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &k->d, h, sizeof(h), MBEDTLS_MD_SHA256, blind_rng, &blind_ctr) ||
	    mbedtls_mpi_write_binary(&r, sig, 32) || mbedtls_mpi_write_binary(&s, sig + 32, 32))
		die("sign");
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
}

/* Key identifier of C9: SHA-1 over 04||X||Y (RFC 5280 §4.2.1.2 method 1 applied to the point). */
static void key_id(const struct key *k, unsigned char id[20])
{
	if (MKPKI_SHA1(k->pub, sizeof(k->pub), id))
		die("sha1");
}

static size_t eid_bcd(unsigned char out[16])
{
	size_t i;

	for (i = 0; i < 16; i++)
		out[i] = (unsigned char)(((TEST_EID[2 * i] - '0') << 4) | (TEST_EID[2 * i + 1] - '0'));
	return 16;
}

static void make_cert(const char *dir, const struct curve *c, int e, const struct key *keys)
{
	const struct entity *en = &ENTITIES[e];
	const struct entity *is = &ENTITIES[en->issuer];
	struct out body = {.len = 0}, dd = {.len = 0}, pk = {.len = 0}, cert = {.len = 0};
	unsigned char sig[64], kid[20], eid[16];
	unsigned char type;

	put_tlv(&body, 0x93, &en->serial, 1);
	put_tlv(&body, 0x42, is->subject, strlen(is->subject));
	if (en->subject)
		put_tlv(&body, 0x5F20, en->subject, strlen(en->subject));
	else
		put_tlv(&body, 0x5F20, eid, eid_bcd(eid));
	put_tlv(&body, 0x95, en->usage, en->usage_len);
	put_tlv(&body, 0x5F25, EFFECTIVE, sizeof(EFFECTIVE));
	put_tlv(&body, 0x5F24, EXPIRATION, sizeof(EXPIRATION));
	if (en->cert_type != ROLE_NONE) {
		type = (unsigned char)en->cert_type;
		put_tlv(&dd, 0xC8, &type, 1);
	}
	if (en->issuer != e) { /* the self-signed CI has no authority key id */
		key_id(&keys[en->issuer], kid);
		put_tlv(&dd, 0xC9, kid, sizeof(kid));
	}
	put_tlv(&body, 0x73, dd.b, dd.len);
	put_tlv(&pk, 0xB0, keys[e].pub, sizeof(keys[e].pub));
	put_tlv(&pk, 0xF0, &c->ref, 1);
	put_tlv(&body, 0x7F49, pk.b, pk.len);
	sign_raw(&keys[en->issuer], body.b, body.len, sig);
	put_tlv(&body, 0x5F37, sig, sizeof(sig));
	put_tlv(&cert, 0x7F21, body.b, body.len);
	write_file(dir, en->name, ".cert", cert.b, cert.len);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST)
		die(path);
}

int main(int argc, char **argv)
{
	size_t ci;
	int e;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <output directory>\n", argv[0]);
		return 2;
	}
	make_dir(argv[1]);
	for (ci = 0; ci < sizeof(CURVES) / sizeof(CURVES[0]); ci++) {
		const struct curve *c = &CURVES[ci];
		struct key keys[E_NUM];
		char dir[900], label[128];

		mbedtls_ecp_group_init(&grp);
		if (mbedtls_ecp_group_load(&grp, c->id))
			die("group");
		snprintf(dir, sizeof(dir), "%s/%s", argv[1], c->dir);
		make_dir(dir);
		for (e = 0; e < E_NUM; e++) {
			unsigned char d[32];

			snprintf(label, sizeof(label), "eum-test-pki:%s:%s", c->dir, ENTITIES[e].name);
			derive_key(label, &keys[e]);
			if (mbedtls_mpi_write_binary(&keys[e].d, d, sizeof(d)))
				die("scalar");
			write_hex(dir, ENTITIES[e].name, ".sk.hex", d, sizeof(d));
			write_hex(dir, ENTITIES[e].name, ".pk.hex", keys[e].pub, sizeof(keys[e].pub));
			write_der_keys(dir, ENTITIES[e].name, &keys[e], c->id);
		}
		for (e = 0; e < E_NUM; e++)
			if (ENTITIES[e].has_cert)
				make_cert(dir, c, e, keys);
		for (e = 0; e < E_NUM; e++) {
			mbedtls_mpi_free(&keys[e].d);
			mbedtls_ecp_point_free(&keys[e].q);
		}
		mbedtls_ecp_group_free(&grp);
	}
	return 0;
}
