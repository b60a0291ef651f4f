/*
 * SGP.02 SCP03t (digest sgp02-euicc.md §8.2, scp03.md §6), card side: the tunnelled SCP03 session of the
 * SM-DP with an ISD-P (TLVs 84 / 85 / 86 inside ES8 remote scripts) and the profile download it carries,
 * fed segment by segment to the streaming Profile Package installer. See scp03t.h for the state machine.
 */
#include "sgp02/scp03t.h"
#include "sgp02/es8.h"

#include <stdlib.h>
#include <string.h>

#include "core/sw.h"
#include "crypto/crypto.h"
#include "gp/gp.h"
#include "profile/saip_apply.h"
#include "util/tlv.h"
#include "store/store.h"

#define IU_DATA_LEN   10 /* 84 0A: KVN, key id, host challenge (8) */
#define EA_DATA_LEN   17 /* 85 11: SL, host cryptogram (8), C-MAC (8) */
#define MAC_LEN       8
#define CHUNK         256    /* decryption work block (a multiple of 16) */
#define RSP_DATA_MAX  256    /* EUICCResponse room before R-ENC padding */
#define ST_CONDITIONS 0x6985 /* ISO SW 6985 as a PEStatus integer (profile-package.md §5) */

static void dl_free(struct eum_scp03t *d)
{
	if (!d)
		return;
	eum_scp03_session_close(&d->s);
	if (d->inst) {
		eum_saip_installer_free(d->inst);
		eum_wipe(d->inst, sizeof(*d->inst));
		free(d->inst);
	}
	if (d->ext) {
		eum_saip_extras_wipe(d->ext);
		free(d->ext);
	}
	eum_wipe(d, sizeof(*d));
	free(d);
}

void eum_scp03t_end(struct eum_card *card)
{
	dl_free(card->es8->dl);
	card->es8->dl = NULL;
}

/* Write one TLV (tag of 1 or 2 bytes) if it fits; *rlen = its full length either way. */
static void put_tlv(uint16_t tag, const uint8_t *v1, size_t n1, const uint8_t *v2, size_t n2, uint8_t *rsp, size_t cap,
                    size_t *rlen)
{
	uint8_t hdr[6];
	struct eum_buf h;

	eum_buf_init(&h, hdr, sizeof(hdr));
	if (tag > 0xFF)
		eum_buf_u8(&h, (uint8_t)(tag >> 8));
	eum_buf_u8(&h, (uint8_t)tag);
	eum_buf_ber_len(&h, n1 + n2);
	*rlen = h.len + n1 + n2;
	if (*rlen > cap)
		return;
	memcpy(rsp, hdr, h.len);
	if (n1)
		memcpy(rsp + h.len, v1, n1);
	if (n2)
		memcpy(rsp + h.len + n1, v2, n2);
}

/* Digest §8.2: 9F || (command tag - 40), 01, code; the session ends. */
static int fatal(struct eum_card *card, uint8_t tag, uint8_t code, uint8_t *rsp, size_t cap, size_t *rlen)
{
	uint8_t v = code;

	eum_log(card, EUM_LOG_INFO, "SCP03t: %02X refused (9F%02X 01 %02X), session ended", tag, tag - 0x40, code);
	eum_scp03t_end(card);
	put_tlv((uint16_t)(0x9F00 | (uint8_t)(tag - 0x40)), &v, 1, NULL, 0, rsp, cap, rlen);
	return EUM_SCP03T_FATAL;
}

