/*
 * The M2M provisioning demo: the modem (ETSI TS 102 221 T=0, TS 102 223 proactive session, SMS both
 * ways, reset on REFRESH) and the network (3GPP TS 33.102 §6.3 AKA with the host AKA module).
 */
#include "demo.h"

/* ---- the modem ---------------------------------------------------------------------------------- */

/* One APDU on the wire. */
static int wire(struct demo *d, const uint8_t *c, size_t n, uint8_t *r, size_t cap, size_t *rlen)
{
	int rc;

	if (d->verbose)
		demo_hexdump("      > ", c, n);
	rc = eum_card_transmit(d->card, c, n, r, cap, rlen);
	d->apdus++;
	if (rc != EUM_OK)
		return demo_fail("eum_card_transmit: %s", eum_strerror(rc));
	if (d->verbose)
		demo_hexdump("      < ", r, *rlen);
	return 0;
}

/* A command as a modem sends it over T=0 (TS 102 221 §7.3.1): 61xx -> GET RESPONSE until the data
 * is complete, 6Cxx -> the same command with Le = xx. Returns the final SW (0 on a library error);
 * response data joined in out. Proactive commands (91xx) are left to the caller. */
static uint16_t t0(struct demo *d, const uint8_t *capdu, size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t cmd[261], r[258];
	size_t cl = len, rl = 0, got = 0;
	uint16_t sw;

	if (len > sizeof(cmd))
		return 0;
	memcpy(cmd, capdu, len);
	for (;;) {
		if (wire(d, cmd, cl, r, sizeof(r), &rl) || rl < 2)
			return 0;
		sw = (uint16_t)(r[rl - 2] << 8 | r[rl - 1]);
		if (got + rl - 2 > RSP_MAX)
			return 0;
		if (out)
			memcpy(out + got, r, rl - 2);
		got += rl - 2;
		if ((sw >> 8) == 0x61) {
			uint8_t gr[5] = {(uint8_t)(capdu[0] & 0x03), 0xC0, 0x00, 0x00, (uint8_t)sw};
			memcpy(cmd, gr, sizeof(gr));
			cl = sizeof(gr);
			continue;
		}
		if ((sw >> 8) == 0x6C && cl >= 5) {
			cmd[cl - 1] = (uint8_t)sw;
			continue;
		}
		if (out_len)
			*out_len = got;
		return sw;
	}
}

/* The proactive session (TS 102 221 §7.4.2, TS 102 223 §6): while the card answers 91xx, FETCH the
 * command, act on it and send the TERMINAL RESPONSE. SEND SHORT MESSAGE goes to the outbox (the
 * network delivers it), REFRESH is noted for the modem's next reset. Returns the final SW. */
static uint16_t proactive(struct demo *d, uint16_t sw)
{
	while ((sw >> 8) == 0x91) {
		uint8_t fetch[5] = {0x80, 0x12, 0x00, 0x00, (uint8_t)sw}, cmd[RSP_MAX];
		uint8_t tr[17] = {0x80, 0x14, 0x00, 0x00, 0x0C, 0x81, 0x03, 0,   0,
		                  0,    0x82, 0x02, 0x82, 0x81, 0x83, 0x01, 0x00};
		size_t len = 0, off;

		if (t0(d, fetch, sizeof(fetch), cmd, &len) != 0x9000 || len < 7 || cmd[0] != 0xD0)
			return (uint16_t)demo_fail("FETCH did not return a proactive command");
		off = cmd[1] == 0x81 ? 3 : 2;
		if (cmd[off] != 0x81 || cmd[off + 1] != 0x03)
			return (uint16_t)demo_fail("proactive command without command details");
		if (d->bip) {
			/* BIP (TS 102 223 §6.4.27-§6.4.31) and SET UP EVENT LIST: the bridge's terminal answers */
			uint8_t btr[300];
			size_t btl = 0;
			int rc = bridge_proactive(d->bip, cmd, len, btr, sizeof(btr), &btl);

			if (rc < 0)
				return (uint16_t)demo_fail("the bridge could not serve a proactive command");
			if (rc > 0) {
				sw = t0(d, btr, btl, NULL, NULL);
				continue;
			}
		}
		memcpy(tr + 7, cmd + off + 2, 3); /* TS 102 223 §6.8: echo the command details */
		switch (cmd[off + 3]) {
		case 0x13: /* SEND SHORT MESSAGE */
			if (d->n_outbox == OUTBOX_MAX || len > sizeof(d->outbox[0].fetch))
				return (uint16_t)demo_fail("SMS outbox overflow");
			memcpy(d->outbox[d->n_outbox].fetch, cmd, len);
			d->outbox[d->n_outbox++].len = len;
			break;
		case 0x01: /* REFRESH */
			if (cmd[off + 4] != 0x04)
				return (uint16_t)demo_fail("REFRESH with qualifier %02X, expected 04 (UICC reset)",
				                           cmd[off + 4]);
			d->refresh = 1;
			break;
		case 0x05: /* SET UP EVENT LIST: the modem reports what it was asked for */
			break;
		default:
			tr[16] = 0x30; /* command beyond terminal's capabilities */
			break;
		}
		sw = t0(d, tr, sizeof(tr), NULL, NULL);
	}
	return sw;
}

