/*
 * Helpers shared by test_cert.c, test_ecka.c and test_host_smdp.c: hex decoding and loading the
 * reproducible test PKI of tests/data/pki (see its README.md). Static functions only.
 */
#ifndef EUM_TESTS_PKI_DATA_H
#define EUM_TESTS_PKI_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PKI_FILE_MAX 1024

/* Decode hex (whitespace ignored) into out; returns the byte count, or (size_t)-1 on error. */
static inline size_t pki_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;
		char c = *hex;

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			return (size_t)-1;
		if (hi < 0) {
			hi = v;
		} else {
			if (n >= cap)
				return (size_t)-1;
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? n : (size_t)-1;
}

/* Read tests/data/pki/<curve_dir>/<name> into buf; returns its length, 0 on error. */
static inline size_t pki_read(const char *curve_dir, const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pki/%s/%s", EUM_TEST_DATA_DIR, curve_dir, name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(buf, 1, cap, f);
	if (!feof(f))
		n = 0; /* larger than cap */
	fclose(f);
	return n;
}

/* Read a one-line hex file of the PKI (e.g. "ecasd.sk.hex"); returns the byte count, 0 on error. */
static inline size_t pki_read_hex(const char *curve_dir, const char *name, uint8_t *out, size_t cap)
{
	char text[PKI_FILE_MAX + 1];
	size_t n = pki_read(curve_dir, name, (uint8_t *)text, PKI_FILE_MAX);

	if (n == 0)
		return 0;
	text[n] = '\0';
	n = pki_unhex(text, out, cap);
	return n == (size_t)-1 ? 0 : n;
}

/* The two curves of the PKI: directory and GP key parameter reference. */
struct pki_curve {
	const char *dir;
	uint8_t ref;
};

static const struct pki_curve PKI_CURVES[] = {{"p256", 0x00}, {"bp256r1", 0x03}};
#define PKI_NCURVES (sizeof(PKI_CURVES) / sizeof(PKI_CURVES[0]))

/* The EID in CERT.ECASD.ECKA (tests/data/pki/README.md). */
static const uint8_t PKI_EID[16] = {0x89, 0x04, 0x90, 0x32, 0x00, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x30};

#endif
