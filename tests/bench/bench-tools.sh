#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The process-level part of make bench, run after build/bench:
#   - prodgate eventlog --json against tpm2_eventlog over the corpus logs
#     both accept, every log run PG_BENCH_ROUNDS times by each tool;
#   - the size of prodgate.efi against Debian's systemd-bootx64.efi;
#   - the median wall time and the peak RSS of prodgate status --json on a
#     fixture tree built here, with the runtime checks of
#     docs/examples/manifest.dts signed by a key made for this run.
# One line per figure. Needs PG_TOOL, PG_EFI_APP, PG_CORPUS, tpm2_eventlog,
# openssl, jq and /usr/bin/time (Debian package time).
set -u

tool=${PG_TOOL:?set PG_TOOL to the prodgate binary}
efi_app=${PG_EFI_APP:?set PG_EFI_APP to prodgate.efi}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${PG_CORPUS:-$root/../shared/corpus}/eventlogs
rounds=${PG_BENCH_ROUNDS:-20}
status_runs=${PG_BENCH_STATUS_RUNS:-50}
sd_boot=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
work=$(mktemp -d)
trap '[ -n "${PG_KEEP:-}" ] || rm -rf "$work"' EXIT

die() {
        echo "bench-tools: $*" >&2
        exit 1
}

# ---- event logs ------------------------------------------------------------

# The same set as tests/bench/bench_eventlog.c: every file except the
# corpus's notes and expected values, kept when both tools exit 0.
logs=()
excluded=()
bytes=0
if [ -d "$corpus" ]; then
        while IFS= read -r f; do
                case $f in
                *.txt | *.md | *.json | *.yaml | *.b64 | *.warn | */README) continue ;;
                esac
                name=${f#"$corpus"/}
                if ! "$tool" eventlog --json "$f" > /dev/null 2>&1; then
                        excluded+=("$name (prodgate rejects)")
                        continue
                fi
                # In a subshell, so that bash's message about a crash of
                # tpm2_eventlog goes to /dev/null too.
                (tpm2_eventlog "$f"; exit $?) > /dev/null 2>&1
                rc=$?
                if [ "$rc" -gt 128 ]; then
                        excluded+=("$name (tpm2_eventlog killed by signal $((rc - 128)))")
                elif [ "$rc" -ne 0 ]; then
                        excluded+=("$name (tpm2_eventlog exit $rc)")
                else
                        logs+=("$f")
                        bytes=$((bytes + $(stat -c %s "$f")))
                fi
        done < <(find "$corpus" -type f | LC_ALL=C sort)
fi

# time_round NAME ARGS...: runs NAME ARGS... FILE once for every log and
# prints the seconds taken.
time_round() {
        local start end f
        start=$EPOCHREALTIME
        for f in "${logs[@]}"; do
                "$@" "$f" > /dev/null 2>&1 || die "$* $f failed"
        done
        end=$EPOCHREALTIME
        awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f", e - s }'
}

if [ ! -d "$corpus" ]; then
        echo "eventlog processes: skipped, $corpus not found (set PG_CORPUS to the corpus folder)"
elif [ ${#logs[@]} -eq 0 ]; then
        echo "eventlog processes: skipped, no log under $corpus that both tools accept"
else
        echo "eventlog set: ${#logs[@]} logs, $bytes bytes; excluded: ${#excluded[@]}$(
                printf ', %s' "${excluded[@]}")"
        # The tools take turns round by round, so a change of load hits both.
        t_pg=0
        t_tt=0
        for ((r = 0; r < rounds; r++)); do
                d_pg=$(time_round "$tool" eventlog --json) || exit 1
                d_tt=$(time_round tpm2_eventlog) || exit 1
                t_pg=$(awk -v a="$t_pg" -v b="$d_pg" 'BEGIN { printf "%.6f", a + b }')
                t_tt=$(awk -v a="$t_tt" -v b="$d_tt" 'BEGIN { printf "%.6f", a + b }')
        done
        awk -v n="${#logs[@]}" -v b="$bytes" -v r="$rounds" -v p="$t_pg" -v t="$t_tt" 'BEGIN {
                printf "eventlog processes (%d logs x %d rounds): prodgate eventlog --json %.1f MB/s, %.0f logs/s; tpm2_eventlog %.1f MB/s, %.0f logs/s; ratio %.2f\n",
                        n, r, b * r / p / 1e6, n * r / p, b * r / t / 1e6, n * r / t, t / p
        }'
fi

# ---- EFI binary size ---------------------------------------------------------

[ -f "$efi_app" ] || die "$efi_app not found"
if [ -f "$sd_boot" ]; then
        awk -v p="$(stat -c %s "$efi_app")" -v s="$(stat -c %s "$sd_boot")" 'BEGIN {
                printf "efi size: prodgate.efi %d bytes, systemd-bootx64.efi %d bytes, ratio %.2f\n",
                        p, s, p / s
        }'
else
        echo "efi size: prodgate.efi $(stat -c %s "$efi_app") bytes; $sd_boot missing" \
                "(Debian package systemd-boot-efi)"
