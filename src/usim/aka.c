/*
 * USIM AUTHENTICATE, card side (3GPP TS 31.102 §7.1): UMTS AKA in the
 * 3G/EPS/5G security context (TS 33.102 §6.3.3) with sequence number
 * management per TS 33.102 Annex C, and the GSM security context
 * (TS 33.102 §6.8.1.2). Algorithms: Milenage (TS 35.206) and the test
 * algorithm of TS 34.108 §8.1.2. See aka.h for the SQN options implemented.
 */
#include "usim/aka.h"

#include <string.h>

#include "crypto/crypto.h"
#include "eum/eum.h"
#include "usim/auth_xor.h"
#include "util/tlv.h"

#define SQN_MAX_48 0xFFFFFFFFFFFFull

static const char *const algo_names[EUM_AKA_ALGO_NUM] = {
        [EUM_AKA_ALGO_MILENAGE] = "milenage",
        [EUM_AKA_ALGO_XOR] = "xor",
};

/* PE_Definitions PE-AKAParameter DEFAULT sqnDelta / sqnAgeLimit '000010000000'. */
static const uint8_t default_delta[6] = {0x00, 0x00, 0x10, 0x00, 0x00, 0x00};
static const uint8_t default_age_limit[6] = {0x00, 0x00, 0x10, 0x00, 0x00, 0x00};

/* Outputs of f2..f5 for one RAND; wiped by the caller. */
struct aka_vec {
	uint8_t res[EUM_AKA_RES_MAX];
	size_t res_len;
	uint8_t ck[16];
	uint8_t ik[16];
	uint8_t ak[6];
};

const char *eum_aka_algo_name(unsigned algo)
{
	return algo < EUM_AKA_ALGO_NUM ? algo_names[algo] : "unknown";
}

/* TCA PE_Definitions AlgoParameter.algorithmID. */
int eum_aka_algo_from_tca(long algorithm_id, enum eum_aka_algo *out)
{
	if (!out)
		return EUM_ERR_INVALID_ARG;
	switch (algorithm_id) {
	case 1:
		*out = EUM_AKA_ALGO_MILENAGE;
		return EUM_OK;
	case 3:
		*out = EUM_AKA_ALGO_XOR;
		return EUM_OK;
	default:
		return EUM_ERR_UNSUPPORTED;
	}
}

/* TCA PE-AKAParameter / AlgoParameter DEFAULT values. */
int eum_aka_params_default(struct eum_aka_params *p, enum eum_aka_algo algo)
{
	if (!p || (unsigned)algo >= EUM_AKA_ALGO_NUM)
		return EUM_ERR_INVALID_ARG;
	memset(p, 0, sizeof(*p));
	p->algo = (uint8_t)algo;
	p->res_len = algo == EUM_AKA_ALGO_XOR ? 16 : EUM_MILENAGE_RES_LEN;
	p->sqn_options = EUM_AKA_DEFAULT_SQN_OPTIONS;
	p->mc = eum_milenage_default_consts;
	memcpy(p->sqn_delta, default_delta, 6);
	memcpy(p->sqn_age_limit, default_age_limit, 6);
	return EUM_OK;
}

static uint64_t load48(const uint8_t b[6])
{
	uint64_t v = 0;

	for (size_t i = 0; i < 6; i++)
		v = (v << 8) | b[i];
	return v;
}

static void store48(uint8_t b[6], uint64_t v)
{
	for (size_t i = 6; i-- > 0;) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
}

static int params_valid(const struct eum_aka_params *p)
{
	if (p->algo >= EUM_AKA_ALGO_NUM)
		return 0;
	if (p->algo == EUM_AKA_ALGO_XOR && (p->res_len < 4 || p->res_len > EUM_XOR_RES_MAX))
		return 0;
	return 1;
}

