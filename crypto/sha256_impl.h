/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal to the SHA-256 files: the block functions and the round constants. */
#ifndef PG_SHA256_IMPL_H
#define PG_SHA256_IMPL_H

#include "pg/platform.h"

typedef void (*pg_sha256_block_fn)(uint32_t state[8], const uint8_t *data, size_t blocks);

/* The 64 round constants of FIPS 180-4, 4.2.2. */
extern const uint32_t *const pg_sha256_k;

void pg_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

/* Needs SSSE3, SSE4.1 and the SHA extensions; call only when
 * pg_sha256_shani_supported() is true. */
void pg_sha256_blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
