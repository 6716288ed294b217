/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TPM 2.0 command marshalling: every command built against its TPM 2.0
 * Library Part 3 layout byte for byte, every response parser fed responses
 * captured from swtpm 0.7.1 and then broken one field at a time, and the
 * round-trip functions (the PCR_Read loop above all) driven by a scripted TPM.
 */
#include "test.h"
#include "tpm/tpm2_cmd.h"

/* ---- helpers ------------------------------------------------------------- */

struct buf {
        uint8_t b[PG_TPM2_RSP_MAX];
        size_t len;
};

static void load(struct buf *r, const char *hex)
{
        long n = test_unhex(hex, r->b, sizeof(r->b));

        if (n < 0) {
                fprintf(stderr, "bad hex fixture in %s\n", test_current);
                exit(2);
        }
        r->len = (size_t)n;
}

static void set16(struct buf *r, size_t off, uint16_t v)
{
        r->b[off] = (uint8_t)(v >> 8);
        r->b[off + 1] = (uint8_t)v;
}

static void set32(struct buf *r, size_t off, uint32_t v)
{
        r->b[off] = (uint8_t)(v >> 24);
        r->b[off + 1] = (uint8_t)(v >> 16);
        r->b[off + 2] = (uint8_t)(v >> 8);
        r->b[off + 3] = (uint8_t)v;
}

/* Sets responseSize to the buffer length, after a field change that moved it. */
static void fix_size(struct buf *r)
{
        set32(r, 2, (uint32_t)r->len);
}

/* Inserts one byte at off and fixes responseSize. */
static void insert_byte(struct buf *r, size_t off, uint8_t v)
{
        memmove(r->b + off + 1, r->b + off, r->len - off);
        r->b[off] = v;
        r->len++;
        fix_size(r);
}

/* Drops the last n bytes and fixes responseSize. */
static void cut(struct buf *r, size_t n)
{
        r->len -= n;
        fix_size(r);
}

static void check_hex(const uint8_t *got, size_t got_len, const char *hex)
{
        uint8_t want[PG_TPM2_CMD_MAX];
        long n = test_unhex(hex, want, sizeof(want));

        CHECK_INT(got_len, n);
        if ((long)got_len == n)
                CHECK_MEM(got, want, got_len);
}

/* ---- fixtures: responses of swtpm 0.7.1 ---------------------------------- */

/* PCR_Read of SHA-256 PCRs 0-23: counter 0x15, PCRs 0-7 returned, PCR 5 extended. */
static const char pcr_read_rsp[] =
        "80010000012c00000000" "00000015" "00000001000b03ff0000" "00000008"
        "00200000000000000000000000000000000000000000000000000000000000000000"
        "00200000000000000000000000000000000000000000000000000000000000000000"
        "00200000000000000000000000000000000000000000000000000000000000000000"
        "00200000000000000000000000000000000000000000000000000000000000000000"
        "00200000000000000000000000000000000000000000000000000000000000000000"
        "002090f4b39548df55ad6187a1d20d731ecee78c545b94afd16f42ef7592d99cd365"
        "00200000000000000000000000000000000000000000000000000000000000000000"
        "00200000000000000000000000000000000000000000000000000000000000000000";
static const char pcr5_hex[] = "90f4b39548df55ad6187a1d20d731ecee78c545b94afd16f42ef7592d99cd365";

/* GetCapability(TPM_CAP_PCRS): SHA-1, SHA-256, SHA-384, SHA-512, all 24 PCRs. */
static const char banks_rsp[] =
        "80010000002b00000000" "00" "00000005" "00000004"
        "000403ffffff" "000b03ffffff" "000c03ffffff" "000d03ffffff";

/* NV_ReadPublic of 0x01000100 after a write and WriteLock. */
static const char nv_public_rsp[] =
        "80010000003e00000000" "000e" "01000100" "000b" "22044804" "0000" "0008"
        "0022000b452535bba696f8714c2bb840b75d117810c38414fbfc1867d3910132406d40dc";

/* NV_Read of 8 bytes holding 5. */
static const char nv_read_rsp[] =
        "80020000001d00000000" "0000000a" "0008" "0000000000000005" "0000010000";

/* NV_Write or NV_WriteLock success. */
static const char nv_write_rsp[] = "8002000000130000000000000000" "0000010000";

/* ---- command builders ---------------------------------------------------- */

TEST(build_pcr_read_golden)
{
        uint8_t cmd[PG_TPM2_CMD_MAX];
        size_t len = 0;

        /* tag, size 20, TPM_CC_PCR_Read, count 1, TPM_ALG_SHA256, sizeofSelect 3, bitmap */
        CHECK_ERR(pg_tpm2_build_pcr_read(cmd, sizeof(cmd), PG_TPM2_PCR_MASK_ALL, &len), PG_OK);
        check_hex(cmd, len, "8001" "00000014" "0000017e" "00000001" "000b" "03" "ffffff");
        CHECK_ERR(pg_tpm2_build_pcr_read(cmd, sizeof(cmd), 1u << 0 | 1u << 13 | 1u << 23, &len),
                  PG_OK);
        check_hex(cmd, len, "8001" "00000014" "0000017e" "00000001" "000b" "03" "012080");
}

TEST(build_pcr_read_errors)
{
        uint8_t cmd[PG_TPM2_CMD_MAX];
        size_t len = 77;

        CHECK_ERR(pg_tpm2_build_pcr_read(cmd, sizeof(cmd), 0, &len), PG_ERR_TPM_PCR_MASK_EMPTY);
        CHECK_ERR(pg_tpm2_build_pcr_read(cmd, sizeof(cmd), 1u << 24, &len),
                  PG_ERR_TPM_PCR_MASK_RANGE);
        CHECK_ERR(pg_tpm2_build_pcr_read(cmd, 19, 1, &len), PG_ERR_TPM_CMD_BUFFER_SMALL);
        CHECK_ERR(pg_tpm2_build_pcr_read(NULL, 64, 1, &len), PG_ERR_TPM_CMD_BUFFER_SMALL);
        CHECK_INT(len, 77);
        CHECK_ERR(pg_tpm2_build_pcr_read(cmd, 20, 1, &len), PG_OK);
        CHECK_INT(len, 20);
}

TEST(build_get_pcr_banks_golden)
{
        uint8_t cmd[PG_TPM2_CMD_MAX];
        size_t len = 0;

        /* TPM_CAP_PCRS, property 0, propertyCount 1 */
        CHECK_ERR(pg_tpm2_build_get_pcr_banks(cmd, sizeof(cmd), &len), PG_OK);
        check_hex(cmd, len, "8001" "00000016" "0000017a" "00000005" "00000000" "00000001");
        CHECK_ERR(pg_tpm2_build_get_pcr_banks(cmd, 21, &len), PG_ERR_TPM_CMD_BUFFER_SMALL);
}

