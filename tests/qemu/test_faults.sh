#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Faults at boot, each with a fixed outcome and no hang (docs/robustness.md):
#
#   - the TPM goes away: swtpm is killed when a marker line appears on the
#     serial console (before the firmware loads prodgate.efi, right before
#     it starts, during the evidence collection, after the decision), or
#     stops responding (SIGSTOP) right before prodgate.efi starts;
#   - read errors on the ESP: QEMU's blkdebug driver fails every read of the
#     sectors holding the manifest, or the next stage, with EIO;
#   - a full variable store: build/test/fillvars.efi fills the volatile
#     variable store, then starts prodgate.efi, whose handoff variable
#     cannot be written.
#
# The setup is that of test_scenarios.sh: Secure Boot OVMF, swtpm with the
# anti-rollback index provisioned (floor 3), build/test/prodgate.efi and a
# manifest signed with the release test key.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest.sh"
. "$(dirname "$0")/scenario.sh"

FILLVARS_APP=${FILLVARS_APP:-$PG_ROOT/build/test/fillvars.efi}

# The stop points are timed for TCG: the mid-evaluation kill lands 0.15 s
# into a window of about half a second, which KVM would shrink to a few
# milliseconds.
PG_QEMU_ACCEL=tcg
pg_qemu_init
if [ ! -r "$FILLVARS_APP" ]; then
        pg_log "$FILLVARS_APP not found; run 'make test-build'"
        echo "0 passed, 1 failed"
        exit 1
fi
if ! command -v python3 >/dev/null; then
        pg_log "python3 not found; run 'make deps' as root"
        echo "0 passed, 1 failed"
        exit 1
fi
pg_scn_init || exit 1
W=$PG_WORK
# The same bounds as test_scenarios.sh: a Linux boot takes 12-20 s, a halt
# 8-12 s. Every fault below ends in a power-off well inside them, except the
# two boots that assert a wait of the firmware or of QEMU on purpose.
LINUX_TIMEOUT=90
HALT_TIMEOUT=60
# After swtpm is killed, the machine must power off within this many
# seconds: the evaluation, the 3 s halt timeout, and a stage that fails to
# load take about 5 s under TCG.
TPM_GONE_LIMIT=20

pg_tpm_provision "$W/tpm3" 3 || exit 1

# expect_objective_line G.O OUTCOME REASON [DETAIL] TEXT: the console line of a
# pre-OS objective that is not pass.
expect_objective_line() {
        local obj=${1/./\\.} re
        re="^prodgate: objective $obj [a-z -]+: $2 $3 \\(0x[0-9a-f]{4}\\)"
        [ -n "$4" ] && re+=" $4"
        expect_marker "$re\$" "$5"
}

# expect_status FIELD FILTER VALUE TEXT: a status report the guest printed, through jq.
expect_status() {
        local got
        got=$(pg_guest_field "$1" | jq -r "$2" 2>/dev/null)
        if [ "$got" = "$3" ]; then pg_pass "$4"; else pg_fail "$4: got '$got', expected '$3'"; fi
}

# prodgate halted: nothing started, and the machine powered off.
expect_halted() {
        expect_marker '^prodgate: action=halt ' "action halt"
        expect_marker '^prodgate: halt: no stage started; powering off in 3 s$' "halt message"
        expect_no_marker '^prodgate: starting ' "no stage started"
        expect_no_marker '^pg-guest:' "no guest ran"
        expect_poweroff
}

# The machine powered off within TPM_GONE_LIMIT seconds of the kill.
expect_off_after_tpm_gone() {
        local after
        if [ -z "$PG_BOOT_TPM_STOPPED" ]; then
                pg_fail "swtpm was not killed: the marker line never appeared"
                return
        fi
        after=$(awk -v a="$PG_BOOT_SECONDS" -v b="$PG_BOOT_TPM_STOPPED" 'BEGIN { printf "%.1f", a - b }')
        if awk -v a="$after" -v l="$TPM_GONE_LIMIT" 'BEGIN { exit !(a <= l) }'; then
                pg_pass "powered off $after s after swtpm was killed (limit $TPM_GONE_LIMIT s)"
        else
                pg_fail "powered off $after s after swtpm was killed, more than $TPM_GONE_LIMIT s"
        fi
}

# note_line REGEX: prints the first matching console line, for the record.
note_line() {
        echo "info $PG_BOOT_NAME: $(grep -Em1 -- "$1" "$PG_BOOT_LOG" || echo "no line matches /$1/")"
}

