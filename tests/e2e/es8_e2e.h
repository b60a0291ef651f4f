/*
 * Helpers of the ES8 end-to-end tests (tests/e2e/test_es8_*.c): the card driven only through
 * eum_card_transmit() (ENVELOPE SMS-PP, FETCH, TERMINAL RESPONSE, GET RESPONSE), the SM-SR played with
 * libeum-host SCP80 + SMS (the ISD-R's AES key set KVN 3, see ota_e2e.h) and the SM-DP with libeum-host
 * smdp.h (certificate, ECKA-EG key agreement, SCP03t packetiser, EUICCResponse decoding).
 *
 * Transport: every ES8 message is an expanded remote command script (AE 80 ... 00 00, TS 102 226 §5.2)
 * in one SCP80 command packet (SPI 16 19: counter higher, ciphered + CC; PoR with CC, ciphered) sent as
 * one or more concatenated SMS-PP ENVELOPEs (at most 8 parts: the card reassembles 1024 bytes), addressed
 * to the ISD-P's TAR (or to the ISD-R with INSTALL [for personalization]). The PoR comes back in the
 * ENVELOPE response or by SEND SHORT MESSAGE. A script therefore carries at most ES8_SCRIPT_MAX bytes.
 */
#ifndef EUM_TESTS_ES8_E2E_H
#define EUM_TESTS_ES8_E2E_H

#include "ota_e2e.h"

#include "eum/host/smdp.h"

#define ES8_SCRIPT_MAX 1000 /* 10 header bytes + ciphered (14 + script) padded to 16 <= 1024 */
#define ES8_PKI_MAX    1024

static const uint8_t es8_isdr_tar[3] = {0x00, 0x00, 0x01};
/* SGP.02 Annex H: the ISD-P executable load file and module, and the instance AID prefix */
#define ES8_ELF "A0000005591010FFFFFFFF8900000D00"
#define ES8_MOD "A0000005591010FFFFFFFF8900000E00"

/* Deterministic randomness of the host side (blinding and the ephemeral key only). */
static inline int es8_rng(void *ctx, uint8_t *buf, size_t len)
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

/* Read tests/data/<rel> into buf; returns its length (fails the test when missing). */
static inline size_t es8_file(const char *rel, uint8_t *buf, size_t cap)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", EUM_TEST_DATA_DIR, rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(buf, 1, cap, f);
	assert_true(feof(f));
	fclose(f);
	return n;
}

/* A one-line hex file of tests/data/pki/<curve>/<name>. */
static inline size_t es8_hexfile(const char *curve, const char *name, uint8_t *out, size_t cap)
{
	char rel[128], txt[ES8_PKI_MAX];
	size_t n;

	snprintf(rel, sizeof(rel), "pki/%s/%s", curve, name);
	n = es8_file(rel, (uint8_t *)txt, sizeof(txt) - 1);
	while (n && (txt[n - 1] == '\n' || txt[n - 1] == '\r'))
		n--;
	txt[n] = 0;
	return ota_unhex(txt, out, cap);
}

/* The SM-SR + SM-DP side of one card. */
struct es8 {
	eum_card *card;
	struct ota_clock clk;
	uint64_t rng;
	uint8_t cntr[5]; /* SCP80 counter of the ISD-R key set KVN 3 */
	uint8_t isdp_aid[16];
	uint8_t isdp_tar[3];
	/* SM-DP identity (test PKI, P-256) and the card's ECASD key */
	uint8_t cert[ES8_PKI_MAX];
	size_t cert_len;
	uint8_t sk_dp[32];
	uint8_t pk_ecasd[65];
	eum_host_smdp_crt crt;
	eum_host_smdp_keys keys; /* the ISD-P key set after EstablishISDPKeySet */
	/* the last answer */
	uint8_t rsp[1024];
	size_t rsp_len;
	/* another transport for the scripts (e.g. an HTTPS admin session, tests/bench/bench_https.c): when set,
	 * es8_send() hands it the script and it leaves the response script in rsp / rsp_len */
	void (*transport)(struct es8 *x, const uint8_t tar[3], const uint8_t *script, size_t len);
	void *transport_ctx;
};

