/*
 * SCP81 administration agent of the ISD-R, card side: GlobalPlatform Card Specification Amendment B
 * (remote application management over HTTP, PSK-TLS) as SGP.02 §2.4 / §4 uses it for ES5 and ES8,
 * over ETSI TS 102 223 BIP. Spec digest scp81-https.md §1 (trigger), §3 (TLS), §4 (HTTP), §5
 * (targets); team design notes https-design.md.
 *
 * One session:
 *   push (ota.c) -> eum_scp81_trigger -> [end of APDU] merge with the ISD-R defaults, BIP check, PSK,
 *   eum_bip_open -> OPENED -> TLS handshake over SEND/RECEIVE DATA -> POST (no body) -> response:
 *     200 + script: run it (shared engine) on the ISD-R / targeted ISD-P, POST the AF response to
 *                   X-Admin-Next-URI with X-Admin-Script-Status (without Next-URI: session over);
 *     204 + Next-URI: POST again without body; 204 alone: session over;
 *   session over -> close_notify -> CLOSE CHANNEL -> CLOSED.
 *
 * Choices ([IMPL] unless the digest says otherwise):
 *  - Trigger while a session runs (digest §1.5.2): kept as the one pending trigger, started when the
 *    running session has ended (its CLOSE CHANNEL answered); a further trigger meanwhile is refused
 *    with a log line. A trigger while only a retry waits replaces the retry.
 *  - The session starts at the end of the APDU that carried the trigger (EUM_EV_AFTER_APDU, after its
 *    commit and its PoR, digest §1.5.3); if that APDU's commit failed the trigger is dropped.
 *  - Failure of an attempt (no BIP in the TERMINAL PROFILE, no PSK, OPEN CHANNEL refused, TLS
 *    handshake failed, channel closed by the terminal, TLS record error, an HTTP response that is
 *    malformed, not 200/204 or without X-Admin-Protocol): the session ends (alert / close_notify,
 *    CLOSE CHANNEL when a channel exists), a log line names the step, and the trigger's retry policy
 *    (tag 86) applies: another attempt when eum_card_now() >= failure time + delay, at the first APDU
 *    after that, at most `counter` times; exhausted: a log line (with report-failure asked, the same
 *    line at warning level: no report can leave the card without a session). No 86: no retry.
 *  - A session whose APDU's commit failed (6581: the proactive commands it queued were dropped) is
 *    ended at once (CLOSE CHANNEL) without a card-side retry: the SM-SR did not get its response and
 *    retries (design §6).
 *  - X-Admin-Targeted-Application: absent or the ISD-R's AID -> the ISD-R; an existing ISD-P's AID ->
 *    that ISD-P; the AID of an application of the enabled profile's file system (USIM, ISIM: not a
 *    security domain) -> not-a-security-domain; any other AID (ECASD and MNO-SD included: not
 *    reachable through the ISD-R's agent) or a malformed value -> unknown-application. Those POSTs
 *    carry no body (digest §4.1).
 *  - A 200 whose Content-Type is neither GP card-content-mgt nor ETSI command-data is malformed (the
 *    session fails as above); ETSI command data is answered with the ETSI response type.
 *  - A body that is not an expanded script (AA / AE) is answered with the bad format response
 *    AF 80 90 01 01 00 00 without running anything (digest §4.2).
 *  - Reset / power-off: the session, a pending trigger and a pending retry are lost (volatile).
 *  - Host header: 8A, else the dotted IPv4 address of the connection parameters, else none; URI: 8C,
 *    else "/"; X-Admin-From: 8B, else the SGP.02 form from EID and ISD-R AID. PSK identity: 85's,
 *    else the SGP.02 identity (digest §3.3). PSK: the ISD-R's SCP81 key set 85 names, else the first.
 *    The PSK is never logged and wiped after the TLS context copied it.
 */
#include "ota/scp81.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat/bip.h"
#include "crypto/crypto.h"
#include "crypto/tls.h"
#include "fs/fs.h"
#include "gp/gp.h"
#include "ota/http_admin.h"
#include "ota/scp81_params.h"
#include "ota/script.h"
#include "profile/profile.h"
#include "sgp02/es5.h"
#include "util/tlv.h"

