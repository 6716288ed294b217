#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# tpm/tpm2_cmd.c against a real TPM: a private swtpm takes the commands that
# tpm2_cmd_driver marshals, and tpm2-tools (through the same swtpm) is the
# reference. PCR_Read values equal tpm2_pcrread's; an NV index defined with
# tpm2_nvdefine and the attributes of docs/tpm.md can be read, written and
# write-locked; a write after WriteLock fails with TPM_RC_NV_LOCKED mapped to
# PG_ERR_TPM_RC_NV_LOCKED; NV_ReadPublic agrees with tpm2_nvreadpublic; a TPM
# reset releases the lock.
#
# PG_TPM2_DRIVER overrides the driver path; by default it sits beside PG_TOOL
# in the build folder.
set -u

here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${PG_TPM2_DRIVER:-}" ]; then
        driver=$PG_TPM2_DRIVER
elif [ -n "${PG_TOOL:-}" ]; then
        driver=$(dirname "$PG_TOOL")/host/integration/tpm2_cmd_driver
else
        driver=$here/../../build/host/integration/tpm2_cmd_driver
fi

work=$(mktemp -d)
sock=$work/tpm.sock
pidfile=$work/swtpm.pid
passed=0
failed=0

stop_swtpm() {
        local pid

        [ -s "$pidfile" ] || return 0
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                # an exited daemon whose parent has not reaped it yet
                [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ] && break
                sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null
        rm -f "$pidfile"
}

cleanup() {
        stop_swtpm
        rm -rf "$work"
}
trap cleanup EXIT

ok() { passed=$((passed + 1)); }
not_ok() {
        failed=$((failed + 1))
        echo "FAIL $*"
}

summary() {
        echo "$passed passed, $failed failed"
        [ "$failed" -eq 0 ]
        exit
}

# check NAME ACTUAL EXPECTED
check() {
        if [ "$2" = "$3" ]; then
                ok
        else
                not_ok "$1: got '$2', expected '$3'"
        fi
}

# run ARGS...: the driver against the private swtpm; output and status kept.
run() {
        "$driver" "$sock" "$@" >"$work/out" 2>"$work/err"
        status=$?
        out=$(cat "$work/out")
}

# expect_ok NAME ARGS...
expect_ok() {
        local name=$1
        shift
        run "$@"
        if [ "$status" -ne 0 ]; then
                not_ok "$name: exit $status: $out $(cat "$work/err")"
                return 1
        fi
        ok
}

# expect_fail NAME "error SYMBOL rc 0xRC" ARGS...
expect_fail() {
        local name=$1 want=$2
        shift 2
        run "$@"
        if [ "$status" -ne 1 ]; then
                not_ok "$name: exit $status, expected 1 ($out)"
        else
                check "$name" "$out" "$want"
        fi
}

for tool in swtpm swtpm_ioctl tpm2_pcrread tpm2_nvdefine; do
        if ! command -v "$tool" >/dev/null; then
                not_ok "$tool not installed: run 'make deps' as root"
                summary
        fi
done
if [ ! -x "$driver" ]; then
        not_ok "$driver not built: run 'make integration'"
        summary
fi

# tpm2-tss's swtpm TCTI expects the control socket at SOCKET.ctrl.
mkdir "$work/state"
if ! swtpm socket --tpm2 --tpmstate dir="$work/state" \
        --server type=unixio,path="$sock" --ctrl type=unixio,path="$sock.ctrl" \
        --flags startup-clear --daemon --pid file="$pidfile" --log file="$work/swtpm.log"; then
        not_ok "swtpm did not start: $(cat "$work/swtpm.log" 2>/dev/null)"
        summary
fi
for _ in $(seq 50); do
        [ -S "$sock" ] && [ -s "$pidfile" ] && break
        sleep 0.1
done
export TPM2TOOLS_TCTI="swtpm:path=$sock"

# NV data as the tools see it, in hex.
tool_nvread() {
        tpm2_nvread "$1" -s "$2" ${3:+--offset "$3"} 2>/dev/null | od -An -v -tx1 | tr -d ' \n'
}

