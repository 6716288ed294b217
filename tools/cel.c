/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reader of the userspace measurement log (tools/cel.h): a strict JSON
 * validator over one record at a time, then the CEL member rules. Hosted C
 * without allocation, so the unit test and the fuzzer compile it directly.
 */
#include <string.h>

#include "crypto/sha256.h"
#include "tools/cel.h"

static const struct {
        const char *name;
        uint16_t id;
        uint8_t size;
} cel_algs[PG_CEL_ALGS] = {
        [PG_CEL_SHA1] = { "sha1", 0x0004, 20 },
        [PG_CEL_SHA256] = { "sha256", 0x000b, 32 },
        [PG_CEL_SHA384] = { "sha384", 0x000c, 48 },
        [PG_CEL_SHA512] = { "sha512", 0x000d, 64 },
        [PG_CEL_SM3_256] = { "sm3_256", 0x0012, 32 },
};

uint16_t pg_cel_alg_id(unsigned a) { return a < PG_CEL_ALGS ? cel_algs[a].id : 0; }
const char *pg_cel_alg_name(unsigned a) { return a < PG_CEL_ALGS ? cel_algs[a].name : NULL; }
size_t pg_cel_alg_size(unsigned a) { return a < PG_CEL_ALGS ? cel_algs[a].size : 0; }

void pg_cel_content_digest(const uint8_t *content, size_t len, uint8_t out[32])
{
        struct pg_sha256_ctx c;
        uint8_t head[8];

        pg_store_le32(head, PG_CEL_RUNTIME_TAG);
        pg_store_le32(head + 4, (uint32_t)len);
        pg_sha256_init(&c);
        pg_sha256_update(&c, head, sizeof(head));
        pg_sha256_update(&c, content, len);
        pg_sha256_final(&c, out);
}

/* One record's JSON text, [p, end). */
struct cel_cur {
        const uint8_t *p;
        const uint8_t *end;
};

static void cel_ws(struct cel_cur *c)
{
        while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
                c->p++;
}

static bool cel_eat(struct cel_cur *c, char ch)
{
        cel_ws(c);
        if (c->p < c->end && *c->p == (uint8_t)ch) {
                c->p++;
                return true;
        }
        return false;
}

static bool cel_hex_digit(uint8_t ch)
{
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* A string with its quotes; *s and *n give the raw bytes between them. */
static pg_err cel_string(struct cel_cur *c, const uint8_t **s, size_t *n)
{
        cel_ws(c);
        if (c->p >= c->end || *c->p != '"')
                return PG_ERR_CEL_JSON_SYNTAX;
        *s = ++c->p;
        while (c->p < c->end && *c->p != '"') {
                uint8_t ch = *c->p++;

                if (ch < 0x20)
                        return PG_ERR_CEL_JSON_SYNTAX;
                if (ch != '\\')
                        continue;
                if (c->p >= c->end)
                        return PG_ERR_CEL_JSON_SYNTAX;
                ch = *c->p++;
                if (ch == 'u') {
                        if (c->end - c->p < 4)
                                return PG_ERR_CEL_JSON_SYNTAX;
                        for (int i = 0; i < 4; i++)
                                if (!cel_hex_digit(*c->p++))
                                        return PG_ERR_CEL_JSON_SYNTAX;
                } else if (!strchr("\"\\/bfnrt", ch) || ch == 0) {
                        return PG_ERR_CEL_JSON_SYNTAX;
                }
        }
        if (c->p >= c->end)
                return PG_ERR_CEL_JSON_SYNTAX;
        *n = (size_t)(c->p - *s);
        c->p++;
        return PG_OK;
}

static size_t cel_digits(struct cel_cur *c)
{
        size_t n = 0;

        while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
                c->p++;
                n++;
        }
        return n;
}

/* RFC 8259 number grammar. */
static pg_err cel_number(struct cel_cur *c)
{
        const uint8_t *start;

        if (c->p < c->end && *c->p == '-')
                c->p++;
        start = c->p;
        if (cel_digits(c) == 0 || (*start == '0' && c->p - start > 1))
                return PG_ERR_CEL_JSON_SYNTAX;
        if (c->p < c->end && *c->p == '.') {
                c->p++;
                if (cel_digits(c) == 0)
                        return PG_ERR_CEL_JSON_SYNTAX;
        }
        if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
                c->p++;
                if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
                        c->p++;
                if (cel_digits(c) == 0)
                        return PG_ERR_CEL_JSON_SYNTAX;
        }
        return PG_OK;
}

