/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "efi/console.h"
#include "efi/record.h"
#include "efi/tpm.h"

#define PG_VAR_ATTRIBUTES (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

/*
 * The manifest identity event data: the SHA-256 of the verified manifest
 * payload, the signing key id, the SVN (u32 little-endian) and the manifest
 * status (the pg_err that rejected it, 0 when trusted). Without a trusted
 * manifest the digest, key id and SVN are zero.
 */
static void pg_identity_data(const struct pg_efi_evidence *e, uint8_t out[PG_IDENTITY_EVENT_SIZE])
{
        memset(out, 0, PG_IDENTITY_EVENT_SIZE);
        if (e->ev.manifest_err == PG_OK) {
                memcpy(out, e->ev.manifest_sha256, 32);
                memcpy(out + 32, e->verified.key_id, 32);
                pg_store_le32(out + 64, e->manifest.identity.security_version);
        }
        pg_store_le32(out + 68, e->ev.manifest_err);
}

static void pg_set_variables(const void *blob, UINTN len, uint32_t pcr)
{
        EFI_GUID guid = PG_VENDOR_GUID;
        UINT8 pcr_le[4];
        EFI_STATUS status;

        status = RT->SetVariable(PG_VAR_HANDOFF, &guid, PG_VAR_ATTRIBUTES, len, (void *)blob);
        if (EFI_ERROR(status))
                pg_log_error_status(status, L"Failed to set the %s variable", PG_VAR_HANDOFF);
        pg_store_le32(pcr_le, pcr);
        status = RT->SetVariable(PG_VAR_PCR, &guid, PG_VAR_ATTRIBUTES, sizeof(pcr_le), pcr_le);
        if (EFI_ERROR(status))
                pg_log_error_status(status, L"Failed to set the %s variable", PG_VAR_PCR);
}

static void pg_measure(const struct pg_efi_evidence *e, uint32_t pcr, const void *blob, UINTN len)
{
        uint8_t identity[PG_IDENTITY_EVENT_SIZE];
        EFI_STATUS status;

        if (!e->tcg2) {
                pg_log_warn(L"no TPM: the results are not measured");
                return;
        }
        pg_identity_data(e, identity);
        status = pg_tpm_measure_tag(e->tcg2, pcr, PG_TAG_MANIFEST_IDENTITY, identity, sizeof(identity));
        if (EFI_ERROR(status)) {
                pg_log_error_status(status, L"Failed to measure the manifest identity into PCR %u", pcr);
                return;
        }
        status = pg_tpm_measure_tag(e->tcg2, pcr, PG_TAG_PREOS_RESULTS, blob, len);
        if (EFI_ERROR(status))
                pg_log_error_status(status, L"Failed to measure the results into PCR %u", pcr);
}

void pg_record(const struct pg_efi_evidence *e, const struct pg_handoff *h)
{
        /* AllocatePool returns 8-byte aligned memory, as the writer requires. */
        void *blob = AllocatePool(PG_HANDOFF_MAX_SIZE);
        size_t len = 0;
        pg_err err;

        if (!blob) {
                pg_log_error(L"Out of memory for the handoff blob");
                return;
        }
        err = pg_handoff_write(h, blob, PG_HANDOFF_MAX_SIZE, &len);
        if (err != PG_OK) {
                pg_log_error(L"Failed to write the handoff blob: %a", pg_err_name(err));
                FreePool(blob);
                return;
        }
        pg_set_variables(blob, len, h->pcr);
        pg_measure(e, h->pcr, blob, len);
        pg_log_debug(L"handoff blob: %lu bytes, measured into PCR %u", (UINT64)len, h->pcr);
        FreePool(blob);
}
