/*
 * Property test of "every command is atomic" (issue 12 point 1): every C-APDU of every .apdu file
 * under tests/transcripts (and its subfolders), and deterministic mutations of each (a byte
 * flipped, data cut short with or without Lc following, Lc one too many / too few, Le added or
 * changed, P1 / P2 changed, another class: interindustry <-> proprietary, an unopened logical
 * channel, chaining, an invalid class), is sent to a card in the state the transcript had
 * reached. Whenever the card refuses a command — any SW other than 9000, 91xx, 61xx, 62xx,
 * 63xx — the serialised persistent state (eum_card_save_image) and the volatile state a
 * terminal can observe (which channels are open, what each has selected, which PINs are
 * verified, the proactive queue) must be byte-identical before and after it.
 *
 * Documented exceptions (they are security counters, moved on purpose even when the command
 * fails, and never by a refused SW here): PIN/PUK try counters answer 63Cx, the SCP80 counter
 * and the SQN array move only under an ENVELOPE / AUTHENTICATE that answers 9000, SCP03
 * sequence counters under an INITIALIZE UPDATE that answers 9000. GP Amd D §6.2.4 closes an
 * SCP03 session on a secure messaging error, and a refused EXTERNAL AUTHENTICATE ends the session
 * it was to open: the session state is not compared after 6982 / 6988 or INS 82, and a STORE DATA or GET STATUS
 * sequence in progress ends with any refusal (GPCS §11.11.2.2): the GP sequence state of a channel is not compared.
 *
 * A second corpus is built with libeum-host: SGP.02 ES5 commands to the ISD-R (CreateISDP,
 * addressing, fall-back, enable, disable, confirmation, DGI lists, delete, audit) and ES8
 * EstablishISDPKeySet routed through it (INSTALL [for personalization], 3A01, 3A02), on a
 * logical channel whose commands are let through as inside the ISD-R's SCP80 packet; a third one
 * opens SCP03 with the MNO-SD of the enabled profile.
 *
 * To keep the run short the card is not rebuilt for every mutant: a mutant that leaves the
 * card exactly as it was lets the transcript go on; one that changed something (accepted, or
 * refused and caught, or state the specs let a refusal change) makes the test rebuild the card
 * by replaying the transcript's prefix on a fresh card.
 */
#define _POSIX_C_SOURCE 200809L /* stat */

#include <dirent.h>
#include <sys/stat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cat/cat_state.h"
#include "core/card.h"
#include "fs/fs.h"
#include "gp/gp_state.h"
#include "gp/scp03.h"
#include "sgp02/es8_state.h"
#include "eum/eum.h"
#include "eum/host/smdp.h"
#include "eum/host/smsr.h"

#define TRANSCRIPT_DIR EUM_SOURCE_DIR "/tests/transcripts"
#define MAX_EVENTS     1024
#define MAX_APDU       300
#define IMG_MAX        (256 * 1024)
#define MAX_MUTANTS    16
#define MAX_REPORTS    20

struct event {
	int reset; /* 0 = C-APDU; 1 = warm reset; 2 = cold reset */
	uint8_t c[MAX_APDU];
	size_t len;
};

struct corpus {
	struct event ev[MAX_EVENTS];
	size_t n;
	void (*setup)(eum_card *card); /* after the fresh card's reset, before the events (may be NULL) */
};

/* What a terminal can observe of the volatile state. */
struct vol {
	struct {
		uint8_t open, app, isdp, ota, scp03_state;
		struct eum_fs_sel sel;
	} ch[EUM_MAX_CHANNELS];
	uint32_t pin_verified;
	uint8_t cat_head, cat_count, cat_fetched;
};

/* State a refused command may change by the specs (GP sequences end, an ES8 RC is consumed, SCP03
 * sessions close): not compared, but a change makes the test rebuild the card so that the commands
 * after it run in the transcript's state. */
struct aux {
	struct eum_gp_chan gp[EUM_MAX_CHANNELS];
	uint8_t ke_active;
	uint32_t sd_token;
	uint8_t scp03_state[EUM_MAX_CHANNELS];
};

struct snap {
	uint8_t img[IMG_MAX];
	size_t len;
	struct vol v;
	struct aux x;
};

