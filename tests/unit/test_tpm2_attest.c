/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The TPMS_ATTEST, TPMT_SIGNATURE and TPM2B_PUBLIC parsers against the
 * output of tpm2_quote and tpm2_createak (RSASSA, RSAPSS and ECDSA keys of
 * a swtpm, committed as the fuzzer's seeds), then with one field broken at
 * a time, asserting the exact error code.
 */
#include "test.h"
#include "tpm/tpm2_attest.h"

#define SEED_DIR "tests/fuzz/seeds/quote/"

static void pg_store_be16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)(v >> 8);
        p[1] = (uint8_t)v;
}

/* A fixture: a seed file, copied into a buffer the test may change. */
struct fx {
        uint8_t b[2048];
        size_t len;
};

static void load(struct fx *f, const char *name)
{
        size_t n = 0;
        uint8_t *d = test_read_file(name, &n);

        CHECK(d != NULL);
        CHECK(n <= sizeof(f->b));
        f->len = d && n <= sizeof(f->b) ? n : 0;
        if (f->len)
                memcpy(f->b, d, n);
        free(d);
}

static pg_err quote(const struct fx *f)
{
        struct pg_tpm2_quote q;

        return pg_tpm2_parse_quote(f->b, f->len, &q);
}

static pg_err sig(const struct fx *f)
{
        struct pg_tpm2_signature s;

        return pg_tpm2_parse_signature(f->b, f->len, &s);
}

static pg_err pub(const struct fx *f)
{
        struct pg_tpm2_public k;

        return pg_tpm2_parse_public(f->b, f->len, &k);
}

/* Offsets in the RSASSA quote message: magic 0, type 4, signer 6 (2 + 34),
 * extraData 42 (2 + 8), clockInfo 52, firmware 69, selection 77. */
#define Q_SIGNER 6
#define Q_EXTRA 42
#define Q_SAFE 68
#define Q_SEL 77

TEST(quote_seed_decodes)
{
        struct fx f;
        struct pg_tpm2_quote q;

        load(&f, SEED_DIR "rsassa-msg.bin");
        memset(&q, 0xee, sizeof(q));
        CHECK_ERR(pg_tpm2_parse_quote(f.b, f.len, &q), PG_OK);
        CHECK_INT(q.signer_len, 34);
        CHECK_INT(q.extra_len, 8);
        CHECK_MEM(q.extra, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
        CHECK_INT(q.safe, 1);
        CHECK_INT(q.select_count, 1);
        CHECK_INT(q.select[0].hash, PG_TPM2_ALG_SHA256);
        CHECK_INT(q.select[0].mask, (1u << 13) | (1u << 14));
        CHECK_INT(q.pcr_digest_len, 32);
        load(&f, SEED_DIR "ecc-msg.bin");
        CHECK_ERR(quote(&f), PG_OK);
        load(&f, SEED_DIR "rsapss-msg.bin");
        CHECK_ERR(quote(&f), PG_OK);
}

TEST(quote_broken_fields)
{
        struct fx f, g;

        load(&f, SEED_DIR "rsassa-msg.bin");
        for (size_t n = 0; n < f.len; n++) {
                g = f;
                g.len = n;
                CHECK_ERR(quote(&g), PG_ERR_ATTEST_TRUNCATED);
        }
        g = f, g.b[g.len++] = 0;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_TRAILING);
        g = f, g.len = PG_TPM2_ATTEST_MAX + 1;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_TOO_LARGE);
        g = f, g.b[3] ^= 1;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_BAD_MAGIC);
        g = f, g.b[5] = 0x17;           /* TPM_ST_ATTEST_CERTIFY */
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_NOT_QUOTE);
        g = f, pg_store_be16(g.b + Q_SIGNER, 69);
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_SIGNER_SIZE);
        g = f, pg_store_be16(g.b + Q_EXTRA, 65);
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_EXTRA_SIZE);
        g = f, g.b[Q_SAFE] = 2;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_BAD_SAFE);
        g = f, pg_store_be32(g.b + Q_SEL, 0);
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_SELECTION_COUNT);
        g = f, pg_store_be32(g.b + Q_SEL, 9);
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_SELECTION_COUNT);
        g = f, pg_store_be16(g.b + Q_SEL + 4, 0x0012);
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_SELECTION_HASH);
        g = f, g.b[Q_SEL + 6] = 0;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_SELECT_SIZE);
        g = f, g.b[Q_SEL + 6] = 5;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_SELECT_SIZE);
        /* A 4-byte bitmap takes the digest size's first byte, and the size
         * then read (0x20 and the digest's first byte) is too large. */
        g = f, g.b[Q_SEL + 6] = 4;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_PCR_DIGEST_SIZE);
        g = f, g.b[Q_SEL + 9] = 0x01;   /* PCR 16 to 23: PCR 16 is fine */
        CHECK_ERR(quote(&g), PG_OK);
        g = f, pg_store_be16(g.b + Q_SEL + 10, 0);
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_PCR_DIGEST_SIZE);
        g = f, pg_store_be16(g.b + Q_SEL + 10, 65);
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_PCR_DIGEST_SIZE);
}

