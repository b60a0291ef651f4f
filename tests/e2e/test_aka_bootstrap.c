/*
 * End to end, APDUs only: the default card (the embedded bootstrap profile) used by a modem and a
 * Milenage network (libeum-host AKA). Expected values are read from the profile's readable source,
 * examples/profiles/bootstrap.conf (header ICCID, EF.DIR, IMSI, EF.UST, PIN1, K and OP), so the
 * test checks that the card a modem meets is the one the source describes.
 */
#define _POSIX_C_SOURCE 200809L

#include <libconfig.h>

#include "test_aka_modem.h"

#define BOOTSTRAP_CONF EUM_SOURCE_DIR "/examples/profiles/bootstrap.conf"

struct expect {
	const char *iccid, *imsi, *pin1, *ust, *aid;
	uint8_t k[16], op[16];
};

/* The element of `elements` with pe = type (the n-th such, from 0). */
static config_setting_t *element(config_t *cfg, const char *type, int n)
{
	config_setting_t *els = config_lookup(cfg, "elements");
	int i;

	assert_non_null(els);
	for (i = 0; i < config_setting_length(els); i++) {
		config_setting_t *e = config_setting_get_elem(els, (unsigned)i);
		const char *t;
		if (config_setting_lookup_string(e, "pe", &t) && !strcmp(t, type) && n-- == 0)
			return e;
	}
	fail_msg("no %s element", type);
	return NULL;
}

static config_setting_t *member_file(config_setting_t *pe, const char *member)
{
	config_setting_t *files = config_setting_get_member(pe, "files");
	int i;

	for (i = 0; files && i < config_setting_length(files); i++) {
		config_setting_t *f = config_setting_get_elem(files, (unsigned)i);
		const char *m;
		if (config_setting_lookup_string(f, "member", &m) && !strcmp(m, member))
			return f;
	}
	fail_msg("no file %s", member);
	return NULL;
}

static void read_expect(config_t *cfg, struct expect *e)
{
	config_setting_t *pins = config_setting_get_member(element(cfg, "pinCodes", 0), "pins");
	config_setting_t *usim = element(cfg, "usim", 0), *aka = element(cfg, "akaParameter", 0);
	const char *s;
	int i, ref;

	assert_true(config_lookup_string(cfg, "header.iccid", &e->iccid));
	assert_true(config_setting_lookup_string(member_file(usim, "adf-usim"), "aid", &e->aid));
	assert_true(config_setting_lookup_string(member_file(usim, "ef-imsi"), "imsi", &e->imsi));
	assert_true(config_setting_lookup_string(member_file(usim, "ef-ust"), "content", &e->ust));
	e->pin1 = NULL;
	for (i = 0; i < config_setting_length(pins); i++) {
		config_setting_t *p = config_setting_get_elem(pins, (unsigned)i);
		if (config_setting_lookup_int(p, "ref", &ref) && ref == 1)
			assert_true(config_setting_lookup_string(p, "value", &e->pin1));
	}
	assert_non_null(e->pin1);
	assert_true(config_setting_lookup_string(aka, "algorithm", &s));
	assert_string_equal(s, "milenage");
	assert_true(config_setting_lookup_string(aka, "k", &s));
	unhex_n(s, e->k, 16);
	assert_true(config_setting_lookup_string(aka, "op", &s));
	unhex_n(s, e->op, 16);
}

static void test_default_card(void **state)
{
	static const uint8_t seq0[6] = {0};
	struct eum_host_aka_key key;
	struct modem_rsp r;
	struct expect e;
	uint8_t buf[64], aid[16], ust[32];
	char digits[40];
	size_t aid_len, n, i, k;
	eum_card *card;
	config_t cfg;
	int with_kc;
	(void)state;

	config_init(&cfg);
	if (!config_read_file(&cfg, BOOTSTRAP_CONF))
		fail_msg("%s:%d: %s", BOOTSTRAP_CONF, config_error_line(&cfg), config_error_text(&cfg));
	read_expect(&cfg, &e);
	card = modem_card(NULL);

	/* EF.ICCID: the header's ICCID, BCD nibble-swapped */
	assert_int_equal(modem_hex(card, "00A40004023F00", &r), 0x9000);
	assert_int_equal(modem_hex(card, "00A40004022FE2", &r), 0x9000);
	assert_int_equal(modem_hex(card, "00B000000A", &r), 0x9000);
	for (i = k = 0; i < 10; i++) {
		if ((r.data[i] & 0x0F) != 0x0F)
			digits[k++] = (char)('0' + (r.data[i] & 0x0F));
		if ((r.data[i] >> 4) != 0x0F)
			digits[k++] = (char)('0' + (r.data[i] >> 4));
	}
	digits[k] = 0;
	assert_string_equal(digits, e.iccid);

	/* EF.DIR record 1 names the USIM; SELECT it by that AID */
	aid_len = unhex(e.aid, aid, sizeof(aid));
	assert_int_equal(modem_hex(card, "00A40004022F00", &r), 0x9000);
	assert_int_equal(modem_hex(card, "00B2010420", &r), 0x9000);
	assert_int_equal(r.data[0], 0x61);
	assert_int_equal(r.data[2], 0x4F);
	assert_int_equal(r.data[3], aid_len);
	assert_memory_equal(r.data + 4, aid, aid_len);
	{
		uint8_t c[5 + 16 + 1] = {0x00, 0xA4, 0x04, 0x04, (uint8_t)aid_len};
		memcpy(c + 5, aid, aid_len);
		assert_int_equal(modem_xfer(card, c, 6 + aid_len, &r), 0x9000);
	}

	/* VERIFY PIN1, READ EF.IMSI */
	assert_int_equal(modem_verify(card, 0x01, e.pin1), 0x9000);
	assert_int_equal(modem_hex(card, "00A40004026F07", &r), 0x9000);
	assert_int_equal(modem_hex(card, "00B0000009", &r), 0x9000);
	assert_int_equal(r.data[0], (strlen(e.imsi) + 2) / 2);
	for (i = 1, k = 0; i < 9; i++) {
		if (i > 1)
			digits[k++] = (char)('0' + (r.data[i] & 0x0F));
		if ((r.data[i] >> 4) != 0x0F)
			digits[k++] = (char)('0' + (r.data[i] >> 4));
	}
	digits[k] = 0;
	assert_string_equal(digits, e.imsi);

	/* EF.UST: service n27 gives Kc */
	assert_int_equal(modem_hex(card, "00A40004026F38", &r), 0x9000);
	assert_int_equal(modem_hex(card, "00B000000E", &r), 0x9000);
	n = unhex(e.ust, buf, sizeof(buf));
	assert_memory_equal(r.data, buf, n);
	memcpy(ust, r.data, r.len);
	with_kc = (ust[26 / 8] >> (26 % 8)) & 1;
	assert_true(with_kc);

	/* Milenage with OP (the network derives OPc itself); the card starts at SEQ_MS 0 */
	assert_int_equal(eum_host_aka_key_milenage(&key, e.k, e.op, 0), EUM_OK);
	authenticate_cases(card, &key, seq0, with_kc);
	eum_host_aka_key_wipe(&key);
	eum_card_free(card);
	config_destroy(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_default_card),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
