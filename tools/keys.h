/* SPDX-License-Identifier: BSD-2-Clause */
/* RSA key loading and signing with OpenSSL 3, and key rings from --trust. */
#ifndef PG_TOOLS_KEYS_H
#define PG_TOOLS_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "gates/keyring.h"

/* A key ring built from --trust arguments; it owns the DER buffers. */
struct pg_tool_keyring {
        struct pg_keyring ring;
        struct pg_keyring_key keys[PG_KEYRING_MAX_KEYS];
        uint8_t *spki[PG_KEYRING_MAX_KEYS];
};

/* Loads an RSA private key (PEM) of 2048 to 4096 bits. Prints the reason and
 * returns NULL on failure. */
EVP_PKEY *pg_key_load_private(const char *path);

/*
 * Loads an RSA public key of 2048 to 4096 bits from a PEM file holding a
 * public or a private key, as a malloc'd DER SubjectPublicKeyInfo. Prints
 * the reason and returns -1 on failure.
 */
int pg_key_load_spki(const char *path, uint8_t **der, size_t *len);

/* Returns the key's DER SubjectPublicKeyInfo, malloc'd, or -1. */
int pg_key_spki(EVP_PKEY *key, uint8_t **der, size_t *len);

/*
 * Signs msg with SHA-256 and PKCS#1 v1.5, or PSS (MGF1-SHA-256, 32-byte salt)
 * when pss is set. sig must hold EVP_PKEY_get_size(key) bytes. Prints the
 * OpenSSL error and returns -1 on failure.
 */
int pg_key_sign(EVP_PKEY *key, bool pss, const uint8_t *msg, size_t len, uint8_t *sig,
                size_t *sig_len);

/*
 * Adds a key from a --trust argument "PATH[:ROLE]", where ROLE is release (the
 * default) or development. Prints the reason and returns -1 on failure.
 */
int pg_trust_add(struct pg_tool_keyring *kr, const char *arg);

void pg_trust_free(struct pg_tool_keyring *kr);

#endif