/* A selection of two banks, the second a duplicate, and one naming PCR 24. */
TEST(quote_selection_rules)
{
        struct fx f, g;
        size_t tail;

        load(&f, SEED_DIR "rsassa-msg.bin");
        tail = f.len - (Q_SEL + 10);
        g = f;
        pg_store_be32(g.b + Q_SEL, 2);
        memmove(g.b + Q_SEL + 16, g.b + Q_SEL + 10, tail);
        memcpy(g.b + Q_SEL + 10, g.b + Q_SEL + 4, 6);
        g.len += 6;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_SELECTION_DUPLICATE);
        pg_store_be16(g.b + Q_SEL + 10, PG_TPM2_ALG_SHA1);
        CHECK_ERR(quote(&g), PG_OK);
        g.b[Q_SEL + 6 + 6] = 4;         /* the sha1 bitmap grows to 4 bytes */
        memmove(g.b + Q_SEL + 17, g.b + Q_SEL + 16, tail);
        g.b[Q_SEL + 16] = 0x01;         /* PCR 24 */
        g.len += 1;
        CHECK_ERR(quote(&g), PG_ERR_ATTEST_PCR_RANGE);
}

TEST(signature_seeds_and_fields)
{
        struct fx f, g;
        struct pg_tpm2_signature s;

        load(&f, SEED_DIR "rsassa-sig.bin");
        CHECK_ERR(pg_tpm2_parse_signature(f.b, f.len, &s), PG_OK);
        CHECK_INT(s.alg, PG_TPM2_ALG_RSASSA);
        CHECK_INT(s.hash, PG_TPM2_ALG_SHA256);
        CHECK_INT(s.rsa_len, 256);
        for (size_t n = 0; n < f.len; n++) {
                g = f, g.len = n;
                CHECK_ERR(sig(&g), PG_ERR_ATTEST_TRUNCATED);
        }
        g = f, g.b[g.len++] = 0;
        CHECK_ERR(sig(&g), PG_ERR_ATTEST_TRAILING);
        g = f, g.len = PG_TPM2_SIGNATURE_MAX + 1;
        CHECK_ERR(sig(&g), PG_ERR_ATTEST_TOO_LARGE);
        g = f, pg_store_be16(g.b, 0x001a);      /* ECDAA */
        CHECK_ERR(sig(&g), PG_ERR_ATTEST_SIG_ALG);
        g = f, pg_store_be16(g.b + 2, 0x0012);  /* SM3 */
        CHECK_ERR(sig(&g), PG_ERR_ATTEST_SIG_HASH);
        g = f, pg_store_be16(g.b + 4, 513);
        CHECK_ERR(sig(&g), PG_ERR_ATTEST_SIG_SIZE);
        g = f, pg_store_be16(g.b + 4, 255), g.len--;
        CHECK_ERR(sig(&g), PG_ERR_ATTEST_SIG_SIZE);

        load(&f, SEED_DIR "rsapss-sig.bin");
        CHECK_ERR(pg_tpm2_parse_signature(f.b, f.len, &s), PG_OK);
        CHECK_INT(s.alg, PG_TPM2_ALG_RSAPSS);

        load(&f, SEED_DIR "ecc-sig.bin");
        CHECK_ERR(pg_tpm2_parse_signature(f.b, f.len, &s), PG_OK);
        CHECK_INT(s.alg, PG_TPM2_ALG_ECDSA);
        CHECK_INT(s.r_len, 32);
        CHECK_INT(s.s_len, 32);
        g = f, pg_store_be16(g.b + 4, 0);
        CHECK_ERR(sig(&g), PG_ERR_ATTEST_ECC_SIG_SIZE);
        g = f, pg_store_be16(g.b + 38, 67);
        CHECK_ERR(sig(&g), PG_ERR_ATTEST_ECC_SIG_SIZE);
        for (size_t n = 0; n < f.len; n++) {
                g = f, g.len = n;
                CHECK_ERR(sig(&g), PG_ERR_ATTEST_TRUNCATED);
        }
}

/* RSA TPM2B_PUBLIC: size 0, type 2, nameAlg 4, attributes 6, authPolicy 10
 * (empty), symmetric 12, scheme 14, scheme hash 16, keyBits 18, exponent 20,
 * modulus 24. */
