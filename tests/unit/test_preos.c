/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pre-OS gate evaluation: a complete, passing evidence set built in
 * memory (a manifest struct, a crypto-agile event log with a SHA-256 bank
 * and the PCR values its replay gives), then one evidence fault at a time,
 * each asserting the exact outcome and reason code of the objective it
 * concerns. Every result must also pass pg_handoff_check() and write.
 */
#include "test.h"
#include "crypto/sha256.h"
#include "gates/pe_hash.h"
#include "gates/preos.h"
#include "measured/tcg.h"

#define SHA 32

static struct pg_manifest manifest;
static struct pg_manifest_verified verified;
static struct pg_preos_evidence ev;
static struct pg_handoff h;
static uint8_t log_buf[1024];
static size_t log_len;
static const uint8_t self_digest[SHA] = { 0x5e, 0x1f };
static const uint8_t next_digest[SHA] = { 0x4e, 0x78 };
static const uint8_t initrd_digest[SHA] = { 0x1d };
static uint8_t pinned_events[2 * SHA];

/* ---- a crypto-agile log with the SHA-256 bank only ------------------------ */

static void put32(uint32_t v)
{
        pg_store_le32(log_buf + log_len, v);
        log_len += 4;
}

static void put(const void *p, size_t n)
{
        memcpy(log_buf + log_len, p, n);
        log_len += n;
}

static void put_specid(void)
{
        static const uint8_t zero[20];
        uint8_t data[33] = "Spec ID Event03";

        data[21] = 2;                   /* spec version major */
        data[23] = 2;                   /* uintnSize: 64-bit */
        pg_store_le32(data + 24, 1);    /* one algorithm */
        data[28] = PG_TPM_ALG_SHA256;
        data[30] = SHA;
        put32(0);
        put32(PG_EV_NO_ACTION);
        put(zero, sizeof(zero));
        put32(sizeof(data));
        put(data, sizeof(data));
}

static void put_event(uint32_t pcr, uint32_t type, const uint8_t digest[SHA], const void *data,
                      uint32_t size, uint8_t tpm_pcrs[8][SHA])
{
        uint8_t both[2 * SHA];

        put32(pcr);
        put32(type);
        put32(1);
        log_buf[log_len++] = PG_TPM_ALG_SHA256;
        log_buf[log_len++] = 0;
        put(digest, SHA);
        put32(size);
        put(data, size);
        memcpy(both, tpm_pcrs[pcr], SHA);
        memcpy(both + SHA, digest, SHA);
        pg_sha256(both, sizeof(both), tpm_pcrs[pcr]);
}

static void build_log(void)
{
        static const uint8_t separator[4];
        uint8_t image_load[32] = { 0 };
        uint8_t d[SHA];

        log_len = 0;
        memset(ev.pcrs, 0, sizeof(ev.pcrs));
        put_specid();
        memset(d, 0xc0, sizeof(d));
        put_event(0, PG_EV_S_CRTM_VERSION, d, "v1", 2, ev.pcrs);
        memcpy(pinned_events, d, SHA);
        put_event(4, PG_EV_EFI_BOOT_SERVICES_APPLICATION, self_digest, image_load,
                  sizeof(image_load), ev.pcrs);
        pg_sha256(separator, sizeof(separator), d);
        put_event(7, PG_EV_SEPARATOR, d, separator, sizeof(separator), ev.pcrs);
        memcpy(pinned_events + SHA, d, SHA);
        ev.log = log_buf;
        ev.log_len = log_len;
}

/* ---- the passing evidence ------------------------------------------------- */

