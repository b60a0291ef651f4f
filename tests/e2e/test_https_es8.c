/*
 * SGP.02 ES8 over HTTPS (digest scp81-https.md §5.2, §5.3; sgp02-euicc.md §8): one admin session opened by the
 * SM-SR's push carries CreateISDP (ES5, on the ISD-R), then the SM-DP's EstablishISDPKeySet and the SCP03t
 * download of a TS.48 Profile Package to the new ISD-P named by X-Admin-Targeted-Application, in segments as
 * large as an HTTP body allows (here 1536 bytes, four per script: ~6 KB bodies instead of the ~1 KB an SMS
 * packet carries). The card is driven only through APDUs (modem with BIP, libeum-host bip.h; SM-SR HTTPS
 * server, https.h; SM-DP scripts, smdp.h's HTTPS helpers). The installed profile is then read by the modem
 * (EF.ICCID) as in test_es8_download.c.
 */
#define _POSIX_C_SOURCE 200809L

#include "es8_e2e.h"
#include "https_e2e.h"

#include "core/card.h"
#include "eum/host/smdp.h"
#include "gp/gp.h"

#define SEG      1536
#define SEGS_MAX 4

static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
static const uint8_t aid20[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                  0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x20, 0x00};

static uint8_t der[32768];

static uint64_t host_rng_state = 0x0123456789ABCDEFull;

/* The SM-SR/SM-DP side of the session. */
struct dl {
	struct https *h;
	struct https_srv *v;
	uint16_t sw;       /* the modem's last SW, to go on with */
	size_t seen;       /* reports read so far */
	unsigned scripts;  /* scripts queued */
	size_t body_bytes; /* bytes of the scripts queued */
};

/* Queue a script for target (NULL: the ISD-R) and run until the card's report of it arrived; returns it. */
static const struct eum_host_https_report *exchange(struct dl *d, const uint8_t *script, size_t n,
                                                    const uint8_t *target)
{
	const struct eum_host_https_report *r;
	unsigned id = 0;

	assert_int_equal(eum_host_https_queue(d->v->s, script, n, target, target ? 16 : 0, 0, &id), EUM_OK);
	d->scripts++;
	d->body_bytes += n;
	d->sw = https_pump_until(d->h, d->sw, &d->v->n_rep, d->seen + 1);
	d->sw = https_pump(d->h, d->sw);
	assert_true(d->v->n_rep > d->seen);
	r = &d->v->rep[d->seen++];
	assert_int_equal(r->script_id, id);
	assert_int_equal(r->status, EUM_HOST_HTTPS_STATUS_OK);
	return r;
}

