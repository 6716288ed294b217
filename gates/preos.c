/* SPDX-License-Identifier: BSD-2-Clause */
#include "gates/preos.h"
#include "measured/replay.h"

/* Release channels a production device accepts. */
static const char *const pg_allowed_channels[] = { "stable", "lts" };

/* ---- result helpers -------------------------------------------------- */

static struct pg_handoff_result *pg_obj(struct pg_handoff *h, unsigned gate, unsigned objective)
{
        return &h->gates[gate - 1].objectives[objective];
}

static void pg_detail_append(char *d, const char *s)
{
        size_t len = strnlen(d, PG_HANDOFF_DETAIL_MAX);

        while (*s && len < PG_HANDOFF_DETAIL_MAX)
                d[len++] = *s++;
        d[len] = '\0';
}

static void pg_detail_append_u32(char *d, uint32_t v)
{
        char digits[11];
        int n = 0;

        do {
                digits[n++] = (char)('0' + v % 10);
                v /= 10;
        } while (v);
        while (n > 0) {
                char c[2] = { digits[--n], '\0' };

                pg_detail_append(d, c);
        }
}

/*
 * Records one finding in an objective: the worse outcome wins, and among
 * equal outcomes the first reason stays. A pass finding changes nothing.
 */
static void pg_note(struct pg_handoff_result *r, enum pg_outcome outcome, pg_err reason,
                    const char *detail, int number)
{
        if (outcome == PG_OUTCOME_PASS || outcome == r->outcome)
                return;
        if (r->outcome != PG_OUTCOME_PASS && pg_outcome_combine(r->outcome, outcome) != outcome)
                return;
        r->outcome = outcome;
        r->reason = reason;
        r->detail[0] = '\0';
        if (detail)
                pg_detail_append(r->detail, detail);
        if (number >= 0)
                pg_detail_append_u32(r->detail, (uint32_t)number);
}

static void pg_obj_start(struct pg_handoff_result *r)
{
        memset(r, 0, sizeof(*r));
        r->outcome = PG_OUTCOME_PASS;
        r->reason = PG_OK;
}

/*
 * A missing or unreadable manifest is missing evidence, so unknown. A
 * manifest that failed verification, parsing or the key role rules is
 * evidence of a bad release, so fail.
 */
static enum pg_outcome pg_manifest_outcome(pg_err err)
{
        if (err == PG_ERR_PREOS_MANIFEST_MISSING || err == PG_ERR_PREOS_MANIFEST_UNREADABLE)
                return PG_OUTCOME_UNKNOWN;
        return PG_OUTCOME_FAIL;
}

static bool pg_manifest_ok(const struct pg_preos_evidence *ev)
{
        return ev->manifest_err == PG_OK && ev->manifest && ev->verified;
}

/* ---- gate 1: build integrity ------------------------------------------ */

static bool pg_channel_allowed(const char *channel)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(pg_allowed_channels); i++)
                if (channel && strcmp(channel, pg_allowed_channels[i]) == 0)
                        return true;
        return false;
}

static void pg_eval_production_build(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        if (ev->evaluator_build_type != PG_BUILD_PRODUCTION)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_EVALUATOR_NOT_PRODUCTION, NULL, -1);
        if (!pg_manifest_ok(ev))
                pg_note(r, pg_manifest_outcome(ev->manifest_err), ev->manifest_err, NULL, -1);
        else if (ev->manifest->identity.build_type != PG_BUILD_PRODUCTION)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_BUILD_NOT_PRODUCTION,
                        pg_build_type_name(ev->manifest->identity.build_type), -1);
}

static void pg_eval_svn(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        uint32_t svn = ev->manifest->identity.security_version;

        if (ev->floor_err != PG_OK)
                pg_note(r, PG_OUTCOME_UNKNOWN, ev->floor_err, "floor unreadable", -1);
        else if (svn < ev->floor)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_SVN_BELOW_FLOOR, "svn ", (int)svn);
}

