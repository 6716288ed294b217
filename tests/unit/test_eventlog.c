/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Event log parser and replay.
 *
 * Corpus: every binary file under eventlogs/ has an explicit entry below
 * (format, event count, banks, or the exact error), and a test fails when
 * the corpus contains a file the table does not list. Where another tool
 * recorded PCR values for a log (go-tpm-tools, tpm2_eventlog YAML, fwupd,
 * go-attestation), the replay must equal them. Each real-world quirk is
 * checked on a corpus file that has it.
 *
 * Synthetic: a small valid crypto-agile log built here, then one field
 * broken at a time, each asserting its exact error code; the last test
 * fails when a code of measured/errors.def was never asserted.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "test.h"
#include "measured/replay.h"
/* NOLINTNEXTLINE(bugprone-suspicious-include): compiled in to reach its static functions */
#include "tools/digest.c"

/* ---- code coverage of the assertions ------------------------------------ */

static pg_err codes_seen[256];
static size_t codes_seen_count;

static void note_code(pg_err code)
{
        for (size_t i = 0; i < codes_seen_count; i++)
                if (codes_seen[i] == code)
                        return;
        if (codes_seen_count < PG_ARRAY_SIZE(codes_seen))
                codes_seen[codes_seen_count++] = code;
}

#define CHECK_CODE(actual, expected)                                          \
        do {                                                                  \
                note_code(expected);                                          \
                CHECK_ERR(actual, expected);                                  \
        } while (0)

/* ---- loading and replaying a log ----------------------------------------- */

struct loaded {
        uint8_t *buf;
        size_t len;
        struct pg_evlog log;            /* after init: at the first event */
        struct pg_evlog walked;         /* after the replay walk */
        struct pg_replay replay;
        struct pg_replay_hasher hashers[PG_TOOL_HASHER_MAX];
        pg_err init_err;
        pg_err err;                     /* first error of init or walk */
};

/* Takes ownership of buf (malloc'd). */
static struct loaded *load_buf(uint8_t *buf, size_t len)
{
        struct loaded *l = calloc(1, sizeof(*l));
        size_t n;

        if (!l)
                abort();
        l->buf = buf;
        l->len = len;
        n = pg_tool_hashers(l->hashers);
        l->init_err = l->err = pg_evlog_init(&l->log, buf, len);
        if (l->err != PG_OK)
                return l;
        l->walked = l->log;
        l->err = pg_replay_init(&l->replay, &l->log, l->hashers, n);
        if (l->err == PG_OK)
                l->err = pg_replay_log(&l->replay, &l->walked);
        return l;
}

static struct loaded *load_copy(const uint8_t *data, size_t len)
{
        uint8_t *buf = malloc(len ? len : 1);

        if (!buf)
                abort();
        memcpy(buf, data, len);
        return load_buf(buf, len);
}

static struct loaded *load_corpus(const char *rel)
{
        char path[512];
        size_t len;
        uint8_t *buf;

        snprintf(path, sizeof(path), "eventlogs/%s", rel);
        buf = test_read_file(test_corpus_path(path), &len);
        return load_buf(buf, len);
}

static void unload(struct loaded *l)
{
        free(l->buf);
        free(l);
}

/* Finds the event with the given index in a parsed log. */
static bool get_event(const struct loaded *l, uint32_t index, struct pg_evlog_event *ev)
{
        struct pg_evlog it = l->log;
        bool end;

        for (;;) {
                if (pg_evlog_next(&it, ev, &end) != PG_OK || end)
                        return false;
                if (ev->index == index)
                        return true;
        }
}

static uint16_t alg_by_name(const char *name)
{
        static const uint16_t algs[] = { PG_TPM_ALG_SHA1, PG_TPM_ALG_SHA256, PG_TPM_ALG_SHA384,
                                          PG_TPM_ALG_SHA512, PG_TPM_ALG_SM3_256 };

        for (size_t i = 0; i < PG_ARRAY_SIZE(algs); i++)
                if (!strcmp(pg_evlog_alg_name(algs[i]), name))
                        return algs[i];
        return 0;
}

static const struct pg_replay_bank *replay_bank(const struct pg_replay *r, uint16_t alg)
{
        for (uint8_t b = 0; b < r->bank_count; b++)
                if (r->banks[b].alg == alg)
                        return &r->banks[b];
        return NULL;
}

/* Compares one replayed PCR with an expected hex value from a source file. */
static bool check_pcr(const struct loaded *l, const char *alg, unsigned pcr, const char *hex,
                      const char *source)
{
        uint8_t want[PG_EVLOG_MAX_DIGEST_SIZE], got[PG_EVLOG_MAX_DIGEST_SIZE];
        long n = test_unhex(hex, want, sizeof(want));
        pg_err err;

        if (n <= 0) {
                test_report(__FILE__, __LINE__, "%s: bad hex for %s PCR %u", source, alg, pcr);
                return false;
        }
        err = pg_replay_read(&l->replay, alg_by_name(alg), pcr, got, (size_t)n);
        if (err != PG_OK) {
                test_report(__FILE__, __LINE__, "%s: %s PCR %u: %s", source, alg, pcr,
                            test_err_name(err));
                return false;
        }
        if (memcmp(got, want, (size_t)n) != 0) {
                test_report(__FILE__, __LINE__, "%s: %s PCR %u differs from the expected %s",
                            source, alg, pcr, hex);
                return false;
        }
        return true;
}

/* Returns true when two replays have the same banks, PCR values and PCR sets. */
static bool same_pcrs(const struct pg_replay *a, const struct pg_replay *b)
{
        if (a->bank_count != b->bank_count)
                return false;
        for (uint8_t i = 0; i < a->bank_count; i++) {
                const struct pg_replay_bank *x = &a->banks[i], *y = &b->banks[i];

                if (x->alg != y->alg || x->touched != y->touched ||
                    x->incomplete != y->incomplete || memcmp(x->pcr, y->pcr, sizeof(x->pcr)) != 0)
                        return false;
        }
        return true;
}

static char *read_corpus_text(const char *rel)
{
        char path[512];
        size_t len;

        snprintf(path, sizeof(path), "eventlogs/%s", rel);
        return (char *)test_read_file(test_corpus_path(path), &len);
}

/* ---- the corpus ---------------------------------------------------------- */

#define AGILE PG_EVLOG_FORMAT_CRYPTO_AGILE
#define SHA1LOG PG_EVLOG_FORMAT_SHA1

struct corpus_log {
        const char *path;
        pg_err err;             /* PG_OK: the log parses */
        int format;
        uint32_t events;        /* records, the first one included */
        const char *banks;
};

