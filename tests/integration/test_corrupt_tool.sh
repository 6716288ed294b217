#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Corrupted inputs through the prodgate tool itself, one process per mutant:
# a signed manifest through `prodgate manifest verify`, and three real
# firmware event logs (SHA-1 only, crypto-agile with two banks, crypto-agile
# with three banks) through `prodgate eventlog --json`.
#
# The manifest gets every truncation, and one bit flipped in every byte of
# its first 4 KiB (bit number = offset mod 8). Each mutant must exit 1 with
# a PG_ERR_ symbol on stderr: a corrupted manifest never verifies.
#
# Each log gets a truncation every 61 bytes and at every event boundary and
# one byte either side, and one bit flipped in every byte of its first
# 512 bytes. Each mutant must exit 0 or 3 within 10 s, never by a signal.
# Exit 3 needs the error line with event number, byte offset and a
# PG_ERR_EVLOG_ symbol, and nothing on stdout. A truncation that exits 0
# must keep exactly the original events that end at or before the cut.
#
# tests/unit/test_corrupt_matrix.c runs every truncation and every flip in
# the first 4 KiB in process, with stronger invariants. This script checks
# the layers the tool adds: file reading, output and exit status.
set -u

here=$(cd "$(dirname "$0")" && pwd)
tool=$(realpath -m "${PG_TOOL:-$here/../../build/prodgate}")
corpus=$(realpath -m "${PG_CORPUS:-$here/../../../shared/corpus}")/eventlogs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$here/lib_swtpm.sh"
. "$here/lib_report.sh"

# check NAME BAD_COUNT TOTAL FIRST_BAD: one result for a set of mutants.
check() {
        if [ "$2" -eq 0 ]; then
                report ok "$1: $3 mutants"
        else
                report fail "$1: $2 of $3 mutants wrong, first: $4"
        fi
}

# mutants IN OUTDIR MODE ARGS...: writes the mutants of IN into OUTDIR, one
# file each (cut-L, flip-OFFSET-BIT), and lists their names in OUTDIR/list.
# "cuts L..." truncates to each length L. "flips N" flips one bit in each of
# the first N bytes.
mutants() {
        python3 - "$@" <<'PY'
import os, sys
src, out, mode, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
data = open(src, "rb").read()
os.makedirs(out, exist_ok=True)
names = []
if mode == "cuts":
    for n in sorted({int(a) for a in args if 0 <= int(a) < len(data)}):
        names.append("cut-%d" % n)
        open(os.path.join(out, names[-1]), "wb").write(data[:n])
else:
    for off in range(min(int(args[0]), len(data))):
        bit = off % 8
        m = bytearray(data)
        m[off] ^= 1 << bit
        names.append("flip-%d-%d" % (off, bit))
        open(os.path.join(out, names[-1]), "wb").write(m)
open(os.path.join(out, "list"), "w").write("\n".join(names) + "\n")
PY
}

# ---- signed manifest ----------------------------------------------------

cd "$work" || exit 1
if ! sign_test_manifest "$tool" m.pgm; then
        echo "FAIL signing the test manifest: $(cat sign.log)"
        echo "0 passed, 1 failed"
        exit 1
fi
size=$(stat -c %s m.pgm)
expect "the unchanged manifest verifies" 0 "" "$tool" manifest verify --trust rel.pub m.pgm

# verify_set NAME DIR: every mutant in DIR must be rejected with exit 1.
verify_set() {
        local name=$1 dir=$2 m rc err bad=0 total=0 first=
        while read -r m; do
                total=$((total + 1))
                err=$(timeout 10 "$tool" manifest verify --trust rel.pub "$dir/$m" 2>&1 >/dev/null)
                rc=$?
                if [ "$rc" -ne 1 ] || ! [[ $err =~ PG_ERR_[A-Z0-9_]+ ]]; then
                        bad=$((bad + 1))
                        [ -n "$first" ] || first="$m: exit $rc: $err"
                fi
        done <"$dir/list"
        check "$name" "$bad" "$total" "$first"
}