static void pg_eval_release_state(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        if (!pg_manifest_ok(ev)) {
                pg_note(r, pg_manifest_outcome(ev->manifest_err), ev->manifest_err, NULL, -1);
                return;
        }
        if (!pg_channel_allowed(ev->manifest->identity.channel))
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_CHANNEL_NOT_ALLOWED,
                        ev->manifest->identity.channel, -1);
        pg_eval_svn(ev, r);
}

static bool pg_provenance_complete(const struct pg_manifest *m)
{
        return m->provenance.present && m->provenance.builder_id && m->provenance.builder_id[0] &&
               m->provenance.source_repository && m->provenance.source_repository[0] &&
               m->provenance.source_revision && m->provenance.source_revision[0] &&
               m->provenance.artifact_count > 0;
}

static void pg_eval_provenance(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        if (!pg_manifest_ok(ev)) {
                pg_note(r, pg_manifest_outcome(ev->manifest_err), ev->manifest_err, NULL, -1);
                return;
        }
        if (ev->verified->role != PG_KEY_ROLE_RELEASE)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_NOT_RELEASE_KEY,
                        pg_key_role_name(ev->verified->role), -1);
        if (!pg_provenance_complete(ev->manifest))
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_PROVENANCE_INCOMPLETE, NULL, -1);
}

/* ---- gate 2: boot integrity ------------------------------------------- */

/* A variable that must read as want; absent gives absent_reason (PG_OK: absent is fine). */
static void pg_eval_var(struct pg_handoff_result *r, const struct pg_preos_var *v, uint8_t want,
                        pg_err mismatch, pg_err absent_reason, const char *name)
{
        switch (v->state) {
        case PG_PREOS_VAR_PRESENT:
                if (v->value != want)
                        pg_note(r, PG_OUTCOME_FAIL, mismatch, NULL, -1);
                return;
        case PG_PREOS_VAR_ABSENT:
                if (absent_reason != PG_OK)
                        pg_note(r, PG_OUTCOME_FAIL, absent_reason, NULL, -1);
                return;
        default:
                pg_note(r, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_SB_VARIABLE_UNREADABLE, name, -1);
                return;
        }
}

static void pg_eval_expectation(struct pg_handoff_result *r, const struct pg_preos_var *v,
                                uint8_t expect, const char *name)
{
        if (expect == PG_EXPECT_ANY || v->state != PG_PREOS_VAR_PRESENT)
                return;
        if ((expect == PG_EXPECT_ON) != (v->value == 1))
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_SB_EXPECTATION, name, -1);
}

/*
 * Secure Boot enforcing in user or deployed mode. AuditMode and
 * DeployedMode exist only from UEFI 2.5 on, so their absence is fine;
 * SecureBoot and SetupMode exist on every firmware with Secure Boot.
 */
static void pg_eval_secure_boot(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        pg_eval_var(r, &ev->secure_boot, 1, PG_ERR_PREOS_SECURE_BOOT_OFF,
                    PG_ERR_PREOS_SECURE_BOOT_ABSENT, "SecureBoot");
        pg_eval_var(r, &ev->setup_mode, 0, PG_ERR_PREOS_SETUP_MODE,
                    PG_ERR_PREOS_SECURE_BOOT_ABSENT, "SetupMode");
        pg_eval_var(r, &ev->audit_mode, 0, PG_ERR_PREOS_AUDIT_MODE, PG_OK, "AuditMode");
        if (ev->deployed_mode.state != PG_PREOS_VAR_PRESENT &&
            ev->deployed_mode.state != PG_PREOS_VAR_ABSENT)
                pg_note(r, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_SB_VARIABLE_UNREADABLE, "DeployedMode", -1);
        if (pg_manifest_ok(ev)) {
                pg_eval_expectation(r, &ev->secure_boot, ev->manifest->boot.secure_boot, "secure-boot");
                pg_eval_expectation(r, &ev->setup_mode, ev->manifest->boot.setup_mode, "setup-mode");
        }
}

