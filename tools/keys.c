/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/rsa.h"
#include "crypto/sha256.h"
#include "tools/keys.h"

static void pg_openssl_error(const char *what, const char *path)
{
        unsigned long e = ERR_get_error();
        char buf[256] = "no details";

        if (e)
                ERR_error_string_n(e, buf, sizeof(buf));
        fprintf(stderr, "prodgate: %s%s%s: %s\n", what, path ? " " : "", path ? path : "", buf);
        ERR_clear_error();
}

static int pg_key_check_rsa(EVP_PKEY *key, const char *path)
{
        int bits = EVP_PKEY_get_bits(key);

        if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA_PSS) {
                fprintf(stderr, "prodgate: %s: an id-RSASSA-PSS key; manifests take plain RSA "
                        "(rsaEncryption) keys, which sign PSS too with --pss\n", path);
                return -1;
        }
        if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
                fprintf(stderr, "prodgate: %s: not an RSA key\n", path);
                return -1;
        }
        if (bits < PG_RSA_MIN_BITS || bits > PG_RSA_MAX_BITS) {
                fprintf(stderr, "prodgate: %s: RSA key of %d bits; 2048 to 4096 are supported\n",
                        path, bits);
                return -1;
        }
        return 0;
}

/* State of the passphrase callback. OpenSSL may call it once per decoder it
 * tries, so the terminal is prompted once and its answer reused. */
struct pg_pass_ctx {
        bool may_prompt;        /* signing keys: prompt on the terminal */
        bool requested;         /* the file is encrypted */
        bool prompted;
        int len;                /* passphrase length, or -1 when the prompt failed */
        char pass[PEM_BUFSIZE];
};

static int pg_pass_cb(char *buf, int size, int rwflag, void *u)
{
        struct pg_pass_ctx *c = u;

        c->requested = true;
        if (!c->may_prompt)
                return -1;
        if (!c->prompted) {
                c->prompted = true;
                c->len = PEM_def_callback(c->pass, sizeof(c->pass), rwflag, NULL);
        }
        if (c->len <= 0 || c->len > size)
                return -1;
        memcpy(buf, c->pass, (size_t)c->len);
        return c->len;
}

static EVP_PKEY *pg_key_read_pem(const char *path, bool private_only)
{
        struct pg_pass_ctx pass = { .may_prompt = private_only };
        FILE *f = fopen(path, "r");
        EVP_PKEY *key;

        if (!f) {
                fprintf(stderr, "prodgate: cannot open %s: %s\n", path, strerror(errno));
                return NULL;
        }
        key = private_only ? NULL : PEM_read_PUBKEY(f, NULL, pg_pass_cb, &pass);
        if (!key) {
                ERR_clear_error();
                rewind(f);
                key = PEM_read_PrivateKey(f, NULL, pg_pass_cb, &pass);
        }
        fclose(f);
        OPENSSL_cleanse(pass.pass, sizeof(pass.pass));
        if (!key && pass.requested && !pass.may_prompt) {
                /* Only the public key is needed here, so no passphrase is requested. */
                fprintf(stderr, "prodgate: %s is an encrypted private key; give its public key "
                        "('openssl pkey -in %s -pubout')\n", path, path);
                ERR_clear_error();
                return NULL;
        }
        if (!key && pass.requested) {
                fprintf(stderr, "prodgate: cannot decrypt %s: wrong passphrase, or no terminal "
                        "to read it from\n", path);
                ERR_clear_error();
                return NULL;
        }
        if (!key) {
                pg_openssl_error(private_only ? "cannot read a PEM private key from" :
                                 "cannot read a PEM public or private key from", path);
                return NULL;
        }
        if (pg_key_check_rsa(key, path) != 0) {
                EVP_PKEY_free(key);
                return NULL;
        }
        return key;
}

EVP_PKEY *pg_key_load_private(const char *path)
{
        return pg_key_read_pem(path, true);
}

int pg_key_spki(EVP_PKEY *key, uint8_t **der, size_t *len)
{
        unsigned char *buf = NULL;
        int n = i2d_PUBKEY(key, &buf);

        if (n <= 0) {
                pg_openssl_error("cannot encode the public key", NULL);
                return -1;
        }
        *der = buf;
        *len = (size_t)n;
        return 0;
}

