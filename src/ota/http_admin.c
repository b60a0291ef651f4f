/*
 * GlobalPlatform Amendment B (Remote Application Management over HTTP), card side: the admin
 * agent's POST requests (Amd B §3.4 as rebuilt in spec digest scp81-https.md §4.1) and an
 * incremental parser of the SM-SR's responses (digest §4.2, framing §4.4, RFC 7230 §3 / §4.1).
 *
 * Decisions ([IMPL], digest §4.4):
 * - POST bodies are always sent chunked, as one chunk followed by the last chunk "0" CRLF CRLF.
 * - Responses: header names case-insensitive, optional blanks around values, bare LF accepted as a
 *   line end (RFC 7230 §3.5), obsolete line folding refused. Chunked (sizes in either case, chunk
 *   extensions ignored) or Content-Length; chunked wins when both are present (RFC 7230 §3.3.3).
 * - The response ends at the last-chunk line "0" CRLF: the trailer section and its final CRLF are
 *   not waited for, because whty's SM-SR sends "0\r\n" alone and then waits for the next POST.
 *   A final CRLF arriving in the same feed is consumed; one arriving later is skipped by the parser
 *   of the next response (empty lines before a status line are ignored). Trailer fields are not
 *   supported: an SM-SR that sends them breaks the next response.
 * - 1xx interim responses are skipped; 204 and 304 never have a body; a 2xx other than 204 needs
 *   Content-Length or chunked; other statuses without either end at their header block (the agent
 *   aborts on them and does not read a close-delimited body).
 */
#include "ota/http_admin.h"

#include <string.h>

#include "eum/eum.h"
#include "util/hex.h"

#define CHUNK_LINE_MAX 128 /* chunk-size line incl. extensions ([IMPL] bound) */

enum {
	ST_HEAD,        /* status line and header fields, collected in head_ */
	ST_CHUNK_SIZE,  /* chunk-size line, collected in head_ */
	ST_CHUNK_DATA,  /* chunk_left_ bytes of data */
	ST_CHUNK_CRLF,  /* the CRLF after chunk data (head_len_ = 1 after CR) */
	ST_LAST_CRLF,   /* after the last chunk (the response is complete) */
	ST_LENGTH_BODY, /* Content-Length body */
	ST_DONE,
	ST_ERROR,
};

static const char ADMIN_PROTOCOL[] = "globalplatform-remote-admin/1.0";
static const char CT_GP_RSP[] = "application/vnd.globalplatform.card-content-mgt-response;version=1.0";
static const char CT_ETSI_RSP[] = "application/vnd.etsi.scp.response-data;version=1.0";

/* ---- building ------------------------------------------------------------ */

struct out {
	uint8_t *p;
	size_t cap, len;
	int overflow;
};

static void put(struct out *o, const void *d, size_t n)
{
	if (o->overflow || n > o->cap - o->len) {
		o->overflow = 1;
		return;
	}
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void header(struct out *o, const char *name, const char *value)
{
	puts_(o, name);
	puts_(o, ": ");
	puts_(o, value);
	puts_(o, "\r\n");
}

/* A value that can go into a request line (no blanks) or a header field (blanks allowed inside). */
static int text_ok(const char *s, int allow_space)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7F || (c == ' ' && !allow_space))
			return 0;
	}
	return 1;
}

static const char *status_text(enum eum_http_script_status s)
{
	switch (s) {
	case EUM_HTTP_STATUS_OK:
		return "ok";
	case EUM_HTTP_STATUS_UNKNOWN_APPLICATION:
		return "unknown-application";
	case EUM_HTTP_STATUS_NOT_A_SECURITY_DOMAIN:
		return "not-a-security-domain";
	case EUM_HTTP_STATUS_SECURITY_ERROR:
		return "security-error";
	default:
		return NULL;
	}
}

