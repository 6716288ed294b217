/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate status: evaluates the runtime gates 3-10 from the signed
 * manifest's runtime checks. It takes the pre-OS results from the handoff
 * blob when the cross-check with the event logs and the TPM vouches for it
 * (tools/xcheck.c). Then it derives production readiness, OTA eligibility
 * and the trust tier (gates/decide.c). prodgate measure runs the same
 * evaluation and then measures the runtime results (tools/cmd_measure.c).
 * Exit status: 0 production-ready, 1 not ready, 2 bad command line, 3 could
 * not evaluate (no trusted manifest) or, for measure, could not measure.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/sha256.h"
#include "tools/commands.h"
#include "tools/fileio.h"
#include "tools/keys.h"
#include "tools/manifest_tool.h"
#include "tools/status.h"

#define STATUS_DEFAULT_MANIFEST "/boot/efi/EFI/BOOT/manifest.pgm"
#define STATUS_READ_MAX (1u << 20)

static const char status_usage[] =
        "usage: prodgate status [--root DIR] [--manifest FILE] --trust PUB.pem[:ROLE]...\n"
        "                       [--handoff FILE] [--eventlog FILE] [--log FILE] [--tcti TCTI]\n"
        "                       [--json] [--color auto|always|never]\n"
        "\n"
        "Evaluates the ten gates: the runtime gates from the manifest's runtime checks,\n"
        "the pre-OS results from the handoff blob the EFI stage left. Prints each gate\n"
        "with its reasons and remediation, then production readiness, OTA eligibility\n"
        "and the trust tier.\n"
        "  --root DIR       evaluate the tree under DIR (a mounted image) instead of /\n"
        "  --manifest FILE  the signed manifest (default: " STATUS_DEFAULT_MANIFEST "\n"
        "                   under the root)\n"
        "  --trust PUB.pem[:ROLE]\n"
        "                   a trusted manifest key; ROLE is release (default) or development\n"
        "  --handoff FILE   the handoff blob, bare or as an efivarfs file (default: the\n"
        "                   ProdgateHandoff variable in /sys/firmware/efi/efivars under the root)\n"
        "  --eventlog FILE  the firmware event log (default: securityfs's\n"
        "                   binary_bios_measurements under the root)\n"
        "  --log FILE       the userspace measurement log (default:\n"
        "                   " PG_XCHECK_DEFAULT_CEL ", under the root for status)\n"
        "  --tcti TCTI      the TPM, as tpm2-tools takes it (default: TPM2TOOLS_TCTI,\n"
        "                   TSS2_TCTI, else " PG_ESYS_DEFAULT_TCTI " without --root)\n"
        "  --json           print one JSON document\n"
        "  --color WHEN     colour the table: auto (on a terminal, the default), always, never\n"
        "Exit status: 0 production-ready, 1 not ready, 2 bad command line,\n"
        "3 could not evaluate (manifest missing, unreadable or untrusted).\n"
        "prodgate measure takes the same options except --root, then appends the\n"
        "runtime results to the log and extends them into the gates PCR; it exits 3\n"
        "when it could not measure.\n";

struct status_args {
        const char *root;
        const char *manifest;
        const char *handoff;
        const char *eventlog;
        const char *log;
        const char *tcti;
        bool json;
        int colour;                     /* -1 auto, 0 never, 1 always */
        struct pg_tool_keyring keys;
};

/* Returns -1 for auto, 0 for never, 1 for always, or -2 after printing why
 * the value is invalid. */
static int status_colour_mode(const char *when)
{
        if (!strcmp(when, "auto"))
                return -1;
        if (!strcmp(when, "always"))
                return 1;
        if (!strcmp(when, "never"))
                return 0;
        fprintf(stderr, "prodgate: invalid --color value '%s': use auto, always or never\n", when);
        return -2;
}

