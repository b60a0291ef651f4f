/*
 * Key scrub (issue 16 point 4, in the style of onomondo-uicc's memory checks): after a full
 * provisioning through APDUs — ES5 CreateISDP, ES8 key establishment (INSTALL [for personalization]
 * + 3A01 to the ISD-P, 3A02), SCP03t download of a TS.48 package, ES5 EnableProfile — and an AKA
 * AUTHENTICATE, eum_card_free() leaves no copy of any key in memory the card allocated.
 *
 * How: this program is linked with -Wl,--wrap=malloc,calloc,realloc,free (tests/CMakeLists.txt), so
 * every allocation of libeum's code (and of this test) goes through the wrappers below, which record
 * each live block and, when it is freed, search it for the key byte strings before releasing it. Blocks
 * still live at the end are searched too. mbedTLS is a shared library: its own allocations are not
 * seen (it zeroises its bignums itself). Keys are searched whole (every key is 8 bytes or more; a
 * partial match would flag unrelated data).
 *
 * The secrets are those the test knows from the host side (ISD-P key set, SCP03t session keys, the
 * CK/IK of the AUTHENTICATE) and those read from the card's own state before it is freed (ECASD
 * private key, ISD-R SCP80 keys and SCP81 PSKs, every profile's K/OPc, OTA and MNO-SD keys, ISD-P SCP03 keys).
 * The same run's debug log must not contain any of them, in hex or raw.
 *
 * Also (issue 16 "secrets linger"): right after AUTHENTICATE and its GET RESPONSE, no copy of CK or IK
 * is left in the card object (scratch and response buffers).
 */
#include "es8_e2e.h"
#include "https_e2e.h"

#include "core/card.h"
#include "eum/host/aka.h"
#include "gp/gp.h"

/* ---- the allocator wrappers ------------------------------------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

#define SLOTS (1u << 20) /* open addressing, linear probing */
static struct {
	void *p; /* NULL empty, TOMB deleted */
	size_t n;
} slots[SLOTS];
static char tomb;
#define TOMB ((void *)&tomb)

#define MAX_SECRETS 160
static struct {
	uint8_t v[32];
	size_t n;
	char what[48];
} secrets[MAX_SECRETS];
static size_t n_secrets;
static int tracking;        /* record and scan only while a card lives */
static unsigned hits;       /* secrets found in released or live memory */
static char first_hit[128]; /* for the failure message */
static size_t n_scanned, bytes_scanned;

static size_t slot_of(const void *p)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 40) & (SLOTS - 1);
}

static void remember(void *p, size_t n)
{
	size_t i = slot_of(p);

	if (!p || !tracking)
		return;
	while (slots[i].p && slots[i].p != TOMB && slots[i].p != p)
		i = (i + 1) & (SLOTS - 1);
	slots[i].p = p;
	slots[i].n = n;
}

/* The recorded size of p (and forget it), or 0 when it is not ours. */
static size_t forget(void *p)
{
	size_t i = slot_of(p), n;

	if (!p)
		return 0;
	while (slots[i].p) {
		if (slots[i].p == p) {
			n = slots[i].n;
			slots[i].p = TOMB;
			return n;
		}
		i = (i + 1) & (SLOTS - 1);
	}
	return 0;
}

static int contains(const uint8_t *b, size_t n, const uint8_t *k, size_t kn)
{
	size_t i;

	for (i = 0; i + kn <= n; i++)
		if (b[i] == k[0] && memcmp(b + i, k, kn) == 0)
			return 1;
	return 0;
}

static void scan(const void *p, size_t n, const char *where)
{
	size_t k;

	n_scanned++;
	bytes_scanned += n;
	for (k = 0; k < n_secrets; k++)
		if (contains(p, n, secrets[k].v, secrets[k].n)) {
			if (!hits++)
				snprintf(first_hit, sizeof(first_hit), "%s in a %s block of %zu bytes", secrets[k].what,
				         where, n);
		}
}

void *__wrap_malloc(size_t n)
{
	void *p = __real_malloc(n);
	remember(p, n);
	return p;
}

void *__wrap_calloc(size_t n, size_t m)
{
	void *p = __real_calloc(n, m);
	remember(p, n * m);
	return p;
}

void __wrap_free(void *p)
{
	size_t n = forget(p);

	if (n)
		scan(p, n, "freed");
	__real_free(p);
}

void *__wrap_realloc(void *p, size_t n)
{
	size_t old = forget(p);
	void *q;

	if (old)
		scan(p, old, "reallocated");
	q = __real_realloc(p, n);
	if (q)
		remember(q, n);
	else if (p && old)
		remember(p, old);
	return q;
}

