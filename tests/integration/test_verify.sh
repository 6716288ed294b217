#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# prodgate verify against real quotes of a private swtpm. lib_swtpm.sh
# builds the pre-OS part of a boot (a firmware log with prodgate's two
# tagged events, the handoff variable, PCR 13 extended with the same
# digests); prodgate measure adds runtime records to a userspace log and
# extends PCR 13 again. Attestation keys made with tpm2_createek and
# tpm2_createak (RSASSA, RSAPSS, ECDSA) quote PCRs 0 and 13 over a nonce.
# prodgate verify and tpm2_checkquote must agree on each quote; a wrong
# nonce, a reordered log, a dropped event, a forged runtime record and a
# wrong attestation key each fail with their own reason.
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

for t in swtpm tpm2_createak tpm2_quote tpm2_checkquote jq python3 dtc; do
        command -v $t >/dev/null || { same "$t installed" no yes; summary; }
done

# ---- a measured boot -------------------------------------------------------

openssl genrsa -out other.pem 2048 2>/dev/null
openssl rsa -in other.pem -pubout -out other.pub 2>/dev/null
sign_test_manifest "$tool" m.pgm
same "manifest signed" "$?" 0

if ! swtpm_start tpm; then
        same "swtpm starts" no yes
        summary
fi
export TPM2TOOLS_TCTI=$swtpm_tcti
if ! preos_boot "$tool" m.pgm rel.pub "$root/tests/fuzz/seeds/handoff/example.dtb" boot; then
        same "synthetic boot" no yes
        summary
fi
fw=boot/fw.bin
cel=$work/measurements.cel-json
for i in 1 2; do
        "$tool" measure --manifest m.pgm --trust rel.pub --eventlog "$fw" --log "$cel" \
                --handoff boot/handoff.var --tcti "$swtpm_tcti" > measure$i.out 2>&1
        same "prodgate measure $i ran" "$?" 0
done
same "two runtime records" "$(grep -c $'^\x1e' "$cel")" 2

# flush: without a resource manager, transient objects and sessions stay
# loaded in swtpm until flushed.
flush() { tpm2_flushcontext -t >/dev/null 2>&1; tpm2_flushcontext -s >/dev/null 2>&1; }
keys_ok=1
tpm2_createek -c ek.ctx -G rsa -u ek.pub >/dev/null && flush &&
tpm2_createak -C ek.ctx -c rsa.ctx -G rsa -g sha256 -s rsassa -u rsa.tpm -n rsa.name \
        >/dev/null && flush &&
tpm2_createak -C ek.ctx -c pss.ctx -G rsa -g sha256 -s rsapss -u pss.tpm -n pss.name \
        >/dev/null && flush &&
tpm2_createek -c ekc.ctx -G ecc -u ekc.pub >/dev/null && flush &&
tpm2_createak -C ekc.ctx -c ecc.ctx -G ecc -g sha256 -s ecdsa -u ecc.tpm -n ecc.name \
        >/dev/null && flush || keys_ok=0
for k in rsa pss ecc; do
        tpm2_readpublic -c $k.ctx -f pem -o $k.pem >/dev/null 2>&1 && flush || keys_ok=0
done
same "attestation keys created" "$keys_ok" 1
[ "$keys_ok" = 1 ] || summary

nonce=$(openssl rand -hex 16)
# quote KEY [SCHEME]: KEY.msg, KEY.sig, KEY.pcrs over PCRs 0 and 13 and the nonce.
quote() {
        tpm2_quote -c "$1.ctx" -l sha256:0,13 -q "$nonce" -m "$1.msg" -s "$1.sig" \
                -o "$1.pcrs" -g sha256 ${2:+--scheme "$2"} >/dev/null 2>&1
        local rc=$?
        flush
        return $rc
}
quote rsa && quote ecc && quote pss rsapss
same "quotes made" "$?" 0

# v OUT KEY-FILE QUOTE [ARGS...]: prodgate verify --json; status in $rc.
v() {
        local out=$1 ak=$2 q=$3
        shift 3
        "$tool" verify --json --quote-msg "$q.msg" --quote-sig "$q.sig" --ak "$ak" \
                --nonce "$nonce" --eventlog "$fw" --userspace-log "$cel" --trust rel.pub \
                "$@" > "$out" 2> "$out.err"
        rc=$?
}
q() { jq -r "$2" "$1"; }
# cq KEY-FILE QUOTE [NONCE]: tpm2_checkquote's exit status.
cq() {
        tpm2_checkquote -u "$1" -m "$2.msg" -s "$2.sig" -f "$2.pcrs" -g sha256 \
                -q "${3:-$nonce}" >/dev/null 2>&1
        echo $?
}

