/*
 * Helpers of the OTA end-to-end tests (tests/e2e/test_ota_*.c): a card driven only through
 * eum_card_transmit() as a modem drives it, and an SM-SR / OTA server played with libeum-host
 * (include/eum/host/scp80.h, sms.h) — never with the card's own src/ota code.
 * Everything is static inline so that each test program takes what it uses.
 */
#ifndef EUM_TESTS_OTA_E2E_H
#define EUM_TESTS_OTA_E2E_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "eum/host/scp80.h"
#include "eum/host/sms.h"

#define OTA_MAX_APDU 300
#define OTA_IMG_MAX  (256 * 1024)

/* ---- hex ------------------------------------------------------------------------------------ */

static inline int ota_hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex (blanks ignored); fails the test on bad input. */
static inline size_t ota_unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		int hi, lo;
		if (*s == ' ') {
			s++;
			continue;
		}
		hi = ota_hexv(s[0]);
		lo = s[1] ? ota_hexv(s[1]) : -1;
		assert_true(hi >= 0 && lo >= 0 && n < cap);
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n;
}

/* ---- the card, as a modem sees it ------------------------------------------------------------- */

struct ota_clock {
	uint64_t now;
};

static inline uint64_t ota_clock_fn(void *ctx)
{
	return ((struct ota_clock *)ctx)->now;
}

/* A fresh default card with a host clock, reset. */
static inline eum_card *ota_card_new(struct ota_clock *clk)
{
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	if (clk) {
		cfg.clock = ota_clock_fn;
		cfg.clock_ctx = clk;
	}
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	return card;
}

/* Send one C-APDU; returns the SW, data (if any) in out. */
static inline uint16_t ota_xmit(eum_card *card, const uint8_t *c, size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t r[OTA_MAX_APDU];
	size_t rlen = 0;

	assert_int_equal(eum_card_transmit(card, c, len, r, sizeof(r), &rlen), EUM_OK);
	assert_true(rlen >= 2);
	if (out)
		memcpy(out, r, rlen - 2);
	if (out_len)
		*out_len = rlen - 2;
	return (uint16_t)(r[rlen - 2] << 8 | r[rlen - 1]);
}

static inline uint16_t ota_xmit_hex(eum_card *card, const char *hex, uint8_t *out, size_t *out_len)
{
	uint8_t c[OTA_MAX_APDU];
	size_t n = ota_unhex(hex, c, sizeof(c));

	return ota_xmit(card, c, n, out, out_len);
}

/* Send a C-APDU and, on 61xx, fetch the data with GET RESPONSE (T=0, as a modem does).
 * Returns the final SW; *out_len = 0 when there was no data. */
static inline uint16_t ota_xmit_get(eum_card *card, const uint8_t *c, size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t gr[5] = {0x00, 0xC0, 0x00, 0x00, 0x00};
	size_t n = 0;
	uint16_t sw = ota_xmit(card, c, len, out, &n);

	*out_len = n;
	if ((sw & 0xFF00) != 0x6100)
		return sw;
	gr[4] = (uint8_t)sw;
	sw = ota_xmit(card, gr, sizeof(gr), out, &n);
	*out_len = n;
	return sw;
}

/* TERMINAL PROFILE with every bit set (n bytes), or the given bytes. */
static inline void ota_terminal_profile(eum_card *card, const uint8_t *tp, size_t n)
{
	uint8_t c[5 + 64];

	assert_true(n <= 64);
	memcpy(c, "\x80\x10\x00\x00", 4);
	c[4] = (uint8_t)n;
	if (tp)
		memcpy(c + 5, tp, n);
	else
		memset(c + 5, 0xFF, n);
	assert_int_equal(ota_xmit(card, c, 5 + n, NULL, NULL), 0x9000);
}

static inline size_t ota_image(eum_card *card, uint8_t *img)
{
	size_t len = 0;

	assert_int_equal(eum_card_save_image(card, img, OTA_IMG_MAX, &len), EUM_OK);
	return len;
}

/* ---- the OTA server (libeum-host) --------------------------------------------------------------- */

struct ota_keys {
	const char *name;
	uint8_t kvn;
	uint8_t algo; /* eum_host_scp80_algo */
	const char *kic, *kid;
	uint8_t nib; /* KIc/KID low nibble: 1 DES, 5 3DES2, 9 3DES3, 2 AES */
};

