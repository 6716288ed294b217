/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate manifest show: prints a manifest's envelope, signatures and
 * payload as indented text or as JSON. One walk over the parsed manifest
 * feeds a small emitter that writes either format.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/sha256.h"
#include "gates/manifest.h"
#include "tools/commands.h"
#include "tools/fileio.h"
#include "tools/manifest_tool.h"
#include "tools/json.h"

#define PG_OUT_MAX_DEPTH 16

struct pg_out {
        bool json;
        bool dash_pending;      /* text: "- " of an array element already printed */
        int depth;
        bool in_array[PG_OUT_MAX_DEPTH];
        bool has_items[PG_OUT_MAX_DEPTH];
};

/*
 * Starts an item: a key in an object, or an element (key NULL) in an array.
 * Text output is YAML-like: "key: value", "key:" before a container, and
 * "- " before each array element.
 */
static void pg_out_key(struct pg_out *o, const char *key, bool container)
{
        if (o->json) {
                if (o->has_items[o->depth])
                        putchar(',');
                if (o->depth > 0)
                        printf("\n%*s", 2 * o->depth, "");
                if (key) {
                        pg_json_string(key);
                        printf(": ");
                }
        } else {
                if (!o->dash_pending)
                        printf("%*s", 2 * o->depth, "");
                o->dash_pending = false;
                if (key)
                        printf("%s:%s", key, container ? "\n" : " ");
                else
                        printf("- ");
                o->dash_pending = !key && container;
        }
        o->has_items[o->depth] = true;
}

static void pg_out_open(struct pg_out *o, const char *key, bool array)
{
        pg_out_key(o, key, true);
        if (o->json)
                putchar(array ? '[' : '{');
        if (o->depth + 1 < PG_OUT_MAX_DEPTH)
                o->depth++;
        o->in_array[o->depth] = array;
        o->has_items[o->depth] = false;
}

static void pg_out_close(struct pg_out *o)
{
        bool array = o->in_array[o->depth];
        bool items = o->has_items[o->depth];

        if (o->depth > 0)
                o->depth--;
        if (o->json) {
                if (items)
                        printf("\n%*s", 2 * o->depth, "");
                putchar(array ? ']' : '}');
        }
}

static void pg_out_str(struct pg_out *o, const char *key, const char *value)
{
        pg_out_key(o, key, false);
        if (!value)
                fputs(o->json ? "null" : "(none)", stdout);
        else if (o->json)
                pg_json_string(value);
        else
                fputs(value, stdout);
        if (!o->json)
                putchar('\n');
}

static void pg_out_uint(struct pg_out *o, const char *key, uint64_t value)
{
        pg_out_key(o, key, false);
        printf("%" PRIu64 "%s", value, o->json ? "" : "\n");
}

static void pg_out_hex(struct pg_out *o, const char *key, const uint8_t *data, size_t len)
{
        char *hex = malloc(2 * len + 1);

        if (!hex)
                abort();
        pg_hex(hex, data, len);
        pg_out_str(o, key, hex);
        free(hex);
}

/* ---- sections --------------------------------------------------------- */

static void pg_show_envelope(struct pg_out *o, const struct pg_manifest_envelope *env)
{
        uint8_t digest[PG_SHA256_DIGEST_SIZE];

        pg_out_uint(o, "size", env->total_len);
        pg_out_uint(o, "envelope-version", env->version);
        pg_out_open(o, "signatures", true);
        for (uint32_t i = 0; i < env->sig_count; i++) {
                pg_out_open(o, NULL, false);
                pg_out_uint(o, "index", i);
                pg_out_str(o, "algorithm", pg_manifest_alg_name(env->sigs[i].algorithm));
                pg_out_uint(o, "length", env->sigs[i].sig_len);
                pg_out_hex(o, "key-id", env->sigs[i].key_id, PG_KEY_ID_SIZE);
                pg_out_close(o);
        }
        pg_out_close(o);
        pg_sha256(env->payload, env->payload_len, digest);
        pg_out_uint(o, "payload-size", env->payload_len);
        pg_out_hex(o, "payload-sha256", digest, sizeof(digest));
}

static void pg_show_identity(struct pg_out *o, const struct pg_manifest *m)
{
        pg_out_open(o, "identity", false);
        pg_out_str(o, "product", m->identity.product);
        pg_out_str(o, "version", m->identity.version);
        pg_out_str(o, "build-id", m->identity.build_id);
        pg_out_uint(o, "security-version", m->identity.security_version);
        pg_out_uint(o, "minimum-security-version", m->identity.minimum_security_version);
        pg_out_str(o, "build-type", pg_build_type_name(m->identity.build_type));
        pg_out_str(o, "channel", m->identity.channel);
        pg_out_close(o);
}