static void build_manifest(void)
{
        memset(&manifest, 0, sizeof(manifest));
        manifest.identity.version = "1.2.3";
        manifest.identity.security_version = 7;
        manifest.identity.minimum_security_version = 6;
        manifest.identity.build_type = PG_BUILD_PRODUCTION;
        manifest.identity.channel = "stable";
        manifest.provenance.present = true;
        manifest.provenance.builder_id = "ci";
        manifest.provenance.source_repository = "git";
        manifest.provenance.source_revision = "abc";
        manifest.provenance.artifact_count = 1;
        manifest.provenance.artifacts[0].name = "kernel";
        memcpy(manifest.provenance.artifacts[0].sha256, next_digest, SHA);
        manifest.boot.next.has_initrd = true;
        manifest.boot.next.initrd = "\\EFI\\Linux\\vmlinuz.initrd";
        memcpy(manifest.boot.next.initrd_sha256, initrd_digest, SHA);
        manifest.boot.next.present = true;
        manifest.boot.next.path = "\\EFI\\Linux\\linux.efi";
        manifest.boot.next.cmdline = "console=ttyS0";
        memcpy(manifest.boot.next.sha256, next_digest, SHA);
        manifest.boot.secure_boot = PG_EXPECT_ON;
        manifest.boot.setup_mode = PG_EXPECT_OFF;
        manifest.policy.gates_pcr = 13;
        manifest.policy.nv_index = 0x01000100;
        for (unsigned g = 0; g < PG_GATE_COUNT; g++)
                manifest.policy.gates[g] = (struct pg_manifest_gate_policy){
                        PG_REQUIREMENT_ADVISORY, PG_ENFORCE_NONE };
        manifest.policy.gates[0] = (struct pg_manifest_gate_policy){ PG_REQUIREMENT_REQUIRED,
                                                                     PG_ENFORCE_ENFORCE };
        manifest.policy.gates[1] = manifest.policy.gates[0];
        memset(&verified, 0, sizeof(verified));
        verified.role = PG_KEY_ROLE_RELEASE;
        memset(verified.key_id, 0x4b, sizeof(verified.key_id));
}

static void good(void)
{
        static const struct pg_preos_var on = { PG_PREOS_VAR_PRESENT, 1 };
        static const struct pg_preos_var off = { PG_PREOS_VAR_PRESENT, 0 };

        memset(&ev, 0, sizeof(ev));
        build_manifest();
        ev.evaluator_build_type = PG_BUILD_PRODUCTION;
        ev.evaluator_version = "0.1.0";
        ev.secure_boot = on;
        ev.setup_mode = off;
        ev.audit_mode = off;
        ev.deployed_mode = (struct pg_preos_var){ PG_PREOS_VAR_ABSENT, 0 };
        ev.manifest = &manifest;
        ev.verified = &verified;
        memcpy(ev.next_sha256, next_digest, SHA);
        memcpy(ev.initrd_sha256, initrd_digest, SHA);
        memcpy(ev.self_sha256, self_digest, SHA);
        ev.sha256_bank_active = true;
        build_log();
        ev.floor = 6;
        ev.floor_after = 6;
}

/* Evaluates and checks that the result is a valid handoff that writes. */
static void evaluate(void)
{
        static uint8_t blob[PG_HANDOFF_MAX_SIZE] __attribute__((aligned(8)));
        struct pg_preos_decision d;
        size_t len;

        pg_preos_evaluate(&ev, &h);
        pg_preos_decide(&ev, false, &h, &d);
        CHECK_ERR(pg_handoff_check(&h), PG_OK);
        CHECK_ERR(pg_handoff_write(&h, blob, sizeof(blob), &len), PG_OK);
}

#define CHECK_OBJ(gate, obj, want_outcome, want_reason)                                   \
        do {                                                                              \
                CHECK_INT(h.gates[(gate) - 1].objectives[obj].outcome, (want_outcome));   \
                CHECK_ERR(h.gates[(gate) - 1].objectives[obj].reason, (want_reason));     \
        } while (0)

/* ---- tests ------------------------------------------------------------------ */

