/* SPDX-License-Identifier: BSD-2-Clause */
#include "pg/platform.h"
#include "pg/err.h"
#include "crypto/der.h"
#include "crypto/rsa.h"
#include "crypto/sha256.h"

/*
 * Numbers are arrays of 64-bit limbs, least significant first, always
 * key->limbs long. An unsigned __int128 stores one 64x64-bit product, and on
 * x86-64 gcc and clang compile that to a single MUL, so the EFI build needs
 * no runtime helper.
 */
typedef unsigned __int128 pg_u128;

PG_STATIC_ASSERT(PG_RSA_MAX_BITS % 64 == 0, "the largest modulus fills whole limbs");

/* ---- limb arithmetic ------------------------------------------------------ */

/* Loads len big-endian bytes into limbs, with len at most 8 * limbs. */
static void limbs_from_be(uint64_t *r, size_t limbs, const uint8_t *bytes, size_t len)
{
        memset(r, 0, limbs * sizeof(r[0]));
        for (size_t i = 0; i < len; i++) {
                size_t bit = (len - 1 - i) * 8;

                r[bit / 64] |= (uint64_t)bytes[i] << (bit % 64);
        }
}

/* Stores the low len bytes of a number big-endian, with len at most 8 * limbs. */
static void limbs_to_be(uint8_t *bytes, size_t len, const uint64_t *a)
{
        for (size_t i = 0; i < len; i++)
                bytes[len - 1 - i] = (uint8_t)(a[i / 8] >> (i % 8 * 8));
}

static int limbs_cmp(const uint64_t *a, const uint64_t *b, size_t limbs)
{
        for (size_t i = limbs; i-- > 0;) {
                if (a[i] != b[i])
                        return a[i] > b[i] ? 1 : -1;
        }
        return 0;
}

/* Sets r = a - b and returns the borrow out of the top limb. */
static uint64_t limbs_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t limbs)
{
        uint64_t borrow = 0;

        for (size_t i = 0; i < limbs; i++) {
                uint64_t d = a[i] - b[i];
                uint64_t next = (a[i] < b[i]) | (d < borrow);

                r[i] = d - borrow;
                borrow = next;
        }
        return borrow;
}

/* ---- Montgomery arithmetic modulo key->n ---------------------------------- */

/*
 * Sets r = a * b / R mod n with R = 2^(64 * limbs), by coarsely integrated
 * operand scanning (CIOS). Requires a, b < n, and then r < n. r may alias a or b.
 * The multiply and reduce passes are separate loops with one carry each,
 * which compilers keep in registers better than one loop with two carries.
 */
static void mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b,
                     const struct pg_rsa_pubkey *key)
{
        const uint64_t *n = key->n;
        size_t limbs = key->limbs;
        uint64_t t[PG_RSA_MAX_LIMBS + 2];
        uint64_t d[PG_RSA_MAX_LIMBS];

        memset(t, 0, (limbs + 2) * sizeof(t[0]));
        for (size_t i = 0; i < limbs; i++) {
                uint64_t bi = b[i], carry = 0, m;
                pg_u128 x;

                for (size_t j = 0; j < limbs; j++) {
                        x = (pg_u128)a[j] * bi + t[j] + carry;
                        t[j] = (uint64_t)x;
                        carry = (uint64_t)(x >> 64);
                }
                x = (pg_u128)t[limbs] + carry;
                t[limbs] = (uint64_t)x;
                t[limbs + 1] = (uint64_t)(x >> 64);

                /* Adding m * n clears the low limb, so the sum shifts down one limb. */
                m = t[0] * key->n0inv;
                x = (pg_u128)m * n[0] + t[0];
                carry = (uint64_t)(x >> 64);
                for (size_t j = 1; j < limbs; j++) {
                        x = (pg_u128)m * n[j] + t[j] + carry;
                        t[j - 1] = (uint64_t)x;
                        carry = (uint64_t)(x >> 64);
                }
                x = (pg_u128)t[limbs] + carry;
                t[limbs - 1] = (uint64_t)x;
                t[limbs] = t[limbs + 1] + (uint64_t)(x >> 64);
        }

        /* Now t < 2n, so one conditional subtraction reduces it. */
        if (limbs_sub(d, t, n, limbs) == 0 || t[limbs] != 0)
                memcpy(r, d, limbs * sizeof(r[0]));
        else
                memcpy(r, t, limbs * sizeof(r[0]));
}

