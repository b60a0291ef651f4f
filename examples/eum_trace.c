/*
 * Trace sinks of the eum tool: the library's trace hook (eum_config.trace) turned into GSMTAP
 * messages, sent over UDP and/or written to a pcap file, as Osmocom's SIMtrace2 and osmo-remsim
 * send them, so Wireshark's "GSM SIM" dissector decodes them with no configuration.
 *
 * GSMTAP (libosmocore include/osmocom/core/gsmtap.h, UDP port 4729): a 16-byte header — version 2,
 * header length 4 (32-bit words), type 4 (SIM), timeslot, ARFCN (2), signal dBm, SNR dB, frame
 * number (4), sub-type, antenna, sub-slot, reserved — then the payload. Sub-type 0 (APDU) carries
 * one T=0 exchange as SIMtrace2 reassembles it: the 5-byte command header CLA INS P1 P2 P3, then
 * the data of the one direction that has any (command data for case 3, response data for case
 * 2: over T=0 a case 4 command's answer is fetched by a separate GET RESPONSE), then SW1 SW2.
 * Sub-type 1 (ATR) carries the ATR.
 *
 * The pcap file (LINKTYPE_RAW = 101: each packet an IPv4 datagram) holds each GSMTAP message in a
 * UDP datagram from and to 127.0.0.1:4729, exactly what a capture of --gsmtap on the loopback
 * interface shows.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "eum_tool.h"

#define GSMTAP_PORT      "4729"
#define GSMTAP_VERSION   2
#define GSMTAP_HDR_WORDS 4
#define GSMTAP_TYPE_SIM  4
#define GSMTAP_SIM_APDU  0
#define GSMTAP_SIM_ATR   1
#define LINKTYPE_RAW     101

static int udp_open(const char *spec, char *err, size_t errcap)
{
	char host[256];
	const char *port = GSMTAP_PORT, *colon;
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1, rc;

	/* HOST[:PORT]; an IPv6 literal goes in brackets: [::1]:4729 */
	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');
		if (!end || (size_t)(end - spec - 1) >= sizeof(host) || (end[1] != '\0' && end[1] != ':')) {
			snprintf(err, errcap, "--gsmtap %s: expected HOST[:PORT]", spec);
			return -1;
		}
		memcpy(host, spec + 1, (size_t)(end - spec - 1));
		host[end - spec - 1] = '\0';
		if (end[1] == ':')
			port = end + 2;
	} else {
		colon = strrchr(spec, ':');
		if (colon && strchr(spec, ':') != colon)
			colon = NULL; /* a bare IPv6 address: no port */
		if (strlen(spec) >= sizeof(host)) {
			snprintf(err, errcap, "--gsmtap %s: host name too long", spec);
			return -1;
		}
		strcpy(host, spec);
		if (colon) {
			host[colon - spec] = '\0';
			port = colon + 1;
		}
	}
	if (host[0] == '\0' || port[0] == '\0') {
		snprintf(err, errcap, "--gsmtap %s: expected HOST[:PORT]", spec);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		snprintf(err, errcap, "--gsmtap %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		snprintf(err, errcap, "--gsmtap %s: %s", spec, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int pcap_header(FILE *f)
{
	/* pcap file header, written in host byte order (the magic tells readers which) */
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t thiszone;
		uint32_t sigfigs, snaplen, network;
	} h = {0xA1B2C3D4u, 2, 4, 0, 0, 65535, LINKTYPE_RAW};

	if (fwrite(&h, sizeof(h), 1, f) != 1 || fflush(f) != 0)
		return -1;
	return 0;
}

int eum_tool_trace_open(struct eum_tool_trace *t, const char *gsmtap, const char *pcap_path, char *err, size_t errcap)
{
	memset(t, 0, sizeof(*t));
	t->udp = -1;
	if (gsmtap) {
		t->udp = udp_open(gsmtap, err, errcap);
		if (t->udp < 0)
			return -1;
	}
	if (pcap_path) {
		t->pcap = fopen(pcap_path, "wb");
		if (!t->pcap || pcap_header(t->pcap) != 0) {
			snprintf(err, errcap, "--pcap %s: %s", pcap_path, strerror(errno));
			eum_tool_trace_close(t);
			return -1;
		}
	}
	return 0;
}

void eum_tool_trace_close(struct eum_tool_trace *t)
{
	if (t->udp >= 0)
		close(t->udp);
	if (t->pcap)
		fclose(t->pcap);
	t->udp = -1;
	t->pcap = NULL;
}

/* IPv4 header checksum (RFC 791: one's complement sum of the 16-bit words) */
static unsigned ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return ~sum & 0xFFFF;
}