static void test_es8_download_over_https(void **state)
{
	static const uint8_t hc[8] = {0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8};
	static uint8_t script[EUM_HOST_HTTPS_SCRIPT_MAX], resp[1024], cert[1024];
	static eum_host_scp03t after[SEGS_MAX];
	struct dl d;
	const struct eum_host_https_report *r;
	eum_host_af_item it;
	eum_host_smdp_crt crt;
	eum_host_smdp_keys keys;
	eum_host_scp03t t;
	eum_host_euicc_response er;
	uint8_t trig[128], apdu[128], rc[16], esk[32], epk[65], sk_dp[32], pk_ecasd[65], d3[400];
	size_t n, tn, cert_len, rl, dn, len, off = 0, k, rlen = 0, cnt, segs = 0;
	int final = 0, slot;
	const struct eum_isdp *p;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.h = https_new();
	d.v = https_srv_new(d.h, NULL);
	cert_len = es8_file("pki/p256/smdp.cert", cert, sizeof(cert));
	assert_int_equal(es8_hexfile("p256", "smdp.sk.hex", sk_dp, 32), 32);
	assert_int_equal(es8_hexfile("p256", "ecasd.pk.hex", pk_ecasd, 65), 65);
	eum_host_smdp_crt_default(&crt);
	len = es8_file("ts48/TS48V1-A-UNIQUE.der", der, sizeof(der));

	/* the SM-SR's push; the card POSTs, the server holds its answer until a script is queued */
	tn = https_trigger(trig, sizeof(trig), 0);
	assert_int_equal(https_terminal_profile(d.h, 1), 0x9000);
	d.sw = https_pump(d.h, https_push(d.h, trig, tn));
	assert_int_equal(d.v->n_rep, 1);
	d.seen = 1;

	/* ES5 CreateISDP on the ISD-R */
	assert_int_equal(eum_host_smsr_create_isdp(tar20, 0, apdu, sizeof(apdu), &n), EUM_OK);
	script[0] = 0xAE;
	script[1] = 0x80;
	script[2] = 0x22;
	script[3] = (uint8_t)n;
	memcpy(script + 4, apdu, n);
	script[4 + n] = script[5 + n] = 0;
	r = exchange(&d, script, n + 6, NULL);
	assert_int_equal(eum_host_af_get(r->body, r->body_len, 0, &it), EUM_OK);
	assert_int_equal(it.sw, 0x9000);

	/* EstablishISDPKeySet, both steps on the ISD-P named by X-Admin-Targeted-Application */
	assert_int_equal(eum_host_smdp_https_keyest1(cert, cert_len, script, sizeof(script), &n), EUM_OK);
	r = exchange(&d, script, n, aid20);
	assert_int_equal(eum_host_af_get(r->body, r->body_len, 0, &it), EUM_OK);
	assert_int_equal(it.tag, 0x23);
	assert_int_equal(it.sw, 0x9000);
	assert_int_equal(eum_host_smdp_parse_rc(it.val, it.val_len - 2, rc, sizeof(rc), &rl), EUM_OK);
	assert_int_equal(rl, 16);
	assert_int_equal(eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &host_rng_state, esk, epk), EUM_OK);
	assert_int_equal(eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, sk_dp, &crt, epk, 0, rc, 16, es8_rng,
	                                          &host_rng_state, d3, sizeof(d3), &dn),
	                 EUM_OK);
	assert_int_equal(eum_host_smdp_https_keyest2(d3, dn, script, sizeof(script), &n), EUM_OK);
	r = exchange(&d, script, n, aid20);
	assert_int_equal(eum_host_af_get(r->body, r->body_len, 0, &it), EUM_OK);
	assert_int_equal(it.sw, 0x9000);
	assert_int_equal(eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, pk_ecasd, &crt, NULL, 0,
	                                      EUM_HOST_SMDP_RECEIPT_CMAC, es8_rng, &host_rng_state, it.val,
	                                      it.val_len - 2, &keys),
	                 EUM_OK);
	memset(esk, 0, sizeof(esk));

	/* SCP03t: 84 + 85 (predicted card challenge) in one script */
	assert_int_equal(eum_host_scp03t_init(&t, crt.kvn, 0x00, keys.key[0], keys.key[1], 16), EUM_OK);
	assert_int_equal(eum_host_smdp_https_scp03t_open(&t, hc, aid20, 16, 1, script, sizeof(script), &n), EUM_OK);
	r = exchange(&d, script, n, aid20);
	assert_int_equal(eum_host_af_count(r->body, r->body_len, &cnt), EUM_OK);
	assert_int_equal(cnt, 2);
	assert_int_equal(eum_host_af_get(r->body, r->body_len, 0, &it), EUM_OK);
	assert_int_equal(eum_host_scp03t_check_84(&t, it.tlv, it.tlv_len, aid20, 16), EUM_OK);
	assert_int_equal(eum_host_af_get(r->body, r->body_len, 1, &it), EUM_OK);
	assert_int_equal(it.tag, 0x85);
	assert_int_equal(it.val_len, 0);

	/* the Profile Package in 1536-byte segments, four per HTTP body */
	while (off < len && !final) {
		assert_int_equal(eum_host_smdp_https_segments(&t, der, len, SEG, SEGS_MAX, &off, after, script,
		                                              sizeof(script), &n, &k),
		                 EUM_OK);
		assert_true(n > 1024); /* more than one SMS packet could carry */
		segs += k;
		r = exchange(&d, script, n, aid20);
		assert_int_equal(eum_host_smdp_https_check_segments(after, k, r->body, r->body_len, resp, sizeof(resp),
		                                                    &rlen, &final),
		                 EUM_OK);
	}
	assert_true(final);
	assert_int_equal(segs, (len + SEG - 1) / SEG);
	assert_int_equal(eum_host_euicc_response_decode(resp, rlen, &er), EUM_OK);
	assert_true(eum_host_euicc_response_ok(&er));

	/* the end of the session */
	assert_int_equal(eum_host_https_finish(d.v->s), EUM_OK);
	d.sw = https_pump(d.h, d.sw);
	assert_int_equal(eum_host_https_state(d.v->s), EUM_HOST_HTTPS_DONE);
	assert_null(d.h->e->card->scp81);
	assert_int_equal(d.h->n_open, 1);
	assert_int_equal(d.h->n_close, 1);

	/* the ISD-P holds the profile, DISABLED, with its keys (as after the SMS download) */
	slot = eum_isdp_find(d.h->e->card, aid20, 16);
	assert_true(slot >= 0);
	p = d.h->e->card->ps->isdp[slot];
	assert_int_equal(p->lcs, EUM_ISDP_DISABLED);
	assert_int_equal(p->has_profile, 1);
	assert_int_equal(p->scp03[0].kvn, 0x30);
	assert_true(p->prof.fs.n > 0);
	assert_true(https_logged(d.h, "SCP81: session ended: "));
	/* enabled (life-cycle table, as test_es8_download.c), the modem reads EF.ICCID of the new profile */
	{
		static char json[100000];
		struct eum_card *c = d.h->e->card;
		uint8_t want[10], got[16];
		const char *q;
		size_t jn = es8_file("ts48/TS48V1-A-UNIQUE.json", (uint8_t *)json, sizeof(json) - 1), gl = 0;
		int i;
		json[jn] = 0;
		q = strstr(json, "\"ef_iccid_content\": \"");
		assert_non_null(q);
		q += strlen("\"ef_iccid_content\": \"");
		for (i = 0; i < 10; i++) {
			unsigned b;
			assert_int_equal(sscanf(q + 2 * i, "%2x", &b), 1);
			want[i] = (uint8_t)b;
		}
		for (i = 0; i < EUM_MAX_ISDP; i++)
			if (c->ps->isdp[i]->in_use && c->ps->isdp[i]->lcs == EUM_ISDP_ENABLED)
				assert_int_equal(eum_isdp_transition(c, i, EUM_ISDP_EV_DISABLE), EUM_OK);
		assert_int_equal(eum_isdp_transition(c, slot, EUM_ISDP_EV_ENABLE), EUM_OK);
		eum_card_sync_enabled(c);
		assert_int_equal(eum_card_reset(c, 1, NULL, 0, NULL), EUM_OK);
		assert_int_equal(es5_hex(d.h->e, "00A40004022FE2", NULL, NULL), 0x9000);
		assert_int_equal(es5_hex(d.h->e, "00B000000A", got, &gl), 0x9000);
		assert_int_equal(gl, 10);
		assert_memory_equal(got, want, 10);
	}
	print_message("ES8 over HTTPS: %zu-byte package, %u scripts (%zu bytes), %u APDUs, %u SEND DATA, %u events\n",
	              len, d.scripts, d.body_bytes, d.h->n_apdus, d.h->n_send, d.h->n_events);

	eum_host_scp03t_free(&t);
	for (k = 0; k < SEGS_MAX; k++)
		eum_host_scp03t_free(&after[k]);
	eum_host_smdp_keys_wipe(&keys);
	https_srv_free(d.v);
	https_free(d.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_es8_download_over_https),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