/* Sets x = 2x mod n, for x < n. */
static void mod_double(uint64_t *x, const struct pg_rsa_pubkey *key)
{
        uint64_t d[PG_RSA_MAX_LIMBS];
        uint64_t carry = 0;

        for (size_t i = 0; i < key->limbs; i++) {
                uint64_t next = x[i] >> 63;

                x[i] = x[i] << 1 | carry;
                carry = next;
        }
        if (limbs_sub(d, x, key->n, key->limbs) == 0 || carry != 0)
                memcpy(x, d, key->limbs * sizeof(x[0]));
}

/* Returns -n0^-1 mod 2^64 for odd n0, by Newton iteration. */
static uint64_t mont_n0inv(uint64_t n0)
{
        /* Any odd n0 is its own inverse mod 8, and each step doubles the correct bits. */
        uint64_t inv = n0;

        for (int i = 0; i < 5; i++)
                inv *= 2 - n0 * inv;
        return (uint64_t)0 - inv;
}

/*
 * Computes R^2 mod n without division. Doubling 2^(bits - 1), which is below
 * n, up to 2^(64 * limbs) gives R mod n, the Montgomery form of 1. Square-and-
 * double over the bits of 64 * limbs then turns it into the Montgomery form of
 * 2^(64 * limbs), which is R^2 mod n.
 */
static void mont_compute_rr(struct pg_rsa_pubkey *key)
{
        uint32_t r_bits = 64 * key->limbs;
        uint64_t x[PG_RSA_MAX_LIMBS];
        int top = 0;

        memset(x, 0, sizeof(x));
        x[(key->bits - 1) / 64] = (uint64_t)1 << ((key->bits - 1) % 64);
        for (uint32_t i = key->bits - 1; i < r_bits; i++)
                mod_double(x, key);

        while ((r_bits >> top) > 1)
                top++;
        for (int i = top; i >= 0; i--) {
                mont_mul(x, x, x, key);
                if ((r_bits >> i) & 1)
                        mod_double(x, key);
        }
        memcpy(key->rr, x, sizeof(key->rr));
}

/* Sets m = s^e mod n for s < n, left to right over the bits of e. */
static void rsa_modexp(const struct pg_rsa_pubkey *key, const uint64_t *s, uint64_t *m)
{
        uint64_t base[PG_RSA_MAX_LIMBS];
        uint64_t acc[PG_RSA_MAX_LIMBS];
        uint64_t one[PG_RSA_MAX_LIMBS];
        int top = 31;

        while (((key->e >> top) & 1) == 0)
                top--;
        mont_mul(base, s, key->rr, key);
        memcpy(acc, base, key->limbs * sizeof(acc[0]));
        for (int i = top - 1; i >= 0; i--) {
                mont_mul(acc, acc, acc, key);
                if ((key->e >> i) & 1)
                        mont_mul(acc, acc, base, key);
        }

        memset(one, 0, key->limbs * sizeof(one[0]));
        one[0] = 1;
        mont_mul(m, acc, one, key);
}

/* ---- public keys ---------------------------------------------------------- */

static void skip_leading_zeros(const uint8_t **p, size_t *len)
{
        while (*len > 0 && **p == 0) {
                (*p)++;
                (*len)--;
        }
}

