/*
 * SGP.02 SM-SR change end to end (digest sgp02-euicc.md §7.11): EstablishISDRKeySet (DGI 3A01 with
 * CERT.SR.ECDSA, DGI 3A02 with the A6 CRT, ePK.SR.ECKA and the SM-SR signature, answered by the receipt)
 * and FinaliseISDRhandover (DELETE F2), driven only through APDUs. SM-SR 1 is the test ISD-R key set
 * KVN 3 (es5_e2e.h); SM-SR 2 is libeum-host's smsr.h with the SM-SR identity of the test PKI
 * (tests/data/pki/p256/smsr.*), whose C-APDUs SM-SR 1 relays in its own SCP80 scripts. After the
 * receipt SM-SR 2 talks to the ISD-R with the new SCP80 key set, audits the card, deletes SM-SR 1's
 * key sets, and SM-SR 1 is refused by the SCP80 layer. Every refused command leaves the state image
 * byte for byte as it was (the packets of refused commands do not move a counter, es5_refused()).
 */
#include "es5_e2e.h"

#include "eum/host/smdp.h"

#define CURVE     EUM_HOST_SMDP_CURVE_P256
#define PKI_MAX   1024
#define ISDR_FULL 8 /* EUM_ISDR_SCP80_KEYSETS */

static const uint8_t isdr_tar[3] = {0x00, 0x00, 0x01};

/* SM-SR 2: its identity, the card's ECASD key, the key agreement in progress and its result. */
struct sr2 {
	uint8_t cert[PKI_MAX];
	size_t cert_len;
	uint8_t sk[32];
	uint8_t pk_ecasd[65];
	uint64_t rng;
	eum_host_smdp_crt crt;
	uint8_t seq[5]; /* 91 value when the test sends one */
	uint8_t esk[32], epk[65];
	uint8_t rc[16];
	uint8_t apdu[ES5_APDU_MAX]; /* the last step 2 C-APDU */
	size_t apdu_len;
	struct eum_host_scp80_keyset keys; /* the new ISD-R key set */
};

static int rng(void *ctx, uint8_t *buf, size_t len)
{
	uint64_t *s = ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		*s ^= *s << 13;
		*s ^= *s >> 7;
		*s ^= *s << 17;
		buf[i] = (uint8_t)(*s >> 24);
	}
	return 0;
}

static size_t data_file(const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pki/p256/%s", EUM_TEST_DATA_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(buf, 1, cap, f);
	assert_true(feof(f));
	fclose(f);
	return n;
}

static size_t hex_file(const char *name, uint8_t *out, size_t cap)
{
	char txt[PKI_MAX];
	size_t n = data_file(name, (uint8_t *)txt, sizeof(txt) - 1);

	while (n && (txt[n - 1] == '\n' || txt[n - 1] == '\r'))
		n--;
	txt[n] = 0;
	return es5_unhex(txt, out, cap);
}

static void sr2_init(struct sr2 *s, uint8_t kvn)
{
	memset(s, 0, sizeof(*s));
	s->rng = 0x5EED5EED12345678ull;
	s->cert_len = data_file("smsr.cert", s->cert, sizeof(s->cert));
	assert_int_equal(hex_file("smsr.sk.hex", s->sk, 32), 32);
	assert_int_equal(hex_file("ecasd.pk.hex", s->pk_ecasd, 65), 65);
	eum_host_smsr_handover_crt(&s->crt, kvn);
}

/* The SM-SR the harness speaks as (t->sr): SM-SR 1 (the test ISD-R key set KVN 3) or SM-SR 2. */
static void speak_as_sr1(struct es5 *t, const struct eum_host_smsr *sr1)
{
	t->sr = *sr1;
}

static void speak_as_sr2(struct es5 *t, const struct sr2 *s)
{
	uint8_t k = (uint8_t)(s->crt.kvn << 4 | 0x02); /* TS 102 225 §5.1.2: AES */

	eum_host_smsr_init(&t->sr, &s->keys, k, k, isdr_tar);
}