# A field of tpm2_nvreadpublic: name, size, or attributes (the value).
tool_nvpublic() {
        case $2 in
        attributes)
                tpm2_nvreadpublic "$1" |
                        awk '/attributes:/ { a = 1 } a && /value:/ { print $2; exit }'
                ;;
        *)
                tpm2_nvreadpublic "$1" | awk -v k="$2:" '$1 == k { print $2; exit }'
                ;;
        esac
}

# The driver's "key value" lines.
field() {
        awk -v k="$1" '$1 == k { print $2 }' <<<"$out"
}

# ---- PCRs --------------------------------------------------------------------

expect_ok "banks" banks && check "sha256 bank allocated" "$(grep '^sha256 ' <<<"$out")" \
        "sha256 0xffffff"

for pcr in 0 7 13 16 23; do
        tpm2_pcrextend "$pcr:sha256=$(printf '%064x' $((pcr + 1)))" || not_ok "tpm2_pcrextend $pcr"
done
tpm2_pcrextend "13:sha256=$(printf '%064x' 99)" || not_ok "tpm2_pcrextend 13 again"

# pcr_compare NAME MASK SELECTION: the driver's values equal tpm2_pcrread's.
pcr_compare() {
        local want
        # tpm2_pcrread prints "    9 : 0xHEX" and "    10: 0xHEX"
        want=$(tpm2_pcrread "$3" | sed -nE 's/^ *([0-9]+) *: *0x([0-9A-Fa-f]+)$/\1 \2/p' |
                tr 'A-F' 'a-f')
        if expect_ok "$1" pcrread "$2"; then
                check "$1 values" "$out" "$want"
        fi
}
pcr_compare "all 24 PCRs" 0xffffff sha256
pcr_compare "PCRs 0 7 13 23" 0x802081 sha256:0,7,13,23
pcr_compare "PCRs 8-23" 0xffff00 sha256:8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
pcr_compare "PCR 13" 0x002000 sha256:13
check "PCR 13 is not zero" "$(grep -c '^13 0\{64\}$' <<<"$out")" 0
expect_fail "empty selection" "error PG_ERR_TPM_PCR_MASK_EMPTY rc none" pcrread 0
expect_fail "PCR 24" "error PG_ERR_TPM_PCR_MASK_RANGE rc none" pcrread 0x1000000

# ---- the anti-rollback index -------------------------------------------------

idx=0x01000100
if ! tpm2_nvdefine "$idx" -C o -s 8 -a "authread|authwrite|write_stclear|no_da" >/dev/null; then
        not_ok "tpm2_nvdefine $idx"
        summary
fi

if expect_ok "NV_ReadPublic" nvreadpublic "$idx"; then
        check "attributes" "$(field attributes)" 0x2044004
        check "attributes agree with tpm2_nvreadpublic" "$(field attributes)" \
                "$(tool_nvpublic "$idx" attributes)"
        check "size" "$(field size)" 8
        check "size agrees with tpm2_nvreadpublic" "$(field size)" "$(tool_nvpublic "$idx" size)"
        check "name agrees with tpm2_nvreadpublic" "$(field name)" "$(tool_nvpublic "$idx" name)"
        check "name algorithm" "$(field name_alg)" 0x000b
        check "layout check" "$(field svn_check)" PG_OK
fi

expect_fail "read before the first write" "error PG_ERR_TPM_RC_NV_UNINITIALIZED rc 0x14a" \
        nvread "$idx" 8
expect_ok "NV_Write" nvwrite "$idx" 0000000000000003
check "tpm2_nvread sees the write" "$(tool_nvread "$idx" 8)" 0000000000000003
printf '\0\0\0\0\0\0\0\x0a' >"$work/ten"
tpm2_nvwrite "$idx" -i "$work/ten" || not_ok "tpm2_nvwrite"
expect_ok "NV_Read" nvread "$idx" 8 && check "NV_Read sees tpm2_nvwrite" "$out" 000000000000000a
expect_ok "NV_Read at an offset" nvread "$idx" 4 4 && check "NV_Read at offset 4" "$out" 0000000a
expect_ok "NV_Write at an offset" nvwrite "$idx" 0b 7
check "partial write" "$(tool_nvread "$idx" 8)" 000000000000000b
expect_fail "read past the end" "error PG_ERR_TPM_RC_NV_RANGE rc 0x146" nvread "$idx" 8 4

