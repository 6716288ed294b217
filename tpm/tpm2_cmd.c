/* SPDX-License-Identifier: BSD-2-Clause */
#include "pg/platform.h"
#include "tpm/tpm2_cmd.h"

/*
 * Fixed parts of the wire formats, as byte arrays so the compiler adds no
 * padding. Multi-byte fields are big-endian and converted by pg_load_be* and
 * pg_tpm2_put_* only.
 */
struct pg_tpm2_wire_header {
        uint8_t tag[2];
        uint8_t size[4];
        uint8_t code[4];                /* commandCode or responseCode */
};

/* TPMS_AUTH_COMMAND of a password session with an empty password. */
struct pg_tpm2_wire_pw_auth {
        uint8_t handle[4];              /* TPM_RS_PW */
        uint8_t nonce_size[2];
        uint8_t attributes;
        uint8_t hmac_size[2];           /* the password */
};

/* TPMS_AUTH_RESPONSE of a password session. */
struct pg_tpm2_wire_pw_auth_rsp {
        uint8_t nonce_size[2];
        uint8_t attributes;
        uint8_t hmac_size[2];
};

/* TPMS_NV_PUBLIC up to and including the size of authPolicy. */
struct pg_tpm2_wire_nv_public_head {
        uint8_t index[4];
        uint8_t name_alg[2];
        uint8_t attributes[4];
        uint8_t policy_size[2];
};

PG_STATIC_ASSERT(sizeof(struct pg_tpm2_wire_header) == PG_TPM2_HEADER_SIZE, "TPM header size");
PG_STATIC_ASSERT(offsetof(struct pg_tpm2_wire_header, size) == 2, "TPM header size offset");
PG_STATIC_ASSERT(offsetof(struct pg_tpm2_wire_header, code) == 6, "TPM header code offset");
PG_STATIC_ASSERT(sizeof(struct pg_tpm2_wire_pw_auth) == 9, "password auth size");
PG_STATIC_ASSERT(offsetof(struct pg_tpm2_wire_pw_auth, attributes) == 6, "auth attributes offset");
PG_STATIC_ASSERT(offsetof(struct pg_tpm2_wire_pw_auth, hmac_size) == 7, "auth hmac offset");
PG_STATIC_ASSERT(sizeof(struct pg_tpm2_wire_pw_auth_rsp) == 5, "password auth response size");
PG_STATIC_ASSERT(offsetof(struct pg_tpm2_wire_pw_auth_rsp, hmac_size) == 3,
                 "auth response hmac offset");
PG_STATIC_ASSERT(sizeof(struct pg_tpm2_wire_nv_public_head) == 12, "NV public head size");
PG_STATIC_ASSERT(offsetof(struct pg_tpm2_wire_nv_public_head, attributes) == 6,
                 "NV public attributes offset");
PG_STATIC_ASSERT(offsetof(struct pg_tpm2_wire_nv_public_head, policy_size) == 10,
                 "NV public policy size offset");

/* Command sizes, from TPM 2.0 Library Part 3. */
#define PG_TPM2_PCR_READ_CMD_SIZE (PG_TPM2_HEADER_SIZE + 4 + 2 + 1 + 3)
#define PG_TPM2_GET_CAP_CMD_SIZE (PG_TPM2_HEADER_SIZE + 4 + 4 + 4)
#define PG_TPM2_NV_READ_PUBLIC_CMD_SIZE (PG_TPM2_HEADER_SIZE + 4)
/* header, authHandle, nvIndex, authorizationSize, one password auth */
#define PG_TPM2_NV_AUTH_CMD_SIZE \
        (PG_TPM2_HEADER_SIZE + 4 + 4 + 4 + sizeof(struct pg_tpm2_wire_pw_auth))
#define PG_TPM2_NV_READ_CMD_SIZE (PG_TPM2_NV_AUTH_CMD_SIZE + 2 + 2)
#define PG_TPM2_NV_WRITE_CMD_SIZE(len) (PG_TPM2_NV_AUTH_CMD_SIZE + 2 + (len) + 2)

PG_STATIC_ASSERT(PG_TPM2_PCR_READ_CMD_SIZE == 20, "PCR_Read command size");
PG_STATIC_ASSERT(PG_TPM2_NV_AUTH_CMD_SIZE == 31, "NV_WriteLock command size");
PG_STATIC_ASSERT(PG_TPM2_NV_WRITE_CMD_SIZE(PG_TPM2_NV_DATA_MAX) <= PG_TPM2_CMD_MAX,
                 "NV_Write fits PG_TPM2_CMD_MAX");
PG_STATIC_ASSERT(PG_TPM2_NV_DATA_MAX <= 0xffff, "NV data length fits a UINT16");

/* continueSession, the only attribute a password authorization response may set. */
#define PG_TPM2_SESSION_CONTINUE 0x01

/* ---- writing commands ---------------------------------------------------- */

struct pg_tpm2_writer {
        uint8_t *p;
};

static void pg_tpm2_put_u8(struct pg_tpm2_writer *w, uint8_t v)
{
        *w->p++ = v;
}

static void pg_tpm2_put_u16(struct pg_tpm2_writer *w, uint16_t v)
{
        w->p[0] = (uint8_t)(v >> 8);
        w->p[1] = (uint8_t)v;
        w->p += 2;
}

static void pg_tpm2_put_u32(struct pg_tpm2_writer *w, uint32_t v)
{
        pg_store_be32(w->p, v);
        w->p += 4;
}

static void pg_tpm2_put_bytes(struct pg_tpm2_writer *w, const uint8_t *src, size_t len)
{
        memcpy(w->p, src, len);
        w->p += len;
}