enum sess_state {
	S_OPENING,   /* OPEN CHANNEL queued */
	S_HANDSHAKE, /* TLS handshake in progress */
	S_POSTED,    /* a POST went out: waiting for the response */
	S_CLOSING,   /* close_notify + CLOSE CHANNEL queued */
	S_NUM
};

static const char *const state_names[S_NUM] = {"opening", "handshake", "posted", "closing"};

/* One session: exists from eum_bip_open to EUM_BIP_CLOSED. */
struct scp81_session {
	enum sess_state st;
	uint8_t failed;   /* the attempt failed: the retry policy applies when the channel is gone */
	uint8_t no_retry; /* ... but without a card-side retry (failed commit) */
	uint8_t touched;  /* a channel event was handled during the APDU in progress */
	uint8_t fail_st;  /* enum sess_state in which the attempt failed (for the log) */
	eum_tls *tls;
	unsigned posts, scripts;
	char uri[EUM_HTTP_URI_MAX + 1]; /* where the next POST goes */
	char host[EUM_SCP81_TEXT_MAX + 1];
	char from[EUM_SCP81_TEXT_MAX + 1];
	struct eum_http_rsp rsp;
	uint8_t body[EUM_SCP81_BODY_MAX]; /* the response body, then the next POST */
	uint8_t af[EUM_SCP81_RSP_MAX];    /* the script's response */
};

struct eum_scp81 {
	struct eum_scp81_params params; /* the attempt's parameters (trigger merged with the defaults) */
	struct eum_scp81_params queued; /* a trigger that arrived during a session */
	uint8_t start_pending;          /* start a session with params at the end of this APDU */
	uint8_t queued_valid;
	uint8_t trig_this_apdu; /* a trigger was taken during the APDU in progress */
	uint8_t aborted;        /* the APDU in progress failed its commit */
	uint8_t retry_pending;
	uint16_t retries_left;
	uint64_t retry_due;
	/* the failed attempt had POSTed: the retry's first POST goes to the last URI with X-Admin-Resume */
	uint8_t resume;
	char resume_uri[EUM_HTTP_URI_MAX + 1];
	struct scp81_session *s;
};

static const uint16_t suites[] = {EUM_TLS_PSK_AES128_GCM_SHA256, EUM_TLS_PSK_AES128_CBC_SHA256};

static void on_bip(struct eum_card *card, void *ctx, enum eum_bip_event ev, uint8_t result, uint8_t info);
static const struct eum_bip_user bip_user = {on_bip, NULL};

/* ---- state ---------------------------------------------------------------------------------- */

static void session_free(struct eum_scp81 *a)
{
	if (!a->s)
		return;
	if (a->s->tls)
		eum_tls_free(a->s->tls);
	eum_wipe(a->s, sizeof(*a->s));
	free(a->s);
	a->s = NULL;
}

void eum_scp81_free(struct eum_card *card)
{
	if (!card->scp81)
		return;
	session_free(card->scp81);
	eum_wipe(card->scp81, sizeof(*card->scp81));
	free(card->scp81);
	card->scp81 = NULL;
}

int eum_scp81_active(const struct eum_card *card)
{
	return card->scp81 && card->scp81->s;
}

/* Nothing left to do: the state goes. */
static void maybe_free(struct eum_card *card)
{
	struct eum_scp81 *a = card->scp81;

	if (a && !a->s && !a->start_pending && !a->queued_valid && !a->retry_pending)
		eum_scp81_free(card);
}

/* ---- retry policy (trigger tag 86) ------------------------------------------------------------ */

