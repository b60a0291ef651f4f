/*
 * Card-side SCP03 (GlobalPlatform Amd D) against the independent vectors in
 * tests/data/scp03/ (pySim-generated sessions and pySim's recorded real-eUICC
 * sessions) and the asterix Test128 values quoted in scp03.md §5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "gp/scp03.h"
#include "scp03_vectors.h"

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void assert_closed(const struct eum_scp03_session *s)
{
	assert_int_equal(s->state, EUM_SCP03_STATE_NONE);
	assert_true(all_zero(s, sizeof(*s)));
}

static int setup(void **state)
{
	struct sv_data *d = sv_load(SV_PATH);

	if (!d)
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* A key set and SD configured so that INITIALIZE UPDATE reproduces the vector. */
struct card_cfg {
	struct eum_scp03_keyset ks[2];
	struct eum_scp03_sd sd;
};

static void card_from_vector(const struct sv_session *v, struct card_cfg *c)
{
	struct eum_scp03_keyset *ks = &c->ks[1];

	memset(c, 0, sizeof(*c));
	/* slot 0: another key set, so KVN selection is exercised */
	c->ks[0].kvn = 0x3F;
	c->ks[0].key_len = 16;
	memset(c->ks[0].key_enc, 0xA5, 16);
	memset(c->ks[0].key_mac, 0x5A, 16);
	ks->kvn = v->kvn.b[0];
	ks->key_len = (uint8_t)v->key_enc.n;
	memcpy(ks->key_enc, v->key_enc.b, v->key_enc.n);
	memcpy(ks->key_mac, v->key_mac.b, v->key_mac.n);
	memcpy(ks->key_dek, v->key_dek.b, v->key_dek.n);
	/* the counter holds the last used value; the next INITIALIZE UPDATE uses +1 */
	ks->seq_counter = sv_u(&v->sequence_counter) - 1;
	c->sd.aid = v->sd_aid.b;
	c->sd.aid_len = v->sd_aid.n;
	/* pySim's recorded sessions do not list i and the div data separately: take them from the response */
	memcpy(c->sd.div_data, v->div_data.present ? v->div_data.b : v->iu_rsp.b, EUM_SCP03_DIV_DATA_LEN);
	c->sd.i_param = v->i_param.present ? v->i_param.b[0] : v->iu_rsp.b[12];
}

/* INITIALIZE UPDATE + EXTERNAL AUTHENTICATE of vector v, checking every intermediate value. */
static void open_session(const struct sv_session *v, struct card_cfg *c, struct eum_scp03_session *s)
{
	uint8_t rsp[64], cg[8], hcg[8];
	size_t rsp_len = 0, idx = 99;
	int changed = 0;

	print_message("session %s\n", v->name);
	card_from_vector(v, c);
	memset(s, 0, sizeof(*s));
	assert_int_equal(
	        eum_scp03_pseudo_random_challenge(&c->ks[1], sv_u(&v->sequence_counter), v->sd_aid.b, v->sd_aid.n, cg),
	        EUM_OK);
	assert_memory_equal(cg, v->card_challenge.b, 8);

	assert_int_equal(eum_scp03_initialize_update(s, c->ks, 2, &c->sd, v->iu_cmd.b, v->iu_cmd.n, rsp, sizeof(rsp),
	                                             &rsp_len, &idx, &changed),
	                 0x9000);
	assert_int_equal(rsp_len, v->iu_rsp.n);
	assert_memory_equal(rsp, v->iu_rsp.b, rsp_len);
	assert_int_equal(idx, 1);
	assert_int_equal(changed, 1);
	assert_int_equal(c->ks[1].seq_counter, sv_u(&v->sequence_counter));
	assert_int_equal(s->state, EUM_SCP03_STATE_INITIALIZED);
	assert_memory_equal(s->card_challenge, v->card_challenge.b, 8);
	assert_int_equal(s->key_len, v->s_enc.n);
	assert_memory_equal(s->s_enc, v->s_enc.b, v->s_enc.n);
	assert_memory_equal(s->s_mac, v->s_mac.b, v->s_mac.n);
	assert_memory_equal(s->s_rmac, v->s_rmac.b, v->s_rmac.n);

	/* cryptograms through the exported KDF */
	{
		uint8_t ctx[16];

		memcpy(ctx, v->host_challenge.b, 8);
		memcpy(ctx + 8, v->card_challenge.b, 8);
		assert_int_equal(eum_scp03_kdf(s->s_mac, s->key_len, 0x00, ctx, 16, cg, 8), EUM_OK);
		assert_memory_equal(cg, v->card_cryptogram.b, 8);
		assert_int_equal(eum_scp03_kdf(s->s_mac, s->key_len, 0x01, ctx, 16, hcg, 8), EUM_OK);
		assert_memory_equal(hcg, v->host_cryptogram.b, 8);
	}

	if (v->ea_cmd.present) {
		assert_int_equal(eum_scp03_external_authenticate(s, v->ea_cmd.b, v->ea_cmd.n), 0x9000);
		assert_int_equal(s->state, EUM_SCP03_STATE_AUTHENTICATED);
		assert_int_equal(s->sl, v->sl.b[0]);
		assert_int_equal(s->enc_counter, 0);
	}
}

