/*
 * GlobalPlatform PUT KEY for SCP03 key sets (GP Card Specification v2.3
 * §11.8, key data field Tables 11-68 to 11-71; Amendment D §7.2: AES keys
 * encrypted with the static Key-DEK of the current session, key check value
 * = the first 3 bytes of AES(key, 01…01)). The key sets are those of the SD
 * the channel addresses: the ISD-R's vendor set or the ISD-P's own.
 *
 * PUT KEY also adds or replaces the ISD-R's SCP81 TLS pre-shared keys (GP Amendment B, key type
 * 85, KVN 40-4F; spec digest scp81-https.md §3.4). [IMPL] The key component is ciphered in CBC mode
 * with a zero ICV (Table 11-71, or Table 11-70 with a length byte when it does not fill whole
 * blocks) by: over SCP80 (an ES5 script on the ISD-R TAR), the KIK (key id 03, AES or 3DES) of the
 * SCP80 key set that secures the packet (ETSI TS 102 226 RAM practice; a set without a KIK cannot
 * carry keys: 6982); over the ISD-R's own SCP03 session, the static Key-DEK (AES). A KCV, when given, is AES(PSK,
 * 01…01) and needs a PSK of 16, 24 or 32 bytes. Keys are never logged.
 */
#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "gp/gp.h"
#include "ota/ota.h"
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

static int aes_key_len(size_t n)
{
	return n == 16 || n == 24 || n == 32;
}

/* The key that deciphers key components: AES (Key-DEK, AES KIK) or 3DES (a 3DES KIK), CBC, zero ICV. */
struct wrap_key {
	const uint8_t *key;
	size_t len;
	int des; /* 3DES, 8-byte blocks */
};

/* One key data field (GPCS Table 11-68): type, key component block, KCV. The
 * block is the DEK-encrypted key (Table 11-71) or, when its length is not a
 * multiple of 16, a key length byte then the encrypted padded key (Table 11-70).
 * Decrypts into key (32 bytes of room). type: the key type expected (88 AES, or
 * 85 TLS PSK of min_len..32 bytes). Returns 0 or the SW. */
