/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCG PC Client firmware event log parser. Every length read from the log is
 * checked as "len > end - p" against the bytes left, with p <= end held as an
 * invariant, so no addition can wrap. Digest sizes come from the Spec ID
 * event only.
 */
#include "measured/eventlog.h"

#define SHA1_RECORD_HEAD sizeof(struct pg_tcg_pcr_event)
#define EVENT2_HEAD sizeof(struct pg_tcg_pcr_event2_head)
#define SPECID_HEAD sizeof(struct pg_tcg_specid_head)
#define SPECID_ALG sizeof(struct pg_tcg_specid_alg)
#define STARTUP_LOCALITY_SIZE sizeof(struct pg_tcg_startup_locality)
#define VARIABLE_HEAD sizeof(struct pg_tcg_uefi_variable_head)
#define PADDING_BYTE 0xffu

struct pg_alg_info {
        uint16_t alg;
        uint16_t size;
        const char *name;
};

static const struct pg_alg_info pg_algs[] = {
        { PG_TPM_ALG_SHA1, 20, "sha1" },
        { PG_TPM_ALG_SHA256, 32, "sha256" },
        { PG_TPM_ALG_SHA384, 48, "sha384" },
        { PG_TPM_ALG_SHA512, 64, "sha512" },
        { PG_TPM_ALG_SM3_256, 32, "sm3_256" },
};

static const struct pg_alg_info *alg_find(uint16_t alg)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(pg_algs); i++)
                if (pg_algs[i].alg == alg)
                        return &pg_algs[i];
        return NULL;
}

const char *pg_evlog_alg_name(uint16_t alg)
{
        const struct pg_alg_info *a = alg_find(alg);

        return a ? a->name : NULL;
}

uint16_t pg_evlog_alg_digest_size(uint16_t alg)
{
        const struct pg_alg_info *a = alg_find(alg);

        return a ? a->size : 0;
}

static bool mem_all(const uint8_t *p, size_t n, uint8_t v)
{
        for (size_t i = 0; i < n; i++)
                if (p[i] != v)
                        return false;
        return true;
}

/* Returns true when data starts with the n bytes of sig. */
static bool has_prefix(const uint8_t *data, size_t size, const char *sig, size_t n)
{
        return size >= n && memcmp(data, sig, n) == 0;
}

/* Returns true when data starts with a 16-byte NUL-terminated signature such
 * as "Spec ID Event03". */
static bool has_signature(const uint8_t *data, size_t size, const char *sig)
{
        return has_prefix(data, size, sig, PG_TCG_SPECID_SIG_LEN);
}

static bool pcr_index_valid(uint32_t pcr, uint32_t type)
{
        if (pcr < PG_TCG_PCR_COUNT)
                return true;
        return pcr == PG_TCG_PCR_NONE && type == PG_EV_NO_ACTION;
}

/* Checks an event size against the cap and the bytes left after data_pos.
 * Callers ensure data_pos <= log->len. */
static pg_err check_data_size(const struct pg_evlog *log, size_t data_pos, uint32_t size)
{
        if (size > PG_EVLOG_MAX_EVENT_DATA)
                return PG_ERR_EVLOG_DATA_TOO_LARGE;
        if (size > log->len - data_pos)
                return PG_ERR_EVLOG_DATA_TRUNCATED;
        return PG_OK;
}

int pg_evlog_bank_index(const struct pg_evlog *log, uint16_t alg)
{
        for (int b = 0; b < log->bank_count; b++)
                if (log->banks[b].alg == alg)
                        return b;
        return -1;
}

