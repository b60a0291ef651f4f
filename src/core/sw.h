/*
 * Status words, named as ISO/IEC 7816-4 §5.1.3 and ETSI TS 102 221 §10.2
 * name them (GlobalPlatform and SGP.02 additions where those define them).
 * Only the dispatcher turns these into R-APDU bytes (STYLE §4).
 */
#ifndef EUM_CORE_SW_H
#define EUM_CORE_SW_H

#define EUM_SW_OK                0x9000
#define EUM_SW_PROACTIVE_PENDING 0x9100 /* 91xx: xx = length of the pending proactive command */
#define EUM_SW_BYTES_AVAILABLE   0x6100 /* 61xx (T=0): xx response bytes available */
#define EUM_SW_WRONG_LE          0x6C00 /* 6Cxx: wrong Le, xx = exact length */

/* warnings (TS 102 221 Table 10.8) */
#define EUM_SW_WARN_NO_INFO          0x6200
#define EUM_SW_WARN_EOF              0x6282 /* end of file/record reached before reading Le bytes */
#define EUM_SW_WARN_FILE_DEACTIVATED 0x6283 /* selected file invalidated */
#define EUM_SW_WARN_MORE_DATA        0x6310 /* GP: more data available (GET STATUS) */
#define EUM_SW_VERIFY_FAIL           0x63C0 /* 63Cx: verification failed, x retries left */

/* execution errors */
#define EUM_SW_MEMORY_PROBLEM                 0x6581
#define EUM_SW_WRONG_LENGTH                   0x6700
#define EUM_SW_LOGICAL_CHANNEL_NOT_SUPPORTED  0x6881
#define EUM_SW_SECURE_MESSAGING_NOT_SUPPORTED 0x6882
#define EUM_SW_CHAINING_NOT_SUPPORTED         0x6884
#define EUM_SW_INCOMPATIBLE_FILE_STRUCTURE    0x6981
#define EUM_SW_SECURITY_STATUS_NOT_SATISFIED  0x6982
#define EUM_SW_AUTH_METHOD_BLOCKED            0x6983
#define EUM_SW_REFERENCED_DATA_INVALIDATED    0x6984
#define EUM_SW_CONDITIONS_NOT_SATISFIED       0x6985
#define EUM_SW_NO_CURRENT_EF                  0x6986
#define EUM_SW_SM_DATA_MISSING                0x6987
#define EUM_SW_SM_DATA_INCORRECT              0x6988
#define EUM_SW_POLICY_NOT_SATISFIED           0x69E1 /* SGP.02: POL1 forbids the operation */
#define EUM_SW_INCORRECT_DATA                 0x6A80
#define EUM_SW_FUNCTION_NOT_SUPPORTED         0x6A81
#define EUM_SW_FILE_NOT_FOUND                 0x6A82
#define EUM_SW_RECORD_NOT_FOUND               0x6A83
#define EUM_SW_NOT_ENOUGH_MEMORY              0x6A84
#define EUM_SW_INCORRECT_P1P2                 0x6A86
#define EUM_SW_LC_INCONSISTENT_WITH_P1P2      0x6A87
#define EUM_SW_REFERENCED_DATA_NOT_FOUND      0x6A88
#define EUM_SW_WRONG_P1P2                     0x6B00
#define EUM_SW_INS_NOT_SUPPORTED              0x6D00
#define EUM_SW_CLA_NOT_SUPPORTED              0x6E00
#define EUM_SW_TECHNICAL_PROBLEM              0x6F00

/* application errors (TS 102 221 Table 10.13, TS 31.102) */
#define EUM_SW_INCREASE_MAX_REACHED       0x9850
#define EUM_SW_AUTH_MAC_FAIL              0x9862 /* TS 31.102 §7.3: authentication error, incorrect MAC */
#define EUM_SW_AUTH_CONTEXT_NOT_SUPPORTED 0x9864 /* TS 31.102 §7.3: security context not supported */
#define EUM_SW_SECURITY_SESSION_EXPIRED   0x9863
#define EUM_SW_TOOLKIT_BUSY               0x9300
/* GlobalPlatform Card Specification v2.3 §11.8.3 (PUT KEY) */
#define EUM_SW_GP_ALGORITHM_NOT_SUPPORTED 0x9484
#define EUM_SW_GP_INVALID_KEY_CHECK_VALUE 0x9485

#define EUM_SW_IS_SUCCESS(sw) ((sw) == 0x9000 || ((sw)&0xFF00) == 0x9100 || ((sw)&0xFF00) == 0x9200)

#endif
