#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# prodgate eventlog on the shared corpus of real firmware event logs: the
# JSON replay contains PCR values other tools recorded for these logs, reading
# through a pipe (also in small, delayed pieces) prints exactly what reading
# the file prints, and broken or foreign inputs fail with exit status 3, no
# output on stdout and the exact error symbol on stderr.
set -u

here=$(cd "$(dirname "$0")" && pwd)
tool=${PG_TOOL:-$here/../../build/prodgate}
corpus=${PG_CORPUS:-$here/../../../shared/corpus}/eventlogs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
not_ok() {
        failed=$((failed + 1))
        echo "FAIL $*"
}

# check NAME ACTUAL EXPECTED
check() {
        if [ "$2" = "$3" ]; then
                ok
        else
                not_ok "$1: got '$2', expected '$3'"
        fi
}

# json LOG FILTER: jq over the tool's JSON for a corpus log.
json() {
        "$tool" eventlog --json "$corpus/$1" | jq -r "$2"
}

# expect_pcr LOG BANK PCR HEX
expect_pcr() {
        check "$1 $2 PCR $3" "$(json "$1" ".pcrs.$2[\"$3\"]")" "$4"
}

# expect_error NAME FILE SYMBOL [OFFSET]: the tool rejects FILE.
expect_error() {
        local name=$1 file=$2 symbol=$3 where=${4:-} rc
        "$tool" eventlog --json "$file" >"$work/out" 2>"$work/err"
        rc=$?
        if [ "$rc" -ne 3 ]; then
                not_ok "$name: exit $rc, expected 3"
        elif [ -s "$work/out" ]; then
                not_ok "$name: output on stdout for a rejected log"
        elif ! grep -q "^prodgate eventlog: .*${where}: $symbol (0x[0-9a-f]*): " "$work/err"; then
                not_ok "$name: expected $symbol${where:+ at$where}, got: $(cat "$work/err")"
        else
                ok
        fi
}

# ---- replayed PCRs equal recorded values -----------------------------------

# go-tpm-tools expected values; StartupLocality 3 (glinux-alex, gdc-host)
expect_pcr go-tpm-tools/glinux-alex.bin sha256 0 \
        0e5ea849d7647a1ac1becc096fee4df98f00f8015f934afadaab0b8aa20b38a5
expect_pcr go-tpm-tools/glinux-alex.bin sha1 7 9221b8fc57b60cb7de507dc016f88d4600cde9c5
expect_pcr go-tpm-tools/gdc-host.bin sha256 0 \
        dab77c454bd12c27ff6b6ce1f9adca90b7a330c1cef0b5cd01cb89fb3bd0dffa
# a SHA-1 log without a Spec ID event, with shim's authority event in PCR 7
expect_pcr go-tpm-tools/debian-10.bin sha1 7 9e6c57e850f371c2a7fe02bca552149363952318
# fwupd PCR 0, SHA-1 and crypto-agile
expect_pcr fwupd-test-firmware/binary_bios_measurements-v1 sha1 0 \
        543ae96e57b6fc4003531cd0dab1d9ba7f8166e0
expect_pcr fwupd-test-firmware/binary_bios_measurements-v2 sha256 0 \
        6d9fed68092cfb91c9552bcb7879e75e1df36efd407af67690dc3389a5722fab
# tpm2_eventlog, four banks
expect_pcr tpm2-tools/event.bin sha512 0 \
        2b39e8bfcb64133066c8939231a424cd0a2f3ceaf21b182e82b826916b5826fa3f98fcf1333a2948947ea52f03959e7737800e49722c972e5444f7be6aa9a431
# go-attestation, a Windows log
expect_pcr go-attestation/windows_gcp_shielded_vm.eventlog.bin sha1 0 \
        51c323de0c0c694f4601cdd02beb58ff13629f74

# ---- decoded structure -----------------------------------------------------

check "glinux-alex format" "$(json go-tpm-tools/glinux-alex.bin .format)" crypto-agile
check "glinux-alex events" "$(json go-tpm-tools/glinux-alex.bin '.events | length')" 29
check "glinux-alex banks" "$(json go-tpm-tools/glinux-alex.bin '[.banks[].alg] | join(",")')" \
        sha1,sha256
check "debian-10 format" "$(json go-tpm-tools/debian-10.bin .format)" sha1-legacy
check "debian-10 shim digest" \
        "$(json go-tpm-tools/debian-10.bin '.events[23].digest_check')" mismatch
check "debian-10 SecureBoot digest" \
        "$(json go-tpm-tools/debian-10.bin '.events[2].digest_check')" match
