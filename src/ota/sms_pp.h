/*
 * SMS-PP data download and OTA short messages, card side:
 * ENVELOPE (SMS-PP download) per 3GPP TS 31.111 §7.1.1 / ETSI TS 102 223 §7.1,
 * SMS-DELIVER / SMS-SUBMIT TPDUs and the User Data Header per 3GPP TS 23.040 §9.2,
 * the OTA identifiers (IEI 70 command packet, IEI 71 response packet) per 3GPP TS 31.115 §4,
 * and reassembly of concatenated short messages (TS 23.040 §9.2.3.24.1 / .8).
 *
 * The output of a download is the raw command packet (CPL ... end) for the SCP80
 * engine (src/ota/scp80.c); nothing here looks inside the packet except SPI2 b6
 * (PoR by SMS-SUBMIT), which is reported for convenience.
 */
#ifndef EUM_OTA_SMS_PP_H
#define EUM_OTA_SMS_PP_H

#include <stddef.h>
#include <stdint.h>

/* TS 23.040 §9.2.3.16: at most 140 octets of TP-UD (8-bit data). */
#define EUM_SMS_UD_MAX 140
/* TS 23.040 §9.1.2.5: an address holds at most 20 semi-octets (10 octets). */
#define EUM_SMS_ADDR_MAX_DIGITS 20
/* ETSI TS 102 223 §8.1: address object = TON/NPI + up to 10 octets of BCD digits (we keep 12). */
#define EUM_SMS_SMSC_MAX 12

/* Concatenation bounds ([IMPL]): a set may have at most this many parts (TS 23.040 §9.2.3.24.1: up to
 * 255) and struct eum_sms_reasm.max payload octets in all (eum_config.sms_reassembly_max, default
 * EUM_SMS_REASM_MAX_BYTES: an SCP03t segment of 1,000 bytes with its SCP80 and script framing fits);
 * anything larger is refused. The buffer exists only while a set is being collected. */
#define EUM_SMS_REASM_MAX_SEGMENTS 255
#define EUM_SMS_REASM_MAX_BYTES    4096
#define EUM_SMS_REASSEMBLY_MIN     140   /* one SMS: the smallest sensible setting */
#define EUM_SMS_REASSEMBLY_LIMIT   65535 /* the part offsets are 16-bit */
/* Suggested inactivity timeout for eum_sms_reasm_expire() (seconds). TS 23.040 leaves the value to
 * the receiving entity; a few minutes covers store-and-forward jitter between the parts. */
#define EUM_SMS_REASM_TIMEOUT_S 300

/* TS 23.040 §9.2.3.24 information element identifiers, TS 31.115 §4 (70/71). */
#define EUM_SMS_IEI_CONCAT8  0x00
#define EUM_SMS_IEI_CONCAT16 0x08
#define EUM_SMS_IEI_CPI      0x70 /* command packet identifier */
#define EUM_SMS_IEI_RPI      0x71 /* response packet identifier */

/* TS 23.040 §9.2.3.9: (U)SIM data download; TS 23.038 §4: class 2, 8-bit data. */
#define EUM_SMS_PID_SIM_DATA_DOWNLOAD 0x7F
#define EUM_SMS_DCS_CLASS2_8BIT       0xF6

/* TS 102 223 §8.7 device identities: network -> UICC for SMS-PP download. */
#define EUM_SMS_DEV_NETWORK 0x83
#define EUM_SMS_DEV_UICC    0x81

/* A TP-OA / TP-DA address as on the wire (TS 23.040 §9.1.2.5). */
struct eum_sms_addr {
	uint8_t ndigits;   /* address-length field: number of useful semi-octets */
	uint8_t ton_npi;   /* type of address */
	uint8_t value[10]; /* (ndigits + 1) / 2 octets, semi-octets swapped, F filler */
};

/* A parsed SMS-DELIVER (TS 23.040 §9.2.2.1). Pointers refer to the parsed buffer. */
struct eum_sms_deliver {
	uint8_t first_octet; /* TP-MTI (b2b1 = 00), TP-MMS, TP-LP, TP-SRI, TP-UDHI (40), TP-RP */
	struct eum_sms_addr oa;
	uint8_t pid;
	uint8_t dcs;
	uint8_t scts[7];
	uint8_t udl;       /* TP-UDL as received (septets for 7-bit, else octets) */
	const uint8_t *ud; /* TP-UD octets, from UDHL on when TP-UDHI is set */
	size_t ud_len;     /* octets of TP-UD */
};

