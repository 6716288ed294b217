/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reads a handoff blob from an untrusted source (a UEFI variable the OS can
 * rewrite, an event log sent to a verifier). Three passes, each complete
 * before the next: the FDT structure (fdt_strict.c), the schema with every
 * value decoded into a local struct, then the semantic rules of
 * pg_handoff_check(). The caller's struct is written only after all three.
 */
#include "gates/fdt_strict.h"
#include "gates/handoff.h"

/* Structural caps: objectives are the deepest nodes (root 0, gates 1, gate 2). */
#define HANDOFF_MAX_DEPTH 3
#define HANDOFF_MAX_PROPERTIES 16
#define HANDOFF_MAX_SUBNODES 16
#define HANDOFF_MAX_NAME 31

static const pg_err handoff_fdt_errors[PG_FDT_FAULT_COUNT] = {
        [PG_FDT_FAULT_NONE] = PG_ERR_HANDOFF_FDT_BAD_NESTING,
        [PG_FDT_FAULT_TOO_LARGE] = PG_ERR_HANDOFF_TOO_LARGE,
        [PG_FDT_FAULT_SHORT_HEADER] = PG_ERR_HANDOFF_TRUNCATED,
        [PG_FDT_FAULT_BAD_MAGIC] = PG_ERR_HANDOFF_FDT_BAD_MAGIC,
        [PG_FDT_FAULT_BAD_VERSION] = PG_ERR_HANDOFF_FDT_BAD_VERSION,
        [PG_FDT_FAULT_TRUNCATED] = PG_ERR_HANDOFF_TRUNCATED,
        [PG_FDT_FAULT_TOTALSIZE_SHORT] = PG_ERR_HANDOFF_FDT_BAD_TOTALSIZE,
        [PG_FDT_FAULT_BAD_HEADER] = PG_ERR_HANDOFF_FDT_BAD_HEADER,
        [PG_FDT_FAULT_BAD_OFFSET] = PG_ERR_HANDOFF_FDT_BAD_OFFSET,
        [PG_FDT_FAULT_BLOCK_OVERLAP] = PG_ERR_HANDOFF_FDT_BLOCK_OVERLAP,
        [PG_FDT_FAULT_BAD_RSVMAP] = PG_ERR_HANDOFF_FDT_BAD_RSVMAP,
        [PG_FDT_FAULT_BAD_TAG] = PG_ERR_HANDOFF_FDT_BAD_TAG,
        [PG_FDT_FAULT_STRUCT_TRUNCATED] = PG_ERR_HANDOFF_FDT_STRUCT_TRUNCATED,
        [PG_FDT_FAULT_TRAILING_DATA] = PG_ERR_HANDOFF_FDT_TRAILING_DATA,
        [PG_FDT_FAULT_BAD_NAME] = PG_ERR_HANDOFF_FDT_BAD_NAME,
        [PG_FDT_FAULT_UNTERMINATED_NAME] = PG_ERR_HANDOFF_FDT_UNTERMINATED_NAME,
        [PG_FDT_FAULT_BAD_NAME_OFFSET] = PG_ERR_HANDOFF_FDT_BAD_NAME_OFFSET,
        [PG_FDT_FAULT_BAD_NESTING] = PG_ERR_HANDOFF_FDT_BAD_NESTING,
        [PG_FDT_FAULT_PROPERTY_AFTER_SUBNODE] = PG_ERR_HANDOFF_FDT_PROPERTY_AFTER_SUBNODE,
        [PG_FDT_FAULT_TOO_DEEP] = PG_ERR_HANDOFF_NODE_TOO_DEEP,
        [PG_FDT_FAULT_TOO_MANY_PROPERTIES] = PG_ERR_HANDOFF_TOO_MANY_PROPERTIES,
        [PG_FDT_FAULT_TOO_MANY_SUBNODES] = PG_ERR_HANDOFF_TOO_MANY_NODES,
        [PG_FDT_FAULT_DUPLICATE_PROPERTY] = PG_ERR_HANDOFF_DUPLICATE_PROPERTY,
        [PG_FDT_FAULT_DUPLICATE_NODE] = PG_ERR_HANDOFF_DUPLICATE_NODE,
        [PG_FDT_FAULT_BAD_PROPERTY_LENGTH] = PG_ERR_HANDOFF_BAD_PROPERTY_LENGTH,
        [PG_FDT_FAULT_UNTERMINATED_STRING] = PG_ERR_HANDOFF_UNTERMINATED_STRING,
        [PG_FDT_FAULT_BAD_STRING] = PG_ERR_HANDOFF_BAD_STRING,
        [PG_FDT_FAULT_STRING_TOO_LONG] = PG_ERR_HANDOFF_STRING_TOO_LONG,
};

