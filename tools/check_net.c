/* SPDX-License-Identifier: BSD-2-Clause */
/* Network exposure: listening sockets against an allow-list, and a firewall
 * ruleset on disk. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/runtime_checks.h"

#define TCP_LISTEN 0x0a
#define UDP_UNCONNECTED 0x07    /* TCP_CLOSE: a bound, unconnected UDP socket */
#define NFTABLES_PATH "/etc/nftables.conf"

struct socket_table {
        const char *proto;
        const char *path;
        bool v6;
        bool udp;
};

static const struct socket_table socket_tables[] = {
        { "tcp", "/proc/net/tcp", false, false },
        { "tcp6", "/proc/net/tcp6", true, false },
        { "udp", "/proc/net/udp", false, true },
        { "udp6", "/proc/net/udp6", true, true },
};

/* Decodes the kernel's hex address (32-bit words in host byte order). */
static bool socket_addr(const char *hex, size_t len, bool v6, char *out, size_t cap,
                        bool *loopback)
{
        uint8_t bytes[16];
        size_t words = v6 ? 4 : 1;

        if (len != words * 8)
                return false;
        for (size_t i = 0; i < words; i++) {
                char word[9];
                uint32_t v;

                memcpy(word, hex + 8 * i, 8);
                word[8] = '\0';
                if (strspn(word, "0123456789abcdefABCDEF") != 8)
                        return false;
                v = (uint32_t)strtoul(word, NULL, 16);
                memcpy(bytes + 4 * i, &v, 4);
        }
        if (v6) {
                static const uint8_t lo6[16] = { [15] = 1 };
                static const uint8_t mapped_lo[12] = { [10] = 0xff, [11] = 0xff };

                *loopback = !memcmp(bytes, lo6, 16) ||
                            (!memcmp(bytes, mapped_lo, 12) && bytes[12] == 127);
        } else {
                *loopback = bytes[0] == 127;
        }
        return inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, out, (socklen_t)cap) != NULL;
}

/* True when "proto:port" is on the allow-list. */
static bool socket_allowed(const struct pg_check_ctx *ctx, const char *proto, unsigned port)
{
        char item[32];
        int n = snprintf(item, sizeof(item), "%s:%u", proto, port);

        return pg_param_has(ctx, "allow", item, (size_t)n);
}

/* Parses one row "sl local rem st ..." of a /proc/net table and reports a
 * socket that listens and is not allowed. False for a malformed row. */
static bool socket_row(const struct pg_check_ctx *ctx, const struct socket_table *t,
                       const char *row, bool check_loopback)
{
        char local[64], remote[64], addr[INET6_ADDRSTRLEN];
        unsigned port, state;
        const char *colon;
        bool loopback;

        if (sscanf(row, " %*[0-9]: %63s %63s %x", local, remote, &state) != 3)
                return false;
        colon = strchr(local, ':');
        if (!colon || sscanf(colon + 1, "%x", &port) != 1 || port > 0xffff ||
            !socket_addr(local, (size_t)(colon - local), t->v6, addr, sizeof(addr), &loopback))
                return false;
        if (t->udp ? state != UDP_UNCONNECTED : state != TCP_LISTEN)
                return true;
        if (loopback && !check_loopback)
                return true;
        if (!socket_allowed(ctx, t->proto, port))
                pg_check_violated(ctx, PG_ERR_CHECK_SOCKET_NOT_ALLOWED, "%s %s%s%s:%u", t->proto,
                                  t->v6 ? "[" : "", addr, t->v6 ? "]" : "", port);
        return true;
}

static void socket_scan(const struct pg_check_ctx *ctx, const struct socket_table *t,
                        bool check_loopback)
{
        char *data;
        size_t len;
        char *row;

        /* Without IPv6 the kernel has no tcp6 and udp6 tables, and no IPv6 sockets. */
        if (t->v6) {
                struct stat st;

                if (pg_rootfs_stat(ctx->root, t->path, true, &st) != 0 && errno == ENOENT)
                        return;
        }
        data = pg_check_read(ctx, t->path, &len);
        if (!data)
                return;
        row = strchr(data, '\n');       /* skip the header line */
        if (!row || strncmp(data + strspn(data, " "), "sl", 2) != 0) {
                pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED, "%s has no header", t->path);
                free(data);
                return;
        }
        for (row = strtok(row + 1, "\n"); row; row = strtok(NULL, "\n")) {
                if (!socket_row(ctx, t, row, check_loopback)) {
                        pg_check_unknown(ctx, PG_ERR_CHECK_EVIDENCE_MALFORMED,
                                         "%s has a malformed row", t->path);
                        break;
                }
        }
        free(data);
}

static void check_sockets(const struct pg_check_ctx *ctx)
{
        const char *loopback = pg_param(ctx, "loopback");

        if (loopback && strcmp(loopback, "ignore") != 0 && strcmp(loopback, "check") != 0) {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER,
                                 "loopback=%s is not ignore or check", loopback);
                return;
        }
        for (size_t i = 0; i < PG_ARRAY_SIZE(socket_tables); i++)
                socket_scan(ctx, &socket_tables[i], loopback && !strcmp(loopback, "check"));
        pg_check_pass(ctx);
}

/* True when the nftables text has a "table" statement outside comments. */
static bool nft_has_table(const char *data)
{
        for (const char *line = data; *line; ) {
                size_t len = strcspn(line, "\n");
                const char *p = line;

                while (p < line + len && isspace((unsigned char)*p))
                        p++;
                if (len - (size_t)(p - line) > 6 && !strncmp(p, "table", 5) &&
                    isspace((unsigned char)p[5]))
                        return true;
                line += len + (line[len] == '\n');
        }
        return false;
}

static void check_firewall(const struct pg_check_ctx *ctx)
{
        const char *path = pg_param(ctx, "path");
        char *data;
        size_t len;

        if (!path)
                path = NFTABLES_PATH;
        if (path[0] != '/') {
                pg_check_unknown(ctx, PG_ERR_CHECK_BAD_PARAMETER, "path=%s is not absolute", path);
                return;
        }
        if (pg_rootfs_read(ctx->root, path, PG_CHECK_READ_MAX, &data, &len) != 0) {
                if (errno == ENOENT)
                        pg_check_violated(ctx, PG_ERR_CHECK_FIREWALL_MISSING, "%s does not exist",
                                          path);
                else
                        pg_check_unknown_errno(ctx, path, errno);
                return;
        }
        if (!nft_has_table(data))
                pg_check_violated(ctx, PG_ERR_CHECK_FIREWALL_MISSING, "%s defines no table",
                                  path);
        pg_check_pass(ctx);
        free(data);
}

static const struct pg_param_spec socket_params[] = {
        { "allow", PG_PARAM_LIST }, { "loopback", 0 }, { NULL, 0 },
};
static const struct pg_param_spec firewall_params[] = { { "path", 0 }, { NULL, 0 } };

const struct pg_check_kind pg_checks_net[] = {
        { "listening-sockets", check_sockets, socket_params },
        { "firewall-ruleset", check_firewall, firewall_params },
        { NULL, NULL, NULL },
};
