/*
 * The card as a whole: creation from eum_config (the engine's card object and
 * every module's state), reset and ATR (ISO/IEC 7816-3 §8), power-off, host
 * hooks (randomness, logging, clock). The composition root: it includes the
 * modules, the engine (src/core) does not.
 */
#include "core/card.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cat/bip.h"
#include "cat/cat.h"
#include "crypto/crypto.h"
#include "fs/uicc.h"
#include "gp/gp.h"
#include "ota/ota.h"
#include "ota/scp81.h"
#include "ota/script.h"
#include "profile/bootstrap.h"
#include "profile/saip_apply.h"
#include "sgp02/ecka.h"
#include "sgp02/es5.h"
#include "sgp02/es8.h"
#include "store/image.h"

/* The state of one logical channel (struct eum_channel points into it). */
struct chan_state {
	struct eum_fs_sel sel;
	struct eum_scp03_session scp03;
	struct eum_gp_chan gp;
};

/* Every channel other than the basic one that was never opened, on every card: all zero, read-only (a
 * write that skipped eum_card_open_channel faults). */
static const struct chan_state no_chan;

/* The profile of a card with no profile enabled, shared by every card: empty (eum_profile_init is all
 * zero), read-only. */
static const struct eum_profile no_profile;

/* The module state a card holds through the pointers of struct eum_card: one
 * allocation, owned by the card (card->mods). The OTA receiver, the response
 * buffer, the STORE DATA buffer, the state of a logical channel other than the
 * basic one and the proactive queue held for a commit are allocated separately,
 * on first use. */
struct card_mods {
	struct eum_pstate ps;
	struct eum_store store;
	struct eum_cat cat;
	struct eum_gp_card gp;
	struct eum_es5_card es5;
	struct eum_es8_state es8;
	struct chan_state basic;                   /* channel 0 */
	struct chan_state *chan[EUM_MAX_CHANNELS]; /* channels 1..19 once opened; [0] unused */
	/* the APDU in progress: the proactive queue as it was (held while storage is on: the APDU's
	 * proactive commands and PoRs leave only after its commit; allocated with the store), the
	 * selection before it */
	struct eum_cat *cat_held;
	uint8_t cat_held_valid;
	struct eum_fs_sel sel_saved;
};

/*
 * The default ATR, ISO/IEC 7816-3 §8.2 byte by byte:
 *   3B  TS   direct convention
 *   9F  T0   Y1 = 1001b: TA1 and TD1 follow; K = 15 historical bytes
 *   96  TA1  Fi = 512 (FI = 9), Di = 32 (DI = 6): the speed real UICCs offer
 *   80  TD1  Y2 = 1000b: TD2 follows; T = 0
 *   1F  TD2  Y3 = 0001b: TA3 follows; T = 15 (global interface bytes)
 *   C7  TA3  X = 11b: clock stop supported, no preference; U = 000111b: classes A, B, C
 *   historical bytes (ISO/IEC 7816-4 §8.1.1, compact-TLV):
 *   80        category indicator: compact-TLV data objects follow
 *   31 E0     card service data: selection by full and partial DF name, EF.DIR present
 *   73 FE 21 1F  card capabilities: all selection methods; data coding byte 21;
 *             logical channels assigned by card and by interface device, eight or more
 *   67 65 75 6D 20 30 2E 31  pre-issuing data: "eum 0.1"
 *   TCK  XOR of T0 .. last historical byte (present because T = 15 is indicated)
 */
static const uint8_t default_atr_body[] = {0x3B, 0x9F, 0x96, 0x80, 0x1F, 0xC7, 0x80, 0x31, 0xE0, 0x73, 0xFE,
                                           0x21, 0x1F, 0x67, 0x65, 0x75, 0x6D, 0x20, 0x30, 0x2E, 0x31};

static void default_log(void *ctx, eum_log_level level, const char *msg)
{
	static const char *const names[EUM_LOG_NUM] = {"error", "warning", "info", "debug"};
	(void)ctx;
	fprintf(stderr, "eum: %s: %s\n", names[level < EUM_LOG_NUM ? level : EUM_LOG_DEBUG], msg);
}

void eum_log(const struct eum_card *card, eum_log_level level, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!card || level > card->log_level || !card->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	card->log(card->log_ctx, level, msg);
}

