/*
 * Platform security domains: SGP.02 Annex H AIDs, selection of the ISD-R,
 * ECASD and ISD-Ps (GP Card Specification v2.3 §11.9 SELECT, FCI §11.1.7),
 * the SCP03 session commands on them (GP Amendment D §7.1), and the
 * documented test identity of a freshly manufactured card.
 */
#include "gp/gp.h"

#include <pthread.h>
#include <string.h>

#include "core/sw.h"
#include "crypto/ecc.h"
#include "util/hex.h"
#include "util/tlv.h"
#include "store/store.h"

#define AID_PREFIX 0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89
const uint8_t eum_aid_isdr[16] = {AID_PREFIX, 0x00, 0x00, 0x01, 0x00};
const uint8_t eum_aid_ecasd[16] = {AID_PREFIX, 0x00, 0x00, 0x02, 0x00};
const uint8_t eum_aid_isdp_elf[16] = {AID_PREFIX, 0x00, 0x00, 0x0D, 0x00};
const uint8_t eum_aid_isdp_module[16] = {AID_PREFIX, 0x00, 0x00, 0x0E, 0x00};

void eum_isdp_aid_for_tar(const uint8_t tar[3], uint8_t aid[16])
{
	static const uint8_t prefix[12] = {AID_PREFIX};

	memcpy(aid, prefix, sizeof(prefix));
	memcpy(aid + 12, tar, 3);
	aid[15] = 0x00;
}

int eum_isdp_find(const struct eum_card *card, const uint8_t *aid, size_t len)
{
	size_t i;

	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = card->ps->isdp[i];
		if (p->in_use && p->aid_len == len && memcmp(p->aid, aid, len) == 0)
			return (int)i;
	}
	return -1;
}

/* FCI of a security domain (GPCS §11.1.7, Table 11-6): 6F { 84 AID, A5 { 73 …, 9F6E, 9F65 } }. */
static void sd_fci(const uint8_t *aid, size_t aid_len, struct eum_rsp *r)
{
	/* 73: security domain management data (GP card recognition OID 1.2.840.114283.1) */
	static const uint8_t prop[] = {0x73, 0x09, 0x06, 0x07, 0x2A, 0x86, 0x48, 0x86,
	                               0xFC, 0x6B, 0x01, 0x9F, 0x65, 0x01, 0xFF};
	struct eum_buf b;
	size_t m;

	eum_buf_init(&b, r->data, r->cap);
	m = eum_buf_ber_open(&b, 0x6F);
	eum_buf_ber_tlv(&b, 0x84, aid, aid_len);
	eum_buf_ber_tlv(&b, 0xA5, prop, sizeof(prop));
	eum_buf_ber_close(&b, m);
	r->len = b.overflow ? 0 : b.len;
}

/* SELECT by DF name of a security domain, GPCS §11.9 */
uint16_t eum_gp_route_select(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	uint8_t app;
	int isdp = -1;

	if (a->p1 != 0x04) {
		if (ch->app != EUM_APP_UICC) {
			eum_scp03_session_close(ch->scp03);
			ch->app = EUM_APP_UICC;
			*ch->sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
		}
		return 0;
	}
	if (a->lc == 16 && memcmp(a->data, eum_aid_isdr, 16) == 0 && (ch->ota || card->ps->isdr.scp03[0].key_len)) {
		/* from the terminal only for the SCP03 administration the configuration set up: without an
		 * ISD-R SCP03 key set the ISD-R is the SM-SR's alone (SGP.02 §2.2: ES5 over SCP80/SCP81),
		 * and SELECT from the device finds no such application (6A82) */
		app = EUM_APP_ISDR;
	} else if (a->lc == 16 && memcmp(a->data, eum_aid_ecasd, 16) == 0) {
		app = EUM_APP_ECASD;
	} else if (ch->ota && (isdp = eum_isdp_find(card, a->data, a->lc)) >= 0) {
		/* ISD-Ps are reached by the SM-SR / SM-DP only (SGP.02 §1: isolated) */
		app = EUM_APP_ISDP;
	} else if (!ch->ota && eum_gp_mnosd_matches(card, a->data, a->lc)) {
		/* the enabled profile's MNO-SD only: a disabled profile's applications are
		 * not selectable (SGP.02 §3.1, SAIP securityDomain PE) */
		app = EUM_APP_MNOSD;
	} else {
		if (ch->app != EUM_APP_UICC) {
			eum_scp03_session_close(ch->scp03);
			ch->app = EUM_APP_UICC;
			*ch->sel = (struct eum_fs_sel){.df = 0, .ef = -1, .adf = -1, .rec = 0};
		}
		return 0;
	}
	if ((a->p2 & 0xF3) != 0x00)
		return EUM_SW_INCORRECT_P1P2;
	/* GPCS §10.2: selecting an application ends the secure channel session,
	 * and with it any GP command sequence (personalisation, STORE DATA, GET STATUS) */
	eum_scp03_session_close(ch->scp03);
	memset(ch->gp, 0, sizeof(*ch->gp));
	ch->app = app;
	ch->isdp = isdp >= 0 ? (uint8_t)isdp : 0;
	if ((a->p2 & 0x0C) != 0x0C)
		sd_fci(a->data, a->lc, r);
	return EUM_SW_OK;
}

