/* SPDX-License-Identifier: BSD-2-Clause */
/* Report lines for the TPM capability that EFI_TCG2_PROTOCOL returns. */
#ifndef PG_EFI_TPM_REPORT_H
#define PG_EFI_TPM_REPORT_H

#include <efi.h>

#include "tpm/efi_tcg2.h"

/*
 * Prints the "prodgate: tpm ..." lines. status is the result of locating the
 * protocol and querying it: EFI_NOT_FOUND prints present=0, another error
 * present=unknown (the caller has logged it), and success the capability.
 */
void pg_report_tpm(EFI_STATUS status, const struct pg_tcg2_capability *caps);

#endif
