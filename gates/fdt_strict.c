/* SPDX-License-Identifier: BSD-2-Clause */
#include "gates/fdt_strict.h"

/* Header field offsets (all big-endian 32-bit). */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 4
#define HDR_OFF_STRUCT 8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP 16
#define HDR_VERSION 20
#define HDR_LAST_COMP 24
#define HDR_BOOT_CPUID 28
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT 36

#define RSV_ENTRY_SIZE 16

#define TOKEN_BEGIN_NODE 0x1u
#define TOKEN_END_NODE 0x2u
#define TOKEN_PROP 0x3u
#define TOKEN_END 0x9u

PG_STATIC_ASSERT(PG_FDT_MAX_BLOB <= 0x7fffffffu, "offsets must fit an int");

pg_err pg_fdt_error(const struct pg_fdt_rules *rules, enum pg_fdt_fault fault)
{
        pg_err err = PG_OK;

        if (!rules || !rules->errors)
                return PG_FDT_ERR_UNMAPPED;
        if (fault > PG_FDT_FAULT_NONE && fault < PG_FDT_FAULT_COUNT)
                err = rules->errors[fault];
        if (err == PG_OK)
                err = rules->errors[0];
        return err != PG_OK ? err : PG_FDT_ERR_UNMAPPED;
}

static uint64_t align4(uint64_t n)
{
        return (n + 3) & ~(uint64_t)3;
}

/* ---- header --------------------------------------------------------------- */

struct pg_fdt_layout {
        uint32_t total;
        uint32_t rsv_off;
        uint32_t struct_off, struct_size;
        uint32_t strings_off, strings_size;
};

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
        if (alen == 0 || blen == 0)
                return false;
        return a < b + blen && b < a + alen;
}

/* Checks that a block lies inside the blob, after the header. */
static enum pg_fdt_fault check_block(uint32_t off, uint64_t size, uint32_t align, uint32_t total)
{
        if (off < PG_FDT_HEADER_SIZE)
                return PG_FDT_FAULT_BLOCK_OVERLAP;
        if (off % align != 0 || off > total || size > (uint64_t)total - off)
                return PG_FDT_FAULT_BAD_OFFSET;
        return PG_FDT_FAULT_NONE;
}

static enum pg_fdt_fault check_blocks(const struct pg_fdt_layout *l)
{
        enum pg_fdt_fault f;

        f = check_block(l->rsv_off, RSV_ENTRY_SIZE, 8, l->total);
        if (f == PG_FDT_FAULT_NONE)
                f = check_block(l->struct_off, l->struct_size, 4, l->total);
        if (f == PG_FDT_FAULT_NONE)
                f = check_block(l->strings_off, l->strings_size, 1, l->total);
        if (f != PG_FDT_FAULT_NONE)
                return f;
        if (ranges_overlap(l->rsv_off, RSV_ENTRY_SIZE, l->struct_off, l->struct_size) ||
            ranges_overlap(l->rsv_off, RSV_ENTRY_SIZE, l->strings_off, l->strings_size) ||
            ranges_overlap(l->struct_off, l->struct_size, l->strings_off, l->strings_size))
                return PG_FDT_FAULT_BLOCK_OVERLAP;
        return PG_FDT_FAULT_NONE;
}

static enum pg_fdt_fault check_header(const uint8_t *b, size_t len, const struct pg_fdt_rules *r,
                                      struct pg_fdt_layout *l)
{
        static const uint8_t zero_entry[RSV_ENTRY_SIZE];
        enum pg_fdt_fault f;

        if (len > r->max_size || len > PG_FDT_MAX_BLOB)
                return PG_FDT_FAULT_TOO_LARGE;
        if (len < PG_FDT_HEADER_SIZE)
                return PG_FDT_FAULT_SHORT_HEADER;
        if (pg_load_be32(b + HDR_MAGIC) != PG_FDT_MAGIC)
                return PG_FDT_FAULT_BAD_MAGIC;
        if (pg_load_be32(b + HDR_VERSION) != PG_FDT_VERSION ||
            pg_load_be32(b + HDR_LAST_COMP) != PG_FDT_LAST_COMP_VERSION)
                return PG_FDT_FAULT_BAD_VERSION;
        l->total = pg_load_be32(b + HDR_TOTALSIZE);
        if (l->total > len)
                return PG_FDT_FAULT_TRUNCATED;
        if (l->total < len)
                return PG_FDT_FAULT_TOTALSIZE_SHORT;
        if (pg_load_be32(b + HDR_BOOT_CPUID) != 0)
                return PG_FDT_FAULT_BAD_HEADER;
        l->rsv_off = pg_load_be32(b + HDR_OFF_RSVMAP);
        l->struct_off = pg_load_be32(b + HDR_OFF_STRUCT);
        l->struct_size = pg_load_be32(b + HDR_SIZE_STRUCT);
        l->strings_off = pg_load_be32(b + HDR_OFF_STRINGS);
        l->strings_size = pg_load_be32(b + HDR_SIZE_STRINGS);
        f = check_blocks(l);
        if (f != PG_FDT_FAULT_NONE)
                return f;
        if (memcmp(b + l->rsv_off, zero_entry, RSV_ENTRY_SIZE) != 0)
                return PG_FDT_FAULT_BAD_RSVMAP;
        return PG_FDT_FAULT_NONE;
}