check "hcrtm sm3 bank" \
        "$(json tpm2-tss/binary_measurements_hcrtm.bin '.pcrs.sm3_256["0"] | length')" 64
check "uefiaction incomplete" \
        "$(json tpm2-tools/event-uefiaction.bin '.incomplete_pcrs.sha384 | tostring')" "[4]"
ccel=go-eventlog/ccel/cos-113-intel-tdx.bin
check "ccel padding" "$(json $ccel '[.padding_bytes, .cc_event_log] | tostring')" "[244043,true]"
vendor='.spec_id | [.vendor_info, .size_excludes_vendor_info] | tostring'
check "vendor info outside size" "$(json tpm2-tools/specid-vendordata.bin "$vendor")" \
        '["deadbeef",true]'
check "windows NO_ACTION pcr" \
        "$(json go-attestation/option_rom_eventlog '.events[60] | [.pcr, .type_name] | tostring')" \
        '[4294967295,"EV_NO_ACTION"]'
if "$tool" eventlog "$corpus/go-tpm-tools/glinux-alex.bin" | grep -q "StartupLocality 3"; then
        ok
else
        not_ok "text output lacks the StartupLocality event"
fi

# every log of the corpus that parses gives valid JSON
for f in "$corpus"/*/*.bin "$corpus"/go-eventlog/ccel/*.bin \
         "$corpus"/keylime/binary_bios_measurements "$corpus"/go-attestation/*eventlog \
         "$corpus"/fwupd-test-firmware/binary_bios_measurements-v*; do
        [ -f "$f" ] || continue
        if "$tool" eventlog --json "$f" >"$work/out" 2>/dev/null; then
                if jq -e '.events | length > 0' "$work/out" >/dev/null; then
                        ok
                else
                        not_ok "$f: invalid JSON"
                fi
        fi
done

# ---- reading through a pipe ------------------------------------------------

for f in go-tpm-tools/glinux-alex.bin go-eventlog/ccel/cos-113-intel-tdx.bin \
         go-attestation/option_rom_eventlog; do
        "$tool" eventlog --json "$corpus/$f" >"$work/file.json"
        cat "$corpus/$f" | "$tool" eventlog --json - >"$work/pipe.json"
        if cmp -s "$work/file.json" "$work/pipe.json"; then
                ok
        else
                not_ok "$f: pipe differs"
        fi
        "$tool" eventlog "$corpus/$f" >"$work/file.txt"
        { head -c 100 "$corpus/$f"; sleep 0.2; tail -c +101 "$corpus/$f"; } |
                "$tool" eventlog - >"$work/pipe.txt"
        if cmp -s "$work/file.txt" "$work/pipe.txt"; then
                ok
        else
                not_ok "$f: short reads differ"
        fi
done

# ---- rejected input ----------------------------------------------------------

head -c 270 "$corpus/tpm2-tools/event.bin" >"$work/truncated.bin"
expect_error "truncated data" "$work/truncated.bin" PG_ERR_EVLOG_DATA_TRUNCATED \
        " event 1 at byte offset 77"
head -c 90 "$corpus/tpm2-tools/event.bin" >"$work/truncated-digest.bin"
expect_error "truncated digest" "$work/truncated-digest.bin" PG_ERR_EVLOG_TRUNCATED_DIGEST \
        " event 1 at byte offset 77"
head -c 1000 "$corpus/go-tpm-tools/debian-10.bin" >"$work/truncated-sha1.bin"
expect_error "truncated SHA-1 log" "$work/truncated-sha1.bin" PG_ERR_EVLOG_DATA_TRUNCATED
expect_error "empty" "$corpus/keylime/binary_bios_measurements-empty" PG_ERR_EVLOG_EMPTY
expect_error "junk" "$corpus/keylime/binary_bios_measurements-bogus" PG_ERR_EVLOG_JUNK
expect_error "lone StartupLocality" "$corpus/go-attestation/short_no_action_eventlog" \
        PG_ERR_EVLOG_SPECID_SIGNATURE " event 0 at byte offset 0"
expect_error "CEL log" "$corpus/go-tpm-tools/cel.bin" PG_ERR_EVLOG_DATA_TOO_LARGE

# more than the 16 MiB input cap
head -c $((17 << 20)) /dev/zero | "$tool" eventlog - >"$work/out" 2>"$work/err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q "larger than the 16 MiB limit" "$work/err"; then
        ok
else
        not_ok "oversized input: exit $rc: $(cat "$work/err")"
fi

"$tool" eventlog "$work/missing.bin" >/dev/null 2>&1
check "missing file exit" "$?" 3
"$tool" eventlog --bogus >/dev/null 2>&1
check "unknown option exit" "$?" 2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
