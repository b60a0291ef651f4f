/*
 * Remote APDU structures, card side: ETSI TS 102 226 §5 (compact and expanded remote command
 * scripts and their responses), as carried in the secured data of an SCP80 command packet or
 * (expanded, indefinite) in an SCP81 HTTP body.
 *
 * Which status words let a script go on (TS 102 226 §5.1.1 / §5.2.1 "stop at the first error"):
 *   9000, 91xx (proactive command pending), 92xx (normal ending with extra information),
 *   61xx / 9Fxx (response data available), and the warnings 62xx / 63xx.
 * Everything else stops the script after that command (its SW is reported).
 * Confirmed from: onomondo-uicc ss_sw_is_successful() (9000, 91xx, 61xx-63xx continue), our spec
 * digest scp80-ota.md §9.2 (90xx/61xx/62xx/63xx; exact rule marked UNCONFIRMED there), and the
 * recorded real-card PoRs in scp80.json (compact response "01 61 32" after SELECT: 61xx is not
 * an error and is reported as is). 92xx and 9Fxx are added from TS 102 221 §10.2.1.1/.2 (normal
 * processing); the warning rule sits behind EUM_RAPDU_WARNINGS_CONTINUE.
 *
 * 61xx / GET RESPONSE: in the compact format the script carries its own GET RESPONSE (case 4
 * commands are sent without Le, T=0 style), so remote_apdu does NOT fetch: a 61xx is reported
 * like the real cards above do. In the expanded format the C-APDU TLV holds an ISO 7816-4 APDU
 * with Le, and remote_apdu DOES fetch: on 61xx it sends GET RESPONSE (INS C0, Le = xx) through
 * the same exec callback, on 6Cxx it re-sends the command with Le = xx, and reports the final
 * data and SW in one R-APDU TLV. Both defaults can be changed with the flags below
 * (EUM_RAPDU_FLAGS_DEFAULT). The expanded-format fetch is our reading of TS 102 226 §5.2.1
 * (UNCONFIRMED: the clause text was not reachable).
 */
#ifndef EUM_OTA_REMOTE_APDU_H
#define EUM_OTA_REMOTE_APDU_H

#include <stddef.h>
#include <stdint.h>

/* TS 102 226 §5.2.1 / §5.2.2 tags. */
#define EUM_RAPDU_TAG_CMD_SCRIPT       0xAA /* command scripting template, definite length */
#define EUM_RAPDU_TAG_CMD_SCRIPT_INDEF 0xAE /* command scripting template, indefinite (AE 80 ... 00 00) */
#define EUM_RAPDU_TAG_RSP_SCRIPT       0xAB /* response scripting template, definite length */
#define EUM_RAPDU_TAG_RSP_SCRIPT_INDEF 0xAF /* response scripting template, indefinite (AF 80 ... 00 00) */
#define EUM_RAPDU_TAG_CAPDU            0x22
#define EUM_RAPDU_TAG_RAPDU            0x23
#define EUM_RAPDU_TAG_IMMEDIATE_ACTION 0x81 /* in AA/AE; in AB/AF: immediate action response */
#define EUM_RAPDU_TAG_ERROR_ACTION     0x82
#define EUM_RAPDU_TAG_SCRIPT_CHAINING  0x83
#define EUM_RAPDU_TAG_NUM_EXECUTED     0x80 /* first TLV of AB */
#define EUM_RAPDU_TAG_BAD_FORMAT       0x90

/* Bad format TLV values (TS 102 226 §5.2.2). */
#define EUM_RAPDU_BAD_UNKNOWN_TAG    0x01
#define EUM_RAPDU_BAD_WRONG_LENGTH   0x02
#define EUM_RAPDU_BAD_LENGTH_MISSING 0x03

/* Switch for the warning rule (see the file comment). */
#define EUM_RAPDU_WARNINGS_CONTINUE 1

/* Flags of eum_rapdu_run(). */
#define EUM_RAPDU_FETCH_COMPACT  0x01 /* fetch 61xx / re-send on 6Cxx in compact scripts */
#define EUM_RAPDU_FETCH_EXPANDED 0x02 /* the same in expanded scripts */
#define EUM_RAPDU_FLAGS_DEFAULT  EUM_RAPDU_FETCH_EXPANDED

/* Bound on the GET RESPONSE rounds for one command (each round yields at least one byte). */
#define EUM_RAPDU_MAX_FETCH 16

enum eum_rapdu_format {
	EUM_RAPDU_COMPACT = 0,
	EUM_RAPDU_EXPANDED_DEFINITE,   /* AA -> AB */
	EUM_RAPDU_EXPANDED_INDEFINITE, /* AE -> AF */
	EUM_RAPDU_FORMAT_NUM
};

