# SPDX-License-Identifier: BSD-2-Clause
#
# Sourced by the integration tests that need a TPM and a consistent boot:
# a private swtpm (killed by PID), and a firmware event log, a handoff
# variable and PCR 13 that agree with each other, as prodgate.efi leaves
# them. The caller sets $work (a temporary folder) and calls
# swtpm_stop from its EXIT trap.

here_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
swtpm_sock=
swtpm_pidfile=

# swtpm_start NAME: starts a swtpm with its state in $work/NAME and sets
# swtpm_tcti. Returns 1 when it does not come up.
swtpm_start() {
        local dir=$work/$1
        mkdir -p "$dir/state"
        swtpm_sock=$dir/tpm.sock
        swtpm_pidfile=$dir/swtpm.pid
        # tpm2-tss's swtpm TCTI expects the control socket at SOCKET.ctrl.
        swtpm socket --tpm2 --tpmstate dir="$dir/state" \
                --server type=unixio,path="$swtpm_sock" \
                --ctrl type=unixio,path="$swtpm_sock.ctrl" \
                --flags startup-clear --daemon --pid file="$swtpm_pidfile" \
                --log file="$dir/swtpm.log" || return 1
        for _ in $(seq 50); do
                [ -S "$swtpm_sock" ] && [ -s "$swtpm_pidfile" ] && break
                sleep 0.1
        done
        swtpm_tcti="swtpm:path=$swtpm_sock"
        [ -S "$swtpm_sock" ]
}

swtpm_stop() {
        local pid
        [ -n "$swtpm_pidfile" ] && [ -s "$swtpm_pidfile" ] || return 0
        pid=$(cat "$swtpm_pidfile")
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ] && break
                sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null
        rm -f "$swtpm_pidfile"
}

# preos_measure BLOB OUTDIR DIGEST KEY-ID: writes OUTDIR/fw.bin, the firmware
# log with the two tagged events of a boot that left BLOB. DIGEST and KEY-ID
# are the manifest payload digest and key id in hex; the SVN is 42. The
# event digests go to OUTDIR/digests, and PCR 13 of the running swtpm is
# extended with them.
preos_measure() {
        local blob=$1 out=$2 d
        mkdir -p "$out"
        "$here_lib/gen-fwlog" "$out/fw.bin" "$blob" "$3" "$4" 42 > "$out/digests" || return 1
        while read -r d; do
                TPM2TOOLS_TCTI=$swtpm_tcti tpm2_pcrextend "13:sha256=$d" || return 1
        done < "$out/digests"
}

# manifest_ids TOOL MANIFEST.pgm PUB.pem: sets manifest_digest (SHA-256 of
# the payload) and manifest_keyid (SHA-256 of the key's DER SPKI).
manifest_ids() {
        "$1" manifest extract --payload "$work/.payload.dtb" "$2" || return 1
        manifest_digest=$(sha256sum "$work/.payload.dtb" | cut -d' ' -f1)
        manifest_keyid=$(openssl pkey -pubin -in "$3" -outform DER | sha256sum | cut -d' ' -f1)
}

# preos_boot TOOL MANIFEST.pgm PUB.pem SEED OUTDIR: what prodgate.efi leaves
# after a boot with MANIFEST: OUTDIR/handoff.dtb (SEED with the manifest's
# payload digest at its /manifest/digest, byte 0xec), OUTDIR/handoff.var
# (the efivarfs file), and preos_measure's log and PCR 13.
preos_boot() {
        local out=$5
        mkdir -p "$out"
        manifest_ids "$1" "$2" "$3" || return 1
        cp "$4" "$out/handoff.dtb"
        printf "$(sed 's/../\\x&/g' <<<"$manifest_digest")" |
                dd of="$out/handoff.dtb" bs=1 seek=$((0xec)) conv=notrunc status=none
        { printf '\x06\x00\x00\x00'; cat "$out/handoff.dtb"; } > "$out/handoff.var"
        preos_measure "$out/handoff.dtb" "$out" "$manifest_digest" "$manifest_keyid"
}

# pcr13: PCR 13's SHA-256 value in lower-case hex, read by tpm2_pcrread.
pcr13() {
        TPM2TOOLS_TCTI=$swtpm_tcti tpm2_pcrread sha256:13 |
                sed -nE 's/^ *13 *: *0x([0-9A-Fa-f]+)$/\1/p' | tr 'A-F' 'a-f'
}

# sign_test_manifest TOOL OUT: makes a release key (rel.pem, rel.pub) in the
# current folder and signs a small production manifest with one runtime
# check (m.dts) into OUT; the output of the signing goes to sign.log.
sign_test_manifest() {
        openssl genrsa -out rel.pem 2048 2>/dev/null &&
                openssl rsa -in rel.pem -pubout -out rel.pub 2>/dev/null || return 1
        cat > m.dts <<'DTS'
/dts-v1/;
/ {
	format-version = <1 0>;
	identity {
		product = "acme-gateway"; version = "2.4.1"; build-id = "20261204.3";
		security-version = <42>; minimum-security-version = <41>;
		build-type = "production"; channel = "stable";
	};
	provenance {
		builder-id = "https://ci.example.com/builders/release";
		source-repository = "https://git.example.com/acme/gateway.git";
		source-revision = "3f2a9c0d5e8b7a6c4d1e0f9a8b7c6d5e4f3a2b1c";
		build-time = /bits/ 64 <1796385600>;
		artifacts { kernel { sha256 = [00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
					       10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f]; }; };
	};
	boot {
		next-stage {
			path = "\\EFI\\Linux\\acme.efi";
			sha256 = [00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
				  10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f];
		};
		expectations { secure-boot = "on"; setup-mode = "off"; };
	};
	policy {
		anti-rollback-nv-index = <0x01500100>;
		production-readiness = "build-integrity", "boot-integrity";
		ota-eligibility = "build-integrity", "boot-integrity";
		gates {
			build-integrity { requirement = "required"; enforcement = "enforce"; };
			boot-integrity { requirement = "required"; enforcement = "enforce"; };
			runtime-security { requirement = "advisory"; };
			platform-configuration { requirement = "advisory"; enforcement = "audit"; };
			network-security { requirement = "advisory"; };
			application-exposure { requirement = "advisory"; };
			privacy-controls { requirement = "advisory"; };
			device-management { requirement = "not-applicable"; };
			update-integrity { requirement = "advisory"; enforcement = "enforce"; };
			security-monitoring { requirement = "advisory"; };
		};
	};
	runtime-checks {
		proc-present {
			gate = "security-monitoring";
			objective = <0>;
			kind = "file-present";
			parameters = "path=/proc", "type=directory";
			severity = "fail";
			remediation = "Mount /proc.";
		};
	};
};
DTS
        "$1" manifest sign --key rel.pem -o "$2" m.dts > sign.log 2>&1
}
