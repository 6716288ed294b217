/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: a manifest payload (FDT) straight into the schema
 * parser, both the collect-all-errors walk and pg_manifest_parse(), then the
 * runtime-check iterator and the key role rules on what parsed.
 */
#include "gates/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void pg_fuzz_diag(void *ctx, pg_err err, const char *path, const char *name)
{
        unsigned *count = ctx;

        /* Touch both strings so the sanitizers check them. */
        *count += (unsigned)strlen(path) + (name ? (unsigned)strlen(name) : 0) + (err != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct pg_manifest m;
        struct pg_manifest_check_iter it;
        struct pg_manifest_check c;
        unsigned diag_count = 0;
        uint32_t count = 0;
        pg_err first, parsed;

        first = pg_manifest_check_schema(data, size, pg_fuzz_diag, &diag_count);
        parsed = pg_manifest_parse(data, size, &m);
        /* Both walks must agree on the first error. */
        if (first != parsed)
                __builtin_trap();
        if (parsed != PG_OK)
                return 0;
        pg_manifest_checks_begin(&m, &it);
        while (pg_manifest_checks_next(&it, &c)) {
                count++;
                /* Read every string the iterator returns, for the sanitizers. */
                diag_count += (unsigned)(strlen(c.id) + strlen(c.kind) + strlen(c.remediation));
        }
        if (count != m.check_count)
                __builtin_trap();
        pg_manifest_check_signer(&m, PG_KEY_ROLE_RELEASE);
        pg_manifest_check_signer(&m, PG_KEY_ROLE_DEVELOPMENT);
        return 0;
}