static const struct corpus_log corpus_logs[] = {
        { "fwupd-test-firmware/binary_bios_measurements-v1", PG_OK, SHA1LOG, 108, "sha1" },
        { "fwupd-test-firmware/binary_bios_measurements-v2", PG_OK, AGILE, 128, "sha1,sha256" },
        { "go-attestation/coreos_36_shielded_vm_no_secure_boot_eventlog", PG_OK, AGILE, 76,
          "sha1,sha256,sha384" },
        { "go-attestation/crypto_agile_eventlog", PG_OK, AGILE, 27, "sha256" },
        { "go-attestation/ebs_event_missing_eventlog", PG_OK, SHA1LOG, 38, "sha1" },
        { "go-attestation/linux_tpm12.eventlog.bin", PG_OK, SHA1LOG, 40, "sha1" },
        { "go-attestation/option_rom_eventlog", PG_OK, SHA1LOG, 61, "sha1" },
        { "go-attestation/sb_cert_eventlog", PG_OK, AGILE, 15, "sha1,sha256,sha384" },
        { "go-attestation/short_no_action_eventlog", PG_ERR_EVLOG_SPECID_SIGNATURE, 0, 0, NULL },
        { "go-attestation/ubuntu_2104_shielded_vm_no_secure_boot_eventlog", PG_OK, AGILE, 106,
          "sha1,sha256,sha384" },
        { "go-attestation/windows_gcp_shielded_vm.eventlog.bin", PG_OK, SHA1LOG, 21, "sha1" },
        /* ACPI CCEL tables, not logs */
        { "go-eventlog/ccel/CCEL.bin", PG_ERR_EVLOG_JUNK, 0, 0, NULL },
        { "go-eventlog/ccel/cos-113-intel-tdx.table.bin", PG_ERR_EVLOG_JUNK, 0, 0, NULL },
        { "go-eventlog/ccel/CCEL_unpadded.data.bin", PG_OK, AGILE, 20, "sha384" },
        { "go-eventlog/ccel/cos-113-intel-tdx-dupe-separator-unpadded.bin", PG_OK, AGILE, 44,
          "sha384" },
        { "go-eventlog/ccel/cos-113-intel-tdx.bin", PG_OK, AGILE, 44, "sha384" },
        { "go-eventlog/ccel/event_log.bin", PG_OK, AGILE, 28, "sha384" },
        { "go-tpm-tools/arch-linux-workstation.bin", PG_OK, AGILE, 25, "sha1,sha256" },
        /* a CEL-TLV log, not a TCG PC Client log: its first "event size" is huge */
        { "go-tpm-tools/cel.bin", PG_ERR_EVLOG_DATA_TOO_LARGE, 0, 0, NULL },
        { "go-tpm-tools/confidential-gke-debug-251000_eventlog.bin", PG_OK, AGILE, 55,
          "sha1,sha256,sha384" },
        { "go-tpm-tools/cos-101-amd-sev.bin", PG_OK, AGILE, 49, "sha1,sha256,sha384" },
        { "go-tpm-tools/debian-10.bin", PG_OK, SHA1LOG, 25, "sha1" },
        { "go-tpm-tools/eventlogwithsp800155.bin", PG_OK, AGILE, 54, "sha1,sha256,sha384" },
        { "go-tpm-tools/gdc-host.bin", PG_OK, AGILE, 159, "sha256" },
        { "go-tpm-tools/glinux-alex.bin", PG_OK, AGILE, 29, "sha1,sha256" },
        { "go-tpm-tools/rhel8-uefi.bin", PG_OK, AGILE, 83, "sha1,sha256,sha384" },
        { "go-tpm-tools/ubuntu-1804-amd-sev.bin", PG_OK, AGILE, 88, "sha1,sha256,sha384" },
        { "go-tpm-tools/ubuntu-2404-amd-sevsnp.bin", PG_OK, AGILE, 117, "sha1,sha256,sha384" },
        { "keylime/binary_bios_measurements", PG_OK, AGILE, 121, "sha1,sha256" },
        { "keylime/binary_bios_measurements-bogus", PG_ERR_EVLOG_JUNK, 0, 0, NULL },
        { "keylime/binary_bios_measurements-empty", PG_ERR_EVLOG_EMPTY, 0, 0, NULL },
        { "keylime/binary_bios_measurements-secureboot", PG_OK, AGILE, 99, "sha256" },
        { "keylime/mb_log.bin", PG_OK, AGILE, 102, "sha256" },
        { "secboot/eventlog_dell_embedded_box_pc_3000.bin", PG_OK, AGILE, 83, "sha1,sha256" },
        { "secboot/testdata-2020/eventlog1.bin", PG_OK, AGILE, 32, "sha1,sha256" },
        { "secboot/testdata-2020/eventlog2.bin", PG_OK, AGILE, 33, "sha1,sha256" },
        { "secboot/testdata-2020/eventlog3.bin", PG_OK, AGILE, 29, "sha1,sha256" },
        { "tcglog-parser/binary_bios_measurements", PG_OK, AGILE, 115, "sha1,sha256" },
        { "tpm2-tools/event-arch-linux.bin", PG_OK, AGILE, 25, "sha1,sha256" },
        { "tpm2-tools/event-bootorder.bin", PG_OK, AGILE, 104, "sha1,sha256" },
        { "tpm2-tools/event-gce-ubuntu-2104-log.bin", PG_OK, AGILE, 112, "sha1,sha256,sha384" },
        { "tpm2-tools/event-moklisttrusted.bin", PG_OK, AGILE, 97, "sha256" },
        { "tpm2-tools/event-postcode.bin", PG_OK, AGILE, 59, "sha1,sha256" },
        { "tpm2-tools/event-sd-boot-fedora37.bin", PG_OK, AGILE, 28, "sha256" },
        { "tpm2-tools/event-uefi-sha1-log.bin", PG_OK, SHA1LOG, 17, "sha1" },
        { "tpm2-tools/event-uefiaction.bin", PG_OK, AGILE, 2, "sha1,sha256,sha384,sha512" },
        { "tpm2-tools/event-uefiservices.bin", PG_OK, AGILE, 2, "sha1,sha256" },
        { "tpm2-tools/event-uefivar.bin", PG_OK, AGILE, 2, "sha1,sha256,sha384,sha512" },
        { "tpm2-tools/event.bin", PG_OK, AGILE, 2, "sha1,sha256,sha384,sha512" },
        { "tpm2-tools/specid-vendordata.bin", PG_OK, AGILE, 1, "sha1,sha256" },
        { "tpm2-tss/binary_measurements_hcrtm.bin", PG_OK, AGILE, 204, "sha1,sha256,sm3_256" },
        { "tpm2-tss/binary_measurements_pc_client.bin", PG_OK, AGILE, 33, "sha1,sha256" },
        { "tpm2-tss/specid-vendordata.bin", PG_OK, AGILE, 1, "sha1,sha256" },
};

static void bank_list(const struct pg_evlog *log, char *out, size_t size)
{
        out[0] = 0;
        for (uint8_t b = 0; b < log->bank_count; b++) {
                const char *name = pg_evlog_alg_name(log->banks[b].alg);

                snprintf(out + strlen(out), size - strlen(out), "%s%s", b ? "," : "",
                         name ? name : "?");
        }
}

static void check_corpus_log(const struct corpus_log *c)
{
        struct loaded *l = load_corpus(c->path);
        char banks[128];

        note_code(c->err);
        if (l->err != c->err) {
                test_report(__FILE__, __LINE__, "%s: %s, expected %s", c->path,
                            test_err_name(l->err), test_err_name(c->err));
        } else if (c->err == PG_OK) {
                bank_list(&l->log, banks, sizeof(banks));
                if ((int)l->log.format != c->format || l->replay.events != c->events ||
                    strcmp(banks, c->banks) != 0)
                        test_report(__FILE__, __LINE__,
                                    "%s: format %d, %u events, banks %s; expected %d, %u, %s",
                                    c->path, l->log.format, l->replay.events, banks, c->format,
                                    c->events, c->banks);
                CHECK(l->walked.ended);
        } else {
                /* every malformed corpus file fails on its first record */
                CHECK_INT(l->init_err, c->err);
        }
        if (getenv("PG_TEST_VERBOSE"))
                printf("    %-66s %s %u events\n", c->path, test_err_name(l->err),
                       l->replay.events);
        unload(l);
}

TEST(corpus_every_log)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(corpus_logs); i++)
                check_corpus_log(&corpus_logs[i]);
}

static bool is_listed(const char *rel)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(corpus_logs); i++)
                if (!strcmp(corpus_logs[i].path, rel))
                        return true;
        return false;
}

/* Text files next to the logs: expected values, sources, base64 twins. */
static bool is_side_file(const char *name)
{
        static const char *const suffixes[] = { ".md", ".txt", ".yaml", ".json", ".b64",
                                                ".warn" };
        size_t n = strlen(name);

        if (!strcmp(name, "README"))
                return true;
        for (size_t i = 0; i < PG_ARRAY_SIZE(suffixes); i++) {
                size_t s = strlen(suffixes[i]);

                if (n >= s && !strcmp(name + n - s, suffixes[i]))
                        return true;
        }
        return false;
}

static void scan_dir(const char *base, const char *rel, unsigned *files)
{
        char path[1024];
        DIR *d;
        struct dirent *e;

        snprintf(path, sizeof(path), "%s/%s", base, rel);
        d = opendir(path);
        if (!d) {
                test_report(__FILE__, __LINE__, "cannot list %s", path);
                return;
        }
        while ((e = readdir(d)) != NULL) {
                char sub[1024], full[2048];
                struct stat st;

                if (e->d_name[0] == '.')
                        continue;
                snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
                snprintf(full, sizeof(full), "%s/%s", base, sub);
                if (stat(full, &st) != 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        scan_dir(base, sub, files);
                } else if (!is_side_file(e->d_name)) {
                        (*files)++;
                        if (!is_listed(sub))
                                test_report(__FILE__, __LINE__,
                                            "corpus file %s has no entry in corpus_logs", sub);
                }
        }
        closedir(d);
}

TEST(corpus_no_unlisted_file)
{
        char base[4096];
        unsigned files = 0;

        snprintf(base, sizeof(base), "%s", test_corpus_path("eventlogs"));
        scan_dir(base, "", &files);
        CHECK_INT(files, PG_ARRAY_SIZE(corpus_logs));
}

/* ---- expected PCR values ------------------------------------------------- */

/* go-tpm-tools: "ALG PCR HEX" lines. */
static unsigned check_gotpm_file(const char *log_rel, const char *expected_rel)
{
        struct loaded *l = load_corpus(log_rel);
        char *text = read_corpus_text(expected_rel);
        unsigned matched = 0;

        CHECK_ERR(l->err, PG_OK);
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
                char alg[16], hex[160];
                unsigned pcr;

                if (line[0] == '#' || sscanf(line, "%15s %u %159s", alg, &pcr, hex) != 3)
                        continue;
                matched += check_pcr(l, alg, pcr, hex, expected_rel);
        }
        free(text);
        unload(l);
        return matched;
}

TEST(expected_go_tpm_tools)
{
        static const char *const pairs[][2] = {
                { "go-tpm-tools/arch-linux-workstation.bin",
                  "go-tpm-tools/arch-linux-workstation.expected-pcrs.txt" },
                { "go-tpm-tools/confidential-gke-debug-251000_eventlog.bin",
                  "go-tpm-tools/confidential-gke-debug-251000_eventlog.expected-pcrs.txt" },
                { "go-tpm-tools/cos-101-amd-sev.bin",
                  "go-tpm-tools/cos-101-amd-sev.expected-pcrs.txt" },
                { "go-tpm-tools/debian-10.bin", "go-tpm-tools/debian-10.expected-pcrs.txt" },
                { "go-tpm-tools/eventlogwithsp800155.bin",
                  "go-tpm-tools/eventlogwithsp800155.expected-pcrs.txt" },
                { "go-tpm-tools/gdc-host.bin", "go-tpm-tools/gdc-host.expected-pcrs.txt" },
                { "go-tpm-tools/glinux-alex.bin", "go-tpm-tools/glinux-alex.expected-pcrs.txt" },
                { "go-tpm-tools/rhel8-uefi.bin", "go-tpm-tools/rhel8-uefi.expected-pcrs.txt" },
                { "go-tpm-tools/ubuntu-1804-amd-sev.bin",
                  "go-tpm-tools/ubuntu-1804-amd-sev.expected-pcrs.txt" },
                { "go-tpm-tools/ubuntu-2404-amd-sevsnp.bin",
                  "go-tpm-tools/ubuntu-2404-amd-sevsnp.expected-pcrs.txt" },
                { "tpm2-tools/event-gce-ubuntu-2104-log.bin",
                  "go-tpm-tools/ubuntu-2104-no-dbx.expected-pcrs.txt" },
                { "go-attestation/ubuntu_2104_shielded_vm_no_secure_boot_eventlog",
                  "go-tpm-tools/ubuntu-2104-no-secure-boot.expected-pcrs.txt" },
        };
        unsigned total = 0;

        for (size_t i = 0; i < PG_ARRAY_SIZE(pairs); i++) {
                unsigned n = check_gotpm_file(pairs[i][0], pairs[i][1]);

                if (n < 8)
                        test_report(__FILE__, __LINE__, "%s: only %u PCRs matched", pairs[i][1], n);
                total += n;
        }
        if (getenv("PG_TEST_VERBOSE"))
                printf("    go-tpm-tools: %u PCR values matched\n", total);
}

