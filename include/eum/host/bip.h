/**
 * \file bip.h
 * \brief libeum-host: the terminal's (modem's) side of the Bearer Independent Protocol — decodes
 *        the BIP proactive commands a card FETCHes, says what to do on the network and builds the
 *        TERMINAL RESPONSEs and the event download ENVELOPEs (ETSI TS 102 223 §6.4.27-§6.4.31,
 *        §7.5.10, §7.5.11, §8.52-§8.59; digest scp81-https.md §2).
 *
 * Byte-driven: no sockets inside. One TCP/UDP client channel (channel id 1, the TERMINAL PROFILE
 * of eum_host_bip_profile() announces one). The caller owns the connection and plays the modem:
 * \code
 * struct eum_host_bip_terminal *t = malloc(sizeof(*t));
 * struct eum_host_bip_action act;
 * eum_host_bip_init(t, EUM_HOST_BIP_BUFFER_DEFAULT);
 * // card answered 91xx: FETCH, then
 * if (eum_host_bip_fetch(t, fetched, n, &act) == EUM_OK && act.what != EUM_HOST_BIP_NOT_BIP) {
 *         unsigned err = 0;                         // 0: done; else EUM_HOST_BIP_ERR_*
 *         if (act.what == EUM_HOST_BIP_CONNECT)      // OPEN CHANNEL: act.addr, act.port, act.transport
 *                 err = connect_ok ? 0 : EUM_HOST_BIP_ERR_REMOTE_UNREACHABLE;
 *         else if (act.what == EUM_HOST_BIP_SEND)    // SEND DATA "send immediately": act.data, act.len
 *                 write(fd, act.data, act.len);
 *         else if (act.what == EUM_HOST_BIP_CLOSE)   // CLOSE CHANNEL
 *                 close(fd);
 *         eum_host_bip_response(t, err, tr, sizeof(tr), &tr_len);   // TERMINAL RESPONSE APDU
 * }
 * // bytes from the network (at most eum_host_bip_rx_room()):
 * eum_host_bip_received(t, buf, got);
 * // connection lost:
 * eum_host_bip_link_dropped(t);
 * // whenever the card is idle: the next event ENVELOPE, if one is due
 * while (eum_host_bip_event(t, env, sizeof(env), &env_len) == EUM_OK)
 *         send env to the card (data available, then channel status "link dropped")
 * \endcode
 *
 * Events go to the card only when its last SET UP EVENT LIST asked for them: data available
 * (`09`) when bytes arrive in an Rx buffer the card had emptied; channel status (`0A`) "link
 * dropped" once the card has read what was received before the loss.
 *
 * Formats (digest §2.3-§2.8): OPEN CHANNEL answered with channel status `B8 02 <80|id> 00`, the
 * bearer description and the granted buffer size (smaller than asked: result `07`); SEND DATA with
 * `B7 01 <free Tx bytes, FF = 255 or more>`; RECEIVE DATA with `B6 <BER length> data` and
 * `B7 01 <bytes left>` (at most ::EUM_HOST_BIP_RECV_CLAMP bytes per command; fewer than asked:
 * result `02`); GET CHANNEL STATUS with `B8 02` (`00 00` when no channel); errors as result `3A`
 * with the additional information. The terminal's TLV tags carry the comprehension-required bit
 * unless eum_host_bip_terminal.cr is 0 (some terminals write `38`/`35`/`39`/`37`/`36`, the card
 * accepts both); the card's commands are accepted with or without it.
 *
 * Ownership: struct eum_host_bip_terminal is caller-owned plain data (about 9 KB: the Tx and Rx
 * buffers inside), no allocation, no global state. Pointers in struct eum_host_bip_action point
 * into the terminal (SEND data, valid until the next call on it) or into the caller's FETCH data
 * (login, password). Errors: ::EUM_ERR_INVALID_ARG, ::EUM_ERR_BUFFER_TOO_SMALL, ::EUM_ERR_PARSE,
 * ::EUM_ERR_STATE, ::EUM_ERR_NOT_FOUND.
 */
#ifndef EUM_HOST_BIP_H
#define EUM_HOST_BIP_H

#include <stddef.h>
#include <stdint.h>

