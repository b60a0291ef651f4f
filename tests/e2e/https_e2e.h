/*
 * Helpers of the HTTPS (SCP81 over BIP) end-to-end tests (tests/e2e/test_https_*.c): the card is
 * driven only through eum_card_transmit(), as a modem with BIP (libeum-host's eum/host/bip.h)
 * drives it, and the network behind the modem's channel is a peer the test plugs in (the SM-SR's
 * HTTPS admin server of libeum-host, or a test's own). The SM-SR's push SMS and ES5 SMS come from
 * es5_e2e.h. Everything is static inline so that each test program takes what it uses.
 */
#ifndef EUM_TESTS_HTTPS_E2E_H
#define EUM_TESTS_HTTPS_E2E_H

#include "es5_e2e.h"
#include "eum/host/bip.h"
#include "eum/host/https.h"

#define HTTPS_LOG_MAX (256 * 1024)
#define HTTPS_NET_MAX (64 * 1024)

/* What sits behind the modem's TCP connection. */
struct https_peer {
	void *ctx;
	int (*connect)(void *ctx, const struct eum_host_bip_action *act); /* 0: connected */
	void (*input)(void *ctx, const uint8_t *d, size_t n);             /* bytes the card sent */
	size_t (*output)(void *ctx, uint8_t *buf, size_t cap);            /* bytes for the card */
	void (*close)(void *ctx);                                         /* the card closed the channel */
};

struct https {
	struct es5 *e;
	struct eum_host_bip_terminal term;
	struct https_peer peer;
	int connected;
	/* the network: bytes the peer produced, not yet in the terminal's Rx buffer */
	uint8_t down[HTTPS_NET_MAX];
	size_t down_len;
	/* faults */
	long cut_down_after; /* >= 0: after this many bytes to the card, the link drops (rest lost) */
	long to_card;        /* bytes delivered to the card so far */
	int refuse_connect;  /* OPEN CHANNEL fails (remote unreachable) */
	/* what happened */
	unsigned n_apdus, n_open, n_close, n_send, n_recv, n_events;
	char *log;
	size_t log_len;
	int verbose;
};

static inline void https_log(void *ctx, eum_log_level level, const char *msg)
{
	struct https *h = ctx;
	size_t n = strlen(msg);

	(void)level;
	if (h->verbose)
		fprintf(stderr, "  card: %s\n", msg);
	if (h->log_len + n + 2 < HTTPS_LOG_MAX) {
		memcpy(h->log + h->log_len, msg, n);
		h->log_len += n;
		h->log[h->log_len++] = '\n';
		h->log[h->log_len] = 0;
	}
}

static inline int https_logged(const struct https *h, const char *what)
{
	return strstr(h->log, what) != NULL;
}

/* The es5 card again, with the log captured (the card keeps its flash). */
static inline void https_open_card(struct https *h)
{
	struct es5 *t = h->e;
	eum_config cfg;

	eum_card_free(t->card);
	eum_config_init(&cfg);
	cfg.clock = es5_clock;
	cfg.clock_ctx = t;
	cfg.log = https_log;
	cfg.log_ctx = h;
	cfg.log_level = EUM_LOG_DEBUG;
	cfg.storage = &t->storage;
	cfg.es5.smsr_address = "12345678";
	cfg.isdr_msl = 0x06;
	assert_int_equal(eum_card_new(&t->card, &cfg), EUM_OK);
	assert_int_equal(eum_card_reset(t->card, 1, NULL, 0, NULL), EUM_OK);
}

static inline struct https *https_new(void)
{
	struct https *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	h->log = calloc(1, HTTPS_LOG_MAX);
	assert_non_null(h->log);
	h->verbose = getenv("EUM_TEST_LOG") != NULL;
	h->e = es5_new();
	h->cut_down_after = -1;
	https_open_card(h);
	eum_host_bip_init(&h->term, EUM_HOST_BIP_BUFFER_DEFAULT);
	return h;
}

static inline void https_free(struct https *h)
{
	es5_free(h->e);
	free(h->log);
	free(h);
}

static inline uint16_t https_xmit(struct https *h, const uint8_t *c, size_t len, uint8_t *out, size_t *out_len)
{
	h->n_apdus++;
	return es5_xmit_get(h->e, c, len, out, out_len);
}

static inline uint16_t https_pump(struct https *h, uint16_t sw);

