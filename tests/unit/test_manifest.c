/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The signed manifest core. Payloads are built with libfdt's sequential-write
 * API from one table and then changed one property or node at a time. Raw
 * FDTs cover structural faults. Envelopes are signed in-process with OpenSSL
 * and then broken one field at a time. Every check asserts the exact code.
 */
#include <libfdt.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "test.h"
#include "crypto/sha256.h"
#include "gates/manifest.h"

/* ---- payload table ------------------------------------------------------ */

#define BE32(v) (uint8_t)((v) >> 24), (uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v)
#define HASH(b) b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, \
                b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b

enum item_kind { BEGIN, END, STR, LIST, U32, U64, SHA, PAIR };

/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding): fields in table order */
struct item {
        enum item_kind kind;
        const char *name;
        const void *value;
        int len;
};

#define NODE(n) { BEGIN, n, NULL, 0 }
#define CLOSE { END, NULL, NULL, 0 }
#define S(n, s) { STR, n, s, sizeof(s) }
#define L(n, s) { LIST, n, s, sizeof(s) }
#define U(n, v) { U32, n, (const uint8_t[]){ BE32(v) }, 4 }
#define H(n, b) { SHA, n, (const uint8_t[]){ HASH(b) }, 32 }

static const struct item manifest_items[] = {
        NODE(""),
        { PAIR, "format-version", (const uint8_t[]){ BE32(1), BE32(0) }, 8 },
        NODE("identity"),
        S("product", "acme-gateway"),
        S("version", "2.4.1"),
        S("build-id", "20261204.3"),
        U("security-version", 42),
        U("minimum-security-version", 41),
        S("build-type", "production"),
        S("channel", "stable"),
        CLOSE,
        NODE("provenance"),
        S("builder-id", "ci"),
        S("source-repository", "https://git.example.com/acme.git"),
        S("source-revision", "3f2a9c0d"),
        { U64, "build-time", (const uint8_t[]){ BE32(0), BE32(1796385600) }, 8 },
        NODE("artifacts"),
        NODE("kernel"),
        H("sha256", 0x11),
        CLOSE,
        CLOSE,
        CLOSE,
        NODE("boot"),
        NODE("next-stage"),
        S("path", "\\EFI\\Linux\\acme.efi"),
        H("sha256", 0x22),
        S("cmdline", "ro quiet"),
        S("initrd", "\\EFI\\Linux\\acme.initrd"),
        H("initrd-sha256", 0x44),
        CLOSE,
        NODE("recovery-stage"),
        S("path", "\\EFI\\Linux\\recovery.efi"),
        H("sha256", 0x33),
        CLOSE,
        NODE("expectations"),
        S("secure-boot", "on"),
        S("setup-mode", "off"),
        CLOSE,
        NODE("pcrs"),
        NODE("pcr7"),
        H("sha256", 0x44),
        CLOSE,
        CLOSE,
        CLOSE,
        NODE("policy"),
        U("gates-pcr", 14),
        U("anti-rollback-nv-index", 0x01500100),
        L("production-readiness", "build-integrity\0boot-integrity"),
        L("ota-eligibility", "update-integrity"),
        NODE("gates"),
        NODE("build-integrity"), S("requirement", "required"), S("enforcement", "enforce"), CLOSE,
        NODE("boot-integrity"), S("requirement", "required"), S("enforcement", "audit"), CLOSE,
        NODE("runtime-security"), S("requirement", "advisory"), CLOSE,
        NODE("platform-configuration"), S("requirement", "required"),
        S("enforcement", "enforce"), CLOSE,
        NODE("network-security"), S("requirement", "advisory"), CLOSE,
        NODE("application-exposure"), S("requirement", "advisory"), CLOSE,
        NODE("privacy-controls"), S("requirement", "advisory"), CLOSE,
        NODE("device-management"), S("requirement", "not-applicable"), CLOSE,
        NODE("update-integrity"), S("requirement", "required"), S("enforcement", "enforce"),
        CLOSE,
        NODE("security-monitoring"), S("requirement", "advisory"), CLOSE,
        CLOSE,
        CLOSE,
        NODE("runtime-checks"),
        NODE("firewall"),
        S("gate", "network-security"),
        U("objective", 2),
        S("kind", "unit-active"),
        L("parameters", "unit=nftables.service\0state=active"),
        S("severity", "fail"),
        S("remediation", "Enable nftables.service."),
        CLOSE,
        NODE("lockdown"),
        S("gate", "runtime-security"),
        U("objective", 1),
        S("kind", "file-contains"),
        S("severity", "degraded"),
        S("remediation", "Boot with lockdown=integrity."),
        CLOSE,
        CLOSE,
        CLOSE,
};

/* Optional properties and nodes of the table: leaving one out is no error. */
static const char *const optional_props[] = { "cmdline", "gates-pcr", "parameters", NULL };
static const char *const optional_nodes[] = { "/provenance", "/boot/recovery-stage",
                                              "/boot/pcrs", "/boot/pcrs/pcr7",
                                              "/runtime-checks", "/runtime-checks/firewall",
                                              "/runtime-checks/lockdown", NULL };

enum mutation_action { SKIP, REPLACE, ADD_PROP, ADD_NODE };

/* A change to the table: at node path (and property prop, or the node itself
 * when prop is NULL), skip it, replace its value, or add a property or an
 * empty subnode named name. */
/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding): fields in table order */
struct mutation {
        enum mutation_action action;
        const char *path;
        const char *prop;
        const void *value;
        int len;
        const char *name;
};

static bool in_list(const char *const *list, const char *s)
{
        for (size_t i = 0; list[i]; i++)
                if (!strcmp(list[i], s))
                        return true;
        return false;
}

/* Appends /name to path, a buffer of size bytes. A path that does not fit
 * fails the test. */
static void path_push(char *path, size_t size, const char *name)
{
        size_t used = strlen(path);
        int n = snprintf(path + used, size - used, "%s%s", strcmp(path, "/") != 0 ? "/" : "",
                         name);

        if (n < 0 || (size_t)n >= size - used)
                test_report(__FILE__, __LINE__, "path %s/%s too long", path, name);
}

static void path_pop(char *path)
{
        char *slash = strrchr(path, '/');

        if (slash == path)
                path[1] = 0;
        else
                *slash = 0;
}

static const struct mutation *find_mutation(const struct mutation *m, size_t n,
                                            const char *path, const char *prop,
                                            enum mutation_action action)
{
        for (size_t i = 0; i < n; i++)
                if (m[i].action == action && !strcmp(m[i].path, path) &&
                    ((!m[i].prop && !prop) || (m[i].prop && prop && !strcmp(m[i].prop, prop))))
                        return &m[i];
        return NULL;
}

static void add_extras(void *fdt, const struct mutation *m, size_t n, const char *path,
                       enum mutation_action action)
{
        for (size_t i = 0; i < n; i++) {
                if (m[i].action != action || strcmp(m[i].path, path) != 0)
                        continue;
                if (action == ADD_PROP) {
                        CHECK_INT(fdt_property(fdt, m[i].name, m[i].value, m[i].len), 0);
                } else {
                        CHECK_INT(fdt_begin_node(fdt, m[i].name), 0);
                        CHECK_INT(fdt_end_node(fdt), 0);
                }
        }
}

/* Builds the payload from the table with mutations applied; returns its length. */
static size_t build_payload(uint8_t *buf, size_t cap, const struct mutation *m, size_t n)
{
        char path[256] = "";
        int skip_depth = 0;

        CHECK_INT(fdt_create(buf, (int)cap), 0);
        CHECK_INT(fdt_finish_reservemap(buf), 0);
        for (size_t i = 0; i < PG_ARRAY_SIZE(manifest_items); i++) {
                const struct item *it = &manifest_items[i];
                const struct mutation *mut;

                if (skip_depth > 0) {
                        if (it->kind == BEGIN)
                                skip_depth++;
                        else if (it->kind == END)
                                skip_depth--;
                        continue;
                }
                if (it->kind == BEGIN) {
                        if (path[0] == 0)
                                strcpy(path, "/");
                        else
                                path_push(path, sizeof(path), it->name);
                        if (find_mutation(m, n, path, NULL, SKIP)) {
                                skip_depth = 1;
                                path_pop(path);
                                continue;
                        }
                        CHECK_INT(fdt_begin_node(buf, it->name), 0);
                        add_extras(buf, m, n, path, ADD_PROP);
                } else if (it->kind == END) {
                        add_extras(buf, m, n, path, ADD_NODE);
                        CHECK_INT(fdt_end_node(buf), 0);
                        path_pop(path);
                } else if (find_mutation(m, n, path, it->name, SKIP)) {
                        continue;
                } else if ((mut = find_mutation(m, n, path, it->name, REPLACE))) {
                        CHECK_INT(fdt_property(buf, it->name, mut->value, mut->len), 0);
                } else {
                        CHECK_INT(fdt_property(buf, it->name, it->value, it->len), 0);
                }
        }
        CHECK_INT(fdt_finish(buf), 0);
        return fdt_totalsize(buf);
}

