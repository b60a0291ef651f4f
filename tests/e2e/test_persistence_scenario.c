/*
 * Persistence under power loss (issue "Persistence"; the card's transaction per APDU, src/store/store.c):
 * the long scenario of persistence_scenario.h (PINs, RFM over SCP80, CreateISDP, ES8 key establishment and
 * SCP03t download of a TS.48 profile, Enable -> REFRESH -> attach -> notification -> confirmation,
 * Disable, Delete) on a card kept in a state file, with the power cut at the storage operations of
 * every APDU and reset (eum_store_file_fault(): the n-th write / fsync / rename / directory fsync of the
 * file backend does not happen, nor anything after it).
 *
 * Pass 1, fault-free, records every C-APDU, R-APDU and reset, and every image the card commits (memory
 * hooks without append: a whole image per commit). Pass 2 replays the record on a card with a state file
 * (journal records appended, whole images written aside and renamed) and, for each event, counts its storage
 * operations in a fault-free child, then forks once per cut point: the child cuts the power, the host process
 * "dies" and a new card is loaded from the file. It must boot and answer, hold an image the commits allow
 * (the state before the event, after it, or — for an event that commits more than once, e.g. the SCP80
 * counter before the script and then the script — one committed in between), equal the image the cut card itself kept
 * in memory, and no SCP80 counter, SCP03 sequence counter or ES5 notification number goes backwards, no PIN/PUK try
 * counter takes a value other than before, after, or before with one try spent (src/fs/pin.c stores a try before
 * comparing). A card that gave the fault-free answer must have stored the whole event. Both runs use a deterministic
 * rng and a fixed clock, so the replay answers byte for byte as recorded.
 *
 * Every storage operation of every event is cut (about 15 s under ASan). EUM_PERSIST_SAMPLE=1 in the
 * environment samples the middle writes of an image (all alike: they fill the ".new" file) every
 * PS_WRITE_SAMPLE-th, for slow machines; the first and last write, the fsync, the rename and the
 * directory fsync of every commit are always cut.
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "persistence_scenario.h"

#include "store/image.h"

#define PS_WRITE_SAMPLE 16
#define PS_APDU_MAX     300

/* ---- counters --------------------------------------------------------------------------------------- */

struct ps_ctrs {
	uint8_t isdr80[EUM_ISDR_SCP80_KEYSETS][EUM_SCP80_CNTR_LEN];
	uint32_t isdr03;
	uint16_t es5_seq;
	struct {
		uint8_t in_use, has_profile, aid[16];
		uint32_t seq[EUM_ISDP_KEYSETS];
		uint8_t ota[EUM_PROFILE_OTA_KEYSETS][EUM_SCP80_CNTR_LEN];
		uint8_t tries[2 * EUM_PIN_SLOTS];
	} p[EUM_MAX_ISDP];
};

static void ctrs_of(const struct eum_pstate *ps, struct ps_ctrs *c)
{
	size_t i, k;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++)
		memcpy(c->isdr80[i], ps->isdr.scp80_cntr[i].v, EUM_SCP80_CNTR_LEN);
	c->isdr03 = ps->isdr.scp03[0].seq_counter;
	c->es5_seq = ps->isdr.es5.seq;
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = ps->isdp[i];
		if (!p->in_use)
			continue;
		c->p[i].in_use = 1;
		c->p[i].has_profile = p->has_profile;
		memcpy(c->p[i].aid, p->aid, p->aid_len);
		for (k = 0; k < EUM_ISDP_KEYSETS; k++)
			c->p[i].seq[k] = p->scp03[k].seq_counter;
		if (!p->has_profile)
			continue;
		for (k = 0; k < EUM_PROFILE_OTA_KEYSETS; k++)
			memcpy(c->p[i].ota[k], p->prof.ota_cntr[k].v, EUM_SCP80_CNTR_LEN);
		for (k = 0; k < EUM_PIN_SLOTS; k++) {
			c->p[i].tries[k] = p->prof.pins.pins[k].tries_left;
			c->p[i].tries[EUM_PIN_SLOTS + k] = p->prof.pins.puks[k].tries_left;
		}
	}
}

