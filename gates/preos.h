/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pre-OS gate evaluation: gates 1 (build integrity) and 2 (boot
 * integrity) and the pre-OS objectives of gates 4 and 9, computed from an
 * evidence struct that the EFI stage fills from firmware, the TPM and the
 * ESP. No firmware is touched here, so the host unit tests drive every
 * evidence fault directly.
 *
 * Each evidence item carries its own pg_err: PG_OK when it was collected
 * and is valid, otherwise why not. Missing evidence gives unknown, evidence
 * that contradicts the policy gives fail; no path gives pass without the
 * evidence for it.
 *
 * Objectives evaluated here (gate.objective):
 *   1.0 production build: the manifest's and the evaluator's build type
 *   1.1 trusted release state: trusted signature, allowed channel, SVN >= floor
 *   1.2 authorized release provenance: release-role key, complete provenance
 *   2.0 verified software state: Secure Boot on, not setup or audit mode,
 *       the manifest's expectations, next-stage digest
 *   2.1 trusted boot chain: strict event log parse, SHA-256 replay of PCRs
 *       0-7 equal to the TPM, pinned PCR values and event digests, this
 *       image measured in PCR 4
 *   2.2 device integrity: TPM 2.0 present, SHA-256 bank active, no TPM error
 *       (a failed read of the anti-rollback index counts unless the TPM's
 *       response code is about the index itself, e.g. TPM_RC_HANDLE)
 *   4.0 security-focused configuration: the Secure Boot configuration
 *   4.2 controlled platform state: the kernel command line is the manifest's
 *   9.1 update authenticity: trusted manifest and verified next stage
 *   9.2 update integrity: SVN >= floor, floor raised and write-locked
 * Everything else stays pending runtime.
 */
#ifndef PG_GATES_PREOS_H
#define PG_GATES_PREOS_H

#include "pg/err.h"
#include "gates/handoff.h"
#include "gates/manifest.h"

#define PG_PREOS_PCR_COUNT 8    /* PCRs 0-7 are replayed and compared */
#define PG_PREOS_DIGEST_SIZE 32

/* State of a one-byte boolean UEFI variable. */
enum pg_preos_var_state {
        PG_PREOS_VAR_UNREAD = 0,        /* not collected: treated as unreadable */
        PG_PREOS_VAR_PRESENT = 1,       /* value is 0 or 1 */
        PG_PREOS_VAR_ABSENT = 2,        /* the variable does not exist */
        PG_PREOS_VAR_INVALID = 3,       /* wrong size or value */
        PG_PREOS_VAR_ERROR = 4,         /* GetVariable failed otherwise */
};

struct pg_preos_var {
        uint8_t state;                  /* enum pg_preos_var_state */
        uint8_t value;
};

struct pg_preos_evidence {
        uint32_t evaluator_build_type;  /* enum pg_build_type of this evaluator */
        const char *evaluator_version;

        struct pg_preos_var secure_boot;
        struct pg_preos_var setup_mode;
        struct pg_preos_var audit_mode;
        struct pg_preos_var deployed_mode;

        /*
         * PG_OK: the manifest verified, parsed and passed the key role rules;
         * manifest and verified are then valid. Otherwise MANIFEST_MISSING,
         * MANIFEST_UNREADABLE, or the manifest code that rejected it.
         */
        pg_err manifest_err;
        const struct pg_manifest *manifest;
        const struct pg_manifest_verified *verified;
        uint8_t manifest_sha256[PG_PREOS_DIGEST_SIZE];  /* of the whole signed file */

        /* PG_OK: next_sha256 is the digest of the next stage as read into memory. */
        pg_err next_err;
        uint8_t next_sha256[PG_PREOS_DIGEST_SIZE];
        /* PG_OK: initrd_sha256 is the digest of the next stage's initrd (when pinned). */
        pg_err initrd_err;
        uint8_t initrd_sha256[PG_PREOS_DIGEST_SIZE];

