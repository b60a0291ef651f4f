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

#define EUM_PIN_LEN   8
#define EUM_PIN_SLOTS 16

struct eum_pin {
	uint8_t in_use;
	uint8_t ref;                /* key reference (P2 of VERIFY/UNBLOCK) */
	uint8_t max_tries;          /* 1..15 */
	uint8_t tries_left;         /* 0 = blocked */
	uint8_t enabled;            /* 0 = verification disabled (PIN only; PUKs are always enabled) */
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
/* Add or replace a PIN/PUK. Returns EUM_OK or a negative eum_err. */
int eum_pin_set(struct eum_pin_store *st, int puk, uint8_t ref, const uint8_t *value, size_t len, uint8_t max_tries,
                uint8_t tries_left, int enabled, uint8_t unblock_ref);

#endif
