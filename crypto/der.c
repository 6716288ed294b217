/* SPDX-License-Identifier: BSD-2-Clause */
#include "pg/platform.h"
#include "pg/err.h"
#include "crypto/der.h"

/* Lengths above 2^32 - 1 never occur in a key and are rejected outright. */
#define DER_MAX_LENGTH_BYTES 4

void pg_der_init(struct pg_der_cursor *cursor, const uint8_t *buf, size_t len)
{
        cursor->p = buf;
        cursor->end = buf + len;
}

void pg_der_enter(struct pg_der_cursor *cursor, const struct pg_der_element *element)
{
        pg_der_init(cursor, element->value, element->len);
}

bool pg_der_at_end(const struct pg_der_cursor *cursor)
{
        return cursor->p == cursor->end;
}

static pg_err der_read_tag(const uint8_t **pp, const uint8_t *end, uint8_t *tag)
{
        const uint8_t *p = *pp;

        if (p == end)
                return PG_ERR_DER_MISSING_ELEMENT;
        if ((*p & 0x1f) == 0x1f)
                return PG_ERR_DER_TAG_HIGH_NUMBER;
        *tag = *p;
        *pp = p + 1;
        return PG_OK;
}

/*
 * Reads a definite length. The short form covers 0..127. The long form must
 * start with a nonzero byte and encode a value of at least 128, because
 * otherwise a shorter encoding exists.
 */
static pg_err der_read_length(const uint8_t **pp, const uint8_t *end, size_t *len)
{
        const uint8_t *p = *pp;
        size_t count, value = 0;

        if (p == end)
                return PG_ERR_DER_TRUNCATED;
        if (*p < 0x80) {
                *len = *p;
                *pp = p + 1;
                return PG_OK;
        }
        if (*p == 0x80)
                return PG_ERR_DER_LENGTH_INDEFINITE;
        count = *p & 0x7f;
        p++;
        if (count > DER_MAX_LENGTH_BYTES)
                return PG_ERR_DER_LENGTH_TOO_LARGE;
        if (count > (size_t)(end - p))
                return PG_ERR_DER_TRUNCATED;
        if (p[0] == 0)
                return PG_ERR_DER_LENGTH_NOT_MINIMAL;
        for (size_t i = 0; i < count; i++)
                value = value << 8 | p[i];
        if (value < 0x80)
                return PG_ERR_DER_LENGTH_NOT_MINIMAL;
        *len = value;
        *pp = p + count;
        return PG_OK;
}

pg_err pg_der_next(struct pg_der_cursor *cursor, struct pg_der_element *element)
{
        const uint8_t *p = cursor->p;
        uint8_t tag = 0;
        size_t len = 0;
        pg_err err;

        err = der_read_tag(&p, cursor->end, &tag);
        if (err != PG_OK)
                return err;
        err = der_read_length(&p, cursor->end, &len);
        if (err != PG_OK)
                return err;
        if (len > (size_t)(cursor->end - p))
                return PG_ERR_DER_VALUE_TRUNCATED;

        element->tag = tag;
        element->value = p;
        element->len = len;
        cursor->p = p + len;
        return PG_OK;
}

pg_err pg_der_expect(struct pg_der_cursor *cursor, uint8_t tag, struct pg_der_element *element)
{
        struct pg_der_cursor next = *cursor;
        struct pg_der_element found;
        pg_err err;

        err = pg_der_next(&next, &found);
        if (err != PG_OK)
                return err;
        if (found.tag != tag)
                return PG_ERR_DER_WRONG_TAG;
        *element = found;
        *cursor = next;
        return PG_OK;
}

pg_err pg_der_finish(const struct pg_der_cursor *cursor)
{
        return pg_der_at_end(cursor) ? PG_OK : PG_ERR_DER_TRAILING_DATA;
}

pg_err pg_der_unsigned_integer(const struct pg_der_element *element,
                               const uint8_t **magnitude, size_t *magnitude_len)
{
        const uint8_t *v = element->value;
        size_t len = element->len;

        if (len == 0)
                return PG_ERR_DER_INTEGER_EMPTY;
        if (v[0] & 0x80)
                return PG_ERR_DER_INTEGER_NEGATIVE;
        if (len > 1 && v[0] == 0x00) {
                /* A leading zero is only allowed to keep the next byte's top bit from
                 * reading as a sign. */
                if (!(v[1] & 0x80))
                        return PG_ERR_DER_INTEGER_NOT_MINIMAL;
                v++;
                len--;
        }
        *magnitude = v;
        *magnitude_len = len;
        return PG_OK;
}

pg_err pg_der_bit_string_bytes(const struct pg_der_element *element,
                               const uint8_t **bytes, size_t *bytes_len)
{
        if (element->len == 0)
                return PG_ERR_DER_BIT_STRING_EMPTY;
        if (element->value[0] != 0)
                return PG_ERR_DER_BIT_STRING_UNUSED_BITS;
        *bytes = element->value + 1;
        *bytes_len = element->len - 1;
        return PG_OK;
}

pg_err pg_der_null(const struct pg_der_element *element)
{
        return element->len == 0 ? PG_OK : PG_ERR_DER_NULL_NOT_EMPTY;
}
