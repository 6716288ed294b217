/* SPDX-License-Identifier: BSD-2-Clause */
/* Output of prodgate status: a table for people, one JSON document for
 * programs (docs/status-json.md). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tools/fileio.h"
#include "tools/status.h"
#include "tools/json.h"

static const char *const source_names[] = {
        [PG_SOURCE_NONE] = "none",
        [PG_SOURCE_HANDOFF] = "handoff",
        [PG_SOURCE_PRE_OS_MISSING] = "handoff-missing",
        [PG_SOURCE_RUNTIME] = "runtime",
        [PG_SOURCE_BOTH] = "handoff+runtime",
        [PG_SOURCE_POLICY] = "policy",
};

const char *pg_status_source_name(uint32_t source)
{
        return source < PG_ARRAY_SIZE(source_names) ? source_names[source] : "invalid";
}

const char *pg_status_hint(pg_err reason)
{
        switch (reason) {
        case PG_ERR_DECIDE_NO_HANDOFF:
                return "Boot the device through prodgate.efi, or give the blob with --handoff.";
        case PG_ERR_DECIDE_HANDOFF_MANIFEST:
                return "Evaluate the manifest the device booted with, or reboot with this one.";
        case PG_ERR_XCHECK_TPM_UNAVAILABLE:
        case PG_ERR_XCHECK_NO_TPM_CONFIGURED:
                return "Run on the device with its TPM, or name it with --tcti.";
        case PG_ERR_XCHECK_EVENTLOG_UNAVAILABLE:
                return "Mount securityfs, or give the firmware event log with --eventlog.";
        case PG_ERR_XCHECK_PCR_MISMATCH:
        case PG_ERR_XCHECK_HANDOFF_ALTERED:
        case PG_ERR_XCHECK_EVENT_MALFORMED:
        case PG_ERR_XCHECK_CEL_INVALID:
                return "Treat the device as compromised: investigate, then reboot through "
                       "prodgate.efi.";
        case PG_ERR_DECIDE_NOT_COVERED:
                return "Add a runtime check for this objective to the manifest.";
        case PG_ERR_CHECK_UNKNOWN_KIND:
                return "Update prodgate, or use a check kind from docs/runtime-checks.md.";
        case PG_ERR_CHECK_BAD_PARAMETER:
                return "Fix the check's parameters in the manifest (docs/runtime-checks.md).";
        }
        if (reason >= 0x1100 && reason < 0x1200)
                return "The handoff blob is invalid: reboot through prodgate.efi.";
        return NULL;
}

static const char *requirement_name(uint8_t r)
{
        static const char *const names[] = { "required", "advisory", "not-applicable" };

        return r < PG_ARRAY_SIZE(names) ? names[r] : "required";
}

static const char *severity_name(uint32_t s)
{
        return s == PG_SEVERITY_DEGRADED ? "degraded" : "fail";
}

static const char *reason_name(pg_err reason)
{
        const char *name = pg_err_name(reason);

        return name ? name : "PG_ERR_UNKNOWN";
}

/* The remediation that goes with a non-pass objective: that of its first
 * non-pass check, otherwise the evaluation hint. */
static const char *objective_remediation(const struct pg_status *st, unsigned g, unsigned o)
{
        const struct pg_result *r = &st->out.objectives[g - 1][o];

        if (r->outcome == PG_OUTCOME_PASS || r->outcome == PG_OUTCOME_NOT_APPLICABLE)
                return NULL;
        for (size_t i = 0; i < st->check_count; i++) {
                const struct pg_check_result *c = &st->results[i];

                if (c->check->gate == g && c->check->objective == o &&
                    c->result.reason == r->reason && c->result.outcome == r->outcome)
                        return c->check->remediation;
        }
        return pg_status_hint(r->reason);
}

/* ---- text --------------------------------------------------------------- */

static const char *outcome_colour(uint32_t outcome)
{
        switch (outcome) {
        case PG_OUTCOME_PASS: return "\033[32m";
        case PG_OUTCOME_DEGRADED: return "\033[33m";
        case PG_OUTCOME_UNKNOWN: return "\033[35m";
        case PG_OUTCOME_FAIL: return "\033[1;31m";
        }
        return "\033[2m";
}

