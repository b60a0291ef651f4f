/*
 * GlobalPlatform audit commands of the platform security domains (GP Card
 * Specification v2.3 §11.3 GET DATA, §11.4 GET STATUS, Annex H.4 extended
 * card resources) as SGP.02 §7.7 (AuditEIS) uses them on the ISD-R, and the
 * card resource accounting behind GET DATA FF21.
 */
#include <string.h>

#include "core/sw.h"
#include "gp/gp.h"
#include "store/image.h"
#include "util/tlv.h"

/* ---- card resources -------------------------------------------------------- */

static size_t nvm_used(const struct eum_card *card)
{
	size_t len = 0, i;

	/* the serialised state is what occupies the card's non-volatile memory */
	eum_image_write(card->ps, NULL, 0, &len);
	for (i = 0; i < EUM_MAX_ISDP; i++) {
		const struct eum_isdp *p = card->ps->isdp[i];
		if (p->in_use && !p->has_profile)
			len += p->nvm_quota; /* reserved for the profile still to come (SGP.02 §7.1) */
	}
	return len;
}

size_t eum_gp_free_nvm(const struct eum_card *card)
{
	size_t used = nvm_used(card);

	return used >= EUM_GP_NVM_CAPACITY ? 0 : EUM_GP_NVM_CAPACITY - used;
}

size_t eum_gp_free_volatile(const struct eum_card *card)
{
	size_t used = eum_card_volatile_size(card);

	return used >= EUM_GP_VOLATILE_BUDGET ? 0 : EUM_GP_VOLATILE_BUDGET - used;
}

/* An unsigned value as the shortest big-endian byte string (at least one byte). */
static void ber_uint(struct eum_buf *b, uint32_t tag, size_t v)
{
	uint8_t be[8];
	size_t n = 0, i;

	for (i = 0; i < sizeof(be); i++)
		be[i] = (uint8_t)(v >> (8 * (sizeof(be) - 1 - i)));
	while (n < sizeof(be) - 1 && be[n] == 0)
		n++;
	eum_buf_ber_tlv(b, tag, be + n, sizeof(be) - n);
}

static size_t installed_count(const struct eum_card *card)
{
	size_t n = 2, i; /* the ISD-R and the ECASD */

	for (i = 0; i < EUM_MAX_ISDP; i++)
		n += card->ps->isdp[i]->in_use;
	return n;
}

/* ---- GET DATA -------------------------------------------------------------- */

/* GPCS Table 11-16 key information data: key id, KVN, type, length. */
static void key_info(struct eum_buf *b, uint8_t kid, uint8_t kvn, uint8_t type, uint8_t len)
{
	const uint8_t v[4] = {kid, kvn, type, len};

	eum_buf_ber_tlv(b, 0xC0, v, sizeof(v));
}

static void scp03_key_info(struct eum_buf *b, const struct eum_scp03_keyset *ks, size_t n)
{
	size_t i;
	uint8_t kid;

	for (i = 0; i < n; i++) {
		if (!ks[i].key_len)
			continue;
		for (kid = 1; kid <= 3; kid++) /* Key-ENC, Key-MAC, Key-DEK (Amd D §4.1.1) */
			key_info(b, kid, ks[i].kvn, 0x88, ks[i].key_len);
	}
}

/* GP key type and length of an SCP80 key (GPCS §11.1.8: 80 DES, 88 AES). */
static int scp80_key_type(uint8_t algo, uint8_t *type, uint8_t *len)
{
	static const struct {
		uint8_t algo, type, len;
	} map[] = {
	        {EUM_SCP80_ALGO_DES, 0x80, 8},     {EUM_SCP80_ALGO_TDES2, 0x80, 16},  {EUM_SCP80_ALGO_TDES3, 0x80, 24},
	        {EUM_SCP80_ALGO_AES128, 0x88, 16}, {EUM_SCP80_ALGO_AES192, 0x88, 24}, {EUM_SCP80_ALGO_AES256, 0x88, 32},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].algo == algo) {
			*type = map[i].type;
			*len = map[i].len;
			return 1;
		}
	}
	return 0;
}

