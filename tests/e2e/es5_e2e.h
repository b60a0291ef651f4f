/*
 * Helpers of the SGP.02 ES5 end-to-end tests (tests/e2e/test_es5_*.c): a card driven only
 * through eum_card_transmit() as a modem drives it (TERMINAL PROFILE, FETCH, TERMINAL RESPONSE,
 * ENVELOPE event download, resets), and an SM-SR played with libeum-host's smsr.h. The only
 * way around the APDUs is the profile installation (ES8 download is not there yet): the test
 * puts a TCA package into an ISD-P with the installer API and the life-cycle table.
 * Everything is static inline so that each test program takes what it uses.
 */
#ifndef EUM_TESTS_ES5_E2E_H
#define EUM_TESTS_ES5_E2E_H

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
#include "eum/host/scp80.h"
#include "eum/host/smsr.h"
#include "eum/host/sms.h"
#include "gp/gp.h"
#include "profile/saip_apply.h"
#include "store/store.h"

#define ES5_APDU_MAX 300
#define ES5_IMG_MAX  (512 * 1024)
#define ES5_TR_OK    0x00

/* ISD-P AIDs (SGP.02 Annex H) by TAR */
#define ES5_AID_PFX "A0000005591010FFFFFFFF89"

/* A memory "flash" behind the storage hooks, with a fault switch. */
struct es5_flash {
	uint8_t *img;
	size_t len;
	unsigned stores;    /* stores done */
	unsigned fail_from; /* 0 = off; else every store once `stores` reached this value fails */
};

struct es5 {
	eum_card *card;
	uint64_t now;
	struct es5_flash flash;
	eum_storage storage;
	struct eum_host_smsr sr;
	int log;
	/* what the last script answered */
	struct eum_host_smsr_result res;
	uint8_t work[1024];
	uint16_t env_sw; /* final SW of the ENVELOPE (after GET RESPONSE) */
	int plain;       /* the card has the default configuration (the transcript runner's card) */
	char *rec;       /* transcript being recorded (tests/unit/test_transcripts.c format), or NULL */
	size_t rec_n, rec_cap;
};

/* Append to the transcript being recorded. */
static inline void es5_rec(struct es5 *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void es5_rec(struct es5 *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!t->rec)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->rec + t->rec_n, t->rec_cap - t->rec_n, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < t->rec_cap - t->rec_n);
	t->rec_n += (size_t)n;
}

static inline void es5_rec_hex(struct es5 *t, const char *prefix, const uint8_t *b, size_t len)
{
	size_t i;

	es5_rec(t, "%s", prefix);
	for (i = 0; i < len; i++)
		es5_rec(t, "%02X", b[i]);
	es5_rec(t, "\n");
}

static inline size_t es5_unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		unsigned v;
		if (*s == ' ') {
			s++;
			continue;
		}
		assert_true(s[1] && n < cap);
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static inline uint64_t es5_clock(void *ctx)
{
	return ((struct es5 *)ctx)->now;
}

static inline void es5_quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)level;
	if (((struct es5 *)ctx)->log)
		fprintf(stderr, "  card: %s\n", msg);
}

static inline int es5_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	struct es5_flash *f = ctx;

	if (!f->len)
		return EUM_ERR_NOT_FOUND;
	*len = f->len;
	if (!buf)
		return EUM_OK;
	if (cap < f->len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(buf, f->img, f->len);
	return EUM_OK;
}

static inline int es5_store(void *ctx, const uint8_t *img, size_t len)
{
	struct es5_flash *f = ctx;

	if (f->fail_from && f->stores >= f->fail_from)
		return EUM_ERR_STORAGE;
	assert_true(len <= ES5_IMG_MAX);
	memcpy(f->img, img, len);
	f->len = len;
	f->stores++;
	return EUM_OK;
}

/* The ISD-R key set KVN 3 AES-128 of the test identity (README "Test identity"). */
static inline void es5_isdr_keys(struct eum_host_scp80_keyset *ks)
{
	memset(ks, 0, sizeof(*ks));
	ks->kic.algo = ks->kid.algo = EUM_HOST_SCP80_ALGO_AES;
	ks->kic.len = (uint8_t)es5_unhex("000102030405060708090a0b0c0d0e0f", ks->kic.val, 32);
	ks->kid.len = (uint8_t)es5_unhex("101112131415161718191a1b1c1d1e1f", ks->kid.val, 32);
}

