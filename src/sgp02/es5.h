/*
 * SGP.02 ES5 on the ISD-R (SM-SR → eUICC): the DGI handlers plugged into STORE DATA, the
 * DELETE policy, the profile switch engine (es5_switch.c) and the notifications (notify.c).
 */
#ifndef EUM_SGP02_ES5_H
#define EUM_SGP02_ES5_H

#include "gp/gp.h"
#include "sgp02/es5_state.h"

/* ---- ES5 commands (es5_isdr.c) ------------------------------------------------------------ */

/* STORE DATA DGI handlers (struct eum_gp_dgi_handler, isdp = -1: the ISD-R). */
uint16_t eum_es5_enable_profile(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                                struct eum_rsp *r);
uint16_t eum_es5_disable_profile(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val,
                                 size_t len, struct eum_rsp *r);
uint16_t eum_es5_set_fallback(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val, size_t len,
                              struct eum_rsp *r);
uint16_t eum_es5_update_smsr_addressing(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val,
                                        size_t len, struct eum_rsp *r);
uint16_t eum_es5_notification_confirmation(struct eum_card *card, struct eum_channel *ch, int isdp, const uint8_t *val,
                                           size_t len, struct eum_rsp *r);

struct eum_scp81_params;
/* The ISD-R's default HTTPS administration session parameters (set by 3A07 A3 { 83 }): out filled with
 * what is stored, every field unset when nothing is. EUM_OK, EUM_ERR_PARSE or EUM_ERR_INVALID_ARG. */
int eum_isdr_https_defaults(const struct eum_card *card, struct eum_scp81_params *out);

/* Their validation halves (eum_gp_dgi_check_fn): the same checks, changing nothing. */
uint16_t eum_es5_enable_profile_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                      size_t len);
uint16_t eum_es5_disable_profile_check(struct eum_card *card, const struct eum_channel *ch, int isdp,
                                       const uint8_t *val, size_t len);
uint16_t eum_es5_set_fallback_check(struct eum_card *card, const struct eum_channel *ch, int isdp, const uint8_t *val,
                                    size_t len);
uint16_t eum_es5_update_smsr_addressing_check(struct eum_card *card, const struct eum_channel *ch, int isdp,
                                              const uint8_t *val, size_t len);
uint16_t eum_es5_notification_confirmation_check(struct eum_card *card, const struct eum_channel *ch, int isdp,
                                                 const uint8_t *val, size_t len);

/* Rows of the STORE DATA DGI table (src/gp/store_data.c) for ES5, all on the ISD-R (SGP.02 §5). */
/* clang-format off */
/* struct eum_gp_dgi_handler.exclusive of the functions that change which profile is enabled or the
 * fall-back one (each is one command in SGP.02 §5.3, §5.4): one of them per STORE DATA */
#define EUM_ES5_PROFILE_STATE 1

#define EUM_ES5_DGI_ROWS                                                                           \
	{EUM_GP_SD_FORMAT_DGI, 0x3A03, EUM_APP_ISDR, eum_es5_enable_profile, "ES5 EnableProfile",  \
	 eum_es5_enable_profile_check, 0, EUM_ES5_PROFILE_STATE},                                  \
	{EUM_GP_SD_FORMAT_DGI, 0x3A04, EUM_APP_ISDR, eum_es5_disable_profile, "ES5 DisableProfile", \
	 eum_es5_disable_profile_check, 0, EUM_ES5_PROFILE_STATE},                                 \
	{EUM_GP_SD_FORMAT_DGI, 0x3A05, EUM_APP_ISDR, eum_es5_set_fallback, "ES5 SetFallbackAttribute", \
	 eum_es5_set_fallback_check, 0, EUM_ES5_PROFILE_STATE},                                    \
	{EUM_GP_SD_FORMAT_DGI, 0x3A07, EUM_APP_ISDR, eum_es5_update_smsr_addressing,               \
	 "ES5 UpdateSMSRAddressingParameters", eum_es5_update_smsr_addressing_check, 0, 0},        \
	{EUM_GP_SD_FORMAT_DGI, 0x3A08, EUM_APP_ISDR, eum_es5_notification_confirmation,            \
	 "ES5 HandleNotificationConfirmation", eum_es5_notification_confirmation_check, 0, 0},
/* clang-format on */

/*
 * DELETE of an ISD-P (SGP.02 §7.4 DeleteProfile, §7.5 MasterDelete), called by the GP DELETE
 * handler once the AID is known and the life-cycle table allows the deletion: POL1 (69E1), or
 * with a token (has_token) the token check (6982). 0 = go on. Changes nothing: the caller drops
 * the ES5 references to the slot (eum_es5_forget_slot) and deletes it once everything is checked.
 */
uint16_t eum_es5_delete_check(struct eum_card *card, const struct eum_apdu *a, int slot, int has_token);

/* ---- profile switches, network events, timers (es5_switch.c) ------------------------------- */

/* eum_config_init() defaults of eum_es5_policy. */
void eum_es5_policy_defaults(eum_es5_policy *p);
/* Card creation: take the policies (volatile) from the configuration. */
void eum_es5_init(struct eum_card *card, const eum_config *cfg);
/* Manufacture: the SM-SR address of the configuration into the ISD-R. EUM_ERR_CONFIG when malformed. */
int eum_es5_manufacture(struct eum_card *card, const eum_config *cfg);
/* A terminal reset (before the session state is cleared). */
void eum_es5_on_reset(struct eum_card *card);
/* Location status event download (TS 102 223 §7.5.4), from the ENVELOPE handler. */
void eum_es5_on_location_status(struct eum_card *card, uint8_t status);
/* After every terminal APDU (eum_card_transmit): run a switch whose response has left, the
 * timers and the notification delivery; commits what it changed. */
void eum_es5_after_apdu(struct eum_card *card);
/* Accept a switch: it runs after the current APDU (SGP.02 digest §4 ordering). */
void eum_es5_request_switch(struct eum_card *card, uint8_t kind, int target);
/* Drop every ES5 reference to a slot that is being deleted. */
void eum_es5_forget_slot(struct eum_card *card, int slot);
/* Run the switch engine after an event; returns 1 when persistent state changed. */
int eum_es5_network(struct eum_card *card, eum_net_event ev);

/* ---- notifications (notify.c) ---------------------------------------------------------------- */

/* Raise a notification (SGP.02 §7.8) about the ENABLED profile: next sequence number, persisted,
 * sent when possible. rollback: slot for a failed 02 (EUM_ES5_NO_SLOT = none); followup: slots
 * to delete once confirmed. */
void eum_es5_notify_raise(struct eum_card *card, uint8_t type, uint8_t rollback, uint16_t followup);
/* The TERMINAL RESPONSE to the SEND SHORT MESSAGE of notification seq (general result). 1 when
 * persistent state changed. */
int eum_es5_notify_sent(struct eum_card *card, uint16_t seq, uint8_t result);
/* Deliver / retry the oldest notification, consume TERMINAL RESPONSEs; 1 when persistent state changed. */
int eum_es5_notify_pump(struct eum_card *card);

#endif
