/*
 * Fuzz target: command APDUs inside an open SCP03 session (GlobalPlatform Card Specification
 * v2.3 Amendment D): the session is opened honestly with libeum-host (INITIALIZE UPDATE, card
 * cryptogram check, EXTERNAL AUTHENTICATE), then every input APDU is wrapped (C-MAC, C-ENC as
 * the level asks) so that it reaches the security domain's command table behind the secure
 * channel, and the response is unwrapped (R-MAC, R-ENC) by the host.
 *
 * Input:
 *   byte 0  bit 0: 0 = the bootstrap profile's MNO-SD (A000000151000000, KVN 30 505152...5F),
 *                  1 = the ISD-R with an SCP03 key set from the configuration (KVN 30 404142...4F);
 *           bits 1-3: security level (01 03 11 13 33 33 01 03); bit 4: logical channel 1
 *   then    records `L || plain C-APDU` (wrapped; class byte forced to the session's channel);
 *           L = 0: the next record goes unwrapped (a command without secure messaging mid-session)
 */
#include "fuzz.h"

#include "eum/host/scp03.h"

static const uint8_t mnosd_aid[8] = {0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00, 0x00};
static const uint8_t isdr_aid[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
static const uint8_t key50[16] = {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
                                  0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F};
static const uint8_t key40[16] = {0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
                                  0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F};
static const uint8_t levels[8] = {0x01, 0x03, 0x11, 0x13, 0x33, 0x33, 0x01, 0x03};

/* Open the session; 0 when the card would not (which must not happen with these keys). */
static int open_session(eum_card *card, eum_host_scp03 *h, int isdr, uint8_t chan, uint8_t sl)
{
	static const uint8_t hc[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	const uint8_t *aid = isdr ? isdr_aid : mnosd_aid, *key = isdr ? key40 : key50;
	size_t aid_len = isdr ? sizeof(isdr_aid) : sizeof(mnosd_aid), n = 0, rl = 0;
	uint8_t c[64], r[FUZZ_RAPDU_MAX];

	if (chan && fuzz_xmit(card, (const uint8_t *)"\x00\x70\x00\x01", 4, r, &rl) != 0x9000)
		return 0;
	c[0] = chan;
	memcpy(c + 1, "\xA4\x04\x00", 3);
	c[4] = (uint8_t)aid_len;
	memcpy(c + 5, aid, aid_len);
	c[5 + aid_len] = 0x00;
	if (fuzz_xmit_get(card, c, 6 + aid_len, r, &rl) != 0x9000)
		return 0;
	eum_host_scp03_init(h);
	if (eum_host_scp03_set_keys(h, 0x30, key, key, key, 16) != EUM_OK ||
	    eum_host_scp03_set_sd_aid(h, aid, aid_len) != EUM_OK ||
	    eum_host_scp03_initialize_update(h, chan, hc, c, sizeof(c), &n) != EUM_OK)
		return 0;
	if (fuzz_xmit_get(card, c, n, r, &rl) != 0x9000 ||
	    eum_host_scp03_check_init_update_response(h, r, rl) != EUM_OK)
		return 0;
	if (eum_host_scp03_external_authenticate(h, sl, c, sizeof(c), &n) != EUM_OK)
		return 0;
	return fuzz_xmit(card, c, n, r, &rl) == 0x9000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eum_config cfg;
	eum_storage st;
	struct fuzz_mem mem;
	eum_card *card = NULL;
	eum_host_scp03 h;
	uint8_t chan, sl;
	size_t off = 1;
	int isdr, clear = 0;

	if (size < 1)
		return 0;
	isdr = data[0] & 1;
	sl = levels[(data[0] >> 1) & 7];
	chan = (data[0] >> 4) & 1;
	fuzz_config(&cfg);
	fuzz_mem_init(&mem, NULL, 0);
	fuzz_config_mem(&cfg, &st, &mem);
	if (isdr) {
		cfg.isdr_scp03.kvn = 0x30;
		cfg.isdr_scp03.key_len = 16;
		cfg.isdr_scp03.enc = cfg.isdr_scp03.mac = cfg.isdr_scp03.dek = key40;
	}
	if (eum_card_new(&card, &cfg) != EUM_OK || eum_card_reset(card, 1, NULL, 0, NULL) != EUM_OK)
		abort();
	if (!open_session(card, &h, isdr, chan, sl)) {
		fprintf(stderr, "honest SCP03 session (%s, level %02X) refused\n", isdr ? "ISD-R" : "MNO-SD", sl);
		abort();
	}
	while (off < size) {
		uint8_t c[256], w[FUZZ_RAPDU_MAX], r[FUZZ_RAPDU_MAX], plain[FUZZ_RAPDU_MAX];
		size_t len = data[off++], wn = 0, rl = 0, pl = 0;
		uint16_t sw;
		if (len == 0) {
			clear = 1;
			continue;
		}
		if (len > size - off)
			len = size - off;
		memcpy(c, data + off, len);
		off += len;
		if (len >= 4 && (c[0] & 0x40) == 0)
			c[0] = (uint8_t)((c[0] & 0xF0) | chan); /* basic-range class on the session's channel */
		if (clear) {
			clear = 0;
			sw = fuzz_xmit_get(card, c, len, r, &rl);
			fuzz_drain_proactive(card, sw, 4);
			continue;
		}
		if (eum_host_scp03_wrap_command(&h, c, len, w, sizeof(w), &wn) != EUM_OK)
			continue;
		sw = fuzz_xmit_get(card, w, wn, r, &rl);
		if (sw) {
			r[rl] = (uint8_t)(sw >> 8);
			r[rl + 1] = (uint8_t)sw;
			(void)eum_host_scp03_unwrap_response(&h, r, rl + 2, plain, sizeof(plain), &pl);
		}
		fuzz_drain_proactive(card, sw, 4);
	}
	eum_host_scp03_free(&h);
	fuzz_check_image(card, &mem);
	eum_card_free(card);
	fuzz_mem_free(&mem);
	return 0;
}