# ---- verified --------------------------------------------------------------

for k in rsa ecc; do
        for form in pem tpm; do
                v ok-$k-$form.json $k.$form $k --manifest m.pgm
                same "$k $form verified, ready" "$rc $(q ok-$k-$form.json .verdict)" "0 verified"
        done
        same "$k: tpm2_checkquote agrees" "$(cq $k.pem $k)" 0
done
v ok-pss.json pss.tpm pss --manifest m.pgm
same "rsapss verified" "$rc $(q ok-pss.json '.quote.signature')" "0 rsapss-sha256"
ok=ok-rsa-tpm.json
same "every step passes" "$(q $ok '[.steps[].result] | unique | join(",")')" pass
same "step names" "$(q $ok '[.steps[].name] | join(" ")')" \
        "attestation-key signature quote nonce firmware-log userspace-log event-order manifest-identity pre-os-results runtime-results pcr-digest"
same "replayed PCR 13 is the TPM's" "$(q $ok .quote.gates_pcr_sha256)" "$(pcr13)"
same "quoted PCRs" "$(q $ok '.quote.pcrs | join(",")')" "0,13"
same "gate 1 from the handoff event" "$(q $ok '.gates[0].outcome')" pass
same "gate 3 from the runtime record" "$(q $ok '.gates[2].outcome')" \
        "$(tail -n 1 "$cel" | tr -d '\036' | jq -r '.content.gates[0].outcome')"
same "runtime records" "$(q $ok '.runtime | "\(.records) \(.used)"')" "2 true"
same "identity" "$(q $ok '.manifest | "\(.svn) \(.key_role) \(.file_checked)"')" \
        "42 release true"
same "policy from the manifest" "$(q $ok '.decisions | "\(.policy) \(.production_readiness.met)"')" \
        "manifest true"
v default.json rsa.tpm rsa
same "default policy: verified, not ready" "$rc $(q default.json .decisions.policy)" "1 default"

"$tool" verify --format ear --quote-msg rsa.msg --quote-sig rsa.sig --ak rsa.tpm \
        --nonce "$nonce" --eventlog "$fw" --userspace-log "$cel" --trust rel.pub \
        --manifest m.pgm > ear.json
same "EAR exits 0" "$?" 0
same "EAR profile" "$(q ear.json .eat_profile)" "tag:github.com,2023:veraison/ear"
same "EAR status is the trust tier" "$(q ear.json '.submods.prodgate."ear.status"')" \
        "$(q $ok .decisions.trust_tier.name)"
same "EAR executables from gates 1 and 2" \
        "$(q ear.json '.submods.prodgate."ear.trustworthiness-vector".executables')" 2
same "EAR instance identity" \
        "$(q ear.json '.submods.prodgate."ear.trustworthiness-vector"."instance-identity"')" 2

"$tool" verify --quote-msg rsa.msg --quote-sig rsa.sig --ak rsa.tpm --nonce "$nonce" \
        --eventlog "$fw" --userspace-log "$cel" --trust rel.pub > text.out
same "text output" "$(head -n 1 text.out)" "verdict: verified"

# ---- failures ----------------------------------------------------------------

# fails NAME OUT REASON: exit 4, verdict failed, the first reason as expected.
fails() {
        same "$1" "$rc $(q "$2" .verdict) $(q "$2" .reason)" "4 failed $3"
        same "$1: no gate passes" "$(q "$2" '[.gates[].outcome] | unique | join(",")')" \
                unknown
}

other=$(openssl rand -hex 16)
"$tool" verify --json --quote-msg rsa.msg --quote-sig rsa.sig --ak rsa.tpm --nonce "$other" \
        --eventlog "$fw" --userspace-log "$cel" --trust rel.pub > nonce.json
rc=$?
fails "wrong nonce" nonce.json PG_ERR_VERIFY_NONCE_MISMATCH
same "wrong nonce: tpm2_checkquote agrees" "$(cq rsa.pem rsa "$other")" 1

