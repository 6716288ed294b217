/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Corrupted-input matrix: every truncation and every single-bit flip in the
 * first 4 KiB of each input, one mutant at a time, each in a buffer of its
 * exact size so that the sanitizer build catches any read past the end.
 * Every error must be a defined code: not PG_OK, and pg_err_name() returns its symbol.
 *
 * Event logs (every corpus log that parses, listed explicitly): each mutant
 * is parsed and replayed. The log sits in one buffer of its exact size. A
 * truncation to L bytes poisons bytes L and up under AddressSanitizer, and
 * a bit flip changes the buffer in place. So a read past the mutant's end
 * is caught without copying the log for every length.
 *
 * To keep the matrix within its time budget, a mutant does not re-parse the
 * original events in front of the change: it resumes from the original's
 * iterator and replay state after them, which is the mutant's state too
 * (the parser decides each record from its own bytes). After the change,
 * a flipped log is parsed until an error, the end, or a boundary where the
 * iterator state equals the original's again; the rest is then the
 * original's, and its events are replayed onto the mutant's PCRs (or the
 * original's final replay is taken when the PCRs are equal there). Every
 * 61st mutant and every truncation at an event boundary is also parsed
 * and replayed from byte 0 to the end, and must give the same result.
 * Replay hashing uses a fast 64-bit mixing function per bank instead of
 * the real digests (sizes as declared), for the original and the mutants
 * alike: the invariants compare replays with each other, never with a TPM.
 *
 * Invariants:
 *   - every success is self-consistent: the log ended, events are
 *     contiguous from offset 0 and lie inside the buffer, the tail after
 *     the last event is 0xFF padding of the reported size, and in each bank
 *     the touched PCRs are exactly those extended (plus PCR 0 for a
 *     locality start value) and the incomplete ones exactly those extended
 *     without a digest in the bank;
 *   - truncation at length L: with k the number of original events that
 *     end at or before L and b the end of the k-th, the parse succeeds
 *     exactly when k >= 1 and the bytes [b, L) are all 0xFF. A success
 *     yields the first k original events (same offsets, sizes, PCRs, types,
 *     flags, banks) and the replay of exactly those events; an error names
 *     the record at b (err_offset b, err_index k) unless k is 0;
 *   - bit flip in a digest of event i >= 1: success, the same events, and a
 *     replay equal to the original's except in that bank's PCR when the
 *     event extends one, where it must differ;
 *   - bit flip in the data of event i >= 1 whose type is neither
 *     EV_NO_ACTION nor EV_EFI_HCRTM_EVENT (the parser does not look at such
 *     data, and replay extends the recorded digests): success, the same
 *     events and the same replay;
 *   - bit flip in the 0xFF padding after the last event: an error;
 *   - any other bit flip (headers, sizes, digest counts and algorithm ids,
 *     the first record, EV_NO_ACTION and H-CRTM data): an error, or a
 *     self-consistent success.
 *
 * Signed manifest (the payload fuzzer seed, signed here with one fresh
 * RSA-2048 key in a one-key ring): every truncation and every flip makes
 * pg_manifest_verify() fail, and the payload is parsed only after a
 * verification; no mutant gets past both.
 *
 * Handoff blob (the example seed): every truncation fails; a flip either
 * fails or reads back a blob that passes pg_handoff_check() and has no
 * gate or objective with outcome pass that was not pass in the original.
 */
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "test.h"
#include "crypto/sha256.h"
#include "gates/handoff.h"
#include "gates/manifest.h"
#include "measured/replay.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define FLIP_BYTES 4096

/* ---- counts -------------------------------------------------------------- */

struct counts {
        unsigned long mutants, errors, successes;
};

/* Counts one result and checks that an error is a defined code. */
static bool note_result(struct counts *c, pg_err err, const char *input, const char *what,
                        size_t at)
{
        c->mutants++;
        if (err == PG_OK) {
                c->successes++;
                return true;
        }
        c->errors++;
        if (pg_err_name(err) == NULL)
                test_report(__FILE__, __LINE__, "%s: %s %zu: undefined code 0x%04x", input,
                            what, at, err);
        return false;
}

static void print_counts(const char *input, const char *kind, const struct counts *c)
{
        printf("    %-62s %-10s %7lu mutants %7lu errors %6lu successes\n", input, kind,
               c->mutants, c->errors, c->successes);
}

static uint8_t *dup_exact(const uint8_t *src, size_t len)
{
        uint8_t *p = malloc(len ? len : 1);

        if (!p)
                abort();
        memcpy(p, src, len);
        return p;
}

/* ---- fast replay hash ------------------------------------------------------ */

static uint64_t mix64(uint64_t x)
{
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebull;
        x ^= x >> 31;
        return x;
}

/* A keyed 64-bit mix of the parts, spread over out_size bytes. Not a
 * cryptographic hash: distinct inputs give distinct outputs except with
 * negligible probability, which is all the replay comparisons need. */
static pg_err fast_hash(void *ctx, const struct pg_hash_part *parts, size_t count,
                        uint8_t *out, size_t out_size)
{
        uint64_t h = (uint64_t)(uintptr_t)ctx * 0x9e3779b97f4a7c15ull;

        for (size_t i = 0; i < count; i++) {
                const uint8_t *p = parts[i].data;
                size_t n = parts[i].size;

                while (n >= 8) {
                        uint64_t w;

                        memcpy(&w, p, 8);
                        h = mix64(h ^ w);
                        p += 8;
                        n -= 8;
                }
                for (size_t j = 0; j < n; j++)
                        h = mix64(h ^ ((uint64_t)p[j] << 8) ^ 0xa5);
                h = mix64(h ^ 0x5bd1e995);
        }
        for (size_t i = 0; i < out_size; i += 8) {
                uint64_t w = mix64(h + i);
                size_t n = out_size - i < 8 ? out_size - i : 8;

                memcpy(out + i, &w, n);
        }
        return PG_OK;
}

static const struct pg_replay_hasher fast_hashers[] = {
        { PG_TPM_ALG_SHA1, fast_hash, (void *)1 },
        { PG_TPM_ALG_SHA256, fast_hash, (void *)2 },
        { PG_TPM_ALG_SHA384, fast_hash, (void *)3 },
        { PG_TPM_ALG_SHA512, fast_hash, (void *)4 },
        { PG_TPM_ALG_SM3_256, fast_hash, (void *)5 },
};

/* ---- event logs: the corpus ------------------------------------------------ */

/* Every corpus log that parses; test_eventlog.c lists the others with their errors. */
static const char *const corpus_logs[] = {
        "fwupd-test-firmware/binary_bios_measurements-v1",
        "fwupd-test-firmware/binary_bios_measurements-v2",
        "go-attestation/coreos_36_shielded_vm_no_secure_boot_eventlog",
        "go-attestation/crypto_agile_eventlog",
        "go-attestation/ebs_event_missing_eventlog",
        "go-attestation/linux_tpm12.eventlog.bin",
        "go-attestation/option_rom_eventlog",
        "go-attestation/sb_cert_eventlog",
        "go-attestation/ubuntu_2104_shielded_vm_no_secure_boot_eventlog",
        "go-attestation/windows_gcp_shielded_vm.eventlog.bin",
        "go-eventlog/ccel/CCEL_unpadded.data.bin",
        "go-eventlog/ccel/cos-113-intel-tdx-dupe-separator-unpadded.bin",
        "go-eventlog/ccel/cos-113-intel-tdx.bin",
        "go-eventlog/ccel/event_log.bin",
        "go-tpm-tools/arch-linux-workstation.bin",
        "go-tpm-tools/confidential-gke-debug-251000_eventlog.bin",
        "go-tpm-tools/cos-101-amd-sev.bin",
        "go-tpm-tools/debian-10.bin",
        "go-tpm-tools/eventlogwithsp800155.bin",
        "go-tpm-tools/gdc-host.bin",
        "go-tpm-tools/glinux-alex.bin",
        "go-tpm-tools/rhel8-uefi.bin",
        "go-tpm-tools/ubuntu-1804-amd-sev.bin",
        "go-tpm-tools/ubuntu-2404-amd-sevsnp.bin",
        "keylime/binary_bios_measurements",
        "keylime/binary_bios_measurements-secureboot",
        "keylime/mb_log.bin",
        "secboot/eventlog_dell_embedded_box_pc_3000.bin",
        "secboot/testdata-2020/eventlog1.bin",
        "secboot/testdata-2020/eventlog2.bin",
        "secboot/testdata-2020/eventlog3.bin",
        "tcglog-parser/binary_bios_measurements",
        "tpm2-tools/event-arch-linux.bin",
        "tpm2-tools/event-bootorder.bin",
        "tpm2-tools/event-gce-ubuntu-2104-log.bin",
        "tpm2-tools/event-moklisttrusted.bin",
        "tpm2-tools/event-postcode.bin",
        "tpm2-tools/event-sd-boot-fedora37.bin",
        "tpm2-tools/event-uefi-sha1-log.bin",
        "tpm2-tools/event-uefiaction.bin",
        "tpm2-tools/event-uefiservices.bin",
        "tpm2-tools/event-uefivar.bin",
        "tpm2-tools/event.bin",
        "tpm2-tools/specid-vendordata.bin",
        "tpm2-tss/binary_measurements_hcrtm.bin",
        "tpm2-tss/binary_measurements_pc_client.bin",
        "tpm2-tss/specid-vendordata.bin",
};

/* An event as offsets into its log, so mutants' events compare with it. */
struct ev_info {
        size_t offset, record_size;
        uint32_t pcr, type, flags, bank_mask, data_size;
        size_t data_off;
        size_t digest_off[PG_EVLOG_MAX_BANKS];
};

static void ev_info_of(const uint8_t *buf, const struct pg_evlog_event *ev, struct ev_info *out)
{
        memset(out, 0, sizeof(*out));
        out->offset = ev->offset;
        out->record_size = ev->record_size;
        out->pcr = ev->pcr;
        out->type = ev->type;
        out->flags = ev->flags;
        out->bank_mask = ev->bank_mask;
        out->data_size = ev->data_size;
        out->data_off = (size_t)(ev->data - buf);
        for (unsigned b = 0; b < PG_EVLOG_MAX_BANKS; b++)
                if (ev->bank_mask & (1u << b))
                        out->digest_off[b] = (size_t)(ev->digest[b] - buf);
}

static bool same_event(const struct ev_info *a, const struct ev_info *b)
{
        return a->offset == b->offset && a->record_size == b->record_size && a->pcr == b->pcr &&
               a->type == b->type && a->flags == b->flags && a->bank_mask == b->bank_mask &&
               a->data_size == b->data_size && a->data_off == b->data_off &&
               !memcmp(a->digest_off, b->digest_off, sizeof(a->digest_off));
}

static bool same_pcrs(const struct pg_replay *a, const struct pg_replay *b)
{
        if (a->bank_count != b->bank_count || a->pcr0_locality != b->pcr0_locality ||
            a->events != b->events)
                return false;
        for (uint8_t i = 0; i < a->bank_count; i++) {
                const struct pg_replay_bank *x = &a->banks[i], *y = &b->banks[i];

                if (x->alg != y->alg || x->touched != y->touched ||
                    x->incomplete != y->incomplete || memcmp(x->pcr, y->pcr, sizeof(x->pcr)) != 0)
                        return false;
        }
        return true;
}

static bool same_replay(const struct pg_replay *a, const struct pg_replay *b)
{
        if (a->bank_count != b->bank_count || a->pcr0_locality != b->pcr0_locality ||
            a->events != b->events || a->err != b->err)
                return false;
        for (uint8_t i = 0; i < a->bank_count; i++) {
                const struct pg_replay_bank *x = &a->banks[i], *y = &b->banks[i];

                if (x->alg != y->alg || x->size != y->size || x->hasher != y->hasher ||
                    x->touched != y->touched || x->incomplete != y->incomplete ||
                    memcmp(x->pcr, y->pcr, sizeof(x->pcr)) != 0)
                        return false;
        }
        return true;
}

/* Compares two iterator states field by field; both point into the same buffer.
 * NOTE: a field added to struct pg_evlog belongs here too. The full-parse
 * cross-checks report a mutant whose resumed run then goes wrong. */
static bool same_state(const struct pg_evlog *a, const struct pg_evlog *b)
{
        return a->buf == b->buf && a->len == b->len && a->pos == b->pos &&
               a->first_size == b->first_size && a->next_index == b->next_index &&
               a->format == b->format && a->bank_count == b->bank_count &&
               !memcmp(a->banks, b->banks, sizeof(a->banks)) &&
               a->specid.platform_class == b->specid.platform_class &&
               a->specid.version_major == b->specid.version_major &&
               a->specid.version_minor == b->specid.version_minor &&
               a->specid.errata == b->specid.errata &&
               a->specid.uintn_size == b->specid.uintn_size &&
               a->specid.vendor_info == b->specid.vendor_info &&
               a->specid.vendor_info_size == b->specid.vendor_info_size &&
               a->specid.size_excludes_vendor_info == b->specid.size_excludes_vendor_info &&
               a->cc_event_log == b->cc_event_log && a->padding == b->padding &&
               a->ended == b->ended && a->pcr0_extended == b->pcr0_extended &&
               a->startup_locality_seen == b->startup_locality_seen && a->err == b->err &&
               a->err_offset == b->err_offset && a->err_index == b->err_index;
}

/*
 * The original log, parsed once from an exact-size buffer w that the mutants
 * then change in place (bit flips) or shorten (truncations).
 */
struct original {
        const char *path;
        uint8_t *w;
        size_t len;
        uint32_t count;
        struct ev_info *ev;             /* count */
        struct pg_evlog_event *evs;     /* count */
        struct pg_evlog *st;            /* st[k]: iterator after k events */
        struct pg_replay *prefix;       /* prefix[k]: replay of the first k events */
        size_t events_end;              /* end of the last event; 0xFF padding follows */
};

/* The outcome of one mutant. Its events are the original's first `base`
 * events, then `own` events parsed from the mutant, then the original's
 * events from `tail_from` on. */
struct outcome {
        pg_err err;
        bool init_ok, ended;
        size_t err_offset, padding;
        uint32_t err_index;
        uint32_t base, own, tail_from, cap;
        struct ev_info *ev;             /* cap */
        const struct pg_replay *replay; /* a prefix of the original's, or scratch */
        struct pg_replay *scratch;
};

static uint32_t event_total(const struct original *o, const struct outcome *out)
{
        return out->base + out->own + (o->count - out->tail_from);
}

static const struct ev_info *event_at(const struct original *o, const struct outcome *out,
                                      uint32_t i)
{
        if (i < out->base)
                return &o->ev[i];
        i -= out->base;
        if (i < out->own)
                return i < out->cap ? &out->ev[i] : NULL;
        return &o->ev[out->tail_from + i - out->own];
}

static void outcome_reset(const struct original *o, struct outcome *out, uint32_t base,
                          const struct pg_replay *replay)
{
        out->err = PG_OK;
        out->init_ok = true;
        out->ended = false;
        out->err_offset = out->padding = 0;
        out->err_index = 0;
        out->base = base;
        out->own = 0;
        out->tail_from = o->count;
        out->replay = replay;
}

/* The rest of the mutant equals the original from event i on. */
static void finish_from(const struct original *o, uint32_t i, struct outcome *out)
{
        out->tail_from = i;
        out->ended = true;
        out->padding = o->len - o->events_end;
        if (same_replay(out->replay, &o->prefix[i])) {
                out->replay = &o->prefix[o->count];
                return;
        }
        for (uint32_t x = i; x < o->count && out->err == PG_OK; x++)
                out->err = pg_replay_event(out->scratch, &o->evs[x]);
}

/*
 * Goes on parsing and replaying from iterator state it. With resync, stops
 * at the first boundary after byte `after` where the state equals the
 * original's: the bytes from there on are the original's, so the rest of
 * the parse is the original's too.
 */
static void continue_run(const struct original *o, struct pg_evlog *it, struct outcome *out,
                         size_t after, bool resync)
{
        for (;;) {
                struct pg_evlog_event e;
                bool end;
                pg_err err = pg_evlog_next(it, &e, &end);

                if (err != PG_OK) {
                        out->err = err;
                        out->err_offset = it->err_offset;
                        out->err_index = it->err_index;
                        return;
                }
                if (end) {
                        out->ended = true;
                        out->padding = it->padding;
                        return;
                }
                if (out->replay != out->scratch) {
                        *out->scratch = *out->replay;
                        out->replay = out->scratch;
                }
                err = pg_replay_event(out->scratch, &e);
                if (err != PG_OK) {
                        out->err = err;
                        out->err_offset = e.offset;
                        out->err_index = e.index;
                        return;
                }
                if (out->own < out->cap)
                        ev_info_of(o->w, &e, &out->ev[out->own]);
                out->own++;
                if (resync && it->pos > after && it->next_index <= o->count &&
                    same_state(it, &o->st[it->next_index])) {
                        finish_from(o, it->next_index, out);
                        return;
                }
        }
}

/* Parses and replays o->w[0..len) from its first byte. */
static void full_run(const struct original *o, size_t len, struct outcome *out, size_t after,
                     bool resync)
{
        struct pg_evlog log;

        outcome_reset(o, out, 0, NULL);
        out->err = pg_evlog_init(&log, o->w, len);
        if (out->err != PG_OK) {
                out->init_ok = false;
                return;
        }
        out->err = pg_replay_init(out->scratch, &log, fast_hashers, PG_ARRAY_SIZE(fast_hashers));
        out->replay = out->scratch;
        if (out->err == PG_OK)
                continue_run(o, &log, out, after, resync);
}

/*
 * Resumes from the original's state after k events, which is also the
 * mutant's: the parser decides each record from its own bytes, and the
 * mutant's first k records are the original's.
 */
static void resume_run(const struct original *o, uint32_t k, size_t len, struct outcome *out,
                       size_t after, bool resync)
{
        struct pg_evlog it = o->st[k];

        it.len = len;
        outcome_reset(o, out, k, &o->prefix[k]);
        continue_run(o, &it, out, after, resync);
}

/* A resumed run must match a full parse of the same mutant. */
static void compare_runs(const struct original *o, const struct outcome *a,
                         const struct outcome *b, const char *what, size_t at)
{
        bool same = a->err == b->err && a->init_ok == b->init_ok;

        if (same && a->err == PG_OK) {
                same = a->ended == b->ended && a->padding == b->padding &&
                       event_total(o, a) == event_total(o, b) && same_replay(a->replay, b->replay);
                for (uint32_t i = 0; same && i < event_total(o, a); i++) {
                        const struct ev_info *x = event_at(o, a, i), *y = event_at(o, b, i);

                        same = x && y && same_event(x, y);
                }
        } else if (same && a->init_ok) {
                same = a->err_offset == b->err_offset && a->err_index == b->err_index;
        }
        if (!same)
                test_report(__FILE__, __LINE__, "%s: %s %zu: resumed run %s, full parse %s",
                            o->path, what, at, test_err_name(a->err), test_err_name(b->err));
}

/*
 * Checks that a successful outcome is self-consistent. flipped is the byte a
 * bit flip changed, or SIZE_MAX. The original's padding is all 0xFF (checked
 * on load), so only the tail bytes in front of it, or a flipped one in it,
 * are read here.
 */
static void check_consistent(const struct original *o, const struct outcome *out, size_t len,
                             size_t flipped, const char *what, size_t at)
{
        const struct pg_replay *r = out->replay;
        uint32_t ext[PG_EVLOG_MAX_BANKS] = { 0 }, missing[PG_EVLOG_MAX_BANKS] = { 0 };
        uint32_t total = event_total(o, out);
        size_t pos = 0;

        if (!out->ended || r->events != total)
                test_report(__FILE__, __LINE__, "%s: %s %zu: ended %d, %u events, replay %u",
                            o->path, what, at, out->ended, total, r->events);
        for (uint32_t i = 0; i < total; i++) {
                const struct ev_info *e = event_at(o, out, i);
                bool inside = e && e->offset == pos && e->record_size <= len - pos &&
                              e->data_off <= len && e->data_size <= len - e->data_off;

                for (uint8_t b = 0; inside && b < r->bank_count; b++)
                        if (e->bank_mask & (1u << b))
                                inside = e->digest_off[b] <= len &&
                                         r->banks[b].size <= len - e->digest_off[b];
                if (!inside) {
                        test_report(__FILE__, __LINE__, "%s: %s %zu: event %u is not where the "
                                    "previous one ends, or not inside the log", o->path, what,
                                    at, i);
                        return;
                }
                if (!(e->flags & PG_EVLOG_EV_NO_EXTEND)) {
                        for (uint8_t b = 0; b < r->bank_count; b++) {
                                if (e->bank_mask & (1u << b))
                                        ext[b] |= 1u << e->pcr;
                                else
                                        missing[b] |= 1u << e->pcr;
                        }
                }
                pos = e->offset + e->record_size;
        }
        if (out->padding != len - pos)
                test_report(__FILE__, __LINE__, "%s: %s %zu: padding %zu, events end at %zu",
                            o->path, what, at, out->padding, pos);
        for (size_t i = pos; i < len; i++) {
                if (i == o->events_end && !(flipped >= o->events_end && flipped < o->len))
                        break;
                if (o->w[i] != 0xff) {
                        test_report(__FILE__, __LINE__, "%s: %s %zu: padding byte %zu is "
                                    "0x%02x", o->path, what, at, i, o->w[i]);
                        break;
                }
        }
        for (uint8_t b = 0; b < r->bank_count; b++) {
                const struct pg_replay_bank *bank = &r->banks[b];
                uint32_t touched = ext[b] | missing[b] | (r->pcr0_locality ? 1u : 0u);

                if (bank->touched != touched || bank->incomplete != missing[b])
                        test_report(__FILE__, __LINE__, "%s: %s %zu: bank %u touched 0x%06x "
                                    "incomplete 0x%06x; events give 0x%06x, 0x%06x", o->path,
                                    what, at, b, bank->touched, bank->incomplete, touched,
                                    missing[b]);
        }
}

static bool load_original(const char *path, struct original *o)
{
        char rel[512];
        struct pg_evlog it;
        struct pg_evlog_event e;
        struct pg_replay *r;
        uint8_t *file;
        bool end;
        uint32_t n = 0;

        memset(o, 0, sizeof(*o));
        o->path = path;
        snprintf(rel, sizeof(rel), "eventlogs/%s", path);
        file = test_read_file(test_corpus_path(rel), &o->len);
        o->w = dup_exact(file, o->len);
        free(file);
        r = calloc(1, sizeof(*r));
        if (!r)
                abort();
        if (pg_evlog_init(&it, o->w, o->len) != PG_OK ||
            pg_replay_init(r, &it, fast_hashers, PG_ARRAY_SIZE(fast_hashers)) != PG_OK) {
                test_report(__FILE__, __LINE__, "%s does not parse", path);
                free(r);
                return false;
        }
        /* A record takes at least 19 bytes, so len / 16 + 1 entries suffice. */
        o->ev = calloc(o->len / 16 + 1, sizeof(*o->ev));
        o->evs = calloc(o->len / 16 + 1, sizeof(*o->evs));
        o->st = calloc(o->len / 16 + 2, sizeof(*o->st));
        o->prefix = calloc(o->len / 16 + 2, sizeof(*o->prefix));
        if (!o->ev || !o->evs || !o->st || !o->prefix)
                abort();
        o->st[0] = it;
        o->prefix[0] = *r;
        while (pg_evlog_next(&it, &e, &end) == PG_OK && !end && n <= o->len / 16) {
                CHECK_ERR(pg_replay_event(r, &e), PG_OK);
                ev_info_of(o->w, &e, &o->ev[n]);
                o->evs[n++] = e;
                o->st[n] = it;
                o->prefix[n] = *r;
        }
        free(r);
        o->count = n;
        o->events_end = n ? o->ev[n - 1].offset + o->ev[n - 1].record_size : 0;
        if (!it.ended || it.err != PG_OK || it.padding != o->len - o->events_end) {
                test_report(__FILE__, __LINE__, "%s: %s after %u events", path,
                            test_err_name(it.err), n);
                return false;
        }
        for (size_t i = o->events_end; i < o->len; i++)
                if (o->w[i] != 0xff)
                        test_report(__FILE__, __LINE__, "%s: padding byte %zu", path, i);
        return true;
}

static void free_original(struct original *o)
{
        free(o->w);
        free(o->ev);
        free(o->evs);
        free(o->st);
        free(o->prefix);
}

/* ---- event logs: truncation -------------------------------------------------- */

/* Every this many mutants is also parsed from byte 0, to check the resumed run. */
#define CROSS_CHECK_EVERY 61

static void truncate_log(const struct original *o, struct outcome *a, struct outcome *full)
{
        struct counts c = { 0 };
        uint32_t k = o->count;
        size_t *non_ff = calloc(o->count + 1, sizeof(*non_ff));

        if (!non_ff)
                abort();
        /* non_ff[k]: the first byte other than 0xFF after the first k events */
        for (uint32_t i = 0; i <= o->count; i++) {
                non_ff[i] = i ? o->ev[i - 1].offset + o->ev[i - 1].record_size : 0;
                while (non_ff[i] < o->len && o->w[non_ff[i]] == 0xff)
                        non_ff[i]++;
        }
        for (size_t len = o->len + 1; len-- > 0;) {
                size_t b;
                bool ok;

                if (len < o->len)
                        POISON(o->w + len, 1);
                while (k > 0 && o->ev[k - 1].offset + o->ev[k - 1].record_size > len)
                        k--;
                b = k ? o->ev[k - 1].offset + o->ev[k - 1].record_size : 0;
                if (k == 0)
                        full_run(o, len, a, SIZE_MAX, false);
                else
                        resume_run(o, k, len, a, SIZE_MAX, false);
                ok = note_result(&c, a->err, o->path, "length", len);
                if (ok != (k >= 1 && non_ff[k] >= len)) {
                        test_report(__FILE__, __LINE__, "%s: length %zu (%u whole events): %s",
                                    o->path, len, k, test_err_name(a->err));
                } else if (ok) {
                        check_consistent(o, a, len, SIZE_MAX, "length", len);
                        if (event_total(o, a) != k || !same_pcrs(a->replay, &o->prefix[k]))
                                test_report(__FILE__, __LINE__, "%s: length %zu: the events or "
                                            "their replay are not the first %u", o->path, len, k);
                } else if (k >= 1 && (a->err_offset != b || a->err_index != k)) {
                        test_report(__FILE__, __LINE__, "%s: length %zu: %s at record %u, "
                                    "offset %zu; expected record %u at %zu", o->path, len,
                                    test_err_name(a->err), a->err_index, a->err_offset, k, b);
                }
                if (k > 0 && (len % CROSS_CHECK_EVERY == 0 || len == b)) {
                        full_run(o, len, full, SIZE_MAX, false);
                        compare_runs(o, a, full, "length", len);
                }
        }
        UNPOISON(o->w, o->len);
        free(non_ff);
        print_counts(o->path, "truncate", &c);
}

/* ---- event logs: bit flips ----------------------------------------------------- */

enum byte_class {
        CLASS_OTHER,            /* error, or a self-consistent success */
        CLASS_DIGEST,           /* success; replay differs in one PCR or not at all */
        CLASS_DATA,             /* success; same events and replay */
        CLASS_PADDING,          /* error */
};

struct byte_info {
        uint8_t cls;
        uint8_t bank;
        uint32_t event;         /* the event the byte belongs to */
};

static void classify(const struct original *o, struct byte_info *map, size_t n)
{
        for (size_t at = 0; at < n; at++)
                map[at] = (struct byte_info){ CLASS_PADDING, 0, o->count };
        for (uint32_t i = 0; i < o->count; i++) {
                const struct ev_info *e = &o->ev[i];

                for (size_t at = e->offset; at < e->offset + e->record_size && at < n; at++)
                        map[at] = (struct byte_info){ CLASS_OTHER, 0, i };
                if (i == 0)
                        continue;
                for (unsigned b = 0; b < o->prefix[0].bank_count; b++) {
                        if (!(e->bank_mask & (1u << b)))
                                continue;
                        for (size_t j = 0; j < o->prefix[0].banks[b].size; j++)
                                if (e->digest_off[b] + j < n)
                                        map[e->digest_off[b] + j] =
                                                (struct byte_info){ CLASS_DIGEST, (uint8_t)b, i };
                }
                if (e->type == PG_EV_NO_ACTION || e->type == PG_EV_EFI_HCRTM_EVENT)
                        continue;
                for (size_t j = 0; j < e->data_size && e->data_off + j < n; j++)
                        map[e->data_off + j] = (struct byte_info){ CLASS_DATA, 0, i };
        }
}

/* The replay must equal the original's except in PCR pcr of bank bank, where
 * it must differ. bank is PG_EVLOG_MAX_BANKS when nothing may differ. */
static bool replay_differs_only_in(const struct pg_replay *got, const struct pg_replay *want,
                                   unsigned bank, uint32_t pcr)
{
        if (got == want)
                return bank == PG_EVLOG_MAX_BANKS;
        if (got->bank_count != want->bank_count || got->pcr0_locality != want->pcr0_locality ||
            got->events != want->events)
                return false;
        for (unsigned b = 0; b < got->bank_count; b++) {
                const struct pg_replay_bank *x = &got->banks[b], *y = &want->banks[b];

                if (x->alg != y->alg || x->touched != y->touched || x->incomplete != y->incomplete)
                        return false;
                for (uint32_t p = 0; p < PG_EVLOG_PCR_COUNT; p++) {
                        bool differ = memcmp(x->pcr[p], y->pcr[p], sizeof(x->pcr[p])) != 0;

                        if (differ != (b == bank && p == pcr))
                                return false;
                }
        }
        return true;
}

static void check_flip(const struct original *o, const struct outcome *a,
                       const struct byte_info *bi, size_t pos, bool ok)
{
        const struct ev_info *e = &o->ev[bi->event < o->count ? bi->event : 0];
        unsigned bank = PG_EVLOG_MAX_BANKS;
        bool same_events = ok && event_total(o, a) == o->count;

        if (bi->cls != CLASS_DIGEST && bi->cls != CLASS_DATA)
                same_events = false;
        for (uint32_t i = 0; same_events && i < o->count; i++) {
                const struct ev_info *x = event_at(o, a, i);

                same_events = x && same_event(x, &o->ev[i]);
        }
        if (bi->cls == CLASS_PADDING && ok) {
                test_report(__FILE__, __LINE__, "%s: flipped bit %zu in the padding is "
                            "accepted", o->path, pos);
        } else if ((bi->cls == CLASS_DIGEST || bi->cls == CLASS_DATA) && !same_events) {
                test_report(__FILE__, __LINE__, "%s: flipped bit %zu in event %u: %s, %s "
                            "events", o->path, pos, bi->event, test_err_name(a->err),
                            ok ? "other" : "no");
        } else if (bi->cls == CLASS_DIGEST || bi->cls == CLASS_DATA) {
                if (bi->cls == CLASS_DIGEST && !(e->flags & PG_EVLOG_EV_NO_EXTEND) &&
                    o->prefix[0].banks[bi->bank].hasher != NULL)
                        bank = bi->bank;
                if (!replay_differs_only_in(a->replay, &o->prefix[o->count], bank, e->pcr))
                        test_report(__FILE__, __LINE__, "%s: flipped bit %zu in event %u "
                                    "(PCR %u, bank %u): unexpected replay", o->path, pos,
                                    bi->event, e->pcr, bank);
        }
}

static void flip_log(const struct original *o, struct outcome *a, struct outcome *full)
{
        size_t n = o->len < FLIP_BYTES ? o->len : FLIP_BYTES;
        struct byte_info *map = calloc(n ? n : 1, sizeof(*map));
        struct counts c = { 0 };

        if (!map)
                abort();
        classify(o, map, n);
        for (size_t pos = 0; pos < n * 8; pos++) {
                const struct byte_info *bi = &map[pos / 8];
                bool ok;

                o->w[pos / 8] ^= (uint8_t)(1u << (pos % 8));
                if (bi->event == 0)
                        full_run(o, o->len, a, pos / 8, true);
                else
                        resume_run(o, bi->event, o->len, a, pos / 8, true);
                ok = note_result(&c, a->err, o->path, "flipped bit", pos);
                if (ok)
                        check_consistent(o, a, o->len, pos / 8, "flipped bit", pos);
                check_flip(o, a, bi, pos, ok);
                if (bi->event != 0 && pos % CROSS_CHECK_EVERY == 0) {
                        full_run(o, o->len, full, SIZE_MAX, false);
                        compare_runs(o, a, full, "flipped bit", pos);
                }
                o->w[pos / 8] ^= (uint8_t)(1u << (pos % 8));
        }
        print_counts(o->path, "bit flip", &c);
        free(map);
}

static void outcome_alloc(struct outcome *out, size_t len)
{
        out->cap = (uint32_t)(len / 16 + 1);
        out->ev = calloc(out->cap, sizeof(*out->ev));
        out->scratch = calloc(1, sizeof(*out->scratch));
        if (!out->ev || !out->scratch)
                abort();
}

static void outcome_free(struct outcome *out)
{
        free(out->ev);
        free(out->scratch);
}

TEST(eventlog_matrix)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(corpus_logs); i++) {
                struct original o;
                struct outcome a, full;

                if (load_original(corpus_logs[i], &o)) {
                        outcome_alloc(&a, o.len);
                        outcome_alloc(&full, o.len);
                        truncate_log(&o, &a, &full);
                        flip_log(&o, &a, &full);
                        outcome_free(&a);
                        outcome_free(&full);
                }
                free_original(&o);
        }
}

