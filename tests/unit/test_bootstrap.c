/*
 * The default bootstrap profile (src/profile/bootstrap.h, SGP.02 §9): the package embedded at build
 * time is the committed examples/profiles/bootstrap.der; it installs through the TCA installer with
 * every PE accepted; its MNO-SD key sets are the SCP80 vector key sets (tests/data/scp80) and its RFM
 * the documented TAR; and what a modem can see of the card — every file's FCP and content, walked
 * with SELECT / READ BINARY / READ RECORD — is the golden tests/data/bootstrap/modem_view.txt.
 *
 * When the package replaced the former C table (src/fs/default_card.c), the same walk over the
 * table-built card gave this golden except for two lines: EF.UMPC (2F08), which every PE-MF creates,
 * and the MF's total size (81) that includes it. Rewrite it deliberately with EUM_BOOTSTRAP_VIEW_OUT=path.
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

#include "core/card.h"
#include "profile/bootstrap.h"

#define VIEW_FILE  EUM_TEST_DATA_DIR "/bootstrap/modem_view.txt"
#define DER_FILE   EUM_SOURCE_DIR "/examples/profiles/bootstrap.der"
#define SCP80_FILE EUM_TEST_DATA_DIR "/scp80/scp80.data"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_embedded_is_committed(void **state)
{
	size_t len;
	char *der = slurp(DER_FILE, &len);
	(void)state;

	assert_int_equal(len, eum_bootstrap_der_len);
	assert_memory_equal(der, eum_bootstrap_der, len);
	free(der);
}

static void test_installs(void **state)
{
	struct eum_profile p;
	struct eum_saip_result res;
	uint8_t pol1 = 0xEE;
	(void)state;

	memset(&p, 0, sizeof(p));
	eum_fs_init(&p.fs);
	assert_int_equal(eum_bootstrap_install(&p, &pol1, &res), EUM_OK);
	assert_false(res.aborted);
	assert_int_equal(res.pe_count, 12); /* header + 11 PEs */
	assert_int_equal(res.n_st, 1);      /* only the final ok of `end` */
	assert_int_equal(res.st[0].status, EUM_SAIP_ST_OK);
	assert_int_equal(res.st[0].identification, 11);
	assert_int_equal(pol1, 0);
	/* UICC RFM on TAR B00010, MSL 16 (higher counter, ciphering, CC), full access (access domains
	 * 00), no ADF (README "Default test card") */
	assert_true(p.rfm[0].in_use);
	assert_memory_equal(p.rfm[0].tar, ((const uint8_t[]){0xB0, 0x00, 0x10}), 3);
	assert_int_equal(p.rfm[0].msl, 0x16);
	assert_int_equal(p.rfm[0].adf_aid_len, 0);
	assert_int_equal(p.rfm[0].ad_len[EUM_RFM_AD_UICC], 1);
	assert_int_equal(p.rfm[0].ad[EUM_RFM_AD_UICC][0], 0x00);
	assert_int_equal(p.rfm[0].ad_len[EUM_RFM_AD_ADMIN], 1);
	assert_int_equal(p.rfm[0].ad[EUM_RFM_AD_ADMIN][0], 0x00);
	assert_int_equal(p.rfm[0].ad_len[EUM_RFM_AD_ADF], 0);
	assert_false(p.rfm[1].in_use);
	assert_int_equal(p.aka.algo, EUM_AKA_ALGO_MILENAGE);
	eum_saip_profile_clear(&p);
}

