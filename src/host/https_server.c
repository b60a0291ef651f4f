/*
 * libeum-host: the SM-SR's HTTPS administration server for one card connection (GlobalPlatform Amendment B
 * HTTP administration as SGP.02 uses it; spec digest scp81-https.md §3.3, §4, §5): the server side of the
 * HTTP/1.1 POST loop over a PSK-TLS 1.2 server (tls_host.h) or over plain bytes, a script queue, and the
 * card's answers handed out in order. Shares no code with the card's client (src/ota/http_admin.c).
 */
#include "eum/host/https.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_crypto.h"
#include "https_request.h"
#include "tls_host.h"

#define ADMIN_PROTOCOL  "globalplatform-remote-admin/1.0"
#define CT_SCRIPT       "application/vnd.globalplatform.card-content-mgt;version=1.0"
#define RX_MAX          (EUM_HOST_HTTPS_HEAD_MAX + 2 * EUM_HOST_HTTPS_BODY_MAX + 2048)
#define RSP_MAX         (1024 + EUM_HOST_HTTPS_SCRIPT_MAX) /* one answer: head + body + chunk framing */
#define TX_MAX          (2 * RSP_MAX)
#define QUEUE_BYTES_DEF (64 * 1024)

struct qent {
	size_t off, len;
	unsigned id, flags;
	uint8_t aid[16];
	size_t aid_len;
};

struct slot {
	struct eum_host_https_report r;
	uint8_t body[EUM_HOST_HTTPS_BODY_MAX];
};

struct psk_entry {
	uint8_t id[EUM_HOST_HTTPS_PSK_ID_MAX];
	size_t id_len;
	uint8_t psk[EUM_HOST_HTTPS_PSK_MAX];
	size_t psk_len;
};

struct eum_host_https {
	struct eum_host_https_config cfg; /* pointers in it are cleared: everything is copied below */
	struct psk_entry psks[EUM_HOST_HTTPS_PSKS_MAX];
	size_t n_psks;
	uint16_t suites[8];
	eum_host_tls *tls; /* NULL in plaintext mode; owned, freed with the session */
	char prefix[64];
	enum eum_host_https_state state;
	char err[128];
	/* input: plaintext HTTP not parsed yet */
	uint8_t rx[RX_MAX];
	size_t rx_len;
	/* output: plaintext mode bytes not taken yet */
	uint8_t tx[TX_MAX];
	size_t tx_off, tx_len;
	/* the request being answered */
	int have_req, req_reported;
	struct slot req;
	/* the last 200 sent, for X-Admin-Resume */
	uint8_t last[RSP_MAX];
	size_t last_len;
	unsigned outstanding; /* id of the script sent and not answered yet */
	/* queue */
	uint8_t *qbuf;
	size_t qcap, qused;
	struct qent q[EUM_HOST_HTTPS_QUEUE_MAX];
	size_t nq;
	unsigned next_id;
	int finishing, final_queued;
	/* reports */
	struct slot rep[EUM_HOST_HTTPS_REPORTS_MAX];
	size_t rep_head, rep_count;
	int rep_taken;
	/* counters */
	unsigned posts, answers, uris;
	/* test knobs */
	unsigned faults, fault_at;
	size_t truncate_at;
};

/* ---- small text helpers ------------------------------------------------------------------------------- */

static void set_err2(eum_host_https *s, const char *msg, const char *detail)
{
	if (!s->err[0])
		snprintf(s->err, sizeof(s->err), "%s%s", msg, detail);
}

static void set_err(eum_host_https *s, const char *msg)
{
	set_err2(s, msg, "");
}

/* ---- transport seam: PSK-TLS server (tls_host.h) or plain bytes ------------------------------------- */

/* Digest §3.3: the PSK of the identity the card sends, from the copied table first, then the callback. */
static int psk_lookup(void *ctx, const uint8_t *identity, size_t id_len, uint8_t *psk, size_t cap, size_t *psk_len)
{
	eum_host_https *s = ctx;
	size_t i;

	for (i = 0; i < s->n_psks; i++)
		if (s->psks[i].id_len == id_len && memcmp(s->psks[i].id, identity, id_len) == 0) {
			if (s->psks[i].psk_len > cap)
				return -1;
			memcpy(psk, s->psks[i].psk, s->psks[i].psk_len);
			*psk_len = s->psks[i].psk_len;
			return 0;
		}
	if (s->cfg.psk_fn)
		return s->cfg.psk_fn(s->cfg.psk_ctx, identity, id_len, psk, cap, psk_len);
	return -1;
}