static void run_step(struct eum_scp03_session *s, const struct sv_step *st, size_t i)
{
	uint8_t buf[SV_HEX_MAX + 32];
	size_t len = st->wrapped_cmd.n;

	print_message("  step %zu\n", i);
	memcpy(buf, st->wrapped_cmd.b, len);
	assert_int_equal(eum_scp03_unwrap(s, buf, &len), 0x9000);
	assert_int_equal(len, st->plain_cmd.n);
	assert_memory_equal(buf, st->plain_cmd.b, len);
	assert_int_equal(s->enc_counter, i + 1);
	if (!st->has_rsp)
		return;
	len = st->plain_rsp.n;
	memcpy(buf, st->plain_rsp.b, len);
	assert_int_equal(eum_scp03_wrap_response(s, buf, &len, sizeof(buf), st->sw), EUM_OK);
	assert_int_equal(len, st->wrapped_rsp.n);
	assert_memory_equal(buf, st->wrapped_rsp.b, len);
}

/* sessions[] and pysim_unit_test_vectors[]: keys, challenge, cryptograms, IU response, EA, every step. */
static void test_vector_sessions(void **state)
{
	const struct sv_data *d = *state;
	size_t pysim = 0;

	assert_true(d->n_sessions >= 13);
	for (size_t k = 0; k < d->n_sessions; k++) {
		const struct sv_session *v = &d->sessions[k];
		struct card_cfg c;
		struct eum_scp03_session s;

		pysim += v->pysim;
		open_session(v, &c, &s);
		assert_true(v->n_steps > 0);
		for (size_t i = 0; i < v->n_steps; i++)
			run_step(&s, &v->steps[i], i);
		eum_scp03_session_close(&s);
		assert_closed(&s);
	}
	assert_int_equal(pysim, 9);
}

/* negative[]: each case with its SW, and the session closed afterwards. */
static void test_negative(void **state)
{
	const struct sv_data *d = *state;

	assert_true(d->n_neg >= 3);
	for (size_t k = 0; k < d->n_neg; k++) {
		const struct sv_negative *n = &d->neg[k];
		const struct sv_session *v = sv_find(d, n->session);
		struct sv_session vv;
		struct card_cfg c;
		struct eum_scp03_session s;
		uint8_t buf[SV_HEX_MAX];
		size_t len = n->cmd.n;
		uint16_t sw;

		print_message("negative %s\n", n->name);
		assert_non_null(v);
		vv = *v;
		if (n->steps_before < 0)
			vv.ea_cmd.present = 0;
		open_session(&vv, &c, &s);
		for (int i = 0; i < n->steps_before; i++)
			run_step(&s, &v->steps[i], (size_t)i);
		memcpy(buf, n->cmd.b, len);
		if (n->steps_before < 0)
			sw = eum_scp03_external_authenticate(&s, buf, len);
		else
			sw = eum_scp03_unwrap(&s, buf, &len);
		assert_int_equal(sw, n->sw);
		assert_closed(&s);
		/* later wrapped commands fail too: even the genuine command is now refused */
		if (n->steps_before >= 0 && (size_t)n->steps_before < v->n_steps) {
			const struct sv_step *st = &v->steps[n->steps_before];

			len = st->wrapped_cmd.n;
			memcpy(buf, st->wrapped_cmd.b, len);
			assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x6982);
		} else {
			/* and the genuine EXTERNAL AUTHENTICATE cannot be played afterwards */
			assert_int_equal(eum_scp03_external_authenticate(&s, v->ea_cmd.b, v->ea_cmd.n), 0x6985);
		}
	}
}

