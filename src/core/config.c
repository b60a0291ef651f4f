/*
 * The card configuration file: libconfig syntax (Debian's libconfig), one
 * setting per eum_config field. The documented example with every default
 * is examples/eum.conf.
 */
#include <libconfig.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eum/eum.h"
#include "crypto/crypto.h"
#include "util/hex.h"

/* What eum_config_load_file() allocated (eum_config.owned_). */
struct eum_config_owned {
	char *state_path;
	char *bootstrap_profile_path;
	char *smsr_address;
	char algo[EUM_CFG_OTA_KEYSETS][8];
	char kid_algo[EUM_CFG_OTA_KEYSETS][8];
	uint8_t ci_kid[32];
	uint8_t bootstrap_aid[16];
	uint8_t atr[EUM_ATR_MAX];
	uint8_t eid[16];
	uint8_t ecasd_sk[32];
	uint8_t ecasd_cert[1024];
	uint8_t ci_pk[65];
	uint8_t isdr_tar[3];
	uint8_t ota_keys[EUM_CFG_OTA_KEYSETS][3][32];
	uint8_t ota_cntr[EUM_CFG_OTA_KEYSETS][5];
	eum_ota_keyset ota[EUM_CFG_OTA_KEYSETS];
	uint8_t scp03[3][32];
	uint8_t scp81_psk[EUM_CFG_SCP81_KEYS][32];
	eum_scp81_key_cfg scp81[EUM_CFG_SCP81_KEYS];
};

static void seterr(char *errbuf, size_t errcap, const char *fmt, const char *a, int line)
{
	if (errbuf && errcap)
		snprintf(errbuf, errcap, fmt, a, line);
}

/* A hex setting of exactly want bytes (or 1..want when exact is 0) into out.
 * Returns the byte count, 0 when absent, -1 (with errbuf set) when malformed. */
static long hex_setting(config_setting_t *parent, const char *name, uint8_t *out, size_t want, int exact, char *errbuf,
                        size_t errcap)
{
	const char *str;
	long n;

	if (!config_setting_lookup_string(parent, name, &str))
		return 0;
	n = eum_hex_decode(str, out, want);
	if (n <= 0 || (exact && (size_t)n != want)) {
		config_setting_t *s = config_setting_get_member(parent, name);
		if (errbuf && errcap)
			snprintf(errbuf, errcap, "%s (line %d): %s%zu bytes of hex expected", name,
			         config_setting_source_line(s), exact ? "" : "up to ", want);
		return -1;
	}
	return n;
}

static int load_file_bytes(const char *path, uint8_t *out, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return EUM_ERR_IO;
	n = fread(out, 1, cap, f);
	if (!feof(f) && n == cap) {
		fclose(f);
		return EUM_ERR_CONFIG;
	}
	fclose(f);
	*len = n;
	return EUM_OK;
}

