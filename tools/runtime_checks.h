/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runtime check engine of `prodgate status`: runs each check of the
 * manifest's /runtime-checks node against the evaluation root and returns
 * its outcome. docs/runtime-checks.md lists the check kinds and their
 * parameters.
 *
 * A check function reports what it found through pg_check_violated(),
 * pg_check_unknown() and pg_check_pass(). The outcome is pass only when the
 * function called pg_check_pass() and neither of the others. A violation
 * gives the check's severity and missing evidence gives unknown. A function
 * that reports nothing gives unknown too (PG_ERR_CHECK_NOT_EVALUATED).
 */
#ifndef PG_TOOLS_RUNTIME_CHECKS_H
#define PG_TOOLS_RUNTIME_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "gates/decide.h"
#include "gates/manifest.h"
#include "tools/rootfs.h"

#define PG_CHECK_DETAIL_MAX 256
/* Largest configuration or pseudo-file a check reads whole. The fuzz build
 * sets a smaller one, which its inputs can reach. */
#ifndef PG_CHECK_READ_MAX
#define PG_CHECK_READ_MAX (1u << 20)
#endif

/* A check's parameters, split at the first '=' of each entry. */
struct pg_check_params {
        size_t count;
        const char *names[PG_MANIFEST_MAX_PARAMETERS];
        size_t name_lens[PG_MANIFEST_MAX_PARAMETERS];
        const char *values[PG_MANIFEST_MAX_PARAMETERS];
};

struct pg_check_state {
        bool passed;
        bool violated;
        bool incomplete;
        pg_err violation;               /* the first violation's reason */
        pg_err missing;                 /* the first reason evidence was missing */
        char violation_detail[PG_CHECK_DETAIL_MAX];
        char missing_detail[PG_CHECK_DETAIL_MAX];
};

struct pg_check_ctx {
        const struct pg_rootfs *root;
        const struct pg_manifest *manifest;
        const struct pg_check_params *params;
        struct pg_check_state *state;
};

/* Parameter rules of a check kind. */
#define PG_PARAM_REQUIRED 0x1u
#define PG_PARAM_LIST 0x2u              /* may repeat; each value is comma-separated */

struct pg_param_spec {
        const char *name;
        unsigned flags;
};

struct pg_check_kind {
        const char *name;
        void (*run)(const struct pg_check_ctx *ctx);
        const struct pg_param_spec *params;     /* terminated by a NULL name */
};

/* One evaluated check. Strings point into the manifest payload. */
struct pg_check_result {
        const struct pg_manifest_check *check;
        struct pg_result result;
        char detail[PG_CHECK_DETAIL_MAX];       /* "" for a pass */
};

/* Evaluates one check of the manifest. */
void pg_check_run(const struct pg_rootfs *root, const struct pg_manifest *m,
                  const struct pg_manifest_check *check, struct pg_check_result *out);

/* Returns the kind table entry of a name, or NULL for a kind this build lacks. */
const struct pg_check_kind *pg_check_kind_find(const char *name);

/* ---- for the check functions ------------------------------------------- */

void pg_check_pass(const struct pg_check_ctx *ctx);
void pg_check_violated(const struct pg_check_ctx *ctx, pg_err reason, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void pg_check_unknown(const struct pg_check_ctx *ctx, pg_err reason, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Reports unknown for a failed file access: EVIDENCE_MISSING for ENOENT and
 * ENOTDIR, EVIDENCE_UNREADABLE otherwise, with the path and errno text. */
void pg_check_unknown_errno(const struct pg_check_ctx *ctx, const char *path, int err);

/* Returns a parameter's value (the last one given), or NULL. */
const char *pg_param(const struct pg_check_ctx *ctx, const char *name);

/*
 * Calls fn for each comma-separated item of every value of a parameter,
 * empty items skipped; stops and returns false when fn does.
 */
bool pg_param_each(const struct pg_check_ctx *ctx, const char *name,
                   bool (*fn)(void *arg, const char *item, size_t len), void *arg);

/* True when item[0..len) is in a parameter's comma-separated values. */
bool pg_param_has(const struct pg_check_ctx *ctx, const char *name, const char *item,
                  size_t len);

/* Parses a parameter as an unsigned number in the given base. Reports
 * BAD_PARAMETER and returns false when it is present and invalid. */
bool pg_param_number(const struct pg_check_ctx *ctx, const char *name, int base,
                     unsigned long *out, bool *present);

/*
 * Reads a file under the root. On failure reports unknown (see
 * pg_check_unknown_errno()) and returns NULL; the caller frees the buffer.
 */
char *pg_check_read(const struct pg_check_ctx *ctx, const char *path, size_t *len);

/* Check kinds, one file per concept. */
extern const struct pg_check_kind pg_checks_kernel[];
extern const struct pg_check_kind pg_checks_fs[];
extern const struct pg_check_kind pg_checks_mount[];
extern const struct pg_check_kind pg_checks_setid[];
extern const struct pg_check_kind pg_checks_net[];
extern const struct pg_check_kind pg_checks_dns[];
extern const struct pg_check_kind pg_checks_device[];
extern const struct pg_check_kind pg_checks_services[];
extern const struct pg_check_kind pg_checks_release[];

#endif
