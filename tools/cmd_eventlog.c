/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate eventlog [--json] [FILE]: decodes a TCG PC Client firmware event
 * log, replays it into PCR values and prints both. The whole log is parsed
 * and replayed before anything is printed, so a log that fails to parse
 * prints only the error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measured/replay.h"
#include "tools/commands.h"
#include "tools/digest.h"
#include "tools/fileio.h"

#define EVENTLOG_DEFAULT_PATH "/sys/kernel/security/tpm0/binary_bios_measurements"

/* Largest log the tool reads. Firmware logs are tens of KiB, and TDX CCEL
 * buffers padded with 0xFF are a few hundred KiB. */
#define EVENTLOG_MAX_INPUT (16u << 20)

#define DESC_MAX 160
#define DESC_TEXT_MAX 64
#define SHORT_DIGEST_BYTES 4

struct eventlog_opts {
        const char *path;
        bool json;
};

struct eventlog_ctx {
        const char *path;
        struct pg_evlog log;            /* positioned at the first event */
        struct pg_replay replay;
        struct pg_replay_hasher hashers[PG_TOOL_HASHER_MAX];
        size_t padding;                 /* 0xFF bytes after the last event */
};

static void usage(FILE *out)
{
        fprintf(out,
                "usage: prodgate eventlog [--json] [FILE]\n\n"
                "Decodes a TCG PC Client firmware event log (SHA-1 or crypto-agile) and\n"
                "replays it into PCR values. FILE defaults to\n"
                "%s;\n"
                "'-' reads standard input.\n\n"
                "  --json    print one JSON object instead of text\n",
                EVENTLOG_DEFAULT_PATH);
}

static int read_input(const char *path, uint8_t **buf, size_t *len)
{
        bool is_stdin = strcmp(path, "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
        int rc, e;

        if (fd < 0) {
                fprintf(stderr, "prodgate eventlog: cannot open %s: %s\n", path, strerror(errno));
                return -1;
        }
        rc = pg_fd_read_all(fd, EVENTLOG_MAX_INPUT, buf, len);
        e = errno;
        if (!is_stdin)
                close(fd);
        if (rc != 0) {
                if (e == EFBIG)
                        fprintf(stderr,
                                "prodgate eventlog: %s: log larger than the %u MiB limit\n",
                                path, EVENTLOG_MAX_INPUT >> 20);
                else
                        fprintf(stderr, "prodgate eventlog: cannot read %s: %s\n", path,
                                strerror(e));
                return -1;
        }
        return 0;
}

static const char *alg_label(uint16_t alg, char *buf, size_t size)
{
        const char *name = pg_evlog_alg_name(alg);

        if (name)
                return name;
        snprintf(buf, size, "alg_0x%04x", alg);
        return buf;
}

static void print_hex(FILE *out, const uint8_t *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                fprintf(out, "%02x", p[i]);
}

/* ---- short data descriptions --------------------------------------------- */

static bool is_text_byte(uint8_t c)
{
        return c >= 0x20 && c < 0x7f;
}

/* Printable ASCII, possibly NUL-terminated. */
static bool is_ascii_text(const uint8_t *p, size_t n)
{
        while (n > 0 && p[n - 1] == 0)
                n--;
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!is_text_byte(p[i]))
                        return false;
        return true;
}

/* Printable UTF-16LE of ASCII characters, possibly NUL-terminated. */
static bool is_utf16_text(const uint8_t *p, size_t n)
{
        if (n < 2 || n % 2 != 0)
                return false;
        while (n >= 2 && p[n - 1] == 0 && p[n - 2] == 0)
                n -= 2;
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i += 2)
                if (!is_text_byte(p[i]) || p[i + 1] != 0)
                        return false;
        return true;
}

/* Appends up to DESC_TEXT_MAX characters taken every step bytes. */
static void append_text(char *out, size_t size, const uint8_t *p, size_t n, size_t step)
{
        size_t used = strlen(out), shown = 0;

        for (size_t i = 0; i < n && used + 4 < size; i += step) {
                if (p[i] == 0)
                        break;
                if (shown == DESC_TEXT_MAX) {
                        snprintf(out + used, size - used, "...");
                        return;
                }
                out[used++] = is_text_byte(p[i]) && p[i] != '"' ? (char)p[i] : '.';
                out[used] = 0;
                shown++;
        }
}

