/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the runtime checks of `prodgate status`
 * (tools/check_*.c, tools/runtime_checks.c and tools/rootfs.c, linked in
 * with the fuzz flags). The checks read small system files under an
 * evaluation root. Here that root is a private temporary folder, on tmpfs
 * where /dev/shm exists, made once per process and removed at exit. The
 * fuzz build reads files up to 16 KiB (PG_CHECK_READ_MAX), so inputs can
 * reach that limit.
 *
 * An input is a sequence of records:
 *
 *   [selector: 1 byte][length: 2 bytes, little-endian][content: length bytes]
 *
 * The low 5 bits of the selector pick a slot (modulo the slot count): one of
 * the files the checks read, or one of two pseudo-slots. Bits 5 and 6 pick
 * what the file slot becomes: a regular file holding the content (0 and 3),
 * a symlink whose target is the content (1) or an empty folder (2). A
 * length beyond the end of the input takes what is left. The last record of
 * a slot wins, and a slot without a record does not exist. A slot is
 * rewritten only when it changes from the previous input.
 *
 * The pseudo-slots are the options (content byte 0: bit 0 runs every check
 * a second time with the manual component walk instead of openat2, bit 1
 * gives the checks severity degraded instead of fail, bit 2 adds
 * loopback=check to the socket check) and one more check whose kind (byte
 * 0, modulo the kind count) and parameters (the rest, NUL-separated) come
 * from the input, cleaned up to what the manifest schema admits.
 *
 * Every check kind then runs once (sysctl and os-version twice) with the
 * parameters of the fixtures of tests/integration/test_status.sh. Each must
 * come back with exactly one result: one of the four outcomes a check can
 * have, a pass exactly when the reason is PG_OK, a reason that
 * pg_err_name() names, the outcome its severity allows, and a detail that is one
 * printable line within its buffer, non-empty unless the check passed. The
 * two resolutions must give the same outcome and reason, and no descriptor
 * may stay open. A broken rule is reported on stderr before the abort.
 */
#define _GNU_SOURCE /* O_PATH */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg/err.h"
#include "gates/decide.h"
#include "gates/manifest.h"
#include "tools/rootfs.h"
#include "tools/runtime_checks.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The files the checks below read, relative to the root. */
static const char *const slot_paths[] = {
        "proc/net/tcp",
        "proc/net/tcp6",
        "proc/net/udp",
        "proc/net/udp6",
        "etc/os-release",
        "proc/cmdline",
        "proc/self/mounts",
        "etc/resolv.conf",
        "etc/systemd/resolved.conf",
        "etc/systemd/resolved.conf.d/50-dns.conf",
        "usr/lib/systemd/resolved.conf.d/50-dns.conf",
        "sys/kernel/security/lockdown",
        "sys/fs/selinux/enforce",
        "sys/module/apparmor/parameters/enabled",
        "sys/kernel/security/apparmor/profiles",
        "sys/module/module/parameters/sig_enforce",
        "proc/sys/kernel/kptr_restrict",
        "proc/sys/net/ipv4/ip_forward",
        "etc/nftables.conf",
        "etc/acme/version",
        "proc/1/comm",
        "etc/acme/app.conf",
        "var/lib/mdm/enrolled",
        "etc/systemd/system/auditd.service",
        "usr/lib/systemd/system/auditd.service",
        "etc/acme/debug.flag",
        "dev/video0",
        "usr/bin/tool",
};

#define SLOT_FILES PG_ARRAY_SIZE(slot_paths)
#define SLOT_OPTIONS SLOT_FILES
#define SLOT_CHECK (SLOT_FILES + 1)
#define SLOT_COUNT (SLOT_FILES + 2)

enum node_type { NODE_NONE, NODE_FILE, NODE_SYMLINK, NODE_DIR };

/* Maximum length of a symlink target an input creates (below PATH_MAX). */
#define SYMLINK_MAX 4095

#define OPT_MANUAL 0x1u         /* run again with the manual walk, and compare */
#define OPT_DEGRADED 0x2u
#define OPT_LOOPBACK 0x4u

