/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>

#include "crypto/sha256.h"
#include "tools/commands.h"

int cmd_version(int argc, char **argv)
{
        printf("prodgate %s\n", PG_VERSION);
        printf("sha256: %s\n", pg_sha256_active() == PG_SHA256_IMPL_SHANI ? "sha-ni" : "portable");
        return PG_EXIT_OK;
}