/* fwupd: "FILE ALG PCR HEX" lines. */
TEST(expected_fwupd_pcr0)
{
        char *text = read_corpus_text("fwupd-test-firmware/expected-pcr0.txt");
        unsigned matched = 0;

        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
                char file[128], rel[200], alg[16], hex[160];
                unsigned pcr;
                struct loaded *l;

                if (line[0] == '#' ||
                    sscanf(line, "%127s %15s %u %159s", file, alg, &pcr, hex) != 4)
                        continue;
                snprintf(rel, sizeof(rel), "fwupd-test-firmware/%s", file);
                l = load_corpus(rel);
                CHECK_ERR(l->err, PG_OK);
                matched += check_pcr(l, alg, pcr, hex, "fwupd expected-pcr0.txt");
                unload(l);
        }
        CHECK_INT(matched, 3);
        free(text);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
        for (size_t i = 0; i < n; i++)
                if (p[i] != v)
                        return false;
        return true;
}

/*
 * go-attestation: " PCR HEX" SHA-1 lines for all 24 PCRs, as read from the
 * TPM. Every PCR the log extends must match. Of the others, the firmware
 * PCRs 0-7 must be at their reset value, zero. PCRs from 8 on are not
 * checked: the operating system extends them after the log was taken (IMA
 * uses PCR 10), and the TPM 1.2 dynamic PCRs 17-22 reset to all ones.
 */
static void check_goattest_file(const char *log_rel, const char *expected_rel)
{
        struct loaded *l = load_corpus(log_rel);
        char *text = read_corpus_text(expected_rel);
        const struct pg_replay_bank *bank;
        unsigned matched = 0, lines = 0;

        CHECK_ERR(l->err, PG_OK);
        bank = replay_bank(&l->replay, PG_TPM_ALG_SHA1);
        CHECK(bank != NULL);
        for (char *line = strtok(text, "\n"); bank && line; line = strtok(NULL, "\n")) {
                uint8_t want[20];
                char hex[160];
                unsigned pcr;

                if (line[0] == '#' || sscanf(line, "%u %159s", &pcr, hex) != 2 || pcr >= 24)
                        continue;
                lines++;
                if (bank->touched & (1u << pcr)) {
                        matched += check_pcr(l, "sha1", pcr, hex, expected_rel);
                        continue;
                }
                CHECK_INT(test_unhex(hex, want, sizeof(want)), 20);
                if (pcr < 8 && !all_bytes(want, 20, 0))
                        test_report(__FILE__, __LINE__, "%s: PCR %u is set but the log never "
                                    "extends it", expected_rel, pcr);
        }
        CHECK_INT(lines, 24);
        CHECK(matched >= 5);
        free(text);
        unload(l);
}

TEST(expected_go_attestation)
{
        check_goattest_file("go-attestation/linux_tpm12.eventlog.bin",
                            "go-attestation/linux_tpm12.pcrs-sha1.txt");
        check_goattest_file("go-attestation/windows_gcp_shielded_vm.eventlog.bin",
                            "go-attestation/windows_gcp_shielded_vm.pcrs-sha1.txt");
}

/*
 * tpm2_eventlog YAML: the "pcrs:" section lists, per bank, every PCR the
 * log extends. The replay must have exactly that set (PCRs whose events
 * lack the bank's digest excluded) with the same values.
 */
static void check_yaml_file(const char *log_rel, const char *yaml_rel)
{
        struct loaded *l = load_corpus(log_rel);
        char *text = read_corpus_text(yaml_rel);
        char *section = strstr(text, "\npcrs:");
        char alg[16] = "";
        unsigned listed = 0, ours = 0;

        CHECK_ERR(l->err, PG_OK);
        if (!section) {
                test_report(__FILE__, __LINE__, "%s has no pcrs: section", yaml_rel);
                section = text + strlen(text);
        }
        for (char *line = strtok(section + 1, "\n"); line; line = strtok(NULL, "\n")) {
                char hex[160];
                unsigned pcr;

                if (line[0] == ' ' && line[1] == ' ' && line[2] != ' ') {
                        sscanf(line, "  %15[a-z0-9_]", alg);
                        continue;
                }
                if (sscanf(line, " %u : 0x%159s", &pcr, hex) == 2) {
                        listed++;
                        check_pcr(l, alg, pcr, hex, yaml_rel);
                }
        }
        for (uint8_t b = 0; b < l->replay.bank_count; b++) {
                const struct pg_replay_bank *bank = &l->replay.banks[b];

                for (unsigned i = 0; i < 24; i++)
                        ours += (bank->touched & ~bank->incomplete) >> i & 1;
        }
        if (ours != listed)
                test_report(__FILE__, __LINE__, "%s lists %u PCRs, the replay has %u", yaml_rel,
                            listed, ours);
        free(text);
        unload(l);
}

TEST(expected_tpm2_tools_yaml)
{
        static const char *const logs[] = {
                "event-arch-linux.bin", "event-bootorder.bin", "event-gce-ubuntu-2104-log.bin",
                "event-moklisttrusted.bin", "event-postcode.bin", "event-sd-boot-fedora37.bin",
                "event-uefi-sha1-log.bin", "event-uefiaction.bin", "event-uefiservices.bin",
                "event-uefivar.bin",
        };

        for (size_t i = 0; i < PG_ARRAY_SIZE(logs); i++) {
                char log_rel[128], pretty[160], raw[160];

                snprintf(log_rel, sizeof(log_rel), "tpm2-tools/%s", logs[i]);
                snprintf(pretty, sizeof(pretty), "tpm2-tools/event-pretty/%s.yaml", logs[i]);
                snprintf(raw, sizeof(raw), "tpm2-tools/event-raw/%s.yaml", logs[i]);
                check_yaml_file(log_rel, pretty);
                check_yaml_file(log_rel, raw);
        }
        check_yaml_file("tpm2-tools/event.bin", "tpm2-tools/event.bin.yaml");
        check_yaml_file("tpm2-tools/specid-vendordata.bin",
                        "tpm2-tools/specid-vendordata.bin.yaml");
}

/* ---- real-world quirks, each on a corpus file that has it ---------------- */

static const char *evp_name(uint16_t alg);

static void evp_extend(uint16_t alg, uint8_t *pcr, const uint8_t *digest, size_t size)
{
        EVP_MD_CTX *c = EVP_MD_CTX_new();
        unsigned int n;

        EVP_DigestInit_ex(c, EVP_get_digestbyname(evp_name(alg)), NULL);
        EVP_DigestUpdate(c, pcr, size);
        EVP_DigestUpdate(c, digest, size);
        EVP_DigestFinal_ex(c, pcr, &n);
        EVP_MD_CTX_free(c);
}

/* PCR 0 of one bank computed outside the replay code, from a given start. */
static void pcr0_by_hand(const struct loaded *l, uint16_t alg, uint8_t start, uint8_t *out)
{
        int b = pg_evlog_bank_index(&l->log, alg);
        size_t size = l->log.banks[b].size;
        struct pg_evlog it = l->log;
        struct pg_evlog_event ev;
        bool end;

        memset(out, 0, size);
        out[size - 1] = start;
        while (pg_evlog_next(&it, &ev, &end) == PG_OK && !end)
                if (ev.pcr == 0 && ev.type != PG_EV_NO_ACTION)
                        evp_extend(alg, out, ev.digest[b], size);
}

static void check_startup_locality(const char *rel)
{
        struct loaded *l = load_corpus(rel);
        struct pg_evlog_event ev;
        uint8_t by_hand[32], replayed[32];

        CHECK_ERR(l->err, PG_OK);
        CHECK(get_event(l, 1, &ev));
        CHECK(ev.flags & PG_EVLOG_EV_STARTUP_LOCALITY);
        CHECK(ev.flags & PG_EVLOG_EV_NO_EXTEND);
        CHECK_INT(ev.locality, 3);
        CHECK_INT(l->replay.pcr0_locality, 3);
        CHECK_ERR(pg_replay_read(&l->replay, PG_TPM_ALG_SHA256, 0, replayed, 32), PG_OK);
        pcr0_by_hand(l, PG_TPM_ALG_SHA256, 3, by_hand);
        CHECK_MEM(replayed, by_hand, 32);
        /* from a zero start the value differs: the locality is what matches */
        pcr0_by_hand(l, PG_TPM_ALG_SHA256, 0, by_hand);
        CHECK(memcmp(replayed, by_hand, 32) != 0);
        unload(l);
}

