/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The verifier's log steps: the firmware event log and the userspace log
 * are replayed into the SHA-256 bank, prodgate's events in the gates PCR
 * are checked for order and digest, and the identity, pre-OS and runtime
 * results are decoded from the events' data.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/sha256.h"
#include "gates/manifest.h"
#include "tools/cel.h"
#include "tools/digest.h"
#include "tools/verify_internal.h"
#include "tools/xcheck.h"

#define PG_TAG_HEADER 8
#define PG_IDENTITY_SIZE 72

static const char *pg_sym(pg_err err)
{
        const char *s = pg_err_name(err);

        return s ? s : "PG_ERR_UNKNOWN";
}

/* Keeps an extending event of the gates PCR for the order check. */
static void pg_keep_fw_event(struct pg_verify_ctx *c, const struct pg_evlog *log,
                             const struct pg_evlog_event *ev)
{
        int bank = pg_evlog_bank_index(log, PG_TPM_ALG_SHA256);
        struct pg_verify_fw_event *k;

        if (c->fw_count++ >= PG_VERIFY_FW_EVENTS_MAX)
                return;
        k = &c->fw[c->fw_count - 1];
        k->index = ev->index;
        k->type = ev->type;
        k->data = ev->data;
        k->data_size = ev->data_size;
        k->sha256 = bank >= 0 && (ev->bank_mask & (1u << bank)) ? ev->digest[bank] : NULL;
}

void pg_verify_eventlog(struct pg_verify_ctx *c)
{
        struct pg_replay_hasher hashers[PG_TOOL_HASHER_MAX];
        struct pg_replay *r = OPENSSL_zalloc(sizeof(*r));
        struct pg_evlog log;
        struct pg_evlog_event ev;
        bool end = false;
        pg_err err;

        if (r == NULL) {
                pg_verify_step_set(c, PG_VSTEP_EVENTLOG, PG_VSTEP_FAILED, PG_ERR_VERIFY_INTERNAL,
                                   "out of memory");
                return;
        }
        err = pg_evlog_init(&log, c->in->eventlog, c->in->eventlog_len);
        if (err == PG_OK)
                err = pg_replay_init(r, &log, hashers, pg_tool_hashers(hashers));
        while (err == PG_OK && (err = pg_evlog_next(&log, &ev, &end)) == PG_OK && !end) {
                err = pg_replay_event(r, &ev);
                if (err == PG_OK && ev.pcr == c->out->gates_pcr &&
                    !(ev.flags & PG_EVLOG_EV_NO_EXTEND) && !log.cc_event_log)
                        pg_keep_fw_event(c, &log, &ev);
        }
        for (uint32_t pcr = 0; err == PG_OK && pcr <= PG_TPM2_PCR_MAX; pcr++) {
                pg_err e = pg_replay_read(r, PG_TPM_ALG_SHA256, pcr, c->pcrs[pcr], 32);

                if (e == PG_ERR_REPLAY_PCR_INCOMPLETE)
                        c->incomplete |= 1u << pcr;
                else
                        err = e;
        }
        if (err == PG_OK && log.cc_event_log)
                err = PG_ERR_VERIFY_EVENTLOG_INVALID;
        if (err != PG_OK)
                pg_verify_step_set(c, PG_VSTEP_EVENTLOG, PG_VSTEP_FAILED,
                                   PG_ERR_VERIFY_EVENTLOG_INVALID, "%s at event %u (byte %zu)",
                                   pg_sym(err), log.err_index, log.err_offset);
        else
                pg_verify_step_set(c, PG_VSTEP_EVENTLOG, PG_VSTEP_PASSED, PG_OK, "%u events",
                                   r->events);
        c->log_ok = err == PG_OK;
        OPENSSL_free(r);
}

/* Returns the tag of a firmware event in the gates PCR, or 0 when it is not a
 * well-formed tagged event. */
static uint32_t pg_event_tag(const struct pg_verify_fw_event *e)
{
        if (e->type != PG_EV_EVENT_TAG || e->data_size < PG_TAG_HEADER ||
            pg_load_le32(e->data + 4) != e->data_size - PG_TAG_HEADER)
                return 0;
        return pg_load_le32(e->data);
}

/* Applies one userspace record to the replay and, in the gates PCR, checks
 * that it is a runtime-results record that parses. */
