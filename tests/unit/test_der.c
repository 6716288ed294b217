/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The DER reader on hand-written encodings, then the SubjectPublicKeyInfo
 * parser on keys from OpenSSL with one field broken at a time.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "test.h"
#include "crypto/der.h"
#include "crypto/rsa.h"

/* ---- generic reader --------------------------------------------------------- */

static uint8_t hex_buf[1024];

/* Decodes hex (spaces allowed) into hex_buf and returns the length. */
static size_t hex(const char *text)
{
        char compact[2 * sizeof(hex_buf) + 1];
        size_t n = 0;
        long len;

        for (const char *c = text; *c && n + 1 < sizeof(compact); c++) {
                if (*c != ' ')
                        compact[n++] = *c;
        }
        compact[n] = 0;
        len = test_unhex(compact, hex_buf, sizeof(hex_buf));
        if (len < 0) {
                fprintf(stderr, "invalid hex in test: %s\n", text);
                exit(2);
        }
        return (size_t)len;
}

/* Reads one element from hex and returns the error. */
static pg_err der_next_hex(const char *text, struct pg_der_element *element)
{
        struct pg_der_cursor cursor;
        size_t len = hex(text);

        pg_der_init(&cursor, hex_buf, len);
        return pg_der_next(&cursor, element);
}

TEST(der_lengths)
{
        static const struct {
                const char *hex;
                pg_err expected;
                size_t len;
        } cases[] = {
                { "04 00", PG_OK, 0 },
                { "04 01 aa", PG_OK, 1 },
                { "04 7f", PG_ERR_DER_VALUE_TRUNCATED, 0 },
                { "", PG_ERR_DER_MISSING_ELEMENT, 0 },
                { "04", PG_ERR_DER_TRUNCATED, 0 },
                { "04 82 01", PG_ERR_DER_TRUNCATED, 0 },
                { "04 80 00 00", PG_ERR_DER_LENGTH_INDEFINITE, 0 },
                { "04 81 05 0102030405", PG_ERR_DER_LENGTH_NOT_MINIMAL, 0 },
                { "04 81 7f", PG_ERR_DER_LENGTH_NOT_MINIMAL, 0 },
                { "04 82 00 80", PG_ERR_DER_LENGTH_NOT_MINIMAL, 0 },
                { "04 84 00 00 01 00", PG_ERR_DER_LENGTH_NOT_MINIMAL, 0 },
                { "04 85 01 00 00 00 00", PG_ERR_DER_LENGTH_TOO_LARGE, 0 },
                { "04 ff", PG_ERR_DER_LENGTH_TOO_LARGE, 0 },
                { "04 84 ff ff ff ff", PG_ERR_DER_VALUE_TRUNCATED, 0 },
                { "04 82 01 00", PG_ERR_DER_VALUE_TRUNCATED, 0 },
                { "1f 01 00", PG_ERR_DER_TAG_HIGH_NUMBER, 0 },
                { "3f 22 00", PG_ERR_DER_TAG_HIGH_NUMBER, 0 },
        };
        struct pg_der_element element;

        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                pg_err err = der_next_hex(cases[i].hex, &element);

                if (err != cases[i].expected)
                        test_report(__FILE__, __LINE__, "\"%s\" returned %s, expected %s",
                                    cases[i].hex, test_err_name(err),
                                    test_err_name(cases[i].expected));
                else if (err == PG_OK && element.len != cases[i].len)
                        test_report(__FILE__, __LINE__, "\"%s\" has length %zu, expected %zu",
                                    cases[i].hex, element.len, cases[i].len);
        }
}