/* (Re)create the card from the flash (manufactured when empty) and reset it. */
static inline void es5_open(struct es5 *t)
{
	eum_config cfg;

	eum_config_init(&cfg);
	if (t->plain) {
		/* as tests/unit/test_transcripts.c makes its card */
		cfg.log = es5_quiet;
		cfg.log_ctx = t;
		assert_int_equal(eum_card_new(&t->card, &cfg), EUM_OK);
		assert_int_equal(eum_card_reset(t->card, 1, NULL, 0, NULL), EUM_OK);
		return;
	}
	cfg.clock = es5_clock;
	cfg.clock_ctx = t;
	cfg.log = es5_quiet;
	cfg.log_ctx = t;
	cfg.log_level = EUM_LOG_DEBUG;
	cfg.storage = &t->storage;
	cfg.es5.smsr_address = "12345678"; /* the test SM-SR (examples/eum.conf) */
	cfg.es5.rollback_attach_failures = 3;
	cfg.es5.rollback_timeout_s = 600;
	cfg.es5.fallback_loss_events = 3;
	cfg.es5.notify_attempts = 3;
	cfg.es5.notify_timeout_s = 300;
	/* es5_refused() proves that a refused command changes nothing, counters included: it needs a
	 * packet that leaves no counter behind, which the default MSL 16 refuses (replay protection,
	 * tested in tests/e2e/test_ota_replay.c). The SM-SR's own packets carry a counter anyway. */
	cfg.isdr_msl = 0x06;
	assert_int_equal(eum_card_new(&t->card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(t->card, 1, NULL, 0, NULL), EUM_OK);
}

static inline struct es5 *es5_new_with(int plain)
{
	static const uint8_t tar[3] = {0x00, 0x00, 0x01};
	struct eum_host_scp80_keyset ks;
	struct es5 *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->flash.img = malloc(ES5_IMG_MAX);
	assert_non_null(t->flash.img);
	t->storage = (eum_storage){es5_load, es5_store, &t->flash};
	t->now = 1767225600u;
	t->log = getenv("EUM_TEST_LOG") != NULL;
	t->plain = plain;
	es5_isdr_keys(&ks);
	eum_host_smsr_init(&t->sr, &ks, 0x32, 0x32, tar);
	es5_open(t);
	return t;
}

static inline struct es5 *es5_new(void)
{
	return es5_new_with(0);
}

/* Power loss: the card object goes, the flash stays; a new card loads it. */
static inline void es5_reload(struct es5 *t)
{
	eum_card_free(t->card);
	t->card = NULL;
	es5_open(t);
}

static inline void es5_free(struct es5 *t)
{
	eum_card_free(t->card);
	free(t->flash.img);
	free(t->rec);
	free(t);
}

/* ---- the modem ---------------------------------------------------------------------------------- */

static inline uint16_t es5_xmit(struct es5 *t, const uint8_t *c, size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t r[ES5_APDU_MAX];
	size_t rlen = 0;

	assert_int_equal(eum_card_transmit(t->card, c, len, r, sizeof(r), &rlen), EUM_OK);
	assert_true(rlen >= 2);
	es5_rec_hex(t, "> ", c, len);
	es5_rec_hex(t, "< ", r, rlen);
	if (out)
		memcpy(out, r, rlen - 2);
	if (out_len)
		*out_len = rlen - 2;
	return (uint16_t)(r[rlen - 2] << 8 | r[rlen - 1]);
}

/* A C-APDU, with GET RESPONSE on 61xx (T=0). */
static inline uint16_t es5_xmit_get(struct es5 *t, const uint8_t *c, size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t gr[5] = {0x00, 0xC0, 0x00, 0x00, 0x00};
	size_t n = 0;
	uint16_t sw = es5_xmit(t, c, len, out, &n);

	if ((sw & 0xFF00) == 0x6100) {
		gr[0] = (uint8_t)(c[0] & 0x03); /* GET RESPONSE on the command's logical channel */
		gr[4] = (uint8_t)sw;
		sw = es5_xmit(t, gr, sizeof(gr), out, &n);
	}
	if (out_len)
		*out_len = n;
	return sw;
}

static inline uint16_t es5_hex(struct es5 *t, const char *hex, uint8_t *out, size_t *out_len)
{
	uint8_t c[ES5_APDU_MAX] = {0};
	size_t n = es5_unhex(hex, c, sizeof(c));

	return es5_xmit_get(t, c, n, out, out_len);
}

/* A warm reset by the terminal (after REFRESH 04). */
static inline void es5_reset(struct es5 *t)
{
	assert_int_equal(eum_card_reset(t->card, 0, NULL, 0, NULL), EUM_OK);
	es5_rec(t, "reset\n");
}

/* TERMINAL PROFILE: every facility (REFRESH, SEND SHORT MESSAGE, SET UP EVENT LIST, location status). */
static inline uint16_t es5_terminal_profile(struct es5 *t)
{
	return es5_hex(t, "80100000 08 FFFFFFFFFFFFFFFF", NULL, NULL);
}

/* FETCH the pending proactive command; returns its type. */
static inline uint8_t es5_fetch(struct es5 *t, uint16_t sw, uint8_t *cmd, size_t *len)
{
	uint8_t c[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw};
	size_t off;

	assert_int_equal(sw & 0xFF00, 0x9100);
	assert_int_equal(es5_xmit(t, c, sizeof(c), cmd, len), 0x9000);
	off = cmd[1] == 0x81 ? 3 : 2;
	assert_int_equal(cmd[off], 0x81);
	return cmd[off + 3];
}

/* TERMINAL RESPONSE to a fetched command with a general result. */
static inline uint16_t es5_terminal_response(struct es5 *t, const uint8_t *cmd, uint8_t result)
{
	uint8_t tr[] = {0x80, 0x14, 0x00, 0x00, 0x0C, 0x81, 0x03, 0x00, 0x00,
	                0x00, 0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00};
	size_t off = cmd[1] == 0x81 ? 3 : 2;

	memcpy(tr + 7, cmd + off + 2, 3);
	tr[16] = result;
	return es5_xmit(t, tr, sizeof(tr), NULL, NULL);
}

/* Location status event download (TS 102 223 §7.5.4): 00 normal service, 02 no service. */
static inline uint16_t es5_location(struct es5 *t, uint8_t status)
{
	uint8_t c[] = {0x80, 0xC2, 0x00, 0x00, 0x0C, 0xD6, 0x0A, 0x99, 0x01,
	               0x03, 0x82, 0x02, 0x82, 0x81, 0x9B, 0x01, 0x00};
	c[16] = status;
	return es5_xmit(t, c, sizeof(c), NULL, NULL);
}

/* A modem session after a (REFRESH) reset: ATR, TERMINAL PROFILE, the card's SET UP EVENT LIST
 * if it asks for one, then the attach (location status 00). Returns the SW of the attach. */
static inline uint16_t es5_boot_and_attach(struct es5 *t)
{
	uint8_t cmd[256];
	size_t len;
	uint16_t sw;

	es5_reset(t);
	sw = es5_terminal_profile(t);
	if (sw != 0x9000) {
		assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x05); /* SET UP EVENT LIST */
		assert_memory_equal(cmd + len - 3, "\x99\x01\x03", 3);
		assert_int_equal(es5_terminal_response(t, cmd, ES5_TR_OK), 0x9000);
	}
	return es5_location(t, 0x00);
}

