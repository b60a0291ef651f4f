/*
 * The M2M provisioning demo. This first chapter is the modem's boot: the card
 * powers up, the modem reads EF.DIR to find the USIM, reads the ICCID, opens
 * the USIM, verifies PIN1 and reads the IMSI — the same APDUs a real LTE
 * modem sends. Later chapters (SM-SR, SM-DP, profile switch, fall-back)
 * extend this timeline.
 *
 *   eum_demo [--verbose]     exit status 0 when every step went as expected
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eum/eum.h"

struct demo {
	eum_card *card;
	int verbose;
	int failed;
	uint8_t rsp[300];
	size_t rlen;
};

static void hex(const char *prefix, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s", prefix);
	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
	printf("\n");
}

static unsigned sw(const struct demo *d)
{
	return d->rlen >= 2 ? (unsigned)(d->rsp[d->rlen - 2] << 8 | d->rsp[d->rlen - 1]) : 0;
}

/* Send one APDU from hex text; follow 61xx with GET RESPONSE as a modem does. */
static int send(struct demo *d, const char *apdu_hex, unsigned expect_sw)
{
	uint8_t c[300];
	size_t n = 0;
	const char *p;

	for (p = apdu_hex; p[0] && n < sizeof(c); p++) {
		if (*p == ' ')
			continue;
		if (sscanf(p, "%2hhx", &c[n]) != 1)
			break;
		n++;
		p++;
	}
	for (;;) {
		if (d->verbose)
			hex("        modem -> card  ", c, n);
		if (eum_card_transmit(d->card, c, n, d->rsp, sizeof(d->rsp), &d->rlen) != EUM_OK) {
			d->failed = 1;
			return -1;
		}
		if (d->verbose)
			hex("        card -> modem  ", d->rsp, d->rlen);
		if ((sw(d) >> 8) != 0x61)
			break;
		c[0] &= 0x03;
		c[1] = 0xC0;
		c[2] = c[3] = 0;
		c[4] = d->rsp[1];
		n = 5;
	}
	if (sw(d) != expect_sw) {
		printf("  !! expected SW %04X, card answered %04X\n", expect_sw, sw(d));
		d->failed = 1;
		return -1;
	}
	return 0;
}

static void bcd_swapped(const uint8_t *p, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		uint8_t lo = p[i] & 0x0F, hi = p[i] >> 4;
		if (lo <= 9)
			out[k++] = (char)('0' + lo);
		if (hi <= 9)
			out[k++] = (char)('0' + hi);
	}
	out[k] = '\0';
}

int main(int argc, char **argv)
{
	struct demo d = {0};
	eum_config cfg;
	uint8_t atr[EUM_ATR_MAX];
	size_t atr_len;
	char text[64];

	d.verbose = argc > 1 && !strcmp(argv[1], "--verbose");
	eum_config_init(&cfg);
	if (eum_card_new(&d.card, &cfg) != EUM_OK) {
		fprintf(stderr, "demo: cannot manufacture the card\n");
		return 1;
	}
	printf("eum M2M demo — one eUICC, one modem\n\n");
	printf("[ 1] factory: eUICC manufactured with its bootstrap profile (built-in test card)\n");
	eum_card_reset(d.card, 1, atr, sizeof(atr), &atr_len);
	hex("[ 2] modem powers the card up; ATR ", atr, atr_len);

	printf("[ 3] modem sends its TERMINAL PROFILE (SMS-PP download, REFRESH, SEND SHORT MESSAGE)\n");
	send(&d, "801000000A FFFFFFFF7F0000DFFF00", 0x9000);

	printf("[ 4] modem reads EF.DIR to find the USIM\n");
	send(&d, "00A40004022F00", 0x9000);
	send(&d, "00B2010420", 0x9000);
	if (!d.failed && d.rsp[0] == 0x61 && d.rsp[2] == 0x4F) {
		hex("     USIM AID ", d.rsp + 4, d.rsp[3]);
	}

	printf("[ 5] modem reads EF.ICCID\n");
	send(&d, "00A40004022FE2", 0x9000);
	send(&d, "00B000000A", 0x9000);
	if (!d.failed) {
		bcd_swapped(d.rsp, 10, text);
		printf("     ICCID %s\n", text);
	}

	printf("[ 6] modem opens the USIM and verifies PIN1\n");
	send(&d, "00A4040410A0000000871002FFFFFFFF8907090000", 0x9000);
	send(&d, "002000010831323334FFFFFFFF", 0x9000);

	printf("[ 7] modem reads EF.IMSI\n");
	send(&d, "00A40004026F07", 0x9000);
	send(&d, "00B0000009", 0x9000);
	if (!d.failed) {
		bcd_swapped(d.rsp + 1, 8, text);
		printf("     IMSI %s (MCC %.3s, MNC %.2s)\n", text + 1, text + 1, text + 4);
	}

	eum_card_free(d.card);
	if (d.failed) {
		printf("\ndemo FAILED: a step deviated from the expected exchange\n");
		return 1;
	}
	printf("\ndemo complete: the modem found the USIM, read ICCID and IMSI.\n");
	return 0;
}
