/*
 * Tests of libeum-host's BIP terminal (src/host/bip_terminal.c, include/eum/host/bip.h): scenarios
 * as step tables (FETCHed proactive command -> action + TERMINAL RESPONSE, bytes from the network,
 * link loss -> event ENVELOPEs), with the bytes of spec digest scp81-https.md §2 and §6: the worked
 * example's OPEN CHANNEL / SEND DATA / RECEIVE DATA, the TERMINAL RESPONSEs of real terminals quoted
 * by sysmo-ota (tags without the CR bit), the data available / channel status ENVELOPEs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eum/eum.h"
#include "eum/host/bip.h"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		unsigned v;

		if (*s == ' ') {
			s++;
			continue;
		}
		assert_true(n < cap && s[1] != '\0'); /* an even number of digits */
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* "%s" repeated: a hex pattern of n bytes 00 01 02 ... for channel data */
static void seq_hex(char *out, size_t n, unsigned start)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", (unsigned)((start + i) & 0xFF));
	out[2 * n] = '\0';
}

enum kind {
	END,
	FETCH,   /* in = FETCH data; what = expected action; err = bip_error passed; out = expected TR APDU */
	NET,     /* in = bytes from the network */
	DROP,    /* the link is lost */
	EVENT,   /* out = expected ENVELOPE APDU ("" = none due) */
	NOT_BIP, /* in = FETCH data of a command the terminal leaves to its caller */
};

struct step {
	enum kind k;
	const char *in;
	enum eum_host_bip_what what;
	unsigned err;
	const char *out;
};

struct scenario {
	uint16_t cap;
	int cr;
	struct step steps[16];
};

/* The card's usual opening: SET UP EVENT LIST (data available, channel status) */
#define SUEL       "D00D8103010500820281829902090A"
#define SUEL_TR    "801400000C810301050082028281830100"
#define SUEL_TR_NC "801400000C010301050002028281030100"

static void run(const struct scenario *sc)
{
	static struct eum_host_bip_terminal t;
	struct eum_host_bip_action act;
	uint8_t in[600], exp[300], out[300];
	size_t il, el, ol;
	const struct step *s;

	eum_host_bip_init(&t, sc->cap);
	t.cr = sc->cr;
	for (s = sc->steps; s->k != END; s++) {
		il = s->in ? unhex(s->in, in, sizeof(in)) : 0;
		el = s->out ? unhex(s->out, exp, sizeof(exp)) : 0;
		switch (s->k) {
		case FETCH:
			assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
			assert_string_equal(eum_host_bip_what_name(act.what), eum_host_bip_what_name(s->what));
			assert_int_equal(eum_host_bip_response(&t, s->err, out, sizeof(out), &ol), EUM_OK);
			assert_int_equal(ol, el);
			assert_memory_equal(out, exp, el);
			/* the response is built once */
			assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_ERR_STATE);
			break;
		case NOT_BIP:
			assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
			assert_int_equal(act.what, EUM_HOST_BIP_NOT_BIP);
			assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_ERR_STATE);
			break;
		case NET:
			assert_int_equal(eum_host_bip_received(&t, in, il), EUM_OK);
			break;
		case DROP:
			assert_int_equal(eum_host_bip_link_dropped(&t), EUM_OK);
			break;
		case EVENT:
			if (!el) {
				assert_int_equal(eum_host_bip_event(&t, out, sizeof(out), &ol), EUM_ERR_NOT_FOUND);
			} else {
				assert_int_equal(eum_host_bip_event(&t, out, sizeof(out), &ol), EUM_OK);
				assert_int_equal(ol, el);
				assert_memory_equal(out, exp, el);
			}
			break;
		default:
			fail();
		}
	}
}

/* Digest §6 steps 2-5 (CR tags, as the worked example): OPEN CHANNEL 1024 bytes to 192.168.1.1:8080,
 * SEND DATA of the 59-byte ClientHello, data available 3F, RECEIVE DATA 3F. */