/* f2, f3, f4, f5 of the profile's algorithm. */
static int calc_f2345(const struct eum_aka_params *p, const uint8_t rand[16], struct aka_vec *v)
{
	if (p->algo == EUM_AKA_ALGO_XOR) {
		eum_xor_f2345(p->k, rand, v->res, v->ck, v->ik, v->ak);
		v->res_len = p->res_len;
		return EUM_OK;
	}
	v->res_len = EUM_MILENAGE_RES_LEN;
	return eum_milenage_f2345(&p->mc, p->k, p->opc, rand, v->res, v->ck, v->ik, v->ak, NULL);
}

/* f1 (MAC-A) or f1* (MAC-S); the test algorithm uses one function for both (TS 34.108 §8.1.2.2). */
static int calc_f1(const struct eum_aka_params *p, int star, const uint8_t rand[16], const uint8_t sqn[6],
                   const uint8_t amf[2], uint8_t mac[8])
{
	if (p->algo == EUM_AKA_ALGO_XOR) {
		eum_xor_f1(p->k, rand, sqn, amf, mac);
		return EUM_OK;
	}
	return eum_milenage_f1(&p->mc, p->k, p->opc, rand, sqn, amf, star ? NULL : mac, star ? mac : NULL);
}

/* f5* (AK* for AUTS); the test algorithm conceals SQN_MS with AK (TS 34.108 §8.1.2.2). */
static int calc_f5star(const struct eum_aka_params *p, const uint8_t rand[16], uint8_t ak_star[6])
{
	if (p->algo == EUM_AKA_ALGO_XOR) {
		eum_xor_f2345(p->k, rand, NULL, NULL, NULL, ak_star);
		return EUM_OK;
	}
	return eum_milenage_f2345(&p->mc, p->k, p->opc, rand, NULL, NULL, NULL, NULL, ak_star);
}

/*
 * TS 31.102 §7.1.2: the EVEN-INS command data is a sequence of length-value
 * fields (no tags). Walk exactly n of them within len; each must be 16 bytes.
 */
static uint16_t parse_lv16(const uint8_t *data, size_t len, const uint8_t **fields, size_t n)
{
	size_t off = 0;
	int bad_len = 0;

	for (size_t i = 0; i < n; i++) {
		size_t l;

		if (len - off < 1)
			return EUM_SW_WRONG_LENGTH;
		l = data[off];
		if (l > len - off - 1)
			return EUM_SW_WRONG_LENGTH;
		if (l != 16)
			bad_len = 1;
		fields[i] = &data[off + 1];
		off += 1 + l;
	}
	if (off != len)
		return EUM_SW_WRONG_LENGTH;
	return bad_len ? EUM_SW_INCORRECT_DATA : EUM_SW_OK;
}

/* TS 33.102 §6.8.1.2 c2: SRES = XOR of the four 32-bit words of RES padded to 128 bits with zeros. */
static void conv_c2(const uint8_t *res, size_t res_len, uint8_t sres[4])
{
	memset(sres, 0, 4);
	for (size_t i = 0; i < res_len; i++)
		sres[i % 4] ^= res[i];
}

/* TS 33.102 §6.8.1.2 c3: Kc = CK1 xor CK2 xor IK1 xor IK2 (64-bit halves). */
static void conv_c3(const uint8_t ck[16], const uint8_t ik[16], uint8_t kc[8])
{
	for (size_t i = 0; i < 8; i++)
		kc[i] = ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8];
}

/*
 * TS 33.102 Annex C.2.1/C.2.2: is SQN = SEQ || IND acceptable? Also returns
 * SQN_MS (the highest accepted SEQ anywhere in the array, with its index)
 * for a synchronisation failure.
 */