/* Checks the modulus (leading zeros already removed) and returns its bit length. */
static pg_err rsa_check_modulus(const uint8_t *n, size_t n_len, uint32_t *bits)
{
        uint32_t count;

        if (n_len == 0)
                return PG_ERR_RSA_MODULUS_TOO_SMALL;
        if (n_len > PG_RSA_MAX_BYTES)
                return PG_ERR_RSA_MODULUS_TOO_LARGE;
        count = (uint32_t)(n_len - 1) * 8;
        for (uint8_t top = n[0]; top != 0; top >>= 1)
                count++;
        if (count < PG_RSA_MIN_BITS)
                return PG_ERR_RSA_MODULUS_TOO_SMALL;
        if (count > PG_RSA_MAX_BITS)
                return PG_ERR_RSA_MODULUS_TOO_LARGE;
        if ((n[n_len - 1] & 1) == 0)
                return PG_ERR_RSA_MODULUS_EVEN;
        *bits = count;
        return PG_OK;
}

/* Checks the exponent (leading zeros already removed) and returns its value. */
static pg_err rsa_check_exponent(const uint8_t *e, size_t e_len, uint32_t *value)
{
        uint32_t v = 0;

        if (e_len > sizeof(v))
                return PG_ERR_RSA_EXPONENT_TOO_LARGE;
        for (size_t i = 0; i < e_len; i++)
                v = v << 8 | e[i];
        if (v < PG_RSA_MIN_EXPONENT)
                return PG_ERR_RSA_EXPONENT_TOO_SMALL;
        if ((v & 1) == 0)
                return PG_ERR_RSA_EXPONENT_EVEN;
        *value = v;
        return PG_OK;
}

pg_err pg_rsa_pubkey_from_components(struct pg_rsa_pubkey *key,
                                     const uint8_t *n, size_t n_len,
                                     const uint8_t *e, size_t e_len)
{
        struct pg_rsa_pubkey built;
        uint32_t bits = 0, exponent = 0;
        pg_err err;

        skip_leading_zeros(&n, &n_len);
        skip_leading_zeros(&e, &e_len);
        err = rsa_check_modulus(n, n_len, &bits);
        if (err != PG_OK)
                return err;
        err = rsa_check_exponent(e, e_len, &exponent);
        if (err != PG_OK)
                return err;

        memset(&built, 0, sizeof(built));
        built.bits = bits;
        built.len = (bits + 7) / 8;
        built.e = exponent;
        built.limbs = (bits + 63) / 64;
        limbs_from_be(built.n, built.limbs, n, n_len);
        built.n0inv = mont_n0inv(built.n[0]);
        mont_compute_rr(&built);
        *key = built;
        return PG_OK;
}

/* ---- SubjectPublicKeyInfo ------------------------------------------------- */

/* 1.2.840.113549.1.1.1, rsaEncryption (RFC 8017 appendix A.1). */
static const uint8_t oid_rsa_encryption[] = {
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
};

/* AlgorithmIdentifier ::= SEQUENCE { rsaEncryption, NULL } (RFC 3279 2.3.1). */
static pg_err spki_check_algorithm(const struct pg_der_element *algorithm)
{
        struct pg_der_cursor cursor;
        struct pg_der_element oid, params;
        pg_err err;

        pg_der_enter(&cursor, algorithm);
        err = pg_der_expect(&cursor, PG_DER_TAG_OID, &oid);
        if (err != PG_OK)
                return err;
        if (oid.len != sizeof(oid_rsa_encryption) ||
            memcmp(oid.value, oid_rsa_encryption, sizeof(oid_rsa_encryption)) != 0)
                return PG_ERR_DER_SPKI_ALGORITHM;
        if (pg_der_at_end(&cursor))
                return PG_ERR_DER_SPKI_PARAMS_MISSING;
        err = pg_der_next(&cursor, &params);
        if (err != PG_OK)
                return err;
        if (params.tag != PG_DER_TAG_NULL)
                return PG_ERR_DER_SPKI_PARAMS_NOT_NULL;
        err = pg_der_null(&params);
        if (err != PG_OK)
                return err;
        return pg_der_finish(&cursor);
}