TEST(der_long_form_lengths)
{
        uint8_t buf[70000];
        struct pg_der_cursor cursor;
        struct pg_der_element element;
        static const size_t lengths[] = { 128, 255, 256, 65535, 65536 };

        memset(buf, 0x11, sizeof(buf));
        for (size_t i = 0; i < PG_ARRAY_SIZE(lengths); i++) {
                size_t len = lengths[i], header;

                buf[0] = 0x04;
                if (len < 256) {
                        buf[1] = 0x81;
                        buf[2] = (uint8_t)len;
                        header = 3;
                } else if (len < 65536) {
                        buf[1] = 0x82;
                        buf[2] = (uint8_t)(len >> 8);
                        buf[3] = (uint8_t)len;
                        header = 4;
                } else {
                        buf[1] = 0x83;
                        buf[2] = (uint8_t)(len >> 16);
                        buf[3] = (uint8_t)(len >> 8);
                        buf[4] = (uint8_t)len;
                        header = 5;
                }
                pg_der_init(&cursor, buf, header + len);
                CHECK_ERR(pg_der_next(&cursor, &element), PG_OK);
                CHECK_INT(element.len, len);
                CHECK(element.value == buf + header);
                CHECK(pg_der_at_end(&cursor));
                pg_der_init(&cursor, buf, header + len - 1);
                CHECK_ERR(pg_der_next(&cursor, &element), PG_ERR_DER_VALUE_TRUNCATED);
        }
}

TEST(der_error_leaves_outputs)
{
        struct pg_der_cursor cursor, before;
        struct pg_der_element element = { 0x77, NULL, 12345 };
        size_t len = hex("02 01 05 30 81 05");

        pg_der_init(&cursor, hex_buf, len);
        CHECK_ERR(pg_der_expect(&cursor, PG_DER_TAG_SEQUENCE, &element), PG_ERR_DER_WRONG_TAG);
        CHECK(cursor.p == hex_buf);
        CHECK_INT(element.tag, 0x77);
        CHECK_INT(element.len, 12345);
        CHECK_ERR(pg_der_expect(&cursor, PG_DER_TAG_INTEGER, &element), PG_OK);
        CHECK_INT(element.len, 1);
        CHECK_INT(element.value[0], 5);

        before = cursor;
        element.tag = 0x77;
        CHECK_ERR(pg_der_next(&cursor, &element), PG_ERR_DER_LENGTH_NOT_MINIMAL);
        CHECK(cursor.p == before.p);
        CHECK_INT(element.tag, 0x77);
        CHECK_ERR(pg_der_finish(&cursor), PG_ERR_DER_TRAILING_DATA);
}

TEST(der_nested_bounds)
{
        struct pg_der_cursor outer, inner;
        struct pg_der_element seq, item;
        /* The inner OCTET STRING claims 3 bytes, but its SEQUENCE holds only 2 after the
         * header, though the whole buffer has enough. */
        size_t len = hex("30 03 04 03 aa bb cc dd");

        pg_der_init(&outer, hex_buf, len);
        CHECK_ERR(pg_der_expect(&outer, PG_DER_TAG_SEQUENCE, &seq), PG_OK);
        pg_der_enter(&inner, &seq);
        CHECK_ERR(pg_der_next(&inner, &item), PG_ERR_DER_VALUE_TRUNCATED);
        CHECK_ERR(pg_der_finish(&outer), PG_ERR_DER_TRAILING_DATA);
}

TEST(der_integers)
{
        static const struct {
                const char *content;
                pg_err expected;
                const char *magnitude;
        } cases[] = {
                { "", PG_ERR_DER_INTEGER_EMPTY, NULL },
                { "00", PG_OK, "00" },
                { "01", PG_OK, "01" },
                { "7f", PG_OK, "7f" },
                { "0080", PG_OK, "80" },
                { "00ff01", PG_OK, "ff01" },
                { "80", PG_ERR_DER_INTEGER_NEGATIVE, NULL },
                { "ff", PG_ERR_DER_INTEGER_NEGATIVE, NULL },
                { "ff80", PG_ERR_DER_INTEGER_NEGATIVE, NULL },
                { "0000", PG_ERR_DER_INTEGER_NOT_MINIMAL, NULL },
                { "0001", PG_ERR_DER_INTEGER_NOT_MINIMAL, NULL },
                { "007f", PG_ERR_DER_INTEGER_NOT_MINIMAL, NULL },
        };

        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                struct pg_der_element element = { PG_DER_TAG_INTEGER, hex_buf, 0 };
                const uint8_t *magnitude = NULL;
                size_t magnitude_len = 999;
                uint8_t expected[8];
                pg_err err;

                element.len = hex(cases[i].content);
                err = pg_der_unsigned_integer(&element, &magnitude, &magnitude_len);
                if (err != cases[i].expected) {
                        test_report(__FILE__, __LINE__, "INTEGER %s returned %s, expected %s",
                                    cases[i].content, test_err_name(err),
                                    test_err_name(cases[i].expected));
                        continue;
                }
                if (err != PG_OK) {
                        CHECK(magnitude == NULL);
                        CHECK_INT(magnitude_len, 999);
                        continue;
                }
                CHECK_INT(magnitude_len, strlen(cases[i].magnitude) / 2);
                CHECK(test_unhex(cases[i].magnitude, expected, sizeof(expected)) > 0);
                CHECK_MEM(magnitude, expected, magnitude_len);
        }
}

