/* SPDX-License-Identifier: BSD-2-Clause */
/* Device management and release state: MDM enrollment, the running version. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/runtime_checks.h"

#define OS_RELEASE_PATH "/etc/os-release"

static void check_mdm(const struct pg_check_ctx *ctx)
{
        const char *marker = pg_param(ctx, "marker");
        struct stat st;

        if (marker[0] != '/') {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "marker=%s is not absolute",
                                 marker);
                return;
        }
        if (pg_rootfs_stat(ctx->root, marker, true, &st) != 0) {
                if (errno == ENOENT)
                        pg_check_violated(ctx, PG_ERR_CHECK_MDM_NOT_ENROLLED, "%s does not exist",
                                          marker);
                else
                        pg_check_unknown_errno(ctx, marker, errno);
                return;
        }
        if (!S_ISREG(st.st_mode) || st.st_size == 0)
                pg_check_violated(ctx, PG_ERR_CHECK_MDM_NOT_ENROLLED,
                                  "%s is not a non-empty file", marker);
        pg_check_pass(ctx);
}

/* Strips one pair of matching quotes, as os-release(5) allows. */
static void unquote(char *v)
{
        size_t n = strlen(v);

        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
                memmove(v, v + 1, n - 2);
                v[n - 2] = '\0';
        }
}

/* Finds KEY=value in os-release text; returns the value in place, or NULL. */
static char *os_release_value(char *data, const char *key)
{
        size_t klen = strlen(key);
        char *found = NULL;

        for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
                if (!strncmp(line, key, klen) && line[klen] == '=')
                        found = line + klen + 1;
        }
        if (found) {
                found[strcspn(found, "\r")] = '\0';
                unquote(found);
        }
        return found;
}

static void check_version(const struct pg_check_ctx *ctx)
{
        const char *path = pg_param(ctx, "path");
        const char *key = pg_param(ctx, "key");
        const char *want = ctx->manifest->identity.version;
        char *data, *have;

        if (!path)
                path = OS_RELEASE_PATH;
        if (path[0] != '/') {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "path=%s is not absolute", path);
                return;
        }
        /* The key defaults to VERSION_ID for os-release; any other file holds
         * only the version, on its first line. */
        if (!key && !strcmp(path, OS_RELEASE_PATH))
                key = "VERSION_ID";
        data = pg_check_read(ctx, path, NULL);
        if (!data)
                return;
        if (key) {
                have = os_release_value(data, key);
        } else {
                have = data;
                have[strcspn(have, "\r\n")] = '\0';
        }
        if (!have || !*have)
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED, "%s has no %s", path,
                                 key ? key : "version");
        else if (strcmp(have, want) != 0)
                pg_check_violated(ctx, PG_ERR_CHECK_VERSION_MISMATCH,
                                  "running %.64s, manifest %.64s", have, want);
        pg_check_pass(ctx);
        free(data);
}

static const struct pg_param_spec mdm_params[] = {
        { "marker", PG_PARAM_REQUIRED }, { NULL, 0 },
};
static const struct pg_param_spec version_params[] = {
        { "path", 0 }, { "key", 0 }, { NULL, 0 },
};

const struct pg_check_kind pg_checks_release[] = {
        { "mdm-enrolled", check_mdm, mdm_params },
        { "os-version", check_version, version_params },
        { NULL, NULL, NULL },
};
