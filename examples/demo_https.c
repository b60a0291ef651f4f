/*
 * The M2M provisioning demo: the SM-SR's HTTPS transport (GSMA SGP.02 §2.4, GlobalPlatform Amd B
 * "SCP81"; spec digest scp81-https.md). The SM-SR listens on a loopback TCP port with libeum-host's
 * HTTPS admin server (include/eum/host/https.h), wakes the card with a push SMS (the administration
 * session triggering parameters, §1), and the card opens a BIP channel through the modem's bridge
 * (bip_bridge.c: a real TCP connection), runs PSK-TLS 1.2 and POSTs for its scripts. While the
 * session runs, the SM-SR's ES5 scripts and the SM-DP's ES8 scripts (X-Admin-Targeted-Application:
 * the ISD-P) go over it instead of SMS (demo_smsr.c es5(), demo_smdp.c relay()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"
#include "eum/host/https.h"

#define HTTPS_TIMEOUT_S 30
#define SRV_OUT_MAX     16384

/* The ISD-R (SGP.02 Annex H) and the test SCP81 PSK of the built-in card (README "Test identity"). */
static const uint8_t isdr_aid[16] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00};
#define SCP81_KVN 0x40
#define SCP81_KID 0x01
#define SCP81_PSK "404142434445464748494A4B4C4D4E4F"