TEST(public_rsa)
{
        struct fx f, g;
        struct pg_tpm2_public k;

        load(&f, SEED_DIR "rsassa-pub.bin");
        CHECK_ERR(pg_tpm2_parse_public(f.b, f.len, &k), PG_OK);
        CHECK_INT(k.type, PG_TPM2_ALG_RSA);
        CHECK_INT(k.scheme, PG_TPM2_ALG_RSASSA);
        CHECK_INT(k.key_bits, 2048);
        CHECK_INT(k.modulus_len, 256);
        CHECK(k.attributes & PG_TPMA_OBJECT_RESTRICTED);
        CHECK(k.attributes & PG_TPMA_OBJECT_SIGN);
        for (size_t n = 3; n < f.len; n++) {
                g = f, g.len = n, pg_store_be16(g.b, (uint16_t)(n - 2));
                CHECK_ERR(pub(&g), PG_ERR_ATTEST_TRUNCATED);
        }
        g = f, g.len = 1;
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_TRUNCATED);
        g = f, g.b[g.len++] = 0;
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_SIZE);
        g = f, g.b[g.len++] = 0, pg_store_be16(g.b, (uint16_t)(g.len - 2));
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_TRAILING);
        g = f, pg_store_be16(g.b, 0);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_SIZE);
        g = f, g.len = PG_TPM2_PUBLIC_MAX + 1;
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_TOO_LARGE);
        g = f, pg_store_be16(g.b + 2, 0x0008);  /* keyedhash */
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_TYPE);
        g = f, pg_store_be16(g.b + 4, 0x0012);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_NAME_ALG);
        g = f, pg_store_be16(g.b + 10, 65);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_POLICY_SIZE);
        g = f, pg_store_be16(g.b + 12, 0x0006); /* AES */
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_SYMMETRIC);
        g = f, pg_store_be16(g.b + 14, PG_TPM2_ALG_ECDSA);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_SCHEME);
        g = f, pg_store_be16(g.b + 16, 0x0012);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_SCHEME_HASH);
        g = f, pg_store_be16(g.b + 18, 1024);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_KEY_BITS);
        g = f, pg_store_be16(g.b + 18, 3072);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_MODULUS_SIZE);
        g = f, pg_store_be16(g.b + 24, 0);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_MODULUS_SIZE);
}

/* ECC TPM2B_PUBLIC: scheme 14, scheme hash 16, curve 18, kdf 20, x 22, y 56. */
TEST(public_ecc)
{
        struct fx f, g;
        struct pg_tpm2_public k;

        load(&f, SEED_DIR "ecc-pub.bin");
        CHECK_ERR(pg_tpm2_parse_public(f.b, f.len, &k), PG_OK);
        CHECK_INT(k.type, PG_TPM2_ALG_ECC);
        CHECK_INT(k.scheme, PG_TPM2_ALG_ECDSA);
        CHECK_INT(k.curve, PG_TPM2_ECC_NIST_P256);
        g = f, pg_store_be16(g.b + 14, PG_TPM2_ALG_RSASSA);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_SCHEME);
        g = f, pg_store_be16(g.b + 18, 0x0004); /* P-384 */
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_CURVE);
        g = f, pg_store_be16(g.b + 20, 0x0020); /* KDF1-SP800-56A */
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_KDF);
        g = f, pg_store_be16(g.b + 22, 31);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_POINT_SIZE);
        g = f, pg_store_be16(g.b + 56, 33);
        CHECK_ERR(pub(&g), PG_ERR_ATTEST_PUB_POINT_SIZE);
        load(&f, SEED_DIR "rsapss-pub.bin");
        CHECK_ERR(pg_tpm2_parse_public(f.b, f.len, &k), PG_OK);
        CHECK_INT(k.scheme, PG_TPM2_ALG_RSAPSS);
}

/* Nothing is written on failure. */
TEST(out_untouched_on_error)
{
        struct fx f;
        struct pg_tpm2_quote q;

        load(&f, SEED_DIR "rsassa-msg.bin");
        f.b[0] = 0;
        memset(&q, 0x5a, sizeof(q));
        CHECK_ERR(pg_tpm2_parse_quote(f.b, f.len, &q), PG_ERR_ATTEST_BAD_MAGIC);
        CHECK_FILLED(&q, 0x5a, sizeof(q));
        CHECK_INT(pg_tpm2_hash_size(PG_TPM2_ALG_SHA384), 48);
        CHECK_INT(pg_tpm2_hash_size(PG_TPM2_ALG_NULL), 0);
}

int main(void)
{
        RUN(quote_seed_decodes);
        RUN(quote_broken_fields);
        RUN(quote_selection_rules);
        RUN(signature_seeds_and_fields);
        RUN(public_rsa);
        RUN(public_ecc);
        RUN(out_untouched_on_error);
        return TEST_SUMMARY();
}
