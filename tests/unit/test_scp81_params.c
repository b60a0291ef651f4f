/*
 * GP Amendment B administration session parameters (src/ota/scp81_params.c; spec digest
 * scp81-https.md §1.2-§1.4, §3.3): the digest's §1.3 trigger examples byte for byte, a njiwa-style
 * trigger with the 90-character SGP.02 identity in 85, retry policy timer codings, refused inputs
 * (every truncation of the examples included), the merge with stored defaults, and the SGP.02 PSK
 * identity text for a known EID and ISD-R AID.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "ota/scp81_params.h"
#include "util/hex.h"

static const uint8_t EID[16] = {0x89, 0x04, 0x90, 0x32, 0x12, 0x34, 0x51, 0x23,
                                0x45, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x35};
static const uint8_t ISDR_AID[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
/* SGP.02 Table 4 identity of EID/ISD-R above, KID 01, KVN 40 (digest §3.3) */
#define SGP02_ID                                                                                                       \
	"800102811089049032123451234512345678901235"                                                                   \
	"4F10A0000005591010FFFFFFFF8900000100820101830140"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	long n = eum_hex_decode(h, out, cap);
	assert_true(n >= 0);
	return (size_t)n;
}

/* Parse the value of a whole "81 L ..." TLV given in hex. */
static int parse_trigger(const char *hex, struct eum_scp81_params *p)
{
	uint8_t b[512];
	size_t n = unhex(hex, b, sizeof(b));
	size_t hdr = b[1] == 0x81 ? 3 : b[1] == 0x82 ? 4 : 2;

	assert_int_equal(b[0], 0x81);
	assert_int_equal(n - hdr, b[1] == 0x81 ? b[2] : b[1] == 0x82 ? (size_t)(b[2] << 8 | b[3]) : b[1]);
	return eum_scp81_parse(b + hdr, n - hdr, 0, p);
}

/* digest §1.3: the minimal 49-byte trigger: TCP 8080 to 192.168.1.1, Host 10.0.0.1, /adm?cmd=1 */
static void test_minimal_example(void **state)
{
	(void)state;
	struct eum_scp81_params p;
	uint8_t conn[32];
	size_t conn_len = unhex("35010339020400"
	                        "3C03021F90"
	                        "3E0521C0A80101",
	                        conn, sizeof(conn));

	assert_int_equal(
	        parse_trigger("812F832D8413350103390204003C03021F903E0521C0A8010189168A0831302E302E302E318C0A2F"
	                      "61646D3F636D643D31",
	                      &p),
	        EUM_OK);
	assert_int_equal(p.has_conn, 1);
	assert_int_equal(p.conn_len, 19);
	assert_memory_equal(p.conn, conn, conn_len);
	assert_int_equal(p.has_host, 1);
	assert_string_equal(p.host, "10.0.0.1");
	assert_int_equal(p.has_uri, 1);
	assert_string_equal(p.uri, "/adm?cmd=1");
	assert_int_equal(p.has_agent, 0);
	assert_int_equal(p.has_security, 0);
	assert_int_equal(p.has_retry, 0);
}

/* digest §1.3 whty: 84 with non-CR tags, 89 with only 8A (the IP as ASCII) */
static void test_whty_example(void **state)
{
	(void)state;
	struct eum_scp81_params p;

	assert_int_equal(parse_trigger("8124"
	                               "8322"
	                               "8413350103390205003C0302"
	                               "1F91"
	                               "3E05217F000001"
	                               "890B8A093132372E302E302E31",
	                               &p),
	                 EUM_OK);
	assert_int_equal(p.has_conn, 1);
	assert_int_equal(p.conn_len, 19);
	assert_int_equal(p.conn[0], 0x35);
	assert_int_equal(p.conn[18], 0x01);
	assert_string_equal(p.host, "127.0.0.1");
	assert_int_equal(p.has_uri, 0);
}