/*
 * Executes one C-APDU on the target application (the TAR's virtual channel) and returns its SW.
 * Writes min(n, cap) response data octets to rdata and sets *rlen to n, the full length: *rlen >
 * cap tells remote_apdu the data did not fit (see eum_rapdu_result.truncated).
 */
typedef uint16_t (*eum_rapdu_exec_fn)(void *ctx, const uint8_t *capdu, size_t len, uint8_t *rdata, size_t cap,
                                      size_t *rlen);
/*
 * Optional handler of TLVs other than 22/81/82/83 in an expanded script (e.g. SGP.02 SCP03t TLVs
 * 84/85/86). Returns 0 when it consumed the TLV (it may append response TLVs to rsp, up to cap,
 * setting *rlen) and a non-zero value when the TLV is unknown (-> bad format 01). A consumed TLV
 * does not count as an executed C-APDU.
 */
typedef int (*eum_rapdu_tlv_fn)(void *ctx, uint8_t tag, const uint8_t *val, size_t len, uint8_t *rsp, size_t cap,
                                size_t *rlen);

struct eum_rapdu_ops {
	eum_rapdu_exec_fn exec; /* required */
	eum_rapdu_tlv_fn other; /* optional */
	/* Optional: immediate action (tag 81; coding UNCONFIRMED, passed through). Returns 0 and may
	 * write an immediate action response value (-> 81 L value in the response); non-zero stops
	 * the script. NULL: immediate actions are skipped without a response TLV. */
	int (*immediate)(void *ctx, const uint8_t *val, size_t len, uint8_t *rsp, size_t cap, size_t *rlen);
	/* Optional: called once when a C-APDU fails, with the last error action TLV value seen before
	 * it (tag 82; coding UNCONFIRMED). */
	void (*error_action)(void *ctx, const uint8_t *val, size_t len, uint16_t sw);
	void *ctx;
};

struct eum_rapdu_result {
	enum eum_rapdu_format format;
	unsigned executed;  /* C-APDUs executed (the failing one included) */
	uint16_t last_sw;   /* SW of the last executed C-APDU (0 if none) */
	uint8_t stopped;    /* a C-APDU failed and the rest was skipped */
	uint8_t bad_format; /* 0 or the bad format code reported */
	uint8_t truncated;  /* response data did not fit: cut, and the script stopped there */
	uint8_t chaining;   /* script chaining value (TLV 83), 0 if absent */
	size_t len;         /* response octets in out */
};

/* TS 102 226 §5: status words that let a script continue. */
int eum_rapdu_sw_continues(uint16_t sw);
/* First octet AA/AE -> expanded, anything else compact (TS 102 226 §5.2: the format is also given
 * by the TAR's configuration; callers that know it may ignore this). */
enum eum_rapdu_format eum_rapdu_detect(const uint8_t *script, size_t len);

/*
 * TS 102 226 §5.1 / §5.2: run a remote command script and build its response in out:
 *   compact:  number of executed commands (1) | SW1 SW2 of the last | its response data
 *             (the SW-before-data order of TS 102 226 §5.1.2, as pySim's CompactRemoteResp and
 *             onomondo's process_commands encode it);
 *   AA -> AB L [80 01 n] {23 L data SW1 SW2 | 81 L ...}* [90 01 code]
 *   AE -> AF 80 {23 ... | 81 ...}* [90 01 code] 00 00   (no 80 TLV in the indefinite form).
 * Compact C-APDUs are T=0 style: CLA INS P1 P2 P3 [data]; P3 is Le (no data) for the case 2
 * instructions of TS 102 221 / GlobalPlatform (READ BINARY/RECORD, GET RESPONSE, GET CHALLENGE,
 * GET DATA, MANAGE CHANNEL, FETCH, STATUS), Lc otherwise. A truncated compact command counts as
 * executed with SW 6700 (wrong length) and ends the script. The response never overflows cap:
 * when an R-APDU's data does not fit, it is cut, `truncated` is set and the script stops
 * ([IMPL]: no TS 102 226 text available on this point).
 * Returns EUM_OK (a response was built), EUM_ERR_INVALID_ARG, or EUM_ERR_BUFFER_TOO_SMALL when
 * cap cannot hold even an empty response (3 octets compact; 11 expanded: header, count and the room
 * kept for a bad format TLV and the closing octets).
 */
int eum_rapdu_run(const uint8_t *script, size_t len, const struct eum_rapdu_ops *ops, unsigned flags, uint8_t *out,
                  size_t cap, struct eum_rapdu_result *res);

#endif