v wrongak.json ecc.pem rsa
fails "wrong attestation key type" wrongak.json PG_ERR_VERIFY_SIG_SCHEME
v wrongak2.json pss.pem rsa
fails "wrong RSA attestation key" wrongak2.json PG_ERR_VERIFY_SIG_INVALID
same "wrong AK: tpm2_checkquote agrees" "$(cq pss.pem rsa)" 1

# The firmware log's records: the Spec ID event, then the two tagged events.
python3 - "$fw" <<'PY'
import struct, sys
log = open(sys.argv[1], "rb").read()
n = 32 + struct.unpack_from("<I", log, 28)[0]
head, recs, p = log[:n], [], n
while p < len(log):
    size = struct.unpack_from("<I", log, p + 12 + 2 + 32)[0]
    end = p + 12 + 2 + 32 + 4 + size
    recs.append(log[p:end])
    p = end
open("reordered.bin", "wb").write(head + recs[1] + recs[0])
open("dropped.bin", "wb").write(head + recs[0])
PY
v reorder.json rsa.tpm rsa --eventlog reordered.bin
fails "reordered firmware log" reorder.json PG_ERR_VERIFY_EVENT_ORDER
v drop.json rsa.tpm rsa --eventlog dropped.bin
fails "dropped pre-OS event" drop.json PG_ERR_VERIFY_NO_PREOS

head -n 1 "$cel" > one.cel
v dropcel.json rsa.tpm rsa --userspace-log one.cel
fails "dropped runtime record" dropcel.json PG_ERR_VERIFY_PCR_DIGEST_MISMATCH

# A forged runtime record: gate 3 rewritten to pass, with and without the
# digest that matches the new content.
python3 - "$cel" <<'PY'
import hashlib, json, re, struct, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
rec = json.loads(lines[-1][1:])
content = json.dumps(rec["content"], separators=(",", ":"))
g = rec["content"]["gates"][0]
forged = content.replace('{"id":3,"outcome":"%s","reason":%d' % (g["outcome"], g["reason"]),
                         '{"id":3,"outcome":"pass","reason":0', 1)
for o in g["objectives"]:
    forged = forged.replace('{"outcome":"%s","reason":%d}' % (o["outcome"], o["reason"]),
                            '{"outcome":"pass","reason":0}', 1)
digest = hashlib.sha256(struct.pack("<II", 0x50470003, len(forged)) + forged.encode()).hexdigest()
def record(d):
    return ('\x1e{"recnum":%d,"pcr":13,"digests":[{"hashAlg":"sha256","digest":"%s"}],'
            '"content_type":"prodgate","content":%s}\n' % (rec["recnum"], d, forged)).encode()
prefix = b"\n".join(lines[:-1]) + b"\n"
open("forged.cel", "wb").write(prefix + record(digest))
open("forged-nodigest.cel", "wb").write(prefix + record(rec["digests"][0]["digest"]))
PY
# The PCR values file, as tpm2_quote -F values writes it, from a second quote.
tpm2_quote -c rsa.ctx -l sha256:0,13 -q "$nonce" -m rsav.msg -s rsav.sig -o rsav.values \
        -F values -g sha256 >/dev/null 2>&1
same "quote with a values file made" "$?" 0
flush
v values.json rsa.tpm rsav --quote-pcrs rsav.values --manifest m.pgm
same "values file: verified" "$rc $(q values.json .verdict)" "0 verified"
head -c 40 rsav.values > short.values
v short-values.json rsa.tpm rsav --quote-pcrs short.values
fails "values file of the wrong length" short-values.json PG_ERR_VERIFY_QUOTE_PCRS_LENGTH
cp rsav.values bad.values
printf '\x5a' | dd of=bad.values bs=1 seek=5 conv=notrunc status=none
v bad-values.json rsa.tpm rsav --quote-pcrs bad.values
fails "values file not the quoted one" bad-values.json PG_ERR_VERIFY_QUOTE_PCRS_DIGEST
v drop-values.json rsa.tpm rsav --quote-pcrs rsav.values --userspace-log one.cel
fails "values file names the differing PCR" drop-values.json PG_ERR_VERIFY_PCR_DIGEST_MISMATCH
same "values file: the PCR digest step names PCR 13" \
        "$(q drop-values.json '.steps[] | select(.name == "pcr-digest") | .detail' | cut -c1-7)" \
        "PCR 13:"