/* Reads a TCG_PCClientPCREvent at pos; its SHA-1 digest goes to bank 0. */
static pg_err parse_sha1_record(const struct pg_evlog *log, size_t pos, struct pg_evlog_event *ev)
{
        const uint8_t *p = log->buf + pos;
        uint32_t pcr, type, size;
        pg_err err;

        if (SHA1_RECORD_HEAD > log->len - pos)
                return PG_ERR_EVLOG_TRUNCATED_HEADER;
        pcr = pg_load_le32(p + offsetof(struct pg_tcg_pcr_event, pcr_index));
        type = pg_load_le32(p + offsetof(struct pg_tcg_pcr_event, event_type));
        size = pg_load_le32(p + offsetof(struct pg_tcg_pcr_event, event_size));
        if (!pcr_index_valid(pcr, type))
                return PG_ERR_EVLOG_PCR_INDEX;
        err = check_data_size(log, pos + SHA1_RECORD_HEAD, size);
        if (err != PG_OK)
                return err;

        memset(ev, 0, sizeof(*ev));
        ev->offset = pos;
        ev->pcr = pcr;
        ev->type = type;
        ev->bank_mask = 1;
        ev->digest[0] = p + offsetof(struct pg_tcg_pcr_event, digest);
        ev->data = p + SHA1_RECORD_HEAD;
        ev->data_size = size;
        ev->record_size = SHA1_RECORD_HEAD + (size_t)size;
        return PG_OK;
}

/* Reads the digest list of a TCG_PCR_EVENT2; *pos moves past it. */
static pg_err parse_digests(const struct pg_evlog *log, size_t *pos, uint32_t count,
                            struct pg_evlog_event *ev)
{
        size_t p = *pos;

        if (count == 0)
                return PG_ERR_EVLOG_DIGEST_COUNT_ZERO;
        if (count > log->bank_count)
                return PG_ERR_EVLOG_DIGEST_COUNT;
        for (uint32_t i = 0; i < count; i++) {
                uint16_t alg;
                int b;

                if (sizeof(struct pg_tcg_tpmt_ha_head) > log->len - p)
                        return PG_ERR_EVLOG_TRUNCATED_DIGEST;
                alg = pg_load_le16(log->buf + p);
                p += sizeof(struct pg_tcg_tpmt_ha_head);
                b = pg_evlog_bank_index(log, alg);
                if (b < 0)
                        return PG_ERR_EVLOG_UNKNOWN_ALG;
                if (ev->bank_mask & (1u << b))
                        return PG_ERR_EVLOG_DUPLICATE_DIGEST;
                if (log->banks[b].size > log->len - p)
                        return PG_ERR_EVLOG_TRUNCATED_DIGEST;
                ev->digest[b] = log->buf + p;
                ev->bank_mask |= 1u << b;
                p += log->banks[b].size;
        }
        *pos = p;
        return PG_OK;
}

/* Reads a TCG_PCR_EVENT2 at pos. */
static pg_err parse_event2(const struct pg_evlog *log, size_t pos, struct pg_evlog_event *ev)
{
        const uint8_t *head = log->buf + pos;
        size_t p = pos;
        uint32_t pcr, type, count, size;
        pg_err err;

        if (EVENT2_HEAD > log->len - p)
                return PG_ERR_EVLOG_TRUNCATED_HEADER;
        pcr = pg_load_le32(head + offsetof(struct pg_tcg_pcr_event2_head, pcr_index));
        type = pg_load_le32(head + offsetof(struct pg_tcg_pcr_event2_head, event_type));
        count = pg_load_le32(head + offsetof(struct pg_tcg_pcr_event2_head, digest_count));
        if (!pcr_index_valid(pcr, type))
                return PG_ERR_EVLOG_PCR_INDEX;
        p += EVENT2_HEAD;

        memset(ev, 0, sizeof(*ev));
        err = parse_digests(log, &p, count, ev);
        if (err != PG_OK)
                return err;
        if (PG_TCG_EVENT_SIZE_FIELD > log->len - p)
                return PG_ERR_EVLOG_TRUNCATED_SIZE;
        size = pg_load_le32(log->buf + p);
        p += PG_TCG_EVENT_SIZE_FIELD;
        err = check_data_size(log, p, size);
        if (err != PG_OK)
                return err;

        ev->offset = pos;
        ev->pcr = pcr;
        ev->type = type;
        ev->data = log->buf + p;
        ev->data_size = size;
        ev->record_size = p - pos + size;
        return PG_OK;
}

