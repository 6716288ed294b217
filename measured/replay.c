/* SPDX-License-Identifier: BSD-2-Clause */
#include "measured/replay.h"
#include "crypto/sha256.h"

pg_err pg_replay_hash_sha256(void *ctx, const struct pg_hash_part *parts, size_t count,
                             uint8_t *out, size_t out_size)
{
        struct pg_sha256_ctx c;

        if (out_size != PG_SHA256_DIGEST_SIZE)
                return PG_ERR_REPLAY_HASH_SIZE;
        pg_sha256_init(&c);
        for (size_t i = 0; i < count; i++)
                pg_sha256_update(&c, parts[i].data, parts[i].size);
        pg_sha256_final(&c, out);
        return PG_OK;
}

static const struct pg_replay_hasher *find_hasher(const struct pg_replay_hasher *hashers,
                                                  size_t count, uint16_t alg)
{
        for (size_t i = 0; i < count; i++)
                if (hashers[i].alg == alg && hashers[i].hash != NULL)
                        return &hashers[i];
        return NULL;
}

pg_err pg_replay_init(struct pg_replay *r, const struct pg_evlog *log,
                      const struct pg_replay_hasher *hashers, size_t count)
{
        if (log->format == 0 || log->bank_count == 0 || log->bank_count > PG_EVLOG_MAX_BANKS)
                return PG_ERR_EVLOG_NOT_INITIALIZED;
        for (size_t i = 0; i < count; i++)
                for (size_t j = 0; j < i; j++)
                        if (hashers[i].alg == hashers[j].alg)
                                return PG_ERR_REPLAY_DUPLICATE_HASHER;

        memset(r, 0, sizeof(*r));
        r->bank_count = log->bank_count;
        for (uint8_t b = 0; b < log->bank_count; b++) {
                r->banks[b].alg = log->banks[b].alg;
                r->banks[b].size = log->banks[b].size;
                r->banks[b].hasher = find_hasher(hashers, count, log->banks[b].alg);
        }
        return PG_OK;
}

static pg_err replay_fail(struct pg_replay *r, pg_err err)
{
        r->err = err;
        return err;
}

/* PCR 0's start value: zero except for the locality in the last byte. */
static void set_pcr0_start(struct pg_replay *r, uint8_t locality)
{
        for (uint8_t b = 0; b < r->bank_count; b++) {
                struct pg_replay_bank *bank = &r->banks[b];

                memset(bank->pcr[0], 0, sizeof(bank->pcr[0]));
                bank->pcr[0][bank->size - 1] = locality;
                if (locality != 0)
                        bank->touched |= 1;
        }
        r->pcr0_locality = locality;
}

static pg_err extend_bank(struct pg_replay_bank *bank, uint32_t pcr, const uint8_t *digest)
{
        struct pg_hash_part parts[2] = {
                { bank->pcr[pcr], bank->size },
                { digest, bank->size },
        };
        uint8_t out[PG_EVLOG_MAX_DIGEST_SIZE];
        pg_err err;

        err = bank->hasher->hash(bank->hasher->ctx, parts, 2, out, bank->size);
        if (err != PG_OK)
                return err == PG_ERR_REPLAY_HASH_SIZE ? err : PG_ERR_REPLAY_HASH_FAILED;
        memcpy(bank->pcr[pcr], out, bank->size);
        return PG_OK;
}

pg_err pg_replay_event(struct pg_replay *r, const struct pg_evlog_event *ev)
{
        uint32_t bit;

        if (r->err != PG_OK)
                return PG_ERR_REPLAY_FAILED;
        if (r->bank_count < 32 && (ev->bank_mask >> r->bank_count) != 0)
                return replay_fail(r, PG_ERR_REPLAY_BANK_MISMATCH);
        r->events++;
        if (ev->flags & PG_EVLOG_EV_NO_EXTEND) {
                if (ev->flags & PG_EVLOG_EV_STARTUP_LOCALITY)
                        set_pcr0_start(r, ev->locality);
                return PG_OK;
        }
        if (ev->pcr >= PG_EVLOG_PCR_COUNT)
                return replay_fail(r, PG_ERR_REPLAY_PCR_INDEX);
        if (ev->flags & PG_EVLOG_EV_HCRTM)
                set_pcr0_start(r, ev->locality);

        bit = 1u << ev->pcr;
        for (uint8_t b = 0; b < r->bank_count; b++) {
                struct pg_replay_bank *bank = &r->banks[b];
                pg_err err;

                bank->touched |= bit;
                if (!(ev->bank_mask & (1u << b))) {
                        bank->incomplete |= bit;
                        continue;
                }
                if (bank->hasher == NULL)
                        continue;
                err = extend_bank(bank, ev->pcr, ev->digest[b]);
                if (err != PG_OK)
                        return replay_fail(r, err);
        }
        return PG_OK;
}

