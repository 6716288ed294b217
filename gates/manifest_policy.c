/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Payload schema, second half: the gate policy and the runtime checks
 * (/policy, /runtime-checks).
 */
#include "gates/manifest_internal.h"

static const char *const pg_gate_keys[] = {
        "build-integrity", "boot-integrity", "runtime-security", "platform-configuration",
        "network-security", "application-exposure", "privacy-controls", "device-management",
        "update-integrity", "security-monitoring", NULL,
};
PG_STATIC_ASSERT(PG_ARRAY_SIZE(pg_gate_keys) == PG_GATE_COUNT + 1, "one key per gate");

/* Index + 1 is the enum value. */
static const char *const pg_enforcement_names[] = { "enforce", "audit", NULL };
static const char *const pg_severity_names[] = { "fail", "degraded", NULL };
/* Index is the enum value. */
static const char *const pg_requirement_names[] = { "required", "advisory", "not-applicable",
                                                    NULL };

const char *pg_manifest_gate_key(unsigned gate)
{
        return gate >= 1 && gate <= PG_GATE_COUNT ? pg_gate_keys[gate - 1] : NULL;
}

static unsigned pg_gate_from_key(const char *key)
{
        for (unsigned i = 0; i < PG_GATE_COUNT; i++)
                if (!strcmp(pg_gate_keys[i], key))
                        return i + 1;
        return 0;
}

/* ---- /policy ---------------------------------------------------------- */

enum { GATE_REQUIREMENT, GATE_ENFORCEMENT, GATE_PROP_COUNT };

/* Gates evaluated before the OS carry an enforcement mode; runtime-only
 * gates must not. */
static const struct pg_prop_spec pg_pre_os_gate_props[GATE_PROP_COUNT] = {
        [GATE_REQUIREMENT] = { "requirement", PG_PROP_STRING, PG_PROP_REQUIRED, 16, 1 },
        [GATE_ENFORCEMENT] = { "enforcement", PG_PROP_STRING, PG_PROP_REQUIRED, 16, 1 },
};

static const struct pg_prop_spec pg_runtime_gate_props[1] = {
        [GATE_REQUIREMENT] = { "requirement", PG_PROP_STRING, PG_PROP_REQUIRED, 16, 1 },
};

/* Called only for the gate keys listed in pg_gates_children. */
static void pg_parse_gate(struct pg_schema *st, int node, void *arg)
{
        struct pg_manifest *m = arg;
        unsigned gate = pg_gate_from_key(pg_fdt_node_name(st->fdt, node));
        struct pg_manifest_gate_policy *policy = &m->policy.gates[gate - 1];
        bool pre_os = pg_gate_phase(gate) != PG_PHASE_RUNTIME;
        struct pg_prop_value v[GATE_PROP_COUNT];
        int value;

        if (pre_os)
                pg_schema_props(st, node, pg_pre_os_gate_props, GATE_PROP_COUNT, v);
        else
                pg_schema_props(st, node, pg_runtime_gate_props, 1, v);
        if (v[GATE_REQUIREMENT].present) {
                value = pg_schema_enum(&v[GATE_REQUIREMENT], pg_requirement_names);
                if (value < 0)
                        pg_schema_report(st, PG_ERR_MANIFEST_BAD_ENUM_VALUE, "requirement");
                else
                        policy->requirement = (uint8_t)value;
        }
        policy->enforcement = PG_ENFORCE_NONE;
        if (pre_os && v[GATE_ENFORCEMENT].present) {
                value = pg_schema_enum(&v[GATE_ENFORCEMENT], pg_enforcement_names);
                if (value < 0)
                        pg_schema_report(st, PG_ERR_MANIFEST_BAD_ENUM_VALUE, "enforcement");
                else
                        policy->enforcement = (uint8_t)(value + 1);
        }
        pg_schema_no_children(st, node);
}

static const struct pg_node_spec pg_gates_children[PG_GATE_COUNT] = {
        { "build-integrity", true, pg_parse_gate },
        { "boot-integrity", true, pg_parse_gate },
        { "runtime-security", true, pg_parse_gate },
        { "platform-configuration", true, pg_parse_gate },
        { "network-security", true, pg_parse_gate },
        { "application-exposure", true, pg_parse_gate },
        { "privacy-controls", true, pg_parse_gate },
        { "device-management", true, pg_parse_gate },
        { "update-integrity", true, pg_parse_gate },
        { "security-monitoring", true, pg_parse_gate },
};

