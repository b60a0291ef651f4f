/*
 * eum-mkprofile (tools/eum-mkprofile.c: values, header, end, output and main; mkprofile_files.c: the
 * file-system PEs; mkprofile_pe.c: PINs, PUKs, AKA, security domains, RFM): what the parts share.
 */
#ifndef EUM_TOOLS_MKPROFILE_H
#define EUM_TOOLS_MKPROFILE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>
#include <mbedtls/aes.h>
#include <mbedtls/platform_util.h>

#include "FileManagement.h"
#include "KeyObject.h"
#include "PINConfiguration.h"
#include "PUKConfiguration.h"
#include "ProfileElement.h"

#define HEX_MAX 4096 /* longest hex value in the source (bytes) */

struct out {
	uint8_t *p;
	size_t len, cap;
};

extern const char *mkp_src_name; /* the source file, for messages */

int mkp_bcd_swapped(const char *digits, uint8_t *out, size_t len);
int mkp_build_aka(const config_setting_t *s, ProfileElement_t **pe);
int mkp_build_end(const config_setting_t *s, ProfileElement_t **pe);
int mkp_build_gfm(const config_setting_t *s, ProfileElement_t **pe, const uint8_t *iccid);
int mkp_build_pins(const config_setting_t *s, ProfileElement_t **pe);
int mkp_build_puks(const config_setting_t *s, ProfileElement_t **pe);
int mkp_build_rfm(const config_setting_t *s, ProfileElement_t **pe);
int mkp_build_sd(const config_setting_t *s, ProfileElement_t **pe);
int mkp_build_template_pe(const config_setting_t *s, ProfileElement_PR pr, ProfileElement_t **pe, const uint8_t *iccid);
int mkp_fail(const config_setting_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
long mkp_get_hex(const config_setting_t *s, const char *name, uint8_t *buf, size_t cap);
int mkp_get_int(const config_setting_t *s, const char *name, int *v, int dflt, int min, int max);
long mkp_hex_decode(const char *s, uint8_t *out, size_t cap);
int mkp_imsi_content(const char *digits, uint8_t out[9]);
long *mkp_long_new(long v);
OCTET_STRING_t *mkp_os_new(const uint8_t *b, size_t n);
int mkp_os_set(OCTET_STRING_t *os, const uint8_t *b, size_t n);
void *mkp_pe_new(ProfileElement_t **pe, ProfileElement_PR pr);
int mkp_req_hex_os(const config_setting_t *s, const char *name, OCTET_STRING_t *os, size_t min, size_t max);
int mkp_set_header(PEHeader_t *h, const config_setting_t *s);

#endif
