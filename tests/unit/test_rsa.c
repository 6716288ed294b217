/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RSA verification: every Wycheproof SHA-256 vector in the corpus, plus
 * encodings crafted with OpenSSL's raw private-key operation so that each
 * PKCS#1 v1.5 and PSS check fails on its own and returns its own code.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "test.h"
#include "crypto/rsa.h"

/* ---- a small JSON reader, enough for the Wycheproof files ----------------- */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
        enum json_type type;
        double number;          /* JSON_NUMBER, or 0 and 1 for JSON_BOOL */
        char *string;           /* JSON_STRING, NUL-terminated */
        size_t count;           /* items of an array or members of an object */
        struct json *items;
        char **keys;            /* member names of an object, parallel to items */
};

struct json_parser {
        const char *p;
        const char *end;
};

#define JSON_MAX_DEPTH 32

static int json_parse_value(struct json_parser *jp, struct json *out, int depth);

static void json_skip_space(struct json_parser *jp)
{
        while (jp->p < jp->end &&
               (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\r' || *jp->p == '\n'))
                jp->p++;
}

static int json_consume(struct json_parser *jp, char c)
{
        json_skip_space(jp);
        if (jp->p < jp->end && *jp->p == c) {
                jp->p++;
                return 1;
        }
        return 0;
}

/* Parses a string after its opening quote. Escapes outside ASCII are rejected,
 * because the vector files never use them. */
static int json_parse_string(struct json_parser *jp, char **out)
{
        size_t cap = 16, len = 0;
        char *s = malloc(cap);

        if (!s)
                return 0;
        while (jp->p < jp->end && *jp->p != '"') {
                char c = *jp->p++;

                if (c == '\\') {
                        if (jp->p >= jp->end)
                                break;
                        c = *jp->p++;
                        if (c == 'n')
                                c = '\n';
                        else if (c == 't')
                                c = '\t';
                        else if (c == 'r')
                                c = '\r';
                        else if (c == 'u') {
                                unsigned code;

                                if (jp->end - jp->p < 4 || sscanf(jp->p, "%4x", &code) != 1 ||
                                    code > 0x7f)
                                        break;
                                c = (char)code;
                                jp->p += 4;
                        } else if (c != '"' && c != '\\' && c != '/') {
                                break;
                        }
                }
                if (len + 2 > cap) {
                        char *bigger = realloc(s, cap * 2);

                        if (!bigger) {
                                free(s);
                                return 0;
                        }
                        s = bigger;
                        cap *= 2;
                }
                s[len++] = c;
        }
        if (jp->p >= jp->end || *jp->p != '"') {
                free(s);
                return 0;
        }
        jp->p++;
        s[len] = 0;
        *out = s;
        return 1;
}

static int json_append(struct json *container, const struct json *item, char *key)
{
        size_t n = container->count + 1;
        struct json *items = realloc(container->items, n * sizeof(*items));

        if (!items)
                return 0;
        container->items = items;
        if (container->type == JSON_OBJECT) {
                char **keys = realloc(container->keys, n * sizeof(*keys));

                if (!keys)
                        return 0;
                container->keys = keys;
                keys[n - 1] = key;
        }
        items[n - 1] = *item;
        container->count = n;
        return 1;
}

static void json_free(struct json *v);

static int json_parse_container(struct json_parser *jp, struct json *out, int depth, char close)
{
        out->type = close == '}' ? JSON_OBJECT : JSON_ARRAY;
        if (json_consume(jp, close))
                return 1;
        do {
                struct json item = { 0 };
                char *key = NULL;

                if (out->type == JSON_OBJECT &&
                    (!json_consume(jp, '"') || !json_parse_string(jp, &key) ||
                     !json_consume(jp, ':'))) {
                        free(key);
                        return 0;
                }
                if (!json_parse_value(jp, &item, depth + 1) || !json_append(out, &item, key)) {
                        json_free(&item);
                        free(key);
                        return 0;
                }
        } while (json_consume(jp, ','));
        return json_consume(jp, close);
}

static int json_parse_literal(struct json_parser *jp, const char *word)
{
        size_t n = strlen(word);

        if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n) != 0)
                return 0;
        jp->p += n;
        return 1;
}

