/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SHA-256 against the NIST CAVP byte-oriented vectors (short, long, Monte),
 * each run through the portable and the SHA-NI block functions, plus
 * streaming splits and a comparison with OpenSSL on random buffers.
 */
#include <openssl/evp.h>

#include "test.h"
#include "crypto/sha256.h"

static const enum pg_sha256_impl impls[] = { PG_SHA256_IMPL_PORTABLE, PG_SHA256_IMPL_SHANI };

static const char *impl_name(enum pg_sha256_impl impl)
{
        return impl == PG_SHA256_IMPL_SHANI ? "sha-ni" : "portable";
}

/* Selects an implementation; returns 0 when the CPU lacks it (test skipped). */
static int select_impl(enum pg_sha256_impl impl)
{
        if (impl == PG_SHA256_IMPL_SHANI && !pg_sha256_shani_supported()) {
                printf("  note: CPU without SHA extensions, sha-ni path not tested\n");
                return 0;
        }
        CHECK_ERR(pg_sha256_select(impl), PG_OK);
        CHECK_INT(pg_sha256_active(), impl);
        return 1;
}

/* Returns the text after "KEY = " on the line starting at *pos, advancing. */
static char *next_value(char **pos, const char *key)
{
        size_t klen = strlen(key);

        for (char *line = *pos; line && *line; ) {
                char *end = strchr(line, '\n');

                if (end)
                        *end = 0;
                char *next = end ? end + 1 : NULL;
                if (!strncmp(line, key, klen) && !strncmp(line + klen, " = ", 3)) {
                        char *v = line + klen + 3;
                        size_t n = strlen(v);

                        while (n && (v[n - 1] == '\r' || v[n - 1] == ' '))
                                v[--n] = 0;
                        *pos = next;
                        return v;
                }
                line = next;
        }
        return NULL;
}

/* Runs every Len/Msg/MD record of a NIST .rsp file; returns the count. */
static int run_msg_file(const char *rel)
{
        size_t len;
        char *text = (char *)test_read_file(test_corpus_path(rel), &len);
        char *pos = text;
        int count = 0;
        static uint8_t msg[1 << 16];
        char *len_text;

        while ((len_text = next_value(&pos, "Len"))) {
                long bits = strtol(len_text, NULL, 10);
                char *msg_hex = next_value(&pos, "Msg");
                char *md_hex = next_value(&pos, "MD");
                uint8_t md[32], out[32];

                if (!msg_hex || !md_hex || bits % 8) {
                        test_report(__FILE__, __LINE__, "%s: malformed record %d", rel, count);
                        break;
                }
                long n = test_unhex(msg_hex, msg, sizeof(msg));
                CHECK_INT(test_unhex(md_hex, md, sizeof(md)), 32);
                /* "Len = 0" comes with "Msg = 00": the message is empty. */
                if (bits == 0)
                        n = 0;
                CHECK_INT(n, bits / 8);
                pg_sha256(msg, (size_t)(bits / 8), out);
                if (memcmp(out, md, 32) != 0)
                        test_report(__FILE__, __LINE__, "%s: record %d (Len %ld) wrong digest",
                                    rel, count, bits);
                count++;
        }
        free(text);
        return count;
}

TEST(nist_short_messages)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(impls); i++) {
                if (!select_impl(impls[i]))
                        continue;
                int n = run_msg_file("nist-sha/SHA256ShortMsg.rsp");

                CHECK_INT(n, 65);
                printf("  %s: %d short-message vectors\n", impl_name(impls[i]), n);
        }
        pg_sha256_select(PG_SHA256_IMPL_AUTO);
}

TEST(nist_long_messages)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(impls); i++) {
                if (!select_impl(impls[i]))
                        continue;
                int n = run_msg_file("nist-sha/SHA256LongMsg.rsp");

                CHECK_INT(n, 64);
                printf("  %s: %d long-message vectors\n", impl_name(impls[i]), n);
        }
        pg_sha256_select(PG_SHA256_IMPL_AUTO);
}

/* The SHA-2 Monte Carlo test: 100 checkpoints of 1000 chained hashes. */
TEST(nist_monte_carlo)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(impls); i++) {
                if (!select_impl(impls[i]))
                        continue;

                size_t len;
                char *text = (char *)test_read_file(test_corpus_path("nist-sha/SHA256Monte.rsp"),
                                                    &len);
                char *pos = text;
                char *seed_hex = next_value(&pos, "Seed");
                uint8_t seed[32], md[3][32], expected[32];
                int checkpoints = 0;

                CHECK(seed_hex != NULL);
                if (!seed_hex) {
                        free(text);
                        continue;
                }
                CHECK_INT(test_unhex(seed_hex, seed, 32), 32);
                for (int j = 0; j < 100; j++) {
                        char *md_hex = next_value(&pos, "MD");

                        if (!md_hex)
                                break;
                        memcpy(md[0], seed, 32);
                        memcpy(md[1], seed, 32);
                        memcpy(md[2], seed, 32);
                        for (int k = 3; k < 1003; k++) {
                                uint8_t m[96], out[32];

                                memcpy(m, md[0], 32);
                                memcpy(m + 32, md[1], 32);
                                memcpy(m + 64, md[2], 32);
                                pg_sha256(m, sizeof(m), out);
                                memcpy(md[0], md[1], 32);
                                memcpy(md[1], md[2], 32);
                                memcpy(md[2], out, 32);
                        }
                        memcpy(seed, md[2], 32);
                        CHECK_INT(test_unhex(md_hex, expected, 32), 32);
                        if (memcmp(seed, expected, 32) != 0) {
                                test_report(__FILE__, __LINE__, "Monte checkpoint %d differs", j);
                                break;
                        }
                        checkpoints++;
                }
                CHECK_INT(checkpoints, 100);
                printf("  %s: %d Monte checkpoints\n", impl_name(impls[i]), checkpoints);
                free(text);
        }
        pg_sha256_select(PG_SHA256_IMPL_AUTO);
}

