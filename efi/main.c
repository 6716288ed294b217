/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate.efi entry point. It collects the evidence, reads, raises and
 * locks the anti-rollback floor, evaluates the pre-OS gates, records the
 * results (handoff variable and measured events) and prints the summary.
 * Then it starts the verified next stage, the verified recovery stage, or
 * nothing (power off after PG_HALT_SECONDS).
 *
 * docs/efi.md describes the flow and docs/threat-model.md what this stage
 * trusts.
 *
 * Load options (words separated by spaces, printable ASCII only):
 *   loglevel=error|warn|info|debug   console log level (default info)
 *   manifest=\PATH                   manifest path on the ESP
 */
#include <efi.h>
#include <efilib.h>

#include "efi/chainload.h"
#include "efi/console.h"
#include "efi/evidence.h"
#include "efi/record.h"
#include "efi/report.h"
#include "efi/tsc.h"
#include "efi/tpm_report.h"

#define PG_HALT_SECONDS 3

/*
 * gnu-efi's crt0 calls efi_main with the System V calling convention, so
 * unlike the firmware's function pointers it must not be EFIAPI.
 */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

/* ---- time -------------------------------------------------------------- */

/* TSC ticks per microsecond, measured against a 10 ms Stall. */
static UINT64 pg_tsc_per_us(void)
{
        UINT64 start = pg_rdtsc();

        BS->Stall(10000);
        return (pg_rdtsc() - start) / 10000 ?: 1;
}

/* ---- load options ------------------------------------------------------- */

struct pg_options {
        CHAR16 manifest[PG_ESP_PATH_MAX];
        bool has_manifest;
};

static bool pg_word_is(const CHAR16 *w, UINTN len, const CHAR16 *key, const CHAR16 **value)
{
        UINTN k = StrLen((CHAR16 *)key);

        if (len < k || StrnCmp(w, key, k) != 0)
                return false;
        *value = w + k;
        return true;
}

static void pg_apply_word(const CHAR16 *w, UINTN len, struct pg_options *opt)
{
        static const struct { const CHAR16 *name; enum pg_log_level level; } levels[] = {
                { L"error", PG_LOG_ERROR }, { L"warn", PG_LOG_WARN },
                { L"info", PG_LOG_INFO }, { L"debug", PG_LOG_DEBUG },
        };
        const CHAR16 *v;

        if (pg_word_is(w, len, L"loglevel=", &v)) {
                for (UINTN i = 0; i < PG_ARRAY_SIZE(levels); i++)
                        if ((UINTN)(w + len - v) == StrLen((CHAR16 *)levels[i].name) &&
                            StrnCmp(v, levels[i].name, w + len - v) == 0)
                                pg_log_set_level(levels[i].level);
        } else if (pg_word_is(w, len, L"manifest=", &v) && (UINTN)(w + len - v) < PG_ESP_PATH_MAX &&
                   w + len > v) {
                CopyMem(opt->manifest, (void *)v, (w + len - v) * sizeof(CHAR16));
                opt->manifest[w + len - v] = 0;
                opt->has_manifest = true;
        }
}

/* Firmware boot entries often pass binary data here: anything not printable is ignored. */
static void pg_parse_options(EFI_HANDLE image, struct pg_options *opt)
{
        EFI_LOADED_IMAGE *li = NULL;
        const CHAR16 *s;
        UINTN n, start = 0;

        memset(opt, 0, sizeof(*opt));
        if (EFI_ERROR(BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li)) || !li ||
            !li->LoadOptions || li->LoadOptionsSize < sizeof(CHAR16))
                return;
        s = li->LoadOptions;
        n = li->LoadOptionsSize / sizeof(CHAR16);
        for (UINTN i = 0; i < n && s[i]; i++)
                if (s[i] < ' ' || s[i] > '~')
                        return;
        for (UINTN i = 0; i <= n; i++) {
                if (i < n && s[i] && s[i] != ' ')
                        continue;
                if (i > start)
                        pg_apply_word(s + start, i - start, opt);
                start = i + 1;
                if (i < n && !s[i])
                        break;
        }
}

/* ---- actions ------------------------------------------------------------- */

