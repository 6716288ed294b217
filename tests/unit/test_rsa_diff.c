/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test of RSA verification against OpenSSL 3 (EVP_DigestVerify).
 * A pool of keys of several sizes, odd ones included, signs random messages
 * with PKCS#1 v1.5 and PSS. Each signature is then checked as made and in
 * corrupted forms. prodgate and OpenSSL must agree on accept or reject for
 * every case, and both must give the result the corruption implies.
 *
 * The seed comes from the clock and is printed; PG_TEST_SEED=N repeats the
 * keys, messages and corruptions of a run. PSS salts come from OpenSSL's own
 * random generator, so every disagreement also prints its key, message and
 * signature in hex. PG_TEST_DIFF_CASES=N changes the case count (default
 * 10000).
 */
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "test.h"
#include "crypto/rsa.h"
#include "crypto/sha256.h"

#define DEFAULT_CASES 10000
#define MAX_MESSAGE 256

/* ---- seeded random numbers (splitmix64) ------------------------------------ */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
        uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
}

/* Returns a value in [0, n). The slight modulo bias does not matter here. */
static size_t rng_below(size_t n)
{
        return (size_t)(rng_next() % n);
}

static void rng_bytes(uint8_t *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                p[i] = (uint8_t)rng_next();
}

/* ---- key pool ---------------------------------------------------------------- */

struct pool_key {
        EVP_PKEY *pkey;
        struct pg_rsa_pubkey pub;
        uint8_t n[PG_RSA_MAX_BYTES];
        size_t len;
        unsigned bits;
        unsigned long e;
};

static void die(const char *what)
{
        fprintf(stderr, "%s failed\n", what);
        ERR_print_errors_fp(stderr);
        exit(2);
}

/*
 * Returns a prime of exactly bits bits with its top two bits set, so that
 * the product of two such primes has exactly the sum of their sizes. The
 * search starts at a number from the seeded generator, so the prime depends
 * only on the seed. p - 1 must be coprime to e.
 */
static BIGNUM *seeded_prime(unsigned bits, const BIGNUM *e, BN_CTX *bn_ctx)
{
        uint8_t buf[PG_RSA_MAX_BYTES];
        size_t len = (bits + 7) / 8;
        BIGNUM *p = BN_new(), *p_minus_1 = BN_new(), *gcd = BN_new();

        if (len == 0 || len > sizeof(buf))
                die("sizing the prime");
        if (!p || !p_minus_1 || !gcd)
                die("BN_new");
        for (;;) {
                rng_bytes(buf, len);
                buf[0] &= (uint8_t)(0xff >> (len * 8 - bits));
                if (!BN_bin2bn(buf, (int)len, p) || !BN_set_bit(p, (int)bits - 1) ||
                    !BN_set_bit(p, (int)bits - 2) || !BN_set_bit(p, 0))
                        die("BN_bin2bn");
                while (BN_num_bits(p) == (int)bits) {
                        if (BN_check_prime(p, bn_ctx, NULL) == 1 &&
                            BN_sub(p_minus_1, p, BN_value_one()) &&
                            BN_gcd(gcd, p_minus_1, e, bn_ctx) && BN_is_one(gcd)) {
                                BN_free(p_minus_1);
                                BN_free(gcd);
                                return p;
                        }
                        if (!BN_add_word(p, 2))
                                die("BN_add_word");
                }
        }
}

