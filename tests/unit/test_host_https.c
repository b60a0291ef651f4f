/*
 * Tests of libeum-host's SM-SR HTTPS admin server, HTTP layer (src/host/https_server.c,
 * include/eum/host/https.h) over plaintext: scripted card POSTs (the worked example of spec digest
 * scp81-https.md §6 steps 8-12) and the exact bytes of every answer, chunked and Content-Length bodies
 * both ways, X-Admin-Targeted-Application, the empty-queue policies, X-Admin-Resume, script status values,
 * the end of the session, the test knobs and malformed requests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "eum/host/https.h"
#include "ota/http_admin.h"
#include "ota/scp81_params.h"

#define PROTO "X-Admin-Protocol: globalplatform-remote-admin/1.0\r\n"
#define FROM                                                                                                           \
	"X-Admin-From: //se-id/eid/89049032123451234512345678901235;//aa-id/aid/A000000559/1010FFFFFFFF8900000100\r\n"
#define CT_RSP "Content-Type: application/vnd.globalplatform.card-content-mgt-response;version=1.0\r\n"
#define CT_CMD "Content-Type: application/vnd.globalplatform.card-content-mgt;version=1.0\r\n"

/* digest §6 step 9: EnableProfile on the ISD-R */
static const uint8_t enable_script[32] = {0xAE, 0x80, 0x22, 0x1A, 0x80, 0xE2, 0x88, 0x00, 0x15, 0x3A, 0x03,
                                          0x12, 0x4F, 0x10, 0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                          0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00};
static const uint8_t af_9000[8] = {0xAF, 0x80, 0x23, 0x02, 0x90, 0x00, 0x00, 0x00};
static const uint8_t isdp_aid[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x10, 0x00};

static const char first_post[] = "POST /adm?cmd=1 HTTP/1.1\r\nHost: 10.0.0.1\r\n" PROTO FROM "\r\n";

static eum_host_https *server(enum eum_host_https_framing framing, enum eum_host_https_idle idle)
{
	struct eum_host_https_config cfg;
	eum_host_https *s = NULL;

	eum_host_https_config_init(&cfg);
	cfg.plaintext = 1;
	cfg.framing = framing;
	cfg.idle = idle;
	assert_int_equal(eum_host_https_new(&s, &cfg), EUM_OK);
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_OPEN);
	return s;
}

static void feed(eum_host_https *s, const char *txt)
{
	assert_int_equal(eum_host_https_input(s, (const uint8_t *)txt, strlen(txt)), EUM_OK);
}

/* Feed one byte at a time: nothing may be answered before the last byte. */
static void feed_bytewise(eum_host_https *s, const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		assert_int_equal(eum_host_https_input(s, d + i, 1), EUM_OK);
		if (i + 1 < n)
			assert_int_equal(eum_host_https_output_pending(s), 0);
	}
}

/* The whole output must be exactly head followed by body (may be NULL) and tail. */
static void expect_out(eum_host_https *s, const char *head, const uint8_t *body, size_t body_len, const char *tail)
{
	uint8_t out[4096], want[4096];
	size_t n, w = 0;

	memcpy(want, head, strlen(head));
	w += strlen(head);
	if (body) {
		memcpy(want + w, body, body_len);
		w += body_len;
	}
	memcpy(want + w, tail, strlen(tail));
	w += strlen(tail);
	n = eum_host_https_output(s, out, sizeof(out));
	if (n != w)
		fprintf(stderr, "got %zu bytes:\n%.*s\n", n, (int)n, (const char *)out);
	assert_int_equal(n, w);
	assert_memory_equal(out, want, w);
	assert_int_equal(eum_host_https_output_pending(s), 0);
}

static size_t result_post(char *buf, size_t cap, const char *uri, const char *extra)
{
	return (size_t)snprintf(buf, cap,
	                        "POST %s HTTP/1.1\r\nHost: 10.0.0.1\r\n" PROTO FROM CT_RSP
	                        "%sX-Admin-Script-Status: ok\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n",
	                        uri, extra);
}

/* Card's result POST: chunked AF 80 23 02 90 00 00 00. */
static void post_result(eum_host_https *s, const char *uri, int bytewise)
{
	uint8_t req[1024];
	size_t n = result_post((char *)req, sizeof(req), uri, "");

	memcpy(req + n, af_9000, sizeof(af_9000));
	n += sizeof(af_9000);
	memcpy(req + n, "\r\n0\r\n\r\n", 7);
	n += 7;
	if (bytewise)
		feed_bytewise(s, req, n);
	else
		assert_int_equal(eum_host_https_input(s, req, n), EUM_OK);
}

