/*
 * Tests of libeum-host's SCP80 sending entity (src/host/scp80_host.c,
 * ETSI TS 102 225 / 3GPP TS 31.115): it must rebuild every command packet of
 * tests/data/scp80/scp80.data byte for byte, and interwork with the card
 * engine (src/ota/scp80.c) for every SPI / KIc / KID combination.
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
#include "eum/host/scp80.h"
#include "ota/scp80.h"

#include "scp80_vectors.h"

/* ---- the vectors' command packets, rebuilt by the host ------------------- */

static void params_from(const struct rec *r, struct eum_host_scp80_params *p, const uint8_t *pkt)
{
	memset(p, 0, sizeof(*p));
	unhex(fld(r, "spi"), p->spi, 2);
	unhex(fld(r, "tar"), p->tar, 3);
	unhex(fld(r, "cntr"), p->cntr, 5);
	/* pysim records name KIc/KID only inside the packet (bytes 5 and 6). */
	p->kic = pkt[5];
	p->kid = pkt[6];
}

static void test_host_rebuilds_vectors(void **state)
{
	int n = 0;

	(void)state;
	load_data();
	for (int i = 0; i < nrecs; i++) {
		const struct rec *r = &recs[i];
		struct eum_scp80_keyset ks;
		struct eum_host_scp80_keyset hks;
		struct eum_host_scp80_params p;
		uint8_t exp[512], data[512], out[512], small[8];
		size_t elen, dlen, olen;

		if (strcmp(r->kind, "case") != 0 && strcmp(r->kind, "pysim") != 0)
			continue;
		n++;
		keysets_for(fld(r, "keyset"), &ks, &hks);
		elen = unhex(fld(r, "packet"), exp, sizeof(exp));
		dlen = unhex_apdus(fld(r, "apdus"), data, sizeof(data));
		params_from(r, &p, exp);
		if (strcmp(r->kind, "case") == 0) {
			uint8_t kic, kid;

			unhex(fld(r, "kic"), &kic, 1);
			unhex(fld(r, "kid"), &kid, 1);
			assert_int_equal(p.kic, kic);
			assert_int_equal(p.kid, kid);
		}
		assert_int_equal(eum_host_scp80_build_cmd(&hks, &p, data, dlen, out, sizeof(out), &olen), EUM_OK);
		if (olen != elen || memcmp(out, exp, olen) != 0)
			fail_msg("%s: host packet differs", fld(r, "name"));
		assert_int_equal(eum_host_scp80_build_cmd(&hks, &p, data, dlen, small, sizeof(small), &olen),
		                 EUM_ERR_BUFFER_TOO_SMALL);
	}
	assert_int_equal(n, 18);
}

/* ---- host -> card -> host for every SPI / KIc / KID combination ----------- */

struct algo_case {
	uint8_t card_algo;
	uint8_t host_algo;
	uint8_t nibble;
	uint8_t keylen;
};

static const struct algo_case algos[] = {
        {EUM_SCP80_ALGO_DES, EUM_HOST_SCP80_ALGO_DES, 0x1, 8},
        {EUM_SCP80_ALGO_TDES2, EUM_HOST_SCP80_ALGO_TDES2, 0x5, 16},
        {EUM_SCP80_ALGO_TDES3, EUM_HOST_SCP80_ALGO_TDES3, 0x9, 24},
        {EUM_SCP80_ALGO_AES128, EUM_HOST_SCP80_ALGO_AES, 0x2, 16},
        {EUM_SCP80_ALGO_AES192, EUM_HOST_SCP80_ALGO_AES, 0x2, 24},
        {EUM_SCP80_ALGO_AES256, EUM_HOST_SCP80_ALGO_AES, 0x2, 32},
};

/* Command integrity variants: none, RC CRC16, RC CRC32, CC 4 bytes, CC 8 bytes. */
struct ic_case {
	uint8_t spi_ic;
	uint8_t kid_nibble; /* 0xFF: the algorithm's nibble */
	uint8_t cc_len;
};

static const struct ic_case ics[] = {
        {EUM_SCP80_IC_NONE, 0xFF, 0}, {EUM_SCP80_IC_RC, 0x1, 0},  {EUM_SCP80_IC_RC, 0x5, 0},
        {EUM_SCP80_IC_CC, 0xFF, 4},   {EUM_SCP80_IC_CC, 0xFF, 8},
};

struct rt_sd {
	struct eum_scp80_keyset ks;
	struct eum_scp80_counter stored;
};

