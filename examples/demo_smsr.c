/*
 * The M2M provisioning demo: the SM-SR, ES5 over SMS-PP with the ISD-R's SCP80 keys (GSMA SGP.02 §7;
 * ETSI TS 102 225 / 102 226): audit, CreateISDP, enable / disable / delete, notifications.
 */
#include "demo.h"

/* ---- the SM-SR ---------------------------------------------------------------------------------- */

/* Take the response packet (PoR) out of the outbox: the SEND SHORT MESSAGE parts with IEI 71. */
static int outbox_por(struct demo *d, uint8_t *por, size_t cap, size_t *por_len)
{
	struct eum_host_sms_submit parts[OUTBOX_MAX], p;
	size_t i, n = 0, keep = 0;
	int ref = -1;

	/* the part with IEI 71 names the PoR; the other parts of a concatenated PoR carry only IEI 00 */
	for (i = 0; i < d->n_outbox; i++)
		if (eum_host_sms_parse_send_sm(d->outbox[i].fetch, d->outbox[i].len, &p) == EUM_OK && p.has_rpi)
			ref = p.concat ? (int)p.ref : -2;
	for (i = 0; i < d->n_outbox && ref != -1; i++) {
		if (eum_host_sms_parse_send_sm(d->outbox[i].fetch, d->outbox[i].len, &p) != EUM_OK)
			continue;
		if (p.has_rpi || (ref >= 0 && p.concat && p.ref == (unsigned)ref))
			parts[n++] = p;
	}
	if (!n)
		return 0;
	if (eum_host_sms_join(parts, n, por, cap, por_len) != EUM_OK)
		return demo_fail("PoR by SMS: parts do not join");
	for (i = 0; i < d->n_outbox; i++) {
		if (eum_host_sms_parse_send_sm(d->outbox[i].fetch, d->outbox[i].len, &p) == EUM_OK &&
		    (p.has_rpi || (ref >= 0 && p.concat && p.ref == (unsigned)ref)))
			continue;
		d->outbox[keep++] = d->outbox[i];
	}
	d->n_outbox = keep;
	return 1;
}

/* Deliver the ENVELOPEs of one command packet through the modem; the PoR comes back in the last
 * ENVELOPE's response (SMS-DELIVER-REPORT, TS 31.115 §7) or as SMS from the card. */
int demo_deliver(struct demo *d, const uint8_t (*env)[261], const size_t *len, size_t n, uint8_t *por, size_t cap,
                 size_t *por_len)
{
	uint8_t r[RSP_MAX];
	size_t i, rl = 0;
	int got;

	for (i = 0; i < n; i++) {
		uint16_t sw = demo_modem_cmd(d, env[i], len[i], r, &rl);
		CHECK(sw == 0x9000, "SMS-PP ENVELOPE %zu/%zu answered %04X", i + 1, n, sw);
	}
	d->sms_sent = n;
	d->sms += (unsigned)n;
	got = outbox_por(d, por, cap, por_len);
	if (got)
		return got < 0 ? -1 : 0;
	CHECK(rl > 3 && !memcmp(r, "\x02\x71\x00", 3) && rl - 3 <= cap, "no PoR came back");
	memcpy(por, r + 3, rl - 3);
	*por_len = rl - 3;
	return 0;
}

/* One ES5 script of C-APDUs to the ISD-R (SGP.02 §7) with smsr.h; every command must have run and
 * the last one answered `want_sw`. The result is in d->res. */
