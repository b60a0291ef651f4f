/*
 * Fuzz target: SGP.02 ES8 profile download over SCP03t (§4.1.3.3, GP Amendment D in TLVs 84/85/86/87)
 * after an honest prefix: the ISD-P (TAR 000020) is created and its key set established with the
 * libeum-host SM-SR and SM-DP (once per process, then reloaded from the state image), and the
 * SCP03t session is opened honestly for every input.
 *
 * Input: byte 0 selects what is fuzzed:
 *   bit 0 = 0  the Profile Package: the rest of the input is cut into segments of (byte 1 + 1)
 *              plain bytes, each protected by the SM-DP (86 L ct C-MAC) and sent as many per
 *              script as fit, as es8_download() does — the installer sees the fuzzed DER behind
 *              a valid secure channel;
 *   bit 0 = 1  a raw script to the ISD-P's TAR in the open session (unprotected 86/87/88 TLVs,
 *              a second 84, anything).
 */
#include "fuzz_es8.h"

static struct fuzz_es8 F;

/* INITIALIZE UPDATE (84) then EXTERNAL AUTHENTICATE (85), in two scripts. */
static void open_session(eum_host_scp03t *t)
{
	static const uint8_t hc[8] = {0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8};
	struct es8_script s;
	uint8_t tlv[40];
	uint16_t tag = 0;
	const uint8_t *raw = NULL, *v = NULL;
	size_t n, rl = 0, vl = 0;

	assert_int_equal(eum_host_scp03t_init(t, F.x.crt.kvn, 0x00, F.x.keys.key[0], F.x.keys.key[1], 16), EUM_OK);
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_build_84(t, hc, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	es8_send(&F.x, F.x.isdp_tar, &s);
	assert_true(es8_rsp_tlv(&F.x, 0, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(eum_host_scp03t_check_84(t, raw, rl, F.x.isdp_aid, 16), EUM_OK);
	es8_script_begin(&s);
	assert_int_equal(eum_host_scp03t_build_85(t, tlv, sizeof(tlv), &n), EUM_OK);
	es8_script_raw(&s, tlv, n);
	es8_script_end(&s);
	es8_send(&F.x, F.x.isdp_tar, &s);
	assert_true(es8_rsp_tlv(&F.x, 0, &tag, &raw, &rl, &v, &vl));
	assert_int_equal(tag, 0x85);
}

/* The SM-DP's packetiser over the fuzzed package; the card's answers are not judged. */
static void download(eum_host_scp03t *t, const uint8_t *der, size_t len, size_t seg)
{
	static uint8_t tlv[ES8_SCRIPT_MAX];
	struct es8_script s;
	size_t off = 0, n;

	while (off < len) {
		size_t sent = 0;
		es8_script_begin(&s);
		while (off < len) {
			size_t k = len - off < seg ? len - off : seg, need = 4 + (k / 16 + 1) * 16 + 8;
			if (s.n + need + 2 > ES8_SCRIPT_MAX)
				break;
			if (eum_host_scp03t_next_segment(t, der, len, seg, &off, tlv, sizeof(tlv), &n) != EUM_OK)
				return;
			es8_script_raw(&s, tlv, n);
			sent++;
		}
		if (!sent)
			return;
		es8_script_end(&s);
		if (!fuzz_es8_send(&F, F.x.isdp_tar, s.b, s.n))
			return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	eum_host_scp03t t;

	if (size < 2)
		return 0;
	if (!ready) {
		fuzz_es8_prefix(&F, 1);
		ready = 1;
	}
	fuzz_es8_card(&F);
	open_session(&t);
	if (data[0] & 1)
		fuzz_es8_send(&F, F.x.isdp_tar, data + 1, size - 1);
	else
		download(&t, data + 2, size - 2, (size_t)data[1] + 1);
	eum_host_scp03t_free(&t);
	fuzz_es8_done(&F);
	return 0;
}
