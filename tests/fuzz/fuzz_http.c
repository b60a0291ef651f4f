/*
 * Fuzz target: the card's GP Amendment B HTTP client parsers (src/ota/http_admin.c) and the SCP81
 * administration session parameters (src/ota/scp81_params.c) — what the SM-SR, or anyone on the
 * path before TLS, controls. No card is needed: the functions are pure.
 *
 * Input: a mode byte, then the data.
 *   mode % 3 == 0  an SM-SR response: parsed in one feed and again in pieces (sizes from the mode
 *                  byte's high bits and the data), with a body buffer of 0, 64 or 8192 bytes; the
 *                  two parses must agree (result, status, headers, body). What follows a complete
 *                  response is parsed as the next one. Oracles: bounds of every result field,
 *                  split-invariance.
 *   mode % 3 == 1  a trigger TLV 81 value (or an 83 value, mode bit 7), then the merge with the
 *                  defaults of the digest's example and a POST built from the result. Oracles:
 *                  field bounds, a refused set is all zero, merge with an empty set is identity.
 *   mode % 3 == 2  an X-Admin-Targeted-Application value: eum_http_parse_aid(); an AID it accepts
 *                  is written back by eum_http_admin_from() and must parse to the same bytes.
 */
#include "fuzz.h"

#include "ota/http_admin.h"
#include "ota/scp81_params.h"

#define BODY_MAX 8192

static uint8_t body_a[BODY_MAX], body_b[BODY_MAX];

