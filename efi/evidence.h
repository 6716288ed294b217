/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Evidence collection: everything gates/preos.c judges, read from the
 * firmware, the TPM and the ESP into a struct pg_preos_evidence, plus the
 * buffers it points into. Nothing here decides an outcome; each item only
 * records what was read or why it could not be.
 */
#ifndef PG_EFI_EVIDENCE_H
#define PG_EFI_EVIDENCE_H

#include <efi.h>

#include "efi/esp.h"
#include "efi/secureboot.h"
#include "gates/preos.h"
#include "tpm/efi_tcg2.h"
#include "tpm/tpm2_cmd.h"

/* Largest next stage or initrd read into memory. */
#define PG_STAGE_MAX_SIZE ((UINTN)256 * 1024 * 1024)

/* A stage read into memory once, with its initrd when the manifest pins one. */
struct pg_stage_image {
        CHAR16 path[PG_ESP_PATH_MAX];
        void *image;
        UINTN image_size;
        void *initrd;
        UINTN initrd_size;
};

struct pg_efi_evidence {
        struct pg_preos_evidence ev;

        struct pg_esp esp;
        bool esp_ok;
        CHAR16 manifest_path[PG_ESP_PATH_MAX];

        EFI_STATUS tcg2_status;         /* EFI_NOT_FOUND without EFI_TCG2_PROTOCOL */
        EFI_TCG2_PROTOCOL *tcg2;        /* NULL when there is no usable TPM */
        struct pg_tcg2_capability caps;
        struct pg_tpm2_transport tpm;
        struct pg_secureboot_state secureboot;

        void *manifest_buf;
        UINTN manifest_size;
        struct pg_manifest manifest;
        struct pg_manifest_verified verified;

        uint8_t *log;
        struct pg_stage_image next;
        uint32_t tpm_rc;                /* raw code of the last TPM error response */
};

/*
 * Collects every item. manifest_path overrides the default manifest path
 * (manifest.pgm beside this image) when not NULL.
 */
void pg_evidence_collect(EFI_HANDLE image, const CHAR16 *manifest_path, struct pg_efi_evidence *e);

/*
 * Reads the anti-rollback floor from the manifest's NV index, raises it to
 * the target pg_preos_floor_target() returns, if any, and write-locks the
 * index until the next TPM reset. Fills the floor_* fields of the evidence.
 */
void pg_evidence_rollback(struct pg_efi_evidence *e);

/*
 * Reads a stage (next or recovery) and its pinned initrd and checks both
 * digests against the manifest. Returns PG_OK only when every pinned digest
 * matches; *out is filled either way and released with pg_stage_free().
 */
pg_err pg_stage_load(const struct pg_efi_evidence *e, const struct pg_manifest_stage *stage,
                     bool recovery, struct pg_stage_image *out);

void pg_stage_free(struct pg_stage_image *s);

#endif
