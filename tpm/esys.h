/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tool's TPM access through tpm2-tss: ESAPI over a TCTI chosen the way
 * tpm2-tools chooses it. Userspace only (tpm/esys_*.c build into the tool).
 */
#ifndef PG_TPM_ESYS_H
#define PG_TPM_ESYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pg/err.h"

#define PG_ESYS_DEFAULT_TCTI "device:/dev/tpmrm0"
#define PG_ESYS_MAX_BANKS 8

struct pg_esys_bank {
        uint16_t alg;                   /* TPM_ALG_ID */
        uint16_t size;                  /* digest size */
        uint8_t value[64];
};

/* One PCR in every active bank of the TPM. */
struct pg_esys_pcr {
        uint32_t pcr;
        size_t bank_count;
        struct pg_esys_bank banks[PG_ESYS_MAX_BANKS];
};

/*
 * The TCTI configuration: explicit (--tcti), else TPM2TOOLS_TCTI, else
 * TSS2_TCTI, else fallback (which may be NULL: no TPM). *origin names
 * where it came from.
 */
const char *pg_esys_tcti(const char *explicit_tcti, const char *fallback, const char **origin);

/*
 * Reads one PCR in every active bank. On failure returns
 * PG_ERR_XCHECK_TPM_UNAVAILABLE or PG_ERR_XCHECK_NO_SHA256_BANK with a
 * one-line description in cause.
 */
pg_err pg_esys_pcr_read(const char *tcti, uint32_t pcr, struct pg_esys_pcr *out, char *cause,
                        size_t cause_size);

/* Extends one PCR in the SHA-256 bank with a 32-byte digest. */
pg_err pg_esys_pcr_extend_sha256(const char *tcti, uint32_t pcr, const uint8_t digest[32],
                                 char *cause, size_t cause_size);

/* The value of bank alg in p, or NULL. */
const struct pg_esys_bank *pg_esys_bank(const struct pg_esys_pcr *p, uint16_t alg);

#endif