static int load_identity(config_t *c, eum_config *cfg, struct eum_config_owned *own, char *errbuf, size_t errcap)
{
	config_setting_t *root = config_root_setting(c), *g, *list;
	const char *str;
	long n;
	int i, count, msl;

	if ((n = hex_setting(root, "eid", own->eid, 16, 1, errbuf, errcap)) < 0)
		return EUM_ERR_CONFIG;
	if (n)
		cfg->eid = own->eid;
	g = config_lookup(c, "ecasd");
	if (g) {
		if (config_setting_lookup_string(g, "curve", &str)) {
			if (!strcmp(str, "nist-p256"))
				cfg->ecasd_curve = 0;
			else if (!strcmp(str, "brainpoolp256r1"))
				cfg->ecasd_curve = 3;
			else {
				seterr(errbuf, errcap, "ecasd.curve \"%s\" (line %d): nist-p256 or brainpoolp256r1",
				       str, config_setting_source_line(g));
				return EUM_ERR_CONFIG;
			}
		}
		if ((n = hex_setting(g, "private_key", own->ecasd_sk, 32, 1, errbuf, errcap)) < 0)
			return EUM_ERR_CONFIG;
		if (n)
			cfg->ecasd_sk = own->ecasd_sk;
		if ((n = hex_setting(g, "ci_public_key", own->ci_pk, 65, 1, errbuf, errcap)) < 0)
			return EUM_ERR_CONFIG;
		if (n)
			cfg->ci_public_key = own->ci_pk;
		if ((n = hex_setting(g, "ci_key_id", own->ci_kid, sizeof(own->ci_kid), 0, errbuf, errcap)) < 0)
			return EUM_ERR_CONFIG;
		if (n) {
			cfg->ci_key_id = own->ci_kid;
			cfg->ci_key_id_len = (size_t)n;
		}
		if (config_setting_lookup_string(g, "certificate", &str)) {
			size_t len;
			if (load_file_bytes(str, own->ecasd_cert, sizeof(own->ecasd_cert), &len) != EUM_OK) {
				seterr(errbuf, errcap, "ecasd.certificate \"%s\" (line %d): cannot read the file", str,
				       config_setting_source_line(g));
				return EUM_ERR_CONFIG;
			}
			cfg->ecasd_cert = own->ecasd_cert;
			cfg->ecasd_cert_len = len;
		}
	}
	g = config_lookup(c, "isdr");
	if (!g)
		return EUM_OK;
	if ((n = hex_setting(g, "tar", own->isdr_tar, 3, 1, errbuf, errcap)) < 0)
		return EUM_ERR_CONFIG;
	if (n)
		cfg->isdr_tar = own->isdr_tar;
	if (config_setting_lookup_int(g, "msl", &msl)) {
		if (msl < 0 || msl > 0x1F) {
			seterr(errbuf, errcap, "isdr.msl%s (line %d): 0x00 to 0x1F (SPI1 coding) expected", "",
			       config_setting_source_line(g));
			return EUM_ERR_CONFIG;
		}
		cfg->isdr_msl = (uint8_t)msl;
	}
	list = config_setting_get_member(g, "ota_keys");
	count = list ? config_setting_length(list) : 0;
	if (count > EUM_CFG_OTA_KEYSETS) {
		seterr(errbuf, errcap, "isdr.ota_keys%s (line %d): at most 8 key sets", "",
		       config_setting_source_line(list));
		return EUM_ERR_CONFIG;
	}
	for (i = 0; i < count; i++) {
		config_setting_t *k = config_setting_get_elem(list, (unsigned)i);
		eum_ota_keyset *o = &own->ota[i];
		int kvn;
		long nc, ni;
		memset(o, 0, sizeof(*o));
		if (!config_setting_lookup_int(k, "kvn", &kvn) || kvn < 1 || kvn > 15 ||
		    !config_setting_lookup_string(k, "algorithm", &str) || strlen(str) >= sizeof(own->algo[i])) {
			seterr(errbuf, errcap, "isdr.ota_keys%s (line %d): kvn 1..15 and algorithm required", "",
			       config_setting_source_line(k));
			return EUM_ERR_CONFIG;
		}
		memcpy(own->algo[i], str, strlen(str) + 1);
		o->kvn = (uint8_t)kvn;
		o->algorithm = own->algo[i];
		if (config_setting_lookup_string(k, "kid_algorithm", &str)) {
			if (strlen(str) >= sizeof(own->kid_algo[i])) {
				seterr(errbuf, errcap, "isdr.ota_keys%s (line %d): kid_algorithm unknown", "",
				       config_setting_source_line(k));
				return EUM_ERR_CONFIG;
			}
			memcpy(own->kid_algo[i], str, strlen(str) + 1);
			o->kid_algorithm = own->kid_algo[i];
		}
		nc = hex_setting(k, "kic", own->ota_keys[i][0], 32, 0, errbuf, errcap);
		ni = hex_setting(k, "kid", own->ota_keys[i][1], 32, 0, errbuf, errcap);
		if (nc <= 0 || ni <= 0) {
			if (nc == 0 || ni == 0)
				seterr(errbuf, errcap, "isdr.ota_keys%s (line %d): kic and kid required", "",
				       config_setting_source_line(k));
			return EUM_ERR_CONFIG;
		}
		o->kic = own->ota_keys[i][0];
		o->kic_len = (size_t)nc;
		o->kid = own->ota_keys[i][1];
		o->kid_len = (size_t)ni;
		if ((n = hex_setting(k, "kik", own->ota_keys[i][2], 32, 0, errbuf, errcap)) < 0)
			return EUM_ERR_CONFIG;
		if (n) {
			o->kik = own->ota_keys[i][2];
			o->kik_len = (size_t)n;
		}
		if ((n = hex_setting(k, "counter", own->ota_cntr[i], 5, 1, errbuf, errcap)) < 0)
			return EUM_ERR_CONFIG;
		if (n)
			o->counter = own->ota_cntr[i];
	}
	if (count) {
		cfg->isdr_ota_keys = own->ota;
		cfg->n_isdr_ota_keys = (size_t)count;
	}
	/* SCP81 TLS PSKs (GP Amd B; eum_card_new() checks KVN 40-4F, key id, 16..32 bytes, duplicates) */
	list = config_setting_get_member(g, "scp81_keys");
	count = list ? config_setting_length(list) : 0;
	if (count > EUM_CFG_SCP81_KEYS) {
		seterr(errbuf, errcap, "isdr.scp81_keys%s (line %d): at most 4 keys", "",
		       config_setting_source_line(list));
		return EUM_ERR_CONFIG;
	}
	for (i = 0; i < count; i++) {
		config_setting_t *k = config_setting_get_elem(list, (unsigned)i);
		eum_scp81_key_cfg *o = &own->scp81[i];
		int kvn, kid = 1;
		memset(o, 0, sizeof(*o));
		if (!config_setting_lookup_int(k, "kvn", &kvn) || kvn < 0x40 || kvn > 0x4F ||
		    (config_setting_lookup_int(k, "kid", &kid) && (kid < 1 || kid > 0x7F))) {
			seterr(errbuf, errcap, "isdr.scp81_keys%s (line %d): kvn 0x40..0x4F required, kid 1..0x7F", "",
			       config_setting_source_line(k));
			return EUM_ERR_CONFIG;
		}
		if ((n = hex_setting(k, "psk", own->scp81_psk[i], 32, 0, errbuf, errcap)) < 0)
			return EUM_ERR_CONFIG;
		if (n < 16) {
			seterr(errbuf, errcap, "isdr.scp81_keys%s (line %d): psk of 16 to 32 bytes required", "",
			       config_setting_source_line(k));
			return EUM_ERR_CONFIG;
		}
		o->kvn = (uint8_t)kvn;
		o->kid = (uint8_t)kid;
		o->psk = own->scp81_psk[i];
		o->psk_len = (size_t)n;
	}
	if (count) {
		cfg->isdr_scp81_keys = own->scp81;
		cfg->n_isdr_scp81_keys = (size_t)count;
	}
	g = config_setting_get_member(g, "scp03");
	if (g) {
		int kvn;
		long a, b, d;
		if (!config_setting_lookup_int(g, "kvn", &kvn) || kvn < 1 || kvn > 0xFF) {
			seterr(errbuf, errcap, "isdr.scp03%s (line %d): kvn required", "",
			       config_setting_source_line(g));
			return EUM_ERR_CONFIG;
		}
		a = hex_setting(g, "enc", own->scp03[0], 32, 0, errbuf, errcap);
		b = hex_setting(g, "mac", own->scp03[1], 32, 0, errbuf, errcap);
		d = hex_setting(g, "dek", own->scp03[2], 32, 0, errbuf, errcap);
		if (a <= 0 || a != b || a != d || (a != 16 && a != 24 && a != 32)) {
			seterr(errbuf, errcap, "isdr.scp03%s (line %d): enc, mac, dek of one length 16/24/32 required",
			       "", config_setting_source_line(g));
			return EUM_ERR_CONFIG;
		}
		cfg->isdr_scp03.kvn = (uint8_t)kvn;
		cfg->isdr_scp03.key_len = (size_t)a;
		cfg->isdr_scp03.enc = own->scp03[0];
		cfg->isdr_scp03.mac = own->scp03[1];
		cfg->isdr_scp03.dek = own->scp03[2];
	}
	return EUM_OK;
}

