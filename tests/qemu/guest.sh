# SPDX-License-Identifier: BSD-2-Clause
#
# The Linux guest of the boot tests, sourced after lib.sh:
#
#   pg_guest_check                      the kernel is fetched (make guest-kernel)
#   pg_guest_kernel OUT                 Debian's kernel, re-signed with the snakeoil key
#   pg_guest_initramfs OUT SCRIPT [HOST_FILE=GUEST_PATH ...]
#                                       gzip'd newc initramfs that runs SCRIPT
#   pg_guest_cmdline                    the kernel command line the tests pin
#
# The initramfs contains busybox-static, the prodgate tool with its shared
# library closure, efivarfs.ko, qemu_fw_cfg.ko and an /init that mounts proc,
# sysfs, devtmpfs, securityfs and efivarfs, loads qemu_fw_cfg (files the host
# passes with -fw_cfg appear under /sys/firmware/qemu_fw_cfg/by_name), prints
# "pg-guest: up", runs SCRIPT with sh, prints
# "pg-guest: script-exit=N" and "pg-guest: end", and powers off. SCRIPT
# prints its own markers on the console.
#
# Environment:
#   PG_GUEST_DIR   kernel folder (default: build/guest, filled by make guest-kernel)
#   PG_TOOL        prodgate tool put into the guest (default: build/prodgate)

PG_GUEST_DIR=${PG_GUEST_DIR:-$PG_ROOT/build/guest}
PG_TOOL=${PG_TOOL:-$PG_ROOT/build/prodgate}

pg_guest_check() {
        local f
        for f in "$PG_GUEST_DIR/vmlinuz" "$PG_GUEST_DIR/efivarfs.ko" "$PG_GUEST_DIR/qemu_fw_cfg.ko" \
                "$PG_TOOL" /bin/busybox; do
                if [ ! -r "$f" ]; then
                        pg_log "$f not found; run 'make test-build' (and 'make deps' as root)"
                        return 1
                fi
        done
        command -v cpio >/dev/null || { pg_log "cpio not found; run 'make deps' as root"; return 1; }
}

pg_guest_kernel() {
        pg_sign_efi "$PG_GUEST_DIR/vmlinuz" "$1"
}

# The kernel command line: serial console, and a panic powers the VM off
# (panic=-1 reboots at once and QEMU runs with -no-reboot).
pg_guest_cmdline() {
        echo "console=ttyS0 panic=-1 quiet"
}

# Copies a host file and the shared libraries ldd lists for it into ROOT,
# each at its host path.
pg_guest_copy_closure() {
        local root=$1 file=$2 lib
        for lib in $(ldd "$file" 2>/dev/null | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
                mkdir -p "$root$(dirname "$lib")"
                cp -L "$lib" "$root$lib"
        done
}

pg_guest_write_init() {
        cat >"$1/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t securityfs securityfs /sys/kernel/security
insmod /lib/efivarfs.ko
mount -t efivarfs efivarfs /sys/firmware/efi/efivars
insmod /lib/qemu_fw_cfg.ko
echo "pg-guest: up"
sh /test.sh
echo "pg-guest: script-exit=$?"
echo "pg-guest: end"
poweroff -f
EOF
        chmod 0755 "$1/init"
}

# pg_guest_initramfs OUT SCRIPT [HOST_FILE=GUEST_PATH ...]
pg_guest_initramfs() {
        local out=$1 script=$2 spec root tss
        shift 2
        root=$(mktemp -d "$PG_WORK/initramfs.XXXXXX") || return 1
        mkdir -p "$root/bin" "$root/lib"
        cp /bin/busybox "$root/bin/busybox"
        cp "$PG_GUEST_DIR/efivarfs.ko" "$root/lib/efivarfs.ko"
        cp "$PG_GUEST_DIR/qemu_fw_cfg.ko" "$root/lib/qemu_fw_cfg.ko"
        cp "$PG_TOOL" "$root/bin/prodgate"
        pg_guest_copy_closure "$root" "$PG_TOOL"
        # tpm2-tss loads its TCTI with dlopen, which ldd cannot see.
        if ldd "$PG_TOOL" | grep -q libtss2; then
                tss=$(ldconfig -p | awk '/libtss2-tcti-device.so.0 / { print $NF; exit }')
                if [ -n "$tss" ]; then
                        mkdir -p "$root$(dirname "$tss")"
                        cp -L "$tss" "$root$tss"
                        pg_guest_copy_closure "$root" "$tss"
                fi
        fi
        cp "$script" "$root/test.sh"
        for spec in "$@"; do
                mkdir -p "$root$(dirname "${spec#*=}")"
                cp "${spec%%=*}" "$root${spec#*=}"
        done
        pg_guest_write_init "$root"
        (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$out" || {
                pg_log "pg_guest_initramfs: cpio failed"
                return 1
        }
        rm -rf "$root"
}