/* The MNO-SD key sets are the first five key sets of the SCP80 vectors (KVN 1..5). */
static void test_ota_keys_are_vector_keys(void **state)
{
	static const uint8_t algos[5] = {EUM_SCP80_ALGO_TDES2, EUM_SCP80_ALGO_TDES3, EUM_SCP80_ALGO_AES128,
	                                 EUM_SCP80_ALGO_AES256, EUM_SCP80_ALGO_DES};
	struct eum_profile p;
	uint8_t pol1;
	size_t len;
	char *data = slurp(SCP80_FILE, &len), *line = data;
	int n = 0;
	(void)state;

	memset(&p, 0, sizeof(p));
	eum_fs_init(&p.fs);
	assert_int_equal(eum_bootstrap_install(&p, &pol1, NULL), EUM_OK);
	while (n < 5 && (line = strstr(line, "\nkeyset ")) != NULL) {
		char kic[80], kid[80];
		unsigned kvn;
		uint8_t b[32];
		size_t i, kl;
		line++;
		assert_int_equal(sscanf(strstr(line, "kvn="), "kvn=%x", &kvn), 1);
		assert_int_equal(sscanf(strstr(line, " kic="), " kic=%79s", kic), 1);
		assert_int_equal(sscanf(strstr(line, " kid="), " kid=%79s", kid), 1);
		assert_int_equal(p.ota_keys[n].kvn, kvn);
		assert_int_equal(p.ota_keys[n].kic.algo, algos[n]);
		assert_int_equal(p.ota_keys[n].kid.algo, algos[n]);
		kl = strlen(kic) / 2;
		for (i = 0; i < kl; i++)
			assert_int_equal(sscanf(kic + 2 * i, "%2hhx", &b[i]), 1);
		assert_memory_equal(p.ota_keys[n].kic.val, b, kl);
		for (i = 0; i < kl; i++)
			assert_int_equal(sscanf(kid + 2 * i, "%2hhx", &b[i]), 1);
		assert_memory_equal(p.ota_keys[n].kid.val, b, kl);
		n++;
	}
	assert_int_equal(n, 5);
	assert_int_equal(p.ota_keys[5].kvn, 0);
	free(data);
	eum_saip_profile_clear(&p);
}

/* ---- the modem's view ------------------------------------------------------------------------ */

struct text {
	char *p;
	size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if ((size_t)n < t->cap - t->len)
			break;
		t->cap = 2 * t->cap + (size_t)n;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	t->len += (size_t)n;
}

/* One APDU with T=0 handling; returns SW, data in out. */
static uint16_t xfer(eum_card *card, const uint8_t *c, size_t cl, uint8_t *out, size_t *olen)
{
	uint8_t cmd[261], rb[258];
	size_t rl;
	uint16_t sw;

	memcpy(cmd, c, cl);
	*olen = 0;
	for (;;) {
		assert_int_equal(eum_card_transmit(card, cmd, cl, rb, sizeof(rb), &rl), EUM_OK);
		sw = (uint16_t)(rb[rl - 2] << 8 | rb[rl - 1]);
		memcpy(out + *olen, rb, rl - 2);
		*olen += rl - 2;
		if ((sw >> 8) != 0x61)
			return sw;
		cmd[0] = 0x00;
		cmd[1] = 0xC0;
		cmd[2] = cmd[3] = 0x00;
		cmd[4] = (uint8_t)sw;
		cl = 5;
	}
}

static void hex_put(struct text *t, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put(t, "%02X", b[i]);
}

/* Every file of the enabled profile in file-system order, as a modem reads it (ADM1, PIN1 and PIN2
 * verified first so that every access rule used by the profile is met). */
