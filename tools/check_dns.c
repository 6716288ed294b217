/* SPDX-License-Identifier: BSD-2-Clause */
/* Name resolution: the name servers of /etc/resolv.conf, and the DNS-over-TLS
 * and DNSSEC modes of systemd-resolved. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/runtime_checks.h"

#define RESOLV_CONF_PATH "/etc/resolv.conf"
#define RESOLVED_CONF_PATH "/etc/systemd/resolved.conf"
#define RESOLVED_DROPIN_MAX 64

/* Returns the next white-space separated word of *p, NUL-terminated in place. */
static char *next_word(char **p)
{
        char *s = *p, *w;

        while (*s && isspace((unsigned char)*s))
                s++;
        if (!*s)
                return NULL;
        w = s;
        while (*s && !isspace((unsigned char)*s))
                s++;
        if (*s)
                *s++ = '\0';
        *p = s;
        return w;
}

static void check_nameservers(const struct pg_check_ctx *ctx)
{
        char *data = pg_check_read(ctx, RESOLV_CONF_PATH, NULL);
        unsigned count = 0;

        if (!data)
                return;
        for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
                char *p = line, *key = next_word(&p), *addr;

                if (!key || strcmp(key, "nameserver") != 0)
                        continue;
                addr = next_word(&p);
                if (!addr)
                        continue;
                count++;
                if (!pg_param_has(ctx, "allow", addr, strlen(addr)))
                        pg_check_violated(ctx, PG_ERR_CHECK_NAMESERVER_NOT_ALLOWED,
                                          "nameserver %.64s", addr);
        }
        if (count == 0)
                pg_check_violated(ctx, PG_ERR_CHECK_NO_NAMESERVER, "%s has no nameserver line",
                                  RESOLV_CONF_PATH);
        pg_check_pass(ctx);
        free(data);
}

/* ---- systemd-resolved --------------------------------------------------- */

/* Drop-in folders, lowest priority first: a file in a later folder replaces
 * one of the same name in an earlier folder (systemd.unit(5) rules). */
static const char *const dropin_dirs[] = {
        "/usr/lib/systemd/resolved.conf.d",
        "/run/systemd/resolved.conf.d",
        "/etc/systemd/resolved.conf.d",
};

struct resolved_settings {
        char dns_over_tls[32];
        char dnssec[32];
        unsigned files;                 /* configuration files read */
};

/* Applies the [Resolve] assignments of one file; the last one wins. */
static void resolved_apply(char *data, struct resolved_settings *s)
{
        bool in_resolve = false;

        for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
                char *eq, *key, *value, *end;

                while (isspace((unsigned char)*line))
                        line++;
                if (*line == '#' || *line == ';' || *line == '\0')
                        continue;
                if (*line == '[') {
                        in_resolve = !strncmp(line, "[Resolve]", 9);
                        continue;
                }
                eq = strchr(line, '=');
                if (!in_resolve || !eq)
                        continue;
                *eq = '\0';
                key = line;
                for (end = eq; end > key && isspace((unsigned char)end[-1]); end--)
                        end[-1] = '\0';
                value = eq + 1;
                while (isspace((unsigned char)*value))
                        value++;
                for (end = value + strlen(value); end > value && isspace((unsigned char)end[-1]); )
                        *--end = '\0';
                if (!strcmp(key, "DNSOverTLS"))
                        snprintf(s->dns_over_tls, sizeof(s->dns_over_tls), "%s", value);
                else if (!strcmp(key, "DNSSEC"))
                        snprintf(s->dnssec, sizeof(s->dnssec), "%s", value);
        }
}

static void resolved_read(const struct pg_check_ctx *ctx, const char *path,
                          struct resolved_settings *s)
{
        char *data;
        size_t len;

        if (pg_rootfs_read(ctx->root, path, PG_CHECK_READ_MAX, &data, &len) != 0) {
                if (errno != ENOENT)
                        pg_check_unknown_errno(ctx, path, errno);
                return;
        }
        s->files++;
        resolved_apply(data, s);
        free(data);
}

struct dropin {
        char name[NAME_MAX + 1];
        unsigned dir;                   /* index in dropin_dirs of the winning copy */
};

