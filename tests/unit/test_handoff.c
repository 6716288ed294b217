/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The handoff blob: round trips through the writer and the reader, then
 * blobs made by the writer with one field broken at a time, each asserting
 * its exact error. Broken blobs are made with libfdt's read-write functions
 * on a copy of the writer's output.
 *
 * With PG_HANDOFF_WRITE_SEEDS=DIR set, also writes the committed fuzzer seeds
 * (and the example of docs/handoff.md) into DIR.
 */
#include <libfdt.h>

#include "test.h"
#include "gates/fdt_strict.h"
#include "gates/handoff.h"

#define SEED_DIR "tests/fuzz/seeds/handoff"
#define WORK_SIZE 32768
#define MAX_PROPS 256

/* Stands for the policy's reason code for an objective that does not apply. */
#define REASON_NOT_REQUIRED 0x0a01u

/* Size of the blob from make_max(): the largest the writer can produce. */
#define MAX_BLOB_SIZE 7056

static uint8_t blob[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
static size_t blob_len;
static struct pg_handoff sample;
static uint8_t work[WORK_SIZE] __attribute__((aligned(8)));

/* ---- inputs --------------------------------------------------------------- */

static void set_result(struct pg_handoff_result *r, uint32_t outcome, pg_err reason,
                       const char *detail)
{
        r->outcome = outcome;
        r->reason = reason;
        snprintf(r->detail, sizeof(r->detail), "%s", detail);
}

static void set_gate(struct pg_handoff *h, unsigned gate, const uint32_t outcomes[3],
                     const pg_err reasons[3], pg_err gate_reason)
{
        struct pg_handoff_gate *g = &h->gates[gate - 1];
        unsigned combined = PG_OUTCOME_NOT_APPLICABLE;

        for (unsigned o = 0; o < 3; o++) {
                set_result(&g->objectives[o], outcomes[o], reasons[o], "");
                combined = pg_outcome_combine(combined, outcomes[o]);
        }
        set_result(&g->result, combined, gate_reason, "");
}

static void make_header(struct pg_handoff *h)
{
        pg_handoff_init(h);
        snprintf(h->evaluator_version, sizeof(h->evaluator_version), "0.1.0");
        h->build_type = PG_HANDOFF_BUILD_PRODUCTION;
        h->pcr = 13;
        h->action = PG_HANDOFF_ACTION_BOOT_NEXT;
        h->eval_time_us = 48211;
}

static void make_identity(struct pg_handoff *h)
{
        h->has_manifest = true;
        for (unsigned i = 0; i < PG_HANDOFF_DIGEST_SIZE; i++) {
                h->manifest.digest[i] = (uint8_t)(0x10 + i);
                h->manifest.key_id[i] = (uint8_t)(0xa0 + i);
        }
        snprintf(h->manifest.version, sizeof(h->manifest.version), "2024.06.1");
        h->manifest.svn = 7;
        h->has_rollback = true;
        h->rollback.floor_before = 6;
        h->rollback.floor_after = 7;
}

/* Every outcome, several reasons and details: the blob most tests break. */
static void make_sample(struct pg_handoff *h)
{
        static const uint32_t pass3[3] = { PG_OUTCOME_PASS, PG_OUTCOME_PASS, PG_OUTCOME_PASS };
        static const pg_err ok3[3] = { PG_OK, PG_OK, PG_OK };
        static const uint32_t boot[3] = { PG_OUTCOME_PASS, PG_OUTCOME_FAIL, PG_OUTCOME_DEGRADED };
        static const pg_err boot_r[3] = { PG_OK, PG_ERR_MANIFEST_BAD_SIGNATURE,
                                          PG_ERR_MANIFEST_FDT_BAD_TAG };
        static const uint32_t platform[3] = { PG_OUTCOME_PASS, PG_OUTCOME_UNKNOWN,
                                              PG_OUTCOME_NOT_APPLICABLE };
        static const pg_err platform_r[3] = { PG_OK, PG_ERR_HANDOFF_PENDING_RUNTIME,
                                              REASON_NOT_REQUIRED };
        static const uint32_t update[3] = { PG_OUTCOME_UNKNOWN, PG_OUTCOME_PASS, PG_OUTCOME_PASS };
        static const pg_err update_r[3] = { PG_ERR_HANDOFF_PENDING_RUNTIME, PG_OK, PG_OK };

        make_header(h);
        make_identity(h);
        set_gate(h, 1, pass3, ok3, PG_OK);
        set_gate(h, 2, boot, boot_r, PG_ERR_MANIFEST_BAD_SIGNATURE);
        snprintf(h->gates[1].objectives[1].detail, PG_HANDOFF_DETAIL_MAX + 1,
                 "next stage digest differs from the manifest");
        snprintf(h->gates[1].result.detail, PG_HANDOFF_DETAIL_MAX + 1, "trusted boot chain");
        set_gate(h, 4, platform, platform_r, PG_ERR_HANDOFF_PENDING_RUNTIME);
        set_gate(h, 9, update, update_r, PG_ERR_HANDOFF_PENDING_RUNTIME);
        snprintf(h->gates[8].objectives[2].detail, PG_HANDOFF_DETAIL_MAX + 1,
                 "floor raised from 6 to 7");
}

/* A stage that evaluated nothing: every gate pending, no manifest. */
static void make_minimal(struct pg_handoff *h)
{
        make_header(h);
        h->action = PG_HANDOFF_ACTION_HALT;
}

/* The example in docs/handoff.md: a normal production boot. */
static void make_example(struct pg_handoff *h)
{
        static const uint32_t pass3[3] = { PG_OUTCOME_PASS, PG_OUTCOME_PASS, PG_OUTCOME_PASS };
        static const pg_err ok3[3] = { PG_OK, PG_OK, PG_OK };
        static const uint32_t platform[3] = { PG_OUTCOME_PASS, PG_OUTCOME_UNKNOWN,
                                              PG_OUTCOME_UNKNOWN };
        static const pg_err platform_r[3] = { PG_OK, PG_ERR_HANDOFF_PENDING_RUNTIME,
                                              PG_ERR_HANDOFF_PENDING_RUNTIME };
        static const uint32_t update[3] = { PG_OUTCOME_UNKNOWN, PG_OUTCOME_PASS, PG_OUTCOME_PASS };
        static const pg_err update_r[3] = { PG_ERR_HANDOFF_PENDING_RUNTIME, PG_OK, PG_OK };

        make_header(h);
        make_identity(h);
        set_gate(h, 1, pass3, ok3, PG_OK);
        set_gate(h, 2, pass3, ok3, PG_OK);
        set_gate(h, 4, platform, platform_r, PG_ERR_HANDOFF_PENDING_RUNTIME);
        set_gate(h, 9, update, update_r, PG_ERR_HANDOFF_PENDING_RUNTIME);
        snprintf(h->gates[8].objectives[2].detail, PG_HANDOFF_DETAIL_MAX + 1,
                 "floor raised from 6 to 7");
}

/* Every string at its cap and the widest integers. */
static void make_max(struct pg_handoff *h)
{
        make_sample(h);
        memset(h->evaluator_version, 'v', PG_HANDOFF_VERSION_MAX);
        memset(h->manifest.version, 'm', PG_HANDOFF_VERSION_MAX);
        h->manifest.svn = 0xffffffffu;
        h->rollback.floor_before = ~0ull;
        h->rollback.floor_after = ~0ull;
        h->eval_time_us = ~0ull;
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                memset(h->gates[g].result.detail, 'g', PG_HANDOFF_DETAIL_MAX);
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        memset(h->gates[g].objectives[o].detail, 'o', PG_HANDOFF_DETAIL_MAX);
        }
}