static int ctrs_of_image(const uint8_t *img, size_t len, struct ps_ctrs *c)
{
	struct eum_pstate *ps = malloc(sizeof(*ps));
	int rc;

	if (!ps)
		return EUM_ERR_NO_MEMORY;
	rc = eum_image_read(ps, img, len, NULL, 0);
	if (rc == EUM_OK) {
		ctrs_of(ps, c);
		eum_pstate_free(ps);
	}
	free(ps);
	return rc;
}

/* 1 when a counter of `now` is behind the same counter of `old` (same ISD-P slot and AID). */
static int ctrs_backwards(const struct ps_ctrs *old, const struct ps_ctrs *now)
{
	size_t i, k;

	for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++)
		if (memcmp(now->isdr80[i], old->isdr80[i], EUM_SCP80_CNTR_LEN) < 0)
			return 1;
	if (now->isdr03 < old->isdr03 || now->es5_seq < old->es5_seq)
		return 1;
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		if (!old->p[i].in_use || !now->p[i].in_use || memcmp(old->p[i].aid, now->p[i].aid, 16) != 0)
			continue;
		for (k = 0; k < EUM_ISDP_KEYSETS; k++)
			if (now->p[i].seq[k] < old->p[i].seq[k])
				return 1;
		if (old->p[i].has_profile && now->p[i].has_profile)
			for (k = 0; k < EUM_PROFILE_OTA_KEYSETS; k++)
				if (memcmp(now->p[i].ota[k], old->p[i].ota[k], EUM_SCP80_CNTR_LEN) < 0)
					return 1;
	}
	return 0;
}

/* 1 when a PIN/PUK try counter of `now` is neither the one of `a` nor the one of `b`. */
static int tries_foreign(const struct ps_ctrs *a, const struct ps_ctrs *b, const struct ps_ctrs *now)
{
	size_t i, k;

	for (i = 0; i < EUM_MAX_ISDP; i++) {
		if (!now->p[i].has_profile)
			continue;
		for (k = 0; k < 2 * EUM_PIN_SLOTS; k++) {
			/* before, after, or one try spent: a try is stored before the value is compared (pin.c) */
			int in_a = a->p[i].has_profile && (a->p[i].tries[k] == now->p[i].tries[k] ||
			                                   a->p[i].tries[k] == now->p[i].tries[k] + 1);
			int in_b = b->p[i].has_profile && b->p[i].tries[k] == now->p[i].tries[k];
			if (!in_a && !in_b)
				return 1;
		}
	}
	return 0;
}

/* ---- pass 1: the fault-free record ------------------------------------------------------------------- */

struct ps_img {
	uint8_t *b;
	size_t len;
	struct ps_ctrs c;
};

struct ps_ev {
	int is_reset, cold, rc;
	uint8_t c[PS_APDU_MAX], r[PS_APDU_MAX];
	size_t clen, rlen;
	size_t first, nimg; /* the images this event committed: img[first .. first + nimg - 1] */
};

struct ps_rec {
	struct ps_tap tap;
	eum_card *card;
	struct ps_ev *ev;
	size_t n, cap;
	struct ps_img *img;
	size_t nimg, cap_img;
};

static struct ps_ev *rec_next(struct ps_rec *R)
{
	struct ps_ev *e;

	if (R->n == R->cap) {
		R->cap = R->cap ? 2 * R->cap : 256;
		R->ev = realloc(R->ev, R->cap * sizeof(*R->ev));
		assert_non_null(R->ev);
	}
	e = &R->ev[R->n++];
	memset(e, 0, sizeof(*e));
	e->first = R->nimg;
	return e;
}

