/**
 * \file eum.h
 * \brief eum — the card side of an M2M eUICC (GSMA SGP.02), as a C library.
 *
 * A host links libeum, creates one ::eum_card per emulated card, resets it
 * (which returns the ATR) and exchanges APDUs with eum_card_transmit(). The
 * card keeps no global state: any number of cards may live in one process.
 *
 * Threads (tested by tests/e2e/test_threads.c, under ThreadSanitizer in CI):
 *  - every function may be called from any thread, and different cards may be
 *    used by different threads at the same time, eum_card_new() and
 *    eum_card_free() included;
 *  - one card is used by one thread at a time: calls on the same ::eum_card
 *    must not overlap (the library takes no per-card lock). A card may move to
 *    another thread between calls when the host hands it over with the usual
 *    synchronisation (a mutex, a queue, a thread join);
 *  - what cards share is read-only or behind the library's own locks: the
 *    built-in bootstrap profile, decoded once and shared read-only by the
 *    default cards (a card that writes a file gets its own copy of it, so no
 *    card ever sees another's writes), the asn1c profile decoder's tables and
 *    the crypto library's one-time set-up;
 *  - hooks (log, rng, clock, storage) are called on the thread that called into
 *    the card, never concurrently for one card; a hook context shared by
 *    several cards must be thread-safe itself;
 *  - an ::eum_config may be shared by threads creating cards from it, as long
 *    as nobody modifies it meanwhile.
 *
 * Ownership rules used throughout this header:
 *  - buffers passed in are borrowed for the duration of the call only;
 *  - buffers passed out are owned by the caller, who states their capacity;
 *  - objects returned through an `out` pointer are owned by the caller and are
 *    released with the matching `_free` function.
 */
#ifndef EUM_EUM_H
#define EUM_EUM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(EUM_BUILDING_LIBRARY)
#define EUM_API __attribute__((visibility("default")))
#else
#define EUM_API
#endif

/** \brief Library error codes (the C API's currency; never a status word). */
typedef enum eum_err {
	EUM_OK = 0,                    /**< success */
	EUM_ERR_INVALID_ARG = -1,      /**< a NULL pointer or an out-of-range argument */
	EUM_ERR_NO_MEMORY = -2,        /**< an allocation failed */
	EUM_ERR_BUFFER_TOO_SMALL = -3, /**< the caller's output buffer is too small */
	EUM_ERR_CRYPTO = -4,           /**< a cryptographic primitive failed */
	EUM_ERR_NOT_POWERED = -5,      /**< the card was not reset since creation or power-off */
	EUM_ERR_STORAGE = -6,          /**< the storage hook failed */
	EUM_ERR_CONFIG = -7,           /**< the configuration is invalid */
	EUM_ERR_PARSE = -8,            /**< malformed input (file, DER, TLV) */
	EUM_ERR_UNSUPPORTED = -9,      /**< the feature is not available in this build */
	EUM_ERR_CORRUPT = -10,         /**< a stored card image failed validation */
	EUM_ERR_PROFILE = -11,         /**< a profile package was refused */
	EUM_ERR_NOT_FOUND = -12,       /**< the named object does not exist */
	EUM_ERR_IO = -13,              /**< a file could not be read or written */
	EUM_ERR_STATE = -14,           /**< the call is not allowed in the card's current state */
	EUM_ERR_NUM = -15              /**< sentinel: one past the last code */
} eum_err;

/**
 * \brief Describe an error code.
 * \param err an ::eum_err value (any int is accepted).
 * \return a static, NUL-terminated English description; never NULL.
 */
EUM_API const char *eum_strerror(int err);

/** \brief Log severities, most severe first. */
typedef enum eum_log_level {
	EUM_LOG_ERROR = 0,
	EUM_LOG_WARN = 1,
	EUM_LOG_INFO = 2,
	EUM_LOG_DEBUG = 3,
	EUM_LOG_NUM
} eum_log_level;