static size_t write_blob(const struct pg_handoff *h, uint8_t *out)
{
        size_t len = 0;

        CHECK_ERR(pg_handoff_write(h, out, PG_HANDOFF_MAX_SIZE, &len), PG_OK);
        return len;
}

static void setup_sample(void)
{
        make_sample(&sample);
        blob_len = write_blob(&sample, blob);
}

/* ---- round trips ---------------------------------------------------------- */

static void check_round_trip(void (*make)(struct pg_handoff *))
{
        static uint8_t buf[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
        struct pg_handoff in, out;
        size_t len;

        make(&in);
        len = write_blob(&in, buf);
        memset(&out, 0x5a, sizeof(out));
        CHECK_ERR(pg_handoff_read(buf, len, &out), PG_OK);
        /* pg_handoff_init and pg_handoff_read both clear the whole struct first. */
        /* NOLINTNEXTLINE(bugprone-suspicious-memory-comparison): padding is zero on both sides */
        CHECK_MEM(&out, &in, sizeof(in));
}

TEST(round_trip_sample)
{
        check_round_trip(make_sample);
}

TEST(round_trip_minimal)
{
        check_round_trip(make_minimal);
}

TEST(round_trip_example)
{
        check_round_trip(make_example);
}

TEST(round_trip_max)
{
        check_round_trip(make_max);
}

TEST(pending_reads_as_unknown)
{
        struct pg_handoff in, out;
        size_t len;

        make_minimal(&in);
        len = write_blob(&in, blob);
        CHECK_ERR(pg_handoff_read(blob, len, &out), PG_OK);
        CHECK(!out.has_manifest);
        CHECK(!out.has_rollback);
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                CHECK_INT(out.gates[g].result.outcome, PG_OUTCOME_UNKNOWN);
                CHECK(pg_handoff_is_pending(&out.gates[g].result));
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        CHECK(pg_handoff_is_pending(&out.gates[g].objectives[o]));
        }
}