struct spki_components {
        const uint8_t *n;
        size_t n_len;
        const uint8_t *e;
        size_t e_len;
};

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }. */
static pg_err spki_read_rsa_public_key(const uint8_t *der, size_t der_len,
                                       struct spki_components *out)
{
        struct pg_der_cursor outer, cursor;
        struct pg_der_element seq, n, e;
        struct spki_components found;
        pg_err err;

        pg_der_init(&outer, der, der_len);
        err = pg_der_expect(&outer, PG_DER_TAG_SEQUENCE, &seq);
        if (err != PG_OK)
                return err;
        err = pg_der_finish(&outer);
        if (err != PG_OK)
                return err;

        pg_der_enter(&cursor, &seq);
        err = pg_der_expect(&cursor, PG_DER_TAG_INTEGER, &n);
        if (err != PG_OK)
                return err;
        err = pg_der_expect(&cursor, PG_DER_TAG_INTEGER, &e);
        if (err != PG_OK)
                return err;
        err = pg_der_finish(&cursor);
        if (err != PG_OK)
                return err;

        err = pg_der_unsigned_integer(&n, &found.n, &found.n_len);
        if (err != PG_OK)
                return err;
        err = pg_der_unsigned_integer(&e, &found.e, &found.e_len);
        if (err != PG_OK)
                return err;
        *out = found;
        return PG_OK;
}

/*
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
 * subjectPublicKey BIT STRING } (RFC 5280 4.1), checked whole before the
 * numbers are used.
 */
pg_err pg_rsa_pubkey_from_spki(struct pg_rsa_pubkey *key, const uint8_t *der, size_t der_len)
{
        struct pg_der_cursor outer, cursor;
        struct pg_der_element spki, algorithm, bit_string;
        struct spki_components components;
        const uint8_t *key_der;
        size_t key_der_len;
        pg_err err;

        pg_der_init(&outer, der, der_len);
        err = pg_der_expect(&outer, PG_DER_TAG_SEQUENCE, &spki);
        if (err != PG_OK)
                return err;
        err = pg_der_finish(&outer);
        if (err != PG_OK)
                return err;

        pg_der_enter(&cursor, &spki);
        err = pg_der_expect(&cursor, PG_DER_TAG_SEQUENCE, &algorithm);
        if (err != PG_OK)
                return err;
        err = pg_der_expect(&cursor, PG_DER_TAG_BIT_STRING, &bit_string);
        if (err != PG_OK)
                return err;
        err = pg_der_finish(&cursor);
        if (err != PG_OK)
                return err;

        err = spki_check_algorithm(&algorithm);
        if (err != PG_OK)
                return err;
        err = pg_der_bit_string_bytes(&bit_string, &key_der, &key_der_len);
        if (err != PG_OK)
                return err;
        err = spki_read_rsa_public_key(key_der, key_der_len, &components);
        if (err != PG_OK)
                return err;
        return pg_rsa_pubkey_from_components(key, components.n, components.n_len,
                                             components.e, components.e_len);
}

/* ---- signature verification ----------------------------------------------- */

/* Rejects a key structure that no key constructor could have produced. */
static pg_err rsa_check_key(const struct pg_rsa_pubkey *key)
{
        if (key->bits < PG_RSA_MIN_BITS || key->bits > PG_RSA_MAX_BITS)
                return PG_ERR_RSA_KEY_INVALID;
        if (key->len != (key->bits + 7) / 8 || key->limbs != (key->bits + 63) / 64)
                return PG_ERR_RSA_KEY_INVALID;
        if ((key->n[0] & 1) == 0 || key->e < PG_RSA_MIN_EXPONENT || (key->e & 1) == 0)
                return PG_ERR_RSA_KEY_INVALID;
        return PG_OK;
}