/* Checks that the buffer has room for size bytes and writes the command header. */
static pg_err pg_tpm2_begin(uint8_t *buf, size_t cap, size_t size, uint16_t tag, uint32_t cc,
                            struct pg_tpm2_writer *w)
{
        struct pg_tpm2_wire_header *h = (struct pg_tpm2_wire_header *)buf;

        if (!buf || size > cap)
                return PG_ERR_TPM_CMD_BUFFER_SMALL;
        h->tag[0] = (uint8_t)(tag >> 8);
        h->tag[1] = (uint8_t)tag;
        pg_store_be32(h->size, (uint32_t)size);
        pg_store_be32(h->code, cc);
        w->p = buf + sizeof(*h);
        return PG_OK;
}

/* authorizationSize and a TPM_RS_PW session with an empty password. */
static void pg_tpm2_put_pw_session(struct pg_tpm2_writer *w)
{
        struct pg_tpm2_wire_pw_auth auth;

        memset(&auth, 0, sizeof(auth));
        pg_store_be32(auth.handle, PG_TPM2_RS_PW);
        pg_tpm2_put_u32(w, (uint32_t)sizeof(auth));
        pg_tpm2_put_bytes(w, (const uint8_t *)&auth, sizeof(auth));
}

static pg_err pg_tpm2_check_mask(uint32_t mask)
{
        if (mask == 0)
                return PG_ERR_TPM_PCR_MASK_EMPTY;
        if (mask & ~PG_TPM2_PCR_MASK_ALL)
                return PG_ERR_TPM_PCR_MASK_RANGE;
        return PG_OK;
}

static pg_err pg_tpm2_check_nv_index(uint32_t index)
{
        if (index < PG_TPM2_HR_NV_INDEX || index > PG_TPM2_HR_NV_INDEX_END)
                return PG_ERR_TPM_NV_HANDLE_RANGE;
        return PG_OK;
}

static pg_err pg_tpm2_check_nv_span(uint16_t offset, size_t len)
{
        if (len == 0 || len > PG_TPM2_NV_DATA_MAX)
                return PG_ERR_TPM_NV_LENGTH;
        if (len > 0xffffu - offset)
                return PG_ERR_TPM_NV_OFFSET;
        return PG_OK;
}

pg_err pg_tpm2_build_pcr_read(uint8_t *buf, size_t cap, uint32_t mask, size_t *cmd_len)
{
        struct pg_tpm2_writer w;
        pg_err err;

        err = pg_tpm2_check_mask(mask);
        if (err)
                return err;
        err = pg_tpm2_begin(buf, cap, PG_TPM2_PCR_READ_CMD_SIZE, PG_TPM2_ST_NO_SESSIONS,
                            PG_TPM2_CC_PCR_READ, &w);
        if (err)
                return err;
        pg_tpm2_put_u32(&w, 1);                 /* TPML_PCR_SELECTION.count */
        pg_tpm2_put_u16(&w, PG_TPM2_ALG_SHA256);
        pg_tpm2_put_u8(&w, 3);                  /* sizeofSelect */
        pg_tpm2_put_u8(&w, (uint8_t)mask);
        pg_tpm2_put_u8(&w, (uint8_t)(mask >> 8));
        pg_tpm2_put_u8(&w, (uint8_t)(mask >> 16));
        *cmd_len = PG_TPM2_PCR_READ_CMD_SIZE;
        return PG_OK;
}

pg_err pg_tpm2_build_get_pcr_banks(uint8_t *buf, size_t cap, size_t *cmd_len)
{
        struct pg_tpm2_writer w;
        pg_err err;

        err = pg_tpm2_begin(buf, cap, PG_TPM2_GET_CAP_CMD_SIZE, PG_TPM2_ST_NO_SESSIONS,
                            PG_TPM2_CC_GET_CAPABILITY, &w);
        if (err)
                return err;
        pg_tpm2_put_u32(&w, PG_TPM2_CAP_PCRS);
        pg_tpm2_put_u32(&w, 0);                 /* property */
        pg_tpm2_put_u32(&w, 1);                 /* propertyCount */
        *cmd_len = PG_TPM2_GET_CAP_CMD_SIZE;
        return PG_OK;
}

pg_err pg_tpm2_build_nv_read_public(uint8_t *buf, size_t cap, uint32_t index, size_t *cmd_len)
{
        struct pg_tpm2_writer w;
        pg_err err;

        err = pg_tpm2_check_nv_index(index);
        if (err)
                return err;
        err = pg_tpm2_begin(buf, cap, PG_TPM2_NV_READ_PUBLIC_CMD_SIZE, PG_TPM2_ST_NO_SESSIONS,
                            PG_TPM2_CC_NV_READ_PUBLIC, &w);
        if (err)
                return err;
        pg_tpm2_put_u32(&w, index);
        *cmd_len = PG_TPM2_NV_READ_PUBLIC_CMD_SIZE;
        return PG_OK;
}

/* Header, authHandle = nvIndex = index, and the password session. */
static pg_err pg_tpm2_begin_nv_auth(uint8_t *buf, size_t cap, size_t size, uint32_t cc,
                                    uint32_t index, struct pg_tpm2_writer *w)
{
        pg_err err;

        err = pg_tpm2_check_nv_index(index);
        if (err)
                return err;
        err = pg_tpm2_begin(buf, cap, size, PG_TPM2_ST_SESSIONS, cc, w);
        if (err)
                return err;
        pg_tpm2_put_u32(w, index);              /* authHandle */
        pg_tpm2_put_u32(w, index);              /* nvIndex */
        pg_tpm2_put_pw_session(w);
        return PG_OK;
}

