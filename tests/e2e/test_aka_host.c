/*
 * libeum-host AKA (include/eum/host/aka.h), network side, against the independent vectors:
 * tests/data/milenage/milenage.data (TS 35.207/35.208 sets: f1..f5*, AUTN, c2/c3, the card's
 * responses and AUTS) and tests/data/milenage/xor.data (TS 34.108 §8.1.2 known answers and the
 * AUTHENTICATE exchanges on the TS.48 parameters). Every value compared comes from the files.
 */
#define _POSIX_C_SOURCE 200809L

#include "test_aka_modem.h"

#define MILENAGE_FILE EUM_TEST_DATA_DIR "/milenage/milenage.data"
#define XOR_FILE      EUM_TEST_DATA_DIR "/milenage/xor.data"

struct vec {
	uint8_t k[16], op[16], opc[16], rand[16], sqn[6], amf[2];
};

static void get(const char *line, const char *key, uint8_t *out, size_t len)
{
	char v[512];

	if (!field(line, key, v, sizeof(v)))
		fail_msg("%s missing in: %.60s", key, line);
	unhex_n(v, out, len);
}

/* Optional field: 0 when absent or '-'. */
static int opt(const char *line, const char *key, uint8_t *out, size_t len)
{
	char v[512];

	if (!field(line, key, v, sizeof(v)) || !strcmp(v, "-"))
		return 0;
	unhex_n(v, out, len);
	return 1;
}

/* TS 35.208 sets: every function, the vector, the card's answers and its AUTS. */
static void test_milenage_sets(void **state)
{
	char *buf = slurp(MILENAGE_FILE, NULL), *save = NULL, *line;
	int sets = 0;
	(void)state;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct eum_host_aka_key key, key2;
		struct eum_host_aka_outputs o;
		struct eum_host_aka_vector v;
		struct eum_host_aka_response rsp;
		uint8_t k[16], op[16], opc[16], rand[16], sqn[6], amf[2], x[64], sqn_ms[6], got_ms[6];
		uint8_t rspb[80];
		size_t n;
		char hex[256];

		if (line[0] == '#')
			continue;
		get(line, "k", k, 16);
		get(line, "op", op, 16);
		get(line, "opc", opc, 16);
		get(line, "rand", rand, 16);
		get(line, "sqn", sqn, 6);
		get(line, "amf", amf, 2);

		/* OPc from OP (TS 35.206 §4.1), and the same key given OPc directly */
		assert_int_equal(eum_host_aka_key_milenage(&key, k, op, 0), EUM_OK);
		assert_memory_equal(key.opc, opc, 16);
		assert_int_equal(eum_host_aka_key_milenage(&key2, k, opc, 1), EUM_OK);
		assert_memory_equal(&key, &key2, sizeof(key));

		assert_int_equal(eum_host_aka_functions(&key, rand, sqn, amf, &o), EUM_OK);
		get(line, "f1", x, 8);
		assert_memory_equal(o.mac_a, x, 8);
		get(line, "f1s", x, 8);
		assert_memory_equal(o.mac_s, x, 8);
		get(line, "f2", x, 8);
		assert_memory_equal(o.res, x, 8);
		get(line, "f3", x, 16);
		assert_memory_equal(o.ck, x, 16);
		get(line, "f4", x, 16);
		assert_memory_equal(o.ik, x, 16);
		get(line, "f5", x, 6);
		assert_memory_equal(o.ak, x, 6);
		get(line, "f5s", x, 6);
		assert_memory_equal(o.ak_s, x, 6);

		assert_int_equal(eum_host_aka_generate(&key, rand, sqn, amf, &v), EUM_OK);
		get(line, "autn", x, 16);
		assert_memory_equal(v.autn, x, 16);
		get(line, "sres", x, 4);
		assert_memory_equal(v.sres, x, 4);
		get(line, "kc", x, 8);
		assert_memory_equal(v.kc, x, 8);
		/* the C-APDU a network would send: 00 88 00 81 22 10 RAND 10 AUTN 00 */
		get(line, "auth_cmd", x, 40);
		assert_memory_equal(x + 6, v.rand, 16);
		assert_memory_equal(x + 23, v.autn, 16);

		/* the card's success answers parse into this vector's values */
		assert_true(field(line, "rsp_kc", hex, sizeof(hex)));
		n = unhex(hex, rspb, sizeof(rspb));
		assert_int_equal(eum_host_aka_parse_response(rspb, n, &rsp), EUM_OK);
		assert_false(rsp.sync_failure);
		assert_true(rsp.has_kc);
		assert_int_equal(rsp.res_len, v.res_len);
		assert_memory_equal(rsp.res, v.res, v.res_len);
		assert_memory_equal(rsp.ck, v.ck, 16);
		assert_memory_equal(rsp.ik, v.ik, 16);
		assert_memory_equal(rsp.kc, v.kc, 8);
		assert_true(field(line, "rsp_nokc", hex, sizeof(hex)));
		n = unhex(hex, rspb, sizeof(rspb));
		assert_int_equal(eum_host_aka_parse_response(rspb, n, &rsp), EUM_OK);
		assert_false(rsp.has_kc);
		assert_int_equal(eum_host_aka_parse_response(rspb, n - 1, &rsp), EUM_ERR_PARSE);

		/* resynchronisation: the card's AUTS verifies and gives its SQN_MS; a flipped bit does not */
		assert_true(field(line, "resync_rsp", hex, sizeof(hex)));
		n = unhex(hex, rspb, sizeof(rspb));
		assert_int_equal(eum_host_aka_parse_response(rspb, n, &rsp), EUM_OK);
		assert_true(rsp.sync_failure);
		get(line, "sqn_ms", sqn_ms, 6);
		assert_int_equal(eum_host_aka_resync(&key, rand, rsp.auts, got_ms), EUM_OK);
		assert_memory_equal(got_ms, sqn_ms, 6);
		rsp.auts[13] ^= 0x01;
		assert_int_equal(eum_host_aka_resync(&key, rand, rsp.auts, got_ms), EUM_ERR_CRYPTO);
		rsp.auts[13] ^= 0x01;
		rsp.auts[0] ^= 0x80; /* another SQN_MS: MAC-S no longer matches */
		assert_int_equal(eum_host_aka_resync(&key, rand, rsp.auts, got_ms), EUM_ERR_CRYPTO);

		eum_host_aka_key_wipe(&key);
		eum_host_aka_key_wipe(&key2);
		eum_host_aka_vector_wipe(&v);
		sets++;
	}
	assert_int_equal(sets, 8);
	free(buf);
}

