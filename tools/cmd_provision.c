/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate provision: defines the anti-rollback NV index with the attributes
 * prodgate.efi accepts and writes the initial SVN floor, by running the
 * tpm2-tools commands of the factory runbook in docs/tpm.md. Each command is
 * printed before it runs; --dry-run only prints them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pg/platform.h"
#include "tools/commands.h"
#include "tpm/tpm2_cmd.h"

extern char **environ;

#define PG_PROVISION_ATTRS "authread|authwrite|write_stclear|no_da"

struct provision_opts {
        uint32_t index;
        uint64_t svn;
        bool have_svn;
        bool platform;
        bool dry_run;
        const char *tcti;
};

static void usage(FILE *out)
{
        fprintf(out,
                "usage: prodgate provision --svn N [--index HANDLE] [--hierarchy owner|platform]\n"
                "                          [--tcti TCTI] [--dry-run]\n\n"
                "Defines the anti-rollback NV index (8 bytes, attributes " PG_PROVISION_ATTRS ",\n"
                "empty auth value) and writes the SVN floor N, big-endian, with tpm2-tools.\n"
                "The index must not exist yet. --index defaults to 0x%08x, the handle the\n"
                "manifest's policy/anti-rollback-nv-index names. --tcti sets TPM2TOOLS_TCTI\n"
                "(default: tpm2-tools' own, usually device:/dev/tpmrm0). --dry-run prints the\n"
                "commands without running them. docs/tpm.md has the factory runbook.\n",
                PG_TPM2_SVN_INDEX_DEFAULT);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
        char *end = NULL;
        unsigned long long v;

        errno = 0;
        v = strtoull(s, &end, 0);
        if (errno || !end || *end || s[0] == '-' || s[0] == '\0' || v > max)
                return -1;
        *out = v;
        return 0;
}

static int parse_args(int argc, char **argv, struct provision_opts *o)
{
        uint64_t v;

        memset(o, 0, sizeof(*o));
        o->index = PG_TPM2_SVN_INDEX_DEFAULT;
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                const char *next = i + 1 < argc ? argv[i + 1] : NULL;

                if (!strcmp(a, "--dry-run")) {
                        o->dry_run = true;
                } else if (!strcmp(a, "--svn") && next && parse_u64(next, UINT64_MAX, &o->svn) == 0) {
                        o->have_svn = true;
                        i++;
                } else if (!strcmp(a, "--index") && next && parse_u64(next, PG_TPM2_HR_NV_INDEX_END, &v) == 0 &&
                           v >= PG_TPM2_HR_NV_INDEX) {
                        o->index = (uint32_t)v;
                        i++;
                } else if (!strcmp(a, "--hierarchy") && next &&
                           (!strcmp(next, "owner") || !strcmp(next, "platform"))) {
                        o->platform = !strcmp(next, "platform");
                        i++;
                } else if (!strcmp(a, "--tcti") && next) {
                        o->tcti = next;
                        i++;
                } else {
                        fprintf(stderr, "prodgate provision: invalid argument '%s'\n", a);
                        return -1;
                }
        }
        if (!o->have_svn) {
                fprintf(stderr, "prodgate provision: --svn is required\n");
                return -1;
        }
        return 0;
}

/*
 * Prints and runs one command; returns its exit status, or -1 when it could
 * not run. A quiet command runs without printing, its output discarded.
 */
static int run(const struct provision_opts *o, char *const argv[], bool quiet)
{
        posix_spawn_file_actions_t actions;
        pid_t pid;
        int status, err;

        if (quiet) {
                if (posix_spawn_file_actions_init(&actions) != 0)
                        return -1;
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
                err = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
                posix_spawn_file_actions_destroy(&actions);
                if (err || waitpid(pid, &status, 0) < 0)
                        return -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        printf("+");
        for (int i = 0; argv[i]; i++)
                printf(" %s", argv[i]);
        printf("\n");
        fflush(stdout);
        if (o->dry_run)
                return 0;
        err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
        if (err) {
                fprintf(stderr, "prodgate provision: cannot run %s: %s (install tpm2-tools)\n",
                        argv[0], strerror(err));
                return -1;
        }
        if (waitpid(pid, &status, 0) < 0)
                return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int write_floor_file(const char *path, uint64_t svn)
{
        uint8_t data[PG_TPM2_SVN_INDEX_SIZE];
        FILE *f = fopen(path, "wb");
        int ok;

        if (!f)
                return -1;
        pg_store_be64(data, svn);
        ok = fwrite(data, 1, sizeof(data), f) == sizeof(data);
        return fclose(f) == 0 && ok ? 0 : -1;
}

static int provision(const struct provision_opts *o, const char *floor_path)
{
        char index[16], attrs[64];
        char *exists[] = { "tpm2_nvreadpublic", index, NULL };
        char *define[] = { "tpm2_nvdefine", index, "-C", o->platform ? "p" : "o", "-s", "8",
                           "-a", attrs, NULL };
        char *write[] = { "tpm2_nvwrite", index, "-i", (char *)floor_path, NULL };
        char *show[] = { "tpm2_nvreadpublic", index, NULL };

        snprintf(index, sizeof(index), "0x%08" PRIx32, o->index);
        snprintf(attrs, sizeof(attrs), "%s%s", PG_PROVISION_ATTRS, o->platform ? "|platformcreate" : "");
        if (!o->dry_run && run(o, exists, true) == 0) {
                fprintf(stderr, "prodgate provision: index %s already exists; remove it first with "
                        "'tpm2_nvundefine %s -C %s'\n", index, index, o->platform ? "p" : "o");
                return PG_EXIT_FAIL;
        }
        if (run(o, define, false) != 0 || run(o, write, false) != 0 || run(o, show, false) != 0) {
                fprintf(stderr, "prodgate provision: a tpm2-tools command failed\n");
                return PG_EXIT_ERROR;
        }
        if (!o->dry_run)
                printf("anti-rollback index %s defined, floor %" PRIu64 "\n", index, o->svn);
        return PG_EXIT_OK;
}

int cmd_provision(int argc, char **argv)
{
        struct provision_opts o;
        char floor_path[] = "/tmp/prodgate-floor.XXXXXX";
        int fd, rc;

        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                        usage(stdout);
                        return PG_EXIT_OK;
                }
        }
        if (parse_args(argc, argv, &o) != 0) {
                usage(stderr);
                return PG_EXIT_USAGE;
        }
        if (o.tcti && setenv("TPM2TOOLS_TCTI", o.tcti, 1) != 0)
                return PG_EXIT_ERROR;
        fd = mkstemp(floor_path);
        if (fd < 0 || close(fd) != 0 || write_floor_file(floor_path, o.svn) != 0) {
                fprintf(stderr, "prodgate provision: cannot write a temporary file: %s\n", strerror(errno));
                if (fd >= 0)
                        unlink(floor_path);
                return PG_EXIT_ERROR;
        }
        rc = provision(&o, floor_path);
        unlink(floor_path);
        return rc;
}