static struct corpus corpus;
static struct snap s_before, s_after;
static unsigned long n_sent, n_refused, n_rebuilds, n_failures;

static int hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; *s; s++) {
		int hi, lo;
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		hi = hexv(s[0]);
		lo = s[1] ? hexv(s[1]) : -1;
		if (hi < 0 || lo < 0 || n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s++;
	}
	return (long)n;
}

static void load(const char *path, struct corpus *co)
{
	char line[2048];
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	co->n = 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		struct event *e;
		long n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "reset", 5) && strncmp(p, "cold", 4) && p[0] != '>')
			continue;
		assert_true(co->n < MAX_EVENTS);
		e = &co->ev[co->n++];
		memset(e, 0, sizeof(*e));
		if (p[0] != '>') {
			e->reset = p[0] == 'c' ? 2 : 1;
			continue;
		}
		n = unhex(p + 1, e->c, sizeof(e->c));
		assert_true(n >= 0);
		e->len = (size_t)n;
	}
	fclose(f);
}

/* ---- the card ------------------------------------------------------------------------------ */

static void quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

/* A deterministic generator (xorshift): every rebuild of the card replays the same answers. */
static int test_rng(void *ctx, uint8_t *buf, size_t len)
{
	uint64_t *s = ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		*s ^= *s << 13;
		*s ^= *s >> 7;
		*s ^= *s << 17;
		buf[i] = (uint8_t)(*s >> 24);
	}
	return 0;
}

static uint64_t rng_state;

static eum_card *fresh_card(void)
{
	eum_config cfg;
	eum_card *card = NULL;

	rng_state = 0x9E3779B97F4A7C15u;
	eum_config_init(&cfg);
	cfg.log = quiet;
	cfg.rng = test_rng;
	cfg.rng_ctx = &rng_state;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	return card;
}

static uint16_t transmit(eum_card *card, const uint8_t *c, size_t len)
{
	uint8_t r[MAX_APDU];
	size_t rlen = 0;

	n_sent++;
	assert_int_equal(eum_card_transmit(card, c, len, r, sizeof(r), &rlen), EUM_OK);
	assert_true(rlen >= 2);
	return (uint16_t)(r[rlen - 2] << 8 | r[rlen - 1]);
}

static void play(eum_card *card, const struct event *e)
{
	if (e->reset)
		assert_int_equal(eum_card_reset(card, e->reset == 2, NULL, 0, NULL), EUM_OK);
	else
		(void)transmit(card, e->c, e->len);
}

static void snapshot(const eum_card *card, struct snap *s)
{
	size_t i;

	assert_int_equal(eum_card_save_image(card, s->img, sizeof(s->img), &s->len), EUM_OK);
	memset(&s->v, 0, sizeof(s->v));
	for (i = 0; i < EUM_MAX_CHANNELS; i++) {
		const struct eum_channel *ch = &card->ch[i];
		if (!ch->open)
			continue;
		s->v.ch[i].open = 1;
		s->v.ch[i].app = ch->app;
		s->v.ch[i].isdp = ch->isdp;
		s->v.ch[i].ota = ch->ota;
		s->v.ch[i].scp03_state = (uint8_t)ch->scp03->state;
		s->v.ch[i].sel = *ch->sel;
	}
	memset(&s->x, 0, sizeof(s->x));
	for (i = 0; i < EUM_MAX_CHANNELS; i++) {
		s->x.gp[i] = *card->ch[i].gp;
		s->x.scp03_state[i] = (uint8_t)card->ch[i].scp03->state;
	}
	s->x.ke_active = card->es8->ke.active;
	s->x.sd_token = card->gp->sd_token;
	s->v.pin_verified = card->pin_verified;
	s->v.cat_head = card->cat->head;
	s->v.cat_count = card->cat->count;
	s->v.cat_fetched = card->cat->fetched;
}

static int refused(uint16_t sw)
{
	uint8_t sw1 = (uint8_t)(sw >> 8);

	return !(sw == 0x9000 || sw1 == 0x91 || sw1 == 0x61 || sw1 == 0x62 || sw1 == 0x63);
}