TEST(der_bit_string_and_null)
{
        struct pg_der_element element = { PG_DER_TAG_BIT_STRING, hex_buf, 0 };
        const uint8_t *bytes = NULL;
        size_t bytes_len = 999;

        element.len = hex("");
        CHECK_ERR(pg_der_bit_string_bytes(&element, &bytes, &bytes_len),
                  PG_ERR_DER_BIT_STRING_EMPTY);
        element.len = hex("01 fe");
        CHECK_ERR(pg_der_bit_string_bytes(&element, &bytes, &bytes_len),
                  PG_ERR_DER_BIT_STRING_UNUSED_BITS);
        CHECK(bytes == NULL);
        CHECK_INT(bytes_len, 999);
        element.len = hex("00");
        CHECK_ERR(pg_der_bit_string_bytes(&element, &bytes, &bytes_len), PG_OK);
        CHECK_INT(bytes_len, 0);
        element.len = hex("00 ab cd");
        CHECK_ERR(pg_der_bit_string_bytes(&element, &bytes, &bytes_len), PG_OK);
        CHECK_INT(bytes_len, 2);
        CHECK(bytes == hex_buf + 1);

        element.tag = PG_DER_TAG_NULL;
        element.len = 0;
        CHECK_ERR(pg_der_null(&element), PG_OK);
        element.len = hex("00");
        CHECK_ERR(pg_der_null(&element), PG_ERR_DER_NULL_NOT_EMPTY);
}

/* ---- SubjectPublicKeyInfo built field by field ------------------------------ */

struct der_buf {
        uint8_t data[1400];
        size_t len;
};

static void der_put(struct der_buf *b, const void *p, size_t n)
{
        if (n > sizeof(b->data) - b->len) {
                fprintf(stderr, "test DER buffer too small\n");
                exit(2);
        }
        memcpy(b->data + b->len, p, n);
        b->len += n;
}

/* Appends tag, minimal length and content. */
static void der_put_tlv(struct der_buf *b, uint8_t tag, const uint8_t *content, size_t len)
{
        uint8_t header[4] = { tag };
        size_t header_len;

        if (len < 0x80) {
                header[1] = (uint8_t)len;
                header_len = 2;
        } else if (len < 0x100) {
                header[1] = 0x81;
                header[2] = (uint8_t)len;
                header_len = 3;
        } else {
                header[1] = 0x82;
                header[2] = (uint8_t)(len >> 8);
                header[3] = (uint8_t)len;
                header_len = 4;
        }
        der_put(b, header, header_len);
        der_put(b, content, len);
}

enum extra_byte_at {
        EXTRA_NONE,
        EXTRA_AFTER_SPKI,       /* after the outer SEQUENCE */
        EXTRA_IN_SPKI,          /* after the BIT STRING */
        EXTRA_IN_ALGORITHM,     /* after the NULL parameters */
        EXTRA_IN_BIT_STRING,    /* after the RSAPublicKey SEQUENCE */
        EXTRA_IN_RSA_KEY,       /* after the exponent */
};

/*
 * Every field of SubjectPublicKeyInfo { { oid, params }, BIT STRING { unused,
 * RSAPublicKey { n, e } } }. A raw element replaces the tag-length-value that
 * the builder would otherwise encode.
 */
