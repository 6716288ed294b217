/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the Authenticode SHA-256 of a PE32+ file
 * (gates/pe_hash.c), which prodgate.efi computes over its own file as read
 * from the ESP. The same input must give the same result twice, and the
 * digest is written only on success.
 */
#include <stdlib.h>
#include <string.h>

#include "gates/pe_hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        uint8_t a[32], b[32], untouched[32];
        pg_err err1, err2;

        memset(a, 0xa5, sizeof(a));
        memset(untouched, 0xa5, sizeof(untouched));
        err1 = pg_pe_authenticode_sha256(data, size, a);
        err2 = pg_pe_authenticode_sha256(data, size, b);
        if (err1 != err2 || (err1 == PG_OK && memcmp(a, b, sizeof(a)) != 0))
                abort();
        if (err1 != PG_OK && memcmp(a, untouched, sizeof(a)) != 0)
                abort();
        return 0;
}
