/*
 * GlobalPlatform key and routing commands of the ISD-R and ISD-P (src/gp/gp_keys.c, store_data.c),
 * driven only through APDUs on a fresh default card inside SCP03 sessions opened by libeum-host:
 * PUT KEY, SCP03 session errors, STORE DATA and INSTALL [for personalization] routing, isolation
 * of ISD-Ps. Every refused command must leave the serialised state byte-identical.
 */
#include "gp_cmds_test.h"

#include "core/sw.h"
#include "store/store.h"

/* ---- PUT KEY --------------------------------------------------------------------- */

/* New KVN 31, AES-128 ENC 10..1F, MAC 20..2F, DEK 30..3F, each DEK(404142…4F)-encrypted in the
 * Amd D length-prefixed form 88 11 10 <16> 03 <KCV> (golden values from an independent AES). */
#define PUT128                                                                                                         \
	"31881110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03840de5"               \
	"8811101445ad3442be8a465148c5667f6022c5035eaada"
/* New KVN 32, AES-256 ENC 50..6F, MAC 70..8F, DEK 90..AF, form 88 20 <32> 03 <KCV>. */
#define PUT256                                                                                                         \
	"328820c62e5212589b9eaf19ae940d03c3b7c21b9a031dfac164c660d7648a2f12eca30389b493882079f5ecff0ce8"               \
	"e1a75d3b57985cc42099deadab6f7b54c820cc2b491ce18f382603f71be58820648fc0715f36d341b7c7a2a418f7bd"               \
	"fc4ae19ed5a209e91e7ba91b658b08ca4d03cae6f4"

static void test_put_key(void **state)
{
	static const struct {
		const char *hdr, *data;
		uint16_t sw;
	} bad[] = {
	        {"80D83081",
	         "31881110790accda858b997029fa9ae50c9cd028030138098811108caa7f589aa0ceb6350a45e70a6e435b03840d"
	         "e58811101445ad3442be8a465148c5667f6022c5035eaada",
	         0x9485}, /* KCV */
	        {"80D83081",
	         "31801110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03840d"
	         "e58811101445ad3442be8a465148c5667f6022c5035eaada",
	         0x9484},                     /* DES type */
	        {"80D83381", PUT128, 0x6A88}, /* no key set 33 */
	        {"80D80081", PUT128, 0x6A84}, /* the ISD-R holds one SCP03 key set */
	        {"80D83001", PUT128, 0x6A86},
	        {"80D8B081", PUT128, 0x6A86},
	        {"80D83081",
	         "00881110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03840d"
	         "e58811101445ad3442be8a465148c5667f6022c5035eaada",
	         0x6A80}, /* KVN 00 */
	        {"80D83081",
	         "31881110790accda858b997029fa9ae50c9cd028030138088811108caa7f589aa0ceb6350a45e70a6e435b03840d"
	         "e5",
	         0x6A80}, /* two keys only */
	};
	static const uint8_t e2[32] = {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A,
	                               0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65,
	                               0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F};
	uint8_t m2[32], d2[32], e1[16], m1[16], d1[16];
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n, i;
	struct gpt_image before;

	(void)state;
	for (i = 0; i < 32; i++) {
		m2[i] = (uint8_t)(0x70 + i);
		d2[i] = (uint8_t)(0x90 + i);
	}
	for (i = 0; i < 16; i++) {
		e1[i] = (uint8_t)(0x10 + i);
		m1[i] = (uint8_t)(0x20 + i);
		d1[i] = (uint8_t)(0x30 + i);
	}
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x33);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("%s\n", bad[i].hdr);
		before = gpt_snap(card);
		assert_int_equal(cmd(card, &h, bad[i].hdr, bad[i].data, 1, out, &n), bad[i].sw);
		gpt_same(card, before);
	}
	/* replace KVN 30 by an AES-256 set 32: the answer is KVN + the three KCVs */
	assert_int_equal(cmd(card, &h, "80D83081", PUT256, 1, out, &n), 0x9000);
	expect_data(out, n, "32 89b493 f71be5 cae6f4");
	assert_int_equal(card->ps->isdr.scp03[0].kvn, 0x32);
	assert_int_equal(card->ps->isdr.scp03[0].key_len, 32);
	assert_memory_equal(card->ps->isdr.scp03[0].key_enc, e2, 32);
	assert_memory_equal(card->ps->isdr.scp03[0].key_dek, d2, 32);
	assert_int_equal(card->ps->isdr.scp03[0].seq_counter, 0);
	/* the running session keeps its session keys */
	assert_int_equal(cmd(card, &h, "80F28002", "4F00", 1, out, &n), 0x9000);
	eum_host_scp03_free(&h);
	/* a new session needs the new keys; the new DEK then carries the next PUT KEY */
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK); /* ends the session */
	gpt_select_isdr(card, 0);
	gpt_open_keys(card, &h, 0, gpt_aid_isdr, e2, m2, d2, 32, 0x32, 0x13);
	assert_int_equal(cmd(card, &h, "80F28002", "4F00", 1, out, &n), 0x9000);
	/* data not encrypted under this session's DEK (90..AF) decrypts to other keys: the KCVs tell */
	assert_int_equal(cmd(card, &h, "80D83281", PUT128, 1, out, &n), 0x9485);
	eum_host_scp03_free(&h);

	/* on a fresh card: the length-prefixed AES-128 form, then a session with it */
	eum_card_free(card);
	card = gpt_card();
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x01);
	assert_int_equal(cmd(card, &h, "80D83081", PUT128, 1, out, &n), 0x9000);
	expect_data(out, n, "31 013808 840de5 5eaada");
	eum_host_scp03_free(&h);
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
	gpt_select_isdr(card, 0);
	gpt_open_keys(card, &h, 0, gpt_aid_isdr, e1, m1, d1, 16, 0x31, 0x33);
	assert_int_equal(cmd(card, &h, "80F28002", "4F00", 1, out, &n), 0x9000);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* PUT KEY of an SCP81 TLS PSK (key type 85, KVN 40-4F; spec digest scp81-https.md §3.4) to the ISD-R
 * in its SCP03 session: the key component under the static Key-DEK (40..4F). PSK 50..5F; ciphertext
 * and KCV from an independent AES. */