/**
 * \brief Host logging hook.
 * \param ctx the \c log_ctx from the configuration.
 * \param level severity of the message.
 * \param msg NUL-terminated message without trailing newline; valid during the call only.
 *
 * The card never passes key or PIN values to this hook.
 */
typedef void (*eum_log_fn)(void *ctx, eum_log_level level, const char *msg);

/**
 * \brief Host randomness hook.
 * \param ctx the \c rng_ctx from the configuration.
 * \param buf where to write \p len random bytes.
 * \param len number of bytes wanted.
 * \return 0 on success, non-zero on failure (the card then answers 6F00).
 */
typedef int (*eum_rng_fn)(void *ctx, uint8_t *buf, size_t len);

/**
 * \brief Host clock hook, used for certificate validity and fall-back timers.
 * \param ctx the \c clock_ctx from the configuration.
 * \return seconds since the Unix epoch. The library never reads the wall clock itself.
 */
typedef uint64_t (*eum_clock_fn)(void *ctx);

/** \brief What a trace hook is shown (see ::eum_trace_fn). */
typedef enum eum_trace_kind {
	EUM_TRACE_ATR = 0,      /**< the ATR the card answered a reset with */
	EUM_TRACE_COMMAND = 1,  /**< a C-APDU as the terminal sent it */
	EUM_TRACE_RESPONSE = 2, /**< the R-APDU the card answered it with (data then SW1 SW2) */
	EUM_TRACE_NUM
} eum_trace_kind;

/** \brief Direction of a traced exchange. */
typedef enum eum_trace_dir {
	EUM_TRACE_TO_CARD = 0,   /**< terminal to card (C-APDUs) */
	EUM_TRACE_FROM_CARD = 1, /**< card to terminal (ATRs, R-APDUs) */
	EUM_TRACE_DIR_NUM
} eum_trace_dir;

/**
 * \brief Host trace hook: sees every ATR, C-APDU and R-APDU crossing the card's interface.
 * \param ctx the \c trace_ctx from the configuration.
 * \param kind what \p data holds.
 * \param dir its direction (ATR and R-APDU: from the card; C-APDU: to the card).
 * \param channel logical channel of the command (ISO 7816-4 §5.4.1, from its CLA: 0..19; the
 *                response has its command's channel; 0 for an ATR and for a CLA that names none).
 * \param data the bytes exactly as they crossed the interface; valid during the call only.
 * \param len length of \p data.
 *
 * Called by eum_card_reset() (the ATR) and eum_card_transmit() (the command before it is
 * processed, the response after). A trace shows the APDUs, and so whatever they carry (a VERIFY
 * PIN's value, a PUT KEY's wrapped keys): hand it only to a trusted sink. The hook must not call
 * back into the card.
 */
typedef void (*eum_trace_fn)(void *ctx, eum_trace_kind kind, eum_trace_dir dir, unsigned channel, const uint8_t *data,
                             size_t len);

/**
 * \brief Host storage for the card's non-volatile memory.
 *
 * The card keeps its persistent state as one byte string (format in
 * src/store/image.h): a base image, optionally followed by journal records.
 * An APDU that changed nothing persistent calls no hook. One that changed
 * something calls, before its response is returned, either \c append with a
 * journal record of what changed (when the host gives \c append), or
 * \c store with a complete new image (the first commit, after the journal
 * grew past the base image, after a failed append, and always when \c append
 * is NULL). \c store must replace the stored bytes atomically: after a crash
 * the host must find either the old or the new bytes, whole (a flash A/B slot,
 * a database transaction, a file written aside and renamed). \c append must
 * add the record at the end durably; a crash during it may leave any prefix of
 * the record, which the card recognises (CRC) and ignores.
 *
 * Compatibility: \c append was added after \c ctx (format version 2); hosts
 * that initialise the struct as {load, store, ctx} keep working, with whole
 * images only.
 */