struct demo_https {
	eum_host_https *srv;
	int lfd, cfd; /* the SM-SR's listening socket and its end of the card's connection */
	uint16_t port;
	uint8_t out[SRV_OUT_MAX]; /* server bytes the socket did not take yet */
	size_t out_len;
	/* the report the caller waits for */
	unsigned want_post, want_script;
	int got;
	struct eum_host_https_report rep;
	uint8_t body[EUM_HOST_HTTPS_BODY_MAX];
	/* statistics */
	unsigned posts, scripts;
	unsigned long bytes_down, bytes_up; /* TCP bytes SM-SR -> card, card -> SM-SR */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nonblock(int fd)
{
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* The SM-SR's side: accept, read into the server, take reports, write what it answers. */
static int srv_io(struct demo *d, struct demo_https *h, short lrev, short crev)
{
	uint8_t buf[4096];
	struct eum_host_https_report rep;
	ssize_t r;

	if (h->cfd < 0 && (lrev & POLLIN)) {
		h->cfd = accept(h->lfd, NULL, NULL);
		if (h->cfd >= 0)
			nonblock(h->cfd);
	}
	if (h->cfd >= 0 && (crev & (POLLIN | POLLHUP | POLLERR))) {
		r = recv(h->cfd, buf, sizeof(buf), 0);
		if (r > 0) {
			int rc = eum_host_https_input(h->srv, buf, (size_t)r);
			h->bytes_up += (unsigned long)r;
			CHECK(rc == EUM_OK, "SM-SR: %s (%s)", eum_host_https_error(h->srv), eum_strerror(rc));
		} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
			eum_host_https_eof(h->srv);
			close(h->cfd);
			h->cfd = -1;
		}
	}
	while (eum_host_https_poll(h->srv, &rep) == EUM_OK) {
		h->posts++;
		if (d->verbose)
			printf("      SM-SR: POST %s (script %u, status %d, %zu bytes)\n", rep.uri, rep.script_id,
			       (int)rep.status, rep.body_len);
		if ((h->want_post && rep.post == h->want_post) || (h->want_script && rep.script_id == h->want_script)) {
			CHECK(rep.body_len <= sizeof(h->body), "SM-SR: answer too long");
			h->rep = rep;
			memcpy(h->body, rep.body, rep.body_len);
			h->rep.body = h->body;
			h->got = 1;
		}
	}
	if (h->cfd >= 0) {
		h->out_len += eum_host_https_output(h->srv, h->out + h->out_len, sizeof(h->out) - h->out_len);
		while (h->out_len) {
			r = send(h->cfd, h->out, h->out_len, MSG_NOSIGNAL);
			if (r <= 0)
				break;
			h->bytes_down += (unsigned long)r;
			memmove(h->out, h->out + r, h->out_len - (size_t)r);
			h->out_len -= (size_t)r;
		}
	}
	return 0;
}

/* Run the modem, its bridge and the SM-SR until done(h) or the timeout. */
static int pump(struct demo *d, struct demo_https *h, int (*done)(struct demo *, struct demo_https *))
{
	double end = now_s() + HTTPS_TIMEOUT_S;

	while (!done(d, h)) {
		struct pollfd p[3];
		uint8_t env[64];
		size_t el, i;
		int nb;

		CHECK(now_s() < end, "HTTPS session: nothing happened for %d s (server: %s)", HTTPS_TIMEOUT_S,
		      eum_host_https_error(h->srv));
		/* events first: the card reads what arrived before anything else happens */
		while (bridge_event(d->bip, env, sizeof(env), &el))
			CHECK(demo_modem_cmd(d, env, el, NULL, NULL) == 0x9000, "event ENVELOPE refused");
		p[0].fd = h->lfd;
		p[0].events = h->cfd < 0 ? POLLIN : 0;
		p[1].fd = h->cfd;
		p[1].events = (short)(POLLIN | (h->out_len || eum_host_https_output_pending(h->srv) ? POLLOUT : 0));
		nb = bridge_pollfd(d->bip, &p[2]);
		for (i = 0; i < 3; i++)
			p[i].revents = 0;
		if (poll(p, nb ? 3 : 2, 20) < 0 && errno != EINTR)
			return demo_fail("poll: %s", strerror(errno));
		if (nb)
			bridge_io(d->bip, p[2].revents);
		if (srv_io(d, h, p[0].revents, h->cfd >= 0 ? p[1].revents : 0))
			return -1;
	}
	return 0;
}

static int got_report(struct demo *d, struct demo_https *h)
{
	(void)d;
	return h->got;
}

static int session_over(struct demo *d, struct demo_https *h)
{
	(void)d;
	return eum_host_https_state(h->srv) >= EUM_HOST_HTTPS_DONE && !bridge_active(d->bip);
}

/* The SM-SR opens its HTTPS endpoint and wakes the card up: push SMS with the triggering parameters
 * (channel to the endpoint, Host, URI; no 85: the card names itself with its SGP.02 PSK identity).
 * Returns when the card's first POST is in. */
int demo_https_begin(struct demo *d)
{
	static struct demo_https h;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct eum_host_https_config cfg;
	struct eum_host_https_psk psk;
	struct eum_host_smsr_admin_params ap;
	struct eum_host_smsr_envelopes env;
	uint8_t identity[128], key[16], conn[32], trig[128], por[RSP_MAX];
	static const uint8_t lo[4] = {127, 0, 0, 1};
	size_t id_len = 0, cn = 0, tn = 0, por_len = 0;
	int rc;

	memset(&h, 0, sizeof(h));
	h.cfd = -1;
	/* the endpoint: 127.0.0.1, a port the kernel picks */
	h.lfd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(h.lfd >= 0, "socket: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(!bind(h.lfd, (struct sockaddr *)&sa, sizeof(sa)) && !listen(h.lfd, 1) &&
	              !getsockname(h.lfd, (struct sockaddr *)&sa, &sl),
	      "cannot listen on loopback: %s", strerror(errno));
	nonblock(h.lfd);
	h.port = ntohs(sa.sin_port);

	/* the HTTPS admin server: the card's PSK by its SGP.02 identity (EID from the EIS) */
	rc = eum_host_https_sgp02_identity(d->eid, isdr_aid, sizeof(isdr_aid), SCP81_KID, SCP81_KVN, identity,
	                                   sizeof(identity), &id_len);
	CHECK(rc == EUM_OK, "eum_host_https_sgp02_identity: %s", eum_strerror(rc));
	demo_unhex(SCP81_PSK, key, sizeof(key));
	psk.identity = identity;
	psk.identity_len = id_len;
	psk.psk = key;
	psk.psk_len = sizeof(key);
	eum_host_https_config_init(&cfg);
	cfg.psks = &psk;
	cfg.n_psks = 1;
	cfg.rng = demo_os_random;
	rc = eum_host_https_new(&h.srv, &cfg);
	memset(key, 0, sizeof(key));
	CHECK(rc == EUM_OK, "eum_host_https_new: %s", eum_strerror(rc));
	d->https = &h;

	/* the push */
	memset(&ap, 0, sizeof(ap));
	rc = eum_host_smsr_conn_tcp_ipv4(lo, h.port, 1024, conn, sizeof(conn), &cn);
	ap.conn = conn;
	ap.conn_len = cn;
	ap.host = "smsr.example";
	ap.uri = "/smsr/admin";
	if (rc == EUM_OK)
		rc = eum_host_smsr_trigger_build(&ap, trig, sizeof(trig), &tn);
	if (rc == EUM_OK)
		rc = eum_host_smsr_push(&d->sr, trig, tn, &env);
	CHECK(rc == EUM_OK, "push SMS: %s", eum_strerror(rc));
	if (demo_deliver(d, (const uint8_t(*)[261])env.apdu, env.len, env.n, por, sizeof(por), &por_len))
		return -1;
	rc = eum_host_smsr_parse_por(&d->sr, por, por_len, d->work, sizeof(d->work), &d->res);
	CHECK(rc == EUM_OK && d->res.status == 0x00, "push: PoR %s, status %02X", eum_strerror(rc), d->res.status);
	demo_say("SM-SR", "ISD-R", "push SMS (%zu-byte trigger): HTTPS to 127.0.0.1:%u, POST %s; PoR 00", tn,
	         (unsigned)h.port, ap.uri);
	CHECK(d->bip->opens == 1, "the card did not open a BIP channel");
	demo_say("card", "modem", "OPEN CHANNEL TCP 127.0.0.1:%u, buffer %u: the modem connects", (unsigned)h.port,
	         d->bip->term.buffer);

	h.want_post = 1;
	h.got = 0;
	if (pump(d, &h, got_report))
		return -1;
	h.want_post = 0;
	{
		size_t pl = 0;
		const uint8_t *pid = eum_host_https_peer_identity(h.srv, &pl);
		CHECK(pid && pl == id_len && !memcmp(pid, identity, pl), "the card used another PSK identity");
	}
	CHECK(h.rep.admin_protocol && !h.rep.body_len, "first POST: X-Admin-Protocol missing or a body");
	demo_say("card", "SM-SR", "TLS 1.2 PSK (suite %04X, SGP.02 identity of KVN %02X), POST %s",
	         eum_host_https_suite(h.srv), SCP81_KVN, h.rep.uri);
	return 0;
}

/* One script over the session: queued for the ISD-R (aid NULL) or an ISD-P, answered by the card's
 * next POST (X-Admin-Script-Status: ok); its body (AF 80 ... 00 00) into rsp. */
int demo_https_script(struct demo *d, const uint8_t *aid, size_t aid_len, const uint8_t *script, size_t n, uint8_t *rsp,
                      size_t cap, size_t *rsp_len)
{
	struct demo_https *h = d->https;
	unsigned id = 0;
	int rc = eum_host_https_queue(h->srv, script, n, aid, aid_len, 0, &id);

	CHECK(rc == EUM_OK, "eum_host_https_queue: %s", eum_strerror(rc));
	h->scripts++;
	h->want_script = id;
	h->got = 0;
	if (pump(d, h, got_report))
		return -1;
	h->want_script = 0;
	CHECK(h->rep.status == EUM_HOST_HTTPS_STATUS_OK, "script %u: X-Admin-Script-Status \"%s\"", id,
	      h->rep.status_text);
	CHECK(h->rep.body_len >= 4 && h->rep.body_len <= cap && !memcmp(h->rep.body, "\xAF\x80", 2) &&
	              !memcmp(h->rep.body + h->rep.body_len - 2, "\x00\x00", 2),
	      "script %u: the answer is not an expanded response script", id);
	memcpy(rsp, h->rep.body, h->rep.body_len);
	*rsp_len = h->rep.body_len;
	return 0;
}

/* The SM-SR has nothing more: 204 without Next-URI, close_notify; the card closes its channel. */
int demo_https_end(struct demo *d)
{
	struct demo_https *h = d->https;
	int rc;

	CHECK(eum_host_https_finish(h->srv) == EUM_OK, "eum_host_https_finish refused");
	rc = pump(d, h, session_over);
	if (!rc && eum_host_https_state(h->srv) != EUM_HOST_HTTPS_DONE)
		rc = demo_fail("HTTPS session failed: %s", eum_host_https_error(h->srv));
	if (!rc && !d->bip->closed_by_card)
		rc = demo_fail("the card did not close its channel");
	if (!rc)
		demo_say("SM-SR", "card", "204 No Content (no Next-URI): session over; card: CLOSE CHANNEL");
	d->https_posts = h->posts;
	d->https_bytes = h->bytes_down + h->bytes_up;
	d->https = NULL;
	if (h->cfd >= 0)
		close(h->cfd);
	close(h->lfd);
	h->cfd = h->lfd = -1;
	eum_host_https_free(h->srv);
	h->srv = NULL;
	return rc;
}