/* Reads the algorithm list of a Spec ID Event03 into the iterator. */
static pg_err parse_specid_banks(struct pg_evlog *log, const uint8_t *algs, uint32_t count)
{
        for (uint32_t i = 0; i < count; i++) {
                const uint8_t *a = algs + (size_t)i * SPECID_ALG;
                uint16_t alg = pg_load_le16(a + offsetof(struct pg_tcg_specid_alg, algorithm_id));
                uint16_t size = pg_load_le16(a + offsetof(struct pg_tcg_specid_alg, digest_size));
                uint16_t known = pg_evlog_alg_digest_size(alg);

                if (size == 0 || size > PG_EVLOG_MAX_DIGEST_SIZE)
                        return PG_ERR_EVLOG_SPECID_DIGEST_SIZE;
                if (known != 0 && known != size)
                        return PG_ERR_EVLOG_SPECID_DIGEST_SIZE_MISMATCH;
                if (pg_evlog_bank_index(log, alg) >= 0)
                        return PG_ERR_EVLOG_SPECID_DUPLICATE_BANK;
                log->banks[log->bank_count].alg = alg;
                log->banks[log->bank_count].size = size;
                log->bank_count++;
        }
        return PG_OK;
}

/*
 * Finds where the Spec ID structure ends. Its size field normally covers
 * the vendor info. Some logs have a size that stops right before the
 * vendor-info bytes: when those bytes are in the log, the next event starts
 * after them, which is how tpm2_eventlog reads such logs.
 */
static pg_err specid_extent(struct pg_evlog *log, const struct pg_evlog_event *rec,
                            size_t fixed_len)
{
        uint8_t vendor_size;
        size_t full_len;

        if (fixed_len + PG_TCG_VENDOR_INFO_SIZE_FIELD > rec->data_size)
                return PG_ERR_EVLOG_SPECID_VENDOR_TRUNCATED;
        vendor_size = rec->data[fixed_len];
        full_len = fixed_len + PG_TCG_VENDOR_INFO_SIZE_FIELD + vendor_size;
        if (full_len < rec->data_size)
                return PG_ERR_EVLOG_SPECID_TRAILING;
        if (full_len > rec->data_size) {
                size_t data_pos = rec->offset + SHA1_RECORD_HEAD;

                if (rec->data_size != fixed_len + PG_TCG_VENDOR_INFO_SIZE_FIELD ||
                    full_len > log->len - data_pos)
                        return PG_ERR_EVLOG_SPECID_VENDOR_TRUNCATED;
                log->specid.size_excludes_vendor_info = true;
        }
        log->specid.vendor_info_size = vendor_size;
        log->specid.vendor_info = rec->data + fixed_len + PG_TCG_VENDOR_INFO_SIZE_FIELD;
        log->first_size = SHA1_RECORD_HEAD + full_len;
        return PG_OK;
}

