/* SPDX-License-Identifier: BSD-2-Clause */
/* Writes the manifest envelope around a payload and its signatures. */
#include "gates/manifest.h"

pg_err pg_manifest_envelope_write(const uint8_t *payload, size_t payload_len,
                                  const struct pg_manifest_signature *sigs, size_t count,
                                  uint8_t *out, size_t cap, size_t *out_len)
{
        uint64_t total, payload_off, off;
        uint8_t *rec;

        if (count < 1 || count > PG_MANIFEST_MAX_SIGNATURES)
                return PG_ERR_MANIFEST_BAD_SIGNATURE_COUNT;
        if (payload_len == 0)
                return PG_ERR_MANIFEST_BAD_PAYLOAD_LENGTH;
        payload_off = PG_MANIFEST_HEADER_SIZE + (uint64_t)count * PG_MANIFEST_RECORD_SIZE;
        total = payload_off + payload_len;
        for (size_t i = 0; i < count; i++) {
                if (!pg_manifest_alg_name(sigs[i].algorithm))
                        return PG_ERR_MANIFEST_BAD_SIGNATURE_ALGORITHM;
                if (sigs[i].sig_len < PG_MANIFEST_MIN_SIG_BYTES ||
                    sigs[i].sig_len > PG_MANIFEST_MAX_SIG_BYTES)
                        return PG_ERR_MANIFEST_BAD_SIGNATURE_LENGTH;
                total += sigs[i].sig_len;
        }
        if (total > PG_MANIFEST_MAX_SIZE || total > cap)
                return PG_ERR_MANIFEST_TOO_LARGE;

        memset(out, 0, payload_off);
        memcpy(out + PG_MANIFEST_OFF_MAGIC, PG_MANIFEST_MAGIC, 4);
        pg_store_le16(out + PG_MANIFEST_OFF_VERSION, PG_MANIFEST_ENVELOPE_VERSION);
        pg_store_le16(out + PG_MANIFEST_OFF_HEADER_LEN, PG_MANIFEST_HEADER_SIZE);
        pg_store_le32(out + PG_MANIFEST_OFF_TOTAL_LEN, (uint32_t)total);
        pg_store_le32(out + PG_MANIFEST_OFF_PAYLOAD_OFF, (uint32_t)payload_off);
        pg_store_le32(out + PG_MANIFEST_OFF_PAYLOAD_LEN, (uint32_t)payload_len);
        pg_store_le16(out + PG_MANIFEST_OFF_SIG_COUNT, (uint16_t)count);
        memcpy(out + payload_off, payload, payload_len);

        off = payload_off + payload_len;
        for (size_t i = 0; i < count; i++) {
                rec = out + PG_MANIFEST_HEADER_SIZE + i * PG_MANIFEST_RECORD_SIZE;
                pg_store_le16(rec + PG_MANIFEST_REC_ALGORITHM, (uint16_t)sigs[i].algorithm);
                pg_store_le32(rec + PG_MANIFEST_REC_SIG_OFF, (uint32_t)off);
                pg_store_le32(rec + PG_MANIFEST_REC_SIG_LEN, sigs[i].sig_len);
                memcpy(rec + PG_MANIFEST_REC_KEY_ID, sigs[i].key_id, PG_KEY_ID_SIZE);
                memcpy(out + off, sigs[i].sig, sigs[i].sig_len);
                off += sigs[i].sig_len;
        }
        *out_len = (size_t)total;
        return PG_OK;
}