static int rec_transmit(struct ps_tap *tap, eum_card *card, const uint8_t *c, size_t len, uint8_t *r, size_t cap,
                        size_t *rlen)
{
	struct ps_rec *R = (struct ps_rec *)tap;
	struct ps_ev *e = rec_next(R);

	assert_ptr_equal(card, R->card);
	assert_true(len <= PS_APDU_MAX);
	memcpy(e->c, c, len);
	e->clen = len;
	e->rc = ps_real_transmit(card, c, len, r, cap, rlen);
	assert_int_equal(e->rc, EUM_OK);
	assert_true(*rlen <= PS_APDU_MAX);
	memcpy(e->r, r, *rlen);
	e->rlen = *rlen;
	e->nimg = R->nimg - e->first;
	return e->rc;
}

static int rec_reset(struct ps_tap *tap, eum_card *card, int cold, uint8_t *atr, size_t cap, size_t *atr_len)
{
	struct ps_rec *R = (struct ps_rec *)tap;
	struct ps_ev *e = rec_next(R);

	assert_ptr_equal(card, R->card);
	e->is_reset = 1;
	e->cold = cold;
	e->rc = ps_real_reset(card, cold, atr, cap, atr_len);
	e->nimg = R->nimg - e->first;
	return e->rc;
}

static int rec_load(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	(void)ctx;
	(void)buf;
	(void)cap;
	(void)len;
	return EUM_ERR_NOT_FOUND;
}

/* Every image the card commits, in order. */
static int rec_store(void *ctx, const uint8_t *img, size_t len)
{
	struct ps_rec *R = ctx;
	struct ps_img *m;

	if (R->nimg == R->cap_img) {
		R->cap_img = R->cap_img ? 2 * R->cap_img : 64;
		R->img = realloc(R->img, R->cap_img * sizeof(*R->img));
		if (!R->img)
			return EUM_ERR_NO_MEMORY;
	}
	m = &R->img[R->nimg];
	m->b = malloc(len);
	if (!m->b)
		return EUM_ERR_NO_MEMORY;
	memcpy(m->b, img, len);
	m->len = len;
	if (ctrs_of_image(img, len, &m->c) != EUM_OK)
		return EUM_ERR_CORRUPT;
	R->nimg++;
	return EUM_OK;
}

/* The image before event k: the last one committed before it (img[0] is the manufactured card). */
static const struct ps_img *before_of(const struct ps_rec *R, size_t k)
{
	return &R->img[R->ev[k].first - 1];
}

static const struct ps_img *after_of(const struct ps_rec *R, size_t k)
{
	const struct ps_ev *e = &R->ev[k];

	return e->nimg ? &R->img[e->first + e->nimg - 1] : before_of(R, k);
}

/* Storage operations of the file backend for one image: writes of 512 bytes, fsync, rename, dir fsync. */

/* ---- pass 2: cuts ----------------------------------------------------------------------------------- */

enum {
	CUT_OK = 0,
	CUT_NOT_CUT = 10,
	CUT_NO_BOOT,
	CUT_NO_RESET,
	CUT_WRONG_IMAGE,
	CUT_MEMORY_NOT_FILE,
	CUT_COUNTER_MISMATCH,
	CUT_COUNTER_BACKWARDS,
	CUT_PIN_TRIES,
	CUT_ANSWER_WITHOUT_STORE,
	CUT_DEAD,
	CUT_INTERNAL,
};

static const char *cut_name(int code)
{
	static const char *const names[] = {"the operation was not reached",
	                                    "the reloaded card does not boot (eum_card_new)",
	                                    "the reloaded card does not reset",
	                                    "the reloaded image is not the one the order of operations allows",
	                                    "the cut card's memory differs from the file",
	                                    "a counter differs from the expected image's",
	                                    "a counter went backwards",
	                                    "a PIN/PUK try counter is neither before nor after",
	                                    "the fault-free answer was given without the whole change stored",
	                                    "the reloaded card does not answer SELECT MF with 9000",
	                                    "test harness failure in the child"};

	return code >= CUT_NOT_CUT && code <= CUT_INTERNAL ? names[code - CUT_NOT_CUT] : "crash or unknown status";
}