/* Validates a Spec ID Event03 and sets up the crypto-agile banks. */
static pg_err parse_specid03(struct pg_evlog *log, const struct pg_evlog_event *rec)
{
        const uint8_t *d = rec->data;
        uint32_t count;
        size_t fixed_len;
        pg_err err;

        if (SPECID_HEAD > rec->data_size)
                return PG_ERR_EVLOG_SPECID_TRUNCATED;
        log->specid.platform_class =
                pg_load_le32(d + offsetof(struct pg_tcg_specid_head, platform_class));
        log->specid.version_minor = d[offsetof(struct pg_tcg_specid_head, spec_version_minor)];
        log->specid.version_major = d[offsetof(struct pg_tcg_specid_head, spec_version_major)];
        log->specid.errata = d[offsetof(struct pg_tcg_specid_head, spec_errata)];
        log->specid.uintn_size = d[offsetof(struct pg_tcg_specid_head, uintn_size)];
        if (log->specid.version_major != PG_TCG_SPECID_VERSION_MAJOR)
                return PG_ERR_EVLOG_SPECID_VERSION;
        if (log->specid.uintn_size != PG_TCG_UINTN_SIZE_32 &&
            log->specid.uintn_size != PG_TCG_UINTN_SIZE_64)
                return PG_ERR_EVLOG_SPECID_UINTN_SIZE;

        count = pg_load_le32(d + offsetof(struct pg_tcg_specid_head, number_of_algorithms));
        if (count == 0)
                return PG_ERR_EVLOG_SPECID_NO_BANKS;
        if (count > PG_EVLOG_MAX_BANKS)
                return PG_ERR_EVLOG_SPECID_TOO_MANY_BANKS;
        fixed_len = SPECID_HEAD + (size_t)count * SPECID_ALG;
        if (fixed_len > rec->data_size)
                return PG_ERR_EVLOG_SPECID_ALGS_TRUNCATED;
        err = parse_specid_banks(log, d + SPECID_HEAD, count);
        if (err != PG_OK)
                return err;
        err = specid_extent(log, rec, fixed_len);
        if (err != PG_OK)
                return err;
        log->format = PG_EVLOG_FORMAT_CRYPTO_AGILE;
        return PG_OK;
}

static void use_sha1_bank(struct pg_evlog *log)
{
        log->format = PG_EVLOG_FORMAT_SHA1;
        log->bank_count = 1;
        log->banks[0].alg = PG_TPM_ALG_SHA1;
        log->banks[0].size = PG_TCG_SHA1_SIZE;
}

/* Validates a first record of type EV_NO_ACTION, which must be a Spec ID
 * event. */
static pg_err parse_first_no_action(struct pg_evlog *log, const struct pg_evlog_event *rec)
{
        bool v03 = has_signature(rec->data, rec->data_size, PG_TCG_SPECID03_SIG);
        bool sha1 = has_signature(rec->data, rec->data_size, PG_TCG_SPECID02_SIG) ||
                    has_signature(rec->data, rec->data_size, PG_TCG_SPECID00_SIG);

        if (!v03 && !sha1)
                return PG_ERR_EVLOG_SPECID_SIGNATURE;
        if (rec->pcr != 0 && !(v03 && rec->pcr == PG_TCG_CC_SPECID_MR_INDEX))
                return PG_ERR_EVLOG_SPECID_PCR;
        log->cc_event_log = rec->pcr == PG_TCG_CC_SPECID_MR_INDEX;
        if (!mem_all(rec->digest[0], PG_TCG_SHA1_SIZE, 0))
                return PG_ERR_EVLOG_SPECID_DIGEST;
        if (v03)
                return parse_specid03(log, rec);
        use_sha1_bank(log);
        log->first_size = rec->record_size;
        return PG_OK;
}

pg_err pg_evlog_init(struct pg_evlog *log, const void *buf, size_t len)
{
        struct pg_evlog tmp;
        struct pg_evlog_event rec;
        pg_err err;

        if (len == 0)
                return PG_ERR_EVLOG_EMPTY;
        memset(&tmp, 0, sizeof(tmp));
        tmp.buf = buf;
        tmp.len = len;
        err = parse_sha1_record(&tmp, 0, &rec);
        if (err == PG_ERR_EVLOG_PCR_INDEX)
                return PG_ERR_EVLOG_JUNK;
        if (err != PG_OK)
                return err;
        if (rec.type == PG_EV_NO_ACTION) {
                err = parse_first_no_action(&tmp, &rec);
                if (err != PG_OK)
                        return err;
        } else {
                use_sha1_bank(&tmp);
                tmp.first_size = rec.record_size;
        }
        *log = tmp;
        return PG_OK;
}