/* Amd D §7.1.1: unknown KVN -> 6A88, no session, counter untouched; KVN 00 picks the first key set. */
static void test_kvn_selection(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL33_i70_S8");
	struct card_cfg c;
	struct eum_scp03_session s;
	uint8_t cmd[SV_HEX_MAX], rsp[64];
	size_t rsp_len = 7, idx = 99;
	int changed = 7;
	uint32_t seq;

	assert_non_null(v);
	open_session(v, &c, &s); /* leaves an open session that the failed IU must close */
	seq = c.ks[1].seq_counter;
	memcpy(cmd, v->iu_cmd.b, v->iu_cmd.n);
	cmd[2] = 0x31;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, cmd, v->iu_cmd.n, rsp, sizeof(rsp), &rsp_len,
	                                             &idx, &changed),
	                 0x6A88);
	assert_closed(&s);
	assert_int_equal(changed, 0);
	assert_int_equal(rsp_len, 0);
	assert_int_equal(c.ks[1].seq_counter, seq);

	/* KVN 00: the first available key set (slot 0, KVN 3F), whose counter moves from 0 to 1 */
	cmd[2] = 0x00;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, cmd, v->iu_cmd.n, rsp, sizeof(rsp), &rsp_len,
	                                             &idx, &changed),
	                 0x9000);
	assert_int_equal(idx, 0);
	assert_int_equal(changed, 1);
	assert_int_equal(rsp_len, 32);
	assert_int_equal(rsp[10], 0x3F);
	assert_int_equal(c.ks[0].seq_counter, 1);
	assert_memory_equal(rsp + 29, "\x00\x00\x01", 3);
	assert_int_equal(c.ks[1].seq_counter, seq);

	/* an empty slot is never "first available" */
	c.ks[0].key_len = 0;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, cmd, v->iu_cmd.n, rsp, sizeof(rsp), &rsp_len,
	                                             &idx, &changed),
	                 0x9000);
	assert_int_equal(idx, 1);
	assert_int_equal(rsp[10], v->kvn.b[0]);

	/* malformed INITIALIZE UPDATE */
	cmd[2] = v->kvn.b[0];
	cmd[3] = 0x01;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, cmd, v->iu_cmd.n, rsp, sizeof(rsp), &rsp_len,
	                                             &idx, &changed),
	                 0x6A86);
	assert_closed(&s);
	cmd[3] = 0x00;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, cmd, v->iu_cmd.n - 2, rsp, sizeof(rsp),
	                                             &rsp_len, &idx, &changed),
	                 0x6700);
	/* counter exhausted: refuse rather than wrap around */
	c.ks[1].seq_counter = EUM_SCP03_SEQ_MAX;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, cmd, v->iu_cmd.n, rsp, sizeof(rsp), &rsp_len,
	                                             &idx, &changed),
	                 0x6985);
	assert_int_equal(changed, 0);
	assert_int_equal(c.ks[1].seq_counter, EUM_SCP03_SEQ_MAX);
}