static void pg_eval_next_stage(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        const struct pg_manifest_stage *next;
        const uint8_t *pin;

        if (!pg_manifest_ok(ev)) {
                pg_note(r, pg_manifest_outcome(ev->manifest_err), ev->manifest_err, NULL, -1);
                return;
        }
        next = &ev->manifest->boot.next;
        if (!next->present) {
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_NO_NEXT_STAGE, NULL, -1);
                return;
        }
        if (ev->next_err != PG_OK) {
                pg_note(r, PG_OUTCOME_UNKNOWN, ev->next_err, NULL, -1);
                return;
        }
        if (pg_memcmp_ct(ev->next_sha256, next->sha256, PG_PREOS_DIGEST_SIZE) != 0)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_NEXT_STAGE_DIGEST, NULL, -1);
        pin = pg_preos_initrd_pin(ev->manifest, false);
        if (!pin)
                return;
        if (ev->initrd_err != PG_OK)
                pg_note(r, PG_OUTCOME_UNKNOWN, ev->initrd_err, NULL, -1);
        else if (pg_memcmp_ct(ev->initrd_sha256, pin, PG_PREOS_DIGEST_SIZE) != 0)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_INITRD_DIGEST, NULL, -1);
}

const uint8_t *pg_preos_initrd_pin(const struct pg_manifest *m, bool recovery)
{
        const struct pg_manifest_stage *stage = recovery ? &m->boot.recovery : &m->boot.next;

        if (!stage->present || !stage->has_initrd)
                return NULL;
        return stage->initrd_sha256;
}

/*
 * Per-PCR state while the log is walked: a pinned event digest list is an
 * allow-list, so every event extending that PCR must carry one of its digests.
 */
struct pg_pin_walk {
        uint32_t seen[PG_PREOS_PCR_COUNT];
        bool mismatch[PG_PREOS_PCR_COUNT];
        bool self_found;
};

static void pg_walk_event(const struct pg_preos_evidence *ev, const struct pg_evlog_event *e,
                          int bank, struct pg_pin_walk *w)
{
        const struct pg_manifest_pcr *pin;
        const uint8_t *digest;

        if (e->pcr >= PG_PREOS_PCR_COUNT || (e->flags & PG_EVLOG_EV_NO_EXTEND) ||
            !(e->bank_mask & (1u << bank)))
                return;
        digest = e->digest[bank];
        if (e->pcr == 4 && e->type == PG_EV_EFI_BOOT_SERVICES_APPLICATION && ev->self_err == PG_OK &&
            pg_memcmp_ct(digest, ev->self_sha256, PG_PREOS_DIGEST_SIZE) == 0)
                w->self_found = true;
        if (!pg_manifest_ok(ev) || !(ev->manifest->boot.pcr_mask & (1u << e->pcr)))
                return;
        pin = &ev->manifest->boot.pcrs[e->pcr];
        if (!pin->event_digests)
                return;
        w->seen[e->pcr]++;
        for (uint32_t i = 0; i < pin->event_digest_count; i++)
                if (pg_memcmp_ct(digest, pin->event_digests + (size_t)i * PG_PREOS_DIGEST_SIZE,
                                 PG_PREOS_DIGEST_SIZE) == 0)
                        return;
        w->mismatch[e->pcr] = true;
}

/* Parses and replays the whole log; on error notes it and returns false. */
static bool pg_replay_whole_log(const struct pg_preos_evidence *ev, struct pg_replay *rp,
                                struct pg_pin_walk *w, struct pg_handoff_result *r)
{
        static const struct pg_replay_hasher sha256 = { PG_TPM_ALG_SHA256, pg_replay_hash_sha256, NULL };
        struct pg_evlog log;
        struct pg_evlog_event e;
        bool end = false;
        int bank;
        pg_err err;

