#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The whole chain: Secure Boot OVMF with the snakeoil store, swtpm with the
# anti-rollback index provisioned, prodgate.efi (test key ring) and Debian's
# kernel both signed with the snakeoil key, and an initramfs that reads the
# results back (handoff variable in efivarfs, event log in securityfs, PCRs
# in sysfs) and prints them. Scenarios that stop before Linux are checked
# on the console.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/guest.sh"
. "$(dirname "$0")/scenario.sh"

pg_qemu_init
pg_scn_init || exit 1
W=$PG_WORK
# Linux boots take 15-25 s under TCG on a loaded 2-core machine; halts about 12 s.
LINUX_TIMEOUT=90
HALT_TIMEOUT=60

pg_tpm_provision "$W/tpm3" 3 || exit 1
pg_tpm_provision "$W/tpm9" 9 || exit 1

# The guest ran the report script to its end.
expect_guest() {
        expect_marker '^pg-guest: script-exit=0$' "guest ran the report script"
}

# The handoff event (second EV_EVENT_TAG in the gates PCR) carries the same
# bytes as the handoff variable, and the identity event names the manifest.
expect_events_match_handoff() {
        local data tagged identity
        tagged=$(pg_guest_field eventlog-json |
                jq -r '[.events[] | select(.pcr == 13 and .type_name == "EV_EVENT_TAG")] | length')
        if [ "$tagged" = 2 ]; then pg_pass "two EV_EVENT_TAG events in PCR 13"; else
                pg_fail "EV_EVENT_TAG events in PCR 13: '$tagged', expected 2"; fi
        data=$(pg_guest_field eventlog-json |
                jq -r '[.events[] | select(.pcr == 13 and .type_name == "EV_EVENT_TAG")][1].data')
        if [ "${data:0:8}" = 02004750 ] &&
                [ "$(echo "${data:16}" | xxd -r -p | sha256sum | cut -d' ' -f1)" = \
                        "$(pg_guest_field handoff-sha256)" ]; then
                pg_pass "results event (tag 0x50470002) holds the handoff variable's bytes"
        else
                pg_fail "results event data differs from the handoff variable"
        fi
        identity=$(pg_guest_field eventlog-json |
                jq -r '[.events[] | select(.pcr == 13 and .type_name == "EV_EVENT_TAG")][0].data')
        if [ "${identity:0:8}" = 01004750 ] &&
                [ "${identity:16:64}" = "$(pg_handoff_jq .manifest.digest)" ]; then
                pg_pass "identity event (tag 0x50470001) names the manifest digest"
        else
                pg_fail "identity event does not name the manifest digest"
        fi
}

# expect_status FIELD FILTER VALUE TEXT: a status report the guest printed, through jq.
expect_status() {
        local got
        got=$(pg_guest_field "$1" | jq -r "$2" 2>/dev/null)
        if [ "$got" = "$3" ]; then pg_pass "$4"; else pg_fail "$4: got '$got', expected '$3'"; fi
}

# prodgate status, measure and status again inside the guest, with the
# manifest and its key passed through fw_cfg.
expect_runtime_side() {
        local before after
        expect_marker '^pg-guest: status-exit=[01]$' "status evaluated (ready or not ready)"
        expect_status status-json .cross_check.verdict verified "status: handoff cross-check verified"
        expect_status status-json .handoff.used true "status: pre-OS results taken from the handoff"
        expect_status status-json .gates[0].outcome pass "status: gate 1 pass"
        expect_status status-json .gates[1].outcome pass "status: gate 2 pass"
        expect_status status-json '.gates[2].objectives[1].outcome' pass \
                "status: lockdown check passes (policy compliance)"
        expect_status status-json '.gates[2].objectives[2].outcome' pass \
                "status: command line check passes (runtime trust)"
        expect_status status-json '.gates | length' 10 "status: ten gates reported"
        expect_marker '^pg-guest: measure-exit=[01]$' "measure extended the runtime results"
        before=$(pg_guest_field pcr-tpm)
        after=$(pg_guest_field pcr-after-measure)
        if [ -n "$after" ] && [ "$after" != "$before" ]; then
                pg_pass "measure changed PCR 13"
        else
                pg_fail "PCR 13 after measure '$after', before '$before'"
        fi
        expect_status status2-json .cross_check.verdict verified \
                "after measure: PCR 13 equals the replay of firmware and userspace logs"
        expect_status status2-json .cross_check.userspace_records 1 "after measure: one userspace record"
        expect_status status2-json .cross_check.replay_sha256 "$after" \
                "after measure: the replay equals the PCR the guest read"
}

