/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "efi/esp.h"

EFI_STATUS pg_esp_open(EFI_HANDLE image, struct pg_esp *out)
{
        EFI_LOADED_IMAGE *self = NULL;
        EFI_FILE_HANDLE root;
        EFI_STATUS status;

        status = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&self);
        if (EFI_ERROR(status))
                return status;
        if (!self || !self->DeviceHandle)
                return EFI_NOT_FOUND;
        root = LibOpenRoot(self->DeviceHandle);
        if (!root)
                return EFI_NOT_FOUND;
        out->self = self;
        out->device = self->DeviceHandle;
        out->root = root;
        return EFI_SUCCESS;
}

void pg_esp_close(struct pg_esp *esp)
{
        if (esp->root)
                esp->root->Close(esp->root);
        esp->root = NULL;
}

static EFI_STATUS pg_file_size(EFI_FILE_HANDLE fh, UINT64 *size)
{
        EFI_FILE_INFO *info = LibFileInfo(fh);

        if (!info)
                return EFI_DEVICE_ERROR;
        if (info->Attribute & EFI_FILE_DIRECTORY) {
                FreePool(info);
                return EFI_NOT_FOUND;
        }
        *size = info->FileSize;
        FreePool(info);
        return EFI_SUCCESS;
}

/* Reads exactly size bytes; a file that ends early is an error. */
static EFI_STATUS pg_file_read_all(EFI_FILE_HANDLE fh, UINT8 *buf, UINTN size)
{
        UINTN done = 0;

        while (done < size) {
                UINTN chunk = size - done;
                EFI_STATUS status = fh->Read(fh, &chunk, buf + done);

                if (EFI_ERROR(status))
                        return status;
                if (chunk == 0)
                        return EFI_END_OF_FILE;
                done += chunk;
        }
        return EFI_SUCCESS;
}

EFI_STATUS pg_esp_read(const struct pg_esp *esp, const CHAR16 *path, UINTN max, void **buf,
                       UINTN *size)
{
        EFI_FILE_HANDLE fh = NULL;
        UINT64 file_size = 0;
        UINT8 *data;
        EFI_STATUS status;

        status = esp->root->Open(esp->root, &fh, (CHAR16 *)path, EFI_FILE_MODE_READ, 0);
        if (EFI_ERROR(status))
                return status;
        status = pg_file_size(fh, &file_size);
        if (!EFI_ERROR(status) && file_size == 0)
                status = EFI_END_OF_FILE;
        if (!EFI_ERROR(status) && file_size > max)
                status = EFI_BAD_BUFFER_SIZE;
        if (EFI_ERROR(status)) {
                fh->Close(fh);
                return status;
        }
        data = AllocatePool((UINTN)file_size);
        if (!data) {
                fh->Close(fh);
                return EFI_OUT_OF_RESOURCES;
        }
        status = pg_file_read_all(fh, data, (UINTN)file_size);
        fh->Close(fh);
        if (EFI_ERROR(status)) {
                FreePool(data);
                return status;
        }
        *buf = data;
        *size = (UINTN)file_size;
        return EFI_SUCCESS;
}

/* Appends the printable ASCII string s to out[*n...]; false when it does not fit or is not printable. */
static bool pg_path_append(CHAR16 *out, UINTN *n, const char *s)
{
        for (; *s; s++) {
                if (*s < ' ' || *s > '~' || *n + 1 >= PG_ESP_PATH_MAX)
                        return false;
                out[(*n)++] = (CHAR16)(*s == '/' ? '\\' : *s);
        }
        return true;
}

bool pg_esp_path_from_ascii(const char *path, const char *suffix, CHAR16 *out)
{
        UINTN n = 0;

        if (!path || !path[0])
                return false;
        if (!pg_path_append(out, &n, path) || (suffix && !pg_path_append(out, &n, suffix)))
                return false;
        out[n] = 0;
        return true;
}

/* Concatenates the file path nodes of the loaded image's FilePath into out. */
static bool pg_self_file_path(const struct pg_esp *esp, CHAR16 *out)
{
        EFI_DEVICE_PATH *dp = esp->self->FilePath;
        UINTN n = 0;

        for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
                FILEPATH_DEVICE_PATH *fp = (FILEPATH_DEVICE_PATH *)dp;
                UINTN len, chars;

                if (DevicePathType(dp) != MEDIA_DEVICE_PATH || DevicePathSubType(dp) != MEDIA_FILEPATH_DP)
                        continue;
                len = DevicePathNodeLength(dp);
                if (len <= 4)
                        continue;
                chars = (len - 4) / sizeof(CHAR16);
                for (UINTN i = 0; i < chars && fp->PathName[i]; i++) {
                        /* Nodes may or may not carry the separator between them. */
                        if (fp->PathName[i] == '\\' && n > 0 && out[n - 1] == '\\')
                                continue;
                        if (i == 0 && fp->PathName[0] != '\\' && (n == 0 || out[n - 1] != '\\')) {
                                if (n + 1 >= PG_ESP_PATH_MAX)
                                        return false;
                                out[n++] = '\\';
                        }
                        if (n + 1 >= PG_ESP_PATH_MAX)
                                return false;
                        out[n++] = fp->PathName[i];
                }
        }
        out[n] = 0;
        return n > 0;
}

bool pg_esp_self_path(const struct pg_esp *esp, CHAR16 *out)
{
        return pg_self_file_path(esp, out);
}

bool pg_esp_path_beside_self(const struct pg_esp *esp, const CHAR16 *name, CHAR16 *out)
{
        UINTN n, cut = 0;

        if (!pg_self_file_path(esp, out))
                return false;
        for (n = 0; out[n]; n++)
                if (out[n] == '\\')
                        cut = n + 1;
        for (n = 0; name[n]; n++) {
                if (cut + n + 1 >= PG_ESP_PATH_MAX)
                        return false;
                out[cut + n] = name[n];
        }
        out[cut + n] = 0;
        return true;
}