typedef struct eum_storage {
	/**
	 * \brief Read the stored bytes (base image and any appended records).
	 * \param ctx \c ctx below.
	 * \param buf where to copy the image; NULL to ask for its size.
	 * \param cap capacity of \p buf.
	 * \param len receives the image size.
	 * \return ::EUM_OK, ::EUM_ERR_NOT_FOUND (nothing stored yet: the card is
	 *         manufactured), ::EUM_ERR_BUFFER_TOO_SMALL (with \p len set) or
	 *         ::EUM_ERR_STORAGE.
	 */
	int (*load)(void *ctx, uint8_t *buf, size_t cap, size_t *len);
	/**
	 * \brief Atomically and durably replace the stored bytes with \p image.
	 * \return ::EUM_OK once the image is durable, otherwise ::EUM_ERR_STORAGE
	 *         (the card then keeps the previous state and answers 6581).
	 */
	int (*store)(void *ctx, const uint8_t *image, size_t len);
	/** \brief Context passed to both functions (and to eum_config.storage_append); owned by the host. */
	void *ctx;
} eum_storage;

/**
 * \brief Optional host hook: durably append \p record to the stored bytes of
 *        eum_storage (see there); \p ctx is eum_storage.ctx.
 * \return ::EUM_OK once durable, otherwise ::EUM_ERR_STORAGE (the card keeps
 *         the previous state, answers 6581, and stores a whole image at its
 *         next commit).
 */
typedef int (*eum_storage_append_fn)(void *ctx, const uint8_t *record, size_t len);

/** \brief Maximum ATR length (ISO 7816-3 §8.1: TS + 32 bytes). */
#define EUM_ATR_MAX 33

/** \brief An SCP80 (ETSI TS 102 225) key set of a security domain. */
typedef struct eum_ota_keyset {
	/** Key version number, 1..15 (KIc/KID high nibble). */
	uint8_t kvn;
	/** Algorithm: "des", "3des2", "3des3", "aes128", "aes192" or "aes256". */
	const char *algorithm;
	/** Ciphering key (KIc) and its length. */
	const uint8_t *kic;
	size_t kic_len;
	/** Integrity key (KID) and its length. */
	const uint8_t *kid;
	size_t kid_len;
	/** Initial replay counter (5 bytes); NULL = zero. */
	const uint8_t *counter;
	/** Key encryption key (KIK, key id 3, TS 102 225 §5.1.2), same algorithm and length as the KIc;
	 *  NULL (default) = none. The card keeps it with the key set and lists it in GET DATA E0. */
	const uint8_t *kik;
	size_t kik_len;
	/** Algorithm of the KID when it differs from the KIc's (same names as \c algorithm; the KID
	 *  then has that algorithm's key length); NULL (default) = \c algorithm for both. */
	const char *kid_algorithm;
} eum_ota_keyset;

/** \brief An SCP03 (GlobalPlatform Amendment D) static key set. */
typedef struct eum_scp03_keyset_cfg {
	/** Key version number, 0x30..0x3F by GP convention. */
	uint8_t kvn;
	/** Key length of each key: 16, 24 or 32. */
	size_t key_len;
	/** Key-ENC, Key-MAC, Key-DEK (key_len bytes each). */
	const uint8_t *enc, *mac, *dek;
} eum_scp03_keyset_cfg;

/** \brief An SCP81 (GlobalPlatform Amendment B) TLS pre-shared key of the ISD-R, used by the
 *         SGP.02 HTTPS transport (PSK-TLS admin sessions with the SM-SR). */
typedef struct eum_scp81_key_cfg {
	/** Key version number, 0x40..0x4F (the SCP81 range). */
	uint8_t kvn;
	/** Key identifier, 0x01..0x7F; 0x01 is the PSK the SGP.02 PSK identity names. */
	uint8_t kid;
	/** The pre-shared key (key type 85) and its length, 16..32 bytes. Never logged. */
	const uint8_t *psk;
	size_t psk_len;
} eum_scp81_key_cfg;

/** \brief Maximum ISD-R SCP81 keys in a configuration. */
#define EUM_CFG_SCP81_KEYS 4

/**
 * \brief SGP.02 ES5 policies of the card (SGP.02 §7.2, §7.8, §9): where notifications go first,
 *        when a profile switch is rolled back, when the fall-back profile takes over, how
 *        notifications are retried. Times are seconds of the host clock (::eum_clock_fn); the
 *        library never reads the wall clock. Set by eum_config_init() to the defaults below.
 */
