#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs the prodgate tool's commands under valgrind memcheck, on success paths
# and on error paths. It signs, verifies, shows and rejects a manifest,
# decodes real firmware event logs and rejects a truncated one, decodes a
# handoff blob and rejects a truncated one, and runs status on an empty
# root. A command
# passes when valgrind reports no invalid access, no use of uninitialised
# memory and no definite leak, and the tool's exit status is the expected
# one. Needs PG_TOOL, PG_CORPUS and valgrind; ends with "N passed, N failed".
set -u

here=$(cd "$(dirname "$0")" && pwd)
tool=${PG_TOOL:-$here/../../build/prodgate}
corpus=${PG_CORPUS:-$here/../../../shared/corpus}
example=$here/../../docs/examples/manifest.dts
seeds=$here/../fuzz/seeds/handoff
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# Exit status valgrind returns when it found an error; the tool never uses it.
vg_error=99

# run_memcheck NAME STATUS ARGS...: runs the tool under memcheck, expects STATUS.
run_memcheck() {
        local name=$1 status=$2 rc
        shift 2
        valgrind --quiet --error-exitcode=$vg_error --leak-check=full \
                --errors-for-leak-kinds=definite --track-origins=yes \
                "$tool" "$@" >"$work/out" 2>"$work/err"
        rc=$?
        if [ "$rc" -eq "$vg_error" ]; then
                failed=$((failed + 1))
                echo "FAIL $name: valgrind reported errors:"
                sed 's/^/    /' "$work/err" | head -n 30
        elif [ "$rc" -ne "$status" ]; then
                failed=$((failed + 1))
                echo "FAIL $name: exit $rc, expected $status"
                sed 's/^/    /' "$work/err" | head -n 8
        else
                passed=$((passed + 1))
        fi
}

if ! command -v valgrind >/dev/null; then
        echo "valgrind not found; run 'make deps' as root"
        echo "0 passed, 1 failed"
        exit 1
fi

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
openssl pkey -in "$work/key.pem" -pubout -out "$work/key.pub" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/other.pem" 2>/dev/null
openssl pkey -in "$work/other.pem" -pubout -out "$work/other.pub" 2>/dev/null

run_memcheck "version" 0 version
run_memcheck "manifest sign" 0 manifest sign --key "$work/key.pem" -o "$work/m.pgm" "$example"
run_memcheck "manifest verify" 0 manifest verify --trust "$work/key.pub" "$work/m.pgm"
run_memcheck "manifest verify untrusted key" 1 manifest verify --trust "$work/other.pub" "$work/m.pgm"
run_memcheck "manifest show json" 0 manifest show --json --trust "$work/key.pub" "$work/m.pgm"
head -c 500 "$work/m.pgm" >"$work/short.pgm"
run_memcheck "manifest show truncated" 1 manifest show "$work/short.pgm"
run_memcheck "manifest verify missing file" 3 manifest verify --trust "$work/key.pub" "$work/none.pgm"

for log_file in tpm2-tools/event-moklisttrusted.bin go-tpm-tools/gdc-host.bin \
        fwupd-test-firmware/binary_bios_measurements-v1 \
        tpm2-tss/binary_measurements_hcrtm.bin go-eventlog/ccel/CCEL_unpadded.data.bin; do
        run_memcheck "eventlog $log_file" 0 eventlog --json "$corpus/eventlogs/$log_file"
done
head -c 3000 "$corpus/eventlogs/go-tpm-tools/gdc-host.bin" >"$work/short.bin"
run_memcheck "eventlog truncated" 3 eventlog "$work/short.bin"

run_memcheck "handoff show" 0 handoff show --json "$seeds/example.dtb"
head -c 100 "$seeds/example.dtb" >"$work/bad.dtb"
run_memcheck "handoff show truncated" 3 handoff show "$work/bad.dtb"

mkdir -p "$work/root"
run_memcheck "status empty root" 3 status --root "$work/root" --manifest "$work/m.pgm" \
        --trust "$work/other.pub"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