int eum_gp_mnosd_matches(const struct eum_card *card, const uint8_t *aid, size_t len)
{
	const struct eum_profile *p = card->prof;

	return p && p->mnosd_aid_len && p->mnosd_aid_len == len && memcmp(p->mnosd_aid, aid, len) == 0;
}

/* The SCP03 key sets of the SD a channel addresses. */
struct eum_scp03_keyset *eum_gp_sd_keysets(struct eum_card *card, const struct eum_channel *ch, size_t *n,
                                           const uint8_t **aid)
{
	if (ch->app == EUM_APP_MNOSD) {
		/* the ENABLED profile's MNO-SD (the only one that can be selected) */
		*n = EUM_MNOSD_KEYSETS;
		*aid = card->prof->mnosd_aid;
		return card->prof->mnosd_scp03;
	}
	if (ch->app == EUM_APP_ISDP) {
		struct eum_isdp *p = card->ps->isdp[ch->isdp];
		*n = EUM_ISDP_KEYSETS;
		*aid = p->aid;
		return p->scp03;
	}
	*n = 1;
	*aid = eum_aid_isdr;
	return card->ps->isdr.scp03;
}

/* INITIALIZE UPDATE, GP Amd D §7.1.1 */
uint16_t eum_gp_initialize_update(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                  struct eum_rsp *r)
{
	struct eum_scp03_keyset *ks;
	struct eum_scp03_sd sd;
	const uint8_t *aid;
	size_t n, idx, len = 0;
	int changed = 0;
	uint16_t sw;

	ks = eum_gp_sd_keysets(card, ch, &n, &aid);
	memset(&sd, 0, sizeof(sd));
	sd.aid = aid;
	/* context of the pseudo-random challenge: the SD's full instance AID (Amd D §6.2.2.1) */
	sd.aid_len = ch->app == EUM_APP_MNOSD ? card->prof->mnosd_aid_len : 16;
	memcpy(sd.div_data, card->ps->ecasd.eid + 6, sizeof(sd.div_data)); /* diversification data: low EID bytes */
	sd.i_param = EUM_SCP03_I_PSEUDO_RANDOM | EUM_SCP03_I_RMAC | EUM_SCP03_I_RENC;
	sd.rng = card->rng;
	sd.rng_ctx = card->rng_ctx;
	sw = eum_scp03_initialize_update(ch->scp03, ks, n, &sd, a->raw, a->raw_len, r->data, r->cap, &len, &idx,
	                                 &changed);
	if (sw == EUM_SW_OK)
		r->len = len;
	else
		eum_log(card, EUM_LOG_INFO, "INITIALIZE UPDATE refused: SW %04X", sw);
	/* the incremented sequence counter is committed with this APDU, before the response */
	if (changed) {
		if (ch->app == EUM_APP_MNOSD)
			eum_store_dirty_prof(card, card->prof, EUM_PS_MNOSD);
		else if (ch->app == EUM_APP_ISDP)
			eum_store_dirty_isdp(card, ch->isdp, EUM_PS_ISDP);
		else
			eum_store_dirty(card, EUM_PS_ISDR);
	}
	return sw;
}