/* The default randomness: the card's CTR_DRBG, seeded from the OS on first use (a card that never
 * draws a random number, as in a modem attach, costs no seeding and no DRBG memory). */
static int card_drbg_random(void *ctx, uint8_t *buf, size_t len)
{
	static const uint8_t pers[] = "eum card";
	struct eum_card *card = ctx;

	if (!card->drbg && eum_drbg_new((eum_drbg **)&card->drbg, pers, sizeof(pers) - 1) != EUM_OK)
		return -1;
	return eum_drbg_random(card->drbg, buf, len);
}

int eum_card_random(struct eum_card *card, uint8_t *buf, size_t len)
{
	if (card->rng(card->rng_ctx, buf, len) != 0) {
		eum_log(card, EUM_LOG_ERROR, "randomness hook failed");
		return EUM_ERR_CRYPTO;
	}
	return EUM_OK;
}

uint64_t eum_card_now(const struct eum_card *card)
{
	return card->clock ? card->clock(card->clock_ctx) : card->clock_fixed;
}

void eum_config_init(eum_config *cfg)
{
	if (!cfg)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = EUM_LOG_WARN;
	cfg->clock_fixed = 1767225600u; /* 2026-01-01T00:00:00Z */
	eum_es5_policy_defaults(&cfg->es5);
	cfg->isdr_msl = EUM_ISDR_MSL_DEFAULT;
	cfg->sms_reassembly_max = EUM_SMS_REASM_MAX_BYTES;
}

static void set_atr(struct eum_card *card, const uint8_t *atr, size_t len)
{
	size_t i;
	uint8_t tck = 0;

	if (atr) {
		memcpy(card->atr, atr, len);
		card->atr_len = len;
		return;
	}
	memcpy(card->atr, default_atr_body, sizeof(default_atr_body));
	for (i = 1; i < sizeof(default_atr_body); i++)
		tck ^= default_atr_body[i];
	card->atr[sizeof(default_atr_body)] = tck;
	card->atr_len = sizeof(default_atr_body) + 1;
}

/* ---- the engine's view of the card: applications, card-level commands, observers ---- */

static void on_after_apdu(struct eum_card *card, enum eum_event ev, const void *arg)
{
	(void)ev;
	(void)arg;
	eum_es5_after_apdu(card);   /* SGP.02: a switch runs once the APDU that asked for it is complete */
	eum_scp81_after_apdu(card); /* GP Amd B: a session asked for, a retry due, a failed commit's session */
}

static void on_bip_after_apdu(struct eum_card *card, enum eum_event ev, const void *arg)
{
	(void)ev;
	(void)arg;
	eum_bip_after_apdu(card); /* BIP commands that waited for room in the proactive queue */
}

static void on_location_status(struct eum_card *card, enum eum_event ev, const void *arg)
{
	(void)ev;
	eum_es5_on_location_status(card, *(const uint8_t *)arg); /* SGP.02 network attach trigger */
}

static void on_reset(struct eum_card *card, enum eum_event ev, const void *arg)
{
	if (ev == EUM_EV_POWER_OFF || *(const int *)arg)
		eum_cat_power_cycle(card); /* volatile memory is lost: proactive commands in flight too */
	eum_scp81_reset(card); /* the HTTPS session is volatile: gone with its channel (before it, quietly) */
	eum_bip_reset(card);   /* TS 102 223: no BIP channel survives the card session */
	if (ev == EUM_EV_RESET)
		eum_es5_on_reset(card); /* SGP.02: a profile switch's REFRESH ends in a reset */
}

static void on_profile_switched(struct eum_card *card, enum eum_event ev, const void *arg)
{
	(void)ev;
	(void)arg;
	eum_card_sync_enabled(card);
}

static void txn_begin(struct eum_card *card)
{
	struct card_mods *m = card->mods;

	/* memory only: a commit cannot fail, nothing to hold */
	m->cat_held_valid = card->store->enabled != 0 && m->cat_held;
	if (m->cat_held_valid)
		*m->cat_held = *card->cat;
}

static int txn_commit(struct eum_card *card)
{
	return eum_store_commit(card);
}

