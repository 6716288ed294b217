/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The few TPM 2.0 commands the EFI stage sends itself: TPM2_PCR_Read (SHA-256
 * bank), TPM2_GetCapability(TPM_CAP_PCRS), TPM2_NV_ReadPublic, TPM2_NV_Read,
 * TPM2_NV_Write and TPM2_NV_WriteLock, in the byte layouts of TPM 2.0 Library
 * Part 3. The same code builds into the EFI binary (commands go through
 * EFI_TCG2_PROTOCOL.SubmitCommand) and the host tests (commands go to swtpm).
 *
 * Three layers:
 *   pg_tpm2_build_*   write one command into a caller buffer;
 *   pg_tpm2_parse_*   check one response strictly and extract its values;
 *   the rest          build, submit through a pg_tpm2_transport and parse,
 *                     including the PCR_Read loop the TPM requires.
 *
 * NV commands authorize with a password session (TPM_RS_PW) carrying an
 * empty password, with the NV index itself as the authorization handle: the
 * index must have TPMA_NV_AUTHREAD and TPMA_NV_AUTHWRITE and an empty auth
 * value (docs/tpm.md).
 *
 * Response codes: when the TPM answers with an error response code, the
 * functions return the PG_ERR_TPM_RC_* code that names it (PG_ERR_TPM_RC_OTHER
 * for the rest) and store the raw code in *tpm_rc for display. *tpm_rc is
 * written with PG_OK (0) and with a PG_ERR_TPM_RC_* result (the TPM's code),
 * and left alone otherwise. Every other out-parameter is written only on
 * PG_OK. tpm_rc may be NULL.
 */
#ifndef PG_TPM_TPM2_CMD_H
#define PG_TPM_TPM2_CMD_H

#include "pg/err.h"

/* Command and response sizes this code handles; both fit every command here. */
#define PG_TPM2_CMD_MAX 256
#define PG_TPM2_RSP_MAX 1024
#define PG_TPM2_HEADER_SIZE 10

#define PG_TPM2_PCR_COUNT 24
#define PG_TPM2_PCR_MASK_ALL 0x00ffffffu
#define PG_TPM2_SHA256_SIZE 32
/* TPML_DIGEST contains at most 8 digests, so one PCR_Read returns at most 8 PCRs. */
#define PG_TPM2_PCR_READ_DIGESTS_MAX 8
/* Full restarts of the PCR_Read loop when the update counter moves. */
#define PG_TPM2_PCR_READ_ATTEMPTS 4
/* PCR selection bitmaps up to 32 PCRs; PC Client TPMs use 3 bytes. */
#define PG_TPM2_PCR_SELECT_MAX 4
/* Maximum number of banks in a TPM_CAP_PCRS response. */
#define PG_TPM2_BANKS_MAX 8
/* Largest digest of a name algorithm (SHA-512). */
#define PG_TPM2_DIGEST_MAX 64
#define PG_TPM2_NAME_MAX (2 + PG_TPM2_DIGEST_MAX)
/* Largest NV read or write in one command. */
#define PG_TPM2_NV_DATA_MAX 64

/* Tags, command codes and constants of TPM 2.0 Library Part 2. */
#define PG_TPM2_ST_RSP_COMMAND 0x00c4
#define PG_TPM2_ST_NO_SESSIONS 0x8001
#define PG_TPM2_ST_SESSIONS 0x8002

#define PG_TPM2_CC_NV_WRITE 0x00000137u
#define PG_TPM2_CC_NV_WRITE_LOCK 0x00000138u
#define PG_TPM2_CC_NV_READ 0x0000014eu
#define PG_TPM2_CC_NV_READ_PUBLIC 0x00000169u
#define PG_TPM2_CC_GET_CAPABILITY 0x0000017au
#define PG_TPM2_CC_PCR_READ 0x0000017eu

#define PG_TPM2_CAP_PCRS 0x00000005u
#define PG_TPM2_RS_PW 0x40000009u

#define PG_TPM2_ALG_SHA1 0x0004
#define PG_TPM2_ALG_SHA256 0x000b
#define PG_TPM2_ALG_SHA384 0x000c
#define PG_TPM2_ALG_SHA512 0x000d
#define PG_TPM2_ALG_SM3_256 0x0012

#define PG_TPM2_HR_NV_INDEX 0x01000000u
#define PG_TPM2_HR_NV_INDEX_END 0x01ffffffu

/* TPMA_NV bits. */
#define PG_TPMA_NV_PPWRITE 0x00000001u
#define PG_TPMA_NV_OWNERWRITE 0x00000002u
#define PG_TPMA_NV_AUTHWRITE 0x00000004u
#define PG_TPMA_NV_POLICYWRITE 0x00000008u
#define PG_TPMA_NV_TPM_NT_MASK 0x000000f0u
#define PG_TPMA_NV_TPM_NT_SHIFT 4
#define PG_TPM2_NT_ORDINARY 0x0
#define PG_TPMA_NV_POLICY_DELETE 0x00000400u
#define PG_TPMA_NV_WRITELOCKED 0x00000800u
#define PG_TPMA_NV_WRITEALL 0x00001000u
#define PG_TPMA_NV_WRITEDEFINE 0x00002000u
#define PG_TPMA_NV_WRITE_STCLEAR 0x00004000u
#define PG_TPMA_NV_GLOBALLOCK 0x00008000u
#define PG_TPMA_NV_PPREAD 0x00010000u
#define PG_TPMA_NV_OWNERREAD 0x00020000u
#define PG_TPMA_NV_AUTHREAD 0x00040000u
#define PG_TPMA_NV_POLICYREAD 0x00080000u
#define PG_TPMA_NV_NO_DA 0x02000000u
#define PG_TPMA_NV_ORDERLY 0x04000000u
#define PG_TPMA_NV_CLEAR_STCLEAR 0x08000000u
#define PG_TPMA_NV_READLOCKED 0x10000000u
#define PG_TPMA_NV_WRITTEN 0x20000000u
#define PG_TPMA_NV_PLATFORMCREATE 0x40000000u
#define PG_TPMA_NV_READ_STCLEAR 0x80000000u

/*
 * The anti-rollback index (docs/tpm.md): an ordinary index of 8 bytes holding
 * the SVN floor as a big-endian unsigned 64-bit integer. The handle is
 * configurable; this is the one the provisioning runbook uses.
 */
#define PG_TPM2_SVN_INDEX_DEFAULT 0x01000100u
#define PG_TPM2_SVN_INDEX_SIZE 8
#define PG_TPM2_SVN_ATTRS_REQUIRED \
        (PG_TPMA_NV_AUTHREAD | PG_TPMA_NV_AUTHWRITE | PG_TPMA_NV_WRITE_STCLEAR | PG_TPMA_NV_NO_DA)
#define PG_TPM2_SVN_ATTRS_FORBIDDEN \
        (PG_TPMA_NV_WRITEDEFINE | PG_TPMA_NV_ORDERLY | PG_TPMA_NV_CLEAR_STCLEAR | \
         PG_TPMA_NV_READ_STCLEAR)

/* SHA-256 PCR values; digest[i] is valid when bit i of mask is set. */
struct pg_tpm2_pcr_values {
        uint32_t mask;
        uint32_t update_counter;
        uint8_t digest[PG_TPM2_PCR_COUNT][PG_TPM2_SHA256_SIZE];
};

/* The PCR allocation: one entry per bank the TPM implements. */
struct pg_tpm2_pcr_banks {
        uint32_t count;
        struct {
                uint16_t hash;          /* TPM_ALG_ID */
                uint32_t mask;          /* allocated PCRs, bit i = PCR i */
        } bank[PG_TPM2_BANKS_MAX];
};

/* TPMS_NV_PUBLIC and the index name, in host byte order. */
struct pg_tpm2_nv_public {
        uint32_t index;
        uint16_t name_alg;
        uint32_t attributes;            /* TPMA_NV */
        uint16_t auth_policy_len;
        uint8_t auth_policy[PG_TPM2_DIGEST_MAX];
        uint16_t data_size;
        uint16_t name_len;
        uint8_t name[PG_TPM2_NAME_MAX];
};

/*
 * Sends one command and receives the whole response: rsp[0..*rsp_len) must
 * be exactly the bytes the TPM returned. A transport reports its own
 * failures as PG_ERR_TPM_TRANSPORT.
 */
struct pg_tpm2_transport {
        pg_err (*submit)(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *rsp,
                         size_t rsp_cap, size_t *rsp_len);
        void *ctx;
};

/* ---- command builders: *cmd_len is the command size, written on PG_OK ---- */

/* TPM2_PCR_Read of the SHA-256 bank; mask bit i selects PCR i (0..23). */
pg_err pg_tpm2_build_pcr_read(uint8_t *buf, size_t cap, uint32_t mask, size_t *cmd_len);

/* TPM2_GetCapability(TPM_CAP_PCRS, property 0, propertyCount 1). */
pg_err pg_tpm2_build_get_pcr_banks(uint8_t *buf, size_t cap, size_t *cmd_len);

pg_err pg_tpm2_build_nv_read_public(uint8_t *buf, size_t cap, uint32_t index, size_t *cmd_len);

/* TPM2_NV_Read of len bytes (1..PG_TPM2_NV_DATA_MAX) at offset. */
pg_err pg_tpm2_build_nv_read(uint8_t *buf, size_t cap, uint32_t index, uint16_t offset,
                             size_t len, size_t *cmd_len);

/* TPM2_NV_Write of data[0..len) (len 1..PG_TPM2_NV_DATA_MAX) at offset. */
pg_err pg_tpm2_build_nv_write(uint8_t *buf, size_t cap, uint32_t index, uint16_t offset,
                              const uint8_t *data, size_t len, size_t *cmd_len);

pg_err pg_tpm2_build_nv_write_lock(uint8_t *buf, size_t cap, uint32_t index, size_t *cmd_len);

/* ---- response parsers: rsp[0..len) is the whole response ---- */

/*
 * Reads the responseSize of a response header and checks it lies in
 * [PG_TPM2_HEADER_SIZE, cap]. For transports (EFI SubmitCommand) that fill
 * a fixed buffer and learn the length only from the header.
 */
pg_err pg_tpm2_response_size(const uint8_t *rsp, size_t cap, size_t *size);

/* Maps a TPM response code other than TPM_RC_SUCCESS to a PG_ERR_TPM_RC_* code. */
pg_err pg_tpm2_rc_err(uint32_t rc);

/*
 * A TPM2_PCR_Read response to a SHA-256 request for mask. out->mask is the
 * set the TPM returned (a subset of mask, possibly empty).
 */
pg_err pg_tpm2_parse_pcr_read(const uint8_t *rsp, size_t len, uint32_t mask,
                              struct pg_tpm2_pcr_values *out, uint32_t *tpm_rc);

pg_err pg_tpm2_parse_get_pcr_banks(const uint8_t *rsp, size_t len, struct pg_tpm2_pcr_banks *out,
                                   uint32_t *tpm_rc);

pg_err pg_tpm2_parse_nv_read_public(const uint8_t *rsp, size_t len, uint32_t index,
                                    struct pg_tpm2_nv_public *out, uint32_t *tpm_rc);

/* A TPM2_NV_Read response that must carry exactly len bytes; they go to data. */
pg_err pg_tpm2_parse_nv_read(const uint8_t *rsp, size_t len, uint8_t *data, size_t data_len,
                             uint32_t *tpm_rc);

pg_err pg_tpm2_parse_nv_write(const uint8_t *rsp, size_t len, uint32_t *tpm_rc);

pg_err pg_tpm2_parse_nv_write_lock(const uint8_t *rsp, size_t len, uint32_t *tpm_rc);

/* ---- round trips through a transport ---- */

/*
 * Reads the SHA-256 PCRs in mask. A TPM returns at most 8 digests per
 * response, and fewer for PCRs it does not have, so the request is repeated
 * for the PCRs still missing. When pcrUpdateCounter changes between two
 * responses, a PCR was extended in between and the read starts over, up to
 * PG_TPM2_PCR_READ_ATTEMPTS times, so every value belongs to one counter
 * value. PG_ERR_TPM_PCR_UNAVAILABLE when a response returns none of the
 * missing PCRs.
 */
pg_err pg_tpm2_pcr_read(const struct pg_tpm2_transport *t, uint32_t mask,
                        struct pg_tpm2_pcr_values *out, uint32_t *tpm_rc);

pg_err pg_tpm2_get_pcr_banks(const struct pg_tpm2_transport *t, struct pg_tpm2_pcr_banks *out,
                             uint32_t *tpm_rc);

pg_err pg_tpm2_nv_read_public(const struct pg_tpm2_transport *t, uint32_t index,
                              struct pg_tpm2_nv_public *out, uint32_t *tpm_rc);

pg_err pg_tpm2_nv_read(const struct pg_tpm2_transport *t, uint32_t index, uint16_t offset,
                       uint8_t *data, size_t len, uint32_t *tpm_rc);

pg_err pg_tpm2_nv_write(const struct pg_tpm2_transport *t, uint32_t index, uint16_t offset,
                        const uint8_t *data, size_t len, uint32_t *tpm_rc);

pg_err pg_tpm2_nv_write_lock(const struct pg_tpm2_transport *t, uint32_t index,
                             uint32_t *tpm_rc);

/*
 * Checks that an NV public area has the anti-rollback layout of docs/tpm.md:
 * the expected handle, ordinary type, PG_TPM2_SVN_INDEX_SIZE bytes, every
 * PG_TPM2_SVN_ATTRS_REQUIRED bit and none of PG_TPM2_SVN_ATTRS_FORBIDDEN.
 */
pg_err pg_tpm2_svn_index_check(const struct pg_tpm2_nv_public *pub, uint32_t index);

#endif
