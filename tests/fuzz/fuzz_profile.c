/*
 * Fuzz target: the profile package installer (TCA eUICC Profile Package, DER; SGP.02 §4.1.3.3
 * "the Profile Package is interpreted by the ISD-P") on an empty profile — the asn1c decoder of
 * PE_Definitions-3.3.1 and every PE handler, then the extras (RFM, MNO-SD keys) applied as the
 * card applies them.
 *
 * Input: the DER package. The first byte chooses how it is fed: even = in one piece
 * (eum_saip_install_mem, as for the bootstrap profile), odd = through the streaming installer in
 * chunks of (byte / 2 + 1) bytes, as SCP03t segments arrive (SGP.02 §4.1.3.3).
 */
#include "fuzz.h"

#include "profile/saip_apply.h"
#include "profile/saip_install.h"

static void install_chunks(const uint8_t *der, size_t len, size_t chunk)
{
	struct eum_saip_installer *ins = calloc(1, sizeof(*ins));
	struct eum_profile *p = calloc(1, sizeof(*p));
	struct eum_saip_extras *x = calloc(1, sizeof(*x));
	struct eum_saip_result *res = calloc(1, sizeof(*res));
	size_t off = 0;
	int rc;

	if (!ins || !p || !x || !res)
		abort();
	rc = eum_saip_installer_init(ins, 0);
	fuzz_check(rc == EUM_OK, "installer_init: %s", eum_strerror(rc));
	while (off < len && rc == EUM_OK) {
		size_t k = len - off < chunk ? len - off : chunk;
		rc = eum_saip_installer_feed(ins, der + off, k);
		off += k;
	}
	if (rc == EUM_OK && eum_saip_installer_finish(ins, p, x, res) == EUM_OK) {
		uint8_t enc[1024];
		size_t n = 0;
		(void)eum_saip_apply_extras(p, x);
		(void)eum_saip_encode_result(res, enc, sizeof(enc), &n);
	}
	eum_saip_installer_free(ins);
	eum_saip_extras_wipe(x);
	eum_saip_profile_clear(p);
	free(ins);
	free(p);
	free(x);
	free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eum_profile *p;
	struct eum_saip_result *res;
	uint8_t pol1 = 0;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		install_chunks(data + 1, size - 1, (size_t)(data[0] >> 1) + 1);
		return 0;
	}
	p = calloc(1, sizeof(*p));
	res = calloc(1, sizeof(*res));
	if (!p || !res)
		abort();
	if (eum_saip_install_mem(p, data + 1, size - 1, &pol1, res) == EUM_OK) {
		uint8_t enc[1024];
		size_t n = 0;
		(void)eum_saip_encode_result(res, enc, sizeof(enc), &n);
	}
	eum_saip_profile_clear(p);
	free(p);
	free(res);
	return 0;
}
