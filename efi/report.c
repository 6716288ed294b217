/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "efi/console.h"
#include "efi/report.h"

static const char *pg_reason_name(pg_err reason)
{
        const char *name = pg_err_name(reason);

        return name ? name : "unknown-reason";
}

static bool pg_gate_all_pending(const struct pg_handoff_gate *gate)
{
        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                if (!pg_handoff_is_pending(&gate->objectives[o]))
                        return false;
        return true;
}

static void pg_report_objective(unsigned g, unsigned o, const struct pg_handoff_result *r)
{
        if (r->outcome == PG_OUTCOME_PASS || pg_handoff_is_pending(r))
                return;
        pg_report(L"objective %u.%u %a: %a %a (0x%04x)%a%a", g, o, pg_objective_name(g, o),
                  pg_outcome_name(r->outcome), pg_reason_name(r->reason), r->reason,
                  r->detail[0] ? " " : "", r->detail);
}

void pg_report_gates(const struct pg_handoff *h)
{
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                const struct pg_handoff_gate *gate = &h->gates[g - 1];

                if (pg_gate_all_pending(gate)) {
                        pg_report(L"gate %u %a: pending runtime", g, pg_gate_name(g));
                        continue;
                }
                pg_report(L"gate %u %a: %a%a", g, pg_gate_name(g),
                          pg_outcome_name(pg_preos_gate_outcome(gate)),
                          pg_preos_gate_outcome(gate) != gate->result.outcome ? " (runtime part pending)"
                                                                              : "");
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        pg_report_objective(g, o, &gate->objectives[o]);
        }
}

void pg_report_reasons(const struct pg_handoff *h)
{
        uint32_t shown[PG_GATE_COUNT * PG_OBJECTIVES_PER_GATE] = { 0 };
        unsigned count = 0;

        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                        const struct pg_handoff_result *r = &h->gates[g].objectives[o];
                        bool seen = false;

                        if (r->outcome == PG_OUTCOME_PASS || pg_handoff_is_pending(r))
                                continue;
                        for (unsigned i = 0; i < count; i++)
                                seen |= shown[i] == r->reason;
                        if (seen)
                                continue;
                        shown[count++] = r->reason;
                        pg_log_info(L"0x%04x: %a", r->reason,
                                    pg_err_text(r->reason) ? pg_err_text(r->reason) : "no explanation");
                }
        }
}