/* ---- structure block ------------------------------------------------------ */

struct pg_fdt_walk {
        const uint8_t *s;
        uint32_t size;
        const uint8_t *strings;
        uint32_t strings_size;
        const struct pg_fdt_rules *r;
        unsigned depth;                 /* open nodes */
        bool root_done;
        /* Per open node, by depth: whether it has a subnode yet, and their names. */
        bool has_subnode[PG_FDT_MAX_DEPTH + 1];
        uint32_t subnode_count[PG_FDT_MAX_DEPTH + 1];
        const char *subnodes[PG_FDT_MAX_DEPTH + 1][PG_FDT_MAX_SUBNODES];
        /* Properties of the innermost open node, which all precede its subnodes. */
        uint32_t prop_count;
        const char *props[PG_FDT_MAX_PROPERTIES];
};

static bool name_char(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == ',' || c == '.' || c == '_' || c == '+' || c == '-';
}

/* node-name[@unit-address]: at most one '@', not first. */
static bool node_name_ok(const char *name, size_t len, unsigned max)
{
        bool at = false;

        if (len == 0 || len > max)
                return false;
        for (size_t i = 0; i < len; i++) {
                if (name[i] == '@' && i > 0 && !at)
                        at = true;
                else if (!name_char(name[i]))
                        return false;
        }
        return true;
}

static bool prop_name_ok(const char *name, size_t len, unsigned max)
{
        if (len == 0 || len > max)
                return false;
        for (size_t i = 0; i < len; i++)
                if (!name_char(name[i]) && name[i] != '?' && name[i] != '#')
                        return false;
        return true;
}

static enum pg_fdt_fault add_subnode(struct pg_fdt_walk *w, const char *name)
{
        unsigned parent = w->depth - 1;

        if (w->depth > w->r->max_depth)
                return PG_FDT_FAULT_TOO_DEEP;
        if (w->subnode_count[parent] >= w->r->max_subnodes)
                return PG_FDT_FAULT_TOO_MANY_SUBNODES;
        for (uint32_t i = 0; i < w->subnode_count[parent]; i++)
                if (strcmp(w->subnodes[parent][i], name) == 0)
                        return PG_FDT_FAULT_DUPLICATE_NODE;
        w->subnodes[parent][w->subnode_count[parent]++] = name;
        w->has_subnode[parent] = true;
        return PG_FDT_FAULT_NONE;
}

static enum pg_fdt_fault walk_begin_node(struct pg_fdt_walk *w, uint32_t *p)
{
        const char *name = (const char *)w->s + *p + 4;
        uint32_t room = w->size - *p - 4;
        const char *nul = memchr(name, 0, room);
        size_t len;
        enum pg_fdt_fault f;

        if (w->root_done)
                return PG_FDT_FAULT_BAD_NESTING;
        if (!nul)
                return PG_FDT_FAULT_UNTERMINATED_NAME;
        len = (size_t)(nul - name);
        if (align4(len + 1) > room)
                return PG_FDT_FAULT_STRUCT_TRUNCATED;
        if (w->depth == 0) {
                if (len != 0)
                        return PG_FDT_FAULT_BAD_NESTING;
        } else {
                if (!node_name_ok(name, len, w->r->max_name))
                        return PG_FDT_FAULT_BAD_NAME;
                f = add_subnode(w, name);
                if (f != PG_FDT_FAULT_NONE)
                        return f;
        }
        w->has_subnode[w->depth] = false;
        w->subnode_count[w->depth] = 0;
        w->prop_count = 0;
        w->depth++;
        *p += 4 + (uint32_t)align4(len + 1);
        return PG_FDT_FAULT_NONE;
}

static enum pg_fdt_fault walk_prop(struct pg_fdt_walk *w, uint32_t *p)
{
        uint32_t len, nameoff;
        const char *name, *nul;