static void modem_view(eum_card *card, struct text *t)
{
	static const char *const pins[][2] = {{"01", "1234"}, {"81", "5678"}, {"0A", "88888888"}};
	const struct eum_fs *fs = &card->prof->fs;
	uint8_t c[64], out[4096];
	size_t i, k, n;

	for (i = 0; i < 3; i++) {
		unsigned ref;
		sscanf(pins[i][0], "%x", &ref);
		memcpy(c, (const uint8_t[]){0x00, 0x20, 0x00, (uint8_t)ref, 0x08}, 5);
		memset(c + 5, 0xFF, 8);
		memcpy(c + 5, pins[i][1], strlen(pins[i][1]));
		assert_int_equal(xfer(card, c, 13, out, &n), 0x9000);
	}
	for (i = 0; i < fs->n; i++) {
		const struct eum_file *f = &fs->files[i];
		uint16_t fids[8];
		size_t depth = 0, cl;
		int32_t j;

		/* path from the MF (the path a modem would use; ADFs by their FID inside the profile) */
		for (j = (int32_t)i; j > 0; j = fs->files[j].parent)
			fids[depth++] = fs->files[j].fid;
		put(t, "3F00");
		cl = 5;
		memcpy(c, (const uint8_t[]){0x00, 0xA4, 0x08, 0x04, 0x00}, 5);
		for (k = depth; k-- > 0;) {
			put(t, "/%04X", fids[k]);
			c[cl++] = (uint8_t)(fids[k] >> 8);
			c[cl++] = (uint8_t)fids[k];
		}
		if (depth == 0) {
			memcpy(c, (const uint8_t[]){0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00}, 7);
			cl = 7;
		}
		c[4] = (uint8_t)(cl - 5);
		c[cl++] = 0x00;
		assert_int_equal(xfer(card, c, cl, out, &n), 0x9000);
		put(t, " fcp=");
		hex_put(t, out, n);
		if (EUM_FT_IS_DF(f->type)) {
			put(t, "\n");
			continue;
		}
		put(t, " data=");
		if (EUM_FT_IS_RECORD(f->type)) {
			for (k = 1; k <= f->nrec; k++) {
				memcpy(c, (const uint8_t[]){0x00, 0xB2, (uint8_t)k, 0x04, (uint8_t)f->rec_len}, 5);
				assert_int_equal(xfer(card, c, 5, out, &n), 0x9000);
				put(t, "%s", k > 1 ? "|" : "");
				hex_put(t, out, n);
			}
		} else {
			size_t off;
			for (off = 0; off < f->size; off += 128) {
				size_t chunk = f->size - off > 128 ? 128 : f->size - off;
				memcpy(c,
				       (const uint8_t[]){0x00, 0xB0, (uint8_t)(off >> 8), (uint8_t)off, (uint8_t)chunk},
				       5);
				assert_int_equal(xfer(card, c, 5, out, &n), 0x9000);
				hex_put(t, out, n);
			}
		}
		put(t, "\n");
	}
}

static void test_modem_view(void **state)
{
	struct text t = {NULL, 0, 0};
	const char *write_to = getenv("EUM_BOOTSTRAP_VIEW_OUT");
	eum_card *card = NULL;
	size_t len;
	char *golden;
	(void)state;

	t.cap = 1024;
	t.p = malloc(t.cap);
	assert_non_null(t.p);
	t.p[0] = 0;
	assert_int_equal(eum_card_new(&card, NULL), EUM_OK);
	assert_int_equal(eum_card_reset(card, 1, NULL, 0, NULL), EUM_OK);
	put(&t, "# Every file of the default card as a modem reads it (tests/unit/test_bootstrap.c).\n");
	modem_view(card, &t);
	eum_card_free(card);
	if (write_to) {
		FILE *f = fopen(write_to, "w");
		assert_non_null(f);
		assert_int_equal(fwrite(t.p, 1, t.len, f), t.len);
		fclose(f);
	}
	golden = slurp(VIEW_FILE, &len);
	if (len != t.len || memcmp(golden, t.p, len) != 0) {
		size_t i = 0;
		while (i < len && i < t.len && golden[i] == t.p[i])
			i++;
		fail_msg("modem view differs from %s at byte %zu: ...%.80s", VIEW_FILE, i, t.p + (i > 20 ? i - 20 : 0));
	}
	free(golden);
	free(t.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_embedded_is_committed),
	        cmocka_unit_test(test_installs),
	        cmocka_unit_test(test_ota_keys_are_vector_keys),
	        cmocka_unit_test(test_modem_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
