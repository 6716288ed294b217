/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel state: lockdown, the LSMs (SELinux, AppArmor), module signature
 * enforcement, sysctl values and the kernel command line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/runtime_checks.h"

#define LOCKDOWN_PATH "/sys/kernel/security/lockdown"
#define SELINUX_ENFORCE_PATH "/sys/fs/selinux/enforce"
#define APPARMOR_ENABLED_PATH "/sys/module/apparmor/parameters/enabled"
#define APPARMOR_PROFILES_PATH "/sys/kernel/security/apparmor/profiles"
#define SIG_ENFORCE_PATH "/sys/module/module/parameters/sig_enforce"
#define CMDLINE_PATH "/proc/cmdline"

static const char *const lockdown_modes[] = { "none", "integrity", "confidentiality" };

static int lockdown_rank(const char *name, size_t len)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(lockdown_modes); i++)
                if (strlen(lockdown_modes[i]) == len && !strncmp(lockdown_modes[i], name, len))
                        return (int)i;
        return -1;
}

/*
 * Reads the active lockdown mode, the bracketed word of
 * "none [integrity] confidentiality". Returns its rank, or -1 after
 * reporting unknown.
 */
static int lockdown_active(const struct pg_check_ctx *ctx)
{
        char *data = pg_check_read(ctx, LOCKDOWN_PATH, NULL);
        const char *open, *close;
        int rank = -1;

        if (!data)
                return -1;
        open = strchr(data, '[');
        close = open ? strchr(open, ']') : NULL;
        if (close && !strchr(close + 1, '['))
                rank = lockdown_rank(open + 1, (size_t)(close - open - 1));
        if (rank < 0)
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED,
                                 "%s: no active mode in brackets", LOCKDOWN_PATH);
        free(data);
        return rank;
}

static void check_lockdown(const struct pg_check_ctx *ctx)
{
        const char *mode = pg_param(ctx, "mode");
        int want = lockdown_rank(mode ? mode : "integrity", strlen(mode ? mode : "integrity"));
        int have;

        if (want <= 0) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                 "mode=%s is not integrity or confidentiality", mode);
                return;
        }
        have = lockdown_active(ctx);
        if (have < 0)
                return;
        if (have < want)
                pg_check_violated(ctx, PG_ERR_CHECK_LOCKDOWN_MODE, "lockdown is %s, %s required",
                                  lockdown_modes[have], lockdown_modes[want]);
        pg_check_pass(ctx);
}

/* Returns the first line of a small pseudo-file with trailing white space
 * removed, or NULL after reporting unknown. */
static char *read_value(const struct pg_check_ctx *ctx, const char *path)
{
        char *data = pg_check_read(ctx, path, NULL);
        size_t len;

        if (!data)
                return NULL;
        len = strcspn(data, "\n");
        while (len > 0 && isspace((unsigned char)data[len - 1]))
                len--;
        data[len] = '\0';
        return data;
}

static void check_selinux(const struct pg_check_ctx *ctx)
{
        char *v = read_value(ctx, SELINUX_ENFORCE_PATH);

        if (!v)
                return;
        if (!strcmp(v, "0"))
                pg_check_violated(ctx, PG_ERR_CHECK_SELINUX_PERMISSIVE, "%s is 0",
                                  SELINUX_ENFORCE_PATH);
        else if (strcmp(v, "1") != 0)
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED, "%s is '%.32s'",
                                 SELINUX_ENFORCE_PATH, v);
        pg_check_pass(ctx);
        free(v);
}

/* Counts the lines of the profiles file, or those ending in "(enforce)". */
static unsigned long count_profiles(const char *data, bool enforce_only)
{
        unsigned long n = 0;

        for (const char *line = data; *line; ) {
                size_t len = strcspn(line, "\n");
                static const char suffix[] = " (enforce)";

                if (len > 0 && (!enforce_only || (len >= sizeof(suffix) - 1 &&
                    !strncmp(line + len - (sizeof(suffix) - 1), suffix, sizeof(suffix) - 1))))
                        n++;
                line += len + (line[len] == '\n');
        }
        return n;
}