static int rt_lookup(void *ctx, const uint8_t tar[3], uint8_t kic_kvn, uint8_t kid_kvn, struct eum_scp80_tar_info *out)
{
	struct rt_sd *sd = ctx;
	static const uint8_t tar_isdr[3] = {0x00, 0x00, 0x01};

	if (memcmp(tar, tar_isdr, 3) != 0)
		return EUM_ERR_NOT_FOUND;
	out->kic_set = kic_kvn == sd->ks.kvn ? &sd->ks : NULL;
	out->kid_set = kid_kvn == sd->ks.kvn ? &sd->ks : NULL;
	out->cntr = sd->stored;
	out->msl = 0;
	return EUM_OK;
}

static void fill_key(uint8_t *v, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		v[i] = (uint8_t)(seed + 17 * i);
}

static void test_round_trip_all_combinations(void **state)
{
	static const uint8_t apdus[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00, 0x00, 0xB0, 0x00, 0x00, 0x0A};
	static const uint8_t rsp[] = {0x02, 0x90, 0x00, 0xAA, 0xBB};
	unsigned long combos = 0, failures_checked = 0;

	(void)state;
	for (size_t a = 0; a < sizeof(algos) / sizeof(algos[0]); a++)
		for (int implicit = 0; implicit < 2; implicit++)
			for (int ciph = 0; ciph < 2; ciph++)
				for (size_t c = 0; c < sizeof(ics) / sizeof(ics[0]); c++)
					for (int mode = 0; mode < 4; mode++)
						for (int spi2 = 0; spi2 < 0x40; spi2++) {
							const struct algo_case *al = &algos[a];
							const struct ic_case *ic = &ics[c];
							struct rt_sd sd;
							struct eum_host_scp80_keyset hks;
							struct eum_host_scp80_params p;
							struct eum_host_scp80_por hpor;
							struct eum_scp80_cmd cmd;
							uint8_t pkt[128], work[128], por[128], hwork[160], nib;
							size_t plen, olen;
							int por_req = spi2 & 3, por_ic = (spi2 >> 2) & 3;

							/* Reserved / unsupported SPI2 codings: PoR "11" and DS. */
							if (por_req == 3 || por_ic == EUM_SCP80_IC_DS)
								continue;
							combos++;
							memset(&sd, 0, sizeof(sd));
							memset(&hks, 0, sizeof(hks));
							sd.ks.kvn = 0x6;
							sd.ks.kic.algo = sd.ks.kid.algo = al->card_algo;
							fill_key(sd.ks.kic.val, al->keylen, (uint8_t)(0x11 + a));
							fill_key(sd.ks.kid.val, al->keylen, (uint8_t)(0x77 + a));
							hks.kic.algo = hks.kid.algo = al->host_algo;
							hks.kic.len = hks.kid.len = al->keylen;
							memcpy(hks.kic.val, sd.ks.kic.val, al->keylen);
							memcpy(hks.kid.val, sd.ks.kid.val, al->keylen);

							memset(&p, 0, sizeof(p));
							p.spi[0] = (uint8_t)(mode << 3 |
							                     (ciph ? EUM_SCP80_SPI1_CIPHER : 0) |
							                     ic->spi_ic);
							p.spi[1] = (uint8_t)spi2;
							nib = implicit ? 0 : al->nibble;
							p.kic = (uint8_t)(0x60 | nib);
							p.kid = (uint8_t)(0x60 |
							                  (ic->kid_nibble == 0xFF ? nib
							                                          : ic->kid_nibble));
							p.tar[2] = 0x01;
							p.cntr[4] = (uint8_t)(0x10 + mode);
							p.cc_len = ic->cc_len;
							sd.stored.v[4] = (uint8_t)(p.cntr[4] - 1);

							assert_int_equal(eum_host_scp80_build_cmd(&hks, &p, apdus,
							                                          sizeof(apdus), pkt,
							                                          sizeof(pkt), &plen),
							                 EUM_OK);
							assert_int_equal(eum_scp80_unwrap(pkt, plen, rt_lookup, &sd,
							                                  work, sizeof(work), &cmd),
							                 EUM_OK);
							if (cmd.status != EUM_SCP80_POR_OK)
								fail_msg("algo %zu impl %d ciph %d ic %zu mode %d spi2 "
								         "%02x: status %02x",
								         a, implicit, ciph, c, mode, spi2, cmd.status);
							assert_int_equal(cmd.data_len, sizeof(apdus));
							assert_memory_equal(cmd.data, apdus, sizeof(apdus));
							assert_int_equal(cmd.cntr_update,
							                 mode >= EUM_SCP80_CNTR_HIGHER);
							assert_memory_equal(cmd.new_cntr.v,
							                    mode >= EUM_SCP80_CNTR_HIGHER ? p.cntr
							                                                  : sd.stored.v,
							                    5);
							assert_int_equal(eum_scp80_por_wanted(&cmd, EUM_SCP80_POR_OK),
							                 por_req == EUM_SCP80_POR_ALWAYS);
							assert_int_equal(eum_scp80_por_wanted(&cmd, EUM_SCP80_CNTR_LOW),
							                 por_req != EUM_SCP80_POR_NONE);
							assert_int_equal((cmd.spi[1] & EUM_SCP80_SPI2_POR_SUBMIT) != 0,
							                 (spi2 & 0x20) != 0);

							/* The PoR with response data, back to the host. */
							assert_int_equal(eum_scp80_build_por(
							                         &cmd, rt_lookup, &sd, EUM_SCP80_POR_OK,
							                         rsp, sizeof(rsp), EUM_SCP80_ERROR_POR,
							                         por, sizeof(por), &olen),
							                 EUM_OK);
							assert_int_equal(eum_host_scp80_parse_por(&hks, &p, por, olen,
							                                          hwork, sizeof(hwork),
							                                          &hpor),
							                 EUM_OK);
							assert_int_equal(hpor.status, EUM_SCP80_POR_OK);
							assert_int_equal(hpor.secured, 1);
							assert_memory_equal(hpor.cntr, p.cntr, 5);
							assert_memory_equal(hpor.tar, p.tar, 3);
							assert_int_equal(hpor.data_len, sizeof(rsp));
							assert_memory_equal(hpor.data, rsp, sizeof(rsp));
							/* RHL tells the PoR's RC/CC length; ciphered PoRs are whole
							 * blocks after TAR. */
							if (por_ic == EUM_SCP80_IC_NONE)
								assert_int_equal(por[2], 0x0A);
							if (spi2 & EUM_SCP80_SPI2_POR_CIPHER)
								assert_int_equal(
								        (olen - 6) %
								                (al->card_algo >= EUM_SCP80_ALGO_AES128
								                         ? 16
								                         : 8),
								        0);
							else
								assert_memory_equal(
								        por + 6 + 7 + (por[2] - 10), rsp,
								        sizeof(rsp)); /* clear data visible */
							if (por_ic != EUM_SCP80_IC_NONE) {
								por[olen - 1] ^= 0x80;
								assert_int_equal(eum_host_scp80_parse_por(
								                         &hks, &p, por, olen, hwork,
								                         sizeof(hwork), &hpor),
								                 EUM_ERR_CRYPTO);
							}

							/* Corrupted command: integrity (or ciphering) failure, counter
							 * untouched, error PoR readable. */
							if (ic->spi_ic != EUM_SCP80_IC_NONE) {
								pkt[plen - 1] ^= 0x01;
								assert_int_equal(eum_scp80_unwrap(pkt, plen, rt_lookup,
								                                  &sd, work,
								                                  sizeof(work), &cmd),
								                 EUM_OK);
								assert_int_not_equal(cmd.status, EUM_SCP80_POR_OK);
								if (!ciph)
									assert_int_equal(cmd.status,
									                 EUM_SCP80_RC_CC_DS_FAILED);
								assert_int_equal(cmd.cntr_update, 0);
								assert_null(cmd.data);
								for (int pol = 0; pol < 2; pol++) {
									assert_int_equal(
									        eum_scp80_build_por(
									                &cmd, rt_lookup, &sd,
									                cmd.status, NULL, 0,
									                (enum eum_scp80_error_por)pol,
									                por, sizeof(por), &olen),
									        EUM_OK);
									if (eum_host_scp80_parse_por(
									            &hks, &p, por, olen, hwork,
									            sizeof(hwork), &hpor) == EUM_OK) {
										assert_int_equal(hpor.status,
										                 cmd.status);
										failures_checked++;
									} else {
										/* Only a cipher-only SPI2 with a
										 * block-sized clear error PoR is
										 * ambiguous. */
										fail_msg("error PoR not readable: spi2 "
										         "%02x pol %d",
										         spi2, pol);
									}
								}
							}

							/* Counter replay for the checking modes. */
							if (mode >= EUM_SCP80_CNTR_HIGHER) {
								pkt[plen - 1] ^=
								        ic->spi_ic != EUM_SCP80_IC_NONE ? 0x01 : 0x00;
								sd.stored.v[4] = p.cntr[4];
								assert_int_equal(eum_scp80_unwrap(pkt, plen, rt_lookup,
								                                  &sd, work,
								                                  sizeof(work), &cmd),
								                 EUM_OK);
								if (!ciph || ic->spi_ic != EUM_SCP80_IC_NONE)
									assert_int_equal(cmd.status,
									                 EUM_SCP80_CNTR_LOW);
								assert_int_equal(cmd.cntr_update, 0);
							}
						}
	/* 6 algorithms x 2 nibble forms x 2 x 5 x 4 x 36 usable SPI2 values. */
	assert_int_equal(combos, 6UL * 2 * 2 * 5 * 4 * 36);
	assert_true(failures_checked > 0);
}

