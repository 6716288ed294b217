/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The strict FDT walker on blobs assembled token by token, including shapes
 * libfdt cannot produce. Faults map through the handoff reader's error table.
 */
#include "test.h"
#include "gates/fdt_strict.h"
#include "gates/handoff.h"

#define TOKEN_BEGIN_NODE 1
#define TOKEN_END_NODE 2
#define TOKEN_PROP 3
#define TOKEN_NOP 4
#define TOKEN_END 9

static struct pg_fdt_rules rules;

static void set_rules(void)
{
        rules = (struct pg_fdt_rules){
                .max_size = 4096,
                .max_depth = 2,
                .max_properties = 4,
                .max_subnodes = 4,
                .max_name = 15,
                .errors = pg_handoff_fdt_rules.errors,
        };
}

/* ---- a raw FDT assembler ---------------------------------------------------- */

struct raw {
        uint8_t s[2048];
        size_t slen;
        char str[512];
        size_t str_len;
};

static struct raw raw;
static uint8_t out[4096 + 16] __attribute__((aligned(8)));

static void r_reset(void)
{
        memset(&raw, 0, sizeof(raw));
}

static void r_u32(uint32_t v)
{
        pg_store_be32(raw.s + raw.slen, v);
        raw.slen += 4;
}

static void r_bytes(const void *p, size_t len)
{
        memcpy(raw.s + raw.slen, p, len);
        raw.slen += (len + 3) & ~(size_t)3;
}

static void r_begin(const char *name)
{
        r_u32(TOKEN_BEGIN_NODE);
        r_bytes(name, strlen(name) + 1);
}

static uint32_t r_string(const char *name)
{
        uint32_t off = (uint32_t)raw.str_len;

        memcpy(raw.str + raw.str_len, name, strlen(name) + 1);
        raw.str_len += strlen(name) + 1;
        return off;
}

static void r_prop_at(uint32_t nameoff, const void *v, uint32_t len)
{
        r_u32(TOKEN_PROP);
        r_u32(len);
        r_u32(nameoff);
        r_bytes(v, len);
}

static void r_prop(const char *name, const void *v, uint32_t len)
{
        r_prop_at(r_string(name), v, len);
}

static void r_prop_u32(const char *name, uint32_t v)
{
        uint8_t b[4];

        pg_store_be32(b, v);
        r_prop(name, b, 4);
}

static void r_end(void)
{
        r_u32(TOKEN_END_NODE);
}

/* Header at 0, reservation map at rsv (dtc uses 40, libfdt 48), then the
 * structure and strings blocks. Returns the blob length. */
static size_t r_build_at(uint32_t rsv)
{
        uint32_t st = rsv + 16, strs = st + (uint32_t)raw.slen;
        uint32_t total = strs + (uint32_t)raw.str_len;

        memset(out, 0, sizeof(out));
        pg_store_be32(out + 0, PG_FDT_MAGIC);
        pg_store_be32(out + 4, total);
        pg_store_be32(out + 8, st);
        pg_store_be32(out + 12, strs);
        pg_store_be32(out + 16, rsv);
        pg_store_be32(out + 20, 17);
        pg_store_be32(out + 24, 16);
        pg_store_be32(out + 32, (uint32_t)raw.str_len);
        pg_store_be32(out + 36, (uint32_t)raw.slen);
        memcpy(out + st, raw.s, raw.slen);
        memcpy(out + strs, raw.str, raw.str_len);
        return total;
}

static pg_err r_open(void)
{
        struct pg_fdt fdt;

        return pg_fdt_open(&fdt, out, r_build_at(40), &rules);
}

/* A small valid tree: / { a = <1>; s = "hi"; n@1 { b; }; m { }; } */
static void r_valid_tree(void)
{
        r_reset();
        r_begin("");
        r_prop_u32("a", 1);
        r_prop("s", "hi", 3);
        r_begin("n@1");
        r_prop("b", "", 0);
        r_end();
        r_begin("m");
        r_end();
        r_end();
        r_u32(TOKEN_END);
}

/* ---- valid trees ------------------------------------------------------------ */