/* Key information template E0 of the SD on this channel (GPCS §11.3.3.1, Table 11-15). */
static void key_info_template(struct eum_card *card, const struct eum_channel *ch, struct eum_buf *b)
{
	const struct eum_scp03_keyset *ks;
	const uint8_t *aid;
	size_t m, n, i;
	uint8_t type, len;

	m = eum_buf_ber_open(b, 0xE0);
	if (ch->app == EUM_APP_ISDR) {
		/* the ISD-R's SCP80 key sets: KIc = key id 01, KID = 02, KIK = 03 when there is one
		 * (TS 102 225 §5.1.2) */
		for (i = 0; i < EUM_ISDR_SCP80_KEYSETS; i++) {
			const struct eum_scp80_keyset *k = &card->ps->isdr.scp80[i];
			if (!k->kvn)
				continue;
			if (scp80_key_type(k->kic.algo, &type, &len))
				key_info(b, 0x01, k->kvn, type, len);
			if (scp80_key_type(k->kid.algo, &type, &len))
				key_info(b, 0x02, k->kvn, type, len);
			if (k->kik.algo && scp80_key_type(k->kik.algo, &type, &len))
				key_info(b, 0x03, k->kvn, type, len);
		}
		/* its SCP81 TLS PSKs (GP Amd B, key type 85; spec digest scp81-https.md §3.4) */
		for (i = 0; i < EUM_ISDR_SCP81_KEYS; i++) {
			const struct eum_scp81_psk *k = &card->ps->isdr.scp81[i];
			if (k->kvn)
				key_info(b, k->kid, k->kvn, k->type, k->len);
		}
	}
	if (ch->app == EUM_APP_MNOSD) {
		/* the MNO-SD's SCP80 key sets (the profile's RFM keys): KIc = 01, KID = 02 */
		for (i = 0; i < EUM_PROFILE_OTA_KEYSETS; i++) {
			const struct eum_scp80_keyset *k = &card->prof->ota_keys[i];
			if (!k->kvn)
				continue;
			if (scp80_key_type(k->kic.algo, &type, &len))
				key_info(b, 0x01, k->kvn, type, len);
			if (scp80_key_type(k->kid.algo, &type, &len))
				key_info(b, 0x02, k->kvn, type, len);
		}
	}
	ks = eum_gp_sd_keysets(card, ch, &n, &aid);
	scp03_key_info(b, ks, n);
	eum_buf_ber_close(b, m);
}

/* Card recognition data (GPCS Annex H.2): GP 2.3, SCP03 i=70 for the ISD-R. */
static const uint8_t card_data[] = {0x66, 0x30, 0x73, 0x2E,
                                    /* 06: GlobalPlatform card recognition data OID 1.2.840.114283.1 */
                                    0x06, 0x07, 0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x01,
                                    /* 60: card management type and version, GP 2.3 (1.2.840.114283.2.2.3) */
                                    0x60, 0x0B, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x02, 0x02, 0x03,
                                    /* 63: card identification scheme 1.2.840.114283.3 */
                                    0x63, 0x09, 0x06, 0x07, 0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x03,
                                    /* 64: secure channel protocol of the ISD: SCP03, i = 70 (1.2.840.114283.4.3.112) */
                                    0x64, 0x0B, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x04, 0x03, 0x70};

/* GET DATA, GPCS §11.3 (SGP.02 §7.7: FF21 extended card resources) */
uint16_t eum_gp_get_data(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	uint16_t tag = (uint16_t)(a->p1 << 8 | a->p2);
	const struct eum_ecasd *e = &card->ps->ecasd;
	struct eum_buf b;
	size_t m;

	eum_buf_init(&b, r->data, r->cap);
	switch (tag) {
	case 0x00E0: /* key information template of this SD */
		key_info_template(card, ch, &b);
		break;
	case 0xFF21: /* extended card resources information (GPCS Table H-9) */
		if (ch->app != EUM_APP_ISDR)
			return EUM_SW_REFERENCED_DATA_NOT_FOUND;
		m = eum_buf_ber_open(&b, 0xFF21);
		ber_uint(&b, 0x81, installed_count(card));
		ber_uint(&b, 0x82, eum_gp_free_nvm(card));
		ber_uint(&b, 0x83, eum_gp_free_volatile(card));
		eum_buf_ber_close(&b, m);
		break;
	case 0x0042: /* IIN: [IMPL] the EID's issuer prefix (industry 89, country, issuer: 8 digits) */
		if (ch->app != EUM_APP_ISDR)
			return EUM_SW_REFERENCED_DATA_NOT_FOUND;
		eum_buf_ber_tlv(&b, 0x42, e->eid, 4);
		break;
	case 0x0045: /* CIN: [IMPL] the card image number is the EID, unique per card */
		if (ch->app != EUM_APP_ISDR)
			return EUM_SW_REFERENCED_DATA_NOT_FOUND;
		eum_buf_ber_tlv(&b, 0x45, e->eid, sizeof(e->eid));
		break;
	case 0x0066: /* card recognition data (GPCS §H.2) */
		if (ch->app != EUM_APP_ISDR)
			return EUM_SW_REFERENCED_DATA_NOT_FOUND;
		eum_buf_put(&b, card_data, sizeof(card_data));
		break;
	default: /* 5A (EID) is the ECASD's (SGP.02 §2.3) */
		eum_log(card, EUM_LOG_DEBUG, "GET DATA %04X: no such data object here", tag);
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	}
	if (b.overflow)
		return EUM_SW_TECHNICAL_PROBLEM;
	r->len = b.len;
	return EUM_SW_OK;
}