TEST(all_good_passes)
{
        struct pg_preos_decision d;

        good();
        evaluate();
        for (unsigned o = 0; o < 3; o++) {
                CHECK_OBJ(1, o, PG_OUTCOME_PASS, PG_OK);
                CHECK_OBJ(2, o, PG_OUTCOME_PASS, PG_OK);
        }
        CHECK_OBJ(4, 0, PG_OUTCOME_PASS, PG_OK);
        CHECK_OBJ(4, 2, PG_OUTCOME_PASS, PG_OK);
        CHECK_OBJ(9, 1, PG_OUTCOME_PASS, PG_OK);
        CHECK_OBJ(9, 2, PG_OUTCOME_PASS, PG_OK);
        CHECK(pg_handoff_is_pending(&h.gates[3].objectives[1]));
        CHECK(pg_handoff_is_pending(&h.gates[8].objectives[0]));
        CHECK_INT(h.gates[0].result.outcome, PG_OUTCOME_PASS);
        CHECK_INT(h.gates[1].result.outcome, PG_OUTCOME_PASS);
        CHECK_INT(h.gates[3].result.outcome, PG_OUTCOME_UNKNOWN);
        CHECK_INT(pg_preos_gate_outcome(&h.gates[3]), PG_OUTCOME_PASS);
        CHECK(h.has_manifest);
        CHECK_INT(h.pcr, 13);
        CHECK_INT(h.manifest.svn, 7);
        pg_preos_decide(&ev, false, &h, &d);
        CHECK_INT(d.action, PG_HANDOFF_ACTION_BOOT_NEXT);
        CHECK(d.stage == &manifest.boot.next);
}

TEST(manifest_missing_or_rejected)
{
        struct pg_preos_decision d;

        good();
        ev.manifest_err = PG_ERR_PREOS_MANIFEST_MISSING;
        ev.manifest = NULL;
        ev.verified = NULL;
        evaluate();
        CHECK_OBJ(1, 0, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_MANIFEST_MISSING);
        CHECK_OBJ(1, 1, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_MANIFEST_MISSING);
        CHECK_OBJ(1, 2, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_MANIFEST_MISSING);
        CHECK_OBJ(2, 0, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_MANIFEST_MISSING);
        CHECK_OBJ(4, 2, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_CMDLINE_UNSET);
        CHECK(!h.has_manifest);
        CHECK_INT(h.pcr, PG_MANIFEST_DEFAULT_GATES_PCR);
        pg_preos_decide(&ev, true, &h, &d);
        CHECK_INT(d.action, PG_HANDOFF_ACTION_HALT);
        CHECK(d.blocking_gates & (1u << 1));

        ev.manifest_err = PG_ERR_MANIFEST_UNTRUSTED_KEY;
        evaluate();
        CHECK_OBJ(1, 1, PG_OUTCOME_FAIL, PG_ERR_MANIFEST_UNTRUSTED_KEY);
        CHECK_OBJ(9, 1, PG_OUTCOME_FAIL, PG_ERR_MANIFEST_UNTRUSTED_KEY);
        CHECK_INT(h.action, PG_HANDOFF_ACTION_HALT);

        /* A set error wins over valid-looking pointers. */
        good();
        ev.manifest_err = PG_ERR_MANIFEST_BAD_SIGNATURE;
        evaluate();
        CHECK_OBJ(1, 1, PG_OUTCOME_FAIL, PG_ERR_MANIFEST_BAD_SIGNATURE);
        CHECK(!h.has_manifest);
        CHECK_INT(h.action, PG_HANDOFF_ACTION_HALT);
}

TEST(build_faults)
{
        good();
        ev.evaluator_build_type = PG_BUILD_DEVELOPMENT;
        evaluate();
        CHECK_OBJ(1, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_EVALUATOR_NOT_PRODUCTION);
        CHECK_INT(h.action, PG_HANDOFF_ACTION_HALT);

        good();
        manifest.identity.build_type = PG_BUILD_ENGINEERING;
        evaluate();
        CHECK_OBJ(1, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_BUILD_NOT_PRODUCTION);

        good();
        manifest.identity.channel = "nightly";
        evaluate();
        CHECK_OBJ(1, 1, PG_OUTCOME_FAIL, PG_ERR_PREOS_CHANNEL_NOT_ALLOWED);

        good();
        verified.role = PG_KEY_ROLE_DEVELOPMENT;
        evaluate();
        CHECK_OBJ(1, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_NOT_RELEASE_KEY);

        good();
        manifest.provenance.artifact_count = 0;
        evaluate();
        CHECK_OBJ(1, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_PROVENANCE_INCOMPLETE);
}

