/*
 * The modem's BIP channel over a real TCP connection (bip_bridge.h): ETSI TS 102 223 §6.4.27-§6.4.31
 * as a terminal performs them, with libeum-host's terminal (include/eum/host/bip.h) for the bytes.
 */
#include "bip_bridge.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void bridge_init(struct bridge *b, uint16_t buffer_cap)
{
	memset(b, 0, sizeof(*b));
	eum_host_bip_init(&b->term, buffer_cap);
	b->fd = -1;
	b->connect_timeout_ms = 5000;
	b->prefix = "  bridge ";
}

void bridge_close(struct bridge *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	b->out_len = 0;
}

void bridge_reset(struct bridge *b)
{
	uint16_t cap = b->term.buffer_cap;
	int cr = b->term.cr;

	bridge_close(b);
	eum_host_bip_init(&b->term, cap);
	b->term.cr = cr;
}

int bridge_active(const struct bridge *b)
{
	return b->term.state != EUM_HOST_BIP_CLOSED;
}

/* OPEN CHANNEL: a non-blocking connect, waited for (poll) up to connect_timeout_ms. Returns 0 or the
 * BIP error to report. */
static unsigned do_connect(struct bridge *b, const struct eum_host_bip_action *a)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct pollfd p;
	int fd, err = 0, one = 1;
	socklen_t el = sizeof(err);

	memset(&ss, 0, sizeof(ss));
	if (a->transport != 0x02)
		return EUM_HOST_BIP_ERR_TRANSPORT; /* the bridge does TCP only */
	if (a->addr_type == 0x21) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		in->sin_port = htons(a->port);
		memcpy(&in->sin_addr, a->addr, 4);
		sl = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(a->port);
		memcpy(&in6->sin6_addr, a->addr, 16);
		sl = sizeof(*in6);
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		return EUM_HOST_BIP_ERR_TRANSPORT;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		close(fd);
		return EUM_HOST_BIP_ERR_TRANSPORT;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		if (errno != EINPROGRESS) {
			close(fd);
			return EUM_HOST_BIP_ERR_REMOTE_UNREACHABLE;
		}
		p.fd = fd;
		p.events = POLLOUT;
		p.revents = 0;
		if (poll(&p, 1, b->connect_timeout_ms) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 ||
		    err) {
			close(fd);
			return EUM_HOST_BIP_ERR_REMOTE_UNREACHABLE;
		}
	}
	b->fd = fd;
	b->out_len = 0;
	return 0;
}

/* Write what waits; 0, or -1 when the socket failed. */
static int flush_out(struct bridge *b)
{
	while (b->out_len && b->fd >= 0) {
		ssize_t w = send(b->fd, b->out, b->out_len, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			return -1;
		}
		b->tcp_out += (unsigned long)w;
		memmove(b->out, b->out + w, b->out_len - (size_t)w);
		b->out_len -= (size_t)w;
	}
	return 0;
}

static void link_lost(struct bridge *b, const char *why)
{
	if (b->verbose)
		printf("%slink dropped: %s\n", b->prefix, why);
	bridge_close(b);
	b->dropped = 1;
	(void)eum_host_bip_link_dropped(&b->term);
}

int bridge_proactive(struct bridge *b, const uint8_t *cmd, size_t len, uint8_t *tr, size_t cap, size_t *tr_len)
{
	struct eum_host_bip_action a;
	unsigned err = 0;
	int rc = eum_host_bip_fetch(&b->term, cmd, len, &a);

	if (rc != EUM_OK) {
		printf("%snot a proactive command: %s\n", b->prefix, eum_strerror(rc));
		return -1;
	}
	if (a.what == EUM_HOST_BIP_NOT_BIP)
		return 0;
	b->commands++;
	switch (a.what) {
	case EUM_HOST_BIP_CONNECT:
		err = do_connect(b, &a);
		if (!err) {
			b->opens++;
			b->closed_by_card = b->dropped = 0;
		}
		if (b->verbose)
			printf("%sOPEN CHANNEL %s port %u (buffer %u, granted %u): %s\n", b->prefix, a.addr_text,
			       (unsigned)a.port, a.buffer_asked, a.buffer_granted,
			       err ? "remote not reachable" : "link established");
		break;
	case EUM_HOST_BIP_SEND:
		if (a.len > sizeof(b->out) - b->out_len) {
			err = EUM_HOST_BIP_ERR_NO_CAUSE;
		} else {
			memcpy(b->out + b->out_len, a.data, a.len);
			b->out_len += a.len;
			if (flush_out(b))
				err = EUM_HOST_BIP_ERR_CHANNEL_CLOSED;
		}
		if (b->verbose)
			printf("%sSEND DATA %zu bytes%s\n", b->prefix, a.len, err ? ": failed" : "");
		break;
	case EUM_HOST_BIP_CLOSE:
		(void)flush_out(b);
		bridge_close(b);
		b->closed_by_card = 1;
		if (b->verbose)
			printf("%sCLOSE CHANNEL\n", b->prefix);
		break;
	default:
		if (b->verbose && a.type == EUM_HOST_BIP_RECEIVE_DATA)
			printf("%sRECEIVE DATA %zu bytes asked, %zu buffered\n", b->prefix, a.len, b->term.rx_len);
		else if (b->verbose && a.result != 0x00)
			printf("%scommand %02X refused: result %02X %02X\n", b->prefix, a.type, a.result, a.info);
		break;
	}
	rc = eum_host_bip_response(&b->term, err, tr, cap, tr_len);
	if (rc != EUM_OK) {
		printf("%sTERMINAL RESPONSE: %s\n", b->prefix, eum_strerror(rc));
		return -1;
	}
	if (a.what == EUM_HOST_BIP_SEND && err == EUM_HOST_BIP_ERR_CHANNEL_CLOSED)
		link_lost(b, "send failed");
	return 1;
}

int bridge_pollfd(const struct bridge *b, struct pollfd *p)
{
	if (b->fd < 0)
		return 0;
	p->fd = b->fd;
	p->events = 0;
	p->revents = 0;
	if (eum_host_bip_rx_room(&b->term))
		p->events |= POLLIN;
	if (b->out_len)
		p->events |= POLLOUT;
	return 1;
}

void bridge_io(struct bridge *b, short revents)
{
	uint8_t buf[EUM_HOST_BIP_BUFFER_MAX];

	if (b->fd < 0)
		return;
	if ((revents & POLLOUT) && flush_out(b)) {
		link_lost(b, strerror(errno));
		return;
	}
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		size_t room = eum_host_bip_rx_room(&b->term);
		ssize_t r;

		if (!room) /* the card reads first; the end of stream is seen once there is room */
			return;
		r = recv(b->fd, buf, room, 0);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (r <= 0) {
			link_lost(b, r == 0 ? "end of stream" : strerror(errno));
			return;
		}
		b->tcp_in += (unsigned long)r;
		(void)eum_host_bip_received(&b->term, buf, (size_t)r);
		if (b->verbose)
			printf("%s%zd bytes from the network\n", b->prefix, r);
	}
}

int bridge_event(struct bridge *b, uint8_t *apdu, size_t cap, size_t *len)
{
	if (eum_host_bip_event(&b->term, apdu, cap, len) != EUM_OK)
		return 0;
	b->events++;
	if (b->verbose)
		printf("%sevent %s\n", b->prefix, apdu[9] == 0x09 ? "data available" : "channel status");
	return 1;
}
