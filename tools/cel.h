/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The userspace measurement log: TCG Canonical Event Log (CEL) records in
 * the JSON encoding, each framed as a JSON text sequence element (RFC 7464:
 * 0x1E, the JSON text, LF). prodgate measure appends one record per run;
 * prodgate status replays the records into the gates PCR.
 *
 * The reader treats the log as hostile input: every record is validated
 * completely (framing, JSON syntax, members, types, digest sizes, recnum
 * sequence, and for prodgate records the digest of the content) before it
 * is returned. Records point into the caller's buffer. Errors are sticky,
 * and it->err_offset locates the failing record.
 */
#ifndef PG_TOOLS_CEL_H
#define PG_TOOLS_CEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pg/err.h"

#define PG_CEL_MAX_RECORD  65536u       /* bytes of one record, framing included */
#define PG_CEL_MAX_RECORDS 65536u
#define PG_CEL_MAX_DEPTH   16u          /* JSON nesting inside a record */
#define PG_CEL_CONTENT_TYPE_MAX 32u

/* The content_type of prodgate's own records: a runtime-results record. */
#define PG_CEL_PRODGATE_TYPE "prodgate"
/* Tag id of the runtime results, as in the firmware log's tagged events. */
#define PG_CEL_RUNTIME_TAG 0x50470003u

/* Algorithms a record may carry, in this order (index into digest[]). */
enum { PG_CEL_SHA1, PG_CEL_SHA256, PG_CEL_SHA384, PG_CEL_SHA512, PG_CEL_SM3_256, PG_CEL_ALGS };

struct pg_cel_record {
        uint32_t recnum;
        uint32_t pcr;
        size_t offset;                  /* byte offset of the record's 0x1E */
        uint32_t alg_mask;              /* bit a: digest[a] is present */
        uint8_t digest[PG_CEL_ALGS][64];
        char content_type[PG_CEL_CONTENT_TYPE_MAX + 1];
        const uint8_t *content;         /* the raw JSON text of the content value */
        size_t content_len;
};

struct pg_cel {
        const uint8_t *buf;
        size_t len;
        size_t pos;
        uint32_t records;               /* records returned so far */
        pg_err err;                     /* sticky */
        size_t err_offset;
};

void pg_cel_init(struct pg_cel *it, const void *buf, size_t len);

/* Returns the next record, or *end at the end of the log. Writes *rec only
 * on PG_OK with !*end. */
pg_err pg_cel_next(struct pg_cel *it, struct pg_cel_record *rec, bool *end);

/* TPM algorithm id, name and digest size of a CEL algorithm index. */
uint16_t pg_cel_alg_id(unsigned a);
const char *pg_cel_alg_name(unsigned a);
size_t pg_cel_alg_size(unsigned a);

/* SHA-256 of the tagged event {PG_CEL_RUNTIME_TAG, len, content}: the digest
 * of a prodgate record. */
void pg_cel_content_digest(const uint8_t *content, size_t len, uint8_t out[32]);

#endif
