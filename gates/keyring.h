/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The key ring: the public keys whose signatures a manifest verifier trusts.
 * Each key is a DER SubjectPublicKeyInfo with its key id (the SHA-256 of those
 * DER bytes) and a role. The EFI application uses pg_builtin_keyring, which
 * the build generates into build/keyring.c from the PEM files named in
 * `make KEYRING=...`. The prodgate tool builds one from --trust arguments.
 * An empty key ring trusts nothing.
 */
#ifndef PG_GATES_KEYRING_H
#define PG_GATES_KEYRING_H

#include "pg/platform.h"

#define PG_KEY_ID_SIZE 32
#define PG_KEYRING_MAX_KEYS 8
/* Upper bound of a DER SubjectPublicKeyInfo of a 4096-bit RSA key (550 bytes
 * with a 32-bit exponent), rounded up. */
#define PG_KEYRING_MAX_SPKI 1024

enum pg_key_role {
        PG_KEY_ROLE_RELEASE = 1,        /* may sign every build type */
        PG_KEY_ROLE_DEVELOPMENT = 2,    /* may not sign build type "production" */
};

struct pg_keyring_key {
        uint32_t role;                          /* enum pg_key_role */
        uint32_t spki_len;
        const uint8_t *spki;                    /* DER SubjectPublicKeyInfo */
        uint8_t key_id[PG_KEY_ID_SIZE];         /* SHA-256 of spki */
};

struct pg_keyring {
        uint32_t count;
        const struct pg_keyring_key *keys;
};

/* The key ring compiled into the EFI application (build/keyring.c). */
extern const struct pg_keyring pg_builtin_keyring;

/* Returns "release" or "development", or NULL for another value. */
const char *pg_key_role_name(uint32_t role);

#endif
