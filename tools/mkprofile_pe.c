/*
 * eum-mkprofile: pukCodes, pinCodes, akaParameter (OPc = E_K(OP) xor OP, TS 35.206 §4.1),
 * securityDomain (SCP80 and SCP03 key sets), rfm (PE_Definitions 3.3.1, profile-package.md §4.5-§4.8).
 */
#include "mkprofile.h"

#include <mbedtls/aes.h>
#include <mbedtls/platform_util.h>

/* ---- PINs, PUKs, AKA, SD, RFM ---------------------------------------------- */

static int pin_value(const config_setting_t *p, OCTET_STRING_t *os)
{
	const char *v;
	uint8_t b[8];
	size_t n;

	if (!config_setting_lookup_string(p, "value", &v) || (n = strlen(v)) < 1 || n > 8)
		return mkp_fail(p, "missing or bad value (1..8 characters)");
	memset(b, 0xFF, sizeof(b));
	memcpy(b, v, n); /* ASCII digits, FF padded (TS 102 221 §9.5.1) */
	return mkp_os_set(os, b, sizeof(b));
}

static int attempts(const config_setting_t *p, int dflt_max, long **out)
{
	int max, left;

	if (mkp_get_int(p, "max_attempts", &max, dflt_max, 1, 15) || mkp_get_int(p, "retries_left", &left, max, 0, max))
		return -1;
	*out = mkp_long_new(max << 4 | left);
	return *out ? 0 : -1;
}

int mkp_build_puks(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_PUKCodes_t *p = mkp_pe_new(pe, ProfileElement_PR_pukCodes);
	const config_setting_t *l = config_setting_get_member(s, "puks");
	int i, ref;

	if (!p)
		return mkp_fail(NULL, "out of memory");
	if (mkp_set_header(&p->puk_Header, s))
		return -1;
	if (!l || !config_setting_is_list(l))
		return mkp_fail(s, "missing puks list");
	for (i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
		PUKConfiguration_t *c = calloc(1, sizeof(*c));
		if (!c || ASN_SEQUENCE_ADD(&p->pukCodes.list, c)) {
			free(c);
			return mkp_fail(NULL, "out of memory");
		}
		if (mkp_get_int(e, "ref", &ref, 0, 1, 0x88) || !ref)
			return mkp_fail(e, "missing or bad ref");
		c->keyReference = ref;
		if (pin_value(e, &c->pukValue) || attempts(e, 10, &c->maxNumOfAttemps_retryNumLeft))
			return -1;
	}
	return 0;
}

int mkp_build_pins(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_PINCodes_t *p = mkp_pe_new(pe, ProfileElement_PR_pinCodes);
	const config_setting_t *l = config_setting_get_member(s, "pins");
	int i, ref, v;

	if (!p)
		return mkp_fail(NULL, "out of memory");
	if (mkp_set_header(&p->pin_Header, s))
		return -1;
	if (!l || !config_setting_is_list(l))
		return mkp_fail(s, "missing pins list");
	p->pinCodes.present = PE_PINCodes__pinCodes_PR_pinconfig;
	for (i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
		PINConfiguration_t *c = calloc(1, sizeof(*c));
		if (!c || ASN_SEQUENCE_ADD(&p->pinCodes.choice.pinconfig.list, c)) {
			free(c);
			return mkp_fail(NULL, "out of memory");
		}
		if (mkp_get_int(e, "ref", &ref, 0, 1, 0x8E) || !ref)
			return mkp_fail(e, "missing or bad ref");
		c->keyReference = ref;
		if (pin_value(e, &c->pinValue) || attempts(e, 3, &c->maxNumOfAttemps_retryNumLeft))
			return -1;
		if (mkp_get_int(e, "unblock_ref", &v, 0, 0, 0x88))
			return -1;
		if (v && !(c->unblockingPINReference = mkp_long_new(v)))
			return -1;
		if (mkp_get_int(e, "attributes", &v, -1, -1, 255))
			return -1;
		if (v >= 0 && !(c->pinAttributes = mkp_long_new(v)))
			return -1;
	}
	return 0;
}