static int status_parse(int argc, char **argv, struct status_args *a)
{
        static const struct option opts[] = {
                { "root", required_argument, NULL, 'r' },
                { "manifest", required_argument, NULL, 'm' },
                { "trust", required_argument, NULL, 't' },
                { "handoff", required_argument, NULL, 'o' },
                { "eventlog", required_argument, NULL, 'e' },
                { "log", required_argument, NULL, 'l' },
                { "tcti", required_argument, NULL, 'T' },
                { "json", no_argument, NULL, 'j' },
                { "color", required_argument, NULL, 'c' },
                { "help", no_argument, NULL, 'h' },
                { 0 },
        };
        int opt;

        optind = 0;
        while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
                switch (opt) {
                case 'r':
                        a->root = optarg;
                        break;
                case 'm':
                        a->manifest = optarg;
                        break;
                case 'o':
                        a->handoff = optarg;
                        break;
                case 'e':
                        a->eventlog = optarg;
                        break;
                case 'l':
                        a->log = optarg;
                        break;
                case 'T':
                        a->tcti = optarg;
                        break;
                case 'j':
                        a->json = true;
                        break;
                case 't':
                        if (pg_trust_add(&a->keys, optarg) != 0)
                                return -1;
                        break;
                case 'c':
                        a->colour = status_colour_mode(optarg);
                        if (a->colour == -2)
                                return -1;
                        break;
                case 'h':
                        fputs(status_usage, stdout);
                        exit(PG_EXIT_OK);
                default:
                        fputs(status_usage, stderr);
                        return -1;
                }
        }
        if (optind != argc) {
                fputs(status_usage, stderr);
                return -1;
        }
        if (a->keys.ring.count == 0) {
                fprintf(stderr, "prodgate: no --trust key given; an empty key ring trusts "
                        "nothing\n");
                return -1;
        }
        return 0;
}

/* Reads the manifest: an explicit --manifest from the host, the default
 * from under the root. */
static int status_read_manifest(const struct pg_rootfs *root, const struct status_args *a,
                                const char **path, char **buf, size_t *len)
{
        int rc;

        *path = a->manifest ? a->manifest : STATUS_DEFAULT_MANIFEST;
        if (a->manifest)
                rc = pg_manifest_read(a->manifest, (uint8_t **)buf, len);
        else if ((rc = pg_rootfs_read(root, STATUS_DEFAULT_MANIFEST, STATUS_READ_MAX, buf,
                                       len)) != 0)
                fprintf(stderr, "prodgate: cannot read %s under %s: %s\n",
                        STATUS_DEFAULT_MANIFEST, root->path, strerror(errno));
        return rc;
}

/*
 * Cross-checks the handoff and decodes the copy it vouches for: the
 * variable when verified, the measured event's copy when the variable was
 * altered or deleted, none otherwise. The pre-OS results then count only
 * for the manifest being evaluated.
 */
static void status_handoff(const struct pg_rootfs *root, const struct status_args *a, int cel_fd,
                           struct pg_status *st)
{
        struct pg_xcheck *x = &st->xcheck;
        struct pg_xcheck_in in = {
                .root = root, .handoff = a->handoff, .eventlog = a->eventlog, .cel = a->log,
                .cel_fd = cel_fd, .pcr = st->manifest->policy.gates_pcr,
        };
        uint8_t digest[32];

        /* The TPM belongs to the running system: a --root evaluation uses
         * one only when it is named. */
        st->tcti = pg_esys_tcti(a->tcti, a->root ? NULL : PG_ESYS_DEFAULT_TCTI,
                                &st->tcti_origin);
        in.tcti = st->tcti;
        pg_xcheck_run(&in, x);
        st->handoff_path = x->handoff_path;
        st->has_handoff = x->handoff_found;
        if (x->verdict == PG_XCHECK_TAMPERED || x->reason == PG_ERR_XCHECK_HANDOFF_DELETED) {
                st->has_finding = true;
                st->finding.outcome = x->verdict == PG_XCHECK_TAMPERED ? PG_OUTCOME_FAIL :
                                      PG_OUTCOME_DEGRADED;
                st->finding.reason = x->reason;
        }
        if (x->blob == NULL) {
                st->handoff_err = x->reason != PG_OK ? x->reason : PG_ERR_DECIDE_NO_HANDOFF;
                return;
        }
        st->handoff_err = pg_handoff_read(x->blob, x->blob_len, &st->handoff);
        if (st->handoff_err != PG_OK)
                return;
        /* The measured identity and the blob must name the same manifest. */
        if (x->identity && st->handoff.has_manifest &&
            pg_memcmp_ct(x->identity, st->handoff.manifest.digest, 32) != 0) {
                st->handoff_err = PG_ERR_XCHECK_EVENT_MALFORMED;
                return;
        }
        pg_sha256(st->verified->payload, st->verified->payload_len, digest);
        if (!st->handoff.has_manifest ||
            pg_memcmp_ct(digest, st->handoff.manifest.digest, sizeof(digest)) != 0)
                st->handoff_err = PG_ERR_DECIDE_HANDOFF_MANIFEST;
}

