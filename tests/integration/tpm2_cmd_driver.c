/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tpm2_cmd_driver: sends the commands of tpm/tpm2_cmd.c to a TPM listening
 * on a unix socket that takes raw TPM 2.0 command bytes (swtpm's --server
 * socket) and prints what the parsers return, for test_tpm2_swtpm.sh.
 *
 *   tpm2_cmd_driver SOCKET pcrread MASK          "PCR HEX" per PCR, lowest first
 *   tpm2_cmd_driver SOCKET banks                  "ALG MASK" per bank
 *   tpm2_cmd_driver SOCKET nvreadpublic INDEX     attributes, size, name, layout check
 *   tpm2_cmd_driver SOCKET nvread INDEX LEN [OFFSET]
 *   tpm2_cmd_driver SOCKET nvwrite INDEX HEX [OFFSET]
 *   tpm2_cmd_driver SOCKET nvwritelock INDEX
 *   tpm2_cmd_driver SOCKET capture INDEX DIR      runs a fixed sequence and saves
 *                                                 every response as DIR/NN-NAME.bin
 *
 * A failure prints "error NAME rc 0xRC" (rc is the TPM's response code, or
 * none) and exits 1; a usage error exits 2.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tpm/tpm2_cmd.h"

struct sock_ctx {
        int fd;
        const char *capture_dir;        /* NULL: do not save responses */
        const char *capture_name;
        unsigned captured;
};

static int write_all(int fd, const uint8_t *p, size_t n)
{
        while (n) {
                ssize_t w = write(fd, p, n);

                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return -1;
                p += w;
                n -= (size_t)w;
        }
        return 0;
}

static int read_all(int fd, uint8_t *p, size_t n)
{
        while (n) {
                ssize_t r = read(fd, p, n);

                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        return -1;
                p += r;
                n -= (size_t)r;
        }
        return 0;
}

static void capture(struct sock_ctx *c, const uint8_t *rsp, size_t len)
{
        char path[4096];
        FILE *f;

        if (!c->capture_dir)
                return;
        snprintf(path, sizeof(path), "%s/%02u-%s.bin", c->capture_dir, c->captured++,
                 c->capture_name);
        f = fopen(path, "wb");
        if (!f || fwrite(rsp, 1, len, f) != len || fclose(f) != 0) {
                fprintf(stderr, "failed to write %s\n", path);
                exit(2);
        }
}

/* The transport: one command out, one whole response back. */
static pg_err sock_submit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
                          size_t rsp_cap, size_t *rsp_len)
{
        struct sock_ctx *c = ctx;
        size_t size;

        if (rsp_cap < PG_TPM2_HEADER_SIZE || write_all(c->fd, cmd, cmd_len) != 0 ||
            read_all(c->fd, rsp, PG_TPM2_HEADER_SIZE) != 0)
                return PG_ERR_TPM_TRANSPORT;
        if (pg_tpm2_response_size(rsp, rsp_cap, &size) != PG_OK)
                return PG_ERR_TPM_TRANSPORT;
        if (read_all(c->fd, rsp + PG_TPM2_HEADER_SIZE, size - PG_TPM2_HEADER_SIZE) != 0)
                return PG_ERR_TPM_TRANSPORT;
        capture(c, rsp, size);
        *rsp_len = size;
        return PG_OK;
}

static int sock_open(const char *path)
{
        struct sockaddr_un addr;
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);

        if (fd < 0 || strlen(path) >= sizeof(addr.sun_path)) {
                fprintf(stderr, "invalid socket path %s\n", path);
                exit(2);
        }
        memset(&addr, 0, sizeof(addr));
        addr.sun_family = AF_UNIX;
        memcpy(addr.sun_path, path, strlen(path) + 1);
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
                fprintf(stderr, "failed to connect to %s: %s\n", path, strerror(errno));
                exit(2);
        }
        return fd;
}

static uint32_t parse_u32(const char *s)
{
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 0);
        if (errno || *end || v > 0xffffffffu) {
                fprintf(stderr, "invalid number: %s\n", s);
                exit(2);
        }
        return (uint32_t)v;
}

static void print_hex(const uint8_t *p, size_t n)
{
        for (size_t i = 0; i < n; i++)
                printf("%02x", p[i]);
        printf("\n");
}