static void openssl_sha256(const uint8_t *data, size_t len, uint8_t out[32])
{
        unsigned int n = 32;

        if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) || n != 32) {
                fprintf(stderr, "OpenSSL SHA-256 failed\n");
                exit(2);
        }
}

/* Random lengths around block boundaries, fed in random chunk sizes. */
TEST(streaming_matches_openssl)
{
        static uint8_t buf[4096 + 129];
        unsigned seed = 12345;

        for (size_t i = 0; i < sizeof(buf); i++)
                buf[i] = (uint8_t)rand_r(&seed);
        for (size_t i = 0; i < PG_ARRAY_SIZE(impls); i++) {
                if (!select_impl(impls[i]))
                        continue;
                for (int round = 0; round < 2000; round++) {
                        size_t len = (size_t)rand_r(&seed) % sizeof(buf);
                        uint8_t want[32], got[32];
                        struct pg_sha256_ctx ctx;

                        if (round < 200)
                                len = (size_t)round;    /* every length up to 3 blocks */
                        openssl_sha256(buf, len, want);
                        pg_sha256_init(&ctx);
                        for (size_t off = 0; off < len; ) {
                                size_t chunk = 1 + (size_t)rand_r(&seed) % 150;

                                if (chunk > len - off)
                                        chunk = len - off;
                                pg_sha256_update(&ctx, buf + off, chunk);
                                off += chunk;
                        }
                        pg_sha256_final(&ctx, got);
                        if (memcmp(want, got, 32) != 0) {
                                test_report(__FILE__, __LINE__, "%s: length %zu differs",
                                            impl_name(impls[i]), len);
                                break;
                        }
                }
        }
        pg_sha256_select(PG_SHA256_IMPL_AUTO);
}

TEST(million_a)
{
        /* FIPS 180-4 example: one million 'a' characters. */
        static const char *expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        static uint8_t chunk[1000];
        uint8_t want[32], got[32];

        memset(chunk, 'a', sizeof(chunk));
        CHECK_INT(test_unhex(expected, want, 32), 32);
        for (size_t i = 0; i < PG_ARRAY_SIZE(impls); i++) {
                struct pg_sha256_ctx ctx;

                if (!select_impl(impls[i]))
                        continue;
                pg_sha256_init(&ctx);
                for (int k = 0; k < 1000; k++)
                        pg_sha256_update(&ctx, chunk, sizeof(chunk));
                pg_sha256_final(&ctx, got);
                CHECK_MEM(got, want, 32);
        }
        pg_sha256_select(PG_SHA256_IMPL_AUTO);
}

TEST(select_rejects_invalid)
{
        enum pg_sha256_impl before = pg_sha256_active();

        CHECK_ERR(pg_sha256_select((enum pg_sha256_impl)7), PG_ERR_SHA256_IMPL_INVALID);
        CHECK_INT(pg_sha256_active(), before);
        if (!pg_sha256_shani_supported())
                CHECK_ERR(pg_sha256_select(PG_SHA256_IMPL_SHANI), PG_ERR_SHA256_IMPL_UNSUPPORTED);
        CHECK_ERR(pg_sha256_select(PG_SHA256_IMPL_AUTO), PG_OK);
        CHECK_INT(pg_sha256_active(),
                  pg_sha256_shani_supported() ? PG_SHA256_IMPL_SHANI : PG_SHA256_IMPL_PORTABLE);
}

TEST(final_clears_context)
{
        struct pg_sha256_ctx ctx, zero;
        uint8_t out[32];

        memset(&zero, 0, sizeof(zero));
        pg_sha256_init(&ctx);
        pg_sha256_update(&ctx, "abc", 3);
        pg_sha256_final(&ctx, out);
        CHECK_MEM(&ctx, &zero, sizeof(ctx));
}

int main(void)
{
        RUN(nist_short_messages);
        RUN(nist_long_messages);
        RUN(nist_monte_carlo);
        RUN(streaming_matches_openssl);
        RUN(million_a);
        RUN(select_rejects_invalid);
        RUN(final_clears_context);
        return TEST_SUMMARY();
}