static int tls_start(eum_host_https *s)
{
	struct eum_host_tls_config tc;

	memset(&tc, 0, sizeof(tc));
	tc.psk = psk_lookup;
	tc.psk_ctx = s;
	tc.suites = s->cfg.n_suites ? s->suites : NULL;
	tc.n_suites = s->cfg.n_suites;
	tc.rng = s->cfg.rng;
	tc.rng_ctx = s->cfg.rng_ctx;
	s->state = EUM_HOST_HTTPS_HANDSHAKE;
	return eum_host_tls_server_new(&s->tls, &tc);
}

static int tx_put(eum_host_https *s, const uint8_t *d, size_t n)
{
	if (s->tx_off) {
		memmove(s->tx, s->tx + s->tx_off, s->tx_len - s->tx_off);
		s->tx_len -= s->tx_off;
		s->tx_off = 0;
	}
	if (n > sizeof(s->tx) - s->tx_len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(s->tx + s->tx_len, d, n);
	s->tx_len += n;
	return EUM_OK;
}

/* Send HTTP bytes to the card. */
static int tr_write(eum_host_https *s, const uint8_t *d, size_t n)
{
	return s->tls ? eum_host_tls_write(s->tls, d, n) : tx_put(s, d, n);
}

/* The server ends the connection after its last answer (digest §3.2: close_notify after the final 204). */
static void tr_close(eum_host_https *s)
{
	if (s->tls)
		eum_host_tls_close_notify(s->tls);
	s->state = EUM_HOST_HTTPS_CLOSING;
}

static void fail(eum_host_https *s, const char *msg)
{
	set_err(s, msg);
	s->state = EUM_HOST_HTTPS_FAILED;
}

/* ---- answers (digest §4.2) --------------------------------------------------------------------------- */

struct w {
	uint8_t *p;
	size_t cap, len;
	int over;
};

static void w_put(struct w *w, const void *d, size_t n)
{
	if (n > w->cap - w->len) {
		w->over = 1;
		return;
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void w_str(struct w *w, const char *t)
{
	w_put(w, t, strlen(t));
}

static void w_hdr(struct w *w, const char *name, const char *value)
{
	w_str(w, name);
	w_str(w, ": ");
	w_str(w, value);
	w_str(w, "\r\n");
}

static void w_next_uri(eum_host_https *s, struct w *w)
{
	char uri[96];

	snprintf(uri, sizeof(uri), "%s%u", s->prefix, ++s->uris);
	w_hdr(w, "X-Admin-Next-URI", uri);
}

/* 200 with the script at the head of the queue. */
static int build_200(eum_host_https *s, const struct qent *e, int no_proto, uint8_t *out, size_t cap, size_t *len)
{
	struct w w = {out, cap, 0, 0};
	char tmp[48];

	w_str(&w, "HTTP/1.1 200 OK\r\n");
	if (!no_proto)
		w_hdr(&w, "X-Admin-Protocol", ADMIN_PROTOCOL);
	if (!(e->flags & EUM_HOST_HTTPS_SCRIPT_FINAL))
		w_next_uri(s, &w);
	if (e->aid_len) {
		char t[48];
		eum_host_https_aid_uri(e->aid, e->aid_len, t, sizeof(t));
		w_hdr(&w, "X-Admin-Targeted-Application", t);
	}
	w_hdr(&w, "Content-Type", CT_SCRIPT);
	if (s->cfg.framing == EUM_HOST_HTTPS_CONTENT_LENGTH) {
		snprintf(tmp, sizeof(tmp), "%zu", e->len);
		w_hdr(&w, "Content-Length", tmp);
		w_str(&w, "\r\n");
		w_put(&w, s->qbuf + e->off, e->len);
	} else {
		w_hdr(&w, "Transfer-Encoding", "chunked");
		snprintf(tmp, sizeof(tmp), "\r\n%zX\r\n", e->len);
		w_str(&w, tmp);
		w_put(&w, s->qbuf + e->off, e->len);
		w_str(&w, "\r\n0\r\n\r\n");
	}
	*len = w.len;
	return w.over ? EUM_ERR_BUFFER_TOO_SMALL : EUM_OK;
}

/* 204, with a Next-URI when the session goes on. */
static void build_204(eum_host_https *s, int next, int no_proto, uint8_t *out, size_t cap, size_t *len)
{
	struct w w = {out, cap, 0, 0};

	w_str(&w, "HTTP/1.1 204 No Content\r\n");
	if (!no_proto)
		w_hdr(&w, "X-Admin-Protocol", ADMIN_PROTOCOL);
	if (next)
		w_next_uri(s, &w);
	w_str(&w, "\r\n");
	*len = w.len;
}

static void build_status(const char *status_line, const char *body, int no_proto, uint8_t *out, size_t cap, size_t *len)
{
	struct w w = {out, cap, 0, 0};
	char tmp[32];

	w_str(&w, status_line);
	if (!no_proto)
		w_hdr(&w, "X-Admin-Protocol", ADMIN_PROTOCOL);
	snprintf(tmp, sizeof(tmp), "%zu", strlen(body));
	w_hdr(&w, "Content-Length", tmp);
	w_str(&w, "\r\n");
	w_str(&w, body);
	*len = w.len;
}

/* Send one answer, spoiled by the truncate knob when armed; `end`: the connection ends after it. */
static void send_answer(eum_host_https *s, const uint8_t *d, size_t n, unsigned faults, int end)
{
	if (faults & EUM_HOST_HTTPS_FAULT_TRUNCATE) {
		size_t keep = s->truncate_at ? s->truncate_at : n / 2;
		n = keep < n ? keep : n;
		end = 1;
		set_err(s, "answer truncated on purpose (test knob)");
	}
	if (tr_write(s, d, n) != EUM_OK) {
		fail(s, "output buffer full");
		return;
	}
	if (end)
		tr_close(s);
}

static void queue_pop(eum_host_https *s)
{
	size_t len = s->q[0].len, i;

	memmove(s->qbuf, s->qbuf + len, s->qused - len);
	s->qused -= len;
	for (i = 1; i < s->nq; i++) {
		s->q[i - 1] = s->q[i];
		s->q[i - 1].off -= len;
	}
	s->nq--;
}

/* Answer the pending request; 0 when it must wait (IDLE_HOLD). */
static int answer(eum_host_https *s, int resend)
{
	unsigned n = s->answers + 1, faults = 0;
	uint8_t buf[1024];
	size_t len;
	int np, idle_end = s->finishing || s->cfg.idle == EUM_HOST_HTTPS_IDLE_END;

	if (!resend && !s->nq && !idle_end && s->cfg.idle == EUM_HOST_HTTPS_IDLE_HOLD)
		return 0;
	if (s->faults && (s->fault_at == 0 || s->fault_at == n)) {
		faults = s->faults;
		s->faults = 0;
	}
	np = (faults & EUM_HOST_HTTPS_FAULT_NO_ADMIN_PROTOCOL) != 0;
	s->answers = n;
	if (faults & EUM_HOST_HTTPS_FAULT_500) {
		build_status("HTTP/1.1 500 Internal Server Error\r\n", "error", np, buf, sizeof(buf), &len);
		set_err(s, "500 sent on purpose (test knob)");
		send_answer(s, buf, len, faults, 1);
	} else if (resend) {
		send_answer(s, s->last, s->last_len, faults, 0);
	} else if (s->nq) {
		struct qent e = s->q[0];
		if (build_200(s, &e, np, s->last, sizeof(s->last), &s->last_len) != EUM_OK) {
			fail(s, "answer too large");
			return 1;
		}
		queue_pop(s);
		s->outstanding = e.flags & EUM_HOST_HTTPS_SCRIPT_FINAL ? 0 : e.id;
		send_answer(s, s->last, s->last_len, faults, (e.flags & EUM_HOST_HTTPS_SCRIPT_FINAL) != 0);
	} else {
		build_204(s, !idle_end, np, buf, sizeof(buf), &len);
		send_answer(s, buf, len, faults, idle_end);
	}
	return 1;
}

static void fail_400(eum_host_https *s)
{
	uint8_t buf[256];
	size_t len;

	build_status("HTTP/1.1 400 Bad Request\r\n", "", 0, buf, sizeof(buf), &len);
	tr_write(s, buf, len);
	tr_close(s);
	s->state = EUM_HOST_HTTPS_FAILED;
	set_err(s, "malformed request from the card (400 sent)");
}

/* Run the HTTP dialogue as far as the bytes received and the queue allow. */
static int pump(eum_host_https *s)
{
	while (s->state == EUM_HOST_HTTPS_OPEN) {
		int resend;

		if (!s->have_req) {
			size_t used = 0;
			int rc = eum_host_https_parse_request(s->rx, s->rx_len, &s->req.r, s->req.body, &used);
			if (rc == EUM_HOST_HTTPS_MORE)
				return EUM_OK;
			if (rc != EUM_OK) {
				fail_400(s);
				return EUM_ERR_PARSE;
			}
			memmove(s->rx, s->rx + used, s->rx_len - used);
			s->rx_len -= used;
			s->have_req = 1;
			s->req_reported = 0;
		}
		resend = s->req.r.resume && s->req.r.body_len == 0 && s->outstanding != 0;
		if (!s->req_reported) {
			struct slot *sl;
			if (s->rep_count == EUM_HOST_HTTPS_REPORTS_MAX)
				return EUM_OK; /* the caller polls first */
			sl = &s->rep[(s->rep_head + s->rep_count) % EUM_HOST_HTTPS_REPORTS_MAX];
			s->req.r.post = ++s->posts;
			s->req.r.script_id = s->outstanding;
			s->req.r.resent = resend;
			sl->r = s->req.r;
			memcpy(sl->body, s->req.body, s->req.r.body_len);
			s->rep_count++;
			s->req_reported = 1;
			if (!resend)
				s->outstanding = 0;
		}
		if (!answer(s, resend))
			return EUM_OK;
		s->have_req = 0;
	}
	return EUM_OK;
}

/* Move what TLS deciphered into rx and run the dialogue; again while rx was full and the dialogue took some. */
static int drive(eum_host_https *s)
{
	for (;;) {
		int rc, full = 0, closed = 0;

		while (s->tls && s->state == EUM_HOST_HTTPS_OPEN && s->rx_len < sizeof(s->rx)) {
			size_t n = 0;
			rc = eum_host_tls_read(s->tls, s->rx + s->rx_len, sizeof(s->rx) - s->rx_len, &n);
			if (rc == EUM_OK) {
				s->rx_len += n;
				continue;
			}
			if (rc == EUM_HOST_TLS_CLOSED)
				closed = 1;
			else if (rc != EUM_HOST_TLS_AGAIN) {
				set_err2(s, "TLS: ", eum_host_tls_error(s->tls));
				s->state = EUM_HOST_HTTPS_FAILED;
				return EUM_ERR_CRYPTO;
			}
			break;
		}
		full = s->rx_len == sizeof(s->rx);
		rc = pump(s);
		if (closed && s->state == EUM_HOST_HTTPS_OPEN)
			fail(s, "the card closed the TLS session (close_notify) before its end");
		if (rc != EUM_OK || !full || s->rx_len == sizeof(s->rx))
			return rc;
	}
}

/* ---- public API ------------------------------------------------------------------------------------- */

void eum_host_https_config_init(struct eum_host_https_config *cfg)
{
	if (!cfg)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->framing = EUM_HOST_HTTPS_CHUNKED;
	cfg->idle = EUM_HOST_HTTPS_IDLE_HOLD;
}

int eum_host_https_new(eum_host_https **out, const struct eum_host_https_config *cfg)
{
	eum_host_https *s;
	size_t i;

	if (!out || !cfg || cfg->n_psks > EUM_HOST_HTTPS_PSKS_MAX || (cfg->n_psks && !cfg->psks) ||
	    (unsigned)cfg->framing >= EUM_HOST_HTTPS_FRAMING_NUM || (unsigned)cfg->idle >= EUM_HOST_HTTPS_IDLE_NUM ||
	    (cfg->next_uri_prefix && strlen(cfg->next_uri_prefix) >= 64))
		return EUM_ERR_INVALID_ARG;
	for (i = 0; i < cfg->n_psks; i++)
		if (!cfg->psks[i].identity || !cfg->psks[i].identity_len ||
		    cfg->psks[i].identity_len > EUM_HOST_HTTPS_PSK_ID_MAX || !cfg->psks[i].psk ||
		    !cfg->psks[i].psk_len || cfg->psks[i].psk_len > EUM_HOST_HTTPS_PSK_MAX)
			return EUM_ERR_INVALID_ARG;
	if (cfg->n_suites > 8 || (cfg->n_suites && !cfg->suites))
		return EUM_ERR_INVALID_ARG;
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return EUM_ERR_NO_MEMORY;
	s->cfg = *cfg;
	s->cfg.psks = NULL;
	s->cfg.suites = NULL;
	s->cfg.next_uri_prefix = NULL;
	for (i = 0; i < cfg->n_psks; i++) {
		memcpy(s->psks[i].id, cfg->psks[i].identity, cfg->psks[i].identity_len);
		s->psks[i].id_len = cfg->psks[i].identity_len;
		memcpy(s->psks[i].psk, cfg->psks[i].psk, cfg->psks[i].psk_len);
		s->psks[i].psk_len = cfg->psks[i].psk_len;
	}
	s->n_psks = cfg->n_psks;
	for (i = 0; i < cfg->n_suites; i++)
		s->suites[i] = cfg->suites[i];
	snprintf(s->prefix, sizeof(s->prefix), "%s", cfg->next_uri_prefix ? cfg->next_uri_prefix : "/smsr/");
	s->qcap = cfg->queue_bytes ? cfg->queue_bytes : QUEUE_BYTES_DEF;
	s->qbuf = malloc(s->qcap); /* owned by the session, freed by eum_host_https_free() */
	if (!s->qbuf) {
		free(s);
		return EUM_ERR_NO_MEMORY;
	}
	s->state = EUM_HOST_HTTPS_OPEN;
	if (!cfg->plaintext) {
		int rc = tls_start(s);
		if (rc != EUM_OK) {
			eum_host_https_free(s);
			return rc;
		}
	}
	*out = s;
	return EUM_OK;
}

void eum_host_https_free(eum_host_https *s)
{
	if (!s)
		return;
	eum_host_tls_free(s->tls);
	if (s->qbuf) {
		eum_host_wipe(s->qbuf, s->qcap);
		free(s->qbuf);
	}
	eum_host_wipe(s, sizeof(*s));
	free(s);
}

enum eum_host_https_state eum_host_https_state(const eum_host_https *s)
{
	if (!s)
		return EUM_HOST_HTTPS_FAILED;
	if (s->state == EUM_HOST_HTTPS_CLOSING && eum_host_https_output_pending(s) == 0)
		return EUM_HOST_HTTPS_DONE;
	return s->state;
}

const char *eum_host_https_error(const eum_host_https *s)
{
	return s ? s->err : "no session";
}

int eum_host_https_input(eum_host_https *s, const uint8_t *data, size_t len)
{
	if (!s || (!data && len))
		return EUM_ERR_INVALID_ARG;
	if (s->state == EUM_HOST_HTTPS_FAILED)
		return EUM_ERR_STATE;
	if (s->state >= EUM_HOST_HTTPS_CLOSING) {
		/* after the end (e.g. the card's close_notify): nothing more to do */
		if (s->tls && len)
			eum_host_tls_input(s->tls, data, len);
		return EUM_OK;
	}
	if (s->tls) {
		int rc = eum_host_tls_input(s->tls, data, len);
		if (rc != EUM_OK) {
			fail(s, "TLS: more input than one record waiting");
			return rc;
		}
		if (s->state == EUM_HOST_HTTPS_HANDSHAKE) {
			rc = eum_host_tls_handshake(s->tls);
			if (rc == EUM_HOST_TLS_AGAIN)
				return EUM_OK;
			if (rc != EUM_OK) {
				set_err2(s, "TLS handshake: ", eum_host_tls_error(s->tls));
				s->state = EUM_HOST_HTTPS_FAILED;
				return EUM_ERR_CRYPTO;
			}
			s->state = EUM_HOST_HTTPS_OPEN;
		}
		return drive(s);
	}
	if (len > sizeof(s->rx) - s->rx_len) {
		fail_400(s);
		return EUM_ERR_PARSE;
	}
	if (len)
		memcpy(s->rx + s->rx_len, data, len);
	s->rx_len += len;
	return drive(s);
}

void eum_host_https_eof(eum_host_https *s)
{
	if (!s)
		return;
	if (s->state == EUM_HOST_HTTPS_OPEN || s->state == EUM_HOST_HTTPS_HANDSHAKE)
		fail(s, "the card closed the connection before the end of the session");
}

size_t eum_host_https_output(eum_host_https *s, uint8_t *buf, size_t cap)
{
	size_t n;

	if (!s || !buf)
		return 0;
	if (s->tls) {
		n = eum_host_tls_output(s->tls, buf, cap);
		if (s->state == EUM_HOST_HTTPS_CLOSING && eum_host_tls_output_pending(s->tls) == 0)
			s->state = EUM_HOST_HTTPS_DONE;
		return n;
	}
	n = s->tx_len - s->tx_off;
	if (n > cap)
		n = cap;
	memcpy(buf, s->tx + s->tx_off, n);
	s->tx_off += n;
	if (s->tx_off == s->tx_len)
		s->tx_off = s->tx_len = 0;
	if (s->state == EUM_HOST_HTTPS_CLOSING && s->tx_len == 0)
		s->state = EUM_HOST_HTTPS_DONE;
	return n;
}

size_t eum_host_https_output_pending(const eum_host_https *s)
{
	if (!s)
		return 0;
	return s->tls ? eum_host_tls_output_pending(s->tls) : s->tx_len - s->tx_off;
}

int eum_host_https_queue(eum_host_https *s, const uint8_t *script, size_t len, const uint8_t *target_aid,
                         size_t aid_len, unsigned flags, unsigned *id)
{
	struct qent *e;

	if (!s || !script || !len || len > EUM_HOST_HTTPS_SCRIPT_MAX || (target_aid && (aid_len < 5 || aid_len > 16)) ||
	    (flags & ~EUM_HOST_HTTPS_SCRIPT_FINAL))
		return EUM_ERR_INVALID_ARG;
	if (s->finishing || s->final_queued || s->state >= EUM_HOST_HTTPS_CLOSING)
		return EUM_ERR_STATE;
	if (s->nq == EUM_HOST_HTTPS_QUEUE_MAX || len > s->qcap - s->qused)
		return EUM_ERR_BUFFER_TOO_SMALL;
	e = &s->q[s->nq++];
	memset(e, 0, sizeof(*e));
	e->off = s->qused;
	e->len = len;
	e->id = ++s->next_id;
	e->flags = flags;
	if (target_aid) {
		memcpy(e->aid, target_aid, aid_len);
		e->aid_len = aid_len;
	}
	memcpy(s->qbuf + s->qused, script, len);
	s->qused += len;
	if (flags & EUM_HOST_HTTPS_SCRIPT_FINAL)
		s->final_queued = 1;
	if (id)
		*id = e->id;
	drive(s); /* a waiting POST is answered now */
	return EUM_OK;
}

size_t eum_host_https_queued(const eum_host_https *s)
{
	return s ? s->nq : 0;
}

int eum_host_https_finish(eum_host_https *s)
{
	if (!s)
		return EUM_ERR_INVALID_ARG;
	s->finishing = 1;
	drive(s);
	return EUM_OK;
}

int eum_host_https_poll(eum_host_https *s, struct eum_host_https_report *out)
{
	struct slot *sl;

	if (!s || !out)
		return EUM_ERR_INVALID_ARG;
	if (s->rep_taken) {
		s->rep_head = (s->rep_head + 1) % EUM_HOST_HTTPS_REPORTS_MAX;
		s->rep_count--;
		s->rep_taken = 0;
		drive(s); /* a POST may have waited for room */
	}
	if (!s->rep_count)
		return EUM_ERR_NOT_FOUND;
	sl = &s->rep[s->rep_head];
	*out = sl->r;
	out->body = sl->body;
	s->rep_taken = 1;
	return EUM_OK;
}

int eum_host_https_reconnect(eum_host_https *s)
{
	if (!s)
		return EUM_ERR_INVALID_ARG;
	s->rx_len = 0;
	s->tx_off = s->tx_len = 0;
	s->have_req = s->req_reported = 0;
	s->err[0] = '\0';
	s->state = EUM_HOST_HTTPS_OPEN;
	if (!s->cfg.plaintext) {
		int rc;
		eum_host_tls_free(s->tls);
		s->tls = NULL;
		rc = tls_start(s);
		if (rc != EUM_OK) {
			eum_host_tls_free(s->tls);
			s->tls = NULL;
			fail(s, "TLS set-up failed");
		}
		return rc;
	}
	return EUM_OK;
}

uint16_t eum_host_https_suite(const eum_host_https *s)
{
	return s && s->tls && s->state != EUM_HOST_HTTPS_HANDSHAKE ? eum_host_tls_suite(s->tls) : 0;
}

const uint8_t *eum_host_https_peer_identity(const eum_host_https *s, size_t *len)
{
	const uint8_t *id = s && s->tls ? eum_host_tls_peer_identity(s->tls, len) : NULL;

	if (!id && len)
		*len = 0;
	return id;
}

int eum_host_https_inject(eum_host_https *s, unsigned faults, unsigned answer_no, size_t truncate_at)
{
	if (!s || (faults & ~(EUM_HOST_HTTPS_FAULT_NO_ADMIN_PROTOCOL | EUM_HOST_HTTPS_FAULT_500 |
	                      EUM_HOST_HTTPS_FAULT_TRUNCATE)))
		return EUM_ERR_INVALID_ARG;
	s->faults = faults;
	s->fault_at = answer_no;
	s->truncate_at = truncate_at;
	return EUM_OK;
}