/* The attempt failed: schedule the next one if the policy allows (file comment). */
static void attempt_failed(struct eum_card *card, const char *why)
{
	struct eum_scp81 *a = card->scp81;

	if (a->retries_left) {
		a->retries_left--;
		a->retry_pending = 1;
		a->retry_due = eum_card_now(card) + a->params.retry_delay_s;
		eum_log(card, EUM_LOG_INFO, "SCP81: session failed (%s): retry in %lu s, %u more after it", why,
		        (unsigned long)a->params.retry_delay_s, (unsigned)a->retries_left);
		return;
	}
	a->retry_pending = 0;
	eum_log(card, a->params.report_failure ? EUM_LOG_WARN : EUM_LOG_INFO, "SCP81: session failed (%s)%s", why,
	        a->params.has_retry ? ": retries exhausted" : ", no retry policy");
}

/* The session is over (its channel gone or never opened). */
static void session_end(struct eum_card *card)
{
	struct eum_scp81 *a = card->scp81;
	struct scp81_session *s = a->s;

	if (!s)
		return;
	if (!s->failed)
		eum_log(card, EUM_LOG_INFO, "SCP81: session ended: %u POST(s), %u script(s)", s->posts, s->scripts);
	else if (s->no_retry)
		eum_log(card, EUM_LOG_INFO, "SCP81: session ended after a failed commit, no card retry");
	else
		attempt_failed(card, state_names[s->fail_st]);
	if (!s->failed || s->no_retry || !a->retry_pending) {
		a->resume = 0;
	} else if (s->posts > 0) {
		a->resume = 1; /* lost mid-dialog (a resume not yet sent stays asked for) */
		memcpy(a->resume_uri, s->uri, sizeof(a->resume_uri));
	}
	session_free(a);
	if (a->queued_valid) {
		/* the pending trigger: at the end of this APDU (eum_bip_open is not allowed in a channel event) */
		a->params = a->queued;
		a->queued_valid = 0;
		a->start_pending = 1;
		a->retry_pending = 0;
		a->resume = 0;
		a->retries_left = a->params.has_retry ? a->params.retry_count : 0;
	}
}

/* ---- moving bytes: TLS output -> BIP ---------------------------------------------------------- */

/* Hand what TLS has to send to the channel, as far as the channel's Tx buffer takes it. */
static void flush(struct eum_card *card, struct scp81_session *s)
{
	uint8_t tmp[512];

	while (s->tls && eum_tls_output_pending(s->tls)) {
		size_t room = EUM_BIP_TX_MAX - eum_bip_tx_pending(card), n;
		if (room == 0)
			break;
		n = eum_tls_output(s->tls, tmp, room < sizeof(tmp) ? room : sizeof(tmp));
		if (n == 0)
			break;
		if (eum_bip_send(card, tmp, n) != EUM_OK) {
			eum_log(card, EUM_LOG_INFO, "SCP81: channel refused %zu bytes", n);
			break;
		}
	}
	eum_wipe(tmp, sizeof(tmp));
}

/* End the session: close_notify when TLS is up (and a pending alert), then CLOSE CHANNEL. */
static void session_close(struct eum_card *card, int failed, const char *why)
{
	struct scp81_session *s = card->scp81->s;

	if (failed && !s->failed) {
		s->failed = 1;
		s->fail_st = (uint8_t)s->st;
		eum_log(card, EUM_LOG_INFO, "SCP81: ending the session in state %s: %s", state_names[s->st], why);
	}
	if (s->st == S_CLOSING)
		return;
	if (s->tls && (s->st == S_POSTED))
		eum_tls_close_notify(s->tls); /* RFC 5246 §7.2.1 */
	if (eum_bip_active(card)) {
		flush(card, s);
		s->st = S_CLOSING;
		if (eum_bip_close(card) == EUM_OK) {
			eum_log(card, EUM_LOG_DEBUG, "SCP81: close_notify sent, CLOSE CHANNEL queued");
			return;
		}
	}
	session_end(card);
}

/* ---- HTTP ------------------------------------------------------------------------------------- */

