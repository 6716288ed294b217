/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate verify: the attestation server's side. Reads a quote, the
 * attestation key, the event logs and the trusted keys, runs
 * pg_verify_run() (tools/verify.c) and prints the verdict as text, JSON or
 * an EAR-style attestation result. docs/attestation.md describes the output.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gates/manifest.h"
#include "tools/commands.h"
#include "tools/fileio.h"
#include "tools/keys.h"
#include "tools/verify.h"
#include "tools/verify_output.h"

#define PG_VERIFY_SMALL_MAX ((size_t)64 * 1024)        /* quote, signature, key */
#define PG_VERIFY_LOG_MAX ((size_t)64 * 1024 * 1024)   /* each event log */

static const char pg_verify_usage[] =
        "usage: prodgate verify --quote-msg FILE --quote-sig FILE [--quote-pcrs FILE]\n"
        "                       --ak FILE --nonce HEX\n"
        "                       --eventlog FILE [--userspace-log FILE] --trust PUB.pem[:ROLE]...\n"
        "                       [--manifest FILE] [--pcr N] [--min-svn N]\n"
        "                       [--json | --format text|json|ear]\n"
        "\n"
        "Verifies a TPM quote (tpm2_quote -m and -s) made with the attestation key\n"
        "(PEM or TPM2B_PUBLIC) over the expected nonce, replays the firmware and\n"
        "userspace logs against the quoted PCRs, checks prodgate's events in the gates\n"
        "PCR (default 13) and rebuilds the gates from them. Exits 0 verified and\n"
        "production-ready, 1 verified but not ready, 2 bad command line, 3 unreadable\n"
        "input, 4 verification failed.\n";

struct pg_verify_args {
        const char *msg, *sig, *pcrs, *ak, *nonce, *eventlog, *cel, *manifest;
        struct pg_tool_keyring kr;
        uint32_t pcr, min_svn;
        int format;
};

static bool pg_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
        char *end;
        unsigned long v;

        if (s[0] < '0' || s[0] > '9')
                return false;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || *end || v > max)
                return false;
        *out = (uint32_t)v;
        return true;
}

static int pg_verify_format(const char *s)
{
        if (!strcmp(s, "text"))
                return PG_VERIFY_OUT_TEXT;
        if (!strcmp(s, "json"))
                return PG_VERIFY_OUT_JSON;
        if (!strcmp(s, "ear"))
                return PG_VERIFY_OUT_EAR;
        return -1;
}

