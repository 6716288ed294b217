/* SPDX-License-Identifier: BSD-2-Clause */
#include <openssl/evp.h>

#include "tools/digest.h"

struct pg_tool_md {
        uint16_t alg;
        const char *name;       /* OpenSSL digest name */
};

static const struct pg_tool_md pg_tool_mds[PG_TOOL_HASHER_MAX] = {
        { PG_TPM_ALG_SHA1, "SHA1" },
        { PG_TPM_ALG_SHA256, "SHA256" },
        { PG_TPM_ALG_SHA384, "SHA384" },
        { PG_TPM_ALG_SHA512, "SHA512" },
        { PG_TPM_ALG_SM3_256, "SM3" },
};

static pg_err pg_tool_hash(void *ctx, const struct pg_hash_part *parts, size_t count,
                           uint8_t *out, size_t out_size)
{
        const struct pg_tool_md *m = ctx;
        const EVP_MD *md = EVP_get_digestbyname(m->name);
        EVP_MD_CTX *c;
        unsigned int n = 0;
        int ok;

        if (md == NULL)
                return PG_ERR_REPLAY_HASH_FAILED;
        if ((size_t)EVP_MD_get_size(md) != out_size)
                return PG_ERR_REPLAY_HASH_SIZE;
        c = EVP_MD_CTX_new();
        if (c == NULL)
                return PG_ERR_REPLAY_HASH_FAILED;
        ok = EVP_DigestInit_ex(c, md, NULL);
        for (size_t i = 0; ok && i < count; i++)
                ok = EVP_DigestUpdate(c, parts[i].data, parts[i].size);
        if (ok)
                ok = EVP_DigestFinal_ex(c, out, &n);
        EVP_MD_CTX_free(c);
        return ok && n == out_size ? PG_OK : PG_ERR_REPLAY_HASH_FAILED;
}

size_t pg_tool_hashers(struct pg_replay_hasher out[PG_TOOL_HASHER_MAX])
{
        size_t n = 0;

        for (size_t i = 0; i < PG_TOOL_HASHER_MAX; i++) {
                if (EVP_get_digestbyname(pg_tool_mds[i].name) == NULL)
                        continue;
                out[n].alg = pg_tool_mds[i].alg;
                out[n].hash = pg_tool_hash;
                out[n].ctx = (void *)&pg_tool_mds[i];
                n++;
        }
        return n;
}
