/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>

#include "tools/json.h"

void pg_json_string(const char *s)
{
        putchar('"');
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;

                if (c == '"' || c == '\\')
                        printf("\\%c", c);
                else if (c < 0x20 || c > 0x7e)
                        printf("\\u%04x", c);
                else
                        putchar(c);
        }
        putchar('"');
}
