/*
 * GP Amendment B HTTP admin protocol, card side (src/ota/http_admin.c; spec digest scp81-https.md
 * §4): the exact bytes of the POSTs the admin agent sends, and the response parser over sample
 * responses of digest §4.2/§6, each fed whole, split at every point and byte by byte, with the
 * tolerated variants (header case, blanks, chunk case and extensions, a last chunk without its
 * final CRLF, 1xx) and the refused ones (bad status line, oversize head, bad chunk size, body too big).
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
#include "ota/http_admin.h"
#include "util/hex.h"

#define FROM "//se-id/eid/89049032123451234512345678901235;//aa-id/aid/A000000559/1010FFFFFFFF8900000100"

static const uint8_t EID[16] = {0x89, 0x04, 0x90, 0x32, 0x12, 0x34, 0x51, 0x23,
                                0x45, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x35};
static const uint8_t ISDR_AID[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};

static void expect_post(const struct eum_http_post *p, const char *want, size_t want_len)
{
	uint8_t out[1024];
	size_t len = 0;

	assert_int_equal(eum_http_build_post(p, out, sizeof(out), &len), EUM_OK);
	assert_int_equal(len, want_len);
	assert_memory_equal(out, want, want_len);
	/* every smaller buffer is refused without writing past it */
	for (size_t cap = 0; cap < want_len; cap++) {
		size_t l2 = 12345;
		assert_int_equal(eum_http_build_post(p, out, cap, &l2), EUM_ERR_BUFFER_TOO_SMALL);
		assert_int_equal(l2, 12345);
	}
}

/* digest §6 step 8: the first POST has no body and no script status */
static void test_first_post(void **state)
{
	(void)state;
	struct eum_http_post p = {.uri = "/adm?cmd=1", .host = "10.0.0.1", .from = FROM};
	static const char want[] = "POST /adm?cmd=1 HTTP/1.1\r\n"
	                           "Host: 10.0.0.1\r\n"
	                           "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
	                           "X-Admin-From: " FROM "\r\n"
	                           "\r\n";
	expect_post(&p, want, sizeof(want) - 1);
}

/* digest §6 step 11: the script's response, chunked */
static void test_post_with_response(void **state)
{
	(void)state;
	static const uint8_t af[] = {0xAF, 0x80, 0x23, 0x02, 0x90, 0x00, 0x00, 0x00};
	struct eum_http_post p = {.uri = "/adm?cmd=2",
	                          .host = "10.0.0.1",
	                          .from = FROM,
	                          .status = EUM_HTTP_STATUS_OK,
	                          .body = af,
	                          .body_len = sizeof(af)};
	static const char want[] =
	        "POST /adm?cmd=2 HTTP/1.1\r\n"
	        "Host: 10.0.0.1\r\n"
	        "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
	        "X-Admin-From: " FROM "\r\n"
	        "Content-Type: application/vnd.globalplatform.card-content-mgt-response;version=1.0\r\n"
	        "X-Admin-Script-Status: ok\r\n"
	        "Transfer-Encoding: chunked\r\n"
	        "\r\n"
	        "8\r\n\xAF\x80\x23\x02\x90\x00\x00\x00\r\n0\r\n\r\n";
	expect_post(&p, want, sizeof(want) - 1);

	/* ETSI RAM over HTTP: answered in kind */
	p.etsi = 1;
	static const char want_etsi[] = "POST /adm?cmd=2 HTTP/1.1\r\n"
	                                "Host: 10.0.0.1\r\n"
	                                "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
	                                "X-Admin-From: " FROM "\r\n"
	                                "Content-Type: application/vnd.etsi.scp.response-data;version=1.0\r\n"
	                                "X-Admin-Script-Status: ok\r\n"
	                                "Transfer-Encoding: chunked\r\n"
	                                "\r\n"
	                                "8\r\n\xAF\x80\x23\x02\x90\x00\x00\x00\r\n0\r\n\r\n";
	expect_post(&p, want_etsi, sizeof(want_etsi) - 1);
}

