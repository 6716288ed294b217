/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The gate model: ten gates of three objectives each, the outcomes an
 * objective or gate can have, and the derived decisions. The numeric values
 * appear in the manifest, the handoff blob and measured events, so they are
 * part of the wire formats and never change.
 */
#ifndef PG_GATES_MODEL_H
#define PG_GATES_MODEL_H

#include "pg/platform.h"

#define PG_GATE_COUNT 10
#define PG_OBJECTIVES_PER_GATE 3

enum pg_gate {
        PG_GATE_BUILD_INTEGRITY = 1,
        PG_GATE_BOOT_INTEGRITY = 2,
        PG_GATE_RUNTIME_SECURITY = 3,
        PG_GATE_PLATFORM_CONFIGURATION = 4,
        PG_GATE_NETWORK_SECURITY = 5,
        PG_GATE_APPLICATION_EXPOSURE = 6,
        PG_GATE_PRIVACY_CONTROLS = 7,
        PG_GATE_DEVICE_MANAGEMENT = 8,
        PG_GATE_UPDATE_INTEGRITY = 9,
        PG_GATE_SECURITY_MONITORING = 10,
};

/*
 * Outcome of an objective or a gate. Ordered from best to worst except
 * NOT_APPLICABLE, so the gate outcome is the worst outcome among its
 * applicable objectives (pg_outcome_combine).
 */
enum pg_outcome {
        PG_OUTCOME_PASS = 0,
        PG_OUTCOME_DEGRADED = 1,
        PG_OUTCOME_UNKNOWN = 2,         /* evidence missing or unreadable; never counts as pass */
        PG_OUTCOME_FAIL = 3,
        PG_OUTCOME_NOT_APPLICABLE = 4,  /* the policy marks the objective as not applying */
};

/* The phase in which a gate is evaluated. */
enum pg_gate_phase {
        PG_PHASE_PRE_OS = 1,
        PG_PHASE_RUNTIME = 2,
        PG_PHASE_BOTH = 3,
};

/* Policy requirement for a gate, carried in the signed manifest. */
enum pg_requirement {
        PG_REQUIREMENT_REQUIRED = 0,
        PG_REQUIREMENT_ADVISORY = 1,
        PG_REQUIREMENT_NOT_APPLICABLE = 2,
};

/* Trust tier derived from the gates (IETF RATS EAR tiers). */
enum pg_trust_tier {
        PG_TIER_NONE = 0,
        PG_TIER_AFFIRMING = 2,
        PG_TIER_WARNING = 32,
        PG_TIER_CONTRAINDICATED = 96,
};

/* Returns the gate's name ("build integrity"), or NULL for an invalid id. */
const char *pg_gate_name(unsigned gate);

/* Returns the name of objective index 0..2 of a gate, or NULL. */
const char *pg_objective_name(unsigned gate, unsigned objective);

enum pg_gate_phase pg_gate_phase(unsigned gate);

/* Returns "pass", "fail", "degraded", "unknown" or "not-applicable"; NULL
 * for a value outside the enum. */
const char *pg_outcome_name(unsigned outcome);

/*
 * Combines two outcomes into the worse one. NOT_APPLICABLE is neutral: it
 * yields the other outcome. Any value outside the enum yields UNKNOWN, so a
 * corrupted outcome can never combine into a pass.
 */
enum pg_outcome pg_outcome_combine(unsigned a, unsigned b);

#endif