/* Returns 0, or an exit status. */
static int pg_verify_parse(struct pg_verify_args *a, int argc, char **argv)
{
        static const struct option opts[] = {
                { "quote-msg", required_argument, NULL, 'm' },
                { "quote-sig", required_argument, NULL, 's' },
                { "quote-pcrs", required_argument, NULL, 'P' },
                { "ak", required_argument, NULL, 'a' },
                { "nonce", required_argument, NULL, 'n' },
                { "eventlog", required_argument, NULL, 'e' },
                { "userspace-log", required_argument, NULL, 'u' },
                { "trust", required_argument, NULL, 't' },
                { "manifest", required_argument, NULL, 'M' },
                { "pcr", required_argument, NULL, 'p' },
                { "min-svn", required_argument, NULL, 'S' },
                { "json", no_argument, NULL, 'j' },
                { "format", required_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        int opt;

        optind = 0;
        while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
                switch (opt) {
                case 'm': a->msg = optarg; break;
                case 's': a->sig = optarg; break;
                case 'P': a->pcrs = optarg; break;
                case 'a': a->ak = optarg; break;
                case 'n': a->nonce = optarg; break;
                case 'e': a->eventlog = optarg; break;
                case 'u': a->cel = optarg; break;
                case 'M': a->manifest = optarg; break;
                case 'j': a->format = PG_VERIFY_OUT_JSON; break;
                case 't':
                        if (pg_trust_add(&a->kr, optarg) != 0)
                                return PG_EXIT_USAGE;
                        break;
                case 'p':
                        if (!pg_parse_u32(optarg, 23, &a->pcr))
                                return fprintf(stderr, "prodgate: --pcr %s: expected 0 to 23\n",
                                               optarg), PG_EXIT_USAGE;
                        break;
                case 'S':
                        if (!pg_parse_u32(optarg, UINT32_MAX, &a->min_svn))
                                return fprintf(stderr, "prodgate: --min-svn %s: expected a "
                                               "decimal number\n", optarg), PG_EXIT_USAGE;
                        break;
                case 'f':
                        if ((a->format = pg_verify_format(optarg)) < 0)
                                return fprintf(stderr, "prodgate: --format %s: expected text, "
                                               "json or ear\n", optarg), PG_EXIT_USAGE;
                        break;
                case 'h':
                        fputs(pg_verify_usage, stdout);
                        exit(PG_EXIT_OK);
                default:
                        fputs(pg_verify_usage, stderr);
                        return PG_EXIT_USAGE;
                }
        }
        if (optind != argc || !a->msg || !a->sig || !a->ak || !a->nonce || !a->eventlog) {
                fputs(pg_verify_usage, stderr);
                return PG_EXIT_USAGE;
        }
        if (a->kr.ring.count == 0) {
                fprintf(stderr, "prodgate: no --trust key given; an empty key ring trusts "
                        "nothing\n");
                return PG_EXIT_USAGE;
        }
        return 0;
}

/* Decodes 1 to 64 bytes of hex. */
static bool pg_parse_nonce(const char *hex, uint8_t *out, size_t *len)
{
        size_t n = strlen(hex);

        if (n == 0 || n % 2 || n > 128)
                return false;
        for (size_t i = 0; i < n / 2; i++) {
                unsigned v;

                if (sscanf(hex + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF",
                                                                  hex[2 * i]) ||
                    !strchr("0123456789abcdefABCDEF", hex[2 * i + 1]))
                        return false;
                out[i] = (uint8_t)v;
        }
        *len = n / 2;
        return true;
}

struct pg_verify_files {
        uint8_t *msg, *sig, *pcrs, *ak, *log, *cel, *manifest;
};

static int pg_read(const char *path, size_t max, uint8_t **buf, size_t *len)
{
        if (pg_file_read(path, max, buf, len) == 0)
                return 0;
        fprintf(stderr, "prodgate: cannot read %s: %s\n", path, strerror(errno));
        return -1;
}

static int pg_verify_load(const struct pg_verify_args *a, struct pg_verify_files *f,
                          struct pg_verify_input *in)
{
        if (pg_read(a->msg, PG_VERIFY_SMALL_MAX, &f->msg, &in->quote_msg_len) ||
            pg_read(a->sig, PG_VERIFY_SMALL_MAX, &f->sig, &in->quote_sig_len) ||
            (a->pcrs && pg_read(a->pcrs, PG_VERIFY_SMALL_MAX, &f->pcrs, &in->quote_pcrs_len)) ||
            pg_read(a->ak, PG_VERIFY_SMALL_MAX, &f->ak, &in->ak_len) ||
            pg_read(a->eventlog, PG_VERIFY_LOG_MAX, &f->log, &in->eventlog_len) ||
            (a->cel && pg_read(a->cel, PG_VERIFY_LOG_MAX, &f->cel, &in->cel_len)) ||
            (a->manifest &&
             pg_read(a->manifest, PG_MANIFEST_MAX_SIZE, &f->manifest, &in->manifest_len)))
                return -1;
        in->quote_msg = f->msg;
        in->quote_sig = f->sig;
        in->quote_pcrs = f->pcrs;
        in->ak = f->ak;
        in->eventlog = f->log;
        in->cel = f->cel;
        in->manifest = f->manifest;
        return 0;
}

int cmd_verify(int argc, char **argv)
{
        struct pg_verify_args a = { .pcr = PG_VERIFY_DEFAULT_PCR, .format = PG_VERIFY_OUT_TEXT };
        struct pg_verify_files f = { 0 };
        struct pg_verify_input in = { 0 };
        struct pg_verify_result *res = NULL;
        uint8_t nonce[64];
        int rc;

        rc = pg_verify_parse(&a, argc, argv);
        if (rc == 0 && !pg_parse_nonce(a.nonce, nonce, &in.nonce_len)) {
                fprintf(stderr, "prodgate: --nonce %s: expected 1 to 64 bytes in hex\n", a.nonce);
                rc = PG_EXIT_USAGE;
        }
        if (rc == 0 && (pg_verify_load(&a, &f, &in) != 0 || !(res = calloc(1, sizeof(*res)))))
                rc = PG_EXIT_ERROR;
        if (rc == 0) {
                in.nonce = nonce;
                in.trusted = &a.kr.ring;
                in.min_svn = a.min_svn;
                in.gates_pcr = a.pcr;
                rc = pg_verify_run(&in, res);
                if (rc == PG_VERIFY_ERROR)
                        fprintf(stderr, "prodgate: the verifier failed: out of memory\n");
                else
                        pg_verify_print(res, a.format, (int64_t)time(NULL));
        }
        free(res);
        free(f.msg);
        free(f.sig);
        free(f.pcrs);
        free(f.ak);
        free(f.log);
        free(f.cel);
        free(f.manifest);
        pg_trust_free(&a.kr);
        return rc;
}
