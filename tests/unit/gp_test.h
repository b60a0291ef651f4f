/*
 * Test support for the GlobalPlatform tests (test_gp_*.c, e2e/test_scp03_session.c):
 * a fresh default card, APDUs through eum_card_transmit() with T=0 GET
 * RESPONSE, an SCP03 session with the ISD-R opened by libeum-host (the
 * off-card side), and state snapshots to prove refused commands change
 * nothing. Header-only: each test program includes it once.
 */
#ifndef EUM_TESTS_GP_TEST_H
#define EUM_TESTS_GP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/card.h"
#include "eum/eum.h"
#include "eum/host/scp03.h"
#include "gp/gp.h"

/* The ISD-R vendor key set gpt_card() configures (isdr_scp03): KVN 30, AES-128 404142…4F. */
static const uint8_t gpt_key40[16] = {0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
                                      0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F};

static const uint8_t gpt_aid_isdr[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                         0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};

static inline size_t gpt_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		unsigned v;
		if (*s == ' ') {
			s++;
			continue;
		}
		assert_true(s[1] != 0 && n < cap);
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static inline eum_card *gpt_card(void)
{
	eum_config cfg;
	eum_card *card = NULL;

	eum_config_init(&cfg);
	cfg.log_level = EUM_LOG_ERROR;
	/* the ISD-R's SCP03 administration exists only when configured (README "Test identity"):
	 * the GlobalPlatform test keys KVN 30, AES-128, ENC = MAC = DEK = 404142...4F */
	cfg.isdr_scp03.kvn = 0x30;
	cfg.isdr_scp03.key_len = 16;
	cfg.isdr_scp03.enc = cfg.isdr_scp03.mac = cfg.isdr_scp03.dek = gpt_key40;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	return card;
}

/* Send an APDU; a 61xx is followed by GET RESPONSE on the same channel.
 * out receives data and SW; returns the SW. */
static inline uint16_t gpt_xmit(eum_card *card, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len)
{
	uint8_t r[300];
	size_t rl = 0;

	assert_int_equal(eum_card_transmit(card, c, n, r, sizeof(r), &rl), EUM_OK);
	assert_true(rl >= 2);
	if (rl == 2 && r[0] == 0x6C && n == 5) {
		/* T=0 case 2 with the wrong Le: again with the exact length */
		uint8_t again[5] = {c[0], c[1], c[2], c[3], r[1]};
		assert_int_equal(eum_card_transmit(card, again, sizeof(again), r, sizeof(r), &rl), EUM_OK);
	}
	if (rl == 2 && r[0] == 0x61) {
		/* GET RESPONSE in the interindustry class of the command's logical channel */
		uint8_t gr[5] = {(uint8_t)((c[0] & 0x40) ? 0x40 | (c[0] & 0x0F) : c[0] & 0x03), 0xC0, 0x00, 0x00, r[1]};
		assert_int_equal(eum_card_transmit(card, gr, sizeof(gr), r, sizeof(r), &rl), EUM_OK);
	}
	memcpy(out, r, rl);
	*out_len = rl;
	return (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
}

static inline uint16_t gpt_xmit_hex(eum_card *card, const char *hex, uint8_t *out, size_t *out_len)
{
	uint8_t c[300];
	size_t n = gpt_hex(hex, c, sizeof(c));

	return gpt_xmit(card, c, n, out, out_len);
}

/* SELECT the ISD-R on logical channel chan (0 = basic). */
static inline void gpt_select_isdr(eum_card *card, uint8_t chan)
{
	uint8_t c[21] = {(uint8_t)(chan < 4 ? chan : 0x40 | (chan - 4)), 0xA4, 0x04, 0x00, 0x10};
	uint8_t r[300];
	size_t rl;

	memcpy(c + 5, gpt_aid_isdr, 16);
	assert_int_equal(gpt_xmit(card, c, sizeof(c), r, &rl), 0x9000);
}

/* Open an SCP03 session with the SD (instance AID aid) selected on chan, at
 * security level sl; the INITIALIZE UPDATE answer must check out. */
static inline void gpt_open_keys(eum_card *card, eum_host_scp03 *h, uint8_t chan, const uint8_t *aid,
                                 const uint8_t *enc, const uint8_t *mac, const uint8_t *dek, size_t klen, uint8_t kvn,
                                 uint8_t sl)
{
	static const uint8_t hc[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
	uint8_t c[64], r[300];
	size_t n = 0, rl = 0;

	eum_host_scp03_init(h);
	assert_int_equal(eum_host_scp03_set_keys(h, kvn, enc, mac, dek, klen), EUM_OK);
	assert_int_equal(eum_host_scp03_set_sd_aid(h, aid, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(h, chan, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(h, sl, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
}

/* The same with the ISD-R's test vendor keys (KVN 30, 404142…4F). */
static inline void gpt_open(eum_card *card, eum_host_scp03 *h, uint8_t chan, uint8_t sl)
{
	gpt_open_keys(card, h, chan, gpt_aid_isdr, gpt_key40, gpt_key40, gpt_key40, 16, 0x30, sl);
}

/* Wrap a plain APDU, send it, check and strip the response protection.
 * out: plain data + SW. Returns the SW. */
static inline uint16_t gpt_sm(eum_card *card, eum_host_scp03 *h, const uint8_t *plain, size_t n, uint8_t *out,
                              size_t *out_len)
{
	uint8_t w[300], r[300];
	size_t wn = 0, rl = 0;

	assert_int_equal(eum_host_scp03_wrap_command(h, plain, n, w, sizeof(w), &wn), EUM_OK);
	gpt_xmit(card, w, wn, r, &rl);
	assert_int_equal(eum_host_scp03_unwrap_response(h, r, rl, out, 300, out_len), EUM_OK);
	return (uint16_t)(out[*out_len - 2] << 8 | out[*out_len - 1]);
}

static inline uint16_t gpt_sm_hex(eum_card *card, eum_host_scp03 *h, const char *hex, uint8_t *out, size_t *out_len)
{
	uint8_t c[300];
	size_t n = gpt_hex(hex, c, sizeof(c));

	return gpt_sm(card, h, c, n, out, out_len);
}

/* ---- state snapshots ----------------------------------------------------- */

struct gpt_image {
	uint8_t *b;
	size_t n;
};

static inline struct gpt_image gpt_snap(const eum_card *card)
{
	struct gpt_image im = {NULL, 0};

	assert_int_equal(eum_card_save_image(card, NULL, 0, &im.n), EUM_OK);
	im.b = malloc(im.n);
	assert_non_null(im.b);
	assert_int_equal(eum_card_save_image(card, im.b, im.n, &im.n), EUM_OK);
	return im;
}

/* The state is byte-identical to the snapshot (which is released). */
static inline void gpt_same(const eum_card *card, struct gpt_image before)
{
	struct gpt_image now = gpt_snap(card);

	assert_int_equal(now.n, before.n);
	assert_memory_equal(now.b, before.b, now.n);
	free(now.b);
	free(before.b);
}

/* Data length of a response (without SW). */
#define GPT_DLEN(n) ((n)-2)

#endif