/* TS 35.206 §4.1: OPc = E_K(OP) xor OP. */
static int derive_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16])
{
	mbedtls_aes_context aes;
	int i, rc;

	mbedtls_aes_init(&aes);
	rc = mbedtls_aes_setkey_enc(&aes, k, 128) || mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, op, opc);
	mbedtls_aes_free(&aes);
	for (i = 0; i < 16; i++)
		opc[i] ^= op[i];
	return rc ? mkp_fail(NULL, "AES failed") : 0;
}

int mkp_build_aka(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_AKAParameter_t *p = mkp_pe_new(pe, ProfileElement_PR_akaParameter);
	AlgoParameter_t *a;
	uint8_t k[16], op[16], opc[16], opt;
	const char *algo;
	long nk, nop, nopc;
	int v, rc = -1;

	if (!p)
		return mkp_fail(NULL, "out of memory");
	if (mkp_set_header(&p->aka_header, s))
		return -1;
	p->algoConfiguration.present = PE_AKAParameter__algoConfiguration_PR_algoParameter;
	a = &p->algoConfiguration.choice.algoParameter;
	if (!config_setting_lookup_string(s, "algorithm", &algo))
		return mkp_fail(s, "missing algorithm");
	if (!strcmp(algo, "milenage"))
		a->algorithmID = AlgoParameter__algorithmID_milenage;
	else if (!strcmp(algo, "usim-test-algorithm"))
		a->algorithmID = AlgoParameter__algorithmID_usim_test_algorithm;
	else
		return mkp_fail(s, "algorithm must be milenage or usim-test-algorithm");
	if (mkp_get_int(s, "algorithm_options", &v, 0, 0, 255))
		return -1;
	opt = (uint8_t)v;
	nk = mkp_get_hex(s, "k", k, sizeof(k));
	nop = mkp_get_hex(s, "op", op, sizeof(op));
	nopc = mkp_get_hex(s, "opc", opc, sizeof(opc));
	if (nk != 16) {
		mkp_fail(s, "k must be 16 bytes");
		goto out;
	}
	if (a->algorithmID == AlgoParameter__algorithmID_milenage) {
		if ((nop == 16) == (nopc == 16) || (nop != 16 && nop != -2) || (nopc != 16 && nopc != -2)) {
			mkp_fail(s, "milenage needs exactly one of op / opc (16 bytes)");
			goto out;
		}
		if (nop == 16 && derive_opc(k, op, opc))
			goto out;
	} else if (nopc != -2 || nop != -2) {
		mkp_fail(s, "the test algorithm has no OP / OPc");
		goto out;
	} else {
		memset(opc, 0, sizeof(opc)); /* opc is not optional in AlgoParameter */
	}
	rc = mkp_os_set(&a->algorithmOptions, &opt, 1) || mkp_os_set(&a->key, k, 16) || mkp_os_set(&a->opc, opc, 16)
	             ? -1
	             : 0;
out:
	mbedtls_platform_zeroize(k, sizeof(k));
	mbedtls_platform_zeroize(op, sizeof(op));
	mbedtls_platform_zeroize(opc, sizeof(opc));
	return rc;
}

static int add_key(PE_SecurityDomain_t *p, uint8_t kvn, uint8_t id, uint8_t usage, uint8_t type, const uint8_t *key,
                   size_t len)
{
	KeyObject_t *ko = calloc(1, sizeof(*ko));
	struct KeyObject__keyComponents__Member *c = calloc(1, sizeof(*c));

	if (!ko || !c || ASN_SEQUENCE_ADD(&p->keyList->list, ko)) {
		free(ko);
		free(c);
		return mkp_fail(NULL, "out of memory");
	}
	if (ASN_SEQUENCE_ADD(&ko->keyComponents.list, c)) {
		free(c);
		return mkp_fail(NULL, "out of memory");
	}
	return mkp_os_set(&ko->keyUsageQualifier, &usage, 1) || mkp_os_set(&ko->keyIdentifier, &id, 1) ||
	                       mkp_os_set(&ko->keyVersionNumber, &kvn, 1) || mkp_os_set(&c->keyType, &type, 1) ||
	                       mkp_os_set(&c->keyData, key, len)
	               ? -1
	               : 0;
}

