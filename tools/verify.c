/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pg_verify_run() (tools/verify.h): the quote steps (attestation key,
 * signature with OpenSSL, TPMS_ATTEST fields, nonce, PCR digest), the
 * order of all steps, and the gates and decisions rebuilt from the logs.
 * The log steps are in verify_logs.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/sha256.h"
#include "gates/manifest.h"
#include "tools/verify_internal.h"

/* Largest attestation key file, PEM or TPM2B_PUBLIC, that is read. */
#define PG_VERIFY_AK_MAX 65536

static const char *const pg_step_names[PG_VSTEP_COUNT] = {
        [PG_VSTEP_AK] = "attestation-key",
        [PG_VSTEP_SIGNATURE] = "signature",
        [PG_VSTEP_QUOTE] = "quote",
        [PG_VSTEP_NONCE] = "nonce",
        [PG_VSTEP_EVENTLOG] = "firmware-log",
        [PG_VSTEP_USERSPACE_LOG] = "userspace-log",
        [PG_VSTEP_ORDER] = "event-order",
        [PG_VSTEP_IDENTITY] = "manifest-identity",
        [PG_VSTEP_PREOS] = "pre-os-results",
        [PG_VSTEP_RUNTIME] = "runtime-results",
        [PG_VSTEP_PCR_DIGEST] = "pcr-digest",
};

const char *pg_verify_step_name(unsigned step)
{
        return step < PG_VSTEP_COUNT ? pg_step_names[step] : NULL;
}

const char *pg_verify_step_result_name(uint32_t result)
{
        static const char *const names[] = { "pass", "fail", "skipped" };

        return result < PG_ARRAY_SIZE(names) ? names[result] : NULL;
}

void pg_verify_step_set(struct pg_verify_ctx *c, unsigned step, uint32_t result, pg_err reason,
                        const char *fmt, ...)
{
        struct pg_verify_step *s = &c->out->steps[step];
        va_list ap;

        s->result = result;
        s->reason = result == PG_VSTEP_PASSED ? PG_OK : reason;
        s->detail[0] = 0;
        if (fmt) {
                va_start(ap, fmt);
                vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
                va_end(ap);
        }
}

static const char *pg_sym(pg_err err)
{
        const char *s = pg_err_name(err);

        return s ? s : "PG_ERR_UNKNOWN";
}

/* ---- attestation key ----------------------------------------------------- */

static EVP_PKEY *pg_pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
        OSSL_PARAM *params = bld ? OSSL_PARAM_BLD_to_param(bld) : NULL;
        EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
        EVP_PKEY *key = NULL;

        if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
            EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
                key = NULL;
        EVP_PKEY_CTX_free(ctx);
        OSSL_PARAM_free(params);
        return key;
}

/* Builds an OpenSSL key from a decoded TPM2B_PUBLIC. */
static EVP_PKEY *pg_pkey_from_tpm(const struct pg_tpm2_public *k)
{
        OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
        BIGNUM *n = NULL, *e = NULL;
        uint8_t point[1 + 2 * PG_TPM2_P256_BYTES];
        EVP_PKEY *key = NULL;
        int ok = b != NULL;

        if (ok && k->type == PG_TPM2_ALG_RSA) {
                n = BN_bin2bn(k->modulus, k->modulus_len, NULL);
                e = BN_new();
                ok = n && e && BN_set_word(e, k->exponent ? k->exponent : 65537) &&
                     OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, n) &&
                     OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, e);
                key = ok ? pg_pkey_fromdata("RSA", b) : NULL;
        } else if (ok) {
                point[0] = 0x04;
                memcpy(point + 1, k->x, PG_TPM2_P256_BYTES);
                memcpy(point + 1 + PG_TPM2_P256_BYTES, k->y, PG_TPM2_P256_BYTES);
                ok = OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME,
                                                     "prime256v1", 0) &&
                     OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, point,
                                                      sizeof(point));
                key = ok ? pg_pkey_fromdata("EC", b) : NULL;
        }
        BN_free(n);
        BN_free(e);
        OSSL_PARAM_BLD_free(b);
        return key;
}

