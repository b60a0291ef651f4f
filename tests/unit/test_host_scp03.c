/*
 * libeum-host SCP03 (GlobalPlatform Amd D): must reproduce the independent
 * vectors in tests/data/scp03/ byte for byte (INITIALIZE UPDATE, EXTERNAL
 * AUTHENTICATE, every wrapped command, every unwrapped response), reject
 * forged card answers, and interoperate with the card's src/gp/scp03.c at
 * every security level, key length and on several logical channels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "eum/host/scp03.h"
#include "gp/scp03.h"
#include "scp03_vectors.h"

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

static void host_open(const struct sv_session *v, eum_host_scp03 *h)
{
	uint8_t apdu[64];
	size_t n = 0;

	print_message("session %s\n", v->name);
	eum_host_scp03_init(h);
	assert_int_equal(
	        eum_host_scp03_set_keys(h, v->kvn.b[0], v->key_enc.b, v->key_mac.b, v->key_dek.b, v->key_enc.n),
	        EUM_OK);
	assert_int_equal(eum_host_scp03_set_sd_aid(h, v->sd_aid.b, v->sd_aid.n), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(h, 0, v->host_challenge.b, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(n, v->iu_cmd.n);
	assert_memory_equal(apdu, v->iu_cmd.b, n);
	assert_int_equal(eum_host_scp03_check_init_update_response(h, v->iu_rsp.b, v->iu_rsp.n), EUM_OK);
	assert_memory_equal(h->s_enc, v->s_enc.b, v->s_enc.n);
	assert_memory_equal(h->s_mac, v->s_mac.b, v->s_mac.n);
	assert_memory_equal(h->s_rmac, v->s_rmac.b, v->s_rmac.n);
	assert_memory_equal(h->host_cryptogram, v->host_cryptogram.b, 8);
	assert_int_equal(h->seq_counter, sv_u(&v->sequence_counter));
	assert_int_equal(eum_host_scp03_external_authenticate(h, v->sl.b[0], apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(n, v->ea_cmd.n);
	assert_memory_equal(apdu, v->ea_cmd.b, n);
}

/* Every session of the vectors, every step, byte for byte. */
static void test_host_vectors(void **state)
{
	const struct sv_data *d = *state;

	for (size_t k = 0; k < d->n_sessions; k++) {
		const struct sv_session *v = &d->sessions[k];
		eum_host_scp03 h;

		host_open(v, &h);
		for (size_t i = 0; i < v->n_steps; i++) {
			const struct sv_step *st = &v->steps[i];
			uint8_t out[SV_HEX_MAX + 32], in[SV_HEX_MAX + 2];
			size_t n = 0;

			print_message("  step %zu\n", i);
			assert_int_equal(
			        eum_host_scp03_wrap_command(&h, st->plain_cmd.b, st->plain_cmd.n, out, sizeof(out), &n),
			        EUM_OK);
			assert_int_equal(n, st->wrapped_cmd.n);
			assert_memory_equal(out, st->wrapped_cmd.b, n);
			if (!st->has_rsp)
				continue;
			memcpy(in, st->wrapped_rsp.b, st->wrapped_rsp.n);
			in[st->wrapped_rsp.n] = (uint8_t)(st->sw >> 8);
			in[st->wrapped_rsp.n + 1] = (uint8_t)st->sw;
			assert_int_equal(
			        eum_host_scp03_unwrap_response(&h, in, st->wrapped_rsp.n + 2, out, sizeof(out), &n),
			        EUM_OK);
			assert_int_equal(n, st->plain_rsp.n + 2);
			assert_memory_equal(out, st->plain_rsp.b, st->plain_rsp.n);
			assert_int_equal(out[n - 2] << 8 | out[n - 1], st->sw);
		}
		eum_host_scp03_free(&h);
	}
}