TEST(build_nv_read_public_golden)
{
        uint8_t cmd[PG_TPM2_CMD_MAX];
        size_t len = 0;

        CHECK_ERR(pg_tpm2_build_nv_read_public(cmd, sizeof(cmd), 0x01000100, &len), PG_OK);
        check_hex(cmd, len, "8001" "0000000e" "00000169" "01000100");
        CHECK_ERR(pg_tpm2_build_nv_read_public(cmd, sizeof(cmd), 0x81000001, &len),
                  PG_ERR_TPM_NV_HANDLE_RANGE);
        CHECK_ERR(pg_tpm2_build_nv_read_public(cmd, sizeof(cmd), 0x00ffffff, &len),
                  PG_ERR_TPM_NV_HANDLE_RANGE);
        CHECK_ERR(pg_tpm2_build_nv_read_public(cmd, 13, 0x01000100, &len),
                  PG_ERR_TPM_CMD_BUFFER_SMALL);
}

/* Handles, authorizationSize 9 and the TPM_RS_PW session with empty nonce and password. */
#define NV_AUTH_HEX "01000100" "01000100" "00000009" "40000009" "0000" "00" "0000"

TEST(build_nv_read_golden)
{
        uint8_t cmd[PG_TPM2_CMD_MAX];
        size_t len = 0;

        /* parameters: size 8, offset 0 */
        CHECK_ERR(pg_tpm2_build_nv_read(cmd, sizeof(cmd), 0x01000100, 0, 8, &len), PG_OK);
        check_hex(cmd, len, "8002" "00000023" "0000014e" NV_AUTH_HEX "0008" "0000");
        CHECK_ERR(pg_tpm2_build_nv_read(cmd, sizeof(cmd), 0x01000100, 0x0102, 4, &len), PG_OK);
        check_hex(cmd, len, "8002" "00000023" "0000014e" NV_AUTH_HEX "0004" "0102");
}

TEST(build_nv_write_golden)
{
        static const uint8_t data[8] = { 0, 0, 0, 0, 0, 0, 0x01, 0x23 };
        uint8_t cmd[PG_TPM2_CMD_MAX];
        size_t len = 0;

        /* parameters: TPM2B_MAX_NV_BUFFER (size 8, data), offset 0 */
        CHECK_ERR(pg_tpm2_build_nv_write(cmd, sizeof(cmd), 0x01000100, 0, data, 8, &len), PG_OK);
        check_hex(cmd, len,
                  "8002" "0000002b" "00000137" NV_AUTH_HEX "0008" "0000000000000123" "0000");
        CHECK_ERR(pg_tpm2_build_nv_write(cmd, sizeof(cmd), 0x01000100, 6, data + 6, 2, &len),
                  PG_OK);
        check_hex(cmd, len, "8002" "00000025" "00000137" NV_AUTH_HEX "0002" "0123" "0006");
}

TEST(build_nv_write_lock_golden)
{
        uint8_t cmd[PG_TPM2_CMD_MAX];
        size_t len = 0;

        CHECK_ERR(pg_tpm2_build_nv_write_lock(cmd, sizeof(cmd), 0x01000100, &len), PG_OK);
        check_hex(cmd, len, "8002" "0000001f" "00000138" NV_AUTH_HEX);
        CHECK_ERR(pg_tpm2_build_nv_write_lock(cmd, 30, 0x01000100, &len),
                  PG_ERR_TPM_CMD_BUFFER_SMALL);
        CHECK_ERR(pg_tpm2_build_nv_write_lock(cmd, sizeof(cmd), 0x40000001, &len),
                  PG_ERR_TPM_NV_HANDLE_RANGE);
}

TEST(build_nv_span_errors)
{
        uint8_t cmd[PG_TPM2_CMD_MAX], data[PG_TPM2_NV_DATA_MAX + 1];
        size_t len = 77;

        memset(data, 0, sizeof(data));
        CHECK_ERR(pg_tpm2_build_nv_read(cmd, sizeof(cmd), 0x01000100, 0, 0, &len),
                  PG_ERR_TPM_NV_LENGTH);
        CHECK_ERR(pg_tpm2_build_nv_read(cmd, sizeof(cmd), 0x01000100, 0, PG_TPM2_NV_DATA_MAX + 1,
                                        &len), PG_ERR_TPM_NV_LENGTH);
        CHECK_ERR(pg_tpm2_build_nv_read(cmd, sizeof(cmd), 0x01000100, 0xfff9, 8, &len),
                  PG_ERR_TPM_NV_OFFSET);
        CHECK_ERR(pg_tpm2_build_nv_read(cmd, 34, 0x01000100, 0, 8, &len),
                  PG_ERR_TPM_CMD_BUFFER_SMALL);
        CHECK_ERR(pg_tpm2_build_nv_read(cmd, sizeof(cmd), 0x02000000, 0, 8, &len),
                  PG_ERR_TPM_NV_HANDLE_RANGE);
        CHECK_ERR(pg_tpm2_build_nv_write(cmd, sizeof(cmd), 0x01000100, 0, data, 0, &len),
                  PG_ERR_TPM_NV_LENGTH);
        CHECK_ERR(pg_tpm2_build_nv_write(cmd, sizeof(cmd), 0x01000100, 0, data,
                                         PG_TPM2_NV_DATA_MAX + 1, &len), PG_ERR_TPM_NV_LENGTH);
        CHECK_ERR(pg_tpm2_build_nv_write(cmd, sizeof(cmd), 0x01000100, 0xfff8, data, 8, &len),
                  PG_ERR_TPM_NV_OFFSET);
        CHECK_ERR(pg_tpm2_build_nv_write(cmd, 42, 0x01000100, 0, data, 8, &len),
                  PG_ERR_TPM_CMD_BUFFER_SMALL);
        CHECK_INT(len, 77);
        CHECK_ERR(pg_tpm2_build_nv_write(cmd, sizeof(cmd), 0x01000100, 0xfff7, data, 8, &len),
                  PG_OK);
        CHECK_INT(len, 43);
        CHECK_ERR(pg_tpm2_build_nv_write(cmd, sizeof(cmd), 0x01000100, 0, data,
                                         PG_TPM2_NV_DATA_MAX, &len), PG_OK);
        CHECK_INT(len, 35 + PG_TPM2_NV_DATA_MAX);
}

/* ---- response header ----------------------------------------------------- */