static int sqn_acceptable(const struct eum_aka_params *p, const struct eum_aka_sqn *s, uint64_t seq, unsigned ind,
                          uint64_t *sqn_ms)
{
	const uint8_t *delta_b = p->sqn_delta, *limit_b = p->sqn_age_limit;
	uint64_t seq_ms = 0, delta, limit;
	unsigned ind_ms = 0;

	for (unsigned i = 0; i < EUM_AKA_SQN_ARRAY; i++) {
		uint64_t v = load48(s->seq[i]);

		if (i == 0 || v > seq_ms) {
			seq_ms = v;
			ind_ms = i;
		}
	}
	*sqn_ms = ((seq_ms << EUM_AKA_IND_BITS) | ind_ms) & SQN_MAX_48;

	/* PE_Definitions: sqnDelta / sqnAgeLimit are ignored for usim-test-algorithm. */
	if (p->algo == EUM_AKA_ALGO_XOR) {
		delta_b = default_delta;
		limit_b = default_age_limit;
	}
	delta = load48(delta_b);
	limit = load48(limit_b);

	/* C.2.1: no jump of more than delta above the highest accepted SEQ. */
	if (seq > seq_ms && seq - seq_ms > delta)
		return 0;
	/* C.2.2: optional limit L on the age of SEQ relative to SEQ_MS. */
	if (limit != 0 && seq_ms > seq && seq_ms - seq >= limit)
		return 0;
	/* C.2.2: fresh only if above the entry of its own index. */
	if (seq <= load48(s->seq[ind]))
		return 0;
	return 1;
}

/* Copy the response out or, if it did not fit, wipe what was written. */
static uint16_t finish(struct eum_buf *b, size_t *rlen)
{
	if (b->overflow) {
		eum_wipe(b->p, b->cap);
		*rlen = 0;
		return EUM_SW_TECHNICAL_PROBLEM;
	}
	*rlen = b->len;
	return EUM_SW_OK;
}

/* TS 31.102 §7.1.2 case 1 / case 2, TS 33.102 §6.3.3: 3G/EPS/5G security context. */
static uint16_t auth_3g(const struct eum_aka_params *p, struct eum_aka_sqn *s, const uint8_t *data, size_t len,
                        int with_kc, struct eum_buf *b, size_t *rlen)
{
	static const uint8_t amf_resync[2] = {0x00, 0x00}; /* TS 33.102 §6.3.3: dummy AMF for MAC-S */
	const uint8_t *f[2], *rand, *autn;
	struct aka_vec v;
	uint8_t sqn[6], xmac[8], ak_star[6], kc[8];
	uint64_t sqn_rx, sqn_ms;
	uint16_t sw;

	sw = parse_lv16(data, len, f, 2);
	if (sw != EUM_SW_OK)
		return sw;
	rand = f[0];
	autn = f[1];

	memset(&v, 0, sizeof(v));
	sw = EUM_SW_TECHNICAL_PROBLEM;
	if (calc_f2345(p, rand, &v) != EUM_OK)
		goto out;

	/* AUTN = (SQN xor AK) || AMF || MAC-A */
	for (size_t i = 0; i < 6; i++)
		sqn[i] = autn[i] ^ v.ak[i];
	if (calc_f1(p, 0, rand, sqn, autn + 6, xmac) != EUM_OK)
		goto out;
	if (eum_ct_memcmp(xmac, autn + 8, 8) != 0) {
		sw = EUM_SW_AUTH_MAC_FAIL;
		goto out;
	}

	sqn_rx = load48(sqn);
	if (!sqn_acceptable(p, s, sqn_rx >> EUM_AKA_IND_BITS, (unsigned)(sqn_rx & (EUM_AKA_SQN_ARRAY - 1)), &sqn_ms)) {
		/* TS 33.102 §6.3.3: AUTS = (SQN_MS xor AK*) || MAC-S */
		uint8_t auts[14];

		store48(sqn, sqn_ms);
		if (calc_f5star(p, rand, ak_star) != EUM_OK)
			goto out;
		for (size_t i = 0; i < 6; i++)
			auts[i] = sqn[i] ^ ak_star[i];
		if (calc_f1(p, 1, rand, sqn, amf_resync, auts + 6) != EUM_OK)
			goto out;
		eum_buf_u8(b, 0xDC);
		eum_buf_u8(b, sizeof(auts));
		eum_buf_put(b, auts, sizeof(auts));
		sw = finish(b, rlen);
		goto out;
	}

	eum_buf_u8(b, 0xDB);
	eum_buf_u8(b, (uint8_t)v.res_len);
	eum_buf_put(b, v.res, v.res_len);
	eum_buf_u8(b, 16);
	eum_buf_put(b, v.ck, 16);
	eum_buf_u8(b, 16);
	eum_buf_put(b, v.ik, 16);
	if (with_kc) {
		/* TS 31.102 §7.1.2: Kc present iff service n27 (GSM access) is available. */
		conv_c3(v.ck, v.ik, kc);
		eum_buf_u8(b, 8);
		eum_buf_put(b, kc, 8);
	}
	sw = finish(b, rlen);
	if (sw == EUM_SW_OK) {
		/* C.2.2: SEQ_MS(IND) := SEQ, only once the answer is complete. */
		store48(s->seq[sqn_rx & (EUM_AKA_SQN_ARRAY - 1)], sqn_rx >> EUM_AKA_IND_BITS);
	}
out:
	eum_wipe(&v, sizeof(v));
	eum_wipe(sqn, sizeof(sqn));
	eum_wipe(xmac, sizeof(xmac));
	eum_wipe(ak_star, sizeof(ak_star));
	eum_wipe(kc, sizeof(kc));
	return sw;
}

