/* SPDX-License-Identifier: BSD-2-Clause */
/* prodgate verify's outputs (tools/verify_output.h); docs/attestation.md
 * describes each member. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "gates/keyring.h"
#include "tools/fileio.h"
#include "tools/verify_output.h"
#include "tools/json.h"
#include "tpm/tpm2_attest.h"

#define G(n) (1u << (n))

/* Which gates feed which AR4SI claim; docs/attestation.md explains why. */
const struct pg_ear_claim pg_ear_claims[] = {
        { "executables", G(1) | G(2) },
        { "configuration", G(4) | G(9) },
        { "file-system", G(6) },
        { "runtime-opaque", G(3) | G(7) },
        { "sourced-data", G(5) | G(8) | G(10) },
};
const size_t pg_ear_claim_count = PG_ARRAY_SIZE(pg_ear_claims);

int pg_ear_claim_value(const struct pg_verify_result *r, const struct pg_ear_claim *c)
{
        unsigned outcome = PG_OUTCOME_NOT_APPLICABLE;

        if (!r->verified)
                return 99;
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++)
                if (c->gates & G(g))
                        outcome = pg_outcome_combine(outcome, r->out.gates[g - 1].outcome);
        switch (outcome) {
        case PG_OUTCOME_PASS:
                return PG_TIER_AFFIRMING;
        case PG_OUTCOME_DEGRADED:
                return PG_TIER_WARNING;
        case PG_OUTCOME_FAIL:
                return PG_TIER_CONTRAINDICATED;
        default:
                return 0;
        }
}

static void json_hex(const uint8_t *p, size_t len)
{
        char hex[2 * 64 + 1];

        pg_hex(hex, p, len);
        printf("\"%s\"", hex);
}

static void json_reason(pg_err reason)
{
        const char *name = pg_err_name(reason);

        printf("\"reason\":");
        if (reason == PG_OK)
                printf("null");
        else
                pg_json_string(name ? name : "PG_ERR_UNKNOWN");
        printf(",\"reason_code\":%" PRIu32, reason);
}

static const char *pg_sig_name(uint16_t alg)
{
        switch (alg) {
        case PG_TPM2_ALG_RSASSA:
                return "\"rsassa-sha256\"";
        case PG_TPM2_ALG_RSAPSS:
                return "\"rsapss-sha256\"";
        case PG_TPM2_ALG_ECDSA:
                return "\"ecdsa-p256-sha256\"";
        default:
                return "null";
        }
}

static void json_steps(const struct pg_verify_result *r)
{
        printf("\"steps\":[");
        for (unsigned s = 0; s < PG_VSTEP_COUNT; s++) {
                const struct pg_verify_step *st = &r->steps[s];

                printf("%s{\"name\":\"%s\",\"result\":\"%s\",", s ? "," : "",
                       pg_verify_step_name(s), pg_verify_step_result_name(st->result));
                json_reason(st->reason);
                printf(",\"detail\":");
                if (st->detail[0])
                        pg_json_string(st->detail);
                else
                        printf("null");
                putchar('}');
        }
        printf("]");
}

static void json_quote(const struct pg_verify_result *r)
{
        bool first = true;

        printf(",\"quote\":{\"signature\":%s,\"clock\":%" PRIu64 ",\"reset_count\":%" PRIu32
               ",\"restart_count\":%" PRIu32 ",\"firmware_version\":\"0x%016" PRIx64 "\","
               "\"pcrs\":[", pg_sig_name(r->sig_alg), r->clock, r->reset_count,
               r->restart_count, r->firmware_version);
        for (unsigned p = 0; p <= PG_TPM2_PCR_MAX; p++)
                if (r->quoted_pcrs & (1u << p))
                        printf("%s%u", first ? "" : ",", p), first = false;
        printf("],\"gates_pcr\":%" PRIu32 ",\"gates_pcr_sha256\":", r->gates_pcr);
        if (r->has_replay)
                json_hex(r->gates_pcr_value, 32);
        else
                printf("null");
        putchar('}');
}

static void json_evidence(const struct pg_verify_result *r)
{
        const struct pg_handoff *h = &r->handoff;

        printf(",\"manifest\":");
        if (r->has_identity) {
                printf("{\"digest\":");
                json_hex(r->manifest_digest, 32);
                printf(",\"key_id\":");
                json_hex(r->key_id, 32);
                printf(",\"key_role\":%s%s%s,\"svn\":%" PRIu32 ",\"file_checked\":%s}",
                       r->key_role ? "\"" : "",
                       r->key_role ? pg_key_role_name(r->key_role) : "null",
                       r->key_role ? "\"" : "", r->svn, r->manifest_checked ? "true" : "false");
        } else {
                printf("null");
        }
        printf(",\"handoff\":");
        if (r->has_handoff) {
                printf("{\"evaluator_version\":");
                pg_json_string(h->evaluator_version);
                printf(",\"build_type\":\"%s\",\"action\":\"%s\",\"manifest_version\":",
                       pg_handoff_build_type_name(h->build_type),
                       pg_handoff_action_name(h->action));
                pg_json_string(h->manifest.version);
                printf(",\"eval_time_us\":%" PRIu64 ",\"anti_rollback\":", h->eval_time_us);
                if (h->has_rollback)
                        printf("{\"floor_before\":%" PRIu64 ",\"floor_after\":%" PRIu64 "}}",
                               h->rollback.floor_before, h->rollback.floor_after);
                else
                        printf("null}");
        } else {
                printf("null");
        }
        printf(",\"runtime\":{\"records\":%" PRIu32 ",\"used\":%s}", r->runtime_records,
               r->has_runtime ? "true" : "false");
}

