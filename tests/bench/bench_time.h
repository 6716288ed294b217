/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PG_BENCH_TIME_H
#define PG_BENCH_TIME_H

#include <time.h>

/* Monotonic time in seconds. */
static inline double bench_now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