struct ps_cutrun {
	const struct ps_rec *R;
	const char *path;
	eum_card *card;
	struct ps_rng rng;
	uint8_t *mem, *back; /* image buffers of the child */
	size_t img_cap;
};

static int same(const uint8_t *a, size_t al, const struct ps_img *m)
{
	return al == m->len && memcmp(a, m->b, al) == 0;
}

/* The image the reloaded card holds must be one the event committed or the one before it: the store
 * writes one journal record (or one whole image) per commit, so a cut leaves the last commit whose
 * record or rename completed. */
static const struct ps_img *allowed_image(const struct ps_rec *R, size_t k, const uint8_t *img, size_t len)
{
	const struct ps_ev *e = &R->ev[k];
	size_t j;

	for (j = e->nimg; j > 0; j--)
		if (same(img, len, &R->img[e->first + j - 1]))
			return &R->img[e->first + j - 1];
	return same(img, len, before_of(R, k)) ? before_of(R, k) : NULL;
}

/* The child: cut the power at operation n of event k, "die", reload from the file, check. */
static int cut_child(struct ps_cutrun *X, size_t k, long n)
{
	const struct ps_rec *R = X->R;
	const struct ps_ev *e = &R->ev[k];
	const struct ps_img *before = before_of(R, k), *after = after_of(R, k);
	static const uint8_t sel_mf[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};
	uint8_t r[PS_APDU_MAX];
	size_t rlen = 0, ml = 0, bl = 0;
	struct ps_ctrs c;
	struct ps_rng rng = {PS_RNG_SEED};
	eum_config cfg;
	eum_card *back = NULL;
	const struct ps_img *expect;
	long ops;
	int answered_as_recorded = 0;

	eum_store_file_fault(X->card, n);
	if (e->is_reset) {
		ps_real_reset(X->card, e->cold, NULL, 0, NULL);
	} else if (ps_real_transmit(X->card, e->c, e->clen, r, sizeof(r), &rlen) == EUM_OK) {
		/* a bare 9000 / 91xx / 61xx tells nothing: 61xx only announces data (a PoR then says what ran),
		 * and the ES5 settle after a TERMINAL RESPONSE or an event answers 9000 / 91xx even when its
		 * commit failed and was rolled back (the notification is then simply sent again) */
		answered_as_recorded = rlen == e->rlen && memcmp(r, e->r, rlen) == 0 &&
		                       !(rlen == 2 && (r[0] == 0x91 || r[0] == 0x61 || (r[0] == 0x90 && r[1] == 0x00)));
	}
	ops = eum_store_file_fault(X->card, 0);
	if (ops < n)
		return CUT_NOT_CUT;
	if (eum_card_save_image(X->card, X->mem, X->img_cap, &ml) != EUM_OK)
		return CUT_INTERNAL;
	/* the host process dies here: the card object is abandoned, a new process loads the file */
	ps_config(&cfg, &rng);
	cfg.state_path = X->path;
	if (eum_card_new(&back, &cfg) != EUM_OK)
		return CUT_NO_BOOT;
	if (ps_real_reset(back, 1, NULL, 0, NULL) != EUM_OK)
		return CUT_NO_RESET;
	if (eum_card_save_image(back, X->back, X->img_cap, &bl) != EUM_OK)
		return CUT_INTERNAL;
	expect = allowed_image(R, k, X->back, bl);
	if (!expect)
		return CUT_WRONG_IMAGE;
	if (ml != bl || memcmp(X->mem, X->back, bl) != 0)
		return CUT_MEMORY_NOT_FILE;
	/* counters, explicitly: as in the expected image, never behind the image before, tries before or after */
	ctrs_of(back->ps, &c);
	if (memcmp(&c, &expect->c, sizeof(c)) != 0)
		return CUT_COUNTER_MISMATCH;
	if (ctrs_backwards(&before->c, &c))
		return CUT_COUNTER_BACKWARDS;
	if (tries_foreign(&before->c, &after->c, &c))
		return CUT_PIN_TRIES;
	if (answered_as_recorded && !same(X->back, bl, after))
		return CUT_ANSWER_WITHOUT_STORE;
	if (ps_real_transmit(back, sel_mf, sizeof(sel_mf), r, sizeof(r), &rlen) != EUM_OK || rlen != 2 ||
	    r[0] != 0x90 || r[1] != 0x00)
		return CUT_DEAD;
	return CUT_OK;
}

