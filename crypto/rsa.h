/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RSA signature verification with SHA-256: PKCS#1 v1.5 (RFC 8017 8.2.2, the
 * expected encoding is rebuilt and compared whole) and RSASSA-PSS with
 * MGF1-SHA-256 (RFC 8017 8.1.2). Moduli of any bit length from 2048 to 4096
 * inclusive, and odd public exponents from 3 to 2^32 - 1. Public keys come from a
 * strict DER SubjectPublicKeyInfo (rsaEncryption) or from raw big-endian
 * components.
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
/* Limb count of the largest modulus (64-bit limbs). */
#define PG_RSA_MAX_LIMBS (PG_RSA_MAX_BITS / 64)
/* Public exponents must be odd and in [PG_RSA_MIN_EXPONENT, 2^32 - 1]. */
#define PG_RSA_MIN_EXPONENT 3

/*
 * A public key ready for verification. Only pg_rsa_pubkey_from_spki() and
 * pg_rsa_pubkey_from_components() fill it in. The verify functions reject a
 * structure whose sizes are inconsistent.
 */
struct pg_rsa_pubkey {
        uint32_t bits;                  /* modulus size in bits, 2048..4096 */
        uint32_t len;                   /* modulus size in bytes */
        uint32_t e;                     /* public exponent */
        uint32_t limbs;                 /* limbs in n[] used */
        uint64_t n[PG_RSA_MAX_LIMBS];   /* modulus, little-endian limbs */
        uint64_t n0inv;                 /* -n^-1 mod 2^64, for Montgomery */
        uint64_t rr[PG_RSA_MAX_LIMBS];  /* R^2 mod n, R = 2^(64*limbs) */
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