        /* PG_OK: EFI_TCG2_PROTOCOL reports a TPM; TPM_ABSENT or TPM_CAPABILITY otherwise. */
        pg_err tpm_err;
        bool sha256_bank_active;
        /* The first TPM command failure during collection, PG_OK when none. */
        pg_err tpm_command_err;

        /* PG_OK: pcrs[] contains the TPM's SHA-256 values of PCRs 0-7. */
        pg_err pcrs_err;
        uint8_t pcrs[PG_PREOS_PCR_COUNT][PG_PREOS_DIGEST_SIZE];

        /* PG_OK: log[0..log_len) is a copy of the TCG 2 event log. */
        pg_err log_err;
        const uint8_t *log;
        size_t log_len;
        bool log_truncated;

        /* PG_OK: self_sha256 is the Authenticode SHA-256 of this image's file. */
        pg_err self_err;
        uint8_t self_sha256[PG_PREOS_DIGEST_SIZE];

        /* Anti-rollback: the floor read before any change (PG_OK), then what was done. */
        pg_err floor_err;
        uint64_t floor;
        uint64_t floor_after;           /* equal to floor when nothing was written */
        pg_err floor_write_err;         /* PG_OK when no write was needed or it worked */
        pg_err floor_lock_err;          /* PG_OK when the index is write-locked */
};

/*
 * Gate policy: from a trusted manifest, or the compiled-in default (gates 1
 * and 2 required and enforced, gates 4 and 9 required and audited, the rest
 * runtime-only).
 */
struct pg_preos_policy {
        struct pg_manifest_gate_policy gates[PG_GATE_COUNT];    /* index gate - 1 */
        bool from_manifest;
};

/* The decision after the evaluation. */
struct pg_preos_decision {
        uint32_t action;                /* enum pg_handoff_action */
        uint32_t blocking_gates;        /* bit g: gate g is enforced and not pass */
        uint32_t audited_gates;         /* bit g: gate g is not pass, but only audited */
        const struct pg_manifest_stage *stage;  /* the stage to start; NULL for halt */
};

/*
 * Fills the policy from a trusted manifest (ev->manifest_err == PG_OK) or
 * the default policy.
 */
void pg_preos_policy(const struct pg_preos_evidence *ev, struct pg_preos_policy *out);

/*
 * The floor the anti-rollback index should hold after this boot: the
 * manifest's minimum SVN when it is trusted, its SVN is not below the
 * current floor and the minimum is higher than the floor. Returns false
 * when nothing is to be written.
 */
bool pg_preos_floor_target(const struct pg_preos_evidence *ev, uint64_t *target);

/*
 * Evaluates the evidence into *out: pg_handoff_init(), then the objectives
 * listed above, the manifest identity, the rollback floors and the PCR
 * index. Leaves action and eval_time_us to the caller (see
 * pg_preos_decide()). It has no error return because missing evidence becomes
 * an unknown outcome with its reason.
 */
void pg_preos_evaluate(const struct pg_preos_evidence *ev, struct pg_handoff *out);

/*
 * Decides what to start. A gate blocks when the policy requires and
 * enforces it and one of its pre-OS objectives is not pass. A blocking gate
 * gives the recovery stage when the trusted manifest pins one and
 * recovery_ok is true (its digests verified), and halt otherwise. Without a
 * blocking gate the next stage starts, but only when its digests verified,
 * and a gate that is not pass under audit makes the action audit-continue.
 * Fills *out and sets h->action.
 */
void pg_preos_decide(const struct pg_preos_evidence *ev, bool recovery_ok, struct pg_handoff *h,
                     struct pg_preos_decision *out);

/*
 * Returns the SHA-256 that the stage node's initrd-sha256 pins for the next
 * stage's (or the recovery stage's) initrd, or NULL when the stage names no
 * initrd: the stage then gets none (a unified kernel image carries its own).
 */
const uint8_t *pg_preos_initrd_pin(const struct pg_manifest *m, bool recovery);

/* The outcome of a gate's objectives evaluated before the OS, pending ones left out. */
enum pg_outcome pg_preos_gate_outcome(const struct pg_handoff_gate *gate);

#endif
