/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SHA-256 block function with the x86-64 SHA extensions. Each
 * SHA256RNDS2 does two rounds on the state split as ABEF and CDGH;
 * SHA256MSG1/MSG2 compute the message schedule four words at a time.
 */
#include "crypto/sha256_impl.h"

#if defined(__x86_64__)

/*
 * gcc's xmmintrin.h includes mm_malloc.h, which includes stdlib.h, and the
 * core is compiled without libc headers. Marking mm_malloc.h as already
 * included skips it; the core never allocates.
 */
#define _MM_MALLOC_H_INCLUDED
#include <immintrin.h>

#define PG_SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/*
 * One group of four rounds. For g >= 4 the schedule vector comes from the
 * four previous ones: W[g] = MSG2(MSG1(W[g-4], W[g-3]) + (W[g-2]:W[g-1]
 * shifted by one word), W[g-1]). w[] is a ring indexed by g mod 4.
 */
#define PG_SHANI_ROUNDS(g)                                                                  \
        do {                                                                                \
                __m128i msg_;                                                               \
                if ((g) < 4) {                                                              \
                        w[(g) & 3] = _mm_shuffle_epi8(                                      \
                                _mm_loadu_si128((const __m128i *)(data + 16 * (size_t)(g))), bswap); \
                } else {                                                                    \
                        __m128i t_ = _mm_sha256msg1_epu32(w[(g) & 3], w[((g) + 1) & 3]);    \
                        t_ = _mm_add_epi32(t_, _mm_alignr_epi8(w[((g) + 3) & 3],            \
                                                               w[((g) + 2) & 3], 4));       \
                        w[(g) & 3] = _mm_sha256msg2_epu32(t_, w[((g) + 3) & 3]);            \
                }                                                                           \
                msg_ = _mm_add_epi32(w[(g) & 3],                                            \
                                     _mm_loadu_si128((const __m128i *)&pg_sha256_k[4 * (size_t)(g)])); \
                cdgh = _mm_sha256rnds2_epu32(cdgh, abef, msg_);                             \
                msg_ = _mm_shuffle_epi32(msg_, 0x0e);                                       \
                abef = _mm_sha256rnds2_epu32(abef, cdgh, msg_);                             \
        } while (0)

PG_SHANI_TARGET
void pg_sha256_blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks)
{
        const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
        __m128i abef, cdgh, tmp, w[4];

        /* state[0..3] = ABCD, state[4..7] = EFGH; the instructions want ABEF and CDGH. */
        tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xb1);
        cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1b);
        abef = _mm_alignr_epi8(tmp, cdgh, 8);
        cdgh = _mm_blend_epi16(cdgh, tmp, 0xf0);

        while (blocks--) {
                __m128i abef_saved = abef, cdgh_saved = cdgh;

                PG_SHANI_ROUNDS(0);
                PG_SHANI_ROUNDS(1);
                PG_SHANI_ROUNDS(2);
                PG_SHANI_ROUNDS(3);
                PG_SHANI_ROUNDS(4);
                PG_SHANI_ROUNDS(5);
                PG_SHANI_ROUNDS(6);
                PG_SHANI_ROUNDS(7);
                PG_SHANI_ROUNDS(8);
                PG_SHANI_ROUNDS(9);
                PG_SHANI_ROUNDS(10);
                PG_SHANI_ROUNDS(11);
                PG_SHANI_ROUNDS(12);
                PG_SHANI_ROUNDS(13);
                PG_SHANI_ROUNDS(14);
                PG_SHANI_ROUNDS(15);
                abef = _mm_add_epi32(abef, abef_saved);
                cdgh = _mm_add_epi32(cdgh, cdgh_saved);
                data += 64;
        }

        tmp = _mm_shuffle_epi32(abef, 0x1b);
        cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
        _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(tmp, cdgh, 0xf0));
        _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(cdgh, tmp, 8));
}

#else

/* Never selected off x86-64: pg_sha256_shani_supported() is false there. */
void pg_sha256_blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks)
{
        pg_sha256_blocks_portable(state, data, blocks);
}

#endif
