/*
 * The card configuration file: libconfig syntax (Debian's libconfig), one
 * setting per eum_config field. The documented example with every default
 * is examples/eum.conf.
 */
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eum/eum.h"
#include "util/hex.h"

/* What eum_config_load_file() allocated (eum_config.owned_). */
struct eum_config_owned {
	char *state_path;
	char *bootstrap_profile_path;
	uint8_t atr[EUM_ATR_MAX];
};

static void seterr(char *errbuf, size_t errcap, const char *fmt, const char *a, int line)
{
	if (errbuf && errcap)
		snprintf(errbuf, errcap, fmt, a, line);
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
	rc = take_string(&c, "state_file", &own->state_path, &cfg->state_path);
	if (rc == EUM_OK)
		rc = take_string(&c, "bootstrap_profile", &own->bootstrap_profile_path, &cfg->bootstrap_profile_path);
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
		free(own);
	}
	eum_config_init(cfg);
}