static void pg_parse_gates(struct pg_schema *st, int node, void *arg)
{
        pg_schema_props(st, node, NULL, 0, NULL);
        pg_schema_children(st, node, pg_gates_children, PG_ARRAY_SIZE(pg_gates_children), arg);
}

enum { POL_PCR, POL_NV_INDEX, POL_READINESS, POL_OTA, POL_COUNT };

static const struct pg_prop_spec pg_policy_props[POL_COUNT] = {
        [POL_PCR] = { "gates-pcr", PG_PROP_U32, 0, 0, 1 },
        [POL_NV_INDEX] = { "anti-rollback-nv-index", PG_PROP_U32, PG_PROP_REQUIRED, 0, 1 },
        [POL_READINESS] = { "production-readiness", PG_PROP_STRING_LIST, PG_PROP_REQUIRED,
                            PG_MANIFEST_MAX_NAME, PG_GATE_COUNT },
        [POL_OTA] = { "ota-eligibility", PG_PROP_STRING_LIST, PG_PROP_REQUIRED,
                      PG_MANIFEST_MAX_NAME, PG_GATE_COUNT },
};

/* PCRs 0-7 belong to firmware (7 to Secure Boot), 11, 12 and 15 to systemd,
 * and 16-23 are resettable or locality-bound, so the OS could rewrite them. */
static bool pg_gates_pcr_allowed(uint32_t pcr)
{
        return pcr == 8 || pcr == 9 || pcr == 10 || pcr == 13 || pcr == 14;
}

#define PG_NV_INDEX_FIRST 0x01000000u   /* TPM_HT_NV_INDEX << 24 */
#define PG_NV_INDEX_LAST 0x01ffffffu

static void pg_parse_gate_list(struct pg_schema *st, const struct pg_prop_value *v,
                               const char *name, uint16_t *out)
{
        uint16_t mask = 0;
        uint32_t pos = 0;

        if (!v->present)
                return;
        while (pos < v->len) {
                const char *key = (const char *)v->data + pos;
                unsigned gate = pg_gate_from_key(key);

                if (gate == 0) {
                        pg_schema_report(st, PG_ERR_MANIFEST_BAD_ENUM_VALUE, name);
                        return;
                }
                if (mask & (1u << gate)) {
                        pg_schema_report(st, PG_ERR_MANIFEST_DUPLICATE_ENTRY, name);
                        return;
                }
                mask |= (uint16_t)(1u << gate);
                pos += (uint32_t)strlen(key) + 1;
        }
        *out = mask;
}

static const struct pg_node_spec pg_policy_children[] = {
        { "gates", true, pg_parse_gates },
};

void pg_parse_policy(struct pg_schema *st, int node, void *arg)
{
        struct pg_manifest *m = arg;
        struct pg_prop_value v[POL_COUNT];

        pg_schema_props(st, node, pg_policy_props, POL_COUNT, v);
        if (v[POL_PCR].present) {
                m->policy.gates_pcr = pg_schema_u32(&v[POL_PCR]);
                if (!pg_gates_pcr_allowed(m->policy.gates_pcr))
                        pg_schema_report(st, PG_ERR_MANIFEST_VALUE_OUT_OF_RANGE, "gates-pcr");
        }
        if (v[POL_NV_INDEX].present) {
                m->policy.nv_index = pg_schema_u32(&v[POL_NV_INDEX]);
                if (m->policy.nv_index < PG_NV_INDEX_FIRST || m->policy.nv_index > PG_NV_INDEX_LAST)
                        pg_schema_report(st, PG_ERR_MANIFEST_VALUE_OUT_OF_RANGE,
                                         "anti-rollback-nv-index");
        }
        pg_parse_gate_list(st, &v[POL_READINESS], "production-readiness",
                           &m->policy.production_readiness);
        pg_parse_gate_list(st, &v[POL_OTA], "ota-eligibility", &m->policy.ota_eligibility);
        pg_schema_children(st, node, pg_policy_children, PG_ARRAY_SIZE(pg_policy_children), m);
}

/* ---- /runtime-checks -------------------------------------------------- */

