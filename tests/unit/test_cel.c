/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The userspace measurement log reader (tools/cel.c, compiled in here): a
 * valid log of prodgate records and a foreign record, then one field broken
 * at a time, each asserting its exact error code and the offset of the
 * failing record. The last test fails when a code of
 * measured/cel_errors.def was never asserted.
 */
#include "test.h"
/* NOLINTNEXTLINE(bugprone-suspicious-include): compiled in to reach its static functions */
#include "tools/cel.c"

static pg_err codes_seen[64];
static size_t codes_seen_count;

/* Parses the whole log; returns the first error (or PG_OK) and the number
 * of records read, and notes the code for the coverage test. */
static pg_err parse(const char *log, size_t len, uint32_t *records, size_t *err_offset)
{
        struct pg_cel it;
        struct pg_cel_record r;
        bool end = false;
        pg_err err;

        pg_cel_init(&it, log, len);
        while ((err = pg_cel_next(&it, &r, &end)) == PG_OK && !end)
                ;
        if (records)
                *records = it.records;
        if (err_offset)
                *err_offset = it.err_offset;
        if (codes_seen_count < PG_ARRAY_SIZE(codes_seen))
                codes_seen[codes_seen_count++] = err;
        return err;
}

static pg_err parse_str(const char *log)
{
        return parse(log, strlen(log), NULL, NULL);
}

#define CONTENT "{\"version\":1,\"gates\":[{\"id\":3,\"outcome\":\"pass\",\"reason\":0}]}"
#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

static char log_buf[1 << 17];

/* A prodgate record with recnum n and the right digest. */
static int prodgate_record(char *out, size_t size, unsigned n, const char *content)
{
        uint8_t d[32];
        char hex[65];

        pg_cel_content_digest((const uint8_t *)content, strlen(content), d);
        for (size_t i = 0; i < 32; i++)
                snprintf(hex + 2 * i, 3, "%02x", d[i]);
        return snprintf(out, size, "\x1e{\"recnum\":%u,\"pcr\":13,\"digests\":[{\"hashAlg\":"
                        "\"sha256\",\"digest\":\"%s\"}],\"content_type\":\"prodgate\","
                        "\"content\":%s}\n", n, hex, content);
}

/* A record of another producer: fields given as the JSON members. */
static pg_err other(const char *members)
{
        snprintf(log_buf, sizeof(log_buf), "\x1e{%s}\n", members);
        return parse_str(log_buf);
}

#define REC(recnum, pcr, digests, type, content) \
        "\"recnum\":" recnum ",\"pcr\":" pcr ",\"digests\":" digests \
        ",\"content_type\":" type ",\"content\":" content
#define SHA256 "[{\"hashAlg\":\"sha256\",\"digest\":\"" ZEROS "\"}]"

TEST(test_valid_log)
{
        struct pg_cel it;
        struct pg_cel_record r = { 0 };
        uint32_t n;
        size_t off, len;
        bool end = false;
        pg_err err;
        int a = prodgate_record(log_buf, sizeof(log_buf), 0, CONTENT);
        int b = snprintf(log_buf + a, sizeof(log_buf) - (size_t)a,
                         "\x1e { \"content\" : {\"x\":[1,-2.5e3,true,null,\"\\u00e9\\n\"]},"
                         "\"pcr\":23,\"recnum\":1,\"content_type\":\"systemd\",\"digests\":["
                         "{\"digest\":\"" ZEROS "\",\"hashAlg\":\"sha256\"},{\"hashAlg\":\"sha1\","
                         "\"digest\":\"0000000000000000000000000000000000000000\"}]}\n");

        len = (size_t)a + (size_t)b;
        CHECK_ERR(parse(log_buf, len, &n, &off), PG_OK);
        CHECK_INT(n, 2);
        pg_cel_init(&it, log_buf, len);
        err = pg_cel_next(&it, &r, &end);
        CHECK_ERR(err, PG_OK);
        if (err != PG_OK)
                return;
        CHECK(!end);
        CHECK_INT(r.recnum, 0);
        CHECK_INT(r.pcr, 13);
        CHECK_INT(r.alg_mask, 1u << PG_CEL_SHA256);
        CHECK(!strcmp(r.content_type, "prodgate"));
        CHECK_INT(r.content_len, strlen(CONTENT));
        CHECK_MEM(r.content, CONTENT, r.content_len);
        CHECK_ERR(pg_cel_next(&it, &r, &end), PG_OK);
        CHECK_INT(r.offset, a);
        CHECK_INT(r.pcr, 23);
        CHECK_INT(r.alg_mask, 1u << PG_CEL_SHA256 | 1u << PG_CEL_SHA1);
        CHECK_ERR(pg_cel_next(&it, &r, &end), PG_OK);
        CHECK(end);
        CHECK_ERR(parse("", 0, &n, NULL), PG_OK);
        CHECK_INT(n, 0);
}

