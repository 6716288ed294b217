# SPDX-License-Identifier: BSD-2-Clause
#
# Whole-chain boot scenarios, sourced after lib.sh and guest.sh:
#
#   pg_scn_init                     signed app (test key ring), signed kernel,
#                                   initramfs running guest-report.sh
#   pg_tpm_provision DIR [FLOOR]    swtpm state in DIR with the anti-rollback
#                                   index defined (and FLOOR written)
#   pg_dts OUT [VAR=VALUE ...]      manifest source for the scenario kernel
#   pg_manifest_sign OUT DTS KEY    `prodgate manifest sign`
#   pg_scn_sign NAME KEY [VAR=VALUE ...]
#                                   pg_dts and pg_manifest_sign into
#                                   $PG_WORK/NAME.pgm
#   pg_scn_esp IMG MANIFEST [ESP_PATH=HOST_FILE ...]
#                                   ESP with app, kernel, initrd and manifest
#   pg_guest_field KEY              value of a "pg-guest: KEY=VALUE" line
#   pg_handoff_jq FILTER            jq over the handoff JSON the guest printed
#   expect_handoff FILTER VALUE TEXT
#
# Keys come from build/test-keys (make test-build): release and development
# are in build/test/prodgate.efi's key ring, untrusted is not.

PG_TEST_KEYS=${PG_TEST_KEYS:-$PG_ROOT/build/test-keys}
PG_TEST_APP=${PG_TEST_APP:-$PG_ROOT/build/test/prodgate.efi}
PG_NV_INDEX=0x01000100
PG_NEXT_PATH='\EFI\Linux\vmlinuz.efi'
PG_RECOVERY_PATH='\EFI\Linux\recovery.efi'
PG_VENDOR_GUID=e5cb0626-6b30-4217-9552-d89e146a60e6

pg_scn_init() {
        local f
        for f in "$PG_TEST_APP" "$PG_TEST_KEYS/release.key.pem" "$PG_TOOL"; do
                if [ ! -r "$f" ]; then
                        pg_log "$f not found; run 'make test-build'"
                        return 1
                fi
        done
        pg_guest_check || return 1
        pg_sign_efi "$PG_TEST_APP" "$PG_WORK/BOOTX64.EFI" || return 1
        pg_guest_kernel "$PG_WORK/vmlinuz.efi" || return 1
        # TPM2_NV_Write of 8 bytes to the anti-rollback index with an empty
        # password session; the guest sends it to show the index is locked.
        pg_hex_to_file 80020000002b00000137010001000100010000000009400000090000000000000800000000000000ff0000 \
                "$PG_WORK/nv-write.bin"
        pg_guest_initramfs "$PG_WORK/initrd.img" "$PG_ROOT/tests/qemu/guest-report.sh" \
                "$PG_WORK/nv-write.bin=/lib/pg-nv-write.bin" || return 1
        PG_KERNEL_SHA=$(sha256sum "$PG_WORK/vmlinuz.efi" | cut -d' ' -f1)
        PG_INITRD_SHA=$(sha256sum "$PG_WORK/initrd.img" | cut -d' ' -f1)
}

