/* SPDX-License-Identifier: BSD-2-Clause */
/* The state of one `prodgate status` run, shared by its evaluation
 * (cmd_status.c) and its output (status_output.c). */
#ifndef PG_TOOLS_STATUS_H
#define PG_TOOLS_STATUS_H

#include <stdbool.h>

#include "gates/decide.h"
#include "gates/handoff.h"
#include "gates/manifest.h"
#include "tools/runtime_checks.h"
#include "tools/xcheck.h"

/* Origin of an objective's result. */
enum pg_status_source {
        PG_SOURCE_NONE = 0,             /* nothing covers it */
        PG_SOURCE_HANDOFF = 1,          /* the pre-OS result of the handoff blob */
        PG_SOURCE_PRE_OS_MISSING = 2,   /* pre-OS, but no usable handoff blob */
        PG_SOURCE_RUNTIME = 3,          /* runtime checks only */
        PG_SOURCE_BOTH = 4,             /* handoff blob and runtime checks */
        PG_SOURCE_POLICY = 5,           /* the gate is not-applicable by policy */
};

struct pg_status_objective {
        uint32_t source;                /* enum pg_status_source */
        const char *detail;             /* detail of the result's reason, or "" */
};

struct pg_status {
        const char *root_path;
        const char *manifest_path;
        const char *handoff_path;
        const struct pg_manifest *manifest;
        const struct pg_manifest_verified *verified;

        bool has_handoff;               /* a blob was found and read */
        pg_err handoff_err;             /* why its pre-OS results are not used, or PG_OK */
        struct pg_handoff handoff;

        const char *tcti;               /* the TPM used, or NULL */
        const char *tcti_origin;        /* --tcti, TPM2TOOLS_TCTI, TSS2_TCTI or default */
        struct pg_xcheck xcheck;        /* the handoff against the event logs and the TPM */
        bool has_finding;               /* the cross-check adds a gate 10 finding */
        struct pg_result finding;

        size_t check_count;
        struct pg_manifest_check checks[PG_MANIFEST_MAX_CHECKS];
        struct pg_check_result results[PG_MANIFEST_MAX_CHECKS];

        struct pg_decide_input in;
        struct pg_decide_output out;
        struct pg_status_objective objectives[PG_GATE_COUNT][PG_OBJECTIVES_PER_GATE];
};

/* Returns a hint for a reason of the evaluation itself (no handoff, not
 * covered...), or NULL when the reason has none. */
const char *pg_status_hint(pg_err reason);

const char *pg_status_source_name(uint32_t source);

/* Prints the table; colour selects ANSI colours for outcomes. */
void pg_status_print_text(const struct pg_status *st, bool colour);

/* Prints the whole result as one JSON document (docs/status-json.md). */
void pg_status_print_json(const struct pg_status *st);

/* The gate 10 objective that cross-check findings go to (security findings). */
#define PG_STATUS_FINDING_GATE 10
#define PG_STATUS_FINDING_OBJECTIVE 1

/* prodgate status and prodgate measure share their evaluation. */
int pg_status_main(int argc, char **argv, bool measure);

/* prodgate measure (tools/cmd_measure.c): opens and locks the log before the
 * evaluation, appends and extends after it. Both return an exit status. */
int pg_measure_begin(const char *log_path, int *fd);
int pg_measure_commit(const struct pg_status *st, int fd, const char *log_path);

#endif