/* 84: INITIALIZE UPDATE, SGP.02 §4.1.3.3 (GP Amd D §7.1.1 in TLV form) */
static int init_update(struct eum_card *card, int isdp, const uint8_t *val, size_t len, uint8_t *rsp, size_t cap,
                       size_t *rlen)
{
	struct eum_isdp *p = card->ps->isdp[isdp];
	struct eum_vchannel tmp;
	struct eum_scp03t *d;
	struct eum_apdu a;
	struct eum_rsp r;
	uint8_t raw[5 + 8], out[EUM_SCP03_IU_RSP_MAX + 8];
	uint16_t sw;

	/* a new session replaces the one in progress (and its installation) */
	eum_scp03t_end(card);
	if (len != IU_DATA_LEN)
		return fatal(card, EUM_SCP03T_TAG_INIT_UPDATE, EUM_SCP03T_ERR_LENGTH, rsp, cap, rlen);
	/* the GP handler on a stand-in ISD-P channel: same key set choice, challenge and counter rules.
	 * The key identifier is not checked [IMPL]: whty sends 00, njiwa the CRT's KID. */
	raw[0] = 0x80;
	raw[1] = 0x50;
	raw[2] = val[0];
	raw[3] = 0x00;
	raw[4] = 0x08;
	memcpy(raw + 5, val + 2, 8);
	eum_vchannel_init(&tmp);
	tmp.ch.open = 1;
	tmp.ch.ota = 1;
	tmp.ch.app = EUM_APP_ISDP;
	tmp.ch.isdp = (uint8_t)isdp;
	memset(&a, 0, sizeof(a));
	a.cla = 0x80;
	a.ins = 0x50;
	a.p1 = val[0];
	a.data = raw + 5;
	a.lc = 8;
	a.cases = EUM_CASE3;
	a.raw = raw;
	a.raw_len = sizeof(raw);
	r.data = out;
	r.cap = sizeof(out);
	r.len = 0;
	sw = eum_gp_initialize_update(card, &tmp.ch, &a, &r);
	if (sw != EUM_SW_OK || r.len != EUM_SCP03_IU_RSP_MAX) {
		eum_scp03_session_close(&tmp.scp03);
		return fatal(card, EUM_SCP03T_TAG_INIT_UPDATE,
		             sw == EUM_SW_REFERENCED_DATA_NOT_FOUND ? EUM_SCP03T_ERR_NOT_FOUND
		             : sw == EUM_SW_WRONG_LENGTH            ? EUM_SCP03T_ERR_LENGTH
		                                                    : EUM_SCP03T_ERR_SECURITY,
		             rsp, cap, rlen);
	}
	/* the moved sequence counter is stored before the card challenge leaves (Amd D §6.2.2.1):
	 * written now, inside the APDU; on failure the APDU answers 6581 without output (apdu.c) */
	if (eum_store_commit_now(card) != EUM_OK) {
		eum_scp03_session_close(&tmp.scp03);
		return fatal(card, EUM_SCP03T_TAG_INIT_UPDATE, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);
	}
	d = calloc(1, sizeof(*d)); /* owned by card->es8->dl until eum_scp03t_end() */
	if (!d) {
		eum_scp03_session_close(&tmp.scp03);
		return fatal(card, EUM_SCP03T_TAG_INIT_UPDATE, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);
	}
	d->state = EUM_SCP03T_INIT_DONE;
	d->isdp = (uint8_t)isdp;
	memcpy(d->aid, p->aid, sizeof(d->aid));
	d->s = tmp.scp03;
	eum_scp03_session_close(&tmp.scp03);
	card->es8->dl = d;
	put_tlv(EUM_SCP03T_TAG_INIT_UPDATE, out, r.len, NULL, 0, rsp, cap, rlen);
	eum_log(card, EUM_LOG_INFO, "SCP03t: INITIALIZE UPDATE with key set %02X of ISD-P %d", d->s.kvn, isdp);
	return EUM_SCP03T_CONSUMED;
}