static int es5(struct demo *d, const uint8_t *const *apdus, const size_t *lens, size_t n, uint16_t want_sw)
{
	struct eum_host_smsr_envelopes env;
	uint8_t por[RSP_MAX];
	size_t por_len = 0;
	int rc;

	if (d->https) {
		/* over the HTTPS session (digest §5.1): the same script, answered in the next POST */
		struct eum_host_sms_script_response sr;
		size_t sl = 0, i;

		rc = eum_host_sms_script_build(EUM_HOST_SMS_SCRIPT_INDEFINITE, apdus, lens, n, d->work, sizeof(d->work),
		                               &sl);
		CHECK(rc == EUM_OK, "eum_host_sms_script_build: %s", eum_strerror(rc));
		if (demo_https_script(d, NULL, 0, d->work, sl, por, sizeof(por), &por_len))
			return -1;
		rc = eum_host_sms_script_parse_response(por, por_len, 1, &sr);
		CHECK(rc == EUM_OK, "script response malformed: %s", eum_strerror(rc));
		CHECK(sr.executed == n, "script: %u of %zu commands executed", sr.executed, n);
		CHECK(sr.last_sw == want_sw, "script: SW %04X, expected %04X", sr.last_sw, want_sw);
		/* d->res as a PoR would give it; its data in d->work */
		memset(&d->res, 0, sizeof(d->res));
		d->res.executed = sr.executed;
		d->res.last_sw = sr.last_sw;
		for (i = 0; i < sr.last_data_len && i < sizeof(d->work); i++)
			d->work[i] = sr.last_data[i];
		d->res.data = d->work;
		d->res.data_len = i;
		return 0;
	}
	rc = eum_host_smsr_script(&d->sr, apdus, lens, n, &env);

	CHECK(rc == EUM_OK, "eum_host_smsr_script: %s", eum_strerror(rc));
	if (demo_deliver(d, (const uint8_t(*)[261])env.apdu, env.len, env.n, por, sizeof(por), &por_len))
		return -1;
	rc = eum_host_smsr_parse_por(&d->sr, por, por_len, d->work, sizeof(d->work), &d->res);
	CHECK(rc == EUM_OK, "PoR does not verify: %s", eum_strerror(rc));
	CHECK(d->res.status == 0x00, "PoR status %02X", d->res.status);
	CHECK(d->res.executed == n, "PoR: %u of %zu commands executed", d->res.executed, n);
	CHECK(d->res.last_sw == want_sw, "PoR: SW %04X, expected %04X", d->res.last_sw, want_sw);
	return 0;
}

static int es5_one(struct demo *d, const uint8_t *apdu, size_t len, uint16_t want_sw)
{
	return es5(d, &apdu, &len, 1, want_sw);
}

static const char *notification_name(uint8_t type)
{
	switch (type) {
	case 0x01:
		return "eUICC declaration";
	case 0x02:
		return "profile change succeeded";
	case 0x03:
		return "profile change failed, roll-back";
	case 0x05:
		return "profile change after fall-back";
	default:
		return "unknown";
	}
}

/* The SM-SR receives the card's notification (SGP.02 §7.8) from the outbox, checks it and confirms
 * it (§7.9): nothing deleted as a follow-up. */
int demo_notification(struct demo *d, uint8_t type, int sub)
{
	struct eum_host_smsr_notification nt;
	uint8_t aid[16], apdu[32];
	char a[16];
	size_t i, n;
	int rc = EUM_ERR_NOT_FOUND;

	for (i = 0; i < d->n_outbox; i++) {
		rc = eum_host_smsr_parse_notification(&d->sr, d->outbox[i].fetch, d->outbox[i].len, &nt);
		if (rc == EUM_OK)
			break;
	}
	CHECK(rc == EUM_OK, "no notification %02X reached the SM-SR (%s)", type, eum_strerror(rc));
	memmove(&d->outbox[i], &d->outbox[i + 1], (d->n_outbox - i - 1) * sizeof(d->outbox[0]));
	d->n_outbox--;
	demo_isdp_aid(demo_subs[sub].tar, aid);
	CHECK(!memcmp(nt.eid, d->eid, 16), "notification from another EID");
	CHECK(nt.type == type, "notification %02X, expected %02X", nt.type, type);
	CHECK(nt.aid_len == 16 && !memcmp(nt.aid, aid, 16), "notification names another ISD-P");
	CHECK(!strcmp(nt.da, SMSR_ADDRESS), "notification sent to %s", nt.da);
	CHECK(nt.has_imei && !memcmp(nt.imei, demo_imei, 8), "notification without the car's IMEI");
	demo_say("card", "SM-SR", "SMS: notification %02X \"%s\", seq %u, ISD-P %s enabled", nt.type,
	         notification_name(nt.type), nt.seq, demo_short_aid(nt.aid, nt.aid_len, a));
	rc = eum_host_smsr_confirm(nt.seq, apdu, sizeof(apdu), &n);
	CHECK(rc == EUM_OK, "eum_host_smsr_confirm: %s", eum_strerror(rc));
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	CHECK(d->res.data_len == 2 && !memcmp(d->res.data, "\x80\x00", 2), "confirmation: unexpected follow-up");
	demo_say("SM-SR", "card", "HandleNotificationConfirmation seq %u: PoR 9000, no ISD-P deleted", nt.seq);
	return 0;
}

static const char *lcs_name(uint8_t lcs)
{
	switch (lcs) {
	case 0x07:
		return "SELECTABLE";
	case 0x0F:
		return "PERSONALIZED";
	case 0x1F:
		return "DISABLED";
	case 0x3F:
		return "ENABLED";
	default:
		return "?";
	}
}

/* The SM-SR audits the ISD-Ps (SGP.02 §7.7 GET STATUS): one E3 per ISD-P with 4F AID, 9F70 life
 * cycle state, 53 attributes (b1 fall-back). The summary must read `want`. */
