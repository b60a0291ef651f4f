/*
 * libeum-host: the text side of the SM-SR's HTTPS admin server (GP Amendment B HTTP administration, spec
 * digest scp81-https.md §4.1 requests, §4.4 framing and tolerance; §3.3 the SGP.02 PSK identity; §4.2 the
 * //aid/ form): parsing one card POST, pure functions over the caller's bytes. The session lives in
 * https_server.c.
 */
#include <stdio.h>
#include <string.h>

#include "https_request.h"

#define ADMIN_PROTOCOL "globalplatform-remote-admin/1.0"
#define CHUNK_LINE_MAX 64

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int ieq(const char *a, size_t alen, const char *b)
{
	size_t i, blen = strlen(b);

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int icontains(const char *a, size_t alen, const char *b)
{
	size_t i, blen = strlen(b);

	for (i = 0; i + blen <= alen; i++)
		if (ieq(a + i, blen, b))
			return 1;
	return 0;
}

/* Copy a value into a report field; 0 when it does not fit (and `must_fit`). */
static int copy_text(char *dst, size_t cap, const char *v, size_t n, int must_fit)
{
	if (n >= cap) {
		if (must_fit)
			return 0;
		n = cap - 1;
	}
	memcpy(dst, v, n);
	dst[n] = '\0';
	return 1;
}

/* ---- one POST (digest §4.1, §4.4) ---------------------------------------------------------------------- */

static const char *find_crlf(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (p[i] == '\r' && p[i + 1] == '\n')
			return p + i;
	return NULL;
}

static void trim(const char **v, size_t *n)
{
	while (*n && (**v == ' ' || **v == '\t')) {
		(*v)++;
		(*n)--;
	}
	while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t'))
		(*n)--;
}

static enum eum_host_https_script_status status_of(const char *v, size_t n)
{
	if (ieq(v, n, "ok"))
		return EUM_HOST_HTTPS_STATUS_OK;
	if (ieq(v, n, "unknown-application"))
		return EUM_HOST_HTTPS_STATUS_UNKNOWN_APPLICATION;
	if (ieq(v, n, "not-a-security-domain"))
		return EUM_HOST_HTTPS_STATUS_NOT_A_SECURITY_DOMAIN;
	if (ieq(v, n, "security-error"))
		return EUM_HOST_HTTPS_STATUS_SECURITY_ERROR;
	return EUM_HOST_HTTPS_STATUS_OTHER;
}

/* One header line into the report; returns 0 on a malformed or oversized header. */
static int header(struct eum_host_https_report *r, const char *line, size_t n, int *chunked, long *clen)
{
	const char *colon = memchr(line, ':', n), *v;
	size_t nl, vl;

	if (!colon || colon == line)
		return 0;
	nl = (size_t)(colon - line);
	v = colon + 1;
	vl = n - nl - 1;
	trim(&v, &vl);
	if (ieq(line, nl, "X-Admin-Protocol")) {
		r->admin_protocol = ieq(v, vl, ADMIN_PROTOCOL);
	} else if (ieq(line, nl, "X-Admin-From")) {
		return copy_text(r->from, sizeof(r->from), v, vl, 1);
	} else if (ieq(line, nl, "Host")) {
		return copy_text(r->host, sizeof(r->host), v, vl, 1);
	} else if (ieq(line, nl, "X-Admin-Script-Status")) {
		r->status = status_of(v, vl);
		copy_text(r->status_text, sizeof(r->status_text), v, vl, 0);
	} else if (ieq(line, nl, "X-Admin-Resume")) {
		r->resume = ieq(v, vl, "true");
	} else if (ieq(line, nl, "Content-Type")) {
		copy_text(r->content_type, sizeof(r->content_type), v, vl, 0);
	} else if (ieq(line, nl, "Transfer-Encoding")) {
		*chunked = icontains(v, vl, "chunked");
	} else if (ieq(line, nl, "Content-Length")) {
		size_t i;
		long x = 0;
		if (!vl)
			return 0;
		for (i = 0; i < vl; i++) {
			if (v[i] < '0' || v[i] > '9' || x > EUM_HOST_HTTPS_BODY_MAX)
				return 0;
			x = x * 10 + (v[i] - '0');
		}
		*clen = x;
	}
	return 1;
}

/* De-chunk from p[0..n): body into out; *used receives the bytes taken. EUM_HOST_HTTPS_MORE, EUM_OK or EUM_ERR_PARSE.
 */
static int dechunk(const char *p, size_t n, uint8_t *out, size_t *out_len, size_t *used)
{
	size_t off = 0, blen = 0;

	for (;;) {
		const char *eol = find_crlf(p + off, n - off);
		size_t size = 0, i, ll;

		if (!eol)
			return n - off > CHUNK_LINE_MAX ? EUM_ERR_PARSE : EUM_HOST_HTTPS_MORE;
		ll = (size_t)(eol - (p + off));
		if (ll == 0 || ll > CHUNK_LINE_MAX)
			return EUM_ERR_PARSE;
		for (i = 0; i < ll && p[off + i] != ';' && p[off + i] != ' ' && p[off + i] != '\t'; i++) {
			int c = lower((unsigned char)p[off + i]);
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (d < 0 || size > EUM_HOST_HTTPS_BODY_MAX)
				return EUM_ERR_PARSE;
			size = size * 16 + (size_t)d;
		}
		if (i == 0)
			return EUM_ERR_PARSE;
		off += ll + 2;
		if (size == 0) {
			/* trailers (ignored) up to the empty line */
			for (;;) {
				eol = find_crlf(p + off, n - off);
				if (!eol)
					return n - off > EUM_HOST_HTTPS_HEAD_MAX ? EUM_ERR_PARSE : EUM_HOST_HTTPS_MORE;
				ll = (size_t)(eol - (p + off));
				off += ll + 2;
				if (ll == 0) {
					*out_len = blen;
					*used = off;
					return EUM_OK;
				}
			}
		}
		if (size > EUM_HOST_HTTPS_BODY_MAX - blen)
			return EUM_ERR_PARSE;
		if (n - off < size + 2)
			return EUM_HOST_HTTPS_MORE;
		if (p[off + size] != '\r' || p[off + size + 1] != '\n')
			return EUM_ERR_PARSE;
		memcpy(out + blen, p + off, size);
		blen += size;
		off += size + 2;
	}
}

int eum_host_https_parse_request(const uint8_t *in, size_t n, struct eum_host_https_report *r, uint8_t *body,
                                 size_t *consumed)
{
	const char *p = (const char *)in, *end, *line, *sp1, *sp2;
	size_t hlen, ll, used = 0, blen = 0;
	int chunked = 0, rc;
	long clen = -1;

	end = NULL;
	for (hlen = 0; hlen + 3 < n && hlen + 4 <= EUM_HOST_HTTPS_HEAD_MAX; hlen++)
		if (!memcmp(p + hlen, "\r\n\r\n", 4)) {
			end = p + hlen;
			break;
		}
	if (!end)
		return n >= EUM_HOST_HTTPS_HEAD_MAX ? EUM_ERR_PARSE : EUM_HOST_HTTPS_MORE;
	memset(r, 0, sizeof(*r));
	/* request line: POST SP request-target SP HTTP/1.1 */
	line = p;
	ll = (size_t)(find_crlf(line, (size_t)(end - line) + 2) - line);
	sp1 = memchr(line, ' ', ll);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', ll - (size_t)(sp1 + 1 - line)) : NULL;
	if (!sp1 || !sp2 || sp1 - line != 4 || memcmp(line, "POST", 4) != 0 || sp2 == sp1 + 1 ||
	    (size_t)(line + ll - (sp2 + 1)) != 8 || memcmp(sp2 + 1, "HTTP/1.1", 8) != 0)
		return EUM_ERR_PARSE;
	if (!copy_text(r->uri, sizeof(r->uri), sp1 + 1, (size_t)(sp2 - sp1 - 1), 1))
		return EUM_ERR_PARSE;
	line += ll + 2;
	while (line < end + 2) {
		ll = (size_t)(find_crlf(line, (size_t)(end + 2 - line)) - line);
		if (!header(r, line, ll, &chunked, &clen))
			return EUM_ERR_PARSE;
		line += ll + 2;
	}
	hlen += 4;
	if (chunked) {
		rc = dechunk(p + hlen, n - hlen, body, &blen, &used);
		if (rc != EUM_OK)
			return rc;
		r->chunked = 1;
	} else if (clen > 0) {
		if (clen > EUM_HOST_HTTPS_BODY_MAX)
			return EUM_ERR_PARSE;
		if (n - hlen < (size_t)clen)
			return EUM_HOST_HTTPS_MORE;
		memcpy(body, p + hlen, (size_t)clen);
		used = blen = (size_t)clen;
	}
	r->body_len = blen;
	*consumed = hlen + used;
	return EUM_OK;
}

static const char hexd[] = "0123456789ABCDEF";

static void hex(const uint8_t *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexd[d[i] >> 4];
		out[2 * i + 1] = hexd[d[i] & 15];
	}
}

