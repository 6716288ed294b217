/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TPMS_ATTEST, TPMT_SIGNATURE and TPM2B_PUBLIC parsers (tpm/tpm2_attest.h).
 * A cursor walks the input; every read checks the bytes left first, as
 * `n > end - p`, and a short read is PG_ERR_ATTEST_TRUNCATED.
 */
#include "tpm/tpm2_attest.h"

struct pg_cursor {
        const uint8_t *p;
        const uint8_t *end;
};

static pg_err pg_take(struct pg_cursor *c, size_t n, const uint8_t **out)
{
        if (n > (size_t)(c->end - c->p))
                return PG_ERR_ATTEST_TRUNCATED;
        *out = c->p;
        c->p += n;
        return PG_OK;
}

static pg_err pg_u8(struct pg_cursor *c, uint8_t *v)
{
        const uint8_t *p;
        pg_err err = pg_take(c, 1, &p);

        if (err == PG_OK)
                *v = p[0];
        return err;
}

static pg_err pg_u16(struct pg_cursor *c, uint16_t *v)
{
        const uint8_t *p;
        pg_err err = pg_take(c, 2, &p);

        if (err == PG_OK)
                *v = pg_load_be16(p);
        return err;
}

static pg_err pg_u32(struct pg_cursor *c, uint32_t *v)
{
        const uint8_t *p;
        pg_err err = pg_take(c, 4, &p);

        if (err == PG_OK)
                *v = pg_load_be32(p);
        return err;
}

static pg_err pg_u64(struct pg_cursor *c, uint64_t *v)
{
        const uint8_t *p;
        pg_err err = pg_take(c, 8, &p);

        if (err == PG_OK)
                *v = pg_load_be64(p);
        return err;
}

/*
 * Reads a TPM2B: a 16-bit size, then that many bytes into out (cap bytes).
 * A size of 0 or above cap is size_err, unless allow_empty permits 0.
 */
static pg_err pg_tpm2b(struct pg_cursor *c, uint8_t *out, uint16_t cap, uint16_t *len,
                       bool allow_empty, pg_err size_err)
{
        const uint8_t *p;
        uint16_t n;
        pg_err err = pg_u16(c, &n);

        if (err != PG_OK)
                return err;
        if (n > cap || (n == 0 && !allow_empty))
                return size_err;
        err = pg_take(c, n, &p);
        if (err != PG_OK)
                return err;
        memcpy(out, p, n);
        *len = n;
        return PG_OK;
}

uint16_t pg_tpm2_hash_size(uint16_t alg)
{
        switch (alg) {
        case PG_TPM2_ALG_SHA1:
                return 20;
        case PG_TPM2_ALG_SHA256:
                return 32;
        case PG_TPM2_ALG_SHA384:
                return 48;
        case PG_TPM2_ALG_SHA512:
                return 64;
        default:
                return 0;
        }
}

/* TPML_PCR_SELECTION: 1..8 banks, each known and once, bitmaps of 1..4
 * bytes naming no PCR above 23. */
static pg_err pg_parse_selection(struct pg_cursor *c, struct pg_tpm2_quote *q)
{
        uint32_t count;
        pg_err err = pg_u32(c, &count);

        if (err != PG_OK)
                return err;
        if (count == 0 || count > PG_TPM2_QUOTE_BANKS_MAX)
                return PG_ERR_ATTEST_SELECTION_COUNT;
        for (uint32_t i = 0; i < count; i++) {
                const uint8_t *bits;
                uint16_t hash;
                uint8_t size;
                uint32_t mask = 0;

                if ((err = pg_u16(c, &hash)) != PG_OK || (err = pg_u8(c, &size)) != PG_OK)
                        return err;
                if (pg_tpm2_hash_size(hash) == 0)
                        return PG_ERR_ATTEST_SELECTION_HASH;
                for (uint32_t j = 0; j < i; j++)
                        if (q->select[j].hash == hash)
                                return PG_ERR_ATTEST_SELECTION_DUPLICATE;
                if (size == 0 || size > PG_TPM2_SELECT_SIZE_MAX)
                        return PG_ERR_ATTEST_SELECT_SIZE;
                if ((err = pg_take(c, size, &bits)) != PG_OK)
                        return err;
                for (uint8_t b = 0; b < size; b++)
                        mask |= (uint32_t)bits[b] << (8 * b);
                if (mask >> (PG_TPM2_PCR_MAX + 1))
                        return PG_ERR_ATTEST_PCR_RANGE;
                q->select[i].hash = hash;
                q->select[i].mask = mask;
        }
        q->select_count = count;
        return PG_OK;
}