pg_err pg_tpm2_build_nv_read(uint8_t *buf, size_t cap, uint32_t index, uint16_t offset,
                             size_t len, size_t *cmd_len)
{
        struct pg_tpm2_writer w;
        pg_err err;

        err = pg_tpm2_check_nv_span(offset, len);
        if (err)
                return err;
        err = pg_tpm2_begin_nv_auth(buf, cap, PG_TPM2_NV_READ_CMD_SIZE, PG_TPM2_CC_NV_READ,
                                    index, &w);
        if (err)
                return err;
        pg_tpm2_put_u16(&w, (uint16_t)len);
        pg_tpm2_put_u16(&w, offset);
        *cmd_len = PG_TPM2_NV_READ_CMD_SIZE;
        return PG_OK;
}

pg_err pg_tpm2_build_nv_write(uint8_t *buf, size_t cap, uint32_t index, uint16_t offset,
                              const uint8_t *data, size_t len, size_t *cmd_len)
{
        struct pg_tpm2_writer w;
        pg_err err;

        err = pg_tpm2_check_nv_span(offset, len);
        if (err)
                return err;
        err = pg_tpm2_begin_nv_auth(buf, cap, PG_TPM2_NV_WRITE_CMD_SIZE(len),
                                    PG_TPM2_CC_NV_WRITE, index, &w);
        if (err)
                return err;
        pg_tpm2_put_u16(&w, (uint16_t)len);
        pg_tpm2_put_bytes(&w, data, len);
        pg_tpm2_put_u16(&w, offset);
        *cmd_len = PG_TPM2_NV_WRITE_CMD_SIZE(len);
        return PG_OK;
}

pg_err pg_tpm2_build_nv_write_lock(uint8_t *buf, size_t cap, uint32_t index, size_t *cmd_len)
{
        struct pg_tpm2_writer w;
        pg_err err;

        err = pg_tpm2_begin_nv_auth(buf, cap, PG_TPM2_NV_AUTH_CMD_SIZE, PG_TPM2_CC_NV_WRITE_LOCK,
                                    index, &w);
        if (err)
                return err;
        *cmd_len = PG_TPM2_NV_AUTH_CMD_SIZE;
        return PG_OK;
}

/* ---- reading responses --------------------------------------------------- */

/* Unread bytes of one area: [p, end). */
struct pg_tpm2_reader {
        const uint8_t *p;
        const uint8_t *end;
};

static size_t pg_tpm2_left(const struct pg_tpm2_reader *r)
{
        return (size_t)(r->end - r->p);
}

/* Takes n bytes; returns false, consuming nothing, when fewer are left. */
static bool pg_tpm2_take(struct pg_tpm2_reader *r, size_t n, const uint8_t **out)
{
        if (n > pg_tpm2_left(r))
                return false;
        *out = r->p;
        r->p += n;
        return true;
}

static pg_err pg_tpm2_get_u8(struct pg_tpm2_reader *r, uint8_t *v)
{
        const uint8_t *b;

        if (!pg_tpm2_take(r, 1, &b))
                return PG_ERR_TPM_RSP_TRUNCATED;
        *v = b[0];
        return PG_OK;
}

static pg_err pg_tpm2_get_u16(struct pg_tpm2_reader *r, uint16_t *v)
{
        const uint8_t *b;

        if (!pg_tpm2_take(r, 2, &b))
                return PG_ERR_TPM_RSP_TRUNCATED;
        *v = pg_load_be16(b);
        return PG_OK;
}

static pg_err pg_tpm2_get_u32(struct pg_tpm2_reader *r, uint32_t *v)
{
        const uint8_t *b;

        if (!pg_tpm2_take(r, 4, &b))
                return PG_ERR_TPM_RSP_TRUNCATED;
        *v = pg_load_be32(b);
        return PG_OK;
}

static pg_err pg_tpm2_expect_end(const struct pg_tpm2_reader *r)
{
        return pg_tpm2_left(r) ? PG_ERR_TPM_RSP_TRAILING : PG_OK;
}

pg_err pg_tpm2_rc_err(uint32_t rc)
{
        if (rc == 0)
                return PG_OK;
        if (rc > 0xfff)
                return PG_ERR_TPM_RC_OTHER;
        if (rc & 0x080) {
                /* Format 1: bits 6 and 8..11 name the parameter, handle or session. */
                switch (rc & 0x0bf) {
                case 0x082: return PG_ERR_TPM_RC_ATTRIBUTES;
                case 0x083: return PG_ERR_TPM_RC_HASH;
                case 0x08b: return PG_ERR_TPM_RC_HANDLE;
                case 0x08e:                                     /* TPM_RC_AUTH_FAIL */
                case 0x0a2:                                     /* TPM_RC_BAD_AUTH */
                        return PG_ERR_TPM_RC_AUTH_FAIL;
                default: return PG_ERR_TPM_RC_OTHER;
                }
        }
        switch (rc) {
        case 0x100: return PG_ERR_TPM_RC_INITIALIZE;
        case 0x101: return PG_ERR_TPM_RC_FAILURE;
        case 0x12f: return PG_ERR_TPM_RC_AUTH_UNAVAILABLE;
        case 0x143: return PG_ERR_TPM_RC_COMMAND_CODE;
        case 0x146: return PG_ERR_TPM_RC_NV_RANGE;
        case 0x148: return PG_ERR_TPM_RC_NV_LOCKED;
        case 0x149: return PG_ERR_TPM_RC_NV_AUTHORIZATION;
        case 0x14a: return PG_ERR_TPM_RC_NV_UNINITIALIZED;
        case 0x921: return PG_ERR_TPM_RC_LOCKOUT;
        case 0x908:                             /* TPM_RC_YIELDED */
        case 0x909:                             /* TPM_RC_CANCELED */
        case 0x90a:                             /* TPM_RC_TESTING */
        case 0x920:                             /* TPM_RC_NV_RATE */
        case 0x922:                             /* TPM_RC_RETRY */
        case 0x923:                             /* TPM_RC_NV_UNAVAILABLE */
                return PG_ERR_TPM_RC_RETRY;
        default:
                return PG_ERR_TPM_RC_OTHER;
        }
}