mutants m.pgm mcut cuts $(seq 0 $((size - 1)))
verify_set "manifest verify, every truncation of $size bytes" mcut
mutants m.pgm mflip flips 4096
verify_set "manifest verify, a bit flipped in every byte" mflip

# ---- event logs ---------------------------------------------------------

# event_ends LOG JSON: the byte offsets where the events of LOG end, from
# JSON, the tool's output for LOG. Each event ends where the next starts,
# and the last where the 0xFF padding starts.
event_ends() {
        jq -r --argjson size "$(stat -c %s "$1")" \
                '[.events[].offset] as $o | ($o[1:] + [$size - .padding_bytes])[]' "$2"
}

# The fields of the first K events that a clean truncation must keep.
kept_events() {
        jq -c --argjson k "$1" '[.events[:$k][] | {offset, pcr, type, digests, data}]' "$2"
}

# log_set NAME LOG JSON DIR: checks every mutant of LOG in DIR; JSON is the
# tool's output for the unchanged LOG.
log_set() {
        local name=$1 log=$2 json=$3 dir=$4 m rc err bad=0 total=0 first= why cut want got
        local -a ends
        mapfile -t ends < <(event_ends "$log" "$json")
        while read -r m; do
                total=$((total + 1))
                why=
                timeout 10 "$tool" eventlog --json "$dir/$m" >"$work/out" 2>"$work/err"
                rc=$?
                err=$(head -c 300 "$work/err")
                case $rc in
                0)
                        if [[ $m == cut-* ]]; then
                                cut=${m#cut-}
                                want=0
                                for e in "${ends[@]}"; do
                                        [ "$e" -le "$cut" ] && want=$((want + 1))
                                done
                                got=$(jq '.events | length' "$work/out" 2>/dev/null)
                                if [ "$got" != "$want" ]; then
                                        why="exit 0 with ${got:-no} events, expected $want"
                                elif [ "$(kept_events "$want" "$work/out")" != \
                                        "$(kept_events "$want" "$json")" ]; then
                                        why="exit 0 with events that differ from the unchanged log's"
                                fi
                        fi
                        ;;
                3)
                        if [ -s "$work/out" ]; then
                                why="output on stdout"
                        elif ! grep -qE '^prodgate eventlog: .*: event [0-9]+ at byte offset [0-9]+: PG_ERR_EVLOG_[A-Z0-9_]+ \(0x20[0-9a-f]{2}\): ' "$work/err"; then
                                why="error line without event, offset and symbol"
                        fi
                        ;;
                *) why="exit $rc" ;;
                esac
                if [ -n "$why" ]; then
                        bad=$((bad + 1))
                        [ -n "$first" ] || first="$m: $why: $err"
                fi
        done <"$dir/list"
        check "$name" "$bad" "$total" "$first"
}

for rel in go-tpm-tools/debian-10.bin tpm2-tools/event-arch-linux.bin \
        go-attestation/ubuntu_2104_shielded_vm_no_secure_boot_eventlog; do
        log=$corpus/$rel
        if [ ! -r "$log" ]; then
                check "eventlog $rel" 1 1 "$log not found; set PG_CORPUS"
                continue
        fi
        size=$(stat -c %s "$log")
        d=$work/$(basename "$rel")
        # The unchanged log must parse, or every check below means nothing.
        "$tool" eventlog --json "$log" >"$d.json" 2>"$work/err"
        n=$(jq '.events | length' "$d.json" 2>/dev/null)
        if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
                check "eventlog $rel, unchanged" 1 1 "no events: $(head -c 300 "$work/err")"
                continue
        fi
        mapfile -t ends < <(event_ends "$log" "$d.json")
        cuts=$(seq 0 61 $((size - 1)))
        for e in "${ends[@]}"; do
                cuts+=" $((e - 1)) $e $((e + 1))"
        done
        # shellcheck disable=SC2086 # one argument per length
        mutants "$log" "$d.cut" cuts $cuts
        log_set "eventlog $rel, truncations" "$log" "$d.json" "$d.cut"
        mutants "$log" "$d.flip" flips 512
        log_set "eventlog $rel, a bit flipped in each of 512 bytes" "$log" "$d.json" "$d.flip"
done

summary
