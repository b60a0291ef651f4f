/*
 * libeum-host: the new SM-SR's side of the SGP.02 SM-SR change (digest sgp02-euicc.md §7.11):
 * EstablishISDRKeySet (DGI 3A01 / 3A02 to the ISD-R, the ECKA-EG scenario #3 of smdp.h with an SM-SR
 * certificate and whty's ISD-R CRT) and FinaliseISDRhandover (DELETE F2). Off-card code: the certificate,
 * signature and key derivation are smdp_keys.c / smdp_es8.c, shared with nothing of the card.
 */
#include <string.h>

#include "eum/host/smsr.h"

#define KID_KIC   0x01 /* TS 102 225 §5.1.2 key identifiers of an SCP80 key set */
#define KID_KIK   0x03
#define KVN_SCP80 0x0F /* TS 102 225 Annex A: KVN 1..15 */

/* A short case 4 C-APDU: header, data, Le 00 when le. */
static int apdu4(const uint8_t hdr[4], const uint8_t *data, size_t n, int le, uint8_t *apdu, size_t cap, size_t *len)
{
	size_t total = 5 + n + (le ? 1 : 0);

	if (!apdu || !len || n == 0 || n > 255)
		return EUM_ERR_INVALID_ARG;
	if (cap < total)
		return EUM_ERR_BUFFER_TOO_SMALL;
	memcpy(apdu, hdr, 4);
	apdu[4] = (uint8_t)n;
	memmove(apdu + 5, data, n);
	if (le)
		apdu[5 + n] = 0x00;
	*len = total;
	return EUM_OK;
}

/* Digest §7.11 step 2: whty srchange SecondStoreDataApdu CRT. */
void eum_host_smsr_handover_crt(eum_host_smdp_crt *crt, uint8_t kvn)
{
	eum_host_smdp_crt_default(crt);
	crt->kvn = kvn;
}

/* Digest §7.11 step 1: 80 E2 09 00 3A01 <cert>. */
int eum_host_smsr_establish_cert(const uint8_t *cert, size_t cert_len, uint8_t *apdu, size_t cap, size_t *len)
{
	static const uint8_t hdr[4] = {0x80, 0xE2, 0x09, 0x00};
	uint8_t d[260];
	size_t n;
	int rc;

	rc = eum_host_smdp_build_3a01(cert, cert_len, d, sizeof(d), &n);
	if (rc != EUM_OK)
		return rc == EUM_ERR_BUFFER_TOO_SMALL ? EUM_ERR_INVALID_ARG : rc;
	return apdu4(hdr, d, n, 1, apdu, cap, len);
}

/* Digest §7.11 step 2: 80 E2 89 01 3A02 <A6> 7F49 <ePK.SR.ECKA> 5F37 <sig>. */
int eum_host_smsr_establish_keys(uint8_t curve, const uint8_t sk_sr[32], const eum_host_smdp_crt *crt,
                                 const uint8_t epk[65], const uint8_t *rc, size_t rc_len, eum_rng_fn rng, void *rng_ctx,
                                 uint8_t *apdu, size_t cap, size_t *len)
{
	static const uint8_t hdr[4] = {0x80, 0xE2, 0x89, 0x01};
	uint8_t d[260];
	size_t n;
	int r;

	if (!crt || crt->kvn == 0 || crt->kvn > KVN_SCP80 || crt->key_usage != 0x10)
		return EUM_ERR_INVALID_ARG;
	r = eum_host_smdp_build_3a02(curve, sk_sr, crt, epk, 0, rc, rc_len, rng, rng_ctx, d, sizeof(d), &n);
	if (r != EUM_OK)
		return r == EUM_ERR_BUFFER_TOO_SMALL ? EUM_ERR_INVALID_ARG : r;
	return apdu4(hdr, d, n, 1, apdu, cap, len);
}

/* Digest §7.11 steps 2-3: the receipt, then KIc / KID from KeyData (whty: bytes 16-31, 32-47). */
int eum_host_smsr_establish_finish(uint8_t curve, const uint8_t esk[32], const uint8_t pk_ecasd[65],
                                   const eum_host_smdp_crt *crt, eum_host_smdp_receipt variant, eum_rng_fn rng,
                                   void *rng_ctx, const uint8_t *resp, size_t resp_len,
                                   struct eum_host_scp80_keyset *keys)
{
	eum_host_smdp_keys k;
	int rc;

	if (!keys || !crt || crt->key_usage != 0x10)
		return EUM_ERR_INVALID_ARG;
	memset(keys, 0, sizeof(*keys));
	memset(&k, 0, sizeof(k));
	rc = eum_host_smdp_finish(curve, esk, pk_ecasd, crt, NULL, 0, variant, rng, rng_ctx, resp, resp_len, &k);
	if (rc == EUM_OK) {
		keys->kic.algo = EUM_HOST_SCP80_ALGO_AES;
		keys->kic.len = 16;
		memcpy(keys->kic.val, k.key[0], 16);
		keys->kid.algo = EUM_HOST_SCP80_ALGO_AES;
		keys->kid.len = 16;
		memcpy(keys->kid.val, k.key[1], 16);
	}
	eum_host_smdp_keys_wipe(&k);
	return rc;
}

/* Digest §7.11 step 4: 80 E4 00 00 05 F2 03 <KVN> 01 03 (njiwa). */
int eum_host_smsr_finalise_handover(uint8_t kvn, uint8_t *apdu, size_t cap, size_t *len)
{
	static const uint8_t hdr[4] = {0x80, 0xE4, 0x00, 0x00};
	const uint8_t d[5] = {0xF2, 0x03, kvn, KID_KIC, KID_KIK};

	if (kvn == 0 || kvn > KVN_SCP80)
		return EUM_ERR_INVALID_ARG;
	return apdu4(hdr, d, sizeof(d), 0, apdu, cap, len);
}