TEST(response_size)
{
        struct buf r;
        size_t n = 0;

        load(&r, nv_write_rsp);
        CHECK_ERR(pg_tpm2_response_size(r.b, sizeof(r.b), &n), PG_OK);
        CHECK_INT(n, 19);
        CHECK_ERR(pg_tpm2_response_size(r.b, 19, &n), PG_OK);
        CHECK_ERR(pg_tpm2_response_size(r.b, 18, &n), PG_ERR_TPM_RSP_SIZE_OVER);
        CHECK_ERR(pg_tpm2_response_size(r.b, 9, &n), PG_ERR_TPM_RSP_SHORT);
        set32(&r, 2, 9);
        CHECK_ERR(pg_tpm2_response_size(r.b, sizeof(r.b), &n), PG_ERR_TPM_RSP_SIZE_UNDER);
        CHECK_INT(n, 19);
}

TEST(rc_mapping)
{
        static const struct {
                uint32_t rc;
                pg_err err;
        } cases[] = {
                { 0x000, PG_OK },
                { 0x100, PG_ERR_TPM_RC_INITIALIZE },
                { 0x101, PG_ERR_TPM_RC_FAILURE },
                { 0x12f, PG_ERR_TPM_RC_AUTH_UNAVAILABLE },
                { 0x143, PG_ERR_TPM_RC_COMMAND_CODE },
                { 0x146, PG_ERR_TPM_RC_NV_RANGE },
                { 0x147, PG_ERR_TPM_RC_OTHER },                 /* TPM_RC_NV_SIZE */
                { 0x148, PG_ERR_TPM_RC_NV_LOCKED },
                { 0x149, PG_ERR_TPM_RC_NV_AUTHORIZATION },
                { 0x14a, PG_ERR_TPM_RC_NV_UNINITIALIZED },
                { 0x18b, PG_ERR_TPM_RC_HANDLE },                /* handle 1 */
                { 0x28b, PG_ERR_TPM_RC_HANDLE },                /* handle 2 */
                { 0x08b, PG_ERR_TPM_RC_HANDLE },
                { 0x98e, PG_ERR_TPM_RC_AUTH_FAIL },             /* session 1 */
                { 0x9a2, PG_ERR_TPM_RC_AUTH_FAIL },             /* TPM_RC_BAD_AUTH, session 1 */
                { 0x1c3, PG_ERR_TPM_RC_HASH },                  /* parameter 1 */
                { 0x182, PG_ERR_TPM_RC_ATTRIBUTES },
                { 0x99a, PG_ERR_TPM_RC_OTHER },
                { 0x921, PG_ERR_TPM_RC_LOCKOUT },
                { 0x908, PG_ERR_TPM_RC_RETRY },
                { 0x909, PG_ERR_TPM_RC_RETRY },
                { 0x90a, PG_ERR_TPM_RC_RETRY },
                { 0x920, PG_ERR_TPM_RC_RETRY },
                { 0x922, PG_ERR_TPM_RC_RETRY },
                { 0x923, PG_ERR_TPM_RC_RETRY },
                { 0x01e, PG_ERR_TPM_RC_OTHER },                 /* TPM_RC_BAD_TAG */
                { 0x80001, PG_ERR_TPM_RC_OTHER },               /* a software layer's code */
                { 0xffffffff, PG_ERR_TPM_RC_OTHER },
        };

        for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
                pg_err err = pg_tpm2_rc_err(cases[i].rc);

                if (err != cases[i].err)
                        test_report(__FILE__, __LINE__, "rc 0x%x maps to %s, expected %s",
                                    cases[i].rc, test_err_name(err),
                                    test_err_name(cases[i].err));
        }
}

TEST(header_faults)
{
        struct pg_tpm2_pcr_values v;
        uint32_t rc = 0x55;
        struct buf r;

        load(&r, pcr_read_rsp);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, 9, 0xffffff, &v, &rc), PG_ERR_TPM_RSP_SHORT);
        CHECK_ERR(pg_tpm2_parse_pcr_read(NULL, 0, 0xffffff, &v, &rc), PG_ERR_TPM_RSP_SHORT);
        set16(&r, 0, 0x8003);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0xffffff, &v, &rc), PG_ERR_TPM_RSP_TAG);
        set16(&r, 0, PG_TPM2_ST_SESSIONS);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0xffffff, &v, &rc),
                  PG_ERR_TPM_RSP_TAG_MISMATCH);
        set16(&r, 0, PG_TPM2_ST_RSP_COMMAND);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0xffffff, &v, &rc),
                  PG_ERR_TPM_RSP_TAG_MISMATCH);
        load(&r, pcr_read_rsp);
        set32(&r, 2, (uint32_t)r.len + 1);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0xffffff, &v, &rc),
                  PG_ERR_TPM_RSP_SIZE_OVER);
        set32(&r, 2, (uint32_t)r.len - 1);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0xffffff, &v, &rc),
                  PG_ERR_TPM_RSP_SIZE_UNDER);
        set32(&r, 2, 0);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0xffffff, &v, &rc),
                  PG_ERR_TPM_RSP_SIZE_UNDER);
        CHECK_INT(rc, 0x55);
}

TEST(error_responses)
{
        struct pg_tpm2_pcr_values v;
        uint32_t rc = 0;
        struct buf r;

        load(&r, "80010000000a00000148");
        CHECK_ERR(pg_tpm2_parse_nv_write(r.b, r.len, &rc), PG_ERR_TPM_RC_NV_LOCKED);
        CHECK_INT(rc, 0x148);
        CHECK_ERR(pg_tpm2_parse_nv_write(r.b, r.len, NULL), PG_ERR_TPM_RC_NV_LOCKED);
        /* TPM_RC_BAD_TAG comes with TPM_ST_RSP_COMMAND */
        load(&r, "00c40000000a0000001e");
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 1, &v, &rc), PG_ERR_TPM_RC_OTHER);
        CHECK_INT(rc, 0x1e);
        rc = 0x55;
        load(&r, "80020000000a00000148");
        CHECK_ERR(pg_tpm2_parse_nv_write(r.b, r.len, &rc), PG_ERR_TPM_RSP_ERROR_TAG);
        load(&r, "80010000000b0000014800");
        CHECK_ERR(pg_tpm2_parse_nv_write(r.b, r.len, &rc), PG_ERR_TPM_RSP_ERROR_BODY);
        load(&r, pcr_read_rsp);
        set32(&r, 6, 0x101);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0xffffff, &v, &rc),
                  PG_ERR_TPM_RSP_ERROR_BODY);
        CHECK_INT(rc, 0x55);
}

/* ---- PCR_Read ------------------------------------------------------------ */

