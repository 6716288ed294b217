/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SHA-256 (FIPS 180-4) with a streaming API. Two block functions exist: a
 * portable one and one using the x86-64 SHA extensions (SHA-NI). The first
 * use picks SHA-NI when CPUID reports it; pg_sha256_select() forces either
 * path so tests can check both.
 */
#ifndef PG_SHA256_H
#define PG_SHA256_H

#include "pg/err.h"

#define PG_SHA256_DIGEST_SIZE 32
#define PG_SHA256_BLOCK_SIZE 64

struct pg_sha256_ctx {
        uint32_t state[8];
        uint64_t total_len;     /* bytes hashed so far */
        uint8_t block[PG_SHA256_BLOCK_SIZE];
        size_t block_len;       /* bytes waiting in block[] */
};

enum pg_sha256_impl {
        PG_SHA256_IMPL_AUTO = 0,        /* SHA-NI when the CPU has it */
        PG_SHA256_IMPL_PORTABLE = 1,
        PG_SHA256_IMPL_SHANI = 2,
};

void pg_sha256_init(struct pg_sha256_ctx *ctx);
void pg_sha256_update(struct pg_sha256_ctx *ctx, const void *data, size_t len);
/* Writes the digest and clears the context. */
void pg_sha256_final(struct pg_sha256_ctx *ctx, uint8_t out[PG_SHA256_DIGEST_SIZE]);
void pg_sha256(const void *data, size_t len, uint8_t out[PG_SHA256_DIGEST_SIZE]);

/* True when CPUID reports the SHA extensions (and SSE4.1, which they need). */
bool pg_sha256_shani_supported(void);

/*
 * Selects the block function for all later calls. Returns
 * PG_ERR_SHA256_IMPL_UNSUPPORTED when SHA-NI is requested on a CPU without
 * it, and PG_ERR_SHA256_IMPL_INVALID for an unknown selector; the current
 * selection is kept on error.
 */
pg_err pg_sha256_select(enum pg_sha256_impl impl);

/* Returns the block function in use: PORTABLE or SHANI, never AUTO. */
enum pg_sha256_impl pg_sha256_active(void);

#endif