/* GP Amd B §3.3 (digest §4.1): one POST to s->uri, with the script's response or a status. */
static int post(struct eum_card *card, struct scp81_session *s, enum eum_http_script_status status, int etsi,
                const uint8_t *body, size_t body_len, int resume)
{
	struct eum_http_post p;
	size_t len = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	p.uri = s->uri;
	p.host = s->host[0] ? s->host : NULL;
	p.from = s->from;
	p.status = status;
	p.etsi = etsi;
	p.body = body;
	p.body_len = body_len;
	p.resume = resume;
	rc = eum_http_build_post(&p, s->body, sizeof(s->body), &len);
	if (rc == EUM_OK)
		rc = eum_tls_write(s->tls, s->body, len);
	eum_wipe(s->body, sizeof(s->body));
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "SCP81: POST %s could not be sent (%s)", s->uri, eum_strerror(rc));
		return rc;
	}
	s->posts++;
	s->st = S_POSTED;
	eum_http_rsp_init(&s->rsp, s->body, sizeof(s->body));
	eum_log(card, EUM_LOG_INFO, "SCP81: POST %s (%zu bytes of script response)%s", s->uri, body_len,
	        resume ? ", X-Admin-Resume" : "");
	flush(card, s);
	return EUM_OK;
}

/* SGP.02 §2.4 / digest §5.2: where the script of a response runs. Returns the script status. */
static enum eum_http_script_status resolve_target(struct eum_card *card, const struct eum_http_rsp *r,
                                                  struct eum_script_target *t)
{
	uint8_t aid[16];
	size_t aid_len = 0;
	int slot;

	memset(t, 0, sizeof(*t));
	t->kind = EUM_SCRIPT_ISDR;
	t->adf = -1;
	if (!r->has_target)
		return EUM_HTTP_STATUS_OK;
	if (eum_http_parse_aid(r->target, aid, sizeof(aid), &aid_len) != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "SCP81: X-Admin-Targeted-Application malformed");
		return EUM_HTTP_STATUS_UNKNOWN_APPLICATION;
	}
	if (aid_len == sizeof(eum_aid_isdr) && memcmp(aid, eum_aid_isdr, aid_len) == 0)
		return EUM_HTTP_STATUS_OK; /* the ISD-R's AID = absent (digest §4.2) */
	slot = eum_isdp_find(card, aid, aid_len);
	if (slot >= 0) {
		t->kind = EUM_SCRIPT_ISDP;
		t->isdp = (uint8_t)slot;
		return EUM_HTTP_STATUS_OK;
	}
	if (eum_fs_adf_by_aid(&card->prof->fs, aid, aid_len) >= 0) {
		eum_log(card, EUM_LOG_INFO, "SCP81: targeted application is not a security domain");
		return EUM_HTTP_STATUS_NOT_A_SECURITY_DOMAIN;
	}
	eum_log(card, EUM_LOG_INFO, "SCP81: targeted application unknown");
	return EUM_HTTP_STATUS_UNKNOWN_APPLICATION;
}

