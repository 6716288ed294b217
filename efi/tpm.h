/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The EFI stage's TPM work through EFI_TCG2_PROTOCOL: the command transport
 * for tpm/tpm2_cmd.h (SubmitCommand), the firmware event log copied out of
 * GetEventLog, the anti-rollback floor, and EV_EVENT_TAG measurements.
 */
#ifndef PG_EFI_TPM_H
#define PG_EFI_TPM_H

#include <efi.h>

#include "pg/err.h"
#include "tpm/efi_tcg2.h"
#include "tpm/tpm2_cmd.h"

/* Largest event log copied; firmware event logs are usually tens of KiB. */
#define PG_EVENT_LOG_MAX ((UINTN)1024 * 1024)

/* prodgate's EV_EVENT_TAG ids (TCG_PCClientTaggedEvent.taggedEventID). */
#define PG_TAG_MANIFEST_IDENTITY 0x50470001u  /* "PG" 0001 */
#define PG_TAG_PREOS_RESULTS     0x50470002u  /* "PG" 0002: the handoff blob */

/* Transport for tpm/tpm2_cmd.h over SubmitCommand; ctx is the protocol. */
void pg_tpm_transport(EFI_TCG2_PROTOCOL *tcg2, struct pg_tpm2_transport *out);

/*
 * Copies the TCG 2 (crypto-agile) event log into a pool buffer. Returns
 * PG_ERR_PREOS_NO_EVENT_LOG when the firmware has none, a parser code when
 * its first or last record cannot be sized. *log, *len and *truncated are
 * written only on PG_OK.
 */
pg_err pg_tpm_copy_event_log(EFI_TCG2_PROTOCOL *tcg2, uint8_t **log, size_t *len, bool *truncated);

/*
 * Extends pcr with an EV_EVENT_TAG event whose data is the tagged event
 * (id, size, data); the digest covers those same bytes.
 */
EFI_STATUS pg_tpm_measure_tag(EFI_TCG2_PROTOCOL *tcg2, uint32_t pcr, uint32_t tag,
                              const void *data, UINTN size);

#endif