int mkp_build_sd(const config_setting_t *s, ProfileElement_t **pe)
{
	static const struct {
		const char *name;
		uint8_t type; /* GP key type: 80 DES family, 88 AES */
		uint8_t len;
	} algos[] = {{"des", 0x80, 8},     {"3des2", 0x80, 16},  {"3des3", 0x80, 24},
	             {"aes128", 0x88, 16}, {"aes192", 0x88, 24}, {"aes256", 0x88, 32}};
	PE_SecurityDomain_t *p = mkp_pe_new(pe, ProfileElement_PR_securityDomain);
	const config_setting_t *l = config_setting_get_member(s, "scp80_keysets");
	const config_setting_t *l3 = config_setting_get_member(s, "scp03_keysets");
	ApplicationInstance_t *in;
	uint8_t lcs[4], kic[32], kid[32];
	int i, rc = 0;
	size_t k;
	long n;

	if (!p)
		return mkp_fail(NULL, "out of memory");
	in = &p->instance;
	if (mkp_set_header(&p->sd_Header, s) ||
	    mkp_req_hex_os(s, "load_package_aid", &in->applicationLoadPackageAID, 5, 16) ||
	    mkp_req_hex_os(s, "class_aid", &in->classAID, 5, 16) ||
	    mkp_req_hex_os(s, "instance_aid", &in->instanceAID, 5, 16) ||
	    mkp_req_hex_os(s, "privileges", &in->applicationPrivileges, 3, 3) ||
	    mkp_req_hex_os(s, "c9", &in->applicationSpecificParametersC9, 0, 255))
		return -1;
	n = mkp_get_hex(s, "lifecycle", lcs, sizeof(lcs));
	if (n == -1 || (n >= 0 && n != 1))
		return mkp_fail(s, "lifecycle must be 1 byte");
	if (n == 1 && !(in->lifeCycleState = mkp_os_new(lcs, 1)))
		return -1;
	if (!l && !l3)
		return 0;
	if (!(p->keyList = calloc(1, sizeof(*p->keyList))))
		return mkp_fail(NULL, "out of memory");
	for (i = 0; l && i < config_setting_length(l) && !rc; i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
		const char *algo = "";
		int kvn;
		if (mkp_get_int(e, "kvn", &kvn, 0, 1, 15) || !kvn ||
		    !config_setting_lookup_string(e, "algorithm", &algo)) {
			rc = mkp_fail(e, "missing kvn (1..15) or algorithm");
			break;
		}
		for (k = 0; k < sizeof(algos) / sizeof(algos[0]); k++)
			if (!strcmp(algo, algos[k].name))
				break;
		if (k == sizeof(algos) / sizeof(algos[0]))
			rc = mkp_fail(e, "unknown algorithm %s", algo);
		else if (mkp_get_hex(e, "kic", kic, sizeof(kic)) != algos[k].len ||
		         mkp_get_hex(e, "kid", kid, sizeof(kid)) != algos[k].len)
			rc = mkp_fail(e, "kic and kid must be %u bytes", algos[k].len);
		/* GP key usage: 18 = secure messaging command + confidentiality (KIc), 14 = + checksum (KID) */
		else if (add_key(p, (uint8_t)kvn, 1, 0x18, algos[k].type, kic, algos[k].len) ||
		         add_key(p, (uint8_t)kvn, 2, 0x14, algos[k].type, kid, algos[k].len))
			rc = -1;
	}
	/* SCP03 key sets (GP Amendment D §4.1.1): AES keys, key id 1 Key-ENC, 2 Key-MAC, 3 Key-DEK; GP key
	 * usage 38 = SM command + response + confidentiality, 34 = + checksum, 48 = computation + confidentiality */
	for (i = 0; l3 && i < config_setting_length(l3) && !rc; i++) {
		static const char *const names[3] = {"enc", "mac", "dek"};
		static const uint8_t usage[3] = {0x38, 0x34, 0x48};
		const config_setting_t *e = config_setting_get_elem(l3, (unsigned)i);
		long len = 0;
		int kvn;
		if (mkp_get_int(e, "kvn", &kvn, 0, 0x30, 0x3F) || !kvn) {
			rc = mkp_fail(e, "missing kvn (0x30..0x3F)");
			break;
		}
		for (k = 0; k < 3 && !rc; k++) {
			long m = mkp_get_hex(e, names[k], kic, sizeof(kic));
			if ((m != 16 && m != 24 && m != 32) || (k && m != len))
				rc = mkp_fail(e, "%s must be an AES key (16, 24 or 32 bytes) like enc", names[k]);
			else if (add_key(p, (uint8_t)kvn, (uint8_t)(k + 1), usage[k], 0x88, kic, (size_t)m))
				rc = -1;
			len = m;
		}
	}
	mbedtls_platform_zeroize(kic, sizeof(kic));
	mbedtls_platform_zeroize(kid, sizeof(kid));
	return rc;
}

