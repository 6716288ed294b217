/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The manifest envelope: layout checks, the key ring, and the signature
 * check over the payload bytes. No byte of the payload is interpreted here.
 */
#include "crypto/rsa.h"
#include "crypto/sha256.h"
#include "gates/manifest.h"

#if defined(PG_FUZZING) && defined(PG_EFI)
#error "PG_FUZZING replaces the RSA signature check with a stub and must never reach the EFI build"
#endif

/* Wire layouts. Every field is a byte array, so the structs have no padding
 * and their offsets are the documented ones; integers are little-endian. */
struct pg_manifest_wire_header {
        uint8_t magic[4];
        uint8_t version[2];
        uint8_t header_len[2];
        uint8_t total_len[4];
        uint8_t payload_off[4];
        uint8_t payload_len[4];
        uint8_t sig_count[2];
        uint8_t reserved[10];
};

struct pg_manifest_wire_record {
        uint8_t algorithm[2];
        uint8_t reserved0[2];
        uint8_t sig_off[4];
        uint8_t sig_len[4];
        uint8_t reserved1[4];
        uint8_t key_id[PG_KEY_ID_SIZE];
};

#define PG_WIRE_AT(type, field, off) \
        PG_STATIC_ASSERT(offsetof(struct type, field) == (off), #type "." #field " offset")

PG_STATIC_ASSERT(sizeof(struct pg_manifest_wire_header) == PG_MANIFEST_HEADER_SIZE, "header size");
PG_WIRE_AT(pg_manifest_wire_header, magic, PG_MANIFEST_OFF_MAGIC);
PG_WIRE_AT(pg_manifest_wire_header, version, PG_MANIFEST_OFF_VERSION);
PG_WIRE_AT(pg_manifest_wire_header, header_len, PG_MANIFEST_OFF_HEADER_LEN);
PG_WIRE_AT(pg_manifest_wire_header, total_len, PG_MANIFEST_OFF_TOTAL_LEN);
PG_WIRE_AT(pg_manifest_wire_header, payload_off, PG_MANIFEST_OFF_PAYLOAD_OFF);
PG_WIRE_AT(pg_manifest_wire_header, payload_len, PG_MANIFEST_OFF_PAYLOAD_LEN);
PG_WIRE_AT(pg_manifest_wire_header, sig_count, PG_MANIFEST_OFF_SIG_COUNT);
PG_WIRE_AT(pg_manifest_wire_header, reserved, PG_MANIFEST_OFF_RESERVED);

PG_STATIC_ASSERT(sizeof(struct pg_manifest_wire_record) == PG_MANIFEST_RECORD_SIZE, "record size");
PG_WIRE_AT(pg_manifest_wire_record, algorithm, PG_MANIFEST_REC_ALGORITHM);
PG_WIRE_AT(pg_manifest_wire_record, reserved0, PG_MANIFEST_REC_RESERVED0);
PG_WIRE_AT(pg_manifest_wire_record, sig_off, PG_MANIFEST_REC_SIG_OFF);
PG_WIRE_AT(pg_manifest_wire_record, sig_len, PG_MANIFEST_REC_SIG_LEN);
PG_WIRE_AT(pg_manifest_wire_record, reserved1, PG_MANIFEST_REC_RESERVED1);
PG_WIRE_AT(pg_manifest_wire_record, key_id, PG_MANIFEST_REC_KEY_ID);

/* The payload offset (header plus records) stays a multiple of 8, so an FDT
 * payload keeps the 8-byte alignment of the envelope buffer. */
PG_STATIC_ASSERT(PG_MANIFEST_HEADER_SIZE % 8 == 0 && PG_MANIFEST_RECORD_SIZE % 8 == 0,
                 "payload offset alignment");
PG_STATIC_ASSERT(PG_MANIFEST_MAX_SIG_BYTES == PG_RSA_MAX_BYTES, "signature cap matches RSA cap");
PG_STATIC_ASSERT(PG_MANIFEST_MIN_SIG_BYTES == PG_RSA_MIN_BITS / 8, "signature floor matches RSA");
PG_STATIC_ASSERT(PG_KEY_ID_SIZE == PG_SHA256_DIGEST_SIZE, "key id is a SHA-256 digest");

const char *pg_manifest_alg_name(uint32_t algorithm)
{
        switch (algorithm) {
        case PG_MANIFEST_ALG_RSA_PKCS1_SHA256:
                return "rsa-pkcs1-sha256";
        case PG_MANIFEST_ALG_RSA_PSS_SHA256:
                return "rsa-pss-sha256";
        }
        return NULL;
}

const char *pg_key_role_name(uint32_t role)
{
        switch (role) {
        case PG_KEY_ROLE_RELEASE:
                return "release";
        case PG_KEY_ROLE_DEVELOPMENT:
                return "development";
        }
        return NULL;
}

static bool pg_all_zero(const uint8_t *p, size_t n)
{
        uint8_t acc = 0;

        for (size_t i = 0; i < n; i++)
                acc |= p[i];
        return acc == 0;
}

/* Checks the fixed header against the buffer length; returns the signature
 * count and payload length through the out-parameters. */
static pg_err pg_envelope_check_header(const uint8_t *buf, size_t len, uint32_t *sig_count,
                                       uint32_t *payload_len)
{
        const struct pg_manifest_wire_header *h = (const void *)buf;
        uint64_t payload_off, records_end;

        if (len > PG_MANIFEST_MAX_SIZE)
                return PG_ERR_MANIFEST_TOO_LARGE;
        if (len < PG_MANIFEST_HEADER_SIZE)
                return PG_ERR_MANIFEST_TRUNCATED;
        if (memcmp(h->magic, PG_MANIFEST_MAGIC, sizeof(h->magic)) != 0)
                return PG_ERR_MANIFEST_BAD_MAGIC;
        if (pg_load_le16(h->version) != PG_MANIFEST_ENVELOPE_VERSION)
                return PG_ERR_MANIFEST_BAD_VERSION;
        if (pg_load_le16(h->header_len) != PG_MANIFEST_HEADER_SIZE)
                return PG_ERR_MANIFEST_BAD_HEADER_LENGTH;
        if (pg_load_le32(h->total_len) != len)
                return PG_ERR_MANIFEST_BAD_TOTAL_LENGTH;
        if (!pg_all_zero(h->reserved, sizeof(h->reserved)))
                return PG_ERR_MANIFEST_RESERVED_NOT_ZERO;

        *sig_count = pg_load_le16(h->sig_count);
        if (*sig_count < 1 || *sig_count > PG_MANIFEST_MAX_SIGNATURES)
                return PG_ERR_MANIFEST_BAD_SIGNATURE_COUNT;
        records_end = PG_MANIFEST_HEADER_SIZE + (uint64_t)*sig_count * PG_MANIFEST_RECORD_SIZE;
        if (records_end > len)
                return PG_ERR_MANIFEST_TRUNCATED;

        payload_off = pg_load_le32(h->payload_off);
        if (payload_off != records_end)
                return PG_ERR_MANIFEST_BAD_PAYLOAD_OFFSET;
        *payload_len = pg_load_le32(h->payload_len);
        if (payload_off + *payload_len > UINT32_MAX)
                return PG_ERR_MANIFEST_INTEGER_OVERFLOW;
        if (*payload_len == 0 || *payload_len > len - payload_off)
                return PG_ERR_MANIFEST_BAD_PAYLOAD_LENGTH;
        return PG_OK;
}

/*
 * Checks one signature record. Signatures follow the payload back to back in
 * record order, so this one must start at *next, the end of the previous
 * block. On success *next moves past this signature.
 */
static pg_err pg_envelope_check_record(const uint8_t *buf, size_t len, uint32_t index,
                                       uint64_t *next, struct pg_manifest_signature *sig)
{
        const struct pg_manifest_wire_record *r =
                (const void *)(buf + PG_MANIFEST_HEADER_SIZE + (size_t)index * PG_MANIFEST_RECORD_SIZE);
        uint32_t algorithm = pg_load_le16(r->algorithm);
        uint64_t off = pg_load_le32(r->sig_off);
        uint64_t sig_len = pg_load_le32(r->sig_len);

        if (!pg_manifest_alg_name(algorithm))
                return PG_ERR_MANIFEST_BAD_SIGNATURE_ALGORITHM;
        if (!pg_all_zero(r->reserved0, sizeof(r->reserved0)) ||
            !pg_all_zero(r->reserved1, sizeof(r->reserved1)))
                return PG_ERR_MANIFEST_RESERVED_NOT_ZERO;
        if (off != *next)
                return PG_ERR_MANIFEST_BAD_SIGNATURE_OFFSET;
        if (off + sig_len > UINT32_MAX)
                return PG_ERR_MANIFEST_INTEGER_OVERFLOW;
        if (sig_len < PG_MANIFEST_MIN_SIG_BYTES || sig_len > PG_MANIFEST_MAX_SIG_BYTES ||
            sig_len > len - off)
                return PG_ERR_MANIFEST_BAD_SIGNATURE_LENGTH;

        sig->algorithm = algorithm;
        memcpy(sig->key_id, r->key_id, PG_KEY_ID_SIZE);
        sig->sig = buf + off;
        sig->sig_len = (uint32_t)sig_len;
        *next = off + sig_len;
        return PG_OK;
}

pg_err pg_manifest_envelope_parse(const uint8_t *buf, size_t len,
                                  struct pg_manifest_envelope *out)
{
        struct pg_manifest_envelope env;
        uint32_t sig_count, payload_len;
        uint64_t next;
        pg_err err;

        err = pg_envelope_check_header(buf, len, &sig_count, &payload_len);
        if (err)
                return err;

        memset(&env, 0, sizeof(env));
        env.version = PG_MANIFEST_ENVELOPE_VERSION;
        env.total_len = (uint32_t)len;
        env.sig_count = sig_count;
        env.payload_len = payload_len;
        env.payload = buf + PG_MANIFEST_HEADER_SIZE + (size_t)sig_count * PG_MANIFEST_RECORD_SIZE;

        next = (uint64_t)(env.payload - buf) + payload_len;
        for (uint32_t i = 0; i < sig_count; i++) {
                err = pg_envelope_check_record(buf, len, i, &next, &env.sigs[i]);
                if (err)
                        return err;
        }
        if (next != len)
                return PG_ERR_MANIFEST_BAD_TOTAL_LENGTH;

        for (uint32_t i = 0; i < sig_count; i++)
                for (uint32_t j = i + 1; j < sig_count; j++)
                        if (!memcmp(env.sigs[i].key_id, env.sigs[j].key_id, PG_KEY_ID_SIZE))
                                return PG_ERR_MANIFEST_DUPLICATE_KEY_ID;

        *out = env;
        return PG_OK;
}

pg_err pg_keyring_check(const struct pg_keyring *ring)
{
        uint8_t id[PG_SHA256_DIGEST_SIZE];

        if (!ring || ring->count == 0 || !ring->keys)
                return PG_ERR_MANIFEST_KEYRING_EMPTY;
        if (ring->count > PG_KEYRING_MAX_KEYS)
                return PG_ERR_MANIFEST_KEYRING_TOO_LARGE;
        for (uint32_t i = 0; i < ring->count; i++) {
                const struct pg_keyring_key *k = &ring->keys[i];

                if (!pg_key_role_name(k->role) || !k->spki || k->spki_len == 0 ||
                    k->spki_len > PG_KEYRING_MAX_SPKI)
                        return PG_ERR_MANIFEST_KEYRING_BAD_KEY;
                pg_sha256(k->spki, k->spki_len, id);
                if (pg_memcmp_ct(id, k->key_id, sizeof(id)) != 0)
                        return PG_ERR_MANIFEST_KEYRING_BAD_KEY_ID;
        }
        return PG_OK;
}

static const struct pg_keyring_key *pg_keyring_find(const struct pg_keyring *ring,
                                                    const uint8_t key_id[PG_KEY_ID_SIZE])
{
        const struct pg_keyring_key *found = NULL;

        for (uint32_t i = 0; i < ring->count; i++)
                if (pg_memcmp_ct(ring->keys[i].key_id, key_id, PG_KEY_ID_SIZE) == 0 && !found)
                        found = &ring->keys[i];
        return found;
}

#ifdef PG_FUZZING
/*
 * Fuzz builds only: every signature by a key-ring key counts as valid, so the
 * fuzzer reaches the payload parser. The #error above keeps this out of the
 * EFI binary, and only the fuzz flavour defines PG_FUZZING.
 */
static pg_err pg_signature_check(const struct pg_keyring_key *key,
                                 const struct pg_manifest_signature *sig,
                                 const uint8_t digest[PG_SHA256_DIGEST_SIZE])
{
        return PG_OK;
}
#else
static pg_err pg_signature_check(const struct pg_keyring_key *key,
                                 const struct pg_manifest_signature *sig,
                                 const uint8_t digest[PG_SHA256_DIGEST_SIZE])
{
        struct pg_rsa_pubkey pub;
        pg_err err;

        if (pg_rsa_pubkey_from_spki(&pub, key->spki, key->spki_len) != PG_OK)
                return PG_ERR_MANIFEST_KEYRING_BAD_KEY;
        if (sig->sig_len != pub.len)
                return PG_ERR_MANIFEST_SIGNATURE_KEY_MISMATCH;
        if (sig->algorithm == PG_MANIFEST_ALG_RSA_PSS_SHA256)
                err = pg_rsa_verify_pss_sha256(&pub, digest, sig->sig, sig->sig_len,
                                               PG_MANIFEST_PSS_SALT_LEN);
        else
                err = pg_rsa_verify_pkcs1_sha256(&pub, digest, sig->sig, sig->sig_len);
        return err == PG_OK ? PG_OK : PG_ERR_MANIFEST_BAD_SIGNATURE;
}
#endif

pg_err pg_manifest_verify(const struct pg_keyring *ring, const uint8_t *buf, size_t len,
                          struct pg_manifest_verified *out)
{
        struct pg_manifest_envelope env;
        uint8_t digest[PG_SHA256_DIGEST_SIZE];
        pg_err err, first_failure = PG_ERR_MANIFEST_UNTRUSTED_KEY;

        err = pg_keyring_check(ring);
        if (err)
                return err;
        err = pg_manifest_envelope_parse(buf, len, &env);
        if (err)
                return err;

        pg_sha256(env.payload, env.payload_len, digest);
        for (uint32_t i = 0; i < env.sig_count; i++) {
                const struct pg_keyring_key *key = pg_keyring_find(ring, env.sigs[i].key_id);

                if (!key)
                        continue;
                err = pg_signature_check(key, &env.sigs[i], digest);
                if (err == PG_OK) {
                        out->payload = env.payload;
                        out->payload_len = env.payload_len;
                        out->sig_index = i;
                        out->algorithm = env.sigs[i].algorithm;
                        out->role = key->role;
                        memcpy(out->key_id, key->key_id, PG_KEY_ID_SIZE);
                        return PG_OK;
                }
                if (first_failure == PG_ERR_MANIFEST_UNTRUSTED_KEY)
                        first_failure = err;
        }
        return first_failure;
}
