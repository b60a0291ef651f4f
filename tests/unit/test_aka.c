/*
 * USIM AUTHENTICATE card logic (TS 31.102 §7.1, TS 33.102 §6.3 / Annex C):
 * every Milenage set of tests/data/milenage/milenage.data through the full
 * C-APDU (success with and without Kc, resync, MAC failure, replay, GSM
 * context), SQN array handling, status words for bad input, and the
 * TS 34.108 test algorithm from tests/data/milenage/xor.data.
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
#include "usim/aka.h"
#include "usim/auth_xor.h"

#define MILENAGE_FILE EUM_TEST_DATA_DIR "/milenage/milenage.data"
#define XOR_FILE      EUM_TEST_DATA_DIR "/milenage/xor.data"

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

/* Hex field; "-" means absent (returns 0). */
static size_t hex_field(const char *line, const char *key, uint8_t *out, size_t cap)
{
	char v[512];

	field(line, key, v, sizeof(v));
	if (strcmp(v, "-") == 0)
		return 0;
	return hex(v, out, cap);
}

static uint64_t load48(const uint8_t b[6])
{
	uint64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = (v << 8) | b[i];
	return v;
}

static void store48(uint8_t b[6], uint64_t v)
{
	for (int i = 5; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* One Milenage set with its AUTHENTICATE cases. */
struct aset {
	char label[64];
	uint8_t k[16], rand[16], sqn[6], opc[16], f5s[6], sres[4], kc[8], sqn_ms[6];
	uint8_t cmd[64], macfail[64], rsp_nokc[64], rsp_kc[64], resync[32];
	size_t cmd_len, macfail_len, rsp_nokc_len, rsp_kc_len, resync_len;
	uint16_t macfail_sw;
};

static void parse_aset(const char *line, struct aset *s)
{
	char sw[8];

	field(line, "label", s->label, sizeof(s->label));
	assert_int_equal(hex_field(line, "k", s->k, 16), 16);
	assert_int_equal(hex_field(line, "rand", s->rand, 16), 16);
	assert_int_equal(hex_field(line, "sqn", s->sqn, 6), 6);
	assert_int_equal(hex_field(line, "opc", s->opc, 16), 16);
	assert_int_equal(hex_field(line, "f5s", s->f5s, 6), 6);
	assert_int_equal(hex_field(line, "sres", s->sres, 4), 4);
	assert_int_equal(hex_field(line, "kc", s->kc, 8), 8);
	assert_int_equal(hex_field(line, "sqn_ms", s->sqn_ms, 6), 6);
	s->cmd_len = hex_field(line, "auth_cmd", s->cmd, sizeof(s->cmd));
	s->macfail_len = hex_field(line, "macfail_cmd", s->macfail, sizeof(s->macfail));
	s->rsp_nokc_len = hex_field(line, "rsp_nokc", s->rsp_nokc, sizeof(s->rsp_nokc));
	s->rsp_kc_len = hex_field(line, "rsp_kc", s->rsp_kc, sizeof(s->rsp_kc));
	s->resync_len = hex_field(line, "resync_rsp", s->resync, sizeof(s->resync));
	field(line, "macfail_sw", sw, sizeof(sw));
	s->macfail_sw = (uint16_t)strtoul(sw, NULL, 16);
}

static int for_each_aset(void (*fn)(const struct aset *s))
{
	char *buf = load_file(MILENAGE_FILE), *cur = buf;
	int n = 0;

	for (char *line = next_line(&cur); line; line = next_line(&cur)) {
		struct aset s;

		if (line[0] == '#' || line[0] == 0)
			continue;
		memset(&s, 0, sizeof(s));
		parse_aset(line, &s);
		print_message("  %s\n", s.label);
		fn(&s);
		n++;
	}
	free(buf);
	return n;
}

static void milenage_params(const struct aset *s, struct eum_aka_params *p)
{
	assert_int_equal(eum_aka_params_default(p, EUM_AKA_ALGO_MILENAGE), EUM_OK);
	memcpy(p->k, s->k, 16);
	memcpy(p->opc, s->opc, 16);
}

/* Send a full C-APDU (CLA INS P1 P2 Lc data Le) to the AUTHENTICATE logic. */
static uint16_t run_apdu(const struct eum_aka_params *p, struct eum_aka_sqn *sq, const uint8_t *apdu, size_t alen,
                         int with_kc, uint8_t *resp, size_t cap, size_t *rlen)
{
	assert_true(alen >= 5);
	assert_int_equal(apdu[1], 0x88);
	assert_true((size_t)apdu[4] + 5 <= alen);
	return eum_aka_authenticate(p, sq, apdu[3], apdu + 5, apdu[4], with_kc, resp, cap, rlen);
}

static unsigned sqn_ind(const uint8_t sqn[6])
{
	return (unsigned)(load48(sqn) & (EUM_AKA_SQN_ARRAY - 1));
}

static uint64_t sqn_seq(const uint8_t sqn[6])
{
	return load48(sqn) >> EUM_AKA_IND_BITS;
}

/* Card whose highest accepted SQN is just below the set's SQN (same IND), the rest zero. */
static void sqn_just_below(const struct aset *s, struct eum_aka_sqn *sq)
{
	memset(sq, 0, sizeof(*sq));
	store48(sq->seq[sqn_ind(s->sqn)], sqn_seq(s->sqn) - 1);
}

static void check_success(const struct aset *s)
{
	struct eum_aka_params p;
	struct eum_aka_sqn sq, expect;
	uint8_t resp[EUM_AKA_RESP_MAX];
	size_t rlen;

	milenage_params(s, &p);
	for (int with_kc = 0; with_kc <= 1; with_kc++) {
		sqn_just_below(s, &sq);
		expect = sq;
		store48(expect.seq[sqn_ind(s->sqn)], sqn_seq(s->sqn));
		assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, with_kc, resp, sizeof(resp), &rlen), 0x9000);
		if (with_kc) {
			assert_int_equal(rlen, s->rsp_kc_len);
			assert_memory_equal(resp, s->rsp_kc, rlen);
		} else {
			assert_int_equal(rlen, s->rsp_nokc_len);
			assert_memory_equal(resp, s->rsp_nokc, rlen);
		}
		/* Only SEQ_MS(IND) moved, to exactly SEQ. */
		assert_memory_equal(&sq, &expect, sizeof(sq));
	}
}

