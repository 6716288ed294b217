/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Secure Boot state from the UEFI global variables SecureBoot, SetupMode,
 * AuditMode and DeployedMode. Each is one byte, 0 or 1; AuditMode and
 * DeployedMode exist only on firmware of UEFI 2.5 and later. The attributes are kept as read,
 * for callers that judge them.
 */
#ifndef PG_EFI_SECUREBOOT_H
#define PG_EFI_SECUREBOOT_H

#include <efi.h>

#include "pg/platform.h"

enum pg_var_state {
        PG_VAR_PRESENT, /* value is valid */
        PG_VAR_ABSENT,  /* GetVariable returned EFI_NOT_FOUND */
        PG_VAR_INVALID, /* the data is not one byte of 0 or 1 */
        PG_VAR_ERROR,   /* GetVariable failed otherwise; see status */
};

/* A one-byte boolean UEFI variable as read. */
struct pg_bool_var {
        enum pg_var_state state;
        EFI_STATUS status;   /* GetVariable's result */
        UINT32 attributes;   /* EFI_VARIABLE_* bits, when the variable exists */
        UINTN size;          /* data size in bytes, when the variable exists */
        UINT8 value;         /* 0 or 1, valid in PG_VAR_PRESENT only */
};

struct pg_secureboot_state {
        struct pg_bool_var secure_boot;
        struct pg_bool_var setup_mode;
        struct pg_bool_var audit_mode;
        struct pg_bool_var deployed_mode;
};

/* Reads the four variables. There is no error return: each variable carries its state. */
void pg_secureboot_read(struct pg_secureboot_state *out);

/* Returns the report text of a variable: "0", "1", "absent", "invalid" or "error". */
const CHAR16 *pg_bool_var_text(const struct pg_bool_var *var);

/*
 * Prints "prodgate: secureboot=V setupmode=V" and "prodgate: auditmode=V
 * deployedmode=V", logging a warning first for each variable that is
 * invalid or could not be read.
 */
void pg_report_secureboot(const struct pg_secureboot_state *state);

#endif
