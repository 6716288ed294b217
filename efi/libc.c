/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The memory and string functions that include/pg/platform.h declares and
 * gnu-efi's libefi lacks (libefi has memcpy and memset). They are plain byte
 * loops, not tuned for large buffers.
 */
#include "pg/platform.h"

/*
 * GCC may turn a byte loop into a call to memmove, memset or memcmp, and
 * inside memmove that call would recurse forever.
 */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

void *memmove(void *dst, const void *src, size_t n)
{
        unsigned char *d = dst;
        const unsigned char *s = src;

        if (d == s || n == 0)
                return dst;
        if ((uintptr_t)d - (uintptr_t)s >= n) {
                /* dst starts before src or past its end: forward copy is safe. */
                for (size_t i = 0; i < n; i++)
                        d[i] = s[i];
        } else {
                for (size_t i = n; i > 0; i--)
                        d[i - 1] = s[i - 1];
        }
        return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
        const unsigned char *pa = a;
        const unsigned char *pb = b;

        for (size_t i = 0; i < n; i++)
                if (pa[i] != pb[i])
                        return pa[i] < pb[i] ? -1 : 1;
        return 0;
}

void *memchr(const void *s, int c, size_t n)
{
        const unsigned char *p = s;

        for (size_t i = 0; i < n; i++)
                if (p[i] == (unsigned char)c)
                        return (void *)(p + i);
        return NULL;
}

size_t strlen(const char *s)
{
        size_t n = 0;

        while (s[n])
                n++;
        return n;
}

size_t strnlen(const char *s, size_t max)
{
        size_t n = 0;

        while (n < max && s[n])
                n++;
        return n;
}

int strcmp(const char *a, const char *b)
{
        const unsigned char *pa = (const unsigned char *)a;
        const unsigned char *pb = (const unsigned char *)b;

        while (*pa && *pa == *pb) {
                pa++;
                pb++;
        }
        return (*pa > *pb) - (*pa < *pb);
}

int strncmp(const char *a, const char *b, size_t n)
{
        const unsigned char *pa = (const unsigned char *)a;
        const unsigned char *pb = (const unsigned char *)b;

        for (size_t i = 0; i < n; i++) {
                if (pa[i] != pb[i])
                        return pa[i] < pb[i] ? -1 : 1;
                if (!pa[i])
                        return 0;
        }
        return 0;
}

char *strrchr(const char *s, int c)
{
        const char *last = NULL;

        for (;; s++) {
                if (*s == (char)c)
                        last = s;
                if (!*s)
                        return (char *)last;
        }
}
