/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RSA signature verification with SHA-256: PKCS#1 v1.5 (RFC 8017 8.2.2, the
 * expected encoding is rebuilt and compared whole) and RSASSA-PSS with
 * MGF1-SHA-256 (RFC 8017 8.1.2). Moduli of 2048 to 4096 bits. Public keys
 * come from a strict DER SubjectPublicKeyInfo (rsaEncryption) or from raw
 * big-endian components.
 *
 * Only verification: no private-key operation exists here, so nothing here
 * needs to be constant time except the final comparison, which is.
 */
#ifndef PG_RSA_H
#define PG_RSA_H

#include "pg/err.h"
#include "crypto/sha256.h"

#define PG_RSA_MIN_BITS 2048
#define PG_RSA_MAX_BITS 4096
#define PG_RSA_MAX_BYTES (PG_RSA_MAX_BITS / 8)
/* Limb count of the largest modulus (32-bit limbs). */
#define PG_RSA_MAX_LIMBS (PG_RSA_MAX_BITS / 32)

struct pg_rsa_pubkey {
        uint32_t bits;                  /* modulus size in bits */
        uint32_t len;                   /* modulus size in bytes */
        uint32_t e;                     /* public exponent */
        uint32_t limbs;                 /* limbs in n[] used */
        uint32_t n[PG_RSA_MAX_LIMBS];   /* modulus, little-endian limbs */
        uint32_t n0inv;                 /* -n^-1 mod 2^32, for Montgomery */
        uint32_t rr[PG_RSA_MAX_LIMBS];  /* R^2 mod n, R = 2^(32*limbs) */
};

/*
 * Parses a DER SubjectPublicKeyInfo with the rsaEncryption algorithm and a
 * NULL parameter. Writes *key only on success.
 */
pg_err pg_rsa_pubkey_from_spki(struct pg_rsa_pubkey *key, const uint8_t *der, size_t der_len);

/*
 * Builds a key from a big-endian modulus and exponent (leading zero bytes
 * allowed). Writes *key only on success.
 */
pg_err pg_rsa_pubkey_from_components(struct pg_rsa_pubkey *key,
                                     const uint8_t *n, size_t n_len,
                                     const uint8_t *e, size_t e_len);

/* Verifies an RSASSA-PKCS1-v1_5 signature over a SHA-256 digest. */
pg_err pg_rsa_verify_pkcs1_sha256(const struct pg_rsa_pubkey *key,
                                  const uint8_t digest[PG_SHA256_DIGEST_SIZE],
                                  const uint8_t *sig, size_t sig_len);

/*
 * Verifies an RSASSA-PSS signature over a SHA-256 digest with MGF1-SHA-256
 * and a salt of exactly salt_len bytes.
 */
pg_err pg_rsa_verify_pss_sha256(const struct pg_rsa_pubkey *key,
                                const uint8_t digest[PG_SHA256_DIGEST_SIZE],
                                const uint8_t *sig, size_t sig_len, size_t salt_len);

#endif
