/*
 * From installed profile elements to the card's OTA view: RFM instances
 * (SAIP PE-RFM, ETSI TS 102 226 §8) and the MNO-SD's SCP80 key sets (SAIP
 * PE-SecurityDomain keys; key identifier 1 = KIc, 2 = KID, TS 102 225 §5.1.2,
 * GP key types 80 DES family / 88 AES), and the MNO-SD as a GP security
 * domain: its instance AID and SCP03 key sets (GP Amendment D).
 */
#include "profile/saip_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

#define KEY_TYPE_DES 0x80
#define KEY_TYPE_AES 0x88
#define MAX_PACKAGE  (1u << 20)

static uint8_t algo_of(uint8_t type, uint8_t len)
{
	if (type == KEY_TYPE_DES)
		return len == 8    ? EUM_SCP80_ALGO_DES
		       : len == 16 ? EUM_SCP80_ALGO_TDES2
		       : len == 24 ? EUM_SCP80_ALGO_TDES3
		                   : 0;
	if (type == KEY_TYPE_AES)
		return len == 16   ? EUM_SCP80_ALGO_AES128
		       : len == 24 ? EUM_SCP80_ALGO_AES192
		       : len == 32 ? EUM_SCP80_ALGO_AES256
		                   : 0;
	return 0;
}

static struct eum_scp80_keyset *slot_for(struct eum_profile *prof, uint8_t kvn, size_t *idx)
{
	size_t i;

	for (i = 0; i < EUM_PROFILE_OTA_KEYSETS; i++)
		if (prof->ota_keys[i].kvn == kvn) {
			*idx = i;
			return &prof->ota_keys[i];
		}
	for (i = 0; i < EUM_PROFILE_OTA_KEYSETS; i++)
		if (prof->ota_keys[i].kvn == 0) {
			prof->ota_keys[i].kvn = kvn;
			*idx = i;
			return &prof->ota_keys[i];
		}
	return NULL;
}

/*
 * The MNO-SD as a GP security domain: the first securityDomain PE is the
 * MNO-SD (PE_Definitions 3.3.1); its AES keys (type 88) with a KVN in
 * 30..3F and key identifiers 1/2/3 are the SCP03 Key-ENC/MAC/DEK
 * (GP Amendment D §4.1.1, Table 4-1 KVN range). A key set is kept only
 * when its three keys are present with the same length.
 */
static void apply_mnosd(struct eum_profile *prof, const struct eum_saip_extras *x)
{
	struct eum_scp03_keyset ks[EUM_MNOSD_KEYSETS];
	uint8_t have[EUM_MNOSD_KEYSETS];
	size_t k, j, n = 0;

	eum_wipe(prof->mnosd_scp03, sizeof(prof->mnosd_scp03));
	prof->mnosd_aid_len = 0;
	memset(prof->mnosd_aid, 0, sizeof(prof->mnosd_aid));
	if (!x->n_sd || !x->sd[0].instance.len || x->sd[0].instance.len > EUM_AID_MAX)
		return;
	prof->mnosd_aid_len = x->sd[0].instance.len;
	memcpy(prof->mnosd_aid, x->sd[0].instance.b, x->sd[0].instance.len);
	memset(ks, 0, sizeof(ks));
	memset(have, 0, sizeof(have));
	for (k = 0; k < x->sd[0].n_keys; k++) {
		const struct eum_saip_key *key = &x->sd[0].keys[k];
		uint8_t *dst;
		if (key->type != KEY_TYPE_AES || key->kvn < 0x30 || key->kvn > 0x3F || key->kid < 1 || key->kid > 3 ||
		    (key->len != 16 && key->len != 24 && key->len != 32))
			continue;
		for (j = 0; j < n && ks[j].kvn != key->kvn; j++)
			;
		if (j == n) {
			if (n == EUM_MNOSD_KEYSETS)
				continue;
			ks[n].kvn = key->kvn;
			ks[n].key_len = key->len;
			n++;
		}
		if (ks[j].key_len != key->len)
			continue;
		dst = key->kid == 1 ? ks[j].key_enc : key->kid == 2 ? ks[j].key_mac : ks[j].key_dek;
		memcpy(dst, key->data, key->len);
		have[j] |= (uint8_t)(1u << key->kid);
	}
	for (j = 0, k = 0; j < n; j++)
		if (have[j] == 0x0E)
			prof->mnosd_scp03[k++] = ks[j];
	eum_wipe(ks, sizeof(ks));
}

/* TS 102 226 §8.2.1.3.2.5: an access domain the card does not know (another ADP, data of the wrong
 * length) is kept as "no access" (FF): it never grants more than the profile said. */
