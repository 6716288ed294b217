/* SPDX-License-Identifier: BSD-2-Clause */
#include <efi.h>
#include <efilib.h>

#include "efi/console.h"
#include "efi/tpm_report.h"

/* A bounded, always NUL-terminated ASCII string builder; overflow truncates. */
struct pg_text {
        char *buf;
        size_t size;
        size_t len;
};

static void pg_text_append(struct pg_text *text, const char *s)
{
        while (*s && text->len + 1 < text->size)
                text->buf[text->len++] = *s++;
        text->buf[text->len] = '\0';
}

static void pg_text_append_hex32(struct pg_text *text, uint32_t value)
{
        static const char digits[] = "0123456789abcdef";
        char hex[11] = "0x";

        for (int i = 0; i < 8; i++)
                hex[2 + i] = digits[(value >> (28 - 4 * i)) & 0xf];
        hex[10] = '\0';
        pg_text_append(text, hex);
}

/*
 * Writes the names of the set bits, comma-separated, into buf. Bits without
 * a name are appended together as one hex value; no bits gives "none".
 */
static void pg_format_bits(char *buf, size_t size, uint32_t bits, const char *(*name)(uint32_t))
{
        struct pg_text text = { buf, size, 0 };
        uint32_t unnamed = 0;

        buf[0] = '\0';
        for (int i = 0; i < 32; i++) {
                uint32_t bit = (uint32_t)1 << i;
                const char *bit_name;

                if (!(bits & bit))
                        continue;
                bit_name = name(bit);
                if (!bit_name) {
                        unnamed |= bit;
                        continue;
                }
                if (text.len)
                        pg_text_append(&text, ",");
                pg_text_append(&text, bit_name);
        }
        if (unnamed) {
                if (text.len)
                        pg_text_append(&text, ",");
                pg_text_append_hex32(&text, unnamed);
        }
        if (!text.len)
                pg_text_append(&text, "none");
}

/*
 * Writes the TPM vendor id as text ("IBM" for swtpm): four ASCII bytes,
 * trailing NULs and spaces dropped. Returns false and leaves buf empty when
 * a byte is not printable ASCII.
 *
 * NOTE: the bytes are taken in memory order. EDK2 (OVMF 2022.11) stores
 * TPM_PT_MANUFACTURER without converting it from big-endian, so swtpm's
 * "IBM\0" reads as 0x004d4249; firmware that converts it would show the
 * name reversed.
 */
static bool pg_format_manufacturer(char buf[5], uint32_t id)
{
        int len = 4;

        buf[0] = '\0';
        while (len > 0) {
                char c = (char)(id >> (8 * (len - 1)));

                if (c != '\0' && c != ' ')
                        break;
                len--;
        }
        for (int i = 0; i < len; i++) {
                char c = (char)(id >> (8 * i));

                if (c <= ' ' || c > '~') {
                        buf[0] = '\0';
                        return false;
                }
                buf[i] = c;
        }
        buf[len] = '\0';
        return len > 0;
}

void pg_report_tpm(EFI_STATUS status, const struct pg_tcg2_capability *caps)
{
        char text[96];
        char manufacturer[5];
        struct pg_text id;

        if (status == EFI_NOT_FOUND) {
                pg_report(L"tpm present=0");
                return;
        }
        if (EFI_ERROR(status)) {
                pg_report(L"tpm present=unknown");
                return;
        }
        pg_report(L"tpm present=%d structure=%d.%d protocol=%d.%d", caps->tpm_present ? 1 : 0,
                  caps->structure_version.Major, caps->structure_version.Minor,
                  caps->protocol_version.Major, caps->protocol_version.Minor);
        if (!caps->tpm_present)
                return;

        pg_format_bits(text, sizeof(text), caps->supported_banks, pg_tcg2_bank_name);
        pg_report(L"tpm banks-supported=%a", text);
        if (caps->active_banks_known) {
                pg_format_bits(text, sizeof(text), caps->active_banks, pg_tcg2_bank_name);
                pg_report(L"tpm banks-active=%a pcr-banks=%u", text, caps->number_of_banks);
        } else {
                pg_report(L"tpm banks-active=unknown");
        }
        pg_format_bits(text, sizeof(text), caps->supported_log_formats, pg_tcg2_log_format_name);
        pg_report(L"tpm log-formats=%a", text);
        pg_report(L"tpm max-command=%u max-response=%u", caps->max_command_size,
                  caps->max_response_size);

        id = (struct pg_text){ text, sizeof(text), 0 };
        pg_text_append_hex32(&id, caps->manufacturer_id);
        if (pg_format_manufacturer(manufacturer, caps->manufacturer_id)) {
                pg_text_append(&id, " manufacturer-name=");
                pg_text_append(&id, manufacturer);
        }
        pg_report(L"tpm manufacturer=%a", text);
}