        if (w->depth == 0)
                return PG_FDT_FAULT_BAD_NESTING;
        if (w->has_subnode[w->depth - 1])
                return PG_FDT_FAULT_PROPERTY_AFTER_SUBNODE;
        if (12 > w->size - *p)
                return PG_FDT_FAULT_STRUCT_TRUNCATED;
        len = pg_load_be32(w->s + *p + 4);
        nameoff = pg_load_be32(w->s + *p + 8);
        if (align4(len) > w->size - *p - 12)
                return PG_FDT_FAULT_STRUCT_TRUNCATED;
        if (nameoff >= w->strings_size)
                return PG_FDT_FAULT_BAD_NAME_OFFSET;
        name = (const char *)w->strings + nameoff;
        nul = memchr(name, 0, w->strings_size - nameoff);
        if (!nul)
                return PG_FDT_FAULT_UNTERMINATED_NAME;
        if (!prop_name_ok(name, (size_t)(nul - name), w->r->max_name))
                return PG_FDT_FAULT_BAD_NAME;
        if (w->prop_count >= w->r->max_properties)
                return PG_FDT_FAULT_TOO_MANY_PROPERTIES;
        for (uint32_t i = 0; i < w->prop_count; i++)
                if (strcmp(w->props[i], name) == 0)
                        return PG_FDT_FAULT_DUPLICATE_PROPERTY;
        w->props[w->prop_count++] = name;
        *p += 12 + (uint32_t)align4(len);
        return PG_FDT_FAULT_NONE;
}

static enum pg_fdt_fault walk_end_node(struct pg_fdt_walk *w, uint32_t *p)
{
        if (w->depth == 0)
                return PG_FDT_FAULT_BAD_NESTING;
        w->depth--;
        if (w->depth == 0)
                w->root_done = true;
        *p += 4;
        return PG_FDT_FAULT_NONE;
}

static enum pg_fdt_fault walk_struct(struct pg_fdt_walk *w)
{
        uint32_t p = 0;
        enum pg_fdt_fault f;

        for (;;) {
                if (4 > w->size - p)
                        return PG_FDT_FAULT_STRUCT_TRUNCATED;
                switch (pg_load_be32(w->s + p)) {
                case TOKEN_BEGIN_NODE:
                        f = walk_begin_node(w, &p);
                        break;
                case TOKEN_PROP:
                        f = walk_prop(w, &p);
                        break;
                case TOKEN_END_NODE:
                        f = walk_end_node(w, &p);
                        break;
                case TOKEN_END:
                        if (!w->root_done)
                                return PG_FDT_FAULT_BAD_NESTING;
                        return p + 4 == w->size ? PG_FDT_FAULT_NONE : PG_FDT_FAULT_TRAILING_DATA;
                default:
                        return PG_FDT_FAULT_BAD_TAG;
                }
                if (f != PG_FDT_FAULT_NONE)
                        return f;
        }
}

static bool rules_ok(const struct pg_fdt_rules *r)
{
        return r && r->errors && r->errors[0] != PG_OK && r->max_depth <= PG_FDT_MAX_DEPTH &&
               r->max_properties <= PG_FDT_MAX_PROPERTIES &&
               r->max_subnodes <= PG_FDT_MAX_SUBNODES && r->max_name <= PG_FDT_MAX_NAME;
}

pg_err pg_fdt_open(struct pg_fdt *fdt, const void *blob, size_t len,
                   const struct pg_fdt_rules *rules)
{
        const uint8_t *b = blob;
        struct pg_fdt_layout l;
        struct pg_fdt_walk w;
        enum pg_fdt_fault f;

        if (!rules_ok(rules))
                return pg_fdt_error(rules, PG_FDT_FAULT_NONE);
        f = check_header(b, len, rules, &l);
        if (f != PG_FDT_FAULT_NONE)
                return pg_fdt_error(rules, f);
        memset(&w, 0, sizeof(w));
        w.s = b + l.struct_off;
        w.size = l.struct_size;
        w.strings = b + l.strings_off;
        w.strings_size = l.strings_size;
        w.r = rules;
        f = walk_struct(&w);
        if (f != PG_FDT_FAULT_NONE)
                return pg_fdt_error(rules, f);
        fdt->structs = w.s;
        fdt->struct_size = w.size;
        fdt->strings = w.strings;
        fdt->strings_size = w.strings_size;
        fdt->rules = rules;
        return PG_OK;
}

/* ---- iteration over a validated tree -------------------------------------- */

static uint32_t token_at(const struct pg_fdt *fdt, int off)
{
        return pg_load_be32(fdt->structs + off);
}

static int next_token(const struct pg_fdt *fdt, int off)
{
        switch (token_at(fdt, off)) {
        case TOKEN_BEGIN_NODE:
                return off + 4 + (int)align4(strlen((const char *)fdt->structs + off + 4) + 1);
        case TOKEN_PROP:
                return off + 12 + (int)align4(pg_load_be32(fdt->structs + off + 4));
        default:
                return off + 4;
        }
}

/* Offset of the first token after the node's own BEGIN_NODE and name. */
static int node_body(const struct pg_fdt *fdt, int node)
{
        return next_token(fdt, node);
}

