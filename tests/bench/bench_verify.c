/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate verify's rate, in process on one core, against tpm2_checkquote
 * plus tpm2_eventlog run as processes on the same input. The input is made
 * here: a firmware log of about 30 KB (filler events in PCR 8 and
 * prodgate's two tagged events in PCR 13), two runtime records in a CEL
 * log, and a quote over PCRs 8 and 13 signed by an RSA-2048 key with
 * RSASSA SHA-256, as a TPM signs it. The tools check the quote and parse
 * the firmware log but do not read the CEL log or prodgate's events, so
 * they do less work than the verifier.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "bench_time.h"
#include "crypto/sha256.h"
#include "pg/err.h"
#include "pg/platform.h"
#include "tools/cel.h"
#include "tools/verify.h"

#define BV_LOG_TARGET 30000
#define BV_FILLER_DATA 120
#define BV_SECONDS 1.0
#define BV_TOOL_RUNS 20
#define BV_HANDOFF_SEED "tests/fuzz/seeds/handoff/example.dtb"

struct bv_buf {
        uint8_t *p;
        size_t len, cap;
};

struct bv_input {
        struct bv_buf log, cel, msg, sig, pcrs;
        char *ak_pem;
        size_t ak_pem_len;
        uint8_t nonce[16];
        uint8_t pcr8[32], pcr13[32];
        uint8_t *spki;
        struct pg_keyring_key key;
        struct pg_keyring ring;
};

static void bv_fail(const char *what)
{
        fprintf(stderr, "bench: %s failed\n", what);
        ERR_print_errors_fp(stderr);
        exit(1);
}

static void bv_put(struct bv_buf *b, const void *data, size_t len)
{
        if (b->len + len > b->cap) {
                b->cap = (b->len + len) * 2;
                b->p = realloc(b->p, b->cap);
                if (!b->p)
                        bv_fail("realloc");
        }
        memcpy(b->p + b->len, data, len);
        b->len += len;
}

static void bv_le32(struct bv_buf *b, uint32_t v)
{
        uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

        bv_put(b, x, 4);
}

static void bv_be(struct bv_buf *b, uint64_t v, unsigned bytes)
{
        for (unsigned i = bytes; i-- > 0;) {
                uint8_t x = (uint8_t)(v >> (8 * i));

                bv_put(b, &x, 1);
        }
}

static void bv_extend(uint8_t pcr[32], const uint8_t digest[32])
{
        struct pg_sha256_ctx c;

        pg_sha256_init(&c);
        pg_sha256_update(&c, pcr, 32);
        pg_sha256_update(&c, digest, 32);
        pg_sha256_final(&c, pcr);
}

/* Appends a TCG_PCR_EVENT2 with one SHA-256 digest of its data. */
static void bv_event(struct bv_input *in, uint32_t pcr, uint32_t type, const void *data,
                     size_t len)
{
        uint8_t d[32];

        pg_sha256(data, len, d);
        bv_le32(&in->log, pcr);
        bv_le32(&in->log, type);
        bv_le32(&in->log, 1);
        bv_put(&in->log, "\x0b\x00", 2);
        bv_put(&in->log, d, 32);
        bv_le32(&in->log, (uint32_t)len);
        bv_put(&in->log, data, len);
        bv_extend(pcr == 8 ? in->pcr8 : in->pcr13, d);
}

static void bv_tagged(struct bv_input *in, uint32_t tag, const uint8_t *data, size_t len)
{
        struct bv_buf t = { 0 };

        bv_le32(&t, tag);
        bv_le32(&t, (uint32_t)len);
        bv_put(&t, data, len);
        bv_event(in, 13, 6, t.p, t.len);
        free(t.p);
}

static void bv_firmware_log(struct bv_input *in, const uint8_t manifest[32])
{
        static const uint8_t specid[] = "Spec ID Event03";
        uint8_t filler[BV_FILLER_DATA], ident[72], *blob;
        struct bv_buf s = { 0 };
        FILE *f = fopen(BV_HANDOFF_SEED, "rb");
        long blob_len;

        bv_put(&s, specid, sizeof(specid));
        bv_put(&s, "\0\0\0\0\0\x02\0\x02\x01\0\0\0\x0b\x00\x20\x00\0", 17);
        bv_le32(&in->log, 0);
        bv_le32(&in->log, 3);
        bv_put(&in->log, (uint8_t[20]){ 0 }, 20);
        bv_le32(&in->log, (uint32_t)s.len);
        bv_put(&in->log, s.p, s.len);
        free(s.p);
        for (uint32_t i = 0; in->log.len < BV_LOG_TARGET - 3000; i++) {
                memset(filler, (int)i, sizeof(filler));
                bv_event(in, 8, 13, filler, sizeof(filler));   /* EV_IPL */
        }
        memcpy(ident, manifest, 32);
        memcpy(ident + 32, in->key.key_id, 32);
        pg_store_le32(ident + 64, 42);                          /* SVN */
        pg_store_le32(ident + 68, PG_OK);                       /* status */
        bv_tagged(in, 0x50470001, ident, sizeof(ident));
        if (!f || fseek(f, 0, SEEK_END) || (blob_len = ftell(f)) <= 0x10c || fseek(f, 0, SEEK_SET))
                bv_fail("reading " BV_HANDOFF_SEED);
        blob = malloc((size_t)blob_len);
        if (!blob || fread(blob, 1, (size_t)blob_len, f) != (size_t)blob_len)
                bv_fail("reading " BV_HANDOFF_SEED);
        fclose(f);
        memcpy(blob + 0xec, manifest, 32);                      /* /manifest/digest */
        bv_tagged(in, 0x50470002, blob, (size_t)blob_len);
        free(blob);
}

/* Two runtime records, every runtime objective unknown (not covered). */
static void bv_userspace_log(struct bv_input *in, const uint8_t manifest[32])
{
        char content[4096], hex[65], dhex[65], line[5120];
        uint8_t d[32];
        int n;

        for (size_t i = 0; i < 32; i++)
                snprintf(hex + 2 * i, 3, "%02x", manifest[i]);
        n = snprintf(content, sizeof(content), "{\"version\":1,\"manifest\":\"%s\",\"cross_check\":"
                     "\"verified\",\"cross_check_reason\":0,\"production_ready\":false,"
                     "\"trust_tier\":\"none\",\"gates\":[", hex);
        for (unsigned g = 3; g <= 10; g++)
                n += snprintf(content + n, sizeof(content) - (size_t)n,
                              "%s{\"id\":%u,\"outcome\":\"unknown\",\"reason\":4866,\"objectives\":"
                              "[{\"outcome\":\"unknown\",\"reason\":4866},{\"outcome\":\"unknown\","
                              "\"reason\":4866},{\"outcome\":\"unknown\",\"reason\":4866}]}",
                              g > 3 ? "," : "", g);
        n += snprintf(content + n, sizeof(content) - (size_t)n, "]}");
        pg_cel_content_digest((const uint8_t *)content, (size_t)n, d);
        for (size_t i = 0; i < 32; i++)
                snprintf(dhex + 2 * i, 3, "%02x", d[i]);
        for (unsigned r = 0; r < 2; r++) {
                int len = snprintf(line, sizeof(line), "\x1e{\"recnum\":%u,\"pcr\":13,\"digests\":"
                                   "[{\"hashAlg\":\"sha256\",\"digest\":\"%s\"}],\"content_type\":"
                                   "\"prodgate\",\"content\":%s}\n", r, dhex, content);

                bv_put(&in->cel, line, (size_t)len);
                bv_extend(in->pcr13, d);
        }
}

/* The quote over PCRs 8 and 13, its RSASSA signature, and tpm2_quote's
 * PCR file (tpm2-tools' in-memory TPML_PCR_SELECTION and TPML_DIGEST). */
static void bv_quote(struct bv_input *in, EVP_PKEY *ak)
{
        uint8_t digest[32], sig[512];
        size_t sig_len = sizeof(sig);
        struct pg_sha256_ctx c;
        EVP_MD_CTX *md = EVP_MD_CTX_new();

        pg_sha256_init(&c);
        pg_sha256_update(&c, in->pcr8, 32);
        pg_sha256_update(&c, in->pcr13, 32);
        pg_sha256_final(&c, digest);
        bv_be(&in->msg, 0xff544347, 4);
        bv_be(&in->msg, 0x8018, 2);
        bv_be(&in->msg, 34, 2);
        bv_be(&in->msg, 0x000b, 2);
        bv_put(&in->msg, digest, 32);                           /* any qualified name */
        bv_be(&in->msg, sizeof(in->nonce), 2);
        bv_put(&in->msg, in->nonce, sizeof(in->nonce));
        bv_put(&in->msg, "\0\0\0\0\0\0\x10\0\0\0\0\x01\0\0\0\0\x01", 17);
        bv_be(&in->msg, 0x2019102300163636ull, 8);
        bv_put(&in->msg, "\0\0\0\x01\x00\x0b\x03\x00\x21\x00", 10);   /* sha256: 8, 13 */
        bv_be(&in->msg, 32, 2);
        bv_put(&in->msg, digest, 32);
        if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, ak) != 1 ||
            EVP_DigestSign(md, sig, &sig_len, in->msg.p, in->msg.len) != 1)
                bv_fail("signing the quote");
        EVP_MD_CTX_free(md);
        bv_put(&in->sig, "\x00\x14\x00\x0b", 4);
        bv_be(&in->sig, sig_len, 2);
        bv_put(&in->sig, sig, sig_len);

        bv_put(&in->pcrs, "\x01\0\0\0\x0b\x00\x03\x00\x21\x00\x00\x00", 12);
        bv_put(&in->pcrs, (uint8_t[120]){ 0 }, 120);
        bv_put(&in->pcrs, "\x01\0\0\0\x02\0\0\0", 8);
        for (unsigned i = 0; i < 8; i++) {
                uint8_t slot[66] = { 0 };

                if (i < 2) {
                        slot[0] = 32;
                        memcpy(slot + 2, i ? in->pcr13 : in->pcr8, 32);
                }
                bv_put(&in->pcrs, slot, sizeof(slot));
        }
}

