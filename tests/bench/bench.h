/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PG_BENCH_H
#define PG_BENCH_H

void bench_sha256(void);
void bench_rsa(void);
void bench_verify(void);
void bench_eventlog(void);

#endif