/* GP Amd B §3.4 (digest §4.2): a complete response from the SM-SR. */
static void on_response(struct eum_card *card, struct scp81_session *s)
{
	static const uint8_t bad_format[] = {0xAF, 0x80, 0x90, 0x01, EUM_RAPDU_BAD_UNKNOWN_TAG, 0x00, 0x00};
	const struct eum_http_rsp *r = &s->rsp;
	struct eum_script_target t;
	struct eum_rapdu_result res;
	enum eum_http_script_status status;
	size_t af_len = 0;
	int etsi, rc;

	if (!r->admin_protocol) {
		session_close(card, 1, "HTTP response without X-Admin-Protocol");
		return;
	}
	if (r->code == 204) {
		if (!r->has_next_uri) {
			eum_log(card, EUM_LOG_INFO,
			        "SCP81: 204 without X-Admin-Next-URI: administration session complete");
			session_close(card, 0, NULL);
			return;
		}
		memcpy(s->uri, r->next_uri, sizeof(s->uri));
		if (post(card, s, EUM_HTTP_STATUS_NONE, 0, NULL, 0, 0) != EUM_OK)
			session_close(card, 1, "POST failed");
		return;
	}
	if (r->code != 200) {
		char why[48];
		snprintf(why, sizeof(why), "HTTP status %u", r->code);
		session_close(card, 1, why);
		return;
	}
	if (r->content != EUM_HTTP_CONTENT_GP && r->content != EUM_HTTP_CONTENT_ETSI) {
		session_close(card, 1, "200 without a script content type");
		return;
	}
	etsi = r->content == EUM_HTTP_CONTENT_ETSI;
	status = resolve_target(card, r, &t);
	if (status == EUM_HTTP_STATUS_OK) {
		if (r->body_len < 2 ||
		    (r->body[0] != EUM_RAPDU_TAG_CMD_SCRIPT && r->body[0] != EUM_RAPDU_TAG_CMD_SCRIPT_INDEF)) {
			eum_log(card, EUM_LOG_INFO, "SCP81: body is not an expanded remote script: bad format");
			memcpy(s->af, bad_format, sizeof(bad_format));
			af_len = sizeof(bad_format);
		} else {
			rc = eum_ota_run_script(card, &t, r->body, r->body_len, s->af, sizeof(s->af), &res);
			if (rc != EUM_OK) {
				eum_log(card, EUM_LOG_INFO, "SCP81: script not run (%s): bad format", eum_strerror(rc));
				memcpy(s->af, bad_format, sizeof(bad_format));
				af_len = sizeof(bad_format);
			} else {
				s->scripts++;
				af_len = res.len;
				eum_log(card, EUM_LOG_INFO, "SCP81: %u command(s) run on the %s, last SW %04X%s",
				        res.executed, t.kind == EUM_SCRIPT_ISDP ? "ISD-P" : "ISD-R", res.last_sw,
				        res.truncated ? " (response cut)" : "");
			}
		}
	}
	if (!r->has_next_uri) {
		eum_log(card, EUM_LOG_INFO, "SCP81: 200 without X-Admin-Next-URI: no report, session complete");
		eum_wipe(s->af, sizeof(s->af));
		session_close(card, 0, NULL);
		return;
	}
	memcpy(s->uri, r->next_uri, sizeof(s->uri));
	rc = post(card, s, status, etsi, status == EUM_HTTP_STATUS_OK ? s->af : NULL,
	          status == EUM_HTTP_STATUS_OK ? af_len : 0, 0);
	eum_wipe(s->af, sizeof(s->af));
	if (rc != EUM_OK)
		session_close(card, 1, "POST failed");
}

/* ---- TLS ---------------------------------------------------------------------------------------- */

/* RFC 5246 §7.3, GP Amd B §2.4 (digest §3, §4.1): the session is established: the first POST, or after
 * a session lost mid-dialog the last one again with X-Admin-Resume (s->uri is that URI then). */
static void established(struct eum_card *card, struct scp81_session *s)
{
	struct eum_scp81 *a = card->scp81;
	int resume = a->resume;

	a->resume = 0;
	eum_log(card, EUM_LOG_INFO, "SCP81: TLS established, suite %04X", eum_tls_suite(s->tls));
	if (post(card, s, EUM_HTTP_STATUS_NONE, 0, NULL, 0, resume) != EUM_OK)
		session_close(card, 1, "first POST failed");
}

/* Drive TLS with what it has: handshake, or application data into the HTTP parser. */
static void drive(struct eum_card *card, struct scp81_session *s)
{
	uint8_t pt[512];
	size_t n, used;
	int rc;

	if (s->st == S_HANDSHAKE) {
		rc = eum_tls_handshake(s->tls);
		if (rc == EUM_TLS_AGAIN) {
			flush(card, s);
			return;
		}
		if (rc != EUM_OK) {
			eum_log(card, EUM_LOG_INFO, "SCP81: TLS handshake failed (%s)", eum_tls_error(s->tls));
			session_close(card, 1, "TLS handshake failed");
			return;
		}
		flush(card, s);
		established(card, s);
	}
	while (card->scp81 && card->scp81->s == s && s->st == S_POSTED) {
		rc = eum_tls_read(s->tls, pt, sizeof(pt), &n);
		if (rc == EUM_TLS_AGAIN)
			break;
		if (rc == EUM_TLS_CLOSED) {
			session_close(card, 1, "server sent close_notify before its response");
			break;
		}
		if (rc != EUM_OK) {
			eum_log(card, EUM_LOG_INFO, "SCP81: TLS record refused (%s)", eum_tls_error(s->tls));
			flush(card, s); /* the alert */
			session_close(card, 1, "TLS record error");
			break;
		}
		rc = eum_http_rsp_feed(&s->rsp, pt, n, &used);
		if (rc == EUM_HTTP_MORE)
			continue;
		if (rc != EUM_OK) {
			session_close(card, 1, "HTTP response malformed");
			break;
		}
		if (used < n)
			eum_log(card, EUM_LOG_INFO, "SCP81: %zu bytes after the HTTP response ignored", n - used);
		on_response(card, s);
	}
	eum_wipe(pt, sizeof(pt));
}