static void bv_setup(struct bv_input *in)
{
        EVP_PKEY *ak = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
        EVP_PKEY *signer = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
        uint8_t manifest[32];
        BIO *bio = BIO_new(BIO_s_mem());
        char *pem;
        int n;

        memset(in, 0, sizeof(*in));
        if (!ak || !signer || !bio || PEM_write_bio_PUBKEY(bio, ak) != 1)
                bv_fail("key generation");
        n = (int)BIO_get_mem_data(bio, &pem);
        in->ak_pem = malloc((size_t)n);
        if (!in->ak_pem)
                bv_fail("malloc");
        memcpy(in->ak_pem, pem, (size_t)n);
        in->ak_pem_len = (size_t)n;
        BIO_free(bio);
        n = i2d_PUBKEY(signer, &in->spki);
        if (n <= 0)
                bv_fail("encoding the manifest key");
        in->key.role = PG_KEY_ROLE_RELEASE;
        in->key.spki = in->spki;
        in->key.spki_len = (uint32_t)n;
        pg_sha256(in->spki, (size_t)n, in->key.key_id);
        in->ring.count = 1;
        in->ring.keys = &in->key;
        for (unsigned i = 0; i < sizeof(in->nonce); i++)
                in->nonce[i] = (uint8_t)(0xa0 + i);
        pg_sha256("bench manifest", 14, manifest);
        bv_firmware_log(in, manifest);
        bv_userspace_log(in, manifest);
        bv_quote(in, ak);
        EVP_PKEY_free(ak);
        EVP_PKEY_free(signer);
}