/* Reports a failure; returns the exit status. */
static int fail(pg_err err, uint32_t rc, int have_rc)
{
        const char *name = pg_err_name(err);

        if (have_rc)
                printf("error %s rc 0x%" PRIx32 "\n", name ? name : "?", rc);
        else
                printf("error %s rc none\n", name ? name : "?");
        return 1;
}

#define RC_UNSET 0xffffffffu

static int finish(pg_err err, uint32_t rc)
{
        if (err == PG_OK)
                return 0;
        return fail(err, rc, rc != RC_UNSET);
}

static int cmd_pcrread(const struct pg_tpm2_transport *t, uint32_t mask)
{
        struct pg_tpm2_pcr_values v;
        uint32_t rc = RC_UNSET;
        pg_err err = pg_tpm2_pcr_read(t, mask, &v, &rc);

        if (err)
                return finish(err, rc);
        for (unsigned pcr = 0; pcr < PG_TPM2_PCR_COUNT; pcr++) {
                if (!(v.mask & (1u << pcr)))
                        continue;
                printf("%u ", pcr);
                print_hex(v.digest[pcr], PG_TPM2_SHA256_SIZE);
        }
        return 0;
}

static const char *alg_name(uint16_t alg)
{
        switch (alg) {
        case PG_TPM2_ALG_SHA1: return "sha1";
        case PG_TPM2_ALG_SHA256: return "sha256";
        case PG_TPM2_ALG_SHA384: return "sha384";
        case PG_TPM2_ALG_SHA512: return "sha512";
        case PG_TPM2_ALG_SM3_256: return "sm3_256";
        default: return "unknown";
        }
}

static int cmd_banks(const struct pg_tpm2_transport *t)
{
        struct pg_tpm2_pcr_banks b;
        uint32_t rc = RC_UNSET;
        pg_err err = pg_tpm2_get_pcr_banks(t, &b, &rc);

        if (err)
                return finish(err, rc);
        for (uint32_t i = 0; i < b.count; i++)
                printf("%s 0x%06" PRIx32 "\n", alg_name(b.bank[i].hash), b.bank[i].mask);
        return 0;
}

static int cmd_nvreadpublic(const struct pg_tpm2_transport *t, uint32_t index)
{
        struct pg_tpm2_nv_public pub;
        uint32_t rc = RC_UNSET;
        pg_err err = pg_tpm2_nv_read_public(t, index, &pub, &rc);
        const char *check;

        if (err)
                return finish(err, rc);
        check = pg_err_name(pg_tpm2_svn_index_check(&pub, index));
        printf("index 0x%08" PRIx32 "\n", pub.index);
        printf("name_alg 0x%04x\n", pub.name_alg);
        printf("attributes 0x%" PRIx32 "\n", pub.attributes);
        printf("policy_len %u\n", pub.auth_policy_len);
        printf("size %u\n", pub.data_size);
        printf("name ");
        print_hex(pub.name, pub.name_len);
        printf("svn_check %s\n", check ? check : "?");
        return 0;
}

static int cmd_nvread(const struct pg_tpm2_transport *t, uint32_t index, uint32_t len,
                      uint32_t offset)
{
        uint8_t data[PG_TPM2_NV_DATA_MAX];
        uint32_t rc = RC_UNSET;
        pg_err err;

        if (len > sizeof(data) || offset > 0xffff)
                return fail(PG_ERR_TPM_NV_LENGTH, 0, 0);
        err = pg_tpm2_nv_read(t, index, (uint16_t)offset, data, len, &rc);
        if (err)
                return finish(err, rc);
        print_hex(data, len);
        return 0;
}

static int cmd_nvwrite(const struct pg_tpm2_transport *t, uint32_t index, const char *hex,
                       uint32_t offset)
{
        uint8_t data[PG_TPM2_NV_DATA_MAX];
        size_t n = strlen(hex) / 2;
        uint32_t rc = RC_UNSET;

        if (strlen(hex) % 2 || n > sizeof(data) || offset > 0xffff) {
                fprintf(stderr, "invalid data or offset: expected up to %d bytes of hex and "
                                "an offset up to 65535\n", PG_TPM2_NV_DATA_MAX);
                return 2;
        }
        for (size_t i = 0; i < n; i++) {
                unsigned v;

                if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
                        fprintf(stderr, "invalid hex: %s\n", hex);
                        return 2;
                }
                data[i] = (uint8_t)v;
        }
        pg_err err = pg_tpm2_nv_write(t, index, (uint16_t)offset, data, n, &rc);

        return finish(err, rc);
}

