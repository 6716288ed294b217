/* SPDX-License-Identifier: BSD-2-Clause */
#include "gates/decide.h"

static const struct pg_result pg_bad_result = { PG_OUTCOME_UNKNOWN, PG_ERR_DECIDE_BAD_RESULT };

bool pg_result_valid(const struct pg_result *r)
{
        if (r->outcome > PG_OUTCOME_NOT_APPLICABLE)
                return false;
        return (r->outcome == PG_OUTCOME_PASS) == (r->reason == PG_OK);
}

/* The worse of two valid results; on a tie the first keeps its reason. */
struct pg_result pg_result_combine(struct pg_result a, struct pg_result b)
{
        enum pg_outcome o;

        if (!pg_result_valid(&a))
                a = pg_bad_result;
        if (!pg_result_valid(&b))
                b = pg_bad_result;
        o = pg_outcome_combine(a.outcome, b.outcome);
        if (o == a.outcome)
                return a;
        return b;
}

struct pg_result pg_decide_objective(const struct pg_result *checks, size_t count)
{
        struct pg_result acc = { PG_OUTCOME_UNKNOWN, PG_ERR_DECIDE_NOT_COVERED };

        if (count == 0)
                return acc;
        acc = pg_result_combine(checks[0], checks[0]);
        for (size_t i = 1; i < count; i++)
                acc = pg_result_combine(acc, checks[i]);
        return acc;
}

bool pg_decide_pre_os_objective(unsigned gate, unsigned objective)
{
        if (objective >= PG_OBJECTIVES_PER_GATE)
                return false;
        switch (gate) {
        case PG_GATE_BUILD_INTEGRITY:
        case PG_GATE_BOOT_INTEGRITY:
                return true;
        case PG_GATE_PLATFORM_CONFIGURATION:
                return objective == 0 || objective == 2;
        case PG_GATE_UPDATE_INTEGRITY:
                return objective == 1 || objective == 2;
        }
        return false;
}

static void pg_decide_gate(const struct pg_decide_input *in, unsigned g,
                           struct pg_decide_output *out)
{
        /* cppcheck-suppress ctuuninitvar ; only the address of out's array is taken here */
        struct pg_result *objs = out->objectives[g - 1];
        struct pg_result acc;

        if (in->requirement[g - 1] == PG_REQUIREMENT_NOT_APPLICABLE) {
                const struct pg_result na = { PG_OUTCOME_NOT_APPLICABLE,
                                              PG_ERR_DECIDE_NOT_APPLICABLE };

                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        objs[o] = na;
                out->gates[g - 1] = na;
                return;
        }
        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                objs[o] = in->objectives[g - 1][o];
                if (!pg_result_valid(&objs[o]))
                        objs[o] = pg_bad_result;
        }
        acc = objs[0];
        for (unsigned o = 1; o < PG_OBJECTIVES_PER_GATE; o++)
                acc = pg_result_combine(acc, objs[o]);
        out->gates[g - 1] = acc;
}

static struct pg_decision pg_decide_list(const struct pg_decide_output *out, uint16_t mask)
{
        struct pg_decision d = { false, PG_OUTCOME_NOT_APPLICABLE, 0 };
        bool any_pass = false;

        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                uint32_t o;

                if (!(mask & (1u << g)))
                        continue;
                o = out->gates[g - 1].outcome;
                d.outcome = pg_outcome_combine(d.outcome, o);
                if (o == PG_OUTCOME_PASS)
                        any_pass = true;
                else if (o != PG_OUTCOME_NOT_APPLICABLE)
                        d.blocking |= (uint16_t)(1u << g);
        }
        /* A list naming no gate, or only not-applicable ones, decides nothing. */
        if (!any_pass) {
                d.outcome = PG_OUTCOME_UNKNOWN;
                return d;
        }
        d.met = d.blocking == 0 && d.outcome == PG_OUTCOME_PASS;
        return d;
}

static uint32_t pg_decide_tier(const struct pg_decide_input *in,
                               const struct pg_decide_output *out)
{
        bool required_fail = false, required_unknown = false, warning = false;

        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                uint32_t o = out->gates[g - 1].outcome;
                uint8_t req = in->requirement[g - 1];

                if (req == PG_REQUIREMENT_NOT_APPLICABLE || o == PG_OUTCOME_NOT_APPLICABLE)
                        continue;
                if (req == PG_REQUIREMENT_ADVISORY) {
                        warning |= o != PG_OUTCOME_PASS;
                        continue;
                }
                required_fail |= o == PG_OUTCOME_FAIL;
                required_unknown |= o == PG_OUTCOME_UNKNOWN;
                warning |= o == PG_OUTCOME_DEGRADED;
        }
        if (required_fail)
                return PG_TIER_CONTRAINDICATED;
        if (required_unknown)
                return PG_TIER_NONE;
        return warning ? PG_TIER_WARNING : PG_TIER_AFFIRMING;
}

void pg_decide(const struct pg_decide_input *in, struct pg_decide_output *out)
{
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++)
                pg_decide_gate(in, g, out);
        out->production_readiness = pg_decide_list(out, in->production_readiness);
        out->ota_eligibility = pg_decide_list(out, in->ota_eligibility);
        out->trust_tier = pg_decide_tier(in, out);
}

const char *pg_trust_tier_name(uint32_t tier)
{
        switch (tier) {
        case PG_TIER_AFFIRMING:
                return "affirming";
        case PG_TIER_WARNING:
                return "warning";
        case PG_TIER_CONTRAINDICATED:
                return "contraindicated";
        case PG_TIER_NONE:
                return "none";
        }
        return NULL;
}