/* Accepts RSA keys of 2048 to 4096 bits and EC keys on P-256, and rejects any other. */
static bool pg_pkey_usable(EVP_PKEY *key)
{
        char group[32];
        size_t n = 0;

        if (EVP_PKEY_is_a(key, "RSA"))
                return EVP_PKEY_get_bits(key) >= 2048 && EVP_PKEY_get_bits(key) <= 4096;
        if (!EVP_PKEY_is_a(key, "EC") ||
            EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                           sizeof(group), &n) != 1)
                return false;
        return strcmp(group, "prime256v1") == 0;
}

static EVP_PKEY *pg_verify_ak(struct pg_verify_ctx *c, struct pg_tpm2_public *pub, bool *tpm)
{
        const uint32_t need = PG_TPMA_OBJECT_FIXEDTPM | PG_TPMA_OBJECT_RESTRICTED |
                              PG_TPMA_OBJECT_SIGN;
        const struct pg_verify_input *in = c->in;
        EVP_PKEY *key = NULL;
        pg_err err;

        *tpm = in->ak_len > 10 && memcmp(in->ak, "-----BEGIN", 10) != 0;
        if (in->ak_len > PG_VERIFY_AK_MAX) {
                err = PG_ERR_VERIFY_AK_INVALID;
        } else if (!*tpm) {
                BIO *bio = BIO_new_mem_buf(in->ak, (int)in->ak_len);

                key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
                BIO_free(bio);
                err = key && pg_pkey_usable(key) ? PG_OK : PG_ERR_VERIFY_AK_INVALID;
        } else if ((err = pg_tpm2_parse_public(in->ak, in->ak_len, pub)) == PG_OK) {
                if ((pub->attributes & need) != need)
                        err = PG_ERR_VERIFY_AK_NOT_RESTRICTED;
                else if ((key = pg_pkey_from_tpm(pub)) == NULL)
                        err = PG_ERR_VERIFY_AK_INVALID;
        }
        if (err != PG_OK) {
                EVP_PKEY_free(key);
                pg_verify_step_set(c, PG_VSTEP_AK, PG_VSTEP_FAILED, err, "%s",
                                   *tpm ? "TPM2B_PUBLIC" : "PEM");
                return NULL;
        }
        pg_verify_step_set(c, PG_VSTEP_AK, PG_VSTEP_PASSED, PG_OK, "%s %s key%s",
                           EVP_PKEY_is_a(key, "RSA") ? "RSA" : "ECC P-256",
                           *tpm ? "TPM2B_PUBLIC" : "PEM",
                           *tpm ? ", restricted signing" : ", attributes not carried by PEM");
        return key;
}

/* ---- signature ------------------------------------------------------------ */

/* Encodes (r, s) as a DER ECDSA-Sig-Value, allocated by OpenSSL. Returns its length or -1. */
static int pg_ecdsa_der(const struct pg_tpm2_signature *s, uint8_t **der)
{
        ECDSA_SIG *sig = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(s->r, s->r_len, NULL), *sv = BN_bin2bn(s->s, s->s_len, NULL);
        int n = -1;

        if (sig && r && sv && ECDSA_SIG_set0(sig, r, sv) == 1) {
                r = sv = NULL;
                *der = NULL;
                n = i2d_ECDSA_SIG(sig, der);
        }
        BN_free(r);
        BN_free(sv);
        ECDSA_SIG_free(sig);
        return n;
}

static pg_err pg_sig_verify(EVP_PKEY *key, const struct pg_tpm2_signature *s,
                            const uint8_t *msg, size_t len)
{
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = NULL;
        uint8_t *der = NULL;
        const uint8_t *sig = s->rsa;
        int sig_len = s->rsa_len, ok;

        if (s->alg == PG_TPM2_ALG_ECDSA) {
                sig_len = pg_ecdsa_der(s, &der);
                sig = der;
        }
        ok = md && sig_len > 0 && EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, key) == 1;
        if (ok && s->alg == PG_TPM2_ALG_RSASSA)
                ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
        if (ok && s->alg == PG_TPM2_ALG_RSAPSS)
                ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) == 1;
        if (!ok) {
                EVP_MD_CTX_free(md);
                OPENSSL_free(der);
                return PG_ERR_VERIFY_INTERNAL;
        }
        ok = EVP_DigestVerify(md, sig, (size_t)sig_len, msg, len) == 1;
        EVP_MD_CTX_free(md);
        OPENSSL_free(der);
        return ok ? PG_OK : PG_ERR_VERIFY_SIG_INVALID;
}

