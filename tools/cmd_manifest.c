/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate manifest sign|verify|show|extract: the signed release manifest.
 * Signing uses OpenSSL; every check, including the check of each signature
 * just made, goes through the same core code the EFI application runs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "crypto/sha256.h"
#include "gates/manifest.h"
#include "tools/commands.h"
#include "tools/fileio.h"
#include "tools/keys.h"
#include "tools/manifest_tool.h"

/* Input files larger than the envelope cap are still read, so the core
 * reports PG_ERR_MANIFEST_TOO_LARGE rather than the tool guessing. */
#define PG_TOOL_MAX_INPUT (16u << 20)

void pg_manifest_print_err(const char *file, pg_err err)
{
        const char *name = pg_err_name(err);
        const char *text = pg_err_text(err);

        fprintf(stderr, "prodgate: %s: %s: %s\n", file, name ? name : "PG_ERR_UNKNOWN",
                text ? text : "undefined error code");
}

/* Schema errors in the form "FILE: /boot/next-stage: missing property "sha256"". */
static const char *pg_schema_phrase(pg_err err)
{
        switch (err) {
        case PG_ERR_MANIFEST_MISSING_PROPERTY:
                return "missing property";
        case PG_ERR_MANIFEST_MISSING_NODE:
                return "missing node";
        case PG_ERR_MANIFEST_UNKNOWN_PROPERTY:
                return "unknown property";
        case PG_ERR_MANIFEST_UNKNOWN_NODE:
                return "unknown node";
        case PG_ERR_MANIFEST_BAD_PROPERTY_LENGTH:
                return "wrong length of property";
        case PG_ERR_MANIFEST_UNTERMINATED_STRING:
                return "unterminated string in property";
        case PG_ERR_MANIFEST_BAD_STRING:
                return "invalid string in property";
        case PG_ERR_MANIFEST_STRING_TOO_LONG:
                return "string too long in property";
        case PG_ERR_MANIFEST_BAD_ENUM_VALUE:
                return "invalid value of property";
        case PG_ERR_MANIFEST_VALUE_OUT_OF_RANGE:
                return "value out of range in property";
        case PG_ERR_MANIFEST_TOO_MANY_ENTRIES:
                return "too many entries at";
        case PG_ERR_MANIFEST_DUPLICATE_ENTRY:
                return "duplicate entry in property";
        case PG_ERR_MANIFEST_MIN_SVN_ABOVE_SVN:
                return "value above security-version in property";
        case PG_ERR_MANIFEST_UNSUPPORTED_FORMAT:
                return "unsupported major version in property";
        case PG_ERR_MANIFEST_FDT_BAD_NAME:
                return "unit address in entry name";
        }
        return NULL;
}

void pg_manifest_print_diag(void *ctx, pg_err err, const char *path, const char *name)
{
        struct pg_diag_ctx *d = ctx;
        const char *phrase = pg_schema_phrase(err);
        const char *sym = pg_err_name(err);

        d->count++;
        if (phrase && name)
                fprintf(stderr, "%s: %s: %s \"%s\" (%s)\n", d->file, path, phrase, name, sym);
        else
                fprintf(stderr, "%s: %s: %s (%s)\n", d->file, path, pg_err_text(err), sym);
}

int pg_manifest_read(const char *path, uint8_t **buf, size_t *len)
{
        if (pg_file_read(path, PG_TOOL_MAX_INPUT, buf, len) != 0) {
                fprintf(stderr, "prodgate: cannot read %s: %s\n", path, strerror(errno));
                return -1;
        }
        return 0;
}

/* ---- sign ------------------------------------------------------------- */