/* chunk size in uppercase hex without leading zeros */
static void test_post_long_body(void **state)
{
	(void)state;
	uint8_t body[0x1E6], out[1024];
	size_t len;
	struct eum_http_post p = {.uri = "/",
	                          .host = "h",
	                          .from = "a",
	                          .status = EUM_HTTP_STATUS_OK,
	                          .body = body,
	                          .body_len = sizeof(body)};
	static const char head[] =
	        "POST / HTTP/1.1\r\nHost: h\r\nX-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
	        "X-Admin-From: a\r\n"
	        "Content-Type: application/vnd.globalplatform.card-content-mgt-response;version=1.0\r\n"
	        "X-Admin-Script-Status: ok\r\nTransfer-Encoding: chunked\r\n\r\n1E6\r\n";

	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = (uint8_t)i;
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_OK);
	assert_int_equal(len, sizeof(head) - 1 + sizeof(body) + 7);
	assert_memory_equal(out, head, sizeof(head) - 1);
	assert_memory_equal(out + sizeof(head) - 1, body, sizeof(body));
	assert_memory_equal(out + sizeof(head) - 1 + sizeof(body), "\r\n0\r\n\r\n", 7);
}

static void test_post_statuses(void **state)
{
	(void)state;
	struct eum_http_post p = {.uri = "/next", .host = "smsr.example", .from = FROM};
	static const struct {
		enum eum_http_script_status st;
		const char *text;
	} v[] = {
	        {EUM_HTTP_STATUS_UNKNOWN_APPLICATION, "unknown-application"},
	        {EUM_HTTP_STATUS_NOT_A_SECURITY_DOMAIN, "not-a-security-domain"},
	        {EUM_HTTP_STATUS_SECURITY_ERROR, "security-error"},
	};
	char want[512];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		p.status = v[i].st;
		p.resume = (int)(i & 1);
		int n = snprintf(want, sizeof(want),
		                 "POST /next HTTP/1.1\r\nHost: smsr.example\r\n"
		                 "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\nX-Admin-From: %s\r\n"
		                 "X-Admin-Script-Status: %s\r\n%s\r\n",
		                 FROM, v[i].text, p.resume ? "X-Admin-Resume: true\r\n" : "");
		expect_post(&p, want, (size_t)n);
	}
}