static void pcap_write(FILE *f, const uint8_t *gsmtap, size_t len)
{
	static const uint8_t loopback[4] = {127, 0, 0, 1};
	uint8_t ip[28];
	struct timeval tv;
	uint32_t rec[4];
	size_t total = sizeof(ip) + len;

	memset(ip, 0, sizeof(ip));
	ip[0] = 0x45; /* IPv4, 5-word header */
	put16(ip + 2, (unsigned)total);
	ip[8] = 64; /* TTL */
	ip[9] = 17; /* UDP */
	memcpy(ip + 12, loopback, 4);
	memcpy(ip + 16, loopback, 4);
	put16(ip + 10, ip_checksum(ip, 20));
	put16(ip + 20, 4729);                /* source port */
	put16(ip + 22, 4729);                /* destination port: GSMTAP */
	put16(ip + 24, (unsigned)(8 + len)); /* UDP length; checksum 0 = none (RFC 768) */
	gettimeofday(&tv, NULL);
	rec[0] = (uint32_t)tv.tv_sec;
	rec[1] = (uint32_t)tv.tv_usec;
	rec[2] = rec[3] = (uint32_t)total;
	if (fwrite(rec, sizeof(rec), 1, f) != 1 || fwrite(ip, sizeof(ip), 1, f) != 1 ||
	    fwrite(gsmtap, len, 1, f) != 1 || fflush(f) != 0)
		fprintf(stderr, "eum: --pcap: write failed: %s\n", strerror(errno));
}

static void emit(struct eum_tool_trace *t, uint8_t sub_type, const uint8_t *payload, size_t len)
{
	uint8_t msg[16 + 261 + 258];

	if (len > sizeof(msg) - 16)
		return;
	memset(msg, 0, 16);
	msg[0] = GSMTAP_VERSION;
	msg[1] = GSMTAP_HDR_WORDS;
	msg[2] = GSMTAP_TYPE_SIM;
	msg[12] = sub_type;
	memcpy(msg + 16, payload, len);
	if (t->udp >= 0 && send(t->udp, msg, 16 + len, 0) < 0 && errno != ECONNREFUSED)
		fprintf(stderr, "eum: --gsmtap: %s\n", strerror(errno)); /* no listener is not an error */
	if (t->pcap)
		pcap_write(t->pcap, msg, 16 + len);
}

void eum_tool_trace_hook(void *ctx, eum_trace_kind kind, eum_trace_dir dir, unsigned channel, const uint8_t *data,
                         size_t len)
{
	struct eum_tool_trace *t = ctx;
	uint8_t apdu[261 + 258];
	size_t n, lc;

	(void)dir;
	(void)channel; /* the CLA in the payload names it */
	switch (kind) {
	case EUM_TRACE_ATR:
		t->cmd_len = 0;
		emit(t, GSMTAP_SIM_ATR, data, len);
		break;
	case EUM_TRACE_COMMAND:
		t->cmd_len = len <= sizeof(t->cmd) ? len : 0;
		if (t->cmd_len)
			memcpy(t->cmd, data, len);
		break;
	case EUM_TRACE_RESPONSE:
		if (t->cmd_len < 4 || len > 258)
			break;
		/* T=0 TPDU: header with P3 (00 for a case 1 command), command data, response, SW */
		memcpy(apdu, t->cmd, 4);
		apdu[4] = t->cmd_len > 4 ? t->cmd[4] : 0;
		n = 5;
		lc = t->cmd_len > 5 ? t->cmd_len - 5 : 0;
		if (lc > apdu[4])
			lc = apdu[4]; /* a trailing Le of a case 4 command is not sent over T=0 */
		memcpy(apdu + n, t->cmd + 5, lc);
		n += lc;
		memcpy(apdu + n, data, len);
		n += len;
		t->cmd_len = 0;
		emit(t, GSMTAP_SIM_APDU, apdu, n);
		break;
	default:
		break;
	}
}