static void scan_live(void)
{
	size_t i;

	for (i = 0; i < SLOTS; i++)
		if (slots[i].p && slots[i].p != TOMB)
			scan(slots[i].p, slots[i].n, "leaked");
}

/* A secret to look for; all-zero or too short values are skipped (they are everywhere). */
static void secret(const uint8_t *v, size_t n, const char *what, unsigned idx)
{
	size_t i, nz = 0;

	for (i = 0; i < n; i++)
		nz += v[i] != 0;
	if (n < 8 || nz < 4 || n_secrets == MAX_SECRETS)
		return;
	for (i = 0; i < n_secrets; i++)
		if (secrets[i].n == n && !memcmp(secrets[i].v, v, n))
			return;
	memcpy(secrets[n_secrets].v, v, n);
	secrets[n_secrets].n = n;
	snprintf(secrets[n_secrets].what, sizeof(secrets[n_secrets].what), "%s %u", what, idx);
	n_secrets++;
}

/* ---- the log ---------------------------------------------------------------------------------------- */

static char logbuf[1 << 20];
static size_t loglen;

static void capture(void *ctx, eum_log_level level, const char *msg)
{
	size_t n = strlen(msg);

	(void)ctx;
	(void)level;
	if (loglen + n + 1 < sizeof(logbuf)) {
		memcpy(logbuf + loglen, msg, n);
		loglen += n;
		logbuf[loglen++] = '\n';
	}
}

static int log_has(const uint8_t *k, size_t n)
{
	char up[65], lo[65];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(up + 2 * i, 3, "%02X", k[i]);
		snprintf(lo + 2 * i, 3, "%02x", k[i]);
	}
	return contains((const uint8_t *)logbuf, loglen, (const uint8_t *)up, 2 * n) ||
	       contains((const uint8_t *)logbuf, loglen, (const uint8_t *)lo, 2 * n) ||
	       contains((const uint8_t *)logbuf, loglen, k, n);
}

/* ---- the card ------------------------------------------------------------------------------------- */

static const uint8_t tar20[3] = {0x00, 0x00, 0x20};
static uint8_t der[32768];

/* es8_init() with the debug log captured. */
static void init_logged(struct es8 *x)
{
	eum_config cfg;

	eum_config_init(&cfg);
	cfg.log = capture;
	cfg.log_level = EUM_LOG_DEBUG;
	es8_init_cfg(x, 1767225600ull, &cfg);
}

/* VERIFY PIN1 1234 and a Milenage AUTHENTICATE (3G context) with the bootstrap profile's K and OP
 * (examples/profiles/bootstrap.conf); CK and IK of the answer in ck/ik. */