/* Checks that the signature scheme fits the key: RSASSA or RSAPSS for RSA,
 * ECDSA for P-256, always SHA-256, and the scheme that a TPM2B_PUBLIC fixes. */
static bool pg_sig_scheme_ok(EVP_PKEY *key, const struct pg_tpm2_signature *s,
                             const struct pg_tpm2_public *pub, bool tpm)
{
        bool rsa = EVP_PKEY_is_a(key, "RSA");

        if (s->hash != PG_TPM2_ALG_SHA256)
                return false;
        if (rsa ? s->alg == PG_TPM2_ALG_ECDSA : s->alg != PG_TPM2_ALG_ECDSA)
                return false;
        return !tpm || pub->scheme == PG_TPM2_ALG_NULL ||
               (pub->scheme == s->alg && pub->scheme_hash == s->hash);
}

static void pg_verify_signature(struct pg_verify_ctx *c)
{
        struct pg_tpm2_signature s;
        struct pg_tpm2_public pub;
        bool tpm = false;
        EVP_PKEY *key = pg_verify_ak(c, &pub, &tpm);
        pg_err err;

        if (key == NULL) {
                pg_verify_step_set(c, PG_VSTEP_SIGNATURE, PG_VSTEP_SKIPPED, PG_OK,
                                   "no usable attestation key");
                return;
        }
        err = pg_tpm2_parse_signature(c->in->quote_sig, c->in->quote_sig_len, &s);
        if (err == PG_OK && !pg_sig_scheme_ok(key, &s, &pub, tpm))
                err = PG_ERR_VERIFY_SIG_SCHEME;
        if (err == PG_OK)
                err = pg_sig_verify(key, &s, c->in->quote_msg, c->in->quote_msg_len);
        if (err == PG_OK)
                c->out->sig_alg = s.alg;
        pg_verify_step_set(c, PG_VSTEP_SIGNATURE, err ? PG_VSTEP_FAILED : PG_VSTEP_PASSED, err,
                           "%s", err ? pg_sym(err) : s.alg == PG_TPM2_ALG_ECDSA ? "ECDSA SHA-256" :
                           s.alg == PG_TPM2_ALG_RSAPSS ? "RSAPSS SHA-256" : "RSASSA SHA-256");
        EVP_PKEY_free(key);
}

/* ---- quote fields ------------------------------------------------------------ */

static void pg_verify_quote(struct pg_verify_ctx *c)
{
        struct pg_verify_result *o = c->out;
        pg_err err = pg_tpm2_parse_quote(c->in->quote_msg, c->in->quote_msg_len, &c->quote);

        if (err != PG_OK) {
                pg_verify_step_set(c, PG_VSTEP_QUOTE, PG_VSTEP_FAILED, err, NULL);
                pg_verify_step_set(c, PG_VSTEP_NONCE, PG_VSTEP_SKIPPED, PG_OK, "no quote");
                return;
        }
        c->quote_ok = true;
        o->clock = c->quote.clock;
        o->reset_count = c->quote.reset_count;
        o->restart_count = c->quote.restart_count;
        o->firmware_version = c->quote.firmware_version;
        pg_verify_step_set(c, PG_VSTEP_QUOTE, PG_VSTEP_PASSED, PG_OK,
                           "TPM_ST_ATTEST_QUOTE, %u bank%s", c->quote.select_count,
                           c->quote.select_count == 1 ? "" : "s");
        if (c->quote.extra_len != c->in->nonce_len || c->in->nonce_len == 0 ||
            CRYPTO_memcmp(c->quote.extra, c->in->nonce, c->in->nonce_len) != 0)
                pg_verify_step_set(c, PG_VSTEP_NONCE, PG_VSTEP_FAILED,
                                   PG_ERR_VERIFY_NONCE_MISMATCH, "extraData of %u bytes",
                                   c->quote.extra_len);
        else
                pg_verify_step_set(c, PG_VSTEP_NONCE, PG_VSTEP_PASSED, PG_OK, "%zu bytes",
                                   c->in->nonce_len);
}

