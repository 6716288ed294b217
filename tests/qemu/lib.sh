# SPDX-License-Identifier: BSD-2-Clause
#
# QEMU boot-test harness, sourced by tests/qemu/test_*.sh. It boots an EFI
# application from a FAT ESP image under OVMF, with swtpm as the TPM, and
# checks the serial console for marker lines.
#
#   pg_qemu_init                       private work dir and cleanup trap
#   pg_sign_efi IN OUT                 sign with Debian's OVMF snakeoil key
#   pg_esp_build IMG APP [ESP_PATH=HOST_FILE ...]
#                                      FAT image, APP as EFI/BOOT/BOOTX64.EFI
#   pg_blkdebug_rules OUT IMG ESP_PATH HOST_FILE [ERRNO]
#                                      blkdebug rules failing reads of a file in IMG
#   pg_boot [OPTIONS] IMG [-- QEMU_ARG ...]
#                                      one boot; sets PG_BOOT_* (see pg_boot)
#   expect_marker REGEX [TEXT]         the cleaned serial log matches REGEX
#   expect_no_marker REGEX [TEXT]      it does not
#   expect_poweroff / expect_timeout / expect_exit CODE
#   pg_summary                         prints "N passed, N failed"
#
# Every process the harness starts is recorded by PID; the trap on EXIT,
# INT and TERM stops those PIDs (and no others) and removes the work dir
# unless PG_QEMU_KEEP=1. Call pg_boot from the test's own shell, never
# inside $(...), because its children must belong to the shell that set the
# trap.
#
# Environment:
#   PG_EFI_APP        EFI application (default: build/prodgate.efi)
#   PG_QEMU_TIMEOUT   seconds before a boot is killed (default 120)
#   PG_QEMU_ACCEL     tcg (default), kvm, or auto (probe KVM with a real boot)
#   PG_QEMU_MEM       guest memory in MiB (default 512)
#   PG_QEMU_KEEP      1 keeps the work dir and prints its path
#   PG_OVMF_DIR       OVMF firmware images (default /usr/share/OVMF)
#   TMPDIR            parent of the work dir (default /tmp)

PG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_EFI_APP=${PG_EFI_APP:-$PG_ROOT/build/prodgate.efi}
PG_QEMU_TIMEOUT=${PG_QEMU_TIMEOUT:-120}
PG_QEMU_ACCEL=${PG_QEMU_ACCEL:-tcg}
PG_QEMU_MEM=${PG_QEMU_MEM:-512}
PG_QEMU_KEEP=${PG_QEMU_KEEP:-0}
PG_OVMF_DIR=${PG_OVMF_DIR:-/usr/share/OVMF}
PG_SNAKEOIL_KEY=/usr/share/ovmf/PkKek-1-snakeoil.key
PG_SNAKEOIL_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem
# Debian's README.Debian for ovmf gives this passphrase for the test key.
PG_SNAKEOIL_PASS=snakeoil

# mtools checks the geometry of real floppies; an image file has none.
export MTOOLS_SKIP_CHECK=1

pg_pids=()
pg_passed=0
pg_failed=0
pg_boot_count=0
pg_cleaned=0
pg_tail_shown=
pg_accel=
pg_fw_code=
pg_fw_args=()
pg_swtpm_pid=
pg_qemu_rc=
PG_WORK=

pg_log() {
        echo "qemu-harness: $*" >&2
}

# ---- processes and cleanup -------------------------------------------------

pg_track_pid() {
        pg_pids+=("$1")
}

# True while bash's job table lists PID as a running child of this shell.
pg_pid_running() {
        local pid
        for pid in $(jobs -rp); do
                [ "$pid" = "$1" ] && return 0
        done
        return 1
}

pg_untrack_pid() {
        local pid kept=()
        for pid in "${pg_pids[@]}"; do
                [ "$pid" = "$1" ] || kept+=("$pid")
        done
        pg_pids=("${kept[@]}")
}

# Stops one recorded child: SIGTERM, up to 5 s for it to exit, then SIGKILL.
# Signals go only to a PID that bash still lists as a running child, so a
# PID that was reaped and reused by another process is never signalled.
pg_stop_pid() {
        local pid=$1 i
        if pg_pid_running "$pid"; then
                kill -TERM "$pid" 2>/dev/null
                for ((i = 0; i < 50; i++)); do
                        pg_pid_running "$pid" || break
                        sleep 0.1
                done
                pg_pid_running "$pid" && kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null
        pg_untrack_pid "$pid"
}