/* Prints an outcome, padded to a column when a reason follows it. */
static void text_outcome(uint32_t outcome, bool colour)
{
        const char *name = pg_outcome_name(outcome);
        int len = (int)strlen(name);
        int fill = outcome != PG_OUTCOME_PASS && len < 14 ? 14 - len : 0;

        if (colour)
                printf("%s%s\033[0m%*s", outcome_colour(outcome), name, fill, "");
        else
                printf("%s%*s", name, fill, "");
}

static void text_checks(const struct pg_status *st, unsigned g, unsigned o, bool colour)
{
        for (size_t i = 0; i < st->check_count; i++) {
                const struct pg_check_result *c = &st->results[i];

                if (c->check->gate != g || c->check->objective != o)
                        continue;
                printf("      check %-28s %-15s ", c->check->id, "");
                text_outcome(c->result.outcome, colour);
                if (c->result.outcome != PG_OUTCOME_PASS)
                        printf(" %s%s%s", reason_name(c->result.reason), c->detail[0] ? ": " : "",
                               c->detail);
                printf("\n");
                if (c->result.outcome != PG_OUTCOME_PASS &&
                    c->result.outcome != PG_OUTCOME_NOT_APPLICABLE)
                        printf("%57sremediation: %s\n", "", c->check->remediation);
        }
}

static void text_objective(const struct pg_status *st, unsigned g, unsigned o, bool colour)
{
        const struct pg_result *r = &st->out.objectives[g - 1][o];
        const struct pg_status_objective *so = &st->objectives[g - 1][o];
        const char *hint;

        printf("    %-36s %-15s ", pg_objective_name(g, o), "");
        text_outcome(r->outcome, colour);
        if (r->outcome != PG_OUTCOME_PASS)
                printf(" %s%s%s", reason_name(r->reason), so->detail[0] ? ": " : "", so->detail);
        printf("\n");
        hint = pg_status_hint(r->reason);
        if (hint && so->source != PG_SOURCE_RUNTIME)
                printf("%57sremediation: %s\n", "", hint);
        text_checks(st, g, o, colour);
}

static void text_decision(const char *name, const struct pg_decision *d)
{
        bool first = true;

        printf("  %-22s %s (%s)", name, d->met ? "yes" : "no", pg_outcome_name(d->outcome));
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                if (!(d->blocking & (1u << g)))
                        continue;
                printf("%s%u %s", first ? "; blocked by: " : ", ", g, pg_gate_name(g));
                first = false;
        }
        printf("\n");
}

static const char *bank_name(uint16_t alg)
{
        switch (alg) {
        case 0x0004: return "sha1";
        case 0x000b: return "sha256";
        case 0x000c: return "sha384";
        case 0x000d: return "sha512";
        case 0x0012: return "sm3_256";
        }
        return "unknown";
}

static const char *results_source(const struct pg_xcheck *x)
{
        if (x->blob == NULL)
                return NULL;
        return x->blob_from_log ? "eventlog" : "variable";
}

static void text_xcheck(const struct pg_status *st)
{
        const struct pg_xcheck *x = &st->xcheck;
        char hex[129];

        printf("cross-check: %s", pg_xcheck_verdict_name(x->verdict));
        if (x->reason != PG_OK)
                printf(" %s", reason_name(x->reason));
        printf("%s%s\n", x->detail[0] ? ": " : "", x->detail);
        if (x->tpm_read) {
                for (size_t i = 0; i < x->tpm.bank_count; i++) {
                        pg_hex(hex, x->tpm.banks[i].value, x->tpm.banks[i].size);
                        printf("  TPM  PCR %u %-7s %s\n", x->tpm.pcr,
                               bank_name(x->tpm.banks[i].alg), hex);
                }
        }
        if (x->replayed) {
                pg_hex(hex, x->replay, 32);
                printf("  logs PCR %u %-7s %s (%u userspace records)\n",
                       st->manifest->policy.gates_pcr, "sha256", hex, x->cel_pcr_records);
        }
        printf("\n");
}