fi

# ---- prodgate status on a fixture tree -----------------------------------------

# put PATH CONTENT [MODE]: writes a file of the tree, making its folders.
put() {
        mkdir -p "$(dirname "$tree/$1")"
        printf '%b' "$2" > "$tree/$1"
        [ -z "${3:-}" ] || chmod "$3" "$tree/$1"
}

openssl genrsa -out "$work/key.pem" 3072 2> /dev/null || die "openssl genrsa failed"
openssl rsa -in "$work/key.pem" -pubout -out "$work/key.pub" 2> /dev/null ||
        die "openssl rsa failed"
"$tool" manifest sign --key "$work/key.pem" -o "$work/manifest.pgm" \
        "$root/docs/examples/manifest.dts" > "$work/sign.log" 2>&1 ||
        die "manifest sign failed: $(cat "$work/sign.log")"

# A tree on which every check of the example manifest passes (shadow-owner
# only when the bench runs as root, because it needs chown).
tree=$work/root
profiles=
for i in $(seq 1 12); do
        profiles+="profile$i (enforce)\n"
done
put sys/kernel/security/lockdown 'none [integrity] confidentiality\n'
put sys/module/module/parameters/sig_enforce 'Y\n'
put sys/module/apparmor/parameters/enabled 'Y\n'
put sys/kernel/security/apparmor/profiles "$profiles"
put proc/cmdline 'BOOT_IMAGE=/vmlinuz root=PARTLABEL=root ro lockdown=integrity quiet\n'
put proc/self/mounts '/dev/sda2 / ext4 rw,relatime 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev,noexec 0 0\nproc /proc proc rw 0 0\n'
put proc/sys/kernel/kptr_restrict '1\n'
put proc/sys/net/ipv4/ip_forward '0\n'
put proc/net/tcp '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0 100 0 0 10 0\n'
put proc/net/udp '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n  10: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 200 2 0 0\n'
put proc/1/comm 'systemd\n'
put proc/321/comm 'auditd\n'
put etc/nftables.conf '#!/usr/sbin/nft -f\nflush ruleset\n\ntable inet filter {\n\tchain input { type filter hook input priority 0; policy drop; }\n}\n'
put run/systemd/resolve/stub-resolv.conf 'nameserver 127.0.0.53\noptions edns0\n'
ln -s /run/systemd/resolve/stub-resolv.conf "$tree/etc/resolv.conf"
put etc/systemd/resolved.conf '[Resolve]\nDNSOverTLS=yes\nDNSSEC=allow-downgrade\n'
put etc/acme/telemetry.disabled ''
mkdir -p "$tree/var/log/audit"
chmod 0750 "$tree/var/log/audit"
put var/lib/acme-mdm/enrolled 'tenant=acme\n'
put etc/os-release 'NAME="Acme Gateway OS"\nVERSION_ID="2.4.1"\n'
put usr/lib/systemd/system/auditd.service '[Service]\nExecStart=/sbin/auditd\n'
put usr/lib/systemd/system/prodgate-measure.service '[Service]\nType=oneshot\n'
put etc/ssh/sshd_config 'foo'
put etc/shadow 'root:*:20000:0:99999:7:::\n' 0640
chown 0:42 "$tree/etc/shadow" 2> /dev/null
mkdir -p "$tree/dev/snd"
put usr/bin/passwd 'binary\n' 4755
for d in usr/bin usr/sbin usr/lib usr/libexec; do
        for i in $(seq 1 100); do
                put "$d/file$i" 'binary\n' 0755
        done
done

status=("$tool" status --root "$tree" --manifest "$work/manifest.pgm" --trust "$work/key.pub"
        --json)
"${status[@]}" > "$work/status.json" 2> "$work/status.err"
rc=$?
# 0 ready, 1 not ready (no handoff blob and no TPM here); anything else is an error.
[ "$rc" -le 1 ] || die "prodgate status exited $rc: $(cat "$work/status.err")"
checks=$(jq '.checks | length' "$work/status.json")

times=()
for ((r = 0; r < status_runs; r++)); do
        start=$EPOCHREALTIME
        "${status[@]}" > /dev/null 2>&1
        end=$EPOCHREALTIME
        times+=("$start $end")
done
median_ms=$(printf '%s\n' "${times[@]}" | awk '{ printf "%.6f\n", ($2 - $1) * 1000 }' |
        sort -g | awk '{ v[NR] = $1 } END {
                if (NR % 2) printf "%.2f", v[(NR + 1) / 2]
                else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')

rss=0
for r in 1 2 3 4 5; do
        /usr/bin/time -f %M -o "$work/rss" "${status[@]}" > /dev/null 2>&1
        kb=$(tail -n 1 "$work/rss")
        [ "$kb" -le "$rss" ] || rss=$kb
done
echo "status (example manifest, $checks checks, fixture tree, $status_runs runs):" \
        "median ${median_ms} ms, peak RSS ${rss} KiB"