static void txn_abort(struct eum_card *card)
{
	struct card_mods *m = card->mods;

	if (m->cat_held_valid)
		eum_cat_txn_restore(card, m->cat_held);
	eum_scp81_txn_abort(card); /* its proactive commands are gone: the session ends after the APDU */
}

static void sel_save(struct eum_card *card, unsigned chan)
{
	((struct card_mods *)card->mods)->sel_saved = *card->ch[chan].sel;
}

static void sel_restore(struct eum_card *card, unsigned chan)
{
	*card->ch[chan].sel = ((struct card_mods *)card->mods)->sel_saved;
}

static size_t proactive_pending(const struct eum_card *card)
{
	return eum_cat_pending_len(card);
}

/* Indexed by enum eum_app (the channel's application). */
static const struct eum_app_desc *const apps[EUM_APP_NUM] = {
        [EUM_APP_UICC] = &eum_app_uicc, [EUM_APP_ISDR] = &eum_app_isdr,   [EUM_APP_ECASD] = &eum_app_ecasd,
        [EUM_APP_ISDP] = &eum_app_isdp, [EUM_APP_MNOSD] = &eum_app_mnosd,
};

/* In the order they run. */
static const struct eum_observer observers[] = {
        {EUM_EV_PROFILE_SWITCHED, on_profile_switched},
        {EUM_EV_AFTER_APDU, on_after_apdu},
        {EUM_EV_AFTER_APDU, on_bip_after_apdu},
        {EUM_EV_LOCATION_STATUS, on_location_status},
        {EUM_EV_RESET, on_reset},
        {EUM_EV_POWER_OFF, on_reset},
};

static const struct eum_engine engine = {
        apps,
        EUM_APP_NUM,
        &eum_cat_card_cmd_table,
        eum_gp_route_select,
        proactive_pending,
        txn_begin,
        txn_commit,
        txn_abort,
        sel_save,
        sel_restore,
        eum_ota_sms_pp_download,
        observers,
        sizeof(observers) / sizeof(observers[0]),
};

static void point_channel(struct eum_channel *ch, struct chan_state *st)
{
	ch->sel = &st->sel;
	ch->scp03 = &st->scp03;
	ch->gp = &st->gp;
}

/* Point the card at its module state (one allocation, card->mods). */
static int attach_modules(struct eum_card *card)
{
	struct card_mods *m = calloc(1, sizeof(*m));
	unsigned i;

	if (!m)
		return EUM_ERR_NO_MEMORY;
	card->mods = m;
	card->engine = &engine;
	card->ps = &m->ps;
	eum_pstate_init(card->ps);
	card->store = &m->store;
	card->noprof = (struct eum_profile *)&no_profile; /* never written: no file, PIN or key to write */
	card->cat = &m->cat;
	card->gp = &m->gp;
	card->es5 = &m->es5;
	card->es8 = &m->es8;
	for (i = 0; i < EUM_MAX_CHANNELS; i++)
		point_channel(&card->ch[i], i ? (struct chan_state *)&no_chan : &m->basic);
	return EUM_OK;
}

void eum_card_sync_enabled(struct eum_card *card)
{
	size_t i;

	card->prof = card->noprof;
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = card->ps->isdp[i];
		if (p->in_use && p->has_profile && p->lcs == EUM_ISDP_ENABLED) {
			card->prof = &card->ps->isdp[i]->prof;
			return;
		}
	}
}

/* Manufacture: the test identity in the ECASD and ISD-R, and the bootstrap
 * profile in the first ISD-P of SGP.02 Annex H (TAR 000010), enabled, with
 * the fall-back attribute (SGP.02 §9). */
