/*
 * SCP80 secured packets, card side: ETSI TS 102 225 (secured packet structure,
 * counters, ciphering, RC/CC, response status codes) in the SMS dialect of
 * 3GPP TS 31.115 (2-byte CPL/RPL, CPI/RPI carried as UDH IEIs 70/71), and the
 * TS 102 226 minimum security level check.
 *
 * A pure engine: bytes in, bytes out. It knows nothing of SMS framing
 * (src/ota/sms_pp.c) or of how the secured data is executed
 * (src/ota/remote_apdu.c). Key sets and counters are plain data owned by the
 * security domain that holds the TAR; the engine reaches them through a
 * lookup callback and never writes them: it returns the counter value the
 * caller must persist before it answers. No heap allocation.
 */
#ifndef EUM_OTA_SCP80_H
#define EUM_OTA_SCP80_H

#include <stddef.h>
#include <stdint.h>

/* TS 102 225 §5.1.4 Table 5 / TS 31.115 §7: response status codes. */
#define EUM_SCP80_POR_OK                      0x00
#define EUM_SCP80_RC_CC_DS_FAILED             0x01
#define EUM_SCP80_CNTR_LOW                    0x02
#define EUM_SCP80_CNTR_HIGH                   0x03
#define EUM_SCP80_CNTR_BLOCKED                0x04
#define EUM_SCP80_CIPHERING_ERROR             0x05
#define EUM_SCP80_UNIDENTIFIED_SECURITY_ERROR 0x06
#define EUM_SCP80_INSUFFICIENT_MEMORY         0x07
#define EUM_SCP80_MORE_TIME                   0x08
#define EUM_SCP80_TAR_UNKNOWN                 0x09
#define EUM_SCP80_INSUFFICIENT_SECURITY_LEVEL 0x0A
#define EUM_SCP80_RESPONSE_VIA_SMS_SUBMIT     0x0B
#define EUM_SCP80_RESPONSE_VIA_USSD           0x0C
#define EUM_SCP80_STATUS_NUM                  0x0D

/* Spec name of a response status code, for logs ("unknown" outside the table). */
const char *eum_scp80_status_name(uint8_t status);

/* SPI1 (TS 102 225 §5.1.1): counter management b5-b4, ciphering b3, RC/CC/DS b2-b1. */
#define EUM_SCP80_SPI1_CNTR(spi1) (((spi1) >> 3) & 3)
#define EUM_SCP80_CNTR_NONE       0 /* no counter available */
#define EUM_SCP80_CNTR_NO_CHECK   1 /* counter available, no replay/sequence check */
#define EUM_SCP80_CNTR_HIGHER     2 /* process only if CNTR > stored */
#define EUM_SCP80_CNTR_ONE_HIGHER 3 /* process only if CNTR = stored + 1 */
#define EUM_SCP80_SPI1_CIPHER     0x04
#define EUM_SCP80_SPI_IC(b)       ((b)&3) /* SPI1 b2-b1 for commands, SPI2 b4-b3 >> 2 for PoRs */
#define EUM_SCP80_IC_NONE         0
#define EUM_SCP80_IC_RC           1
#define EUM_SCP80_IC_CC           2
#define EUM_SCP80_IC_DS           3
/* SPI2: PoR required b2-b1, PoR integrity b4-b3, PoR ciphered b5, PoR via SMS-SUBMIT b6. */
#define EUM_SCP80_SPI2_POR(spi2)    ((spi2)&3)
#define EUM_SCP80_POR_NONE          0
#define EUM_SCP80_POR_ALWAYS        1
#define EUM_SCP80_POR_ON_ERROR      2
#define EUM_SCP80_SPI2_POR_IC(spi2) (((spi2) >> 2) & 3)
#define EUM_SCP80_SPI2_POR_CIPHER   0x10
#define EUM_SCP80_SPI2_POR_SUBMIT   0x20