static void check_apparmor(const struct pg_check_ctx *ctx)
{
        const char *mode = pg_param(ctx, "mode");
        unsigned long min = 1, n;
        bool present;
        char *v, *data;

        if (!pg_param_number(ctx, "min-profiles", 10, &min, &present))
                return;
        if (mode && strcmp(mode, "enforce") != 0 && strcmp(mode, "any") != 0) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "mode=%s is not enforce or any",
                                 mode);
                return;
        }
        v = read_value(ctx, APPARMOR_ENABLED_PATH);
        if (!v)
                return;
        if (strcmp(v, "Y") != 0) {
                pg_check_violated(ctx, PG_ERR_CHECK_APPARMOR_DISABLED, "%s is '%.32s'",
                                  APPARMOR_ENABLED_PATH, v);
                free(v);
                return;
        }
        free(v);
        data = pg_check_read(ctx, APPARMOR_PROFILES_PATH, NULL);
        if (!data)
                return;
        n = count_profiles(data, mode && !strcmp(mode, "enforce"));
        if (n < min)
                pg_check_violated(ctx, PG_ERR_CHECK_APPARMOR_PROFILES,
                                  "%lu %sprofiles loaded, %lu required", n,
                                  mode && !strcmp(mode, "enforce") ? "enforcing " : "", min);
        pg_check_pass(ctx);
        free(data);
}

/* Module signatures are enforced by sig_enforce=Y, or by any lockdown mode
 * (lockdown refuses unsigned modules). */
static void check_module_signatures(const struct pg_check_ctx *ctx)
{
        struct pg_check_state probe = { 0 };
        struct pg_check_ctx quiet = *ctx;
        char *v;
        int lockdown;

        quiet.state = &probe;
        v = read_value(&quiet, SIG_ENFORCE_PATH);
        if (v && !strcmp(v, "Y")) {
                free(v);
                pg_check_pass(ctx);
                return;
        }
        lockdown = lockdown_active(&quiet);
        if (lockdown > 0) {
                free(v);
                pg_check_pass(ctx);
                return;
        }
        if (v && !strcmp(v, "N") && lockdown == 0)
                pg_check_violated(ctx, PG_ERR_CHECK_MODULE_SIG_NOT_ENFORCED,
                                  "sig_enforce is N and lockdown is none");
        else if (v && strcmp(v, "N") != 0)
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED, "%s is '%.32s'",
                                 SIG_ENFORCE_PATH, v);
        else
                pg_check_unknown(ctx, probe.missing, "%s", probe.missing_detail);
        free(v);
        pg_check_pass(ctx);
}

/* Maps "net.ipv4.ip_forward" or "net/ipv4/ip_forward" to its /proc/sys path. */
static bool sysctl_path(const char *name, char *out, size_t cap)
{
        size_t n = strlen(name);

        if (n == 0 || n + sizeof("/proc/sys/") > cap || strstr(name, ".."))
                return false;
        for (const char *p = name; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("._-/", *p))
                        return false;
        snprintf(out, cap, "/proc/sys/%s", name);
        if (!strchr(name, '/'))
                for (char *p = out + sizeof("/proc/sys/") - 1; *p; p++)
                        if (*p == '.')
                                *p = '/';
        return true;
}

/* Collapses runs of white space to one space, as sysctl(8) prints tabs. */
static void normalize_space(char *s)
{
        char *w = s;
        bool space = false;

        for (char *r = s; *r; r++) {
                if (isspace((unsigned char)*r)) {
                        space = w != s;
                        continue;
                }
                if (space)
                        *w++ = ' ';
                space = false;
                *w++ = *r;
        }
        *w = '\0';
}

static void sysctl_compare(const struct pg_check_ctx *ctx, const char *name, const char *have)
{
        const char *want = pg_param(ctx, "value");
        unsigned long min = 0, max = 0, num;
        bool has_min, has_max;
        char expect[256], *end;

        if (!pg_param_number(ctx, "min", 10, &min, &has_min) ||
            !pg_param_number(ctx, "max", 10, &max, &has_max))
                return;
        if (!want && !has_min && !has_max) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "no value, min or max");
                return;
        }
        if (want) {
                snprintf(expect, sizeof(expect), "%s", want);
                normalize_space(expect);
                if (strcmp(expect, have) != 0)
                        pg_check_violated(ctx, PG_ERR_CHECK_SYSCTL_VALUE,
                                          "%s is '%.64s', '%.64s' required", name, have, expect);
        }
        if (has_min || has_max) {
                num = strtoul(have, &end, 10);
                if (*have < '0' || *have > '9' || *end != '\0')
                        pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED,
                                         "%s is '%.64s', not a number", name, have);
                else if (has_min && num < min)
                        pg_check_violated(ctx, PG_ERR_CHECK_SYSCTL_VALUE,
                                          "%s is %lu, at least %lu required", name, num, min);
                else if (has_max && num > max)
                        pg_check_violated(ctx, PG_ERR_CHECK_SYSCTL_VALUE,
                                          "%s is %lu, at most %lu allowed", name, num, max);
        }
        pg_check_pass(ctx);
}

