/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The records the EFI stage leaves: the handoff blob and the gates PCR in
 * volatile UEFI variables under prodgate's vendor GUID, and two EV_EVENT_TAG
 * events in the gates PCR (docs/measurements.md).
 */
#ifndef PG_EFI_RECORD_H
#define PG_EFI_RECORD_H

#include <efi.h>

#include "efi/evidence.h"
#include "gates/handoff.h"

/* prodgate's vendor GUID: e5cb0626-6b30-4217-9552-d89e146a60e6. */
#define PG_VENDOR_GUID \
        { 0xe5cb0626, 0x6b30, 0x4217, { 0x95, 0x52, 0xd8, 0x9e, 0x14, 0x6a, 0x60, 0xe6 } }

#define PG_VAR_HANDOFF L"ProdgateHandoff"
#define PG_VAR_PCR L"ProdgatePcr"

/* Size of the manifest identity event data. */
#define PG_IDENTITY_EVENT_SIZE 72

/*
 * Writes the handoff blob of h, stores it and the PCR index in the
 * variables, and measures the manifest identity and then the blob into
 * h->pcr. Every failure is logged; the boot goes on, because the absence
 * of the records is itself visible to a verifier.
 */
void pg_record(const struct pg_efi_evidence *e, const struct pg_handoff *h);

#endif
