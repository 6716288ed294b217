/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The next stage of the boot-overhead benchmark: an EFI application padded
 * to BIGSTAGE_MIB MiB with a data array, so loading it costs what loading a
 * large kernel costs. It prints "bigstage: started" and powers off.
 */
#include <efi.h>
#include <efilib.h>

#ifndef BIGSTAGE_MIB
#define BIGSTAGE_MIB 64
#endif

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table);

/* Leaves room for the code and headers within BIGSTAGE_MIB. */
static const volatile UINT8 bigstage_pad[(UINTN)BIGSTAGE_MIB * 1024 * 1024 - (UINTN)64 * 1024]
        __attribute__((used)) = { 1 };

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system_table)
{
        InitializeLib(image, system_table);
        Print(L"bigstage: started (%d)\n", (int)bigstage_pad[0]);
        RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
        return EFI_SUCCESS;
}