v forged.json rsa.tpm rsa --userspace-log forged.cel
fails "forged runtime record" forged.json PG_ERR_VERIFY_PCR_DIGEST_MISMATCH
v forged2.json rsa.tpm rsa --userspace-log forged-nodigest.cel
fails "forged runtime record, old digest" forged2.json PG_ERR_VERIFY_CEL_INVALID

v untrusted.json rsa.tpm rsa
"$tool" verify --json --quote-msg rsa.msg --quote-sig rsa.sig --ak rsa.tpm --nonce "$nonce" \
        --eventlog "$fw" --userspace-log "$cel" --trust other.pub > untrusted.json
rc=$?
fails "untrusted manifest key" untrusted.json PG_ERR_VERIFY_UNTRUSTED_KEY
v svn.json rsa.tpm rsa --min-svn 43
fails "SVN below the minimum" svn.json PG_ERR_VERIFY_SVN_TOO_LOW

cp rsa.msg bad.msg
printf '\x00' | dd of=bad.msg bs=1 seek=0 conv=notrunc status=none
cp rsa.sig bad.sig
v magic.json rsa.tpm bad
fails "broken magic" magic.json PG_ERR_VERIFY_SIG_INVALID
same "broken magic: quote step names the field" \
        "$(q magic.json '.steps[] | select(.name == "quote") | .reason')" PG_ERR_ATTEST_BAD_MAGIC

# An unrestricted signing key can sign anything that looks like a quote.
tpm2_createprimary -C o -c prim.ctx >/dev/null 2>&1 && flush &&
tpm2_create -C prim.ctx -G rsa2048:rsassa-sha256:null -u unr.pub -r unr.priv \
        -a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign" >/dev/null 2>&1 &&
flush && tpm2_load -C prim.ctx -u unr.pub -r unr.priv -c unr.ctx >/dev/null 2>&1 && flush &&
quote unr
same "unrestricted key quoted" "$?" 0
v unr.json unr.pub unr
fails "unrestricted attestation key" unr.json PG_ERR_VERIFY_AK_NOT_RESTRICTED

"$tool" verify --quote-msg rsa.msg --quote-sig rsa.sig --ak rsa.tpm --nonce "$nonce" \
        --eventlog "$fw" > /dev/null 2>&1
same "no --trust exits 2" "$?" 2
"$tool" verify --quote-msg rsa.msg --quote-sig rsa.sig --ak rsa.tpm --nonce xyz \
        --eventlog "$fw" --trust rel.pub > /dev/null 2>&1
same "bad nonce exits 2" "$?" 2
"$tool" verify --quote-msg none.msg --quote-sig rsa.sig --ak rsa.tpm --nonce "$nonce" \
        --eventlog "$fw" --trust rel.pub > /dev/null 2>&1
same "missing file exits 3" "$?" 3

# ---- predict -------------------------------------------------------------------

"$tool" predict --manifest m.pgm --trust rel.pub --json > pred-id.json
same "predict without a blob exits 0" "$?" 0
same "predict without a blob: no pre-OS value" "$(q pred-id.json '.pre_os')" null

# A manifest whose runtime checks cover every runtime objective, and a blob
# that passes every pre-OS objective: the boot and the runtime measurement
# then pass fully, which is what predict claims to predict.
python3 - <<'PY'
gates = ["runtime-security", "platform-configuration", "network-security",
         "application-exposure", "privacy-controls", "device-management",
         "update-integrity", "security-monitoring"]
objectives = {"platform-configuration": [1], "update-integrity": [0]}
checks = ""
for g in gates:
    for o in objectives.get(g, [0, 1, 2]):
        checks += ('\t\t%s-%d {\n\t\t\tgate = "%s";\n\t\t\tobjective = <%d>;\n'
                   '\t\t\tkind = "file-present";\n\t\t\tparameters = "path=/proc", '
                   '"type=directory";\n\t\t\tseverity = "fail";\n\t\t\tremediation = '
                   '"Mount /proc.";\n\t\t};\n') % (g, o, g, o)