const struct pg_fdt_rules pg_handoff_fdt_rules = {
        .max_size = PG_HANDOFF_MAX_SIZE,
        .max_depth = HANDOFF_MAX_DEPTH,
        .max_properties = HANDOFF_MAX_PROPERTIES,
        .max_subnodes = HANDOFF_MAX_SUBNODES,
        .max_name = HANDOFF_MAX_NAME,
        .errors = handoff_fdt_errors,
};

/* ---- properties of one node ----------------------------------------------- */

struct slot {
        const char *name;
        bool required;
        bool found;
        struct pg_fdt_prop prop;
};

#define REQ(n) { .name = (n), .required = true }
#define OPT(n) { .name = (n), .required = false }

/* Assigns each property of the node to its slot. A property without a slot is unknown. */
static pg_err scan_props(const struct pg_fdt *fdt, int node, struct slot *slots, size_t n)
{
        struct pg_fdt_prop p;
        size_t i;

        for (bool ok = pg_fdt_first_prop(fdt, node, &p); ok; ok = pg_fdt_next_prop(fdt, &p)) {
                for (i = 0; i < n && strcmp(slots[i].name, p.name) != 0; i++)
                        ;
                if (i == n)
                        return PG_ERR_HANDOFF_UNKNOWN_PROPERTY;
                slots[i].found = true;
                slots[i].prop = p;
        }
        for (i = 0; i < n; i++)
                if (slots[i].required && !slots[i].found)
                        return PG_ERR_HANDOFF_MISSING_PROPERTY;
        return PG_OK;
}

static pg_err no_subnodes(const struct pg_fdt *fdt, int node)
{
        return pg_fdt_first_subnode(fdt, node) < 0 ? PG_OK : PG_ERR_HANDOFF_UNKNOWN_NODE;
}

static pg_err copy_string(const struct pg_fdt *fdt, const struct slot *s, char *dst, size_t max)
{
        const char *str;
        pg_err err;

        if (!s->found)
                return PG_OK;
        err = pg_fdt_prop_string(fdt, &s->prop, max, &str);
        if (err == PG_OK)
                memcpy(dst, str, s->prop.len);
        return err;
}

/*
 * Parses "PREFIXn" with n in decimal, no leading zero. Another name is an
 * unknown node; a number outside min..max is bad_id.
 */
static pg_err parse_index(const char *name, const char *prefix, unsigned min, unsigned max,
                          pg_err bad_id, unsigned *out)
{
        size_t plen = strlen(prefix);
        const char *digits = name + plen;
        size_t n;
        unsigned v = 0;

        if (strncmp(name, prefix, plen) != 0 || digits[0] == '\0')
                return PG_ERR_HANDOFF_UNKNOWN_NODE;
        for (n = 0; digits[n] != '\0'; n++)
                if (digits[n] < '0' || digits[n] > '9')
                        return PG_ERR_HANDOFF_UNKNOWN_NODE;
        if (n > 2 || (n > 1 && digits[0] == '0'))
                return bad_id;
        for (size_t i = 0; i < n; i++)
                v = v * 10 + (unsigned)(digits[i] - '0');
        if (v < min || v > max)
                return bad_id;
        *out = v;
        return PG_OK;
}

/* ---- gates ---------------------------------------------------------------- */

static pg_err read_result(const struct pg_fdt *fdt, int node, struct pg_handoff_result *r)
{
        struct slot s[] = { REQ("outcome"), REQ("reason"), OPT("detail") };
        pg_err err = scan_props(fdt, node, s, PG_ARRAY_SIZE(s));

        if (err == PG_OK)
                err = pg_fdt_prop_u32(fdt, &s[0].prop, &r->outcome);
        if (err == PG_OK)
                err = pg_fdt_prop_u32(fdt, &s[1].prop, &r->reason);
        if (err == PG_OK)
                err = copy_string(fdt, &s[2], r->detail, PG_HANDOFF_DETAIL_MAX);
        return err;
}