static void json_result(const struct pg_result *res)
{
        printf("\"outcome\":\"%s\",", pg_outcome_name(res->outcome));
        json_reason(res->reason);
}

static void json_gates(const struct pg_verify_result *r)
{
        printf(",\"gates\":[");
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                printf("%s{\"id\":%u,\"name\":\"%s\",", g > 1 ? "," : "", g, pg_gate_name(g));
                json_result(&r->out.gates[g - 1]);
                printf(",\"objectives\":[");
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                        printf("%s{\"index\":%u,\"name\":\"%s\",", o ? "," : "", o,
                               pg_objective_name(g, o));
                        json_result(&r->out.objectives[g - 1][o]);
                        putchar('}');
                }
                printf("]}");
        }
        putchar(']');
}

static void json_decision(const char *name, const struct pg_decision *d, uint16_t listed)
{
        bool first = true;

        printf("\"%s\":{\"met\":%s,\"outcome\":\"%s\",\"gates\":[", name,
               d->met ? "true" : "false", pg_outcome_name(d->outcome));
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++)
                if (listed & G(g))
                        printf("%s%u", first ? "" : ",", g), first = false;
        printf("],\"blocking\":[");
        first = true;
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++)
                if (d->blocking & G(g))
                        printf("%s%u", first ? "" : ",", g), first = false;
        printf("]}");
}

static void pg_print_json(const struct pg_verify_result *r)
{
        printf("{\"format\":1,\"verdict\":\"%s\",\"status\":%" PRIu32 ",",
               r->verified ? "verified" : "failed", r->status);
        json_reason(r->reason);
        putchar(',');
        json_steps(r);
        json_quote(r);
        json_evidence(r);
        json_gates(r);
        printf(",\"decisions\":{\"policy\":\"%s\",",
               r->policy_from_manifest ? "manifest" : "default");
        json_decision("production_readiness", &r->out.production_readiness,
                      r->in.production_readiness);
        putchar(',');
        json_decision("ota_eligibility", &r->out.ota_eligibility, r->in.ota_eligibility);
        printf(",\"trust_tier\":{\"name\":\"%s\",\"value\":%" PRIu32 "}}}\n",
               pg_trust_tier_name(r->out.trust_tier), r->out.trust_tier);
}

static void pg_print_ear(const struct pg_verify_result *r, int64_t iat)
{
        uint32_t tier = r->verified ? r->out.trust_tier : PG_TIER_CONTRAINDICATED;

        printf("{\"eat_profile\":\"tag:github.com,2023:veraison/ear\",\"iat\":%" PRId64 ","
               "\"ear.verifier-id\":{\"developer\":\"prodgate\",\"build\":\"prodgate "
               PG_VERSION "\"},\"submods\":{\"prodgate\":{\"ear.status\":\"%s\","
               "\"ear.trustworthiness-vector\":{\"instance-identity\":%d", iat,
               pg_trust_tier_name(tier), r->verified ? PG_TIER_AFFIRMING : 99);
        for (size_t i = 0; i < pg_ear_claim_count; i++)
                printf(",\"%s\":%d", pg_ear_claims[i].name,
                       pg_ear_claim_value(r, &pg_ear_claims[i]));
        printf("},\"ear.appraisal-policy-id\":\"prodgate:%s-policy\",\"prodgate.verdict\":\"%s\","
               "\"prodgate.production-ready\":%s,", r->policy_from_manifest ? "manifest" :
               "default", r->verified ? "verified" : "failed",
               r->verified && r->out.production_readiness.met ? "true" : "false");
        json_reason(r->reason);
        printf("}}}\n");
}

/* Returns the symbol of a reason, "" for PG_OK, or PG_ERR_UNKNOWN for a code
 * this build does not define (a newer evaluator's). */
static const char *pg_text_reason(pg_err reason)
{
        const char *name = pg_err_name(reason);

        if (reason == PG_OK)
                return "";
        return name ? name : "PG_ERR_UNKNOWN";
}

static void pg_print_text(const struct pg_verify_result *r)
{
        printf("verdict: %s%s%s\n", r->verified ? "verified" : "verification failed",
               r->verified ? "" : ": ", pg_text_reason(r->verified ? PG_OK : r->reason));
        for (unsigned s = 0; s < PG_VSTEP_COUNT; s++) {
                const struct pg_verify_step *st = &r->steps[s];

                printf("  %-18s %-8s %s%s%s\n", pg_verify_step_name(s),
                       pg_verify_step_result_name(st->result),
                       pg_text_reason(st->reason), st->reason ? " " : "",
                       st->detail);
        }
        printf("\n");
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                const struct pg_result *res = &r->out.gates[g - 1];

                printf("%2u %-28s %-15s %s\n", g, pg_gate_name(g), pg_outcome_name(res->outcome),
                       pg_text_reason(res->reason));
        }
        printf("\nproduction readiness: %s\nOTA eligibility:      %s\ntrust tier:           %s\n",
               r->out.production_readiness.met ? "yes" : "no",
               r->out.ota_eligibility.met ? "yes" : "no", pg_trust_tier_name(r->out.trust_tier));
}

void pg_verify_print(const struct pg_verify_result *r, int format, int64_t iat)
{
        if (format == PG_VERIFY_OUT_JSON)
                pg_print_json(r);
        else if (format == PG_VERIFY_OUT_EAR)
                pg_print_ear(r, iat);
        else
                pg_print_text(r);
}
