/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SHA-256 (FIPS 180-4): the streaming layer, the portable block function
 * and the run-time choice between it and the SHA-NI one.
 */
#include "crypto/sha256.h"
#include "crypto/sha256_impl.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

/* Static, so the unrolled rounds below fold each constant into an immediate. */
static const uint32_t pg_sha256_round_k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t *const pg_sha256_k = pg_sha256_round_k;

static const uint32_t pg_sha256_iv[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t ror32(uint32_t x, unsigned n)
{
        return x >> n | x << (32 - n);
}

/*
 * The portable block function, fully unrolled: the eight working variables
 * rotate by renaming instead of by moves, the round constants are
 * immediates and the message schedule is a 16-word ring. Without the SHA
 * extensions (older CPUs, and QEMU's TCG, which runs the EFI stage in the
 * boot tests) this is what hashes the next stage, and the rolled loop was
 * half as fast under TCG.
 */
#define PG_BSIG0(x) (ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22))
#define PG_BSIG1(x) (ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25))
#define PG_SSIG0(x) (ror32(x, 7) ^ ror32(x, 18) ^ ((x) >> 3))
#define PG_SSIG1(x) (ror32(x, 17) ^ ror32(x, 19) ^ ((x) >> 10))
#define PG_CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define PG_MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* Word i of the schedule: loaded for i < 16, computed in place after. */
#define PG_W_LOAD(i) (w[i] = pg_load_be32(data + 4 * (size_t)(i)))
#define PG_W_NEXT(i) \
        (w[(i) & 15] += PG_SSIG1(w[((i) - 2) & 15]) + w[((i) - 7) & 15] + PG_SSIG0(w[((i) - 15) & 15]))

#define PG_ROUND(a, b, c, d, e, f, g, h, i, wfn) do { \
        uint32_t t1_ = (h) + PG_BSIG1(e) + PG_CH(e, f, g) + pg_sha256_round_k[i] + wfn(i); \
        (d) += t1_; \
        (h) = t1_ + PG_BSIG0(a) + PG_MAJ(a, b, c); \
} while (0)

#define PG_ROUND8(i, wfn) do { \
        PG_ROUND(a, b, c, d, e, f, g, h, (i) + 0, wfn); \
        PG_ROUND(h, a, b, c, d, e, f, g, (i) + 1, wfn); \
        PG_ROUND(g, h, a, b, c, d, e, f, (i) + 2, wfn); \
        PG_ROUND(f, g, h, a, b, c, d, e, (i) + 3, wfn); \
        PG_ROUND(e, f, g, h, a, b, c, d, (i) + 4, wfn); \
        PG_ROUND(d, e, f, g, h, a, b, c, (i) + 5, wfn); \
        PG_ROUND(c, d, e, f, g, h, a, b, (i) + 6, wfn); \
        PG_ROUND(b, c, d, e, f, g, h, a, (i) + 7, wfn); \
} while (0)

void pg_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks)
{
        uint32_t w[16];

        while (blocks--) {
                uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
                uint32_t e = state[4], f = state[5], g = state[6], h = state[7];

                PG_ROUND8(0, PG_W_LOAD);
                PG_ROUND8(8, PG_W_LOAD);
                PG_ROUND8(16, PG_W_NEXT);
                PG_ROUND8(24, PG_W_NEXT);
                PG_ROUND8(32, PG_W_NEXT);
                PG_ROUND8(40, PG_W_NEXT);
                PG_ROUND8(48, PG_W_NEXT);
                PG_ROUND8(56, PG_W_NEXT);
                state[0] += a;
                state[1] += b;
                state[2] += c;
                state[3] += d;
                state[4] += e;
                state[5] += f;
                state[6] += g;
                state[7] += h;
                data += PG_SHA256_BLOCK_SIZE;
        }
}

bool pg_sha256_shani_supported(void)
{
#if defined(__x86_64__)
        unsigned int eax, ebx, ecx, edx;

        if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
                return false;
        /* SSSE3 (ECX bit 9) and SSE4.1 (ECX bit 19) carry the shuffles and blends. */
        if (!(ecx & (1u << 9)) || !(ecx & (1u << 19)))
                return false;
        if (__get_cpuid_max(0, NULL) < 7)
                return false;
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        return (ebx & (1u << 29)) != 0;         /* SHA extensions */
#else
        return false;
#endif
}

