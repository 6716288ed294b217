/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console summary of the evaluation: one line per gate, one per
 * objective that is not pass or pending with its reason, and the action.
 * Lines (stable, parsed by tests and operators):
 *   prodgate: gate N NAME: OUTCOME
 *   prodgate: objective N.M NAME: OUTCOME REASON_NAME (0xCODE) [DETAIL]
 *   prodgate: action=ACTION [stage=PATH]
 * Pending gates print "pending runtime" as their outcome.
 */
#ifndef PG_EFI_REPORT_H
#define PG_EFI_REPORT_H

#include <efi.h>

#include "gates/handoff.h"
#include "gates/preos.h"

void pg_report_gates(const struct pg_handoff *h);

/* Prints each failure reason's explanation at the info level. */
void pg_report_reasons(const struct pg_handoff *h);

#endif