TEST(rollback)
{
        uint64_t target = 0;

        good();
        ev.floor = 8;
        ev.floor_after = 8;
        evaluate();
        CHECK_OBJ(1, 1, PG_OUTCOME_FAIL, PG_ERR_PREOS_SVN_BELOW_FLOOR);
        CHECK_OBJ(9, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_SVN_BELOW_FLOOR);
        CHECK(!pg_preos_floor_target(&ev, &target));
        CHECK(h.has_rollback);
        CHECK_INT(h.rollback.floor_before, 8);

        good();
        ev.floor = 3;
        CHECK(pg_preos_floor_target(&ev, &target));
        CHECK_INT(target, 6);
        ev.floor = 6;
        CHECK(!pg_preos_floor_target(&ev, &target));

        good();
        ev.floor_err = PG_ERR_TPM_RC_HANDLE;
        evaluate();
        CHECK_OBJ(1, 1, PG_OUTCOME_UNKNOWN, PG_ERR_TPM_RC_HANDLE);
        CHECK(!h.has_rollback);
        CHECK(!pg_preos_floor_target(&ev, &target));

        good();
        ev.floor_write_err = PG_ERR_TPM_RC_NV_LOCKED;
        evaluate();
        CHECK_OBJ(9, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_FLOOR_WRITE_FAILED);
        good();
        ev.floor_lock_err = PG_ERR_TPM_TRANSPORT;
        evaluate();
        CHECK_OBJ(9, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_FLOOR_LOCK_FAILED);
}

TEST(secure_boot_faults)
{
        good();
        ev.secure_boot.value = 0;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_SECURE_BOOT_OFF);
        CHECK_OBJ(4, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_SECURE_BOOT_OFF);

        good();
        ev.secure_boot.state = PG_PREOS_VAR_ABSENT;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_SECURE_BOOT_ABSENT);

        good();
        ev.setup_mode.value = 1;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_SETUP_MODE);

        good();
        ev.audit_mode.value = 1;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_AUDIT_MODE);

        good();
        ev.audit_mode.state = PG_PREOS_VAR_ABSENT;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_PASS, PG_OK);

        good();
        ev.setup_mode.state = PG_PREOS_VAR_ERROR;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_SB_VARIABLE_UNREADABLE);

        good();
        ev.deployed_mode.state = PG_PREOS_VAR_UNREAD;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_SB_VARIABLE_UNREADABLE);

        good();
        manifest.boot.secure_boot = PG_EXPECT_OFF;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_SB_EXPECTATION);
}

TEST(next_stage_faults)
{
        struct pg_preos_decision d;

        good();
        ev.next_sha256[0] ^= 1;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_NEXT_STAGE_DIGEST);
        CHECK_OBJ(9, 1, PG_OUTCOME_FAIL, PG_ERR_PREOS_NEXT_STAGE_DIGEST);
        CHECK_INT(h.action, PG_HANDOFF_ACTION_HALT);
        manifest.boot.recovery.present = true;
        pg_preos_decide(&ev, true, &h, &d);
        CHECK_INT(d.action, PG_HANDOFF_ACTION_BOOT_RECOVERY);
        CHECK(d.stage == &manifest.boot.recovery);
        /* Audit: the gate no longer blocks, but the changed stage never starts. */
        manifest.policy.gates[1].enforcement = PG_ENFORCE_AUDIT;
        pg_preos_decide(&ev, false, &h, &d);
        CHECK_INT(d.action, PG_HANDOFF_ACTION_HALT);
        CHECK(d.audited_gates & (1u << 2));

        good();
        ev.next_err = PG_ERR_PREOS_NEXT_STAGE_UNREADABLE;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_NEXT_STAGE_UNREADABLE);
        CHECK_OBJ(4, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_CMDLINE_UNSET);

        good();
        manifest.boot.next.present = false;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_NO_NEXT_STAGE);

        good();
        ev.initrd_sha256[5] ^= 1;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_FAIL, PG_ERR_PREOS_INITRD_DIGEST);
        CHECK_INT(h.action, PG_HANDOFF_ACTION_HALT);

        good();
        ev.initrd_err = PG_ERR_PREOS_INITRD_UNREADABLE;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_INITRD_UNREADABLE);

        /* Without an initrd pin, no initrd is judged (a unified kernel image). */
        good();
        manifest.boot.next.has_initrd = false;
        manifest.boot.next.initrd = NULL;
        ev.initrd_err = PG_ERR_PREOS_INITRD_UNREADABLE;
        evaluate();
        CHECK_OBJ(2, 0, PG_OUTCOME_PASS, PG_OK);
        CHECK(pg_preos_initrd_pin(&manifest, false) == NULL);
}