TEST(dtc_and_libfdt_layouts_accepted)
{
        struct pg_fdt fdt;

        set_rules();
        r_valid_tree();
        CHECK_ERR(pg_fdt_open(&fdt, out, r_build_at(40), &rules), PG_OK);
        CHECK_ERR(pg_fdt_open(&fdt, out, r_build_at(48), &rules), PG_OK);
        CHECK_ERR(pg_fdt_open(&fdt, out, r_build_at(44), &rules), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
}

TEST(iteration_and_values)
{
        static uint8_t shifted[4096 + 16];
        struct pg_fdt fdt;
        struct pg_fdt_prop p;
        const char *s = NULL;
        const uint8_t *bytes = NULL;
        uint32_t v = 0;
        uint64_t v64 = 0;
        size_t len;
        int n;

        set_rules();
        r_valid_tree();
        len = r_build_at(40);
        /* An odd address: every load is a byte load. */
        memcpy(shifted + 1, out, len);
        CHECK_ERR(pg_fdt_open(&fdt, shifted + 1, len, &rules), PG_OK);
        CHECK(!strcmp(pg_fdt_node_name(&fdt, PG_FDT_ROOT), ""));
        CHECK(pg_fdt_first_prop(&fdt, PG_FDT_ROOT, &p));
        CHECK(!strcmp(p.name, "a"));
        CHECK_ERR(pg_fdt_prop_u32(&fdt, &p, &v), PG_OK);
        CHECK_INT(v, 1);
        CHECK_ERR(pg_fdt_prop_u64(&fdt, &p, &v64), PG_ERR_HANDOFF_BAD_PROPERTY_LENGTH);
        CHECK_ERR(pg_fdt_prop_bytes(&fdt, &p, 4, &bytes), PG_OK);
        CHECK(bytes == p.value);
        CHECK(pg_fdt_next_prop(&fdt, &p));
        CHECK(!strcmp(p.name, "s"));
        CHECK_ERR(pg_fdt_prop_string(&fdt, &p, 2, &s), PG_OK);
        CHECK(s != NULL);
        CHECK(s && !strcmp(s, "hi"));
        CHECK_ERR(pg_fdt_prop_string(&fdt, &p, 1, &s), PG_ERR_HANDOFF_STRING_TOO_LONG);
        CHECK_ERR(pg_fdt_prop_u32(&fdt, &p, &v), PG_ERR_HANDOFF_BAD_PROPERTY_LENGTH);
        CHECK(!pg_fdt_next_prop(&fdt, &p));
        n = pg_fdt_first_subnode(&fdt, PG_FDT_ROOT);
        CHECK(n > 0);
        CHECK(!strcmp(pg_fdt_node_name(&fdt, n), "n@1"));
        CHECK(pg_fdt_find_prop(&fdt, n, "b", &p));
        CHECK_INT(p.len, 0);
        CHECK_ERR(pg_fdt_prop_string(&fdt, &p, 8, &s), PG_ERR_HANDOFF_UNTERMINATED_STRING);
        CHECK(!pg_fdt_find_prop(&fdt, n, "a", &p));
        CHECK(pg_fdt_first_subnode(&fdt, n) < 0);
        n = pg_fdt_next_subnode(&fdt, n);
        CHECK(n > 0);
        CHECK(!strcmp(pg_fdt_node_name(&fdt, n), "m"));
        CHECK(!pg_fdt_first_prop(&fdt, n, &p));
        CHECK(pg_fdt_next_subnode(&fdt, n) < 0);
        CHECK(pg_fdt_subnode(&fdt, PG_FDT_ROOT, "m") == n);
        CHECK(pg_fdt_subnode(&fdt, PG_FDT_ROOT, "n") < 0);
        CHECK(pg_fdt_next_subnode(&fdt, PG_FDT_ROOT) < 0);
}

TEST(string_values)
{
        static const struct {
                const char *value;
                uint32_t len;
                pg_err want;
        } cases[] = {
                { "ok", 3, PG_OK },
                { "", 1, PG_ERR_HANDOFF_BAD_STRING },
                { "a\0b", 4, PG_ERR_HANDOFF_BAD_STRING },
                { "tab\there", 9, PG_ERR_HANDOFF_BAD_STRING },
                { "del\x7f", 5, PG_ERR_HANDOFF_BAD_STRING },
                { "hi\xff", 4, PG_ERR_HANDOFF_BAD_STRING },
                { "abc", 3, PG_ERR_HANDOFF_UNTERMINATED_STRING },
                { "", 0, PG_ERR_HANDOFF_UNTERMINATED_STRING },
        };
        struct pg_fdt fdt;
        struct pg_fdt_prop p;
        const char *s;

        set_rules();
        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                r_reset();
                r_begin("");
                r_prop("s", cases[i].value, cases[i].len);
                r_end();
                r_u32(TOKEN_END);
                CHECK_ERR(pg_fdt_open(&fdt, out, r_build_at(40), &rules), PG_OK);
                CHECK(pg_fdt_first_prop(&fdt, PG_FDT_ROOT, &p));
                CHECK_ERR(pg_fdt_prop_string(&fdt, &p, 15, &s), cases[i].want);
        }
}