/* Key algorithms of a key set (TS 102 225 §5.1.2/§5.1.3: KIc/KID low nibble
 * 1 = DES, 5 = 3DES 2-key, 9 = 3DES 3-key, 2 = AES of any key length). */
enum eum_scp80_algo {
	EUM_SCP80_ALGO_NONE = 0, /* no key */
	EUM_SCP80_ALGO_DES,      /* 8-byte key; legacy, only if the SD provisioned it */
	EUM_SCP80_ALGO_TDES2,    /* 16-byte key */
	EUM_SCP80_ALGO_TDES3,    /* 24-byte key */
	EUM_SCP80_ALGO_AES128,
	EUM_SCP80_ALGO_AES192,
	EUM_SCP80_ALGO_AES256,
	EUM_SCP80_ALGO_NUM
};

/* Key length in bytes of an algorithm (0 for NONE/out of range). */
size_t eum_scp80_algo_keylen(uint8_t algo);

/* One key: algorithm (enum eum_scp80_algo) and value. Plain data. */
struct eum_scp80_key {
	uint8_t algo;
	uint8_t val[32];
};

/* One OTA key set (TS 102 225 Annex A: KVN 1..15, key id 1 = KIc, 2 = KID).
 * Plain persistent data, no pointers. */
struct eum_scp80_keyset {
	uint8_t kvn;
	struct eum_scp80_key kic;
	struct eum_scp80_key kid;
	struct eum_scp80_key kik; /* key id 3, key encryption key (algo 0 = none); kept and reported, not used */
};

/* The 5-byte replay counter kept per TAR / key set (TS 102 225 §5.1.1). */
#define EUM_SCP80_CNTR_LEN 5
struct eum_scp80_counter {
	uint8_t v[EUM_SCP80_CNTR_LEN];
};

/* What the owning security domain answers for a TAR. */
struct eum_scp80_tar_info {
	const struct eum_scp80_keyset *kic_set; /* key set for the KIc KVN, or NULL if none */
	const struct eum_scp80_keyset *kid_set; /* key set for the KID KVN, or NULL if none */
	struct eum_scp80_counter cntr;          /* stored counter for this TAR / key set */
	uint8_t msl;                            /* TS 102 226 minimum security level (SPI1 coding), 0 = none */
};

/*
 * Lookup callback: fill *out for tar and the KVNs of KIc/KID (high nibbles,
 * 0 = implicit, the SD decides). Returns EUM_OK, EUM_ERR_NOT_FOUND for an
 * unknown TAR, or another eum_err (reported as status 06). The key sets are
 * borrowed until the engine call returns.
 */
typedef int (*eum_scp80_lookup_fn)(void *ctx, const uint8_t tar[3], uint8_t kic_kvn, uint8_t kid_kvn,
                                   struct eum_scp80_tar_info *out);

/* Result of eum_scp80_unwrap(): everything the caller and the PoR need. */
struct eum_scp80_cmd {
	uint8_t status;      /* TS 102 225 response status code */
	uint8_t header_ok;   /* 1: SPI/KIc/KID/TAR were read, a PoR can be addressed */
	uint8_t keys_ok;     /* 1: keys found and the packet deciphered: the PoR may be secured */
	uint8_t cntr_update; /* 1: store new_cntr before answering (only set when status is 00) */
	uint8_t spi[2];
	uint8_t kic;
	uint8_t kid;
	uint8_t tar[3];
	uint8_t cntr[EUM_SCP80_CNTR_LEN]; /* CNTR received (0 if not deciphered); echoed in the PoR */
	uint8_t pcntr;
	uint8_t ic_len;                    /* length of the command's RC/CC/DS */
	struct eum_scp80_counter new_cntr; /* value to persist when cntr_update */
	const uint8_t *data;               /* plaintext secured data without padding, inside the caller's work buffer */
	size_t data_len;
};