/* What differs between two snapshots, "" when nothing. The SCP03 state is ignored after a secure
 * messaging error and after a refused EXTERNAL AUTHENTICATE (INS 82): GP Amd D ends the session
 * then, so that a card challenge never serves two authentication attempts. */
static const char *diff(const struct snap *a, const struct snap *b, uint16_t sw, uint8_t ins)
{
	struct vol va = a->v, vb = b->v;
	size_t i;

	if (a->len != b->len || memcmp(a->img, b->img, a->len) != 0)
		return "persistent state";
	if (sw == 0x6982 || sw == 0x6988 || ins == 0x82)
		for (i = 0; i < EUM_MAX_CHANNELS; i++)
			va.ch[i].scp03_state = vb.ch[i].scp03_state = 0;
	for (i = 0; i < EUM_MAX_CHANNELS; i++)
		if (memcmp(&va.ch[i], &vb.ch[i], sizeof(va.ch[i])) != 0)
			return "a logical channel (open, application, selection or secure channel)";
	if (va.pin_verified != vb.pin_verified)
		return "PIN verification status";
	if (va.cat_head != vb.cat_head || va.cat_count != vb.cat_count || va.cat_fetched != vb.cat_fetched)
		return "proactive queue";
	return "";
}

/* ---- mutations ------------------------------------------------------------------------------ */

/* The deterministic mutants of one C-APDU. Returns how many. */
static size_t mutate(const uint8_t *c, size_t n, uint8_t m[][MAX_APDU], size_t *ml)
{
	size_t k = 0, lc = n > 5 ? c[4] : 0;

#define NEW() (memcpy(m[k], c, n), ml[k] = n, m[k])
	if (n < 4)
		return 0;
	/* a byte flipped: in the data's first, middle and last byte */
	if (n > 5) {
		NEW()[5] ^= 0x5A, k++;
		NEW()[5 + (n - 5) / 2] ^= 0x01, k++;
		NEW()[n - 1] ^= 0x80, k++;
	}
	/* data cut short: Lc left as it was; Lc following (half the data) */
	if (n > 5) {
		NEW(), ml[k++] = n - 1;
		if (lc > 1 && n == 5 + lc) {
			NEW()[4] = (uint8_t)(lc / 2), ml[k++] = 5 + lc / 2;
		}
	}
	/* Lc one too many / one too few */
	if (n > 5) {
		NEW()[4] = (uint8_t)(c[4] + 1), k++;
		NEW()[4] = (uint8_t)(c[4] - 1), k++;
	}
	/* Le: added to a case 3, changed in a case 2 */
	if (n == 5 + lc && n > 5 && n < MAX_APDU) {
		NEW()[n] = 0x00, ml[k++] = n + 1;
	} else if (n == 5) {
		NEW()[4] = (uint8_t)(c[4] + 1), k++;
	}
	/* P1, P2 */
	NEW()[2] ^= 0x01, k++;
	NEW()[3] ^= 0x04, k++;
	/* class: interindustry <-> proprietary, logical channel 3 (never opened here), chaining, invalid */
	NEW()[0] ^= 0x80, k++;
	NEW()[0] = (uint8_t)((c[0] & 0xFC) | 0x03), k++;
	NEW()[0] |= 0x10, k++;
	NEW()[0] = 0xA0, k++;
#undef NEW
	assert_true(k <= MAX_MUTANTS);
	return k;
}

/* ---- the test ------------------------------------------------------------------------------- */

static eum_card *rebuild(eum_card *card, const struct corpus *co, size_t upto)
{
	size_t i;

	eum_card_free(card);
	card = fresh_card();
	if (co->setup)
		co->setup(card);
	for (i = 0; i < upto; i++)
		play(card, &co->ev[i]);
	n_rebuilds++;
	return card;
}

static void report(const char *file, size_t k, const uint8_t *c, size_t n, uint16_t sw, const char *what)
{
	char hex[2 * MAX_APDU + 1];
	size_t i;

	n_failures++;
	if (n_failures > MAX_REPORTS)
		return;
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02X", c[i]);
	hex[2 * n] = 0;
	print_message("%s, before C-APDU #%zu: %s refused with %04X changed the %s\n", file, k, hex, sw, what);
}

