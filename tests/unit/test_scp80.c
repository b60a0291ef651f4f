/*
 * Tests of the card's SCP80 engine (src/ota/scp80.c, ETSI TS 102 225 /
 * 3GPP TS 31.115) against tests/data/scp80/scp80.data (pySim-made packets,
 * PoRs recorded from real cards, negative cases), plus truncation and MSL.
 * PoRs are decoded with the independent host parser (libeum-host).
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

/* ---- a minimal security domain behind the lookup callback ----------------- */

struct sd {
	const struct eum_scp80_keyset *ks;
	struct eum_scp80_counter stored;
	uint8_t msl;
	int calls;
};

/* The card's RFM/ISD-R TARs used by the vectors; c0ffee is deliberately absent. */
static const uint8_t known_tars[][3] = {{0xB0, 0x00, 0x10}, {0x00, 0x00, 0x01}, {0xB0, 0x00, 0x11}, {0xB0, 0x01, 0x40}};

static int sd_lookup(void *ctx, const uint8_t tar[3], uint8_t kic_kvn, uint8_t kid_kvn, struct eum_scp80_tar_info *out)
{
	struct sd *sd = ctx;
	size_t i;

	sd->calls++;
	for (i = 0; i < sizeof(known_tars) / sizeof(known_tars[0]); i++)
		if (memcmp(tar, known_tars[i], 3) == 0)
			break;
	if (i == sizeof(known_tars) / sizeof(known_tars[0]))
		return EUM_ERR_NOT_FOUND;
	out->kic_set = kic_kvn == sd->ks->kvn ? sd->ks : NULL;
	out->kid_set = kid_kvn == sd->ks->kvn ? sd->ks : NULL;
	out->cntr = sd->stored;
	out->msl = sd->msl;
	return EUM_OK;
}

