/*
 * Tests of src/ota/sms_pp.c: SMS-PP download ENVELOPE (3GPP TS 31.111 §7.1.1), SMS-DELIVER / UDH /
 * concatenation (3GPP TS 23.040 §9.2), PoR framing and SMS-SUBMIT (3GPP TS 31.115 §4).
 * Golden data: tests/data/sms/ (.txt files) (from /work/shared/vectors/scp80.json, see tests/data/README.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sw.h"
#include "eum/eum.h"
#include "ota/sms_pp.h"

#define MAXV   32
#define HEXMAX 600

struct vec {
	char name[64];
	uint8_t pkt[HEXMAX];
	size_t pkt_len;
	uint8_t ud[HEXMAX];
	size_t ud_len; /* 0 = not given */
	uint8_t tpdu[HEXMAX];
	size_t tpdu_len;
	uint8_t env[HEXMAX];
	size_t env_len;
};

static struct vec vecs[MAXV];
static size_t nvecs;

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (strcmp(s, "-") == 0)
		return 0;
	while (s[0] && s[1]) {
		unsigned v;

		assert_true(n < cap);
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

static int load_vectors(void **state)
{
	char line[4096], name[64], a[1200], b[1200], c[1200], d[1200];
	FILE *f = fopen(EUM_TEST_DATA_DIR "/sms/scp80_sms_vectors.txt", "r");

	(void)state;
	if (!f)
		return -1;
	nvecs = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%63s %1199s %1199s %1199s %1199s", name, a, b, c, d) != 5 || nvecs == MAXV) {
			fclose(f);
			return -1;
		}
		snprintf(vecs[nvecs].name, sizeof(vecs[nvecs].name), "%s", name);
		vecs[nvecs].pkt_len = unhex(a, vecs[nvecs].pkt, HEXMAX);
		vecs[nvecs].ud_len = unhex(b, vecs[nvecs].ud, HEXMAX);
		vecs[nvecs].tpdu_len = unhex(c, vecs[nvecs].tpdu, HEXMAX);
		vecs[nvecs].env_len = unhex(d, vecs[nvecs].env, HEXMAX);
		nvecs++;
	}
	fclose(f);
	return nvecs >= 14 ? 0 : -1;
}

/* ---- the golden vectors -------------------------------------------------------------------- */

static void test_vectors_envelope_to_packet(void **state)
{
	static const uint8_t oa[4] = {0x21, 0x43, 0x65, 0x87};
	static const uint8_t smsc[3] = {0x91, 0x44, 0x77};
	struct eum_sms_reasm r = {0};
	struct eum_sms_pp_msg m;
	uint8_t pkt[EUM_SMS_REASM_MAX_BYTES];
	size_t i;

	(void)state;
	for (i = 0; i < nvecs; i++) {
		const struct vec *v = &vecs[i];

		eum_sms_reasm_init(&r);
		/* 80 C2 00 00 Lc | data */
		assert_int_equal(v->env[0], 0x80);
		assert_int_equal(v->env[1], 0xC2);
		assert_int_equal(v->env[4], v->env_len - 5);
		assert_int_equal(eum_sms_pp_download(&r, v->env + 5, v->env_len - 5, 0, pkt, sizeof(pkt), &m),
		                 EUM_SW_OK);
		assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
		assert_int_equal(m.pkt_len, v->pkt_len);
		assert_memory_equal(pkt, v->pkt, v->pkt_len);
		assert_int_equal(m.oa.ndigits, 8);
		assert_int_equal(m.oa.ton_npi, 0x91);
		assert_memory_equal(m.oa.value, oa, sizeof(oa));
		assert_int_equal(m.smsc_len, 3);
		assert_memory_equal(m.smsc, smsc, 3);
		assert_int_equal(m.pid, 0x7F);
		assert_int_equal(m.dcs, 0xF6);
		assert_int_equal(m.por_via_submit, (v->pkt[4] & 0x20) ? 1 : 0);
		assert_int_equal(r.active, 0);
	}
}

