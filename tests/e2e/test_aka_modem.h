/*
 * Helpers of the AKA / TS.48 end-to-end tests (tests/e2e/test_aka_*.c, test_ts48_*.c): the card is
 * driven only through eum_card_transmit() as a modem drives it over T=0 (61xx answered with GET
 * RESPONSE, 6Cxx with the right Le, ETSI TS 102 221 §7.3.1), and the network side is libeum-host's
 * AKA (include/eum/host/aka.h), never the card's src/usim. Also: hex, data files, and reading
 * values out of the pretty-printed TS.48 summaries (tests/data/ts48/NAME.json, one "key": value per line).
 * Everything is static so that each test program takes what it uses.
 */
#ifndef EUM_TESTS_AKA_MODEM_H
#define EUM_TESTS_AKA_MODEM_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "eum/host/aka.h"

#define MODEM_MAX 4096

/* ---- hex and files ------------------------------------------------------------------------- */

static inline int modem_hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex (blanks ignored) into out[0..cap); returns the length, fails the test on bad input. */
static inline size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; *s; s++) {
		int hi, lo;
		if (*s == ' ')
			continue;
		hi = modem_hexv(s[0]);
		lo = modem_hexv(s[1]);
		assert_true(hi >= 0 && lo >= 0 && n < cap);
		out[n++] = (uint8_t)(hi << 4 | lo);
		s++;
	}
	return n;
}

/* Decode exactly len bytes. */
static inline void unhex_n(const char *s, uint8_t *out, size_t len)
{
	assert_int_equal(unhex(s, out, len), len);
}

static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Value of " key=value" in a space-separated data line, copied into out; 0 if absent. */
static inline int field(const char *line, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == line || p[-1] == ' ') && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, " \n");
			assert_true(n < cap);
			memcpy(out, p + kl + 1, n);
			out[n] = 0;
			return 1;
		}
		p += kl;
	}
	return 0;
}

/* ---- the TS.48 JSON summaries --------------------------------------------------------------- */

/* The string value of the first "key": "..." at or after from; copied into out. NULL if absent. */
static inline const char *json_str_after(const char *from, const char *key, char *out, size_t cap)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = from ? strstr(from, pat) : NULL;
	if (!p)
		return NULL;
	p += strlen(pat);
	e = strchr(p, '"');
	assert_non_null(e);
	assert_true((size_t)(e - p) < cap);
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = 0;
	return e;
}

