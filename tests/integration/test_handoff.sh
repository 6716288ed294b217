#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# prodgate handoff show against blobs made by the core writer (the committed
# fuzzer seeds), the same blobs in an efivarfs file, and blobs re-encoded or
# edited with dtc. Each broken blob must be rejected with exit status 3, no
# output on stdout, and the exact error symbol on stderr.
set -u

here=$(cd "$(dirname "$0")" && pwd)
tool=${PG_TOOL:-$here/../../build/prodgate}
seeds=$here/../fuzz/seeds/handoff
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
not_ok() {
        failed=$((failed + 1))
        echo "FAIL $*"
}

# expect_ok NAME FILE [ARGS...]: the tool decodes FILE.
expect_ok() {
        local name=$1 file=$2
        shift 2
        if "$tool" handoff show "$@" "$file" >"$work/out" 2>"$work/err"; then
                ok
        else
                not_ok "$name: exit $?: $(cat "$work/err")"
        fi
}

# expect_error NAME FILE SYMBOL: the tool rejects FILE with that error.
expect_error() {
        local name=$1 file=$2 symbol=$3 rc
        "$tool" handoff show "$file" >"$work/out" 2>"$work/err"
        rc=$?
        if [ "$rc" -ne 3 ]; then
                not_ok "$name: exit $rc, expected 3"
        elif [ -s "$work/out" ]; then
                not_ok "$name: output on stdout for a rejected blob"
        elif ! grep -q "^prodgate handoff: .*: $symbol (0x[0-9a-f]*): " "$work/err"; then
                not_ok "$name: expected $symbol, got: $(cat "$work/err")"
        else
                ok
        fi
}

# json FILE FILTER: runs jq over the tool's JSON for FILE.
json() {
        "$tool" handoff show --json "$1" | jq -r "$2"
}

# edit NAME DTS_APPENDIX: example.dtb decoded by dtc, the appendix merged in,
# compiled back to $work/NAME.dtb.
edit() {
        local name=$1 appendix=$2
        { cat "$work/example.dts"; printf '%s\n' "$appendix"; } >"$work/$name.dts"
        dtc -q -I dts -O dtb -o "$work/$name.dtb" "$work/$name.dts" ||
                not_ok "$name: dtc cannot compile the edited source"
}

# ---- valid blobs ------------------------------------------------------------

