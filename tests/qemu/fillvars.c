/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test-only EFI application for tests/qemu/test_faults.sh, not part of
 * prodgate. Booted as \EFI\BOOT\BOOTX64.EFI, it fills the firmware's
 * volatile variable store with variables of its own vendor GUID
 * (boot-service and runtime access, no non-volatile attribute). It writes
 * 4096-byte values until SetVariable returns EFI_OUT_OF_RESOURCES, then
 * smaller ones down to one byte, so that no variable of any size fits
 * afterwards. It prints how many it wrote, then loads and starts
 * \EFI\prodgate\prodgate.efi from the same device. If that returns or
 * cannot start, it powers the machine off.
 *
 * Console lines (the test matches them):
 *   fillvars: wrote N variables, B bytes of data; last SetVariable: STATUS
 *   fillvars: LoadImage \EFI\prodgate\prodgate.efi: STATUS
 */
#include <efi.h>
#include <efilib.h>

/* gnu-efi's crt0 calls efi_main with the System V convention. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

#define FILL_ATTRIBUTES (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)
#define FILL_MAX_VALUE 4096
/* Far more variables than a volatile store has room for: a bound for firmware that never reports it is full. */
#define FILL_MAX_COUNT 100000

/* The test's own vendor GUID: 5047f111-7e57-4b3a-9c1d-0f11a5e70001. */
static EFI_GUID fill_guid = { 0x5047f111, 0x7e57, 0x4b3a,
                              { 0x9c, 0x1d, 0x0f, 0x11, 0xa5, 0xe7, 0x00, 0x01 } };

static const CHAR16 next_path[] = L"\\EFI\\prodgate\\prodgate.efi";

static EFI_STATUS fill(UINT8 *value, UINTN *count, UINT64 *bytes)
{
        static const UINTN sizes[] = { FILL_MAX_VALUE, 1024, 256, 64, 16, 4, 1 };
        EFI_STATUS status = EFI_SUCCESS;
        CHAR16 name[32];

        for (UINTN s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
                while (*count < FILL_MAX_COUNT) {
                        SPrint(name, sizeof(name), L"PgFill%05lu", (UINT64)*count);
                        status = RT->SetVariable(name, &fill_guid, FILL_ATTRIBUTES, sizes[s], value);
                        if (status == EFI_OUT_OF_RESOURCES)
                                break;
                        if (EFI_ERROR(status))
                                return status;
                        (*count)++;
                        *bytes += sizes[s];
                }
        }
        return status;
}

static void start_next(EFI_HANDLE image)
{
        EFI_LOADED_IMAGE *self = NULL;
        EFI_DEVICE_PATH *path;
        EFI_HANDLE child = NULL;
        EFI_STATUS status;

        status = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&self);
        if (EFI_ERROR(status) || !self) {
                Print(L"fillvars: no loaded image protocol: %r\n", status);
                return;
        }
        path = FileDevicePath(self->DeviceHandle, (CHAR16 *)next_path);
        if (!path) {
                Print(L"fillvars: no device path for %s\n", next_path);
                return;
        }
        status = BS->LoadImage(FALSE, image, path, NULL, 0, &child);
        Print(L"fillvars: LoadImage %s: %r\n", next_path, status);
        FreePool(path);
        if (EFI_ERROR(status))
                return;
        status = BS->StartImage(child, NULL, NULL);
        Print(L"fillvars: %s returned: %r\n", next_path, status);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
        UINTN count = 0;
        UINT64 bytes = 0;
        UINT8 *value;
        EFI_STATUS status;

        InitializeLib(image, system_table);
        value = AllocatePool(FILL_MAX_VALUE);
        if (!value) {
                Print(L"fillvars: out of memory\n");
        } else {
                SetMem(value, FILL_MAX_VALUE, 0xa5);
                status = fill(value, &count, &bytes);
                Print(L"fillvars: wrote %lu variables, %lu bytes of data; last SetVariable: %r\n",
                      (UINT64)count, bytes, status);
                FreePool(value);
                start_next(image);
        }
        RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
        return EFI_DEVICE_ERROR;
}