static int cmd_nvwritelock(const struct pg_tpm2_transport *t, uint32_t index)
{
        uint32_t rc = RC_UNSET;
        pg_err err = pg_tpm2_nv_write_lock(t, index, &rc);

        return finish(err, rc);
}

/*
 * Saves one response of every kind the fuzzer's parsers take. The index must
 * be defined with the SVN layout and never written; it ends up locked.
 */
static int cmd_capture(struct sock_ctx *c, const struct pg_tpm2_transport *t, uint32_t index,
                       const char *dir)
{
        static const uint8_t floor[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
        struct pg_tpm2_pcr_values v;
        struct pg_tpm2_pcr_banks b;
        struct pg_tpm2_nv_public pub;
        uint8_t data[8];
        uint32_t rc;

        c->capture_dir = dir;
        c->capture_name = "pcr_read";
        (void)pg_tpm2_pcr_read(t, PG_TPM2_PCR_MASK_ALL, &v, &rc);
        c->capture_name = "banks";
        (void)pg_tpm2_get_pcr_banks(t, &b, &rc);
        c->capture_name = "nv_read_public";
        (void)pg_tpm2_nv_read_public(t, index, &pub, &rc);
        (void)pg_tpm2_nv_read_public(t, index + 1, &pub, &rc);
        c->capture_name = "nv_read";
        (void)pg_tpm2_nv_read(t, index, 0, data, sizeof(data), &rc);
        c->capture_name = "nv_write";
        (void)pg_tpm2_nv_write(t, index, 0, floor, sizeof(floor), &rc);
        c->capture_name = "nv_read";
        (void)pg_tpm2_nv_read(t, index, 0, data, sizeof(data), &rc);
        c->capture_name = "nv_write_lock";
        (void)pg_tpm2_nv_write_lock(t, index, &rc);
        c->capture_name = "nv_write";
        (void)pg_tpm2_nv_write(t, index, 0, floor, sizeof(floor), &rc);
        c->capture_name = "nv_read_public";
        (void)pg_tpm2_nv_read_public(t, index, &pub, &rc);
        printf("captured %u responses\n", c->captured);
        return 0;
}

static int usage(void)
{
        fprintf(stderr, "usage: tpm2_cmd_driver SOCKET pcrread MASK | banks | nvreadpublic INDEX |"
                        " nvread INDEX LEN [OFFSET] | nvwrite INDEX HEX [OFFSET] |"
                        " nvwritelock INDEX | capture INDEX DIR\n");
        return 2;
}

static int dispatch(struct sock_ctx *c, const struct pg_tpm2_transport *t, int argc, char **argv)
{
        const char *op = argv[2];

        if (!strcmp(op, "pcrread") && argc == 4)
                return cmd_pcrread(t, parse_u32(argv[3]));
        if (!strcmp(op, "banks") && argc == 3)
                return cmd_banks(t);
        if (!strcmp(op, "nvreadpublic") && argc == 4)
                return cmd_nvreadpublic(t, parse_u32(argv[3]));
        if (!strcmp(op, "nvread") && (argc == 5 || argc == 6))
                return cmd_nvread(t, parse_u32(argv[3]), parse_u32(argv[4]),
                                  argc == 6 ? parse_u32(argv[5]) : 0);
        if (!strcmp(op, "nvwrite") && (argc == 5 || argc == 6))
                return cmd_nvwrite(t, parse_u32(argv[3]), argv[4],
                                   argc == 6 ? parse_u32(argv[5]) : 0);
        if (!strcmp(op, "nvwritelock") && argc == 4)
                return cmd_nvwritelock(t, parse_u32(argv[3]));
        if (!strcmp(op, "capture") && argc == 5)
                return cmd_capture(c, t, parse_u32(argv[3]), argv[4]);
        return usage();
}

int main(int argc, char **argv)
{
        struct sock_ctx c = { .fd = -1 };
        struct pg_tpm2_transport t = { sock_submit, &c };
        int status;

        if (argc < 3)
                return usage();
        c.fd = sock_open(argv[1]);
        status = dispatch(&c, &t, argc, argv);
        close(c.fd);
        return status;
}