/* Forged or malformed card answers are refused. */
static void test_host_rejects(void **state)
{
	const struct sv_data *d = *state;
	const struct sv_session *v = sv_find(d, "AES128_SL33_i70_S8");
	eum_host_scp03 h;
	uint8_t apdu[64], rsp[64], out[64];
	size_t n;

	assert_non_null(v);
	if (!v)
		return;
	eum_host_scp03_init(&h);
	/* out of order */
	assert_int_equal(eum_host_scp03_initialize_update(&h, 0, v->host_challenge.b, apdu, sizeof(apdu), &n),
	                 EUM_ERR_STATE);
	assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, v->key_enc.b, v->key_mac.b, NULL, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x01, apdu, sizeof(apdu), &n), EUM_ERR_STATE);
	assert_int_equal(eum_host_scp03_set_sd_aid(&h, v->sd_aid.b, v->sd_aid.n), EUM_OK);

	struct {
		size_t off;
		uint8_t xor_;
		size_t len_delta;
		int rc;
	} cases[] = {
	        {21, 0x01, 0, EUM_ERR_CRYPTO}, /* card cryptogram */
	        {13, 0x01, 0, EUM_ERR_CRYPTO}, /* card challenge no longer the pseudo-random one */
	        {31, 0x01, 0, EUM_ERR_CRYPTO}, /* sequence counter: challenge check fails */
	        {11, 0x01, 0, EUM_ERR_PARSE},  /* SCP id 02 */
	        {10, 0x01, 0, EUM_ERR_PARSE},  /* another KVN than asked for */
	        {12, 0x10, 0, EUM_ERR_PARSE},  /* i says random challenge but a counter is present */
	        {0, 0x00, 1, EUM_ERR_PARSE},   /* one byte short */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %zu\n", i);
		assert_int_equal(eum_host_scp03_initialize_update(&h, 0, v->host_challenge.b, apdu, sizeof(apdu), &n),
		                 EUM_OK);
		memcpy(rsp, v->iu_rsp.b, v->iu_rsp.n);
		rsp[cases[i].off] ^= cases[i].xor_;
		assert_int_equal(eum_host_scp03_check_init_update_response(&h, rsp, v->iu_rsp.n - cases[i].len_delta),
		                 cases[i].rc);
		assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x01, apdu, sizeof(apdu), &n), EUM_ERR_STATE);
	}

	/* the genuine answer, then a level the card's i does not allow */
	assert_int_equal(eum_host_scp03_initialize_update(&h, 0, v->host_challenge.b, apdu, sizeof(apdu), &n), EUM_OK);
	memcpy(rsp, v->iu_rsp.b, v->iu_rsp.n);
	rsp[12] = 0x10; /* the card's i would lack R-MAC; cryptogram does not cover i */
	assert_int_equal(eum_host_scp03_check_init_update_response(&h, rsp, v->iu_rsp.n), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x33, apdu, sizeof(apdu), &n), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x02, apdu, sizeof(apdu), &n), EUM_ERR_INVALID_ARG);

	/* a tampered R-MAC and a tampered R-ENC ciphertext */
	for (int what = 0; what < 2; what++) {
		const struct sv_step *st = &v->steps[1];

		host_open(v, &h);
		assert_int_equal(
		        eum_host_scp03_wrap_command(&h, st->plain_cmd.b, st->plain_cmd.n, out, sizeof(out), &n),
		        EUM_OK);
		memcpy(rsp, st->wrapped_rsp.b, st->wrapped_rsp.n);
		rsp[what ? 0 : st->wrapped_rsp.n - 1] ^= 0x01;
		rsp[st->wrapped_rsp.n] = 0x90;
		rsp[st->wrapped_rsp.n + 1] = 0x00;
		assert_int_equal(eum_host_scp03_unwrap_response(&h, rsp, st->wrapped_rsp.n + 2, out, sizeof(out), &n),
		                 EUM_ERR_CRYPTO);
	}
	/* a protected response too short to hold an R-MAC */
	host_open(v, &h);
	assert_int_equal(
	        eum_host_scp03_wrap_command(&h, v->steps[0].plain_cmd.b, v->steps[0].plain_cmd.n, out, sizeof(out), &n),
	        EUM_OK);
	assert_int_equal(
	        eum_host_scp03_unwrap_response(&h, (const uint8_t *)"\x01\x02\x90\x00", 4, out, sizeof(out), &n),
	        EUM_ERR_PARSE);
	/* an error SW passes as received */
	assert_int_equal(
	        eum_host_scp03_wrap_command(&h, v->steps[0].plain_cmd.b, v->steps[0].plain_cmd.n, out, sizeof(out), &n),
	        EUM_OK);
	assert_int_equal(eum_host_scp03_unwrap_response(&h, (const uint8_t *)"\x6a\x88", 2, out, sizeof(out), &n),
	                 EUM_OK);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "\x6a\x88", 2);
	/* a plain command that already carries the SM bit, and an APDU whose Lc lies */
	assert_int_equal(eum_host_scp03_wrap_command(&h, (const uint8_t *)"\x84\xf2\x20\x02", 4, out, sizeof(out), &n),
	                 EUM_ERR_INVALID_ARG);
	assert_int_equal(
	        eum_host_scp03_wrap_command(&h, (const uint8_t *)"\x80\xe2\x88\x00\x05\x01", 6, out, sizeof(out), &n),
	        EUM_ERR_INVALID_ARG);
	eum_host_scp03_free(&h);
}