static void test_worked_example(void **state)
{
	static char ch[2 * 59 + 1], sh[2 * 63 + 1], send[400], rtr[400];
	static const char *open_cmd = "D01C810301400382028182350103390204003C03021F903E0521C0A80101";
	struct scenario sc = {.cap = 1500, .cr = 1};
	struct eum_host_bip_action act;
	static struct eum_host_bip_terminal t;
	uint8_t in[300], out[300];
	size_t il, ol;

	(void)state;
	seq_hex(ch, 59, 0x16);
	seq_hex(sh, 63, 0x40);
	snprintf(send, sizeof(send), "D046810302430182028121B63B%s", ch);
	snprintf(rtr, sizeof(rtr), "80140000%02X810303420082028281830100B63F%sB70100", 12 + 2 + 63 + 3, sh);
	sc.steps[0] = (struct step){FETCH, SUEL, EUM_HOST_BIP_REPLY, 0, SUEL_TR};
	sc.steps[1] = (struct step){FETCH, open_cmd, EUM_HOST_BIP_CONNECT, 0,
	                            "8014000017810301400382028281830100B8028100B50103B9020400"};
	sc.steps[2] = (struct step){EVENT, NULL, 0, 0, ""};
	sc.steps[3] = (struct step){FETCH, send, EUM_HOST_BIP_SEND, 0, "801400000F810302430182028281830100B701FF"};
	sc.steps[4] = (struct step){NET, sh, 0, 0, NULL};
	sc.steps[5] = (struct step){EVENT, NULL, 0, 0, "80C2000010D60E99010982028281B8028100B7013F"};
	sc.steps[6] = (struct step){EVENT, NULL, 0, 0, ""}; /* signalled once */
	sc.steps[7] = (struct step){FETCH, "D00C810303420082028121B7013F", EUM_HOST_BIP_REPLY, 0, rtr};
	sc.steps[8] = (struct step){EVENT, NULL, 0, 0, ""};
	sc.steps[9] = (struct step){FETCH, "D009810307410082028121", EUM_HOST_BIP_CLOSE, 0,
	                            "801400000C810307410082028281830100"};
	sc.steps[10] = (struct step){FETCH, "D009810308440082028182", EUM_HOST_BIP_REPLY, 0,
	                             "8014000010810308440082028281830100B8020000"};
	sc.steps[11] = (struct step){END, NULL, 0, 0, NULL};
	run(&sc);

	/* the decoded OPEN CHANNEL and the SEND DATA bytes */
	eum_host_bip_init(&t, 1500);
	il = unhex(open_cmd, in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_int_equal(act.what, EUM_HOST_BIP_CONNECT);
	assert_int_equal(act.number, 1);
	assert_int_equal(act.qualifier, 0x03);
	assert_int_equal(act.transport, 0x02);
	assert_int_equal(act.port, 8080);
	assert_int_equal(act.addr_type, 0x21);
	assert_int_equal(act.addr_len, 4);
	assert_string_equal(act.addr_text, "192.168.1.1");
	assert_int_equal(act.bearer_len, 1);
	assert_int_equal(act.bearer[0], 0x03);
	assert_int_equal(act.buffer_asked, 1024);
	assert_int_equal(act.buffer_granted, 1024);
	assert_string_equal(act.apn, "");
	assert_null(act.login);
	assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_OK);
	assert_int_equal(t.state, EUM_HOST_BIP_OPEN);
	assert_int_equal(eum_host_bip_rx_room(&t), 1024);
	il = unhex(send, in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_int_equal(act.what, EUM_HOST_BIP_SEND);
	assert_int_equal(act.len, 59);
	assert_memory_equal(act.data, in + 13, 59);
}

/* sysmo-ota's trace-derived OPEN CHANNEL (tags without CR, empty alpha, APN megafon.ru, buffer 512)
 * and the TERMINAL RESPONSEs of real terminals it quotes: ok, and failed with 3A 00; CLOSE CHANNEL. */
static void test_sysmo_terminal_responses(void **state)
{
	static const char *open_cmd = "D02B010301400102028182050035010339020200470B076D65676166"
	                              "6F6E0272753C03021F903E05217F000001";
	struct scenario ok = {.cap = 1500, .cr = 0}, ko = {.cap = 1500, .cr = 0};
	static struct eum_host_bip_terminal t;
	struct eum_host_bip_action act;
	uint8_t in[100];
	size_t il;

	(void)state;
	ok.steps[0] = (struct step){FETCH, open_cmd, EUM_HOST_BIP_CONNECT, 0,
	                            "80140000170103014001020282810301003802810035010339020200"};
	ok.steps[1] = (struct step){FETCH, "D009810301410082028121", EUM_HOST_BIP_CLOSE, 0,
	                            "801400000C010301410002028281030100"};
	ok.steps[2] = (struct step){FETCH, "D009810302440082028182", EUM_HOST_BIP_REPLY, 0,
	                            "801400001001030244000202828103010038020000"};
	run(&ok);
	ko.steps[0] = (struct step){FETCH, open_cmd, EUM_HOST_BIP_CONNECT, EUM_HOST_BIP_ERR_NO_CAUSE,
	                            "801400001401030140010202828103023A0035010339020200"};
	/* nothing is open after the failure: a new OPEN CHANNEL is served */
	ko.steps[1] = (struct step){FETCH, open_cmd, EUM_HOST_BIP_CONNECT, EUM_HOST_BIP_ERR_REMOTE_UNREACHABLE,
	                            "801400001401030140010202828103023A0735010339020200"};
	run(&ko);

	eum_host_bip_init(&t, 0);
	il = unhex(open_cmd, in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_string_equal(act.apn, "megafon.ru");
	assert_string_equal(act.addr_text, "127.0.0.1");
	assert_int_equal(act.port, 0x1F90);
	assert_int_equal(act.qualifier, 0x01);
}

/* Buffer larger than the terminal grants: result 07, B9 = the granted size; the Tx buffer holds
 * that much: SEND DATA "store" reports what is left, "send" hands out everything stored. */
static void test_buffer_modified_and_store(void **state)
{
	static char d1[2 * 200 + 1], d2[2 * 100 + 1], c1[600], c2[400], c3[600];
	static const char *open_cmd = "D01C810301400382028182350103390208003C03021F903E05217F000001";
	struct scenario sc = {.cap = 300, .cr = 1};
	static struct eum_host_bip_terminal t;
	struct eum_host_bip_action act;
	uint8_t in[300], out[300];
	size_t il, ol;

	(void)state;
	seq_hex(d1, 200, 0);
	seq_hex(d2, 100, 200);
	/* D0 81 D4 ... B6 81 C8 <200> (BER lengths in the command), qualifier 00: store */
	snprintf(c1, sizeof(c1), "D081D4810302430082028121B681C8%s", d1);
	snprintf(c3, sizeof(c3), "D081D4810303430082028121B681C8%s", d1);
	/* qualifier 01: send immediately */
	snprintf(c2, sizeof(c2), "D06F810304430182028121B664%s", d2);
	sc.steps[0] = (struct step){FETCH, open_cmd, EUM_HOST_BIP_CONNECT, 0,
	                            "8014000017810301400382028281830107B8028100B50103B902012C"};
	sc.steps[1] = (struct step){FETCH, c1, EUM_HOST_BIP_REPLY, 0, "801400000F810302430082028281830100B70164"};
	/* 200 more than the 100 free: refused, nothing stored */
	sc.steps[2] = (struct step){FETCH, c3, EUM_HOST_BIP_REPLY, 0, "801400000D81030343008202828183023A00"};
	sc.steps[3] = (struct step){FETCH, c2, EUM_HOST_BIP_SEND, 0, "801400000F810304430182028281830100B701FF"};
	sc.steps[4] = (struct step){END, NULL, 0, 0, NULL};
	run(&sc);

	/* the bytes handed out are the 200 stored then the 100 sent */
	eum_host_bip_init(&t, 300);
	il = unhex(open_cmd, in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_int_equal(act.buffer_asked, 0x800);
	assert_int_equal(act.buffer_granted, 300);
	assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_OK);
	il = unhex(c1, in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_OK);
	il = unhex(c2, in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_int_equal(act.what, EUM_HOST_BIP_SEND);
	assert_int_equal(act.len, 300);
	for (il = 0; il < 300; il++)
		assert_int_equal(act.data[il], (uint8_t)il);
	assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_OK);
	assert_int_equal(t.bytes_sent, 300);
}

/* RECEIVE DATA: B6 with a BER length above 127, the 0xEC clamp and result 02 when fewer bytes
 * than asked, B7 = bytes left (FF = 255 or more); a new data available once the card emptied the
 * buffer. */
static void test_receive_ber_and_clamp(void **state)
{
	static char net[2 * 400 + 1], tr1[800], tr2[800], tr3[400], net2[2 * 5 + 1];
	struct scenario sc = {.cap = 1500, .cr = 1};

	(void)state;
	seq_hex(net, 400, 0);
	seq_hex(net2, 5, 0xA0);
	/* ask E0 of 400: E0 given (result 00), B6 81 E0, 400-224 = 176 left */
	snprintf(tr1, sizeof(tr1), "80140000%02X810303420082028281830100B681E0%.*sB701B0", 12 + 3 + 224 + 3, 2 * 224,
	         net);
	/* ask FF: clamped to EC, fewer than asked -> 02; 176-236 < 0: 176 given */
	snprintf(tr2, sizeof(tr2), "80140000%02X810304420082028281830102B681B0%sB70100", 12 + 3 + 176 + 3,
	         net + 2 * 224);
	/* ask 10 of 5 -> 02, B6 05 */
	snprintf(tr3, sizeof(tr3), "80140000%02X810305420082028281830102B605%sB70100", 12 + 2 + 5 + 3, net2);
	sc.steps[0] = (struct step){FETCH, SUEL, EUM_HOST_BIP_REPLY, 0, SUEL_TR};
	sc.steps[1] =
	        (struct step){FETCH, "D01C810301400382028182350103390204003C03021F903E05217F000001",
	                      EUM_HOST_BIP_CONNECT, 0, "8014000017810301400382028281830100B8028100B50103B9020400"};
	sc.steps[2] = (struct step){NET, net, 0, 0, NULL};
	sc.steps[3] = (struct step){EVENT, NULL, 0, 0, "80C2000010D60E99010982028281B8028100B701FF"};
	sc.steps[4] = (struct step){FETCH, "D00C810303420082028121B701E0", EUM_HOST_BIP_REPLY, 0, tr1};
	sc.steps[5] = (struct step){EVENT, NULL, 0, 0, ""}; /* card has not emptied the buffer */
	sc.steps[6] = (struct step){FETCH, "D00C810304420082028121B701FF", EUM_HOST_BIP_REPLY, 0, tr2};
	sc.steps[7] = (struct step){EVENT, NULL, 0, 0, ""};
	sc.steps[8] = (struct step){NET, net2, 0, 0, NULL};
	sc.steps[9] = (struct step){EVENT, NULL, 0, 0, "80C2000010D60E99010982028281B8028100B70105"};
	sc.steps[10] = (struct step){FETCH, "D00C810305420082028121B7010A", EUM_HOST_BIP_REPLY, 0, tr3};
	sc.steps[11] = (struct step){END, NULL, 0, 0, NULL};
	run(&sc);
}

/* Link loss: data received before it is still delivered (data available first), then channel
 * status 01 05; SEND DATA is refused (3A 02), RECEIVE DATA of an empty dropped channel too; GET
 * CHANNEL STATUS says 01 05; CLOSE CHANNEL ends it. */
static void test_link_dropped(void **state)
{
	struct scenario sc = {.cap = 1500, .cr = 1};

	(void)state;
	sc.steps[0] = (struct step){FETCH, SUEL, EUM_HOST_BIP_REPLY, 0, SUEL_TR};
	sc.steps[1] =
	        (struct step){FETCH, "D01C810302400382028182350103390204003C03021F903E05217F000001",
	                      EUM_HOST_BIP_CONNECT, 0, "8014000017810302400382028281830100B8028100B50103B9020400"};
	sc.steps[2] = (struct step){NET, "0102030405060708", 0, 0, NULL};
	sc.steps[3] = (struct step){DROP, NULL, 0, 0, NULL};
	sc.steps[4] = (struct step){EVENT, NULL, 0, 0, "80C2000010D60E99010982028281B8020105B70108"};
	sc.steps[5] = (struct step){EVENT, NULL, 0, 0, ""}; /* status waits for the data to be read */
	sc.steps[6] = (struct step){FETCH, "D00C810303420082028121B70108", EUM_HOST_BIP_REPLY, 0,
	                            "8014000019810303420082028281830100B6080102030405060708B70100"};
	sc.steps[7] = (struct step){EVENT, NULL, 0, 0, "80C200000DD60B99010A82028281B8020105"};
	sc.steps[8] = (struct step){EVENT, NULL, 0, 0, ""};
	sc.steps[9] = (struct step){FETCH, "D00C810304430182028121B60101", EUM_HOST_BIP_REPLY, 0,
	                            "801400000D81030443018202828183023A02"};
	sc.steps[10] = (struct step){FETCH, "D00C810305420082028121B70108", EUM_HOST_BIP_REPLY, 0,
	                             "801400000D81030542008202828183023A02"};
	sc.steps[11] = (struct step){FETCH, "D009810306440082028182", EUM_HOST_BIP_REPLY, 0,
	                             "8014000010810306440082028281830100B8020105"};
	sc.steps[12] = (struct step){FETCH, "D009810307410082028121", EUM_HOST_BIP_CLOSE, 0,
	                             "801400000C810307410082028281830100"};
	sc.steps[13] = (struct step){EVENT, NULL, 0, 0, ""};
	sc.steps[14] = (struct step){END, NULL, 0, 0, NULL};
	run(&sc);
}

/* Events only when the card's event list asked for them (sysmo-ota
 * test_skipped_without_subscription); an empty SET UP EVENT LIST removes them. */
static void test_events_need_subscription(void **state)
{
	struct scenario none = {.cap = 1500, .cr = 1}, removed = {.cap = 1500, .cr = 1};

	(void)state;
	none.steps[0] =
	        (struct step){FETCH, "D01C810301400382028182350103390204003C03021F903E05217F000001",
	                      EUM_HOST_BIP_CONNECT, 0, "8014000017810301400382028281830100B8028100B50103B9020400"};
	none.steps[1] = (struct step){NET, "AABB", 0, 0, NULL};
	none.steps[2] = (struct step){EVENT, NULL, 0, 0, ""};
	none.steps[3] = (struct step){DROP, NULL, 0, 0, NULL};
	none.steps[4] = (struct step){EVENT, NULL, 0, 0, ""};
	none.steps[5] = (struct step){END, NULL, 0, 0, NULL};
	run(&none);
	/* only channel status subscribed (99 01 0A), then the list emptied (99 00) */
	removed.steps[0] = (struct step){FETCH, "D00C81030105008202818299010A", EUM_HOST_BIP_REPLY, 0,
	                                 "801400000C810301050082028281830100"};
	removed.steps[1] =
	        (struct step){FETCH, "D01C810302400382028182350103390204003C03021F903E05217F000001",
	                      EUM_HOST_BIP_CONNECT, 0, "8014000017810302400382028281830100B8028100B50103B9020400"};
	removed.steps[2] = (struct step){NET, "AABB", 0, 0, NULL};
	removed.steps[3] = (struct step){EVENT, NULL, 0, 0, ""};
	removed.steps[4] = (struct step){DROP, NULL, 0, 0, NULL};
	removed.steps[5] = (struct step){EVENT, NULL, 0, 0, "80C200000DD60B99010A82028281B8020105"};
	removed.steps[6] = (struct step){FETCH, "D00B8103030500820281829900", EUM_HOST_BIP_REPLY, 0,
	                                 "801400000C810303050082028281830100"};
	removed.steps[7] = (struct step){END, NULL, 0, 0, NULL};
	run(&removed);
}

/* Refusals decided from the command: wrong channel (3A 03), a second channel (3A 01), missing
 * transport level / address (36), UDP accepted but an unknown address type and transport refused
 * (30), malformed TLVs (32), a command that is not BIP (left to the caller). */
static void test_refusals(void **state)
{
	struct scenario sc = {.cap = 1500, .cr = 1};

	(void)state;
	/* before any channel: SEND DATA / RECEIVE DATA / CLOSE CHANNEL name no valid channel */
	sc.steps[0] = (struct step){FETCH, "D00C810301430182028121B60101", EUM_HOST_BIP_REPLY, 0,
	                            "801400000D81030143018202828183023A03"};
	sc.steps[1] = (struct step){FETCH, "D009810302410082028121", EUM_HOST_BIP_REPLY, 0,
	                            "801400000D81030241008202828183023A03"};
	/* no transport level */
	sc.steps[2] = (struct step){FETCH, "D01081030340038202818235010339020400", EUM_HOST_BIP_REPLY, 0,
	                            "801400000C810303400382028281830136"};
	/* transport 03 (TCP server) */
	sc.steps[3] = (struct step){FETCH, "D01C810304400382028182350103390204003C03031F903E05217F000001",
	                            EUM_HOST_BIP_REPLY, 0, "801400000C810304400382028281830130"};
	/* truncated TLV */
	sc.steps[4] = (struct step){FETCH, "D00C810305400382028182350503", EUM_HOST_BIP_REPLY, 0,
	                            "801400000C810305400382028281830132"};
	sc.steps[5] =
	        (struct step){FETCH, "D01C810306400382028182350103390204003C03021F903E05217F000001",
	                      EUM_HOST_BIP_CONNECT, 0, "8014000017810306400382028281830100B8028100B50103B9020400"};
	sc.steps[6] = (struct step){FETCH, "D01C810307400382028182350103390204003C03021F903E05217F000001",
	                            EUM_HOST_BIP_REPLY, 0, "801400000D81030740038202828183023A01"};
	sc.steps[7] = (struct step){FETCH, "D00C810308430182028122B60101", EUM_HOST_BIP_REPLY, 0,
	                            "801400000D81030843018202828183023A03"};
	/* SEND SHORT MESSAGE: not the terminal's business */
	sc.steps[8] = (struct step){NOT_BIP, "D009810309130082028183", 0, 0, NULL};
	sc.steps[9] = (struct step){END, NULL, 0, 0, NULL};
	run(&sc);
}

/* UDP transport and an IPv6 destination; a local address before the transport level is not the
 * destination. */
static void test_udp_ipv6(void **state)
{
	static struct eum_host_bip_terminal t;
	struct eum_host_bip_action act;
	uint8_t in[100];
	size_t il;

	(void)state;
	eum_host_bip_init(&t, 1500);
	il = unhex("D02F810301400382028182350103390204003E05210A0000013C03010035"
	           "3E115720010DB8000000000000000000000001",
	           in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_int_equal(act.what, EUM_HOST_BIP_CONNECT);
	assert_int_equal(act.transport, 0x01);
	assert_int_equal(act.port, 53);
	assert_int_equal(act.addr_type, 0x57);
	assert_int_equal(act.addr_len, 16);
	assert_string_equal(act.addr_text, "2001:db8:0:0:0:0:0:1");
	/* malformed proactive commands: no response possible */
	assert_int_equal(eum_host_bip_fetch(&t, in, 1, &act), EUM_ERR_PARSE);
	il = unhex("D0058203818282", in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_ERR_PARSE);
	il = unhex("D00A8103014003", in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_ERR_PARSE);
	assert_int_equal(eum_host_bip_fetch(NULL, in, il, &act), EUM_ERR_INVALID_ARG);
}

/* Rx buffer back-pressure: no more than the granted buffer size is taken. */
static void test_rx_room(void **state)
{
	static struct eum_host_bip_terminal t;
	struct eum_host_bip_action act;
	uint8_t in[100], out[300], big[200];
	size_t il, ol;

	(void)state;
	memset(big, 0x5A, sizeof(big));
	eum_host_bip_init(&t, 100);
	assert_int_equal(eum_host_bip_rx_room(&t), 0);
	assert_int_equal(eum_host_bip_received(&t, big, 1), EUM_ERR_STATE);
	assert_int_equal(eum_host_bip_link_dropped(&t), EUM_ERR_STATE);
	il = unhex("D01C810301400382028182350103390204003C03021F903E05217F000001", in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_int_equal(eum_host_bip_rx_room(&t), 0); /* not open before its response */
	assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_OK);
	assert_int_equal(eum_host_bip_rx_room(&t), 100);
	assert_int_equal(eum_host_bip_received(&t, big, 101), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_host_bip_received(&t, big, 60), EUM_OK);
	assert_int_equal(eum_host_bip_rx_room(&t), 40);
	/* the card reads 50: room for 90, the 10 left move to the front when needed */
	il = unhex("D00C810302420082028121B70132", in, sizeof(in));
	assert_int_equal(eum_host_bip_fetch(&t, in, il, &act), EUM_OK);
	assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_OK);
	assert_int_equal(eum_host_bip_rx_room(&t), 90);
	assert_int_equal(eum_host_bip_received(&t, big, 90), EUM_OK);
	assert_int_equal(eum_host_bip_rx_room(&t), 0);
	assert_int_equal(t.bytes_recv, 50);
}

/* TERMINAL PROFILE: the BIP bits over the base profile; at least 17 bytes. */
static void test_profile(void **state)
{
	static const uint8_t base[10] = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0xDF, 0xFF, 0x00};
	uint8_t apdu[64], exp[64];
	size_t n, el;

	(void)state;
	assert_int_equal(eum_host_bip_profile(base, sizeof(base), apdu, sizeof(apdu), &n), EUM_OK);
	el = unhex("8010000011 FFFFFFFF7F0C00DFFF00001F2200000003", exp, sizeof(exp));
	assert_int_equal(n, el);
	assert_memory_equal(apdu, exp, el);
	assert_int_equal(eum_host_bip_profile(NULL, 0, apdu, sizeof(apdu), &n), EUM_OK);
	el = unhex("8010000011 00000000010C00000000001F2200000003", exp, sizeof(exp));
	assert_int_equal(n, 22);
	assert_memory_equal(apdu, exp, 22);
	assert_int_equal(eum_host_bip_profile(base, sizeof(base), apdu, 21, &n), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_host_bip_profile(NULL, 3, apdu, sizeof(apdu), &n), EUM_ERR_INVALID_ARG);
}

static uint32_t lcg = 2026;

static uint32_t rnd(uint32_t n)
{
	lcg = lcg * 1103515245u + 12345u;
	return (lcg >> 8) % n;
}

/* Mutated commands (flipped, inserted, dropped, truncated bytes, wrong lengths) mixed with network bytes,
 * link losses and events never get the terminal out of its bounds: every TERMINAL RESPONSE and ENVELOPE
 * is one short APDU whose Lc is its data length, the Rx buffer never holds more than the granted size. */
static void test_mutations(void **state)
{
	static const char *seeds[] = {
	        SUEL,
	        "D01C81030140038202818235010339020400"
	        "3C03021F903E0521C0A80101",
	        "D02B010301400102028182050035010339020200470B076D656761666F6E0272753C03021F903E05217F000001",
	        "D00D810302430182028121B6020102",
	        "D00C810303420082028121B701E0",
	        "D009810304410082028121",
	        "D009810305440082028182",
	        "D02F810301400382028182350103390204003E05210A0000013C030100353E115720010DB8000000000000000000000001",
	};
	static struct eum_host_bip_terminal t;
	struct eum_host_bip_action act;
	uint8_t seed[300], cmd[300], out[300], net[64];
	size_t sl, cl, ol, i, k;
	int rc;

	(void)state;
	eum_host_bip_init(&t, 300);
	for (i = 0; i < 20000; i++) {
		sl = unhex(seeds[rnd(sizeof(seeds) / sizeof(seeds[0]))], seed, sizeof(seed));
		memcpy(cmd, seed, sl);
		cl = sl;
		for (k = rnd(4); k > 0 && cl > 0; k--) {
			size_t at = rnd((uint32_t)cl);
			switch (rnd(5)) {
			case 0: /* flip */
				cmd[at] ^= (uint8_t)(1u << rnd(8));
				break;
			case 1: /* random byte */
				cmd[at] = (uint8_t)rnd(256);
				break;
			case 2: /* drop */
				memmove(cmd + at, cmd + at + 1, cl - at - 1);
				cl--;
				break;
			case 3: /* insert */
				if (cl < sizeof(cmd)) {
					memmove(cmd + at + 1, cmd + at, cl - at);
					cmd[at] = (uint8_t)rnd(256);
					cl++;
				}
				break;
			default: /* truncate */
				cl = at + 1;
				break;
			}
		}
		rc = eum_host_bip_fetch(&t, cmd, cl, &act);
		assert_true(rc == EUM_OK || rc == EUM_ERR_PARSE);
		if (rc == EUM_OK && act.what != EUM_HOST_BIP_NOT_BIP) {
			unsigned err = rnd(4) ? 0 : EUM_HOST_BIP_ERR_NO_CAUSE + rnd(8);
			assert_int_equal(eum_host_bip_response(&t, err, out, sizeof(out), &ol), EUM_OK);
			assert_true(ol >= 5 + 12 && ol <= 5 + 255);
			assert_int_equal(out[4], ol - 5);
			assert_memory_equal(out, "\x80\x14\x00\x00", 4);
		} else {
			assert_int_equal(eum_host_bip_response(&t, 0, out, sizeof(out), &ol), EUM_ERR_STATE);
		}
		switch (rnd(4)) {
		case 0: {
			size_t n = rnd(sizeof(net));
			memset(net, (int)i, n);
			rc = eum_host_bip_received(&t, net, n);
			assert_true(rc == EUM_OK || rc == EUM_ERR_STATE || rc == EUM_ERR_BUFFER_TOO_SMALL);
			break;
		}
		case 1:
			if (!rnd(8))
				(void)eum_host_bip_link_dropped(&t);
			break;
		default:
			while (eum_host_bip_event(&t, out, sizeof(out), &ol) == EUM_OK) {
				assert_true(ol == 5 + 16 || ol == 5 + 13);
				assert_int_equal(out[4], ol - 5);
			}
			break;
		}
		assert_true(t.rx_len <= t.buffer && t.rx_off + t.rx_len <= sizeof(t.rx));
		assert_true(t.tx_len <= t.buffer);
	}
	/* the mix reached every action */
	assert_true(t.n_commands > 1000 && t.bytes_sent > 0 && t.bytes_recv > 0 && t.n_events > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_worked_example),
	        cmocka_unit_test(test_sysmo_terminal_responses),
	        cmocka_unit_test(test_buffer_modified_and_store),
	        cmocka_unit_test(test_receive_ber_and_clamp),
	        cmocka_unit_test(test_link_dropped),
	        cmocka_unit_test(test_events_need_subscription),
	        cmocka_unit_test(test_refusals),
	        cmocka_unit_test(test_udp_ipv6),
	        cmocka_unit_test(test_rx_room),
	        cmocka_unit_test(test_profile),
	        cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
