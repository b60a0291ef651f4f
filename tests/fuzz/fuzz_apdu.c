/*
 * Fuzz target: a stream of command APDUs on a freshly manufactured default card (the built-in
 * bootstrap profile, the ISD-R, the USIM...), as a terminal sends them (ISO 7816-4, TS 102 221).
 *
 * Input: records `L || L bytes`, each one C-APDU passed to eum_card_transmit() as is (so short,
 * malformed and over-long APDUs all reach the engine); L = 0 is a warm reset, L = FF a power
 * cycle (power off, cold reset). Pending proactive commands are left for the stream to FETCH.
 * Oracles (fuzz_check_image): the card's image loads again, and its stored bytes load into the
 * same state.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_mem mem;
	eum_card *card;
	size_t off = 0;

	fuzz_mem_init(&mem, NULL, 0);
	card = fuzz_card(&mem);
	if (!card)
		abort(); /* the default card always comes up */
	while (off < size) {
		size_t len = data[off++];
		uint8_t r[FUZZ_RAPDU_MAX];
		size_t rl = 0;
		if (len == 0) {
			eum_card_reset(card, 0, NULL, 0, NULL);
			continue;
		}
		if (len == 0xFF) {
			eum_card_power_off(card);
			eum_card_reset(card, 1, NULL, 0, NULL);
			continue;
		}
		if (len > size - off)
			len = size - off;
		(void)eum_card_transmit(card, data + off, len, r, sizeof(r), &rl);
		off += len;
	}
	fuzz_check_image(card, &mem);
	eum_card_free(card);
	fuzz_mem_free(&mem);
	return 0;
}