struct spki_spec {
        uint8_t outer_tag, algorithm_tag, oid_tag, bit_string_tag, rsa_tag, n_tag, e_tag;
        uint8_t oid[16];
        size_t oid_len;
        uint8_t params[8];              /* the whole parameters element */
        size_t params_len;              /* 0 leaves the parameters out */
        uint8_t unused_bits;
        bool omit_unused_bits;
        bool omit_rsa_key;
        uint8_t n[PG_RSA_MAX_BYTES + 8];  /* INTEGER content, sign byte included */
        size_t n_len;
        uint8_t e[16];
        size_t e_len;
        bool omit_e;
        const char *e_raw;              /* hex of the whole exponent element */
        enum extra_byte_at extra;
};

static const uint8_t zero_byte[1];

static void spki_build_rsa_key(const struct spki_spec *s, struct der_buf *out)
{
        struct der_buf fields = { .len = 0 };

        der_put_tlv(&fields, s->n_tag, s->n, s->n_len);
        if (s->e_raw) {
                size_t len = hex(s->e_raw);

                der_put(&fields, hex_buf, len);
        } else if (!s->omit_e) {
                der_put_tlv(&fields, s->e_tag, s->e, s->e_len);
        }
        if (s->extra == EXTRA_IN_RSA_KEY)
                der_put(&fields, zero_byte, 1);
        der_put_tlv(out, s->rsa_tag, fields.data, fields.len);
}

static size_t spki_build(const struct spki_spec *s, uint8_t *out, size_t out_max)
{
        struct der_buf algorithm = { .len = 0 }, bits = { .len = 0 };
        struct der_buf body = { .len = 0 }, all = { .len = 0 };

        der_put_tlv(&algorithm, s->oid_tag, s->oid, s->oid_len);
        der_put(&algorithm, s->params, s->params_len);
        if (s->extra == EXTRA_IN_ALGORITHM)
                der_put(&algorithm, zero_byte, 1);

        if (!s->omit_unused_bits)
                der_put(&bits, &s->unused_bits, 1);
        if (!s->omit_rsa_key)
                spki_build_rsa_key(s, &bits);
        if (s->extra == EXTRA_IN_BIT_STRING)
                der_put(&bits, zero_byte, 1);

        der_put_tlv(&body, s->algorithm_tag, algorithm.data, algorithm.len);
        der_put_tlv(&body, s->bit_string_tag, bits.data, bits.len);
        if (s->extra == EXTRA_IN_SPKI)
                der_put(&body, zero_byte, 1);
        der_put_tlv(&all, s->outer_tag, body.data, body.len);
        if (s->extra == EXTRA_AFTER_SPKI)
                der_put(&all, zero_byte, 1);

        CHECK(all.len <= out_max);
        memcpy(out, all.data, all.len);
        return all.len;
}

static const uint8_t oid_rsa_encryption[] = {
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
};

static struct spki_spec base_spec;
static uint8_t openssl_der[2048];
static size_t openssl_der_len;

/* Fills base_spec from a 2048-bit key that OpenSSL generates. */
static void base_spec_init(void)
{
        EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
        BIGNUM *n = NULL, *e = NULL;
        unsigned char *der = NULL;
        int der_len;

        if (!pkey || EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
            EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1 ||
            (der_len = i2d_PUBKEY(pkey, &der)) <= 0 || (size_t)der_len > sizeof(openssl_der)) {
                fprintf(stderr, "OpenSSL failed to generate and export an RSA key\n");
                exit(2);
        }
        memcpy(openssl_der, der, (size_t)der_len);
        openssl_der_len = (size_t)der_len;

        base_spec = (struct spki_spec){
                .outer_tag = 0x30, .algorithm_tag = 0x30, .oid_tag = 0x06,
                .bit_string_tag = 0x03, .rsa_tag = 0x30, .n_tag = 0x02, .e_tag = 0x02,
                .oid_len = sizeof(oid_rsa_encryption),
                .params = { 0x05, 0x00 }, .params_len = 2,
        };
        memcpy(base_spec.oid, oid_rsa_encryption, sizeof(oid_rsa_encryption));
        /* A 2048-bit modulus has its top bit set, so DER puts a 0x00 sign byte first. */
        base_spec.n[0] = 0;
        base_spec.n_len = 1 + (size_t)BN_bn2bin(n, base_spec.n + 1);
        base_spec.e_len = (size_t)BN_bn2bin(e, base_spec.e);

        OPENSSL_free(der);
        BN_free(n);
        BN_free(e);
        EVP_PKEY_free(pkey);
}

