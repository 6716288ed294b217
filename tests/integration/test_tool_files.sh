#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The prodgate tool's handling of files, arguments and keys: outputs that
# name an input, outputs that are FIFOs, symlinks or folders, half-written
# output pairs, --index and argument order, standard input for handoff show,
# encrypted and RSA-PSS keys, keys given twice, and what `manifest show`
# prints and checks with --trust.
#
# Needs PG_TOOL (the prodgate binary); ends with "N passed, N failed".
set -u

tool=${PG_TOOL:?set PG_TOOL to the prodgate binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
example=$root/docs/examples/manifest.dts
seed=$root/tests/fuzz/seeds/handoff/example.dtb
work=$(mktemp -d)
reader=
cleanup() {
        [ -z "$reader" ] || kill "$reader" 2>/dev/null
        rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1

. "$root/tests/integration/lib_report.sh"

# check NAME COMMAND...: COMMAND must succeed.
check() {
        local name=$1
        shift
        if "$@" >/dev/null 2>&1; then report ok "$name"; else report fail "$name"; fi
}

openssl genrsa -out rel.pem 2048 2>/dev/null
openssl rsa -in rel.pem -pubout -out rel.pub 2>/dev/null
openssl genrsa -out dev.pem 2048 2>/dev/null
openssl rsa -in dev.pem -pubout -out dev.pub 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass pass:secret \
        -out enc.pem 2>/dev/null
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out rsapss.pem 2>/dev/null
dtc -q -I dts -O dtb -o example.dtb "$example"
cp "$example" example.dts
"$tool" manifest sign --key rel.pem -o good.pgm example.dtb >/dev/null 2>&1

# ---- outputs that name an input ----------------------------------------------

cp example.dtb in.dtb
expect "sign -o the payload .dtb" 2 "names the input file" \
        "$tool" manifest sign --key rel.pem -o in.dtb in.dtb
check "payload .dtb kept" cmp in.dtb example.dtb
expect "sign -o the payload .dts" 2 "names the input file" \
        "$tool" manifest sign --key rel.pem -o example.dts example.dts
check "payload .dts kept" cmp example.dts "$example"
cp rel.pem key-copy.pem
expect "sign -o the private key" 2 "names the input file key-copy.pem" \
        "$tool" manifest sign --key key-copy.pem -o key-copy.pem example.dtb
check "private key kept" cmp key-copy.pem rel.pem
ln -s in.dtb link.dtb
expect "sign -o a symlink to the payload" 2 "names the input file" \
        "$tool" manifest sign --key rel.pem -o link.dtb in.dtb
cp good.pgm m.pgm
expect "extract --payload the manifest" 2 "nothing written" \
        "$tool" manifest extract --payload m.pgm m.pgm
check "manifest kept" cmp m.pgm good.pgm
expect "extract --signature the manifest" 2 "nothing written" \
        "$tool" manifest extract --signature m.pgm m.pgm
check "manifest kept after --signature" cmp m.pgm good.pgm
expect "extract payload and signature to one file" 2 "nothing written" \
        "$tool" manifest extract --payload both.bin --signature both.bin good.pgm
expect "extract wrote nothing" 1 "" test -e both.bin

# ---- --index -----------------------------------------------------------------

expect "extract --index not a number" 2 "--index abc" \
        "$tool" manifest extract --signature s.bin --index abc good.pgm
expect "extract --index hex" 2 "--index 0x1" \
        "$tool" manifest extract --signature s.bin --index 0x1 good.pgm
expect "extract --index negative" 2 "--index -1" \
        "$tool" manifest extract --signature s.bin --index -1 good.pgm
expect "extract --index past the cap" 2 "0 to 3" \
        "$tool" manifest extract --signature s.bin --index 4 good.pgm
expect "extract --index without --signature" 2 "give --signature" \
        "$tool" manifest extract --payload p.bin --index 0 good.pgm
expect "extract one signature, singular" 2 "has 1 signature, so there is no index 1" \
        "$tool" manifest extract --signature s.bin --index 1 good.pgm
expect "extract --index 0" 0 "" "$tool" manifest extract --signature s.bin --index 0 good.pgm

# ---- half-written pairs, special files, folders --------------------------------

expect "extract second output fails" 3 "cannot write missing/s.bin" \
        "$tool" manifest extract --payload half.bin --signature missing/s.bin good.pgm
expect "extract leaves no first output" 1 "" test -e half.bin
mkfifo pipe
timeout 10 cat pipe > from-pipe &
reader=$!
expect "extract --payload into a FIFO" 0 "" "$tool" manifest extract --payload pipe good.pgm
wait "$reader"
reader=
check "FIFO stays a FIFO" test -p pipe
check "FIFO reader got the payload" cmp from-pipe example.dtb
ln -s /proc/self/fd/1 out-link
"$tool" manifest extract --payload out-link good.pgm > redirected.bin 2>/dev/null
check "symlink to stdout stays a link" test -L out-link
check "symlink to stdout writes the file" cmp redirected.bin example.dtb
: > target.bin
ln -s target.bin file-link
"$tool" manifest extract --payload file-link good.pgm >/dev/null 2>&1
check "symlink to a file stays a link" test -L file-link
check "symlink to a file writes the file" cmp target.bin example.dtb
mkdir folder
expect "extract into a folder" 3 "cannot write folder: Is a directory" \
        "$tool" manifest extract --payload folder good.pgm
expect "sign into a folder" 3 "cannot write folder: Is a directory" \
        "$tool" manifest sign --key rel.pem -o folder example.dtb
expect "verify a folder" 3 "cannot read folder: Is a directory" \
        "$tool" manifest verify --trust rel.pub folder
expect "handoff show a folder" 3 "cannot read folder: Is a directory" \
        "$tool" handoff show folder
expect "handoff show still reads the seed" 0 "handoff blob" "$tool" handoff show "$seed"
out=$("$tool" handoff show - < "$seed" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && grep -qF "handoff blob: (stdin) (2668 bytes" <<<"$out"; then
        report ok "handoff show - reads stdin"
else
        report fail "handoff show - reads stdin: exit $rc" "$out"
fi
out=$(head -c 100 "$seed" | "$tool" handoff show - 2>&1)
rc=$?
if [ "$rc" -eq 3 ] && grep -qF "(stdin): PG_ERR_HANDOFF_TRUNCATED" <<<"$out"; then
        report ok "handoff show - truncated stdin"
else
        report fail "handoff show - truncated stdin: exit $rc" "$out"
fi
log=$root/tests/fuzz/seeds/eventlog/agile-sha1-sha256.bin
expect "eventlog --json after FILE" 0 '"format":"crypto-agile"' "$tool" eventlog "$log" --json
expect "eventlog two files" 2 "usage" "$tool" eventlog "$log" "$log"
expect "sign help lists skip-schema-check" 0 "[--skip-schema-check] -o OUT PAYLOAD" \
        "$tool" manifest sign --help

# ---- keys ----------------------------------------------------------------------

expect "sign same key twice names both" 1 "rel.pem and key-copy.pem contain the same key" \
        "$tool" manifest sign --key rel.pem --key key-copy.pem -o x.pgm example.dtb
expect "sign the same --key twice" 1 PG_ERR_MANIFEST_DUPLICATE_KEY_ID \
        "$tool" manifest sign --key rel.pem --key rel.pem -o x.pgm example.dtb
expect "verify same key trusted twice" 2 "already trusted" \
        "$tool" manifest verify --trust rel.pub --trust rel.pem:development good.pgm
out=$(setsid "$tool" manifest verify --trust enc.pem good.pgm 2>&1 </dev/null)
rc=$?
if [ "$rc" -eq 2 ] && grep -qF "encrypted private key" <<<"$out" &&
   ! grep -qF "pass phrase" <<<"$out"; then
        report ok "verify --trust encrypted key asks no passphrase"
else
        report fail "verify --trust encrypted key: exit $rc" "$out"
fi
out=$(setsid "$tool" manifest sign --key enc.pem -o x.pgm example.dtb 2>&1 </dev/null)
rc=$?
if [ "$rc" -eq 3 ] && grep -qF "cannot decrypt enc.pem" <<<"$out" &&
   [ "$(grep -c "pass phrase" <<<"$out")" -le 1 ]; then
        report ok "sign with encrypted key and no terminal"
else
        report fail "sign with encrypted key and no terminal: exit $rc" "$out"
fi
expect "sign with an id-RSASSA-PSS key" 3 "id-RSASSA-PSS" \
        "$tool" manifest sign --key rsapss.pem -o x.pgm example.dtb
# 4095 bytes of "./" and "rel.pub", then more: cut to 4095 bytes, the path
# would name rel.pub, a file the argument does not name.
long=$(printf './%.0s' $(seq 2044))rel.pub.not-this-one
expect "verify --trust path too long" 2 "--trust path of 4108 bytes is too long" \
        "$tool" manifest verify --trust "$long" good.pgm

# ---- show ----------------------------------------------------------------------

# PCR 5 pinned by value only: the output has no event-digests list for it.
cp example.dtb pcr.dtb
fdtput -p -c pcr.dtb /boot/pcrs/pcr5
fdtput -t bx pcr.dtb /boot/pcrs/pcr5 sha256 $(printf 'a5 %.0s' $(seq 32))
"$tool" manifest sign --key rel.pem -o pcr.pgm pcr.dtb >/dev/null 2>&1
"$tool" manifest show --json pcr.pgm > pcrs.json 2>/dev/null
expect "show json pcr without event digests" 0 "" python3 -c '
import json; pcrs = json.load(open("pcrs.json"))["payload"]["boot"]["pcrs"]
pcr5 = [p for p in pcrs if p["pcr"] == 5][0]
assert pcr5["sha256"] == "a5" * 32, pcr5
assert "event-digests" not in pcr5, pcr5'
expect "show text pcr without event digests" 1 "" grep -qzP 'sha256: (a5){32}\n *event-digests:' \
        <("$tool" manifest show pcr.pgm)

# ---- show --trust applies the key role rules -----------------------------------

"$tool" manifest sign --key dev.pem -o devprod.pgm example.dtb >/dev/null 2>&1
expect "show dev key production" 1 PG_ERR_MANIFEST_DEVELOPMENT_KEY_PRODUCTION \
        "$tool" manifest show --trust dev.pub:development devprod.pgm
expect "show dev key production status" 1 "status: verification-failed" \
        "$tool" manifest show --trust dev.pub:development devprod.pgm
"$tool" manifest show --json --trust dev.pub:development devprod.pgm > show.json 2>/dev/null
expect "show json role error" 0 "" python3 -c '
import json; d = json.load(open("show.json"))
assert d["status"] == "verification-failed", d["status"]
assert d["error"] == "PG_ERR_MANIFEST_DEVELOPMENT_KEY_PRODUCTION", d["error"]'
fdtput -r example.dtb /provenance
"$tool" manifest sign --key rel.pem -o noprov.pgm example.dtb >/dev/null 2>&1
expect "show release key without provenance" 1 PG_ERR_MANIFEST_PROVENANCE_REQUIRED \
        "$tool" manifest show --trust rel.pub noprov.pgm
cp example.dtb colour.dtb
fdtput -t s colour.dtb /identity colour red
"$tool" manifest sign --skip-schema-check --key rel.pem -o colour.pgm colour.dtb >/dev/null 2>&1
expect "show signed schema error status" 1 "status: verification-failed" \
        "$tool" manifest show --trust rel.pub colour.pgm
expect "show signed schema error code" 1 "error: PG_ERR_MANIFEST_UNKNOWN_PROPERTY" \
        "$tool" manifest show --trust rel.pub colour.pgm
expect "show without --trust stays unverified" 0 "status: unverified" \
        "$tool" manifest show noprov.pgm
expect "show verified" 0 "status: verified" "$tool" manifest show --trust rel.pub good.pgm

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