static int json_parse_value(struct json_parser *jp, struct json *out, int depth)
{
        char *num_end;

        memset(out, 0, sizeof(*out));
        if (depth > JSON_MAX_DEPTH)
                return 0;
        json_skip_space(jp);
        if (jp->p >= jp->end)
                return 0;
        switch (*jp->p) {
        case '{':
                jp->p++;
                return json_parse_container(jp, out, depth, '}');
        case '[':
                jp->p++;
                return json_parse_container(jp, out, depth, ']');
        case '"':
                jp->p++;
                out->type = JSON_STRING;
                return json_parse_string(jp, &out->string);
        case 't':
                out->type = JSON_BOOL;
                out->number = 1;
                return json_parse_literal(jp, "true");
        case 'f':
                out->type = JSON_BOOL;
                return json_parse_literal(jp, "false");
        case 'n':
                return json_parse_literal(jp, "null");
        default:
                out->type = JSON_NUMBER;
                out->number = strtod(jp->p, &num_end);
                if (num_end == jp->p || num_end > jp->end)
                        return 0;
                jp->p = num_end;
                return 1;
        }
}

static void json_free(struct json *v)
{
        for (size_t i = 0; i < v->count; i++) {
                json_free(&v->items[i]);
                if (v->keys)
                        free(v->keys[i]);
        }
        free(v->items);
        free(v->keys);
        free(v->string);
        memset(v, 0, sizeof(*v));
}

/* Parses a NUL-terminated text and exits the test binary when it is not JSON. */
static void json_parse_text(const char *text, size_t len, const char *name, struct json *out)
{
        struct json_parser jp = { text, text + len };

        if (!json_parse_value(&jp, out, 0)) {
                fprintf(stderr, "%s: invalid JSON near byte %td\n", name, jp.p - text);
                exit(2);
        }
        json_skip_space(&jp);
        if (jp.p != jp.end) {
                fprintf(stderr, "%s: data after the JSON value at byte %td\n", name, jp.p - text);
                exit(2);
        }
}

static const struct json *json_member(const struct json *obj, const char *key)
{
        if (!obj || obj->type != JSON_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->count; i++) {
                if (strcmp(obj->keys[i], key) == 0)
                        return &obj->items[i];
        }
        return NULL;
}

static const char *json_string(const struct json *obj, const char *key)
{
        const struct json *v = json_member(obj, key);

        return v && v->type == JSON_STRING ? v->string : NULL;
}

/* ---- helpers -------------------------------------------------------------- */

/* Decodes hex into a new buffer and exits the test binary on malformed hex. */
static uint8_t *unhex_alloc(const char *hex, size_t *len)
{
        size_t max = strlen(hex) / 2 + 1;
        uint8_t *buf = malloc(max);
        long n = buf ? test_unhex(hex, buf, max) : -1;

        if (n < 0) {
                fprintf(stderr, "invalid hex string of length %zu in a test vector\n", strlen(hex));
                exit(2);
        }
        *len = (size_t)n;
        return buf;
}

static void sha256(const void *data, size_t len, uint8_t out[32])
{
        if (EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) != 1) {
                fprintf(stderr, "OpenSSL SHA-256 failed\n");
                exit(2);
        }
}

/* ---- Wycheproof ----------------------------------------------------------- */

struct wycheproof_file {
        const char *name;
        int pss;
        /* The _params_ twins give the key as an id-RSASSA-PSS SPKI, which the
         * rsaEncryption-only parser rejects. Their keys come from the
         * modulus and exponent fields instead. */
        int pss_params_spki;
};

static const struct wycheproof_file wycheproof_files[] = {
        { "rsa_signature_2048_sha256_test.json", 0, 0 },
        { "rsa_signature_3072_sha256_test.json", 0, 0 },
        { "rsa_signature_4096_sha256_test.json", 0, 0 },
        { "rsa_pss_2048_sha256_mgf1_0_test.json", 1, 0 },
        { "rsa_pss_2048_sha256_mgf1_0_params_test.json", 1, 1 },
        { "rsa_pss_2048_sha256_mgf1_32_test.json", 1, 0 },
        { "rsa_pss_2048_sha256_mgf1_32_params_test.json", 1, 1 },
        { "rsa_pss_3072_sha256_mgf1_32_test.json", 1, 0 },
        { "rsa_pss_3072_sha256_mgf1_32_params_test.json", 1, 1 },
        { "rsa_pss_4096_sha256_mgf1_32_test.json", 1, 0 },
};

struct wycheproof_counts {
        int valid, valid_ok;
        int invalid, invalid_rejected;
        int acceptable, acceptable_rejected;
};