/* Settings of the security review (issue 16): bootstrap ISD-P AID, ES8 receipt variant, the largest
 * reassembled SMS-PP packet. */
static int load_security(config_t *c, eum_config *cfg, struct eum_config_owned *own, char *errbuf, size_t errcap)
{
	config_setting_t *root = config_root_setting(c);
	const char *str;
	long long v;
	long n;

	if ((n = hex_setting(root, "bootstrap_isdp_aid", own->bootstrap_aid, 16, 1, errbuf, errcap)) < 0)
		return EUM_ERR_CONFIG;
	if (n)
		cfg->bootstrap_isdp_aid = own->bootstrap_aid;
	if (config_lookup_string(c, "ecka_receipt", &str)) {
		if (!strcmp(str, "cmac"))
			cfg->ecka_receipt = 0;
		else if (!strcmp(str, "njiwa"))
			cfg->ecka_receipt = 1;
		else {
			seterr(errbuf, errcap, "ecka_receipt \"%s\" (line %d): cmac or njiwa", str,
			       config_setting_source_line(config_lookup(c, "ecka_receipt")));
			return EUM_ERR_CONFIG;
		}
	}
	if (config_lookup_int64(c, "sms_reassembly_max", &v)) {
		/* the bounds eum_card_new() checks (EUM_SMS_REASSEMBLY_MIN / _LIMIT of src/ota/sms_pp.h) */
		if (v < 140 || v > 65535) {
			seterr(errbuf, errcap, "sms_reassembly_max%s (line %d): 140 to 65535 bytes", "",
			       config_setting_source_line(config_lookup(c, "sms_reassembly_max")));
			return EUM_ERR_CONFIG;
		}
		cfg->sms_reassembly_max = (size_t)v;
	}
	return EUM_OK;
}

