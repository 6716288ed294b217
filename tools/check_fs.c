/* SPDX-License-Identifier: BSD-2-Clause */
/* Files and directories: presence, absence, permission bits, owner, digest. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/sha256.h"
#include "tools/runtime_checks.h"

static const char *file_type_name(mode_t mode)
{
        if (S_ISREG(mode))
                return "file";
        if (S_ISDIR(mode))
                return "directory";
        if (S_ISLNK(mode))
                return "symlink";
        return "special file";
}

/* Returns the path parameter after checking it is absolute, or NULL after
 * reporting BAD_PARAMETER. */
static const char *path_param(const struct pg_check_ctx *ctx)
{
        const char *path = pg_param(ctx, "path");

        if (path && path[0] == '/')
                return path;
        pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "path=%s is not absolute",
                         path ? path : "");
        return NULL;
}

/* Checks the optional type=file|directory|any parameter against st. */
static bool type_matches(const struct pg_check_ctx *ctx, const char *path, const struct stat *st)
{
        const char *type = pg_param(ctx, "type");

        if (!type || !strcmp(type, "any"))
                return true;
        if (strcmp(type, "file") != 0 && strcmp(type, "directory") != 0) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                 "type=%s is not file, directory or any", type);
                return false;
        }
        if (!strcmp(type, file_type_name(st->st_mode)))
                return true;
        pg_check_violated(ctx, PG_ERR_CHECK_FILE_TYPE, "%s is a %s, not a %s", path,
                          file_type_name(st->st_mode), type);
        return false;
}

static void check_present(const struct pg_check_ctx *ctx)
{
        const char *path = path_param(ctx);
        struct stat st;

        if (!path)
                return;
        if (pg_rootfs_stat(ctx->root, path, true, &st) != 0) {
                if (errno == ENOENT)
                        pg_check_violated(ctx, PG_ERR_CHECK_FILE_MISSING, "%s does not exist",
                                          path);
                else
                        pg_check_unknown_errno(ctx, path, errno);
                return;
        }
        type_matches(ctx, path, &st);
        pg_check_pass(ctx);
}

/* The path itself, not a symlink's target, must not exist. */
static void check_absent(const struct pg_check_ctx *ctx)
{
        const char *path = path_param(ctx);
        struct stat st;

        if (!path)
                return;
        if (pg_rootfs_stat(ctx->root, path, false, &st) == 0)
                pg_check_violated(ctx, PG_ERR_CHECK_FILE_PRESENT, "%s exists (%s)", path,
                                  file_type_name(st.st_mode));
        else if (errno != ENOENT && errno != ENOTDIR)
                pg_check_unknown_errno(ctx, path, errno);
        pg_check_pass(ctx);
}

/* stat()s the path for a check that inspects an existing file. */
static bool stat_existing(const struct pg_check_ctx *ctx, const char *path, struct stat *st)
{
        if (pg_rootfs_stat(ctx->root, path, true, st) == 0)
                return type_matches(ctx, path, st);
        pg_check_unknown_errno(ctx, path, errno);
        return false;
}

static void check_mode(const struct pg_check_ctx *ctx)
{
        const char *path = path_param(ctx);
        unsigned long max = 0, exact = 0;
        bool has_max, has_exact;
        struct stat st;
        unsigned mode;

        if (!path || !pg_param_number(ctx, "max", 8, &max, &has_max) ||
            !pg_param_number(ctx, "exact", 8, &exact, &has_exact))
                return;
        if (has_max == has_exact || max > 07777 || exact > 07777) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                 "exactly one of max and exact, octal up to 7777");
                return;
        }
        if (!stat_existing(ctx, path, &st))
                return;
        mode = st.st_mode & 07777;
        if (has_max && (mode & ~max))
                pg_check_violated(ctx, PG_ERR_CHECK_FILE_MODE,
                                  "%s has mode %04o, at most %04lo allowed", path, mode, max);
        if (has_exact && mode != exact)
                pg_check_violated(ctx, PG_ERR_CHECK_FILE_MODE, "%s has mode %04o, %04lo required",
                                  path, mode, exact);
        pg_check_pass(ctx);
}

