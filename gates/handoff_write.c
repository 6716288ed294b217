/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Writes the handoff blob with libfdt's sequential-write functions. Nodes and
 * properties are always emitted in the same order, and libfdt zeroes the
 * buffer first, so the same input gives the same bytes.
 */
#include <libfdt.h>

#include "gates/handoff.h"

/* Sequential writer with a sticky libfdt error: after one call fails, the
 * others do nothing and the first error is reported. */
struct pg_sw {
        void *fdt;
        int err;
};

static void sw_begin(struct pg_sw *w, const char *name)
{
        if (w->err == 0)
                w->err = fdt_begin_node(w->fdt, name);
}

static void sw_end(struct pg_sw *w)
{
        if (w->err == 0)
                w->err = fdt_end_node(w->fdt);
}

static void sw_u32(struct pg_sw *w, const char *name, uint32_t v)
{
        if (w->err == 0)
                w->err = fdt_property_u32(w->fdt, name, v);
}

static void sw_u64(struct pg_sw *w, const char *name, uint64_t v)
{
        if (w->err == 0)
                w->err = fdt_property_u64(w->fdt, name, v);
}

static void sw_bytes(struct pg_sw *w, const char *name, const void *v, size_t len)
{
        if (w->err == 0)
                w->err = fdt_property(w->fdt, name, v, (int)len);
}

static void sw_string(struct pg_sw *w, const char *name, const char *s)
{
        sw_bytes(w, name, s, strlen(s) + 1);
}

/* "prefix" followed by n in decimal; n < 100. */
static void node_name(char *out, const char *prefix, unsigned n)
{
        size_t len = strlen(prefix);

        memcpy(out, prefix, len);
        if (n >= 10)
                out[len++] = (char)('0' + n / 10);
        out[len++] = (char)('0' + n % 10);
        out[len] = '\0';
}

static void write_result_props(struct pg_sw *w, const struct pg_handoff_result *r)
{
        sw_u32(w, "outcome", r->outcome);
        sw_u32(w, "reason", r->reason);
        if (r->detail[0] != '\0')
                sw_string(w, "detail", r->detail);
}

static void write_gate(struct pg_sw *w, unsigned gate, const struct pg_handoff_gate *g)
{
        char name[16];

        node_name(name, "gate-", gate);
        sw_begin(w, name);
        write_result_props(w, &g->result);
        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++) {
                node_name(name, "objective-", o);
                sw_begin(w, name);
                write_result_props(w, &g->objectives[o]);
                sw_end(w);
        }
        sw_end(w);
}

static void write_tree(struct pg_sw *w, const struct pg_handoff *h)
{
        sw_begin(w, "");
        sw_string(w, "compatible", PG_HANDOFF_COMPATIBLE);
        sw_u32(w, "format-version", PG_HANDOFF_FORMAT_VERSION);
        sw_string(w, "evaluator-version", h->evaluator_version);
        sw_u32(w, "build-type", h->build_type);
        sw_u32(w, "pcr", h->pcr);
        sw_u32(w, "action", h->action);
        sw_u64(w, "eval-time-us", h->eval_time_us);
        if (h->has_manifest) {
                sw_begin(w, "manifest");
                sw_bytes(w, "digest", h->manifest.digest, PG_HANDOFF_DIGEST_SIZE);
                sw_bytes(w, "key-id", h->manifest.key_id, PG_HANDOFF_DIGEST_SIZE);
                sw_string(w, "version", h->manifest.version);
                sw_u32(w, "svn", h->manifest.svn);
                sw_end(w);
        }
        if (h->has_rollback) {
                sw_begin(w, "anti-rollback");
                sw_u64(w, "floor-before", h->rollback.floor_before);
                sw_u64(w, "floor-after", h->rollback.floor_after);
                sw_end(w);
        }
        sw_begin(w, "gates");
        for (unsigned g = 0; g < PG_GATE_COUNT; g++)
                write_gate(w, g + 1, &h->gates[g]);
        sw_end(w);
        sw_end(w);
}

static pg_err build(const struct pg_handoff *h, void *buf, size_t size)
{
        struct pg_sw w = { buf, 0 };

        w.err = fdt_create(buf, (int)size);
        if (w.err == 0)
                w.err = fdt_finish_reservemap(buf);
        write_tree(&w, h);
        if (w.err == 0)
                w.err = fdt_finish(buf);
        if (w.err == -FDT_ERR_NOSPACE)
                return PG_ERR_HANDOFF_BUFFER_TOO_SMALL;
        return w.err == 0 ? PG_OK : PG_ERR_HANDOFF_WRITE_FAILED;
}

pg_err pg_handoff_write(const struct pg_handoff *h, void *buf, size_t buf_size, size_t *len)
{
        size_t size = buf_size < PG_HANDOFF_MAX_SIZE ? buf_size : PG_HANDOFF_MAX_SIZE;
        pg_err err;

        if ((uintptr_t)buf % 8 != 0)
                return PG_ERR_HANDOFF_BUFFER_MISALIGNED;
        err = pg_handoff_check(h);
        if (err != PG_OK)
                return err;
        err = build(h, buf, size);
        if (err != PG_OK) {
                memset(buf, 0, size);
                return err;
        }
        *len = fdt_totalsize(buf);
        return PG_OK;
}
