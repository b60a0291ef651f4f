/*
 * The M2M provisioning demo (examples/demo.c tells the story; the actors are in demo_modem.c,
 * demo_smsr.c and demo_smdp.c): what the chapters share.
 */
#ifndef EUM_DEMO_H
#define EUM_DEMO_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bip_bridge.h"
#include "eum/eum.h"
#include "eum/host/aka.h"
#include "eum/host/scp80.h"
#include "eum/host/smdp.h"
#include "eum/host/sms.h"
#include "eum/host/smsr.h"

#ifndef EUM_DEMO_DATA_DIR
#define EUM_DEMO_DATA_DIR "tests/data"
#endif

#define RSP_MAX     1024 /* response data of one command, GET RESPONSE parts joined */
#define OUTBOX_MAX  16   /* SMS the modem has sent and the network has not delivered yet */
#define SCRIPT_MAX  1000 /* one SCP80 packet in at most 8 concatenated SMS (the card joins 1024 bytes) */
#define SEGMENT     960  /* SCP03t plain bytes per 86 TLV: one 86 fills one packet */
#define SEGMENT_TLS 2000 /* over HTTPS: one 86 per script, bounded by the digest's 2 KB (§5.3) */
#define SCRIPT_TLS  4096 /* one script over HTTPS */
#define PACKAGE_MAX 32768

/* ---- the cast ------------------------------------------------------------------------------------ */

/* A subscription as the device is configured for it (PIN1) and as its operator's HSS knows it. */
struct subscription {
	const char *name;
	const char *iccid; /* what the modem must read in EF.ICCID */
	const char *imsi;  /* ... and in EF.IMSI */
	const char *pin1;
	int milenage; /* 1: Milenage with K/OP; 0: the TS 34.108 test algorithm with K, 16-byte RES */
	const char *k, *op;
	const char *package; /* TS.48 package under tests/data/ts48 (NULL: the card's built-in bootstrap) */
	uint8_t tar[3];      /* TAR of the ISD-P holding it (SGP.02 Annex H) */
};

extern const struct subscription demo_subs[3];
/* The car's IMEI (demo.c). */
extern const uint8_t demo_imei[8];
#define BOOT  0
#define OP_A  1
#define OP_B  2
#define NSUBS 3

/* The SM-SR's SMS address, written into the card at manufacture (eum_config.es5.smsr_address). */
#define SMSR_ADDRESS "12345678"

/* One SEND SHORT MESSAGE as the modem fetched it. */
struct sms {
	uint8_t fetch[256];
	size_t len;
};

struct demo {
	eum_card *card;
	int verbose;
	const char *data_dir;
	unsigned apdus; /* APDUs exchanged between modem and card */
	unsigned sms;   /* SMS-PP ENVELOPEs the network delivered to the card */
	/* the modem */
	struct sms outbox[OUTBOX_MAX];
	size_t n_outbox;
	int refresh;          /* REFRESH fetched and not acted on yet */
	int serving;          /* index in demo_subs[] of the subscription the modem booted on */
	struct bridge bridge; /* the modem's BIP channel over loopback TCP (bip_bridge.c) */
	struct bridge *bip;   /* &bridge: the modem announces BIP in its TERMINAL PROFILE */
	uint8_t usim[16];
	size_t usim_len;
	/* the network: next SEQ per subscription (TS 33.102 Annex C) */
	uint64_t seq[NSUBS];
	unsigned attaches;
	/* the SM-SR: the EIS (EID, ECASD key) and the ISD-R's SCP80 key set */
	struct eum_host_smsr sr;
	uint8_t eid[16];
	uint8_t pk_ecasd[65];
	uint8_t work[1200]; /* deciphered PoRs; the last ES5 result points into it */
	struct eum_host_smsr_result res;
	size_t sms_sent; /* SMS-PP ENVELOPEs of the last packet */
	/* the SM-SR's HTTPS admin session (demo_https.c): ES5 / ES8 scripts go over it while it runs */
	struct demo_https *https;
	size_t segment;            /* SCP03t plain bytes per 86 TLV of the current transport */
	unsigned https_posts;      /* POSTs of the last session */
	unsigned long https_bytes; /* TCP bytes of the last session, both ways */
	/* the SM-DP */
	uint8_t dp_cert[1024];
	size_t dp_cert_len;
	uint8_t dp_sk[32];
	eum_host_smdp_crt crt;
	eum_host_smdp_keys keys; /* the ISD-P's SCP03 key set after EstablishISDPKeySet */
};

/* ---- the timeline (demo.c) ---- */
void demo_hexdump(const char *prefix, const uint8_t *p, size_t n);
void demo_hexstr(const uint8_t *p, size_t n, char *out);
void demo_chapter(const char *fmt, ...);
void demo_say(const char *from, const char *to, const char *fmt, ...);
int demo_fail(const char *fmt, ...);
const char *demo_short_aid(const uint8_t *aid, size_t len, char buf[16]);
void demo_isdp_aid(const uint8_t tar[3], uint8_t aid[16]);
size_t demo_unhex(const char *s, uint8_t *out, size_t cap);
void demo_swapped_digits(const uint8_t *b, size_t n, char *out);
int demo_read_file(const struct demo *d, const char *rel, uint8_t *buf, size_t cap, size_t *len);
int demo_os_random(void *ctx, uint8_t *buf, size_t len);

/* ---- the modem and the network (demo_modem.c) ---- */
uint16_t demo_modem_cmd(struct demo *d, const uint8_t *c, size_t n, uint8_t *out, size_t *out_len);
uint16_t demo_modem_hex(struct demo *d, const char *hex, uint8_t *out, size_t *out_len);
uint16_t demo_location_status(struct demo *d, uint8_t status);
int demo_modem_boot(struct demo *d, int cold, int expect);
int demo_attach(struct demo *d);

/* ---- the SM-SR (demo_smsr.c) ---- */
int demo_deliver(struct demo *d, const uint8_t (*env)[261], const size_t *len, size_t n, uint8_t *por, size_t cap,
                 size_t *por_len);
int demo_notification(struct demo *d, uint8_t type, int sub);
int demo_audit(struct demo *d, const char *want);
int demo_create_isdp(struct demo *d, int sub);
int demo_switch_profile(struct demo *d, int enable, int sub);
int demo_delete_profile(struct demo *d, int sub);

/* ---- the SM-SR's HTTPS admin session (demo_https.c) ---- */
int demo_https_begin(struct demo *d);
int demo_https_script(struct demo *d, const uint8_t *aid, size_t aid_len, const uint8_t *script, size_t n, uint8_t *rsp,
                      size_t cap, size_t *rsp_len);
int demo_https_end(struct demo *d);

/* ---- the SM-DP, relayed by the SM-SR (demo_smdp.c) ---- */
int demo_establish_keys(struct demo *d, int sub);
int demo_download(struct demo *d, int sub);

/* CHECK: the first deviation ends the story. */
#define CHECK(cond, ...)                                                                                               \
	do {                                                                                                           \
		if (!(cond))                                                                                           \
			return demo_fail(__VA_ARGS__);                                                                 \
	} while (0)

#endif