/* The checks every input runs. params contains NUL-terminated strings back
 * to back, as in the manifest. */
struct fuzz_check {
        const char *kind;
        const char *params;
        uint32_t params_len;
};

#define CHECK(kind, params) { kind, params, sizeof(params) }
#define CHECK0(kind) { kind, NULL, 0 }

/* SHA-256 of "hello\n". */
#define HELLO_SHA256 "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"

static const struct fuzz_check fixed_checks[] = {
        CHECK("kernel-lockdown", "mode=integrity"),
        CHECK0("selinux-enforcing"),
        CHECK("apparmor-profiles", "min-profiles=2\0mode=enforce"),
        CHECK0("module-signatures"),
        CHECK("sysctl", "name=kernel.kptr_restrict\0min=1\0max=2"),
        CHECK("sysctl", "name=net/ipv4/ip_forward\0value=0"),
        CHECK("kernel-cmdline", "require=lockdown=integrity\0forbid=init,single"),
        CHECK("mount-options", "path=/tmp/cache\0require=noexec,nosuid\0forbid=exec"),
        CHECK("filesystem-not-mounted", "type=debugfs,tracefs"),
        CHECK("listening-sockets", "allow=tcp:22,tcp6:22,udp:68"),
        CHECK0("firewall-ruleset"),
        CHECK("resolver-nameservers", "allow=127.0.0.53,::1"),
        CHECK("resolved-dns", "dns-over-tls=yes\0dnssec=allow-downgrade"),
        CHECK("setid-files", "paths=/usr/bin\0allow=/usr/bin/passwd\0max-depth=2\0"
                             "max-entries=16"),
        CHECK("file-absent", "path=/etc/acme/debug.flag"),
        CHECK("file-present", "path=/etc/acme/debug.flag\0type=file"),
        CHECK("file-mode", "path=/etc/acme/app.conf\0max=0644"),
        CHECK("file-owner", "path=/etc/acme/app.conf\0uid=0\0gid=0"),
        CHECK("file-digest", "path=/etc/acme/app.conf\0sha256=" HELLO_SHA256),
        CHECK0("sensor-device-permissions"),
        CHECK("mdm-enrolled", "marker=/var/lib/mdm/enrolled"),
        CHECK0("os-version"),
        CHECK("os-version", "path=/etc/acme/version"),
        CHECK("monitoring-services", "units=auditd.service\0processes=auditd"),
};

static const struct fuzz_check loopback_check =
        CHECK("listening-sockets", "allow=tcp:22,tcp6:22,udp:68\0loopback=check");

/* The kinds the input's own check may name. The last one is no kind at all. */
static const char *const fuzz_kinds[] = {
        "kernel-lockdown", "selinux-enforcing", "apparmor-profiles", "module-signatures",
        "sysctl", "kernel-cmdline", "mount-options", "filesystem-not-mounted",
        "listening-sockets", "firewall-ruleset", "resolver-nameservers", "resolved-dns",
        "setid-files", "file-absent", "file-present", "file-mode", "file-owner",
        "file-digest", "sensor-device-permissions", "mdm-enrolled", "os-version",
        "monitoring-services", "frobnicate",
};

/* Folders made once at start. No slot is one of them or a parent of one. */
static const char *const fixed_dirs[] = {
        "proc", "proc/net", "proc/self", "proc/sys", "proc/sys/kernel", "proc/sys/net",
        "proc/sys/net/ipv4", "proc/1", "etc", "etc/acme", "etc/systemd",
        "etc/systemd/system", "etc/systemd/resolved.conf.d", "usr", "usr/bin", "usr/lib",
        "usr/lib/systemd", "usr/lib/systemd/system", "usr/lib/systemd/resolved.conf.d",
        "sys", "sys/kernel", "sys/kernel/security", "sys/kernel/security/apparmor",
        "sys/fs", "sys/fs/selinux", "sys/module", "sys/module/apparmor",
        "sys/module/apparmor/parameters", "sys/module/module",
        "sys/module/module/parameters", "var", "var/lib", "var/lib/mdm", "dev", "dev/snd",
        "tmp", "tmp/cache",
};