int pg_key_load_spki(const char *path, uint8_t **der, size_t *len)
{
        EVP_PKEY *key = pg_key_read_pem(path, false);
        int rc;

        if (!key)
                return -1;
        rc = pg_key_spki(key, der, len);
        EVP_PKEY_free(key);
        return rc;
}

static int pg_sign_setup(EVP_PKEY_CTX *pctx, bool pss)
{
        if (!pss)
                return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0 ? 0 : -1;
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) <= 0 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) <= 0)
                return -1;
        return 0;
}

int pg_key_sign(EVP_PKEY *key, bool pss, const uint8_t *msg, size_t len, uint8_t *sig,
                size_t *sig_len)
{
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = NULL;
        size_t n = (size_t)EVP_PKEY_get_size(key);
        int rc = -1;

        if (ctx && EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), NULL, key) > 0 &&
            pg_sign_setup(pctx, pss) == 0 && EVP_DigestSign(ctx, sig, &n, msg, len) > 0) {
                *sig_len = n;
                rc = 0;
        } else {
                pg_openssl_error("signing failed", NULL);
        }
        EVP_MD_CTX_free(ctx);
        return rc;
}

/* Splits "PATH:ROLE" when the text after the last ':' is a role name;
 * otherwise the whole argument is the path and the role is release. */
static uint32_t pg_trust_split(const char *arg, char *path, size_t path_size)
{
        const char *colon = strrchr(arg, ':');
        uint32_t role = PG_KEY_ROLE_RELEASE;
        size_t n = strlen(arg);

        if (colon && !strcmp(colon + 1, "release")) {
                n = (size_t)(colon - arg);
        } else if (colon && !strcmp(colon + 1, "development")) {
                n = (size_t)(colon - arg);
                role = PG_KEY_ROLE_DEVELOPMENT;
        }
        if (n >= path_size)
                return 0;       /* too long: a truncated path could name another file */
        memcpy(path, arg, n);
        path[n] = 0;
        return role;
}

int pg_trust_add(struct pg_tool_keyring *kr, const char *arg)
{
        char path[4096];
        uint32_t role = pg_trust_split(arg, path, sizeof(path));
        struct pg_keyring_key *k;
        uint8_t *der;
        size_t len;

        if (role == 0) {
                fprintf(stderr, "prodgate: --trust path of %zu bytes is too long\n", strlen(arg));
                return -1;
        }
        if (kr->ring.count == PG_KEYRING_MAX_KEYS) {
                fprintf(stderr, "prodgate: at most %d --trust keys are supported\n",
                        PG_KEYRING_MAX_KEYS);
                return -1;
        }
        if (pg_key_load_spki(path, &der, &len) != 0)
                return -1;
        if (len > PG_KEYRING_MAX_SPKI) {
                fprintf(stderr, "prodgate: %s: public key of %zu DER bytes is too large\n",
                        path, len);
                OPENSSL_free(der);
                return -1;
        }
        k = &kr->keys[kr->ring.count];
        pg_sha256(der, len, k->key_id);
        /* The core takes the first entry of a key id, so a key given twice
         * (perhaps with two roles) would have a role the order decides. */
        for (uint32_t i = 0; i < kr->ring.count; i++) {
                if (memcmp(kr->keys[i].key_id, k->key_id, PG_KEY_ID_SIZE) == 0) {
                        fprintf(stderr, "prodgate: %s: the same key is already trusted by an "
                                "earlier --trust\n", path);
                        OPENSSL_free(der);
                        return -1;
                }
        }
        k->role = role;
        k->spki = der;
        k->spki_len = (uint32_t)len;
        kr->spki[kr->ring.count++] = der;
        kr->ring.keys = kr->keys;
        return 0;
}

void pg_trust_free(struct pg_tool_keyring *kr)
{
        for (uint32_t i = 0; i < kr->ring.count; i++)
                OPENSSL_free(kr->spki[i]);
        memset(kr, 0, sizeof(*kr));
}
