# SPDX-License-Identifier: BSD-2-Clause
#
# Runs inside the boot tests' Linux guest (busybox sh): prints what the
# host asserts as "pg-guest: KEY=VALUE" lines, read back from efivarfs,
# securityfs and the TPM's sysfs PCR files, then the gate report.
guid=e5cb0626-6b30-4217-9552-d89e146a60e6
var=/sys/firmware/efi/efivars/ProdgateHandoff-$guid
log=/sys/kernel/security/tpm0/binary_bios_measurements

echo "pg-guest: cmdline=$(cat /proc/cmdline)"
if [ -e "$var" ]; then
        echo "pg-guest: handoff-json=$(prodgate handoff show --json "$var" | tr -d '\n')"
        echo "pg-guest: handoff-sha256=$(tail -c +5 "$var" | sha256sum | cut -d' ' -f1)"
        pcr=$(tail -c +5 /sys/firmware/efi/efivars/ProdgatePcr-$guid | od -An -tu4 | tr -d ' ')
        echo "pg-guest: pcr-var=$pcr"
else
        echo "pg-guest: handoff-json={}"
        pcr=13
fi
if [ -e "$log" ]; then
        prodgate eventlog --json "$log" >/tmp/log.json 2>/tmp/log.err
        echo "pg-guest: eventlog-exit=$?"
        echo "pg-guest: eventlog-json=$(tr -d '\n' </tmp/log.json)"
        # The replayed SHA-256 value of the gates PCR, from the text report.
        replay=$(prodgate eventlog "$log" | awk -v pcr="$pcr" '
                /^  sha256:/ { bank = 1; next }
                /^  [a-z0-9]+:/ { bank = 0 }
                bank && $1 == pcr { print $2 }')
        echo "pg-guest: pcr-replay=$replay"
        echo "pg-guest: pcr-tpm=$(tr 'A-F' 'a-f' </sys/class/tpm/tpm0/pcr-sha256/$pcr)"
else
        echo "pg-guest: eventlog=absent"
fi
# A raw TPM2_NV_Write to the anti-rollback index (built by the host test):
# the EFI stage write-locked it, so the TPM must refuse with TPM_RC_NV_LOCKED.
if [ -e /lib/pg-nv-write.bin ] && [ -e /dev/tpm0 ]; then
        exec 3<>/dev/tpm0
        cat /lib/pg-nv-write.bin >&3
        echo "pg-guest: nv-write-rsp=$(dd bs=4096 count=1 <&3 2>/dev/null | od -An -tx1 | tr -d ' \n')"
        exec 3>&-
fi
if [ -e "$var" ]; then
        prodgate handoff show "$var"
fi
# The runtime side, when the host passed the signed manifest and its trusted
# key with -fw_cfg: status, then measure, then status again. After measure
# the cross-check replays the firmware log and the userspace log against
# the TPM, so "verified" afterwards means the gates PCR equals that replay.
fwcfg=/sys/firmware/qemu_fw_cfg/by_name/opt/prodgate
if [ -e "$fwcfg/manifest/raw" ] && [ -e "$fwcfg/trust/raw" ]; then
        cat "$fwcfg/manifest/raw" >/tmp/manifest.pgm
        cat "$fwcfg/trust/raw" >/tmp/trust.pem
        set -- --manifest /tmp/manifest.pgm --trust /tmp/trust.pem --tcti device:/dev/tpmrm0
        prodgate status "$@" --json >/tmp/status.json 2>/tmp/status.err
        echo "pg-guest: status-exit=$?"
        echo "pg-guest: status-json=$(tr -d '\n' </tmp/status.json)"
        mkdir -p /run/log/prodgate
        prodgate measure "$@" >/tmp/measure.out 2>&1
        echo "pg-guest: measure-exit=$?"
        echo "pg-guest: pcr-after-measure=$(tr 'A-F' 'a-f' </sys/class/tpm/tpm0/pcr-sha256/$pcr)"
        prodgate status "$@" --json >/tmp/status2.json 2>/tmp/status2.err
        echo "pg-guest: status2-exit=$?"
        echo "pg-guest: status2-json=$(tr -d '\n' </tmp/status2.json)"
        prodgate status "$@" --color never
fi
