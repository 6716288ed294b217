/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared between the manifest sources; not part of the manifest API. */
#ifndef PG_GATES_MANIFEST_INTERNAL_H
#define PG_GATES_MANIFEST_INTERNAL_H

#include "gates/manifest.h"

/* ---- schema walk (manifest_schema.c) ---------------------------------- */

/* Room for the deepest node path: PG_MANIFEST_MAX_DEPTH names of up to
 * PG_MANIFEST_MAX_NAME characters, each after a '/', and the NUL. */
#define PG_SCHEMA_PATH_MAX (PG_MANIFEST_MAX_DEPTH * (PG_MANIFEST_MAX_NAME + 1) + 1)

struct pg_schema {
        const struct pg_fdt *fdt;      /* opened by pg_fdt_open() */
        uint32_t minor;                 /* format minor version of the payload */
        pg_manifest_diag_fn diag;
        void *ctx;
        pg_err first;                   /* first error reported, or PG_OK */
        size_t path_len;
        char path[PG_SCHEMA_PATH_MAX];
};

enum pg_prop_kind {
        PG_PROP_STRING,
        PG_PROP_STRING_LIST,
        PG_PROP_U32,
        PG_PROP_U64,
        PG_PROP_U32_PAIR,
        PG_PROP_SHA256,
        PG_PROP_SHA256_LIST,
};

#define PG_PROP_REQUIRED 0x1u
#define PG_PROP_EMPTY_OK 0x2u   /* a string may be "" */

struct pg_prop_spec {
        const char *name;
        uint8_t kind;                   /* enum pg_prop_kind */
        uint8_t flags;
        uint16_t max_len;               /* strings: characters per string */
        uint16_t max_count;             /* lists: entries */
};

/* A property value that passed its kind's checks; present is false otherwise. */
struct pg_prop_value {
        bool present;
        const uint8_t *data;
        uint32_t len;
        uint32_t count;                 /* entries of a list */
};

struct pg_node_spec {
        const char *name;
        bool required;
        void (*handler)(struct pg_schema *st, int node, void *arg);
};

void pg_schema_init(struct pg_schema *st, const struct pg_fdt *fdt, uint32_t minor,
                    pg_manifest_diag_fn diag, void *ctx);

/* Records an error at the current path; name is the property or subnode at
 * fault, or NULL. */
void pg_schema_report(struct pg_schema *st, pg_err err, const char *name);

/*
 * Checks every property of a node against specs, at most
 * PG_MANIFEST_MAX_PROPERTIES of them. values[i] receives the property that
 * specs[i] names. Reports unknown and missing properties, and returns false
 * when it reported anything.
 */
bool pg_schema_props(struct pg_schema *st, int node, const struct pg_prop_spec *specs,
                     size_t n, struct pg_prop_value *values);

/*
 * Calls the handler of every subnode named in specs (at most
 * PG_MANIFEST_MAX_SUBNODES of them) with the path extended by its name and
 * arg passed on, and reports unknown and missing subnodes.
 */
void pg_schema_children(struct pg_schema *st, int node, const struct pg_node_spec *specs,
                        size_t n, void *arg);

/* Extends the path by a node name, or removes the last component. */
void pg_schema_push(struct pg_schema *st, const char *name);
void pg_schema_pop(struct pg_schema *st);

/* True when an unknown property or node of this name may be skipped: only in
 * a payload of a newer minor version, and only for names starting with
 * "optional-". */
bool pg_schema_may_ignore(const struct pg_schema *st, const char *name);

/* Returns the index of value in a NULL-terminated list of names, or -1. */
int pg_schema_enum(const struct pg_prop_value *v, const char *const *names);

/* Returns a checked string value, or NULL when the property is not present. */
const char *pg_schema_str(const struct pg_prop_value *v);

/* Returns a checked u32 value; only for a present property. */
uint32_t pg_schema_u32(const struct pg_prop_value *v);

/* Rejects every subnode of a node that has none in the schema. */
void pg_schema_no_children(struct pg_schema *st, int node);

/*
 * Checks the name of an entry node (an artifact or a runtime check), which
 * the schema takes as it is: a unit address ("@...") passes the FDT walker
 * but is no part of a schema name. Reports and returns false when the name
 * has one.
 */
bool pg_schema_entry_name(struct pg_schema *st, const char *name);

/* ---- node handlers (manifest_release.c, manifest_policy.c) ------------- */

/* Each checks one node and its subtree and fills its part of the struct
 * pg_manifest that arg points to. */
void pg_parse_identity(struct pg_schema *st, int node, void *arg);
void pg_parse_provenance(struct pg_schema *st, int node, void *arg);
void pg_parse_boot(struct pg_schema *st, int node, void *arg);
void pg_parse_policy(struct pg_schema *st, int node, void *arg);
void pg_parse_checks(struct pg_schema *st, int node, void *arg);

/* Checks one node under /runtime-checks and fills *c. */
void pg_parse_check(struct pg_schema *st, int node, struct pg_manifest_check *c);

#endif
