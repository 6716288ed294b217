/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PG_TOOLS_RUNTIME_RECORD_H
#define PG_TOOLS_RUNTIME_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "gates/decide.h"

/*
 * Writes the runtime-results record that prodgate measure extends into the
 * gates PCR (tag 0x50470003, docs/measurements.md): gates 3 to 10 as
 * evaluated, in compact JSON with a fixed member order, so prodgate predict
 * and prodgate verify can rebuild the same bytes. Returns its length without
 * the NUL, or 0 if it does not fit in size bytes.
 */
size_t pg_runtime_record_write(const uint8_t manifest_digest[32], const char *cross_check,
                               uint32_t cross_check_reason, const struct pg_decide_output *out,
                               char *buf, size_t size);

#endif