/* njiwa makeRAMHttpPushCommand (digest §1.3): 84, 85 with the SGP.02 identity, 86, 89 {8B, 8C} */
static void test_njiwa_example(void **state)
{
	(void)state;
	static const char from[] = "//se-id/eid/89049032123451234512345678901235;//aa-id/aid/A000000559/"
	                           "1010FFFFFFFF8900000100";
	static const char uri[] = "/smsr/http/1234";
	char hex[1024], tmp[256];
	struct eum_scp81_params p;

	/* 83 { 84 {35 01 03, 39 02 04 00}, 85 { 5A <identity> 02 40 01 }, 86, 89 { 8B from, 8C uri } } */
	char c83[900] = "840735010339020400"
	                "855E5A";
	for (const char *s = SGP02_ID; *s; s++)
		snprintf(c83 + strlen(c83), 3, "%02X", (unsigned char)*s);
	strcat(c83, "024001");
	strcat(c83, "8609"
	            "0003"
	            "A503"
	            "00001E"
	            "8700"); /* 3 retries, 30 s, report failure */
	snprintf(tmp, sizeof(tmp), "89%02zX8B%02zX", 2 + strlen(from) + 2 + strlen(uri), strlen(from));
	strcat(c83, tmp);
	for (const char *s = from; *s; s++)
		snprintf(c83 + strlen(c83), 3, "%02X", (unsigned char)*s);
	snprintf(tmp, sizeof(tmp), "8C%02zX", strlen(uri));
	strcat(c83, tmp);
	for (const char *s = uri; *s; s++)
		snprintf(c83 + strlen(c83), 3, "%02X", (unsigned char)*s);
	size_t l83 = strlen(c83) / 2;
	assert_true(l83 > 127 && l83 < 250);
	snprintf(hex, sizeof(hex), "8181%02zX8381%02zX%s", l83 + 3, l83, c83);

	assert_int_equal(parse_trigger(hex, &p), EUM_OK);
	assert_int_equal(p.has_security, 1);
	assert_int_equal(p.psk_id_len, 90);
	assert_memory_equal(p.psk_id, SGP02_ID, 90);
	assert_int_equal(p.kvn, 0x40);
	assert_int_equal(p.kid, 0x01);
	assert_int_equal(p.has_retry, 1);
	assert_int_equal(p.retry_count, 3);
	assert_int_equal(p.retry_delay_s, 30); /* 00 00 1E: binary */
	assert_int_equal(p.report_failure, 1);
	assert_string_equal(p.agent, from);
	assert_string_equal(p.uri, uri);
	assert_int_equal(p.has_host, 0);
	assert_int_equal(p.conn_len, 7);
}

/* 86 retry policy variants (digest §1.2) */
static void test_retry_policy(void **state)
{
	(void)state;
	static const struct {
		const char *v86; /* value of 86 */
		uint16_t count;
		uint32_t delay;
		uint8_t report;
	} v[] = {
	        {"0000A50300001E", 0, 30, 0},       /* whty: binary (nibble E) */
	        {"000125030010 00", 1, 60, 0},      /* live UICC: swapped BCD 00 01 00 -> 1 min */
	        {"0102A503000100", 0x0102, 600, 0}, /* BCD minutes 10 */
	        {"0005A503213243", 5, 12 * 3600 + 23 * 60 + 34, 0},
	        {"0005A503013C00", 5, 3600 + 60 * 60, 0}, /* binary (nibble C): 1 h 60 min */
	        {"FFFFA503FFFFFF8700", 0xFFFF, 255u * 3600 + 255 * 60 + 255, 1},
	        {"0001A5030000018800", 1, 10, 1}, /* 88 (njiwa) also reports */
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t val[64], b[80];
		size_t n = unhex(v[i].v86, val, sizeof(val));
		struct eum_scp81_params p;

		b[0] = 0x86;
		b[1] = (uint8_t)n;
		memcpy(b + 2, val, n);
		assert_int_equal(eum_scp81_parse(b, n + 2, 1, &p), EUM_OK);
		assert_int_equal(p.has_retry, 1);
		assert_int_equal(p.retry_count, v[i].count);
		assert_int_equal(p.retry_delay_s, v[i].delay);
		assert_int_equal(p.report_failure, v[i].report);
	}
}

/* tags the card skips: 82 (SCWS), B3 (DNS), A5 (extended security), unknown ones */
static void test_skipped_tags(void **state)
{
	(void)state;
	struct eum_scp81_params p;

	assert_int_equal(parse_trigger("8100", &p), EUM_OK); /* njiwa: use the card's defaults */
	assert_int_equal(p.has_conn | p.has_security | p.has_retry | p.has_host | p.has_agent | p.has_uri, 0);
	assert_int_equal(parse_trigger("8122"
	                               "8203616263"
	                               "B308D603616263FA0135"
	                               "8311"
	                               "A5020102"
	                               "9F7001AA"
	                               "89058C032F7878"
	                               "8400",
	                               &p),
	                 EUM_OK);
	assert_string_equal(p.uri, "/xx");
	assert_int_equal(p.has_conn, 0); /* empty 84 counts as absent */
	/* 85 with an empty identity and the optional trailing byte */
	assert_int_equal(eum_scp81_parse((const uint8_t *)"\x85\x05\x00\x02\x41\x02\x01", 7, 1, &p), EUM_OK);
	assert_int_equal(p.has_security, 1);
	assert_int_equal(p.psk_id_len, 0);
	assert_int_equal(p.kvn, 0x41);
	assert_int_equal(p.kid, 0x02);
	/* pySim's vector 85 08 04 DEADBEEF 02 00 40 */
	assert_int_equal(eum_scp81_parse((const uint8_t *)"\x85\x08\x04\xDE\xAD\xBE\xEF\x02\x00\x40", 10, 1, &p),
	                 EUM_OK);
	assert_int_equal(p.psk_id_len, 4);
	assert_int_equal(p.kvn, 0x00);
	assert_int_equal(p.kid, 0x40);
}

