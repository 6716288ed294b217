/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "tpm/efi_tcg2.h"

EFI_STATUS pg_tcg2_locate(EFI_TCG2_PROTOCOL **out)
{
        EFI_GUID guid = EFI_TCG2_PROTOCOL_GUID;
        void *interface = NULL;
        EFI_STATUS status;

        status = BS->LocateProtocol(&guid, NULL, &interface);
        if (EFI_ERROR(status))
                return status;
        if (!interface)
                return EFI_NOT_FOUND;
        *out = interface;
        return EFI_SUCCESS;
}

/*
 * Checks Size against StructureVersion. Firmware that implements structure
 * version 1.1 returns the 1.0 layout to callers that pass a smaller Size, so
 * both layouts are accepted. A Size beyond the buffer means the firmware
 * wrote past it, and is rejected.
 */
static EFI_STATUS pg_tcg2_check_layout(const EFI_TCG2_BOOT_SERVICE_CAPABILITY *caps,
                                       bool *has_banks)
{
        if (caps->Size > sizeof(*caps) || caps->StructureVersion.Major != 1)
                return EFI_COMPROMISED_DATA;
        if (caps->StructureVersion.Minor == 0) {
                if (caps->Size < PG_TCG2_CAPABILITY_SIZE_1_0)
                        return EFI_COMPROMISED_DATA;
                *has_banks = false;
                return EFI_SUCCESS;
        }
        if (caps->Size != sizeof(*caps))
                return EFI_COMPROMISED_DATA;
        *has_banks = true;
        return EFI_SUCCESS;
}

EFI_STATUS pg_tcg2_get_capability(EFI_TCG2_PROTOCOL *tcg2, struct pg_tcg2_capability *out)
{
        EFI_TCG2_BOOT_SERVICE_CAPABILITY caps;
        struct pg_tcg2_capability result;
        bool has_banks = false;
        EFI_STATUS status;

        memset(&caps, 0, sizeof(caps));
        caps.Size = (UINT8)sizeof(caps);
        status = tcg2->GetCapability(tcg2, &caps);
        if (EFI_ERROR(status))
                return status;
        status = pg_tcg2_check_layout(&caps, &has_banks);
        if (EFI_ERROR(status))
                return status;

        memset(&result, 0, sizeof(result));
        result.structure_version = caps.StructureVersion;
        result.protocol_version = caps.ProtocolVersion;
        result.tpm_present = caps.TPMPresentFlag != 0;
        if (result.tpm_present) {
                /* Firmware can only log into banks that it supports. */
                if (has_banks && (caps.ActivePcrBanks & ~caps.HashAlgorithmBitmap) != 0)
                        return EFI_COMPROMISED_DATA;
                result.supported_banks = caps.HashAlgorithmBitmap;
                result.supported_log_formats = caps.SupportedEventLogs;
                result.max_command_size = caps.MaxCommandSize;
                result.max_response_size = caps.MaxResponseSize;
                result.manufacturer_id = caps.ManufacturerID;
                result.active_banks_known = has_banks;
                if (has_banks) {
                        result.number_of_banks = caps.NumberOfPCRBanks;
                        result.active_banks = caps.ActivePcrBanks;
                }
        }
        *out = result;
        return EFI_SUCCESS;
}

const char *pg_tcg2_bank_name(uint32_t bit)
{
        switch (bit) {
        case EFI_TCG2_BOOT_HASH_ALG_SHA1:
                return "sha1";
        case EFI_TCG2_BOOT_HASH_ALG_SHA256:
                return "sha256";
        case EFI_TCG2_BOOT_HASH_ALG_SHA384:
                return "sha384";
        case EFI_TCG2_BOOT_HASH_ALG_SHA512:
                return "sha512";
        case EFI_TCG2_BOOT_HASH_ALG_SM3_256:
                return "sm3";
        default:
                return NULL;
        }
}

const char *pg_tcg2_log_format_name(uint32_t bit)
{
        switch (bit) {
        case EFI_TCG2_EVENT_LOG_FORMAT_TCG_1_2:
                return "tcg1.2";
        case EFI_TCG2_EVENT_LOG_FORMAT_TCG_2:
                return "tcg2";
        default:
                return NULL;
        }
}
