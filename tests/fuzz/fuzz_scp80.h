/*
 * SCP80 over SMS-PP for the fuzz targets: packets built by libeum-host with the test key sets of
 * tests/e2e/ota_e2e.h and delivered as ENVELOPE (SMS-PP download) APDUs, whatever the card
 * answers (no assertion on the card's side: fuzzed scripts may legitimately fail or make the
 * card issue REFRESH and other proactive commands, which are FETCHed and answered).
 */
#ifndef EUM_FUZZ_SCP80_H
#define EUM_FUZZ_SCP80_H

#include "fuzz.h"

#include "../e2e/ota_e2e.h"

/* Deliver a command packet (CPL ... end) in as many ENVELOPEs as it needs (at most 8);
 * the last SW (after GET RESPONSE and the proactive commands) is returned. */
static inline uint16_t fuzz_scp80_deliver(eum_card *card, const uint8_t *pkt, size_t len, uint16_t ref)
{
	struct eum_host_sms_deliver_params p;
	size_t n = 0, i;
	uint16_t sw = 0;

	eum_host_sms_deliver_params_init(&p);
	p.concat_ref = ref;
	if (eum_host_sms_envelope_count(&p, len, &n) != EUM_OK || n == 0 || n > 8)
		return 0;
	for (i = 0; i < n; i++) {
		uint8_t env[OTA_MAX_APDU], out[FUZZ_RAPDU_MAX];
		size_t el = 0, ol = 0;
		if (eum_host_sms_build_envelope(&p, pkt, len, i, env, sizeof(env), &el) != EUM_OK)
			return 0;
		sw = fuzz_xmit_get(card, env, el, out, &ol);
		sw = fuzz_drain_proactive(card, sw, 8);
	}
	return sw;
}

/* Build a packet with key set k (ota_keysets) and these parameters, and deliver it. Returns
 * 0 when the host refused to build it (an unsupported SPI, for instance). */
static inline uint16_t fuzz_scp80_send(eum_card *card, const struct ota_keys *k, const struct eum_host_scp80_params *p,
                                       const uint8_t *script, size_t slen)
{
	static uint8_t pkt[2048];
	struct eum_host_scp80_keyset ks;
	size_t plen = 0;
	uint16_t sw;

	ota_host_keyset(k, &ks);
	if (eum_host_scp80_build_cmd(&ks, p, script, slen, pkt, sizeof(pkt), &plen) != EUM_OK) {
		memset(&ks, 0, sizeof(ks));
		return 0;
	}
	memset(&ks, 0, sizeof(ks));
	sw = fuzz_scp80_deliver(card, pkt, plen, 0);
	return sw;
}

#endif
