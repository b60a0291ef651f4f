/*
 * The SGP.02 ES5 rules table (src/sgp02/policy.c: §3.2, §3.3, §7.2-§7.6) row by row, the ES5
 * policy settings of the configuration file (examples/eum.conf "es5"), and the validation of the
 * ES5 state in the state image (src/store/image.c).
 */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "es5_e2e.h"

#include "sgp02/policy.h"
#include "store/image.h"

#define SEL    EUM_ISDP_SELECTABLE
#define PER    EUM_ISDP_PERSONALIZED
#define DIS    EUM_ISDP_DISABLED
#define ENA    EUM_ISDP_ENABLED
#define NODIS  EUM_POL1_DISABLE_NOT_ALLOWED
#define NODEL  EUM_POL1_DELETE_NOT_ALLOWED
#define DELDIS EUM_POL1_DELETE_WHEN_DISABLED

/* One case: slot 0 is ENABLED with pol1_enabled (fall-back unless target_fb), slot 1 the target. */
struct rule_case {
	enum eum_es5_cmd cmd;
	uint8_t target_lcs;
	uint8_t target_fb;
	uint8_t target_pol1;
	uint8_t enabled_pol1;
	uint8_t phase;
	uint16_t sw;
};

/* clang-format off */
static const struct rule_case cases[] = {
	/* EnableProfile: DISABLED targets only; the enabled profile's "disable not allowed"; one switch at a time */
	{EUM_ES5_CMD_ENABLE,        DIS, 0, 0,      0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_ENABLE,        DIS, 1, NODIS,  0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_ENABLE,        SEL, 0, 0,      0,     EUM_ES5_SW_NONE,        0x6985},
	{EUM_ES5_CMD_ENABLE,        PER, 0, 0,      0,     EUM_ES5_SW_NONE,        0x6985},
	{EUM_ES5_CMD_ENABLE,        DIS, 0, 0,      NODIS, EUM_ES5_SW_NONE,        0x69E1},
	{EUM_ES5_CMD_ENABLE,        DIS, 0, 0,      0,     EUM_ES5_SW_WAIT_ATTACH, 0x6985},
	{EUM_ES5_CMD_ENABLE,        SEL, 0, 0,      NODIS, EUM_ES5_SW_NONE,        0x6985}, /* state before POL1 */
	/* DisableProfile: the ENABLED target, not the fall-back one, its own POL1 */
	{EUM_ES5_CMD_DISABLE,       ENA, 0, 0,      0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_DISABLE,       DIS, 0, 0,      0,     EUM_ES5_SW_NONE,        0x6985},
	{EUM_ES5_CMD_DISABLE,       ENA, 1, 0,      0,     EUM_ES5_SW_NONE,        0x6985},
	{EUM_ES5_CMD_DISABLE,       ENA, 0, NODIS,  0,     EUM_ES5_SW_NONE,        0x69E1},
	{EUM_ES5_CMD_DISABLE,       ENA, 0, 0,      0,     EUM_ES5_SW_PENDING,     0x6985},
	/* SetFallbackAttribute: a profile is there; the enabled profile's "disable not allowed" */
	{EUM_ES5_CMD_SET_FALLBACK,  DIS, 0, 0,      0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_SET_FALLBACK,  ENA, 0, NODEL,  0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_SET_FALLBACK,  PER, 0, 0,      0,     EUM_ES5_SW_NONE,        0x6985},
	{EUM_ES5_CMD_SET_FALLBACK,  DIS, 0, 0,      NODIS, EUM_ES5_SW_NONE,        0x69E1},
	{EUM_ES5_CMD_SET_FALLBACK,  DIS, 0, 0,      0,     EUM_ES5_SW_WAIT_ATTACH, 0},
	/* DeleteProfile: never ENABLED nor fall-back; "delete not allowed"; "delete when disabled" does not refuse */
	{EUM_ES5_CMD_DELETE,        SEL, 0, 0,      0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_DELETE,        PER, 0, 0,      0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_DELETE,        DIS, 0, DELDIS, 0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_DELETE,        ENA, 0, 0,      0,     EUM_ES5_SW_NONE,        0x6985},
	{EUM_ES5_CMD_DELETE,        DIS, 1, 0,      0,     EUM_ES5_SW_NONE,        0x6985},
	{EUM_ES5_CMD_DELETE,        DIS, 0, NODEL,  0,     EUM_ES5_SW_NONE,        0x69E1},
	{EUM_ES5_CMD_DELETE,        DIS, 0, 0,      NODIS | NODEL, EUM_ES5_SW_WAIT_ATTACH, 0},
	/* MasterDelete: POL1 ignored, never ENABLED nor fall-back */
	{EUM_ES5_CMD_MASTER_DELETE, DIS, 0, NODEL,  0,     EUM_ES5_SW_NONE,        0},
	{EUM_ES5_CMD_MASTER_DELETE, ENA, 0, NODEL,  0,     EUM_ES5_SW_NONE,        0x6985},
	{EUM_ES5_CMD_MASTER_DELETE, DIS, 1, 0,      0,     EUM_ES5_SW_NONE,        0x6985},
};
/* clang-format on */

