/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Constants and wire layouts of the TCG PC Client firmware event log: event
 * types, TPM algorithm ids, and the fixed parts of the records the parser
 * reads. All multi-byte fields are little-endian. The structures below contain
 * only byte arrays, so they have no padding and alignment 1; the parser
 * reads fields at offsetof() positions with pg_load_le*() and never casts
 * log bytes to these types.
 */
#ifndef PG_MEASURED_TCG_H
#define PG_MEASURED_TCG_H

#include "pg/platform.h"

/* Event types (PC Client Platform Firmware Profile, "Event Types"). */
#define PG_EV_PREBOOT_CERT                      0x00000000u
#define PG_EV_POST_CODE                         0x00000001u
#define PG_EV_UNUSED                            0x00000002u
#define PG_EV_NO_ACTION                         0x00000003u
#define PG_EV_SEPARATOR                         0x00000004u
#define PG_EV_ACTION                            0x00000005u
#define PG_EV_EVENT_TAG                         0x00000006u
#define PG_EV_S_CRTM_CONTENTS                   0x00000007u
#define PG_EV_S_CRTM_VERSION                    0x00000008u
#define PG_EV_CPU_MICROCODE                     0x00000009u
#define PG_EV_PLATFORM_CONFIG_FLAGS             0x0000000au
#define PG_EV_TABLE_OF_DEVICES                  0x0000000bu
#define PG_EV_COMPACT_HASH                      0x0000000cu
#define PG_EV_IPL                               0x0000000du
#define PG_EV_IPL_PARTITION_DATA                0x0000000eu
#define PG_EV_NONHOST_CODE                      0x0000000fu
#define PG_EV_NONHOST_CONFIG                    0x00000010u
#define PG_EV_NONHOST_INFO                      0x00000011u
#define PG_EV_OMIT_BOOT_DEVICE_EVENTS           0x00000012u
#define PG_EV_POST_CODE2                        0x00000013u

#define PG_EV_EFI_EVENT_BASE                    0x80000000u
#define PG_EV_EFI_VARIABLE_DRIVER_CONFIG        0x80000001u
#define PG_EV_EFI_VARIABLE_BOOT                 0x80000002u
#define PG_EV_EFI_BOOT_SERVICES_APPLICATION     0x80000003u
#define PG_EV_EFI_BOOT_SERVICES_DRIVER          0x80000004u
#define PG_EV_EFI_RUNTIME_SERVICES_DRIVER       0x80000005u
#define PG_EV_EFI_GPT_EVENT                     0x80000006u
#define PG_EV_EFI_ACTION                        0x80000007u
#define PG_EV_EFI_PLATFORM_FIRMWARE_BLOB        0x80000008u
#define PG_EV_EFI_HANDOFF_TABLES                0x80000009u
#define PG_EV_EFI_PLATFORM_FIRMWARE_BLOB2       0x8000000au
#define PG_EV_EFI_HANDOFF_TABLES2               0x8000000bu
#define PG_EV_EFI_VARIABLE_BOOT2                0x8000000cu
#define PG_EV_EFI_GPT_EVENT2                    0x8000000du
#define PG_EV_EFI_HCRTM_EVENT                   0x80000010u
#define PG_EV_EFI_VARIABLE_AUTHORITY            0x800000e0u
#define PG_EV_EFI_SPDM_FIRMWARE_BLOB            0x800000e1u
#define PG_EV_EFI_SPDM_FIRMWARE_CONFIG          0x800000e2u
#define PG_EV_EFI_SPDM_DEVICE_POLICY            0x800000e3u
#define PG_EV_EFI_SPDM_DEVICE_AUTHORITY         0x800000e4u

/* TPM_ALG_ID values of the hash algorithms PCR banks use. */
#define PG_TPM_ALG_SHA1         0x0004u
#define PG_TPM_ALG_SHA256       0x000bu
#define PG_TPM_ALG_SHA384       0x000cu
#define PG_TPM_ALG_SHA512       0x000du
#define PG_TPM_ALG_SM3_256      0x0012u

#define PG_TCG_SHA1_SIZE        20

/* Number of PCRs of a PC Client TPM; replay covers indices 0-23. */
#define PG_TCG_PCR_COUNT        24

/* Index of the Spec ID event in a confidential-computing event log: RTMR[0],
 * the measurement register that firmware maps PCR 0 to. */
#define PG_TCG_CC_SPECID_MR_INDEX 1

/* PCR index Windows uses for EV_NO_ACTION events that extend nothing. */
#define PG_TCG_PCR_NONE         0xffffffffu

/* Signatures at the start of EV_NO_ACTION event data, NUL included. */
#define PG_TCG_SPECID_SIG_LEN   16
#define PG_TCG_SPECID03_SIG     "Spec ID Event03"  /* crypto-agile log (TPM 2.0) */
#define PG_TCG_SPECID02_SIG     "Spec ID Event02"  /* EFI platform, TPM 1.2, SHA-1 log */
#define PG_TCG_SPECID00_SIG     "Spec ID Event00"  /* conventional BIOS, SHA-1 log */
#define PG_TCG_SPECID_PREFIX    "Spec ID Event"
#define PG_TCG_STARTUP_LOCALITY_SIG "StartupLocality"
#define PG_TCG_HCRTM_DATA       "HCRTM"