/* TERMINAL PROFILE with (bip = 1) or without BIP; the modem serves what the card asks then (SET UP
 * EVENT LIST, a session that was due). */
static inline uint16_t https_terminal_profile(struct https *h, int bip)
{
	static const uint8_t base[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
	uint8_t apdu[64];
	size_t len = 0;

	if (bip) {
		assert_int_equal(eum_host_bip_profile(base, sizeof(base), apdu, sizeof(apdu), &len), EUM_OK);
	} else {
		memcpy(apdu, "\x80\x10\x00\x00\x08", 5);
		memcpy(apdu + 5, base, sizeof(base));
		len = 5 + sizeof(base);
	}
	return https_pump(h, https_xmit(h, apdu, len, NULL, NULL));
}

/* Move what the network holds into the terminal's Rx buffer (as far as it has room). */
static inline void https_network(struct https *h)
{
	size_t room, n;

	if (h->connected && h->peer.output && h->down_len < sizeof(h->down))
		h->down_len += h->peer.output(h->peer.ctx, h->down + h->down_len, sizeof(h->down) - h->down_len);
	if (!h->connected && !h->down_len)
		return;
	room = eum_host_bip_rx_room(&h->term);
	n = h->down_len < room ? h->down_len : room;
	if (h->cut_down_after >= 0 && h->to_card + (long)n >= h->cut_down_after) {
		n = (size_t)(h->cut_down_after - h->to_card);
		if (n)
			assert_int_equal(eum_host_bip_received(&h->term, h->down, n), EUM_OK);
		h->to_card += (long)n;
		h->down_len = 0;
		h->cut_down_after = -1;
		h->connected = 0;
		eum_host_bip_link_dropped(&h->term);
		return;
	}
	if (n) {
		assert_int_equal(eum_host_bip_received(&h->term, h->down, n), EUM_OK);
		memmove(h->down, h->down + n, h->down_len - n);
		h->down_len -= n;
		h->to_card += (long)n;
	}
}

/* One proactive command: FETCH, serve it as the modem, TERMINAL RESPONSE. Returns the TR's SW. */
static inline uint16_t https_serve(struct https *h, uint16_t sw)
{
	uint8_t cmd[300], tr[300];
	size_t len = 0, tr_len = 0;
	struct eum_host_bip_action act;
	unsigned err = 0;
	uint8_t type;

	type = es5_fetch(h->e, sw, cmd, &len);
	h->n_apdus++;
	assert_int_equal(eum_host_bip_fetch(&h->term, cmd, len, &act), EUM_OK);
	if (act.what == EUM_HOST_BIP_NOT_BIP) {
		h->n_apdus++;
		(void)type;
		return es5_terminal_response(h->e, cmd, ES5_TR_OK);
	}
	switch (act.what) {
	case EUM_HOST_BIP_CONNECT:
		h->n_open++;
		if (h->refuse_connect || !h->peer.connect || h->peer.connect(h->peer.ctx, &act) != 0) {
			err = EUM_HOST_BIP_ERR_REMOTE_UNREACHABLE;
		} else {
			h->connected = 1;
		}
		break;
	case EUM_HOST_BIP_SEND:
		h->n_send++;
		if (h->connected)
			h->peer.input(h->peer.ctx, act.data, act.len);
		else
			err = EUM_HOST_BIP_ERR_CHANNEL_CLOSED;
		break;
	case EUM_HOST_BIP_CLOSE:
		h->n_close++;
		if (h->connected && h->peer.close)
			h->peer.close(h->peer.ctx);
		h->connected = 0;
		h->down_len = 0;
		break;
	default:
		if (act.type == EUM_HOST_BIP_RECEIVE_DATA)
			h->n_recv++;
		break;
	}
	assert_int_equal(eum_host_bip_response(&h->term, err, tr, sizeof(tr), &tr_len), EUM_OK);
	return https_xmit(h, tr, tr_len, NULL, NULL);
}

/* Run the modem until the card and the network are quiet: proactive commands, network bytes, events;
 * or (counter != NULL) until *counter reaches target. Returns the last SW (to go on with). */
static inline uint16_t https_pump_until(struct https *h, uint16_t sw, const size_t *counter, size_t target)
{
	uint8_t env[64];
	size_t len;
	unsigned guard = 0;

	for (;;) {
		assert_true(++guard < 100000);
		if (counter && *counter >= target)
			return sw;
		if ((sw & 0xFF00) == 0x9100) {
			sw = https_serve(h, sw);
			continue;
		}
		https_network(h);
		len = 0;
		if (eum_host_bip_event(&h->term, env, sizeof(env), &len) == EUM_OK) {
			h->n_events++;
			sw = https_xmit(h, env, len, NULL, NULL);
			continue;
		}
		return sw;
	}
}

static inline uint16_t https_pump(struct https *h, uint16_t sw)
{
	return https_pump_until(h, sw, NULL, 0);
}

/* ---- the SM-SR's HTTPS admin server (libeum-host https.h) behind the connection ------------------- */

#define HTTPS_REPORTS_MAX 64

struct https_srv {
	eum_host_https *s;
	int input_rc;    /* the last error eum_host_https_input() returned (EUM_OK when none) */
	unsigned n_conn; /* connections made */
	uint64_t rng;    /* deterministic server randomness */
	/* every POST the server saw, with a copy of its body */
	struct eum_host_https_report rep[HTTPS_REPORTS_MAX];
	uint8_t body[HTTPS_REPORTS_MAX][EUM_HOST_HTTPS_BODY_MAX];
	size_t n_rep;
};

static inline int https_srv_rng(void *ctx, uint8_t *buf, size_t len)
{
	uint64_t *x = ctx;
	size_t i;

	for (i = 0; i < len; i++) {
		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		buf[i] = (uint8_t)(*x >> 24);
	}
	return 0;
}

static inline void https_srv_poll(struct https_srv *v)
{
	struct eum_host_https_report r;

	while (eum_host_https_poll(v->s, &r) == EUM_OK) {
		assert_true(v->n_rep < HTTPS_REPORTS_MAX);
		assert_true(r.body_len <= EUM_HOST_HTTPS_BODY_MAX);
		v->rep[v->n_rep] = r;
		memcpy(v->body[v->n_rep], r.body, r.body_len);
		v->rep[v->n_rep].body = v->body[v->n_rep];
		v->n_rep++;
	}
}

static inline int https_srv_connect(void *ctx, const struct eum_host_bip_action *act)
{
	struct https_srv *v = ctx;

	(void)act;
	if (v->n_conn++ && eum_host_https_reconnect(v->s) != EUM_OK)
		return -1;
	return 0;
}

/* Bytes from the card, in pieces (the TLS server holds at most one record unread). */
static inline void https_srv_input(void *ctx, const uint8_t *d, size_t n)
{
	struct https_srv *v = ctx;

	while (n) {
		size_t k = n < 128 ? n : 128;
		int rc = eum_host_https_input(v->s, d, k);
		if (rc != EUM_OK)
			v->input_rc = rc;
		https_srv_poll(v);
		d += k;
		n -= k;
	}
}

static inline size_t https_srv_output(void *ctx, uint8_t *buf, size_t cap)
{
	struct https_srv *v = ctx;

	https_srv_poll(v);
	return eum_host_https_output(v->s, buf, cap);
}

static inline void https_srv_close(void *ctx)
{
	struct https_srv *v = ctx;

	eum_host_https_eof(v->s);
	https_srv_poll(v);
}

/* A server that knows the card's default SCP81 PSK (KVN 40 key 01, README "Test identity") under the
 * SGP.02 identity of the card's EID, plugged in behind the modem. */
static inline struct https_srv *https_srv_new(struct https *h, const struct eum_host_https_config *base)
{
	static const uint8_t eid[16] = {0x89, 0x04, 0x90, 0x32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x30};
	static const uint8_t isdr[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
	                                 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
	static uint8_t ident[128];
	static uint8_t key[16];
	struct eum_host_https_config cfg;
	struct eum_host_https_psk psk;
	struct https_srv *v = calloc(1, sizeof(*v));
	size_t il = 0, i;

	assert_non_null(v);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(0x40 + i);
	assert_int_equal(eum_host_https_sgp02_identity(eid, isdr, sizeof(isdr), 0x01, 0x40, ident, sizeof(ident), &il),
	                 EUM_OK);
	if (base)
		cfg = *base;
	else
		eum_host_https_config_init(&cfg);
	psk.identity = ident;
	psk.identity_len = il;
	psk.psk = key;
	psk.psk_len = sizeof(key);
	if (!cfg.psks) {
		cfg.psks = &psk;
		cfg.n_psks = 1;
	}
	v->rng = 0x5EED5EED1234ull;
	cfg.rng = https_srv_rng;
	cfg.rng_ctx = &v->rng;
	assert_int_equal(eum_host_https_new(&v->s, &cfg), EUM_OK);
	v->input_rc = EUM_OK;
	h->peer.ctx = v;
	h->peer.connect = https_srv_connect;
	h->peer.input = https_srv_input;
	h->peer.output = https_srv_output;
	h->peer.close = https_srv_close;
	return v;
}

static inline void https_srv_free(struct https_srv *v)
{
	eum_host_https_free(v->s);
	free(v);
}

/* ---- the SM-SR's push ------------------------------------------------------------------------------ */

/* An SCP80 command packet to the ISD-R whose secured data is `data` (e.g. the 81 trigger TLV), with
 * the SM-SR's next counter; sent as ENVELOPE(s). Returns the SW; the PoR (if any) in t->res. */
static inline uint16_t https_push_raw(struct https *h, const uint8_t *data, size_t len)
{
	struct es5 *t = h->e;
	struct eum_host_smsr *sr = &t->sr;
	uint8_t pkt[1024], env[261], rsp[600];
	size_t pkt_len = 0, n = 0, i, env_len = 0, rlen = 0;
	int k;
	uint16_t sw = 0;

	for (k = EUM_HOST_SCP80_CNTR_LEN - 1; k >= 0 && ++sr->params.cntr[k] == 0; k--)
		;
	assert_int_equal(eum_host_scp80_build_cmd(&sr->keys, &sr->params, data, len, pkt, sizeof(pkt), &pkt_len),
	                 EUM_OK);
	assert_int_equal(eum_host_sms_envelope_count(&sr->sms, pkt_len, &n), EUM_OK);
	for (i = 0; i < n; i++) {
		assert_int_equal(eum_host_sms_build_envelope(&sr->sms, pkt, pkt_len, i, env, sizeof(env), &env_len),
		                 EUM_OK);
		sw = https_xmit(h, env, env_len, rsp, &rlen);
	}
	memset(&t->res, 0, sizeof(t->res));
	t->res.status = 0xFF;
	if (rlen > 3) {
		assert_memory_equal(rsp, "\x02\x71\x00", 3);
		assert_int_equal(eum_host_smsr_parse_por(sr, rsp + 3, rlen - 3, t->work, sizeof(t->work), &t->res),
		                 EUM_OK);
	}
	return sw;
}

/* The SM-SR's push (libeum-host eum_host_smsr_push) of a trigger; the PoR in t->res. */
static inline uint16_t https_push(struct https *h, const uint8_t *trig, size_t len)
{
	struct es5 *t = h->e;
	struct eum_host_smsr_envelopes env;
	uint8_t rsp[600];
	size_t rlen = 0, i;
	uint16_t sw = 0;

	assert_int_equal(eum_host_smsr_push(&t->sr, trig, len, &env), EUM_OK);
	for (i = 0; i < env.n; i++)
		sw = https_xmit(h, env.apdu[i], env.len[i], rsp, &rlen);
	memset(&t->res, 0, sizeof(t->res));
	t->res.status = 0xFF;
	if (rlen > 3) {
		assert_memory_equal(rsp, "\x02\x71\x00", 3);
		assert_int_equal(eum_host_smsr_parse_por(&t->sr, rsp + 3, rlen - 3, t->work, sizeof(t->work), &t->res),
		                 EUM_OK);
	}
	return sw;
}

/* The trigger of the tests: TCP to 127.0.0.1:8080, buffer 1024, Host 127.0.0.1, URI /adm, and with
 * retry > 0 a retry policy of that many retries after 30 s. */
static inline size_t https_trigger(uint8_t *out, size_t cap, unsigned retry)
{
	struct eum_host_smsr_admin_params ap;
	uint8_t conn[32];
	size_t cn = 0, n = 0;

	memset(&ap, 0, sizeof(ap));
	assert_int_equal(
	        eum_host_smsr_conn_tcp_ipv4((const uint8_t[]){127, 0, 0, 1}, 8080, 1024, conn, sizeof(conn), &cn),
	        EUM_OK);
	ap.conn = conn;
	ap.conn_len = cn;
	ap.host = "127.0.0.1";
	ap.uri = "/adm";
	if (retry) {
		ap.has_retry = 1;
		ap.retry_count = (uint16_t)retry;
		ap.retry_delay_s = 30;
	}
	assert_int_equal(eum_host_smsr_trigger_build(&ap, out, cap, &n), EUM_OK);
	return n;
}

#endif
