/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate measure: the evaluation of prodgate status, then one
 * runtime-results record appended to the userspace measurement log and
 * extended into the gates PCR. docs/measurements.md describes the record,
 * the log and cause the record is appended before the PCR is extended.
 *
 * The log stays locked (flock LOCK_EX) from before the evaluation reads it
 * until the extend is done, so two runs never interleave their records or
 * their extends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/sha256.h"
#include "tools/cel.h"
#include "tools/commands.h"
#include "tools/fileio.h"
#include "tools/runtime_record.h"
#include "tools/status.h"

#define MEASURE_CONTENT_MAX 4096

int cmd_measure(int argc, char **argv)
{
        return pg_status_main(argc, argv, true);
}

/* Creates the log's folder (one level, as /run/log/prodgate), opens the log
 * and takes the exclusive lock. */
int pg_measure_begin(const char *log_path, int *fd)
{
        char dir[4096];
        char *slash;

        if (snprintf(dir, sizeof(dir), "%s", log_path) >= (int)sizeof(dir)) {
                fprintf(stderr, "prodgate measure: %s: path too long\n", log_path);
                return PG_EXIT_USAGE;
        }
        slash = strrchr(dir, '/');
        if (slash && slash != dir) {
                *slash = 0;
                if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
                        fprintf(stderr, "prodgate measure: cannot create %s: %s\n", dir,
                                strerror(errno));
                        return PG_EXIT_ERROR;
                }
        }
        *fd = open(log_path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (*fd < 0 || flock(*fd, LOCK_EX) != 0) {
                fprintf(stderr, "prodgate measure: cannot open and lock %s: %s\n", log_path,
                        strerror(errno));
                if (*fd >= 0)
                        close(*fd);
                *fd = -1;
                return PG_EXIT_ERROR;
        }
        return 0;
}

/* The runtime-results record of this evaluation (tools/runtime_record.h). */
static size_t measure_content(const struct pg_status *st, char *out, size_t size)
{
        uint8_t digest[32];

        pg_sha256(st->verified->payload, st->verified->payload_len, digest);
        return pg_runtime_record_write(digest, pg_xcheck_verdict_name(st->xcheck.verdict),
                                       st->xcheck.reason, &st->out, out, size);
}

/* Counts the log's records; the log must parse for the next recnum. */
static int measure_count(int fd, const char *log_path, uint32_t *records)
{
        struct pg_cel it;
        struct pg_cel_record r;
        uint8_t *buf;
        size_t len;
        bool end = false;
        pg_err err;

        if (pg_xcheck_read_fd(fd, false, &buf, &len) != 0) {
                fprintf(stderr, "prodgate measure: cannot read %s: %s\n", log_path,
                        strerror(errno));
                return -1;
        }
        pg_cel_init(&it, buf, len);
        while ((err = pg_cel_next(&it, &r, &end)) == PG_OK && !end)
                ;
        free(buf);
        if (err != PG_OK) {
                fprintf(stderr, "prodgate measure: %s: record at byte %zu: %s: %s; not "
                        "appending to a log that does not parse\n", log_path, it.err_offset,
                        pg_err_name(err), pg_err_text(err));
                return -1;
        }
        *records = it.records;
        return 0;
}

static int measure_append(int fd, const char *log_path, const char *line, size_t len,
                          off_t *old_size)
{
        struct stat sb;
        ssize_t w;

        if (fstat(fd, &sb) != 0)
                return -1;
        *old_size = sb.st_size;
        w = write(fd, line, len);
        if (w == (ssize_t)len && fsync(fd) == 0)
                return 0;
        fprintf(stderr, "prodgate measure: cannot append to %s: %s\n", log_path,
                w < 0 ? strerror(errno) : "short write");
        if (ftruncate(fd, *old_size) != 0)
                fprintf(stderr, "prodgate measure: %s: cannot remove the partial record: %s\n",
                        log_path, strerror(errno));
        return -1;
}

int pg_measure_commit(const struct pg_status *st, int fd, const char *log_path)
{
        static char content[MEASURE_CONTENT_MAX], line[MEASURE_CONTENT_MAX + 256];
        uint32_t pcr = st->manifest->policy.gates_pcr, recnum;
        uint8_t d[32];
        char hex[65], cause[200];
        size_t clen;
        off_t old_size;
        int n;

        if (st->tcti == NULL) {
                fprintf(stderr, "prodgate measure: no TPM: give --tcti\n");
                return -1;
        }
        if (measure_count(fd, log_path, &recnum) != 0)
                return -1;
        /* A record appended by a run that stopped before its extend. */
        if (st->xcheck.cel_last_pending &&
            pg_esys_pcr_extend_sha256(st->tcti, pcr, st->xcheck.cel_last_digest, cause,
                                      sizeof(cause)) != PG_OK) {
                fprintf(stderr, "prodgate measure: %s\n", cause);
                return -1;
        }
        clen = measure_content(st, content, sizeof(content));
        if (clen == 0)
                return -1;
        pg_cel_content_digest((const uint8_t *)content, clen, d);
        pg_hex(hex, d, sizeof(d));
        n = snprintf(line, sizeof(line), "\x1e{\"recnum\":%u,\"pcr\":%u,\"digests\":[{\"hashAlg\":"
                     "\"sha256\",\"digest\":\"%s\"}],\"content_type\":\"" PG_CEL_PRODGATE_TYPE
                     "\",\"content\":%s}\n", recnum, pcr, hex, content);
        if (n < 0 || (size_t)n >= sizeof(line))
                return -1;
        if (measure_append(fd, log_path, line, (size_t)n, &old_size) != 0)
                return -1;
        if (pg_esys_pcr_extend_sha256(st->tcti, pcr, d, cause, sizeof(cause)) != PG_OK) {
                fprintf(stderr, "prodgate measure: %s; record %u removed from %s\n", cause, recnum,
                        log_path);
                if (ftruncate(fd, old_size) != 0 || fsync(fd) != 0)
                        fprintf(stderr, "prodgate measure: %s: cannot remove record %u: %s\n",
                                log_path, recnum, strerror(errno));
                return -1;
        }
        fprintf(stderr, "prodgate measure: record %u appended to %s, PCR %u extended with %s\n",
                recnum, log_path, pcr, hex);
        return 0;
}