static void test_put_key_scp81(void **state)
{
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300], psk[32], want[16];
	size_t n, len, i;
	struct gpt_image before;

	(void)state;
	for (i = 0; i < 16; i++)
		want[i] = (uint8_t)(0x50 + i);
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x33);
	before = gpt_snap(card);
	/* the Key-DEK does not decrypt to the KCV's key with another KCV */
	assert_int_equal(cmd(card, &h, "80D80001", "418510C62E5212589B9EAF19AE940D03C3B7C203F2A8DE", 1, out, &n),
	                 0x9485);
	gpt_same(card, before);
	assert_int_equal(cmd(card, &h, "80D80001", "418510C62E5212589B9EAF19AE940D03C3B7C203F2A8DF", 1, out, &n),
	                 0x9000);
	expect_data(out, n, "41 F2A8DF");
	assert_int_equal(eum_isdr_scp81_psk(card, 0x41, 0x01, psk, sizeof(psk), &len), EUM_OK);
	assert_int_equal(len, 16);
	assert_memory_equal(psk, want, 16);
	/* GET DATA E0 lists it after the test key */
	assert_int_equal(cmd(card, &h, "80CA00E0", "", 1, out, &n), 0x9000);
	{
		static const uint8_t two[12] = {0xC0, 0x04, 0x01, 0x40, 0x85, 0x10, 0xC0, 0x04, 0x01, 0x41, 0x85, 0x10};
		int found = 0;
		for (i = 0; i + sizeof(two) <= GPT_DLEN(n); i++)
			found |= !memcmp(out + i, two, sizeof(two));
		assert_true(found);
	}
	eum_host_scp03_free(&h);
	/* without a secure channel: refused before anything is decrypted */
	assert_int_equal(eum_card_reset(card, 0, NULL, 0, NULL), EUM_OK);
	gpt_select_isdr(card, 0);
	before = gpt_snap(card);
	assert_int_equal(cmd(card, NULL, "80D80001", "428510C62E5212589B9EAF19AE940D03C3B7C203F2A8DF", 1, out, &n),
	                 0x6982);
	gpt_same(card, before);
	eum_card_free(card);
}

