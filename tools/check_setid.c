/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * setuid and setgid files under given directories, against an allow-list.
 * The walk opens every directory with openat(O_NOFOLLOW | O_DIRECTORY)
 * relative to its parent, so it never follows a symlink, and it stops at a
 * depth and an entry limit: a walk cut short is unknown, never pass.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/runtime_checks.h"

#define SETID_DEFAULT_DEPTH 32
#define SETID_DEFAULT_ENTRIES 1000000
#define SETID_MAX_DEPTH 256

struct setid_walk {
        const struct pg_check_ctx *ctx;
        unsigned long max_depth;
        unsigned long max_entries;
        unsigned long entries;
        char path[PATH_MAX];
};

/* Walks the directory open as dirfd, whose path is walk->path; takes
 * ownership of dirfd. */
static void setid_dir(struct setid_walk *w, int dirfd, unsigned long depth)
{
        DIR *dir = fdopendir(dirfd);
        size_t base = strlen(w->path);
        struct dirent *de;

        if (!dir) {
                pg_check_unknown_errno(w->ctx, w->path, errno);
                close(dirfd);
                return;
        }
        while ((errno = 0, de = readdir(dir)) != NULL) {
                struct stat st;
                int fd;

                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                if (++w->entries > w->max_entries) {
                        pg_check_unknown(w->ctx, PG_ERR_CHECK_WALK_LIMIT, "more than %lu entries",
                                         w->max_entries);
                        break;
                }
                if (snprintf(w->path + base, sizeof(w->path) - base, "%s%s",
                             base > 1 ? "/" : "", de->d_name) >= (int)(sizeof(w->path) - base)) {
                        pg_check_unknown(w->ctx, PG_ERR_CHECK_WALK_LIMIT, "path too long");
                        break;
                }
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
                        pg_check_unknown_errno(w->ctx, w->path, errno);
                        continue;
                }
                if (S_ISREG(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID)) &&
                    !pg_param_has(w->ctx, "allow", w->path, strlen(w->path)))
                        pg_check_violated(w->ctx, PG_ERR_CHECK_SETID_FILE, "%s (mode %04o)",
                                          w->path, (unsigned)(st.st_mode & 07777));
                if (!S_ISDIR(st.st_mode))
                        continue;
                if (depth + 1 > w->max_depth) {
                        pg_check_unknown(w->ctx, PG_ERR_CHECK_WALK_LIMIT,
                                         "%s is deeper than %lu levels", w->path, w->max_depth);
                        continue;
                }
                fd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        pg_check_unknown_errno(w->ctx, w->path, errno);
                else
                        setid_dir(w, fd, depth + 1);
                w->path[base] = '\0';
        }
        if (de == NULL && errno != 0)
                pg_check_unknown_errno(w->ctx, w->path, errno);
        w->path[base] = '\0';
        closedir(dir);
}

static bool setid_root(void *arg, const char *dir, size_t len)
{
        struct setid_walk *w = arg;
        int fd;

        if (dir[0] != '/' || len >= sizeof(w->path)) {
                pg_check_unknown(w->ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                 "'%.*s' is not an absolute path", (int)len, dir);
                return false;
        }
        memcpy(w->path, dir, len);
        w->path[len] = '\0';
        while (len > 1 && w->path[len - 1] == '/')
                w->path[--len] = '\0';
        fd = pg_rootfs_open_at(w->ctx->root, w->path, O_RDONLY | O_DIRECTORY);
        if (fd < 0) {
                /* A directory missing from the image contains no setid file. */
                if (errno != ENOENT)
                        pg_check_unknown_errno(w->ctx, w->path, errno);
                return true;
        }
        setid_dir(w, fd, 0);
        return true;
}

static void check_setid(const struct pg_check_ctx *ctx)
{
        struct setid_walk *w = malloc(sizeof(*w));
        bool has_depth, has_entries;

        if (!w)
                return;
        w->ctx = ctx;
        w->entries = 0;
        w->max_depth = SETID_DEFAULT_DEPTH;
        w->max_entries = SETID_DEFAULT_ENTRIES;
        if (pg_param_number(ctx, "max-depth", 10, &w->max_depth, &has_depth) &&
            pg_param_number(ctx, "max-entries", 10, &w->max_entries, &has_entries)) {
                if (w->max_depth > SETID_MAX_DEPTH)
                        pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "max-depth above %d",
                                         SETID_MAX_DEPTH);
                else if (pg_param_each(ctx, "paths", setid_root, w))
                        pg_check_pass(ctx);
        }
        free(w);
}

static const struct pg_param_spec setid_params[] = {
        { "paths", PG_PARAM_REQUIRED | PG_PARAM_LIST }, { "allow", PG_PARAM_LIST },
        { "max-depth", 0 }, { "max-entries", 0 }, { NULL, 0 },
};

const struct pg_check_kind pg_checks_setid[] = {
        { "setid-files", check_setid, setid_params },
        { NULL, NULL, NULL },
};