pg_err pg_tpm2_response_size(const uint8_t *rsp, size_t cap, size_t *size)
{
        const struct pg_tpm2_wire_header *h = (const struct pg_tpm2_wire_header *)rsp;
        uint32_t n;

        if (!rsp || cap < sizeof(*h))
                return PG_ERR_TPM_RSP_SHORT;
        n = pg_load_be32(h->size);
        if (n < sizeof(*h))
                return PG_ERR_TPM_RSP_SIZE_UNDER;
        if (n > cap)
                return PG_ERR_TPM_RSP_SIZE_OVER;
        *size = n;
        return PG_OK;
}

/* Checks the one password authorization that ends a TPM_ST_SESSIONS response. */
static pg_err pg_tpm2_check_pw_auth_rsp(const uint8_t *p, size_t len)
{
        const struct pg_tpm2_wire_pw_auth_rsp *a = (const struct pg_tpm2_wire_pw_auth_rsp *)p;

        if (len < sizeof(*a))
                return PG_ERR_TPM_AUTH_TRUNCATED;
        if (pg_load_be16(a->nonce_size) != 0)
                return PG_ERR_TPM_AUTH_NONCE;
        if (a->attributes & ~PG_TPM2_SESSION_CONTINUE)
                return PG_ERR_TPM_AUTH_ATTRS;
        if (pg_load_be16(a->hmac_size) != 0)
                return PG_ERR_TPM_AUTH_HMAC;
        if (len > sizeof(*a))
                return PG_ERR_TPM_AUTH_TRAILING;
        return PG_OK;
}

/* Splits a success TPM_ST_SESSIONS body into parameters and session area. */
static pg_err pg_tpm2_open_sessions(struct pg_tpm2_reader *body, struct pg_tpm2_reader *params)
{
        uint32_t param_size;
        const uint8_t *p;
        pg_err err;

        err = pg_tpm2_get_u32(body, &param_size);
        if (err)
                return err;
        if (!pg_tpm2_take(body, param_size, &p))
                return PG_ERR_TPM_RSP_PARAM_SIZE;
        err = pg_tpm2_check_pw_auth_rsp(body->p, pg_tpm2_left(body));
        if (err)
                return err;
        params->p = p;
        params->end = p + param_size;
        return PG_OK;
}

/*
 * Checks the response header. An error response code ends here: its raw
 * value goes to *raw_rc and its PG_ERR_TPM_RC_* code is returned. On success
 * *params covers the response parameters. sessions is true when the command
 * carried a session, so a TPM_ST_SESSIONS response is expected.
 */
static pg_err pg_tpm2_open_response(const uint8_t *rsp, size_t len, bool sessions,
                                    struct pg_tpm2_reader *params, uint32_t *raw_rc)
{
        const struct pg_tpm2_wire_header *h = (const struct pg_tpm2_wire_header *)rsp;
        struct pg_tpm2_reader body;
        uint16_t tag;
        uint32_t size, rc;

        if (!rsp || len < sizeof(*h))
                return PG_ERR_TPM_RSP_SHORT;
        tag = pg_load_be16(h->tag);
        if (tag != PG_TPM2_ST_NO_SESSIONS && tag != PG_TPM2_ST_SESSIONS &&
            tag != PG_TPM2_ST_RSP_COMMAND)
                return PG_ERR_TPM_RSP_TAG;
        size = pg_load_be32(h->size);
        if (size > len)
                return PG_ERR_TPM_RSP_SIZE_OVER;
        if (size < len)
                return PG_ERR_TPM_RSP_SIZE_UNDER;
        rc = pg_load_be32(h->code);
        if (rc != 0) {
                if (tag == PG_TPM2_ST_SESSIONS)
                        return PG_ERR_TPM_RSP_ERROR_TAG;
                if (len != sizeof(*h))
                        return PG_ERR_TPM_RSP_ERROR_BODY;
                *raw_rc = rc;
                return pg_tpm2_rc_err(rc);
        }
        if (tag != (sessions ? PG_TPM2_ST_SESSIONS : PG_TPM2_ST_NO_SESSIONS))
                return PG_ERR_TPM_RSP_TAG_MISMATCH;
        body.p = rsp + sizeof(*h);
        body.end = rsp + len;
        if (!sessions) {
                *params = body;
                return PG_OK;
        }
        return pg_tpm2_open_sessions(&body, params);
}

/* Stores the raw response code for the caller: on success, or for a TPM error. */
static pg_err pg_tpm2_report(pg_err err, uint32_t raw_rc, uint32_t *tpm_rc)
{
        if (tpm_rc && (err == PG_OK || raw_rc != 0))
                *tpm_rc = raw_rc;
        return err;
}

static unsigned pg_tpm2_popcount(uint32_t v)
{
        unsigned n = 0;

        for (; v; v &= v - 1)
                n++;
        return n;
}

