/*
 * The M2M provisioning demo (GSMA SGP.02): the life of one eUICC in a connected car, told as a
 * timeline of who sends what to whom. Four actors around one card, each a small model built only on
 * the public API (include/eum/eum.h for the card, the include/eum/host headers for the off-card side):
 *
 *  - the modem: powers the card, answers T=0 (61xx GET RESPONSE, 6Cxx), serves the proactive
 *    session (91xx FETCH / TERMINAL RESPONSE), carries SMS both ways and resets the card on REFRESH
 *    (ETSI TS 102 221 §7.3, TS 102 223 §6);
 *  - the network: authenticates the subscription the modem presents (3GPP TS 33.102 §6.3, with the
 *    host AKA module: Milenage for the bootstrap profile, the TS 34.108 test algorithm for TS.48);
 *  - the SM-SR: ES5 over SMS-PP with the ISD-R's SCP80 keys (SGP.02 §7; ETSI TS 102 225/226), and
 *    the relay of the SM-DP's ES8 scripts to an ISD-P's TAR;
 *  - the SM-DP: ES8 EstablishISDPKeySet (ECKA-EG) and the profile download through SCP03t.
 *
 * The story: first attach on the bootstrap profile (notification 01), CreateISDP, key
 * establishment and download of operator A's profile, EnableProfile (REFRESH, attach, notification
 * 02), the car is resold (disable, delete, operator B's profile downloaded and enabled), operator
 * B's network is lost and the card falls back to the bootstrap profile (notification 05). Every
 * status word, PoR and decoded value is checked; the first deviation ends the story.
 *
 *   eum_demo [--verbose] [--data DIR]
 *     --verbose   also print every APDU between the modem and the card
 *     --data DIR  where the test PKI and the TS.48 packages are (default: the source tree's tests/data)
 *   exit status 0 when every step went as expected.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eum/eum.h"
#include "eum/host/aka.h"
#include "eum/host/scp80.h"
#include "eum/host/smdp.h"
#include "eum/host/sms.h"
#include "eum/host/smsr.h"

#ifndef EUM_DEMO_DATA_DIR
#define EUM_DEMO_DATA_DIR "tests/data"
#endif

#define RSP_MAX     1024 /* response data of one command, GET RESPONSE parts joined */
#define OUTBOX_MAX  16   /* SMS the modem has sent and the network has not delivered yet */
#define SCRIPT_MAX  1000 /* one SCP80 packet in at most 8 concatenated SMS (the card joins 1024 bytes) */
#define SEGMENT     960  /* SCP03t plain bytes per 86 TLV: one 86 fills one packet */
#define PACKAGE_MAX 32768

/* ---- the cast ------------------------------------------------------------------------------------ */

/* A subscription as the device is configured for it (PIN1) and as its operator's HSS knows it. */
struct subscription {
	const char *name;
	const char *iccid; /* what the modem must read in EF.ICCID */
	const char *imsi;  /* ... and in EF.IMSI */
	const char *pin1;
	int milenage; /* 1: Milenage with K/OP; 0: the TS 34.108 test algorithm with K, 16-byte RES */
	const char *k, *op;
	const char *package; /* TS.48 package under tests/data/ts48 (NULL: the card's built-in bootstrap) */
	uint8_t tar[3];      /* TAR of the ISD-P holding it (SGP.02 Annex H) */
};

/* examples/profiles/bootstrap.conf, and the TS.48 summaries tests/data/ts48/<name>.json. Both TS.48
 * packages carry the test IMSI 001010123456063: the network tells them apart by ICCID. */
static const struct subscription subs[] = {
        {.name = "bootstrap",
         .iccid = "8988211000000000011",
         .imsi = "001010123456789",
         .pin1 = "1234",
         .milenage = 1,
         .k = "000102030405060708090A0B0C0D0E0F",
         .op = "00112233445566778899AABBCCDDEEFF",
         .tar = {0x00, 0x00, 0x10}},
        {.name = "operator A",
         .iccid = "8949449999999990015",
         .imsi = "001010123456063",
         .pin1 = "0000",
         .k = "000102030405060708090A0B0C0D0E0F",
         .package = "TS48V2-SAIP2-3-NOBERTLV-UNIQUE.der",
         .tar = {0x00, 0x00, 0x11}},
        {.name = "operator B",
         .iccid = "8949449999999990114",
         .imsi = "001010123456063",
         .pin1 = "0000",
         .k = "000102030405060708090A0B0C0D0E0F",
         .package = "TS48V4-SAIP2-1B-NOBERTLV-UNIQUE.der",
         .tar = {0x00, 0x00, 0x12}},
};
#define BOOT  0
#define OP_A  1
#define OP_B  2
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

/* The car's IMEI, TS 102 223 §8.20 / TS 24.008 §10.5.1.4 coding of 356938035643809. */
static const uint8_t imei[8] = {0x3A, 0x65, 0x39, 0x08, 0x53, 0x46, 0x83, 0x90};

/* The SM-SR's SMS address, written into the card at manufacture (eum_config.es5.smsr_address). */
#define SMSR_ADDRESS "12345678"

/* One SEND SHORT MESSAGE as the modem fetched it. */
struct sms {
	uint8_t fetch[256];
	size_t len;
};

struct demo {
	eum_card *card;
	int verbose;
	const char *data_dir;
	unsigned apdus; /* APDUs exchanged between modem and card */
	/* the modem */
	struct sms outbox[OUTBOX_MAX];
	size_t n_outbox;
	int refresh; /* REFRESH fetched and not acted on yet */
	int serving; /* index in subs[] of the subscription the modem booted on */
	uint8_t usim[16];
	size_t usim_len;
	/* the network: next SEQ per subscription (TS 33.102 Annex C) */
	uint64_t seq[NSUBS];
	unsigned attaches;
	/* the SM-SR: the EIS (EID, ECASD key) and the ISD-R's SCP80 key set */
	struct eum_host_smsr sr;
	uint8_t eid[16];
	uint8_t pk_ecasd[65];
	uint8_t work[1200]; /* deciphered PoRs; the last ES5 result points into it */
	struct eum_host_smsr_result res;
	size_t sms_sent; /* SMS-PP ENVELOPEs of the last packet */
	/* the SM-DP */
	uint8_t dp_cert[1024];
	size_t dp_cert_len;
	uint8_t dp_sk[32];
	eum_host_smdp_crt crt;
	eum_host_smdp_keys keys; /* the ISD-P's SCP03 key set after EstablishISDPKeySet */
};

/* ---- the timeline ------------------------------------------------------------------------------- */

