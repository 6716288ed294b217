#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# demo.sh [SCENARIO]: boots the whole chain once in QEMU (Secure Boot OVMF,
# swtpm, prodgate.efi, Debian's kernel, an initramfs running the prodgate
# tool) and prints prodgate.efi's console summary and the gate report read
# back inside the guest. `make demo SCENARIO=NAME` runs it; the signed demo
# manifest, its source and the ESP image are left in build/demo/.
#
# Scenarios: good (default), secure-boot-off, no-manifest, untrusted-key,
# byte-flipped, development-key, next-stage-changed, rollback, pcr-pin, no-tpm.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest.sh"
. "$(dirname "$0")/scenario.sh"

scenario=${1:-good}
out=$PG_ROOT/build/demo
case $scenario in
good | secure-boot-off | no-manifest | untrusted-key | byte-flipped | development-key | \
        next-stage-changed | rollback | pcr-pin | no-tpm) ;;
*)
        echo "demo: unknown scenario '$scenario'; see tests/qemu/demo.sh" >&2
        exit 2
        ;;
esac

pg_qemu_init
echo "demo: preparing the $scenario scenario (signing, initramfs, TPM provisioning)"
pg_scn_init || exit 1
W=$PG_WORK
mkdir -p "$out"
floor=3
key=release
boot_args=(--secboot)
dts_args=(RECOVERY=1)
esp_extra=("EFI/Linux/recovery.efi=$W/vmlinuz.efi" "EFI/Linux/recovery.efi.initrd=$W/initrd.img")
case $scenario in
secure-boot-off) boot_args=() ; dts_args+=(ENFORCE_2=audit) ;;
untrusted-key) key=untrusted ;;
development-key) key=development ;;
rollback) floor=9; dts_args+=(ENFORCE_1=audit) ;;
pcr-pin) dts_args+=(ENFORCE_2=audit "PCRS=pcr0 { sha256 = [$(pg_dts_bytes "$(printf '00%.0s' {1..32})")]; };") ;;
no-tpm) boot_args+=(--no-tpm); dts_args+=(ENFORCE_1=audit ENFORCE_2=audit) ;;
esac

pg_tpm_provision "$W/tpm" "$floor" || exit 1
pg_dts "$out/manifest.dts" "${dts_args[@]}" || exit 1
pg_manifest_sign "$out/manifest.pgm" "$out/manifest.dts" "$key" || exit 1
manifest=$out/manifest.pgm
case $scenario in
no-manifest) manifest= ;;
byte-flipped)
        size=$(stat -c %s "$manifest")
        printf 'X' | dd of="$manifest" bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
        ;;
next-stage-changed)
        cp "$W/vmlinuz.efi" "$W/vmlinuz-changed.efi"
        printf 'changed' >>"$W/vmlinuz-changed.efi"
        esp_extra+=("EFI/Linux/vmlinuz.efi=$W/vmlinuz-changed.efi")
        ;;
esac
pg_scn_esp "$out/esp.img" "$manifest" "${esp_extra[@]}" || exit 1
[ "$scenario" = no-tpm ] || boot_args+=(--tpm-state "$W/tpm/state")

echo "demo: booting (about 10-25 s under TCG)"
pg_boot --name "$scenario" --timeout 120 "${boot_args[@]}" "$out/esp.img" || exit 1
echo
echo "---- prodgate.efi console"
grep -E '^prodgate' "$PG_BOOT_LOG"
if grep -q '^pg-guest: up' "$PG_BOOT_LOG"; then
        echo
        echo "---- inside the guest: prodgate handoff show (efivarfs)"
        sed -n '/^handoff blob:/,/^pg-guest: script-exit/p' "$PG_BOOT_LOG" | grep -v '^pg-guest:'
        echo "kernel command line: $(pg_guest_field cmdline)"
        echo "PCR 13: TPM $(pg_guest_field pcr-tpm)"
        echo "        log replay $(pg_guest_field pcr-replay)"
else
        echo
        echo "---- no stage was started; the guest did not run"
fi