/* A command followed by whatever proactive session it opens; returns the command's SW with 91xx
 * reported as 9000 ("normal ending, a proactive command was served"). */
uint16_t demo_modem_cmd(struct demo *d, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len)
{
	uint16_t sw = t0(d, c, n, out, out_len);

	if ((sw >> 8) == 0x91)
		return proactive(d, sw) == 0x9000 ? 0x9000 : 0;
	return sw;
}

uint16_t demo_modem_hex(struct demo *d, const char *hex, uint8_t *out, size_t *out_len)
{
	uint8_t c[261];
	size_t n = demo_unhex(hex, c, sizeof(c));

	return demo_modem_cmd(d, c, n, out, out_len);
}

/* SELECT by FID from the current DF, FCP returned (TS 102 221 §11.1.1). */
static uint16_t select_fid(struct demo *d, uint16_t fid, uint8_t *fcp, size_t *fcp_len)
{
	uint8_t c[8] = {0x00, 0xA4, 0x00, 0x04, 0x02, (uint8_t)(fid >> 8), (uint8_t)fid, 0x00};

	return demo_modem_cmd(d, c, sizeof(c), fcp, fcp_len);
}

/* Location status event download (TS 102 223 §7.5.4): 00 normal service, 02 no service. */
uint16_t demo_location_status(struct demo *d, uint8_t status)
{
	uint8_t c[17] = {0x80, 0xC2, 0x00, 0x00, 0x0C, 0xD6, 0x0A, 0x99, 0x01,
	                 0x03, 0x82, 0x02, 0x82, 0x81, 0x9B, 0x01, 0x00};

	c[16] = status;
	return demo_modem_cmd(d, c, sizeof(c), NULL, NULL);
}

/* The modem's boot (TS 102 221 §6, TS 31.102 §5.1.1): reset, TERMINAL PROFILE, EF.DIR -> USIM,
 * EF.ICCID, the USIM, PIN1, EF.IMSI. The ICCID tells the modem which subscription it is on; it
 * must be `expect` (index in demo_subs[]). */
