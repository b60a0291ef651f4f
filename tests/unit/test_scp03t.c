/*
 * SGP.02 SCP03t on the card (src/sgp02/scp03t.c) through its TLV entry point, with segments larger than
 * an SMS-carried script allows (1000, 1500, 4096 bytes and the whole package in one segment), checked by
 * the independent host side (libeum-host smdp.h); UpdateConnectivityParameters (DGI 3A07) in an APDU SCP03
 * session on an ISD-P channel; the connectivity parameters through the state image.
 * The ISD-P and its keys are set up over OTA as in tests/e2e (es8_e2e.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "../e2e/es8_e2e.h"

#include "core/card.h"
#include "eum/host/scp03.h"
#include "gp/gp.h"
#include "sgp02/scp03t.h"
#include "store/image.h"

#define DATE_2026 1767225600ull

static uint8_t der[32768];
static const uint8_t tar20[3] = {0x00, 0x00, 0x20};

static struct eum_card *C(struct es8 *x)
{
	return (struct eum_card *)x->card;
}

/* One TLV straight into the card's SCP03t handler; the answer TLV in rsp. */
static int tlv_in(struct es8 *x, int slot, const uint8_t *tlv, size_t n, uint8_t *rsp, size_t cap, size_t *rlen)
{
	size_t h = 2, l = tlv[1];

	if (l == 0x81) {
		l = tlv[2];
		h = 3;
	} else if (l == 0x82) {
		l = (size_t)tlv[2] << 8 | tlv[3];
		h = 4;
	}
	assert_int_equal(h + l, n);
	return eum_scp03t_tlv(C(x), slot, tlv[0], tlv + h, l, rsp, cap, rlen);
}

static void open_direct(struct es8 *x, int slot, eum_host_scp03t *t, uint32_t seq)
{
	static const uint8_t hc[8] = {9, 8, 7, 6, 5, 4, 3, 2};
	uint8_t tlv[40], rsp[64];
	size_t n, rl;

	assert_int_equal(eum_host_scp03t_init(t, 0x30, 0, x->keys.key[0], x->keys.key[1], 16), EUM_OK);
	assert_int_equal(eum_host_scp03t_build_84(t, hc, tlv, sizeof(tlv), &n), EUM_OK);
	assert_int_equal(tlv_in(x, slot, tlv, n, rsp, sizeof(rsp), &rl), EUM_SCP03T_CONSUMED);
	assert_int_equal(eum_host_scp03t_check_84(t, rsp, rl, x->isdp_aid, 16), EUM_OK);
	assert_int_equal(t->seq_counter, seq);
	assert_int_equal(eum_host_scp03t_build_85(t, tlv, sizeof(tlv), &n), EUM_OK);
	assert_int_equal(tlv_in(x, slot, tlv, n, rsp, sizeof(rsp), &rl), EUM_SCP03T_CONSUMED);
	assert_int_equal(rl, 2);
	assert_memory_equal(rsp, "\x85\x00", 2);
}

static void test_large_segments(void **state)
{
	static const size_t segs[] = {1000, 1500, 4096, 65000};
	static uint8_t tlv[66000];
	size_t len = es8_file("ts48/TS48V2-SAIP2-3-NOBERTLV-UNIQUE.der", der, sizeof(der)), i;

	(void)state;
	for (i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		eum_host_euicc_response resp;
		eum_host_scp03t t;
		uint8_t rsp[512], plain[512];
		size_t off = 0, n, rl, pl = 0, count = 0;
		struct es8 x;
		int slot;

		es8_init(&x, DATE_2026);
		es8_create_isdp(&x, tar20);
		es8_establish_keys(&x, 0);
		slot = eum_isdp_find(C(&x), x.isdp_aid, 16);
		open_direct(&x, slot, &t, 1);
		while (off < len) {
			assert_int_equal(
			        eum_host_scp03t_next_segment(&t, der, len, segs[i], &off, tlv, sizeof(tlv), &n),
			        EUM_OK);
			assert_int_equal(tlv_in(&x, slot, tlv, n, rsp, sizeof(rsp), &rl), EUM_SCP03T_CONSUMED);
			assert_int_equal(eum_host_scp03t_check_86(&t, rsp, rl, plain, sizeof(plain), &pl), EUM_OK);
			count++;
			if (off < len)
				assert_int_equal(pl, 0);
		}
		assert_int_equal(count, (len + segs[i] - 1) / segs[i]);
		assert_true(pl > 0);
		assert_int_equal(eum_host_euicc_response_decode(plain, pl, &resp), EUM_OK);
		assert_true(eum_host_euicc_response_ok(&resp));
		assert_int_equal(C(&x)->ps->isdp[slot]->lcs, EUM_ISDP_DISABLED);
		assert_int_equal(C(&x)->ps->isdp[slot]->has_profile, 1);
		eum_host_scp03t_free(&t);
		es8_free(&x);
	}
}