/* es8_init() on a card made from cfg (its clock becomes x's; cfg must outlive the call only). */
static inline void es8_init_cfg(struct es8 *x, uint64_t now, eum_config *cfg)
{
	memset(x, 0, sizeof(*x));
	x->clk.now = now;
	x->rng = 0x0123456789ABCDEFull;
	cfg->clock = ota_clock_fn;
	cfg->clock_ctx = &x->clk;
	assert_int_equal(eum_card_new(&x->card, cfg), EUM_OK);
	assert_int_equal(eum_card_reset(x->card, 1, NULL, 0, NULL), EUM_OK);
	ota_terminal_profile(x->card, NULL, 20);
	x->cert_len = es8_file("pki/p256/smdp.cert", x->cert, sizeof(x->cert));
	assert_int_equal(es8_hexfile("p256", "smdp.sk.hex", x->sk_dp, 32), 32);
	assert_int_equal(es8_hexfile("p256", "ecasd.pk.hex", x->pk_ecasd, 65), 65);
	eum_host_smdp_crt_default(&x->crt);
}

static inline void es8_init(struct es8 *x, uint64_t now)
{
	eum_config cfg;

	eum_config_init(&cfg);
	es8_init_cfg(x, now, &cfg);
}

static inline void es8_free(struct es8 *x)
{
	eum_host_smdp_keys_wipe(&x->keys);
	eum_card_free(x->card);
	x->card = NULL;
}

/* ---- scripts ---------------------------------------------------------------------------------------- */

struct es8_script {
	uint8_t b[ES8_SCRIPT_MAX + 64];
	size_t n;
};

static inline void es8_script_begin(struct es8_script *s)
{
	s->b[0] = 0xAE;
	s->b[1] = 0x80;
	s->n = 2;
}

/* Append a TLV (1-byte tag) with a BER length. */
static inline void es8_script_tlv(struct es8_script *s, uint8_t tag, const uint8_t *v, size_t len)
{
	assert_true(s->n + 4 + len <= sizeof(s->b));
	s->b[s->n++] = tag;
	if (len >= 0x100) {
		s->b[s->n++] = 0x82;
		s->b[s->n++] = (uint8_t)(len >> 8);
	} else if (len >= 0x80) {
		s->b[s->n++] = 0x81;
	}
	s->b[s->n++] = (uint8_t)len;
	memcpy(s->b + s->n, v, len);
	s->n += len;
}

/* Append raw bytes (an already encoded TLV). */
static inline void es8_script_raw(struct es8_script *s, const uint8_t *v, size_t len)
{
	assert_true(s->n + len <= sizeof(s->b));
	memcpy(s->b + s->n, v, len);
	s->n += len;
}

/* Append 22 L C-APDU: header, data, Le 00 when le. */
static inline void es8_script_apdu(struct es8_script *s, const uint8_t hdr[4], const uint8_t *data, size_t len, int le)
{
	uint8_t a[300];
	size_t n = 4;

	memcpy(a, hdr, 4);
	if (len) {
		assert_true(len <= 255);
		a[n++] = (uint8_t)len;
		memcpy(a + n, data, len);
		n += len;
	}
	if (le)
		a[n++] = 0x00;
	es8_script_tlv(s, 0x22, a, n);
}

static inline void es8_script_apdu_hex(struct es8_script *s, const char *hex)
{
	uint8_t a[300];
	size_t n = ota_unhex(hex, a, sizeof(a));

	es8_script_tlv(s, 0x22, a, n);
}

static inline void es8_script_end(struct es8_script *s)
{
	s->b[s->n++] = 0x00;
	s->b[s->n++] = 0x00;
	assert_true(s->n <= ES8_SCRIPT_MAX);
}

/* Send a script to a TAR in one SCP80 packet; the script response (AF 80 ... 00 00) lands in x->rsp. */
static inline void es8_send(struct es8 *x, const uint8_t tar[3], const struct es8_script *s)
{
	const struct ota_keys *k = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por por;
	static struct ota_answer a;
	static uint8_t work[2048];
	int j;

	if (x->transport) {
		x->transport(x, tar, s->b, s->n);
		return;
	}
	for (j = 4; j >= 0 && ++x->cntr[j] == 0; j--)
		;
	memset(&p, 0, sizeof(p));
	p.spi[0] = 0x16; /* counter higher, ciphered, CC */
	p.spi[1] = 0x19; /* PoR always, CC, ciphered */
	p.kic = p.kid = (uint8_t)(k->kvn << 4 | k->nib);
	memcpy(p.tar, tar, 3);
	memcpy(p.cntr, x->cntr, 5);
	ota_send(x->card, k, &p, s->b, s->n, &a);
	assert_true(a.por_len > 0);
	assert_int_equal(ota_parse_por(k, &p, &a, work, sizeof(work), &por), EUM_OK);
	assert_int_equal(por.status, 0x00);
	assert_true(por.data_len <= sizeof(x->rsp));
	memcpy(x->rsp, por.data, por.data_len);
	x->rsp_len = por.data_len;
	assert_true(x->rsp_len >= 4);
	assert_memory_equal(x->rsp, "\xAF\x80", 2);
	assert_memory_equal(x->rsp + x->rsp_len - 2, "\x00\x00", 2);
}