static void test_rules_table(void **state)
{
	struct es5 *t = es5_new_with(1);
	struct eum_card *card = t->card;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rule_case *c = &cases[i];
		struct eum_isdp *en = card->ps->isdp[0],
		                *tg = eum_pstate_slot(card->ps, 1); /* a slot written directly */
		print_message("case %zu: %s\n", i, eum_es5_rule(c->cmd)->name);
		tg->in_use = 1;
		tg->lcs = c->target_lcs;
		tg->fallback = c->target_fb;
		tg->pol1 = c->target_pol1;
		tg->has_profile = c->target_lcs == DIS || c->target_lcs == ENA; /* as the life cycle makes it */
		/* a second ENABLED target stands for "the enabled profile is the target" */
		en->lcs = c->target_lcs == ENA ? DIS : ENA;
		en->fallback = !c->target_fb;
		en->pol1 = c->target_lcs == ENA ? 0 : c->enabled_pol1;
		card->ps->isdr.es5.sw_phase = c->phase;
		assert_int_equal(eum_es5_check(card, c->cmd, 1), c->sw);
	}
	/* a DISABLED ISD-P that holds no profile can be neither enabled nor the fall-back one */
	card->ps->isdr.es5.sw_phase = EUM_ES5_SW_NONE;
	card->ps->isdp[1]->lcs = DIS;
	card->ps->isdp[1]->fallback = 0;
	card->ps->isdp[1]->pol1 = 0;
	card->ps->isdp[0]->lcs = ENA;
	card->ps->isdp[0]->pol1 = 0;
	card->ps->isdp[1]->has_profile = 0;
	assert_int_equal(eum_es5_check(card, EUM_ES5_CMD_ENABLE, 1), 0x6985);
	assert_int_equal(eum_es5_check(card, EUM_ES5_CMD_SET_FALLBACK, 1), 0x6985);
	assert_int_equal(eum_es5_check(card, EUM_ES5_CMD_DELETE, 1), 0);
	card->ps->isdp[1]->has_profile = 1;
	assert_int_equal(eum_es5_check(card, EUM_ES5_CMD_ENABLE, 1), 0);
	/* the table is complete and its names are the SGP.02 function names */
	assert_string_equal(eum_es5_rule(EUM_ES5_CMD_ENABLE)->name, "EnableProfile");
	assert_int_equal(eum_es5_rule(EUM_ES5_CMD_ENABLE)->notif, 0x02);
	assert_int_equal(eum_es5_rule(EUM_ES5_CMD_DISABLE)->notif, 0x05);
	card->ps->isdp[1]->in_use = 0;
	card->ps->isdr.es5.sw_phase = EUM_ES5_SW_NONE;
	es5_free(t);
}

