/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the prodgate manifest subcommands. */
#ifndef PG_TOOLS_MANIFEST_TOOL_H
#define PG_TOOLS_MANIFEST_TOOL_H

#include <stdbool.h>

#include "pg/err.h"
#include "tools/keys.h"

/* Context of pg_manifest_print_diag(): the file named in each line, and the
 * number of errors printed. */
struct pg_diag_ctx {
        const char *file;
        unsigned count;
};

/* Prints "prodgate: FILE: SYMBOL: explanation" to stderr. */
void pg_manifest_print_err(const char *file, pg_err err);

/* A pg_manifest_diag_fn printing "FILE: PATH: problem "name" (SYMBOL)". */
void pg_manifest_print_diag(void *ctx, pg_err err, const char *path, const char *name);

/* Reads an input file; prints the reason and returns -1 on failure. */
int pg_manifest_read(const char *path, uint8_t **buf, size_t *len);

/*
 * Parses "--trust PUB.pem[:ROLE]" options (and --json when json is not NULL)
 * followed by exactly one file argument, left at argv[optind]. Prints usage
 * and returns -1 on a bad command line.
 */
int pg_manifest_parse_trust(int argc, char **argv, const char *usage,
                            struct pg_tool_keyring *kr, bool *json);

int pg_manifest_show(int argc, char **argv);

#endif
