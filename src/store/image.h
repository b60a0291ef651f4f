/*
 * The card state image: everything a card keeps in non-volatile memory, as
 * one versioned, integrity-checked byte string (SGP.02 §10 lists what must
 * survive; this image holds what eum implements of it today).
 *
 * Layout, all integers big-endian:
 *   "EUMSTATE"  magic (8 bytes)
 *   u16         format version (EUM_IMAGE_VERSION)
 *   u16         reserved, 0
 *   u32         payload length
 *   payload     sections: u8 tag, u32 length, value
 *   u32         CRC-32C (Castagnoli) of everything before it
 *
 * Sections of format version 1:
 *   0x01 platform: ECASD (EID 16, curve, SK.ECASD.ECKA 32, PK.CI 65, u16
 *        certificate length + CERT.ECASD.ECKA), ISD-R (TAR 3, MSL, 8 SCP80
 *        key sets each followed by its 5-byte counter, the SCP03 key set),
 *        then the ISD-R's SGP.02 ES5 state (src/sgp02/es5_state.h): SM-SR SMS
 *        address (u8 digits, u8 TON/NPI, 10 BCD), u16 notification sequence,
 *        u8 declared, switch (u8 phase, kind, target slot, previous slot,
 *        failures, u64 deadline), u8 loss count, u64 loss since, then 4
 *        pending notifications (u8 type, state, u16 sequence, u8 AID length +
 *        16, u8 sends, u8 roll-back slot, u16 follow-up slot bits, u64
 *        deadline); times are host-clock seconds
 * then for each ISD-P in use,
 *   0x20 ISD-P: u8 slot, u8 AID length + AID, u8 life-cycle state,
 *        u8 fall-back attribute, u8 POL1, u8 has-profile, GP privileges (3),
 *        u32 reserved non-volatile memory quota, its SCP03 key sets
 *        (KVN, key length, ENC/MAC/DEK 32 each, u32 sequence counter),
 *        u8 Connectivity Parameters length + their BER-TLVs (SGP.02 §8.3),
 *        u8 has MasterDelete token key + the key (16, SGP.02 §7.5)
 * followed, when it holds a profile, by that profile's three sections:
 *   0x10 file system of the enabled profile: u32 count, then per file
 *        i32 parent, u16 FID, u8 type, u8 SFI, u8 LCS, u8 shareable,
 *        u8 AID length + AID, u8 security-attribute length + attributes,
 *        u16 record length, u16 record count, u16 cyclic head, u32 size,
 *        body (size bytes, EFs only)
 *   0x11 PINs and PUKs: 2 x 16 slots of in_use, ref, max tries, tries left,
 *        flags (b1 enabled, b2 DISABLE/ENABLE allowed), unblock ref, value (8)
 *   0x12 USIM AKA: algorithm, options, RES length, SQN options, K, OPc,
 *        r1..r5, c1..c5, SQN delta, age limit, then the 32 SQN entries (6 each)
 *   0x13 OTA: 4 RFM instances (in use, TAR, MSL, ADF AID length + 16, 4
 *        access domains: length + 4, TS 102 226 §8.2.1.3.2.5),
 *        8 SCP80 key sets (KVN, KIc algorithm + 32, KID algorithm + 32)
 *        each followed by its 5-byte counter, then the MNO-SD: u8 instance
 *        AID length (0 = none, else 5..16) + 16, its 2 SCP03 key sets (as
 *        the ISD-P's)
 * Loading checks every length, index, type and range; an image with another
 * magic, a newer version, an unknown section or a bad CRC is refused.
 */
#ifndef EUM_STORE_IMAGE_H
#define EUM_STORE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/card.h"

#define EUM_IMAGE_VERSION 2 /* 2: PIN flags byte carries "DISABLE/ENABLE allowed" */

/* Serialise a profile. buf may be NULL to measure; returns EUM_OK or
 * EUM_ERR_BUFFER_TOO_SMALL (with *len set to the size needed). */
int eum_image_write(const struct eum_pstate *ps, uint8_t *buf, size_t cap, size_t *len);
/* Validate and load an image into ps (overwritten; on failure left empty and
 * why says what was wrong). */
int eum_image_read(struct eum_pstate *ps, const uint8_t *img, size_t len, char *why, size_t whycap);

/* CRC-32C (Castagnoli) of p (src/store/crc32c.c). _update continues a CRC:
 * eum_crc32c_update(eum_crc32c(a), b) == CRC of a followed by b; start at 0. */
uint32_t eum_crc32c(const uint8_t *p, size_t len);
uint32_t eum_crc32c_update(uint32_t crc, const uint8_t *p, size_t len);
/* Slicing table k (0..7) of the CRC-32C, for the known-answer test. */
const uint32_t *eum_crc32c_table(unsigned k);

#endif