static int card_rng(void *ctx, uint8_t *buf, size_t len)
{
	return eum_card_random(ctx, buf, len) == EUM_OK ? 0 : -1;
}

/* ---- the channel's events ----------------------------------------------------------------------- */

/* TS 102 223 §6.4.27-§6.4.31 / §7.5.10-11: what the BIP channel tells its user. */
static void on_bip(struct eum_card *card, void *ctx, enum eum_bip_event ev, uint8_t result, uint8_t info)
{
	struct eum_scp81 *a = card->scp81;
	struct scp81_session *s = a ? a->s : NULL;
	uint8_t buf[256];
	size_t n;

	(void)ctx;
	if (!s)
		return;
	s->touched = 1;
	switch (ev) {
	case EUM_BIP_OPENED:
		if (s->st != S_OPENING)
			break;
		eum_log(card, EUM_LOG_INFO, "SCP81: channel open, TLS handshake");
		s->st = S_HANDSHAKE;
		drive(card, s);
		break;
	case EUM_BIP_OPEN_FAILED:
		eum_log(card, EUM_LOG_INFO, "SCP81: OPEN CHANNEL refused (result %02X, info %02X)", result, info);
		s->failed = 1;
		s->fail_st = (uint8_t)s->st;
		session_end(card);
		break;
	case EUM_BIP_DATA:
		/* in pieces: the TLS context holds at most one record's worth unread */
		while (card->scp81 && card->scp81->s == s && s->st != S_CLOSING &&
		       (n = eum_bip_recv(card, buf, sizeof(buf))) > 0) {
			if (eum_tls_input(s->tls, buf, n) != EUM_OK) {
				session_close(card, 1, "TLS input overflow");
				break;
			}
			drive(card, s);
		}
		eum_wipe(buf, sizeof(buf));
		break;
	case EUM_BIP_SENT:
		flush(card, s);
		break;
	case EUM_BIP_CLOSED:
		if (s->st != S_CLOSING && !s->failed) {
			s->failed = 1;
			s->fail_st = (uint8_t)s->st;
			eum_log(card, EUM_LOG_INFO,
			        "SCP81: channel closed by the terminal in state %s (result %02X, info %02X)",
			        state_names[s->st], result, info);
		}
		session_end(card);
		break;
	default:
		break;
	}
}

/* ---- starting a session ------------------------------------------------------------------------- */

/* Dotted IPv4 of the data destination address (TS 102 223 §8.58: 21 a b c d) for the Host header. */
static void host_from_conn(const struct eum_scp81_params *p, char *out, size_t cap)
{
	struct eum_tlv t;

	out[0] = 0;
	if (eum_ctlv_find(p->conn, p->conn_len, 0x3E, &t) == EUM_TLV_OK && t.len == 5 && t.val[0] == 0x21)
		snprintf(out, cap, "%u.%u.%u.%u", t.val[1], t.val[2], t.val[3], t.val[4]);
}

/* Digest §3.4: the ISD-R's SCP81 PSK named by 85 (KVN, key id), else the first key set's key 01; the
 * KVN and key id found (the SGP.02 identity names them). */
static int find_psk(struct eum_card *card, uint8_t *kvn, uint8_t *kid, uint8_t *psk, size_t cap, size_t *len)
{
	unsigned v;

	if (!*kid)
		*kid = 0x01;
	if (*kvn)
		return eum_isdr_scp81_psk(card, *kvn, *kid, psk, cap, len);
	for (v = 0x40; v <= 0x4F; v++) {
		if (eum_isdr_scp81_psk(card, (uint8_t)v, *kid, psk, cap, len) == EUM_OK) {
			*kvn = (uint8_t)v;
			return EUM_OK;
		}
	}
	return EUM_ERR_NOT_FOUND;
}

