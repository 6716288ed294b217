/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SHA-256 throughput of the portable path, the SHA-NI path and OpenSSL's
 * EVP interface over the same 8 MiB buffer. Each figure is the best of
 * five passes, so a passing load spike on a shared machine does not count.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_time.h"
#include "crypto/sha256.h"

#define BENCH_BUF_SIZE (8u << 20)
#define BENCH_PASSES 5

static uint8_t bench_digest[32];

static void hash_prodgate(const uint8_t *buf, size_t len)
{
        pg_sha256(buf, len, bench_digest);
}

static void hash_openssl(const uint8_t *buf, size_t len)
{
        unsigned int n = sizeof(bench_digest);

        if (!EVP_Digest(buf, len, bench_digest, &n, EVP_sha256(), NULL)) {
                fprintf(stderr, "bench: OpenSSL SHA-256 failed\n");
                exit(1);
        }
}

/* Returns the best throughput in MB/s (10^6 bytes per second). */
static double best_rate(void (*hash)(const uint8_t *, size_t), const uint8_t *buf, size_t len)
{
        double best = 0;

        for (int pass = 0; pass < BENCH_PASSES; pass++) {
                double start = bench_now();
                double elapsed;

                hash(buf, len);
                elapsed = bench_now() - start;
                if (elapsed > 0 && len / elapsed / 1e6 > best)
                        best = len / elapsed / 1e6;
        }
        return best;
}

void bench_sha256(void)
{
        uint8_t *buf = malloc(BENCH_BUF_SIZE);
        double portable, shani = 0, openssl;

        if (!buf) {
                fprintf(stderr, "bench: out of memory\n");
                exit(1);
        }
        for (size_t i = 0; i < BENCH_BUF_SIZE; i++)
                buf[i] = (uint8_t)(i * 131 + 7);

        pg_sha256_select(PG_SHA256_IMPL_PORTABLE);
        portable = best_rate(hash_prodgate, buf, BENCH_BUF_SIZE);
        if (pg_sha256_select(PG_SHA256_IMPL_SHANI) == PG_OK)
                shani = best_rate(hash_prodgate, buf, BENCH_BUF_SIZE);
        pg_sha256_select(PG_SHA256_IMPL_AUTO);
        openssl = best_rate(hash_openssl, buf, BENCH_BUF_SIZE);

        printf("sha256 portable: %.0f MB/s, ratio to openssl %.2f\n", portable, portable / openssl);
        if (shani > 0)
                printf("sha256 sha-ni:   %.0f MB/s, ratio to openssl %.2f (target >= 0.90)\n", shani,
                       shani / openssl);
        else
                printf("sha256 sha-ni:   not supported by this CPU\n");
        printf("sha256 openssl:  %.0f MB/s (EVP, %s)\n", openssl, OPENSSL_VERSION_TEXT);
        free(buf);
}