# pg_hex_to_file HEX FILE
pg_hex_to_file() {
        local hex=$1 out=$2 i
        : >"$out"
        for ((i = 0; i < ${#hex}; i += 2)); do
                printf "\\x${hex:i:2}" >>"$out"
        done
}

# Starts swtpm on a unix socket with state in DIR, runs tpm2-tools against
# it, and stops it again.
pg_tpm_provision() {
        local dir=$1 floor=${2:-} sock=$1/prov.sock pid i rc=0
        mkdir -p "$dir/state"
        swtpm socket --tpm2 --tpmstate "dir=$dir/state" --server "type=unixio,path=$sock" \
                --ctrl "type=unixio,path=$sock.ctrl" --flags not-need-init,startup-clear \
                --log "file=$dir/swtpm.log" </dev/null >"$dir/swtpm.out" 2>&1 &
        pid=$!
        pg_track_pid "$pid"
        for ((i = 0; i < 50; i++)); do
                [ -S "$sock" ] && break
                sleep 0.1
        done
        (
                export TPM2TOOLS_TCTI="swtpm:path=$sock"
                # Only the SHA-256 bank: firmware and the kernel's EFI stub
                # hash every measured image once per bank, which under TCG
                # costs seconds for the kernel and initrd.
                tpm2_pcrallocate sha1:none+sha256:all+sha384:none+sha512:none &&
                tpm2_nvdefine "$PG_NV_INDEX" -C o -s 8 -a "authread|authwrite|write_stclear|no_da" &&
                if [ -n "$floor" ]; then
                        pg_hex_to_file "$(printf '%016x' "$floor")" "$dir/floor.bin" &&
                                tpm2_nvwrite "$PG_NV_INDEX" -i "$dir/floor.bin"
                fi &&
                tpm2_shutdown -c
        ) >"$dir/tpm2-tools.log" 2>&1 || rc=1
        pg_stop_pid "$pid"
        if [ "$rc" != 0 ]; then
                pg_log "provisioning the TPM in $dir failed:"
                cat "$dir/tpm2-tools.log" >&2
                return 1
        fi
        rm -f "$sock" "$sock.ctrl"
}

# Hex digest as a dts byte string: "aa bb ...".
pg_dts_bytes() {
        echo "$1" | sed 's/../& /g; s/ $//'
}

# pg_dts OUT [VAR=VALUE ...]: variables BUILD_TYPE, SVN, MIN_SVN, CHANNEL,
# NEXT_SHA, INITRD_SHA, RECOVERY (1 adds the recovery stage), ENFORCE_1,
# ENFORCE_2 (enforce or audit), PCRS (extra nodes inside boot/pcrs), CMDLINE,
# PROVENANCE (0 leaves the node out).
pg_dts() {
        local out=$1 BUILD_TYPE=production SVN=5 MIN_SVN=5 CHANNEL=stable
        local NEXT_SHA=$PG_KERNEL_SHA INITRD_SHA=$PG_INITRD_SHA RECOVERY=0 ENFORCE_1=enforce
        local ENFORCE_2=enforce PCRS= PROVENANCE=1 CMDLINE
        CMDLINE="$(pg_guest_cmdline) pg.stage=next"
        shift
        local kv
        for kv in "$@"; do
                local "$kv"
        done
        {
                echo "/dts-v1/;"
                echo "/ {"
                echo "  format-version = <1 0>;"
                echo "  identity {"
                echo "    product = \"prodgate-test\"; version = \"1.0.$SVN\"; build-id = \"test.$SVN\";"
                echo "    security-version = <$SVN>; minimum-security-version = <$MIN_SVN>;"
                echo "    build-type = \"$BUILD_TYPE\"; channel = \"$CHANNEL\";"
                echo "  };"
                if [ "$PROVENANCE" = 1 ]; then
                        echo "  provenance {"
                        echo "    builder-id = \"https://ci.example.com/test\";"
                        echo "    source-repository = \"https://git.example.com/prodgate.git\";"
                        echo "    source-revision = \"0123456789abcdef0123456789abcdef01234567\";"
                        echo "    build-time = /bits/ 64 <1796385600>;"
                        echo "    artifacts {"
                        echo "      kernel { sha256 = [$(pg_dts_bytes "$NEXT_SHA")]; };"
                        echo "    };"
                        echo "  };"
                fi
                echo "  boot {"
                echo "    next-stage {"
                echo "      path = \"${PG_NEXT_PATH//\\/\\\\}\";"
                echo "      sha256 = [$(pg_dts_bytes "$NEXT_SHA")];"
                echo "      cmdline = \"$CMDLINE\";"
                echo "      initrd = \"${PG_NEXT_PATH//\\/\\\\}.initrd\";"
                echo "      initrd-sha256 = [$(pg_dts_bytes "$INITRD_SHA")];"
                echo "    };"
                if [ "$RECOVERY" = 1 ]; then
                        echo "    recovery-stage {"
                        echo "      path = \"${PG_RECOVERY_PATH//\\/\\\\}\";"
                        echo "      sha256 = [$(pg_dts_bytes "$PG_KERNEL_SHA")];"
                        echo "      cmdline = \"$(pg_guest_cmdline) pg.stage=recovery\";"
                        echo "      initrd = \"${PG_RECOVERY_PATH//\\/\\\\}.initrd\";"
                        echo "      initrd-sha256 = [$(pg_dts_bytes "$PG_INITRD_SHA")];"
                        echo "    };"
                fi
                echo "    expectations { secure-boot = \"on\"; setup-mode = \"off\"; };"
                if [ -n "$PCRS" ]; then
                        echo "    pcrs { $PCRS };"
                fi
                echo "  };"
                echo "  policy {"
                echo "    gates-pcr = <13>;"
                echo "    anti-rollback-nv-index = <$PG_NV_INDEX>;"
                echo "    production-readiness = \"build-integrity\", \"boot-integrity\";"
                echo "    ota-eligibility = \"build-integrity\", \"boot-integrity\", \"update-integrity\";"
                echo "    gates {"
                echo "      build-integrity { requirement = \"required\"; enforcement = \"$ENFORCE_1\"; };"
                echo "      boot-integrity { requirement = \"required\"; enforcement = \"$ENFORCE_2\"; };"
                echo "      runtime-security { requirement = \"advisory\"; };"
                echo "      platform-configuration { requirement = \"required\"; enforcement = \"audit\"; };"
                echo "      network-security { requirement = \"advisory\"; };"
                echo "      application-exposure { requirement = \"advisory\"; };"
                echo "      privacy-controls { requirement = \"advisory\"; };"
                echo "      device-management { requirement = \"not-applicable\"; };"
                echo "      update-integrity { requirement = \"required\"; enforcement = \"audit\"; };"
                echo "      security-monitoring { requirement = \"advisory\"; };"
                echo "    };"
                echo "  };"
                # Two runtime checks that hold in the test guest: Secure Boot
                # puts the kernel in lockdown, and the command line is pinned.
                echo "  runtime-checks {"
                echo "    kernel-lockdown {"
                echo "      gate = \"runtime-security\"; objective = <1>; kind = \"kernel-lockdown\";"
                echo "      parameters = \"mode=integrity\"; severity = \"fail\";"
                echo "      remediation = \"Boot with Secure Boot on.\";"
                echo "    };"
                echo "    kernel-cmdline {"
                echo "      gate = \"runtime-security\"; objective = <2>; kind = \"kernel-cmdline\";"
                echo "      parameters = \"require=panic=-1\"; severity = \"fail\";"
                echo "      remediation = \"Boot the pinned command line.\";"
                echo "    };"
                echo "  };"
                echo "};"
        } >"$out"
}

# pg_manifest_sign OUT DTS KEYNAME: signs with build/test-keys/KEYNAME.key.pem.
pg_manifest_sign() {
        if ! "$PG_TOOL" manifest sign --key "$PG_TEST_KEYS/$3.key.pem" -o "$1" "$2" \
                >"$PG_WORK/sign.log" 2>&1; then
                pg_log "prodgate manifest sign $2 failed:"
                cat "$PG_WORK/sign.log" >&2
                return 1
        fi
}

# pg_scn_sign NAME KEYNAME [VAR=VALUE ...]: $PG_WORK/NAME.dts from pg_dts
# with the variables, signed into $PG_WORK/NAME.pgm.
pg_scn_sign() {
        local name=$1 key=$2
        shift 2
        pg_dts "$PG_WORK/$name.dts" "$@" && pg_manifest_sign "$PG_WORK/$name.pgm" "$PG_WORK/$name.dts" "$key"
}

# pg_scn_esp IMG MANIFEST [ESP_PATH=HOST_FILE ...]: MANIFEST "" leaves it out.
pg_scn_esp() {
        local img=$1 manifest=$2
        shift 2
        local -a files=("EFI/Linux/vmlinuz.efi=$PG_WORK/vmlinuz.efi"
                "EFI/Linux/vmlinuz.efi.initrd=$PG_WORK/initrd.img")
        [ -n "$manifest" ] && files+=("EFI/BOOT/manifest.pgm=$manifest")
        pg_esp_build "$img" "$PG_WORK/BOOTX64.EFI" "${files[@]}" "$@"
}

pg_guest_field() {
        sed -n "s/^pg-guest: $1=//p" "$PG_BOOT_LOG" | head -n 1
}

pg_handoff_jq() {
        pg_guest_field handoff-json | jq -r "$1" 2>/dev/null
}

# expect_handoff FILTER VALUE TEXT: the handoff the guest read back, through jq.
expect_handoff() {
        local got
        got=$(pg_handoff_jq "$1")
        if [ "$got" = "$2" ]; then
                pg_pass "$3"
        else
                pg_fail "$3: $1 is '$got', expected '$2'"
        fi
}

# Gate N objective M outcome and reason name from the guest's handoff.
expect_objective() {
        expect_handoff ".gates[$(($1 - 1))].objectives[$2] | \"\(.outcome) \(.reason_name)\"" "$3" \
                "${4:-objective $1.$2 is $3}"
}

expect_gate() {
        expect_handoff ".gates[$(($1 - 1))].outcome" "$2" "${3:-gate $1 is $2}"
}