expect_pcr_replay() {
        local replay tpm
        replay=$(pg_guest_field pcr-replay)
        tpm=$(pg_guest_field pcr-tpm)
        if [ -n "$tpm" ] && [ "$replay" = "$tpm" ]; then
                pg_pass "guest: PCR 13 equals the replay of the event log"
        else
                pg_fail "guest: PCR 13 '$tpm' differs from the replay '$replay'"
        fi
}

# ---- 1 and 8 (second half): all good, floor raised and locked ---------------
pg_scn_sign good release RECOVERY=1 SVN=5 MIN_SVN=5 || exit 1
pg_scn_esp "$W/good.img" "$W/good.pgm" "EFI/Linux/recovery.efi=$W/vmlinuz.efi" \
        "EFI/Linux/recovery.efi.initrd=$W/initrd.img" || exit 1
pg_boot --name all-good --secboot --timeout $LINUX_TIMEOUT --tpm-state "$W/tpm3/state" \
        "$W/good.img" -- -fw_cfg "name=opt/prodgate/manifest,file=$W/good.pgm" \
        -fw_cfg "name=opt/prodgate/trust,file=$PG_TEST_KEYS/release.pub.pem" || exit 1
expect_guest
expect_gate 1 pass
expect_gate 2 pass
expect_handoff .action boot-next "action boot-next"
expect_handoff '.gates[8].objectives[2].outcome' pass "update integrity passes"
expect_marker "^pg-guest: cmdline=$(pg_guest_cmdline) pg\.stage=next\$" "kernel command line is the manifest's"
expect_pcr_replay
expect_events_match_handoff
expect_handoff '"\(.anti_rollback.floor_before) \(.anti_rollback.floor_after)"' "3 5" \
        "anti-rollback floor raised from 3 to 5"
# TPM_RC_NV_LOCKED (0x148): the OS cannot write the index until the next TPM reset.
expect_marker '^pg-guest: nv-write-rsp=80010000000a00000148$' "guest cannot write the locked index"
expect_runtime_side
expect_poweroff

# ---- 2: Secure Boot off, gate 2 audited ---------------------------------------
pg_scn_sign sboff release ENFORCE_2=audit || exit 1
pg_scn_esp "$W/sboff.img" "$W/sboff.pgm" || exit 1
pg_boot --name secure-boot-off --timeout $LINUX_TIMEOUT --tpm-state "$W/tpm3/state" \
        "$W/sboff.img" || exit 1
expect_guest
expect_objective 2 0 "fail PG_ERR_PREOS_SECURE_BOOT_OFF" "verified software state fails: Secure Boot off"
expect_gate 1 pass
expect_handoff .action audit-continue "action audit-continue"
expect_poweroff

# ---- 3-6: no trusted manifest: the default policy halts ----------------------
halt_case() { # NAME MANIFEST REASON
        pg_scn_esp "$W/$1.img" "$2" || exit 1
        pg_boot --name "$1" --secboot --timeout $HALT_TIMEOUT --tpm-state "$W/tpm3/state" \
                "$W/$1.img" || exit 1
        expect_marker "^prodgate: objective 1\.1 trusted release state: [a-z]+ $3 " "gate 1 reason $3"
        expect_marker '^prodgate: action=halt ' "action halt"
        expect_no_marker '^pg-guest:' "no stage started"
        expect_poweroff
}
halt_case no-manifest "" PG_ERR_PREOS_MANIFEST_MISSING
pg_scn_sign untrusted untrusted || exit 1
halt_case untrusted-key "$W/untrusted.pgm" PG_ERR_MANIFEST_UNTRUSTED_KEY
# One byte of the payload's last string flipped.
cp "$W/good.pgm" "$W/flipped.pgm"
size=$(stat -c %s "$W/flipped.pgm")
printf 'X' | dd of="$W/flipped.pgm" bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
halt_case byte-flipped "$W/flipped.pgm" PG_ERR_MANIFEST_BAD_SIGNATURE
pg_scn_sign devkey development || exit 1
halt_case development-key "$W/devkey.pgm" PG_ERR_MANIFEST_DEVELOPMENT_KEY_PRODUCTION