static uint8_t payload_buf[PG_MANIFEST_MAX_SIZE] __attribute__((aligned(8)));

static pg_err parse_with(const struct mutation *m, size_t n, struct pg_manifest *out)
{
        size_t len = build_payload(payload_buf, sizeof(payload_buf), m, n);

        return pg_manifest_parse(payload_buf, len, out);
}

static pg_err parse_one(struct mutation mut)
{
        struct pg_manifest m;

        return parse_with(&mut, 1, &m);
}

/* Collects the errors that pg_manifest_check_schema() reports. */
struct diag_log {
        int count;
        pg_err err[16];
        char path[16][128];
        char name[16][64];
};

static void diag_collect(void *ctx, pg_err err, const char *path, const char *name)
{
        struct diag_log *log = ctx;

        if (log->count < 16) {
                log->err[log->count] = err;
                snprintf(log->path[log->count], sizeof(log->path[0]), "%s", path);
                snprintf(log->name[log->count], sizeof(log->name[0]), "%s", name ? name : "");
        }
        log->count++;
}

/* ---- payload: the valid table ------------------------------------------ */

TEST(payload_valid_fields)
{
        struct pg_manifest m;
        static const uint8_t h22[32] = { HASH(0x22) };

        memset(&m, 0xa5, sizeof(m));
        CHECK_ERR(parse_with(NULL, 0, &m), PG_OK);
        CHECK_INT(m.format_major, 1);
        CHECK_INT(m.format_minor, 0);
        CHECK(!strcmp(m.identity.product, "acme-gateway"));
        CHECK(!strcmp(m.identity.version, "2.4.1"));
        CHECK(!strcmp(m.identity.channel, "stable"));
        CHECK_INT(m.identity.security_version, 42);
        CHECK_INT(m.identity.minimum_security_version, 41);
        CHECK_INT(m.identity.build_type, PG_BUILD_PRODUCTION);
        CHECK(m.provenance.present);
        CHECK_INT(m.provenance.build_time, 1796385600);
        CHECK_INT(m.provenance.artifact_count, 1);
        CHECK(!strcmp(m.provenance.artifacts[0].name, "kernel"));
        CHECK(m.boot.next.present);
        CHECK(!strcmp(m.boot.next.path, "\\EFI\\Linux\\acme.efi"));
        CHECK_MEM(m.boot.next.sha256, h22, 32);
        CHECK(!strcmp(m.boot.next.cmdline, "ro quiet"));
        CHECK(m.boot.recovery.present);
        CHECK(!strcmp(m.boot.recovery.cmdline, ""));
        CHECK_INT(m.boot.secure_boot, PG_EXPECT_ON);
        CHECK_INT(m.boot.setup_mode, PG_EXPECT_OFF);
        CHECK_INT(m.boot.pcr_mask, 0x80);
        CHECK(m.boot.pcrs[7].has_value);
        CHECK_INT(m.policy.gates_pcr, 14);
        CHECK_INT(m.policy.nv_index, 0x01500100);
        CHECK_INT(m.policy.production_readiness, (1 << 1) | (1 << 2));
        CHECK_INT(m.policy.ota_eligibility, 1 << 9);
        CHECK_INT(m.policy.gates[0].requirement, PG_REQUIREMENT_REQUIRED);
        CHECK_INT(m.policy.gates[0].enforcement, PG_ENFORCE_ENFORCE);
        CHECK_INT(m.policy.gates[1].enforcement, PG_ENFORCE_AUDIT);
        CHECK_INT(m.policy.gates[2].enforcement, PG_ENFORCE_NONE);
        CHECK_INT(m.policy.gates[7].requirement, PG_REQUIREMENT_NOT_APPLICABLE);
        CHECK_INT(m.check_count, 2);
}

TEST(payload_defaults)
{
        struct pg_manifest m;
        struct mutation muts[] = {
                { SKIP, "/policy", "gates-pcr", NULL, 0, NULL },
                { SKIP, "/provenance", NULL, NULL, 0, NULL },
                { SKIP, "/runtime-checks", NULL, NULL, 0, NULL },
                { SKIP, "/boot/recovery-stage", NULL, NULL, 0, NULL },
                { SKIP, "/boot/next-stage", "cmdline", NULL, 0, NULL },
        };
        struct pg_manifest_check_iter it;
        struct pg_manifest_check c;

        CHECK_ERR(parse_with(muts, PG_ARRAY_SIZE(muts), &m), PG_OK);
        CHECK_INT(m.policy.gates_pcr, 13);
        CHECK(!m.provenance.present);
        CHECK(!m.boot.recovery.present);
        CHECK(!strcmp(m.boot.next.cmdline, ""));
        CHECK_INT(m.check_count, 0);
        pg_manifest_checks_begin(&m, &it);
        CHECK(!pg_manifest_checks_next(&it, &c));
}

TEST(payload_check_iterator)
{
        struct pg_manifest m;
        struct pg_manifest_check_iter it;
        struct pg_manifest_check c;

        CHECK_ERR(parse_with(NULL, 0, &m), PG_OK);
        pg_manifest_checks_begin(&m, &it);
        CHECK(pg_manifest_checks_next(&it, &c));
        CHECK(!strcmp(c.id, "firewall"));
        CHECK_INT(c.gate, PG_GATE_NETWORK_SECURITY);
        CHECK_INT(c.objective, 2);
        CHECK(!strcmp(c.kind, "unit-active"));
        CHECK_INT(c.parameter_count, 2);
        CHECK(!strcmp(c.parameters, "unit=nftables.service"));
        CHECK(!strcmp(c.parameters + strlen(c.parameters) + 1, "state=active"));
        CHECK_INT(c.severity, PG_SEVERITY_FAIL);
        CHECK(!strcmp(c.remediation, "Enable nftables.service."));
        CHECK(pg_manifest_checks_next(&it, &c));
        CHECK(!strcmp(c.id, "lockdown"));
        CHECK_INT(c.severity, PG_SEVERITY_DEGRADED);
        CHECK_INT(c.parameter_count, 0);
        CHECK(c.parameters == NULL);
        CHECK(!pg_manifest_checks_next(&it, &c));
}

/* ---- payload: one change at a time --------------------------------------- */

/* Walks the table and calls fn for every property with its node path. */
static void for_each_prop(void (*fn)(const char *path, const struct item *it))
{
        char path[256] = "";

        for (size_t i = 0; i < PG_ARRAY_SIZE(manifest_items); i++) {
                const struct item *it = &manifest_items[i];

                if (it->kind == BEGIN) {
                        if (path[0] == 0)
                                strcpy(path, "/");
                        else
                                path_push(path, sizeof(path), it->name);
                } else if (it->kind == END) {
                        path_pop(path);
                } else {
                        fn(path, it);
                }
        }
}

static void check_missing_prop(const char *path, const struct item *it)
{
        struct mutation mut = { SKIP, path, it->name, NULL, 0, NULL };
        pg_err expected = in_list(optional_props, it->name) ? PG_OK :
                          PG_ERR_MANIFEST_MISSING_PROPERTY;
        struct diag_log log = { 0 };
        size_t len;

        /* A PCR node needs one of its two properties, so its only one is required. */
        if (!strcmp(path, "/boot/pcrs/pcr7"))
                expected = PG_ERR_MANIFEST_MISSING_PROPERTY;
        len = build_payload(payload_buf, sizeof(payload_buf), &mut, 1);
        CHECK_ERR(pg_manifest_check_schema(payload_buf, len, diag_collect, &log), expected);
        if (expected == PG_OK) {
                CHECK_INT(log.count, 0);
                return;
        }
        CHECK_INT(log.count, 1);
        if (strcmp(log.path[0], path) != 0 || strcmp(log.name[0], it->name) != 0)
                test_report(__FILE__, __LINE__, "missing %s %s reported as %s \"%s\"", path,
                            it->name, log.path[0], log.name[0]);
}

TEST(payload_each_property_missing)
{
        for_each_prop(check_missing_prop);
}