static void check_owner(const struct pg_check_ctx *ctx)
{
        const char *path = path_param(ctx);
        unsigned long uid = 0, gid = 0;
        bool has_uid, has_gid;
        struct stat st;

        if (!path || !pg_param_number(ctx, "uid", 10, &uid, &has_uid) ||
            !pg_param_number(ctx, "gid", 10, &gid, &has_gid))
                return;
        if (!has_uid && !has_gid) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "no uid or gid");
                return;
        }
        if (!stat_existing(ctx, path, &st))
                return;
        if ((has_uid && st.st_uid != uid) || (has_gid && st.st_gid != gid))
                pg_check_violated(ctx, PG_ERR_CHECK_FILE_OWNER, "%s is owned by %u:%u", path,
                                  (unsigned)st.st_uid, (unsigned)st.st_gid);
        pg_check_pass(ctx);
}

static bool parse_sha256(const char *hex, uint8_t out[32])
{
        if (strlen(hex) != 64)
                return false;
        for (size_t i = 0; i < 32; i++) {
                unsigned v;

                if (sscanf(hex + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF",
                                                                  hex[2 * i + 1]))
                        return false;
                out[i] = (uint8_t)v;
        }
        return true;
}

/* Hashes a regular file under the root; returns 0 or an errno value. */
static int hash_file(const struct pg_check_ctx *ctx, const char *path, uint8_t out[32])
{
        int fd = pg_rootfs_open_regular(ctx->root, path);
        struct pg_sha256_ctx sha;
        uint8_t buf[65536];
        ssize_t n;
        int err = 0;

        if (fd < 0) {
                /* 0 would read as success with out[] unwritten. */
                err = errno;
                return err ? err : EIO;
        }
        pg_sha256_init(&sha);
        while ((n = read(fd, buf, sizeof(buf))) != 0) {
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        err = errno;
                        break;
                }
                pg_sha256_update(&sha, buf, (size_t)n);
        }
        close(fd);
        if (!err)
                pg_sha256_final(&sha, out);
        return err;
}

static void check_digest(const struct pg_check_ctx *ctx)
{
        const char *path = path_param(ctx);
        const char *want_hex = pg_param(ctx, "sha256");
        uint8_t want[32], have[32];
        int err;

        if (!path)
                return;
        if (!parse_sha256(want_hex, want)) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "sha256 is not 64 hex digits");
                return;
        }
        err = hash_file(ctx, path, have);
        if (err) {
                pg_check_unknown_errno(ctx, path, err);
                return;
        }
        if (pg_memcmp_ct(want, have, sizeof(want)) != 0)
                pg_check_violated(ctx, PG_ERR_CHECK_FILE_DIGEST,
                                  "%s has another SHA-256 than the pinned one", path);
        pg_check_pass(ctx);
}

static const struct pg_param_spec present_params[] = {
        { "path", PG_PARAM_REQUIRED }, { "type", 0 }, { NULL, 0 },
};
static const struct pg_param_spec absent_params[] = {
        { "path", PG_PARAM_REQUIRED }, { NULL, 0 },
};
static const struct pg_param_spec mode_params[] = {
        { "path", PG_PARAM_REQUIRED }, { "max", 0 }, { "exact", 0 }, { "type", 0 }, { NULL, 0 },
};
static const struct pg_param_spec owner_params[] = {
        { "path", PG_PARAM_REQUIRED }, { "uid", 0 }, { "gid", 0 }, { "type", 0 }, { NULL, 0 },
};
static const struct pg_param_spec digest_params[] = {
        { "path", PG_PARAM_REQUIRED }, { "sha256", PG_PARAM_REQUIRED }, { NULL, 0 },
};

const struct pg_check_kind pg_checks_fs[] = {
        { "file-present", check_present, present_params },
        { "file-absent", check_absent, absent_params },
        { "file-mode", check_mode, mode_params },
        { "file-owner", check_owner, owner_params },
        { "file-digest", check_digest, digest_params },
        { NULL, NULL, NULL },
};
