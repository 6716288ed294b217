/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The generic half of the payload schema check: property types, unknown and
 * missing properties and nodes, and the node path that names each error.
 * It runs only on payloads that pg_fdt_open() accepted.
 */
#include "gates/manifest_internal.h"

void pg_schema_init(struct pg_schema *st, const struct pg_fdt *fdt, uint32_t minor,
                    pg_manifest_diag_fn diag, void *ctx)
{
        memset(st, 0, sizeof(*st));
        st->fdt = fdt;
        st->minor = minor;
        st->diag = diag;
        st->ctx = ctx;
        st->path[0] = '/';
        st->path_len = 1;
}

void pg_schema_report(struct pg_schema *st, pg_err err, const char *name)
{
        if (st->first == PG_OK)
                st->first = err;
        if (st->diag)
                st->diag(st->ctx, err, st->path, name);
}

void pg_schema_push(struct pg_schema *st, const char *name)
{
        size_t n = strnlen(name, PG_MANIFEST_MAX_NAME);
        size_t at = st->path_len == 1 ? 1 : st->path_len + 1;

        /* The FDT walk caps depth and name length, so this always fits. */
        if (at + n >= sizeof(st->path))
                return;
        if (at > 1)
                st->path[st->path_len] = '/';
        memcpy(st->path + at, name, n);
        st->path_len = at + n;
        st->path[st->path_len] = 0;
}

void pg_schema_pop(struct pg_schema *st)
{
        char *slash = strrchr(st->path, '/');

        st->path_len = slash && slash != st->path ? (size_t)(slash - st->path) : 1;
        st->path[st->path_len] = 0;
}

bool pg_schema_may_ignore(const struct pg_schema *st, const char *name)
{
        static const char prefix[] = "optional-";

        return st->minor > PG_MANIFEST_FORMAT_MINOR &&
               strncmp(name, prefix, sizeof(prefix) - 1) == 0;
}

static bool pg_printable(uint8_t c)
{
        return c >= 0x20 && c <= 0x7e;
}

/* Checks one string of a string or string-list property: len bytes before
 * its NUL. */
static pg_err pg_check_string(const uint8_t *s, size_t len, const struct pg_prop_spec *spec)
{
        if (len == 0 && !(spec->flags & PG_PROP_EMPTY_OK))
                return PG_ERR_MANIFEST_BAD_STRING;
        if (len > spec->max_len)
                return PG_ERR_MANIFEST_STRING_TOO_LONG;
        for (size_t i = 0; i < len; i++)
                if (!pg_printable(s[i]))
                        return PG_ERR_MANIFEST_BAD_STRING;
        return PG_OK;
}

static pg_err pg_check_string_prop(const uint8_t *data, uint32_t len,
                                   const struct pg_prop_spec *spec, uint32_t *count)
{
        uint32_t pos = 0;
        pg_err err;

        if (len == 0)
                return PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH;
        if (data[len - 1] != 0)
                return PG_ERR_MANIFEST_UNTERMINATED_STRING;
        *count = 0;
        while (pos < len) {
                size_t n = strnlen((const char *)data + pos, len - pos);

                if (spec->kind == PG_PROP_STRING && pos + n + 1 != len)
                        return PG_ERR_MANIFEST_BAD_STRING;      /* embedded NUL */
                err = pg_check_string(data + pos, n, spec);
                if (err)
                        return err;
                if (++*count > spec->max_count && spec->kind == PG_PROP_STRING_LIST)
                        return PG_ERR_MANIFEST_TOO_MANY_ENTRIES;
                pos += (uint32_t)n + 1;
        }
        return PG_OK;
}

static pg_err pg_check_value(const uint8_t *data, uint32_t len, const struct pg_prop_spec *spec,
                             uint32_t *count)
{
        *count = 1;
        switch (spec->kind) {
        case PG_PROP_STRING:
        case PG_PROP_STRING_LIST:
                return pg_check_string_prop(data, len, spec, count);
        case PG_PROP_U32:
                return len == 4 ? PG_OK : PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH;
        case PG_PROP_U64:
        case PG_PROP_U32_PAIR:
                return len == 8 ? PG_OK : PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH;
        case PG_PROP_SHA256:
                return len == 32 ? PG_OK : PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH;
        case PG_PROP_SHA256_LIST:
                if (len == 0 || len % 32 != 0)
                        return PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH;
                *count = len / 32;
                return *count > spec->max_count ? PG_ERR_MANIFEST_TOO_MANY_ENTRIES : PG_OK;
        }
        return PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH;
}

