/**
 * \file scp80.h
 * \brief libeum-host: the sending entity of SCP80 secured packets (ETSI TS 102 225,
 *        3GPP TS 31.115 SMS dialect) — builds command packets and checks PoRs.
 *
 * Command packets are produced from CPL to the end of the (ciphered) secured
 * data, as carried after the CPI UDH `02 70 00`; response packets (PoRs) are
 * taken from RPL to the end, as carried after the RPI UDH `02 71 00` (which is
 * part of the PoR's RC/CC input and is supplied internally). SMS framing,
 * concatenation and the ENVELOPE are the caller's business.
 *
 * Typical use:
 * \code
 * struct eum_host_scp80_keyset ks = { .kic = { EUM_HOST_SCP80_ALGO_AES, 16, {...} },
 *                                     .kid = { EUM_HOST_SCP80_ALGO_AES, 16, {...} } };
 * struct eum_host_scp80_params p = { .spi = {0x16, 0x39}, .kic = 0x12, .kid = 0x12,
 *                                    .tar = {0xB0, 0x00, 0x10}, .cntr = {0, 0, 0, 0, 5} };
 * eum_host_scp80_build_cmd(&ks, &p, apdus, apdus_len, pkt, sizeof(pkt), &pkt_len);
 * // send 02 70 00 || pkt to the card, receive 02 71 00 || por
 * eum_host_scp80_parse_por(&ks, &p, por, por_len, work, sizeof(work), &res);
 * \endcode
 *
 * Ownership: key sets and parameters are plain caller-owned data (wipe the key
 * set yourself when done); every buffer is borrowed for the duration of the
 * call; the parsed PoR's data points into the caller's work buffer. Nothing is
 * allocated. The functions keep no state between calls.
 *
 * Errors: ::EUM_ERR_INVALID_ARG, ::EUM_ERR_UNSUPPORTED (DS, DES-ECB, proprietary
 * codings), ::EUM_ERR_BUFFER_TOO_SMALL, ::EUM_ERR_PARSE (malformed PoR or a PoR
 * for another TAR), ::EUM_ERR_CRYPTO (the PoR's RC/CC did not verify, a status-00
 * PoR came without the security SPI2 asked for, or a primitive failed).
 */
#ifndef EUM_HOST_SCP80_H
#define EUM_HOST_SCP80_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief Largest key (AES-256). */
#define EUM_HOST_SCP80_KEY_MAX 32
/** \brief Length of the replay counter CNTR. */
#define EUM_HOST_SCP80_CNTR_LEN 5

/** \brief Key algorithms (TS 102 225 §5.1.2/§5.1.3: KIc/KID low nibble 1, 5, 9, 2). */
enum eum_host_scp80_algo {
	EUM_HOST_SCP80_ALGO_NONE = 0, /**< no key */
	EUM_HOST_SCP80_ALGO_DES,      /**< single DES, 8-byte key (legacy) */
	EUM_HOST_SCP80_ALGO_TDES2,    /**< 3DES two-key, 16-byte key */
	EUM_HOST_SCP80_ALGO_TDES3,    /**< 3DES three-key, 24-byte key */
	EUM_HOST_SCP80_ALGO_AES,      /**< AES-CBC / AES-CMAC, 16, 24 or 32-byte key */
	EUM_HOST_SCP80_ALGO_NUM
};

/** \brief One key: algorithm, length and value. */
struct eum_host_scp80_key {
	uint8_t algo;                        /**< ::eum_host_scp80_algo */
	uint8_t len;                         /**< key length in bytes */
	uint8_t val[EUM_HOST_SCP80_KEY_MAX]; /**< key value (first \c len bytes) */
};

/** \brief The KIc (ciphering) and KID (checksum) keys of the key set named by KIc/KID. */
struct eum_host_scp80_keyset {
	struct eum_host_scp80_key kic; /**< ciphering key (key id 1) */
	struct eum_host_scp80_key kid; /**< CC key (key id 2) */
};