static void test_post_refused(void **state)
{
	(void)state;
	uint8_t out[512], b = 0xAF;
	size_t len;
	struct eum_http_post ok = {.uri = "/a", .host = "h", .from = FROM}, p;

	p = ok;
	p.uri = "/a b"; /* would split the request line */
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
	p = ok;
	p.uri = "";
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
	p = ok;
	p.host = "h\r\nX-Evil: 1"; /* header injection */
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
	p = ok;
	p.from = "a\nb";
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
	p = ok;
	p.host = NULL;
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
	p = ok;
	p.body = &b; /* a body needs status ok */
	p.body_len = 1;
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
	p.status = EUM_HTTP_STATUS_SECURITY_ERROR;
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
	p.status = (enum eum_http_script_status)99;
	p.body_len = 0;
	assert_int_equal(eum_http_build_post(&p, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_http_build_post(NULL, out, sizeof(out), &len), EUM_ERR_INVALID_ARG);
}

/* ---- responses ----------------------------------------------------------- */

struct rsp_vec {
	const char *name;
	const char *text; /* the response, NUL-free except inside body_hex */
	const char *body_hex;
	unsigned code;
	int admin, close;
	const char *next_uri, *target;
	enum eum_http_content content;
	size_t extra; /* bytes at the end of text that are not part of this response */
};

#define AP "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
#define CT "Content-Type: application/vnd.globalplatform.card-content-mgt;version=1.0\r\n"
/* digest §6 step 9: EnableProfile on the ISD-R */
#define ENABLE_HEX "AE80221A80E28800153A03124F10A0000005591010FFFFFFFF89000010000000"

static const struct rsp_vec rsp_vecs[] = {
        {"200 chunked (digest §6)",
         "HTTP/1.1 200 OK\r\n" AP "X-Admin-Next-URI: /adm?cmd=2\r\n" CT "Transfer-Encoding: chunked\r\n\r\n"
         "20\r\n@\r\n0\r\n\r\n",
         ENABLE_HEX, 200, 1, 0, "/adm?cmd=2", NULL, EUM_HTTP_CONTENT_GP, 0},
        {"204 with Next-URI", "HTTP/1.1 204 No Content\r\n" AP "X-Admin-Next-URI: /adm?cmd=3&x=%20\r\n\r\n", "", 204, 1,
         0, "/adm?cmd=3&x=%20", NULL, EUM_HTTP_CONTENT_NONE, 0},
        {"204 end of session", "HTTP/1.1 204 No Content\r\n" AP "Connection: close\r\n\r\n", "", 204, 1, 1, NULL, NULL,
         EUM_HTTP_CONTENT_NONE, 0},
        {"200 Content-Length, whty spacing, lower case names, target",
         "HTTP/1.1 200 OK\r\nx-admin-protocol:globalplatform-remote-admin/1.0  \r\n"
         "X-ADMIN-NEXT-URI:\t/n \r\ncontent-type:   application/vnd.globalplatform.card-content-mgt ; version=1.0\r\n"
         "X-Admin-Targeted-Application: //aid/A000000559/1010FFFFFFFF8900001000\r\n"
         "Content-Length: 32\r\nConnection: keep-alive, Close\r\n\r\n@",
         ENABLE_HEX, 200, 1, 1, "/n", "//aid/A000000559/1010FFFFFFFF8900001000", EUM_HTTP_CONTENT_GP, 0},
        {"chunked: lower-case sizes, extensions, several chunks, bare LF, last chunk without final CRLF",
         "HTTP/1.0 200 OK\n" AP "X-Admin-Next-URI: /x\r\n"
         "Content-Type: application/vnd.etsi.scp.command-data;version=1.0\r\n"
         "Transfer-Encoding: Chunked\r\n\r\n"
         "0a;name=value\r\n@\r\n00000016 ; ext\r\n@\n0\r\n",
         ENABLE_HEX, 200, 1, 0, "/x", NULL, EUM_HTTP_CONTENT_ETSI, 0},
        {"100 Continue first, then a 204; the next response's bytes are left",
         "\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n" AP "\r\nHTTP/1.1 204", "", 204, 1, 0, NULL,
         NULL, EUM_HTTP_CONTENT_NONE, 12},
        {"no admin protocol, other content type, Content-Length 0",
         "HTTP/1.1 200 OK\r\nX-Admin-Protocol: globalplatform-remote-admin/2.0\r\nContent-Type: text/html\r\n"
         "Content-Length: 0\r\n\r\n",
         "", 200, 0, 0, NULL, NULL, EUM_HTTP_CONTENT_OTHER, 0},
        {"500 without framing ends at its head", "HTTP/1.1 500 Internal Server Error\r\n\r\njunk", "", 500, 0, 0, NULL,
         NULL, EUM_HTTP_CONTENT_NONE, 4},
        {"chunked wins over Content-Length; final CRLF in the same feed is consumed",
         "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n@\r\n0\r\n\r\n", "AE", 200, 0,
         0, NULL, NULL, EUM_HTTP_CONTENT_NONE, 0},
};

/* Expand the vector: '@' stands for the body bytes (split over the chunks as the text says). */
static size_t vec_bytes(const struct rsp_vec *v, uint8_t *out, size_t cap, uint8_t *body, size_t *body_len)
{
	long bl = eum_hex_decode(v->body_hex, body, 256);
	size_t o = 0, bo = 0;

	assert_true(bl >= 0);
	*body_len = (size_t)bl;
	for (const char *s = v->text; *s; s++) {
		if (*s == '@') {
			/* the chunk size written before it says how much of the body goes here */
			size_t n = (size_t)bl - bo;
			const char *line = s - 2;
			while (line > v->text && line[-1] != '\n')
				line--;
			if (strstr(v->text, "chunked") || strstr(v->text, "Chunked"))
				n = strtoul(line, NULL, 16);
			assert_true(o + n <= cap);
			memcpy(out + o, body + bo, n);
			o += n;
			bo += n;
		} else {
			assert_true(o < cap);
			out[o++] = (uint8_t)*s;
		}
	}
	assert_int_equal(bo, *body_len);
	return o;
}

static void check_result(const struct rsp_vec *v, const struct eum_http_rsp *r, const uint8_t *body, size_t body_len)
{
	assert_int_equal(r->code, v->code);
	assert_int_equal(r->admin_protocol, v->admin);
	assert_int_equal(r->close, v->close);
	assert_int_equal(r->has_next_uri, v->next_uri != NULL);
	if (v->next_uri)
		assert_string_equal(r->next_uri, v->next_uri);
	assert_int_equal(r->has_target, v->target != NULL);
	if (v->target)
		assert_string_equal(r->target, v->target);
	assert_int_equal(r->content, v->content);
	assert_int_equal(r->body_len, body_len);
	if (body_len)
		assert_memory_equal(r->body, body, body_len);
}

/* Feed in pieces cut at the given points; returns the final result, total bytes used. */
static int feed_pieces(struct eum_http_rsp *r, const uint8_t *d, size_t n, const size_t *cuts, size_t ncuts,
                       size_t *total)
{
	size_t at = 0;
	int rc = EUM_HTTP_MORE;

	*total = 0;
	for (size_t c = 0; c <= ncuts && rc == EUM_HTTP_MORE; c++) {
		size_t end = c < ncuts ? cuts[c] : n, used;
		rc = eum_http_rsp_feed(r, d + at, end - at, &used);
		assert_true(used <= end - at);
		if (rc == EUM_HTTP_MORE)
			assert_int_equal(used, end - at); /* an incomplete response takes everything */
		*total += used;
		at = end;
	}
	return rc;
}

static void test_responses_every_split(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rsp_vecs) / sizeof(rsp_vecs[0]); i++) {
		const struct rsp_vec *v = &rsp_vecs[i];
		uint8_t data[1024], body[256], bodybuf[64];
		size_t body_len, n = vec_bytes(v, data, sizeof(data), body, &body_len), used;
		struct eum_http_rsp r;

		print_message("%s\n", v->name);
		/* whole */
		eum_http_rsp_init(&r, bodybuf, sizeof(bodybuf));
		assert_int_equal(feed_pieces(&r, data, n, NULL, 0, &used), EUM_OK);
		check_result(v, &r, body, body_len);
		assert_int_equal(used, n - v->extra);
		/* a completed parser takes nothing more */
		size_t u2 = 99;
		assert_int_equal(eum_http_rsp_feed(&r, data, n, &u2), EUM_OK);
		assert_int_equal(u2, 0);
		/* two pieces, cut at every point */
		for (size_t cut = 0; cut <= n; cut++) {
			eum_http_rsp_init(&r, bodybuf, sizeof(bodybuf));
			assert_int_equal(feed_pieces(&r, data, n, &cut, 1, &used), EUM_OK);
			check_result(v, &r, body, body_len);
			/* bytes of a final CRLF that come in a later piece may be left to the next parser */
			assert_true(used == n - v->extra || (used < n - v->extra && used >= n - v->extra - 2));
		}
		/* byte by byte */
		size_t cuts[1024];
		for (size_t c = 0; c < n; c++)
			cuts[c] = c + 1;
		eum_http_rsp_init(&r, bodybuf, sizeof(bodybuf));
		assert_int_equal(feed_pieces(&r, data, n, cuts, n - 1, &used), EUM_OK);
		check_result(v, &r, body, body_len);
	}
}

