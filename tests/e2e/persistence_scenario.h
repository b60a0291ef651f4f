/*
 * The long persistence scenario (issue "Persistence"), driven only through APDUs with libeum-host playing
 * the SM-SR (SCP80, ES5) and the SM-DP (ES8): manufacture; PIN tries (wrong, right); an RFM update over
 * SCP80 (the profile's OTA counter moves); CreateISDP over SCP80; ES8 key establishment and an SCP03t
 * download of a TS.48 package into the new ISD-P; EnableProfile -> REFRESH -> reset -> attach ->
 * notification -> confirmation; DisableProfile (same flow back to the fall-back profile); DeleteProfile.
 * Every phase starts with a power-on (cold reset, TERMINAL PROFILE, SET UP EVENT LIST, attach).
 *
 * Used by tests/e2e/test_persistence_scenario.c (power cut at every storage operation) and
 * tests/unit/test_persistence.c (a reloaded card behaves byte for byte like one never reloaded).
 *
 * Tap: the e2e helpers (ota_e2e.h, es5_e2e.h, es8_e2e.h) call eum_card_transmit() and eum_card_reset()
 * directly; this header routes those two names, in the including test only, through ps_transmit() and
 * ps_reset(), which hand every APDU and reset to the test's tap (to record it, or to mirror it on a
 * second card) before the real call. The library is untouched.
 */
#ifndef EUM_TESTS_PERSISTENCE_SCENARIO_H
#define EUM_TESTS_PERSISTENCE_SCENARIO_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"

/* What the test does with each APDU and reset of the scenario (NULL members: the real call only). */
struct ps_tap {
	int (*transmit)(struct ps_tap *tap, eum_card *card, const uint8_t *c, size_t len, uint8_t *r, size_t cap,
	                size_t *rlen);
	int (*reset)(struct ps_tap *tap, eum_card *card, int cold, uint8_t *atr, size_t cap, size_t *atr_len);
};

static struct ps_tap *ps_tap_now; /* test-only: the tap of the running scenario */

static inline int ps_real_transmit(eum_card *card, const uint8_t *c, size_t len, uint8_t *r, size_t cap, size_t *rlen)
{
	return (eum_card_transmit)(card, c, len, r, cap, rlen);
}

static inline int ps_real_reset(eum_card *card, int cold, uint8_t *atr, size_t cap, size_t *atr_len)
{
	return (eum_card_reset)(card, cold, atr, cap, atr_len);
}

static inline int ps_transmit(eum_card *card, const uint8_t *c, size_t len, uint8_t *r, size_t cap, size_t *rlen)
{
	if (ps_tap_now && ps_tap_now->transmit)
		return ps_tap_now->transmit(ps_tap_now, card, c, len, r, cap, rlen);
	return ps_real_transmit(card, c, len, r, cap, rlen);
}

static inline int ps_reset(eum_card *card, int cold, uint8_t *atr, size_t cap, size_t *atr_len)
{
	if (ps_tap_now && ps_tap_now->reset)
		return ps_tap_now->reset(ps_tap_now, card, cold, atr, cap, atr_len);
	return ps_real_reset(card, cold, atr, cap, atr_len);
}

#define eum_card_transmit(...) ps_transmit(__VA_ARGS__)
#define eum_card_reset(...)    ps_reset(__VA_ARGS__)

#include "es5_e2e.h"
#include "es8_e2e.h"

#define PS_BOOT_AID ES5_AID_PFX "00001000"
#define PS_NEW_AID  ES5_AID_PFX "00002000"
#define PS_PACKAGE  "ts48/TS48V1-A-UNIQUE.der"
#define PS_EID      "89049032000000000000000000001230"
#define PS_NOW      1767225600u /* the fixed host clock (eum_config default) */

/* Deterministic card randomness (cfg.rng): xorshift64, the same stream in every run. */
struct ps_rng {
	uint64_t s;
};

static inline int ps_rng_fn(void *ctx, uint8_t *buf, size_t len)
{
	struct ps_rng *g = ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		g->s ^= g->s << 13;
		g->s ^= g->s >> 7;
		g->s ^= g->s << 17;
		buf[i] = (uint8_t)(g->s >> 32);
	}
	return 0;
}

