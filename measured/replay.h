/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Replay of a firmware event log into per-bank PCR values, and the check of
 * an event's recorded digests against its data.
 *
 * Replay always extends the recorded digest: PCR = H(PCR || digest). Whether
 * a digest is the hash of its event data is a separate finding
 * (pg_replay_check_digest), because firmware legitimately logs digests of
 * data that is not in the log, and some logs data that differs from what was
 * hashed.
 *
 * The core has no hash other than SHA-256, so the caller passes one hash
 * callback per algorithm. A bank with no callback is not replayed; reading
 * it fails with PG_ERR_REPLAY_BANK_NOT_REPLAYED.
 */
#ifndef PG_MEASURED_REPLAY_H
#define PG_MEASURED_REPLAY_H

#include "measured/eventlog.h"

struct pg_hash_part {
        const void *data;
        size_t size;
};

/*
 * Hashes the concatenation of parts[0..count) into out, which has out_size
 * bytes. Returns PG_ERR_REPLAY_HASH_SIZE when out_size is not the
 * algorithm's digest size and PG_ERR_REPLAY_HASH_FAILED on any other
 * failure.
 */
typedef pg_err (*pg_hash_fn)(void *ctx, const struct pg_hash_part *parts, size_t count,
                             uint8_t *out, size_t out_size);

struct pg_replay_hasher {
        uint16_t alg;           /* TPM_ALG_ID */
        pg_hash_fn hash;
        void *ctx;
};

/* Hashes with the core's SHA-256, for the sha256 bank. ctx is unused. */
pg_err pg_replay_hash_sha256(void *ctx, const struct pg_hash_part *parts, size_t count,
                             uint8_t *out, size_t out_size);

struct pg_replay_bank {
        uint16_t alg;
        uint16_t size;
        const struct pg_replay_hasher *hasher;  /* NULL: bank not replayed */
        uint32_t touched;       /* bit n: PCR n was extended or given a start value */
        uint32_t incomplete;    /* bit n: an event extending PCR n had no digest here */
        uint8_t pcr[PG_EVLOG_PCR_COUNT][PG_EVLOG_MAX_DIGEST_SIZE];
};

struct pg_replay {
        uint8_t bank_count;
        struct pg_replay_bank banks[PG_EVLOG_MAX_BANKS];
        uint8_t pcr0_locality;  /* start value applied to PCR 0 (0, 3 or 4) */
        uint32_t events;        /* events replayed */
        pg_err err;             /* sticky: set when a step failed */
};

/*
 * Sets up a replay for the banks of an initialized log: every PCR starts
 * at zero. hashers may be NULL when count is 0; hashers for algorithms the
 * log does not have are ignored. The hashers array must outlive the replay.
 */
pg_err pg_replay_init(struct pg_replay *r, const struct pg_evlog *log,
                      const struct pg_replay_hasher *hashers, size_t count);

/* Applies one event returned by pg_evlog_next() on the same log. */
pg_err pg_replay_event(struct pg_replay *r, const struct pg_evlog_event *ev);

/*
 * Iterates the whole log and replays every event. On a parse error the
 * iterator's error is returned and log->err_offset locates the event.
 */
pg_err pg_replay_log(struct pg_replay *r, struct pg_evlog *log);

/* Copies the replayed value of PCR pcr in bank alg into out (size bytes). */
pg_err pg_replay_read(const struct pg_replay *r, uint16_t alg, uint32_t pcr, uint8_t *out,
                      size_t size);

enum pg_digest_check {
        PG_DIGEST_NOT_CHECKED = 0,      /* the digest covers data that is not in the log */
        PG_DIGEST_MATCH = 1,            /* every checked digest is the hash of the data */
        PG_DIGEST_MATCH_VALUE = 2,      /* variable events: hash of the value only */
        PG_DIGEST_MISMATCH = 3,         /* some digest is not the hash of the data */
};

/*
 * Checks the recorded digests of one event against its data, for event
 * types whose digest the specification defines over the logged data, with
 * the hashers given to pg_replay_init(). Banks without a hasher are skipped.
 */
pg_err pg_replay_check_digest(const struct pg_replay *r, const struct pg_evlog_event *ev,
                              enum pg_digest_check *result);

#endif
