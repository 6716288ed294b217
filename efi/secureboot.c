/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "efi/console.h"
#include "efi/secureboot.h"

static void pg_bool_var_read(const CHAR16 *name, struct pg_bool_var *out)
{
        EFI_GUID global = EFI_GLOBAL_VARIABLE;
        UINT8 data[8];
        UINTN size = sizeof(data);
        UINT32 attributes = 0;
        struct pg_bool_var var = { 0 };

        /* A buffer larger than one byte lets an oversized variable show as invalid. */
        var.status = RT->GetVariable((CHAR16 *)name, &global, &attributes, &size, data);
        if (var.status == EFI_NOT_FOUND) {
                var.state = PG_VAR_ABSENT;
        } else if (var.status == EFI_BUFFER_TOO_SMALL) {
                var.state = PG_VAR_INVALID;
                var.size = size;
        } else if (EFI_ERROR(var.status)) {
                var.state = PG_VAR_ERROR;
        } else {
                var.attributes = attributes;
                var.size = size;
                if (size == 1 && data[0] <= 1) {
                        var.state = PG_VAR_PRESENT;
                        var.value = data[0];
                } else {
                        var.state = PG_VAR_INVALID;
                }
        }
        *out = var;
}

void pg_secureboot_read(struct pg_secureboot_state *out)
{
        pg_bool_var_read(L"SecureBoot", &out->secure_boot);
        pg_bool_var_read(L"SetupMode", &out->setup_mode);
        pg_bool_var_read(L"AuditMode", &out->audit_mode);
        pg_bool_var_read(L"DeployedMode", &out->deployed_mode);
}

const CHAR16 *pg_bool_var_text(const struct pg_bool_var *var)
{
        switch (var->state) {
        case PG_VAR_PRESENT:
                return var->value ? L"1" : L"0";
        case PG_VAR_ABSENT:
                return L"absent";
        case PG_VAR_INVALID:
                return L"invalid";
        default:
                return L"error";
        }
}

static void pg_log_bool_var(const CHAR16 *name, const struct pg_bool_var *var)
{
        switch (var->state) {
        case PG_VAR_PRESENT:
                pg_log_debug(L"%s=%d attributes=0x%x", name, var->value, var->attributes);
                break;
        case PG_VAR_ABSENT:
                pg_log_debug(L"%s is not set", name);
                break;
        case PG_VAR_INVALID:
                pg_log_warn(L"%s is invalid: %lu bytes, expected one byte of 0 or 1", name,
                            (UINT64)var->size);
                break;
        case PG_VAR_ERROR:
                pg_log_warn_status(var->status, L"Failed to read %s", name);
                break;
        }
}

void pg_report_secureboot(const struct pg_secureboot_state *state)
{
        pg_log_bool_var(L"SecureBoot", &state->secure_boot);
        pg_log_bool_var(L"SetupMode", &state->setup_mode);
        pg_log_bool_var(L"AuditMode", &state->audit_mode);
        pg_log_bool_var(L"DeployedMode", &state->deployed_mode);
        pg_report(L"secureboot=%s setupmode=%s", pg_bool_var_text(&state->secure_boot),
                  pg_bool_var_text(&state->setup_mode));
        pg_report(L"auditmode=%s deployedmode=%s", pg_bool_var_text(&state->audit_mode),
                  pg_bool_var_text(&state->deployed_mode));
}
