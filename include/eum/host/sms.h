/**
 * \file sms.h
 * \brief libeum-host: OTA over SMS-PP seen from the network side, and TS 102 226 remote command scripts.
 *
 * - Builds the SMS-PP data download ENVELOPE APDUs (3GPP TS 31.111 §7.1.1, ETSI TS 102 223 §7.1)
 *   that carry a command packet (built by eum_host_scp80_build_cmd()) inside SMS-DELIVER TPDUs
 *   (3GPP TS 23.040 §9.2.2.1): one SMS with UDH `02 70 00`, or several concatenated ones (UDH
 *   `07 70 00 00 03 ref n 1` in the first, `05 00 03 ref n i` in the others; IEI 08 with a 16-bit
 *   reference on request).
 * - Parses the proactive SEND SHORT MESSAGE (FETCH response `D0 …`, TS 102 223 §6.6.9) and the
 *   SMS-SUBMIT inside it (TS 23.040 §9.2.2.2) to get the response packet (UDH IEI 71) or a
 *   card-originated command packet (IEI 70), and joins concatenated parts.
 * - Builds compact and expanded (AA definite / AE indefinite) remote command scripts and parses
 *   their responses (ETSI TS 102 226 §5).
 *
 * This code is independent of the card's src/ota implementation on purpose: tests use one to
 * check the other.
 *
 * Ownership: every buffer is borrowed for the duration of the call; parsed structures point into
 * the caller's input buffer, which must outlive them. No allocation, no global state.
 * Errors: ::EUM_ERR_INVALID_ARG, ::EUM_ERR_BUFFER_TOO_SMALL, ::EUM_ERR_PARSE.
 */
#ifndef EUM_HOST_SMS_H
#define EUM_HOST_SMS_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief TS 23.040 §9.2.3.16: TP-UD holds at most 140 octets of 8-bit data. */
#define EUM_HOST_SMS_UD_MAX 140
/** \brief TS 23.040 §9.1.2.5: at most 20 address digits. */
#define EUM_HOST_SMS_DIGITS_MAX 20

/** \brief How the SMS-DELIVER TPDUs around a command packet look. */
struct eum_host_sms_deliver_params {
	const char *oa;       /**< TP-OA digits ("0"-"9", "*", "#", "a"-"c"), e.g. "12345678" */
	uint8_t oa_ton_npi;   /**< TP-OA type of address, e.g. 0x91 (international, E.164) */
	const char *smsc;     /**< SMSC digits for the ENVELOPE address object (tag 86); NULL = omitted */
	uint8_t smsc_ton_npi; /**< its type of address */
	uint8_t first_octet;  /**< TP-MMS/TP-LP/TP-SRI/TP-RP bits; TP-MTI (00) and TP-UDHI are set by the builder */
	uint8_t pid;          /**< TP-PID, 0x7F ((U)SIM data download) */
	uint8_t dcs;          /**< TP-DCS, 0xF6 (class 2, 8-bit data) */
	uint8_t scts[7];      /**< TP-SCTS as on the wire (semi-octets swapped) */
	int concat16;         /**< non-zero: IEI 08 with a 16-bit reference, else IEI 00 */
	uint16_t concat_ref;  /**< concatenation reference (low 8 bits used with IEI 00) */
};

/**
 * \brief Defaults: OA "12345678" / 0x91, SMSC "4477" / 0x91, first octet 0, PID 7F, DCS F6,
 *        SCTS 22 70 52 00 00 00 00, IEI 00 with reference 0 (the shape of the scp80.json vectors).
 * \param p parameters to fill.
 */
EUM_API void eum_host_sms_deliver_params_init(struct eum_host_sms_deliver_params *p);

/**
 * \brief Number of SMS (and ENVELOPE APDUs) needed to carry a command packet.
 * \param p TPDU parameters (only the concatenation kind matters).
 * \param pkt_len command packet length.
 * \param count receives 1 when `02 70 00` + packet fits 140 octets, else the number of parts.
 * \return ::EUM_OK, or ::EUM_ERR_INVALID_ARG when more than 255 parts would be needed.
 */
EUM_API int eum_host_sms_envelope_count(const struct eum_host_sms_deliver_params *p, size_t pkt_len, size_t *count);

/**
 * \brief Build ENVELOPE (SMS-PP download) APDU number \p index (0-based) for a command packet:
 *        `80 C2 00 00 Lc D1 L 82 02 83 81 [86 L TON/NPI digits] 8B L <SMS-DELIVER>`.
 * \param p TPDU parameters.
 * \param pkt command packet (CPL … end), as built by eum_host_scp80_build_cmd().
 * \param pkt_len its length.
 * \param index which part.
 * \param apdu output buffer (261 octets always suffice).
 * \param cap its capacity.
 * \param apdu_len receives the APDU length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG (bad digits, index out of range) or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_sms_build_envelope(const struct eum_host_sms_deliver_params *p, const uint8_t *pkt, size_t pkt_len,
                                        size_t index, uint8_t *apdu, size_t cap, size_t *apdu_len);

/** \brief One SMS-SUBMIT taken out of a proactive SEND SHORT MESSAGE. */
struct eum_host_sms_submit {
	uint8_t first_octet;                  /**< TP-MTI (01), TP-RD, TP-VPF, TP-SRR, TP-UDHI, TP-RP */
	uint8_t mr;                           /**< TP-MR */
	char da[EUM_HOST_SMS_DIGITS_MAX + 1]; /**< TP-DA digits as text */
	uint8_t da_ton_npi;                   /**< TP-DA type of address */
	uint8_t pid;                          /**< TP-PID */
	uint8_t dcs;                          /**< TP-DCS */
	int has_rpi;                          /**< UDH carries IEI 71 (response packet) */
	int has_cpi;                          /**< UDH carries IEI 70 (command packet) */
	int concat;                           /**< UDH carries a concatenation IE */
	uint16_t ref;                         /**< concatenation reference */
	uint8_t total;                        /**< number of parts */
	uint8_t seq;                          /**< this part (1-based) */
	const uint8_t *payload;               /**< TP-UD after the UDH (points into the input) */
	size_t payload_len;                   /**< its length */
};