/* The index-th TLV of the response script (after AF 80); returns 0 when there is none. */
static inline int es8_rsp_tlv(const struct es8 *x, size_t index, uint16_t *tag, const uint8_t **raw, size_t *raw_len,
                              const uint8_t **v, size_t *vl)
{
	size_t off = 2, end = x->rsp_len - 2, i = 0;

	while (off < end) {
		size_t h = 1, l;
		uint16_t t = x->rsp[off];
		if ((t & 0x1F) == 0x1F) {
			t = (uint16_t)(t << 8 | x->rsp[off + 1]);
			h = 2;
		}
		l = x->rsp[off + h++];
		if (l == 0x81) {
			l = x->rsp[off + h++];
		} else if (l == 0x82) {
			l = (size_t)x->rsp[off + h] << 8 | x->rsp[off + h + 1];
			h += 2;
		}
		assert_true(off + h + l <= end);
		if (i == index) {
			*tag = t;
			*raw = x->rsp + off;
			*raw_len = h + l;
			*v = x->rsp + off + h;
			*vl = l;
			return 1;
		}
		off += h + l;
		i++;
	}
	return 0;
}

static inline size_t es8_rsp_count(const struct es8 *x)
{
	uint16_t t = 0;
	const uint8_t *r = NULL, *v = NULL;
	size_t rl = 0, vl = 0, n = 0;

	while (es8_rsp_tlv(x, n, &t, &r, &rl, &v, &vl))
		n++;
	return n;
}

/* The SW of R-APDU TLV index (tag 23), its data in *data. */
static inline uint16_t es8_rsp_sw(const struct es8 *x, size_t index, const uint8_t **data, size_t *dlen)
{
	uint16_t t = 0;
	const uint8_t *r = NULL, *v = NULL;
	size_t rl = 0, vl = 0;

	assert_true(es8_rsp_tlv(x, index, &t, &r, &rl, &v, &vl));
	assert_int_equal(t, 0x23);
	assert_true(vl >= 2);
	if (data)
		*data = v;
	if (dlen)
		*dlen = vl - 2;
	return (uint16_t)(v[vl - 2] << 8 | v[vl - 1]);
}

/* ---- SM-SR: CreateISDP ----------------------------------------------------------------------------- */

/* INSTALL [for install and make selectable] of the ISD-P with this TAR, through the ISD-R (SGP.02 §7.1). */
static inline void es8_create_isdp(struct es8 *x, const uint8_t tar[3])
{
	struct es8_script s;
	char hex[200];

	memcpy(x->isdp_tar, tar, 3);
	memcpy(x->isdp_aid, "\xA0\x00\x00\x05\x59\x10\x10\xFF\xFF\xFF\xFF\x89", 12);
	memcpy(x->isdp_aid + 12, tar, 3);
	x->isdp_aid[15] = 0x00;
	snprintf(hex, sizeof(hex),
	         "80E60C003F10" ES8_ELF "10" ES8_MOD "10A0000005591010FFFFFFFF89%02X%02X%02X00"
	         "0380C00006C904810203700000",
	         tar[0], tar[1], tar[2]);
	es8_script_begin(&s);
	es8_script_apdu_hex(&s, hex);
	es8_script_end(&s);
	es8_send(x, es8_isdr_tar, &s);
	assert_int_equal(es8_rsp_sw(x, 0, NULL, NULL), 0x9000);
}

/* ---- SM-DP: EstablishISDPKeySet (SGP.02 §4.1.3.1, digest §8.1) -------------------------------------- */

static const uint8_t es8_sd_09[4] = {0x80, 0xE2, 0x09, 0x00}; /* block 00, more follow, response expected */
static const uint8_t es8_sd_89[4] = {0x80, 0xE2, 0x89, 0x01}; /* block 01, last, response expected */

/* Routes of the key establishment scripts (the via_isdr argument below):
 *   0  to the ISD-P's TAR, STORE DATA only;
 *   1  to the ISD-R's TAR, INSTALL [for personalization] naming the ISD-P first (GP routing);
 *   2  to the ISD-P's TAR, INSTALL [for personalization] naming itself first (SGP.02 digest §8.1
 *      "script 1 to the ISD-P", as njiwa and whty send it). */
