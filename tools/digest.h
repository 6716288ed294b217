/* SPDX-License-Identifier: BSD-2-Clause */
/* Hash callbacks for event log replay, backed by OpenSSL. */
#ifndef PG_TOOLS_DIGEST_H
#define PG_TOOLS_DIGEST_H

#include "measured/replay.h"

/* Number of PCR bank algorithms the tool can hash: sha1, sha256, sha384,
 * sha512 and sm3_256. */
#define PG_TOOL_HASHER_MAX 5

/*
 * Fills out with one hasher per bank algorithm this OpenSSL build provides
 * (SM3 may be missing) and returns how many it wrote.
 */
size_t pg_tool_hashers(struct pg_replay_hasher out[PG_TOOL_HASHER_MAX]);

#endif