/* ---- structure faults ------------------------------------------------------- */

TEST(nesting)
{
        set_rules();
        r_reset();                      /* root with a name */
        r_begin("root");
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_NESTING);

        r_reset();                      /* two roots */
        r_begin("");
        r_end();
        r_begin("");
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_NESTING);

        r_reset();                      /* FDT_END inside the root */
        r_begin("");
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_NESTING);

        r_reset();                      /* a property before the root */
        r_prop_u32("a", 1);
        r_begin("");
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_NESTING);

        r_reset();                      /* no node at all */
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_NESTING);

        r_reset();                      /* one FDT_END_NODE too many */
        r_begin("");
        r_end();
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_NESTING);
}

TEST(end_of_structure_block)
{
        set_rules();
        r_valid_tree();
        r_u32(0);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_TRAILING_DATA);
        r_valid_tree();
        raw.slen -= 4;
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_STRUCT_TRUNCATED);
        r_valid_tree();
        raw.slen -= 2;
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_STRUCT_TRUNCATED);
}

TEST(tokens)
{
        set_rules();
        r_reset();
        r_begin("");
        r_u32(TOKEN_NOP);
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_TAG);
        r_reset();
        r_begin("");
        r_u32(5);
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_TAG);
        r_reset();
        r_begin("");
        r_u32(0x03000000);              /* a little-endian FDT_PROP */
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_TAG);
}

TEST(truncated_tokens)
{
        set_rules();
        r_reset();                      /* node name without NUL up to the block end */
        r_begin("");
        r_u32(TOKEN_BEGIN_NODE);
        memcpy(raw.s + raw.slen, "abcd", 4);
        raw.slen += 4;
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_UNTERMINATED_NAME);
        r_reset();                      /* name NUL present, padding missing */
        r_begin("");
        r_u32(TOKEN_BEGIN_NODE);
        memcpy(raw.s + raw.slen, "ab", 3);
        raw.slen += 3;
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_STRUCT_TRUNCATED);
        r_reset();                      /* property header cut */
        r_begin("");
        r_u32(TOKEN_PROP);
        r_u32(4);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_STRUCT_TRUNCATED);
        r_reset();                      /* property value past the block */
        r_begin("");
        r_u32(TOKEN_PROP);
        r_u32(0xfffffffdu);
        r_u32(r_string("a"));
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_STRUCT_TRUNCATED);
}

TEST(property_names)
{
        set_rules();
        r_reset();
        r_begin("");
        r_string("a");
        r_prop_at(2, "", 0);            /* offset equal to the strings size */
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_NAME_OFFSET);
        r_reset();
        r_begin("");
        r_prop_at(0xffffffffu, "", 0);
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_BAD_NAME_OFFSET);
        r_reset();
        r_begin("");
        r_prop_at(0, "", 0);
        r_end();
        r_u32(TOKEN_END);
        memcpy(raw.str, "abc", 3);      /* strings block without a NUL */
        raw.str_len = 3;
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_UNTERMINATED_NAME);
}

static pg_err open_with_names(const char *node, const char *prop)
{
        r_reset();
        r_begin("");
        r_begin(node);
        r_prop(prop, "", 0);
        r_end();
        r_end();
        r_u32(TOKEN_END);
        return r_open();
}

TEST(names)
{
        set_rules();
        CHECK_ERR(open_with_names("cpu@0", "#address-cells"), PG_OK);
        CHECK_ERR(open_with_names("a,b.c_d+e-f", "linux,code?"), PG_OK);
        CHECK_ERR(open_with_names("abcdefghijklmno", "abcdefghijklmno"), PG_OK);
        CHECK_ERR(open_with_names("abcdefghijklmnop", "p"), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("n", "abcdefghijklmnop"), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("", "p"), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("a b", "p"), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("@0", "p"), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("a@0@1", "p"), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("a/b", "p"), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("n", ""), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("n", "a@b"), PG_ERR_HANDOFF_FDT_BAD_NAME);
        CHECK_ERR(open_with_names("n", "a\x1b"), PG_ERR_HANDOFF_FDT_BAD_NAME);
}