/* Spec ID Event03 field values the parser accepts. */
#define PG_TCG_SPECID_VERSION_MAJOR     2
#define PG_TCG_UINTN_SIZE_32            1
#define PG_TCG_UINTN_SIZE_64            2

/* TCG_PCClientPCREvent: every record of a SHA-1 log and the first record of
 * a crypto-agile log. Event data of event_size bytes follows. */
struct pg_tcg_pcr_event {
        uint8_t pcr_index[4];
        uint8_t event_type[4];
        uint8_t digest[PG_TCG_SHA1_SIZE];
        uint8_t event_size[4];
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_pcr_event) == 32, "TCG_PCClientPCREvent is 32 bytes");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_pcr_event, event_type) == 4, "eventType at 4");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_pcr_event, digest) == 8, "digest at 8");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_pcr_event, event_size) == 28, "eventDataSize at 28");

/* TCG_PCR_EVENT2 up to the digest list. digest_count TPMT_HA entries
 * follow, then a 4-byte event size and the event data. */
struct pg_tcg_pcr_event2_head {
        uint8_t pcr_index[4];
        uint8_t event_type[4];
        uint8_t digest_count[4];
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_pcr_event2_head) == 12, "TCG_PCR_EVENT2 head is 12 bytes");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_pcr_event2_head, digest_count) == 8, "count at 8");

/* TPMT_HA: algorithm id, then a digest whose size the Spec ID declares. */
struct pg_tcg_tpmt_ha_head {
        uint8_t hash_alg[2];
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_tpmt_ha_head) == 2, "TPMT_HA head is 2 bytes");

#define PG_TCG_EVENT_SIZE_FIELD 4

/* TCG_EfiSpecIDEvent up to the algorithm list. number_of_algorithms
 * algorithm entries follow, then vendorInfoSize (1 byte) and vendorInfo. */
struct pg_tcg_specid_head {
        uint8_t signature[PG_TCG_SPECID_SIG_LEN];
        uint8_t platform_class[4];
        uint8_t spec_version_minor;
        uint8_t spec_version_major;
        uint8_t spec_errata;
        uint8_t uintn_size;
        uint8_t number_of_algorithms[4];
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_specid_head) == 28, "Spec ID head is 28 bytes");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_specid_head, platform_class) == 16, "class at 16");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_specid_head, spec_version_minor) == 20, "minor at 20");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_specid_head, spec_version_major) == 21, "major at 21");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_specid_head, spec_errata) == 22, "errata at 22");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_specid_head, uintn_size) == 23, "uintnSize at 23");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_specid_head, number_of_algorithms) == 24, "count at 24");

/* TCG_EfiSpecIdEventAlgorithmSize */
struct pg_tcg_specid_alg {
        uint8_t algorithm_id[2];
        uint8_t digest_size[2];
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_specid_alg) == 4, "algorithm entry is 4 bytes");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_specid_alg, digest_size) == 2, "digestSize at 2");

#define PG_TCG_VENDOR_INFO_SIZE_FIELD 1

/* EV_NO_ACTION data announcing the locality of TPM2_Startup. */
struct pg_tcg_startup_locality {
        uint8_t signature[PG_TCG_SPECID_SIG_LEN];
        uint8_t locality;
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_startup_locality) == 17, "StartupLocality is 17 bytes");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_startup_locality, locality) == 16, "locality at 16");

/* UEFI_VARIABLE_DATA up to the name: the UTF-16 name (name_length code
 * units) and the variable value (data_length bytes) follow. */
struct pg_tcg_uefi_variable_head {
        uint8_t variable_name[16];     /* the vendor GUID */
        uint8_t unicode_name_length[8];
        uint8_t variable_data_length[8];
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_uefi_variable_head) == 32, "UEFI_VARIABLE_DATA head is 32");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_uefi_variable_head, unicode_name_length) == 16,
                 "UnicodeNameLength at 16");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_uefi_variable_head, variable_data_length) == 24,
                 "VariableDataLength at 24");

/* UEFI_IMAGE_LOAD_EVENT up to the device path. */
struct pg_tcg_image_load_head {
        uint8_t image_location[8];
        uint8_t image_length[8];
        uint8_t link_time_address[8];
        uint8_t device_path_length[8];
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_image_load_head) == 32, "UEFI_IMAGE_LOAD_EVENT head is 32");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_image_load_head, image_length) == 8, "length at 8");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_image_load_head, device_path_length) == 24,
                 "LengthOfDevicePath at 24");

/* UEFI_PLATFORM_FIRMWARE_BLOB */
struct pg_tcg_firmware_blob {
        uint8_t blob_base[8];
        uint8_t blob_length[8];
};
PG_STATIC_ASSERT(sizeof(struct pg_tcg_firmware_blob) == 16, "firmware blob is 16 bytes");
PG_STATIC_ASSERT(offsetof(struct pg_tcg_firmware_blob, blob_length) == 8, "length at 8");

#endif