# ---- 7: next stage changed on disk: the recovery stage starts ---------------
cp "$W/vmlinuz.efi" "$W/vmlinuz-changed.efi"
printf 'changed' >>"$W/vmlinuz-changed.efi"
pg_esp_build "$W/changed.img" "$W/BOOTX64.EFI" "EFI/BOOT/manifest.pgm=$W/good.pgm" \
        "EFI/Linux/vmlinuz.efi=$W/vmlinuz-changed.efi" "EFI/Linux/vmlinuz.efi.initrd=$W/initrd.img" \
        "EFI/Linux/recovery.efi=$W/vmlinuz.efi" "EFI/Linux/recovery.efi.initrd=$W/initrd.img" || exit 1
pg_boot --name next-stage-changed --secboot --timeout $LINUX_TIMEOUT --tpm-state "$W/tpm3/state" \
        "$W/changed.img" || exit 1
expect_guest
expect_objective 2 0 "fail PG_ERR_PREOS_NEXT_STAGE_DIGEST" "verified software state fails: next-stage digest"
expect_handoff .action boot-recovery "action boot-recovery"
expect_marker "^pg-guest: cmdline=.* pg\.stage=recovery\$" "the recovery stage runs with its own command line"
expect_poweroff

# Under audit the gate no longer blocks, but a stage whose digest does not
# verify never starts: the verified recovery stage boots, with gate 2 failed.
pg_scn_sign changed-audit release RECOVERY=1 ENFORCE_2=audit || exit 1
pg_esp_build "$W/changed-audit.img" "$W/BOOTX64.EFI" "EFI/BOOT/manifest.pgm=$W/changed-audit.pgm" \
        "EFI/Linux/vmlinuz.efi=$W/vmlinuz-changed.efi" "EFI/Linux/vmlinuz.efi.initrd=$W/initrd.img" \
        "EFI/Linux/recovery.efi=$W/vmlinuz.efi" "EFI/Linux/recovery.efi.initrd=$W/initrd.img" || exit 1
pg_boot --name next-stage-changed-audit --secboot --timeout $LINUX_TIMEOUT \
        --tpm-state "$W/tpm3/state" "$W/changed-audit.img" || exit 1
expect_guest
expect_gate 2 fail "gate 2 fails under audit"
expect_objective 2 0 "fail PG_ERR_PREOS_NEXT_STAGE_DIGEST" "verified software state fails: next-stage digest"
expect_marker "^pg-guest: cmdline=.* pg\.stage=recovery\$" "the changed next stage did not start"
expect_poweroff

# ---- 8 (first half) and 10: SVN below the floor, a pinned PCR differs (audit) --
zero=$(printf '00%.0s' {1..32})
pg_scn_sign rollback release SVN=5 MIN_SVN=5 ENFORCE_1=audit ENFORCE_2=audit \
        PCRS="pcr0 { sha256 = [$(pg_dts_bytes "$zero")]; };" || exit 1
pg_scn_esp "$W/rollback.img" "$W/rollback.pgm" || exit 1
pg_boot --name rollback-and-pcr-pin --secboot --timeout $LINUX_TIMEOUT --tpm-state "$W/tpm9/state" \
        "$W/rollback.img" || exit 1
expect_guest
expect_objective 1 1 "fail PG_ERR_PREOS_SVN_BELOW_FLOOR" "trusted release state fails: rollback"
expect_objective 9 2 "fail PG_ERR_PREOS_SVN_BELOW_FLOOR" "update integrity fails: rollback"
expect_handoff '"\(.anti_rollback.floor_before) \(.anti_rollback.floor_after)"' "9 9" "floor stays 9"
expect_objective 2 1 "fail PG_ERR_PREOS_PCR_VALUE_MISMATCH" "trusted boot chain fails: pinned PCR"
expect_handoff '.gates[1].objectives[1].detail' "pcr 0" "the failure names PCR 0"
expect_handoff .action audit-continue "action audit-continue"
expect_poweroff

# ---- 9: no TPM device --------------------------------------------------------
pg_scn_sign notpm release ENFORCE_1=audit ENFORCE_2=audit || exit 1
pg_scn_esp "$W/notpm.img" "$W/notpm.pgm" || exit 1
pg_boot --name no-tpm --secboot --no-tpm --timeout $LINUX_TIMEOUT "$W/notpm.img" || exit 1
expect_guest
expect_objective 2 2 "fail PG_ERR_PREOS_TPM_ABSENT" "device integrity fails: no TPM"
expect_objective 2 1 "unknown PG_ERR_PREOS_TPM_ABSENT" "trusted boot chain unknown without a TPM"
expect_marker '^pg-guest: eventlog=absent$' "guest has no event log"
expect_poweroff

pg_summary
