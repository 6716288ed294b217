/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The signed release manifest: a binary envelope holding RSA signatures over
 * a flattened device tree (FDT) payload. docs/manifest.md describes the
 * envelope byte by byte and the payload schema.
 *
 * Use in three steps, or all at once with pg_manifest_load():
 *   1. pg_manifest_verify() checks the envelope and finds a signature by a
 *      trusted key over the payload. Nothing in the payload is read before.
 *   2. pg_manifest_parse() validates the whole FDT structure and the schema
 *      and fills a fixed-size struct whose strings point into the payload.
 *   3. pg_manifest_check_signer() applies the key role rules.
 * The payload must stay in memory, unchanged, while the parsed struct is used.
 */
#ifndef PG_GATES_MANIFEST_H
#define PG_GATES_MANIFEST_H

#include "pg/err.h"
#include "gates/fdt_strict.h"
#include "gates/keyring.h"
#include "gates/model.h"

/* ---- envelope --------------------------------------------------------- */

#define PG_MANIFEST_MAX_SIZE 65536
#define PG_MANIFEST_MAGIC "PGMF"
#define PG_MANIFEST_ENVELOPE_VERSION 1
#define PG_MANIFEST_HEADER_SIZE 32
#define PG_MANIFEST_RECORD_SIZE 48
#define PG_MANIFEST_MAX_SIGNATURES 4
#define PG_MANIFEST_MIN_SIG_BYTES 256
#define PG_MANIFEST_MAX_SIG_BYTES 512
#define PG_MANIFEST_PSS_SALT_LEN 32

/* Offsets of the header fields (all integers little-endian). */
#define PG_MANIFEST_OFF_MAGIC 0
#define PG_MANIFEST_OFF_VERSION 4
#define PG_MANIFEST_OFF_HEADER_LEN 6
#define PG_MANIFEST_OFF_TOTAL_LEN 8
#define PG_MANIFEST_OFF_PAYLOAD_OFF 12
#define PG_MANIFEST_OFF_PAYLOAD_LEN 16
#define PG_MANIFEST_OFF_SIG_COUNT 20
#define PG_MANIFEST_OFF_RESERVED 22

/* Offsets inside a signature record. */
#define PG_MANIFEST_REC_ALGORITHM 0
#define PG_MANIFEST_REC_RESERVED0 2
#define PG_MANIFEST_REC_SIG_OFF 4
#define PG_MANIFEST_REC_SIG_LEN 8
#define PG_MANIFEST_REC_RESERVED1 12
#define PG_MANIFEST_REC_KEY_ID 16

enum pg_manifest_sig_alg {
        PG_MANIFEST_ALG_RSA_PKCS1_SHA256 = 1,
        PG_MANIFEST_ALG_RSA_PSS_SHA256 = 2,     /* MGF1-SHA-256, salt of 32 bytes */
};

struct pg_manifest_signature {
        uint32_t algorithm;                     /* enum pg_manifest_sig_alg */
        uint8_t key_id[PG_KEY_ID_SIZE];
        const uint8_t *sig;                     /* inside the envelope buffer */
        uint32_t sig_len;
};

/* An envelope whose layout has been checked; no signature is verified yet. */
struct pg_manifest_envelope {
        uint16_t version;
        uint32_t total_len;
        const uint8_t *payload;
        uint32_t payload_len;
        uint32_t sig_count;
        struct pg_manifest_signature sigs[PG_MANIFEST_MAX_SIGNATURES];
};

/* The outcome of a successful pg_manifest_verify(). */
struct pg_manifest_verified {
        const uint8_t *payload;
        size_t payload_len;
        uint32_t sig_index;                     /* record that verified */
        uint32_t algorithm;
        uint32_t role;                          /* enum pg_key_role of the key */
        uint8_t key_id[PG_KEY_ID_SIZE];
};

/* Returns "rsa-pkcs1-sha256" or "rsa-pss-sha256", or NULL. */
const char *pg_manifest_alg_name(uint32_t algorithm);

/*
 * Checks the envelope layout (sizes, offsets, counts, reserved fields)
 * without any cryptography. Writes *out only on success.
 */
