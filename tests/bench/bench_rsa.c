/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RSA-3072 PKCS#1 v1.5 SHA-256 verification rate of prodgate and of OpenSSL
 * (EVP_DigestVerify) over the same key, message and signature. Both sides
 * hash the 64-byte message in every verification, and neither reparses the
 * key. Each figure is the best of three passes of about half a second.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_time.h"
#include "crypto/rsa.h"
#include "crypto/sha256.h"

#define BENCH_RSA_BITS 3072
#define BENCH_RSA_PASSES 3
#define BENCH_RSA_PASS_SECONDS 0.5

struct bench_rsa_input {
        EVP_PKEY *pkey;
        struct pg_rsa_pubkey key;
        uint8_t msg[64];
        uint8_t sig[PG_RSA_MAX_BYTES];
        size_t sig_len;
        EVP_MD_CTX *md_ctx;
};

static void bench_rsa_fail(const char *what)
{
        fprintf(stderr, "bench: %s failed\n", what);
        ERR_print_errors_fp(stderr);
        exit(1);
}

static int verify_prodgate(struct bench_rsa_input *in)
{
        uint8_t digest[PG_SHA256_DIGEST_SIZE];

        pg_sha256(in->msg, sizeof(in->msg), digest);
        return pg_rsa_verify_pkcs1_sha256(&in->key, digest, in->sig, in->sig_len) == PG_OK;
}

static int verify_openssl(struct bench_rsa_input *in)
{
        return EVP_DigestVerifyInit(in->md_ctx, NULL, EVP_sha256(), NULL, in->pkey) == 1 &&
               EVP_DigestVerify(in->md_ctx, in->sig, in->sig_len, in->msg, sizeof(in->msg)) == 1;
}

/* Returns the best verifications per second over the passes. */
static double best_rate(int (*verify)(struct bench_rsa_input *), struct bench_rsa_input *in)
{
        double best = 0;

        for (int pass = 0; pass < BENCH_RSA_PASSES; pass++) {
                double start = bench_now(), elapsed;
                long count = 0;

                do {
                        for (int i = 0; i < 16; i++) {
                                if (!verify(in))
                                        bench_rsa_fail("RSA verification");
                        }
                        count += 16;
                        elapsed = bench_now() - start;
                } while (elapsed < BENCH_RSA_PASS_SECONDS);
                if (count / elapsed > best)
                        best = count / elapsed;
        }
        return best;
}

static void bench_rsa_setup(struct bench_rsa_input *in)
{
        EVP_MD_CTX *sign_ctx = EVP_MD_CTX_new();
        unsigned char *der = NULL;
        int der_len;

        for (size_t i = 0; i < sizeof(in->msg); i++)
                in->msg[i] = (uint8_t)(i * 7 + 1);
        in->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)BENCH_RSA_BITS);
        if (!in->pkey)
                bench_rsa_fail("RSA key generation");
        der_len = i2d_PUBKEY(in->pkey, &der);
        if (der_len <= 0 || pg_rsa_pubkey_from_spki(&in->key, der, (size_t)der_len) != PG_OK)
                bench_rsa_fail("loading the public key");
        OPENSSL_free(der);

        in->sig_len = sizeof(in->sig);
        if (!sign_ctx ||
            EVP_DigestSignInit(sign_ctx, NULL, EVP_sha256(), NULL, in->pkey) != 1 ||
            EVP_DigestSign(sign_ctx, in->sig, &in->sig_len, in->msg, sizeof(in->msg)) != 1)
                bench_rsa_fail("signing");
        EVP_MD_CTX_free(sign_ctx);

        in->md_ctx = EVP_MD_CTX_new();
        if (!in->md_ctx)
                bench_rsa_fail("EVP_MD_CTX_new");
}

void bench_rsa(void)
{
        struct bench_rsa_input in;
        double prodgate, openssl;

        bench_rsa_setup(&in);
        prodgate = best_rate(verify_prodgate, &in);
        openssl = best_rate(verify_openssl, &in);
        printf("rsa%d verify: prodgate %.0f/s, openssl %.0f/s, ratio %.2f\n", BENCH_RSA_BITS,
               prodgate, openssl, prodgate / openssl);

        EVP_MD_CTX_free(in.md_ctx);
        EVP_PKEY_free(in.pkey);
}