static void cntr_add(uint8_t c[5], int delta)
{
	for (int k = 0; k < (delta < 0 ? -delta : delta); k++) {
		int i = 4;

		if (delta > 0)
			while (i >= 0 && ++c[i] == 0)
				i--;
		else
			while (i >= 0 && c[i]-- == 0)
				i--;
	}
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Host view of a command, for checking a PoR. */
static void host_params(const struct eum_scp80_cmd *cmd, struct eum_host_scp80_params *hp)
{
	memset(hp, 0, sizeof(*hp));
	memcpy(hp->spi, cmd->spi, 2);
	hp->kic = cmd->kic;
	hp->kid = cmd->kid;
	memcpy(hp->tar, cmd->tar, 3);
	memcpy(hp->cntr, cmd->cntr, 5);
	hp->cc_len = EUM_SCP80_SPI_IC(cmd->spi[0]) == EUM_SCP80_IC_CC ? cmd->ic_len : 0;
}

/* ---- cases[]: every packet unwraps to its APDUs with the right counter decision */

static void test_cases_unwrap(void **state)
{
	int ncase = 0;

	(void)state;
	load_data();
	for (int i = 0; i < nrecs; i++) {
		const struct rec *r = &recs[i];
		struct eum_scp80_keyset ks;
		struct eum_host_scp80_keyset hks;
		struct sd sd;
		struct eum_scp80_cmd cmd;
		uint8_t pkt[512], work[512], apdus[512], data[512], cntr[5], tar[3], spi[2], kic, kid;
		size_t plen, alen, dlen;
		int mode;

		if (strcmp(r->kind, "case") != 0)
			continue;
		ncase++;
		keysets_for(fld(r, "keyset"), &ks, &hks);
		plen = unhex(fld(r, "packet"), pkt, sizeof(pkt));
		alen = unhex_apdus(fld(r, "apdus"), apdus, sizeof(apdus));
		dlen = unhex(fld(r, "data"), data, sizeof(data));
		assert_int_equal(alen, dlen);
		assert_memory_equal(apdus, data, alen);
		unhex(fld(r, "cntr"), cntr, 5);
		unhex(fld(r, "tar"), tar, 3);
		unhex(fld(r, "spi"), spi, 2);
		unhex(fld(r, "kic"), &kic, 1);
		unhex(fld(r, "kid"), &kid, 1);
		mode = EUM_SCP80_SPI1_CNTR(spi[0]);

		/* Stored counter one below the packet's for the checking modes, an unrelated value otherwise. */
		memset(&sd, 0, sizeof(sd));
		sd.ks = &ks;
		if (mode >= EUM_SCP80_CNTR_HIGHER) {
			memcpy(sd.stored.v, cntr, 5);
			cntr_add(sd.stored.v, -1);
		} else {
			memcpy(sd.stored.v, "\x01\x02\x03\x04\x05", 5);
		}
		struct eum_scp80_counter before = sd.stored;

		assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
		if (cmd.status != EUM_SCP80_POR_OK)
			fail_msg("%s: status %02x", fld(r, "name"), cmd.status);
		assert_int_equal(cmd.data_len, alen);
		assert_memory_equal(cmd.data, apdus, alen);
		assert_true(cmd.data >= work && cmd.data + cmd.data_len <= work + sizeof(work));
		assert_memory_equal(cmd.spi, spi, 2);
		assert_int_equal(cmd.kic, kic);
		assert_int_equal(cmd.kid, kid);
		assert_memory_equal(cmd.tar, tar, 3);
		assert_memory_equal(cmd.cntr, cntr, 5);
		assert_memory_equal(sd.stored.v, before.v, 5); /* the engine never writes the store */
		if (mode >= EUM_SCP80_CNTR_HIGHER) {
			assert_int_equal(cmd.cntr_update, 1);
			assert_memory_equal(cmd.new_cntr.v, cntr, 5);
		} else {
			assert_int_equal(cmd.cntr_update, 0);
			assert_memory_equal(cmd.new_cntr.v, before.v, 5);
		}
		assert_int_equal(eum_scp80_por_wanted(&cmd, EUM_SCP80_POR_OK), fld(r, "por") != NULL);

		/* Replays: CNTR equal to the stored value is low; for "exactly one higher" a gap is high. */
		if (mode >= EUM_SCP80_CNTR_HIGHER) {
			memcpy(sd.stored.v, cntr, 5);
			assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
			assert_int_equal(cmd.status, EUM_SCP80_CNTR_LOW);
			assert_int_equal(cmd.cntr_update, 0);
			assert_memory_equal(cmd.new_cntr.v, cntr, 5);
			assert_null(cmd.data);
			assert_true(all_zero(work, plen - 10));
			if (mode == EUM_SCP80_CNTR_ONE_HIGHER) {
				cntr_add(sd.stored.v, -2);
				assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd),
				                 EUM_OK);
				assert_int_equal(cmd.status, EUM_SCP80_CNTR_HIGH);
				assert_int_equal(cmd.cntr_update, 0);
			}
			sd.stored = before;
			assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
			assert_int_equal(cmd.status, EUM_SCP80_POR_OK);
		}

		/* The example PoR: byte-exact for the assumed card result, and the host accepts it. */
		if (fld(r, "por")) {
			uint8_t exp[256], rsp[256], out[256], hwork[300];
			size_t elen = unhex(fld(r, "por"), exp, sizeof(exp)), rlen = 0, olen;
			struct eum_host_scp80_params hp;
			struct eum_host_scp80_por hpor;

			rlen += unhex(fld(r, "ncmd"), rsp + rlen, sizeof(rsp) - rlen);
			rlen += unhex(fld(r, "sw"), rsp + rlen, sizeof(rsp) - rlen);
			rlen += unhex(fld(r, "rdata"), rsp + rlen, sizeof(rsp) - rlen);
			assert_int_equal(eum_scp80_build_por(&cmd, sd_lookup, &sd, EUM_SCP80_POR_OK, rsp, rlen,
			                                     EUM_SCP80_ERROR_POR, out, sizeof(out), &olen),
			                 EUM_OK);
			assert_memory_equal(exp, eum_scp80_rpi_udh, 3);
			assert_int_equal(olen, elen - 3);
			assert_memory_equal(out, exp + 3, olen);
			host_params(&cmd, &hp);
			assert_int_equal(eum_host_scp80_parse_por(&hks, &hp, out, olen, hwork, sizeof(hwork), &hpor),
			                 EUM_OK);
			assert_int_equal(hpor.status, 0);
			assert_int_equal(hpor.secured, 1);
			assert_memory_equal(hpor.cntr, cntr, 5);
			assert_int_equal(hpor.data_len, rlen);
			assert_memory_equal(hpor.data, rsp, rlen);
		}
	}
	assert_int_equal(ncase, 14);
}

/* ---- pysim_unit_test_vectors[]: PoRs of real cards ----------------------- */

