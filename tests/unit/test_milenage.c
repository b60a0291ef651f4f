/*
 * Milenage (3GPP TS 35.206) against the TS 35.207 / TS 35.208 sets in
 * tests/data/milenage/milenage.data: OPc, f1, f1*, f2, f3, f4, f5, f5* for
 * every set, with the default constants and with the constants decoded from
 * the TCA AlgoParameter encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "usim/milenage.h"

#define DATA_FILE EUM_TEST_DATA_DIR "/milenage/milenage.data"

/* TCA PE_Definitions AlgoParameter DEFAULT rotationConstants / xoringConstants, as encoded in the PE. */
static const char tca_rot[] = "4000204060";
static const char tca_xor[] = "00000000000000000000000000000000"
                              "00000000000000000000000000000001"
                              "00000000000000000000000000000002"
                              "00000000000000000000000000000004"
                              "00000000000000000000000000000008";

static char *load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* Split buf in place into lines; returns the next line or NULL. */
static char *next_line(char **cur)
{
	char *line = *cur, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = 0;
		*cur = nl + 1;
	} else {
		*cur = NULL;
	}
	return line;
}

/* Value of " key=" in a data line, as a NUL-terminated copy. */
static void field(const char *line, const char *key, char *val, size_t cap)
{
	size_t kl = strlen(key), n;
	const char *p = line;

	for (;;) {
		p = strstr(p, key);
		assert_non_null(p);
		if ((p == line || p[-1] == ' ') && p[kl] == '=')
			break;
		p += kl;
	}
	p += kl + 1;
	n = strcspn(p, " \n");
	assert_true(n < cap);
	memcpy(val, p, n);
	val[n] = 0;
}

static size_t hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s) / 2;

	assert_int_equal(strlen(s) % 2, 0);
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static size_t hex_field(const char *line, const char *key, uint8_t *out, size_t cap)
{
	char v[512];

	field(line, key, v, sizeof(v));
	return hex(v, out, cap);
}

struct mset {
	char label[64];
	uint8_t k[16], rand[16], sqn[6], amf[2], op[16], opc[16];
	uint8_t f1[8], f1s[8], f2[8], f3[16], f4[16], f5[6], f5s[6];
};

static void parse_set(const char *line, struct mset *s)
{
	field(line, "label", s->label, sizeof(s->label));
	assert_int_equal(hex_field(line, "k", s->k, 16), 16);
	assert_int_equal(hex_field(line, "rand", s->rand, 16), 16);
	assert_int_equal(hex_field(line, "sqn", s->sqn, 6), 6);
	assert_int_equal(hex_field(line, "amf", s->amf, 2), 2);
	assert_int_equal(hex_field(line, "op", s->op, 16), 16);
	assert_int_equal(hex_field(line, "opc", s->opc, 16), 16);
	assert_int_equal(hex_field(line, "f1", s->f1, 8), 8);
	assert_int_equal(hex_field(line, "f1s", s->f1s, 8), 8);
	assert_int_equal(hex_field(line, "f2", s->f2, 8), 8);
	assert_int_equal(hex_field(line, "f3", s->f3, 16), 16);
	assert_int_equal(hex_field(line, "f4", s->f4, 16), 16);
	assert_int_equal(hex_field(line, "f5", s->f5, 6), 6);
	assert_int_equal(hex_field(line, "f5s", s->f5s, 6), 6);
}

/* Run fn on every set of the data file; returns the number of sets. */
static int for_each_set(void (*fn)(const struct mset *s, void *ctx), void *ctx)
{
	char *buf = load_file(DATA_FILE), *cur = buf;
	int n = 0;

	for (char *line = next_line(&cur); line; line = next_line(&cur)) {
		struct mset s;

		if (line[0] == '#' || line[0] == 0)
			continue;
		memset(&s, 0, sizeof(s));
		parse_set(line, &s);
		print_message("  %s\n", s.label);
		fn(&s, ctx);
		n++;
	}
	free(buf);
	return n;
}