/* Digest §6 steps 8-12 byte for byte: first POST -> 200 chunked, result POST -> 204, session over. */
static void test_session_chunked(void **state)
{
	eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_HOLD);
	struct eum_host_https_report r;
	unsigned id = 0;

	(void)state;
	assert_int_equal(eum_host_https_queue(s, enable_script, sizeof(enable_script), NULL, 0, 0, &id), EUM_OK);
	assert_int_equal(id, 1);
	assert_int_equal(eum_host_https_queued(s), 1);
	feed_bytewise(s, (const uint8_t *)first_post, strlen(first_post));
	expect_out(s,
	           "HTTP/1.1 200 OK\r\n" PROTO "X-Admin-Next-URI: /smsr/1\r\n" CT_CMD
	           "Transfer-Encoding: chunked\r\n\r\n"
	           "20\r\n",
	           enable_script, sizeof(enable_script), "\r\n0\r\n\r\n");
	assert_int_equal(eum_host_https_queued(s), 0);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.post, 1);
	assert_int_equal(r.script_id, 0);
	assert_int_equal(r.status, EUM_HOST_HTTPS_STATUS_NONE);
	assert_string_equal(r.status_text, "");
	assert_string_equal(r.uri, "/adm?cmd=1");
	assert_string_equal(r.host, "10.0.0.1");
	assert_string_equal(
	        r.from, "//se-id/eid/89049032123451234512345678901235;//aa-id/aid/A000000559/1010FFFFFFFF8900000100");
	assert_int_equal(r.admin_protocol, 1);
	assert_int_equal(r.resume, 0);
	assert_int_equal(r.body_len, 0);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_ERR_NOT_FOUND);

	/* the result: reported at once; the answer waits (IDLE_HOLD) until finish() */
	post_result(s, "/smsr/1", 1);
	assert_int_equal(eum_host_https_output_pending(s), 0);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.post, 2);
	assert_int_equal(r.script_id, 1);
	assert_int_equal(r.status, EUM_HOST_HTTPS_STATUS_OK);
	assert_string_equal(r.status_text, "ok");
	assert_string_equal(r.uri, "/smsr/1");
	assert_string_equal(r.content_type, "application/vnd.globalplatform.card-content-mgt-response;version=1.0");
	assert_int_equal(r.chunked, 1);
	assert_int_equal(r.body_len, sizeof(af_9000));
	assert_memory_equal(r.body, af_9000, sizeof(af_9000));
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_OPEN);
	assert_int_equal(eum_host_https_finish(s), EUM_OK);
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_CLOSING);
	expect_out(s, "HTTP/1.1 204 No Content\r\n" PROTO "\r\n", NULL, 0, "");
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_DONE);
	assert_string_equal(eum_host_https_error(s), "");
	assert_int_equal(eum_host_https_queue(s, enable_script, sizeof(enable_script), NULL, 0, 0, NULL),
	                 EUM_ERR_STATE);
	assert_int_equal(eum_host_https_input(s, (const uint8_t *)"x", 1), EUM_OK); /* ignored after the end */
	eum_host_https_free(s);
}

