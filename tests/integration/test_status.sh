#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# prodgate status against fixture trees built here in a temporary folder:
# "good" (every check passes), "bad" (every check finds a violation) and
# "broken" (the evidence is missing or malformed). Each check kind appears
# twice in the manifest, with severity fail and with severity degraded, so
# every kind has a pass, a fail, a degraded and an unknown case, each
# asserted with its exact reason in the --json output. Symlinks that try to
# leave the --root are resolved inside it, with openat2 and with the manual
# component walk (PG_ROOTFS_MANUAL=1).
#
# A handoff blob counts only when the cross-check vouches for it, so the
# cases with a blob run against a private swtpm whose PCR 13 holds the
# blob's measured events, with the matching firmware event log
# (lib_swtpm.sh); tests/integration/test_measure.sh covers the cross-check
# itself.
#
# Needs PG_TOOL (the prodgate binary), jq, openssl, dtc, swtpm, tpm2-tools
# and python3; must run as root (it creates device nodes and files owned by
# other users). PG_KEEP=1 keeps the temporary folder. Ends with "N passed,
# N failed".
set -u

tool=${PG_TOOL:?set PG_TOOL to the prodgate binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
handoff_seed=$root/tests/fuzz/seeds/handoff/example.dtb
work=$(mktemp -d)
. "$root/tests/integration/lib_swtpm.sh"
trap 'swtpm_stop; [ -n "${PG_KEEP:-}" ] || rm -rf "$work"' EXIT
cd "$work" || exit 1

. "$root/tests/integration/lib_report.sh"

# run_status OUT ARGS...: runs prodgate status --json, keeps stdout in OUT
# and the exit status in $status_rc.
run_status() {
        local out=$1
        shift
        "$tool" status --json "$@" > "$out" 2> "$out.err"
        status_rc=$?
}

# expect_check JSON ID OUTCOME REASON [DETAIL]: one check's outcome and
# reason (and detail, when given) in a status document.
expect_check() {
        local json=$1 id=$2 outcome=$3 reason=$4 got
        got=$(jq -r --arg id "$id" '.checks[] | select(.id == $id) | "\(.outcome) \(.reason)"' "$json")
        same "$json $id" "$got" "$outcome $reason"
        if [ $# -ge 5 ]; then
                got=$(jq -r --arg id "$id" '.checks[] | select(.id == $id) | .detail' "$json")
                same "$json $id detail" "$got" "$5"
        fi
}

# ---- keys and manifests ------------------------------------------------

openssl genrsa -out rel.pem 2048 2>/dev/null
openssl rsa -in rel.pem -pubout -out rel.pub 2>/dev/null
openssl genrsa -out other.pem 2048 2>/dev/null
openssl rsa -in other.pem -pubout -out other.pub 2>/dev/null

# manifest_head REQUIREMENT-OF-DEVICE-MANAGEMENT: the manifest up to the
# runtime checks. Gates 1-4 and 9 are required, the others advisory.
manifest_head() {
        cat <<DTS
/dts-v1/;
/ {
	format-version = <1 0>;
	identity {
		product = "acme-gateway";
		version = "2.4.1";
		build-id = "20261204.3";
		security-version = <42>;
		minimum-security-version = <41>;
		build-type = "production";
		channel = "stable";
	};
	provenance {
		builder-id = "https://ci.example.com/builders/release";
		source-repository = "https://git.example.com/acme/gateway.git";
		source-revision = "3f2a9c0d5e8b7a6c4d1e0f9a8b7c6d5e4f3a2b1c";
		build-time = /bits/ 64 <1796385600>;
		artifacts { kernel { sha256 = [$(printf '%.0s00 ' {1..32})]; }; };
	};
	boot {
		next-stage {
			path = "\\\\EFI\\\\Linux\\\\acme.efi";
			sha256 = [$(printf '%.0s11 ' {1..32})];
		};
		expectations { secure-boot = "on"; setup-mode = "off"; };
	};
	policy {
		anti-rollback-nv-index = <0x01500100>;
		production-readiness = "build-integrity", "boot-integrity",
				       "platform-configuration", "update-integrity";
		ota-eligibility = "build-integrity", "boot-integrity", "update-integrity";
		gates {
			build-integrity { requirement = "required"; enforcement = "enforce"; };
			boot-integrity { requirement = "required"; enforcement = "enforce"; };
			runtime-security { requirement = "required"; };
			platform-configuration { requirement = "required"; enforcement = "audit"; };
			network-security { requirement = "advisory"; };
			application-exposure { requirement = "advisory"; };
			privacy-controls { requirement = "advisory"; };
			device-management { requirement = "$1"; };
			update-integrity { requirement = "required"; enforcement = "enforce"; };
			security-monitoring { requirement = "advisory"; };
		};
	};
	runtime-checks {
DTS
}

# check ID GATE OBJECTIVE KIND SEVERITY [PARAMETER...]
check() {
        local id=$1 gate=$2 obj=$3 kind=$4 sev=$5 params="" p
        shift 5
        for p in "$@"; do
                params+="${params:+, }\"$p\""
        done
        printf '\t\t%s {\n\t\t\tgate = "%s";\n\t\t\tobjective = <%s>;\n\t\t\tkind = "%s";\n' \
                "$id" "$gate" "$obj" "$kind"
        [ -z "$params" ] || printf '\t\t\tparameters = %s;\n' "$params"
        printf '\t\t\tseverity = "%s";\n\t\t\tremediation = "Fix %s.";\n\t\t};\n' "$sev" "$id"
}

# pair ID GATE OBJ-FAIL OBJ-DEGRADED KIND [PARAMETER...]: the check ID with
# severity fail and ID-d with severity degraded.
pair() {
        local id=$1 gate=$2 of=$3 od=$4 kind=$5
        shift 5
        check "$id" "$gate" "$of" "$kind" fail "$@"
        check "$id-d" "$gate" "$od" "$kind" degraded "$@"
}

hello_sha=$(printf 'hello\n' | sha256sum | cut -d' ' -f1)

{
        manifest_head advisory
        pair lockdown runtime-security 1 1 kernel-lockdown "mode=integrity"
        pair selinux runtime-security 1 1 selinux-enforcing
        pair apparmor runtime-security 0 0 apparmor-profiles "min-profiles=2" "mode=enforce"
        pair modsig runtime-security 1 1 module-signatures
        pair cmdline runtime-security 2 2 kernel-cmdline "require=lockdown=integrity" \
                "forbid=init,single"
        pair sysctl platform-configuration 1 1 sysctl "name=kernel.kptr_restrict" "min=1"
        pair tmp-mount platform-configuration 1 1 mount-options "path=/tmp/cache" \
                "require=noexec,nosuid"
        pair debugfs platform-configuration 1 1 filesystem-not-mounted "type=debugfs,tracefs"
        pair firewall network-security 2 2 firewall-ruleset
        pair forward network-security 0 0 sysctl "name=net/ipv4/ip_forward" "value=0"
        pair resolver network-security 1 1 resolver-nameservers "allow=127.0.0.53,::1"
        pair resolved network-security 1 1 resolved-dns "dns-over-tls=yes" \
                "dnssec=allow-downgrade"
        pair sockets application-exposure 0 0 listening-sockets "allow=tcp:22,udp:68"
        pair setid application-exposure 1 1 setid-files "paths=/usr/bin,/usr/sbin" \
                "allow=/usr/bin/passwd" "max-entries=50"
        pair absent application-exposure 2 2 file-absent "path=/etc/acme/debug.flag"
        pair sensors privacy-controls 0 0 sensor-device-permissions
        pair present privacy-controls 1 1 file-present "path=/etc/acme/telemetry.off" "type=file"
        pair mode privacy-controls 2 2 file-mode "path=/etc/acme/secret" "max=0640"
        pair mdm device-management 0 0 mdm-enrolled "marker=/var/lib/mdm/enrolled"
        pair owner device-management 1 1 file-owner "path=/etc/acme/secret" "uid=0" "gid=0"
        pair digest device-management 2 2 file-digest "path=/etc/acme/app.conf" \
                "sha256=$hello_sha"
        pair version update-integrity 0 0 os-version
        pair services security-monitoring 0 0 monitoring-services "units=auditd.service" \
                "processes=auditd"
        pair services2 security-monitoring 1 1 monitoring-services "units=prodgate.timer"
        pair digest2 security-monitoring 2 2 file-digest "path=/etc/acme/app.conf" \
                "sha256=$hello_sha"
        printf '\t};\n};\n'
} > kinds.dts

{
        manifest_head not-applicable
        check frob runtime-security 0 frobnicate fail "x=1"
        check badparam runtime-security 0 kernel-lockdown fail "level=high"
        check noequals runtime-security 0 kernel-lockdown fail "integrity"
        check twice runtime-security 0 kernel-lockdown fail "mode=integrity" "mode=integrity"
        check badmode runtime-security 0 kernel-lockdown fail "mode=none"
        check relpath runtime-security 0 file-present fail "path=etc/acme"
        check mdm-na device-management 0 mdm-enrolled fail "marker=/var/lib/mdm/enrolled"
        check esc-rel update-integrity 0 file-digest fail "path=/etc/escape/secret" \
                "sha256=$(printf 'outside\n' | sha256sum | cut -d' ' -f1)"
        check esc-abs update-integrity 0 file-present fail "path=/etc/abs-escape"
        check esc-dots update-integrity 0 file-present fail "path=/../../outside/secret"
        check esc-inner update-integrity 0 file-digest fail "path=/etc/inner-link" \
                "sha256=$hello_sha"
        check device-read update-integrity 0 file-digest fail "path=/dev/video0" \
                "sha256=$hello_sha"
        check slash-file update-integrity 0 file-present fail "path=/etc/acme/app.conf/"
        check slash-link update-integrity 0 file-digest fail "path=/etc/slash-link" \
                "sha256=$hello_sha"
        printf '\t};\n};\n'
} > misc.dts

"$tool" manifest sign --key rel.pem -o kinds.pgm kinds.dts > sign.log 2>&1
same "sign kinds manifest" "$?" 0
"$tool" manifest sign --key rel.pem -o misc.pgm misc.dts >> sign.log 2>&1
same "sign misc manifest" "$?" 0
"$tool" manifest sign --key rel.pem -o example.pgm "$root/docs/examples/manifest.dts" >> sign.log 2>&1
same "sign docs example" "$?" 0
[ -s kinds.pgm ] || cat sign.log

# ---- fixture trees -------------------------------------------------------

# put TREE PATH CONTENT: writes a file, making its folders.
put() {
        mkdir -p "$(dirname "$1/$2")"
        printf '%b' "$3" > "$1/$2"
}

tcp_header='  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'
tcp_ssh='   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0 100 0 0 10 0\n'
tcp_cups='   1: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 101 1 0 100 0 0 10 0\n'
tcp_est='   2: 0A00020F:0016 0A000201:D3C2 01 00000000:00000000 02:000A7E8B 00000000     0        0 102 4 0 20 4 30 10 -1\n'
tcp_telnet='   3: 00000000:0017 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 103 1 0 100 0 0 10 0\n'
udp_header='   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n'
udp_dhcp='  10: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 200 2 0 0\n'

# common TREE: what the good and the bad tree share.
common() {
        local t=$1
        mkdir -p "$t/tmp/cache" "$t/usr/sbin" "$t/dev/snd" "$t/proc/1" "$t/proc/321"
        put "$t" proc/1/comm 'systemd\n'
        put "$t" proc/321/comm 'auditd\n'
        put "$t" sys/module/apparmor/parameters/enabled 'Y\n'
        put "$t" usr/lib/systemd/system/auditd.service '[Service]\nExecStart=/sbin/auditd\n'
        put "$t" usr/lib/systemd/system/prodgate.timer '[Timer]\nOnBootSec=1min\n'
        put "$t" usr/bin/passwd 'binary\n'
        chmod 4755 "$t/usr/bin/passwd"
        put "$t" usr/bin/ls 'binary\n'
        ln -s /outside/evil "$t/usr/bin/link-out"
        put "$t" etc/acme/app.conf 'hello\n'
        put "$t" etc/acme/secret 'key\n'
        chmod 0600 "$t/etc/acme/secret"
        put "$t" run/systemd/resolve/stub-resolv.conf 'nameserver 127.0.0.53\noptions edns0\n'
        ln -s /run/systemd/resolve/stub-resolv.conf "$t/etc/resolv.conf"
        put "$t" usr/lib/systemd/resolved.conf.d/50-dot.conf '[Resolve]\nDNSOverTLS=no\n'
        put "$t" proc/net/udp "$udp_header$udp_dhcp"
        put "$t" var/lib/mdm/enrolled 'tenant=acme\n'
        mknod -m 0660 "$t/dev/snd/pcmC0D0c" c 116 24
        mknod -m 0660 "$t/dev/video0" c 81 0
}

good=$work/good
common "$good"
put "$good" sys/kernel/security/lockdown 'none [integrity] confidentiality\n'
put "$good" sys/fs/selinux/enforce '1'
put "$good" sys/kernel/security/apparmor/profiles 'sshd (enforce)\nntpd (enforce)\nx (complain)\n'
put "$good" sys/module/module/parameters/sig_enforce 'Y\n'
put "$good" proc/cmdline 'BOOT_IMAGE=/vmlinuz root=PARTLABEL=root ro "lockdown=integrity" quiet\n'
put "$good" proc/sys/kernel/kptr_restrict '2\n'
put "$good" proc/sys/net/ipv4/ip_forward '0\n'
put "$good" proc/self/mounts '/dev/sda2 / ext4 rw,relatime 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev 0 0\ntmpfs /tmp/cache tmpfs rw,nosuid,nodev,noexec 0 0\nproc /proc proc rw 0 0\n'
put "$good" etc/nftables.conf '#!/usr/sbin/nft -f\nflush ruleset\n\ntable inet filter {\n\tchain input { type filter hook input priority 0; policy drop; }\n}\n'
put "$good" etc/systemd/resolved.conf '[Resolve]\nDNSSEC=yes\n'
put "$good" etc/systemd/resolved.conf.d/50-dot.conf '[Resolve]\nDNSOverTLS=yes\n'
put "$good" proc/net/tcp "$tcp_header$tcp_ssh$tcp_cups$tcp_est"
put "$good" etc/acme/telemetry.off ''
put "$good" etc/os-release 'NAME="Acme Gateway OS"\nVERSION_ID="2.4.1"\n'

bad=$work/bad
common "$bad"
put "$bad" sys/kernel/security/lockdown '[none] integrity confidentiality\n'
put "$bad" sys/fs/selinux/enforce '0'
put "$bad" sys/kernel/security/apparmor/profiles 'sshd (enforce)\nx (complain)\n'
put "$bad" sys/module/module/parameters/sig_enforce 'N\n'
put "$bad" proc/cmdline 'root=PARTLABEL=root lockdown=integrity init=/bin/sh\n'
put "$bad" proc/sys/kernel/kptr_restrict '0\n'
put "$bad" proc/sys/net/ipv4/ip_forward '1\n'
put "$bad" proc/self/mounts '/dev/sda2 / ext4 rw 0 0\ntmpfs /tmp tmpfs rw,nodev,noexec 0 0\ndebugfs /sys/kernel/debug debugfs rw 0 0\n'
put "$bad" run/systemd/resolve/stub-resolv.conf 'nameserver 127.0.0.53\nnameserver 8.8.8.8\n'
put "$bad" etc/nftables.conf '#!/usr/sbin/nft -f\n# table inet filter is still to come\nflush ruleset\n'
put "$bad" etc/systemd/resolved.conf.d/50-dot.conf '[Resolve]\nDNSOverTLS=opportunistic\nDNSSEC=no\n'
put "$bad" proc/net/tcp "$tcp_header$tcp_ssh$tcp_telnet"
put "$bad" usr/sbin/evil 'binary\n'
chmod 4755 "$bad/usr/sbin/evil"
put "$bad" etc/acme/debug.flag 'on\n'
chmod 0644 "$bad/etc/acme/secret"
chown 0:42 "$bad/etc/acme/secret"
put "$bad" etc/acme/app.conf 'tampered\n'
rm "$bad/var/lib/mdm/enrolled"
put "$bad" etc/os-release 'NAME="Acme Gateway OS"\nVERSION_ID=2.4.0\n'
ln -s /dev/null "$bad/etc/systemd/system/auditd.service" 2>/dev/null ||
        { mkdir -p "$bad/etc/systemd/system"; ln -s /dev/null "$bad/etc/systemd/system/auditd.service"; }
rm "$bad/usr/lib/systemd/system/prodgate.timer"
chmod 0666 "$bad/dev/video0"

broken=$work/broken
mkdir -p "$broken/proc/self" "$broken/etc/systemd" "$broken/usr/bin" "$broken/var/lib"
put "$broken" sys/fs/selinux/enforce 'enforcing\n'
put "$broken" sys/module/apparmor/parameters/enabled 'Y\n'
put "$broken" proc/sys/kernel/kptr_restrict 'two\n'
put "$broken" proc/sys/net/ipv4/ip_forward '\n'
: > "$broken/proc/self/mounts"
mkdir -p "$broken/etc/nftables.conf"
ln -s acme "$broken/etc/acme-loop"
ln -s acme-loop "$broken/etc/acme"
ln -s mdm "$broken/var/lib/mdm"
put "$broken" etc/os-release 'NAME="Acme Gateway OS"\n'
put "$broken" etc/systemd/system/auditd.service '[Service]\n'
for i in $(seq 1 60); do : > "$broken/usr/bin/tool$i"; done
[ -e "$good/dev/video0" ] || report fail "mknod failed: the sensor cases need root"

# ---- per kind: pass, fail, degraded, unknown -----------------------------

run_status good.json --root "$good" --manifest kinds.pgm --trust rel.pub
run_status bad.json --root "$bad" --manifest kinds.pgm --trust rel.pub
run_status broken.json --root "$broken" --manifest kinds.pgm --trust rel.pub
same "good tree without handoff exits 1" "$status_rc" 1

ids=$(jq -r '.checks[].id' good.json)
same "every check ran" "$(wc -l <<<"$ids")" 50
for id in $ids; do
        expect_check good.json "$id" pass null
done

# bad ID REASON DETAIL: fail for ID, degraded for ID-d, same reason.
bad() {
        expect_check bad.json "$1" fail "$2" "$3"
        expect_check bad.json "$1-d" degraded "$2"
}
bad lockdown PG_ERR_CHECK_LOCKDOWN_MODE "lockdown is none, integrity required"
bad selinux PG_ERR_CHECK_SELINUX_PERMISSIVE "/sys/fs/selinux/enforce is 0"
bad apparmor PG_ERR_CHECK_APPARMOR_PROFILES "1 enforcing profiles loaded, 2 required"
bad modsig PG_ERR_CHECK_MODULE_SIG_NOT_ENFORCED "sig_enforce is N and lockdown is none"
bad cmdline PG_ERR_CHECK_CMDLINE_FORBIDDEN "'init=/bin/sh' is present"
bad sysctl PG_ERR_CHECK_SYSCTL_VALUE "kernel.kptr_restrict is 0, at least 1 required"
bad tmp-mount PG_ERR_CHECK_MOUNT_OPTION "/tmp (rw,nodev,noexec) lacks 'nosuid'"
bad debugfs PG_ERR_CHECK_FILESYSTEM_MOUNTED "debugfs is mounted on /sys/kernel/debug"
bad firewall PG_ERR_CHECK_FIREWALL_MISSING "/etc/nftables.conf defines no table"
bad forward PG_ERR_CHECK_SYSCTL_VALUE "net/ipv4/ip_forward is '1', '0' required"
bad resolver PG_ERR_CHECK_NAMESERVER_NOT_ALLOWED "nameserver 8.8.8.8"
bad resolved PG_ERR_CHECK_DNS_OVER_TLS "DNSOverTLS is opportunistic, yes required"
bad sockets PG_ERR_CHECK_SOCKET_NOT_ALLOWED "tcp 0.0.0.0:23"
bad setid PG_ERR_CHECK_SETID_FILE "/usr/sbin/evil (mode 4755)"
bad absent PG_ERR_CHECK_FILE_PRESENT "/etc/acme/debug.flag exists (file)"
bad sensors PG_ERR_CHECK_DEVICE_WORLD_ACCESS "/dev/video0 has mode 0666"
bad present PG_ERR_CHECK_FILE_MISSING "/etc/acme/telemetry.off does not exist"
bad mode PG_ERR_CHECK_FILE_MODE "/etc/acme/secret has mode 0644, at most 0640 allowed"
bad mdm PG_ERR_CHECK_MDM_NOT_ENROLLED "/var/lib/mdm/enrolled does not exist"
bad owner PG_ERR_CHECK_FILE_OWNER "/etc/acme/secret is owned by 0:42"
bad digest PG_ERR_CHECK_FILE_DIGEST "/etc/acme/app.conf has another SHA-256 than the pinned one"
bad version PG_ERR_CHECK_VERSION_MISMATCH "running 2.4.0, manifest 2.4.1"
bad services PG_ERR_CHECK_SERVICE_MISSING "auditd.service is masked"
bad services2 PG_ERR_CHECK_SERVICE_MISSING "prodgate.timer is not installed"

# unknown ID REASON DETAIL: unknown for ID and ID-d.
unknown() {
        expect_check broken.json "$1" unknown "$2" "$3"
        expect_check broken.json "$1-d" unknown "$2"
}
missing=PG_ERR_CHECK_EVIDENCE_MISSING
malformed=PG_ERR_CHECK_EVIDENCE_MALFORMED
unreadable=PG_ERR_CHECK_EVIDENCE_UNREADABLE
unknown lockdown $missing "/sys/kernel/security/lockdown: No such file or directory"
unknown selinux $malformed "/sys/fs/selinux/enforce is 'enforcing'"
unknown apparmor $missing "/sys/kernel/security/apparmor/profiles: No such file or directory"
unknown modsig $missing "/sys/module/module/parameters/sig_enforce: No such file or directory"
unknown cmdline $missing "/proc/cmdline: No such file or directory"
unknown sysctl $malformed "kernel.kptr_restrict is 'two', not a number"
unknown tmp-mount $malformed "/proc/self/mounts lists no mount containing /tmp/cache"
unknown debugfs $malformed "/proc/self/mounts lists no mount"
unknown firewall $unreadable "/etc/nftables.conf: Is a directory"
unknown resolver $missing "/etc/resolv.conf: No such file or directory"
unknown resolved $missing "no /etc/systemd/resolved.conf and no drop-in"
unknown sockets $missing "/proc/net/tcp: No such file or directory"
unknown setid PG_ERR_CHECK_WALK_LIMIT "more than 50 entries"
unknown absent $unreadable "/etc/acme/debug.flag: Too many levels of symbolic links"
unknown sensors $missing "none of the device folders exists"
unknown present $unreadable "/etc/acme/telemetry.off: Too many levels of symbolic links"
unknown mode $unreadable "/etc/acme/secret: Too many levels of symbolic links"
unknown mdm $unreadable "/var/lib/mdm/enrolled: Too many levels of symbolic links"
unknown owner $unreadable "/etc/acme/secret: Too many levels of symbolic links"
unknown digest $unreadable "/etc/acme/app.conf: Too many levels of symbolic links"
unknown version $malformed "/etc/os-release has no VERSION_ID"
unknown services $missing "/proc lists no process"
expect_check broken.json forward unknown $malformed "net/ipv4/ip_forward is empty"

# Variants of the kinds beyond the four cases.
put "$bad" sys/module/apparmor/parameters/enabled 'N\n'
run_status bad2.json --root "$bad" --manifest kinds.pgm --trust rel.pub
expect_check bad2.json apparmor fail PG_ERR_CHECK_APPARMOR_DISABLED \
        "/sys/module/apparmor/parameters/enabled is 'N'"
put "$bad" sys/kernel/security/lockdown 'none [integrity] confidentiality\n'
run_status bad3.json --root "$bad" --manifest kinds.pgm --trust rel.pub
expect_check bad3.json modsig pass null
put "$good" etc/systemd/resolved.conf.d/50-dot.conf '[Resolve]\nDNSOverTLS=true\n'
run_status good2.json --root "$good" --manifest kinds.pgm --trust rel.pub
expect_check good2.json resolved pass null
rm "$good/etc/systemd/resolved.conf.d/50-dot.conf"
run_status good3.json --root "$good" --manifest kinds.pgm --trust rel.pub
expect_check good3.json resolved fail PG_ERR_CHECK_DNS_OVER_TLS "DNSOverTLS is no, yes required"
put "$good" etc/systemd/resolved.conf.d/50-dot.conf '[Resolve]\nDNSOverTLS=yes\n'
# Evidence quoted in a detail stays one printable line.
put "$broken" sys/fs/selinux/enforce 'en\tforcing\r\033[0m\n'
run_status broken2.json --root "$broken" --manifest kinds.pgm --trust rel.pub
expect_check broken2.json selinux unknown $malformed "/sys/fs/selinux/enforce is 'en?forcing??[0m'"
put "$broken" sys/fs/selinux/enforce 'enforcing\n'

# ---- gates and decisions -------------------------------------------------

same "objective from a failed check" \
        "$(jq -r '.gates[2].objectives[1] | "\(.outcome) \(.reason) \(.source)"' bad.json)" \
        "fail PG_ERR_CHECK_LOCKDOWN_MODE runtime"
same "gate 1 without handoff" "$(jq -r '.gates[0] | "\(.outcome) \(.reason)"' good.json)" \
        "unknown PG_ERR_DECIDE_NO_HANDOFF"
same "pre-OS objective 4.0 without handoff" \
        "$(jq -r '.gates[3].objectives[0] | "\(.outcome) \(.reason) \(.source)"' good.json)" \
        "unknown PG_ERR_DECIDE_NO_HANDOFF handoff-missing"
same "runtime gate 3 still judged" "$(jq -r '.gates[2].outcome' good.json)" pass
same "readiness without handoff" \
        "$(jq -c '.decisions.production_readiness' good.json)" \
        '{"met":false,"outcome":"unknown","gates":[1,2,4,9],"blocking":[1,2,4,9]}'
same "tier without handoff" "$(jq -r '.decisions.trust_tier.name' good.json)" none
same "handoff reported missing" "$(jq -c '.handoff | [.found, .used, .reason]' good.json)" \
        '[false,false,"PG_ERR_DECIDE_NO_HANDOFF"]'

# A handoff blob from a boot with this manifest: the seed's manifest digest
# replaced by the SHA-256 of the signed payload.
"$tool" manifest extract --payload kinds.dtb kinds.pgm
digest=$(sha256sum kinds.dtb | cut -d' ' -f1)
cp "$handoff_seed" handoff.dtb
printf "$(sed 's/../\\x&/g' <<<"$digest")" | dd of=handoff.dtb bs=1 seek=$((0xec)) conv=notrunc status=none
# The seed leaves objective 4.2 (controlled platform state) pending; the
# current EFI stage evaluates it, so it is set to pass (outcome and reason 0).
printf '\0\0\0\0' | dd of=handoff.dtb bs=1 seek=$((0x4c4)) conv=notrunc status=none
printf '\0\0\0\0' | dd of=handoff.dtb bs=1 seek=$((0x4d4)) conv=notrunc status=none
"$tool" handoff show handoff.dtb > handoff.txt 2>&1
same "patched handoff is valid" "$?" 0

# The boot that left handoff.dtb: its events in PCR 13 and in fw.bin.
swtpm_start tpm && manifest_ids "$tool" kinds.pgm rel.pub &&
        preos_measure handoff.dtb boot "$manifest_digest" "$manifest_keyid"
same "synthetic boot measured" "$?" 0
export TPM2TOOLS_TCTI=$swtpm_tcti
fw=$work/boot/fw.bin

run_status ready.json --root "$good" --manifest kinds.pgm --trust rel.pub --handoff handoff.dtb \
        --eventlog "$fw"
same "ready exits 0" "$status_rc" 0
same "ready decision" "$(jq -c '.decisions.production_readiness' ready.json)" \
        '{"met":true,"outcome":"pass","gates":[1,2,4,9],"blocking":[]}'
same "ota eligible" "$(jq -r '.decisions.ota_eligibility.met' ready.json)" true
same "tier affirming" "$(jq -c '.decisions.trust_tier' ready.json)" '{"name":"affirming","value":2}'
same "gate 4 from handoff and checks" \
        "$(jq -r '[.gates[3].objectives[].source] | join(" ")' ready.json)" \
        "handoff runtime handoff"
same "all gates pass" "$(jq -r '[.gates[].outcome] | unique | join(" ")' ready.json)" pass

run_status notready.json --root "$bad" --manifest kinds.pgm --trust rel.pub --handoff handoff.dtb \
        --eventlog "$fw"
same "not ready exits 1" "$status_rc" 1
same "bad tier contraindicated" "$(jq -r '.decisions.trust_tier.name' notready.json)" contraindicated
same "bad blocking gates" "$(jq -c '.decisions.production_readiness.blocking' notready.json)" '[4,9]'

run_status unk.json --root "$broken" --manifest kinds.pgm --trust rel.pub --handoff handoff.dtb \
        --eventlog "$fw"
same "broken tier none" "$(jq -r '.decisions.trust_tier.name' unk.json)" none
same "broken gate 9" "$(jq -r '.gates[8] | "\(.outcome) \(.reason)"' unk.json)" \
        "unknown PG_ERR_CHECK_EVIDENCE_MALFORMED"

# Degraded only in advisory gates: warning, still ready.
put "$good" etc/acme/telemetry.off ''
rm "$good/etc/acme/telemetry.off"
run_status warn.json --root "$good" --manifest kinds.pgm --trust rel.pub --handoff handoff.dtb \
        --eventlog "$fw"
same "advisory issue exits 0" "$status_rc" 0
same "advisory issue is warning" "$(jq -r '.decisions.trust_tier.name' warn.json)" warning
same "gate 7 fails" "$(jq -r '.gates[6] | "\(.outcome) \(.reason)"' warn.json)" \
        "fail PG_ERR_CHECK_FILE_MISSING"
same "gate 7 remediation" "$(jq -r '.gates[6].objectives[1].remediation' warn.json)" \
        "Fix present."
put "$good" etc/acme/telemetry.off ''

# The handoff of another manifest does not count.
run_status other.json --root "$good" --manifest misc.pgm --trust rel.pub --handoff handoff.dtb \
        --eventlog "$fw"
same "handoff of another manifest" "$(jq -r '.gates[0] | "\(.outcome) \(.reason)"' other.json)" \
        "unknown PG_ERR_DECIDE_HANDOFF_MANIFEST"
# A variable that is not the measured blob: the measured copy counts, and
# the difference is a security-monitoring finding.
head -c 100 handoff.dtb > short.dtb
run_status short.json --root "$good" --manifest kinds.pgm --trust rel.pub --handoff short.dtb \
        --eventlog "$fw"
same "truncated handoff" "$(jq -r '.gates[1].outcome, .gates[9].reason' short.json | xargs)" \
        "pass PG_ERR_XCHECK_HANDOFF_ALTERED"
run_status seed.json --root "$good" --manifest kinds.pgm --trust rel.pub --handoff "$handoff_seed"
same "handoff without an event log" "$(jq -r '.gates[0] | "\(.outcome) \(.reason)"' seed.json)" \
        "unknown PG_ERR_XCHECK_EVENTLOG_UNAVAILABLE"
run_status nofile.json --root "$good" --manifest kinds.pgm --trust rel.pub --handoff nothing.dtb
same "missing --handoff file" "$(jq -r '.gates[0].reason' nofile.json)" \
        PG_ERR_CHECK_EVIDENCE_MISSING

# Defaults under the root: the ESP manifest and the efivarfs variable.
mkdir -p "$good/boot/efi/EFI/BOOT" "$good/sys/firmware/efi/efivars"
cp kinds.pgm "$good/boot/efi/EFI/BOOT/manifest.pgm"
{ printf '\x06\x00\x00\x00'; cat handoff.dtb; } \
        > "$good/sys/firmware/efi/efivars/ProdgateHandoff-e5cb0626-6b30-4217-9552-d89e146a60e6"
mkdir -p "$good/sys/kernel/security/tpm0"
cp "$fw" "$good/sys/kernel/security/tpm0/binary_bios_measurements"
run_status defaults.json --root "$good" --trust rel.pub
same "defaults under root exit 0" "$status_rc" 0
same "default manifest path" "$(jq -r '.manifest.path' defaults.json)" \
        /boot/efi/EFI/BOOT/manifest.pgm
same "default handoff used" "$(jq -r '.handoff.used' defaults.json)" true

# ---- misc: unknown kinds, parameters, not-applicable, escapes -------------

mkdir -p "$work/outside"
printf 'outside\n' > "$work/outside/secret"
mkdir -p "$good/etc"
ln -s ../../../../../../../outside "$good/etc/escape"
ln -s "$work/outside/secret" "$good/etc/abs-escape"
ln -s /etc/acme/app.conf "$good/etc/inner-link"
ln -s /etc/acme/app.conf/ "$good/etc/slash-link"
for mode in openat2 manual; do
        if [ $mode = manual ]; then export PG_ROOTFS_MANUAL=1; fi
        run_status misc-$mode.json --root "$good" --manifest misc.pgm --trust rel.pub
        j=misc-$mode.json
        expect_check $j frob unknown PG_ERR_CHECK_UNKNOWN_KIND "kind 'frobnicate'"
        expect_check $j badparam unknown PG_ERR_CHECK_BAD_PARAMETER "unknown parameter 'level'"
        expect_check $j noequals unknown PG_ERR_CHECK_BAD_PARAMETER \
                "parameter 'integrity' is not NAME=VALUE"
        expect_check $j twice unknown PG_ERR_CHECK_BAD_PARAMETER "parameter 'mode' given twice"
        expect_check $j badmode unknown PG_ERR_CHECK_BAD_PARAMETER \
                "mode=none is not integrity or confidentiality"
        expect_check $j relpath unknown PG_ERR_CHECK_BAD_PARAMETER "path=etc/acme is not absolute"
        expect_check $j mdm-na not-applicable PG_ERR_DECIDE_NOT_APPLICABLE
        same "$j gate 8 not-applicable" "$(jq -r '.gates[7] | "\(.outcome) \(.reason)"' $j)" \
                "not-applicable PG_ERR_DECIDE_NOT_APPLICABLE"
        expect_check $j esc-rel unknown $missing "/etc/escape/secret: No such file or directory"
        expect_check $j esc-abs fail PG_ERR_CHECK_FILE_MISSING "/etc/abs-escape does not exist"
        expect_check $j esc-dots fail PG_ERR_CHECK_FILE_MISSING \
                "/../../outside/secret does not exist"
        expect_check $j esc-inner pass null
        expect_check $j device-read unknown $unreadable "/dev/video0: Invalid argument"
        # A trailing '/', in the path or in a link target, needs a folder.
        expect_check $j slash-file unknown $missing "/etc/acme/app.conf/: Not a directory"
        expect_check $j slash-link unknown $missing "/etc/slash-link: Not a directory"
        unset PG_ROOTFS_MANUAL
done
# With the target inside the root, the same escaping links resolve there.
mkdir -p "$good/outside"
printf 'outside\n' > "$good/outside/secret"
mkdir -p "$good/$work/outside"
printf 'inside\n' > "$good/$work/outside/secret"
for mode in openat2 manual; do
        if [ $mode = manual ]; then export PG_ROOTFS_MANUAL=1; fi
        run_status clamp-$mode.json --root "$good" --manifest misc.pgm --trust rel.pub
        expect_check clamp-$mode.json esc-rel pass null
        expect_check clamp-$mode.json esc-abs pass null
        expect_check clamp-$mode.json esc-dots pass null
        unset PG_ROOTFS_MANUAL
done

# ---- command line, output, exit statuses ---------------------------------

"$tool" status --root "$good" --manifest kinds.pgm > /dev/null 2>&1
same "no --trust exits 2" "$?" 2
"$tool" status --root "$good" --manifest kinds.pgm --trust rel.pub --color sometimes > /dev/null 2>&1
same "bad --color exits 2" "$?" 2
"$tool" status --root "$good" --manifest kinds.pgm --trust other.pub > out.txt 2>&1
same "untrusted manifest exits 3" "$?" 3
grep -q PG_ERR_MANIFEST_UNTRUSTED_KEY out.txt
same "untrusted manifest reason" "$?" 0
"$tool" status --root "$work/broken" --trust rel.pub > out.txt 2>&1
same "missing manifest exits 3" "$?" 3
"$tool" status --root "$work/nothing" --manifest kinds.pgm --trust rel.pub > /dev/null 2>&1
same "missing root exits 3" "$?" 3
run_status example.json --root "$good" --manifest example.pgm --trust rel.pub
same "docs example evaluates" "$(jq -r '.checks | length' example.json)" 23

"$tool" status --root "$good" --manifest kinds.pgm --trust rel.pub --handoff handoff.dtb \
        --color never > text.txt
same "text exits 0" "$?" 0
grep -q "production readiness:  yes (pass)" text.txt
same "text shows readiness" "$?" 0
grep -q "trust tier:            affirming" text.txt
same "text shows tier" "$?" 0
grep -q $'\033' text.txt
same "never has no colour" "$?" 1
"$tool" status --root "$bad" --manifest kinds.pgm --trust rel.pub --color always > colour.txt
grep -q $'\033\\[1;31mfail' colour.txt
same "always colours fail" "$?" 0
grep -q "remediation: Fix selinux." colour.txt
same "text shows remediation" "$?" 0

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