/* ---- host <-> card round trip ------------------------------------------- */

static int counter_rng(void *ctx, uint8_t *buf, size_t len)
{
	uint8_t *c = ctx;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(++*c * 37u);
	return 0;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7u);
}

/* One secured exchange: host wraps, card unwraps (must equal the plain command), card wraps, host unwraps. */
static void exchange(eum_host_scp03 *h, struct eum_scp03_session *s, const uint8_t *plain, size_t plen, size_t rsp_len,
                     uint16_t sw)
{
	uint8_t wire[300], rsp[300], back[300];
	size_t n, rn, bn;

	assert_int_equal(eum_host_scp03_wrap_command(h, plain, plen, wire, sizeof(wire), &n), EUM_OK);
	if (h->sl & EUM_HOST_SCP03_SL_CMAC)
		assert_true(n > plen); /* protection really applied */
	assert_int_equal(eum_scp03_unwrap(s, wire, &n), 0x9000);
	/* the callers here always send Le = 00, which the host keeps */
	assert_int_equal(n, plen);
	assert_memory_equal(wire, plain, plen);
	fill(rsp, rsp_len, (uint8_t)plen);
	rn = rsp_len;
	assert_int_equal(eum_scp03_wrap_response(s, rsp, &rn, sizeof(rsp) - 2, sw), EUM_OK);
	if ((h->sl & EUM_HOST_SCP03_SL_RMAC) && (sw == 0x9000 || (sw >> 8) == 0x62 || (sw >> 8) == 0x63))
		assert_true(rn >= rsp_len + 8);
	rsp[rn++] = (uint8_t)(sw >> 8);
	rsp[rn++] = (uint8_t)sw;
	assert_int_equal(eum_host_scp03_unwrap_response(h, rsp, rn, back, sizeof(back), &bn), EUM_OK);
	fill(rsp, rsp_len, (uint8_t)plen);
	if (sw == 0x9000 || (sw >> 8) == 0x62 || (sw >> 8) == 0x63) {
		assert_int_equal(bn, rsp_len + 2);
		assert_memory_equal(back, rsp, rsp_len);
	}
	assert_int_equal(back[bn - 2] << 8 | back[bn - 1], sw);
}

