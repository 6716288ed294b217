/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the parsers of tpm2_quote's and tpm2_createak's
 * output (tpm/tpm2_attest.c). Every input goes whole to all three parsers;
 * the seeds are real TPMS_ATTEST, TPMT_SIGNATURE and TPM2B_PUBLIC files of
 * RSASSA, RSAPSS and ECDSA keys. What an accepted structure must satisfy
 * aborts the run when broken, and a rejected one leaves the output alone.
 */
#include <stdlib.h>

#include "tpm/tpm2_attest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool cond)
{
        if (!cond)
                abort();
}

static bool untouched(const void *p, size_t n)
{
        const uint8_t *b = p;

        for (size_t i = 0; i < n; i++)
                if (b[i] != 0xa5)
                        return false;
        return true;
}

static void fuzz_quote(const uint8_t *data, size_t size)
{
        struct pg_tpm2_quote q;

        memset(&q, 0xa5, sizeof(q));
        if (pg_tpm2_parse_quote(data, size, &q) != PG_OK) {
                require(untouched(&q, sizeof(q)));
                return;
        }
        require(size <= PG_TPM2_ATTEST_MAX && pg_load_be32(data) == PG_TPM2_GENERATED_VALUE);
        require(q.extra_len <= PG_TPM2_DATA_SIZE_MAX && q.signer_len <= PG_TPM2_NAME_SIZE_MAX);
        require(q.select_count >= 1 && q.select_count <= PG_TPM2_QUOTE_BANKS_MAX);
        for (uint32_t i = 0; i < q.select_count; i++)
                require(q.select[i].mask >> (PG_TPM2_PCR_MAX + 1) == 0 &&
                        pg_tpm2_hash_size(q.select[i].hash) != 0);
        require(q.pcr_digest_len >= 1 && q.pcr_digest_len <= PG_TPM2_HASH_SIZE_MAX);
}

static void fuzz_signature(const uint8_t *data, size_t size)
{
        struct pg_tpm2_signature s;

        memset(&s, 0xa5, sizeof(s));
        if (pg_tpm2_parse_signature(data, size, &s) != PG_OK) {
                require(untouched(&s, sizeof(s)));
                return;
        }
        require(pg_tpm2_hash_size(s.hash) != 0);
        if (s.alg == PG_TPM2_ALG_ECDSA)
                require(s.r_len >= 1 && s.r_len <= PG_TPM2_ECC_SIG_MAX && s.s_len >= 1 &&
                        s.s_len <= PG_TPM2_ECC_SIG_MAX);
        else
                require((s.alg == PG_TPM2_ALG_RSASSA || s.alg == PG_TPM2_ALG_RSAPSS) &&
                        s.rsa_len >= PG_TPM2_RSA_MIN_BYTES && s.rsa_len <= PG_TPM2_RSA_MAX_BYTES);
}

static void fuzz_public(const uint8_t *data, size_t size)
{
        struct pg_tpm2_public k;

        memset(&k, 0xa5, sizeof(k));
        if (pg_tpm2_parse_public(data, size, &k) != PG_OK) {
                require(untouched(&k, sizeof(k)));
                return;
        }
        require(size >= 2 && pg_load_be16(data) == size - 2);
        if (k.type == PG_TPM2_ALG_RSA)
                require(k.modulus_len == k.key_bits / 8 && k.modulus_len >= PG_TPM2_RSA_MIN_BYTES &&
                        k.modulus_len <= PG_TPM2_RSA_MAX_BYTES);
        else
                require(k.type == PG_TPM2_ALG_ECC && k.curve == PG_TPM2_ECC_NIST_P256);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        fuzz_quote(data, size);
        fuzz_signature(data, size);
        fuzz_public(data, size);
        return 0;
}
