/* SPDX-License-Identifier: BSD-2-Clause */
#include "gates/decide.h"
#include "test.h"

#define P { PG_OUTCOME_PASS, PG_OK }
#define D { PG_OUTCOME_DEGRADED, PG_ERR_CHECK_SYSCTL_VALUE }
#define U { PG_OUTCOME_UNKNOWN, PG_ERR_CHECK_EVIDENCE_MISSING }
#define F { PG_OUTCOME_FAIL, PG_ERR_CHECK_FILE_MODE }
#define NA { PG_OUTCOME_NOT_APPLICABLE, PG_ERR_DECIDE_NOT_APPLICABLE }

#define GATE_BIT(g) (uint16_t)(1u << (g))

/* Every objective pass, every gate required; readiness needs 1, 2, 4, 9. */
static void input_all_pass(struct pg_decide_input *in)
{
        memset(in, 0, sizeof(*in));
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                in->requirement[g] = PG_REQUIREMENT_REQUIRED;
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        in->objectives[g][o] = (struct pg_result)P;
        }
        in->production_readiness = GATE_BIT(1) | GATE_BIT(2) | GATE_BIT(4) | GATE_BIT(9);
        in->ota_eligibility = GATE_BIT(1) | GATE_BIT(2) | GATE_BIT(9);
}

static void set_objective(struct pg_decide_input *in, unsigned g, unsigned o,
                          struct pg_result r)
{
        in->objectives[g - 1][o] = r;
}

TEST(objective_no_checks_is_not_covered)
{
        struct pg_result r = pg_decide_objective(NULL, 0);

        CHECK_INT(r.outcome, PG_OUTCOME_UNKNOWN);
        CHECK_ERR(r.reason, PG_ERR_DECIDE_NOT_COVERED);
}

TEST(objective_worst_check_wins)
{
        const struct pg_result checks[] = { P, D, U, F, D };
        struct pg_result r = pg_decide_objective(checks, PG_ARRAY_SIZE(checks));

        CHECK_INT(r.outcome, PG_OUTCOME_FAIL);
        CHECK_ERR(r.reason, PG_ERR_CHECK_FILE_MODE);
}

TEST(objective_unknown_beats_degraded)
{
        const struct pg_result checks[] = { D, P, U };
        struct pg_result r = pg_decide_objective(checks, PG_ARRAY_SIZE(checks));

        CHECK_INT(r.outcome, PG_OUTCOME_UNKNOWN);
        CHECK_ERR(r.reason, PG_ERR_CHECK_EVIDENCE_MISSING);
}

TEST(objective_first_reason_on_tie)
{
        const struct pg_result checks[] = {
                P, { PG_OUTCOME_FAIL, PG_ERR_CHECK_FILE_OWNER }, F,
        };
        struct pg_result r = pg_decide_objective(checks, PG_ARRAY_SIZE(checks));

        CHECK_INT(r.outcome, PG_OUTCOME_FAIL);
        CHECK_ERR(r.reason, PG_ERR_CHECK_FILE_OWNER);
}

TEST(objective_all_pass)
{
        const struct pg_result checks[] = { P, P, NA };
        struct pg_result r = pg_decide_objective(checks, PG_ARRAY_SIZE(checks));

        CHECK_INT(r.outcome, PG_OUTCOME_PASS);
        CHECK_ERR(r.reason, PG_OK);
}

TEST(objective_only_not_applicable)
{
        const struct pg_result checks[] = { NA, NA };
        struct pg_result r = pg_decide_objective(checks, PG_ARRAY_SIZE(checks));

        CHECK_INT(r.outcome, PG_OUTCOME_NOT_APPLICABLE);
        CHECK_ERR(r.reason, PG_ERR_DECIDE_NOT_APPLICABLE);
}

TEST(objective_malformed_results_never_pass)
{
        const struct pg_result bad[][2] = {
                { P, { PG_OUTCOME_PASS, PG_ERR_CHECK_FILE_MODE } },     /* pass with a reason */
                { P, { PG_OUTCOME_FAIL, PG_OK } },                      /* fail without one */
                { P, { 5, PG_ERR_CHECK_FILE_MODE } },                   /* outcome out of range */
                { P, { 0xffffffffu, PG_OK } },
                { { PG_OUTCOME_NOT_APPLICABLE, PG_OK }, P },
        };

        for (size_t i = 0; i < PG_ARRAY_SIZE(bad); i++) {
                struct pg_result r = pg_decide_objective(bad[i], 2);

                CHECK_INT(r.outcome, PG_OUTCOME_UNKNOWN);
                CHECK_ERR(r.reason, PG_ERR_DECIDE_BAD_RESULT);
        }
}

TEST(result_valid_rules)
{
        const struct pg_result ok[] = { P, D, U, F, NA };
        const struct pg_result bad[] = {
                { PG_OUTCOME_PASS, 1 }, { PG_OUTCOME_UNKNOWN, PG_OK }, { 7, 1 },
        };

        for (size_t i = 0; i < PG_ARRAY_SIZE(ok); i++)
                CHECK(pg_result_valid(&ok[i]));
        for (size_t i = 0; i < PG_ARRAY_SIZE(bad); i++)
                CHECK(!pg_result_valid(&bad[i]));
}