/* Content-Length both ways, a targeted ISD-P, two scripts, URIs counting up. */
static void test_content_length_target(void **state)
{
	eum_host_https *s = server(EUM_HOST_HTTPS_CONTENT_LENGTH, EUM_HOST_HTTPS_IDLE_HOLD);
	struct eum_host_https_report r;
	char req[1024];
	size_t n;

	(void)state;
	assert_int_equal(eum_host_https_queue(s, enable_script, sizeof(enable_script), isdp_aid, 16, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_queue(s, af_9000, 4, NULL, 0, 0, NULL), EUM_OK);
	feed(s, first_post);
	expect_out(s,
	           "HTTP/1.1 200 OK\r\n" PROTO "X-Admin-Next-URI: /smsr/1\r\n"
	           "X-Admin-Targeted-Application: //aid/A000000559/1010FFFFFFFF8900001000\r\n" CT_CMD
	           "Content-Length: 32\r\n\r\n",
	           enable_script, sizeof(enable_script), "");
	/* the result with Content-Length, in two pieces */
	n = (size_t)snprintf(req, sizeof(req),
	                     "POST /smsr/1 HTTP/1.1\r\nHost: 10.0.0.1\r\n" PROTO FROM CT_RSP
	                     "X-Admin-Script-Status: ok\r\nContent-Length: 8\r\n\r\n");
	memcpy(req + n, af_9000, 8);
	assert_int_equal(eum_host_https_input(s, (const uint8_t *)req, n + 3), EUM_OK);
	assert_int_equal(eum_host_https_output_pending(s), 0);
	assert_int_equal(eum_host_https_input(s, (const uint8_t *)req + n + 3, 5), EUM_OK);
	expect_out(s, "HTTP/1.1 200 OK\r\n" PROTO "X-Admin-Next-URI: /smsr/2\r\n" CT_CMD "Content-Length: 4\r\n\r\n",
	           af_9000, 4, "");
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.script_id, 1);
	assert_int_equal(r.chunked, 0);
	assert_int_equal(r.body_len, 8);
	assert_memory_equal(r.body, af_9000, 8);
	eum_host_https_free(s);
}

/* Empty queue: 204 + Next-URI with IDLE_NEXT, 204 end with IDLE_END, nothing with IDLE_HOLD until queue(). */
static void test_idle_policies(void **state)
{
	eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_NEXT);
	struct eum_host_https_report r;

	(void)state;
	feed(s, first_post);
	expect_out(s, "HTTP/1.1 204 No Content\r\n" PROTO "X-Admin-Next-URI: /smsr/1\r\n\r\n", NULL, 0, "");
	feed(s, "POST /smsr/1 HTTP/1.1\r\n" PROTO "\r\n");
	expect_out(s, "HTTP/1.1 204 No Content\r\n" PROTO "X-Admin-Next-URI: /smsr/2\r\n\r\n", NULL, 0, "");
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.post, 2);
	assert_int_equal(r.script_id, 0);
	assert_string_equal(r.uri, "/smsr/1");
	assert_int_equal(eum_host_https_finish(s), EUM_OK);
	feed(s, "POST /smsr/2 HTTP/1.1\r\n" PROTO "\r\n");
	expect_out(s, "HTTP/1.1 204 No Content\r\n" PROTO "\r\n", NULL, 0, "");
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_DONE);
	eum_host_https_free(s);

	s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_END);
	feed(s, first_post);
	expect_out(s, "HTTP/1.1 204 No Content\r\n" PROTO "\r\n", NULL, 0, "");
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_DONE);
	eum_host_https_free(s);

	s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_HOLD);
	feed(s, first_post);
	assert_int_equal(eum_host_https_output_pending(s), 0);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(eum_host_https_queue(s, af_9000, 4, NULL, 0, 0, NULL), EUM_OK);
	expect_out(s,
	           "HTTP/1.1 200 OK\r\n" PROTO "X-Admin-Next-URI: /smsr/1\r\n" CT_CMD
	           "Transfer-Encoding: chunked\r\n\r\n4\r\n",
	           af_9000, 4, "\r\n0\r\n\r\n");
	eum_host_https_free(s);
}

/* X-Admin-Resume without a body while a script is unanswered: the same answer again. */
static void test_resume(void **state)
{
	eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_END);
	struct eum_host_https_report r;
	uint8_t first[1024], again[1024];
	size_t n1, n2;

	(void)state;
	assert_int_equal(eum_host_https_queue(s, enable_script, sizeof(enable_script), isdp_aid, 16, 0, NULL), EUM_OK);
	feed(s, first_post);
	n1 = eum_host_https_output(s, first, sizeof(first));
	assert_true(n1 > 100);
	/* the card lost the answer; it comes back on a new connection of the same session */
	assert_int_equal(eum_host_https_reconnect(s), EUM_OK);
	feed(s, "POST /adm?cmd=1 HTTP/1.1\r\nHost: 10.0.0.1\r\n" PROTO FROM "X-Admin-Resume: true\r\n\r\n");
	n2 = eum_host_https_output(s, again, sizeof(again));
	assert_int_equal(n2, n1);
	assert_memory_equal(again, first, n1);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.resume, 0);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.post, 2);
	assert_int_equal(r.resume, 1);
	assert_int_equal(r.resent, 1);
	assert_int_equal(r.script_id, 1);
	/* now the result arrives (Resume on the result POST is handled like a normal one) */
	{
		uint8_t req[1024];
		size_t n = result_post((char *)req, sizeof(req), "/smsr/1", "X-Admin-Resume: true\r\n");
		memcpy(req + n, af_9000, 8);
		memcpy(req + n + 8, "\r\n0\r\n\r\n", 7);
		assert_int_equal(eum_host_https_input(s, req, n + 15), EUM_OK);
	}
	expect_out(s, "HTTP/1.1 204 No Content\r\n" PROTO "\r\n", NULL, 0, "");
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.script_id, 1);
	assert_int_equal(r.resume, 1);
	assert_int_equal(r.resent, 0);
	assert_int_equal(r.body_len, 8);
	/* a Resume with nothing outstanding is a normal POST */
	eum_host_https_free(s);
	s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_END);
	feed(s, "POST /adm HTTP/1.1\r\n" PROTO "X-Admin-Resume: true\r\n\r\n");
	expect_out(s, "HTTP/1.1 204 No Content\r\n" PROTO "\r\n", NULL, 0, "");
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.resume, 1);
	assert_int_equal(r.resent, 0);
	eum_host_https_free(s);
}

