/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "crypto/sha256.h"
#include "efi/console.h"
#include "efi/evidence.h"
#include "efi/tpm.h"
#include "gates/pe_hash.h"

/* The evaluator's own build type; only production builds exist today. */
#define PG_EVALUATOR_BUILD_TYPE PG_BUILD_PRODUCTION

#define PG_SELF_MAX_SIZE ((UINTN)16 * 1024 * 1024)

static void pg_var_to_preos(const struct pg_bool_var *in, struct pg_preos_var *out)
{
        out->value = in->value;
        switch (in->state) {
        case PG_VAR_PRESENT:
                out->state = PG_PREOS_VAR_PRESENT;
                break;
        case PG_VAR_ABSENT:
                out->state = PG_PREOS_VAR_ABSENT;
                break;
        case PG_VAR_INVALID:
                out->state = PG_PREOS_VAR_INVALID;
                break;
        default:
                out->state = PG_PREOS_VAR_ERROR;
                break;
        }
}

static void pg_collect_secureboot(struct pg_efi_evidence *e)
{
        pg_secureboot_read(&e->secureboot);
        pg_var_to_preos(&e->secureboot.secure_boot, &e->ev.secure_boot);
        pg_var_to_preos(&e->secureboot.setup_mode, &e->ev.setup_mode);
        pg_var_to_preos(&e->secureboot.audit_mode, &e->ev.audit_mode);
        pg_var_to_preos(&e->secureboot.deployed_mode, &e->ev.deployed_mode);
}

/* Records the first TPM command failure; later ones are logged only. */
static void pg_tpm_failed(struct pg_efi_evidence *e, pg_err err, const CHAR16 *what)
{
        pg_log_warn(L"TPM %s failed: %a (TPM response code 0x%x)", what, pg_err_name(err), e->tpm_rc);
        if (e->ev.tpm_command_err == PG_OK)
                e->ev.tpm_command_err = err;
}

static void pg_collect_pcrs(struct pg_efi_evidence *e)
{
        struct pg_tpm2_pcr_values values;
        pg_err err;

        err = pg_tpm2_pcr_read(&e->tpm, (1u << PG_PREOS_PCR_COUNT) - 1, &values, &e->tpm_rc);
        if (err != PG_OK) {
                pg_tpm_failed(e, err, L"PCR_Read");
                e->ev.pcrs_err = err;
                return;
        }
        for (unsigned i = 0; i < PG_PREOS_PCR_COUNT; i++)
                memcpy(e->ev.pcrs[i], values.digest[i], PG_PREOS_DIGEST_SIZE);
        e->ev.pcrs_err = PG_OK;
}

static void pg_collect_tpm(struct pg_efi_evidence *e)
{
        EFI_TCG2_PROTOCOL *tcg2 = NULL;
        size_t len = 0;
        bool truncated = false;

        e->ev.tpm_err = PG_ERR_PREOS_TPM_ABSENT;
        e->ev.pcrs_err = PG_ERR_PREOS_TPM_ABSENT;
        e->ev.log_err = PG_ERR_PREOS_TPM_ABSENT;
        e->tcg2_status = pg_tcg2_locate(&tcg2);
        if (EFI_ERROR(e->tcg2_status))
                return;
        e->tcg2_status = pg_tcg2_get_capability(tcg2, &e->caps);
        if (EFI_ERROR(e->tcg2_status)) {
                pg_log_error_status(e->tcg2_status, L"EFI_TCG2_PROTOCOL GetCapability failed");
                e->ev.tpm_err = PG_ERR_PREOS_TPM_CAPABILITY;
                return;
        }
        if (!e->caps.tpm_present)
                return;
        e->tcg2 = tcg2;
        e->ev.tpm_err = PG_OK;
        e->ev.sha256_bank_active = e->caps.active_banks_known &&
                                   (e->caps.active_banks & EFI_TCG2_BOOT_HASH_ALG_SHA256);
        pg_tpm_transport(tcg2, &e->tpm);
        pg_collect_pcrs(e);
        e->ev.log_err = pg_tpm_copy_event_log(tcg2, &e->log, &len, &truncated);
        if (e->ev.log_err == PG_OK) {
                e->ev.log = e->log;
                e->ev.log_len = len;
                e->ev.log_truncated = truncated;
        } else {
                pg_log_warn(L"no usable event log: %a", pg_err_name(e->ev.log_err));
        }
}

/* The Authenticode digest of this image's file, as firmware measured it into PCR 4. */
static void pg_collect_self(struct pg_efi_evidence *e)
{
        CHAR16 path[PG_ESP_PATH_MAX];
        void *buf = NULL;
        UINTN size = 0;
        EFI_STATUS status;

        e->ev.self_err = PG_ERR_PE_TRUNCATED;
        if (!e->esp_ok || !pg_esp_self_path(&e->esp, path))
                return;
        status = pg_esp_read(&e->esp, path, PG_SELF_MAX_SIZE, &buf, &size);
        if (EFI_ERROR(status)) {
                pg_log_warn_status(status, L"Failed to read this image back from %s", path);
                return;
        }
        e->ev.self_err = pg_pe_authenticode_sha256(buf, size, e->ev.self_sha256);
        FreePool(buf);
}