/* ---- signed manifest ------------------------------------------------------------- */

#define MANIFEST_SEED "tests/fuzz/seeds/manifest_payload/example.dtb"

/* Verifies, then parses what verified: returns the first error. */
static pg_err verify_and_parse(const struct pg_keyring *ring, const uint8_t *buf, size_t len,
                               bool *verified)
{
        static struct pg_manifest m;
        struct pg_manifest_verified v;
        pg_err err = pg_manifest_verify(ring, buf, len, &v);

        *verified = err == PG_OK;
        if (err == PG_OK)
                err = pg_manifest_parse(v.payload, v.payload_len, &m);
        return err;
}

TEST(manifest_matrix)
{
        static uint8_t env[PG_MANIFEST_MAX_SIZE] __attribute__((aligned(8)));
        uint8_t spki[PG_KEYRING_MAX_SPKI], sig[PG_MANIFEST_MAX_SIG_BYTES];
        unsigned char *p = spki;
        struct pg_manifest_signature s = { PG_MANIFEST_ALG_RSA_PKCS1_SHA256, { 0 }, sig, 0 };
        struct pg_keyring_key key = { PG_KEY_ROLE_RELEASE, 0, spki, { 0 } };
        struct pg_keyring ring = { 1, &key };
        struct counts trunc = { 0 }, flips = { 0 };
        EVP_PKEY *pkey = EVP_RSA_gen(2048);
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        size_t plen, len = 0, siglen = sizeof(sig), n;
        uint8_t *payload = test_read_file(MANIFEST_SEED, &plen);
        bool verified;
        uint8_t *m;

        if (!pkey || !ctx)
                abort();
        key.spki_len = (uint32_t)i2d_PUBKEY(pkey, &p);
        pg_sha256(spki, key.spki_len, key.key_id);
        memcpy(s.key_id, key.key_id, sizeof(s.key_id));
        CHECK_INT(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pkey), 1);
        CHECK_INT(EVP_DigestSign(ctx, sig, &siglen, payload, plen), 1);
        s.sig_len = (uint32_t)siglen;
        CHECK_ERR(pg_manifest_envelope_write(payload, plen, &s, 1, env, sizeof(env), &len),
                  PG_OK);
        CHECK_ERR(verify_and_parse(&ring, env, len, &verified), PG_OK);

        for (size_t l = 0; l < len; l++) {
                m = dup_exact(env, l);
                if (note_result(&trunc, verify_and_parse(&ring, m, l, &verified), MANIFEST_SEED,
                                "length", l) || verified)
                        test_report(__FILE__, __LINE__, "manifest truncated to %zu verifies", l);
                free(m);
        }
        n = len < FLIP_BYTES ? len : FLIP_BYTES;
        m = dup_exact(env, len);
        for (size_t pos = 0; pos < n * 8; pos++) {
                m[pos / 8] ^= (uint8_t)(1u << (pos % 8));
                if (note_result(&flips, verify_and_parse(&ring, m, len, &verified), MANIFEST_SEED,
                                "flipped bit", pos) || verified)
                        test_report(__FILE__, __LINE__, "manifest with bit %zu flipped verifies",
                                    pos);
                m[pos / 8] ^= (uint8_t)(1u << (pos % 8));
        }
        free(m);
        print_counts(MANIFEST_SEED, "truncate", &trunc);
        print_counts(MANIFEST_SEED, "bit flip", &flips);
        CHECK_INT(trunc.successes + flips.successes, 0);
        free(payload);
        EVP_MD_CTX_free(ctx);
        EVP_PKEY_free(pkey);
}

