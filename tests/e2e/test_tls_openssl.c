/*
 * Independence of the card's PSK-TLS client (src/crypto/tls.c, scp81-https.md §3): the peer is not
 * mbedTLS but OpenSSL, `openssl s_server -psk <hex> -psk_identity <id> -nocert -tls1_2 -rev` on
 * loopback (issue 15 "Independence"). The card's byte-driven client runs over a real TCP socket
 * (this test moves the bytes, as the BIP channel does on a device): handshake with 00A8 and with
 * 00AE, max_fragment_length 512 honoured by OpenSSL's records, one line each way (s_server -rev
 * answers it reversed), close_notify; OpenSSL's own log must show the suite, the offered list and
 * no identity mismatch. A wrong PSK fails on the card. Skipped, with a message, when no openssl.
 * The HTTP-level peer test over BIP is the bridge's (tests/cli / tests/e2e).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto/tls.h"
#include "eum/eum.h"

extern char **environ;

static const uint8_t psk[16] = {0xA0, 0xB1, 0xC2, 0xD3, 0xE4, 0xF5, 0x06, 0x17,
                                0x28, 0x39, 0x4A, 0x5B, 0x6C, 0x7D, 0x8E, 0x9F};
static const char psk_hex[] = "a0b1c2d3e4f5061728394a5b6c7d8e9f";
/* SGP.02 "Table 4" identity text (scp81-https.md §3.3), 90 characters */
static const char identity[] = "800102811089049032123451234512345678901235"
                               "4F10A0000005591010FFFFFFFF8900000100820101830140";

struct server {
	pid_t pid;
	int out; /* s_server's stdout + stderr */
	char log[16384];
	size_t log_len;
	int port;
};

static int find_openssl(void)
{
	const char *path = getenv("PATH");
	char dir[512], file[600];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		if (n > 0 && n < sizeof(dir)) {
			memcpy(dir, path, n);
			dir[n] = 0;
			snprintf(file, sizeof(file), "%s/openssl", dir);
			if (access(file, X_OK) == 0)
				return 1;
		}
		path += n + (path[n] == ':');
	}
	return 0;
}

/* Read the server's output until `want` appears (or EOF / 20 s without output); 1 when seen. */
static int server_wait_for(struct server *s, const char *want)
{
	for (;;) {
		struct pollfd pfd = {s->out, POLLIN, 0};
		ssize_t r;

		s->log[s->log_len] = 0;
		if (want && strstr(s->log, want))
			return 1;
		if (poll(&pfd, 1, 20000) <= 0 || s->log_len + 1 >= sizeof(s->log))
			return 0;
		r = read(s->out, s->log + s->log_len, sizeof(s->log) - 1 - s->log_len);
		if (r <= 0)
			return 0;
		s->log_len += (size_t)r;
	}
}