static pg_err cel_value(struct cel_cur *c, unsigned depth);

static pg_err cel_container(struct cel_cur *c, unsigned depth, char close)
{
        pg_err err;

        if (depth >= PG_CEL_MAX_DEPTH)
                return PG_ERR_CEL_JSON_TOO_DEEP;
        if (cel_eat(c, close))
                return PG_OK;
        do {
                if (close == '}') {
                        const uint8_t *s;
                        size_t n;

                        if ((err = cel_string(c, &s, &n)) != PG_OK)
                                return err;
                        if (!cel_eat(c, ':'))
                                return PG_ERR_CEL_JSON_SYNTAX;
                }
                if ((err = cel_value(c, depth + 1)) != PG_OK)
                        return err;
        } while (cel_eat(c, ','));
        return cel_eat(c, close) ? PG_OK : PG_ERR_CEL_JSON_SYNTAX;
}

static bool cel_literal(struct cel_cur *c, const char *lit)
{
        size_t n = strlen(lit);

        if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
                return false;
        c->p += n;
        return true;
}

static pg_err cel_value(struct cel_cur *c, unsigned depth)
{
        const uint8_t *s;
        size_t n;

        cel_ws(c);
        if (c->p >= c->end)
                return PG_ERR_CEL_JSON_SYNTAX;
        switch (*c->p) {
        case '{':
                c->p++;
                return cel_container(c, depth, '}');
        case '[':
                c->p++;
                return cel_container(c, depth, ']');
        case '"':
                return cel_string(c, &s, &n);
        case 't':
                return cel_literal(c, "true") ? PG_OK : PG_ERR_CEL_JSON_SYNTAX;
        case 'f':
                return cel_literal(c, "false") ? PG_OK : PG_ERR_CEL_JSON_SYNTAX;
        case 'n':
                return cel_literal(c, "null") ? PG_OK : PG_ERR_CEL_JSON_SYNTAX;
        default:
                return cel_number(c);
        }
}

/* Reads a JSON value that must be an integer from 0 to max. Any other valid
 * JSON value returns bad, and malformed JSON a syntax error. */
static pg_err cel_uint(struct cel_cur *c, uint64_t max, pg_err bad, uint32_t *out)
{
        const uint8_t *start;
        uint64_t v = 0;
        pg_err err;

        cel_ws(c);
        start = c->p;
        if ((err = cel_value(c, 1)) != PG_OK)
                return err;
        if (*start == '0' && c->p - start == 1) {
                *out = 0;
                return PG_OK;
        }
        if (*start < '1' || *start > '9')
                return bad;
        for (const uint8_t *q = start; q < c->p; q++) {
                if (*q < '0' || *q > '9' || v > max)
                        return bad;
                v = v * 10 + (uint64_t)(*q - '0');
        }
        if (v > max)
                return bad;
        *out = (uint32_t)v;
        return PG_OK;
}

static int cel_hex_value(uint8_t ch)
{
        if (ch >= '0' && ch <= '9')
                return ch - '0';
        if (ch >= 'a' && ch <= 'f')
                return ch - 'a' + 10;
        return -1;
}