static void pg_collect_manifest(struct pg_efi_evidence *e, const CHAR16 *path)
{
        EFI_STATUS status;
        pg_err err;

        e->ev.manifest_err = PG_ERR_PREOS_MANIFEST_MISSING;
        if (path)
                StrnCpy(e->manifest_path, path, PG_ESP_PATH_MAX - 1);
        else if (!e->esp_ok || !pg_esp_path_beside_self(&e->esp, L"manifest.pgm", e->manifest_path))
                return;
        if (!e->esp_ok)
                return;
        status = pg_esp_read(&e->esp, e->manifest_path, PG_MANIFEST_MAX_SIZE, &e->manifest_buf,
                             &e->manifest_size);
        if (status == EFI_NOT_FOUND) {
                pg_log_warn(L"no manifest at %s", e->manifest_path);
                return;
        }
        if (EFI_ERROR(status)) {
                pg_log_warn_status(status, L"Failed to read the manifest %s", e->manifest_path);
                if (status == EFI_BAD_BUFFER_SIZE)
                        e->ev.manifest_err = PG_ERR_MANIFEST_TOO_LARGE;
                else if (status == EFI_END_OF_FILE)
                        e->ev.manifest_err = PG_ERR_MANIFEST_TRUNCATED;
                else
                        e->ev.manifest_err = PG_ERR_PREOS_MANIFEST_UNREADABLE;
                return;
        }
        err = pg_manifest_verify(&pg_builtin_keyring, e->manifest_buf, e->manifest_size, &e->verified);
        if (err == PG_OK)
                err = pg_manifest_parse(e->verified.payload, e->verified.payload_len, &e->manifest);
        if (err == PG_OK)
                err = pg_manifest_check_signer(&e->manifest, e->verified.role);
        e->ev.manifest_err = err;
        if (err != PG_OK) {
                pg_log_warn(L"manifest %s rejected: %a", e->manifest_path, pg_err_name(err));
                return;
        }
        e->ev.manifest = &e->manifest;
        e->ev.verified = &e->verified;
        pg_sha256(e->verified.payload, e->verified.payload_len, e->ev.manifest_sha256);
}

static pg_err pg_read_hashed(const struct pg_efi_evidence *e, const CHAR16 *path, pg_err unreadable,
                             void **buf, UINTN *size, uint8_t digest[32])
{
        EFI_STATUS status = pg_esp_read(&e->esp, path, PG_STAGE_MAX_SIZE, buf, size);

        if (EFI_ERROR(status)) {
                pg_log_warn_status(status, L"Failed to read %s", path);
                return unreadable;
        }
        pg_sha256(*buf, *size, digest);
        return PG_OK;
}

/*
 * Reads a stage and its pinned initrd. image_err and initrd_err report what
 * was read, and the caller compares the digests.
 */
static void pg_stage_read(const struct pg_efi_evidence *e, const struct pg_manifest_stage *stage,
                          bool recovery, struct pg_stage_image *out, pg_err *image_err,
                          uint8_t image_sha[32], pg_err *initrd_err, uint8_t initrd_sha[32])
{
        CHAR16 initrd_path[PG_ESP_PATH_MAX];

        memset(out, 0, sizeof(*out));
        *image_err = PG_ERR_PREOS_NEXT_STAGE_UNREADABLE;
        *initrd_err = PG_ERR_PREOS_INITRD_UNREADABLE;
        if (!e->esp_ok || !pg_esp_path_from_ascii(stage->path, NULL, out->path))
                return;
        *image_err = pg_read_hashed(e, out->path, PG_ERR_PREOS_NEXT_STAGE_UNREADABLE, &out->image,
                                    &out->image_size, image_sha);
        if (!pg_preos_initrd_pin(&e->manifest, recovery))
                return;
        if (!pg_esp_path_from_ascii(stage->initrd, NULL, initrd_path))
                return;
        *initrd_err = pg_read_hashed(e, initrd_path, PG_ERR_PREOS_INITRD_UNREADABLE, &out->initrd,
                                     &out->initrd_size, initrd_sha);
}