#define CHECK(c)                                                                                                       \
	do {                                                                                                           \
		if (!(c)) {                                                                                            \
			fprintf(stderr, "fuzz_http: oracle failed: %s (line %d)\n", #c, __LINE__);                     \
			abort();                                                                                       \
		}                                                                                                      \
	} while (0)

static void check_rsp(const struct eum_http_rsp *r, size_t cap)
{
	CHECK(r->code >= 100 && r->code <= 599);
	CHECK(r->body_len <= cap);
	CHECK(!r->has_next_uri || (strlen(r->next_uri) >= 1 && strlen(r->next_uri) <= EUM_HTTP_URI_MAX));
	CHECK(!r->has_target || (strlen(r->target) >= 1 && strlen(r->target) <= EUM_HTTP_TARGET_MAX));
	CHECK(r->content <= EUM_HTTP_CONTENT_OTHER);
	if (r->has_target) {
		uint8_t aid[16];
		size_t n;
		(void)eum_http_parse_aid(r->target, aid, sizeof(aid), &n);
	}
}

static void same_rsp(const struct eum_http_rsp *a, const struct eum_http_rsp *b)
{
	CHECK(a->code == b->code && a->admin_protocol == b->admin_protocol && a->close == b->close);
	CHECK(a->has_next_uri == b->has_next_uri && (!a->has_next_uri || !strcmp(a->next_uri, b->next_uri)));
	CHECK(a->has_target == b->has_target && (!a->has_target || !strcmp(a->target, b->target)));
	CHECK(a->content == b->content && a->body_len == b->body_len);
	CHECK(!a->body_len || !memcmp(a->body, b->body, a->body_len));
}

static void fuzz_response(uint8_t mode, const uint8_t *d, size_t n)
{
	static const size_t caps[3] = {0, 64, BODY_MAX};
	size_t cap = caps[(mode >> 2) % 3], step = 1 + (mode >> 4), used_a, used_b = 0, at = 0, u;
	struct eum_http_rsp a, b;
	int ra, rb = EUM_HTTP_MORE;

	/* one feed */
	eum_http_rsp_init(&a, cap ? body_a : NULL, cap);
	ra = eum_http_rsp_feed(&a, d, n, &used_a);
	CHECK(used_a <= n);
	CHECK(ra == EUM_OK || ra == EUM_HTTP_MORE || ra == EUM_ERR_PARSE || ra == EUM_ERR_BUFFER_TOO_SMALL);
	if (ra == EUM_HTTP_MORE)
		CHECK(used_a == n);
	/* pieces of 1..16 bytes, the size varying with the data */
	eum_http_rsp_init(&b, cap ? body_b : NULL, cap);
	while (at < n && rb == EUM_HTTP_MORE) {
		size_t piece = step + (d[at] & 7);
		if (piece > n - at)
			piece = n - at;
		rb = eum_http_rsp_feed(&b, d + at, piece, &u);
		CHECK(u <= piece);
		used_b += u;
		at += piece;
	}
	CHECK(ra == rb);
	if (ra != EUM_OK)
		return;
	check_rsp(&a, cap);
	same_rsp(&a, &b);
	/* the pieces may leave up to two bytes of a final CRLF that one feed consumed (http_admin.c) */
	CHECK(used_b <= used_a && used_a - used_b <= 2);
	/* a complete parser takes nothing more */
	CHECK(eum_http_rsp_feed(&a, d, n, &u) == EUM_OK && u == 0);
	/* what follows is the next response */
	if (used_a < n) {
		eum_http_rsp_init(&b, cap ? body_b : NULL, cap);
		if (eum_http_rsp_feed(&b, d + used_a, n - used_a, &u) == EUM_OK)
			check_rsp(&b, cap);
	}
}

static void check_params(const struct eum_scp81_params *p)
{
	CHECK(p->conn_len <= EUM_SCP81_CONN_MAX && p->psk_id_len <= EUM_SCP81_PSKID_MAX);
	CHECK(strlen(p->host) <= EUM_SCP81_TEXT_MAX && strlen(p->agent) <= EUM_SCP81_TEXT_MAX);
	CHECK(strlen(p->uri) <= EUM_HTTP_URI_MAX);
	CHECK(p->has_host || !p->host[0]);
	CHECK(p->has_uri || !p->uri[0]);
}

static int same_params(const struct eum_scp81_params *a, const struct eum_scp81_params *b)
{
	return a->has_conn == b->has_conn && a->has_security == b->has_security && a->has_retry == b->has_retry &&
	       a->has_host == b->has_host && a->has_agent == b->has_agent && a->has_uri == b->has_uri &&
	       a->conn_len == b->conn_len && !memcmp(a->conn, b->conn, a->conn_len) && a->psk_id_len == b->psk_id_len &&
	       !memcmp(a->psk_id, b->psk_id, a->psk_id_len) && a->kvn == b->kvn && a->kid == b->kid &&
	       a->retry_count == b->retry_count && a->retry_delay_s == b->retry_delay_s &&
	       a->report_failure == b->report_failure && !strcmp(a->host, b->host) && !strcmp(a->agent, b->agent) &&
	       !strcmp(a->uri, b->uri);
}

static void fuzz_params(uint8_t mode, const uint8_t *d, size_t n)
{
	/* digest §1.3: the 83 of the minimal example, as stored defaults */
	static const uint8_t def83[] = {0x84, 0x13, 0x35, 0x01, 0x03, 0x39, 0x02, 0x04, 0x00, 0x3C, 0x03, 0x02,
	                                0x1F, 0x90, 0x3E, 0x05, 0x21, 0xC0, 0xA8, 0x01, 0x01, 0x89, 0x16, 0x8A,
	                                0x08, 0x31, 0x30, 0x2E, 0x30, 0x2E, 0x30, 0x2E, 0x31, 0x8C, 0x0A, 0x2F,
	                                0x61, 0x64, 0x6D, 0x3F, 0x63, 0x6D, 0x64, 0x3D, 0x31};
	static const uint8_t eid[16] = {0x89, 0x04, 0x90, 0x32};
	static const uint8_t isdr[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	struct eum_scp81_params t, defaults, none, m, m2;
	struct eum_http_post p;
	uint8_t out[1024], id[EUM_SCP81_PSKID_MAX];
	char from[128];
	size_t len;
	int rc = eum_scp81_parse(d, n, mode >> 7, &t);

	CHECK(rc == EUM_OK || rc == EUM_ERR_PARSE);
	if (rc != EUM_OK) {
		struct eum_scp81_params zero;
		memset(&zero, 0, sizeof(zero));
		CHECK(!memcmp(&t, &zero, sizeof(t)));
		return;
	}
	check_params(&t);
	CHECK(eum_scp81_parse(def83, sizeof(def83), 1, &defaults) == EUM_OK);
	CHECK(eum_scp81_parse(NULL, 0, 1, &none) == EUM_OK);
	eum_scp81_merge(&defaults, &t, &m);
	check_params(&m);
	eum_scp81_merge(&m, &none, &m2);
	CHECK(same_params(&m, &m2));
	/* what the agent does with the merged set: identity, X-Admin-From, the first POST */
	if (!m.has_security || !m.psk_id_len)
		CHECK(eum_scp81_sgp02_identity(eid, isdr, sizeof(isdr), m.kid, m.kvn, id, sizeof(id), &len) == EUM_OK);
	CHECK(eum_http_admin_from(eid, isdr, sizeof(isdr), from, sizeof(from)) == EUM_OK);
	p = (struct eum_http_post){.uri = m.uri, .host = m.host, .from = m.has_agent ? m.agent : from};
	rc = eum_http_build_post(&p, out, sizeof(out), &len);
	CHECK(rc == EUM_OK || rc == EUM_ERR_INVALID_ARG);
	if (rc == EUM_OK)
		CHECK(len <= sizeof(out) && !memcmp(out, "POST ", 5));
}

static void fuzz_aid(const uint8_t *d, size_t n)
{
	static const uint8_t eid[16] = {0x89};
	char s[160], from[128], again[128];
	uint8_t aid[16], back[16];
	size_t len, blen;
	const char *p;

	if (n >= sizeof(s))
		n = sizeof(s) - 1;
	memcpy(s, d, n);
	s[n] = 0;
	if (eum_http_parse_aid(s, aid, sizeof(aid), &len) != EUM_OK)
		return;
	CHECK(len >= 5 && len <= 16);
	CHECK(eum_http_admin_from(eid, aid, len, from, sizeof(from)) == EUM_OK);
	p = strstr(from, ";//aa-id/aid/");
	CHECK(p != NULL);
	/* the AID part of X-Admin-From, "/aid/<RID>/<PIX>" after "//aa-id", in the //aid/ form */
	snprintf(again, sizeof(again), "/%s", p + 8);
	CHECK(eum_http_parse_aid(again, back, sizeof(back), &blen) == EUM_OK);
	CHECK(blen == len && !memcmp(back, aid, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_response(data[0], data + 1, size - 1);
		break;
	case 1:
		fuzz_params(data[0], data + 1, size - 1);
		break;
	default:
		fuzz_aid(data + 1, size - 1);
		break;
	}
	return 0;
}