static void test_round_trip(void **state)
{
	static const uint8_t levels[] = {0x00, 0x01, 0x03, 0x11, 0x13, 0x33};
	static const uint8_t key_lens[] = {16, 24, 32};
	static const uint8_t channels[] = {0, 2, 7};
	static const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                              0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	static const size_t data_lens[] = {0, 1, 15, 16, 17, 100, 231};
	uint8_t rngc = 0;

	(void)state;
	for (size_t kl = 0; kl < sizeof(key_lens); kl++)
		for (size_t li = 0; li < sizeof(levels); li++)
			for (size_t ci = 0; ci < sizeof(channels); ci++)
				for (int pseudo = 0; pseudo < 2; pseudo++) {
					struct eum_scp03_keyset ks = {.kvn = 0x31, .key_len = key_lens[kl]};
					struct eum_scp03_sd sd = {.aid = aid,
					                          .aid_len = sizeof(aid),
					                          .i_param = pseudo ? 0x70 : 0x60,
					                          .rng = counter_rng,
					                          .rng_ctx = &rngc};
					struct eum_scp03_session s = {0};
					eum_host_scp03 h;
					uint8_t apdu[300], rsp[64], hc[8];
					size_t n, rn, idx;
					int changed;

					print_message("key %u level %02x channel %u pseudo %d\n", key_lens[kl],
					              levels[li], channels[ci], pseudo);
					fill(ks.key_enc, ks.key_len, 1);
					fill(ks.key_mac, ks.key_len, 2);
					fill(ks.key_dek, ks.key_len, 3);
					ks.seq_counter = 0x41;
					fill(hc, 8, (uint8_t)(li * 16 + ci));

					eum_host_scp03_init(&h);
					assert_int_equal(eum_host_scp03_set_keys(&h, 0, ks.key_enc, ks.key_mac,
					                                         ks.key_dek, ks.key_len),
					                 EUM_OK);
					assert_int_equal(eum_host_scp03_set_sd_aid(&h, aid, sizeof(aid)), EUM_OK);
					assert_int_equal(eum_host_scp03_initialize_update(&h, channels[ci], hc, apdu,
					                                                  sizeof(apdu), &n),
					                 EUM_OK);
					assert_int_equal(eum_scp03_initialize_update(&s, &ks, 1, &sd, apdu, n, rsp,
					                                             sizeof(rsp), &rn, &idx, &changed),
					                 0x9000);
					assert_int_equal(changed, pseudo);
					assert_int_equal(eum_host_scp03_check_init_update_response(&h, rsp, rn),
					                 EUM_OK);
					assert_int_equal(h.kvn_used, 0x31);
					assert_int_equal(eum_host_scp03_external_authenticate(&h, levels[li], apdu,
					                                                      sizeof(apdu), &n),
					                 EUM_OK);
					assert_int_equal(eum_scp03_external_authenticate(&s, apdu, n), 0x9000);
					assert_int_equal(s.sl, levels[li]);

					for (size_t di = 0; di < sizeof(data_lens) / sizeof(data_lens[0]); di++) {
						uint8_t cmd[300];
						size_t dl = data_lens[di];
						uint8_t cla = channels[ci] < 4 ? (uint8_t)(0x80 | channels[ci])
						                               : (uint8_t)(0xC0 | (channels[ci] - 4));

						cmd[0] = cla;
						cmd[1] = 0xE2;
						cmd[2] = (uint8_t)di;
						cmd[3] = 0x00;
						if (dl == 0) {
							exchange(&h, &s, cmd, 4, 0, 0x9000); /* case 1 */
							cmd[4] = 0x00;
							exchange(&h, &s, cmd, 5, 200, 0x9000); /* case 2 */
							continue;
						}
						cmd[4] = (uint8_t)dl;
						fill(cmd + 5, dl, (uint8_t)di);
						exchange(&h, &s, cmd, 5 + dl, 0, 0x9000); /* case 3 */
						cmd[5 + dl] = 0x00;
						exchange(&h, &s, cmd, 6 + dl, dl % 33, 0x6310); /* case 4, warning */
						exchange(&h, &s, cmd, 6 + dl, 0, 0x6A80);       /* error SW, bare */
					}
					assert_int_equal(s.state, EUM_SCP03_STATE_AUTHENTICATED);
					if (levels[li] & 0x01)
						assert_int_equal(s.enc_counter, h.counter);
					eum_scp03_session_close(&s);
					eum_host_scp03_free(&h);
				}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_host_vectors),
	        cmocka_unit_test(test_host_rejects),
	        cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
