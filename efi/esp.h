/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files on the ESP prodgate.efi was loaded from: the volume of its
 * EFI_LOADED_IMAGE DeviceHandle, opened through EFI_SIMPLE_FILE_SYSTEM.
 * Paths are ESP paths with backslashes, e.g. "\EFI\BOOT\manifest.pgm".
 */
#ifndef PG_EFI_ESP_H
#define PG_EFI_ESP_H

#include <efi.h>

#include "pg/platform.h"

/* Longest ESP path handled, in characters. */
#define PG_ESP_PATH_MAX 256

struct pg_esp {
        EFI_LOADED_IMAGE *self;
        EFI_HANDLE device;
        EFI_FILE_HANDLE root;
};

/* Opens the volume this image was loaded from. */
EFI_STATUS pg_esp_open(EFI_HANDLE image, struct pg_esp *out);

void pg_esp_close(struct pg_esp *esp);

/*
 * Reads a whole file into a pool buffer that the caller frees with
 * FreePool. EFI_NOT_FOUND when the file does not exist, EFI_END_OF_FILE
 * when it is empty, EFI_BAD_BUFFER_SIZE when it is larger than max bytes.
 * *buf and *size are written only on success.
 */
EFI_STATUS pg_esp_read(const struct pg_esp *esp, const CHAR16 *path, UINTN max, void **buf,
                       UINTN *size);

/*
 * Converts an ASCII ESP path into out (PG_ESP_PATH_MAX characters). Returns
 * false for a path that is too long, empty or has a non-printable byte.
 */
bool pg_esp_path_from_ascii(const char *path, const char *suffix, CHAR16 *out);

/*
 * Writes the folder of this image's file path, with its trailing backslash,
 * followed by name, into out. Returns false when the loaded image has no
 * file path.
 */
bool pg_esp_path_beside_self(const struct pg_esp *esp, const CHAR16 *name, CHAR16 *out);

/*
 * Writes this image's own file path into out, for reading the image back
 * from the ESP. Returns false when the loaded image has no file path.
 */
bool pg_esp_self_path(const struct pg_esp *esp, CHAR16 *out);

#endif