/* ---- handoff blob ------------------------------------------------------------------ */

#define HANDOFF_SEED "tests/fuzz/seeds/handoff/example.dtb"

static void check_no_new_pass(const struct pg_handoff *got, const struct pg_handoff *orig,
                              size_t pos)
{
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                const struct pg_handoff_gate *a = &got->gates[g], *b = &orig->gates[g];

                if (a->result.outcome == PG_OUTCOME_PASS && b->result.outcome != PG_OUTCOME_PASS)
                        test_report(__FILE__, __LINE__, "handoff bit %zu: gate %u became pass",
                                    pos, g + 1);
                for (unsigned i = 0; i < PG_OBJECTIVES_PER_GATE; i++)
                        if (a->objectives[i].outcome == PG_OUTCOME_PASS &&
                            b->objectives[i].outcome != PG_OUTCOME_PASS)
                                test_report(__FILE__, __LINE__, "handoff bit %zu: gate %u "
                                            "objective %u became pass", pos, g + 1, i);
        }
}

TEST(handoff_matrix)
{
        static struct pg_handoff orig, out;
        struct counts trunc = { 0 }, flips = { 0 };
        size_t len, n;
        uint8_t *blob = test_read_file(HANDOFF_SEED, &len);
        uint8_t *m;

        CHECK_ERR(pg_handoff_read(blob, len, &orig), PG_OK);
        for (size_t l = 0; l < len; l++) {
                m = dup_exact(blob, l);
                if (note_result(&trunc, pg_handoff_read(m, l, &out), HANDOFF_SEED, "length", l))
                        test_report(__FILE__, __LINE__, "handoff truncated to %zu is read", l);
                free(m);
        }
        n = len < FLIP_BYTES ? len : FLIP_BYTES;
        m = dup_exact(blob, len);
        for (size_t pos = 0; pos < n * 8; pos++) {
                m[pos / 8] ^= (uint8_t)(1u << (pos % 8));
                if (note_result(&flips, pg_handoff_read(m, len, &out), HANDOFF_SEED,
                                "flipped bit", pos)) {
                        CHECK_ERR(pg_handoff_check(&out), PG_OK);
                        check_no_new_pass(&out, &orig, pos);
                }
                m[pos / 8] ^= (uint8_t)(1u << (pos % 8));
        }
        free(m);
        free(blob);
        print_counts(HANDOFF_SEED, "truncate", &trunc);
        print_counts(HANDOFF_SEED, "bit flip", &flips);
}

int main(void)
{
        RUN(handoff_matrix);
        RUN(manifest_matrix);
        RUN(eventlog_matrix);
        return TEST_SUMMARY();
}