/*
 * Loads a group's key from its SPKI and checks that the modulus and exponent
 * fields give the same key. Returns 0 when the key cannot be loaded.
 */
static int wycheproof_group_key(const struct json *group, const struct wycheproof_file *file,
                                struct pg_rsa_pubkey *key)
{
        const struct json *pub = json_member(group, "publicKey");
        const char *der_hex = json_string(group, "publicKeyDer");
        const char *n_hex = json_string(pub, "modulus");
        const char *e_hex = json_string(pub, "publicExponent");
        struct pg_rsa_pubkey from_spki;
        uint8_t *der, *n, *e;
        size_t der_len, n_len, e_len;
        pg_err spki_err, err;

        if (!der_hex || !n_hex || !e_hex) {
                test_report(__FILE__, __LINE__, "%s: a test group has no key", file->name);
                return 0;
        }
        der = unhex_alloc(der_hex, &der_len);
        n = unhex_alloc(n_hex, &n_len);
        e = unhex_alloc(e_hex, &e_len);
        err = pg_rsa_pubkey_from_components(key, n, n_len, e, e_len);
        CHECK_ERR(err, PG_OK);
        spki_err = pg_rsa_pubkey_from_spki(&from_spki, der, der_len);
        if (file->pss_params_spki) {
                CHECK_ERR(spki_err, PG_ERR_DER_SPKI_ALGORITHM);
        } else {
                CHECK_ERR(spki_err, PG_OK);
                if (spki_err == PG_OK && err == PG_OK)
                        CHECK(memcmp(&from_spki, key, sizeof(*key)) == 0);
        }
        free(der);
        free(n);
        free(e);
        return err == PG_OK;
}

static void wycheproof_count(const char *file, const struct json *test, pg_err err,
                             struct wycheproof_counts *counts)
{
        const char *result = json_string(test, "result");
        const struct json *id = json_member(test, "tcId");
        int tc = id ? (int)id->number : -1;

        if (result && strcmp(result, "valid") == 0) {
                counts->valid++;
                counts->valid_ok += err == PG_OK;
                if (err != PG_OK)
                        test_report(__FILE__, __LINE__,
                                    "%s tcId %d: valid signature rejected with %s", file, tc,
                                    test_err_name(err));
        } else if (result && strcmp(result, "invalid") == 0) {
                counts->invalid++;
                counts->invalid_rejected += err != PG_OK;
                if (err == PG_OK)
                        test_report(__FILE__, __LINE__, "%s tcId %d: invalid signature accepted",
                                    file, tc);
        } else if (result && strcmp(result, "acceptable") == 0) {
                /* The only acceptable vectors are MissingNull: a DigestInfo without the
                 * NULL parameter. The rebuilt encoding always has the NULL, so the
                 * strict verifier rejects them. */
                counts->acceptable++;
                counts->acceptable_rejected += err != PG_OK;
                CHECK_ERR(err, PG_ERR_RSA_PKCS1_MISMATCH);
        } else {
                test_report(__FILE__, __LINE__, "%s tcId %d: unknown result", file, tc);
        }
        if (getenv("PG_TEST_VERBOSE") && err != PG_OK)
                printf("  %s tcId %d: %s\n", file, tc, test_err_name(err));
}

static void wycheproof_run_test(const struct wycheproof_file *file, const struct json *group,
                                const struct json *test, const struct pg_rsa_pubkey *key,
                                struct wycheproof_counts *counts)
{
        const char *msg_hex = json_string(test, "msg");
        const char *sig_hex = json_string(test, "sig");
        const struct json *salt = json_member(group, "sLen");
        uint8_t digest[32];
        uint8_t *msg, *sig;
        size_t msg_len, sig_len;
        pg_err err;

        if (!msg_hex || !sig_hex || (file->pss && !salt)) {
                test_report(__FILE__, __LINE__, "%s: a test lacks msg, sig or sLen", file->name);
                return;
        }
        msg = unhex_alloc(msg_hex, &msg_len);
        sig = unhex_alloc(sig_hex, &sig_len);
        sha256(msg, msg_len, digest);
        if (file->pss)
                err = pg_rsa_verify_pss_sha256(key, digest, sig, sig_len, (size_t)salt->number);
        else
                err = pg_rsa_verify_pkcs1_sha256(key, digest, sig, sig_len);
        wycheproof_count(file->name, test, err, counts);
        free(msg);
        free(sig);
}