/* TS 34.108 §8.1.2 known answers (kat lines of xor.data). */
static void test_xor_kat(void **state)
{
	char *buf = slurp(XOR_FILE, NULL), *save = NULL, *line;
	int kats = 0;
	(void)state;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct eum_host_aka_key key;
		struct eum_host_aka_vector v;
		uint8_t k[16], rand[16], sqn[6], amf[2], x[16];

		if (strncmp(line, "kat ", 4) != 0)
			continue;
		get(line, "k", k, 16);
		get(line, "rand", rand, 16);
		get(line, "sqn", sqn, 6);
		get(line, "amf", amf, 2);
		assert_int_equal(eum_host_aka_key_xor(&key, k, 16), EUM_OK);
		assert_int_equal(eum_host_aka_generate(&key, rand, sqn, amf, &v), EUM_OK);
		if (opt(line, "res", x, 16))
			assert_memory_equal(v.res, x, 16);
		get(line, "ck", x, 16);
		assert_memory_equal(v.ck, x, 16);
		get(line, "ik", x, 16);
		assert_memory_equal(v.ik, x, 16);
		get(line, "autn", x, 16);
		assert_memory_equal(v.autn, x, 16);
		if (opt(line, "sres", x, 4))
			assert_memory_equal(v.sres, x, 4);
		if (opt(line, "kc", x, 8))
			assert_memory_equal(v.kc, x, 8);
		kats++;
	}
	assert_int_equal(kats, 2);
	free(buf);
}

