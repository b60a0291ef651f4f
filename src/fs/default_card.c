/*
 * The default test card: a UICC with a USIM (ETSI TS 102 221, 3GPP TS
 * 31.102 §4.2 mandatory EFs) described as data. Until a bootstrap profile
 * package replaces it, this is what a modem sees. Values are documented in
 * README.md ("Default test card"): ICCID 8988211000000000011, IMSI
 * 001010123456789, PIN1 1234 / PUK1 12345678, PIN2 5678 / PUK2 87654321,
 * ADM1 88888888, Milenage K 000102030405060708090A0B0C0D0E0F with
 * OP 00112233445566778899AABBCCDDEEFF (default r/c constants).
 */
#include "fs/default_card.h"

#include <string.h>

#include "crypto/crypto.h"
#include "usim/milenage.h"
#include "util/hex.h"

#define USIM_AID "A0000000871002FFFFFFFF8907090000"
#define DEFAULT_K "000102030405060708090A0B0C0D0E0F"
#define DEFAULT_OP "00112233445566778899AABBCCDDEEFF"

/* EF.ARR records (TS 102 221 §9.2.4, expanded format):
 *  1 read ALW, update/(de)activate ADM1      2 read+update PIN1, (de)activate ADM1
 *  3 read PIN1, update/(de)activate ADM1     4 read ALW, update PIN1, (de)activate ADM1
 *  5 everything ADM1                          6 DF rule: all modes ADM1
 *  7 read PIN1, update PIN2, (de)activate ADM1 */
#define ARR_RECORDS                                                                                                    \
	"8001019000 80011AA40683010A950108|"                                                                           \
	"800103A406830101950108 800118A40683010A950108|"                                                               \
	"800101A406830101950108 80011AA40683010A950108|"                                                               \
	"8001019000 800102A406830101950108 800118A40683010A950108|"                                                    \
	"80011BA40683010A950108|"                                                                                      \
	"80017FA40683010A950108|"                                                                                      \
	"800101A406830101950108 800102A406830181950108 800118A40683010A950108"

struct dc_file {
	const char *path; /* FIDs from the MF, '/'-separated */
	uint8_t type;
	uint8_t sfi;
	uint16_t rec_len;
	uint16_t nrec;
	uint16_t size;    /* transparent EFs */
	uint8_t arr;      /* EF.ARR record in the nearest ARR (0 = no attributes) */
	const char *aid;  /* ADFs */
	const char *content; /* hex; records separated by '|', each padded with FF */
};

#define TR EUM_FT_EF_TRANSPARENT
#define LF EUM_FT_EF_LINEAR_FIXED
#define CY EUM_FT_EF_CYCLIC