static void test_vectors_tpdu_and_ud(void **state)
{
	struct eum_sms_deliver d;
	struct eum_sms_udh h;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < nvecs; i++) {
		const struct vec *v = &vecs[i];

		if (!v->tpdu_len)
			continue;
		n++;
		assert_int_equal(eum_sms_deliver_parse(v->tpdu, v->tpdu_len, &d), EUM_OK);
		assert_int_equal(d.first_octet, 0x40);
		assert_int_equal(d.ud_len, v->ud_len);
		assert_memory_equal(d.ud, v->ud, v->ud_len);
		assert_int_equal(eum_sms_udh_parse(d.ud, d.ud_len, &h), EUM_OK);
		assert_true(h.has_cpi);
		assert_false(h.has_concat);
		assert_int_equal(h.hdr_len, 3);
		assert_int_equal(d.ud_len - h.hdr_len, v->pkt_len);
		assert_memory_equal(d.ud + h.hdr_len, v->pkt, v->pkt_len);
		/* the SPI2 b6 flag follows the SPI the vector names (…PoR-in-SMS-SUBMIT has SPI 16 39) */
		if (strstr(v->name, "SUBMIT"))
			assert_true(v->pkt[4] & 0x20);
	}
	assert_true(n >= 14);
}

/* every proper prefix of the ENVELOPE data, and of the TPDU, is refused cleanly */
static void test_truncated_everywhere(void **state)
{
	struct eum_sms_reasm r = {0};
	struct eum_sms_pp_msg m;
	struct eum_sms_deliver d;
	uint8_t pkt[EUM_SMS_REASM_MAX_BYTES];
	uint8_t env[HEXMAX];
	size_t i, len;

	(void)state;
	for (i = 0; i < nvecs; i++) {
		const struct vec *v = &vecs[i];
		size_t dlen = v->env_len - 5;

		for (len = 0; len < dlen; len++) {
			uint8_t *copy = malloc(len ? len : 1); /* exact-size heap copy: ASan sees any over-read */
			uint16_t sw;

			assert_non_null(copy);
			memcpy(copy, v->env + 5, len);
			eum_sms_reasm_init(&r);
			sw = eum_sms_pp_download(&r, copy, len, 0, pkt, sizeof(pkt), &m);
			assert_true(sw == EUM_SW_WRONG_LENGTH || sw == EUM_SW_INCORRECT_DATA);
			assert_int_equal(r.active, 0);
			free(copy);
		}
		if (!v->tpdu_len)
			continue;
		for (len = 0; len < v->tpdu_len; len++) {
			uint8_t *copy = malloc(len ? len : 1);

			assert_non_null(copy);
			memcpy(copy, v->tpdu, len);
			assert_int_equal(eum_sms_deliver_parse(copy, len, &d), EUM_ERR_PARSE);
			free(copy);
		}
		/* a consistent template around a truncated TPDU: the inner parse refuses it (6A80) */
		for (len = 0; len < v->tpdu_len; len++) {
			size_t n = 0, body = 4 + 5 + 2 + len;

			if (body > 0x7F)
				continue;
			env[n++] = 0xD1;
			env[n++] = (uint8_t)body;
			memcpy(env + n, "\x82\x02\x83\x81\x86\x03\x91\x44\x77", 9);
			n += 9;
			env[n++] = 0x8B;
			env[n++] = (uint8_t)len;
			memcpy(env + n, v->tpdu, len);
			n += len;
			eum_sms_reasm_init(&r);
			assert_int_equal(eum_sms_pp_download(&r, env, n, 0, pkt, sizeof(pkt), &m),
			                 EUM_SW_INCORRECT_DATA);
		}
	}
}

/* ---- building ENVELOPEs by hand for the structural and concatenation cases ------------------ */

