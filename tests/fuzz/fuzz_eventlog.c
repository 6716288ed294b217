/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the event log parser and replay. The input is a
 * whole log. Replay runs with a cheap stand-in hash for every bank
 * algorithm (digest checks only need a deterministic function), then the
 * log is walked again to check each event's digest and decode variable
 * events. Invariants the callers rely on abort the run when broken.
 */
#include <stdlib.h>

#include "measured/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not a hash: mixes every input byte into out, for any out_size. */
static pg_err fuzz_hash(void *ctx, const struct pg_hash_part *parts, size_t count, uint8_t *out,
                        size_t out_size)
{
        uint32_t h = 2166136261u;

        for (size_t i = 0; i < count; i++) {
                const uint8_t *p = parts[i].data;

                for (size_t j = 0; j < parts[i].size; j++)
                        h = (h ^ p[j]) * 16777619u;
        }
        for (size_t i = 0; i < out_size; i++) {
                h = (h ^ (uint32_t)i) * 16777619u;
                out[i] = (uint8_t)(h >> 24);
        }
        return PG_OK;
}

static const struct pg_replay_hasher fuzz_hashers[] = {
        { PG_TPM_ALG_SHA1, fuzz_hash, NULL },
        { PG_TPM_ALG_SHA256, pg_replay_hash_sha256, NULL },
        { PG_TPM_ALG_SHA384, fuzz_hash, NULL },
        { PG_TPM_ALG_SHA512, fuzz_hash, NULL },
        { PG_TPM_ALG_SM3_256, fuzz_hash, NULL },
};

static void check_event(const struct pg_evlog *log, const struct pg_evlog_event *ev,
                        const uint8_t *data, size_t size)
{
        const uint8_t *end = data + size;

        if (ev->offset >= size || ev->record_size > size - ev->offset)
                abort();
        if (ev->data < data || ev->data_size > (size_t)(end - ev->data))
                abort();
        if (ev->data_size > PG_EVLOG_MAX_EVENT_DATA)
                abort();
        if (ev->pcr >= PG_EVLOG_PCR_COUNT &&
            !(ev->pcr == PG_TCG_PCR_NONE && (ev->flags & PG_EVLOG_EV_NO_EXTEND)))
                abort();
        for (uint8_t b = 0; b < log->bank_count; b++) {
                if (!(ev->bank_mask & (1u << b)))
                        continue;
                if (ev->digest[b] < data || log->banks[b].size > (size_t)(end - ev->digest[b]))
                        abort();
        }
        if (ev->bank_mask >> log->bank_count)
                abort();
}

static void walk(const struct pg_evlog *start, const struct pg_replay *r, const uint8_t *data,
                 size_t size)
{
        struct pg_evlog it = *start;
        struct pg_evlog_event ev;
        uint32_t count = 0;
        bool end;

        while (pg_evlog_next(&it, &ev, &end) == PG_OK && !end) {
                struct pg_evlog_variable var;
                enum pg_digest_check check;

                check_event(&it, &ev, data, size);
                if (ev.index != count++)
                        abort();
                if (pg_replay_check_digest(r, &ev, &check) != PG_OK)
                        abort();
                if (pg_evlog_parse_variable(ev.data, ev.data_size, &var) == PG_OK &&
                    var.value_size > ev.data_size)
                        abort();
        }
        if (count != r->events)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct pg_evlog log, replayed;
        static struct pg_replay r;
        uint8_t pcr[PG_EVLOG_MAX_DIGEST_SIZE];

        if (pg_evlog_init(&log, data, size) != PG_OK)
                return 0;
        if (log.bank_count == 0 || log.bank_count > PG_EVLOG_MAX_BANKS)
                abort();
        replayed = log;
        if (pg_replay_init(&r, &log, fuzz_hashers, PG_ARRAY_SIZE(fuzz_hashers)) != PG_OK)
                abort();
        if (pg_replay_log(&r, &replayed) != PG_OK) {
                if (replayed.err == PG_OK || replayed.err_offset >= size)
                        abort();
                return 0;
        }
        if (replayed.pos != size)
                abort();
        walk(&log, &r, data, size);
        for (uint8_t b = 0; b < r.bank_count; b++)
                (void)pg_replay_read(&r, r.banks[b].alg, 0, pcr, r.banks[b].size);
        return 0;
}