static void describe_text(char *out, size_t size, const uint8_t *p, size_t n)
{
        if (is_ascii_text(p, n) || is_utf16_text(p, n)) {
                snprintf(out, size, "\"");
                append_text(out, size, p, n, is_ascii_text(p, n) ? 1 : 2);
                strncat(out, "\"", size - strlen(out) - 1);
        } else {
                snprintf(out, size, "%zu bytes", n);
        }
}

static void describe_variable(char *out, size_t size, const struct pg_evlog_event *ev)
{
        struct pg_evlog_variable var;

        if (pg_evlog_parse_variable(ev->data, ev->data_size, &var) != PG_OK) {
                snprintf(out, size, "malformed variable, %u bytes", ev->data_size);
                return;
        }
        out[0] = 0;
        append_text(out, size, var.name, (size_t)var.name_chars * 2, 2);
        snprintf(out + strlen(out), size - strlen(out), " (%llu byte%s",
                 (unsigned long long)var.value_size, var.value_size == 1 ? "" : "s");
        if (var.trailing)
                snprintf(out + strlen(out), size - strlen(out), ", %zu trailing", var.trailing);
        strncat(out, ")", size - strlen(out) - 1);
}

static void describe_specid(char *out, size_t size, const struct pg_evlog *log,
                            const struct pg_evlog_event *ev)
{
        char label[16];

        if (log->format != PG_EVLOG_FORMAT_CRYPTO_AGILE) {
                describe_text(out, size, ev->data, ev->data_size < 16 ? ev->data_size : 16);
                return;
        }
        snprintf(out, size, "Spec ID Event03, banks");
        for (uint8_t b = 0; b < log->bank_count; b++)
                snprintf(out + strlen(out), size - strlen(out), " %s",
                         alg_label(log->banks[b].alg, label, sizeof(label)));
        if (log->specid.size_excludes_vendor_info)
                strncat(out, ", size field leaves out vendor info", size - strlen(out) - 1);
}

static void describe_image(char *out, size_t size, const struct pg_evlog_event *ev)
{
        if (ev->data_size < sizeof(struct pg_tcg_image_load_head)) {
                snprintf(out, size, "%u bytes", ev->data_size);
                return;
        }
        snprintf(out, size, "image at 0x%llx, %llu bytes",
                 (unsigned long long)pg_load_le64(ev->data),
                 (unsigned long long)pg_load_le64(ev->data + 8));
}

static void describe_blob(char *out, size_t size, const struct pg_evlog_event *ev)
{
        if (ev->data_size != sizeof(struct pg_tcg_firmware_blob)) {
                describe_text(out, size, ev->data, ev->data_size);
                return;
        }
        snprintf(out, size, "blob at 0x%llx, %llu bytes",
                 (unsigned long long)pg_load_le64(ev->data),
                 (unsigned long long)pg_load_le64(ev->data + 8));
}

static void describe(char *out, size_t size, const struct pg_evlog *log,
                     const struct pg_evlog_event *ev)
{
        out[0] = 0;
        if (ev->flags & PG_EVLOG_EV_SPECID)
                return describe_specid(out, size, log, ev);
        if (ev->flags & PG_EVLOG_EV_STARTUP_LOCALITY) {
                snprintf(out, size, "StartupLocality %u", ev->locality);
                return;
        }
        switch (ev->type) {
        case PG_EV_EFI_VARIABLE_DRIVER_CONFIG:
        case PG_EV_EFI_VARIABLE_BOOT:
        case PG_EV_EFI_VARIABLE_BOOT2:
        case PG_EV_EFI_VARIABLE_AUTHORITY:
                return describe_variable(out, size, ev);
        case PG_EV_EFI_BOOT_SERVICES_APPLICATION:
        case PG_EV_EFI_BOOT_SERVICES_DRIVER:
        case PG_EV_EFI_RUNTIME_SERVICES_DRIVER:
                return describe_image(out, size, ev);
        case PG_EV_EFI_PLATFORM_FIRMWARE_BLOB:
        case PG_EV_S_CRTM_CONTENTS:
        case PG_EV_POST_CODE:
                return describe_blob(out, size, ev);
        case PG_EV_SEPARATOR:
                if (ev->data_size == 4 && !is_ascii_text(ev->data, 4)) {
                        snprintf(out, size, "%08x", pg_load_be32(ev->data));
                        return;
                }
                break;
        default:
                break;
        }
        describe_text(out, size, ev->data, ev->data_size);
}