/* Builds an OpenSSL private key from its primes, with d = e^-1 mod (p-1)(q-1). */
static EVP_PKEY *pkey_from_primes(const BIGNUM *p, const BIGNUM *q, const BIGNUM *e,
                                  BN_CTX *bn_ctx)
{
        BIGNUM *n = BN_new(), *d = BN_new(), *p1 = BN_new(), *q1 = BN_new(), *phi = BN_new();
        BIGNUM *dp = BN_new(), *dq = BN_new(), *qinv = BN_new();
        OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        OSSL_PARAM *params = NULL;
        EVP_PKEY *pkey = NULL;

        if (!qinv || !bld || !ctx || !BN_mul(n, p, q, bn_ctx) ||
            !BN_sub(p1, p, BN_value_one()) || !BN_sub(q1, q, BN_value_one()) ||
            !BN_mul(phi, p1, q1, bn_ctx) || !BN_mod_inverse(d, e, phi, bn_ctx) ||
            !BN_mod(dp, d, p1, bn_ctx) || !BN_mod(dq, d, q1, bn_ctx) ||
            !BN_mod_inverse(qinv, q, p, bn_ctx))
                die("RSA key arithmetic");
        if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv) ||
            !(params = OSSL_PARAM_BLD_to_param(bld)) || EVP_PKEY_fromdata_init(ctx) != 1 ||
            EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) != 1)
                die("EVP_PKEY_fromdata");

        OSSL_PARAM_free(params);
        OSSL_PARAM_BLD_free(bld);
        EVP_PKEY_CTX_free(ctx);
        BN_free(n);
        BN_free(d);
        BN_free(p1);
        BN_free(q1);
        BN_free(phi);
        BN_free(dp);
        BN_free(dq);
        BN_free(qinv);
        return pkey;
}

static void pool_key_init(struct pool_key *key, unsigned bits, unsigned long exponent)
{
        BN_CTX *bn_ctx = BN_CTX_new();
        BIGNUM *e = BN_new(), *p, *q, *n = NULL;
        unsigned char *der = NULL;
        int der_len;

        if (!bn_ctx || !e || !BN_set_word(e, exponent))
                die("BN_set_word");
        do {
                p = seeded_prime((bits + 1) / 2, e, bn_ctx);
                q = seeded_prime(bits / 2, e, bn_ctx);
                if (BN_cmp(p, q) == 0) {
                        BN_free(p);
                        BN_free(q);
                        p = NULL;
                }
        } while (!p);

        memset(key, 0, sizeof(*key));
        key->pkey = pkey_from_primes(p, q, e, bn_ctx);
        key->e = exponent;
        der_len = i2d_PUBKEY(key->pkey, &der);
        if (der_len <= 0 || EVP_PKEY_get_bn_param(key->pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1)
                die("exporting the public key");
        key->bits = (unsigned)BN_num_bits(n);
        key->len = (size_t)BN_num_bytes(n);
        BN_bn2binpad(n, key->n, (int)key->len);
        CHECK_INT(key->bits, bits);
        CHECK_ERR(pg_rsa_pubkey_from_spki(&key->pub, der, (size_t)der_len), PG_OK);

        OPENSSL_free(der);
        BN_free(n);
        BN_free(p);
        BN_free(q);
        BN_free(e);
        BN_CTX_free(bn_ctx);
}

/* ---- one signature and its verifiers ---------------------------------------- */

enum padding { PAD_PKCS1, PAD_PSS };

/* What both verifiers get: a key, a message, a signature and the scheme. */
struct diff_case {
        const struct pool_key *key;
        enum padding padding;
        size_t salt_len;
        const uint8_t *msg;
        size_t msg_len;
        const uint8_t *sig;
        size_t sig_len;
};

/* Sets the PSS parameters on a signing or verifying context. */
static int set_pss(EVP_PKEY_CTX *pctx, size_t salt_len)
{
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
               EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, (int)salt_len) == 1 &&
               EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1;
}

static size_t openssl_sign(const struct pool_key *key, enum padding padding, size_t salt_len,
                           const uint8_t *msg, size_t msg_len, uint8_t *sig)
{
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = NULL;
        size_t sig_len = PG_RSA_MAX_BYTES;

        if (!ctx || EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), NULL, key->pkey) != 1 ||
            (padding == PAD_PSS && !set_pss(pctx, salt_len)) ||
            EVP_DigestSign(ctx, sig, &sig_len, msg, msg_len) != 1)
                die("EVP_DigestSign");
        EVP_MD_CTX_free(ctx);
        return sig_len;
}

static bool openssl_verify(const struct diff_case *c)
{
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = NULL;
        int ok;

        if (!ctx || EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), NULL, c->key->pkey) != 1 ||
            (c->padding == PAD_PSS && !set_pss(pctx, c->salt_len)))
                die("EVP_DigestVerifyInit");
        ok = EVP_DigestVerify(ctx, c->sig, c->sig_len, c->msg, c->msg_len) == 1;
        EVP_MD_CTX_free(ctx);
        ERR_clear_error();
        return ok;
}

