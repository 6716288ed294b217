#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# prodgate status's cross-check and prodgate measure against a private
# swtpm. lib_swtpm.sh builds a synthetic boot: a firmware event log with
# prodgate's two tagged events, the handoff variable, and PCR 13 extended
# with the same digests. The test checks that this boot is verified. Then
# it alters or removes the variable, extends PCR 13 once more, names an
# unreachable TPM and breaks the userspace log, and asserts each verdict
# and reason.
# prodgate measure appends records whose recnum continues, and PCR 13 then
# equals the replay of both logs (tpm2_pcrread is the reference).
#
# Needs PG_TOOL, swtpm, tpm2-tools, jq, openssl, dtc and python3.
set -u

tool=${PG_TOOL:?set PG_TOOL to the prodgate binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
. "$root/tests/integration/lib_swtpm.sh"
trap 'swtpm_stop; [ -n "${PG_KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work" || exit 1

. "$root/tests/integration/lib_report.sh"

for t in swtpm tpm2_pcrextend tpm2_pcrread jq python3; do
        command -v $t >/dev/null || { same "$t installed" no yes; summary; }
done

sign_test_manifest "$tool" m.pgm
same "manifest signed" "$?" 0

if ! swtpm_start tpm; then
        same "swtpm starts" no yes
        summary
fi
if ! preos_boot "$tool" m.pgm rel.pub "$root/tests/fuzz/seeds/handoff/example.dtb" boot; then
        same "synthetic boot" no yes
        summary
fi
fw=boot/fw.bin
var=boot/handoff.var
cel=$work/run/measurements.cel-json

# st OUT ARGS...: prodgate status --json with the synthetic boot's files.
st() {
        local out=$1
        shift
        "$tool" status --json --manifest m.pgm --trust rel.pub --eventlog "$fw" --log "$cel" \
                "$@" > "$out" 2> "$out.err"
        rc=$?
}
# q JSON FILTER
q() { jq -r "$2" "$1"; }

# ---- verified ------------------------------------------------------------

st ok.json --handoff "$var" --tcti "$swtpm_tcti"
same "verified exits 0" "$rc" 0
same "verified verdict" "$(q ok.json '.cross_check | "\(.verdict) \(.reason) \(.results_source)"')" \
        "verified null variable"
same "verified gate 1" "$(q ok.json '.gates[0].outcome')" pass
same "verified gate 10 finding" "$(q ok.json '.gates[9].objectives[1].reason')" \
        PG_ERR_DECIDE_NOT_COVERED
same "TPM value reported" "$(q ok.json '.cross_check.tpm.sha256')" "$(pcr13)"
same "replay equals TPM" "$(q ok.json '.cross_check.replay_sha256')" "$(pcr13)"
same "runtime check judged" "$(q ok.json '.checks[0].outcome')" pass

TPM2TOOLS_TCTI=$swtpm_tcti st env.json --handoff "$var"
same "TPM2TOOLS_TCTI honoured" "$(q env.json '.cross_check | "\(.verdict) \(.tcti)"')" \
        "verified $swtpm_tcti"
TSS2_TCTI=$swtpm_tcti st env2.json --handoff "$var"
same "TSS2_TCTI honoured" "$(q env2.json '.cross_check.verdict')" verified

"$tool" status --manifest m.pgm --trust rel.pub --eventlog "$fw" --log "$cel" --handoff "$var" \
        --tcti "$swtpm_tcti" --color never > ok.txt 2>&1
same "table has the cross-check" "$(grep -c '^cross-check: verified' ok.txt)" 1

# ---- tampered variable: results from the measured event -------------------

cp "$var" altered.var
# eval-time-us of the blob (4 bytes of attributes first): still a valid blob.
printf '\x77' | dd of=altered.var bs=1 seek=$((4 + 0xcf)) conv=notrunc status=none
"$tool" handoff show altered.var > /dev/null 2>&1
same "altered variable is still a valid blob" "$?" 0
st alt.json --handoff altered.var --tcti "$swtpm_tcti"
same "altered verdict" "$(q alt.json '.cross_check | "\(.verdict) \(.reason) \(.results_source)"')" \
        "tampered PG_ERR_XCHECK_HANDOFF_ALTERED eventlog"
same "altered: gate 1 from the log copy" "$(q alt.json '.gates[0].outcome')" pass
same "altered: handoff used" "$(q alt.json '.handoff.used')" true
same "altered: gate 10 fails" "$(q alt.json '.gates[9] | "\(.outcome) \(.reason)"')" \
        "fail PG_ERR_XCHECK_HANDOFF_ALTERED"
same "altered: finding in security findings" \
        "$(q alt.json '.gates[9].objectives[1] | "\(.outcome) \(.reason) \(.source)"')" \
        "fail PG_ERR_XCHECK_HANDOFF_ALTERED runtime"

# A variable rewritten to claim a failed boot is still judged by the log.
head -c 200 "$var" > short.var
st short.json --handoff short.var --tcti "$swtpm_tcti"
same "truncated variable" "$(q short.json '.cross_check.verdict') $(q short.json '.gates[1].outcome')" \
        "tampered pass"

# ---- missing -------------------------------------------------------------

st del.json --handoff "$work/none.var" --tcti "$swtpm_tcti"
same "deleted verdict" "$(q del.json '.cross_check | "\(.verdict) \(.reason) \(.results_source)"')" \
        "missing PG_ERR_XCHECK_HANDOFF_DELETED eventlog"
same "deleted: gate 10 degraded" "$(q del.json '.gates[9].objectives[1].outcome')" degraded
same "deleted: gate 1 from the log copy" "$(q del.json '.gates[0].outcome')" pass

head -c 65 "$fw" > specid-only.bin
"$tool" status --json --manifest m.pgm --trust rel.pub --eventlog specid-only.bin --log "$cel" \
        --handoff "$var" --tcti "$swtpm_tcti" > noev.json 2>/dev/null
same "no events exits 1" "$?" 1
same "no events verdict" "$(q noev.json '.cross_check | "\(.verdict) \(.reason)"')" \
        "missing PG_ERR_XCHECK_NO_EVENTS"
same "no events: gate 1 unknown" "$(q noev.json '.gates[0] | "\(.outcome) \(.reason)"')" \
        "unknown PG_ERR_XCHECK_NO_EVENTS"

# ---- no TPM --------------------------------------------------------------

st notpm.json --handoff "$var" --tcti "swtpm:path=$work/no-such.sock"
same "no TPM exits 1 (not ready)" "$rc" 1
same "no TPM verdict" "$(q notpm.json '.cross_check | "\(.verdict) \(.reason)"')" \
        "unavailable PG_ERR_XCHECK_TPM_UNAVAILABLE"
same "no TPM: gate 1 unknown" "$(q notpm.json '.gates[0] | "\(.outcome) \(.reason)"')" \
        "unknown PG_ERR_XCHECK_TPM_UNAVAILABLE"
same "no TPM: runtime check still judged" "$(q notpm.json '.checks[0].outcome')" pass
same "no TPM: nothing on stderr but tpm2-tss's silence" "$(wc -c < notpm.json.err)" 0

mkdir -p fixture
st rootnotpm.json --root fixture --handoff "$var"
same "--root without a TCTI" "$(q rootnotpm.json '.cross_check.reason')" \
        PG_ERR_XCHECK_NO_TPM_CONFIGURED
st noboot.json --root fixture --eventlog "$work/none.bin"
same "no handoff, no log" "$(q noboot.json '.cross_check | "\(.verdict) \(.reason)"')" \
        "missing PG_ERR_DECIDE_NO_HANDOFF"

# ---- measure -------------------------------------------------------------

before=$(pcr13)
"$tool" measure --json --manifest m.pgm --trust rel.pub --eventlog "$fw" --log "$cel" \
        --handoff "$var" --tcti "$swtpm_tcti" > m1.json 2> m1.err
same "measure exits 0" "$?" 0
same "measure reports record 0" "$(grep -c 'record 0 appended' m1.err)" 1
same "one record" "$(tr -cd '\036' < "$cel" | wc -c)" 1
same "record framing" "$(head -c 1 "$cel" | od -An -tx1 | tr -d ' ')" 1e
same "PCR 13 extended" "$([ "$(pcr13)" != "$before" ] && echo yes)" yes
"$tool" measure --manifest m.pgm --trust rel.pub --eventlog "$fw" --log "$cel" \
        --handoff "$var" --tcti "$swtpm_tcti" --color never > m2.txt 2> m2.err
same "second measure exits 0" "$?" 0
same "recnum continues" "$(tr -d '\036' < "$cel" | jq -r '.recnum' | tr '\n' ' ')" "0 1 "
same "record pcr and type" "$(tr -d '\036' < "$cel" | jq -r '"\(.pcr) \(.content_type)"' | sort -u)" \
        "13 prodgate"
same "record cross-check" "$(tr -d '\036' < "$cel" | jq -r '.content.cross_check' | sort -u)" \
        verified

# The replay of both logs, computed independently: firmware digests, then
# each record's sha256 digest, and each digest the hash of its tagged content.
replay=$(python3 - "$cel" boot/digests <<'PY'
import hashlib, json, struct, sys
pcr = bytes(32)
for d in open(sys.argv[2]).read().split():
    pcr = hashlib.sha256(pcr + bytes.fromhex(d)).digest()
for rec in open(sys.argv[1], "rb").read().split(b"\x1e")[1:]:
    line = rec.decode()
    content = line[line.index('"content":') + len('"content":'):].rstrip("\n")[:-1]
    tagged = struct.pack("<II", 0x50470003, len(content)) + content.encode()
    digest = json.loads(line)["digests"][0]["digest"]
    assert hashlib.sha256(tagged).hexdigest() == digest, "record digest"
    pcr = hashlib.sha256(pcr + bytes.fromhex(digest)).digest()
print(pcr.hex())
PY
)
same "PCR 13 equals the replay of both logs" "$(pcr13)" "$replay"
st after.json --handoff "$var" --tcti "$swtpm_tcti"
same "status after measure" "$(q after.json '.cross_check | "\(.verdict) \(.userspace_records)"')" \
        "verified 2"

# A run that stopped between its append and its extend: the record is
# tolerated, and the next measure extends it before its own.
rec1=$(tail -n 1 "$cel" | tr -d '\036' | jq -c '.recnum = 2')
printf '\036%s\n' "$rec1" >> "$cel"
st pending.json --handoff "$var" --tcti "$swtpm_tcti"
same "pending record tolerated" "$(q pending.json '.cross_check | "\(.verdict) \(.detail)"')" \
        "verified the last userspace record was appended but never extended"
"$tool" measure --manifest m.pgm --trust rel.pub --eventlog "$fw" --log "$cel" \
        --handoff "$var" --tcti "$swtpm_tcti" > /dev/null 2> m3.err
same "measure after a pending record" "$(grep -c 'record 3 appended' m3.err)" 1
st rolled.json --handoff "$var" --tcti "$swtpm_tcti"
same "pending record rolled forward" "$(q rolled.json '.cross_check | "\(.verdict) \(.detail)"')" \
        "verified null"

# Measure without a TPM changes nothing.
size=$(wc -c < "$cel")
"$tool" measure --manifest m.pgm --trust rel.pub --eventlog "$fw" --log "$cel" \
        --handoff "$var" --tcti "swtpm:path=$work/no-such.sock" > /dev/null 2>&1
same "measure without TPM exits 3" "$?" 3
same "log unchanged" "$(wc -c < "$cel")" "$size"
"$tool" measure --root fixture --manifest m.pgm --trust rel.pub > /dev/null 2>&1
same "measure --root exits 2" "$?" 2

# ---- PCR mismatch --------------------------------------------------------

TPM2TOOLS_TCTI=$swtpm_tcti tpm2_pcrextend "13:sha256=$(printf '%064x' 1)"
st mm.json --handoff "$var" --tcti "$swtpm_tcti"
same "mismatch exits 1" "$rc" 1
same "mismatch verdict" "$(q mm.json '.cross_check | "\(.verdict) \(.reason) \(.results_source)"')" \
        "tampered PG_ERR_XCHECK_PCR_MISMATCH null"
same "mismatch names the PCR" "$(q mm.json '.cross_check.detail' | grep -c '^PCR 13 sha256: TPM ')" 1
same "mismatch: gate 1 unknown" "$(q mm.json '.gates[0] | "\(.outcome) \(.reason)"')" \
        "unknown PG_ERR_XCHECK_PCR_MISMATCH"
same "mismatch: gate 10 fails" "$(q mm.json '.gates[9] | "\(.outcome) \(.reason)"')" \
        "fail PG_ERR_XCHECK_PCR_MISMATCH"

# ---- broken userspace log --------------------------------------------------

cp "$cel" broken.cel
printf '\036{"recnum":9}\n' >> broken.cel
"$tool" status --json --manifest m.pgm --trust rel.pub --eventlog "$fw" --log broken.cel \
        --handoff "$var" --tcti "$swtpm_tcti" > broken.json 2>/dev/null
same "broken log verdict" "$(q broken.json '.cross_check | "\(.verdict) \(.reason)"')" \
        "tampered PG_ERR_XCHECK_CEL_INVALID"
same "broken log detail" "$(q broken.json '.cross_check.detail' | sed 's/.*: //')" \
        PG_ERR_CEL_MISSING_MEMBER
"$tool" measure --manifest m.pgm --trust rel.pub --eventlog "$fw" --log broken.cel \
        --handoff "$var" --tcti "$swtpm_tcti" > /dev/null 2> broken.err
same "measure refuses a broken log" "$?" 3
same "measure names the fault" "$(grep -c PG_ERR_CEL_MISSING_MEMBER broken.err)" 1

# ---- identity event naming another manifest --------------------------------

# A fresh TPM whose identity event names a manifest other than the blob's.
swtpm_stop
if swtpm_start tpm2 && preos_measure boot/handoff.dtb other-boot "$(printf '%064x' 7)" \
        "$(printf '%064x' 8)"; then
        "$tool" status --json --manifest m.pgm --trust rel.pub --eventlog other-boot/fw.bin \
                --log "$work/none.cel" --handoff "$var" --tcti "$swtpm_tcti" > ident.json 2>/dev/null
        same "identity mismatch: gate 1" "$(q ident.json '.gates[0] | "\(.outcome) \(.reason)"')" \
                "unknown PG_ERR_XCHECK_EVENT_MALFORMED"
else
        same "second swtpm boot" no yes
fi

summary
