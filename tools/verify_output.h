/* SPDX-License-Identifier: BSD-2-Clause */
/* The outputs of prodgate verify: text, JSON and an EAR-style result. */
#ifndef PG_TOOLS_VERIFY_OUTPUT_H
#define PG_TOOLS_VERIFY_OUTPUT_H

#include "tools/verify.h"

enum pg_verify_out_format {
        PG_VERIFY_OUT_TEXT = 0,
        PG_VERIFY_OUT_JSON = 1,
        PG_VERIFY_OUT_EAR = 2,
};

/* An EAR trustworthiness claim rebuilt from prodgate's gates. */
struct pg_ear_claim {
        const char *name;               /* "executables" */
        uint16_t gates;                 /* bit g: gate g feeds it */
};

extern const struct pg_ear_claim pg_ear_claims[];
extern const size_t pg_ear_claim_count;

/* The AR4SI value of a claim: 2, 32, 96, 0 (no claim) or 99 (the evidence
 * did not verify). */
int pg_ear_claim_value(const struct pg_verify_result *r, const struct pg_ear_claim *c);

/* Prints the result to stdout; iat is the issue time of an EAR. */
void pg_verify_print(const struct pg_verify_result *r, int format, int64_t iat);

#endif