static pg_err pg_parse_attest_header(struct pg_cursor *c, struct pg_tpm2_quote *q)
{
        uint32_t magic;
        uint16_t type;
        pg_err err;

        if ((err = pg_u32(c, &magic)) != PG_OK)
                return err;
        if (magic != PG_TPM2_GENERATED_VALUE)
                return PG_ERR_ATTEST_BAD_MAGIC;
        if ((err = pg_u16(c, &type)) != PG_OK)
                return err;
        if (type != PG_TPM2_ST_ATTEST_QUOTE)
                return PG_ERR_ATTEST_NOT_QUOTE;
        err = pg_tpm2b(c, q->signer, sizeof(q->signer), &q->signer_len, true,
                       PG_ERR_ATTEST_SIGNER_SIZE);
        if (err == PG_OK)
                err = pg_tpm2b(c, q->extra, sizeof(q->extra), &q->extra_len, true,
                               PG_ERR_ATTEST_EXTRA_SIZE);
        if (err == PG_OK)
                err = pg_u64(c, &q->clock);
        if (err == PG_OK)
                err = pg_u32(c, &q->reset_count);
        if (err == PG_OK)
                err = pg_u32(c, &q->restart_count);
        if (err == PG_OK)
                err = pg_u8(c, &q->safe);
        if (err == PG_OK && q->safe > 1)
                err = PG_ERR_ATTEST_BAD_SAFE;
        if (err == PG_OK)
                err = pg_u64(c, &q->firmware_version);
        return err;
}

pg_err pg_tpm2_parse_quote(const uint8_t *buf, size_t len, struct pg_tpm2_quote *out)
{
        struct pg_tpm2_quote q;
        struct pg_cursor c = { buf, buf + len };
        pg_err err;

        if (len > PG_TPM2_ATTEST_MAX)
                return PG_ERR_ATTEST_TOO_LARGE;
        memset(&q, 0, sizeof(q));
        err = pg_parse_attest_header(&c, &q);
        if (err == PG_OK)
                err = pg_parse_selection(&c, &q);
        if (err == PG_OK)
                err = pg_tpm2b(&c, q.pcr_digest, sizeof(q.pcr_digest), &q.pcr_digest_len, false,
                               PG_ERR_ATTEST_PCR_DIGEST_SIZE);
        if (err == PG_OK && c.p != c.end)
                err = PG_ERR_ATTEST_TRAILING;
        if (err == PG_OK)
                *out = q;
        return err;
}

pg_err pg_tpm2_parse_signature(const uint8_t *buf, size_t len, struct pg_tpm2_signature *out)
{
        struct pg_tpm2_signature s;
        struct pg_cursor c = { buf, buf + len };
        pg_err err;

        if (len > PG_TPM2_SIGNATURE_MAX)
                return PG_ERR_ATTEST_TOO_LARGE;
        memset(&s, 0, sizeof(s));
        if ((err = pg_u16(&c, &s.alg)) != PG_OK)
                return err;
        if (s.alg != PG_TPM2_ALG_RSASSA && s.alg != PG_TPM2_ALG_RSAPSS &&
            s.alg != PG_TPM2_ALG_ECDSA)
                return PG_ERR_ATTEST_SIG_ALG;
        if ((err = pg_u16(&c, &s.hash)) != PG_OK)
                return err;
        if (pg_tpm2_hash_size(s.hash) == 0)
                return PG_ERR_ATTEST_SIG_HASH;
        if (s.alg == PG_TPM2_ALG_ECDSA) {
                err = pg_tpm2b(&c, s.r, sizeof(s.r), &s.r_len, false, PG_ERR_ATTEST_ECC_SIG_SIZE);
                if (err == PG_OK)
                        err = pg_tpm2b(&c, s.s, sizeof(s.s), &s.s_len, false,
                                       PG_ERR_ATTEST_ECC_SIG_SIZE);
        } else {
                err = pg_tpm2b(&c, s.rsa, sizeof(s.rsa), &s.rsa_len, false,
                               PG_ERR_ATTEST_SIG_SIZE);
                if (err == PG_OK && s.rsa_len < PG_TPM2_RSA_MIN_BYTES)
                        err = PG_ERR_ATTEST_SIG_SIZE;
        }
        if (err == PG_OK && c.p != c.end)
                err = PG_ERR_ATTEST_TRAILING;
        if (err == PG_OK)
                *out = s;
        return err;
}