/* Whatever is left of a final CRLF after "0\r\n" is skipped by the next response's parser. */
static void test_late_final_crlf(void **state)
{
	(void)state;
	static const char a[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nAE\r\n0\r\n";
	static const char b[] = "\r\nHTTP/1.1 204 No Content\r\n" AP "\r\n";
	uint8_t buf[16];
	size_t used;
	struct eum_http_rsp r;

	eum_http_rsp_init(&r, buf, sizeof(buf));
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)a, sizeof(a) - 1, &used), EUM_OK);
	assert_int_equal(used, sizeof(a) - 1);
	assert_int_equal(r.body_len, 2);
	assert_memory_equal(r.body, "AE", 2);
	eum_http_rsp_init(&r, buf, sizeof(buf));
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)b, sizeof(b) - 1, &used), EUM_OK);
	assert_int_equal(used, sizeof(b) - 1);
	assert_int_equal(r.code, 204);
	assert_int_equal(r.admin_protocol, 1);
}

struct bad_vec {
	const char *name;
	const char *text;
	int rc;
	size_t bodycap;
};

static const struct bad_vec bad_vecs[] = {
        {"HTTP/2", "HTTP/2 200 OK\r\n\r\n", EUM_ERR_PARSE, 64},
        {"two-digit code", "HTTP/1.1 20 OK\r\n\r\n", EUM_ERR_PARSE, 64},
        {"code 099", "HTTP/1.1 099 X\r\n\r\n", EUM_ERR_PARSE, 64},
        {"no blank after code", "HTTP/1.1 200OK\r\n\r\n", EUM_ERR_PARSE, 64},
        {"not HTTP", "ICY 200 OK\r\n\r\n", EUM_ERR_PARSE, 64},
        {"control byte in reason", "HTTP/1.1 200 O\x01K\r\n\r\n", EUM_ERR_PARSE, 64},
        {"header without colon", "HTTP/1.1 204 No Content\r\nX-Admin-Protocol\r\n\r\n", EUM_ERR_PARSE, 64},
        {"blank in header name", "HTTP/1.1 204 No Content\r\nX-Admin Protocol: x\r\n\r\n", EUM_ERR_PARSE, 64},
        {"folded header", "HTTP/1.1 204 No Content\r\nX-A: b\r\n c\r\n\r\n", EUM_ERR_PARSE, 64},
        {"empty Next-URI", "HTTP/1.1 204 No Content\r\nX-Admin-Next-URI: \r\n\r\n", EUM_ERR_PARSE, 64},
        {"blank inside Next-URI", "HTTP/1.1 204 No Content\r\nX-Admin-Next-URI: /a b\r\n\r\n", EUM_ERR_PARSE, 64},
        {"200 without framing", "HTTP/1.1 200 OK\r\n" AP "\r\n", EUM_ERR_PARSE, 64},
        {"gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", EUM_ERR_PARSE, 64},
        {"Content-Length not a number", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", EUM_ERR_PARSE, 64},
        {"two different Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
         EUM_ERR_PARSE, 64},
        {"Content-Length over the buffer", "HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n", EUM_ERR_BUFFER_TOO_SMALL,
         64},
        {"huge Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n",
         EUM_ERR_BUFFER_TOO_SMALL, 64},
        {"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", EUM_ERR_PARSE, 64},
        {"empty chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", EUM_ERR_PARSE, 64},
        {"junk after chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\n", EUM_ERR_PARSE, 64},
        {"chunk data without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nAEX\r\n", EUM_ERR_PARSE,
         64},
        {"chunk data CR without LF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nAE\r\r\n",
         EUM_ERR_PARSE, 64},
        {"chunk over the buffer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n",
         EUM_ERR_BUFFER_TOO_SMALL, 64},
        {"chunks over the buffer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nAE\r\n2\r\n",
         EUM_ERR_BUFFER_TOO_SMALL, 3},
        {"huge chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\n",
         EUM_ERR_BUFFER_TOO_SMALL, 64},
        {"any body without a buffer", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n", EUM_ERR_BUFFER_TOO_SMALL, 0},
};

static void test_responses_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_vecs) / sizeof(bad_vecs[0]); i++) {
		const struct bad_vec *v = &bad_vecs[i];
		const uint8_t *d = (const uint8_t *)v->text;
		size_t n = strlen(v->text), used;
		uint8_t buf[64];
		struct eum_http_rsp r;

		print_message("%s\n", v->name);
		for (size_t cut = 0; cut <= n; cut++) {
			eum_http_rsp_init(&r, v->bodycap ? buf : NULL, v->bodycap);
			assert_int_equal(feed_pieces(&r, d, n, &cut, 1, &used), v->rc);
			/* the error sticks */
			assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)"\r\n", 2, &used), v->rc);
			assert_int_equal(used, 0);
		}
	}
}