/* Step 1 (relayed by whoever t->sr is): DGI 3A01 with cert. The RC in s->rc on 9000. */
static uint16_t step1_cert(struct es5 *t, struct sr2 *s, const uint8_t *cert, size_t cert_len)
{
	uint8_t apdu[ES5_APDU_MAX];
	size_t n, rl;
	uint16_t sw;

	assert_int_equal(eum_host_smsr_establish_cert(cert, cert_len, apdu, sizeof(apdu), &n), EUM_OK);
	assert_memory_equal(apdu, "\x80\xE2\x09\x00", 4);
	assert_memory_equal(apdu + 5, "\x3A\x01", 2);
	sw = es5_cmd_bytes(t, apdu, n);
	if (sw == 0x9000) {
		assert_int_equal(eum_host_smdp_parse_rc(t->res.data, t->res.data_len, s->rc, sizeof(s->rc), &rl),
		                 EUM_OK);
		assert_int_equal(rl, 16);
	} else {
		assert_int_equal(t->res.data_len, 0);
	}
	return sw;
}

static void step1(struct es5 *t, struct sr2 *s)
{
	assert_int_equal(step1_cert(t, s, s->cert, s->cert_len), 0x9000);
}

/* Step 2 C-APDU for the RC of step 1 (a fresh ephemeral key each time), in s->apdu. */
static void step2_build(struct sr2 *s)
{
	assert_int_equal(eum_host_smdp_gen_epk(CURVE, rng, &s->rng, s->esk, s->epk), EUM_OK);
	assert_int_equal(eum_host_smsr_establish_keys(CURVE, s->sk, &s->crt, s->epk, s->rc, 16, rng, &s->rng, s->apdu,
	                                              sizeof(s->apdu), &s->apdu_len),
	                 EUM_OK);
	assert_memory_equal(s->apdu, "\x80\xE2\x89\x01", 4);
}

/* Step 2 sent; on 9000 SM-SR 2 checks the receipt and derives the new key set (the commit point). */
static uint16_t step2_send(struct es5 *t, struct sr2 *s)
{
	uint16_t sw = es5_cmd_bytes(t, s->apdu, s->apdu_len);

	if (sw == 0x9000) {
		/* whty's CRT has no DR: the answer is 86 10 receipt */
		assert_int_equal(t->res.data_len, 18);
		assert_memory_equal(t->res.data, "\x86\x10", 2);
		assert_int_equal(eum_host_smsr_establish_finish(CURVE, s->esk, s->pk_ecasd, &s->crt,
		                                                EUM_HOST_SMDP_RECEIPT_CMAC, rng, &s->rng, t->res.data,
		                                                t->res.data_len, &s->keys),
		                 EUM_OK);
	} else {
		assert_int_equal(t->res.data_len, 0);
	}
	return sw;
}

/* EstablishISDRKeySet relayed by the current t->sr; the new keys in s->keys. */
static void establish(struct es5 *t, struct sr2 *s)
{
	step1(t, s);
	step2_build(s);
	assert_int_equal(step2_send(t, s), 0x9000);
}

/* The ISD-R SCP80 KVNs GET DATA E0 lists (TS 102 225 key ids 01 KIc / 02 KID), as a bit set. */
static uint32_t listed_kvns(struct es5 *t)
{
	const uint8_t *d;
	size_t n, off, h;
	uint32_t set = 0;

	assert_int_equal(es5_cmd(t, "80CA00E000"), 0x9000);
	d = t->res.data;
	n = t->res.data_len;
	/* E0 L (L in one octet, or 81 L once the KIKs of the SM-SR's key sets are listed too) */
	assert_true(n >= 3 && d[0] == 0xE0);
	h = d[1] == 0x81 ? 3 : 2;
	assert_int_equal(d[h - 1], n - h);
	for (off = h; off + 6 <= n; off += 6) {
		assert_memory_equal(d + off, "\xC0\x04", 2);
		if ((d[off + 2] == 0x01 || d[off + 2] == 0x02 || d[off + 2] == 0x03) && d[off + 3] <= 0x0F)
			set |= 1u << d[off + 3];
	}
	assert_int_equal(off, n);
	return set;
}

