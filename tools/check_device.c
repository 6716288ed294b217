/* SPDX-License-Identifier: BSD-2-Clause */
/* Privacy of sensors: camera and microphone device nodes must not be
 * readable or writable by everyone. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/runtime_checks.h"

#define DEFAULT_DEVICES "/dev/video*,/dev/snd/*"

struct device_scan {
        const struct pg_check_ctx *ctx;
        unsigned dirs_read;             /* folders of the patterns that exist */
        unsigned nodes;
};

/* Checks the nodes matching one pattern "/dir/glob"; only the last component
 * may hold wildcards. */
static bool device_pattern(void *arg, const char *pattern, size_t len)
{
        struct device_scan *s = arg;
        char dirpath[PATH_MAX], glob[NAME_MAX + 1];
        const char *slash = NULL;
        struct dirent *de;
        DIR *dir;
        int fd;

        for (size_t i = 0; i < len; i++)
                if (pattern[i] == '/')
                        slash = pattern + i;
        if (pattern[0] != '/' || !slash || len >= sizeof(dirpath) ||
            (size_t)(pattern + len - slash) > sizeof(glob)) {
                pg_check_unknown(s->ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                 "'%.*s' is not an absolute path pattern", (int)len, pattern);
                return false;
        }
        snprintf(dirpath, sizeof(dirpath), "%.*s", (int)(slash - pattern), pattern);
        snprintf(glob, sizeof(glob), "%.*s", (int)(pattern + len - slash - 1), slash + 1);
        fd = pg_rootfs_open_at(s->ctx->root, dirpath[0] ? dirpath : "/", O_RDONLY | O_DIRECTORY);
        if (fd < 0) {
                if (errno != ENOENT)
                        pg_check_unknown_errno(s->ctx, dirpath, errno);
                return true;
        }
        dir = fdopendir(fd);
        if (!dir) {
                pg_check_unknown_errno(s->ctx, dirpath, errno);
                close(fd);
                return true;
        }
        s->dirs_read++;
        while ((de = readdir(dir)) != NULL) {
                struct stat st;

                if (fnmatch(glob, de->d_name, FNM_PERIOD) != 0 ||
                    fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                        continue;
                if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
                        continue;
                s->nodes++;
                if (st.st_mode & (S_IROTH | S_IWOTH))
                        pg_check_violated(s->ctx, PG_ERR_CHECK_DEVICE_WORLD_ACCESS,
                                          "%s/%s has mode %04o", dirpath, de->d_name,
                                          (unsigned)(st.st_mode & 07777));
        }
        closedir(dir);
        return true;
}

static void check_devices(const struct pg_check_ctx *ctx)
{
        struct device_scan s = { ctx, 0, 0 };
        struct pg_check_params defaults = { 1, { "paths" }, { 5 }, { DEFAULT_DEVICES } };
        struct pg_check_ctx with_defaults = *ctx;

        if (!pg_param(ctx, "paths"))
                with_defaults.params = &defaults;
        if (!pg_param_each(&with_defaults, "paths", device_pattern, &s))
                return;
        /* Without any of the folders (e.g. an image without a populated /dev)
         * nothing shows what the device would expose. */
        if (s.dirs_read == 0)
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MISSING,
                                 "none of the device folders exists");
        pg_check_pass(ctx);
}

static const struct pg_param_spec device_params[] = {
        { "paths", PG_PARAM_LIST }, { NULL, 0 },
};

const struct pg_check_kind pg_checks_device[] = {
        { "sensor-device-permissions", check_devices, device_params },
        { NULL, NULL, NULL },
};
