/*
 * Force-included into the asn1c-generated sources only (asn1/CMakeLists.txt).
 * asn1c 0.9.28 defines ASN_DEBUG, when EMIT_ASN_DEBUG is off, as an empty
 * *function*, so its arguments are still evaluated on every tag (more than
 * half the instructions of a profile decode). asn_internal.h defines ASN_DEBUG
 * only if it is not defined yet: this no-op macro compiles the calls out
 * without touching the generated output, which stays reproducible.
 */
#ifndef EUM_ASN_DEBUG_OFF_H
#define EUM_ASN_DEBUG_OFF_H
#define ASN_DEBUG(...) ((void)0)
#endif