void pg_status_print_text(const struct pg_status *st, bool colour)
{
        const struct pg_manifest *m = st->manifest;

        printf("manifest: %s %s (build %s, %s), %s\n", m->identity.product, m->identity.version,
               m->identity.build_id, pg_build_type_name(m->identity.build_type),
               st->manifest_path);
        printf("root:     %s\n", st->root_path);
        printf("handoff:  %s (%s)\n", st->handoff_err == PG_OK ? "used" :
               reason_name(st->handoff_err), st->handoff_path);
        text_xcheck(st);
        printf(" #  %-36s %-15s outcome\n", "gate", "requirement");
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                const struct pg_result *r = &st->out.gates[g - 1];

                printf("%2u  %-36s %-15s ", g, pg_gate_name(g),
                       requirement_name(st->in.requirement[g - 1]));
                text_outcome(r->outcome, colour);
                if (r->outcome != PG_OUTCOME_PASS)
                        printf(" %s", reason_name(r->reason));
                printf("\n");
                if (r->outcome == PG_OUTCOME_NOT_APPLICABLE && st->objectives[g - 1][0].source ==
                    PG_SOURCE_POLICY)
                        continue;
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        text_objective(st, g, o, colour);
        }
        printf("\ndecisions:\n");
        text_decision("production readiness:", &st->out.production_readiness);
        text_decision("OTA eligibility:", &st->out.ota_eligibility);
        printf("  %-22s %s\n", "trust tier:", pg_trust_tier_name(st->out.trust_tier));
}

/* ---- JSON --------------------------------------------------------------- */

static void json_string_or_null(const char *s)
{
        if (s && s[0])
                pg_json_string(s);
        else
                printf("null");
}

static void json_result(const struct pg_result *r, const char *detail)
{
        printf("\"outcome\":\"%s\",\"reason\":", pg_outcome_name(r->outcome));
        if (r->outcome == PG_OUTCOME_PASS) {
                printf("null,\"reason_code\":0,\"explanation\":null,\"detail\":null");
                return;
        }
        pg_json_string(reason_name(r->reason));
        printf(",\"reason_code\":%" PRIu32 ",\"explanation\":", r->reason);
        json_string_or_null(pg_err_text(r->reason));
        printf(",\"detail\":");
        json_string_or_null(detail);
}

static void json_check(const struct pg_check_result *c)
{
        printf("{\"id\":");
        pg_json_string(c->check->id);
        printf(",\"gate\":%" PRIu32 ",\"objective\":%" PRIu32 ",\"kind\":", c->check->gate,
               c->check->objective);
        pg_json_string(c->check->kind);
        printf(",\"severity\":\"%s\",", severity_name(c->check->severity));
        json_result(&c->result, c->detail);
        printf(",\"remediation\":");
        if (c->result.outcome == PG_OUTCOME_PASS)
                printf("null");
        else
                pg_json_string(c->check->remediation);
        printf("}");
}

/* The objective a gate's result comes from: the first with its outcome and
 * reason. */
static int gate_source_objective(const struct pg_status *st, unsigned g)
{
        const struct pg_result *r = &st->out.gates[g - 1];

        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                if (st->out.objectives[g - 1][o].outcome == r->outcome &&
                    st->out.objectives[g - 1][o].reason == r->reason)
                        return (int)o;
        return -1;
}

static void json_gate(const struct pg_status *st, unsigned g)
{
        int src = gate_source_objective(st, g);

        printf("{\"id\":%u,\"name\":", g);
        pg_json_string(pg_gate_name(g));
        printf(",\"key\":\"%s\",\"requirement\":\"%s\",", pg_manifest_gate_key(g),
               requirement_name(st->in.requirement[g - 1]));
        json_result(&st->out.gates[g - 1], src >= 0 ? st->objectives[g - 1][src].detail : NULL);
        printf(",\"remediation\":");
        json_string_or_null(src >= 0 ? objective_remediation(st, g, (unsigned)src) : NULL);
        printf(",\"objectives\":[");
        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                const struct pg_status_objective *so = &st->objectives[g - 1][o];
                bool first = true;

                printf("%s{\"index\":%u,\"name\":", o ? "," : "", o);
                pg_json_string(pg_objective_name(g, o));
                printf(",\"source\":\"%s\",", pg_status_source_name(so->source));
                json_result(&st->out.objectives[g - 1][o], so->detail);
                printf(",\"remediation\":");
                json_string_or_null(objective_remediation(st, g, o));
                printf(",\"checks\":[");
                for (size_t i = 0; i < st->check_count; i++) {
                        if (st->checks[i].gate != g || st->checks[i].objective != o)
                                continue;
                        printf("%s", first ? "" : ",");
                        pg_json_string(st->checks[i].id);
                        first = false;
                }
                printf("]}");
        }
        printf("]}");
}