static void write_file(const char *path, const struct ps_img *m)
{
	char tmp[200];
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(m->b, 1, m->len, f), m->len);
	assert_int_equal(fclose(f), 0);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	unlink(tmp);
}

/* ---- the test ------------------------------------------------------------------------------------- */

static void test_power_cut_long_scenario(void **state)
{
	static struct ps_rec R;
	struct ps_cutrun X;
	struct ps_rng rng1 = {PS_RNG_SEED};
	eum_storage hooks = {rec_load, rec_store, &R};
	eum_config cfg;
	struct es5 *t;
	char dir[] = "/tmp/eum-pcut-XXXXXX", path[128], tmp[160];
	unsigned long cuts = 0, total_ops = 0, writing = 0, multi = 0, r_kinds = 0;
	int full = getenv("EUM_PERSIST_SAMPLE") == NULL;
	size_t k, i, max_len = 0;
	eum_card *card = NULL;

	(void)state;
	/* pass 1: fault-free, every event and committed image recorded */
	memset(&R, 0, sizeof(R));
	R.tap.transmit = rec_transmit;
	R.tap.reset = rec_reset;
	ps_config(&cfg, &rng1);
	cfg.storage = &hooks;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(R.nimg, 1); /* manufacture */
	R.card = card;
	t = ps_driver_new(card);
	ps_tap_now = &R.tap;
	ps_run_scenario(t, NULL, NULL);
	ps_tap_now = NULL;
	ps_driver_free(t);
	eum_card_free(card);
	for (i = 1; i < R.nimg; i++)
		assert_false(ctrs_backwards(&R.img[i - 1].c, &R.img[i].c));
	for (i = 0; i < R.nimg; i++)
		max_len = R.img[i].len > max_len ? R.img[i].len : max_len;

	/* pass 2: the same events on a card with a state file, power cut inside each */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/card.state", dir);
	memset(&X, 0, sizeof(X));
	X.R = &R;
	X.path = path;
	X.rng.s = PS_RNG_SEED;
	X.img_cap = max_len + 4096;
	X.mem = malloc(X.img_cap);
	X.back = malloc(X.img_cap);
	assert_non_null(X.mem);
	assert_non_null(X.back);
	ps_config(&cfg, &X.rng);
	cfg.state_path = path;
	assert_int_equal(eum_card_new(&X.card, &cfg), EUM_OK);
	for (k = 0; k < R.n; k++) {
		const struct ps_ev *e = &R.ev[k];
		const struct ps_img *after = after_of(&R, k);
		uint8_t r[PS_APDU_MAX];
		size_t rlen = 0, len = 0;
		long n = 0, ops, want_ops = 0;

		/* how many storage operations the event does: a fault-free run in a child */
		{
			int fd[2];
			pid_t pid;
			int st = 0;
			assert_int_equal(pipe(fd), 0);
			fflush(NULL);
			pid = fork();
			assert_true(pid >= 0);
			if (pid == 0) {
				uint8_t rr[PS_APDU_MAX];
				size_t rl;
				long done;
				close(fd[0]);
				eum_store_file_fault(X.card, 0);
				if (e->is_reset)
					ps_real_reset(X.card, e->cold, NULL, 0, NULL);
				else
					ps_real_transmit(X.card, e->c, e->clen, rr, sizeof(rr), &rl);
				done = eum_store_file_fault(X.card, 0);
				_exit(write(fd[1], &done, sizeof(done)) == sizeof(done) ? 0 : 1);
			}
			close(fd[1]);
			assert_int_equal(read(fd[0], &want_ops, sizeof(want_ops)), sizeof(want_ops));
			close(fd[0]);
			assert_int_equal(waitpid(pid, &st, 0), pid);
			write_file(path, before_of(&R, k));
		}
		for (n = 1; n <= want_ops; n++) {
			pid_t pid;
			int st = 0;
			/* sampled: the middle writes of a whole image are all alike */
			if (!full && n > 2 && n + 3 < want_ops && n % PS_WRITE_SAMPLE != 0)
				continue;
			fflush(NULL);
			pid = fork();
			assert_true(pid >= 0);
			if (pid == 0)
				_exit(cut_child(&X, k, n));
			assert_int_equal(waitpid(pid, &st, 0), pid);
			if (!WIFEXITED(st) || WEXITSTATUS(st) != CUT_OK) {
				size_t q;
				print_message("C-APDU:");
				for (q = 0; q < e->clen; q++)
					print_message("%02X", e->c[q]);
				print_message(" R-APDU:");
				for (q = 0; q < e->rlen; q++)
					print_message("%02X", e->r[q]);
				print_message("\n");
				fail_msg("event %zu (%s), cut at storage operation %ld of %ld: %s", k,
				         e->is_reset ? "reset" : "APDU", n, want_ops,
				         cut_name(WIFEXITED(st) ? WEXITSTATUS(st) : -1));
			}
			cuts++;
			write_file(path, before_of(&R, k)); /* undo what the child did to the file */
		}
		total_ops += (unsigned long)want_ops;
		writing += e->nimg > 0;
		multi += e->nimg > 1;
		/* then the event itself, fault-free: the same answer, operations and image as recorded */
		eum_store_file_fault(X.card, 0);
		if (e->is_reset) {
			assert_int_equal(ps_real_reset(X.card, e->cold, NULL, 0, NULL), e->rc);
		} else {
			assert_int_equal(ps_real_transmit(X.card, e->c, e->clen, r, sizeof(r), &rlen), EUM_OK);
			assert_int_equal(rlen, e->rlen);
			assert_memory_equal(r, e->r, rlen);
		}
		ops = eum_store_file_fault(X.card, 0);
		assert_int_equal(ops, want_ops);
		assert_int_equal(eum_card_save_image(X.card, X.mem, X.img_cap, &len), EUM_OK);
		assert_true(same(X.mem, len, after));
		r_kinds += e->is_reset;
	}
	eum_card_free(X.card);
	print_message("power cut: %lu cut points exercised (%s) over %zu events (%lu resets, %lu APDUs), %lu of "
	              "them writing (%lu committing more than once), %lu storage operations in all, %zu images "
	              "of up to %zu bytes\n",
	              cuts, full ? "every storage operation" : "every operation but middle writes sampled 1/16", R.n,
	              r_kinds, (unsigned long)R.n - r_kinds, writing, multi, total_ops, R.nimg, max_len);
	assert_true(writing > 20);
	assert_true(cuts >= 2 * writing); /* a journal record: at least its write and its fsync */
	if (full)
		assert_int_equal(cuts, total_ops);

	unlink(path);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	unlink(tmp);
	rmdir(dir);
	free(X.mem);
	free(X.back);
	for (i = 0; i < R.nimg; i++)
		free(R.img[i].b);
	free(R.img);
	free(R.ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_power_cut_long_scenario),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