static void check_wrong_length(const char *path, const struct item *it)
{
        static const uint8_t long_value[40] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        static const uint8_t unterminated[] = { 'o', 'n' };
        struct mutation mut = { REPLACE, path, it->name, long_value, 0, NULL };

        switch (it->kind) {
        case U32:
        case U64:
        case PAIR:
        case SHA:
                mut.len = it->len + 1;
                CHECK_ERR(parse_one(mut), PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH);
                mut.len = it->len - 1;
                CHECK_ERR(parse_one(mut), PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH);
                mut.len = 0;
                CHECK_ERR(parse_one(mut), PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH);
                break;
        case STR:
        case LIST:
                mut.value = unterminated;
                mut.len = sizeof(unterminated);
                CHECK_ERR(parse_one(mut), PG_ERR_MANIFEST_UNTERMINATED_STRING);
                mut.len = 0;
                CHECK_ERR(parse_one(mut), PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH);
                break;
        default:
                break;
        }
}

TEST(payload_each_property_wrong_length)
{
        for_each_prop(check_wrong_length);
}

static void for_each_node(void (*fn)(const char *path))
{
        char path[256] = "";

        for (size_t i = 0; i < PG_ARRAY_SIZE(manifest_items); i++) {
                const struct item *it = &manifest_items[i];

                if (it->kind == BEGIN) {
                        if (path[0] == 0) {
                                strcpy(path, "/");
                                continue;
                        }
                        path_push(path, sizeof(path), it->name);
                        fn(path);
                } else if (it->kind == END && strcmp(path, "/") != 0) {
                        path_pop(path);
                }
        }
}

static void check_missing_node(const char *path)
{
        struct mutation mut = { SKIP, path, NULL, NULL, 0, NULL };
        pg_err expected = in_list(optional_nodes, path) ? PG_OK : PG_ERR_MANIFEST_MISSING_NODE;
        pg_err got = parse_one(mut);

        if (got != expected)
                test_report(__FILE__, __LINE__, "without %s: %s, expected %s", path,
                            test_err_name(got), test_err_name(expected));
}

TEST(payload_each_node_missing)
{
        for_each_node(check_missing_node);
}

static void check_unknown_node(const char *path)
{
        struct mutation mut = { ADD_NODE, path, NULL, NULL, 0, "extra" };
        /* Every child of these two nodes is an entry, whatever its name. */
        bool entry_list = !strcmp(path, "/runtime-checks") || !strcmp(path, "/provenance/artifacts");
        pg_err got = parse_one(mut);

        if (entry_list)
                CHECK_ERR(got, PG_ERR_MANIFEST_MISSING_PROPERTY);
        else if (got != PG_ERR_MANIFEST_UNKNOWN_NODE)
                test_report(__FILE__, __LINE__, "extra node under %s: %s", path,
                            test_err_name(got));
}

TEST(payload_unknown_node_anywhere)
{
        check_unknown_node("/");
        for_each_node(check_unknown_node);
}

static void check_unknown_prop(const char *path)
{
        struct mutation mut = { ADD_PROP, path, NULL, "x", 2, "colour" };
        pg_err got = parse_one(mut);

        if (got != PG_ERR_MANIFEST_UNKNOWN_PROPERTY)
                test_report(__FILE__, __LINE__, "extra property in %s: %s", path,
                            test_err_name(got));
}

TEST(payload_unknown_property_anywhere)
{
        check_unknown_prop("/");
        for_each_node(check_unknown_prop);
}

#define REPL(path, prop, lit) \
        ((struct mutation){ REPLACE, path, prop, lit, sizeof(lit), NULL })
#define REPL_U32(path, prop, v) \
        ((struct mutation){ REPLACE, path, prop, (const uint8_t[]){ BE32(v) }, 4, NULL })