static void hexdump(const char *prefix, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s", prefix);
	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
	printf("\n");
}

static void hexstr(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", p[i]);
	out[2 * n] = '\0';
}

static void chapter(const char *fmt, ...)
{
	va_list ap;

	printf("\n");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* One line of the timeline: "  from → to   what". */
static void say(const char *from, const char *to, const char *fmt, ...)
{
	va_list ap;

	printf("  %-7s \xE2\x86\x92 %-7s ", from, to);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A deviation: say what was expected and what came. Returns -1 for `return fail(...)`. */
static int fail(const char *fmt, ...)
{
	va_list ap;

	printf("  !! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return -1;
}

#define CHECK(cond, ...)                                                                                               \
	do {                                                                                                           \
		if (!(cond))                                                                                           \
			return fail(__VA_ARGS__);                                                                      \
	} while (0)

/* "…1100": the last two AID bytes, enough to tell the ISD-Ps of SGP.02 Annex H apart. */
static const char *short_aid(const uint8_t *aid, size_t len, char buf[16])
{
	if (len < 2)
		return "?";
	snprintf(buf, 16, "\xE2\x80\xA6%02X%02X", aid[len - 2], aid[len - 1]);
	return buf;
}

static void isdp_aid(const uint8_t tar[3], uint8_t aid[16])
{
	static const uint8_t pfx[12] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89};

	memcpy(aid, pfx, 12);
	memcpy(aid + 12, tar, 3);
	aid[15] = 0x00;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (s[0] && s[1] && n < cap && sscanf(s, "%2x", &v) == 1) {
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* BCD digits, nibble-swapped, F filler dropped (TS 102 221 §13.2, TS 31.102 §4.2.2). */
static void swapped_digits(const uint8_t *b, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		uint8_t lo = b[i] & 0x0F, hi = b[i] >> 4;
		if (lo <= 9)
			out[k++] = (char)('0' + lo);
		if (hi <= 9)
			out[k++] = (char)('0' + hi);
	}
	out[k] = '\0';
}

static int read_file(const struct demo *d, const char *rel, uint8_t *buf, size_t cap, size_t *len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d->data_dir, rel);
	f = fopen(path, "rb");
	if (!f)
		return fail("cannot open %s (use --data DIR)", path);
	*len = fread(buf, 1, cap, f);
	if (!feof(f) || ferror(f)) {
		fclose(f);
		return fail("%s: unreadable or larger than %zu bytes", path, cap);
	}
	fclose(f);
	return 0;
}

/* Randomness of the SM-DP (its ephemeral key, its host challenge). */
static int os_random(void *ctx, uint8_t *buf, size_t len)
{
	FILE *f = fopen("/dev/urandom", "rb");
	size_t n;

	(void)ctx;
	if (!f)
		return -1;
	n = fread(buf, 1, len, f);
	fclose(f);
	return n == len ? 0 : -1;
}

/* ---- the modem ---------------------------------------------------------------------------------- */

/* One APDU on the wire. */
static int wire(struct demo *d, const uint8_t *c, size_t n, uint8_t *r, size_t cap, size_t *rlen)
{
	int rc;

	if (d->verbose)
		hexdump("      > ", c, n);
	rc = eum_card_transmit(d->card, c, n, r, cap, rlen);
	d->apdus++;
	if (rc != EUM_OK)
		return fail("eum_card_transmit: %s", eum_strerror(rc));
	if (d->verbose)
		hexdump("      < ", r, *rlen);
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
			return (uint16_t)fail("FETCH did not return a proactive command");
		off = cmd[1] == 0x81 ? 3 : 2;
		if (cmd[off] != 0x81 || cmd[off + 1] != 0x03)
			return (uint16_t)fail("proactive command without command details");
		memcpy(tr + 7, cmd + off + 2, 3); /* TS 102 223 §6.8: echo the command details */
		switch (cmd[off + 3]) {
		case 0x13: /* SEND SHORT MESSAGE */
			if (d->n_outbox == OUTBOX_MAX || len > sizeof(d->outbox[0].fetch))
				return (uint16_t)fail("SMS outbox overflow");
			memcpy(d->outbox[d->n_outbox].fetch, cmd, len);
			d->outbox[d->n_outbox++].len = len;
			break;
		case 0x01: /* REFRESH */
			if (cmd[off + 4] != 0x04)
				return (uint16_t)fail("REFRESH with qualifier %02X, expected 04 (UICC reset)",
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
static uint16_t modem_cmd(struct demo *d, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len)
{
	uint16_t sw = t0(d, c, n, out, out_len);

	if ((sw >> 8) == 0x91)
		return proactive(d, sw) == 0x9000 ? 0x9000 : 0;
	return sw;
}

static uint16_t modem_hex(struct demo *d, const char *hex, uint8_t *out, size_t *out_len)
{
	uint8_t c[261];
	size_t n = unhex(hex, c, sizeof(c));

	return modem_cmd(d, c, n, out, out_len);
}

/* SELECT by FID from the current DF, FCP returned (TS 102 221 §11.1.1). */
static uint16_t select_fid(struct demo *d, uint16_t fid, uint8_t *fcp, size_t *fcp_len)
{
	uint8_t c[8] = {0x00, 0xA4, 0x00, 0x04, 0x02, (uint8_t)(fid >> 8), (uint8_t)fid, 0x00};

	return modem_cmd(d, c, sizeof(c), fcp, fcp_len);
}

/* Location status event download (TS 102 223 §7.5.4): 00 normal service, 02 no service. */
static uint16_t location_status(struct demo *d, uint8_t status)
{
	uint8_t c[17] = {0x80, 0xC2, 0x00, 0x00, 0x0C, 0xD6, 0x0A, 0x99, 0x01,
	                 0x03, 0x82, 0x02, 0x82, 0x81, 0x9B, 0x01, 0x00};

	c[16] = status;
	return modem_cmd(d, c, sizeof(c), NULL, NULL);
}

/* The modem's boot (TS 102 221 §6, TS 31.102 §5.1.1): reset, TERMINAL PROFILE, EF.DIR -> USIM,
 * EF.ICCID, the USIM, PIN1, EF.IMSI. The ICCID tells the modem which subscription it is on; it
 * must be `expect` (index in subs[]). */
static int modem_boot(struct demo *d, int cold, int expect)
{
	/* bits of TS 102 223 §5.2: profile download, SMS-PP download, REFRESH, SEND SHORT MESSAGE, SET UP
	 * EVENT LIST, location status event, ... */
	static const uint8_t tp[] = {0x80, 0x10, 0x00, 0x00, 0x0A, 0xFF, 0xFF, 0xFF,
	                             0xFF, 0x7F, 0x00, 0x00, 0xDF, 0xFF, 0x00};
	uint8_t atr[EUM_ATR_MAX], r[RSP_MAX], c[32];
	size_t atr_len = 0, n = 0, rec_len = 0, nrec = 0, i;
	char atr_hex[2 * EUM_ATR_MAX + 1], iccid[24], imsi[20], aid_hex[33];
	const struct subscription *s = &subs[expect];
	int rc, found = -1;

	d->refresh = 0;
	rc = eum_card_reset(d->card, cold, atr, sizeof(atr), &atr_len);
	CHECK(rc == EUM_OK, "reset: %s", eum_strerror(rc));
	hexstr(atr, atr_len, atr_hex);
	CHECK(modem_cmd(d, tp, sizeof(tp), NULL, NULL) == 0x9000, "TERMINAL PROFILE refused");

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
		CHECK(modem_cmd(d, rd, sizeof(rd), r, &n) == 0x9000, "READ RECORD %zu of EF.DIR refused", i);
		if (n > 4 && r[0] == 0x61 && r[2] == 0x4F && r[3] <= 16 && r[3] + 4u <= n &&
		    !memcmp(r + 4, "\xA0\x00\x00\x00\x87\x10\x02", 7)) {
			memcpy(d->usim, r + 4, r[3]);
			d->usim_len = r[3];
			found = 1;
		}
	}
	CHECK(found > 0, "no USIM in EF.DIR");
	hexstr(d->usim, d->usim_len, aid_hex);

	/* EF.ICCID: which subscription is this? */
	CHECK(select_fid(d, 0x3F00, r, &n) == 0x9000, "SELECT MF refused");
	CHECK(select_fid(d, 0x2FE2, r, &n) == 0x9000, "SELECT EF.ICCID refused");
	CHECK(modem_hex(d, "00B000000A", r, &n) == 0x9000 && n == 10, "READ BINARY EF.ICCID refused");
	swapped_digits(r, 10, iccid);
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
	CHECK(modem_cmd(d, c, 6 + d->usim_len, r, &n) == 0x9000, "SELECT USIM refused");
	memcpy(c, "\x00\x20\x00\x01\x08\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 13);
	memcpy(c + 5, s->pin1, strlen(s->pin1));
	CHECK(modem_cmd(d, c, 13, NULL, NULL) == 0x9000, "VERIFY PIN1 refused");
	CHECK(select_fid(d, 0x6F07, r, &n) == 0x9000, "SELECT EF.IMSI refused");
	CHECK(modem_hex(d, "00B0000009", r, &n) == 0x9000 && n == 9, "READ BINARY EF.IMSI refused");
	swapped_digits(r + 1, 8, imsi);
	CHECK(!strcmp(imsi + 1, s->imsi), "IMSI %s, expected %s", imsi + 1, s->imsi);
	if (cold)
		say("modem", "card", "power-up: ATR %s, TERMINAL PROFILE", atr_hex);
	else
		say("modem", "card", "reset, TERMINAL PROFILE, EF.DIR: USIM %s", aid_hex);
	say("card", "modem", "ICCID %s, PIN1 ok, IMSI %s (MCC %.3s MNC %.2s): %s", iccid, imsi + 1, imsi + 1, imsi + 4,
	    s->name);
	return 0;
}

/* ---- the network -------------------------------------------------------------------------------- */

static int aka_key(const struct subscription *s, struct eum_host_aka_key *key)
{
	uint8_t k[16], op[16];
	int rc;

	unhex(s->k, k, 16);
	if (s->milenage) {
		unhex(s->op, op, 16);
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
	CHECK(modem_cmd(d, c, sizeof(c), r, &n) == 0x9000, "AUTHENTICATE refused");
	rc = eum_host_aka_parse_response(r, n, rsp);
	memset(r, 0, sizeof(r));
	CHECK(rc == EUM_OK, "AUTHENTICATE response malformed");
	return rsp->sync_failure ? 1 : 0;
}

/* The attach: the network authenticates the subscription the modem booted on and checks RES, CK
 * and IK against its vector; then the modem reports normal service to the card (which may answer
 * with a notification SMS, left in the outbox). */
static int attach(struct demo *d)
{
	const struct subscription *s = &subs[d->serving];
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
		return fail("authentication failed (%s)", rc ? "no RES" : "RES, CK or IK differ from the vector");
	}
	res_len = rsp.res_len;
	d->seq[d->serving]++;
	eum_host_aka_vector_wipe(&v);
	memset(&rsp, 0, sizeof(rsp));
	CHECK(location_status(d, 0x00) == 0x9000, "location status ENVELOPE refused");
	say("network", "card", "AUTHENTICATE %s, SEQ %llu%s: RES = XRES (%zu bytes), CK, IK agree; attached",
	    s->milenage ? "Milenage" : "XOR test algorithm", (unsigned long long)(d->seq[d->serving] - 1),
	    resync ? " after resync (AUTS verified)" : "", res_len);
	return 0;
}

/* ---- the SM-SR ---------------------------------------------------------------------------------- */

/* Take the response packet (PoR) out of the outbox: the SEND SHORT MESSAGE parts with IEI 71. */
static int outbox_por(struct demo *d, uint8_t *por, size_t cap, size_t *por_len)
{
	struct eum_host_sms_submit parts[OUTBOX_MAX], p;
	size_t i, n = 0, keep = 0;
	int ref = -1;

	/* the part with IEI 71 names the PoR; the other parts of a concatenated PoR carry only IEI 00 */
	for (i = 0; i < d->n_outbox; i++)
		if (eum_host_sms_parse_send_sm(d->outbox[i].fetch, d->outbox[i].len, &p) == EUM_OK && p.has_rpi)
			ref = p.concat ? (int)p.ref : -2;
	for (i = 0; i < d->n_outbox && ref != -1; i++) {
		if (eum_host_sms_parse_send_sm(d->outbox[i].fetch, d->outbox[i].len, &p) != EUM_OK)
			continue;
		if (p.has_rpi || (ref >= 0 && p.concat && p.ref == (unsigned)ref))
			parts[n++] = p;
	}
	if (!n)
		return 0;
	if (eum_host_sms_join(parts, n, por, cap, por_len) != EUM_OK)
		return fail("PoR by SMS: parts do not join");
	for (i = 0; i < d->n_outbox; i++) {
		if (eum_host_sms_parse_send_sm(d->outbox[i].fetch, d->outbox[i].len, &p) == EUM_OK &&
		    (p.has_rpi || (ref >= 0 && p.concat && p.ref == (unsigned)ref)))
			continue;
		d->outbox[keep++] = d->outbox[i];
	}
	d->n_outbox = keep;
	return 1;
}

/* Deliver the ENVELOPEs of one command packet through the modem; the PoR comes back in the last
 * ENVELOPE's response (SMS-DELIVER-REPORT, TS 31.115 §7) or as SMS from the card. */
static int deliver(struct demo *d, const uint8_t (*env)[261], const size_t *len, size_t n, uint8_t *por, size_t cap,
                   size_t *por_len)
{
	uint8_t r[RSP_MAX];
	size_t i, rl = 0;
	int got;

	for (i = 0; i < n; i++) {
		uint16_t sw = modem_cmd(d, env[i], len[i], r, &rl);
		CHECK(sw == 0x9000, "SMS-PP ENVELOPE %zu/%zu answered %04X", i + 1, n, sw);
	}
	d->sms_sent = n;
	got = outbox_por(d, por, cap, por_len);
	if (got)
		return got < 0 ? -1 : 0;
	CHECK(rl > 3 && !memcmp(r, "\x02\x71\x00", 3) && rl - 3 <= cap, "no PoR came back");
	memcpy(por, r + 3, rl - 3);
	*por_len = rl - 3;
	return 0;
}

/* One ES5 script of C-APDUs to the ISD-R (SGP.02 §7) with smsr.h; every command must have run and
 * the last one answered `want_sw`. The result is in d->res. */
static int es5(struct demo *d, const uint8_t *const *apdus, const size_t *lens, size_t n, uint16_t want_sw)
{
	struct eum_host_smsr_envelopes env;
	uint8_t por[RSP_MAX];
	size_t por_len = 0;
	int rc = eum_host_smsr_script(&d->sr, apdus, lens, n, &env);

	CHECK(rc == EUM_OK, "eum_host_smsr_script: %s", eum_strerror(rc));
	if (deliver(d, (const uint8_t(*)[261])env.apdu, env.len, env.n, por, sizeof(por), &por_len))
		return -1;
	rc = eum_host_smsr_parse_por(&d->sr, por, por_len, d->work, sizeof(d->work), &d->res);
	CHECK(rc == EUM_OK, "PoR does not verify: %s", eum_strerror(rc));
	CHECK(d->res.status == 0x00, "PoR status %02X", d->res.status);
	CHECK(d->res.executed == n, "PoR: %u of %zu commands executed", d->res.executed, n);
	CHECK(d->res.last_sw == want_sw, "PoR: SW %04X, expected %04X", d->res.last_sw, want_sw);
	return 0;
}

static int es5_one(struct demo *d, const uint8_t *apdu, size_t len, uint16_t want_sw)
{
	return es5(d, &apdu, &len, 1, want_sw);
}

static const char *notification_name(uint8_t type)
{
	switch (type) {
	case 0x01:
		return "eUICC declaration";
	case 0x02:
		return "profile change succeeded";
	case 0x03:
		return "profile change failed, roll-back";
	case 0x05:
		return "profile change after fall-back";
	default:
		return "unknown";
	}
}

/* The SM-SR receives the card's notification (SGP.02 §7.8) from the outbox, checks it and confirms
 * it (§7.9): nothing deleted as a follow-up. */
static int notification(struct demo *d, uint8_t type, int sub)
{
	struct eum_host_smsr_notification nt;
	uint8_t aid[16], apdu[32];
	char a[16];
	size_t i, n;
	int rc = EUM_ERR_NOT_FOUND;

	for (i = 0; i < d->n_outbox; i++) {
		rc = eum_host_smsr_parse_notification(&d->sr, d->outbox[i].fetch, d->outbox[i].len, &nt);
		if (rc == EUM_OK)
			break;
	}
	CHECK(rc == EUM_OK, "no notification %02X reached the SM-SR (%s)", type, eum_strerror(rc));
	memmove(&d->outbox[i], &d->outbox[i + 1], (d->n_outbox - i - 1) * sizeof(d->outbox[0]));
	d->n_outbox--;
	isdp_aid(subs[sub].tar, aid);
	CHECK(!memcmp(nt.eid, d->eid, 16), "notification from another EID");
	CHECK(nt.type == type, "notification %02X, expected %02X", nt.type, type);
	CHECK(nt.aid_len == 16 && !memcmp(nt.aid, aid, 16), "notification names another ISD-P");
	CHECK(!strcmp(nt.da, SMSR_ADDRESS), "notification sent to %s", nt.da);
	CHECK(nt.has_imei && !memcmp(nt.imei, imei, 8), "notification without the car's IMEI");
	say("card", "SM-SR", "SMS: notification %02X \"%s\", seq %u, ISD-P %s enabled", nt.type,
	    notification_name(nt.type), nt.seq, short_aid(nt.aid, nt.aid_len, a));
	rc = eum_host_smsr_confirm(nt.seq, apdu, sizeof(apdu), &n);
	CHECK(rc == EUM_OK, "eum_host_smsr_confirm: %s", eum_strerror(rc));
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	CHECK(d->res.data_len == 2 && !memcmp(d->res.data, "\x80\x00", 2), "confirmation: unexpected follow-up");
	say("SM-SR", "card", "HandleNotificationConfirmation seq %u: PoR 9000, no ISD-P deleted", nt.seq);
	return 0;
}

static const char *lcs_name(uint8_t lcs)
{
	switch (lcs) {
	case 0x07:
		return "SELECTABLE";
	case 0x0F:
		return "PERSONALIZED";
	case 0x1F:
		return "DISABLED";
	case 0x3F:
		return "ENABLED";
	default:
		return "?";
	}
}

/* The SM-SR audits the ISD-Ps (SGP.02 §7.7 GET STATUS): one E3 per ISD-P with 4F AID, 9F70 life
 * cycle state, 53 attributes (b1 fall-back). The summary must read `want`. */
static int audit(struct demo *d, const char *want)
{
	uint8_t apdu[32], dummy = 0;
	char line[256], a[16];
	size_t n, off = 0, k = 0;
	int rc = eum_host_smsr_get_status(&dummy, 0, apdu, sizeof(apdu), &n);

	CHECK(rc == EUM_OK, "eum_host_smsr_get_status: %s", eum_strerror(rc));
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	line[0] = '\0';
	while (off + 2 <= d->res.data_len && d->res.data[off] == 0xE3) {
		const uint8_t *e = d->res.data + off + 2, *aid = NULL;
		size_t el = d->res.data[off + 1], j = 0, aid_len = 0;
		uint8_t lcs = 0, attr = 0;
		CHECK(off + 2 + el <= d->res.data_len, "GET STATUS: truncated E3");
		while (j + 3 <= el) {
			size_t h = e[j] == 0x9F ? 2 : 1, l = e[j + h];
			if (j + h + 1 + l > el)
				break;
			if (e[j] == 0x4F)
				aid = e + j + 2, aid_len = l;
			else if (h == 2 && e[j + 1] == 0x70 && l == 1)
				lcs = e[j + 3];
			else if (e[j] == 0x53 && l == 1)
				attr = e[j + 2];
			j += h + 1 + l;
		}
		off += 2 + el;
		/* ISD-Ps only: TARs 000010..00FFFF of Annex H (the ISD-R and ECASD may be listed too) */
		if (aid_len != 16 || (aid[12] == 0 && aid[13] == 0 && aid[14] < 0x10))
			continue;
		k += (size_t)snprintf(line + k, sizeof(line) - k, "%s%s %s%s", k ? ", " : "",
		                      short_aid(aid, aid_len, a), lcs_name(lcs), attr & 0x01 ? " (fall-back)" : "");
		if (k >= sizeof(line))
			break;
	}
	printf("  SM-SR   audit     ISD-P %s\n", line);
	CHECK(!strcmp(line, want), "audit reads \"%s\", expected \"%s\"", line, want);
	return 0;
}

static int create_isdp(struct demo *d, int sub)
{
	uint8_t apdu[128], aid[16];
	char a[16];
	size_t n;
	int rc = eum_host_smsr_create_isdp(subs[sub].tar, 0, apdu, sizeof(apdu), &n);

	CHECK(rc == EUM_OK, "eum_host_smsr_create_isdp: %s", eum_strerror(rc));
	isdp_aid(subs[sub].tar, aid);
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	say("SM-SR", "ISD-R", "CreateISDP %s (INSTALL [for install and make selectable]): PoR 9000",
	    short_aid(aid, 16, a));
	return 0;
}

/* EnableProfile / DisableProfile (SGP.02 §7.2, §7.3): PoR first, then the card's REFRESH. */
static int switch_profile(struct demo *d, int enable, int sub)
{
	uint8_t apdu[64], aid[16];
	char a[16];
	size_t n;
	int rc;

	isdp_aid(subs[sub].tar, aid);
	rc = enable ? eum_host_smsr_enable_profile(aid, 16, apdu, sizeof(apdu), &n)
	            : eum_host_smsr_disable_profile(aid, 16, apdu, sizeof(apdu), &n);
	CHECK(rc == EUM_OK, "profile switch command: %s", eum_strerror(rc));
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	say("SM-SR", "ISD-R", "%s %s (STORE DATA DGI %s): PoR 9000", enable ? "EnableProfile" : "DisableProfile",
	    short_aid(aid, 16, a), enable ? "3A03" : "3A04");
	CHECK(d->refresh, "no REFRESH after the switch");
	say("card", "modem", "REFRESH (UICC reset): the enabled profile changed");
	return 0;
}

static int delete_profile(struct demo *d, int sub)
{
	uint8_t apdu[64], aid[16];
	char a[16];
	size_t n;
	int rc;

	isdp_aid(subs[sub].tar, aid);
	rc = eum_host_smsr_delete_profile(aid, 16, apdu, sizeof(apdu), &n);
	CHECK(rc == EUM_OK, "eum_host_smsr_delete_profile: %s", eum_strerror(rc));
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	say("SM-SR", "ISD-R", "DeleteProfile %s (DELETE): PoR 9000", short_aid(aid, 16, a));
	return 0;
}

/* ---- ES8 relayed by the SM-SR ------------------------------------------------------------------- */

/* An expanded remote command script, indefinite length (TS 102 226 §5.2): AE 80 ... 00 00. */
struct script {
	uint8_t b[SCRIPT_MAX + 16];
	size_t n;
};

static void script_begin(struct script *s)
{
	s->b[0] = 0xAE;
	s->b[1] = 0x80;
	s->n = 2;
}

/* Append raw bytes (an encoded TLV); 0 when they fit. */
static int script_raw(struct script *s, const uint8_t *v, size_t len)
{
	if (s->n + len + 2 > SCRIPT_MAX)
		return fail("script too long for one SCP80 packet");
	memcpy(s->b + s->n, v, len);
	s->n += len;
	return 0;
}

/* Append 22 L C-APDU (CLA INS P1 P2 Lc data Le=00). */
static int script_apdu(struct script *s, const uint8_t hdr[4], const uint8_t *data, size_t len)
{
	uint8_t a[3 + 5 + 255 + 1];
	size_t h = len + 6 < 0x80 ? 2 : 3, n = len + 6;

	if (len > 255)
		return fail("C-APDU data too long");
	a[0] = 0x22;
	if (h == 3)
		a[1] = 0x81;
	a[h - 1] = (uint8_t)n;
	memcpy(a + h, hdr, 4);
	a[h + 4] = (uint8_t)len;
	memcpy(a + h + 5, data, len);
	a[h + 5 + len] = 0x00;
	return script_raw(s, a, h + n);
}

static void script_end(struct script *s)
{
	s->b[s->n++] = 0x00;
	s->b[s->n++] = 0x00;
}

/* The SM-SR relays an ES8 script to an ISD-P's TAR in one SCP80 packet secured with the ISD-R's key
 * set (the counter is the key set's, shared with the ES5 scripts). The response script (AF 80 ...
 * 00 00) goes to rsp. */
static int relay(struct demo *d, const uint8_t tar[3], const struct script *s, uint8_t *rsp, size_t cap,
                 size_t *rsp_len)
{
	static uint8_t env[8][261];
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por pr;
	uint8_t pkt[SCRIPT_MAX + 64], por[RSP_MAX];
	size_t plen = 0, count = 0, len[8], por_len = 0, i;
	int k, rc;

	for (k = EUM_HOST_SCP80_CNTR_LEN - 1; k >= 0 && ++d->sr.params.cntr[k] == 0; k--)
		;
	p = d->sr.params;
	memcpy(p.tar, tar, 3);
	d->sr.sms.concat_ref++;
	rc = eum_host_scp80_build_cmd(&d->sr.keys, &p, s->b, s->n, pkt, sizeof(pkt), &plen);
	if (rc == EUM_OK)
		rc = eum_host_sms_envelope_count(&d->sr.sms, plen, &count);
	CHECK(rc == EUM_OK && count <= 8, "SCP80 packet: %s", eum_strerror(rc));
	for (i = 0; i < count; i++) {
		rc = eum_host_sms_build_envelope(&d->sr.sms, pkt, plen, i, env[i], sizeof(env[i]), &len[i]);
		CHECK(rc == EUM_OK, "ENVELOPE: %s", eum_strerror(rc));
	}
	if (deliver(d, (const uint8_t(*)[261])env, len, count, por, sizeof(por), &por_len))
		return -1;
	rc = eum_host_scp80_parse_por(&d->sr.keys, &p, por, por_len, d->work, sizeof(d->work), &pr);
	CHECK(rc == EUM_OK, "PoR does not verify: %s", eum_strerror(rc));
	CHECK(pr.status == 0x00, "PoR status %02X", pr.status);
	CHECK(pr.data_len >= 4 && pr.data_len <= cap && !memcmp(pr.data, "\xAF\x80", 2) &&
	              !memcmp(pr.data + pr.data_len - 2, "\x00\x00", 2),
	      "PoR without an expanded response script");
	memcpy(rsp, pr.data, pr.data_len);
	*rsp_len = pr.data_len;
	return 0;
}

/* TLV number `index` of a response script (after AF 80): tag, the whole TLV and its value. */
static int rsp_tlv(const uint8_t *r, size_t len, size_t index, uint16_t *tag, const uint8_t **raw, size_t *raw_len,
                   const uint8_t **v, size_t *vl)
{
	size_t off = 2, end = len - 2, i;

	for (i = 0; off < end; i++) {
		size_t h = 1, l;
		uint16_t t = r[off];
		if ((t & 0x1F) == 0x1F && off + 1 < end)
			t = (uint16_t)(t << 8 | r[off + h++]);
		if (off + h >= end)
			return 0;
		l = r[off + h++];
		if (l == 0x81 && off + h < end) {
			l = r[off + h++];
		} else if (l == 0x82 && off + h + 1 < end) {
			l = (size_t)r[off + h] << 8 | r[off + h + 1];
			h += 2;
		}
		if (off + h + l > end)
			return 0;
		if (i == index) {
			*tag = t;
			*raw = r + off;
			*raw_len = h + l;
			*v = r + off + h;
			*vl = l;
			return 1;
		}
		off += h + l;
	}
	return 0;
}

/* The R-APDU (tag 23) of the first TLV of a response script: its data and SW. */
static uint16_t rsp_rapdu(const uint8_t *r, size_t len, const uint8_t **data, size_t *dlen)
{
	const uint8_t *raw, *v;
	size_t rl, vl;
	uint16_t tag;

	if (!rsp_tlv(r, len, 0, &tag, &raw, &rl, &v, &vl) || tag != 0x23 || vl < 2)
		return 0;
	*data = v;
	*dlen = vl - 2;
	return (uint16_t)(v[vl - 2] << 8 | v[vl - 1]);
}

/* ES8 EstablishISDPKeySet, scenario #3 (SGP.02 §4.1.3.1; digest §8.1): the SM-DP certificate (DGI
 * 3A01, answered with RC), then the CRT, ePK.DP.ECKA and the SM-DP's signature (DGI 3A02, answered
 * with the receipt that proves the card derived the same keys). */
static int establish_keys(struct demo *d, int sub)
{
	static const uint8_t sd_09[4] = {0x80, 0xE2, 0x09, 0x00}, sd_89[4] = {0x80, 0xE2, 0x89, 0x01};
	uint8_t buf[600], rsp[RSP_MAX], rc_[16], esk[32], epk[65];
	const uint8_t *data;
	struct script s;
	size_t n, rl, dl, rcl;
	uint16_t sw;
	int rc;

	rc = eum_host_smdp_build_3a01(d->dp_cert, d->dp_cert_len, buf, sizeof(buf), &n);
	CHECK(rc == EUM_OK, "eum_host_smdp_build_3a01: %s", eum_strerror(rc));
	script_begin(&s);
	if (script_apdu(&s, sd_09, buf, n))
		return -1;
	script_end(&s);
	if (relay(d, subs[sub].tar, &s, rsp, sizeof(rsp), &rl))
		return -1;
	say("SM-DP", "ISD-P", "STORE DATA 3A01: CERT.DP.ECDSA (SM-SR relays to TAR %02X%02X%02X, %zu SMS)",
	    subs[sub].tar[0], subs[sub].tar[1], subs[sub].tar[2], d->sms_sent);
	sw = rsp_rapdu(rsp, rl, &data, &dl);
	CHECK(sw == 0x9000, "3A01 answered %04X", sw);
	rc = eum_host_smdp_parse_rc(data, dl, rc_, sizeof(rc_), &rcl);
	CHECK(rc == EUM_OK, "3A01 answer is not 85 RC: %s", eum_strerror(rc));
	say("ISD-P", "SM-DP", "certificate verified against PK.CI; 85: %zu-byte random challenge RC", rcl);

	rc = eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, os_random, NULL, esk, epk);
	if (rc == EUM_OK)
		rc = eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, d->dp_sk, &d->crt, epk, 0, rc_, rcl, os_random,
		                              NULL, buf, sizeof(buf), &n);
	if (rc != EUM_OK) {
		memset(esk, 0, sizeof(esk));
		return fail("3A02: %s", eum_strerror(rc));
	}
	script_begin(&s);
	if (script_apdu(&s, sd_89, buf, n)) {
		memset(esk, 0, sizeof(esk));
		return -1;
	}
	script_end(&s);
	if (relay(d, subs[sub].tar, &s, rsp, sizeof(rsp), &rl)) {
		memset(esk, 0, sizeof(esk));
		return -1;
	}
	say("SM-DP", "ISD-P", "STORE DATA 3A02: CRT (3 AES-128 keys, KVN %02X), ePK.DP.ECKA, signature", d->crt.kvn);
	sw = rsp_rapdu(rsp, rl, &data, &dl);
	if (sw != 0x9000) {
		memset(esk, 0, sizeof(esk));
		return fail("3A02 answered %04X", sw);
	}
	rc = eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, d->pk_ecasd, &d->crt, NULL, 0,
	                          EUM_HOST_SMDP_RECEIPT_CMAC, os_random, NULL, data, dl, &d->keys);
	memset(esk, 0, sizeof(esk));
	CHECK(rc == EUM_OK, "receipt: %s", eum_strerror(rc));
	say("ISD-P", "SM-DP", "86 receipt verified: both ends hold the ISD-P's SCP03 keys (ECKA-EG, X9.63 KDF)");
	return 0;
}

/* A script of one SCP03t TLV (84, 85 or 86) relayed to the ISD-P; the first answer TLV in *raw. */
static int scp03t_send(struct demo *d, int sub, const uint8_t *tlv, size_t n, uint8_t *rsp, size_t cap, uint16_t *tag,
                       const uint8_t **raw, size_t *raw_len, size_t *vl)
{
	struct script s;
	const uint8_t *v;
	size_t rl = 0;

	script_begin(&s);
	if (script_raw(&s, tlv, n))
		return -1;
	script_end(&s);
	if (relay(d, subs[sub].tar, &s, rsp, cap, &rl))
		return -1;
	CHECK(rsp_tlv(rsp, rl, 0, tag, raw, raw_len, &v, vl), "SCP03t: empty response script");
	return 0;
}

/* The download (SGP.02 §4.1.3.3; digest §8.2): SCP03t INITIALIZE UPDATE (84) and EXTERNAL
 * AUTHENTICATE (85, level 33), then the TCA package in 86 segments, one per SCP80 packet so that
 * each answer is checked against the session right after its segment; the last answer carries the
 * EUICCResponse. */
static int download_session(struct demo *d, int sub, eum_host_scp03t *t, const uint8_t *der, size_t len)
{
	uint8_t tlv[SCRIPT_MAX], rsp[RSP_MAX], plain[512], hc[8], aid[16];
	eum_host_euicc_response er;
	const uint8_t *raw;
	size_t n, raw_len, vl, off = 0, plen = 0, segments = 0, sms = 0;
	uint16_t tag;
	int rc;

	isdp_aid(subs[sub].tar, aid);
	CHECK(!os_random(NULL, hc, sizeof(hc)), "no randomness");
	rc = eum_host_scp03t_build_84(t, hc, tlv, sizeof(tlv), &n);
	CHECK(rc == EUM_OK, "eum_host_scp03t_build_84: %s", eum_strerror(rc));
	if (scp03t_send(d, sub, tlv, n, rsp, sizeof(rsp), &tag, &raw, &raw_len, &vl))
		return -1;
	rc = eum_host_scp03t_check_84(t, raw, raw_len, aid, 16);
	CHECK(rc == EUM_OK, "SCP03t: the card's 84 answer does not verify (%s)", eum_strerror(rc));
	rc = eum_host_scp03t_build_85(t, tlv, sizeof(tlv), &n);
	CHECK(rc == EUM_OK, "eum_host_scp03t_build_85: %s", eum_strerror(rc));
	if (scp03t_send(d, sub, tlv, n, rsp, sizeof(rsp), &tag, &raw, &raw_len, &vl))
		return -1;
	CHECK(tag == 0x85 && vl == 0, "SCP03t: EXTERNAL AUTHENTICATE refused (%04X)", tag);

	while (off < len && !plen) {
		rc = eum_host_scp03t_next_segment(t, der, len, SEGMENT, &off, tlv, sizeof(tlv), &n);
		CHECK(rc == EUM_OK, "eum_host_scp03t_next_segment: %s", eum_strerror(rc));
		if (scp03t_send(d, sub, tlv, n, rsp, sizeof(rsp), &tag, &raw, &raw_len, &vl))
			return -1;
		segments++;
		sms += d->sms_sent;
		rc = eum_host_scp03t_check_86(t, raw, raw_len, plain, sizeof(plain), &plen);
		CHECK(rc == EUM_OK, "SCP03t: segment %zu answered %04X (%s, 9F4x error %04X)", segments, tag,
		      eum_strerror(rc), t->last_error);
	}
	say("SM-DP", "ISD-P", "SCP03t 84, 85, then %zu segments 86: %s, %zu bytes, %zu SMS", segments,
	    subs[sub].package, len, sms);
	CHECK(plen && off == len, "no EUICCResponse after the last segment");
	rc = eum_host_euicc_response_decode(plain, plen, &er);
	CHECK(rc == EUM_OK, "EUICCResponse malformed: %s", eum_strerror(rc));
	CHECK(eum_host_euicc_response_ok(&er), "EUICCResponse: installation failed (%s)",
	      er.aborted ? "aborted" : er.status_message);
	say("ISD-P", "SM-DP", "EUICCResponse: profile installed, %zu PE status%s ok", er.n_st,
	    er.n_st == 1 ? "" : "es");
	return 0;
}

static int download(struct demo *d, int sub)
{
	static uint8_t der[PACKAGE_MAX];
	eum_host_scp03t t;
	char path[128];
	size_t len = 0;
	int rc;

	snprintf(path, sizeof(path), "ts48/%s", subs[sub].package);
	if (read_file(d, path, der, sizeof(der), &len))
		return -1;
	rc = eum_host_scp03t_init(&t, d->crt.kvn, 0x00, d->keys.key[0], d->keys.key[1], 16);
	CHECK(rc == EUM_OK, "eum_host_scp03t_init: %s", eum_strerror(rc));
	rc = download_session(d, sub, &t, der, len);
	eum_host_scp03t_free(&t);
	return rc;
}

/* ---- the story ---------------------------------------------------------------------------------- */

/* Factory: the EUM manufactures the card and registers its EIS at the SM-SR: the EID and
 * CERT.ECASD.ECKA, read from the ECASD (GET DATA 5A / 7F21, GP Amd E) on a logical channel. */
static int factory(struct demo *d)
{
	uint8_t r[RSP_MAX];
	size_t n = 0, i, j;
	char eid[33];
	int found = 0;

	CHECK(eum_card_reset(d->card, 1, NULL, 0, NULL) == EUM_OK, "reset failed");
	CHECK(modem_hex(d, "0070000001", r, &n) == 0x9000 && n == 1 && r[0] == 1, "MANAGE CHANNEL open refused");
	CHECK(modem_hex(d, "01A4040010A0000005591010FFFFFFFF890000020000", r, &n) == 0x9000, "SELECT ECASD refused");
	CHECK(modem_hex(d, "81CA005A00", r, &n) == 0x9000 && n == 18 && r[0] == 0x5A && r[1] == 16, "GET DATA 5A");
	memcpy(d->eid, r + 2, 16);
	CHECK(modem_hex(d, "81CA7F2100", r, &n) == 0x9000 && n > 4 && r[0] == 0x7F && r[1] == 0x21, "GET DATA 7F21");
	/* 7F21 L { ... 7F49 L { B0 41 04 X Y, F0 01 curve } ... } */
	for (i = 3; i + 70 <= n && !found; i++)
		if (r[i] == 0x7F && r[i + 1] == 0x49)
			for (j = i + 3; j + 67 <= n && j < i + 12; j++)
				if (r[j] == 0xB0 && r[j + 1] == 0x41 && r[j + 2] == 0x04) {
					memcpy(d->pk_ecasd, r + j + 2, 65);
					found = 1;
					break;
				}
	CHECK(found, "CERT.ECASD.ECKA without a P-256 public key");
	CHECK(modem_hex(d, "0070800100", r, &n) == 0x9000, "MANAGE CHANNEL close refused");
	hexstr(d->eid, 16, eid);
	say("EUM", "SM-SR", "EIS of EID %s: CERT.ECASD.ECKA (P-256), ISD-R TAR 000001", eid);
	printf("  card    state     ISD-P \xE2\x80\xA6"
	       "1000 ENABLED (fall-back): the bootstrap profile; notifications to %s\n",
	       SMSR_ADDRESS);
	eum_card_power_off(d->card);
	return 0;
}

static int boot_and_attach(struct demo *d, int cold, int sub)
{
	if (modem_boot(d, cold, sub) || attach(d))
		return -1;
	return 0;
}

static int story(struct demo *d)
{
	chapter("0. The factory");
	if (factory(d))
		return -1;

	chapter("1. First power-up: the modem boots and attaches on the bootstrap profile");
	if (boot_and_attach(d, 1, BOOT) || notification(d, 0x01, BOOT))
		return -1;

	chapter("2. The SM-SR creates an ISD-P for operator A");
	if (create_isdp(d, OP_A) || audit(d, "\xE2\x80\xA6"
	                                     "1000 ENABLED (fall-back), \xE2\x80\xA6"
	                                     "1100 SELECTABLE"))
		return -1;

	chapter("3. The SM-DP establishes keys with the ISD-P and downloads operator A's profile");
	if (establish_keys(d, OP_A) || download(d, OP_A) ||
	    audit(d, "\xE2\x80\xA6"
	             "1000 ENABLED (fall-back), \xE2\x80\xA6"
	             "1100 DISABLED"))
		return -1;

	chapter("4. The SM-SR enables operator A's profile");
	if (switch_profile(d, 1, OP_A) || boot_and_attach(d, 0, OP_A) || notification(d, 0x02, OP_A))
		return -1;

	chapter("5. The car is resold: operator A out, operator B in");
	if (switch_profile(d, 0, OP_A) || boot_and_attach(d, 0, BOOT) || notification(d, 0x05, BOOT) ||
	    delete_profile(d, OP_A) || create_isdp(d, OP_B) || establish_keys(d, OP_B) || download(d, OP_B) ||
	    switch_profile(d, 1, OP_B) || boot_and_attach(d, 0, OP_B) || notification(d, 0x02, OP_B) ||
	    audit(d, "\xE2\x80\xA6"
	             "1000 DISABLED (fall-back), \xE2\x80\xA6"
	             "1200 ENABLED"))
		return -1;

	chapter("6. Operator B's network is lost: the card falls back to the bootstrap profile");
	{
		int i;
		for (i = 0; i < 3; i++) {
			CHECK(!d->refresh, "fall-back after %d losses of service, expected 3", i);
			CHECK(location_status(d, 0x02) == 0x9000, "location status ENVELOPE refused");
		}
		say("modem", "card", "location status: no service (3 times)");
		CHECK(d->refresh, "no fall-back after 3 losses of service");
		say("card", "modem", "REFRESH (UICC reset): fall-back profile enabled");
	}
	if (boot_and_attach(d, 0, BOOT) || notification(d, 0x05, BOOT) ||
	    audit(d, "\xE2\x80\xA6"
	             "1000 ENABLED (fall-back), \xE2\x80\xA6"
	             "1200 DISABLED"))
		return -1;
	CHECK(!d->n_outbox && !d->refresh, "the card sent something nobody expected");
	return 0;
}

static int setup(struct demo *d)
{
	static const uint8_t isdr_tar[3] = {0x00, 0x00, 0x01};
	struct eum_host_scp80_keyset ks;
	eum_config cfg;
	char hex[80];
	size_t n = 0;
	int rc;

	/* the card: the test identity, the SM-SR's address for notifications */
	eum_config_init(&cfg);
	cfg.es5.smsr_address = SMSR_ADDRESS;
	rc = eum_card_new(&d->card, &cfg);
	CHECK(rc == EUM_OK, "cannot manufacture the card: %s", eum_strerror(rc));
	CHECK(eum_card_set_imei(d->card, imei) == EUM_OK, "eum_card_set_imei refused");

	/* the SM-SR: ISD-R key set KVN 3, AES-128 (README "Test identity") */
	memset(&ks, 0, sizeof(ks));
	ks.kic.algo = ks.kid.algo = EUM_HOST_SCP80_ALGO_AES;
	ks.kic.len = (uint8_t)unhex("000102030405060708090A0B0C0D0E0F", ks.kic.val, 16);
	ks.kid.len = (uint8_t)unhex("101112131415161718191A1B1C1D1E1F", ks.kid.val, 16);
	eum_host_smsr_init(&d->sr, &ks, 0x32, 0x32, isdr_tar);
	memset(&ks, 0, sizeof(ks));
	d->sr.sms.oa = SMSR_ADDRESS;

	/* the SM-DP: its certificate and signing key from the test PKI (tests/data/pki/p256) */
	if (read_file(d, "pki/p256/smdp.cert", d->dp_cert, sizeof(d->dp_cert), &d->dp_cert_len) ||
	    read_file(d, "pki/p256/smdp.sk.hex", (uint8_t *)hex, sizeof(hex) - 1, &n))
		return -1;
	hex[n] = '\0';
	CHECK(unhex(hex, d->dp_sk, 32) == 32, "smdp.sk.hex: not a 32-byte key");
	memset(hex, 0, sizeof(hex));
	eum_host_smdp_crt_default(&d->crt);
	for (n = 0; n < NSUBS; n++)
		d->seq[n] = 1;
	return 0;
}

int main(int argc, char **argv)
{
	static struct demo d;
	int i, rc;

	d.data_dir = EUM_DEMO_DATA_DIR;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
			d.verbose = 1;
		} else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			d.data_dir = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--verbose] [--data DIR]\n", argv[0]);
			return 2;
		}
	}
	printf("eum M2M demo: one eUICC in a connected car, its modem, the network, an SM-SR and an SM-DP\n");
	rc = setup(&d) || story(&d);
	eum_host_smdp_keys_wipe(&d.keys);
	memset(d.dp_sk, 0, sizeof(d.dp_sk));
	memset(&d.sr, 0, sizeof(d.sr));
	eum_card_free(d.card);
	if (rc) {
		printf("\ndemo FAILED: a step deviated from the expected exchange (%u APDUs)\n", d.apdus);
		return 1;
	}
	printf("\ndemo complete: %u APDUs between modem and card, every SW, PoR and value as expected\n", d.apdus);
	return 0;
}