/*
 * RSAVP1 (RFC 8017 5.2.2): checks that the signature is exactly as long as
 * the modulus and below it, then writes s^e mod n as key->len big-endian
 * bytes into out.
 */
static pg_err rsa_recover(const struct pg_rsa_pubkey *key, const uint8_t *sig, size_t sig_len,
                          uint8_t out[PG_RSA_MAX_BYTES])
{
        uint64_t s[PG_RSA_MAX_LIMBS];
        uint64_t m[PG_RSA_MAX_LIMBS];

        if (sig_len != key->len)
                return PG_ERR_RSA_SIG_LENGTH;
        limbs_from_be(s, key->limbs, sig, sig_len);
        if (limbs_cmp(s, key->n, key->limbs) >= 0)
                return PG_ERR_RSA_SIG_OUT_OF_RANGE;
        rsa_modexp(key, s, m);
        limbs_to_be(out, key->len, m);
        return PG_OK;
}

/* DER of DigestInfo { AlgorithmIdentifier { id-sha256, NULL }, OCTET STRING (32) }. */
static const uint8_t sha256_digest_info[] = {
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
};

/* EMSA-PKCS1-v1_5-ENCODE (RFC 8017 9.2): 00 01 FF..FF 00 DigestInfo digest. */
static void pkcs1_encode_sha256(uint8_t *em, size_t em_len,
                                const uint8_t digest[PG_SHA256_DIGEST_SIZE])
{
        size_t tail = sizeof(sha256_digest_info) + PG_SHA256_DIGEST_SIZE;
        size_t ps_len = em_len - 3 - tail;

        em[0] = 0x00;
        em[1] = 0x01;
        memset(em + 2, 0xff, ps_len);
        em[2 + ps_len] = 0x00;
        memcpy(em + 3 + ps_len, sha256_digest_info, sizeof(sha256_digest_info));
        memcpy(em + em_len - PG_SHA256_DIGEST_SIZE, digest, PG_SHA256_DIGEST_SIZE);
}

pg_err pg_rsa_verify_pkcs1_sha256(const struct pg_rsa_pubkey *key,
                                  const uint8_t digest[PG_SHA256_DIGEST_SIZE],
                                  const uint8_t *sig, size_t sig_len)
{
        uint8_t em[PG_RSA_MAX_BYTES];
        uint8_t expected[PG_RSA_MAX_BYTES];
        pg_err err;

        err = rsa_check_key(key);
        if (err != PG_OK)
                return err;
        err = rsa_recover(key, sig, sig_len, em);
        if (err != PG_OK)
                return err;
        pkcs1_encode_sha256(expected, key->len, digest);
        if (pg_memcmp_ct(em, expected, key->len) != 0)
                return PG_ERR_RSA_PKCS1_MISMATCH;
        return PG_OK;
}

/* XORs out with MGF1-SHA-256(seed) (RFC 8017 B.2.1). */
static void mgf1_sha256_xor(uint8_t *out, size_t len, const uint8_t seed[PG_SHA256_DIGEST_SIZE])
{
        struct pg_sha256_ctx ctx;
        uint8_t counter[4];
        uint8_t mask[PG_SHA256_DIGEST_SIZE];

        for (uint32_t i = 0; len > 0; i++) {
                size_t chunk = len < sizeof(mask) ? len : sizeof(mask);

                pg_store_be32(counter, i);
                pg_sha256_init(&ctx);
                pg_sha256_update(&ctx, seed, PG_SHA256_DIGEST_SIZE);
                pg_sha256_update(&ctx, counter, sizeof(counter));
                pg_sha256_final(&ctx, mask);
                for (size_t j = 0; j < chunk; j++)
                        out[j] ^= mask[j];
                out += chunk;
                len -= chunk;
        }
}