static void pg_show_provenance(struct pg_out *o, const struct pg_manifest *m)
{
        if (!m->provenance.present) {
                pg_out_str(o, "provenance", NULL);
                return;
        }
        pg_out_open(o, "provenance", false);
        pg_out_str(o, "builder-id", m->provenance.builder_id);
        pg_out_str(o, "source-repository", m->provenance.source_repository);
        pg_out_str(o, "source-revision", m->provenance.source_revision);
        pg_out_uint(o, "build-time", m->provenance.build_time);
        pg_out_open(o, "artifacts", true);
        for (uint32_t i = 0; i < m->provenance.artifact_count; i++) {
                pg_out_open(o, NULL, false);
                pg_out_str(o, "name", m->provenance.artifacts[i].name);
                pg_out_hex(o, "sha256", m->provenance.artifacts[i].sha256, 32);
                pg_out_close(o);
        }
        pg_out_close(o);
        pg_out_close(o);
}

static void pg_show_stage(struct pg_out *o, const char *key, const struct pg_manifest_stage *s)
{
        if (!s->present) {
                pg_out_str(o, key, NULL);
                return;
        }
        pg_out_open(o, key, false);
        pg_out_str(o, "path", s->path);
        pg_out_hex(o, "sha256", s->sha256, 32);
        pg_out_str(o, "cmdline", s->cmdline);
        if (s->has_initrd) {
                pg_out_str(o, "initrd", s->initrd);
                pg_out_hex(o, "initrd-sha256", s->initrd_sha256, 32);
        }
        pg_out_close(o);
}

static const char *pg_expectation_name(uint8_t e)
{
        if (e == PG_EXPECT_ON)
                return "on";
        if (e == PG_EXPECT_OFF)
                return "off";
        return "any";
}

static void pg_show_pcrs(struct pg_out *o, const struct pg_manifest *m)
{
        pg_out_open(o, "pcrs", true);
        for (unsigned i = 0; i < PG_MANIFEST_PCR_COUNT; i++) {
                const struct pg_manifest_pcr *p = &m->boot.pcrs[i];

                if (!(m->boot.pcr_mask & (1u << i)))
                        continue;
                pg_out_open(o, NULL, false);
                pg_out_uint(o, "pcr", i);
                if (p->has_value)
                        pg_out_hex(o, "sha256", p->value, 32);
                /* Absent means no pin on event digests; an empty list would
                 * read as "no event may extend this PCR". */
                if (p->event_digest_count > 0) {
                        pg_out_open(o, "event-digests", true);
                        for (uint32_t j = 0; j < p->event_digest_count; j++)
                                pg_out_hex(o, NULL, p->event_digests + 32 * (size_t)j, 32);
                        pg_out_close(o);
                }
                pg_out_close(o);
        }
        pg_out_close(o);
}

static void pg_show_boot(struct pg_out *o, const struct pg_manifest *m)
{
        pg_out_open(o, "boot", false);
        pg_show_stage(o, "next-stage", &m->boot.next);
        pg_show_stage(o, "recovery-stage", &m->boot.recovery);
        pg_out_open(o, "expectations", false);
        pg_out_str(o, "secure-boot", pg_expectation_name(m->boot.secure_boot));
        pg_out_str(o, "setup-mode", pg_expectation_name(m->boot.setup_mode));
        pg_out_close(o);
        pg_show_pcrs(o, m);
        pg_out_close(o);
}

static void pg_show_gate_list(struct pg_out *o, const char *key, uint16_t mask)
{
        pg_out_open(o, key, true);
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++)
                if (mask & (1u << g))
                        pg_out_str(o, NULL, pg_manifest_gate_key(g));
        pg_out_close(o);
}

static void pg_show_policy(struct pg_out *o, const struct pg_manifest *m)
{
        static const char *const requirement[] = { "required", "advisory", "not-applicable" };
        static const char *const enforcement[] = { NULL, "enforce", "audit" };
        char nv[16];

        pg_out_open(o, "policy", false);
        pg_out_uint(o, "gates-pcr", m->policy.gates_pcr);
        snprintf(nv, sizeof(nv), "0x%08" PRIx32, m->policy.nv_index);
        pg_out_str(o, "anti-rollback-nv-index", nv);
        pg_out_open(o, "gates", false);
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                const struct pg_manifest_gate_policy *p = &m->policy.gates[g - 1];

                pg_out_open(o, pg_manifest_gate_key(g), false);
                pg_out_str(o, "requirement", requirement[p->requirement % 3]);
                if (p->enforcement != PG_ENFORCE_NONE)
                        pg_out_str(o, "enforcement", enforcement[p->enforcement % 3]);
                pg_out_close(o);
        }
        pg_out_close(o);
        pg_show_gate_list(o, "production-readiness", m->policy.production_readiness);
        pg_show_gate_list(o, "ota-eligibility", m->policy.ota_eligibility);
        pg_out_close(o);
}

static void pg_show_check(struct pg_out *o, const struct pg_manifest_check *c)
{
        pg_out_open(o, NULL, false);
        pg_out_str(o, "id", c->id);
        pg_out_str(o, "gate", pg_manifest_gate_key(c->gate));
        pg_out_uint(o, "objective", c->objective);
        pg_out_str(o, "objective-name", pg_objective_name(c->gate, c->objective));
        pg_out_str(o, "kind", c->kind);
        pg_out_open(o, "parameters", true);
        for (uint32_t pos = 0; pos < c->parameters_len;
             pos += (uint32_t)strlen(c->parameters + pos) + 1)
                pg_out_str(o, NULL, c->parameters + pos);
        pg_out_close(o);
        pg_out_str(o, "severity", c->severity == PG_SEVERITY_FAIL ? "fail" : "degraded");
        pg_out_str(o, "remediation", c->remediation);
        pg_out_close(o);
}

