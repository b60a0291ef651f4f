/*
 * Unit test: TCA eUICC Profile Package installer (src/profile/saip_*.c; PE_Definitions 3.3.1), damaged
 * and streamed packages. The GSMA TS.48 test packages of tests/data/ts48 are truncated, reordered,
 * duplicated and bit-flipped: each must be refused with a PE status and leave the caller's profile as it
 * was (run under -DEUM_SANITIZE=ON for leaks); fed in pieces, they install as when fed whole; the
 * EUICCResponse of a result is encoded as DER.
 */
#include "test_saip_common.h"

#include "ProfileElement.h"
#include "profile/bootstrap.h"

/* ---- damaged packages ------------------------------------------------------------------------ */

/* Offsets of the PEs of a package (independent of the installer: DER definite lengths). */
static size_t pe_offsets(const uint8_t *der, size_t len, size_t *off, size_t cap)
{
	size_t n = 0, p = 0;

	while (p < len) {
		size_t h = (der[p] & 0x1F) == 0x1F ? 2 : 1, l = der[p + h], nl = 0, k;
		if (l & 0x80) {
			nl = l & 0x7F;
			for (l = 0, k = 0; k < nl; k++)
				l = (l << 8) | der[p + h + 1 + k];
		}
		assert_true(n < cap);
		off[n++] = p;
		p += h + 1 + nl + l;
	}
	assert_int_equal(p, len);
	off[n] = len;
	return n;
}

/* A package made of the listed PEs of der (by index), in that order. */
static uint8_t *assemble(const uint8_t *der, const size_t *off, const int *order, size_t n_order, size_t *len)
{
	uint8_t *out = malloc(off[0] + 100000);
	size_t i, o = 0;

	assert_non_null(out);
	for (i = 0; i < n_order; i++) {
		size_t a = off[order[i]], b = off[order[i] + 1];
		memcpy(out + o, der + a, b - a);
		o += b - a;
	}
	*len = o;
	return out;
}

static void snapshot(struct eum_profile *dst, const struct eum_profile *src)
{
	*dst = *src;
	assert_int_equal(eum_fs_clone(&dst->fs, &src->fs), EUM_OK);
}

static void assert_profile_equal(const struct eum_profile *a, const struct eum_profile *b)
{
	size_t i;

	assert_int_equal(a->fs.n, b->fs.n);
	for (i = 0; i < a->fs.n; i++) {
		struct eum_file fa = a->fs.files[i], fb = b->fs.files[i];
		if (fa.size) {
			assert_non_null(fa.data);
			assert_non_null(fb.data);
			assert_memory_equal(fa.data, fb.data, fa.size);
		}
		fa.data = fb.data = NULL;
		fa.shared = fb.shared = 0; /* where the body lives (shared pool or own copy) is not content */
		assert_memory_equal(&fa, &fb, sizeof(fa));
	}
	assert_memory_equal(&a->pins, &b->pins, sizeof(a->pins));
	assert_memory_equal(&a->aka, &b->aka, sizeof(a->aka));
	assert_memory_equal(&a->sqn, &b->sqn, sizeof(a->sqn));
}

/* A caller's profile that must survive every refused package: the default test card. */
static void default_profile(struct eum_profile *p)
{
	uint8_t pol1;

	profile_init(p);
	assert_int_equal(eum_bootstrap_install(p, &pol1, NULL), EUM_OK);
}

/* Install a damaged package; it must be refused at pe_index with status, *out untouched. */
static void expect_refused(const uint8_t *der, size_t len, size_t pe_index, long status, long id)
{
	struct eum_profile out, snap;
	struct eum_saip_result res;

	default_profile(&out);
	snapshot(&snap, &out);
	assert_int_equal(eum_saip_install(&out, der, len, &res), EUM_ERR_PROFILE);
	assert_true(res.aborted);
	assert_int_equal(res.pe_index, pe_index);
	assert_int_equal(res.status, status);
	assert_int_equal(res.identification, id);
	assert_true(res.n_st >= 1);
	assert_int_equal(res.st[res.n_st - 1].status, status);
	assert_profile_equal(&out, &snap);
	eum_saip_profile_clear(&out);
	eum_saip_profile_clear(&snap);
}