/* Script status values, header names in any case, blanks around values, chunk extensions and trailers. */
static void test_status_values(void **state)
{
	static const struct {
		const char *text;
		enum eum_host_https_script_status st;
	} v[] = {
	        {"ok", EUM_HOST_HTTPS_STATUS_OK},
	        {"unknown-application", EUM_HOST_HTTPS_STATUS_UNKNOWN_APPLICATION},
	        {"Not-A-Security-Domain", EUM_HOST_HTTPS_STATUS_NOT_A_SECURITY_DOMAIN},
	        {"security-error", EUM_HOST_HTTPS_STATUS_SECURITY_ERROR},
	        {"weird", EUM_HOST_HTTPS_STATUS_OTHER},
	};
	eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_NEXT);
	struct eum_host_https_report r;
	char req[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(req, sizeof(req),
		         "POST /smsr/%zu HTTP/1.1\r\nx-admin-protocol:globalplatform-remote-admin/1.0  \r\n"
		         "X-ADMIN-SCRIPT-STATUS: %s\r\ntransfer-encoding: Chunked\r\n\r\n"
		         "2;ext=1\r\nAF\r\n0\r\nX-Trailer: x\r\n\r\n",
		         i, v[i].text);
		feed(s, req);
		assert_true(eum_host_https_output_pending(s) > 0);
		assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
		assert_int_equal(r.status, v[i].st);
		assert_string_equal(r.status_text, v[i].text);
		assert_int_equal(r.admin_protocol, 1);
		assert_int_equal(r.body_len, 2);
		assert_memory_equal(r.body, "AF", 2);
		eum_host_https_output(s, (uint8_t *)req, sizeof(req));
	}
	/* a wrong protocol value is reported, not refused */
	feed(s, "POST /x HTTP/1.1\r\nX-Admin-Protocol: globalplatform-remote-admin/2.0\r\n\r\n");
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.admin_protocol, 0);
	eum_host_https_free(s);
}

/* A FINAL script: 200 without Next-URI, the session is over. */
static void test_final_script(void **state)
{
	eum_host_https *s = server(EUM_HOST_HTTPS_CONTENT_LENGTH, EUM_HOST_HTTPS_IDLE_HOLD);

	(void)state;
	assert_int_equal(eum_host_https_queue(s, af_9000, 4, NULL, 0, EUM_HOST_HTTPS_SCRIPT_FINAL, NULL), EUM_OK);
	assert_int_equal(eum_host_https_queue(s, af_9000, 4, NULL, 0, 0, NULL), EUM_ERR_STATE);
	feed(s, first_post);
	expect_out(s, "HTTP/1.1 200 OK\r\n" PROTO CT_CMD "Content-Length: 4\r\n\r\n", af_9000, 4, "");
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_DONE);
	eum_host_https_free(s);
}

