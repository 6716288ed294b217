/* SPDX-License-Identifier: BSD-2-Clause */
#include "crypto/sha256.h"
#include "gates/pe_hash.h"

#define PE_DOS_LFANEW 0x3c
#define PE_COFF_SIZE 24                 /* "PE\0\0" + IMAGE_FILE_HEADER */
#define PE_COFF_NSECTIONS 6
#define PE_COFF_OPT_SIZE 20
#define PE_OPT_MAGIC_PE32PLUS 0x20b
#define PE_OPT_CHECKSUM 64
#define PE_OPT_SIZE_OF_HEADERS 60
#define PE_OPT_NUM_DIRS 108
#define PE_OPT_DIRS 112
#define PE_DIR_SECURITY 4
#define PE_SECTION_SIZE 40
#define PE_SECTION_RAW_SIZE 16
#define PE_SECTION_RAW_PTR 20

struct pe_layout {
        size_t checksum;                /* offset of CheckSum */
        size_t cert_dir;                /* offset of the certificate table entry */
        size_t headers;                 /* SizeOfHeaders */
        size_t sections;                /* offset of the section table */
        uint32_t nsections;
        uint32_t cert_off;
        uint32_t cert_len;
};

static pg_err pe_parse_headers(const uint8_t *f, size_t len, struct pe_layout *out)
{
        struct pe_layout l = { 0 };
        size_t pe, opt, opt_size;

        if (len < PE_DOS_LFANEW + 4)
                return PG_ERR_PE_TRUNCATED;
        if (f[0] != 'M' || f[1] != 'Z')
                return PG_ERR_PE_BAD_DOS_HEADER;
        pe = pg_load_le32(f + PE_DOS_LFANEW);
        if (pe > len || PE_COFF_SIZE > len - pe)
                return PG_ERR_PE_TRUNCATED;
        if (memcmp(f + pe, "PE\0\0", 4) != 0)
                return PG_ERR_PE_BAD_DOS_HEADER;
        l.nsections = pg_load_le16(f + pe + PE_COFF_NSECTIONS);
        opt_size = pg_load_le16(f + pe + PE_COFF_OPT_SIZE);
        opt = pe + PE_COFF_SIZE;
        if (opt_size < PE_OPT_DIRS + 8 * (PE_DIR_SECURITY + 1) || opt_size > len - opt)
                return PG_ERR_PE_BAD_OPTIONAL_HEADER;
        if (pg_load_le16(f + opt) != PE_OPT_MAGIC_PE32PLUS ||
            pg_load_le32(f + opt + PE_OPT_NUM_DIRS) <= PE_DIR_SECURITY)
                return PG_ERR_PE_BAD_OPTIONAL_HEADER;
        l.checksum = opt + PE_OPT_CHECKSUM;
        l.cert_dir = opt + PE_OPT_DIRS + (size_t)8 * PE_DIR_SECURITY;
        l.cert_off = pg_load_le32(f + l.cert_dir);
        l.cert_len = pg_load_le32(f + l.cert_dir + 4);
        l.headers = pg_load_le32(f + opt + PE_OPT_SIZE_OF_HEADERS);
        l.sections = opt + opt_size;
        if (l.nsections > PG_PE_MAX_SECTIONS)
                return PG_ERR_PE_BAD_SECTIONS;
        if ((size_t)l.nsections * PE_SECTION_SIZE > len - l.sections)
                return PG_ERR_PE_TRUNCATED;
        if (l.headers > len || l.headers < l.sections + (size_t)l.nsections * PE_SECTION_SIZE)
                return PG_ERR_PE_BAD_SECTIONS;
        if (l.cert_len != 0 && (l.cert_off > len || l.cert_len != len - l.cert_off))
                return PG_ERR_PE_BAD_CERT_TABLE;
        *out = l;
        return PG_OK;
}

/*
 * Hashes the sections with raw data in ascending file offset; the table may
 * list them in any order, so each round picks the next larger offset.
 * Returns the number of section bytes hashed in *hashed.
 */
static pg_err pe_hash_sections(struct pg_sha256_ctx *ctx, const uint8_t *f, size_t limit,
                               const struct pe_layout *l, size_t *hashed)
{
        uint64_t last = 0;
        size_t sum = 0;
        size_t pos = l->headers;
        bool first = true;

        for (uint32_t done = 0; done < l->nsections; done++) {
                uint64_t best = UINT64_MAX;
                uint32_t best_size = 0;

                for (uint32_t i = 0; i < l->nsections; i++) {
                        const uint8_t *s = f + l->sections + (size_t)i * PE_SECTION_SIZE;
                        uint32_t size = pg_load_le32(s + PE_SECTION_RAW_SIZE);
                        uint32_t ptr = pg_load_le32(s + PE_SECTION_RAW_PTR);

                        if (size == 0 || (!first && ptr <= last) || ptr >= best)
                                continue;
                        best = ptr;
                        best_size = size;
                }
                if (best == UINT64_MAX)
                        break;
                if (best < pos || best > limit || best_size > limit - best)
                        return PG_ERR_PE_BAD_SECTIONS;
                pg_sha256_update(ctx, f + best, best_size);
                pos = (size_t)best + best_size;
                sum += best_size;
                last = best;
                first = false;
        }
        *hashed = sum;
        return PG_OK;
}

pg_err pg_pe_authenticode_sha256(const uint8_t *f, size_t len, uint8_t out[32])
{
        struct pg_sha256_ctx ctx;
        struct pe_layout l;
        size_t limit, hashed;
        pg_err err;

        err = pe_parse_headers(f, len, &l);
        if (err != PG_OK)
                return err;
        limit = l.cert_len ? l.cert_off : len;
        pg_sha256_init(&ctx);
        pg_sha256_update(&ctx, f, l.checksum);
        pg_sha256_update(&ctx, f + l.checksum + 4, l.cert_dir - (l.checksum + 4));
        pg_sha256_update(&ctx, f + l.cert_dir + 8, l.headers - (l.cert_dir + 8));
        err = pe_hash_sections(&ctx, f, limit, &l, &hashed);
        if (err != PG_OK)
                return err;
        /*
         * As UEFI firmware does: the bytes after the headers' size plus the
         * section sizes, up to the certificate table, are hashed too, even
         * when sections leave gaps between them.
         */
        if (hashed > limit - l.headers)
                return PG_ERR_PE_BAD_SECTIONS;
        hashed += l.headers;
        if (hashed < limit)
                pg_sha256_update(&ctx, f + hashed, limit - hashed);
        pg_sha256_final(&ctx, out);
        return PG_OK;
}