/* The pre-OS part of an objective: the handoff's result, or unknown with
 * the reason the handoff cannot be used. */
static struct pg_result status_pre_os(const struct pg_status *st, unsigned g, unsigned o,
                                      const char **detail)
{
        const struct pg_handoff_result *r = &st->handoff.gates[g - 1].objectives[o];
        struct pg_result res = { PG_OUTCOME_UNKNOWN, st->handoff_err };

        *detail = "";
        if (st->handoff_err != PG_OK)
                return res;
        res.outcome = r->outcome;
        res.reason = r->reason;
        *detail = r->detail;
        return res;
}

/* The detail that goes with the reason the combination chose. */
static const char *status_detail(const struct pg_status *st, unsigned g, unsigned o,
                                 struct pg_result r, struct pg_result pre,
                                 const char *pre_detail)
{
        if (pre.outcome == r.outcome && pre.reason == r.reason)
                return pre_detail;
        if (st->has_finding && g == PG_STATUS_FINDING_GATE && o == PG_STATUS_FINDING_OBJECTIVE &&
            st->finding.outcome == r.outcome && st->finding.reason == r.reason)
                return st->xcheck.detail;
        for (size_t i = 0; i < st->check_count; i++) {
                const struct pg_check_result *c = &st->results[i];

                if (c->check->gate == g && c->check->objective == o &&
                    c->result.outcome == r.outcome && c->result.reason == r.reason)
                        return c->detail;
        }
        return "";
}

static void status_objective(struct pg_status *st, unsigned g, unsigned o)
{
        struct pg_result checks[PG_MANIFEST_MAX_CHECKS + 1], pre = { PG_OUTCOME_PASS, PG_OK }, r;
        bool pre_os = pg_decide_pre_os_objective(g, o);
        const char *pre_detail = "";
        size_t n = 0;

        for (size_t i = 0; i < st->check_count; i++)
                if (st->checks[i].gate == g && st->checks[i].objective == o)
                        checks[n++] = st->results[i].result;
        /* A tampered handoff is a security finding of its own. */
        if (st->has_finding && g == PG_STATUS_FINDING_GATE && o == PG_STATUS_FINDING_OBJECTIVE &&
            n < PG_MANIFEST_MAX_CHECKS + 1)
                checks[n++] = st->finding;
        if (pre_os) {
                pre = status_pre_os(st, g, o, &pre_detail);
                r = pre;
                for (size_t i = 0; i < n; i++)
                        r = pg_result_combine(r, checks[i]);
                st->objectives[g - 1][o].source = st->handoff_err != PG_OK ?
                        PG_SOURCE_PRE_OS_MISSING : n ? PG_SOURCE_BOTH : PG_SOURCE_HANDOFF;
        } else {
                r = pg_decide_objective(checks, n);
                st->objectives[g - 1][o].source = n ? PG_SOURCE_RUNTIME : PG_SOURCE_NONE;
        }
        st->in.objectives[g - 1][o] = r;
        st->objectives[g - 1][o].detail = status_detail(st, g, o, r, pre, pre_detail);
}

