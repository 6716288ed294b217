/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reference loader for the boot-overhead benchmark. It reads the next
 * stage and its initrd from the ESP it was loaded from and hands both to
 * prodgate.efi's own pg_chainload_start(). That loads the stage from
 * memory, serves the initrd through LINUX_EFI_INITRD_MEDIA + LoadFile2 and
 * starts it. The loader checks nothing, measures nothing and writes no variable, so
 * its time from entry to StartImage is what any loader of the same files
 * pays on this firmware.
 *
 * Like prodgate.efi it calibrates the TSC with a 10 ms Stall after entry,
 * and pg_chainload_start() prints "prodgate: starting PATH (N us after
 * entry)" right before StartImage (the prefix is the shared console code's).
 * Before that it prints "minload: read N us, LoadImage follows".
 */
#include <efi.h>
#include <efilib.h>

#include "efi/chainload.h"
#include "efi/tsc.h"

#define ML_STAGE L"\\EFI\\Linux\\vmlinuz.efi"
#define ML_INITRD L"\\EFI\\Linux\\vmlinuz.efi.initrd"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

static EFI_STATUS ml_read(EFI_FILE_HANDLE root, CHAR16 *path, void **buf, UINTN *size)
{
        EFI_FILE_HANDLE fh;
        EFI_FILE_INFO *info;
        EFI_STATUS status;
        UINTN n;

        status = root->Open(root, &fh, path, EFI_FILE_MODE_READ, 0);
        if (EFI_ERROR(status))
                return status;
        info = LibFileInfo(fh);
        if (!info) {
                fh->Close(fh);
                return EFI_DEVICE_ERROR;
        }
        n = (UINTN)info->FileSize;
        FreePool(info);
        *buf = AllocatePool(n);
        if (!*buf) {
                fh->Close(fh);
                return EFI_OUT_OF_RESOURCES;
        }
        *size = n;
        status = fh->Read(fh, &n, *buf);
        fh->Close(fh);
        if (!EFI_ERROR(status) && n != *size)
                status = EFI_END_OF_FILE;
        return status;
}

static EFI_STATUS ml_run(EFI_HANDLE image, UINT64 entry, UINT64 tsc_per_us)
{
        EFI_LOADED_IMAGE *li = NULL;
        EFI_FILE_HANDLE root;
        struct pg_chainload c = {
                .parent = image,
                .path = ML_STAGE,
                .cmdline = "",
                .entry_tsc = entry,
                .tsc_per_us = tsc_per_us,
        };
        void *stage, *initrd;
        EFI_STATUS status;

        status = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
        if (EFI_ERROR(status))
                return status;
        root = LibOpenRoot(li->DeviceHandle);
        if (!root)
                return EFI_NOT_FOUND;
        status = ml_read(root, ML_STAGE, &stage, &c.image_size);
        if (!EFI_ERROR(status))
                status = ml_read(root, ML_INITRD, &initrd, &c.initrd_size);
        if (EFI_ERROR(status))
                return status;
        Print(L"minload: read %lu us, LoadImage follows\n", (pg_rdtsc() - entry) / tsc_per_us);
        c.device = li->DeviceHandle;
        c.image = stage;
        c.initrd = initrd;
        return pg_chainload_start(&c);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
        UINT64 entry = pg_rdtsc(), start, tsc_per_us;
        EFI_STATUS status;

        InitializeLib(image, system_table);
        start = pg_rdtsc();
        BS->Stall(10000);
        tsc_per_us = (pg_rdtsc() - start) / 10000;
        if (!tsc_per_us)
                tsc_per_us = 1;
        status = ml_run(image, entry, tsc_per_us);
        Print(L"minload: failed: %r\n", status);
        return status;
}