/* ---- text output --------------------------------------------------------- */

static const char *check_label(enum pg_digest_check c)
{
        switch (c) {
        case PG_DIGEST_MATCH:
                return "match";
        case PG_DIGEST_MATCH_VALUE:
                return "match-value-only";
        case PG_DIGEST_MISMATCH:
                return "mismatch";
        default:
                return "not-checked";
        }
}

static void text_event(const struct eventlog_ctx *c, const struct pg_evlog_event *ev,
                       enum pg_digest_check check)
{
        const char *name = pg_evlog_type_name(ev->type);
        char desc[DESC_MAX], pcr[16], label[16];

        if (ev->pcr == PG_TCG_PCR_NONE)
                snprintf(pcr, sizeof(pcr), "-");
        else
                snprintf(pcr, sizeof(pcr), "%u", ev->pcr);
        printf("%5u  PCR %-2s  ", ev->index, pcr);
        if (name)
                printf("%-33s", name);
        else
                printf("0x%08x%-23s", ev->type, "");
        for (uint8_t b = 0; b < c->log.bank_count; b++) {
                if (!(ev->bank_mask & (1u << b)))
                        continue;
                printf(" %s:", alg_label(c->log.banks[b].alg, label, sizeof(label)));
                print_hex(stdout, ev->digest[b], SHORT_DIGEST_BYTES);
                printf("..");
        }
        describe(desc, sizeof(desc), &c->log, ev);
        printf("  %s", desc);
        if (check == PG_DIGEST_MISMATCH)
                printf("  [digest is not the hash of the data]");
        printf("\n");
}

static void text_pcrs(const struct pg_replay *r)
{
        char label[16];

        printf("\nreplayed PCRs:\n");
        for (uint8_t b = 0; b < r->bank_count; b++) {
                const struct pg_replay_bank *bank = &r->banks[b];

                printf("  %s:", alg_label(bank->alg, label, sizeof(label)));
                if (bank->hasher == NULL) {
                        printf(" not replayed (no hash for this algorithm)\n");
                        continue;
                }
                printf("\n");
                for (uint32_t i = 0; i < PG_EVLOG_PCR_COUNT; i++) {
                        if (!(bank->touched & (1u << i)))
                                continue;
                        printf("    %2u  ", i);
                        if (bank->incomplete & (1u << i))
                                printf("incomplete: an event extending it has no %s digest",
                                       label);
                        else
                                print_hex(stdout, bank->pcr[i], bank->size);
                        printf("\n");
                }
        }
}

static const char *format_name(const struct pg_evlog *log)
{
        return log->format == PG_EVLOG_FORMAT_CRYPTO_AGILE ? "crypto-agile" : "sha1-legacy";
}

/* ---- JSON output --------------------------------------------------------- */

static void json_specid(const struct pg_evlog *log)
{
        const struct pg_evlog_specid *s = &log->specid;

        if (log->format != PG_EVLOG_FORMAT_CRYPTO_AGILE)
                return;
        printf("\"spec_id\":{\"platform_class\":%u,\"version\":\"%u.%u.%u\",\"uintn_size\":%u,"
               "\"vendor_info\":\"", s->platform_class, s->version_major, s->version_minor,
               s->errata, s->uintn_size);
        print_hex(stdout, s->vendor_info, s->vendor_info_size);
        printf("\",\"size_excludes_vendor_info\":%s},",
               s->size_excludes_vendor_info ? "true" : "false");
}