typedef struct eum_es5_policy {
	/** SM-SR SMS address (digits "0"-"9") written at manufacture as the destination of
	 *  notifications, until ES5 UpdateSMSRAddressingParameters replaces it. Default NULL: no
	 *  address, notifications wait (persistently) until one is set. The test SM-SR address of
	 *  the tests and examples/eum.conf is "12345678". Borrowed like every configuration pointer. */
	const char *smsr_address;
	/** TON/NPI of \c smsr_address; default 0x91 (international, E.164). */
	uint8_t smsr_ton_npi;
	/** Failed attach events (::EUM_NET_ATTACH_FAILED, location status "limited/no service")
	 *  after a switch before the card rolls back; default 3; 0 = never by count. */
	uint32_t rollback_attach_failures;
	/** Seconds a switched-to profile has to attach before the card rolls back; default 600;
	 *  0 = no time limit. */
	uint32_t rollback_timeout_s;
	/** Lost-network events (::EUM_NET_LOST) of an enabled profile, without an attach in
	 *  between, before the fall-back profile is enabled; default 3; 0 = never by count. */
	uint32_t fallback_loss_events;
	/** Seconds without connectivity (from the first loss) before the fall-back; default 0 = no
	 *  time limit. */
	uint32_t fallback_timeout_s;
	/** SEND SHORT MESSAGE attempts per notification before it is given up; default 5. */
	uint32_t notify_attempts;
	/** Seconds to wait for the SM-SR's confirmation before sending again; default 300;
	 *  0 = wait forever. */
	uint32_t notify_timeout_s;
} eum_es5_policy;

/** \brief Maximum ISD-R SCP80 key sets in a configuration. */
#define EUM_CFG_OTA_KEYSETS 8

/**
 * \brief Card configuration.
 *
 * Initialise with eum_config_init(), which sets every field to its documented
 * default, then override what you need. Pointers are borrowed: they must stay
 * valid until eum_card_new() returns (the card copies what it keeps), unless
 * the configuration was filled by eum_config_load_file(), in which case the
 * configuration owns them until eum_config_clear().
 */
