/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "efi/console.h"

static enum pg_log_level pg_log_max_level = PG_LOG_INFO;

static const CHAR16 *const pg_log_prefix[] = {
        [PG_LOG_ERROR] = L"error: ",
        [PG_LOG_WARN] = L"warning: ",
        [PG_LOG_INFO] = L"",
        [PG_LOG_DEBUG] = L"debug: ",
};

/* Firmware without a console may leave ConOut NULL, and printing is then skipped. */
static bool pg_console_available(void)
{
        return ST && ST->ConOut;
}

void pg_log_set_level(enum pg_log_level level)
{
        pg_log_max_level = level;
}

EFI_STATUS pg_log_status(enum pg_log_level level, EFI_STATUS status, const CHAR16 *fmt, ...)
{
        va_list args;

        if (level > pg_log_max_level || !pg_console_available())
                return status;
        Print(L"prodgate: %s", pg_log_prefix[level]);
        va_start(args, fmt);
        VPrint(fmt, args);
        va_end(args);
        if (EFI_ERROR(status))
                Print(L": %r", status);
        Print(L"\n");
        return status;
}

void pg_report(const CHAR16 *fmt, ...)
{
        va_list args;

        if (!pg_console_available())
                return;
        Print(L"prodgate: ");
        va_start(args, fmt);
        VPrint(fmt, args);
        va_end(args);
        Print(L"\n");
}
