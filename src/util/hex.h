/* Hexadecimal text <-> bytes, for tables, configuration files and logs. */
#ifndef EUM_UTIL_HEX_H
#define EUM_UTIL_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Decode hex digits (either case; spaces and tabs ignored) into out.
 * Returns the byte count, or -1 on an odd digit count, a bad character or overflow. */
long eum_hex_decode(const char *hex, uint8_t *out, size_t cap);
/* Encode len bytes as uppercase hex into out (2*len+1 bytes, NUL-terminated). */
void eum_hex_encode(const uint8_t *in, size_t len, char *out);
/* The same without the terminator: exactly 2*len characters, e.g. inside a longer text. */
void eum_hex_upper(const uint8_t *in, size_t len, char *out);
/* Value of one hex digit (either case), or -1. */
int eum_hex_digit(int c);

#endif
