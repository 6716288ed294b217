/* SPDX-License-Identifier: BSD-2-Clause */
/* PCR read and extend through tpm2-tss ESAPI (tpm/esys.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include "tpm/esys.h"

struct esys_conn {
        TSS2_TCTI_CONTEXT *tcti;
        ESYS_CONTEXT *ctx;
};

const char *pg_esys_tcti(const char *explicit_tcti, const char *fallback, const char **origin)
{
        static const char *const vars[] = { "TPM2TOOLS_TCTI", "TSS2_TCTI" };

        if (explicit_tcti) {
                *origin = "--tcti";
                return explicit_tcti;
        }
        for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
                const char *v = getenv(vars[i]);

                if (v && v[0]) {
                        *origin = vars[i];
                        return v;
                }
        }
        *origin = "default";
        return fallback;
}

static void esys_close(struct esys_conn *c)
{
        if (c->ctx)
                Esys_Finalize(&c->ctx);
        if (c->tcti)
                Tss2_TctiLdr_Finalize(&c->tcti);
}

static pg_err esys_open(const char *tcti, struct esys_conn *c, char *cause, size_t cause_size)
{
        TSS2_RC rc;

        /* tpm2-tss logs its own errors to stderr; prodgate reports them once. */
        setenv("TSS2_LOG", "all+NONE", 0);
        memset(c, 0, sizeof(*c));
        rc = Tss2_TctiLdr_Initialize(tcti, &c->tcti);
        if (rc == TSS2_RC_SUCCESS)
                rc = Esys_Initialize(&c->ctx, c->tcti, NULL);
        if (rc != TSS2_RC_SUCCESS) {
                snprintf(cause, cause_size, "TCTI '%s': %s", tcti, Tss2_RC_Decode(rc));
                esys_close(c);
                return PG_ERR_XCHECK_TPM_UNAVAILABLE;
        }
        return PG_OK;
}

static uint16_t esys_alg_size(TPMI_ALG_HASH alg)
{
        switch (alg) {
        case TPM2_ALG_SHA1: return 20;
        case TPM2_ALG_SHA256:
        case TPM2_ALG_SM3_256:
                return 32;
        case TPM2_ALG_SHA384: return 48;
        case TPM2_ALG_SHA512: return 64;
        }
        return 0;
}

/* Reads pcr of one bank into b; false when the bank does not return it. */
static TSS2_RC esys_read_bank(ESYS_CONTEXT *ctx, TPMI_ALG_HASH alg, uint32_t pcr,
                              struct pg_esys_bank *b, bool *got)
{
        TPML_PCR_SELECTION sel = { .count = 1 };
        TPML_PCR_SELECTION *sel_out = NULL;
        TPML_DIGEST *values = NULL;
        UINT32 counter;
        TSS2_RC rc;

        sel.pcrSelections[0].hash = alg;
        sel.pcrSelections[0].sizeofSelect = 3;
        sel.pcrSelections[0].pcrSelect[pcr / 8] = (uint8_t)(1u << (pcr % 8));
        *got = false;
        rc = Esys_PCR_Read(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &sel, &counter,
                           &sel_out, &values);
        if (rc == TSS2_RC_SUCCESS && values->count == 1 &&
            values->digests[0].size == esys_alg_size(alg)) {
                b->alg = alg;
                b->size = values->digests[0].size;
                memcpy(b->value, values->digests[0].buffer, b->size);
                *got = true;
        }
        Esys_Free(sel_out);
        Esys_Free(values);
        return rc;
}

static pg_err esys_read(ESYS_CONTEXT *ctx, uint32_t pcr, struct pg_esys_pcr *out, char *cause,
                        size_t cause_size)
{
        TPMS_CAPABILITY_DATA *cap = NULL;
        TPMI_YES_NO more;
        TSS2_RC rc;

        rc = Esys_GetCapability(ctx, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_PCRS, 0,
                                1, &more, &cap);
        if (rc != TSS2_RC_SUCCESS) {
                snprintf(cause, cause_size, "TPM2_GetCapability: %s", Tss2_RC_Decode(rc));
                return PG_ERR_XCHECK_TPM_UNAVAILABLE;
        }
        memset(out, 0, sizeof(*out));
        out->pcr = pcr;
        for (UINT32 i = 0; i < cap->data.assignedPCR.count; i++) {
                const TPMS_PCR_SELECTION *s = &cap->data.assignedPCR.pcrSelections[i];
                bool got;

                if (out->bank_count == PG_ESYS_MAX_BANKS || esys_alg_size(s->hash) == 0 ||
                    s->sizeofSelect <= pcr / 8 || !(s->pcrSelect[pcr / 8] & (1u << (pcr % 8))))
                        continue;
                rc = esys_read_bank(ctx, s->hash, pcr, &out->banks[out->bank_count], &got);
                if (rc != TSS2_RC_SUCCESS) {
                        snprintf(cause, cause_size, "TPM2_PCR_Read: %s", Tss2_RC_Decode(rc));
                        Esys_Free(cap);
                        return PG_ERR_XCHECK_TPM_UNAVAILABLE;
                }
                out->bank_count += got;
        }
        Esys_Free(cap);
        if (pg_esys_bank(out, TPM2_ALG_SHA256) == NULL) {
                snprintf(cause, cause_size, "PCR %u has no active SHA-256 bank", pcr);
                return PG_ERR_XCHECK_NO_SHA256_BANK;
        }
        return PG_OK;
}

pg_err pg_esys_pcr_read(const char *tcti, uint32_t pcr, struct pg_esys_pcr *out, char *cause,
                        size_t cause_size)
{
        struct esys_conn c;
        struct pg_esys_pcr tmp;
        pg_err err;

        if (pcr > 23)
                return PG_ERR_XCHECK_TPM_UNAVAILABLE;
        if ((err = esys_open(tcti, &c, cause, cause_size)) != PG_OK)
                return err;
        err = esys_read(c.ctx, pcr, &tmp, cause, cause_size);
        esys_close(&c);
        if (err == PG_OK)
                *out = tmp;
        return err;
}

pg_err pg_esys_pcr_extend_sha256(const char *tcti, uint32_t pcr, const uint8_t digest[32],
                                 char *cause, size_t cause_size)
{
        TPML_DIGEST_VALUES d = { .count = 1 };
        struct esys_conn c;
        TSS2_RC rc;
        pg_err err;

        if (pcr > 23)
                return PG_ERR_XCHECK_TPM_UNAVAILABLE;
        if ((err = esys_open(tcti, &c, cause, cause_size)) != PG_OK)
                return err;
        d.digests[0].hashAlg = TPM2_ALG_SHA256;
        memcpy(d.digests[0].digest.sha256, digest, 32);
        rc = Esys_PCR_Extend(c.ctx, ESYS_TR_PCR0 + pcr, ESYS_TR_PASSWORD, ESYS_TR_NONE,
                             ESYS_TR_NONE, &d);
        esys_close(&c);
        if (rc != TSS2_RC_SUCCESS) {
                snprintf(cause, cause_size, "TPM2_PCR_Extend of PCR %u: %s", pcr,
                         Tss2_RC_Decode(rc));
                return PG_ERR_XCHECK_TPM_UNAVAILABLE;
        }
        return PG_OK;
}

const struct pg_esys_bank *pg_esys_bank(const struct pg_esys_pcr *p, uint16_t alg)
{
        for (size_t i = 0; i < p->bank_count; i++)
                if (p->banks[i].alg == alg)
                        return &p->banks[i];
        return NULL;
}
