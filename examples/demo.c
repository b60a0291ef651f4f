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
 *  - the SM-DP: ES8 EstablishISDPKeySet (ECKA-EG) and the profile download through SCP03t;
 *  - the modem's BIP bridge (bip_bridge.c) and the SM-SR's HTTPS endpoint (demo_https.c) for the
 *    last chapter.
 *
 * The story: first attach on the bootstrap profile (notification 01), CreateISDP, key
 * establishment and download of operator A's profile, EnableProfile (REFRESH, attach, notification
 * 02), the car is resold (disable, delete, operator B's profile downloaded and enabled), operator
 * B's network is lost and the card falls back to the bootstrap profile (notification 05); finally
 * the SM-SR wakes the card with one SMS and operator A's profile arrives over HTTPS (the card's BIP
 * channel through the modem's bridge, a real TCP connection on loopback, PSK-TLS 1.2; demo_https.c),
 * with the APDU and SMS counts of the same steps over SMS. Every status word, PoR and decoded value
 * is checked; the first deviation ends the story.
 *
 *   eum_demo [--verbose] [--data DIR]
 *     --verbose   also print every APDU between the modem and the card
 *     --data DIR  where the test PKI and the TS.48 packages are (default: the source tree's tests/data)
 *   exit status 0 when every step went as expected.
 */
#include "demo.h"

/* examples/profiles/bootstrap.conf, and the TS.48 summaries tests/data/ts48/<name>.json. Both TS.48
 * packages carry the test IMSI 001010123456063: the network tells them apart by ICCID. */
const struct subscription demo_subs[3] = {
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

/* The car's IMEI, TS 102 223 §8.20 / TS 24.008 §10.5.1.4 coding of 356938035643809. */
const uint8_t demo_imei[8] = {0x3A, 0x65, 0x39, 0x08, 0x53, 0x46, 0x83, 0x90};

/* ---- the timeline ------------------------------------------------------------------------------- */

void demo_hexdump(const char *prefix, const uint8_t *p, size_t n)
{
	size_t i;

	printf("%s", prefix);
	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
	printf("\n");
}

void demo_hexstr(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", p[i]);
	out[2 * n] = '\0';
}

void demo_chapter(const char *fmt, ...)
{
	va_list ap;

	printf("\n");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* One line of the timeline: "  from → to   what". */
void demo_say(const char *from, const char *to, const char *fmt, ...)
{
	va_list ap;

	printf("  %-7s \xE2\x86\x92 %-7s ", from, to);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A deviation: say what was expected and what came. Returns -1 for `return demo_fail(...)`. */
int demo_fail(const char *fmt, ...)
{
	va_list ap;

	printf("  !! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return -1;
}

/* "…1100": the last two AID bytes, enough to tell the ISD-Ps of SGP.02 Annex H apart. */
const char *demo_short_aid(const uint8_t *aid, size_t len, char buf[16])
{
	if (len < 2)
		return "?";
	snprintf(buf, 16, "\xE2\x80\xA6%02X%02X", aid[len - 2], aid[len - 1]);
	return buf;
}

void demo_isdp_aid(const uint8_t tar[3], uint8_t aid[16])
{
	static const uint8_t pfx[12] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89};

	memcpy(aid, pfx, 12);
	memcpy(aid + 12, tar, 3);
	aid[15] = 0x00;
}

size_t demo_unhex(const char *s, uint8_t *out, size_t cap)
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
void demo_swapped_digits(const uint8_t *b, size_t n, char *out)
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

int demo_read_file(const struct demo *d, const char *rel, uint8_t *buf, size_t cap, size_t *len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d->data_dir, rel);
	f = fopen(path, "rb");
	if (!f)
		return demo_fail("cannot open %s (use --data DIR)", path);
	*len = fread(buf, 1, cap, f);
	if (!feof(f) || ferror(f)) {
		fclose(f);
		return demo_fail("%s: unreadable or larger than %zu bytes", path, cap);
	}
	fclose(f);
	return 0;
}

/* Randomness of the SM-DP (its ephemeral key, its host challenge). */
int demo_os_random(void *ctx, uint8_t *buf, size_t len)
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
	CHECK(demo_modem_hex(d, "0070000001", r, &n) == 0x9000 && n == 1 && r[0] == 1, "MANAGE CHANNEL open refused");
	CHECK(demo_modem_hex(d, "01A4040010A0000005591010FFFFFFFF890000020000", r, &n) == 0x9000,
	      "SELECT ECASD refused");
	CHECK(demo_modem_hex(d, "81CA005A00", r, &n) == 0x9000 && n == 18 && r[0] == 0x5A && r[1] == 16, "GET DATA 5A");
	memcpy(d->eid, r + 2, 16);
	CHECK(demo_modem_hex(d, "81CA7F2100", r, &n) == 0x9000 && n > 4 && r[0] == 0x7F && r[1] == 0x21,
	      "GET DATA 7F21");
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
	CHECK(demo_modem_hex(d, "0070800100", r, &n) == 0x9000, "MANAGE CHANNEL close refused");
	demo_hexstr(d->eid, 16, eid);
	demo_say("EUM", "SM-SR", "EIS of EID %s: CERT.ECASD.ECKA (P-256), ISD-R TAR 000001", eid);
	printf("  card    state     ISD-P \xE2\x80\xA6"
	       "1000 ENABLED (fall-back): the bootstrap profile; notifications to %s\n",
	       SMSR_ADDRESS);
	eum_card_power_off(d->card);
	return 0;
}

static int boot_and_attach(struct demo *d, int cold, int sub)
{
	if (demo_modem_boot(d, cold, sub) || demo_attach(d))
		return -1;
	return 0;
}

/* APDUs and SMS of the steps the last chapter does over HTTPS, counted in both ways. */
struct cost {
	unsigned apdus, sms;
};

static void mark(const struct demo *d, unsigned *a0, unsigned *s0)
{
	*a0 = d->apdus;
	*s0 = d->sms;
}

static void add(const struct demo *d, struct cost *c, unsigned a0, unsigned s0)
{
	c->apdus += d->apdus - a0;
	c->sms += d->sms - s0;
}

static int story(struct demo *d)
{
	struct cost sms_way = {0, 0}, https_way = {0, 0};
	unsigned a0 = 0, s0 = 0;

	demo_chapter("0. The factory");
	if (factory(d))
		return -1;

	demo_chapter("1. First power-up: the modem boots and attaches on the bootstrap profile");
	if (boot_and_attach(d, 1, BOOT) || demo_notification(d, 0x01, BOOT))
		return -1;

	demo_chapter("2. The SM-SR creates an ISD-P for operator A");
	mark(d, &a0, &s0);
	if (demo_create_isdp(d, OP_A))
		return -1;
	add(d, &sms_way, a0, s0);
	if (demo_audit(d, "\xE2\x80\xA6"
	                  "1000 ENABLED (fall-back), \xE2\x80\xA6"
	                  "1100 SELECTABLE"))
		return -1;

	demo_chapter("3. The SM-DP establishes keys with the ISD-P and downloads operator A's profile");
	mark(d, &a0, &s0);
	if (demo_establish_keys(d, OP_A) || demo_download(d, OP_A))
		return -1;
	add(d, &sms_way, a0, s0);
	if (demo_audit(d, "\xE2\x80\xA6"
	                  "1000 ENABLED (fall-back), \xE2\x80\xA6"
	                  "1100 DISABLED"))
		return -1;

	demo_chapter("4. The SM-SR enables operator A's profile");
	mark(d, &a0, &s0);
	if (demo_switch_profile(d, 1, OP_A))
		return -1;
	add(d, &sms_way, a0, s0);
	if (boot_and_attach(d, 0, OP_A) || demo_notification(d, 0x02, OP_A))
		return -1;

	demo_chapter("5. The car is resold: operator A out, operator B in");
	if (demo_switch_profile(d, 0, OP_A) || boot_and_attach(d, 0, BOOT) || demo_notification(d, 0x05, BOOT) ||
	    demo_delete_profile(d, OP_A) || demo_create_isdp(d, OP_B) || demo_establish_keys(d, OP_B) ||
	    demo_download(d, OP_B) || demo_switch_profile(d, 1, OP_B) || boot_and_attach(d, 0, OP_B) ||
	    demo_notification(d, 0x02, OP_B) ||
	    demo_audit(d, "\xE2\x80\xA6"
	                  "1000 DISABLED (fall-back), \xE2\x80\xA6"
	                  "1200 ENABLED"))
		return -1;

	demo_chapter("6. Operator B's network is lost: the card falls back to the bootstrap profile");
	{
		int i;
		for (i = 0; i < 3; i++) {
			CHECK(!d->refresh, "fall-back after %d losses of service, expected 3", i);
			CHECK(demo_location_status(d, 0x02) == 0x9000, "location status ENVELOPE refused");
		}
		demo_say("modem", "card", "location status: no service (3 times)");
		CHECK(d->refresh, "no fall-back after 3 losses of service");
		demo_say("card", "modem", "REFRESH (UICC reset): fall-back profile enabled");
	}
	if (boot_and_attach(d, 0, BOOT) || demo_notification(d, 0x05, BOOT) ||
	    demo_audit(d, "\xE2\x80\xA6"
	                  "1000 ENABLED (fall-back), \xE2\x80\xA6"
	                  "1200 DISABLED"))
		return -1;
	CHECK(!d->n_outbox && !d->refresh, "the card sent something nobody expected");

	demo_chapter("7. The SM-SR wakes the card by SMS; the profile arrives over HTTPS");
	mark(d, &a0, &s0);
	if (demo_https_begin(d) || demo_create_isdp(d, OP_A) || demo_establish_keys(d, OP_A) ||
	    demo_download(d, OP_A) || demo_switch_profile(d, 1, OP_A) || demo_https_end(d))
		return -1;
	add(d, &https_way, a0, s0);
	CHECK(d->refresh, "no REFRESH after the switch");
	demo_say("card", "modem", "REFRESH (UICC reset): the enabled profile changed");
	printf("  CreateISDP, key establishment, download of operator A's profile (%s) and EnableProfile:\n",
	       demo_subs[OP_A].package);
	printf("    over SMS   (chapters 2-4): %5u APDUs, %3u SMS\n", sms_way.apdus, sms_way.sms);
	printf("    over HTTPS (this chapter): %5u APDUs, %3u SMS (the push), %u POSTs, %lu TCP bytes\n",
	       https_way.apdus, https_way.sms, d->https_posts, d->https_bytes);
	printf("    HTTPS/SMS: %.2f of the APDUs\n", sms_way.apdus ? (double)https_way.apdus / sms_way.apdus : 0.0);
	if (boot_and_attach(d, 0, OP_A) || demo_notification(d, 0x02, OP_A) ||
	    demo_audit(d, "\xE2\x80\xA6"
	                  "1000 DISABLED (fall-back), \xE2\x80\xA6"
	                  "1200 DISABLED, \xE2\x80\xA6"
	                  "1100 ENABLED"))
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
	/* the modem: one BIP channel (TCP client) through its bridge, announced in TERMINAL PROFILE */
	bridge_init(&d->bridge, EUM_HOST_BIP_BUFFER_DEFAULT);
	d->bridge.verbose = d->verbose;
	d->bridge.prefix = "      bridge: ";
	d->bip = &d->bridge;
	CHECK(eum_card_set_imei(d->card, demo_imei) == EUM_OK, "eum_card_set_imei refused");

	/* the SM-SR: ISD-R key set KVN 3, AES-128 (README "Test identity") */
	memset(&ks, 0, sizeof(ks));
	ks.kic.algo = ks.kid.algo = EUM_HOST_SCP80_ALGO_AES;
	ks.kic.len = (uint8_t)demo_unhex("000102030405060708090A0B0C0D0E0F", ks.kic.val, 16);
	ks.kid.len = (uint8_t)demo_unhex("101112131415161718191A1B1C1D1E1F", ks.kid.val, 16);
	eum_host_smsr_init(&d->sr, &ks, 0x32, 0x32, isdr_tar);
	memset(&ks, 0, sizeof(ks));
	d->sr.sms.oa = SMSR_ADDRESS;

	/* the SM-DP: its certificate and signing key from the test PKI (tests/data/pki/p256) */
	if (demo_read_file(d, "pki/p256/smdp.cert", d->dp_cert, sizeof(d->dp_cert), &d->dp_cert_len) ||
	    demo_read_file(d, "pki/p256/smdp.sk.hex", (uint8_t *)hex, sizeof(hex) - 1, &n))
		return -1;
	hex[n] = '\0';
	CHECK(demo_unhex(hex, d->dp_sk, 32) == 32, "smdp.sk.hex: not a 32-byte key");
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
	bridge_close(&d.bridge);
	if (rc) {
		printf("\ndemo FAILED: a step deviated from the expected exchange (%u APDUs)\n", d.apdus);
		return 1;
	}
	printf("\ndemo complete: %u APDUs between modem and card, every SW, PoR and value as expected\n", d.apdus);
	return 0;
}