TEST(payload_bad_values)
{
        CHECK_ERR(parse_one(REPL("/identity", "build-type", "prod")),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);

        CHECK_ERR(parse_one(REPL_U32("/identity", "minimum-security-version", 43)),
                  PG_ERR_MANIFEST_MIN_SVN_ABOVE_SVN);
        CHECK_ERR(parse_one(REPL_U32("/identity", "minimum-security-version", 42)), PG_OK);
        CHECK_ERR(parse_one(REPL("/boot/expectations", "secure-boot", "yes")),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK_ERR(parse_one(REPL("/boot/expectations", "setup-mode", "any")), PG_OK);
        CHECK_ERR(parse_one(REPL("/boot/next-stage", "path", "EFI\\Linux\\a.efi")),
                  PG_ERR_MANIFEST_BAD_STRING);
        CHECK_ERR(parse_one(REPL("/boot/next-stage", "path", "\\EFI/Linux/a.efi")),
                  PG_ERR_MANIFEST_BAD_STRING);

        CHECK_ERR(parse_one(REPL("/policy/gates/boot-integrity", "requirement", "must")),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK_ERR(parse_one(REPL("/policy/gates/boot-integrity", "enforcement", "warn")),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK_ERR(parse_one(REPL("/policy", "production-readiness", "boot-integrity\0nope")),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK_ERR(parse_one(REPL("/policy", "ota-eligibility",
                                 "boot-integrity\0boot-integrity")),
                  PG_ERR_MANIFEST_DUPLICATE_ENTRY);

        CHECK_ERR(parse_one(REPL("/runtime-checks/firewall", "severity", "warning")),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK_ERR(parse_one(REPL("/runtime-checks/firewall", "gate", "boot-integrity")),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK_ERR(parse_one(REPL("/runtime-checks/firewall", "gate", "update-integrity")),
                  PG_OK);
        CHECK_ERR(parse_one(REPL("/runtime-checks/firewall", "kind", "Unit_Active")),
                  PG_ERR_MANIFEST_BAD_STRING);
        CHECK_ERR(parse_one(REPL_U32("/runtime-checks/firewall", "objective", 3)),
                  PG_ERR_MANIFEST_VALUE_OUT_OF_RANGE);
}

TEST(payload_integer_ranges)
{
        static const uint32_t allowed[] = { 8, 9, 10, 13, 14 };
        static const uint32_t rejected[] = { 0, 4, 7, 11, 12, 15, 16, 23, 24, 0xffffffff };

        for (size_t i = 0; i < PG_ARRAY_SIZE(allowed); i++)
                CHECK_ERR(parse_one(REPL_U32("/policy", "gates-pcr", allowed[i])), PG_OK);
        for (size_t i = 0; i < PG_ARRAY_SIZE(rejected); i++)
                CHECK_ERR(parse_one(REPL_U32("/policy", "gates-pcr", rejected[i])),
                          PG_ERR_MANIFEST_VALUE_OUT_OF_RANGE);
        CHECK_ERR(parse_one(REPL_U32("/policy", "anti-rollback-nv-index", 0x01000000)), PG_OK);
        CHECK_ERR(parse_one(REPL_U32("/policy", "anti-rollback-nv-index", 0x01ffffff)), PG_OK);
        CHECK_ERR(parse_one(REPL_U32("/policy", "anti-rollback-nv-index", 0x00ffffff)),
                  PG_ERR_MANIFEST_VALUE_OUT_OF_RANGE);
        CHECK_ERR(parse_one(REPL_U32("/policy", "anti-rollback-nv-index", 0x02000000)),
                  PG_ERR_MANIFEST_VALUE_OUT_OF_RANGE);
}

TEST(payload_stage_initrd)
{
        struct pg_manifest m;
        static const uint8_t h44[32] = { HASH(0x44) };
        struct mutation no_initrd[] = {
                { SKIP, "/boot/next-stage", "initrd", NULL, 0, NULL },
                { SKIP, "/boot/next-stage", "initrd-sha256", NULL, 0, NULL },
        };

        CHECK_ERR(parse_with(NULL, 0, &m), PG_OK);
        CHECK(m.boot.next.has_initrd);
        CHECK(!strcmp(m.boot.next.initrd, "\\EFI\\Linux\\acme.initrd"));
        CHECK_MEM(m.boot.next.initrd_sha256, h44, 32);
        CHECK(!m.boot.recovery.has_initrd);

        CHECK_ERR(parse_with(no_initrd, PG_ARRAY_SIZE(no_initrd), &m), PG_OK);
        CHECK(!m.boot.next.has_initrd);
        CHECK(m.boot.next.initrd == NULL);

        CHECK_ERR(parse_one(REPL("/boot/next-stage", "initrd", "EFI\\Linux\\acme.initrd")),
                  PG_ERR_MANIFEST_BAD_STRING);
        CHECK_ERR(parse_one(REPL("/boot/next-stage", "initrd", "/EFI/Linux/acme.initrd")),
                  PG_ERR_MANIFEST_BAD_STRING);
}

TEST(payload_string_rules)
{
        static char long_product[130];

        CHECK_ERR(parse_one(REPL("/identity", "product", "")), PG_ERR_MANIFEST_BAD_STRING);
        CHECK_ERR(parse_one(REPL("/identity", "product", "a\0b")), PG_ERR_MANIFEST_BAD_STRING);
        CHECK_ERR(parse_one(REPL("/identity", "product", "tab\there")),
                  PG_ERR_MANIFEST_BAD_STRING);
        CHECK_ERR(parse_one(REPL("/identity", "product", "caf\xc3\xa9")),
                  PG_ERR_MANIFEST_BAD_STRING);
        CHECK_ERR(parse_one(REPL("/boot/next-stage", "cmdline", "")), PG_OK);
        CHECK_ERR(parse_one(REPL("/policy", "ota-eligibility", "boot-integrity\0\0")),
                  PG_ERR_MANIFEST_BAD_STRING);
        memset(long_product, 'a', 129);
        CHECK_ERR(parse_one(REPL("/identity", "product", long_product)),
                  PG_ERR_MANIFEST_STRING_TOO_LONG);
        long_product[128] = 0;
        CHECK_ERR(parse_one((struct mutation){ REPLACE, "/identity", "product", long_product,
                                               129, NULL }), PG_OK);
}

TEST(payload_list_caps)
{
        static uint8_t digests[33 * 32];
        static char params[17 * 4];
        struct mutation mut = { REPLACE, "/boot/pcrs/pcr7", "event-digests", digests, 0, NULL };

        mut.prop = "sha256";
        mut.action = SKIP;
        {
                struct mutation two[2] = { mut, { ADD_PROP, "/boot/pcrs/pcr7", NULL, digests,
                                                  32 * 32, "event-digests" } };
                struct pg_manifest m;

                CHECK_ERR(parse_with(two, 2, &m), PG_OK);
                CHECK_INT(m.boot.pcrs[7].event_digest_count, 32);
                CHECK(!m.boot.pcrs[7].has_value);
                two[1].len = 33 * 32;
                CHECK_ERR(parse_with(two, 2, &m), PG_ERR_MANIFEST_TOO_MANY_ENTRIES);
                two[1].len = 40;
                CHECK_ERR(parse_with(two, 2, &m), PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH);
        }
        for (size_t i = 0; i < 17; i++)
                memcpy(params + 4 * i, "p=x", 4);
        CHECK_ERR(parse_one((struct mutation){ REPLACE, "/runtime-checks/firewall", "parameters",
                                               params, 16 * 4, NULL }), PG_OK);
        CHECK_ERR(parse_one((struct mutation){ REPLACE, "/runtime-checks/firewall", "parameters",
                                               params, 17 * 4, NULL }),
                  PG_ERR_MANIFEST_TOO_MANY_ENTRIES);
}

TEST(payload_too_many_artifacts)
{
        static const char *const names[] = { "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8" };
        struct mutation muts[8];
        struct pg_manifest m;

        /* The table has one artifact, "kernel"; 7 more reach the cap, 8 pass it.
         * The added nodes are empty, so each also lacks "sha256". */
        for (size_t i = 0; i < 8; i++)
                muts[i] = (struct mutation){ ADD_NODE, "/provenance/artifacts", NULL, NULL, 0,
                                             names[i] };
        CHECK_ERR(parse_with(muts, 7, &m), PG_ERR_MANIFEST_MISSING_PROPERTY);
        {
                struct diag_log log = { 0 };
                size_t len = build_payload(payload_buf, sizeof(payload_buf), muts, 8);

                CHECK_ERR(pg_manifest_check_schema(payload_buf, len, diag_collect, &log),
                          PG_ERR_MANIFEST_MISSING_PROPERTY);
                CHECK_INT(log.count, 8);
                CHECK_ERR(log.err[7], PG_ERR_MANIFEST_TOO_MANY_ENTRIES);
                CHECK(!strcmp(log.path[7], "/provenance/artifacts"));
                CHECK(!strcmp(log.name[7], "a8"));
        }
}

/* Artifact and runtime-check names are taken as they are, so the unit
 * address that the FDT walker lets through is rejected by the schema. */
TEST(payload_entry_unit_address)
{
        static const char *const lists[] = { "/provenance/artifacts", "/runtime-checks" };

        for (size_t i = 0; i < PG_ARRAY_SIZE(lists); i++) {
                struct mutation mut = { ADD_NODE, lists[i], NULL, NULL, 0, "entry@1" };
                struct diag_log log = { 0 };
                size_t len = build_payload(payload_buf, sizeof(payload_buf), &mut, 1);

                CHECK_ERR(parse_one(mut), PG_ERR_MANIFEST_FDT_BAD_NAME);
                CHECK_ERR(pg_manifest_check_schema(payload_buf, len, diag_collect, &log),
                          PG_ERR_MANIFEST_FDT_BAD_NAME);
                CHECK_ERR(log.err[0], PG_ERR_MANIFEST_FDT_BAD_NAME);
                CHECK(!strcmp(log.path[0], lists[i]));
                CHECK(!strcmp(log.name[0], "entry@1"));
        }
}

TEST(payload_format_versions)
{
        struct mutation newer_minor = REPL("/", "format-version",
                                           ((const uint8_t[]){ BE32(1), BE32(1) }));
        struct mutation optional_prop = { ADD_PROP, "/boot", NULL, "x", 2, "optional-hint" };
        struct mutation optional_node = { ADD_NODE, "/policy", NULL, NULL, 0, "optional-extra" };
        struct mutation plain_prop = { ADD_PROP, "/boot", NULL, "x", 2, "hint" };
        struct pg_manifest m;

        CHECK_ERR(parse_one(REPL("/", "format-version",
                                 ((const uint8_t[]){ BE32(2), BE32(0) }))),
                  PG_ERR_MANIFEST_UNSUPPORTED_FORMAT);
        CHECK_ERR(parse_one(REPL("/", "format-version",
                                 ((const uint8_t[]){ BE32(0), BE32(9) }))),
                  PG_ERR_MANIFEST_UNSUPPORTED_FORMAT);
        CHECK_ERR(parse_one(newer_minor), PG_OK);

        /* Same minor version: "optional-" names are unknown like any other. */
        CHECK_ERR(parse_one(optional_prop), PG_ERR_MANIFEST_UNKNOWN_PROPERTY);
        CHECK_ERR(parse_one(optional_node), PG_ERR_MANIFEST_UNKNOWN_NODE);

        /* Newer minor version: "optional-" names are skipped, others are not. */
        CHECK_ERR(parse_with((struct mutation[]){ newer_minor, optional_prop }, 2, &m), PG_OK);
        CHECK_INT(m.format_minor, 1);
        CHECK_ERR(parse_with((struct mutation[]){ newer_minor, optional_node }, 2, &m), PG_OK);
        CHECK_ERR(parse_with((struct mutation[]){ newer_minor, plain_prop }, 2, &m),
                  PG_ERR_MANIFEST_UNKNOWN_PROPERTY);
}

TEST(payload_all_errors_reported)
{
        struct mutation muts[] = {
                { SKIP, "/boot/next-stage", "sha256", NULL, 0, NULL },
                REPL("/identity", "build-type", "prod"),
                { ADD_PROP, "/runtime-checks/firewall", NULL, "red", 4, "colour" },
                { SKIP, "/policy/gates/device-management", NULL, NULL, 0, NULL },
        };
        struct diag_log log = { 0 };
        size_t len = build_payload(payload_buf, sizeof(payload_buf), muts, PG_ARRAY_SIZE(muts));

        CHECK_ERR(pg_manifest_check_schema(payload_buf, len, diag_collect, &log),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK_INT(log.count, 4);
        CHECK_ERR(log.err[0], PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK(!strcmp(log.path[0], "/identity"));
        CHECK(!strcmp(log.name[0], "build-type"));
        CHECK_ERR(log.err[1], PG_ERR_MANIFEST_MISSING_PROPERTY);
        CHECK(!strcmp(log.path[1], "/boot/next-stage"));
        CHECK(!strcmp(log.name[1], "sha256"));
        CHECK_ERR(log.err[2], PG_ERR_MANIFEST_MISSING_NODE);
        CHECK(!strcmp(log.path[2], "/policy/gates"));
        CHECK(!strcmp(log.name[2], "device-management"));
        CHECK_ERR(log.err[3], PG_ERR_MANIFEST_UNKNOWN_PROPERTY);
        CHECK(!strcmp(log.path[3], "/runtime-checks/firewall"));
        CHECK(!strcmp(log.name[3], "colour"));
}

TEST(payload_out_untouched_on_error)
{
        struct pg_manifest m;

        memset(&m, 0x5a, sizeof(m));
        CHECK_ERR(parse_with((struct mutation[]){ REPL("/identity", "build-type", "x") }, 1, &m),
                  PG_ERR_MANIFEST_BAD_ENUM_VALUE);
        CHECK_FILLED(&m, 0x5a, sizeof(m));
}

/* ---- payload: FDT structure ------------------------------------------------ */

/* Assembles an FDT from a raw structure block and strings block. */
static size_t raw_fdt(uint8_t *out, const uint8_t *structs, size_t struct_len,
                      const char *strings, size_t strings_len)
{
        size_t off_struct = 40 + 16, off_strings = off_struct + struct_len;
        size_t total = off_strings + strings_len;

        memset(out, 0, total);
        pg_store_be32(out + 0, 0xd00dfeed);
        pg_store_be32(out + 4, (uint32_t)total);
        pg_store_be32(out + 8, (uint32_t)off_struct);
        pg_store_be32(out + 12, (uint32_t)off_strings);
        pg_store_be32(out + 16, 40);
        pg_store_be32(out + 20, 17);
        pg_store_be32(out + 24, 16);
        pg_store_be32(out + 32, (uint32_t)strings_len);
        pg_store_be32(out + 36, (uint32_t)struct_len);
        memcpy(out + off_struct, structs, struct_len);
        memcpy(out + off_strings, strings, strings_len);
        return total;
}

#define T_BEGIN 0, 0, 0, 1
#define T_END_NODE 0, 0, 0, 2
#define T_PROP 0, 0, 0, 3
#define T_NOP 0, 0, 0, 4
#define T_END 0, 0, 0, 9
#define ROOT T_BEGIN, 0, 0, 0, 0

static pg_err parse_raw(const uint8_t *structs, size_t struct_len, const char *strings,
                        size_t strings_len)
{
        struct pg_manifest m;
        size_t len = raw_fdt(payload_buf, structs, struct_len, strings, strings_len);

        return pg_manifest_parse(payload_buf, len, &m);
}

#define RAW(s, str) parse_raw(s, sizeof(s), str, sizeof(str) - 1)

TEST(fdt_structure_faults)
{
        static const uint8_t empty_root[] = { ROOT, T_END_NODE, T_END };
        static const uint8_t nop[] = { ROOT, T_NOP, T_END_NODE, T_END };
        static const uint8_t no_end[] = { ROOT, T_END_NODE };
        static const uint8_t trailing[] = { ROOT, T_END_NODE, T_END, T_END };
        static const uint8_t two_roots[] = { ROOT, T_END_NODE, ROOT, T_END_NODE, T_END };
        static const uint8_t named_root[] = { T_BEGIN, 'a', 0, 0, 0, T_END_NODE, T_END };
        static const uint8_t open_root[] = { ROOT, T_END };
        static const uint8_t bad_name[] = { ROOT, T_BEGIN, 'a', '/', 0, 0, T_END_NODE,
                                            T_END_NODE, T_END };
        static const uint8_t bad_nameoff[] = { ROOT, T_PROP, 0, 0, 0, 0, 0, 0, 0, 9,
                                               T_END_NODE, T_END };
        static const uint8_t dup_prop[] = { ROOT, T_PROP, 0, 0, 0, 0, 0, 0, 0, 0,
                                            T_PROP, 0, 0, 0, 0, 0, 0, 0, 2, T_END_NODE, T_END };
        static const uint8_t dup_node[] = { ROOT, T_BEGIN, 'a', 0, 0, 0, T_END_NODE,
                                            T_BEGIN, 'a', 0, 0, 0, T_END_NODE, T_END_NODE,
                                            T_END };
        static const uint8_t prop_after_node[] = { ROOT, T_BEGIN, 'a', 0, 0, 0, T_END_NODE,
                                                   T_PROP, 0, 0, 0, 0, 0, 0, 0, 0,
                                                   T_END_NODE, T_END };
        static const uint8_t prop_too_long[] = { ROOT, T_PROP, 0, 0, 1, 0, 0, 0, 0, 0,
                                                 T_END_NODE, T_END };
        static const uint8_t unknown_tag[] = { ROOT, 0, 0, 0, 7, T_END_NODE, T_END };
        static const uint8_t unterminated[] = { ROOT, T_BEGIN, 'a', 'b', 'c', 'd' };
        static const uint8_t nameoff_0[] = { ROOT, T_PROP, 0, 0, 0, 0, 0, 0, 0, 0,
                                             T_END_NODE, T_END };

        /* A well-formed empty tree gets through to the schema. */
        CHECK_ERR(RAW(empty_root, ""), PG_ERR_MANIFEST_MISSING_PROPERTY);
        CHECK_ERR(RAW(nop, ""), PG_ERR_MANIFEST_FDT_BAD_TAG);
        CHECK_ERR(RAW(unknown_tag, ""), PG_ERR_MANIFEST_FDT_BAD_TAG);
        CHECK_ERR(RAW(no_end, ""), PG_ERR_MANIFEST_FDT_STRUCT_TRUNCATED);
        CHECK_ERR(RAW(trailing, ""), PG_ERR_MANIFEST_FDT_TRAILING_DATA);
        CHECK_ERR(RAW(two_roots, ""), PG_ERR_MANIFEST_FDT_BAD_NESTING);
        CHECK_ERR(RAW(named_root, ""), PG_ERR_MANIFEST_FDT_BAD_NESTING);
        CHECK_ERR(RAW(open_root, ""), PG_ERR_MANIFEST_FDT_BAD_NESTING);
        CHECK_ERR(RAW(bad_name, ""), PG_ERR_MANIFEST_FDT_BAD_NAME);
        CHECK_ERR(RAW(bad_nameoff, "a\0"), PG_ERR_MANIFEST_FDT_BAD_NAME_OFFSET);
        CHECK_ERR(RAW(dup_prop, "a\0a\0"), PG_ERR_MANIFEST_DUPLICATE_PROPERTY);
        CHECK_ERR(RAW(dup_node, ""), PG_ERR_MANIFEST_DUPLICATE_NODE);
        CHECK_ERR(RAW(prop_after_node, "a\0"), PG_ERR_MANIFEST_FDT_PROPERTY_AFTER_SUBNODE);
        CHECK_ERR(RAW(prop_too_long, "a\0"), PG_ERR_MANIFEST_FDT_STRUCT_TRUNCATED);
        CHECK_ERR(RAW(unterminated, ""), PG_ERR_MANIFEST_FDT_UNTERMINATED_NAME);
        CHECK_ERR(RAW(nameoff_0, "abc"), PG_ERR_MANIFEST_FDT_UNTERMINATED_NAME);
}

TEST(fdt_depth_and_count_caps)
{
        uint8_t s[512];
        size_t n = 0;
        struct mutation props[33];
        char names[33][16];
        struct pg_manifest m;

        /* Root plus 6 nested levels is the deepest tree allowed, so it reaches
         * the schema check, which misses format-version. 7 levels are too deep. */
        for (int depth = 6; depth <= 7; depth++) {
                static const uint8_t begin[] = { ROOT };
                static const uint8_t child[] = { T_BEGIN, 'n', 0, 0, 0 };
                static const uint8_t end_node[] = { T_END_NODE };
                static const uint8_t end[] = { T_END };

                n = 0;
                memcpy(s + n, begin, sizeof(begin)), n += sizeof(begin);
                for (int i = 0; i < depth; i++)
                        memcpy(s + n, child, sizeof(child)), n += sizeof(child);
                for (int i = 0; i <= depth; i++)
                        memcpy(s + n, end_node, sizeof(end_node)), n += sizeof(end_node);
                memcpy(s + n, end, sizeof(end)), n += sizeof(end);
                CHECK_ERR(parse_raw(s, n, "", 0), depth == 6 ?
                          PG_ERR_MANIFEST_MISSING_PROPERTY : PG_ERR_MANIFEST_NODE_TOO_DEEP);
        }

        /* /identity has 7 properties; 25 more reach the cap of 32, 26 pass it. */
        for (int i = 0; i < 26; i++) {
                snprintf(names[i], sizeof(names[i]), "x%d", i);
                props[i] = (struct mutation){ ADD_PROP, "/identity", NULL, "", 1, names[i] };
        }
        CHECK_ERR(parse_with(props, 25, &m), PG_ERR_MANIFEST_UNKNOWN_PROPERTY);
        CHECK_ERR(parse_with(props, 26, &m), PG_ERR_MANIFEST_TOO_MANY_PROPERTIES);
}

TEST(fdt_header_faults)
{
        struct pg_manifest m;
        size_t len = build_payload(payload_buf, sizeof(payload_buf), NULL, 0);
        static uint8_t copy[PG_MANIFEST_MAX_SIZE] __attribute__((aligned(8)));
        struct {
                size_t off;
                uint32_t value;
                pg_err expected;
        } cases[] = {
                { 0, 0xd00dfeee, PG_ERR_MANIFEST_FDT_BAD_MAGIC },
                { 4, (uint32_t)len + 4, PG_ERR_MANIFEST_FDT_BAD_TOTALSIZE },
                { 4, (uint32_t)len - 4, PG_ERR_MANIFEST_FDT_BAD_TOTALSIZE },
                { 8, (uint32_t)len, PG_ERR_MANIFEST_FDT_BAD_OFFSET },
                { 8, pg_load_be32(payload_buf + 8) + 2, PG_ERR_MANIFEST_FDT_BAD_OFFSET },
                { 12, pg_load_be32(payload_buf + 8), PG_ERR_MANIFEST_FDT_BLOCK_OVERLAP },
                { 12, 8, PG_ERR_MANIFEST_FDT_BLOCK_OVERLAP },
                { 16, 56, PG_ERR_MANIFEST_FDT_BLOCK_OVERLAP },
                { 20, 16, PG_ERR_MANIFEST_FDT_BAD_VERSION },
                { 24, 17, PG_ERR_MANIFEST_FDT_BAD_VERSION },
                { 28, 1, PG_ERR_MANIFEST_FDT_BAD_HEADER },
                { 32, 0xffffff00, PG_ERR_MANIFEST_FDT_BAD_OFFSET },
                { 36, pg_load_be32(payload_buf + 36) - 4, PG_ERR_MANIFEST_FDT_STRUCT_TRUNCATED },
                { pg_load_be32(payload_buf + 16), 1, PG_ERR_MANIFEST_FDT_BAD_RSVMAP },
                { pg_load_be32(payload_buf + 16) + 12, 1, PG_ERR_MANIFEST_FDT_BAD_RSVMAP },
        };

        CHECK_ERR(pg_manifest_parse(payload_buf, len, &m), PG_OK);
        CHECK_ERR(pg_manifest_parse(payload_buf, 39, &m), PG_ERR_MANIFEST_FDT_TRUNCATED);
        CHECK_ERR(pg_manifest_parse(payload_buf, PG_MANIFEST_MAX_SIZE + 1, &m),
                  PG_ERR_MANIFEST_TOO_LARGE);
        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                memcpy(copy, payload_buf, len);
                pg_store_be32(copy + cases[i].off, cases[i].value);
                if (pg_manifest_parse(copy, len, &m) != cases[i].expected)
                        test_report(__FILE__, __LINE__, "header word at %zu = 0x%x: %s, expected %s",
                                    cases[i].off, cases[i].value,
                                    test_err_name(pg_manifest_parse(copy, len, &m)),
                                    test_err_name(cases[i].expected));
        }
}

/* ---- envelope and signatures --------------------------------------------- */

struct test_key {
        EVP_PKEY *pkey;
        uint8_t spki[PG_KEYRING_MAX_SPKI];
        size_t spki_len;
        uint8_t id[32];
};

static struct test_key keys[3];         /* 2048, 3072 and 4096 bits */

static void key_init(struct test_key *k, unsigned bits)
{
        unsigned char *p = k->spki;

        k->pkey = EVP_RSA_gen(bits);
        if (!k->pkey) {
                fprintf(stderr, "RSA key generation failed\n");
                exit(2);
        }
        k->spki_len = (size_t)i2d_PUBKEY(k->pkey, &p);
        pg_sha256(k->spki, k->spki_len, k->id);
}

static size_t key_sign(const struct test_key *k, bool pss, const uint8_t *msg, size_t len,
                       uint8_t *sig)
{
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = NULL;
        size_t n = PG_MANIFEST_MAX_SIG_BYTES;

        CHECK_INT(EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), NULL, k->pkey), 1);
        if (pss) {
                CHECK_INT(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
                CHECK_INT(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32), 1);
        }
        CHECK_INT(EVP_DigestSign(ctx, sig, &n, msg, len), 1);
        EVP_MD_CTX_free(ctx);
        return n;
}

static struct pg_keyring_key ring_key(const struct test_key *k, uint32_t role)
{
        struct pg_keyring_key key = { role, (uint32_t)k->spki_len, k->spki, { 0 } };

        memcpy(key.key_id, k->id, 32);
        return key;
}

static uint8_t env_buf[PG_MANIFEST_MAX_SIZE] __attribute__((aligned(8)));
static uint8_t sig_bufs[PG_MANIFEST_MAX_SIGNATURES][PG_MANIFEST_MAX_SIG_BYTES];

/* Signs payload with each key and writes the envelope; returns its length. */
static size_t make_envelope(const uint8_t *payload, size_t len, const struct test_key **signers,
                            size_t count, bool pss)
{
        struct pg_manifest_signature sigs[PG_MANIFEST_MAX_SIGNATURES];
        size_t out_len = 0;

        for (size_t i = 0; i < count; i++) {
                sigs[i].algorithm = pss ? PG_MANIFEST_ALG_RSA_PSS_SHA256 :
                                    PG_MANIFEST_ALG_RSA_PKCS1_SHA256;
                memcpy(sigs[i].key_id, signers[i]->id, 32);
                sigs[i].sig_len = (uint32_t)key_sign(signers[i], pss, payload, len, sig_bufs[i]);
                sigs[i].sig = sig_bufs[i];
        }
        CHECK_ERR(pg_manifest_envelope_write(payload, len, sigs, count, env_buf, sizeof(env_buf),
                                             &out_len), PG_OK);
        return out_len;
}

static size_t signed_manifest(const struct test_key *k, bool pss)
{
        size_t len = build_payload(payload_buf, sizeof(payload_buf), NULL, 0);

        return make_envelope(payload_buf, len, &k, 1, pss);
}

TEST(envelope_layout)
{
        size_t len = signed_manifest(&keys[0], false);
        struct pg_manifest_envelope env;

        CHECK_ERR(pg_manifest_envelope_parse(env_buf, len, &env), PG_OK);
        CHECK(!memcmp(env_buf, "PGMF", 4));
        CHECK_INT(pg_load_le16(env_buf + 4), 1);
        CHECK_INT(pg_load_le16(env_buf + 6), 32);
        CHECK_INT(pg_load_le32(env_buf + 8), len);
        CHECK_INT(pg_load_le32(env_buf + 12), 80);
        CHECK_INT(pg_load_le16(env_buf + 20), 1);
        CHECK_INT(env.sig_count, 1);
        CHECK(env.payload == env_buf + 80);
        CHECK_INT(env.sigs[0].sig_len, 256);
        CHECK(env.sigs[0].sig == env_buf + 80 + env.payload_len);
        CHECK_INT(80 + env.payload_len + 256, len);
}

TEST(verify_round_trip_all_sizes)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(keys); i++) {
                for (int pss = 0; pss <= 1; pss++) {
                        struct pg_keyring_key key = ring_key(&keys[i], PG_KEY_ROLE_RELEASE);
                        struct pg_keyring ring = { 1, &key };
                        struct pg_manifest_verified v;
                        struct pg_manifest m;
                        size_t len = signed_manifest(&keys[i], pss);

                        CHECK_ERR(pg_manifest_load(&ring, env_buf, len, &v, &m), PG_OK);
                        CHECK_INT(v.algorithm, pss ? PG_MANIFEST_ALG_RSA_PSS_SHA256 :
                                  PG_MANIFEST_ALG_RSA_PKCS1_SHA256);
                        CHECK_INT(v.role, PG_KEY_ROLE_RELEASE);
                        CHECK_MEM(v.key_id, keys[i].id, 32);
                        CHECK(v.payload == env_buf + 80);
                        CHECK(!strcmp(m.identity.product, "acme-gateway"));
                }
        }
}

TEST(verify_every_bit_flip_fails)
{
        /* A small payload keeps this to one verification per byte. */
        struct mutation small[] = {
                { SKIP, "/runtime-checks", NULL, NULL, 0, NULL },
                { SKIP, "/boot/recovery-stage", NULL, NULL, 0, NULL },
                { SKIP, "/boot/pcrs", NULL, NULL, 0, NULL },
        };

        for (size_t i = 0; i < PG_ARRAY_SIZE(keys); i++) {
                const struct test_key *k = &keys[i];
                struct pg_keyring_key key = ring_key(k, PG_KEY_ROLE_RELEASE);
                struct pg_keyring ring = { 1, &key };
                struct pg_manifest_verified v;
                size_t plen = build_payload(payload_buf, sizeof(payload_buf), small,
                                            PG_ARRAY_SIZE(small));
                size_t len = make_envelope(payload_buf, plen, &k, 1, i == 1);
                size_t accepted = 0;

                CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v), PG_OK);
                for (size_t off = 0; off < len; off++) {
                        uint8_t bit = (uint8_t)(1u << (off % 8));

                        env_buf[off] ^= bit;
                        if (pg_manifest_verify(&ring, env_buf, len, &v) == PG_OK) {
                                accepted++;
                                test_report(__FILE__, __LINE__, "%zu-byte key: flip at %zu "
                                            "accepted", k->spki_len, off);
                        }
                        env_buf[off] ^= bit;
                }
                CHECK_INT(accepted, 0);
                CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v), PG_OK);
                /* Also shorter and longer buffers. */
                CHECK_ERR(pg_manifest_verify(&ring, env_buf, len - 1, &v),
                          PG_ERR_MANIFEST_BAD_TOTAL_LENGTH);
                CHECK_ERR(pg_manifest_verify(&ring, env_buf, len + 1, &v),
                          PG_ERR_MANIFEST_BAD_TOTAL_LENGTH);
        }
}

