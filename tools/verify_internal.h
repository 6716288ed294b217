/* SPDX-License-Identifier: BSD-2-Clause */
/* State shared by the verifier's quote checks (verify.c) and log checks
 * (verify_logs.c) during one pg_verify_run(). */
#ifndef PG_TOOLS_VERIFY_INTERNAL_H
#define PG_TOOLS_VERIFY_INTERNAL_H

#include "measured/replay.h"
#include "tools/verify.h"
#include "tpm/tpm2_attest.h"

/* Number of extending gates-PCR events kept for the order check. A log with
 * more fails that check anyway. */
#define PG_VERIFY_FW_EVENTS_MAX 8

struct pg_verify_fw_event {
        uint32_t index;                 /* event number in the log */
        uint32_t type;
        const uint8_t *data;
        uint32_t data_size;
        const uint8_t *sha256;          /* recorded SHA-256 digest, or NULL */
};

struct pg_verify_ctx {
        const struct pg_verify_input *in;
        struct pg_verify_result *out;

        struct pg_tpm2_quote quote;
        bool quote_ok;

        bool log_ok;                    /* firmware log parsed and replayed */
        bool cel_ok;                    /* userspace log parsed and replayed on top */
        uint8_t pcrs[PG_TPM2_PCR_MAX + 1][32];  /* SHA-256 bank after both logs */
        uint32_t incomplete;            /* bit n: PCR n lacks a SHA-256 digest somewhere */
        uint32_t fw_count;              /* extending gates-PCR events seen */
        struct pg_verify_fw_event fw[PG_VERIFY_FW_EVENTS_MAX];
        pg_err cel_order_err;           /* a non-prodgate record in the gates PCR */
        char cel_order_detail[96];
        pg_err runtime_err;             /* first bad runtime record */
        char runtime_detail[96];
        struct pg_result runtime[PG_GATE_COUNT][PG_OBJECTIVES_PER_GATE];
        uint8_t runtime_manifest[32];
};

/* Sets a step's outcome; detail may be NULL. */
void pg_verify_step_set(struct pg_verify_ctx *c, unsigned step, uint32_t result, pg_err reason,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The log steps, in verify_logs.c. */
void pg_verify_eventlog(struct pg_verify_ctx *c);
void pg_verify_userspace_log(struct pg_verify_ctx *c);
void pg_verify_order(struct pg_verify_ctx *c);
void pg_verify_identity(struct pg_verify_ctx *c);
void pg_verify_preos(struct pg_verify_ctx *c);
void pg_verify_runtime(struct pg_verify_ctx *c);

/* Parses a runtime-results record (docs/measurements.md) strictly: the
 * exact member order and spelling that prodgate measure writes. */
pg_err pg_verify_parse_runtime(const uint8_t *content, size_t len, uint8_t manifest[32],
                               struct pg_result results[PG_GATE_COUNT][PG_OBJECTIVES_PER_GATE]);

#endif