TEST(write_is_deterministic)
{
        static uint8_t a[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
        static uint8_t b[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
        struct pg_handoff h;
        size_t la, lb;

        make_sample(&h);
        memset(a, 0x00, sizeof(a));
        memset(b, 0xa5, sizeof(b));
        la = write_blob(&h, a);
        lb = write_blob(&h, b);
        CHECK_INT(la, lb);
        CHECK_MEM(a, b, la);
        /* Bytes after a string's NUL do not reach the blob. */
        memset(h.gates[0].result.detail + 1, 'x', PG_HANDOFF_DETAIL_MAX - 1);
        h.gates[0].result.detail[0] = '\0';
        lb = write_blob(&h, b);
        CHECK_INT(la, lb);
        CHECK_MEM(a, b, la);
}

TEST(max_blob_fits_cap)
{
        static uint8_t buf[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
        struct pg_handoff h;

        make_max(&h);
        CHECK_INT(write_blob(&h, buf), MAX_BLOB_SIZE);
        CHECK(MAX_BLOB_SIZE <= PG_HANDOFF_MAX_SIZE);
}

/* The committed seeds are what this writer produces, byte for byte. */
static void check_seed(const char *name, void (*make)(struct pg_handoff *))
{
        static uint8_t buf[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
        const char *dir = getenv("PG_HANDOFF_WRITE_SEEDS");
        char path[512];
        struct pg_handoff h;
        size_t len, seed_len;
        uint8_t *seed;

        make(&h);
        len = write_blob(&h, buf);
        if (dir) {
                FILE *f;

                snprintf(path, sizeof(path), "%s/%s", dir, name);
                f = fopen(path, "wb");
                CHECK(f != NULL);
                if (f) {
                        CHECK_INT(fwrite(buf, 1, len, f), len);
                        fclose(f);
                }
        }
        snprintf(path, sizeof(path), "%s/%s", SEED_DIR, name);
        seed = test_read_file(path, &seed_len);
        CHECK_INT(seed_len, len);
        if (seed_len == len)
                CHECK_MEM(seed, buf, len);
        free(seed);
}

TEST(seeds_match_writer)
{
        check_seed("sample.dtb", make_sample);
        check_seed("minimal.dtb", make_minimal);
        check_seed("example.dtb", make_example);
        check_seed("max.dtb", make_max);
}

/* ---- writer input --------------------------------------------------------- */

static pg_err write_modified(void (*modify)(struct pg_handoff *))
{
        static uint8_t buf[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
        struct pg_handoff h;
        size_t len = 12345;
        pg_err err;

        make_sample(&h);
        modify(&h);
        err = pg_handoff_write(&h, buf, sizeof(buf), &len);
        if (err != PG_OK)
                CHECK_INT(len, 12345);
        return err;
}

static void m_outcome5(struct pg_handoff *h) { h->gates[0].objectives[0].outcome = 5; }
static void m_gate_outcome(struct pg_handoff *h) { h->gates[0].result.outcome = 0xffffffffu; }
static void m_pass_reason(struct pg_handoff *h) { h->gates[0].objectives[1].reason = 1; }
static void m_fail_ok(struct pg_handoff *h) { h->gates[1].objectives[1].reason = PG_OK; }
static void m_unknown_ok(struct pg_handoff *h) { h->gates[3].objectives[1].reason = PG_OK; }
static void m_fail_pending(struct pg_handoff *h)
{
        h->gates[1].objectives[1].reason = PG_ERR_HANDOFF_PENDING_RUNTIME;
}
static void m_na_pending(struct pg_handoff *h)
{
        h->gates[3].objectives[2].reason = PG_ERR_HANDOFF_PENDING_RUNTIME;
}
static void m_na_ok(struct pg_handoff *h) { h->gates[3].objectives[2].reason = PG_OK; }
static void m_mismatch(struct pg_handoff *h)
{
        h->gates[1].result.outcome = PG_OUTCOME_DEGRADED;
}
static void m_action0(struct pg_handoff *h) { h->action = 0; }
static void m_action5(struct pg_handoff *h) { h->action = 5; }
static void m_build0(struct pg_handoff *h) { h->build_type = 0; }
static void m_build4(struct pg_handoff *h) { h->build_type = 4; }
static void m_pcr24(struct pg_handoff *h) { h->pcr = 24; }
static void m_rollback(struct pg_handoff *h) { h->rollback.floor_after = 5; }
static void m_rollback_absent(struct pg_handoff *h)
{
        h->rollback.floor_after = 5;
        h->has_rollback = false;
}
static void m_unterminated(struct pg_handoff *h)
{
        memset(h->gates[2].objectives[0].detail, 'a', PG_HANDOFF_DETAIL_MAX + 1);
}
static void m_escape(struct pg_handoff *h) { h->gates[2].objectives[0].detail[0] = 0x1b; }
static void m_no_version(struct pg_handoff *h) { h->evaluator_version[0] = '\0'; }
static void m_no_manifest_version(struct pg_handoff *h) { h->manifest.version[0] = '\0'; }

TEST(writer_rejects_bad_input)
{
        CHECK_ERR(write_modified(m_outcome5), PG_ERR_HANDOFF_BAD_OUTCOME);
        CHECK_ERR(write_modified(m_gate_outcome), PG_ERR_HANDOFF_BAD_OUTCOME);
        CHECK_ERR(write_modified(m_pass_reason), PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(write_modified(m_fail_ok), PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(write_modified(m_unknown_ok), PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(write_modified(m_fail_pending), PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(write_modified(m_na_pending), PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(write_modified(m_na_ok), PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(write_modified(m_mismatch), PG_ERR_HANDOFF_GATE_OUTCOME_MISMATCH);
        CHECK_ERR(write_modified(m_action0), PG_ERR_HANDOFF_BAD_ACTION);
        CHECK_ERR(write_modified(m_action5), PG_ERR_HANDOFF_BAD_ACTION);
        CHECK_ERR(write_modified(m_build0), PG_ERR_HANDOFF_BAD_BUILD_TYPE);
        CHECK_ERR(write_modified(m_build4), PG_ERR_HANDOFF_BAD_BUILD_TYPE);
        CHECK_ERR(write_modified(m_pcr24), PG_ERR_HANDOFF_BAD_PCR);
        CHECK_ERR(write_modified(m_rollback), PG_ERR_HANDOFF_ROLLBACK_DECREASED);
        CHECK_ERR(write_modified(m_rollback_absent), PG_OK);
        CHECK_ERR(write_modified(m_unterminated), PG_ERR_HANDOFF_BAD_INPUT);
        CHECK_ERR(write_modified(m_escape), PG_ERR_HANDOFF_BAD_STRING);
        CHECK_ERR(write_modified(m_no_version), PG_ERR_HANDOFF_BAD_STRING);
        CHECK_ERR(write_modified(m_no_manifest_version), PG_ERR_HANDOFF_BAD_STRING);
}

TEST(writer_buffer_limits)
{
        static uint8_t buf[PG_HANDOFF_MAX_SIZE + 8] __attribute__((aligned(8)));
        size_t len = 777;

        setup_sample();
        for (size_t size = 0; size < blob_len; size++) {
                CHECK_ERR(pg_handoff_write(&sample, buf, size, &len),
                          PG_ERR_HANDOFF_BUFFER_TOO_SMALL);
        }
        CHECK_INT(len, 777);
        CHECK_ERR(pg_handoff_write(&sample, buf + 4, sizeof(buf) - 4, &len),
                  PG_ERR_HANDOFF_BUFFER_MISALIGNED);
        CHECK_ERR(pg_handoff_write(&sample, buf, blob_len, &len), PG_OK);
        CHECK_INT(len, blob_len);
        /* A larger buffer than the cap is used up to the cap only. */
        CHECK_ERR(pg_handoff_write(&sample, buf, sizeof(buf), &len), PG_OK);
        CHECK_MEM(buf, blob, blob_len);
}

/* ---- broken blobs: helpers ------------------------------------------------ */

/* Copies the sample blob into work, where libfdt may edit it. */
static void work_load(void)
{
        setup_sample();
        memset(work, 0, sizeof(work));
        if (fdt_open_into(blob, work, WORK_SIZE) != 0)
                test_report(__FILE__, __LINE__, "fdt_open_into failed");
}

static int work_node(const char *path)
{
        int node = fdt_path_offset(work, path);

        if (node < 0)
                test_report(__FILE__, __LINE__, "no node %s in the sample", path);
        return node;
}

/* Packs work and reads it. A failed read must leave *out as poisoned. */
static pg_err work_read_into(struct pg_handoff *out)
{
        memset(out, 0x5a, sizeof(*out));
        fdt_pack(work);
        return pg_handoff_read(work, fdt_totalsize(work), out);
}

static pg_err work_read(void)
{
        struct pg_handoff out;
        pg_err err = work_read_into(&out);

        if (err != PG_OK)
                CHECK_FILLED(&out, 0x5a, sizeof(out));
        return err;
}

static void work_set_u32(const char *path, const char *name, uint32_t v)
{
        int err = fdt_setprop_u32(work, work_node(path), name, v);

        if (err != 0)
                test_report(__FILE__, __LINE__, "setprop %s %s: %d", path, name, err);
}

static void work_set_string(const char *path, const char *name, const char *s)
{
        if (fdt_setprop_string(work, work_node(path), name, s) != 0)
                test_report(__FILE__, __LINE__, "setprop %s %s failed", path, name);
}

enum prop_type { T_U32, T_U64, T_BYTES, T_STRING };

static enum prop_type prop_type(const char *name)
{
        static const char *const u64[] = { "eval-time-us", "floor-before", "floor-after" };
        static const char *const str[] = { "compatible", "evaluator-version", "version", "detail" };

        for (size_t i = 0; i < PG_ARRAY_SIZE(u64); i++)
                if (!strcmp(name, u64[i]))
                        return T_U64;
        for (size_t i = 0; i < PG_ARRAY_SIZE(str); i++)
                if (!strcmp(name, str[i]))
                        return T_STRING;
        if (!strcmp(name, "digest") || !strcmp(name, "key-id"))
                return T_BYTES;
        return T_U32;
}

struct prop_ref {
        char path[64];
        char name[32];
};

/* Lists every property of the sample blob with its node's path. */
static size_t list_props(struct prop_ref *refs, size_t max)
{
        size_t n = 0;
        int depth = 0;

        setup_sample();
        for (int node = 0; node >= 0; node = fdt_next_node(blob, node, &depth)) {
                int prop;

                fdt_for_each_property_offset(prop, blob, node) {
                        const char *name;

                        if (n == max)
                                return n;
                        fdt_getprop_by_offset(blob, prop, &name, NULL);
                        fdt_get_path(blob, node, refs[n].path, sizeof(refs[n].path));
                        snprintf(refs[n].name, sizeof(refs[n].name), "%s", name);
                        n++;
                }
        }
        return n;
}

/* ---- broken blobs: one property at a time --------------------------------- */

TEST(each_property_removed)
{
        static struct prop_ref refs[MAX_PROPS];
        size_t n = list_props(refs, MAX_PROPS);

        CHECK_INT(n, 7 + 4 + 2 + 2 * PG_GATE_COUNT * (1 + PG_OBJECTIVES_PER_GATE) + 3);
        for (size_t i = 0; i < n; i++) {
                bool optional = !strcmp(refs[i].name, "detail");
                pg_err err;

                work_load();
                fdt_delprop(work, work_node(refs[i].path), refs[i].name);
                err = work_read();
                if (err != (optional ? PG_OK : PG_ERR_HANDOFF_MISSING_PROPERTY))
                        test_report(__FILE__, __LINE__, "%s %s removed: %s", refs[i].path,
                                    refs[i].name, test_err_name(err));
        }
}

static pg_err read_with_length(const struct prop_ref *ref, int delta)
{
        uint8_t value[256] = { 0 };
        const void *old;
        int len, node;

        work_load();
        node = work_node(ref->path);
        old = fdt_getprop(work, node, ref->name, &len);
        if (!old || len + 1 > (int)sizeof(value))
                return PG_FDT_ERR_UNMAPPED;
        memcpy(value, old, (size_t)len);
        len = delta == -1000 ? 0 : len + delta;
        fdt_setprop(work, node, ref->name, value, len);
        return work_read();
}

TEST(each_property_length_changed)
{
        static struct prop_ref refs[MAX_PROPS];
        static const int deltas[] = { 1, -1, -1000 };
        size_t n = list_props(refs, MAX_PROPS);

        for (size_t i = 0; i < n; i++) {
                for (size_t d = 0; d < PG_ARRAY_SIZE(deltas); d++) {
                        pg_err want = PG_ERR_HANDOFF_BAD_PROPERTY_LENGTH;
                        pg_err got = read_with_length(&refs[i], deltas[d]);

                        if (prop_type(refs[i].name) == T_STRING)
                                want = deltas[d] == 1 ? PG_ERR_HANDOFF_BAD_STRING :
                                       PG_ERR_HANDOFF_UNTERMINATED_STRING;
                        if (got != want)
                                test_report(__FILE__, __LINE__, "%s %s length %+d: %s, expected %s",
                                            refs[i].path, refs[i].name, deltas[d],
                                            test_err_name(got), test_err_name(want));
                }
        }
}

TEST(outcome_out_of_range)
{
        static struct prop_ref refs[MAX_PROPS];
        static const uint32_t bad[] = { 5, 6, 0x100, 0x80000000u, 0xffffffffu };
        size_t n = list_props(refs, MAX_PROPS);
        size_t count = 0;

        for (size_t i = 0; i < n; i++) {
                if (strcmp(refs[i].name, "outcome") != 0)
                        continue;
                count++;
                for (size_t b = 0; b < PG_ARRAY_SIZE(bad); b++) {
                        pg_err err;

                        work_load();
                        work_set_u32(refs[i].path, "outcome", bad[b]);
                        err = work_read();
                        if (err != PG_ERR_HANDOFF_BAD_OUTCOME)
                                test_report(__FILE__, __LINE__, "%s outcome 0x%x: %s",
                                            refs[i].path, bad[b], test_err_name(err));
                }
        }
        CHECK_INT(count, PG_GATE_COUNT * (1 + PG_OBJECTIVES_PER_GATE));
}

static pg_err read_with_u32(const char *path, const char *name, uint32_t v)
{
        work_load();
        work_set_u32(path, name, v);
        return work_read();
}

TEST(enums_out_of_range)
{
        CHECK_ERR(read_with_u32("/", "action", 0), PG_ERR_HANDOFF_BAD_ACTION);
        CHECK_ERR(read_with_u32("/", "action", 5), PG_ERR_HANDOFF_BAD_ACTION);
        CHECK_ERR(read_with_u32("/", "action", 0xffffffffu), PG_ERR_HANDOFF_BAD_ACTION);
        CHECK_ERR(read_with_u32("/", "action", PG_HANDOFF_ACTION_AUDIT_CONTINUE), PG_OK);
        CHECK_ERR(read_with_u32("/", "build-type", 0), PG_ERR_HANDOFF_BAD_BUILD_TYPE);
        CHECK_ERR(read_with_u32("/", "build-type", 4), PG_ERR_HANDOFF_BAD_BUILD_TYPE);
        CHECK_ERR(read_with_u32("/", "pcr", 24), PG_ERR_HANDOFF_BAD_PCR);
        CHECK_ERR(read_with_u32("/", "pcr", 0xffffffffu), PG_ERR_HANDOFF_BAD_PCR);
        CHECK_ERR(read_with_u32("/", "pcr", 23), PG_OK);
        CHECK_ERR(read_with_u32("/", "format-version", 0), PG_ERR_HANDOFF_UNSUPPORTED_VERSION);
        CHECK_ERR(read_with_u32("/", "format-version", 2), PG_ERR_HANDOFF_UNSUPPORTED_VERSION);
        CHECK_ERR(read_with_u32("/manifest", "svn", 0xffffffffu), PG_OK);
}

TEST(reasons_and_gate_combination)
{
        /* gate 1 passes; gate 2 fails through objective 1. */
        CHECK_ERR(read_with_u32("/gates/gate-1/objective-0", "reason", 1),
                  PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(read_with_u32("/gates/gate-2/objective-1", "reason", PG_OK),
                  PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(read_with_u32("/gates/gate-2/objective-1", "reason",
                                PG_ERR_HANDOFF_PENDING_RUNTIME), PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(read_with_u32("/gates/gate-2", "reason", PG_OK), PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(read_with_u32("/gates/gate-1", "outcome", PG_OUTCOME_NOT_APPLICABLE),
                  PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(read_with_u32("/gates/gate-4/objective-2", "reason", PG_OK),
                  PG_ERR_HANDOFF_BAD_REASON);
        CHECK_ERR(read_with_u32("/gates/gate-2", "outcome", PG_OUTCOME_DEGRADED),
                  PG_ERR_HANDOFF_GATE_OUTCOME_MISMATCH);
        /* A fail made pass with its reason cleared still disagrees with the gate. */
        work_load();
        work_set_u32("/gates/gate-2/objective-1", "outcome", PG_OUTCOME_PASS);
        work_set_u32("/gates/gate-2/objective-1", "reason", PG_OK);
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_GATE_OUTCOME_MISMATCH);
        /* A reason code this reader does not know is reported, not rejected. */
        CHECK_ERR(read_with_u32("/gates/gate-2/objective-1", "reason", 0x7fff0001u), PG_OK);
}

TEST(anti_rollback_floor)
{
        CHECK_ERR(read_with_u32("/anti-rollback", "floor-after", 1),
                  PG_ERR_HANDOFF_BAD_PROPERTY_LENGTH);
        work_load();
        fdt_setprop_u64(work, work_node("/anti-rollback"), "floor-after", 5);
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_ROLLBACK_DECREASED);
}

TEST(strings)
{
        char detail[PG_HANDOFF_DETAIL_MAX + 2];

        work_load();
        work_set_string("/", "compatible", "prodgate,manifest");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_BAD_COMPATIBLE);
        work_load();
        work_set_string("/", "evaluator-version", "");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_BAD_STRING);
        work_load();
        work_set_string("/gates/gate-3/objective-1", "detail", "red \x1b[31m");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_BAD_STRING);
        work_load();
        work_set_string("/gates/gate-3/objective-1", "detail", "caf\xc3\xa9");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_BAD_STRING);
        memset(detail, 'd', sizeof(detail));
        detail[PG_HANDOFF_DETAIL_MAX + 1] = '\0';
        work_load();
        work_set_string("/gates/gate-3", "detail", detail);
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_STRING_TOO_LONG);
        detail[PG_HANDOFF_DETAIL_MAX] = '\0';
        work_load();
        work_set_string("/gates/gate-3/objective-2", "detail", detail);
        CHECK_ERR(work_read(), PG_OK);
}

/* ---- broken blobs: nodes --------------------------------------------------- */

static pg_err read_with_node(const char *parent, const char *name)
{
        work_load();
        if (fdt_add_subnode(work, work_node(parent), name) < 0)
                test_report(__FILE__, __LINE__, "cannot add %s to %s", name, parent);
        return work_read();
}

static pg_err read_without_node(const char *path)
{
        work_load();
        fdt_del_node(work, work_node(path));
        return work_read();
}

TEST(unknown_and_out_of_range_nodes)
{
        CHECK_ERR(read_with_node("/", "extra"), PG_ERR_HANDOFF_UNKNOWN_NODE);
        CHECK_ERR(read_with_node("/manifest", "extra"), PG_ERR_HANDOFF_UNKNOWN_NODE);
        CHECK_ERR(read_with_node("/anti-rollback", "extra"), PG_ERR_HANDOFF_UNKNOWN_NODE);
        CHECK_ERR(read_with_node("/gates", "gate"), PG_ERR_HANDOFF_UNKNOWN_NODE);
        CHECK_ERR(read_with_node("/gates", "gate-x"), PG_ERR_HANDOFF_UNKNOWN_NODE);
        CHECK_ERR(read_with_node("/gates", "gate-1a"), PG_ERR_HANDOFF_UNKNOWN_NODE);
        CHECK_ERR(read_with_node("/gates", "gate-0"), PG_ERR_HANDOFF_BAD_GATE_ID);
        CHECK_ERR(read_with_node("/gates", "gate-11"), PG_ERR_HANDOFF_BAD_GATE_ID);
        CHECK_ERR(read_with_node("/gates", "gate-01"), PG_ERR_HANDOFF_BAD_GATE_ID);
        CHECK_ERR(read_with_node("/gates", "gate-4294967297"), PG_ERR_HANDOFF_BAD_GATE_ID);
        CHECK_ERR(read_with_node("/gates/gate-5", "objective-3"),
                  PG_ERR_HANDOFF_BAD_OBJECTIVE_ID);
        CHECK_ERR(read_with_node("/gates/gate-5", "objective-00"),
                  PG_ERR_HANDOFF_BAD_OBJECTIVE_ID);
        CHECK_ERR(read_with_node("/gates/gate-5", "results"), PG_ERR_HANDOFF_UNKNOWN_NODE);
        CHECK_ERR(read_with_node("/gates/gate-5/objective-1", "deeper"),
                  PG_ERR_HANDOFF_NODE_TOO_DEEP);
}

TEST(unknown_properties)
{
        static const char *const paths[] = { "/", "/manifest", "/anti-rollback", "/gates",
                                             "/gates/gate-10", "/gates/gate-10/objective-2" };

        for (size_t i = 0; i < PG_ARRAY_SIZE(paths); i++)
                CHECK_ERR(read_with_u32(paths[i], "extra", 1), PG_ERR_HANDOFF_UNKNOWN_PROPERTY);
        /* A newer format is reported as such, whatever else it adds. */
        work_load();
        work_set_u32("/", "extra", 1);
        work_set_u32("/", "format-version", 2);
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_UNSUPPORTED_VERSION);
}

TEST(missing_nodes)
{
        struct pg_handoff out;

        CHECK_ERR(read_without_node("/gates"), PG_ERR_HANDOFF_MISSING_NODE);
        CHECK_ERR(read_without_node("/gates/gate-1"), PG_ERR_HANDOFF_MISSING_NODE);
        CHECK_ERR(read_without_node("/gates/gate-10"), PG_ERR_HANDOFF_MISSING_NODE);
        CHECK_ERR(read_without_node("/gates/gate-7/objective-0"), PG_ERR_HANDOFF_MISSING_NODE);
        CHECK_ERR(read_without_node("/gates/gate-7/objective-2"), PG_ERR_HANDOFF_MISSING_NODE);
        work_load();
        fdt_del_node(work, work_node("/manifest"));
        CHECK_ERR(work_read_into(&out), PG_OK);
        CHECK(!out.has_manifest);
        CHECK(out.has_rollback);
        work_load();
        fdt_del_node(work, work_node("/anti-rollback"));
        CHECK_ERR(work_read_into(&out), PG_OK);
        CHECK(out.has_manifest);
        CHECK(!out.has_rollback);
}

/* Points a property's name at another property's name string. */
static void work_rename_prop(const char *path, const char *from, const char *to)
{
        int node, prop, from_off = -1;
        uint32_t to_nameoff = 0;

        fdt_pack(work);
        node = work_node(path);
        fdt_for_each_property_offset(prop, work, node) {
                const struct fdt_property *p = fdt_get_property_by_offset(work, prop, NULL);
                const char *name = fdt_string(work, (int)fdt32_to_cpu(p->nameoff));

                if (!strcmp(name, from))
                        from_off = prop;
                if (!strcmp(name, to))
                        to_nameoff = fdt32_to_cpu(p->nameoff);
        }
        if (from_off < 0) {
                test_report(__FILE__, __LINE__, "no property %s in %s", from, path);
                return;
        }
        pg_store_be32(work + fdt_off_dt_struct(work) + from_off + 8, to_nameoff);
}

TEST(duplicates)
{
        work_load();
        work_rename_prop("/", "pcr", "action");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_DUPLICATE_PROPERTY);
        work_load();
        work_rename_prop("/gates/gate-2/objective-1", "reason", "outcome");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_DUPLICATE_PROPERTY);
        work_load();
        fdt_set_name(work, work_node("/gates/gate-3"), "gate-2");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_DUPLICATE_NODE);
        work_load();
        fdt_set_name(work, work_node("/gates/gate-3/objective-2"), "objective-0");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_DUPLICATE_NODE);
}

TEST(structure_caps_and_tokens)
{
        char name[32];

        work_load();
        for (unsigned i = 0; i < 10; i++) {
                snprintf(name, sizeof(name), "extra-%u", i);
                work_set_u32("/", name, i);
        }
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_TOO_MANY_PROPERTIES);
        work_load();
        for (unsigned i = 0; i < 7; i++) {
                snprintf(name, sizeof(name), "gate-%u", 11 + i);
                fdt_add_subnode(work, work_node("/gates"), name);
        }
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_TOO_MANY_NODES);
        work_load();
        fdt_nop_property(work, work_node("/gates/gate-6"), "reason");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_FDT_BAD_TAG);
        work_load();
        fdt_set_name(work, work_node("/gates/gate-6"), "gate 6");
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_FDT_BAD_NAME);
        work_load();
        work_set_u32("/gates/gate-6", "bad name", 0);
        CHECK_ERR(work_read(), PG_ERR_HANDOFF_FDT_BAD_NAME);
}