static pg_err read_gate(const struct pg_fdt *fdt, int node, struct pg_handoff_gate *g)
{
        bool seen[PG_OBJECTIVES_PER_GATE] = { false };
        unsigned idx;
        pg_err err = read_result(fdt, node, &g->result);

        for (int n = pg_fdt_first_subnode(fdt, node); err == PG_OK && n >= 0;
             n = pg_fdt_next_subnode(fdt, n)) {
                err = parse_index(pg_fdt_node_name(fdt, n), "objective-", 0,
                                  PG_OBJECTIVES_PER_GATE - 1, PG_ERR_HANDOFF_BAD_OBJECTIVE_ID,
                                  &idx);
                if (err == PG_OK)
                        err = read_result(fdt, n, &g->objectives[idx]);
                if (err == PG_OK)
                        seen[idx] = true;
        }
        for (unsigned o = 0; err == PG_OK && o < PG_OBJECTIVES_PER_GATE; o++)
                if (!seen[o])
                        err = PG_ERR_HANDOFF_MISSING_NODE;
        return err;
}

static pg_err read_gates(const struct pg_fdt *fdt, int node, struct pg_handoff *h)
{
        bool seen[PG_GATE_COUNT] = { false };
        unsigned id;
        pg_err err = scan_props(fdt, node, NULL, 0);

        for (int n = pg_fdt_first_subnode(fdt, node); err == PG_OK && n >= 0;
             n = pg_fdt_next_subnode(fdt, n)) {
                err = parse_index(pg_fdt_node_name(fdt, n), "gate-", 1, PG_GATE_COUNT,
                                  PG_ERR_HANDOFF_BAD_GATE_ID, &id);
                if (err == PG_OK)
                        err = read_gate(fdt, n, &h->gates[id - 1]);
                if (err == PG_OK)
                        seen[id - 1] = true;
        }
        for (unsigned g = 0; err == PG_OK && g < PG_GATE_COUNT; g++)
                if (!seen[g])
                        err = PG_ERR_HANDOFF_MISSING_NODE;
        return err;
}

/* ---- manifest and anti-rollback ------------------------------------------- */

static pg_err read_manifest(const struct pg_fdt *fdt, int node, struct pg_handoff *h)
{
        struct slot s[] = { REQ("digest"), REQ("key-id"), REQ("version"), REQ("svn") };
        const uint8_t *digest = NULL, *key_id = NULL;
        pg_err err = scan_props(fdt, node, s, PG_ARRAY_SIZE(s));

        if (err == PG_OK)
                err = pg_fdt_prop_bytes(fdt, &s[0].prop, PG_HANDOFF_DIGEST_SIZE, &digest);
        if (err == PG_OK)
                err = pg_fdt_prop_bytes(fdt, &s[1].prop, PG_HANDOFF_DIGEST_SIZE, &key_id);
        if (err == PG_OK)
                err = copy_string(fdt, &s[2], h->manifest.version, PG_HANDOFF_VERSION_MAX);
        if (err == PG_OK)
                err = pg_fdt_prop_u32(fdt, &s[3].prop, &h->manifest.svn);
        if (err == PG_OK)
                err = no_subnodes(fdt, node);
        if (err != PG_OK)
                return err;
        memcpy(h->manifest.digest, digest, PG_HANDOFF_DIGEST_SIZE);
        memcpy(h->manifest.key_id, key_id, PG_HANDOFF_DIGEST_SIZE);
        h->has_manifest = true;
        return PG_OK;
}

static pg_err read_rollback(const struct pg_fdt *fdt, int node, struct pg_handoff *h)
{
        struct slot s[] = { REQ("floor-before"), REQ("floor-after") };
        pg_err err = scan_props(fdt, node, s, PG_ARRAY_SIZE(s));

        if (err == PG_OK)
                err = pg_fdt_prop_u64(fdt, &s[0].prop, &h->rollback.floor_before);
        if (err == PG_OK)
                err = pg_fdt_prop_u64(fdt, &s[1].prop, &h->rollback.floor_after);
        if (err == PG_OK)
                err = no_subnodes(fdt, node);
        if (err == PG_OK)
                h->has_rollback = true;
        return err;
}

