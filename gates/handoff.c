/* SPDX-License-Identifier: BSD-2-Clause */
/* The handoff rules shared by the writer and the reader. */
#include "gates/fdt_strict.h"
#include "gates/handoff.h"

void pg_handoff_init(struct pg_handoff *h)
{
        static const struct pg_handoff_result pending = {
                .outcome = PG_OUTCOME_UNKNOWN,
                .reason = PG_ERR_HANDOFF_PENDING_RUNTIME,
        };

        memset(h, 0, sizeof(*h));
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                h->gates[g].result = pending;
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        h->gates[g].objectives[o] = pending;
        }
}

bool pg_handoff_is_pending(const struct pg_handoff_result *r)
{
        return r->outcome == PG_OUTCOME_UNKNOWN && r->reason == PG_ERR_HANDOFF_PENDING_RUNTIME;
}

/* A string field: NUL inside its array, then empty (when allowed) or printable. */
static pg_err check_string(const char *s, size_t size, bool required)
{
        const char *nul = memchr(s, 0, size);

        if (!nul)
                return PG_ERR_HANDOFF_BAD_INPUT;
        if (nul == s && !required)
                return PG_OK;
        return pg_fdt_printable(s, (size_t)(nul - s)) ? PG_OK : PG_ERR_HANDOFF_BAD_STRING;
}

/* Every non-pass carries a reason, and only an unknown result may be pending. */
static pg_err check_reason(uint32_t outcome, pg_err reason)
{
        if (outcome == PG_OUTCOME_PASS)
                return reason == PG_OK ? PG_OK : PG_ERR_HANDOFF_BAD_REASON;
        if (reason == PG_OK)
                return PG_ERR_HANDOFF_BAD_REASON;
        if (reason == PG_ERR_HANDOFF_PENDING_RUNTIME && outcome != PG_OUTCOME_UNKNOWN)
                return PG_ERR_HANDOFF_BAD_REASON;
        return PG_OK;
}

static pg_err check_result(const struct pg_handoff_result *r)
{
        pg_err err;

        if (!pg_outcome_name(r->outcome))
                return PG_ERR_HANDOFF_BAD_OUTCOME;
        err = check_reason(r->outcome, r->reason);
        if (err == PG_OK)
                err = check_string(r->detail, sizeof(r->detail), false);
        return err;
}

static pg_err check_gate(const struct pg_handoff_gate *g)
{
        unsigned combined = PG_OUTCOME_NOT_APPLICABLE;
        pg_err err;

        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                err = check_result(&g->objectives[o]);
                if (err != PG_OK)
                        return err;
                combined = pg_outcome_combine(combined, g->objectives[o].outcome);
        }
        err = check_result(&g->result);
        if (err != PG_OK)
                return err;
        return g->result.outcome == combined ? PG_OK : PG_ERR_HANDOFF_GATE_OUTCOME_MISMATCH;
}

static pg_err check_header_fields(const struct pg_handoff *h)
{
        pg_err err = check_string(h->evaluator_version, sizeof(h->evaluator_version), true);

        if (err != PG_OK)
                return err;
        if (!pg_handoff_build_type_name(h->build_type))
                return PG_ERR_HANDOFF_BAD_BUILD_TYPE;
        if (h->has_manifest) {
                err = check_string(h->manifest.version, sizeof(h->manifest.version), true);
                if (err != PG_OK)
                        return err;
        }
        if (h->has_rollback && h->rollback.floor_after < h->rollback.floor_before)
                return PG_ERR_HANDOFF_ROLLBACK_DECREASED;
        if (h->pcr > PG_HANDOFF_MAX_PCR)
                return PG_ERR_HANDOFF_BAD_PCR;
        if (!pg_handoff_action_name(h->action))
                return PG_ERR_HANDOFF_BAD_ACTION;
        return PG_OK;
}

pg_err pg_handoff_check(const struct pg_handoff *h)
{
        pg_err err = check_header_fields(h);

        for (unsigned g = 0; err == PG_OK && g < PG_GATE_COUNT; g++)
                err = check_gate(&h->gates[g]);
        return err;
}

const char *pg_handoff_action_name(uint32_t action)
{
        switch (action) {
        case PG_HANDOFF_ACTION_BOOT_NEXT:
                return "boot-next";
        case PG_HANDOFF_ACTION_BOOT_RECOVERY:
                return "boot-recovery";
        case PG_HANDOFF_ACTION_HALT:
                return "halt";
        case PG_HANDOFF_ACTION_AUDIT_CONTINUE:
                return "audit-continue";
        }
        return NULL;
}

const char *pg_handoff_build_type_name(uint32_t type)
{
        switch (type) {
        case PG_HANDOFF_BUILD_PRODUCTION:
                return "production";
        case PG_HANDOFF_BUILD_DEVELOPMENT:
                return "development";
        case PG_HANDOFF_BUILD_ENGINEERING:
                return "engineering";
        }
        return NULL;
}
