/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The handoff blob: the pre-OS evaluation results as a flattened device tree
 * (FDT). The EFI stage writes it with pg_handoff_write() into a volatile UEFI
 * variable and measures the same bytes as an EV_EVENT_TAG event. The tool and
 * the attestation verifier read it back with pg_handoff_read(), which treats
 * it as hostile input. docs/handoff.md describes the format byte by byte.
 *
 * Results of a gate the pre-OS stage does not evaluate (gates 3, 5, 6, 7, 8,
 * 10 and the runtime objectives of gates 4 and 9) are "pending runtime":
 * outcome unknown with reason PG_ERR_HANDOFF_PENDING_RUNTIME. So a pending
 * result reads as unknown everywhere, which never counts as pass.
 */
#ifndef PG_GATES_HANDOFF_H
#define PG_GATES_HANDOFF_H

#include "pg/err.h"
#include "gates/model.h"

#define PG_HANDOFF_FORMAT_VERSION 1u
#define PG_HANDOFF_COMPATIBLE "prodgate,handoff"

/* Largest blob the reader accepts and the writer produces. */
#define PG_HANDOFF_MAX_SIZE 16384

/* String caps in bytes, without the terminating NUL. */
#define PG_HANDOFF_VERSION_MAX 63
#define PG_HANDOFF_DETAIL_MAX 95

#define PG_HANDOFF_DIGEST_SIZE 32

/* Highest PCR index of a PC client TPM. */
#define PG_HANDOFF_MAX_PCR 23

/* Build type of the evaluator, with the values of the manifest's build-type. */
enum pg_handoff_build_type {
        PG_HANDOFF_BUILD_PRODUCTION = 1,
        PG_HANDOFF_BUILD_DEVELOPMENT = 2,
        PG_HANDOFF_BUILD_ENGINEERING = 3,
};

/* Enforcement action the EFI stage took after the evaluation. */
enum pg_handoff_action {
        PG_HANDOFF_ACTION_BOOT_NEXT = 1,        /* started the pinned next stage */
        PG_HANDOFF_ACTION_BOOT_RECOVERY = 2,    /* started the pinned recovery stage */
        PG_HANDOFF_ACTION_HALT = 3,             /* started nothing */
        PG_HANDOFF_ACTION_AUDIT_CONTINUE = 4,   /* next stage, although a gate failed (audit) */
};

/* Outcome and reason of one gate or objective. */
struct pg_handoff_result {
        uint32_t outcome;                       /* enum pg_outcome */
        pg_err reason;                          /* see pg_handoff_check() */
        char detail[PG_HANDOFF_DETAIL_MAX + 1]; /* "" or printable ASCII */
};

struct pg_handoff_gate {
        struct pg_handoff_result result;        /* the combination of the objectives */
        struct pg_handoff_result objectives[PG_OBJECTIVES_PER_GATE];
};

struct pg_handoff {
        char evaluator_version[PG_HANDOFF_VERSION_MAX + 1];
        uint32_t build_type;                    /* enum pg_handoff_build_type */

        bool has_manifest;                      /* a manifest verified */
        struct {
                uint8_t digest[PG_HANDOFF_DIGEST_SIZE]; /* SHA-256 of the signed payload */
                uint8_t key_id[PG_HANDOFF_DIGEST_SIZE]; /* key that verified it */
                char version[PG_HANDOFF_VERSION_MAX + 1];
                uint32_t svn;
        } manifest;

        bool has_rollback;                      /* the anti-rollback floor was read */
        struct {
                uint64_t floor_before;
                uint64_t floor_after;           /* >= floor_before */
        } rollback;

        uint32_t pcr;                           /* PCR the results are measured into */
        uint32_t action;                        /* enum pg_handoff_action */
        uint64_t eval_time_us;                  /* time the evaluation took */

        struct pg_handoff_gate gates[PG_GATE_COUNT];    /* gates[i] is gate i + 1 */
};

/*
 * Clears *h and sets every gate and objective to pending runtime. The EFI
 * stage then fills in what it evaluates.
 */
void pg_handoff_init(struct pg_handoff *h);

/* True for a result left pending for the runtime stage. */
bool pg_handoff_is_pending(const struct pg_handoff_result *r);

/*
 * Checks the rules both sides enforce: enums in range, strings terminated
 * inside their arrays and printable, each gate's outcome the combination of
 * its objectives (pg_outcome_combine), floor_after >= floor_before, and
 * reasons that fit the outcome: PG_OK for pass, a code other than PG_OK for
 * every other outcome, and PG_ERR_HANDOFF_PENDING_RUNTIME only with unknown.
 * Reason codes this build does not define are allowed: newer evaluators add
 * codes.
 */
pg_err pg_handoff_check(const struct pg_handoff *h);

/*
 * Writes the blob for *h into buf, which must be 8-byte aligned. Output is
 * deterministic: the same *h gives the same bytes. Sets *len only on
 * success. A failure while building zeroes buf, so no partial blob is left.
 * A buffer of PG_HANDOFF_MAX_SIZE bytes always suffices.
 */
pg_err pg_handoff_write(const struct pg_handoff *h, void *buf, size_t buf_size, size_t *len);

/*
 * Validates blob[0..len) completely (FDT structure, schema, values) and
 * decodes it. The blob may be at any address. Writes *out only on success.
 */
pg_err pg_handoff_read(const void *blob, size_t len, struct pg_handoff *out);

/* The structural caps and error table the reader gives the strict FDT walker. */
struct pg_fdt_rules;
extern const struct pg_fdt_rules pg_handoff_fdt_rules;

/* Returns "boot-next", "boot-recovery", "halt", "audit-continue", or NULL. */
const char *pg_handoff_action_name(uint32_t action);

/* Returns "production", "development", "engineering", or NULL. */
const char *pg_handoff_build_type_name(uint32_t type);

#endif