expect_ok "NV_WriteLock" nvwritelock "$idx"
if expect_ok "NV_ReadPublic after the lock" nvreadpublic "$idx"; then
        check "WRITTEN and WRITELOCKED set" "$(field attributes)" 0x22044804
        check "locked attributes agree with tpm2_nvreadpublic" "$(field attributes)" \
                "$(tool_nvpublic "$idx" attributes)"
        check "layout check while locked" "$(field svn_check)" PG_OK
fi
expect_fail "write after the lock" "error PG_ERR_TPM_RC_NV_LOCKED rc 0x148" \
        nvwrite "$idx" 0000000000000001
check "value unchanged after the refused write" "$(tool_nvread "$idx" 8)" 000000000000000b
expect_ok "NV_Read while locked" nvread "$idx" 8 && check "value while locked" "$out" \
        000000000000000b
expect_ok "NV_WriteLock again" nvwritelock "$idx"

# TPM reset and TPM2_Startup(CLEAR): WRITE_STCLEAR locks end there.
if swtpm_ioctl --unix "$sock.ctrl" -i && tpm2_startup -c; then
        ok
        expect_ok "NV_ReadPublic after reset" nvreadpublic "$idx" &&
                check "WRITELOCKED clear after reset" "$(field attributes)" 0x22044004
        expect_ok "NV_Write after reset" nvwrite "$idx" 000000000000000c
        check "value after reset" "$(tool_nvread "$idx" 8)" 000000000000000c
        expect_ok "PCR 13 after reset" pcrread 0x2000 &&
                check "PCR 13 zero after reset" "$out" "13 $(printf '%064d' 0)"
else
        not_ok "TPM reset through swtpm_ioctl and tpm2_startup"
fi

# ---- other indices and handles -----------------------------------------------

expect_fail "undefined index" "error PG_ERR_TPM_RC_HANDLE rc 0x18b" nvreadpublic 0x01000200
expect_fail "undefined index read" "error PG_ERR_TPM_RC_HANDLE rc 0x18b" nvread 0x01000200 8
expect_fail "not an NV handle" "error PG_ERR_TPM_NV_HANDLE_RANGE rc none" nvreadpublic 0x81000001

pidx=0x01000101
if tpm2_nvdefine "$pidx" -C p -s 8 -a "authread|authwrite|write_stclear|no_da|platformcreate" \
        >/dev/null; then
        expect_ok "platform-created index" nvreadpublic "$pidx" &&
                check "platform index attributes" "$(field attributes)" 0x42044004 &&
                check "platform index layout check" "$(field svn_check)" PG_OK
        expect_ok "platform index write" nvwrite "$pidx" 0000000000000001
        expect_ok "platform index lock" nvwritelock "$pidx"
        expect_fail "platform index write after the lock" \
                "error PG_ERR_TPM_RC_NV_LOCKED rc 0x148" nvwrite "$pidx" 0000000000000002
else
        not_ok "tpm2_nvdefine -C p $pidx"
fi

widx=0x01000102
if tpm2_nvdefine "$widx" -C o -s 8 -a "authread|authwrite|no_da" >/dev/null; then
        expect_ok "index without write_stclear" nvreadpublic "$widx" &&
                check "layout check without write_stclear" "$(field svn_check)" \
                        PG_ERR_TPM_SVN_INDEX_ATTRS_MISSING
        expect_fail "lock without write_stclear" "error PG_ERR_TPM_RC_ATTRIBUTES rc 0x282" \
                nvwritelock "$widx"
else
        not_ok "tpm2_nvdefine $widx"
fi

oidx=0x01000103
if tpm2_nvdefine "$oidx" -C o -s 8 -a "ownerread|ownerwrite|write_stclear|no_da" >/dev/null; then
        expect_fail "owner-only index" "error PG_ERR_TPM_RC_AUTH_UNAVAILABLE rc 0x12f" \
                nvread "$oidx" 8
        expect_ok "owner-only index public area" nvreadpublic "$oidx" &&
                check "owner-only layout check" "$(field svn_check)" \
                        PG_ERR_TPM_SVN_INDEX_ATTRS_MISSING
else
        not_ok "tpm2_nvdefine $oidx"
fi

summary