pg_err pg_replay_log(struct pg_replay *r, struct pg_evlog *log)
{
        for (;;) {
                struct pg_evlog_event ev;
                bool end;
                pg_err err;

                err = pg_evlog_next(log, &ev, &end);
                if (err != PG_OK)
                        return replay_fail(r, err);
                if (end)
                        return PG_OK;
                err = pg_replay_event(r, &ev);
                if (err != PG_OK)
                        return err;
        }
}

static const struct pg_replay_bank *find_bank(const struct pg_replay *r, uint16_t alg)
{
        for (uint8_t b = 0; b < r->bank_count; b++)
                if (r->banks[b].alg == alg)
                        return &r->banks[b];
        return NULL;
}

pg_err pg_replay_read(const struct pg_replay *r, uint16_t alg, uint32_t pcr, uint8_t *out,
                      size_t size)
{
        const struct pg_replay_bank *bank;

        if (r->err != PG_OK)
                return PG_ERR_REPLAY_FAILED;
        if (pcr >= PG_EVLOG_PCR_COUNT)
                return PG_ERR_REPLAY_PCR_INDEX;
        bank = find_bank(r, alg);
        if (bank == NULL)
                return PG_ERR_REPLAY_NO_BANK;
        if (bank->hasher == NULL)
                return PG_ERR_REPLAY_BANK_NOT_REPLAYED;
        if (bank->incomplete & (1u << pcr))
                return PG_ERR_REPLAY_PCR_INCOMPLETE;
        if (size != bank->size)
                return PG_ERR_REPLAY_BUFFER_SIZE;
        memcpy(out, bank->pcr[pcr], size);
        return PG_OK;
}

enum digest_scope {
        SCOPE_NONE,             /* the digest covers data outside the log */
        SCOPE_DATA,             /* the digest is the hash of the event data */
        SCOPE_VARIABLE,         /* the whole UEFI_VARIABLE_DATA, or only its value */
};

static enum digest_scope digest_scope(uint32_t type)
{
        switch (type) {
        case PG_EV_SEPARATOR:
        case PG_EV_ACTION:
        case PG_EV_EFI_ACTION:
        case PG_EV_S_CRTM_VERSION:
        case PG_EV_EFI_GPT_EVENT:
                return SCOPE_DATA;
        case PG_EV_EFI_VARIABLE_DRIVER_CONFIG:
        case PG_EV_EFI_VARIABLE_BOOT:
        case PG_EV_EFI_VARIABLE_BOOT2:
        case PG_EV_EFI_VARIABLE_AUTHORITY:
                return SCOPE_VARIABLE;
        default:
                return SCOPE_NONE;
        }
}

/* Compares every hashed bank's digest with the hash of data. *checked
 * counts the banks compared. */
static pg_err digests_match(const struct pg_replay *r, const struct pg_evlog_event *ev,
                            const uint8_t *data, size_t size, bool *match, unsigned *checked)
{
        struct pg_hash_part part = { data, size };

        *match = true;
        *checked = 0;
        for (uint8_t b = 0; b < r->bank_count; b++) {
                const struct pg_replay_bank *bank = &r->banks[b];
                uint8_t out[PG_EVLOG_MAX_DIGEST_SIZE];
                pg_err err;

                if (bank->hasher == NULL || !(ev->bank_mask & (1u << b)))
                        continue;
                err = bank->hasher->hash(bank->hasher->ctx, &part, 1, out, bank->size);
                if (err != PG_OK)
                        return err == PG_ERR_REPLAY_HASH_SIZE ? err : PG_ERR_REPLAY_HASH_FAILED;
                (*checked)++;
                if (pg_memcmp_ct(out, ev->digest[b], bank->size) != 0)
                        *match = false;
        }
        return PG_OK;
}

pg_err pg_replay_check_digest(const struct pg_replay *r, const struct pg_evlog_event *ev,
                              enum pg_digest_check *result)
{
        enum digest_scope scope = digest_scope(ev->type);
        struct pg_evlog_variable var;
        unsigned checked;
        bool match;
        pg_err err;

        if (r->err != PG_OK)
                return PG_ERR_REPLAY_FAILED;
        if (scope == SCOPE_NONE || (ev->flags & PG_EVLOG_EV_NO_EXTEND)) {
                *result = PG_DIGEST_NOT_CHECKED;
                return PG_OK;
        }
        err = digests_match(r, ev, ev->data, ev->data_size, &match, &checked);
        if (err != PG_OK)
                return err;
        if (checked == 0) {
                *result = PG_DIGEST_NOT_CHECKED;
                return PG_OK;
        }
        if (match || scope != SCOPE_VARIABLE ||
            pg_evlog_parse_variable(ev->data, ev->data_size, &var) != PG_OK) {
                *result = match ? PG_DIGEST_MATCH : PG_DIGEST_MISMATCH;
                return PG_OK;
        }
        err = digests_match(r, ev, var.value, (size_t)var.value_size, &match, &checked);
        if (err != PG_OK)
                return err;
        *result = match ? PG_DIGEST_MATCH_VALUE : PG_DIGEST_MISMATCH;
        return PG_OK;
}