        err = pg_evlog_init(&log, ev->log, ev->log_len);
        if (err == PG_OK && log.format != PG_EVLOG_FORMAT_CRYPTO_AGILE)
                err = PG_ERR_PREOS_NO_EVENT_LOG;
        if (err == PG_OK)
                err = pg_replay_init(rp, &log, &sha256, 1);
        bank = pg_evlog_bank_index(&log, PG_TPM_ALG_SHA256);
        if (err == PG_OK && bank < 0)
                err = PG_ERR_REPLAY_NO_BANK;
        while (err == PG_OK) {
                err = pg_evlog_next(&log, &e, &end);
                if (err != PG_OK || end)
                        break;
                err = pg_replay_event(rp, &e);
                if (err == PG_OK)
                        pg_walk_event(ev, &e, bank, w);
        }
        if (err != PG_OK) {
                pg_note(r, PG_OUTCOME_FAIL, err, "event ", (int)log.next_index);
                return false;
        }
        return true;
}

static void pg_compare_pcrs(const struct pg_preos_evidence *ev, const struct pg_replay *rp,
                            const struct pg_pin_walk *w, struct pg_handoff_result *r)
{
        uint8_t value[PG_PREOS_DIGEST_SIZE];
        pg_err err;

        for (uint32_t i = 0; i < PG_PREOS_PCR_COUNT; i++) {
                const struct pg_manifest_pcr *pin;

                err = pg_replay_read(rp, PG_TPM_ALG_SHA256, i, value, sizeof(value));
                if (err != PG_OK)
                        pg_note(r, PG_OUTCOME_FAIL, err, "pcr ", (int)i);
                else if (pg_memcmp_ct(value, ev->pcrs[i], sizeof(value)) != 0)
                        pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_REPLAY_MISMATCH, "pcr ", (int)i);
                if (!pg_manifest_ok(ev) || !(ev->manifest->boot.pcr_mask & (1u << i)))
                        continue;
                pin = &ev->manifest->boot.pcrs[i];
                if (pin->has_value && pg_memcmp_ct(pin->value, ev->pcrs[i], sizeof(value)) != 0)
                        pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_PCR_VALUE_MISMATCH, "pcr ", (int)i);
                if (pin->event_digests && w->mismatch[i])
                        pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_PCR_EVENTS_MISMATCH, "pcr ", (int)i);
        }
}

static void pg_eval_boot_chain(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        struct pg_replay replay;
        struct pg_pin_walk walk;

        if (ev->tpm_err != PG_OK) {
                pg_note(r, PG_OUTCOME_UNKNOWN, ev->tpm_err, NULL, -1);
                return;
        }
        if (ev->log_err != PG_OK || !ev->log) {
                pg_note(r, PG_OUTCOME_UNKNOWN,
                        ev->log_err != PG_OK ? ev->log_err : PG_ERR_PREOS_NO_EVENT_LOG, NULL, -1);
                return;
        }
        if (ev->log_truncated)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_EVENT_LOG_TRUNCATED, NULL, -1);
        if (ev->pcrs_err != PG_OK) {
                pg_note(r, PG_OUTCOME_UNKNOWN, ev->pcrs_err, NULL, -1);
                return;
        }
        memset(&walk, 0, sizeof(walk));
        if (!pg_replay_whole_log(ev, &replay, &walk, r))
                return;
        pg_compare_pcrs(ev, &replay, &walk, r);
        if (ev->self_err != PG_OK)
                pg_note(r, PG_OUTCOME_UNKNOWN, ev->self_err, "own image", -1);
        else if (!walk.self_found)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_SELF_NOT_MEASURED, NULL, -1);
}

/*
 * Returns true when a read of the anti-rollback index failed because the
 * TPM did not work: a transport error, a malformed response, failure mode,
 * a retry code, or any TPM error not listed below. A TPM response code
 * about the index itself (not defined, never written, range, authorization)
 * and wrong index attributes describe the device's provisioning, so they
 * leave only the floor unknown. Errors outside the TPM range 0x30xx (no
 * trusted manifest, no TPM) mean that no read was sent.
 */