static void authenticate(eum_card *card, uint8_t ck[16], uint8_t ik[16])
{
	static const uint8_t k[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	                              0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
	static const uint8_t op[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	                               0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
	static const uint8_t amf[2] = {0x80, 0x00};
	uint8_t rand[16], sqn[6] = {0, 0, 0, 0, 0, (2 << 5) | 3}, c[40], out[300];
	struct eum_host_aka_key key;
	struct eum_host_aka_vector v;
	struct eum_host_aka_response rsp;
	size_t n, i;

	for (i = 0; i < 16; i++)
		rand[i] = (uint8_t)(0x5A ^ (i * 29));
	assert_int_equal(eum_host_aka_key_milenage(&key, k, op, 0), EUM_OK);
	assert_int_equal(eum_host_aka_generate(&key, rand, sqn, amf, &v), EUM_OK);
	assert_int_equal(ota_xmit_hex(card, "0020000108 31323334FFFFFFFF", NULL, NULL), 0x9000);
	assert_int_equal(ota_xmit_hex(card, "00A4040C10 A0000000871002FFFFFFFF8907090000", NULL, NULL), 0x9000);
	memcpy(c, "\x00\x88\x00\x81\x22\x10", 6);
	memcpy(c + 6, v.rand, 16);
	c[22] = 0x10;
	memcpy(c + 23, v.autn, 16);
	assert_int_equal(ota_xmit_get(card, c, 39, out, &n), 0x9000);
	assert_int_equal(eum_host_aka_parse_response(out, n, &rsp), EUM_OK);
	assert_memory_equal(rsp.ck, v.ck, 16);
	assert_memory_equal(rsp.ik, v.ik, 16);
	memcpy(ck, v.ck, 16);
	memcpy(ik, v.ik, 16);
	eum_host_aka_key_wipe(&key);
}

/* Every key the card holds, read from its state (before eum_card_free). */
static void card_secrets(const struct eum_card *card)
{
	const struct eum_pstate *ps = card->ps;
	unsigned i, k;

	secret(ps->ecasd.sk_ecka, sizeof(ps->ecasd.sk_ecka), "ECASD private key", 0);
	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++) {
		secret(ps->isdr.scp80[i].kic.val, 16, "ISD-R KIc", i);
		secret(ps->isdr.scp80[i].kid.val, 16, "ISD-R KID", i);
	}
	for (i = 0; i < EUM_ISDR_SCP81_KEYS; i++) /* TLS PSKs of the HTTPS transport (the test key) */
		if (ps->isdr.scp81[i].kvn)
			secret(ps->isdr.scp81[i].psk, ps->isdr.scp81[i].len, "ISD-R SCP81 PSK", i);
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = ps->isdp[i];
		if (!p->in_use)
			continue;
		for (k = 0; k < EUM_ISDP_KEYSETS; k++) {
			secret(p->scp03[k].key_enc, 16, "ISD-P Key-ENC", i);
			secret(p->scp03[k].key_mac, 16, "ISD-P Key-MAC", i);
			secret(p->scp03[k].key_dek, 16, "ISD-P Key-DEK", i);
		}
		if (!p->has_profile)
			continue;
		secret(p->prof.aka.k, 16, "K of profile", i);
		secret(p->prof.aka.opc, 16, "OPc of profile", i);
		for (k = 0; k < EUM_PROFILE_OTA_KEYSETS; k++) {
			secret(p->prof.ota_keys[k].kic.val, 16, "profile KIc", i * 16 + k);
			secret(p->prof.ota_keys[k].kid.val, 16, "profile KID", i * 16 + k);
		}
		for (k = 0; k < EUM_MNOSD_KEYSETS; k++)
			secret(p->prof.mnosd_scp03[k].key_enc, 16, "MNO-SD Key-ENC", i);
	}
}

/* Issue 16 "secrets linger": CK and IK do not stay in the card object once the answer is read. */
static void test_ck_ik_wiped_after_get_response(void **state)
{
	uint8_t ck[16], ik[16];
	eum_card *card = ota_card_new(NULL);

	(void)state;
	authenticate(card, ck, ik);
	assert_false(contains((const uint8_t *)card, sizeof(*card), ck, 16));
	assert_false(contains((const uint8_t *)card, sizeof(*card), ik, 16));
	eum_card_free(card);
}

static void test_no_key_survives_a_provisioning(void **state)
{
	eum_host_euicc_response resp;
	eum_host_scp03t t;
	struct es8 x;
	uint8_t ck[16], ik[16];
	size_t len, i;
	int slot;

	(void)state;
	memset(slots, 0, sizeof(slots));
	n_secrets = 0;
	n_scanned = bytes_scanned = 0;
	hits = 0;
	loglen = 0;
	tracking = 1;
	init_logged(&x);
	card_secrets(x.card); /* ECASD, ISD-R, bootstrap profile: searched for from the start */
	authenticate(x.card, ck, ik);
	secret(ck, 16, "CK", 0);
	secret(ik, 16, "IK", 0);
	/* ES5 CreateISDP, ES8 key establishment (script 1 to the ISD-P with INSTALL), SCP03t download */
	es8_create_isdp(&x, tar20);
	es8_establish_keys(&x, ES8_ROUTE_ISDP_INSTALL);
	for (i = 0; i < x.keys.nkeys; i++)
		secret(x.keys.key[i], 16, "ISD-P key (SM-DP side)", (unsigned)i);
	es8_scp03t_open(&x, &t, 0, 1);
	secret(t.s_enc, t.key_len, "SCP03t S-ENC", 0);
	secret(t.s_mac, t.key_len, "SCP03t S-MAC", 0);
	secret(t.s_rmac, t.key_len, "SCP03t S-RMAC", 0);
	len = es8_file("ts48/TS48V1-A-UNIQUE.der", der, sizeof(der));
	es8_download(&x, &t, der, len, 200, &resp);
	assert_false(resp.aborted);
	/* enable it as tests/e2e/test_es8_download.c does (the ES5 switch with its REFRESH and
	 * notification is test_es5_scenario's), reset, and use it: the modem reads EF.IMSI */
	slot = eum_isdp_find(x.card, x.isdp_aid, 16);
	assert_true(slot >= 0);
	assert_true(x.card->ps->isdp[slot]->has_profile);
	assert_int_equal(eum_isdp_transition(x.card, 0, EUM_ISDP_EV_DISABLE), EUM_OK);
	assert_int_equal(eum_isdp_transition(x.card, slot, EUM_ISDP_EV_ENABLE), EUM_OK);
	eum_card_sync_enabled(x.card);
	assert_int_equal(eum_card_reset(x.card, 1, NULL, 0, NULL), EUM_OK);
	assert_int_equal(ota_xmit_hex(x.card, "00A4000C022FE2", NULL, NULL), 0x9000);
	/* the keys the card holds now, and the SM-SR's SCP80 keys */
	card_secrets(x.card);
	print_message("%zu secrets, %zu bytes of log\n", n_secrets, loglen);
	assert_true(n_secrets >= 12);

	eum_host_scp03t_free(&t);
	es8_free(&x); /* eum_card_free() */
	tracking = 0;
	scan_live();
	print_message("%zu blocks (%zu bytes) searched for %zu secrets\n", n_scanned, bytes_scanned, n_secrets);
	assert_true(n_scanned > 100);
	if (hits)
		fail_msg("%u key copies left in memory: first %s", hits, first_hit);
	for (i = 0; i < n_secrets; i++)
		if (log_has(secrets[i].v, secrets[i].n))
			fail_msg("the debug log holds %s", secrets[i].what);
	assert_true(loglen > 0);
}