/* GP Amd B §3.4 (digest §4.1): the admin agent's POST. */
int eum_http_build_post(const struct eum_http_post *p, uint8_t *out, size_t cap, size_t *len)
{
	struct out o = {out, cap, 0, 0};
	const char *status = NULL;
	int has_body;

	if (!p || !out || !len || !p->uri || !p->uri[0] || !p->host || !p->from)
		return EUM_ERR_INVALID_ARG;
	if (!text_ok(p->uri, 0) || !text_ok(p->host, 0) || !text_ok(p->from, 1))
		return EUM_ERR_INVALID_ARG;
	if (p->status != EUM_HTTP_STATUS_NONE && !(status = status_text(p->status)))
		return EUM_ERR_INVALID_ARG;
	has_body = p->body_len > 0;
	/* a body only goes with status ok (digest §4.1: other statuses carry none) */
	if (has_body && (!p->body || p->status != EUM_HTTP_STATUS_OK))
		return EUM_ERR_INVALID_ARG;

	puts_(&o, "POST ");
	puts_(&o, p->uri);
	puts_(&o, " HTTP/1.1\r\n");
	header(&o, "Host", p->host);
	header(&o, "X-Admin-Protocol", ADMIN_PROTOCOL);
	header(&o, "X-Admin-From", p->from);
	if (has_body)
		header(&o, "Content-Type", p->etsi ? CT_ETSI_RSP : CT_GP_RSP);
	if (status)
		header(&o, "X-Admin-Script-Status", status);
	if (p->resume)
		header(&o, "X-Admin-Resume", "true");
	if (has_body)
		header(&o, "Transfer-Encoding", "chunked");
	puts_(&o, "\r\n");
	if (has_body) {
		char size[2 * sizeof(size_t) + 1];
		size_t n = 0, v = p->body_len;
		char tmp[2 * sizeof(size_t)];

		do {
			tmp[n++] = "0123456789ABCDEF"[v & 0xF];
			v >>= 4;
		} while (v);
		for (size_t i = 0; i < n; i++)
			size[i] = tmp[n - 1 - i];
		size[n] = 0;
		puts_(&o, size);
		puts_(&o, "\r\n");
		put(&o, p->body, p->body_len);
		puts_(&o, "\r\n0\r\n\r\n");
	}
	if (o.overflow)
		return EUM_ERR_BUFFER_TOO_SMALL;
	*len = o.len;
	return EUM_OK;
}

/* ---- parsing ------------------------------------------------------------- */

void eum_http_rsp_init(struct eum_http_rsp *p, uint8_t *body_buf, size_t cap)
{
	memset(p, 0, sizeof(*p));
	p->buf_ = body_buf;
	p->cap_ = body_buf ? cap : 0;
	p->state_ = ST_HEAD;
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Case-insensitive comparison of n bytes with a NUL-terminated literal of length n. */
static int ieq(const uint8_t *s, size_t n, const char *lit)
{
	if (strlen(lit) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != lower((unsigned char)lit[i]))
			return 0;
	return 1;
}

static int is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* RFC 7230 §3.2.6 tchar */
static int is_tchar(uint8_t c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* HTTP-version SP status-code [SP reason-phrase] (RFC 7230 §3.1.2). */
static int parse_status_line(struct eum_http_rsp *p, const uint8_t *s, size_t n)
{
	unsigned code = 0;

	if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' || s[8] != ' ')
		return EUM_ERR_PARSE;
	for (size_t i = 9; i < 12; i++) {
		if (s[i] < '0' || s[i] > '9')
			return EUM_ERR_PARSE;
		code = code * 10 + (unsigned)(s[i] - '0');
	}
	if (code < 100 || code > 599 || (n > 12 && s[12] != ' '))
		return EUM_ERR_PARSE;
	for (size_t i = 13; i < n; i++)
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7F)
			return EUM_ERR_PARSE;
	p->code = code;
	return EUM_OK;
}

/* Copy a header value that the agent uses verbatim (URI, AID): printable ASCII, no blanks. */
static int copy_token(char *dst, size_t cap, const uint8_t *v, size_t n)
{
	if (n == 0 || n > cap)
		return EUM_ERR_PARSE;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7F)
			return EUM_ERR_PARSE;
	memcpy(dst, v, n);
	dst[n] = 0;
	return EUM_OK;
}

/* Does the comma-separated list v contain the token tok (case-insensitive)? */
static int list_has(const uint8_t *v, size_t n, const char *tok)
{
	size_t i = 0;

	while (i < n) {
		size_t a, b;
		while (i < n && (is_blank(v[i]) || v[i] == ','))
			i++;
		a = i;
		while (i < n && v[i] != ',')
			i++;
		b = i;
		while (b > a && is_blank(v[b - 1]))
			b--;
		if (b > a && ieq(v + a, b - a, tok))
			return 1;
	}
	return 0;
}