/* "StartupLocality\0" + 3 starts PCR 0 at 00..03; expected PCR 0 values of
 * both logs are checked in expected_go_tpm_tools. */
TEST(quirk_startup_locality)
{
        check_startup_locality("go-tpm-tools/glinux-alex.bin");
        check_startup_locality("go-tpm-tools/gdc-host.bin");
}

/* H-CRTM: PCR 0 starts at 00..04 in every bank, SM3 included, and the
 * EV_EFI_HCRTM_EVENT digest (not the hash of "HCRTM") is extended. */
TEST(quirk_hcrtm)
{
        struct loaded *l = load_corpus("tpm2-tss/binary_measurements_hcrtm.bin");
        static const uint16_t algs[] = { PG_TPM_ALG_SHA1, PG_TPM_ALG_SHA256, PG_TPM_ALG_SM3_256 };
        struct pg_evlog_event ev;
        enum pg_digest_check check;

        CHECK_ERR(l->err, PG_OK);
        CHECK(get_event(l, 1, &ev));
        CHECK_INT(ev.type, PG_EV_EFI_HCRTM_EVENT);
        CHECK(ev.flags & PG_EVLOG_EV_HCRTM);
        CHECK_INT(ev.locality, 4);
        CHECK_INT(l->replay.pcr0_locality, 4);
        CHECK_ERR(pg_replay_check_digest(&l->replay, &ev, &check), PG_OK);
        CHECK_INT(check, PG_DIGEST_NOT_CHECKED);
        for (size_t i = 0; i < PG_ARRAY_SIZE(algs); i++) {
                uint8_t by_hand[32], replayed[32];
                size_t size = pg_evlog_alg_digest_size(algs[i]);

                CHECK_ERR(pg_replay_read(&l->replay, algs[i], 0, replayed, size), PG_OK);
                pcr0_by_hand(l, algs[i], 4, by_hand);
                CHECK_MEM(replayed, by_hand, size);
        }
        unload(l);
}

static unsigned count_no_action(const struct loaded *l, const char *prefix)
{
        struct pg_evlog it = l->log;
        struct pg_evlog_event ev;
        unsigned n = 0;
        bool end;

        while (pg_evlog_next(&it, &ev, &end) == PG_OK && !end)
                if (ev.type == PG_EV_NO_ACTION && ev.index > 0 &&
                    ev.data_size >= strlen(prefix) &&
                    !memcmp(ev.data, prefix, strlen(prefix))) {
                        CHECK(ev.flags & PG_EVLOG_EV_NO_EXTEND);
                        n++;
                }
        return n;
}

/* Several EV_NO_ACTION events follow the Spec ID event (SP 800-155
 * reference manifests); none is extended, and the PCR values still match. */
TEST(quirk_sp800155_no_action)
{
        struct loaded *l = load_corpus("go-tpm-tools/eventlogwithsp800155.bin");

        CHECK_ERR(l->err, PG_OK);
        CHECK_INT(count_no_action(l, "SP800-155 Event3"), 2);
        unload(l);
        l = load_corpus("go-tpm-tools/confidential-gke-debug-251000_eventlog.bin");
        CHECK_ERR(l->err, PG_OK);
        CHECK_INT(count_no_action(l, "SP800-155 Event3"), 2);
        unload(l);
}

/* Windows: EV_NO_ACTION at PCR 0xFFFFFFFF, separators "WBCL" in PCRs
 * 12-14 whose digest is the hash of "WBCL". */
TEST(quirk_windows)
{
        struct loaded *l = load_corpus("go-attestation/option_rom_eventlog");
        struct pg_evlog_event ev;
        enum pg_digest_check check;

        CHECK_ERR(l->err, PG_OK);
        CHECK(get_event(l, 60, &ev));
        CHECK_INT(ev.pcr, PG_TCG_PCR_NONE);
        CHECK_INT(ev.type, PG_EV_NO_ACTION);
        CHECK(ev.flags & PG_EVLOG_EV_NO_EXTEND);
        unload(l);

        l = load_corpus("go-attestation/windows_gcp_shielded_vm.eventlog.bin");
        CHECK_ERR(l->err, PG_OK);
        for (uint32_t i = 18; i <= 20; i++) {
                CHECK(get_event(l, i, &ev));
                CHECK_INT(ev.type, PG_EV_SEPARATOR);
                CHECK_INT(ev.pcr, 12 + (i - 18));
                CHECK_INT(ev.data_size, 4);
                CHECK_MEM(ev.data, "WBCL", 4);
                CHECK_ERR(pg_replay_check_digest(&l->replay, &ev, &check), PG_OK);
                CHECK_INT(check, PG_DIGEST_MATCH);
        }
        unload(l);
}

static void check_variable(const struct loaded *l, uint32_t index, const char *name,
                           enum pg_digest_check want)
{
        struct pg_evlog_event ev;
        struct pg_evlog_variable var;
        enum pg_digest_check check;
        char ascii[64] = "";

        CHECK(get_event(l, index, &ev));
        CHECK_ERR(pg_evlog_parse_variable(ev.data, ev.data_size, &var), PG_OK);
        for (uint64_t i = 0; i < var.name_chars && i < sizeof(ascii) - 1; i++)
                ascii[i] = (char)var.name[2 * i];
        if (strcmp(ascii, name) != 0)
                test_report(__FILE__, __LINE__, "event %u is variable %s, expected %s", index,
                            ascii, name);
        CHECK_ERR(pg_replay_check_digest(&l->replay, &ev, &check), PG_OK);
        if (check != want)
                test_report(__FILE__, __LINE__, "event %u (%s): digest check %d, expected %d",
                            index, name, check, want);
}

/* Secure Boot variables: the digest covers the whole UEFI_VARIABLE_DATA;
 * Lenovo TPM 1.2 firmware hashes the value only. */
TEST(quirk_secure_boot_variables)
{
        static const char *const names[] = { "SecureBoot", "PK", "KEK", "db", "dbx" };
        struct loaded *l = load_corpus("go-tpm-tools/debian-10.bin");

        CHECK_ERR(l->err, PG_OK);
        for (uint32_t i = 0; i < PG_ARRAY_SIZE(names); i++)
                check_variable(l, 2 + i, names[i], PG_DIGEST_MATCH);
        unload(l);

        l = load_corpus("go-attestation/linux_tpm12.eventlog.bin");
        CHECK_ERR(l->err, PG_OK);
        for (uint32_t i = 0; i < PG_ARRAY_SIZE(names); i++)
                check_variable(l, 6 + i, names[i], PG_DIGEST_MATCH_VALUE);
        unload(l);
}

/* shim's "Shim" EV_EFI_VARIABLE_AUTHORITY: 6 bytes after the value, and a
 * digest over other bytes. Replay uses the recorded digest, so PCR 7 still
 * matches (expected_go_tpm_tools); the mismatch is only a finding. */
TEST(quirk_shim_authority)
{
        struct loaded *l = load_corpus("go-tpm-tools/debian-10.bin");
        struct pg_evlog_event ev;
        struct pg_evlog_variable var;

        CHECK_ERR(l->err, PG_OK);
        check_variable(l, 23, "Shim", PG_DIGEST_MISMATCH);
        CHECK(get_event(l, 23, &ev));
        CHECK_ERR(pg_evlog_parse_variable(ev.data, ev.data_size, &var), PG_OK);
        CHECK_INT(var.trailing, 6);
        unload(l);

        l = load_corpus("go-attestation/sb_cert_eventlog");
        CHECK_ERR(l->err, PG_OK);
        check_variable(l, 12, "Shim", PG_DIGEST_MISMATCH);
        check_variable(l, 14, "Shim", PG_DIGEST_MISMATCH);
        unload(l);
}

/* Boot Guard: an EV_S_CRTM_VERSION whose digest is not the hash of its
 * data; PCR 0 still replays to the expected value. */
TEST(quirk_boot_guard_crtm_version)
{
        struct loaded *l = load_corpus("go-tpm-tools/gdc-host.bin");
        struct pg_evlog_event ev;
        enum pg_digest_check check;

        CHECK_ERR(l->err, PG_OK);
        CHECK(get_event(l, 3, &ev));
        CHECK_INT(ev.type, PG_EV_S_CRTM_VERSION);
        CHECK_INT(ev.pcr, 0);
        CHECK_ERR(pg_replay_check_digest(&l->replay, &ev, &check), PG_OK);
        CHECK_INT(check, PG_DIGEST_MISMATCH);
        unload(l);
}

/* A Secure Boot variable of zero length (setup mode). */
TEST(quirk_zero_length_variable)
{
        static const char *const logs[] = { "go-attestation/crypto_agile_eventlog",
                                            "go-tpm-tools/arch-linux-workstation.bin" };

        for (size_t i = 0; i < PG_ARRAY_SIZE(logs); i++) {
                struct loaded *l = load_corpus(logs[i]);
                struct pg_evlog it = l->log;
                struct pg_evlog_event ev;
                unsigned empty = 0;
                bool end;

                CHECK_ERR(l->err, PG_OK);
                while (pg_evlog_next(&it, &ev, &end) == PG_OK && !end) {
                        struct pg_evlog_variable var;
                        enum pg_digest_check check;

                        if (ev.type != PG_EV_EFI_VARIABLE_DRIVER_CONFIG)
                                continue;
                        CHECK_ERR(pg_evlog_parse_variable(ev.data, ev.data_size, &var), PG_OK);
                        if (var.value_size != 0)
                                continue;
                        empty++;
                        CHECK_ERR(pg_replay_check_digest(&l->replay, &ev, &check), PG_OK);
                        CHECK_INT(check, PG_DIGEST_MATCH);
                }
                if (empty == 0)
                        test_report(__FILE__, __LINE__, "%s: no zero-length variable", logs[i]);
                unload(l);
        }
}