/* ---- broken blobs: header and length -------------------------------------- */

static pg_err read_with_header(unsigned offset, uint32_t value)
{
        static uint8_t copy[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));

        memcpy(copy, blob, blob_len);
        pg_store_be32(copy + offset, value);
        return pg_handoff_read(copy, blob_len, &(struct pg_handoff){ 0 });
}

TEST(header_fields_corrupted)
{
        uint32_t off_struct, off_strings, size_strings, size_struct;

        setup_sample();
        off_struct = pg_load_be32(blob + 8);
        off_strings = pg_load_be32(blob + 12);
        size_strings = pg_load_be32(blob + 32);
        size_struct = pg_load_be32(blob + 36);
        CHECK_ERR(read_with_header(0, 0xd00dfeee), PG_ERR_HANDOFF_FDT_BAD_MAGIC);
        CHECK_ERR(read_with_header(0, 0xedfe0dd0), PG_ERR_HANDOFF_FDT_BAD_MAGIC);
        CHECK_ERR(read_with_header(4, (uint32_t)blob_len + 4), PG_ERR_HANDOFF_TRUNCATED);
        CHECK_ERR(read_with_header(4, 0xffffffffu), PG_ERR_HANDOFF_TRUNCATED);
        CHECK_ERR(read_with_header(4, (uint32_t)blob_len - 4), PG_ERR_HANDOFF_FDT_BAD_TOTALSIZE);
        CHECK_ERR(read_with_header(4, 0), PG_ERR_HANDOFF_FDT_BAD_TOTALSIZE);
        CHECK_ERR(read_with_header(8, off_struct + 2), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
        CHECK_ERR(read_with_header(8, 0xfffffff0u), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
        CHECK_ERR(read_with_header(8, 0), PG_ERR_HANDOFF_FDT_BLOCK_OVERLAP);
        CHECK_ERR(read_with_header(8, off_struct + 4), PG_ERR_HANDOFF_FDT_BLOCK_OVERLAP);
        CHECK_ERR(read_with_header(12, 0xfffffff0u), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
        CHECK_ERR(read_with_header(12, off_strings - 4), PG_ERR_HANDOFF_FDT_BLOCK_OVERLAP);
        CHECK_ERR(read_with_header(12, 16), PG_ERR_HANDOFF_FDT_BLOCK_OVERLAP);
        CHECK_ERR(read_with_header(16, 44), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
        CHECK_ERR(read_with_header(16, 0xfffffff8u), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
        CHECK_ERR(read_with_header(16, 8), PG_ERR_HANDOFF_FDT_BLOCK_OVERLAP);
        CHECK_ERR(read_with_header(16, off_struct), PG_ERR_HANDOFF_FDT_BLOCK_OVERLAP);
        CHECK_ERR(read_with_header(20, 16), PG_ERR_HANDOFF_FDT_BAD_VERSION);
        CHECK_ERR(read_with_header(20, 18), PG_ERR_HANDOFF_FDT_BAD_VERSION);
        CHECK_ERR(read_with_header(24, 17), PG_ERR_HANDOFF_FDT_BAD_VERSION);
        CHECK_ERR(read_with_header(24, 2), PG_ERR_HANDOFF_FDT_BAD_VERSION);
        CHECK_ERR(read_with_header(28, 1), PG_ERR_HANDOFF_FDT_BAD_HEADER);
        CHECK_ERR(read_with_header(32, size_strings + 1), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
        CHECK_ERR(read_with_header(32, 0xffffffffu), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
        CHECK_ERR(read_with_header(32, 0), PG_ERR_HANDOFF_FDT_BAD_NAME_OFFSET);
        CHECK_ERR(read_with_header(32, size_strings - 1), PG_ERR_HANDOFF_FDT_UNTERMINATED_NAME);
        CHECK_ERR(read_with_header(36, size_struct + 4), PG_ERR_HANDOFF_FDT_BLOCK_OVERLAP);
        CHECK_ERR(read_with_header(36, 0xfffffffcu), PG_ERR_HANDOFF_FDT_BAD_OFFSET);
        CHECK_ERR(read_with_header(36, size_struct - 4), PG_ERR_HANDOFF_FDT_STRUCT_TRUNCATED);
        CHECK_ERR(read_with_header(36, 0), PG_ERR_HANDOFF_FDT_STRUCT_TRUNCATED);
        /* The reservation map must hold only its terminating entry. */
        CHECK_ERR(read_with_header(pg_load_be32(blob + 16) + 4, 0x1000),
                  PG_ERR_HANDOFF_FDT_BAD_RSVMAP);
        /* The structure block must start with the root's FDT_BEGIN_NODE. */
        CHECK_ERR(read_with_header(off_struct, 4), PG_ERR_HANDOFF_FDT_BAD_TAG);
        CHECK_ERR(read_with_header(off_struct, 2), PG_ERR_HANDOFF_FDT_BAD_NESTING);
        CHECK_ERR(read_with_header(off_struct + size_struct - 4, 2),
                  PG_ERR_HANDOFF_FDT_BAD_NESTING);
}

TEST(truncated_at_every_length)
{
        static uint8_t copy[PG_HANDOFF_MAX_SIZE + 1];
        struct pg_handoff out;

        setup_sample();
        for (size_t len = 0; len < blob_len; len++) {
                /* A fresh copy each time, so the reader cannot look past len. */
                uint8_t *p = malloc(len ? len : 1);
                pg_err err;

                memcpy(p, blob, len);
                err = pg_handoff_read(p, len, &out);
                free(p);
                if (err != PG_ERR_HANDOFF_TRUNCATED) {
                        test_report(__FILE__, __LINE__, "length %zu: %s", len, test_err_name(err));
                        break;
                }
        }
        memcpy(copy, blob, blob_len);
        copy[blob_len] = 0;
        CHECK_ERR(pg_handoff_read(copy, blob_len + 1, &out), PG_ERR_HANDOFF_FDT_BAD_TOTALSIZE);
}

TEST(over_size_cap)
{
        static uint8_t big[PG_HANDOFF_MAX_SIZE + 1] __attribute__((aligned(8)));
        struct pg_handoff out;

        setup_sample();
        /* The sample with free space up to one byte over the cap: valid but too large. */
        CHECK(fdt_open_into(blob, big, sizeof(big)) == 0);
        CHECK_INT(fdt_totalsize(big), sizeof(big));
        CHECK_ERR(pg_handoff_read(big, sizeof(big), &out), PG_ERR_HANDOFF_TOO_LARGE);
        CHECK_ERR(pg_handoff_read(big, sizeof(big) - 1, &out), PG_ERR_HANDOFF_TRUNCATED);
        /* The same free space within the cap is accepted. */
        CHECK(fdt_open_into(blob, big, PG_HANDOFF_MAX_SIZE) == 0);
        CHECK_ERR(pg_handoff_read(big, PG_HANDOFF_MAX_SIZE, &out), PG_OK);
}

/* ---- no corruption makes a new pass --------------------------------------- */

static void check_no_new_pass(const struct pg_handoff *out, size_t pos)
{
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                const struct pg_handoff_gate *a = &out->gates[g], *b = &sample.gates[g];

                if (a->result.outcome == PG_OUTCOME_PASS && b->result.outcome != PG_OUTCOME_PASS)
                        test_report(__FILE__, __LINE__, "byte %zu: gate %u became pass", pos,
                                    g + 1);
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        if (a->objectives[o].outcome == PG_OUTCOME_PASS &&
                            b->objectives[o].outcome != PG_OUTCOME_PASS)
                                test_report(__FILE__, __LINE__,
                                            "byte %zu: gate %u objective %u became pass", pos,
                                            g + 1, o);
        }
}

TEST(no_corruption_creates_pass)
{
        static uint8_t copy[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
        static const uint8_t xors[] = { 0x01, 0x02, 0x03, 0x04, 0x80 };
        struct pg_handoff out;
        unsigned accepted = 0;

        setup_sample();
        for (size_t i = 0; i < blob_len; i++) {
                for (size_t m = 0; m < PG_ARRAY_SIZE(xors) + 2; m++) {
                        memcpy(copy, blob, blob_len);
                        if (m < PG_ARRAY_SIZE(xors))
                                copy[i] ^= xors[m];
                        else
                                copy[i] = m == PG_ARRAY_SIZE(xors) ? 0x00 : 0xff;
                        if (pg_handoff_read(copy, blob_len, &out) == PG_OK) {
                                accepted++;
                                check_no_new_pass(&out, i);
                        }
                }
        }
        /* Changes inside strings, digests and free integers are still valid blobs. */
        CHECK(accepted > 0);
}

/* ---- walker rules table ---------------------------------------------------- */

TEST(fdt_error_table_complete)
{
        const pg_err *e = pg_handoff_fdt_rules.errors;

        for (unsigned f = 0; f < PG_FDT_FAULT_COUNT; f++) {
                CHECK(e[f] != PG_OK);
                CHECK(pg_err_name(e[f]) != NULL);
                for (unsigned g = f + 1; g < PG_FDT_FAULT_COUNT; g++)
                        if (e[f] == e[g] && f != PG_FDT_FAULT_NONE &&
                            !(f == PG_FDT_FAULT_SHORT_HEADER && g == PG_FDT_FAULT_TRUNCATED))
                                test_report(__FILE__, __LINE__, "faults %u and %u share 0x%04x",
                                            f, g, e[f]);
        }
}

TEST(names)
{
        CHECK(!strcmp(pg_handoff_action_name(PG_HANDOFF_ACTION_BOOT_RECOVERY), "boot-recovery"));
        CHECK(pg_handoff_action_name(0) == NULL);
        CHECK(pg_handoff_action_name(5) == NULL);
        CHECK(!strcmp(pg_handoff_build_type_name(PG_HANDOFF_BUILD_ENGINEERING), "engineering"));
        CHECK(pg_handoff_build_type_name(0) == NULL);
}

int main(void)
{
        RUN(round_trip_sample);
        RUN(round_trip_minimal);
        RUN(round_trip_example);
        RUN(round_trip_max);
        RUN(pending_reads_as_unknown);
        RUN(write_is_deterministic);
        RUN(max_blob_fits_cap);
        RUN(seeds_match_writer);
        RUN(writer_rejects_bad_input);
        RUN(writer_buffer_limits);
        RUN(each_property_removed);
        RUN(each_property_length_changed);
        RUN(outcome_out_of_range);
        RUN(enums_out_of_range);
        RUN(reasons_and_gate_combination);
        RUN(anti_rollback_floor);
        RUN(strings);
        RUN(unknown_and_out_of_range_nodes);
        RUN(unknown_properties);
        RUN(missing_nodes);
        RUN(duplicates);
        RUN(structure_caps_and_tokens);
        RUN(header_fields_corrupted);
        RUN(truncated_at_every_length);
        RUN(over_size_cap);
        RUN(no_corruption_creates_pass);
        RUN(fdt_error_table_complete);
        RUN(names);
        return TEST_SUMMARY();
}
