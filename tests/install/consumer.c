/*
 * A program built against an installed eum (tests/install/test_install.sh builds it with
 * find_package(eum), pkg-config shared and pkg-config static): it powers the default card, SELECTs
 * the MF (ETSI TS 102 221 §11.1.1: 61xx, then the FCP template 62 by GET RESPONSE), and runs a
 * Milenage AUTHENTICATE (3GPP TS 31.102 §7.1.2) whose vector libeum-host computes, so that both
 * installed libraries are linked and used. Exit status 0 when every answer is the expected one.
 */
#include <stdio.h>
#include <string.h>

#include <eum/eum.h>
#include <eum/host/aka.h>

static int send(eum_card *card, const uint8_t *c, size_t n, uint8_t *r, size_t *rlen)
{
	return eum_card_transmit(card, c, n, r, 300, rlen);
}

int main(void)
{
	/* the default test card (README "Default test card") */
	static const uint8_t k[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
	static const uint8_t op[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	                               0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
	static const uint8_t rand_[16] = {0x5A, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
	static const uint8_t sqn[6] = {0, 0, 0, 0, 0, 0x41}, amf[2] = {0x80, 0x00};
	static const uint8_t select_mf[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00};
	static const uint8_t select_usim[] = {0x00, 0xA4, 0x04, 0x0C, 0x10, 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10,
	                                      0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x07, 0x09, 0x00, 0x00};
	static const uint8_t verify_pin1[] = {0x00, 0x20, 0x00, 0x01, 0x08, '1', '2', '3', '4', 0xFF, 0xFF, 0xFF, 0xFF};
	struct eum_host_aka_key key;
	struct eum_host_aka_vector v;
	eum_card *card = NULL;
	uint8_t atr[EUM_ATR_MAX], r[300], c[40];
	size_t atr_len = 0, rlen = 0;

	if (eum_card_new(&card, NULL) != EUM_OK || eum_card_reset(card, 1, atr, sizeof(atr), &atr_len) != EUM_OK) {
		fprintf(stderr, "consumer: cannot make and power the card\n");
		return 1;
	}
	if (send(card, select_mf, sizeof(select_mf), r, &rlen) || rlen != 2 || r[0] != 0x61) {
		fprintf(stderr, "consumer: SELECT MF did not answer 61xx\n");
		return 1;
	}
	c[0] = 0x00, c[1] = 0xC0, c[2] = 0x00, c[3] = 0x00, c[4] = r[1];
	if (send(card, c, 5, r, &rlen) || rlen < 4 || r[0] != 0x62 || r[rlen - 2] != 0x90 || r[rlen - 1] != 0x00) {
		fprintf(stderr, "consumer: GET RESPONSE after SELECT MF did not give the FCP\n");
		return 1;
	}
	printf("ATR of %zu bytes, MF FCP of %zu bytes\n", atr_len, rlen - 2);

	if (eum_host_aka_key_milenage(&key, k, op, 0) != EUM_OK || eum_host_aka_generate(&key, rand_, sqn, amf, &v)) {
		fprintf(stderr, "consumer: libeum-host could not compute the vector\n");
		return 1;
	}
	if (send(card, select_usim, sizeof(select_usim), r, &rlen) || rlen != 2 || r[0] != 0x90 ||
	    send(card, verify_pin1, sizeof(verify_pin1), r, &rlen) || rlen != 2 || r[0] != 0x90) {
		fprintf(stderr, "consumer: SELECT ADF.USIM / VERIFY PIN1 failed\n");
		return 1;
	}
	memcpy(c, "\x00\x88\x00\x81\x22\x10", 6);
	memcpy(c + 6, rand_, 16);
	c[22] = 0x10;
	memcpy(c + 23, v.autn, 16);
	if (send(card, c, 39, r, &rlen) || rlen != 2 || r[0] != 0x61) {
		fprintf(stderr, "consumer: AUTHENTICATE did not answer 61xx\n");
		return 1;
	}
	c[0] = 0x00, c[1] = 0xC0, c[2] = 0x00, c[3] = 0x00, c[4] = r[1];
	if (send(card, c, 5, r, &rlen) || rlen < 12 || r[0] != 0xDB || r[1] != v.res_len ||
	    memcmp(r + 2, v.res, v.res_len) != 0) {
		fprintf(stderr, "consumer: the card's RES is not libeum-host's XRES\n");
		return 1;
	}
	printf("AUTHENTICATE: RES equals libeum-host's XRES\n");
	eum_host_aka_key_wipe(&key);
	eum_card_free(card);
	return 0;
}