/* The test knobs: no X-Admin-Protocol, 500, truncation. */
static void test_faults(void **state)
{
	eum_host_https *s = server(EUM_HOST_HTTPS_CONTENT_LENGTH, EUM_HOST_HTTPS_IDLE_NEXT);
	uint8_t out[512];
	size_t n;

	(void)state;
	assert_int_equal(eum_host_https_inject(s, 0x80, 0, 0), EUM_ERR_INVALID_ARG);
	/* answer 2 loses its X-Admin-Protocol; answer 1 is normal */
	assert_int_equal(eum_host_https_inject(s, EUM_HOST_HTTPS_FAULT_NO_ADMIN_PROTOCOL, 2, 0), EUM_OK);
	feed(s, first_post);
	expect_out(s, "HTTP/1.1 204 No Content\r\n" PROTO "X-Admin-Next-URI: /smsr/1\r\n\r\n", NULL, 0, "");
	assert_int_equal(eum_host_https_queue(s, af_9000, 4, NULL, 0, 0, NULL), EUM_OK);
	feed(s, "POST /smsr/1 HTTP/1.1\r\n" PROTO "\r\n");
	expect_out(s, "HTTP/1.1 200 OK\r\nX-Admin-Next-URI: /smsr/2\r\n" CT_CMD "Content-Length: 4\r\n\r\n", af_9000, 4,
	           "");
	/* the card gives up and closes: the session failed */
	eum_host_https_eof(s);
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_FAILED);
	assert_true(strlen(eum_host_https_error(s)) > 0);
	eum_host_https_free(s);

	/* 500 on the next answer; the script stays queued */
	s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_HOLD);
	assert_int_equal(eum_host_https_queue(s, af_9000, 4, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_inject(s, EUM_HOST_HTTPS_FAULT_500, 0, 0), EUM_OK);
	feed(s, first_post);
	expect_out(s, "HTTP/1.1 500 Internal Server Error\r\n" PROTO "Content-Length: 5\r\n\r\nerror", NULL, 0, "");
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_DONE);
	assert_int_equal(eum_host_https_queued(s), 1);
	eum_host_https_free(s);

	/* truncated after 20 bytes, then the connection ends */
	s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_HOLD);
	assert_int_equal(eum_host_https_queue(s, enable_script, sizeof(enable_script), NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_inject(s, EUM_HOST_HTTPS_FAULT_TRUNCATE, 1, 20), EUM_OK);
	feed(s, first_post);
	n = eum_host_https_output(s, out, sizeof(out));
	assert_int_equal(n, 20);
	assert_memory_equal(out, "HTTP/1.1 200 OK\r\nX-A", 20);
	assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_DONE);
	eum_host_https_free(s);
}

/* Malformed requests: 400, session failed, nothing reported. */
static void test_bad_requests(void **state)
{
	static const char *bad[] = {
	        "GET /adm HTTP/1.1\r\n\r\n",
	        "POST /adm HTTP/1.0\r\n\r\n",
	        "POST  HTTP/1.1\r\n\r\n",
	        "POST /adm HTTP/1.1\r\nNoColonHere\r\n\r\n",
	        "POST /adm HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
	        "POST /adm HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nAFxx",
	        "POST /adm HTTP/1.1\r\nContent-Length: 4097\r\n\r\n",
	        "POST /adm HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
	        "POST /adm HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1001\r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_NEXT);
		struct eum_host_https_report r;

		assert_int_equal(eum_host_https_input(s, (const uint8_t *)bad[i], strlen(bad[i])), EUM_ERR_PARSE);
		expect_out(s, "HTTP/1.1 400 Bad Request\r\n" PROTO "Content-Length: 0\r\n\r\n", NULL, 0, "");
		assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_FAILED);
		assert_int_equal(eum_host_https_poll(s, &r), EUM_ERR_NOT_FOUND);
		eum_host_https_free(s);
	}
	/* a head that never ends */
	{
		eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_NEXT);
		char big[2100];
		memset(big, 'a', sizeof(big));
		memcpy(big, "POST /adm HTTP/1.1\r\nX: ", 23);
		assert_int_equal(eum_host_https_input(s, (const uint8_t *)big, sizeof(big)), EUM_ERR_PARSE);
		assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_FAILED);
		eum_host_https_free(s);
	}
}