static int take_string(config_t *c, const char *name, char **dst, const char **field)
{
	const char *s;

	if (!config_lookup_string(c, name, &s))
		return EUM_OK;
	free(*dst);
	*dst = malloc(strlen(s) + 1); /* C11 has no strdup */
	if (!*dst)
		return EUM_ERR_NO_MEMORY;
	memcpy(*dst, s, strlen(s) + 1);
	*field = *dst;
	return EUM_OK;
}

/* The es5 group: SGP.02 ES5 policies (eum_es5_policy, documented in examples/eum.conf). */
static int load_es5(config_t *c, eum_config *cfg, struct eum_config_owned *own, char *errbuf, size_t errcap)
{
	static const struct {
		const char *name;
		size_t off;
	} nums[] = {
	        {"rollback_attach_failures", offsetof(eum_es5_policy, rollback_attach_failures)},
	        {"rollback_timeout_s", offsetof(eum_es5_policy, rollback_timeout_s)},
	        {"fallback_loss_events", offsetof(eum_es5_policy, fallback_loss_events)},
	        {"fallback_timeout_s", offsetof(eum_es5_policy, fallback_timeout_s)},
	        {"notify_attempts", offsetof(eum_es5_policy, notify_attempts)},
	        {"notify_timeout_s", offsetof(eum_es5_policy, notify_timeout_s)},
	};
	config_setting_t *g = config_lookup(c, "es5");
	long long v;
	size_t i;
	int rc, ton;

	if (!g)
		return EUM_OK;
	rc = take_string(c, "es5.smsr_address", &own->smsr_address, &cfg->es5.smsr_address);
	if (rc)
		return rc;
	if (cfg->es5.smsr_address) {
		const char *d = cfg->es5.smsr_address;
		size_t n = strlen(d);
		for (i = 0; i < n && d[i] >= '0' && d[i] <= '9'; i++)
			;
		if (n == 0 || n > 20 || i != n) {
			seterr(errbuf, errcap, "es5.smsr_address \"%s\" (line %d): 1 to 20 digits expected", d,
			       config_setting_source_line(g));
			return EUM_ERR_CONFIG;
		}
	}
	if (config_setting_lookup_int(g, "smsr_ton_npi", &ton)) {
		if (ton < 0x80 || ton > 0xFF) {
			seterr(errbuf, errcap, "es5.smsr_ton_npi%s (line %d): 0x80 to 0xFF expected", "",
			       config_setting_source_line(g));
			return EUM_ERR_CONFIG;
		}
		cfg->es5.smsr_ton_npi = (uint8_t)ton;
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (!config_setting_lookup_int64(g, nums[i].name, &v))
			continue;
		if (v < 0 || v > 0xFFFFFFFFll) {
			seterr(errbuf, errcap, "es5.%s (line %d): 0 to 4294967295 expected", nums[i].name,
			       config_setting_source_line(g));
			return EUM_ERR_CONFIG;
		}
		*(uint32_t *)(void *)((char *)&cfg->es5 + nums[i].off) = (uint32_t)v;
	}
	return EUM_OK;
}