/* ---- the SM-SR ------------------------------------------------------------------------------------ */

/* Send one ES5 script (C-APDUs as hex strings) and open its PoR (in the ENVELOPE response, or
 * by SEND SHORT MESSAGE, which is then answered "performed"). Returns the final SW the modem
 * saw (9000, or 91xx when the card has a proactive command behind the PoR). */
static inline uint16_t es5_script_n(struct es5 *t, size_t n, const char *const *hex)
{
	static uint8_t apdu[8][ES5_APDU_MAX];
	const uint8_t *ap[8];
	size_t len[8], i, rlen = 0;
	struct eum_host_smsr_envelopes env;
	uint8_t rsp[600], por[600];
	size_t por_len = 0;
	uint16_t sw = 0;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		len[i] = es5_unhex(hex[i], apdu[i], sizeof(apdu[i]));
		ap[i] = apdu[i];
	}
	assert_int_equal(eum_host_smsr_script(&t->sr, ap, len, n, &env), EUM_OK);
	for (i = 0; i < env.n; i++)
		sw = es5_xmit_get(t, env.apdu[i], env.len[i], rsp, &rlen);
	if (rlen) {
		assert_true(rlen > 3);
		assert_memory_equal(rsp, "\x02\x71\x00", 3);
		memcpy(por, rsp + 3, rlen - 3);
		por_len = rlen - 3;
		assert_int_equal(eum_host_smsr_parse_por(&t->sr, por, por_len, t->work, sizeof(t->work), &t->res),
		                 EUM_OK);
		if (t->res.status == 0x0B)
			por_len = 0; /* TS 31.115 §7: the PoR itself follows by SMS-SUBMIT */
	}
	if (!por_len && (sw & 0xFF00) == 0x9100) {
		/* the PoR by SMS-SUBMIT (too long for the DELIVER-REPORT, or SPI2 asked for it), maybe
		 * concatenated: one SEND SHORT MESSAGE per part, each answered "performed" */
		static uint8_t cmd[4][256];
		struct eum_host_sms_submit sm[4];
		size_t clen, parts = 0;
		do {
			assert_true(parts < 4);
			assert_int_equal(es5_fetch(t, sw, cmd[parts], &clen), 0x13);
			assert_int_equal(eum_host_sms_parse_send_sm(cmd[parts], clen, &sm[parts]), EUM_OK);
			sw = es5_terminal_response(t, cmd[parts], ES5_TR_OK);
			parts++;
		} while (sm[0].concat && parts < sm[0].total && (sw & 0xFF00) == 0x9100);
		assert_true(sm[0].has_rpi);
		assert_int_equal(eum_host_sms_join(sm, parts, por, sizeof(por), &por_len), EUM_OK);
	}
	memset(&t->res, 0, sizeof(t->res));
	if (por_len)
		assert_int_equal(eum_host_smsr_parse_por(&t->sr, por, por_len, t->work, sizeof(t->work), &t->res),
		                 EUM_OK);
	t->env_sw = sw;
	return sw;
}