/* SGP.02 / digest §1.5: one attempt with a->params. */
static void start_session(struct eum_card *card)
{
	struct eum_scp81 *a = card->scp81;
	const struct eum_scp81_params *p = &a->params;
	struct eum_tls_config cfg;
	struct scp81_session *s;
	uint8_t psk[32], ident[EUM_SCP81_PSKID_MAX];
	size_t psk_len = 0, ident_len = 0;
	uint8_t kvn = p->has_security ? p->kvn : 0, kid = p->has_security ? p->kid : 0;
	int rc;

	a->start_pending = 0;
	a->retry_pending = 0;
	if (!eum_bip_supported(card)) {
		eum_log(card, EUM_LOG_INFO, "SCP81: the terminal profile announces no BIP TCP client: no session");
		attempt_failed(card, "no BIP");
		return;
	}
	if (!p->has_conn) {
		attempt_failed(card, "no connection parameters");
		return;
	}
	rc = find_psk(card, &kvn, &kid, psk, sizeof(psk), &psk_len);
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "SCP81: no PSK key set KVN %02X key %02X (%s)", kvn, kid, eum_strerror(rc));
		attempt_failed(card, "no PSK");
		return;
	}
	if (p->has_security && p->psk_id_len) {
		memcpy(ident, p->psk_id, p->psk_id_len);
		ident_len = p->psk_id_len;
	} else if (eum_scp81_sgp02_identity(card->ps->ecasd.eid, eum_aid_isdr, sizeof(eum_aid_isdr), kid, kvn, ident,
	                                    sizeof(ident), &ident_len) != EUM_OK) {
		eum_wipe(psk, sizeof(psk));
		attempt_failed(card, "PSK identity");
		return;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		eum_wipe(psk, sizeof(psk));
		eum_log(card, EUM_LOG_ERROR, "SCP81: no memory for a session");
		attempt_failed(card, "no memory");
		return;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.psk = psk;
	cfg.psk_len = psk_len;
	cfg.identity = ident;
	cfg.identity_len = ident_len;
	cfg.suites = suites;
	cfg.n_suites = sizeof(suites) / sizeof(suites[0]);
	cfg.max_fragment = 512;
	cfg.rng = card_rng;
	cfg.rng_ctx = card;
	rc = eum_tls_client_new(&s->tls, &cfg);
	eum_wipe(psk, sizeof(psk));
	if (rc != EUM_OK) {
		free(s);
		eum_log(card, EUM_LOG_INFO, "SCP81: TLS context not created (%s)", eum_strerror(rc));
		attempt_failed(card, "TLS context");
		return;
	}
	if (a->resume)
		memcpy(s->uri, a->resume_uri, sizeof(s->uri));
	else
		snprintf(s->uri, sizeof(s->uri), "%s", p->has_uri ? p->uri : "/");
	if (p->has_host)
		snprintf(s->host, sizeof(s->host), "%s", p->host);
	else
		host_from_conn(p, s->host, sizeof(s->host));
	if (p->has_agent)
		snprintf(s->from, sizeof(s->from), "%s", p->agent);
	else
		eum_http_admin_from(card->ps->ecasd.eid, eum_aid_isdr, sizeof(eum_aid_isdr), s->from, sizeof(s->from));
	s->st = S_OPENING;
	a->s = s;
	rc = eum_bip_open(card, p->conn, p->conn_len, &bip_user);
	if (rc != EUM_OK) {
		eum_log(card, EUM_LOG_INFO, "SCP81: OPEN CHANNEL not possible (%s)", eum_strerror(rc));
		s->failed = 1;
		s->fail_st = (uint8_t)s->st;
		session_end(card);
		return;
	}
	eum_log(card, EUM_LOG_INFO, "SCP81: session to %s%s: OPEN CHANNEL queued (PSK KVN %02X key %02X)", s->host,
	        s->uri, kvn, kid);
}

