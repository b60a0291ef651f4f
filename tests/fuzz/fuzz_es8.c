/*
 * Fuzz target: SGP.02 ES8 EstablishISDPKeySet (§4.1.3.1; STORE DATA DGI 3A01 / 3A02 to a new
 * ISD-P, GP Amendment E ECKA-EG) after an honest prefix: the ISD-P (TAR 000020) is created by the
 * SM-SR with libeum-host, and the steps before the fuzzed one are played honestly by the SM-DP.
 *
 * Input: byte 0 selects what is fuzzed (bit 2: the scripts go via the ISD-R with INSTALL [for
 * personalization] instead of the ISD-P's TAR):
 *   0  the data field of the second STORE DATA (3A02 ..., P1 89 P2 01) after an honest step 1
 *   1  the data field of the first STORE DATA (3A01 + certificate, P1 09 P2 00)
 *   2  a whole remote script (expanded or compact, TS 102 226) after an honest step 1
 *   3  a 3A02 signed by the SM-DP (so it passes the signature check) from fuzzed CRT contents:
 *      bytes 1..: params, key usage, KID, KVN, key access (FF: none), flags (bit 0 send 91,
 *      bit 1 nested ePK, bit 2 the ePK from the input), then length-prefixed 91, 45 and 84
 *      values, then (bit 2) the 65-byte ePK; the card's answer is checked by the SM-DP.
 */
#include "fuzz_es8.h"

static struct fuzz_es8 F;

/* Step 1 as the SM-DP does it; 1 with the card's RC on success. */
static int step1(int via_isdr, uint8_t rc[16])
{
	return es8_step1(&F.x, F.x.cert, F.x.cert_len, via_isdr, rc) == 0x9000;
}

/* One STORE DATA with the given header and data (at most 255 bytes) in a script. */
static void store_data(int via_isdr, const uint8_t hdr[4], const uint8_t *d, size_t n)
{
	struct es8_script s;

	if (n > 255)
		n = 255;
	es8_script_begin(&s);
	if (via_isdr) {
		uint8_t perso[3 + 16 + 3] = {0x00, 0x00, 0x10};
		memcpy(perso + 3, F.x.isdp_aid, 16);
		es8_script_apdu(&s, (const uint8_t *)"\x80\xE6\x20\x00", perso, sizeof(perso), 1);
	}
	es8_script_apdu(&s, hdr, d, n, 1);
	es8_script_end(&s);
	fuzz_es8_send(&F, via_isdr ? es8_isdr_tar : F.x.isdp_tar, s.b, s.n);
}

/* Take a length-prefixed value out of the input. */
static const uint8_t *take(const uint8_t **p, size_t *left, size_t max, size_t *len)
{
	const uint8_t *v;

	if (*left < 1)
		return NULL;
	*len = **p > max ? max : **p;
	(*p)++;
	(*left)--;
	if (*len > *left)
		*len = *left;
	v = *p;
	*p += *len;
	*left -= *len;
	return v;
}

static void signed_3a02(int via_isdr, const uint8_t *p, size_t left)
{
	eum_host_smdp_crt crt;
	eum_host_smdp_keys keys;
	uint8_t rc[16], esk[32], epk[65], d[600];
	size_t n = 0, l91 = 0, l45 = 0, l84 = 0;
	const uint8_t *v91, *v45, *v84;
	uint8_t flags;
	struct es8_script s;

	if (left < 6)
		return;
	eum_host_smdp_crt_default(&crt);
	crt.params = p[0];
	crt.key_usage = p[1];
	crt.kid = p[2];
	crt.kvn = p[3];
	crt.key_access = p[4] == 0xFF ? -1 : p[4];
	flags = p[5];
	p += 6;
	left -= 6;
	crt.send_seq_counter = flags & 1;
	v91 = take(&p, &left, 8, &l91);
	v45 = take(&p, &left, 32, &l45);
	v84 = take(&p, &left, 32, &l84);
	crt.seq_counter = v91;
	crt.seq_counter_len = v91 ? l91 : 0;
	crt.sdin = v45;
	crt.sdin_len = v45 ? l45 : 0;
	crt.host_id = v84;
	crt.host_id_len = v84 ? l84 : 0;
	if (!step1(via_isdr, rc))
		return;
	assert_int_equal(eum_host_smdp_gen_epk(EUM_HOST_SMDP_CURVE_P256, es8_rng, &F.x.rng, esk, epk), EUM_OK);
	if ((flags & 4) && left >= 65)
		memcpy(epk, p, 65);
	if (eum_host_smdp_build_3a02(EUM_HOST_SMDP_CURVE_P256, F.x.sk_dp, &crt, epk, (flags >> 1) & 1, rc, 16, es8_rng,
	                             &F.x.rng, d, sizeof(d), &n) != EUM_OK ||
	    n > 255)
		return;
	es8_script_begin(&s);
	if (via_isdr) {
		uint8_t perso[3 + 16 + 3] = {0x00, 0x00, 0x10};
		memcpy(perso + 3, F.x.isdp_aid, 16);
		es8_script_apdu(&s, (const uint8_t *)"\x80\xE6\x20\x00", perso, sizeof(perso), 1);
	}
	es8_script_apdu(&s, es8_sd_89, d, n, 1);
	es8_script_end(&s);
	if (getenv("EUM_FUZZ_SAVE_3A02")) {
		/* seed writer (tests/fuzz/README.md): the signed data field as a mode-0 input */
		FILE *o = fopen(getenv("EUM_FUZZ_SAVE_3A02"), "wb");
		assert_non_null(o);
		fputc(via_isdr ? 4 : 0, o);
		assert_int_equal(fwrite(d, 1, n, o), n);
		fclose(o);
	}
	/* the honest send: the PoR must verify and carry a well-formed response script */
	es8_send(&F.x, via_isdr ? es8_isdr_tar : F.x.isdp_tar, &s);
	{
		const uint8_t *data = NULL;
		size_t dlen = 0;
		if (es8_rsp_sw(&F.x, via_isdr ? 1 : 0, &data, &dlen) == 0x9000)
			(void)eum_host_smdp_finish(EUM_HOST_SMDP_CURVE_P256, esk, F.x.pk_ecasd, &crt, NULL, 0,
			                           EUM_HOST_SMDP_RECEIPT_CMAC, es8_rng, &F.x.rng, data, dlen, &keys);
	}
	memset(esk, 0, sizeof(esk));
	eum_host_smdp_keys_wipe(&keys);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	uint8_t rc[16];
	int via_isdr;

	if (size < 1)
		return 0;
	if (!ready) {
		fuzz_es8_prefix(&F, 0);
		ready = 1;
	}
	via_isdr = (data[0] >> 2) & 1;
	fuzz_es8_card(&F);
	switch (data[0] & 3) {
	case 0:
		if (step1(via_isdr, rc))
			store_data(via_isdr, es8_sd_89, data + 1, size - 1);
		break;
	case 1:
		store_data(via_isdr, es8_sd_09, data + 1, size - 1);
		break;
	case 2:
		if (step1(via_isdr, rc))
			fuzz_es8_send(&F, via_isdr ? es8_isdr_tar : F.x.isdp_tar, data + 1, size - 1);
		break;
	default:
		signed_3a02(via_isdr, data + 1, size - 1);
		break;
	}
	fuzz_es8_done(&F);
	return 0;
}