typedef struct eum_config {
	/** ATR to present; NULL (default) = the built-in T=0 ATR of eum_card_reset(). */
	const uint8_t *atr;
	/** Length of \c atr. */
	size_t atr_len;
	/** Randomness hook; NULL (default) = a per-card CTR_DRBG seeded from the OS (getrandom) on the card's first
	 * random draw. */
	eum_rng_fn rng;
	/** Context for \c rng. */
	void *rng_ctx;
	/** Logging hook; NULL (default) = messages to stderr at \c log_level and below. */
	eum_log_fn log;
	/** Context for \c log. */
	void *log_ctx;
	/** Most verbose level delivered; default ::EUM_LOG_WARN. */
	eum_log_level log_level;
	/** Trace hook (ATRs, C-APDUs, R-APDUs); NULL (default) = no trace, at no cost. */
	eum_trace_fn trace;
	/** Context for \c trace. */
	void *trace_ctx;
	/** Clock hook; NULL (default) = time stands still at \c clock_fixed. */
	eum_clock_fn clock;
	/** Context for \c clock. */
	void *clock_ctx;
	/** Time used when \c clock is NULL; default 1767225600 (2026-01-01T00:00:00Z). */
	uint64_t clock_fixed;
	/** Path of the card's state image, kept by the built-in file backend (write
	 *  aside, fsync, rename, fsync of the directory); NULL (default) = no file. */
	const char *state_path;
	/** Host storage hooks; used when \c state_path is NULL. NULL (default)
	 *  with no \c state_path = memory only: nothing persists. */
	const eum_storage *storage;
	/** Optional append hook for \c storage (added with state format 2); NULL
	 *  (default) = every commit stores a whole image through \c storage. */
	eum_storage_append_fn storage_append;

	/* Identity and keys written at manufacture (a card reloaded from its
	 * state keeps what it stored). Unset fields keep the documented test
	 * identity of README.md "Test identity". */
	/** EID, 16 bytes BCD (SGP.02 §2.3); NULL = the test EID. */
	const uint8_t *eid;
	/** ECASD ECKA private key (32 bytes) and its certificate CERT.ECASD.ECKA
	 *  (GP Amd E 7F21 DER); both or neither. */
	const uint8_t *ecasd_sk;
	const uint8_t *ecasd_cert;
	size_t ecasd_cert_len;
	/** Curve of the ECASD key and CI key: 0 NIST P-256 (default), 3 brainpoolP256r1. */
	uint8_t ecasd_curve;
	/** PK.CI.ECDSA the card trusts, uncompressed point (65 bytes); NULL = the test CI. */
	const uint8_t *ci_public_key;
	/** Key identifier of that CI key (1..32 bytes): a certificate whose 73/C9 (authority key
	 *  identifier) names another key is refused (6982) before its signature is checked. NULL
	 *  (default) = SHA-1 of the CI's uncompressed point (RFC 5280 §4.2.1.2 method 1, as the test
	 *  PKI of tools/eum-mkpki.c codes it). Applied at every eum_card_new(). */
	const uint8_t *ci_key_id;
	size_t ci_key_id_len;
	/** ES8 key establishment receipt (SGP.02 digest §8.1 step 2.9): 0 (default) = AES-CMAC over the
	 *  A6 CRT || [85 DR] as whty computes it, 1 = njiwa's variant (data pre-padded 80 00..). Applied
	 *  at every eum_card_new(). */
	uint8_t ecka_receipt;
	/** AID of the bootstrap ISD-P created at manufacture (16 bytes; its SCP80 TAR is bytes 13-15,
	 *  SGP.02 Annex H); NULL (default) = A0000005591010FFFFFFFF8900001000 (TAR 000010). */
	const uint8_t *bootstrap_isdp_aid;
	/** ISD-R SCP80 TAR (3 bytes); NULL = 000001. */
	const uint8_t *isdr_tar;
	/** Minimum security level of the ISD-R TAR and of the ISD-P TARs it serves (ETSI TS 102 226
	 *  §8.2.1.3.2.4.2, coded like SPI1: b5b4 counter, b3 ciphering, b2b1 RC/CC/DS). Default 0x16:
	 *  counter must be higher, ciphering, cryptographic checksum, so that no SCP80 packet runs
	 *  twice (see README "Over the air"). 0x00 accepts unsecured packets; bits b8-b6 must be 0. */
	uint8_t isdr_msl;
	/** ISD-R SCP80 key sets; when n_isdr_ota_keys > 0 they replace the test key sets. */
	const eum_ota_keyset *isdr_ota_keys;
	size_t n_isdr_ota_keys;
	/** Optional eUICC-vendor SCP03 administration key set of the ISD-R (kvn 0 = none). */
	eum_scp03_keyset_cfg isdr_scp03;
	/** ISD-R SCP81 TLS pre-shared keys (at most ::EUM_CFG_SCP81_KEYS, distinct KVN/key id);
	 *  when n_isdr_scp81_keys > 0 they replace the test key (KVN 40, key id 01, README "Test
	 *  identity"). The SM-SR may add or replace keys later with PUT KEY (key type 85). */
	const eum_scp81_key_cfg *isdr_scp81_keys;
	size_t n_isdr_scp81_keys;
	/** Largest command packet reassembled from concatenated SMS-PP ENVELOPEs (3GPP TS 23.040
	 *  §9.2.3.24.1), in bytes, 140..65535; default 4096 (an SGP.02 SCP03t segment of 1,000 bytes
	 *  with its SCP80 and script framing fits). The buffers exist only while a packet is collected
	 *  or processed. A larger packet is refused with 6A84. */
	size_t sms_reassembly_max;
	/** Path of the bootstrap profile DER; NULL (default) = the built-in test card. */
	const char *bootstrap_profile_path;
	/** SGP.02 ES5 policies (notifications, roll-back, fall-back); see ::eum_es5_policy. */
	eum_es5_policy es5;
	/** Internal: set when the strings and buffers above belong to the configuration. */
	void *owned_;
} eum_config;