/* Reports are kept in order; when all slots are taken the next POST waits for a poll. */
static void test_report_backpressure(void **state)
{
	eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_NEXT);
	struct eum_host_https_report r;
	uint8_t out[512];
	unsigned i;

	(void)state;
	for (i = 0; i < EUM_HOST_HTTPS_REPORTS_MAX; i++) {
		feed(s, "POST /a HTTP/1.1\r\n" PROTO "\r\n");
		assert_true(eum_host_https_output(s, out, sizeof(out)) > 0);
	}
	feed(s, "POST /late HTTP/1.1\r\n" PROTO "\r\n");
	assert_int_equal(eum_host_https_output_pending(s), 0);
	for (i = 1; i <= EUM_HOST_HTTPS_REPORTS_MAX; i++) {
		assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
		assert_int_equal(r.post, i);
	}
	/* polling freed a slot: the late POST got its answer */
	assert_true(eum_host_https_output_pending(s) > 0);
	assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
	assert_int_equal(r.post, EUM_HOST_HTTPS_REPORTS_MAX + 1);
	assert_string_equal(r.uri, "/late");
	assert_int_equal(eum_host_https_poll(s, &r), EUM_ERR_NOT_FOUND);
	eum_host_https_free(s);
}

/* Queue limits and arguments. */
static void test_queue_args(void **state)
{
	struct eum_host_https_config cfg;
	eum_host_https *s = NULL;
	static uint8_t big[EUM_HOST_HTTPS_SCRIPT_MAX + 1];

	(void)state;
	eum_host_https_config_init(&cfg);
	cfg.plaintext = 1;
	cfg.queue_bytes = 100;
	assert_int_equal(eum_host_https_new(&s, &cfg), EUM_OK);
	assert_int_equal(eum_host_https_queue(s, big, sizeof(big), NULL, 0, 0, NULL), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_https_queue(s, big, 10, isdp_aid, 4, 0, NULL), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_host_https_queue(s, big, 60, NULL, 0, 0, NULL), EUM_OK);
	assert_int_equal(eum_host_https_queue(s, big, 60, NULL, 0, 0, NULL), EUM_ERR_BUFFER_TOO_SMALL);
	eum_host_https_free(s);
	cfg.idle = EUM_HOST_HTTPS_IDLE_NUM;
	assert_int_equal(eum_host_https_new(&s, &cfg), EUM_ERR_INVALID_ARG);
}