TEST(test_framing)
{
        size_t off;
        int a = prodgate_record(log_buf, sizeof(log_buf), 0, CONTENT);

        CHECK_ERR(parse_str("{\"recnum\":0}\n"), PG_ERR_CEL_NO_RS);
        /* The second record lacks its separator: the error points at it. */
        snprintf(log_buf + a, sizeof(log_buf) - (size_t)a, "\n");
        CHECK_ERR(parse(log_buf, (size_t)a + 1, NULL, &off), PG_ERR_CEL_NO_RS);
        CHECK_INT(off, a);
        /* A record cut before its LF, as a crash in the middle of a write. */
        CHECK_ERR(parse(log_buf, (size_t)a - 1, NULL, &off), PG_ERR_CEL_UNTERMINATED);
        CHECK_INT(off, 0);
        memset(log_buf, ' ', sizeof(log_buf));
        log_buf[0] = 0x1e;
        CHECK_ERR(parse(log_buf, PG_CEL_MAX_RECORD + 10, NULL, NULL),
                  PG_ERR_CEL_RECORD_TOO_LARGE);
        /* Two records on one line. */
        a = prodgate_record(log_buf, sizeof(log_buf), 0, CONTENT);
        log_buf[a - 1] = 0x1e;
        CHECK_ERR(parse(log_buf, (size_t)a, NULL, NULL), PG_ERR_CEL_UNTERMINATED);
}

TEST(test_json)
{
        char deep[128] = "";

        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{}") ","), PG_ERR_CEL_JSON_SYNTAX);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{\"a\":01}")), PG_ERR_CEL_JSON_SYNTAX);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{\"a\":\"\\q\"}")),
                  PG_ERR_CEL_JSON_SYNTAX);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{\"a\":\"\t\"}")), PG_ERR_CEL_JSON_SYNTAX);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{\"a\":tru}")), PG_ERR_CEL_JSON_SYNTAX);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{\"a\" 1}")), PG_ERR_CEL_JSON_SYNTAX);
        memset(deep, '[', 15);
        memset(deep + 15, ']', 15);
        snprintf(log_buf, sizeof(log_buf), "\x1e{" REC("0", "1", SHA256, "\"x\"", "{\"a\":%s}")
                 "}\n", deep);
        CHECK_ERR(parse_str(log_buf), PG_ERR_CEL_JSON_TOO_DEEP);
        CHECK_ERR(parse_str("\x1e[1]\n"), PG_ERR_CEL_NOT_OBJECT);
        CHECK_ERR(parse_str("\x1e\"recnum\"\n"), PG_ERR_CEL_NOT_OBJECT);
        CHECK_ERR(parse_str("\x1e{}\n"), PG_ERR_CEL_MISSING_MEMBER);
        CHECK_ERR(parse_str("\x1e{} {}\n"), PG_ERR_CEL_TRAILING);
        CHECK_ERR(parse_str("\x1e\n"), PG_ERR_CEL_JSON_SYNTAX);
}

TEST(test_members)
{
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{}")), PG_OK);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{}") ",\"extra\":1"),
                  PG_ERR_CEL_UNKNOWN_MEMBER);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{}") ",\"pcr\":1"),
                  PG_ERR_CEL_DUPLICATE_MEMBER);
        CHECK_ERR(other("\"recnum\":0,\"pcr\":1,\"digests\":" SHA256 ",\"content_type\":\"x\""),
                  PG_ERR_CEL_MISSING_MEMBER);

        CHECK_ERR(other(REC("\"0\"", "1", SHA256, "\"x\"", "{}")), PG_ERR_CEL_BAD_RECNUM);
        CHECK_ERR(other(REC("-1", "1", SHA256, "\"x\"", "{}")), PG_ERR_CEL_BAD_RECNUM);
        CHECK_ERR(other(REC("0.0", "1", SHA256, "\"x\"", "{}")), PG_ERR_CEL_BAD_RECNUM);
        CHECK_ERR(other(REC("4294967296", "1", SHA256, "\"x\"", "{}")), PG_ERR_CEL_BAD_RECNUM);
        CHECK_ERR(other(REC("1", "1", SHA256, "\"x\"", "{}")), PG_ERR_CEL_RECNUM_SEQUENCE);
        CHECK_ERR(other(REC("0", "24", SHA256, "\"x\"", "{}")), PG_ERR_CEL_BAD_PCR);
        CHECK_ERR(other(REC("0", "null", SHA256, "\"x\"", "{}")), PG_ERR_CEL_BAD_PCR);

        CHECK_ERR(other(REC("0", "1", "[]", "\"x\"", "{}")), PG_ERR_CEL_BAD_DIGESTS);
        CHECK_ERR(other(REC("0", "1", "{}", "\"x\"", "{}")), PG_ERR_CEL_BAD_DIGESTS);
        CHECK_ERR(other(REC("0", "1", "[1]", "\"x\"", "{}")), PG_ERR_CEL_BAD_DIGESTS);
        CHECK_ERR(other(REC("0", "1", "[{\"hashAlg\":\"sha256\"}]", "\"x\"", "{}")),
                  PG_ERR_CEL_BAD_DIGESTS);
        CHECK_ERR(other(REC("0", "1", "[{\"hashAlg\":\"sha256\",\"digest\":\"" ZEROS
                            "\",\"size\":32}]", "\"x\"", "{}")), PG_ERR_CEL_BAD_DIGESTS);
        CHECK_ERR(other(REC("0", "1", "[{\"hashAlg\":11,\"digest\":\"" ZEROS "\"}]", "\"x\"",
                            "{}")), PG_ERR_CEL_BAD_DIGESTS);

        CHECK_ERR(other(REC("0", "1", "[{\"hashAlg\":\"md5\",\"digest\":\"" ZEROS "\"}]",
                            "\"x\"", "{}")), PG_ERR_CEL_UNKNOWN_ALG);
        CHECK_ERR(other(REC("0", "1", "[{\"hashAlg\":\"sha256\",\"digest\":\"" ZEROS "\"},"
                            "{\"hashAlg\":\"sha256\",\"digest\":\"" ZEROS "\"}]", "\"x\"", "{}")),
                  PG_ERR_CEL_DUPLICATE_ALG);
        CHECK_ERR(other(REC("0", "1", "[{\"hashAlg\":\"sha256\",\"digest\":\"" ZEROS "00\"}]",
                            "\"x\"", "{}")), PG_ERR_CEL_BAD_DIGEST);
        CHECK_ERR(other(REC("0", "1", "[{\"hashAlg\":\"sha256\",\"digest\":\"A" ZEROS "\"}]",
                            "\"x\"", "{}")), PG_ERR_CEL_BAD_DIGEST);
        CHECK_ERR(other(REC("0", "1", "[{\"hashAlg\":\"sha1\",\"digest\":\""
                            "0000000000000000000000000000000000000000\"}]", "\"x\"", "{}")),
                  PG_ERR_CEL_NO_SHA256);

        CHECK_ERR(other(REC("0", "1", SHA256, "\"\"", "{}")), PG_ERR_CEL_BAD_CONTENT_TYPE);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"Prodgate\"", "{}")),
                  PG_ERR_CEL_BAD_CONTENT_TYPE);
        CHECK_ERR(other(REC("0", "1", SHA256, "7", "{}")), PG_ERR_CEL_BAD_CONTENT_TYPE);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "[]")), PG_ERR_CEL_BAD_CONTENT);
}