static void wycheproof_run_file(const struct wycheproof_file *file)
{
        char rel[256];
        struct wycheproof_counts counts = { 0 };
        struct json root;
        const struct json *groups;
        size_t len;
        char *text;

        snprintf(rel, sizeof(rel), "wycheproof/%s", file->name);
        text = (char *)test_read_file(test_corpus_path(rel), &len);
        json_parse_text(text, len, file->name, &root);
        groups = json_member(&root, "testGroups");
        CHECK(groups != NULL);
        CHECK(!groups || groups->type == JSON_ARRAY);
        for (size_t g = 0; groups && g < groups->count; g++) {
                const struct json *group = &groups->items[g];
                const struct json *tests = json_member(group, "tests");
                struct pg_rsa_pubkey key;

                if (!wycheproof_group_key(group, file, &key) || !tests)
                        continue;
                for (size_t t = 0; t < tests->count; t++)
                        wycheproof_run_test(file, group, &tests->items[t], &key, &counts);
        }

        printf("%s: valid %d/%d accepted, invalid %d/%d rejected, acceptable %d/%d rejected\n",
               file->name, counts.valid_ok, counts.valid, counts.invalid_rejected, counts.invalid,
               counts.acceptable_rejected, counts.acceptable);
        CHECK(counts.valid > 0);
        CHECK(counts.invalid > 0);
        json_free(&root);
        free(text);
}

TEST(wycheproof_vectors)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(wycheproof_files); i++)
                wycheproof_run_file(&wycheproof_files[i]);
}

/* ---- keys and raw private-key operations from OpenSSL --------------------- */

struct test_key {
        EVP_PKEY *pkey;
        struct pg_rsa_pubkey pub;
        uint8_t n[PG_RSA_MAX_BYTES];    /* modulus, big-endian, pub.len bytes */
        size_t len;
        unsigned bits;
};

static EVP_PKEY *generate_key(unsigned bits, unsigned primes, unsigned long exponent)
{
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
        BIGNUM *e = BN_new();
        EVP_PKEY *pkey = NULL;

        if (!ctx || !e || BN_set_word(e, exponent) != 1 || EVP_PKEY_keygen_init(ctx) != 1 ||
            EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) != 1 ||
            EVP_PKEY_CTX_set_rsa_keygen_primes(ctx, (int)primes) != 1 ||
            EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) != 1 || EVP_PKEY_keygen(ctx, &pkey) != 1) {
                fprintf(stderr, "OpenSSL failed to generate a %u-bit RSA key\n", bits);
                exit(2);
        }
        BN_free(e);
        EVP_PKEY_CTX_free(ctx);
        return pkey;
}

/*
 * Generates a key of exactly the given size. Sizes that are not even come
 * out one bit short with two primes in OpenSSL 3.0, so those use three.
 */
static void test_key_init(struct test_key *key, unsigned bits, unsigned long exponent)
{
        unsigned char *der = NULL;
        BIGNUM *n = NULL;
        int der_len;

        memset(key, 0, sizeof(*key));
        key->pkey = generate_key(bits, bits % 2 ? 3 : 2, exponent);
        der_len = i2d_PUBKEY(key->pkey, &der);
        if (der_len <= 0 || EVP_PKEY_get_bn_param(key->pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1) {
                fprintf(stderr, "OpenSSL failed to export a public key\n");
                exit(2);
        }
        key->bits = (unsigned)BN_num_bits(n);
        key->len = (size_t)BN_num_bytes(n);
        BN_bn2binpad(n, key->n, (int)key->len);
        CHECK_INT(key->bits, bits);
        CHECK_ERR(pg_rsa_pubkey_from_spki(&key->pub, der, (size_t)der_len), PG_OK);
        BN_free(n);
        OPENSSL_free(der);
}

static void test_key_free(struct test_key *key)
{
        EVP_PKEY_free(key->pkey);
        key->pkey = NULL;
}

/* Applies the raw private-key operation (no padding) to a value below n. */
static void raw_sign(const struct test_key *key, const uint8_t *em, uint8_t *sig)
{
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key->pkey, NULL);
        size_t sig_len = key->len;

        if (!ctx || EVP_PKEY_sign_init(ctx) != 1 ||
            EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) != 1 ||
            EVP_PKEY_sign(ctx, sig, &sig_len, em, key->len) != 1 || sig_len != key->len) {
                fprintf(stderr, "OpenSSL raw RSA private-key operation failed\n");
                exit(2);
        }
        EVP_PKEY_CTX_free(ctx);
}