/* Apply the configured identity and keys over the test identity. */
static int apply_identity(struct eum_card *card, const eum_config *cfg)
{
	static const struct {
		const char *name;
		uint8_t algo;
		size_t len;
	} algos[] = {{"des", EUM_SCP80_ALGO_DES, 8},        {"3des2", EUM_SCP80_ALGO_TDES2, 16},
	             {"3des3", EUM_SCP80_ALGO_TDES3, 24},   {"aes128", EUM_SCP80_ALGO_AES128, 16},
	             {"aes192", EUM_SCP80_ALGO_AES192, 24}, {"aes256", EUM_SCP80_ALGO_AES256, 32}};
	struct eum_ecasd *e = &card->ps->ecasd;
	struct eum_isdr *d = &card->ps->isdr;
	size_t i, k;

	if (cfg->eid)
		memcpy(e->eid, cfg->eid, sizeof(e->eid));
	if ((cfg->ecasd_sk != NULL) != (cfg->ecasd_cert != NULL) || cfg->ecasd_cert_len > EUM_ECASD_CERT_MAX)
		return EUM_ERR_CONFIG;
	if (cfg->ecasd_curve != 0 && cfg->ecasd_curve != 3)
		return EUM_ERR_CONFIG;
	if (cfg->ecasd_sk) {
		memcpy(e->sk_ecka, cfg->ecasd_sk, sizeof(e->sk_ecka));
		memcpy(e->cert, cfg->ecasd_cert, cfg->ecasd_cert_len);
		e->cert_len = (uint16_t)cfg->ecasd_cert_len;
		e->curve = cfg->ecasd_curve;
	}
	if (cfg->ci_public_key)
		memcpy(e->pk_ci, cfg->ci_public_key, sizeof(e->pk_ci));
	if (cfg->isdr_tar)
		memcpy(d->tar, cfg->isdr_tar, sizeof(d->tar));
	if (cfg->isdr_msl & 0xE0)
		return EUM_ERR_CONFIG; /* TS 102 225 §5.1.1: SPI1 b8-b6 reserved */
	d->msl = cfg->isdr_msl;
	if (cfg->n_isdr_ota_keys) {
		if (cfg->n_isdr_ota_keys > EUM_ISDR_SCP80_KEYSETS || !cfg->isdr_ota_keys)
			return EUM_ERR_CONFIG;
		memset(d->scp80, 0, sizeof(d->scp80));
		memset(d->scp80_cntr, 0, sizeof(d->scp80_cntr));
		for (i = 0; i < cfg->n_isdr_ota_keys; i++) {
			const eum_ota_keyset *o = &cfg->isdr_ota_keys[i];
			const char *kid_name = o->kid_algorithm ? o->kid_algorithm : o->algorithm;
			size_t na = sizeof(algos) / sizeof(algos[0]), m;
			for (k = 0; k < na; k++)
				if (o->algorithm && !strcmp(o->algorithm, algos[k].name))
					break;
			/* TS 102 225 §5.1.2: KIc and KID each name their algorithm (eum_ota_keyset.kid_algorithm) */
			for (m = 0; m < na; m++)
				if (kid_name && !strcmp(kid_name, algos[m].name))
					break;
			if (k == na || m == na || o->kvn < 1 || o->kvn > 15 || o->kic_len != algos[k].len ||
			    o->kid_len != algos[m].len || !o->kic || !o->kid)
				return EUM_ERR_CONFIG;
			if (o->kik && o->kik_len != algos[k].len)
				return EUM_ERR_CONFIG;
			d->scp80[i].kvn = o->kvn;
			d->scp80[i].kic.algo = algos[k].algo;
			d->scp80[i].kid.algo = algos[m].algo;
			if (o->kik) { /* the KIK has the KIc's algorithm */
				d->scp80[i].kik.algo = algos[k].algo;
				memcpy(d->scp80[i].kik.val, o->kik, o->kik_len);
			}
			memcpy(d->scp80[i].kic.val, o->kic, o->kic_len);
			memcpy(d->scp80[i].kid.val, o->kid, o->kid_len);
			if (o->counter)
				memcpy(d->scp80_cntr[i].v, o->counter, EUM_SCP80_CNTR_LEN);
		}
	}
	if (cfg->isdr_scp03.kvn) {
		const eum_scp03_keyset_cfg *c = &cfg->isdr_scp03;
		if ((c->key_len != 16 && c->key_len != 24 && c->key_len != 32) || !c->enc || !c->mac || !c->dek)
			return EUM_ERR_CONFIG;
		d->scp03[0].kvn = c->kvn;
		d->scp03[0].key_len = (uint8_t)c->key_len;
		memcpy(d->scp03[0].key_enc, c->enc, c->key_len);
		memcpy(d->scp03[0].key_mac, c->mac, c->key_len);
		memcpy(d->scp03[0].key_dek, c->dek, c->key_len);
		d->scp03[0].seq_counter = 0;
	}
	if (cfg->n_isdr_scp81_keys) {
		/* SCP81 TLS PSKs (GP Amd B; spec digest scp81-https.md §3.4): KVN 40-4F, key type 85 */
		if (cfg->n_isdr_scp81_keys > EUM_ISDR_SCP81_KEYS || !cfg->isdr_scp81_keys)
			return EUM_ERR_CONFIG;
		eum_wipe(d->scp81, sizeof(d->scp81));
		for (i = 0; i < cfg->n_isdr_scp81_keys; i++) {
			const eum_scp81_key_cfg *c = &cfg->isdr_scp81_keys[i];
			if (c->kvn < EUM_SCP81_KVN_MIN || c->kvn > EUM_SCP81_KVN_MAX || c->kid < 1 || c->kid > 0x7F ||
			    !c->psk || c->psk_len < EUM_SCP81_PSK_MIN || c->psk_len > EUM_SCP81_PSK_MAX)
				return EUM_ERR_CONFIG;
			for (k = 0; k < i; k++)
				if (d->scp81[k].kvn == c->kvn && d->scp81[k].kid == c->kid)
					return EUM_ERR_CONFIG;
			d->scp81[i].kvn = c->kvn;
			d->scp81[i].kid = c->kid;
			d->scp81[i].type = EUM_SCP81_KEY_TYPE;
			d->scp81[i].len = (uint8_t)c->psk_len;
			memcpy(d->scp81[i].psk, c->psk, c->psk_len);
		}
	}
	return EUM_OK;
}