static int dropin_cmp(const void *a, const void *b)
{
        return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

/* Adds the *.conf names of one folder; a name already listed moves to this
 * folder, which has the higher priority. Returns false after reporting. */
static bool dropin_list(const struct pg_check_ctx *ctx, unsigned d, struct dropin *list,
                        size_t *count)
{
        int fd = pg_rootfs_open_at(ctx->root, dropin_dirs[d], O_RDONLY | O_DIRECTORY);
        struct dirent *de;
        DIR *dir;

        if (fd < 0) {
                if (errno == ENOENT)
                        return true;
                pg_check_unknown_errno(ctx, dropin_dirs[d], errno);
                return false;
        }
        dir = fdopendir(fd);
        if (!dir) {
                pg_check_unknown_errno(ctx, dropin_dirs[d], errno);
                close(fd);
                return false;
        }
        while ((de = readdir(dir)) != NULL) {
                size_t n = strlen(de->d_name), i;

                if (n < 6 || strcmp(de->d_name + n - 5, ".conf") != 0)
                        continue;
                for (i = 0; i < *count && strcmp(list[i].name, de->d_name) != 0; i++)
                        ;
                if (i == *count) {
                        if (*count == RESOLVED_DROPIN_MAX) {
                                pg_check_unknown(ctx, PG_ERR_CHECK_WALK_LIMIT,
                                                 "more than %d drop-ins", RESOLVED_DROPIN_MAX);
                                closedir(dir);
                                return false;
                        }
                        snprintf(list[i].name, sizeof(list[i].name), "%s", de->d_name);
                        (*count)++;
                }
                list[i].dir = d;
        }
        closedir(dir);
        return true;
}

/* Reads resolved.conf and then its drop-ins in lexical order of file name. */
static bool resolved_load(const struct pg_check_ctx *ctx, struct resolved_settings *s)
{
        struct dropin *list = calloc(RESOLVED_DROPIN_MAX, sizeof(*list));
        size_t count = 0;
        char path[PATH_MAX];
        bool ok = list != NULL;

        resolved_read(ctx, RESOLVED_CONF_PATH, s);
        for (unsigned d = 0; ok && d < PG_ARRAY_SIZE(dropin_dirs); d++)
                ok = dropin_list(ctx, d, list, &count);
        if (ok) {
                qsort(list, count, sizeof(*list), dropin_cmp);
                for (size_t i = 0; i < count; i++) {
                        snprintf(path, sizeof(path), "%s/%s", dropin_dirs[list[i].dir],
                                 list[i].name);
                        resolved_read(ctx, path, s);
                }
        }
        free(list);
        return ok;
}

/* Returns the rank of a setting's value among the allowed ones, weakest
 * first, or -1 for a value outside the list. */
static int mode_rank(const char *value, const char *const *modes)
{
        for (int i = 0; modes[i]; i++)
                if (!strcmp(value, modes[i]))
                        return i;
        return -1;
}

static void resolved_compare(const struct pg_check_ctx *ctx, const char *param,
                             const char *key, const char *have, const char *const *modes,
                             pg_err reason)
{
        const char *want = pg_param(ctx, param);
        int want_rank, have_rank;

        if (!want)
                return;
        want_rank = mode_rank(want, modes);
        if (want_rank <= 0) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "%s=%s is not a required mode",
                                 param, want);
                return;
        }
        have_rank = have[0] ? mode_rank(have, modes) : 0;
        if (have_rank < 0)
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED, "%s=%.31s is not valid",
                                 key, have);
        else if (have_rank < want_rank)
                pg_check_violated(ctx, reason, "%s is %s, %s required", key,
                                  have[0] ? have : "not set", want);
}

static void check_resolved(const struct pg_check_ctx *ctx)
{
        /* "true" and "false" are systemd's boolean spellings of yes and no. */
        static const char *const dot_modes[] = { "no", "opportunistic", "yes", NULL };
        static const char *const dnssec_modes[] = { "no", "allow-downgrade", "yes", NULL };
        struct resolved_settings s = { "", "", 0 };

        if (!pg_param(ctx, "dns-over-tls") && !pg_param(ctx, "dnssec")) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "no dns-over-tls or dnssec");
                return;
        }
        if (!resolved_load(ctx, &s))
                return;
        if (s.files == 0) {
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MISSING,
                                 "no %s and no drop-in", RESOLVED_CONF_PATH);
                return;
        }
        if (!strcmp(s.dns_over_tls, "true"))
                strcpy(s.dns_over_tls, "yes");
        if (!strcmp(s.dnssec, "true"))
                strcpy(s.dnssec, "yes");
        if (!strcmp(s.dns_over_tls, "false"))
                strcpy(s.dns_over_tls, "no");
        if (!strcmp(s.dnssec, "false"))
                strcpy(s.dnssec, "no");
        resolved_compare(ctx, "dns-over-tls", "DNSOverTLS", s.dns_over_tls, dot_modes,
                         PG_ERR_CHECK_DNS_OVER_TLS);
        resolved_compare(ctx, "dnssec", "DNSSEC", s.dnssec, dnssec_modes, PG_ERR_CHECK_DNSSEC);
        pg_check_pass(ctx);
}

static const struct pg_param_spec nameserver_params[] = {
        { "allow", PG_PARAM_REQUIRED | PG_PARAM_LIST }, { NULL, 0 },
};
static const struct pg_param_spec resolved_params[] = {
        { "dns-over-tls", 0 }, { "dnssec", 0 }, { NULL, 0 },
};

const struct pg_check_kind pg_checks_dns[] = {
        { "resolver-nameservers", check_nameservers, nameserver_params },
        { "resolved-dns", check_resolved, resolved_params },
        { NULL, NULL, NULL },
};
