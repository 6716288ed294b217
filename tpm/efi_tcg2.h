/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * EFI_TCG2_PROTOCOL, as the TCG EFI Protocol Specification (family 2.0,
 * structure version 1.1) defines it, and a capability query on top of it.
 * gnu-efi 3.0.15 ships no header for this protocol.
 *
 * The type and member names are the specification's. Layouts are pinned
 * with static asserts: EFI_TCG2_BOOT_SERVICE_CAPABILITY uses natural
 * alignment (36 bytes), while EFI_TCG2_EVENT and its header are packed.
 *
 * Code in this file never logs; callers in efi/ report the status it returns.
 */
#ifndef PG_TPM_EFI_TCG2_H
#define PG_TPM_EFI_TCG2_H

#include <efi.h>

#include "pg/platform.h"

#define EFI_TCG2_PROTOCOL_GUID \
        { 0x607f766c, 0x7455, 0x42be, { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } }

typedef struct {
        UINT8 Major;
        UINT8 Minor;
} EFI_TCG2_VERSION;

typedef UINT32 EFI_TCG2_EVENT_LOG_BITMAP;
typedef UINT32 EFI_TCG2_EVENT_LOG_FORMAT;
typedef UINT32 EFI_TCG2_EVENT_ALGORITHM_BITMAP;

#define EFI_TCG2_EVENT_LOG_FORMAT_TCG_1_2 0x00000001u
#define EFI_TCG2_EVENT_LOG_FORMAT_TCG_2   0x00000002u

#define EFI_TCG2_BOOT_HASH_ALG_SHA1    0x00000001u
#define EFI_TCG2_BOOT_HASH_ALG_SHA256  0x00000002u
#define EFI_TCG2_BOOT_HASH_ALG_SHA384  0x00000004u
#define EFI_TCG2_BOOT_HASH_ALG_SHA512  0x00000008u
#define EFI_TCG2_BOOT_HASH_ALG_SM3_256 0x00000010u

typedef struct {
        UINT8 Size;
        EFI_TCG2_VERSION StructureVersion;
        EFI_TCG2_VERSION ProtocolVersion;
        EFI_TCG2_EVENT_ALGORITHM_BITMAP HashAlgorithmBitmap;
        EFI_TCG2_EVENT_LOG_BITMAP SupportedEventLogs;
        BOOLEAN TPMPresentFlag;
        UINT16 MaxCommandSize;
        UINT16 MaxResponseSize;
        UINT32 ManufacturerID;
        /* Structure version 1.1 and later only. */
        UINT32 NumberOfPCRBanks;
        EFI_TCG2_EVENT_ALGORITHM_BITMAP ActivePcrBanks;
} EFI_TCG2_BOOT_SERVICE_CAPABILITY;

PG_STATIC_ASSERT(sizeof(EFI_TCG2_BOOT_SERVICE_CAPABILITY) == 36, "TCG2 capability size");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_BOOT_SERVICE_CAPABILITY, HashAlgorithmBitmap) == 8,
                 "TCG2 capability HashAlgorithmBitmap offset");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_BOOT_SERVICE_CAPABILITY, TPMPresentFlag) == 16,
                 "TCG2 capability TPMPresentFlag offset");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_BOOT_SERVICE_CAPABILITY, MaxCommandSize) == 18,
                 "TCG2 capability MaxCommandSize offset");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_BOOT_SERVICE_CAPABILITY, ManufacturerID) == 24,
                 "TCG2 capability ManufacturerID offset");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_BOOT_SERVICE_CAPABILITY, NumberOfPCRBanks) == 28,
                 "TCG2 capability NumberOfPCRBanks offset");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_BOOT_SERVICE_CAPABILITY, ActivePcrBanks) == 32,
                 "TCG2 capability ActivePcrBanks offset");

/* Size of the structure version 1.0 layout: everything up to ManufacturerID. */
#define PG_TCG2_CAPABILITY_SIZE_1_0 \
        (offsetof(EFI_TCG2_BOOT_SERVICE_CAPABILITY, ManufacturerID) + sizeof(UINT32))

/* HashLogExtendEvent flags. */
#define EFI_TCG2_EXTEND_ONLY  0x0000000000000001ull
#define EFI_TCG2_PE_COFF_IMAGE 0x0000000000000010ull

#define EFI_TCG2_EVENT_HEADER_VERSION 1

typedef struct __attribute__((packed)) {
        UINT32 HeaderSize;
        UINT16 HeaderVersion;
        UINT32 PCRIndex;
        UINT32 EventType;
} EFI_TCG2_EVENT_HEADER;

typedef struct __attribute__((packed)) {
        UINT32 Size;
        EFI_TCG2_EVENT_HEADER Header;
        UINT8 Event[];
} EFI_TCG2_EVENT;

PG_STATIC_ASSERT(sizeof(EFI_TCG2_EVENT_HEADER) == 14, "TCG2 event header size");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_EVENT_HEADER, PCRIndex) == 6, "TCG2 event PCRIndex offset");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_EVENT_HEADER, EventType) == 10, "TCG2 event EventType offset");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_EVENT, Header) == 4, "TCG2 event Header offset");
PG_STATIC_ASSERT(offsetof(EFI_TCG2_EVENT, Event) == 18, "TCG2 event Event offset");
PG_STATIC_ASSERT(sizeof(EFI_TCG2_EVENT) == 18, "TCG2 event fixed part size");