pg_err pg_manifest_envelope_parse(const uint8_t *buf, size_t len,
                                  struct pg_manifest_envelope *out);

/*
 * Checks the key ring itself: 1..PG_KEYRING_MAX_KEYS keys, known roles, SPKI
 * sizes within the cap and key ids equal to the SHA-256 of the SPKI.
 */
pg_err pg_keyring_check(const struct pg_keyring *ring);

/*
 * Checks the envelope and verifies the signatures by trusted keys over the
 * payload bytes; succeeds when any one of them verifies. Signatures by keys
 * outside the ring are skipped. Writes *out only on success.
 */
pg_err pg_manifest_verify(const struct pg_keyring *ring, const uint8_t *buf, size_t len,
                          struct pg_manifest_verified *out);

/*
 * Writes an envelope around a payload and count signatures, in that record
 * order, into out[0..cap). Checks counts, algorithms, signature lengths and
 * the size cap, but verifies nothing. Writes *out_len only on success.
 */
pg_err pg_manifest_envelope_write(const uint8_t *payload, size_t payload_len,
                                  const struct pg_manifest_signature *sigs, size_t count,
                                  uint8_t *out, size_t cap, size_t *out_len);

/* ---- payload ---------------------------------------------------------- */

#define PG_MANIFEST_FORMAT_MAJOR 1
#define PG_MANIFEST_FORMAT_MINOR 0

/* Structural caps of the FDT payload. The root node has depth 0. */
#define PG_MANIFEST_MAX_DEPTH 6
#define PG_MANIFEST_MAX_PROPERTIES 32
#define PG_MANIFEST_MAX_SUBNODES 64
#define PG_MANIFEST_MAX_NAME 31

/* Schema caps. */
#define PG_MANIFEST_MAX_ARTIFACTS 8
#define PG_MANIFEST_MAX_CHECKS 64
#define PG_MANIFEST_MAX_EVENT_DIGESTS 32
#define PG_MANIFEST_MAX_PARAMETERS 16
#define PG_MANIFEST_PCR_COUNT 8
#define PG_MANIFEST_DEFAULT_GATES_PCR 13

enum pg_build_type {
        PG_BUILD_PRODUCTION = 1,
        PG_BUILD_DEVELOPMENT = 2,
        PG_BUILD_ENGINEERING = 3,
};

/* A boot-chain expectation: a required state, or none. */
enum pg_expectation {
        PG_EXPECT_ANY = 0,
        PG_EXPECT_ON = 1,
        PG_EXPECT_OFF = 2,
};

/* The EFI stage's action when a pre-OS gate fails. */
enum pg_enforcement {
        PG_ENFORCE_NONE = 0,    /* runtime-only gate: nothing to enforce before the OS */
        PG_ENFORCE_ENFORCE = 1, /* stop, or start the recovery stage */
        PG_ENFORCE_AUDIT = 2,   /* report and measure, then boot anyway */
};

enum pg_check_severity {
        PG_SEVERITY_FAIL = 1,
        PG_SEVERITY_DEGRADED = 2,
};

struct pg_manifest_stage {
        bool present;
        const char *path;               /* ESP path, backslash separated */
        uint8_t sha256[32];
        const char *cmdline;            /* "" when the property is absent */
        bool has_initrd;                /* initrd and initrd-sha256 are both present */
        const char *initrd;             /* ESP path of the initrd, or NULL */
        uint8_t initrd_sha256[32];
};

struct pg_manifest_pcr {
        bool has_value;
        uint8_t value[32];              /* expected final SHA-256 PCR value */
        uint32_t event_digest_count;
        const uint8_t *event_digests;   /* event_digest_count * 32 bytes, in the payload */
};

struct pg_manifest_artifact {
        const char *name;
        uint8_t sha256[32];
};

struct pg_manifest_gate_policy {
        uint8_t requirement;            /* enum pg_requirement */
        uint8_t enforcement;            /* enum pg_enforcement */
};

struct pg_manifest {
        const uint8_t *payload;
        size_t payload_len;
        struct pg_fdt fdt;                      /* the validated payload tree */
        uint32_t format_major;
        uint32_t format_minor;