/* ---- GET STATUS ------------------------------------------------------------ */

#define P1_ISD         0x80
#define P1_APPS        0x40
#define P1_ELF         0x20
#define P1_ELF_MODULES 0x10

/* GPCS Table 11-36 registry data tags */
#define TAG_AID    0x4F
#define TAG_LCS    0x9F70
#define TAG_PRIV   0xC5
#define TAG_ELF    0xC4
#define TAG_SD     0xCC
#define TAG_MODULE 0x84
/* SGP.02 v4.1 Table 28 (GET STATUS response data of an ISD-P): the memory TLVs an SM-SR reads into the
 * EIS (allocated memory, free memory). Tags from the reading of Table 28; njiwa's audit
 * (sr/transactions/AuditEISTransaction.java) cites "table 28 of SGP" for the E3 layout but reads only
 * 4F, 9F70 and the attributes. Coding UNCONFIRMED: an unsigned byte count, shortest big-endian, as GP
 * codes the FF21 memory figures (GPCS Table H-9). */
#define TAG_MEM_ALLOC 0x8F
#define TAG_MEM_FREE  0x91

/* GP life-cycle bytes of the platform entries (GPCS §5.1, §5.3) */
#define LCS_CARD_SECURED    0x0F /* the ISD-R's = the card's life cycle */
#define LCS_SD_PERSONALIZED 0x0F
#define LCS_ELF_LOADED      0x01

/* [IMPL] privileges: the ISD-R as a GP ISD (SD, card lock/terminate/reset,
 * CVM, trusted path, AM, token verification, global delete/lock/registry,
 * final application, receipt generation); the ECASD a plain SD. */
static const uint8_t isdr_priv[3] = {0x9E, 0xFE, 0x80};
static const uint8_t ecasd_priv[3] = {0x80, 0x00, 0x00};

/* One registry entry as GET STATUS sees it. */
struct entry {
	const uint8_t *aid;
	uint8_t aid_len;
	uint8_t lcs;
	const uint8_t *priv; /* NULL for load files */
	int attrs;           /* SGP.02 attribute byte, -1 = none */
	int has_mem;         /* ISD-P: the memory TLVs 8F / 91 below */
	size_t mem_alloc;    /* 8F: non-volatile memory allocated to the ISD-P (CreateISDP quota) */
	size_t mem_free;     /* 91: the part of it no profile occupies yet */
	const uint8_t *elf;  /* associated load file, or NULL */
	const uint8_t *module;
};

/* Entry idx of the registry subset P1, or 0 when there is none at idx.
 * Subset 40 lists the ECASD then the ISD-P slots; 80 the ISD-R; 20/10 the ISD-P load file. */
static int registry_entry(const struct eum_card *card, uint8_t p1, unsigned idx, struct entry *e)
{
	memset(e, 0, sizeof(*e));
	e->attrs = -1;
	e->aid_len = 16;
	switch (p1) {
	case P1_ISD:
		if (idx != 0)
			return 0;
		e->aid = eum_aid_isdr;
		e->lcs = LCS_CARD_SECURED;
		e->priv = isdr_priv;
		return 1;
	case P1_APPS:
		if (idx == 0) {
			e->aid = eum_aid_ecasd;
			e->lcs = LCS_SD_PERSONALIZED;
			e->priv = ecasd_priv;
			return 1;
		}
		if (idx - 1 >= EUM_MAX_ISDP || !card->ps->isdp[idx - 1]->in_use)
			return 0;
		{
			const struct eum_isdp *p = card->ps->isdp[idx - 1];
			e->aid = p->aid;
			e->aid_len = p->aid_len;
			e->lcs = p->lcs;
			e->priv = p->privileges;
			e->attrs = p->fallback ? 0x01 : 0x00; /* b1 fall-back (SGP.02 §7.7) */
			e->has_mem = 1;
			e->mem_alloc = p->nvm_quota;
			/* the quota is held for the profile to come (SGP.02 §7.1, nvm_used()); an installed
			 * profile takes it over */
			e->mem_free = p->has_profile ? 0 : p->nvm_quota;
			e->elf = eum_aid_isdp_elf;
		}
		return 1;
	case P1_ELF:
	case P1_ELF_MODULES:
		if (idx != 0)
			return 0;
		e->aid = eum_aid_isdp_elf;
		e->lcs = LCS_ELF_LOADED;
		e->module = p1 == P1_ELF_MODULES ? eum_aid_isdp_module : NULL;
		return 1;
	default:
		return 0;
	}
}

