/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cross-check of the handoff blob (tools/xcheck.h). The steps run in the
 * order of the evidence they need: the variable, the firmware log and
 * prodgate's events in it, the TPM, the replay of both logs, and last the
 * comparison of the variable with the measured event. The first step that
 * fails decides the verdict; no failure leaves a blob to use unless the
 * TPM vouches for it.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "crypto/sha256.h"
#include "measured/replay.h"
#include "tools/cel.h"
#include "tools/digest.h"
#include "tools/fileio.h"
#include "tools/xcheck.h"

#define XCHECK_VAR_MAX (1u << 20)
#define XCHECK_LOG_MAX (16u << 20)

const char *pg_xcheck_verdict_name(uint32_t verdict)
{
        static const char *const names[] = { "verified", "missing", "tampered", "unavailable" };

        return verdict < 4 ? names[verdict] : "invalid";
}

static void xcheck_set(struct pg_xcheck *x, uint32_t verdict, pg_err reason, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void xcheck_set(struct pg_xcheck *x, uint32_t verdict, pg_err reason, const char *fmt, ...)
{
        va_list ap;

        x->verdict = verdict;
        x->reason = reason;
        va_start(ap, fmt);
        vsnprintf(x->detail, sizeof(x->detail), fmt, ap);
        va_end(ap);
}

int pg_xcheck_read_fd(int fd, bool lock, uint8_t **buf, size_t *len)
{
        if (lock && flock(fd, LOCK_SH) != 0)
                return -1;
        /* The caller's descriptor may have been read before. read() and not
         * pread(), because seq_file pseudo-files (securityfs) may reject pread. */
        if (lseek(fd, 0, SEEK_SET) != 0 && errno != ESPIPE)
                return -1;
        return pg_fd_read_all(fd, XCHECK_LOG_MAX, buf, len);
}

/* Opens a host path, or a path under the root. */
static int xcheck_open(const struct pg_rootfs *root, const char *host, const char *in_root)
{
        if (host)
                return open(host, O_RDONLY | O_CLOEXEC);
        return pg_rootfs_open_regular(root, in_root);
}

static int xcheck_read(const struct pg_rootfs *root, const char *host, const char *in_root,
                       uint8_t **buf, size_t *len)
{
        int fd = xcheck_open(root, host, in_root), rc, e;

        if (fd < 0)
                return -1;
        rc = pg_xcheck_read_fd(fd, false, buf, len);
        e = errno;
        close(fd);
        errno = e;
        return rc;
}

/* The variable: its blob after the efivarfs attributes, when it has them. */
static void xcheck_variable(const struct pg_xcheck_in *in, struct pg_xcheck *x,
                            const uint8_t **blob, size_t *len, int *read_errno)
{
        size_t n;

        *read_errno = 0;
        if (xcheck_read(in->root, in->handoff, PG_XCHECK_DEFAULT_HANDOFF, &x->var_buf, &n) != 0) {
                *read_errno = errno;
                return;
        }
        x->handoff_found = true;
        *blob = x->var_buf;
        *len = n;
        if (n >= 8 && pg_load_be32(x->var_buf) != 0xd00dfeed &&
            pg_load_be32(x->var_buf + 4) == 0xd00dfeed) {
                *blob += 4;
                *len -= 4;
        }
}

struct xcheck_events {
        const uint8_t *results;         /* tagged data of the results event */
        size_t results_len;
        uint8_t results_digest[32];
        const uint8_t *identity;        /* the identity event's 72 bytes of data */
};

/* One EV_EVENT_TAG in the gates PCR: prodgate's tags checked and kept. */
static bool xcheck_tag(const struct pg_evlog *log, const struct pg_evlog_event *ev,
                       struct xcheck_events *e, char *cause, size_t cause_size)
{
        int b = pg_evlog_bank_index(log, PG_TPM_ALG_SHA256);
        uint8_t d[32];
        uint32_t tag;

        if (ev->data_size < 8 || pg_load_le32(ev->data + 4) != ev->data_size - 8) {
                snprintf(cause, cause_size, "event %u: tagged event size is inconsistent",
                         ev->index);
                return ev->data_size >= 8 && (pg_load_le32(ev->data) >> 16) != 0x5047;
        }
        tag = pg_load_le32(ev->data);
        if (tag != PG_TAG_MANIFEST_IDENTITY && tag != PG_TAG_PREOS_RESULTS &&
            tag != PG_TAG_RUNTIME_RESULTS)
                return true;
        pg_sha256(ev->data, ev->data_size, d);
        if (b < 0 || !(ev->bank_mask & (1u << b)) || pg_memcmp_ct(d, ev->digest[b], 32) != 0) {
                snprintf(cause, cause_size, "event %u: tag 0x%08x digest is not the SHA-256 of its "
                         "data", ev->index, tag);
                return false;
        }
        if (tag == PG_TAG_MANIFEST_IDENTITY && !e->identity && !e->results &&
            ev->data_size == 8 + 72) {
                e->identity = ev->data + 8;
                return true;
        }
        if (tag == PG_TAG_PREOS_RESULTS && e->identity && !e->results) {
                e->results = ev->data + 8;
                e->results_len = ev->data_size - 8;
                memcpy(e->results_digest, d, sizeof(d));
                return true;
        }
        snprintf(cause, cause_size,
                 "event %u: tag 0x%08x is repeated, out of order or of the wrong size",
                 ev->index, tag);
        return false;
}

/* Parses and replays the firmware log, finding prodgate's events. */
static bool xcheck_firmware_log(const struct pg_xcheck_in *in, struct pg_xcheck *x, size_t len,
                                struct xcheck_events *e)
{
        static struct pg_replay replay;
        struct pg_replay_hasher hashers[PG_TOOL_HASHER_MAX];
        struct pg_evlog log, it;
        struct pg_evlog_event ev;
        char cause[160];
        bool end;
        pg_err err;

        err = pg_evlog_init(&log, x->log_buf, len);
        if (err == PG_OK)
                err = pg_replay_init(&replay, &log, hashers, pg_tool_hashers(hashers));
        it = log;
        while (err == PG_OK && (err = pg_evlog_next(&it, &ev, &end)) == PG_OK && !end) {
                err = pg_replay_event(&replay, &ev);
                if (err != PG_OK || ev.pcr != in->pcr || ev.type != PG_EV_EVENT_TAG)
                        continue;
                if (!xcheck_tag(&log, &ev, e, cause, sizeof(cause))) {
                        xcheck_set(x, PG_XCHECK_TAMPERED, PG_ERR_XCHECK_EVENT_MALFORMED,
                                   "%s: %s", x->eventlog_path, cause);
                        return false;
                }
        }
        if (err == PG_OK)
                err = pg_replay_read(&replay, PG_TPM_ALG_SHA256, in->pcr, x->replay, 32);
        if (err != PG_OK) {
                const char *name = pg_err_name(err);

                xcheck_set(x, PG_XCHECK_UNAVAILABLE, PG_ERR_XCHECK_EVENTLOG_INVALID,
                           "%s: %s", x->eventlog_path, name ? name : "PG_ERR_UNKNOWN");
                return false;
        }
        return true;
}

static void xcheck_extend(uint8_t pcr[32], const uint8_t digest[32])
{
        struct pg_sha256_ctx c;

        pg_sha256_init(&c);
        pg_sha256_update(&c, pcr, 32);
        pg_sha256_update(&c, digest, 32);
        pg_sha256_final(&c, pcr);
}

/* Replays the userspace log on top of the firmware log; *before_last gets
 * the value without the file's last record when that record is in the PCR. */
static bool xcheck_cel(const struct pg_xcheck_in *in, struct pg_xcheck *x, uint8_t before_last[32],
                       bool *last_in_pcr)
{
        uint8_t *buf = NULL;
        size_t len = 0;
        struct pg_cel it;
        struct pg_cel_record r;
        bool end = false;
        pg_err err = PG_OK;
        int fd = in->cel_fd;

        *last_in_pcr = false;
        if (fd < 0)
                fd = xcheck_open(in->root, in->cel, PG_XCHECK_DEFAULT_CEL);
        if (fd < 0 && errno == ENOENT)
                return true;
        if (fd < 0 || pg_xcheck_read_fd(fd, in->cel_fd < 0, &buf, &len) != 0) {
                xcheck_set(x, PG_XCHECK_UNAVAILABLE, PG_ERR_XCHECK_CEL_UNREADABLE, "%s: %s",
                           x->cel_path, strerror(errno));
                if (fd >= 0 && in->cel_fd < 0)
                        close(fd);
                return false;
        }
        if (in->cel_fd < 0)
                close(fd);
        pg_cel_init(&it, buf, len);
        while ((err = pg_cel_next(&it, &r, &end)) == PG_OK && !end) {
                x->cel_records++;
                *last_in_pcr = r.pcr == in->pcr;
                if (r.pcr != in->pcr)
                        continue;
                x->cel_pcr_records++;
                memcpy(before_last, x->replay, 32);
                memcpy(x->cel_last_digest, r.digest[PG_CEL_SHA256], 32);
                xcheck_extend(x->replay, r.digest[PG_CEL_SHA256]);
        }
        free(buf);
        if (err != PG_OK) {
                xcheck_set(x, PG_XCHECK_TAMPERED, PG_ERR_XCHECK_CEL_INVALID,
                           "%s: record at byte %zu: %s", x->cel_path, it.err_offset,
                           pg_err_name(err));
                return false;
        }
        return true;
}

static void xcheck_hex(char *out, const uint8_t *d)
{
        pg_hex(out, d, 32);
}

/* Replay against the TPM's SHA-256 bank. */
static bool xcheck_pcr(const struct pg_xcheck_in *in, struct pg_xcheck *x)
{
        const struct pg_esys_bank *b = pg_esys_bank(&x->tpm, PG_TPM_ALG_SHA256);
        uint8_t before_last[32];
        char tpm_hex[65], log_hex[65];
        bool last_in_pcr;

        if (!xcheck_cel(in, x, before_last, &last_in_pcr))
                return false;
        x->replayed = true;
        if (pg_memcmp_ct(b->value, x->replay, 32) == 0)
                return true;
        if (last_in_pcr && pg_memcmp_ct(b->value, before_last, 32) == 0) {
                x->cel_last_pending = true;
                return true;
        }
        xcheck_hex(tpm_hex, b->value);
        xcheck_hex(log_hex, x->replay);
        xcheck_set(x, PG_XCHECK_TAMPERED, PG_ERR_XCHECK_PCR_MISMATCH,
                   "PCR %u sha256: TPM %.16s..., firmware log + %u userspace records replay to "
                   "%.16s...", in->pcr, tpm_hex, x->cel_pcr_records, log_hex);
        return false;
}

/* The variable against the measured event; the TPM vouches for the event. */
static void xcheck_compare(const struct pg_xcheck_in *in, struct pg_xcheck *x,
                           const struct xcheck_events *e, const uint8_t *var, size_t var_len,
                           int read_errno)
{
        struct pg_sha256_ctx c;
        uint8_t head[8], d[32];

        x->blob = e->results;
        x->blob_len = e->results_len;
        x->blob_from_log = true;
        x->identity = e->identity;
        if (!x->handoff_found) {
                if (read_errno == ENOENT)
                        xcheck_set(x, PG_XCHECK_MISSING, PG_ERR_XCHECK_HANDOFF_DELETED,
                                   "%s does not exist; results taken from the measured event",
                                   x->handoff_path);
                else if (read_errno == EFBIG)
                        xcheck_set(x, PG_XCHECK_TAMPERED, PG_ERR_XCHECK_HANDOFF_ALTERED,
                                   "%s is larger than any handoff blob", x->handoff_path);
                else
                        xcheck_set(x, PG_XCHECK_MISSING, PG_ERR_CHECK_EVIDENCE_UNREADABLE,
                                   "%s: %s; results taken from the measured event",
                                   x->handoff_path, strerror(read_errno));
                return;
        }
        pg_store_le32(head, PG_TAG_PREOS_RESULTS);
        pg_store_le32(head + 4, (uint32_t)var_len);
        pg_sha256_init(&c);
        pg_sha256_update(&c, head, sizeof(head));
        pg_sha256_update(&c, var, var_len);
        pg_sha256_final(&c, d);
        if (pg_memcmp_ct(d, e->results_digest, sizeof(d)) != 0) {
                xcheck_set(x, PG_XCHECK_TAMPERED, PG_ERR_XCHECK_HANDOFF_ALTERED,
                           "%s (%zu bytes) is not the measured blob (%zu bytes); results taken "
                           "from the measured event", x->handoff_path, var_len, e->results_len);
                return;
        }
        x->blob = var;
        x->blob_from_log = false;
        xcheck_set(x, PG_XCHECK_VERIFIED, PG_OK, "%s", x->cel_last_pending ?
                   "the last userspace record was appended but never extended" : "");
        (void)in;
}

void pg_xcheck_run(const struct pg_xcheck_in *in, struct pg_xcheck *x)
{
        struct xcheck_events e = { 0 };
        const uint8_t *var = NULL;
        size_t var_len = 0, log_len;
        int var_errno;
        char cause[200];
        pg_err err;

        memset(x, 0, sizeof(*x));
        x->handoff_path = in->handoff ? in->handoff : PG_XCHECK_DEFAULT_HANDOFF;
        x->eventlog_path = in->eventlog ? in->eventlog : PG_XCHECK_DEFAULT_EVENTLOG;
        x->cel_path = in->cel ? in->cel : PG_XCHECK_DEFAULT_CEL;
        xcheck_variable(in, x, &var, &var_len, &var_errno);
        if (xcheck_read(in->root, in->eventlog, PG_XCHECK_DEFAULT_EVENTLOG, &x->log_buf,
                        &log_len) != 0) {
                if (!x->handoff_found && var_errno == ENOENT)
                        xcheck_set(x, PG_XCHECK_MISSING, in->handoff ?
                                   PG_ERR_CHECK_EVIDENCE_MISSING : PG_ERR_DECIDE_NO_HANDOFF,
                                   "no handoff variable and no firmware event log");
                else
                        xcheck_set(x, PG_XCHECK_UNAVAILABLE, PG_ERR_XCHECK_EVENTLOG_UNAVAILABLE,
                                   "%s: %s", x->eventlog_path, strerror(errno));
                return;
        }
        if (!xcheck_firmware_log(in, x, log_len, &e))
                return;
        if (e.results == NULL) {
                xcheck_set(x, PG_XCHECK_MISSING, x->handoff_found || var_errno != ENOENT ?
                           PG_ERR_XCHECK_NO_EVENTS : in->handoff ? PG_ERR_CHECK_EVIDENCE_MISSING :
                           PG_ERR_DECIDE_NO_HANDOFF,
                           "%s has no pre-OS results event in PCR %u", x->eventlog_path, in->pcr);
                return;
        }
        if (in->tcti == NULL) {
                xcheck_set(x, PG_XCHECK_UNAVAILABLE, PG_ERR_XCHECK_NO_TPM_CONFIGURED,
                           "give --tcti to check against a TPM");
                return;
        }
        err = pg_esys_pcr_read(in->tcti, in->pcr, &x->tpm, cause, sizeof(cause));
        if (err != PG_OK) {
                xcheck_set(x, PG_XCHECK_UNAVAILABLE, err, "%s", cause);
                return;
        }
        x->tpm_read = true;
        if (!xcheck_pcr(in, x))
                return;
        xcheck_compare(in, x, &e, var, var_len, var_errno);
}

void pg_xcheck_free(struct pg_xcheck *x)
{
        free(x->var_buf);
        free(x->log_buf);
        x->var_buf = x->log_buf = NULL;
        x->blob = NULL;
}