static int bv_verify(const struct bv_input *in, struct pg_verify_result *res)
{
        struct pg_verify_input v = {
                .quote_msg = in->msg.p, .quote_msg_len = in->msg.len,
                .quote_sig = in->sig.p, .quote_sig_len = in->sig.len,
                .ak = (const uint8_t *)in->ak_pem, .ak_len = in->ak_pem_len,
                .nonce = in->nonce, .nonce_len = sizeof(in->nonce),
                .eventlog = in->log.p, .eventlog_len = in->log.len,
                .cel = in->cel.p, .cel_len = in->cel.len,
                .trusted = &in->ring, .gates_pcr = PG_VERIFY_DEFAULT_PCR,
        };

        return pg_verify_run(&v, res);
}

static void bv_write(const char *dir, const char *name, const void *data, size_t len)
{
        char path[512];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "wb");
        if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
                bv_fail("writing the tools' input");
}

/* Runs one command with its output discarded; returns its exit status. */
static int bv_run(char *const argv[])
{
        pid_t pid;
        int status;

        /* The child would otherwise flush the parent's buffered lines a second time. */
        fflush(stdout);
        pid = fork();

        if (pid == 0) {
                if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
                        _exit(127);
                execvp(argv[0], argv);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

/* tpm2_checkquote plus tpm2_eventlog per second, or 0 when they fail. */
static double bv_tools_rate(const struct bv_input *in)
{
        char dir[] = "/tmp/pg-bench-XXXXXX", ak[600], msg[600], sig[600], pcrs[600], log[600];
        char nonce[2 * sizeof(in->nonce) + 1];
        double start, rate = 0;

        if (!mkdtemp(dir))
                return 0;
        bv_write(dir, "ak.pem", in->ak_pem, in->ak_pem_len);
        bv_write(dir, "quote.msg", in->msg.p, in->msg.len);
        bv_write(dir, "quote.sig", in->sig.p, in->sig.len);
        bv_write(dir, "quote.pcrs", in->pcrs.p, in->pcrs.len);
        bv_write(dir, "fw.bin", in->log.p, in->log.len);
        snprintf(ak, sizeof(ak), "%s/ak.pem", dir);
        snprintf(msg, sizeof(msg), "%s/quote.msg", dir);
        snprintf(sig, sizeof(sig), "%s/quote.sig", dir);
        snprintf(pcrs, sizeof(pcrs), "%s/quote.pcrs", dir);
        snprintf(log, sizeof(log), "%s/fw.bin", dir);
        for (size_t i = 0; i < sizeof(in->nonce); i++)
                snprintf(nonce + 2 * i, 3, "%02x", in->nonce[i]);
        {
                char *cq[] = { "tpm2_checkquote", "-u", ak, "-m", msg, "-s", sig, "-f", pcrs,
                               "-g", "sha256", "-q", nonce, NULL };
                char *el[] = { "tpm2_eventlog", log, NULL };

                start = bench_now();
                for (int i = 0; i < BV_TOOL_RUNS; i++) {
                        if (bv_run(cq) != 0 || bv_run(el) != 0)
                                goto out;
                }
                rate = BV_TOOL_RUNS / (bench_now() - start);
        }
out:
        unlink(ak), unlink(msg), unlink(sig), unlink(pcrs), unlink(log);
        rmdir(dir);
        return rate;
}

void bench_verify(void)
{
        struct bv_input in;
        struct pg_verify_result *res = malloc(sizeof(*res));
        double start, elapsed, rate, tools;
        long count = 0;

        if (!res)
                bv_fail("malloc");
        bv_setup(&in);
        if (bv_verify(&in, res) > PG_VERIFY_NOT_READY)
                bv_fail(pg_err_name(res->reason));
        start = bench_now();
        do {
                if (bv_verify(&in, res) > PG_VERIFY_NOT_READY)
                        bv_fail("verification");
                count++;
                elapsed = bench_now() - start;
        } while (elapsed < BV_SECONDS);
        rate = count / elapsed;
        tools = bv_tools_rate(&in);
        printf("verify (%zu-byte firmware log, 2 runtime records): prodgate %.0f/s", in.log.len,
               rate);
        if (tools > 0)
                printf(", tpm2_checkquote + tpm2_eventlog %.1f/s, ratio %.0f\n", tools,
                       rate / tools);
        else
                printf(", tpm2_checkquote + tpm2_eventlog failed or missing\n");
        free(res);
        free(in.log.p), free(in.cel.p), free(in.msg.p), free(in.sig.p), free(in.pcrs.p);
        free(in.ak_pem);
        OPENSSL_free(in.spki);
}