static bool pg_floor_err_is_tpm_fault(pg_err err)
{
        if ((err & 0xff00) != 0x3000)
                return false;
        switch (err) {
        case PG_ERR_TPM_RC_HANDLE:
        case PG_ERR_TPM_RC_NV_UNINITIALIZED:
        case PG_ERR_TPM_RC_NV_AUTHORIZATION:
        case PG_ERR_TPM_RC_NV_RANGE:
        case PG_ERR_TPM_RC_NV_LOCKED:
        case PG_ERR_TPM_RC_AUTH_FAIL:
        case PG_ERR_TPM_RC_AUTH_UNAVAILABLE:
        case PG_ERR_TPM_RC_ATTRIBUTES:
        case PG_ERR_TPM_SVN_INDEX_TYPE:
        case PG_ERR_TPM_SVN_INDEX_ATTRS_MISSING:
        case PG_ERR_TPM_SVN_INDEX_ATTRS_FORBIDDEN:
        case PG_ERR_TPM_SVN_INDEX_SIZE:
                return false;
        default:
                return true;
        }
}

static void pg_eval_device_integrity(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        if (ev->tpm_err == PG_ERR_PREOS_TPM_ABSENT) {
                pg_note(r, PG_OUTCOME_FAIL, ev->tpm_err, NULL, -1);
                return;
        }
        if (ev->tpm_err != PG_OK) {
                pg_note(r, PG_OUTCOME_UNKNOWN, ev->tpm_err, NULL, -1);
                return;
        }
        if (!ev->sha256_bank_active)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_NO_SHA256_BANK, NULL, -1);
        if (ev->tpm_command_err != PG_OK)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_TPM_ERROR, pg_err_name(ev->tpm_command_err), -1);
        else if (pg_floor_err_is_tpm_fault(ev->floor_err))
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_TPM_ERROR, pg_err_name(ev->floor_err), -1);
}

/* ---- gates 4 and 9 ---------------------------------------------------- */

static void pg_eval_cmdline(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        if (!pg_manifest_ok(ev) || !ev->manifest->boot.next.present || ev->next_err != PG_OK)
                pg_note(r, pg_manifest_ok(ev) ? PG_OUTCOME_FAIL : pg_manifest_outcome(ev->manifest_err),
                        PG_ERR_PREOS_CMDLINE_UNSET, NULL, -1);
}

static void pg_eval_update_authenticity(const struct pg_preos_evidence *ev,
                                        struct pg_handoff_result *r)
{
        pg_eval_next_stage(ev, r);
}

static void pg_eval_update_integrity(const struct pg_preos_evidence *ev, struct pg_handoff_result *r)
{
        if (!pg_manifest_ok(ev)) {
                pg_note(r, pg_manifest_outcome(ev->manifest_err), ev->manifest_err, NULL, -1);
                return;
        }
        pg_eval_svn(ev, r);
        if (ev->floor_err != PG_OK)
                return;
        if (ev->floor_write_err != PG_OK)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_FLOOR_WRITE_FAILED,
                        pg_err_name(ev->floor_write_err), -1);
        if (ev->floor_lock_err != PG_OK)
                pg_note(r, PG_OUTCOME_FAIL, PG_ERR_PREOS_FLOOR_LOCK_FAILED,
                        pg_err_name(ev->floor_lock_err), -1);
}

/* ---- whole evaluation -------------------------------------------------- */

enum pg_outcome pg_preos_gate_outcome(const struct pg_handoff_gate *gate)
{
        enum pg_outcome combined = PG_OUTCOME_NOT_APPLICABLE;

        for (unsigned o = 0; o < PG_OBJECTIVES_PER_GATE; o++)
                if (!pg_handoff_is_pending(&gate->objectives[o]))
                        combined = pg_outcome_combine(combined, gate->objectives[o].outcome);
        return combined;
}

