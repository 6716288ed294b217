/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/runtime_checks.h"

static const struct pg_check_kind *const pg_check_tables[] = {
        pg_checks_kernel, pg_checks_fs, pg_checks_mount, pg_checks_setid,
        pg_checks_net, pg_checks_dns, pg_checks_device, pg_checks_services,
        pg_checks_release,
};

const struct pg_check_kind *pg_check_kind_find(const char *name)
{
        for (size_t t = 0; t < PG_ARRAY_SIZE(pg_check_tables); t++)
                for (const struct pg_check_kind *k = pg_check_tables[t]; k->name; k++)
                        if (!strcmp(k->name, name))
                                return k;
        return NULL;
}

/* ---- reporting ---------------------------------------------------------- */

void pg_check_pass(const struct pg_check_ctx *ctx)
{
        ctx->state->passed = true;
}

void pg_check_violated(const struct pg_check_ctx *ctx, pg_err reason, const char *fmt, ...)
{
        struct pg_check_state *s = ctx->state;
        va_list ap;

        if (s->violated)
                return;
        s->violated = true;
        s->violation = reason;
        va_start(ap, fmt);
        vsnprintf(s->violation_detail, sizeof(s->violation_detail), fmt, ap);
        va_end(ap);
}

void pg_check_unknown(const struct pg_check_ctx *ctx, pg_err reason, const char *fmt, ...)
{
        struct pg_check_state *s = ctx->state;
        va_list ap;

        if (s->incomplete)
                return;
        s->incomplete = true;
        s->missing = reason;
        va_start(ap, fmt);
        vsnprintf(s->missing_detail, sizeof(s->missing_detail), fmt, ap);
        va_end(ap);
}

void pg_check_unknown_errno(const struct pg_check_ctx *ctx, const char *path, int err)
{
        pg_err reason = err == ENOENT || err == ENOTDIR ? PG_ERR_CHECK_EVIDENCE_MISSING :
                        PG_ERR_CHECK_EVIDENCE_UNREADABLE;

        pg_check_unknown(ctx, reason, "%s: %s", path, strerror(err));
}

char *pg_check_read(const struct pg_check_ctx *ctx, const char *path, size_t *len)
{
        char *data;
        size_t n;

        if (pg_rootfs_read(ctx->root, path, PG_CHECK_READ_MAX, &data, &n) != 0) {
                pg_check_unknown_errno(ctx, path, errno);
                return NULL;
        }
        if (len)
                *len = n;
        return data;
}

/* ---- parameters --------------------------------------------------------- */

static bool pg_param_is(const struct pg_check_params *p, size_t i, const char *name)
{
        return p->name_lens[i] == strlen(name) && !strncmp(p->names[i], name, p->name_lens[i]);
}

const char *pg_param(const struct pg_check_ctx *ctx, const char *name)
{
        const struct pg_check_params *p = ctx->params;
        const char *value = NULL;

        for (size_t i = 0; i < p->count; i++)
                if (pg_param_is(p, i, name))
                        value = p->values[i];
        return value;
}

bool pg_param_each(const struct pg_check_ctx *ctx, const char *name,
                   bool (*fn)(void *arg, const char *item, size_t len), void *arg)
{
        const struct pg_check_params *p = ctx->params;

        for (size_t i = 0; i < p->count; i++) {
                const char *v = p->values[i];

                if (!pg_param_is(p, i, name))
                        continue;
                while (*v) {
                        size_t len = strcspn(v, ",");

                        if (len > 0 && !fn(arg, v, len))
                                return false;
                        v += len;
                        if (*v == ',')
                                v++;
                }
        }
        return true;
}

struct pg_param_find {
        const char *item;
        size_t len;
        bool found;
};

static bool pg_param_match(void *arg, const char *item, size_t len)
{
        struct pg_param_find *f = arg;

        if (len == f->len && !memcmp(item, f->item, len)) {
                f->found = true;
                return false;
        }
        return true;
}

bool pg_param_has(const struct pg_check_ctx *ctx, const char *name, const char *item,
                  size_t len)
{
        struct pg_param_find f = { item, len, false };

        pg_param_each(ctx, name, pg_param_match, &f);
        return f.found;
}

bool pg_param_number(const struct pg_check_ctx *ctx, const char *name, int base,
                     unsigned long *out, bool *present)
{
        const char *v = pg_param(ctx, name);
        char *end;

        *present = v != NULL;
        if (!v)
                return true;
        errno = 0;
        *out = strtoul(v, &end, base);
        if (*v < '0' || *v > '9' || *end != '\0' || errno) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "%s=%s is not a number", name, v);
                return false;
        }
        return true;
}

