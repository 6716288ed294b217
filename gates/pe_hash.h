/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Authenticode SHA-256 of a PE32+ file: the digest UEFI firmware
 * records for an EV_EFI_BOOT_SERVICES_APPLICATION event. It covers the
 * headers without the checksum and the certificate table directory entry,
 * the sections in file order, and any bytes after them other than the
 * certificate table.
 */
#ifndef PG_GATES_PE_HASH_H
#define PG_GATES_PE_HASH_H

#include "pg/err.h"

/* Section count cap; prodgate.efi itself has 6 sections. */
#define PG_PE_MAX_SECTIONS 96

/* Writes the digest into out only on success. */
pg_err pg_pe_authenticode_sha256(const uint8_t *file, size_t len, uint8_t out[32]);

#endif