/* The root goes on tmpfs where there is one, because creating and removing
 * files there is cheap. */
static char root_path[] = "/dev/shm/pg-fuzz-runtime-XXXXXX";
static char root_fallback[] = "/tmp/pg-fuzz-runtime-XXXXXX";
static const char *root_dir;
static int root_dirfd = -1;

/* What each slot contains now, so an unchanged slot is not written again. */
static struct {
        enum node_type type;
        size_t len;
        uint8_t *content;
} slot_state[SLOT_FILES];
static int lowest_free_fd = -1;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        (void)remove(path);
        return 0;
}

static void remove_root(void)
{
        if (root_dirfd >= 0)
                close(root_dirfd);
        root_dirfd = -1;
        if (root_dir)
                nftw(root_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        for (size_t i = 0; i < SLOT_FILES; i++)
                free(slot_state[i].content);
}

/* Stops the run when the temporary root cannot be set up. This is no finding
 * in the checks. */
static void setup_failed(const char *call, const char *path)
{
        fprintf(stderr, "fuzz_runtime_checks: %s %s: %s\n", call, path, strerror(errno));
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc;
        (void)argv;
        root_dir = mkdtemp(root_path);
        if (!root_dir)
                root_dir = mkdtemp(root_fallback);
        if (!root_dir)
                setup_failed("mkdtemp", root_fallback);
        root_dirfd = open(root_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_dirfd < 0)
                setup_failed("open", root_dir);
        atexit(remove_root);
        for (size_t i = 0; i < PG_ARRAY_SIZE(fixed_dirs); i++)
                if (mkdirat(root_dirfd, fixed_dirs[i], 0755) != 0)
                        setup_failed("mkdir", fixed_dirs[i]);
        return 0;
}

/* Removes what the previous input left in a slot. */
static void slot_clear(size_t i)
{
        int rc = 0;

        if (slot_state[i].type == NODE_DIR)
                rc = unlinkat(root_dirfd, slot_paths[i], AT_REMOVEDIR);
        else if (slot_state[i].type != NODE_NONE)
                rc = unlinkat(root_dirfd, slot_paths[i], 0);
        if (rc != 0)
                setup_failed("remove", slot_paths[i]);
        slot_state[i].type = NODE_NONE;
        slot_state[i].len = 0;
}

/* Creates a slot's node from content and len as slot_set() trimmed them. */
static void slot_create(size_t i, enum node_type type, const uint8_t *content, size_t len)
{
        char target[SYMLINK_MAX + 1];
        ssize_t n;
        int fd;

        switch (type) {
        case NODE_FILE:
                fd = openat(root_dirfd, slot_paths[i],
                            O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (fd < 0)
                        setup_failed("create", slot_paths[i]);
                n = len ? write(fd, content, len) : 0;
                close(fd);
                if (n < 0 || (size_t)n != len)
                        setup_failed("write", slot_paths[i]);
                break;
        case NODE_SYMLINK:
                memcpy(target, content, len);
                target[len] = '\0';
                if (symlinkat(target, root_dirfd, slot_paths[i]) != 0)
                        setup_failed("symlink", slot_paths[i]);
                break;
        case NODE_DIR:
                if (mkdirat(root_dirfd, slot_paths[i], 0755) != 0)
                        setup_failed("mkdir", slot_paths[i]);
                break;
        case NODE_NONE:
                return;
        }
        slot_state[i].type = type;
        slot_state[i].len = len;
        if (len) {
                uint8_t *copy = realloc(slot_state[i].content, len);

                if (!copy)
                        setup_failed("copy", slot_paths[i]);
                memcpy(copy, content, len);
                slot_state[i].content = copy;
        }
}

/* Sets a slot to the input's content, or removes it when content is NULL.
 * A symlink target ends at its first NUL, and an empty one makes no link. */
static void slot_set(size_t i, enum node_type type, const uint8_t *content, size_t len)
{
        if (!content)
                type = NODE_NONE;
        if (type == NODE_SYMLINK)
                len = strnlen((const char *)content, len < SYMLINK_MAX ? len : SYMLINK_MAX);
        if (type == NODE_SYMLINK && len == 0)
                type = NODE_NONE;
        if (type == NODE_NONE || type == NODE_DIR)
                len = 0;
        if (slot_state[i].type == type && slot_state[i].len == len &&
            (len == 0 || !memcmp(slot_state[i].content, content, len)))
                return;
        slot_clear(i);
        slot_create(i, type, content, len);
}

/* Builds the input's own check: schema-valid parameters (1 to 16 strings of
 * 1 to 255 printable characters) from the record's content. */
static void build_check(const uint8_t *content, size_t len, struct pg_manifest_check *c,
                        char *params, size_t cap)
{
        size_t used = 0, cur = 0;
        uint32_t count = 0;

        c->kind = fuzz_kinds[(len ? content[0] : 0) % PG_ARRAY_SIZE(fuzz_kinds)];
        for (size_t i = 1; i <= len && count < PG_MANIFEST_MAX_PARAMETERS; i++) {
                bool end = i == len || content[i] == 0;

                if (!end && content[i] >= 0x20 && content[i] <= 0x7e && cur < 255 &&
                    used + 1 < cap) {
                        params[used++] = (char)content[i];
                        cur++;
                }
                if (end && cur > 0) {
                        params[used++] = '\0';
                        count++;
                        cur = 0;
                }
        }
        c->parameters = count ? params : NULL;
        c->parameters_len = count ? (uint32_t)used : 0;
        c->parameter_count = count;
}

/* A detail is one printable line of the text output, and it fits. */
static bool is_one_line(const char *s, size_t cap)
{
        size_t n = strnlen(s, cap);

        if (n == cap)
                return false;
        for (size_t i = 0; i < n; i++)
                if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
                        return false;
        return true;
}

/* Stops at a broken rule, naming it and the check for the report. */
static void finding(const struct pg_manifest_check *c, const struct pg_check_result *r,
                    const char *rule)
{
        fprintf(stderr, "fuzz_runtime_checks: %s: %s: outcome %u, reason 0x%x, detail '%.*s'\n",
                c->kind, rule, (unsigned)r->result.outcome, (unsigned)r->result.reason,
                (int)sizeof(r->detail), r->detail);
        abort();
}

static void run_one(const struct pg_rootfs *root, const struct pg_manifest *m,
                    const struct pg_manifest_check *c, struct pg_check_result *out)
{
        struct pg_check_result r;
        uint32_t o;

        memset(&r, 0xa5, sizeof(r));
        pg_check_run(root, m, c, &r);
        o = r.result.outcome;
        if (r.check != c)
                finding(c, &r, "result of another check");
        if (o != PG_OUTCOME_PASS && o != PG_OUTCOME_DEGRADED && o != PG_OUTCOME_UNKNOWN &&
            o != PG_OUTCOME_FAIL)
                finding(c, &r, "outcome a check cannot have");
        if (!pg_result_valid(&r.result) || (o == PG_OUTCOME_PASS) != (r.result.reason == PG_OK))
                finding(c, &r, "reason does not fit the outcome");
        if (o != PG_OUTCOME_PASS && !pg_err_name(r.result.reason))
                finding(c, &r, "undefined reason");
        if ((c->severity == PG_SEVERITY_FAIL && o == PG_OUTCOME_DEGRADED) ||
            (c->severity == PG_SEVERITY_DEGRADED && o == PG_OUTCOME_FAIL))
                finding(c, &r, "outcome beyond the severity");
        if (!is_one_line(r.detail, sizeof(r.detail)))
                finding(c, &r, "detail is not one line");
        if ((o != PG_OUTCOME_PASS) != (r.detail[0] != 0))
                finding(c, &r, "detail missing from a non-pass, or given for a pass");
        *out = r;
}

/* Runs a check with openat2 and, when both is set, with the manual walk too:
 * the two resolve paths by the same rules, so the results must agree. */
static void run_check(struct pg_rootfs *root, const struct pg_manifest *m,
                      const struct pg_manifest_check *c, bool both)
{
        struct pg_check_result kernel, manual;

        root->manual = false;
        run_one(root, m, c, &kernel);
        if (!both)
                return;
        root->manual = true;
        run_one(root, m, c, &manual);
        if (kernel.result.outcome != manual.result.outcome ||
            kernel.result.reason != manual.result.reason) {
                fprintf(stderr, "fuzz_runtime_checks: %s: openat2 and the manual walk differ: "
                        "'%s' and '%s'\n", c->kind, kernel.detail, manual.detail);
                abort();
        }
}

/* Fails when a check left a descriptor open: the lowest free one moved up. */
static void check_descriptors(void)
{
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                abort();
        close(fd);
        if (lowest_free_fd < 0 || fd < lowest_free_fd)
                lowest_free_fd = fd;
        else if (fd > lowest_free_fd) {
                fprintf(stderr, "fuzz_runtime_checks: descriptor %d left open\n", lowest_free_fd);
                abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const uint8_t *content[SLOT_COUNT] = { NULL };
        size_t content_len[SLOT_COUNT] = { 0 };
        enum node_type type[SLOT_COUNT] = { NODE_NONE };
        static char params[PG_MANIFEST_MAX_PARAMETERS * 256];
        struct pg_manifest m;
        struct pg_manifest_check c;
        struct pg_rootfs root;
        unsigned options = 0;
        uint32_t severity;
        size_t pos = 0;

        check_descriptors();
        while (size - pos >= 3) {
                static const enum node_type types[4] = {
                        NODE_FILE, NODE_SYMLINK, NODE_DIR, NODE_FILE,
                };
                size_t slot = (data[pos] & 0x1fu) % SLOT_COUNT;
                size_t len = (size_t)data[pos + 1] | (size_t)data[pos + 2] << 8;

                type[slot] = types[(data[pos] >> 5) & 3];
                pos += 3;
                if (len > size - pos)
                        len = size - pos;
                content[slot] = data + pos;
                content_len[slot] = len;
                pos += len;
        }
        for (size_t i = 0; i < SLOT_FILES; i++)
                slot_set(i, type[i], content[i], content_len[i]);
        if (content[SLOT_OPTIONS] && content_len[SLOT_OPTIONS])
                options = content[SLOT_OPTIONS][0];
        severity = options & OPT_DEGRADED ? PG_SEVERITY_DEGRADED : PG_SEVERITY_FAIL;

        memset(&m, 0, sizeof(m));
        m.identity.version = "2.4.1";
        root.fd = root_dirfd;
        root.path = root_dir;
        root.manual = false;

        for (size_t i = 0; i < PG_ARRAY_SIZE(fixed_checks); i++) {
                const struct fuzz_check *f = &fixed_checks[i];

                if ((options & OPT_LOOPBACK) && !strcmp(f->kind, "listening-sockets"))
                        f = &loopback_check;
                memset(&c, 0, sizeof(c));
                c.id = "fuzz";
                c.kind = f->kind;
                c.parameters = f->params;
                c.parameters_len = f->params_len;
                for (uint32_t at = 0; at < f->params_len; at += (uint32_t)strlen(f->params + at) + 1)
                        c.parameter_count++;
                c.severity = severity;
                run_check(&root, &m, &c, options & OPT_MANUAL);
        }
        if (content[SLOT_CHECK]) {
                memset(&c, 0, sizeof(c));
                c.id = "fuzz";
                build_check(content[SLOT_CHECK], content_len[SLOT_CHECK], &c, params,
                            sizeof(params));
                c.severity = severity;
                run_check(&root, &m, &c, options & OPT_MANUAL);
        }
        check_descriptors();
        return 0;
}
