/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Event-log parse and replay throughput of the core, in process: no process
 * start, no output, no digest checks. The logs are the set that
 * tests/bench/bench-tools.sh uses: every binary file under the corpus's
 * eventlogs folder that both the core and tpm2_eventlog accept (the bench
 * runs tpm2_eventlog once per file to decide). Every bank that OpenSSL can
 * hash is replayed, as in `prodgate eventlog`. The figure is the best of
 * three passes of about half a second over the whole set.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "bench_time.h"
#include "measured/replay.h"
#include "tools/digest.h"

#define BENCH_EVLOG_PASSES 3
#define BENCH_EVLOG_PASS_SECONDS 0.5
#define BENCH_EVLOG_MAX_FILES 256
#define BENCH_EVLOG_MAX_SIZE (16u << 20)

extern char **environ;

struct bench_evlog_file {
        char *path;
        uint8_t *buf;
        size_t len;
};

static struct bench_evlog_file bench_files[BENCH_EVLOG_MAX_FILES];
static size_t bench_file_count;
static struct pg_replay_hasher bench_hashers[PG_TOOL_HASHER_MAX];
static size_t bench_hasher_count;
static struct pg_replay bench_replay;

static bool has_suffix(const char *s, const char *suffix)
{
        size_t n = strlen(s), m = strlen(suffix);

        return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The corpus keeps expected values and notes next to the logs. */
static bool is_companion_file(const char *path)
{
        static const char *const suffixes[] = { ".txt", ".md", ".json", ".yaml", ".b64",
                                                ".warn", "/README" };

        for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
                if (has_suffix(path, suffixes[i]))
                        return true;
        return false;
}

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
        FILE *f = fopen(path, "rb");
        uint8_t *b;
        long size;

        if (!f)
                return -1;
        if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
            (unsigned long)size > BENCH_EVLOG_MAX_SIZE || fseek(f, 0, SEEK_SET) != 0) {
                fclose(f);
                return -1;
        }
        b = malloc(size ? (size_t)size : 1);
        if (!b || fread(b, 1, (size_t)size, f) != (size_t)size) {
                free(b);
                fclose(f);
                return -1;
        }
        fclose(f);
        *buf = b;
        *len = (size_t)size;
        return 0;
}

/* Parses and replays one log; returns true when both succeed. */
static bool parse_replay(const uint8_t *buf, size_t len)
{
        struct pg_evlog log;

        return pg_evlog_init(&log, buf, len) == PG_OK &&
               pg_replay_init(&bench_replay, &log, bench_hashers, bench_hasher_count) == PG_OK &&
               pg_replay_log(&bench_replay, &log) == PG_OK;
}

/* Runs tpm2_eventlog on the file with its output discarded. */
static bool tpm2_eventlog_accepts(const char *path)
{
        posix_spawn_file_actions_t fa;
        char *argv[] = { "tpm2_eventlog", (char *)path, NULL };
        pid_t pid;
        int status, rc;

        if (posix_spawn_file_actions_init(&fa) != 0)
                return false;
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        rc = posix_spawnp(&pid, "tpm2_eventlog", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0)
                return false;
        if (waitpid(pid, &status, 0) != pid)
                return false;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int add_file(const char *path, const struct stat *st, int type, struct FTW *info)
{
        uint8_t *buf;
        size_t len;

        if (type != FTW_F || is_companion_file(path) || bench_file_count == BENCH_EVLOG_MAX_FILES)
                return 0;
        if (read_file(path, &buf, &len) != 0)
                return 0;
        if (!parse_replay(buf, len) || !tpm2_eventlog_accepts(path)) {
                free(buf);
                return 0;
        }
        bench_files[bench_file_count].path = strdup(path);
        bench_files[bench_file_count].buf = buf;
        bench_files[bench_file_count].len = len;
        bench_file_count++;
        return 0;
}

static int by_path(const void *a, const void *b)
{
        return strcmp(((const struct bench_evlog_file *)a)->path,
                      ((const struct bench_evlog_file *)b)->path);
}

void bench_eventlog(void)
{
        const char *corpus = getenv("PG_CORPUS");
        char dir[4096];
        size_t bytes = 0;
        double best = 0;

        if (!corpus || !*corpus)
                corpus = "../shared/corpus";
        snprintf(dir, sizeof(dir), "%s/eventlogs", corpus);
        bench_hasher_count = pg_tool_hashers(bench_hashers);
        if (nftw(dir, add_file, 16, FTW_PHYS) != 0 || bench_file_count == 0) {
                printf("eventlog in process: skipped, no event logs under %s "
                       "(set PG_CORPUS to the corpus folder)\n", dir);
                return;
        }
        qsort(bench_files, bench_file_count, sizeof(bench_files[0]), by_path);
        for (size_t i = 0; i < bench_file_count; i++)
                bytes += bench_files[i].len;

        for (int pass = 0; pass < BENCH_EVLOG_PASSES; pass++) {
                double start = bench_now(), elapsed;
                long rounds = 0;

                do {
                        for (size_t i = 0; i < bench_file_count; i++) {
                                if (!parse_replay(bench_files[i].buf, bench_files[i].len)) {
                                        fprintf(stderr, "bench: %s failed to parse in the timed loop\n",
                                                bench_files[i].path);
                                        exit(1);
                                }
                        }
                        rounds++;
                        elapsed = bench_now() - start;
                } while (elapsed < BENCH_EVLOG_PASS_SECONDS);
                if (rounds / elapsed > best)
                        best = rounds / elapsed;
        }
        printf("eventlog in process (parse + replay, %zu logs, %zu bytes): %.1f MB/s, %.0f logs/s\n",
               bench_file_count, bytes, best * (double)bytes / 1e6, best * (double)bench_file_count);
        for (size_t i = 0; i < bench_file_count; i++) {
                free(bench_files[i].path);
                free(bench_files[i].buf);
        }
}