/* The R-ENC / R-MAC variants the host offers are distinct: the default-built card answer verifies only with
 * the default ones (GP ICV, TLV R-MAC input), so a build switch would be noticed. */
static void test_response_variants(void **state)
{
	static uint8_t tlv[20000];
	eum_host_scp03t t, alt;
	uint8_t rsp[512], plain[512];
	size_t len = es8_file("ts48/TS48V1-A-UNIQUE.der", der, sizeof(der)), off = 0, n, rl, pl;
	struct es8 x;
	int slot;

	(void)state;
	es8_init(&x, DATE_2026);
	es8_create_isdp(&x, tar20);
	es8_establish_keys(&x, 0);
	slot = eum_isdp_find(C(&x), x.isdp_aid, 16);
	open_direct(&x, slot, &t, 1);
	assert_int_equal(eum_host_scp03t_next_segment(&t, der, len, len, &off, tlv, sizeof(tlv), &n), EUM_OK);
	assert_int_equal(tlv_in(&x, slot, tlv, n, rsp, sizeof(rsp), &rl), EUM_SCP03T_CONSUMED);
	alt = t;
	alt.rmac_input = EUM_HOST_SCP03T_RMAC_DATA_SW;
	assert_int_equal(eum_host_scp03t_check_86(&alt, rsp, rl, plain, sizeof(plain), &pl), EUM_ERR_CRYPTO);
	alt = t;
	alt.renc_icv = EUM_HOST_SCP03T_RENC_ICV_CMD;
	assert_int_not_equal(eum_host_scp03t_check_86(&alt, rsp, rl, plain, sizeof(plain), &pl), EUM_OK);
	assert_int_equal(eum_host_scp03t_check_86(&t, rsp, rl, plain, sizeof(plain), &pl), EUM_OK);
	assert_true(pl > 0);
	eum_host_scp03t_free(&t);
	es8_free(&x);
}

/* One APDU on the ISD-P's virtual channel (as inside its remote script). */
static uint16_t isdp_apdu(struct es8 *x, struct eum_channel *ch, const uint8_t *c, size_t n, uint8_t *out, size_t *ol)
{
	struct eum_rsp r;
	uint8_t cases;
	uint16_t sw;

	r.data = out;
	r.cap = 512;
	r.len = 0;
	sw = eum_process_apdu(C(x), ch, c, n, &r, &cases);
	*ol = r.len;
	return sw;
}