dts = open("m.dts").read()
head = dts[:dts.index("\truntime-checks {")]
open("m2.dts", "w").write(head + "\truntime-checks {\n" + checks + "\t};\n};\n")
PY
"$tool" manifest sign --key rel.pem -o m2.pgm m2.dts > sign2.log 2>&1
same "fully covered manifest signed" "$?" 0
manifest_ids "$tool" m2.pgm rel.pub
dtc -I dtb -O dts -o blob.dts "$root/tests/fuzz/seeds/handoff/example.dtb" 2>/dev/null
python3 - "$manifest_digest" <<'PY'
import re, sys
d = sys.argv[1]
s = open("blob.dts").read()
cells = " ".join("0x" + d[i:i + 8] for i in range(0, 64, 8))
s = re.sub(r"(manifest \{\s*digest = <)[^>]*>", r"\g<1>" + cells + ">", s)
# gate 4, objective 2 (controlled platform state) passes before the OS.
g4 = s.index("gate-4 {")
o2 = s.index("objective-2 {", g4)
end = s.index("};", o2)
s = s[:o2] + "objective-2 {\n\t\t\t\toutcome = <0x00>;\n\t\t\t\treason = <0x00>;\n\t\t\t" + s[end:]
open("pass.dts", "w").write(s)
PY
dtc -I dts -O dtb -o pass.dtb pass.dts 2>/dev/null
"$tool" handoff show pass.dtb > /dev/null 2>&1
same "passing blob is valid" "$?" 0
{ printf '\x06\x00\x00\x00'; cat pass.dtb; } > pass.var

"$tool" predict --manifest m2.pgm --trust rel.pub --handoff pass.dtb --json > pred.json
same "predict with a blob exits 0" "$?" 0

# Every active bank: tpm2_pcrevent hashes each event as prodgate.efi's
# HashLogExtendEvent does, into the resettable PCR 16.
python3 - "$manifest_digest" "$manifest_keyid" <<'PY'
import struct, sys
ident = bytes.fromhex(sys.argv[1]) + bytes.fromhex(sys.argv[2]) + struct.pack("<II", 42, 0)
open("ident.ev", "wb").write(struct.pack("<II", 0x50470001, len(ident)) + ident)
blob = open("pass.dtb", "rb").read()
open("blob.ev", "wb").write(struct.pack("<II", 0x50470002, len(blob)) + blob)
PY
pcr16() {
        tpm2_pcrread "$1:16" | sed -nE 's/^ *16 *: *0x([0-9A-Fa-f]+)$/\1/p' | tr 'A-F' 'a-f'
}
tpm2_pcrreset 16 >/dev/null && tpm2_pcrevent 16 ident.ev >/dev/null
same "PCR 16 extended with the identity" "$?" 0
banks=$(tpm2_getcap pcrs | sed -nE 's/^ *- (sha1|sha256|sha384|sha512): \[ *[0-9].*/\1/p')
for b in $banks; do
        same "identity, $b bank" "$(pcr16 $b)" "$(q pred.json ".identity.$b")"
done
tpm2_pcrevent 16 blob.ev > /dev/null
for b in $banks; do
        same "pre-OS results, $b bank" "$(pcr16 $b)" "$(q pred.json ".pre_os.$b")"
done
same "identity prediction needs no blob" "$(q pred.json .identity.sha256)" \
        "$("$tool" predict --manifest m2.pgm --trust rel.pub --json | jq -r .identity.sha256)"

# The gates PCR itself after a TPM reset, the two firmware events and one
# prodgate measure.
if swtpm_ioctl --unix "$swtpm_sock.ctrl" -i && tpm2_startup -c; then
        preos_measure pass.dtb boot2 "$manifest_digest" "$manifest_keyid"
        same "PCR 13 after the pre-OS events" "$(pcr13)" "$(q pred.json .pre_os.sha256)"
        "$tool" measure --json --manifest m2.pgm --trust rel.pub --eventlog boot2/fw.bin \
                --log cel2 --handoff pass.var --tcti "$swtpm_tcti" > measure2.json 2>/dev/null
        same "fully passing measure exits 0" "$?" 0
        same "fully passing evaluation" \
                "$(jq -r '[.gates[].outcome] | unique | join(",")' measure2.json)" \
                "not-applicable,pass"
        same "runtime record as predicted" "$(tr -d '\036' < cel2 | jq -c .content)" \
                "$(q pred.json .runtime.record | jq -c .)"
        same "PCR 13 after the runtime measurement" "$(pcr13)" "$(q pred.json .runtime.sha256)"
else
        same "TPM reset for the predict check" no yes
fi

summary