static int parse_header(struct eum_http_rsp *p, const uint8_t *s, size_t n)
{
	size_t colon = 0, vs, ve;

	while (colon < n && s[colon] != ':')
		colon++;
	if (colon == 0 || colon == n)
		return EUM_ERR_PARSE; /* no name, or no colon; also refuses obsolete line folding */
	for (size_t i = 0; i < colon; i++)
		if (!is_tchar(s[i]))
			return EUM_ERR_PARSE;
	vs = colon + 1;
	ve = n;
	while (vs < ve && is_blank(s[vs]))
		vs++;
	while (ve > vs && is_blank(s[ve - 1]))
		ve--;
	for (size_t i = vs; i < ve; i++)
		if ((s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7F)
			return EUM_ERR_PARSE;

	const uint8_t *v = s + vs;
	size_t vn = ve - vs;

	if (ieq(s, colon, "X-Admin-Protocol")) {
		p->admin_protocol = ieq(v, vn, ADMIN_PROTOCOL);
	} else if (ieq(s, colon, "X-Admin-Next-URI")) {
		if (copy_token(p->next_uri, EUM_HTTP_URI_MAX, v, vn) != EUM_OK)
			return EUM_ERR_PARSE;
		p->has_next_uri = 1;
	} else if (ieq(s, colon, "X-Admin-Targeted-Application")) {
		if (copy_token(p->target, EUM_HTTP_TARGET_MAX, v, vn) != EUM_OK)
			return EUM_ERR_PARSE;
		p->has_target = 1;
	} else if (ieq(s, colon, "Content-Type")) {
		size_t mt = 0;
		while (mt < vn && v[mt] != ';' && !is_blank(v[mt]))
			mt++;
		if (ieq(v, mt, "application/vnd.globalplatform.card-content-mgt"))
			p->content = EUM_HTTP_CONTENT_GP;
		else if (ieq(v, mt, "application/vnd.etsi.scp.command-data"))
			p->content = EUM_HTTP_CONTENT_ETSI;
		else
			p->content = EUM_HTTP_CONTENT_OTHER;
	} else if (ieq(s, colon, "Connection")) {
		if (list_has(v, vn, "close"))
			p->close = 1;
	} else if (ieq(s, colon, "Transfer-Encoding")) {
		/* only "chunked" is supported (RFC 7230 §3.3.1: it must be the final coding) */
		if (!ieq(v, vn, "chunked"))
			return EUM_ERR_PARSE;
		p->chunked_ = 1;
	} else if (ieq(s, colon, "Content-Length")) {
		size_t cl = 0;
		if (vn == 0)
			return EUM_ERR_PARSE;
		for (size_t i = 0; i < vn; i++) {
			if (v[i] < '0' || v[i] > '9')
				return EUM_ERR_PARSE;
			if (cl > (SIZE_MAX - 9) / 10)
				return EUM_ERR_BUFFER_TOO_SMALL;
			cl = cl * 10 + (size_t)(v[i] - '0');
		}
		/* RFC 7230 §3.3.2: differing repeated values are an error */
		if (p->have_length_ && p->content_length_ != cl)
			return EUM_ERR_PARSE;
		p->content_length_ = cl;
		p->have_length_ = 1;
	}
	return EUM_OK;
}

/* The header block ended: choose how the body is framed. */
static int head_done(struct eum_http_rsp *p)
{
	if (p->code >= 100 && p->code < 200) {
		/* interim response (RFC 7231 §6.2): forget it, the final one follows */
		uint8_t *buf = p->buf_;
		size_t cap = p->cap_;
		eum_http_rsp_init(p, buf, cap);
		return EUM_HTTP_MORE;
	}
	p->head_len_ = 0;
	if (p->code == 204 || p->code == 304)
		return EUM_OK;
	if (p->chunked_) {
		p->state_ = ST_CHUNK_SIZE;
		return EUM_HTTP_MORE;
	}
	if (p->have_length_) {
		if (p->content_length_ > p->cap_)
			return EUM_ERR_BUFFER_TOO_SMALL;
		if (p->content_length_ == 0)
			return EUM_OK;
		p->state_ = ST_LENGTH_BODY;
		return EUM_HTTP_MORE;
	}
	if (p->code >= 200 && p->code < 300)
		return EUM_ERR_PARSE; /* a 2xx carrying a script must say how long it is */
	return EUM_OK;
}

/* One complete line of the head (line end removed): EUM_HTTP_MORE, EUM_OK (complete) or an error. */
static int head_line(struct eum_http_rsp *p, const uint8_t *s, size_t n, int first)
{
	int rc;

	if (first)
		rc = parse_status_line(p, s, n);
	else if (n == 0)
		return head_done(p);
	else
		rc = parse_header(p, s, n);
	return rc == EUM_OK ? EUM_HTTP_MORE : rc;
}

/* chunk-size [ chunk-ext ] (RFC 7230 §4.1), extensions ignored. */
static int chunk_size_line(struct eum_http_rsp *p, const uint8_t *s, size_t n)
{
	size_t i = 0, size = 0;

	for (; i < n && eum_hex_digit(s[i]) >= 0; i++) {
		if (size > p->cap_ - p->len_ || size > (SIZE_MAX - 15) / 16)
			return EUM_ERR_BUFFER_TOO_SMALL; /* stop before it can overflow */
		size = size * 16 + (size_t)eum_hex_digit(s[i]);
	}
	if (i == 0)
		return EUM_ERR_PARSE;
	while (i < n && is_blank(s[i]))
		i++;
	if (i < n && s[i] != ';')
		return EUM_ERR_PARSE;
	if (size > p->cap_ - p->len_)
		return EUM_ERR_BUFFER_TOO_SMALL;
	p->head_len_ = 0;
	if (size == 0) {
		p->state_ = ST_LAST_CRLF;
		return EUM_OK;
	}
	p->chunk_left_ = size;
	p->state_ = ST_CHUNK_DATA;
	return EUM_HTTP_MORE;
}

/* Strip the line end (LF, or CR LF) from the line collected in head_ from `start`. */
static size_t line_len(const struct eum_http_rsp *p, size_t start)
{
	size_t end = p->head_len_ - 1; /* the LF */
	if (end > start && p->head_[end - 1] == '\r')
		end--;
	return end - start;
}

static int finish(struct eum_http_rsp *p, int rc)
{
	if (rc == EUM_OK) {
		p->state_ = ST_DONE;
		p->body = p->buf_;
		p->body_len = p->len_;
	} else if (rc < 0) {
		p->state_ = ST_ERROR;
		p->chunk_left_ = (size_t)-rc; /* the same error for later calls */
	}
	return rc;
}

int eum_http_rsp_feed(struct eum_http_rsp *p, const uint8_t *data, size_t len, size_t *used)
{
	size_t i = 0;
	int rc = EUM_HTTP_MORE;

	if (!p || (!data && len) || !used)
		return EUM_ERR_INVALID_ARG;
	*used = 0;
	if (p->state_ == ST_ERROR)
		return -(int)p->chunk_left_;
	if (p->state_ == ST_DONE)
		return EUM_OK;

	while (i < len && rc == EUM_HTTP_MORE) {
		uint8_t c = data[i];

		switch (p->state_) {
		case ST_HEAD:
			if (p->head_len_ == 0 && (c == '\r' || c == '\n')) {
				i++; /* empty lines before the status line (e.g. a late final CRLF) */
				break;
			}
			if (p->head_len_ >= EUM_HTTP_HEAD_MAX) {
				rc = EUM_ERR_PARSE;
				break;
			}
			p->head_[p->head_len_++] = c;
			i++;
			if (c == '\n') {
				/* find where this line started: after the previous LF */
				size_t start = p->head_len_ - 1;
				while (start > 0 && p->head_[start - 1] != '\n')
					start--;
				rc = head_line(p, p->head_ + start, line_len(p, start), start == 0);
			}
			break;
		case ST_CHUNK_SIZE:
			if (p->head_len_ >= CHUNK_LINE_MAX) {
				rc = EUM_ERR_PARSE;
				break;
			}
			p->head_[p->head_len_++] = c;
			i++;
			if (c == '\n')
				rc = chunk_size_line(p, p->head_, line_len(p, 0));
			break;
		case ST_CHUNK_DATA: {
			size_t n = len - i < p->chunk_left_ ? len - i : p->chunk_left_;
			memcpy(p->buf_ + p->len_, data + i, n);
			p->len_ += n;
			p->chunk_left_ -= n;
			i += n;
			if (p->chunk_left_ == 0) {
				p->state_ = ST_CHUNK_CRLF;
				p->head_len_ = 0;
			}
			break;
		}
		case ST_CHUNK_CRLF:
			if (c == '\r' && p->head_len_ == 0) {
				p->head_len_ = 1;
				i++;
			} else if (c == '\n') {
				p->state_ = ST_CHUNK_SIZE;
				p->head_len_ = 0;
				i++;
			} else {
				rc = EUM_ERR_PARSE;
			}
			break;
		case ST_LENGTH_BODY: {
			size_t n = len - i < p->content_length_ - p->len_ ? len - i : p->content_length_ - p->len_;
			memcpy(p->buf_ + p->len_, data + i, n);
			p->len_ += n;
			i += n;
			if (p->len_ == p->content_length_)
				rc = EUM_OK;
			break;
		}
		default:
			rc = EUM_ERR_PARSE;
			break;
		}
	}
	/* after the last chunk: take the final CRLF now if this feed already holds it */
	if (rc == EUM_OK && p->state_ == ST_LAST_CRLF) {
		if (i < len && data[i] == '\r')
			i++;
		if (i < len && data[i] == '\n')
			i++;
	}
	*used = i;
	return finish(p, rc);
}

/* ---- AIDs in URIs (GP Amd B "//aid/<RID>/<PIX>", digest §4.2) ----------- */

static int hex_bytes(const char *s, size_t digits, uint8_t *out)
{
	for (size_t i = 0; i < digits; i += 2) {
		int h = eum_hex_digit((uint8_t)s[i]), l = eum_hex_digit((uint8_t)s[i + 1]);
		if (h < 0 || l < 0)
			return EUM_ERR_PARSE;
		out[i / 2] = (uint8_t)(h << 4 | l);
	}
	return EUM_OK;
}

int eum_http_parse_aid(const char *s, uint8_t *aid, size_t cap, size_t *aid_len)
{
	uint8_t tmp[16];
	size_t n, pix_digits;

	if (!s || !aid || !aid_len)
		return EUM_ERR_INVALID_ARG;
	if (strncmp(s, "//aid/", 6) != 0)
		return EUM_ERR_PARSE;
	s += 6;
	n = strlen(s);
	if (n < 10 || hex_bytes(s, 10, tmp) != EUM_OK)
		return EUM_ERR_PARSE;
	if (n == 10) {
		pix_digits = 0;
	} else {
		if (s[10] != '/')
			return EUM_ERR_PARSE;
		pix_digits = n - 11;
		/* PIX: 1..11 bytes (an AID is 5..16 bytes, ISO 7816-5) */
		if (pix_digits == 0 || pix_digits % 2 || pix_digits > 22 || hex_bytes(s + 11, pix_digits, tmp + 5))
			return EUM_ERR_PARSE;
	}
	if (5 + pix_digits / 2 > cap)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(aid, tmp, 5 + pix_digits / 2);
	*aid_len = 5 + pix_digits / 2;
	return EUM_OK;
}

/* SGP.02 X-Admin-From (digest §4.1): the EID's 32 digits and the AID split RID/PIX. */
int eum_http_admin_from(const uint8_t eid[16], const uint8_t *aid, size_t aid_len, char *out, size_t cap)
{
	static const char se[] = "//se-id/eid/", aa[] = ";//aa-id/aid/";
	size_t need, o = 0;

	if (!eid || !aid || !out || aid_len < 5 || aid_len > 16)
		return EUM_ERR_INVALID_ARG;
	need = (sizeof(se) - 1) + 32 + (sizeof(aa) - 1) + 10 + (aid_len > 5 ? 1 + 2 * (aid_len - 5) : 0) + 1;
	if (cap < need)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(out, se, sizeof(se) - 1);
	o += sizeof(se) - 1;
	eum_hex_upper(eid, 16, out + o);
	o += 32;
	memcpy(out + o, aa, sizeof(aa) - 1);
	o += sizeof(aa) - 1;
	eum_hex_upper(aid, 5, out + o);
	o += 10;
	if (aid_len > 5) {
		out[o++] = '/';
		eum_hex_upper(aid + 5, aid_len - 5, out + o);
		o += 2 * (aid_len - 5);
	}
	out[o] = 0;
	return EUM_OK;
}
