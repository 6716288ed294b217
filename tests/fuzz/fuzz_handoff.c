/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the handoff reader and the strict FDT walker.
 *
 * Every input is read as a handoff blob, at its own address and at an odd
 * one; both reads must agree. A blob the reader accepts must satisfy the
 * semantic rules, write back with the writer, and read back to the same
 * struct. Any input the walker accepts as an FDT, handoff or not, is walked
 * completely with every typed reader.
 */
#include <stdlib.h>
#include <string.h>

#include "pg/err.h"
#include "gates/fdt_strict.h"
#include "gates/handoff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t shifted[PG_HANDOFF_MAX_SIZE + 2];
static uint8_t rewritten[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));

static void walk_node(const struct pg_fdt *fdt, int node, unsigned depth)
{
        struct pg_fdt_prop p;
        const uint8_t *bytes;
        const char *s;
        uint32_t v32;
        uint64_t v64;

        if (depth > PG_FDT_MAX_DEPTH || !pg_fdt_node_name(fdt, node))
                abort();
        for (bool ok = pg_fdt_first_prop(fdt, node, &p); ok; ok = pg_fdt_next_prop(fdt, &p)) {
                if (!pg_fdt_find_prop(fdt, node, p.name, &(struct pg_fdt_prop){ 0 }))
                        abort();
                if (pg_fdt_prop_string(fdt, &p, PG_HANDOFF_DETAIL_MAX, &s) == PG_OK &&
                    strlen(s) + 1 != p.len)
                        abort();
                (void)pg_fdt_prop_u32(fdt, &p, &v32);
                (void)pg_fdt_prop_u64(fdt, &p, &v64);
                (void)pg_fdt_prop_bytes(fdt, &p, PG_HANDOFF_DIGEST_SIZE, &bytes);
        }
        for (int n = pg_fdt_first_subnode(fdt, node); n >= 0; n = pg_fdt_next_subnode(fdt, n)) {
                if (pg_fdt_subnode(fdt, node, pg_fdt_node_name(fdt, n)) != n)
                        abort();
                walk_node(fdt, n, depth + 1);
        }
}

static void check_accepted(const struct pg_handoff *h)
{
        struct pg_handoff again;
        size_t len = 0;

        if (pg_handoff_check(h) != PG_OK)
                abort();
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                const struct pg_handoff_gate *gate = &h->gates[g];

                if (!pg_outcome_name(gate->result.outcome))
                        abort();
                if (gate->result.outcome == PG_OUTCOME_PASS && gate->result.reason != PG_OK)
                        abort();
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        if (gate->result.outcome == PG_OUTCOME_PASS &&
                            gate->objectives[o].outcome != PG_OUTCOME_PASS &&
                            gate->objectives[o].outcome != PG_OUTCOME_NOT_APPLICABLE)
                                abort();
        }
        if (pg_handoff_write(h, rewritten, sizeof(rewritten), &len) != PG_OK)
                abort();
        if (pg_handoff_read(rewritten, len, &again) != PG_OK)
                abort();
        /* NOLINTNEXTLINE(bugprone-suspicious-memory-comparison): the read zeroes padding */
        if (memcmp(h, &again, sizeof(again)) != 0)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct pg_handoff h, h2;
        struct pg_fdt fdt;
        pg_err err, err2;

        err = pg_handoff_read(data, size, &h);
        if (pg_err_name(err) == NULL)
                abort();
        if (size <= PG_HANDOFF_MAX_SIZE) {
                memcpy(shifted + 1, data, size);
                err2 = pg_handoff_read(shifted + 1, size, &h2);
                /* NOLINTNEXTLINE(bugprone-suspicious-memory-comparison): the read zeroes padding */
                if (err2 != err || (err == PG_OK && memcmp(&h, &h2, sizeof(h)) != 0))
                        abort();
        }
        if (err == PG_OK)
                check_accepted(&h);
        if (pg_fdt_open(&fdt, data, size, &pg_handoff_fdt_rules) == PG_OK)
                walk_node(&fdt, PG_FDT_ROOT, 0);
        return 0;
}