static void test_authenticate_success(void **state)
{
	(void)state;
	assert_int_equal(for_each_aset(check_success), 8);
}

static void check_resync(const struct aset *s)
{
	struct eum_aka_params p;
	struct eum_aka_sqn sq, before;
	uint8_t resp[EUM_AKA_RESP_MAX];
	size_t rlen;

	milenage_params(s, &p);
	/* Card already accepted SQN_MS = SQN + 0x20 (same IND). */
	memset(&sq, 0, sizeof(sq));
	assert_int_equal(sqn_ind(s->sqn_ms), sqn_ind(s->sqn));
	store48(sq.seq[sqn_ind(s->sqn_ms)], sqn_seq(s->sqn_ms));
	before = sq;
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 1, resp, sizeof(resp), &rlen), 0x9000);
	assert_int_equal(rlen, s->resync_len);
	assert_memory_equal(resp, s->resync, rlen);
	assert_memory_equal(&sq, &before, sizeof(sq));
}

static void test_authenticate_resync(void **state)
{
	(void)state;
	assert_int_equal(for_each_aset(check_resync), 8);
}

static void check_mac_failure(const struct aset *s)
{
	struct eum_aka_params p;
	struct eum_aka_sqn sq, before;
	uint8_t resp[EUM_AKA_RESP_MAX];
	size_t rlen = 99;

	milenage_params(s, &p);
	assert_int_equal(s->macfail_sw, EUM_SW_AUTH_MAC_FAIL);
	/* Both with a fresh SQN and with a stale one: MAC is checked first (TS 33.102 §6.3.3). */
	sqn_just_below(s, &sq);
	before = sq;
	assert_int_equal(run_apdu(&p, &sq, s->macfail, s->macfail_len, 1, resp, sizeof(resp), &rlen), 0x9862);
	assert_int_equal(rlen, 0);
	assert_memory_equal(&sq, &before, sizeof(sq));

	memset(&sq, 0, sizeof(sq));
	store48(sq.seq[sqn_ind(s->sqn_ms)], sqn_seq(s->sqn_ms));
	before = sq;
	assert_int_equal(run_apdu(&p, &sq, s->macfail, s->macfail_len, 1, resp, sizeof(resp), &rlen), 0x9862);
	assert_memory_equal(&sq, &before, sizeof(sq));
}

