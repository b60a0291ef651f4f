/*
 * Tests of libeum-host's SMS-PP / remote APDU side (src/host/sms_host.c, include/eum/host/sms.h):
 * ENVELOPE building against the scp80.json vectors byte for byte, concatenated ENVELOPEs accepted
 * by the card's independent parser, SEND SHORT MESSAGE parsing of the card's SMS-SUBMIT, and
 * TS 102 226 scripts (golden AA0A220880F24002024F0000) and responses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/sw.h"
#include "eum/eum.h"
#include "eum/host/sms.h"
#include "ota/remote_apdu.h"
#include "ota/sms_pp.h"

#define MAXV   32
#define HEXMAX 600

struct vec {
	char name[64];
	uint8_t pkt[HEXMAX];
	size_t pkt_len;
	uint8_t env[HEXMAX];
	size_t env_len;
};

static struct vec vecs[MAXV];
static size_t nvecs;

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[1]) {
		unsigned v;

		if (s[0] == ' ') {
			s++;
			continue;
		}
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
		vecs[nvecs].env_len = unhex(d, vecs[nvecs].env, HEXMAX);
		nvecs++;
	}
	fclose(f);
	return nvecs >= 14 ? 0 : -1;
}

static void test_envelope_vectors(void **state)
{
	struct eum_host_sms_deliver_params p;
	uint8_t apdu[300];
	size_t i, n, len;

	(void)state;
	eum_host_sms_deliver_params_init(&p);
	for (i = 0; i < nvecs; i++) {
		assert_int_equal(eum_host_sms_envelope_count(&p, vecs[i].pkt_len, &n), EUM_OK);
		assert_int_equal(n, 1);
		assert_int_equal(
		        eum_host_sms_build_envelope(&p, vecs[i].pkt, vecs[i].pkt_len, 0, apdu, sizeof(apdu), &len),
		        EUM_OK);
		assert_int_equal(len, vecs[i].env_len);
		assert_memory_equal(apdu, vecs[i].env, len);
		/* every smaller buffer is refused */
		for (n = 0; n < len; n++)
			assert_int_equal(
			        eum_host_sms_build_envelope(&p, vecs[i].pkt, vecs[i].pkt_len, 0, apdu, n, &len),
			        EUM_ERR_BUFFER_TOO_SMALL);
		len = vecs[i].env_len;
		assert_int_equal(
		        eum_host_sms_build_envelope(&p, vecs[i].pkt, vecs[i].pkt_len, 1, apdu, sizeof(apdu), &len),
		        EUM_ERR_INVALID_ARG);
	}
	/* bad digits */
	p.oa = "12x4";
	assert_int_equal(eum_host_sms_build_envelope(&p, vecs[0].pkt, vecs[0].pkt_len, 0, apdu, sizeof(apdu), &len),
	                 EUM_ERR_INVALID_ARG);
}

/* host-built concatenated ENVELOPEs, fed to the card's parser in reverse order */
static void test_concat_envelopes_to_card(void **state)
{
	static const size_t sizes[] = {137, 138, 266, 267, 500, 900};
	struct eum_host_sms_deliver_params p;
	struct eum_sms_reasm r = {0}; /* eum_sms_reasm_init releases what r holds */
	struct eum_sms_pp_msg m;
	uint8_t pkt[1000], out[EUM_SMS_REASM_MAX_BYTES], apdu[300];
	size_t i, k, n, len;
	int c16;

	(void)state;
	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i ^ 0x5A);
	for (c16 = 0; c16 < 2; c16++) {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			eum_host_sms_deliver_params_init(&p);
			p.concat16 = c16;
			p.concat_ref = 0x4321;
			assert_int_equal(eum_host_sms_envelope_count(&p, sizes[k], &n), EUM_OK);
			if (!c16)
				assert_int_equal(n, sizes[k] <= 137   ? 1
				                    : sizes[k] <= 266 ? 2
				                                      : 1 + (sizes[k] - 132 + 133) / 134);
			assert_true(n <= EUM_SMS_REASM_MAX_SEGMENTS);
			eum_sms_reasm_init(&r);
			for (i = n; i-- > 0;) {
				assert_int_equal(
				        eum_host_sms_build_envelope(&p, pkt, sizes[k], i, apdu, sizeof(apdu), &len),
				        EUM_OK);
				assert_int_equal(apdu[4], len - 5);
				assert_true(apdu[4 + 2 + 4 + 5 + 2 + 1 + 6 + 2 + 7 + 1] <= 140); /* TP-UDL */
				assert_int_equal(eum_sms_pp_download(&r, apdu + 5, len - 5, 0, out, sizeof(out), &m),
				                 EUM_SW_OK);
				assert_int_equal(m.kind, i ? EUM_SMS_PP_SEGMENT_STORED : EUM_SMS_PP_COMMAND_PACKET);
			}
			assert_int_equal(m.pkt_len, sizes[k]);
			assert_memory_equal(out, pkt, sizes[k]);
		}
	}
}