static void test_pysim_real_card_pors(void **state)
{
	int n = 0;

	(void)state;
	load_data();
	for (int i = 0; i < nrecs; i++) {
		const struct rec *r = &recs[i];
		struct eum_scp80_keyset ks;
		struct eum_host_scp80_keyset hks;
		struct eum_host_scp80_params hp;
		struct eum_host_scp80_por hpor;
		struct eum_scp80_cmd cmd;
		struct sd sd;
		uint8_t pkt[256], work[256], apdus[256], por[256], rsp[256], out[256], hwork[300], status;
		size_t plen, alen, porlen, rlen = 0, olen;

		if (strcmp(r->kind, "pysim") != 0)
			continue;
		n++;
		keysets_for(fld(r, "keyset"), &ks, &hks);
		plen = unhex(fld(r, "packet"), pkt, sizeof(pkt));
		alen = unhex_apdus(fld(r, "apdus"), apdus, sizeof(apdus));
		porlen = unhex(fld(r, "por"), por, sizeof(por));
		unhex(fld(r, "status"), &status, 1);
		rlen += unhex(fld(r, "ncmd"), rsp + rlen, sizeof(rsp) - rlen);
		rlen += unhex(fld(r, "sw"), rsp + rlen, sizeof(rsp) - rlen);
		rlen += unhex(fld(r, "rdata"), rsp + rlen, sizeof(rsp) - rlen);

		memset(&sd, 0, sizeof(sd));
		sd.ks = &ks;
		assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
		assert_int_equal(cmd.status, EUM_SCP80_POR_OK);
		assert_int_equal(cmd.data_len, alen);
		assert_memory_equal(cmd.data, apdus, alen);

		/* Host decodes and verifies the recorded PoR (after the 02 71 00 UDH). */
		assert_memory_equal(por, eum_scp80_rpi_udh, 3);
		host_params(&cmd, &hp);
		assert_int_equal(eum_host_scp80_parse_por(&hks, &hp, por + 3, porlen - 3, hwork, sizeof(hwork), &hpor),
		                 EUM_OK);
		assert_int_equal(hpor.status, status);
		assert_int_equal(hpor.secured, 1);
		assert_int_equal(hpor.data_len, rlen);
		assert_memory_equal(hpor.data, rsp, rlen);
		/* Tampered: one bit of the last byte flipped must not verify when protected. */
		if (EUM_SCP80_SPI2_POR_IC(cmd.spi[1]) != EUM_SCP80_IC_NONE) {
			por[porlen - 1] ^= 1;
			assert_int_equal(
			        eum_host_scp80_parse_por(&hks, &hp, por + 3, porlen - 3, hwork, sizeof(hwork), &hpor),
			        EUM_ERR_CRYPTO);
			por[porlen - 1] ^= 1;
		}

		/* The card engine reproduces the real card's PoR from the same inputs. */
		assert_int_equal(eum_scp80_build_por(&cmd, sd_lookup, &sd, status, rsp, rlen, EUM_SCP80_ERROR_POR, out,
		                                     sizeof(out), &olen),
		                 EUM_OK);
		assert_int_equal(olen, porlen - 3);
		assert_memory_equal(out, por + 3, olen);
	}
	assert_int_equal(n, 4);
}

/* ---- negative[]: expected status, counter unchanged, no data ------------- */