static void run_corpus(const char *name, const struct corpus *co)
{
	static uint8_t m[MAX_MUTANTS][MAX_APDU];
	size_t ml[MAX_MUTANTS], k, j, nm;
	eum_card *card = rebuild(NULL, co, 0);

	n_rebuilds--; /* the first build is not a rebuild */
	for (k = 0; k < co->n; k++) {
		const struct event *e = &co->ev[k];
		if (e->reset) {
			play(card, e);
			continue;
		}
		nm = mutate(e->c, e->len, m, ml);
		for (j = 0; j <= nm; j++) {
			const uint8_t *c = j < nm ? m[j] : e->c;
			size_t n = j < nm ? ml[j] : e->len;
			const char *what;
			uint16_t sw;

			snapshot(card, &s_before);
			sw = transmit(card, c, n);
			if (j == nm && !refused(sw))
				break; /* the original, accepted: the corpus goes on */
			snapshot(card, &s_after);
			what = diff(&s_before, &s_after, sw, n > 1 ? c[1] : 0);
			if (refused(sw)) {
				n_refused++;
				if (*what)
					report(name, k, c, n, sw, what);
			}
			if ((*what || memcmp(&s_before.x, &s_after.x, sizeof(s_after.x)) != 0) && j < nm)
				card = rebuild(card, co, k);
		}
	}
	eum_card_free(card);
}

static void run_file(const char *file)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", TRANSCRIPT_DIR, file);
	load(path, &corpus);
	corpus.setup = NULL;
	run_corpus(file, &corpus);
}

/* ---- a management corpus: SGP.02 ES5 commands of libeum-host to the ISD-R ------------------------- */

static const uint8_t aid_isdr[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};

/* The ISD-R on logical channel 1, its commands let through as inside its SCP80 packet (ch.ota): the
 * OTA transport is bypassed so that the mutations reach the ES5 handlers rather than the CC check. */
static void isdr_setup(eum_card *card)
{
	uint8_t sel[21] = {0x01, 0xA4, 0x04, 0x00, 0x10};
	uint16_t sw;

	assert_int_equal(transmit(card, (const uint8_t *)"\x00\x70\x00\x00\x01", 5), 0x9000);
	/* the channel is the ISD-R's SCP80 one before the SELECT: the device itself cannot select the
	 * ISD-R of a card without an ISD-R SCP03 key set */
	card->ch[1].ota = 1;
	memcpy(sel + 5, aid_isdr, 16);
	sw = transmit(card, sel, sizeof(sel));
	assert_true(sw == 0x9000 || (sw & 0xFF00) == 0x6100);
	assert_int_equal(card->ch[1].app, EUM_APP_ISDR);
}

static void add(struct corpus *co, const uint8_t *c, size_t n)
{
	struct event *e = &co->ev[co->n++];

	memset(e, 0, sizeof(*e));
	memcpy(e->c, c, n);
	e->c[0] |= 0x01; /* logical channel 1 */
	e->len = n;
}

static eum_card *rebuild(eum_card *card, const struct corpus *co, size_t upto);

/* The 3A02 STORE DATA (block 01, last) answering the RC a card gives to the corpus's last event. */
static void es8_3a02(const struct corpus *co, uint8_t *c, size_t *len)
{
	static const uint8_t gr[5] = {0x01, 0xC0, 0x00, 0x00, 0x12};
	uint8_t r[MAX_APDU], sk[32], esk[32], epk[65], line[80];
	uint64_t host_rng = 42;
	eum_host_smdp_crt crt;
	size_t rlen = 0, n = 0;
	eum_card *probe = rebuild(NULL, co, co->n);
	FILE *f = fopen(EUM_TEST_DATA_DIR "/pki/p256/smdp.sk.hex", "r");

	n_rebuilds--;
	assert_non_null(f);
	assert_non_null(fgets((char *)line, sizeof(line), f));
	fclose(f);
	assert_int_equal(unhex((const char *)line, sk, sizeof(sk)), 32);
	assert_int_equal(eum_card_transmit(probe, gr, sizeof(gr), r, sizeof(r), &rlen), EUM_OK);
	assert_int_equal(rlen, 2 + 18);
	assert_memory_equal(r, "\x85\x10", 2);
	eum_card_free(probe);
	eum_host_smdp_crt_default(&crt);
	assert_int_equal(eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, test_rng, &host_rng, esk, epk), EUM_OK);
	assert_int_equal(eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, sk, &crt, epk, 0, r + 2, 16, test_rng,
	                                          &host_rng, c + 5, MAX_APDU - 6, &n),
	                 EUM_OK);
	assert_true(n < 256);
	memcpy(c, "\x80\xE2\x89\x01", 4);
	c[4] = (uint8_t)n;
	c[5 + n] = 0x00;
	*len = 6 + n;
}