/**
 * \brief Fill \p cfg with the documented defaults.
 * \param cfg configuration to initialise; must not be NULL.
 */
EUM_API void eum_config_init(eum_config *cfg);

/**
 * \brief Load a card configuration file (libconfig syntax, see examples/eum.conf).
 * \param cfg configuration initialised by eum_config_init(); fields named in the
 *            file are overwritten, the others keep their value.
 * \param path file to read.
 * \param errbuf optional buffer for a message naming the line at fault (may be NULL).
 * \param errcap capacity of \p errbuf.
 * \return ::EUM_OK, ::EUM_ERR_IO, ::EUM_ERR_CONFIG or ::EUM_ERR_NO_MEMORY.
 *
 * Strings read from the file are owned by \p cfg; release them with eum_config_clear().
 */
EUM_API int eum_config_load_file(eum_config *cfg, const char *path, char *errbuf, size_t errcap);

/**
 * \brief Release what eum_config_load_file() allocated and reset \p cfg to the defaults.
 * \param cfg configuration; NULL is accepted.
 */
EUM_API void eum_config_clear(eum_config *cfg);

/** \brief Opaque card handle. */
typedef struct eum_card eum_card;

/**
 * \brief Manufacture (or, with a state file, reload) a card.
 * \param out receives the new card; owned by the caller, release with eum_card_free().
 * \param cfg configuration, or NULL for all defaults. Copied; may be freed after the call.
 * \return ::EUM_OK or a negative ::eum_err.
 *
 * The card starts powered off: call eum_card_reset() before eum_card_transmit().
 */
EUM_API int eum_card_new(eum_card **out, const eum_config *cfg);

/**
 * \brief Destroy a card, wiping every key and PIN it held from memory.
 * \param card card to free; NULL is accepted.
 */
EUM_API void eum_card_free(eum_card *card);

/**
 * \brief Reset the card and return its ATR (ISO 7816-3 answer-to-reset).
 * \param card the card.
 * \param cold non-zero for a cold reset (power-up), zero for a warm reset.
 *             Both close every logical channel but the basic one, end secure
 *             channel sessions and clear PIN verification states.
 * \param atr buffer receiving the ATR (up to ::EUM_ATR_MAX bytes); may be NULL.
 * \param cap capacity of \p atr.
 * \param atr_len receives the ATR length; may be NULL.
 * \return ::EUM_OK, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_card_reset(eum_card *card, int cold, uint8_t *atr, size_t cap, size_t *atr_len);

/**
 * \brief Power the card off (volatile state is lost, stored state is kept).
 * \param card the card.
 */
EUM_API void eum_card_power_off(eum_card *card);

/**
 * \brief Send one command APDU and receive the response, with T=0 semantics.
 * \param card the card; must have been reset.
 * \param capdu command APDU: CLA INS P1 P2 [Lc data] [Le] (short APDUs; a
 *              3-byte extended Le is tolerated on STATUS).
 * \param len length of \p capdu (4 to 261 bytes).
 * \param rapdu buffer receiving the response: data then SW1 SW2.
 * \param cap capacity of \p rapdu; 258 bytes always suffice.
 * \param rlen receives the response length (at least 2 on success).
 * \return ::EUM_OK when the card answered (whatever its status word),
 *         ::EUM_ERR_NOT_POWERED, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_INVALID_ARG.
 *
 * As over T=0, a case 4 command that produces data answers 61xx and the data
 * is fetched with GET RESPONSE; a case 2 command with a wrong Le answers 6Cxx.
 */
EUM_API int eum_card_transmit(eum_card *card, const uint8_t *capdu, size_t len, uint8_t *rapdu, size_t cap,
                              size_t *rlen);

