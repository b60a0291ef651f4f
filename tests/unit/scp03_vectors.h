/*
 * Loader for tests/data/scp03/scp03.data (GlobalPlatform Amd D SCP03 vectors,
 * converted line by line from scp03.json by json2data.py). Shared by
 * test_scp03.c (card) and test_host_scp03.c (host); static functions only.
 */
#ifndef EUM_TESTS_SCP03_VECTORS_H
#define EUM_TESTS_SCP03_VECTORS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SV_HEX_MAX      300
#define SV_STEPS_MAX    8
#define SV_SESSIONS_MAX 24
#define SV_NEG_MAX      8

struct sv_hex {
	uint8_t b[SV_HEX_MAX];
	size_t n;
	int present; /* 0 when the field was absent or '-' */
};

struct sv_step {
	struct sv_hex plain_cmd, wrapped_cmd, plain_rsp, wrapped_rsp;
	int has_rsp; /* a response was recorded (sw given) */
	uint16_t sw;
};

struct sv_session {
	char name[64];
	int pysim; /* from pysim_unit_test_vectors[] */
	struct sv_hex kvn, key_enc, key_mac, key_dek, i_param, div_data, sd_aid, host_challenge, card_challenge,
	        sequence_counter, card_cryptogram, host_cryptogram, iu_cmd, iu_rsp, sl, ea_cmd, s_enc, s_mac, s_rmac;
	struct sv_step steps[SV_STEPS_MAX];
	size_t n_steps;
};

struct sv_negative {
	char name[64], session[64];
	int steps_before; /* -1: EXTERNAL AUTHENTICATE not sent; n: session open and n steps run */
	struct sv_hex cmd;
	uint16_t sw;
};

struct sv_data {
	struct sv_session sessions[SV_SESSIONS_MAX];
	size_t n_sessions;
	struct sv_negative neg[SV_NEG_MAX];
	size_t n_neg;
};

static int sv_parse_hex(const char *s, struct sv_hex *h)
{
	size_t len = strlen(s);

	memset(h, 0, sizeof(*h));
	if (strcmp(s, "-") == 0)
		return 0;
	if (len % 2 || len / 2 > SV_HEX_MAX)
		return -1;
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		h->b[i] = (uint8_t)v;
	}
	h->n = len / 2;
	h->present = 1;
	return 0;
}

static uint32_t sv_u(const struct sv_hex *h)
{
	uint32_t v = 0;

	for (size_t i = 0; i < h->n; i++)
		v = v << 8 | h->b[i];
	return v;
}

static struct sv_hex *sv_field(struct sv_session *s, const char *key)
{
	static const struct {
		const char *name;
		size_t off;
	} map[] = {
#define SV_F(x) {#x, offsetof(struct sv_session, x)}
	        SV_F(kvn),
	        SV_F(key_enc),
	        SV_F(key_mac),
	        SV_F(key_dek),
	        SV_F(i_param),
	        SV_F(div_data),
	        SV_F(sd_aid),
	        SV_F(host_challenge),
	        SV_F(card_challenge),
	        SV_F(sequence_counter),
	        SV_F(card_cryptogram),
	        SV_F(host_cryptogram),
	        SV_F(iu_cmd),
	        SV_F(iu_rsp),
	        SV_F(sl),
	        SV_F(ea_cmd),
	        SV_F(s_enc),
	        SV_F(s_mac),
	        SV_F(s_rmac),
#undef SV_F
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, key) == 0)
			return (struct sv_hex *)((char *)s + map[i].off);
	return NULL;
}

/* Returns a heap-allocated table (free() it) or NULL when the file is unreadable or malformed. */
static struct sv_data *sv_load(const char *path)
{
	struct sv_data *d = calloc(1, sizeof(*d));
	struct sv_session *cur = NULL;
	char line[1024], a[400], b[400], c[400], e[400], f[400];
	FILE *fp = fopen(path, "r");
	int ok = d && fp;

	while (ok && fgets(line, sizeof(line), fp)) {
		struct sv_hex sw = {0};

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "session %63s %399s", a, b) == 2) {
			ok = !cur && d->n_sessions < SV_SESSIONS_MAX;
			if (ok) {
				cur = &d->sessions[d->n_sessions++];
				snprintf(cur->name, sizeof(cur->name), "%.63s", a);
				cur->pysim = strcmp(b, "pysim") == 0;
			}
		} else if (strncmp(line, "end", 3) == 0) {
			ok = cur != NULL;
			cur = NULL;
		} else if (sscanf(line, "step %399s %399s %399s %399s %399s", a, b, c, e, f) == 5) {
			struct sv_step *st;

			ok = cur && cur->n_steps < SV_STEPS_MAX;
			if (!ok)
				break;
			st = &cur->steps[cur->n_steps++];
			ok = !sv_parse_hex(a, &st->plain_cmd) && !sv_parse_hex(b, &st->wrapped_cmd) &&
			     !sv_parse_hex(c, &st->plain_rsp) && !sv_parse_hex(e, &sw) &&
			     !sv_parse_hex(f, &st->wrapped_rsp);
			st->has_rsp = sw.present;
			st->sw = (uint16_t)sv_u(&sw);
		} else if (sscanf(line, "negative %63s %63s %d %399s %399s", a, b, &d->neg[d->n_neg].steps_before, c,
		                  e) == 5) {
			struct sv_negative *n = &d->neg[d->n_neg];

			ok = !cur && d->n_neg < SV_NEG_MAX;
			if (!ok)
				break;
			d->n_neg++;
			snprintf(n->name, sizeof(n->name), "%.63s", a);
			snprintf(n->session, sizeof(n->session), "%.63s", b);
			ok = !sv_parse_hex(c, &n->cmd) && !sv_parse_hex(e, &sw);
			n->sw = (uint16_t)sv_u(&sw);
		} else if (cur && sscanf(line, "%399s %399s", a, b) == 2 && sv_field(cur, a)) {
			ok = !sv_parse_hex(b, sv_field(cur, a));
		} else {
			ok = 0;
		}
	}
	if (fp)
		fclose(fp);
	if (!ok || cur || d->n_sessions == 0) {
		free(d);
		return NULL;
	}
	return d;
}

static const struct sv_session *sv_find(const struct sv_data *d, const char *name)
{
	for (size_t i = 0; i < d->n_sessions; i++)
		if (strcmp(d->sessions[i].name, name) == 0)
			return &d->sessions[i];
	return NULL;
}

#define SV_PATH EUM_TEST_DATA_DIR "/scp03/scp03.data"

#endif