/* 85: EXTERNAL AUTHENTICATE, SGP.02 §4.1.3.3 (GP Amd D §7.1.2 in TLV form; MAC over 85 11 SL hcrypt) */
static int ext_auth(struct eum_card *card, int isdp, const uint8_t *val, size_t len, uint8_t *rsp, size_t cap,
                    size_t *rlen)
{
	struct eum_scp03t *d = card->es8->dl;
	uint8_t ctx[2 * EUM_SCP03_S8], hcrypt[EUM_SCP03_S8], mac[16], hdr[3];
	int ok;

	if (!d || d->state != EUM_SCP03T_INIT_DONE || d->isdp != isdp)
		return fatal(card, EUM_SCP03T_TAG_EXT_AUTH, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);
	if (len != EA_DATA_LEN || val[0] != EUM_SCP03T_SL)
		return fatal(card, EUM_SCP03T_TAG_EXT_AUTH, EUM_SCP03T_ERR_LENGTH, rsp, cap, rlen);
	memcpy(ctx, d->s.host_challenge, EUM_SCP03_S8);
	memcpy(ctx + EUM_SCP03_S8, d->s.card_challenge, EUM_SCP03_S8);
	ok = eum_scp03_kdf(d->s.s_mac, d->s.key_len, EUM_SCP03_DDC_HOST_CRYPTOGRAM, ctx, sizeof(ctx), hcrypt,
	                   sizeof(hcrypt)) == EUM_OK &&
	     eum_ct_memcmp(hcrypt, val + 1, EUM_SCP03_S8) == 0;
	if (ok) {
		/* the MAC chain starts from 16 x 00 with this command (Amd D §6.2.4) */
		memset(d->s.mcv, 0, sizeof(d->s.mcv));
		hdr[0] = EUM_SCP03T_TAG_EXT_AUTH;
		hdr[1] = (uint8_t)len;
		hdr[2] = val[0];
		ok = eum_scp03_cmac_chain(&d->s, hdr, sizeof(hdr), val + 1, EUM_SCP03_S8, mac) == EUM_OK &&
		     eum_ct_memcmp(mac, val + 1 + EUM_SCP03_S8, MAC_LEN) == 0;
	}
	eum_wipe(hcrypt, sizeof(hcrypt));
	eum_wipe(mac, sizeof(mac));
	if (!ok)
		return fatal(card, EUM_SCP03T_TAG_EXT_AUTH, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);
	d->s.state = EUM_SCP03_STATE_AUTHENTICATED;
	d->s.sl = EUM_SCP03T_SL;
	d->s.enc_counter = 0;
	d->state = EUM_SCP03T_OPEN;
	put_tlv(EUM_SCP03T_TAG_EXT_AUTH, NULL, 0, NULL, 0, rsp, cap, rlen);
	eum_log(card, EUM_LOG_INFO, "SCP03t: session open (security level 33)");
	return EUM_SCP03T_CONSUMED;
}

/* The 86 answer carrying the EUICCResponse: R-ENC then R-MAC (digest §8.2). The session is DONE after it. */
static int answer_result(struct eum_card *card, const struct eum_saip_result *res, uint8_t *rsp, size_t cap,
                         size_t *rlen)
{
	struct eum_scp03t *d = card->es8->dl;
	uint8_t buf[RSP_DATA_MAX + 16], hdr[4], mac[16];
	struct eum_buf h;
	size_t n = 0;
	int rc;

	rc = eum_saip_encode_result(res, buf, RSP_DATA_MAX, &n);
	if (rc == EUM_OK)
		rc = eum_scp03_encrypt(&d->s, EUM_SCP03T_RENC_ICV == EUM_SCP03T_RENC_ICV_GP, buf, &n, sizeof(buf));
	eum_buf_init(&h, hdr, sizeof(hdr));
	eum_buf_u8(&h, EUM_SCP03T_TAG_SEGMENT);
	eum_buf_ber_len(&h, n + MAC_LEN);
	if (rc == EUM_OK) {
		if (EUM_SCP03T_RMAC_INPUT == EUM_SCP03T_RMAC_TLV)
			rc = eum_scp03_rmac(&d->s, hdr, h.len, buf, n, mac);
		else
			rc = eum_scp03_rmac(&d->s, buf, n, (const uint8_t *)"\x90\x00", 2, mac);
	}
	if (rc != EUM_OK)
		return fatal(card, EUM_SCP03T_TAG_SEGMENT, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);
	put_tlv(EUM_SCP03T_TAG_SEGMENT, buf, n, mac, MAC_LEN, rsp, cap, rlen);
	eum_wipe(mac, sizeof(mac));
	d->state = EUM_SCP03T_DONE;
	/* the installation is over either way: release the installer now */
	if (d->inst) {
		eum_saip_installer_free(d->inst);
		eum_wipe(d->inst, sizeof(*d->inst));
		free(d->inst);
		d->inst = NULL;
	}
	if (d->ext) {
		eum_saip_extras_wipe(d->ext);
		free(d->ext);
		d->ext = NULL;
	}
	return EUM_SCP03T_CONSUMED;
}

/* A result with one status and the aborted flag (a refusal that is not a PE's). */
static void single_status(struct eum_saip_result *res, long status)
{
	memset(res, 0, sizeof(*res));
	res->n_st = 1;
	res->st[0].status = status;
	res->st[0].identification = res->st[0].additional_information = res->st[0].offset = -1;
	res->aborted = 1;
	res->status = status;
	res->identification = -1;
}