static pg_err parse_spec(const struct spki_spec *s)
{
        uint8_t der[2048];
        size_t len = spki_build(s, der, sizeof(der));
        struct pg_rsa_pubkey key;

        return pg_rsa_pubkey_from_spki(&key, der, len);
}

TEST(spki_openssl_key)
{
        uint8_t der[2048];
        size_t len = spki_build(&base_spec, der, sizeof(der));
        struct pg_rsa_pubkey from_spki, from_components;

        CHECK_INT(len, openssl_der_len);
        CHECK_MEM(der, openssl_der, openssl_der_len);
        CHECK_ERR(pg_rsa_pubkey_from_spki(&from_spki, openssl_der, openssl_der_len), PG_OK);
        CHECK_INT(from_spki.bits, 2048);
        CHECK_INT(from_spki.len, 256);
        CHECK_INT(from_spki.e, 65537);
        CHECK_ERR(pg_rsa_pubkey_from_components(&from_components, base_spec.n, base_spec.n_len,
                                                base_spec.e, base_spec.e_len), PG_OK);
        CHECK(memcmp(&from_spki, &from_components, sizeof(from_spki)) == 0);
}

/* Each case changes one field of base_spec and names the error it must cause. */
struct spki_case {
        const char *name;
        void (*apply)(struct spki_spec *s);
        pg_err expected;
};

static void outer_tag_set(struct spki_spec *s) { s->outer_tag = 0x31; }
static void algorithm_tag_set(struct spki_spec *s) { s->algorithm_tag = 0x31; }
static void oid_tag_octet_string(struct spki_spec *s) { s->oid_tag = 0x04; }
static void bit_string_constructed(struct spki_spec *s) { s->bit_string_tag = 0x23; }
static void bit_string_octet_string(struct spki_spec *s) { s->bit_string_tag = 0x04; }
static void rsa_key_tag_set(struct spki_spec *s) { s->rsa_tag = 0x31; }
static void n_tag_bit_string(struct spki_spec *s) { s->n_tag = 0x03; }
static void e_tag_octet_string(struct spki_spec *s) { s->e_tag = 0x04; }
static void oid_rsassa_pss(struct spki_spec *s) { s->oid[8] = 0x0a; }
static void oid_sha256_with_rsa(struct spki_spec *s) { s->oid[8] = 0x0b; }
static void oid_short(struct spki_spec *s) { s->oid_len--; }
static void oid_long(struct spki_spec *s) { s->oid[s->oid_len++] = 0x01; }
static void params_missing(struct spki_spec *s) { s->params_len = 0; }

static void params_octet_string(struct spki_spec *s)
{
        s->params[0] = 0x04;
}

static void params_null_with_content(struct spki_spec *s)
{
        memcpy(s->params, "\x05\x01\x00", 3);
        s->params_len = 3;
}

static void params_null_long_form(struct spki_spec *s)
{
        memcpy(s->params, "\x05\x81\x00", 3);
        s->params_len = 3;
}

static void params_null_indefinite(struct spki_spec *s)
{
        memcpy(s->params, "\x05\x80\x00\x00", 4);
        s->params_len = 4;
}

static void params_high_tag(struct spki_spec *s)
{
        memcpy(s->params, "\x1f\x05\x00", 3);
        s->params_len = 3;
}

static void unused_bits_one(struct spki_spec *s) { s->unused_bits = 1; }

static void bit_string_empty(struct spki_spec *s)
{
        s->omit_unused_bits = true;
        s->omit_rsa_key = true;
}