#define ES8_ROUTE_ISDP         0
#define ES8_ROUTE_ISDR         1
#define ES8_ROUTE_ISDP_INSTALL 2

/* Step 1 to the ISD-P's TAR or the ISD-R's (route via_isdr, above): DGI 3A01 with cert; returns the SW,
 * the RC in rc (16 bytes) on 9000. */
static inline uint16_t es8_step1(struct es8 *x, const uint8_t *cert, size_t cert_len, int via_isdr, uint8_t rc[16])
{
	struct es8_script s;
	uint8_t d[600];
	const uint8_t *data;
	size_t n, dlen, rl;
	uint16_t sw;

	assert_int_equal(eum_host_smdp_build_3a01(cert, cert_len, d, sizeof(d), &n), EUM_OK);
	es8_script_begin(&s);
	if (via_isdr) {
		uint8_t perso[3 + 16 + 3] = {0x00, 0x00, 0x10};
		memcpy(perso + 3, x->isdp_aid, 16);
		es8_script_apdu(&s, (const uint8_t *)"\x80\xE6\x20\x00", perso, sizeof(perso), 1);
	}
	es8_script_apdu(&s, es8_sd_09, d, n, 1);
	es8_script_end(&s);
	es8_send(x, via_isdr == ES8_ROUTE_ISDR ? es8_isdr_tar : x->isdp_tar, &s);
	if (via_isdr)
		assert_int_equal(es8_rsp_sw(x, 0, NULL, NULL), 0x9000);
	sw = es8_rsp_sw(x, via_isdr ? 1 : 0, &data, &dlen);
	if (sw == 0x9000) {
		assert_int_equal(eum_host_smdp_parse_rc(data, dlen, rc, 16, &rl), EUM_OK);
		assert_int_equal(rl, 16);
	} else {
		assert_int_equal(dlen, 0);
	}
	return sw;
}

/* Step 2: the 3A02 data field as given, as block 01 (p2) to the same target as step 1. Returns the SW;
 * the answer data ([85 L DR] 86 10 receipt) in x->rsp via *data. */
static inline uint16_t es8_step2_raw(struct es8 *x, const uint8_t *d, size_t n, int via_isdr, const uint8_t hdr[4],
                                     const uint8_t **data, size_t *dlen)
{
	struct es8_script s;

	es8_script_begin(&s);
	es8_script_apdu(&s, hdr, d, n, 1);
	es8_script_end(&s);
	es8_send(x, via_isdr == ES8_ROUTE_ISDR ? es8_isdr_tar : x->isdp_tar, &s);
	return es8_rsp_sw(x, 0, data, dlen);
}

/* The whole key establishment with the test SM-DP and the default CRT; keys in x->keys. */
static inline void es8_establish_keys(struct es8 *x, int via_isdr)
{
	uint8_t rc[16], esk[32], epk[65], d[400];
	const uint8_t *data;
	size_t n, dlen;

	assert_int_equal(es8_step1(x, x->cert, x->cert_len, via_isdr, rc), 0x9000);
	assert_int_equal(eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &x->rng, esk, epk), EUM_OK);
	assert_int_equal(eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, x->sk_dp, &x->crt, epk, 0, rc, 16, es8_rng,
	                                          &x->rng, d, sizeof(d), &n),
	                 EUM_OK);
	assert_int_equal(es8_step2_raw(x, d, n, via_isdr, es8_sd_89, &data, &dlen), 0x9000);
	assert_int_equal(eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, x->pk_ecasd, &x->crt, NULL, 0,
	                                      EUM_HOST_SMDP_RECEIPT_CMAC, es8_rng, &x->rng, data, dlen, &x->keys),
	                 EUM_OK);
	memset(esk, 0, sizeof(esk));
}

/* ---- SM-DP: SCP03t (SGP.02 §4.1.3.3, digest §8.2) ---------------------------------------------------- */

/* Open the SCP03t session: 84 and 85 in one script (the host predicts the card challenge from the
 * sequence counter, as whty does) when together, else in two scripts. */