/* What the User Data Header says (TS 23.040 §9.2.3.24). */
struct eum_sms_udh {
	uint8_t has_cpi;    /* IEI 70 present */
	uint8_t has_rpi;    /* IEI 71 present */
	uint8_t has_concat; /* IEI 00 or 08 present */
	uint8_t concat16;   /* the reference is 16-bit (IEI 08) */
	uint16_t ref;       /* concatenated short message reference number */
	uint8_t total;      /* maximum number of short messages (1..255) */
	uint8_t seq;        /* sequence number of this part (1..total) */
	size_t hdr_len;     /* octets of TP-UD taken by UDHL + header */
};

/* Reassembly state for concatenated OTA short messages: plain data, fixed size, no heap.
 * One set at a time (a new reference discards an incomplete set). Time is whatever unit the
 * host's clock uses (seconds in eum); only eum_sms_reasm_expire() interprets it. */
struct eum_sms_reasm {
	uint8_t active;
	uint8_t concat16;
	uint16_t ref;
	uint8_t total;
	uint8_t have;      /* parts held */
	uint8_t first_cpi; /* part 1 carried IEI 70 */
	struct eum_sms_addr oa;
	uint64_t last; /* host time of the last accepted part */
	size_t used;   /* octets of buf in use */
	struct {
		uint8_t seq;
		uint8_t len;
		uint16_t off;
	} seg[EUM_SMS_REASM_MAX_SEGMENTS];
	size_t max;   /* largest reassembled payload (0 = EUM_SMS_REASM_MAX_BYTES); kept by init */
	uint8_t *buf; /* max octets, allocated with the first part of a set, wiped and freed with it */
};

/* Results of eum_sms_reasm_add(). */
enum eum_sms_reasm_rc {
	EUM_SMS_REASM_STORED = 0,   /* part kept, the set is still incomplete (gaps mean wait) */
	EUM_SMS_REASM_COMPLETE,     /* the set is complete: out holds the payloads of parts 1..n */
	EUM_SMS_REASM_DUPLICATE,    /* an identical copy of a part already held: ignored */
	EUM_SMS_REASM_INCONSISTENT, /* same reference but other total, or a part that differs from the
	                             * one held: the set is discarded */
	EUM_SMS_REASM_TOO_BIG,      /* over EUM_SMS_REASM_MAX_SEGMENTS / _MAX_BYTES or the output
	                             * capacity: refused, the set is discarded */
	EUM_SMS_REASM_RC_NUM
};

/* What one SMS-PP download ENVELOPE turned out to be. */
enum eum_sms_pp_kind {
	EUM_SMS_PP_COMMAND_PACKET = 0, /* pkt holds a complete command packet */
	EUM_SMS_PP_SEGMENT_STORED,     /* part of a concatenated packet kept, waiting for the others */
	EUM_SMS_PP_DUPLICATE,          /* a part already held, ignored */
	EUM_SMS_PP_NOT_OTA,            /* a well-formed SMS that is not an OTA command packet: ignored */
	EUM_SMS_PP_KIND_NUM
};

struct eum_sms_pp_msg {
	enum eum_sms_pp_kind kind;
	size_t pkt_len;                 /* command packet length (kind == EUM_SMS_PP_COMMAND_PACKET) */
	struct eum_sms_addr oa;         /* TP-OA: where a PoR by SMS-SUBMIT goes (TP-DA) */
	uint8_t smsc[EUM_SMS_SMSC_MAX]; /* value of the address object (TON/NPI + BCD), if present */
	uint8_t smsc_len;               /* 0 when the ENVELOPE carried no address */
	uint8_t pid;
	uint8_t dcs;
	uint8_t por_via_submit; /* SPI2 b6 of the packet's clear header (TS 31.115 §4.2) */
};

/* TS 23.038 §4: 0 = GSM 7-bit, 1 = 8-bit data, 2 = UCS2. */
int eum_sms_dcs_alphabet(uint8_t dcs);
/* TS 23.038 §4: message class 0..3, or -1 when the DCS carries none. */
int eum_sms_dcs_class(uint8_t dcs);

/* TS 23.040 §9.2.2.1: parse an SMS-DELIVER TPDU; the TPDU must end exactly with its TP-UD.
 * Returns EUM_OK or EUM_ERR_PARSE. */
int eum_sms_deliver_parse(const uint8_t *tpdu, size_t len, struct eum_sms_deliver *out);
/* TS 23.040 §9.2.3.24: parse the UDH at the start of TP-UD (ud[0] = UDHL).
 * Concatenation IEs with a wrong length, total 0, or a part number of 0 or above the total are
 * refused (TS 23.040 would have the IE ignored; for OTA a half-understood part is useless).
 * Returns EUM_OK or EUM_ERR_PARSE. */
int eum_sms_udh_parse(const uint8_t *ud, size_t ud_len, struct eum_sms_udh *out);