/* The CI key identifier of the test identity's PK.CI (what most cards keep), computed once per process. */
static struct {
	uint8_t pk[65];
	uint8_t kid[20];
	int ok;
} test_ci;

static pthread_once_t test_ci_once = PTHREAD_ONCE_INIT;

static void test_ci_init(void)
{
	struct eum_pstate ps;

	eum_pstate_init(&ps);
	eum_gp_default_identity(&ps);
	memcpy(test_ci.pk, ps.ecasd.pk_ci, sizeof(test_ci.pk));
	test_ci.ok = eum_sha1(test_ci.pk, sizeof(test_ci.pk), test_ci.kid) == EUM_OK;
	eum_pstate_free(&ps);
}

/* Configuration the card applies at every creation, stored or manufactured (not persistent): the ES8
 * receipt variant and the CI key identifier certificates must name (default SHA-1 of PK.CI). */
static int apply_session_config(struct eum_card *card, const eum_config *cfg)
{
	uint8_t h[20];

	if (cfg->ecka_receipt >= EUM_ECKA_RECEIPT_NUM)
		return EUM_ERR_CONFIG;
	card->es8->receipt_variant = cfg->ecka_receipt;
	if (cfg->ci_key_id) {
		if (cfg->ci_key_id_len < 1 || cfg->ci_key_id_len > sizeof(card->es8->ci_kid))
			return EUM_ERR_CONFIG;
		memcpy(card->es8->ci_kid, cfg->ci_key_id, cfg->ci_key_id_len);
		card->es8->ci_kid_len = (uint8_t)cfg->ci_key_id_len;
		return EUM_OK;
	}
	pthread_once(&test_ci_once, test_ci_init);
	if (test_ci.ok && !memcmp(card->ps->ecasd.pk_ci, test_ci.pk, sizeof(test_ci.pk)))
		memcpy(h, test_ci.kid, sizeof(h));
	else if (eum_sha1(card->ps->ecasd.pk_ci, sizeof(card->ps->ecasd.pk_ci), h) != EUM_OK)
		return EUM_ERR_CRYPTO;
	memcpy(card->es8->ci_kid, h, sizeof(h));
	card->es8->ci_kid_len = sizeof(h);
	return EUM_OK;
}