TEST(pre_os_objectives)
{
        static const bool expect[PG_GATE_COUNT][PG_OBJECTIVES_PER_GATE] = {
                { true, true, true }, { true, true, true }, { false, false, false },
                { true, false, true }, { false, false, false }, { false, false, false },
                { false, false, false }, { false, false, false }, { false, true, true },
                { false, false, false },
        };

        for (unsigned g = 1; g <= PG_GATE_COUNT; g++)
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        CHECK_INT(pg_decide_pre_os_objective(g, o), expect[g - 1][o]);
        CHECK(!pg_decide_pre_os_objective(0, 0));
        CHECK(!pg_decide_pre_os_objective(11, 0));
        CHECK(!pg_decide_pre_os_objective(1, 3));
}

TEST(all_pass_affirming_and_ready)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        pg_decide(&in, &out);
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                CHECK_INT(out.gates[g].outcome, PG_OUTCOME_PASS);
                CHECK_ERR(out.gates[g].reason, PG_OK);
        }
        CHECK(out.production_readiness.met);
        CHECK_INT(out.production_readiness.outcome, PG_OUTCOME_PASS);
        CHECK_INT(out.production_readiness.blocking, 0);
        CHECK(out.ota_eligibility.met);
        CHECK_INT(out.trust_tier, PG_TIER_AFFIRMING);
}

TEST(gate_reason_from_first_worst_objective)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        set_objective(&in, 5, 0, (struct pg_result)D);
        set_objective(&in, 5, 1, (struct pg_result){ PG_OUTCOME_FAIL, PG_ERR_CHECK_DNSSEC });
        set_objective(&in, 5, 2, (struct pg_result)F);
        pg_decide(&in, &out);
        CHECK_INT(out.gates[4].outcome, PG_OUTCOME_FAIL);
        CHECK_ERR(out.gates[4].reason, PG_ERR_CHECK_DNSSEC);
        CHECK_INT(out.objectives[4][0].outcome, PG_OUTCOME_DEGRADED);
}

TEST(not_applicable_requirement_overrides_objectives)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        in.requirement[7] = PG_REQUIREMENT_NOT_APPLICABLE;
        set_objective(&in, 8, 0, (struct pg_result)F);
        pg_decide(&in, &out);
        CHECK_INT(out.gates[7].outcome, PG_OUTCOME_NOT_APPLICABLE);
        CHECK_ERR(out.gates[7].reason, PG_ERR_DECIDE_NOT_APPLICABLE);
        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                CHECK_INT(out.objectives[7][o].outcome, PG_OUTCOME_NOT_APPLICABLE);
                CHECK_ERR(out.objectives[7][o].reason, PG_ERR_DECIDE_NOT_APPLICABLE);
        }
        CHECK_INT(out.trust_tier, PG_TIER_AFFIRMING);
}

TEST(required_fail_contraindicated)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        set_objective(&in, 1, 2, (struct pg_result)U);
        set_objective(&in, 3, 1, (struct pg_result)F);
        pg_decide(&in, &out);
        CHECK_INT(out.trust_tier, PG_TIER_CONTRAINDICATED);
        CHECK(!out.production_readiness.met);
        CHECK_INT(out.production_readiness.outcome, PG_OUTCOME_UNKNOWN);
        CHECK_INT(out.production_readiness.blocking, GATE_BIT(1));
}

TEST(required_unknown_is_none)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        set_objective(&in, 2, 0,
                      (struct pg_result){ PG_OUTCOME_UNKNOWN, PG_ERR_DECIDE_NO_HANDOFF });
        set_objective(&in, 6, 0, (struct pg_result)D);
        pg_decide(&in, &out);
        CHECK_INT(out.gates[1].outcome, PG_OUTCOME_UNKNOWN);
        CHECK_ERR(out.gates[1].reason, PG_ERR_DECIDE_NO_HANDOFF);
        CHECK_INT(out.trust_tier, PG_TIER_NONE);
        CHECK(!out.production_readiness.met);
        CHECK_INT(out.production_readiness.blocking, GATE_BIT(2));
        CHECK(!out.ota_eligibility.met);
        CHECK_INT(out.ota_eligibility.blocking, GATE_BIT(2));
}

TEST(required_degraded_is_warning)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        set_objective(&in, 4, 1, (struct pg_result)D);
        pg_decide(&in, &out);
        CHECK_INT(out.trust_tier, PG_TIER_WARNING);
        CHECK(!out.production_readiness.met);
        CHECK_INT(out.production_readiness.outcome, PG_OUTCOME_DEGRADED);
        CHECK_INT(out.production_readiness.blocking, GATE_BIT(4));
        CHECK(out.ota_eligibility.met);
}