TEST(tpm_faults)
{
        good();
        ev.tpm_err = PG_ERR_PREOS_TPM_ABSENT;
        evaluate();
        CHECK_OBJ(2, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_TPM_ABSENT);
        CHECK_OBJ(2, 1, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_TPM_ABSENT);

        good();
        ev.tpm_err = PG_ERR_PREOS_TPM_CAPABILITY;
        evaluate();
        CHECK_OBJ(2, 2, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_TPM_CAPABILITY);

        good();
        ev.sha256_bank_active = false;
        evaluate();
        CHECK_OBJ(2, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_NO_SHA256_BANK);

        good();
        ev.tpm_command_err = PG_ERR_TPM_RSP_TRUNCATED;
        evaluate();
        CHECK_OBJ(2, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_TPM_ERROR);
}

/*
 * The TPM stops responding after the PCRs were read, so only the read of
 * the anti-rollback index fails. Device integrity must not stay pass, and
 * with gate 1 audited gate 2 alone must block the boot.
 */
TEST(tpm_lost_at_floor_read)
{
        static const pg_err faults[] = { PG_ERR_TPM_TRANSPORT, PG_ERR_TPM_RC_FAILURE,
                                         PG_ERR_TPM_RSP_SHORT, PG_ERR_TPM_NV_PUBLIC_TRUNCATED,
                                         PG_ERR_TPM_RC_RETRY, PG_ERR_TPM_RC_OTHER };
        static const pg_err index_codes[] = { PG_ERR_TPM_RC_HANDLE, PG_ERR_TPM_RC_NV_UNINITIALIZED,
                                                PG_ERR_TPM_SVN_INDEX_ATTRS_MISSING,
                                                PG_ERR_PREOS_FLOOR_UNAVAILABLE };
        struct pg_preos_decision d;

        for (size_t i = 0; i < PG_ARRAY_SIZE(faults); i++) {
                good();
                ev.floor_err = faults[i];
                evaluate();
                CHECK_OBJ(1, 1, PG_OUTCOME_UNKNOWN, faults[i]);
                CHECK_OBJ(9, 2, PG_OUTCOME_UNKNOWN, faults[i]);
                CHECK_OBJ(2, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_TPM_ERROR);
                CHECK(strcmp(h.gates[1].objectives[2].detail, pg_err_name(faults[i])) == 0);
                CHECK_INT(pg_preos_gate_outcome(&h.gates[1]), PG_OUTCOME_FAIL);
                manifest.policy.gates[0].enforcement = PG_ENFORCE_AUDIT;
                pg_preos_decide(&ev, false, &h, &d);
                CHECK_INT(d.action, PG_HANDOFF_ACTION_HALT);
                CHECK_INT(d.blocking_gates, 1u << 2);
        }
        for (size_t i = 0; i < PG_ARRAY_SIZE(index_codes); i++) {
                good();
                ev.floor_err = index_codes[i];
                evaluate();
                CHECK_OBJ(1, 1, PG_OUTCOME_UNKNOWN, index_codes[i]);
                CHECK_OBJ(2, 2, PG_OUTCOME_PASS, PG_OK);
        }
        /* The first command error stays the reason's detail. */
        good();
        ev.tpm_command_err = PG_ERR_TPM_TRANSPORT;
        ev.pcrs_err = PG_ERR_TPM_TRANSPORT;
        ev.floor_err = PG_ERR_TPM_RC_FAILURE;
        evaluate();
        CHECK_OBJ(2, 2, PG_OUTCOME_FAIL, PG_ERR_PREOS_TPM_ERROR);
        CHECK(strcmp(h.gates[1].objectives[2].detail, "PG_ERR_TPM_TRANSPORT") == 0);
}