static void test_negative(void **state)
{
	int n = 0;

	(void)state;
	load_data();
	for (int i = 0; i < nrecs; i++) {
		const struct rec *r = &recs[i];
		struct eum_scp80_keyset ks;
		struct eum_host_scp80_keyset hks;
		struct eum_scp80_cmd cmd;
		struct sd sd;
		uint8_t pkt[256], work[256], status, after[5];
		size_t plen;

		if (strcmp(r->kind, "negative") != 0)
			continue;
		n++;
		keysets_for(fld(r, "keyset"), &ks, &hks);
		plen = unhex(fld(r, "packet"), pkt, sizeof(pkt));
		unhex(fld(r, "status"), &status, 1);
		memset(&sd, 0, sizeof(sd));
		sd.ks = &ks;
		unhex(fld(r, "stored"), sd.stored.v, 5);
		struct eum_scp80_counter before = sd.stored;

		memset(work, 0xA5, sizeof(work));
		assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
		if (cmd.status != status)
			fail_msg("%s: status %02x, expected %02x", fld(r, "name"), cmd.status, status);
		assert_memory_equal(sd.stored.v, before.v, 5);
		if (status == EUM_SCP80_POR_OK) {
			/* The valid first step of the replay sequence. */
			unhex(fld(r, "stored_after"), after, 5);
			assert_int_equal(cmd.cntr_update, 1);
			assert_memory_equal(cmd.new_cntr.v, after, 5);
			continue;
		}
		assert_int_equal(cmd.cntr_update, 0);
		assert_memory_equal(cmd.new_cntr.v, before.v, 5);
		if (fld(r, "stored_after")) {
			unhex(fld(r, "stored_after"), after, 5);
			assert_memory_equal(before.v, after, 5);
		}
		assert_null(cmd.data);
		assert_int_equal(cmd.data_len, 0);
		assert_int_equal(cmd.header_ok, 1);
		/* Whatever the engine deciphered of a rejected packet is wiped (or work was never written). */
		if (plen > 10) {
			uint8_t untouched[256];

			memset(untouched, 0xA5, sizeof(untouched));
			assert_true(all_zero(work, plen - 10) || memcmp(work, untouched, plen - 10) == 0);
			assert_true(status < EUM_SCP80_CIPHERING_ERROR ? all_zero(work, plen - 10) : 1);
		}

		/* Error PoRs under both policies: the host reads the same status byte. */
		for (int pol = 0; pol < 2; pol++) {
			uint8_t out[128], hwork[160];
			size_t olen;
			struct eum_host_scp80_params hp;
			struct eum_host_scp80_por hpor;

			assert_int_equal(eum_scp80_build_por(&cmd, sd_lookup, &sd, cmd.status, NULL, 0,
			                                     (enum eum_scp80_error_por)pol, out, sizeof(out), &olen),
			                 EUM_OK);
			host_params(&cmd, &hp);
			assert_int_equal(eum_host_scp80_parse_por(&hks, &hp, out, olen, hwork, sizeof(hwork), &hpor),
			                 EUM_OK);
			assert_int_equal(hpor.status, status);
			assert_memory_equal(hpor.tar, cmd.tar, 3);
			/* Secured only with the AS_SPI2 policy, and only after the packet deciphered (01-04);
			 * trivially "as asked" when SPI2 asks for neither RC/CC nor ciphering. */
			assert_int_equal(hpor.secured, (cmd.spi[1] & 0x1C) == 0 ||
			                                       (pol == EUM_SCP80_ERROR_POR_AS_SPI2 && status <= 0x04));
		}
	}
	assert_int_equal(n, 7);
}

/* ---- truncation at every length: no crash, a status, nothing stored ------ */

static void test_truncated(void **state)
{
	(void)state;
	load_data();
	for (int i = 0; i < nrecs; i++) {
		const struct rec *r = &recs[i];
		struct eum_scp80_keyset ks;
		struct eum_host_scp80_keyset hks;
		uint8_t full[256];
		size_t flen;

		if (strcmp(r->kind, "case") != 0 && strcmp(r->kind, "pysim") != 0)
			continue;
		keysets_for(fld(r, "keyset"), &ks, &hks);
		flen = unhex(fld(r, "packet"), full, sizeof(full));
		for (size_t len = 0; len < flen; len++) {
			for (int fix = 0; fix < 2; fix++) {
				/* Exactly sized heap copies so that the sanitizers see any over-read. */
				uint8_t *pkt = malloc(len ? len : 1);
				uint8_t *work = malloc(len > 10 ? len - 10 : 1);
				struct eum_scp80_cmd cmd;
				struct sd sd;

				assert_non_null(pkt);
				assert_non_null(work);
				memcpy(pkt, full, len);
				if (fix && len >= 2) { /* CPL fixed up to the truncated length */
					pkt[0] = (uint8_t)((len - 2) >> 8);
					pkt[1] = (uint8_t)(len - 2);
				}
				memset(&sd, 0, sizeof(sd));
				sd.ks = &ks;
				assert_int_equal(
				        eum_scp80_unwrap(pkt, len, sd_lookup, &sd, work, len > 10 ? len - 10 : 0, &cmd),
				        EUM_OK);
				assert_true(cmd.status < EUM_SCP80_STATUS_NUM);
				if (cmd.status == EUM_SCP80_POR_OK) {
					/* Only a packet without any security stays valid when cut short
					 * with a consistent CPL: its secured data is just shorter. */
					assert_true(fix && (pkt[3] & 0x07) == 0 && len >= 16);
					assert_int_equal(cmd.data_len, len - 16 - cmd.pcntr);
				} else {
					assert_int_equal(cmd.cntr_update, 0);
					assert_null(cmd.data);
				}
				assert_int_equal(cmd.header_ok, len >= 10);
				free(pkt);
				free(work);
			}
		}
	}
}

/* ---- MSL (TS 102 226) and key set selection ------------------------------ */

