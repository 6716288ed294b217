/* SPDX-License-Identifier: BSD-2-Clause */
#include "pg/err.h"

struct pg_err_entry {
        pg_err code;
        const char *name;
        const char *text;
};

static const struct pg_err_entry pg_err_table[] = {
#define PG_ERR_ENTRY(sym, val, text) { val, #sym, text },
        PG_ERR_LIST(PG_ERR_ENTRY)
#undef PG_ERR_ENTRY
};

static const struct pg_err_entry *pg_err_find(pg_err err)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(pg_err_table); i++)
                if (pg_err_table[i].code == err)
                        return &pg_err_table[i];
        return NULL;
}

const char *pg_err_name(pg_err err)
{
        const struct pg_err_entry *e = pg_err_find(err);

        return e ? e->name : NULL;
}

const char *pg_err_text(pg_err err)
{
        const struct pg_err_entry *e = pg_err_find(err);

        return e ? e->text : NULL;
}