for seed in "$seeds"/*.dtb; do
        expect_ok "$(basename "$seed")" "$seed"
        expect_ok "$(basename "$seed") --json" "$seed" --json
done

example=$seeds/example.dtb
sample=$seeds/sample.dtb

if [ "$(json "$example" '.gates | length')" = 10 ] &&
   [ "$(json "$example" '[.gates[].objectives | length] | add')" = 30 ] &&
   [ "$(json "$example" '.manifest.svn, .anti_rollback.floor_after, .pcr, .action')" = \
     "$(printf '7\n7\n13\nboot-next')" ]; then
        ok
else
        not_ok "example: JSON fields"
fi

if [ "$(json "$sample" '.gates[1].outcome, .gates[1].objectives[1].reason_name')" = \
     "$(printf 'fail\nPG_ERR_MANIFEST_BAD_SIGNATURE')" ] &&
   [ "$(json "$sample" '[.gates[] | select(.pending)] | length')" = 8 ] &&
   [ "$(json "$sample" '.gates[3].objectives[2].reason')" = 2561 ]; then
        ok
else
        not_ok "sample: JSON outcomes and reasons"
fi

if "$tool" handoff show "$sample" | grep -q '^ 2 boot integrity  *fail  *PG_ERR_MANIFEST_BAD_SIGNATURE'
then
        ok
else
        not_ok "sample: text output"
fi

# The efivarfs file of a volatile boot-service + runtime variable.
{ printf '\006\000\000\000'; cat "$example"; } >"$work/efivar"
expect_ok "efivarfs file" "$work/efivar"
if [ "$(json "$work/efivar" '.variable_attributes')" = 6 ] &&
   [ "$(json "$work/efivar" '.gates')" = "$(json "$example" '.gates')" ]; then
        ok
else
        not_ok "efivarfs file: same results as the bare blob"
fi
{ printf '\007\000\000\000'; cat "$example"; } >"$work/efivar-nv"
if "$tool" handoff show "$work/efivar-nv" | grep -q '^warning: .*persists across boots'; then
        ok
else
        not_ok "efivarfs file: non-volatile variable not flagged"
fi

# dtc reads the blob, and the tool reads dtc's re-encoding of it.
if dtc -q -I dtb -O dts -o "$work/example.dts" "$example" &&
   dtc -q -I dts -O dtb -o "$work/dtc.dtb" "$work/example.dts"; then
        ok
else
        not_ok "dtc cannot decode or re-encode the example"
fi
expect_ok "dtc re-encoding" "$work/dtc.dtb"
# dtc puts the reservation map at byte 40, libfdt's writer at 48: sizes differ.
if [ "$(json "$work/dtc.dtb" 'del(.file, .size)')" = "$(json "$example" 'del(.file, .size)')" ]; then
        ok
else
        not_ok "dtc re-encoding decodes differently"
fi
dtc -q -p 64 -I dts -O dtb -o "$work/padded.dtb" "$work/example.dts"
expect_ok "dtc output with free space" "$work/padded.dtb"

# ---- broken blobs -------------------------------------------------------------

size=$(stat -c %s "$example")
head -c $((size - 1)) "$example" >"$work/cut"
expect_error "truncated by one byte" "$work/cut" PG_ERR_HANDOFF_TRUNCATED
head -c 20 "$example" >"$work/cut20"
expect_error "truncated inside the header" "$work/cut20" PG_ERR_HANDOFF_TRUNCATED
{ printf '\006\000\000\000'; head -c 1000 "$example"; } >"$work/efivar-cut"
expect_error "truncated efivarfs file" "$work/efivar-cut" PG_ERR_HANDOFF_TRUNCATED
{ cat "$example"; printf '\000'; } >"$work/long"
expect_error "byte appended" "$work/long" PG_ERR_HANDOFF_FDT_BAD_TOTALSIZE
{ printf '\000\001\000\000'; cat "$example"; } >"$work/attributes"
expect_error "undefined attribute bit: not an efivarfs file" "$work/attributes" \
        PG_ERR_HANDOFF_FDT_BAD_MAGIC
{ printf '\320\015\376\356'; tail -c +5 "$example"; } >"$work/magic"
expect_error "bad magic" "$work/magic" PG_ERR_HANDOFF_FDT_BAD_MAGIC
: >"$work/empty"
expect_error "empty file" "$work/empty" PG_ERR_HANDOFF_TRUNCATED
head -c 16385 /dev/zero >"$work/big"
expect_error "over the size cap" "$work/big" PG_ERR_HANDOFF_TOO_LARGE
head -c 2000000 /dev/zero >"$work/huge"
expect_error "over the tool's read limit" "$work/huge" PG_ERR_HANDOFF_TOO_LARGE

edit outcome5 '/ { gates { gate-1 { outcome = <5>; }; }; };'
expect_error "gate outcome 5" "$work/outcome5.dtb" PG_ERR_HANDOFF_BAD_OUTCOME
edit outcome-max '/ { gates { gate-3 { objective-1 { outcome = <0xffffffff>; }; }; }; };'
expect_error "objective outcome 0xffffffff" "$work/outcome-max.dtb" PG_ERR_HANDOFF_BAD_OUTCOME
edit action '/ { action = <7>; };'
expect_error "action 7" "$work/action.dtb" PG_ERR_HANDOFF_BAD_ACTION
edit version '/ { format-version = <2>; extra = "newer"; };'
expect_error "format version 2" "$work/version.dtb" PG_ERR_HANDOFF_UNSUPPORTED_VERSION
edit compatible '/ { compatible = "prodgate,manifest"; };'
expect_error "compatible" "$work/compatible.dtb" PG_ERR_HANDOFF_BAD_COMPATIBLE
edit extra '/ { extra = <1>; };'
expect_error "unknown property" "$work/extra.dtb" PG_ERR_HANDOFF_UNKNOWN_PROPERTY
edit node '/ { gates { gate-11 { }; }; };'
expect_error "gate 11" "$work/node.dtb" PG_ERR_HANDOFF_BAD_GATE_ID
edit unknown-node '/ { runtime { }; };'
expect_error "unknown node" "$work/unknown-node.dtb" PG_ERR_HANDOFF_UNKNOWN_NODE
edit deep '/ { gates { gate-1 { objective-0 { x { }; }; }; }; };'
expect_error "node too deep" "$work/deep.dtb" PG_ERR_HANDOFF_NODE_TOO_DEEP
edit no-gate '/ { gates { /delete-node/ gate-5; }; };'
expect_error "gate removed" "$work/no-gate.dtb" PG_ERR_HANDOFF_MISSING_NODE
edit no-pcr '/ { /delete-property/ pcr; };'
expect_error "pcr removed" "$work/no-pcr.dtb" PG_ERR_HANDOFF_MISSING_PROPERTY
edit pcr-len '/ { pcr = /bits/ 64 <13>; };'
expect_error "pcr as 64 bits" "$work/pcr-len.dtb" PG_ERR_HANDOFF_BAD_PROPERTY_LENGTH
edit reason '/ { gates { gate-1 { objective-0 { reason = <1>; }; }; }; };'
expect_error "pass with a reason" "$work/reason.dtb" PG_ERR_HANDOFF_BAD_REASON
edit promote '/ { gates { gate-4 { outcome = <0>; reason = <0>; }; }; };'
expect_error "pending gate made pass" "$work/promote.dtb" PG_ERR_HANDOFF_GATE_OUTCOME_MISMATCH
edit escape '/ { gates { gate-3 { detail = "red\x1b[31m"; }; }; };'
expect_error "escape sequence in detail" "$work/escape.dtb" PG_ERR_HANDOFF_BAD_STRING
edit unterminated '/ { evaluator-version = [30 2e 31]; };'
expect_error "unterminated string" "$work/unterminated.dtb" PG_ERR_HANDOFF_UNTERMINATED_STRING
edit rollback '/ { anti-rollback { floor-after = /bits/ 64 <5>; }; };'
expect_error "floor lowered" "$work/rollback.dtb" PG_ERR_HANDOFF_ROLLBACK_DECREASED
{ echo '/dts-v1/;'; echo '/memreserve/ 0x1000 0x1000;'; tail -n +2 "$work/example.dts"; } \
        >"$work/rsv.dts"
dtc -q -I dts -O dtb -o "$work/rsv.dtb" "$work/rsv.dts"
expect_error "memory reservation" "$work/rsv.dtb" PG_ERR_HANDOFF_FDT_BAD_RSVMAP

# ---- command line ----------------------------------------------------------------

"$tool" handoff show >/dev/null 2>&1
[ $? -eq 2 ] && ok || not_ok "no file: exit status"
"$tool" handoff list "$example" >/dev/null 2>&1
[ $? -eq 2 ] && ok || not_ok "unknown subcommand: exit status"
"$tool" handoff show "$work/missing" >/dev/null 2>&1
[ $? -eq 3 ] && ok || not_ok "missing file: exit status"

echo "handoff: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
