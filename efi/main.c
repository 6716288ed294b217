/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate.efi entry point. The current flow collects the platform evidence
 * (TPM capability, Secure Boot state), prints it as report lines and powers
 * the machine off.
 */
#include <efi.h>
#include <efilib.h>

#include "efi/console.h"
#include "efi/secureboot.h"
#include "efi/tpm_report.h"
#include "tpm/efi_tcg2.h"

/* Platform state read before any decision is made. */
struct pg_evidence {
        EFI_STATUS tpm_status;  /* EFI_NOT_FOUND without EFI_TCG2_PROTOCOL */
        struct pg_tcg2_capability tpm;  /* valid when tpm_status is EFI_SUCCESS */
        struct pg_secureboot_state secureboot;
};

/*
 * gnu-efi's crt0 calls efi_main with the System V calling convention, so
 * unlike the firmware's function pointers it must not be EFIAPI.
 */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

/* Queries the TPM capability. Errors other than a missing protocol are logged here. */
static EFI_STATUS pg_collect_tpm(struct pg_tcg2_capability *caps)
{
        EFI_TCG2_PROTOCOL *tcg2 = NULL;
        EFI_STATUS status;

        status = pg_tcg2_locate(&tcg2);
        if (status == EFI_NOT_FOUND)
                return pg_log_status(PG_LOG_DEBUG, status, L"EFI_TCG2_PROTOCOL not installed");
        if (EFI_ERROR(status))
                return pg_log_error_status(status, L"Failed to locate EFI_TCG2_PROTOCOL");
        status = pg_tcg2_get_capability(tcg2, caps);
        if (EFI_ERROR(status))
                return pg_log_error_status(status, L"EFI_TCG2_PROTOCOL GetCapability failed");
        return EFI_SUCCESS;
}

static void pg_collect_evidence(struct pg_evidence *evidence)
{
        memset(evidence, 0, sizeof(*evidence));
        evidence->tpm_status = pg_collect_tpm(&evidence->tpm);
        pg_secureboot_read(&evidence->secureboot);
}

static void pg_power_off(void)
{
        pg_log_info(L"powering off");
        RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
        /* ResetSystem does not return. Firmware that breaks that rule gets an error line. */
        pg_log_error(L"ResetSystem(EfiResetShutdown) returned; returning to the firmware");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
        struct pg_evidence evidence;

        InitializeLib(image, system_table);

        /* The version line has its own fixed form: "prodgate VERSION". */
        Print(L"prodgate %a\n", PG_VERSION);
        pg_collect_evidence(&evidence);
        pg_report_tpm(evidence.tpm_status, &evidence.tpm);
        pg_report_secureboot(&evidence.secureboot);

        pg_power_off();
        return EFI_DEVICE_ERROR;
}