/**
 * \brief Parse the data of a FETCH response holding SEND SHORT MESSAGE (TS 102 223 §6.6.9):
 *        `D0 L 81 03 n 13 q 82 02 81 83 [85 …] [86 …] 8B L <SMS-SUBMIT> …`.
 * \param fetch FETCH response data (without SW1 SW2).
 * \param len its length.
 * \param out receives the SMS-SUBMIT fields; pointers refer to \p fetch.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_PARSE (not a SEND SHORT MESSAGE, malformed
 *         TLVs, not an 8-bit SMS-SUBMIT, malformed UDH).
 */
EUM_API int eum_host_sms_parse_send_sm(const uint8_t *fetch, size_t len, struct eum_host_sms_submit *out);

/**
 * \brief Join the payloads of SMS-SUBMIT parts given in any order (TS 23.040 §9.2.3.24.1).
 * \param parts parsed parts; one part without concatenation IE is returned as is.
 * \param n number of parts.
 * \param out receives parts 1..total in order.
 * \param cap its capacity.
 * \param out_len receives the length.
 * \return ::EUM_OK, ::EUM_ERR_PARSE (missing, repeated or inconsistent parts) or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_sms_join(const struct eum_host_sms_submit *parts, size_t n, uint8_t *out, size_t cap,
                              size_t *out_len);

/** \brief Remote command script formats (ETSI TS 102 226 §5.1, §5.2). */
enum eum_host_sms_script_format {
	EUM_HOST_SMS_SCRIPT_COMPACT = 0,   /**< C-APDUs back to back */
	EUM_HOST_SMS_SCRIPT_DEFINITE = 1,  /**< AA L { 22 L C-APDU }* ; response AB */
	EUM_HOST_SMS_SCRIPT_INDEFINITE = 2 /**< AE 80 { 22 L C-APDU }* 00 00 ; response AF */
};

/**
 * \brief Build a remote command script from C-APDUs.
 * \param format compact, definite (AA) or indefinite (AE) expanded format.
 * \param apdus the C-APDUs (compact: T=0 form CLA INS P1 P2 P3 [data]; expanded: ISO 7816-4 form
 *        with Le where a response is wanted).
 * \param lens their lengths (4..261).
 * \param n number of C-APDUs.
 * \param out output buffer.
 * \param cap its capacity.
 * \param out_len receives the script length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_host_sms_script_build(enum eum_host_sms_script_format format, const uint8_t *const *apdus,
                                      const size_t *lens, size_t n, uint8_t *out, size_t cap, size_t *out_len);

/** \brief A parsed remote command script response. */
struct eum_host_sms_script_response {
	enum eum_host_sms_script_format format; /**< as detected (AB, AF, else compact) */
	unsigned executed;                      /**< compact: count byte; AB: TLV 80; AF: number of R-APDU TLVs */
	uint16_t last_sw;                       /**< SW of the last R-APDU (0 when there is none) */
	const uint8_t *last_data;               /**< response data of the last R-APDU (points into the input) */
	size_t last_data_len;                   /**< its length */
	size_t rapdus;                          /**< number of R-APDU TLVs (compact: 1 when executed > 0) */
	uint8_t bad_format;                     /**< value of a bad format TLV (90), 0 if absent */
};

/**
 * \brief Parse a remote command script response (the secured data of a PoR, or an SCP81 body).
 * \param rsp response bytes.
 * \param len their length.
 * \param expanded non-zero if the script sent was expanded (the response then starts AB or AF).
 * \param out receives the fields.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG or ::EUM_ERR_PARSE.
 */
EUM_API int eum_host_sms_script_parse_response(const uint8_t *rsp, size_t len, int expanded,
                                               struct eum_host_sms_script_response *out);

/**
 * \brief Get R-APDU TLV number \p index (0-based) of an expanded response.
 * \param rsp response bytes (AB … or AF 80 … 00 00).
 * \param len their length.
 * \param index which R-APDU.
 * \param rapdu receives a pointer to "data SW1 SW2" inside \p rsp.
 * \param rapdu_len receives its length (at least 2).
 * \return ::EUM_OK, ::EUM_ERR_NOT_FOUND or ::EUM_ERR_PARSE.
 */
EUM_API int eum_host_sms_script_rapdu(const uint8_t *rsp, size_t len, size_t index, const uint8_t **rapdu,
                                      size_t *rapdu_len);

#ifdef __cplusplus
}
#endif

#endif /* EUM_HOST_SMS_H */