static void check_set(const struct mset *s, void *ctx)
{
	const struct eum_milenage_consts *mc = ctx;
	uint8_t opc[16], mac_a[8], mac_s[8], res[8], ck[16], ik[16], ak[6], aks[6];

	assert_int_equal(eum_milenage_opc(s->k, s->op, opc), EUM_OK);
	assert_memory_equal(opc, s->opc, 16);

	assert_int_equal(eum_milenage_f1(mc, s->k, s->opc, s->rand, s->sqn, s->amf, mac_a, mac_s), EUM_OK);
	assert_memory_equal(mac_a, s->f1, 8);
	assert_memory_equal(mac_s, s->f1s, 8);

	assert_int_equal(eum_milenage_f2345(mc, s->k, s->opc, s->rand, res, ck, ik, ak, aks), EUM_OK);
	assert_memory_equal(res, s->f2, 8);
	assert_memory_equal(ck, s->f3, 16);
	assert_memory_equal(ik, s->f4, 16);
	assert_memory_equal(ak, s->f5, 6);
	assert_memory_equal(aks, s->f5s, 6);

	/* Partial requests give the same values. */
	memset(ak, 0, sizeof(ak));
	assert_int_equal(eum_milenage_f2345(mc, s->k, s->opc, s->rand, NULL, NULL, NULL, ak, NULL), EUM_OK);
	assert_memory_equal(ak, s->f5, 6);
	memset(mac_s, 0, sizeof(mac_s));
	assert_int_equal(eum_milenage_f1(mc, s->k, s->opc, s->rand, s->sqn, s->amf, NULL, mac_s), EUM_OK);
	assert_memory_equal(mac_s, s->f1s, 8);
}

static void test_vectors_default_consts(void **state)
{
	(void)state;
	assert_int_equal(for_each_set(check_set, NULL), 8);
}

static void test_vectors_tca_encoded_consts(void **state)
{
	struct eum_milenage_consts mc;

	(void)state;
	assert_int_equal(hex(tca_rot, mc.r, sizeof(mc.r)), 5);
	assert_int_equal(hex(tca_xor, &mc.c[0][0], sizeof(mc.c)), 80);
	assert_memory_equal(&mc, &eum_milenage_default_consts, sizeof(mc));
	assert_int_equal(for_each_set(check_set, &mc), 8);
}

/* The constants are really used: changing r1, c2 or r5 changes exactly the functions that depend on them. */
static void check_consts_used(const struct mset *s, void *ctx)
{
	struct eum_milenage_consts mc = eum_milenage_default_consts;
	uint8_t mac_a[8], res[8], ck[16], aks[6];

	(void)ctx;
	mc.r[0] = 63;
	assert_int_equal(eum_milenage_f1(&mc, s->k, s->opc, s->rand, s->sqn, s->amf, mac_a, NULL), EUM_OK);
	assert_memory_not_equal(mac_a, s->f1, 8);

	mc = eum_milenage_default_consts;
	mc.c[1][0] = 0x80;
	assert_int_equal(eum_milenage_f2345(&mc, s->k, s->opc, s->rand, res, ck, NULL, NULL, aks), EUM_OK);
	assert_memory_not_equal(res, s->f2, 8);
	assert_memory_equal(ck, s->f3, 16);
	assert_memory_equal(aks, s->f5s, 6);

	mc = eum_milenage_default_consts;
	mc.r[4] = 96 + 128; /* rotation is taken modulo 128 */
	assert_int_equal(eum_milenage_f2345(&mc, s->k, s->opc, s->rand, NULL, NULL, NULL, NULL, aks), EUM_OK);
	assert_memory_equal(aks, s->f5s, 6);
}

static void test_constants_are_used(void **state)
{
	(void)state;
	assert_int_equal(for_each_set(check_consts_used, NULL), 8);
}

static void test_bad_args(void **state)
{
	uint8_t b[16] = {0}, out[16];

	(void)state;
	assert_int_equal(eum_milenage_opc(NULL, b, out), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_milenage_f1(NULL, b, b, b, NULL, b, out, NULL), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_milenage_f2345(NULL, b, NULL, b, out, NULL, NULL, NULL, NULL), EUM_ERR_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_vectors_default_consts),
	        cmocka_unit_test(test_vectors_tca_encoded_consts),
	        cmocka_unit_test(test_constants_are_used),
	        cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