static void pg_apply_record(struct pg_verify_ctx *c, const struct pg_cel_record *rec)
{
        struct pg_sha256_ctx h;
        pg_err err;

        if (rec->pcr > PG_TPM2_PCR_MAX)
                return;
        pg_sha256_init(&h);
        pg_sha256_update(&h, c->pcrs[rec->pcr], 32);
        pg_sha256_update(&h, rec->digest[PG_CEL_SHA256], 32);
        pg_sha256_final(&h, c->pcrs[rec->pcr]);
        if (rec->pcr != c->out->gates_pcr)
                return;
        if (strcmp(rec->content_type, PG_CEL_PRODGATE_TYPE) != 0) {
                if (c->cel_order_err == PG_OK) {
                        c->cel_order_err = PG_ERR_VERIFY_EVENT_ORDER;
                        snprintf(c->cel_order_detail, sizeof(c->cel_order_detail),
                                 "userspace record %u has content_type %s", rec->recnum,
                                 rec->content_type);
                }
                return;
        }
        c->out->runtime_records++;
        err = pg_verify_parse_runtime(rec->content, rec->content_len, c->runtime_manifest,
                                      c->runtime);
        if (err == PG_OK && c->fw_count > 0 &&
            pg_event_tag(&c->fw[0]) == PG_TAG_MANIFEST_IDENTITY && c->fw[0].data_size == PG_TAG_HEADER + PG_IDENTITY_SIZE &&
            CRYPTO_memcmp(c->runtime_manifest, c->fw[0].data + PG_TAG_HEADER, 32) != 0)
                err = PG_ERR_VERIFY_RUNTIME_MANIFEST;
        if (err != PG_OK && c->runtime_err == PG_OK) {
                c->runtime_err = err;
                snprintf(c->runtime_detail, sizeof(c->runtime_detail), "userspace record %u",
                         rec->recnum);
        }
        if (err == PG_OK && c->runtime_err == PG_OK)
                c->out->has_runtime = true;
}

void pg_verify_userspace_log(struct pg_verify_ctx *c)
{
        struct pg_cel_record rec;
        struct pg_cel it;
        bool end = false;
        uint32_t count = 0;
        pg_err err = PG_OK;

        if (!c->log_ok) {
                pg_verify_step_set(c, PG_VSTEP_USERSPACE_LOG, PG_VSTEP_SKIPPED, PG_OK,
                                   "the firmware log did not replay");
                return;
        }
        pg_cel_init(&it, c->in->cel, c->in->cel ? c->in->cel_len : 0);
        while ((err = pg_cel_next(&it, &rec, &end)) == PG_OK && !end) {
                pg_apply_record(c, &rec);
                count++;
        }
        if (err != PG_OK) {
                c->out->has_runtime = false;
                pg_verify_step_set(c, PG_VSTEP_USERSPACE_LOG, PG_VSTEP_FAILED,
                                   PG_ERR_VERIFY_CEL_INVALID, "%s at byte %zu", pg_sym(err),
                                   it.err_offset);
                return;
        }
        c->cel_ok = true;
        pg_verify_step_set(c, PG_VSTEP_USERSPACE_LOG, PG_VSTEP_PASSED, PG_OK, "%u records",
                           count);
}

/* Checks the recorded SHA-256 digest of a prodgate event against its data. */
static pg_err pg_event_digest(const struct pg_verify_fw_event *e)
{
        uint8_t d[32];

        if (e->sha256 == NULL)
                return PG_ERR_VERIFY_PCR_INCOMPLETE;
        pg_sha256(e->data, e->data_size, d);
        return CRYPTO_memcmp(d, e->sha256, sizeof(d)) == 0 ? PG_OK : PG_ERR_VERIFY_EVENT_DIGEST;
}

