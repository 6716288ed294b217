/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate predict: the values the gates PCR holds after each of prodgate's
 * measurements, computed from the signed manifest (and the handoff blob,
 * for the later ones) without a device. docs/attestation.md explains what
 * can and cannot be predicted.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto/sha256.h"
#include "gates/decide.h"
#include "gates/handoff.h"
#include "gates/manifest.h"
#include "tools/commands.h"
#include "tools/fileio.h"
#include "tools/keys.h"
#include "tools/runtime_record.h"
#include "tools/xcheck.h"

static const char pg_predict_usage[] =
        "usage: prodgate predict --manifest FILE --trust PUB.pem[:ROLE]... [--handoff FILE]\n"
        "                        [--json]\n"
        "\n"
        "Prints the gates PCR values, per bank, after the manifest identity event that\n"
        "prodgate.efi measures for this manifest. With --handoff (the results blob of a\n"
        "boot, bare or as its efivarfs file) also after the pre-OS results event, and,\n"
        "when that blob passes every pre-OS objective, after the runtime record of a\n"
        "fully passing 'prodgate measure' (SHA-256 bank only).\n";

#define PG_PREDICT_BANKS 4
#define PG_RECORD_MAX 8192

struct pg_predict_bank {
        const char *name;               /* OpenSSL name and the output's */
        size_t size;
        uint8_t pcr[64];
};

struct pg_predict {
        struct pg_predict_bank banks[PG_PREDICT_BANKS];
        uint8_t identity[PG_PREDICT_BANKS][64];
        bool has_preos;
        uint8_t preos[PG_PREDICT_BANKS][64];
        bool has_runtime;
        uint8_t runtime[32];
        char record[PG_RECORD_MAX];
        const char *runtime_reason;        /* why there is no runtime value */
};

/* Extends one bank with the hash of a tagged event {tag, len, data}. */
static int pg_extend_tagged(struct pg_predict_bank *b, uint32_t tag, const uint8_t *data,
                            size_t len)
{
        const EVP_MD *md = EVP_get_digestbyname(b->name);
        uint8_t hdr[8], d[64];
        unsigned n = 0;
        EVP_MD_CTX *c = EVP_MD_CTX_new();
        int ok = md && c && (size_t)EVP_MD_get_size(md) == b->size;

        pg_store_le32(hdr, tag);
        pg_store_le32(hdr + 4, (uint32_t)len);
        ok = ok && EVP_DigestInit_ex(c, md, NULL) && EVP_DigestUpdate(c, hdr, 8) &&
             EVP_DigestUpdate(c, data, len) && EVP_DigestFinal_ex(c, d, &n);
        ok = ok && EVP_DigestInit_ex(c, md, NULL) && EVP_DigestUpdate(c, b->pcr, b->size) &&
             EVP_DigestUpdate(c, d, b->size) && EVP_DigestFinal_ex(c, b->pcr, &n);
        EVP_MD_CTX_free(c);
        return ok ? 0 : -1;
}

static int pg_extend_all(struct pg_predict *p, uint32_t tag, const uint8_t *data, size_t len,
                         uint8_t out[PG_PREDICT_BANKS][64])
{
        for (unsigned i = 0; i < PG_PREDICT_BANKS; i++) {
                if (pg_extend_tagged(&p->banks[i], tag, data, len) != 0)
                        return -1;
                memcpy(out[i], p->banks[i].pcr, p->banks[i].size);
        }
        return 0;
}

/* Computes the runtime value: every runtime objective passes, and the pre-OS
 * ones come from the blob, which must pass them all. */
