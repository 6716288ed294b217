#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Boots prodgate.efi and checks its version, TPM capability and Secure Boot
# report lines: plain firmware, Secure Boot firmware with the signed app,
# Secure Boot firmware with the unsigned app (must not start), and no TPM.
set -u
. "$(dirname "$0")/lib.sh"

pg_qemu_init
version=$(cat "$PG_ROOT/VERSION")
version_re="^prodgate ${version//./\\.}\$"

pg_sign_efi "$PG_EFI_APP" "$PG_WORK/prodgate-signed.efi" || exit 1
pg_esp_build "$PG_WORK/esp-unsigned.img" "$PG_EFI_APP" || exit 1
pg_esp_build "$PG_WORK/esp-signed.img" "$PG_WORK/prodgate-signed.efi" || exit 1

pg_boot --name plain "$PG_WORK/esp-unsigned.img" || exit 1
expect_marker "$version_re" "version line"
expect_marker '^prodgate: tpm present=1 ' "TPM present"
expect_marker '^prodgate: tpm banks-active=([a-z0-9]+,)*sha256(,|$| )' "sha256 bank active"
expect_marker '^prodgate: tpm log-formats=([a-z0-9.]+,)*tcg2(,|$)' "TCG 2 event log supported"
expect_marker '^prodgate: secureboot=0 ' "Secure Boot off"
expect_poweroff

pg_boot --name secboot --secboot "$PG_WORK/esp-signed.img" || exit 1
expect_marker "$version_re" "version line"
expect_marker '^prodgate: tpm present=1 ' "TPM present"
expect_marker '^prodgate: tpm banks-active=([a-z0-9]+,)*sha256(,|$| )' "sha256 bank active"
expect_marker '^prodgate: tpm log-formats=([a-z0-9.]+,)*tcg2(,|$)' "TCG 2 event log supported"
expect_marker '^prodgate: secureboot=1 setupmode=0$' "Secure Boot on, user mode"
expect_poweroff

# The firmware refuses an unsigned image and then waits at a prompt, so this
# boot ends by timeout; 25 s is well past the ~4 s the app needs to start.
pg_boot --name secboot-unsigned --secboot --timeout 25 "$PG_WORK/esp-unsigned.img" || exit 1
expect_no_marker '^prodgate' "unsigned app did not run"
expect_marker 'Access Denied' "firmware reported Access Denied"
expect_timeout

pg_boot --name no-tpm --no-tpm "$PG_WORK/esp-unsigned.img" || exit 1
expect_marker "$version_re" "version line"
expect_marker '^prodgate: tpm present=0$' "no TPM reported"
expect_poweroff

pg_summary