/* TDX CCEL: 0xFF padding after the last event ends the log; the padded
 * buffer parses and replays exactly like its unpadded prefix. */
static void check_padded(const char *rel, size_t used, uint32_t events)
{
        struct loaded *padded = load_corpus(rel);
        struct loaded *cut;

        CHECK_ERR(padded->err, PG_OK);
        CHECK_INT(padded->walked.padding, padded->len - used);
        CHECK_INT(padded->replay.events, events);
        CHECK(padded->log.cc_event_log);
        cut = load_copy(padded->buf, used);
        CHECK_ERR(cut->err, PG_OK);
        CHECK_INT(cut->walked.padding, 0);
        CHECK_INT(cut->replay.events, events);
        CHECK(same_pcrs(&cut->replay, &padded->replay));
        unload(cut);
        unload(padded);
}

TEST(quirk_ccel_padding)
{
        check_padded("go-eventlog/ccel/cos-113-intel-tdx.bin", 18101, 44);
        check_padded("go-eventlog/ccel/event_log.bin", 2703, 28);
}

/* The Spec ID size field leaves out the 4 vendor-info bytes "deadbeef". As
 * in tpm2_eventlog, the next event starts after them, which here is the end
 * of the log. The twin with a correct size reads the same. */
TEST(quirk_specid_vendor_info)
{
        static const uint8_t vendor[] = { 0xde, 0xad, 0xbe, 0xef };
        struct loaded *l = load_corpus("tpm2-tools/specid-vendordata.bin");
        struct loaded *twin = load_corpus("tpm2-tss/specid-vendordata.bin");
        struct pg_evlog_event ev;

        CHECK_ERR(l->err, PG_OK);
        CHECK(l->log.specid.size_excludes_vendor_info);
        CHECK_INT(l->log.specid.vendor_info_size, 4);
        CHECK_MEM(l->log.specid.vendor_info, vendor, 4);
        CHECK_INT(l->replay.events, 1);
        CHECK(get_event(l, 0, &ev));
        CHECK_INT(ev.record_size, 73);
        CHECK_ERR(twin->err, PG_OK);
        CHECK(!twin->log.specid.size_excludes_vendor_info);
        CHECK_MEM(twin->log.specid.vendor_info, vendor, 4);
        unload(twin);
        unload(l);
}

/* SHA-1 logs with no Spec ID event: the first record is a measurement. */
TEST(quirk_sha1_without_specid)
{
        static const char *const logs[] = { "tpm2-tools/event-uefi-sha1-log.bin",
                                            "go-tpm-tools/debian-10.bin",
                                            "go-attestation/linux_tpm12.eventlog.bin" };

        for (size_t i = 0; i < PG_ARRAY_SIZE(logs); i++) {
                struct loaded *l = load_corpus(logs[i]);
                struct pg_evlog_event ev;

                CHECK_ERR(l->err, PG_OK);
                CHECK_INT(l->log.format, PG_EVLOG_FORMAT_SHA1);
                CHECK(get_event(l, 0, &ev));
                CHECK(ev.type == PG_EV_S_CRTM_VERSION || ev.type == PG_EV_S_CRTM_CONTENTS);
                CHECK(!(ev.flags & PG_EVLOG_EV_SPECID));
                CHECK_INT(ev.bank_mask, 1);
                unload(l);
        }
}

/* Events that carry fewer digests than the Spec ID declares banks: the
 * missing banks of the PCRs they extend are reported incomplete. */
TEST(quirk_missing_bank_digests)
{
        struct loaded *l = load_corpus("tpm2-tools/event-uefiaction.bin");
        uint8_t v[64];

        CHECK_ERR(l->err, PG_OK);
        CHECK_ERR(pg_replay_read(&l->replay, PG_TPM_ALG_SHA256, 4, v, 32), PG_OK);
        CHECK_CODE(pg_replay_read(&l->replay, PG_TPM_ALG_SHA384, 4, v, 48),
                   PG_ERR_REPLAY_PCR_INCOMPLETE);
        CHECK_CODE(pg_replay_read(&l->replay, PG_TPM_ALG_SHA512, 4, v, 64),
                   PG_ERR_REPLAY_PCR_INCOMPLETE);
        unload(l);
}

/* Malformed corpus files fail with an exact code on their first record. */
TEST(corpus_malformed)
{
        static const struct { const char *path; pg_err err; } cases[] = {
                { "keylime/binary_bios_measurements-empty", PG_ERR_EVLOG_EMPTY },
                { "keylime/binary_bios_measurements-bogus", PG_ERR_EVLOG_JUNK },
                { "go-attestation/short_no_action_eventlog", PG_ERR_EVLOG_SPECID_SIGNATURE },
        };

        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                struct loaded *l = load_corpus(cases[i].path);

                CHECK_CODE(l->init_err, cases[i].err);
                unload(l);
        }
}

/* ---- synthetic logs ------------------------------------------------------ */

struct synth {
        uint8_t buf[4096];
        size_t len;
        size_t off[8];          /* record offsets; off[0] is the Spec ID */
        size_t count;
};

static void put(struct synth *s, const void *p, size_t n)
{
        if (n > sizeof(s->buf) - s->len)
                abort();
        if (n == 0)
                return;         /* p may be NULL, and memcpy needs a valid pointer even then */
        memcpy(s->buf + s->len, p, n);
        s->len += n;
}

static void put8(struct synth *s, uint8_t v)
{
        put(s, &v, 1);
}

static void put16(struct synth *s, uint16_t v)
{
        uint8_t b[2];

        pg_store_le16(b, v);
        put(s, b, 2);
}

static void put32(struct synth *s, uint32_t v)
{
        uint8_t b[4];

        pg_store_le32(b, v);
        put(s, b, 4);
}

static const char *evp_name(uint16_t alg)
{
        switch (alg) {
        case PG_TPM_ALG_SHA1:
                return "SHA1";
        case PG_TPM_ALG_SHA256:
                return "SHA256";
        case PG_TPM_ALG_SHA384:
                return "SHA384";
        case PG_TPM_ALG_SHA512:
                return "SHA512";
        default:
                return "SM3";
        }
}

static void evp_hash(uint16_t alg, const void *data, size_t size, uint8_t *out)
{
        unsigned int n;

        EVP_Digest(data, size, out, &n, EVP_get_digestbyname(evp_name(alg)), NULL);
}

static const uint16_t banks2[] = { PG_TPM_ALG_SHA1, PG_TPM_ALG_SHA256 };
static const uint8_t zero4[4];
static const char calling[] = "Calling EFI Application from Boot Option";

/* Spec ID Event03 record; size_delta adjusts its event size field. */
static void add_specid(struct synth *s, const uint16_t *algs, size_t n, const uint8_t *vendor,
                       uint8_t vendor_size, int size_delta)
{
        uint8_t zero[20] = { 0 };

        s->off[s->count++] = s->len;
        put32(s, 0);
        put32(s, PG_EV_NO_ACTION);
        put(s, zero, sizeof(zero));
        put32(s, (uint32_t)((int)(28 + 4 * n + 1 + vendor_size) + size_delta));
        put(s, "Spec ID Event03", 16);
        put32(s, 0);
        put8(s, 0);
        put8(s, 2);
        put8(s, 0);
        put8(s, 2);
        put32(s, (uint32_t)n);
        for (size_t i = 0; i < n; i++) {
                put16(s, algs[i]);
                put16(s, pg_evlog_alg_digest_size(algs[i]));
        }
        put8(s, vendor_size);
        if (vendor_size)
                put(s, vendor, vendor_size);
}

/* TCG_PCR_EVENT2 whose digests are the hashes of its data. */
static void add_event2(struct synth *s, uint32_t pcr, uint32_t type, const uint16_t *algs,
                       size_t n, const void *data, uint32_t size)
{
        s->off[s->count++] = s->len;
        put32(s, pcr);
        put32(s, type);
        put32(s, (uint32_t)n);
        for (size_t i = 0; i < n; i++) {
                uint8_t d[64];

                evp_hash(algs[i], data, size, d);
                put16(s, algs[i]);
                put(s, d, pg_evlog_alg_digest_size(algs[i]));
        }
        put32(s, size);
        put(s, data, size);
}

/* TCG_PCClientPCREvent with a SHA-1 digest of its data. */
static void add_sha1_event(struct synth *s, uint32_t pcr, uint32_t type, const void *data,
                           uint32_t size)
{
        uint8_t d[20];

        s->off[s->count++] = s->len;
        evp_hash(PG_TPM_ALG_SHA1, data, size, d);
        put32(s, pcr);
        put32(s, type);
        put(s, d, sizeof(d));
        put32(s, size);
        put(s, data, size);
}

/* Spec ID (sha1, sha256), then an S-CRTM version in PCR 0, a separator in
 * PCR 7 and an EFI action in PCR 4. */
static void base_log(struct synth *s)
{
        memset(s, 0, sizeof(*s));
        add_specid(s, banks2, 2, NULL, 0, 0);
        add_event2(s, 0, PG_EV_S_CRTM_VERSION, banks2, 2, "1.0", 4);
        add_event2(s, 7, PG_EV_SEPARATOR, banks2, 2, zero4, 4);
        add_event2(s, 4, PG_EV_EFI_ACTION, banks2, 2, calling, sizeof(calling) - 1);
}