static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *hex; /* a whole 81 TLV */
		int rc;
	} v[] = {
	        {"8104"
	         "8300"
	         "8300",
	         EUM_ERR_PARSE}, /* two 83 */
	        {"8106"
	         "8304"
	         "84033501",
	         EUM_ERR_PARSE}, /* 84 truncated */
	        {"8106"
	         "8304"
	         "86020000",
	         EUM_ERR_PARSE}, /* 86 too short */
	        {"810B"
	         "8309"
	         "8607"
	         "0000B503000000",
	         EUM_ERR_PARSE}, /* timer tag not 25/A5 */
	        {"810B"
	         "8309"
	         "8607"
	         "0000A502000000",
	         EUM_ERR_PARSE}, /* timer of 2 bytes */
	        {"810A"
	         "8308"
	         "8506"
	         "02AABB034001",
	         EUM_ERR_PARSE}, /* key block length 3 */
	        {"8109"
	         "8307"
	         "8505"
	         "0400024001",
	         EUM_ERR_PARSE}, /* identity past the end */
	        {"810A"
	         "8308"
	         "8506"
	         "000240010101",
	         EUM_ERR_PARSE}, /* two bytes after KVN KID */
	        {"810E"
	         "830C"
	         "850400024001"
	         "850400024001",
	         EUM_ERR_PARSE}, /* two 85 */
	        {"8107"
	         "8305"
	         "8903"
	         "8A0100",
	         EUM_ERR_PARSE}, /* host with a control byte */
	        {"8108"
	         "8306"
	         "8904"
	         "8C022F20",
	         EUM_ERR_PARSE}, /* URI with a blank */
	        {"8105"
	         "8303"
	         "8901"
	         "8A",
	         EUM_ERR_PARSE}, /* 89 malformed */
	        {"8106"
	         "8304"
	         "8902"
	         "8A00",
	         EUM_ERR_PARSE}, /* empty host */
	        {"8106"
	         "8304"
	         "8402"
	         "3505",
	         EUM_ERR_PARSE}, /* 84 not COMPREHENSION-TLVs */
	        {"810A"
	         "8308"
	         "8906"
	         "8B01418B0142",
	         EUM_ERR_PARSE}, /* two 8B */
	        {"8103"
	         "830180",
	         EUM_ERR_PARSE}, /* malformed inside 83 */
	        {"8101"
	         "83",
	         EUM_ERR_PARSE}, /* malformed 83 */
	        {"810A"
	         "8308"
	         "8A024141"
	         "8A024242",
	         EUM_OK}, /* 8A outside 89: skipped */
	};
	struct eum_scp81_params p, zero;

	memset(&zero, 0, sizeof(zero));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(&p, 0x5A, sizeof(p));
		assert_int_equal(parse_trigger(v[i].hex, &p), v[i].rc);
		if (v[i].rc != EUM_OK)
			assert_memory_equal(&p, &zero, sizeof(p)); /* nothing half-parsed is left */
	}
	/* values longer than the fields */
	uint8_t big[600];
	size_t o = 0;
	big[o++] = 0x84;
	big[o++] = 0x81;
	big[o++] = EUM_SCP81_CONN_MAX + 3;
	for (size_t i = 0; i < EUM_SCP81_CONN_MAX + 3; i += 3) {
		big[o++] = 0x35;
		big[o++] = 0x01;
		big[o++] = 0x03;
	}
	assert_int_equal(eum_scp81_parse(big, o, 1, &p), EUM_ERR_PARSE);
	o = 0;
	big[o++] = 0x89;
	big[o++] = 0x81;
	big[o++] = EUM_SCP81_TEXT_MAX + 1 + 3;
	big[o++] = 0x8A;
	big[o++] = 0x81;
	big[o++] = EUM_SCP81_TEXT_MAX + 1;
	memset(big + o, 'h', EUM_SCP81_TEXT_MAX + 1);
	o += EUM_SCP81_TEXT_MAX + 1;
	assert_int_equal(eum_scp81_parse(big, o, 1, &p), EUM_ERR_PARSE);
	big[2] -= 1;
	big[5] -= 1;
	assert_int_equal(eum_scp81_parse(big, o - 1, 1, &p), EUM_OK);
	assert_int_equal(strlen(p.host), EUM_SCP81_TEXT_MAX);
	assert_int_equal(eum_scp81_parse(NULL, 1, 0, &p), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_scp81_parse(NULL, 0, 0, &p), EUM_OK);
}