/**
 * \brief Serialise the card's persistent state into a state image.
 * \param card the card.
 * \param buf where to write; NULL to ask for the size.
 * \param cap capacity of \p buf.
 * \param len receives the image size.
 * \return ::EUM_OK or ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_card_save_image(const eum_card *card, uint8_t *buf, size_t cap, size_t *len);

/**
 * \brief Write a human-readable summary of a state image (never keys or PINs).
 * \param image the image bytes; \param len its length.
 * \param out buffer for the NUL-terminated text; \param cap its capacity.
 * \return ::EUM_OK, ::EUM_ERR_CORRUPT (image refused; \p out says why) or
 *         ::EUM_ERR_BUFFER_TOO_SMALL.
 */
EUM_API int eum_image_describe(const uint8_t *image, size_t len, char *out, size_t cap);

/**
 * \brief Tell whether the card has a proactive command waiting for FETCH.
 * \param card the card.
 * \return the length of the pending proactive command, or 0 if none.
 */
EUM_API size_t eum_card_proactive_pending(const eum_card *card);

/* ---- SGP.02 ES5: what the host tells the card about the device and the network ---------- */

/** \brief Network events of the terminal, as the ISD-R needs them (SGP.02 §7.2, §9). */
typedef enum eum_net_event {
	EUM_NET_ATTACHED = 0,      /**< registered with normal service (location status 00) */
	EUM_NET_ATTACH_FAILED = 1, /**< an attach attempt failed (limited service or no service) */
	EUM_NET_LOST = 2,          /**< the connectivity of the enabled profile was lost */
	EUM_NET_NUM
} eum_net_event;

/**
 * \brief Report a network event of the terminal to the card's ISD-R.
 * \param card the card.
 * \param ev what happened.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_STATE (called from inside a hook while the
 *         card is busy) or ::EUM_ERR_STORAGE (the state change could not be stored; the card keeps
 *         its previous state).
 *
 * The same happens when the terminal sends an ENVELOPE (event download) with location status:
 * 00 normal service = ::EUM_NET_ATTACHED; 01/02 = ::EUM_NET_ATTACH_FAILED while a switched-to
 * profile waits for its attach, ::EUM_NET_LOST otherwise. After a profile switch only events
 * that follow a reset of the card count (earlier ones belong to the previous profile). An
 * attach may raise a notification (proactive SEND SHORT MESSAGE, seen through 91xx and
 * eum_card_proactive_pending()); failures may roll back or fall back (proactive REFRESH).
 */
EUM_API int eum_card_network_event(eum_card *card, eum_net_event ev);

/**
 * \brief Give the card the terminal's IMEI for its notifications (SGP.02 §7.8 tag 14).
 * \param card the card.
 * \param imei the IMEI coded as TS 102 223 §8.20 (8 bytes); NULL forgets it. Copied.
 * \return ::EUM_OK or ::EUM_ERR_INVALID_ARG.
 *
 * Session data: a reset keeps it, eum_card_free() forgets it. Without it notifications carry no IMEI.
 */
EUM_API int eum_card_set_imei(eum_card *card, const uint8_t *imei);

/**
 * \brief Provision the MasterDelete token key of an ISD-P (SGP.02 §7.5).
 * \param card the card.
 * \param isdp_aid AID of an existing ISD-P; \param aid_len its length.
 * \param key the 16-byte AES key the SM-DP computes delete tokens with (AES-CMAC), copied and
 *            stored with the ISD-P; NULL removes it. Without a key MasterDelete answers 6A81; a
 *            token that does not verify, 6982.
 * \return ::EUM_OK, ::EUM_ERR_INVALID_ARG, ::EUM_ERR_NOT_FOUND or ::EUM_ERR_STORAGE.
 *
 * Where SGP.02 keeps this key on the card is UNCONFIRMED (spec digest §7.5): eum keeps one
 * key per ISD-P, provisioned by the host or a test, deleted with the ISD-P.
 */
EUM_API int eum_card_set_delete_token_key(eum_card *card, const uint8_t *isdp_aid, size_t aid_len, const uint8_t *key);

#ifdef __cplusplus
}
#endif

#endif /* EUM_EUM_H */
