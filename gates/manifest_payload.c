/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The manifest payload: opens the FDT with the strict reader, walks the
 * schema from the root (the node handlers are in manifest_release.c and
 * manifest_policy.c), applies the key role rules and iterates the runtime
 * checks. docs/manifest.md documents every node and property.
 */
#include "gates/manifest_internal.h"

/* ---- root ------------------------------------------------------------- */

static const struct pg_prop_spec pg_root_props[] = {
        { "format-version", PG_PROP_U32_PAIR, PG_PROP_REQUIRED, 0, 1 },
};

static const struct pg_node_spec pg_root_children[] = {
        { "identity", true, pg_parse_identity },
        { "provenance", false, pg_parse_provenance },
        { "boot", true, pg_parse_boot },
        { "policy", true, pg_parse_policy },
        { "runtime-checks", false, pg_parse_checks },
};

/* Reads format-version ahead of the walk, because the rule for unknown names
 * depends on the minor version. A missing or malformed property is left to
 * the property walk to report. */
static void pg_read_format(struct pg_manifest *m)
{
        struct pg_fdt_prop prop;

        m->format_major = PG_MANIFEST_FORMAT_MAJOR;
        m->format_minor = PG_MANIFEST_FORMAT_MINOR;
        if (pg_fdt_find_prop(&m->fdt, PG_FDT_ROOT, "format-version", &prop) && prop.len == 8) {
                m->format_major = pg_load_be32(prop.value);
                m->format_minor = pg_load_be32(prop.value + 4);
        }
}

/* Maps each structural fault of the shared FDT reader to a manifest code. */
static const pg_err pg_manifest_fdt_errors[PG_FDT_FAULT_COUNT] = {
        [PG_FDT_FAULT_NONE] = PG_ERR_MANIFEST_FDT_BAD_TAG,
        [PG_FDT_FAULT_TOO_LARGE] = PG_ERR_MANIFEST_TOO_LARGE,
        [PG_FDT_FAULT_SHORT_HEADER] = PG_ERR_MANIFEST_FDT_TRUNCATED,
        [PG_FDT_FAULT_BAD_MAGIC] = PG_ERR_MANIFEST_FDT_BAD_MAGIC,
        [PG_FDT_FAULT_BAD_VERSION] = PG_ERR_MANIFEST_FDT_BAD_VERSION,
        [PG_FDT_FAULT_TRUNCATED] = PG_ERR_MANIFEST_FDT_BAD_TOTALSIZE,
        [PG_FDT_FAULT_TOTALSIZE_SHORT] = PG_ERR_MANIFEST_FDT_BAD_TOTALSIZE,
        [PG_FDT_FAULT_BAD_HEADER] = PG_ERR_MANIFEST_FDT_BAD_HEADER,
        [PG_FDT_FAULT_BAD_OFFSET] = PG_ERR_MANIFEST_FDT_BAD_OFFSET,
        [PG_FDT_FAULT_BLOCK_OVERLAP] = PG_ERR_MANIFEST_FDT_BLOCK_OVERLAP,
        [PG_FDT_FAULT_BAD_RSVMAP] = PG_ERR_MANIFEST_FDT_BAD_RSVMAP,
        [PG_FDT_FAULT_BAD_TAG] = PG_ERR_MANIFEST_FDT_BAD_TAG,
        [PG_FDT_FAULT_STRUCT_TRUNCATED] = PG_ERR_MANIFEST_FDT_STRUCT_TRUNCATED,
        [PG_FDT_FAULT_TRAILING_DATA] = PG_ERR_MANIFEST_FDT_TRAILING_DATA,
        [PG_FDT_FAULT_BAD_NAME] = PG_ERR_MANIFEST_FDT_BAD_NAME,
        [PG_FDT_FAULT_UNTERMINATED_NAME] = PG_ERR_MANIFEST_FDT_UNTERMINATED_NAME,
        [PG_FDT_FAULT_BAD_NAME_OFFSET] = PG_ERR_MANIFEST_FDT_BAD_NAME_OFFSET,
        [PG_FDT_FAULT_BAD_NESTING] = PG_ERR_MANIFEST_FDT_BAD_NESTING,
        [PG_FDT_FAULT_PROPERTY_AFTER_SUBNODE] = PG_ERR_MANIFEST_FDT_PROPERTY_AFTER_SUBNODE,
        [PG_FDT_FAULT_TOO_DEEP] = PG_ERR_MANIFEST_NODE_TOO_DEEP,
        [PG_FDT_FAULT_TOO_MANY_PROPERTIES] = PG_ERR_MANIFEST_TOO_MANY_PROPERTIES,
        [PG_FDT_FAULT_TOO_MANY_SUBNODES] = PG_ERR_MANIFEST_TOO_MANY_NODES,
        [PG_FDT_FAULT_DUPLICATE_PROPERTY] = PG_ERR_MANIFEST_DUPLICATE_PROPERTY,
        [PG_FDT_FAULT_DUPLICATE_NODE] = PG_ERR_MANIFEST_DUPLICATE_NODE,
        [PG_FDT_FAULT_BAD_PROPERTY_LENGTH] = PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH,
        [PG_FDT_FAULT_UNTERMINATED_STRING] = PG_ERR_MANIFEST_UNTERMINATED_STRING,
        [PG_FDT_FAULT_BAD_STRING] = PG_ERR_MANIFEST_BAD_STRING,
        [PG_FDT_FAULT_STRING_TOO_LONG] = PG_ERR_MANIFEST_STRING_TOO_LONG,
};