# Whether prodgate's PCR_Read reached the TPM before it went away (the
# stop point depends on timing; see docs/robustness.md). Informational.
note_pcr_read() {
        if grep -q '^prodgate: warning: TPM PCR_Read failed' "$PG_BOOT_LOG"; then
                echo "info $PG_BOOT_NAME: PCR_Read already failed (the TPM was gone before prodgate's first command)"
        else
                echo "info $PG_BOOT_NAME: PCR_Read succeeded; the anti-rollback read was the first to fail"
        fi
}

pg_scn_sign good release || exit 1
pg_scn_esp "$W/good.img" "$W/good.pgm" || exit 1

# ---- the TPM goes away or hangs ---------------------------------------------

# Before the firmware loads prodgate.efi: OVMF cannot measure the image into
# PCR 4, does not load it (and every other boot option), and waits at its
# "Press any key" prompt. Nothing of prodgate runs, so the boot ends by the
# 40 s timeout on purpose (the prompt appears 7-15 s after QEMU starts).
pg_boot --name tpm-gone-before-load --secboot --timeout 40 --tpm-state "$W/tpm3/state" \
        --tpm-stop-on '^BdsDxe: loading Boot[0-9A-F]{4} ' "$W/good.img" || exit 1
expect_marker '^BdsDxe: failed to load Boot[0-9A-F]{4} .*: Unsupported$' \
        "firmware refuses to load the boot option (Unsupported)"
expect_marker '^BdsDxe: No bootable option or device was found\.$' "firmware finds nothing to boot"
expect_no_marker '^prodgate' "prodgate.efi did not run"
expect_timeout

# Right before prodgate.efi starts. Its PCR_Read usually fails as well, but
# it succeeds when prodgate reaches it before the kill; the checks below
# hold either way.
pg_boot --name tpm-gone-at-start --secboot --timeout $HALT_TIMEOUT --tpm-state "$W/tpm3/state" \
        --tpm-stop-on '^BdsDxe: starting Boot[0-9A-F]{4} ' "$W/good.img" || exit 1
note_pcr_read
note_line '^prodgate: action='
expect_marker '^prodgate: warning: anti-rollback index 0x01000100 unreadable: PG_ERR_TPM_TRANSPORT$' \
        "anti-rollback index unreadable (transport)"
expect_objective_line 1.1 unknown PG_ERR_TPM_TRANSPORT "floor unreadable" "trusted release state unknown"
expect_objective_line 2.2 fail PG_ERR_PREOS_TPM_ERROR PG_ERR_TPM_TRANSPORT "device integrity fails"
expect_objective_line 9.2 unknown PG_ERR_TPM_TRANSPORT "floor unreadable" "update integrity unknown"
expect_marker '^prodgate: gate 2 boot integrity: fail$' "gate 2 fails"
expect_marker '^prodgate: error: Failed to measure the manifest identity into PCR 13: ' \
        "results not measured"
expect_halted
expect_off_after_tpm_gone

# A TPM that stops responding instead of going away: swtpm gets SIGSTOP.
# QEMU's emulator backend waits for swtpm without a timeout (its threads
# block in reads on swtpm's sockets), so the guest stops in prodgate's
# first TPM command and makes no progress. This boot ends by the 40 s
# timeout on purpose, to record that behaviour of QEMU.
pg_boot --name tpm-hangs-at-start --secboot --timeout 40 --tpm-state "$W/tpm3/state" \
        --tpm-stop-on '^BdsDxe: starting Boot[0-9A-F]{4} ' --tpm-stop-signal STOP "$W/good.img" || exit 1
note_line '^prodgate'
expect_marker '^prodgate [0-9]' "prodgate.efi started"
expect_no_marker '^prodgate: action=' "the evaluation never finished"
expect_timeout

# During the evidence collection, after the PCRs and the event log were
# read: 0.15 s after the version line, while the next stage is hashed, so
# only the anti-rollback read finds the TPM gone. A 48 MiB initrd of random
# bytes keeps the hashing going for well over 0.15 s under TCG (the boot
# halts, so the kernel never reads it). Gate 1 is audited here, so gate 2
# alone must block the boot: device integrity fails.
head -c $((48 * 1024 * 1024)) /dev/urandom >"$W/big-initrd.img"
pg_scn_sign audit1 release ENFORCE_1=audit \
        INITRD_SHA="$(sha256sum "$W/big-initrd.img" | cut -d' ' -f1)" || exit 1
pg_esp_build "$W/audit1.img" "$PG_WORK/BOOTX64.EFI" "EFI/Linux/vmlinuz.efi=$PG_WORK/vmlinuz.efi" \
        "EFI/Linux/vmlinuz.efi.initrd=$W/big-initrd.img" "EFI/BOOT/manifest.pgm=$W/audit1.pgm" || exit 1
