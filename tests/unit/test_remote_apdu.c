/*
 * Tests of src/ota/remote_apdu.c (ETSI TS 102 226 §5): compact and expanded (AA / AE) scripts run
 * against a scripted fake card, stop-at-error, GET RESPONSE policy, bad format, bounded output.
 * Golden bytes: `AA0A220880F24002024F0000` (public TS 102 226 encoder unit test, see
 * /work/shared/spec/README.md "GP-vectors") and the compact responses `01 61 32` / `01 90 00` seen in
 * the PoRs of tests/data/sms/por_user_data.txt (real cards, scp80.json).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/sw.h"
#include "eum/eum.h"
#include "ota/remote_apdu.h"

/* A fake card: answers from a queue, logs every C-APDU it gets. */
struct fake {
	struct {
		uint16_t sw;
		const char *data; /* hex */
	} rsp[16];
	size_t nrsp, next;
	uint8_t log[16][262];
	size_t loglen[16];
	size_t calls;
};

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s && s[0] && s[1]) {
		unsigned v;

		if (s[0] == ' ') {
			s++;
			continue;
		}
		assert_true(n < cap);
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static uint16_t fake_exec(void *ctx, const uint8_t *capdu, size_t len, uint8_t *rdata, size_t cap, size_t *rlen)
{
	struct fake *f = ctx;
	uint8_t tmp[300];
	size_t n;

	assert_true(f->calls < 16);
	assert_true(len <= sizeof(f->log[0]));
	memcpy(f->log[f->calls], capdu, len);
	f->loglen[f->calls] = len;
	f->calls++;
	assert_true(f->next < f->nrsp);
	n = unhex(f->rsp[f->next].data, tmp, sizeof(tmp));
	memcpy(rdata, tmp, n < cap ? n : cap);
	*rlen = n;
	return f->rsp[f->next++].sw;
}

static void expect_call(const struct fake *f, size_t i, const char *hex)
{
	uint8_t b[300];
	size_t n = unhex(hex, b, sizeof(b));

	assert_true(i < f->calls);
	assert_int_equal(f->loglen[i], n);
	assert_memory_equal(f->log[i], b, n);
}

static void expect_out(const uint8_t *out, size_t len, const char *hex)
{
	uint8_t b[600];
	size_t n = unhex(hex, b, sizeof(b));

	assert_int_equal(len, n);
	assert_memory_equal(out, b, n);
}

static int run(struct fake *f, const char *script_hex, unsigned flags, uint8_t *out, size_t cap,
               struct eum_rapdu_result *res)
{
	uint8_t s[600];
	size_t n = unhex(script_hex, s, sizeof(s));
	struct eum_rapdu_ops ops = {fake_exec, NULL, NULL, NULL, f};

	return eum_rapdu_run(s, n, &ops, flags, out, cap, res);
}

static void test_sw_rule(void **state)
{
	static const struct {
		uint16_t sw;
		int cont;
	} t[] = {
	        {0x9000, 1}, {0x9100, 1}, {0x9112, 1}, {0x9200, 1}, {0x6132, 1}, {0x9F10, 1}, {0x6200, 1},
	        {0x6282, 1}, {0x63C2, 1}, {0x6700, 0}, {0x6982, 0}, {0x6A82, 0}, {0x6A88, 0}, {0x6D00, 0},
	        {0x6E00, 0}, {0x6F00, 0}, {0x9862, 0}, {0x9300, 0}, {0x6C09, 0}, {0x6581, 0}, {0x9001, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(eum_rapdu_sw_continues(t[i].sw), t[i].cont);
}

/* the compact responses of the recorded real-card PoRs: SELECT 3F00 answered 6132 / 9000 */
static void test_compact_recorded(void **state)
{
	struct fake f = {{{0x6132, ""}}, 1, 0, {{0}}, {0}, 0};
	struct eum_rapdu_result res;
	uint8_t out[64];

	(void)state;
	assert_int_equal(run(&f, "00a40004023f00", EUM_RAPDU_FLAGS_DEFAULT, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "016132");
	assert_int_equal(f.calls, 1); /* compact: no automatic GET RESPONSE */
	expect_call(&f, 0, "00a40004023f00");
	assert_int_equal(res.format, EUM_RAPDU_COMPACT);

	memset(&f, 0, sizeof(f));
	f.rsp[0].sw = 0x9000;
	f.nrsp = 1;
	assert_int_equal(run(&f, "00a40004023f00", EUM_RAPDU_FLAGS_DEFAULT, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "019000");
}

/* TS.48 RFM vector: SELECT EF (case 3) then READ BINARY (case 2: P3 is Le, no data follows) */
static void test_compact_case2_and_data(void **state)
{
	struct fake f = {{{0x9000, ""}, {0x9000, "0102030405060708 09"}}, 2, 0, {{0}}, {0}, 0};
	struct eum_rapdu_result res;
	uint8_t out[64];

	(void)state;
	assert_int_equal(run(&f, "00a40004026f07 00b0000009", 0, out, sizeof(out), &res), EUM_OK);
	assert_int_equal(f.calls, 2);
	expect_call(&f, 0, "00a40004026f07");
	expect_call(&f, 1, "00b0000009");
	expect_out(out, res.len, "02 9000 010203040506070809");
	assert_int_equal(res.executed, 2);
	assert_false(res.stopped);

	/* STATUS (80 F2 00 00 Le) is case 2; GET STATUS (80 F2 40 02 Lc …) is not */
	memset(&f, 0, sizeof(f));
	f.rsp[0].sw = 0x9000;
	f.rsp[0].data = "aabb";
	f.rsp[1].sw = 0x6310;
	f.rsp[1].data = "e3";
	f.nrsp = 2;
	assert_int_equal(run(&f, "80f2000002 80f24002024f00", 0, out, sizeof(out), &res), EUM_OK);
	expect_call(&f, 0, "80f2000002");
	expect_call(&f, 1, "80f24002024f00");
	expect_out(out, res.len, "02 6310 e3");
}

static void test_compact_stop_at_error(void **state)
{
	struct fake f = {{{0x9000, ""}, {0x6A82, ""}, {0x9000, ""}}, 3, 0, {{0}}, {0}, 0};
	struct eum_rapdu_result res;
	uint8_t out[64];

	(void)state;
	assert_int_equal(run(&f, "00a40004023f00 00a40004026f99 00b0000001", 0, out, sizeof(out), &res), EUM_OK);
	assert_int_equal(f.calls, 2); /* the third command never runs */
	expect_out(out, res.len, "02 6a82");
	assert_true(res.stopped);

	/* warnings go on */
	memset(&f, 0, sizeof(f));
	f.rsp[0].sw = 0x6282;
	f.rsp[0].data = "11";
	f.rsp[1].sw = 0x9000;
	f.rsp[1].data = "22";
	f.nrsp = 2;
	assert_int_equal(run(&f, "00b0000004 00b0000001", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "02 9000 22");

	/* a command cut short counts, answers 6700 and ends the script; the card never sees it */
	memset(&f, 0, sizeof(f));
	f.rsp[0].sw = 0x9000;
	f.nrsp = 1;
	assert_int_equal(run(&f, "00a40004023f00 00a4000402 3f", 0, out, sizeof(out), &res), EUM_OK);
	assert_int_equal(f.calls, 1);
	expect_out(out, res.len, "02 6700");
	memset(&f, 0, sizeof(f));
	assert_int_equal(run(&f, "00a400", 0, out, sizeof(out), &res), EUM_OK);
	assert_int_equal(f.calls, 0);
	expect_out(out, res.len, "01 6700");
	/* empty script */
	assert_int_equal(run(&f, "", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "00 0000");
}

static void test_compact_fetch_on_request(void **state)
{
	struct fake f = {{{0x6105, ""}, {0x9000, "6f03820138"}}, 2, 0, {{0}}, {0}, 0};
	struct eum_rapdu_result res;
	uint8_t out[64];

	(void)state;
	assert_int_equal(run(&f, "01a40004023f00", EUM_RAPDU_FETCH_COMPACT, out, sizeof(out), &res), EUM_OK);
	expect_call(&f, 1, "01c0000005"); /* GET RESPONSE on the command's channel */
	expect_out(out, res.len, "01 9000 6f03820138");
}

/* golden: AA0A220880F24002024F0000 (GET STATUS of the ISD, with Le) */
static void test_expanded_definite_golden(void **state)
{
	struct fake f = {{{0x9000, "e30a4f08a0000001510000009f700107"}}, 1, 0, {{0}}, {0}, 0};
	struct eum_rapdu_result res;
	uint8_t out[128];

	(void)state;
	assert_int_equal(run(&f, "AA0A220880F24002024F0000", EUM_RAPDU_FLAGS_DEFAULT, out, sizeof(out), &res), EUM_OK);
	assert_int_equal(f.calls, 1);
	expect_call(&f, 0, "80F24002024F0000");
	expect_out(out, res.len, "AB 17 800101 2312 e30a4f08a0000001510000009f700107 9000");
	assert_int_equal(res.format, EUM_RAPDU_EXPANDED_DEFINITE);
	assert_int_equal(res.executed, 1);
	assert_int_equal(res.last_sw, 0x9000);
}

static void test_expanded_fetch_and_6c(void **state)
{
	struct fake f = {{{0x6105, ""}, {0x9000, "0102030405"}, {0x6C09, ""}, {0x9000, "a1a2a3a4a5a6a7a8a9"}},
	                 4,
	                 0,
	                 {{0}},
	                 {0},
	                 0};
	struct eum_rapdu_result res;
	uint8_t out[128];

	(void)state;
	assert_int_equal(
	        run(&f, "AA11 2208 80F24002024F0000 2205 00b0000000", EUM_RAPDU_FLAGS_DEFAULT, out, sizeof(out), &res),
	        EUM_OK);
	assert_int_equal(f.calls, 4);
	expect_call(&f, 1, "00C0000005");
	expect_call(&f, 3, "00b0000009");
	expect_out(out, res.len, "AB 19 800102 2307 0102030405 9000 230B a1a2a3a4a5a6a7a8a9 9000");

	/* without the flag the 61xx is reported as is */
	memset(&f, 0, sizeof(f));
	f.rsp[0].sw = 0x6105;
	f.rsp[0].data = "";
	f.nrsp = 1;
	assert_int_equal(run(&f, "AA0A220880F24002024F0000", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AB 07 800101 2302 6105");
}

static void test_expanded_stop_and_indefinite(void **state)
{
	struct fake f = {{{0x9000, "01"}, {0x6A88, ""}, {0x9000, ""}}, 3, 0, {{0}}, {0}, 0};
	struct eum_rapdu_result res;
	uint8_t out[128];

	(void)state;
	assert_int_equal(run(&f, "AA17 2205 00b0000001 2207 00a40004026f99 2205 00b0000001", 0, out, sizeof(out), &res),
	                 EUM_OK);
	assert_int_equal(f.calls, 2);
	expect_out(out, res.len, "AB 0C 800102 2303 01 9000 2302 6a88");
	assert_true(res.stopped);

	memset(&f, 0, sizeof(f));
	f.rsp[0].sw = 0x9000;
	f.rsp[0].data = "01";
	f.rsp[1].sw = 0x9000;
	f.rsp[1].data = "";
	f.nrsp = 2;
	assert_int_equal(run(&f, "AE80 2205 00b0000001 2207 00a40004026f07 0000", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AF80 2303 01 9000 2302 9000 0000");
	assert_int_equal(res.format, EUM_RAPDU_EXPANDED_INDEFINITE);

	/* end-of-contents missing: what ran is reported, then bad format 02 */
	memset(&f, 0, sizeof(f));
	f.rsp[0].sw = 0x9000;
	f.rsp[0].data = "";
	f.nrsp = 1;
	assert_int_equal(run(&f, "AE80 2205 00b0000001", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AF80 2302 9000 900102 0000");
	assert_int_equal(res.bad_format, EUM_RAPDU_BAD_WRONG_LENGTH);
}

static void test_expanded_bad_format(void **state)
{
	struct fake f = {{{0x9000, ""}, {0x9000, ""}}, 2, 0, {{0}}, {0}, 0};
	struct eum_rapdu_result res;
	uint8_t out[128];

	(void)state;
	/* unknown tag after one command */
	assert_int_equal(run(&f, "AA0A 2205 00b0000001 990100", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AB 0A 800101 2302 9000 900101");
	/* inner length runs past the template */
	memset(&f, 0, sizeof(f));
	assert_int_equal(run(&f, "AA04 2209 00b0", 0, out, sizeof(out), &res), EUM_OK);
	assert_int_equal(f.calls, 0);
	expect_out(out, res.len, "AB 06 800100 900102");
	/* a tag without its length */
	assert_int_equal(run(&f, "AA01 22", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AB 06 800100 900103");
	/* AA length longer than the script, and shorter */
	assert_int_equal(run(&f, "AA0B220880F24002024F0000", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AB 06 800100 900102");
	assert_int_equal(run(&f, "AA09220880F24002024F0000", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AB 06 800100 900102");
	/* indefinite template without 80 */
	assert_int_equal(run(&f, "AE0A220880F24002024F0000", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AF80 900103 0000");
	/* script chaining: first TLV only, one octet */
	f.rsp[0].sw = 0x9000;
	f.rsp[0].data = "";
	f.nrsp = 1;
	f.next = 0;
	assert_int_equal(run(&f, "AA0A 830102 2205 00b0000001", 0, out, sizeof(out), &res), EUM_OK);
	assert_int_equal(res.chaining, 0x02);
	expect_out(out, res.len, "AB 07 800101 2302 9000");
	f.next = 0;
	assert_int_equal(run(&f, "AA0A 2205 00b0000001 830103", 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AB 0A 800101 2302 9000 900101");
}

struct hooks {
	int immediate_calls, error_calls;
	uint16_t error_sw;
	uint8_t error_val[4];
	size_t error_len;
};

static int imm(void *ctx, const uint8_t *val, size_t len, uint8_t *rsp, size_t cap, size_t *rlen)
{
	struct fake *f = ctx;

	(void)f;
	assert_int_equal(len, 1);
	assert_true(cap >= 2);
	rsp[0] = val[0];
	rsp[1] = 0x00;
	*rlen = 2;
	return 0;
}

static struct hooks g_hooks;

static void err_action(void *ctx, const uint8_t *val, size_t len, uint16_t sw)
{
	(void)ctx;
	g_hooks.error_calls++;
	g_hooks.error_sw = sw;
	g_hooks.error_len = len;
	if (len <= sizeof(g_hooks.error_val))
		memcpy(g_hooks.error_val, val, len);
}

static void test_expanded_actions(void **state)
{
	struct fake f = {{{0x9000, ""}, {0x6982, ""}}, 2, 0, {{0}}, {0}, 0};
	struct eum_rapdu_ops ops = {fake_exec, NULL, imm, err_action, &f};
	struct eum_rapdu_result res;
	uint8_t s[64], out[128];
	size_t n;

	(void)state;
	memset(&g_hooks, 0, sizeof(g_hooks));
	n = unhex("AA15 810110 2205 00b0000001 8202abcd 2205 00b0000001", s, sizeof(s));
	assert_int_equal(eum_rapdu_run(s, n, &ops, 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AB 0F 800102 81021000 2302 9000 2302 6982");
	assert_int_equal(g_hooks.error_calls, 1);
	assert_int_equal(g_hooks.error_sw, 0x6982);
	assert_int_equal(g_hooks.error_len, 2);
	assert_memory_equal(g_hooks.error_val, "\xab\xcd", 2);
	/* without hooks: the immediate action is skipped silently */
	memset(&f, 0, sizeof(f));
	f.rsp[0].sw = 0x9000;
	f.rsp[0].data = "";
	f.rsp[1].sw = 0x9000;
	f.rsp[1].data = "";
	f.nrsp = 2;
	ops.immediate = NULL;
	assert_int_equal(eum_rapdu_run(s, n, &ops, 0, out, sizeof(out), &res), EUM_OK);
	expect_out(out, res.len, "AB 0B 800102 2302 9000 2302 9000");
}

/* every capacity from 0 up: never a byte past cap, and the response stays well-formed */
static void test_bounded_output(void **state)
{
	static const char *scripts[] = {
	        "00b0000010 00b0000010",
	        "AA0E 2205 00b0000010 2205 00b0000010",
	        "AE80 2205 00b0000010 2205 00b0000010 0000",
	};
	uint8_t out[256];
	size_t cap, i, k;

	(void)state;
	for (k = 0; k < 3; k++) {
		for (cap = 0; cap < 80; cap++) {
			struct fake f = {
			        {{0x9000, "000102030405060708090a0b0c0d0e0f"}, {0x9000, "101112131415161718191a1b1c1d1e1f"}},
			        2,
			        0,
			        {{0}},
			        {0},
			        0};
			struct eum_rapdu_result res;
			int rc;

			memset(out, 0xEE, sizeof(out));
			rc = run(&f, scripts[k], 0, out, cap, &res);
			for (i = cap; i < sizeof(out); i++)
				assert_int_equal(out[i], 0xEE);
			if (rc != EUM_OK) {
				assert_int_equal(rc, EUM_ERR_BUFFER_TOO_SMALL);
				assert_true(cap < 11);
				continue;
			}
			assert_true(res.len <= cap);
			if (k == 0) {
				assert_int_equal(out[0], res.executed);
				assert_int_equal(res.len, 3 + (res.truncated ? cap - 3 : 16));
			} else if (k == 1) {
				assert_int_equal(out[0], 0xAB);
				assert_int_equal(out[1], res.len - 2);
				assert_int_equal(out[4], res.executed);
			} else {
				assert_memory_equal(out, "\xAF\x80", 2);
				assert_memory_equal(out + res.len - 2, "\x00\x00", 2);
			}
			if (cap >= 60) {
				assert_false(res.truncated);
				assert_int_equal(res.executed, 2);
			}
			if (res.truncated)
				assert_true(f.calls <= 2);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sw_rule),
	        cmocka_unit_test(test_compact_recorded),
	        cmocka_unit_test(test_compact_case2_and_data),
	        cmocka_unit_test(test_compact_stop_at_error),
	        cmocka_unit_test(test_compact_fetch_on_request),
	        cmocka_unit_test(test_expanded_definite_golden),
	        cmocka_unit_test(test_expanded_fetch_and_6c),
	        cmocka_unit_test(test_expanded_stop_and_indefinite),
	        cmocka_unit_test(test_expanded_bad_format),
	        cmocka_unit_test(test_expanded_actions),
	        cmocka_unit_test(test_bounded_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
