/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PG_TOOLS_JSON_H
#define PG_TOOLS_JSON_H

/*
 * Prints s to standard output as a JSON string literal. Quotes and
 * backslashes are escaped, and every byte outside printable ASCII becomes a
 * \u00XX escape, so the output is valid JSON whatever the input bytes are.
 */
void pg_json_string(const char *s);

#endif