/* Parses and replays s; returns the first error, and its record offset. */
static pg_err run(const struct synth *s, size_t *err_offset)
{
        struct loaded *l = load_copy(s->buf, s->len);
        pg_err err = l->err;

        if (err_offset)
                *err_offset = l->init_err != PG_OK ? 0 : l->walked.err_offset;
        unload(l);
        return err;
}

#define CHECK_RUN(s, code) CHECK_CODE(run((s), NULL), (code))

TEST(synth_base_log)
{
        struct synth s;
        struct loaded *l;
        struct pg_replay core;
        struct pg_replay_hasher sha256 = { PG_TPM_ALG_SHA256, pg_replay_hash_sha256, NULL };
        struct pg_evlog walk;
        uint8_t want[32], got[32], d[32];
        enum pg_digest_check check;

        base_log(&s);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK_INT(l->replay.events, 4);
        CHECK_INT(l->walked.pos, s.len);

        /* PCR 7 = H(0^32 || H(00000000)) */
        memset(want, 0, sizeof(want));
        evp_hash(PG_TPM_ALG_SHA256, zero4, 4, d);
        evp_extend(PG_TPM_ALG_SHA256, want, d, 32);
        CHECK_ERR(pg_replay_read(&l->replay, PG_TPM_ALG_SHA256, 7, got, 32), PG_OK);
        CHECK_MEM(got, want, 32);

        /* the core's SHA-256 hasher replays the sha256 bank identically */
        walk = l->log;
        CHECK_ERR(pg_replay_init(&core, &l->log, &sha256, 1), PG_OK);
        CHECK_ERR(pg_replay_log(&core, &walk), PG_OK);
        for (uint32_t pcr = 0; pcr < 8; pcr++) {
                uint8_t a[32], b[32];

                CHECK_ERR(pg_replay_read(&core, PG_TPM_ALG_SHA256, pcr, a, 32), PG_OK);
                CHECK_ERR(pg_replay_read(&l->replay, PG_TPM_ALG_SHA256, pcr, b, 32), PG_OK);
                CHECK_MEM(a, b, 32);
        }
        CHECK_CODE(pg_replay_read(&core, PG_TPM_ALG_SHA1, 0, got, 20),
                   PG_ERR_REPLAY_BANK_NOT_REPLAYED);

        for (uint32_t i = 1; i <= 3; i++) {
                struct pg_evlog_event ev;

                CHECK(get_event(l, i, &ev));
                CHECK_ERR(pg_replay_check_digest(&l->replay, &ev, &check), PG_OK);
                CHECK_INT(check, PG_DIGEST_MATCH);
        }
        unload(l);
}

/* Every truncation fails; the cut points below fail with their exact code
 * and the offset of the event being read. */
TEST(synth_truncations)
{
        struct synth s;
        size_t e1, off;

        base_log(&s);
        e1 = s.off[1];
        for (size_t cut = 0; cut < s.len; cut++) {
                bool boundary = cut == s.off[1] || cut == s.off[2] || cut == s.off[3];
                struct synth t = s;

                t.len = cut;
                if ((run(&t, NULL) == PG_OK) != boundary)
                        test_report(__FILE__, __LINE__, "log cut at %zu: %s", cut,
                                    boundary ? "fails at an event boundary" : "parses");
        }
        struct { size_t cut; pg_err err; size_t offset; } cases[] = {
                { 0, PG_ERR_EVLOG_EMPTY, 0 },
                { 20, PG_ERR_EVLOG_TRUNCATED_HEADER, 0 },
                { 40, PG_ERR_EVLOG_DATA_TRUNCATED, 0 },
                { e1 + 11, PG_ERR_EVLOG_TRUNCATED_HEADER, e1 },
                { e1 + 12, PG_ERR_EVLOG_TRUNCATED_DIGEST, e1 },
                { e1 + 13, PG_ERR_EVLOG_TRUNCATED_DIGEST, e1 },
                { e1 + 12 + 2 + 19, PG_ERR_EVLOG_TRUNCATED_DIGEST, e1 },
                { e1 + 12 + 22 + 2 + 31, PG_ERR_EVLOG_TRUNCATED_DIGEST, e1 },
                { e1 + 12 + 22 + 34 + 3, PG_ERR_EVLOG_TRUNCATED_SIZE, e1 },
                { e1 + 12 + 22 + 34 + 4 + 3, PG_ERR_EVLOG_DATA_TRUNCATED, e1 },
        };
        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                struct synth t = s;

                t.len = cases[i].cut;
                CHECK_CODE(run(&t, &off), cases[i].err);
                CHECK_INT(off, cases[i].offset);
        }
}

/* One field of the Spec ID event changed in place. */
TEST(synth_specid_fields)
{
        struct { size_t at; uint8_t value; pg_err err; } cases[] = {
                { 32 + 14, '4', PG_ERR_EVLOG_SPECID_SIGNATURE },        /* "Spec ID Event04" */
                { 0, 2, PG_ERR_EVLOG_SPECID_PCR },
                { 8, 1, PG_ERR_EVLOG_SPECID_DIGEST },
                { 27, 0xff, PG_ERR_EVLOG_SPECID_DIGEST },
                { 53, 1, PG_ERR_EVLOG_SPECID_VERSION },
                { 55, 0, PG_ERR_EVLOG_SPECID_UINTN_SIZE },
                { 55, 3, PG_ERR_EVLOG_SPECID_UINTN_SIZE },
                { 56, 0, PG_ERR_EVLOG_SPECID_NO_BANKS },
                { 56, 9, PG_ERR_EVLOG_SPECID_TOO_MANY_BANKS },
                { 56, 3, PG_ERR_EVLOG_SPECID_ALGS_TRUNCATED },
                { 62, 0, PG_ERR_EVLOG_SPECID_DIGEST_SIZE },            /* sha1 size 0 */
                { 66, 65, PG_ERR_EVLOG_SPECID_DIGEST_SIZE },           /* sha256 size 65 */
                { 66, 20, PG_ERR_EVLOG_SPECID_DIGEST_SIZE_MISMATCH },  /* sha256 size 20 */
                { 28, 20, PG_ERR_EVLOG_SPECID_TRUNCATED },             /* event size 20 */
                { 28, 36, PG_ERR_EVLOG_SPECID_VENDOR_TRUNCATED },      /* no vendorInfoSize */
                { 28, 38, PG_ERR_EVLOG_SPECID_TRAILING },
        };
        struct synth s;

        base_log(&s);
        CHECK_ERR(run(&s, NULL), PG_OK);
        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                struct synth t = s;
                size_t off = 1;

                t.buf[cases[i].at] = cases[i].value;
                CHECK_CODE(run(&t, &off), cases[i].err);
                CHECK_INT(off, 0);
        }
}

TEST(synth_specid_vendor_info)
{
        static const uint8_t vendor[] = { 1, 2, 3, 4, 5 };
        struct synth s;
        struct loaded *l;

        /* a size that covers the vendor info */
        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, vendor, 5, 0);
        add_event2(&s, 7, PG_EV_SEPARATOR, banks2, 2, zero4, 4);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK(!l->log.specid.size_excludes_vendor_info);
        CHECK_INT(l->replay.events, 2);
        unload(l);

        /* a size that stops before the vendor-info bytes */
        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, vendor, 5, -5);
        add_event2(&s, 7, PG_EV_SEPARATOR, banks2, 2, zero4, 4);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK(l->log.specid.size_excludes_vendor_info);
        CHECK_MEM(l->log.specid.vendor_info, vendor, 5);
        CHECK_INT(l->replay.events, 2);
        unload(l);

        /* ... and whose vendor-info bytes run past the end of the log */
        s.len = s.off[1] - 2;
        CHECK_RUN(&s, PG_ERR_EVLOG_SPECID_VENDOR_TRUNCATED);

        /* the same algorithm twice */
        {
                static const uint16_t twice[] = { PG_TPM_ALG_SHA256, PG_TPM_ALG_SHA256 };

                memset(&s, 0, sizeof(s));
                add_specid(&s, twice, 2, NULL, 0, 0);
                CHECK_RUN(&s, PG_ERR_EVLOG_SPECID_DUPLICATE_BANK);
        }

        /* a size that covers only part of the vendor info */
        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, vendor, 5, -2);
        add_event2(&s, 7, PG_EV_SEPARATOR, banks2, 2, zero4, 4);
        CHECK_RUN(&s, PG_ERR_EVLOG_SPECID_VENDOR_TRUNCATED);
}