static pg_err prodgate_verify(const struct diff_case *c)
{
        uint8_t digest[PG_SHA256_DIGEST_SIZE];

        pg_sha256(c->msg, c->msg_len, digest);
        if (c->padding == PAD_PSS)
                return pg_rsa_verify_pss_sha256(&c->key->pub, digest, c->sig, c->sig_len,
                                                c->salt_len);
        return pg_rsa_verify_pkcs1_sha256(&c->key->pub, digest, c->sig, c->sig_len);
}

/* Raw RSA on a key->len-byte value: the private operation, or the public one. */
static void openssl_raw(const struct pool_key *key, bool private_op, const uint8_t *in,
                        uint8_t *out)
{
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key->pkey, NULL);
        size_t out_len = key->len;
        int ok;

        if (!ctx)
                die("EVP_PKEY_CTX_new");
        if (private_op)
                ok = EVP_PKEY_sign_init(ctx) == 1 &&
                     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1 &&
                     EVP_PKEY_sign(ctx, out, &out_len, in, key->len) == 1;
        else
                ok = EVP_PKEY_verify_recover_init(ctx) == 1 &&
                     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) == 1 &&
                     EVP_PKEY_verify_recover(ctx, out, &out_len, in, key->len) == 1;
        if (!ok || out_len != key->len)
                die("raw RSA operation");
        EVP_PKEY_CTX_free(ctx);
}

/* ---- cases ------------------------------------------------------------------ */

enum kind {
        KIND_VALID,
        KIND_SIG_BIT_FLIP,
        KIND_MESSAGE_CHANGED,
        KIND_TRUNCATED,
        KIND_EXTENDED,
        KIND_OUT_OF_RANGE,
        KIND_WRONG_KEY,
        KIND_WRONG_SALT_LENGTH,
        KIND_WRONG_PADDING,
        KIND_RANDOM_VALUE,
        KIND_ENCODING_BIT_FLIP,
        KIND_COUNT,
};

static const char *const kind_names[KIND_COUNT] = {
        "valid", "signature bit flip", "message changed", "truncated", "extended",
        "s >= n", "wrong key", "wrong salt length", "wrong padding", "random value",
        "encoding bit flip",
};

static long cases_by_kind[KIND_COUNT];
static long cases_total, disagreements;

static void print_hex(const char *label, const uint8_t *p, size_t n)
{
        printf("    %s (%zu bytes): ", label, n);
        for (size_t i = 0; i < n; i++)
                printf("%02x", p[i]);
        printf("\n");
}

static void report_case(const struct diff_case *c, enum kind kind, pg_err ours, bool theirs,
                        bool expected)
{
        test_report(__FILE__, __LINE__,
                    "%s, %u-bit key, e=%lu, %s salt %zu: prodgate %s (%s), OpenSSL %s, "
                    "expected %s", kind_names[kind], c->key->bits, c->key->e,
                    c->padding == PAD_PSS ? "PSS" : "PKCS#1 v1.5", c->salt_len,
                    ours == PG_OK ? "accepts" : "rejects", test_err_name(ours),
                    theirs ? "accepts" : "rejects", expected ? "accept" : "reject");
        if (disagreements > 5)
                return;
        print_hex("n", c->key->n, c->key->len);
        print_hex("message", c->msg, c->msg_len);
        print_hex("signature", c->sig, c->sig_len);
}

/* Runs one case through both verifiers. expected is the only correct result. */
static void check_case(const struct diff_case *c, enum kind kind, bool expected)
{
        pg_err ours = prodgate_verify(c);
        bool theirs = openssl_verify(c);

        cases_total++;
        cases_by_kind[kind]++;
        if ((ours == PG_OK) != theirs || theirs != expected) {
                disagreements++;
                report_case(c, kind, ours, theirs, expected);
        }
}

static struct pool_key *pool;
static size_t pool_size;

