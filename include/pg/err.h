/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Error codes of the freestanding core. Every failed check has its own code,
 * so tests assert the exact cause and the codes double as the reason codes
 * users see in gate results.
 *
 * Codes are stable: each module owns a range, new codes are appended with
 * a new value, and a value is never reused for another meaning.
 *   0x01xx SHA-256             0x02xx DER             0x03xx RSA
 *   0x10xx manifest            0x11xx handoff blob     0x12xx pre-OS gate reasons
 *   0x13xx runtime checks and decisions
 *   0x20xx firmware event log  0x21xx userspace measurement log (CEL)
 *   0x30xx TPM                 0x31xx quotes and attestation keys (TPM2 structures)
 *   0x14xx attestation verification (prodgate verify)
 */
#ifndef PG_ERR_H
#define PG_ERR_H

#include "pg/platform.h"

typedef uint32_t pg_err;

/* X(symbol, value, one-line explanation) */
#define PG_ERR_LIST_BASE(X) \
        X(PG_OK, 0x0000, "success")

#include "crypto/errors.def"
#include "gates/errors.def"
#include "gates/reasons.def"
#include "gates/runtime_reasons.def"
#include "measured/errors.def"
#include "measured/cel_errors.def"
#include "tpm/errors.def"
#include "tpm/attest_errors.def"
#include "gates/verify_reasons.def"

#define PG_ERR_LIST(X) \
        PG_ERR_LIST_BASE(X) \
        PG_ERR_LIST_CRYPTO(X) \
        PG_ERR_LIST_GATES(X) \
        PG_ERR_LIST_PREOS(X) \
        PG_ERR_LIST_RUNTIME(X) \
        PG_ERR_LIST_MEASURED(X) \
        PG_ERR_LIST_CEL(X) \
        PG_ERR_LIST_TPM(X) \
        PG_ERR_LIST_ATTEST(X) \
        PG_ERR_LIST_VERIFY(X)

enum {
#define PG_ERR_ENUM(sym, val, text) sym = val,
        PG_ERR_LIST(PG_ERR_ENUM)
#undef PG_ERR_ENUM
};

/* Returns the symbol of an error code ("PG_ERR_RSA_BAD_PADDING"), or NULL
 * for a value no module defines. */
const char *pg_err_name(pg_err err);

/* Returns the one-line explanation of an error code, or NULL. */
const char *pg_err_text(pg_err err);

#endif