static void bit_string_no_key(struct spki_spec *s) { s->omit_rsa_key = true; }
static void extra_after_spki(struct spki_spec *s) { s->extra = EXTRA_AFTER_SPKI; }
static void extra_in_spki(struct spki_spec *s) { s->extra = EXTRA_IN_SPKI; }
static void extra_in_algorithm(struct spki_spec *s) { s->extra = EXTRA_IN_ALGORITHM; }
static void extra_in_bit_string(struct spki_spec *s) { s->extra = EXTRA_IN_BIT_STRING; }
static void extra_in_rsa_key(struct spki_spec *s) { s->extra = EXTRA_IN_RSA_KEY; }
static void e_missing(struct spki_spec *s) { s->omit_e = true; }

static void n_negative(struct spki_spec *s)
{
        memmove(s->n, s->n + 1, --s->n_len);
}

static void n_extra_zero(struct spki_spec *s)
{
        memmove(s->n + 1, s->n, s->n_len++);
        s->n[0] = 0;
}

static void n_even(struct spki_spec *s) { s->n[s->n_len - 1] &= 0xfe; }

/* Drops the top byte of the magnitude and sets the new top bit: 2040 bits. */
static void n_2040_bits(struct spki_spec *s)
{
        memmove(s->n + 1, s->n + 2, s->n_len - 2);
        s->n_len--;
        s->n[1] |= 0x80;
}

/* A 513-byte magnitude with its top bit set: 4104 bits. */
static void n_4104_bits(struct spki_spec *s)
{
        size_t target = 514;

        memset(s->n, 0xc3, target);
        s->n[0] = 0x00;
        s->n[1] = 0x80;
        s->n[target - 1] |= 1;
        s->n_len = target;
}

static void e_extra_zero(struct spki_spec *s)
{
        memcpy(s->e, "\x00\x01\x00\x01", 4);
        s->e_len = 4;
}

static void e_negative(struct spki_spec *s)
{
        s->e[0] = 0x81;
        s->e_len = 1;
}

static void e_empty(struct spki_spec *s) { s->e_len = 0; }
static void e_one(struct spki_spec *s) { s->e[0] = 1; s->e_len = 1; }
static void e_even(struct spki_spec *s) { s->e[s->e_len - 1] = 0x00; }

static void e_33_bits(struct spki_spec *s)
{
        memcpy(s->e, "\x01\x00\x00\x00\x01", 5);
        s->e_len = 5;
}

static void e_three(struct spki_spec *s) { s->e[0] = 3; s->e_len = 1; }

static void e_32_bits(struct spki_spec *s)
{
        memcpy(s->e, "\x00\xff\xff\xff\xff", 5);
        s->e_len = 5;
}

static void e_indefinite(struct spki_spec *s) { s->e_raw = "02 80 01 00 01 00 00"; }
static void e_length_not_minimal(struct spki_spec *s) { s->e_raw = "02 81 03 01 00 01"; }