enum { CHK_GATE, CHK_OBJECTIVE, CHK_KIND, CHK_PARAMETERS, CHK_SEVERITY, CHK_REMEDIATION,
       CHK_COUNT };

static const struct pg_prop_spec pg_check_props[CHK_COUNT] = {
        [CHK_GATE] = { "gate", PG_PROP_STRING, PG_PROP_REQUIRED, PG_MANIFEST_MAX_NAME, 1 },
        [CHK_OBJECTIVE] = { "objective", PG_PROP_U32, PG_PROP_REQUIRED, 0, 1 },
        [CHK_KIND] = { "kind", PG_PROP_STRING, PG_PROP_REQUIRED, 63, 1 },
        [CHK_PARAMETERS] = { "parameters", PG_PROP_STRING_LIST, 0, 255,
                             PG_MANIFEST_MAX_PARAMETERS },
        [CHK_SEVERITY] = { "severity", PG_PROP_STRING, PG_PROP_REQUIRED, 16, 1 },
        [CHK_REMEDIATION] = { "remediation", PG_PROP_STRING, PG_PROP_REQUIRED, 511, 1 },
};

/* Check kinds are lower-case words joined by '-': "sysctl", "unit-active". */
static bool pg_check_kind_valid(const char *kind)
{
        for (const char *p = kind; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
                        return false;
        return true;
}

static void pg_check_gate(struct pg_schema *st, const struct pg_prop_value *v,
                          struct pg_manifest_check *c)
{
        if (!v->present)
                return;
        c->gate = pg_gate_from_key(pg_schema_str(v));
        if (c->gate == 0 || pg_gate_phase(c->gate) == PG_PHASE_PRE_OS)
                pg_schema_report(st, PG_ERR_MANIFEST_BAD_ENUM_VALUE, "gate");
}

void pg_parse_check(struct pg_schema *st, int node, struct pg_manifest_check *c)
{
        struct pg_prop_value v[CHK_COUNT];
        int severity;

        memset(c, 0, sizeof(*c));
        c->id = pg_fdt_node_name(st->fdt, node);
        pg_schema_props(st, node, pg_check_props, CHK_COUNT, v);
        pg_check_gate(st, &v[CHK_GATE], c);
        if (v[CHK_OBJECTIVE].present) {
                c->objective = pg_schema_u32(&v[CHK_OBJECTIVE]);
                if (c->objective >= PG_OBJECTIVES_PER_GATE)
                        pg_schema_report(st, PG_ERR_MANIFEST_VALUE_OUT_OF_RANGE, "objective");
        }
        c->kind = pg_schema_str(&v[CHK_KIND]);
        if (c->kind && !pg_check_kind_valid(c->kind))
                pg_schema_report(st, PG_ERR_MANIFEST_BAD_STRING, "kind");
        if (v[CHK_PARAMETERS].present) {
                c->parameters = pg_schema_str(&v[CHK_PARAMETERS]);
                c->parameters_len = v[CHK_PARAMETERS].len;
                c->parameter_count = v[CHK_PARAMETERS].count;
        }
        if (v[CHK_SEVERITY].present) {
                severity = pg_schema_enum(&v[CHK_SEVERITY], pg_severity_names);
                if (severity < 0)
                        pg_schema_report(st, PG_ERR_MANIFEST_BAD_ENUM_VALUE, "severity");
                else
                        c->severity = (uint32_t)severity + 1;
        }
        c->remediation = pg_schema_str(&v[CHK_REMEDIATION]);
        pg_schema_no_children(st, node);
}

void pg_parse_checks(struct pg_schema *st, int node, void *arg)
{
        struct pg_manifest *m = arg;
        struct pg_manifest_check check;
        int child;

        m->checks_node = node;
        pg_schema_props(st, node, NULL, 0, NULL);
        for (child = pg_fdt_first_subnode(st->fdt, node); child >= 0;
             child = pg_fdt_next_subnode(st->fdt, child)) {
                const char *name = pg_fdt_node_name(st->fdt, child);

                if (m->check_count == PG_MANIFEST_MAX_CHECKS) {
                        pg_schema_report(st, PG_ERR_MANIFEST_TOO_MANY_ENTRIES, name);
                        return;
                }
                m->check_count++;
                pg_schema_entry_name(st, name);
                pg_schema_push(st, name);
                pg_parse_check(st, child, &check);
                pg_schema_pop(st);
        }
}