static uint16_t parse_key(const uint8_t *d, size_t n, size_t *off, uint8_t type, size_t min_len,
                          const struct wrap_key *w, uint8_t *key, size_t *key_len)
{
	const size_t block = w->des ? 8 : 16;
	static const uint8_t zero_iv[16];
	uint8_t plain[48], kcv[KCV_LEN];
	const uint8_t *kcb, *ct;
	size_t kcb_len, ct_len, klen, p = *off;
	uint16_t sw = 0;

	if (n - p < 2)
		return EUM_SW_INCORRECT_DATA;
	if (d[p] != type)
		return EUM_SW_GP_ALGORITHM_NOT_SUPPORTED;
	kcb_len = d[p + 1];
	p += 2;
	if (kcb_len > 0x80 || kcb_len > n - p) /* 81 xx lengths are never needed for AES keys */
		return EUM_SW_INCORRECT_DATA;
	kcb = d + p;
	p += kcb_len;
	if (kcb_len % block == 0) {
		ct = kcb;
		ct_len = klen = kcb_len;
	} else {
		if (kcb_len < 1)
			return EUM_SW_INCORRECT_DATA;
		klen = kcb[0];
		ct = kcb + 1;
		ct_len = kcb_len - 1;
		if (ct_len % block || klen > ct_len)
			return EUM_SW_INCORRECT_DATA;
	}
	if ((type == KEY_TYPE_AES ? !aes_key_len(klen) : klen < min_len || klen > 32) || ct_len > sizeof(plain))
		return EUM_SW_INCORRECT_DATA;
	if (n - p < 1 || (d[p] != 0 && d[p] != KCV_LEN) || n - p - 1 < d[p])
		return EUM_SW_INCORRECT_DATA;
	if (d[p] == KCV_LEN && !aes_key_len(klen))
		return EUM_SW_INCORRECT_DATA; /* [IMPL] a KCV is AES(key, 01..01): only for AES key lengths */
	if ((w->des ? eum_des_cbc(0, w->key, w->len, zero_iv, ct, ct_len, plain)
	            : eum_aes_cbc(0, w->key, w->len, zero_iv, ct, ct_len, plain)) != EUM_OK) {
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

static int scp81_kvn(uint8_t kvn)
{
	return kvn >= EUM_SCP81_KVN_MIN && kvn <= EUM_SCP81_KVN_MAX;
}

/* The key that encrypts key components sent to the ISD-R on this channel (see the top of the
 * file): the KIK (AES or 3DES) of the SCP80 key set securing the packet, or the ISD-R SCP03
 * session's Key-DEK. 0 when there is none. */
static int isdr_wrap_key(const struct eum_card *card, const struct eum_channel *ch, struct wrap_key *w)
{
	const struct eum_isdr *d = &card->ps->isdr;
	uint32_t in_use;
	size_t i;

	if (ch->ota) {
		in_use = eum_ota_isdr_sets_in_use(card);
		for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++) {
			const struct eum_scp80_key *k = &d->scp80[i].kik;
			if (!((in_use >> i) & 1u) || !d->scp80[i].kvn || k->algo == EUM_SCP80_ALGO_NONE ||
			    k->algo == EUM_SCP80_ALGO_DES)
				continue; /* no KIK, or single DES (not offered for key transport) */
			w->key = k->val;
			w->len = eum_scp80_algo_keylen(k->algo);
			w->des = k->algo == EUM_SCP80_ALGO_TDES2 || k->algo == EUM_SCP80_ALGO_TDES3;
			return 1;
		}
		return 0;
	}
	if (ch->scp03->state == EUM_SCP03_STATE_AUTHENTICATED && d->scp03[0].key_len &&
	    d->scp03[0].kvn == ch->scp03->kvn) {
		w->key = d->scp03[0].key_dek;
		w->len = d->scp03[0].key_len;
		w->des = 0;
		return 1;
	}
	return 0;
}

/* PUT KEY of an ISD-R SCP81 TLS PSK, GPCS §11.8 with key type 85 (GP Amd B; digest scp81-https.md §3.4).
 * P1 = KVN to replace (0: add), P2 = key identifier (b8, "more keys", accepted; one key per command). */
static uint16_t put_key_scp81(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a,
                              struct eum_rsp *r)
{
	struct eum_scp81_psk *sets = card->ps->isdr.scp81, *dst = NULL;
	uint8_t old_kvn = a->p1 & 0x7F, kid = a->p2 & 0x7F, new_kvn, key[32], kcv[KCV_LEN];
	struct wrap_key wrap;
	size_t off = 1, klen = 0, i;
	uint16_t sw;

	if ((a->p1 & 0x80) || (old_kvn && !scp81_kvn(old_kvn)) || kid == 0)
		return EUM_SW_INCORRECT_P1P2;
	if (!isdr_wrap_key(card, ch, &wrap)) {
		eum_log(card, EUM_LOG_INFO, "PUT KEY: SCP81 key refused, no key encryption key on this channel");
		return EUM_SW_SECURITY_STATUS_NOT_SATISFIED;
	}
	if (a->lc < 1 || !scp81_kvn(a->data[0]))
		return EUM_SW_INCORRECT_DATA;
	new_kvn = a->data[0];
	for (i = 0; i < EUM_ISDR_SCP81_KEYS; i++) {
		if (!sets[i].kvn || sets[i].kid != kid)
			continue;
		if (old_kvn && sets[i].kvn == old_kvn)
			dst = &sets[i];
		else if (sets[i].kvn == new_kvn)
			return EUM_SW_INCORRECT_DATA; /* the new KVN names another key */
	}
	if (old_kvn && !dst)
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	for (i = 0; i < EUM_ISDR_SCP81_KEYS && !dst; i++)
		if (!sets[i].kvn)
			dst = &sets[i];
	if (!dst)
		return EUM_SW_NOT_ENOUGH_MEMORY;
	sw = parse_key(a->data, a->lc, &off, EUM_SCP81_KEY_TYPE, EUM_SCP81_PSK_MIN, &wrap, key, &klen);
	if (!sw && off != a->lc)
		sw = EUM_SW_INCORRECT_DATA; /* one key per command */
	if (!sw && (klen > sizeof(key) || klen > sizeof(dst->psk)))
		sw = EUM_SW_INCORRECT_DATA; /* parse_key bounds it already; stated here for the optimiser */
	if (!sw && r->cap < 1 + KCV_LEN)
		sw = EUM_SW_TECHNICAL_PROBLEM;
	if (!sw && aes_key_len(klen) && aes_kcv(key, klen, kcv) != EUM_OK)
		sw = EUM_SW_TECHNICAL_PROBLEM;
	if (!sw) {
		int replaced = dst->kvn != 0;
		eum_wipe(dst, sizeof(*dst));
		dst->kvn = new_kvn;
		dst->kid = kid;
		dst->type = EUM_SCP81_KEY_TYPE;
		dst->len = (uint8_t)klen;
		memcpy(dst->psk, key, klen);
		/* response: KVN, then the KCV when the key has one (GPCS §11.8.3.1) */
		r->data[0] = new_kvn;
		r->len = 1;
		if (aes_key_len(klen)) {
			memcpy(r->data + 1, kcv, KCV_LEN);
			r->len += KCV_LEN;
		}
		eum_log(card, EUM_LOG_INFO, "PUT KEY: SCP81 PSK KVN %02X key id %02X %s (%zu bytes)", new_kvn, kid,
		        replaced ? "replaced" : "added", klen);
	}
	eum_wipe(key, sizeof(key));
	eum_wipe(kcv, sizeof(kcv));
	return sw ? sw : EUM_SW_OK;
}

/* PUT KEY, GPCS §11.8 / Amd D §7.2 (SCP03 key sets of the addressed SD) */
uint16_t eum_gp_put_key(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_scp03_keyset *sets, *dst = NULL, nks;
	const struct eum_scp03_keyset *cur = NULL;
	struct wrap_key dek;
	const uint8_t *aid;
	uint8_t keys[KEYS_PER_SET][EUM_SCP03_KEY_MAX], old_kvn = a->p1 & 0x7F, new_kvn;
	size_t n, i, off = 1, klen[KEYS_PER_SET] = {0};
	uint16_t sw = 0;

	/* administration: key sets live in the ISD-R, the ISD-P headers and the enabled profile's MNO-SD */
	eum_store_dirty_admin(card);
	eum_store_dirty_prof(card, card->prof, EUM_PS_MNOSD);
	/* the ISD-R's SCP81 keys: new or old KVN in 40-4F */
	if (ch->app == EUM_APP_ISDR && ((a->lc >= 1 && scp81_kvn(a->data[0])) || scp81_kvn(a->p1 & 0x7F)))
		return put_key_scp81(card, ch, a, r);
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
	dek = (struct wrap_key){cur->key_dek, cur->key_len, 0};
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
		sw = parse_key(a->data, a->lc, &off, KEY_TYPE_AES, 16, &dek, keys[i], &klen[i]);
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

/* The ISD-R's SCP81 PSK for the HTTPS agent (src/ota/scp81.c): KVN and key id as the trigger or
 * the SGP.02 identity name them; 0 = the first key in use. */
int eum_isdr_scp81_psk(const struct eum_card *card, uint8_t kvn, uint8_t kid, uint8_t *psk, size_t cap, size_t *len)
{
	const struct eum_scp81_psk *sets;
	size_t i;

	if (!card || !psk || !len)
		return EUM_ERR_INVALID_ARG;
	sets = card->ps->isdr.scp81;
	for (i = 0; i < EUM_ISDR_SCP81_KEYS; i++) {
		if (!sets[i].kvn || (kvn && sets[i].kvn != kvn) || (kid && sets[i].kid != kid))
			continue;
		if (cap < sets[i].len)
			return EUM_ERR_BUFFER_TOO_SMALL;
		memcpy(psk, sets[i].psk, sets[i].len);
		*len = sets[i].len;
		return EUM_OK;
	}
	return EUM_ERR_NOT_FOUND;
}