/*
 * Checks the device's PCR values file against the quote: one SHA-256 value per
 * quoted PCR, in the same order as the quoted digest, hashing to that digest.
 * Once the file is authentic, names the first PCR whose value differs from the
 * replay, which is what an operator needs when the quoted digest does not
 * match. Returns PG_OK, or the reason; writes a detail line on a mismatch.
 */
static pg_err pg_verify_quote_pcrs(struct pg_verify_ctx *c, uint32_t all, char *detail,
                                   size_t detail_size)
{
        const uint8_t *v = c->in->quote_pcrs;
        uint8_t d[32];
        uint32_t count = (uint32_t)__builtin_popcount(all);

        if (c->in->quote_pcrs_len != (size_t)count * 32)
                return PG_ERR_VERIFY_QUOTE_PCRS_LENGTH;
        pg_sha256(v, c->in->quote_pcrs_len, d);
        if (c->quote.pcr_digest_len != sizeof(d) ||
            CRYPTO_memcmp(d, c->quote.pcr_digest, sizeof(d)) != 0)
                return PG_ERR_VERIFY_QUOTE_PCRS_DIGEST;
        for (uint32_t pcr = 0; pcr <= PG_TPM2_PCR_MAX; pcr++) {
                if (!(all & (1u << pcr)))
                        continue;
                if (CRYPTO_memcmp(v, c->pcrs[pcr], 32) != 0) {
                        snprintf(detail, detail_size,
                                 "PCR %u: quoted %02x%02x%02x%02x..., logs replay to "
                                 "%02x%02x%02x%02x...", pcr, v[0], v[1], v[2], v[3],
                                 c->pcrs[pcr][0], c->pcrs[pcr][1], c->pcrs[pcr][2],
                                 c->pcrs[pcr][3]);
                        return PG_ERR_VERIFY_PCR_DIGEST_MISMATCH;
                }
                v += 32;
        }
        return PG_OK;
}

/* Compares the quoted digest with SHA-256 over the replayed values of the
 * selected PCRs, in selection order and each bank's PCRs in ascending order. */
static void pg_verify_pcr_digest(struct pg_verify_ctx *c)
{
        struct pg_verify_result *o = c->out;
        struct pg_sha256_ctx h;
        uint8_t d[32];
        uint32_t all = 0;
        pg_err err = PG_OK;

        if (!c->quote_ok || !c->cel_ok) {
                pg_verify_step_set(c, PG_VSTEP_PCR_DIGEST, PG_VSTEP_SKIPPED, PG_OK,
                                   "no quote or no replay");
                return;
        }
        pg_sha256_init(&h);
        for (uint32_t i = 0; i < c->quote.select_count; i++) {
                uint32_t mask = c->quote.select[i].mask;

                if (c->quote.select[i].hash != PG_TPM2_ALG_SHA256)
                        err = PG_ERR_VERIFY_QUOTE_BANK;
                all |= mask;
                for (uint32_t pcr = 0; pcr <= PG_TPM2_PCR_MAX; pcr++)
                        if (mask & (1u << pcr))
                                pg_sha256_update(&h, c->pcrs[pcr], 32);
        }
        pg_sha256_final(&h, d);
        o->quoted_pcrs = all;
        if (err == PG_OK && !(all & (1u << o->gates_pcr)))
                err = PG_ERR_VERIFY_PCR_NOT_QUOTED;
        if (err == PG_OK && (all & c->incomplete))
                err = PG_ERR_VERIFY_PCR_INCOMPLETE;
        if (err == PG_OK && (c->quote.pcr_digest_len != sizeof(d) ||
                             CRYPTO_memcmp(d, c->quote.pcr_digest, sizeof(d)) != 0))
                err = PG_ERR_VERIFY_PCR_DIGEST_MISMATCH;
        o->has_replay = true;
        memcpy(o->gates_pcr_value, c->pcrs[o->gates_pcr], 32);
        if (c->in->quote_pcrs && (err == PG_OK || err == PG_ERR_VERIFY_PCR_DIGEST_MISMATCH)) {
                char detail[128] = "";
                pg_err values_err = pg_verify_quote_pcrs(c, all, detail, sizeof(detail));

                if (values_err != PG_OK && values_err != PG_ERR_VERIFY_PCR_DIGEST_MISMATCH)
                        err = values_err;
                if (detail[0]) {
                        pg_verify_step_set(c, PG_VSTEP_PCR_DIGEST, PG_VSTEP_FAILED, err, "%s",
                                           detail);
                        return;
                }
        }
        pg_verify_step_set(c, PG_VSTEP_PCR_DIGEST, err ? PG_VSTEP_FAILED : PG_VSTEP_PASSED, err,
                           "PCR mask 0x%06x", all);
}