/* Reads the first record, which pg_evlog_init() validated. */
static pg_err read_first(const struct pg_evlog *log, struct pg_evlog_event *ev)
{
        pg_err err = parse_sha1_record(log, 0, ev);

        if (err != PG_OK)
                return err;
        if (log->format == PG_EVLOG_FORMAT_CRYPTO_AGILE) {
                /* The SHA-1 field of the Spec ID event belongs to no bank. */
                ev->bank_mask = 0;
                ev->digest[0] = NULL;
                ev->record_size = log->first_size;
                ev->data_size = (uint32_t)(log->first_size - SHA1_RECORD_HEAD);
        }
        if (ev->type == PG_EV_NO_ACTION)
                ev->flags |= PG_EVLOG_EV_SPECID;
        return PG_OK;
}

static pg_err read_record(const struct pg_evlog *log, struct pg_evlog_event *ev)
{
        if (log->next_index == 0)
                return read_first(log, ev);
        if (log->format == PG_EVLOG_FORMAT_CRYPTO_AGILE)
                return parse_event2(log, log->pos, ev);
        return parse_sha1_record(log, log->pos, ev);
}

static pg_err check_startup_locality(const struct pg_evlog *log, struct pg_evlog_event *ev)
{
        uint8_t locality;

        if (ev->pcr != 0)
                return PG_ERR_EVLOG_STARTUP_LOCALITY_PCR;
        if (ev->data_size != STARTUP_LOCALITY_SIZE)
                return PG_ERR_EVLOG_STARTUP_LOCALITY_SIZE;
        locality = ev->data[offsetof(struct pg_tcg_startup_locality, locality)];
        if (locality != 0 && locality != 3)
                return PG_ERR_EVLOG_STARTUP_LOCALITY_VALUE;
        if (log->startup_locality_seen)
                return PG_ERR_EVLOG_STARTUP_LOCALITY_DUPLICATE;
        if (log->pcr0_extended)
                return PG_ERR_EVLOG_STARTUP_LOCALITY_LATE;
        ev->flags |= PG_EVLOG_EV_STARTUP_LOCALITY;
        ev->locality = locality;
        return PG_OK;
}

/* H-CRTM: the TPM was started by a hash sequence at locality 4, so PCR 0
 * starts at 00..04 and this event's digest is extended onto it. */
static pg_err check_hcrtm(const struct pg_evlog *log, struct pg_evlog_event *ev)
{
        size_t n = sizeof(PG_TCG_HCRTM_DATA) - 1;

        if (ev->pcr != 0)
                return PG_ERR_EVLOG_HCRTM_PCR;
        if (ev->data_size != n || memcmp(ev->data, PG_TCG_HCRTM_DATA, n) != 0)
                return PG_ERR_EVLOG_HCRTM_DATA;
        if (log->pcr0_extended || log->startup_locality_seen)
                return PG_ERR_EVLOG_HCRTM_LATE;
        ev->flags |= PG_EVLOG_EV_HCRTM;
        ev->locality = 4;
        return PG_OK;
}

/* Checks the ordering rules and flags the events that set PCR 0's start
 * value. */
static pg_err check_rules(const struct pg_evlog *log, struct pg_evlog_event *ev)
{
        if (log->cc_event_log && ev->pcr > PG_EVLOG_CC_MR_MAX)
                return PG_ERR_EVLOG_CC_MR_INDEX;
        if (ev->type == PG_EV_EFI_HCRTM_EVENT)
                return check_hcrtm(log, ev);
        if (ev->type != PG_EV_NO_ACTION)
                return PG_OK;
        ev->flags |= PG_EVLOG_EV_NO_EXTEND;
        if (ev->index == 0)
                return PG_OK;
        if (has_prefix(ev->data, ev->data_size, PG_TCG_SPECID_PREFIX,
                       sizeof(PG_TCG_SPECID_PREFIX) - 1))
                return PG_ERR_EVLOG_SPECID_NOT_FIRST;
        if (has_signature(ev->data, ev->data_size, PG_TCG_STARTUP_LOCALITY_SIG))
                return check_startup_locality(log, ev);
        return PG_OK;
}

/* Sets *padding when everything after the current event boundary is 0xFF
 * padding. The first record is never padding. */