static int pg_find_prop_spec(const struct pg_prop_spec *specs, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (!strcmp(specs[i].name, name))
                        return (int)i;
        return -1;
}

bool pg_schema_props(struct pg_schema *st, int node, const struct pg_prop_spec *specs,
                     size_t n, struct pg_prop_value *values)
{
        bool clean = true;
        bool seen[PG_MANIFEST_MAX_PROPERTIES] = { false };
        struct pg_fdt_prop prop;

        if (n > 0)
                memset(values, 0, n * sizeof(*values));
        for (bool more = pg_fdt_first_prop(st->fdt, node, &prop); more;
             more = pg_fdt_next_prop(st->fdt, &prop)) {
                int i = pg_find_prop_spec(specs, n, prop.name);
                pg_err err;

                if (i < 0) {
                        if (!pg_schema_may_ignore(st, prop.name)) {
                                pg_schema_report(st, PG_ERR_MANIFEST_UNKNOWN_PROPERTY, prop.name);
                                clean = false;
                        }
                        continue;
                }
                seen[i] = true;
                err = pg_check_value(prop.value, prop.len, &specs[i], &values[i].count);
                if (err) {
                        pg_schema_report(st, err, prop.name);
                        clean = false;
                        continue;
                }
                values[i].present = true;
                values[i].data = prop.value;
                values[i].len = prop.len;
        }
        for (size_t i = 0; i < n; i++) {
                if ((specs[i].flags & PG_PROP_REQUIRED) && !seen[i]) {
                        pg_schema_report(st, PG_ERR_MANIFEST_MISSING_PROPERTY, specs[i].name);
                        clean = false;
                }
        }
        return clean;
}

static int pg_find_node_spec(const struct pg_node_spec *specs, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (!strcmp(specs[i].name, name))
                        return (int)i;
        return -1;
}

void pg_schema_children(struct pg_schema *st, int node, const struct pg_node_spec *specs,
                        size_t n, void *arg)
{
        bool seen[PG_MANIFEST_MAX_SUBNODES] = { false };
        int child;

        for (child = pg_fdt_first_subnode(st->fdt, node); child >= 0;
             child = pg_fdt_next_subnode(st->fdt, child)) {
                const char *name = pg_fdt_node_name(st->fdt, child);
                int i = pg_find_node_spec(specs, n, name);

                if (i < 0) {
                        if (!pg_schema_may_ignore(st, name))
                                pg_schema_report(st, PG_ERR_MANIFEST_UNKNOWN_NODE, name);
                        continue;
                }
                seen[i] = true;
                pg_schema_push(st, name);
                specs[i].handler(st, child, arg);
                pg_schema_pop(st);
        }
        for (size_t i = 0; i < n; i++)
                if (specs[i].required && !seen[i])
                        pg_schema_report(st, PG_ERR_MANIFEST_MISSING_NODE, specs[i].name);
}

int pg_schema_enum(const struct pg_prop_value *v, const char *const *names)
{
        if (!v->present)
                return -1;
        for (int i = 0; names[i]; i++)
                if (!strcmp((const char *)v->data, names[i]))
                        return i;
        return -1;
}

const char *pg_schema_str(const struct pg_prop_value *v)
{
        return v->present ? (const char *)v->data : NULL;
}

uint32_t pg_schema_u32(const struct pg_prop_value *v)
{
        return pg_load_be32(v->data);
}

void pg_schema_no_children(struct pg_schema *st, int node)
{
        pg_schema_children(st, node, NULL, 0, NULL);
}

bool pg_schema_entry_name(struct pg_schema *st, const char *name)
{
        if (memchr(name, '@', strlen(name)) == NULL)
                return true;
        pg_schema_report(st, PG_ERR_MANIFEST_FDT_BAD_NAME, name);
        return false;
}