pg_qemu_cleanup() {
        [ "$pg_cleaned" = 1 ] && return
        pg_cleaned=1
        local pid
        for pid in "${pg_pids[@]}"; do
                pg_stop_pid "$pid"
        done
        if [ -n "$PG_WORK" ] && [ -d "$PG_WORK" ]; then
                if [ "$PG_QEMU_KEEP" = 1 ]; then
                        pg_log "kept work dir $PG_WORK"
                else
                        rm -rf "$PG_WORK"
                fi
        fi
}

pg_qemu_init() {
        local tool missing=()
        for tool in qemu-system-x86_64 swtpm mkfs.fat mmd mcopy sbsign sbverify openssl timeout; do
                command -v "$tool" >/dev/null || missing+=("$tool")
        done
        if [ ${#missing[@]} -ne 0 ]; then
                pg_log "missing tools: ${missing[*]}; run 'make deps' as root"
                echo "0 passed, 1 failed"
                exit 1
        fi
        if [ ! -r "$PG_EFI_APP" ]; then
                pg_log "EFI application $PG_EFI_APP not found; run 'make build/prodgate.efi'"
                echo "0 passed, 1 failed"
                exit 1
        fi
        # Short name: the swtpm socket path must fit in sun_path (108 bytes).
        PG_WORK=$(mktemp -d "${TMPDIR:-/tmp}/pgq.XXXXXX") || exit 1
        trap pg_qemu_cleanup EXIT
        trap 'pg_qemu_cleanup; exit 130' INT
        trap 'pg_qemu_cleanup; exit 143' TERM
}

# ---- signing and ESP image -------------------------------------------------

# Decrypts the snakeoil key once per work dir; prints its path.
pg_snakeoil_key() {
        local key=$PG_WORK/snakeoil.key
        if [ ! -s "$key" ]; then
                (umask 077 && openssl rsa -in "$PG_SNAKEOIL_KEY" -passin "pass:$PG_SNAKEOIL_PASS" \
                        -out "$key" 2>"$PG_WORK/openssl.log") || {
                        pg_log "failed to decrypt $PG_SNAKEOIL_KEY:"
                        cat "$PG_WORK/openssl.log" >&2
                        return 1
                }
        fi
        echo "$key"
}

# pg_sign_efi IN OUT: signs an EFI binary with the snakeoil key that Debian's
# OVMF_VARS_4M.snakeoil.fd enrolls in db, then verifies the signature.
pg_sign_efi() {
        local in=$1 out=$2 key
        key=$(pg_snakeoil_key) || return 1
        # sbsign warns about gaps between gnu-efi's PE sections; that is harmless.
        if ! sbsign --key "$key" --cert "$PG_SNAKEOIL_CERT" --output "$out" "$in" \
                >"$PG_WORK/sbsign.log" 2>&1; then
                pg_log "sbsign $in failed:"
                cat "$PG_WORK/sbsign.log" >&2
                return 1
        fi
        if ! sbverify --cert "$PG_SNAKEOIL_CERT" "$out" >"$PG_WORK/sbverify.log" 2>&1; then
                pg_log "sbverify $out failed:"
                cat "$PG_WORK/sbverify.log" >&2
                return 1
        fi
}

# Prints the FAT image size in KiB for the given files: their sizes plus 10%
# for FAT overhead plus 4 MiB, rounded up to whole MiB.
pg_esp_size_kb() {
        local file total_kb=0
        for file in "$@"; do
                total_kb=$((total_kb + ($(stat -c %s "$file") + 1023) / 1024))
        done
        echo $(((total_kb + total_kb / 10 + 4096 + 1023) / 1024 * 1024))
}

# Copies HOST_FILE to ESP_PATH in the image, creating the parent folders.
pg_esp_copy() {
        local img=$1 src=$2 dest=$3 dir= part
        local -a parts=()
        if [ "${dest%/*}" != "$dest" ]; then
                IFS=/ read -ra parts <<<"${dest%/*}"
        fi
        for part in "${parts[@]}"; do
                dir+=/$part
                # mmd fails when the folder exists, which is fine here.
                mmd -i "$img" "::$dir" 2>/dev/null || true
        done
        if ! mcopy -o -i "$img" "$src" "::/$dest"; then
                pg_log "mcopy $src to ::/$dest in $img failed"
                return 1
        fi
}

# pg_esp_build IMG APP [ESP_PATH=HOST_FILE ...]: writes a FAT image with no
# partition table. It contains APP as EFI/BOOT/BOOTX64.EFI and each extra
# file at its ESP path, e.g. EFI/prodgate/manifest=/tmp/m.bin.
pg_esp_build() {
        local img=$1 app=$2
        shift 2
        local spec dest src i
        local -a dests=(EFI/BOOT/BOOTX64.EFI) srcs=("$app")

        for spec in "$@"; do
                dest=${spec%%=*}
                src=${spec#*=}
                if [ "$dest" = "$spec" ] || [ -z "$dest" ]; then
                        pg_log "pg_esp_build: invalid file spec '$spec'; expected ESP_PATH=HOST_FILE"
                        return 1
                fi
                dests+=("${dest#/}")
                srcs+=("$src")
        done
        for src in "${srcs[@]}"; do
                if [ ! -r "$src" ]; then
                        pg_log "pg_esp_build: $src not found"
                        return 1
                fi
        done

        rm -f "$img"
        if ! mkfs.fat -C -n PGESP "$img" "$(pg_esp_size_kb "${srcs[@]}")" >"$PG_WORK/mkfs.log" 2>&1; then
                pg_log "mkfs.fat $img failed:"
                cat "$PG_WORK/mkfs.log" >&2
                return 1
        fi
        for ((i = 0; i < ${#dests[@]}; i++)); do
                pg_esp_copy "$img" "${srcs[i]}" "${dests[i]}" || return 1
        done
}

# pg_esp_sectors IMG ESP_PATH HOST_FILE: prints "FIRST COUNT" for each run of
# 512-byte sectors that contains ESP_PATH's content in the FAT image IMG (no
# partition table), from the file's cluster chain (mshowfat) and the boot
# sector's geometry. Fails unless those sectors hold exactly HOST_FILE's
# bytes, so a wrong offset is never used.
pg_esp_sectors() {
        local img=$1 path=$2 file=$3 chain
        chain=$(mshowfat -i "$img" "::/${path#/}") || return 1
        python3 - "$img" "$file" "$chain" <<'PY'
import re, struct, sys
img_path, file_path, chain = sys.argv[1:4]
img = open(img_path, "rb")
bpb = img.read(64)
bps, spc, rsvd, nfats, root_ents = struct.unpack_from("<HBHBH", bpb, 11)
fatsz = struct.unpack_from("<H", bpb, 22)[0] or struct.unpack_from("<I", bpb, 36)[0]
if bps != 512:
    sys.exit("%s: %d-byte sectors; expected 512" % (img_path, bps))
first_data = rsvd + nfats * fatsz + (root_ents * 32 + bps - 1) // bps
content = open(file_path, "rb").read()
left = (len(content) + 511) // 512
runs, chain_bytes = [], b""
for a, b in re.findall(r"<(\d+)(?:-(\d+))?>", chain):
    a, b = int(a), int(b or a)
    first, count = first_data + (a - 2) * spc, min((b - a + 1) * spc, left)
    if count <= 0:
        break
    img.seek(first * 512)
    chain_bytes += img.read(count * 512)
    runs.append((first, count))
    left -= count
if left or chain_bytes[:len(content)] != content:
    sys.exit("%s: the sectors of %s do not hold %s" % (img_path, chain.split()[0], file_path))
for first, count in runs:
    print(first, count)
PY
}

# pg_blkdebug_rules OUT IMG ESP_PATH HOST_FILE [ERRNO]: writes a blkdebug
# rules file that fails every read (event read_aio) of a 512-byte sector
# holding ESP_PATH in IMG with ERRNO (default 5, EIO). blkdebug's sector=
# matches a request that contains the sector's first byte, so there is one
# rule per sector.
pg_blkdebug_rules() {
        local out=$1 img=$2 path=$3 file=$4 errno=${5:-5} runs first count
        runs=$(pg_esp_sectors "$img" "$path" "$file") || return 1
        : >"$out"
        while read -r first count; do
                awk -v f="$first" -v n="$count" -v e="$errno" 'BEGIN {
                        for (i = 0; i < n; i++)
                                printf "[inject-error]\nevent = \"read_aio\"\nerrno = \"%d\"\nsector = \"%d\"\n\n", e, f + i
                }' >>"$out"
        done <<<"$runs"
}

# ---- QEMU ----------------------------------------------------------------

# Replaces the calling (background) shell with swtpm for the boot folder DIR.
pg_swtpm_exec() {
        local dir=$1
        exec swtpm socket --tpm2 --tpmstate "dir=$dir/tpm" \
                --ctrl "type=unixio,path=$dir/swtpm.sock" --terminate \
                --log "file=$dir/swtpm.log"
}

# pg_swtpm_supervise DIR REGEX DELAY SIGNAL SERIAL: runs as a background job
# of its own. It starts swtpm as its own child and follows the serial log
# SERIAL, polling it every 2 ms (SERIAL must exist before QEMU opens it).
# DELAY seconds after a line matches the extended regex REGEX (after
# removing carriage returns and ANSI escapes), it sends SIGNAL to swtpm
# (KILL: the TPM is gone; STOP: it stops responding) and writes
# "EPOCH_NS LINE" to DIR/tpm-stopped. SIGTERM ends it and its swtpm.
pg_swtpm_supervise() {
        local dir=$1 re=$2 delay=$3 sig=$4 serial=$5 spid chunk buf= line fd
        shopt -s extglob
        # Signals go only to a swtpm that this shell still lists as running,
        # so a PID that was reaped and reused is never signalled.
        trap '[ -n "${spid:-}" ] && pg_pid_running "$spid" && kill -KILL "$spid" 2>/dev/null; wait; exit 0' TERM
        pg_swtpm_exec "$dir" &
        spid=$!
        exec {fd}<"$serial" || exit 1
        while :; do
                if IFS= read -r chunk <&"$fd"; then
                        line=$buf$chunk
                        buf=
                        line=${line//$'\r'/}
                        line=${line//$'\e'\[*([0-9;?=])[A-Za-z]/}
                        if [[ $line =~ $re ]]; then
                                [ "$delay" = 0 ] || sleep "$delay"
                                pg_pid_running "$spid" && kill -"$sig" "$spid"
                                echo "$(date +%s%N) $line" >"$dir/tpm-stopped"
                                # A stopped child never exits: wait for SIGTERM instead.
                                while [ "$sig" = STOP ]; do
                                        sleep 0.2
                                done
                                wait "$spid"
                                exit 0
                        fi
                else
                        # End of the file for now: keep the partial line.
                        buf+=$chunk
                        sleep 0.002
                fi
        done
}

# pg_swtpm_start DIR [STOP_REGEX [DELAY [SIGNAL]]]: starts swtpm for one boot
# in DIR and waits for its control socket. With STOP_REGEX,
# pg_swtpm_supervise owns swtpm and pg_swtpm_pid is the supervisor's PID.
pg_swtpm_start() {
        local dir=$1 stop_re=${2:-} delay=${3:-0} sig=${4:-KILL} i
        if [ ${#dir} -gt 90 ]; then
                pg_log "swtpm socket path $dir/swtpm.sock is too long for a unix socket; set a shorter TMPDIR"
                return 1
        fi
        mkdir -p "$dir/tpm"
        if [ -n "$stop_re" ]; then
                : >"$dir/serial.raw"
                pg_swtpm_supervise "$dir" "$stop_re" "$delay" "$sig" "$dir/serial.raw" </dev/null >"$dir/swtpm.out" 2>&1 &
        else
                pg_swtpm_exec "$dir" </dev/null >"$dir/swtpm.out" 2>&1 &
        fi
        pg_swtpm_pid=$!
        pg_track_pid "$pg_swtpm_pid"
        for ((i = 0; i < 100; i++)); do
                [ -S "$dir/swtpm.sock" ] && return 0
                pg_pid_running "$pg_swtpm_pid" || break
                sleep 0.1
        done
        pg_log "swtpm did not create $dir/swtpm.sock:"
        cat "$dir/swtpm.out" "$dir/swtpm.log" >&2 2>/dev/null
        pg_stop_pid "$pg_swtpm_pid"
        return 1
}

# Runs QEMU under timeout in the background, records its PID and waits.
# Sets pg_qemu_rc.
pg_qemu_run() {
        local seconds=$1 stderr=$2
        shift 2
        timeout -k 5 "$seconds" qemu-system-x86_64 "$@" </dev/null >"$stderr" 2>&1 &
        local pid=$!
        pg_track_pid "$pid"
        wait "$pid"
        pg_qemu_rc=$?
        pg_untrack_pid "$pid"
}

pg_clean_log() {
        # OVMF's terminal driver emits ANSI escapes and CRLF line ends.
        sed -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[()][A-Za-z0-9]//g' -e 's/\x1b[=>c]//g' \
                -e 's/\r//g' "$1" >"$2"
}

# Sets pg_accel from PG_QEMU_ACCEL, once per test script. For auto it boots
# OVMF under KVM with a 20 s limit and uses KVM only when the firmware wrote
# to the serial port, because on hosts whose KVM cannot run OVMF, QEMU hangs
# silently instead.
pg_resolve_accel() {
        [ -n "${pg_accel:-}" ] && return 0
        case $PG_QEMU_ACCEL in
        tcg | kvm)
                pg_accel=$PG_QEMU_ACCEL
                return 0
                ;;
        auto) ;;
        *)
                pg_log "PG_QEMU_ACCEL=$PG_QEMU_ACCEL is invalid; expected tcg, kvm or auto"
                return 1
                ;;
        esac

        local dir=$PG_WORK/kvm-probe
        pg_accel=tcg
        if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
                mkdir -p "$dir"
                cp "$PG_OVMF_DIR/OVMF_VARS_4M.fd" "$dir/vars.fd" || return 1
                pg_qemu_run 20 "$dir/qemu.stderr" -nodefaults -display none -no-reboot \
                        -machine q35 -accel kvm -m 256 \
                        -drive "if=pflash,format=raw,unit=0,readonly=on,file=$PG_OVMF_DIR/OVMF_CODE_4M.fd" \
                        -drive "if=pflash,format=raw,unit=1,file=$dir/vars.fd" \
                        -serial "file:$dir/serial.raw"
                [ -s "$dir/serial.raw" ] && pg_accel=kvm
        fi
        pg_log "PG_QEMU_ACCEL=auto: using $pg_accel"
}

# Sets pg_fw_code, copies the variable store into the boot's folder and
# appends the machine options for plain (0) or Secure Boot (1) firmware to
# pg_fw_args.
pg_boot_firmware() {
        local secboot=$1 vars
        if [ "$secboot" = 1 ]; then
                pg_fw_code=$PG_OVMF_DIR/OVMF_CODE_4M.secboot.fd
                vars=$PG_OVMF_DIR/OVMF_VARS_4M.snakeoil.fd
                # This firmware requires SMM, and without it OVMF hangs silently.
                pg_fw_args=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on)
        else
                pg_fw_code=$PG_OVMF_DIR/OVMF_CODE_4M.fd
                vars=$PG_OVMF_DIR/OVMF_VARS_4M.fd
                pg_fw_args=(-machine q35)
        fi
        cp "$vars" "$PG_BOOT_DIR/vars.fd" || return 1
        pg_fw_args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$pg_fw_code"
                -drive "if=pflash,format=raw,unit=1,file=$PG_BOOT_DIR/vars.fd")
}

# Prints the one-line outcome of a boot and QEMU's own messages.
pg_boot_report() {
        local seconds=$1 tpm=$2 how="exit status $PG_BOOT_RC"
        [ "$PG_BOOT_RC" = 124 ] && how="timed out after $seconds s"
        echo "boot $PG_BOOT_NAME: $(basename "$pg_fw_code"), accel $pg_accel, tpm $tpm:" \
                "$how, $PG_BOOT_SECONDS s"
        if [ -n "$PG_BOOT_TPM_STOPPED" ]; then
                echo "  swtpm got SIG${3:-KILL} $PG_BOOT_TPM_STOPPED s after QEMU started, on the line:" \
                        "$(cut -d' ' -f2- "$PG_BOOT_DIR/tpm-stopped")"
        fi
        if [ -s "$PG_BOOT_DIR/qemu.stderr" ]; then
                sed 's/^/  qemu: /' "$PG_BOOT_DIR/qemu.stderr"
        fi
}

# pg_boot [OPTIONS] IMG [-- QEMU_ARG ...]
#   --name NAME      label for the output (default bootN)
#   --secboot        Secure Boot firmware with the snakeoil-enrolled variables
#   --no-tpm         no swtpm, no TPM device
#   --tpm-state DIR  swtpm starts from a copy of the state files in DIR
#                    (e.g. a provisioned NV index); the state after the
#                    boot stays in $PG_BOOT_DIR/tpm
#   --timeout S      overrides PG_QEMU_TIMEOUT for this boot
#   --debug-exit     adds isa-debug-exit at port 0xf4: the guest writes V and
#                    QEMU exits with (V << 1) | 1
#   --tpm-stop-on RE kills swtpm (SIGKILL) while QEMU runs, as soon as a
#                    line of the serial log matches the extended regex RE.
#                    See pg_swtpm_supervise. Sets PG_BOOT_TPM_STOPPED.
#   --tpm-stop-delay S  kills swtpm S seconds after that line (default 0)
#   --tpm-stop-signal SIG
#                    signal for swtpm instead of KILL (STOP: the TPM hangs)
#   --esp-blkdebug CONFIG
#                    attaches the ESP through QEMU's blkdebug driver with
#                    the rules file CONFIG (e.g. inject-error rules from
#                    pg_blkdebug_rules), under the same snapshot
# The ESP image is attached with snapshot=on, so it is never modified and
# can be shared between boots. Every boot gets a fresh copy of the OVMF
# variable store and a fresh swtpm state.
#
# Sets PG_BOOT_NAME, PG_BOOT_RC (QEMU's exit status, 124 on timeout),
# PG_BOOT_SECONDS, PG_BOOT_TPM_STOPPED (seconds from QEMU's start to the
# signal to swtpm, empty when none was sent), PG_BOOT_DIR, PG_BOOT_LOG
# (serial log without escapes and CRs) and PG_BOOT_RAW (the serial log as
# written). Returns 0 when QEMU ran, whatever its exit status, and 1 when
# the boot could not be set up.
pg_boot() {
        local name= secboot=0 tpm=1 seconds=$PG_QEMU_TIMEOUT debug_exit=0 img= tpm_state=
        local tpm_stop= tpm_stop_delay=0 tpm_stop_signal=KILL blkdebug= esp_file
        local -a extra=() args=()
        while [ $# -gt 0 ]; do
                case $1 in
                --name) name=$2; shift 2 ;;
                --secboot) secboot=1; shift ;;
                --no-tpm) tpm=0; shift ;;
                --tpm-state) tpm_state=$2; shift 2 ;;
                --timeout) seconds=$2; shift 2 ;;
                --debug-exit) debug_exit=1; shift ;;
                --tpm-stop-on) tpm_stop=$2; shift 2 ;;
                --tpm-stop-delay) tpm_stop_delay=$2; shift 2 ;;
                --tpm-stop-signal) tpm_stop_signal=$2; shift 2 ;;
                --esp-blkdebug) blkdebug=$2; shift 2 ;;
                --) shift; extra=("$@"); break ;;
                -*) pg_log "pg_boot: unknown option $1"; return 1 ;;
                *) img=$1; shift ;;
                esac
        done

        pg_boot_count=$((pg_boot_count + 1))
        PG_BOOT_NAME=${name:-boot$pg_boot_count}
        PG_BOOT_DIR=$PG_WORK/$pg_boot_count-$PG_BOOT_NAME
        PG_BOOT_RAW=$PG_BOOT_DIR/serial.raw
        PG_BOOT_LOG=$PG_BOOT_DIR/serial.log
        PG_BOOT_RC=
        PG_BOOT_SECONDS=
        PG_BOOT_TPM_STOPPED=
        mkdir -p "$PG_BOOT_DIR"
        : >"$PG_BOOT_LOG"
        if [ ! -r "$img" ]; then
                pg_log "pg_boot: ESP image '$img' not found"
                return 1
        fi
        pg_resolve_accel || return 1
        pg_boot_firmware "$secboot" || return 1
        esp_file=$img
        if [ -n "$blkdebug" ]; then
                if [ ! -r "$blkdebug" ]; then
                        pg_log "pg_boot: blkdebug rules '$blkdebug' not found"
                        return 1
                fi
                # blkdebug:RULES:IMAGE; the snapshot overlay sits above it,
                # so every read of the image passes through the rules.
                esp_file=blkdebug:$blkdebug:$img
        fi

        args=("${pg_fw_args[@]}" -nodefaults -display none -no-reboot
                -accel "$pg_accel" -m "$PG_QEMU_MEM"
                -drive "if=none,id=esp,format=raw,snapshot=on,file=$esp_file"
                -device virtio-blk-pci,drive=esp,bootindex=0
                -serial "file:$PG_BOOT_RAW")
        if [ "$tpm" = 1 ]; then
                if [ -n "$tpm_state" ]; then
                        mkdir -p "$PG_BOOT_DIR/tpm"
                        cp -r "$tpm_state"/. "$PG_BOOT_DIR/tpm/" || return 1
                fi
                pg_swtpm_start "$PG_BOOT_DIR" "$tpm_stop" "$tpm_stop_delay" "$tpm_stop_signal" || return 1
                args+=(-chardev "socket,id=chrtpm,path=$PG_BOOT_DIR/swtpm.sock"
                        -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-crb,tpmdev=tpm0)
        fi
        if [ "$debug_exit" = 1 ]; then
                args+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)
        fi
        args+=("${extra[@]}")

        local start end
        start=$(date +%s%N)
        pg_qemu_run "$seconds" "$PG_BOOT_DIR/qemu.stderr" "${args[@]}"
        end=$(date +%s%N)
        PG_BOOT_RC=$pg_qemu_rc
        PG_BOOT_SECONDS=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
        # swtpm --terminate exits by itself once QEMU closes the connection.
        if [ "$tpm" = 1 ]; then
                pg_stop_pid "$pg_swtpm_pid"
        fi
        if [ -s "$PG_BOOT_DIR/tpm-stopped" ]; then
                PG_BOOT_TPM_STOPPED=$(awk -v s="$start" '{ printf "%.2f", ($1 - s) / 1e9; exit }' \
                        "$PG_BOOT_DIR/tpm-stopped")
        fi
        [ -f "$PG_BOOT_RAW" ] || : >"$PG_BOOT_RAW"
        pg_clean_log "$PG_BOOT_RAW" "$PG_BOOT_LOG"
        pg_boot_report "$seconds" "$tpm" "$tpm_stop_signal"
        return 0
}

