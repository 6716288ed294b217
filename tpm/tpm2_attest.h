/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parsers of the TPM 2.0 structures an attestation server receives from a
 * device: the quote message (TPMS_ATTEST, what `tpm2_quote -m` writes), its
 * signature (TPMT_SIGNATURE, `tpm2_quote -s`) and the attestation key's
 * public area (TPM2B_PUBLIC, `tpm2_createak -u`). All three are untrusted
 * bytes: each parser checks every length against the bytes left and against
 * a cap, rejects bytes after the structure, gives each fault its own code
 * and writes its output only on success. All integers are big-endian.
 *
 * The parsers check the encoding only. Whether the signature verifies, the
 * nonce matches and the key may sign quotes is the verifier's business
 * (tools/verify.c), which does the cryptography with OpenSSL.
 */
#ifndef PG_TPM_TPM2_ATTEST_H
#define PG_TPM_TPM2_ATTEST_H

#include "pg/err.h"

#define PG_TPM2_GENERATED_VALUE   0xff544347u
#define PG_TPM2_ST_ATTEST_QUOTE   0x8018u

#define PG_TPM2_ALG_RSA           0x0001u
#define PG_TPM2_ALG_SHA1          0x0004u
#define PG_TPM2_ALG_SHA256        0x000bu
#define PG_TPM2_ALG_SHA384        0x000cu
#define PG_TPM2_ALG_SHA512        0x000du
#define PG_TPM2_ALG_NULL          0x0010u
#define PG_TPM2_ALG_RSASSA        0x0014u
#define PG_TPM2_ALG_RSAPSS        0x0016u
#define PG_TPM2_ALG_ECDSA         0x0018u
#define PG_TPM2_ALG_ECC           0x0023u
#define PG_TPM2_ECC_NIST_P256     0x0003u

/* TPMA_OBJECT bits the verifier requires of an attestation key. */
#define PG_TPMA_OBJECT_FIXEDTPM             0x00000002u
#define PG_TPMA_OBJECT_FIXEDPARENT          0x00000010u
#define PG_TPMA_OBJECT_SENSITIVEDATAORIGIN  0x00000020u
#define PG_TPMA_OBJECT_RESTRICTED           0x00010000u
#define PG_TPMA_OBJECT_SIGN                 0x00040000u

/* Caps, from the TPM 2.0 library specification's sizes. */
#define PG_TPM2_ATTEST_MAX        1024  /* bytes of a TPMS_ATTEST */
#define PG_TPM2_SIGNATURE_MAX     1024  /* bytes of a TPMT_SIGNATURE */
#define PG_TPM2_PUBLIC_MAX        1024  /* bytes of a TPM2B_PUBLIC */
#define PG_TPM2_NAME_SIZE_MAX     68    /* TPM2B_NAME: algorithm id + SHA-512 */
#define PG_TPM2_DATA_SIZE_MAX     64    /* TPM2B_DATA, the quote's extraData */
#define PG_TPM2_HASH_SIZE_MAX     64    /* TPM2B_DIGEST */
#define PG_TPM2_QUOTE_BANKS_MAX   8     /* PCR selections in a quote */
#define PG_TPM2_SELECT_SIZE_MAX   4     /* bytes of one PCR bitmap */
#define PG_TPM2_PCR_MAX           23
#define PG_TPM2_RSA_MIN_BYTES     256
#define PG_TPM2_RSA_MAX_BYTES     512
#define PG_TPM2_ECC_SIG_MAX       66    /* one ECDSA value, up to P-521 */
#define PG_TPM2_P256_BYTES        32

struct pg_tpm2_pcr_select {
        uint16_t hash;                  /* TPM_ALG_ID of the bank */
        uint32_t mask;                  /* bit n: PCR n */
};

/* A decoded TPMS_ATTEST of type TPM_ST_ATTEST_QUOTE. */
struct pg_tpm2_quote {
        uint16_t signer_len;
        uint8_t signer[PG_TPM2_NAME_SIZE_MAX];          /* qualifiedSigner */
        uint16_t extra_len;
        uint8_t extra[PG_TPM2_DATA_SIZE_MAX];           /* extraData: the nonce */
        uint64_t clock;
        uint32_t reset_count;
        uint32_t restart_count;
        uint8_t safe;
        uint64_t firmware_version;
        uint32_t select_count;
        struct pg_tpm2_pcr_select select[PG_TPM2_QUOTE_BANKS_MAX];
        uint16_t pcr_digest_len;
        uint8_t pcr_digest[PG_TPM2_HASH_SIZE_MAX];      /* hash of the selected PCRs */
};

/* A decoded TPMT_SIGNATURE (RSASSA, RSAPSS or ECDSA). */
struct pg_tpm2_signature {
        uint16_t alg;                   /* PG_TPM2_ALG_RSASSA, _RSAPSS or _ECDSA */
        uint16_t hash;
        uint16_t rsa_len;
        uint8_t rsa[PG_TPM2_RSA_MAX_BYTES];
        uint16_t r_len;
        uint8_t r[PG_TPM2_ECC_SIG_MAX];
        uint16_t s_len;
        uint8_t s[PG_TPM2_ECC_SIG_MAX];
};

/* A decoded TPM2B_PUBLIC of an RSA or NIST P-256 signing key. */
struct pg_tpm2_public {
        uint16_t type;                  /* PG_TPM2_ALG_RSA or PG_TPM2_ALG_ECC */
        uint16_t name_alg;
        uint32_t attributes;            /* TPMA_OBJECT */
        uint16_t scheme;                /* PG_TPM2_ALG_NULL, _RSASSA, _RSAPSS or _ECDSA */
        uint16_t scheme_hash;           /* 0 with the NULL scheme */
        uint16_t key_bits;              /* RSA */
        uint32_t exponent;              /* RSA; 0 in the structure means 65537 */
        uint16_t modulus_len;
        uint8_t modulus[PG_TPM2_RSA_MAX_BYTES];
        uint16_t curve;                 /* ECC */
        uint8_t x[PG_TPM2_P256_BYTES];
        uint8_t y[PG_TPM2_P256_BYTES];
};

/* Decodes a TPMS_ATTEST that must be a quote, with every field checked. */
pg_err pg_tpm2_parse_quote(const uint8_t *buf, size_t len, struct pg_tpm2_quote *out);

/* Decodes a TPMT_SIGNATURE. */
pg_err pg_tpm2_parse_signature(const uint8_t *buf, size_t len, struct pg_tpm2_signature *out);

/* Decodes a TPM2B_PUBLIC whose size field covers exactly the rest of buf. */
pg_err pg_tpm2_parse_public(const uint8_t *buf, size_t len, struct pg_tpm2_public *out);

/* Digest size of SHA-1, SHA-256, SHA-384 or SHA-512; 0 for any other id. */
uint16_t pg_tpm2_hash_size(uint16_t alg);

#endif
