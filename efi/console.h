/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console output of the EFI stage. Two kinds of lines go to ConOut, which
 * OVMF and most firmware mirror to the serial port:
 *
 *   - report lines, "prodgate: KEY=VALUE ...", printed at every log level.
 *     Tests and operators parse them, so their format is stable.
 *   - log lines, "prodgate: LEVEL: message", filtered by the log level.
 *
 * A log call returns the status it logs, so an error path reads
 * `return pg_log_error_status(status, L"...")`. Format strings use
 * gnu-efi's Print() conversions: %a for an ASCII string, %s for a CHAR16
 * string, %d/%u/%x for 32-bit and %ld/%lu/%lx for 64-bit integers, %r for an
 * EFI_STATUS.
 */
#ifndef PG_EFI_CONSOLE_H
#define PG_EFI_CONSOLE_H

#include <efi.h>

#include "pg/platform.h"

enum pg_log_level {
        PG_LOG_ERROR,
        PG_LOG_WARN,
        PG_LOG_INFO,
        PG_LOG_DEBUG,
};

/* Sets the max level that is printed. The default is PG_LOG_INFO. */
void pg_log_set_level(enum pg_log_level level);

/*
 * Prints one log line at the given level and returns status. When status
 * is an error, its name follows the message ("...: Not Found").
 */
EFI_STATUS pg_log_status(enum pg_log_level level, EFI_STATUS status, const CHAR16 *fmt, ...);

#define pg_log_error_status(status, ...) pg_log_status(PG_LOG_ERROR, (status), __VA_ARGS__)
#define pg_log_warn_status(status, ...)  pg_log_status(PG_LOG_WARN, (status), __VA_ARGS__)
#define pg_log_error(...) pg_log_status(PG_LOG_ERROR, EFI_SUCCESS, __VA_ARGS__)
#define pg_log_warn(...)  pg_log_status(PG_LOG_WARN, EFI_SUCCESS, __VA_ARGS__)
#define pg_log_info(...)  pg_log_status(PG_LOG_INFO, EFI_SUCCESS, __VA_ARGS__)
#define pg_log_debug(...) pg_log_status(PG_LOG_DEBUG, EFI_SUCCESS, __VA_ARGS__)

/* Prints one report line: "prodgate: " followed by the formatted text. */
void pg_report(const CHAR16 *fmt, ...);

#endif