/* Amd D §7.1.2: a replayed EXTERNAL AUTHENTICATE is refused (6985) and ends the session. */
static void test_ext_auth_replay(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL03_i70_S8");
	struct card_cfg c;
	struct eum_scp03_session s;
	uint8_t buf[SV_HEX_MAX];
	size_t len;

	assert_non_null(v);
	open_session(v, &c, &s);
	assert_int_equal(eum_scp03_external_authenticate(&s, v->ea_cmd.b, v->ea_cmd.n), 0x6985);
	assert_closed(&s);
	/* nor without a session at all */
	assert_int_equal(eum_scp03_external_authenticate(&s, v->ea_cmd.b, v->ea_cmd.n), 0x6985);
	/* and a secured command is refused without a session */
	len = v->steps[0].wrapped_cmd.n;
	memcpy(buf, v->steps[0].wrapped_cmd.b, len);
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x6982);
}

/* Security levels with R bits need the i parameter to allow them. */
static void test_ext_auth_level_vs_i(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL33_i70_S8");
	struct sv_session vv;
	struct card_cfg c;
	struct eum_scp03_session s;
	uint8_t rsp[64];
	size_t rsp_len, idx;
	int changed;

	assert_non_null(v);
	vv = *v;
	vv.ea_cmd.present = 0;
	open_session(&vv, &c, &s);
	c.sd.i_param = 0x10; /* pseudo-random, no R-MAC */
	c.ks[1].seq_counter--;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, v->iu_cmd.b, v->iu_cmd.n, rsp, sizeof(rsp),
	                                             &rsp_len, &idx, &changed),
	                 0x9000);
	assert_int_equal(eum_scp03_external_authenticate(&s, v->ea_cmd.b, v->ea_cmd.n), 0x6A86);
	assert_closed(&s);
}

/* Commands that bypass or break the session's protection. */
static void test_unsecured_and_malformed(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL03_i70_S8");
	struct card_cfg c;
	struct eum_scp03_session s;
	uint8_t buf[SV_HEX_MAX];
	size_t len;

	assert_non_null(v);
	/* plain commands pass when no session is open */
	memset(&s, 0, sizeof(s));
	memcpy(buf, "\x80\xca\x00\x66\x00", 5);
	len = 5;
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x9000);
	assert_int_equal(len, 5);

	open_session(v, &c, &s);
	/* GET RESPONSE passes without MAC and without moving the counter */
	memcpy(buf, "\x00\xc0\x00\x00\x10", 5);
	len = 5;
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x9000);
	assert_int_equal(s.enc_counter, 0);
	assert_int_equal(s.state, EUM_SCP03_STATE_AUTHENTICATED);
	/* a plain command inside a C-MAC session ends it */
	memcpy(buf, v->steps[0].plain_cmd.b, v->steps[0].plain_cmd.n);
	len = v->steps[0].plain_cmd.n;
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x6982);
	assert_closed(&s);

	/* a wrapped command whose Lc does not match its length */
	open_session(v, &c, &s);
	len = v->steps[2].wrapped_cmd.n - 1;
	memcpy(buf, v->steps[2].wrapped_cmd.b, len);
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x6700);
	assert_closed(&s);

	/* a secured header without data (no room for a C-MAC) */
	open_session(v, &c, &s);
	memcpy(buf, "\x84\xf2\x20\x02", 4);
	len = 4;
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x6982);
	assert_closed(&s);

	/* after INITIALIZE UPDATE, any other command aborts the initiation */
	{
		struct sv_session vv = *v;

		vv.ea_cmd.present = 0;
		open_session(&vv, &c, &s);
		memcpy(buf, "\x80\xca\x00\x66\x00", 5);
		len = 5;
		assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x9000);
		assert_closed(&s);
	}
}

/* Amd D §6.2.4: the C-MAC is computed with the logical channel number zeroed, so the
 * vectors' commands verify unchanged on channel 3; the plain CLA keeps the channel. */
static void test_logical_channel(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL33_i70_S8");
	struct card_cfg c;
	struct eum_scp03_session s;
	uint8_t buf[SV_HEX_MAX];
	size_t len;

	assert_non_null(v);
	open_session(v, &c, &s);
	for (size_t i = 0; i < v->n_steps; i++) {
		const struct sv_step *st = &v->steps[i];

		len = st->wrapped_cmd.n;
		memcpy(buf, st->wrapped_cmd.b, len);
		buf[0] |= 0x03;
		assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x9000);
		assert_int_equal(len, st->plain_cmd.n);
		assert_int_equal(buf[0], st->plain_cmd.b[0] | 0x03);
		assert_memory_equal(buf + 1, st->plain_cmd.b + 1, len - 1);
		len = st->plain_rsp.n;
		memcpy(buf, st->plain_rsp.b, len);
		assert_int_equal(eum_scp03_wrap_response(&s, buf, &len, sizeof(buf), st->sw), EUM_OK);
		assert_memory_equal(buf, st->wrapped_rsp.b, st->wrapped_rsp.n);
	}
	eum_scp03_session_close(&s);
}