/* One {"hashAlg": NAME, "digest": HEX} object. */
static pg_err cel_digest(struct cel_cur *c, struct pg_cel_record *r)
{
        const uint8_t *alg = NULL, *hex = NULL, *key;
        size_t alg_n = 0, hex_n = 0, key_n;
        unsigned a;
        pg_err err;

        if (!cel_eat(c, '{'))
                return PG_ERR_CEL_BAD_DIGESTS;
        do {
                const uint8_t **slot;
                size_t *slot_n;

                if ((err = cel_string(c, &key, &key_n)) != PG_OK)
                        return err;
                if (!cel_eat(c, ':'))
                        return PG_ERR_CEL_JSON_SYNTAX;
                if (key_n == 7 && !memcmp(key, "hashAlg", 7))
                        slot = &alg, slot_n = &alg_n;
                else if (key_n == 6 && !memcmp(key, "digest", 6))
                        slot = &hex, slot_n = &hex_n;
                else
                        return PG_ERR_CEL_BAD_DIGESTS;
                if (*slot)
                        return PG_ERR_CEL_BAD_DIGESTS;
                cel_ws(c);
                if (c->p >= c->end || *c->p != '"')
                        return cel_value(c, 2) ? PG_ERR_CEL_JSON_SYNTAX : PG_ERR_CEL_BAD_DIGESTS;
                if ((err = cel_string(c, slot, slot_n)) != PG_OK)
                        return err;
        } while (cel_eat(c, ','));
        if (!cel_eat(c, '}'))
                return PG_ERR_CEL_JSON_SYNTAX;
        if (!alg || !hex)
                return PG_ERR_CEL_BAD_DIGESTS;
        for (a = 0; a < PG_CEL_ALGS; a++)
                if (strlen(cel_algs[a].name) == alg_n && !memcmp(alg, cel_algs[a].name, alg_n))
                        break;
        if (a == PG_CEL_ALGS)
                return PG_ERR_CEL_UNKNOWN_ALG;
        if (r->alg_mask & (1u << a))
                return PG_ERR_CEL_DUPLICATE_ALG;
        if (hex_n != 2 * (size_t)cel_algs[a].size)
                return PG_ERR_CEL_BAD_DIGEST;
        for (size_t i = 0; i < cel_algs[a].size; i++) {
                int hi = cel_hex_value(hex[2 * i]), lo = cel_hex_value(hex[2 * i + 1]);

                if (hi < 0 || lo < 0)
                        return PG_ERR_CEL_BAD_DIGEST;
                r->digest[a][i] = (uint8_t)(hi << 4 | lo);
        }
        r->alg_mask |= 1u << a;
        return PG_OK;
}

static pg_err cel_digests(struct cel_cur *c, struct pg_cel_record *r)
{
        pg_err err;

        cel_ws(c);
        if (c->p >= c->end || *c->p != '[')
                return cel_value(c, 1) ? PG_ERR_CEL_JSON_SYNTAX : PG_ERR_CEL_BAD_DIGESTS;
        c->p++;
        if (cel_eat(c, ']'))
                return PG_ERR_CEL_BAD_DIGESTS;
        do {
                if ((err = cel_digest(c, r)) != PG_OK)
                        return err;
        } while (cel_eat(c, ','));
        if (!cel_eat(c, ']'))
                return PG_ERR_CEL_JSON_SYNTAX;
        return (r->alg_mask & (1u << PG_CEL_SHA256)) ? PG_OK : PG_ERR_CEL_NO_SHA256;
}

static pg_err cel_content_type(struct cel_cur *c, struct pg_cel_record *r)
{
        const uint8_t *s;
        size_t n;
        pg_err err;

        cel_ws(c);
        if (c->p >= c->end || *c->p != '"')
                return cel_value(c, 1) ? PG_ERR_CEL_JSON_SYNTAX : PG_ERR_CEL_BAD_CONTENT_TYPE;
        if ((err = cel_string(c, &s, &n)) != PG_OK)
                return err;
        if (n == 0 || n > PG_CEL_CONTENT_TYPE_MAX)
                return PG_ERR_CEL_BAD_CONTENT_TYPE;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
                        return PG_ERR_CEL_BAD_CONTENT_TYPE;
        memcpy(r->content_type, s, n);
        r->content_type[n] = 0;
        return PG_OK;
}

static pg_err cel_content(struct cel_cur *c, struct pg_cel_record *r)
{
        pg_err err;

        cel_ws(c);
        r->content = c->p;
        if ((err = cel_value(c, 1)) != PG_OK)
                return err;
        if (*r->content != '{')
                return PG_ERR_CEL_BAD_CONTENT;
        r->content_len = (size_t)(c->p - r->content);
        return PG_OK;
}

enum { M_RECNUM, M_PCR, M_DIGESTS, M_CONTENT_TYPE, M_CONTENT, M_COUNT };
static const char *const cel_members[M_COUNT] = {
        "recnum", "pcr", "digests", "content_type", "content",
};