static int manufacture(struct eum_card *card, const eum_config *cfg)
{
	struct eum_isdp *p = eum_pstate_slot(card->ps, 0);
	int rc;

	if (!p)
		return EUM_ERR_NO_MEMORY;
	eum_profile_free(&p->prof);
	memset(p, 0, sizeof(*p));
	eum_profile_init(&p->prof);
	if (cfg->bootstrap_profile_path) {
		struct eum_saip_result res;
		memset(&res, 0, sizeof(res));
		rc = eum_saip_install_file(&p->prof, cfg->bootstrap_profile_path, &p->pol1, &res);
		if (rc) {
			/* the installer's reason names the PE, the field and the SAIP status */
			eum_log(card, EUM_LOG_ERROR, "bootstrap profile %s refused: %s", cfg->bootstrap_profile_path,
			        rc == EUM_ERR_PROFILE && res.reason[0] ? res.reason : eum_strerror(rc));
			return rc;
		}
	} else {
		/* the default test card: the embedded package of examples/profiles/bootstrap.conf */
		struct eum_saip_result res;
		memset(&res, 0, sizeof(res));
		rc = eum_bootstrap_install(&p->prof, &p->pol1, &res);
		if (rc) {
			eum_log(card, EUM_LOG_ERROR, "embedded bootstrap profile refused: %s",
			        rc == EUM_ERR_PROFILE && res.reason[0] ? res.reason : eum_strerror(rc));
			return rc;
		}
	}
	p->in_use = 1;
	if (cfg->bootstrap_isdp_aid)
		memcpy(p->aid, cfg->bootstrap_isdp_aid, 16); /* eum_config.bootstrap_isdp_aid */
	else
		eum_isdp_aid_for_tar((const uint8_t[3]){0x00, 0x00, 0x10}, p->aid);
	p->aid_len = 16;
	p->lcs = EUM_ISDP_ENABLED;
	p->fallback = 1;
	p->has_profile = 1;
	eum_gp_default_identity(card->ps);
	rc = apply_identity(card, cfg);
	if (rc)
		return rc;
	/* the bootstrap ISD-P's TAR (SGP.02 Annex H: AID bytes 13-15) must not be the ISD-R's, nor its AID
	 * the ISD-R's or the ECASD's */
	if (!memcmp(p->aid + 12, card->ps->isdr.tar, 3) || !memcmp(p->aid, eum_aid_isdr, 16) ||
	    !memcmp(p->aid, eum_aid_ecasd, 16)) {
		eum_log(card, EUM_LOG_ERROR, "bootstrap_isdp_aid: its TAR or AID is the ISD-R's or the ECASD's");
		return EUM_ERR_CONFIG;
	}
	rc = eum_es5_manufacture(card, cfg);
	if (rc)
		return rc;
	eum_card_sync_enabled(card);
	return EUM_OK;
}

int eum_card_new(eum_card **out, const eum_config *cfg_in)
{
	eum_config defaults;
	const eum_config *cfg = cfg_in;
	struct eum_card *card;
	int rc, loaded = 0;

	if (!out)
		return EUM_ERR_INVALID_ARG;
	*out = NULL;
	if (!cfg) {
		eum_config_init(&defaults);
		cfg = &defaults;
	}
	if ((cfg->atr && (cfg->atr_len < 2 || cfg->atr_len > EUM_ATR_MAX)) || cfg->log_level >= EUM_LOG_NUM ||
	    (cfg->sms_reassembly_max &&
	     (cfg->sms_reassembly_max < EUM_SMS_REASSEMBLY_MIN || cfg->sms_reassembly_max > EUM_SMS_REASSEMBLY_LIMIT)))
		return EUM_ERR_CONFIG;

	eum_crypto_once(); /* process-wide lazy tables of the crypto library, before any card uses it */
	card = calloc(1, sizeof(*card));
	if (!card)
		return EUM_ERR_NO_MEMORY;
	rc = attach_modules(card);
	if (rc) {
		free(card);
		return rc;
	}
	set_atr(card, cfg->atr, cfg->atr_len);
	card->log = cfg->log ? cfg->log : default_log;
	card->log_ctx = cfg->log_ctx;
	card->log_level = cfg->log_level;
	card->trace = cfg->trace;
	card->trace_ctx = cfg->trace_ctx;
	card->clock = cfg->clock;
	card->clock_ctx = cfg->clock_ctx;
	card->clock_fixed = cfg->clock_fixed;
	card->sms_reasm_max = cfg->sms_reassembly_max; /* 0: the default (src/ota/ota.c) */
	eum_es5_init(card, cfg);
	if (cfg->rng) {
		card->rng = cfg->rng;
		card->rng_ctx = cfg->rng_ctx;
	} else {
		card->rng = card_drbg_random; /* seeded on first use */
		card->rng_ctx = card;
	}
	eum_card_sync_enabled(card);
	rc = eum_store_open(card, cfg, &loaded);
	if (rc == EUM_OK && card->store->enabled) {
		/* storage on: the proactive queue is held while an APDU commits (txn_begin) */
		struct card_mods *m = card->mods;
		m->cat_held = malloc(sizeof(*m->cat_held));
		if (!m->cat_held)
			rc = EUM_ERR_NO_MEMORY;
	}
	if (rc == EUM_OK && !loaded) {
		/* nothing stored yet: manufacture the card and store it */
		rc = manufacture(card, cfg);
		if (rc)
			eum_log(card, EUM_LOG_ERROR, "manufacturing the card failed: %s", eum_strerror(rc));
		else
			rc = eum_store_commit(card);
	}
	eum_card_sync_enabled(card);
	if (rc) {
		eum_card_free(card);
		return rc;
	}
	rc = apply_session_config(card, cfg);
	if (rc) {
		eum_card_free(card);
		return rc;
	}
	if (card->ps->isdr.scp03[0].key_len)
		eum_log(card, EUM_LOG_WARN,
		        "the ISD-R has an SCP03 key set (KVN %02X): the device can SELECT it and run ES5 "
		        "administration with that key set",
		        card->ps->isdr.scp03[0].kvn);
	card->resp_chan = -1;
	*out = card;
	return EUM_OK;
}