struct env_opts {
	uint8_t fo, pid, dcs;
	const uint8_t *udh; /* IEs without UDHL */
	size_t udh_len;
	uint8_t oa_last; /* last OA octet, to vary the originator */
	int no_dev, bad_dev, no_tpdu, extra_cr, extra_plain;
};

static size_t make_env(const struct env_opts *o, const uint8_t *payload, size_t len, uint8_t *out)
{
	uint8_t tpdu[200];
	size_t t = 0, n = 0, body;

	tpdu[t++] = o->fo;
	memcpy(tpdu + t, "\x08\x91\x21\x43\x65", 5);
	t += 5;
	tpdu[t++] = o->oa_last ? o->oa_last : 0x87;
	tpdu[t++] = o->pid;
	tpdu[t++] = o->dcs;
	memcpy(tpdu + t, "\x22\x70\x52\x00\x00\x00\x00", 7);
	t += 7;
	tpdu[t++] = (uint8_t)((o->udh ? 1 + o->udh_len : 0) + len);
	if (o->udh) {
		tpdu[t++] = (uint8_t)o->udh_len;
		memcpy(tpdu + t, o->udh, o->udh_len);
		t += o->udh_len;
	}
	memcpy(tpdu + t, payload, len);
	t += len;

	body = (o->no_dev ? 0 : 4) + (o->no_tpdu ? 0 : (t > 127 ? 3 : 2) + t) + (o->extra_cr ? 3 : 0) +
	       (o->extra_plain ? 3 : 0);
	out[n++] = 0xD1;
	if (body > 127)
		out[n++] = 0x81;
	out[n++] = (uint8_t)body;
	if (!o->no_dev) {
		memcpy(out + n, o->bad_dev ? "\x82\x02\x82\x81" : "\x82\x02\x83\x81", 4);
		n += 4;
	}
	if (o->extra_cr) {
		memcpy(out + n, "\xA0\x01\x00", 3); /* unknown object, comprehension required */
		n += 3;
	}
	if (o->extra_plain) {
		memcpy(out + n, "\x20\x01\x00", 3); /* unknown object, may be skipped */
		n += 3;
	}
	if (!o->no_tpdu) {
		out[n++] = 0x8B;
		if (t > 127)
			out[n++] = 0x81;
		out[n++] = (uint8_t)t;
		memcpy(out + n, tpdu, t);
		n += t;
	}
	return n;
}

static void opts_default(struct env_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->fo = 0x40;
	o->pid = 0x7F;
	o->dcs = 0xF6;
}