static void pg_predict_runtime(struct pg_predict *p, const struct pg_manifest *m,
                               const struct pg_handoff *h, const uint8_t digest[32])
{
        struct pg_decide_input in = { 0 };
        struct pg_decide_output out;
        struct pg_sha256_ctx c;
        uint8_t d[32];
        size_t len;

        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                in.requirement[g - 1] = m->policy.gates[g - 1].requirement;
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                        const struct pg_handoff_result *r = &h->gates[g - 1].objectives[o];

                        if ((g <= 2 || pg_decide_pre_os_objective(g, o)) &&
                            r->outcome != PG_OUTCOME_PASS) {
                                p->runtime_reason = "the handoff blob does not pass every pre-OS "
                                                 "objective";
                                return;
                        }
                        in.objectives[g - 1][o] = (struct pg_result){ PG_OUTCOME_PASS, PG_OK };
                }
        }
        in.production_readiness = m->policy.production_readiness;
        in.ota_eligibility = m->policy.ota_eligibility;
        pg_decide(&in, &out);
        len = pg_runtime_record_write(digest, "verified", 0, &out, p->record, sizeof(p->record));
        if (len == 0) {
                p->runtime_reason = "the record does not fit";
                return;
        }
        pg_sha256_init(&c);
        pg_store_le32(d, PG_TAG_RUNTIME_RESULTS);
        pg_store_le32(d + 4, (uint32_t)len);
        pg_sha256_update(&c, d, 8);
        pg_sha256_update(&c, p->record, len);
        pg_sha256_final(&c, d);
        pg_sha256_init(&c);
        pg_sha256_update(&c, p->preos[1], 32);
        pg_sha256_update(&c, d, 32);
        pg_sha256_final(&c, p->runtime);
        p->has_runtime = true;
}

/* Reads a bare blob or an efivarfs file (4 bytes of attributes first). */
static int pg_read_blob(const char *path, uint8_t **buf, size_t *len, const uint8_t **blob,
                        size_t *blob_len)
{
        static const uint8_t magic[4] = { 0xd0, 0x0d, 0xfe, 0xed };

        if (pg_file_read(path, PG_HANDOFF_MAX_SIZE + 4, buf, len) != 0) {
                fprintf(stderr, "prodgate: cannot read %s: %s\n", path, strerror(errno));
                return -1;
        }
        *blob = *buf;
        *blob_len = *len;
        if (*len >= 8 && memcmp(*buf, magic, 4) != 0 && memcmp(*buf + 4, magic, 4) == 0) {
                *blob += 4;
                *blob_len -= 4;
        }
        return 0;
}

static void pg_print_bank_values(const struct pg_predict *p, uint8_t v[PG_PREDICT_BANKS][64],
                                 bool json)
{
        char hex[129];

        for (unsigned i = 0; i < PG_PREDICT_BANKS; i++) {
                pg_hex(hex, v[i], p->banks[i].size);
                if (json)
                        printf("%s\"%s\":\"%s\"", i ? "," : "{", p->banks[i].name, hex);
                else
                        printf("  %-7s %s\n", p->banks[i].name, hex);
        }
        if (json)
                putchar('}');
}

static void pg_predict_print(const struct pg_predict *p, const struct pg_manifest *m, bool json)
{
        char hex[65];

        if (json) {
                printf("{\"pcr\":%u,\"identity\":", m->policy.gates_pcr);
                pg_print_bank_values(p, (uint8_t(*)[64])p->identity, true);
                printf(",\"pre_os\":");
                if (p->has_preos)
                        pg_print_bank_values(p, (uint8_t(*)[64])p->preos, true);
                else
                        printf("null");
                printf(",\"runtime\":");
                if (p->has_runtime) {
                        pg_hex(hex, p->runtime, 32);
                        printf("{\"sha256\":\"%s\",\"record\":%s}", hex, p->record);
                } else {
                        printf("null");
                }
                printf(",\"runtime_reason\":");
                if (p->runtime_reason)
                        printf("\"%s\"", p->runtime_reason);
                else
                        printf("null");
                printf("}\n");
                return;
        }
        printf("gates PCR %u after the manifest identity event:\n", m->policy.gates_pcr);
        pg_print_bank_values(p, (uint8_t(*)[64])p->identity, false);
        if (p->has_preos) {
                printf("after the pre-OS results event:\n");
                pg_print_bank_values(p, (uint8_t(*)[64])p->preos, false);
        }
        if (p->has_runtime) {
                pg_hex(hex, p->runtime, 32);
                printf("after a fully passing runtime measurement (sha256 bank only):\n"
                       "  sha256  %s\n", hex);
        } else if (p->runtime_reason) {
                printf("no runtime value: %s\n", p->runtime_reason);
        }
}