int demo_modem_boot(struct demo *d, int cold, int expect)
{
	/* bits of TS 102 223 §5.2: profile download, SMS-PP download, REFRESH, SEND SHORT MESSAGE, SET UP
	 * EVENT LIST, location status event, ...; with the BIP bridge also one BIP channel (OPEN/CLOSE
	 * CHANNEL, SEND/RECEIVE DATA, GET CHANNEL STATUS, data available / channel status events, TCP) */
	static const uint8_t base[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0xDF, 0xFF, 0x00};
	uint8_t tp[5 + 32];
	size_t tp_len = 5 + sizeof(base);
	uint8_t atr[EUM_ATR_MAX], r[RSP_MAX], c[32];
	size_t atr_len = 0, n = 0, rec_len = 0, nrec = 0, i;
	char atr_hex[2 * EUM_ATR_MAX + 1], iccid[24], imsi[20], aid_hex[33];
	const struct subscription *s = &demo_subs[expect];
	int rc, found = -1;

	d->refresh = 0;
	if (d->bip)
		bridge_reset(d->bip);
	rc = eum_card_reset(d->card, cold, atr, sizeof(atr), &atr_len);
	CHECK(rc == EUM_OK, "reset: %s", eum_strerror(rc));
	demo_hexstr(atr, atr_len, atr_hex);
	memcpy(tp, "\x80\x10\x00\x00", 4);
	tp[4] = sizeof(base);
	memcpy(tp + 5, base, sizeof(base));
	if (d->bip)
		CHECK(eum_host_bip_profile(base, sizeof(base), tp, sizeof(tp), &tp_len) == EUM_OK, "TERMINAL PROFILE");
	CHECK(demo_modem_cmd(d, tp, tp_len, NULL, NULL) == 0x9000, "TERMINAL PROFILE refused");

	/* EF.DIR (2F00, linear fixed): the record whose AID has the 3GPP USIM prefix (TS 31.102 Annex A) */
	CHECK(select_fid(d, 0x3F00, r, &n) == 0x9000, "SELECT MF refused");
	CHECK(select_fid(d, 0x2F00, r, &n) == 0x9000, "SELECT EF.DIR refused");
	for (i = 2; i + 7 <= n && r[0] == 0x62; i += 2u + r[i + 1])
		if (r[i] == 0x82 && r[i + 1] == 5) {
			rec_len = (size_t)(r[i + 4] << 8 | r[i + 5]);
			nrec = r[i + 6];
		}
	for (i = 1; i <= nrec && found < 0; i++) {
		uint8_t rd[5] = {0x00, 0xB2, (uint8_t)i, 0x04, (uint8_t)rec_len};
		CHECK(demo_modem_cmd(d, rd, sizeof(rd), r, &n) == 0x9000, "READ RECORD %zu of EF.DIR refused", i);
		if (n > 4 && r[0] == 0x61 && r[2] == 0x4F && r[3] <= 16 && r[3] + 4u <= n &&
		    !memcmp(r + 4, "\xA0\x00\x00\x00\x87\x10\x02", 7)) {
			memcpy(d->usim, r + 4, r[3]);
			d->usim_len = r[3];
			found = 1;
		}
	}
	CHECK(found > 0, "no USIM in EF.DIR");
	demo_hexstr(d->usim, d->usim_len, aid_hex);

	/* EF.ICCID: which subscription is this? */
	CHECK(select_fid(d, 0x3F00, r, &n) == 0x9000, "SELECT MF refused");
	CHECK(select_fid(d, 0x2FE2, r, &n) == 0x9000, "SELECT EF.ICCID refused");
	CHECK(demo_modem_hex(d, "00B000000A", r, &n) == 0x9000 && n == 10, "READ BINARY EF.ICCID refused");
	demo_swapped_digits(r, 10, iccid);
	CHECK(!strcmp(iccid, s->iccid), "ICCID %s, expected %s (%s)", iccid, s->iccid, s->name);
	d->serving = expect;

	/* the USIM, PIN1, EF.IMSI */
	c[0] = 0x00;
	c[1] = 0xA4;
	c[2] = 0x04;
	c[3] = 0x04;
	c[4] = (uint8_t)d->usim_len;
	memcpy(c + 5, d->usim, d->usim_len);
	c[5 + d->usim_len] = 0x00;
	CHECK(demo_modem_cmd(d, c, 6 + d->usim_len, r, &n) == 0x9000, "SELECT USIM refused");
	memcpy(c, "\x00\x20\x00\x01\x08\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 13);
	memcpy(c + 5, s->pin1, strlen(s->pin1));
	CHECK(demo_modem_cmd(d, c, 13, NULL, NULL) == 0x9000, "VERIFY PIN1 refused");
	CHECK(select_fid(d, 0x6F07, r, &n) == 0x9000, "SELECT EF.IMSI refused");
	CHECK(demo_modem_hex(d, "00B0000009", r, &n) == 0x9000 && n == 9, "READ BINARY EF.IMSI refused");
	demo_swapped_digits(r + 1, 8, imsi);
	CHECK(!strcmp(imsi + 1, s->imsi), "IMSI %s, expected %s", imsi + 1, s->imsi);
	if (cold)
		demo_say("modem", "card", "power-up: ATR %s, TERMINAL PROFILE", atr_hex);
	else
		demo_say("modem", "card", "reset, TERMINAL PROFILE, EF.DIR: USIM %s", aid_hex);
	demo_say("card", "modem", "ICCID %s, PIN1 ok, IMSI %s (MCC %.3s MNC %.2s): %s", iccid, imsi + 1, imsi + 1,
	         imsi + 4, s->name);
	return 0;
}

/* ---- the network -------------------------------------------------------------------------------- */

static int aka_key(const struct subscription *s, struct eum_host_aka_key *key)
{
	uint8_t k[16], op[16];
	int rc;

	demo_unhex(s->k, k, 16);
	if (s->milenage) {
		demo_unhex(s->op, op, 16);
		rc = eum_host_aka_key_milenage(key, k, op, 0);
		memset(op, 0, sizeof(op));
	} else {
		rc = eum_host_aka_key_xor(key, k, 16);
	}
	memset(k, 0, sizeof(k));
	return rc;
}

/* One AUTHENTICATE in the 3G context (TS 31.102 §7.1.2.1); 1 = the card asked to resynchronise. */
static int authenticate(struct demo *d, const struct eum_host_aka_key *key, const uint8_t rand[16],
                        struct eum_host_aka_vector *v, struct eum_host_aka_response *rsp)
{
	static const uint8_t amf[2] = {0x80, 0x00};
	uint8_t sqn[6], c[40], r[RSP_MAX];
	uint64_t x = d->seq[d->serving] << 5; /* SEQ || IND 0 (TS 33.102 Annex C.1.2) */
	size_t n = 0;
	int i, rc;

	for (i = 5; i >= 0; i--, x >>= 8)
		sqn[i] = (uint8_t)x;
	rc = eum_host_aka_generate(key, rand, sqn, amf, v);
	CHECK(rc == EUM_OK, "eum_host_aka_generate: %s", eum_strerror(rc));
	memcpy(c, "\x00\x88\x00\x81\x22\x10", 6);
	memcpy(c + 6, v->rand, 16);
	c[22] = 0x10;
	memcpy(c + 23, v->autn, 16);
	c[39] = 0x00;
	CHECK(demo_modem_cmd(d, c, sizeof(c), r, &n) == 0x9000, "AUTHENTICATE refused");
	rc = eum_host_aka_parse_response(r, n, rsp);
	memset(r, 0, sizeof(r));
	CHECK(rc == EUM_OK, "AUTHENTICATE response malformed");
	return rsp->sync_failure ? 1 : 0;
}

/* The attach: the network authenticates the subscription the modem booted on and checks RES, CK
 * and IK against its vector; then the modem reports normal service to the card (which may answer
 * with a notification SMS, left in the outbox). */
int demo_attach(struct demo *d)
{
	const struct subscription *s = &demo_subs[d->serving];
	struct eum_host_aka_key key;
	struct eum_host_aka_vector v;
	struct eum_host_aka_response rsp;
	uint8_t rand[16], sqn_ms[6];
	size_t res_len;
	int i, rc, resync = 0;

	for (i = 0; i < 16; i++)
		rand[i] = (uint8_t)(0x5A ^ (i * 29) ^ (d->attaches * 71));
	d->attaches++;
	rc = aka_key(s, &key);
	CHECK(rc == EUM_OK, "network key: %s", eum_strerror(rc));
	rc = authenticate(d, &key, rand, &v, &rsp);
	if (rc == 1) {
		/* TS 33.102 §6.3.5: the card's SQN is ahead: verify AUTS, continue from SQN_MS */
		resync = eum_host_aka_resync(&key, rand, rsp.auts, sqn_ms) == EUM_OK;
		if (resync) {
			uint64_t ms = 0;
			for (i = 0; i < 6; i++)
				ms = ms << 8 | sqn_ms[i];
			d->seq[d->serving] = (ms >> 5) + 1;
			rc = authenticate(d, &key, rand, &v, &rsp);
		}
	}
	eum_host_aka_key_wipe(&key);
	if (rc != 0 || v.res_len != rsp.res_len || memcmp(v.res, rsp.res, v.res_len) || memcmp(v.ck, rsp.ck, 16) ||
	    memcmp(v.ik, rsp.ik, 16)) {
		eum_host_aka_vector_wipe(&v);
		return demo_fail("authentication failed (%s)", rc ? "no RES" : "RES, CK or IK differ from the vector");
	}
	res_len = rsp.res_len;
	d->seq[d->serving]++;
	eum_host_aka_vector_wipe(&v);
	memset(&rsp, 0, sizeof(rsp));
	CHECK(demo_location_status(d, 0x00) == 0x9000, "location status ENVELOPE refused");
	demo_say("network", "card", "AUTHENTICATE %s, SEQ %llu%s: RES = XRES (%zu bytes), CK, IK agree; attached",
	         s->milenage ? "Milenage" : "XOR test algorithm", (unsigned long long)(d->seq[d->serving] - 1),
	         resync ? " after resync (AUTS verified)" : "", res_len);
	return 0;
}