static void test_oversize_head(void **state)
{
	(void)state;
	char text[EUM_HTTP_HEAD_MAX + 64];
	struct eum_http_rsp r;
	size_t used, n;

	/* a head of exactly EUM_HTTP_HEAD_MAX bytes is taken, one more byte is refused */
	n = (size_t)snprintf(text, sizeof(text), "HTTP/1.1 204 No Content\r\nX-Pad: ");
	while (n < EUM_HTTP_HEAD_MAX - 4)
		text[n++] = 'p';
	memcpy(text + n, "\r\n\r\n", 4);
	n += 4;
	eum_http_rsp_init(&r, NULL, 0);
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)text, n, &used), EUM_OK);
	assert_int_equal(used, n);
	assert_int_equal(r.code, 204);

	memmove(text + 26, text + 25, n - 25); /* one more pad byte */
	eum_http_rsp_init(&r, NULL, 0);
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)text, n + 1, &used), EUM_ERR_PARSE);

	/* many short header lines add up to the same bound */
	n = (size_t)snprintf(text, sizeof(text), "HTTP/1.1 204 No Content\r\n");
	while (n + 6 < sizeof(text)) {
		memcpy(text + n, "A: b\r\n", 6);
		n += 6;
	}
	eum_http_rsp_init(&r, NULL, 0);
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)text, n, &used), EUM_ERR_PARSE);

	/* an over-long Next-URI or target is refused, one of the maximum length taken */
	char uri[EUM_HTTP_URI_MAX + 2];
	memset(uri, 'u', sizeof(uri));
	uri[0] = '/';
	uri[EUM_HTTP_URI_MAX] = 0;
	n = (size_t)snprintf(text, sizeof(text), "HTTP/1.1 204 No Content\r\nX-Admin-Next-URI: %s\r\n\r\n", uri);
	eum_http_rsp_init(&r, NULL, 0);
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)text, n, &used), EUM_OK);
	assert_int_equal(strlen(r.next_uri), EUM_HTTP_URI_MAX);
	uri[EUM_HTTP_URI_MAX] = 'u';
	uri[EUM_HTTP_URI_MAX + 1] = 0;
	n = (size_t)snprintf(text, sizeof(text), "HTTP/1.1 204 No Content\r\nX-Admin-Next-URI: %s\r\n\r\n", uri);
	eum_http_rsp_init(&r, NULL, 0);
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)text, n, &used), EUM_ERR_PARSE);
	n = (size_t)snprintf(text, sizeof(text),
	                     "HTTP/1.1 204 No Content\r\nX-Admin-Targeted-Application: //aid/%.*s\r\n\r\n",
	                     EUM_HTTP_TARGET_MAX - 5, uri);
	eum_http_rsp_init(&r, NULL, 0);
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)text, n, &used), EUM_ERR_PARSE);

	/* a chunk-size line with endless extensions */
	n = (size_t)snprintf(text, sizeof(text), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;");
	memset(text + n, 'e', 200);
	n += 200;
	eum_http_rsp_init(&r, (uint8_t *)uri, 4);
	assert_int_equal(eum_http_rsp_feed(&r, (const uint8_t *)text, n, &used), EUM_ERR_PARSE);
}