static pg_err check_padding(const struct pg_evlog *log, bool *padding)
{
        size_t left = log->len - log->pos;
        const uint8_t *p = log->buf + log->pos;

        *padding = false;
        if (log->next_index == 0 || p[0] != PADDING_BYTE)
                return PG_OK;
        if (mem_all(p, left, PADDING_BYTE)) {
                *padding = true;
                return PG_OK;
        }
        /* A PCR index and type of 0xFFFFFFFF start padding, so later bytes
         * other than 0xFF are junk in it. */
        if (left >= 8 && mem_all(p, 8, PADDING_BYTE))
                return PG_ERR_EVLOG_PADDING_JUNK;
        return PG_OK;
}

static void fail(struct pg_evlog *log, pg_err err)
{
        log->err = err;
        log->err_offset = log->pos;
        log->err_index = log->next_index;
}

static void finish(struct pg_evlog *log, size_t padding)
{
        log->ended = true;
        log->padding = padding;
        log->pos = log->len;
}

pg_err pg_evlog_next(struct pg_evlog *log, struct pg_evlog_event *ev, bool *end)
{
        struct pg_evlog_event e;
        bool padding;
        pg_err err;

        if (log->buf == NULL || log->format == 0)
                return PG_ERR_EVLOG_NOT_INITIALIZED;
        if (log->err != PG_OK)
                return log->err;
        if (log->ended || log->pos == log->len) {
                finish(log, log->padding);
                *end = true;
                return PG_OK;
        }
        err = check_padding(log, &padding);
        if (err == PG_OK && padding) {
                finish(log, log->len - log->pos);
                *end = true;
                return PG_OK;
        }
        if (err == PG_OK)
                err = read_record(log, &e);
        if (err == PG_OK) {
                e.index = log->next_index;
                err = check_rules(log, &e);
        }
        if (err != PG_OK) {
                fail(log, err);
                return err;
        }
        if (!(e.flags & PG_EVLOG_EV_NO_EXTEND) && e.pcr == 0)
                log->pcr0_extended = true;
        if (e.flags & PG_EVLOG_EV_STARTUP_LOCALITY)
                log->startup_locality_seen = true;
        log->pos += e.record_size;
        log->next_index++;
        *ev = e;
        *end = false;
        return PG_OK;
}

pg_err pg_evlog_parse_variable(const uint8_t *data, size_t size, struct pg_evlog_variable *out)
{
        uint64_t name_chars, value_size, left;

        if (VARIABLE_HEAD > size)
                return PG_ERR_EVLOG_VAR_TRUNCATED;
        name_chars = pg_load_le64(data + offsetof(struct pg_tcg_uefi_variable_head,
                                                  unicode_name_length));
        value_size = pg_load_le64(data + offsetof(struct pg_tcg_uefi_variable_head,
                                                  variable_data_length));
        left = size - VARIABLE_HEAD;
        if (name_chars > left / 2)
                return PG_ERR_EVLOG_VAR_NAME_TRUNCATED;
        left -= name_chars * 2;
        if (value_size > left)
                return PG_ERR_EVLOG_VAR_DATA_TRUNCATED;

        out->guid = data;
        out->name = data + VARIABLE_HEAD;
        out->name_chars = name_chars;
        out->value = out->name + name_chars * 2;
        out->value_size = value_size;
        out->trailing = (size_t)(left - value_size);
        return PG_OK;
}

struct pg_type_name {
        uint32_t type;
        const char *name;
};