TEST(pcr_read_ok)
{
        struct pg_tpm2_pcr_values v;
        uint8_t pcr5[32], zero[32] = { 0 };
        uint32_t rc = 0x55;
        struct buf r;

        load(&r, pcr_read_rsp);
        CHECK_INT(test_unhex(pcr5_hex, pcr5, sizeof(pcr5)), 32);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, PG_TPM2_PCR_MASK_ALL, &v, &rc), PG_OK);
        CHECK_INT(rc, 0);
        CHECK_INT(v.mask, 0xff);
        CHECK_INT(v.update_counter, 0x15);
        CHECK_MEM(v.digest[5], pcr5, 32);
        CHECK_MEM(v.digest[4], zero, 32);
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0xff, &v, NULL), PG_OK);
}

/* A response returning only PCR 3, then one returning none (bank not allocated). */
TEST(pcr_read_fewer)
{
        struct pg_tpm2_pcr_values v;
        uint32_t rc;
        struct buf r;

        load(&r, "80010000003e00000000" "00000016" "00000001000b03080000" "00000001"
                  "0020aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0x0f, &v, &rc), PG_OK);
        CHECK_INT(v.mask, 0x08);
        CHECK_INT(v.digest[3][31], 0xaa);
        load(&r, "80010000001c00000000" "00000016" "00000001000b03000000" "00000000");
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0x0f, &v, &rc), PG_OK);
        CHECK_INT(v.mask, 0);
        load(&r, "80010000001600000000" "00000016" "00000000" "00000000");
        CHECK_ERR(pg_tpm2_parse_pcr_read(r.b, r.len, 0x0f, &v, &rc), PG_OK);
        CHECK_INT(v.mask, 0);
}

static pg_err parse_pcr(struct buf *r, uint32_t mask)
{
        struct pg_tpm2_pcr_values v, before;
        uint32_t rc = 0x55;
        pg_err err;

        memset(&v, 0xa5, sizeof(v));
        before = v;
        err = pg_tpm2_parse_pcr_read(r->b, r->len, mask, &v, &rc);
        if (err != PG_OK) {
                CHECK(memcmp(&v, &before, sizeof(v)) == 0);
                CHECK_INT(rc, 0x55);
        }
        return err;
}

/* Offsets in pcr_read_rsp. */
#define PCR_COUNTER 10
#define PCR_SEL_COUNT 14
#define PCR_SEL_HASH 18
#define PCR_SEL_SIZE 20
#define PCR_SEL_BITS 21
#define PCR_DIGEST_COUNT 24
#define PCR_DIGEST0 28

TEST(pcr_read_faults)
{
        struct buf r;

        load(&r, pcr_read_rsp);
        CHECK_ERR(parse_pcr(&r, 0), PG_ERR_TPM_PCR_MASK_EMPTY);
        CHECK_ERR(parse_pcr(&r, 0x1000000), PG_ERR_TPM_PCR_MASK_RANGE);
        CHECK_ERR(parse_pcr(&r, 0x7f), PG_ERR_TPM_PCR_NOT_REQUESTED);

        set32(&r, PCR_SEL_COUNT, 2);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_SELECTION_COUNT);
        load(&r, pcr_read_rsp);
        set16(&r, PCR_SEL_HASH, PG_TPM2_ALG_SHA1);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_SELECTION_HASH);
        load(&r, pcr_read_rsp);
        r.b[PCR_SEL_SIZE] = 5;
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_SELECT_SIZE);
        load(&r, pcr_read_rsp);
        r.b[PCR_SEL_BITS + 2] = 0x80;   /* PCR 23 selected, one digest short */
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_DIGEST_COUNT);

        load(&r, pcr_read_rsp);
        set32(&r, PCR_DIGEST_COUNT, 9);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_DIGEST_COUNT_CAP);
        set32(&r, PCR_DIGEST_COUNT, 0xffffffff);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_DIGEST_COUNT_CAP);
        set32(&r, PCR_DIGEST_COUNT, 7);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_DIGEST_COUNT);

        load(&r, pcr_read_rsp);
        set16(&r, PCR_DIGEST0 + 34 * 5, 20);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_DIGEST_SIZE);
        load(&r, pcr_read_rsp);
        cut(&r, 10);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_DIGEST_TRUNCATED);
        load(&r, pcr_read_rsp);
        cut(&r, 32);                    /* only the last digest's size is left */
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_PCR_DIGEST_TRUNCATED);
        load(&r, pcr_read_rsp);
        cut(&r, 33);                    /* half of the last digest's size */
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_RSP_TRUNCATED);
        load(&r, pcr_read_rsp);
        cut(&r, 34);                    /* the last digest is missing */
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_RSP_TRUNCATED);
        load(&r, pcr_read_rsp);
        r.len = PCR_COUNTER + 2;
        fix_size(&r);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_RSP_TRUNCATED);
        load(&r, pcr_read_rsp);
        r.len = PCR_SEL_BITS + 1;
        fix_size(&r);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_RSP_TRUNCATED);

        load(&r, pcr_read_rsp);
        insert_byte(&r, r.len, 0);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_RSP_TRAILING);
        load(&r, pcr_read_rsp);
        set32(&r, 6, 0x148);
        CHECK_ERR(parse_pcr(&r, 0xffffff), PG_ERR_TPM_RSP_ERROR_BODY);
}

/* ---- GetCapability(TPM_CAP_PCRS) ----------------------------------------- */

TEST(banks_ok)
{
        struct pg_tpm2_pcr_banks b;
        uint32_t rc = 0x55;
        struct buf r;

        load(&r, banks_rsp);
        CHECK_ERR(pg_tpm2_parse_get_pcr_banks(r.b, r.len, &b, &rc), PG_OK);
        CHECK_INT(rc, 0);
        CHECK_INT(b.count, 4);
        CHECK_INT(b.bank[0].hash, PG_TPM2_ALG_SHA1);
        CHECK_INT(b.bank[1].hash, PG_TPM2_ALG_SHA256);
        CHECK_INT(b.bank[1].mask, 0xffffff);
        CHECK_INT(b.bank[3].hash, PG_TPM2_ALG_SHA512);
        /* an allocated but empty bank and a 4-byte bitmap are well formed */
        load(&r, "80010000001d00000000" "00" "00000005" "00000002" "000400" "000b0401000080");
        CHECK_ERR(pg_tpm2_parse_get_pcr_banks(r.b, r.len, &b, &rc), PG_OK);
        CHECK_INT(b.count, 2);
        CHECK_INT(b.bank[0].mask, 0);
        CHECK_INT(b.bank[1].mask, 0x80000001);
}