int eum_config_load_file(eum_config *cfg, const char *path, char *errbuf, size_t errcap)
{
	static const char *const levels[EUM_LOG_NUM] = {"error", "warn", "info", "debug"};
	struct eum_config_owned *own;
	config_t c;
	config_setting_t *s;
	const char *str;
	int rc = EUM_OK, i;
	long long ll;

	if (!cfg || !path)
		return EUM_ERR_INVALID_ARG;
	config_init(&c);
	if (!config_read_file(&c, path)) {
		int io = config_error_type(&c) == CONFIG_ERR_FILE_IO;
		if (errbuf && errcap)
			snprintf(errbuf, errcap, "%s:%d: %s", path, config_error_line(&c),
			         io ? "cannot read file" : config_error_text(&c));
		config_destroy(&c);
		return io ? EUM_ERR_IO : EUM_ERR_CONFIG;
	}
	own = cfg->owned_;
	if (!own) {
		own = calloc(1, sizeof(*own));
		if (!own) {
			config_destroy(&c);
			return EUM_ERR_NO_MEMORY;
		}
		cfg->owned_ = own;
	}
	if (config_lookup_string(&c, "log_level", &str)) {
		for (i = 0; i < EUM_LOG_NUM && strcmp(str, levels[i]); i++)
			;
		if (i == EUM_LOG_NUM) {
			s = config_lookup(&c, "log_level");
			seterr(errbuf, errcap, "log_level \"%s\" (line %d): use error, warn, info or debug", str,
			       config_setting_source_line(s));
			rc = EUM_ERR_CONFIG;
			goto out;
		}
		cfg->log_level = (eum_log_level)i;
	}
	if (config_lookup_string(&c, "atr", &str)) {
		long n = eum_hex_decode(str, own->atr, sizeof(own->atr));
		if (n < 2) {
			s = config_lookup(&c, "atr");
			seterr(errbuf, errcap, "atr \"%s\" (line %d): 2 to 33 bytes of hex expected", str,
			       config_setting_source_line(s));
			rc = EUM_ERR_CONFIG;
			goto out;
		}
		cfg->atr = own->atr;
		cfg->atr_len = (size_t)n;
	}
	if (config_lookup_int64(&c, "clock_fixed", &ll)) {
		if (ll < 0) {
			seterr(errbuf, errcap, "clock_fixed%s (line %d): seconds since 1970 expected", "",
			       config_setting_source_line(config_lookup(&c, "clock_fixed")));
			rc = EUM_ERR_CONFIG;
			goto out;
		}
		cfg->clock_fixed = (uint64_t)ll;
	}
	rc = load_identity(&c, cfg, own, errbuf, errcap);
	if (rc)
		goto out;
	rc = load_security(&c, cfg, own, errbuf, errcap);
	if (rc)
		goto out;
	rc = take_string(&c, "state_file", &own->state_path, &cfg->state_path);
	if (rc == EUM_OK)
		rc = take_string(&c, "bootstrap_profile", &own->bootstrap_profile_path, &cfg->bootstrap_profile_path);
	if (rc == EUM_OK)
		rc = load_es5(&c, cfg, own, errbuf, errcap);
out:
	config_destroy(&c);
	return rc;
}

void eum_config_clear(eum_config *cfg)
{
	struct eum_config_owned *own;

	if (!cfg)
		return;
	own = cfg->owned_;
	if (own) {
		free(own->state_path);
		free(own->bootstrap_profile_path);
		free(own->smsr_address);
		/* the key material read from the file is wiped with the rest */
		eum_wipe(own, sizeof(*own));
		free(own);
	}
	eum_config_init(cfg);
}