static inline void ps_quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

/* The configuration of every scenario card: fixed clock, deterministic rng, ES5 policies of the ES5
 * tests (notifications go to the test SM-SR). state_path or storage (or neither) chosen by the caller. */
static inline void ps_config(eum_config *cfg, struct ps_rng *rng)
{
	eum_config_init(cfg);
	cfg->rng = ps_rng_fn;
	cfg->rng_ctx = rng;
	cfg->log = ps_quiet;
	cfg->clock_fixed = PS_NOW;
	cfg->es5.smsr_address = "12345678";
	cfg->es5.rollback_attach_failures = 3;
	cfg->es5.rollback_timeout_s = 600;
	cfg->es5.fallback_loss_events = 3;
	cfg->es5.notify_attempts = 3;
	cfg->es5.notify_timeout_s = 300;
}

#define PS_RNG_SEED 0x5EED5EED12345678ull

/* The SM-SR / modem side of one scenario card (the card itself is made by the caller). */
static inline struct es5 *ps_driver_new(eum_card *card)
{
	static const uint8_t tar[3] = {0x00, 0x00, 0x01};
	struct eum_host_scp80_keyset ks;
	struct es5 *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->card = card;
	t->now = PS_NOW;
	es5_isdr_keys(&ks);
	eum_host_smsr_init(&t->sr, &ks, 0x32, 0x32, tar);
	return t;
}

static inline void ps_driver_free(struct es5 *t)
{
	free(t);
}

/* ---- modem ----------------------------------------------------------------------------------------- */

/* Power on: cold reset, TERMINAL PROFILE (+ the card's SET UP EVENT LIST), attach. Returns the SW of the
 * attach (91xx when a notification waits). */
static inline uint16_t ps_power_on(struct es5 *t)
{
	uint8_t cmd[256];
	size_t len;
	uint16_t sw;

	assert_int_equal(eum_card_reset(t->card, 1, NULL, 0, NULL), EUM_OK);
	sw = es5_terminal_profile(t);
	if (sw != 0x9000) {
		assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x05); /* SET UP EVENT LIST */
		assert_int_equal(es5_terminal_response(t, cmd, ES5_TR_OK), 0x9000);
	}
	return es5_location(t, 0x00);
}

static inline void ps_expect_refresh(struct es5 *t, uint16_t sw)
{
	uint8_t cmd[256];
	size_t len;

	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x01);
	assert_int_equal(cmd[6], 0x04); /* UICC reset */
	assert_int_equal(es5_terminal_response(t, cmd, ES5_TR_OK), 0x9000);
}

/* The notification behind sw (SEND SHORT MESSAGE), answered; returns its sequence number. */
static inline uint16_t ps_notification(struct es5 *t, uint16_t sw, uint8_t type, const char *aid_hex)
{
	struct eum_host_smsr_notification nt;
	uint8_t cmd[256], aid[16], eid[16];
	size_t len;

	assert_int_equal(es5_fetch(t, sw, cmd, &len), 0x13);
	assert_int_equal(eum_host_smsr_parse_notification(&t->sr, cmd, len, &nt), EUM_OK);
	es5_unhex(PS_EID, eid, 16);
	es5_unhex(aid_hex, aid, 16);
	assert_memory_equal(nt.eid, eid, 16);
	assert_int_equal(nt.type, type);
	assert_memory_equal(nt.aid, aid, 16);
	assert_int_equal(es5_terminal_response(t, cmd, ES5_TR_OK), 0x9000);
	return nt.seq;
}