/* ---- root ----------------------------------------------------------------- */

/*
 * compatible and format-version come first, so that a blob of a newer
 * format is reported as such rather than by its first unknown name.
 */
static pg_err check_format(const struct pg_fdt *fdt)
{
        struct pg_fdt_prop p;
        const char *compatible;
        uint32_t version;
        pg_err err;

        if (!pg_fdt_find_prop(fdt, PG_FDT_ROOT, "compatible", &p))
                return PG_ERR_HANDOFF_MISSING_PROPERTY;
        err = pg_fdt_prop_string(fdt, &p, HANDOFF_MAX_NAME, &compatible);
        if (err != PG_OK)
                return err;
        if (strcmp(compatible, PG_HANDOFF_COMPATIBLE) != 0)
                return PG_ERR_HANDOFF_BAD_COMPATIBLE;
        if (!pg_fdt_find_prop(fdt, PG_FDT_ROOT, "format-version", &p))
                return PG_ERR_HANDOFF_MISSING_PROPERTY;
        err = pg_fdt_prop_u32(fdt, &p, &version);
        if (err != PG_OK)
                return err;
        return version == PG_HANDOFF_FORMAT_VERSION ? PG_OK : PG_ERR_HANDOFF_UNSUPPORTED_VERSION;
}

static pg_err read_root_props(const struct pg_fdt *fdt, struct pg_handoff *h)
{
        struct slot s[] = { REQ("compatible"), REQ("format-version"),
                            REQ("evaluator-version"), REQ("build-type"),
                            REQ("pcr"), REQ("action"), REQ("eval-time-us") };
        pg_err err = scan_props(fdt, PG_FDT_ROOT, s, PG_ARRAY_SIZE(s));

        if (err == PG_OK)
                err = copy_string(fdt, &s[2], h->evaluator_version, PG_HANDOFF_VERSION_MAX);
        if (err == PG_OK)
                err = pg_fdt_prop_u32(fdt, &s[3].prop, &h->build_type);
        if (err == PG_OK)
                err = pg_fdt_prop_u32(fdt, &s[4].prop, &h->pcr);
        if (err == PG_OK)
                err = pg_fdt_prop_u32(fdt, &s[5].prop, &h->action);
        if (err == PG_OK)
                err = pg_fdt_prop_u64(fdt, &s[6].prop, &h->eval_time_us);
        return err;
}

static pg_err read_root_nodes(const struct pg_fdt *fdt, struct pg_handoff *h)
{
        bool gates = false;
        pg_err err = PG_OK;

        for (int n = pg_fdt_first_subnode(fdt, PG_FDT_ROOT); err == PG_OK && n >= 0;
             n = pg_fdt_next_subnode(fdt, n)) {
                const char *name = pg_fdt_node_name(fdt, n);

                if (strcmp(name, "manifest") == 0) {
                        err = read_manifest(fdt, n, h);
                } else if (strcmp(name, "anti-rollback") == 0) {
                        err = read_rollback(fdt, n, h);
                } else if (strcmp(name, "gates") == 0) {
                        err = read_gates(fdt, n, h);
                        gates = true;
                } else {
                        err = PG_ERR_HANDOFF_UNKNOWN_NODE;
                }
        }
        if (err == PG_OK && !gates)
                err = PG_ERR_HANDOFF_MISSING_NODE;
        return err;
}

pg_err pg_handoff_read(const void *blob, size_t len, struct pg_handoff *out)
{
        struct pg_fdt fdt;
        struct pg_handoff h;
        pg_err err = pg_fdt_open(&fdt, blob, len, &pg_handoff_fdt_rules);

        if (err != PG_OK)
                return err;
        memset(&h, 0, sizeof(h));
        err = check_format(&fdt);
        if (err == PG_OK)
                err = read_root_props(&fdt, &h);
        if (err == PG_OK)
                err = read_root_nodes(&fdt, &h);
        if (err == PG_OK)
                err = pg_handoff_check(&h);
        if (err == PG_OK)
                memcpy(out, &h, sizeof(h));
        return err;
}