/* SGP.02 ES8 routed through the ISD-R (digest §8.1): INSTALL [for personalization] of ISD-P A, DGI 3A01
 * with the test SM-DP certificate (tests/data/pki), the 3A02 + 7F49 + 5F37 that establishes the key set,
 * and a list [3A07 connectivity parameters][3A01] (refused: no SCP03 session). */
static void es8_events(struct corpus *co, const uint8_t aid[16])
{
	uint8_t c[MAX_APDU], cert[260];
	size_t n, cl;
	FILE *f = fopen(EUM_TEST_DATA_DIR "/pki/p256/smdp.cert", "rb");

	assert_non_null(f);
	cl = fread(cert, 1, sizeof(cert), f);
	assert_true(feof(f) && cl > 0 && cl + 10 < 255);
	fclose(f);
	memcpy(c, "\x80\xE6\x20\x00\x16\x00\x00\x10", 8);
	memcpy(c + 8, aid, 16);
	memcpy(c + 24, "\x00\x00\x00\x00", 4);
	add(co, c, 28);
	/* 80 E2 09 00: block 00, more follow, answer now; 3A01 L cert; Le */
	memcpy(c, "\x80\xE2\x09\x00", 4);
	c[4] = (uint8_t)(3 + cl);
	c[5] = 0x3A;
	c[6] = 0x01;
	c[7] = (uint8_t)cl;
	memcpy(c + 8, cert, cl);
	c[8 + cl] = 0x00;
	add(co, c, 9 + cl);
	/* 80 E2 89 01: 3A02 + 7F49 + 5F37 signed by the test SM-DP over the RC this very card answers (the
	 * card's random numbers are deterministic: a probe card replays the corpus so far to learn it) */
	es8_3a02(co, c, &n);
	add(co, c, n);
	/* 80 E2 88 00: [3A07 A0 00][3A01 cert] in one command */
	memcpy(c, "\x80\xE2\x88\x00", 4);
	c[4] = (uint8_t)(5 + 3 + cl);
	memcpy(c + 5, "\x3A\x07\x02\xA0\x00\x3A\x01", 7);
	c[12] = (uint8_t)cl;
	memcpy(c + 13, cert, cl);
	add(co, c, 13 + cl);
}