pg_err pg_stage_load(const struct pg_efi_evidence *e, const struct pg_manifest_stage *stage,
                     bool recovery, struct pg_stage_image *out)
{
        uint8_t image_sha[32], initrd_sha[32];
        const uint8_t *pin;
        pg_err image_err, initrd_err;

        pg_stage_read(e, stage, recovery, out, &image_err, image_sha, &initrd_err, initrd_sha);
        if (image_err != PG_OK)
                return image_err;
        if (pg_memcmp_ct(image_sha, stage->sha256, sizeof(image_sha)) != 0)
                return PG_ERR_PREOS_NEXT_STAGE_DIGEST;
        pin = pg_preos_initrd_pin(&e->manifest, recovery);
        if (!pin)
                return PG_OK;
        if (initrd_err != PG_OK)
                return initrd_err;
        if (pg_memcmp_ct(initrd_sha, pin, sizeof(initrd_sha)) != 0)
                return PG_ERR_PREOS_INITRD_DIGEST;
        return PG_OK;
}

void pg_stage_free(struct pg_stage_image *s)
{
        if (s->image)
                FreePool(s->image);
        if (s->initrd)
                FreePool(s->initrd);
        memset(s, 0, sizeof(*s));
}

static void pg_collect_next_stage(struct pg_efi_evidence *e)
{
        e->ev.next_err = PG_ERR_PREOS_NO_TRUSTED_MANIFEST;
        e->ev.initrd_err = PG_ERR_PREOS_NO_TRUSTED_MANIFEST;
        if (e->ev.manifest_err != PG_OK)
                return;
        if (!e->manifest.boot.next.present) {
                e->ev.next_err = PG_ERR_PREOS_NO_NEXT_STAGE;
                return;
        }
        pg_stage_read(e, &e->manifest.boot.next, false, &e->next, &e->ev.next_err, e->ev.next_sha256,
                      &e->ev.initrd_err, e->ev.initrd_sha256);
}

void pg_evidence_collect(EFI_HANDLE image, const CHAR16 *manifest_path, struct pg_efi_evidence *e)
{
        EFI_STATUS status;

        memset(e, 0, sizeof(*e));
        e->ev.evaluator_build_type = PG_EVALUATOR_BUILD_TYPE;
        e->ev.evaluator_version = PG_VERSION;
        e->ev.floor_err = PG_ERR_PREOS_FLOOR_UNAVAILABLE;
        status = pg_esp_open(image, &e->esp);
        e->esp_ok = !EFI_ERROR(status);
        if (!e->esp_ok)
                pg_log_error_status(status, L"Cannot open the ESP this image was loaded from");
        pg_collect_secureboot(e);
        pg_collect_tpm(e);
        pg_collect_self(e);
        pg_collect_manifest(e, manifest_path);
        pg_collect_next_stage(e);
}

/* ---- anti-rollback ----------------------------------------------------- */

static pg_err pg_floor_read(struct pg_efi_evidence *e, uint32_t index, uint64_t *floor)
{
        struct pg_tpm2_nv_public pub;
        uint8_t data[PG_TPM2_SVN_INDEX_SIZE];
        pg_err err;

        err = pg_tpm2_nv_read_public(&e->tpm, index, &pub, &e->tpm_rc);
        if (err == PG_OK)
                err = pg_tpm2_svn_index_check(&pub, index);
        /* An index never written has no floor: the read fails, and provisioning must write one. */
        if (err == PG_OK)
                err = pg_tpm2_nv_read(&e->tpm, index, 0, data, sizeof(data), &e->tpm_rc);
        if (err != PG_OK)
                return err;
        *floor = pg_load_be64(data);
        return PG_OK;
}

void pg_evidence_rollback(struct pg_efi_evidence *e)
{
        uint32_t index;
        uint64_t target;
        uint8_t data[PG_TPM2_SVN_INDEX_SIZE];
        pg_err err;

        e->ev.floor_err = e->ev.manifest_err != PG_OK ? PG_ERR_PREOS_NO_TRUSTED_MANIFEST
                                                      : PG_ERR_PREOS_TPM_ABSENT;
        if (e->ev.manifest_err != PG_OK || !e->tcg2)
                return;
        index = e->manifest.policy.nv_index;
        err = pg_floor_read(e, index, &e->ev.floor);
        if (err != PG_OK) {
                pg_log_warn(L"anti-rollback index 0x%08x unreadable: %a", index, pg_err_name(err));
                e->ev.floor_err = err;
                return;
        }
        e->ev.floor_err = PG_OK;
        e->ev.floor_after = e->ev.floor;
        if (pg_preos_floor_target(&e->ev, &target)) {
                pg_store_be64(data, target);
                err = pg_tpm2_nv_write(&e->tpm, index, 0, data, sizeof(data), &e->tpm_rc);
                e->ev.floor_write_err = err;
                if (err == PG_OK)
                        e->ev.floor_after = target;
                else
                        pg_tpm_failed(e, err, L"NV_Write of the anti-rollback floor");
        }
        err = pg_tpm2_nv_write_lock(&e->tpm, index, &e->tpm_rc);
        e->ev.floor_lock_err = err;
        if (err != PG_OK)
                pg_tpm_failed(e, err, L"NV_WriteLock of the anti-rollback index");
}