static const struct spki_case spki_cases[] = {
        { "outer SET", outer_tag_set, PG_ERR_DER_WRONG_TAG },
        { "algorithm SET", algorithm_tag_set, PG_ERR_DER_WRONG_TAG },
        { "OID as OCTET STRING", oid_tag_octet_string, PG_ERR_DER_WRONG_TAG },
        { "constructed BIT STRING", bit_string_constructed, PG_ERR_DER_WRONG_TAG },
        { "key in OCTET STRING", bit_string_octet_string, PG_ERR_DER_WRONG_TAG },
        { "RSAPublicKey SET", rsa_key_tag_set, PG_ERR_DER_WRONG_TAG },
        { "modulus as BIT STRING", n_tag_bit_string, PG_ERR_DER_WRONG_TAG },
        { "exponent as OCTET STRING", e_tag_octet_string, PG_ERR_DER_WRONG_TAG },
        { "id-RSASSA-PSS", oid_rsassa_pss, PG_ERR_DER_SPKI_ALGORITHM },
        { "sha256WithRSAEncryption", oid_sha256_with_rsa, PG_ERR_DER_SPKI_ALGORITHM },
        { "OID one byte short", oid_short, PG_ERR_DER_SPKI_ALGORITHM },
        { "OID one byte long", oid_long, PG_ERR_DER_SPKI_ALGORITHM },
        { "parameters missing", params_missing, PG_ERR_DER_SPKI_PARAMS_MISSING },
        { "parameters OCTET STRING", params_octet_string, PG_ERR_DER_SPKI_PARAMS_NOT_NULL },
        { "NULL with content", params_null_with_content, PG_ERR_DER_NULL_NOT_EMPTY },
        { "NULL long-form length", params_null_long_form, PG_ERR_DER_LENGTH_NOT_MINIMAL },
        { "NULL indefinite length", params_null_indefinite, PG_ERR_DER_LENGTH_INDEFINITE },
        { "parameters high tag", params_high_tag, PG_ERR_DER_TAG_HIGH_NUMBER },
        { "unused bits 1", unused_bits_one, PG_ERR_DER_BIT_STRING_UNUSED_BITS },
        { "BIT STRING empty", bit_string_empty, PG_ERR_DER_BIT_STRING_EMPTY },
        { "BIT STRING without key", bit_string_no_key, PG_ERR_DER_MISSING_ELEMENT },
        { "byte after SPKI", extra_after_spki, PG_ERR_DER_TRAILING_DATA },
        { "byte after BIT STRING", extra_in_spki, PG_ERR_DER_TRAILING_DATA },
        { "byte after parameters", extra_in_algorithm, PG_ERR_DER_TRAILING_DATA },
        { "byte after RSAPublicKey", extra_in_bit_string, PG_ERR_DER_TRAILING_DATA },
        { "byte after exponent", extra_in_rsa_key, PG_ERR_DER_TRAILING_DATA },
        { "exponent missing", e_missing, PG_ERR_DER_MISSING_ELEMENT },
        { "modulus negative", n_negative, PG_ERR_DER_INTEGER_NEGATIVE },
        { "modulus extra zero", n_extra_zero, PG_ERR_DER_INTEGER_NOT_MINIMAL },
        { "modulus even", n_even, PG_ERR_RSA_MODULUS_EVEN },
        { "modulus 2040 bits", n_2040_bits, PG_ERR_RSA_MODULUS_TOO_SMALL },
        { "modulus 4104 bits", n_4104_bits, PG_ERR_RSA_MODULUS_TOO_LARGE },
        { "exponent extra zero", e_extra_zero, PG_ERR_DER_INTEGER_NOT_MINIMAL },
        { "exponent negative", e_negative, PG_ERR_DER_INTEGER_NEGATIVE },
        { "exponent empty", e_empty, PG_ERR_DER_INTEGER_EMPTY },
        { "exponent 1", e_one, PG_ERR_RSA_EXPONENT_TOO_SMALL },
        { "exponent even", e_even, PG_ERR_RSA_EXPONENT_EVEN },
        { "exponent 2^32 + 1", e_33_bits, PG_ERR_RSA_EXPONENT_TOO_LARGE },
        { "exponent 3", e_three, PG_OK },
        { "exponent 2^32 - 1", e_32_bits, PG_OK },
        { "exponent indefinite length", e_indefinite, PG_ERR_DER_LENGTH_INDEFINITE },
        { "exponent long-form length", e_length_not_minimal, PG_ERR_DER_LENGTH_NOT_MINIMAL },
};

TEST(spki_one_field_broken)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(spki_cases); i++) {
                struct spki_spec spec = base_spec;
                pg_err err;

                spki_cases[i].apply(&spec);
                err = parse_spec(&spec);
                if (err != spki_cases[i].expected)
                        test_report(__FILE__, __LINE__, "%s: returned %s, expected %s",
                                    spki_cases[i].name, test_err_name(err),
                                    test_err_name(spki_cases[i].expected));
        }
}

