/*
 * The card's side of the GlobalPlatform Amendment B HTTP administration protocol (spec digest
 * scp81-https.md §4): building the POST requests of the admin agent and parsing the SM-SR's
 * responses. Pure functions over caller buffers, no allocation: the agent (src/ota/scp81.c) feeds
 * the plaintext it reads from TLS, and the fuzz target feeds anything.
 */
#ifndef EUM_OTA_HTTP_ADMIN_H
#define EUM_OTA_HTTP_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#define EUM_HTTP_URI_MAX    256  /* request target (admin URI, X-Admin-Next-URI) */
#define EUM_HTTP_TARGET_MAX 64   /* X-Admin-Targeted-Application value */
#define EUM_HTTP_HEAD_MAX   2048 /* status line + headers of one response */

/* X-Admin-Script-Status of a POST (GP Amd B; values other than ok UNCONFIRMED, digest §4.1). */
enum eum_http_script_status {
	EUM_HTTP_STATUS_NONE, /* first POST: no script ran */
	EUM_HTTP_STATUS_OK,
	EUM_HTTP_STATUS_UNKNOWN_APPLICATION,
	EUM_HTTP_STATUS_NOT_A_SECURITY_DOMAIN,
	EUM_HTTP_STATUS_SECURITY_ERROR,
};

struct eum_http_post {
	const char *uri;  /* admin URI or the last X-Admin-Next-URI, sent verbatim */
	const char *host; /* Host header */
	const char *from; /* X-Admin-From */
	enum eum_http_script_status status;
	int resume;          /* X-Admin-Resume: true */
	int etsi;            /* the script came as application/vnd.etsi.scp.command-data: answer in kind */
	const uint8_t *body; /* response script (AF 80 ... 00 00), sent chunked; only with status ok */
	size_t body_len;
};

/* One POST request (HTTP/1.1, chunked body): EUM_OK, EUM_ERR_INVALID_ARG, EUM_ERR_BUFFER_TOO_SMALL. */
int eum_http_build_post(const struct eum_http_post *p, uint8_t *out, size_t cap, size_t *len);

enum eum_http_content {
	EUM_HTTP_CONTENT_NONE,
	EUM_HTTP_CONTENT_GP,   /* application/vnd.globalplatform.card-content-mgt;version=1.0 */
	EUM_HTTP_CONTENT_ETSI, /* application/vnd.etsi.scp.command-data;version=1.0 */
	EUM_HTTP_CONTENT_OTHER,
};

/* An SM-SR response, parsed incrementally (bytes may come in any pieces). */
struct eum_http_rsp {
	/* results, valid once eum_http_rsp_feed() returned EUM_OK */
	unsigned code;      /* status code (200, 204, ...) */
	int admin_protocol; /* X-Admin-Protocol: globalplatform-remote-admin/1.0 present */
	int has_next_uri;
	char next_uri[EUM_HTTP_URI_MAX + 1];
	int has_target;
	char target[EUM_HTTP_TARGET_MAX + 1]; /* X-Admin-Targeted-Application, verbatim */
	enum eum_http_content content;
	int close;           /* Connection: close */
	const uint8_t *body; /* de-chunked body (points into the body buffer given to init) */
	size_t body_len;
	/* parser state (private) */
	int state_;
	uint8_t head_[EUM_HTTP_HEAD_MAX];
	size_t head_len_;
	uint8_t *buf_;
	size_t cap_, len_, chunk_left_, content_length_;
	int chunked_, have_length_;
};

/* Start parsing a response; its body is collected in body_buf (cap bytes). */
void eum_http_rsp_init(struct eum_http_rsp *p, uint8_t *body_buf, size_t cap);
/*
 * Feed the next bytes. *used receives how many were consumed (bytes after the end of the response
 * are left: one response per request). Returns EUM_OK when the response is complete,
 * EUM_TLS_AGAIN-like 1 (EUM_HTTP_MORE) when more bytes are needed, EUM_ERR_PARSE for a malformed
 * response (bad status line, header too long, bad chunk size, Content-Length and chunked both
 * absent on a 200, body larger than the buffer -> EUM_ERR_BUFFER_TOO_SMALL).
 */
#define EUM_HTTP_MORE 1
int eum_http_rsp_feed(struct eum_http_rsp *p, const uint8_t *data, size_t len, size_t *used);

/* "//aid/<RID 10 hex>/<PIX hex>" -> AID bytes; EUM_OK or EUM_ERR_PARSE. */
int eum_http_parse_aid(const char *s, uint8_t *aid, size_t cap, size_t *aid_len);
/* X-Admin-From value "//se-id/eid/<32 digits>;//aa-id/aid/<RID>/<PIX>" for this EID and AID. */
int eum_http_admin_from(const uint8_t eid[16], const uint8_t *aid, size_t aid_len, char *out, size_t cap);

#endif