static pg_err parse_banks(struct buf *r)
{
        struct pg_tpm2_pcr_banks b;
        uint32_t rc = 0x55;
        pg_err err;

        memset(&b, 0xa5, sizeof(b));
        err = pg_tpm2_parse_get_pcr_banks(r->b, r->len, &b, &rc);
        if (err != PG_OK) {
                CHECK_FILLED(&b, 0xa5, sizeof(b));
                CHECK_INT(rc, 0x55);
        }
        return err;
}

TEST(banks_faults)
{
        struct buf r;

        load(&r, banks_rsp);
        r.b[10] = 1;
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_CAP_MORE_DATA);
        r.b[10] = 2;
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_CAP_MORE_DATA);
        load(&r, banks_rsp);
        set32(&r, 11, 6);
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_CAP_TYPE);
        load(&r, banks_rsp);
        set32(&r, 15, PG_TPM2_BANKS_MAX + 1);
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_PCR_SELECTION_COUNT);
        set32(&r, 15, 5);
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_RSP_TRUNCATED);
        set32(&r, 15, 3);
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_RSP_TRAILING);
        load(&r, banks_rsp);
        set16(&r, 19 + 12, PG_TPM2_ALG_SHA1);
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_CAP_BANK_DUPLICATE);
        load(&r, banks_rsp);
        r.b[19 + 6 + 2] = 5;
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_PCR_SELECT_SIZE);
        load(&r, banks_rsp);
        cut(&r, 1);
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_RSP_TRUNCATED);
        load(&r, banks_rsp);
        insert_byte(&r, r.len, 0);
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_RSP_TRAILING);
        load(&r, banks_rsp);
        set16(&r, 0, PG_TPM2_ST_SESSIONS);
        CHECK_ERR(parse_banks(&r), PG_ERR_TPM_RSP_TAG_MISMATCH);
}

/* ---- NV_ReadPublic ------------------------------------------------------- */

TEST(nv_public_ok)
{
        struct pg_tpm2_nv_public pub;
        uint32_t rc = 0x55;
        struct buf r;

        load(&r, nv_public_rsp);
        CHECK_ERR(pg_tpm2_parse_nv_read_public(r.b, r.len, 0x01000100, &pub, &rc), PG_OK);
        CHECK_INT(rc, 0);
        CHECK_INT(pub.index, 0x01000100);
        CHECK_INT(pub.name_alg, PG_TPM2_ALG_SHA256);
        CHECK_INT(pub.attributes, 0x22044804);
        CHECK_INT(pub.attributes & PG_TPMA_NV_WRITELOCKED, PG_TPMA_NV_WRITELOCKED);
        CHECK_INT(pub.auth_policy_len, 0);
        CHECK_INT(pub.data_size, 8);
        CHECK_INT(pub.name_len, 34);
        CHECK_INT(pub.name[0], 0x00);
        CHECK_INT(pub.name[1], 0x0b);
        CHECK_INT(pub.name[33], 0xdc);
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100), PG_OK);

        /* with a SHA-256 authPolicy */
        load(&r, nv_public_rsp);
        set16(&r, 10, 14 + 32);
        set16(&r, 22, 32);
        for (int i = 0; i < 32; i++)
                insert_byte(&r, 24, (uint8_t)i);
        CHECK_ERR(pg_tpm2_parse_nv_read_public(r.b, r.len, 0x01000100, &pub, &rc), PG_OK);
        CHECK_INT(pub.auth_policy_len, 32);
        CHECK_INT(pub.auth_policy[0], 31);
        CHECK_INT(pub.data_size, 8);
}

static pg_err parse_nv_public(struct buf *r)
{
        struct pg_tpm2_nv_public pub;
        uint32_t rc = 0x55;
        pg_err err;

        memset(&pub, 0xa5, sizeof(pub));
        err = pg_tpm2_parse_nv_read_public(r->b, r->len, 0x01000100, &pub, &rc);
        if (err != PG_OK) {
                CHECK_FILLED(&pub, 0xa5, sizeof(pub));
                if (err < PG_ERR_TPM_RC_OTHER)
                        CHECK_INT(rc, 0x55);
        }
        return err;
}

/* Offsets in nv_public_rsp. */
#define NVP_SIZE 10
#define NVP_INDEX 12
#define NVP_NAME_ALG 16
#define NVP_POLICY_SIZE 22
#define NVP_DATA_SIZE 24
#define NVP_NAME_SIZE 26
#define NVP_NAME 28

TEST(nv_public_faults)
{
        struct buf r;
        uint32_t rc = 0;
        struct pg_tpm2_nv_public pub;

        load(&r, nv_public_rsp);
        set32(&r, NVP_INDEX, 0x01000101);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_INDEX);
        load(&r, nv_public_rsp);
        set16(&r, NVP_SIZE, 0);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_EMPTY);
        set16(&r, NVP_SIZE, 0xffff);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_TRUNCATED);
        set16(&r, NVP_SIZE, 13);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_SIZE_SMALL);
        set16(&r, NVP_SIZE, 11);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_SIZE_SMALL);
        load(&r, nv_public_rsp);
        set16(&r, NVP_SIZE, 15);
        insert_byte(&r, NVP_NAME_SIZE, 0);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_SIZE_LARGE);

        load(&r, nv_public_rsp);
        set16(&r, NVP_NAME_ALG, 0x0001);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_NAME_ALG);
        load(&r, nv_public_rsp);
        set16(&r, NVP_POLICY_SIZE, 5);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_POLICY_SIZE);
        set16(&r, NVP_POLICY_SIZE, 32);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_PUBLIC_SIZE_SMALL);

        load(&r, nv_public_rsp);
        set16(&r, NVP_NAME_SIZE, 33);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_NAME_SIZE);
        set16(&r, NVP_NAME_SIZE, 0);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_NAME_SIZE);
        load(&r, nv_public_rsp);
        set16(&r, NVP_NAME, PG_TPM2_ALG_SHA1);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_NAME_ALG);
        load(&r, nv_public_rsp);
        cut(&r, 1);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_NV_NAME_TRUNCATED);
        load(&r, nv_public_rsp);
        r.len = NVP_NAME_SIZE + 1;
        fix_size(&r);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_RSP_TRUNCATED);
        load(&r, nv_public_rsp);
        r.len = NVP_SIZE + 1;
        fix_size(&r);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_RSP_TRUNCATED);
        load(&r, nv_public_rsp);
        insert_byte(&r, r.len, 0);
        CHECK_ERR(parse_nv_public(&r), PG_ERR_TPM_RSP_TRAILING);

        /* NV_ReadPublic of an index that does not exist */
        load(&r, "80010000000a0000018b");
        CHECK_ERR(pg_tpm2_parse_nv_read_public(r.b, r.len, 0x01000100, &pub, &rc),
                  PG_ERR_TPM_RC_HANDLE);
        CHECK_INT(rc, 0x18b);
}