/* ---- gates and decisions -------------------------------------------------- */

static void pg_verify_default_policy(struct pg_decide_input *in)
{
        for (unsigned g = 0; g < PG_GATE_COUNT; g++)
                in->requirement[g] = PG_REQUIREMENT_REQUIRED;
        in->production_readiness = 0x7fe;                               /* gates 1 to 10 */
        in->ota_eligibility = (1u << 1) | (1u << 2) | (1u << 9);        /* gates 1, 2, 9 */
}

/* Fills each objective from the logs: pre-OS ones from the handoff event,
 * runtime ones from the last runtime record, both combined for gates 4 and 9. */
static void pg_verify_gates(struct pg_verify_ctx *c)
{
        struct pg_verify_result *o = c->out;
        const struct pg_result none = { PG_OUTCOME_UNKNOWN, PG_ERR_VERIFY_NOT_VERIFIED };
        const struct pg_result no_rt = { PG_OUTCOME_UNKNOWN, PG_ERR_VERIFY_NO_RUNTIME };

        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                for (unsigned i = 0; i < PG_OBJECTIVES_PER_GATE; i++) {
                        const struct pg_handoff_result *h = &o->handoff.gates[g - 1].objectives[i];
                        struct pg_result pre = { h->outcome, h->reason };
                        struct pg_result rt = o->has_runtime ? c->runtime[g - 1][i] : no_rt;
                        struct pg_result *r = &o->in.objectives[g - 1][i];

                        if (!o->verified)
                                *r = none;
                        else if (g <= 2)
                                *r = pre;
                        else if (pg_decide_pre_os_objective(g, i))
                                *r = o->has_runtime ? pg_result_combine(pre, rt) : pre;
                        else
                                *r = rt;
                }
        }
        pg_decide(&o->in, &o->out);
}

int pg_verify_run(const struct pg_verify_input *in, struct pg_verify_result *out)
{
        struct pg_verify_ctx *c;

        if (!in || !out || !in->quote_msg || !in->quote_sig || !in->ak || !in->eventlog ||
            !in->trusted || pg_keyring_check(in->trusted) != PG_OK ||
            in->gates_pcr > PG_TPM2_PCR_MAX)
                return PG_VERIFY_ERROR;
        c = OPENSSL_zalloc(sizeof(*c));
        if (c == NULL)
                return PG_VERIFY_ERROR;
        memset(out, 0, sizeof(*out));
        c->in = in;
        c->out = out;
        out->gates_pcr = in->gates_pcr;
        pg_verify_default_policy(&out->in);
        pg_verify_signature(c);
        pg_verify_quote(c);
        pg_verify_eventlog(c);
        pg_verify_userspace_log(c);
        pg_verify_order(c);
        pg_verify_identity(c);
        pg_verify_preos(c);
        pg_verify_runtime(c);
        pg_verify_pcr_digest(c);
        out->verified = true;
        for (unsigned s = 0; s < PG_VSTEP_COUNT; s++) {
                if (out->steps[s].result == PG_VSTEP_PASSED)
                        continue;
                out->verified = false;
                if (out->reason == PG_OK)
                        out->reason = out->steps[s].result == PG_VSTEP_FAILED ?
                                      out->steps[s].reason : PG_ERR_VERIFY_NOT_VERIFIED;
        }
        if (!out->has_handoff)
                out->verified = false;
        if (!out->verified && out->reason == PG_OK)
                out->reason = PG_ERR_VERIFY_NOT_VERIFIED;
        pg_verify_gates(c);
        OPENSSL_free(c);
        out->status = !out->verified ? PG_VERIFY_FAILED :
                      out->out.production_readiness.met ? PG_VERIFY_READY : PG_VERIFY_NOT_READY;
        return (int)out->status;
}