/* Steps 4 and 6 of EMSA-PSS-VERIFY (RFC 8017 9.1.2): trailer and top bits. */
static pg_err pss_check_frame(const uint8_t *em, size_t em_len, uint32_t em_bits)
{
        uint8_t top_mask = (uint8_t)(0xff << (8 - (8 * em_len - em_bits)));

        if (em[em_len - 1] != 0xbc)
                return PG_ERR_RSA_PSS_TRAILER;
        if ((em[0] & top_mask) != 0)
                return PG_ERR_RSA_PSS_LEFTMOST_BITS;
        return PG_OK;
}

/* Step 10: DB must be zero bytes, then 0x01, then exactly salt_len bytes of salt. */
static pg_err pss_check_db(const uint8_t *db, size_t db_len, size_t salt_len)
{
        size_t ps_len = db_len - salt_len - 1;

        for (size_t i = 0; i < ps_len; i++) {
                if (db[i] != 0)
                        return PG_ERR_RSA_PSS_PADDING;
        }
        if (db[ps_len] != 0x01)
                return PG_ERR_RSA_PSS_SEPARATOR;
        return PG_OK;
}

/* Steps 12 to 14: H must equal SHA-256(8 zero bytes || digest || salt). */
static pg_err pss_check_hash(const uint8_t digest[PG_SHA256_DIGEST_SIZE],
                             const uint8_t *salt, size_t salt_len,
                             const uint8_t h[PG_SHA256_DIGEST_SIZE])
{
        static const uint8_t zeros[8];
        struct pg_sha256_ctx ctx;
        uint8_t expected[PG_SHA256_DIGEST_SIZE];

        pg_sha256_init(&ctx);
        pg_sha256_update(&ctx, zeros, sizeof(zeros));
        pg_sha256_update(&ctx, digest, PG_SHA256_DIGEST_SIZE);
        pg_sha256_update(&ctx, salt, salt_len);
        pg_sha256_final(&ctx, expected);
        if (pg_memcmp_ct(h, expected, PG_SHA256_DIGEST_SIZE) != 0)
                return PG_ERR_RSA_PSS_HASH_MISMATCH;
        return PG_OK;
}

/*
 * EMSA-PSS-VERIFY with emBits = bits - 1. When bits - 1 is a multiple of 8
 * the encoding is one byte shorter than the modulus, and the byte in front of
 * it must be zero for the I2OSP step to succeed.
 */
pg_err pg_rsa_verify_pss_sha256(const struct pg_rsa_pubkey *key,
                                const uint8_t digest[PG_SHA256_DIGEST_SIZE],
                                const uint8_t *sig, size_t sig_len, size_t salt_len)
{
        uint8_t block[PG_RSA_MAX_BYTES];
        uint32_t em_bits;
        size_t em_len, db_len;
        uint8_t *em, *h;
        pg_err err;

        err = rsa_check_key(key);
        if (err != PG_OK)
                return err;
        em_bits = key->bits - 1;
        em_len = (em_bits + 7) / 8;
        if (salt_len > em_len - PG_SHA256_DIGEST_SIZE - 2)
                return PG_ERR_RSA_PSS_SALT_LENGTH;
        err = rsa_recover(key, sig, sig_len, block);
        if (err != PG_OK)
                return err;
        if (em_len < key->len && block[0] != 0)
                return PG_ERR_RSA_PSS_EM_TOO_LARGE;

        em = block + (key->len - em_len);
        err = pss_check_frame(em, em_len, em_bits);
        if (err != PG_OK)
                return err;

        db_len = em_len - PG_SHA256_DIGEST_SIZE - 1;
        h = em + db_len;
        mgf1_sha256_xor(em, db_len, h);
        em[0] &= (uint8_t)(0xff >> (8 * em_len - em_bits));
        err = pss_check_db(em, db_len, salt_len);
        if (err != PG_OK)
                return err;
        return pss_check_hash(digest, em + db_len - salt_len, salt_len, h);
}