#include "eum/eum.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief Largest buffer size the terminal can grant (its Tx and Rx buffers are this big). */
#define EUM_HOST_BIP_BUFFER_MAX 4096
/** \brief A usual cap on the buffer size granted (digest §2.9: terminals grant 1400-1500). */
#define EUM_HOST_BIP_BUFFER_DEFAULT 1500
/** \brief Most channel data bytes per RECEIVE DATA TERMINAL RESPONSE (digest §2.7, AOSP's clamp). */
#define EUM_HOST_BIP_RECV_CLAMP 0xEC
/** \brief The terminal's only channel. */
#define EUM_HOST_BIP_CHANNEL_ID 1

/** \brief Failures the caller reports to eum_host_bip_response(): result `3A` (BIP error) with
 *         the additional information in the low byte (TS 102 223 §8.12.11). 0 = performed. */
#define EUM_HOST_BIP_ERR_NO_CAUSE           0x100
#define EUM_HOST_BIP_ERR_NO_CHANNEL         0x101
#define EUM_HOST_BIP_ERR_CHANNEL_CLOSED     0x102
#define EUM_HOST_BIP_ERR_BAD_CHANNEL_ID     0x103
#define EUM_HOST_BIP_ERR_BUFFER_SIZE        0x104
#define EUM_HOST_BIP_ERR_SECURITY           0x105
#define EUM_HOST_BIP_ERR_TRANSPORT          0x106
#define EUM_HOST_BIP_ERR_REMOTE_UNREACHABLE 0x107

/** \brief Proactive command types (TS 102 223 §9.4). */
#define EUM_HOST_BIP_SET_UP_EVENT_LIST  0x05
#define EUM_HOST_BIP_OPEN_CHANNEL       0x40
#define EUM_HOST_BIP_CLOSE_CHANNEL      0x41
#define EUM_HOST_BIP_RECEIVE_DATA       0x42
#define EUM_HOST_BIP_SEND_DATA          0x43
#define EUM_HOST_BIP_GET_CHANNEL_STATUS 0x44
/** \brief Events of SET UP EVENT LIST (TS 102 223 §8.25). */
#define EUM_HOST_BIP_EVENT_DATA_AVAILABLE 0x09
#define EUM_HOST_BIP_EVENT_CHANNEL_STATUS 0x0A

/** \brief What the caller does for a fetched command, before eum_host_bip_response(). */
enum eum_host_bip_what {
	EUM_HOST_BIP_NOT_BIP, /**< neither a BIP command nor SET UP EVENT LIST: the caller serves it (no TR from here)
	                       */
	EUM_HOST_BIP_REPLY,   /**< nothing on the network (event list, SEND DATA "store", RECEIVE DATA,
	                       *   GET CHANNEL STATUS, or a command refused with act.result/act.info) */
	EUM_HOST_BIP_CONNECT, /**< OPEN CHANNEL: set up the link to act.addr / act.port over act.transport */
	EUM_HOST_BIP_SEND,    /**< SEND DATA "send immediately": send act.data / act.len (the whole Tx buffer) */
	EUM_HOST_BIP_CLOSE,   /**< CLOSE CHANNEL: close the link (the Rx data still buffered is dropped) */
	EUM_HOST_BIP_WHAT_NUM
};