void pg_verify_order(struct pg_verify_ctx *c)
{
        static const uint32_t want[2] = { PG_TAG_MANIFEST_IDENTITY, PG_TAG_PREOS_RESULTS };
        pg_err err;

        if (!c->log_ok) {
                pg_verify_step_set(c, PG_VSTEP_ORDER, PG_VSTEP_SKIPPED, PG_OK,
                                   "the firmware log did not replay");
                return;
        }
        for (uint32_t i = 0; i < c->fw_count; i++) {
                const struct pg_verify_fw_event *e = &c->fw[i < PG_VERIFY_FW_EVENTS_MAX ? i : 0];
                uint32_t tag = i < 2 ? pg_event_tag(e) : 0;

                if (i >= 2 || tag != want[i]) {
                        if (i >= PG_VERIFY_FW_EVENTS_MAX)
                                e = &c->fw[PG_VERIFY_FW_EVENTS_MAX - 1];
                        pg_verify_step_set(c, PG_VSTEP_ORDER, PG_VSTEP_FAILED,
                                           PG_ERR_VERIFY_EVENT_ORDER,
                                           "firmware event %u in PCR %u: type 0x%x, tag 0x%08x, "
                                           "position %u", e->index, c->out->gates_pcr, e->type,
                                           pg_event_tag(e), i + 1);
                        return;
                }
                if ((err = pg_event_digest(e)) != PG_OK) {
                        pg_verify_step_set(c, PG_VSTEP_ORDER, PG_VSTEP_FAILED, err,
                                           "firmware event %u", e->index);
                        return;
                }
        }
        if (c->fw_count == 0)
                err = PG_ERR_VERIFY_NO_IDENTITY;
        else if (c->fw_count == 1)
                err = PG_ERR_VERIFY_NO_PREOS;
        else
                err = c->cel_order_err;
        if (err != PG_OK)
                pg_verify_step_set(c, PG_VSTEP_ORDER, PG_VSTEP_FAILED, err, "%s",
                                   err == c->cel_order_err ? c->cel_order_detail :
                                   "in the firmware log");
        else
                pg_verify_step_set(c, PG_VSTEP_ORDER, PG_VSTEP_PASSED, PG_OK,
                                   "identity, pre-OS results, %u runtime records",
                                   c->out->runtime_records);
}

/* Finds the identity's key id in the trusted key ring (constant time per
 * key); returns its role, or 0. */
static uint32_t pg_trusted_role(const struct pg_keyring *ring, const uint8_t *key_id)
{
        uint32_t role = 0;

        for (uint32_t i = 0; i < ring->count; i++)
                if (CRYPTO_memcmp(ring->keys[i].key_id, key_id, PG_KEY_ID_SIZE) == 0)
                        role = ring->keys[i].role;
        return role;
}

/* Checks that the --manifest file verifies and is the identity's manifest. */
static pg_err pg_check_manifest_file(struct pg_verify_ctx *c, const uint8_t *id)
{
        struct pg_manifest_verified v;
        struct pg_manifest *m = OPENSSL_zalloc(sizeof(*m));
        uint8_t d[32];
        pg_err err;

        if (m == NULL)
                return PG_ERR_VERIFY_INTERNAL;
        err = pg_manifest_load(c->in->trusted, c->in->manifest, c->in->manifest_len, &v, m);
        if (err == PG_OK) {
                pg_sha256(v.payload, v.payload_len, d);
                if (m->policy.gates_pcr != c->out->gates_pcr ||
                    CRYPTO_memcmp(d, id, 32) != 0 ||
                    CRYPTO_memcmp(v.key_id, id + 32, 32) != 0 ||
                    m->identity.security_version != pg_load_le32(id + 64))
                        err = PG_ERR_VERIFY_MANIFEST_MISMATCH;
        } else {
                err = PG_ERR_VERIFY_MANIFEST_MISMATCH;
        }
        if (err == PG_OK) {
                c->out->manifest_checked = true;
                c->out->policy_from_manifest = true;
                for (unsigned g = 0; g < PG_GATE_COUNT; g++)
                        c->out->in.requirement[g] = m->policy.gates[g].requirement;
                c->out->in.production_readiness = m->policy.production_readiness;
                c->out->in.ota_eligibility = m->policy.ota_eligibility;
        }
        OPENSSL_free(m);
        return err;
}