static void isdr_corpus(struct corpus *co)
{
	uint8_t aid_a[16], aid_b[16], aid_boot[16], c[MAX_APDU], list[64];
	size_t n, l = 0;

	memcpy(aid_a, aid_isdr, 16);
	aid_a[14] = 0x11; /* …89 <TAR> 00 */
	memcpy(aid_b, aid_a, 16);
	aid_b[14] = 0x12;
	memcpy(aid_boot, aid_a, 16);
	aid_boot[14] = 0x10;
	memset(co, 0, sizeof(*co));
	co->setup = isdr_setup;
	assert_int_equal(eum_host_smsr_create_isdp((const uint8_t *)"\x00\x00\x11", 0, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	assert_int_equal(eum_host_smsr_create_isdp((const uint8_t *)"\x00\x00\x12", 4096, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	assert_int_equal(eum_host_smsr_update_address("447700900123", 0x91, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	assert_int_equal(eum_host_smsr_get_status(NULL, 0, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	assert_int_equal(eum_host_smsr_set_fallback(aid_a, 16, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	assert_int_equal(eum_host_smsr_enable_profile(aid_a, 16, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	assert_int_equal(eum_host_smsr_disable_profile(aid_boot, 16, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	assert_int_equal(eum_host_smsr_confirm(1, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	/* a DGI list: [3A07 SM-SR address][3A05 of ISD-P B] and [3A07][3A05 unknown AID] */
	assert_int_equal(eum_host_smsr_update_address("1234", 0x91, c, sizeof(c), &n), EUM_OK);
	memcpy(list, c, n);
	l = n;
	assert_int_equal(eum_host_smsr_set_fallback(aid_b, 16, c, sizeof(c), &n), EUM_OK);
	assert_true(l + n - 5 < sizeof(list));
	memcpy(list + l, c + 5, c[4]);
	l += c[4];
	list[4] = (uint8_t)(l - 5);
	add(co, list, l);
	list[l - 1] ^= 0xFF;
	add(co, list, l);
	assert_int_equal(eum_host_smsr_delete_profile(aid_b, 16, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	assert_int_equal(eum_host_smsr_get_status(aid_a, 16, c, sizeof(c), &n), EUM_OK);
	add(co, c, n);
	es8_events(co, aid_a);
}

/* Every .apdu file under dir (relative path rel), subfolders included. */
static void walk(const char *dir, const char *rel, char names[][256], size_t cap, size_t *n)
{
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp)) != NULL) {
		char sub[1024], subrel[256];
		size_t l = strlen(d->d_name);
		struct stat st;
		int k1, k2;
		if (d->d_name[0] == '.')
			continue;
		k1 = snprintf(sub, sizeof(sub), "%s/%s", dir, d->d_name);
		k2 = snprintf(subrel, sizeof(subrel), "%s%s/", rel, d->d_name); /* the '/' for a folder */
		if (k1 < 0 || (size_t)k1 >= sizeof(sub) || k2 < 0 || (size_t)k2 >= sizeof(subrel) ||
		    stat(sub, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(sub, subrel, names, cap, n);
		} else if (l > 5 && !strcmp(d->d_name + l - 5, ".apdu") && *n < cap) {
			subrel[k2 - 1] = '\0';
			memcpy(names[(*n)++], subrel, (size_t)k2);
		}
	}
	closedir(dp);
}

static int by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static size_t list_files(char names[][256], size_t cap)
{
	size_t n = 0, i;

	walk(TRANSCRIPT_DIR, "", names, cap, &n);
	qsort(names, n, sizeof(names[0]), by_name);
	for (i = 0; i < n; i++)
		print_message("%s%s", i ? " " : "corpus: ", names[i]);
	print_message("\n");
	return n;
}

/* GP Amd D with the enabled profile's MNO-SD (bootstrap key set KVN 30): SELECT, INITIALIZE UPDATE (its
 * sequence counter moves only when it answers 9000), an EXTERNAL AUTHENTICATE with a wrong cryptogram. */
static void mnosd_corpus(struct corpus *co)
{
	static const char *const hex[] = {
	        "00A4040008A000000151000000",
	        "80503000080102030405060708",
	        "848201001011223344556677881122334455667788",
	        "80503000080102030405060708",
	        "80CA006600",
	};
	size_t i;

	memset(co, 0, sizeof(*co));
	for (i = 0; i < sizeof(hex) / sizeof(hex[0]); i++) {
		struct event *e = &co->ev[co->n++];
		long n = unhex(hex[i], e->c, sizeof(e->c));
		assert_true(n > 0);
		e->len = (size_t)n;
	}
}

static void test_refused_commands_change_nothing(void **state)
{
	static char names[128][256];
	size_t n, i;

	(void)state;
	n = list_files(names, 128);
	assert_true(n >= 10);
	for (i = 0; i < n; i++)
		run_file(names[i]);
	isdr_corpus(&corpus);
	run_corpus("ES5 commands to the ISD-R", &corpus);
	mnosd_corpus(&corpus);
	run_corpus("SCP03 with the MNO-SD", &corpus);
	print_message("%lu C-APDUs sent, %lu refused and checked, %lu rebuilds, %lu refused with a change\n", n_sent,
	              n_refused, n_rebuilds, n_failures);
	assert_true(n_refused > 1000);
	assert_int_equal(n_failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_refused_commands_change_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
