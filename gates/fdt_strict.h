/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A strict reader of flattened device trees (FDT, devicetree specification
 * v0.4 chapter 5) for blobs from untrusted sources: the handoff blob and the
 * manifest payload.
 *
 * pg_fdt_open() validates the whole blob before anything reads it: header,
 * block offsets, an empty memory reservation map, every token of the
 * structure block, names, nesting, duplicates and the caller's caps. Only
 * then does it return a handle, and the iteration functions below work on
 * that handle without further checks. Every load is a byte load, so the blob
 * may sit at any address.
 *
 * Each failed check is a fault (enum pg_fdt_fault). A caller passes a table
 * that maps each fault to its own module's error code, so the same walker
 * reports PG_ERR_HANDOFF_... for a handoff blob and PG_ERR_MANIFEST_... for a
 * manifest.
 *
 * Node handles and property cursors are offsets into the structure block.
 * The root node has depth 0.
 */
#ifndef PG_GATES_FDT_STRICT_H
#define PG_GATES_FDT_STRICT_H

#include "pg/err.h"

/* Compile-time ceilings. A caller's rules may only be tighter. */
#define PG_FDT_MAX_DEPTH 8
#define PG_FDT_MAX_PROPERTIES 64
#define PG_FDT_MAX_SUBNODES 64
#define PG_FDT_MAX_NAME 63
#define PG_FDT_MAX_BLOB 0x100000u

#define PG_FDT_HEADER_SIZE 40
#define PG_FDT_MAGIC 0xd00dfeedu
#define PG_FDT_VERSION 17
#define PG_FDT_LAST_COMP_VERSION 16

enum pg_fdt_fault {
        PG_FDT_FAULT_NONE = 0,
        PG_FDT_FAULT_TOO_LARGE,                 /* buffer longer than rules->max_size */
        PG_FDT_FAULT_SHORT_HEADER,              /* buffer shorter than the 40-byte header */
        PG_FDT_FAULT_BAD_MAGIC,
        PG_FDT_FAULT_BAD_VERSION,               /* not version 17, last compatible 16 */
        PG_FDT_FAULT_TRUNCATED,                 /* totalsize larger than the buffer */
        PG_FDT_FAULT_TOTALSIZE_SHORT,           /* totalsize smaller than the buffer */
        PG_FDT_FAULT_BAD_HEADER,                /* boot_cpuid_phys not zero */
        PG_FDT_FAULT_BAD_OFFSET,                /* block misaligned or outside totalsize */
        PG_FDT_FAULT_BLOCK_OVERLAP,             /* blocks overlap each other or the header */
        PG_FDT_FAULT_BAD_RSVMAP,                /* memory reservation map not empty */
        PG_FDT_FAULT_BAD_TAG,                   /* unknown token, or FDT_NOP */
        PG_FDT_FAULT_STRUCT_TRUNCATED,          /* block ends inside a token or before FDT_END */
        PG_FDT_FAULT_TRAILING_DATA,             /* structure block goes on after FDT_END */
        PG_FDT_FAULT_BAD_NAME,                  /* empty, too long or forbidden character */
        PG_FDT_FAULT_UNTERMINATED_NAME,         /* no NUL inside the block */
        PG_FDT_FAULT_BAD_NAME_OFFSET,           /* property name offset outside the strings */
        PG_FDT_FAULT_BAD_NESTING,               /* not one nested tree under an unnamed root */
        PG_FDT_FAULT_PROPERTY_AFTER_SUBNODE,
        PG_FDT_FAULT_TOO_DEEP,
        PG_FDT_FAULT_TOO_MANY_PROPERTIES,       /* in one node */
        PG_FDT_FAULT_TOO_MANY_SUBNODES,         /* in one node */
        PG_FDT_FAULT_DUPLICATE_PROPERTY,
        PG_FDT_FAULT_DUPLICATE_NODE,            /* two subnodes of one node share a name */
        /* Raised by the typed value readers, not by pg_fdt_open(). */
        PG_FDT_FAULT_BAD_PROPERTY_LENGTH,
        PG_FDT_FAULT_UNTERMINATED_STRING,       /* empty value, or last byte not NUL */
        PG_FDT_FAULT_BAD_STRING,                /* empty, inner NUL, or byte outside 0x20..0x7e */
        PG_FDT_FAULT_STRING_TOO_LONG,
        PG_FDT_FAULT_COUNT
};