/* Runs dtc on a .dts file and collects the .dtb from its standard output. */
static int pg_run_dtc(const char *path, uint8_t **dtb, size_t *len)
{
        size_t cap = PG_MANIFEST_MAX_SIZE + 1, used = 0;
        uint8_t *buf = malloc(cap);
        int fds[2], status = 0;
        bool read_failed = false;
        pid_t pid;
        ssize_t n;

        if (!buf || pipe(fds) != 0) {
                fprintf(stderr, "prodgate: cannot start dtc: %s\n", strerror(errno));
                free(buf);
                return -1;
        }
        pid = fork();
        if (pid == 0) {
                dup2(fds[1], STDOUT_FILENO);
                close(fds[0]);
                close(fds[1]);
                execlp("dtc", "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "-", path, (char *)NULL);
                fprintf(stderr, "prodgate: cannot run dtc: %s\n", strerror(errno));
                _exit(127);
        }
        close(fds[1]);
        while (pid > 0 && used < cap) {
                n = read(fds[0], buf + used, cap - used);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        read_failed = n < 0;
                        break;
                }
                used += (size_t)n;
        }
        /* Closing the pipe early makes dtc exit on SIGPIPE when its output
         * is over the cap; that case is reported as too large below. */
        close(fds[0]);
        if (pid < 0 || waitpid(pid, &status, 0) < 0) {
                fprintf(stderr, "prodgate: cannot run dtc: %s\n", strerror(errno));
                free(buf);
                return -1;
        }
        if (used == cap) {
                fprintf(stderr, "prodgate: %s compiles to more than %d bytes\n", path,
                        PG_MANIFEST_MAX_SIZE);
                free(buf);
                return -1;
        }
        if (read_failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "prodgate: dtc failed to compile %s\n", path);
                free(buf);
                return -1;
        }
        *dtb = buf;
        *len = used;
        return 0;
}

static bool pg_has_suffix(const char *s, const char *suffix)
{
        size_t n = strlen(s), m = strlen(suffix);

        return n >= m && !strcmp(s + n - m, suffix);
}

/* Loads a payload: a .dts through dtc, any other file as it is. */
static int pg_load_payload(const char *path, uint8_t **payload, size_t *len)
{
        if (pg_has_suffix(path, ".dts"))
                return pg_run_dtc(path, payload, len);
        return pg_manifest_read(path, payload, len);
}

struct pg_signer {
        const char *key_path;           /* private key, or NULL */
        const char *sig_path;           /* detached signature, or NULL */
        const char *pub_path;           /* public key of the detached signature */
        uint8_t *spki;
        size_t spki_len;
        uint8_t sig[PG_MANIFEST_MAX_SIG_BYTES];
        size_t sig_len;
};

static int pg_signer_sign(struct pg_signer *s, bool pss, const uint8_t *payload, size_t len)
{
        EVP_PKEY *key = pg_key_load_private(s->key_path);
        int rc;

        if (!key)
                return -1;
        rc = pg_key_spki(key, &s->spki, &s->spki_len);
        if (rc == 0)
                rc = pg_key_sign(key, pss, payload, len, s->sig, &s->sig_len);
        EVP_PKEY_free(key);
        return rc;
}

static int pg_signer_attach(struct pg_signer *s)
{
        uint8_t *sig;
        size_t len;

        if (pg_key_load_spki(s->pub_path, &s->spki, &s->spki_len) != 0)
                return -1;
        if (pg_manifest_read(s->sig_path, &sig, &len) != 0)
                return -1;
        if (len < PG_MANIFEST_MIN_SIG_BYTES || len > PG_MANIFEST_MAX_SIG_BYTES) {
                fprintf(stderr, "prodgate: %s: signature of %zu bytes; 256 to 512 are supported\n",
                        s->sig_path, len);
                free(sig);
                return -1;
        }
        memcpy(s->sig, sig, len);
        s->sig_len = len;
        free(sig);
        return 0;
}

/* Verifies each signature of a finished envelope through the core, with a
 * key ring holding only that signature's key. Returns 0 or PG_EXIT_FAIL. */
static int pg_check_signatures(const struct pg_signer *signers, size_t count,
                               const uint8_t *env, size_t env_len)
{
        for (size_t i = 0; i < count; i++) {
                struct pg_keyring_key key = {
                        .role = PG_KEY_ROLE_RELEASE,
                        .spki = signers[i].spki,
                        .spki_len = (uint32_t)signers[i].spki_len,
                };
                struct pg_keyring ring = { 1, &key };
                struct pg_manifest_verified v;
                pg_err err;

                pg_sha256(key.spki, key.spki_len, key.key_id);
                err = pg_manifest_verify(&ring, env, env_len, &v);
                if (err) {
                        fprintf(stderr, "prodgate: signature %zu (%s) does not verify\n", i,
                                signers[i].key_path ? signers[i].key_path : signers[i].sig_path);
                        pg_manifest_print_err(signers[i].key_path ? signers[i].key_path :
                                              signers[i].sig_path, err);
                        return PG_EXIT_FAIL;
                }
        }
        return PG_EXIT_OK;
}