/* Computes every value that the inputs determine. Returns an exit status. */
static int pg_predict_compute(struct pg_predict *p, const struct pg_manifest_verified *v,
                              const struct pg_manifest *m, const char *handoff)
{
        uint8_t id[72], digest[32];
        uint8_t *buf = NULL;
        const uint8_t *blob;
        size_t len, blob_len;
        struct pg_handoff *h;
        pg_err err;
        int rc = PG_EXIT_OK;

        pg_sha256(v->payload, v->payload_len, digest);
        memcpy(id, digest, 32);
        memcpy(id + 32, v->key_id, 32);
        pg_store_le32(id + 64, m->identity.security_version);
        pg_store_le32(id + 68, PG_OK);
        if (pg_extend_all(p, PG_TAG_MANIFEST_IDENTITY, id, sizeof(id), p->identity) != 0)
                return PG_EXIT_ERROR;
        p->runtime_reason = "the pre-OS results are needed: give --handoff";
        if (!handoff)
                return PG_EXIT_OK;
        if (pg_read_blob(handoff, &buf, &len, &blob, &blob_len) != 0)
                return PG_EXIT_ERROR;
        h = calloc(1, sizeof(*h));
        err = h ? pg_handoff_read(blob, blob_len, h) : PG_ERR_VERIFY_INTERNAL;
        if (err == PG_OK && (!h->has_manifest || memcmp(h->manifest.digest, digest, 32) != 0 ||
                             h->pcr != m->policy.gates_pcr))
                err = PG_ERR_VERIFY_PREOS_MANIFEST;
        if (err != PG_OK) {
                fprintf(stderr, "prodgate: %s: %s: %s\n", handoff, pg_err_name(err),
                        pg_err_text(err));
                rc = PG_EXIT_FAIL;
        } else if (pg_extend_all(p, PG_TAG_PREOS_RESULTS, blob, blob_len, p->preos) != 0) {
                rc = PG_EXIT_ERROR;
        } else {
                p->has_preos = true;
                p->runtime_reason = NULL;
                pg_predict_runtime(p, m, h, digest);
        }
        free(h);
        free(buf);
        return rc;
}

int cmd_predict(int argc, char **argv)
{
        static const struct option opts[] = {
                { "manifest", required_argument, NULL, 'm' },
                { "trust", required_argument, NULL, 't' },
                { "handoff", required_argument, NULL, 'H' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        struct pg_predict p = { .banks = { { "sha1", 20, { 0 } }, { "sha256", 32, { 0 } },
                                           { "sha384", 48, { 0 } }, { "sha512", 64, { 0 } } } };
        struct pg_tool_keyring kr = { 0 };
        const char *manifest = NULL, *handoff = NULL;
        struct pg_manifest_verified v;
        struct pg_manifest *m = NULL;
        uint8_t *buf = NULL;
        size_t len;
        bool json = false;
        int opt, rc = PG_EXIT_OK;
        pg_err err;

        optind = 0;
        while (rc == PG_EXIT_OK && (opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
                if (opt == 'm')
                        manifest = optarg;
                else if (opt == 'H')
                        handoff = optarg;
                else if (opt == 'j')
                        json = true;
                else if (opt == 'h')
                        return fputs(pg_predict_usage, stdout), PG_EXIT_OK;
                else if (opt != 't' || pg_trust_add(&kr, optarg) != 0)
                        rc = PG_EXIT_USAGE;
        }
        if (rc == PG_EXIT_OK && (optind != argc || !manifest || kr.ring.count == 0)) {
                fputs(pg_predict_usage, stderr);
                rc = PG_EXIT_USAGE;
        }
        if (rc == PG_EXIT_OK && (pg_file_read(manifest, PG_MANIFEST_MAX_SIZE, &buf, &len) != 0 ||
                                 !(m = calloc(1, sizeof(*m))))) {
                fprintf(stderr, "prodgate: cannot read %s: %s\n", manifest, strerror(errno));
                rc = PG_EXIT_ERROR;
        }
        if (rc == PG_EXIT_OK && (err = pg_manifest_load(&kr.ring, buf, len, &v, m)) != PG_OK) {
                fprintf(stderr, "prodgate: %s: %s: %s\n", manifest, pg_err_name(err),
                        pg_err_text(err));
                rc = PG_EXIT_FAIL;
        }
        if (rc == PG_EXIT_OK)
                rc = pg_predict_compute(&p, &v, m, handoff);
        if (rc == PG_EXIT_OK)
                pg_predict_print(&p, m, json);
        free(m);
        free(buf);
        pg_trust_free(&kr);
        return rc;
}
