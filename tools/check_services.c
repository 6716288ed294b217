/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE /* O_PATH */
/* Security monitoring: service units installed and not masked, processes
 * running by name (/proc/PID/comm). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/runtime_checks.h"

/* Unit folders, highest priority first: the first one with the unit decides
 * (systemd.unit(5); /lib is Debian's pre-merged-/usr location). */
static const char *const unit_dirs[] = {
        "/etc/systemd/system",
        "/run/systemd/system",
        "/usr/local/lib/systemd/system",
        "/usr/lib/systemd/system",
        "/lib/systemd/system",
};

static bool unit_name_valid(const char *name, size_t len)
{
        if (len == 0 || len > NAME_MAX || memchr(name, '/', len) || (len <= 2 && name[0] == '.'))
                return false;
        return true;
}

/* Finds a unit file; masked (a symlink to /dev/null or an empty file) counts
 * as missing. */
static bool unit_item(void *arg, const char *name, size_t len)
{
        const struct pg_check_ctx *ctx = arg;
        char path[PATH_MAX], target[PATH_MAX];

        if (!unit_name_valid(name, len)) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "'%.*s' is not a unit name",
                                 (int)len, name);
                return false;
        }
        for (size_t i = 0; i < PG_ARRAY_SIZE(unit_dirs); i++) {
                struct stat st;
                int fd;
                ssize_t n;

                snprintf(path, sizeof(path), "%s/%.*s", unit_dirs[i], (int)len, name);
                fd = pg_rootfs_open_at(ctx->root, path, O_PATH | O_NOFOLLOW);
                if (fd < 0) {
                        if (errno != ENOENT && errno != ENOTDIR)
                                pg_check_unknown_errno(ctx, path, errno);
                        continue;
                }
                n = readlinkat(fd, "", target, sizeof(target) - 1);
                close(fd);
                if (n > 0)
                        target[n] = '\0';
                if (n > 0 && !strcmp(target, "/dev/null")) {
                        pg_check_violated(ctx, PG_ERR_CHECK_SERVICE_MISSING, "%.*s is masked",
                                          (int)len, name);
                        return true;
                }
                if (pg_rootfs_stat(ctx->root, path, true, &st) != 0) {
                        pg_check_unknown_errno(ctx, path, errno);
                        return true;
                }
                if (S_ISREG(st.st_mode) && st.st_size == 0)
                        pg_check_violated(ctx, PG_ERR_CHECK_SERVICE_MISSING, "%.*s is masked",
                                          (int)len, name);
                return true;
        }
        pg_check_violated(ctx, PG_ERR_CHECK_SERVICE_MISSING, "%.*s is not installed", (int)len,
                          name);
        return true;
}

/* The comm names of all processes, newline-separated, or NULL after
 * reporting unknown. */
static char *process_names(const struct pg_check_ctx *ctx, size_t *count)
{
        int fd = pg_rootfs_open_at(ctx->root, "/proc", O_RDONLY | O_DIRECTORY);
        size_t cap = 4096, used = 0;
        char *names = malloc(cap);
        struct dirent *de;
        DIR *dir;

        *count = 0;
        if (fd < 0 || !names || !(dir = fdopendir(fd))) {
                pg_check_unknown_errno(ctx, "/proc", errno);
                if (fd >= 0)
                        close(fd);
                free(names);
                return NULL;
        }
        while ((de = readdir(dir)) != NULL) {
                char path[64 + NAME_MAX], *comm;
                size_t n;

                if (strspn(de->d_name, "0123456789") != strlen(de->d_name))
                        continue;
                snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
                /* A process may exit between readdir and the read. */
                if (pg_rootfs_read(ctx->root, path, 64, &comm, &n) != 0)
                        continue;
                comm[strcspn(comm, "\n")] = '\0';
                n = strlen(comm);
                if (used + n + 2 > cap) {
                        char *bigger = realloc(names, cap * 2 + n);

                        if (!bigger) {
                                free(comm);
                                break;
                        }
                        names = bigger;
                        cap = cap * 2 + n;
                }
                memcpy(names + used, comm, n);
                used += n;
                names[used++] = '\n';
                (*count)++;
                free(comm);
        }
        names[used] = '\0';
        closedir(dir);
        return names;
}

struct process_scan {
        const struct pg_check_ctx *ctx;
        const char *names;
};

static bool process_item(void *arg, const char *name, size_t len)
{
        struct process_scan *s = arg;

        for (const char *p = s->names; *p; ) {
                size_t n = strcspn(p, "\n");

                if (n == len && !memcmp(p, name, len))
                        return true;
                p += n + (p[n] == '\n');
        }
        pg_check_violated(s->ctx, PG_ERR_CHECK_PROCESS_NOT_RUNNING, "no process named %.*s",
                          (int)len, name);
        return true;
}

static void check_services(const struct pg_check_ctx *ctx)
{
        struct process_scan scan = { ctx, NULL };
        size_t count;
        char *names;

        if (!pg_param(ctx, "units") && !pg_param(ctx, "processes")) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "no units or processes");
                return;
        }
        if (!pg_param_each(ctx, "units", unit_item, (void *)ctx))
                return;
        if (pg_param(ctx, "processes")) {
                names = process_names(ctx, &count);
                if (!names)
                        return;
                /* An empty /proc (an image, not a running system) shows nothing. */
                if (count == 0) {
                        pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MISSING,
                                         "/proc lists no process");
                } else {
                        scan.names = names;
                        pg_param_each(ctx, "processes", process_item, &scan);
                }
                free(names);
        }
        pg_check_pass(ctx);
}

static const struct pg_param_spec services_params[] = {
        { "units", PG_PARAM_LIST }, { "processes", PG_PARAM_LIST }, { NULL, 0 },
};

const struct pg_check_kind pg_checks_services[] = {
        { "monitoring-services", check_services, services_params },
        { NULL, NULL, NULL },
};