/* Changes one field of a valid envelope and checks the exact error. */
static void check_envelope_field(size_t off, size_t width, uint32_t value, pg_err expected,
                                 int line)
{
        struct pg_keyring_key key = ring_key(&keys[0], PG_KEY_ROLE_RELEASE);
        struct pg_keyring ring = { 1, &key };
        struct pg_manifest_verified v;
        size_t len = signed_manifest(&keys[0], false);
        pg_err got;

        if (width == 2)
                pg_store_le16(env_buf + off, (uint16_t)value);
        else if (width == 4)
                pg_store_le32(env_buf + off, value);
        else
                env_buf[off] = (uint8_t)value;
        got = pg_manifest_verify(&ring, env_buf, len, &v);
        if (got != expected)
                test_report(__FILE__, line, "field at %zu = 0x%x: %s, expected %s", off, value,
                            test_err_name(got), test_err_name(expected));
}

#define FIELD(off, width, value, expected) \
        check_envelope_field(off, width, value, expected, __LINE__)

TEST(envelope_each_field)
{
        size_t len = signed_manifest(&keys[0], false);
        uint32_t plen = pg_load_le32(env_buf + 16);
        uint32_t sig_off = 80 + plen;

        FIELD(0, 1, 'X', PG_ERR_MANIFEST_BAD_MAGIC);
        FIELD(3, 1, 'f', PG_ERR_MANIFEST_BAD_MAGIC);
        FIELD(4, 2, 2, PG_ERR_MANIFEST_BAD_VERSION);
        FIELD(4, 2, 0, PG_ERR_MANIFEST_BAD_VERSION);
        FIELD(6, 2, 40, PG_ERR_MANIFEST_BAD_HEADER_LENGTH);
        FIELD(8, 4, (uint32_t)len - 1, PG_ERR_MANIFEST_BAD_TOTAL_LENGTH);
        FIELD(8, 4, (uint32_t)len + 1, PG_ERR_MANIFEST_BAD_TOTAL_LENGTH);
        FIELD(12, 4, 88, PG_ERR_MANIFEST_BAD_PAYLOAD_OFFSET);
        FIELD(12, 4, 32, PG_ERR_MANIFEST_BAD_PAYLOAD_OFFSET);
        FIELD(16, 4, 0, PG_ERR_MANIFEST_BAD_PAYLOAD_LENGTH);
        FIELD(16, 4, (uint32_t)len, PG_ERR_MANIFEST_BAD_PAYLOAD_LENGTH);
        FIELD(16, 4, 0xffffffff, PG_ERR_MANIFEST_INTEGER_OVERFLOW);
        FIELD(16, 4, plen - 4, PG_ERR_MANIFEST_BAD_SIGNATURE_OFFSET);
        FIELD(16, 4, plen + 4, PG_ERR_MANIFEST_BAD_SIGNATURE_OFFSET);
        FIELD(20, 2, 0, PG_ERR_MANIFEST_BAD_SIGNATURE_COUNT);
        FIELD(20, 2, 5, PG_ERR_MANIFEST_BAD_SIGNATURE_COUNT);
        FIELD(20, 2, 2, PG_ERR_MANIFEST_BAD_PAYLOAD_OFFSET);
        for (size_t off = 22; off < 32; off++)
                FIELD(off, 1, 1, PG_ERR_MANIFEST_RESERVED_NOT_ZERO);
        /* The record at 32. */
        FIELD(32, 2, 0, PG_ERR_MANIFEST_BAD_SIGNATURE_ALGORITHM);
        FIELD(32, 2, 3, PG_ERR_MANIFEST_BAD_SIGNATURE_ALGORITHM);
        FIELD(32, 2, PG_MANIFEST_ALG_RSA_PSS_SHA256, PG_ERR_MANIFEST_BAD_SIGNATURE);
        FIELD(34, 1, 1, PG_ERR_MANIFEST_RESERVED_NOT_ZERO);
        FIELD(36, 4, sig_off + 1, PG_ERR_MANIFEST_BAD_SIGNATURE_OFFSET);
        FIELD(36, 4, sig_off - 256, PG_ERR_MANIFEST_BAD_SIGNATURE_OFFSET);
        FIELD(40, 4, 255, PG_ERR_MANIFEST_BAD_SIGNATURE_LENGTH);
        FIELD(40, 4, 513, PG_ERR_MANIFEST_BAD_SIGNATURE_LENGTH);
        FIELD(40, 4, 257, PG_ERR_MANIFEST_BAD_SIGNATURE_LENGTH);
        FIELD(40, 4, 0xfffffff0, PG_ERR_MANIFEST_INTEGER_OVERFLOW);
        FIELD(44, 1, 1, PG_ERR_MANIFEST_RESERVED_NOT_ZERO);
        FIELD(48, 1, keys[0].id[0] ^ 1, PG_ERR_MANIFEST_UNTRUSTED_KEY);
        FIELD(79, 1, keys[0].id[31] ^ 0x80, PG_ERR_MANIFEST_UNTRUSTED_KEY);
        FIELD(sig_off, 1, env_buf[sig_off] ^ 1, PG_ERR_MANIFEST_BAD_SIGNATURE);
        FIELD(80, 1, 0, PG_ERR_MANIFEST_BAD_SIGNATURE);
}

