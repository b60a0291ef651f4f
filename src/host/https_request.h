/*
 * libeum-host private: parsing of the card's POSTs for the HTTPS admin server (https_request.c).
 */
#ifndef EUM_HOST_HTTPS_REQUEST_H
#define EUM_HOST_HTTPS_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "eum/host/https.h"

#define EUM_HOST_HTTPS_HEAD_MAX 2048 /* request line + headers of one POST */
#define EUM_HOST_HTTPS_MORE     1    /* the request is not complete yet */

/*
 * Parse one complete request at the start of in[0..n): the report's text fields into *r (body pointer left
 * NULL), the de-chunked body into body (EUM_HOST_HTTPS_BODY_MAX bytes), *consumed = bytes the request took.
 * Returns EUM_OK, EUM_HOST_HTTPS_MORE or EUM_ERR_PARSE (the server answers 400).
 */
int eum_host_https_parse_request(const uint8_t *in, size_t n, struct eum_host_https_report *r, uint8_t *body,
                                 size_t *consumed);

#endif