static const uint8_t sha256_prefix[] = {
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
};

/* Writes 00 01 FF..FF 00 || prefix || digest into em (len bytes). */
static void pkcs1_encode(uint8_t *em, size_t len, const uint8_t *prefix, size_t prefix_len,
                         const uint8_t digest[32])
{
        size_t ps_len = len - 3 - prefix_len - 32;

        em[0] = 0x00;
        em[1] = 0x01;
        memset(em + 2, 0xff, ps_len);
        em[2 + ps_len] = 0x00;
        memcpy(em + 3 + ps_len, prefix, prefix_len);
        memcpy(em + len - 32, digest, 32);
}

static void mgf1_xor(uint8_t *out, size_t len, const uint8_t seed[32])
{
        uint8_t in[36], mask[32];

        memcpy(in, seed, 32);
        for (uint32_t counter = 0; len > 0; counter++) {
                size_t chunk = len < 32 ? len : 32;

                in[32] = (uint8_t)(counter >> 24);
                in[33] = (uint8_t)(counter >> 16);
                in[34] = (uint8_t)(counter >> 8);
                in[35] = (uint8_t)counter;
                sha256(in, sizeof(in), mask);
                for (size_t i = 0; i < chunk; i++)
                        out[i] ^= mask[i];
                out += chunk;
                len -= chunk;
        }
}

/*
 * Fields of an EMSA-PSS encoding (RFC 8017 9.1.1) that a test may break
 * before the encoding is masked and signed.
 */
struct pss_fields {
        size_t salt_len;
        uint8_t separator;      /* 0x01 when well formed */
        size_t ps_junk_at;      /* index into DB of a nonzero PS byte, or 0 for none */
        uint8_t trailer;        /* 0xbc when well formed */
        uint8_t top_bits;       /* ORed into EM[0] after masking */
};

static const struct pss_fields pss_well_formed = { 32, 0x01, 0, 0xbc, 0 };

/* Builds EM (em_len bytes) for emBits = bits - 1, with a salt of 0x5a bytes. */
static void pss_encode(uint8_t *em, size_t em_len, unsigned em_bits, const uint8_t digest[32],
                       const struct pss_fields *f)
{
        uint8_t m_prime[8 + 32 + 512] = { 0 };
        size_t db_len = em_len - 33;
        uint8_t *h = em + db_len;

        memcpy(m_prime + 8, digest, 32);
        memset(m_prime + 40, 0x5a, f->salt_len);
        sha256(m_prime, 40 + f->salt_len, h);

        memset(em, 0, db_len);
        em[db_len - f->salt_len - 1] = f->separator;
        memset(em + db_len - f->salt_len, 0x5a, f->salt_len);
        if (f->ps_junk_at)
                em[f->ps_junk_at] = 0x42;
        mgf1_xor(em, db_len, h);
        em[0] &= (uint8_t)(0xff >> (8 * em_len - em_bits));
        em[0] |= f->top_bits;
        em[em_len - 1] = f->trailer;
}

/* Encodes and signs a PSS block for key. Returns 0 when EM is not below n. */
static int pss_sign(const struct test_key *key, const uint8_t digest[32],
                    const struct pss_fields *f, uint8_t *sig)
{
        uint8_t block[PG_RSA_MAX_BYTES] = { 0 };
        unsigned em_bits = key->bits - 1;
        size_t em_len = (em_bits + 7) / 8;

        pss_encode(block + key->len - em_len, em_len, em_bits, digest, f);
        if (memcmp(block, key->n, key->len) >= 0)
                return 0;
        raw_sign(key, block, sig);
        return 1;
}

/* ---- exact errors --------------------------------------------------------- */

static struct test_key key2048, key2049;
static uint8_t digest_a[32], digest_b[32];

TEST(pkcs1_valid_and_flipped)
{
        uint8_t em[PG_RSA_MAX_BYTES], sig[PG_RSA_MAX_BYTES];

        pkcs1_encode(em, key2048.len, sha256_prefix, sizeof(sha256_prefix), digest_a);
        raw_sign(&key2048, em, sig);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, key2048.len), PG_OK);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_b, sig, key2048.len),
                  PG_ERR_RSA_PKCS1_MISMATCH);
        sig[100] ^= 0x04;
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, key2048.len),
                  PG_ERR_RSA_PKCS1_MISMATCH);
}