        struct {
                const char *product;
                const char *version;
                const char *build_id;
                uint32_t security_version;
                uint32_t minimum_security_version;
                uint32_t build_type;            /* enum pg_build_type */
                const char *channel;
        } identity;

        struct {
                bool present;
                const char *builder_id;
                const char *source_repository;
                const char *source_revision;
                uint64_t build_time;            /* seconds since 1970-01-01 UTC */
                uint32_t artifact_count;
                struct pg_manifest_artifact artifacts[PG_MANIFEST_MAX_ARTIFACTS];
        } provenance;

        struct {
                struct pg_manifest_stage next;
                struct pg_manifest_stage recovery;
                uint8_t secure_boot;            /* enum pg_expectation */
                uint8_t setup_mode;             /* enum pg_expectation */
                uint8_t pcr_mask;               /* bit i set: pcrs[i] is pinned */
                struct pg_manifest_pcr pcrs[PG_MANIFEST_PCR_COUNT];
        } boot;

        struct {
                uint32_t gates_pcr;
                uint32_t nv_index;              /* anti-rollback NV index handle */
                struct pg_manifest_gate_policy gates[PG_GATE_COUNT];    /* index gate - 1 */
                uint16_t production_readiness;  /* bit g set: gate g required */
                uint16_t ota_eligibility;       /* bit g set: gate g required */
        } policy;

        uint32_t check_count;
        int checks_node;                        /* node handle of /runtime-checks, or -1 */
};

/* One runtime check, as the iterator returns it. Strings point into the payload. */
struct pg_manifest_check {
        const char *id;                 /* the node name */
        uint32_t gate;                  /* enum pg_gate */
        uint32_t objective;             /* 0..2, see pg_objective_name() */
        const char *kind;
        const char *parameters;         /* parameter_count NUL-terminated strings, back to back */
        uint32_t parameters_len;
        uint32_t parameter_count;
        uint32_t severity;              /* enum pg_check_severity */
        const char *remediation;
};

struct pg_manifest_check_iter {
        const struct pg_manifest *manifest;
        int node;
};

/*
 * Receives every schema error with the path of the node it concerns ("/" for
 * the root). name is the property or subnode at fault, or NULL when the error
 * concerns the node itself. Both strings live only during the call.
 */
typedef void (*pg_manifest_diag_fn)(void *ctx, pg_err err, const char *path, const char *name);

/*
 * Validates the FDT structure and the schema of a payload and fills *out.
 * Returns the first error; writes *out only on success.
 */
pg_err pg_manifest_parse(const uint8_t *payload, size_t len, struct pg_manifest *out);

/*
 * Like pg_manifest_parse() without output, but goes on after a schema error
 * and reports every one to diag (which may be NULL). An error in the FDT
 * structure stops the walk; it is reported with the path "/" and no name.
 * Returns the first error.
 */
pg_err pg_manifest_check_schema(const uint8_t *payload, size_t len,
                                pg_manifest_diag_fn diag, void *ctx);

/*
 * Applies the key role rules: a release key requires /provenance, and a
 * development key may not sign build type "production".
 */
pg_err pg_manifest_check_signer(const struct pg_manifest *m, uint32_t role);

/*
 * Verifies, parses and checks the signer in one call. Writes *verified and
 * *out only on success.
 */
pg_err pg_manifest_load(const struct pg_keyring *ring, const uint8_t *buf, size_t len,
                        struct pg_manifest_verified *verified, struct pg_manifest *out);

/* Starts an iteration over the runtime checks, in payload order. */
void pg_manifest_checks_begin(const struct pg_manifest *m, struct pg_manifest_check_iter *it);

/* Fills *out with the next runtime check; returns false after the last. */
bool pg_manifest_checks_next(struct pg_manifest_check_iter *it, struct pg_manifest_check *out);

/* Returns the manifest name of a gate ("build-integrity"), or NULL. */
const char *pg_manifest_gate_key(unsigned gate);

/* Returns "production", "development" or "engineering", or NULL. */
const char *pg_build_type_name(uint32_t type);

#endif