pg_boot --name tpm-gone-mid-evaluation --secboot --timeout $HALT_TIMEOUT \
        --tpm-state "$W/tpm3/state" --tpm-stop-on '^prodgate [0-9]' --tpm-stop-delay 0.15 \
        "$W/audit1.img" || exit 1
note_pcr_read
note_line '^prodgate: action='
expect_no_marker '^prodgate: warning: TPM PCR_Read failed' "the PCRs were read before the TPM went away"
expect_no_marker '^prodgate: objective 2\.1 ' "trusted boot chain passes (PCRs and log agree)"
expect_objective_line 1.1 unknown PG_ERR_TPM_TRANSPORT "floor unreadable" "trusted release state unknown"
expect_objective_line 2.2 fail PG_ERR_PREOS_TPM_ERROR PG_ERR_TPM_TRANSPORT \
        "device integrity fails on the failed anti-rollback read"
expect_marker '^prodgate: gate 2 boot integrity: fail$' "gate 2 fails and blocks"
expect_halted
expect_off_after_tpm_gone

# After the decision: the evaluation and the measurements found a working
# TPM and chose boot-next. The firmware then cannot measure the next stage
# and LoadImage fails, so nothing starts and prodgate powers off.
pg_boot --name tpm-gone-after-decision --secboot --timeout $HALT_TIMEOUT \
        --tpm-state "$W/tpm3/state" --tpm-stop-on '^prodgate: action=' "$W/good.img" || exit 1
note_line '^prodgate: action='
expect_marker '^prodgate: gate 1 build integrity: pass$' "gate 1 passed before the TPM went away"
expect_marker '^prodgate: gate 2 boot integrity: pass$' "gate 2 passed before the TPM went away"
expect_marker '^prodgate: action=boot-next ' "action boot-next"
expect_marker '^prodgate: error: LoadImage of \\EFI\\Linux\\vmlinuz\.efi failed: Unsupported$' \
        "the firmware refuses to load the next stage"
expect_marker '^prodgate: halt: no stage started; powering off in 3 s$' "prodgate powers off"
expect_no_marker '^pg-guest:' "no guest ran"
expect_poweroff
expect_off_after_tpm_gone

# ---- read errors on the ESP ----------------------------------------------------

# Every read of the manifest's sectors fails with EIO: the manifest is
# unreadable, which is missing evidence (unknown), and the default policy halts.
pg_blkdebug_rules "$W/manifest-eio.rules" "$W/good.img" EFI/BOOT/manifest.pgm "$W/good.pgm" || exit 1
pg_boot --name manifest-read-error --secboot --timeout $HALT_TIMEOUT --tpm-state "$W/tpm3/state" \
        --esp-blkdebug "$W/manifest-eio.rules" "$W/good.img" || exit 1
note_line '^prodgate: action='
expect_marker '^prodgate: warning: Failed to read the manifest \\EFI\\BOOT\\manifest\.pgm: Device Error$' \
        "manifest read fails with a device error"
expect_objective_line 1.0 unknown PG_ERR_PREOS_MANIFEST_UNREADABLE "" "production build unknown"
expect_objective_line 1.1 unknown PG_ERR_PREOS_MANIFEST_UNREADABLE "" "trusted release state unknown"
expect_objective_line 2.0 unknown PG_ERR_PREOS_MANIFEST_UNREADABLE "" "verified software state unknown"
expect_marker '^prodgate: gate 1 build integrity: unknown$' "gate 1 unknown"
expect_halted

# Every read of the next stage's sectors fails; the recovery stage (the same
# kernel at another path) reads fine. OVMF's FAT driver reads file data and
# directories in 64 KiB cache pages, and a page that contains one failing
# sector fails as a whole. So everything else prodgate reads is written
# first, then a 1 MiB file, then the kernel, which keeps the kernel's
# sectors out of every other file's and directory's pages.
pg_scn_sign recovery release RECOVERY=1 || exit 1
head -c 1048576 /dev/zero >"$W/spacer.bin"
pg_esp_build "$W/kernel-eio.img" "$W/BOOTX64.EFI" "EFI/BOOT/manifest.pgm=$W/recovery.pgm" \
        "EFI/Linux/recovery.efi=$W/vmlinuz.efi" "EFI/Linux/recovery.efi.initrd=$W/initrd.img" \
        "EFI/Linux/vmlinuz.efi.initrd=$W/initrd.img" "EFI/spacer.bin=$W/spacer.bin" \
        "EFI/Linux/vmlinuz.efi=$W/vmlinuz.efi" || exit 1
pg_blkdebug_rules "$W/kernel-eio.rules" "$W/kernel-eio.img" EFI/Linux/vmlinuz.efi "$W/vmlinuz.efi" || exit 1
pg_boot --name next-stage-read-error --secboot --timeout $LINUX_TIMEOUT --tpm-state "$W/tpm3/state" \
        --esp-blkdebug "$W/kernel-eio.rules" "$W/kernel-eio.img" || exit 1
