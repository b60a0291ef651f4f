/*
 * Shared by the GlobalPlatform command tests driven through APDUs (test_gp_cmds.c, test_gp_keys.c):
 * the default card's AIDs and small APDU helpers.
 */
#ifndef EUM_TEST_GP_CMDS_TEST_H
#define EUM_TEST_GP_CMDS_TEST_H

#include "gp_test.h"

#include "core/sw.h"

#define PFX   "A0000005591010FFFFFFFF89"
#define ISDR  PFX "00000100"
#define ECASD PFX "00000200"
#define ELF   PFX "00000D00"
#define MOD   PFX "00000E00"
#define BOOT  PFX "00001000"

/* Send CLA INS P1 P2 (hdr, 8 hex digits) with data (hex, Lc computed) and
 * optional Le 00; SCP03-wrapped when h is given. out: data + SW. */
static inline uint16_t cmd(eum_card *card, eum_host_scp03 *h, const char *hdr, const char *data, int le, uint8_t *out,
                           size_t *n)
{
	char hex[700];
	size_t dl = strlen(data) / 2;

	if (dl)
		snprintf(hex, sizeof(hex), "%s%02zX%s%s", hdr, dl, data, le ? "00" : "");
	else
		snprintf(hex, sizeof(hex), "%s%s", hdr, le ? "00" : "");
	return h ? gpt_sm_hex(card, h, hex, out, n) : gpt_xmit_hex(card, hex, out, n);
}

static inline void expect_data(const uint8_t *out, size_t n, const char *hex)
{
	uint8_t e[600];
	size_t en = gpt_hex(hex, e, sizeof(e));

	assert_int_equal(GPT_DLEN(n), en);
	assert_memory_equal(out, e, en);
}

/* INSTALL [for install and make selectable] of ISD-P TAR tar (6 hex digits). */
static inline uint16_t install(eum_card *card, eum_host_scp03 *h, const char *tar, const char *priv_lv,
                               const char *params_lv, uint8_t *out, size_t *n)
{
	char data[400];

	snprintf(data, sizeof(data), "10" ELF "10" MOD "10" PFX "%s00%s%s00", tar, priv_lv, params_lv);
	return cmd(card, h, "80E60C00", data, 1, out, n);
}

/* Value of a 1-3 byte sub-TLV of FF21. */
static inline size_t ff21_value(const uint8_t *d, size_t n, uint8_t tag)
{
	size_t i = 3, v = 0, k;

	assert_true(n >= 3 && d[0] == 0xFF && d[1] == 0x21 && d[2] == n - 3);
	while (i + 2 <= n) {
		size_t l = d[i + 1];
		assert_true(i + 2 + l <= n && l >= 1 && l <= 4);
		if (d[i] == tag) {
			assert_true(l == 1 || d[i + 2] != 0); /* shortest encoding */
			for (k = 0; k < l; k++)
				v = v << 8 | d[i + 2 + k];
			return v;
		}
		i += 2 + l;
	}
	fail_msg("tag %02X not in FF21", tag);
	return 0;
}

static inline size_t image_size(const eum_card *card)
{
	size_t n = 0;

	assert_int_equal(eum_card_save_image(card, NULL, 0, &n), EUM_OK);
	return n;
}

#endif