/*
 * Unwrap one command packet (TS 102 225 §5.1, TS 31.115 §6; SMS dialect,
 * starting at CPL: the UDH with CPI 70 is not part of it).
 *
 * pkt/len: the packet, borrowed. work/work_cap: caller buffer of at least
 * len bytes receiving the deciphered part (CNTR..end); on success cmd->data
 * points into it and the caller wipes it after use; on any other status the
 * engine wipes what it wrote there. The stored counter is never written: when cmd->status is
 * 00 and cmd->cntr_update is set the caller persists cmd->new_cntr first.
 *
 * Returns EUM_OK whenever cmd->status is set (whatever the status),
 * EUM_ERR_INVALID_ARG, EUM_ERR_BUFFER_TOO_SMALL (work too small), or
 * EUM_ERR_CRYPTO / a lookup error (status 06 set as well).
 */
int eum_scp80_unwrap(const uint8_t *pkt, size_t len, eum_scp80_lookup_fn lookup, void *lookup_ctx, uint8_t *work,
                     size_t work_cap, struct eum_scp80_cmd *cmd);

/* Minimum security level check (TS 102 226 §8.2.1.3.2.4.2, coding of SPI1):
 * 1 when spi1 meets msl. */
int eum_scp80_msl_ok(uint8_t msl, uint8_t spi1);

/*
 * Error PoR policy. TS 102 225 / 31.115 as digested do not pin down whether
 * a PoR carrying an error status is itself ciphered / checksummed (spec
 * digest scp80-ota.md §6.4, UNCONFIRMED):
 *  - CLEAR: every error PoR is sent without RC/CC/DS and unciphered;
 *  - AS_SPI2: when the keys were found and the packet deciphered (statuses
 *    01-04 and any code the caller adds after a successful unwrap) the PoR is
 *    secured as SPI2 asks; otherwise (05, 06, 09, 0A, malformed) it is clear.
 * A PoR with status 00 is always secured as SPI2 asks.
 */
enum eum_scp80_error_por {
	EUM_SCP80_ERROR_POR_CLEAR = 0,
	EUM_SCP80_ERROR_POR_AS_SPI2 = 1,
};
/* The one switch the card uses (callers pass it to eum_scp80_build_por). */
#define EUM_SCP80_ERROR_POR EUM_SCP80_ERROR_POR_AS_SPI2

/* The RPI UDH (TS 31.115 §7): UDHL 02, IEI 71, IEDL 00. It is part of the
 * PoR's RC/CC input; the framer puts it (or its own UDH) in front. */
#define EUM_SCP80_RPI_UDH_LEN 3
extern const uint8_t eum_scp80_rpi_udh[EUM_SCP80_RPI_UDH_LEN];

/* Whether SPI2 asks for a PoR for this status (TS 102 225 §5.1.1 SPI2 b2-b1). */
int eum_scp80_por_wanted(const struct eum_scp80_cmd *cmd, uint8_t status);

/*
 * Build the response packet (TS 102 225 §5.2, TS 31.115 §7; RPL … end,
 * without the RPI UDH) for a command unwrapped by eum_scp80_unwrap(). The
 * same bytes serve the SMS-DELIVER-REPORT and the SMS-SUBMIT transport
 * (cmd->spi[1] & EUM_SCP80_SPI2_POR_SUBMIT tells which one SPI2 asked for).
 *
 * status: the response status code (usually cmd->status, or 0B/0C/07/08 set
 * by the caller). data/data_len: additional response data (the TS 102 226
 * response), borrowed; sent as given (pass none with error statuses). The
 * key sets are looked up
 * again with the same callback. error_por: EUM_SCP80_ERROR_POR unless a test
 * wants the other policy. Returns EUM_OK, EUM_ERR_INVALID_ARG (no header),
 * EUM_ERR_BUFFER_TOO_SMALL or EUM_ERR_CRYPTO.
 */
int eum_scp80_build_por(const struct eum_scp80_cmd *cmd, eum_scp80_lookup_fn lookup, void *lookup_ctx, uint8_t status,
                        const uint8_t *data, size_t data_len, enum eum_scp80_error_por error_por, uint8_t *out,
                        size_t cap, size_t *out_len);

#endif