TEST(envelope_size_limits)
{
        struct pg_keyring_key key = ring_key(&keys[0], PG_KEY_ROLE_RELEASE);
        struct pg_keyring ring = { 1, &key };
        struct pg_manifest_verified v;
        static uint8_t big[PG_MANIFEST_MAX_SIZE + 1];
        size_t len = signed_manifest(&keys[0], false);

        CHECK_ERR(pg_manifest_verify(&ring, env_buf, 0, &v), PG_ERR_MANIFEST_TRUNCATED);
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, 31, &v), PG_ERR_MANIFEST_TRUNCATED);
        memcpy(big, env_buf, len);
        CHECK_ERR(pg_manifest_verify(&ring, big, sizeof(big), &v), PG_ERR_MANIFEST_TOO_LARGE);
        /* A header that claims records beyond the buffer. */
        pg_store_le32(env_buf + 8, 64);
        pg_store_le16(env_buf + 20, 1);
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, 64, &v), PG_ERR_MANIFEST_TRUNCATED);
}

TEST(envelope_several_signatures)
{
        const struct test_key *both[] = { &keys[0], &keys[1] };
        const struct test_key *same[] = { &keys[0], &keys[0] };
        struct pg_keyring_key second = ring_key(&keys[1], PG_KEY_ROLE_DEVELOPMENT);
        struct pg_keyring_key first = ring_key(&keys[0], PG_KEY_ROLE_RELEASE);
        struct pg_keyring ring = { 1, &second };
        struct pg_manifest_verified v;
        size_t plen = build_payload(payload_buf, sizeof(payload_buf), NULL, 0);
        size_t len = make_envelope(payload_buf, plen, both, 2, false);

        /* Only the second signature's key is trusted: it is the one used. */
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v), PG_OK);
        CHECK_INT(v.sig_index, 1);
        CHECK_INT(v.role, PG_KEY_ROLE_DEVELOPMENT);

        /* A broken first signature by an untrusted key does not matter. */
        env_buf[32 + 2 * 48 + plen] ^= 1;
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v), PG_OK);

        /* A broken signature by a trusted key is reported when none verifies. */
        ring.keys = &first;
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v), PG_ERR_MANIFEST_BAD_SIGNATURE);

        len = make_envelope(payload_buf, plen, same, 2, false);
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v), PG_ERR_MANIFEST_DUPLICATE_KEY_ID);
}