/* EXTERNAL AUTHENTICATE, GP Amd D §7.1.2 */
uint16_t eum_gp_external_authenticate(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                                      struct eum_rsp *r)
{
	uint16_t sw = eum_scp03_external_authenticate(ch->scp03, a->raw, a->raw_len);

	if (sw != EUM_SW_OK)
		eum_log(card, EUM_LOG_INFO, "EXTERNAL AUTHENTICATE refused: SW %04X, session closed", sw);
	return sw;
}

/* ---- the documented test identity ----------------------------------------- */

/* From tests/data/pki/p256 (tools/eum-mkpki.c, fixed seeds): EID, the ECASD
 * ECKA key pair and certificate, the test CI's public key. */
#define TEST_EID      "89049032000000000000000000001230"
#define TEST_SK_ECASD "ffbd6fea5c47cb1824b617dd6e9ffc63be6c494c40ed08a3632a74ce572b8088"
#define TEST_PK_CI                                                                                                     \
	"041899be76e16bfad6bee1e59f5f6dfa0aa5f2c42e0824898a7c128f815dce7f8839204b924e91b5e7f6bf5594acaeff75dc1a41d87d" \
	"483c33c0936c8523a48889"
#define TEST_CERT_ECASD                                                                                                \
	"7f2181da930103420c65756d2d746573742d65756d5f201089049032000000000000000000001230950200805f2504202501015f2404" \
	"204512317316c9148b74ab9fb932da0eaf0496ae579a6592395eb7d27f4946b04104ab5f64a2e4500f04cf74f90e63561bea9f5b5f30" \
	"592154295f63527ce5e47a96c053fc412304d5b5f0583358ccc89d1a0bf1c2f2cbd0cdcb8d7f067c13f4d1dcf001005f3740fc291ee2" \
	"f8993705a24c98c783d87ca6e530b276f329a46538ddaf278f72e9e45d039557a83480064e58c9a17d4d3b59815b65dd84e97482ee98" \
	"3471fbf9fab4"

/* ISD-R SCP80 test key sets: those of the independent SCP80 vectors
 * (tests/data/scp80): KVN 1 3DES two-key, KVN 3 AES-128. */
struct test_keyset {
	uint8_t kvn, algo;
	const char *kic, *kid;
};
static const struct test_keyset isdr_scp80_test_keys[] = {
        {1, EUM_SCP80_ALGO_TDES2, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "0123456789abcdeffedcba9876543210"},
        {3, EUM_SCP80_ALGO_AES128, "000102030405060708090a0b0c0d0e0f", "101112131415161718191a1b1c1d1e1f"},
};

/* ISD-R SCP81 test TLS PSK (README "Test identity"): KVN 40, key id 01, 16 bytes. */
#define TEST_SCP81_PSK "404142434445464748494a4b4c4d4e4f"

/* The test identity, decoded from its hex once per process (read-only afterwards) and copied into
 * each card: card creation costs a copy, not a parse. */
static struct {
	struct eum_ecasd ecasd;
	struct eum_isdr isdr;
} test_identity;

