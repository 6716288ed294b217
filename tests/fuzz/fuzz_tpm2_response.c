/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the TPM 2.0 response parsers. The input goes whole to
 * every parser, and then, cut into responses by the size in each header,
 * through a transport into the round-trip functions, so the PCR_Read loop
 * sees any sequence of responses. Invariants the callers rely on abort the
 * run when broken.
 */
#include <stdlib.h>

#include "tpm/tpm2_cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RC_SENTINEL 0xa5a5a5a5u

static void require(bool cond)
{
        if (!cond)
                abort();
}

/*
 * *tpm_rc is written exactly with PG_OK and with a PG_ERR_TPM_RC_* result. A
 * TPM may return any code, the sentinel included, so an RC result is only
 * checked for agreeing with the code stored.
 */
static void check_rc(pg_err err, uint32_t rc)
{
        if (err == PG_OK)
                require(rc == 0);
        else if (err >= PG_ERR_TPM_RC_OTHER && err <= PG_ERR_TPM_RC_AUTH_UNAVAILABLE)
                require(rc != 0 && pg_tpm2_rc_err(rc) == err);
        else
                require(rc == RC_SENTINEL);
}

static unsigned popcount(uint32_t v)
{
        unsigned n = 0;

        for (; v; v &= v - 1)
                n++;
        return n;
}

static void fuzz_pcr_read(const uint8_t *data, size_t size, uint32_t mask)
{
        struct pg_tpm2_pcr_values v;
        uint32_t rc = RC_SENTINEL;
        pg_err err = pg_tpm2_parse_pcr_read(data, size, mask, &v, &rc);

        check_rc(err, rc);
        if (err == PG_OK)
                require((v.mask & ~mask) == 0 && popcount(v.mask) <= PG_TPM2_PCR_READ_DIGESTS_MAX);
}

static void fuzz_parsers(const uint8_t *data, size_t size)
{
        struct pg_tpm2_pcr_banks banks;
        struct pg_tpm2_nv_public pub;
        uint8_t nv[PG_TPM2_NV_DATA_MAX];
        uint32_t rc = RC_SENTINEL;
        size_t n;
        pg_err err;

        fuzz_pcr_read(data, size, PG_TPM2_PCR_MASK_ALL);
        fuzz_pcr_read(data, size, 0x0000ff);

        err = pg_tpm2_parse_get_pcr_banks(data, size, &banks, &rc);
        check_rc(err, rc);
        if (err == PG_OK)
                require(banks.count <= PG_TPM2_BANKS_MAX);

        rc = RC_SENTINEL;
        err = pg_tpm2_parse_nv_read_public(data, size, PG_TPM2_SVN_INDEX_DEFAULT, &pub, &rc);
        check_rc(err, rc);
        if (err == PG_OK) {
                require(pub.index == PG_TPM2_SVN_INDEX_DEFAULT);
                require(pub.auth_policy_len <= PG_TPM2_DIGEST_MAX);
                require(pub.name_len > 2 && pub.name_len <= PG_TPM2_NAME_MAX);
                (void)pg_tpm2_svn_index_check(&pub, PG_TPM2_SVN_INDEX_DEFAULT);
        }

        rc = RC_SENTINEL;
        check_rc(pg_tpm2_parse_nv_read(data, size, nv, PG_TPM2_SVN_INDEX_SIZE, &rc), rc);
        rc = RC_SENTINEL;
        check_rc(pg_tpm2_parse_nv_read(data, size, nv, 1, &rc), rc);
        rc = RC_SENTINEL;
        check_rc(pg_tpm2_parse_nv_write(data, size, &rc), rc);
        rc = RC_SENTINEL;
        check_rc(pg_tpm2_parse_nv_write_lock(data, size, &rc), rc);

        if (pg_tpm2_response_size(data, size, &n) == PG_OK)
                require(n >= PG_TPM2_HEADER_SIZE && n <= size);
}

/* Unread input, handed out one response per command. */
struct fuzz_stream {
        const uint8_t *p;
        size_t left;
};

static pg_err fuzz_submit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
                          size_t rsp_cap, size_t *rsp_len)
{
        struct fuzz_stream *s = ctx;
        size_t n;

        require(cmd_len >= PG_TPM2_HEADER_SIZE && cmd_len <= PG_TPM2_CMD_MAX);
        if (s->left < PG_TPM2_HEADER_SIZE)
                return PG_ERR_TPM_TRANSPORT;
        if (pg_tpm2_response_size(s->p, s->left < rsp_cap ? s->left : rsp_cap, &n) != PG_OK)
                n = s->left < rsp_cap ? s->left : rsp_cap;
        memcpy(rsp, s->p, n);
        s->p += n;
        s->left -= n;
        *rsp_len = n;
        return PG_OK;
}

static void fuzz_round_trips(const uint8_t *data, size_t size)
{
        struct fuzz_stream s = { data, size };
        struct pg_tpm2_transport t = { fuzz_submit, &s };
        struct pg_tpm2_pcr_values v;
        uint8_t nv[PG_TPM2_SVN_INDEX_SIZE];
        uint32_t rc = RC_SENTINEL;
        pg_err err;

        err = pg_tpm2_pcr_read(&t, PG_TPM2_PCR_MASK_ALL, &v, &rc);
        check_rc(err, rc);
        if (err == PG_OK)
                require(v.mask == PG_TPM2_PCR_MASK_ALL);
        rc = RC_SENTINEL;
        err = pg_tpm2_nv_read(&t, PG_TPM2_SVN_INDEX_DEFAULT, 0, nv, sizeof(nv), &rc);
        check_rc(err, rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        fuzz_parsers(data, size);
        fuzz_round_trips(data, size);
        return 0;
}