/** \brief A decoded proactive command and what it asks of the terminal. */
struct eum_host_bip_action {
	enum eum_host_bip_what what;
	uint8_t number;    /**< command details: command number */
	uint8_t type;      /**< ... type of command (EUM_HOST_BIP_OPEN_CHANNEL ...) */
	uint8_t qualifier; /**< ... qualifier */
	uint8_t result;    /**< general result the TERMINAL RESPONSE will carry when the action succeeds */
	uint8_t info;      /**< its additional information (result 3A) */
	/* OPEN CHANNEL */
	uint8_t transport;       /**< 01 UDP client remote, 02 TCP client remote (tag 3C) */
	uint16_t port;           /**< remote port */
	uint8_t addr_type;       /**< 21 IPv4, 57 IPv6 (tag 3E) */
	uint8_t addr[16];        /**< the address (4 or 16 bytes) */
	size_t addr_len;         /**< its length */
	char addr_text[48];      /**< the address as text ("127.0.0.1", "::1") for getaddrinfo */
	uint8_t bearer[16];      /**< bearer description (tag 35) value, echoed in the TERMINAL RESPONSE */
	size_t bearer_len;       /**< its length */
	uint16_t buffer_asked;   /**< buffer size the card asked (tag 39) */
	uint16_t buffer_granted; /**< buffer size the terminal grants (smaller: result 07) */
	char apn[101];           /**< network access name (tag 47) as dotted text, "" when absent */
	const uint8_t *login;    /**< first text string (tag 0D) value: DCS then text; NULL when absent */
	size_t login_len;        /**< its length */
	const uint8_t *password; /**< second text string (tag 0D); NULL when absent */
	size_t password_len;     /**< its length */
	/* SEND DATA */
	const uint8_t *data; /**< bytes to send (EUM_HOST_BIP_SEND): the Tx buffer, valid until the next call */
	size_t len;          /**< their number */
	/* SET UP EVENT LIST */
	uint8_t events[16]; /**< the event list (tag 19), e.g. 09 0A; the terminal keeps 09 and 0A */
	size_t n_events;    /**< its length */
};

/** \brief Channel states (TS 102 223 §8.56). */
enum eum_host_bip_state {
	EUM_HOST_BIP_CLOSED,  /**< no channel */
	EUM_HOST_BIP_OPENING, /**< OPEN CHANNEL fetched, link being set up */
	EUM_HOST_BIP_OPEN,    /**< link established */
	EUM_HOST_BIP_DROPPED, /**< the link was lost; the channel exists until CLOSE CHANNEL */
	EUM_HOST_BIP_STATE_NUM
};

/** \brief The terminal (plain data; fill with eum_host_bip_init()). */
struct eum_host_bip_terminal {
	uint16_t buffer_cap; /**< largest buffer size granted (<= ::EUM_HOST_BIP_BUFFER_MAX) */
	int cr;              /**< 1: TLV tags of TERMINAL RESPONSEs with the CR bit (81 82 83 B8 B5 B9 B7 B6) */
	enum eum_host_bip_state state;
	uint8_t sub_data_available;     /**< the card's event list holds 09 */
	uint8_t sub_channel_status;     /**< ... 0A */
	struct eum_host_bip_action cur; /**< the command fetched last (its TERMINAL RESPONSE not built yet) */
	int pending;                    /**< cur awaits eum_host_bip_response() */
	uint8_t bearer[16];             /**< the open channel's bearer description */
	size_t bearer_len;
	uint16_t buffer; /**< the open channel's buffer size */
	uint8_t tx[EUM_HOST_BIP_BUFFER_MAX];
	size_t tx_len;
	uint8_t rx[EUM_HOST_BIP_BUFFER_MAX];
	size_t rx_off, rx_len; /**< unread bytes: rx[rx_off .. rx_off + rx_len) */
	int rx_signalled;      /**< data available sent since the card last emptied the Rx buffer */
	int status_due;        /**< a channel status event (link dropped) waits */
	/* counters for the caller's statistics */
	unsigned long n_commands; /**< BIP commands served (event list included) */
	unsigned long n_events;   /**< event ENVELOPEs built */
	unsigned long bytes_sent; /**< bytes handed out with EUM_HOST_BIP_SEND */
	unsigned long bytes_recv; /**< bytes given to the card in RECEIVE DATA */
};

/**
 * \brief Start a terminal with no channel and no event subscribed.
 * \param t the terminal. \param buffer_cap largest buffer size to grant (1 .. ::EUM_HOST_BIP_BUFFER_MAX;
 *        0 or more than the maximum: ::EUM_HOST_BIP_BUFFER_MAX).
 */
EUM_API void eum_host_bip_init(struct eum_host_bip_terminal *t, uint16_t buffer_cap);