/* Number of index positions of a subset (entries may be absent at some). */
static unsigned registry_size(uint8_t p1)
{
	return p1 == P1_APPS ? 1 + EUM_MAX_ISDP : 1;
}

/* One tag of an entry; nothing when the entry has no such data. */
static void put_tag(struct eum_buf *b, const struct entry *e, uint32_t tag)
{
	switch (tag) {
	case TAG_AID:
		eum_buf_ber_tlv(b, TAG_AID, e->aid, e->aid_len);
		break;
	case TAG_LCS:
		eum_buf_ber_tlv(b, TAG_LCS, &e->lcs, 1);
		break;
	case TAG_PRIV:
		if (e->priv)
			eum_buf_ber_tlv(b, TAG_PRIV, e->priv, 3);
		break;
	case TAG_ELF:
		if (e->elf)
			eum_buf_ber_tlv(b, TAG_ELF, e->elf, 16);
		break;
	case TAG_SD: /* every platform entry is associated with the ISD-R */
		if (e->aid != eum_aid_isdr)
			eum_buf_ber_tlv(b, TAG_SD, eum_aid_isdr, 16);
		break;
	case TAG_MODULE:
		if (e->module)
			eum_buf_ber_tlv(b, TAG_MODULE, e->module, 16);
		break;
	case EUM_GP_TAG_SGP02_ATTRIBUTES:
		if (e->attrs >= 0) {
			uint8_t v = (uint8_t)e->attrs;
			eum_buf_ber_tlv(b, EUM_GP_TAG_SGP02_ATTRIBUTES, &v, 1);
		}
		break;
	case TAG_MEM_ALLOC:
		if (e->has_mem)
			ber_uint(b, TAG_MEM_ALLOC, e->mem_alloc);
		break;
	case TAG_MEM_FREE:
		if (e->has_mem)
			ber_uint(b, TAG_MEM_FREE, e->mem_free);
		break;
	default: /* a tag this card does not keep: not reported (GPCS §11.4.2.3) */
		break;
	}
}

/* Next BER tag of a 5C tag list; 0 at the end or on a malformed list (*bad). */
static uint32_t next_list_tag(const uint8_t *l, size_t n, size_t *off, int *bad)
{
	uint32_t tag;
	size_t k = 0;

	if (*off >= n)
		return 0;
	tag = l[(*off)++];
	if ((tag & 0x1F) == 0x1F) {
		do {
			if (*off >= n || ++k > 2) {
				*bad = 1;
				return 0;
			}
			tag = tag << 8 | l[*off];
		} while (l[(*off)++] & 0x80);
	}
	return tag;
}

/* The E3 template of one entry: the 5C tag list in its order, or the default
 * list: AID, life cycle, the SGP.02 attributes (third, where njiwa looks for
 * them, SGP.02 §7.7), the ISD-P memory TLVs 8F and 91 (SGP.02 Table 28), privileges;
 * load files: AID, life cycle, SD, modules. */
static void put_entry(struct eum_buf *b, const struct entry *e, const uint8_t *tags, size_t tags_len)
{
	static const uint32_t dflt[] = {TAG_AID,       TAG_LCS,      EUM_GP_TAG_SGP02_ATTRIBUTES,
	                                TAG_MEM_ALLOC, TAG_MEM_FREE, TAG_PRIV,
	                                TAG_SD,        TAG_MODULE};
	size_t m, i, off = 0;
	uint32_t tag;
	int bad = 0;

	m = eum_buf_ber_open(b, 0xE3);
	if (!tags_len) {
		for (i = 0; i < sizeof(dflt) / sizeof(dflt[0]); i++) {
			if (dflt[i] == TAG_SD && e->priv)
				continue; /* SDs: AID, LCS, attributes, privileges */
			put_tag(b, e, dflt[i]);
		}
	} else {
		while ((tag = next_list_tag(tags, tags_len, &off, &bad)) != 0)
			put_tag(b, e, tag);
	}
	eum_buf_ber_close(b, m);
}