static const struct dc_file default_files[] = {
	{"3F00", EUM_FT_MF, 0, 0, 0, 0, 6, NULL, NULL},
	{"3F00/2F06", LF, 0x06, 0x30, 7, 0, 1, NULL, ARR_RECORDS},
	{"3F00/2F00", LF, 0x1E, 0x20, 2, 0, 1, NULL, "61184F10" USIM_AID "50045553494D"},
	{"3F00/2FE2", TR, 0x02, 0, 0, 10, 1, NULL, "988812010000000010F1"},
	{"3F00/2F05", TR, 0x05, 0, 0, 4, 4, NULL, "656EFFFF"},
	{"3F00/7F10", EUM_FT_DF, 0, 0, 0, 0, 6, NULL, NULL},
	{"3F00/7FF0", EUM_FT_ADF, 0, 0, 0, 0, 6, USIM_AID, NULL},
	{"3F00/7FF0/6F06", LF, 0x17, 0x30, 7, 0, 1, NULL, ARR_RECORDS},
	{"3F00/7FF0/6F07", TR, 0x07, 0, 0, 9, 3, NULL, "080910101032547698"},
	{"3F00/7FF0/6F08", TR, 0x08, 0, 0, 33, 2, NULL, "07"},
	{"3F00/7FF0/6F09", TR, 0x09, 0, 0, 33, 2, NULL, "07"},
	{"3F00/7FF0/6F31", TR, 0x12, 0, 0, 1, 3, NULL, "0A"},
	{"3F00/7FF0/6F38", TR, 0x04, 0, 0, 14, 3, NULL, "000E180421060000000010000000"},
	{"3F00/7FF0/6F46", TR, 0, 0, 0, 17, 3, NULL, "0165756D2074657374"},
	{"3F00/7FF0/6F56", TR, 0x05, 0, 0, 1, 2, NULL, "00"},
	{"3F00/7FF0/6F5B", TR, 0x0F, 0, 0, 6, 2, NULL, "F00000F00000"},
	{"3F00/7FF0/6F5C", TR, 0x10, 0, 0, 3, 3, NULL, NULL},
	{"3F00/7FF0/6F73", TR, 0x0C, 0, 0, 14, 2, NULL, "FFFFFFFFFFFFFFFFFFFF0000FF01"},
	{"3F00/7FF0/6F78", TR, 0x06, 0, 0, 2, 3, NULL, "0001"},
	{"3F00/7FF0/6F7B", TR, 0x0D, 0, 0, 12, 2, NULL, NULL},
	{"3F00/7FF0/6F7E", TR, 0x0B, 0, 0, 11, 2, NULL, "FFFFFFFFFFFFFF0000FF01"},
	{"3F00/7FF0/6FAD", TR, 0x03, 0, 0, 4, 1, NULL, "00000002"},
	{"3F00/7FF0/6FB7", LF, 0x01, 4, 1, 0, 1, NULL, "11F2FF00"},
	{"3F00/7FF0/6FE3", TR, 0x1E, 0, 0, 18, 2, NULL, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000001"},
	{"3F00/7FF0/6FE4", LF, 0x18, 80, 1, 0, 5, NULL, NULL},
	{"3F00/7FF0/6F3C", LF, 0, 176, 10, 0, 2, NULL, "00|00|00|00|00|00|00|00|00|00"},
	{"3F00/7FF0/6F42", LF, 0, 0x26, 1, 0, 2, NULL, NULL},
	{"3F00/7FF0/6F43", TR, 0, 0, 0, 2, 2, NULL, NULL},
	{"3F00/7FF0/6F40", LF, 0, 0x1A, 2, 0, 4, NULL, NULL},
	{"3F00/7FF0/6F39", CY, 0, 3, 5, 0, 2, NULL, "000000|000000|000000|000000|000000"},
	{"3F00/7FF0/6F05", TR, 0, 0, 0, 4, 4, NULL, "656EFFFF"},
};

/* OTA key sets of the test card's MNO-SD, used by its RFM TAR B00010:
 * those of the independent SCP80 vectors (tests/data/scp80, meta.keysets). */
struct dc_ota_key {
	uint8_t kvn, algo;
	const char *kic, *kid;
};

static const struct dc_ota_key default_ota_keys[] = {
	{1, EUM_SCP80_ALGO_TDES2, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "0123456789abcdeffedcba9876543210"},
	{2, EUM_SCP80_ALGO_TDES3, "0123456789abcdef23456789abcdef01456789abcdef0123",
	 "89abcdef0123456701234567fedcba98fedcba9876543210"},
	{3, EUM_SCP80_ALGO_AES128, "000102030405060708090a0b0c0d0e0f", "101112131415161718191a1b1c1d1e1f"},
	{4, EUM_SCP80_ALGO_AES256, "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
	 "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"},
	{5, EUM_SCP80_ALGO_DES, "0123456789abcdef", "fedcba9876543210"},
};

struct dc_pin {
	int puk;
	uint8_t ref;
	const char *value;
	uint8_t tries;
	uint8_t unblock_ref;
};

static const struct dc_pin default_pins[] = {
	{0, EUM_KEYREF_PIN_APPL1, "1234", 3, 0x01},
	{0, EUM_KEYREF_SECOND_PIN_APPL1, "5678", 3, 0x81},
	{0, EUM_KEYREF_ADM1, "88888888", 10, 0},
	{1, 0x01, "12345678", 10, 0},
	{1, 0x81, "87654321", 10, 0},
};

/* Parse "3F00/7FF0/6F07" into the parent index and the file's FID. */
static int resolve(const struct eum_fs *fs, const char *path, int32_t *parent, uint16_t *fid)
{
	uint8_t fids[16];
	char hex[5];
	size_t n = 0;

	while (*path) {
		long k;
		if (n == 8 || strlen(path) < 4)
			return EUM_ERR_INVALID_ARG;
		memcpy(hex, path, 4);
		hex[4] = '\0';
		k = eum_hex_decode(hex, fids + 2 * n, 2);
		if (k != 2)
			return EUM_ERR_INVALID_ARG;
		n++;
		path += 4;
		if (*path == '/')
			path++;
	}
	*fid = (uint16_t)(fids[2 * n - 2] << 8 | fids[2 * n - 1]);
	if (n == 1) {
		*parent = -1;
		return EUM_OK;
	}
	*parent = n == 2 ? 0 : eum_fs_walk(fs, 0, fids + 2, 2 * (n - 2));
	return *parent < 0 ? EUM_ERR_INVALID_ARG : EUM_OK;
}

/* Decode a table entry's content: one hex string for a transparent EF, or
 * '|'-separated records, each padded with FF to the record length. */
static long content_bytes(const struct dc_file *d, uint8_t *out, size_t cap)
{
	char rec[1024];
	const char *p = d->content;
	size_t off = 0;

	if (!p)
		return 0;
	if (!d->rec_len)
		return eum_hex_decode(p, out, cap);
	while (*p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		long k;
		if (n >= sizeof(rec) || off + d->rec_len > cap)
			return -1;
		memcpy(rec, p, n);
		rec[n] = '\0';
		k = eum_hex_decode(rec, out + off, d->rec_len);
		if (k < 0)
			return -1;
		memset(out + off + k, 0xFF, d->rec_len - (size_t)k);
		off += d->rec_len;
		p += n + (bar ? 1 : 0);
	}
	return (long)off;
}

int eum_default_card_build(struct eum_profile *prof)
{
	uint8_t buf[2048];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(default_files) / sizeof(default_files[0]); i++) {
		const struct dc_file *d = &default_files[i];
		struct eum_file f;
		long clen;
		int32_t parent;

		memset(&f, 0, sizeof(f));
		rc = resolve(&prof->fs, d->path, &parent, &f.fid);
		if (rc)
			return rc;
		f.type = d->type;
		f.sfi = d->sfi;
		f.lcs = EUM_LCS_OPERATIONAL_ACTIVATED;
		f.shareable = 1;
		f.rec_len = d->rec_len;
		f.nrec = d->nrec;
		f.size = EUM_FT_IS_RECORD(d->type) ? (uint32_t)d->rec_len * d->nrec : d->size;
		if (d->aid) {
			long k = eum_hex_decode(d->aid, f.aid, sizeof(f.aid));
			if (k <= 0)
				return EUM_ERR_INVALID_ARG;
			f.aid_len = (uint8_t)k;
		}
		if (d->arr) {
			/* 8B: EF.ARR of the ADF (6F06) or of the MF (2F06), record number */
			int in_adf = strncmp(d->path, "3F00/7FF0/", 10) == 0;
			uint8_t sec[] = {0x8B, 0x03, in_adf ? 0x6F : 0x2F, 0x06, d->arr};
			memcpy(f.sec, sec, sizeof(sec));
			f.sec_len = sizeof(sec);
		}
		clen = content_bytes(d, buf, f.size ? f.size : sizeof(buf));
		if (clen < 0)
			return EUM_ERR_INVALID_ARG;
		rc = eum_fs_add(&prof->fs, parent, &f, buf, (size_t)clen);
		if (rc < 0)
			return rc;
	}
	rc = eum_aka_params_default(&prof->aka, EUM_AKA_ALGO_MILENAGE);
	if (rc)
		return rc;
	if (eum_hex_decode(DEFAULT_K, prof->aka.k, 16) != 16 || eum_hex_decode(DEFAULT_OP, buf, 16) != 16)
		return EUM_ERR_INVALID_ARG;
	rc = eum_milenage_opc(prof->aka.k, buf, prof->aka.opc);
	eum_wipe(buf, 16);
	if (rc)
		return rc;
	/* UICC RFM (TS 102 226 §8) on TAR B00010, no minimum security level */
	prof->rfm[0].in_use = 1;
	prof->rfm[0].tar[0] = 0xB0;
	prof->rfm[0].tar[2] = 0x10;
	for (i = 0; i < sizeof(default_ota_keys) / sizeof(default_ota_keys[0]); i++) {
		const struct dc_ota_key *k = &default_ota_keys[i];
		prof->ota_keys[i].kvn = k->kvn;
		prof->ota_keys[i].kic.algo = k->algo;
		prof->ota_keys[i].kid.algo = k->algo;
		if (eum_hex_decode(k->kic, prof->ota_keys[i].kic.val, sizeof(prof->ota_keys[i].kic.val)) <= 0 ||
		    eum_hex_decode(k->kid, prof->ota_keys[i].kid.val, sizeof(prof->ota_keys[i].kid.val)) <= 0)
			return EUM_ERR_INVALID_ARG;
	}
	for (i = 0; i < sizeof(default_pins) / sizeof(default_pins[0]); i++) {
		const struct dc_pin *p = &default_pins[i];
		rc = eum_pin_set(&prof->pins, p->puk, p->ref, (const uint8_t *)p->value, strlen(p->value), p->tries,
				 p->tries, 1, p->unblock_ref);
		if (rc)
			return rc;
	}
	return EUM_OK;
}