/* One field of event 1 (the S-CRTM version in PCR 0) changed. */
TEST(synth_event_fields)
{
        struct synth s;
        size_t e1, off;

        base_log(&s);
        e1 = s.off[1];
        struct { size_t at; uint32_t value; pg_err err; } cases[] = {
                { e1, 24, PG_ERR_EVLOG_PCR_INDEX },
                { e1, 0xffffffff, PG_ERR_EVLOG_PCR_INDEX },    /* only EV_NO_ACTION may */
                { e1 + 8, 0, PG_ERR_EVLOG_DIGEST_COUNT_ZERO },
                { e1 + 8, 3, PG_ERR_EVLOG_DIGEST_COUNT },
                { e1 + 8, 0xffffffff, PG_ERR_EVLOG_DIGEST_COUNT },
                { e1 + 12 + 22 + 34, PG_EVLOG_MAX_EVENT_DATA + 1, PG_ERR_EVLOG_DATA_TOO_LARGE },
                { e1 + 12 + 22 + 34, 0xffffffff, PG_ERR_EVLOG_DATA_TOO_LARGE },
                { e1 + 12 + 22 + 34, 5000, PG_ERR_EVLOG_DATA_TRUNCATED },
        };
        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                struct synth t = s;

                pg_store_le32(t.buf + cases[i].at, cases[i].value);
                CHECK_CODE(run(&t, &off), cases[i].err);
                CHECK_INT(off, e1);
        }

        struct { size_t at; uint16_t alg; pg_err err; } algs[] = {
                { e1 + 12, PG_TPM_ALG_SHA384, PG_ERR_EVLOG_UNKNOWN_ALG },
                { e1 + 12, 0x0000, PG_ERR_EVLOG_UNKNOWN_ALG },
                { e1 + 12 + 22, PG_TPM_ALG_SHA1, PG_ERR_EVLOG_DUPLICATE_DIGEST },
        };
        for (size_t i = 0; i < PG_ARRAY_SIZE(algs); i++) {
                struct synth t = s;

                pg_store_le16(t.buf + algs[i].at, algs[i].alg);
                CHECK_CODE(run(&t, &off), algs[i].err);
                CHECK_INT(off, e1);
        }

        /* the digests may come in any order; each goes to its own bank */
        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, NULL, 0, 0);
        {
                static const uint16_t swapped[] = { PG_TPM_ALG_SHA256, PG_TPM_ALG_SHA1 };
                struct synth t;
                struct loaded *a, *b;

                add_event2(&s, 7, PG_EV_SEPARATOR, swapped, 2, zero4, 4);
                memset(&t, 0, sizeof(t));
                add_specid(&t, banks2, 2, NULL, 0, 0);
                add_event2(&t, 7, PG_EV_SEPARATOR, banks2, 2, zero4, 4);
                a = load_copy(s.buf, s.len);
                b = load_copy(t.buf, t.len);
                CHECK_ERR(a->err, PG_OK);
                CHECK_ERR(b->err, PG_OK);
                CHECK(same_pcrs(&a->replay, &b->replay));
                unload(a);
                unload(b);
        }
}

static void startup_locality(struct synth *s, uint32_t pcr, uint8_t locality, uint32_t size)
{
        uint8_t data[18] = "StartupLocality";

        data[16] = locality;
        add_event2(s, pcr, PG_EV_NO_ACTION, banks2, 2, data, size);
}

TEST(synth_ordering_rules)
{
        struct synth s;
        struct loaded *l;
        uint8_t specid[64];

        /* a valid StartupLocality, then PCR 0 */
        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, NULL, 0, 0);
        startup_locality(&s, 0, 3, 17);
        add_event2(&s, 0, PG_EV_S_CRTM_VERSION, banks2, 2, "1.0", 4);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK_INT(l->replay.pcr0_locality, 3);
        unload(l);

        /* after a PCR 0 measurement */
        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, NULL, 0, 0);
        add_event2(&s, 0, PG_EV_S_CRTM_VERSION, banks2, 2, "1.0", 4);
        startup_locality(&s, 0, 3, 17);
        CHECK_RUN(&s, PG_ERR_EVLOG_STARTUP_LOCALITY_LATE);

        struct { uint32_t pcr; uint8_t loc; uint32_t size; int twice; pg_err err; } loc[] = {
                { 1, 3, 17, 0, PG_ERR_EVLOG_STARTUP_LOCALITY_PCR },
                { 0, 3, 18, 0, PG_ERR_EVLOG_STARTUP_LOCALITY_SIZE },
                { 0, 3, 16, 0, PG_ERR_EVLOG_STARTUP_LOCALITY_SIZE },
                { 0, 2, 17, 0, PG_ERR_EVLOG_STARTUP_LOCALITY_VALUE },
                { 0, 4, 17, 0, PG_ERR_EVLOG_STARTUP_LOCALITY_VALUE },
                { 0, 0, 17, 1, PG_ERR_EVLOG_STARTUP_LOCALITY_DUPLICATE },
        };
        for (size_t i = 0; i < PG_ARRAY_SIZE(loc); i++) {
                memset(&s, 0, sizeof(s));
                add_specid(&s, banks2, 2, NULL, 0, 0);
                startup_locality(&s, loc[i].pcr, loc[i].loc, loc[i].size);
                if (loc[i].twice)
                        startup_locality(&s, loc[i].pcr, loc[i].loc, loc[i].size);
                CHECK_RUN(&s, loc[i].err);
        }

        /* H-CRTM */
        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, NULL, 0, 0);
        add_event2(&s, 0, PG_EV_EFI_HCRTM_EVENT, banks2, 2, "HCRTM", 5);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK_INT(l->replay.pcr0_locality, 4);
        unload(l);
        add_event2(&s, 0, PG_EV_EFI_HCRTM_EVENT, banks2, 2, "HCRTM", 5);
        CHECK_RUN(&s, PG_ERR_EVLOG_HCRTM_LATE);

        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, NULL, 0, 0);
        startup_locality(&s, 0, 3, 17);
        add_event2(&s, 0, PG_EV_EFI_HCRTM_EVENT, banks2, 2, "HCRTM", 5);
        CHECK_RUN(&s, PG_ERR_EVLOG_HCRTM_LATE);

        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, NULL, 0, 0);
        add_event2(&s, 1, PG_EV_EFI_HCRTM_EVENT, banks2, 2, "HCRTM", 5);
        CHECK_RUN(&s, PG_ERR_EVLOG_HCRTM_PCR);

        memset(&s, 0, sizeof(s));
        add_specid(&s, banks2, 2, NULL, 0, 0);
        add_event2(&s, 0, PG_EV_EFI_HCRTM_EVENT, banks2, 2, "HCRTM\0", 6);
        CHECK_RUN(&s, PG_ERR_EVLOG_HCRTM_DATA);

        /* a second Spec ID event */
        base_log(&s);
        memcpy(specid, s.buf + 32, 37);
        add_event2(&s, 0, PG_EV_NO_ACTION, banks2, 2, specid, 37);
        CHECK_RUN(&s, PG_ERR_EVLOG_SPECID_NOT_FIRST);

        /* EV_NO_ACTION at PCR 0xFFFFFFFF is fine, and extends nothing */
        base_log(&s);
        add_event2(&s, 0xffffffff, PG_EV_NO_ACTION, banks2, 2, "WBCL", 4);
        CHECK_RUN(&s, PG_OK);
}

TEST(synth_padding)
{
        struct synth s;
        struct loaded *l;
        size_t used, off;

        base_log(&s);
        used = s.len;
        memset(s.buf + used, 0xff, 100);
        s.len = used + 100;
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK_INT(l->walked.padding, 100);
        CHECK_INT(l->replay.events, 4);
        unload(l);

        s.buf[used + 60] = 0;
        CHECK_CODE(run(&s, &off), PG_ERR_EVLOG_PADDING_JUNK);
        CHECK_INT(off, used);

        /* a short tail of other bytes is an event header cut short */
        s.len = used + 3;
        s.buf[used + 2] = 1;
        CHECK_CODE(run(&s, &off), PG_ERR_EVLOG_TRUNCATED_HEADER);

        /* a log cannot start with padding */
        memset(s.buf, 0xff, 64);
        s.len = 64;
        CHECK_RUN(&s, PG_ERR_EVLOG_JUNK);
}

TEST(synth_sha1_logs)
{
        uint8_t specid02[33] = "Spec ID Event02";
        static const uint8_t zero_digest[20];
        uint8_t locality[17] = "StartupLocality";
        struct synth s;
        struct loaded *l;
        size_t off;

        memset(&s, 0, sizeof(s));
        add_sha1_event(&s, 0, PG_EV_S_CRTM_VERSION, "1.0", 4);
        add_sha1_event(&s, 7, PG_EV_SEPARATOR, zero4, 4);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK_INT(l->log.format, PG_EVLOG_FORMAT_SHA1);
        CHECK_INT(l->replay.events, 2);
        unload(l);

        pg_store_le32(s.buf + s.off[1], 30);
        CHECK_CODE(run(&s, &off), PG_ERR_EVLOG_PCR_INDEX);
        CHECK_INT(off, s.off[1]);
        pg_store_le32(s.buf, 30);
        CHECK_RUN(&s, PG_ERR_EVLOG_JUNK);

        /* a TPM 1.2 EFI log with a Spec ID Event02 header */
        memset(&s, 0, sizeof(s));
        s.off[s.count++] = 0;
        put32(&s, 0);
        put32(&s, PG_EV_NO_ACTION);
        put(&s, zero_digest, sizeof(zero_digest));
        put32(&s, sizeof(specid02));
        put(&s, specid02, sizeof(specid02));
        add_sha1_event(&s, 7, PG_EV_SEPARATOR, zero4, 4);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK_INT(l->log.format, PG_EVLOG_FORMAT_SHA1);
        CHECK_INT(l->replay.events, 2);
        unload(l);

        /* a first EV_NO_ACTION that is not a Spec ID event */
        memset(&s, 0, sizeof(s));
        locality[16] = 3;
        add_sha1_event(&s, 0, PG_EV_NO_ACTION, locality, 17);
        CHECK_RUN(&s, PG_ERR_EVLOG_SPECID_SIGNATURE);
        s.len = 31;
        CHECK_RUN(&s, PG_ERR_EVLOG_TRUNCATED_HEADER);
}

/* A confidential-computing log: Spec ID in measurement register 1, events
 * in registers 1-4 only. */