TEST(pkcs1_openssl_signature)
{
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        uint8_t sig[PG_RSA_MAX_BYTES];
        size_t sig_len = sizeof(sig);
        static const char msg[] = "prodgate manifest";
        uint8_t digest[32];

        CHECK(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key2049.pkey) == 1);
        CHECK(EVP_DigestSign(ctx, sig, &sig_len, (const uint8_t *)msg, strlen(msg)) == 1);
        sha256(msg, strlen(msg), digest);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2049.pub, digest, sig, sig_len), PG_OK);
        EVP_MD_CTX_free(ctx);
}

/* Encodings that a lenient parser might accept: each differs from the rebuilt one. */
TEST(pkcs1_crafted_encodings)
{
        static const uint8_t prefix_without_null[] = {
                0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20,
        };
        uint8_t em[PG_RSA_MAX_BYTES], sig[PG_RSA_MAX_BYTES];
        size_t len = key2048.len;

        pkcs1_encode(em, len, prefix_without_null, sizeof(prefix_without_null), digest_a);
        raw_sign(&key2048, em, sig);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, len),
                  PG_ERR_RSA_PKCS1_MISMATCH);

        pkcs1_encode(em, len, sha256_prefix, sizeof(sha256_prefix), digest_a);
        em[1] = 0x02;
        raw_sign(&key2048, em, sig);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, len),
                  PG_ERR_RSA_PKCS1_MISMATCH);

        pkcs1_encode(em, len, sha256_prefix, sizeof(sha256_prefix), digest_a);
        em[10] = 0xfe;
        raw_sign(&key2048, em, sig);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, len),
                  PG_ERR_RSA_PKCS1_MISMATCH);
}

TEST(sig_length_and_range)
{
        uint8_t sig[PG_RSA_MAX_BYTES + 1];
        size_t len = key2048.len;

        memset(sig, 0x01, sizeof(sig));
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, len - 1),
                  PG_ERR_RSA_SIG_LENGTH);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, len + 1),
                  PG_ERR_RSA_SIG_LENGTH);
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, 0, 32),
                  PG_ERR_RSA_SIG_LENGTH);

        memcpy(sig, key2048.n, len);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, len),
                  PG_ERR_RSA_SIG_OUT_OF_RANGE);
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, len, 32),
                  PG_ERR_RSA_SIG_OUT_OF_RANGE);
        memset(sig, 0xff, len);
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, len),
                  PG_ERR_RSA_SIG_OUT_OF_RANGE);

        /* n - 1 is in range, so it only fails the encoding check. */
        memcpy(sig, key2048.n, len);
        sig[len - 1] -= 1;
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key2048.pub, digest_a, sig, len),
                  PG_ERR_RSA_PKCS1_MISMATCH);
}

TEST(pss_valid)
{
        uint8_t sig[PG_RSA_MAX_BYTES];
        struct pss_fields f = pss_well_formed;
        const struct test_key *keys[] = { &key2048, &key2049 };

        for (size_t i = 0; i < PG_ARRAY_SIZE(keys); i++) {
                const struct test_key *k = keys[i];
                size_t max_salt = (k->bits - 1 + 7) / 8 - 34;
                size_t salts[] = { 0, 32, max_salt };

                for (size_t s = 0; s < PG_ARRAY_SIZE(salts); s++) {
                        f.salt_len = salts[s];
                        CHECK(pss_sign(k, digest_a, &f, sig));
                        CHECK_ERR(pg_rsa_verify_pss_sha256(&k->pub, digest_a, sig, k->len,
                                                           f.salt_len), PG_OK);
                }
                CHECK_ERR(pg_rsa_verify_pss_sha256(&k->pub, digest_a, sig, k->len, max_salt + 1),
                          PG_ERR_RSA_PSS_SALT_LENGTH);
                CHECK_ERR(pg_rsa_verify_pss_sha256(&k->pub, digest_a, sig, k->len, SIZE_MAX),
                          PG_ERR_RSA_PSS_SALT_LENGTH);
        }
}

TEST(pss_wrong_digest_and_salt_length)
{
        uint8_t sig[PG_RSA_MAX_BYTES] = { 0 };
        size_t len = key2048.len;

        CHECK(pss_sign(&key2048, digest_a, &pss_well_formed, sig));
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_b, sig, len, 32),
                  PG_ERR_RSA_PSS_HASH_MISMATCH);
        /* A longer expected salt moves the separator into the zero padding. */
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, len, 33),
                  PG_ERR_RSA_PSS_SEPARATOR);
        /* A shorter one puts the real separator inside the padding. */
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, len, 31),
                  PG_ERR_RSA_PSS_PADDING);
        sig[7] ^= 0x80;
        CHECK(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, len, 32) != PG_OK);
}

