/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A minimal unit-test harness. Each test binary defines test functions with
 * TEST(), lists them in main() with RUN(), and ends with TEST_SUMMARY(),
 * which prints "N passed, N failed" and returns the exit status. A test
 * fails when any of its checks fails; every failed check prints its file,
 * line and the values involved.
 */
#ifndef PG_TEST_H
#define PG_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg/err.h"

extern int test_passed, test_failed, test_check_failed;
extern const char *test_current;

#define TEST(name) static void name(void)

#define RUN(name)                                                             \
        do {                                                                  \
                test_current = #name;                                         \
                test_check_failed = 0;                                        \
                name();                                                       \
                if (test_check_failed) {                                      \
                        test_failed++;                                        \
                        printf("FAIL %s\n", #name);                           \
                } else {                                                      \
                        test_passed++;                                        \
                        if (getenv("PG_TEST_VERBOSE"))                        \
                                printf("ok   %s\n", #name);                   \
                }                                                             \
        } while (0)

#define TEST_SUMMARY()                                                        \
        (printf("%d passed, %d failed\n", test_passed, test_failed),          \
         test_failed ? 1 : 0)

void test_report(const char *file, int line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                           \
        do {                                                                  \
                if (!(cond))                                                  \
                        test_report(__FILE__, __LINE__, "check failed: %s",   \
                                    #cond);                                   \
        } while (0)

#define CHECK_INT(actual, expected)                                           \
        do {                                                                  \
                long long a_ = (long long)(actual);                           \
                long long e_ = (long long)(expected);                         \
                if (a_ != e_)                                                 \
                        test_report(__FILE__, __LINE__,                       \
                                    "%s is %lld, expected %lld", #actual,     \
                                    a_, e_);                                  \
        } while (0)

/* Asserts an exact error code and prints both names on a mismatch. */
#define CHECK_ERR(actual, expected)                                           \
        do {                                                                  \
                pg_err a_ = (actual);                                         \
                pg_err e_ = (expected);                                       \
                if (a_ != e_)                                                 \
                        test_report(__FILE__, __LINE__,                       \
                                    "%s returned %s (0x%04x), expected %s "   \
                                    "(0x%04x)", #actual, test_err_name(a_),   \
                                    a_, test_err_name(e_), e_);               \
        } while (0)

#define CHECK_MEM(actual, expected, len)                                      \
        do {                                                                  \
                if (memcmp((actual), (expected), (len)) != 0)                 \
                        test_report(__FILE__, __LINE__,                       \
                                    "%s differs from %s over %zu bytes",      \
                                    #actual, #expected, (size_t)(len));       \
        } while (0)

/* Asserts that each of the len bytes at p still equals byte, the poison an
 * out-parameter was filled with before a call that must not write to it. */
#define CHECK_FILLED(p, byte, len)                                            \
        do {                                                                  \
                size_t at_ = test_first_unlike((p), (byte), (len));           \
                if (at_ != (size_t)(len))                                     \
                        test_report(__FILE__, __LINE__,                       \
                                    "%s differs from 0x%02x at byte %zu",     \
                                    #p, (unsigned)(byte), at_);               \
        } while (0)

const char *test_err_name(pg_err err);

/* Returns the offset of the first of the len bytes at p that is not byte,
 * or len when all of them are. */
size_t test_first_unlike(const void *p, uint8_t byte, size_t len);

/* Decodes hex (upper or lower case, even length) into out. Returns the byte
 * count, or -1 when the text is not hex or does not fit. */
long test_unhex(const char *hex, uint8_t *out, size_t out_max);

/* Reads a whole file into a malloc'd buffer; exits the test binary with a
 * message when the file cannot be read. */
uint8_t *test_read_file(const char *path, size_t *len);

/*
 * Returns the path of a file in the shared test corpus: $PG_CORPUS/rel, or
 * ../shared/corpus/rel from the source tree. Exits when it does not exist.
 */
const char *test_corpus_path(const char *rel);

#endif