static void status_evaluate(const struct pg_rootfs *root, struct pg_status *st)
{
        const struct pg_manifest *m = st->manifest;
        struct pg_manifest_check_iter it;

        pg_manifest_checks_begin(m, &it);
        while (st->check_count < PG_MANIFEST_MAX_CHECKS &&
               pg_manifest_checks_next(&it, &st->checks[st->check_count])) {
                const struct pg_manifest_check *c = &st->checks[st->check_count];
                struct pg_check_result *r = &st->results[st->check_count];

                /* The checks of a gate the policy excludes are not run. */
                if (c->gate >= 1 && c->gate <= PG_GATE_COUNT &&
                    m->policy.gates[c->gate - 1].requirement == PG_REQUIREMENT_NOT_APPLICABLE)
                        *r = (struct pg_check_result){ c, { PG_OUTCOME_NOT_APPLICABLE,
                                                            PG_ERR_DECIDE_NOT_APPLICABLE }, "" };
                else
                        pg_check_run(root, m, c, r);
                st->check_count++;
        }
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                st->in.requirement[g - 1] = m->policy.gates[g - 1].requirement;
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        status_objective(st, g, o);
                if (m->policy.gates[g - 1].requirement == PG_REQUIREMENT_NOT_APPLICABLE)
                        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                                st->objectives[g - 1][o] =
                                        (struct pg_status_objective){ PG_SOURCE_POLICY, "" };
        }
        st->in.production_readiness = m->policy.production_readiness;
        st->in.ota_eligibility = m->policy.ota_eligibility;
        pg_decide(&st->in, &st->out);
}

/* Loads and verifies the manifest; returns 0, or an exit status. */
static int status_load(const struct pg_rootfs *root, const struct status_args *a,
                       char **buf, struct pg_manifest_verified *v, struct pg_manifest *m,
                       const char **path)
{
        size_t len;
        pg_err err;

        if (status_read_manifest(root, a, path, buf, &len) != 0)
                return PG_EXIT_ERROR;
        err = pg_manifest_load(&a->keys.ring, (const uint8_t *)*buf, len, v, m);
        if (err != PG_OK) {
                pg_manifest_print_err(*path, err);
                return PG_EXIT_ERROR;
        }
        return 0;
}

static bool status_colour(const struct status_args *a)
{
        const char *no_color = getenv("NO_COLOR");

        if (a->colour >= 0)
                return a->colour == 1;
        return isatty(STDOUT_FILENO) && !(no_color && no_color[0]);
}

int pg_status_main(int argc, char **argv, bool measure)
{
        struct status_args a = { .colour = -1 };
        struct pg_manifest_verified v;
        struct pg_manifest m;
        struct pg_rootfs root;
        struct pg_status *st = NULL;
        char *buf = NULL;
        int rc, cel_fd = -1;

        if (status_parse(argc, argv, &a) != 0 || (measure && a.root)) {
                if (measure && a.root)
                        fprintf(stderr, "prodgate measure: --root is not supported: the TPM and "
                                "the log belong to the running system\n");
                pg_trust_free(&a.keys);
                return PG_EXIT_USAGE;
        }
        if (pg_rootfs_open(&root, a.root ? a.root : "/") != 0) {
                fprintf(stderr, "prodgate: cannot open root %s: %s\n", a.root ? a.root : "/",
                        strerror(errno));
                pg_trust_free(&a.keys);
                return PG_EXIT_ERROR;
        }
        if (measure && !a.log)
                a.log = PG_XCHECK_DEFAULT_CEL;
        st = calloc(1, sizeof(*st));
        rc = st ? 0 : PG_EXIT_ERROR;
        if (rc == 0)
                rc = status_load(&root, &a, &buf, &v, &m, &st->manifest_path);
        if (rc == 0 && measure)
                rc = pg_measure_begin(a.log, &cel_fd);
        if (rc == 0) {
                st->root_path = root.path;
                st->manifest = &m;
                st->verified = &v;
                status_handoff(&root, &a, cel_fd, st);
                status_evaluate(&root, st);
                if (a.json)
                        pg_status_print_json(st);
                else
                        pg_status_print_text(st, status_colour(&a));
                rc = st->out.production_readiness.met ? PG_EXIT_OK : PG_EXIT_FAIL;
                if (fflush(stdout) != 0) {
                        fprintf(stderr, "prodgate: write error: %s\n", strerror(errno));
                        rc = PG_EXIT_ERROR;
                }
                if (measure && pg_measure_commit(st, cel_fd, a.log) != 0)
                        rc = PG_EXIT_ERROR;
        }
        if (cel_fd >= 0)
                close(cel_fd);
        if (st)
                pg_xcheck_free(&st->xcheck);
        free(st);
        free(buf);
        pg_rootfs_close(&root);
        pg_trust_free(&a.keys);
        return rc;
}

int cmd_status(int argc, char **argv)
{
        return pg_status_main(argc, argv, false);
}
