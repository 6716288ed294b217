/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The attestation verifier behind `prodgate verify`, as a library call a
 * server links: a TPM quote (tpm2_quote's message and signature), the
 * attestation key, the expected nonce, the firmware event log, the
 * userspace measurement log and the trusted manifest keys go in; every
 * verification step with its reason, the gates rebuilt from the logs and
 * the derived decisions come out. docs/attestation.md describes it.
 *
 * Inputs are borrowed and only read. pg_verify_run() does not print, keeps
 * no state between calls and is safe to call from several threads with
 * separate results. It fails closed: any failed step leaves every gate
 * unknown (PG_ERR_VERIFY_NOT_VERIFIED) and the decisions unmet.
 */
#ifndef PG_TOOLS_VERIFY_H
#define PG_TOOLS_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gates/decide.h"
#include "gates/handoff.h"
#include "gates/keyring.h"

#define PG_VERIFY_DEFAULT_PCR 13

/* Return values of pg_verify_run(), which are also the exit statuses of
 * prodgate verify. */
enum pg_verify_status {
        PG_VERIFY_READY = 0,            /* verified, production-ready */
        PG_VERIFY_NOT_READY = 1,        /* verified, not production-ready */
        PG_VERIFY_ERROR = 3,            /* could not evaluate (bad input struct, no memory) */
        PG_VERIFY_FAILED = 4,           /* a verification step failed */
};

/* The verification steps, in the order they are reported. */
enum pg_verify_step_id {
        PG_VSTEP_AK,                    /* the attestation key parses and may sign quotes */
        PG_VSTEP_SIGNATURE,             /* the quote's signature verifies */
        PG_VSTEP_QUOTE,                 /* TPMS_ATTEST: magic, type, fields */
        PG_VSTEP_NONCE,                 /* extraData equals the nonce */
        PG_VSTEP_EVENTLOG,              /* the firmware log parses */
        PG_VSTEP_USERSPACE_LOG,         /* the userspace log parses */
        PG_VSTEP_ORDER,                 /* identity, pre-OS results, runtime results */
        PG_VSTEP_IDENTITY,              /* trusted key, SVN, optional manifest file */
        PG_VSTEP_PREOS,                 /* the handoff blob of the pre-OS event */
        PG_VSTEP_RUNTIME,               /* the runtime-results records */
        PG_VSTEP_PCR_DIGEST,            /* the quoted PCR digest equals the replay */
        PG_VSTEP_COUNT
};

enum pg_verify_step_result {
        PG_VSTEP_PASSED = 0,
        PG_VSTEP_FAILED = 1,
        PG_VSTEP_SKIPPED = 2,           /* an earlier step it depends on failed */
};

struct pg_verify_step {
        uint32_t result;                /* enum pg_verify_step_result */
        pg_err reason;                  /* PG_OK when passed */
        char detail[192];
};

struct pg_verify_input {
        const uint8_t *quote_msg;       /* TPMS_ATTEST, as tpm2_quote -m writes it */
        size_t quote_msg_len;
        const uint8_t *quote_sig;       /* TPMT_SIGNATURE, as tpm2_quote -s writes it */
        size_t quote_sig_len;
        const uint8_t *ak;              /* PEM public key, or TPM2B_PUBLIC */
        size_t ak_len;
        const uint8_t *quote_pcrs;      /* optional: the quoted PCR values, as tpm2_quote -o
                                         * writes them with -F values; NULL: none */
        size_t quote_pcrs_len;
        const uint8_t *nonce;           /* the expected extraData */
        size_t nonce_len;
        const uint8_t *eventlog;        /* TCG firmware event log */
        size_t eventlog_len;
        const uint8_t *cel;             /* CEL-JSON userspace log; NULL: no records */
        size_t cel_len;
        const struct pg_keyring *trusted;       /* trusted manifest keys, at least one */
        const uint8_t *manifest;        /* optional signed manifest; NULL: none */
        size_t manifest_len;
        uint32_t min_svn;               /* lowest acceptable manifest SVN */
        uint32_t gates_pcr;             /* PG_VERIFY_DEFAULT_PCR unless the device's policy
                                         * names another; a given manifest's
                                         * /policy/gates-pcr must equal it */
};

struct pg_verify_result {
        uint32_t status;                /* enum pg_verify_status */
        bool verified;                  /* every step passed */
        pg_err reason;                  /* the first failed step's reason, PG_OK if none */
        struct pg_verify_step steps[PG_VSTEP_COUNT];

        /* The quote. */
        uint16_t sig_alg;               /* TPM_ALG_RSASSA, _RSAPSS or _ECDSA */
        uint64_t clock;
        uint32_t reset_count;
        uint32_t restart_count;
        uint64_t firmware_version;
        uint32_t quoted_pcrs;           /* bit n: PCR n of the sha256 bank */
        uint32_t gates_pcr;
        bool has_replay;
        uint8_t gates_pcr_value[32];    /* the replayed gates PCR */

        /* The identity event. */
        bool has_identity;
        uint8_t manifest_digest[32];
        uint8_t key_id[32];
        uint32_t key_role;              /* enum pg_key_role of the trusted key */
        uint32_t svn;
        bool manifest_checked;          /* --manifest was given and matched */

        /* The pre-OS and runtime results. */
        bool has_handoff;
        struct pg_handoff handoff;
        uint32_t runtime_records;       /* runtime records in the gates PCR */
        bool has_runtime;               /* the last one was used */
        bool policy_from_manifest;      /* else the default policy (docs/attestation.md) */

        struct pg_decide_input in;
        struct pg_decide_output out;
};

int pg_verify_run(const struct pg_verify_input *in, struct pg_verify_result *out);

const char *pg_verify_step_name(unsigned step);         /* "signature" ... */
const char *pg_verify_step_result_name(uint32_t result); /* "pass", "fail", "skipped" */

#endif