/* The keys of tests/data/scp80/scp80.data "keyset" lines the default card holds (README "Test
 * identity"): the ISD-R has KVN 1 and 3, the bootstrap profile's RFM KVN 1..5. */
static const struct ota_keys ota_keysets[] = {
        {"3des2", 1, EUM_HOST_SCP80_ALGO_TDES2, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "0123456789abcdeffedcba9876543210",
         5},
        {"3des3", 2, EUM_HOST_SCP80_ALGO_TDES3, "0123456789abcdef23456789abcdef01456789abcdef0123",
         "89abcdef0123456701234567fedcba98fedcba9876543210", 9},
        {"aes128", 3, EUM_HOST_SCP80_ALGO_AES, "000102030405060708090a0b0c0d0e0f", "101112131415161718191a1b1c1d1e1f",
         2},
        {"aes256", 4, EUM_HOST_SCP80_ALGO_AES, "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
         "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f", 2},
        {"des", 5, EUM_HOST_SCP80_ALGO_DES, "0123456789abcdef", "fedcba9876543210", 1},
};

static inline const struct ota_keys *ota_keys_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ota_keysets) / sizeof(ota_keysets[0]); i++)
		if (!strcmp(ota_keysets[i].name, name))
			return &ota_keysets[i];
	return NULL;
}

static inline void ota_host_keyset(const struct ota_keys *k, struct eum_host_scp80_keyset *ks)
{
	memset(ks, 0, sizeof(*ks));
	ks->kic.algo = ks->kid.algo = k->algo;
	ks->kic.len = (uint8_t)ota_unhex(k->kic, ks->kic.val, sizeof(ks->kic.val));
	ks->kid.len = (uint8_t)ota_unhex(k->kid, ks->kid.val, sizeof(ks->kid.val));
}

/* Build the ENVELOPE APDUs (SMS-PP download) for a command packet; returns their number. */
static inline size_t ota_envelopes(const uint8_t *pkt, size_t pkt_len, uint8_t env[][OTA_MAX_APDU], size_t *env_len,
                                   size_t max, uint16_t ref)
{
	struct eum_host_sms_deliver_params p;
	size_t n = 0, i;

	eum_host_sms_deliver_params_init(&p);
	p.concat_ref = ref;
	assert_int_equal(eum_host_sms_envelope_count(&p, pkt_len, &n), EUM_OK);
	assert_true(n >= 1 && n <= max);
	for (i = 0; i < n; i++)
		assert_int_equal(eum_host_sms_build_envelope(&p, pkt, pkt_len, i, env[i], OTA_MAX_APDU, &env_len[i]),
		                 EUM_OK);
	return n;
}

/* What came back for one command packet. */
struct ota_answer {
	uint16_t sw;           /* final SW of the (last) ENVELOPE */
	uint8_t env_data[512]; /* ENVELOPE response data (after GET RESPONSE) */
	size_t env_len;
	int by_submit;   /* the PoR came by SEND SHORT MESSAGE */
	size_t sm_parts; /* SEND SHORT MESSAGE commands fetched */
	char sm_da[EUM_HOST_SMS_DIGITS_MAX + 1];
	uint8_t sm_pid, sm_dcs;
	uint8_t por[1024]; /* the response packet, RPL ... (without UDH) */
	size_t por_len;    /* 0: no PoR at all */
};

/* Fetch every pending proactive command (91xx) expecting SEND SHORT MESSAGEs with a PoR, answer
 * each with TERMINAL RESPONSE "command performed", join the parts into a->por. */
static inline void ota_fetch_por(eum_card *card, uint16_t sw, struct ota_answer *a)
{
	static uint8_t fetched[8][256];
	struct eum_host_sms_submit parts[8];
	size_t n = 0, flen;

	while ((sw & 0xFF00) == 0x9100) {
		uint8_t fetch[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw};
		uint8_t tr[] = {0x80, 0x14, 0x00, 0x00, 0x0C, 0x81, 0x03, 0x00, 0x13,
		                0x00, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00};
		assert_true(n < 8);
		assert_int_equal(ota_xmit(card, fetch, sizeof(fetch), fetched[n], &flen), 0x9000);
		assert_int_equal(eum_host_sms_parse_send_sm(fetched[n], flen, &parts[n]), EUM_OK);
		assert_true(parts[n].has_rpi || n > 0);
		/* command details echo the fetched command's number */
		tr[7] = fetched[n][fetched[n][1] == 0x81 ? 5 : 4];
		sw = ota_xmit(card, tr, sizeof(tr), NULL, NULL);
		n++;
	}
	assert_int_equal(sw, 0x9000);
	if (n == 0)
		return;
	a->by_submit = 1;
	a->sm_parts = n;
	strcpy(a->sm_da, parts[0].da);
	a->sm_pid = parts[0].pid;
	a->sm_dcs = parts[0].dcs;
	assert_int_equal(eum_host_sms_join(parts, n, a->por, sizeof(a->por), &a->por_len), EUM_OK);
}