/* The AUTHENTICATE exchanges of xor.data, read from the network's side: each successful 3G
 * answer is this host's vector for the command's RAND and SQN; each resync answer carries an
 * AUTS that verifies; the GSM answer is c2 / c3 of the vector. */
static void test_xor_exchanges(void **state)
{
	char *buf = slurp(XOR_FILE, NULL), *save = NULL, *line;
	int seen = 0;
	(void)state;

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct eum_host_aka_key key;
		struct eum_host_aka_vector v;
		struct eum_host_aka_response rsp;
		uint8_t k[16], cmd[64], rb[80], sqn[6], sqn_ms[6];
		char hex[256], sw[8];
		size_t cl, rl;
		int i;

		if (strncmp(line, "apdu ", 5) != 0)
			continue;
		unhex_n("000102030405060708090a0b0c0d0e0f", k, 16); /* the TS.48 K named in the file */
		assert_int_equal(eum_host_aka_key_xor(&key, k, 16), EUM_OK);
		assert_true(field(line, "cmd", hex, sizeof(hex)) && field(line, "sw", sw, sizeof(sw)));
		cl = unhex(hex, cmd, sizeof(cmd));
		assert_true(field(line, "rsp", hex, sizeof(hex)));
		rl = strcmp(hex, "-") ? unhex(hex, rb, sizeof(rb)) : 0;
		if (cmd[3] == 0x80) {
			/* GSM context: 04 SRES 08 Kc for the vector of this RAND (any SQN) */
			memset(sqn, 0, 6);
			assert_int_equal(eum_host_aka_generate(&key, cmd + 6, sqn, (const uint8_t[2]){0, 0}, &v),
			                 EUM_OK);
			assert_int_equal(rl, 14);
			assert_memory_equal(rb + 1, v.sres, 4);
			assert_memory_equal(rb + 6, v.kc, 8);
		} else if (strcmp(sw, "9000") != 0) {
			continue; /* MAC failure: nothing for the network to check */
		} else {
			/* recover SQN from AUTN with the host's AK, then rebuild the whole vector */
			struct eum_host_aka_outputs o;
			assert_int_equal(cl, 40);
			assert_int_equal(eum_host_aka_functions(&key, cmd + 6, (const uint8_t[6]){0},
			                                        (const uint8_t[2]){0, 0}, &o),
			                 EUM_OK);
			for (i = 0; i < 6; i++)
				sqn[i] = cmd[23 + i] ^ o.ak[i];
			assert_int_equal(eum_host_aka_generate(&key, cmd + 6, sqn, cmd + 29, &v), EUM_OK);
			assert_memory_equal(v.autn, cmd + 23, 16);
			assert_int_equal(eum_host_aka_parse_response(rb, rl, &rsp), EUM_OK);
			if (rsp.sync_failure) {
				assert_int_equal(eum_host_aka_resync(&key, cmd + 6, rsp.auts, sqn_ms), EUM_OK);
			} else {
				assert_int_equal(rsp.res_len, 16);
				assert_memory_equal(rsp.res, v.res, 16);
				assert_memory_equal(rsp.ck, v.ck, 16);
				assert_memory_equal(rsp.ik, v.ik, 16);
				assert_true(rsp.has_kc);
				assert_memory_equal(rsp.kc, v.kc, 8);
			}
		}
		seen++;
	}
	assert_int_equal(seen, 4);
	free(buf);
}

static void test_bad_args(void **state)
{
	struct eum_host_aka_key key;
	struct eum_host_aka_vector v;
	uint8_t z[16] = {0};
	(void)state;

	assert_int_equal(eum_host_aka_key_xor(&key, z, 3), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_aka_key_xor(&key, z, 17), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_aka_key_milenage(NULL, z, z, 0), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_aka_key_xor(&key, z, 8), EUM_OK);
	key.algo = 2; /* TUAK */
	assert_int_equal(eum_host_aka_generate(&key, z, z, z, &v), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_aka_parse_response((const uint8_t[]){0xDB, 0x03, 1, 2, 3}, 5, NULL),
	                 EUM_ERR_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_milenage_sets),
	        cmocka_unit_test(test_xor_kat),
	        cmocka_unit_test(test_xor_exchanges),
	        cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
