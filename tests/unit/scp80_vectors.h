/*
 * Shared by the SCP80 tests: a reader of tests/data/scp80/scp80.data (one
 * record per line: kind key=value ...) and the key sets the records name,
 * for both the card engine and the independent host builder. Test-only
 * header (static functions), included once per test program.
 */
#ifndef EUM_TESTS_SCP80_VECTORS_H
#define EUM_TESTS_SCP80_VECTORS_H

#include "eum/host/scp80.h"
#include "ota/scp80.h"

/* ---- scp80.data reader (kind key=value ...) ------------------------------ */

#define MAX_RECS   64
#define MAX_FIELDS 16

struct rec {
	char kind[16];
	int n;
	char *key[MAX_FIELDS];
	char *val[MAX_FIELDS];
	char line[2048];
};

static struct rec recs[MAX_RECS];
static int nrecs;

static void load_data(void)
{
	char path[512];
	FILE *f;
	char line[2048];

	if (nrecs)
		return;
	snprintf(path, sizeof(path), "%s/scp80/scp80.data", EUM_TEST_DATA_DIR);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		struct rec *r;
		char *p;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(nrecs < MAX_RECS);
		r = &recs[nrecs++];
		memcpy(r->line, line, sizeof(line));
		r->line[strcspn(r->line, "\n")] = 0;
		p = line;
		p[strcspn(p, " ")] = 0;
		assert_true(strlen(p) < sizeof(r->kind));
		memcpy(r->kind, p, strlen(p) + 1);
		p = r->line + strlen(p) + 1;
		while (*p) {
			char *tok = p, *eq;

			p += strcspn(p, " ");
			if (*p)
				*p++ = 0;
			eq = strchr(tok, '=');
			assert_non_null(eq);
			assert_true(r->n < MAX_FIELDS);
			*eq = 0;
			r->key[r->n] = tok;
			r->val[r->n++] = eq + 1;
		}
	}
	fclose(f);
	assert_true(nrecs > 20);
}

/* Value of a field; NULL when absent ('-'). */
static const char *fld(const struct rec *r, const char *key)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->key[i], key) == 0)
			return strcmp(r->val[i], "-") == 0 ? NULL : r->val[i];
	fail_msg("field %s missing", key);
	return NULL;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (!s)
		return 0;
	for (; s[0] && s[0] != ','; s += 2) {
		unsigned v;

		assert_true(n < cap);
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* The plaintext APDUs joined: the secured data they make up (TS 102 226 compact). */
static size_t unhex_apdus(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (s && *s) {
		n += unhex(s, out + n, cap - n);
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
	}
	return n;
}

static const struct rec *find_rec(const char *kind, const char *name)
{
	for (int i = 0; i < nrecs; i++)
		if (strcmp(recs[i].kind, kind) == 0 && strcmp(fld(&recs[i], "name"), name) == 0)
			return &recs[i];
	fail_msg("no %s %s", kind, name);
	return NULL;
}

static uint8_t algo_of(const char *name, size_t keylen)
{
	if (strcmp(name, "single_des") == 0)
		return EUM_SCP80_ALGO_DES;
	if (strcmp(name, "triple_des_cbc2") == 0)
		return EUM_SCP80_ALGO_TDES2;
	if (strcmp(name, "triple_des_cbc3") == 0)
		return EUM_SCP80_ALGO_TDES3;
	if (strcmp(name, "aes_cbc") == 0 || strcmp(name, "aes_cmac") == 0)
		return keylen == 16   ? EUM_SCP80_ALGO_AES128
		       : keylen == 24 ? EUM_SCP80_ALGO_AES192
		                      : EUM_SCP80_ALGO_AES256;
	fail_msg("algo %s", name);
	return 0;
}

/* The card key set and the host key set for a named vector key set. */
static void keysets_for(const char *name, struct eum_scp80_keyset *card, struct eum_host_scp80_keyset *host)
{
	const struct rec *r = find_rec("keyset", name);
	uint8_t kvn = 0;
	size_t l;

	memset(card, 0, sizeof(*card));
	memset(host, 0, sizeof(*host));
	assert_int_equal(unhex(fld(r, "kvn"), &kvn, 1), 1);
	card->kvn = kvn;
	l = unhex(fld(r, "kic"), card->kic.val, sizeof(card->kic.val));
	card->kic.algo = algo_of(fld(r, "kic_algo"), l);
	assert_int_equal(eum_scp80_algo_keylen(card->kic.algo), l);
	memcpy(host->kic.val, card->kic.val, l);
	host->kic.len = (uint8_t)l;
	host->kic.algo = card->kic.algo >= EUM_SCP80_ALGO_AES128 ? EUM_HOST_SCP80_ALGO_AES : card->kic.algo;
	l = unhex(fld(r, "kid"), card->kid.val, sizeof(card->kid.val));
	card->kid.algo = algo_of(fld(r, "kid_algo"), l);
	assert_int_equal(eum_scp80_algo_keylen(card->kid.algo), l);
	memcpy(host->kid.val, card->kid.val, l);
	host->kid.len = (uint8_t)l;
	host->kid.algo = card->kid.algo >= EUM_SCP80_ALGO_AES128 ? EUM_HOST_SCP80_ALGO_AES : card->kid.algo;
}

#endif