static void test_authenticate_mac_failure(void **state)
{
	(void)state;
	assert_int_equal(for_each_aset(check_mac_failure), 8);
}

/* AUTS = (SQN_MS xor AK*) || MAC-S: the concealed part must reveal want_sqn_ms under the set's f5*. */
static void assert_auts_sqn(const struct aset *s, const uint8_t *resp, size_t rlen, uint64_t want_sqn_ms)
{
	uint8_t sqn_ms[6];

	assert_int_equal(rlen, 16);
	assert_int_equal(resp[0], 0xDC);
	assert_int_equal(resp[1], 0x0E);
	for (int i = 0; i < 6; i++)
		sqn_ms[i] = resp[2 + i] ^ s->f5s[i];
	assert_true(load48(sqn_ms) == want_sqn_ms);
}

static void check_replay(const struct aset *s)
{
	struct eum_aka_params p;
	struct eum_aka_sqn sq, after_first;
	uint8_t resp[EUM_AKA_RESP_MAX];
	size_t rlen;

	milenage_params(s, &p);
	sqn_just_below(s, &sq);
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 0, resp, sizeof(resp), &rlen), 0x9000);
	assert_int_equal(resp[0], 0xDB);
	after_first = sq;
	/* The same AUTN again is no longer fresh: resync with SQN_MS = the SQN just accepted. */
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 0, resp, sizeof(resp), &rlen), 0x9000);
	assert_auts_sqn(s, resp, rlen, load48(s->sqn));
	assert_memory_equal(&sq, &after_first, sizeof(sq));
}

static void test_authenticate_replay(void **state)
{
	(void)state;
	assert_int_equal(for_each_aset(check_replay), 8);
}

/* Annex C.2.1: on a fresh card (all SEQ_MS zero) these SQNs are far more than delta ahead. */
static void check_delta(const struct aset *s)
{
	struct eum_aka_params p;
	struct eum_aka_sqn sq, before;
	uint8_t resp[EUM_AKA_RESP_MAX];
	size_t rlen;

	milenage_params(s, &p);
	assert_true(sqn_seq(s->sqn) > 0x10000000u);
	memset(&sq, 0, sizeof(sq));
	before = sq;
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 1, resp, sizeof(resp), &rlen), 0x9000);
	assert_auts_sqn(s, resp, rlen, 0);
	assert_memory_equal(&sq, &before, sizeof(sq));

	/* Exactly delta ahead of the highest entry (at another index) is still accepted. */
	store48(sq.seq[(sqn_ind(s->sqn) + 1) % EUM_AKA_SQN_ARRAY], sqn_seq(s->sqn) - 0x10000000u);
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 1, resp, sizeof(resp), &rlen), 0x9000);
	assert_int_equal(resp[0], 0xDB);
	/* One more is refused. */
	memset(&sq, 0, sizeof(sq));
	store48(sq.seq[(sqn_ind(s->sqn) + 1) % EUM_AKA_SQN_ARRAY], sqn_seq(s->sqn) - 0x10000001u);
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 1, resp, sizeof(resp), &rlen), 0x9000);
	assert_int_equal(resp[0], 0xDC);
}