/* The integer value of the first "key": n at or after from; -1 if absent. */
static inline long json_int_after(const char *from, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = from ? strstr(from, pat) : NULL;
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* Start of a top-level member (indent 1 in the summaries). */
static inline const char *json_top(const char *json, const char *key)
{
	char pat[64];

	snprintf(pat, sizeof(pat), "\n \"%s\": ", key);
	return strstr(json, pat);
}

/* ---- a modem ------------------------------------------------------------------------------- */

struct modem_rsp {
	uint8_t data[MODEM_MAX];
	size_t len;
	uint16_t sw;
};

/* Send one APDU as a modem does over T=0: 61xx -> GET RESPONSE until the data is complete,
 * 6Cxx -> repeat with Le = xx. Response data collected in r, final SW returned. */
static inline uint16_t modem_xfer(eum_card *card, const uint8_t *capdu, size_t len, struct modem_rsp *r)
{
	uint8_t cmd[261], rb[258];
	size_t rl, cl = len;
	uint16_t sw;

	assert_true(len <= sizeof(cmd));
	memcpy(cmd, capdu, len);
	r->len = 0;
	for (;;) {
		assert_int_equal(eum_card_transmit(card, cmd, cl, rb, sizeof(rb), &rl), EUM_OK);
		assert_true(rl >= 2);
		sw = (uint16_t)(rb[rl - 2] << 8 | rb[rl - 1]);
		assert_true(r->len + rl - 2 <= sizeof(r->data));
		memcpy(r->data + r->len, rb, rl - 2);
		r->len += rl - 2;
		if ((sw >> 8) == 0x61) {
			uint8_t gr[5] = {(uint8_t)(capdu[0] & 0x03), 0xC0, 0x00, 0x00, (uint8_t)sw};
			memcpy(cmd, gr, 5);
			cl = 5;
			continue;
		}
		if ((sw >> 8) == 0x6C && cl >= 5) {
			cmd[cl - 1] = (uint8_t)sw; /* Le was the last byte */
			continue;
		}
		r->sw = sw;
		return sw;
	}
}

/* Send an APDU given in hex. */
static inline uint16_t modem_hex(eum_card *card, const char *hex, struct modem_rsp *r)
{
	uint8_t c[261];
	size_t n = unhex(hex, c, sizeof(c));

	return modem_xfer(card, c, n, r);
}

/* A fresh powered card; bootstrap = NULL for the built-in bootstrap profile. */
static inline eum_card *modem_card(const char *bootstrap)
{
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.bootstrap_profile_path = bootstrap;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	return card;
}

/* SELECT by path from the MF with FCP (P1 08, P2 04); SW returned, FCP in r. */
static inline uint16_t modem_select_path(eum_card *card, const uint8_t *path, size_t plen, struct modem_rsp *r)
{
	uint8_t c[5 + 16 + 1] = {0x00, 0xA4, 0x08, 0x04, (uint8_t)plen};

	assert_true(plen <= 16);
	memcpy(c + 5, path, plen);
	c[5 + plen] = 0x00;
	return modem_xfer(card, c, 6 + plen, r);
}

/* Value of an FCP data object (62 L { tag L value ... }), one-byte tags; NULL if absent. */
static inline const uint8_t *fcp_find(const struct modem_rsp *r, uint8_t tag, size_t *len)
{
	size_t i = 2;

	if (r->len < 2 || r->data[0] != 0x62)
		return NULL;
	while (i + 2 <= r->len) {
		uint8_t t = r->data[i], l = r->data[i + 1];
		if (i + 2 + l > r->len)
			return NULL;
		if (t == tag) {
			*len = l;
			return r->data + i + 2;
		}
		i += 2u + l;
	}
	return NULL;
}

/* Read a whole transparent EF that is currently selected (size from its FCP). */
static inline void modem_read_binary(eum_card *card, size_t size, uint8_t *out)
{
	struct modem_rsp r;
	size_t off = 0;

	while (off < size) {
		size_t n = size - off > 255 ? 255 : size - off;
		uint8_t c[5] = {0x00, 0xB0, (uint8_t)(off >> 8), (uint8_t)off, (uint8_t)n};
		assert_int_equal(modem_xfer(card, c, 5, &r), 0x9000);
		assert_int_equal(r.len, n);
		memcpy(out + off, r.data, n);
		off += n;
	}
}

/* VERIFY a PIN given as ASCII digits (padded with FF, TS 102 221 §11.1.9). */
static inline uint16_t modem_verify(eum_card *card, uint8_t ref, const char *digits)
{
	uint8_t c[13] = {0x00, 0x20, 0x00, ref, 0x08};
	struct modem_rsp r;

	memset(c + 5, 0xFF, 8);
	memcpy(c + 5, digits, strlen(digits));
	return modem_xfer(card, c, sizeof(c), &r);
}

/* AUTHENTICATE (TS 31.102 §7.1): 3G context with RAND/AUTN of v, or GSM context with v's RAND. */
static inline uint16_t modem_authenticate(eum_card *card, int gsm, const struct eum_host_aka_vector *v,
                                          struct modem_rsp *r)
{
	uint8_t c[5 + 34 + 1] = {0x00, 0x88, 0x00, (uint8_t)(gsm ? 0x80 : 0x81), (uint8_t)(gsm ? 17 : 34), 0x10};

	memcpy(c + 6, v->rand, 16);
	if (gsm) {
		c[22] = 0x00;
		return modem_xfer(card, c, 23, r);
	}
	c[22] = 0x10;
	memcpy(c + 23, v->autn, 16);
	c[39] = 0x00;
	return modem_xfer(card, c, 40, r);
}

/* 48-bit SQN = SEQ || IND (5 bits), TS 33.102 Annex C.1.2. */
static inline void make_sqn(const uint8_t seq_ms[6], uint64_t add, unsigned ind, uint8_t sqn[6])
{
	uint64_t seq = 0;
	int i;

	for (i = 0; i < 6; i++)
		seq = seq << 8 | seq_ms[i];
	seq = ((seq + add) << 5) | ind;
	for (i = 5; i >= 0; i--, seq >>= 8)
		sqn[i] = (uint8_t)seq;
}

/* The AKA exchanges of a modem and a network on one card (TS 31.102 §7.1, TS 33.102 §6.3):
 * success, replay and older SEQ refused with an AUTS the network verifies, resynchronised SQN
 * accepted, MAC failure 9862 leaving the state unchanged, GSM context (9864 without service n27). */
static inline void authenticate_cases(eum_card *card, const struct eum_host_aka_key *key, const uint8_t seq_ms[6],
                                      int with_kc)
{
	static const uint8_t amf[2] = {0x80, 0x00};
	uint8_t rand[16], sqn[6], sqn_ms[6];
	struct eum_host_aka_vector v, old;
	struct eum_host_aka_response rsp;
	struct modem_rsp r;
	int i;

	for (i = 0; i < 16; i++)
		rand[i] = (uint8_t)(0x5A ^ (i * 29));

	/* 1. fresh SQN (SEQ_MS + 2, IND 3): RES, CK, IK [and Kc] as the network expects */
	make_sqn(seq_ms, 2, 3, sqn);
	assert_int_equal(eum_host_aka_generate(key, rand, sqn, amf, &v), EUM_OK);
	assert_int_equal(modem_authenticate(card, 0, &v, &r), 0x9000);
	assert_int_equal(eum_host_aka_parse_response(r.data, r.len, &rsp), EUM_OK);
	assert_false(rsp.sync_failure);
	assert_int_equal(rsp.res_len, v.res_len);
	assert_memory_equal(rsp.res, v.res, v.res_len);
	assert_memory_equal(rsp.ck, v.ck, 16);
	assert_memory_equal(rsp.ik, v.ik, 16);
	assert_int_equal(rsp.has_kc, with_kc);
	if (with_kc)
		assert_memory_equal(rsp.kc, v.kc, 8);

	/* 2. the same AUTN again: a replay the card must refuse -> AUTS that verifies, SQN_MS = that SQN */
	assert_int_equal(modem_authenticate(card, 0, &v, &r), 0x9000);
	assert_int_equal(eum_host_aka_parse_response(r.data, r.len, &rsp), EUM_OK);
	assert_true(rsp.sync_failure);
	assert_int_equal(eum_host_aka_resync(key, rand, rsp.auts, sqn_ms), EUM_OK);
	assert_memory_equal(sqn_ms, sqn, 6);

	/* 3. an older SEQ on the same IND: refused too */
	make_sqn(seq_ms, 1, 3, sqn);
	assert_int_equal(eum_host_aka_generate(key, rand, sqn, amf, &old), EUM_OK);
	assert_int_equal(modem_authenticate(card, 0, &old, &r), 0x9000);
	assert_int_equal(eum_host_aka_parse_response(r.data, r.len, &rsp), EUM_OK);
	assert_true(rsp.sync_failure);

	/* 4. the network resynchronises from SQN_MS: the next SEQ is accepted */
	make_sqn(seq_ms, 3, 4, sqn);
	assert_int_equal(eum_host_aka_generate(key, rand, sqn, amf, &v), EUM_OK);
	assert_int_equal(modem_authenticate(card, 0, &v, &r), 0x9000);
	assert_int_equal(eum_host_aka_parse_response(r.data, r.len, &rsp), EUM_OK);
	assert_false(rsp.sync_failure);

	/* 5. MAC failure: 9862, no data */
	make_sqn(seq_ms, 4, 5, sqn);
	assert_int_equal(eum_host_aka_generate(key, rand, sqn, amf, &v), EUM_OK);
	v.autn[15] ^= 0x01;
	assert_int_equal(modem_authenticate(card, 0, &v, &r), 0x9862);
	assert_int_equal(r.len, 0);
	v.autn[15] ^= 0x01; /* the genuine AUTN is still fresh: the failure changed nothing */
	assert_int_equal(modem_authenticate(card, 0, &v, &r), 0x9000);
	assert_int_equal(r.data[0], 0xDB);

	/* 6. GSM context: 04 SRES 08 Kc = c2 / c3 of the vector for this RAND (TS 33.102 §6.8.1.2) */
	assert_int_equal(modem_authenticate(card, 1, &v, &r), with_kc ? 0x9000 : 0x9864);
	if (with_kc) {
		assert_int_equal(r.len, 14);
		assert_int_equal(r.data[0], 0x04);
		assert_memory_equal(r.data + 1, v.sres, 4);
		assert_int_equal(r.data[5], 0x08);
		assert_memory_equal(r.data + 6, v.kc, 8);
	}
	eum_host_aka_vector_wipe(&v);
	eum_host_aka_vector_wipe(&old);
}

#endif