/* One TPMS_PCR_SELECTION; bit i of *mask is PCR i. */
static pg_err pg_tpm2_get_pcr_selection(struct pg_tpm2_reader *r, uint16_t *hash, uint32_t *mask)
{
        const uint8_t *sel;
        uint8_t size;
        uint32_t m = 0;
        pg_err err;

        err = pg_tpm2_get_u16(r, hash);
        if (!err)
                err = pg_tpm2_get_u8(r, &size);
        if (err)
                return err;
        if (size > PG_TPM2_PCR_SELECT_MAX)
                return PG_ERR_TPM_PCR_SELECT_SIZE;
        if (!pg_tpm2_take(r, size, &sel))
                return PG_ERR_TPM_RSP_TRUNCATED;
        for (uint8_t i = 0; i < size; i++)
                m |= (uint32_t)sel[i] << (8 * i);
        *mask = m;
        return PG_OK;
}

/* pcrSelectionOut of a PCR_Read response: *got is what the TPM returned. */
static pg_err pg_tpm2_get_pcr_read_selection(struct pg_tpm2_reader *r, uint32_t mask,
                                             uint32_t *got)
{
        uint32_t count, m;
        uint16_t hash;
        pg_err err;

        err = pg_tpm2_get_u32(r, &count);
        if (err)
                return err;
        if (count > 1)
                return PG_ERR_TPM_PCR_SELECTION_COUNT;
        if (count == 0) {
                *got = 0;
                return PG_OK;
        }
        err = pg_tpm2_get_pcr_selection(r, &hash, &m);
        if (err)
                return err;
        if (hash != PG_TPM2_ALG_SHA256)
                return PG_ERR_TPM_PCR_SELECTION_HASH;
        if (m & ~mask)
                return PG_ERR_TPM_PCR_NOT_REQUESTED;
        *got = m;
        return PG_OK;
}

/* pcrValues: one 32-byte digest per PCR in got, lowest PCR first. */
static pg_err pg_tpm2_get_pcr_digests(struct pg_tpm2_reader *r, uint32_t got,
                                      struct pg_tpm2_pcr_values *v)
{
        uint32_t count;
        uint16_t size;
        const uint8_t *d;
        pg_err err;

        err = pg_tpm2_get_u32(r, &count);
        if (err)
                return err;
        if (count > PG_TPM2_PCR_READ_DIGESTS_MAX)
                return PG_ERR_TPM_PCR_DIGEST_COUNT_CAP;
        if (count != pg_tpm2_popcount(got))
                return PG_ERR_TPM_PCR_DIGEST_COUNT;
        for (unsigned pcr = 0; pcr < PG_TPM2_PCR_COUNT; pcr++) {
                if (!(got & (1u << pcr)))
                        continue;
                err = pg_tpm2_get_u16(r, &size);
                if (err)
                        return err;
                if (size != PG_TPM2_SHA256_SIZE)
                        return PG_ERR_TPM_PCR_DIGEST_SIZE;
                if (!pg_tpm2_take(r, size, &d))
                        return PG_ERR_TPM_PCR_DIGEST_TRUNCATED;
                memcpy(v->digest[pcr], d, PG_TPM2_SHA256_SIZE);
        }
        v->mask = got;
        return PG_OK;
}

static pg_err pg_tpm2_parse_pcr_read_raw(const uint8_t *rsp, size_t len, uint32_t mask,
                                         struct pg_tpm2_pcr_values *out, uint32_t *raw_rc)
{
        struct pg_tpm2_pcr_values v;
        struct pg_tpm2_reader r;
        uint32_t got;
        pg_err err;

        err = pg_tpm2_check_mask(mask);
        if (!err)
                err = pg_tpm2_open_response(rsp, len, false, &r, raw_rc);
        if (err)
                return err;
        memset(&v, 0, sizeof(v));
        err = pg_tpm2_get_u32(&r, &v.update_counter);
        if (!err)
                err = pg_tpm2_get_pcr_read_selection(&r, mask, &got);
        if (!err)
                err = pg_tpm2_get_pcr_digests(&r, got, &v);
        if (!err)
                err = pg_tpm2_expect_end(&r);
        if (err)
                return err;
        *out = v;
        return PG_OK;
}

pg_err pg_tpm2_parse_pcr_read(const uint8_t *rsp, size_t len, uint32_t mask,
                              struct pg_tpm2_pcr_values *out, uint32_t *tpm_rc)
{
        uint32_t raw_rc = 0;
        pg_err err = pg_tpm2_parse_pcr_read_raw(rsp, len, mask, out, &raw_rc);

        return pg_tpm2_report(err, raw_rc, tpm_rc);
}

static pg_err pg_tpm2_get_banks(struct pg_tpm2_reader *r, struct pg_tpm2_pcr_banks *b)
{
        uint32_t count;
        pg_err err;

        err = pg_tpm2_get_u32(r, &count);
        if (err)
                return err;
        if (count > PG_TPM2_BANKS_MAX)
                return PG_ERR_TPM_PCR_SELECTION_COUNT;
        for (uint32_t i = 0; i < count; i++) {
                err = pg_tpm2_get_pcr_selection(r, &b->bank[i].hash, &b->bank[i].mask);
                if (err)
                        return err;
                for (uint32_t j = 0; j < i; j++)
                        if (b->bank[j].hash == b->bank[i].hash)
                                return PG_ERR_TPM_CAP_BANK_DUPLICATE;
        }
        b->count = count;
        return PG_OK;
}

static pg_err pg_tpm2_parse_get_pcr_banks_raw(const uint8_t *rsp, size_t len,
                                              struct pg_tpm2_pcr_banks *out, uint32_t *raw_rc)
{
        struct pg_tpm2_pcr_banks b;
        struct pg_tpm2_reader r;
        uint8_t more;
        uint32_t cap;
        pg_err err;

