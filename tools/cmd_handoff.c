/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate handoff show [--json] FILE: decodes the handoff blob the EFI stage
 * left in its UEFI variable, either the bare blob (as measured into the event
 * log) or the variable's file under /sys/firmware/efi/efivars, which starts
 * with the variable's 4-byte attributes. The blob goes through the same
 * strict reader as the attestation verifier.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gates/fdt_strict.h"
#include "gates/handoff.h"
#include "tools/commands.h"
#include "tools/fileio.h"
#include "tools/json.h"

/* Files up to this size are read whole, so the core reports the size cap.
 * The tool reports the same error for larger files. */
#define HANDOFF_READ_MAX (1u << 20)

/* UEFI variable attributes (UEFI 2.10, GetVariable). */
#define EFI_VARIABLE_NON_VOLATILE 0x1u
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x2u
#define EFI_VARIABLE_RUNTIME_ACCESS 0x4u
#define EFI_VARIABLE_KNOWN_BITS 0xffu

struct handoff_input {
        const char *path;
        const uint8_t *blob;
        size_t len;
        bool efivar;
        uint32_t attributes;
};

static void usage(FILE *out)
{
        fprintf(out,
                "usage: prodgate handoff show [--json] FILE\n\n"
                "Decodes a handoff blob: the bare blob (as in the event log) or the\n"
                "efivarfs file of the handoff variable (4 bytes of attributes, then\n"
                "the blob); '-' reads standard input. Exits 0 when the blob is valid,\n"
                "3 when it is not.\n");
}

static void print_err(const char *path, pg_err err)
{
        const char *name = pg_err_name(err);
        const char *text = pg_err_text(err);

        fprintf(stderr, "prodgate handoff: %s: %s (0x%04" PRIx32 "): %s\n", path,
                name ? name : "PG_ERR_UNKNOWN", err, text ? text : "undefined error code");
}

/*
 * A bare blob starts with the FDT magic. An efivarfs file starts with the
 * attributes (little-endian, only defined bits set) and has the magic at
 * byte 4. Anything else goes to the reader as a bare blob, which names the
 * fault.
 */
static void detect_format(struct handoff_input *in, const uint8_t *buf, size_t len)
{
        in->blob = buf;
        in->len = len;
        in->efivar = false;
        in->attributes = 0;
        if (len >= 4 && pg_load_be32(buf) == PG_FDT_MAGIC)
                return;
        if (len >= 8 && pg_load_be32(buf + 4) == PG_FDT_MAGIC &&
            (pg_load_le32(buf) & ~EFI_VARIABLE_KNOWN_BITS) == 0) {
                in->efivar = true;
                in->attributes = pg_load_le32(buf);
                in->blob = buf + 4;
                in->len = len - 4;
        }
}

/* ---- text ------------------------------------------------------------------ */

static void print_hex(const uint8_t *p, size_t len)
{
        for (size_t i = 0; i < len; i++)
                printf("%02x", p[i]);
}

static void print_reason(pg_err reason)
{
        const char *name = pg_err_name(reason);

        if (name)
                printf(" %s (0x%04" PRIx32 ")", name, reason);
        else
                printf(" 0x%08" PRIx32, reason);
}

static void print_result(const char *indent, const char *name,
                         const struct pg_handoff_result *r)
{
        bool reason = r->outcome != PG_OUTCOME_PASS;

        printf("%s%-*s %-*s", indent, 44 - (int)strlen(indent), name,
               reason || r->detail[0] ? 15 : 0, pg_outcome_name(r->outcome));
        if (pg_handoff_is_pending(r))
                printf(" pending runtime evaluation");
        else if (reason)
                print_reason(r->reason);
        if (r->detail[0])
                printf(" \"%s\"", r->detail);
        printf("\n");
}

static void print_attributes(uint32_t a)
{
        printf("variable attributes: 0x%08" PRIx32 " (%s%s%s)\n", a,
               a & EFI_VARIABLE_NON_VOLATILE ? "non-volatile" : "volatile",
               a & EFI_VARIABLE_BOOTSERVICE_ACCESS ? ", boot-service" : "",
               a & EFI_VARIABLE_RUNTIME_ACCESS ? ", runtime" : "");
        if (a & EFI_VARIABLE_NON_VOLATILE)
                printf("warning: prodgate.efi writes a volatile variable; this one persists "
                       "across boots\n");
}

static void print_text(const struct handoff_input *in, const struct pg_handoff *h)
{
        printf("handoff blob: %s (%zu bytes, format %u)\n", in->path, in->len,
               PG_HANDOFF_FORMAT_VERSION);
        if (in->efivar)
                print_attributes(in->attributes);
        printf("evaluator: %s (%s)\n", h->evaluator_version,
               pg_handoff_build_type_name(h->build_type));
        if (h->has_manifest) {
                printf("manifest: %s, svn %" PRIu32 "\n  digest: ", h->manifest.version,
                       h->manifest.svn);
                print_hex(h->manifest.digest, PG_HANDOFF_DIGEST_SIZE);
                printf("\n  key id: ");
                print_hex(h->manifest.key_id, PG_HANDOFF_DIGEST_SIZE);
                printf("\n");
        } else {
                printf("manifest: none verified\n");
        }
        if (h->has_rollback)
                printf("anti-rollback floor: %" PRIu64 " -> %" PRIu64 "\n",
                       h->rollback.floor_before, h->rollback.floor_after);
        else
                printf("anti-rollback floor: not read\n");
        printf("gates PCR: %" PRIu32 "\n", h->pcr);
        printf("action: %s\n", pg_handoff_action_name(h->action));
        printf("evaluation time: %" PRIu64 " us\n\n", h->eval_time_us);
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                const struct pg_handoff_gate *gate = &h->gates[g - 1];
                char label[64];

                snprintf(label, sizeof(label), "%2u %s", g, pg_gate_name(g));
                print_result("", label, &gate->result);
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        print_result("      ", pg_objective_name(g, o), &gate->objectives[o]);
        }
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_hex(const uint8_t *p, size_t len)
{
        putchar('"');
        print_hex(p, len);
        putchar('"');
}

