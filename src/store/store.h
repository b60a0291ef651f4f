/*
 * Non-volatile memory of the card: one state image per card, committed as a
 * whole after every APDU that changed it, before the response leaves (the
 * "transaction per APDU" of a card's transaction mechanism). Storage comes
 * from the host's hooks or the built-in file backend.
 */
#ifndef EUM_STORE_STORE_H
#define EUM_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

struct eum_card;
struct eum_file_store;

struct eum_store {
	int enabled;
	eum_storage hooks;
	struct eum_file_store *file; /* owned; the built-in backend when a path was configured */
	uint8_t *img;                /* owned: the last committed image */
	size_t img_len, img_cap;
	uint8_t *next; /* owned: scratch for the next image */
	size_t next_cap;
	unsigned long commits; /* images written since creation (statistics) */
};

/* Set up storage from the configuration and load the stored image into
 * card->ps if there is one (*loaded = 1). */
int eum_store_open(struct eum_card *card, const eum_config *cfg, int *loaded);
/* After an APDU: write the state if it changed. While an APDU is being
 * processed (card->txn_depth > 0) the commit is deferred to its end, so one
 * APDU is one transaction. On a storage failure the
 * card's persistent state is rolled back to the last committed image and
 * EUM_ERR_STORAGE is returned (the APDU then answers 6581). */
int eum_store_commit(struct eum_card *card);
/* Write the state now, even inside an APDU: for the security counters that must be stored before
 * the response depending on them leaves (SCP80 CNTR, SCP03t sequence counter, PIN try counters).
 * On failure the state is rolled back as above, EUM_ERR_STORAGE is returned, and the APDU in
 * progress answers 6581 without any output (card->txn_failed). */
int eum_store_commit_now(struct eum_card *card);
void eum_store_close(struct eum_store *st);

/* Test hook (fault injection): the file backend stops — as at a power cut —
 * at its n-th primitive operation (a write of up to 512 bytes, an fsync, the
 * rename) from now; 0 disables. Returns the operations done since the last
 * call. */
long eum_store_file_fault(struct eum_card *card, long n);

#endif