static void decode_test_identity(void)
{
	struct eum_ecasd *e = &test_identity.ecasd;
	struct eum_isdr *d = &test_identity.isdr;
	size_t i;
	long n;

	memset(e, 0, sizeof(*e));
	eum_hex_decode(TEST_EID, e->eid, sizeof(e->eid));
	e->curve = EUM_ECC_NIST_P256;
	eum_hex_decode(TEST_SK_ECASD, e->sk_ecka, sizeof(e->sk_ecka));
	eum_hex_decode(TEST_PK_CI, e->pk_ci, sizeof(e->pk_ci));
	n = eum_hex_decode(TEST_CERT_ECASD, e->cert, sizeof(e->cert));
	e->cert_len = n > 0 ? (uint16_t)n : 0;

	memset(d, 0, sizeof(*d));
	d->tar[2] = 0x01;              /* 000001: derived from the ISD-R AID (SGP.02 Annex H rule; UNCONFIRMED) */
	d->msl = EUM_ISDR_MSL_DEFAULT; /* counter higher, ciphering, CC (src/core/card.h) */
	for (i = 0; i < sizeof(isdr_scp80_test_keys) / sizeof(isdr_scp80_test_keys[0]); i++) {
		const struct test_keyset *t = &isdr_scp80_test_keys[i];
		d->scp80[i].kvn = t->kvn;
		d->scp80[i].kic.algo = t->algo;
		d->scp80[i].kid.algo = t->algo;
		eum_hex_decode(t->kic, d->scp80[i].kic.val, sizeof(d->scp80[i].kic.val));
		eum_hex_decode(t->kid, d->scp80[i].kid.val, sizeof(d->scp80[i].kid.val));
	}
	d->scp81[0].kvn = EUM_SCP81_KVN_MIN;
	d->scp81[0].kid = 0x01;
	d->scp81[0].type = EUM_SCP81_KEY_TYPE;
	d->scp81[0].len = (uint8_t)eum_hex_decode(TEST_SCP81_PSK, d->scp81[0].psk, sizeof(d->scp81[0].psk));
}

void eum_gp_default_identity(struct eum_pstate *ps)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	size_t i;

	pthread_once(&once, decode_test_identity);
	ps->ecasd = test_identity.ecasd;
	ps->isdr = test_identity.isdr;
	/* No eUICC-vendor SCP03 key set: the ISD-R's ES5 administration is the SM-SR's, over SCP80; the
	 * device reaches it only when the configuration gives the ISD-R an SCP03 key set
	 * (eum_config.isdr_scp03, isdr.scp03; eum_gp_route_select()). */
	/* ISD-Ps created at manufacture (the bootstrap profile's) carry the
	 * privileges CreateISDP grants: Security Domain | Trusted Path |
	 * Authorized Management (SGP.02 §7.1) */
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		struct eum_isdp *p = ps->isdp[i];
		if (p->in_use && !p->privileges[0] && !p->privileges[1] && !p->privileges[2]) {
			p->privileges[0] = 0x80;
			p->privileges[1] = 0xC0;
		}
	}
}

void eum_vchannel_init(struct eum_vchannel *v)
{
	memset(v, 0, sizeof(*v));
	v->ch.sel = &v->sel;
	v->ch.scp03 = &v->scp03;
	v->ch.gp = &v->gp;
}

void eum_vchannel_copy(struct eum_vchannel *dst, const struct eum_vchannel *src)
{
	*dst = *src;
	dst->ch.sel = &dst->sel;
	dst->ch.scp03 = &dst->scp03;
	dst->ch.gp = &dst->gp;
}

/* ---- SCP03 as the secure channel of the GP applications (GP Amd D §6.2) ---- */

static int scp03_active(const struct eum_channel *ch)
{
	return ch->scp03->state == EUM_SCP03_STATE_AUTHENTICATED && (ch->scp03->sl & EUM_SCP03_SL_CMAC);
}

static uint16_t scp03_unwrap(struct eum_channel *ch, uint8_t *apdu, size_t *len)
{
	return eum_scp03_unwrap(ch->scp03, apdu, len);
}

static int scp03_wrap(struct eum_channel *ch, uint8_t *data, size_t *len, size_t cap, uint16_t sw)
{
	if (!ch->scp03->rsp_pending)
		return EUM_OK;
	return eum_scp03_wrap_response(ch->scp03, data, len, cap, sw);
}

static void scp03_close(struct eum_channel *ch)
{
	eum_scp03_session_close(ch->scp03);
}

const struct eum_sc_ops eum_gp_scp03_ops = {scp03_active, scp03_unwrap, scp03_wrap, scp03_close};

const struct eum_app_desc eum_app_isdr = {"ISD-R", &eum_isdr_cmd_table, &eum_gp_scp03_ops};
const struct eum_app_desc eum_app_ecasd = {"ECASD", &eum_ecasd_cmd_table, NULL};
const struct eum_app_desc eum_app_isdp = {"ISD-P", &eum_isdp_cmd_table, &eum_gp_scp03_ops};
const struct eum_app_desc eum_app_mnosd = {"MNO-SD", &eum_mnosd_cmd_table, &eum_gp_scp03_ops};
