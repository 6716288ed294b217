/* SPDX-License-Identifier: BSD-2-Clause */
/* Mounts, from /proc/self/mounts: options of a mount point, file system
 * types that must not be mounted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/runtime_checks.h"

#define MOUNTS_PATH "/proc/self/mounts"
#define MOUNT_FIELD_MAX 4096

struct mount_entry {
        char dir[MOUNT_FIELD_MAX];
        char type[256];
        char options[MOUNT_FIELD_MAX];
};

/* Copies one space-separated field, decoding the octal escapes (\040) the
 * kernel writes for space, tab, newline and backslash. */
static const char *mount_field(const char *p, char *out, size_t cap)
{
        size_t n = 0;

        while (*p == ' ')
                p++;
        while (*p && *p != ' ' && *p != '\n') {
                char c = *p++;

                if (c == '\\' && p[0] >= '0' && p[0] <= '3' && p[1] >= '0' && p[1] <= '7' &&
                    p[2] >= '0' && p[2] <= '7') {
                        c = (char)((p[0] - '0') << 6 | (p[1] - '0') << 3 | (p[2] - '0'));
                        p += 3;
                }
                if (n + 1 < cap)
                        out[n++] = c;
        }
        out[n] = '\0';
        return p;
}

/* Parses one line "SOURCE DIR TYPE OPTIONS FREQ PASSNO"; false when short. */
static bool mount_parse(const char *line, struct mount_entry *e)
{
        char source[MOUNT_FIELD_MAX];

        line = mount_field(line, source, sizeof(source));
        line = mount_field(line, e->dir, sizeof(e->dir));
        line = mount_field(line, e->type, sizeof(e->type));
        mount_field(line, e->options, sizeof(e->options));
        return source[0] && e->dir[0] == '/' && e->type[0] && e->options[0];
}

/* True when dir is path or one of its parent directories. */
static bool mount_covers(const char *dir, const char *path)
{
        size_t n = strlen(dir);

        if (!strcmp(dir, "/"))
                return true;
        return !strncmp(dir, path, n) && (path[n] == '\0' || path[n] == '/');
}

static bool option_has(const char *options, const char *opt, size_t len)
{
        for (const char *p = options; *p; ) {
                size_t n = strcspn(p, ",");

                if (n == len && !memcmp(p, opt, len))
                        return true;
                p += n + (p[n] == ',');
        }
        return false;
}

struct option_scan {
        const struct pg_check_ctx *ctx;
        const struct mount_entry *mount;
        bool forbid;
};

static bool option_item(void *arg, const char *opt, size_t len)
{
        struct option_scan *s = arg;
        bool has = option_has(s->mount->options, opt, len);

        if (has == s->forbid)
                pg_check_violated(s->ctx, PG_ERR_CHECK_MOUNT_OPTION, "%s (%s) %s '%.*s'",
                                  s->mount->dir, s->mount->options, has ? "has" : "lacks",
                                  (int)len, opt);
        return true;
}

/*
 * Finds the mount that a path is on: the longest mount point containing
 * it, the last one listed when several share it (later mounts hide
 * earlier ones). Returns false when the table has no usable line.
 */
static bool mount_find(char *data, const char *path, struct mount_entry *best)
{
        struct mount_entry *e = malloc(sizeof(*e));
        size_t best_len = 0;
        bool found = false;

        if (!e)
                return false;
        for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
                size_t n;

                if (!mount_parse(line, e) || !mount_covers(e->dir, path))
                        continue;
                n = strlen(e->dir);
                if (!found || n >= best_len) {
                        *best = *e;
                        best_len = n;
                        found = true;
                }
        }
        free(e);
        return found;
}

static void check_mount_options(const struct pg_check_ctx *ctx)
{
        const char *path = pg_param(ctx, "path");
        struct mount_entry *m = malloc(sizeof(*m));
        struct option_scan scan = { ctx, m, false };
        char *data = NULL;

        if (path[0] != '/') {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "path=%s is not absolute", path);
                goto out;
        }
        if (!pg_param(ctx, "require") && !pg_param(ctx, "forbid")) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "no require or forbid");
                goto out;
        }
        if (!m || !(data = pg_check_read(ctx, MOUNTS_PATH, NULL)))
                goto out;
        if (!mount_find(data, path, m)) {
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED,
                                 "%s lists no mount containing %s", MOUNTS_PATH, path);
                goto out;
        }
        pg_param_each(ctx, "require", option_item, &scan);
        scan.forbid = true;
        pg_param_each(ctx, "forbid", option_item, &scan);
        pg_check_pass(ctx);
out:
        free(data);
        free(m);
}

struct type_scan {
        const struct pg_check_ctx *ctx;
        struct mount_entry *mount;
};

static bool type_item(void *arg, const char *type, size_t len)
{
        struct type_scan *s = arg;

        if (strlen(s->mount->type) == len && !memcmp(s->mount->type, type, len))
                pg_check_violated(s->ctx, PG_ERR_CHECK_FILESYSTEM_MOUNTED, "%s is mounted on %s",
                                  s->mount->type, s->mount->dir);
        return true;
}

static void check_not_mounted(const struct pg_check_ctx *ctx)
{
        struct mount_entry *m = malloc(sizeof(*m));
        struct type_scan scan = { ctx, m };
        unsigned lines = 0;
        char *data = m ? pg_check_read(ctx, MOUNTS_PATH, NULL) : NULL;

        if (!data) {
                free(m);
                return;
        }
        for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
                if (!mount_parse(line, m))
                        continue;
                lines++;
                pg_param_each(ctx, "type", type_item, &scan);
        }
        /* Every Linux system mounts at least "/": an empty table is no evidence. */
        if (lines == 0)
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED, "%s lists no mount",
                                 MOUNTS_PATH);
        pg_check_pass(ctx);
        free(data);
        free(m);
}

static const struct pg_param_spec options_params[] = {
        { "path", PG_PARAM_REQUIRED }, { "require", PG_PARAM_LIST }, { "forbid", PG_PARAM_LIST },
        { NULL, 0 },
};
static const struct pg_param_spec not_mounted_params[] = {
        { "type", PG_PARAM_REQUIRED | PG_PARAM_LIST }, { NULL, 0 },
};

const struct pg_check_kind pg_checks_mount[] = {
        { "mount-options", check_mount_options, options_params },
        { "filesystem-not-mounted", check_not_mounted, not_mounted_params },
        { NULL, NULL, NULL },
};