struct pg_fdt_rules {
        size_t max_size;                /* <= PG_FDT_MAX_BLOB */
        unsigned max_depth;             /* deepest node allowed; <= PG_FDT_MAX_DEPTH */
        unsigned max_properties;        /* per node; <= PG_FDT_MAX_PROPERTIES */
        unsigned max_subnodes;          /* per node; <= PG_FDT_MAX_SUBNODES */
        unsigned max_name;              /* bytes without the NUL; <= PG_FDT_MAX_NAME */
        /*
         * PG_FDT_FAULT_COUNT error codes indexed by fault. errors[0] is the
         * code for a fault whose entry is PG_OK, so a gap in the table can
         * never turn a fault into success; it must not be PG_OK itself.
         */
        const pg_err *errors;
};

/* A validated blob. Filled only by pg_fdt_open(). */
struct pg_fdt {
        const uint8_t *structs;         /* structure block */
        uint32_t struct_size;
        const uint8_t *strings;         /* strings block */
        uint32_t strings_size;
        const struct pg_fdt_rules *rules;
};

/* A property found by the iteration functions. */
struct pg_fdt_prop {
        const char *name;               /* NUL-terminated, inside the blob */
        const uint8_t *value;           /* inside the blob; may be unaligned */
        uint32_t len;
        int offset;                     /* cursor for pg_fdt_next_prop() */
};

/* Returned instead of PG_OK when a rules table is missing or maps a fault to
 * PG_OK: a misconfigured table never turns a fault into success. */
#define PG_FDT_ERR_UNMAPPED 0xffffffffu

/* Maps a fault to the caller's error code; never returns PG_OK for a fault. */
pg_err pg_fdt_error(const struct pg_fdt_rules *rules, enum pg_fdt_fault fault);

/*
 * Validates blob[0..len) completely. The blob must be exactly totalsize
 * bytes long. Writes *fdt only on success; the blob must then stay in
 * memory, unchanged, while the handle is used.
 */
pg_err pg_fdt_open(struct pg_fdt *fdt, const void *blob, size_t len,
                   const struct pg_fdt_rules *rules);

/* The root node's handle. */
#define PG_FDT_ROOT 0

/* Subnode iteration, in blob order. Return -1 when there is none. */
int pg_fdt_first_subnode(const struct pg_fdt *fdt, int node);
int pg_fdt_next_subnode(const struct pg_fdt *fdt, int node);

/* Returns the node's name with its unit address ("" for the root). */
const char *pg_fdt_node_name(const struct pg_fdt *fdt, int node);

/* Returns the subnode of that exact name, or -1. */
int pg_fdt_subnode(const struct pg_fdt *fdt, int node, const char *name);

/* Property iteration, in blob order. Return false when there is none. */
bool pg_fdt_first_prop(const struct pg_fdt *fdt, int node, struct pg_fdt_prop *prop);
bool pg_fdt_next_prop(const struct pg_fdt *fdt, struct pg_fdt_prop *prop);

/* Finds a property by name; returns false when the node has none. */
bool pg_fdt_find_prop(const struct pg_fdt *fdt, int node, const char *name,
                      struct pg_fdt_prop *prop);

/*
 * Typed readers. Each checks the value's length and form and writes *out
 * only on success; errors come from the rules' table.
 */
pg_err pg_fdt_prop_u32(const struct pg_fdt *fdt, const struct pg_fdt_prop *prop, uint32_t *out);
pg_err pg_fdt_prop_u64(const struct pg_fdt *fdt, const struct pg_fdt_prop *prop, uint64_t *out);

/* An exactly len-byte value. */
pg_err pg_fdt_prop_bytes(const struct pg_fdt *fdt, const struct pg_fdt_prop *prop, size_t len,
                         const uint8_t **out);

/*
 * One NUL-terminated string of 1..max_len printable ASCII characters
 * (0x20..0x7e), so it is safe to print to a terminal.
 */
pg_err pg_fdt_prop_string(const struct pg_fdt *fdt, const struct pg_fdt_prop *prop,
                          size_t max_len, const char **out);

/* True when s[0..len) is 1..len printable ASCII characters and no NUL. */
bool pg_fdt_printable(const char *s, size_t len);

#endif