int mkp_build_rfm(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_RFM_t *p = mkp_pe_new(pe, ProfileElement_PR_rfm);
	const config_setting_t *l = config_setting_get_member(s, "tars");
	uint8_t b[16];
	long n;
	int i, msl;

	if (!p)
		return mkp_fail(NULL, "out of memory");
	if (mkp_set_header(&p->rfm_header, s) || mkp_req_hex_os(s, "instance_aid", &p->instanceAID, 5, 16) ||
	    mkp_req_hex_os(s, "uicc_access_domain", &p->uiccAccessDomain, 0, 8) ||
	    mkp_req_hex_os(s, "uicc_admin_access_domain", &p->uiccAdminAccessDomain, 0, 8) ||
	    mkp_get_int(s, "msl", &msl, 0, 0, 255))
		return -1;
	b[0] = (uint8_t)msl;
	if (mkp_os_set(&p->minimumSecurityLevel, b, 1))
		return -1;
	n = mkp_get_hex(s, "sd_aid", b, sizeof(b));
	if (n == -1 || (n >= 0 && n < 5))
		return mkp_fail(s, "bad sd_aid");
	if (n >= 5 && !(p->securityDomainAID = mkp_os_new(b, (size_t)n)))
		return -1;
	if (!l)
		return 0;
	if (!(p->tarList = calloc(1, sizeof(*p->tarList))))
		return mkp_fail(NULL, "out of memory");
	for (i = 0; i < config_setting_length(l); i++) {
		const char *t = config_setting_get_string_elem(l, i);
		OCTET_STRING_t *os;
		if (!t || mkp_hex_decode(t, b, sizeof(b)) != 3)
			return mkp_fail(l, "a TAR is 3 bytes");
		if (!(os = mkp_os_new(b, 3)))
			return -1;
		if (ASN_SEQUENCE_ADD(&p->tarList->list, os)) {
			ASN_STRUCT_FREE(asn_DEF_OCTET_STRING, os);
			return mkp_fail(NULL, "out of memory");
		}
	}
	return 0;
}

int mkp_build_end(const config_setting_t *s, ProfileElement_t **pe)
{
	PE_End_t *p = mkp_pe_new(pe, ProfileElement_PR_end);

	if (!p)
		return mkp_fail(NULL, "out of memory");
	return mkp_set_header(&p->end_header, s);
}

/* ProfileHeader (profile-package.md §4.1); iccid receives the coded ICCID for EF.ICCID. */
