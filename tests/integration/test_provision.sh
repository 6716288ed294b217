#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# prodgate provision against swtpm (unix socket, tpm2-tools' swtpm TCTI):
# defines the anti-rollback index with the attributes prodgate.efi checks,
# writes the floor big-endian, and refuses to touch an index that exists.
set -u

here=$(cd "$(dirname "$0")" && pwd)
tool=${PG_TOOL:-$here/../../build/prodgate}
work=$(mktemp -d "${TMPDIR:-/tmp}/pgp.XXXXXX")
pid=
cleanup() {
        if [ -n "$pid" ]; then
                kill "$pid" 2>/dev/null
                wait "$pid" 2>/dev/null
        fi
        rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0

check() { # TEXT COMMAND...
        local text=$1
        shift
        if "$@"; then passed=$((passed + 1)); else
                failed=$((failed + 1))
                echo "FAIL $text"
        fi
}

for t in swtpm tpm2_nvreadpublic tpm2_nvread; do
        if ! command -v "$t" >/dev/null; then
                echo "FAIL $t not found; run 'make deps' as root"
                echo "0 passed, 1 failed"
                exit 1
        fi
done

mkdir -p "$work/state"
swtpm socket --tpm2 --tpmstate "dir=$work/state" --server "type=unixio,path=$work/s" \
        --ctrl "type=unixio,path=$work/s.ctrl" --flags not-need-init,startup-clear \
        </dev/null >"$work/swtpm.log" 2>&1 &
pid=$!
for ((i = 0; i < 50; i++)); do
        [ -S "$work/s" ] && break
        sleep 0.1
done
export TPM2TOOLS_TCTI="swtpm:path=$work/s"

check "dry run prints the runbook commands" \
        bash -c "'$tool' provision --svn 7 --dry-run | grep -q '^+ tpm2_nvdefine 0x01000100 -C o -s 8 -a authread|authwrite|write_stclear|no_da$'"
check "provision succeeds" "$tool" provision --svn 7 --index 0x01000123 >"$work/out" 2>&1
check "attributes are the ones prodgate.efi accepts" \
        bash -c "tpm2_nvreadpublic 0x01000123 | grep -q 'value: 0x22044004'"
check "floor is 7, big-endian" \
        bash -c "[ \"\$(tpm2_nvread 0x01000123 -s 8 | od -An -tx1 | tr -d ' \n')\" = 0000000000000007 ]"
"$tool" provision --svn 9 --index 0x01000123 >"$work/out2" 2>&1
check "an existing index is left alone (exit 1)" [ $? -eq 1 ]
check "floor unchanged" \
        bash -c "[ \"\$(tpm2_nvread 0x01000123 -s 8 | od -An -tx1 | tr -d ' \n')\" = 0000000000000007 ]"
"$tool" provision --index 0x01000123 >/dev/null 2>&1
check "--svn is required (exit 2)" [ $? -eq 2 ]
"$tool" provision --svn 1 --index 0x81000001 >/dev/null 2>&1
check "a non-NV handle is rejected (exit 2)" [ $? -eq 2 ]

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
