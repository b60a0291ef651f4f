/*
 * Fuzz target: ENVELOPE (SMS-PP download) carrying SCP80 secured packets (ETSI TS 102 225,
 * TS 31.115, TS 102 226 remote APDUs; SGP.02 ES5 scripts to the ISD-R) on a fresh default card
 * that has had its TERMINAL PROFILE.
 *
 * fuzz_envelope: the input is wrapped as a valid SCP80 packet by libeum-host with the test key
 * sets, so it gets past the cryptography to the command interpreter. Input:
 *   byte 0  bits 0-2 key set (ota_keysets, mod 5), bits 3-4 TAR (00 ISD-R 000001, 01 RFM
 *           B00010, 10 RFM B00000, 11 the next 3 input bytes), bits 5-7 security (table below)
 *   byte 1  low byte of the counter (1..256, a fresh card has counter 0)
 *   rest    the secured data (compact C-APDUs, or an expanded AA/AE script)
 * fuzz_envelope_raw (FUZZ_ENVELOPE_RAW): the ENVELOPE data themselves, as records `L || data`
 * (`D1 ...` SMS-PP download or any other BER-TLV the card may get), so the SMS-PP, concatenation
 * and SCP80 parsers see unchecked bytes.
 */
#include "fuzz_scp80.h"

static struct fuzz_mem mem;

static eum_card *fresh_card(void)
{
	static const uint8_t tp[] = {0x80, 0x10, 0x00, 0x00, 0x14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	                             0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	eum_card *card;

	fuzz_mem_init(&mem, NULL, 0);
	card = fuzz_card(&mem);
	if (!card)
		abort();
	fuzz_drain_proactive(card, fuzz_xmit(card, tp, sizeof(tp), NULL, NULL), 4);
	return card;
}

#ifdef FUZZ_ENVELOPE_RAW
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eum_card *card = fresh_card();
	size_t off = 0;

	while (off < size) {
		uint8_t c[5 + 255], out[FUZZ_RAPDU_MAX];
		size_t len = data[off++], ol = 0;
		uint16_t sw;
		if (len > size - off)
			len = size - off;
		memcpy(c, "\x80\xC2\x00\x00", 4);
		c[4] = (uint8_t)len;
		memcpy(c + 5, data + off, len);
		off += len;
		sw = fuzz_xmit_get(card, c, 5 + len, out, &ol);
		fuzz_drain_proactive(card, sw, 8);
	}
	fuzz_check_image(card, &mem);
	eum_card_free(card);
	fuzz_mem_free(&mem);
	return 0;
}
#else
/* SPI1, SPI2 (TS 102 225 §5.1.1): what real servers send, from none to everything. */
static const uint8_t spis[8][2] = {
        {0x16, 0x39}, /* counter higher, ciphered, CC; PoR always, ciphered, CC, by SMS-SUBMIT */
        {0x16, 0x19}, /* the same, PoR in the ENVELOPE response */
        {0x16, 0x00}, /* no PoR */
        {0x12, 0x21}, /* counter higher, CC, in clear; PoR always, unsecured, by SMS-SUBMIT */
        {0x06, 0x01}, /* ciphered + CC without counter; PoR always, unsecured */
        {0x02, 0x00}, /* CC only */
        {0x00, 0x00}, /* no security at all */
        {0x1E, 0x2A}, /* counter one higher, ciphered, CC; PoR on error only, CC, by SMS-SUBMIT */
};
static const uint8_t tars[3][3] = {{0x00, 0x00, 0x01}, {0xB0, 0x00, 0x10}, {0xB0, 0x00, 0x00}};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ota_keys *k;
	struct eum_host_scp80_params p;
	eum_card *card;
	size_t off = 2;

	if (size < 2)
		return 0;
	k = &ota_keysets[(data[0] & 7) % (sizeof(ota_keysets) / sizeof(ota_keysets[0]))];
	memset(&p, 0, sizeof(p));
	if (((data[0] >> 3) & 3) == 3) {
		if (size < 5)
			return 0;
		memcpy(p.tar, data + 2, 3);
		off = 5;
	} else {
		memcpy(p.tar, tars[(data[0] >> 3) & 3], 3);
	}
	memcpy(p.spi, spis[data[0] >> 5], 2);
	p.kic = p.kid = (uint8_t)(k->kvn << 4 | k->nib);
	p.cntr[4] = (uint8_t)(data[1] + 1);
	if (data[1] == 0xFF)
		p.cntr[3] = 1;
	card = fresh_card();
	fuzz_scp80_send(card, k, &p, data + off, size - off);
	fuzz_check_image(card, &mem);
	eum_card_free(card);
	fuzz_mem_free(&mem);
	return 0;
}
#endif