/* Writes the signed manifest. Returns a PG_EXIT_* status. */
static int pg_assemble(struct pg_signer *signers, size_t count, bool pss,
                       const uint8_t *payload, size_t len, const char *out_path)
{
        struct pg_manifest_signature sigs[PG_MANIFEST_MAX_SIGNATURES];
        uint8_t *env = malloc(PG_MANIFEST_MAX_SIZE);
        size_t env_len;
        pg_err err;
        int rc;

        if (!env)
                return PG_EXIT_ERROR;
        for (size_t i = 0; i < count; i++) {
                sigs[i].algorithm = pss ? PG_MANIFEST_ALG_RSA_PSS_SHA256 :
                                    PG_MANIFEST_ALG_RSA_PKCS1_SHA256;
                pg_sha256(signers[i].spki, signers[i].spki_len, sigs[i].key_id);
                sigs[i].sig = signers[i].sig;
                sigs[i].sig_len = (uint32_t)signers[i].sig_len;
        }
        err = pg_manifest_envelope_write(payload, len, sigs, count, env, PG_MANIFEST_MAX_SIZE,
                                         &env_len);
        if (err) {
                pg_manifest_print_err(out_path, err);
                rc = PG_EXIT_FAIL;
        } else {
                rc = pg_check_signatures(signers, count, env, env_len);
        }
        if (rc == PG_EXIT_OK && pg_file_write(out_path, env, env_len) != 0) {
                fprintf(stderr, "prodgate: cannot write %s: %s\n", out_path, strerror(errno));
                rc = PG_EXIT_ERROR;
        }
        free(env);
        return rc;
}

/* Checks the payload against the schema, printing every error, and the role
 * rules when the signing role is given. */
static int pg_check_payload(const char *path, const uint8_t *payload, size_t len,
                            uint32_t role)
{
        struct pg_diag_ctx d = { path, 0 };
        struct pg_manifest m;
        pg_err err;

        if (pg_manifest_check_schema(payload, len, pg_manifest_print_diag, &d) != PG_OK) {
                fprintf(stderr, "prodgate: %s: %u schema error%s; nothing signed\n", path,
                        d.count, d.count == 1 ? "" : "s");
                return -1;
        }
        if (role == 0)
                return 0;
        err = pg_manifest_parse(payload, len, &m);
        if (err == PG_OK)
                err = pg_manifest_check_signer(&m, role);
        if (err) {
                pg_manifest_print_err(path, err);
                return -1;
        }
        return 0;
}

static const char pg_sign_usage[] =
        "usage: prodgate manifest sign [--key KEY.pem]... [--signature SIG --pubkey PUB.pem]...\n"
        "                              [--pss] [--role release|development]\n"
        "                              [--skip-schema-check] -o OUT PAYLOAD\n"
        "\n"
        "Checks PAYLOAD (a .dts file, compiled with dtc, or a .dtb) against the schema,\n"
        "signs it with each --key (RSA 2048-4096, SHA-256), adds each detached --signature\n"
        "made over the payload bytes by the key in the matching --pubkey, verifies every\n"
        "signature and writes the signed manifest to OUT (-o or --output; not one of\n"
        "the input files). Up to 4 signatures in total.\n"
        "  --pss           RSASSA-PSS (MGF1-SHA-256, 32-byte salt) instead of PKCS#1 v1.5,\n"
        "                  for every signature\n"
        "  --role ROLE     also check the key role rules for a key of that role\n"
        "  --skip-schema-check\n"
        "                  sign even when the payload fails the schema check, to make\n"
        "                  test fixtures; prodgate manifest verify still rejects them\n";

struct pg_sign_args {
        const char *keys[PG_MANIFEST_MAX_SIGNATURES];
        const char *sigs[PG_MANIFEST_MAX_SIGNATURES];
        const char *pubkeys[PG_MANIFEST_MAX_SIGNATURES];
        size_t key_count, sig_count, pubkey_count;
        bool pss;
        bool skip_check;
        uint32_t role;
        const char *out;
};