/** \brief Security parameters of one command packet, also used to check its PoR. */
struct eum_host_scp80_params {
	uint8_t spi[2]; /**< SPI1, SPI2 (TS 102 225 §5.1.1) */
	uint8_t kic;    /**< KIc byte: KVN in b8-b5, algorithm in b4-b1 (0 = the key set's) */
	uint8_t kid;    /**< KID byte: KVN in b8-b5, CC algorithm or RC coding (1 CRC16, 5 CRC32) in b4-b1 */
	uint8_t tar[3]; /**< Toolkit Application Reference */
	uint8_t cntr[EUM_HOST_SCP80_CNTR_LEN]; /**< CNTR to send */
	uint8_t cc_len;                        /**< CC length 4 or 8; 0 = 8. RC length follows from KID. */
};

/** \brief A checked PoR. */
struct eum_host_scp80_por {
	uint8_t tar[3];                        /**< TAR echoed by the card */
	uint8_t cntr[EUM_HOST_SCP80_CNTR_LEN]; /**< CNTR echoed by the card */
	uint8_t pcntr;                         /**< padding counter */
	uint8_t status;                        /**< TS 102 225 response status code */
	uint8_t secured;     /**< 1: ciphered/checksummed as SPI2 asked and verified; 0: an error PoR sent in clear */
	const uint8_t *data; /**< additional response data without padding; points into the work buffer */
	size_t data_len;     /**< length of \c data */
};

/**
 * \brief Build a command packet (TS 102 225 §5.1, TS 31.115 §6): counter, padding, RC/CC, ciphering.
 * \param ks key set: \c kic is used when SPI1 asks for ciphering, \c kid for a CC. Borrowed.
 * \param p security parameters. Borrowed.
 * \param data secured data in the clear (e.g. concatenated C-APDUs); borrowed; may be NULL when \p data_len is 0.
 * \param data_len length of \p data.
 * \param out buffer receiving CPL … end of the secured data (caller-owned).
 * \param cap capacity of \p out.
 * \param out_len receives the packet length.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG (missing or mismatching key, bad parameter),
 *         ::EUM_ERR_UNSUPPORTED (DS, DES-ECB, proprietary), ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_CRYPTO.
 *
 * Padding bytes are 00 and are added only when ciphering; the RC/CC covers
 * CPL … PCNTR and the data with its padding.
 */
EUM_API int eum_host_scp80_build_cmd(const struct eum_host_scp80_keyset *ks, const struct eum_host_scp80_params *p,
                                     const uint8_t *data, size_t data_len, uint8_t *out, size_t cap, size_t *out_len);

/**
 * \brief Parse and verify a PoR (TS 102 225 §5.2, TS 31.115 §7) for the command built with \p p.
 * \param ks key set of the command. Borrowed.
 * \param p the command's parameters (SPI2 tells how the PoR is secured; TAR must match). Borrowed.
 * \param por the response packet from RPL to the end (without the RPI UDH). Borrowed.
 * \param len length of \p por.
 * \param work caller buffer of at least \p len + 3 bytes; receives the deciphered PoR.
 * \param work_cap capacity of \p work.
 * \param out receives the fields; \c out->data points into \p work.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_BUFFER_TOO_SMALL, ::EUM_ERR_PARSE or ::EUM_ERR_CRYPTO.
 *
 * A PoR whose status is not 00 is also accepted without RC/CC and unciphered
 * (\c out->secured = 0), because TS 102 225 leaves the protection of error
 * PoRs open. When SPI2 asks for ciphering but no RC/CC, a clear error PoR is
 * told apart only by its length not being a whole number of cipher blocks.
 */
EUM_API int eum_host_scp80_parse_por(const struct eum_host_scp80_keyset *ks, const struct eum_host_scp80_params *p,
                                     const uint8_t *por, size_t len, uint8_t *work, size_t work_cap,
                                     struct eum_host_scp80_por *out);

#ifdef __cplusplus
}
#endif

#endif /* EUM_HOST_SCP80_H */