/* Offset of the first token after the node's END_NODE. */
static int skip_node(const struct pg_fdt *fdt, int node)
{
        unsigned depth = 0;
        int off = node;

        do {
                uint32_t tag = token_at(fdt, off);

                if (tag == TOKEN_BEGIN_NODE)
                        depth++;
                else if (tag == TOKEN_END_NODE)
                        depth--;
                off = next_token(fdt, off);
        } while (depth > 0);
        return off;
}

int pg_fdt_first_subnode(const struct pg_fdt *fdt, int node)
{
        int off = node_body(fdt, node);

        while (token_at(fdt, off) == TOKEN_PROP)
                off = next_token(fdt, off);
        return token_at(fdt, off) == TOKEN_BEGIN_NODE ? off : -1;
}

int pg_fdt_next_subnode(const struct pg_fdt *fdt, int node)
{
        int off = skip_node(fdt, node);

        return token_at(fdt, off) == TOKEN_BEGIN_NODE ? off : -1;
}

const char *pg_fdt_node_name(const struct pg_fdt *fdt, int node)
{
        return (const char *)fdt->structs + node + 4;
}

int pg_fdt_subnode(const struct pg_fdt *fdt, int node, const char *name)
{
        for (int n = pg_fdt_first_subnode(fdt, node); n >= 0; n = pg_fdt_next_subnode(fdt, n))
                if (strcmp(pg_fdt_node_name(fdt, n), name) == 0)
                        return n;
        return -1;
}

static bool prop_at(const struct pg_fdt *fdt, int off, struct pg_fdt_prop *prop)
{
        if (token_at(fdt, off) != TOKEN_PROP)
                return false;
        prop->len = pg_load_be32(fdt->structs + off + 4);
        prop->name = (const char *)fdt->strings + pg_load_be32(fdt->structs + off + 8);
        prop->value = fdt->structs + off + 12;
        prop->offset = off;
        return true;
}

bool pg_fdt_first_prop(const struct pg_fdt *fdt, int node, struct pg_fdt_prop *prop)
{
        return prop_at(fdt, node_body(fdt, node), prop);
}

bool pg_fdt_next_prop(const struct pg_fdt *fdt, struct pg_fdt_prop *prop)
{
        return prop_at(fdt, next_token(fdt, prop->offset), prop);
}

bool pg_fdt_find_prop(const struct pg_fdt *fdt, int node, const char *name,
                      struct pg_fdt_prop *prop)
{
        struct pg_fdt_prop p;

        for (bool ok = pg_fdt_first_prop(fdt, node, &p); ok; ok = pg_fdt_next_prop(fdt, &p)) {
                if (strcmp(p.name, name) == 0) {
                        *prop = p;
                        return true;
                }
        }
        return false;
}

/* ---- typed values ---------------------------------------------------------- */

pg_err pg_fdt_prop_u32(const struct pg_fdt *fdt, const struct pg_fdt_prop *prop, uint32_t *out)
{
        if (prop->len != 4)
                return pg_fdt_error(fdt->rules, PG_FDT_FAULT_BAD_PROPERTY_LENGTH);
        *out = pg_load_be32(prop->value);
        return PG_OK;
}

pg_err pg_fdt_prop_u64(const struct pg_fdt *fdt, const struct pg_fdt_prop *prop, uint64_t *out)
{
        if (prop->len != 8)
                return pg_fdt_error(fdt->rules, PG_FDT_FAULT_BAD_PROPERTY_LENGTH);
        *out = pg_load_be64(prop->value);
        return PG_OK;
}

pg_err pg_fdt_prop_bytes(const struct pg_fdt *fdt, const struct pg_fdt_prop *prop, size_t len,
                         const uint8_t **out)
{
        if (prop->len != len)
                return pg_fdt_error(fdt->rules, PG_FDT_FAULT_BAD_PROPERTY_LENGTH);
        *out = prop->value;
        return PG_OK;
}

bool pg_fdt_printable(const char *s, size_t len)
{
        if (len == 0)
                return false;
        for (size_t i = 0; i < len; i++)
                if ((uint8_t)s[i] < 0x20 || (uint8_t)s[i] > 0x7e)
                        return false;
        return true;
}

pg_err pg_fdt_prop_string(const struct pg_fdt *fdt, const struct pg_fdt_prop *prop,
                          size_t max_len, const char **out)
{
        const char *s = (const char *)prop->value;

        if (prop->len == 0 || s[prop->len - 1] != '\0')
                return pg_fdt_error(fdt->rules, PG_FDT_FAULT_UNTERMINATED_STRING);
        if (prop->len - 1 > max_len)
                return pg_fdt_error(fdt->rules, PG_FDT_FAULT_STRING_TOO_LONG);
        if (!pg_fdt_printable(s, prop->len - 1))
                return pg_fdt_error(fdt->rules, PG_FDT_FAULT_BAD_STRING);
        *out = s;
        return PG_OK;
}