        err = pg_tpm2_open_response(rsp, len, false, &r, raw_rc);
        if (!err)
                err = pg_tpm2_get_u8(&r, &more);
        if (err)
                return err;
        if (more != 0)
                return PG_ERR_TPM_CAP_MORE_DATA;
        err = pg_tpm2_get_u32(&r, &cap);
        if (err)
                return err;
        if (cap != PG_TPM2_CAP_PCRS)
                return PG_ERR_TPM_CAP_TYPE;
        memset(&b, 0, sizeof(b));
        err = pg_tpm2_get_banks(&r, &b);
        if (!err)
                err = pg_tpm2_expect_end(&r);
        if (err)
                return err;
        *out = b;
        return PG_OK;
}

pg_err pg_tpm2_parse_get_pcr_banks(const uint8_t *rsp, size_t len, struct pg_tpm2_pcr_banks *out,
                                   uint32_t *tpm_rc)
{
        uint32_t raw_rc = 0;
        pg_err err = pg_tpm2_parse_get_pcr_banks_raw(rsp, len, out, &raw_rc);

        return pg_tpm2_report(err, raw_rc, tpm_rc);
}

/* Digest size of a name algorithm, or 0 for one this code does not know. */
static size_t pg_tpm2_digest_size(uint16_t alg)
{
        switch (alg) {
        case PG_TPM2_ALG_SHA1: return 20;
        case PG_TPM2_ALG_SHA256:
        case PG_TPM2_ALG_SM3_256:
                return 32;
        case PG_TPM2_ALG_SHA384: return 48;
        case PG_TPM2_ALG_SHA512: return 64;
        default: return 0;
        }
}

/* The TPMS_NV_PUBLIC inside a TPM2B_NV_PUBLIC of exactly r's bytes. */
static pg_err pg_tpm2_get_nv_public(struct pg_tpm2_reader *r, uint32_t index,
                                    struct pg_tpm2_nv_public *pub)
{
        const struct pg_tpm2_wire_nv_public_head *h;
        const uint8_t *p;
        size_t digest;

        if (!pg_tpm2_take(r, sizeof(*h), &p))
                return PG_ERR_TPM_NV_PUBLIC_SIZE_SMALL;
        h = (const struct pg_tpm2_wire_nv_public_head *)p;
        pub->index = pg_load_be32(h->index);
        pub->name_alg = pg_load_be16(h->name_alg);
        pub->attributes = pg_load_be32(h->attributes);
        pub->auth_policy_len = pg_load_be16(h->policy_size);
        if (pub->index != index)
                return PG_ERR_TPM_NV_PUBLIC_INDEX;
        digest = pg_tpm2_digest_size(pub->name_alg);
        if (digest == 0)
                return PG_ERR_TPM_NV_PUBLIC_NAME_ALG;
        if (pub->auth_policy_len != 0 && pub->auth_policy_len != digest)
                return PG_ERR_TPM_NV_PUBLIC_POLICY_SIZE;
        if (!pg_tpm2_take(r, pub->auth_policy_len, &p))
                return PG_ERR_TPM_NV_PUBLIC_SIZE_SMALL;
        memcpy(pub->auth_policy, p, pub->auth_policy_len);
        if (!pg_tpm2_take(r, 2, &p))
                return PG_ERR_TPM_NV_PUBLIC_SIZE_SMALL;
        pub->data_size = pg_load_be16(p);
        if (pg_tpm2_left(r))
                return PG_ERR_TPM_NV_PUBLIC_SIZE_LARGE;
        return PG_OK;
}

/* TPM2B_NAME of an NV index: nameAlg followed by its digest. */
static pg_err pg_tpm2_get_nv_name(struct pg_tpm2_reader *r, struct pg_tpm2_nv_public *pub)
{
        const uint8_t *p;
        uint16_t size;
        pg_err err;

        err = pg_tpm2_get_u16(r, &size);
        if (err)
                return err;
        if (size != 2 + pg_tpm2_digest_size(pub->name_alg))
                return PG_ERR_TPM_NV_NAME_SIZE;
        if (!pg_tpm2_take(r, size, &p))
                return PG_ERR_TPM_NV_NAME_TRUNCATED;
        if (pg_load_be16(p) != pub->name_alg)
                return PG_ERR_TPM_NV_NAME_ALG;
        memcpy(pub->name, p, size);
        pub->name_len = size;
        return PG_OK;
}

static pg_err pg_tpm2_parse_nv_read_public_raw(const uint8_t *rsp, size_t len, uint32_t index,
                                               struct pg_tpm2_nv_public *out, uint32_t *raw_rc)
{
        struct pg_tpm2_nv_public pub;
        struct pg_tpm2_reader r, inner;
        const uint8_t *p;
        uint16_t size;
        pg_err err;

        err = pg_tpm2_open_response(rsp, len, false, &r, raw_rc);
        if (!err)
                err = pg_tpm2_get_u16(&r, &size);
        if (err)
                return err;
        if (size == 0)
                return PG_ERR_TPM_NV_PUBLIC_EMPTY;
        if (!pg_tpm2_take(&r, size, &p))
                return PG_ERR_TPM_NV_PUBLIC_TRUNCATED;
        inner.p = p;
        inner.end = p + size;
        memset(&pub, 0, sizeof(pub));
        err = pg_tpm2_get_nv_public(&inner, index, &pub);
        if (!err)
                err = pg_tpm2_get_nv_name(&r, &pub);
        if (!err)
                err = pg_tpm2_expect_end(&r);
        if (err)
                return err;
        *out = pub;
        return PG_OK;
}