TEST(property_after_subnode)
{
        set_rules();
        r_reset();
        r_begin("");
        r_begin("n");
        r_end();
        r_prop_u32("a", 1);
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_FDT_PROPERTY_AFTER_SUBNODE);
}

TEST(caps)
{
        char name[8];

        set_rules();
        r_reset();                      /* depth 3 with max_depth 2 */
        r_begin("");
        r_begin("a");
        r_begin("b");
        r_begin("c");
        r_end();
        r_end();
        r_end();
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_NODE_TOO_DEEP);
        r_reset();
        r_begin("");
        for (unsigned i = 0; i < 5; i++) {
                snprintf(name, sizeof(name), "p%u", i);
                r_prop_u32(name, i);
        }
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_TOO_MANY_PROPERTIES);
        r_reset();
        r_begin("");
        for (unsigned i = 0; i < 5; i++) {
                snprintf(name, sizeof(name), "n%u", i);
                r_begin(name);
                r_end();
        }
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_TOO_MANY_NODES);
        r_valid_tree();
        rules.max_size = r_build_at(40) - 1;
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_TOO_LARGE);
}

TEST(duplicates)
{
        set_rules();
        r_reset();                      /* two name strings with the same text */
        r_begin("");
        r_prop_u32("a", 1);
        r_prop_u32("a", 2);
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_DUPLICATE_PROPERTY);
        r_reset();
        r_begin("");
        r_begin("n");
        r_end();
        r_begin("m");
        r_end();
        r_begin("n");
        r_end();
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_ERR_HANDOFF_DUPLICATE_NODE);
        r_reset();                      /* the same names in different nodes */
        r_begin("");
        r_prop_u32("a", 1);
        r_begin("n");
        r_prop_u32("a", 1);
        r_begin("n");
        r_prop_u32("a", 1);
        r_end();
        r_end();
        r_begin("m");
        r_begin("n");
        r_end();
        r_end();
        r_end();
        r_u32(TOKEN_END);
        CHECK_ERR(r_open(), PG_OK);
}

/* ---- the rules table -------------------------------------------------------- */

TEST(rules_never_map_to_ok)
{
        static pg_err table[PG_FDT_FAULT_COUNT];
        struct pg_fdt fdt;
        size_t len;

        set_rules();
        r_valid_tree();
        len = r_build_at(40);
        memset(table, 0, sizeof(table));
        table[0] = PG_ERR_HANDOFF_FDT_BAD_NESTING;
        rules.errors = table;
        /* A fault without its own entry reports the table's fallback. */
        CHECK_ERR(pg_fdt_error(&rules, PG_FDT_FAULT_BAD_TAG), PG_ERR_HANDOFF_FDT_BAD_NESTING);
        CHECK_ERR(pg_fdt_error(&rules, PG_FDT_FAULT_COUNT), PG_ERR_HANDOFF_FDT_BAD_NESTING);
        CHECK_ERR(pg_fdt_open(&fdt, out, len - 1, &rules), PG_ERR_HANDOFF_FDT_BAD_NESTING);
        table[0] = PG_OK;
        CHECK_ERR(pg_fdt_error(&rules, PG_FDT_FAULT_BAD_TAG), PG_FDT_ERR_UNMAPPED);
        CHECK_ERR(pg_fdt_open(&fdt, out, len, &rules), PG_FDT_ERR_UNMAPPED);
        rules.errors = NULL;
        CHECK_ERR(pg_fdt_open(&fdt, out, len, &rules), PG_FDT_ERR_UNMAPPED);
        CHECK_ERR(pg_fdt_open(&fdt, out, len, NULL), PG_FDT_ERR_UNMAPPED);
        set_rules();
        rules.max_depth = PG_FDT_MAX_DEPTH + 1;
        CHECK_ERR(pg_fdt_open(&fdt, out, len, &rules), pg_handoff_fdt_rules.errors[0]);
}

int main(void)
{
        RUN(dtc_and_libfdt_layouts_accepted);
        RUN(iteration_and_values);
        RUN(string_values);
        RUN(nesting);
        RUN(end_of_structure_block);
        RUN(tokens);
        RUN(truncated_tokens);
        RUN(property_names);
        RUN(names);
        RUN(property_after_subnode);
        RUN(caps);
        RUN(duplicates);
        RUN(rules_never_map_to_ok);
        return TEST_SUMMARY();
}
