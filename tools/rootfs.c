/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE /* O_PATH */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tools/rootfs.h"

int pg_rootfs_open(struct pg_rootfs *root, const char *path)
{
        const char *manual = getenv("PG_ROOTFS_MANUAL");

        root->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root->fd < 0)
                return -1;
        root->path = path;
        root->manual = manual && !strcmp(manual, "1");
        return 0;
}

void pg_rootfs_close(struct pg_rootfs *root)
{
        if (root->fd >= 0)
                close(root->fd);
        root->fd = -1;
}

static int pg_openat2(int dirfd, const char *path, int flags)
{
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };

        return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* The state of a manual resolution: a stack of O_PATH descriptors, one per
 * directory level from the root down, and the path still to walk. */
struct pg_walk {
        int fds[PG_ROOTFS_MAX_DEPTH + 1];
        int depth;
        int links;
        bool slash;                     /* a '/' follows the current component */
        char rest[2 * PATH_MAX];
};

static void pg_walk_pop_to(struct pg_walk *w, int depth)
{
        while (w->depth > depth)
                close(w->fds[w->depth--]);
}

/* Replaces the rest of the path by the link target followed by what
 * remained after the link, and restarts at the root for an absolute target.
 * A '/' after the link stays after the target, which must then be a folder. */
static int pg_walk_splice(struct pg_walk *w, int linkfd, const char *after)
{
        char target[PATH_MAX];
        ssize_t n = readlinkat(linkfd, "", target, sizeof(target));
        size_t tail = strlen(after);

        if (n < 0)
                return -1;
        if ((size_t)n >= sizeof(target) || (size_t)n + tail + 2 > sizeof(w->rest)) {
                errno = ENAMETOOLONG;
                return -1;
        }
        if (++w->links > PG_ROOTFS_MAX_SYMLINKS) {
                errno = ELOOP;
                return -1;
        }
        if (target[0] == '/')
                pg_walk_pop_to(w, 0);
        if (w->slash) {
                memmove(w->rest + n + 1, after, tail + 1);
                w->rest[n] = '/';
        } else {
                w->rest[n] = '\0';
        }
        memcpy(w->rest, target, (size_t)n);
        return 0;
}

/* Takes the next component off w->rest into name: 1, or 0 at the end, or
 * -1 with ENAMETOOLONG. */