void eum_sms_reasm_init(struct eum_sms_reasm *r);
/* The largest payload a set may reassemble to (r->max, or its default). */
size_t eum_sms_reasm_max(const struct eum_sms_reasm *r);
/* Timeout policy, driven by the host: call with the current time before (or independently of)
 * feeding parts. An incomplete set whose last part arrived max_age or more ago is discarded.
 * Returns 1 when a set was discarded, 0 otherwise. The card's clock hook supplies `now`. */
int eum_sms_reasm_expire(struct eum_sms_reasm *r, uint64_t now, uint64_t max_age);
/* Feed one part (h->has_concat must be set). On EUM_SMS_REASM_COMPLETE, out receives the
 * payloads of parts 1..total in order (*out_len octets), *first_cpi says whether part 1 carried
 * IEI 70, and the state is reset. Parts are accepted in any order; a part of another reference
 * or originator discards an incomplete set and starts a new one. */
enum eum_sms_reasm_rc eum_sms_reasm_add(struct eum_sms_reasm *r, const struct eum_sms_addr *oa,
                                        const struct eum_sms_udh *h, const uint8_t *payload, size_t len, uint64_t now,
                                        uint8_t *out, size_t cap, size_t *out_len, int *first_cpi);

/*
 * 3GPP TS 31.111 §7.1.1.2 / ETSI TS 102 223 §7.1: handle the data field of an ENVELOPE
 * (SMS-PP download, tag D1). `data` is the ENVELOPE data (D1 L ...), `now` the host time (stamps
 * concatenated parts), `pkt`/`cap` receive a complete command packet (r->max octets always
 * suffice). Returns the status word for the ENVELOPE:
 *   9000 accepted (see msg->kind; the caller answers with PoR data or nothing);
 *   6700 empty data, or the D1 length does not match the data length (Lc inconsistent);
 *   6A80 malformed template, missing/invalid device identities or SMS TPDU, malformed TPDU/UDH,
 *        inconsistent concatenation (TS 102 221 §10.2.1.5 "incorrect parameters in the data field");
 *   6A84 the concatenated packet exceeds our bounds or cap (TS 102 221: "not enough memory").
 * A well-formed SMS that is not an OTA command packet (TP-PID not 7F, DCS not class 2 8-bit,
 * no IEI 70) is acknowledged with 9000 and EUM_SMS_PP_NOT_OTA: the card has no other consumer.
 */
uint16_t eum_sms_pp_download(struct eum_sms_reasm *r, const uint8_t *data, size_t len, uint64_t now, uint8_t *pkt,
                             size_t cap, struct eum_sms_pp_msg *msg);

/*
 * TS 31.115 §4.2 / TS 31.111 §7.1.1.2: ENVELOPE response data carrying a PoR directly (the
 * terminal puts it in the RP-ACK's SMS-DELIVER-REPORT TP-UD): UDH 02 71 00 followed by the
 * response packet (RPL ...). The recorded real-card PoRs in scp80.json have exactly this shape.
 * Status word: 9000 with data; the APDU layer turns it into 61xx under T=0.
 * Returns EUM_OK, EUM_ERR_INVALID_ARG or EUM_ERR_BUFFER_TOO_SMALL.
 */
int eum_sms_pp_por_response(const uint8_t *rsp_pkt, size_t len, uint8_t *out, size_t cap, size_t *out_len);

/* Number of SMS-SUBMIT TPDUs needed for a packet of pkt_len octets: 1 when UDH 02 7x 00 + packet
 * fits 140 octets, else parts of 132 (first: UDH 07 7x 00 00 03 ref n 1) and 134 octets (UDH 05 00
 * 03 ref n i). Returns 0 when more than 255 parts would be needed. */
size_t eum_sms_submit_count(size_t pkt_len);
/*
 * TS 23.040 §9.2.2.2 + TS 31.115 §4: build part `index` (0-based) of the SMS-SUBMIT TPDU(s)
 * carrying pkt for the proactive SEND SHORT MESSAGE: TP-MTI 01 with TP-UDHI (first octet 41),
 * TP-MR 00 (the terminal assigns it), TP-DA = da, TP-PID 7F, TP-DCS F6, no TP-VP, UDH with `iei`
 * (EUM_SMS_IEI_RPI for a PoR, EUM_SMS_IEI_CPI for a card-originated command packet such as an
 * SGP.02 notification) in the first part, 8-bit concatenation with reference `ref` when needed.
 * Returns EUM_OK, EUM_ERR_INVALID_ARG or EUM_ERR_BUFFER_TOO_SMALL.
 */
int eum_sms_submit_build(const struct eum_sms_addr *da, uint8_t iei, const uint8_t *pkt, size_t pkt_len, uint8_t ref,
                         size_t index, uint8_t *out, size_t cap, size_t *out_len);

#endif