static const struct pool_key *other_key(const struct pool_key *key)
{
        const struct pool_key *other = key;

        if (pool_size < 2)
                die("choosing a second key");
        /* Prefer a key of the same byte length, so only the math can reject. */
        for (size_t i = 0; i < pool_size; i++) {
                if (&pool[i] != key && pool[i].len == key->len)
                        return &pool[i];
        }
        while (other == key)
                other = &pool[rng_below(pool_size)];
        return other;
}

/* Writes a value that is not below n: n itself, s + n when it fits, or all ones. */
static void out_of_range(const struct pool_key *key, const uint8_t *sig, uint8_t *out)
{
        size_t choice = rng_below(3);
        unsigned carry = 0;

        if (choice == 1) {
                for (size_t i = key->len; i-- > 0;) {
                        unsigned sum = sig[i] + key->n[i] + carry;

                        out[i] = (uint8_t)sum;
                        carry = sum >> 8;
                }
                if (!carry)
                        return;
        }
        if (choice == 0)
                memcpy(out, key->n, key->len);
        else
                memset(out, 0xff, key->len);
}

/* Flips one bit of the encoded message and signs it again. Returns false when EM' >= n. */
static bool resign_flipped_encoding(const struct pool_key *key, const uint8_t *sig, uint8_t *out)
{
        uint8_t em[PG_RSA_MAX_BYTES];
        size_t bit = rng_below(key->len * 8);

        openssl_raw(key, false, sig, em);
        em[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
        if (memcmp(em, key->n, key->len) >= 0)
                return false;
        openssl_raw(key, true, em, out);
        return true;
}

static size_t pick_salt_len(const struct pool_key *key)
{
        size_t max = (key->bits - 1 + 7) / 8 - PG_SHA256_DIGEST_SIZE - 2;

        switch (rng_below(5)) {
        case 0:
                return 0;
        case 1:
                return 32;
        case 2:
                return 20;
        case 3:
                return max;
        default:
                return rng_below(max + 1);
        }
}

/* Signs one random message and checks it with every corruption. */
static void run_signature(void)
{
        const struct pool_key *key = &pool[rng_below(pool_size)];
        uint8_t msg[MAX_MESSAGE], other_msg[MAX_MESSAGE];
        uint8_t sig[PG_RSA_MAX_BYTES], bad[PG_RSA_MAX_BYTES + 1];
        struct diff_case c = { .key = key, .msg = msg, .sig = sig };
        struct diff_case v;
        size_t bit;

        c.padding = rng_below(2) ? PAD_PSS : PAD_PKCS1;
        c.salt_len = c.padding == PAD_PSS ? pick_salt_len(key) : 0;
        c.msg_len = rng_below(MAX_MESSAGE + 1);
        rng_bytes(msg, c.msg_len);
        c.sig_len = openssl_sign(key, c.padding, c.salt_len, msg, c.msg_len, sig);
        check_case(&c, KIND_VALID, true);

        for (int i = 0; i < 3; i++) {
                v = c;
                memcpy(bad, sig, c.sig_len);
                bit = rng_below(c.sig_len * 8);
                bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                v.sig = bad;
                check_case(&v, KIND_SIG_BIT_FLIP, false);
        }

        v = c;
        memcpy(other_msg, msg, c.msg_len);
        if (c.msg_len == 0) {
                v.msg_len = 1;
                other_msg[0] = (uint8_t)rng_next();
        } else {
                bit = rng_below(c.msg_len * 8);
                other_msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        v.msg = other_msg;
        check_case(&v, KIND_MESSAGE_CHANGED, false);

        v = c;
        v.sig_len = c.sig_len - 1 - rng_below(2);
        check_case(&v, KIND_TRUNCATED, false);

        v = c;
        bad[0] = 0;
        memcpy(bad + 1, sig, c.sig_len);
        v.sig = bad;
        v.sig_len = c.sig_len + 1;
        check_case(&v, KIND_EXTENDED, false);

        v = c;
        out_of_range(key, sig, bad);
        v.sig = bad;
        check_case(&v, KIND_OUT_OF_RANGE, false);

        v = c;
        v.key = other_key(key);
        check_case(&v, KIND_WRONG_KEY, false);

        v = c;
        if (c.padding == PAD_PSS) {
                if (c.salt_len > 0 && rng_below(2))
                        v.salt_len = c.salt_len - 1;
                else
                        v.salt_len = c.salt_len + 1;
                /* A salt length past the maximum is rejected before any math. */
                check_case(&v, KIND_WRONG_SALT_LENGTH, false);
                v = c;
                v.padding = PAD_PKCS1;
        } else {
                v.padding = PAD_PSS;
                v.salt_len = 32;
        }
        check_case(&v, KIND_WRONG_PADDING, false);

        v = c;
        rng_bytes(bad, c.sig_len);
        bad[0] = (uint8_t)rng_below(key->n[0]);
        if (rng_below(8) == 0) {
                memset(bad, 0, c.sig_len);
                bad[c.sig_len - 1] = (uint8_t)rng_below(2);
        }
        v.sig = bad;
        check_case(&v, KIND_RANDOM_VALUE, false);

        v = c;
        if (rng_below(2) && resign_flipped_encoding(key, sig, bad)) {
                v.sig = bad;
                check_case(&v, KIND_ENCODING_BIT_FLIP, false);
        }
}

/* ---- test ------------------------------------------------------------------- */

static const struct {
        unsigned bits;
        unsigned long e;
} pool_spec[] = {
        { 2048, 65537 },
        { 2048, 3 },
        { 2049, 65537 },
        { 2050, 65537 },
        { 3071, 65537 },
        { 3072, 65537 },
        { 3073, 65537 },
        { 4095, 65537 },
        { 4096, 65537 },
        { 4096, 4294967291UL },         /* the largest prime exponent below 2^32 */
};

/* Two more sizes drawn from the seed, anywhere in the accepted range. */
#define POOL_RANDOM_SIZES 2

static double seconds_since(const struct timespec *start)
{
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

TEST(rsa_matches_openssl)
{
        const char *env = getenv("PG_TEST_DIFF_CASES");
        long target = env ? strtol(env, NULL, 0) : DEFAULT_CASES;
        struct timespec start;
        double keygen_seconds;

        clock_gettime(CLOCK_MONOTONIC, &start);
        pool_size = PG_ARRAY_SIZE(pool_spec) + POOL_RANDOM_SIZES;
        pool = calloc(pool_size, sizeof(*pool));
        if (!pool)
                die("calloc");
        for (size_t i = 0; i < pool_size; i++) {
                unsigned bits = PG_RSA_MIN_BITS +
                                (unsigned)rng_below(PG_RSA_MAX_BITS - PG_RSA_MIN_BITS + 1);
                unsigned long e = 65537;

                if (i < PG_ARRAY_SIZE(pool_spec)) {
                        bits = pool_spec[i].bits;
                        e = pool_spec[i].e;
                }

                pool_key_init(&pool[i], bits, e);
        }
        keygen_seconds = seconds_since(&start);

        while (cases_total < target)
                run_signature();

        printf("rsa differential: %ld cases, %ld disagreements, %zu keys (", cases_total,
               disagreements, pool_size);
        for (size_t i = 0; i < pool_size; i++)
                printf("%s%u", i ? " " : "", pool[i].bits);
        printf(" bits), keys %.1f s, total %.1f s\n", keygen_seconds, seconds_since(&start));
        for (int k = 0; k < KIND_COUNT; k++)
                printf("  %-20s %ld\n", kind_names[k], cases_by_kind[k]);
        CHECK(cases_total >= target);
        CHECK_INT(disagreements, 0);

        for (size_t i = 0; i < pool_size; i++)
                EVP_PKEY_free(pool[i].pkey);
        free(pool);
}

int main(void)
{
        const char *env = getenv("PG_TEST_SEED");
        uint64_t seed;

        if (env) {
                seed = strtoull(env, NULL, 0);
        } else {
                struct timespec now;

                clock_gettime(CLOCK_REALTIME, &now);
                seed = (uint64_t)now.tv_sec * 1000000007ULL ^ (uint64_t)now.tv_nsec;
        }
        rng_state = seed;
        printf("rsa differential: seed %" PRIu64 " (set PG_TEST_SEED to repeat)\n", seed);

        RUN(rsa_matches_openssl);
        return TEST_SUMMARY();
}