TEST(svn_index_check)
{
        struct pg_tpm2_nv_public pub;

        memset(&pub, 0, sizeof(pub));
        pub.index = 0x01000100;
        pub.name_alg = PG_TPM2_ALG_SHA256;
        pub.attributes = PG_TPM2_SVN_ATTRS_REQUIRED;
        pub.data_size = 8;
        CHECK_INT(PG_TPM2_SVN_ATTRS_REQUIRED, 0x02044004);
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100), PG_OK);
        pub.attributes |= PG_TPMA_NV_WRITTEN | PG_TPMA_NV_WRITELOCKED | PG_TPMA_NV_PLATFORMCREATE |
                          PG_TPMA_NV_PPWRITE | PG_TPMA_NV_WRITEALL;
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100), PG_OK);
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000101), PG_ERR_TPM_NV_PUBLIC_INDEX);
        pub.attributes = PG_TPM2_SVN_ATTRS_REQUIRED | 1u << PG_TPMA_NV_TPM_NT_SHIFT;
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100), PG_ERR_TPM_SVN_INDEX_TYPE);
        pub.attributes = PG_TPM2_SVN_ATTRS_REQUIRED & ~PG_TPMA_NV_NO_DA;
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100), PG_ERR_TPM_SVN_INDEX_ATTRS_MISSING);
        pub.attributes = PG_TPM2_SVN_ATTRS_REQUIRED & ~PG_TPMA_NV_WRITE_STCLEAR;
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100), PG_ERR_TPM_SVN_INDEX_ATTRS_MISSING);
        pub.attributes = PG_TPM2_SVN_ATTRS_REQUIRED | PG_TPMA_NV_ORDERLY;
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100),
                  PG_ERR_TPM_SVN_INDEX_ATTRS_FORBIDDEN);
        pub.attributes = PG_TPM2_SVN_ATTRS_REQUIRED | PG_TPMA_NV_WRITEDEFINE;
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100),
                  PG_ERR_TPM_SVN_INDEX_ATTRS_FORBIDDEN);
        pub.attributes = PG_TPM2_SVN_ATTRS_REQUIRED;
        pub.data_size = 4;
        CHECK_ERR(pg_tpm2_svn_index_check(&pub, 0x01000100), PG_ERR_TPM_SVN_INDEX_SIZE);
}

/* ---- NV_Read, NV_Write, NV_WriteLock ------------------------------------- */

TEST(nv_read_ok)
{
        static const uint8_t want[8] = { 0, 0, 0, 0, 0, 0, 0, 5 };
        uint8_t data[8];
        uint32_t rc = 0x55;
        struct buf r;

        load(&r, nv_read_rsp);
        CHECK_ERR(pg_tpm2_parse_nv_read(r.b, r.len, data, 8, &rc), PG_OK);
        CHECK_INT(rc, 0);
        CHECK_MEM(data, want, 8);
        r.b[26] = 0;                    /* continueSession clear */
        CHECK_ERR(pg_tpm2_parse_nv_read(r.b, r.len, data, 8, &rc), PG_OK);
}

static pg_err parse_nv_read(struct buf *r, size_t want)
{
        uint8_t data[PG_TPM2_NV_DATA_MAX + 1], before[sizeof(data)];
        uint32_t rc = 0x55;
        pg_err err;

        memset(data, 0xa5, sizeof(data));
        memcpy(before, data, sizeof(data));
        err = pg_tpm2_parse_nv_read(r->b, r->len, data, want, &rc);
        if (err != PG_OK) {
                CHECK(memcmp(data, before, sizeof(data)) == 0);
                if (err < PG_ERR_TPM_RC_OTHER)
                        CHECK_INT(rc, 0x55);
        }
        return err;
}

/* Offsets in nv_read_rsp. */
#define NVR_PARAM_SIZE 10
#define NVR_DATA_SIZE 14
#define NVR_AUTH 24

TEST(nv_read_faults)
{
        struct buf r;

        load(&r, nv_read_rsp);
        CHECK_ERR(parse_nv_read(&r, 0), PG_ERR_TPM_NV_LENGTH);
        CHECK_ERR(parse_nv_read(&r, PG_TPM2_NV_DATA_MAX + 1), PG_ERR_TPM_NV_LENGTH);
        CHECK_ERR(parse_nv_read(&r, 4), PG_ERR_TPM_NV_DATA_LENGTH);
        set16(&r, NVR_DATA_SIZE, 9);
        CHECK_ERR(parse_nv_read(&r, 9), PG_ERR_TPM_NV_DATA_TRUNCATED);
        set16(&r, NVR_DATA_SIZE, 7);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_NV_DATA_LENGTH);

        load(&r, nv_read_rsp);
        set32(&r, NVR_PARAM_SIZE, 0x100);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_RSP_PARAM_SIZE);
        set32(&r, NVR_PARAM_SIZE, 16);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_RSP_PARAM_SIZE);
        set32(&r, NVR_PARAM_SIZE, 11);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_AUTH_TRUNCATED);
        load(&r, nv_read_rsp);
        set32(&r, NVR_PARAM_SIZE, 11);
        insert_byte(&r, NVR_AUTH, 0);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_RSP_TRAILING);
        load(&r, nv_read_rsp);
        r.len = 12;
        fix_size(&r);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_RSP_TRUNCATED);

        load(&r, nv_read_rsp);
        set16(&r, NVR_AUTH, 1);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_AUTH_NONCE);
        load(&r, nv_read_rsp);
        r.b[NVR_AUTH + 2] = 0x21;
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_AUTH_ATTRS);
        load(&r, nv_read_rsp);
        set16(&r, NVR_AUTH + 3, 1);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_AUTH_HMAC);
        load(&r, nv_read_rsp);
        cut(&r, 2);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_AUTH_TRUNCATED);
        load(&r, nv_read_rsp);
        insert_byte(&r, r.len, 0);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_AUTH_TRAILING);
        load(&r, nv_read_rsp);
        set16(&r, 0, PG_TPM2_ST_NO_SESSIONS);
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_RSP_TAG_MISMATCH);
        load(&r, "80010000000a0000014a");
        CHECK_ERR(parse_nv_read(&r, 8), PG_ERR_TPM_RC_NV_UNINITIALIZED);
}