/* SGP.02 PSK identity text (digest §3.3 example) and the Targeted-Application AID form. */
static void test_identity_and_aid(void **state)
{
	static const uint8_t eid[16] = {0x89, 0x04, 0x90, 0x32, 0x12, 0x34, 0x51, 0x23,
	                                0x45, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x35};
	static const uint8_t isdr[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	uint8_t id[128];
	char aid[48];
	size_t n;

	(void)state;
	assert_int_equal(eum_host_https_sgp02_identity(eid, isdr, 16, 0x01, 0x40, id, sizeof(id), &n), EUM_OK);
	assert_int_equal(n, 90);
	assert_string_equal((const char *)id, "8001028110890490321234512345123456789012354F10A0000005591010FFFFFFFF89"
	                                      "00000100820101830140");
	assert_int_equal(eum_host_https_sgp02_identity(eid, isdr, 16, 1, 0x40, id, 89, &n), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_host_https_aid_uri(isdp_aid, 16, aid, sizeof(aid)), EUM_OK);
	assert_string_equal(aid, "//aid/A000000559/1010FFFFFFFF8900001000");
	assert_int_equal(eum_host_https_aid_uri(isdp_aid, 5, aid, sizeof(aid)), EUM_OK);
	assert_string_equal(aid, "//aid/A000000559/");
	assert_int_equal(eum_host_https_aid_uri(isdp_aid, 16, aid, 39), EUM_ERR_BUFFER_TOO_SMALL);
}

/* Interop with the card's own HTTP client (src/ota/http_admin.c, written independently): its POSTs are
 * understood, and it reads every kind of answer: 200 chunked and Content-Length with a target, 204 + Next-URI,
 * the final 204; and the SGP.02 identity is the same text on both sides. */
static void card_post(eum_host_https *s, const char *uri, enum eum_http_script_status st, const uint8_t *body,
                      size_t body_len)
{
	static const uint8_t aid[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	static const uint8_t eid[16] = {0x89, 0x04, 0x90, 0x32, 0x12, 0x34, 0x51, 0x23,
	                                0x45, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x35};
	struct eum_http_post p;
	char from[160];
	uint8_t req[2048];
	size_t n;

	assert_int_equal(eum_http_admin_from(eid, aid, 16, from, sizeof(from)), EUM_OK);
	memset(&p, 0, sizeof(p));
	p.uri = uri;
	p.host = "10.0.0.1";
	p.from = from;
	p.status = st;
	p.body = body;
	p.body_len = body_len;
	assert_int_equal(eum_http_build_post(&p, req, sizeof(req), &n), EUM_OK);
	assert_int_equal(eum_host_https_input(s, req, n), EUM_OK);
}

static void card_reads(eum_host_https *s, struct eum_http_rsp *rsp, uint8_t *body, size_t cap)
{
	uint8_t out[4096];
	size_t n = eum_host_https_output(s, out, sizeof(out)), used = 0;

	assert_true(n > 0);
	eum_http_rsp_init(rsp, body, cap);
	assert_int_equal(eum_http_rsp_feed(rsp, out, n, &used), EUM_OK);
	assert_int_equal(used, n);
	assert_int_equal(rsp->admin_protocol, 1);
}

static void test_card_client_interop(void **state)
{
	static const uint8_t eid[16] = {0x89, 0x04, 0x90, 0x32, 0x12, 0x34, 0x51, 0x23,
	                                0x45, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x35};
	static const uint8_t isdr[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	enum eum_host_https_framing fr;
	struct eum_host_https_report r;
	struct eum_http_rsp rsp;
	uint8_t body[8192], id1[128], id2[128], aid[16];
	size_t l1, l2, al;

	(void)state;
	for (fr = EUM_HOST_HTTPS_CHUNKED; fr < EUM_HOST_HTTPS_FRAMING_NUM; fr++) {
		eum_host_https *s = server(fr, EUM_HOST_HTTPS_IDLE_NEXT);

		assert_int_equal(eum_host_https_queue(s, enable_script, sizeof(enable_script), isdp_aid, 16, 0, NULL),
		                 EUM_OK);
		card_post(s, "/adm?cmd=1", EUM_HTTP_STATUS_NONE, NULL, 0);
		card_reads(s, &rsp, body, sizeof(body));
		assert_int_equal(rsp.code, 200);
		assert_int_equal(rsp.content, EUM_HTTP_CONTENT_GP);
		assert_int_equal(rsp.has_next_uri, 1);
		assert_string_equal(rsp.next_uri, "/smsr/1");
		assert_int_equal(rsp.has_target, 1);
		assert_int_equal(eum_http_parse_aid(rsp.target, aid, sizeof(aid), &al), EUM_OK);
		assert_int_equal(al, 16);
		assert_memory_equal(aid, isdp_aid, 16);
		assert_int_equal(rsp.body_len, sizeof(enable_script));
		assert_memory_equal(rsp.body, enable_script, sizeof(enable_script));
		assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
		assert_string_equal(r.uri, "/adm?cmd=1");
		assert_string_equal(r.host, "10.0.0.1");
		assert_string_equal(r.from, "//se-id/eid/89049032123451234512345678901235;"
		                            "//aa-id/aid/A000000559/1010FFFFFFFF8900000100");
		assert_int_equal(r.admin_protocol, 1);

		card_post(s, rsp.next_uri, EUM_HTTP_STATUS_OK, af_9000, sizeof(af_9000));
		card_reads(s, &rsp, body, sizeof(body));
		assert_int_equal(rsp.code, 204);
		assert_int_equal(rsp.has_next_uri, 1);
		assert_string_equal(rsp.next_uri, "/smsr/2");
		assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
		assert_int_equal(r.script_id, 1);
		assert_int_equal(r.status, EUM_HOST_HTTPS_STATUS_OK);
		assert_int_equal(r.body_len, sizeof(af_9000));
		assert_memory_equal(r.body, af_9000, sizeof(af_9000));

		assert_int_equal(eum_host_https_finish(s), EUM_OK);
		card_post(s, rsp.next_uri, EUM_HTTP_STATUS_NONE, NULL, 0);
		card_reads(s, &rsp, body, sizeof(body));
		assert_int_equal(rsp.code, 204);
		assert_int_equal(rsp.has_next_uri, 0);
		assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_DONE);
		eum_host_https_free(s);
	}
	assert_int_equal(eum_host_https_sgp02_identity(eid, isdr, 16, 0x01, 0x40, id1, sizeof(id1), &l1), EUM_OK);
	assert_int_equal(eum_scp81_sgp02_identity(eid, isdr, 16, 0x01, 0x40, id2, sizeof(id2), &l2), EUM_OK);
	assert_int_equal(l1, l2);
	assert_memory_equal(id1, id2, l1);
}

static uint32_t lcg = 12345;

static uint32_t rnd(uint32_t n)
{
	lcg = lcg * 1103515245u + 12345u;
	return (lcg >> 8) % n;
}

/* The same request cut anywhere gives the same report and the same answer; mutated requests (flipped,
 * inserted, dropped bytes) never get the server past its bounds: 400 + failed, or a report within limits. */
static void test_splits_and_mutations(void **state)
{
	uint8_t req[1024], mut[1100], out[1024], want[1024];
	size_t n = result_post((char *)req, sizeof(req), "/smsr/1", ""), wn = 0, iter;

	(void)state;
	memcpy(req + n, af_9000, sizeof(af_9000));
	n += sizeof(af_9000);
	memcpy(req + n, "\r\n0\r\n\r\n", 7);
	n += 7;
	for (iter = 0; iter < 300; iter++) {
		eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_NEXT);
		struct eum_host_https_report r;
		size_t off = 0, on;

		while (off < n) {
			size_t k = 1 + rnd(40);
			if (k > n - off)
				k = n - off;
			assert_int_equal(eum_host_https_input(s, req + off, k), EUM_OK);
			off += k;
		}
		on = eum_host_https_output(s, out, sizeof(out));
		if (iter == 0) {
			memcpy(want, out, on);
			wn = on;
		}
		assert_int_equal(on, wn);
		assert_memory_equal(out, want, wn);
		assert_int_equal(eum_host_https_poll(s, &r), EUM_OK);
		assert_int_equal(r.status, EUM_HOST_HTTPS_STATUS_OK);
		assert_int_equal(r.body_len, sizeof(af_9000));
		assert_memory_equal(r.body, af_9000, sizeof(af_9000));
		eum_host_https_free(s);
	}
	for (iter = 0; iter < 3000; iter++) {
		eum_host_https *s = server(EUM_HOST_HTTPS_CHUNKED, EUM_HOST_HTTPS_IDLE_NEXT);
		struct eum_host_https_report r;
		size_t m = n, k;
		int rc;

		memcpy(mut, req, n);
		for (k = 1 + rnd(4); k > 0; k--) {
			size_t at = rnd((uint32_t)m);
			switch (rnd(3)) {
			case 0:
				mut[at] = (uint8_t)rnd(256);
				break;
			case 1:
				if (m < sizeof(mut)) {
					memmove(mut + at + 1, mut + at, m - at);
					mut[at] = (uint8_t) "\r\n:0 aF;"[rnd(8)];
					m++;
				}
				break;
			default:
				memmove(mut + at, mut + at + 1, m - at - 1);
				m--;
				break;
			}
		}
		rc = eum_host_https_input(s, mut, m);
		assert_true(rc == EUM_OK || rc == EUM_ERR_PARSE);
		if (rc == EUM_ERR_PARSE) {
			assert_int_equal(eum_host_https_state(s), EUM_HOST_HTTPS_FAILED);
			/* the 400 is the last answer (a complete request before the damage may have been answered) */
			static const char bad[] = "HTTP/1.1 400 Bad Request\r\n" PROTO "Content-Length: 0\r\n\r\n";
			size_t on = eum_host_https_output(s, out, sizeof(out));
			assert_true(on >= sizeof(bad) - 1);
			assert_memory_equal(out + on - (sizeof(bad) - 1), bad, sizeof(bad) - 1);
		}
		while (eum_host_https_poll(s, &r) == EUM_OK) {
			assert_true(r.body_len <= EUM_HOST_HTTPS_BODY_MAX);
			assert_true(strlen(r.uri) > 0 && strlen(r.uri) <= EUM_HOST_HTTPS_URI_MAX);
			assert_true(strlen(r.status_text) < sizeof(r.status_text));
		}
		eum_host_https_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_session_chunked),
	        cmocka_unit_test(test_content_length_target),
	        cmocka_unit_test(test_idle_policies),
	        cmocka_unit_test(test_resume),
	        cmocka_unit_test(test_status_values),
	        cmocka_unit_test(test_final_script),
	        cmocka_unit_test(test_faults),
	        cmocka_unit_test(test_bad_requests),
	        cmocka_unit_test(test_report_backpressure),
	        cmocka_unit_test(test_queue_args),
	        cmocka_unit_test(test_identity_and_aid),
	        cmocka_unit_test(test_card_client_interop),
	        cmocka_unit_test(test_splits_and_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