/* Length faults in the outer header, edited into OpenSSL's own encoding. */
TEST(spki_outer_length_faults)
{
        uint8_t der[2100];
        size_t len = openssl_der_len;
        struct pg_rsa_pubkey key;

        /* OpenSSL writes 30 82 01 22 for a 2048-bit key with exponent 65537. */
        CHECK_INT(openssl_der[1], 0x82);

        der[0] = 0x30;
        der[1] = 0x83;
        der[2] = 0x00;
        memcpy(der + 3, openssl_der + 2, len - 2);
        CHECK_ERR(pg_rsa_pubkey_from_spki(&key, der, len + 1), PG_ERR_DER_LENGTH_NOT_MINIMAL);

        der[1] = 0x80;
        memcpy(der + 2, openssl_der + 4, len - 4);
        der[len - 2] = 0;
        der[len - 1] = 0;
        CHECK_ERR(pg_rsa_pubkey_from_spki(&key, der, len), PG_ERR_DER_LENGTH_INDEFINITE);

        CHECK_ERR(pg_rsa_pubkey_from_spki(&key, openssl_der, len - 1), PG_ERR_DER_VALUE_TRUNCATED);
        CHECK_ERR(pg_rsa_pubkey_from_spki(&key, openssl_der, 3), PG_ERR_DER_TRUNCATED);
        CHECK_ERR(pg_rsa_pubkey_from_spki(&key, openssl_der, 0), PG_ERR_DER_MISSING_ELEMENT);
}

/* No proper prefix of a valid key parses, and none reads past its end (ASan). */
TEST(spki_every_prefix_rejected)
{
        struct pg_rsa_pubkey key;

        for (size_t len = 0; len < openssl_der_len; len++) {
                uint8_t *copy = malloc(len + 1);

                memcpy(copy, openssl_der, len);
                if (pg_rsa_pubkey_from_spki(&key, copy, len) == PG_OK)
                        test_report(__FILE__, __LINE__, "prefix of %zu bytes accepted", len);
                free(copy);
        }
}

TEST(spki_error_leaves_key)
{
        uint8_t der[2048];
        struct spki_spec spec = base_spec;
        struct pg_rsa_pubkey key, before;
        size_t len;

        e_even(&spec);
        len = spki_build(&spec, der, sizeof(der));
        memset(&key, 0x5c, sizeof(key));
        before = key;
        CHECK_ERR(pg_rsa_pubkey_from_spki(&key, der, len), PG_ERR_RSA_EXPONENT_EVEN);
        CHECK(memcmp(&key, &before, sizeof(key)) == 0);
        CHECK_ERR(pg_rsa_pubkey_from_spki(&key, openssl_der, openssl_der_len - 1),
                  PG_ERR_DER_VALUE_TRUNCATED);
        CHECK(memcmp(&key, &before, sizeof(key)) == 0);
}

/* Sizes with a partial top byte, from OpenSSL's three-prime key generation. */
TEST(spki_odd_sizes)
{
        static const unsigned sizes[] = { 2049, 3071, 4095 };

        for (size_t i = 0; i < PG_ARRAY_SIZE(sizes); i++) {
                EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
                EVP_PKEY *pkey = NULL;
                unsigned char *der = NULL;
                struct pg_rsa_pubkey key;
                int der_len;

                CHECK(ctx != NULL);
                CHECK(EVP_PKEY_keygen_init(ctx) == 1);
                CHECK(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)sizes[i]) == 1);
                CHECK(EVP_PKEY_CTX_set_rsa_keygen_primes(ctx, 3) == 1);
                CHECK(EVP_PKEY_keygen(ctx, &pkey) == 1);
                der_len = pkey ? i2d_PUBKEY(pkey, &der) : -1;
                CHECK(der_len > 0);
                if (der_len > 0) {
                        CHECK_ERR(pg_rsa_pubkey_from_spki(&key, der, (size_t)der_len), PG_OK);
                        CHECK_INT(key.bits, sizes[i]);
                        CHECK_INT(key.len, (sizes[i] + 7) / 8);
                        CHECK_INT(key.limbs, (sizes[i] + 63) / 64);
                }
                OPENSSL_free(der);
                EVP_PKEY_free(pkey);
                EVP_PKEY_CTX_free(ctx);
        }
}

int main(void)
{
        base_spec_init();

        RUN(der_lengths);
        RUN(der_long_form_lengths);
        RUN(der_error_leaves_outputs);
        RUN(der_nested_bounds);
        RUN(der_integers);
        RUN(der_bit_string_and_null);
        RUN(spki_openssl_key);
        RUN(spki_one_field_broken);
        RUN(spki_outer_length_faults);
        RUN(spki_every_prefix_rejected);
        RUN(spki_error_leaves_key);
        RUN(spki_odd_sizes);
        return TEST_SUMMARY();
}