/* ---- SCP03 session errors ---------------------------------------------------------- */

static void test_session_errors(void **state)
{
	static const uint8_t hc[8] = {8, 7, 6, 5, 4, 3, 2, 1};
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t c[300], r[300], w[300];
	size_t n, rl, wn;
	struct gpt_image before;

	(void)state;
	gpt_select_isdr(card, 0);

	/* wrong key version: 6A88 */
	before = gpt_snap(card);
	assert_int_equal(gpt_xmit_hex(card, "8050310008010203040506070800", r, &rl), 0x6A88);
	gpt_same(card, before);

	/* wrong host cryptogram: 6300, no session */
	eum_host_scp03_init(&h);
	assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, gpt_key40, gpt_key40, gpt_key40, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(&h, 0, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(&h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x01, c, sizeof(c), &n), EUM_OK);
	c[5] ^= 0x01;
	before = gpt_snap(card);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x6300);
	gpt_same(card, before);
	gpt_xmit(card, (const uint8_t *)"\x80\xF2\x80\x02\x02\x4F\x00\x00", 8, r, &rl);
	before = gpt_snap(card);
	assert_int_equal(eum_host_scp03_wrap_command(&h, (const uint8_t *)"\x80\xF2\x80\x02\x02\x4F\x00\x00", 8, w,
	                                             sizeof(w), &wn),
	                 EUM_OK);
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x6982);
	gpt_same(card, before);
	eum_host_scp03_free(&h);

	/* replayed EXTERNAL AUTHENTICATE: 6985, and the open session ends */
	eum_host_scp03_init(&h);
	assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, gpt_key40, gpt_key40, gpt_key40, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(&h, 0, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(&h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x01, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x9000);
	before = gpt_snap(card);
	assert_int_equal(gpt_xmit(card, c, n, r, &rl), 0x6985);
	assert_int_equal(eum_host_scp03_wrap_command(&h, (const uint8_t *)"\x80\xF2\x80\x02\x02\x4F\x00\x00", 8, w,
	                                             sizeof(w), &wn),
	                 EUM_OK);
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x6982);
	gpt_same(card, before);
	eum_host_scp03_free(&h);

	/* missing C-MAC in a C-MAC session: 6982 and the session is closed */
	gpt_open(card, &h, 0, 0x01);
	before = gpt_snap(card);
	assert_int_equal(gpt_xmit_hex(card, "80F28002024F0000", r, &rl), 0x6982);
	assert_int_equal(card->ch[0].scp03->state, EUM_SCP03_STATE_NONE);
	assert_int_equal(eum_host_scp03_wrap_command(&h, (const uint8_t *)"\x80\xF2\x80\x02\x02\x4F\x00\x00", 8, w,
	                                             sizeof(w), &wn),
	                 EUM_OK);
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x6982);
	gpt_same(card, before);
	eum_host_scp03_free(&h);

	/* invalid C-MAC on a management command: 6982, nothing installed, session closed */
	gpt_open(card, &h, 0, 0x01);
	before = gpt_snap(card);
	n = gpt_hex("80E60C003F10" ELF "10" MOD "10" PFX "000013000380C00006C904810203700000", c, sizeof(c));
	assert_int_equal(eum_host_scp03_wrap_command(&h, c, n, w, sizeof(w), &wn), EUM_OK);
	w[wn - 2] ^= 0x80; /* last C-MAC byte (Le follows) */
	assert_int_equal(gpt_xmit(card, w, wn, r, &rl), 0x6982);
	assert_int_equal(card->ch[0].scp03->state, EUM_SCP03_STATE_NONE);
	gpt_same(card, before);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- STORE DATA and INSTALL [for personalization] through APDUs ---------------------- */

