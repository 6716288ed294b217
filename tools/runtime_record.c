/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>
#include <string.h>

#include "gates/model.h"
#include "tools/fileio.h"
#include "tools/runtime_record.h"

size_t pg_runtime_record_write(const uint8_t manifest_digest[32], const char *cross_check,
                               uint32_t cross_check_reason, const struct pg_decide_output *out,
                               char *buf, size_t size)
{
        char hex[65];
        size_t n;
        int w;

        pg_hex(hex, manifest_digest, 32);
        w = snprintf(buf, size, "{\"version\":1,\"manifest\":\"%s\",\"cross_check\":\"%s\","
                     "\"cross_check_reason\":%u,\"production_ready\":%s,\"trust_tier\":\"%s\","
                     "\"gates\":[", hex, cross_check, cross_check_reason,
                     out->production_readiness.met ? "true" : "false",
                     pg_trust_tier_name(out->trust_tier));
        if (w < 0 || (size_t)w >= size)
                return 0;
        n = (size_t)w;
        for (unsigned g = 3; g <= PG_GATE_COUNT; g++) {
                const struct pg_result *r = &out->gates[g - 1];
                const struct pg_result *o = out->objectives[g - 1];

                w = snprintf(buf + n, size - n, "%s{\"id\":%u,\"outcome\":\"%s\",\"reason\":%u,"
                             "\"objectives\":[{\"outcome\":\"%s\",\"reason\":%u},"
                             "{\"outcome\":\"%s\",\"reason\":%u},{\"outcome\":\"%s\","
                             "\"reason\":%u}]}", g > 3 ? "," : "", g,
                             pg_outcome_name(r->outcome), r->reason,
                             pg_outcome_name(o[0].outcome), o[0].reason,
                             pg_outcome_name(o[1].outcome), o[1].reason,
                             pg_outcome_name(o[2].outcome), o[2].reason);
                if (w < 0 || (size_t)w >= size - n)
                        return 0;
                n += (size_t)w;
        }
        if (size - n < 3)
                return 0;
        memcpy(buf + n, "]}", 3);
        return n + 2;
}