/* Issue 15: an HTTPS admin session (push, BIP, PSK-TLS, CreateISDP over HTTP) leaves no copy of the ISD-R's
 * SCP81 PSK or SCP80 keys in memory the card or libeum-host allocated, and none in the debug log. */
static void test_no_key_survives_an_https_session(void **state)
{
	struct https *h;
	struct https_srv *v;
	uint8_t trig[128], apdu[128], script[160];
	size_t tn, n = 0, i;

	(void)state;
	memset(slots, 0, sizeof(slots));
	n_secrets = 0;
	n_scanned = bytes_scanned = 0;
	hits = 0;
	tracking = 1;
	h = https_new();
	/* the harness's "flash" holds the stored state image (keys included, by design) and is freed with it:
	 * not card memory */
	forget(h->e->flash.img);
	/* the SM-SR's side (struct es5 with its copy of the ISD-R SCP80 keys) is not card memory either */
	forget(h->e);
	card_secrets(h->e->card);
	v = https_srv_new(h, NULL);
	assert_int_equal(eum_host_smsr_create_isdp(tar20, 0, apdu, sizeof(apdu), &n), EUM_OK);
	script[0] = 0xAE;
	script[1] = 0x80;
	script[2] = 0x22;
	script[3] = (uint8_t)n;
	memcpy(script + 4, apdu, n);
	script[4 + n] = script[5 + n] = 0;
	assert_int_equal(eum_host_https_queue(v->s, script, n + 6, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_finish(v->s), EUM_OK);
	tn = https_trigger(trig, sizeof(trig), 0);
	assert_int_equal(https_terminal_profile(h, 1), 0x9000);
	https_pump(h, https_push(h, trig, tn));
	assert_int_equal(eum_host_https_state(v->s), EUM_HOST_HTTPS_DONE);
	assert_true(https_logged(h, "SCP81: session ended: 2 POST(s), 1 script(s)"));
	assert_true(n_secrets >= 3);
	https_srv_free(v);
	for (i = 0; i < n_secrets; i++) {
		char up[65], lo[65];
		size_t k;
		for (k = 0; k < secrets[i].n; k++) {
			snprintf(up + 2 * k, 3, "%02X", secrets[i].v[k]);
			snprintf(lo + 2 * k, 3, "%02x", secrets[i].v[k]);
		}
		if (contains((const uint8_t *)h->log, h->log_len, (const uint8_t *)up, 2 * secrets[i].n) ||
		    contains((const uint8_t *)h->log, h->log_len, (const uint8_t *)lo, 2 * secrets[i].n) ||
		    contains((const uint8_t *)h->log, h->log_len, secrets[i].v, secrets[i].n))
			fail_msg("the debug log holds %s", secrets[i].what);
	}
	https_free(h); /* eum_card_free() */
	tracking = 0;
	scan_live();
	print_message("HTTPS: %zu blocks (%zu bytes) searched for %zu secrets\n", n_scanned, bytes_scanned, n_secrets);
	if (hits)
		fail_msg("%u key copies left in memory: first %s", hits, first_hit);
	assert_true(n_scanned > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ck_ik_wiped_after_get_response),
	        cmocka_unit_test(test_no_key_survives_a_provisioning),
	        cmocka_unit_test(test_no_key_survives_an_https_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