static void pg_combine_gates(struct pg_handoff *h)
{
        for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                struct pg_handoff_gate *gate = &h->gates[g];
                struct pg_handoff_result *worst = &gate->objectives[0];

                for (unsigned o = 1; o < PG_OBJECTIVES_PER_GATE; o++) {
                        struct pg_handoff_result *r = &gate->objectives[o];

                        if (r->outcome != worst->outcome &&
                            pg_outcome_combine(worst->outcome, r->outcome) == r->outcome)
                                worst = r;
                }
                gate->result = *worst;
        }
}

typedef void (*pg_eval_fn)(const struct pg_preos_evidence *ev, struct pg_handoff_result *r);

static const struct {
        uint8_t gate;
        uint8_t objective;
        pg_eval_fn fn;
} pg_preos_objectives[] = {
        { 1, 0, pg_eval_production_build },
        { 1, 1, pg_eval_release_state },
        { 1, 2, pg_eval_provenance },
        { 2, 0, pg_eval_secure_boot },
        { 2, 0, pg_eval_next_stage },
        { 2, 1, pg_eval_boot_chain },
        { 2, 2, pg_eval_device_integrity },
        { 4, 0, pg_eval_secure_boot },
        { 4, 2, pg_eval_cmdline },
        { 9, 1, pg_eval_update_authenticity },
        { 9, 2, pg_eval_update_integrity },
};

static void pg_copy_string(char *dst, size_t size, const char *src)
{
        size_t n = src ? strnlen(src, size - 1) : 0;

        memcpy(dst, src ? src : "", n);
        dst[n] = '\0';
}

static void pg_fill_identity(const struct pg_preos_evidence *ev, struct pg_handoff *h)
{
        h->build_type = ev->evaluator_build_type;
        pg_copy_string(h->evaluator_version, sizeof(h->evaluator_version),
                       ev->evaluator_version ? ev->evaluator_version : "unknown");
        h->pcr = PG_MANIFEST_DEFAULT_GATES_PCR;
        if (pg_manifest_ok(ev)) {
                h->has_manifest = true;
                memcpy(h->manifest.digest, ev->manifest_sha256, PG_HANDOFF_DIGEST_SIZE);
                memcpy(h->manifest.key_id, ev->verified->key_id, PG_HANDOFF_DIGEST_SIZE);
                pg_copy_string(h->manifest.version, sizeof(h->manifest.version),
                               ev->manifest->identity.version);
                h->manifest.svn = ev->manifest->identity.security_version;
                h->pcr = ev->manifest->policy.gates_pcr;
        }
        if (ev->floor_err == PG_OK) {
                h->has_rollback = true;
                h->rollback.floor_before = ev->floor;
                h->rollback.floor_after = ev->floor_after > ev->floor ? ev->floor_after : ev->floor;
        }
}

void pg_preos_evaluate(const struct pg_preos_evidence *ev, struct pg_handoff *out)
{
        unsigned last_gate = 0, last_obj = 0;

        pg_handoff_init(out);
        pg_fill_identity(ev, out);
        for (size_t i = 0; i < PG_ARRAY_SIZE(pg_preos_objectives); i++) {
                unsigned g = pg_preos_objectives[i].gate;
                unsigned o = pg_preos_objectives[i].objective;
                struct pg_handoff_result *r = pg_obj(out, g, o);

                /* Consecutive entries for one objective add findings to it. */
                if (g != last_gate || o != last_obj)
                        pg_obj_start(r);
                pg_preos_objectives[i].fn(ev, r);
                last_gate = g;
                last_obj = o;
        }
        pg_combine_gates(out);
        out->action = PG_HANDOFF_ACTION_HALT;
}

/* ---- policy and decision ------------------------------------------------ */