/* ---- AIDs ----------------------------------------------------------------- */

static void test_parse_aid(void **state)
{
	(void)state;
	uint8_t aid[16];
	size_t len;

	assert_int_equal(eum_http_parse_aid("//aid/A000000559/1010FFFFFFFF8900000100", aid, sizeof(aid), &len), EUM_OK);
	assert_int_equal(len, 16);
	assert_memory_equal(aid, ISDR_AID, 16);
	assert_int_equal(eum_http_parse_aid("//aid/a000000559/1010ffffffff8900001000", aid, sizeof(aid), &len), EUM_OK);
	assert_int_equal(len, 16);
	assert_int_equal(aid[14], 0x10);
	assert_int_equal(eum_http_parse_aid("//aid/A000000559", aid, sizeof(aid), &len), EUM_OK);
	assert_int_equal(len, 5);
	assert_int_equal(eum_http_parse_aid("//aid/A000000559/01", aid, sizeof(aid), &len), EUM_OK);
	assert_int_equal(len, 6);
	assert_int_equal(aid[5], 0x01);
	assert_int_equal(eum_http_parse_aid("//aid/A000000559/1010FFFFFFFF8900000100", aid, 15, &len),
	                 EUM_ERR_BUFFER_TOO_SMALL);

	static const char *bad[] = {
	        "A0000005591010FFFFFFFF8900000100",          /* no prefix (OPAL) */
	        "//aid/A0000005591010FFFFFFFF8900000100",    /* not split */
	        "//aid/A00000055/91010FFFFFFFF8900000100",   /* RID of 9 digits */
	        "//aid/A000000559/",                         /* empty PIX */
	        "//aid/A000000559/101",                      /* odd PIX */
	        "//aid/A000000559/1010FFFFFFFF890000010000", /* 17 bytes */
	        "//aid/A000000559/10G0",                     /* not hex */
	        "//aid/A000000559/1010/",                    /* trailing slash */
	        "//AID/A000000559/1010",                     /* prefix is case-sensitive */
	        "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(eum_http_parse_aid(bad[i], aid, sizeof(aid), &len), EUM_ERR_PARSE);
}

static void test_admin_from(void **state)
{
	(void)state;
	char out[128];

	assert_int_equal(eum_http_admin_from(EID, ISDR_AID, 16, out, sizeof(out)), EUM_OK);
	assert_string_equal(out, FROM);
	assert_int_equal(eum_http_admin_from(EID, ISDR_AID, 16, out, sizeof(FROM)), EUM_OK);
	assert_int_equal(eum_http_admin_from(EID, ISDR_AID, 16, out, sizeof(FROM) - 1), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_http_admin_from(EID, ISDR_AID, 5, out, sizeof(out)), EUM_OK);
	assert_string_equal(out, "//se-id/eid/89049032123451234512345678901235;//aa-id/aid/A000000559");
	assert_int_equal(eum_http_admin_from(EID, ISDR_AID, 4, out, sizeof(out)), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_http_admin_from(EID, ISDR_AID, 17, out, sizeof(out)), EUM_ERR_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_first_post),      cmocka_unit_test(test_post_with_response),
	        cmocka_unit_test(test_post_long_body),  cmocka_unit_test(test_post_statuses),
	        cmocka_unit_test(test_post_refused),    cmocka_unit_test(test_responses_every_split),
	        cmocka_unit_test(test_late_final_crlf), cmocka_unit_test(test_responses_refused),
	        cmocka_unit_test(test_oversize_head),   cmocka_unit_test(test_parse_aid),
	        cmocka_unit_test(test_admin_from),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
