/*
 * Memory per default card (issue 14 "memory per card proportional to what the card holds"): a default
 * card (built-in bootstrap profile, memory only) after a cold reset and one SELECT holds at most 16 KiB
 * of heap, and state that only some cards use — logical channels other than the basic one, the STORE
 * DATA buffer, the proactive queue held for a commit — is allocated only when used.
 *
 * How: this program is linked with -Wl,--wrap=malloc,calloc,realloc,free (tests/CMakeLists.txt): the
 * wrappers count the live bytes of every block (malloc_usable_size: the allocator's own rounding is
 * part of what a card costs), so the figure does not depend on the rest of the process. The issue's
 * card is memory only: EUM_STORE_VERIFY (set for the whole suite, it gives every card an in-memory
 * store image) is cleared for this program.
 */
#define _GNU_SOURCE

#include <malloc.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "modem_t0.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static long live; /* bytes of the blocks allocated and not freed (single thread) */

void *__wrap_malloc(size_t n)
{
	void *p = __real_malloc(n);
	if (p)
		live += (long)malloc_usable_size(p);
	return p;
}

void *__wrap_calloc(size_t n, size_t m)
{
	void *p = __real_calloc(n, m);
	if (p)
		live += (long)malloc_usable_size(p);
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	long before = p ? (long)malloc_usable_size(p) : 0;
	void *q = __real_realloc(p, n);
	if (q) {
		live += (long)malloc_usable_size(q) - before;
	} else if (n == 0) {
		live -= before;
	}
	return q;
}

void __wrap_free(void *p)
{
	if (p)
		live -= (long)malloc_usable_size(p);
	__real_free(p);
}

#define CARDS 64

static void quiet(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

/* One APDU as a modem sends it (T=0: 61xx answered by GET RESPONSE); returns the final SW. */
static uint16_t xfer(eum_card *card, const uint8_t *c, size_t n)
{
	uint8_t r[300];
	size_t rl = 0;

	return t0_xfer(card, c, n, r, sizeof(r), &rl);
}

static void new_card(eum_card **card)
{
	eum_config cfg;

	eum_config_init(&cfg);
	cfg.log = quiet;
	assert_int_equal(eum_card_new(card, &cfg), EUM_OK);
}

/* The default card: at most 16 KiB of heap after a cold reset and one SELECT; every byte back
 * when the cards are freed (the shared bootstrap pool goes with the last card). */
static void test_default_card_heap(void **state)
{
	static const uint8_t sel_mf[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00, 0x00};
	static eum_card *cards[CARDS];
	long start, per_card;
	size_t i;

	(void)state;
	start = live;
	for (i = 0; i < CARDS; i++) {
		new_card(&cards[i]);
		assert_int_equal(eum_card_reset(cards[i], 1, NULL, 0, NULL), EUM_OK);
		assert_int_equal(xfer(cards[i], sel_mf, sizeof(sel_mf)), 0x9000);
	}
	per_card = (live - start) / CARDS;
	print_message("heap per default card after reset + SELECT MF: %ld B (%d cards)\n", per_card, CARDS);
	assert_true(per_card > 0);
	assert_true(per_card <= 16384);
	for (i = 0; i < CARDS; i++)
		eum_card_free(cards[i]);
	assert_int_equal(live, start);
}

/* A logical channel's state exists from its first opening (MANAGE CHANNEL, TS 102 221 §11.1.17), and
 * the channel works on it; a card that opens none does not pay for it. */
static void test_channel_state_on_first_open(void **state)
{
	static const uint8_t open_ch[] = {0x00, 0x70, 0x00, 0x00, 0x01};
	static const uint8_t sel_mf_ch1[] = {0x01, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};
	static const uint8_t close_ch1[] = {0x00, 0x70, 0x80, 0x01};
	eum_card *card;
	long before;

	(void)state;
	new_card(&card);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	before = live;
	assert_int_equal(xfer(card, sel_mf_ch1, sizeof(sel_mf_ch1)), 0x6881); /* channel 1 not open */
	assert_int_equal(live, before);
	assert_int_equal(xfer(card, open_ch, sizeof(open_ch)), 0x9000);
	assert_true(live > before); /* channel 1's state */
	assert_int_equal(xfer(card, sel_mf_ch1, sizeof(sel_mf_ch1)), 0x9000);
	assert_int_equal(xfer(card, close_ch1, sizeof(close_ch1)), 0x9000);
	before = live;
	assert_int_equal(xfer(card, open_ch, sizeof(open_ch)), 0x9000); /* reopened: the same state */
	assert_int_equal(live, before);
	assert_int_equal(xfer(card, sel_mf_ch1, sizeof(sel_mf_ch1)), 0x9000);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_default_card_heap),
	        cmocka_unit_test(test_channel_state_on_first_open),
	};

	unsetenv("EUM_STORE_VERIFY");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