static void json_result(const struct pg_handoff_result *r)
{
        const char *reason = pg_err_name(r->reason);

        printf("\"outcome\":\"%s\",\"pending\":%s,\"reason\":%" PRIu32 ",\"reason_name\":",
               pg_outcome_name(r->outcome), pg_handoff_is_pending(r) ? "true" : "false",
               r->reason);
        if (reason)
                pg_json_string(reason);
        else
                printf("null");
        printf(",\"detail\":");
        if (r->detail[0])
                pg_json_string(r->detail);
        else
                printf("null");
}

static void json_gate(unsigned g, const struct pg_handoff_gate *gate)
{
        printf("{\"id\":%u,\"name\":", g);
        pg_json_string(pg_gate_name(g));
        printf(",");
        json_result(&gate->result);
        printf(",\"objectives\":[");
        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                printf("%s{\"index\":%u,\"name\":", o ? "," : "", o);
                pg_json_string(pg_objective_name(g, o));
                printf(",");
                json_result(&gate->objectives[o]);
                printf("}");
        }
        printf("]}");
}

static void json_identity(const struct pg_handoff *h)
{
        printf(",\"manifest\":");
        if (h->has_manifest) {
                printf("{\"version\":");
                pg_json_string(h->manifest.version);
                printf(",\"svn\":%" PRIu32 ",\"digest\":", h->manifest.svn);
                json_hex(h->manifest.digest, PG_HANDOFF_DIGEST_SIZE);
                printf(",\"key_id\":");
                json_hex(h->manifest.key_id, PG_HANDOFF_DIGEST_SIZE);
                printf("}");
        } else {
                printf("null");
        }
        printf(",\"anti_rollback\":");
        if (h->has_rollback)
                printf("{\"floor_before\":%" PRIu64 ",\"floor_after\":%" PRIu64 "}",
                       h->rollback.floor_before, h->rollback.floor_after);
        else
                printf("null");
}

static void print_json(const struct handoff_input *in, const struct pg_handoff *h)
{
        printf("{\"file\":");
        pg_json_string(in->path);
        printf(",\"size\":%zu,\"variable_attributes\":", in->len);
        if (in->efivar)
                printf("%" PRIu32, in->attributes);
        else
                printf("null");
        printf(",\"format_version\":%u,\"evaluator\":{\"version\":", PG_HANDOFF_FORMAT_VERSION);
        pg_json_string(h->evaluator_version);
        printf(",\"build_type\":\"%s\"}", pg_handoff_build_type_name(h->build_type));
        json_identity(h);
        printf(",\"pcr\":%" PRIu32 ",\"action\":\"%s\",\"eval_time_us\":%" PRIu64 ",\"gates\":[",
               h->pcr, pg_handoff_action_name(h->action), h->eval_time_us);
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                printf("%s", g > 1 ? "," : "");
                json_gate(g, &h->gates[g - 1]);
        }
        printf("]}\n");
}

/* ---- command ---------------------------------------------------------------- */

static int show(const char *path, bool json)
{
        bool is_stdin = strcmp(path, "-") == 0;
        struct handoff_input in = { .path = is_stdin ? "(stdin)" : path };
        struct pg_handoff h;
        uint8_t *buf;
        size_t len;
        pg_err err;

        if (is_stdin)
                path = "/dev/stdin";
        if (pg_file_read(path, HANDOFF_READ_MAX, &buf, &len) != 0) {
                if (errno == EFBIG) {
                        print_err(in.path, PG_ERR_HANDOFF_TOO_LARGE);
                        return PG_EXIT_ERROR;
                }
                fprintf(stderr, "prodgate handoff: cannot read %s: %s\n", in.path,
                        strerror(errno));
                return PG_EXIT_ERROR;
        }
        detect_format(&in, buf, len);
        err = pg_handoff_read(in.blob, in.len, &h);
        if (err != PG_OK) {
                print_err(in.path, err);
                free(buf);
                return PG_EXIT_ERROR;
        }
        if (json)
                print_json(&in, &h);
        else
                print_text(&in, &h);
        free(buf);
        if (fflush(stdout) != 0) {
                fprintf(stderr, "prodgate handoff: write error: %s\n", strerror(errno));
                return PG_EXIT_ERROR;
        }
        return PG_EXIT_OK;
}

int cmd_handoff(int argc, char **argv)
{
        const char *path = NULL;
        bool json = false;

        if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
                usage(stdout);
                return PG_EXIT_OK;
        }
        if (argc < 2 || strcmp(argv[1], "show") != 0) {
                usage(stderr);
                return PG_EXIT_USAGE;
        }
        for (int i = 2; i < argc; i++) {
                if (!strcmp(argv[i], "--json")) {
                        json = true;
                } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
                        usage(stdout);
                        return PG_EXIT_OK;
                } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
                        fprintf(stderr, "prodgate handoff: unknown option '%s'\n", argv[i]);
                        return PG_EXIT_USAGE;
                } else if (!path) {
                        path = argv[i];
                } else {
                        usage(stderr);
                        return PG_EXIT_USAGE;
                }
        }
        if (!path) {
                usage(stderr);
                return PG_EXIT_USAGE;
        }
        return show(path, json);
}