/* C-DECRYPTION padding must be exactly 80 00…; a MAC-valid command with bad padding is refused. */
static void test_bad_padding(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL03_i70_S8");
	struct card_cfg c;
	struct eum_scp03_session s, host;
	uint8_t buf[64], icv[16], mac[16];
	size_t len;

	assert_non_null(v);
	open_session(v, &c, &s);
	host = s; /* play the host with the same primitives */
	host.enc_counter = 1;
	/* one block whose last non-zero byte is 81, not 80 */
	memset(buf + 5, 0, 16);
	buf[5] = 0x3a;
	buf[5 + 15] = 0x81;
	assert_int_equal(eum_scp03_icv(&host, 0, icv), EUM_OK);
	assert_int_equal(eum_aes_cbc(1, host.s_enc, host.key_len, icv, buf + 5, 16, buf + 5), EUM_OK);
	memcpy(buf, "\x84\xe2\x88\x00\x18", 5);
	assert_int_equal(eum_scp03_cmac_chain(&host, buf, 5, buf + 5, 16, mac), EUM_OK);
	memcpy(buf + 21, mac, 8);
	len = 29;
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x6982);
	assert_closed(&s);

	/* the decrypt primitive itself: padding beyond the last block, all zeros, wrong length */
	s = host;
	{
		uint8_t blk[32] = {0};

		blk[0] = 0x80; /* 80 followed by 31 zeros: padding longer than a block */
		assert_int_equal(eum_scp03_icv(&s, 0, icv), EUM_OK);
		assert_int_equal(eum_aes_cbc(1, s.s_enc, s.key_len, icv, blk, 32, blk), EUM_OK);
		len = 32;
		assert_int_equal(eum_scp03_decrypt(&s, 0, blk, &len), EUM_ERR_PARSE);
		memset(blk, 0, 16);
		assert_int_equal(eum_aes_cbc(1, s.s_enc, s.key_len, icv, blk, 16, blk), EUM_OK);
		len = 16;
		assert_int_equal(eum_scp03_decrypt(&s, 0, blk, &len), EUM_ERR_PARSE);
		len = 15;
		assert_int_equal(eum_scp03_decrypt(&s, 0, blk, &len), EUM_ERR_PARSE);
		/* and a good one: full padding block after 16 data bytes */
		memset(blk, 0x11, 16);
		len = 16;
		assert_int_equal(eum_scp03_encrypt(&s, 1, blk, &len, sizeof(blk)), EUM_OK);
		assert_int_equal(len, 32);
		assert_int_equal(eum_scp03_decrypt(&s, 1, blk, &len), EUM_OK);
		assert_int_equal(len, 16);
		assert_true(blk[0] == 0x11 && blk[15] == 0x11);
	}
	eum_scp03_session_close(&s);
	eum_scp03_session_close(&host);
}