static inline void ps_confirm(struct es5 *t, uint16_t seq)
{
	uint8_t apdu[32];
	size_t n;

	assert_int_equal(eum_host_smsr_confirm(seq, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	assert_int_equal(t->res.data_len, 2);
	assert_memory_equal(t->res.data, "\x80\x00", 2);
}

/* ES5 Enable/DisableProfile, REFRESH, re-attach, notification `type` about `nt_aid`, confirmation. */
static inline void ps_switch(struct es5 *t, int enable, const char *aid_hex, uint8_t type, const char *nt_aid)
{
	uint8_t aid[16], apdu[64];
	size_t n;
	uint16_t sw;

	es5_unhex(aid_hex, aid, 16);
	if (enable)
		assert_int_equal(eum_host_smsr_enable_profile(aid, 16, apdu, sizeof(apdu), &n), EUM_OK);
	else
		assert_int_equal(eum_host_smsr_disable_profile(aid, 16, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	ps_expect_refresh(t, t->env_sw);
	sw = es5_boot_and_attach(t);
	ps_confirm(t, ps_notification(t, sw, type, nt_aid));
}

/* ---- the scenario --------------------------------------------------------------------------------- */

/* Scenario phases; ps_run_scenario() calls between(ctx, phase) before each phase but the first. */
enum {
	PS_PH_DECLARE,
	PS_PH_PIN,
	PS_PH_RFM,
	PS_PH_CREATE,
	PS_PH_KEYS,
	PS_PH_DOWNLOAD,
	PS_PH_ENABLE,
	PS_PH_DISABLE,
	PS_PH_DELETE,
	PS_PH_NUM
};

static inline void ps_run_scenario(struct es5 *t, void (*between)(void *ctx, struct es5 *t, int phase), void *ctx)
{
	static uint8_t der[16384];
	static const uint8_t new_tar[3] = {0x00, 0x00, 0x20};
	struct eum_card *c = t->card;
	eum_host_euicc_response resp;
	eum_host_scp03t sess;
	static struct es8 x; /* the SM-DP, from key establishment to the end of the download */
	uint8_t apdu[128], cntr_before[5];
	size_t n, der_len;
	uint16_t sw;
	int ph;
	size_t kvn3;

	for (ph = 0; ph < PS_PH_NUM; ph++) {
		if (ph && between)
			between(ctx, t, ph);
		c = t->card;
		sw = ps_power_on(t);
		switch (ph) {
		case PS_PH_DECLARE: /* SGP.02 §7.10: first attach after manufacture, notification 01, confirmed */
			ps_confirm(t, ps_notification(t, sw, 0x01, PS_BOOT_AID));
			break;
		case PS_PH_PIN: /* TS 102 221 §11.1.9: a wrong try is counted, a right one resets the count */
			assert_int_equal(sw, 0x9000);
			assert_int_equal(es5_hex(t, "0020000108 31313131FFFFFFFF", NULL, NULL), 0x63C2);
			assert_int_equal(es5_hex(t, "0020000108 31323334FFFFFFFF", NULL, NULL), 0x9000);
			break;
		case PS_PH_RFM: { /* TS 102 226 §8: RFM of EF.PL through TAR B00010, key set KVN 1 (3DES2) */
			static const char *const script[] = {"00A4000C023F00", "00A4000C022F05", "00D6000004 656E6672"};
			struct eum_host_scp80_keyset ks;
			struct eum_host_smsr saved = t->sr;
			int slot = eum_isdp_find(c,
			                         (const uint8_t *)"\xA0\x00\x00\x05\x59\x10\x10\xFF\xFF\xFF\xFF\x89"
			                                          "\x00\x00\x10\x00",
			                         16);
			assert_int_equal(sw, 0x9000);
			assert_true(slot >= 0);
			memcpy(cntr_before, c->ps->isdp[slot]->prof.ota_cntr[0].v, 5);
			memset(&ks, 0, sizeof(ks));
			ks.kic.algo = ks.kid.algo = EUM_HOST_SCP80_ALGO_TDES2;
			ks.kic.len = (uint8_t)es5_unhex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", ks.kic.val, 32);
			ks.kid.len = (uint8_t)es5_unhex("0123456789abcdeffedcba9876543210", ks.kid.val, 32);
			eum_host_smsr_init(&t->sr, &ks, 0x15, 0x15, (const uint8_t *)"\xB0\x00\x10");
			es5_script_n(t, 3, script);
			assert_int_equal(t->res.status, 0x00);
			assert_int_equal(t->res.executed, 3);
			assert_int_equal(t->res.last_sw, 0x9000);
			t->sr = saved;
			/* the counter moved */
			assert_memory_not_equal(c->ps->isdp[slot]->prof.ota_cntr[0].v, cntr_before, 5);
			break;
		}
		case PS_PH_CREATE: /* SGP.02 §4.1.1.1: CreateISDP (INSTALL) over SCP80 to the ISD-R */
			assert_int_equal(sw, 0x9000);
			for (kvn3 = 0; kvn3 < EUM_ISDR_SCP80_KEYSETS && c->ps->isdr.scp80[kvn3].kvn != 3; kvn3++)
				;
			assert_true(kvn3 < EUM_ISDR_SCP80_KEYSETS);
			memcpy(cntr_before, c->ps->isdr.scp80_cntr[kvn3].v, 5);
			assert_int_equal(eum_host_smsr_create_isdp(new_tar, 0, apdu, sizeof(apdu), &n), EUM_OK);
			assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
			assert_memory_not_equal(c->ps->isdr.scp80_cntr[kvn3].v, cntr_before, 5);
			break;
		case PS_PH_KEYS:     /* SGP.02 §4.1.3.1: EstablishISDPKeySet (ECKA-EG) */
		case PS_PH_DOWNLOAD: /* SGP.02 §4.1.3.3: SCP03t session and the Profile Package */
			assert_int_equal(sw, 0x9000);
			if (ph == PS_PH_KEYS) {
				memset(&x, 0, sizeof(x));
				x.clk.now = PS_NOW;
				x.rng = 0x0123456789ABCDEFull;
				x.cert_len = es8_file("pki/p256/smdp.cert", x.cert, sizeof(x.cert));
				assert_int_equal(es8_hexfile("p256", "smdp.sk.hex", x.sk_dp, 32), 32);
				assert_int_equal(es8_hexfile("p256", "ecasd.pk.hex", x.pk_ecasd, 65), 65);
				eum_host_smdp_crt_default(&x.crt);
				memcpy(x.isdp_tar, new_tar, 3);
				es5_unhex(PS_NEW_AID, x.isdp_aid, 16);
			}
			x.card = t->card;
			memcpy(x.cntr, t->sr.params.cntr, 5); /* one SM-SR, one counter of the ISD-R key set */
			if (ph == PS_PH_KEYS) {
				es8_establish_keys(&x, 0); /* the SM-DP keeps the keys for the download phase */
			} else {
				int slot;
				der_len = es8_file(PS_PACKAGE, der, sizeof(der));
				es8_scp03t_open(&x, &sess, 1, 1);
				es8_download(&x, &sess, der, der_len, 975, &resp);
				assert_true(eum_host_euicc_response_ok(&resp));
				eum_host_scp03t_free(&sess);
				eum_host_smdp_keys_wipe(&x.keys);
				slot = eum_isdp_find(c, x.isdp_aid, 16);
				assert_true(slot >= 0);
				assert_int_equal(c->ps->isdp[slot]->lcs, EUM_ISDP_DISABLED);
			}
			memcpy(t->sr.params.cntr, x.cntr, 5);
			break;
		case PS_PH_ENABLE: /* SGP.02 §4.1.1.2, §5.4.9 */
			assert_int_equal(sw, 0x9000);
			ps_switch(t, 1, PS_NEW_AID, 0x02, PS_NEW_AID);
			break;
		case PS_PH_DISABLE: /* SGP.02 §4.1.1.3: back to the fall-back profile, notification 05 */
			assert_int_equal(sw, 0x9000);
			ps_switch(t, 0, PS_NEW_AID, 0x05, PS_BOOT_AID);
			break;
		case PS_PH_DELETE: /* SGP.02 §4.1.1.4 */
			assert_int_equal(sw, 0x9000);
			assert_int_equal(es5_cmd(t, "80E4004012 4F10" PS_NEW_AID " 00"), 0x9000);
			assert_int_equal(eum_isdp_find(c, x.isdp_aid, 16), -1); /* gone */
			break;
		}
	}
}

#endif
