/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The runtime-results record as the verifier reads it. prodgate measure
 * writes it with a fixed member order and no spaces (docs/measurements.md),
 * so the reader matches exactly that text and rejects anything else: a
 * record that another writer produced, or that was edited, is malformed.
 */
#include <string.h>

#include "tools/verify_internal.h"

struct pg_rt {
        const char *p;
        const char *end;
};

static bool pg_rt_lit(struct pg_rt *r, const char *s)
{
        size_t n = strlen(s);

        if (n > (size_t)(r->end - r->p) || memcmp(r->p, s, n) != 0)
                return false;
        r->p += n;
        return true;
}

/* Reads a decimal number without leading zeros, at most UINT32_MAX. */
static bool pg_rt_u32(struct pg_rt *r, uint32_t *v)
{
        uint64_t x = 0;
        size_t n = 0;

        while (r->p + n < r->end && r->p[n] >= '0' && r->p[n] <= '9' && n < 11)
                x = x * 10 + (uint64_t)(r->p[n++] - '0');
        if (n == 0 || n > 10 || (n > 1 && r->p[0] == '0') || x > UINT32_MAX)
                return false;
        r->p += n;
        *v = (uint32_t)x;
        return true;
}

/* Reads one of names as a quoted string and sets *v to its index. */
static bool pg_rt_word(struct pg_rt *r, const char *const *names, uint32_t count, uint32_t *v)
{
        for (uint32_t i = 0; i < count; i++) {
                struct pg_rt t = *r;

                if (names[i] && pg_rt_lit(&t, "\"") && pg_rt_lit(&t, names[i]) &&
                    pg_rt_lit(&t, "\"")) {
                        *r = t;
                        *v = i;
                        return true;
                }
        }
        return false;
}

static int pg_rt_nibble(char ch)
{
        if (ch >= '0' && ch <= '9')
                return ch - '0';
        if (ch >= 'a' && ch <= 'f')
                return ch - 'a' + 10;
        return -1;
}

static bool pg_rt_hex32(struct pg_rt *r, uint8_t out[32])
{
        if (!pg_rt_lit(r, "\"") || 65 > r->end - r->p || r->p[64] != '"')
                return false;
        for (unsigned i = 0; i < 32; i++) {
                int hi = pg_rt_nibble(r->p[2 * (size_t)i]), lo = pg_rt_nibble(r->p[2 * (size_t)i + 1]);

                if (hi < 0 || lo < 0)
                        return false;
                out[i] = (uint8_t)(hi << 4 | lo);
        }
        r->p += 65;
        return true;
}

/* Reads "outcome":"NAME","reason":N, which must be a valid result. */
static bool pg_rt_result(struct pg_rt *r, struct pg_result *res)
{
        static const char *const outcomes[] = { "pass", "degraded", "unknown", "fail",
                                                "not-applicable" };

        return pg_rt_lit(r, "\"outcome\":") &&
               pg_rt_word(r, outcomes, PG_ARRAY_SIZE(outcomes), &res->outcome) &&
               pg_rt_lit(r, ",\"reason\":") && pg_rt_u32(r, &res->reason) &&
               pg_result_valid(res);
}

static bool pg_rt_gate(struct pg_rt *r, unsigned g, struct pg_result obj[PG_OBJECTIVES_PER_GATE])
{
        struct pg_result gate;
        uint32_t id;

        if (!pg_rt_lit(r, g > 3 ? ",{\"id\":" : "{\"id\":") || !pg_rt_u32(r, &id) || id != g ||
            !pg_rt_lit(r, ",") || !pg_rt_result(r, &gate) || !pg_rt_lit(r, ",\"objectives\":["))
                return false;
        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                if (!pg_rt_lit(r, o ? ",{" : "{") || !pg_rt_result(r, &obj[o]) ||
                    !pg_rt_lit(r, "}"))
                        return false;
        return pg_rt_lit(r, "]}");
}

static bool pg_rt_header(struct pg_rt *r, uint8_t manifest[32])
{
        static const char *const verdicts[] = { "verified", "missing", "tampered",
                                                "unavailable" };
        static const char *const bools[] = { "false", "true" };
        static const char *const tiers[] = { "affirming", "warning", "contraindicated",
                                             "none" };
        uint32_t v, reason, ready, tier;
        struct pg_rt t;

        if (!pg_rt_lit(r, "{\"version\":1,\"manifest\":") || !pg_rt_hex32(r, manifest) ||
            !pg_rt_lit(r, ",\"cross_check\":") ||
            !pg_rt_word(r, verdicts, PG_ARRAY_SIZE(verdicts), &v) ||
            !pg_rt_lit(r, ",\"cross_check_reason\":") || !pg_rt_u32(r, &reason) ||
            !pg_rt_lit(r, ",\"production_ready\":"))
                return false;
        /* true and false are bare words. */
        t = *r;
        ready = pg_rt_lit(&t, bools[1]) ? 1 : 0;
        if (!pg_rt_lit(r, bools[ready]))
                return false;
        return pg_rt_lit(r, ",\"trust_tier\":") &&
               pg_rt_word(r, tiers, PG_ARRAY_SIZE(tiers), &tier) &&
               (reason == PG_OK) == (v == 0) && pg_rt_lit(r, ",\"gates\":[");
}

pg_err pg_verify_parse_runtime(const uint8_t *content, size_t len, uint8_t manifest[32],
                               struct pg_result results[PG_GATE_COUNT][PG_OBJECTIVES_PER_GATE])
{
        struct pg_result res[PG_GATE_COUNT][PG_OBJECTIVES_PER_GATE];
        struct pg_rt r = { (const char *)content, (const char *)content + len };
        uint8_t m[32];

        /* Gates 1 and 2 are not in the record: never pass from here. */
        for (unsigned g = 0; g < PG_GATE_COUNT; g++)
                for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                        res[g][o] = (struct pg_result){ PG_OUTCOME_UNKNOWN,
                                                        PG_ERR_VERIFY_NO_RUNTIME };
        if (!pg_rt_header(&r, m))
                return PG_ERR_VERIFY_RUNTIME_MALFORMED;
        for (unsigned g = 3; g <= PG_GATE_COUNT; g++)
                if (!pg_rt_gate(&r, g, res[g - 1]))
                        return PG_ERR_VERIFY_RUNTIME_MALFORMED;
        if (!pg_rt_lit(&r, "]}") || r.p != r.end)
                return PG_ERR_VERIFY_RUNTIME_MALFORMED;
        memcpy(manifest, m, 32);
        memcpy(results, res, sizeof(res));
        return PG_OK;
}