# ---- checks ----------------------------------------------------------------

pg_pass() {
        pg_passed=$((pg_passed + 1))
        echo "ok   $PG_BOOT_NAME: $1"
}

# Counts a failure and shows the end of the boot's serial log once per boot.
pg_fail() {
        pg_failed=$((pg_failed + 1))
        echo "FAIL $PG_BOOT_NAME: $1"
        if [ "$pg_tail_shown" != "$PG_BOOT_DIR" ]; then
                pg_tail_shown=$PG_BOOT_DIR
                echo "---- last 40 lines of the serial log of $PG_BOOT_NAME" \
                        "(PG_QEMU_KEEP=1 keeps it in the work dir):"
                tail -n 40 "$PG_BOOT_LOG" | sed 's/^/  | /'
                echo "----"
        fi
}

# expect_marker REGEX [TEXT]: an extended regex matches a line of the log.
expect_marker() {
        if grep -Eq -- "$1" "$PG_BOOT_LOG"; then
                pg_pass "${2:-marker /$1/}"
        else
                pg_fail "${2:-marker /$1/} not found"
        fi
}

# expect_no_marker REGEX [TEXT]: no line of the log matches.
expect_no_marker() {
        local hit
        if hit=$(grep -Em1 -- "$1" "$PG_BOOT_LOG"); then
                pg_fail "${2:-no marker /$1/}: found '$hit'"
        else
                pg_pass "${2:-no marker /$1/}"
        fi
}

# expect_exit CODE [TEXT]: QEMU's exit status.
expect_exit() {
        if [ "$PG_BOOT_RC" = "$1" ]; then
                pg_pass "${2:-QEMU exit status $1}"
        else
                pg_fail "${2:-QEMU exit status $1}: got $PG_BOOT_RC"
        fi
}

# The guest powered off (ResetSystem(EfiResetShutdown) makes QEMU exit 0).
expect_poweroff() {
        expect_exit 0 "powered off (QEMU exit status 0, not a timeout)"
}

expect_timeout() {
        expect_exit 124 "timed out (QEMU killed by timeout)"
}

# Prints the closing "N passed, N failed" line; returns 1 on any failure.
pg_summary() {
        echo "$pg_passed passed, $pg_failed failed"
        [ "$pg_failed" -eq 0 ]
}