static void json_banks(const struct pg_evlog *log)
{
        char label[16];

        printf("\"banks\":[");
        for (uint8_t b = 0; b < log->bank_count; b++)
                printf("%s{\"alg\":\"%s\",\"alg_id\":%u,\"digest_size\":%u}", b ? "," : "",
                       alg_label(log->banks[b].alg, label, sizeof(label)), log->banks[b].alg,
                       log->banks[b].size);
        printf("],");
}

static void json_event(const struct eventlog_ctx *c, const struct pg_evlog_event *ev,
                       enum pg_digest_check check, bool first)
{
        const char *name = pg_evlog_type_name(ev->type);
        char label[16];
        bool any = false;

        printf("%s{\"index\":%u,\"offset\":%zu,\"pcr\":%u,\"type\":%u,\"type_name\":",
               first ? "" : ",", ev->index, ev->offset, ev->pcr, ev->type);
        if (name)
                printf("\"%s\"", name);
        else
                printf("null");
        printf(",\"digests\":{");
        for (uint8_t b = 0; b < c->log.bank_count; b++) {
                if (!(ev->bank_mask & (1u << b)))
                        continue;
                printf("%s\"%s\":\"", any ? "," : "",
                       alg_label(c->log.banks[b].alg, label, sizeof(label)));
                print_hex(stdout, ev->digest[b], c->log.banks[b].size);
                printf("\"");
                any = true;
        }
        printf("},\"data\":\"");
        print_hex(stdout, ev->data, ev->data_size);
        printf("\",\"digest_check\":\"%s\"}", check_label(check));
}

static void json_pcrs(const struct pg_replay *r)
{
        char label[16];
        bool first_bank = true;

        printf("\"pcrs\":{");
        for (uint8_t b = 0; b < r->bank_count; b++) {
                const struct pg_replay_bank *bank = &r->banks[b];
                bool first = true;

                if (bank->hasher == NULL)
                        continue;
                printf("%s\"%s\":{", first_bank ? "" : ",",
                       alg_label(bank->alg, label, sizeof(label)));
                first_bank = false;
                for (uint32_t i = 0; i < PG_EVLOG_PCR_COUNT; i++) {
                        uint32_t bit = 1u << i;

                        if (!(bank->touched & bit) || (bank->incomplete & bit))
                                continue;
                        printf("%s\"%u\":\"", first ? "" : ",", i);
                        print_hex(stdout, bank->pcr[i], bank->size);
                        printf("\"");
                        first = false;
                }
                printf("}");
        }
        printf("},");
}

static void json_incomplete(const struct pg_replay *r)
{
        char label[16];
        bool first_bank = true;

        printf("\"incomplete_pcrs\":{");
        for (uint8_t b = 0; b < r->bank_count; b++) {
                const struct pg_replay_bank *bank = &r->banks[b];
                bool first = true;

                if (bank->incomplete == 0)
                        continue;
                printf("%s\"%s\":[", first_bank ? "" : ",",
                       alg_label(bank->alg, label, sizeof(label)));
                first_bank = false;
                for (uint32_t i = 0; i < PG_EVLOG_PCR_COUNT; i++) {
                        if (!(bank->incomplete & (1u << i)))
                                continue;
                        printf("%s%u", first ? "" : ",", i);
                        first = false;
                }
                printf("]");
        }
        printf("}");
}

/* ---- driver -------------------------------------------------------------- */

static void report_error(const struct eventlog_ctx *c, pg_err err, uint32_t index,
                         size_t offset)
{
        const char *name = pg_err_name(err);
        const char *text = pg_err_text(err);

        fprintf(stderr, "prodgate eventlog: %s: event %u at byte offset %zu: %s (0x%04x): %s\n",
                c->path, index, offset, name ? name : "PG_ERR_UNKNOWN", err,
                text ? text : "unknown error");
}

/* Parses and replays the whole log; c->log is left at the first event. */
static int load(struct eventlog_ctx *c, const uint8_t *buf, size_t len)
{
        struct pg_evlog walk;
        size_t n = pg_tool_hashers(c->hashers);
        pg_err err;

        err = pg_evlog_init(&c->log, buf, len);
        if (err != PG_OK) {
                report_error(c, err, 0, 0);
                return PG_EXIT_ERROR;
        }
        walk = c->log;
        err = pg_replay_init(&c->replay, &c->log, c->hashers, n);
        if (err == PG_OK)
                err = pg_replay_log(&c->replay, &walk);
        if (err != PG_OK) {
                if (walk.err != PG_OK)
                        report_error(c, err, walk.err_index, walk.err_offset);
                else
                        report_error(c, err, walk.next_index, walk.pos);
                return PG_EXIT_ERROR;
        }
        c->padding = walk.padding;
        return PG_EXIT_OK;
}

