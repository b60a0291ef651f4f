/*
 * Benchmark: TCA eUICC Profile Package installation (src/profile/saip_install.c) against the asn1c
 * decoding it contains. For each TS.48 package in tests/data/ts48/: N full installs into an empty profile
 * (decode + execute every PE + move into the profile + release), and N decodes alone (ber_decode of every
 * PE + ASN_STRUCT_FREE). Issue target: install within 3x of decode alone.
 *
 * Usage: bench_profile_install [N]   (default 500)
 * Prints per package: ns per install, ns per decode, their ratio. Exit 1 if a package fails.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ProfileElement.h"
#include "profile/saip_install.h"

static const char *const packages[] = {
        "TS48V1-A-UNIQUE",
        "TS48V2-SAIP2-3-NOBERTLV-UNIQUE",
        "TS48V4-SAIP2-1B-NOBERTLV-UNIQUE",
};

/* Reads a whole file into a heap buffer owned by the caller; NULL on error. */
static uint8_t *load(const char *base, size_t *len)
{
	char path[512];
	uint8_t *buf = NULL;
	long sz;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ts48/%s.der", EUM_TEST_DATA_DIR, base);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)sz);
		if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)sz;
	}
	fclose(f);
	return buf;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Decode alone: every PE, then free it. Returns 0 if the package does not decode to its end. */
static int decode_only(const uint8_t *der, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ProfileElement_t *pe = NULL;
		asn_dec_rval_t rv = ber_decode(NULL, &asn_DEF_ProfileElement, (void **)&pe, der + off, len - off);
		ASN_STRUCT_FREE(asn_DEF_ProfileElement, pe);
		if (rv.code != RC_OK || rv.consumed == 0)
			return 0;
		off += rv.consumed;
	}
	return 1;
}

static int install_once(const uint8_t *der, size_t len)
{
	struct eum_profile p;
	int rc;

	memset(&p, 0, sizeof(p));
	eum_fs_init(&p.fs);
	rc = eum_saip_install(&p, der, len, NULL);
	eum_saip_profile_clear(&p);
	return rc == EUM_OK;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 500;
	size_t i;
	int bad = 0;

	if (n <= 0)
		n = 500;
	printf("%-34s %12s %12s %7s\n", "package", "install ns", "decode ns", "ratio");
	for (i = 0; i < sizeof(packages) / sizeof(packages[0]); i++) {
		size_t len = 0;
		uint8_t *der = load(packages[i], &len);
		double t0, t_inst, t_dec;
		long k;
		if (!der || !install_once(der, len) || !decode_only(der, len)) {
			fprintf(stderr, "%s: cannot install/decode\n", packages[i]);
			free(der);
			bad = 1;
			continue;
		}
		/* interleave a warm-up, then time each loop separately */
		t0 = now_ns();
		for (k = 0; k < n; k++)
			decode_only(der, len);
		t_dec = (now_ns() - t0) / (double)n;
		t0 = now_ns();
		for (k = 0; k < n; k++)
			install_once(der, len);
		t_inst = (now_ns() - t0) / (double)n;
		printf("%-34s %12.0f %12.0f %7.2f\n", packages[i], t_inst, t_dec, t_inst / t_dec);
		free(der);
	}
	return bad;
}