/* A GET STATUS of every ISD-P (SGP.02 §7.7 audit) by the current t->sr; its data in out. */
static size_t audit(struct es5 *t, uint8_t *out, size_t cap)
{
	uint8_t apdu[64];
	size_t n;

	assert_int_equal(eum_host_smsr_get_status(NULL, 0, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(es5_cmd_bytes(t, apdu, n), 0x9000);
	assert_true(t->res.data_len > 2 && t->res.data_len <= cap);
	assert_int_equal(t->res.data[0], 0xE3);
	memcpy(out, t->res.data, t->res.data_len);
	return t->res.data_len;
}

/* A packet by the current t->sr with a PoR that needs no key (SPI2 01): the PoR status. */
static uint8_t probe(struct es5 *t)
{
	uint8_t spi2 = t->sr.params.spi[1];

	t->sr.params.spi[1] = 0x01;
	es5_script_n(t, 1, (const char *const[]){"80CA00E000"});
	t->sr.params.spi[1] = spi2;
	return t->res.status;
}

static uint16_t finalise(struct es5 *t, uint8_t kvn)
{
	uint8_t apdu[16];
	size_t n;

	assert_int_equal(eum_host_smsr_finalise_handover(kvn, apdu, sizeof(apdu), &n), EUM_OK);
	assert_int_equal(n, 10);
	assert_memory_equal(apdu, "\x80\xE4\x00\x00\x05\xF2\x03", 7);
	assert_int_equal(apdu[7], kvn);
	assert_memory_equal(apdu + 8, "\x01\x03", 2);
	return es5_cmd_bytes(t, apdu, n);
}

static uint16_t finalise_refused(struct es5 *t, uint8_t kvn)
{
	char hex[32];

	snprintf(hex, sizeof(hex), "80E4000005F203%02X0103", kvn);
	return es5_refused(t, hex);
}

static uint16_t refused_bytes(struct es5 *t, const uint8_t *apdu, size_t n)
{
	char hex[2 * ES5_APDU_MAX + 1];
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02X", apdu[i]);
	return es5_refused(t, hex);
}

/* A step 2 sent again: as block 01 the STORE DATA sequence is over (6A86, GPCS §11.11.2.2); as a new
 * sequence (block 00) it reaches the key agreement, whose RC is spent (6985). The image stays. */
static void replay_refused(struct es5 *t, struct sr2 *s)
{
	assert_int_equal(refused_bytes(t, s->apdu, s->apdu_len), 0x6A86);
	s->apdu[3] = 0x00;
	assert_int_equal(refused_bytes(t, s->apdu, s->apdu_len), 0x6985);
	s->apdu[3] = 0x01;
}

/* ---- tests ------------------------------------------------------------------------------------- */

/* §7.11 steps 1-4: relayed key establishment, receipt, audit with the new keys, old keys deleted. */
static void test_full_handover(void **state)
{
	struct es5 *t = es5_new();
	struct eum_host_smsr sr1 = t->sr;
	struct sr2 s;
	uint8_t before[512], after[512];
	size_t bl, al;

	(void)state;
	sr2_init(&s, 0x02);
	assert_int_equal(listed_kvns(t), (1u << 1) | (1u << 3));
	bl = audit(t, before, sizeof(before));
	/* SM-SR 1 relays SM-SR 2's 3A01 and 3A02; SM-SR 2 checks the receipt */
	establish(t, &s);
	assert_int_equal(listed_kvns(t), (1u << 1) | (1u << 2) | (1u << 3));
	sr1 = t->sr; /* with its counter as it is now */

	/* SM-SR 2 owns the card: an ES5 audit with the new keys sees what SM-SR 1 saw */
	speak_as_sr2(t, &s);
	al = audit(t, after, sizeof(after));
	assert_int_equal(al, bl);
	assert_memory_equal(after, before, bl);
	/* FinaliseISDRhandover: SM-SR 1's key sets go, one DELETE each */
	assert_int_equal(finalise(t, 0x03), 0x9000);
	assert_int_equal(listed_kvns(t), (1u << 1) | (1u << 2));
	assert_int_equal(finalise(t, 0x01), 0x9000);
	assert_int_equal(listed_kvns(t), 1u << 2);
	/* the key set of this very packet, which is also the last one, stays; an unknown KVN is 6A88 */
	assert_int_equal(finalise_refused(t, 0x02), 0x6985);
	assert_int_equal(finalise_refused(t, 0x03), 0x6A88);
	/* only the whole set 01..02/03 of a KVN in 01-0F */
	assert_int_equal(es5_refused(t, "80E4000005F203020102"), 0x6985);
	assert_int_equal(es5_refused(t, "80E4000005F203020203"), 0x6A80);
	assert_int_equal(es5_refused(t, "80E4000005F203100103"), 0x6A80);
	assert_int_equal(es5_refused(t, "80E4000006F2040201030000"), 0x6A80);

	/* SM-SR 1 is out: the SCP80 layer no longer knows its key set (status 06, nothing runs) */
	speak_as_sr1(t, &sr1);
	assert_int_equal(probe(t), 0x06);
	assert_int_equal(t->res.executed, 0);
	/* SM-SR 2 still is in */
	speak_as_sr2(t, &s);
	t->sr.params.cntr[4] = 0x10; /* past the packets SM-SR 2 sent above */
	assert_int_equal(probe(t), 0x00);
	es5_free(t);
}

/* SM-SR 1's probe works before the deletion (so the probe can tell the difference); the key set in use. */
static void test_probe_before_finalise(void **state)
{
	struct es5 *t = es5_new();
	struct eum_host_smsr sr1;
	struct sr2 s;

	(void)state;
	sr2_init(&s, 0x02);
	establish(t, &s);
	sr1 = t->sr;
	assert_int_equal(probe(t), 0x00);
	speak_as_sr2(t, &s);
	assert_int_equal(probe(t), 0x00);
	/* SM-SR 2 cannot delete the key set its own packet is secured with, even with others left */
	assert_int_equal(finalise_refused(t, 0x02), 0x6985);
	assert_int_equal(finalise(t, 0x03), 0x9000);
	speak_as_sr1(t, &sr1);
	assert_int_equal(probe(t), 0x06);
	es5_free(t);
}

/* Step 1 refusals: SM-DP certificate, CI signature, validity; no RC left behind. */
static void test_certificate_refusals(void **state)
{
	struct es5 *t = es5_new();
	uint8_t cert[PKI_MAX], apdu[ES5_APDU_MAX];
	size_t n, an;
	struct sr2 s;

	(void)state;
	sr2_init(&s, 0x02);
	/* an SM-DP certificate (73/C8 = 01) is not an SM-SR certificate */
	n = data_file("smdp.cert", cert, sizeof(cert));
	assert_int_equal(eum_host_smsr_establish_cert(cert, n, apdu, sizeof(apdu), &an), EUM_OK);
	assert_int_equal(refused_bytes(t, apdu, an), 0x6A80);
	/* CI signature broken (last byte of s) */
	memcpy(cert, s.cert, s.cert_len);
	cert[s.cert_len - 1] ^= 0x01;
	assert_int_equal(eum_host_smsr_establish_cert(cert, s.cert_len, apdu, sizeof(apdu), &an), EUM_OK);
	assert_int_equal(refused_bytes(t, apdu, an), 0x6982);
	/* not a certificate at all */
	memcpy(cert, s.cert, s.cert_len);
	cert[0] = 0x7E;
	assert_int_equal(eum_host_smsr_establish_cert(cert, s.cert_len, apdu, sizeof(apdu), &an), EUM_OK);
	assert_int_equal(refused_bytes(t, apdu, an), 0x6A80);
	/* expired: 5F24 20451231 is the last valid day (2046-01-01 00:00 UTC = 2398377600) */
	t->now = 2398377600u;
	assert_int_equal(eum_host_smsr_establish_cert(s.cert, s.cert_len, apdu, sizeof(apdu), &an), EUM_OK);
	assert_int_equal(refused_bytes(t, apdu, an), 0x6985);
	t->now = 2398377599u; /* 2045-12-31 23:59:59 */
	assert_int_equal(step1_cert(t, &s, s.cert, s.cert_len), 0x9000);
	es5_free(t);
}

/* Step 2 refusals after an accepted step 1: bad ePK, bad signature, RC of another step 1, replay, CRT. */
static void test_key_agreement_refusals(void **state)
{
	struct es5 *t = es5_new();
	struct sr2 s;
	size_t i;

	(void)state;
	sr2_init(&s, 0x02);

	/* ePK not on the curve (last byte of Y; the signature comes after, its check is not reached) */
	step1(t, &s);
	step2_build(&s);
	for (i = 5; i + 4 < s.apdu_len; i++)
		if (memcmp(s.apdu + i, "\x7F\x49\x41\x04", 4) == 0)
			break;
	assert_true(i + 4 + 64 < s.apdu_len);
	s.apdu[i + 3 + 64] ^= 0x01;
	assert_int_equal(refused_bytes(t, s.apdu, s.apdu_len), 0x6A80);

	/* the SM-SR signature broken */
	step1(t, &s);
	step2_build(&s);
	s.apdu[s.apdu_len - 2] ^= 0x01; /* last byte of s, before Le */
	assert_int_equal(refused_bytes(t, s.apdu, s.apdu_len), 0x6982);
	/* ... and the RC is spent: the good 3A02 for it is refused now */
	s.apdu[s.apdu_len - 2] ^= 0x01;
	replay_refused(t, &s);

	/* signed by the SM-DP key for the SM-SR's certificate */
	step1(t, &s);
	{
		uint8_t sk_dp[32];
		assert_int_equal(hex_file("smdp.sk.hex", sk_dp, 32), 32);
		assert_int_equal(eum_host_smdp_gen_epk(CURVE, rng, &s.rng, s.esk, s.epk), EUM_OK);
		assert_int_equal(eum_host_smsr_establish_keys(CURVE, sk_dp, &s.crt, s.epk, s.rc, 16, rng, &s.rng,
		                                              s.apdu, sizeof(s.apdu), &s.apdu_len),
		                 EUM_OK);
	}
	assert_int_equal(refused_bytes(t, s.apdu, s.apdu_len), 0x6982);

	/* CRTs the ISD-R cannot take: KVN 10 (outside SCP80's 01-0F), one key (95 5C), the KVN securing the
	 * packet (3), a 91 value wider than the SCP80 counter */
	{
		static const struct {
			uint8_t kvn, usage;
			size_t seq_len;
			uint16_t sw;
		} bad[] = {{0x10, 0x10, 0, 0x6A80},
		           {0x02, 0x5C, 0, 0x6A80},
		           {0x03, 0x10, 0, 0x6985},
		           {0x02, 0x10, 8, 0x6A80}};
		static const uint8_t seq8[8] = {0x01, 0, 0, 0, 0, 0, 0, 0x01};
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			step1(t, &s);
			s.crt.kvn = bad[i].kvn;
			s.crt.key_usage = bad[i].usage;
			s.crt.seq_counter = bad[i].seq_len ? seq8 : NULL;
			s.crt.seq_counter_len = bad[i].seq_len;
			assert_int_equal(eum_host_smdp_gen_epk(CURVE, rng, &s.rng, s.esk, s.epk), EUM_OK);
			assert_int_equal(eum_host_smdp_build_3a02(CURVE, s.sk, &s.crt, s.epk, 0, s.rc, 16, rng, &s.rng,
			                                          s.apdu + 5, sizeof(s.apdu) - 6, &s.apdu_len),
			                 EUM_OK);
			memcpy(s.apdu, "\x80\xE2\x89\x01", 4);
			s.apdu[4] = (uint8_t)s.apdu_len;
			s.apdu[5 + s.apdu_len] = 0x00;
			s.apdu_len += 6;
			assert_int_equal(refused_bytes(t, s.apdu, s.apdu_len), bad[i].sw);
		}
		eum_host_smsr_handover_crt(&s.crt, 0x02);
	}

	/* 3A02 without a 3A01 in this card session: a reload forgets the RC */
	step1(t, &s);
	step2_build(&s);
	es5_reload(t);
	replay_refused(t, &s);

	/* and a good one, then replayed: refused, the key set unchanged */
	establish(t, &s);
	replay_refused(t, &s);
	assert_int_equal(listed_kvns(t), (1u << 1) | (1u << 2) | (1u << 3));
	es5_free(t);
}

/* 6A84 when the ISD-R holds EUM_ISDR_SCP80_KEYSETS key sets; a known KVN (not in use) is replaced. */
static void test_no_free_slot(void **state)
{
	static const uint8_t fill[] = {0x02, 0x04, 0x05, 0x06, 0x07, 0x08};
	struct es5 *t = es5_new();
	struct sr2 s;
	size_t i;
	uint32_t want = (1u << 1) | (1u << 3);

	(void)state;
	sr2_init(&s, 0x02);
	for (i = 0; i < sizeof(fill); i++) {
		s.crt.kvn = fill[i];
		establish(t, &s);
		want |= 1u << fill[i];
	}
	assert_int_equal(listed_kvns(t), want);
	assert_int_equal(__builtin_popcount(want), ISDR_FULL);
	s.crt.kvn = 0x09;
	step1(t, &s);
	step2_build(&s);
	assert_int_equal(refused_bytes(t, s.apdu, s.apdu_len), 0x6A84);
	assert_int_equal(listed_kvns(t), want);
	/* KVN 8 exists and does not secure the packet: replaced by the new keys */
	s.crt.kvn = 0x08;
	establish(t, &s);
	speak_as_sr2(t, &s);
	assert_int_equal(probe(t), 0x00);
	es5_free(t);
}

/* The 91 initial counter: SM-SR 2's first packet must count past it. */
static void test_initial_counter(void **state)
{
	struct es5 *t = es5_new();
	struct sr2 s;

	(void)state;
	sr2_init(&s, 0x05);
	s.seq[4] = 0x20;
	s.crt.seq_counter = s.seq;
	s.crt.seq_counter_len = 5;
	establish(t, &s);
	speak_as_sr2(t, &s);
	/* counter 1 <= 20: "counter low" (SPI1 16: counter must be higher) */
	es5_script_n(t, 1, (const char *const[]){"80CA00E000"});
	assert_int_equal(t->res.status, 0x02);
	t->sr.params.cntr[4] = 0x20; /* the next packet is 21 */
	assert_int_equal(listed_kvns(t), (1u << 1) | (1u << 3) | (1u << 5));
	es5_free(t);
}

/* Persistence: the new key set survives a power cut right after the receipt; its deletion too. */
static void test_persistence(void **state)
{
	struct es5 *t = es5_new();
	struct eum_host_smsr sr1;
	struct sr2 s;

	(void)state;
	sr2_init(&s, 0x02);
	establish(t, &s);
	sr1 = t->sr;
	es5_reload(t);
	speak_as_sr2(t, &s);
	assert_int_equal(listed_kvns(t), (1u << 1) | (1u << 2) | (1u << 3));
	assert_int_equal(finalise(t, 0x03), 0x9000);
	es5_reload(t);
	assert_int_equal(listed_kvns(t), (1u << 1) | (1u << 2));
	speak_as_sr1(t, &sr1);
	assert_int_equal(probe(t), 0x06);
	es5_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_full_handover),        cmocka_unit_test(test_probe_before_finalise),
	        cmocka_unit_test(test_certificate_refusals), cmocka_unit_test(test_key_agreement_refusals),
	        cmocka_unit_test(test_no_free_slot),         cmocka_unit_test(test_initial_counter),
	        cmocka_unit_test(test_persistence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