static void test_truncated(void **state)
{
	size_t len, off[64], n, cut, k;
	uint8_t *der = load_file(packages[1], ".der", &len);
	(void)state;

	n = pe_offsets(der, len, off, 63);
	for (cut = 0; cut < len; cut += cut < 64 ? 1 : 29) {
		/* the PE the cut falls in (or the missing one after the last complete PE) */
		for (k = 0; off[k + 1] <= cut; k++)
			;
		expect_refused(der, cut, k, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	}
	for (k = 1; k < n; k++)
		expect_refused(der, off[k], k, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	free(der);
}

static void test_reordered_and_duplicated(void **state)
{
	size_t len, off[64], n, plen, i;
	uint8_t *der = load_file(packages[1], ".der", &len), *pkg;
	int order[80];
	(void)state;

	/* TS48V2: 0 header, 1 mf (id 4), 2 pukCodes (5), 3 pinCodes (2), 4 telecom (7), ..., 7 usim (8),
	 * 8 opt-usim (9), ..., n-1 end (31) */
	n = pe_offsets(der, len, off, 63);
	assert_int_equal(n, 30);

	/* end first */
	order[0] = (int)n - 1;
	for (i = 0; i + 1 < n; i++)
		order[i + 1] = (int)i;
	pkg = assemble(der, off, order, n, &plen);
	expect_refused(pkg, plen, 0, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	free(pkg);

	/* header not first (mf and header swapped) */
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	order[0] = 1;
	order[1] = 0;
	pkg = assemble(der, off, order, n, &plen);
	expect_refused(pkg, plen, 0, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	free(pkg);

	/* end after the MF: the mandatory USIM is missing */
	int early_end[] = {0, 1, (int)n - 1};
	pkg = assemble(der, off, early_end, 3, &plen);
	expect_refused(pkg, plen, 2, EUM_SAIP_ST_BAD_VALUES, 31);
	free(pkg);

	/* PIN before the PUK that unblocks it */
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	order[2] = 3;
	order[3] = 2;
	pkg = assemble(der, off, order, n, &plen);
	expect_refused(pkg, plen, 2, EUM_SAIP_ST_PIN_CODE_MISSING, 2);
	free(pkg);

	/* opt-usim before usim */
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	order[7] = 8;
	order[8] = 7;
	pkg = assemble(der, off, order, n, &plen);
	expect_refused(pkg, plen, 7, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, 9);
	free(pkg);

	/* a PE twice (same identification): mf, pinCodes, and the header */
	static const int dup[][2] = {{1, 4}, {3, 2}, {0, -1}};
	for (size_t d = 0; d < 3; d++) {
		size_t m = 0;
		for (i = 0; i < n; i++) {
			order[m++] = (int)i;
			if ((int)i == dup[d][0])
				order[m++] = (int)i;
		}
		pkg = assemble(der, off, order, m, &plen);
		expect_refused(pkg, plen, (size_t)dup[d][0] + 1, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, dup[d][1]);
		free(pkg);
	}

	/* anything after end */
	for (i = 0; i < n; i++)
		order[i] = (int)i;
	order[n] = (int)n - 1;
	pkg = assemble(der, off, order, n + 1, &plen);
	expect_refused(pkg, plen, n, EUM_SAIP_ST_INVALID_REQUEST_FORMAT, -1);
	free(pkg);
	free(der);
}

static const uint8_t *find_bytes(const uint8_t *h, size_t hl, const uint8_t *nd, size_t nl)
{
	size_t i;

	for (i = 0; i + nl <= hl; i++)
		if (!memcmp(h + i, nd, nl))
			return h + i;
	return NULL;
}

static void test_refusal_codes(void **state)
{
	size_t len;
	uint8_t *der = load_file(packages[1], ".der", &len);
	uint8_t *p;
	static const uint8_t mf_oid[] = {0x81, 0x06, 0x67, 0x81, 0x0F, 0x01, 0x02, 0x01};
	static const uint8_t usim_svc[] = {0xA5, 0x0E, 0x81, 0x00};
	(void)state;

	/* header: major-version 80 01 02 right after the header's tag and length (A0 81 9D) */
	assert_memory_equal(der, "\xA0\x81\x9D\x80\x01\x02", 6);
	der[5] = 7;
	expect_refused(der, len, 0, EUM_SAIP_ST_UNSUPPORTED_PROFILE_VERSION, -1);
	der[5] = 2;
	/* an unknown template OID in the MF PE (id 4) */
	p = (uint8_t *)find_bytes(der, len, mf_oid, sizeof(mf_oid));
	assert_non_null(p);
	p[7] = 0x7F;
	expect_refused(der, len, 1, EUM_SAIP_ST_TEMPLATE_NOT_SUPPORTED, 4);
	p[7] = 0x01;
	/* eUICC-Mandatory-services: usim (81 00) turned into contactless (80 00), not supported */
	p = (uint8_t *)find_bytes(der, len, usim_svc, sizeof(usim_svc));
	assert_non_null(p);
	p[2] = 0x80;
	{
		struct eum_profile out;
		struct eum_saip_result res;
		profile_init(&out);
		assert_int_equal(eum_saip_install(&out, der, len, &res), EUM_ERR_PROFILE);
		assert_int_equal(res.status, EUM_SAIP_ST_FEATURE_NOT_SUPPORTED);
		assert_int_equal(res.st[0].additional_information, 0); /* ServicesList member 0: contactless */
		assert_int_equal(out.fs.n, 0);
	}
	p[2] = 0x81;
	free(der);
}

static void test_bit_flips(void **state)
{
	size_t len, pos, refused = 0, installed = 0, k, off[64], n;
	uint8_t *der = load_file(packages[1], ".der", &len);
	struct eum_profile out, snap;
	struct eum_saip_result res;
	(void)state;

	n = pe_offsets(der, len, off, 63);
	default_profile(&out);
	snapshot(&snap, &out);
	for (pos = 0; pos < len; pos += 5) {
		uint8_t bit = (uint8_t)(1u << (pos % 8));
		int rc;
		der[pos] ^= bit;
		rc = eum_saip_install(&out, der, len, &res);
		der[pos] ^= bit;
		if (rc == EUM_OK) {
			/* a flip inside file content or a value still makes a valid package */
			assert_false(res.aborted);
			installed++;
			eum_saip_profile_clear(&out);
			default_profile(&out);
			continue;
		}
		assert_int_equal(rc, EUM_ERR_PROFILE);
		assert_true(res.aborted);
		for (k = 0; off[k + 1] <= pos; k++)
			;
		/* refused at the damaged PE, or later (a flip that shifts a length, or a check at end) */
		assert_true(res.pe_index >= (k ? k - 1 : 0) && res.pe_index <= n);
		assert_true(res.status > 0);
		assert_profile_equal(&out, &snap);
		refused++;
	}
	assert_true(refused > 0 && installed > 0);
	eum_saip_profile_clear(&out);
	eum_saip_profile_clear(&snap);
	free(der);
}

/* The same package fed in pieces of any size gives the same profile. */
static void test_streaming(void **state)
{
	static const size_t chunks[] = {1, 2, 3, 7, 64, 1000, 5000};
	size_t len, c;
	uint8_t *der = load_file(packages[2], ".der", &len);
	struct eum_profile ref;
	struct eum_saip_installer *ctx = malloc(sizeof(*ctx));
	(void)state;

	assert_non_null(ctx);
	profile_init(&ref);
	assert_int_equal(eum_saip_install(&ref, der, len, NULL), EUM_OK);
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct eum_profile out;
		struct eum_saip_result res;
		size_t o;
		profile_init(&out);
		assert_int_equal(eum_saip_installer_init(ctx, 0), EUM_OK);
		for (o = 0; o < len; o += chunks[c])
			assert_int_equal(
			        eum_saip_installer_feed(ctx, der + o, len - o < chunks[c] ? len - o : chunks[c]),
			        EUM_OK);
		assert_int_equal(eum_saip_installer_finish(ctx, &out, NULL, &res), EUM_OK);
		eum_saip_installer_free(ctx);
		assert_false(res.aborted);
		assert_profile_equal(&out, &ref);
		eum_saip_profile_clear(&out);
	}
	/* a refused stream keeps refusing */
	assert_int_equal(eum_saip_installer_init(ctx, 0), EUM_OK);
	assert_int_equal(eum_saip_installer_feed(ctx, der + 1, 100), EUM_ERR_PROFILE);
	assert_int_equal(eum_saip_installer_feed(ctx, der, len), EUM_ERR_PROFILE);
	eum_saip_installer_free(ctx);
	free(ctx);
	eum_saip_profile_clear(&ref);
	free(der);
}

/* EUICCResponse DER (PE_Definitions 3.3.1, AUTOMATIC TAGS; profile-package.md §5). */
static void test_encode_result(void **state)
{
	size_t len, elen;
	uint8_t *der = load_file(packages[1], ".der", &len);
	struct eum_profile out;
	struct eum_saip_result res;
	uint8_t enc[64];
	/* 30 { A0 { 30 { 80 status=0, 81 identification=31 } } } */
	static const uint8_t ok[] = {0x30, 0x0A, 0xA0, 0x08, 0x30, 0x06, 0x80, 0x01, 0x00, 0x81, 0x01, 0x1F};
	/* 30 { A0 { 30 { 80 status=31 } }, 81 00 profileInstallationAborted } */
	static const uint8_t ko[] = {0x30, 0x09, 0xA0, 0x05, 0x30, 0x03, 0x80, 0x01, 0x1F, 0x81, 0x00};
	(void)state;

	profile_init(&out);
	assert_int_equal(eum_saip_install(&out, der, len, &res), EUM_OK);
	assert_int_equal(eum_saip_encode_result(&res, enc, sizeof(enc), &elen), EUM_OK);
	assert_int_equal(elen, sizeof(ok));
	assert_memory_equal(enc, ok, sizeof(ok));
	assert_int_equal(eum_saip_encode_result(&res, enc, 5, &elen), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(elen, sizeof(ok));
	eum_saip_profile_clear(&out);

	der[5] = 9; /* major-version 9 */
	assert_int_equal(eum_saip_install(&out, der, len, &res), EUM_ERR_PROFILE);
	assert_int_equal(eum_saip_encode_result(&res, enc, sizeof(enc), &elen), EUM_OK);
	assert_int_equal(elen, sizeof(ko));
	assert_memory_equal(enc, ko, sizeof(ko));
	free(der);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_streaming),     cmocka_unit_test(test_encode_result),
	        cmocka_unit_test(test_truncated),     cmocka_unit_test(test_reordered_and_duplicated),
	        cmocka_unit_test(test_refusal_codes), cmocka_unit_test(test_bit_flips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