static int pg_sign_push(const char **list, size_t *count, const char *arg)
{
        if (*count == PG_MANIFEST_MAX_SIGNATURES) {
                fprintf(stderr, "prodgate: at most %d signatures per manifest\n",
                        PG_MANIFEST_MAX_SIGNATURES);
                return -1;
        }
        list[(*count)++] = arg;
        return 0;
}

static int pg_sign_parse(struct pg_sign_args *a, int argc, char **argv)
{
        static const struct option opts[] = {
                { "key", required_argument, NULL, 'k' },
                { "signature", required_argument, NULL, 's' },
                { "pubkey", required_argument, NULL, 'p' },
                { "pss", no_argument, NULL, 'P' },
                { "role", required_argument, NULL, 'r' },
                { "skip-schema-check", no_argument, NULL, 'S' },
                { "output", required_argument, NULL, 'o' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        int opt;

        optind = 0;
        while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
                switch (opt) {
                case 'k':
                        if (pg_sign_push(a->keys, &a->key_count, optarg) != 0)
                                return -1;
                        break;
                case 's':
                        if (pg_sign_push(a->sigs, &a->sig_count, optarg) != 0)
                                return -1;
                        break;
                case 'p':
                        if (pg_sign_push(a->pubkeys, &a->pubkey_count, optarg) != 0)
                                return -1;
                        break;
                case 'P':
                        a->pss = true;
                        break;
                case 'S':
                        a->skip_check = true;
                        break;
                case 'r':
                        a->role = !strcmp(optarg, "release") ? PG_KEY_ROLE_RELEASE :
                                  !strcmp(optarg, "development") ? PG_KEY_ROLE_DEVELOPMENT : 0;
                        if (!a->role) {
                                fprintf(stderr, "prodgate: --role must be release or development\n");
                                return -1;
                        }
                        break;
                case 'o':
                        a->out = optarg;
                        break;
                case 'h':
                        fputs(pg_sign_usage, stdout);
                        exit(PG_EXIT_OK);
                default:
                        return -1;
                }
        }
        return 0;
}

/* Lists the --key signers first, then each --signature with its --pubkey. */
static int pg_sign_signers(const struct pg_sign_args *a, struct pg_signer *signers,
                           size_t *count)
{
        if (a->sig_count != a->pubkey_count) {
                fprintf(stderr, "prodgate: each --signature needs one --pubkey\n");
                return -1;
        }
        if (a->key_count + a->sig_count > PG_MANIFEST_MAX_SIGNATURES) {
                fprintf(stderr, "prodgate: at most %d signatures per manifest\n",
                        PG_MANIFEST_MAX_SIGNATURES);
                return -1;
        }
        *count = 0;
        for (size_t i = 0; i < a->key_count; i++)
                signers[(*count)++].key_path = a->keys[i];
        for (size_t i = 0; i < a->sig_count; i++) {
                signers[*count].sig_path = a->sigs[i];
                signers[(*count)++].pub_path = a->pubkeys[i];
        }
        return 0;
}

/* Rejects an -o that names an input file (the payload source or a key),
 * because the rename would replace it. */
static bool pg_sign_output_clash(const struct pg_sign_args *a, const char *payload)
{
        const char *input = NULL;

        if (pg_file_same(a->out, payload))
                input = payload;
        for (size_t i = 0; !input && i < a->key_count; i++)
                if (pg_file_same(a->out, a->keys[i]))
                        input = a->keys[i];
        for (size_t i = 0; !input && i < a->sig_count; i++)
                if (pg_file_same(a->out, a->sigs[i]) || pg_file_same(a->out, a->pubkeys[i]))
                        input = pg_file_same(a->out, a->sigs[i]) ? a->sigs[i] : a->pubkeys[i];
        if (!input)
                return false;
        fprintf(stderr, "prodgate: -o %s names the input file %s; nothing written\n", a->out,
                input);
        return true;
}

/* Rejects two signers with the same key, which would give two records with
 * one key id. Prints both file names, then the core's error code. */
static int pg_sign_check_distinct(const struct pg_signer *signers, size_t count)
{
        for (size_t i = 0; i < count; i++) {
                for (size_t j = i + 1; j < count; j++) {
                        const char *a = signers[i].key_path ? signers[i].key_path :
                                        signers[i].pub_path;
                        const char *b = signers[j].key_path ? signers[j].key_path :
                                        signers[j].pub_path;

                        if (signers[i].spki_len != signers[j].spki_len ||
                            memcmp(signers[i].spki, signers[j].spki, signers[i].spki_len) != 0)
                                continue;
                        fprintf(stderr, "prodgate: %s and %s contain the same key; a manifest has "
                                "one signature per key\n", a, b);
                        pg_manifest_print_err(b, PG_ERR_MANIFEST_DUPLICATE_KEY_ID);
                        return PG_EXIT_FAIL;
                }
        }
        return PG_EXIT_OK;
}

static int pg_manifest_sign(int argc, char **argv)
{
        struct pg_sign_args a = { 0 };
        struct pg_signer signers[PG_MANIFEST_MAX_SIGNATURES] = { 0 };
        uint8_t *payload = NULL;
        size_t len = 0, count = 0;
        int rc = PG_EXIT_ERROR;

        if (pg_sign_parse(&a, argc, argv) != 0 || pg_sign_signers(&a, signers, &count) != 0)
                return PG_EXIT_USAGE;
        if (optind != argc - 1 || !a.out || count == 0) {
                fputs(pg_sign_usage, stderr);
                return PG_EXIT_USAGE;
        }
        if (pg_sign_output_clash(&a, argv[optind]))
                return PG_EXIT_USAGE;
        if (pg_load_payload(argv[optind], &payload, &len) != 0)
                return PG_EXIT_ERROR;
        if (!a.skip_check && pg_check_payload(argv[optind], payload, len, a.role) != 0) {
                rc = PG_EXIT_FAIL;
                goto out;
        }
        for (size_t i = 0; i < count; i++) {
                struct pg_signer *s = &signers[i];

                if (s->key_path ? pg_signer_sign(s, a.pss, payload, len) :
                                  pg_signer_attach(s))
                        goto out;
        }
        rc = pg_sign_check_distinct(signers, count);
        if (rc == PG_EXIT_OK)
                rc = pg_assemble(signers, count, a.pss, payload, len, a.out);
out:
        for (size_t i = 0; i < count; i++)
                OPENSSL_free(signers[i].spki);
        free(payload);
        return rc;
}

/* ---- verify ----------------------------------------------------------- */

static const char pg_verify_usage[] =
        "usage: prodgate manifest verify --trust PUB.pem[:ROLE] [--trust ...] MANIFEST\n"
        "\n"
        "Verifies MANIFEST against the trusted keys (ROLE is release, the default, or\n"
        "development), parses its payload and applies the key role rules. Exits 0 when\n"
        "the manifest is valid and 1 with the reason otherwise; 2 on a bad command line\n"
        "or an unusable --trust key, 3 when MANIFEST cannot be read.\n";

int pg_manifest_parse_trust(int argc, char **argv, const char *usage,
                            struct pg_tool_keyring *kr, bool *json)
{
        static const struct option opts[] = {
                { "trust", required_argument, NULL, 't' },
                { "json", no_argument, NULL, 'j' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        int opt;

        optind = 0;
        while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
                if (opt == 't' && pg_trust_add(kr, optarg) == 0)
                        continue;
                if (opt == 'j' && json) {
                        *json = true;
                        continue;
                }
                if (opt == 'h') {
                        fputs(usage, stdout);
                        exit(PG_EXIT_OK);
                }
                if (opt != 't')
                        fputs(usage, stderr);
                return -1;
        }
        if (optind != argc - 1) {
                fputs(usage, stderr);
                return -1;
        }
        return 0;
}

/* Prints every schema error of a payload whose parse failed. */
static void pg_report_payload(const char *file, const uint8_t *buf, size_t len,
                              const struct pg_keyring *ring)
{
        struct pg_manifest_verified v;
        struct pg_diag_ctx d = { file, 0 };

        if (pg_manifest_verify(ring, buf, len, &v) == PG_OK)
                pg_manifest_check_schema(v.payload, v.payload_len, pg_manifest_print_diag, &d);
}

static void pg_print_valid(const char *file, const struct pg_manifest_verified *v,
                           const struct pg_manifest *m)
{
        char id[2 * PG_KEY_ID_SIZE + 1];

        pg_hex(id, v->key_id, sizeof(v->key_id));
        printf("%s: valid\n", file);
        printf("  signed by:        %s (%s key, %s, signature %u)\n", id,
               pg_key_role_name(v->role), pg_manifest_alg_name(v->algorithm), v->sig_index);
        printf("  product:          %s %s (build %s)\n", m->identity.product,
               m->identity.version, m->identity.build_id);
        printf("  security version: %u (minimum %u)\n", m->identity.security_version,
               m->identity.minimum_security_version);
        printf("  build type:       %s, channel %s\n", pg_build_type_name(m->identity.build_type),
               m->identity.channel);
}

static int pg_manifest_verify_cmd(int argc, char **argv)
{
        struct pg_tool_keyring kr = { 0 };
        struct pg_manifest_verified v;
        struct pg_manifest m;
        uint8_t *buf = NULL;
        size_t len;
        pg_err err;
        int rc;

        if (pg_manifest_parse_trust(argc, argv, pg_verify_usage, &kr, NULL) != 0) {
                pg_trust_free(&kr);
                return PG_EXIT_USAGE;
        }
        if (kr.ring.count == 0) {
                fprintf(stderr, "prodgate: no --trust key given; an empty key ring trusts "
                        "nothing\n");
                return PG_EXIT_USAGE;
        }
        if (pg_manifest_read(argv[optind], &buf, &len) != 0) {
                pg_trust_free(&kr);
                return PG_EXIT_ERROR;
        }
        err = pg_manifest_load(&kr.ring, buf, len, &v, &m);
        if (err == PG_OK) {
                pg_print_valid(argv[optind], &v, &m);
                rc = PG_EXIT_OK;
        } else {
                pg_report_payload(argv[optind], buf, len, &kr.ring);
                pg_manifest_print_err(argv[optind], err);
                rc = PG_EXIT_FAIL;
        }
        free(buf);
        pg_trust_free(&kr);
        return rc;
}

/* ---- extract ---------------------------------------------------------- */

static const char pg_extract_usage[] =
        "usage: prodgate manifest extract [--payload FILE] [--signature FILE [--index N]]\n"
        "                                 MANIFEST\n"
        "\n"
        "Writes the payload bytes and the signature of record N (0 to 3, default 0) of\n"
        "MANIFEST to files, for checks with other tools such as 'openssl dgst -verify'.\n"
        "The envelope layout is checked; no signature is verified.\n";

/* Parses a signature index: decimal digits only, below the signature cap. */
static bool pg_parse_index(const char *arg, unsigned long *out)
{
        char *end;

        if (arg[0] < '0' || arg[0] > '9')
                return false;
        errno = 0;
        *out = strtoul(arg, &end, 10);
        return errno == 0 && *end == 0 && *out < PG_MANIFEST_MAX_SIGNATURES;
}

/* Rejects outputs that name the manifest or each other. */
static bool pg_extract_clash(const char *manifest, const char *payload_out, const char *sig_out)
{
        const char *out = NULL, *other = NULL;

        if (payload_out && pg_file_same(payload_out, manifest))
                out = payload_out, other = manifest;
        else if (sig_out && pg_file_same(sig_out, manifest))
                out = sig_out, other = manifest;
        else if (payload_out && sig_out && pg_file_same(payload_out, sig_out))
                out = sig_out, other = "the --payload output";
        if (!out)
                return false;
        fprintf(stderr, "prodgate: output %s is also %s; nothing written\n", out, other);
        return true;
}

static int pg_manifest_extract(int argc, char **argv)
{
        static const struct option opts[] = {
                { "payload", required_argument, NULL, 'p' },
                { "signature", required_argument, NULL, 's' },
                { "index", required_argument, NULL, 'i' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        const char *payload_out = NULL, *sig_out = NULL;
        struct pg_manifest_envelope env;
        unsigned long index = 0;
        bool index_given = false;
        uint8_t *buf = NULL;
        size_t len;
        pg_err err;
        int opt, rc = PG_EXIT_OK;

        optind = 0;
        while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
                if (opt == 'p') {
                        payload_out = optarg;
                } else if (opt == 's') {
                        sig_out = optarg;
                } else if (opt == 'i') {
                        if (!pg_parse_index(optarg, &index)) {
                                fprintf(stderr, "prodgate: --index %s: expected a signature "
                                        "index 0 to %d\n", optarg, PG_MANIFEST_MAX_SIGNATURES - 1);
                                return PG_EXIT_USAGE;
                        }
                        index_given = true;
                } else if (opt == 'h') {
                        return fputs(pg_extract_usage, stdout), PG_EXIT_OK;
                } else {
                        return fputs(pg_extract_usage, stderr), PG_EXIT_USAGE;
                }
        }
        if (optind != argc - 1 || (!payload_out && !sig_out))
                return fputs(pg_extract_usage, stderr), PG_EXIT_USAGE;
        if (index_given && !sig_out) {
                fprintf(stderr, "prodgate: --index selects the signature that --signature "
                        "writes; give --signature FILE\n");
                return PG_EXIT_USAGE;
        }
        if (pg_extract_clash(argv[optind], payload_out, sig_out))
                return PG_EXIT_USAGE;
        if (pg_manifest_read(argv[optind], &buf, &len) != 0)
                return PG_EXIT_ERROR;
        err = pg_manifest_envelope_parse(buf, len, &env);
        if (err) {
                pg_manifest_print_err(argv[optind], err);
                rc = PG_EXIT_FAIL;
        } else if (sig_out && index >= env.sig_count) {
                fprintf(stderr, "prodgate: %s has %u signature%s, so there is no index %lu\n",
                        argv[optind], env.sig_count, env.sig_count == 1 ? "" : "s", index);
                rc = PG_EXIT_USAGE;
        } else if (payload_out && pg_file_write(payload_out, env.payload, env.payload_len)) {
                fprintf(stderr, "prodgate: cannot write %s: %s\n", payload_out, strerror(errno));
                rc = PG_EXIT_ERROR;
        } else if (sig_out && pg_file_write(sig_out, env.sigs[index].sig,
                                            env.sigs[index].sig_len)) {
                fprintf(stderr, "prodgate: cannot write %s: %s\n", sig_out, strerror(errno));
                /* Removes the payload output, so no half of the pair is left. */
                if (payload_out) {
                        struct stat st;

                        if (stat(payload_out, &st) == 0 && S_ISREG(st.st_mode))
                                unlink(payload_out);
                }
                rc = PG_EXIT_ERROR;
        }
        free(buf);
        return rc;
}

/* ---- dispatch --------------------------------------------------------- */

static const struct pg_command pg_manifest_commands[] = {
        { "sign", "check a payload against the schema and sign it", pg_manifest_sign },
        { "verify", "verify a signed manifest against trusted keys", pg_manifest_verify_cmd },
        { "show", "print a manifest's signatures and payload", pg_manifest_show },
        { "extract", "write a manifest's payload or a signature to a file",
          pg_manifest_extract },
};

static void pg_manifest_usage(FILE *out)
{
        fprintf(out, "usage: prodgate manifest SUBCOMMAND [ARGS]\n\nsubcommands:\n");
        for (size_t i = 0; i < PG_ARRAY_SIZE(pg_manifest_commands); i++)
                fprintf(out, "  %-8s %s\n", pg_manifest_commands[i].name,
                        pg_manifest_commands[i].summary);
        fprintf(out, "\n'prodgate manifest SUBCOMMAND --help' describes its options.\n");
}

int cmd_manifest(int argc, char **argv)
{
        if (argc < 2) {
                pg_manifest_usage(stderr);
                return PG_EXIT_USAGE;
        }
        if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
                pg_manifest_usage(stdout);
                return PG_EXIT_OK;
        }
        for (size_t i = 0; i < PG_ARRAY_SIZE(pg_manifest_commands); i++)
                if (!strcmp(argv[1], pg_manifest_commands[i].name))
                        return pg_manifest_commands[i].run(argc - 1, argv + 1);
        fprintf(stderr, "prodgate: unknown manifest subcommand '%s'\n", argv[1]);
        pg_manifest_usage(stderr);
        return PG_EXIT_USAGE;
}
