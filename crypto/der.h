/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A strict reader for the DER subset that public keys use: single-byte tags,
 * definite lengths in their shortest form, and lengths of at most 4 bytes.
 * Anything BER allows and DER does not is rejected with its own error code.
 *
 * A cursor walks the elements of one level. Entering an element opens a new
 * cursor over its content, so every length is checked against the bytes left
 * in its parent, never against the whole input.
 */
#ifndef PG_DER_H
#define PG_DER_H

#include "pg/err.h"

#define PG_DER_TAG_INTEGER      0x02
#define PG_DER_TAG_BIT_STRING   0x03
#define PG_DER_TAG_NULL         0x05
#define PG_DER_TAG_OID          0x06
#define PG_DER_TAG_SEQUENCE     0x30

/* Unread bytes of one level: [p, end). */
struct pg_der_cursor {
        const uint8_t *p;
        const uint8_t *end;
};

/* One tag-length-value element. value points into the parsed buffer. */
struct pg_der_element {
        uint8_t tag;
        const uint8_t *value;
        size_t len;
};

void pg_der_init(struct pg_der_cursor *cursor, const uint8_t *buf, size_t len);

/* Opens a cursor over the content bytes of an element. */
void pg_der_enter(struct pg_der_cursor *cursor, const struct pg_der_element *element);

bool pg_der_at_end(const struct pg_der_cursor *cursor);

/*
 * Reads the next element and advances the cursor past it. On error neither
 * the cursor nor *element changes.
 */
pg_err pg_der_next(struct pg_der_cursor *cursor, struct pg_der_element *element);

/* Reads the next element like pg_der_next() and requires its tag to be tag. */
pg_err pg_der_expect(struct pg_der_cursor *cursor, uint8_t tag, struct pg_der_element *element);

/* Returns PG_ERR_DER_TRAILING_DATA unless the cursor has consumed every byte. */
pg_err pg_der_finish(const struct pg_der_cursor *cursor);

/*
 * Checks that an INTEGER is non-negative and minimally encoded, and returns
 * its magnitude without the sign byte (a lone 0x00 for zero).
 */
pg_err pg_der_unsigned_integer(const struct pg_der_element *element,
                               const uint8_t **magnitude, size_t *magnitude_len);

/* Checks that a BIT STRING has no unused bits and returns its bytes. */
pg_err pg_der_bit_string_bytes(const struct pg_der_element *element,
                               const uint8_t **bytes, size_t *bytes_len);

/* Checks that a NULL element has no content. */
pg_err pg_der_null(const struct pg_der_element *element);

#endif