static void pg_show_payload(struct pg_out *o, const struct pg_manifest *m)
{
        struct pg_manifest_check_iter it;
        struct pg_manifest_check c;
        char version[24];

        snprintf(version, sizeof(version), "%" PRIu32 ".%" PRIu32, m->format_major,
                 m->format_minor);
        pg_out_str(o, "format-version", version);
        pg_show_identity(o, m);
        pg_show_provenance(o, m);
        pg_show_boot(o, m);
        pg_show_policy(o, m);
        pg_out_open(o, "runtime-checks", true);
        pg_manifest_checks_begin(m, &it);
        while (pg_manifest_checks_next(&it, &c))
                pg_show_check(o, &c);
        pg_out_close(o);
}

/* ---- command ---------------------------------------------------------- */

static const char pg_show_usage[] =
        "usage: prodgate manifest show [--json] [--trust PUB.pem[:ROLE]]... MANIFEST\n"
        "\n"
        "Prints the envelope, the signatures and the payload of MANIFEST. Without\n"
        "--trust nothing is verified and the output says \"unverified\"; with it the\n"
        "signatures and the key role rules are checked first, as 'prodgate manifest\n"
        "verify' does, and the command exits 1 when that fails.\n"
        "  --json          print one JSON object instead of text\n";

/*
 * Verifies when keys are given and prints the status. Returns the
 * verification result, or PG_OK without keys. parse_err is the result of
 * parsing the payload m. As in prodgate manifest verify and prodgate.efi, a
 * payload must also parse and pass the key role rules to count as verified.
 */
static pg_err pg_show_status(struct pg_out *o, const struct pg_keyring *ring,
                             const uint8_t *buf, size_t len, pg_err parse_err,
                             const struct pg_manifest *m)
{
        struct pg_manifest_verified v;
        pg_err err;

        if (ring->count == 0) {
                pg_out_str(o, "status", "unverified");
                return PG_OK;
        }
        err = pg_manifest_verify(ring, buf, len, &v);
        if (err == PG_OK)
                err = parse_err;
        if (err == PG_OK)
                err = pg_manifest_check_signer(m, v.role);
        if (err) {
                pg_out_str(o, "status", "verification-failed");
                pg_out_str(o, "error", pg_err_name(err));
                return err;
        }
        pg_out_str(o, "status", "verified");
        pg_out_open(o, "signer", false);
        pg_out_uint(o, "signature", v.sig_index);
        pg_out_hex(o, "key-id", v.key_id, PG_KEY_ID_SIZE);
        pg_out_str(o, "role", pg_key_role_name(v.role));
        pg_out_close(o);
        return PG_OK;
}

static int pg_show(const char *file, const uint8_t *buf, size_t len,
                   const struct pg_keyring *ring, bool json)
{
        struct pg_out o = { .json = json };
        struct pg_manifest_envelope env;
        struct pg_manifest m;
        pg_err err, verify_err;

        err = pg_manifest_envelope_parse(buf, len, &env);
        if (err) {
                pg_manifest_print_err(file, err);
                return PG_EXIT_FAIL;
        }
        err = pg_manifest_parse(env.payload, env.payload_len, &m);
        if (json)
                pg_out_open(&o, NULL, false);
        pg_out_str(&o, "file", file);
        verify_err = pg_show_status(&o, ring, buf, len, err, &m);
        pg_show_envelope(&o, &env);
        if (err == PG_OK) {
                pg_out_open(&o, "payload", false);
                pg_show_payload(&o, &m);
                pg_out_close(&o);
        } else {
                pg_out_str(&o, "payload", NULL);
        }
        if (json) {
                pg_out_close(&o);
                putchar('\n');
        }
        if (err) {
                struct pg_diag_ctx d = { file, 0 };

                pg_manifest_check_schema(env.payload, env.payload_len, pg_manifest_print_diag,
                                         &d);
                pg_manifest_print_err(file, err);
        }
        if (verify_err && verify_err != err)
                pg_manifest_print_err(file, verify_err);
        return err || verify_err ? PG_EXIT_FAIL : PG_EXIT_OK;
}

int pg_manifest_show(int argc, char **argv)
{
        struct pg_tool_keyring kr = { 0 };
        bool json = false;
        uint8_t *buf;
        size_t len;
        int rc;

        if (pg_manifest_parse_trust(argc, argv, pg_show_usage, &kr, &json) != 0) {
                pg_trust_free(&kr);
                return PG_EXIT_USAGE;
        }
        if (pg_manifest_read(argv[optind], &buf, &len) != 0) {
                pg_trust_free(&kr);
                return PG_EXIT_ERROR;
        }
        rc = pg_show(argv[optind], buf, len, &kr.ring, json);
        free(buf);
        pg_trust_free(&kr);
        return rc;
}
