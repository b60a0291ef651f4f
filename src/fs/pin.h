/*
 * PINs and unblock keys of ETSI TS 102 221 §9.5 (key references, retry
 * counters) — the persistent half. The verification states are volatile and
 * live with the card; the commands are in pin.c.
 */
#ifndef EUM_FS_PIN_H
#define EUM_FS_PIN_H

#include <stddef.h>
#include <stdint.h>

/* Key references, TS 102 221 Table 9.3. */
#define EUM_KEYREF_PIN_APPL1        0x01
#define EUM_KEYREF_ADM1             0x0A
#define EUM_KEYREF_UNIVERSAL_PIN    0x11
#define EUM_KEYREF_SECOND_PIN_APPL1 0x81
/* ADM1..ADM5 (0A..0E) and ADM6..ADM10 (8A..8E): never disabled (TS 102 221 §9.5.1) */
#define EUM_KEYREF_IS_ADM(ref) (((ref)&0x7F) >= 0x0A && ((ref)&0x7F) <= 0x0E)

#define EUM_PIN_LEN   8
#define EUM_PIN_SLOTS 16

struct eum_pin {
	uint8_t in_use;
	uint8_t ref;        /* key reference (P2 of VERIFY/UNBLOCK) */
	uint8_t max_tries;  /* 1..15 */
	uint8_t tries_left; /* 0 = blocked */
	/* one byte of flags, so that the slot keeps its size (GET DATA FF21 accounts for it) */
	uint8_t enabled : 1;        /* 0 = verification disabled (PIN only; PUKs are always enabled) */
	uint8_t can_disable : 1;    /* DISABLE / ENABLE PIN allowed (profile package pinAttributes); PIN only */
	uint8_t unblock_ref;        /* PUK slot reference unblocking this PIN; 0 = none */
	uint8_t value[EUM_PIN_LEN]; /* ASCII digits padded with FF */
};

struct eum_pin_store {
	struct eum_pin pins[EUM_PIN_SLOTS];
	struct eum_pin puks[EUM_PIN_SLOTS];
};

struct eum_pin *eum_pin_find(struct eum_pin_store *st, uint8_t ref);
struct eum_pin *eum_puk_find(struct eum_pin_store *st, uint8_t ref);
/* Slot index of a PIN (for the verification bitmap), or -1. */
int eum_pin_index(const struct eum_pin_store *st, uint8_t ref);
/* Add or replace a PIN/PUK (a PIN's DISABLE/ENABLE is allowed unless it is an ADM key; see can_disable).
 * Returns EUM_OK or a negative eum_err. */
int eum_pin_set(struct eum_pin_store *st, int puk, uint8_t ref, const uint8_t *value, size_t len, uint8_t max_tries,
                uint8_t tries_left, int enabled, uint8_t unblock_ref);

#endif
