/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The time stamp counter, for the stage's own timing figures: the
 * evaluation time in the handoff blob and the time from entry to
 * StartImage on the console.
 */
#ifndef PG_EFI_TSC_H
#define PG_EFI_TSC_H

#include <efi.h>

static inline UINT64 pg_rdtsc(void)
{
        UINT32 lo, hi;

        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        return (UINT64)hi << 32 | lo;
}

#endif