typedef struct _EFI_TCG2_PROTOCOL EFI_TCG2_PROTOCOL;

typedef EFI_STATUS (EFIAPI *EFI_TCG2_GET_CAPABILITY)(
        EFI_TCG2_PROTOCOL *This, EFI_TCG2_BOOT_SERVICE_CAPABILITY *ProtocolCapability);

typedef EFI_STATUS (EFIAPI *EFI_TCG2_GET_EVENT_LOG)(
        EFI_TCG2_PROTOCOL *This, EFI_TCG2_EVENT_LOG_FORMAT EventLogFormat,
        EFI_PHYSICAL_ADDRESS *EventLogLocation, EFI_PHYSICAL_ADDRESS *EventLogLastEntry,
        BOOLEAN *EventLogTruncated);

typedef EFI_STATUS (EFIAPI *EFI_TCG2_HASH_LOG_EXTEND_EVENT)(
        EFI_TCG2_PROTOCOL *This, UINT64 Flags, EFI_PHYSICAL_ADDRESS DataToHash,
        UINT64 DataToHashLen, EFI_TCG2_EVENT *EfiTcgEvent);

typedef EFI_STATUS (EFIAPI *EFI_TCG2_SUBMIT_COMMAND)(
        EFI_TCG2_PROTOCOL *This, UINT32 InputParameterBlockSize, UINT8 *InputParameterBlock,
        UINT32 OutputParameterBlockSize, UINT8 *OutputParameterBlock);

typedef EFI_STATUS (EFIAPI *EFI_TCG2_GET_ACTIVE_PCR_BANKS)(
        EFI_TCG2_PROTOCOL *This, UINT32 *ActivePcrBanks);

typedef EFI_STATUS (EFIAPI *EFI_TCG2_SET_ACTIVE_PCR_BANKS)(
        EFI_TCG2_PROTOCOL *This, UINT32 ActivePcrBanks);

typedef EFI_STATUS (EFIAPI *EFI_TCG2_GET_RESULT_OF_SET_ACTIVE_PCR_BANKS)(
        EFI_TCG2_PROTOCOL *This, UINT32 *OperationPresent, UINT32 *Response);

struct _EFI_TCG2_PROTOCOL {
        EFI_TCG2_GET_CAPABILITY GetCapability;
        EFI_TCG2_GET_EVENT_LOG GetEventLog;
        EFI_TCG2_HASH_LOG_EXTEND_EVENT HashLogExtendEvent;
        EFI_TCG2_SUBMIT_COMMAND SubmitCommand;
        EFI_TCG2_GET_ACTIVE_PCR_BANKS GetActivePcrBanks;
        EFI_TCG2_SET_ACTIVE_PCR_BANKS SetActivePcrBanks;
        EFI_TCG2_GET_RESULT_OF_SET_ACTIVE_PCR_BANKS GetResultOfSetActivePcrBanks;
};

/* TPM capability as the firmware reports it, after validation. */
struct pg_tcg2_capability {
        bool tpm_present;
        EFI_TCG2_VERSION structure_version;
        EFI_TCG2_VERSION protocol_version;
        uint32_t supported_banks;       /* EFI_TCG2_BOOT_HASH_ALG_* bits */
        uint32_t supported_log_formats; /* EFI_TCG2_EVENT_LOG_FORMAT_* bits */
        uint16_t max_command_size;      /* bytes */
        uint16_t max_response_size;     /* bytes */
        /* TPM_PT_MANUFACTURER as stored by the firmware; EDK2 keeps the TPM's byte order. */
        uint32_t manufacturer_id;
        /* Structure version 1.0 does not report banks; both fields are then 0. */
        bool active_banks_known;
        uint32_t number_of_banks;
        uint32_t active_banks;          /* EFI_TCG2_BOOT_HASH_ALG_* bits */
};

/*
 * Locates EFI_TCG2_PROTOCOL. Returns EFI_NOT_FOUND when the firmware has no
 * TPM 2.0 support or found no TPM; *out is written only on success.
 */
EFI_STATUS pg_tcg2_locate(EFI_TCG2_PROTOCOL **out);

/*
 * Calls GetCapability and validates the structure the firmware filled in.
 * Returns EFI_SUCCESS with *out filled (tpm_present may still be false),
 * EFI_COMPROMISED_DATA when the returned Size or StructureVersion is not a
 * known layout or the banks are inconsistent, or the firmware's error. *out
 * is written only on success.
 */
EFI_STATUS pg_tcg2_get_capability(EFI_TCG2_PROTOCOL *tcg2, struct pg_tcg2_capability *out);

/* Returns the name of one EFI_TCG2_BOOT_HASH_ALG_* bit ("sha256"), or NULL. */
const char *pg_tcg2_bank_name(uint32_t bit);

/* Returns the name of one EFI_TCG2_EVENT_LOG_FORMAT_* bit ("tcg2"), or NULL. */
const char *pg_tcg2_log_format_name(uint32_t bit);

#endif