static void test_msl(void **state)
{
	const struct rec *r;
	struct eum_scp80_keyset ks;
	struct eum_host_scp80_keyset hks;
	struct eum_scp80_cmd cmd;
	struct sd sd;
	uint8_t pkt[256], work[256];
	size_t plen;

	(void)state;
	load_data();
	/* TS.48 V4 RFM MSL 02 (CC) accepts the CC-only packet; V1-V3 MSL 06 (CC + ciphering) refuses it. */
	r = find_rec("case", "TS48-KVN1-3DES_CC_RFM-USIM");
	keysets_for(fld(r, "keyset"), &ks, &hks);
	plen = unhex(fld(r, "packet"), pkt, sizeof(pkt));
	memset(&sd, 0, sizeof(sd));
	sd.ks = &ks;
	sd.msl = 0x02;
	assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
	assert_int_equal(cmd.status, EUM_SCP80_POR_OK);
	sd.msl = 0x06;
	assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
	assert_int_equal(cmd.status, EUM_SCP80_INSUFFICIENT_SECURITY_LEVEL);
	assert_null(cmd.data);

	assert_true(eum_scp80_msl_ok(0x00, 0x00));
	assert_true(eum_scp80_msl_ok(0x06, 0x16));
	assert_false(eum_scp80_msl_ok(0x06, 0x12));
	assert_false(eum_scp80_msl_ok(0x02, 0x01)); /* RC does not reach a CC requirement */
	assert_true(eum_scp80_msl_ok(0x01, 0x02));
	assert_false(eum_scp80_msl_ok(0x12, 0x0A)); /* counter "higher" required, "no check" given */
	assert_true(eum_scp80_msl_ok(0x12, 0x1A));
}

static void test_key_selection(void **state)
{
	const struct rec *r;
	struct eum_scp80_keyset ks, other;
	struct eum_host_scp80_keyset hks;
	struct eum_scp80_cmd cmd;
	struct sd sd;
	uint8_t pkt[256], work[256];
	size_t plen;

	(void)state;
	load_data();
	r = find_rec("case", "AES128_CIPH_CMAC_CNTRhigher_PoR-CIPH-CC_ISDR");
	keysets_for(fld(r, "keyset"), &ks, &hks);
	plen = unhex(fld(r, "packet"), pkt, sizeof(pkt));
	memset(&sd, 0, sizeof(sd));
	sd.ks = &ks;

	/* Unknown key version: unidentified security error, lookup consulted once. */
	other = ks;
	other.kvn = 7;
	sd.ks = &other;
	assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
	assert_int_equal(cmd.status, EUM_SCP80_UNIDENTIFIED_SECURITY_ERROR);
	assert_int_equal(cmd.keys_ok, 0);

	/* KIc names AES but the key set holds 3DES: refused. */
	other = ks;
	other.kic.algo = EUM_SCP80_ALGO_TDES2;
	sd.ks = &other;
	assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
	assert_int_equal(cmd.status, EUM_SCP80_UNIDENTIFIED_SECURITY_ERROR);

	/* Wrong KIc value of the right algorithm: the CC over the garbage fails. */
	other = ks;
	other.kic.val[0] ^= 1;
	sd.ks = &other;
	assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), &cmd), EUM_OK);
	assert_int_equal(cmd.status, EUM_SCP80_RC_CC_DS_FAILED);

	/* Argument errors. */
	sd.ks = &ks;
	assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, plen - 11, &cmd), EUM_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(eum_scp80_unwrap(pkt, plen, NULL, &sd, work, sizeof(work), &cmd), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, sizeof(work), NULL), EUM_ERR_INVALID_ARG);
	assert_int_equal(eum_scp80_unwrap(pkt, plen, sd_lookup, &sd, work, plen - 10, &cmd), EUM_OK);
	assert_int_equal(cmd.status, EUM_SCP80_POR_OK);
	{
		uint8_t out[64];
		size_t olen;

		assert_int_equal(eum_scp80_build_por(&cmd, sd_lookup, &sd, 0, (const uint8_t *)"\x01\x90\x00", 3,
		                                     EUM_SCP80_ERROR_POR, out, 30, &olen),
		                 EUM_ERR_BUFFER_TOO_SMALL);
	}
	assert_string_equal(eum_scp80_status_name(EUM_SCP80_TAR_UNKNOWN), "TAR unknown");
	assert_string_equal(eum_scp80_status_name(0x42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cases_unwrap), cmocka_unit_test(test_pysim_real_card_pors),
	        cmocka_unit_test(test_negative),     cmocka_unit_test(test_truncated),
	        cmocka_unit_test(test_msl),          cmocka_unit_test(test_key_selection),
	};

	return cmocka_run_group_tests_name("scp80", tests, NULL, NULL);
}