/* The ISD-P can receive a profile: the same instance, PERSONALIZED, empty (SGP.02 §8.2). */
static int isdp_ready(const struct eum_card *card, const struct eum_scp03t *d)
{
	const struct eum_isdp *p = card->ps->isdp[d->isdp];

	return p->in_use && memcmp(p->aid, d->aid, sizeof(d->aid)) == 0 && !p->has_profile &&
	       eum_isdp_transition_allowed(card, d->isdp, EUM_ISDP_EV_PROFILE_INSTALLED) == EUM_OK;
}

/* SGP.02 §8.2 step 4: the end PE was processed: the profile goes into the ISD-P, which becomes DISABLED. */
static void commit_profile(struct eum_card *card, struct eum_scp03t *d, struct eum_saip_result *res)
{
	struct eum_isdp *p = card->ps->isdp[d->isdp];
	const struct eum_saip_extras *x = d->ext;

	if (!isdp_ready(card, d)) {
		/* the ISD-P changed during the download (e.g. deleted by the SM-SR) */
		single_status(res, ST_CONDITIONS);
		return;
	}
	if (eum_saip_installer_finish(d->inst, &p->prof, d->ext, res) != EUM_OK) {
		single_status(res, EUM_SAIP_ST_INVALID_REQUEST_FORMAT);
		return;
	}
	eum_saip_apply_extras(&p->prof, x);
	p->pol1 = x->pol_len ? x->pol[0] : 0;
	/* the header's connectivity parameters are the profile's until ES8 3A07 replaces them */
	p->conn_len = 0;
	if (x->connectivity_len && x->connectivity_len <= sizeof(p->conn)) {
		memcpy(p->conn, x->connectivity, x->connectivity_len);
		p->conn_len = x->connectivity_len;
	}
	p->has_profile = 1;
	eum_store_dirty_slot(card, d->isdp); /* a new profile: every section of the slot */
	/* isdp_ready() checked that the transition is allowed. The profile is stored with the APDU that
	 * carried its last segment (src/core/apdu.c): if that store fails, the APDU answers 6581, the state
	 * is rolled back (no profile in this ISD-P) and this result never leaves the card. */
	if (eum_isdp_transition(card, d->isdp, EUM_ISDP_EV_PROFILE_INSTALLED) != EUM_OK) {
		eum_log(card, EUM_LOG_ERROR, "SCP03t: the installed profile could not be recorded");
		single_status(res, EUM_SAIP_ST_MEMORY_FAILURE);
		return;
	}
	eum_log(card, EUM_LOG_INFO, "SCP03t: profile installed in ISD-P %u (%zu segments, %zu bytes), now DISABLED",
	        (unsigned)d->isdp, d->segments, d->bytes);
}