static void test_store_data_apdus(void **state)
{
	eum_card *card = gpt_card();
	eum_host_scp03 h;
	uint8_t out[300];
	size_t n;
	struct gpt_image before;

	(void)state;
	gpt_select_isdr(card, 0);
	gpt_open(card, &h, 0, 0x03);
	before = gpt_snap(card);
	/* a DGI no handler knows, split over two blocks: the first is taken, the last answers 6A88 */
	assert_int_equal(cmd(card, &h, "80E20800", "7FF0", 0, out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80E28801", "02AABB", 0, out, &n), 0x6A88);
	/* block numbering: 01 without 00, a gap, a format change */
	assert_int_equal(cmd(card, &h, "80E28801", "7FF000", 0, out, &n), 0x6A86);
	assert_int_equal(cmd(card, &h, "80E20800", "7FF0", 0, out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80E28802", "00", 0, out, &n), 0x6A86);
	assert_int_equal(cmd(card, &h, "80E20800", "7FF0", 0, out, &n), 0x9000);
	assert_int_equal(cmd(card, &h, "80E29001", "00", 0, out, &n), 0x6A86);
	/* DEK-encrypted or unstructured data is not an SGP.02 format */
	assert_int_equal(cmd(card, &h, "80E2E800", "7FF000", 0, out, &n), 0x6A86);
	assert_int_equal(cmd(card, &h, "80E28000", "7FF000", 0, out, &n), 0x6A86);
	/* a malformed DGI */
	assert_int_equal(cmd(card, &h, "80E28800", "7FF005AA", 0, out, &n), 0x6A80);
	/* INSTALL [for personalization] of an unknown / known ISD-P */
	assert_int_equal(cmd(card, &h, "80E62000", "000010" PFX "0000330000000000", 1, out, &n), 0x6A80);
	assert_int_equal(cmd(card, &h, "80E62000", "000010" PFX "00003300000000", 1, out, &n), 0x6A88);
	assert_int_equal(cmd(card, &h, "80E62000", "000010" BOOT "000000", 1, out, &n), 0x9000);
	expect_data(out, n, "00");
	assert_int_equal(card->ch[0].gp->perso_active, 1);
	assert_int_equal(card->ch[0].gp->perso_isdp, 0);
	/* the personalisation ends with the last STORE DATA block */
	assert_int_equal(cmd(card, &h, "80E28800", "7FF000", 0, out, &n), 0x6A88);
	assert_int_equal(card->ch[0].gp->perso_active, 0);
	gpt_same(card, before);
	eum_host_scp03_free(&h);
	eum_card_free(card);
}

/* ---- isolation of ISD-Ps ---------------------------------------------------------- */

/* APDUs on a virtual OTA channel (as an SCP80 script reaches an SD). */
static uint16_t vx(eum_card *card, struct eum_channel *ch, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len)
{
	uint8_t buf[EUM_RESP_MAX];
	struct eum_rsp r = {buf, sizeof(buf), 0};
	uint8_t cases;
	uint16_t sw = eum_process_apdu(card, ch, c, n, &r, &cases);

	assert_true(r.len + 2 <= 300);
	memcpy(out, buf, r.len);
	out[r.len] = (uint8_t)(sw >> 8);
	out[r.len + 1] = (uint8_t)sw;
	*out_len = r.len + 2;
	return sw;
}

static uint16_t vx_hex(eum_card *card, struct eum_channel *ch, const char *hex, uint8_t *out, size_t *n)
{
	uint8_t c[300];
	size_t cn = gpt_hex(hex, c, sizeof(c));

	return vx(card, ch, c, cn, out, n);
}

/* Open SCP03 on a virtual channel to an ISD-P. */
static void vopen(eum_card *card, struct eum_channel *ch, eum_host_scp03 *h, const uint8_t aid[16],
                  const uint8_t key[16], uint8_t kvn)
{
	static const uint8_t hc[8] = {1, 1, 2, 2, 3, 3, 4, 4};
	uint8_t c[64], r[300];
	size_t n = 0, rl = 0;

	eum_host_scp03_init(h);
	assert_int_equal(eum_host_scp03_set_keys(h, kvn, key, key, key, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_set_sd_aid(h, aid, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(h, 0, hc, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(vx(card, ch, c, n, r, &rl), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(h, r, rl - 2), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(h, 0x01, c, sizeof(c), &n), EUM_OK);
	assert_int_equal(vx(card, ch, c, n, r, &rl), 0x9000);
}

static int seen_isdp = -2;
static uint16_t record_dgi(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                           struct eum_rsp *r)
{
	(void)card;
	(void)ch;
	(void)val;
	(void)len;
	(void)r;
	seen_isdp = isdp;
	return EUM_SW_OK;
}

static void test_isolation(void **state)
{
	static const struct eum_gp_dgi_handler rows[] = {
	        {EUM_GP_SD_FORMAT_DGI, 0x7FF0, EUM_APP_ISDP, record_dgi, "test", NULL, 0, 0},
	};
	static const struct eum_gp_dgi_table tbl = {rows, 1};
	const uint8_t *ka = gpt_key40; /* A's key set: the DEK the golden PUT KEY data was encrypted with */
	static const uint8_t kb[16] = {0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8,
	                               0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF, 0xB0};
	uint8_t aid_a[16], aid_b[16], out[300];
	struct eum_vchannel vca, vcb;
	struct eum_channel *va = &vca.ch, *vb = &vcb.ch;
	struct eum_isdp copy_b;
	eum_card *card = gpt_card();
	eum_host_scp03 h, hr;
	struct eum_apdu a = {0};
	struct eum_rsp r = {out, sizeof(out), 0};
	int sa = 0, sb;
	size_t n;

	(void)state;
	eum_isdp_aid_for_tar((const uint8_t[3]){0x00, 0x00, 0x10}, aid_a);
	eum_isdp_aid_for_tar((const uint8_t[3]){0x00, 0x00, 0x13}, aid_b);
	/* ISD-Ps are reached on OTA channels only: a SELECT on a logical channel goes elsewhere */
	assert_int_equal(gpt_xmit_hex(card, "0070000001", out, &n), 0x9000);
	assert_int_not_equal(gpt_xmit_hex(card, "01A4040010" PFX "00001000", out, &n), 0x9000);
	assert_int_not_equal(card->ch[1].app, EUM_APP_ISDP);
	gpt_select_isdr(card, 0);
	gpt_open(card, &hr, 0, 0x01);
	assert_int_equal(install(card, &hr, "000013", "0380C000", "06C90481020370", out, &n), 0x9000);
	sb = eum_isdp_find(card, aid_b, 16);
	assert_true(sb > 0);
	/* key sets as ES8 would have established them (internal access) */
	card->ps->isdp[sa]->scp03[0] = (struct eum_scp03_keyset){.kvn = 0x30, .key_len = 16};
	memcpy(card->ps->isdp[sa]->scp03[0].key_enc, ka, 16);
	memcpy(card->ps->isdp[sa]->scp03[0].key_mac, ka, 16);
	memcpy(card->ps->isdp[sa]->scp03[0].key_dek, ka, 16);
	card->ps->isdp[sb]->scp03[0] = (struct eum_scp03_keyset){.kvn = 0x30, .key_len = 16};
	card->ps->isdp[sb]->scp03[1] = (struct eum_scp03_keyset){.kvn = 0x31, .key_len = 16};
	memcpy(card->ps->isdp[sb]->scp03[0].key_enc, kb, 16);
	memcpy(card->ps->isdp[sb]->scp03[0].key_mac, kb, 16);
	memcpy(card->ps->isdp[sb]->scp03[0].key_dek, kb, 16);
	eum_store_dirty_all(card); /* state set by hand: the store must know (EUM_STORE_VERIFY) */

	eum_vchannel_init(&vca);
	eum_vchannel_init(&vcb);
	va->open = vb->open = 1;
	va->ota = vb->ota = 1;
	assert_int_equal(vx_hex(card, va, "00A4040010" PFX "00001000", out, &n), 0x9000);
	assert_int_equal(vx_hex(card, vb, "00A4040010" PFX "00001300", out, &n), 0x9000);
	assert_int_equal(va->app, EUM_APP_ISDP);
	assert_int_equal(va->isdp, sa);
	assert_int_equal(vb->isdp, sb);

	/* A's key information shows A's key set only */
	assert_int_equal(vx_hex(card, va, "80CA00E000", out, &n), 0x9000);
	expect_data(out, n, "E012 C00401308810 C00402308810 C00403308810");
	/* B's keys do not open A; B's second key version is unknown to A */
	{
		static const uint8_t hc[8] = {0};
		uint8_t c[64], rr[300];
		size_t cn, rl;
		eum_host_scp03_init(&h);
		assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, kb, kb, kb, 16), EUM_OK);
		assert_int_equal(eum_host_scp03_initialize_update(&h, 0, hc, c, sizeof(c), &cn), EUM_OK);
		assert_int_equal(vx(card, va, c, cn, rr, &rl), 0x9000);
		assert_int_equal(eum_host_scp03_check_init_update_response(&h, rr, rl - 2), EUM_ERR_CRYPTO);
		eum_host_scp03_free(&h);
		assert_int_equal(vx_hex(card, va, "8050310008000000000000000000", out, &n), 0x6A88);
	}
	/* a new key set put into A lands in A's free slot; B is untouched */
	copy_b = *card->ps->isdp[sb];
	vopen(card, va, &h, aid_a, ka, 0x30);
	{
		uint8_t c[300], w[300], rr[300];
		size_t cn = gpt_hex("80D80081"
		                    "46" PUT128 "00",
		                    c, sizeof(c)),
		       wn, rl;
		assert_int_equal(eum_host_scp03_wrap_command(&h, c, cn, w, sizeof(w), &wn), EUM_OK);
		assert_int_equal(vx(card, va, w, wn, rr, &rl), 0x9000);
		assert_int_equal(eum_host_scp03_unwrap_response(&h, rr, rl, out, sizeof(out), &n), EUM_OK);
		expect_data(out, n, "31 013808 840de5 5eaada");
	}
	assert_int_equal(card->ps->isdp[sa]->scp03[1].kvn, 0x31);
	assert_memory_equal(card->ps->isdp[sb], &copy_b, sizeof(copy_b));
	eum_host_scp03_free(&h);

	/* STORE DATA through A's channel reaches A; through B's, B; via the ISD-R's
	 * INSTALL [for personalization], the ISD-P it names */
	a.cla = 0x80;
	a.ins = 0xE2;
	a.p1 = 0x88;
	a.p2 = 0x00;
	a.data = (const uint8_t *)"\x7F\xF0\x01\x00";
	a.lc = 4;
	a.cases = EUM_CASE3;
	assert_int_equal(eum_gp_store_data_with(card, va, &a, &r, &tbl), 0x9000);
	assert_int_equal(seen_isdp, sa);
	assert_int_equal(eum_gp_store_data_with(card, vb, &a, &r, &tbl), 0x9000);
	assert_int_equal(seen_isdp, sb);
	assert_int_equal(cmd(card, &hr, "80E62000", "000010" PFX "00001300000000", 1, out, &n), 0x9000);
	assert_int_equal(eum_gp_store_data_with(card, &card->ch[0], &a, &r, &tbl), 0x9000);
	assert_int_equal(seen_isdp, sb);
	/* without a personalisation the ISD-R receives it: no ISD-R row for this DGI */
	seen_isdp = -2;
	assert_int_equal(eum_gp_store_data_with(card, &card->ch[0], &a, &r, &tbl), 0x6A88);
	assert_int_equal(seen_isdp, -2);
	/* content management is the ISD-R's: A cannot delete, install or list B */
	eum_scp03_session_close(&vca.scp03);
	eum_vchannel_init(&vca);
	va->open = va->ota = 1;
	assert_int_equal(vx_hex(card, va, "00A4040010" PFX "00001000", out, &n), 0x9000);
	assert_int_equal(vx_hex(card, va,
	                        "80E4000012"
	                        "4F10" PFX "00001300",
	                        out, &n),
	                 0x6D00);
	assert_int_equal(vx_hex(card, va, "80F24002024F0000", out, &n), 0x6D00);
	assert_int_equal(vx_hex(card, va, "80F0400F10" PFX "00001300", out, &n), 0x6D00);
	eum_host_scp03_free(&hr);
	eum_card_free(card);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_put_key),        cmocka_unit_test(test_put_key_scp81),
	        cmocka_unit_test(test_session_errors), cmocka_unit_test(test_store_data_apdus),
	        cmocka_unit_test(test_isolation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
