#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# prodgate manifest sign|verify|show|extract against real OpenSSL, dtc and
# fdtput. Keys are made at test time in a temporary folder. Fixtures come
# from `prodgate manifest sign`, then one field is broken at a time and each
# case asserts the exact error symbol the tool prints.
#
# Needs PG_TOOL (the prodgate binary); ends with "N passed, N failed".
set -u

tool=${PG_TOOL:?set PG_TOOL to the prodgate binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
example=$root/docs/examples/manifest.dts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

. "$root/tests/integration/lib_report.sh"

# patch FILE OFFSET HEXBYTES: overwrites bytes of FILE in place.
patch() {
        printf "$(sed 's/../\\x&/g' <<<"$3")" |
                dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# le32 VALUE: VALUE as 4 little-endian hex bytes; be32 likewise big-endian.
le32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
be32() { printf '%08x' "$1"; }

# u32 FILE OFFSET: reads a little-endian 32-bit value.
u32() { od -An -tu4 -j "$2" -N4 --endian=little "$1" | tr -d ' '; }

# flip FILE OFFSET: inverts the lowest bit of one byte.
flip() {
        local b
        b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
        patch "$1" "$2" "$(printf '%02x' $((b ^ 1)))"
}

# ---- keys --------------------------------------------------------------

for bits in 2048 3072 4096; do
        openssl genrsa -out rel$bits.pem "$bits" 2>/dev/null
        openssl rsa -in rel$bits.pem -pubout -out rel$bits.pub 2>/dev/null
done
openssl genrsa -out dev.pem 2048 2>/dev/null
openssl rsa -in dev.pem -pubout -out dev.pub 2>/dev/null
openssl genrsa -out other.pem 2048 2>/dev/null
openssl rsa -in other.pem -pubout -out other.pub 2>/dev/null
openssl genrsa -out small.pem 1024 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out ec.pem 2>/dev/null

dtc -q -I dts -O dtb -o example.dtb "$example"

# ---- sign and verify ---------------------------------------------------

for bits in 2048 3072 4096; do
        expect "sign pkcs1 $bits" 0 "" "$tool" manifest sign --key rel$bits.pem -o p$bits.pgm "$example"
        expect "verify pkcs1 $bits" 0 "rsa-pkcs1-sha256" "$tool" manifest verify --trust rel$bits.pub p$bits.pgm
        expect "sign pss $bits" 0 "" "$tool" manifest sign --pss --key rel$bits.pem -o s$bits.pgm "$example"
        expect "verify pss $bits" 0 "rsa-pss-sha256" "$tool" manifest verify --trust rel$bits.pub:release s$bits.pgm
done
cp p2048.pgm good.pgm

expect "sign dtb input" 0 "" "$tool" manifest sign --key rel2048.pem -o dtb.pgm example.dtb
expect "dtb and dts sign the same payload" 0 "" cmp <(tail -c +81 dtb.pgm | head -c "$(stat -c %s example.dtb)") example.dtb
expect "verify with private key file" 0 "valid" "$tool" manifest verify --trust rel2048.pem good.pgm
expect "verify untrusted key" 1 PG_ERR_MANIFEST_UNTRUSTED_KEY "$tool" manifest verify --trust other.pub good.pgm
expect "sign with dev key, no role" 0 "" "$tool" manifest sign --key dev.pem -o dev.pgm "$example"
expect "sign with dev key, role" 1 PG_ERR_MANIFEST_DEVELOPMENT_KEY_PRODUCTION \
        "$tool" manifest sign --role development --key dev.pem -o x.pgm "$example"
expect "verify dev key production" 1 PG_ERR_MANIFEST_DEVELOPMENT_KEY_PRODUCTION \
        "$tool" manifest verify --trust dev.pub:development dev.pgm
expect "verify without trust" 2 "--trust" "$tool" manifest verify good.pgm
expect "verify missing file" 3 "cannot read" "$tool" manifest verify --trust rel2048.pub nothing.pgm
expect "verify bad trust file" 2 "cannot open" "$tool" manifest verify --trust nothing.pub good.pgm
expect "verify unknown role is a path" 2 "nothing.pub:admin" "$tool" manifest verify --trust nothing.pub:admin good.pgm
expect "sign 1024-bit key" 3 "2048 to 4096" "$tool" manifest sign --key small.pem -o x.pgm "$example"
expect "sign EC key" 3 "not an RSA key" "$tool" manifest sign --key ec.pem -o x.pgm "$example"
expect "sign five keys" 2 "at most 4" "$tool" manifest sign --key rel2048.pem --key rel3072.pem \
        --key rel4096.pem --key dev.pem --key other.pem -o x.pgm "$example"
expect "sign without key" 2 "usage" "$tool" manifest sign -o x.pgm "$example"
expect "sign non-FDT input" 1 PG_ERR_MANIFEST_FDT_TRUNCATED "$tool" manifest sign --key rel2048.pem -o x.pgm <(echo junk)
printf '/dts-v1/;\n/ { big = "%s"; };\n' "$(head -c 70000 /dev/zero | tr '\0' a)" > big.dts
expect "sign payload over the cap" 3 "compiles to more than 65536 bytes" \
        "$tool" manifest sign --key rel2048.pem -o x.pgm big.dts
echo "/dts-v1/; / { broken" > broken.dts
expect "sign dtc syntax error" 3 "dtc failed" "$tool" manifest sign --key rel2048.pem -o x.pgm broken.dts

# Key rotation: old and new key sign; each alone is enough.
expect "sign two keys" 0 "" "$tool" manifest sign --key rel2048.pem --key rel3072.pem -o two.pgm "$example"
expect "verify second of two" 0 "signature 1" "$tool" manifest verify --trust rel3072.pub two.pgm
expect "verify first of two" 0 "signature 0" "$tool" manifest verify --trust rel2048.pub --trust rel3072.pub two.pgm
expect "sign same key twice" 1 PG_ERR_MANIFEST_DUPLICATE_KEY_ID "$tool" manifest sign --key rel2048.pem --key rel2048.pem -o x.pgm "$example"

# ---- schema errors at signing time ---------------------------------------

cp example.dtb nosha.dtb
fdtput -d nosha.dtb /boot/next-stage sha256
fdtput -d nosha.dtb /identity channel
fdtput -t s nosha.dtb /identity build-type prod
expect "sign names missing sha256" 1 '/boot/next-stage: missing property "sha256" (PG_ERR_MANIFEST_MISSING_PROPERTY)' \
        "$tool" manifest sign --key rel2048.pem -o x.pgm nosha.dtb
expect "sign names missing channel" 1 '/identity: missing property "channel"' \
        "$tool" manifest sign --key rel2048.pem -o x.pgm nosha.dtb
expect "sign names bad build type" 1 '/identity: invalid value of property "build-type"' \
        "$tool" manifest sign --key rel2048.pem -o x.pgm nosha.dtb
expect "sign counts errors" 1 "3 schema errors" "$tool" manifest sign --key rel2048.pem -o x.pgm nosha.dtb
expect "sign writes nothing on error" 1 "" test -e x.pgm
cp example.dtb noprov.dtb
fdtput -r noprov.dtb /provenance
expect "sign role release needs provenance" 1 PG_ERR_MANIFEST_PROVENANCE_REQUIRED \
        "$tool" manifest sign --role release --key rel2048.pem -o x.pgm noprov.dtb
expect "sign without role skips role rules" 0 "" "$tool" manifest sign --key rel2048.pem -o noprov.pgm noprov.dtb
expect "verify release key needs provenance" 1 PG_ERR_MANIFEST_PROVENANCE_REQUIRED \
        "$tool" manifest verify --trust rel2048.pub noprov.pgm

# ---- each required property missing, through verify ------------------------

# sign_broken NAME DTB: signs a payload that fails the schema, as a fixture.
sign_broken() {
        "$tool" manifest sign --skip-schema-check --key rel2048.pem -o "$1" "$2" >/dev/null 2>&1
}

required="/:format-version
/identity:product /identity:version /identity:build-id /identity:security-version
/identity:minimum-security-version /identity:build-type /identity:channel
/provenance:builder-id /provenance:source-repository /provenance:source-revision
/provenance:build-time /provenance/artifacts/kernel:sha256
/boot/next-stage:path /boot/next-stage:sha256 /boot/recovery-stage:path
/boot/recovery-stage:sha256 /boot/expectations:secure-boot /boot/expectations:setup-mode
/policy:anti-rollback-nv-index /policy:production-readiness /policy:ota-eligibility
/policy/gates/build-integrity:requirement /policy/gates/build-integrity:enforcement
/policy/gates/runtime-security:requirement /runtime-checks/firewall-active:gate
/runtime-checks/firewall-active:objective /runtime-checks/firewall-active:kind
/runtime-checks/firewall-active:severity /runtime-checks/firewall-active:remediation"
for np in $required; do
        node=${np%%:*}
        prop=${np#*:}
        cp example.dtb f.dtb
        fdtput -d f.dtb "$node" "$prop"
        sign_broken f.pgm f.dtb
        expect "missing $node $prop" 1 "$node: missing property \"$prop\"" \
                "$tool" manifest verify --trust rel2048.pub f.pgm
        expect "missing $node $prop code" 1 PG_ERR_MANIFEST_MISSING_PROPERTY \
                "$tool" manifest verify --trust rel2048.pub f.pgm
done

for node in /identity /boot /boot/next-stage /boot/expectations /policy /policy/gates \
            /policy/gates/device-management /provenance/artifacts; do
        cp example.dtb f.dtb
        fdtput -r f.dtb "$node"
        sign_broken f.pgm f.dtb
        expect "missing node $node" 1 PG_ERR_MANIFEST_MISSING_NODE \
                "$tool" manifest verify --trust rel2048.pub f.pgm
done

# Wrong lengths and unterminated strings.
for np in /identity:security-version /identity:minimum-security-version /policy:gates-pcr \
          /policy:anti-rollback-nv-index /runtime-checks/firewall-active:objective; do
        cp example.dtb f.dtb
        fdtput -t x f.dtb "${np%%:*}" "${np#*:}" 1 2
        sign_broken f.pgm f.dtb
        expect "length of $np" 1 PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH \
                "$tool" manifest verify --trust rel2048.pub f.pgm
done
for np in /boot/next-stage:sha256 /provenance/artifacts/kernel:sha256 /provenance:build-time; do
        cp example.dtb f.dtb
        fdtput -t bx f.dtb "${np%%:*}" "${np#*:}" 1 2 3
        sign_broken f.pgm f.dtb
        expect "length of $np" 1 PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH \
                "$tool" manifest verify --trust rel2048.pub f.pgm
done
for np in /identity:product /boot/next-stage:path /policy:production-readiness; do
        cp example.dtb f.dtb
        fdtput -t bx f.dtb "${np%%:*}" "${np#*:}" 41 42
        sign_broken f.pgm f.dtb
        expect "unterminated $np" 1 PG_ERR_MANIFEST_UNTERMINATED_STRING \
                "$tool" manifest verify --trust rel2048.pub f.pgm
done
cp example.dtb f.dtb
fdtput -t s f.dtb /identity colour red
sign_broken f.pgm f.dtb
expect "unknown property" 1 '/identity: unknown property "colour"' \
        "$tool" manifest verify --trust rel2048.pub f.pgm
cp example.dtb f.dtb
fdtput -c f.dtb /boot/extra
sign_broken f.pgm f.dtb
expect "unknown node" 1 '/boot: unknown node "extra"' "$tool" manifest verify --trust rel2048.pub f.pgm
cp example.dtb f.dtb
fdtput -t u f.dtb /identity minimum-security-version 43
sign_broken f.pgm f.dtb
expect "minimum svn above svn" 1 PG_ERR_MANIFEST_MIN_SVN_ABOVE_SVN "$tool" manifest verify --trust rel2048.pub f.pgm
cp example.dtb f.dtb
fdtput -t u f.dtb / format-version 2 0
sign_broken f.pgm f.dtb
expect "newer major format" 1 PG_ERR_MANIFEST_UNSUPPORTED_FORMAT "$tool" manifest verify --trust rel2048.pub f.pgm
cp example.dtb f.dtb
fdtput -t u f.dtb / format-version 1 1
fdtput -t s f.dtb /boot optional-hint x
expect "newer minor format ignores optional names" 0 "" "$tool" manifest sign --key rel2048.pem -o f.pgm f.dtb

# ---- payload byte regions, re-signed so that they reach the parser ----------

dtb_size=$(stat -c %s example.dtb)
off_struct=$((0x$(od -An -tx1 -j 8 -N4 example.dtb | tr -d ' ')))
off_strings=$((0x$(od -An -tx1 -j 12 -N4 example.dtb | tr -d ' ')))
fdt_case() {
        local name=$1 off=$2 hex=$3 code=$4
        cp example.dtb f.dtb
        patch f.dtb "$off" "$hex"
        sign_broken f.pgm f.dtb
        expect "fdt $name" 1 "$code" "$tool" manifest verify --trust rel2048.pub f.pgm
}
fdt_case magic 0 d00dfeee PG_ERR_MANIFEST_FDT_BAD_MAGIC
fdt_case totalsize 4 "$(be32 $((dtb_size + 8)))" PG_ERR_MANIFEST_FDT_BAD_TOTALSIZE
fdt_case off_dt_struct 8 "$(be32 $((dtb_size)))" PG_ERR_MANIFEST_FDT_BAD_OFFSET
fdt_case off_dt_strings 12 "$(be32 $off_struct)" PG_ERR_MANIFEST_FDT_BLOCK_OVERLAP
fdt_case version 20 "$(be32 16)" PG_ERR_MANIFEST_FDT_BAD_VERSION
fdt_case boot_cpuid_phys 28 "$(be32 1)" PG_ERR_MANIFEST_FDT_BAD_HEADER
fdt_case rsvmap 40 01 PG_ERR_MANIFEST_FDT_BAD_RSVMAP
fdt_case first_token "$off_struct" 00000004 PG_ERR_MANIFEST_FDT_BAD_TAG
fdt_case last_token $((off_strings - 4)) 00000002 PG_ERR_MANIFEST_FDT_BAD_NESTING
fdt_case root_name $((off_struct + 4)) 41 PG_ERR_MANIFEST_FDT_BAD_NESTING
fdt_case strings_block "$off_strings" 2f PG_ERR_MANIFEST_FDT_BAD_NAME
cp example.dtb f.dtb
head -c 39 example.dtb > f.dtb
sign_broken f.pgm f.dtb
expect "fdt truncated header" 1 PG_ERR_MANIFEST_FDT_TRUNCATED "$tool" manifest verify --trust rel2048.pub f.pgm

# ---- envelope fields, broken after signing ---------------------------------

plen=$(u32 good.pgm 16)
sig_off=$((80 + plen))
total=$(stat -c %s good.pgm)
env_case() {
        local name=$1 off=$2 hex=$3 code=$4
        cp good.pgm e.pgm
        patch e.pgm "$off" "$hex"
        expect "envelope $name" 1 "$code" "$tool" manifest verify --trust rel2048.pub e.pgm
}
env_case magic 0 58 PG_ERR_MANIFEST_BAD_MAGIC
env_case version 4 0200 PG_ERR_MANIFEST_BAD_VERSION
env_case header_length 6 2800 PG_ERR_MANIFEST_BAD_HEADER_LENGTH
env_case total_length 8 "$(le32 $((total - 1)))" PG_ERR_MANIFEST_BAD_TOTAL_LENGTH
env_case payload_offset 12 "$(le32 88)" PG_ERR_MANIFEST_BAD_PAYLOAD_OFFSET
env_case payload_length_zero 16 "$(le32 0)" PG_ERR_MANIFEST_BAD_PAYLOAD_LENGTH
env_case payload_length_short 16 "$(le32 $((plen - 4)))" PG_ERR_MANIFEST_BAD_SIGNATURE_OFFSET
env_case payload_length_wrap 16 ffffffff PG_ERR_MANIFEST_INTEGER_OVERFLOW
env_case signature_count 20 0500 PG_ERR_MANIFEST_BAD_SIGNATURE_COUNT
env_case reserved 25 01 PG_ERR_MANIFEST_RESERVED_NOT_ZERO
env_case algorithm 32 0300 PG_ERR_MANIFEST_BAD_SIGNATURE_ALGORITHM
env_case algorithm_swapped 32 0200 PG_ERR_MANIFEST_BAD_SIGNATURE
env_case record_reserved 34 01 PG_ERR_MANIFEST_RESERVED_NOT_ZERO
env_case signature_offset 36 "$(le32 $((sig_off + 4)))" PG_ERR_MANIFEST_BAD_SIGNATURE_OFFSET
env_case signature_length 40 "$(le32 384)" PG_ERR_MANIFEST_BAD_SIGNATURE_LENGTH
env_case signature_length_small 40 "$(le32 255)" PG_ERR_MANIFEST_BAD_SIGNATURE_LENGTH
env_case key_id 48 00 PG_ERR_MANIFEST_UNTRUSTED_KEY
env_case key_id_last 79 00 PG_ERR_MANIFEST_UNTRUSTED_KEY
for region in 80 $((80 + off_struct + 8)) $((80 + off_strings + 2)) $((sig_off - 1)) \
              "$sig_off" $((total - 1)); do
        cp good.pgm e.pgm
        flip e.pgm "$region"
        expect "bit flip at $region" 1 PG_ERR_MANIFEST_BAD_SIGNATURE "$tool" manifest verify --trust rel2048.pub e.pgm
done
head -c 31 good.pgm > e.pgm
expect "envelope truncated" 1 PG_ERR_MANIFEST_TRUNCATED "$tool" manifest verify --trust rel2048.pub e.pgm
{ cat good.pgm; head -c 70000 /dev/zero; } > e.pgm
expect "envelope over the cap" 1 PG_ERR_MANIFEST_TOO_LARGE "$tool" manifest verify --trust rel2048.pub e.pgm
{ cat good.pgm; printf x; } > e.pgm
expect "envelope trailing byte" 1 PG_ERR_MANIFEST_BAD_TOTAL_LENGTH "$tool" manifest verify --trust rel2048.pub e.pgm

# ---- interop with openssl dgst ---------------------------------------------

openssl dgst -sha256 -sign rel2048.pem -out ext.sig example.dtb
expect "assemble openssl pkcs1 signature" 0 "" "$tool" manifest sign --signature ext.sig --pubkey rel2048.pub -o ext.pgm example.dtb
expect "verify openssl pkcs1 signature" 0 "valid" "$tool" manifest verify --trust rel2048.pub ext.pgm
openssl dgst -sha256 -sign rel3072.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
        -out ext-pss.sig example.dtb
expect "assemble openssl pss signature" 0 "" "$tool" manifest sign --pss --signature ext-pss.sig --pubkey rel3072.pub -o ext-pss.pgm example.dtb
expect "verify openssl pss signature" 0 "rsa-pss-sha256" "$tool" manifest verify --trust rel3072.pub ext-pss.pgm
expect "assemble mixed key and signature" 0 "" "$tool" manifest sign --key rel4096.pem --signature ext.sig --pubkey rel2048.pub -o mixed.pgm example.dtb
expect "verify mixed second" 0 "signature 1" "$tool" manifest verify --trust rel2048.pub mixed.pgm
openssl dgst -sha256 -sign other.pem -out wrong.sig example.dtb
expect "assemble wrong signature" 1 PG_ERR_MANIFEST_BAD_SIGNATURE "$tool" manifest sign --signature wrong.sig --pubkey rel2048.pub -o x.pgm example.dtb
openssl dgst -sha256 -sign rel2048.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20 -out salt20.sig example.dtb
expect "assemble pss salt 20" 1 PG_ERR_MANIFEST_BAD_SIGNATURE "$tool" manifest sign --pss --signature salt20.sig --pubkey rel2048.pub -o x.pgm example.dtb
expect "assemble signature without pubkey" 2 "--pubkey" "$tool" manifest sign --signature ext.sig -o x.pgm example.dtb

for m in p2048 s3072 p4096; do
        case $m in p*) opts=() ;; s*) opts=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32) ;; esac
        key=rel${m#?}.pub
        expect "extract $m" 0 "" "$tool" manifest extract --payload $m.payload --signature $m.sig $m.pgm
        expect "openssl verifies $m" 0 "Verified OK" openssl dgst -sha256 -verify "$key" "${opts[@]}" -signature $m.sig $m.payload
done
expect "extract payload is the dtb" 0 "" cmp p2048.payload example.dtb
expect "extract index out of range" 2 "no index 3" "$tool" manifest extract --signature x.sig --index 3 two.pgm
expect "extract second signature" 0 "" "$tool" manifest extract --signature two1.sig --index 1 two.pgm
expect "openssl verifies second" 0 "Verified OK" openssl dgst -sha256 -verify rel3072.pub -signature two1.sig example.dtb

# ---- show --------------------------------------------------------------------

expect "show unverified" 0 "status: unverified" "$tool" manifest show good.pgm
expect "show payload" 0 "product: acme-gateway" "$tool" manifest show good.pgm
expect "show verified" 0 "status: verified" "$tool" manifest show --trust rel2048.pub good.pgm
expect "show wrong key" 1 PG_ERR_MANIFEST_UNTRUSTED_KEY "$tool" manifest show --trust other.pub good.pgm
cp good.pgm e.pgm
patch e.pgm 0 58
expect "show broken envelope" 1 PG_ERR_MANIFEST_BAD_MAGIC "$tool" manifest show e.pgm
"$tool" manifest show --json --trust rel2048.pub two.pgm > show.json 2>&1
expect "show json parses" 0 "" python3 -c '
import json, sys
d = json.load(open("show.json"))
assert d["status"] == "verified", d["status"]
assert d["signer"]["role"] == "release"
assert len(d["signatures"]) == 2
assert d["signatures"][1]["length"] == 384
p = d["payload"]
assert p["identity"]["security-version"] == 42
assert p["boot"]["next-stage"]["path"] == "\\EFI\\Linux\\acme-gateway-2.4.1.efi"
assert p["policy"]["gates"]["device-management"]["requirement"] == "not-applicable"
assert p["policy"]["ota-eligibility"] == ["build-integrity", "boot-integrity", "update-integrity"]
assert [c["id"] for c in p["runtime-checks"]][:2] == ["firewall-active", "kernel-lockdown"]
assert p["runtime-checks"][1]["parameters"] == ["mode=integrity"]
'
"$tool" manifest show --json good.pgm > show.json 2>&1
expect "show json unverified" 0 "" python3 -c '
import json; d = json.load(open("show.json")); assert d["status"] == "unverified"'
key_id=$(openssl pkey -pubin -in rel2048.pub -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1)
expect "key id is SHA-256 of the DER key" 0 "\"key-id\": \"$key_id\"" cat show.json

# ---- key ring generator --------------------------------------------------------

expect "gen-keyring release and development" 0 "PG_KEY_ROLE_DEVELOPMENT" \
        "$root/tools/gen-keyring" release:rel2048.pub development:dev.pub
"$root/tools/gen-keyring" release:rel2048.pub > keyring.c 2>&1
id=$(openssl pkey -pubin -in rel2048.pub -outform DER | openssl dgst -sha256 -binary | od -An -v -tx1 |
        tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/\([0-9a-f][0-9a-f]\)/0x\1,/g')
got=$(sed -n '/\.key_id = {/,/}/p' keyring.c | grep -o '0x[0-9a-f]*,' | tr '\n' ' ' | sed 's/ $//')
if [ "$got" = "$id" ]; then report ok "gen-keyring key id"; else report fail "gen-keyring key id" "$got / $id"; fi
expect "gen-keyring empty trusts nothing" 0 "pg_builtin_keyring = { 0, NULL }" "$root/tools/gen-keyring"
expect "gen-keyring bad role" 1 "expected release:PATH" "$root/tools/gen-keyring" admin:rel2048.pub
expect "gen-keyring private key" 1 "not a PEM public key" "$root/tools/gen-keyring" release:rel2048.pem
expect "gen-keyring small key" 1 "2048 to 4096" "$root/tools/gen-keyring" \
        release:<(openssl rsa -in small.pem -pubout 2>/dev/null)
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.param 2>/dev/null
openssl genpkey -paramfile dsa.param -out dsa.pem 2>/dev/null
openssl pkey -in dsa.pem -pubout -out dsa.pub 2>/dev/null
expect "gen-keyring DSA key" 1 "dsa.pub: not an RSA public key" "$root/tools/gen-keyring" release:dsa.pub
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
openssl pkey -in ec.pem -pubout -out ec.pub 2>/dev/null
expect "gen-keyring EC key" 1 "ec.pub: not an RSA public key" "$root/tools/gen-keyring" release:ec.pub
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out pss.pem 2>/dev/null
openssl pkey -in pss.pem -pubout -out pss.pub 2>/dev/null
expect "gen-keyring RSA-PSS key" 1 "pss.pub: not an RSA public key (rsaEncryption)" \
        "$root/tools/gen-keyring" release:pss.pub
cat rel2048.pub dev.pub > two.pub
expect "gen-keyring two keys in one file" 1 "two.pub: contains 2 PEM blocks" "$root/tools/gen-keyring" \
        release:two.pub
mkdir -p 'odd*'
cp rel2048.pub 'odd*/k.pub'
"$root/tools/gen-keyring" 'release:odd*/k.pub' > odd-keyring.c 2>&1
if cc -fsyntax-only -I"$root" -I"$root/include" odd-keyring.c 2>/dev/null; then
        report ok "gen-keyring path with */ compiles"
else
        report fail "gen-keyring path with */ compiles" "$(head -c 300 odd-keyring.c)"
fi
expect "gen-keyring same key twice" 1 "the same key is given twice" "$root/tools/gen-keyring" \
        release:rel2048.pub release:rel2048.pub
expect "gen-keyring same key in both roles" 1 "the same key is given twice" "$root/tools/gen-keyring" \
        release:rel2048.pub development:rel2048.pub

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