TEST(nv_write_responses)
{
        uint32_t rc = 0x55;
        struct buf r;

        load(&r, nv_write_rsp);
        CHECK_ERR(pg_tpm2_parse_nv_write(r.b, r.len, &rc), PG_OK);
        CHECK_INT(rc, 0);
        CHECK_ERR(pg_tpm2_parse_nv_write_lock(r.b, r.len, &rc), PG_OK);
        rc = 0x55;
        set32(&r, 10, 1);
        insert_byte(&r, 14, 0);
        CHECK_ERR(pg_tpm2_parse_nv_write(r.b, r.len, &rc), PG_ERR_TPM_RSP_TRAILING);
        load(&r, nv_write_rsp);
        set32(&r, 10, 6);
        CHECK_ERR(pg_tpm2_parse_nv_write_lock(r.b, r.len, &rc), PG_ERR_TPM_RSP_PARAM_SIZE);
        load(&r, nv_write_rsp);
        r.len = 12;
        fix_size(&r);
        CHECK_ERR(pg_tpm2_parse_nv_write(r.b, r.len, &rc), PG_ERR_TPM_RSP_TRUNCATED);
        load(&r, nv_write_rsp);
        r.len = 14;
        fix_size(&r);
        CHECK_ERR(pg_tpm2_parse_nv_write(r.b, r.len, &rc), PG_ERR_TPM_AUTH_TRUNCATED);
        CHECK_INT(rc, 0x55);
        load(&r, "80010000000a00000182");
        CHECK_ERR(pg_tpm2_parse_nv_write_lock(r.b, r.len, &rc), PG_ERR_TPM_RC_ATTRIBUTES);
        CHECK_INT(rc, 0x182);
}

/* ---- round trips through a scripted TPM ---------------------------------- */

/*
 * A TPM that answers PCR_Read from a table: it implements the PCRs in
 * implemented, returns at most per_rsp of them per response, and bumps
 * pcrUpdateCounter before the responses listed in bump (a bitmap of call
 * numbers). Other commands get the canned response in canned.
 */
struct fake_tpm {
        uint32_t implemented;
        unsigned per_rsp;
        uint32_t bump;
        uint32_t counter;
        unsigned calls;
        pg_err fail;
        struct buf canned;
};

static uint8_t fake_digest_byte(unsigned pcr, uint32_t counter)
{
        return (uint8_t)(pcr * 7 + counter);
}

static size_t fake_pcr_read(struct fake_tpm *f, const uint8_t *cmd, uint8_t *rsp)
{
        uint32_t want = cmd[17] | (uint32_t)cmd[18] << 8 | (uint32_t)cmd[19] << 16;
        uint32_t got = 0;
        unsigned n = 0;
        size_t off;

        for (unsigned pcr = 0; pcr < 24 && n < f->per_rsp; pcr++)
                if (want & f->implemented & (1u << pcr)) {
                        got |= 1u << pcr;
                        n++;
                }
        memcpy(rsp, "\x80\x01\0\0\0\0\0\0\0\0", 10);
        pg_store_be32(rsp + 10, f->counter);
        pg_store_be32(rsp + 14, 1);
        memcpy(rsp + 18, "\x00\x0b\x03", 3);
        rsp[21] = (uint8_t)got;
        rsp[22] = (uint8_t)(got >> 8);
        rsp[23] = (uint8_t)(got >> 16);
        pg_store_be32(rsp + 24, n);
        off = 28;
        for (unsigned pcr = 0; pcr < 24; pcr++) {
                if (!(got & (1u << pcr)))
                        continue;
                rsp[off] = 0;
                rsp[off + 1] = 32;
                memset(rsp + off + 2, fake_digest_byte(pcr, f->counter), 32);
                off += 34;
        }
        pg_store_be32(rsp + 2, (uint32_t)off);
        return off;
}

static pg_err fake_submit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
                          size_t rsp_cap, size_t *rsp_len)
{
        struct fake_tpm *f = ctx;
        unsigned call = f->calls++;

        if (f->fail)
                return f->fail;
        if (rsp_cap < PG_TPM2_RSP_MAX)
                return PG_ERR_TPM_TRANSPORT;
        if (f->bump & (1u << call))
                f->counter++;
        if (cmd_len == 20 && pg_load_be32(cmd + 6) == PG_TPM2_CC_PCR_READ) {
                *rsp_len = fake_pcr_read(f, cmd, rsp);
                return PG_OK;
        }
        memcpy(rsp, f->canned.b, f->canned.len);
        *rsp_len = f->canned.len;
        return PG_OK;
}

static void check_fake_values(const struct pg_tpm2_pcr_values *v, uint32_t mask, uint32_t counter)
{
        CHECK_INT(v->mask, mask);
        CHECK_INT(v->update_counter, counter);
        for (unsigned pcr = 0; pcr < 24; pcr++) {
                if (!(mask & (1u << pcr)))
                        continue;
                if (v->digest[pcr][0] != fake_digest_byte(pcr, counter) ||
                    v->digest[pcr][31] != fake_digest_byte(pcr, counter))
                        test_report(__FILE__, __LINE__, "PCR %u has a wrong digest", pcr);
        }
}

TEST(pcr_read_loop)
{
        struct fake_tpm f = { .implemented = 0xffffff, .per_rsp = 8, .counter = 40 };
        struct pg_tpm2_transport t = { fake_submit, &f };
        struct pg_tpm2_pcr_values v;
        uint32_t rc = 0x55;

        CHECK_ERR(pg_tpm2_pcr_read(&t, PG_TPM2_PCR_MASK_ALL, &v, &rc), PG_OK);
        CHECK_INT(f.calls, 3);
        CHECK_INT(rc, 0);
        check_fake_values(&v, 0xffffff, 40);

        f.calls = 0;
        CHECK_ERR(pg_tpm2_pcr_read(&t, 1u << 13, &v, &rc), PG_OK);
        CHECK_INT(f.calls, 1);
        check_fake_values(&v, 1u << 13, 40);

        /* a TPM returning fewer than 8 per response */
        f.calls = 0;
        f.per_rsp = 3;
        CHECK_ERR(pg_tpm2_pcr_read(&t, 0x00f0f1, &v, &rc), PG_OK);
        CHECK_INT(f.calls, 3);
        check_fake_values(&v, 0x00f0f1, 40);
}