/* the card's SMS-SUBMIT, wrapped in SEND SHORT MESSAGE, parsed by the host */
static size_t wrap_send_sm(const uint8_t *tpdu, size_t len, uint8_t *out)
{
	size_t n = 0, body = 5 + 4 + (len > 127 ? 3 : 2) + len;

	out[n++] = 0xD0;
	if (body > 127)
		out[n++] = 0x81;
	out[n++] = (uint8_t)body;
	memcpy(out + n, "\x81\x03\x01\x13\x00\x82\x02\x81\x83", 9);
	n += 9;
	out[n++] = 0x8B;
	if (len > 127)
		out[n++] = 0x81;
	out[n++] = (uint8_t)len;
	memcpy(out + n, tpdu, len);
	return n + len;
}

static void test_send_sm_roundtrip(void **state)
{
	static const struct eum_sms_addr da = {8, 0x91, {0x21, 0x43, 0x65, 0x87}};
	struct eum_host_sms_submit parts[4];
	uint8_t pkt[400], tpdu[4][200], fetch[4][220], joined[400];
	size_t fetch_len[4], tlen, i, n, len, cut;

	(void)state;
	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 3);
	/* single PoR */
	assert_int_equal(eum_sms_submit_build(&da, EUM_SMS_IEI_RPI, pkt, 19, 0, 0, tpdu[0], sizeof(tpdu[0]), &tlen),
	                 EUM_OK);
	fetch_len[0] = wrap_send_sm(tpdu[0], tlen, fetch[0]);
	assert_int_equal(eum_host_sms_parse_send_sm(fetch[0], fetch_len[0], &parts[0]), EUM_OK);
	assert_string_equal(parts[0].da, "12345678");
	assert_int_equal(parts[0].da_ton_npi, 0x91);
	assert_int_equal(parts[0].pid, 0x7F);
	assert_int_equal(parts[0].dcs, 0xF6);
	assert_true(parts[0].has_rpi);
	assert_false(parts[0].has_cpi);
	assert_false(parts[0].concat);
	assert_int_equal(parts[0].payload_len, 19);
	assert_memory_equal(parts[0].payload, pkt, 19);
	assert_int_equal(eum_host_sms_join(parts, 1, joined, sizeof(joined), &len), EUM_OK);
	assert_int_equal(len, 19);
	/* every truncation is refused */
	for (cut = 0; cut < fetch_len[0]; cut++)
		assert_int_equal(eum_host_sms_parse_send_sm(fetch[0], cut, &parts[1]), EUM_ERR_PARSE);

	/* 400 octets in 3 parts, joined out of order */
	n = eum_sms_submit_count(400);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_int_equal(
		        eum_sms_submit_build(&da, EUM_SMS_IEI_CPI, pkt, 400, 0x77, i, tpdu[i], sizeof(tpdu[i]), &tlen),
		        EUM_OK);
		fetch_len[i] = wrap_send_sm(tpdu[i], tlen, fetch[i]);
	}
	assert_int_equal(eum_host_sms_parse_send_sm(fetch[2], fetch_len[2], &parts[0]), EUM_OK);
	assert_int_equal(eum_host_sms_parse_send_sm(fetch[0], fetch_len[0], &parts[1]), EUM_OK);
	assert_int_equal(eum_host_sms_parse_send_sm(fetch[1], fetch_len[1], &parts[2]), EUM_OK);
	assert_true(parts[1].has_cpi);
	assert_int_equal(parts[1].ref, 0x77);
	assert_int_equal(parts[1].total, 3);
	assert_int_equal(eum_host_sms_join(parts, 3, joined, sizeof(joined), &len), EUM_OK);
	assert_int_equal(len, 400);
	assert_memory_equal(joined, pkt, 400);
	/* a missing or repeated part is refused */
	assert_int_equal(eum_host_sms_join(parts, 2, joined, sizeof(joined), &len), EUM_ERR_PARSE);
	parts[2] = parts[1];
	assert_int_equal(eum_host_sms_join(parts, 3, joined, sizeof(joined), &len), EUM_ERR_PARSE);
	/* not a SEND SHORT MESSAGE */
	fetch[0][5 + (fetch[0][1] == 0x81)] = 0x21; /* type of command */
	assert_int_equal(eum_host_sms_parse_send_sm(fetch[0], fetch_len[0], &parts[0]), EUM_ERR_PARSE);
}