static const struct pg_param_spec *pg_param_spec(const struct pg_check_kind *kind,
                                                 const struct pg_check_params *p, size_t i)
{
        for (const struct pg_param_spec *s = kind->params; s->name; s++)
                if (pg_param_is(p, i, s->name))
                        return s;
        return NULL;
}

/* Splits the manifest's parameter list and checks it against the kind's
 * rules; reports BAD_PARAMETER and returns false on the first problem. */
static bool pg_params_parse(const struct pg_check_ctx *ctx, const struct pg_check_kind *kind,
                            const struct pg_manifest_check *c, struct pg_check_params *p)
{
        uint32_t pos = 0;

        p->count = 0;
        for (uint32_t i = 0; i < c->parameter_count && pos < c->parameters_len; i++) {
                const char *entry = c->parameters + pos;
                const char *eq = strchr(entry, '=');

                pos += (uint32_t)strlen(entry) + 1;
                if (!eq || eq == entry || p->count == PG_MANIFEST_MAX_PARAMETERS) {
                        pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                         "parameter '%s' is not NAME=VALUE", entry);
                        return false;
                }
                p->names[p->count] = entry;
                p->name_lens[p->count] = (size_t)(eq - entry);
                p->values[p->count] = eq + 1;
                p->count++;
        }
        for (size_t i = 0; i < p->count; i++) {
                const struct pg_param_spec *s = pg_param_spec(kind, p, i);

                if (!s) {
                        pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                         "unknown parameter '%.*s'", (int)p->name_lens[i],
                                         p->names[i]);
                        return false;
                }
                for (size_t j = 0; j < i && !(s->flags & PG_PARAM_LIST); j++) {
                        if (pg_param_is(p, j, s->name)) {
                                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                                 "parameter '%s' given twice", s->name);
                                return false;
                        }
                }
        }
        for (const struct pg_param_spec *s = kind->params; s->name; s++) {
                if ((s->flags & PG_PARAM_REQUIRED) && !pg_param(ctx, s->name)) {
                        pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                         "missing parameter '%s'", s->name);
                        return false;
                }
        }
        return true;
}

/* ---- evaluation --------------------------------------------------------- */

static void pg_check_finish(const struct pg_manifest_check *c, const struct pg_check_state *s,
                            struct pg_check_result *out)
{
        uint32_t severity = c->severity == PG_SEVERITY_DEGRADED ? PG_OUTCOME_DEGRADED :
                            PG_OUTCOME_FAIL;
        struct pg_result violated = { severity, s->violation };
        struct pg_result unknown = { PG_OUTCOME_UNKNOWN, s->missing };
        struct pg_result r = { PG_OUTCOME_PASS, PG_OK };
        const char *detail = "";

        if (s->violated && s->incomplete) {
                r = pg_result_combine(violated, unknown);
                detail = r.reason == s->violation ? s->violation_detail : s->missing_detail;
        } else if (s->violated) {
                r = violated;
                detail = s->violation_detail;
        } else if (s->incomplete) {
                r = unknown;
                detail = s->missing_detail;
        } else if (!s->passed) {
                r = (struct pg_result){ PG_OUTCOME_UNKNOWN, PG_ERR_CHECK_NOT_EVALUATED };
        }
        /* A violation or gap reported without a code still never passes. */
        if (r.outcome != PG_OUTCOME_PASS && r.reason == PG_OK)
                r.reason = PG_ERR_CHECK_NOT_EVALUATED;
        out->result = r;
        snprintf(out->detail, sizeof(out->detail), "%s", detail);
        /* A detail quotes evidence, which may contain any byte, so control
         * characters become '?' and the detail stays one printable line. */
        for (char *p = out->detail; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = '?';
}

void pg_check_run(const struct pg_rootfs *root, const struct pg_manifest *m,
                  const struct pg_manifest_check *check, struct pg_check_result *out)
{
        const struct pg_check_kind *kind = pg_check_kind_find(check->kind);
        struct pg_check_params params = { 0 };
        struct pg_check_state state = { 0 };
        struct pg_check_ctx ctx = { root, m, &params, &state };

        out->check = check;
        if (!kind)
                pg_check_unknown(&ctx, PG_ERR_CHECK_UNKNOWN_KIND, "kind '%s'", check->kind);
        else if (pg_params_parse(&ctx, kind, check, &params))
                kind->run(&ctx);
        pg_check_finish(check, &state, out);
}