static const struct pg_fdt_rules pg_manifest_fdt_rules = {
        .max_size = PG_MANIFEST_MAX_SIZE,
        .max_depth = PG_MANIFEST_MAX_DEPTH,
        .max_properties = PG_MANIFEST_MAX_PROPERTIES,
        .max_subnodes = PG_MANIFEST_MAX_SUBNODES,
        .max_name = PG_MANIFEST_MAX_NAME,
        .errors = pg_manifest_fdt_errors,
};

static pg_err pg_manifest_walk(const uint8_t *payload, size_t len, pg_manifest_diag_fn diag,
                               void *ctx, struct pg_manifest *m)
{
        struct pg_schema st;
        struct pg_prop_value v[PG_ARRAY_SIZE(pg_root_props)];
        pg_err err;

        memset(m, 0, sizeof(*m));
        err = pg_fdt_open(&m->fdt, payload, len, &pg_manifest_fdt_rules);
        if (err) {
                if (diag)
                        diag(ctx, err, "/", NULL);
                return err;
        }
        m->payload = payload;
        m->payload_len = len;
        m->checks_node = -1;
        m->policy.gates_pcr = PG_MANIFEST_DEFAULT_GATES_PCR;
        pg_read_format(m);

        pg_schema_init(&st, &m->fdt, m->format_minor, diag, ctx);
        pg_schema_props(&st, PG_FDT_ROOT, pg_root_props, PG_ARRAY_SIZE(pg_root_props), v);
        if (m->format_major != PG_MANIFEST_FORMAT_MAJOR) {
                pg_schema_report(&st, PG_ERR_MANIFEST_UNSUPPORTED_FORMAT, "format-version");
                return st.first;
        }
        pg_schema_children(&st, PG_FDT_ROOT, pg_root_children, PG_ARRAY_SIZE(pg_root_children), m);
        return st.first;
}

pg_err pg_manifest_parse(const uint8_t *payload, size_t len, struct pg_manifest *out)
{
        struct pg_manifest m;
        pg_err err = pg_manifest_walk(payload, len, NULL, NULL, &m);

        if (err)
                return err;
        *out = m;
        return PG_OK;
}

pg_err pg_manifest_check_schema(const uint8_t *payload, size_t len,
                                pg_manifest_diag_fn diag, void *ctx)
{
        struct pg_manifest m;

        return pg_manifest_walk(payload, len, diag, ctx, &m);
}

pg_err pg_manifest_check_signer(const struct pg_manifest *m, uint32_t role)
{
        switch (role) {
        case PG_KEY_ROLE_RELEASE:
                return m->provenance.present ? PG_OK : PG_ERR_MANIFEST_PROVENANCE_REQUIRED;
        case PG_KEY_ROLE_DEVELOPMENT:
                return m->identity.build_type == PG_BUILD_PRODUCTION ?
                       PG_ERR_MANIFEST_DEVELOPMENT_KEY_PRODUCTION : PG_OK;
        }
        return PG_ERR_MANIFEST_KEYRING_BAD_KEY;
}

pg_err pg_manifest_load(const struct pg_keyring *ring, const uint8_t *buf, size_t len,
                        struct pg_manifest_verified *verified, struct pg_manifest *out)
{
        struct pg_manifest_verified v;
        struct pg_manifest m;
        pg_err err;

        err = pg_manifest_verify(ring, buf, len, &v);
        if (err)
                return err;
        err = pg_manifest_parse(v.payload, v.payload_len, &m);
        if (err)
                return err;
        err = pg_manifest_check_signer(&m, v.role);
        if (err)
                return err;
        *verified = v;
        *out = m;
        return PG_OK;
}

void pg_manifest_checks_begin(const struct pg_manifest *m, struct pg_manifest_check_iter *it)
{
        it->manifest = m;
        it->node = -1;
}

bool pg_manifest_checks_next(struct pg_manifest_check_iter *it, struct pg_manifest_check *out)
{
        const struct pg_manifest *m = it->manifest;
        struct pg_manifest_check check;
        struct pg_schema st;
        int next;

        if (m->checks_node < 0)
                return false;
        if (it->node < 0)
                next = pg_fdt_first_subnode(&m->fdt, m->checks_node);
        else
                next = pg_fdt_next_subnode(&m->fdt, it->node);
        if (next < 0)
                return false;

        /* The payload passed this same check in pg_manifest_parse(), so a
         * failure here means it changed in memory since, and iteration stops. */
        pg_schema_init(&st, &m->fdt, m->format_minor, NULL, NULL);
        pg_parse_check(&st, next, &check);
        if (st.first)
                return false;
        it->node = next;
        *out = check;
        return true;
}
