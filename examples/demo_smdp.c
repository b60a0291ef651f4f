/*
 * The M2M provisioning demo: the SM-DP, ES8 relayed by the SM-SR to an ISD-P's TAR (GSMA SGP.02 §5.5,
 * §8): EstablishISDPKeySet (ECKA-EG) and the profile download through SCP03t.
 */
#include "demo.h"

/* ---- ES8 relayed by the SM-SR ------------------------------------------------------------------- */

/* An expanded remote command script, indefinite length (TS 102 226 §5.2): AE 80 ... 00 00. */
struct script {
	uint8_t b[SCRIPT_TLS + 16];
	size_t n, cap;
};

/* A script for the current transport: one SCP80 packet, or one HTTPS answer. */
static void script_begin(const struct demo *d, struct script *s)
{
	s->b[0] = 0xAE;
	s->b[1] = 0x80;
	s->n = 2;
	s->cap = d->https ? SCRIPT_TLS : SCRIPT_MAX;
}

/* Append raw bytes (an encoded TLV); 0 when they fit. */
static int script_raw(struct script *s, const uint8_t *v, size_t len)
{
	if (s->n + len + 2 > s->cap)
		return demo_fail("script too long for one %s", s->cap == SCRIPT_MAX ? "SCP80 packet" : "HTTPS answer");
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
		return demo_fail("C-APDU data too long");
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

	if (d->https) {
		/* over the HTTPS session: X-Admin-Targeted-Application names the ISD-P (digest §5.2) */
		uint8_t aid[16];
		demo_isdp_aid(tar, aid);
		d->sms_sent = 0;
		return demo_https_script(d, aid, sizeof(aid), s->b, s->n, rsp, cap, rsp_len);
	}
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
	if (demo_deliver(d, (const uint8_t(*)[261])env, len, count, por, sizeof(por), &por_len))
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
int demo_establish_keys(struct demo *d, int sub)
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
	script_begin(d, &s);
	if (script_apdu(&s, sd_09, buf, n))
		return -1;
	script_end(&s);
	if (relay(d, demo_subs[sub].tar, &s, rsp, sizeof(rsp), &rl))
		return -1;
	if (d->https)
		demo_say("SM-DP", "ISD-P",
		         "STORE DATA 3A01: CERT.DP.ECDSA (over HTTPS, Targeted-Application ISD-P %02X%02X%02X)",
		         demo_subs[sub].tar[0], demo_subs[sub].tar[1], demo_subs[sub].tar[2]);
	else
		demo_say("SM-DP", "ISD-P", "STORE DATA 3A01: CERT.DP.ECDSA (SM-SR relays to TAR %02X%02X%02X, %zu SMS)",
		         demo_subs[sub].tar[0], demo_subs[sub].tar[1], demo_subs[sub].tar[2], d->sms_sent);
	sw = rsp_rapdu(rsp, rl, &data, &dl);
	CHECK(sw == 0x9000, "3A01 answered %04X", sw);
	rc = eum_host_smdp_parse_rc(data, dl, rc_, sizeof(rc_), &rcl);
	CHECK(rc == EUM_OK, "3A01 answer is not 85 RC: %s", eum_strerror(rc));
	demo_say("ISD-P", "SM-DP", "certificate verified against PK.CI; 85: %zu-byte random challenge RC", rcl);

	rc = eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, demo_os_random, NULL, esk, epk);
	if (rc == EUM_OK)
		rc = eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, d->dp_sk, &d->crt, epk, 0, rc_, rcl,
		                              demo_os_random, NULL, buf, sizeof(buf), &n);
	if (rc != EUM_OK) {
		memset(esk, 0, sizeof(esk));
		return demo_fail("3A02: %s", eum_strerror(rc));
	}
	script_begin(d, &s);
	if (script_apdu(&s, sd_89, buf, n)) {
		memset(esk, 0, sizeof(esk));
		return -1;
	}
	script_end(&s);
	if (relay(d, demo_subs[sub].tar, &s, rsp, sizeof(rsp), &rl)) {
		memset(esk, 0, sizeof(esk));
		return -1;
	}
	demo_say("SM-DP", "ISD-P", "STORE DATA 3A02: CRT (3 AES-128 keys, KVN %02X), ePK.DP.ECKA, signature",
	         d->crt.kvn);
	sw = rsp_rapdu(rsp, rl, &data, &dl);
	if (sw != 0x9000) {
		memset(esk, 0, sizeof(esk));
		return demo_fail("3A02 answered %04X", sw);
	}
	rc = eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, d->pk_ecasd, &d->crt, NULL, 0,
	                          EUM_HOST_SMDP_RECEIPT_CMAC, demo_os_random, NULL, data, dl, &d->keys);
	memset(esk, 0, sizeof(esk));
	CHECK(rc == EUM_OK, "receipt: %s", eum_strerror(rc));
	demo_say("ISD-P", "SM-DP", "86 receipt verified: both ends hold the ISD-P's SCP03 keys (ECKA-EG, X9.63 KDF)");
	return 0;
}

