/* SPDX-License-Identifier: BSD-2-Clause */
#include "test.h"
#include "gates/model.h"

TEST(gate_names_cover_all_gates)
{
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                CHECK(pg_gate_name(g) != NULL);
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        CHECK(pg_objective_name(g, o) != NULL);
        }
        CHECK(pg_gate_name(0) == NULL);
        CHECK(pg_gate_name(11) == NULL);
        CHECK(pg_objective_name(1, 3) == NULL);
        CHECK(strcmp(pg_gate_name(PG_GATE_UPDATE_INTEGRITY), "update integrity") == 0);
}

TEST(outcome_combine_worst_wins)
{
        CHECK_INT(pg_outcome_combine(PG_OUTCOME_PASS, PG_OUTCOME_PASS), PG_OUTCOME_PASS);
        CHECK_INT(pg_outcome_combine(PG_OUTCOME_PASS, PG_OUTCOME_DEGRADED), PG_OUTCOME_DEGRADED);
        CHECK_INT(pg_outcome_combine(PG_OUTCOME_UNKNOWN, PG_OUTCOME_DEGRADED), PG_OUTCOME_UNKNOWN);
        CHECK_INT(pg_outcome_combine(PG_OUTCOME_FAIL, PG_OUTCOME_UNKNOWN), PG_OUTCOME_FAIL);
        CHECK_INT(pg_outcome_combine(PG_OUTCOME_NOT_APPLICABLE, PG_OUTCOME_PASS), PG_OUTCOME_PASS);
        CHECK_INT(pg_outcome_combine(PG_OUTCOME_FAIL, PG_OUTCOME_NOT_APPLICABLE), PG_OUTCOME_FAIL);
        CHECK_INT(pg_outcome_combine(PG_OUTCOME_NOT_APPLICABLE, PG_OUTCOME_NOT_APPLICABLE),
                  PG_OUTCOME_NOT_APPLICABLE);
}

TEST(outcome_combine_invalid_is_unknown)
{
        CHECK_INT(pg_outcome_combine(PG_OUTCOME_PASS, 7), PG_OUTCOME_UNKNOWN);
        CHECK_INT(pg_outcome_combine(0xffffffffu, PG_OUTCOME_PASS), PG_OUTCOME_UNKNOWN);
        CHECK(pg_outcome_name(5) == NULL);
        CHECK(strcmp(pg_outcome_name(PG_OUTCOME_NOT_APPLICABLE), "not-applicable") == 0);
}

int main(void)
{
        RUN(gate_names_cover_all_gates);
        RUN(outcome_combine_worst_wins);
        RUN(outcome_combine_invalid_is_unknown);
        return TEST_SUMMARY();
}