note_line '^prodgate: action='
expect_marker '^prodgate: warning: Failed to read \\EFI\\Linux\\vmlinuz\.efi: Device Error$' \
        "next stage read fails with a device error"
expect_no_marker '^prodgate: warning: Failed to read \\EFI\\Linux\\(recovery|vmlinuz\.efi\.initrd)' \
        "the other stage files read fine"
expect_marker '^prodgate: action=boot-recovery ' "action boot-recovery"
expect_marker '^pg-guest: script-exit=0$' "the guest ran the report script"
expect_marker '^pg-guest: cmdline=.* pg\.stage=recovery$' "the recovery stage runs"
expect_objective 2 0 "unknown PG_ERR_PREOS_NEXT_STAGE_UNREADABLE" \
        "handoff: verified software state unknown"
expect_objective 4 2 "fail PG_ERR_PREOS_CMDLINE_UNSET" "handoff: controlled platform state fails"
expect_objective 9 1 "unknown PG_ERR_PREOS_NEXT_STAGE_UNREADABLE" "handoff: update authenticity unknown"
expect_gate 1 pass "handoff: gate 1 passes (manifest read fine)"
expect_handoff .action boot-recovery "handoff: action boot-recovery"
expect_poweroff

# ---- a full variable store --------------------------------------------------------

# fillvars.efi fills the volatile store, then starts prodgate.efi from
# \EFI\prodgate. Both of prodgate's SetVariable calls fail, but the results
# are still measured and the next stage boots. The guest's `prodgate status`
# then takes the pre-OS results from the measured event.
pg_sign_efi "$FILLVARS_APP" "$W/fillvars.efi" || exit 1
pg_esp_build "$W/fullvars.img" "$W/fillvars.efi" "EFI/prodgate/prodgate.efi=$W/BOOTX64.EFI" \
        "EFI/prodgate/manifest.pgm=$W/good.pgm" "EFI/Linux/vmlinuz.efi=$W/vmlinuz.efi" \
        "EFI/Linux/vmlinuz.efi.initrd=$W/initrd.img" || exit 1
pg_boot --name variable-store-full --secboot --timeout $LINUX_TIMEOUT --tpm-state "$W/tpm3/state" \
        "$W/fullvars.img" -- -fw_cfg "name=opt/prodgate/manifest,file=$W/good.pgm" \
        -fw_cfg "name=opt/prodgate/trust,file=$PG_TEST_KEYS/release.pub.pem" || exit 1
expect_marker '^fillvars: wrote [1-9][0-9]* variables, [0-9]+ bytes of data; last SetVariable: Out of Resources$' \
        "fillvars filled the volatile store"
note_line '^fillvars: wrote'
note_line '^prodgate: action='
expect_marker '^fillvars: LoadImage \\EFI\\prodgate\\prodgate\.efi: Success$' "fillvars loaded prodgate.efi"
expect_marker '^prodgate: error: Failed to set the ProdgateHandoff variable: Out of Resources$' \
        "the handoff variable could not be set"
expect_marker '^prodgate: error: Failed to set the ProdgatePcr variable: Out of Resources$' \
        "the PCR variable could not be set"
expect_no_marker '^prodgate: error: Failed to measure' "the results were measured"
expect_marker '^prodgate: action=boot-next ' "action boot-next"
expect_marker '^pg-guest: script-exit=0$' "the guest ran the report script"
expect_marker '^pg-guest: handoff-json=\{\}$' "guest: no handoff variable in efivarfs"
note_line '^pg-guest: status-exit='
expect_status status-json .handoff.found false "status: the handoff variable is not found"
expect_status status-json .handoff.used true "status: the pre-OS results are used"
expect_status status-json .cross_check.results_source eventlog "status: results taken from the event log"
expect_status status-json '"\(.cross_check.verdict) \(.cross_check.reason)"' \
        "missing PG_ERR_XCHECK_HANDOFF_DELETED" "status: cross-check reports the variable missing"
expect_status status-json '.gates[9].objectives[1] | "\(.outcome) \(.reason)"' \
        "degraded PG_ERR_XCHECK_HANDOFF_DELETED" "status: security findings degraded"
expect_status status-json '"\(.gates[0].outcome) \(.gates[1].outcome)"' "pass pass" \
        "status: gates 1 and 2 pass from the measured event"
expect_status status-json '.cross_check.replay_sha256 == .cross_check.tpm.sha256' true \
        "status: PCR 13 equals the replay of the event log"
expect_poweroff

pg_summary