pg_err pg_tpm2_parse_nv_read_public(const uint8_t *rsp, size_t len, uint32_t index,
                                    struct pg_tpm2_nv_public *out, uint32_t *tpm_rc)
{
        uint32_t raw_rc = 0;
        pg_err err = pg_tpm2_parse_nv_read_public_raw(rsp, len, index, out, &raw_rc);

        return pg_tpm2_report(err, raw_rc, tpm_rc);
}

static pg_err pg_tpm2_parse_nv_read_raw(const uint8_t *rsp, size_t len, uint8_t *data,
                                        size_t data_len, uint32_t *raw_rc)
{
        struct pg_tpm2_reader r;
        const uint8_t *p;
        uint16_t size;
        pg_err err;

        if (data_len == 0 || data_len > PG_TPM2_NV_DATA_MAX)
                return PG_ERR_TPM_NV_LENGTH;
        err = pg_tpm2_open_response(rsp, len, true, &r, raw_rc);
        if (!err)
                err = pg_tpm2_get_u16(&r, &size);
        if (err)
                return err;
        if (size != data_len)
                return PG_ERR_TPM_NV_DATA_LENGTH;
        if (!pg_tpm2_take(&r, size, &p))
                return PG_ERR_TPM_NV_DATA_TRUNCATED;
        err = pg_tpm2_expect_end(&r);
        if (err)
                return err;
        memcpy(data, p, size);
        return PG_OK;
}

pg_err pg_tpm2_parse_nv_read(const uint8_t *rsp, size_t len, uint8_t *data, size_t data_len,
                             uint32_t *tpm_rc)
{
        uint32_t raw_rc = 0;
        pg_err err = pg_tpm2_parse_nv_read_raw(rsp, len, data, data_len, &raw_rc);

        return pg_tpm2_report(err, raw_rc, tpm_rc);
}

/* NV_Write and NV_WriteLock: a TPM_ST_SESSIONS response without parameters. */
static pg_err pg_tpm2_parse_no_params(const uint8_t *rsp, size_t len, uint32_t *tpm_rc)
{
        struct pg_tpm2_reader r;
        uint32_t raw_rc = 0;
        pg_err err;

        err = pg_tpm2_open_response(rsp, len, true, &r, &raw_rc);
        if (!err)
                err = pg_tpm2_expect_end(&r);
        return pg_tpm2_report(err, raw_rc, tpm_rc);
}

pg_err pg_tpm2_parse_nv_write(const uint8_t *rsp, size_t len, uint32_t *tpm_rc)
{
        return pg_tpm2_parse_no_params(rsp, len, tpm_rc);
}

pg_err pg_tpm2_parse_nv_write_lock(const uint8_t *rsp, size_t len, uint32_t *tpm_rc)
{
        return pg_tpm2_parse_no_params(rsp, len, tpm_rc);
}

/* ---- round trips --------------------------------------------------------- */

static pg_err pg_tpm2_transact(const struct pg_tpm2_transport *t, const uint8_t *cmd,
                               size_t cmd_len, uint8_t *rsp, size_t *rsp_len)
{
        size_t n = 0;
        pg_err err;

        if (!t || !t->submit)
                return PG_ERR_TPM_TRANSPORT;
        err = t->submit(t->ctx, cmd, cmd_len, rsp, PG_TPM2_RSP_MAX, &n);
        if (err)
                return err;
        if (n > PG_TPM2_RSP_MAX)
                return PG_ERR_TPM_TRANSPORT;
        *rsp_len = n;
        return PG_OK;
}

/*
 * One pass of the PCR_Read loop over mask. *moved is set, and the pass
 * abandoned, when pcrUpdateCounter differs from the pass's first response.
 */
static pg_err pg_tpm2_pcr_read_pass(const struct pg_tpm2_transport *t, uint32_t mask,
                                    struct pg_tpm2_pcr_values *acc, bool *moved, uint32_t *raw_rc)
{
        uint8_t cmd[PG_TPM2_CMD_MAX], rsp[PG_TPM2_RSP_MAX];
        struct pg_tpm2_pcr_values step;
        uint32_t missing = mask;
        size_t cmd_len, rsp_len;
        pg_err err;

        memset(acc, 0, sizeof(*acc));
        *moved = false;
        while (missing) {
                err = pg_tpm2_build_pcr_read(cmd, sizeof(cmd), missing, &cmd_len);
                if (!err)
                        err = pg_tpm2_transact(t, cmd, cmd_len, rsp, &rsp_len);
                if (!err)
                        err = pg_tpm2_parse_pcr_read_raw(rsp, rsp_len, missing, &step, raw_rc);
                if (err)
                        return err;
                if (missing != mask && step.update_counter != acc->update_counter) {
                        *moved = true;
                        return PG_OK;
                }
                if (step.mask == 0)
                        return PG_ERR_TPM_PCR_UNAVAILABLE;
                acc->update_counter = step.update_counter;
                for (unsigned pcr = 0; pcr < PG_TPM2_PCR_COUNT; pcr++)
                        if (step.mask & (1u << pcr))
                                memcpy(acc->digest[pcr], step.digest[pcr], PG_TPM2_SHA256_SIZE);
                acc->mask |= step.mask;
                missing &= ~step.mask;
        }
        return PG_OK;
}

static pg_err pg_tpm2_pcr_read_raw(const struct pg_tpm2_transport *t, uint32_t mask,
                                   struct pg_tpm2_pcr_values *out, uint32_t *raw_rc)
{
        struct pg_tpm2_pcr_values acc;
        bool moved;
        pg_err err;