/* One C-APDU as a script; returns the SW of that C-APDU (from the PoR). */
static inline uint16_t es5_cmd(struct es5 *t, const char *hex)
{
	es5_script_n(t, 1, &hex);
	assert_int_equal(t->res.status, 0x00);
	assert_int_equal(t->res.executed, 1);
	return t->res.last_sw;
}

/* One C-APDU built by a smsr.h builder. */
static inline uint16_t es5_cmd_bytes(struct es5 *t, const uint8_t *apdu, size_t len)
{
	char hex[2 * ES5_APDU_MAX + 1];
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	hex[2 * len] = '\0';
	return es5_cmd(t, hex);
}

static inline size_t es5_image(struct es5 *t, uint8_t *img)
{
	size_t len = 0;

	assert_int_equal(eum_card_save_image(t->card, img, ES5_IMG_MAX, &len), EUM_OK);
	return len;
}

/* Run a refused command with a packet that leaves no counter behind (SPI1 0E: counter not
 * checked, ciphered, CC; the MSL 06 es5_open() configures is met): the image must not change at all. */
static inline uint16_t es5_refused(struct es5 *t, const char *hex)
{
	uint8_t *before = malloc(ES5_IMG_MAX), *after = malloc(ES5_IMG_MAX);
	size_t bl, al;
	uint8_t spi1 = t->sr.params.spi[0];
	uint16_t sw;

	assert_non_null(before);
	assert_non_null(after);
	bl = es5_image(t, before);
	t->sr.params.spi[0] = 0x0E;
	sw = es5_cmd(t, hex);
	t->sr.params.spi[0] = spi1;
	al = es5_image(t, after);
	assert_int_not_equal(sw, 0x9000);
	assert_int_equal(al, bl);
	assert_memory_equal(after, before, bl);
	free(before);
	free(after);
	return sw;
}

/* ---- profiles ------------------------------------------------------------------------------------- */

/* CreateISDP over ES5, then the TCA package (tests/data/ts48) installed into it directly: the
 * installer API and the life-cycle table stand in for the ES8 download. Returns the slot. */
static inline int es5_install_profile(struct es5 *t, const char *tar_hex, const char *package, uint8_t pol1)
{
	struct eum_saip_result res;
	struct eum_isdp *p;
	uint8_t tar[3], aid[16], apdu[128];
	char path[512];
	size_t n;
	int slot;

	es5_unhex(tar_hex, tar, 3);
	assert_int_equal(eum_host_smsr_create_isdp(tar, 0, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	eum_isdp_aid_for_tar(tar, aid);
	slot = eum_isdp_find(t->card, aid, 16);
	assert_true(slot >= 0);
	p = t->card->ps->isdp[slot];
	snprintf(path, sizeof(path), "%s/ts48/%s", EUM_TEST_DATA_DIR, package);
	eum_fs_free(&p->prof.fs);
	memset(&p->prof, 0, sizeof(p->prof));
	eum_fs_init(&p->prof.fs);
	assert_int_equal(eum_saip_install_file(&p->prof, path, &p->pol1, &res), EUM_OK);
	p->pol1 = pol1;
	p->has_profile = 1;
	assert_int_equal(eum_isdp_transition(t->card, slot, EUM_ISDP_EV_KEYS_ESTABLISHED), EUM_OK);
	assert_int_equal(eum_isdp_transition(t->card, slot, EUM_ISDP_EV_PROFILE_INSTALLED), EUM_OK);
	assert_int_equal(eum_store_commit(t->card), EUM_OK);
	return slot;
}

#endif
