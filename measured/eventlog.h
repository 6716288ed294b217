/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCG PC Client firmware event log parser: an iterator over a log held in a
 * caller buffer, for both log formats.
 *
 *   SHA-1 (TPM 1.2 style): TCG_PCClientPCREvent records, one SHA-1 digest
 *   each. The first record may be a "Spec ID Event00"/"Spec ID Event02"
 *   EV_NO_ACTION; often there is no Spec ID event at all.
 *
 *   crypto-agile (TPM 2.0): a SHA-1-format "Spec ID Event03" EV_NO_ACTION
 *   that lists the PCR banks (algorithm id and digest size), then
 *   TCG_PCR_EVENT2 records with one (algorithm, digest) pair per bank.
 *   Digest sizes come only from the Spec ID event.
 *
 *   confidential-computing event logs (the ACPI CCEL table of Intel TDX
 *   guests) use the crypto-agile format, but their index field numbers
 *   measurement registers: 0 is MRTD and 1-4 are RTMR[0]-RTMR[3], and
 *   firmware logs the Spec ID event in register 1. A Spec ID event with
 *   index 1 marks such a log; replay then yields RTMR values at 1-4.
 *
 * pg_evlog_init() validates the first record (and the whole Spec ID event);
 * each pg_evlog_next() validates one event completely before returning it.
 * Events point into the caller's buffer, which must stay unchanged while
 * the iterator and its events are in use. After an error the iterator
 * returns the same error on every later call.
 */
#ifndef PG_MEASURED_EVENTLOG_H
#define PG_MEASURED_EVENTLOG_H

#include "measured/tcg.h"
#include "pg/err.h"

/* Caps: a log that exceeds one is rejected, never truncated. */
#define PG_EVLOG_MAX_BANKS       8             /* algorithms in the Spec ID event */
#define PG_EVLOG_MAX_DIGEST_SIZE 64            /* bytes; SHA-512 */
#define PG_EVLOG_MAX_EVENT_DATA  (1u << 20)    /* bytes of data in one event */
#define PG_EVLOG_PCR_COUNT       PG_TCG_PCR_COUNT
#define PG_EVLOG_CC_MR_MAX       4             /* RTMR[3] in a confidential-computing log */

enum pg_evlog_format {
        PG_EVLOG_FORMAT_SHA1 = 1,               /* TCG_PCClientPCREvent records */
        PG_EVLOG_FORMAT_CRYPTO_AGILE = 2,       /* Spec ID Event03 + TCG_PCR_EVENT2 */
};

struct pg_evlog_bank {
        uint16_t alg;           /* TPM_ALG_ID */
        uint16_t size;          /* digest size declared by the Spec ID event */
};

/* Fields of the Spec ID Event03 (crypto-agile logs only). */
struct pg_evlog_specid {
        uint32_t platform_class;
        uint8_t version_major;
        uint8_t version_minor;
        uint8_t errata;
        uint8_t uintn_size;
        const uint8_t *vendor_info;
        uint8_t vendor_info_size;
        /* The event size field leaves out the vendor-info bytes; the next
         * event starts after them, as tpm2_eventlog reads such logs. */
        bool size_excludes_vendor_info;
};

/* Event flags. */
#define PG_EVLOG_EV_SPECID              0x01u  /* the log's Spec ID event */
#define PG_EVLOG_EV_NO_EXTEND           0x02u  /* EV_NO_ACTION: extends no PCR */
#define PG_EVLOG_EV_STARTUP_LOCALITY    0x04u  /* sets PCR 0's start value (locality) */
#define PG_EVLOG_EV_HCRTM               0x08u  /* H-CRTM: PCR 0 starts at 4, then extends */

struct pg_evlog_event {
        uint32_t index;         /* 0 for the first record */
        size_t offset;          /* byte offset of the record in the log */
        size_t record_size;     /* bytes the record occupies in the log */
        uint32_t pcr;
        uint32_t type;
        uint32_t flags;         /* PG_EVLOG_EV_* */
        uint8_t locality;       /* with STARTUP_LOCALITY or HCRTM: PCR 0 start value */
        uint32_t bank_mask;     /* bit b: digest[b] is present (b indexes the log's banks) */
        const uint8_t *digest[PG_EVLOG_MAX_BANKS];
        const uint8_t *data;
        uint32_t data_size;     /* bytes of event data, vendor info included */
};

struct pg_evlog {
        const uint8_t *buf;
        size_t len;
        size_t pos;             /* offset of the next record */
        size_t first_size;      /* bytes of the first record, vendor info included */
        uint32_t next_index;
        enum pg_evlog_format format;
        uint8_t bank_count;
        struct pg_evlog_bank banks[PG_EVLOG_MAX_BANKS];
        struct pg_evlog_specid specid;
        bool cc_event_log;      /* indices are measurement registers (0-4) */
        size_t padding;         /* 0xFF bytes after the last event, once reached */
        bool ended;
        bool pcr0_extended;
        bool startup_locality_seen;
        pg_err err;             /* sticky error */
        size_t err_offset;      /* offset of the record that failed */
        uint32_t err_index;     /* index of the record that failed */
};

/*
 * Validates the first record and, for crypto-agile logs, the whole Spec ID
 * event, and prepares the iterator. The buffer is borrowed.
 */
pg_err pg_evlog_init(struct pg_evlog *log, const void *buf, size_t len);

/*
 * Returns the next event. On PG_OK, *end tells whether the log is over; when
 * it is not, *ev holds the event. A tail made only of 0xFF bytes after an
 * event ends the log (log->padding counts those bytes). On error nothing is
 * written, and log->err_offset and log->err_index locate the failing record.
 */
pg_err pg_evlog_next(struct pg_evlog *log, struct pg_evlog_event *ev, bool *end);

/* Returns the bank index of an algorithm in the log, or -1. */
int pg_evlog_bank_index(const struct pg_evlog *log, uint16_t alg);

/* Decoded UEFI_VARIABLE_DATA. Pointers go into the event data. */
struct pg_evlog_variable {
        const uint8_t *guid;            /* 16 bytes, EFI_GUID byte order */
        const uint8_t *name;            /* UTF-16LE, name_chars code units */
        uint64_t name_chars;
        const uint8_t *value;
        uint64_t value_size;
        size_t trailing;                /* bytes after the value, carried but unused */
};

/*
 * Decodes the UEFI_VARIABLE_DATA of an EV_EFI_VARIABLE_* event. Bytes after
 * the value are allowed and counted in ->trailing: shim logs its "Shim"
 * authority with a size 6 bytes too long, and some firmware adds bytes after
 * BootOrder.
 */
pg_err pg_evlog_parse_variable(const uint8_t *data, size_t size, struct pg_evlog_variable *out);

/* Returns the name of an event type ("EV_SEPARATOR"), or NULL when unknown. */
const char *pg_evlog_type_name(uint32_t type);

/* Returns the short name of a hash algorithm ("sha256", "sm3_256"), or NULL. */
const char *pg_evlog_alg_name(uint16_t alg);

/* Returns the digest size of a known hash algorithm, or 0. */
uint16_t pg_evlog_alg_digest_size(uint16_t alg);

#endif