/* ---- host-side refusals --------------------------------------------------- */

static void test_host_refusals(void **state)
{
	static const uint8_t data[] = {0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00};
	struct eum_host_scp80_keyset hks;
	struct eum_host_scp80_params p;
	struct eum_host_scp80_por hpor;
	uint8_t out[128], work[160];
	size_t olen;

	(void)state;
	memset(&hks, 0, sizeof(hks));
	hks.kic.algo = hks.kid.algo = EUM_HOST_SCP80_ALGO_AES;
	hks.kic.len = hks.kid.len = 16;
	memset(&p, 0, sizeof(p));
	p.spi[0] = 0x06;
	p.spi[1] = 0x01;
	p.kic = 0x1D; /* DES-ECB: not supported */
	p.kid = 0x12;
	assert_int_equal(eum_host_scp80_build_cmd(&hks, &p, data, sizeof(data), out, sizeof(out), &olen),
	                 EUM_ERR_UNSUPPORTED);
	p.kic = 0x15; /* names 3DES, key set holds AES */
	assert_int_equal(eum_host_scp80_build_cmd(&hks, &p, data, sizeof(data), out, sizeof(out), &olen),
	                 EUM_ERR_INVALID_ARG);
	p.kic = 0x12;
	p.spi[0] = 0x07; /* DS */
	assert_int_equal(eum_host_scp80_build_cmd(&hks, &p, data, sizeof(data), out, sizeof(out), &olen),
	                 EUM_ERR_UNSUPPORTED);
	p.spi[0] = 0x06;
	p.cc_len = 6;
	assert_int_equal(eum_host_scp80_build_cmd(&hks, &p, data, sizeof(data), out, sizeof(out), &olen),
	                 EUM_ERR_INVALID_ARG);
	p.cc_len = 0;

	/* A clear PoR claiming success while SPI2 asked for a CC is refused; an error one is accepted. */
	{
		uint8_t clear_ok[] = {0x00, 0x0E, 0x0A, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x90, 0x00};
		uint8_t clear_err[] = {0x00, 0x0B, 0x0A, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0x01};

		p.spi[1] = 0x09;
		assert_int_equal(
		        eum_host_scp80_parse_por(&hks, &p, clear_ok, sizeof(clear_ok), work, sizeof(work), &hpor),
		        EUM_ERR_CRYPTO);
		assert_int_equal(
		        eum_host_scp80_parse_por(&hks, &p, clear_err, sizeof(clear_err), work, sizeof(work), &hpor),
		        EUM_OK);
		assert_int_equal(hpor.status, 0x01);
		assert_int_equal(hpor.secured, 0);
		/* Another TAR, a wrong RPL, a short work buffer. */
		p.tar[0] = 0xB0;
		assert_int_equal(
		        eum_host_scp80_parse_por(&hks, &p, clear_err, sizeof(clear_err), work, sizeof(work), &hpor),
		        EUM_ERR_PARSE);
		p.tar[0] = 0x00;
		clear_err[1] = 0x0C;
		assert_int_equal(
		        eum_host_scp80_parse_por(&hks, &p, clear_err, sizeof(clear_err), work, sizeof(work), &hpor),
		        EUM_ERR_PARSE);
		clear_err[1] = 0x0B;
		assert_int_equal(eum_host_scp80_parse_por(&hks, &p, clear_err, sizeof(clear_err), work, 10, &hpor),
		                 EUM_ERR_BUFFER_TOO_SMALL);
		for (size_t len = 0; len < sizeof(clear_err); len++)
			assert_int_not_equal(
			        eum_host_scp80_parse_por(&hks, &p, clear_err, len, work, sizeof(work), &hpor), EUM_OK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_host_rebuilds_vectors),
	        cmocka_unit_test(test_round_trip_all_combinations),
	        cmocka_unit_test(test_host_refusals),
	};

	return cmocka_run_group_tests_name("host_scp80", tests, NULL, NULL);
}
