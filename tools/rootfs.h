/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path resolution under an evaluation root (`prodgate status --root DIR`):
 * every absolute path a check names is resolved inside DIR, as if DIR were
 * "/". Symlinks are followed with chroot semantics: an absolute target
 * starts again at DIR, and ".." at DIR stays at DIR, so no path leaves the
 * root. The kernel does this with openat2(RESOLVE_IN_ROOT) where it exists
 * (Linux 5.6); otherwise pg_rootfs walks the components itself with
 * O_PATH | O_NOFOLLOW and the same rules.
 */
#ifndef PG_TOOLS_ROOTFS_H
#define PG_TOOLS_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Symlinks followed in one resolution, as the kernel's MAXSYMLINKS. */
#define PG_ROOTFS_MAX_SYMLINKS 40
/* Directory levels below the root one resolution may descend. */
#define PG_ROOTFS_MAX_DEPTH 64

struct pg_rootfs {
        int fd;                         /* O_PATH descriptor of the root */
        const char *path;               /* as given, for messages */
        bool manual;                    /* resolve without openat2 */
};

/*
 * Opens the root directory. PG_ROOTFS_MANUAL=1 in the environment selects
 * the component walk even where openat2 exists, so tests cover both.
 * Returns 0, or -1 with errno set.
 */
int pg_rootfs_open(struct pg_rootfs *root, const char *path);

void pg_rootfs_close(struct pg_rootfs *root);

/*
 * Opens an absolute path under the root with open(2) flags (O_CLOEXEC is
 * added). With O_NOFOLLOW a final symlink is not followed: with O_PATH the
 * descriptor refers to the link itself, otherwise the call fails with
 * ELOOP. Returns a descriptor, or -1 with errno set; a relative path fails
 * with EINVAL.
 */
int pg_rootfs_open_at(const struct pg_rootfs *root, const char *path, int flags);

/* fstat of the path; follow selects stat or lstat semantics for the last
 * component. Returns 0, or -1 with errno set. */
int pg_rootfs_stat(const struct pg_rootfs *root, const char *path, bool follow,
                   struct stat *st);

/*
 * Opens a regular file for reading. The type is checked on an O_PATH
 * descriptor before the file is opened, so no device node, FIFO or socket
 * is ever opened (opening some devices has side effects). Fails with
 * EISDIR for a directory and EINVAL for any other type that is not a
 * regular file. Returns a descriptor, or -1 with errno set.
 */
int pg_rootfs_open_regular(const struct pg_rootfs *root, const char *path);

/*
 * Reads a regular file (which includes the pseudo-files of /proc and /sys)
 * of at most max bytes into a malloc'd, NUL-terminated buffer. Fails with
 * EFBIG when it is longer, EISDIR for a directory and EINVAL for any other
 * file type. Returns 0, or -1 with errno set.
 */
int pg_rootfs_read(const struct pg_rootfs *root, const char *path, size_t max, char **data,
                   size_t *len);

#endif
