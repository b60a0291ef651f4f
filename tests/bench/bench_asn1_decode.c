/*
 * Benchmark: asn1c DER decoding of TCA eUICC Profile Packages (PE_Definitions-3.3.1), the cost the
 * profile installer pays before it creates anything. Each TS.48 package in tests/data/ts48/ is
 * decoded as a stream of ProfileElements (ber_decode + ASN_STRUCT_FREE per PE), N times.
 *
 * Usage: bench_asn1_decode [N]   (default 1000 decodes per package)
 * Prints, per package: size, PE count, ns per package decode, ns per PE. Exit 1 on decode failure.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ProfileElement.h"

static const char *const packages[] = {
        "TS48V1-A-UNIQUE",
        "TS48V2-SAIP2-3-NOBERTLV-UNIQUE",
        "TS48V4-SAIP2-1B-NOBERTLV-UNIQUE",
};

/* Reads a whole file into a heap buffer owned by the caller; NULL on error. */
static uint8_t *load(const char *base, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/ts48/%s.der", EUM_TEST_DATA_DIR, base);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	long sz;
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

/* One full decode of the package; returns the number of PEs, or 0 if it does not decode to the end. */
static size_t decode_package(const uint8_t *der, size_t len)
{
	size_t off = 0, n = 0;
	while (off < len) {
		ProfileElement_t *pe = NULL;
		asn_dec_rval_t rv = ber_decode(NULL, &asn_DEF_ProfileElement, (void **)&pe, der + off, len - off);
		ASN_STRUCT_FREE(asn_DEF_ProfileElement, pe);
		if (rv.code != RC_OK || rv.consumed == 0)
			return 0;
		off += rv.consumed;
		n++;
	}
	return n;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	if (iterations <= 0) {
		fprintf(stderr, "usage: %s [iterations > 0]\n", argv[0]);
		return 2;
	}
	printf("%-34s %7s %4s %12s %10s\n", "package", "bytes", "PEs", "ns/package", "ns/PE");
	for (size_t p = 0; p < sizeof(packages) / sizeof(packages[0]); p++) {
		size_t len = 0;
		uint8_t *der = load(packages[p], &len);
		if (!der) {
			fprintf(stderr, "cannot read %s/ts48/%s.der\n", EUM_TEST_DATA_DIR, packages[p]);
			return 1;
		}
		size_t pes = decode_package(der, len); /* warm-up and sanity check */
		if (pes == 0) {
			fprintf(stderr, "%s does not decode\n", packages[p]);
			free(der);
			return 1;
		}
		uint64_t t0 = now_ns();
		for (long i = 0; i < iterations; i++) {
			if (decode_package(der, len) != pes) {
				free(der);
				return 1;
			}
		}
		uint64_t per = (now_ns() - t0) / (uint64_t)iterations;
		printf("%-34s %7zu %4zu %12llu %10llu\n", packages[p], len, pes, (unsigned long long)per,
		       (unsigned long long)(per / pes));
		free(der);
	}
	return 0;
}