/* Responses: error SWs bare, warnings protected, not protected twice, capacity respected. */
static void test_wrap_response_rules(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL33_i70_S8");
	struct card_cfg c;
	struct eum_scp03_session s;
	uint8_t buf[64];
	size_t len;

	assert_non_null(v);
	open_session(v, &c, &s);
	run_step(&s, &v->steps[0], 0);
	/* a second wrap for the same command (e.g. after GET RESPONSE) changes nothing */
	len = 3;
	memcpy(buf, "\x01\x02\x03", 3);
	assert_int_equal(eum_scp03_wrap_response(&s, buf, &len, sizeof(buf), 0x9000), EUM_OK);
	assert_int_equal(len, 3);

	/* 63xx is a warning: R-ENC + R-MAC applied; a too small buffer changes nothing and may be retried */
	len = v->steps[1].wrapped_cmd.n;
	memcpy(buf, v->steps[1].wrapped_cmd.b, len);
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x9000);
	len = 3;
	memcpy(buf, "\x01\x02\x03", 3);
	assert_int_equal(eum_scp03_wrap_response(&s, buf, &len, 23, 0x63C1), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "\x01\x02\x03", 3);
	assert_int_equal(eum_scp03_wrap_response(&s, buf, &len, 24, 0x63C1), EUM_OK);
	assert_int_equal(len, 24);
	{
		/* check it with the primitives: R-MAC over ciphertext ‖ SW, then decrypt */
		uint8_t mac[16], copy[24];

		memcpy(copy, buf, 24);
		assert_int_equal(eum_scp03_rmac(&s, buf, 16, (const uint8_t *)"\x63\xc1", 2, mac), EUM_OK);
		assert_memory_equal(mac, buf + 16, 8);
		len = 16;
		assert_int_equal(eum_scp03_decrypt(&s, 1, buf, &len), EUM_OK);
		assert_int_equal(len, 3);
		assert_memory_equal(buf, "\x01\x02\x03", 3);
		/* spent: a second call for the same command leaves the data alone */
		len = 24;
		assert_int_equal(eum_scp03_wrap_response(&s, copy, &len, sizeof(copy), 0x9000), EUM_OK);
		assert_int_equal(len, 24);
	}

	/* an error SW goes out bare and also ends the pending response */
	len = v->steps[2].wrapped_cmd.n;
	memcpy(buf, v->steps[2].wrapped_cmd.b, len);
	assert_int_equal(eum_scp03_unwrap(&s, buf, &len), 0x9000);
	len = 3;
	memcpy(buf, "\x01\x02\x03", 3);
	assert_int_equal(eum_scp03_wrap_response(&s, buf, &len, sizeof(buf), 0x6A80), EUM_OK);
	assert_int_equal(len, 3);
	assert_int_equal(eum_scp03_wrap_response(&s, buf, &len, sizeof(buf), 0x9000), EUM_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "\x01\x02\x03", 3);
	assert_int_equal(s.state, EUM_SCP03_STATE_AUTHENTICATED);
	eum_scp03_session_close(&s);
}

/* scp03.md §5: asterix Test128 (values credited to J.M. Valade), i = 70. */
static void test_amd_d_example(void **state)
{
	static const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x00, 0x18, 0x43, 0x4D, 0x08,
	                              0x09, 0x0A, 0x0B, 0x0C, 0x00, 0x00, 0x00};
	struct sv_hex h;
	struct eum_scp03_keyset ks = {.kvn = 0x30, .key_len = 16, .seq_counter = 0x29};
	struct eum_scp03_sd sd = {.aid = aid, .aid_len = sizeof(aid), .i_param = 0x70};
	struct eum_scp03_session s = {0};
	uint8_t rsp[64], buf[64];
	size_t rsp_len, idx, len;
	int changed;

	(void)state;
	sv_parse_hex("404142434445464748494a4b4c4d4e4f", &h);
	memcpy(ks.key_enc, h.b, 16);
	sv_parse_hex("401122334445566748494a4b4c4d4e4f", &h);
	memcpy(ks.key_mac, h.b, 16);
	sv_parse_hex("9876543210404142434445464748494a", &h);
	memcpy(ks.key_dek, h.b, 16);
	sv_parse_hex("000050c7606a8cf64800", &h);
	memcpy(sd.div_data, h.b, 10);

	sv_parse_hex("80503000080807060504030201", &h);
	assert_int_equal(
	        eum_scp03_initialize_update(&s, &ks, 1, &sd, h.b, h.n, rsp, sizeof(rsp), &rsp_len, &idx, &changed),
	        0x9000);
	sv_parse_hex("000050c7606a8cf648003003"
	             "70"
	             "a3f5f144d19be66e"
	             "72bfcbdf4a14515f"
	             "00002a",
	             &h);
	assert_int_equal(rsp_len, h.n);
	assert_memory_equal(rsp, h.b, h.n);
	sv_parse_hex("852d207b7cc8c880231edfd5c644cfb1", &h);
	assert_memory_equal(s.s_enc, h.b, 16);
	sv_parse_hex("7131b9369f3d19850e6919cd3321523e", &h);
	assert_memory_equal(s.s_mac, h.b, 16);
	sv_parse_hex("b570aa1fde18f9179b5cbd42d8939d05", &h);
	assert_memory_equal(s.s_rmac, h.b, 16);

	sv_parse_hex("8482010010aeb8dad1865b85e249fc4cf184e61dcd", &h);
	assert_int_equal(eum_scp03_external_authenticate(&s, h.b, h.n), 0x9000);
	sv_parse_hex("49fc4cf184e61dcd4c3928e4c617fba3", &h);
	assert_memory_equal(s.mcv, h.b, 16);

	/* C-DEC example: the data field of the first command after EXTERNAL AUTHENTICATE (counter 1) */
	sv_parse_hex("80e60200150a45786572636973655236000006ef04c602068200", &h);
	assert_int_equal(h.n, 5 + 0x15);
	memcpy(buf, h.b + 5, 0x15);
	len = 0x15;
	s.enc_counter = 1;
	assert_int_equal(eum_scp03_encrypt(&s, 0, buf, &len, sizeof(buf)), EUM_OK);
	sv_parse_hex("df31907fc027482d5dcb7dc028245f7c108ca4d2aff12275079768e1efe9429e", &h);
	assert_int_equal(len, h.n);
	assert_memory_equal(buf, h.b, h.n);
	eum_scp03_session_close(&s);
	assert_closed(&s);
}