/* TS 31.102 §7.1.2 case 3, TS 33.102 §6.8.1.2: GSM security context on a USIM (c2/c3 conversions). */
static uint16_t auth_gsm(const struct eum_aka_params *p, const uint8_t *data, size_t len, int with_kc,
                         struct eum_buf *b, size_t *rlen)
{
	const uint8_t *rand;
	struct aka_vec v;
	uint8_t sres[4], kc[8];
	uint16_t sw;

	/* TS 31.102 §7.1.1: the GSM context needs service n27 (GSM access). */
	if (!with_kc)
		return EUM_SW_AUTH_CONTEXT_NOT_SUPPORTED;
	sw = parse_lv16(data, len, &rand, 1);
	if (sw != EUM_SW_OK)
		return sw;

	memset(&v, 0, sizeof(v));
	sw = EUM_SW_TECHNICAL_PROBLEM;
	if (calc_f2345(p, rand, &v) == EUM_OK) {
		conv_c2(v.res, v.res_len, sres);
		conv_c3(v.ck, v.ik, kc);
		eum_buf_u8(b, 4);
		eum_buf_put(b, sres, 4);
		eum_buf_u8(b, 8);
		eum_buf_put(b, kc, 8);
		sw = finish(b, rlen);
	}
	eum_wipe(&v, sizeof(v));
	eum_wipe(sres, sizeof(sres));
	eum_wipe(kc, sizeof(kc));
	return sw;
}

/* TS 31.102 §7.1: AUTHENTICATE, dispatched on the P2 security context (Table 1). */
uint16_t eum_aka_authenticate(const struct eum_aka_params *p, struct eum_aka_sqn *sqn, uint8_t p2, const uint8_t *data,
                              size_t len, int with_kc, uint8_t *resp, size_t cap, size_t *rlen)
{
	struct eum_buf b;

	if (rlen)
		*rlen = 0;
	if (!p || !sqn || (!data && len) || !resp || !rlen || !params_valid(p))
		return EUM_SW_TECHNICAL_PROBLEM;
	eum_buf_init(&b, resp, cap);

	/* b8 = 1 "specific reference data", b7-b4 = 0; anything else is RFU. */
	if ((p2 & 0xF8) != 0x80)
		return EUM_SW_INCORRECT_P1P2;
	switch (p2 & 0x07) {
	case 0x0: /* GSM context */
		return auth_gsm(p, data, len, with_kc, &b, rlen);
	case 0x1: /* 3G/EPS/5G context */
		return auth_3g(p, sqn, data, len, with_kc, &b, rlen);
	case 0x2: /* VGCS/VBS */
	case 0x4: /* GBA */
	case 0x5: /* MBMS */
	case 0x6: /* Local Key Establishment */
		return EUM_SW_AUTH_CONTEXT_NOT_SUPPORTED;
	default: /* 011, 111: RFU */
		return EUM_SW_INCORRECT_P1P2;
	}
}