static void check_sysctl(const struct pg_check_ctx *ctx)
{
        const char *name = pg_param(ctx, "name");
        char path[512], *v;

        if (!sysctl_path(name, path, sizeof(path))) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "name=%s is not a sysctl name",
                                 name);
                return;
        }
        v = pg_check_read(ctx, path, NULL);
        if (!v)
                return;
        normalize_space(v);
        if (v[0] == '\0')
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED, "%s is empty", name);
        else
                sysctl_compare(ctx, name, v);
        free(v);
}

/* ---- kernel command line ------------------------------------------------- */

#define CMDLINE_MAX_TOKENS 512

struct cmdline {
        size_t count;
        char *tokens[CMDLINE_MAX_TOKENS];
};

/* Splits at white space outside double quotes and removes the quotes, as
 * the kernel's next_arg() does. */
static bool cmdline_split(char *s, struct cmdline *cl)
{
        cl->count = 0;
        while (*s) {
                char *w;
                bool quoted = false;

                while (isspace((unsigned char)*s))
                        s++;
                if (!*s)
                        break;
                if (cl->count == CMDLINE_MAX_TOKENS)
                        return false;
                cl->tokens[cl->count++] = w = s;
                for (; *s && (quoted || !isspace((unsigned char)*s)); s++) {
                        if (*s == '"')
                                quoted = !quoted;
                        else
                                *w++ = *s;
                }
                if (*s)
                        s++;
                *w = '\0';
        }
        return true;
}

/* A pattern with '=' matches the token exactly; "name" matches "name" and
 * every "name=value". */
static bool cmdline_match(const char *token, const char *pat, size_t len)
{
        size_t tlen = strlen(token);

        if (memchr(pat, '=', len))
                return tlen == len && !memcmp(token, pat, len);
        return !strncmp(token, pat, len) && (token[len] == '\0' || token[len] == '=');
}

struct cmdline_scan {
        const struct pg_check_ctx *ctx;
        const struct cmdline *cl;
        bool forbid;
};

static bool cmdline_item(void *arg, const char *pat, size_t len)
{
        struct cmdline_scan *s = arg;
        size_t i;

        for (i = 0; i < s->cl->count; i++)
                if (cmdline_match(s->cl->tokens[i], pat, len))
                        break;
        if (s->forbid && i < s->cl->count)
                pg_check_violated(s->ctx, PG_ERR_CHECK_CMDLINE_FORBIDDEN, "'%s' is present",
                                  s->cl->tokens[i]);
        else if (!s->forbid && i == s->cl->count)
                pg_check_violated(s->ctx, PG_ERR_CHECK_CMDLINE_MISSING, "'%.*s' is missing",
                                  (int)len, pat);
        return true;
}

static void check_cmdline(const struct pg_check_ctx *ctx)
{
        struct cmdline *cl = malloc(sizeof(*cl));
        struct cmdline_scan scan = { ctx, cl, false };
        char *data;

        if (!pg_param(ctx, "require") && !pg_param(ctx, "forbid")) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "no require or forbid");
                free(cl);
                return;
        }
        data = cl ? pg_check_read(ctx, CMDLINE_PATH, NULL) : NULL;
        if (!data) {
                free(cl);
                return;
        }
        if (!cmdline_split(data, cl)) {
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED, "%s has more than %d parameters",
                                 CMDLINE_PATH, CMDLINE_MAX_TOKENS);
        } else {
                pg_param_each(ctx, "require", cmdline_item, &scan);
                scan.forbid = true;
                pg_param_each(ctx, "forbid", cmdline_item, &scan);
        }
        pg_check_pass(ctx);
        free(data);
        free(cl);
}

static const struct pg_param_spec lockdown_params[] = { { "mode", 0 }, { NULL, 0 } };
static const struct pg_param_spec no_params[] = { { NULL, 0 } };
static const struct pg_param_spec apparmor_params[] = {
        { "min-profiles", 0 }, { "mode", 0 }, { NULL, 0 },
};
static const struct pg_param_spec sysctl_params[] = {
        { "name", PG_PARAM_REQUIRED }, { "value", 0 }, { "min", 0 }, { "max", 0 }, { NULL, 0 },
};
static const struct pg_param_spec cmdline_params[] = {
        { "require", PG_PARAM_LIST }, { "forbid", PG_PARAM_LIST }, { NULL, 0 },
};

const struct pg_check_kind pg_checks_kernel[] = {
        { "kernel-lockdown", check_lockdown, lockdown_params },
        { "selinux-enforcing", check_selinux, no_params },
        { "apparmor-profiles", check_apparmor, apparmor_params },
        { "module-signatures", check_module_signatures, no_params },
        { "sysctl", check_sysctl, sysctl_params },
        { "kernel-cmdline", check_cmdline, cmdline_params },
        { NULL, NULL, NULL },
};
