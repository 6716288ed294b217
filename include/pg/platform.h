/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The only header the freestanding core (crypto/, gates/, measured/) may
 * include besides its own. It pulls in the compiler's freestanding headers
 * and declares the few memory and string functions the core calls. The host
 * build resolves them from libc; the EFI build from gnu-efi's libefi
 * (memcpy, memset) and efi/libc.c (the rest).
 *
 * The core never allocates and never logs: callers pass buffers, and every
 * size is bounded by a compile-time maximum.
 */
#ifndef PG_PLATFORM_H
#define PG_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strrchr(const char *s, int c);

#define PG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define PG_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

/* Big-endian and little-endian loads and stores, for wire formats. */
static inline uint16_t pg_load_be16(const uint8_t *p)
{
        return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t pg_load_be32(const uint8_t *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t pg_load_be64(const uint8_t *p)
{
        return (uint64_t)pg_load_be32(p) << 32 | pg_load_be32(p + 4);
}

static inline void pg_store_be32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)(v >> 24);
        p[1] = (uint8_t)(v >> 16);
        p[2] = (uint8_t)(v >> 8);
        p[3] = (uint8_t)v;
}

static inline void pg_store_be64(uint8_t *p, uint64_t v)
{
        pg_store_be32(p, (uint32_t)(v >> 32));
        pg_store_be32(p + 4, (uint32_t)v);
}

static inline uint16_t pg_load_le16(const uint8_t *p)
{
        return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static inline uint32_t pg_load_le32(const uint8_t *p)
{
        return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pg_load_le64(const uint8_t *p)
{
        return pg_load_le32(p) | (uint64_t)pg_load_le32(p + 4) << 32;
}

static inline void pg_store_le16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
}

static inline void pg_store_le32(uint8_t *p, uint32_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
        p[2] = (uint8_t)(v >> 16);
        p[3] = (uint8_t)(v >> 24);
}

static inline void pg_store_le64(uint8_t *p, uint64_t v)
{
        pg_store_le32(p, (uint32_t)v);
        pg_store_le32(p + 4, (uint32_t)(v >> 32));
}

/*
 * Compares two buffers in time that depends only on n. Returns 0 when they
 * are equal. Used for every digest, signature encoding and MAC comparison.
 */
static inline int pg_memcmp_ct(const void *a, const void *b, size_t n)
{
        const volatile uint8_t *pa = a;
        const volatile uint8_t *pb = b;
        uint8_t diff = 0;

        for (size_t i = 0; i < n; i++)
                diff |= (uint8_t)(pa[i] ^ pb[i]);
        return diff != 0;
}

/* Clears a buffer in a way the compiler may not drop as a dead store. */
static inline void pg_memzero(void *p, size_t n)
{
        volatile uint8_t *v = p;

        for (size_t i = 0; i < n; i++)
                v[i] = 0;
}

#endif