static void test_sqn_delta(void **state)
{
	(void)state;
	assert_int_equal(for_each_aset(check_delta), 8);
}

/* Annex C.2.2 limit L: accept only if SEQ_MS - SEQ < L; a zero limit disables the check. */
static void check_age_limit(const struct aset *s)
{
	struct eum_aka_params p;
	struct eum_aka_sqn sq, before;
	uint8_t resp[EUM_AKA_RESP_MAX];
	size_t rlen;
	unsigned other = (sqn_ind(s->sqn) + 7) % EUM_AKA_SQN_ARRAY;

	milenage_params(s, &p);
	sqn_just_below(s, &sq);
	store48(sq.seq[other], sqn_seq(s->sqn) + 0x10000000u); /* SEQ_MS - SEQ = L (default) */
	before = sq;
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 1, resp, sizeof(resp), &rlen), 0x9000);
	assert_auts_sqn(s, resp, rlen, ((sqn_seq(s->sqn) + 0x10000000u) << EUM_AKA_IND_BITS) | other);
	assert_memory_equal(&sq, &before, sizeof(sq));

	store48(sq.seq[other], sqn_seq(s->sqn) + 0x0FFFFFFFu); /* L - 1: accepted */
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 1, resp, sizeof(resp), &rlen), 0x9000);
	assert_int_equal(resp[0], 0xDB);

	sq = before;
	memset(p.sqn_age_limit, 0, sizeof(p.sqn_age_limit));
	assert_int_equal(run_apdu(&p, &sq, s->cmd, s->cmd_len, 1, resp, sizeof(resp), &rlen), 0x9000);
	assert_int_equal(resp[0], 0xDB);
}

static void test_sqn_age_limit(void **state)
{
	(void)state;
	assert_int_equal(for_each_aset(check_age_limit), 8);
}

/* TS 31.102 §7.1.2 case 3: GSM context, SRES = c2(RES), Kc = c3(CK, IK); no SQN involved. */
static void check_gsm(const struct aset *s)
{
	struct eum_aka_params p;
	struct eum_aka_sqn sq, before;
	uint8_t data[17], resp[EUM_AKA_RESP_MAX], want[14];
	size_t rlen;

	milenage_params(s, &p);
	memset(&sq, 0x5A, sizeof(sq));
	before = sq;
	data[0] = 16;
	memcpy(data + 1, s->rand, 16);
	want[0] = 4;
	memcpy(want + 1, s->sres, 4);
	want[5] = 8;
	memcpy(want + 6, s->kc, 8);
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x80, data, sizeof(data), 1, resp, sizeof(resp), &rlen), 0x9000);
	assert_int_equal(rlen, sizeof(want));
	assert_memory_equal(resp, want, sizeof(want));
	assert_memory_equal(&sq, &before, sizeof(sq));
	/* Without service n27 the GSM context is not supported. */
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x80, data, sizeof(data), 0, resp, sizeof(resp), &rlen),
	                 EUM_SW_AUTH_CONTEXT_NOT_SUPPORTED);
	assert_int_equal(rlen, 0);
}

static void test_gsm_context(void **state)
{
	(void)state;
	assert_int_equal(for_each_aset(check_gsm), 8);
}

