/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The aggregation from results to decisions, shared by `prodgate status` and
 * the attestation verifier: check results into objectives, objectives into
 * gates, gates into production readiness, OTA eligibility and the trust
 * tier. Pure functions over caller-provided structs; docs/runtime-checks.md
 * states the rules.
 *
 * Every input result is validated: an outcome outside enum pg_outcome, a
 * pass with a reason code, or another outcome without one becomes unknown
 * with PG_ERR_DECIDE_BAD_RESULT, so no malformed input aggregates to pass.
 */
#ifndef PG_GATES_DECIDE_H
#define PG_GATES_DECIDE_H

#include "pg/err.h"
#include "gates/model.h"

struct pg_result {
        uint32_t outcome;               /* enum pg_outcome */
        pg_err reason;                  /* PG_OK exactly when outcome is pass */
};

struct pg_decide_input {
        /* objectives[g - 1][o]: the result of objective o of gate g */
        struct pg_result objectives[PG_GATE_COUNT][PG_OBJECTIVES_PER_GATE];
        uint8_t requirement[PG_GATE_COUNT];     /* enum pg_requirement, index gate - 1 */
        uint16_t production_readiness;          /* bit g set: gate g required */
        uint16_t ota_eligibility;               /* bit g set: gate g required */
};

struct pg_decision {
        bool met;                       /* every listed gate passes (see pg_decide()) */
        uint32_t outcome;               /* combination of the listed gates */
        uint16_t blocking;              /* bit g set: listed gate g is not pass */
};

struct pg_decide_output {
        struct pg_result objectives[PG_GATE_COUNT][PG_OBJECTIVES_PER_GATE];
        struct pg_result gates[PG_GATE_COUNT];
        struct pg_decision production_readiness;
        struct pg_decision ota_eligibility;
        uint32_t trust_tier;            /* enum pg_trust_tier */
};

/* Returns true for a result whose outcome and reason fit together. */
bool pg_result_valid(const struct pg_result *r);

/*
 * Combines the results of the checks of one objective: the worst outcome
 * wins, with the reason of the first check that has it; not-applicable is
 * neutral. No checks (count 0) gives unknown with PG_ERR_DECIDE_NOT_COVERED.
 */
struct pg_result pg_decide_objective(const struct pg_result *checks, size_t count);

/* Combines two results of the same objective, as pg_decide_objective(). */
struct pg_result pg_result_combine(struct pg_result a, struct pg_result b);

/*
 * True for the objectives the EFI stage evaluates: all of gates 1 and 2,
 * objectives 0 and 2 of gate 4 and objectives 1 and 2 of gate 9.
 */
bool pg_decide_pre_os_objective(unsigned gate, unsigned objective);

/*
 * Evaluates the gates and the derived decisions:
 *  - a gate whose requirement is not-applicable is not-applicable, and so
 *    are its objectives (PG_ERR_DECIDE_NOT_APPLICABLE); any other gate is
 *    the combination of its objectives, with the reason of the first
 *    objective that has the gate's outcome;
 *  - production readiness and OTA eligibility are met when every gate their
 *    policy lists is pass or not-applicable and at least one is pass;
 *  - the trust tier looks at the required and advisory gates: contraindicated
 *    when a required gate fails; otherwise none when a required gate is
 *    unknown; otherwise warning when a required gate is degraded or an
 *    advisory gate is not pass; otherwise affirming.
 * An invalid requirement value counts as required.
 */
void pg_decide(const struct pg_decide_input *in, struct pg_decide_output *out);

/* Returns "affirming", "warning", "contraindicated" or "none"; NULL otherwise. */
const char *pg_trust_tier_name(uint32_t tier);

#endif
