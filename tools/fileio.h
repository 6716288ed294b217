/* SPDX-License-Identifier: BSD-2-Clause */
/* Whole-file reads and writes for the prodgate tool. */
#ifndef PG_TOOLS_FILEIO_H
#define PG_TOOLS_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Reads a whole file into a malloc'd buffer (16-byte aligned, with a NUL
 * after the data). Fails with errno EFBIG when the file is larger than max
 * bytes. Returns 0, or -1 with errno set.
 */
int pg_file_read(const char *path, size_t max, uint8_t **data, size_t *len);

/*
 * Writes a whole file through a temporary file in the same folder and a
 * rename, so readers never see a partial file. A symlink to an existing file
 * is followed, so that file is replaced and the link stays. A target that is
 * not a regular file (a FIFO, a terminal) is written in place instead, and a
 * folder is rejected with EISDIR. Returns 0, or -1 with errno set.
 */
/*
 * Reads fd to end of file, never trusting its size (pseudo-files report 0).
 * Returns 0, or -1 with errno set (EFBIG beyond max); *data is malloc'd.
 */
int pg_fd_read_all(int fd, size_t max, uint8_t **data, size_t *len);

int pg_file_write(const char *path, const uint8_t *data, size_t len);

/* True when both paths are the same string or name the same existing file
 * (same device and inode, so hard links and symlinks count). */
bool pg_file_same(const char *a, const char *b);

/* Writes len bytes as lower-case hex to buf, which must hold 2 * len + 1. */
void pg_hex(char *buf, const uint8_t *data, size_t len);

#endif