static void pg_power_off(void)
{
        pg_report(L"halt: no stage started; powering off in %d s", PG_HALT_SECONDS);
        BS->Stall((UINTN)PG_HALT_SECONDS * 1000000);
        RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
        /* ResetSystem does not return. Firmware that breaks that rule gets an error line. */
        pg_log_error(L"ResetSystem(EfiResetShutdown) returned; returning to the firmware");
}

/*
 * Decides, reading and verifying the recovery stage only when the next
 * stage may not start.
 */
static void pg_decide(struct pg_efi_evidence *e, struct pg_handoff *h, struct pg_stage_image *recovery,
                      struct pg_preos_decision *d)
{
        pg_err err;

        pg_preos_decide(&e->ev, false, h, d);
        if (d->action != PG_HANDOFF_ACTION_HALT || e->ev.manifest_err != PG_OK ||
            !e->manifest.boot.recovery.present)
                return;
        err = pg_stage_load(e, &e->manifest.boot.recovery, true, recovery);
        if (err != PG_OK) {
                pg_log_error(L"recovery stage %a not verified: %a", e->manifest.boot.recovery.path,
                             pg_err_name(err));
                return;
        }
        pg_preos_decide(&e->ev, true, h, d);
}

static EFI_STATUS pg_start(EFI_HANDLE image, struct pg_efi_evidence *e, const struct pg_stage_image *s,
                           const struct pg_manifest_stage *stage, UINT64 entry, UINT64 tsc_per_us)
{
        struct pg_chainload c = {
                .parent = image,
                .device = e->esp.device,
                .path = s->path,
                .image = s->image,
                .image_size = s->image_size,
                .cmdline = stage->cmdline,
                .initrd = s->initrd,
                .initrd_size = s->initrd_size,
                .entry_tsc = entry,
                .tsc_per_us = tsc_per_us,
        };

        return pg_chainload_start(&c);
}

/* Evaluates, records and acts; returns only when no stage started or a stage returned. */
static void pg_run(EFI_HANDLE image, struct pg_efi_evidence *e, struct pg_handoff *h,
                   const struct pg_options *opt, UINT64 entry, UINT64 tsc_per_us)
{
        struct pg_stage_image recovery = { 0 };
        struct pg_preos_decision d;

        pg_evidence_collect(image, opt->has_manifest ? opt->manifest : NULL, e);
        pg_report_tpm(e->tcg2_status, &e->caps);
        pg_report_secureboot(&e->secureboot);
        pg_evidence_rollback(e);

        pg_preos_evaluate(&e->ev, h);
        pg_decide(e, h, &recovery, &d);
        h->eval_time_us = (pg_rdtsc() - entry) / tsc_per_us;
        pg_record(e, h);

        pg_report_gates(h);
        pg_report_reasons(h);
        pg_report(L"action=%a eval-time-us=%lu", pg_handoff_action_name(h->action), h->eval_time_us);

        if (d.action == PG_HANDOFF_ACTION_BOOT_NEXT || d.action == PG_HANDOFF_ACTION_AUDIT_CONTINUE)
                pg_start(image, e, &e->next, d.stage, entry, tsc_per_us);
        else if (d.action == PG_HANDOFF_ACTION_BOOT_RECOVERY)
                pg_start(image, e, &recovery, d.stage, entry, tsc_per_us);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
        struct pg_efi_evidence *e;
        struct pg_handoff *h;
        struct pg_options opt;
        UINT64 entry, tsc_per_us;

        entry = pg_rdtsc();
        InitializeLib(image, system_table);
        tsc_per_us = pg_tsc_per_us();
        pg_parse_options(image, &opt);

        /* The version line has its own fixed form: "prodgate VERSION". */
        Print(L"prodgate %a\n", PG_VERSION);
        /* From the pool, not static: gnu-efi's linker script puts .bss into .data, in the file. */
        e = AllocateZeroPool(sizeof(*e));
        h = AllocateZeroPool(sizeof(*h));
        if (e && h)
                pg_run(image, e, h, &opt, entry, tsc_per_us);
        else
                pg_log_error(L"Out of memory for the evaluation");
        pg_power_off();
        return EFI_DEVICE_ERROR;
}
