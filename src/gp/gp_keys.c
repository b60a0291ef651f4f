/*
 * GlobalPlatform PUT KEY for SCP03 key sets (GP Card Specification v2.3
 * §11.8, key data field Tables 11-68 to 11-71; Amendment D §7.2: AES keys
 * encrypted with the static Key-DEK of the current session, key check value
 * = the first 3 bytes of AES(key, 01…01)). The key sets are those of the SD
 * the channel addresses: the ISD-R's vendor set or the ISD-P's own.
 */
#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "gp/gp.h"
#include "store/store.h"

#define KEY_TYPE_AES 0x88
#define KCV_LEN      3
#define KEYS_PER_SET 3 /* Key-ENC, Key-MAC, Key-DEK = key ids 01, 02, 03 */

/* Amd D §7.2: KCV = AES(key, 16 × 01), first 3 bytes. */
static int aes_kcv(const uint8_t *key, size_t len, uint8_t kcv[KCV_LEN])
{
	static const uint8_t ones[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	uint8_t out[16];
	int rc = eum_aes_encrypt_block(key, len, ones, out);

	memcpy(kcv, out, KCV_LEN);
	eum_wipe(out, sizeof(out));
	return rc;
}

/* One key data field (GPCS Table 11-68): type, key component block, KCV. The
 * block is the DEK-encrypted key (Table 11-71) or, when its length is not a
 * multiple of 16, a key length byte then the encrypted padded key (Table 11-70).
 * Decrypts into key (32 bytes of room). Returns 0 or the SW. */
static uint16_t parse_key(const uint8_t *d, size_t n, size_t *off, const uint8_t *dek, size_t dek_len, uint8_t *key,
                          size_t *key_len)
{
	static const uint8_t zero_iv[16];
	uint8_t plain[48], kcv[KCV_LEN];
	const uint8_t *kcb, *ct;
	size_t kcb_len, ct_len, klen, p = *off;
	uint16_t sw = 0;

	if (n - p < 2)
		return EUM_SW_INCORRECT_DATA;
	if (d[p] != KEY_TYPE_AES)
		return EUM_SW_GP_ALGORITHM_NOT_SUPPORTED;
	kcb_len = d[p + 1];
	p += 2;
	if (kcb_len > 0x80 || kcb_len > n - p) /* 81 xx lengths are never needed for AES keys */
		return EUM_SW_INCORRECT_DATA;
	kcb = d + p;
	p += kcb_len;
	if (kcb_len % 16 == 0) {
		ct = kcb;
		ct_len = klen = kcb_len;
	} else {
		if (kcb_len < 1)
			return EUM_SW_INCORRECT_DATA;
		klen = kcb[0];
		ct = kcb + 1;
		ct_len = kcb_len - 1;
		if (ct_len % 16 || klen > ct_len)
			return EUM_SW_INCORRECT_DATA;
	}
	if ((klen != 16 && klen != 24 && klen != 32) || ct_len > sizeof(plain))
		return EUM_SW_INCORRECT_DATA;
	if (n - p < 1 || (d[p] != 0 && d[p] != KCV_LEN) || n - p - 1 < d[p])
		return EUM_SW_INCORRECT_DATA;
	if (eum_aes_cbc(0, dek, dek_len, zero_iv, ct, ct_len, plain) != EUM_OK) {
		sw = EUM_SW_TECHNICAL_PROBLEM;
		goto out;
	}
	if (d[p] == KCV_LEN) {
		if (aes_kcv(plain, klen, kcv) != EUM_OK) {
			sw = EUM_SW_TECHNICAL_PROBLEM;
			goto out;
		}
		if (eum_ct_memcmp(kcv, d + p + 1, KCV_LEN) != 0) {
			sw = EUM_SW_GP_INVALID_KEY_CHECK_VALUE;
			goto out;
		}
	}
	p += 1 + d[p];
	memcpy(key, plain, klen);
	*key_len = klen;
	*off = p;
out:
	eum_wipe(plain, sizeof(plain));
	eum_wipe(kcv, sizeof(kcv));
	return sw;
}

/* PUT KEY, GPCS §11.8 / Amd D §7.2 (SCP03 key sets of the addressed SD) */
uint16_t eum_gp_put_key(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_scp03_keyset *sets, *dst = NULL, nks;
	const struct eum_scp03_keyset *cur = NULL;
	const uint8_t *aid;
	uint8_t keys[KEYS_PER_SET][EUM_SCP03_KEY_MAX], old_kvn = a->p1 & 0x7F, new_kvn;
	size_t n, i, off = 1, klen[KEYS_PER_SET] = {0};
	uint16_t sw = 0;

	/* administration: key sets live in the ISD-R, the ISD-P headers and the enabled profile's MNO-SD */
	eum_store_dirty_admin(card);
	eum_store_dirty_prof(card, card->prof, EUM_PS_MNOSD);
	/* P1 b8 = 1 announces further PUT KEY commands; P2 = 81: several keys from key id 01 [IMPL: whole sets only] */
	if ((a->p1 & 0x80) || a->p2 != 0x81)
		return EUM_SW_INCORRECT_P1P2;
	/* the key data is encrypted with the DEK of the SCP03 session (Amd D §7.2) */
	if (ch->scp03->state != EUM_SCP03_STATE_AUTHENTICATED)
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	sets = eum_gp_sd_keysets(card, ch, &n, &aid);
	for (i = 0; i < n; i++)
		if (sets[i].key_len && sets[i].kvn == ch->scp03->kvn)
			cur = &sets[i];
	if (!cur)
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	if (a->lc < 1)
		return EUM_SW_INCORRECT_DATA;
	new_kvn = a->data[0];
	if (new_kvn == 0x00 || new_kvn > 0x7F)
		return EUM_SW_INCORRECT_DATA;
	for (i = 0; i < n; i++) {
		if (!sets[i].key_len)
			continue;
		if (old_kvn && sets[i].kvn == old_kvn)
			dst = &sets[i];
		else if (sets[i].kvn == new_kvn)
			return EUM_SW_INCORRECT_DATA; /* the new KVN names another key set */
	}
	if (old_kvn && !dst)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	if (!old_kvn) {
		for (i = 0; i < n && !dst; i++)
			if (!sets[i].key_len)
				dst = &sets[i];
		if (!dst)
			return EUM_SW_NOT_ENOUGH_MEMORY;
	}

	for (i = 0; i < KEYS_PER_SET && !sw; i++)
		sw = parse_key(a->data, a->lc, &off, cur->key_dek, cur->key_len, keys[i], &klen[i]);
	if (!sw && (off != a->lc || klen[1] != klen[0] || klen[2] != klen[0]))
		sw = EUM_SW_INCORRECT_DATA;
	if (!sw && r->cap < 1 + KEYS_PER_SET * KCV_LEN)
		sw = EUM_SW_TECHNICAL_PROBLEM;
	if (!sw) {
		memset(&nks, 0, sizeof(nks));
		nks.kvn = new_kvn;
		nks.key_len = (uint8_t)klen[0];
		memcpy(nks.key_enc, keys[0], klen[0]);
		memcpy(nks.key_mac, keys[1], klen[0]);
		memcpy(nks.key_dek, keys[2], klen[0]);
		/* response: KVN then the KCV of each key (GPCS §11.8.3.1) */
		r->data[0] = new_kvn;
		for (i = 0; i < KEYS_PER_SET && !sw; i++)
			if (aes_kcv(keys[i], klen[0], r->data + 1 + i * KCV_LEN) != EUM_OK)
				sw = EUM_SW_TECHNICAL_PROBLEM;
	}
	if (!sw) {
		/* new keys, new sequence counter; a session under the old keys keeps its session keys */
		*dst = nks;
		r->len = 1 + KEYS_PER_SET * KCV_LEN;
		eum_log(card, EUM_LOG_INFO, "PUT KEY: SCP03 key set %02X %s (AES-%u)", new_kvn,
		        old_kvn ? "replaced" : "added", (unsigned)klen[0] * 8);
	}
	eum_wipe(keys, sizeof(keys));
	eum_wipe(&nks, sizeof(nks));
	return sw ? sw : EUM_SW_OK;
}
