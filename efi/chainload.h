/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Starting the next boot stage from a buffer that was already read and
 * verified: LoadImage from that buffer (Secure Boot still checks its
 * signature), the load options set to the manifest's command line, an
 * initrd offered through the LINUX_EFI_INITRD_MEDIA_GUID device path with
 * EFI_LOAD_FILE2_PROTOCOL (the Linux EFI stub loads it from there and
 * measures it into PCR 9), then StartImage.
 */
#ifndef PG_EFI_CHAINLOAD_H
#define PG_EFI_CHAINLOAD_H

#include <efi.h>

#include "pg/platform.h"

struct pg_chainload {
        EFI_HANDLE parent;              /* this image */
        EFI_HANDLE device;              /* the ESP volume */
        const CHAR16 *path;             /* ESP path, for the image's device path */
        const void *image;              /* the verified bytes */
        UINTN image_size;
        const char *cmdline;            /* ASCII, "" for none */
        const void *initrd;             /* NULL: no initrd is offered */
        UINTN initrd_size;
        UINT64 entry_tsc;               /* TSC at entry, for the time to StartImage */
        UINT64 tsc_per_us;
};

/*
 * Loads and starts the image, printing "starting PATH (N us after entry)"
 * right before StartImage. Returns only when loading failed or the image
 * returned, after logging which; the status is never EFI_SUCCESS.
 */
EFI_STATUS pg_chainload_start(const struct pg_chainload *c);

#endif