static int pg_walk_next(struct pg_walk *w, char *name, size_t cap, const char **after)
{
        char *p = w->rest;
        size_t len;

        while (*p == '/')
                p++;
        if (*p == '\0')
                return 0;
        len = strcspn(p, "/");
        if (len >= cap) {
                errno = ENAMETOOLONG;
                return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        w->slash = p[len] == '/';
        p += strcspn(p, "/");
        while (*p == '/')
                p++;
        *after = p;
        return 1;
}

static bool pg_walk_last(const char *after)
{
        return *after == '\0';
}

/*
 * Resolves one intermediate component, or a last one that is followed.
 * Returns 1 for a symlink, whose target is spliced into the rest of the
 * path. Returns 0 after descending into a directory, or for the last
 * component, whose O_PATH descriptor goes to *fd. As in the kernel, a last
 * component with a trailing '/' must be a directory. Returns -1 on error.
 */
static int pg_walk_step(struct pg_walk *w, const char *name, const char *after, int *fd)
{
        struct stat st;
        int cur = openat(w->fds[w->depth], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        char saved[2 * PATH_MAX];

        if (cur < 0)
                return -1;
        if (fstat(cur, &st) != 0)
                goto fail;
        if (S_ISLNK(st.st_mode)) {
                snprintf(saved, sizeof(saved), "%s", after);
                if (pg_walk_splice(w, cur, saved) != 0)
                        goto fail;
                close(cur);
                return 1;
        }
        if (pg_walk_last(after)) {
                if (w->slash && !S_ISDIR(st.st_mode)) {
                        errno = ENOTDIR;
                        goto fail;
                }
                *fd = cur;
                return 0;
        }
        if (!S_ISDIR(st.st_mode)) {
                errno = ENOTDIR;
                goto fail;
        }
        if (w->depth == PG_ROOTFS_MAX_DEPTH) {
                errno = ENAMETOOLONG;
                goto fail;
        }
        w->fds[++w->depth] = cur;
        return 0;
fail:
        close(cur);
        return -1;
}

/* Walks the path and opens its last component relative to its parent. */
static int pg_walk_resolve(struct pg_walk *w, int flags)
{
        bool follow = !(flags & O_NOFOLLOW);
        const char *after;
        char name[NAME_MAX + 1];
        int fd = -1, rc;

        while ((rc = pg_walk_next(w, name, sizeof(name), &after)) != 0) {
                if (rc < 0)
                        return -1;
                if (!strcmp(name, ".") || !strcmp(name, "..")) {
                        if (name[1] == '.' && w->depth > 0)
                                pg_walk_pop_to(w, w->depth - 1);
                        memmove(w->rest, after, strlen(after) + 1);
                        continue;
                }
                /* A trailing '/' follows a last symlink even with O_NOFOLLOW. */
                if (pg_walk_last(after) && !follow && !w->slash)
                        return openat(w->fds[w->depth], name, flags | O_CLOEXEC);
                rc = pg_walk_step(w, name, after, &fd);
                if (rc < 0)
                        return -1;
                if (rc == 1)
                        continue;
                if (fd >= 0) {
                        /* Reopen the verified last component with the caller's flags;
                         * O_NOFOLLOW makes a link swapped in meanwhile fail. */
                        rc = openat(w->fds[w->depth], name, flags | O_NOFOLLOW | O_CLOEXEC);
                        close(fd);
                        return rc;
                }
                memmove(w->rest, after, strlen(after) + 1);
        }
        /* The path named the root itself, or ended in "/" after a directory. */
        return openat(w->fds[w->depth], ".", flags | O_CLOEXEC);
}

static int pg_rootfs_open_manual(const struct pg_rootfs *root, const char *path, int flags)
{
        struct pg_walk *w = malloc(sizeof(*w));
        int fd, saved;

        if (!w) {
                errno = ENOMEM;
                return -1;
        }
        if (strlen(path) >= sizeof(w->rest)) {
                free(w);
                errno = ENAMETOOLONG;
                return -1;
        }
        w->depth = 0;
        w->links = 0;
        memcpy(w->rest, path, strlen(path) + 1);
        w->fds[0] = dup(root->fd);
        if (w->fds[0] < 0) {
                free(w);
                return -1;
        }
        fd = pg_walk_resolve(w, flags);
        saved = errno;
        pg_walk_pop_to(w, -1);
        free(w);
        errno = saved;
        return fd;
}

int pg_rootfs_open_at(const struct pg_rootfs *root, const char *path, int flags)
{
        int fd = -1;

        if (path[0] != '/') {
                errno = EINVAL;
                return -1;
        }
        if (!root->manual) {
                /* RESOLVE_IN_ROOT fails with EAGAIN when a rename raced the
                 * lookup; a few retries settle that. */
                for (int tries = 0; tries < 4; tries++) {
                        fd = pg_openat2(root->fd, path, flags);
                        if (fd >= 0 || errno != EAGAIN)
                                break;
                }
                if (fd >= 0 || errno != ENOSYS)
                        return fd;
        }
        return pg_rootfs_open_manual(root, path, flags);
}

int pg_rootfs_stat(const struct pg_rootfs *root, const char *path, bool follow,
                   struct stat *st)
{
        int fd = pg_rootfs_open_at(root, path, O_PATH | (follow ? 0 : O_NOFOLLOW));
        int rc, saved;

        if (fd < 0)
                return -1;
        rc = fstat(fd, st);
        saved = errno;
        close(fd);
        errno = saved;
        return rc;
}

/* Opens the O_PATH descriptor for reading through /proc/self/fd, or, without
 * /proc, by its path again, accepted only when it is still the same file. */
static int pg_rootfs_reopen(const struct pg_rootfs *root, const char *path, int pathfd,
                            const struct stat *st)
{
        char proc[64];
        struct stat again;
        int fd;

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pathfd);
        fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0 || errno != ENOENT)
                return fd;
        fd = pg_rootfs_open_at(root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return -1;
        if (fstat(fd, &again) != 0 || again.st_dev != st->st_dev || again.st_ino != st->st_ino) {
                close(fd);
                errno = ESTALE;
                return -1;
        }
        return fd;
}

int pg_rootfs_open_regular(const struct pg_rootfs *root, const char *path)
{
        int pathfd = pg_rootfs_open_at(root, path, O_PATH);
        struct stat st = { 0 };
        int fd, saved;

        if (pathfd < 0)
                return -1;
        if (fstat(pathfd, &st) != 0 || !S_ISREG(st.st_mode)) {
                saved = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
                close(pathfd);
                errno = saved;
                return -1;
        }
        fd = pg_rootfs_reopen(root, path, pathfd, &st);
        saved = errno;
        close(pathfd);
        errno = saved;
        return fd;
}

int pg_rootfs_read(const struct pg_rootfs *root, const char *path, size_t max, char **data,
                   size_t *len)
{
        int fd = pg_rootfs_open_regular(root, path);
        size_t used = 0;
        char *buf;
        ssize_t n;

        if (fd < 0)
                return -1;
        buf = malloc(max + 2);
        if (!buf) {
                close(fd);
                errno = ENOMEM;
                return -1;
        }
        /* Pseudo-files in /proc and /sys report size 0, so read to the end. */
        for (;;) {
                n = read(fd, buf + used, max + 1 - used);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                used += (size_t)n;
                if (used > max)
                        break;
        }
        if (n < 0 || used > max) {
                int saved = n < 0 ? errno : EFBIG;

                free(buf);
                close(fd);
                errno = saved;
                return -1;
        }
        close(fd);
        buf[used] = '\0';
        *data = buf;
        *len = used;
        return 0;
}