void eum_card_free(eum_card *card)
{
	if (!card)
		return;
	eum_bip_free(card); /* a channel in progress (wiped: TLS records) */
	if (card->mods) {
		struct card_mods *m = card->mods;
		unsigned i;
		eum_es8_session_reset(card); /* frees an SCP03t download in progress */
		eum_pstate_free(card->ps);
		eum_store_close(card->store);
		eum_scp03_session_close(&m->basic.scp03);
		for (i = 1; i < EUM_MAX_CHANNELS; i++) {
			if (!m->chan[i])
				continue;
			eum_scp03_session_close(&m->chan[i]->scp03); /* session keys */
			eum_wipe(m->chan[i], sizeof(*m->chan[i]));
			free(m->chan[i]);
		}
		if (m->cat_held) {
			eum_wipe(m->cat_held, sizeof(*m->cat_held));
			free(m->cat_held);
		}
		eum_gp_card_free(card->gp); /* the STORE DATA buffer (may carry keys) */
		/* PINs and session keys: wipe the whole block */
		eum_wipe(m, sizeof(*m));
		free(m);
	}
	eum_ota_free(card);
	eum_scp81_free(card);
	if (card->drbg)
		eum_drbg_free(card->drbg);
	if (card->resp) {
		eum_wipe(card->resp, card->resp_cap);
		free(card->resp);
	}
	eum_wipe(card, sizeof(*card));
	free(card);
}

static void reset_channel(struct eum_channel *ch)
{
	if (ch->sel == &no_chan.sel)
		return; /* never opened: its state is the shared, all-zero one */
	eum_scp03_session_close(ch->scp03);
	ch->open = 0;
	ch->app = EUM_APP_UICC;
	ch->isdp = 0;
	ch->ota = 0;
	*ch->sel = (struct eum_fs_sel){0};
	*ch->gp = (struct eum_gp_chan){0};
}

void eum_card_close_channel(struct eum_card *card, unsigned n)
{
	reset_channel(&card->ch[n]);
	if (card->resp_chan == (int8_t)n)
		card->resp_chan = -1;
}

int eum_card_open_channel(struct eum_card *card, unsigned n, unsigned from)
{
	struct card_mods *m = card->mods;
	struct eum_channel *to = &card->ch[n];
	const struct eum_channel *f = &card->ch[from];

	if (n && !m->chan[n]) { /* its first opening: the channel's state exists from now on */
		m->chan[n] = calloc(1, sizeof(*m->chan[n]));
		if (!m->chan[n])
			return EUM_ERR_NO_MEMORY;
		point_channel(to, m->chan[n]);
	}
	reset_channel(to);
	to->open = 1;
	if (from == 0) {
		*to->sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
		return EUM_OK;
	}
	to->app = f->app;
	to->isdp = f->isdp;
	*to->sel = *f->sel;
	return EUM_OK;
}

