/*
 * PIN management, ETSI TS 102 221 §9.5 (PIN and key references, retry
 * counters) and §11.1.9 – §11.1.13 (VERIFY, CHANGE, DISABLE, ENABLE,
 * UNBLOCK PIN). Comparisons are constant-time; values are never logged.
 */
#include "fs/pin.h"

#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "fs/access.h"
#include "fs/pin_cmds.h"
#include "store/store.h"

struct eum_pin *eum_pin_find(struct eum_pin_store *st, uint8_t ref)
{
	size_t i;

	for (i = 0; i < EUM_PIN_SLOTS; i++)
		if (st->pins[i].in_use && st->pins[i].ref == ref)
			return &st->pins[i];
	return NULL;
}

struct eum_pin *eum_puk_find(struct eum_pin_store *st, uint8_t ref)
{
	size_t i;

	for (i = 0; i < EUM_PIN_SLOTS; i++)
		if (st->puks[i].in_use && st->puks[i].ref == ref)
			return &st->puks[i];
	return NULL;
}

int eum_pin_index(const struct eum_pin_store *st, uint8_t ref)
{
	size_t i;

	for (i = 0; i < EUM_PIN_SLOTS; i++)
		if (st->pins[i].in_use && st->pins[i].ref == ref)
			return (int)i;
	return -1;
}

int eum_pin_set(struct eum_pin_store *st, int puk, uint8_t ref, const uint8_t *value, size_t len, uint8_t max_tries,
                uint8_t tries_left, int enabled, uint8_t unblock_ref)
{
	struct eum_pin *slots = puk ? st->puks : st->pins;
	struct eum_pin *p = puk ? eum_puk_find(st, ref) : eum_pin_find(st, ref);
	size_t i;

	if (len == 0 || len > EUM_PIN_LEN || max_tries == 0 || max_tries > 15 || tries_left > max_tries)
		return EUM_ERR_INVALID_ARG;
	for (i = 0; !p && i < EUM_PIN_SLOTS; i++)
		if (!slots[i].in_use)
			p = &slots[i];
	if (!p)
		return EUM_ERR_NO_MEMORY;
	memset(p, 0, sizeof(*p));
	p->in_use = 1;
	p->ref = ref;
	memset(p->value, 0xFF, EUM_PIN_LEN);
	memcpy(p->value, value, len);
	p->max_tries = max_tries;
	p->tries_left = tries_left;
	p->enabled = puk ? 1 : (uint8_t)(enabled != 0);
	p->can_disable = !puk && !EUM_KEYREF_IS_ADM(ref);
	p->unblock_ref = unblock_ref;
	return EUM_OK;
}

/* ---- commands ------------------------------------------------------------ */

static uint16_t retries_sw(uint8_t left)
{
	return (uint16_t)(EUM_SW_VERIFY_FAIL | (left & 0x0F));
}

/* TS 102 221 §9.5.1: a PIN value is 4-8 ASCII digits, padded with FF. */
static int pin_format_ok(const uint8_t *v)
{
	size_t i, digits = 0;

	for (i = 0; i < EUM_PIN_LEN && v[i] != 0xFF; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 0;
		digits++;
	}
	for (; i < EUM_PIN_LEN; i++)
		if (v[i] != 0xFF)
			return 0;
	return digits >= 4;
}

static void set_verified(struct eum_card *card, uint8_t ref, int on)
{
	int idx = eum_pin_index(&card->prof->pins, ref);

	if (idx < 0)
		return;
	if (on)
		card->pin_verified |= 1u << idx;
	else
		card->pin_verified &= ~(1u << idx);
}

/* Check a presented value against a PIN or PUK. The retry counter moves and
 * is stored before the value is compared (TS 102 221 §9.5.1: a wrong value
 * decrements it): cutting the power or failing the write can never tell a
 * right value from a wrong one without a try being spent. This is the one
 * place where PIN and PUK try counters are committed ahead of the APDU. */
static uint16_t present(struct eum_card *card, struct eum_pin *p, const uint8_t *value)
{
	int wrong;

	if (p->tries_left == 0)
		return EUM_SW_AUTH_METHOD_BLOCKED;
	p->tries_left--;
	eum_store_dirty_prof(card, card->prof, EUM_PS_PINS);
	if (eum_store_commit_now(card) != EUM_OK)
		return EUM_SW_MEMORY_PROBLEM; /* nothing compared; the APDU answers 6581 */
	wrong = eum_ct_memcmp(p->value, value, EUM_PIN_LEN);
	if (wrong)
		return retries_sw(p->tries_left);
	p->tries_left = p->max_tries;
	eum_store_dirty_prof(card, card->prof, EUM_PS_PINS);
	return EUM_SW_OK;
}

static uint16_t pin_lookup(struct eum_card *card, const struct eum_apdu *a, struct eum_pin **p)
{
	if (a->p1 != 0x00)
		return EUM_SW_INCORRECT_P1P2;
	*p = eum_pin_find(&card->prof->pins, a->p2);
	if (!*p) {
		eum_log(card, EUM_LOG_INFO, "PIN reference %02X not found", a->p2);
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	}
	return 0;
}