/* Status words for malformed commands and unsupported contexts; none may touch the SQN array. */
static void check_bad_input(const struct aset *s)
{
	struct eum_aka_params p;
	struct eum_aka_sqn sq, before;
	uint8_t data[40], resp[EUM_AKA_RESP_MAX];
	size_t rlen;
	const uint8_t *ok = s->cmd + 5;

	milenage_params(s, &p);
	sqn_just_below(s, &sq);
	before = sq;

	memcpy(data, ok, 34);
	/* Lc shorter or longer than the LV structure */
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x81, data, 33, 1, resp, sizeof(resp), &rlen), 0x6700);
	data[34] = 0;
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x81, data, 35, 1, resp, sizeof(resp), &rlen), 0x6700);
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x81, data, 17, 1, resp, sizeof(resp), &rlen), 0x6700);
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x81, NULL, 0, 1, resp, sizeof(resp), &rlen), 0x6700);
	/* consistent LV walk, wrong RAND / AUTN lengths (15 + 17 bytes) */
	data[0] = 15;
	data[16] = 17;
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x81, data, 34, 1, resp, sizeof(resp), &rlen), 0x6A80);
	/* GSM context with the 3G data */
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x80, ok, 34, 1, resp, sizeof(resp), &rlen), 0x6700);
	/* defined but unsupported contexts, RFU codings */
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x82, ok, 34, 1, resp, sizeof(resp), &rlen), 0x9864);
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x84, ok, 34, 1, resp, sizeof(resp), &rlen), 0x9864);
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x83, ok, 34, 1, resp, sizeof(resp), &rlen), 0x6A86);
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x87, ok, 34, 1, resp, sizeof(resp), &rlen), 0x6A86);
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x01, ok, 34, 1, resp, sizeof(resp), &rlen), 0x6A86);
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x91, ok, 34, 1, resp, sizeof(resp), &rlen), 0x6A86);
	/* response buffer one byte short: nothing returned, nothing stored */
	memset(resp, 0, sizeof(resp));
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x81, ok, 34, 1, resp, s->rsp_kc_len - 1, &rlen), 0x6F00);
	assert_int_equal(rlen, 0);
	for (size_t i = 0; i < sizeof(resp); i++)
		assert_int_equal(resp[i], 0);
	/* invalid parameters */
	p.algo = EUM_AKA_ALGO_NUM;
	assert_int_equal(eum_aka_authenticate(&p, &sq, 0x81, ok, 34, 1, resp, sizeof(resp), &rlen), 0x6F00);
	assert_memory_equal(&sq, &before, sizeof(sq));
}

static void test_bad_input(void **state)
{
	(void)state;
	assert_int_equal(for_each_aset(check_bad_input), 8);
}

/* --- TS 34.108 §8.1.2 test algorithm ---------------------------------------- */

static void xor_kat(const char *line)
{
	uint8_t k[16], rand[16], sqn[6], amf[2], want[16], res[16], ck[16], ik[16], ak[6], mac[8], autn[16];
	uint8_t kc[8], sres[4];
	size_t n;

	assert_int_equal(hex_field(line, "k", k, 16), 16);
	assert_int_equal(hex_field(line, "rand", rand, 16), 16);
	assert_int_equal(hex_field(line, "sqn", sqn, 6), 6);
	assert_int_equal(hex_field(line, "amf", amf, 2), 2);
	eum_xor_f2345(k, rand, res, ck, ik, ak);
	eum_xor_f1(k, rand, sqn, amf, mac);
	for (int i = 0; i < 6; i++)
		autn[i] = sqn[i] ^ ak[i];
	memcpy(autn + 6, amf, 2);
	memcpy(autn + 8, mac, 8);

	n = hex_field(line, "res", want, 16);
	if (n)
		assert_memory_equal(res, want, n);
	assert_int_equal(hex_field(line, "ck", want, 16), 16);
	assert_memory_equal(ck, want, 16);
	assert_int_equal(hex_field(line, "ik", want, 16), 16);
	assert_memory_equal(ik, want, 16);
	assert_int_equal(hex_field(line, "autn", want, 16), 16);
	assert_memory_equal(autn, want, 16);
	/* GSM conversions (TS 33.102 §6.8.1.2) of the 16-byte RES */
	for (int i = 0; i < 8; i++)
		kc[i] = ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8];
	for (int i = 0; i < 4; i++)
		sres[i] = res[i] ^ res[i + 4] ^ res[i + 8] ^ res[i + 12];
	if (hex_field(line, "kc", want, 8))
		assert_memory_equal(kc, want, 8);
	if (hex_field(line, "sres", want, 4))
		assert_memory_equal(sres, want, 4);
}