/* every truncation of the digest's example is refused (no partial set) */
static void test_truncations(void **state)
{
	(void)state;
	uint8_t b[64];
	size_t n =
	        unhex("832D8413350103390204003C03021F903E0521C0A8010189168A0831302E302E302E318C0A2F61646D3F636D643D31",
	              b, sizeof(b));
	struct eum_scp81_params p;

	for (size_t cut = 1; cut < n; cut++)
		assert_int_equal(eum_scp81_parse(b, cut, 0, &p), EUM_ERR_PARSE);
	assert_int_equal(eum_scp81_parse(b, n, 0, &p), EUM_OK);
	/* admin_only parses the value of 83 */
	assert_int_equal(eum_scp81_parse(b + 2, n - 2, 1, &p), EUM_OK);
	assert_string_equal(p.uri, "/adm?cmd=1");
	for (size_t cut = 3; cut < n; cut++)
		if (cut != 2 + 21 && cut != n) /* 84 ends at a TLV boundary */
			assert_int_equal(eum_scp81_parse(b + 2, cut - 2, 1, &p), EUM_ERR_PARSE);
}

static void test_merge(void **state)
{
	(void)state;
	struct eum_scp81_params d, t, m;

	/* defaults: connection, security, host, agent; trigger: URI, host and a retry policy */
	assert_int_equal(eum_scp81_parse((const uint8_t *)"\x84\x03\x35\x01\x03"
	                                                  "\x85\x06\x02\x49\x44\x02\x40\x01"
	                                                  "\x89\x0A\x8A\x03\x64\x65\x66\x8B\x03\x61\x67\x74",
	                                 25, 1, &d),
	                 EUM_OK);
	assert_int_equal(eum_scp81_parse((const uint8_t *)"\x86\x07\x00\x02\xA5\x03\x00\x00\x05"
	                                                  "\x89\x08\x8A\x01\x74\x8C\x03\x2F\x74\x72",
	                                 19, 1, &t),
	                 EUM_OK);
	eum_scp81_merge(&d, &t, &m);
	assert_int_equal(m.has_conn, 1);
	assert_int_equal(m.conn_len, 3);
	assert_int_equal(m.has_security, 1);
	assert_int_equal(m.psk_id_len, 2);
	assert_memory_equal(m.psk_id, "ID", 2);
	assert_int_equal(m.kvn, 0x40);
	assert_string_equal(m.host, "t"); /* trigger wins */
	assert_string_equal(m.agent, "agt");
	assert_string_equal(m.uri, "/tr");
	assert_int_equal(m.has_retry, 1);
	assert_int_equal(m.retry_count, 2);
	assert_int_equal(m.retry_delay_s, 50); /* 05 swapped BCD = 50 */
	/* aliasing: out = defaults */
	eum_scp81_merge(&d, &t, &d);
	assert_memory_equal(&d, &m, sizeof(m));
	/* an empty trigger keeps the defaults */
	struct eum_scp81_params none;
	assert_int_equal(eum_scp81_parse(NULL, 0, 1, &none), EUM_OK);
	eum_scp81_merge(&m, &none, &t);
	assert_memory_equal(&t, &m, sizeof(m));
}

static void test_sgp02_identity(void **state)
{
	(void)state;
	uint8_t out[128];
	size_t len;

	assert_int_equal(eum_scp81_sgp02_identity(EID, ISDR_AID, 16, 0x01, 0x40, out, sizeof(out), &len), EUM_OK);
	assert_int_equal(len, 90);
	assert_memory_equal(out, SGP02_ID, 90);
	assert_int_equal(eum_scp81_sgp02_identity(EID, ISDR_AID, 16, 0x01, 0x40, out, 90, &len), EUM_OK);
	assert_int_equal(eum_scp81_sgp02_identity(EID, ISDR_AID, 16, 0x01, 0x40, out, 89, &len),
	                 EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_scp81_sgp02_identity(EID, ISDR_AID, 16, 0x02, 0x4F, out, sizeof(out), &len), EUM_OK);
	assert_memory_equal(out + 82, "0283014F", 8);
	assert_int_equal(eum_scp81_sgp02_identity(EID, ISDR_AID, 4, 1, 0x40, out, sizeof(out), &len),
	                 EUM_ERR_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_minimal_example), cmocka_unit_test(test_whty_example),
	        cmocka_unit_test(test_njiwa_example),   cmocka_unit_test(test_retry_policy),
	        cmocka_unit_test(test_skipped_tags),    cmocka_unit_test(test_refused),
	        cmocka_unit_test(test_truncations),     cmocka_unit_test(test_merge),
	        cmocka_unit_test(test_sgp02_identity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
