/* SPDX-License-Identifier: BSD-2-Clause */
#include "test.h"

static const pg_err all_codes[] = {
#define CODE(sym, val, text) val,
        PG_ERR_LIST(CODE)
#undef CODE
};

TEST(err_codes_unique)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(all_codes); i++)
                for (size_t j = i + 1; j < PG_ARRAY_SIZE(all_codes); j++)
                        if (all_codes[i] == all_codes[j])
                                test_report(__FILE__, __LINE__, "code 0x%04x defined twice",
                                            all_codes[i]);
}

TEST(err_names_and_texts)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(all_codes); i++) {
                CHECK(pg_err_name(all_codes[i]) != NULL);
                CHECK(pg_err_text(all_codes[i]) != NULL);
        }
        CHECK(strcmp(pg_err_name(PG_OK), "PG_OK") == 0);
}

TEST(err_unknown_code)
{
        CHECK(pg_err_name(0xfffffffe) == NULL);
        CHECK(pg_err_text(0xfffffffe) == NULL);
}

int main(void)
{
        RUN(err_codes_unique);
        RUN(err_names_and_texts);
        RUN(err_unknown_code);
        return TEST_SUMMARY();
}