/* 86: one Profile Package segment, SGP.02 §4.1.3.3 (digest §8.2 profile data handling) */
static int segment(struct eum_card *card, int isdp, const uint8_t *val, size_t len, uint8_t *rsp, size_t cap,
                   size_t *rlen)
{
	struct eum_scp03t *d = card->es8->dl;
	struct eum_saip_result res;
	uint8_t hdr[4], mac[16], iv[16], blk[CHUNK];
	struct eum_buf h;
	size_t ct_len, off, feed, i;
	int ok, failed = 0, bad_pad = 0;

	if (d && d->state == EUM_SCP03T_DONE && d->isdp == isdp) {
		/* [IMPL] segments after the EUICCResponse (an abort before the end of the script) are taken
		 * without an answer: the SM-DP has the result */
		*rlen = 0;
		return EUM_SCP03T_CONSUMED;
	}
	if (!d || d->state != EUM_SCP03T_OPEN || d->isdp != isdp)
		return fatal(card, EUM_SCP03T_TAG_SEGMENT, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);
	if (len < 16 + MAC_LEN || (len - MAC_LEN) % 16)
		return fatal(card, EUM_SCP03T_TAG_SEGMENT, EUM_SCP03T_ERR_LENGTH, rsp, cap, rlen);
	ct_len = len - MAC_LEN;
	/* the counter moves for every command of the session; ICV from it (Amd D §6.2.6) */
	d->s.enc_counter++;
	eum_buf_init(&h, hdr, sizeof(hdr));
	eum_buf_u8(&h, EUM_SCP03T_TAG_SEGMENT);
	eum_buf_ber_len(&h, len);
	ok = eum_scp03_cmac_chain(&d->s, hdr, h.len, val, ct_len, mac) == EUM_OK &&
	     eum_ct_memcmp(mac, val + ct_len, MAC_LEN) == 0;
	eum_wipe(mac, sizeof(mac));
	if (!ok)
		return fatal(card, EUM_SCP03T_TAG_SEGMENT, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);

	if (!d->inst) {
		if (!isdp_ready(card, d)) {
			eum_log(card, EUM_LOG_INFO, "SCP03t: ISD-P %d cannot receive a profile (state %s%s)", isdp,
			        eum_isdp_state_name(card->ps->isdp[isdp]->lcs),
			        card->ps->isdp[isdp]->has_profile ? ", holds one" : "");
			single_status(&res, ST_CONDITIONS);
			return answer_result(card, &res, rsp, cap, rlen);
		}
		d->inst = calloc(1, sizeof(*d->inst)); /* owned by d until the EUICCResponse */
		d->ext = calloc(1, sizeof(*d->ext));   /* idem */
		if (!d->inst || !d->ext || eum_saip_installer_init(d->inst, 0) != EUM_OK) {
			single_status(&res, EUM_SAIP_ST_NOT_ENOUGH_MEMORY);
			return answer_result(card, &res, rsp, cap, rlen);
		}
	}
	d->segments++;

	/* decrypt chunk by chunk (CBC chaining carried in iv) and feed the plain bytes on */
	if (eum_scp03_icv(&d->s, 0, iv) != EUM_OK)
		return fatal(card, EUM_SCP03T_TAG_SEGMENT, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);
	for (off = 0; off < ct_len && !failed && !bad_pad; off += feed) {
		size_t k = ct_len - off < CHUNK ? ct_len - off : CHUNK, n = k;
		feed = k;
		if (eum_aes_cbc(0, d->s.s_enc, d->s.key_len, iv, val + off, k, blk) != EUM_OK) {
			bad_pad = 1;
			break;
		}
		memcpy(iv, val + off + k - 16, 16);
		if (off + k == ct_len) {
			/* ISO 9797-1 method 2 padding, inside the last block */
			for (i = k; i > k - 16 && blk[i - 1] == 0x00; i--)
				;
			if (i == k - 16 || blk[i - 1] != 0x80) {
				bad_pad = 1;
				break;
			}
			n = i - 1;
		}
		if (n && eum_saip_installer_feed(d->inst, blk, n) != EUM_OK)
			failed = 1;
		d->bytes += n;
	}
	eum_wipe(blk, sizeof(blk));
	eum_wipe(iv, sizeof(iv));
	if (bad_pad)
		return fatal(card, EUM_SCP03T_TAG_SEGMENT, EUM_SCP03T_ERR_SECURITY, rsp, cap, rlen);

	if (failed || d->inst->state == EUM_SAIP_FAILED) {
		/* the first fatal error: report it; nothing of the package stays (scratch profile discarded) */
		res = d->inst->res;
		eum_log(card, EUM_LOG_INFO, "SCP03t: profile refused at PE index %zu: %s", res.pe_index, res.reason);
		return answer_result(card, &res, rsp, cap, rlen);
	}
	if (d->inst->state == EUM_SAIP_DONE) {
		commit_profile(card, d, &res);
		return answer_result(card, &res, rsp, cap, rlen);
	}
	put_tlv(EUM_SCP03T_TAG_SEGMENT, NULL, 0, NULL, 0, rsp, cap, rlen);
	return EUM_SCP03T_CONSUMED;
}

int eum_scp03t_tlv(struct eum_card *card, int isdp, uint8_t tag, const uint8_t *val, size_t len, uint8_t *rsp,
                   size_t cap, size_t *rlen)
{
	*rlen = 0;
	if (!card || isdp < 0 || isdp >= EUM_MAX_ISDP || !card->ps->isdp[isdp]->in_use || (len && !val))
		return EUM_SCP03T_UNKNOWN;
	switch (tag) {
	case EUM_SCP03T_TAG_INIT_UPDATE:
		return init_update(card, isdp, val, len, rsp, cap, rlen);
	case EUM_SCP03T_TAG_EXT_AUTH:
		return ext_auth(card, isdp, val, len, rsp, cap, rlen);
	case EUM_SCP03T_TAG_SEGMENT:
		return segment(card, isdp, val, len, rsp, cap, rlen);
	default:
		return EUM_SCP03T_UNKNOWN;
	}
}