TEST(boot_chain_faults)
{
        good();
        ev.log_err = PG_ERR_PREOS_NO_EVENT_LOG;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_UNKNOWN, PG_ERR_PREOS_NO_EVENT_LOG);

        good();
        ev.log_truncated = true;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_FAIL, PG_ERR_PREOS_EVENT_LOG_TRUNCATED);

        good();
        ev.pcrs_err = PG_ERR_TPM_PCR_UNAVAILABLE;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_UNKNOWN, PG_ERR_TPM_PCR_UNAVAILABLE);

        good();
        log_buf[0] = 0x40;              /* first record's PCR index out of range */
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_FAIL, PG_ERR_EVLOG_JUNK);

        good();
        ev.log_len -= 1;                /* last event's data cut short */
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_FAIL, PG_ERR_EVLOG_DATA_TRUNCATED);

        good();
        ev.pcrs[7][0] ^= 1;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_FAIL, PG_ERR_PREOS_REPLAY_MISMATCH);
        CHECK(strcmp(h.gates[1].objectives[1].detail, "pcr 7") == 0);

        good();
        ev.self_sha256[0] ^= 1;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_FAIL, PG_ERR_PREOS_SELF_NOT_MEASURED);

        good();
        ev.self_err = PG_ERR_PE_BAD_DOS_HEADER;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_UNKNOWN, PG_ERR_PE_BAD_DOS_HEADER);
}

TEST(pinned_pcrs)
{
        good();
        manifest.boot.pcr_mask = 1u << 0 | 1u << 7;
        manifest.boot.pcrs[0].has_value = true;
        memcpy(manifest.boot.pcrs[0].value, ev.pcrs[0], SHA);
        manifest.boot.pcrs[7].event_digest_count = 1;
        manifest.boot.pcrs[7].event_digests = pinned_events + SHA;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_PASS, PG_OK);

        manifest.boot.pcrs[0].value[31] ^= 1;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_FAIL, PG_ERR_PREOS_PCR_VALUE_MISMATCH);
        CHECK(strcmp(h.gates[1].objectives[1].detail, "pcr 0") == 0);
        manifest.boot.pcrs[0].value[31] ^= 1;

        /* A pinned list is an allow-list: every event of the PCR must carry one of its digests. */
        manifest.boot.pcrs[7].event_digests = pinned_events;
        manifest.boot.pcrs[7].event_digest_count = 2;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_PASS, PG_OK);
        manifest.boot.pcrs[7].event_digest_count = 1;
        evaluate();
        CHECK_OBJ(2, 1, PG_OUTCOME_FAIL, PG_ERR_PREOS_PCR_EVENTS_MISMATCH);
        CHECK(strcmp(h.gates[1].objectives[1].detail, "pcr 7") == 0);
}

TEST(policy_and_decision)
{
        struct pg_preos_policy p;
        struct pg_preos_decision d;

        good();
        ev.secure_boot.value = 0;
        manifest.policy.gates[1].enforcement = PG_ENFORCE_AUDIT;
        evaluate();
        pg_preos_decide(&ev, false, &h, &d);
        CHECK_INT(d.action, PG_HANDOFF_ACTION_AUDIT_CONTINUE);
        CHECK(d.stage == &manifest.boot.next);

        manifest.policy.gates[1].requirement = PG_REQUIREMENT_NOT_APPLICABLE;
        pg_preos_decide(&ev, false, &h, &d);
        CHECK_INT(d.action, PG_HANDOFF_ACTION_BOOT_NEXT);

        ev.manifest_err = PG_ERR_PREOS_MANIFEST_MISSING;
        pg_preos_policy(&ev, &p);
        CHECK(!p.from_manifest);
        CHECK_INT(p.gates[0].enforcement, PG_ENFORCE_ENFORCE);
        CHECK_INT(p.gates[1].enforcement, PG_ENFORCE_ENFORCE);
        CHECK_INT(p.gates[2].enforcement, PG_ENFORCE_NONE);
}