        err = pg_tpm2_check_mask(mask);
        if (err)
                return err;
        for (unsigned attempt = 0; attempt < PG_TPM2_PCR_READ_ATTEMPTS; attempt++) {
                err = pg_tpm2_pcr_read_pass(t, mask, &acc, &moved, raw_rc);
                if (err)
                        return err;
                if (!moved) {
                        *out = acc;
                        return PG_OK;
                }
        }
        return PG_ERR_TPM_PCR_COUNTER_UNSTABLE;
}

pg_err pg_tpm2_pcr_read(const struct pg_tpm2_transport *t, uint32_t mask,
                        struct pg_tpm2_pcr_values *out, uint32_t *tpm_rc)
{
        uint32_t raw_rc = 0;
        pg_err err = pg_tpm2_pcr_read_raw(t, mask, out, &raw_rc);

        return pg_tpm2_report(err, raw_rc, tpm_rc);
}

pg_err pg_tpm2_get_pcr_banks(const struct pg_tpm2_transport *t, struct pg_tpm2_pcr_banks *out,
                             uint32_t *tpm_rc)
{
        uint8_t cmd[PG_TPM2_CMD_MAX], rsp[PG_TPM2_RSP_MAX];
        size_t cmd_len, rsp_len;
        pg_err err;

        err = pg_tpm2_build_get_pcr_banks(cmd, sizeof(cmd), &cmd_len);
        if (!err)
                err = pg_tpm2_transact(t, cmd, cmd_len, rsp, &rsp_len);
        if (err)
                return err;
        return pg_tpm2_parse_get_pcr_banks(rsp, rsp_len, out, tpm_rc);
}

pg_err pg_tpm2_nv_read_public(const struct pg_tpm2_transport *t, uint32_t index,
                              struct pg_tpm2_nv_public *out, uint32_t *tpm_rc)
{
        uint8_t cmd[PG_TPM2_CMD_MAX], rsp[PG_TPM2_RSP_MAX];
        size_t cmd_len, rsp_len;
        pg_err err;

        err = pg_tpm2_build_nv_read_public(cmd, sizeof(cmd), index, &cmd_len);
        if (!err)
                err = pg_tpm2_transact(t, cmd, cmd_len, rsp, &rsp_len);
        if (err)
                return err;
        return pg_tpm2_parse_nv_read_public(rsp, rsp_len, index, out, tpm_rc);
}

pg_err pg_tpm2_nv_read(const struct pg_tpm2_transport *t, uint32_t index, uint16_t offset,
                       uint8_t *data, size_t len, uint32_t *tpm_rc)
{
        uint8_t cmd[PG_TPM2_CMD_MAX], rsp[PG_TPM2_RSP_MAX];
        size_t cmd_len, rsp_len;
        pg_err err;

        err = pg_tpm2_build_nv_read(cmd, sizeof(cmd), index, offset, len, &cmd_len);
        if (!err)
                err = pg_tpm2_transact(t, cmd, cmd_len, rsp, &rsp_len);
        if (err)
                return err;
        return pg_tpm2_parse_nv_read(rsp, rsp_len, data, len, tpm_rc);
}

pg_err pg_tpm2_nv_write(const struct pg_tpm2_transport *t, uint32_t index, uint16_t offset,
                        const uint8_t *data, size_t len, uint32_t *tpm_rc)
{
        uint8_t cmd[PG_TPM2_CMD_MAX], rsp[PG_TPM2_RSP_MAX];
        size_t cmd_len, rsp_len;
        pg_err err;

        err = pg_tpm2_build_nv_write(cmd, sizeof(cmd), index, offset, data, len, &cmd_len);
        if (!err)
                err = pg_tpm2_transact(t, cmd, cmd_len, rsp, &rsp_len);
        if (err)
                return err;
        return pg_tpm2_parse_nv_write(rsp, rsp_len, tpm_rc);
}

pg_err pg_tpm2_nv_write_lock(const struct pg_tpm2_transport *t, uint32_t index,
                             uint32_t *tpm_rc)
{
        uint8_t cmd[PG_TPM2_CMD_MAX], rsp[PG_TPM2_RSP_MAX];
        size_t cmd_len, rsp_len;
        pg_err err;

        err = pg_tpm2_build_nv_write_lock(cmd, sizeof(cmd), index, &cmd_len);
        if (!err)
                err = pg_tpm2_transact(t, cmd, cmd_len, rsp, &rsp_len);
        if (err)
                return err;
        return pg_tpm2_parse_nv_write_lock(rsp, rsp_len, tpm_rc);
}

pg_err pg_tpm2_svn_index_check(const struct pg_tpm2_nv_public *pub, uint32_t index)
{
        uint32_t attrs = pub->attributes;

        if (pub->index != index)
                return PG_ERR_TPM_NV_PUBLIC_INDEX;
        if (((attrs & PG_TPMA_NV_TPM_NT_MASK) >> PG_TPMA_NV_TPM_NT_SHIFT) != PG_TPM2_NT_ORDINARY)
                return PG_ERR_TPM_SVN_INDEX_TYPE;
        if ((attrs & PG_TPM2_SVN_ATTRS_REQUIRED) != PG_TPM2_SVN_ATTRS_REQUIRED)
                return PG_ERR_TPM_SVN_INDEX_ATTRS_MISSING;
        if (attrs & PG_TPM2_SVN_ATTRS_FORBIDDEN)
                return PG_ERR_TPM_SVN_INDEX_ATTRS_FORBIDDEN;
        if (pub->data_size != PG_TPM2_SVN_INDEX_SIZE)
                return PG_ERR_TPM_SVN_INDEX_SIZE;
        return PG_OK;
}