/* Deliver the ENVELOPE APDUs in the given order; collect the PoR from the ENVELOPE response or
 * from SEND SHORT MESSAGE. */
static inline void ota_deliver(eum_card *card, uint8_t env[][OTA_MAX_APDU], const size_t *env_len, const size_t *order,
                               size_t n, struct ota_answer *a)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		a->sw = ota_xmit_get(card, env[order[i]], env_len[order[i]], a->env_data, &a->env_len);
		if (i + 1 < n) {
			/* a part that does not complete the packet is acknowledged without data */
			assert_int_equal(a->sw, 0x9000);
			assert_int_equal(a->env_len, 0);
		}
	}
	if (a->env_len) {
		/* TS 31.115: UDH 02 71 00, then the response packet */
		assert_true(a->env_len > 3);
		assert_memory_equal(a->env_data, "\x02\x71\x00", 3);
		memcpy(a->por, a->env_data + 3, a->env_len - 3);
		a->por_len = a->env_len - 3;
	}
	if ((a->sw & 0xFF00) == 0x9100)
		ota_fetch_por(card, a->sw, a);
}

/* One packet in one or more SMS, in order. */
static inline void ota_send_packet(eum_card *card, const uint8_t *pkt, size_t len, struct ota_answer *a)
{
	static uint8_t env[8][OTA_MAX_APDU];
	size_t env_len[8], order[8], n, i;

	n = ota_envelopes(pkt, len, env, env_len, 8, 0);
	for (i = 0; i < n; i++)
		order[i] = i;
	ota_deliver(card, env, env_len, order, n, a);
}

/* Build a packet with libeum-host and send it. */
static inline void ota_send(eum_card *card, const struct ota_keys *k, const struct eum_host_scp80_params *p,
                            const uint8_t *script, size_t slen, struct ota_answer *a)
{
	struct eum_host_scp80_keyset ks;
	uint8_t pkt[1024];
	size_t plen = 0;

	ota_host_keyset(k, &ks);
	assert_int_equal(eum_host_scp80_build_cmd(&ks, p, script, slen, pkt, sizeof(pkt), &plen), EUM_OK);
	ota_send_packet(card, pkt, plen, a);
}

/* Parse the PoR of an answer with the host parser. */
static inline int ota_parse_por(const struct ota_keys *k, const struct eum_host_scp80_params *p,
                                const struct ota_answer *a, uint8_t *work, size_t cap, struct eum_host_scp80_por *por)
{
	struct eum_host_scp80_keyset ks;

	ota_host_keyset(k, &ks);
	return eum_host_scp80_parse_por(&ks, p, a->por, a->por_len, work, cap, por);
}

/* Bring the counter of a key set of a TAR to `value` with an accepted packet (counter mode
 * "higher", CC, no PoR) running a harmless SELECT MF without response data. */
static inline void ota_prime_counter(eum_card *card, const struct ota_keys *k, const uint8_t tar[3],
                                     const uint8_t value[5])
{
	static const uint8_t sel_mf[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};
	struct eum_host_scp80_params p;
	struct ota_answer a;

	memset(&p, 0, sizeof(p));
	p.spi[0] = 0x16; /* counter higher, ciphered, CC: meets every MSL of the default card */
	p.spi[1] = 0x00; /* no PoR */
	p.kic = p.kid = (uint8_t)(k->kvn << 4 | k->nib);
	memcpy(p.tar, tar, 3);
	memcpy(p.cntr, value, 5);
	ota_send(card, k, &p, sel_mf, sizeof(sel_mf), &a);
	assert_int_equal(a.sw, 0x9000);
	assert_int_equal(a.por_len, 0);
}

#endif