static const struct pg_type_name pg_type_names[] = {
        { PG_EV_PREBOOT_CERT, "EV_PREBOOT_CERT" },
        { PG_EV_POST_CODE, "EV_POST_CODE" },
        { PG_EV_UNUSED, "EV_UNUSED" },
        { PG_EV_NO_ACTION, "EV_NO_ACTION" },
        { PG_EV_SEPARATOR, "EV_SEPARATOR" },
        { PG_EV_ACTION, "EV_ACTION" },
        { PG_EV_EVENT_TAG, "EV_EVENT_TAG" },
        { PG_EV_S_CRTM_CONTENTS, "EV_S_CRTM_CONTENTS" },
        { PG_EV_S_CRTM_VERSION, "EV_S_CRTM_VERSION" },
        { PG_EV_CPU_MICROCODE, "EV_CPU_MICROCODE" },
        { PG_EV_PLATFORM_CONFIG_FLAGS, "EV_PLATFORM_CONFIG_FLAGS" },
        { PG_EV_TABLE_OF_DEVICES, "EV_TABLE_OF_DEVICES" },
        { PG_EV_COMPACT_HASH, "EV_COMPACT_HASH" },
        { PG_EV_IPL, "EV_IPL" },
        { PG_EV_IPL_PARTITION_DATA, "EV_IPL_PARTITION_DATA" },
        { PG_EV_NONHOST_CODE, "EV_NONHOST_CODE" },
        { PG_EV_NONHOST_CONFIG, "EV_NONHOST_CONFIG" },
        { PG_EV_NONHOST_INFO, "EV_NONHOST_INFO" },
        { PG_EV_OMIT_BOOT_DEVICE_EVENTS, "EV_OMIT_BOOT_DEVICE_EVENTS" },
        { PG_EV_POST_CODE2, "EV_POST_CODE2" },
        { PG_EV_EFI_EVENT_BASE, "EV_EFI_EVENT_BASE" },
        { PG_EV_EFI_VARIABLE_DRIVER_CONFIG, "EV_EFI_VARIABLE_DRIVER_CONFIG" },
        { PG_EV_EFI_VARIABLE_BOOT, "EV_EFI_VARIABLE_BOOT" },
        { PG_EV_EFI_BOOT_SERVICES_APPLICATION, "EV_EFI_BOOT_SERVICES_APPLICATION" },
        { PG_EV_EFI_BOOT_SERVICES_DRIVER, "EV_EFI_BOOT_SERVICES_DRIVER" },
        { PG_EV_EFI_RUNTIME_SERVICES_DRIVER, "EV_EFI_RUNTIME_SERVICES_DRIVER" },
        { PG_EV_EFI_GPT_EVENT, "EV_EFI_GPT_EVENT" },
        { PG_EV_EFI_ACTION, "EV_EFI_ACTION" },
        { PG_EV_EFI_PLATFORM_FIRMWARE_BLOB, "EV_EFI_PLATFORM_FIRMWARE_BLOB" },
        { PG_EV_EFI_HANDOFF_TABLES, "EV_EFI_HANDOFF_TABLES" },
        { PG_EV_EFI_PLATFORM_FIRMWARE_BLOB2, "EV_EFI_PLATFORM_FIRMWARE_BLOB2" },
        { PG_EV_EFI_HANDOFF_TABLES2, "EV_EFI_HANDOFF_TABLES2" },
        { PG_EV_EFI_VARIABLE_BOOT2, "EV_EFI_VARIABLE_BOOT2" },
        { PG_EV_EFI_GPT_EVENT2, "EV_EFI_GPT_EVENT2" },
        { PG_EV_EFI_HCRTM_EVENT, "EV_EFI_HCRTM_EVENT" },
        { PG_EV_EFI_VARIABLE_AUTHORITY, "EV_EFI_VARIABLE_AUTHORITY" },
        { PG_EV_EFI_SPDM_FIRMWARE_BLOB, "EV_EFI_SPDM_FIRMWARE_BLOB" },
        { PG_EV_EFI_SPDM_FIRMWARE_CONFIG, "EV_EFI_SPDM_FIRMWARE_CONFIG" },
        { PG_EV_EFI_SPDM_DEVICE_POLICY, "EV_EFI_SPDM_DEVICE_POLICY" },
        { PG_EV_EFI_SPDM_DEVICE_AUTHORITY, "EV_EFI_SPDM_DEVICE_AUTHORITY" },
};

const char *pg_evlog_type_name(uint32_t type)
{
        for (size_t i = 0; i < PG_ARRAY_SIZE(pg_type_names); i++)
                if (pg_type_names[i].type == type)
                        return pg_type_names[i].name;
        return NULL;
}