/* TS.48 AKA parameters (tests/data/ts48 JSON aka_parameters): usim-test-algorithm, K = 00..0f, options '02'. */
static void ts48_params(struct eum_aka_params *p)
{
	enum eum_aka_algo algo;

	assert_int_equal(eum_aka_algo_from_tca(3, &algo), EUM_OK);
	assert_int_equal(eum_aka_params_default(p, algo), EUM_OK);
	for (int i = 0; i < 16; i++)
		p->k[i] = (uint8_t)i;
	p->algo_options = 0x02;
	assert_int_equal(p->res_len, 16);
}

static void test_xor(void **state)
{
	char *buf = load_file(XOR_FILE), *cur = buf;
	char card[32] = "", name[32], wk[4];
	struct eum_aka_params p;
	struct eum_aka_sqn sq;
	int kats = 0, apdus = 0;

	(void)state;
	for (char *line = next_line(&cur); line; line = next_line(&cur)) {
		if (strncmp(line, "kat ", 4) == 0) {
			xor_kat(line);
			kats++;
		} else if (strncmp(line, "apdu ", 5) == 0) {
			uint8_t apdu[64], want[64], resp[EUM_AKA_RESP_MAX], before[sizeof(sq)];
			size_t alen, wlen, rlen;
			char sw[8];

			field(line, "card", name, sizeof(name));
			if (strcmp(name, card) != 0) {
				/* a new card: TS.48 profile state, sqnInit all zero */
				strcpy(card, name);
				ts48_params(&p);
				memset(&sq, 0, sizeof(sq));
			}
			field(line, "with_kc", wk, sizeof(wk));
			field(line, "sw", sw, sizeof(sw));
			alen = hex_field(line, "cmd", apdu, sizeof(apdu));
			wlen = hex_field(line, "rsp", want, sizeof(want));
			memcpy(before, &sq, sizeof(sq));
			assert_int_equal(run_apdu(&p, &sq, apdu, alen, wk[0] == '1', resp, sizeof(resp), &rlen),
			                 strtoul(sw, NULL, 16));
			assert_int_equal(rlen, wlen);
			assert_memory_equal(resp, want, wlen);
			/* the SQN array moves only on a successful 3G authentication */
			if (!(apdu[3] == 0x81 && wlen && want[0] == 0xDB))
				assert_memory_equal(&sq, before, sizeof(sq));
			apdus++;
		}
	}
	free(buf);
	assert_int_equal(kats, 2);
	assert_int_equal(apdus, 5);
}

static void test_algo_mapping(void **state)
{
	enum eum_aka_algo a;

	(void)state;
	assert_int_equal(eum_aka_algo_from_tca(1, &a), EUM_OK);
	assert_int_equal(a, EUM_AKA_ALGO_MILENAGE);
	assert_int_equal(eum_aka_algo_from_tca(2, &a), EUM_ERR_UNSUPPORTED);
	assert_int_equal(eum_aka_algo_from_tca(0, &a), EUM_ERR_UNSUPPORTED);
	assert_string_equal(eum_aka_algo_name(EUM_AKA_ALGO_XOR), "xor");
	assert_string_equal(eum_aka_algo_name(EUM_AKA_ALGO_NUM), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_authenticate_success),
	        cmocka_unit_test(test_authenticate_resync),
	        cmocka_unit_test(test_authenticate_mac_failure),
	        cmocka_unit_test(test_authenticate_replay),
	        cmocka_unit_test(test_sqn_delta),
	        cmocka_unit_test(test_sqn_age_limit),
	        cmocka_unit_test(test_gsm_context),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_xor),
	        cmocka_unit_test(test_algo_mapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