/* No evidence at all: nothing passes, nothing starts. */
TEST(no_evidence_never_passes)
{
        struct pg_preos_decision d;

        memset(&ev, 0, sizeof(ev));
        ev.manifest_err = PG_ERR_PREOS_MANIFEST_MISSING;
        ev.tpm_err = PG_ERR_PREOS_TPM_ABSENT;
        ev.evaluator_build_type = PG_BUILD_PRODUCTION;
        evaluate();
        for (unsigned g = 0; g < PG_GATE_COUNT; g++)
                for (unsigned o = 0; o < 3; o++)
                        CHECK(h.gates[g].objectives[o].outcome != PG_OUTCOME_PASS);
        pg_preos_decide(&ev, true, &h, &d);
        CHECK_INT(d.action, PG_HANDOFF_ACTION_HALT);
        CHECK(d.stage == NULL);
}

TEST(pe_hash_rejects_garbage)
{
        uint8_t out[SHA] = { 0 }, buf[512] = { 'M', 'Z' };

        CHECK_ERR(pg_pe_authenticode_sha256(buf, 10, out), PG_ERR_PE_TRUNCATED);
        CHECK_ERR(pg_pe_authenticode_sha256((const uint8_t *)"XX", 2, out), PG_ERR_PE_TRUNCATED);
        buf[0x3c] = 0x80;
        CHECK_ERR(pg_pe_authenticode_sha256(buf, sizeof(buf), out), PG_ERR_PE_BAD_DOS_HEADER);
        /* NOLINTNEXTLINE(bugprone-not-null-terminated-result): the PE signature, not a C string */
        memcpy(buf + 0x80, "PE\0\0", 4);
        CHECK_ERR(pg_pe_authenticode_sha256(buf, sizeof(buf), out), PG_ERR_PE_BAD_OPTIONAL_HEADER);
        buf[0x80 + 20] = 0xf0;          /* optional header size 240 */
        buf[0x98] = 0x0b;               /* PE32+ magic 0x20b */
        buf[0x99] = 0x02;
        buf[0x98 + 108] = 16;           /* 16 data directories */
        pg_store_le32(buf + 0x98 + 60, 0x400);  /* SizeOfHeaders past the file */
        CHECK_ERR(pg_pe_authenticode_sha256(buf, sizeof(buf), out), PG_ERR_PE_BAD_SECTIONS);
        pg_store_le32(buf + 0x98 + 60, 0x188);
        CHECK_ERR(pg_pe_authenticode_sha256(buf, sizeof(buf), out), PG_OK);
        pg_store_le32(buf + 0x98 + 112 + 32, 0x100);    /* certificate table inside headers */
        pg_store_le32(buf + 0x98 + 112 + 36, 8);
        CHECK_ERR(pg_pe_authenticode_sha256(buf, sizeof(buf), out), PG_ERR_PE_BAD_CERT_TABLE);
}

int main(void)
{
        RUN(all_good_passes);
        RUN(manifest_missing_or_rejected);
        RUN(build_faults);
        RUN(rollback);
        RUN(secure_boot_faults);
        RUN(next_stage_faults);
        RUN(tpm_faults);
        RUN(tpm_lost_at_floor_read);
        RUN(boot_chain_faults);
        RUN(pinned_pcrs);
        RUN(policy_and_decision);
        RUN(no_evidence_never_passes);
        RUN(pe_hash_rejects_garbage);
        return TEST_SUMMARY();
}