/* VERIFY PIN, TS 102 221 §11.1.9 */
uint16_t eum_cmd_verify_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_pin *p;
	uint16_t sw = pin_lookup(card, a, &p);

	if (sw)
		return sw;
	if (a->lc == 0) {
		/* no data: report the verification status / remaining tries */
		if (p->tries_left == 0)
			return EUM_SW_AUTH_METHOD_BLOCKED;
		if (!p->enabled || eum_keyref_satisfied(card, p->ref))
			return EUM_SW_OK;
		return retries_sw(p->tries_left);
	}
	if (a->lc != EUM_PIN_LEN)
		return EUM_SW_WRONG_LENGTH;
	sw = present(card, p, a->data);
	if (sw == EUM_SW_MEMORY_PROBLEM)
		return sw;
	set_verified(card, p->ref, sw == EUM_SW_OK);
	if (sw != EUM_SW_OK)
		eum_log(card, EUM_LOG_INFO, "VERIFY PIN %02X failed, %u tries left", p->ref, p->tries_left);
	return sw;
}

/* CHANGE PIN, TS 102 221 §11.1.10 */
uint16_t eum_cmd_change_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_pin *p;
	uint16_t sw = pin_lookup(card, a, &p);

	if (sw)
		return sw;
	if (a->lc != 2 * EUM_PIN_LEN)
		return EUM_SW_WRONG_LENGTH;
	if (!p->enabled)
		return EUM_SW_REFERENCED_DATA_INVALIDATED;
	if (!pin_format_ok(a->data + EUM_PIN_LEN))
		return EUM_SW_INCORRECT_DATA;
	sw = present(card, p, a->data);
	if (sw == EUM_SW_MEMORY_PROBLEM)
		return sw;
	set_verified(card, p->ref, sw == EUM_SW_OK);
	if (sw == EUM_SW_OK) {
		memcpy(p->value, a->data + EUM_PIN_LEN, EUM_PIN_LEN);
		eum_store_dirty_prof(card, card->prof, EUM_PS_PINS);
	}
	return sw;
}

/* DISABLE PIN (§11.1.11) and ENABLE PIN (§11.1.12) */
static uint16_t enable_disable(struct eum_card *card, const struct eum_apdu *a, int enable)
{
	struct eum_pin *p;
	uint16_t sw = pin_lookup(card, a, &p);

	if (sw)
		return sw;
	if (a->lc != EUM_PIN_LEN)
		return EUM_SW_WRONG_LENGTH;
	/* only application PINs and the universal PIN may be disabled (§9.5.1), not the ADM keys */
	if (EUM_KEYREF_IS_ADM(p->ref))
		return EUM_SW_INCORRECT_P1P2;
	if (p->tries_left == 0)
		return EUM_SW_AUTH_METHOD_BLOCKED;
	/* the profile made this PIN's enabled state fixed (pinAttributes, saip_pe_pin.c) */
	if (!p->can_disable) {
		eum_log(card, EUM_LOG_INFO, "PIN %02X: %s PIN not allowed by the profile", p->ref,
		        enable ? "ENABLE" : "DISABLE");
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	}
	if ((p->enabled != 0) == enable)
		return EUM_SW_CONDITIONS_NOT_SATISFIED;
	sw = present(card, p, a->data);
	if (sw == EUM_SW_OK) {
		p->enabled = (uint8_t)enable;
		eum_store_dirty_prof(card, card->prof, EUM_PS_PINS);
		set_verified(card, p->ref, 1);
	}
	return sw;
}

uint16_t eum_cmd_disable_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	return enable_disable(card, a, 0);
}

uint16_t eum_cmd_enable_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	return enable_disable(card, a, 1);
}

/* UNBLOCK PIN, TS 102 221 §11.1.13 */
uint16_t eum_cmd_unblock_pin(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_pin *p, *puk;
	uint16_t sw = pin_lookup(card, a, &p);

	if (sw)
		return sw;
	puk = p->unblock_ref ? eum_puk_find(&card->prof->pins, p->unblock_ref) : NULL;
	if (!puk)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	if (a->lc == 0)
		return puk->tries_left ? retries_sw(puk->tries_left) : EUM_SW_AUTH_METHOD_BLOCKED;
	if (a->lc != 2 * EUM_PIN_LEN)
		return EUM_SW_WRONG_LENGTH;
	if (!pin_format_ok(a->data + EUM_PIN_LEN))
		return EUM_SW_INCORRECT_DATA;
	sw = present(card, puk, a->data);
	if (sw != EUM_SW_OK)
		return sw;
	memcpy(p->value, a->data + EUM_PIN_LEN, EUM_PIN_LEN);
	p->tries_left = p->max_tries;
	eum_store_dirty_prof(card, card->prof, EUM_PS_PINS);
	set_verified(card, p->ref, 1);
	return EUM_SW_OK;
}