TEST(advisory_issues_are_warning)
{
        const struct pg_result advisory[] = { F, U, D };

        for (size_t i = 0; i < PG_ARRAY_SIZE(advisory); i++) {
                struct pg_decide_input in;
                struct pg_decide_output out;

                input_all_pass(&in);
                in.requirement[6] = PG_REQUIREMENT_ADVISORY;
                set_objective(&in, 7, 2, advisory[i]);
                pg_decide(&in, &out);
                CHECK_INT(out.gates[6].outcome, advisory[i].outcome);
                CHECK_INT(out.trust_tier, PG_TIER_WARNING);
                CHECK(out.production_readiness.met);
        }
}

TEST(listed_advisory_gate_still_blocks)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        in.requirement[4] = PG_REQUIREMENT_ADVISORY;
        in.production_readiness |= GATE_BIT(5);
        set_objective(&in, 5, 0, (struct pg_result)F);
        pg_decide(&in, &out);
        CHECK(!out.production_readiness.met);
        CHECK_INT(out.production_readiness.outcome, PG_OUTCOME_FAIL);
        CHECK_INT(out.production_readiness.blocking, GATE_BIT(5));
        CHECK_INT(out.trust_tier, PG_TIER_WARNING);
}

TEST(decision_ignores_not_applicable_gate)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        in.requirement[8] = PG_REQUIREMENT_NOT_APPLICABLE;
        pg_decide(&in, &out);
        CHECK(out.production_readiness.met);
        CHECK_INT(out.production_readiness.blocking, 0);
}

TEST(decision_needs_one_passing_gate)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        in.production_readiness = GATE_BIT(8);
        in.requirement[7] = PG_REQUIREMENT_NOT_APPLICABLE;
        in.ota_eligibility = 0;
        pg_decide(&in, &out);
        CHECK(!out.production_readiness.met);
        CHECK_INT(out.production_readiness.outcome, PG_OUTCOME_UNKNOWN);
        CHECK(!out.ota_eligibility.met);
        CHECK_INT(out.ota_eligibility.outcome, PG_OUTCOME_UNKNOWN);
}

TEST(invalid_requirement_counts_as_required)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        in.requirement[2] = 9;
        set_objective(&in, 3, 0, (struct pg_result)F);
        pg_decide(&in, &out);
        CHECK_INT(out.gates[2].outcome, PG_OUTCOME_FAIL);
        CHECK_INT(out.trust_tier, PG_TIER_CONTRAINDICATED);
}

TEST(malformed_objective_is_unknown)
{
        struct pg_decide_input in;
        struct pg_decide_output out;

        input_all_pass(&in);
        set_objective(&in, 9, 1, (struct pg_result){ PG_OUTCOME_PASS, PG_ERR_CHECK_FILE_MODE });
        pg_decide(&in, &out);
        CHECK_INT(out.objectives[8][1].outcome, PG_OUTCOME_UNKNOWN);
        CHECK_ERR(out.objectives[8][1].reason, PG_ERR_DECIDE_BAD_RESULT);
        CHECK_INT(out.gates[8].outcome, PG_OUTCOME_UNKNOWN);
        CHECK_ERR(out.gates[8].reason, PG_ERR_DECIDE_BAD_RESULT);
        CHECK(!out.production_readiness.met);
        CHECK(!out.ota_eligibility.met);
        CHECK_INT(out.trust_tier, PG_TIER_NONE);
}

TEST(trust_tier_names)
{
        CHECK(!strcmp(pg_trust_tier_name(PG_TIER_AFFIRMING), "affirming"));
        CHECK(!strcmp(pg_trust_tier_name(PG_TIER_WARNING), "warning"));
        CHECK(!strcmp(pg_trust_tier_name(PG_TIER_CONTRAINDICATED), "contraindicated"));
        CHECK(!strcmp(pg_trust_tier_name(PG_TIER_NONE), "none"));
        CHECK(pg_trust_tier_name(1) == NULL);
}

int main(void)
{
        RUN(objective_no_checks_is_not_covered);
        RUN(objective_worst_check_wins);
        RUN(objective_unknown_beats_degraded);
        RUN(objective_first_reason_on_tie);
        RUN(objective_all_pass);
        RUN(objective_only_not_applicable);
        RUN(objective_malformed_results_never_pass);
        RUN(result_valid_rules);
        RUN(pre_os_objectives);
        RUN(all_pass_affirming_and_ready);
        RUN(gate_reason_from_first_worst_objective);
        RUN(not_applicable_requirement_overrides_objectives);
        RUN(required_fail_contraindicated);
        RUN(required_unknown_is_none);
        RUN(required_degraded_is_warning);
        RUN(advisory_issues_are_warning);
        RUN(listed_advisory_gate_still_blocks);
        RUN(decision_ignores_not_applicable_gate);
        RUN(decision_needs_one_passing_gate);
        RUN(invalid_requirement_counts_as_required);
        RUN(malformed_objective_is_unknown);
        RUN(trust_tier_names);
        return TEST_SUMMARY();
}