/**
 * \brief Decode the data of a FETCH response (`D0 L 81 03 … 82 02 81 xx …`, status word removed).
 * \param t the terminal; a command fetched before whose TERMINAL RESPONSE was not built is forgotten.
 * \param cmd the proactive command. \param len its length.
 * \param act receives what to do (act->what) and the decoded fields.
 * \return ::EUM_OK (also for commands the terminal refuses: act->what is ::EUM_HOST_BIP_REPLY and
 *         act->result / act->info say why: `32` data not understood, `36` required values missing,
 *         `3A xx`), ::EUM_ERR_PARSE (not a proactive command: no command details) or
 *         ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_bip_fetch(struct eum_host_bip_terminal *t, const uint8_t *cmd, size_t len,
                               struct eum_host_bip_action *act);

/**
 * \brief Build the TERMINAL RESPONSE APDU (`80 14 00 00 Lc …`) of the command fetched last, after
 *        the caller did what act->what said.
 * \param t the terminal.
 * \param bip_error 0 when the action was performed; else EUM_HOST_BIP_ERR_* (result `3A` with that
 *        additional information): OPEN CHANNEL failed (no channel is left), SEND DATA could not be
 *        sent (the Tx buffer is emptied; call eum_host_bip_link_dropped() when the link is gone).
 *        Ignored for EUM_HOST_BIP_REPLY / CLOSE.
 * \param apdu receives the APDU. \param cap its capacity (261 always suffices). \param len its length.
 * \return ::EUM_OK, ::EUM_ERR_STATE (no command waiting for its response, or EUM_HOST_BIP_NOT_BIP),
 *         ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_bip_response(struct eum_host_bip_terminal *t, unsigned bip_error, uint8_t *apdu, size_t cap,
                                  size_t *len);

/** \brief Free bytes in the Rx buffer (0 when no channel is open): read at most this from the network. */
EUM_API size_t eum_host_bip_rx_room(const struct eum_host_bip_terminal *t);

/**
 * \brief Bytes that arrived from the network for the channel (copied into the Rx buffer).
 * \return ::EUM_OK, ::EUM_ERR_STATE (no open channel), ::EUM_ERR_BUFFER_TOO_SMALL (more than
 *         eum_host_bip_rx_room(); nothing taken) or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_bip_received(struct eum_host_bip_terminal *t, const uint8_t *data, size_t n);

/**
 * \brief The link was lost (peer closed, reset): the channel becomes "link dropped" and a channel
 *        status event `B8 02 <id> 05` is due (after the buffered data is read) if subscribed.
 * \return ::EUM_OK or ::EUM_ERR_STATE (no open channel).
 */
EUM_API int eum_host_bip_link_dropped(struct eum_host_bip_terminal *t);

/**
 * \brief Build the next event download ENVELOPE that is due: data available
 *        `80 C2 00 00 10 D6 0E 99 01 09 82 02 82 81 B8 02 81 00 B7 01 <n>`, or channel status
 *        `80 C2 00 00 0D D6 0B 99 01 0A 82 02 82 81 B8 02 <s1> <s2>`. Marks it sent.
 * \param t the terminal. \param apdu receives the APDU. \param cap its capacity. \param len its length.
 * \return ::EUM_OK, ::EUM_ERR_NOT_FOUND (no event due), ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_bip_event(struct eum_host_bip_terminal *t, uint8_t *apdu, size_t cap, size_t *len);

/** \brief Channel status bytes as GET CHANNEL STATUS reports them (`00 00` when no channel). */
EUM_API void eum_host_bip_channel_status(const struct eum_host_bip_terminal *t, uint8_t status[2]);

/** \brief Name of an action, for logs ("connect", "send", ...). */
EUM_API const char *eum_host_bip_what_name(enum eum_host_bip_what what);

/**
 * \brief TERMINAL PROFILE APDU (`80 10 00 00 Lc …`) announcing one BIP channel (digest §2.1): \p base
 *        (NULL: none) with SET UP EVENT LIST (bit 33), the data available and channel status events
 *        (43, 44), OPEN/CLOSE CHANNEL, RECEIVE/SEND DATA, GET CHANNEL STATUS (89-93), GPRS bearer (98),
 *        one channel (byte 13 b8-b6 = 001), TCP and UDP client remote (129, 130) set; at least 17 bytes.
 * \param base profile bytes to start from. \param base_len their number (at most 32).
 * \param apdu receives the APDU. \param cap its capacity. \param len its length.
 * \return ::EUM_OK, ::EUM_ERR_BUFFER_TOO_SMALL or ::EUM_ERR_INVALID_ARG.
 */
EUM_API int eum_host_bip_profile(const uint8_t *base, size_t base_len, uint8_t *apdu, size_t cap, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* EUM_HOST_BIP_H */