static int print_events(const struct eventlog_ctx *c, bool json)
{
        struct pg_evlog it = c->log;
        bool first = true;

        for (;;) {
                struct pg_evlog_event ev;
                enum pg_digest_check check;
                bool end;
                pg_err err;

                err = pg_evlog_next(&it, &ev, &end);
                if (err == PG_OK && end)
                        return PG_EXIT_OK;
                if (err == PG_OK)
                        err = pg_replay_check_digest(&c->replay, &ev, &check);
                if (err != PG_OK) {
                        report_error(c, err, it.next_index, it.pos);
                        return PG_EXIT_ERROR;
                }
                if (json)
                        json_event(c, &ev, check, first);
                else
                        text_event(c, &ev, check);
                first = false;
        }
}

static int output(const struct eventlog_ctx *c, bool json)
{
        int rc;

        if (!json) {
                printf("format: %s%s, %u events\n", format_name(&c->log),
                       c->log.cc_event_log ? " (confidential-computing log: indices are "
                                             "measurement registers)" : "",
                       c->replay.events);
                rc = print_events(c, false);
                if (rc != PG_EXIT_OK)
                        return rc;
                if (c->padding)
                        printf("%zu bytes of 0xFF padding after the last event\n", c->padding);
                text_pcrs(&c->replay);
                return PG_EXIT_OK;
        }
        printf("{\"format\":\"%s\",\"cc_event_log\":%s,", format_name(&c->log),
               c->log.cc_event_log ? "true" : "false");
        json_specid(&c->log);
        json_banks(&c->log);
        printf("\"padding_bytes\":%zu,\"events\":[", c->padding);
        rc = print_events(c, true);
        if (rc != PG_EXIT_OK)
                return rc;
        printf("],");
        json_pcrs(&c->replay);
        json_incomplete(&c->replay);
        printf("}\n");
        return PG_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct eventlog_opts *o)
{
        bool have_path = false;

        o->path = EVENTLOG_DEFAULT_PATH;
        o->json = false;
        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--json")) {
                        o->json = true;
                } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
                        usage(stdout);
                        return -1;
                } else if (argv[i][0] == '-' && argv[i][1] != 0) {
                        fprintf(stderr, "prodgate eventlog: unknown option '%s'\n\n",
                                argv[i]);
                        usage(stderr);
                        return PG_EXIT_USAGE;
                } else if (!have_path) {
                        o->path = argv[i];
                        have_path = true;
                } else {
                        usage(stderr);
                        return PG_EXIT_USAGE;
                }
        }
        return PG_EXIT_OK;
}

int cmd_eventlog(int argc, char **argv)
{
        struct eventlog_opts opts;
        struct eventlog_ctx *c;
        uint8_t *buf;
        size_t len;
        int rc;

        rc = parse_args(argc, argv, &opts);
        if (rc != PG_EXIT_OK)
                return rc < 0 ? PG_EXIT_OK : rc;
        if (read_input(opts.path, &buf, &len) != 0)
                return PG_EXIT_ERROR;
        c = calloc(1, sizeof(*c));
        if (c == NULL) {
                free(buf);
                fprintf(stderr, "prodgate eventlog: out of memory\n");
                return PG_EXIT_ERROR;
        }
        c->path = strcmp(opts.path, "-") ? opts.path : "(stdin)";
        rc = load(c, buf, len);
        if (rc == PG_EXIT_OK)
                rc = output(c, opts.json);
        if (fflush(stdout) != 0 && rc == PG_EXIT_OK) {
                fprintf(stderr, "prodgate eventlog: write error: %s\n", strerror(errno));
                rc = PG_EXIT_ERROR;
        }
        free(c);
        free(buf);
        return rc;
}