TEST(pss_broken_fields)
{
        uint8_t sig[PG_RSA_MAX_BYTES];
        struct pss_fields f;
        size_t len = key2048.len;

        f = pss_well_formed;
        f.trailer = 0xbd;
        CHECK(pss_sign(&key2048, digest_a, &f, sig));
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, len, 32),
                  PG_ERR_RSA_PSS_TRAILER);

        f = pss_well_formed;
        f.separator = 0x02;
        CHECK(pss_sign(&key2048, digest_a, &f, sig));
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, len, 32),
                  PG_ERR_RSA_PSS_SEPARATOR);

        f = pss_well_formed;
        f.ps_junk_at = 5;
        CHECK(pss_sign(&key2048, digest_a, &f, sig));
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, len, 32),
                  PG_ERR_RSA_PSS_PADDING);
}

/*
 * For a 2048-bit key emBits is 2047, so the top bit of EM must be clear. An
 * EM with that bit set can only be signed when it is still below n. That
 * depends on the masked first byte, so the salt length is varied until it is.
 */
TEST(pss_leftmost_bits)
{
        uint8_t sig[PG_RSA_MAX_BYTES];
        struct pss_fields f = pss_well_formed;
        int signed_one = 0;

        f.top_bits = 0x80;
        f.salt_len = 0;
        while (f.salt_len < 64) {
                signed_one = pss_sign(&key2048, digest_a, &f, sig);
                if (signed_one)
                        break;
                f.salt_len++;
        }
        CHECK(signed_one);
        if (signed_one)
                CHECK_ERR(pg_rsa_verify_pss_sha256(&key2048.pub, digest_a, sig, key2048.len,
                                                   f.salt_len), PG_ERR_RSA_PSS_LEFTMOST_BITS);
}

/*
 * For a 2049-bit key emLen is 256 and the modulus is 257 bytes, so a value
 * with a nonzero first byte cannot be an encoding at all.
 */
TEST(pss_em_too_large)
{
        uint8_t block[PG_RSA_MAX_BYTES] = { 0 };
        uint8_t sig[PG_RSA_MAX_BYTES];

        CHECK_INT(key2049.len, 257);
        block[0] = 0x01;
        block[key2049.len - 1] = 0xbc;
        raw_sign(&key2049, block, sig);
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key2049.pub, digest_a, sig, key2049.len, 32),
                  PG_ERR_RSA_PSS_EM_TOO_LARGE);
}

TEST(key_struct_invalid)
{
        struct pg_rsa_pubkey key;
        uint8_t sig[PG_RSA_MAX_BYTES] = { 0 };

        memset(&key, 0, sizeof(key));
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key, digest_a, sig, 256), PG_ERR_RSA_KEY_INVALID);
        CHECK_ERR(pg_rsa_verify_pss_sha256(&key, digest_a, sig, 256, 32), PG_ERR_RSA_KEY_INVALID);
        key = key2048.pub;
        key.limbs = PG_RSA_MAX_LIMBS;
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key, digest_a, sig, 256), PG_ERR_RSA_KEY_INVALID);
        key = key2048.pub;
        key.e = 65536;
        CHECK_ERR(pg_rsa_verify_pkcs1_sha256(&key, digest_a, sig, 256), PG_ERR_RSA_KEY_INVALID);
}

/* ---- key components ------------------------------------------------------- */

/* Fills n (len bytes) with an odd modulus of exactly bits bits. */
static void make_modulus(uint8_t *n, size_t len, unsigned bits)
{
        memset(n, 0xa7, len);
        memset(n, 0, len - (bits + 7) / 8);
        n[len - (bits + 7) / 8] = (uint8_t)(0xff >> ((8 - bits % 8) % 8));
        n[len - 1] |= 1;
}