size_t eum_card_volatile_size(const struct eum_card *card)
{
	(void)card;
	/* the session state a card may hold: the object, its volatile module state, the response
	 * buffers, the OTA receiver, a remote script's held response data (for one script run), the
	 * logical channels other than the basic one, the proactive queue held for a commit and the STORE
	 * DATA buffer (all but the first two allocated on first use) */
	return sizeof(struct eum_card) + sizeof(struct card_mods) - sizeof(struct eum_pstate) + 2 * EUM_RESP_MAX +
	       sizeof(struct eum_ota_state) + eum_ota_script_footprint() +
	       (EUM_MAX_CHANNELS - 1) * sizeof(struct chan_state) + sizeof(struct eum_cat) + EUM_GP_STORE_DATA_MAX;
}

void eum_card_session_reset(struct eum_card *card)
{
	unsigned i;

	for (i = 0; i < EUM_MAX_CHANNELS; i++)
		eum_card_close_channel(card, i);
	card->ch[0].open = 1;
	card->ch[0].app = EUM_APP_UICC;
	*card->ch[0].sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
	card->pin_verified = 0;
	card->resp_chan = -1;
	card->resp_len = card->resp_off = 0;
	if (card->resp)
		eum_wipe(card->resp, card->resp_cap);
	eum_cat_session_reset(card);
	eum_es8_session_reset(card); /* SGP.02 §8: no download or key establishment survives a reset */
}

int eum_card_reset(eum_card *card, int cold, uint8_t *atr, size_t cap, size_t *atr_len)
{
	if (!card)
		return EUM_ERR_INVALID_ARG;
	if (atr && cap < card->atr_len)
		return EUM_ERR_BUFFER_TOO_SMALL;
	eum_log(card, EUM_LOG_DEBUG, "%s reset", cold ? "cold" : "warm");
	eum_card_session_reset(card);
	{
		int lost = cold || !card->powered; /* volatile memory is lost */
		eum_notify(card, EUM_EV_RESET, &lost);
	}
	card->powered = 1;
	if (atr)
		memcpy(atr, card->atr, card->atr_len);
	if (atr_len)
		*atr_len = card->atr_len;
	if (card->trace)
		card->trace(card->trace_ctx, EUM_TRACE_ATR, EUM_TRACE_FROM_CARD, 0, card->atr, card->atr_len);
	return EUM_OK;
}

/* Logical channel named by a CLA, for the trace hook only (ISO 7816-4 §5.4.1: first interindustry
 * values b2-b1, further interindustry values 4 + b4-b1; the proprietary classes 8X-FX follow the same
 * bits, as GlobalPlatform uses them); 0 when the CLA names none. */
static unsigned trace_channel(uint8_t cla)
{
	if (cla == 0xFF || (cla & 0x60) == 0x20)
		return 0;
	return (cla & 0x40) ? 4u + (cla & 0x0Fu) : cla & 0x03u;
}

int eum_card_transmit(eum_card *card, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t cap, size_t *rlen)
{
	unsigned chan;
	int rc;

	if (!card || !card->trace)
		return eum_apdu_transmit(card, capdu, len, rapdu, cap, rlen);
	chan = capdu && len ? trace_channel(capdu[0]) : 0;
	if (capdu)
		card->trace(card->trace_ctx, EUM_TRACE_COMMAND, EUM_TRACE_TO_CARD, chan, capdu, len);
	rc = eum_apdu_transmit(card, capdu, len, rapdu, cap, rlen);
	if (rc == EUM_OK)
		card->trace(card->trace_ctx, EUM_TRACE_RESPONSE, EUM_TRACE_FROM_CARD, chan, rapdu, *rlen);
	return rc;
}

void eum_card_power_off(eum_card *card)
{
	if (!card)
		return;
	eum_card_session_reset(card);
	eum_notify(card, EUM_EV_POWER_OFF, NULL);
	card->powered = 0;
}

size_t eum_card_proactive_pending(const eum_card *card)
{
	return card ? eum_cat_pending_len(card) : 0;
}

int eum_card_save_image(const eum_card *card, uint8_t *buf, size_t cap, size_t *len)
{
	if (!card || !len)
		return EUM_ERR_INVALID_ARG;
	return eum_image_write(card->ps, buf, cap, len);
}
