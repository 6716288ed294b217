/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench: prodgate's core against OpenSSL on the same inputs, in one
 * run, printing each figure and the ratio. Wall-clock figures vary with the
 * machine and its load; compare ratios, not absolute rates.
 */
#include <stdio.h>
#include <sys/utsname.h>

#include "bench.h"

int main(void)
{
        struct utsname u;

        if (uname(&u) == 0)
                printf("machine: %s %s\n", u.machine, u.release);
        bench_sha256();
        bench_rsa();
        bench_verify();
        bench_eventlog();
        return 0;
}