int demo_audit(struct demo *d, const char *want)
{
	uint8_t apdu[32], dummy = 0;
	char line[256], a[16];
	size_t n, off = 0, k = 0;
	int rc = eum_host_smsr_get_status(&dummy, 0, apdu, sizeof(apdu), &n);

	CHECK(rc == EUM_OK, "eum_host_smsr_get_status: %s", eum_strerror(rc));
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	line[0] = '\0';
	while (off + 2 <= d->res.data_len && d->res.data[off] == 0xE3) {
		const uint8_t *e = d->res.data + off + 2, *aid = NULL;
		size_t el = d->res.data[off + 1], j = 0, aid_len = 0;
		uint8_t lcs = 0, attr = 0;
		CHECK(off + 2 + el <= d->res.data_len, "GET STATUS: truncated E3");
		while (j + 3 <= el) {
			size_t h = e[j] == 0x9F ? 2 : 1, l = e[j + h];
			if (j + h + 1 + l > el)
				break;
			if (e[j] == 0x4F)
				aid = e + j + 2, aid_len = l;
			else if (h == 2 && e[j + 1] == 0x70 && l == 1)
				lcs = e[j + 3];
			else if (e[j] == 0x53 && l == 1)
				attr = e[j + 2];
			j += h + 1 + l;
		}
		off += 2 + el;
		/* ISD-Ps only: TARs 000010..00FFFF of Annex H (the ISD-R and ECASD may be listed too) */
		if (aid_len != 16 || (aid[12] == 0 && aid[13] == 0 && aid[14] < 0x10))
			continue;
		k += (size_t)snprintf(line + k, sizeof(line) - k, "%s%s %s%s", k ? ", " : "",
		                      demo_short_aid(aid, aid_len, a), lcs_name(lcs),
		                      attr & 0x01 ? " (fall-back)" : "");
		if (k >= sizeof(line))
			break;
	}
	printf("  SM-SR   audit     ISD-P %s\n", line);
	CHECK(!strcmp(line, want), "audit reads \"%s\", expected \"%s\"", line, want);
	return 0;
}

int demo_create_isdp(struct demo *d, int sub)
{
	uint8_t apdu[128], aid[16];
	char a[16];
	size_t n;
	int rc = eum_host_smsr_create_isdp(demo_subs[sub].tar, 0, apdu, sizeof(apdu), &n);

	CHECK(rc == EUM_OK, "eum_host_smsr_create_isdp: %s", eum_strerror(rc));
	demo_isdp_aid(demo_subs[sub].tar, aid);
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	demo_say("SM-SR", "ISD-R", "CreateISDP %s (INSTALL [for install and make selectable]): %s 9000",
	         demo_short_aid(aid, 16, a), d->https ? "over HTTPS," : "PoR");
	return 0;
}

/* EnableProfile / DisableProfile (SGP.02 §7.2, §7.3): PoR first, then the card's REFRESH. */
int demo_switch_profile(struct demo *d, int enable, int sub)
{
	uint8_t apdu[64], aid[16];
	char a[16];
	size_t n;
	int rc;

	demo_isdp_aid(demo_subs[sub].tar, aid);
	rc = enable ? eum_host_smsr_enable_profile(aid, 16, apdu, sizeof(apdu), &n)
	            : eum_host_smsr_disable_profile(aid, 16, apdu, sizeof(apdu), &n);
	CHECK(rc == EUM_OK, "profile switch command: %s", eum_strerror(rc));
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	demo_say("SM-SR", "ISD-R", "%s %s (STORE DATA DGI %s): %s 9000", enable ? "EnableProfile" : "DisableProfile",
	         demo_short_aid(aid, 16, a), enable ? "3A03" : "3A04", d->https ? "over HTTPS," : "PoR");
	if (d->https)
		return 0; /* the REFRESH may wait for the end of the session (demo.c checks it) */
	CHECK(d->refresh, "no REFRESH after the switch");
	demo_say("card", "modem", "REFRESH (UICC reset): the enabled profile changed");
	return 0;
}

int demo_delete_profile(struct demo *d, int sub)
{
	uint8_t apdu[64], aid[16];
	char a[16];
	size_t n;
	int rc;

	demo_isdp_aid(demo_subs[sub].tar, aid);
	rc = eum_host_smsr_delete_profile(aid, 16, apdu, sizeof(apdu), &n);
	CHECK(rc == EUM_OK, "eum_host_smsr_delete_profile: %s", eum_strerror(rc));
	if (es5_one(d, apdu, n, 0x9000))
		return -1;
	demo_say("SM-SR", "ISD-R", "DeleteProfile %s (DELETE): PoR 9000", demo_short_aid(aid, 16, a));
	return 0;
}
