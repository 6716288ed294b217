/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libfdt's environment header for prodgate. libfdt's own version includes
 * stdlib.h, string.h and limits.h; this one gives libfdt the same types and
 * byte-order helpers through the freestanding platform header, so one set
 * of libfdt headers serves the EFI build, the host core and the fuzzers.
 * The build copies it over libfdt's libfdt_env.h in build/libfdt/.
 */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include "pg/platform.h"

#ifndef INT_MAX
#define INT_MAX __INT_MAX__
#endif

#define FDT_FORCE
#define FDT_BITWISE

typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

static inline uint16_t fdt16_to_cpu(fdt16_t x)
{
        return pg_load_be16((const uint8_t *)&x);
}

static inline fdt16_t cpu_to_fdt16(uint16_t x)
{
        return fdt16_to_cpu(x);
}

static inline uint32_t fdt32_to_cpu(fdt32_t x)
{
        return pg_load_be32((const uint8_t *)&x);
}

static inline fdt32_t cpu_to_fdt32(uint32_t x)
{
        return fdt32_to_cpu(x);
}

static inline uint64_t fdt64_to_cpu(fdt64_t x)
{
        return pg_load_be64((const uint8_t *)&x);
}

static inline fdt64_t cpu_to_fdt64(uint64_t x)
{
        return fdt64_to_cpu(x);
}

#endif