static void test_update_connectivity(void **state)
{
	static const char params[] = "A0 0A 06 08 91 44 97 00 00 00 10 F0";
	uint8_t p[64], c[300], w[300], out[512], sdata[80];
	size_t pn = ota_unhex(params, p, sizeof(p)), n, wn, ol, ilen;
	struct eum_vchannel vch;
	struct eum_channel *ch = &vch.ch;
	eum_host_scp03 h;
	struct es8 x;
	static uint8_t img[OTA_IMG_MAX];
	static struct eum_pstate ps;
	int slot;

	(void)state;
	es8_init(&x, DATE_2026);
	es8_create_isdp(&x, tar20);
	es8_establish_keys(&x, 0);
	slot = eum_isdp_find(C(&x), x.isdp_aid, 16);
	eum_vchannel_init(&vch);
	ch->open = ch->ota = 1;
	ch->app = EUM_APP_ISDP;
	ch->isdp = (uint8_t)slot;
	*ch->sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
	/* STORE DATA 3A07 without SCP03: refused */
	sdata[0] = 0x3A;
	sdata[1] = 0x07;
	sdata[2] = (uint8_t)pn;
	memcpy(sdata + 3, p, pn);
	memcpy(c, "\x80\xE2\x88\x00", 4);
	c[4] = (uint8_t)(pn + 3);
	memcpy(c + 5, sdata, pn + 3);
	n = 5 + pn + 3;
	assert_int_equal(isdp_apdu(&x, ch, c, n, out, &ol), 0x6982);
	assert_int_equal(C(&x)->ps->isdp[slot]->conn_len, 0);
	/* SCP03 session (security level 33) with the ISD-P key set, then the wrapped STORE DATA */
	eum_host_scp03_init(&h);
	assert_int_equal(eum_host_scp03_set_keys(&h, 0x30, x.keys.key[0], x.keys.key[1], x.keys.key[2], 16), EUM_OK);
	assert_int_equal(eum_host_scp03_set_sd_aid(&h, x.isdp_aid, 16), EUM_OK);
	assert_int_equal(eum_host_scp03_initialize_update(&h, 0, (const uint8_t *)"\x11\x22\x33\x44\x55\x66\x77\x88", w,
	                                                  sizeof(w), &wn),
	                 EUM_OK);
	assert_int_equal(isdp_apdu(&x, ch, w, wn, out, &ol), 0x9000);
	assert_int_equal(eum_host_scp03_check_init_update_response(&h, out, ol), EUM_OK);
	assert_int_equal(eum_host_scp03_external_authenticate(&h, 0x33, w, sizeof(w), &wn), EUM_OK);
	assert_int_equal(isdp_apdu(&x, ch, w, wn, out, &ol), 0x9000);
	/* malformed parameters (not a constructed container) */
	{
		uint8_t bad[] = {0x80, 0xE2, 0x88, 0x00, 0x06, 0x3A, 0x07, 0x03, 0x06, 0x01, 0x91};
		assert_int_equal(eum_host_scp03_wrap_command(&h, bad, sizeof(bad), w, sizeof(w), &wn), EUM_OK);
		assert_int_equal(isdp_apdu(&x, ch, w, wn, out, &ol), 0x6A80);
	}
	assert_int_equal(eum_host_scp03_wrap_command(&h, c, n, w, sizeof(w), &wn), EUM_OK);
	assert_int_equal(isdp_apdu(&x, ch, w, wn, out, &ol), 0x9000);
	assert_int_equal(C(&x)->ps->isdp[slot]->conn_len, pn);
	assert_memory_equal(C(&x)->ps->isdp[slot]->conn, p, pn);
	eum_scp03_session_close(ch->scp03);
	eum_host_scp03_free(&h);
	/* kept in the state image */
	ilen = es8_image(&x, img);
	memset(&ps, 0, sizeof(ps));
	assert_int_equal(eum_image_read(&ps, img, ilen, NULL, 0), EUM_OK);
	assert_int_equal(ps.isdp[slot]->conn_len, pn);
	assert_memory_equal(ps.isdp[slot]->conn, p, pn);
	eum_pstate_free(&ps);
	es8_free(&x);
}

/* EUICCResponse decoding against the card's own encoder (asn1c) for a failure with every field. */
static void test_euicc_response_decode(void **state)
{
	struct eum_saip_result res;
	eum_host_euicc_response d;
	uint8_t buf[256];
	size_t n;

	(void)state;
	memset(&res, 0, sizeof(res));
	res.n_st = 2;
	res.st[0] = (struct eum_saip_pe_status){0, 1, -1, -1, 0};
	res.st[1] = (struct eum_saip_pe_status){0x6A80, 300, 7, 70000, 1};
	res.aborted = 1;
	assert_int_equal(eum_saip_encode_result(&res, buf, sizeof(buf), &n), EUM_OK);
	assert_int_equal(eum_host_euicc_response_decode(buf, n, &d), EUM_OK);
	assert_int_equal(d.n_st, 2);
	assert_int_equal(d.st[0].status, 0);
	assert_int_equal(d.st[0].identification, 1);
	assert_int_equal(d.st[0].additional_information, -1);
	assert_int_equal(d.st[1].status, 0x6A80);
	assert_int_equal(d.st[1].identification, 300);
	assert_int_equal(d.st[1].additional_information, 7);
	assert_int_equal(d.st[1].offset, 70000);
	assert_true(d.aborted);
	assert_false(eum_host_euicc_response_ok(&d));
	/* truncated: refused */
	assert_int_equal(eum_host_euicc_response_decode(buf, n - 1, &d), EUM_ERR_PARSE);
	/* a success */
	res.n_st = 1;
	res.aborted = 0;
	assert_int_equal(eum_saip_encode_result(&res, buf, sizeof(buf), &n), EUM_OK);
	assert_int_equal(eum_host_euicc_response_decode(buf, n, &d), EUM_OK);
	assert_true(eum_host_euicc_response_ok(&d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_large_segments),
	        cmocka_unit_test(test_response_variants),
	        cmocka_unit_test(test_update_connectivity),
	        cmocka_unit_test(test_euicc_response_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