static inline void es8_scp03t_open(struct es8 *x, eum_host_scp03t *t, int together, uint32_t expected_seq)
{
	static const uint8_t hc[8] = {0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8};
	struct es8_script s;
	uint8_t tlv[40];
	uint16_t tag = 0;
	const uint8_t *raw = NULL, *v = NULL;
	size_t n, rl = 0, vl = 0;

	assert_int_equal(eum_host_scp03t_init(t, x->crt.kvn, 0x00, x->keys.key[0], x->keys.key[1], 16), EUM_OK);
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_build_84(t, hc, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	if (together) {
		assert_int_equal(eum_host_scp03t_predict(t, expected_seq, x->isdp_aid, 16), EUM_OK);
		assert_int_equal(eum_host_scp03t_build_85(t, tlv, sizeof(tlv), &n), EUM_OK);
		es8_script_raw(&s, tlv, n);
	}
	es8_script_end(&s);
	es8_send(x, x->isdp_tar, &s);
	assert_true(es8_rsp_tlv(x, 0, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(eum_host_scp03t_check_84(t, raw, rl, x->isdp_aid, 16), EUM_OK);
	assert_int_equal(t->seq_counter, expected_seq);
	if (!together) {
		es8_script_begin(&s);
		assert_int_equal(eum_host_scp03t_build_85(t, tlv, sizeof(tlv), &n), EUM_OK);
		es8_script_raw(&s, tlv, n);
		es8_script_end(&s);
		es8_send(x, x->isdp_tar, &s);
		assert_true(es8_rsp_tlv(x, 0, &tag, &raw, &rl, &v, &vl));
	} else {
		assert_true(es8_rsp_tlv(x, 1, &tag, &raw, &rl, &v, &vl));
	}
	assert_int_equal(tag, 0x85);
	assert_int_equal(vl, 0);
}

/*
 * Download a DER package in segments of seg plain bytes, as many 86 TLVs per script as fit. Every answer
 * but the last must be 86 00; the last one's EUICCResponse is decoded into *resp. Returns the number of
 * scripts sent.
 */
static inline size_t es8_download(struct es8 *x, eum_host_scp03t *t, const uint8_t *der, size_t len, size_t seg,
                                  eum_host_euicc_response *resp)
{
	static uint8_t tlv[ES8_SCRIPT_MAX];
	/* the session as it was after each segment of the script: an answer is checked against the MAC chain
	 * value of the segment it answers (an early EUICCResponse answers one in the middle) */
	static eum_host_scp03t after[ES8_SCRIPT_MAX / 26 + 1];
	uint8_t plain[512];
	struct es8_script s;
	size_t off = 0, scripts = 0, n, plen = 0, i, cnt;
	uint16_t tag = 0;
	const uint8_t *raw = NULL, *v = NULL;
	size_t rl = 0, vl = 0;
	int got_final = 0;

	while (off < len && !got_final) {
		size_t sent = 0;
		es8_script_begin(&s);
		/* room: 86 82 LL LL + ct (seg padded) + 8, plus the closing 00 00 */
		while (off < len) {
			size_t k = len - off < seg ? len - off : seg, need = 4 + (k / 16 + 1) * 16 + 8;
			if (s.n + need + 2 > ES8_SCRIPT_MAX)
				break;
			assert_int_equal(eum_host_scp03t_next_segment(t, der, len, seg, &off, tlv, sizeof(tlv), &n),
			                 EUM_OK);
			es8_script_raw(&s, tlv, n);
			assert_true(sent < sizeof(after) / sizeof(after[0]));
			after[sent++] = *t;
		}
		assert_true(sent > 0); /* the segment size fits the transport */
		es8_script_end(&s);
		es8_send(x, x->isdp_tar, &s);
		scripts++;
		cnt = es8_rsp_count(x);
		assert_true(cnt >= 1 && cnt <= sent);
		for (i = 0; i < cnt; i++) {
			assert_true(es8_rsp_tlv(x, i, &tag, &raw, &rl, &v, &vl));
			assert_int_equal(eum_host_scp03t_check_86(&after[i], raw, rl, plain, sizeof(plain), &plen),
			                 EUM_OK);
			if (plen) {
				assert_int_equal(i, cnt - 1); /* the EUICCResponse is the last answer */
				assert_int_equal(eum_host_euicc_response_decode(plain, plen, resp), EUM_OK);
				got_final = 1;
			}
		}
		if (!got_final)
			assert_int_equal(cnt, sent);
	}
	memset(after, 0, sizeof(after));
	assert_true(got_final);
	return scripts;
}

/* ---- internal state, read without changing it ---------------------------------------------------- */

static inline size_t es8_image(struct es8 *x, uint8_t *img)
{
	return ota_image(x->card, img);
}

#endif