/* The block function in use; resolved on first use unless selected. */
static pg_sha256_block_fn pg_sha256_block_fn_active;

static pg_sha256_block_fn pg_sha256_resolve(void)
{
        if (!pg_sha256_block_fn_active)
                pg_sha256_block_fn_active = pg_sha256_shani_supported() ? pg_sha256_blocks_shani
                                                                        : pg_sha256_blocks_portable;
        return pg_sha256_block_fn_active;
}

pg_err pg_sha256_select(enum pg_sha256_impl impl)
{
        switch (impl) {
        case PG_SHA256_IMPL_AUTO:
                pg_sha256_block_fn_active = NULL;
                pg_sha256_resolve();
                return PG_OK;
        case PG_SHA256_IMPL_PORTABLE:
                pg_sha256_block_fn_active = pg_sha256_blocks_portable;
                return PG_OK;
        case PG_SHA256_IMPL_SHANI:
                if (!pg_sha256_shani_supported())
                        return PG_ERR_SHA256_IMPL_UNSUPPORTED;
                pg_sha256_block_fn_active = pg_sha256_blocks_shani;
                return PG_OK;
        }
        return PG_ERR_SHA256_IMPL_INVALID;
}

enum pg_sha256_impl pg_sha256_active(void)
{
        return pg_sha256_resolve() == pg_sha256_blocks_shani ? PG_SHA256_IMPL_SHANI
                                                             : PG_SHA256_IMPL_PORTABLE;
}

void pg_sha256_init(struct pg_sha256_ctx *ctx)
{
        memcpy(ctx->state, pg_sha256_iv, sizeof(ctx->state));
        ctx->total_len = 0;
        ctx->block_len = 0;
}

void pg_sha256_update(struct pg_sha256_ctx *ctx, const void *data, size_t len)
{
        const uint8_t *p = data;
        pg_sha256_block_fn blocks = pg_sha256_resolve();

        ctx->total_len += len;
        if (ctx->block_len > 0) {
                size_t take = PG_SHA256_BLOCK_SIZE - ctx->block_len;

                if (take > len)
                        take = len;
                memcpy(ctx->block + ctx->block_len, p, take);
                ctx->block_len += take;
                p += take;
                len -= take;
                if (ctx->block_len < PG_SHA256_BLOCK_SIZE)
                        return;
                blocks(ctx->state, ctx->block, 1);
                ctx->block_len = 0;
        }
        if (len >= PG_SHA256_BLOCK_SIZE) {
                size_t n = len / PG_SHA256_BLOCK_SIZE;

                blocks(ctx->state, p, n);
                p += n * PG_SHA256_BLOCK_SIZE;
                len -= n * PG_SHA256_BLOCK_SIZE;
        }
        if (len > 0) {
                memcpy(ctx->block, p, len);
                ctx->block_len = len;
        }
}

void pg_sha256_final(struct pg_sha256_ctx *ctx, uint8_t out[PG_SHA256_DIGEST_SIZE])
{
        pg_sha256_block_fn blocks = pg_sha256_resolve();
        uint64_t bit_len = ctx->total_len * 8;

        ctx->block[ctx->block_len++] = 0x80;
        if (ctx->block_len > PG_SHA256_BLOCK_SIZE - 8) {
                memset(ctx->block + ctx->block_len, 0, PG_SHA256_BLOCK_SIZE - ctx->block_len);
                blocks(ctx->state, ctx->block, 1);
                ctx->block_len = 0;
        }
        memset(ctx->block + ctx->block_len, 0, PG_SHA256_BLOCK_SIZE - 8 - ctx->block_len);
        pg_store_be64(ctx->block + PG_SHA256_BLOCK_SIZE - 8, bit_len);
        blocks(ctx->state, ctx->block, 1);
        for (int i = 0; i < 8; i++)
                pg_store_be32(out + 4 * (size_t)i, ctx->state[i]);
        pg_memzero(ctx, sizeof(*ctx));
}

void pg_sha256(const void *data, size_t len, uint8_t out[PG_SHA256_DIGEST_SIZE])
{
        struct pg_sha256_ctx ctx;

        pg_sha256_init(&ctx);
        pg_sha256_update(&ctx, data, len);
        pg_sha256_final(&ctx, out);
}