/* ---- entry points -------------------------------------------------------------------------------- */

/* Digest §1.4: the ISD-R's stored default session parameters (ES5 3A07 A3 { 83 }); none when unreadable. */
static void isdr_defaults(struct eum_card *card, struct eum_scp81_params *out)
{
	memset(out, 0, sizeof(*out));
	if (eum_isdr_https_defaults(card, out) != EUM_OK) {
		eum_log(card, EUM_LOG_WARN,
		        "SCP81: the ISD-R's default session parameters are unreadable: trigger only");
		memset(out, 0, sizeof(*out));
	}
}

/* GP Amd B §3.2 / SGP.02 push (digest §1): the triggering parameters of a verified ISD-R packet. */
int eum_scp81_trigger(struct eum_card *card, const uint8_t *val, size_t len)
{
	struct eum_scp81_params trig, defaults;
	struct eum_scp81 *a;

	if (eum_scp81_parse(val, len, 0, &trig) != EUM_OK) {
		eum_log(card, EUM_LOG_INFO,
		        "SCP81: administration session triggering parameters malformed: no session");
		return EUM_ERR_PARSE;
	}
	if (!card->scp81) {
		card->scp81 = calloc(1, sizeof(*card->scp81));
		if (!card->scp81) {
			eum_log(card, EUM_LOG_ERROR, "SCP81: no memory for the admin agent");
			return EUM_ERR_NO_MEMORY;
		}
	}
	a = card->scp81;
	if (a->s || a->start_pending) {
		if (a->queued_valid) {
			eum_log(card, EUM_LOG_INFO, "SCP81: a session runs and a trigger is pending: trigger refused");
			return EUM_ERR_STATE;
		}
		isdr_defaults(card, &defaults);
		eum_scp81_merge(&defaults, &trig, &a->queued);
		a->queued_valid = 1;
		a->trig_this_apdu = 1;
		eum_log(card, EUM_LOG_INFO, "SCP81: a session runs: trigger kept until it ends");
		return EUM_OK;
	}
	isdr_defaults(card, &defaults);
	eum_scp81_merge(&defaults, &trig, &a->params);
	a->retry_pending = 0; /* a new trigger replaces a pending retry */
	a->resume = 0;
	a->retries_left = a->params.has_retry ? a->params.retry_count : 0;
	a->start_pending = 1;
	a->trig_this_apdu = 1;
	eum_log(card, EUM_LOG_INFO, "SCP81: push received: session at the end of this command");
	return EUM_OK;
}

void eum_scp81_txn_abort(struct eum_card *card)
{
	if (card->scp81)
		card->scp81->aborted = 1;
}

void eum_scp81_after_apdu(struct eum_card *card)
{
	struct eum_scp81 *a = card->scp81;

	if (!a)
		return;
	if (a->aborted) {
		/* the APDU answered 6581: its outputs are gone, and with them what it asked of us */
		if (a->trig_this_apdu) {
			if (a->queued_valid)
				a->queued_valid = 0;
			else
				a->start_pending = 0;
			eum_log(card, EUM_LOG_INFO, "SCP81: the trigger's command failed its commit: trigger dropped");
		}
		if (a->s && a->s->touched) {
			a->s->no_retry = 1;
			session_close(card, 1, "the command's commit failed");
		}
	}
	a->aborted = 0;
	a->trig_this_apdu = 0;
	if (a->s)
		a->s->touched = 0;
	if (!a->s && (a->start_pending || (a->retry_pending && eum_card_now(card) >= a->retry_due))) {
		if (a->retry_pending)
			eum_log(card, EUM_LOG_INFO, "SCP81: retry due");
		start_session(card);
	}
	maybe_free(card);
}

void eum_scp81_reset(struct eum_card *card)
{
	if (card->scp81 && (card->scp81->s || card->scp81->retry_pending || card->scp81->queued_valid))
		eum_log(card, EUM_LOG_INFO, "SCP81: reset: session, pending trigger and retry gone");
	eum_scp81_free(card);
}
