/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the userspace measurement log reader (tools/cel.c,
 * compiled in here). Every record it returns must lie inside the input,
 * carry the recnum of its position, a sha256 digest, a PCR below 24 and a
 * content that starts with '{'; a prodgate record's digest must be that of
 * its content. After an error the reader must keep returning it.
 */
#include <stdlib.h>

/* NOLINTNEXTLINE(bugprone-suspicious-include): compiled in to reach its static functions */
#include "tools/cel.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct pg_cel it;
        struct pg_cel_record r;
        bool end = false;
        uint32_t n = 0;
        pg_err err;

        pg_cel_init(&it, data, size);
        while ((err = pg_cel_next(&it, &r, &end)) == PG_OK && !end) {
                uint8_t d[32];

                if (r.recnum != n++ || r.pcr > 23 || !(r.alg_mask & (1u << PG_CEL_SHA256)))
                        abort();
                if (r.offset >= size || data[r.offset] != 0x1e || r.content < data ||
                    r.content_len == 0 || r.content_len > size ||
                    (size_t)(r.content - data) > size - r.content_len || r.content[0] != '{')
                        abort();
                if (!strcmp(r.content_type, PG_CEL_PRODGATE_TYPE)) {
                        pg_cel_content_digest(r.content, r.content_len, d);
                        if (memcmp(d, r.digest[PG_CEL_SHA256], 32) != 0)
                                abort();
                }
        }
        if (err == PG_OK && (it.records != n || it.pos != size))
                abort();
        if (err != PG_OK && (pg_cel_next(&it, &r, &end) != err || pg_err_name(err) == NULL ||
                             it.err_offset > size))
                abort();
        return 0;
}