static void server_start(struct server *s, const char *cipher)
{
	char *argv[] = {"openssl",       "s_server",       "-accept", "127.0.0.1:0", "-psk",    (char *)psk_hex,
	                "-psk_identity", (char *)identity, "-nocert", "-tls1_2",     "-cipher", (char *)cipher,
	                "-rev",          "-naccept",       "1",       NULL};
	posix_spawn_file_actions_t fa;
	int fds[2];
	const char *p;

	memset(s, 0, sizeof(*s));
	assert_int_equal(pipe(fds), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	assert_int_equal(posix_spawnp(&s->pid, "openssl", &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	s->out = fds[0];
	assert_true(server_wait_for(s, "ACCEPT 127.0.0.1:"));
	p = strstr(s->log, "ACCEPT 127.0.0.1:") + strlen("ACCEPT 127.0.0.1:");
	if (!strchr(p, '\n'))
		server_wait_for(s, "\n");
	s->port = atoi(strstr(s->log, "ACCEPT 127.0.0.1:") + strlen("ACCEPT 127.0.0.1:"));
	assert_true(s->port > 0 && s->port < 65536);
}

/* The server exits after its one connection (-naccept 1): collect its log, reap it. */
static void server_finish(struct server *s)
{
	int status = 0;

	server_wait_for(s, NULL); /* to EOF */
	if (waitpid(s->pid, &status, WNOHANG) == 0) {
		kill(s->pid, SIGTERM); /* the server this test started, by its pid */
		waitpid(s->pid, &status, 0);
	}
	close(s->out);
	s->log[s->log_len] = 0;
}

static int tcp_connect(int port)
{
	struct sockaddr_in a = {0};
	struct timeval tv = {20, 0}; /* a guard against a hang, not a timed assertion */
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void flush_out(eum_tls *t, int fd)
{
	uint8_t buf[2048];
	size_t n;

	while ((n = eum_tls_output(t, buf, sizeof(buf))) > 0)
		assert_int_equal(send(fd, buf, n, MSG_NOSIGNAL), (ssize_t)n);
}

/* Peer bytes into the card; returns how many (0 = EOF / error). The largest record header seen is
 * tracked across calls (records may straddle reads). */
struct rx_track {
	size_t hdr_fill, body_left, max_frag;
	uint8_t hdr[5];
};

static size_t pull(eum_tls *t, int fd, struct rx_track *rx)
{
	uint8_t buf[2048];
	ssize_t r = recv(fd, buf, sizeof(buf), 0);

	if (r <= 0)
		return 0;
	for (ssize_t i = 0; i < r; i++) {
		if (rx->body_left > 0) {
			rx->body_left--;
			continue;
		}
		rx->hdr[rx->hdr_fill++] = buf[i];
		if (rx->hdr_fill == 5) {
			rx->body_left = (size_t)rx->hdr[3] << 8 | rx->hdr[4];
			if (rx->hdr[0] == 0x17 && rx->body_left > rx->max_frag)
				rx->max_frag = rx->body_left;
			rx->hdr_fill = 0;
		}
	}
	assert_int_equal(eum_tls_input(t, buf, (size_t)r), EUM_OK);
	return (size_t)r;
}

static int rng(void *ctx, uint8_t *buf, size_t len)
{
	uint32_t *s = ctx;

	for (size_t i = 0; i < len; i++) {
		*s = *s * 1103515245u + 12345u;
		buf[i] = (uint8_t)(*s >> 16);
	}
	return 0;
}

static eum_tls *card_client(uint16_t suite, const uint8_t *key, uint32_t *seed)
{
	struct eum_tls_config c = {key, 16, (const uint8_t *)identity, strlen(identity), &suite, 1, 512, rng, seed};
	eum_tls *t = NULL;

	assert_int_equal(eum_tls_client_new(&t, &c), EUM_OK);
	return t;
}

static void session_with(uint16_t suite, const char *cipher, const char *cipher_name)
{
	char line[1200], expect[1200], got[1300], want[128];
	struct rx_track rx = {0};
	struct server s;
	uint32_t seed = suite;
	size_t len = 0, n, line_len;
	eum_tls *t;
	int fd, rc;

	if (!find_openssl()) {
		print_message(
		        "openssl not found in PATH: the OpenSSL peer test is skipped (install the openssl package)\n");
		skip();
	}
	server_start(&s, cipher);
	fd = tcp_connect(s.port);
	t = card_client(suite, psk, &seed);
	while ((rc = eum_tls_handshake(t)) == EUM_TLS_AGAIN) {
		flush_out(t, fd);
		assert_true(pull(t, fd, &rx) > 0);
	}
	assert_int_equal(rc, EUM_OK);
	assert_int_equal(eum_tls_suite(t), suite);
	flush_out(t, fd);

	/* one short line, then one longer than a 512-byte fragment: answered reversed */
	for (int round = 0; round < 2; round++) {
		line_len = round == 0 ? 23 : 1100;
		for (size_t i = 0; i < line_len - 1; i++)
			line[i] = round == 0 ? "hello from the eum card"[i] : (char)('a' + i % 26);
		line[line_len - 1] = '\n';
		for (size_t i = 0; i < line_len - 1; i++)
			expect[i] = line[line_len - 2 - i];
		expect[line_len - 1] = '\n';
		assert_int_equal(eum_tls_write(t, (const uint8_t *)line, line_len), EUM_OK);
		flush_out(t, fd);
		len = 0;
		while (len < line_len) {
			rc = eum_tls_read(t, (uint8_t *)got + len, sizeof(got) - len, &n);
			if (rc == EUM_TLS_AGAIN) {
				assert_true(pull(t, fd, &rx) > 0);
				continue;
			}
			assert_int_equal(rc, EUM_OK);
			len += n;
		}
		assert_int_equal(len, line_len);
		assert_memory_equal(got, expect, line_len);
	}
	/* OpenSSL cut its 1100-byte answer at the 512 bytes the card asked for (RFC 6066 §4) */
	assert_true(rx.max_frag <= 512 + (suite == EUM_TLS_PSK_AES128_GCM_SHA256 ? 8 + 16 : 16 + 32 + 16));
	assert_true(rx.max_frag > 512);

	assert_int_equal(eum_tls_close_notify(t), EUM_OK);
	flush_out(t, fd);
	eum_tls_free(t);
	close(fd);
	server_finish(&s);
	/* OpenSSL's view: TLS 1.2, the suite, the card's offer, and the identity it expected */
	assert_non_null(strstr(s.log, "Protocol version: TLSv1.2"));
	snprintf(want, sizeof(want), "Ciphersuite: %s", cipher_name);
	assert_non_null(strstr(s.log, want));
	snprintf(want, sizeof(want), "Client cipher list: %s:TLS_EMPTY_RENEGOTIATION_INFO_SCSV\n", cipher_name);
	assert_non_null(strstr(s.log, want));
	assert_null(strstr(s.log, "PSK warning"));
	print_message("openssl s_server, %s: handshake, 2 lines both ways, records from OpenSSL <= %zu bytes\n",
	              cipher_name, rx.max_frag);
}

static void test_openssl_gcm(void **state)
{
	(void)state;
	session_with(EUM_TLS_PSK_AES128_GCM_SHA256, "PSK-AES128-GCM-SHA256", "PSK-AES128-GCM-SHA256");
}

static void test_openssl_cbc(void **state)
{
	(void)state;
	session_with(EUM_TLS_PSK_AES128_CBC_SHA256, "PSK-AES128-CBC-SHA256", "PSK-AES128-CBC-SHA256");
}

/* The card holds another key: OpenSSL refuses its Finished, the card ends with EUM_ERR_CRYPTO. */
static void test_openssl_wrong_psk(void **state)
{
	uint8_t other[16];
	struct rx_track rx = {0};
	struct server s;
	uint32_t seed = 7;
	eum_tls *t;
	int fd, rc;

	(void)state;
	if (!find_openssl()) {
		print_message(
		        "openssl not found in PATH: the OpenSSL peer test is skipped (install the openssl package)\n");
		skip();
	}
	memcpy(other, psk, sizeof(other));
	other[15] ^= 0x01;
	server_start(&s, "PSK");
	fd = tcp_connect(s.port);
	t = card_client(EUM_TLS_PSK_AES128_GCM_SHA256, other, &seed);
	while ((rc = eum_tls_handshake(t)) == EUM_TLS_AGAIN) {
		flush_out(t, fd);
		if (pull(t, fd, &rx) == 0)
			break;
	}
	assert_int_equal(rc, EUM_ERR_CRYPTO);
	assert_non_null(strstr(eum_tls_error(t), "alert"));
	print_message("wrong PSK against OpenSSL: %s\n", eum_tls_error(t));
	eum_tls_free(t);
	close(fd);
	server_finish(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_openssl_gcm),
	        cmocka_unit_test(test_openssl_cbc),
	        cmocka_unit_test(test_openssl_wrong_psk),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
