/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cross-check of the handoff blob: the variable against prodgate's
 * tagged events in the firmware event log, and the firmware log plus the
 * userspace measurement log against the TPM's gates PCR. It decides which
 * copy of the pre-OS results, if any, the evaluation may use.
 */
#ifndef PG_TOOLS_XCHECK_H
#define PG_TOOLS_XCHECK_H

#include "tools/rootfs.h"
#include "tpm/esys.h"

#define PG_XCHECK_DEFAULT_EVENTLOG "/sys/kernel/security/tpm0/binary_bios_measurements"
#define PG_XCHECK_DEFAULT_HANDOFF \
        "/sys/firmware/efi/efivars/ProdgateHandoff-e5cb0626-6b30-4217-9552-d89e146a60e6"
#define PG_XCHECK_DEFAULT_CEL "/run/log/prodgate/measurements.cel-json"

#define PG_TAG_MANIFEST_IDENTITY 0x50470001u
#define PG_TAG_PREOS_RESULTS     0x50470002u
#define PG_TAG_RUNTIME_RESULTS   0x50470003u

enum pg_xcheck_verdict {
        PG_XCHECK_VERIFIED = 0,         /* variable == measured event, logs replay to the TPM */
        PG_XCHECK_MISSING = 1,          /* no variable, or no measured event */
        PG_XCHECK_TAMPERED = 2,         /* variable altered, or logs and TPM disagree */
        PG_XCHECK_UNAVAILABLE = 3,      /* no TPM or no event log to check against */
};

struct pg_xcheck_in {
        const struct pg_rootfs *root;
        const char *handoff;            /* explicit host path, or NULL: the variable under root */
        const char *eventlog;           /* explicit host path, or NULL: securityfs under root */
        const char *cel;                /* explicit host path, or NULL: the default under root */
        int cel_fd;                     /* >= 0: the log, already open and locked by the caller */
        const char *tcti;               /* NULL: no TPM configured */
        uint32_t pcr;                   /* the gates PCR */
};

struct pg_xcheck {
        uint32_t verdict;               /* enum pg_xcheck_verdict */
        pg_err reason;                  /* PG_OK only when verified */
        char detail[256];
        const char *handoff_path;
        const char *eventlog_path;
        const char *cel_path;
        bool handoff_found;             /* the variable file was read */

        /* The copy of the pre-OS results to use, NULL when none may be. */
        const uint8_t *blob;
        size_t blob_len;
        bool blob_from_log;             /* the measured event's copy */
        const uint8_t *identity;        /* the identity event's 72 bytes, or NULL */

        bool tpm_read;
        struct pg_esys_pcr tpm;         /* the gates PCR in every active bank */
        bool replayed;
        uint8_t replay[32];             /* firmware log + userspace log, SHA-256 */
        uint32_t cel_records;           /* records in the userspace log */
        uint32_t cel_pcr_records;       /* of them, in the gates PCR */
        bool cel_last_pending;          /* the last record was appended but not extended */
        uint8_t cel_last_digest[32];    /* its SHA-256 digest */

        uint8_t *var_buf;               /* owned buffers */
        uint8_t *log_buf;
};

void pg_xcheck_run(const struct pg_xcheck_in *in, struct pg_xcheck *x);
void pg_xcheck_free(struct pg_xcheck *x);

/* "verified", "missing", "tampered", "unavailable". */
const char *pg_xcheck_verdict_name(uint32_t verdict);

/* Reads the userspace log from fd (under a shared lock unless the caller
 * holds one) into a malloc'd buffer. Returns 0, or -1 with errno set. */
int pg_xcheck_read_fd(int fd, bool lock, uint8_t **buf, size_t *len);

#endif