static void test_script_build(void **state)
{
	static const uint8_t get_status[] = {0x80, 0xF2, 0x40, 0x02, 0x02, 0x4F, 0x00, 0x00};
	static const uint8_t sel[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00};
	const uint8_t *apdus[2] = {get_status, sel};
	const size_t lens[2] = {sizeof(get_status), sizeof(sel)};
	uint8_t out[64], want[64];
	size_t len, n, i;

	(void)state;
	/* golden (public TS 102 226 encoder test): AA0A220880F24002024F0000 */
	assert_int_equal(
	        eum_host_sms_script_build(EUM_HOST_SMS_SCRIPT_DEFINITE, apdus, lens, 1, out, sizeof(out), &len),
	        EUM_OK);
	n = unhex("AA0A220880F24002024F0000", want, sizeof(want));
	assert_int_equal(len, n);
	assert_memory_equal(out, want, n);
	for (i = 0; i < n; i++)
		assert_int_equal(eum_host_sms_script_build(EUM_HOST_SMS_SCRIPT_DEFINITE, apdus, lens, 1, out, i, &len),
		                 EUM_ERR_BUFFER_TOO_SMALL);

	assert_int_equal(
	        eum_host_sms_script_build(EUM_HOST_SMS_SCRIPT_INDEFINITE, apdus, lens, 2, out, sizeof(out), &len),
	        EUM_OK);
	n = unhex("AE80 220880F24002024F0000 220700A40004023F00 0000", want, sizeof(want));
	assert_int_equal(len, n);
	assert_memory_equal(out, want, n);

	assert_int_equal(
	        eum_host_sms_script_build(EUM_HOST_SMS_SCRIPT_COMPACT, &apdus[1], &lens[1], 1, out, sizeof(out), &len),
	        EUM_OK);
	assert_int_equal(len, sizeof(sel));
	assert_memory_equal(out, sel, sizeof(sel));
}

static uint16_t fake_exec(void *ctx, const uint8_t *capdu, size_t len, uint8_t *rdata, size_t cap, size_t *rlen)
{
	unsigned *calls = ctx;

	(void)capdu;
	(void)len;
	(*calls)++;
	if (*calls == 2)
		return 0x6A82;
	assert_true(cap >= 3);
	memcpy(rdata, "\xE3\x01\x07", 3);
	*rlen = 3;
	return 0x9000;
}

/* host-built script -> card remote_apdu -> host response parser */
static void test_script_roundtrip(void **state)
{
	static const uint8_t a[] = {0x80, 0xF2, 0x40, 0x02, 0x02, 0x4F, 0x00, 0x00};
	const uint8_t *apdus[3] = {a, a, a};
	const size_t lens[3] = {sizeof(a), sizeof(a), sizeof(a)};
	struct eum_host_sms_script_response hr;
	struct eum_rapdu_result res;
	uint8_t script[64], out[64], compact[3];
	const uint8_t *rapdu;
	size_t slen, rlen;
	unsigned calls;
	int fmt;

	(void)state;
	for (fmt = EUM_HOST_SMS_SCRIPT_DEFINITE; fmt <= EUM_HOST_SMS_SCRIPT_INDEFINITE; fmt++) {
		struct eum_rapdu_ops ops = {fake_exec, NULL, NULL, NULL, &calls};

		calls = 0;
		assert_int_equal(eum_host_sms_script_build((enum eum_host_sms_script_format)fmt, apdus, lens, 3, script,
		                                           sizeof(script), &slen),
		                 EUM_OK);
		assert_int_equal(eum_rapdu_run(script, slen, &ops, EUM_RAPDU_FLAGS_DEFAULT, out, sizeof(out), &res),
		                 EUM_OK);
		assert_int_equal(calls, 2);
		assert_int_equal(eum_host_sms_script_parse_response(out, res.len, 1, &hr), EUM_OK);
		assert_int_equal(hr.format, fmt);
		assert_int_equal(hr.executed, 2);
		assert_int_equal(hr.rapdus, 2);
		assert_int_equal(hr.last_sw, 0x6A82);
		assert_int_equal(hr.last_data_len, 0);
		assert_int_equal(eum_host_sms_script_rapdu(out, res.len, 0, &rapdu, &rlen), EUM_OK);
		assert_int_equal(rlen, 5);
		assert_memory_equal(rapdu, "\xE3\x01\x07\x90\x00", 5);
		assert_int_equal(eum_host_sms_script_rapdu(out, res.len, 2, &rapdu, &rlen), EUM_ERR_NOT_FOUND);
	}
	/* compact response of the recorded real-card PoRs: 01 61 32 */
	memcpy(compact, "\x01\x61\x32", 3);
	assert_int_equal(eum_host_sms_script_parse_response(compact, 3, 0, &hr), EUM_OK);
	assert_int_equal(hr.executed, 1);
	assert_int_equal(hr.last_sw, 0x6132);
	assert_int_equal(hr.last_data_len, 0);
	assert_int_equal(eum_host_sms_script_parse_response(compact, 2, 0, &hr), EUM_ERR_PARSE);
	/* bad format TLV and a broken AF */
	assert_int_equal(
	        eum_host_sms_script_parse_response((const uint8_t *)"\xAB\x06\x80\x01\x00\x90\x01\x02", 8, 1, &hr),
	        EUM_OK);
	assert_int_equal(hr.bad_format, 2);
	assert_int_equal(hr.executed, 0);
	assert_int_equal(eum_host_sms_script_parse_response((const uint8_t *)"\xAF\x80\x23\x02\x90\x00", 6, 1, &hr),
	                 EUM_ERR_PARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_envelope_vectors),  cmocka_unit_test(test_concat_envelopes_to_card),
	        cmocka_unit_test(test_send_sm_roundtrip), cmocka_unit_test(test_script_build),
	        cmocka_unit_test(test_script_roundtrip),
	};

	return cmocka_run_group_tests(tests, load_vectors, NULL);
}
