/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "efi/tpm.h"
#include "measured/eventlog.h"

static pg_err pg_tcg2_submit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
                             size_t rsp_cap, size_t *rsp_len)
{
        EFI_TCG2_PROTOCOL *tcg2 = ctx;
        size_t size;
        EFI_STATUS status;
        pg_err err;

        if (cmd_len > UINT32_MAX || rsp_cap > UINT32_MAX)
                return PG_ERR_TPM_TRANSPORT;
        memset(rsp, 0, rsp_cap);
        status = tcg2->SubmitCommand(tcg2, (UINT32)cmd_len, (UINT8 *)cmd, (UINT32)rsp_cap, rsp);
        if (EFI_ERROR(status))
                return PG_ERR_TPM_TRANSPORT;
        /* SubmitCommand does not say how many bytes it wrote: the header does. */
        err = pg_tpm2_response_size(rsp, rsp_cap, &size);
        if (err != PG_OK)
                return err;
        *rsp_len = size;
        return PG_OK;
}

void pg_tpm_transport(EFI_TCG2_PROTOCOL *tcg2, struct pg_tpm2_transport *out)
{
        out->submit = pg_tcg2_submit;
        out->ctx = tcg2;
}

/*
 * Size of the TCG_PCR_EVENT2 record at rec, whose digest sizes the log's
 * Spec ID event declares. The firmware owns this memory; the sizes are
 * still checked against the caps before use.
 */
static pg_err pg_last_record_size(const struct pg_evlog *log, const uint8_t *rec, size_t *out)
{
        size_t pos = sizeof(struct pg_tcg_pcr_event2_head);
        uint32_t count = pg_load_le32(rec + offsetof(struct pg_tcg_pcr_event2_head, digest_count));
        uint32_t data_size;

        if (count == 0 || count > log->bank_count)
                return PG_ERR_EVLOG_DIGEST_COUNT;
        for (uint32_t i = 0; i < count; i++) {
                int bank = pg_evlog_bank_index(log, pg_load_le16(rec + pos));

                if (bank < 0)
                        return PG_ERR_EVLOG_UNKNOWN_ALG;
                pos += 2 + log->banks[bank].size;
        }
        data_size = pg_load_le32(rec + pos);
        if (data_size > PG_EVLOG_MAX_EVENT_DATA)
                return PG_ERR_EVLOG_DATA_TOO_LARGE;
        *out = pos + PG_TCG_EVENT_SIZE_FIELD + data_size;
        return PG_OK;
}

pg_err pg_tpm_copy_event_log(EFI_TCG2_PROTOCOL *tcg2, uint8_t **log_out, size_t *len_out,
                             bool *truncated_out)
{
        EFI_PHYSICAL_ADDRESS first = 0, last = 0;
        BOOLEAN truncated = FALSE;
        const uint8_t *base;
        struct pg_evlog probe;
        size_t first_size, last_size, len;
        uint8_t *copy;
        EFI_STATUS status;
        pg_err err;

        status = tcg2->GetEventLog(tcg2, EFI_TCG2_EVENT_LOG_FORMAT_TCG_2, &first, &last, &truncated);
        if (EFI_ERROR(status) || first == 0)
                return PG_ERR_PREOS_NO_EVENT_LOG;
        if (last < first || last - first > PG_EVENT_LOG_MAX)
                return PG_ERR_EVLOG_TRUNCATED_HEADER;
        base = (const uint8_t *)(UINTN)first;
        /* The first record's own size fields bound it; the Spec ID event is small. */
        first_size = sizeof(struct pg_tcg_pcr_event) +
                     pg_load_le32(base + offsetof(struct pg_tcg_pcr_event, event_size));
        if (first_size > 4096)
                return PG_ERR_EVLOG_SPECID_TRUNCATED;
        err = pg_evlog_init(&probe, base, first_size);
        if (err != PG_OK)
                return err;
        first_size = probe.first_size;
        if (last == first) {
                last_size = first_size;
        } else {
                err = pg_last_record_size(&probe, (const uint8_t *)(UINTN)last, &last_size);
                if (err != PG_OK)
                        return err;
        }
        len = (size_t)(last - first) + last_size;
        if (len > PG_EVENT_LOG_MAX)
                return PG_ERR_EVLOG_DATA_TOO_LARGE;
        copy = AllocatePool(len);
        if (!copy)
                return PG_ERR_PREOS_NO_EVENT_LOG;
        CopyMem(copy, (void *)base, len);
        *log_out = copy;
        *len_out = len;
        *truncated_out = truncated != FALSE;
        return PG_OK;
}

EFI_STATUS pg_tpm_measure_tag(EFI_TCG2_PROTOCOL *tcg2, uint32_t pcr, uint32_t tag,
                              const void *data, UINTN size)
{
        UINTN tagged_size = 8 + size;
        UINTN event_size = offsetof(EFI_TCG2_EVENT, Event) + tagged_size;
        EFI_TCG2_EVENT *event;
        UINT8 *tagged;
        EFI_STATUS status;

        if (size > UINT32_MAX - 64)
                return EFI_BAD_BUFFER_SIZE;
        event = AllocateZeroPool(event_size);
        if (!event)
                return EFI_OUT_OF_RESOURCES;
        event->Size = (UINT32)event_size;
        event->Header.HeaderSize = sizeof(EFI_TCG2_EVENT_HEADER);
        event->Header.HeaderVersion = EFI_TCG2_EVENT_HEADER_VERSION;
        event->Header.PCRIndex = pcr;
        event->Header.EventType = PG_EV_EVENT_TAG;
        tagged = event->Event;
        pg_store_le32(tagged, tag);
        pg_store_le32(tagged + 4, (uint32_t)size);
        CopyMem(tagged + 8, (void *)data, size);
        status = tcg2->HashLogExtendEvent(tcg2, 0, (EFI_PHYSICAL_ADDRESS)(UINTN)tagged,
                                          tagged_size, event);
        FreePool(event);
        return status;
}