static const uint8_t small_pkt[] = {0x00, 0x0D, 0x0D, 0x00, 0x21, 0x00, 0x00, 0xB0,
                                    0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

static uint16_t feed(struct eum_sms_reasm *r, const struct env_opts *o, const uint8_t *payload, size_t len,
                     uint64_t now, uint8_t *pkt, size_t cap, struct eum_sms_pp_msg *m)
{
	uint8_t env[300];
	size_t n = make_env(o, payload, len, env);

	return eum_sms_pp_download(r, env, n, now, pkt, cap, m);
}

static void test_structure_checks(void **state)
{
	static const uint8_t cpi[] = {0x70, 0x00};
	static const uint8_t bad_udh[] = {0x70, 0x05};
	struct eum_sms_reasm r = {0};
	struct eum_sms_pp_msg m;
	struct env_opts o;
	uint8_t pkt[EUM_SMS_REASM_MAX_BYTES], env[300];
	size_t n;

	(void)state;
	eum_sms_reasm_init(&r);
	opts_default(&o);
	o.udh = cpi;
	o.udh_len = sizeof(cpi);
	/* baseline, then the SPI2 b6 report */
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
	assert_int_equal(m.por_via_submit, 1);
	assert_int_equal(m.smsc_len, 0);
	/* DCS 16 (general group, class 2, 8-bit) is an OTA coding too */
	o.dcs = 0x16;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
	/* output capacity too small for the packet */
	o.dcs = 0xF6;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(small_pkt) - 1, &m),
	                 EUM_SW_NOT_ENOUGH_MEMORY);

	/* well-formed but not OTA: acknowledged and ignored */
	o.pid = 0x00;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_NOT_OTA);
	o.pid = 0x7F;
	o.dcs = 0xF5; /* class 1 */
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_NOT_OTA);
	o.dcs = 0xF6;
	o.fo = 0x00; /* no UDHI */
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_NOT_OTA);
	o.fo = 0x40;
	o.udh = (const uint8_t *)"\x05\x04\x00\x01\x00\x02"; /* port addressing only, no IEI 70 */
	o.udh_len = 6;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_NOT_OTA);

	/* malformed */
	o.udh = bad_udh;
	o.udh_len = sizeof(bad_udh);
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	o.udh = cpi;
	o.udh_len = sizeof(cpi);
	o.fo = 0x41; /* SMS-SUBMIT is not downloaded */
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	o.fo = 0x40;
	o.no_dev = 1;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	o.no_dev = 0;
	o.bad_dev = 1;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	o.bad_dev = 0;
	o.no_tpdu = 1;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	o.no_tpdu = 0;
	o.extra_cr = 1;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	o.extra_cr = 0;
	o.extra_plain = 1;
	assert_int_equal(feed(&r, &o, small_pkt, sizeof(small_pkt), 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
	o.extra_plain = 0;

	/* template level: other tag, trailing octet (Lc longer than D1), empty */
	n = make_env(&o, small_pkt, sizeof(small_pkt), env);
	env[0] = 0xD6;
	assert_int_equal(eum_sms_pp_download(&r, env, n, 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	env[0] = 0xD1;
	env[n] = 0x00;
	assert_int_equal(eum_sms_pp_download(&r, env, n + 1, 0, pkt, sizeof(pkt), &m), EUM_SW_WRONG_LENGTH);
	assert_int_equal(eum_sms_pp_download(&r, env, 0, 0, pkt, sizeof(pkt), &m), EUM_SW_WRONG_LENGTH);
}

static void test_dcs_decoding(void **state)
{
	static const struct {
		uint8_t dcs;
		int alphabet, cls;
	} t[] = {
	        {0xF6, 1, 2},  {0x16, 1, 2}, {0xF2, 0, 2},  {0x12, 0, 2},  {0x06, 1, -1}, {0x00, 0, -1},
	        {0x08, 2, -1}, {0x56, 1, 2}, {0xC0, 0, -1}, {0xE0, 2, -1}, {0xF4, 1, 0},  {0x84, 0, -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(eum_sms_dcs_alphabet(t[i].dcs), t[i].alphabet);
		assert_int_equal(eum_sms_dcs_class(t[i].dcs), t[i].cls);
	}
}

/* ---- concatenation --------------------------------------------------------------------------- */

#define BIGPKT 600
static uint8_t big[BIGPKT];

static void fill_big(void)
{
	size_t i;

	for (i = 0; i < BIGPKT; i++)
		big[i] = (uint8_t)(i * 7 + 3);
}

struct part {
	uint8_t udh[16];
	size_t udh_len;
	const uint8_t *data;
	size_t len;
};

/* Split big[0..len) into n parts; part 1 carries 70 00 (before or after the concatenation IE). */
static void split(size_t len, size_t n, uint16_t ref, int concat16, int cpi_after, struct part *p)
{
	size_t i, off = 0, each = (len + n - 1) / n;

	for (i = 0; i < n; i++) {
		size_t k = 0;
		uint8_t ie[6];
		size_t ie_len = 0;

		if (concat16) {
			ie[ie_len++] = 0x08;
			ie[ie_len++] = 4;
			ie[ie_len++] = (uint8_t)(ref >> 8);
		} else {
			ie[ie_len++] = 0x00;
			ie[ie_len++] = 3;
		}
		ie[ie_len++] = (uint8_t)ref;
		ie[ie_len++] = (uint8_t)n;
		ie[ie_len++] = (uint8_t)(i + 1);
		if (i == 0 && !cpi_after) {
			p[i].udh[k++] = 0x70;
			p[i].udh[k++] = 0x00;
		}
		memcpy(p[i].udh + k, ie, ie_len);
		k += ie_len;
		if (i == 0 && cpi_after) {
			p[i].udh[k++] = 0x70;
			p[i].udh[k++] = 0x00;
		}
		p[i].udh_len = k;
		p[i].data = big + off;
		p[i].len = off + each <= len ? each : len - off;
		off += p[i].len;
	}
}

static uint16_t feed_part(struct eum_sms_reasm *r, const struct part *p, uint8_t oa_last, uint64_t now, uint8_t *pkt,
                          size_t cap, struct eum_sms_pp_msg *m)
{
	struct env_opts o;

	opts_default(&o);
	o.udh = p->udh;
	o.udh_len = p->udh_len;
	o.oa_last = oa_last;
	return feed(r, &o, p->data, p->len, now, pkt, cap, m);
}

static int next_perm(size_t *a, size_t n)
{
	size_t i, j, t;

	if (n < 2)
		return 0;
	i = n - 1;
	while (i > 0 && a[i - 1] >= a[i])
		i--;
	if (i == 0)
		return 0;
	j = n - 1;
	while (a[j] <= a[i - 1])
		j--;
	t = a[i - 1];
	a[i - 1] = a[j];
	a[j] = t;
	for (j = n - 1; i < j; i++, j--) {
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
	return 1;
}

static void test_concat_every_order(void **state)
{
	struct eum_sms_reasm r = {0};
	struct eum_sms_pp_msg m;
	struct part p[5];
	uint8_t pkt[EUM_SMS_REASM_MAX_BYTES];
	size_t n, order[5], i, len;
	int variant;

	(void)state;
	fill_big();
	for (variant = 0; variant < 3; variant++) {
		for (n = 2; n <= 5; n++) {
			len = 100 * n - 13;
			split(len, n, (uint16_t)(0x1234 + n), variant == 1, variant == 2, p);
			for (i = 0; i < n; i++)
				order[i] = i;
			eum_sms_reasm_init(&r);
			do {
				for (i = 0; i < n; i++) {
					assert_int_equal(feed_part(&r, &p[order[i]], 0, i, pkt, sizeof(pkt), &m),
					                 EUM_SW_OK);
					if (i + 1 < n) {
						assert_int_equal(m.kind, EUM_SMS_PP_SEGMENT_STORED);
					} else {
						assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
						assert_int_equal(m.pkt_len, len);
						assert_memory_equal(pkt, big, len);
						assert_int_equal(m.oa.value[3], 0x87);
					}
				}
				assert_int_equal(r.active, 0);
			} while (next_perm(order, n));
		}
	}
}

static void test_concat_duplicates_gaps_refs(void **state)
{
	struct eum_sms_reasm r = {0};
	struct eum_sms_pp_msg m;
	struct part p[3], q[3], bad;
	uint8_t pkt[EUM_SMS_REASM_MAX_BYTES];

	(void)state;
	fill_big();
	split(300, 3, 7, 0, 0, p);
	split(200, 3, 8, 0, 0, q);

	/* identical duplicate ignored, then completion */
	eum_sms_reasm_init(&r);
	assert_int_equal(feed_part(&r, &p[0], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[0], 0, 1, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_DUPLICATE);
	assert_int_equal(r.have, 1);
	/* gap: 1 and 3 held, waiting */
	assert_int_equal(feed_part(&r, &p[2], 0, 2, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_SEGMENT_STORED);
	assert_int_equal(feed_part(&r, &p[2], 0, 3, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_DUPLICATE);
	assert_int_equal(feed_part(&r, &p[1], 0, 4, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
	assert_int_equal(m.pkt_len, 300);
	assert_memory_equal(pkt, big, 300);

	/* a part that differs from the one held: the set is dropped */
	bad = p[1];
	bad.data = big + 1;
	assert_int_equal(feed_part(&r, &p[1], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &bad, 0, 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	assert_int_equal(r.active, 0);

	/* same reference, other total: dropped */
	assert_int_equal(feed_part(&r, &p[0], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	bad = p[1];
	bad.udh[bad.udh_len - 2] = 4;
	assert_int_equal(feed_part(&r, &bad, 0, 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	assert_int_equal(r.active, 0);

	/* a new reference mid-way discards the incomplete set */
	assert_int_equal(feed_part(&r, &p[0], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[1], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &q[2], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &q[0], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &q[1], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
	assert_int_equal(m.pkt_len, 200);
	assert_memory_equal(pkt, big, 200);
	assert_int_equal(feed_part(&r, &p[2], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_SEGMENT_STORED); /* the old set is gone */

	/* the same reference from another originator is another message */
	eum_sms_reasm_init(&r);
	assert_int_equal(feed_part(&r, &p[0], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[1], 0x88, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[2], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_SEGMENT_STORED);

	/* a complete set whose first part has no IEI 70 is not a command packet */
	eum_sms_reasm_init(&r);
	bad = p[0];
	bad.udh_len = 5;
	memmove(bad.udh, bad.udh + 2, 5);
	assert_int_equal(feed_part(&r, &bad, 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[1], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[2], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_NOT_OTA);
	assert_int_equal(r.active, 0);

	/* concatenation IE values out of range are malformed */
	bad = p[1];
	bad.udh[bad.udh_len - 1] = 0; /* part 0 */
	assert_int_equal(feed_part(&r, &bad, 0, 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
	bad.udh[bad.udh_len - 1] = 4; /* part 4 of 3 */
	assert_int_equal(feed_part(&r, &bad, 0, 0, pkt, sizeof(pkt), &m), EUM_SW_INCORRECT_DATA);
}

static void test_concat_bounds(void **state)
{
	struct eum_sms_reasm r = {0};
	struct eum_sms_pp_msg m;
	struct part p[9];
	static uint8_t pkt[EUM_SMS_REASM_MAX_BYTES + 16];
	size_t i, n = 8;

	(void)state;
	fill_big();
	/* eight full parts (1,070 octets, part 1 with IEI 70): over a configured bound of 1,024 the last part
	 * is refused */
	for (i = 0; i < n; i++) {
		p[i].udh_len = 5;
		memcpy(p[i].udh, "\x00\x03\x0a", 3);
		p[i].udh[3] = (uint8_t)n;
		p[i].udh[4] = (uint8_t)(i + 1);
		p[i].data = big;
		p[i].len = 134;
	}
	memcpy(p[0].udh, "\x70\x00\x00\x03\x0a\x08\x01", 7);
	p[0].udh_len = 7;
	p[0].len = 132;
	r.max = 1024;
	eum_sms_reasm_init(&r);
	assert_int_equal(eum_sms_reasm_max(&r), 1024);
	for (i = 0; i + 1 < n; i++) {
		assert_int_equal(feed_part(&r, &p[i], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
		assert_int_equal(m.kind, EUM_SMS_PP_SEGMENT_STORED);
	}
	assert_true(r.used <= 1024);
	assert_int_equal(feed_part(&r, &p[n - 1], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_NOT_ENOUGH_MEMORY);
	assert_int_equal(r.active, 0);
	assert_null(r.buf);            /* the buffer lives only while a set is collected */
	assert_int_equal(r.max, 1024); /* the bound survives the reset */

	/* the default bound (eum_config.sms_reassembly_max, 4096) takes the same set: an SCP03t segment of
	 * 1,000 bytes with its framing no longer fails with 6A84 */
	r.max = 0;
	eum_sms_reasm_init(&r);
	for (i = 0; i < n; i++)
		assert_int_equal(feed_part(&r, &p[i], 0, 0, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
	assert_int_equal(m.pkt_len, 132 + (n - 1) * 134);
	assert_null(r.buf);

	/* complete, but the caller's buffer is too small: refused, nothing written past cap */
	split(300, 3, 11, 0, 0, p);
	memset(pkt, 0xEE, sizeof(pkt));
	eum_sms_reasm_init(&r);
	assert_int_equal(feed_part(&r, &p[0], 0, 0, pkt, 299, &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[1], 0, 0, pkt, 299, &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[2], 0, 0, pkt, 299, &m), EUM_SW_NOT_ENOUGH_MEMORY);
	for (i = 0; i < sizeof(pkt); i++)
		assert_int_equal(pkt[i], 0xEE);
	eum_sms_reasm_init(&r);
}

static void test_concat_expiry(void **state)
{
	struct eum_sms_reasm r = {0};
	struct eum_sms_pp_msg m;
	struct part p[2];
	uint8_t pkt[EUM_SMS_REASM_MAX_BYTES];

	(void)state;
	fill_big();
	split(250, 2, 3, 0, 0, p);
	eum_sms_reasm_init(&r);
	assert_int_equal(eum_sms_reasm_expire(&r, 1000, EUM_SMS_REASM_TIMEOUT_S), 0); /* nothing held */
	assert_int_equal(feed_part(&r, &p[0], 0, 1000, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(eum_sms_reasm_expire(&r, 1000 + EUM_SMS_REASM_TIMEOUT_S - 1, EUM_SMS_REASM_TIMEOUT_S), 0);
	assert_int_equal(r.active, 1);
	assert_int_equal(eum_sms_reasm_expire(&r, 1000 + EUM_SMS_REASM_TIMEOUT_S, EUM_SMS_REASM_TIMEOUT_S), 1);
	assert_int_equal(r.active, 0);
	assert_int_equal(feed_part(&r, &p[1], 0, 2000, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_SEGMENT_STORED);
	/* a clock that went backwards also ends the set */
	assert_int_equal(eum_sms_reasm_expire(&r, 1999, EUM_SMS_REASM_TIMEOUT_S), 1);
	/* activity keeps a set alive: the timeout counts from the last part */
	assert_int_equal(feed_part(&r, &p[0], 0, 3000, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(feed_part(&r, &p[0], 0, 3200, pkt, sizeof(pkt), &m), EUM_SW_OK); /* duplicate */
	assert_int_equal(eum_sms_reasm_expire(&r, 3000 + EUM_SMS_REASM_TIMEOUT_S, EUM_SMS_REASM_TIMEOUT_S), 0);
	assert_int_equal(feed_part(&r, &p[1], 0, 3400, pkt, sizeof(pkt), &m), EUM_SW_OK);
	assert_int_equal(m.kind, EUM_SMS_PP_COMMAND_PACKET);
	assert_memory_equal(pkt, big, 250);
}

/* ---- PoR framing and SMS-SUBMIT -------------------------------------------------------------- */

static void test_por_response_matches_recorded(void **state)
{
	char line[512], name[80], hex[400];
	uint8_t ud[200], out[200];
	size_t ud_len, out_len, n = 0;
	FILE *f = fopen(EUM_TEST_DATA_DIR "/sms/por_user_data.txt", "r");

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%79s %399s", name, hex), 2);
		ud_len = unhex(hex, ud, sizeof(ud));
		/* response packet = what follows the 3-octet UDH; framing it must give the recorded bytes */
		assert_int_equal(eum_sms_pp_por_response(ud + 3, ud_len - 3, out, sizeof(out), &out_len), EUM_OK);
		assert_int_equal(out_len, ud_len);
		assert_memory_equal(out, ud, ud_len);
		assert_int_equal(eum_sms_pp_por_response(ud + 3, ud_len - 3, out, ud_len - 1, &out_len),
		                 EUM_ERR_BUFFER_TOO_SMALL);
		n++;
	}
	fclose(f);
	assert_true(n >= 10);
}

static void test_sms_submit(void **state)
{
	static const uint8_t hdr[] = {0x41, 0x00, 0x08, 0x91, 0x21, 0x43, 0x65, 0x87, 0x7F, 0xF6};
	struct eum_sms_addr da = {8, 0x91, {0x21, 0x43, 0x65, 0x87}};
	uint8_t out[200], joined[BIGPKT];
	size_t out_len, i, n, joined_len = 0;

	(void)state;
	fill_big();
	assert_int_equal(eum_sms_submit_count(0), 1);
	assert_int_equal(eum_sms_submit_count(137), 1);
	assert_int_equal(eum_sms_submit_count(138), 2);
	assert_int_equal(eum_sms_submit_count(132 + 134), 2);
	assert_int_equal(eum_sms_submit_count(132 + 134 + 1), 3);
	assert_int_equal(eum_sms_submit_count(132 + 254 * 134), 255);
	assert_int_equal(eum_sms_submit_count(132 + 254 * 134 + 1), 0);

	/* single: 41 00 DA 7F F6 UDL 02 71 00 packet */
	assert_int_equal(eum_sms_submit_build(&da, EUM_SMS_IEI_RPI, big, 19, 0, 0, out, sizeof(out), &out_len), EUM_OK);
	assert_int_equal(out_len, sizeof(hdr) + 1 + 3 + 19);
	assert_memory_equal(out, hdr, sizeof(hdr));
	assert_int_equal(out[10], 3 + 19);
	assert_memory_equal(out + 11, "\x02\x71\x00", 3);
	assert_memory_equal(out + 14, big, 19);
	for (i = 0; i < out_len; i++) /* every smaller buffer is refused */
		assert_int_equal(eum_sms_submit_build(&da, EUM_SMS_IEI_RPI, big, 19, 0, 0, out, i, &out_len),
		                 EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_sms_submit_build(&da, EUM_SMS_IEI_RPI, big, 19, 0, 1, out, sizeof(out), &out_len),
	                 EUM_ERR_INVALID_ARG);

	/* 400 octets: 132 + 134 + 134 */
	n = eum_sms_submit_count(400);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		size_t udhl;

		assert_int_equal(
		        eum_sms_submit_build(&da, EUM_SMS_IEI_CPI, big, 400, 0x5A, i, out, sizeof(out), &out_len),
		        EUM_OK);
		assert_memory_equal(out, hdr, sizeof(hdr));
		assert_int_equal(out[10], out_len - 11); /* UDL */
		assert_true(out[10] <= 140);
		udhl = out[11];
		if (i == 0)
			assert_memory_equal(out + 11, "\x07\x70\x00\x00\x03\x5a\x03\x01", 8);
		else
			assert_memory_equal(out + 11, i == 1 ? "\x05\x00\x03\x5a\x03\x02" : "\x05\x00\x03\x5a\x03\x03",
			                    6);
		memcpy(joined + joined_len, out + 12 + udhl, out_len - 12 - udhl);
		joined_len += out_len - 12 - udhl;
	}
	assert_int_equal(joined_len, 400);
	assert_memory_equal(joined, big, 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_vectors_envelope_to_packet),
	        cmocka_unit_test(test_vectors_tpdu_and_ud),
	        cmocka_unit_test(test_truncated_everywhere),
	        cmocka_unit_test(test_structure_checks),
	        cmocka_unit_test(test_dcs_decoding),
	        cmocka_unit_test(test_concat_every_order),
	        cmocka_unit_test(test_concat_duplicates_gaps_refs),
	        cmocka_unit_test(test_concat_bounds),
	        cmocka_unit_test(test_concat_expiry),
	        cmocka_unit_test(test_por_response_matches_recorded),
	        cmocka_unit_test(test_sms_submit),
	};

	return cmocka_run_group_tests(tests, load_vectors, NULL);
}