static int aid_matches(const struct entry *e, const uint8_t *aid, size_t len)
{
	return len <= e->aid_len && memcmp(e->aid, aid, len) == 0;
}

/* Parse the search criteria (GPCS §11.4.2.3): 4F (required, empty = all), then an optional 5C tag list. */
static uint16_t parse_criteria(const struct eum_apdu *a, struct eum_gp_chan *st)
{
	struct eum_tlv_reader rd;
	struct eum_tlv t;
	int rc, seen_aid = 0, seen_list = 0, bad = 0;
	size_t off = 0;

	eum_tlv_reader_init(&rd, a->data, a->lc);
	while ((rc = eum_ber_next(&rd, &t)) == EUM_TLV_OK) {
		if (t.tag == 0x4F && !seen_aid && !seen_list) {
			if (t.len > EUM_GP_STATUS_AID_MAX)
				return EUM_SW_INCORRECT_DATA;
			memcpy(st->gs_aid, t.val, t.len);
			st->gs_aid_len = (uint8_t)t.len;
			seen_aid = 1;
		} else if (t.tag == 0x5C && seen_aid && !seen_list) {
			if (t.len == 0 || t.len > EUM_GP_STATUS_TAGS_MAX)
				return EUM_SW_INCORRECT_DATA;
			while (next_list_tag(t.val, t.len, &off, &bad) != 0)
				;
			if (bad)
				return EUM_SW_INCORRECT_DATA;
			memcpy(st->gs_tags, t.val, t.len);
			st->gs_tags_len = (uint8_t)t.len;
			seen_list = 1;
		} else {
			return EUM_SW_INCORRECT_DATA;
		}
	}
	if (rc != EUM_TLV_END || !seen_aid)
		return EUM_SW_INCORRECT_DATA;
	return 0;
}

/* GET STATUS, GPCS §11.4 (SGP.02 §7.7 AuditEIS) */
uint16_t eum_gp_get_status(struct eum_card *card, struct eum_channel *ch, const struct eum_apdu *a, struct eum_rsp *r)
{
	struct eum_gp_chan *st = ch->gp;
	struct eum_buf b;
	struct entry e;
	size_t limit = EUM_GP_GET_STATUS_MAX, found = 0;
	unsigned idx;
	uint16_t sw;

	if (a->p1 != P1_ISD && a->p1 != P1_APPS && a->p1 != P1_ELF && a->p1 != P1_ELF_MODULES)
		return EUM_SW_INCORRECT_P1P2;
	if ((a->p2 & 0xFE) != 0x02) /* only the tag-list format (b2 = 1) of GP 2.3 */
		return EUM_SW_INCORRECT_P1P2;
	if (!a->data)
		return EUM_SW_WRONG_LENGTH;
	if (a->p2 & 0x01) {
		/* next occurrence: continues the GET STATUS that answered 6310 on this channel */
		if (!st->gs_active || st->gs_p1 != a->p1)
			return EUM_SW_CONDITIONS_NOT_SATISFIED;
	} else {
		struct eum_gp_chan fresh = *st;
		fresh.gs_aid_len = fresh.gs_tags_len = 0;
		sw = parse_criteria(a, &fresh);
		if (sw)
			return sw;
		*st = fresh;
		st->gs_p1 = a->p1;
		st->gs_next = 0;
	}
	st->gs_active = 0;
	if (a->le && a->le < limit)
		limit = a->le;

	eum_buf_init(&b, r->data, r->cap < limit ? r->cap : limit);
	for (idx = st->gs_next; idx < registry_size(a->p1); idx++) {
		size_t before = b.len;
		if (!registry_entry(card, a->p1, idx, &e) || !aid_matches(&e, st->gs_aid, st->gs_aid_len))
			continue;
		put_entry(&b, &e, st->gs_tags, st->gs_tags_len);
		if (b.overflow) {
			/* GPCS §11.4.3: 6310, the rest with P2 b1 = 1 */
			if (!found)
				return EUM_SW_TECHNICAL_PROBLEM;
			r->len = before;
			st->gs_active = 1;
			st->gs_next = (uint8_t)idx;
			return EUM_SW_WARN_MORE_DATA;
		}
		found++;
	}
	if (!found && !(a->p2 & 0x01))
		return EUM_SW_REFERENCED_DATA_NOT_FOUND;
	r->len = b.len;
	return EUM_SW_OK;
}
