#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Boot overhead: prodgate.efi's time from entry to StartImage against a
# reference loader (tests/bench/efi/minload.c) that only reads, loads and
# starts the same next stage and initrd.
#
# Both boot in the same QEMU setup. The firmware is Secure Boot OVMF with
# the snakeoil store, and both loaders are signed. swtpm has only the
# SHA-256 bank active and the anti-rollback index provisioned. The next
# stage is a 64 MiB EFI application (tests/bench/efi/bigstage.c), and the
# initrd is PG_BENCH_INITRD_MIB MiB (default 32) of random bytes.
#
# Boots alternate between the two loaders, PG_BENCH_BOOTS times each
# (default 3). Both print "(N us after entry)" from the TSC right before
# StartImage, and the medians are compared. Two partial times are printed
# too. Both count from entry and include the 10 ms TSC calibration. For the
# reference loader it is the time until its reads are done. For prodgate it
# is eval-time-us: the same reads, the hashes and the checks up to the
# decision, before the results are recorded.
#
# Needs make test-build and the tests/bench/efi applications (make bench
# builds both).
set -u
. "$(dirname "$0")/../qemu/lib.sh"
. "$(dirname "$0")/../qemu/guest.sh"
. "$(dirname "$0")/../qemu/scenario.sh"

BOOTS=${PG_BENCH_BOOTS:-3}
INITRD_MIB=${PG_BENCH_INITRD_MIB:-32}
if ! [[ $BOOTS =~ ^[1-9][0-9]?$ ]] || ! [[ $INITRD_MIB =~ ^[1-9][0-9]{0,2}$ ]]; then
        echo "bench-boot: PG_BENCH_BOOTS must be 1 to 99 and PG_BENCH_INITRD_MIB 1 to 999" >&2
        exit 2
fi
BENCH_EFI=${PG_BENCH_EFI:-$PG_ROOT/build/bench-efi}

bench_fail() {
        echo "bench-boot: $*" >&2
        exit 1
}

for f in "$BENCH_EFI/minload.efi" "$BENCH_EFI/bigstage.efi" "$PG_TEST_APP" \
        "$PG_TEST_KEYS/release.key.pem" "$PG_TOOL"; do
        [ -r "$f" ] || bench_fail "$f not found; run 'make test-build' and 'make bench'"
done

pg_qemu_init
W=$PG_WORK

pg_sign_efi "$BENCH_EFI/bigstage.efi" "$W/stage.efi" || exit 1
pg_sign_efi "$PG_TEST_APP" "$W/prodgate.efi" || exit 1
pg_sign_efi "$BENCH_EFI/minload.efi" "$W/minload.efi" || exit 1
head -c "$((INITRD_MIB * 1024 * 1024))" /dev/urandom >"$W/initrd.img"
PG_KERNEL_SHA=$(sha256sum "$W/stage.efi" | cut -d' ' -f1)
PG_INITRD_SHA=$(sha256sum "$W/initrd.img" | cut -d' ' -f1)

pg_tpm_provision "$W/tpm" 5 || exit 1
pg_scn_sign m release CMDLINE=bench || exit 1

files=("EFI/Linux/vmlinuz.efi=$W/stage.efi" "EFI/Linux/vmlinuz.efi.initrd=$W/initrd.img")
pg_esp_build "$W/prodgate.img" "$W/prodgate.efi" "${files[@]}" "EFI/BOOT/manifest.pgm=$W/m.pgm" || exit 1
pg_esp_build "$W/minload.img" "$W/minload.efi" "${files[@]}" || exit 1

# boot_once LOADER: one boot; sets boot_us to the loader's microseconds to
# StartImage. It runs in this shell, not in $(...), so the harness's cleanup
# trap owns QEMU and swtpm.
boot_once() {
        local loader=$1 us
        pg_boot --name "$loader" --secboot --tpm-state "$W/tpm/state" --timeout 120 "$W/$loader.img" \
                >"$W/$loader.boot.log" 2>&1 || bench_fail "could not set up the $loader boot"
        if ! grep -q '^bigstage: started' "$PG_BOOT_LOG"; then
                cat "$W/$loader.boot.log" "$PG_BOOT_LOG" >&2
                bench_fail "$loader did not start the next stage"
        fi
        us=$(sed -n 's/.*starting .* (\([0-9]*\) us after entry).*/\1/p' "$PG_BOOT_LOG" | head -n 1)
        [ -n "$us" ] || bench_fail "$loader printed no entry-to-StartImage time"
        if [ "$loader" = prodgate ] && ! grep -q 'action=boot-next' "$PG_BOOT_LOG"; then
                cat "$PG_BOOT_LOG" >&2
                bench_fail "prodgate.efi did not take the boot-next path"
        fi
        boot_us=$us
        # The partial time: the reference loader's reads, or prodgate's
        # evaluation up to the decision (reads and hashes included).
        if [ "$loader" = prodgate ]; then
                boot_pre_us=$(sed -n 's/.*eval-time-us=\([0-9]*\).*/\1/p' "$PG_BOOT_LOG" | head -n 1)
        else
                boot_pre_us=$(sed -n 's/^minload: read \([0-9]*\) us.*/\1/p' "$PG_BOOT_LOG" | head -n 1)
        fi
        [ -n "$boot_pre_us" ] || bench_fail "$loader printed no time before LoadImage"
}

median() {
        sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

pg_times=()
ml_times=()
pg_pre=()
ml_pre=()
for ((i = 0; i < BOOTS; i++)); do
        boot_once minload
        ml_times+=("$boot_us")
        ml_pre+=("$boot_pre_us")
        boot_once prodgate
        pg_times+=("$boot_us")
        pg_pre+=("$boot_pre_us")
done
ml=$(printf '%s\n' "${ml_times[@]}" | median)
pg=$(printf '%s\n' "${pg_times[@]}" | median)

echo "boot overhead: entry to StartImage, $(stat -c %s "$W/stage.efi")-byte next stage + ${INITRD_MIB} MiB initrd," \
        "Secure Boot OVMF, swtpm, accel ${pg_accel:-tcg}, $BOOTS boots each"
printf '  %-24s %10s us   runs: %s\n' "reference loader" "$ml" "${ml_times[*]}"
printf '  %-24s %10s us   runs: %s\n' "  reads done" "$(printf '%s\n' "${ml_pre[@]}" | median)" "${ml_pre[*]}"
printf '  %-24s %10s us   runs: %s\n' "prodgate.efi" "$pg" "${pg_times[*]}"
printf '  %-24s %10s us   runs: %s\n' "  evaluation done" "$(printf '%s\n' "${pg_pre[@]}" | median)" "${pg_pre[*]}"
awk -v p="$pg" -v m="$ml" 'BEGIN { printf "  ratio prodgate/reference %.2f (target <= 1.10)\n", p / m }'
