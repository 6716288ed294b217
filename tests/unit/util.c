/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdarg.h>
#include <sys/stat.h>

#include "test.h"

int test_passed, test_failed, test_check_failed;
const char *test_current = "";

void test_report(const char *file, int line, const char *fmt, ...)
{
        va_list ap;

        test_check_failed = 1;
        printf("  %s:%d: %s: ", file, line, test_current);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
}

const char *test_err_name(pg_err err)
{
        const char *name = pg_err_name(err);

        return name ? name : "(undefined code)";
}

size_t test_first_unlike(const void *p, uint8_t byte, size_t len)
{
        const uint8_t *b = p;
        size_t i = 0;

        while (i < len && b[i] == byte)
                i++;
        return i;
}

static int hex_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

long test_unhex(const char *hex, uint8_t *out, size_t out_max)
{
        size_t n = strlen(hex);

        if (n % 2 != 0 || n / 2 > out_max)
                return -1;
        for (size_t i = 0; i < n / 2; i++) {
                int hi = hex_value(hex[2 * i]);
                int lo = hex_value(hex[2 * i + 1]);

                if (hi < 0 || lo < 0)
                        return -1;
                out[i] = (uint8_t)(hi << 4 | lo);
        }
        return (long)(n / 2);
}

uint8_t *test_read_file(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        uint8_t *buf = NULL;
        size_t cap = 0, used = 0;

        if (!f) {
                fprintf(stderr, "cannot open %s\n", path);
                exit(2);
        }
        for (;;) {
                if (used == cap) {
                        cap = cap ? cap * 2 : 65536;
                        buf = realloc(buf, cap + 1);
                        if (!buf) {
                                fprintf(stderr, "out of memory reading %s\n", path);
                                exit(2);
                        }
                }
                size_t got = fread(buf + used, 1, cap - used, f);
                used += got;
                if (got == 0)
                        break;
        }
        if (ferror(f)) {
                fprintf(stderr, "read error on %s\n", path);
                exit(2);
        }
        fclose(f);
        buf[used] = 0;  /* lets text parsers treat the buffer as a string */
        *len = used;
        return buf;
}

const char *test_corpus_path(const char *rel)
{
        static char path[4096];
        const char *base = getenv("PG_CORPUS");
        struct stat st;

        if (!base)
                base = "../shared/corpus";
        snprintf(path, sizeof(path), "%s/%s", base, rel);
        if (stat(path, &st) != 0) {
                fprintf(stderr, "corpus file %s not found; set PG_CORPUS to the corpus folder\n",
                        path);
                exit(2);
        }
        return path;
}