/* Random challenge mode (i without b5): the rng supplies the challenge, no counter in the response. */
static int fixed_rng(void *ctx, uint8_t *buf, size_t len)
{
	memset(buf, *(const uint8_t *)ctx, len);
	return 0;
}

static int failing_rng(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return -1;
}

static void test_random_challenge(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL01_i70_S8");
	struct card_cfg c;
	struct eum_scp03_session s = {0};
	uint8_t rsp[64], fill = 0x42, cg[8];
	size_t rsp_len, idx;
	int changed;
	uint32_t seq;

	assert_non_null(v);
	card_from_vector(v, &c);
	seq = c.ks[1].seq_counter;
	c.sd.i_param = 0x60;
	c.sd.rng = fixed_rng;
	c.sd.rng_ctx = &fill;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, v->iu_cmd.b, v->iu_cmd.n, rsp, sizeof(rsp),
	                                             &rsp_len, &idx, &changed),
	                 0x9000);
	assert_int_equal(rsp_len, 29);
	assert_int_equal(changed, 0);
	assert_int_equal(c.ks[1].seq_counter, seq);
	assert_int_equal(rsp[12], 0x60);
	assert_memory_equal(rsp + 13, "\x42\x42\x42\x42\x42\x42\x42\x42", 8);
	assert_int_equal(eum_scp03_derive_session(&s, &c.ks[1], cg, NULL), EUM_OK);
	assert_memory_equal(rsp + 21, cg, 8);

	c.sd.rng = failing_rng;
	assert_int_equal(eum_scp03_initialize_update(&s, c.ks, 2, &c.sd, v->iu_cmd.b, v->iu_cmd.n, rsp, sizeof(rsp),
	                                             &rsp_len, &idx, &changed),
	                 0x6F00);
	assert_closed(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_vector_sessions),     cmocka_unit_test(test_negative),
	        cmocka_unit_test(test_kvn_selection),       cmocka_unit_test(test_ext_auth_replay),
	        cmocka_unit_test(test_ext_auth_level_vs_i), cmocka_unit_test(test_unsecured_and_malformed),
	        cmocka_unit_test(test_bad_padding),         cmocka_unit_test(test_wrap_response_rules),
	        cmocka_unit_test(test_amd_d_example),       cmocka_unit_test(test_random_challenge),
	        cmocka_unit_test(test_logical_channel),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
