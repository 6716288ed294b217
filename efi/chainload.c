/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "efi/chainload.h"
#include "efi/console.h"
#include "efi/tsc.h"

#define PG_LINUX_INITRD_MEDIA_GUID \
        { 0x5568e427, 0x68fc, 0x4f3d, { 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 } }
#define PG_LOAD_FILE2_PROTOCOL_GUID \
        { 0x4006c0c1, 0xfcb3, 0x403e, { 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d } }

/* The command line is capped like the manifest's cmdline property. */
#define PG_CMDLINE_MAX 2048

typedef struct _PG_LOAD_FILE2 PG_LOAD_FILE2;

typedef EFI_STATUS (EFIAPI *PG_LOAD_FILE2_FN)(PG_LOAD_FILE2 *This, EFI_DEVICE_PATH *FilePath,
                                              BOOLEAN BootPolicy, UINTN *BufferSize, VOID *Buffer);

struct _PG_LOAD_FILE2 {
        PG_LOAD_FILE2_FN LoadFile;
};

/* The initrd provider: the protocol first, so a protocol pointer is the struct. */
struct pg_initrd {
        PG_LOAD_FILE2 proto;
        const void *data;
        UINTN size;
};

struct __attribute__((packed)) pg_initrd_path {
        VENDOR_DEVICE_PATH vendor;
        EFI_DEVICE_PATH end;
};

static struct pg_initrd pg_initrd_provider;
static struct pg_initrd_path pg_initrd_device_path = {
        .vendor = {
                .Header = { MEDIA_DEVICE_PATH, MEDIA_VENDOR_DP,
                            { sizeof(VENDOR_DEVICE_PATH), 0 } },
                .Guid = PG_LINUX_INITRD_MEDIA_GUID,
        },
        .end = { END_DEVICE_PATH_TYPE, END_ENTIRE_DEVICE_PATH_SUBTYPE,
                 { sizeof(EFI_DEVICE_PATH), 0 } },
};

static EFI_STATUS EFIAPI pg_initrd_load(PG_LOAD_FILE2 *This, EFI_DEVICE_PATH *FilePath,
                                        BOOLEAN BootPolicy, UINTN *BufferSize, VOID *Buffer)
{
        struct pg_initrd *initrd = (struct pg_initrd *)This;

        if (!This || !BufferSize)
                return EFI_INVALID_PARAMETER;
        if (BootPolicy)
                return EFI_UNSUPPORTED;
        if (!Buffer || *BufferSize < initrd->size) {
                *BufferSize = initrd->size;
                return EFI_BUFFER_TOO_SMALL;
        }
        CopyMem(Buffer, (void *)initrd->data, initrd->size);
        *BufferSize = initrd->size;
        return EFI_SUCCESS;
}

static EFI_STATUS pg_initrd_install(const void *data, UINTN size, EFI_HANDLE *handle)
{
        EFI_GUID dp_guid = DEVICE_PATH_PROTOCOL;
        EFI_GUID lf2_guid = PG_LOAD_FILE2_PROTOCOL_GUID;

        pg_initrd_provider.proto.LoadFile = pg_initrd_load;
        pg_initrd_provider.data = data;
        pg_initrd_provider.size = size;
        *handle = NULL;
        return BS->InstallMultipleProtocolInterfaces(handle, &dp_guid, &pg_initrd_device_path,
                                                     &lf2_guid, &pg_initrd_provider, NULL);
}

static void pg_initrd_uninstall(EFI_HANDLE handle)
{
        EFI_GUID dp_guid = DEVICE_PATH_PROTOCOL;
        EFI_GUID lf2_guid = PG_LOAD_FILE2_PROTOCOL_GUID;

        BS->UninstallMultipleProtocolInterfaces(handle, &dp_guid, &pg_initrd_device_path,
                                                &lf2_guid, &pg_initrd_provider, NULL);
}

/* Sets the image's LoadOptions to the command line as a NUL-terminated UCS-2 string. */
static EFI_STATUS pg_set_cmdline(EFI_HANDLE child, const char *cmdline)
{
        EFI_LOADED_IMAGE *li = NULL;
        UINTN len = strnlen(cmdline, PG_CMDLINE_MAX + 1);
        CHAR16 *options;
        EFI_STATUS status;

        if (len > PG_CMDLINE_MAX)
                return EFI_BAD_BUFFER_SIZE;
        status = BS->HandleProtocol(child, &LoadedImageProtocol, (void **)&li);
        if (EFI_ERROR(status))
                return status;
        options = AllocatePool((len + 1) * sizeof(CHAR16));
        if (!options)
                return EFI_OUT_OF_RESOURCES;
        for (UINTN i = 0; i < len; i++)
                options[i] = (CHAR16)(UINT8)cmdline[i];
        options[len] = 0;
        li->LoadOptions = options;
        li->LoadOptionsSize = (UINT32)((len + 1) * sizeof(CHAR16));
        return EFI_SUCCESS;
}

EFI_STATUS pg_chainload_start(const struct pg_chainload *c)
{
        EFI_DEVICE_PATH *path;
        EFI_HANDLE child = NULL, initrd = NULL;
        EFI_STATUS status;

        path = FileDevicePath(c->device, (CHAR16 *)c->path);
        if (!path)
                return pg_log_error_status(EFI_OUT_OF_RESOURCES, L"No device path for %s", c->path);
        status = BS->LoadImage(FALSE, c->parent, path, (void *)c->image, c->image_size, &child);
        FreePool(path);
        if (EFI_ERROR(status)) {
                /* A Secure Boot rejection may still return a handle, which must be unloaded. */
                if (status == EFI_SECURITY_VIOLATION && child)
                        BS->UnloadImage(child);
                return pg_log_error_status(status, L"LoadImage of %s failed", c->path);
        }
        status = pg_set_cmdline(child, c->cmdline);
        if (!EFI_ERROR(status) && c->initrd)
                status = pg_initrd_install(c->initrd, c->initrd_size, &initrd);
        if (EFI_ERROR(status)) {
                BS->UnloadImage(child);
                return pg_log_error_status(status, L"Failed to prepare %s", c->path);
        }
        pg_report(L"starting %s (%lu us after entry)", c->path,
                  (pg_rdtsc() - c->entry_tsc) / (c->tsc_per_us ? c->tsc_per_us : 1));
        status = BS->StartImage(child, NULL, NULL);
        if (initrd)
                pg_initrd_uninstall(initrd);
        return pg_log_error_status(EFI_ERROR(status) ? status : EFI_ABORTED,
                                   L"%s returned", c->path);
}