static void json_decision(const char *name, const struct pg_decision *d, uint16_t listed)
{
        bool first = true;

        printf("\"%s\":{\"met\":%s,\"outcome\":\"%s\",\"gates\":[", name,
               d->met ? "true" : "false", pg_outcome_name(d->outcome));
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                if (listed & (1u << g)) {
                        printf("%s%u", first ? "" : ",", g);
                        first = false;
                }
        }
        printf("],\"blocking\":[");
        first = true;
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                if (d->blocking & (1u << g)) {
                        printf("%s%u", first ? "" : ",", g);
                        first = false;
                }
        }
        printf("]}");
}

static void json_header(const struct pg_status *st)
{
        const struct pg_manifest *m = st->manifest;
        char key_id[2 * PG_KEY_ID_SIZE + 1];

        for (size_t i = 0; i < PG_KEY_ID_SIZE; i++)
                snprintf(key_id + 2 * i, 3, "%02x", st->verified->key_id[i]);
        printf("{\"format\":1,\"root\":");
        pg_json_string(st->root_path);
        printf(",\"manifest\":{\"path\":");
        pg_json_string(st->manifest_path);
        printf(",\"product\":");
        pg_json_string(m->identity.product);
        printf(",\"version\":");
        pg_json_string(m->identity.version);
        printf(",\"build_id\":");
        pg_json_string(m->identity.build_id);
        printf(",\"build_type\":\"%s\",\"security_version\":%" PRIu32 ",\"key_id\":\"%s\","
               "\"key_role\":\"%s\"},\"handoff\":{\"path\":",
               pg_build_type_name(m->identity.build_type), m->identity.security_version, key_id,
               st->verified->role == PG_KEY_ROLE_DEVELOPMENT ? "development" : "release");
        pg_json_string(st->handoff_path);
        printf(",\"found\":%s,\"used\":%s,\"reason\":", st->has_handoff ? "true" : "false",
               st->handoff_err == PG_OK ? "true" : "false");
        if (st->handoff_err == PG_OK)
                printf("null");
        else
                pg_json_string(reason_name(st->handoff_err));
        printf("}");
}

static void json_xcheck(const struct pg_status *st)
{
        const struct pg_xcheck *x = &st->xcheck;
        char hex[129];

        printf(",\"cross_check\":{\"verdict\":\"%s\",\"reason\":",
               pg_xcheck_verdict_name(x->verdict));
        if (x->reason == PG_OK)
                printf("null");
        else
                pg_json_string(reason_name(x->reason));
        printf(",\"reason_code\":%" PRIu32 ",\"detail\":", x->reason);
        json_string_or_null(x->detail);
        printf(",\"pcr\":%" PRIu32 ",\"tcti\":", st->manifest->policy.gates_pcr);
        json_string_or_null(st->tcti);
        printf(",\"eventlog\":");
        pg_json_string(x->eventlog_path);
        printf(",\"userspace_log\":");
        pg_json_string(x->cel_path);
        printf(",\"userspace_records\":%" PRIu32 ",\"results_source\":", x->cel_records);
        json_string_or_null(results_source(x));
        printf(",\"tpm\":");
        if (x->tpm_read) {
                printf("{");
                for (size_t i = 0; i < x->tpm.bank_count; i++) {
                        pg_hex(hex, x->tpm.banks[i].value, x->tpm.banks[i].size);
                        printf("%s\"%s\":\"%s\"", i ? "," : "", bank_name(x->tpm.banks[i].alg),
                               hex);
                }
                printf("}");
        } else {
                printf("null");
        }
        printf(",\"replay_sha256\":");
        if (x->replayed) {
                pg_hex(hex, x->replay, 32);
                printf("\"%s\"", hex);
        } else {
                printf("null");
        }
        printf("}");
}

void pg_status_print_json(const struct pg_status *st)
{
        const struct pg_manifest *m = st->manifest;

        json_header(st);
        json_xcheck(st);
        printf(",\"gates\":[");
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                printf("%s", g > 1 ? "," : "");
                json_gate(st, g);
        }
        printf("],\"checks\":[");
        for (size_t i = 0; i < st->check_count; i++) {
                printf("%s", i ? "," : "");
                json_check(&st->results[i]);
        }
        printf("],\"decisions\":{");
        json_decision("production_readiness", &st->out.production_readiness,
                      m->policy.production_readiness);
        printf(",");
        json_decision("ota_eligibility", &st->out.ota_eligibility, m->policy.ota_eligibility);
        printf(",\"trust_tier\":{\"name\":\"%s\",\"value\":%" PRIu32 "}}}\n",
               pg_trust_tier_name(st->out.trust_tier), st->out.trust_tier);
}
