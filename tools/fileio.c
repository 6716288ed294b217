/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/fileio.h"

int pg_file_read(const char *path, size_t max, uint8_t **data, size_t *len)
{
        FILE *f = fopen(path, "rb");
        uint8_t *buf;
        size_t got;
        int saved;

        if (!f)
                return -1;
        /* Reading one byte beyond max distinguishes an over-long file from one of
         * exactly max bytes. */
        buf = malloc(max + 2);
        if (!buf) {
                fclose(f);
                errno = ENOMEM;
                return -1;
        }
        errno = 0;
        got = fread(buf, 1, max + 1, f);
        if (ferror(f) || got > max) {
                /* fread leaves read(2)'s errno, e.g. EISDIR for a folder. */
                saved = EFBIG;
                if (ferror(f))
                        saved = errno ? errno : EIO;
                free(buf);
                fclose(f);
                errno = saved;
                return -1;
        }
        fclose(f);
        buf[got] = 0;
        *data = buf;
        *len = got;
        return 0;
}

/*
 * Reads fd from its current offset to end of file into a growing buffer of at
 * most max bytes; more fails with EFBIG. securityfs reports a size of 0 and may
 * return short reads, so the size is never taken from stat.
 */
int pg_fd_read_all(int fd, size_t max, uint8_t **out, size_t *len)
{
        uint8_t *buf = NULL;
        size_t cap = 0, used = 0;

        for (;;) {
                ssize_t got;

                if (used == cap) {
                        uint8_t probe;
                        uint8_t *nbuf;

                        if (cap == max) {
                                got = read(fd, &probe, 1);
                                if (got < 0 && errno == EINTR)
                                        continue;
                                if (got != 0) {
                                        free(buf);
                                        errno = got < 0 ? errno : EFBIG;
                                        return -1;
                                }
                                break;
                        }
                        cap = cap ? cap * 2 : 65536;
                        if (cap > max)
                                cap = max;
                        nbuf = realloc(buf, cap);
                        if (nbuf == NULL) {
                                free(buf);
                                errno = ENOMEM;
                                return -1;
                        }
                        buf = nbuf;
                }
                got = read(fd, buf + used, cap - used);
                if (got < 0 && errno == EINTR)
                        continue;
                if (got < 0) {
                        int e = errno;

                        free(buf);
                        errno = e;
                        return -1;
                }
                if (got == 0)
                        break;
                used += (size_t)got;
        }
        *out = buf;
        *len = used;
        return 0;
}

static int pg_write_all(int fd, const uint8_t *data, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, data, len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -1;
                data += n;
                len -= (size_t)n;
        }
        return 0;
}

/* Writes in place into an existing file that is not a regular file (a FIFO,
 * a terminal, /dev/stdout), because a rename would replace the node itself. */
static int pg_write_special(const char *path, const uint8_t *data, size_t len)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC), saved;

        if (fd < 0)
                return -1;
        if (pg_write_all(fd, data, len) != 0) {
                saved = errno;
                close(fd);
                errno = saved;
                return -1;
        }
        return close(fd);
}

/* Writes through a temporary file next to path and a rename. */
static int pg_write_rename(const char *path, const uint8_t *data, size_t len)
{
        size_t tmp_len = strlen(path) + sizeof(".tmp.XXXXXX");
        char *tmp;
        int fd, saved;

        tmp = malloc(tmp_len);
        if (!tmp) {
                errno = ENOMEM;
                return -1;
        }
        snprintf(tmp, tmp_len, "%s.tmp.XXXXXX", path);
        fd = mkstemp(tmp);
        if (fd < 0) {
                saved = errno;
                free(tmp);
                errno = saved;
                return -1;
        }
        if (pg_write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
                saved = errno;
                close(fd);
                goto fail;
        }
        if (close(fd) != 0 || rename(tmp, path) != 0) {
                saved = errno;
                goto fail;
        }
        free(tmp);
        return 0;

fail:
        unlink(tmp);
        free(tmp);
        errno = saved;
        return -1;
}

int pg_file_write(const char *path, const uint8_t *data, size_t len)
{
        struct stat st, link;
        char *target;
        int rc, saved;

        if (stat(path, &st) != 0)
                return pg_write_rename(path, data, len);
        if (S_ISDIR(st.st_mode)) {
                errno = EISDIR;
                return -1;
        }
        if (!S_ISREG(st.st_mode))
                return pg_write_special(path, data, len);
        if (lstat(path, &link) != 0 || !S_ISLNK(link.st_mode))
                return pg_write_rename(path, data, len);
        /* A symlink to a regular file (such as /dev/stdout redirected to a
         * file): the rename goes to the file it names, not over the link. */
        target = realpath(path, NULL);
        if (!target)
                return -1;
        rc = pg_write_rename(target, data, len);
        saved = errno;
        free(target);
        errno = saved;
        return rc;
}

bool pg_file_same(const char *a, const char *b)
{
        struct stat sa, sb;

        if (strcmp(a, b) == 0)
                return true;
        if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
                return false;
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void pg_hex(char *buf, const uint8_t *data, size_t len)
{
        static const char digits[] = "0123456789abcdef";

        for (size_t i = 0; i < len; i++) {
                buf[2 * i] = digits[data[i] >> 4];
                buf[2 * i + 1] = digits[data[i] & 15];
        }
        buf[2 * len] = 0;
}