TEST(keyring_checks)
{
        struct pg_keyring_key key = ring_key(&keys[0], PG_KEY_ROLE_RELEASE);
        struct pg_keyring_key other = ring_key(&keys[1], PG_KEY_ROLE_RELEASE);
        struct pg_keyring ring = { 1, &key };
        struct pg_keyring empty = { 0, NULL };
        struct pg_manifest_verified v;
        size_t len = signed_manifest(&keys[0], false);

        CHECK_ERR(pg_manifest_verify(&empty, env_buf, len, &v), PG_ERR_MANIFEST_KEYRING_EMPTY);
        CHECK_ERR(pg_manifest_verify(NULL, env_buf, len, &v), PG_ERR_MANIFEST_KEYRING_EMPTY);
        ring.count = PG_KEYRING_MAX_KEYS + 1;
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v), PG_ERR_MANIFEST_KEYRING_TOO_LARGE);
        ring.count = 1;

        key.role = 3;
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v), PG_ERR_MANIFEST_KEYRING_BAD_KEY);
        key.role = PG_KEY_ROLE_RELEASE;
        key.key_id[5] ^= 1;
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v),
                  PG_ERR_MANIFEST_KEYRING_BAD_KEY_ID);
        key.key_id[5] ^= 1;

        /* A key ring entry whose DER is not an RSA SubjectPublicKeyInfo. */
        {
                static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
                struct pg_keyring_key bad = { PG_KEY_ROLE_RELEASE, sizeof(junk), junk, { 0 } };

                pg_sha256(junk, sizeof(junk), bad.key_id);
                ring.keys = &bad;
                /* Its id is not the signer's, so it is never tried. */
                CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v),
                          PG_ERR_MANIFEST_UNTRUSTED_KEY);
                memcpy(env_buf + 48, bad.key_id, 32);
                CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v),
                          PG_ERR_MANIFEST_KEYRING_BAD_KEY);
        }

        /* A trusted 3072-bit key under the id of a 2048-bit signature. */
        len = signed_manifest(&keys[0], false);
        memcpy(env_buf + 48, keys[1].id, 32);
        ring.keys = &other;
        CHECK_ERR(pg_manifest_verify(&ring, env_buf, len, &v),
                  PG_ERR_MANIFEST_SIGNATURE_KEY_MISMATCH);
}