void pg_preos_policy(const struct pg_preos_evidence *ev, struct pg_preos_policy *out)
{
        struct pg_preos_policy p;

        memset(&p, 0, sizeof(p));
        if (pg_manifest_ok(ev)) {
                memcpy(p.gates, ev->manifest->policy.gates, sizeof(p.gates));
                p.from_manifest = true;
        } else {
                for (unsigned g = 0; g < PG_GATE_COUNT; g++) {
                        p.gates[g].requirement = PG_REQUIREMENT_ADVISORY;
                        p.gates[g].enforcement = PG_ENFORCE_NONE;
                }
                for (unsigned g = PG_GATE_BUILD_INTEGRITY; g <= PG_GATE_BOOT_INTEGRITY; g++)
                        p.gates[g - 1] = (struct pg_manifest_gate_policy){
                                PG_REQUIREMENT_REQUIRED, PG_ENFORCE_ENFORCE };
                p.gates[PG_GATE_PLATFORM_CONFIGURATION - 1] = (struct pg_manifest_gate_policy){
                        PG_REQUIREMENT_REQUIRED, PG_ENFORCE_AUDIT };
                p.gates[PG_GATE_UPDATE_INTEGRITY - 1] = (struct pg_manifest_gate_policy){
                        PG_REQUIREMENT_REQUIRED, PG_ENFORCE_AUDIT };
        }
        *out = p;
}

bool pg_preos_floor_target(const struct pg_preos_evidence *ev, uint64_t *target)
{
        const struct pg_manifest *m = ev->manifest;

        if (!pg_manifest_ok(ev) || ev->floor_err != PG_OK)
                return false;
        if (m->identity.security_version < ev->floor)
                return false;
        if (m->identity.minimum_security_version <= ev->floor)
                return false;
        *target = m->identity.minimum_security_version;
        return true;
}

static bool pg_next_verified(const struct pg_preos_evidence *ev)
{
        const uint8_t *pin;

        if (!pg_manifest_ok(ev) || !ev->manifest->boot.next.present || ev->next_err != PG_OK ||
            pg_memcmp_ct(ev->next_sha256, ev->manifest->boot.next.sha256, PG_PREOS_DIGEST_SIZE) != 0)
                return false;
        pin = pg_preos_initrd_pin(ev->manifest, false);
        return !pin || (ev->initrd_err == PG_OK &&
                        pg_memcmp_ct(ev->initrd_sha256, pin, PG_PREOS_DIGEST_SIZE) == 0);
}

void pg_preos_decide(const struct pg_preos_evidence *ev, bool recovery_ok, struct pg_handoff *h,
                     struct pg_preos_decision *out)
{
        struct pg_preos_decision d = { .action = PG_HANDOFF_ACTION_HALT };
        struct pg_preos_policy policy;

        pg_preos_policy(ev, &policy);
        for (unsigned g = 1; g <= PG_GATE_COUNT; g++) {
                const struct pg_manifest_gate_policy *p = &policy.gates[g - 1];

                if (pg_preos_gate_outcome(&h->gates[g - 1]) == PG_OUTCOME_PASS ||
                    pg_preos_gate_outcome(&h->gates[g - 1]) == PG_OUTCOME_NOT_APPLICABLE ||
                    p->requirement == PG_REQUIREMENT_NOT_APPLICABLE)
                        continue;
                if (p->requirement == PG_REQUIREMENT_REQUIRED && p->enforcement == PG_ENFORCE_ENFORCE)
                        d.blocking_gates |= 1u << g;
                else if (p->enforcement != PG_ENFORCE_NONE)
                        d.audited_gates |= 1u << g;
        }
        /* Only a verified stage starts, whatever the policy requires. */
        if (d.blocking_gates == 0 && pg_next_verified(ev)) {
                d.action = d.audited_gates ? PG_HANDOFF_ACTION_AUDIT_CONTINUE : PG_HANDOFF_ACTION_BOOT_NEXT;
                d.stage = &ev->manifest->boot.next;
        } else if (pg_manifest_ok(ev) && ev->manifest->boot.recovery.present && recovery_ok) {
                d.action = PG_HANDOFF_ACTION_BOOT_RECOVERY;
                d.stage = &ev->manifest->boot.recovery;
        }
        h->action = d.action;
        *out = d;
}