TEST(test_prodgate_digest)
{
        size_t off;
        int a = prodgate_record(log_buf, sizeof(log_buf), 0, CONTENT);
        int b = prodgate_record(log_buf + a, sizeof(log_buf) - (size_t)a, 1, CONTENT);
        char *p = strstr(log_buf + a, "\"pass\"");

        CHECK_ERR(parse(log_buf, (size_t)(a + b), NULL, NULL), PG_OK);
        /* One byte of the second record's content changed. */
        p[1] = 'P';
        CHECK_ERR(parse(log_buf, (size_t)(a + b), NULL, &off), PG_ERR_CEL_CONTENT_DIGEST);
        CHECK_INT(off, a);
        /* Another producer's records are not held to prodgate's digest rule. */
        CHECK_ERR(other(REC("0", "1", SHA256, "\"x\"", "{\"a\":1}")), PG_OK);
        CHECK_ERR(other(REC("0", "1", SHA256, "\"prodgate\"", "{\"a\":1}")),
                  PG_ERR_CEL_CONTENT_DIGEST);
}

TEST(test_sticky_and_count)
{
        struct pg_cel it;
        struct pg_cel_record r;
        bool end;
        size_t len = 0;
        uint32_t n;
        static char big[(PG_CEL_MAX_RECORDS + 1) * 200];

        pg_cel_init(&it, "x", 1);
        CHECK_ERR(pg_cel_next(&it, &r, &end), PG_ERR_CEL_NO_RS);
        CHECK_ERR(pg_cel_next(&it, &r, &end), PG_ERR_CEL_NO_RS);
        for (unsigned i = 0; i <= PG_CEL_MAX_RECORDS; i++)
                len += (size_t)snprintf(big + len, sizeof(big) - len,
                                        "\x1e{" REC("%u", "1", SHA256, "\"x\"", "{}") "}\n", i);
        CHECK_ERR(parse(big, len, &n, NULL), PG_ERR_CEL_TOO_MANY_RECORDS);
        CHECK_INT(n, PG_CEL_MAX_RECORDS);
}

TEST(test_every_code_asserted)
{
        static const pg_err all[] = {
#define CEL_CODE(sym, val, text) sym,
                PG_ERR_LIST_CEL(CEL_CODE)
#undef CEL_CODE
        };

        for (size_t i = 0; i < PG_ARRAY_SIZE(all); i++) {
                bool seen = false;

                for (size_t j = 0; j < codes_seen_count; j++)
                        seen |= codes_seen[j] == all[i];
                if (!seen)
                        test_report(__FILE__, __LINE__, "%s is never asserted",
                                    test_err_name(all[i]));
        }
}

int main(void)
{
        RUN(test_valid_log);
        RUN(test_framing);
        RUN(test_json);
        RUN(test_members);
        RUN(test_prodgate_digest);
        RUN(test_sticky_and_count);
        RUN(test_every_code_asserted);
        return TEST_SUMMARY();
}
