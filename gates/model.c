/* SPDX-License-Identifier: BSD-2-Clause */
#include "gates/model.h"

struct pg_gate_info {
        const char *name;
        enum pg_gate_phase phase;
        const char *objectives[PG_OBJECTIVES_PER_GATE];
};

static const struct pg_gate_info pg_gates[PG_GATE_COUNT] = {
        { "build integrity", PG_PHASE_PRE_OS,
          { "production build", "trusted release state", "authorized release provenance" } },
        { "boot integrity", PG_PHASE_PRE_OS,
          { "verified software state", "trusted boot chain", "device integrity" } },
        { "runtime security", PG_PHASE_RUNTIME,
          { "security services operational", "policy compliance", "runtime trust" } },
        { "platform configuration", PG_PHASE_BOTH,
          { "security-focused configuration", "restricted exposure", "controlled platform state" } },
        { "network security", PG_PHASE_RUNTIME,
          { "trusted network configuration", "secure name resolution", "network policy compliance" } },
        { "application exposure", PG_PHASE_RUNTIME,
          { "controlled application surface", "restricted privileged functionality",
            "reduced attack surface" } },
        { "privacy controls", PG_PHASE_RUNTIME,
          { "protected sensors", "privacy feature availability", "security visibility" } },
        { "device management", PG_PHASE_RUNTIME,
          { "managed-device compliance", "lifecycle visibility", "security reporting" } },
        { "update integrity", PG_PHASE_BOTH,
          { "OTA eligibility", "update authenticity", "update integrity" } },
        { "security monitoring", PG_PHASE_RUNTIME,
          { "trust evaluation", "security findings", "device integrity visibility" } },
};

static const struct pg_gate_info *pg_gate_info(unsigned gate)
{
        if (gate < 1 || gate > PG_GATE_COUNT)
                return NULL;
        return &pg_gates[gate - 1];
}

const char *pg_gate_name(unsigned gate)
{
        const struct pg_gate_info *g = pg_gate_info(gate);

        return g ? g->name : NULL;
}

const char *pg_objective_name(unsigned gate, unsigned objective)
{
        const struct pg_gate_info *g = pg_gate_info(gate);

        if (!g || objective >= PG_OBJECTIVES_PER_GATE)
                return NULL;
        return g->objectives[objective];
}

enum pg_gate_phase pg_gate_phase(unsigned gate)
{
        const struct pg_gate_info *g = pg_gate_info(gate);

        return g ? g->phase : PG_PHASE_RUNTIME;
}

const char *pg_outcome_name(unsigned outcome)
{
        switch (outcome) {
        case PG_OUTCOME_PASS:
                return "pass";
        case PG_OUTCOME_DEGRADED:
                return "degraded";
        case PG_OUTCOME_UNKNOWN:
                return "unknown";
        case PG_OUTCOME_FAIL:
                return "fail";
        case PG_OUTCOME_NOT_APPLICABLE:
                return "not-applicable";
        }
        return NULL;
}

enum pg_outcome pg_outcome_combine(unsigned a, unsigned b)
{
        if (a > PG_OUTCOME_NOT_APPLICABLE || b > PG_OUTCOME_NOT_APPLICABLE)
                return PG_OUTCOME_UNKNOWN;
        if (a == PG_OUTCOME_NOT_APPLICABLE)
                return (enum pg_outcome)b;
        if (b == PG_OUTCOME_NOT_APPLICABLE)
                return (enum pg_outcome)a;
        return (enum pg_outcome)(a > b ? a : b);
}