TEST(signer_role_rules)
{
        struct pg_keyring_key rel = ring_key(&keys[0], PG_KEY_ROLE_RELEASE);
        struct pg_keyring_key dev = ring_key(&keys[0], PG_KEY_ROLE_DEVELOPMENT);
        struct pg_keyring ring = { 1, &rel };
        struct pg_manifest_verified v;
        struct pg_manifest m;
        const struct test_key *k = &keys[0];
        struct mutation no_prov = { SKIP, "/provenance", NULL, NULL, 0, NULL };
        struct mutation dev_build = REPL("/identity", "build-type", "development");
        size_t plen, len;

        plen = build_payload(payload_buf, sizeof(payload_buf), &no_prov, 1);
        len = make_envelope(payload_buf, plen, &k, 1, false);
        CHECK_ERR(pg_manifest_load(&ring, env_buf, len, &v, &m),
                  PG_ERR_MANIFEST_PROVENANCE_REQUIRED);

        ring.keys = &dev;
        plen = build_payload(payload_buf, sizeof(payload_buf), NULL, 0);
        len = make_envelope(payload_buf, plen, &k, 1, false);
        CHECK_ERR(pg_manifest_load(&ring, env_buf, len, &v, &m),
                  PG_ERR_MANIFEST_DEVELOPMENT_KEY_PRODUCTION);

        plen = build_payload(payload_buf, sizeof(payload_buf),
                             (struct mutation[]){ no_prov, dev_build }, 2);
        len = make_envelope(payload_buf, plen, &k, 1, false);
        CHECK_ERR(pg_manifest_load(&ring, env_buf, len, &v, &m), PG_OK);
        CHECK_INT(m.identity.build_type, PG_BUILD_DEVELOPMENT);
        CHECK_ERR(pg_manifest_check_signer(&m, 7), PG_ERR_MANIFEST_KEYRING_BAD_KEY);
}

TEST(envelope_write_limits)
{
        struct pg_manifest_signature sig = { PG_MANIFEST_ALG_RSA_PKCS1_SHA256, { 0 },
                                             sig_bufs[0], 256 };
        static uint8_t big_payload[PG_MANIFEST_MAX_SIZE];
        size_t out_len = 7;

        CHECK_ERR(pg_manifest_envelope_write(big_payload, 100, &sig, 0, env_buf, sizeof(env_buf),
                                             &out_len), PG_ERR_MANIFEST_BAD_SIGNATURE_COUNT);
        CHECK_ERR(pg_manifest_envelope_write(big_payload, 0, &sig, 1, env_buf, sizeof(env_buf),
                                             &out_len), PG_ERR_MANIFEST_BAD_PAYLOAD_LENGTH);
        CHECK_ERR(pg_manifest_envelope_write(big_payload, PG_MANIFEST_MAX_SIZE - 80 - 255, &sig,
                                             1, env_buf, sizeof(env_buf), &out_len),
                  PG_ERR_MANIFEST_TOO_LARGE);
        CHECK_ERR(pg_manifest_envelope_write(big_payload, 100, &sig, 1, env_buf, 100, &out_len),
                  PG_ERR_MANIFEST_TOO_LARGE);
        sig.sig_len = 100;
        CHECK_ERR(pg_manifest_envelope_write(big_payload, 100, &sig, 1, env_buf, sizeof(env_buf),
                                             &out_len), PG_ERR_MANIFEST_BAD_SIGNATURE_LENGTH);
        sig.sig_len = 256;
        sig.algorithm = 9;
        CHECK_ERR(pg_manifest_envelope_write(big_payload, 100, &sig, 1, env_buf, sizeof(env_buf),
                                             &out_len), PG_ERR_MANIFEST_BAD_SIGNATURE_ALGORITHM);
        CHECK_INT(out_len, 7);
        sig.algorithm = PG_MANIFEST_ALG_RSA_PKCS1_SHA256;
        CHECK_ERR(pg_manifest_envelope_write(big_payload, PG_MANIFEST_MAX_SIZE - 80 - 256, &sig,
                                             1, env_buf, sizeof(env_buf), &out_len), PG_OK);
        CHECK_INT(out_len, PG_MANIFEST_MAX_SIZE);
}

TEST(names_of_values)
{
        CHECK(!strcmp(pg_manifest_alg_name(1), "rsa-pkcs1-sha256"));
        CHECK(!strcmp(pg_manifest_alg_name(2), "rsa-pss-sha256"));
        CHECK(pg_manifest_alg_name(0) == NULL);
        CHECK(!strcmp(pg_key_role_name(PG_KEY_ROLE_DEVELOPMENT), "development"));
        CHECK(pg_key_role_name(0) == NULL);
        CHECK(!strcmp(pg_manifest_gate_key(1), "build-integrity"));
        CHECK(!strcmp(pg_manifest_gate_key(10), "security-monitoring"));
        CHECK(pg_manifest_gate_key(11) == NULL);
        CHECK(!strcmp(pg_build_type_name(PG_BUILD_ENGINEERING), "engineering"));
        CHECK(pg_build_type_name(4) == NULL);
}

int main(void)
{
        key_init(&keys[0], 2048);
        key_init(&keys[1], 3072);
        key_init(&keys[2], 4096);

        RUN(payload_valid_fields);
        RUN(payload_stage_initrd);
        RUN(payload_defaults);
        RUN(payload_check_iterator);
        RUN(payload_each_property_missing);
        RUN(payload_each_property_wrong_length);
        RUN(payload_each_node_missing);
        RUN(payload_unknown_node_anywhere);
        RUN(payload_unknown_property_anywhere);
        RUN(payload_bad_values);
        RUN(payload_integer_ranges);
        RUN(payload_string_rules);
        RUN(payload_list_caps);
        RUN(payload_too_many_artifacts);
        RUN(payload_entry_unit_address);
        RUN(payload_format_versions);
        RUN(payload_all_errors_reported);
        RUN(payload_out_untouched_on_error);
        RUN(fdt_structure_faults);
        RUN(fdt_depth_and_count_caps);
        RUN(fdt_header_faults);
        RUN(envelope_layout);
        RUN(verify_round_trip_all_sizes);
        RUN(verify_every_bit_flip_fails);
        RUN(envelope_each_field);
        RUN(envelope_size_limits);
        RUN(envelope_several_signatures);
        RUN(keyring_checks);
        RUN(signer_role_rules);
        RUN(envelope_write_limits);
        RUN(names_of_values);

        for (size_t i = 0; i < PG_ARRAY_SIZE(keys); i++)
                EVP_PKEY_free(keys[i].pkey);
        return TEST_SUMMARY();
}