/* TPMT_SYM_DEF_OBJECT of a signing key (must be NULL) and the scheme. */
static pg_err pg_parse_scheme(struct pg_cursor *c, struct pg_tpm2_public *k)
{
        uint16_t sym;
        pg_err err;

        if ((err = pg_u16(c, &sym)) != PG_OK)
                return err;
        if (sym != PG_TPM2_ALG_NULL)
                return PG_ERR_ATTEST_PUB_SYMMETRIC;
        if ((err = pg_u16(c, &k->scheme)) != PG_OK)
                return err;
        if (k->scheme == PG_TPM2_ALG_NULL)
                return PG_OK;
        if ((k->type == PG_TPM2_ALG_RSA && k->scheme != PG_TPM2_ALG_RSASSA &&
             k->scheme != PG_TPM2_ALG_RSAPSS) ||
            (k->type == PG_TPM2_ALG_ECC && k->scheme != PG_TPM2_ALG_ECDSA))
                return PG_ERR_ATTEST_PUB_SCHEME;
        if ((err = pg_u16(c, &k->scheme_hash)) != PG_OK)
                return err;
        return pg_tpm2_hash_size(k->scheme_hash) ? PG_OK : PG_ERR_ATTEST_PUB_SCHEME_HASH;
}

static pg_err pg_parse_rsa(struct pg_cursor *c, struct pg_tpm2_public *k)
{
        pg_err err;

        if ((err = pg_u16(c, &k->key_bits)) != PG_OK)
                return err;
        if (k->key_bits != 2048 && k->key_bits != 3072 && k->key_bits != 4096)
                return PG_ERR_ATTEST_PUB_KEY_BITS;
        if ((err = pg_u32(c, &k->exponent)) != PG_OK)
                return err;
        err = pg_tpm2b(c, k->modulus, sizeof(k->modulus), &k->modulus_len, false,
                       PG_ERR_ATTEST_PUB_MODULUS_SIZE);
        if (err == PG_OK && k->modulus_len != k->key_bits / 8)
                err = PG_ERR_ATTEST_PUB_MODULUS_SIZE;
        return err;
}

static pg_err pg_parse_ecc(struct pg_cursor *c, struct pg_tpm2_public *k)
{
        uint16_t kdf, n;
        pg_err err;

        if ((err = pg_u16(c, &k->curve)) != PG_OK)
                return err;
        if (k->curve != PG_TPM2_ECC_NIST_P256)
                return PG_ERR_ATTEST_PUB_CURVE;
        if ((err = pg_u16(c, &kdf)) != PG_OK)
                return err;
        if (kdf != PG_TPM2_ALG_NULL)
                return PG_ERR_ATTEST_PUB_KDF;
        err = pg_tpm2b(c, k->x, sizeof(k->x), &n, false, PG_ERR_ATTEST_PUB_POINT_SIZE);
        if (err == PG_OK && n != PG_TPM2_P256_BYTES)
                err = PG_ERR_ATTEST_PUB_POINT_SIZE;
        if (err == PG_OK)
                err = pg_tpm2b(c, k->y, sizeof(k->y), &n, false, PG_ERR_ATTEST_PUB_POINT_SIZE);
        if (err == PG_OK && n != PG_TPM2_P256_BYTES)
                err = PG_ERR_ATTEST_PUB_POINT_SIZE;
        return err;
}

pg_err pg_tpm2_parse_public(const uint8_t *buf, size_t len, struct pg_tpm2_public *out)
{
        struct pg_tpm2_public k;
        struct pg_cursor c = { buf, buf + len };
        uint8_t policy[PG_TPM2_HASH_SIZE_MAX];
        uint16_t size, policy_len;
        pg_err err;

        if (len > PG_TPM2_PUBLIC_MAX)
                return PG_ERR_ATTEST_TOO_LARGE;
        memset(&k, 0, sizeof(k));
        if ((err = pg_u16(&c, &size)) != PG_OK)
                return err;
        if (size == 0 || size != (size_t)(c.end - c.p))
                return PG_ERR_ATTEST_PUB_SIZE;
        if ((err = pg_u16(&c, &k.type)) != PG_OK)
                return err;
        if (k.type != PG_TPM2_ALG_RSA && k.type != PG_TPM2_ALG_ECC)
                return PG_ERR_ATTEST_PUB_TYPE;
        if ((err = pg_u16(&c, &k.name_alg)) != PG_OK)
                return err;
        if (pg_tpm2_hash_size(k.name_alg) == 0)
                return PG_ERR_ATTEST_PUB_NAME_ALG;
        if ((err = pg_u32(&c, &k.attributes)) != PG_OK)
                return err;
        err = pg_tpm2b(&c, policy, sizeof(policy), &policy_len, true,
                       PG_ERR_ATTEST_PUB_POLICY_SIZE);
        if (err == PG_OK)
                err = pg_parse_scheme(&c, &k);
        if (err == PG_OK)
                err = k.type == PG_TPM2_ALG_RSA ? pg_parse_rsa(&c, &k) : pg_parse_ecc(&c, &k);
        if (err == PG_OK && c.p != c.end)
                err = PG_ERR_ATTEST_TRAILING;
        if (err == PG_OK)
                *out = k;
        return err;
}