static void copy_ad(struct eum_rfm *r, int k, const uint8_t *v, size_t len)
{
	int ok = (len == 1 && (v[0] == 0x00 || v[0] == 0xFF)) || (len == 4 && v[0] == 0x02);

	r->ad_len[k] = ok ? (uint8_t)len : 1;
	if (ok)
		memcpy(r->ad[k], v, len);
	else
		r->ad[k][0] = 0xFF;
}

int eum_saip_apply_extras(struct eum_profile *prof, const struct eum_saip_extras *x)
{
	size_t i, k, n = 0;

	memset(prof->rfm, 0, sizeof(prof->rfm));
	for (i = 0; i < x->n_rfm; i++) {
		const struct eum_saip_rfm *f = &x->rfm[i];
		size_t ntar = f->n_tars ? f->n_tars : 1;
		for (k = 0; k < ntar && n < EUM_PROFILE_RFM; k++, n++) {
			struct eum_rfm *r = &prof->rfm[n];
			r->in_use = 1;
			if (f->n_tars)
				memcpy(r->tar, f->tars[k], 3);
			else if (f->instance.len >= 15)
				memcpy(r->tar, f->instance.b + 12, 3); /* TS 101 220: TAR from the AID */
			r->msl = f->msl;
			copy_ad(r, EUM_RFM_AD_UICC, f->access, f->access_len);
			copy_ad(r, EUM_RFM_AD_ADMIN, f->admin, f->admin_len);
			if (f->has_adf && f->adf.len <= EUM_AID_MAX) {
				r->adf_aid_len = (uint8_t)f->adf.len;
				memcpy(r->adf_aid, f->adf.b, f->adf.len);
				copy_ad(r, EUM_RFM_AD_ADF, f->adf_access, f->adf_access_len);
				copy_ad(r, EUM_RFM_AD_ADF_ADMIN, f->adf_admin, f->adf_admin_len);
			}
		}
	}
	memset(prof->ota_keys, 0, sizeof(prof->ota_keys));
	memset(prof->ota_cntr, 0, sizeof(prof->ota_cntr));
	for (i = 0; i < x->n_sd; i++) {
		for (k = 0; k < x->sd[i].n_keys; k++) {
			const struct eum_saip_key *key = &x->sd[i].keys[k];
			struct eum_scp80_keyset *ks;
			uint8_t algo = algo_of(key->type, key->len);
			size_t idx;
			if (!algo || key->kvn < 1 || key->kvn > 15 || (key->kid != 1 && key->kid != 2))
				continue; /* not an SCP80 KIc/KID (e.g. a DEK, an SCP03 or SCP81 key) */
			ks = slot_for(prof, key->kvn, &idx);
			if (!ks)
				continue;
			if (key->kid == 1) {
				ks->kic.algo = algo;
				memcpy(ks->kic.val, key->data, key->len);
			} else {
				ks->kid.algo = algo;
				memcpy(ks->kid.val, key->data, key->len);
			}
			if (key->counter_len >= EUM_SCP80_CNTR_LEN)
				memcpy(prof->ota_cntr[idx].v, key->counter + key->counter_len - EUM_SCP80_CNTR_LEN,
				       EUM_SCP80_CNTR_LEN);
		}
	}
	apply_mnosd(prof, x);
	return EUM_OK;
}

int eum_saip_install_mem(struct eum_profile *prof, const uint8_t *der, size_t len, uint8_t *pol1,
                         struct eum_saip_result *res)
{
	struct eum_saip_extras *x = calloc(1, sizeof(*x)); /* transient: wiped and freed below */
	int rc;

	*pol1 = 0;
	if (!x)
		return EUM_ERR_NO_MEMORY;
	rc = eum_saip_install_ex(prof, x, der, len, 0, res);
	if (rc == EUM_OK) {
		eum_saip_apply_extras(prof, x);
		if (x->pol_len)
			*pol1 = x->pol[0];
	}
	eum_saip_extras_wipe(x);
	free(x);
	return rc;
}

int eum_saip_install_file(struct eum_profile *prof, const char *path, uint8_t *pol1, struct eum_saip_result *res)
{
	uint8_t *der = NULL;
	FILE *f;
	long size;
	int rc;

	*pol1 = 0;
	f = fopen(path, "rb");
	if (!f)
		return EUM_ERR_IO;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 || (unsigned long)size > MAX_PACKAGE ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return EUM_ERR_IO;
	}
	der = malloc((size_t)size); /* transient: freed below */
	if (!der || fread(der, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(der);
		return der ? EUM_ERR_IO : EUM_ERR_NO_MEMORY;
	}
	fclose(f);
	rc = eum_saip_install_mem(prof, der, (size_t)size, pol1, res);
	eum_wipe(der, (size_t)size); /* the package holds keys */
	free(der);
	return rc;
}