TEST(synth_cc_event_log)
{
        static const uint16_t sha384[] = { PG_TPM_ALG_SHA384 };
        struct synth s;
        struct loaded *l;
        size_t off;

        memset(&s, 0, sizeof(s));
        add_specid(&s, sha384, 1, NULL, 0, 0);
        pg_store_le32(s.buf, 1);
        add_event2(&s, 1, PG_EV_EFI_ACTION, sha384, 1, calling, sizeof(calling) - 1);
        add_event2(&s, 4, PG_EV_SEPARATOR, sha384, 1, zero4, 4);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK(l->log.cc_event_log);
        unload(l);

        pg_store_le32(s.buf + s.off[2], 5);
        CHECK_CODE(run(&s, &off), PG_ERR_EVLOG_CC_MR_INDEX);
        CHECK_INT(off, s.off[2]);
}

static pg_err failing_hash(void *ctx, const struct pg_hash_part *parts, size_t count,
                           uint8_t *out, size_t out_size)
{
        return PG_ERR_DER_TRUNCATED;    /* any failure: replay reports its own code */
}

TEST(synth_replay_api)
{
        struct pg_replay_hasher dup[] = {
                { PG_TPM_ALG_SHA256, pg_replay_hash_sha256, NULL },
                { PG_TPM_ALG_SHA256, pg_replay_hash_sha256, NULL },
        };
        struct pg_replay_hasher wrong = { PG_TPM_ALG_SHA1, pg_replay_hash_sha256, NULL };
        struct pg_replay_hasher fails = { PG_TPM_ALG_SHA1, failing_hash, NULL };
        struct synth s;
        struct loaded *l;
        struct pg_replay r;
        struct pg_evlog walk, none;
        struct pg_evlog_event ev;
        uint8_t v[64];
        bool end;

        base_log(&s);
        l = load_copy(s.buf, s.len);
        CHECK_ERR(l->err, PG_OK);
        CHECK_CODE(pg_replay_read(&l->replay, PG_TPM_ALG_SHA384, 0, v, 48),
                   PG_ERR_REPLAY_NO_BANK);
        CHECK_CODE(pg_replay_read(&l->replay, PG_TPM_ALG_SHA1, 24, v, 20),
                   PG_ERR_REPLAY_PCR_INDEX);
        CHECK_CODE(pg_replay_read(&l->replay, PG_TPM_ALG_SHA1, 0, v, 32),
                   PG_ERR_REPLAY_BUFFER_SIZE);
        CHECK_CODE(pg_replay_init(&r, &l->log, dup, 2), PG_ERR_REPLAY_DUPLICATE_HASHER);

        walk = l->log;
        CHECK_ERR(pg_replay_init(&r, &l->log, &wrong, 1), PG_OK);
        CHECK_CODE(pg_replay_log(&r, &walk), PG_ERR_REPLAY_HASH_SIZE);

        walk = l->log;
        CHECK_ERR(pg_replay_init(&r, &l->log, &fails, 1), PG_OK);
        CHECK_CODE(pg_replay_log(&r, &walk), PG_ERR_REPLAY_HASH_FAILED);
        CHECK_CODE(pg_replay_read(&r, PG_TPM_ALG_SHA1, 0, v, 20), PG_ERR_REPLAY_FAILED);

        /* an event with a digest for a bank the replay does not have */
        CHECK_ERR(pg_replay_init(&r, &l->log, NULL, 0), PG_OK);
        CHECK(get_event(l, 1, &ev));
        ev.bank_mask |= 1u << 5;
        CHECK_CODE(pg_replay_event(&r, &ev), PG_ERR_REPLAY_BANK_MISMATCH);

        memset(&none, 0, sizeof(none));
        CHECK_CODE(pg_evlog_next(&none, &ev, &end), PG_ERR_EVLOG_NOT_INITIALIZED);
        CHECK_CODE(pg_replay_init(&r, &none, NULL, 0), PG_ERR_EVLOG_NOT_INITIALIZED);
        unload(l);
}

/* Errors stick and the end is reported again. Out-parameters stay
 * untouched on failure. */
TEST(synth_iterator_states)
{
        struct synth s;
        struct pg_evlog log;
        struct pg_evlog_event ev;
        bool end = true;
        int n = 0;

        base_log(&s);
        CHECK_ERR(pg_evlog_init(&log, s.buf, s.len), PG_OK);
        while (pg_evlog_next(&log, &ev, &end) == PG_OK && !end)
                n++;
        CHECK_INT(n, 4);
        CHECK(end);
        end = false;
        CHECK_ERR(pg_evlog_next(&log, &ev, &end), PG_OK);
        CHECK(end);

        s.buf[s.off[2] + 8] = 9;        /* digest count of event 2 */
        CHECK_ERR(pg_evlog_init(&log, s.buf, s.len), PG_OK);
        for (int i = 0; i < 2; i++)
                CHECK_ERR(pg_evlog_next(&log, &ev, &end), PG_OK);
        memset(&ev, 0x5a, sizeof(ev));
        CHECK_ERR(pg_evlog_next(&log, &ev, &end), PG_ERR_EVLOG_DIGEST_COUNT);
        CHECK_ERR(pg_evlog_next(&log, &ev, &end), PG_ERR_EVLOG_DIGEST_COUNT);
        CHECK_FILLED(&ev, 0x5a, sizeof(ev));
        CHECK_INT(log.err_offset, s.off[2]);
        CHECK_INT(log.err_index, 2);

        memset(&log, 0x5a, sizeof(log));
        CHECK_ERR(pg_evlog_init(&log, s.buf, 10), PG_ERR_EVLOG_TRUNCATED_HEADER);
        CHECK_FILLED(&log, 0x5a, sizeof(log));
}

TEST(synth_variables)
{
        uint8_t v[64] = { 0 };
        struct pg_evlog_variable var;

        pg_store_le64(v + 16, 2);
        pg_store_le64(v + 24, 3);
        /* NOLINTNEXTLINE(bugprone-not-null-terminated-result): a UTF-16 name, not a C string */
        memcpy(v + 32, "d\0b\0", 4);
        CHECK_ERR(pg_evlog_parse_variable(v, 39, &var), PG_OK);
        CHECK_INT(var.name_chars, 2);
        CHECK_INT(var.value_size, 3);
        CHECK_INT(var.trailing, 0);
        CHECK_ERR(pg_evlog_parse_variable(v, 45, &var), PG_OK);
        CHECK_INT(var.trailing, 6);

        CHECK_CODE(pg_evlog_parse_variable(v, 31, &var), PG_ERR_EVLOG_VAR_TRUNCATED);
        CHECK_CODE(pg_evlog_parse_variable(v, 38, &var), PG_ERR_EVLOG_VAR_DATA_TRUNCATED);
        pg_store_le64(v + 16, 1ull << 63);
        CHECK_CODE(pg_evlog_parse_variable(v, 64, &var), PG_ERR_EVLOG_VAR_NAME_TRUNCATED);
        pg_store_le64(v + 16, 2);
        pg_store_le64(v + 24, ~0ull);
        CHECK_CODE(pg_evlog_parse_variable(v, 64, &var), PG_ERR_EVLOG_VAR_DATA_TRUNCATED);
}

TEST(names)
{
        CHECK(!strcmp(pg_evlog_type_name(PG_EV_EFI_VARIABLE_AUTHORITY),
                      "EV_EFI_VARIABLE_AUTHORITY"));
        CHECK(!strcmp(pg_evlog_type_name(PG_EV_NO_ACTION), "EV_NO_ACTION"));
        CHECK(pg_evlog_type_name(0x8401) == NULL);
        CHECK(!strcmp(pg_evlog_alg_name(PG_TPM_ALG_SM3_256), "sm3_256"));
        CHECK(pg_evlog_alg_name(0x27) == NULL);
        CHECK_INT(pg_evlog_alg_digest_size(PG_TPM_ALG_SHA384), 48);
}

/* Runs last: every code of measured/errors.def was asserted somewhere. */
TEST(every_measured_code_asserted)
{
#define PG_ERR_COVERED(sym, val, text)                                                    \
        {                                                                                 \
                bool seen = false;                                                        \
                for (size_t i = 0; i < codes_seen_count; i++)                             \
                        seen |= codes_seen[i] == (val);                                   \
                if (!seen)                                                                \
                        test_report(__FILE__, __LINE__, "no test asserts %s", #sym);      \
        }
        PG_ERR_LIST_MEASURED(PG_ERR_COVERED)
#undef PG_ERR_COVERED
}

int main(void)
{
        RUN(corpus_every_log);
        RUN(corpus_no_unlisted_file);
        RUN(corpus_malformed);
        RUN(expected_go_tpm_tools);
        RUN(expected_fwupd_pcr0);
        RUN(expected_go_attestation);
        RUN(expected_tpm2_tools_yaml);
        RUN(quirk_startup_locality);
        RUN(quirk_hcrtm);
        RUN(quirk_sp800155_no_action);
        RUN(quirk_windows);
        RUN(quirk_secure_boot_variables);
        RUN(quirk_shim_authority);
        RUN(quirk_boot_guard_crtm_version);
        RUN(quirk_zero_length_variable);
        RUN(quirk_ccel_padding);
        RUN(quirk_specid_vendor_info);
        RUN(quirk_sha1_without_specid);
        RUN(quirk_missing_bank_digests);
        RUN(synth_base_log);
        RUN(synth_truncations);
        RUN(synth_specid_fields);
        RUN(synth_specid_vendor_info);
        RUN(synth_event_fields);
        RUN(synth_ordering_rules);
        RUN(synth_padding);
        RUN(synth_sha1_logs);
        RUN(synth_cc_event_log);
        RUN(synth_replay_api);
        RUN(synth_iterator_states);
        RUN(synth_variables);
        RUN(names);
        RUN(every_measured_code_asserted);
        return TEST_SUMMARY();
}
