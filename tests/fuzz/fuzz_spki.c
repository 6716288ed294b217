/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the SubjectPublicKeyInfo parser and RSA verification.
 *
 * The whole input is first parsed as an SPKI. When it starts with one
 * complete DER element followed by more bytes, that element is the key and
 * the rest is
 *     mode (1 byte) || signature
 * where mode 0 selects PKCS#1 v1.5 and mode m > 0 selects PSS with a salt
 * of m - 1 bytes. The signed digest is SHA-256 of FUZZ_MESSAGE, so seeds can
 * carry real signatures and the fuzzer starts from inputs that verify.
 */
#include <stdlib.h>

#include "pg/err.h"
#include "crypto/der.h"
#include "crypto/rsa.h"
#include "crypto/sha256.h"

#define FUZZ_MESSAGE "prodgate fuzz"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts when a parsed key breaks an invariant the verifier relies on. */
static void check_key(const struct pg_rsa_pubkey *key)
{
        if (key->bits < PG_RSA_MIN_BITS || key->bits > PG_RSA_MAX_BITS)
                abort();
        if (key->len != (key->bits + 7) / 8 || key->limbs != (key->bits + 63) / 64)
                abort();
        if ((key->n[0] & 1) == 0 || key->e < PG_RSA_MIN_EXPONENT || (key->e & 1) == 0)
                abort();
}

static void verify_signature(const struct pg_rsa_pubkey *key, const uint8_t *rest, size_t len)
{
        uint8_t digest[PG_SHA256_DIGEST_SIZE];
        pg_err err;

        pg_sha256(FUZZ_MESSAGE, sizeof(FUZZ_MESSAGE) - 1, digest);
        if (rest[0] == 0)
                err = pg_rsa_verify_pkcs1_sha256(key, digest, rest + 1, len - 1);
        else
                err = pg_rsa_verify_pss_sha256(key, digest, rest + 1, len - 1, rest[0] - 1u);
        /* Every result must be a defined code. */
        if (pg_err_name(err) == NULL)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct pg_rsa_pubkey key;
        struct pg_der_cursor cursor;
        struct pg_der_element element;
        size_t key_len;
        pg_err err;

        err = pg_rsa_pubkey_from_spki(&key, data, size);
        if (err == PG_OK)
                check_key(&key);
        else if (pg_err_name(err) == NULL)
                abort();

        pg_der_init(&cursor, data, size);
        if (pg_der_next(&cursor, &element) != PG_OK || pg_der_at_end(&cursor))
                return 0;
        key_len = (size_t)(cursor.p - data);
        if (pg_rsa_pubkey_from_spki(&key, data, key_len) != PG_OK)
                return 0;
        check_key(&key);
        verify_signature(&key, data + key_len, size - key_len);
        return 0;
}