/* A script of one SCP03t TLV (84, 85 or 86) relayed to the ISD-P; the first answer TLV in *raw. */
static int scp03t_send(struct demo *d, int sub, const uint8_t *tlv, size_t n, uint8_t *rsp, size_t cap, uint16_t *tag,
                       const uint8_t **raw, size_t *raw_len, size_t *vl)
{
	struct script s;
	const uint8_t *v;
	size_t rl = 0;

	script_begin(d, &s);
	if (script_raw(&s, tlv, n))
		return -1;
	script_end(&s);
	if (relay(d, demo_subs[sub].tar, &s, rsp, cap, &rl))
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
	uint8_t tlv[SCRIPT_TLS], rsp[RSP_MAX], plain[512], hc[8], aid[16];
	eum_host_euicc_response er;
	const uint8_t *raw;
	size_t n, raw_len, vl, off = 0, plen = 0, segments = 0, sms = 0;
	uint16_t tag;
	int rc;

	demo_isdp_aid(demo_subs[sub].tar, aid);
	CHECK(!demo_os_random(NULL, hc, sizeof(hc)), "no randomness");
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
		rc = eum_host_scp03t_next_segment(t, der, len, d->https ? SEGMENT_TLS : SEGMENT, &off, tlv, sizeof(tlv),
		                                  &n);
		CHECK(rc == EUM_OK, "eum_host_scp03t_next_segment: %s", eum_strerror(rc));
		if (scp03t_send(d, sub, tlv, n, rsp, sizeof(rsp), &tag, &raw, &raw_len, &vl))
			return -1;
		segments++;
		sms += d->sms_sent;
		rc = eum_host_scp03t_check_86(t, raw, raw_len, plain, sizeof(plain), &plen);
		CHECK(rc == EUM_OK, "SCP03t: segment %zu answered %04X (%s, 9F4x error %04X)", segments, tag,
		      eum_strerror(rc), t->last_error);
	}
	if (d->https)
		demo_say("SM-DP", "ISD-P",
		         "SCP03t 84, 85, then %zu segments 86: %s, %zu bytes, one HTTPS exchange each", segments,
		         demo_subs[sub].package, len);
	else
		demo_say("SM-DP", "ISD-P", "SCP03t 84, 85, then %zu segments 86: %s, %zu bytes, %zu SMS", segments,
		         demo_subs[sub].package, len, sms);
	CHECK(plen && off == len, "no EUICCResponse after the last segment");
	rc = eum_host_euicc_response_decode(plain, plen, &er);
	CHECK(rc == EUM_OK, "EUICCResponse malformed: %s", eum_strerror(rc));
	CHECK(eum_host_euicc_response_ok(&er), "EUICCResponse: installation failed (%s)",
	      er.aborted ? "aborted" : er.status_message);
	demo_say("ISD-P", "SM-DP", "EUICCResponse: profile installed, %zu PE status%s ok", er.n_st,
	         er.n_st == 1 ? "" : "es");
	return 0;
}

int demo_download(struct demo *d, int sub)
{
	static uint8_t der[PACKAGE_MAX];
	eum_host_scp03t t;
	char path[128];
	size_t len = 0;
	int rc;

	snprintf(path, sizeof(path), "ts48/%s", demo_subs[sub].package);
	if (demo_read_file(d, path, der, sizeof(der), &len))
		return -1;
	rc = eum_host_scp03t_init(&t, d->crt.kvn, 0x00, d->keys.key[0], d->keys.key[1], 16);
	CHECK(rc == EUM_OK, "eum_host_scp03t_init: %s", eum_strerror(rc));
	rc = download_session(d, sub, &t, der, len);
	eum_host_scp03t_free(&t);
	return rc;
}