int eum_host_https_sgp02_identity(const uint8_t eid[16], const uint8_t *isdr_aid, size_t aid_len, uint8_t kid,
                                  uint8_t kvn, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t t[3 + 18 + 18 + 3 + 3];
	size_t n = 0;

	if (!eid || !isdr_aid || aid_len < 5 || aid_len > 16 || !out || !len)
		return EUM_ERR_INVALID_ARG;
	/* SGP.02 v4.1 Table 4 (digest §3.3): 80 01 02 | 81 10 EID | 4F L AID | 82 01 KID | 83 01 KVN */
	t[n++] = 0x80;
	t[n++] = 0x01;
	t[n++] = 0x02;
	t[n++] = 0x81;
	t[n++] = 0x10;
	memcpy(t + n, eid, 16);
	n += 16;
	t[n++] = 0x4F;
	t[n++] = (uint8_t)aid_len;
	memcpy(t + n, isdr_aid, aid_len);
	n += aid_len;
	t[n++] = 0x82;
	t[n++] = 0x01;
	t[n++] = kid;
	t[n++] = 0x83;
	t[n++] = 0x01;
	t[n++] = kvn;
	if (cap < 2 * n)
		return EUM_ERR_BUFFER_TOO_SMALL;
	hex(t, n, (char *)out);
	if (cap > 2 * n)
		out[2 * n] = '\0';
	*len = 2 * n;
	return EUM_OK;
}

int eum_host_https_aid_uri(const uint8_t *aid, size_t aid_len, char *out, size_t cap)
{
	size_t n;

	if (!aid || aid_len < 5 || aid_len > 16 || !out)
		return EUM_ERR_INVALID_ARG;
	if (cap < 2 * aid_len + 8)
		return EUM_ERR_BUFFER_TOO_SMALL;
	/* GP Amd B (digest §4.2, §5.2): //aid/<RID>/<PIX> */
	memcpy(out, "//aid/", 6);
	hex(aid, 5, out + 6);
	out[16] = '/';
	hex(aid + 5, aid_len - 5, out + 17);
	n = 17 + 2 * (aid_len - 5);
	out[n] = '\0';
	return EUM_OK;
}