static pg_err cel_member(struct cel_cur *c, unsigned m, struct pg_cel_record *r)
{
        switch (m) {
        case M_RECNUM:
                return cel_uint(c, UINT32_MAX, PG_ERR_CEL_BAD_RECNUM, &r->recnum);
        case M_PCR:
                return cel_uint(c, 23, PG_ERR_CEL_BAD_PCR, &r->pcr);
        case M_DIGESTS:
                return cel_digests(c, r);
        case M_CONTENT_TYPE:
                return cel_content_type(c, r);
        default:
                return cel_content(c, r);
        }
}

/* The whole record: JSON syntax first, then the members. */
static pg_err cel_record(const uint8_t *json, size_t n, struct pg_cel_record *r)
{
        struct cel_cur c = { json, json + n };
        unsigned seen = 0;
        pg_err err;

        if ((err = cel_value(&c, 0)) != PG_OK)
                return err;
        cel_ws(&c);
        if (c.p != c.end)
                return PG_ERR_CEL_TRAILING;
        c.p = json;
        if (!cel_eat(&c, '{'))
                return PG_ERR_CEL_NOT_OBJECT;
        if (cel_eat(&c, '}'))
                return PG_ERR_CEL_MISSING_MEMBER;
        do {
                const uint8_t *key;
                size_t key_n;
                unsigned m;

                if ((err = cel_string(&c, &key, &key_n)) != PG_OK || !cel_eat(&c, ':'))
                        return err ? err : PG_ERR_CEL_JSON_SYNTAX;
                for (m = 0; m < M_COUNT; m++)
                        if (strlen(cel_members[m]) == key_n && !memcmp(key, cel_members[m], key_n))
                                break;
                if (m == M_COUNT)
                        return PG_ERR_CEL_UNKNOWN_MEMBER;
                if (seen & (1u << m))
                        return PG_ERR_CEL_DUPLICATE_MEMBER;
                seen |= 1u << m;
                if ((err = cel_member(&c, m, r)) != PG_OK)
                        return err;
        } while (cel_eat(&c, ','));
        if (seen != (1u << M_COUNT) - 1)
                return PG_ERR_CEL_MISSING_MEMBER;
        return PG_OK;
}

void pg_cel_init(struct pg_cel *it, const void *buf, size_t len)
{
        *it = (struct pg_cel){ .buf = buf, .len = len };
}

static pg_err cel_fail(struct pg_cel *it, pg_err err)
{
        it->err = err;
        it->err_offset = it->pos;
        return err;
}

pg_err pg_cel_next(struct pg_cel *it, struct pg_cel_record *rec, bool *end)
{
        struct pg_cel_record r;
        const uint8_t *start, *lf;
        size_t avail;
        pg_err err;

        if (it->err != PG_OK)
                return it->err;
        if (it->pos == it->len) {
                *end = true;
                return PG_OK;
        }
        if (it->records == PG_CEL_MAX_RECORDS)
                return cel_fail(it, PG_ERR_CEL_TOO_MANY_RECORDS);
        start = it->buf + it->pos;
        if (*start != 0x1e)
                return cel_fail(it, PG_ERR_CEL_NO_RS);
        avail = it->len - it->pos;
        if (avail > PG_CEL_MAX_RECORD)
                avail = PG_CEL_MAX_RECORD;
        lf = memchr(start + 1, '\n', avail - 1);
        if (lf == NULL)
                return cel_fail(it, avail == PG_CEL_MAX_RECORD ? PG_ERR_CEL_RECORD_TOO_LARGE :
                                PG_ERR_CEL_UNTERMINATED);
        memset(&r, 0, sizeof(r));
        /* A JSON string contains no raw LF, so the first LF ends the record;
         * a 0x1E inside the record is not JSON and fails the syntax check. */
        err = cel_record(start + 1, (size_t)(lf - start - 1), &r);
        if (err == PG_OK && r.recnum != it->records)
                err = PG_ERR_CEL_RECNUM_SEQUENCE;
        if (err == PG_OK && !strcmp(r.content_type, PG_CEL_PRODGATE_TYPE)) {
                uint8_t d[32];

                pg_cel_content_digest(r.content, r.content_len, d);
                if (memcmp(d, r.digest[PG_CEL_SHA256], sizeof(d)) != 0)
                        err = PG_ERR_CEL_CONTENT_DIGEST;
        }
        if (err != PG_OK)
                return cel_fail(it, err);
        r.offset = it->pos;
        it->pos += (size_t)(lf - start) + 1;
        it->records++;
        *rec = r;
        *end = false;
        return PG_OK;
}