TEST(components_modulus_size)
{
        static const uint8_t e[] = { 0x01, 0x00, 0x01 };
        uint8_t n[PG_RSA_MAX_BYTES + 8];
        struct pg_rsa_pubkey key;
        static const unsigned ok_bits[] = { 2048, 2049, 3071, 3072, 4095, 4096 };

        for (size_t i = 0; i < PG_ARRAY_SIZE(ok_bits); i++) {
                make_modulus(n, sizeof(n), ok_bits[i]);
                CHECK_ERR(pg_rsa_pubkey_from_components(&key, n, sizeof(n), e, sizeof(e)), PG_OK);
                CHECK_INT(key.bits, ok_bits[i]);
                CHECK_INT(key.len, (ok_bits[i] + 7) / 8);
        }
        make_modulus(n, sizeof(n), 2047);
        CHECK_ERR(pg_rsa_pubkey_from_components(&key, n, sizeof(n), e, sizeof(e)),
                  PG_ERR_RSA_MODULUS_TOO_SMALL);
        make_modulus(n, sizeof(n), 4097);
        CHECK_ERR(pg_rsa_pubkey_from_components(&key, n, sizeof(n), e, sizeof(e)),
                  PG_ERR_RSA_MODULUS_TOO_LARGE);
        CHECK_ERR(pg_rsa_pubkey_from_components(&key, n, 0, e, sizeof(e)),
                  PG_ERR_RSA_MODULUS_TOO_SMALL);
        memset(n, 0, sizeof(n));
        CHECK_ERR(pg_rsa_pubkey_from_components(&key, n, sizeof(n), e, sizeof(e)),
                  PG_ERR_RSA_MODULUS_TOO_SMALL);
        make_modulus(n, sizeof(n), 3072);
        n[sizeof(n) - 1] &= 0xfe;
        CHECK_ERR(pg_rsa_pubkey_from_components(&key, n, sizeof(n), e, sizeof(e)),
                  PG_ERR_RSA_MODULUS_EVEN);
}

TEST(components_exponent_policy)
{
        static const struct {
                const char *hex;
                pg_err expected;
        } cases[] = {
                { "03", PG_OK },
                { "010001", PG_OK },
                { "00000003", PG_OK },
                { "ffffffff", PG_OK },
                { "0000000000ffffffff", PG_OK },
                { "", PG_ERR_RSA_EXPONENT_TOO_SMALL },
                { "00", PG_ERR_RSA_EXPONENT_TOO_SMALL },
                { "01", PG_ERR_RSA_EXPONENT_TOO_SMALL },
                { "02", PG_ERR_RSA_EXPONENT_TOO_SMALL },
                { "010000", PG_ERR_RSA_EXPONENT_EVEN },
                { "0100000001", PG_ERR_RSA_EXPONENT_TOO_LARGE },
                { "ffffffffff", PG_ERR_RSA_EXPONENT_TOO_LARGE },
        };
        uint8_t n[PG_RSA_MAX_BYTES], e[16];
        struct pg_rsa_pubkey key;

        make_modulus(n, 256, 2048);
        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                long e_len = test_unhex(cases[i].hex, e, sizeof(e));

                CHECK(e_len >= 0);
                if (pg_rsa_pubkey_from_components(&key, n, 256, e, (size_t)e_len) !=
                    cases[i].expected)
                        test_report(__FILE__, __LINE__, "exponent %s: expected %s", cases[i].hex,
                                    test_err_name(cases[i].expected));
        }
}

TEST(components_error_leaves_key)
{
        static const uint8_t e_even[] = { 0x01, 0x00, 0x00 };
        struct pg_rsa_pubkey key, before;

        memset(&key, 0xa5, sizeof(key));
        before = key;
        CHECK_ERR(pg_rsa_pubkey_from_components(&key, key2048.n, key2048.len, e_even,
                                                sizeof(e_even)), PG_ERR_RSA_EXPONENT_EVEN);
        CHECK(memcmp(&key, &before, sizeof(key)) == 0);
}

int main(void)
{
        static const char a[] = "message a", b[] = "message b";

        sha256(a, strlen(a), digest_a);
        sha256(b, strlen(b), digest_b);
        test_key_init(&key2048, 2048, 65537);
        test_key_init(&key2049, 2049, 65537);

        RUN(wycheproof_vectors);
        RUN(pkcs1_valid_and_flipped);
        RUN(pkcs1_openssl_signature);
        RUN(pkcs1_crafted_encodings);
        RUN(sig_length_and_range);
        RUN(pss_valid);
        RUN(pss_wrong_digest_and_salt_length);
        RUN(pss_broken_fields);
        RUN(pss_leftmost_bits);
        RUN(pss_em_too_large);
        RUN(key_struct_invalid);
        RUN(components_modulus_size);
        RUN(components_exponent_policy);
        RUN(components_error_leaves_key);

        test_key_free(&key2048);
        test_key_free(&key2049);
        return TEST_SUMMARY();
}