TEST(pcr_read_counter_moves)
{
        struct fake_tpm f = { .implemented = 0xffffff, .per_rsp = 8, .counter = 1 };
        struct pg_tpm2_transport t = { fake_submit, &f };
        struct pg_tpm2_pcr_values v;
        uint32_t rc = 0x55;

        /* an extend between the second and third responses: start over once */
        f.bump = 1u << 2;
        CHECK_ERR(pg_tpm2_pcr_read(&t, PG_TPM2_PCR_MASK_ALL, &v, &rc), PG_OK);
        CHECK_INT(f.calls, 6);
        check_fake_values(&v, 0xffffff, 2);

        /* an extend before every response after the first */
        f.calls = 0;
        f.bump = 0xfffffffe;
        rc = 0x55;
        memset(&v, 0xa5, sizeof(v));
        CHECK_ERR(pg_tpm2_pcr_read(&t, PG_TPM2_PCR_MASK_ALL, &v, &rc),
                  PG_ERR_TPM_PCR_COUNTER_UNSTABLE);
        CHECK_INT(f.calls, 2 * PG_TPM2_PCR_READ_ATTEMPTS);
        CHECK_INT(v.mask, 0xa5a5a5a5);
        CHECK_INT(rc, 0x55);

        /* a moving counter does not matter when one response returns every PCR */
        f.calls = 0;
        CHECK_ERR(pg_tpm2_pcr_read(&t, 0xff, &v, &rc), PG_OK);
        CHECK_INT(f.calls, 1);
}

TEST(pcr_read_unavailable)
{
        struct fake_tpm f = { .implemented = 0, .per_rsp = 8 };
        struct pg_tpm2_transport t = { fake_submit, &f };
        struct pg_tpm2_pcr_values v;
        uint32_t rc = 0x55;

        CHECK_ERR(pg_tpm2_pcr_read(&t, 0xff, &v, &rc), PG_ERR_TPM_PCR_UNAVAILABLE);
        CHECK_INT(rc, 0x55);
        f.implemented = 0x7fffff;       /* no PCR 23 */
        f.calls = 0;
        CHECK_ERR(pg_tpm2_pcr_read(&t, PG_TPM2_PCR_MASK_ALL, &v, &rc),
                  PG_ERR_TPM_PCR_UNAVAILABLE);
        CHECK_INT(f.calls, 4);
        CHECK_ERR(pg_tpm2_pcr_read(&t, 0x7fffff, &v, &rc), PG_OK);
        CHECK_ERR(pg_tpm2_pcr_read(&t, 0, &v, &rc), PG_ERR_TPM_PCR_MASK_EMPTY);
}

TEST(round_trip_errors)
{
        struct fake_tpm f = { .implemented = 0xffffff, .per_rsp = 8 };
        struct pg_tpm2_transport t = { fake_submit, &f };
        struct pg_tpm2_transport none = { NULL, NULL };
        struct pg_tpm2_pcr_values v;
        uint8_t data[8] = { 0 };
        uint32_t rc = 0x55;

        f.fail = PG_ERR_TPM_TRANSPORT;
        CHECK_ERR(pg_tpm2_pcr_read(&t, 0xff, &v, &rc), PG_ERR_TPM_TRANSPORT);
        CHECK_ERR(pg_tpm2_nv_write_lock(&t, 0x01000100, &rc), PG_ERR_TPM_TRANSPORT);
        CHECK_ERR(pg_tpm2_nv_read(&none, 0x01000100, 0, data, 8, &rc), PG_ERR_TPM_TRANSPORT);
        CHECK_INT(rc, 0x55);
        CHECK_ERR(pg_tpm2_nv_read(&t, 0x01000100, 0, data, 0, &rc), PG_ERR_TPM_NV_LENGTH);
        CHECK_ERR(pg_tpm2_nv_write(&t, 0x81000000, 0, data, 8, &rc), PG_ERR_TPM_NV_HANDLE_RANGE);
        CHECK_INT(f.calls, 2);
}

TEST(round_trip_nv)
{
        static const uint8_t five[8] = { 0, 0, 0, 0, 0, 0, 0, 5 };
        struct fake_tpm f = { .implemented = 0xffffff, .per_rsp = 8 };
        struct pg_tpm2_transport t = { fake_submit, &f };
        struct pg_tpm2_nv_public pub;
        struct pg_tpm2_pcr_banks banks;
        uint8_t data[8];
        uint32_t rc = 0x55;

        load(&f.canned, nv_read_rsp);
        CHECK_ERR(pg_tpm2_nv_read(&t, 0x01000100, 0, data, 8, &rc), PG_OK);
        CHECK_MEM(data, five, 8);
        load(&f.canned, nv_write_rsp);
        CHECK_ERR(pg_tpm2_nv_write(&t, 0x01000100, 0, five, 8, &rc), PG_OK);
        CHECK_ERR(pg_tpm2_nv_write_lock(&t, 0x01000100, &rc), PG_OK);
        load(&f.canned, nv_public_rsp);
        CHECK_ERR(pg_tpm2_nv_read_public(&t, 0x01000100, &pub, &rc), PG_OK);
        CHECK_INT(pub.data_size, 8);
        CHECK_ERR(pg_tpm2_nv_read_public(&t, 0x01000200, &pub, &rc), PG_ERR_TPM_NV_PUBLIC_INDEX);
        load(&f.canned, banks_rsp);
        CHECK_ERR(pg_tpm2_get_pcr_banks(&t, &banks, &rc), PG_OK);
        CHECK_INT(banks.count, 4);
        load(&f.canned, "80010000000a00000148");
        CHECK_ERR(pg_tpm2_nv_write(&t, 0x01000100, 0, five, 8, &rc), PG_ERR_TPM_RC_NV_LOCKED);
        CHECK_INT(rc, 0x148);
        load(&f.canned, "80010000000a00000922");
        CHECK_ERR(pg_tpm2_nv_read(&t, 0x01000100, 0, data, 8, &rc), PG_ERR_TPM_RC_RETRY);
        CHECK_INT(rc, 0x922);
}

int main(void)
{
        RUN(build_pcr_read_golden);
        RUN(build_pcr_read_errors);
        RUN(build_get_pcr_banks_golden);
        RUN(build_nv_read_public_golden);
        RUN(build_nv_read_golden);
        RUN(build_nv_write_golden);
        RUN(build_nv_write_lock_golden);
        RUN(build_nv_span_errors);
        RUN(response_size);
        RUN(rc_mapping);
        RUN(header_faults);
        RUN(error_responses);
        RUN(pcr_read_ok);
        RUN(pcr_read_fewer);
        RUN(pcr_read_faults);
        RUN(banks_ok);
        RUN(banks_faults);
        RUN(nv_public_ok);
        RUN(nv_public_faults);
        RUN(svn_index_check);
        RUN(nv_read_ok);
        RUN(nv_read_faults);
        RUN(nv_write_responses);
        RUN(pcr_read_loop);
        RUN(pcr_read_counter_moves);
        RUN(pcr_read_unavailable);
        RUN(round_trip_errors);
        RUN(round_trip_nv);
        return TEST_SUMMARY();
}