static void silent(void *ctx, eum_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

static void write_tmp(char *path, size_t cap, const char *text)
{
	int fd;
	FILE *f;

	snprintf(path, cap, "/tmp/eum-es5-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void test_config_file(void **state)
{
	static const struct {
		const char *text;
		const char *needle;
	} bad[] = {
	        {"es5 = { smsr_address = \"12a4\"; };\n", "es5.smsr_address"},
	        {"es5 = { smsr_address = \"\"; };\n", "1 to 20 digits"},
	        {"es5 = { smsr_ton_npi = 0x11; };\n", "es5.smsr_ton_npi"},
	        {"es5 = { notify_attempts = -1; };\n", "es5.notify_attempts"},
	};
	char path[64], err[256];
	eum_config cfg;
	eum_card *card;
	size_t i;

	(void)state;
	/* defaults */
	eum_config_init(&cfg);
	assert_null(cfg.es5.smsr_address);
	assert_int_equal(cfg.es5.smsr_ton_npi, 0x91);
	assert_int_equal(cfg.es5.rollback_attach_failures, 3);
	assert_int_equal(cfg.es5.rollback_timeout_s, 600);
	assert_int_equal(cfg.es5.fallback_loss_events, 3);
	assert_int_equal(cfg.es5.fallback_timeout_s, 0);
	assert_int_equal(cfg.es5.notify_attempts, 5);
	assert_int_equal(cfg.es5.notify_timeout_s, 300);
	/* the example file states the defaults */
	assert_int_equal(eum_config_load_file(&cfg, EUM_SOURCE_DIR "/examples/eum.conf", err, sizeof(err)), EUM_OK);
	assert_null(cfg.es5.smsr_address);
	assert_int_equal(cfg.es5.rollback_timeout_s, 600);
	assert_int_equal(cfg.es5.notify_attempts, 5);
	eum_config_clear(&cfg);
	/* every key */
	write_tmp(path, sizeof(path),
	          "es5 = { smsr_address = \"4477123\"; smsr_ton_npi = 0x81; rollback_attach_failures = 7;\n"
	          "        rollback_timeout_s = 11; fallback_loss_events = 0; fallback_timeout_s = 13;\n"
	          "        notify_attempts = 2; notify_timeout_s = 17; };\n");
	eum_config_init(&cfg);
	assert_int_equal(eum_config_load_file(&cfg, path, err, sizeof(err)), EUM_OK);
	assert_string_equal(cfg.es5.smsr_address, "4477123");
	assert_int_equal(cfg.es5.smsr_ton_npi, 0x81);
	assert_int_equal(cfg.es5.rollback_attach_failures, 7);
	assert_int_equal(cfg.es5.rollback_timeout_s, 11);
	assert_int_equal(cfg.es5.fallback_loss_events, 0);
	assert_int_equal(cfg.es5.fallback_timeout_s, 13);
	assert_int_equal(cfg.es5.notify_attempts, 2);
	assert_int_equal(cfg.es5.notify_timeout_s, 17);
	/* the address reaches the manufactured ISD-R: 7 digits, 81, 44 77 21 F3 */
	cfg.log_level = EUM_LOG_ERROR;
	assert_int_equal(eum_card_new(&card, &cfg), EUM_OK);
	assert_int_equal(card->ps->isdr.es5.smsr_ndigits, 7);
	assert_int_equal(card->ps->isdr.es5.smsr_ton_npi, 0x81);
	assert_memory_equal(card->ps->isdr.es5.smsr_bcd, "\x44\x77\x21\xF3", 4);
	assert_int_equal(card->es5->policy.rollback_timeout_s, 11);
	eum_card_free(card);
	eum_config_clear(&cfg);
	remove(path);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_tmp(path, sizeof(path), bad[i].text);
		eum_config_init(&cfg);
		err[0] = 0;
		assert_int_equal(eum_config_load_file(&cfg, path, err, sizeof(err)), EUM_ERR_CONFIG);
		assert_non_null(strstr(err, bad[i].needle));
		eum_config_clear(&cfg);
		remove(path);
	}
	/* a malformed address given through the API is a configuration error at manufacture */
	eum_config_init(&cfg);
	cfg.log = silent;
	cfg.es5.smsr_address = "12-34";
	assert_int_equal(eum_card_new(&card, &cfg), EUM_ERR_CONFIG);
}

/* The image carries the ES5 state and refuses one that names ISD-Ps that are not there. */
static void test_image_validation(void **state)
{
	struct es5 *t = es5_new();
	struct eum_pstate *ps = malloc(sizeof(*ps));
	uint8_t *img = malloc(ES5_IMG_MAX);
	char why[160];
	size_t len;

	(void)state;
	assert_non_null(ps);
	assert_non_null(img);
	t->card->ps->isdr.es5.sw_phase = EUM_ES5_SW_WAIT_ATTACH;
	t->card->ps->isdr.es5.sw_kind = EUM_ES5_KIND_FALLBACK;
	t->card->ps->isdr.es5.sw_target = 0;
	t->card->ps->isdr.es5.sw_prev = EUM_ES5_NO_SLOT;
	t->card->ps->isdr.es5.sw_deadline = 0x0102030405060708ull;
	t->card->ps->isdp[0]->has_token_key = 1;
	memset(t->card->ps->isdp[0]->token_key, 0xA5, 16);
	len = es5_image(t, img);
	assert_int_equal(eum_image_read(ps, img, len, why, sizeof(why)), EUM_OK);
	assert_int_equal(ps->isdr.es5.sw_deadline, 0x0102030405060708ull);
	assert_int_equal(ps->isdp[0]->has_token_key, 1);
	assert_int_equal(ps->isdp[0]->token_key[15], 0xA5);
	eum_pstate_free(ps);
	/* a switch to a free slot */
	t->card->ps->isdr.es5.sw_target = 5;
	len = es5_image(t, img);
	assert_int_equal(eum_image_read(ps, img, len, why, sizeof(why)), EUM_ERR_CORRUPT);
	assert_non_null(strstr(why, "ES5"));
	/* a notification of type 04 (void) */
	t->card->ps->isdr.es5.sw_target = 0;
	t->card->ps->isdr.es5.notif[0].type = 0x04;
	t->card->ps->isdr.es5.notif[0].state = EUM_ES5_NT_SEND;
	t->card->ps->isdr.es5.notif[0].rollback = EUM_ES5_NO_SLOT;
	len = es5_image(t, img);
	assert_int_equal(eum_image_read(ps, img, len, why, sizeof(why)), EUM_ERR_CORRUPT);
	/* a follow-up deletion of a slot that is not in use */
	t->card->ps->isdr.es5.notif[0].type = 0x02;
	t->card->ps->isdr.es5.notif[0].followup = 1u << 9;
	len = es5_image(t, img);
	assert_int_equal(eum_image_read(ps, img, len, why, sizeof(why)), EUM_ERR_CORRUPT);
	t->card->ps->isdr.es5.notif[0].followup = 1u << 0;
	len = es5_image(t, img);
	assert_int_equal(eum_image_read(ps, img, len, why, sizeof(why)), EUM_OK);
	eum_pstate_free(ps);
	free(ps);
	free(img);
	memset(&t->card->ps->isdr.es5.notif[0], 0, sizeof(t->card->ps->isdr.es5.notif[0]));
	t->card->ps->isdr.es5.sw_phase = EUM_ES5_SW_NONE;
	es5_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rules_table),
	        cmocka_unit_test(test_config_file),
	        cmocka_unit_test(test_image_validation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