void pg_verify_identity(struct pg_verify_ctx *c)
{
        const struct pg_verify_fw_event *e = &c->fw[0];
        const uint8_t *id = e->data + PG_TAG_HEADER;
        struct pg_verify_result *o = c->out;
        pg_err err = PG_OK;

        if (!c->log_ok || c->fw_count == 0 || pg_event_tag(e) != PG_TAG_MANIFEST_IDENTITY) {
                pg_verify_step_set(c, PG_VSTEP_IDENTITY, PG_VSTEP_SKIPPED, PG_OK,
                                   "no identity event");
                return;
        }
        if (e->data_size != PG_TAG_HEADER + PG_IDENTITY_SIZE) {
                pg_verify_step_set(c, PG_VSTEP_IDENTITY, PG_VSTEP_FAILED,
                                   PG_ERR_VERIFY_IDENTITY_MALFORMED, "%u bytes of data",
                                   e->data_size - PG_TAG_HEADER);
                return;
        }
        o->has_identity = true;
        memcpy(o->manifest_digest, id, 32);
        memcpy(o->key_id, id + 32, 32);
        o->svn = pg_load_le32(id + 64);
        o->key_role = pg_trusted_role(c->in->trusted, o->key_id);
        if (pg_load_le32(id + 68) != PG_OK)
                err = PG_ERR_VERIFY_NO_TRUSTED_MANIFEST;
        else if (o->key_role == 0)
                err = PG_ERR_VERIFY_UNTRUSTED_KEY;
        else if (o->svn < c->in->min_svn)
                err = PG_ERR_VERIFY_SVN_TOO_LOW;
        else if (c->in->manifest)
                err = pg_check_manifest_file(c, id);
        if (err == PG_ERR_VERIFY_NO_TRUSTED_MANIFEST)
                pg_verify_step_set(c, PG_VSTEP_IDENTITY, PG_VSTEP_FAILED, err,
                                   "the device's manifest status is %s",
                                   pg_sym(pg_load_le32(id + 68)));
        else if (err == PG_ERR_VERIFY_SVN_TOO_LOW)
                pg_verify_step_set(c, PG_VSTEP_IDENTITY, PG_VSTEP_FAILED, err,
                                   "SVN %u, minimum %u", o->svn, c->in->min_svn);
        else
                pg_verify_step_set(c, PG_VSTEP_IDENTITY, err ? PG_VSTEP_FAILED : PG_VSTEP_PASSED,
                                   err, "SVN %u, %s key", o->svn,
                                   o->key_role ? pg_key_role_name(o->key_role) : "untrusted");
}

void pg_verify_preos(struct pg_verify_ctx *c)
{
        const struct pg_verify_fw_event *e = &c->fw[1];
        struct pg_handoff *h = &c->out->handoff;
        pg_err err;

        if (!c->log_ok || c->fw_count < 2 || !c->out->has_identity ||
            pg_event_tag(e) != PG_TAG_PREOS_RESULTS) {
                pg_verify_step_set(c, PG_VSTEP_PREOS, PG_VSTEP_SKIPPED, PG_OK,
                                   "no identity and pre-OS results events in order");
                return;
        }
        err = pg_handoff_read(e->data + PG_TAG_HEADER, e->data_size - PG_TAG_HEADER, h);
        if (err != PG_OK) {
                pg_verify_step_set(c, PG_VSTEP_PREOS, PG_VSTEP_FAILED,
                                   PG_ERR_VERIFY_PREOS_MALFORMED, "%s", pg_sym(err));
                return;
        }
        if (!h->has_manifest ||
            CRYPTO_memcmp(h->manifest.digest, c->out->manifest_digest, 32) != 0)
                err = PG_ERR_VERIFY_PREOS_MANIFEST;
        else if (h->pcr != c->out->gates_pcr)
                err = PG_ERR_VERIFY_PREOS_PCR;
        c->out->has_handoff = err == PG_OK;
        pg_verify_step_set(c, PG_VSTEP_PREOS, err ? PG_VSTEP_FAILED : PG_VSTEP_PASSED, err,
                           "evaluator %s, manifest %s", h->evaluator_version,
                           h->has_manifest ? h->manifest.version : "none");
}

void pg_verify_runtime(struct pg_verify_ctx *c)
{
        pg_err err = c->runtime_err;

        if (!c->cel_ok || !c->out->has_identity) {
                pg_verify_step_set(c, PG_VSTEP_RUNTIME, PG_VSTEP_SKIPPED, PG_OK,
                                   "no userspace log or identity to check against");
                c->out->has_runtime = false;
                return;
        }
        if (err != PG_OK) {
                c->out->has_runtime = false;
                pg_verify_step_set(c, PG_VSTEP_RUNTIME, PG_VSTEP_FAILED, err, "%s",
                                   c->runtime_detail);
        } else {
                pg_verify_step_set(c, PG_VSTEP_RUNTIME, PG_VSTEP_PASSED, PG_OK,
                                   "%u runtime records%s", c->out->runtime_records,
                                   c->out->has_runtime ? ", the last one used" : "");
        }
}
