/*
 * GlobalPlatform Amendment B administration session parameters as SGP.02 uses them (spec digest
 * scp81-https.md §1): the "administration session triggering parameters" TLV 81 of a push SMS, the
 * ISD-R's stored defaults, how they merge ("trigger wins" per field), and the SGP.02 PSK identity.
 */
#ifndef EUM_OTA_SCP81_PARAMS_H
#define EUM_OTA_SCP81_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "ota/http_admin.h"

#define EUM_SCP81_CONN_MAX  96  /* connection parameters (OPEN CHANNEL TLVs) */
#define EUM_SCP81_PSKID_MAX 128 /* PSK identity */
#define EUM_SCP81_TEXT_MAX  128 /* host, agent id */

struct eum_scp81_params {
	uint8_t has_conn, has_security, has_retry, has_host, has_agent, has_uri;
	uint8_t conn[EUM_SCP81_CONN_MAX]; /* tag 84 value: OPEN CHANNEL COMPREHENSION-TLVs */
	size_t conn_len;
	uint8_t psk_id[EUM_SCP81_PSKID_MAX]; /* tag 85: PSK identity as sent */
	size_t psk_id_len;
	uint8_t kvn, kid;                   /* tag 85: the key set and key that hold the PSK */
	uint16_t retry_count;               /* tag 86: retries after a failed attempt */
	uint32_t retry_delay_s;             /* tag 86: waiting delay, seconds */
	uint8_t report_failure;             /* tag 86: report when the retries are exhausted */
	char host[EUM_SCP81_TEXT_MAX + 1];  /* 89/8A administration host */
	char agent[EUM_SCP81_TEXT_MAX + 1]; /* 89/8B agent id (X-Admin-From) */
	char uri[EUM_HTTP_URI_MAX + 1];     /* 89/8C administration URI */
};

/* Value of TLV 81 (or of 83 alone when `admin_only`) -> fields present; absent ones stay unset.
 * EUM_OK or EUM_ERR_PARSE (malformed TLV, value too long, text not printable ASCII). */
int eum_scp81_parse(const uint8_t *val, size_t len, int admin_only, struct eum_scp81_params *out);
/* out = defaults with every field the trigger carries replaced by the trigger's. */
void eum_scp81_merge(const struct eum_scp81_params *defaults, const struct eum_scp81_params *trigger,
                     struct eum_scp81_params *out);
/* SGP.02 PSK identity (digest §3.3): uppercase hex text of 80 01 02 | 81 10 EID | 4F 10 ISD-R AID |
 * 82 01 KID | 83 01 KVN. Writes the text (no terminator) and its length. */
int eum_scp81_sgp02_identity(const uint8_t eid[16], const uint8_t *isdr_aid, size_t aid_len, uint8_t kid, uint8_t kvn,
                             uint8_t *out, size_t cap, size_t *len);

#endif
