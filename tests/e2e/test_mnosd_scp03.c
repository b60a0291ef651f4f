/*
 * End to end: the enabled profile's MNO-SD as a GlobalPlatform security
 * domain (GP Card Specification v2.3 §7, Amendment D SCP03), driven only
 * through eum_card_transmit() with the off-card SCP03 of libeum-host. The
 * default card's bootstrap profile creates it with its securityDomain PE
 * (instance AID A000000151000000, SCP03 key set KVN 30 AES-128 505152…5F,
 * examples/profiles/bootstrap.conf): SELECT by DF name and its FCI, GET DATA
 * E0 key information, INITIALIZE UPDATE / EXTERNAL AUTHENTICATE at security
 * levels 01 and 33 on the basic and a logical channel with a wrapped GET
 * DATA, an unknown key version (6A88), the sequence counter persisted (and
 * nothing else), and no selection once its profile is disabled (6A82).
 */
#include "../unit/gp_test.h"

#include "store/image.h"

static const uint8_t mnosd_aid[8] = {0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00, 0x00};
static const uint8_t key50[16] = {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
                                  0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F};

/* GPCS Table 11-16 key information of the bootstrap MNO-SD: its SCP80 key sets
 * KVN 1..5 (KIc = 01, KID = 02; 3DES2, 3DES3, AES-128, AES-256, DES) then the
 * SCP03 key set KVN 30 (ENC 01, MAC 02, DEK 03; AES-128). */
static const char key_info_e0[] = "E04E"
                                  "C00401018010C00402018010"
                                  "C00401028018C00402028018"
                                  "C00401038810C00402038810"
                                  "C00401048820C00402048820"
                                  "C00401058008C00402058008"
                                  "C00401308810C00402308810C00403308810";

static uint8_t cla(uint8_t base, uint8_t chan)
{
	return (uint8_t)(chan < 4 ? base | chan : (base & 0x80) | 0x40 | (chan - 4));
}

static uint16_t select_mnosd(eum_card *card, uint8_t chan, uint8_t *out, size_t *n)
{
	uint8_t c[14] = {cla(0x00, chan), 0xA4, 0x04, 0x00, 0x08};

	memcpy(c + 5, mnosd_aid, sizeof(mnosd_aid));
	c[13] = 0x00;
	return gpt_xmit(card, c, sizeof(c), out, n);
}

static int enabled_slot(const eum_card *card)
{
	int i;

	for (i = 0; i < EUM_MAX_ISDP; i++)
		if (card->ps->isdp[i]->in_use && card->ps->isdp[i]->lcs == EUM_ISDP_ENABLED)
			return i;
	return -1;
}

/* INITIALIZE UPDATE + EXTERNAL AUTHENTICATE with the MNO-SD's key set (its
 * 8-byte AID is the context of the pseudo-random challenge the host checks). */
static void open_mnosd(eum_card *card, eum_host_scp03 *h, uint8_t chan, uint8_t sl)
{
	static const uint8_t hc[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	uint8_t c[64], r[300];
	size_t n = 0, rl = 0;

	eum_host_scp03_init(h);
	assert_int_equal(eum_host_scp03_set_keys(h, 0x30, key50, key50, key50, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_set_sd_aid(h, mnosd_aid, sizeof(mnosd_aid)), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(h, chan, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	assert_int_equal(rl - 2, 32);  /* with the sequence counter (Amd D §7.1.1.6) */
	assert_int_equal(r[10], 0x30); /* key version number */
	assert_int_equal(r[11], 0x03); /* SCP03 */
	assert_int_equal(eum_host_scp03_check_init_update_response(h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(h, sl, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	assert_int_equal(rl, 2);
}

static void test_select_and_key_info(void **state)
{
	eum_card *card = gpt_card();
	uint8_t out[300], exp[300];
	size_t n, en;

	(void)state;
	assert_int_equal(select_mnosd(card, 0, out, &n), 0x9000);
	/* FCI of a security domain (GPCS §11.1.7): 6F { 84 AID, A5 { 73 …, 9F65 } } */
	en = gpt_hex("6F1B8408A000000151000000A50F"
	             "730906072A864886FC6B01 9F6501FF",
	             exp, sizeof(exp));
	assert_int_equal(GPT_DLEN(n), en);
	assert_memory_equal(out, exp, en);
	assert_int_equal(card->ch[0].app, EUM_APP_MNOSD);

	/* GET DATA E0 in clear, as hosts read it before opening a session */
	assert_int_equal(gpt_xmit_hex(card, "80CA00E000", out, &n), 0x9000);
	en = gpt_hex(key_info_e0, exp, sizeof(exp));
	assert_int_equal(GPT_DLEN(n), en);
	assert_memory_equal(out, exp, en);
	/* the ISD-R's data objects are not the MNO-SD's */
	assert_int_equal(gpt_xmit_hex(card, "80CA004500", out, &n), 0x6A88);
	/* the ISD-R's management commands are not in its table */
	assert_int_equal(gpt_xmit_hex(card, "80F28002024F0000", out, &n), 0x6D00);
	eum_card_free(card);
}

static void session_at(uint8_t chan, uint8_t sl)
{
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300], exp[300], c[8];
	size_t n, en;

	print_message("channel %u, security level %02X\n", chan, sl);
	if (chan) {
		/* MANAGE CHANNEL open of a given number (ISO 7816-4 §7.1.2) */
		assert_int_equal(gpt_xmit_hex(card, chan == 1 ? "00700001" : "00700005", out, &n), 0x9000);
	}
	assert_int_equal(select_mnosd(card, chan, out, &n), 0x9000);
	open_mnosd(card, &h, chan, sl);
	assert_int_equal(card->ch[chan].scp03->state, EUM_SCP03_STATE_AUTHENTICATED);
	assert_int_equal(card->ch[chan].scp03->sl, sl);
	assert_int_equal(card->ch[chan].scp03->kvn, 0x30);

	/* a wrapped GET DATA E0 round trip (C-MAC, and R-MAC/R-ENC at 33) */
	c[0] = cla(0x80, chan);
	c[1] = 0xCA;
	c[2] = 0x00;
	c[3] = 0xE0;
	c[4] = 0x00;
	assert_int_equal(gpt_sm(card, &h, c, 5, out, &n), 0x9000);
	en = gpt_hex(key_info_e0, exp, sizeof(exp));
	assert_int_equal(GPT_DLEN(n), en);
	assert_memory_equal(out, exp, en);
	/* and again: the MAC chaining and the encryption counter advance */
	assert_int_equal(gpt_sm(card, &h, c, 5, out, &n), 0x9000);
	assert_int_equal(GPT_DLEN(n), en);
	assert_memory_equal(out, exp, en);
	/* a command without C-MAC in a C-MAC session is refused and ends it (Amd D §6.2.4) */
	assert_int_equal(gpt_xmit(card, c, 5, out, &n), 0x6982);
	assert_int_equal(card->ch[chan].scp03->state, EUM_SCP03_STATE_NONE);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

static void test_session_01(void **state)
{
	(void)state;
	session_at(0, 0x01);
	session_at(1, 0x01);
}

static void test_session_33(void **state)
{
	(void)state;
	session_at(0, 0x33);
	session_at(5, 0x33);
}

static void test_wrong_key_version(void **state)
{
	eum_card *card = gpt_card();
	uint8_t out[300];
	size_t n;
	struct gpt_image before;

	(void)state;
	assert_int_equal(select_mnosd(card, 0, out, &n), 0x9000);
	before = gpt_snap(card);
	/* Amd D §7.1.1: no key set with KVN 31 (nor the ISD-R's vendor set is reachable here) */
	assert_int_equal(gpt_xmit_hex(card, "80503100080102030405060708 00", out, &n), 0x6A88);
	assert_int_equal(n, 2);
	assert_int_equal(card->ch[0].scp03->state, EUM_SCP03_STATE_NONE);
	gpt_same(card, before);
	eum_card_free(card);
}

static void test_counter_persisted(void **state)
{
	eum_card *card = gpt_card();
	struct eum_pstate *ps;
	struct gpt_image a, b, c;
	eum_host_scp03 h;
	uint8_t out[300];
	uint32_t was;
	size_t n;
	char why[128];
	int slot = enabled_slot(card);

	(void)state;
	assert_true(slot >= 0);
	was = card->prof->mnosd_scp03[0].seq_counter;
	a = gpt_snap(card);
	assert_int_equal(select_mnosd(card, 0, out, &n), 0x9000);
	open_mnosd(card, &h, 0, 0x01);
	eum_host_scp03_free(&h);
	assert_int_equal(card->prof->mnosd_scp03[0].seq_counter, was + 1);
	b = gpt_snap(card);
	assert_int_equal(b.n, a.n);
	assert_memory_not_equal(b.b, a.b, a.n);

	/* the stored image carries the new counter and the MNO-SD as installed */
	ps = calloc(1, sizeof(*ps));
	assert_non_null(ps);
	assert_int_equal(eum_image_read(ps, b.b, b.n, why, sizeof(why)), EUM_OK);
	assert_int_equal(ps->isdp[slot]->prof.mnosd_aid_len, 8);
	assert_memory_equal(ps->isdp[slot]->prof.mnosd_aid, mnosd_aid, 8);
	assert_int_equal(ps->isdp[slot]->prof.mnosd_scp03[0].kvn, 0x30);
	assert_int_equal(ps->isdp[slot]->prof.mnosd_scp03[0].key_len, 16);
	assert_memory_equal(ps->isdp[slot]->prof.mnosd_scp03[0].key_enc, key50, 16);
	assert_memory_equal(ps->isdp[slot]->prof.mnosd_scp03[0].key_mac, key50, 16);
	assert_memory_equal(ps->isdp[slot]->prof.mnosd_scp03[0].key_dek, key50, 16);
	assert_int_equal(ps->isdp[slot]->prof.mnosd_scp03[0].seq_counter, was + 1);
	assert_int_equal(ps->isdp[slot]->prof.mnosd_scp03[1].key_len, 0);
	eum_pstate_free(ps);
	free(ps);

	/* only the counter changed: putting it back gives the first image again */
	card->prof->mnosd_scp03[0].seq_counter = was;
	c = gpt_snap(card);
	assert_int_equal(c.n, a.n);
	assert_memory_equal(c.b, a.b, a.n);
	free(a.b);
	free(b.b);
	free(c.b);
	eum_card_free(card);
}

static void test_not_selectable_when_disabled(void **state)
{
	eum_card *card = gpt_card();
	uint8_t out[300];
	size_t n;
	int slot = enabled_slot(card);

	(void)state;
	assert_true(slot >= 0);
	/* a channel on the MNO-SD loses it when its profile is disabled */
	assert_int_equal(gpt_xmit_hex(card, "00700001", out, &n), 0x9000);
	assert_int_equal(select_mnosd(card, 1, out, &n), 0x9000);
	assert_int_equal(card->ch[1].app, EUM_APP_MNOSD);
	assert_int_equal(eum_isdp_transition(card, slot, EUM_ISDP_EV_DISABLE), EUM_OK);
	eum_card_sync_enabled(card);
	assert_int_equal(card->ch[1].app, EUM_APP_UICC);
	assert_int_equal(select_mnosd(card, 0, out, &n), 0x6A82);
	assert_int_equal(card->ch[0].app, EUM_APP_UICC);
	assert_int_equal(gpt_xmit_hex(card, "80CA00E000", out, &n) == 0x9000, 0);
	/* enabled again, it is selectable again */
	assert_int_equal(eum_isdp_transition(card, slot, EUM_ISDP_EV_ENABLE), EUM_OK);
	eum_card_sync_enabled(card);
	assert_int_equal(select_mnosd(card, 0, out, &n), 0x9000);
	assert_int_equal(card->ch[0].app, EUM_APP_MNOSD);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_select_and_key_info), cmocka_unit_test(test_session_01),
	        cmocka_unit_test(test_session_33),          cmocka_unit_test(test_wrong_key_version),
	        cmocka_unit_test(test_counter_persisted),   cmocka_unit_test(test_not_selectable_when_disabled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
